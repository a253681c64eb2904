"""Check-ins at national volume: validated in batches, kept on disk by date (issue 10).

A check-ins file is read in batches (:mod:`geo.batches`) and each batch validated by the rules
of :func:`geo.validate.validate_checkins` (:mod:`geo.rules`), in the same order; the accepted
rows go to a Parquet dataset partitioned by (WIB) date in a staging folder, so that memory
follows a batch, not the file. The one check that needs every row, a ``checkin_id`` seen before, runs out of core
in DuckDB over the ids of all batches: a repeated id is quarantined as ``duplicate`` with the
row of its first appearance, as the whole-file check does, and the rows it turns away are
dropped from the accepted ones. So accepted + quarantined = read, and the quarantine is the one
the whole file gives (same checks, reasons and rows).

:class:`StagedCheckins` then serves the rows by date range (the :class:`geo.rowsource.RowSource`
methods): ``venue_days(a, b)`` finds, in DuckDB, the infectious check-ins of ``a - 1 .. b + 1``
(those of persons reported as a case; the exposure window is at most 24 hours), then counts the
check-ins of ``a .. b`` and matches them with those, a chunk of days at a time.

A load into an inputs store (:mod:`geo.uploads`) is staged the same way, with the store's rules
after the file's own (:func:`geo.upload_checks.store_rules`): an id that an earlier load holds is
found in DuckDB too, by one join of the file's ids with the earlier loads' Parquet parts, and
the accepted rows are written back from the staged ones in the file's order.

DuckDB's memory and spill folder: ``PANTAUZONA_DUCKDB_MEMORY`` (default ``1GB``) and
``PANTAUZONA_TMPDIR`` (default the system's temporary folder), which also holds the staging
folder while a build runs. The folder is locked while its process lives; one left by a process
that was killed is removed by the next staging folder made there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo import store
from geo.batches import RawBatches
from geo.columns import Col
from geo.config import Exposure
from geo.dates import Window
from geo.readers import RawTable
from geo.rowsource import window_days
from geo.rules import Rule, run_rules
from geo.validate import (
    QUARANTINE_COLUMNS,
    Checked,
    accepted_checkins,
    checkin_id_rules,
    checkin_row_rules,
    venue_array,
    venue_positions,
)

logger = logging.getLogger(__name__)

MEMORY_ENV = "PANTAUZONA_DUCKDB_MEMORY"
TMPDIR_ENV = "PANTAUZONA_TMPDIR"
DEFAULT_MEMORY = "1GB"
ONE_DAY = dt.timedelta(days=1)
#: The name of a staging folder begins so (``pantauzona-ingest-k2j4…``).
STAGING_PREFIX = "pantauzona-ingest-"
#: A staging folder no process holds and older than this many seconds was left by a killed one.
ABANDONED_SECONDS = 60
#: Days of venue days computed by one DuckDB query (with a day either side).
VENUE_DAYS_CHUNK = 4
#: The staged files' compression: the fastest to write and read back.
COMPRESSION = "lz4"

ROWS_SCHEMA = pa.schema(
    [
        pa.field("row", pa.int64()),
        pa.field("venue", pa.int32()),
        pa.field("ts", pa.timestamp("s")),
        pa.field("date", pa.date32()),
        pa.field("person_id", pa.string()),
    ]
)
IDS_SCHEMA = pa.schema(
    [
        pa.field("row", pa.int64()),
        pa.field("id", pa.string()),
        pa.field("value", pa.string()),  # as written, where not the trimmed id
        pa.field("alive", pa.bool_()),  # not quarantined before the duplicate check
        pa.field("valid", pa.bool_()),  # not quarantined by the file's own rules
    ]
)

#: Repeated ids: grouped first by a 64-bit hash (2.6 times faster than grouping the text at
#: 16 M ids), then the few rows whose hash repeats are compared by their ids themselves.
DUPLICATES_SQL = """
with repeated as (
    select hash(id) as h from read_parquet($ids) group by h having count(*) > 1
),
candidates as (
    select i.row, i.id, i.value, i.alive from read_parquet($ids) i
    where hash(i.id) in (select h from repeated)
),
firsts as (select id, min(row) as first_row from candidates group by id having count(*) > 1)
select c.row, coalesce(c.value, c.id) as value, f.first_row
from candidates c join firsts f on c.id = f.id
where c.alive and c.row > f.first_row
order by c.row
"""

#: The ids of a load (:mod:`geo.uploads`) that earlier loads hold, once a repeat in the file
#: itself is found: each row valid by the file's own rules, with the first earlier load
#: (``earlier_loads.number``) holding its id.
LOADED_SQL = """
select i.row, coalesce(i.value, i.id) as value, min(e.number) as earlier
from read_parquet($ids) i
join (
    select p.checkin_id, l.number
    from read_parquet($parts, filename = true) p join earlier_loads l on p.filename = l.file
) e on i.id = e.checkin_id
where i.valid and i.row not in (select row from dropped)
group by i.row, i.value, i.id
order by i.row
"""

#: What an inputs store keeps of a check-ins load (:mod:`geo.uploads`): the accepted rows as
#: :func:`geo.validate.accepted_checkins` gives them with their ids, in the file's order, and
#: each row's ``venue``: its venue's position among the loading region's venues when it was
#: loaded (venue loads are only ever appended, so the position holds), which a rebuild joins
#: as an integer (:data:`STORED_ROWS_SQL`).
STORED_SCHEMA = pa.schema(
    [
        pa.field("checkin_id", pa.large_string()),
        pa.field("venue_id", pa.large_string()),
        pa.field("ts_utc", pa.timestamp("ms")),
        pa.field("person_id", pa.large_string()),
        pa.field("date", pa.timestamp("us")),
        pa.field("venue", pa.int32()),
    ]
)
#: The same rows staged by batch, with their row numbers (to leave out a repeated id's).
KEPT_SCHEMA = pa.schema([pa.field("row", pa.int64()), *STORED_SCHEMA])

#: The staged rows of the files ``$files`` (a day's files and the days around it).
STAGED_ROWS_SQL = (
    "select row, venue, ts, date, person_id, 0 as scope from read_parquet($files) {dropped}"
)

#: The rows of an inputs store's check-in parts (:mod:`geo.uploads`) dated ``$first .. $last``,
#: as staged rows: a row number unique across parts, the venue's position among every stored
#: venue (``venue_map``: from its position among its region's venues, the regions one after
#: the other, so the key is one dense integer: 3 times faster than joining on the region and
#: the position, 1.45 times faster than on the venue's text id), the person ids as stored with
#: the number of the load's region (``scope``): a person is the pair, as the ids namespaced by
#: :func:`geo.uploads.namespaced` (the cases' ids are split the same way,
#: :meth:`StoredCheckins.persons`), without building a prefixed string for every row. The
#: dates are compared as the stored timestamps: DuckDB then reads the row groups of those days
#: only (``cast(p.date as date) between …`` read a day more on either side, 8 days' row groups
#: for a 4-day query and its margins, against 6).
STORED_ROWS_SQL = """
select (l.number << 40) + p.file_row_number as row, m.venue, cast(p.ts_utc as timestamp) as ts,
       cast(p.date as date) as date, p.person_id, l.scope
