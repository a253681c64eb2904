"""Validate an uploaded file against the files loaded before it and the loader's region.

After the per-file rules of :mod:`geo.validate`, in the same run (:mod:`geo.rules`), an id that an earlier load for the same
region holds (``loaded``: the caller passes only those, so regions never see each other) is
quarantined as ``duplicate`` naming that file (the first one is kept), and, for an official
scoped to a region, a row located outside it as ``outside_region`` naming the region: cases by
point or by region code (a coarser code than the region is outside), venues by point, check-ins
by their venue (:func:`store_rules`). :mod:`geo.uploads` keeps what is accepted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import editions, reference, regions, validate
from geo.columns import LEVEL_COLUMNS, Col
from geo.errors import InputFileError, RegionError
from geo.point_rules import point_values, polygons
from geo.readers import RawTable, read_input
from geo.rules import Rule, Run
from geo.validate import Checked
from geo.vocab import LOAD_KIND_WORDS, LOAD_KINDS

#: Kinds of input, in the order they should be loaded (check-ins need their venues first).
KINDS: tuple[str, ...] = LOAD_KINDS
LABELS = LOAD_KIND_WORDS
REQUIRED = {
    "cases": validate.CASE_COLUMNS,
    "checkins": validate.CHECKIN_COLUMNS,
    "venues": validate.VENUE_COLUMNS,
}
ID_COLUMNS = {"cases": Col.CASE_ID, "checkins": Col.CHECKIN_ID, "venues": Col.VENUE_ID}
#: Largest file accepted, in MB; the dashboard passes Streamlit's ``server.maxUploadSize``.
MAX_UPLOAD_MB = 200


def upload_name(name: str) -> str:
    """The file name of an upload, without any folder a browser may send."""
    return Path(name.replace("\\", "/")).name or "upload"


def check_size(name: str, size: int, max_mb: float) -> None:
    """Refuse a file larger than ``max_mb`` MB, with a sentence."""
    if size > max_mb * 1024 * 1024:
        msg = (
            f"{name} is {size / 1024 / 1024:.1f} MB, more than the {max_mb:g} MB that can be "
            "loaded at once (server.maxUploadSize); split it by date."
        )
        raise InputFileError(msg)


def check_kind(kind: str) -> None:
    """Refuse an unknown kind of input, with a sentence."""
    if kind not in REQUIRED:
        msg = f"Unknown kind of input {kind!r}; use one of {', '.join(KINDS)}."
        raise InputFileError(msg)


@contextlib.contextmanager
def upload_file(name: str, data: bytes | Path) -> Iterator[Path]:
    """An upload as a file named ``name`` (its suffix says CSV or Parquet): ``data`` itself when
    it is a path, else its bytes written to a temporary folder, removed afterwards."""
    if isinstance(data, Path):
        yield data
        return
    with tempfile.TemporaryDirectory(prefix="pantauzona-upload-") as folder:
        path = Path(folder) / upload_name(name)
        path.write_bytes(data)
        yield path


def _read(kind: str, path: Path, *, cumulative: bool = False) -> RawTable:
    check_kind(kind)
    if kind == "cases":
        return validate.read_cases(path, cumulative=cumulative)
    return read_input(path, REQUIRED[kind], label=LABELS[kind])


def _scope_name(scope: str) -> str:
    table = reference.regions()
    if scope not in table.index:
        msg = f"Unknown region {scope!r} for the scope of a load."
        raise RegionError(msg)
    return f"{scope} ({table.loc[scope, 'name']})"


def _inside(poly: np.ndarray, scope: str) -> np.ndarray:
    """Whether each located point (polygon index, -1 for none) lies in the region ``scope``."""
    column = LEVEL_COLUMNS[regions.level_of(scope)]
    return (regions.codes_of(poly)[column] == scope).to_numpy()


def validate_upload(
    kind: str,
    name: str,
    data: bytes | Path,
    *,
    venues: pd.DataFrame,
    loaded: Iterable[tuple[str, pa.Array]],
    scope: str | None = None,
    today: dt.date | None = None,
    cumulative: bool = False,
    codes: str | None = None,
) -> Checked:
    """Validate an uploaded file; a file refused whole raises :class:`InputFileError`.

    Parameters
    ----------
    kind, name, data
        The kind of input, the file's name and its bytes (or its path), as
        :meth:`geo.uploads.InputStore.check`.
    venues
        The venues loaded so far (``venue_id``, ``poly``), for check-ins.
    loaded
        ``(file name, ids)`` of each earlier load of this kind, oldest first.
    scope, today, cumulative
        As :class:`geo.uploads.LoadOptions` (the loader's region, ``None`` for Indonesia).
    codes
        The edition of a cases file's region codes: ``"2020"``, ``"2025"`` or ``None`` to
        detect it, as ``geo build`` does (:mod:`geo.editions`). The scope applies to a 2020
        code's 2025 successors (:func:`geo.editions.coded_inside`).

    Returns
    -------
    Checked
        Accepted rows (check-ins keep their ``checkin_id``) and the quarantine; the rows keep
        the file's codes and ``Checked.codes`` says their edition.
    """
    with upload_file(name, data) as path:
        raw = _read(kind, path, cumulative=cumulative)
    more = store_rules(kind, loaded, scope, venues)
    if kind == "cases":
        return validate.validate_cases(raw, today=today, codes=codes, more=more)
    if kind == "venues":
        return validate.validate_venues(raw, more=more)
    return validate.validate_checkins(raw, venues, today=today, more=more, ids=True)


def store_rules(
    kind: str,
    loaded: Iterable[tuple[str, pa.Array]],
    scope: str | None,
    venues: pd.DataFrame,
) -> list[Rule]:
    """The rules of an upload against the store, run after the file's own: an id that an
    earlier load holds (``loaded``), then, for an official scoped to a region, a row located
    outside it."""
    more = [_loaded_rule(kind, loaded)]
    return more if scope is None else [*more, *outside_rules(kind, scope, venues)]


def _loaded_rule(kind: str, loaded: Iterable[tuple[str, pa.Array]]) -> Rule:
    """Ids that an earlier load holds already are quarantined as ``duplicate`` naming that
    load (the first one is kept); rows of a file of counts without an id are not compared."""
    column = ID_COLUMNS[kind]

    def found(run: Run) -> tuple[np.ndarray, np.ndarray]:
        ids = run.text(column)
        keys = pa.array(np.where(run.alive & (ids != "").to_numpy(), ids, None), pa.string())
        hit = np.zeros(len(ids), dtype=bool)
        reasons = np.full(len(ids), "", dtype=object)
        for earlier, stored in loaded:
            now = pc.is_in(keys, value_set=stored.cast(pa.string()), skip_nulls=True)
            now = pc.fill_null(now, False).to_numpy(zero_copy_only=False) & ~hit
            reasons[now] = f"duplicate {column} (already loaded from {earlier})"
            hit |= now
        return hit, reasons

    def facts(run: Run) -> tuple[np.ndarray, np.ndarray]:
        return run.fact("in_store", lambda: found(run))

    def reason(run: Run, hit: np.ndarray) -> np.ndarray:
        return facts(run)[1][hit]

    return Rule("duplicate", column, lambda run: facts(run)[0], reason, ("duplicate_loaded",))


def outside_rules(kind: str, scope: str, venues: pd.DataFrame) -> list[Rule]:
    """Rows located outside the region ``scope``: cases by point or by region code (a coarser
    code than the region is outside), venues by point, check-ins by their venue."""
    where = _scope_name(scope)
    if kind == "checkins":
        inside = venues[Col.VENUE_ID][_inside(venues["poly"].to_numpy(), scope)]
        return [
            Rule(
                "outside_region",
                Col.VENUE_ID,
                lambda run: ~run.text(Col.VENUE_ID).isin(inside).to_numpy(),
                f"the check-in's venue is outside your region {where}",
                ("outside_checkin",),
            )
        ]
    said = f"the {'case' if kind == 'cases' else 'venue'} is outside your region {where}"
    words = ("outside_case",) if kind == "cases" else ("outside_venue",)

    def point(run: Run) -> np.ndarray:
        poly = polygons(run)
        return (poly >= 0) & ~_inside(poly, scope)

    def edition(run: Run) -> str | None:
        decision = editions.decided(run)
        return decision.edition if decision is not None else None

    def coded(run: Run) -> np.ndarray:
        codes = run.text(Col.REGION_CODE)
        return (polygons(run) < 0) & ~editions.coded_inside(codes, scope, edition(run))

    def coded_said(run: Run, hit: np.ndarray) -> np.ndarray:
        notes = editions.scope_notes(run.text(Col.REGION_CODE), edition(run))[hit]
        return np.array([said + note for note in notes], dtype=object)

    rules = [Rule("outside_region", Col.LAT, point, said, words, point_values)]
    if kind == "cases":
        rules.append(
            Rule(
                "outside_region", Col.REGION_CODE, coded, coded_said, (*words, "outside_case_2020")
            )
        )
    return rules
