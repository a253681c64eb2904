"""Which days are complete: did the regions that usually report, report?

A day's **expected population** is the population of the regions that *usually report*, with
the regions that reported that day added; its **reported population** is the population of
those that reported (:func:`geo.coverage.report_days`). Both are unions: a province's report
covers its kecamatan (:func:`geo.coverage.covering`), so a region is counted once, through the
coarsest region of the set that holds it. The **share** is reported over expected; the day is
**complete** when the share reaches ``[completeness] min_share``.

A region *usually reports* on a day when it reported on at least ``usual_share`` of the
``lookback_days`` days before (default: 14 of 28). The count is over the full look-back, not
over the days since the feed began, so:

* a daily feed (``province_daily``: every province every day) makes each region usual after two
  weeks; a day on which one city alone added cases then holds a sliver of the expected
  population and is incomplete;
* a monthly feed (a kelurahan cumulative series at month-ends) is never usual: its report days are
  complete (everyone who reported is expected and reported), the days between expect nobody;
* points report their province, so a sample with points in some provinces expects those that
  send them most days;
* a single day (national kecamatan totals) has no history and is complete;
* a day on which nobody is expected and nobody reported has nothing missing: share 1, complete.

The first two weeks of a daily feed cannot be judged (nobody is usual yet): they are complete.

Populations come from :func:`geo.reference.regions` (provinces, regencies), Dukcapil's kecamatan
and village tables, and, for a region without a figure, an even part of its parent's.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from geo import reference
from geo.config import Completeness
from geo.coverage import covering

logger = logging.getLogger(__name__)

#: The build's table of days.
FILE = "days.parquet"
#: Columns of :func:`day_table`.
DAY_COLUMNS = ["date", "expected_population", "reported_population", "share", "complete"]


def _known_population() -> pd.Series:
    table = reference.regions()
    known = table["population"].dropna()
    finer = [
        reference.district_population(),
        reference.village_population(),
        reference.jabar_village_population(),
    ]
    known = pd.concat([known, *finer])
    return known[~known.index.duplicated(keep="first")]


def populations(codes: Sequence[str]) -> np.ndarray:
    """The population of each region: its own figure, else an even part of its parent's.

    Parameters
    ----------
    codes
        Region codes of the 2025 edition; an unknown code has population 0.
    """
    table = reference.regions()
    known = _known_population()
    siblings = table["parent_code"].value_counts()
    cache: dict[str, float] = {}

    def of(code: str) -> float:
        if code not in cache:
            if code in known.index:
                cache[code] = float(known[code])
            elif code in table.index and table.at[code, "parent_code"]:
                parent = str(table.at[code, "parent_code"])
                cache[code] = of(parent) / int(siblings.get(parent, 1))
            else:
                cache[code] = 0.0
        return cache[code]

    return np.array([of(str(code)) for code in codes], dtype=float)


def _report_matrix(reports: pd.DataFrame, days: pd.DatetimeIndex) -> tuple[list[str], np.ndarray]:
    """Regions (sorted) and a boolean matrix: region by day, True where it reported."""
    codes = sorted(reports["region_code"].astype(str).unique())
    matrix = np.zeros((len(codes), len(days)), dtype=bool)
    if codes:
        row = pd.Index(codes).get_indexer(reports["region_code"].astype(str))
        column = days.get_indexer(pd.to_datetime(reports["date"]))
        inside = column >= 0
        matrix[row[inside], column[inside]] = True
    return codes, matrix


def _usual(matrix: np.ndarray, settings: Completeness) -> np.ndarray:
    """Region by day: reported on at least ``usual_share`` of the ``lookback_days`` days before."""
    before = np.zeros((matrix.shape[0], matrix.shape[1] + 1), dtype=np.int64)
    np.cumsum(matrix, axis=1, out=before[:, 1:])
    ends = np.arange(matrix.shape[1])
    starts = np.maximum(ends - settings.lookback_days, 0)
    counts = before[:, ends] - before[:, starts]
    return counts >= settings.usual_share * settings.lookback_days


def _union_population(codes: list[str], members: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Per day, the population of the union of the member regions (a region inside another
    member is already counted by it)."""
    index = {code: i for i, code in enumerate(codes)}
    inside = np.zeros_like(members)
    for i, code in enumerate(codes):
        for ancestor in covering(code)[:-1]:
            if ancestor in index:
                inside[i] |= members[index[ancestor]]
    return population @ (members & ~inside)


def day_table(
    reports: pd.DataFrame, period: tuple[dt.date, dt.date], settings: Completeness
) -> pd.DataFrame:
    """Each day of ``period`` with its expected and reported population, share and completeness.

    Parameters
    ----------
    reports
        ``region_code, date``: the report days (:func:`geo.coverage.report_days`).
    period
        The first and last day of the build.
    settings
        The ``[completeness]`` configuration.

    Returns
    -------
    DataFrame
        :data:`DAY_COLUMNS`, one row per day, ascending.
    """
    days = pd.date_range(*period, freq="D")
    codes, reported = _report_matrix(reports, days)
    population = populations(codes)
    expected = _usual(reported, settings) | reported
    expected_population = _union_population(codes, expected, population)
    reported_population = _union_population(codes, reported, population)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(expected_population > 0, reported_population / expected_population, 1.0)
    share = np.minimum(share, 1.0)
    return pd.DataFrame(
        {
            "date": days.astype("datetime64[s]"),
            "expected_population": expected_population.astype(float),
            "reported_population": reported_population.astype(float),
            "share": share.astype(float),
            "complete": share >= settings.min_share,
        }
    )


def latest_complete_day(days: pd.DataFrame) -> dt.date | None:
    """The last complete day of a day table, ``None`` when no day is complete."""
    complete = days.loc[days["complete"].astype(bool), "date"]
    return None if complete.empty else pd.Timestamp(complete.max()).date()


def read_days(build: str | Path, dates: Sequence[dt.date]) -> pd.DataFrame:
    """The day table of the build at ``build``; for a build made before it existed, every one
    of ``dates`` is complete (share missing).

    Parameters
    ----------
    build
        The build directory.
    dates
        The build's days, ascending.
    """
    path = Path(build) / FILE
    if path.is_file():
        days = pd.read_parquet(path)
        days["date"] = pd.to_datetime(days["date"]).dt.date
        return days[DAY_COLUMNS]
    logger.info("%s has no %s: every day is taken as complete", build, FILE)
    return pd.DataFrame(
        {
            "date": list(dates),
            "expected_population": np.nan,
            "reported_population": np.nan,
            "share": np.nan,
            "complete": True,
        }
    )[DAY_COLUMNS]


def default_day(days: pd.DataFrame) -> dt.date | None:
    """The day a view opens on: the latest complete day, else the last day (``None``: no days)."""
    if days.empty:
        return None
    return latest_complete_day(days) or pd.Timestamp(days["date"].iloc[-1]).date()


def incomplete_share(days: pd.DataFrame, day: dt.date) -> float | None:
    """The reported share of ``day`` when it is incomplete; ``None`` when it is complete or
    not a day of the table."""
    row = days[pd.to_datetime(days["date"]) == pd.Timestamp(day)]
    if row.empty or bool(row["complete"].iloc[0]):
        return None
    return float(row["share"].iloc[0])
