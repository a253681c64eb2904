"""Validate an uploaded file against the files loaded before it and the loader's region.

On top of the per-file checks of :mod:`geo.validate`, an id that an earlier load for the same
region holds (``loaded``: the caller passes only those, so regions never see each other) is
quarantined as ``duplicate`` naming that file (the first one is kept), and, for an official
scoped to a region, a row located outside it as ``outside_region`` naming the region: cases by
point or by region code (a coarser code than the region is outside), venues by point, check-ins
by their venue. :mod:`geo.uploads` keeps what is accepted.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import editions, reference, regions
from geo.columns import LEVEL_COLUMNS, Col
from geo.errors import BuildError, InputFileError, RegionError
from geo.readers import RawTable, read_input
from geo.validate import (
    CASE_COLUMNS,
    CHECKIN_COLUMNS,
    QUARANTINE_COLUMNS,
    VENUE_COLUMNS,
    Checked,
    read_cases,
    validate_cases,
    validate_checkins,
    validate_venues,
)
from geo.vocab import LOAD_KIND_WORDS, LOAD_KINDS

#: Kinds of input, in the order they should be loaded (check-ins need their venues first).
KINDS: tuple[str, ...] = LOAD_KINDS
LABELS = LOAD_KIND_WORDS
REQUIRED = {"cases": CASE_COLUMNS, "checkins": CHECKIN_COLUMNS, "venues": VENUE_COLUMNS}
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


def _read(kind: str, name: str, data: bytes, *, cumulative: bool = False) -> RawTable:
    """Read uploaded bytes as the file ``name`` (its suffix says CSV or Parquet)."""
    if kind not in REQUIRED:
        msg = f"Unknown kind of input {kind!r}; use one of {', '.join(KINDS)}."
        raise InputFileError(msg)
    with tempfile.TemporaryDirectory(prefix="pantauzona-upload-") as folder:
        path = Path(folder) / upload_name(name)
        path.write_bytes(data)
        if kind == "cases":
            return read_cases(path, cumulative=cumulative)
        return read_input(path, REQUIRED[kind], label=LABELS[kind])


def _accepted_positions(raw: RawTable, checked: Checked) -> np.ndarray:
    """Positions in ``raw.frame`` of the accepted rows, in the order of ``checked.accepted``."""
    rows = raw.rows.to_numpy()
    keep = np.flatnonzero(~np.isin(rows, checked.quarantine["row"].to_numpy(dtype=np.int64)))
    if len(keep) != len(checked.accepted):  # pragma: no cover - a broken invariant, not input
        msg = f"{raw.name}: accepted rows do not match the quarantine ({len(keep)} positions)."
        raise BuildError(msg)
    return keep


def _reject(
    checked: Checked, name: str, rows: np.ndarray, mask: np.ndarray, entry: dict[str, object]
) -> tuple[Checked, np.ndarray]:
    """Move the accepted rows where ``mask`` holds to the quarantine of the file ``name``;
    ``entry`` gives ``column``, ``check``, ``value`` and ``reason`` (scalars, or arrays over the
    accepted rows). Returns the file's outcome and the row numbers of the rows still accepted."""
    if not mask.any():
        return checked, rows
    part: dict[str, object] = {"file": name, "row": rows[mask]}
    for key, value in entry.items():
        part[key] = value[mask] if isinstance(value, np.ndarray) else value
    quarantine = pd.concat(
        [checked.quarantine, pd.DataFrame(part)[QUARANTINE_COLUMNS]], ignore_index=True
    )
    quarantine = quarantine.sort_values("row", kind="stable").reset_index(drop=True)
    accepted = checked.accepted[~mask].reset_index(drop=True)
    return replace(checked, accepted=accepted, quarantine=quarantine), rows[~mask]


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


