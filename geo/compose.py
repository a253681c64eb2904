"""Region-coded counts kept at their region, composed into cells when a view reads them.

A case known only by its region code is not spread over the region's cells per day in the
build (billions of cell-days for a national feed): the build keeps the windowed counts of each
allocation *target* (the region, or its nearest ancestor with cells: :func:`geo.allocate.targets`)
in ``allocated_daily.parquet``. Windows are linear, so a cell's windowed count is its own located
events' plus, for every target covering it, the target's windowed count times the cell's weight
(its population share of the target, :func:`geo.allocate.weights`): the same figures as
allocating every day first, with the targets' totals kept exactly at every resolution.

On read, :func:`compose` adds the allocated part to the materialised rows of a view (cells with
located events) and the cells that hold only allocated cases, re-scores them with the build's
rules and marks cells without a report in the window as ``no_data`` (:mod:`geo.coverage`).
Small-number protection reads the exact 7-day count of the regions a cell's cases came from
(``cases_7d_exact``). Hotspots (Gi*) stay those of the located events: a region-coded count
spread by population has no place inside its region to be hot at.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo import allocate, cells, coverage, hotspots, reference
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, Out
from geo.metrics import ratios, windows
from geo.population import LEVEL_INDEX, Grid, grids
from geo.risk import score

if TYPE_CHECKING:
    from geo.buildread import Build

#: The build's windowed counts of each allocation target.
ALLOCATED = "allocated_daily.parquet"
#: The build's report days (``region_code, date``; :func:`geo.coverage.report_days`).
REPORTS = "reports.parquet"
TARGET = "target_code"
#: Windowed counts a target keeps; each is spread over cells by weight.
SPREAD = (Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D)
ALLOCATED_COLUMNS = [TARGET, Out.DATE, *SPREAD]


def target_windows(coded: pd.DataFrame, grid: Grid, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Windowed counts per allocation target and day (the build's ``allocated_daily``).

    Parameters
    ----------
    coded
        ``region_code, date, cases``: region-coded case counts.
    grid
        The base grid (which regions have cells).
    start, end
        The build's period.
    """
    target_of = allocate.targets(sorted(coded["region_code"].astype(str).unique()), grid)
    keys = coded["region_code"].astype(str).map(target_of)
    kept = coded[keys.notna().to_numpy()]
    events = pd.DataFrame(
        {
            "key": keys.dropna().to_numpy(dtype=object),
            "date": kept["date"].to_numpy(),
            "cases": kept["cases"].to_numpy(dtype=float),
            "alloc": 0.0,
            "checkins": 0.0,
            "exposed": 0.0,
        }
    )
    if events.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in ALLOCATED_COLUMNS}).astype(
            {TARGET: str, Out.DATE: "datetime64[s]"}
        )
    table = windows(events, start=start, end=end)
    return table.rename(columns={"key": TARGET})[ALLOCATED_COLUMNS]


@functools.lru_cache(maxsize=4)
def _allocated(build: Build) -> pd.DataFrame:
    """The build's target rows (empty for a build without region-coded cases)."""
    path = build.path / ALLOCATED
    if not path.is_file():
        return pd.DataFrame(columns=ALLOCATED_COLUMNS)
    table = pd.read_parquet(path)
    table[TARGET] = table[TARGET].astype(str)
    table["target"] = reference.regions().index.get_indexer(table[TARGET]).astype(np.int32)
    return table


@functools.lru_cache(maxsize=4)
def reports(build: Build) -> pd.DataFrame:
    """The build's report days (``region_code, date``)."""
    path = build.path / REPORTS
    if not path.is_file():
        return pd.DataFrame({"region_code": pd.Series(dtype=str), "date": pd.Series(dtype="M8[s]")})
    return pd.read_parquet(path)


@functools.lru_cache(maxsize=4)
def _reported(build: Build) -> dict[str, np.ndarray]:
    """Per reported code, its report days among the build's."""
    dates = pd.DatetimeIndex(build.dates).astype("datetime64[s]")
    return coverage.reported_days(reports(build), dates)


def _grids(build: Build) -> dict[int, Grid]:
    return grids(tuple(build.config.cells.resolutions))


def grid_of(build: Build, resolution: int) -> Grid:
    """The population grid of the build at ``resolution`` (read once per process)."""
    return _grids(build)[resolution]


