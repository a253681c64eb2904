"""Builds and the inputs store are written private (0600 files, 0700 folders), or to a group."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import pytest
from pipeline_fixtures import TODAY, VENUES_CSV

from geo import filemodes, store
from geo.errors import ConfigError
from geo.uploads import InputStore

pytest_plugins = ["pipeline_fixtures"]


def _modes(root: Path) -> dict[str, tuple[str, int]]:
    """``relative path: (kind, mode)`` of ``root`` and everything under it (links not followed)."""
    found = {".": ("dir", stat.S_IMODE(root.stat().st_mode))}
    for path in sorted(root.rglob("*")):
        if not path.is_symlink():
            kind = "dir" if path.is_dir() else "file"
            found[str(path.relative_to(root))] = (kind, stat.S_IMODE(path.stat().st_mode))
    return found


def _only(found: dict[str, tuple[str, int]], folder: int, file: int) -> None:
    wrong = {
        k: oct(m) for k, (kind, m) in found.items() if m != (folder if kind == "dir" else file)
    }
    assert wrong == {}


@pytest.fixture
def no_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(filemodes.GROUP_ENV, raising=False)


@pytest.fixture
def own_group(monkeypatch: pytest.MonkeyPatch) -> int:
    """``$PANTAUZONA_GROUP`` set to this user's own group (one it may give files to)."""
    gid = os.getgid()
    monkeypatch.setenv(filemodes.GROUP_ENV, grp.getgrgid(gid).gr_name)
    return gid


def test_a_build_is_private(no_group, built):
    version = built[0].resolve()
    found = _modes(version)
    assert {"manifest.json", "quarantine.csv", "cells_daily.parquet"} <= set(found)
    _only(found, 0o700, 0o600)
    assert stat.S_IMODE(version.parent.stat().st_mode) == 0o700  # .zones.versions


def _store(root: Path) -> InputStore:
    inputs = InputStore(root / "a" / "inputs")
    inputs.add("venues", "venues.csv", VENUES_CSV.encode(), today=TODAY)
    return inputs


def test_the_inputs_store_is_private(no_group, tmp_path):
    inputs = _store(tmp_path)
    found = _modes(inputs.path)
    assert {"store.json", "venues", "quarantine", ".lock"} <= set(found)
    _only(found, 0o700, 0o600)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700  # created for the store


def test_a_group_may_read_but_not_write(own_group, tmp_path):
    inputs = _store(tmp_path)
    version = store.new_version(tmp_path / "zones")
    (version / "manifest.json").write_text("{}")
    store.publish(version, tmp_path / "zones")
    for root in (inputs.path, version):
        found = _modes(root)
        _only(found, 0o750, 0o640)
        assert {(root / k).stat().st_gid for k in found} == {own_group}


def test_an_unknown_group_is_refused_with_a_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv(filemodes.GROUP_ENV, "no-such-group-pz")
    with pytest.raises(ConfigError, match="names the group 'no-such-group-pz', which does not"):
        filemodes.make_dir(tmp_path / "x")
