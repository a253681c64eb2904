"""Write a build atomically and read it back.

A build directory ``DIR`` is a symbolic link to a complete version in ``.DIR.versions/``. A new
build is written into a fresh version folder; only when every file is written does the link
switch over, in one ``rename``. A build that fails midway leaves the previous one untouched, and a
reader that opened the previous version keeps reading it. The newest two versions are kept.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import threading
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geo import filemodes
from geo.errors import BuildError

KEEP_VERSIONS = 2


def _versions_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.versions"


def new_version(out: str | Path) -> Path:
    """A fresh, empty folder to write the next version of the build ``out`` into."""
    out = Path(out)
    if out.exists() and not out.is_symlink():
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        else:
            msg = f"{out} exists and is not a PantauZona build; remove it or choose another --out."
            raise BuildError(msg)
    return filemodes.make_dir(_versions_dir(out) / f"v-{uuid.uuid4().hex[:12]}")


def publish(version: Path, out: str | Path) -> None:
    """Point ``out`` at ``version`` atomically and drop versions older than the newest two."""
    out = Path(out)
    filemodes.secure_tree(version)  # 0600/0700 (or the group's 0640/0750) before it is served
    link = out.parent / f".{out.name}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(version, out.parent), link)
    os.replace(link, out)
    versions = _versions_dir(out)
    current = version.resolve()
    others = sorted(
        (p for p in versions.iterdir() if p.is_dir() and p.resolve() != current),
        key=lambda p: p.stat().st_mtime,
    )
    for old in others[: max(0, len(others) - (KEEP_VERSIONS - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def discard(version: Path) -> None:
    """Remove a version that failed before it was published."""
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

    def write(self, frame: pd.DataFrame) -> None:
        self._raise_pending()
        self._queue.put(_arrow(frame).cast(self.schema))

    def __exit__(self, *exc: object) -> None:
        assert self._thread is not None
        self._queue.put(None)
        self._thread.join()
        if exc[0] is None:  # an error of the caller's own wins over the writer's
            self._raise_pending()


def write_json(data: dict, path: Path) -> None:
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )


def read_manifest(build: str | Path) -> dict:
    """The manifest of a build, or a :class:`BuildError` saying there is no build there."""
    path = Path(build) / "manifest.json"
    if not path.is_file():
        msg = f"There is no PantauZona build at {build} (no manifest.json); run `python -m geo build`."
        raise BuildError(msg)
    return json.loads(path.read_text(encoding="utf-8"))
