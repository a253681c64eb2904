"""Reading a build: open it, and read the rows of one view (cells or regions, on a day).

Only the row groups of the requested resolution and date are read (:func:`day_stamp` is the
date as the Parquet files store it). Rows are coloured by the build's configuration
(:func:`scored`, when it is not the one the build was scored with: :mod:`geo.reclassify`);
reasons are rendered in the reader's language, and the public reads published figures
(:mod:`geo.privacy`). What a page shows is composed from these in :mod:`geo.views`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from geo import cells, compose, coverage, rollup
from geo.columns import LEVEL_COLUMNS, LEVELS, Out
from geo.config import Config
from geo.errors import BuildError
from geo.privacy import OFFICIAL, check_audience, display_published, display_rate, public_frame
from geo.risk import classify, public_reasons, reasons, rescore
from geo.store import read_manifest

FILES = ("manifest.json", "config.json", "cells_daily.parquet", "regions_daily.parquet")


NO_REPORTS = {
    "en": rollup.NO_REPORTS,
    "id": "tidak ada data: tidak ada laporan dari wilayah ini selama periode build",
}


@dataclass(frozen=True, eq=False)
class Build:
    """A build opened for reading: its manifest, configuration, dates and static regions."""

    path: Path
    manifest: dict
    config: Config
    dates: tuple[dt.date, ...]
    regions: pd.DataFrame
    #: ``config`` is not the rules the build was scored with: colours are recomputed on read.
    rescore: bool = False

    @property
    def min_count(self) -> int:
        """The privacy threshold ``k``."""
        return self.config.privacy.min_count


def open_build(path: str | Path) -> Build:
    """Open the build at ``path``; a :class:`BuildError` with one sentence when there is none.

    Parameters
    ----------
    path
        The build directory (or the link to its current version).
    """
    path = Path(path)
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        msg = f"There is no complete PantauZona build at {path} (missing {', '.join(missing)})."
        raise BuildError(msg)
    manifest = read_manifest(path)
    config = Config.model_validate_json((path / "config.json").read_text(encoding="utf-8"))
    start, end = (dt.date.fromisoformat(d) for d in manifest["date_range"])
    dates = tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    table = pd.read_parquet(path / "regions.parquet")
    table = table.set_index(Out.REGION_CODE, drop=False)
    return Build(path=path.resolve(), manifest=manifest, config=config, dates=dates, regions=table)


def level_of(build: Build, code: str) -> str:
    """The level of a region of the build; :class:`KeyError` for an unknown code."""
    return str(build.regions.loc[code, Out.REGION_LEVEL])


def children_of(build: Build, parent_code: str | None) -> pd.DataFrame:
    """Static rows of the regions directly below ``parent_code`` (provinces for ``None``)."""
    table = build.regions
    if parent_code is None:
        return table[table[Out.REGION_LEVEL] == "province"]
    return table[table["parent_code"] == parent_code]


def child_level(build: Build, region_code: str) -> str | None:
    level = level_of(build, region_code)
    if level == "village" or not len(children_of(build, region_code)):
        return None
    return LEVELS[LEVELS.index(level) + 1]


def scored(build: Build, table: pd.DataFrame) -> pd.DataFrame:
    """The rows as ``build.config`` colours them (see :mod:`geo.reclassify`)."""
    if not build.rescore or table.empty:
        return table
    table = rescore(table, build.config)
    if "reporting" in table:  # as the build: a region without any report has no data
        silent = ~table["reporting"].fillna(True).to_numpy(dtype=bool)
        table.loc[silent, Out.RISK] = "no_data"
    if Out.COVERED in table:  # nor has one without a report in the window
        table.loc[~table[Out.COVERED].fillna(True).to_numpy(dtype=bool), Out.RISK] = "no_data"
    return table


def day_stamp(day: dt.date) -> pa.Scalar:
    return pa.scalar(dt.datetime(day.year, day.month, day.day), type=pa.timestamp("ms"))


def cells_in(build: Build, day: dt.date, region_code: str | None, resolution: int) -> pd.DataFrame:
    """The cells of ``region_code`` with a case in 14 days or other activity on ``day`` at
    ``resolution`` (all columns): own events and their share of region-coded counts
    (:func:`geo.compose.compose`), scored with ``build.config``.

    Only the row groups whose statistics admit the resolution and date are read.
    """
    where = (pc.field(Out.RESOLUTION) == resolution) & (pc.field(Out.DATE) == day_stamp(day))
    if region_code is not None:
        where &= pc.field(LEVEL_COLUMNS[level_of(build, region_code)]) == region_code
    dataset = ds.dataset(build.path / "cells_daily.parquet")
    own = dataset.to_table(filter=where).to_pandas()
    candidates = compose.view_cells(build, region_code, resolution)
    return compose.compose(build, own, resolution, [day], candidates)


def regions_daily(build: Build, where: pc.Expression) -> pd.DataFrame:
    frame = ds.dataset(build.path / "regions_daily.parquet").to_table(filter=where).to_pandas()
    names = build.regions["name"]
    frame.insert(1, "name", names.reindex(frame[Out.REGION_CODE]).to_numpy())
    frame["reporting"] = build.regions["reporting"].reindex(frame[Out.REGION_CODE]).to_numpy()
    return scored(build, frame).sort_values([Out.REGION_CODE, Out.DATE], ignore_index=True)


def regions_on(build: Build, day: dt.date, parent_code: str | None) -> pd.DataFrame:
    """The children of ``parent_code`` (provinces for ``None``) on ``day``, with their names."""
    codes = children_of(build, parent_code)[Out.REGION_CODE].tolist()
    where = (pc.field(Out.DATE) == day_stamp(day)) & pc.field(Out.REGION_CODE).isin(
        pa.array(codes, type=pa.string())
    )
    return regions_daily(build, where)


def region_rows(build: Build, codes: list[str], day: dt.date | None = None) -> pd.DataFrame:
    """Rows of ``regions_daily`` for ``codes`` (every date, or only ``day``)."""
    where = pc.field(Out.REGION_CODE).isin(pa.array(codes, type=pa.string()))
    if day is not None:
        where &= pc.field(Out.DATE) == day_stamp(day)
    return regions_daily(build, where)


def cell_rows(build: Build, cell: str, days: list[dt.date]) -> pd.DataFrame:
    """Rows of ``cells_daily`` for one hexagon on ``days`` (sorted by date)."""
    stamps = pa.array([dt.datetime(d.year, d.month, d.day) for d in days], type=pa.timestamp("ms"))
    where = (pc.field(Out.CELL) == cell) & pc.field(Out.DATE).isin(stamps)
    own = ds.dataset(build.path / "cells_daily.parquet").to_table(filter=where).to_pandas()
    candidates = cells.from_strings([cell])
    table = compose.compose(build, own, cells.resolution_of(cell), days, candidates)
    return table.sort_values(Out.DATE, ignore_index=True)


def render_reasons(build: Build, table: pd.DataFrame, *, audience: str, lang: str) -> np.ndarray:
    """The reason for each row's colour in ``lang``: the rule's for officials, the colour and
    the published figures for the public (:func:`geo.risk.public_reasons`)."""
    if table.empty:
        return np.empty(0, dtype=object)
    classes = classify(table, build.config)
    if check_audience(audience) == OFFICIAL:
        texts = np.asarray(reasons(table, classes, build.config, lang=lang))
    else:
        shown = public_frame(table, build.config.privacy)
        cases = [display_published(v, build.min_count, lang=lang) for v in shown[Out.CASES_7D]]
        rates = [display_rate(v, lang=lang) for v in shown[Out.CASES_PER_100K_7D]]
        texts = public_reasons(classes, cases, rates, lang=lang)
    if "reporting" in table:
        silent = ~table["reporting"].fillna(True).to_numpy(dtype=bool)
        texts = np.where(silent, NO_REPORTS[lang], texts)
    if Out.COVERED in table:  # as the build: a zone with no data for another reason keeps it
        silent = ~table[Out.COVERED].fillna(True).to_numpy(dtype=bool)
        silent &= classes[Out.RISK].astype(str).to_numpy() != "no_data"
        if "reporting" in table:
            silent &= table["reporting"].fillna(True).to_numpy(dtype=bool)
        texts = np.asarray(texts, dtype=object).copy()
        texts[silent] = coverage.no_report_reasons(
            table.loc[silent, Out.LAST_REPORT].to_numpy(), lang
        )
    return texts


def counts_for(
    row: pd.Series | dict, *, audience: str, k: int, lang: str = "en"
) -> dict[str, str | float | None]:
    """The figures of one zone that ``audience`` may read (strings for the public).

    For the public, ``row`` must be a row of :func:`geo.privacy.public_frame` (published
    values); for officials, a row of the build.
    """
    cases = float(row[Out.CASES_7D])
    rate = float(row[Out.CASES_PER_100K_7D])
    if check_audience(audience) == OFFICIAL:
        return {
            "cases_7d": cases,
            "cases_per_100k_7d": None if np.isnan(rate) else round(rate, 1),
            "checkins_7d": float(row[Out.CHECKINS_7D]),
            "exposed_checkins_7d": float(row[Out.EXPOSED_CHECKINS_7D]),
        }
    return {
        "cases_7d": display_published(cases, k, lang=lang),
        "cases_per_100k_7d": display_rate(rate, lang=lang),
    }


def week_earlier(table: pd.DataFrame) -> dt.date | None:
    """The day 7 days before the rows' date (``None`` for no rows)."""
    if table.empty:
        return None
    return pd.Timestamp(table[Out.DATE].iloc[0]).date() - dt.timedelta(days=7)


