"""The project's vocabulary, defined once: metrics, risk states, region levels, export formats and
load kinds.

Config, risk, roll-up, map, charts, PDF and exports read these lists instead of keeping their own;
the README's tables of metrics, states and formats are tested against them (``tests/test_docs.py``).
The states' names in both languages are here (:data:`STATE_WORDS`); other words stay with the text
they belong to (``risk``, ``pdf_words``, ``dashboard.i18n``), keyed by the names here; colours stay
in :mod:`geo.palette`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from geo.palette import RISK_COLOURS

#: Metrics a risk criterion may classify (``risk.criteria[].metric`` in a configuration).
CriterionMetric = Literal[
    "cases_per_100k_7d",
    "avg_daily_cases_per_100k_7d",
    "cases_7d",
    "cases_14d",
    "growth_ratio_7d",
    "crowding_ratio",
    "exposed_checkins_7d",
    "exposed_pct_7d",
    "checkins_7d",
]
CRITERION_METRICS: tuple[str, ...] = get_args(CriterionMetric)


@dataclass(frozen=True)
class Metric:
    """A metric: ``count`` metrics sum across cells and regions; ``ratio`` metrics are never
    averaged, always recomputed from the summed counts in ``from_columns``.

    ``stored``: a column of the build's tables (else derived when a rule needs it). ``words``: the
    English words a reason uses (``None`` for a metric no criterion classifies).
    """

    name: str
    kind: Literal["count", "ratio"]
    unit: str
    from_columns: tuple[str, ...] = ()
    stored: bool = True
    words: str | None = None

    @property
    def rolls_up(self) -> str:
        """How the metric rolls up, in the README's words."""
        return "sums" if self.kind == "count" else "recomputed from sums"


_METRICS = (
    Metric("new_cases", "count", "cases"),
    Metric("new_cases_allocated", "count", "cases"),
    Metric("cases_7d", "count", "cases", words="cases in 7 days"),
    Metric("cases_14d", "count", "cases", words="cases in 14 days"),
    Metric("checkins", "count", "check-ins"),
    Metric("checkins_7d", "count", "check-ins", words="check-ins in 7 days"),
    Metric("checkins_baseline_7d", "count", "check-ins"),
    Metric("exposed_checkins", "count", "check-ins"),
    Metric(
        "exposed_checkins_7d", "count", "check-ins", words="check-ins exposed to a case in 7 days"
    ),
    Metric(
        "cases_per_100k_7d",
        "ratio",
        "cases per 100,000 residents",
        ("cases_7d", "population"),
        words="cases per 100k in 7 days",
    ),
    Metric(
        "growth_ratio_7d",
        "ratio",
        "times",
        ("cases_7d", "cases_14d"),
        words="times the cases of the week before",
    ),
    Metric(
        "crowding_ratio",
        "ratio",
        "times",
        ("checkins_7d", "checkins_baseline_7d"),
        words="times the usual check-ins",
    ),
    Metric(
        "exposed_pct_7d",
        "ratio",
        "%",
        ("checkins_7d", "exposed_checkins_7d"),
        words="% of check-ins exposed to a case in 7 days",
    ),
    Metric(
        "avg_daily_cases_per_100k_7d",
        "ratio",
        "cases per 100,000 residents a day",
        ("cases_per_100k_7d",),
        stored=False,
        words="average daily cases per 100k over 7 days",
    ),
)
METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}
#: The stored daily metrics, in table order.
COUNT_METRICS: tuple[str, ...] = tuple(m.name for m in _METRICS if m.kind == "count")
RATIO_METRICS: tuple[str, ...] = tuple(m.name for m in _METRICS if m.kind == "ratio" and m.stored)
#: The English words of each metric a criterion may classify.
METRIC_WORDS: dict[str, str] = {name: str(METRICS[name].words) for name in CRITERION_METRICS}


@dataclass(frozen=True)
class State:
    """A risk state: ``level`` is its classification code (0 green … 2 red, 3 no data), ``colour``
    its fill (:data:`geo.palette.RISK_COLOURS`), ``name`` the key of its words in every word
    table (``state.<name>`` in the PDF and reasons, ``risk.<name>`` in the dashboard)."""

    name: str
    level: int

    @property
    def colour(self) -> str:
        return RISK_COLOURS[self.name]


#: The name of each state in each language (the reasons, the PDF and the headline read these).
STATE_WORDS: dict[str, dict[str, str]] = {
    "en": {"red": "red", "orange": "orange", "green": "green", "no_data": "no data"},
    "id": {"red": "merah", "orange": "oranye", "green": "hijau", "no_data": "tidak ada data"},
}

#: The risk states in legend order (worst first, no data last).
STATES: tuple[State, ...] = (
    State("red", 2),
    State("orange", 1),
    State("green", 0),
    State("no_data", 3),
)
RISK_STATES: tuple[str, ...] = tuple(s.name for s in STATES)
#: The risk states in the order of their codes (a level 0-2, then no data).
LEVEL_STATES: tuple[str, ...] = tuple(s.name for s in sorted(STATES, key=lambda s: s.level))
NO_DATA = "no_data"

#: Region levels, coarse to fine.
LEVELS: tuple[str, ...] = ("province", "regency", "district", "village")


@dataclass(frozen=True)
class ExportFormat:
    """A format a zone report is exported in: its name, label and media type."""

    name: str
    label: str
    media_type: str


_EXPORT_FORMATS = (
    ExportFormat("csv", "CSV", "text/csv"),
    ExportFormat(
        "xlsx",
        "Excel (.xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ExportFormat("geojson", "GeoJSON", "application/geo+json"),
    ExportFormat("gpkg", "GeoPackage (.gpkg)", "application/geopackage+sqlite3"),
    ExportFormat("pdf", "PDF", "application/pdf"),
)
EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in _EXPORT_FORMATS}

#: Kinds of input an inputs store loads, in load order: venues before the check-ins that need them.
LOAD_KINDS: tuple[str, ...] = ("venues", "checkins", "cases")
#: What each kind is called in messages (English; the dashboard translates the sentences).
LOAD_KIND_WORDS: dict[str, str] = {"venues": "venues", "checkins": "check-ins", "cases": "cases"}
