"""Writing a build atomically: versions behind a symbolic link, published in one rename."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import store
from geo.errors import BuildError

pytest_plugins = ["pipeline_fixtures"]


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


def test_parquet_parts_writes_an_arrow_tables_columns_as_plain_strings(tmp_path):
    risk = pa.array(["red", "green", "red"]).dictionary_encode()
    read = pa.table({"extra": [1, 2, 3], "n": [1.0, None, 3.0], "risk": risk})  # as read
    with store.ParquetParts(tmp_path / "p.parquet", PARTS_SCHEMA) as parts:
        parts.write(read.slice(1, 2))
        parts.write(pd.DataFrame({"n": [4.0], "risk": ["green"], "extra": [0]}))
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.schema.equals(PARTS_SCHEMA)
    assert table.to_pydict() == {"risk": ["green", "red", "green"], "n": [None, 3.0, 4.0]}


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


def partial(out, name: str, age: int):
    """A version folder left by a build killed while writing (no manifest), ``age`` s old."""
    folder = out.parent / f".{out.name}.versions" / name
    folder.mkdir(parents=True)
    (folder / "cells_daily.parquet").write_bytes(b"half")
    os.utime(folder, (2_000_000_000 + age, 2_000_000_000 + age))  # newer than any build
    return folder


def test_clean_up_removes_partials_and_keeps_the_previous_build(tmp_path):
    out = tmp_path / "zones"
    first = publish_one(out, "first")
    os.utime(first, (1_000_000, 1_000_000))
    good = publish_one(out, "good")
    os.utime(good, (1_000_001, 1_000_001))
    # Killed builds left partial folders newer than the good build: "the newest other folder"
    # would have been a partial, and the good build deleted.
    partial(out, "v-killed00001", 1)
    partial(out, "v-killed00002", 2)
    new = publish_one(out, "new")
    assert store.read_manifest(out) == {"marker": "new"}
    assert versions(out) == sorted([good.name, new.name])


def test_a_version_being_written_is_not_removed(tmp_path):
    out = tmp_path / "zones"
    publish_one(out, "old")
    writing = store.new_version(out)  # another build in progress holds its folder's lock
    (writing / "cells_daily.parquet").write_bytes(b"in progress")
    publish_one(out, "new")
    assert writing.is_dir()
    store.discard(writing)
    assert not writing.exists()


def test_an_incomplete_version_is_not_published(tmp_path):
    out = tmp_path / "zones"
    publish_one(out, "good")
    version = store.new_version(out)
    with pytest.raises(
        BuildError,
        match=re.escape(
            f"The build in {version} is not complete (no manifest.json); it was not published."
        ),
    ):
        store.publish(version, out)
    assert store.read_manifest(out) == {"marker": "good"}
    store.discard(version)


def test_a_stale_temporary_link_is_removed(tmp_path):
    out = tmp_path / "zones"
    publish_one(out, "one")
    stale = tmp_path / ".zones.link-deadbeef"
    os.symlink("nowhere", stale)
    os.utime(stale, (1_000_000, 1_000_000), follow_symlinks=False)
    publish_one(out, "two")
    assert not os.path.lexists(stale)


def test_write_json_leaves_no_temporary_file(tmp_path):
    store.write_json({"a": 1}, tmp_path / "m.json")
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


# --- A real build killed at each step, then published again ----------------------------------

ROOT = Path(__file__).resolve().parent.parent
#: Runs ``python -m geo build`` with the build stopped (asleep) at one step, for the test to kill:
#: a step number of geo.build.STEPS, or "publish" (every file written, the link not yet switched).
PAUSED_BUILD = """
import pathlib, sys, time
import geo.build, geo.store

stop, marker = sys.argv[1], pathlib.Path(sys.argv[2])

def pause():
    marker.write_text("paused")
    time.sleep(600)

if stop == "publish":
    geo.store.publish = lambda version, out: pause()
else:
    stepper = geo.build._stepper
    def paused_stepper(on_step):
        step = stepper(on_step)
        def at(i):
            step(i)
            if i + 1 == int(stop):
                pause()
        return at
    geo.build._stepper = paused_stepper

from geo.__main__ import main
sys.exit(main(sys.argv[3:]))
"""


def kill_at(stop: str, args: list[str], folder: Path) -> None:
    marker = folder / f"paused-{stop}"
    driver = folder / "paused_build.py"
    driver.write_text(PAUSED_BUILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(driver), stop, str(marker), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"the build ended before step {stop}: {process.stderr.read().decode()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the build did not reach step {stop}")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stderr.close()


def test_a_build_killed_at_any_step_never_costs_the_good_one(inputs, all_grids, tmp_path):
    from pipeline_fixtures import run_build

    import geo.build

    out = tmp_path / "zones"
    run_build(inputs, out)
    good = out.resolve()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    args = ["build", "--out", str(out), *(f"--{k}={v}" for k, v in inputs.items())]
    for stop in [*(str(n) for n in range(1, len(geo.build.STEPS) + 1)), "publish"]:
        kill_at(stop, args, tmp_path)
        assert out.resolve() == good, stop
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before, stop
    # Killed at steps 7 and 8 the build was writing its version folder; at "publish" it was complete.
    left = [p for p in (tmp_path / ".zones.versions").iterdir() if p != good]
    assert len(left) == 3
    assert sum(store.is_complete(p) for p in left) == 1

    publish = store.publish

    def watched(version, target):  # the good build is there until the new one is live
        assert out.resolve() == good
        assert good.is_dir()
        publish(version, target)
        assert out.resolve() == version.resolve()

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "publish", watched)
        run_build(inputs, out)
    new = out.resolve()
    assert new != good
    # Kept: the new build and the previous good one; every folder the killed builds left is gone.
    assert versions(out) == sorted([good.name, new.name])
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before
    assert not list(tmp_path.glob(".zones.link-*"))
