"""The risk configuration: a TOML file validated on load, with presets shipped in ``geo/presets``.

A configuration names the H3 resolutions of the build, the exposure window, the privacy threshold
and the risk criteria. Each criterion classifies one metric with two increasing thresholds; the zone
takes the worst colour over its criteria.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geo.errors import ConfigError
from geo.vocab import METRIC_WORDS, CriterionMetric

#: Metrics a criterion may classify, with the words used in reasons.
METRIC_LABELS: dict[str, str] = METRIC_WORDS
PRESETS: tuple[str, ...] = ("pantauzona", "ppkm", "ppkm_mikro", "hghi")
DEFAULT_PRESET = "pantauzona"
MAX_RESOLUTION = 9

Metric = CriterionMetric


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Strict):
    """One metric with its orange and red thresholds.

    ``inclusive``: a value *at* a threshold reaches it (``>=``); otherwise it must exceed it (``>``).
    ``red_min_cases_7d``: red needs at least this many cases in 7 days, else the zone stays orange
    (small-number protection). ``min_checkins_7d``: the criterion applies only with at least this
    many check-ins in 7 days. ``min_baseline_checkins_7d``: likewise for the usual weekly check-ins.
    """

    metric: Metric
    orange: float = Field(ge=0)
    red: float = Field(ge=0)
    inclusive: bool = True
    red_min_cases_7d: float = Field(default=0, ge=0)
    min_checkins_7d: float = Field(default=0, ge=0)
    min_baseline_checkins_7d: float = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _increasing(self) -> Criterion:
        if not self.red > self.orange:
            msg = f"thresholds must increase: orange {self.orange:g} is not below red {self.red:g}"
            raise ValueError(msg)
        return self


class Risk(_Strict):
    """Risk rules: the criteria, and the population at or below which a zone has no data."""

    no_data_max_population: float = Field(default=0, ge=0)
    criteria: list[Criterion] = Field(min_length=1)


class Cells(_Strict):
    """H3 resolutions, finest first; the first is the base that points are indexed at."""

    resolutions: list[int] = Field(default=[9, 8, 7, 6], min_length=1)

    @field_validator("resolutions")
    @classmethod
    def _descending(cls, value: list[int]) -> list[int]:
        for res in value:
            if not 0 <= res <= MAX_RESOLUTION:
                msg = (
                    f"H3 resolution {res} is outside 0..{MAX_RESOLUTION} (a finer grid of "
                    "Indonesia does not fit in memory)"
                )
                raise ValueError(msg)
        if any(a <= b for a, b in itertools.pairwise(value)):
            msg = f"resolutions must be strictly decreasing, finest first (got {value})"
            raise ValueError(msg)
        return value


class Exposure(_Strict):
    """A check-in is exposed when a later case checked in at the same venue within the window."""

    window_hours: float = Field(default=2, gt=0, le=24)
    case_within_days: int = Field(default=14, ge=1, le=28)


#: Disclosure-control methods for public counts (see :mod:`geo.privacy`).
PRIVACY_METHODS: tuple[str, ...] = ("cell_key_geometric",)


class Privacy(_Strict):
    """How public counts are protected (:mod:`geo.privacy`).

    ``method``: cell-key perturbation with two-sided geometric noise. ``min_count``: a published
    count below it reads "< min_count". ``epsilon``: the noise's decay, ``P(e) ∝ exp(-epsilon·|e|)``
    (smaller is noisier). ``seed``: the noise's secret; empty (the default) reads it from the key
    file :func:`geo.privacy.key_file`, made at random on first use. A seed anyone can read lets
    anyone remove the noise.
    """

    method: Literal["cell_key_geometric"] = "cell_key_geometric"
    min_count: int = Field(default=10, ge=1)
    epsilon: float = Field(default=0.7, gt=0, le=5)
    seed: str = ""


class InputWindow(_Strict):
    """The plausible dates of input rows; a row dated outside is quarantined (``too_early``,
    ``future``), so one mistyped year cannot stretch the build over decades. No date is ever
    after today (WIB); ``latest_date`` can end the window earlier."""

    earliest_date: dt.date = dt.date(2020, 1, 1)
    latest_date: dt.date | None = None
    #: The edition of the cases' region codes (``--codes`` overrides it); ``None``: detected.
    codes: Literal["2020", "2025"] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> InputWindow:
        if self.latest_date is not None and self.latest_date < self.earliest_date:
            msg = (
                f"latest_date {self.latest_date.isoformat()} is before earliest_date "
                f"{self.earliest_date.isoformat()}"
            )
            raise ValueError(msg)
        return self


class Completeness(_Strict):
    """Which days are complete (:mod:`geo.completeness`).

    A region *usually reports* when it reported on at least ``usual_share`` of the
    ``lookback_days`` days before; a day is complete when the regions that reported hold at
    least ``min_share`` of the population of those expected (usual, plus that day's reporters).
    """

    min_share: float = Field(default=0.9, gt=0, le=1)
    lookback_days: int = Field(default=28, ge=1, le=366)
    usual_share: float = Field(default=0.5, gt=0, le=1)


class Config(_Strict):
    """A whole configuration."""

    name: str
    description: str = ""
    input: InputWindow = InputWindow()
    cells: Cells = Cells()
    exposure: Exposure = Exposure()
    privacy: Privacy = Privacy()
    completeness: Completeness = Completeness()
    risk: Risk

    @property
    def base_resolution(self) -> int:
        return self.cells.resolutions[0]

    def digest(self) -> str:
        """A sha256 of the configuration's canonical JSON."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _describe(error: ValidationError, source: str) -> str:
    parts = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"]) or "(top level)"
        text = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            text = "unknown key"
        parts.append(f"{key}: {text}")
    return f"Invalid risk configuration {source}: " + "; ".join(parts) + "."


def parse_config(text: str, *, source: str = "<text>") -> Config:
    """Parse and validate a configuration from TOML text.

    Parameters
    ----------
    text
        The TOML document.
    source
        A name for the document, used in error messages.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"Invalid risk configuration {source}: not valid TOML ({exc})."
        raise ConfigError(msg) from exc
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None


def load_config(path: str | Path | None = None, *, preset: str | None = None) -> Config:
    """Load a configuration file, or a shipped preset by name (default ``pantauzona``).

    Parameters
    ----------
    path
        A TOML file. Mutually exclusive with ``preset``.
    preset
        One of :data:`PRESETS`.
    """
    if path is not None and preset is not None:
        msg = "Give a configuration file or a preset name, not both."
        raise ConfigError(msg)
    if path is not None:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            msg = f"Cannot read the risk configuration {path}: {exc.strerror}."
            raise ConfigError(msg) from exc
        return parse_config(text, source=str(path))
    name = preset or DEFAULT_PRESET
    if name not in PRESETS:
        msg = f"Unknown preset {name!r}; choose one of {', '.join(PRESETS)}."
        raise ConfigError(msg)
    text = resources.files("geo.presets").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return parse_config(text, source=f"preset {name}")
