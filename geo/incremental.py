"""Incremental builds: the cell rows of days new inputs cannot change are copied, not recomputed.

Each build writes a digest of its inputs per day (:data:`DIGESTS`): the case rows of the day and
the day's check-ins and exposed check-ins per venue, with the venue's cell. A later build into the
same folder compares its own digests with them; the earliest day that differs (a new day, a late
file, a new case that exposes earlier check-ins: the exposed counts are in the digest) is the first
day whose cell rows can change, since a day's windows read only that day and the days before it.
The rows of the days before it, rounded down to a chunk of days (:data:`geo.build.CHUNK_DAYS`,
so both builds compute the same chunks), are copied from the previous version's
``cells_daily.parquet``; the later days are computed from the rows they read
(:func:`geo.rowsource.reach`). The categories table (:mod:`geo.categories`) is copied the same
way, a day at a time: its rows before the first day whose digest differs (the digests cover the
venues' categories), the later ones computed from the venue days of the week before on.
Everything else (regions, shares, completeness) is computed again: it is small beside the cell
rows.

The check-ins of an inputs store (:mod:`geo.uploads`) are not read again for days new loads
cannot change either. Such a build keeps its check-ins and exposed check-ins per venue and day
(:data:`VENUE_DAYS`, for officials: no page or export reads it) and, in its digests, the case rows
and the stored check-in loads of each day (``checkin_loads``). A later build compares those; from
the earliest day that differs, less the exposure look-ahead (a case is linked to check-ins up to
``reach(config).ahead`` days before it), the venue days are computed again from the check-ins,
and the earlier ones are read from the previous version (:func:`venue_plan`).

A previous build made with another package version, configuration, reference data or first day
is not reused, and the manifest says why (``reuse``). Cells whose region or population changed (a
cell outside the population grid takes the smallest region of its events) make the build start
again without reuse (:class:`Stale`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geo import __version__, cells, reference
from geo.columns import LEVEL_COLUMNS, Out
from geo.config import Config

logger = logging.getLogger(__name__)

#: The per-day digests of a build's inputs, in its folder.
DIGESTS = "input_days.parquet"
#: A build's check-ins and exposed check-ins per venue and day (``venue_id, date, checkins,
#: exposed``), in its folder when its check-ins came from an inputs store.
VENUE_DAYS = "venue_days.parquet"
#: The digests' columns: the inputs of a day (cases, stored check-in loads) and its venue events.
DIGEST_COLUMNS = ["date", "cases", "checkin_loads", "venue_events"]
#: The venue-event columns a day's digest covers (the venues' category too, where the events
#: have it: a build's categories table copies the days whose digests are unchanged).
EVENT_DIGEST_COLUMNS = ["cell", "poly", "date", "checkins", "exposed"]
#: What the digests cover, in the manifest (``input_digests``): raised when that changes, so
#: that the digests of an older build are not read as inputs that changed (2: the categories).
DIGEST_KIND = 2


class Stale(Exception):  # noqa: N818 - a signal between two functions, not an error users see
    """Copied rows are out of date (a cell's attributes changed): build again without reuse."""


def _digest(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """One row per date of ``frame``: the number of its rows and the sum of their hashes.

    Times are hashed in seconds, so that a digest follows the values, not the unit the rows
    came in (the staged check-ins of :mod:`geo.ingest` and the frames in memory differ)."""
    times = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if times:
        frame = frame.astype(dict.fromkeys(times, "datetime64[s]"))
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)
    days, inverse = np.unique(frame["date"].to_numpy(dtype="datetime64[D]"), return_inverse=True)
    total = np.zeros(days.size, dtype=np.uint64)
    np.add.at(total, inverse, hashes)  # order-free, wrapping: the same rows in any order
    count = np.bincount(inverse, minlength=days.size)
    text = [f"{n}:{h:016x}" for n, h in zip(count, total, strict=True)]
    return pd.DataFrame({"date": days.astype("datetime64[s]"), name: text})


def day_digests(
    cases: pd.DataFrame,
    venue_events: pd.DataFrame | None,
    load_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The digests of a build's inputs per day (:data:`DIGEST_COLUMNS`; ``""``: none).

    Parameters
    ----------
    cases
        The accepted case rows.
    venue_events
        Check-ins and exposed check-ins per venue and day with the venue's cell and polygon
        (``None`` without check-ins).
    load_days
        The stored check-in loads of each day (``date, checkin_loads``,
        :meth:`geo.rowsource.RowSource.load_days`), or ``None``.
    """
    out = _digest(cases[sorted(cases.columns)], "cases")
    if load_days is not None:
        out = out.merge(load_days[["date", "checkin_loads"]], on="date", how="outer")
    return with_events(out, venue_events)


def with_events(digests: pd.DataFrame, venue_events: pd.DataFrame | None) -> pd.DataFrame:
    """``digests`` (of :func:`day_digests`, without venue events) with those of
    ``venue_events``: the inputs are digested once, before the venue days that depend on them."""
    out = digests.drop(columns="venue_events", errors="ignore")
    if venue_events is not None:
        columns = EVENT_DIGEST_COLUMNS + (["category"] if "category" in venue_events else [])
        events = _digest(venue_events[columns], "venue_events")
        out = out.merge(events, on="date", how="outer")
    out = out.reindex(columns=DIGEST_COLUMNS)
    for column in DIGEST_COLUMNS[1:]:  # "": no row that day
        out[column] = [text if isinstance(text, str) else "" for text in out[column]]
    return out.sort_values("date", ignore_index=True)


@dataclass(frozen=True)
class Plan:
    """What a build copies from the previous version.

    Attributes
    ----------
    previous
        The previous version's folder, or ``None``: nothing is copied.
    start
        The build's first day (the first copied day).
    first
        The first day computed; the cell rows of the days before it are copied.
    reason
        Why nothing is copied, or what is.
    """

    previous: Path | None
    start: dt.date | None
    first: dt.date | None
    reason: str

    def reuses(self, chunk: tuple[dt.date, dt.date]) -> bool:
        """Whether the cell rows of ``chunk`` (first and last day) are copied."""
        return self.previous is not None and self.first is not None and chunk[1] < self.first

    def rows(self, resolution: int, chunk: tuple[dt.date, dt.date]) -> pa.Table:
        """The previous version's cell rows of one resolution and chunk of days, in the file's
        order (by date), as read: copied rows are written as they are, not made a frame."""
        assert self.previous is not None
        first, last = (pa.scalar(pd.Timestamp(d), pa.timestamp("s")) for d in chunk)
        return pq.read_table(
            self.previous / "cells_daily.parquet",
            # dictionaries, as the computed rows' categoricals: a cell's text is decoded once
            read_dictionary=[Out.CELL, *LEVEL_COLUMNS.values()],
            filters=[
                (Out.RESOLUTION, "=", resolution),
                (Out.DATE, ">=", first),
                (Out.DATE, "<=", last),
            ],
        )

    def before(self, name: str) -> tuple[dt.date, pd.DataFrame] | None:
        """The first day computed and the previous version's rows of table ``name`` (a file of
        its folder) dated before it, or ``None``: nothing is copied, or there is no such file."""
        if self.previous is None or self.first is None or not (self.previous / name).is_file():
            return None
        day = pa.scalar(pd.Timestamp(self.first), pa.timestamp("s"))
        return self.first, pq.read_table(
            self.previous / name, filters=[(Out.DATE, "<", day)]
        ).to_pandas()

    def check_cells(self, static_cells: pd.DataFrame) -> None:
        """Raise :class:`Stale` when a cell of the previous version changed region or population."""
        if self.previous is None:
            return
        columns = [Out.POPULATION, *LEVEL_COLUMNS.values()]
        old = pd.read_parquet(self.previous / "cells.parquet", columns=[Out.CELL, *columns])
        # Matched as H3 integers (which hold the resolution), not by merging the text of every
        # cell: on 28 national days, 1.2 s against 2.1 s for 900 k cells (under cProfile).
        before_keys = cells.from_strings(old[Out.CELL].array)
        now_keys = cells.from_strings(static_cells[Out.CELL].array)
        order = np.argsort(now_keys, kind="stable")
        at = cells.positions(now_keys[order], before_keys)
        mine = np.flatnonzero(at >= 0)
        theirs = order[at[mine]]
        for column in columns:
            before = old[column].to_numpy(dtype=object)[mine]
            after = static_cells[column].to_numpy(dtype=object)[theirs]
            same = (before == after) | (pd.isna(before) & pd.isna(after))
            if not same.all():
                msg = f"the {column} of {int((~same).sum())} previous cells changed"
                raise Stale(msg)

    def manifest(self, end: dt.date) -> dict:
        """The manifest's ``reuse`` entry."""
        if self.previous is None or self.start is None or self.first is None:
            return {"copied_days": None, "reason": self.reason}
        last = min(end, self.first - dt.timedelta(days=1))
        return {
            "copied_days": [self.start.isoformat(), last.isoformat()],
            "reason": self.reason,
        }


def _no_reuse(reason: str) -> Plan:
    return Plan(None, None, None, reason)


def _same_setup(manifest: dict, config: Config) -> str | None:
    """Why the previous build's rows cannot be copied, or ``None``."""
    checks = {
        "package version": (manifest.get("version"), __version__),
        "configuration": (manifest.get("config_sha256"), config.digest()),
        "reference data": (manifest.get("reference_data_sha256"), reference.data_digest()),
        "resolutions": (manifest.get("resolutions"), list(config.cells.resolutions)),
        "kind of input digest": (manifest.get("input_digests"), DIGEST_KIND),
    }
    for what, (before, now) in checks.items():
        if before != now:
            return f"the previous build was made with another {what}"
    return None


def _first_change(
    before: pd.DataFrame, now: pd.DataFrame, columns: tuple[str, ...] = ("cases", "venue_events")
) -> dt.date | None:
    """The earliest day whose digests in ``columns`` differ, or ``None``."""
    both = before.merge(now, on="date", how="outer", suffixes=("_before", ""), indicator=True)
    changed = both["_merge"] != "both"
    for column in columns:
        changed |= both[f"{column}_before"].fillna("") != both[column].fillna("")
    days = both.loc[changed.to_numpy(), "date"]
    return None if days.empty else days.min().date()


def _previous(out: Path, config: Config) -> tuple[Path, dict] | str:
    """The previous version in ``out`` and its manifest, or why its rows cannot be reused."""
    if not (out / "manifest.json").is_file():
        return "no previous build"
    previous = out.resolve()
    manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
    why = _same_setup(manifest, config)
    if why:
        return why
    if not (previous / DIGESTS).is_file():
        return f"the previous build has no {DIGESTS}"
    return previous, manifest


@dataclass(frozen=True)
class VenuePlan:
    """Which venue days a build reads from the previous version.

    Attributes
    ----------
    previous
        The previous version's folder, or ``None``: every venue day is computed.
    first
        The first day computed; the venue days before it are read from ``previous``.
    reason
        Why nothing is read, or what is.
    """

    previous: Path | None
    first: dt.date | None
    reason: str

    def manifest(self, start: dt.date) -> dict:
        """The manifest's ``reuse.venue_days`` entry: the days read, and why."""
        if self.previous is None or self.first is None:
            return {"read_days": None, "reason": self.reason}
        last = self.first - dt.timedelta(days=1)
        return {"read_days": [start.isoformat(), last.isoformat()], "reason": self.reason}

    def rows(self) -> pd.DataFrame | None:
        """The previous version's venue days before :attr:`first`, or ``None``."""
        if self.previous is None or self.first is None:
            return None
        day = pa.scalar(pd.Timestamp(self.first), pa.timestamp("s"))
        table = pq.read_table(self.previous / VENUE_DAYS, filters=[("date", "<", day)])
        return table.to_pandas()


def venue_plan(out: Path, config: Config, now: pd.DataFrame | None, ahead: int) -> VenuePlan:
    """Which venue days of a build into ``out`` can be read from the build there.

    Parameters
    ----------
    out
        The build folder (its current version is the previous build).
    config
        The configuration of this build.
    now
        This build's :func:`day_digests` of its cases and stored check-in loads (without venue
        events); ``None``: the check-ins were read from files for this build, every day is
        computed.
    ahead
        The days before a changed input day whose venue days it can change
        (``reach(config).ahead``).
    """
    if now is None:
        return VenuePlan(None, None, "the check-ins were not loaded into an inputs store")
    found = _previous(out, config)
    if isinstance(found, str):
        return VenuePlan(None, None, found)
    previous, _ = found
    before = pd.read_parquet(previous / DIGESTS)
    if not (previous / VENUE_DAYS).is_file() or "checkin_loads" not in before:
        return VenuePlan(None, None, "the previous build kept no venue days")
    if before.empty:
        return VenuePlan(None, None, "the previous build had no input day")
    changed = _first_change(before, now, ("cases", "checkin_loads"))
    if changed is None:  # the same inputs: every venue day is the previous one
        first = before["date"].max().date() + dt.timedelta(days=1)
        reason = "no input changed"
    else:
        first = changed - dt.timedelta(days=ahead)
        reason = f"the inputs changed from {changed.isoformat()}"
    if first <= before["date"].min().date():
        return VenuePlan(None, None, reason)
    logger.info("reading the venue days before %s from %s", first, previous.name)
    return VenuePlan(previous, first, reason)


def plan(out: Path, config: Config, start: dt.date, digests: pd.DataFrame, chunk: int) -> Plan:
    """What a build starting on ``start`` into ``out`` can copy from the build there.

    Parameters
    ----------
    out
        The build folder (its current version is the previous build).
    config
        The configuration of this build.
    start
        This build's first day.
    digests
        This build's :func:`day_digests`.
    chunk
        Days computed together: the first computed day is a whole number of chunks after
        the build's first day.
    """
    found = _previous(out, config)
    if isinstance(found, str):
        return _no_reuse(found)
    previous, manifest = found
    if manifest.get("date_range", [None])[0] != start.isoformat():
        return _no_reuse("the first day of the inputs changed")
    changed = _first_change(pd.read_parquet(previous / DIGESTS), digests)
    reason = f"the inputs changed from {changed.isoformat()}" if changed else "no input changed"
    # The previous build has no rows after its last day (this build's windows reach them).
    after = dt.date.fromisoformat(manifest["date_range"][1]) + dt.timedelta(days=1)
    if changed is None or after < changed:
        reason = f"{reason}; the previous build ends on {after - dt.timedelta(days=1)}"
    changed = min(changed, after) if changed else after
    first = start + dt.timedelta(days=(changed - start).days // chunk * chunk)
    if first <= start:
        within = "on the first day" if chunk == 1 else f"within the first {chunk} days"
        return _no_reuse(f"{reason}, {within}")
    logger.info("copying the cell rows of %s to %s from %s", start, first, previous.name)
    return Plan(previous, start, first, reason)
