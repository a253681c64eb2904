"""Browser fixtures for the tests marked ``browser`` (pytest-playwright, system Chromium).

Playwright's own browser download is not used: the tests drive the Debian ``chromium`` package
(``make chromium``) and are skipped, with the reason, when it is not installed.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