from read_parquet($files, filename = true, file_row_number = true) p
join stored_parts l on p.filename = l.file
join venue_map m on m.number = l.start + p.venue
where p.date >= cast($first as timestamp) and p.date < cast($last + 1 as timestamp)
"""

#: The check-ins ``{rows}`` of persons reported as a case on their day or within ``$days``
#: after it (:mod:`geo.exposure`), added to the table ``infectious``. They are few (they follow
#: the cases, not the check-ins), so the table is the known, small side of the join that finds
#: the check-ins they exposed (:data:`VENUE_DAYS_SQL`). Found in one query with that join, the
#: infectious rows were estimated at 24 M of 48 M, so DuckDB hashed the 32 M check-ins instead
#: and spilled them: 10.4 s of a 4-day query's 12.5 s on the 28-day national store.
INFECTIOUS_SQL = """
insert into infectious
with k as ({rows})
select distinct k.row, k.venue, k.ts, k.date, k.person_id, k.scope
from k join case_persons c
  on k.person_id = c.person_id and k.scope = c.scope and c.date >= k.date
 and c.date <= k.date + to_days(cast($days as integer))
"""
#: Per venue and day of the check-ins ``{rows}``: their number and how many of them met an
#: ``infectious`` check-in (that of another check-in and person) within ``$seconds``. Time is cut
#: into buckets of ``$seconds``: two check-ins that close are in the same or adjacent buckets, so
#: each infectious row is joined, by venue and bucket, to its own bucket and the two beside it,
#: and the exact test of time runs on those pairs only. Joined by venue alone, a check-in was
#: tested against every infectious row of its venue over six days: 8.0 s of CPU for a 4-day
#: chunk of the 28-day national store, against 2.8 s.
VENUE_DAYS_SQL = """
with k as ({rows}),
exposed as (
    select k.venue, k.date, count(distinct k.row) as exposed
    from k join (
        select i.*, epoch_ms(i.ts) // greatest(1000 * $seconds, 1) + b.shift as bucket
        from infectious i, (values (-1), (0), (1)) b(shift)
    ) i
      on k.venue = i.venue and epoch_ms(k.ts) // greatest(1000 * $seconds, 1) = i.bucket
     and k.ts between i.ts - to_seconds(cast($seconds as bigint))
                  and i.ts + to_seconds(cast($seconds as bigint))
     and k.row <> i.row
     and (k.person_id is null or k.person_id <> i.person_id or k.scope <> i.scope)
    group by k.venue, k.date
),
daily as (select venue, date, count(*) as checkins from k group by venue, date)
select d.venue, d.date, d.checkins, coalesce(e.exposed, 0) as exposed
from daily d left join exposed e on d.venue = e.venue and d.date = e.date
order by d.venue, d.date
"""


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the memory limit and spill folder of the environment."""
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)}'")
    spill = Path(os.environ.get(TMPDIR_ENV) or tempfile.gettempdir()) / "pantauzona-duckdb"
    con.execute(f"set temp_directory = '{spill}'")
    con.execute("set preserve_insertion_order = false")
    return con


