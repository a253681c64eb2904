"""Cumulative case series (``--cases-cumulative``) turned into new cases per day.

Published kelurahan and province series often give, per place and date, the running total of
cases so far. Each place (a region code, or a point) is read in date order:

* its **first report** is placed whole on its own day: the series starts with every case up to
  its first report (so a place reporting late starts late, with everything before);
* each next report adds its **step** (this total minus the previous one), spread over the days
  since the previous report in whole numbers that sum exactly: equal shares, the remainder one
  each to the latest days (a step of 7 over 3 days is 2, 2, 3). Every day of the interval is
  then reported (a share may be 0); equal consecutive totals are zero reports;
* a total **lower** than the previous one is a correction, never clipped silently: its interval
  gets 0 cases, the difference is taken back from the days before it, latest first, and the
  report is listed in ``corrections.csv`` (``region_code, lat, lon, date, previous_total,
  new_total, reason``).

So the cases of each place up to any report sum to that report's total when no later report
lowered it, and the cases of each place always sum to its last reported total.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.columns import Col

logger = logging.getLogger(__name__)

CORRECTION_COLUMNS = ["region_code", "lat", "lon", "date", "previous_total", "new_total", "reason"]
#: The build file listing the corrections.
CORRECTIONS_FILE = "corrections.csv"


@dataclass
class Conversion:
    """Cumulative rows turned into new cases per day."""

    #: Accepted-case rows (see :func:`geo.validate.validate_cases`), ``count`` the day's cases.
    daily: pd.DataFrame
    #: One row per report that lowered its place's running total.
    corrections: pd.DataFrame
    #: Places, regions, reports, days filled, corrections and cases, for the manifest.
    summary: dict[str, int] = field(default_factory=dict)


def _places(accepted: pd.DataFrame) -> np.ndarray:
    """Each row's place: its region code, or its point."""
    code = accepted[Col.REGION_CODE]
    coded = code.notna().to_numpy()
    points = accepted[Col.LAT].astype(str) + "," + accepted[Col.LON].astype(str)
    return np.where(coded, "region " + code.astype(str), "point " + points).astype(object)


def _spread(
    days: np.ndarray, width: np.ndarray, step: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The report each day belongs to, its day and its cases: each report's ``step`` spread
    over the ``width`` days ending on its day (equal shares, the remainder to the latest)."""
    report = np.repeat(np.arange(len(days)), width)
    k = np.arange(len(report)) - np.repeat(np.cumsum(width) - width, width)  # 0 = earliest
    day = days[report] - (width[report] - 1 - k)
    base, rem = step // width, step % width
    count = base[report] + (k >= (width - rem)[report])
    return report, day, count.astype(np.int64)


def _take_back(count: np.ndarray, start: int, end: int, deficit: int) -> None:
    """Lower ``count[start:end]`` by ``deficit`` in place, from the latest day back."""
    seg = count[start:end][::-1]
    reached = np.cumsum(seg)
    j = int(np.searchsorted(reached, deficit))  # the first day that completes the deficit
    taken = seg.copy()
    taken[j] = deficit - (reached[j - 1] if j else 0)
    taken[j + 1 :] = 0
    count[start:end] = (seg - taken)[::-1]


def to_daily(accepted: pd.DataFrame) -> Conversion:
    """New cases per place and day from running totals.

    Parameters
    ----------
    accepted
        Accepted case rows whose ``count`` is a running total, at most one per place and date
        (as :func:`geo.validate.validate_cases` leaves a file of counts).

    Returns
    -------
    Conversion
        The daily rows (every day from a place's first report to its last), the corrections
        and the summary.
    """
    frame = accepted.assign(_place=_places(accepted)).sort_values(
        ["_place", "date"], kind="stable", ignore_index=True
    )
    place = frame.pop("_place").to_numpy()
    totals = frame[Col.COUNT].to_numpy(dtype=np.int64)
    days = frame["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    first = np.r_[True, place[1:] != place[:-1]] if len(frame) else np.zeros(0, bool)
    previous = np.r_[0, totals[:-1]][: len(frame)]
    width = np.where(first, 1, days - np.r_[0, days[:-1]][: len(frame)])
    step = np.where(first, totals, totals - previous)
    falls = np.flatnonzero(step < 0)
    report, day, count = _spread(days, width, np.maximum(step, 0))
    starts = np.cumsum(width) - width
    place_start = np.maximum.accumulate(np.where(first, starts, 0))
    for r in falls:  # in order: a later fall sees the earlier ones applied
        _take_back(count, int(place_start[r]), int(starts[r]), int(previous[r] - totals[r]))
    daily = frame.iloc[report].reset_index(drop=True)
    daily["date"] = day.astype("datetime64[D]").astype(frame["date"].dtype)
    daily[Col.COUNT] = count
    for column in (Col.CASE_ID, Col.PERSON_ID):  # a day of a series is nobody's report
        if column in daily:
            daily[column] = None
    corrections = _corrections(frame, falls, previous)
    coded = frame[Col.REGION_CODE].notna().to_numpy()
    summary = {
        "places": len(np.unique(place)),
        "regions": len(np.unique(place[coded])),
        "reports": len(frame),
        "days": len(daily),
        "days_filled": len(daily) - len(frame),
        "corrections": len(falls),
        "cases": int(count.sum()),
    }
    logger.info("cumulative series: %s", summary)
    return Conversion(daily, corrections, summary)


def _corrections(frame: pd.DataFrame, falls: np.ndarray, previous: np.ndarray) -> pd.DataFrame:
    rows = frame.iloc[falls]
    new = rows[Col.COUNT].to_numpy(dtype=np.int64)
    before = previous[falls]
    return pd.DataFrame(
        {
            "region_code": rows[Col.REGION_CODE].to_numpy(),
            "lat": rows[Col.LAT].to_numpy(),
            "lon": rows[Col.LON].to_numpy(),
            "date": rows["date"].dt.strftime("%Y-%m-%d").to_numpy(),
            "previous_total": before,
            "new_total": new,
            "reason": [
                f"the running total fell from {b} to {n}: the {b - n} cases were taken back "
                "from the days before, latest first"
                for b, n in zip(before, new, strict=True)
            ],
        },
        columns=CORRECTION_COLUMNS,
    )
