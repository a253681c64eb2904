"""Disclosure control: what the public may read of a count, a rate or a table.

Officials see exact figures. Every count the public reads goes through :func:`public_frame`
(one place), which applies **cell-key perturbation with two-sided geometric noise**:

* each published count of a zone (H3 cell, region code, or ``ID`` for the country) gets an
  integer noise drawn from the two-sided geometric distribution with
  ``P(e) ∝ exp(-epsilon·|e|)`` (the geometric mechanism of Ghosh, Roughgarden & Sundararajan,
  2009). The draw is a keyed hash (SipHash), under a secret, of the zone and the count: the same
  count of the same zone reads the same on every page, day and window, so repeated queries and
  overlapping windows holding the same cases give nothing to average;
* the noise is added to the count rounded to a whole number, *before* the ``< k`` test: a
  published value below ``k`` (``config.privacy.min_count``) — a zero, a small count, or a
  larger one that drew a negative noise — reads ``"< k"`` (:data:`numpy.nan` in the frame);
* rates, growth ratios and reasons are computed from the published counts only;
* check-in, exposure and crowding figures are never public (a small cell can hold one venue).

The noise has every integer in its support, so no published value, nor any sum or difference
of published values, bounds a true count: interval arithmetic across regions, resolutions, days,
windows or columns can narrow nothing (``tests/test_attack.py`` tries).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import math
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from geo import formats
from geo.columns import Out
from geo.config import Privacy

logger = logging.getLogger(__name__)

PUBLIC = "public"
OFFICIAL = "official"
AUDIENCES: tuple[str, ...] = (PUBLIC, OFFICIAL)
HIDDEN = "—"
#: The zone key of the whole country (a row without a cell or a region code).
COUNTRY = "ID"
#: The file holding the noise's secret key when the configuration names no seed.
KEY_ENV = "PANTAUZONA_PRIVACY_KEY"
DEFAULT_KEY = Path(__file__).resolve().parent.parent / "instance" / "privacy.key"

#: Case counts: published with noise, below ``k`` as "< k".
CASE_COUNTS: tuple[str, ...] = (
    Out.NEW_CASES,
    Out.NEW_CASES_ALLOCATED,
    Out.CASES_7D,
    Out.CASES_14D,
)
#: Figures about venues: officials only.
OFFICIAL_ONLY: tuple[str, ...] = (
    Out.CHECKINS,
    Out.CHECKINS_7D,
    Out.CHECKINS_BASELINE_7D,
    Out.EXPOSED_CHECKINS,
    Out.EXPOSED_CHECKINS_7D,
    Out.CROWDING_RATIO,
    Out.EXPOSED_PCT_7D,
)


def check_audience(audience: str) -> str:
    """Return ``audience`` if it is one of :data:`AUDIENCES`, else raise ``ValueError``."""
    if audience not in AUDIENCES:
        msg = f"Unknown audience {audience!r}; choose one of {', '.join(AUDIENCES)}."
        raise ValueError(msg)
    return audience


def key_file() -> Path:
    """Where the noise's secret key lives (``$PANTAUZONA_PRIVACY_KEY``, default
    ``instance/privacy.key``)."""
    return Path(os.environ.get(KEY_ENV) or DEFAULT_KEY)


def _read_or_make(path: Path) -> str:
    """The key in ``path``; a new random one, written 0600, when the file does not exist."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    logger.info("made a new privacy key in %s", path)
    return key


@functools.lru_cache(maxsize=8)
def _hash_key(seed: str, path: str) -> str:
    secret = seed or _read_or_make(Path(path))
    if not secret:
        msg = f"The privacy key file {path} is empty; delete it to make a new one."
        raise ValueError(msg)
    digest = hashlib.sha256(("pantauzona-noise:" + secret).encode()).digest()
    return base64.b64encode(digest).decode()[:16]  # SipHash takes a 16-byte key


def noise(keys: np.ndarray | list[str], privacy: Privacy) -> np.ndarray:
    """The integer noise of each cell key, two-sided geometric with ``privacy.epsilon``.

    Deterministic: a keyed SipHash of the key gives two uniform numbers, each a geometric draw
    ``floor(-ln(u) / epsilon)``; the noise is their difference.
    """
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    hash_key = _hash_key(privacy.seed, str(key_file()))
    bits = pd.util.hash_array(np.asarray(keys, dtype=object), hash_key=hash_key)
    low = (bits & np.uint64(0xFFFFFFFF)).astype(np.float64)
    high = (bits >> np.uint64(32)).astype(np.float64)
    draws = [np.floor(-np.log((u + 0.5) / 2.0**32) / privacy.epsilon) for u in (low, high)]
    return (draws[0] - draws[1]).astype(np.int64)


def noise_shares(epsilon: float) -> tuple[float, float]:
    """The noise's standard deviation and the share of counts it leaves unchanged."""
    alpha = math.exp(-epsilon)
    return math.sqrt(2 * alpha) / (1 - alpha), (1 - alpha) / (1 + alpha)