def staging_folder() -> Path:
    """A new folder for the staged rows, under ``PANTAUZONA_TMPDIR`` when set, locked while
    this process lives; the folders of processes that were killed are removed first."""
    parent = os.environ.get(TMPDIR_ENV) or None
    if parent:
        Path(parent).mkdir(parents=True, exist_ok=True)
    _remove_abandoned(Path(parent or tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    store.hold(folder)
    return folder


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A :func:`staging_folder` for the length of a ``with`` block, removed after it."""
    folder = staging_folder()
    try:
        yield folder
    finally:
        store.release(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _remove_abandoned(parent: Path) -> None:
    """Remove the staging folders no process holds (a build killed before it could clean up):
    those older than a minute, so that one just made and not yet locked is left alone."""
    for folder in parent.glob(f"{STAGING_PREFIX}*"):
        with contextlib.suppress(OSError):
            old = time.time() - folder.stat().st_mtime > ABANDONED_SECONDS
            if old and folder.is_dir() and store.abandoned(folder):
                shutil.rmtree(folder, ignore_errors=True)


@dataclass
class _Staged:
    """What the batches left: the quarantine (with whether each entry came after the id check),
    the rows read and accepted."""

    quarantine: list[pd.DataFrame]
    read: int = 0
    accepted: int = 0


def _check_batch(
    raw: RawTable,
    venue_ids: pa.Array,
    window: Window,
    staged: _Staged,
    more: Sequence[Rule],
    kept: bool,
) -> tuple[pa.Table, pa.Table]:
    """Validate one batch by the rules of :func:`geo.validate.validate_checkins` (its ids not
    checked for repeats here), then by ``more``: its ids (for the repeated-id checks) and its
    accepted rows, as staged rows or (``kept``) as an inputs store keeps them."""
    run = run_rules(raw, checkin_id_rules(raw.frame.columns, unique=False))
    before = run.alive.copy()  # a repeat found later replaces a quarantine entry after this
    typed = pd.api.types.is_datetime64_any_dtype(raw.frame[Col.CHECKED_IN_AT])
    for rule in checkin_row_rules(venue_ids, window, typed=typed):
        run.apply(rule)
    valid = run.alive.copy()  # an id earlier loads hold replaces an entry of ``more``
    for rule in more:
        run.apply(rule)
    accepted = accepted_checkins(run, ids=kept)
    venue = venue_positions(run, venue_ids)[run.alive].astype(np.int32)
    numbers = raw.rows.to_numpy(dtype=np.int64)
    quarantine = run.quarantine()
    quarantine["late"] = quarantine["row"].isin(numbers[before])
    quarantine["later"] = quarantine["row"].isin(numbers[valid])
    staged.quarantine.append(quarantine)
    staged.read += raw.read
    staged.accepted += len(accepted)
    ids = run.text(Col.CHECKIN_ID)
    has_id = pa.array((ids != "").to_numpy())
    written = pa.array(raw.frame[Col.CHECKIN_ID].astype("str").array).cast(pa.string())
    trimmed = pa.array(ids.array).cast(pa.string())
    value = pc.if_else(pc.equal(written, trimmed), pa.scalar(None, pa.string()), written)
    id_table = pa.table(
        {"row": numbers, "id": trimmed, "value": value, "alive": before, "valid": valid},
        schema=IDS_SCHEMA,
    ).filter(has_id)
    if kept:
        table = pa.Table.from_pandas(accepted, preserve_index=False)
        table = table.add_column(0, "row", pa.array(numbers[run.alive])).append_column(
            "venue", pa.array(venue)
        )
        return id_table, table.cast(KEPT_SCHEMA)
    rows_table = pa.table(
        {
            "row": numbers[run.alive],
            "venue": venue,
            "ts": accepted["ts_utc"].to_numpy(dtype="datetime64[s]"),
            "date": accepted["date"].to_numpy(dtype="datetime64[D]"),
            "person_id": pa.array(accepted[Col.PERSON_ID].array).cast(pa.string()),
        },
        schema=ROWS_SCHEMA,
    )
    return id_table, rows_table


def _write_batch(tables: tuple[pa.Table, pa.Table], folder: Path, number: int) -> None:
    """Write a batch's ids, and its accepted rows in one file per date (``date=YYYY-MM-DD``),
    or in one file (``kept``) as an inputs store keeps them."""
    ids, rows = tables
    name = f"{number:06d}.parquet"
    pq.write_table(ids, folder / "ids" / name, compression=COMPRESSION)
    if "checkin_id" in rows.column_names:
        pq.write_table(rows, folder / "kept" / name, compression=COMPRESSION)
        return
    days = rows["date"].to_numpy()
    for day in np.unique(days):
        part = folder / "checkins" / f"date={day}"
        part.mkdir(exist_ok=True)
        pq.write_table(rows.filter(pa.array(days == day)), part / name, compression=COMPRESSION)


def rows_on_disk() -> pd.DataFrame:
    """The ``accepted`` frame of check-ins whose rows stay on disk (staged, or in an inputs
    store): their columns, no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("venue_id", "ts_utc", "date")})


