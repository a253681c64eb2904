"""Which regions reported on which days: the coverage of the case feed.

A *report* is an accepted case row. A region-coded row covers its region on its date, a count
of 0 included (a reported zero is a report; a region with no row reported nothing). A located
case (a point) covers the province it lies in on its date: point line lists are kept and sent
per province, so a province that sent any located case that day reported that day.

A region is *covered* on a day when it, or one of its ancestors, reported that day: a province
total speaks for every kecamatan in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import formats
from geo.columns import Out
from geo.regions import ancestors, codes_of

#: Columns of :func:`report_days`.
REPORT_COLUMNS = ["region_code", "date"]


def report_days(cases: pd.DataFrame) -> pd.DataFrame:
    """The distinct (region, day) reports of accepted case rows, ordered by code and date.

    Parameters
    ----------
    cases
        Accepted cases (:func:`geo.validate.validate_cases`): ``date``, ``poly`` (index of the
        finest polygon of a located case, -1 otherwise) and ``region_code`` (of a coded case).

    Returns
    -------
    DataFrame
        ``region_code, date``: one row per region and day that was reported.
    """
    coded = cases["poly"].to_numpy() < 0
    parts = [
        pd.DataFrame({"region_code": cases["region_code"][coded], "date": cases["date"][coded]})
    ]
    located = cases[~coded]
    if len(located):
        polys = np.unique(located["poly"].to_numpy())
        province = codes_of(polys)[Out.PROVINCE_CODE].to_numpy()
        of_poly = pd.Series(province, index=polys)
        parts.append(
            pd.DataFrame(
                {
                    "region_code": of_poly.reindex(located["poly"].to_numpy()).to_numpy(),
                    "date": located["date"].to_numpy(),
                }
            )
        )
    every = pd.concat(parts, ignore_index=True).astype({"region_code": str})
    every = every.drop_duplicates().sort_values(REPORT_COLUMNS, ignore_index=True)
    return every[REPORT_COLUMNS]


def covering(code: str) -> list[str]:
    """The codes whose reports cover ``code``: itself and its ancestors, coarse to fine."""
    return list(ancestors(code))[::-1]


#: Days a report covers a region: the 7-day window of the case metrics, ending on the day.
WINDOW_DAYS = 7
#: The reason of a zone without a report in the window (``{date}``: the last report's day).
NO_REPORT_WORDS = {
    "en": {
        "since": "no data: no reports from this region since {date}",
        "yet": "no data: no report from this region yet",
    },
    "id": {
        "since": "tidak ada data: tidak ada laporan dari wilayah ini sejak {date}",
        "yet": "tidak ada data: belum ada laporan dari wilayah ini",
    },
}


def reported_days(reports: pd.DataFrame, dates: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Per reported code, whether it reported on each of ``dates`` (reports outside them are
    left out).

    Parameters
    ----------
    reports
        ``region_code, date`` (:func:`report_days`).
    dates
        The consecutive days of the build.
    """
    day = dates.get_indexer(pd.DatetimeIndex(reports["date"]).astype(dates.dtype))
    keep = day >= 0
    codes, uniques = pd.factorize(reports["region_code"].astype(str).to_numpy()[keep])
    matrix = np.zeros((len(uniques), len(dates)), dtype=bool)
    matrix[codes, day[keep]] = True
    return dict(zip(uniques.tolist(), matrix, strict=True))


def coverage(
    reports: pd.DataFrame | dict[str, np.ndarray],
    codes: list[str],
    dates: pd.DatetimeIndex,
    *,
    from_below: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each of ``codes`` is covered on each of ``dates``, and its last report.

    A code is covered on a day when it or an ancestor reported in the :data:`WINDOW_DAYS` days
    ending that day; with ``from_below`` (regions, whose counts sum their parts), a report of a
    descendant covers it too.

    Parameters
    ----------
    reports
        ``region_code, date`` (:func:`report_days`), or their :func:`reported_days`.
    codes
        The regions (or a cell's finest region) to cover.
    dates
        The consecutive days of the build.

    Returns
    -------
    tuple of ndarray
        ``covered`` (bool, codes by dates) and ``last`` (``datetime64[s]``, the last report day on
        or before each date; NaT before the first).
    """
    reported = reports if isinstance(reports, dict) else reported_days(reports, dates)
    days = np.zeros((len(codes), len(dates)), dtype=bool)
    row_of = {code: i for i, code in enumerate(codes)}
    for i, code in enumerate(codes):
        for a in ancestors(code):
            if a in reported:
                days[i] |= reported[a]
    if from_below:
        for code, row in reported.items():
            for a in ancestors(code)[1:]:
                if a in row_of:
                    days[row_of[a]] |= row
    running = np.cumsum(days, axis=1)
    before = np.zeros_like(running)
    before[:, WINDOW_DAYS:] = running[:, :-WINDOW_DAYS]
    covered = running - before > 0
    last = np.maximum.accumulate(np.where(days, np.arange(len(dates)), -1), axis=1)
    stamps = np.asarray(dates, dtype="datetime64[s]")
    last_day = np.where(last >= 0, stamps[np.maximum(last, 0)], np.datetime64("NaT"))
    return covered, last_day.astype("datetime64[s]")


def no_report_reasons(last: np.ndarray, lang: str) -> np.ndarray:
    """The reason of zones without a report in the window, in ``lang``, from their last report."""
    words = NO_REPORT_WORDS.get(lang, NO_REPORT_WORDS["en"])
    which, days = pd.factorize(pd.to_datetime(pd.Series(last)))  # NaT (no report yet): -1
    texts = [words["since"].format(date=formats.date(day.date(), lang)) for day in days]
    return np.array([*texts, words["yet"]], dtype=object)[which]  # a text per distinct day
