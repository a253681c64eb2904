"""Counts in a cases file: each row's number of cases, and one row per place and day.

A cases file with a ``count`` column (or another name of it, :data:`geo.columns.CASE_ALIASES`)
holds counts per place (region code or point) and date: a whole number 0..:data:`MAX_COUNT`
written in digits; 0 is a report. Without the column each row is one case. Check-ins have no
count column: a ``count`` other than 1 there is quarantined (``unsupported_count``). The checks
are rules of :mod:`geo.rules`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from geo.columns import Col
from geo.rules import Rule, Run, missing
from geo.values import first_positions

#: The largest count of one row: more cases than Indonesia has people is a typing error.
MAX_COUNT = 1_000_000_000
#: Check-ins have no count column: one row per check-in (a count there is never counted once).
CHECKIN_COUNT_REASON = "check-ins have no count column: one row per check-in"
_DIGITS = r"^[0-9]+$"
_C = Col.COUNT


def _typed(run: Run) -> bool:
    raw = run.raw.frame[_C]
    return pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw)


def _values(run: Run) -> np.ndarray:
    """The count of each row as a float (NaN where it is not a number)."""

    def parse() -> np.ndarray:
        given = run.raw.frame[_C] if _typed(run) else run.text(_C)
        return pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)

    return run.fact("count", parse)


def _not_whole(run: Run) -> np.ndarray:
    values = _values(run)
    typed = _typed(run)
    written = np.ones(len(values), bool) if typed else run.text(_C).str.match(_DIGITS)
    return ~(np.isfinite(values) & (np.floor(values) == values) & np.asarray(written, bool))


def count_rules(columns: pd.Index) -> list[Rule]:
    """The rules of a cases file's ``count`` column (none when the file has no such column)."""
    if _C not in columns:
        return []
    return [
        missing(_C),
        Rule(
            "unparseable",
            _C,
            lambda r: np.isnan(_values(r)),
            f"{_C} is not a number",
            ("not_number",),
        ),
        Rule("negative", _C, lambda r: _values(r) < 0, f"{_C} is negative", ("negative",)),
        Rule(
            "not_whole", _C, _not_whole, f"{_C} is not a whole number (digits only)", ("not_whole",)
        ),
        Rule(
            "out_of_range",
            _C,
            lambda r: ~(_values(r) <= MAX_COUNT),
            f"{_C} is outside 0..{MAX_COUNT}",
            ("out_of_range",),
        ),
    ]


def counts(run: Run) -> np.ndarray:
    """Each row's number of cases: its ``count``, or 1 when the file has no count column
    (0 in the rows quarantined)."""
    if _C not in run.raw.frame:
        return np.ones(len(run.alive), dtype=np.int64)
    return np.where(run.alive, _values(run), 0).astype(np.int64)


def checkin_count_rules(columns: pd.Index) -> list[Rule]:
    """Check-ins whose ``count`` is not 1 are quarantined, rather than counted once silently."""
    if _C not in columns:
        return []

    def fails(run: Run) -> np.ndarray:
        return (pd.to_numeric(run.text(_C), errors="coerce") != 1).to_numpy()

    return [Rule("unsupported_count", _C, fails, CHECKIN_COUNT_REASON, ("count",))]


def report_rules(
    has_point: np.ndarray, place: np.ndarray, date: Callable[[Run], pd.Series]
) -> list[Rule]:
    """In a file of counts, one row per place and day: the same region (or point) and date
    again is quarantined as ``duplicate``, naming both (the first row is kept).

    ``has_point``: whether each row is located by a point; ``place``: its words
    (``region X`` or ``point lat,lon``); ``date``: its parsed date in the run."""

    def repeats(run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether each row repeats an earlier live one, the position of that one, and the
        words for the place and day (taken once, over the rows alive at the first rule)."""
        alive = np.flatnonzero(run.alive)
        n = len(run.alive)
        said = np.empty(n, dtype=object)
        day = date(run).iloc[alive].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        said[alive] = place[alive] + " on " + day
        first = first_positions(pd.Series(said[alive], dtype="str"))
        dup = np.zeros(n, dtype=bool)
        dup[alive] = first != np.arange(len(alive))
        first_all = np.zeros(n, dtype=np.int64)
        first_all[alive] = alive[first]
        return dup, first_all, said

    def facts(run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return run.fact("report_repeats", lambda: repeats(run))

    def reason(run: Run, hit: np.ndarray) -> np.ndarray:
        _, first_all, said = facts(run)
        first_row = run.rows[first_all[hit]]
        return np.array(
            [
                f"duplicate report of {s} (first at row {r})"
                for s, r in zip(said[hit], first_row, strict=True)
            ],
            dtype=object,
        )

    def of(point: bool) -> Callable[[Run], np.ndarray]:
        def fails(run: Run) -> np.ndarray:
            if _C not in run.raw.frame:
                return np.zeros(len(run.alive), dtype=bool)
            return facts(run)[0] & (has_point if point else ~has_point)

        return fails

    return [
        Rule("duplicate", Col.REGION_CODE, of(False), reason, ("duplicate_region",)),
        Rule("duplicate", Col.LAT, of(True), reason, ("duplicate_point",)),
    ]


def case_counts(cases: pd.DataFrame) -> np.ndarray:
    """The number of cases of each accepted row (1 in rows stored before counts existed)."""
    if Col.COUNT in cases:
        return cases[Col.COUNT].fillna(1).to_numpy(dtype=np.int64)
    return np.ones(len(cases), dtype=np.int64)
