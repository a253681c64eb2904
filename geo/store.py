"""Write a build atomically and read it back.

A build directory ``DIR`` is a symbolic link to a complete version in ``.DIR.versions/``. A new
build is written into a fresh version folder; only when every file is written does the link
switch over, in one ``rename``. A build that fails midway leaves the previous one untouched, and a
reader that opened the previous version keeps reading it.

A version folder is *complete* when it holds ``manifest.json``, which the build writes last (by a
rename, so it is never half written). While a build writes its folder it holds an exclusive
``flock`` on it, released by the kernel however the process ends. After each publish the clean-up
keeps the new version and the one the link pointed to before; it removes first the partial
folders no process is writing (left by a build that was killed), then older complete versions. A
killed build therefore never costs the good one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import queue
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geo import filemodes
from geo.errors import BuildError

logger = logging.getLogger(__name__)

KEEP_VERSIONS = 2
#: The file whose presence makes a version folder a complete build (written last).
MARKER = "manifest.json"
#: A leftover temporary link older than this many seconds belongs to no running publish.
STALE_LINK_SECONDS = 60
_HELD: dict[Path, int] = {}  # version folder -> the descriptor holding its lock


def _versions_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.versions"


def is_complete(version: Path) -> bool:
    """Whether a version folder holds a complete build (its manifest, written last)."""
    return (version / MARKER).is_file()


def hold(folder: Path) -> None:
    """Lock a folder (a build's version, a staging folder) while this process writes it."""
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _HELD[folder] = fd


def release(folder: Path) -> None:
    fd = _HELD.pop(folder, None)
    if fd is not None:
        os.close(fd)  # closing the descriptor releases the lock


def _refuse_other(out: Path) -> None:
    """Refuse an ``out`` that exists and is neither a build's link nor an empty folder."""
    if out.exists() and not out.is_symlink() and not (out.is_dir() and not any(out.iterdir())):
        msg = f"{out} exists and is not a PantauZona build; remove it or choose another --out."
        raise BuildError(msg)


def new_version(out: str | Path) -> Path:
    """A fresh, empty folder to write the next version of the build ``out`` into."""
    out = Path(out)
    _refuse_other(out)
    if out.is_dir() and not out.is_symlink():
        out.rmdir()  # an empty folder: the link takes its place
    folder = filemodes.make_dir(_versions_dir(out) / f"v-{uuid.uuid4().hex[:12]}")
    hold(folder)
    return folder


def check_writable(out: str | Path) -> None:
    """Refuse, with a sentence, a build that could not be written: before any work is done."""
    out = Path(out)
    _refuse_other(out)
    folder = _versions_dir(out)
    existed = folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{uuid.uuid4().hex[:8]}"
        probe.write_bytes(b"")
        probe.unlink()
        if not existed:
            folder.rmdir()
    except OSError as exc:
        raise BuildError(write_failure(exc, out)) from exc


def publish(version: Path, out: str | Path) -> None:
    """Point ``out`` at the complete ``version`` atomically, then clean up (module docstring)."""
    out = Path(out)
    if not is_complete(version):
        msg = f"The build in {version} is not complete (no {MARKER}); it was not published."
        raise BuildError(msg)
    filemodes.secure_tree(version)  # 0600/0700 (or the group's 0640/0750) before it is served
    previous = out.resolve() if out.is_symlink() else None
    link = out.parent / f".{out.name}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(version, out.parent), link)
    os.replace(link, out)
    release(version)
    try:  # the new build is live: a failed clean-up must not look like a failed publish
        _clean_up(out, keep={version.resolve(), previous})
    except OSError as exc:
        logger.warning("could not remove old versions of %s: %s", out, exc)


def abandoned(folder: Path) -> bool:
    """Whether no process holds the lock of a folder (:func:`hold`): its writer is gone."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _clean_up(out: Path, keep: set[Path | None]) -> None:
    """Remove partial versions nobody writes, then complete ones other than ``keep``."""
    others = [p for p in _versions_dir(out).iterdir() if p.is_dir() and p.resolve() not in keep]
    partial = [p for p in others if not is_complete(p)]
    for folder in partial:
        if abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
    complete = sorted((p for p in others if p not in partial), key=lambda p: p.stat().st_mtime)
    spare = max(0, KEEP_VERSIONS - len([k for k in keep if k is not None and k.is_dir()]))
    for old in complete[: len(complete) - spare]:
        shutil.rmtree(old, ignore_errors=True)
    for link in out.parent.glob(f".{out.name}.link-*"):  # left by a publish that was killed
        with contextlib.suppress(OSError):
            if time.time() - link.lstat().st_mtime > STALE_LINK_SECONDS:
                link.unlink()


#: Why writing failed, in words, and what to do about it.
_WRITE_FAILURES = {
    errno.ENOSPC: ("the disk is full", "free some space and try again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and try again"),
    errno.EROFS: ("the file system is read-only", "choose a folder you can write to"),
    errno.EACCES: ("permission denied", "choose a folder you can write to"),
    errno.EPERM: ("permission denied", "choose a folder you can write to"),
}


def write_failure(exc: OSError, target: str | Path) -> str:
    """One sentence saying why writing ``target`` failed (disk full, read-only, permission).

    Arrow's errors carry the number only in their text (``[Errno 28] ...``), so it is read there
    when the exception has none.
    """
    code = exc.errno
    if code is None:
        found = re.search(r"\[Errno (\d+)\]|errno (\d+)", str(exc))
        code = int(next(g for g in found.groups() if g)) if found else None
    if code in _WRITE_FAILURES:
        why, advice = _WRITE_FAILURES[code]
    else:
        why, advice = (exc.strerror or str(exc).splitlines()[0] or type(exc).__name__), "try again"
    return f"Cannot write {target}: {why}; {advice}."


def discard(version: Path) -> None:
    """Remove a version that failed before it was published."""
    release(version)
    shutil.rmtree(version, ignore_errors=True)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # Categoricals are an in-memory economy: store plain strings (Parquet dictionary-encodes them).
    fields = [
        pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields)).replace_schema_metadata(None)


def write_parquet(frame: pd.DataFrame | list[pd.DataFrame], path: Path) -> None:
    """Write one table (or parts with the same columns, in order) reproducibly."""
    parts = frame if isinstance(frame, list) else [frame]
    table = pa.concat_tables([_arrow(p) for p in parts], promote_options="permissive")
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)


class ParquetParts:
    """Write a Parquet file part by part with a fixed schema (memory follows one part).

    Parts are compressed and written by a background thread (Arrow releases the GIL while it
    encodes), so the caller computes the next part meanwhile; at most one part waits.
    """

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> ParquetParts:
        writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        self._thread = threading.Thread(target=self._drain, args=(writer,), daemon=True)
        self._thread.start()
        return self

    def _drain(self, writer: pq.ParquetWriter) -> None:
        try:
            while (table := self._queue.get()) is not None:
                # Small row groups let a reader of one date and resolution skip the rest.
                writer.write_table(table, row_group_size=1 << 16)
        except BaseException as exc:  # reported by the caller's next write or at exit
            self._error = exc
            while self._queue.get() is not None:  # keep taking parts until told to stop
                pass
        finally:
            writer.close()

    def _raise_pending(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, part: pd.DataFrame | pa.Table) -> None:
        """Queue the schema's columns of ``part`` (a frame, or an Arrow table as read)."""
        self._raise_pending()
        names = self.schema.names
        table = part.select(names) if isinstance(part, pa.Table) else _arrow(part[names])
        self._queue.put(table.cast(self.schema))

    def __exit__(self, *exc: object) -> None:
        assert self._thread is not None
        self._queue.put(None)
        self._thread.join()
        if exc[0] is None:  # an error of the caller's own wins over the writer's
            self._raise_pending()


def write_json(data: dict, path: Path) -> None:
    """Write JSON through a temporary name and a rename: the file is whole or absent."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_manifest(build: str | Path) -> dict:
    """The manifest of a build, or a :class:`BuildError` saying there is no build there."""
    path = Path(build) / "manifest.json"
    if not path.is_file():
        msg = f"There is no PantauZona build at {build} (no manifest.json); run `python -m geo build`."
        raise BuildError(msg)
    return json.loads(path.read_text(encoding="utf-8"))