def _points(frame: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """``lat,lon`` as written, for the rows in ``mask`` (the value of a quarantine entry)."""
    values = np.full(len(frame), "", dtype=object)
    where = np.flatnonzero(mask)
    lat, lon = frame[Col.LAT].to_numpy()[where], frame[Col.LON].to_numpy()[where]
    values[where] = [f"{a},{b}" for a, b in zip(lat, lon, strict=True)]
    return values


def validate_upload(
    kind: str,
    name: str,
    data: bytes,
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
    kind
        ``cases``, ``checkins`` or ``venues``.
    name
        The file's name; its suffix says CSV or Parquet.
    data
        The file's bytes.
    venues
        The venues loaded so far (``venue_id``, ``poly``), for check-ins.
    loaded
        ``(file name, ids)`` of each earlier load of this kind, oldest first.
    scope
        The loader's region (``None``: Indonesia).
    today
        The date after which input dates are "in the future" (default: today in WIB).
    cumulative
        A cases file of running totals (its count column may be ``total_cases``); the rows
        are kept as totals, turned into days when the store is built.
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
    raw = _read(kind, name, data, cumulative=cumulative)
    if kind == "cases":
        checked = validate_cases(raw, today=today, codes=codes)
    elif kind == "venues":
        checked = validate_venues(raw)
    else:
        checked = validate_checkins(raw, venues, today=today)
    positions = _accepted_positions(raw, checked)
    if kind == "checkins":  # the validated table drops ids; the store keeps them
        ids = raw.frame[Col.CHECKIN_ID].iloc[positions].astype(str).str.strip()
        checked.accepted.insert(0, Col.CHECKIN_ID, ids.to_numpy(dtype=object))
    rows = raw.rows.to_numpy()[positions]
    checked, rows = _drop_loaded(kind, raw.name, checked, rows, loaded)
    if scope is not None:
        checked, rows = _drop_outside(kind, raw.name, checked, rows, scope, venues)
    return checked


def _drop_loaded(
    kind: str,
    name: str,
    checked: Checked,
    rows: np.ndarray,
    loaded: Iterable[tuple[str, pa.Array]],
) -> tuple[Checked, np.ndarray]:
    """Quarantine ids that an earlier load holds already (the first one is kept); rows of a
    file of counts without an id are not compared."""
    column = ID_COLUMNS[kind]
    given = checked.accepted[column].notna().to_numpy()
    ids = checked.accepted[column].astype(str).to_numpy(dtype=object)
    keys = pa.array(np.where(given, ids, None), type=pa.string())
    hit = np.zeros(len(ids), dtype=bool)
    reasons = np.full(len(ids), "", dtype=object)
    for earlier, stored in loaded:
        found = pc.is_in(keys, value_set=stored.cast(pa.string()), skip_nulls=True)
        found = pc.fill_null(found, False).to_numpy(zero_copy_only=False) & ~hit
        reasons[found] = f"duplicate {column} (already loaded from {earlier})"
        hit |= found
    entry = {"column": column, "check": "duplicate", "value": ids, "reason": reasons}
    return _reject(checked, name, rows, hit, entry)


def _drop_outside(
    kind: str,
    name: str,
    checked: Checked,
    rows: np.ndarray,
    scope: str,
    venues: pd.DataFrame,
) -> tuple[Checked, np.ndarray]:
    """Quarantine rows located outside the region ``scope``."""
    where = _scope_name(scope)
    frame = checked.accepted
    if kind == "checkins":
        inside = venues[Col.VENUE_ID][_inside(venues["poly"].to_numpy(), scope)]
        outside = ~frame[Col.VENUE_ID].isin(inside).to_numpy()
        entry: dict[str, object] = {
            "column": Col.VENUE_ID,
            "check": "outside_region",
            "value": frame[Col.VENUE_ID].astype(str).to_numpy(dtype=object),
            "reason": f"the check-in's venue is outside your region {where}",
        }
        return _reject(checked, name, rows, outside, entry)
    poly = frame["poly"].to_numpy()
    point = poly >= 0
    inside = _inside(poly, scope)
    edition = checked.codes["edition"] if checked.codes else None
    if kind == "cases":
        coded = editions.coded_inside(frame[Col.REGION_CODE], scope, edition)
        inside = np.where(point, inside, coded)
    outside = ~inside
    values = _points(frame, outside & point)
    if kind == "cases":
        codes = frame[Col.REGION_CODE].fillna("").astype(str).to_numpy(dtype=object)
        values = np.where(point, values, codes)
    reason = f"the {'case' if kind == 'cases' else 'venue'} is outside your region {where}"
    if kind == "cases":
        reason = reason + editions.scope_notes(frame[Col.REGION_CODE], edition)
    entry = {
        "column": np.where(point, str(Col.LAT), str(Col.REGION_CODE)),
        "check": "outside_region",
        "value": values,
        "reason": reason,
    }
    return _reject(checked, name, rows, outside, entry)