@functools.lru_cache(maxsize=8)
def weights_at(build: Build, resolution: int) -> pd.DataFrame:
    """The cells' weights of every target of the build at ``resolution``, sorted by cell."""
    codes = sorted(_allocated(build)[TARGET].unique())
    base = _grids(build)[build.config.cells.resolutions[0]]
    return allocate.weights(base, codes, resolution)


def view_cells(build: Build, region_code: str | None, resolution: int) -> np.ndarray:
    """The cells of ``resolution`` whose region (the one holding most people) is ``region_code``."""
    grid = _grids(build)[resolution]
    ids = grid.table[Out.CELL].to_numpy()
    if region_code is None:
        return ids
    level = len(region_code.split(".")) - 1
    pos = reference.regions().index.get_loc(region_code)
    return ids[grid.table[LEVEL_INDEX[min(level, 3)]].to_numpy() == pos]


def _spread(
    build: Build, candidates: np.ndarray, resolution: int, days: list[dt.date]
) -> pd.DataFrame | None:
    """Allocated counts per (cell, date) of ``candidates`` on ``days``, with exact counts."""
    table = weights_at(build, resolution)
    keys = table["cell"].to_numpy()
    lo = np.searchsorted(keys, candidates, "left")
    hi = np.searchsorted(keys, candidates, "right")
    counts = hi - lo
    rows = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
    w = table.iloc[rows]
    stamps = pd.DatetimeIndex([pd.Timestamp(d) for d in days]).astype("datetime64[s]")
    target_rows = _allocated(build)
    target_rows = target_rows[target_rows[Out.DATE].isin(stamps)]
    joined = w.merge(target_rows.drop(columns=TARGET), on="target", how="inner")
    if joined.empty:
        return None
    weight = joined["weight"].to_numpy()
    out = pd.DataFrame({"key": joined["cell"].to_numpy(), Out.DATE: joined[Out.DATE].to_numpy()})
    for column in SPREAD:
        out[column] = joined[column].to_numpy(dtype=float) * weight
    out[Out.CASES_7D_EXACT] = np.where(weight > 0, joined[Out.CASES_7D].to_numpy(dtype=float), 0.0)
    summed = out.groupby(["key", Out.DATE], sort=True).sum().reset_index()
    return summed[(summed[Out.CASES_14D] > 0) | (summed[Out.NEW_CASES] > 0)]


def _merged(own: pd.DataFrame, spread: pd.DataFrame | None) -> pd.DataFrame:
    """Own rows and allocated counts on one index ``(key, date)``, counts added."""
    own = own.assign(key=cells.from_strings(own[Out.CELL].astype(str).to_numpy()))
    own[Out.CASES_7D_EXACT] = own[Out.CASES_7D].to_numpy(dtype=float)
    table = own.set_index(["key", Out.DATE])
    if spread is None or spread.empty:
        return table
    alloc = spread.set_index(["key", Out.DATE])
    every = table.index.union(alloc.index)
    table = table.reindex(every)
    for column in (*COUNT_METRICS, Out.CASES_7D_EXACT):
        table[column] = table[column].to_numpy(dtype=float)
        table[column] = table[column].fillna(0.0)
    for column in (*SPREAD, Out.CASES_7D_EXACT):
        table[column] += alloc[column].reindex(every).fillna(0.0).to_numpy()
    table[Out.NEW_CASES_ALLOCATED] += alloc[Out.NEW_CASES].reindex(every).fillna(0.0).to_numpy()
    return table


def _attributes(table: pd.DataFrame, grid: Grid) -> pd.DataFrame:
    """Cell, population and regions of the rows that hold only allocated cases."""
    table = table.reset_index()
    for column in table.columns:
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            table[column] = table[column].astype(object)
    fresh = table[Out.CELL].isna().to_numpy()
    if fresh.any():
        keys = table.loc[fresh, "key"].to_numpy(dtype=np.uint64)
        attrs = grid.attributes(grid.lookup(keys))
        table.loc[fresh, Out.CELL] = cells.to_strings(keys)
        table.loc[fresh, Out.RESOLUTION] = grid.resolution
        for column in attrs.columns:
            if column in table:
                values = attrs[column]
                if values.dtype.kind != "f":
                    values = values.astype(object)
                    table[column] = table[column].astype(object)
                table.loc[fresh, column] = values.to_numpy()
        table.loc[fresh, Out.HOTSPOT] = hotspots.NONE
    table[Out.RESOLUTION] = table[Out.RESOLUTION].astype(np.int8)
    return table


