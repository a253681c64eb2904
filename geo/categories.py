"""Check-ins by venue category per region: what kind of place the activity and exposure are at.

For every region level (province, kabupaten/kota, kecamatan, kelurahan/desa where villages have
polygons), every venue category and every day: check-ins that day and in the 7 days to it, and the check-ins exposed to
a later case (see :mod:`geo.exposure`). A category of a small region can be a single venue, so
the table (``categories_daily.parquet``) is for officials only: no public page or export reads it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from geo.columns import LEVEL_COLUMNS, Out
from geo.metrics import windows
from geo.regions import codes_of

FILE = "categories_daily.parquet"
CATEGORY = "category"
#: The text columns.
TEXT = (Out.REGION_CODE, Out.REGION_LEVEL, CATEGORY)
#: The days of the sums (``checkins_7d``, ``exposed_checkins_7d``).
WINDOW_DAYS = 7
COLUMNS = [
    Out.REGION_CODE,
    Out.REGION_LEVEL,
    Out.DATE,
    CATEGORY,
    Out.CHECKINS,
    Out.CHECKINS_7D,
    Out.EXPOSED_CHECKINS,
    Out.EXPOSED_CHECKINS_7D,
    Out.EXPOSED_PCT_7D,
]


def category_daily(
    venue_days: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    copied: tuple[dt.date, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Check-ins and exposed check-ins by region, venue category and day, with 7-day sums.

    Parameters
    ----------
    venue_days
        One row per venue and day: ``poly`` (finest polygon of the venue), ``category``,
        ``date``, ``checkins`` and ``exposed`` (NaN reads as 0).
    start, end
        The build's first and last day.
    copied
        A first day to compute and this table's rows of the days before it, copied from a
        previous build whose venue days (and their venues) before it were the same: only the
        days from it are computed, from the venue days of the week before it on (an incremental
        build, :mod:`geo.incremental`).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, ordered by level (province first), region, date and category; a row
        only where the category had a check-in in the 7 days to the date.
    """
    first, old = copied if copied is not None else (start, None)
    reach = first - dt.timedelta(days=WINDOW_DAYS - 1)  # the oldest day a 7-day sum reads
    located = venue_days[
        (venue_days["poly"].to_numpy() >= 0) & (venue_days["date"] >= pd.Timestamp(reach))
    ]
    codes = codes_of(located["poly"].to_numpy())
    # Keyed by integers (a region's number times the categories, plus the category's): the
    # windows group and the rows are told apart without a text per venue-day (3 M of them for
    # 29 national days took 12 s).
    category_of, category = pd.factorize(located[CATEGORY].astype(str).to_numpy(dtype=object))
    kinds = max(len(category), 1)
    parts = []
    for level, column in LEVEL_COLUMNS.items():
        region_of, region = pd.factorize(codes[column].to_numpy(dtype=object))
        has = region_of >= 0
        events = pd.DataFrame(
            {
                "key": region_of[has].astype(np.int64) * kinds + category_of[has],
                "date": located["date"].to_numpy()[has],
                "cases": 0.0,
                "alloc": 0.0,
                "checkins": np.nan_to_num(located["checkins"].to_numpy(dtype=float)[has]),
                "exposed": np.nan_to_num(located["exposed"].to_numpy(dtype=float)[has]),
            }
        )
        table = windows(events, start=start, end=end, first=first)
        table = table[table[Out.CHECKINS_7D] > 0]
        kept = None if old is None else old[old[Out.REGION_LEVEL] == level]
        if table.empty and (kept is None or kept.empty):  # e.g. no venue in a province with
            continue  # village polygons
        key = table["key"].to_numpy(dtype=np.int64)
        made = pd.DataFrame(
            {
                Out.REGION_CODE: np.asarray(region, dtype=object)[key // kinds],
                Out.REGION_LEVEL: level,
                Out.DATE: table[Out.DATE].to_numpy(),
                CATEGORY: np.asarray(category, dtype=object)[key % kinds],
                Out.CHECKINS: table[Out.CHECKINS].to_numpy(),
                Out.CHECKINS_7D: table[Out.CHECKINS_7D].to_numpy(),
                Out.EXPOSED_CHECKINS: table[Out.EXPOSED_CHECKINS].to_numpy(),
                Out.EXPOSED_CHECKINS_7D: table[Out.EXPOSED_CHECKINS_7D].to_numpy(),
            }
        )
        if kept is not None:  # typed as computed rows are (pandas makes texts "str")
            types = {c: "str" if c in TEXT else made[c].dtype for c in made.columns}
            made = pd.concat([kept[COLUMNS[:-1]].astype(types), made.astype(types)])
        order = [Out.REGION_CODE, Out.DATE, CATEGORY]
        parts.append(made.sort_values(order, ignore_index=True))
    if parts:
        out = pd.concat(parts, ignore_index=True)
    else:
        out = pd.DataFrame({c: pd.Series(dtype=object if c in TEXT else float) for c in COLUMNS})
        out[Out.DATE] = out[Out.DATE].astype("datetime64[s]")
    out[Out.EXPOSED_PCT_7D] = 100 * out[Out.EXPOSED_CHECKINS_7D] / out[Out.CHECKINS_7D]
    return out[COLUMNS]


def breakdown(build_path: str | Path, day: dt.date, region_code: str | None) -> pd.DataFrame:
    """Check-ins by venue category in a region (``None``: Indonesia) in the 7 days to ``day``.

    Officials only. Columns ``category, checkins_7d, exposed_checkins_7d, exposed_pct_7d``,
    most check-ins first; empty when the build has no check-ins there (or no such table).
    """
    path = Path(build_path) / FILE
    columns = [CATEGORY, Out.CHECKINS_7D, Out.EXPOSED_CHECKINS_7D, Out.EXPOSED_PCT_7D]
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    if region_code is None:
        where = [(Out.REGION_LEVEL, "==", "province")]
    else:
        where = [(Out.REGION_CODE, "==", region_code)]
    rows = pd.read_parquet(path, filters=[*where, (Out.DATE, "==", pd.Timestamp(day))])
    sums = rows.groupby(CATEGORY, sort=True)[[Out.CHECKINS_7D, Out.EXPOSED_CHECKINS_7D]].sum()
    sums[Out.EXPOSED_PCT_7D] = 100 * sums[Out.EXPOSED_CHECKINS_7D] / sums[Out.CHECKINS_7D]
    sums = sums.reset_index().sort_values(
        [Out.CHECKINS_7D, CATEGORY], ascending=[False, True], ignore_index=True
    )
    return sums[columns]
