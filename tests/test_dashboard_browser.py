"""The dashboard in a real browser: what AppTest cannot render (the Leaflet map in its iframe).

A session fixture starts ``python -m streamlit run dashboard/app.py`` from the repository root
(``PANTAUZONA_BUILD`` passes through), waits for ``/_stcore/health``, and each test waits for the
app's ``data-test-script-state="notRunning"`` as streamlit/streamlit's e2e_playwright does.
Screenshots land in ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import FrameLocator, Page, Request, Route, expect

from dashboard.mapview import RISK_COLOURS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
TIMEOUT_MS = 30_000
XSS_NAMES = ("<img src=x onerror=alert(1)>", "${alert(1)}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            msg = f"streamlit exited with {server.returncode}:\n{log.read_text()}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    msg = f"streamlit did not become healthy within 60 s:\n{log.read_text()}"
    raise RuntimeError(msg)


@pytest.fixture(scope="session")
def app_url(
    browser_type_launch_args: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of the dashboard, served by a real ``streamlit run`` for the whole session."""
    port = _free_port()
    url = f"http://localhost:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    command += ["--server.port", str(port), "--server.headless", "true"]
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            command, cwd=REPO, env=dict(os.environ), stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_healthy(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def open_app(page: Page, url: str) -> None:
    """Load ``url`` and wait until the script has finished running."""
    page.goto(url)
    wait_for_run(page)


def wait_for_run(page: Page) -> None:
    page.wait_for_timeout(250)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=TIMEOUT_MS,
    )


def map_frame(page: Page) -> FrameLocator:
    return page.frame_locator("iframe[title*='st_folium']")


def main_title(page: Page) -> str:
    return page.get_by_test_id("stMain").locator("h1").first.inner_text()


def test_map_draws_hexagons(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    hexagons = map_frame(page).locator("path.leaflet-interactive")
    expect(hexagons).to_have_count(3, timeout=TIMEOUT_MS)
    fills = {hexagons.nth(n).get_attribute("fill") for n in range(3)}
    assert fills == {RISK_COLOURS["red"], RISK_COLOURS["orange"], RISK_COLOURS["green"]}


def test_english_switch_changes_legend(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    legend_title = map_frame(page).locator(".pz-legend-title")
    expect(legend_title).to_have_text("Tingkat risiko", timeout=TIMEOUT_MS)

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    wait_for_run(page)

    expect(legend_title).to_have_text("Risk level", timeout=TIMEOUT_MS)
    expect(map_frame(page).locator(".pz-legend-item").first).to_have_text("High")
    assert main_title(page) == "Risk map"
    expect(page).to_have_url(re.compile(r"lang=en"))


def test_deep_link_restores_view(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?lang=en&page=trends&region=31.71.01&date=2021-07-10")
    wait_for_run(page)  # the first run switches to the linked page

    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text("Trends")
    breadcrumb = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first
    expect(breadcrumb).to_have_text(
        " \u203a ".join(["Indonesia", "DKI Jakarta", "Kota Adm. Jakarta Pusat", "Gambir"])
    )
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="District")).to_have_value("Gambir")
    expect(sidebar.get_by_test_id("stSlider")).to_contain_text("10 Jul 2021")
    for part in ("lang=en", "page=trends", "region=31.71.01", "date=2021-07-10"):
        expect(page).to_have_url(re.compile(re.escape(part)))


def test_hostile_names_show_as_text(page: Page, app_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_app(page, f"{app_url}/?region=31.71.01.9901")

    breadcrumb = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first
    expect(breadcrumb).to_contain_text(XSS_NAMES[0])
    frame = map_frame(page)
    hexagons = frame.locator("path.leaflet-interactive")
    expect(hexagons).to_have_count(3, timeout=TIMEOUT_MS)
    tooltips = []
    for n in range(3):
        hexagon = hexagons.nth(n)
        hexagon.hover()
        expect(hexagon).to_have_attribute("aria-describedby", re.compile(r"leaflet-tooltip"))
        tooltip = frame.locator(f"#{hexagon.get_attribute('aria-describedby')}")
        tooltips.append(tooltip.inner_text())
    for name in XSS_NAMES:
        assert any(name in text for text in tooltips), tooltips
    assert frame.locator(".leaflet-tooltip img").count() == 0
    assert page.locator("img[src='x']").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_no_request_leaves_the_app(page: Page, app_url: str) -> None:
    own = urlsplit(app_url)
    foreign: list[str] = []
    local: list[str] = []

    def guard(route: Route, request: Request) -> None:
        url = urlsplit(request.url)
        if (url.scheme, url.netloc) == (own.scheme, own.netloc):
            local.append(url.path)
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort()

    page.route("**/*", guard)
    for key in ("map", "trends", "method"):
        open_app(page, f"{app_url}/?page={key}&lang=en")
        wait_for_run(page)
    open_app(page, app_url)
    expect(map_frame(page).locator("path.leaflet-interactive")).to_have_count(3, timeout=TIMEOUT_MS)

    assert foreign == []
    assert "/app/static/leaflet/leaflet.js" in local  # the map's own request was seen too


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_screenshots(page: Page, app_url: str, width: int, height: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    for key in ("map", "trends", "method"):
        open_app(page, f"{app_url}/?page={key}")
        wait_for_run(page)
        if key == "map":
            frame = map_frame(page)
            expect(frame.locator(".pz-legend")).to_be_visible(timeout=TIMEOUT_MS)
            page.wait_for_timeout(500)
            expect(frame.locator(".leaflet-zoom-anim")).to_have_count(0)  # fitBounds has settled
        else:
            page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / f"dashboard-{key}-{width}x{height}.png")