def stage_checkins(
    batches: RawBatches,
    venues: pd.DataFrame,
    *,
    window: Window,
    more: Sequence[Rule] = (),
    earlier: Sequence[tuple[str, Path]] = (),
    kept: bool = False,
) -> tuple[Checked, StagedCheckins]:
    """Validate a check-ins file in batches and stage its accepted rows on disk by date.

    Parameters
    ----------
    batches
        The check-ins file opened by :func:`geo.batches.read_batches` (refused whole there, as
        :func:`geo.readers.read_input` refuses it).
    venues
        The accepted venues (:func:`geo.validate.validate_venues`).
    window
        The plausible dates (:func:`geo.validate.plausible`).
    more, earlier
        For a load into an inputs store (:mod:`geo.uploads`), as
        :func:`geo.upload_checks.store_rules` checks a whole file: rules run after the file's
        own (a venue outside the loader's region), and the ``(file name, Parquet part)`` of each
        earlier load, oldest first, whose ids a row's id must not repeat. A repeat is
        quarantined as ``duplicate`` naming the first load that holds the id, after the
        repeats in the file itself and before ``more``, as the whole file's run orders them.
    kept
        Stage the accepted rows as the store keeps them, for :meth:`StagedCheckins.write_kept`
        (they are then not served by date).

    Returns
    -------
    tuple
        The file's :class:`geo.validate.Checked` (its ``accepted`` frame empty, its counts and
        quarantine whole) and the staged rows; the caller closes them.
    """
    source = StagedCheckins(staging_folder(), venues)
    try:
        return _stage(batches, source, window, more, earlier, kept), source
    except BaseException:
        source.close()
        raise


