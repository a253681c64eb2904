"""Dates and times of input rows: strict ISO 8601 parsing and the window of plausible dates.

A date is ``YYYY-MM-DD``, optionally followed by a time of day (and a zone), and nothing else
(``2021-07-05junk`` is not a date). A timestamp is ISO 8601; a naive one is WIB (UTC+7). Both are
parsed to microseconds, which hold every year from 1 to 9999: a year outside pandas' nanosecond
range (1677-2262) keeps its true date, to be quarantined by the window, and never wraps around.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


@dataclass(frozen=True)
class Window:
    """The plausible dates of input rows (both included); see :class:`geo.config.InputWindow`."""

    earliest: dt.date
    latest: dt.date
    latest_is_today: bool = True

    def too_early(self, column: str) -> str:
        return f"{column} is before {self.earliest.isoformat()} (input.earliest_date)"

    def future(self, column: str) -> str:
        if self.latest_is_today:
            return f"{column} is after today ({self.latest.isoformat()})"
        return f"{column} is after {self.latest.isoformat()} (input.latest_date)"


_DATE_TIME = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
NAIVE_ISO = rf"^{_DATE_TIME}$"
AWARE_ISO = rf"^{_DATE_TIME}(?:Z|[+-]\d{{2}}:?\d{{2}})$"
#: A date, optionally with a time of day (and a zone), and nothing after it.
ISO_DATE = rf"^{_DATE_TIME}(?:Z|[+-]\d{{2}}:?\d{{2}})?$"


def parse_dates(text: pd.Series) -> pd.Series:
    """Strict ISO dates (stripped text) to midnight timestamps; NaT where not a date."""
    iso = text.str.fullmatch(ISO_DATE).fillna(False).to_numpy(dtype=bool)
    return pd.to_datetime(text.str.slice(0, 10).where(iso), format="%Y-%m-%d", errors="coerce")


def parse_timestamps(text: pd.Series) -> np.ndarray:
    """ISO 8601 text to UTC ``datetime64[us]`` (NaT where it does not parse); naive is WIB.

    Vectorised in Arrow: no Python object per row, which matters at millions of check-ins.
    Microseconds hold every year from 1 to 9999, so no timestamp wraps around (nanoseconds end
    in 2262: ``9999-12-31`` used to become 1816).
    """
    values = pa.array(text.to_numpy(dtype=object) if text.dtype == object else text.array)
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    for pattern, target, shift in (
        (NAIVE_ISO, pa.timestamp("us"), np.timedelta64(7, "h")),
        (AWARE_ISO, pa.timestamp("us", tz="UTC"), np.timedelta64(0, "h")),
    ):
        where = np.flatnonzero(
            pc.fill_null(pc.match_substring_regex(values, pattern), False).to_numpy(
                zero_copy_only=False
            )
        )
        if where.size == 0:
            continue
        subset = values.take(pa.array(where))
        try:
            parsed = pc.cast(subset, target).cast(pa.int64()).to_numpy(zero_copy_only=False)
            out[where] = parsed.astype("datetime64[us]") - shift
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. 2021-02-30: slow path
            fallback = pd.to_datetime(
                pd.Series(subset.to_pylist()), format="ISO8601", errors="coerce", utc=True
            )
            fallback = fallback.dt.tz_localize(None).dt.as_unit("us")
            out[where] = fallback.to_numpy(dtype="datetime64[us]") - shift
    return out
