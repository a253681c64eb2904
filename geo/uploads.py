"""The inputs store: files loaded by officials, validated once, kept as Parquet, and rebuilt from.

An official loads cases, check-ins or venues one file at a time. :meth:`InputStore.check`
validates a file against the store and the official's region without changing anything;
:meth:`InputStore.add` keeps its accepted rows as Parquet, keyed by the sha256 of the file's bytes
(loading the same file again changes nothing), and its quarantine as CSV; :meth:`InputStore.rebuild`
builds the zone tables from every stored row, atomically, with :func:`geo.build.build_validated`.
A cases file's region codes are read in its edition (``codes``, else detected as ``geo build``
does) and kept in 2025 codes (:func:`geo.editions.translate_load`), so a rebuild reads one edition.

Incremental where it is safe: reading, parsing timestamps and locating points in polygons happen
once per file, when it is loaded; a rebuild reads typed columns back. The windows (7- and 14-day
sums, the 28-day crowding baseline, exposure that looks 14 days forward to a later case) are
recomputed from all stored rows, because a file changes the days around it, not only its own: a
check-in becomes exposed when its person is reported up to 14 days later, and a late file may hold
old days. README.md ("Loading new data") gives the measured cost of each part.

Regions cannot see each other: every load belongs to the region it was loaded for (its
``scope``). Ids are unique within that region only: a file is "already loaded", an id a
``duplicate`` and a check-in's venue known only among the loads for the same region, so an
official never learns what another region loaded, nor blocks its rows by loading its ids first.
A rebuild keeps the regions apart too: venue and person ids are namespaced by the loading region
(:func:`namespaced`), so a check-in joins its own region's venue and a case links (exposure) only
to check-ins loaded for the same region.

The store folder must not be inside a build (it holds ``person_id``)::

    store.json                  the loads, in order: kind, name, sha256, counts, scope (and
                                cumulative: a cases file of running totals, kept as totals;
                                codes: a cases file's edition of region codes, how it was
                                known and what its translation to 2025 codes did)
    cases/<sha256>.parquet      the accepted rows of each load (likewise checkins/, venues/; a
                                check-in keeps its venue's number among the region's venues)
    quarantine/<sha256>.csv     the quarantine of each load (file,row,column,check,value,reason)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo import editions, filemodes, reference, safetext, store
from geo.accounts import WHOLE_COUNTRY
from geo.batches import read_batches
from geo.build import STEPS, Inputs, Step, build_validated
from geo.columns import Col
from geo.config import Config
from geo.cumulative import Conversion, to_daily
from geo.errors import BuildError
from geo.ingest import STORED_SCHEMA, StoredCheckins, rows_on_disk, stage_checkins
from geo.readers import sha256_of
from geo.upload_checks import (
    ID_COLUMNS,
    KINDS,
    LABELS,
    MAX_UPLOAD_MB,
    REQUIRED,
    check_kind,
    check_size,
    outside_rules,
    upload_file,
    upload_name,
    validate_upload,
)
from geo.validate import QUARANTINE_COLUMNS, Checked, plausible, venue_array

logger = logging.getLogger(__name__)

__all__ = ["KINDS", "MAX_UPLOAD_MB", "InputStore", "Report", "inputs_beside"]
INDEX = "store.json"


@dataclass(frozen=True)
class Report:
    """The validation report of one file: counts and the quarantined rows with their reasons."""

    kind: str
    name: str
    sha256: str
    read: int
    accepted: int
    quarantined: int
    quarantine: pd.DataFrame
    already_loaded: bool = False
    #: A cases file's edition of region codes and how it was known (:mod:`geo.editions`).
    codes: dict[str, object] | None = None

    def quarantine_csv(self) -> bytes:
        """The quarantine as CSV, the same columns as a build's ``quarantine.csv``; a value a
        spreadsheet would run as a formula is neutralised (:mod:`geo.safetext`)."""
        return safetext.to_csv(self.quarantine)


def inputs_beside(build: str | Path) -> Path:
    """The default store of a build: ``build/sample`` → ``build/sample-inputs``."""
    build = Path(build)
    return build.parent / f"{build.name}-inputs"


def _report(kind: str, name: str, sha256: str, checked: Checked, *, loaded: bool = False) -> Report:
    counts = checked.counts
    return Report(
        kind=kind,
        name=name,
        sha256=sha256,
        read=counts["read"],
        accepted=counts["accepted"],
        quarantined=counts["quarantined"],
        quarantine=checked.quarantine[QUARANTINE_COLUMNS].reset_index(drop=True),
        already_loaded=loaded,
        codes=checked.codes,
    )


def _replace(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file through a temporary name and rename it into place."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    write(tmp)
    filemodes.secure(tmp)
    tmp.replace(path)


class LoadOptions(TypedDict, total=False):
    """How a file is loaded (:meth:`InputStore.check`, :meth:`InputStore.add`).

    Attributes
    ----------
    scope
        The loading official's region (``None``, the default: Indonesia); rows located outside
        it are quarantined with a reason naming the region.
    today
        The date after which input dates are "in the future" (default: today in WIB).
    max_mb
        The largest file accepted, in MB (default :data:`MAX_UPLOAD_MB`).
    cumulative
        A cases file of running totals (``--cases-cumulative``): kept as totals, and turned
        into new cases per day with every other cumulative load of the region at each
        rebuild (:mod:`geo.cumulative`), so monthly files can be loaded one at a time.
    codes
        The edition of a cases file's region codes, ``"2020"`` or ``"2025"`` (``--codes``);
        ``None`` (the default) detects it as ``geo build`` does. The report's ``codes`` says
        which and how; a file whose codes contradict a declared edition is refused whole.
    """

    scope: str | None
    today: dt.date | None
    max_mb: float
    cumulative: bool
    codes: str | None


class InputStore:
    """A folder of validated inputs (see the module docstring).

    Parameters
    ----------
    path
        The store's folder, created on the first load; never inside a build.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # --- What the store holds ---------------------------------------------------------------

    def _index(self) -> dict:
        index = self.path / INDEX
        if not index.is_file():
            return {"reference_data_sha256": reference.data_digest(), "loads": []}
        return json.loads(index.read_text(encoding="utf-8"))

    def loads(self) -> list[dict]:
        """Every load, oldest first: ``kind, name, sha256, read, accepted, quarantined, scope``."""
        return self._index()["loads"]

    def state(self) -> str:
        """A digest of the store's index, which changes with every load (for cache keys)."""
        index = self.path / INDEX
        return hashlib.sha256(index.read_bytes()).hexdigest() if index.is_file() else ""

    @staticmethod
    def _stem(sha256: str, scope: str | None) -> str:
        """A load's file stem: the bytes' digest, and the region it was loaded for."""
        return sha256 if scope is None else f"{sha256}-{scope}"

    def _part(self, kind: str, sha256: str, scope: str | None) -> Path:
        return self.path / kind / f"{self._stem(sha256, scope)}.parquet"

    def _quarantine_path(self, kind: str, sha256: str, scope: str | None) -> Path:
        return self.path / "quarantine" / f"{kind}-{self._stem(sha256, scope)}.csv"

    def _of_kind(self, kind: str) -> list[dict]:
        return [load for load in self.loads() if load["kind"] == kind]

    def _check_reference(self) -> None:
        if self._index()["reference_data_sha256"] != reference.data_digest():
            msg = (
                f"The inputs store {self.path} was validated against other reference data "
                "(data/ has changed); start a new store and load its files again."
            )
            raise BuildError(msg)

    def _of_region(self, kind: str, scope: str | None) -> list[dict]:
        """The loads of ``kind`` made for the region ``scope``: the only ones it is checked
        against (another region's loads are never compared, named or revealed)."""
        return [load for load in self._of_kind(kind) if load["scope"] == scope]

    def _venues(self, scope: str | None) -> pd.DataFrame:
        parts = [
            pd.read_parquet(
                self._part("venues", load["sha256"], load["scope"]), columns=[Col.VENUE_ID, "poly"]
            )
            for load in self._of_region("venues", scope)
        ]
        if not parts:
            return pd.DataFrame({Col.VENUE_ID: pd.Series(dtype=str), "poly": pd.Series(dtype=int)})
        return pd.concat(parts, ignore_index=True)

    def _stored_quarantine(self, load: dict) -> pd.DataFrame:
        table = pd.read_csv(
            self._quarantine_path(load["kind"], load["sha256"], load["scope"]),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
        )
        return table.astype({"row": np.int64})

    # --- Validating a file --------------------------------------------------------------------

    def _validate(
        self,
        kind: str,
        name: str,
        data: bytes | Path,
        scope: str | None,
        today: dt.date | None,
        cumulative: bool = False,
        codes: str | None = None,
    ) -> Checked:
        return validate_upload(
            kind,
            name,
            data,
            venues=self._venues(scope),
            loaded=self._loaded_ids(kind, scope),
            scope=scope,
            today=today,
            cumulative=cumulative,
            codes=codes,
        )

    def _loaded_ids(self, kind: str, scope: str | None) -> Iterator[tuple[str, pa.Array]]:
        """``(file name, ids)`` of each load of ``kind`` for the region ``scope``, one at a time."""
        column = ID_COLUMNS[kind]
        for load in self._of_region(kind, scope):
            table = pq.read_table(self._part(kind, load["sha256"], load["scope"]), columns=[column])
            yield load["name"], table[column].combine_chunks()

    # --- Checking and adding files ------------------------------------------------------------

    def _stored_report(self, load: dict) -> Report:
        return Report(
            kind=load["kind"],
            name=load["name"],
            sha256=load["sha256"],
            read=load["read"],
            accepted=load["accepted"],
            quarantined=load["quarantined"],
            quarantine=self._stored_quarantine(load),
            already_loaded=True,
            codes=load.get("codes"),
        )

    def _loaded(self, kind: str, sha256: str, scope: str | None) -> dict | None:
        """An earlier load of these bytes for the same region; the same file loaded for another
        region is a load of its own (its report is not shown to this one)."""
        return next((x for x in self._of_region(kind, scope) if x["sha256"] == sha256), None)

    def check(
        self, kind: str, name: str, data: bytes | Path, **options: Unpack[LoadOptions]
    ) -> Report:
        """Validate a file against the store without changing anything.

        Parameters
        ----------
        kind
            ``cases``, ``checkins`` or ``venues``.
        name
            The file's name; its suffix says CSV or Parquet.
        data
            The file's bytes, or its path (read where it is; its own name is the file's name).
        **options
            How the file is loaded (:class:`LoadOptions`).
        """
        return self._load(kind, name, data, options, keep=False)

    def add(
        self, kind: str, name: str, data: bytes | Path, **options: Unpack[LoadOptions]
    ) -> Report:
        """Validate a file and keep its accepted rows; a file loaded before changes nothing.

        Same parameters as :meth:`check`. The report says ``already_loaded`` for a file whose
        bytes are in the store (whatever ``codes`` says now: the load keeps its edition). Rows
        in 2020 codes are kept in 2025 codes (:func:`geo.editions.translate_load`), and
        ``store.json`` records the load's edition, how it was known and the translation.
        """
        return self._load(kind, name, data, options, keep=True)

    def _load(
        self, kind: str, name: str, data: bytes | Path, options: LoadOptions, *, keep: bool
    ) -> Report:
        """The report of a file (a stored one for bytes loaded before); with ``keep`` its
        accepted rows are written, under the store's lock."""
        check_kind(kind)
        if isinstance(data, Path):
            name, size, sha256 = data.name, data.stat().st_size, sha256_of(data)
        else:
            name, size, sha256 = upload_name(name), len(data), hashlib.sha256(data).hexdigest()
        check_size(name, size, options.get("max_mb", MAX_UPLOAD_MB))
        scope, cumulative = options.get("scope"), options.get("cumulative", False)
        with self._lock() if keep else contextlib.nullcontext():
            loaded = self._loaded(kind, sha256, scope)
            if loaded is not None:
                return self._stored_report(loaded)
            self._check_reference()
            if kind == "checkins":
                return self._load_checkins(name, data, sha256, options, keep=keep)
            checked = self._validate(
                kind, name, data, scope, options.get("today"), cumulative, options.get("codes")
            )
            report = _report(kind, name, sha256, checked)
            if keep:
                checked = editions.translate_load(checked, cumulative=cumulative)
                report = replace(report, codes=checked.codes)
                self._write(report, checked.accepted, scope, cumulative=cumulative)
                logger.info("loaded %s %s: %s accepted", kind, name, report.accepted)
        return report

    def _load_checkins(
        self, name: str, data: bytes | Path, sha256: str, options: LoadOptions, *, keep: bool
    ) -> Report:
        """A check-ins file validated in batches, as ``geo build`` stages one
        (:func:`geo.ingest.stage_checkins`: memory follows a batch, and the ids of earlier loads
        are compared in DuckDB); the report is the one the whole file's validation gives."""
        scope = options.get("scope")
        venues = self._venues(scope)
        earlier = [
            (x["name"], self._part("checkins", x["sha256"], x["scope"]))
            for x in self._of_region("checkins", scope)
        ]
        more = outside_rules("checkins", scope, venues) if scope is not None else []
        window = plausible(today=options.get("today"))
        with upload_file(name, data) as path:
            batches = read_batches(path, REQUIRED["checkins"], label=LABELS["checkins"])
            checked, staged = stage_checkins(
                batches, venues, window=window, more=more, earlier=earlier, kept=True
            )
        with staged:
            report = _report("checkins", name, sha256, checked)
            if keep:
                self._write(report, staged.write_kept, scope, cumulative=False)
                logger.info("loaded checkins %s: %s accepted", name, report.accepted)
        return report

    def _write(
        self,
        report: Report,
        accepted: pd.DataFrame | Callable[[Path], object],
        scope: str | None,
        *,
        cumulative: bool,
    ) -> None:
        """Write a load's rows (a frame, or what writes them to a path) and quarantine, then
        (last) the index that makes them count."""
        part = self._part(report.kind, report.sha256, scope)
        quarantine = self._quarantine_path(report.kind, report.sha256, scope)
        filemodes.make_dir(part.parent)
        filemodes.make_dir(quarantine.parent)
        if isinstance(accepted, pd.DataFrame):
            _replace(part, lambda tmp: store.write_parquet(accepted, tmp))
        else:
            _replace(part, accepted)
        _replace(quarantine, lambda tmp: tmp.write_bytes(report.quarantine_csv()))
        index = self._index()
        index["loads"].append(
            {
                "kind": report.kind,
                "name": report.name,
                "sha256": report.sha256,
                "read": report.read,
                "accepted": report.accepted,
                "quarantined": report.quarantined,
                "scope": scope,
                **({"cumulative": True} if cumulative else {}),
                **({"codes": report.codes} if report.codes else {}),
            }
        )
        _replace(self.path / INDEX, lambda tmp: store.write_json(index, tmp))

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time (two officials loading at once wait for each other)."""
        filemodes.make_dir(self.path)
        with (self.path / ".lock").open("a") as handle:
            filemodes.secure(self.path / ".lock")
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- Rebuilding -------------------------------------------------------------------------

    def _checked(self, kind: str) -> Checked | None:
        """Every stored row of one kind, as the build takes validated inputs; the check-ins'
        rows are left on disk (``accepted`` empty: :meth:`_stored_checkins` serves them)."""
        loads = self._of_kind(kind)
        if not loads:
            return None
        if kind == "checkins":
            accepted, series = rows_on_disk(), None
        else:
            parts = [
                namespaced(pd.read_parquet(self._part(kind, x["sha256"], x["scope"])), x["scope"])
                for x in loads
                if not x.get("cumulative")
            ]
            series = self._cumulative(loads)
            if series is not None:
                parts.append(series.daily)
            accepted = pd.concat(parts, ignore_index=True)
        quarantine = pd.concat([self._stored_quarantine(x) for x in loads], ignore_index=True)
        digest = hashlib.sha256("\n".join(x["sha256"] for x in loads).encode()).hexdigest()
        return Checked(
            accepted,
            quarantine,
            sum(x["read"] for x in loads),
            digest,
            codes=editions.of_loads(loads),
            cumulative=series.summary if series is not None else None,
            corrections=series.corrections if series is not None else None,
            rows_accepted=sum(x["accepted"] for x in loads),  # rows of the files, not days
        )

    def _stored_checkins(self, venues: Checked | None) -> StoredCheckins | None:
        """The stored check-ins, served a chunk of days at a time from their parts."""
        loads = self._of_kind("checkins")
        if not loads or venues is None:
            return None
        regions = self._region_venues()
        order = {scope: number for number, scope in enumerate(regions)}
        parts = []
        for load in loads:
            part = self._part("checkins", load["sha256"], load["scope"])
            if "venue" not in pq.read_schema(part).names:
                self._number_venues(part, load["scope"])
            parts.append((part, id_prefix(load["scope"]), order.get(load["scope"], -1)))
        return StoredCheckins(parts, venues.accepted, list(regions.values()))

    def _region_venues(self) -> dict[str | None, np.ndarray]:
        """Each region's venues, in the order its check-in loads number them (its venue loads in
        turn, :meth:`_venues`), as positions among every stored venue (every venue load in
        turn, as :meth:`_checked` reads them for a rebuild)."""
        positions: dict[str | None, list[np.ndarray]] = {}
        start = 0
        for load in self._of_kind("venues"):
            rows = pq.read_metadata(self._part("venues", load["sha256"], load["scope"])).num_rows
            positions.setdefault(load["scope"], []).append(np.arange(start, start + rows))
            start += rows
        return {scope: np.concatenate(p) for scope, p in positions.items()}

    def _number_venues(self, part: Path, scope: str | None) -> None:
        """Give a check-ins part written before parts held venue numbers (:data:`STORED_SCHEMA`)
        its venues' positions among its region's venues, once, a batch at a time."""
        known = venue_array(self._venues(scope))  # as a load looks its venues up

        def write(tmp: Path) -> None:
            with pq.ParquetWriter(tmp, STORED_SCHEMA, compression="zstd") as writer:
                for batch in pq.ParquetFile(part).iter_batches(batch_size=1 << 20):
                    table = pa.Table.from_batches([batch])
                    venue = pc.index_in(table["venue_id"].cast(pa.string()), known)
                    table = table.append_column("venue", venue.cast(pa.int32()))
                    writer.write_table(table.cast(STORED_SCHEMA))

        _replace(part, write)
        logger.info("numbered the venues of the check-ins part %s", part.name)

    def _cumulative(self, loads: list[dict]) -> Conversion | None:
        """The cumulative loads as new cases per day, each region's loads as one series: a
        later load's total for the same place and date replaces an earlier one."""
        parts = []
        for load in (x for x in loads if x.get("cumulative")):
            rows = pd.read_parquet(self._part("cases", load["sha256"], load["scope"]))
            parts.append(namespaced(rows, load["scope"]).assign(_scope=str(load["scope"])))
        if not parts:
            return None
        every = pd.concat(parts, ignore_index=True)
        place = every[Col.REGION_CODE].fillna(
            every[Col.LAT].astype(str) + "," + every[Col.LON].astype(str)
        )
        every = every[
            ~pd.concat([every["_scope"], place, every["date"]], axis=1)
            .duplicated(keep="last")
            .to_numpy()
        ]
        conversions = [
            to_daily(group.drop(columns="_scope")) for _, group in every.groupby("_scope")
        ]
        return Conversion(
            pd.concat([c.daily for c in conversions], ignore_index=True),
            pd.concat([c.corrections for c in conversions], ignore_index=True),
            {k: sum(c.summary[k] for c in conversions) for k in conversions[0].summary},
        )

    def rebuild(
        self,
        out: str | Path,
        *,
        config: Config | None = None,
        on_step: Step | None = None,
        engine: str = "local",
        scheduler: str | None = None,
        workers: int | None = None,
    ) -> dict:
        """Build every stored row into ``out``, atomically: a failure leaves the old build.

        The cell rows of the days whose stored rows did not change since the build in ``out``
        are copied from it (:mod:`geo.incremental`): loading a new day computes the days it can
        change, not the whole history.

        Parameters
        ----------
        out
            The build directory.
        config
            The risk configuration (default: the one of the build in ``out``, else the default).
        on_step
            Called with (step name, step number, number of steps) as the build advances.
        engine, scheduler, workers
            Where the cell rows are computed (:func:`geo.build.build`).

        Returns
        -------
        dict
            The manifest; each input's ``sha256`` is a digest of the loads of that kind.
        """
        out = Path(out)
        store_dir, build_dir = self.path.resolve(), out.resolve()
        if store_dir.is_relative_to(build_dir) or build_dir.is_relative_to(store_dir):
            msg = f"The inputs store {self.path} must not be inside the build {out}, nor it in it."
            raise BuildError(msg)
        with self._lock():
            self._check_reference()
            if on_step:
                on_step(STEPS[0], 1, len(STEPS))
            cases = self._checked("cases")
            if cases is None:
                msg = f"The inputs store {self.path} holds no cases yet: load a cases file first."
                raise BuildError(msg)
            venues = self._checked("venues")
            inputs = Inputs(cases, self._checked("checkins"), venues, self._stored_checkins(venues))
            with inputs:  # the check-ins' DuckDB connection and folder are closed after
                return build_validated(
                    inputs,
                    out,
                    config=config or _config_of(out),
                    on_step=on_step,
                    engine=engine,
                    scheduler=scheduler,
                    workers=workers,
                )


def id_prefix(scope: str | None) -> str:
    """The prefix of the ids a region loads (``ID/`` for the whole country, ``31/`` for DKI)."""
    return f"{scope or WHOLE_COUNTRY}/"


def namespaced(frame: pd.DataFrame, scope: str | None) -> pd.DataFrame:
    """``frame`` with its venue and person ids prefixed by the loading region (``ID/`` for the
    whole country, ``31/`` for DKI): ids of different regions never meet in a build."""
    prefix = id_prefix(scope)
    for column in (Col.VENUE_ID, Col.PERSON_ID):
        if column in frame.columns:
            frame[column] = prefix + frame[column].astype("string")
    return frame


def _config_of(build: Path) -> Config | None:
    """The configuration the build in ``build`` was made with, if there is one."""
    path = build / "config.json"
    if not path.is_file():
        return None
    return Config.model_validate_json(path.read_text(encoding="utf-8"))