def cell_keys(zones: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``zone|count`` for each row: what a published count's noise is keyed by.

    The key holds the zone and the (rounded) count, not the day nor the kind of window: the
    same count of the same zone reads the same on every day and in every window (7-day,
    14-day, a day's), so publishing it again — a week of windows holding the same cases, a
    14-day window equal to its 7-day one — gives no new draw to average.
    """
    zone_text = np.asarray(zones, dtype=object).astype(str)
    count_text = np.asarray(counts, dtype=float).astype(str)
    return np.char.add(np.char.add(zone_text, "|"), count_text).astype(object)


def publish(values: np.ndarray, zones: np.ndarray, privacy: Privacy) -> np.ndarray:
    """Published counts: the rounded count plus its noise, NaN ("< k") when below ``k``.

    Parameters
    ----------
    values
        The exact counts (allocated cases may be fractional; they are rounded first).
    zones
        The zone of each count: an H3 cell, a region code, or :data:`COUNTRY`.
    privacy
        The configuration's privacy rules.
    """
    exact = np.rint(np.asarray(values, dtype=float))
    shown = exact + noise(cell_keys(zones, exact), privacy)
    return np.where(np.isnan(exact) | (shown < privacy.min_count), np.nan, shown)


def publish_count(value: float, *, zone: str, privacy: Privacy) -> float:
    """One published count (NaN: "< k"); see :func:`publish`."""
    return float(publish(np.array([value]), np.array([zone]), privacy)[0])


def zone_ids(frame: pd.DataFrame) -> np.ndarray:
    """The zone of each row: its cell, else its region code, else the country."""
    if Out.CELL in frame:
        return frame[Out.CELL].astype(str).to_numpy(dtype=object)
    if Out.REGION_CODE in frame:
        return frame[Out.REGION_CODE].astype(str).to_numpy(dtype=object)
    return np.full(len(frame), COUNTRY, dtype=object)


def public_frame(frame: pd.DataFrame, privacy: Privacy) -> pd.DataFrame:
    """``frame`` as the public may read it, in numbers (NaN where hidden).

    Officials-only columns are dropped; every case count is published (:func:`publish`); cases
    per 100k are recomputed from the published 7-day count, the growth ratio from the published
    7- and 14-day counts (both weeks at least ``k``). Other columns are left as they are.

    Parameters
    ----------
    frame
        Rows of the build: cells (``cell``), regions (``region_code``) or the country.
    privacy
        The configuration's privacy rules.
    """
    out = frame.drop(columns=[c for c in OFFICIAL_ONLY if c in frame.columns])
    ids = zone_ids(frame)
    for column in CASE_COUNTS:
        if column in out:
            out[column] = publish(out[column].to_numpy(float), ids, privacy)
    if Out.CASES_7D in out and Out.POPULATION in frame and Out.CASES_PER_100K_7D in out:
        population = frame[Out.POPULATION].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = out[Out.CASES_7D].to_numpy(float) * 1e5 / population
        out[Out.CASES_PER_100K_7D] = np.where(population > 0, rate, np.nan)
    if Out.GROWTH_RATIO_7D in out:
        week = out[Out.CASES_7D].to_numpy(float) if Out.CASES_7D in out else np.nan
        before = out[Out.CASES_14D].to_numpy(float) - week if Out.CASES_14D in out else np.nan
        with np.errstate(invalid="ignore"):
            shown = (week >= privacy.min_count) & (before >= privacy.min_count)
            out[Out.GROWTH_RATIO_7D] = np.where(shown, week / np.where(shown, before, 1), np.nan)
    return out


def display_published(published: float, k: int, *, lang: str = "en") -> str:
    """A published count as the public reads it (:func:`geo.formats.published`)."""
    return formats.published(published, k, lang)


def display_rate(rate: float | None, *, decimals: int = 1, lang: str = "en") -> str:
    """A published rate or ratio: "—" when hidden (NaN) (:func:`geo.formats.number`)."""
    return formats.number(rate, lang, decimals)


RATES: dict[str, int] = {Out.CASES_PER_100K_7D: 1, Out.GROWTH_RATIO_7D: 2}


def public_table(
    frame: pd.DataFrame, *, audience: str, privacy: Privacy, lang: str = "en"
) -> pd.DataFrame:
    """The table as ``audience`` may read it: unchanged for officials; for the public,
    :func:`public_frame` with counts and rates as display strings ("< k", "—").

    Parameters
    ----------
    frame
        Rows of the build (see :func:`public_frame`).
    audience
        ``"public"`` or ``"official"``.
    privacy
        The configuration's privacy rules.
    lang
        The language of the display strings (``1.234`` in ``id``, ``1,234`` in ``en``).
    """
    if check_audience(audience) == OFFICIAL:
        return frame
    out = public_frame(frame, privacy)
    for column in CASE_COUNTS:
        if column in out:
            out[column] = [display_published(v, privacy.min_count, lang=lang) for v in out[column]]
    for column, decimals in RATES.items():
        if column in out:
            out[column] = [display_rate(v, decimals=decimals, lang=lang) for v in out[column]]
    return out


def public_zones(frame: pd.DataFrame) -> np.ndarray:
    """Which zones the public is shown: those with a case in the 14 days (a zone kept alive
    only by check-ins would reveal venue activity)."""
    return frame[Out.CASES_14D].to_numpy(float) > 0
