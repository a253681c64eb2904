"""Counts in a cases file: each row's number of cases, and one row per place and day.

A cases file with a ``count`` column (or another name of it, :data:`geo.columns.CASE_ALIASES`)
holds counts per place (region code or point) and date: a whole number 0..:data:`MAX_COUNT`
written in digits; 0 is a report. Without the column each row is one case. Check-ins have no
count column: a ``count`` other than 1 there is quarantined (``unsupported_count``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.columns import Col
from geo.values import first_positions, text

if TYPE_CHECKING:
    from geo.validate import _Rows

#: The largest count of one row: more cases than Indonesia has people is a typing error.
MAX_COUNT = 1_000_000_000
#: Check-ins have no count column: one row per check-in (a count there is never counted once).
CHECKIN_COUNT_REASON = "check-ins have no count column: one row per check-in"
_DIGITS = r"^[0-9]+$"


def check_counts(rows: _Rows) -> np.ndarray:
    """Each row's number of cases: its ``count`` (a whole number 0..:data:`MAX_COUNT`), or 1
    when the file has no count column; rows with another count are quarantined."""
    frame = rows.raw.frame
    if Col.COUNT not in frame:
        return np.ones(len(frame), dtype=np.int64)
    raw, written_as = frame[Col.COUNT], text(frame, Col.COUNT)
    typed = pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw)
    values = pd.to_numeric(raw if typed else written_as, errors="coerce").to_numpy(dtype=float)
    column = Col.COUNT
    rows.reject((written_as == "").to_numpy(), column, "missing", f"{column} is missing")
    rows.reject(np.isnan(values), column, "unparseable", f"{column} is not a number")
    rows.reject(values < 0, column, "negative", f"{column} is negative")
    written = np.ones(len(frame), bool) if typed else written_as.str.match(_DIGITS).to_numpy(bool)
    whole = np.isfinite(values) & (np.floor(values) == values) & written
    rows.reject(~whole, column, "not_whole", f"{column} is not a whole number (digits only)")
    big = ~(values <= MAX_COUNT)
    rows.reject(big, column, "out_of_range", f"{column} is outside 0..{MAX_COUNT}")
    return np.where(rows.alive, values, 0).astype(np.int64)


def check_checkin_count(rows: _Rows) -> None:
    """Quarantine check-ins whose ``count`` is not 1, rather than count them once silently."""
    if Col.COUNT not in rows.raw.frame:
        return
    values = pd.to_numeric(text(rows.raw.frame, Col.COUNT), errors="coerce")
    rows.reject((values != 1).to_numpy(), Col.COUNT, "unsupported_count", CHECKIN_COUNT_REASON)


def check_reports(
    rows: _Rows, code: pd.Series, point: pd.Series, has_point: np.ndarray, date: pd.Series
) -> None:
    """In a file of counts, one row per place and day: the same region (or point) and date
    again is quarantined as ``duplicate``, naming both (the first row is kept)."""
    if Col.COUNT not in rows.raw.frame:
        return
    alive = np.flatnonzero(rows.alive)
    place = np.where(
        has_point, "point " + point.to_numpy(dtype=object), "region " + code.to_numpy(dtype=object)
    )[alive]
    day = date.iloc[alive].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    first = first_positions(pd.Series(place + " on " + day, dtype="str"))
    dup = np.zeros(len(code), dtype=bool)
    dup[alive] = first != np.arange(len(alive))
    first_all = np.zeros(len(code), dtype=np.int64)
    first_all[alive] = alive[first]
    said = np.empty(len(code), dtype=object)
    said[alive] = place + " on " + day
    for column, mask in ((Col.REGION_CODE, ~has_point), (Col.LAT, has_point)):
        hit = dup & mask
        if hit.any():
            where = np.flatnonzero(hit)
            first_row = rows.raw.rows.to_numpy()[first_all[where]]
            reasons = np.empty(len(code), dtype=object)
            reasons[where] = [
                f"duplicate report of {s} (first at row {r})"
                for s, r in zip(said[where], first_row, strict=True)
            ]
            rows.reject(hit, column, "duplicate", reasons)


def case_counts(cases: pd.DataFrame) -> np.ndarray:
    """The number of cases of each accepted row (1 in rows stored before counts existed)."""
    if Col.COUNT in cases:
        return cases[Col.COUNT].fillna(1).to_numpy(dtype=np.int64)
    return np.ones(len(cases), dtype=np.int64)