def _stage(
    batches: RawBatches,
    source: StagedCheckins,
    window: Window,
    more: Sequence[Rule],
    earlier: Sequence[tuple[str, Path]],
    kept: bool,
) -> Checked:
    folder = source.folder
    for name in ("ids", "checkins", "kept"):
        (folder / name).mkdir()
    venues = source.venues()
    staged = _Staged([])
    venue_ids = venue_array(venues)
    batch = iter(batches.batches)
    # Two threads beside this one: the next batch is parsed and the last one written while
    # this one is validated (Arrow and Parquet release the GIL).
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading, writing = pool.submit(next, batch, None), []
        number = 0
        while (raw := reading.result()) is not None:
            reading = pool.submit(next, batch, None)
            tables = _check_batch(raw, venue_ids, window, staged, more, kept)
            del raw
            writing.append(pool.submit(_write_batch, tables, folder, number))
            del tables
            number += 1
            while len(writing) > 1:  # at most one batch waits to be written
                writing.pop(0).result()
        for done in writing:
            done.result()
    quarantine, dropped = source.find_duplicates(staged.quarantine, batches.name, earlier)
    accepted = staged.accepted - dropped
    checked = Checked(
        rows_on_disk(),
        quarantine,
        staged.read,
        batches.sha256,
        batches.reading,
        rows_accepted=accepted,
    )
    logger.info("check-ins staged: %d read, %d accepted", staged.read, accepted)
    return checked