def mark_coverage(build: Build, table: pd.DataFrame) -> pd.DataFrame:
    """Add ``covered`` and ``last_report`` to cell rows; uncovered rows become ``no_data``."""
    finest = np.full(len(table), "", dtype=object)
    for column in reversed(LEVEL_COLUMNS.values()):  # the village first
        if column in table:
            values = table[column].astype(object).to_numpy()
            finest = np.where((finest == "") & pd.notna(values), values, finest)
    dates = pd.DatetimeIndex(build.dates).astype("datetime64[s]")
    codes, inverse = np.unique(finest.astype(str), return_inverse=True)
    covered, last = coverage.coverage(_reported(build), list(codes), dates, from_below=False)
    day = dates.get_indexer(pd.DatetimeIndex(table[Out.DATE]).astype("datetime64[s]"))
    known = (codes[inverse] != "") & (day >= 0)
    table[Out.COVERED] = np.where(known, covered[inverse, np.maximum(day, 0)], True)
    table[Out.LAST_REPORT] = np.where(
        known, last[inverse, np.maximum(day, 0)], np.datetime64("NaT")
    )
    silent = ~table[Out.COVERED].to_numpy(dtype=bool)
    silent &= table[Out.RISK].astype(str).to_numpy() != "no_data"  # keeps a reason it has
    if silent.any():
        table[Out.RISK] = table[Out.RISK].astype(object)
        table[Out.RISK_REASON] = table[Out.RISK_REASON].astype(object)
        table.loc[silent, Out.RISK] = "no_data"
        table.loc[silent, Out.RISK_REASON] = coverage.no_report_reasons(
            table.loc[silent, Out.LAST_REPORT].to_numpy(), "en"
        )
        table.loc[silent, Out.RISK_METRIC] = None
    return table


def compose(
    build: Build,
    own: pd.DataFrame,
    resolution: int,
    days: list[dt.date],
    candidates: np.ndarray,
) -> pd.DataFrame:
    """The rows of ``candidates`` on ``days``: own events plus their share of allocated counts.

    Parameters
    ----------
    build
        The open build.
    own
        The materialised rows (``cells_daily``) of the candidates on those days.
    resolution
        The cells' resolution.
    days
        The days wanted.
    candidates
        The cells of the view (``uint64``, sorted): those with allocated cases get a row.

    Returns
    -------
    DataFrame
        Rows as ``cells_daily``'s, plus ``cases_7d_exact``, ``covered`` and ``last_report``,
        scored with the build's rules, sorted by date and cell.
    """
    spread = None
    if not _allocated(build).empty:
        spread = _spread(build, np.unique(candidates), resolution, days)
    columns = [*own.columns, Out.CASES_7D_EXACT, Out.COVERED, Out.LAST_REPORT]
    table = _attributes(_merged(own, spread), _grids(build)[resolution])
    if table.empty:
        empty = {Out.COVERED: pd.Series(dtype=bool), Out.LAST_REPORT: pd.Series(dtype="M8[s]")}
        return table.assign(**empty)[columns]
    ratios(table)
    score(table, build.config)
    mark_coverage(build, table)
    return table[columns].sort_values([Out.DATE, Out.CELL], ignore_index=True)


@functools.lru_cache(maxsize=256)
def allocated_cells(build: Build, region_code: str, resolution: int) -> int:
    """How many cells of ``region_code`` at ``resolution`` a target of the build covers (the
    cells that may hold allocated cases; each counted by the regions holding most of its people)."""
    positions = np.unique(_allocated(build)["target"].to_numpy())
    if not positions.size:
        return 0
    table = grid_of(build, resolution).table
    level = min(len(region_code.split(".")) - 1, 3)
    pos = reference.regions().index.get_loc(region_code)
    in_view = table[LEVEL_INDEX[level]].to_numpy() == pos
    covered = np.zeros(int(in_view.sum()), dtype=bool)
    for idx_col in LEVEL_INDEX:
        covered |= np.isin(table[idx_col].to_numpy()[in_view], positions)
    return int(covered.sum())


def population_sources(build: Build, cell_ids: list[str], resolution: int) -> pd.Series:
    """Where each cell's population came from (:data:`geo.population.SOURCES`), from the grid.

    ``cells.parquet`` says it for the cells with located events; a cell that holds only its share
    of region-coded counts is composed on read, and this says it for any cell of the build.
    """
    grid = _grids(build)[resolution]
    attrs = grid.attributes(grid.lookup(cells.from_strings(cell_ids)))
    values = attrs[Out.POPULATION_SOURCE].astype(object).to_numpy()
    return pd.Series(values, index=cell_ids, name=Out.POPULATION_SOURCE)
