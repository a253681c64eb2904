"""Shared fixtures: the session's tiny build, and the browser for the tests marked ``browser``.

The browser is pytest-playwright's; Playwright's own browser download is not used: the tests
drive the Debian ``chromium`` package (``make chromium``) and are skipped, with the reason, when
it is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tiny_build import make_tiny_build

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def privacy_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fixed noise key for the run (``$PANTAUZONA_PRIVACY_KEY``), so public figures are the
    same in every run and no key file is made in the repository."""
    path = tmp_path_factory.getbasetemp() / "privacy.key"
    path.write_text("pantauzona-test-key\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PANTAUZONA_PRIVACY_KEY", str(path))
        yield path


@pytest.fixture(scope="session")
def tiny_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny build of ``tiny_build.py``, made once per session; its hostile ``data/`` copy
    is beside it (``tiny_build_dir.parent / "data"``)."""
    return make_tiny_build(tmp_path_factory.getbasetemp() / "tiny")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the system Chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (run `make chromium`); browser tests need it")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    """Shadow pytest-playwright's fallback ``base_url``.

    Its fallback is a fixture defined as an instance method, which pytest 9 deprecates with a
    warning (an error under ``filterwarnings = error``). The tests build their URLs themselves.
    """
    return None
