"""The build: validated inputs in, scored cells and regions out, written atomically.

Data flows one way: read and validate → index points into cells → spread region-coded cases →
count exposures → window per day → score → roll up to regions → store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import os
import shutil
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import (
    __version__,
    categories,
    cells,
    completeness,
    compose,
    coverage,
    editions,
    filemodes,
    hotspots,
    incremental,
    reference,
    store,
)
from geo import engine as engines
from geo import shares as colour_shares
from geo.batches import read_batches
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, RATIO_METRICS, Out
from geo.config import Config, InputWindow, load_config
from geo.counts import case_counts
from geo.cumulative import CORRECTIONS_FILE
from geo.errors import BuildError
from geo.ingest import StagedCheckins, scratch_folder, stage_checkins
from geo.metrics import BASELINE_DAYS, Daily, windows
from geo.metrics import ratios as add_ratios
from geo.population import Grid, grids
from geo.readers import read_input
from geo.regions import codes_of
from geo.risk import classify, reasons, score
from geo.rollup import (
    EVENT_COUNTS,
    below_targets,
    mark_coverage,
    region_events,
    region_table,
    regions_daily,
    shared_windows,
    with_shared,
)
from geo.rowsource import VENUE_DAY_COLUMNS, FrameRows, RowSource, reach
from geo.safetext import to_csv as safe_csv
from geo.validate import (
    CHECKIN_COLUMNS,
    QUARANTINE_COLUMNS,
    VENUE_COLUMNS,
    Checked,
    daily_of_cumulative,
    plausible,
    read_cases,
    validate_cases,
    validate_venues,
)

logger = logging.getLogger(__name__)

Step = Callable[[str, int, int], None]
STEPS = (
    "reading inputs",
    "validating rows",
    "check-ins and exposure",
    "population grid",
    "indexing cells",
    "cell metrics",
    "region metrics",
    "writing",
)
#: The fields cells and regions share, in table order: the date, the daily metrics and the
#: colour with its reason.
DAILY_FIELDS = [
    pa.field(Out.DATE, pa.timestamp("s")),
    *(pa.field(c, pa.float64()) for c in (*COUNT_METRICS, Out.POPULATION, *RATIO_METRICS)),
    *(pa.field(c, pa.string()) for c in (Out.RISK, Out.RISK_REASON, Out.RISK_METRIC)),
]
CELL_SCHEMA = pa.schema(
    [
        pa.field(Out.CELL, pa.string()),
        pa.field(Out.RESOLUTION, pa.int8()),
        *DAILY_FIELDS,
        *(pa.field(c, pa.string()) for c in LEVEL_COLUMNS.values()),
        pa.field(Out.HOTSPOT, pa.string()),
        pa.field(Out.HOTSPOT_Z, pa.float64()),
        pa.field(Out.HOTSPOT_P, pa.float64()),
    ]
)

REGION_SCHEMA = pa.schema(
    [
        pa.field(Out.REGION_CODE, pa.string()),
        pa.field(Out.REGION_LEVEL, pa.string()),
        *DAILY_FIELDS,
        *(
            pa.field(c, pa.float64())
            for c in (
                Out.SHARE_RED,
                Out.SHARE_ORANGE,
                Out.SHARE_GREEN,
                Out.SHARE_NO_DATA,
                Out.SHARE_HOT,
            )
        ),
        pa.field(Out.COVERED, pa.bool_()),
        pa.field(Out.LAST_REPORT, pa.timestamp("s")),
        pa.field(Out.CASES_7D_EXACT, pa.float64()),
    ]
)
#: Regions per part (row group) of ``regions_daily``.
REGION_BLOCK = 250
#: Region-days computed at once, in whole parts: memory follows a block of regions, not the whole
#: dense table (14 k regions x the days of the build), and a short build is not paid per part.
REGION_ROWS = 250_000


def _region_block(days: int) -> int:
    """Regions computed at once: whole parts of :data:`REGION_BLOCK`, about
    :data:`REGION_ROWS` region-days (one part at least)."""
    return REGION_BLOCK * max(1, REGION_ROWS // (REGION_BLOCK * max(days, 1)))


@dataclass
class Inputs:
    """Validated inputs of one build; with ``staged`` the accepted check-ins are on disk
    (:mod:`geo.ingest`) and ``checkins.accepted`` is empty."""

    cases: Checked
    checkins: Checked | None
    venues: Checked | None
    staged: StagedCheckins | None = None

    def close(self) -> None:
        """Remove the staged check-ins, if any."""
        if self.staged is not None:
            self.staged.close()

    def __enter__(self) -> Inputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_inputs(
    cases: str | Path,
    checkins: str | Path | None = None,
    venues: str | Path | None = None,
    *,
    today: dt.date | None = None,
    dates: InputWindow | None = None,
    cases_cumulative: bool = False,
    codes: str | None = None,
) -> Inputs:
    """Read and validate the inputs; a file refused whole raises before anything is written.

    Rows dated outside ``dates`` (the configuration's plausible window, never after ``today``)
    are quarantined, so the build's period spans accepted rows only. With ``cases_cumulative``
    the cases file holds running totals, turned into new cases per day (:mod:`geo.cumulative`).
    ``codes``: the edition of its region codes (``"2020"``, ``"2025"``, ``None``: detected);
    2020 codes are translated to 2025 after that (:mod:`geo.editions`). Check-ins are staged
    on disk (``Inputs.staged``, read through :func:`row_source`): close the inputs after use.
    """
    window = plausible(dates, today=today)
    if (checkins is None) != (venues is None):
        msg = "Check-ins need their venues: give both --checkins and --venues, or neither."
        raise BuildError(msg)
    # Every file is read, or opened, (and may be refused) before any row is validated; the
    # check-ins are validated in batches and staged on disk by date (geo.ingest).
    raw_venues = read_input(venues, VENUE_COLUMNS, label="venues") if venues else None
    raw_checkins = read_batches(checkins, CHECKIN_COLUMNS, label="check-ins") if checkins else None
    raw_cases = read_cases(cases, cumulative=cases_cumulative)
    checked_venues = validate_venues(raw_venues) if raw_venues else None
    checked_checkins = staged = None
    if raw_checkins is not None and checked_venues is not None:
        checked_checkins, staged = stage_checkins(
            raw_checkins, checked_venues.accepted, window=window
        )
    try:
        checked_cases = validate_cases(raw_cases, window=window, codes=codes)
        if cases_cumulative:
            checked_cases = daily_of_cumulative(checked_cases)
        checked_cases = editions.translate(checked_cases)
    except BaseException:
        if staged is not None:
            staged.close()
        raise
    return Inputs(checked_cases, checked_checkins, checked_venues, staged)


def row_source(inputs: Inputs, config: Config) -> RowSource:
    """The rows a build reads by date range: the staged check-ins (:mod:`geo.ingest`), linked
    to the accepted cases by ``config``'s exposure rules, when :func:`read_inputs` staged them;
    else the validated frames in memory (:class:`geo.rowsource.FrameRows`)."""
    if inputs.staged is None:
        return FrameRows(inputs, config)
    inputs.staged.attach(inputs.cases.accepted, config.exposure)
    return inputs.staged


def _date_range(rows: RowSource, inputs: Inputs, out: Path) -> tuple[dt.date, dt.date]:
    """The first and last day of the accepted rows; none accepted refuses the build."""
    period = rows.date_range()
    if period is None:
        raise _nothing_accepted(inputs, out)
    return period


def _quarantine(inputs: Inputs) -> pd.DataFrame:
    checked = (inputs.venues, inputs.checkins, inputs.cases)
    parts = [c.quarantine for c in checked if c is not None]
    return pd.concat(parts, ignore_index=True)[QUARANTINE_COLUMNS]


def refused_quarantine(out: str | Path) -> Path:
    """Where a build refused for want of accepted rows leaves its quarantine: beside ``out``."""
    out = Path(out)
    return out.parent / f"{out.name}.quarantine.csv"


def _nothing_accepted(inputs: Inputs, out: Path) -> BuildError:
    """The refusal of a build without accepted rows, its quarantine written beside ``out``."""
    quarantine = _quarantine(inputs)
    if quarantine.empty:
        msg = "The input files hold no rows (only their headers), so there is nothing to build."
        return BuildError(msg)
    path = refused_quarantine(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(safe_csv(quarantine))
        filemodes.secure(path)
    except OSError as exc:
        return BuildError(store.write_failure(exc, path))
    msg = (
        f"No input row was accepted, so there is nothing to build; the {len(quarantine):,} "
        f"quarantined rows and why they were refused are in {path}."
    )
    return BuildError(msg)


def _venue_days(
    rows: RowSource, period: tuple[dt.date, dt.date], reuse: incremental.VenuePlan
) -> pd.DataFrame:
    """Check-ins and exposed check-ins per venue and day (``venue_id, date, checkins,
    exposed``): those before ``reuse.first`` read from the previous version, the others
    computed from the check-ins."""
    start, end = period
    old = reuse.rows()
    first = max(start, reuse.first) if old is not None and reuse.first else start
    parts = [] if old is None else [old]
    if first <= end or not parts:
        parts.append(rows.venue_days(first, end))
    every = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return every[VENUE_DAY_COLUMNS]


def _venue_events(rows: RowSource, config: Config, per_venue: pd.DataFrame) -> pd.DataFrame:
    """Check-ins and exposed check-ins per venue and day (``cell, poly, category, date, ...``)."""
    venues = rows.venues()
    res = config.base_resolution
    venue_cells = cells.points_to_cells(venues["lat"].to_numpy(), venues["lon"].to_numpy(), res)
    venue_at = pd.DataFrame(
        {
            "venue_id": venues["venue_id"],
            "cell": venue_cells,
            "poly": venues["poly"],
            "category": venues["category"],
        }
    )
    return per_venue.merge(venue_at, on="venue_id", how="inner").drop(columns="venue_id")


def _base_events(
    inputs: Inputs, config: Config, venue_events: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Located events per base cell (``cell, poly, date, cases, alloc, checkins, exposed``) and
    the region-coded case counts (``region_code, date, cases``), kept at their region
    (:mod:`geo.compose`)."""
    res = config.base_resolution
    cases = inputs.cases.accepted.assign(cases=case_counts(inputs.cases.accepted))
    located = cases[cases["poly"] >= 0]
    point_cells = cells.points_to_cells(located["lat"].to_numpy(), located["lon"].to_numpy(), res)
    parts = [
        pd.DataFrame(
            {
                "cell": point_cells,
                "poly": located["poly"].to_numpy(),
                "date": located["date"].to_numpy(),
                "cases": located["cases"].to_numpy(),
            }
        )
        .groupby(["cell", "poly", "date"], sort=True)["cases"]
        .sum()
        .reset_index()
    ]
    coded = cases[cases["poly"] < 0].groupby(["region_code", "date"], sort=True)["cases"].sum()
    coded = coded.reset_index()
    if venue_events is not None:
        parts.append(venue_events)
    events = pd.concat(parts, ignore_index=True)
    for column in ("cases", "alloc", "checkins", "exposed"):
        events[column] = events[column].astype(float).fillna(0.0) if column in events else 0.0
    events["cell"] = events["cell"].astype(np.uint64)
    events["poly"] = events["poly"].astype(np.int64)
    return events, coded


def _cell_attributes(keys: np.ndarray, polys: pd.Series, grid: Grid) -> pd.DataFrame:
    """Population and region codes per cell; cells outside the grid take the region of their
    events (``polys``: the smallest finest-polygon index per cell key)."""
    attrs = grid.attributes(grid.lookup(keys))
    outside = np.flatnonzero(attrs[Out.POPULATION_SOURCE].isna().to_numpy())
    if outside.size:
        fallback = codes_of(polys.reindex(keys[outside]).fillna(-1).astype(int).to_numpy())
        for column in LEVEL_COLUMNS.values():
            attrs.loc[outside, column] = fallback[column].to_numpy()
    return attrs


def _event_polys(keyed: pd.DataFrame) -> pd.Series:
    """The smallest finest-polygon index of each cell key's located events."""
    located = keyed[keyed["poly"].to_numpy() >= 0]
    return located.groupby("key", sort=True)["poly"].min()


def _expand(values: pd.Series, inverse: np.ndarray) -> pd.Categorical | np.ndarray:
    """Per-row values from per-cell values; text becomes a categorical (stored once per value)."""
    if values.dtype.kind == "f":
        return values.to_numpy()[inverse]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()[inverse]
        return pd.Categorical.from_codes(codes, dtype=values.dtype)
    codes, labels = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    return pd.Categorical.from_codes(codes[inverse], categories=np.asarray(labels, dtype=object))


#: Days of cell rows computed at once: memory follows a chunk, not the whole period. Up to three
#: chunks are alive at a time (windowed ahead, scored, being written). Each chunk costs a fixed
#: ~30 ms of scoring and hotspots, so a small build computes 3 days at a time (1 M check-ins
#: over 56 days: 18.9 s, against 25.5 s a day at a time); one of :data:`BUSY_DAY` located events
#: a day or more (national volume: ~130 k) one day at a time, since the events are summed once
#: for every chunk (:class:`geo.metrics.Daily`) and a chunk no longer reads its 34 days of
#: look-back again: at 8 M check-ins a day, a new day's rebuild of 15 days peaks at 2.18 GiB with
#: 1 day (cell metrics 21.8 s), 2.30 GiB with 2 (19.3 s) and 2.75 GiB with 3 (20.2 s).
CHUNK_DAYS = 3
#: Located events a day (cells x polygons with a case or a check-in) from which a chunk is one day.
BUSY_DAY = 50_000
#: The environment variable that sets another number of days a chunk (fewer: less memory).
CHUNK_DAYS_ENV = "PANTAUZONA_CHUNK_DAYS"


def chunk_days(events_per_day: float = 0.0) -> int:
    """The days of a chunk: ``PANTAUZONA_CHUNK_DAYS`` when set (a whole number, 1 or more),
    else 1 for a build of :data:`BUSY_DAY` located events a day or more, else
    :data:`CHUNK_DAYS`."""
    text = os.environ.get(CHUNK_DAYS_ENV, "").strip()
    if not text:
        return 1 if events_per_day >= BUSY_DAY else CHUNK_DAYS
    if not text.isdigit() or int(text) < 1:
        msg = f"{CHUNK_DAYS_ENV} must be a whole number of days, 1 or more (it is {text!r})."
        raise BuildError(msg)
    return int(text)


def _chunks(start: dt.date, end: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    out, first = [], start
    while first <= end:
        last = min(end, first + dt.timedelta(days=days - 1))
        out.append((first, last))
        first = last + dt.timedelta(days=1)
    return out


#: Days of copied cell rows read at once from the previous version.
COPY_DAYS = 3


def _merged(chunks: list[tuple[dt.date, dt.date]], days: int) -> list[tuple[dt.date, dt.date]]:
    """Consecutive chunks joined into chunks of up to ``days`` days (the same days)."""
    out: list[tuple[dt.date, dt.date]] = []
    for first, last in chunks:
        if out and out[-1][1] + dt.timedelta(days=1) == first and (last - out[-1][0]).days < days:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def _busy(chunks: list[tuple[dt.date, dt.date]], dates: pd.Series) -> list[tuple[dt.date, dt.date]]:
    """The chunks whose windows reach an event (the others have no cell row)."""
    days = np.unique(pd.DatetimeIndex(dates).normalize().to_numpy(dtype="datetime64[D]"))
    reach = np.timedelta64(BASELINE_DAYS - 1, "D")
    kept = []
    for first, last in chunks:
        lo = np.searchsorted(days, np.datetime64(first) - reach)
        if lo < len(days) and days[lo] <= np.datetime64(last):
            kept.append((first, last))
    return kept


def _cell_rows(
    table: pd.DataFrame, polys: pd.Series, grid: Grid, config: Config
) -> tuple[pd.DataFrame, np.ndarray]:
    """Scored cell rows from windowed rows, and the cells they hold."""
    uniq, inverse = np.unique(table.pop("key").to_numpy(dtype=np.uint64), return_inverse=True)
    attrs = _cell_attributes(uniq, polys, grid)
    strings = pd.array(cells.to_arrow_strings(uniq), dtype="str")
    table[Out.CELL] = pd.Categorical.from_codes(inverse, categories=pd.Index(strings))
    table[Out.RESOLUTION] = np.int8(grid.resolution)
    for column in attrs.columns:
        table[column] = _expand(attrs[column], inverse)
    add_ratios(table)
    return score(table, config), uniq


def _hotspot_zones(keys: np.ndarray, grid: Grid, config: Config) -> hotspots.Zones:
    """The populated zones among the cells of one resolution, with their Gi* weights."""
    pos = grid.lookup(keys)
    population = np.where(pos >= 0, grid.table[Out.POPULATION].to_numpy()[np.maximum(pos, 0)], 0)
    return hotspots.zones(keys, population, min_population=config.risk.no_data_max_population)


def cell_chunk(
    events: pd.DataFrame,
    config: Config,
    resolution: int,
    days: tuple[dt.date, dt.date, dt.date],
    polys: pd.Series,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Scored cell rows of one resolution and chunk of days, and the cells they hold: one task
    of the Dask engine (:mod:`geo.engine`), on any worker.

    Parameters
    ----------
    events
        Located events (``cell, poly, date, cases, alloc, checkins, exposed``) of at least the
        days the chunk's windows read (``reach(config).back`` days before its first day).
    days
        The build's first day, and the chunk's first and last day.
    polys
        The smallest finest-polygon index of each cell of ``resolution`` over the whole build
        (:func:`_event_polys`).
    """
    grid = grids(tuple(config.cells.resolutions))[resolution]  # loaded once per process
    parent = events["cell"].to_numpy()
    if resolution != config.base_resolution:
        parent = cells.parents(parent, resolution)
    keyed = events.assign(key=parent)
    # A day's zones are its cells with a row: the zones of these events hold them all.
    found = _hotspot_zones(np.unique(parent), grid, config)
    start, first, last = days
    table = windows(keyed, start=start, end=last, first=first)
    hotspots.mark(table, table["key"].to_numpy(dtype=np.uint64), found)
    return _cell_rows(table, polys, grid, config)


#: The name of the thread that computes the next chunk's windows (:func:`_local_rows`).
AHEAD_THREAD = "pantauzona-windows"


def _local_rows(
    keyed: pd.DataFrame,
    universe: np.ndarray,
    polys: pd.Series,
    grid: Grid,
    config: Config,
    days: tuple[dt.date, list[tuple[dt.date, dt.date]]],
) -> Generator[tuple[pd.DataFrame, np.ndarray], None, None]:
    """Scored cell rows of each chunk in turn, in this process (``universe``: the sorted
    cells of ``keyed``).

    The windows of the next chunk, and their hotspots, are computed in a second thread (DuckDB
    and numpy release the GIL) while this one scores the current chunk: the two cores work at once.
    """
    start, chunks = days
    if not chunks:
        return
    found = _hotspot_zones(universe, grid, config)
    since = chunks[0][0] - dt.timedelta(days=BASELINE_DAYS - 1)
    # Once, for every chunk's windows; only the days they read are handed to DuckDB (which
    # would otherwise convert every day of the history to skip it).
    reached = keyed["date"].to_numpy() >= np.datetime64(since)
    summed = Daily(keyed if reached.all() else keyed[reached], since, chunks[-1][1])

    def chunk(i: int) -> pd.DataFrame:
        first, last = chunks[i]
        table = summed.windows(start=start, end=last, first=first)
        # Hotspots need only the windows: marked in this thread, beside the scoring.
        return hotspots.mark(table, table["key"].to_numpy(dtype=np.uint64), found)

    with summed, ThreadPoolExecutor(max_workers=1, thread_name_prefix=AHEAD_THREAD) as ahead:
        pending = ahead.submit(chunk, 0)
        for i in range(len(chunks)):
            table = pending.result()
            if i + 1 < len(chunks):
                pending = ahead.submit(chunk, i + 1)
            yield _cell_rows(table, polys, grid, config)


def _copied_rows(
    plan: incremental.Plan | None, resolution: int, chunks: list[tuple[dt.date, dt.date]]
) -> Generator[tuple[pa.Table, np.ndarray], None, None]:
    """The previous version's cell rows of the chunks the plan copies, a chunk at a time (the
    parts the computed rows would be: the file is the same, byte for byte), read
    :data:`COPY_DAYS` days at a time (one read per day of every resolution costs more than the
    rows: 56 reads for 14 national days). The rows stay Arrow tables: they are written as read,
    and only the columns the region shares need are made frames (:func:`_frame`)."""
    if plan is None:
        return
    for span in _merged(chunks, COPY_DAYS):
        read = plan.rows(resolution, span)
        day = read[Out.DATE].to_numpy()
        ordered = bool(np.all(day[1:] >= day[:-1]))  # as written: a chunk's rows are contiguous
        for first, last in (c for c in chunks if span[0] <= c[0] <= span[1]):
            lo, hi = np.datetime64(first, "s"), np.datetime64(last + dt.timedelta(days=1), "s")
            if ordered:
                at, to = np.searchsorted(day, [lo, hi])
                rows = read.slice(at, to - at)
            else:
                rows = read.filter(pa.array((day >= lo) & (day < hi)))
            if rows.num_rows:
                yield rows, _used_cells(rows[Out.CELL])


def _used_cells(column: pa.ChunkedArray) -> np.ndarray:
    """The cells of a dictionary column of cell strings: each entry used, parsed once (a cell
    in two of the column's chunks comes twice; :class:`_Seen` marks it once)."""
    used = []
    for chunk in column.chunks:
        codes = chunk.indices.to_numpy(zero_copy_only=False)
        seen = np.bincount(codes, minlength=len(chunk.dictionary))
        used.append(chunk.dictionary.take(pa.array(np.flatnonzero(seen))))
    return cells.from_strings(pa.concat_arrays(used))


class _Seen:
    """The cells of one resolution with a row, marked among the sorted cells of its events
    (``universe``): a chunk's cells are found by a binary search, not by sorting every chunk's
    cells together at the end (on 28 national days, 14 M of them: 5 s under cProfile). A cell
    outside the universe is kept aside, so the result does not depend on it holding every
    cell."""

    def __init__(self, universe: np.ndarray) -> None:
        self.universe = universe
        self.used = np.zeros(universe.size, dtype=bool)
        self.others: list[np.ndarray] = []

    def add(self, keys: np.ndarray) -> None:
        at = cells.positions(self.universe, keys)
        found = at >= 0
        self.used[at[found]] = True
        if not found.all():
            self.others.append(keys[~found])

    def cells(self) -> np.ndarray:
        """The sorted cells marked."""
        every = self.universe[self.used]
        return np.union1d(every, np.concatenate(self.others)) if self.others else every


def _frame(part: pd.DataFrame | pa.Table, columns: tuple[str, ...]) -> pd.DataFrame:
    """A part of cell rows as a frame: a computed one as it is, a copied one's ``columns``."""
    return part if isinstance(part, pd.DataFrame) else part.select(list(columns)).to_pandas()


def _hot_rows(part: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """The rows :func:`geo.hotspots.hot_population` reads: a computed part as it is, a copied
    one's hot rows only (made a frame after the filter: most rows are not hot)."""
    if isinstance(part, pd.DataFrame):
        return part
    return _frame(part.filter(pc.equal(part[Out.HOTSPOT], hotspots.HOT)), hotspots.HOT_COLUMNS)


def _cells_daily(
    events: pd.DataFrame,
    config: Config,
    all_grids: dict[int, Grid],
    period: tuple[dt.date, dt.date],
    plan: incremental.Plan | None = None,
    client: object | None = None,
    chunk: int = CHUNK_DAYS,
) -> Generator[tuple[str, int, pd.DataFrame | pa.Table], None, None]:
    """Cell rows by resolution (finest first), then by chunks of days, ordered by date and cell
    (``("rows", resolution, table)``: a frame, or an Arrow table for copied rows); after each
    resolution, its cells once (``("cells", resolution, frame)``).

    ``plan``: the chunks whose rows are copied from the previous version
    (:mod:`geo.incremental`); ``client``: a Dask client computing the other chunks on its
    workers (:mod:`geo.engine`), else they are computed here; ``chunk``: the days of a chunk.
    """
    start, end = period
    chunks = _busy(_chunks(start, end, chunk), events["date"])
    copied = [c for c in chunks if plan is not None and plan.reuses(c)]
    computed = [c for c in chunks if c not in copied]
    base_cells = np.unique(events["cell"].to_numpy())
    for res in config.cells.resolutions:
        parent = events["cell"].to_numpy()
        universe = base_cells
        if res != config.base_resolution:
            parent = cells.parents(parent, res)
            universe = np.unique(cells.parents(base_cells, res))
        keyed = events.assign(key=parent)
        polys = _event_polys(keyed)
        parts = _copied_rows(plan, res, copied)
        if client is None:
            grid = all_grids[res]
            made = _local_rows(keyed, universe, polys, grid, config, (start, computed))
        else:
            del keyed
            tasks = _merged(computed, engines.TASK_DAYS)
            made = engines.chunk_rows(
                client, events, config, res, (start, tasks), polys, cell_chunk
            )
        seen = _Seen(universe)
        # Closed here, not by the garbage collector, when the writer stops early (a full disk):
        # the collector may run in the look-ahead thread, which cannot wait for itself.
        with contextlib.closing(parts), contextlib.closing(made):
            for rows, keys in itertools.chain(parts, made):
                seen.add(keys)
                yield "rows", res, rows
        every = seen.cells()
        attrs = _cell_attributes(every, polys, all_grids[res])
        attrs.insert(0, Out.CELL, cells.to_strings(every))
        attrs.insert(1, Out.RESOLUTION, np.int8(res))
        yield "cells", res, attrs.sort_values(Out.CELL, ignore_index=True)


def absent_rules(config: Config) -> dict[str, dict[str, str]]:
    """How a cell with no row on a date is classified: nothing happened in its windows, when a
    report covers it (:mod:`geo.coverage`); without data when none does (``uncovered``)."""
    zero = {c: [0.0, 0.0] for c in COUNT_METRICS}
    frame = pd.DataFrame(zero)
    frame[Out.POPULATION] = [config.risk.no_data_max_population + 1e6, 0.0]
    frame[Out.CHECKINS_BASELINE_7D] = np.nan
    add_ratios(frame)
    classes = classify(frame, config)
    texts = reasons(frame, classes, config)
    states = classes[Out.RISK].to_numpy()
    return {
        "populated": {"risk": str(states[0]), "risk_reason": str(texts[0])},
        "unpopulated": {"risk": str(states[1]), "risk_reason": str(texts[1])},
        "uncovered": {"risk": "no_data", "risk_reason": coverage.NO_REPORT_WORDS["en"]["since"]},
    }


def _manifest(inputs: Inputs, config: Config, start: dt.date, end: dt.date, rows: dict) -> dict:
    files = {"cases": inputs.cases, "checkins": inputs.checkins, "venues": inputs.venues}
    return {
        "package": "pantauzona",
        "version": __version__,
        "preset": config.name,
        "config_sha256": config.digest(),
        "reference_data_sha256": reference.data_digest(),
        "resolutions": config.cells.resolutions,
        "input_digests": incremental.DIGEST_KIND,
        "date_range": [start.isoformat(), end.isoformat()],
        "inputs": {
            name: {
                "sha256": checked.sha256,
                **checked.counts,
                **checked.reading,
                **({"renamed": checked.renamed} if checked.renamed else {}),
                **({"cumulative": checked.cumulative} if checked.cumulative else {}),
                **({"codes": checked.codes} if checked.codes else {}),
            }
            for name, checked in files.items()
            if checked is not None
        },
        "tables": rows,
        "absent_cell": absent_rules(config),
        "privacy": {"min_count": config.privacy.min_count},
    }


@dataclass
class Compute:
    """How the cell rows are made: what is copied from the previous version, where the rest is
    computed, and the digests that let the next build copy this one's rows."""

    plan: incremental.Plan
    digests: pd.DataFrame
    client: object | None = None
    #: Which venue days were read from the previous version, and a file of them all (written
    #: while they were at hand) for the next build.
    venue_days: tuple[incremental.VenuePlan | None, Path | None] = (None, None)
    #: The days of a chunk of cell rows (:func:`chunk_days`).
    chunk: int = CHUNK_DAYS


def _compute_and_write(
    inputs: Inputs,
    config: Config,
    all_grids: dict[int, Grid],
    event_tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    period: tuple[dt.date, dt.date],
    version: Path,
    step: Callable[[int], None],
    days: pd.DataFrame,
    how: Compute,
) -> dict:
    events, coded, report_days = event_tables
    start, end = period
    base_grid = all_grids[config.base_resolution]
    dates = pd.date_range(start, end, freq="D").astype("datetime64[s]")
    allocated = compose.target_windows(coded, base_grid, start, end)
    found = colour_shares.classes(base_grid, allocated, report_days, dates, config)
    moves = None
    hot_parts, static_parts, cell_rows = [], [], 0
    made = _cells_daily(events, config, all_grids, period, how.plan, how.client, how.chunk)
    with (
        store.ParquetParts(version / "cells_daily.parquet", CELL_SCHEMA) as writer,
        contextlib.closing(made),
    ):
        for kind, res, part in made:
            if kind == "cells":
                static_parts.append(part)
                continue
            writer.write(part)
            cell_rows += len(part)
            if res == config.base_resolution:
                located = _frame(part, colour_shares.MOVE_COLUMNS)
                moves = colour_shares.located_moves(found, base_grid, located, dates, config, moves)
            if res == hotspots.share_resolution(config.cells.resolutions):
                hot_parts.append(hotspots.hot_population(_hot_rows(part)))
    step(6)
    table = region_table(base_grid)
    with_point = events["poly"].to_numpy() >= 0
    reg_events = region_events(events.loc[with_point, ["poly", "date", *EVENT_COUNTS]], coded)
    reporting = set(reg_events["key"].unique())
    targets = set(allocated[compose.TARGET].astype(str))
    reporting |= set(below_targets(targets, table[Out.REGION_CODE].astype(str).tolist()))
    reg_windows = windows(reg_events, start=start, end=end)
    hot = pd.concat(hot_parts) if hot_parts else None
    region_rows = _write_regions(
        version / "regions_daily.parquet",
        (table, reg_windows, reporting, report_days, allocated),
        dates,
        (found, moves),
        hot,
        config,
    )
    del found
    step(7)
    quarantine = _quarantine(inputs)
    static_cells = pd.concat(static_parts, ignore_index=True)
    how.plan.check_cells(static_cells)
    static_regions = table.assign(reporting=table[Out.REGION_CODE].isin(reporting))
    rows = {
        "cells_daily": cell_rows,
        "allocated_daily": len(allocated),
        "regions_daily": region_rows,
        "cells": len(static_cells),
        "regions": len(static_regions),
        "quarantine": len(quarantine),
        "days": len(days),
    }
    manifest = _manifest(inputs, config, start, end, rows)
    manifest["reuse"] = how.plan.manifest(end)
    store.write_parquet(how.digests, version / incremental.DIGESTS)
    read, kept = how.venue_days
    if read is not None:
        manifest["reuse"]["venue_days"] = read.manifest(start)
    if kept is not None:  # officials only, as the categories: see geo.incremental
        shutil.copyfile(kept, version / incremental.VENUE_DAYS)
    latest = completeness.latest_complete_day(days)
    manifest["latest_complete_day"] = latest.isoformat() if latest else None
    store.write_parquet(days, version / completeness.FILE)
    store.write_parquet(allocated, version / compose.ALLOCATED)
    store.write_parquet(report_days, version / compose.REPORTS)
    store.write_parquet(static_cells.reset_index(drop=True), version / "cells.parquet")
    store.write_parquet(static_regions, version / "regions.parquet")
    (version / "quarantine.csv").write_bytes(safe_csv(quarantine))
    if inputs.cases.corrections is not None:
        (version / CORRECTIONS_FILE).write_bytes(safe_csv(inputs.cases.corrections))
    store.write_json(config.model_dump(mode="json"), version / "config.json")
    store.write_json(manifest, version / "manifest.json")
    return manifest


def _write_regions(
    path: Path,
    region_inputs: tuple[pd.DataFrame, pd.DataFrame, set[str], pd.DataFrame, pd.DataFrame],
    dates: pd.DatetimeIndex,
    states: tuple[colour_shares.Classes, np.ndarray | None],
    hot: pd.DataFrame | None,
    config: Config,
) -> int:
    """Write ``regions_daily`` by blocks of regions (:func:`_region_block`), in parts of
    :data:`REGION_BLOCK` regions; its number of rows.

    ``region_inputs``: the static region table, the regions' windows, the codes with any record
    (or below a target), the report days and the targets' windows (each region takes its share of
    the targets above it: :func:`geo.rollup.shared_windows`); ``states``: the classes of base cells (:func:`geo.shares.classes`) and
    the moves of cells with located events; ``hot``: the population in hot cells per region and
    day.
    """
    table, reg_windows, reporting, report_days, allocated = region_inputs
    population = table.set_index(Out.REGION_CODE)[Out.POPULATION]
    reported = coverage.reported_days(report_days, dates)
    found, moves = states
    if hot is not None:
        hot = hot.groupby([Out.REGION_CODE, Out.DATE], as_index=False)[Out.POPULATION].sum()
    rows = 0
    # The windows of each block of regions, found once (not a string search per block).
    position = pd.Index(table[Out.REGION_CODE]).get_indexer(reg_windows["key"].astype(str))
    order = np.argsort(position, kind="stable")
    size = _region_block(len(dates))
    bounds = np.searchsorted(position[order], np.arange(0, len(table) + size, size))
    with store.ParquetParts(path, REGION_SCHEMA) as writer:
        for i, first in enumerate(range(0, len(table), size)):
            block = table.iloc[first : first + size]
            part = reg_windows.iloc[order[bounds[i] : bounds[i + 1]]]
            codes = block[Out.REGION_CODE].astype(str).tolist()
            part = with_shared(part, shared_windows(allocated, codes, population))
            regs = regions_daily(part, block, dates, reporting, config)
            mark_coverage(regs, reported, dates)
            rows_of = slice(first, min(first + size, len(table)))
            by_state = colour_shares.population_by_state(found, rows_of, moves)
            colour_shares.write_shares(by_state, regs)
            hotspots.hot_shares([hot] if hot is not None else [], regs)
            step = REGION_BLOCK * len(dates)
            for at in range(0, len(regs), step):
                writer.write(regs.iloc[at : at + step])
            rows += len(regs)
    return rows


def _stepper(on_step: Step | None) -> Callable[[int], None]:
    def step(i: int) -> None:
        logger.info("%s", STEPS[i])
        if on_step:
            on_step(STEPS[i], i + 1, len(STEPS))

    return step


def build(
    cases: str | Path,
    checkins: str | Path | None,
    venues: str | Path | None,
    out: str | Path,
    *,
    config: Config | None = None,
    today: dt.date | None = None,
    on_step: Step | None = None,
    cases_cumulative: bool = False,
    codes: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
) -> dict:
    """Build the zone tables from the inputs into ``out``, atomically.

    Parameters
    ----------
    cases, checkins, venues
        Input files (CSV or Parquet); check-ins and venues go together or not at all.
    out
        The build directory; the previous build there stays intact if anything fails.
    config
        The risk configuration (default: the ``pantauzona`` preset).
    today
        The date after which input dates are "in the future" (default: today in WIB).
    on_step
        Called with (step name, step number, number of steps) as the build advances.
    cases_cumulative
        The cases file holds running totals per place and date (``--cases-cumulative``).
    codes
        The edition of its region codes, ``"2020"`` or ``"2025"`` (``--codes``); ``None``
        takes the configuration's ``input.codes``, and without one detects it, the manifest
        saying how (:mod:`geo.editions`).
    engine
        Where the cell rows are computed: ``"local"`` (this process) or ``"dask"``
        (:mod:`geo.engine`).
    scheduler
        With ``"dask"``: the address of a running scheduler; without it a local cluster of
        ``workers`` processes (default: one per core) is started for the build.
    workers
        The number of workers of that local cluster.

    Returns
    -------
    dict
        The manifest.
    """
    config = config or load_config()
    store.check_writable(out)
    engines.check(engine, scheduler=scheduler, workers=workers)
    _stepper(on_step)(0)
    inputs = read_inputs(
        cases,
        checkins,
        venues,
        today=today,
        dates=config.input,
        cases_cumulative=cases_cumulative,
        codes=codes or config.input.codes,
    )
    with inputs:
        return build_validated(
            inputs,
            out,
            config=config,
            on_step=on_step,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
        )


def build_validated(
    inputs: Inputs,
    out: str | Path,
    *,
    config: Config | None = None,
    on_step: Step | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
) -> dict:
    """Build from inputs already read and validated (steps 2 to 8 of :data:`STEPS`).

    :func:`build` reads and validates files first; :mod:`geo.uploads` passes the rows of its
    inputs store, validated when each file was loaded. The cell rows of the days whose inputs did
    not change since the build in ``out`` are copied from it (:mod:`geo.incremental`). Same
    parameters as :func:`build`.
    """
    config = config or load_config()
    store.check_writable(out)
    engines.check(engine, scheduler=scheduler, workers=workers)
    step = _stepper(on_step)
    step(1)
    rows = row_source(inputs, config)
    period = _date_range(rows, inputs, Path(out))  # refuses an empty build before any work
    step(2)
    load_days = rows.load_days()
    with contextlib.ExitStack() as scratch:
        # The tables made before the cell rows wait here, not in memory, while those are made.
        folder = scratch.enter_context(scratch_folder())
        engine_of = (engine, scheduler, workers)
        return _build_rows(inputs, rows, config, (period, load_days), out, step, folder, engine_of)


def _build_rows(
    inputs: Inputs,
    rows: RowSource,
    config: Config,
    dates: tuple[tuple[dt.date, dt.date], pd.DataFrame | None],
    out: str | Path,
    step: Callable[[int], None],
    folder: Path,
    engine_of: tuple[str, str | None, int | None],
) -> dict:
    """Steps 3 to 8 of :func:`build_validated`. The categories table is written to ``folder``
    as soon as it is made (on 28 national days it held 150-380 MB through the cell metrics),
    and so are the venue days of an inputs store's check-ins, to go into the new version for
    the next build."""
    period, load_days = dates
    engine, scheduler, workers = engine_of
    venue_events = None
    by_category = None  # the file of the categories table
    reuse = kept = None
    input_days = incremental.day_digests(inputs.cases.accepted, None, load_days)
    if inputs.checkins is not None and inputs.venues is not None:
        stored = input_days if load_days is not None else None
        reuse = incremental.venue_plan(Path(out), config, stored, reach(config).ahead)
        per_venue = _venue_days(rows, period, reuse)
        if load_days is not None:
            kept = folder / incremental.VENUE_DAYS
            store.write_parquet(per_venue, kept)
        venue_events = _venue_events(rows, config, per_venue)
        del per_venue
    # The venue events' digests cover their venues' categories: a day whose categories changed
    # is a changed day (:func:`geo.incremental.with_events`).
    digests = incremental.with_events(input_days, venue_events)
    if venue_events is not None:
        copied = incremental.plan(Path(out), config, period[0], digests, 1).before(categories.FILE)
        by_category = folder / categories.FILE
        store.write_parquet(categories.category_daily(venue_events, *period, copied), by_category)
        venue_events = venue_events.drop(columns="category")
    if inputs.checkins is not None:  # counted; the rows themselves are no longer needed
        inputs.checkins.accepted = inputs.checkins.accepted.iloc[0:0]
    step(3)
    all_grids = grids(tuple(config.cells.resolutions))
    step(4)
    events, coded = _base_events(inputs, config, venue_events)
    reports = coverage.report_days(inputs.cases.accepted)
    days = completeness.day_table(reports, period, config.completeness)
    inputs.cases.accepted = inputs.cases.accepted.iloc[0:0]  # counted and indexed: release
    step(5)
    chunk = chunk_days(len(events) / ((period[1] - period[0]).days + 1))
    with engines.session(engine, scheduler=scheduler, workers=workers) as client:

        def publish(plan: incremental.Plan) -> dict:
            tables = (events, coded, reports)
            how = Compute(plan, digests, client, (reuse, kept), chunk)
            return _publish(
                inputs, config, all_grids, tables, (period, days), out, step, by_category, how
            )

        try:
            return publish(incremental.plan(Path(out), config, period[0], digests, chunk))
        except incremental.Stale as exc:  # rare: a cell outside the grid changed region
            logger.info("computing every day again: %s", exc)
            return publish(
                incremental.Plan(None, None, None, f"copied rows were out of date: {exc}")
            )


def _publish(
    inputs: Inputs,
    config: Config,
    all_grids: dict[int, Grid],
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    dates: tuple[tuple[dt.date, dt.date], pd.DataFrame],
    out: str | Path,
    step: Callable[[int], None],
    by_category: Path | None,
    how: Compute,
) -> dict:
    """Write a new version of ``out`` and publish it; a failure discards it.

    ``dates``: the build's first and last day, and its days' completeness.
    """
    period, days = dates
    try:
        version = store.new_version(out)
    except OSError as exc:
        raise BuildError(store.write_failure(exc, out)) from exc
    try:
        if by_category is not None:  # officials only: see geo.categories
            shutil.copyfile(by_category, version / categories.FILE)
        manifest = _compute_and_write(
            inputs, config, all_grids, tables, period, version, step, days, how
        )
        store.publish(version, out)
    except OSError as exc:
        store.discard(version)
        msg = store.write_failure(exc, out).removesuffix(".") + "; the previous build is unchanged."
        raise BuildError(msg) from exc
    except BaseException:
        store.discard(version)
        raise
    refused_quarantine(out).unlink(missing_ok=True)  # a refusal's quarantine is out of date
    return manifest