def week_before(build: Build, table: pd.DataFrame, *, audience: str) -> np.ndarray:
    """The 7-day cases of each row's zone 7 days before its date, as ``audience`` reads them.

    Parameters
    ----------
    build
        The open build.
    table
        Rows of one date: cells of one resolution (``cell``) or regions (``region_code``).
    audience
        ``"public"`` (published counts, NaN where hidden) or ``"official"``.

    Returns
    -------
    numpy.ndarray
        One float per row: 0 for a hexagon without a row then (it had no activity), NaN
        where the day is before the build's first or the count is hidden from ``audience``.
    """
    if table.empty:
        return np.empty(0)
    day = week_earlier(table)
    assert day is not None  # the table has rows
    if Out.CELL in table:
        keys = table[Out.CELL].astype(str)
        where = (pc.field(Out.DATE) == day_stamp(day)) & pc.field(Out.CELL).isin(
            pa.array(keys.unique().tolist(), type=pa.string())
        )
        resolution = int(table[Out.RESOLUTION].iloc[0])
        where &= pc.field(Out.RESOLUTION) == resolution
        before = ds.dataset(build.path / "cells_daily.parquet").to_table(filter=where).to_pandas()
        if day in build.dates:  # with their share of region-coded counts, as the map read them
            wanted = cells.from_strings(keys.unique().tolist())
            before = compose.compose(build, before, resolution, [day], wanted)
    else:
        keys = table[Out.REGION_CODE].astype(str)
        before = region_rows(build, keys.unique().tolist(), day)
    if Out.CELL in table and day in build.dates:  # a hexagon without a row was quiet: 0 cases
        quiet = keys[~keys.isin(before[Out.CELL].astype(str))].unique()
        zeros = pd.DataFrame({Out.CELL: quiet, Out.CASES_7D: 0.0})
        before = pd.concat([before[[Out.CELL, Out.CASES_7D]], zeros], ignore_index=True)
    if audience != OFFICIAL:
        before = public_frame(before, build.config.privacy)
    key = Out.CELL if Out.CELL in table else Out.REGION_CODE
    cases = before.set_index(before[key].astype(str))[Out.CASES_7D]
    return cases.reindex(keys.to_numpy()).to_numpy(float)
