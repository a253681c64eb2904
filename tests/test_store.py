"""Writing a build atomically: versions behind a symbolic link, published in one rename."""

from __future__ import annotations

import json
import os
import re

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import store
from geo.errors import BuildError


def publish_one(out, marker: str):
    version = store.new_version(out)
    (version / "manifest.json").write_text(json.dumps({"marker": marker}), encoding="utf-8")
    store.publish(version, out)
    return version


def versions(out):
    return sorted(p.name for p in (out.parent / f".{out.name}.versions").iterdir())


def test_new_version_is_an_empty_folder_beside_the_build(tmp_path):
    version = store.new_version(tmp_path / "zones")
    assert version.parent == tmp_path / ".zones.versions"
    assert re.fullmatch(r"v-[0-9a-f]{12}", version.name)
    assert version.is_dir()
    assert not any(version.iterdir())
    assert not (tmp_path / "zones").exists()  # nothing published yet


def test_publish_switches_the_link(tmp_path):
    out = tmp_path / "zones"
    first = publish_one(out, "first")
    assert out.is_symlink()
    assert not os.path.isabs(os.readlink(out))  # relative: the folder can move
    assert out.resolve() == first.resolve()
    assert store.read_manifest(out) == {"marker": "first"}
    second = publish_one(out, "second")
    assert out.resolve() == second.resolve()
    assert store.read_manifest(out) == {"marker": "second"}
    assert not list(tmp_path.glob(".zones.link-*"))


def test_only_the_newest_two_versions_are_kept(tmp_path):
    out = tmp_path / "zones"
    made = []
    for i in range(4):
        made.append(publish_one(out, str(i)))
        os.utime(made[-1], (1_000_000 + i, 1_000_000 + i))  # distinct ages
    assert store.KEEP_VERSIONS == 2
    assert versions(out) == sorted(v.name for v in made[-2:])
    assert store.read_manifest(out) == {"marker": "3"}


def test_a_reader_of_the_previous_version_keeps_reading_it(tmp_path):
    out = tmp_path / "zones"
    publish_one(out, "old")
    opened = out.resolve()  # what a reader holds
    publish_one(out, "new")
    assert json.loads((opened / "manifest.json").read_text(encoding="utf-8")) == {"marker": "old"}


def test_discard_removes_an_unpublished_version(tmp_path):
    out = tmp_path / "zones"
    publish_one(out, "kept")
    failed = store.new_version(out)
    (failed / "cells_daily.parquet").write_bytes(b"half")
    store.discard(failed)
    assert not failed.exists()
    assert store.read_manifest(out) == {"marker": "kept"}
    assert len(versions(out)) == 1


def test_an_empty_folder_is_replaced_but_a_full_one_is_refused(tmp_path):
    out = tmp_path / "zones"
    out.mkdir()
    publish_one(out, "fresh")
    assert out.is_symlink()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(
        BuildError,
        match=re.escape(
            f"{other} exists and is not a PantauZona build; remove it or choose another --out."
        ),
    ):
        store.new_version(other)
    assert not (tmp_path / ".mine.versions").exists()


def test_read_manifest_of_no_build(tmp_path):
    with pytest.raises(
        BuildError,
        match=re.escape(
            f"There is no PantauZona build at {tmp_path} (no manifest.json); run `python -m geo build`."
        ),
    ):
        store.read_manifest(tmp_path)


def test_write_parquet_is_reproducible_and_stores_categoricals_as_strings(tmp_path):
    frame = pd.DataFrame({"risk": pd.Categorical(["red", "green", "red"]), "n": [1.0, 2.0, 3.0]})
    store.write_parquet(frame, tmp_path / "a.parquet")
    store.write_parquet(frame.copy(), tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    table = pq.read_table(tmp_path / "a.parquet")
    assert str(table.schema.field("risk").type) in {"string", "large_string"}
    assert table.schema.metadata is None  # no pandas metadata: nothing machine-specific
    assert table.to_pandas()["risk"].tolist() == ["red", "green", "red"]


def test_write_parquet_concatenates_parts_in_order(tmp_path):
    parts = [pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [3]})]
    store.write_parquet(parts, tmp_path / "parts.parquet")
    assert pd.read_parquet(tmp_path / "parts.parquet")["n"].tolist() == [1, 2, 3]


def test_write_json_is_sorted_and_ends_with_a_newline(tmp_path):
    store.write_json({"b": 1, "a": [1, 2]}, tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text(encoding="utf-8")
    assert text == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}\n'


PARTS_SCHEMA = pa.schema([pa.field("risk", pa.string()), pa.field("n", pa.float64())])


def test_parquet_parts_writes_parts_in_order_as_plain_strings(tmp_path):
    with store.ParquetParts(tmp_path / "p.parquet", PARTS_SCHEMA) as parts:
        for first in (0, 2, 4):
            risk = pd.Categorical(["red", "green"], categories=["green", "red"])
            parts.write(pd.DataFrame({"risk": risk, "n": [first + 1.0, first + 2.0]}))
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.schema.equals(PARTS_SCHEMA)
    assert table.column("n").to_pylist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert table.column("risk").to_pylist() == ["red", "green"] * 3


def test_parquet_parts_reports_a_failed_write_in_the_caller(tmp_path, monkeypatch):
    def disk_full(self, table, row_group_size=None):
        raise OSError("No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", disk_full)
    frame = pd.DataFrame({"risk": ["red"], "n": [1.0]})

    def write_five() -> None:  # the failure surfaces in a later write or at the end
        with store.ParquetParts(tmp_path / "p.parquet", PARTS_SCHEMA) as parts:
            for _ in range(5):
                parts.write(frame)

    with pytest.raises(OSError, match="No space left"):
        write_five()


def test_parquet_parts_keeps_the_callers_own_error(tmp_path, monkeypatch):
    def disk_full(self, table, row_group_size=None):
        raise OSError("No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", disk_full)

    def fail_after_a_write() -> None:
        with store.ParquetParts(tmp_path / "p.parquet", PARTS_SCHEMA) as parts:
            parts.write(pd.DataFrame({"risk": ["red"], "n": [1.0]}))
            raise KeyError("the caller's own error")

    with pytest.raises(KeyError, match="the caller's own error"):
        fail_after_a_write()