class StagedCheckins:
    """Accepted check-ins staged on disk by date, served by date range (a
    :class:`geo.rowsource.RowSource` once :meth:`attach` gave it the cases).

    The staging folder is removed by :meth:`close`, or when the object is collected.
    """

    def __init__(self, folder: Path, venues: pd.DataFrame) -> None:
        self.folder = folder
        self._venues = venues
        self._cases = pd.DataFrame({"date": pd.Series(dtype="datetime64[s]")})
        self.exposure = Exposure()
        self._repeats = 0
        self.con = connect()
        self.con.execute("create temp table dropped (row bigint)")
        self.con.execute(
            "create temp table case_persons (person_id varchar, scope integer, date date)"
        )
        self._finalizer = weakref.finalize(self, _remove, self.con, folder)

    def close(self) -> None:
        """Remove the staging folder and close the DuckDB connection."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find_duplicates(
        self, parts: list[pd.DataFrame], name: str, earlier: Sequence[tuple[str, Path]] = ()
    ) -> tuple[pd.DataFrame, int]:
        """The whole file's quarantine (repeated ids added, in row order) and the number of
        accepted rows the repeats turn away: an id repeated in the file (its entry replaces a
        ``late`` one), then an id an ``earlier`` load holds (replacing a ``later`` one)."""
        ids = [str(p) for p in sorted((self.folder / "ids").glob("*.parquet"))]
        if parts:
            quarantine = pd.concat(parts, ignore_index=True)
        else:
            quarantine = pd.DataFrame({c: pd.Series(dtype=object) for c in QUARANTINE_COLUMNS})
            quarantine["late"] = quarantine["later"] = pd.Series(dtype=bool)
        dropped = 0
        if ids:
            dups = self.con.execute(DUPLICATES_SQL, {"ids": ids}).df()
            reasons = [f"duplicate checkin_id (first at row {r})" for r in dups["first_row"]]
            quarantine, turned = self._replace(quarantine, dups, reasons, "late", name)
            dropped += turned
        if ids and earlier:
            loads = pd.DataFrame(
                {"file": [str(path) for _, path in earlier], "number": np.arange(len(earlier))}
            )
            self._table("earlier_loads", loads)
            found = self.con.execute(LOADED_SQL, {"ids": ids, "parts": list(loads["file"])}).df()
            names = [load for load, _ in earlier]
            reasons = [
                f"duplicate checkin_id (already loaded from {names[k]})" for k in found["earlier"]
            ]
            quarantine, turned = self._replace(quarantine, found, reasons, "later", name)
            dropped += turned
        whole = quarantine[QUARANTINE_COLUMNS].sort_values("row", kind="stable")
        return whole.reset_index(drop=True), dropped

    def _replace(
        self,
        quarantine: pd.DataFrame,
        found: pd.DataFrame,
        reasons: list[str],
        flag: str,
        name: str,
    ) -> tuple[pd.DataFrame, int]:
        """The quarantine with the repeated ids ``found`` (``row, value``) as ``duplicate``,
        replacing their entries flagged ``flag``, and the number of accepted rows they turn
        away (the rows are left out of the staged ones from now on)."""
        if not len(found):
            return quarantine, 0
        repeated = quarantine["row"].isin(found["row"]).to_numpy()
        replaced = int((repeated & quarantine[flag].to_numpy(dtype=bool)).sum())
        entries = pd.DataFrame(
            {
                "file": name,
                "row": found["row"].to_numpy(dtype=np.int64),
                "column": Col.CHECKIN_ID,
                "check": "duplicate",
                "value": found["value"].astype(str).to_numpy(dtype=object),
                "reason": reasons,
                "late": False,
                "later": False,
            }
        )
        self._repeats += len(found)
        self.con.register("found_df", found[["row"]])
        self.con.execute("insert into dropped select row from found_df").fetchall()
        self.con.unregister("found_df")
        return pd.concat([quarantine[~repeated], entries], ignore_index=True), len(found) - replaced

    def _table(self, name: str, frame: pd.DataFrame) -> None:
        """A temporary DuckDB table ``name`` holding ``frame``."""
        self.con.register(f"{name}_df", frame)
        self.con.execute(f"create or replace temp table {name} as select * from {name}_df")
        self.con.unregister(f"{name}_df")

    def write_kept(self, path: Path) -> None:
        """Write the accepted rows staged ``kept`` (:data:`STORED_SCHEMA`), in the file's order,
        to the Parquet file ``path``, a batch at a time."""
        dropped = pa.array(self.con.execute("select row from dropped").fetchnumpy()["row"])
        with pq.ParquetWriter(path, STORED_SCHEMA, compression="zstd") as writer:
            for part in sorted((self.folder / "kept").glob("*.parquet")):
                table = pq.read_table(part)
                if len(dropped):
                    table = table.filter(pc.invert(pc.is_in(table["row"], value_set=dropped)))
                # row groups as geo.store.write_parquet writes a frame
                writer.write_table(table.drop_columns("row"), row_group_size=1 << 20)

    def attach(self, cases: pd.DataFrame, exposure: Exposure) -> None:
        """The accepted cases (``date``, ``person_id``) and the exposure rules."""
        self._cases = cases
        self.exposure = exposure
        linked = cases.loc[cases[Col.PERSON_ID].notna(), [Col.PERSON_ID, "date"]]
        self.con.register("linked_df", self.persons(linked))
        self.con.execute("delete from case_persons").fetchall()
        self.con.execute(
            "insert into case_persons "
            "select person_id::varchar, scope, cast(date as date) from linked_df"
        ).fetchall()
        self.con.unregister("linked_df")

    def persons(self, linked: pd.DataFrame) -> pd.DataFrame:
        """The linked cases' persons as the check-in rows name them (``person_id, scope,
        date``): a staged file's ids as they are, all of scope 0."""
        return linked.assign(scope=np.zeros(len(linked), dtype=np.int32))

    def _dropped(self) -> str:
        """The filter of the rows a repeated id turned away (none in most files)."""
        if self._repeats:
            return "where row not in (select row from dropped)"
        return ""

    def _rows(self, first: dt.date, last: dt.date) -> tuple[str, dict]:
        """The relation of the rows dated ``first .. last`` (those of their files) and its
        parameters."""
        return STAGED_ROWS_SQL.format(dropped=self._dropped()), {}

    def _files(self, start: dt.date, end: dt.date) -> list[str]:
        out: list[str] = []
        for part in sorted((self.folder / "checkins").glob("date=*")):
            day = dt.date.fromisoformat(part.name.removeprefix("date="))
            if start <= day <= end:
                out.extend(str(p) for p in sorted(part.glob("*.parquet")))
        return out

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day with any accepted row (cases, check-ins), or None."""
        days = []
        files = self._files(dt.date.min, dt.date.max)
        if files:
            sql = (
                "select min(cast(date as date)), max(cast(date as date)) "
                f"from read_parquet($files) {self._dropped()}"
            )
            first, last = self.con.execute(sql, {"files": files}).fetchall()[0]
            days += [d for d in (first, last) if d is not None]
        if len(self._cases):
            days += [self._cases["date"].min().date(), self._cases["date"].max().date()]
        return (min(days), max(days)) if days else None

    def cases(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Accepted case rows (the columns ``validate_cases`` gives) dated start..end."""
        date = self._cases["date"]
        keep = (date >= pd.Timestamp(start)) & (date <= pd.Timestamp(end))
        return self._cases[keep.to_numpy()].reset_index(drop=True)

    def venue_days(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Per venue and day start..end with a check-in: ``venue_id, date, checkins, exposed``
        (:mod:`geo.exposure`'s rule), ordered by venue and date.

        Two passes over the rows, a chunk of days at a time, so that DuckDB's memory follows a
        chunk, not the period: the infectious check-ins (:data:`INFECTIOUS_SQL`) are found
        up to ``window_days`` ahead of the chunk, then each day's check-ins are counted and
        matched with them (:data:`VENUE_DAYS_SQL`), and the infectious rows no later chunk can
        meet are dropped."""
        margin = dt.timedelta(days=window_days(self.exposure))  # as FrameRows.venue_days
        self.con.execute(
            "create or replace temp table infectious (row bigint, venue integer, ts timestamp,"
            " date date, person_id varchar, scope integer)"
        )
        found = start - margin - ONE_DAY  # the infectious rows are found up to this day
        parts: list[pd.DataFrame] = []
        first = start
        while first <= end:
            last = min(end, first + dt.timedelta(days=VENUE_DAYS_CHUNK - 1))
            if found < last + margin:
                self._run(INFECTIOUS_SQL, found + ONE_DAY, last + margin)
                found = last + margin
            self.con.execute("delete from infectious where date < $d", {"d": first - margin})
            parts.append(self._venue_days(first, last))
            first = last + ONE_DAY
        self.con.execute("drop table infectious")
        every = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        return every.sort_values([Col.VENUE_ID, "date"], ignore_index=True)

    def _run(self, sql: str, first: dt.date, last: dt.date) -> pd.DataFrame | None:
        """``sql`` over the rows dated ``first .. last``; None where no file holds them."""
        files = self._files(first, last)
        if not files:
            return None
        params = {
            "files": files,
            "days": self.exposure.case_within_days,
            "seconds": int(self.exposure.window_hours * 3600),
        }
        rows, more = self._rows(first, last)
        params.update(more)
        body = sql.format(rows=rows)
        used = {k: v for k, v in params.items() if f"${k}" in body}
        return self.con.execute(body, used).df()

    def _venue_days(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        table = self._run(VENUE_DAYS_SQL, start, end)
        if table is None:
            return pd.DataFrame(
                {
                    Col.VENUE_ID: pd.Series(dtype="str"),
                    "date": pd.Series(dtype="datetime64[s]"),
                    "checkins": pd.Series(dtype=np.int64),
                    "exposed": pd.Series(dtype=np.int64),
                }
            )
        ids = self._venues[Col.VENUE_ID].to_numpy(dtype=object)
        return pd.DataFrame(
            {
                Col.VENUE_ID: pd.array(ids[table["venue"].to_numpy()], dtype="str"),
                "date": table["date"].to_numpy(dtype="datetime64[s]"),
                "checkins": table["checkins"].to_numpy(dtype=np.int64),
                "exposed": table["exposed"].to_numpy(dtype=np.int64),
            }
        )

    def venues(self) -> pd.DataFrame:
        """Accepted venues (``venue_id, name, category, lat, lon, poly``)."""
        return self._venues

    def load_days(self) -> pd.DataFrame | None:
        """``None``: staged files are read for this build only."""
        return None


class StoredCheckins(StagedCheckins):
    """The check-ins of an inputs store's loads (:mod:`geo.uploads`), served by date range from
    their Parquet parts as they are stored, like :class:`StagedCheckins`: a rebuild reads a
    chunk of days at a time in DuckDB, never every stored row in memory.

    Parameters
    ----------
    parts
        Each check-ins load's Parquet part (:data:`STORED_SCHEMA`), the prefix of its ids
        (``"31/"``: the loading region, :func:`geo.uploads.namespaced`) and its region's number
        in ``regions``.
    venues
        The accepted venues of every load, their ids namespaced.
    regions
        Each region's venues, in the order its loads number them (a part's ``venue``), as
        their positions in ``venues``.
    """

    def __init__(
        self,
        parts: list[tuple[Path, str, int]],
        venues: pd.DataFrame,
        regions: list[np.ndarray],
    ) -> None:
        super().__init__(staging_folder(), venues)
        self._parts = [str(path) for path, _, _ in parts]
        starts = np.cumsum([0, *(len(r) for r in regions)])  # each region's first number
        self._prefixes = sorted({prefix for _, prefix, _ in parts})
        table = pd.DataFrame(
            {
                "file": self._parts,
                "number": np.arange(len(parts)),
                "scope": [self._prefixes.index(prefix) for _, prefix, _ in parts],
                "start": pd.array(
                    [starts[region] if region >= 0 else None for _, _, region in parts],
                    dtype="Int32",
                ),
            }
        )
        self._table("stored_parts", table)
        venue = np.concatenate(regions or [np.zeros(0, dtype=np.int64)]).astype(np.int32)
        numbers = pd.DataFrame({"number": np.arange(len(venue), dtype=np.int32), "venue": venue})
        self._table("venue_map", numbers)

    def persons(self, linked: pd.DataFrame) -> pd.DataFrame:
        """The linked cases' persons, their namespaced ids (``31/P1``,
        :func:`geo.uploads.namespaced`) split into the id as stored (``P1``) and the number of
        its prefix among the check-in loads' (``scope``); a case whose prefix no check-in load
        has links to no check-in and is left out."""
        if linked.empty:  # (no columns to split)
            return super().persons(linked)
        split = linked[Col.PERSON_ID].astype(str).str.partition("/")  # a code holds no "/"
        prefix = (split[0] + "/").to_numpy(dtype=object)
        prefixes = np.asarray(self._prefixes, dtype=object)
        scope = np.searchsorted(prefixes, prefix)
        known = scope < len(prefixes)
        known[known] = prefixes[scope[known]] == prefix[known]
        return pd.DataFrame(
            {
                Col.PERSON_ID: split[2].to_numpy(dtype=object)[known],
                "scope": scope[known].astype(np.int32),
                "date": linked["date"].to_numpy()[known],
            }
        )

    def load_days(self) -> pd.DataFrame:
        """Per day from the first to the last date of each part, the sha256 of the sorted names
        of the parts whose dates span it (``date, checkin_loads``). A part's name is the digest
        of its file and region (:mod:`geo.uploads`) and it is never rewritten but to number its
        venues, so a day whose parts are the same has the same check-ins."""
        spans: list[pd.DataFrame] = []
        for part in self._parts:
            first, last = _date_span(Path(part))
            if first is None or last is None:
                continue
            days = pd.date_range(first, last, freq="D").astype("datetime64[s]")
            spans.append(pd.DataFrame({"date": days, "part": Path(part).name}))
        if not spans:
            return pd.DataFrame(
                {"date": pd.Series(dtype="datetime64[s]"), "checkin_loads": pd.Series(dtype=str)}
            )
        every = pd.concat(spans, ignore_index=True).sort_values(["date", "part"])
        names = every.groupby("date", sort=True)["part"].agg("\n".join)
        return pd.DataFrame(
            {
                "date": names.index.to_numpy(dtype="datetime64[s]"),
                "checkin_loads": [hashlib.sha256(n.encode()).hexdigest() for n in names],
            }
        )

    def _files(self, start: dt.date, end: dt.date) -> list[str]:
        return self._parts  # the dates are a filter of the rows (Parquet's row-group statistics)

    def _rows(self, first: dt.date, last: dt.date) -> tuple[str, dict]:
        return STORED_ROWS_SQL, {"first": first, "last": last}


def _date_span(part: Path) -> tuple[dt.date | None, dt.date | None]:
    """The first and last ``date`` of a stored part, from its row groups' statistics."""
    meta = pq.read_metadata(part)
    column = meta.schema.to_arrow_schema().get_field_index("date")
    first = last = None
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        if group.num_rows == 0:
            continue
        stats = group.column(column).statistics
        if stats is None or not stats.has_min_max:  # not written by this package: read them
            table = pq.read_table(part, columns=["date"])
            low, high = pc.min_max(table["date"]).values()
            return _day(low.as_py()), _day(high.as_py())
        low, high = _day(stats.min), _day(stats.max)
        first = low if first is None else min(first, low)
        last = high if last is None else max(last, high)
    return first, last


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def _remove(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    con.close()
    store.release(folder)
    shutil.rmtree(folder, ignore_errors=True)
