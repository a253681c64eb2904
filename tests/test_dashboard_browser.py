"""The dashboard in a real browser, on the tiny build: what AppTest cannot render (the map).

A session fixture starts ``python -m streamlit run dashboard/app.py`` from the repository root
with ``PANTAUZONA_BUILD`` pointing at the tiny build of ``tiny_build.py`` (and
``PANTAUZONA_DATA`` at its hostile copy of ``data/``), waits for ``/_stcore/health``, and each
step waits for the app's ``data-test-script-state="notRunning"`` as streamlit/streamlit's
e2e_playwright does. Every step asserts on what the user sees, with auto-retrying ``expect``
instead of sleeps. Screenshots land in ``test-artifacts/`` (git-ignored).

What the tiny build draws (Jakarta, public audience):

* district 31.71.01 (Gambir): one orange hexagon on 8 Jul (4 cases, "< 10"); on 10 Jul the
  Monas hexagon is red (12 cases) and the Cideng one orange (3 cases, "< 10");
* province 31 on 8 Jul: one hexagon, which opens regency 31.71 (Jakarta Pusat);
* the whole country: a choropleth of the regencies, 31.73 named ``${alert(1)}``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import FrameLocator, Locator, Page, Request, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from tiny_build import XSS_REGENCY, XSS_VILLAGE

from benchmarks.st_server import free_port, wait_healthy
from dashboard import mapview
from dashboard.mapview import HOTSPOT_COLOURS, LEGEND_OPEN_WIDTH, RISK_COLOURS
from geo import accounts, buildread, cells

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
TIMEOUT_MS = 60_000
SEP = " \u203a "
JAKARTA = ["Daerah Khusus Ibukota Jakarta", "Kota Administrasi Jakarta Pusat", "Gambir"]
GAMBIR = "31.71.01"
#: Environment the server must not inherit: other accounts, a basemap from the web.
NOT_INHERITED = (
    "PANTAUZONA_USERS",
    "PANTAUZONA_SESSION_HOURS",
    "PANTAUZONA_TILE_URL",
    "PANTAUZONA_TILE_ATTRIBUTION",
)
#: The one official of the server's credentials file: ani, of Jawa Barat (32).
OFFICIAL = ("ani", "correct horse battery")  # Jawa Barat (32)
NATIONAL = ("nas", "correct horse battery")  # the whole country

# In the map's iframe: the on-screen point (relative to the path's box) of a zone whose ``code``
# is given, or of the largest zone with a code when it is null; the path is tagged for a locator.
_FIND_ZONE = """(_path, [code, zoom]) => {
    const map = window.map;
    if (zoom) { map.setView(zoom.center, zoom.level, {animate: false}); }
    const layers = [];
    map.eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.code && layer.getElement && layer.getElement()
            && (code === null || props.code === code)) { layers.push(layer); }
    });
    const area = (l) => { const r = l.getElement().getBoundingClientRect(); return r.width * r.height; };
    layers.sort((a, b) => area(b) - area(a));
    for (const layer of layers) {
        const path = layer.getElement();
        const box = path.getBoundingClientRect();
        for (let i = 1; i < 16; i++) {
            for (let j = 1; j < 16; j++) {
                const x = box.left + box.width * i / 16, y = box.top + box.height * j / 16;
                if (document.elementFromPoint(x, y) === path) {
                    document.querySelectorAll("[data-pz-zone]").forEach(
                        (p) => p.removeAttribute("data-pz-zone"));
                    path.setAttribute("data-pz-zone", layer.feature.properties.code);
                    return {code: layer.feature.properties.code, x: x - box.left, y: y - box.top};
                }
            }
        }
    }
    return null;
}"""


_SHOW_ZONE = """(_path, code) => {
    document.querySelectorAll(".pz-legend").forEach((e) => { e.style.display = "none"; });
    window.map.eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.code === code && layer.getBounds) {
            window.map.fitBounds(layer.getBounds(), {animate: false, maxZoom: 17});
        }
    });
}"""


@contextmanager
def _serve(build: Path, log: Path, **extra_env: str) -> Iterator[str]:
    """``streamlit run`` on ``build`` (``extra_env`` added to its environment); yields its URL."""
    port = free_port()
    url = f"http://localhost:{port}"
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env["PANTAUZONA_BUILD"] = str(build)
    env["PANTAUZONA_DATA"] = str(build.parent / "data")
    env[accounts.USERS_ENV] = str(log.parent / "users.json")
    for name, password in (OFFICIAL, NATIONAL):
        region = "32" if (name, password) == OFFICIAL else "ID"
        accounts.add_account(name, password, region, path=log.parent / "users.json")
    env.update(extra_env)
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    command += ["--server.port", str(port), "--server.headless", "true"]
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(url, server, 60, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def app_url(
    browser_type_launch_args: dict[str, Any],
    tiny_build_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Base URL of the dashboard on the tiny build, served by ``streamlit run`` for the session."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with _serve(tiny_build_dir, log) as url:
        yield url


# --- Helpers: what the user sees ----------------------------------------------------------------


def open_app(page: Page, url: str) -> None:
    """Load ``url`` and wait until the page's title is drawn and the script is idle."""
    page.goto(url)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_run(page)


def wait_for_run(page: Page) -> None:
    """Wait until the app is connected and its script is not running."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=TIMEOUT_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def map_frame(page: Page) -> FrameLocator:
    return page.frame_locator("iframe[title*='st_folium']")


def wait_for_map(page: Page, legend: str) -> None:
    """Wait until the page holds one map, with this legend title. A rerun that redraws the map
    (another layer, another language) can begin after :func:`wait_for_run` returns, and near its
    end the old map stands beside the new one for a moment (two frames: :func:`map_frame` would
    be ambiguous)."""
    page.wait_for_function(
        """(title) => {
            const maps = document.querySelectorAll("iframe[title*='st_folium']");
            const doc = maps.length === 1 ? maps[0].contentDocument : null;
            const text = doc?.querySelector(".pz-legend-title")?.textContent;
            return (text || "").replace(/\\s+/g, " ").trim() === title;
        }""",
        arg=legend,
        timeout=TIMEOUT_MS,
    )


def hexagons(page: Page) -> Locator:
    """The map's zones: the interactive paths (outlines and the search marker are not)."""
    return map_frame(page).locator("path.leaflet-interactive")


def fills(zones: Locator) -> list[str]:
    return sorted(zones.evaluate_all("(paths) => paths.map((p) => p.getAttribute('fill'))"))


def breadcrumb(page: Page) -> Locator:
    return page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def region_in_url(code: str | None) -> re.Pattern[str]:
    if code is None:
        return re.compile(r"^(?!.*[?&]region=)")
    return re.compile(rf"[?&]region={re.escape(code)}(&|$)")


def find_zone(page: Page, code: str | None = None, zoom: dict | None = None) -> dict:
    """A visible point of the zone ``code`` (or of the largest zone), its path tagged."""
    expect(hexagons(page).first).to_be_attached(timeout=TIMEOUT_MS)
    found = hexagons(page).first.evaluate(_FIND_ZONE, [code, zoom])
    for attempt in range(50):  # the map may still be settling (its frame is sized late)
        if found is not None:
            break
        if attempt == 10 and code is not None:  # still hidden (under the legend, or off the
            hexagons(page).first.evaluate(_SHOW_ZONE, code)  # fitted view): bring it into view
        page.wait_for_timeout(200)
        found = hexagons(page).first.evaluate(_FIND_ZONE, [code, zoom])
    assert found is not None, f"no visible zone {code!r} on the map"
    return found


def zone_path(page: Page, code: str) -> Locator:
    return map_frame(page).locator(f"path[data-pz-zone='{code}']")


def tooltip_of(page: Page, zone: Locator, position: dict | None = None) -> Locator:
    """Hover ``zone`` and return the tooltip Leaflet opens for it."""
    zone.hover(position=position)
    expect(zone).to_have_attribute("aria-describedby", re.compile(r"leaflet-tooltip"))
    return map_frame(page).locator(f"#{zone.get_attribute('aria-describedby')}")


# --- The map ------------------------------------------------------------------------------------


def test_map_draws_hexagons(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?region={GAMBIR}&date=2021-07-10")
    zones = hexagons(page)
    expect(zones).to_have_count(2, timeout=TIMEOUT_MS)
    assert fills(zones) == sorted([RISK_COLOURS["red"], RISK_COLOURS["orange"]])
    expect(map_frame(page).locator(".pz-legend")).to_be_visible()


def test_click_on_a_zone_drills_down(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?lang=en&region=31&date=2021-07-08")
    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", JAKARTA[0]]))
    zones = hexagons(page)
    expect(zones).to_have_count(1, timeout=TIMEOUT_MS)

    zones.first.click()

    expect(page).to_have_url(region_in_url("31.71"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", *JAKARTA[:2]]))
    regency = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Regency/City")
    expect(regency).to_have_value(JAKARTA[1])
    expect(hexagons(page)).to_have_count(1, timeout=TIMEOUT_MS)  # now at resolution 8


def test_click_on_a_regency_of_the_country_drills_down(
    page: Page, app_url: str, tiny_build_dir: Path
) -> None:
    open_app(page, f"{app_url}/?lang=en&date=2021-07-10")
    expect(breadcrumb(page)).to_have_text("Indonesia")
    zone = find_zone(page)  # the largest regency on screen

    zone_path(page, zone["code"]).click(position={"x": zone["x"], "y": zone["y"]})

    expect(page).to_have_url(region_in_url(zone["code"]), timeout=TIMEOUT_MS)
    wait_for_run(page)
    names = buildread.open_build(tiny_build_dir).regions["name"]
    province = zone["code"].split(".")[0]
    expected = SEP.join(["Indonesia", names[province], names[zone["code"]]])
    expect(breadcrumb(page)).to_have_text(expected)


def test_breadcrumb_goes_back_up(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", *JAKARTA]))
    main = page.get_by_test_id("stMain")

    main.get_by_role("button").filter(has_text=JAKARTA[1]).click()

    expect(page).to_have_url(region_in_url("31.71"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", *JAKARTA[:2]]))

    main.get_by_role("button").filter(has_text="Indonesia").click()

    expect(page).to_have_url(region_in_url(None), timeout=TIMEOUT_MS)
    wait_for_run(page)
    expect(breadcrumb(page)).to_have_text("Indonesia")
    expect(main.get_by_role("button").filter(has_text="Indonesia")).to_have_count(0)


def test_date_control_changes_the_map(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-08")
    zones = hexagons(page)
    expect(zones).to_have_count(1, timeout=TIMEOUT_MS)
    assert fills(zones) == [RISK_COLOURS["orange"]]
    cases = page.get_by_test_id("stMetricValue").first
    expect(cases).to_have_text("< 10")
    slider = page.get_by_test_id("stSidebar").get_by_role("slider")
    expect(slider).to_have_attribute("aria-valuetext", "8 Jul 2021")

    slider.focus()
    page.keyboard.press("End")

    expect(page).to_have_url(re.compile(r"[?&]date=2021-07-10(&|$)"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    expect(zones).to_have_count(2, timeout=TIMEOUT_MS)
    assert fills(zones) == sorted([RISK_COLOURS["red"], RISK_COLOURS["orange"]])
    expect(cases).to_have_text("11")  # Gambir's 15 cases, published (the run's key, conftest.py)
    expect(page.get_by_test_id("stMain")).to_contain_text("10 Jul 2021")


def test_english_switch_changes_legend(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?region={GAMBIR}")
    legend_title = map_frame(page).locator(".pz-legend-title")
    expect(legend_title).to_have_text("Tingkat risiko", timeout=TIMEOUT_MS)
    expect(map_frame(page).locator(".pz-legend-item").first).to_have_text("Merah (tinggi)")

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"), timeout=TIMEOUT_MS)
    wait_for_map(page, "Risk level")
    expect(legend_title).to_have_text("Risk level")
    items = map_frame(page).locator(".pz-legend-item")
    expect(items).to_have_text(["Red (high)", "Orange (moderate)", "Green (low)", "Grey (no data)"])
    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text("Risk map")


@pytest.mark.parametrize(("key", "title"), [("map", "Risk map"), ("trends", "Trends")])
def test_deep_link_opens_the_view(page: Page, app_url: str, key: str, title: str) -> None:
    link = f"{app_url}/?lang=en&page={key}&region={GAMBIR}&date=2021-07-10"
    open_app(page, link)
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text(title, timeout=TIMEOUT_MS)
    wait_for_run(page)

    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", *JAKARTA]))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="District")).to_have_value(JAKARTA[2])
    expect(sidebar.get_by_role("slider")).to_have_attribute("aria-valuetext", "10 Jul 2021")
    expect(sidebar.get_by_role("radio", name="English")).to_be_checked()
    assert query(page) == {"lang": "en", "page": key, "region": GAMBIR, "date": "2021-07-10"}
    if key == "map":
        expect(hexagons(page)).to_have_count(2, timeout=TIMEOUT_MS)


# In the map's iframe: open a zone's tooltip at the map's top-right corner; its box in the map.
_TOOLTIP_AT_CORNER = """async () => {
    const map = window.map;
    if (map._animatingZoom) { await new Promise((done) => map.once("zoomend", done)); }
    let zone = null;
    map.eachLayer((l) => { if (!zone && l.feature && l.getTooltip()) { zone = l; } });
    const size = map.getSize();
    zone.openTooltip(map.containerPointToLatLng([size.x - 2, 2]));
    const r = zone.getTooltip().getElement().getBoundingClientRect();
    const box = map.getContainer().getBoundingClientRect();
    return [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top];
}"""


def _covers(box: dict, x: float, y: float) -> bool:
    return box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]


@pytest.mark.parametrize(
    ("width", "height", "lang"),
    [(390, 844, "id"), (390, 844, "en"), (844, 390, "id"), (1366, 900, "id")],
)
def test_the_map_on_a_phone_and_a_desktop(
    page: Page, app_url: str, width: int, height: int, lang: str
) -> None:
    """The map fills a phone's width at a useful height (a short window's too); its legend,
    folded on a phone and open on a desktop, never covers the map's centre; a tooltip stays
    inside the map."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, f"{app_url}/?lang={lang}&region=31&date=2021-07-10")
    expect(hexagons(page).first).to_be_attached(timeout=TIMEOUT_MS)
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    assert box is not None
    if width < 640:  # Streamlit stacks the columns: the map has the page's width
        assert box["width"] >= 0.8 * width
    assert 0.4 * height <= box["height"] <= 0.9 * height
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    legend = map_frame(page).locator(".pz-legend")
    folded = box["width"] < LEGEND_OPEN_WIDTH  # the map's width, not the window's
    assert legend.evaluate("(details) => details.open") is not folded
    page.screenshot(path=ARTIFACTS / f"map-{lang}-{width}x{height}.png")
    expect(hexagons(page).first).to_be_attached()
    corner = hexagons(page).first.evaluate(_TOOLTIP_AT_CORNER)  # [left, top, right, bottom]
    size = map_frame(page).locator(".leaflet-container").bounding_box()
    assert size is not None
    assert corner[0] >= 0
    assert corner[1] >= 0
    assert corner[2] <= size["width"]
    assert corner[3] <= size["height"]
    if folded:
        map_frame(page).locator(".pz-legend-title").click()  # unfold it
        expect(map_frame(page).locator(".pz-legend-item").first).to_be_visible()
    legend_box = legend.bounding_box()
    assert legend_box is not None
    assert not _covers(legend_box, *centre)
    page.screenshot(path=ARTIFACTS / f"map-tooltip-{lang}-{width}x{height}.png")


def test_a_map_made_before_its_frame_has_room_fits_once_it_has(page: Page, app_url: str) -> None:
    """A map made in a frame of width 0 (Streamlit sizes the component's frame after the map
    is made, on a slow first load) keeps a usable view and fits its bounds at the first resize
    that gives it room; Leaflet's own fit went to an infinite zoom and threw "Invalid LatLng
    object: (NaN, NaN)" at that resize, leaving the map blank."""
    ring = [[106.8, -6.2], [106.81, -6.2], [106.81, -6.19], [106.8, -6.2]]
    zone = {"risk": "red", "label": "Gambir", "reason": "12 kasus", "code": "31.71.01"}
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}
    collection = {"type": "FeatureCollection", "features": [{**feature, "properties": zone}]}
    bounds = [[-6.37251, 106.68681], [-6.07432, 106.973]]
    fmap = mapview.build_map(collection, bounds=bounds, lang="id")
    html = (
        fmap.get_root()
        .render()
        .replace("</html>", f"<script>window.map = {fmap.get_name()};</script></html>")
    )
    outer = '<iframe id="frame" src="map" style="width: 0; height: 400px; border: 0"></iframe>'
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        f"{app_url}/pz-fit/", lambda route: route.fulfill(body=outer, content_type="text/html")
    )
    page.route(
        f"{app_url}/pz-fit/map", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    page.goto(f"{app_url}/pz-fit/")
    frame = page.frame_locator("#frame")
    expect(frame.locator("path.leaflet-interactive")).to_be_attached(timeout=TIMEOUT_MS)
    view = "() => [window.map.getZoom(), window.map.getSize().x]"
    assert frame.locator("body").evaluate(f"(_body) => ({view})()") == [12, 0]  # not fitted yet
    page.locator("#frame").evaluate("(frame) => { frame.style.width = '800px'; }")
    page.wait_for_function(
        "() => document.getElementById('frame').contentWindow.map.getSize().x === 800"
    )
    zoom, width = frame.locator("body").evaluate(f"(_body) => ({view})()")
    assert (zoom, width) == (10.75, 800)  # Jakarta's bounds, fitted at a quarter zoom
    south_west = (
        "(_body) => { const b = window.map.getBounds(); return [b.getSouth(), b.getWest()]; }"
    )
    south, west = frame.locator("body").evaluate(south_west)
    assert south <= bounds[0][0]
    assert west <= bounds[0][1]
    assert errors == []


_VIEW = "(_path) => { const b = window.map.getBounds(); return [b.getWest(), b.getEast()]; }"


@pytest.mark.parametrize(("width", "height", "lang"), [(390, 844, "id"), (390, 844, "en")])
def test_the_country_on_a_phone_opens_on_its_populated_core(
    browser: Any, app_url: str, width: int, height: int, lang: str
) -> None:
    """Upright on a phone, the country opens on where most of its people live (Sumatra to
    Sulawesi, ``geo.mapshapes.phone_bounds``) rather than a strip of all of it; a desktop shows
    all of it."""
    views = {}
    for size in ((width, height), (1366, 900)):
        with _page_at(browser, *size) as page:
            open_app(page, f"{app_url}/?lang={lang}&date=2021-07-10")
            expect(hexagons(page).first).to_be_attached(timeout=TIMEOUT_MS)
            page.wait_for_timeout(500)  # the frame may still be sized after the first fit
            views[size] = hexagons(page).first.evaluate(_VIEW)
            page.locator("iframe[title*='st_folium']").scroll_into_view_if_needed()
            page.screenshot(path=ARTIFACTS / f"country-{lang}-{size[0]}x{size[1]}.png")
    (west, east), (desk_west, desk_east) = views[(width, height)], views[(1366, 900)]
    assert 97 <= west <= 101.1  # Sumatra's south in view, not Aceh's west coast
    assert 119.8 <= east <= 124  # Makassar in view, not Papua
    assert desk_west <= 95.5
    assert desk_east >= 140.5  # the whole country on a desktop


# --- Safety: hostile names, other hosts ---------------------------------------------------------


def test_hostile_names_show_as_text(page: Page, app_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    village_code, village = XSS_VILLAGE
    regency_code, regency = XSS_REGENCY

    # The village: breadcrumb, selector and summary.
    open_app(page, f"{app_url}/?lang=en&region={village_code}&date=2021-07-10")
    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", *JAKARTA, village]))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Village")).to_have_value(village)
    named = page.get_by_test_id("stMain").get_by_text(village, exact=True)
    expect(named).to_have_count(2)  # the zone card's heading and the summary, as text
    for element in named.all():
        expect(element).to_be_visible()
    expect(hexagons(page)).to_have_count(1, timeout=TIMEOUT_MS)

    # The regency: an option of the province's regency selector.
    regencies = sidebar.get_by_role("combobox", name="Regency/City")
    regencies.evaluate("(box) => box.scrollIntoView({block: 'center'})")  # room for its menu
    regencies.click()
    expect(page.get_by_role("option", name=regency, exact=True)).to_be_visible()
    page.keyboard.press("Escape")

    # The regency again: the tooltip of its zone on the country map, zoomed in on Jakarta.
    page.get_by_test_id("stMain").get_by_role("button").filter(has_text="Indonesia").click()
    expect(page).to_have_url(region_in_url(None), timeout=TIMEOUT_MS)
    wait_for_run(page)
    zone = find_zone(page, regency_code, {"center": [-6.17, 106.75], "level": 11})
    tooltip = tooltip_of(page, zone_path(page, regency_code), {"x": zone["x"], "y": zone["y"]})
    expect(tooltip.locator("strong")).to_have_text(regency)

    # Find my area lists the village by name: as a button's text.
    page.get_by_test_id("stMain").get_by_role("textbox").fill(village_code)
    page.keyboard.press("Enter")
    match = page.get_by_test_id("stMain").get_by_role("button").filter(has_text=village)
    expect(match).to_have_text(re.compile(re.escape(SEP.join([*JAKARTA, village]))))

    assert page.locator("img[src='x']").count() == 0
    assert map_frame(page).locator("img[src='x']").count() == 0
    page.wait_for_load_state("networkidle")  # a hostile <img> would have failed and fired by now
    assert dialogs == []


def test_a_url_in_the_query_is_never_a_link(page: Page, app_url: str) -> None:
    # Markdown would autolink all three (escaping does not stop it); the notice shows them as code.
    lure = "Login ulang di https://evil.example, www.evil.example atau a@evil.example"
    open_app(page, f"{app_url}/?lang=en&region={quote(lure)}")
    notice = page.get_by_test_id("stMain").get_by_test_id("stAlert")
    expect(notice).to_contain_text(f"Unknown region {lure}; showing all of Indonesia.")
    assert page.locator("a[href*='evil']").count() == 0
    assert notice.locator("a").count() == 0


def test_tables_offer_no_unsafe_csv_download(page: Page, app_url: str) -> None:
    # Streamlit's own "Download as CSV" writes text as it is (formulas included): switched off
    # in .streamlit/config.toml; the table keeps its other tools.
    open_app(page, f"{app_url}/?lang=en&region=31.71")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Zone list").click()
    table = main.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible(timeout=TIMEOUT_MS)
    table.hover()
    expect(table.get_by_role("button", name="Search")).to_be_visible()
    assert table.get_by_role("button", name="Download as CSV").count() == 0


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
    for key in ("map", "trends", "reports", "method"):
        open_app(page, f"{app_url}/?page={key}&lang=en&region={GAMBIR}")
        if key == "map":
            expect(hexagons(page)).to_have_count(2, timeout=TIMEOUT_MS)
        if key == "reports":
            prepare(page)
    page.get_by_test_id("stSidebar").get_by_text("Bahasa Indonesia", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]lang=id(&|$)"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    page.wait_for_load_state("networkidle")

    assert foreign == []
    assert "/app/static/leaflet/leaflet.js" in local  # the map's own request was seen too


# --- Officials ----------------------------------------------------------------------------------


def sign_in(page: Page, account: tuple[str, str] = OFFICIAL) -> None:
    """Sign in through the sidebar's form (the session keeps it until the page is reloaded)."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Official sign-in", exact=True).click()
    sidebar.get_by_label("Account name", exact=True).fill(account[0])
    sidebar.get_by_label("Password", exact=True).fill(account[1])
    sidebar.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_run(page)
    expect(sidebar.get_by_text("Sign out", exact=True)).to_be_visible(timeout=TIMEOUT_MS)


def test_an_official_signs_in_through_the_form_and_out(page: Page, app_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, f"{app_url}/?lang=en&region=32.73&date=2021-07-10")  # Kota Bandung: 2 cases
    cases = page.get_by_test_id("stMetricValue").first
    expect(cases).to_have_text("< 10")
    sidebar = page.get_by_test_id("stSidebar")
    name, password = OFFICIAL

    sidebar.get_by_text("Official sign-in", exact=True).click()
    expect(sidebar.get_by_label("Password", exact=True)).to_be_in_viewport()
    page.wait_for_function("() => document.getAnimations().length === 0")  # fully expanded
    page.screenshot(path=ARTIFACTS / "signin-signed-out-1366x768.png")
    sidebar.get_by_label("Account name", exact=True).fill(name)
    sidebar.get_by_label("Password", exact=True).fill("not the password")
    sidebar.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_run(page)
    alert = sidebar.get_by_test_id("stAlert").get_by_test_id("stMarkdownContainer")
    expect(alert).to_have_text("Wrong name or password.")
    expect(cases).to_have_text("< 10")
    page.screenshot(path=ARTIFACTS / "signin-wrong-password-1366x768.png")

    sidebar.get_by_label("Password", exact=True).fill(password)
    sidebar.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_run(page)
    expect(alert).to_have_text(
        re.compile(r"Signed in as ani\s*Region: Jawa Barat \(32\)"), timeout=TIMEOUT_MS
    )
    expect(cases).to_have_text("2")
    page.screenshot(path=ARTIFACTS / "signin-signed-in-1366x768.png")

    sidebar.get_by_role("button", name="Sign out", exact=True).click()
    wait_for_run(page)
    expect(sidebar.get_by_text("Official sign-in", exact=True)).to_be_visible()
    expect(sidebar.get_by_test_id("stAlert")).to_have_count(0)
    expect(cases).to_have_text("< 10")


# --- Laporan / Reports -----------------------------------------------------------------------

REPORT_NAME = "pantauzona-31.71.01-2021-07-08-2021-07-10"
#: Gambir district in the tiny build: Cideng's 3 cases on 10 Jul (k = 10) and Monas's 4 a day.
CIDENG_CODE = "31.71.01.1002"


def pick(page: Page, select: Locator, option: str, tries: int = 3) -> None:
    """Open the selectbox ``select`` (the combobox itself: a click on the widget's label only
    focuses it) and pick ``option``. A click while the page is drawn again after a resize can
    open the list and close it at once (2 of 16 runs of the edition test on a quiet machine):
    the list is opened again, up to ``tries`` times, before the test fails."""
    listed = page.get_by_role("option", name=option, exact=True)
    for _ in range(tries - 1):
        select.click()
        try:
            listed.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeoutError:
            continue
    else:
        select.click()
    listed.click()


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the main area's selectbox labelled ``label``."""
    pick(page, page.get_by_test_id("stMain").get_by_role("combobox", name=label), option)
    wait_for_run(page)


def prepare(page: Page) -> Locator:
    """Press "Prepare report" (in either language) and return the download button once drawn."""
    main = page.get_by_test_id("stMain")
    main.locator(".st-key-report_prepare").get_by_role("button").click()
    button = main.locator(".st-key-report_download").get_by_role("button")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_run(page)
    return button


def download(page: Page, button: Locator, folder: Path) -> Path:
    """Click the download button; the file the browser received, saved under its own name."""
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    received = info.value
    path = folder / received.suggested_filename
    received.save_as(path)
    return path


@pytest.mark.parametrize(
    ("account", "banner", "cideng_cases"),
    [
        (None, "Public export", "< 10"),
        (NATIONAL, "Officials' export for Gambir", 3),
    ],
)
def test_reports_page_downloads_csv_and_xlsx(
    page: Page,
    app_url: str,
    tmp_path: Path,
    account: tuple[str, str] | None,
    banner: str,
    cideng_cases: str | int,
) -> None:
    if account is None:
        open_app(page, f"{app_url}/?lang=en&page=reports&region={GAMBIR}&date=2021-07-10")
    else:  # a sign-in lasts as long as the page: go to Reports within it
        open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
        sign_in(page, account)
        page.get_by_test_id("stSidebarNav").get_by_text("Reports", exact=True).click()
        wait_for_run(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stAlert")).to_contain_text(banner)

    button = prepare(page)
    expect(button).to_contain_text(f"Download {REPORT_NAME}.csv")
    csv_path = download(page, button, tmp_path)

    assert csv_path.name == f"{REPORT_NAME}.csv"
    table = pd.read_csv(csv_path, encoding="utf-8-sig", dtype={"village_code": str})
    cideng = table.loc[table["village_code"] == CIDENG_CODE, "new_cases"].tolist()
    assert cideng == [cideng_cases]  # 3 == 3.0 for the official's exact count
    assert ("checkins_7d" in table.columns) == (account is not None)

    choose(page, "Format", "Excel (.xlsx)")
    expect(main.get_by_test_id("stDownloadButton")).to_have_count(0)  # the CSV is stale now
    xlsx_path = download(page, prepare(page), tmp_path)

    assert xlsx_path.name == f"{REPORT_NAME}.xlsx"
    book = openpyxl.load_workbook(xlsx_path)
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    zones_sheet = book["zones"]
    header = [cell.value for cell in zones_sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in zones_sheet.iter_rows(min_row=2)
    ]
    assert [r["new_cases"] for r in rows if r["village_code"] == CIDENG_CODE] == [cideng_cases]


# --- Screenshots --------------------------------------------------------------------------------


def _settled(page: Page, key: str) -> None:
    """Wait until what the page draws last is drawn."""
    main = page.get_by_test_id("stMain")
    if key == "map":
        frame = map_frame(page)
        expect(frame.locator(".pz-legend")).to_be_visible(timeout=TIMEOUT_MS)
        expect(hexagons(page).first).to_be_visible(timeout=TIMEOUT_MS)
        expect(frame.locator(".leaflet-zoom-anim")).to_have_count(0)  # fitBounds has settled
    elif key == "trends":
        expect(main.get_by_test_id("stVegaLiteChart")).to_have_count(2, timeout=TIMEOUT_MS)
        expect(
            main.locator(
                "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
            ).first
        ).to_be_visible()
    elif key == "reports":
        prepare(page)
        expect(main.get_by_test_id("stDataFrame")).to_be_visible(timeout=TIMEOUT_MS)
    else:
        expect(main.get_by_test_id("stDataFrame").last).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_screenshots(page: Page, app_url: str, width: int, height: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    for key in ("map", "trends", "reports", "method"):
        open_app(page, f"{app_url}/?page={key}&region=31.71&date=2021-07-10")
        _settled(page, key)
        path = ARTIFACTS / f"dashboard-{key}-{width}x{height}.png"
        page.screenshot(path=path)
        assert path.stat().st_size > 0


# --- Officials: loading new data ------------------------------------------------------------------

NEW_DAY = (
    "case_id,reported_date,lat,lon,region_code\n"
    "N1,2021-07-11,-6.1754,106.8272,\n"
    "N2,2021-07-11,-6.1754,106.8272,\n"
    "M01,2021-07-11,-6.1754,106.8272,\n"
    "N3,2021-07-32,-6.1754,106.8272,\n"
    "N4,2021-07-11,0,0,\n"
)
NEW_DAY_QUARANTINE = [
    *("new-day.csv", "4", "case_id", "duplicate", "M01"),
    "duplicate case_id (already loaded from cases.csv)",
    *("new-day.csv", "5", "reported_date", "unparseable", "2021-07-32"),
    "reported_date is not a date (YYYY-MM-DD)",
    *("new-day.csv", "6", "lat", "null_island", "0", "lat/lon is 0,0 (null island)"),
]


@pytest.fixture
def official_url(
    browser_type_launch_args: dict[str, Any], tiny_build_dir: Path, tmp_path: Path
) -> Iterator[str]:
    """The dashboard for an official, on a copy of the tiny build and a store of its inputs."""
    from geo.uploads import InputStore

    (tmp_path / "build").symlink_to((tiny_build_dir.parent / "build").readlink())
    shutil.copytree(tiny_build_dir.parent / ".build.versions", tmp_path / ".build.versions")
    store = InputStore(tmp_path / "build-inputs")
    for kind, name in (
        ("venues", "venues.csv"),
        ("checkins", "checkins.csv"),
        ("cases", "cases.csv"),
    ):
        store.add(kind, name, (tiny_build_dir.parent / "inputs" / name).read_bytes())
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in (*NOT_INHERITED, "PANTAUZONA_DATA")}
    env |= {"PANTAUZONA_BUILD": str(tmp_path / "build"), "PANTAUZONA_INPUTS": str(store.path)}
    env[accounts.USERS_ENV] = str(tmp_path / "users.json")
    accounts.add_account(*OFFICIAL, "ID", path=tmp_path / "users.json")  # the whole country
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    command += ["--server.port", str(port), "--server.headless", "true"]
    log = tmp_path / "streamlit.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(f"http://localhost:{port}", server, 60, log)
            yield f"http://localhost:{port}"
        finally:
            server.terminate()
            server.wait(timeout=15)


def test_an_official_uploads_a_day_and_the_map_shows_it(
    page: Page, official_url: str, tmp_path: Path
) -> None:
    upload = tmp_path / "new-day.csv"
    upload.write_text(NEW_DAY, encoding="utf-8")
    open_app(page, f"{official_url}/?lang=en")
    sign_in(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Data", exact=True).click()
    wait_for_run(page)
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("Data")
    main.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(upload)
    wait_for_run(page)
    expect(main.get_by_test_id("stMetricValue")).to_have_text(["5", "2", "3"], timeout=TIMEOUT_MS)
    cells = main.get_by_test_id("stDataFrame").first.locator("table td")
    expect(cells).to_have_text(NEW_DAY_QUARANTINE, timeout=TIMEOUT_MS)

    main.get_by_role("button", name="Add and rebuild").click()
    expect(main.get_by_text("Build updated: data from 8 Jul 2021 to 11 Jul 2021.")).to_be_visible(
        timeout=180_000
    )
    wait_for_run(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "data-page-rebuilt.png")

    # A new page load is a new, public session: the public sees Gambir's 17 cases (15 + the 2
    # new) as published with the run's key (conftest.py): 19.
    open_app(page, f"{official_url}/?lang=en&page=map&region={GAMBIR}&date=2021-07-11")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("slider")).to_have_attribute("aria-valuetext", "11 Jul 2021")
    expect(main.get_by_test_id("stMetricValue").first).to_have_text("19")
    expect(hexagons(page)).to_have_count(2, timeout=TIMEOUT_MS)


KABUPATEN_2020 = "date,region_code,new_cases\n2021-07-11,91.01,5\n2021-07-11,91.03,7\n"
EDITION_READ = {
    "en": "Region codes of the 2020 (Permendagri 72/2019) edition: detected, codes such as 91.01 "
    "exist only in this edition.",
    "id": "Kode wilayah edisi 2020 (Permendagri 72/2019): terdeteksi, kode seperti 91.01 hanya "
    "ada di edisi ini.",
}


def _upload_2020(page: Page, upload: Path, lang: str) -> Locator:
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(upload)
    wait_for_run(page)
    expect(main.get_by_text(EDITION_READ[lang])).to_be_visible(timeout=TIMEOUT_MS)
    expect(main.get_by_test_id("stMetricValue")).to_have_text(["2", "2", "0"])
    return main


def test_the_data_page_offers_the_edition_of_the_codes(
    page: Page, official_url: str, tmp_path: Path
) -> None:
    # Looked at in both languages at 1366 and 390 px: test-artifacts/intake/.
    shots = ARTIFACTS / "intake"
    shots.mkdir(parents=True, exist_ok=True)
    upload = tmp_path / "kab.csv"
    upload.write_text(KABUPATEN_2020, encoding="utf-8")
    page.set_viewport_size({"width": 1366, "height": 900})
    open_app(page, f"{official_url}/?lang=en")
    sign_in(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Data", exact=True).click()
    wait_for_run(page)
    for lang, switch, select_label, detect in (
        ("en", None, "Edition of the region codes (--codes)", "Detect from the file"),
        ("id", "Bahasa Indonesia", "Edisi kode wilayah (--codes)", "Deteksi dari berkas"),
    ):
        page.set_viewport_size({"width": 1366, "height": 900})
        if switch:
            page.get_by_test_id("stSidebar").get_by_text(switch, exact=True).click()
            expect(page).to_have_url(re.compile(rf"[?&]lang={lang}(&|$)"), timeout=TIMEOUT_MS)
            wait_for_run(page)
        main = _upload_2020(page, upload, lang)
        select = main.get_by_role("combobox", name=select_label)
        expect(select).to_have_value(detect)  # the chosen option in the page's language
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            wait_for_run(page)
            said = main.get_by_text(EDITION_READ[lang])
            said.scroll_into_view_if_needed()
            expect(said).to_be_in_viewport(ratio=0.5)
            page.screenshot(path=shots / f"data-edition-{lang}-{width}.png", full_page=True)
    # Declared 2025, the 2020-only file is refused whole with the build's sentence.
    page.set_viewport_size({"width": 1366, "height": 900})
    wait_for_run(page)
    select.scroll_into_view_if_needed()
    pick(page, select, "2025 (Kemendagri)")
    wait_for_run(page)
    expect(main.get_by_test_id("stAlertContentError")).to_have_text(
        "Berkas ditolak: kab.csv dinyatakan berkode 2025 (--codes 2025), tetapi kode wilayahnya "
        "hanya bermakna di edisi 2020 (mis. 91.01); berikan --codes 2020.",
        timeout=TIMEOUT_MS,
    )
    page.screenshot(path=shots / "data-edition-id-1366-refused.png", full_page=True)


# --- Officials' views -----------------------------------------------------------------------------


# In the map's iframe: whether the marker's centre lies inside the outlined zone, whether a drawn
# hexagon has the zone's box, and how far the zone's centre is from the map's (as map fractions).
_ZONE_ON_MAP = """(zone) => {
    const marker = document.querySelector("path.pz-marker");
    const box = zone.getBBox(), mark = marker.getBBox();
    const centre = new DOMPoint(mark.x + mark.width / 2, mark.y + mark.height / 2);
    const same = (a, b) => Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1
        && Math.abs(a.width - b.width) < 1 && Math.abs(a.height - b.height) < 1;
    const drawn = [...document.querySelectorAll("path.leaflet-interactive")]
        .filter((p) => p !== zone && same(p.getBBox(), box));
    const map = window.map.getContainer().getBoundingClientRect();
    const rect = zone.getBoundingClientRect();
    return {
        inside: zone.isPointInFill(centre),
        drawn: drawn.map((p) => p.getAttribute("fill")),
        dx: Math.abs(rect.left + rect.width / 2 - (map.left + map.width / 2)) / map.width,
        dy: Math.abs(rect.top + rect.height / 2 - (map.top + map.height / 2)) / map.height,
    };
}"""


def assert_lands_on_zone(page: Page, cell: str) -> None:
    """The map outlines ``cell``, centred, over its own drawn hexagon, the marker inside it."""
    zone = map_frame(page).locator("path.pz-zone")
    expect(zone).to_be_visible(timeout=TIMEOUT_MS)
    expect(map_frame(page).locator(".leaflet-zoom-anim")).to_have_count(0)  # fitted, not moving
    found = zone.evaluate(_ZONE_ON_MAP)
    assert found["inside"], "the marker's centre is outside the zone"
    assert found["drawn"] == [RISK_COLOURS["red"]]  # the zone itself, at its own resolution
    assert found["dx"] < 0.05
    assert found["dy"] < 0.05
    caption = f"Zone {cell} (H3 resolution 9) is outlined in blue; the dot marks its centre."
    expect(page.get_by_test_id("stMain").get_by_text(caption)).to_be_visible()


def test_what_changed_opens_the_zone_on_the_map(page: Page, app_url: str) -> None:
    # Gambir on 10 Jul: the Monas hexagon turned red, the Cideng one orange (see test_dashboard_app).
    monas = "898c1079b87ffff"
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
    sign_in(page, NATIONAL)
    page.get_by_test_id("stSidebarNav").get_by_text("What changed", exact=True).click()
    wait_for_run(page)
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text("What changed")
    expect(main.get_by_text("Turned red or orange (2)")).to_be_visible()
    expect(main.get_by_text(f"around {XSS_VILLAGE[1]}, Gambir", exact=True)).to_be_visible()
    link = main.get_by_role("link", name="Open on the map").first
    shared = urljoin(page.url, link.get_attribute("href"))  # what "Copy link" gives
    wanted = {"lang": "en", "page": "map", "date": "2021-07-10", "region": GAMBIR, "zone": monas}
    assert {k: v[0] for k, v in parse_qs(urlsplit(shared).query).items()} == wanted

    link.click()

    expect(page).to_have_url(re.compile(rf"[?&]zone={monas}(&|$)"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    assert query(page) == wanted
    expect(main.locator("h1").first).to_have_text("Risk map")
    expect(breadcrumb(page)).to_have_text(SEP.join(["Indonesia", *JAKARTA]))
    expect(page.get_by_test_id("stSidebar").get_by_text("Sign out", exact=True)).to_be_visible()
    card = page.locator(".st-key-zone_card")  # the zone's own card, exact for an official
    expect(card.get_by_role("heading")).to_have_text(f"around {XSS_VILLAGE[1]}, Gambir")
    expect(card).to_contain_text("Red zone because of 12 cases in 7 days")
    assert_lands_on_zone(page, monas)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("iframe[title*='st_folium']").screenshot(
        path=ARTIFACTS / "what-changed-zone-on-map.png"
    )

    # The link, copied into a new tab (a new session: the public), lands on the same zone.
    other = page.context.new_page()
    open_app(other, shared)
    assert query(other) == wanted
    expect(other.get_by_test_id("stMain").locator("h1").first).to_have_text("Risk map")
    assert_lands_on_zone(other, monas)
    other.close()


def test_side_by_side_maps_under_two_rules(page: Page, app_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
    sign_in(page, NATIONAL)
    main = page.get_by_test_id("stMain")

    rules = main.get_by_role("combobox", name="Compare with rule")
    rules.evaluate("(box) => box.scrollIntoView({block: 'center'})")  # room for its menu
    pick(page, rules, "ppkm")

    wait_for_run(page)
    expect(page.locator("iframe[title*='st_folium']")).to_have_count(2, timeout=TIMEOUT_MS)
    left, right = (
        page.frame_locator("iframe[title*='st_folium'] >> nth=0"),
        page.frame_locator("iframe[title*='st_folium'] >> nth=1"),
    )
    for frame in (left, right):
        expect(frame.locator(".pz-legend")).to_be_visible(timeout=TIMEOUT_MS)
        expect(frame.locator("path.leaflet-interactive")).to_have_count(2, timeout=TIMEOUT_MS)
    assert fills(left.locator("path.leaflet-interactive")) == sorted(
        [RISK_COLOURS["red"], RISK_COLOURS["orange"]]
    )
    assert fills(right.locator("path.leaflet-interactive")) == [RISK_COLOURS["red"]] * 2
    expect(
        main.get_by_text("1 of 2 zones have another colour under the ppkm rule.")
    ).to_be_visible()
    main.get_by_text("Compared rule: ppkm").evaluate("(e) => e.scrollIntoView()")
    page.screenshot(path=ARTIFACTS / "dashboard-compare-1366x768.png")


def test_the_layer_switch_recolours_the_map(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/?region={GAMBIR}&date=2021-07-10")
    zones = hexagons(page)
    expect(zones).to_have_count(2, timeout=TIMEOUT_MS)
    legend_title = map_frame(page).locator(".pz-legend-title")
    expect(legend_title).to_have_text("Tingkat risiko", timeout=TIMEOUT_MS)

    page.get_by_test_id("stMain").get_by_text("Hotspot", exact=True).click()

    wait_for_map(page, "Hotspot (Gi*, FDR 5 %)")
    expect(legend_title).to_have_text("Hotspot (Gi*, FDR 5 %)")
    items = map_frame(page).locator(".pz-legend-item")
    expect(items).to_have_text(
        [
            "Hotspot (klaster tinggi)",
            "Coldspot (klaster rendah)",
            "Bukan klaster",
            "Abu-abu (tidak ada data)",
        ]
    )
    expect(zones).to_have_count(2, timeout=TIMEOUT_MS)
    assert set(fills(zones)) <= set(HOTSPOT_COLOURS.values())
    assert set(fills(zones)).isdisjoint({RISK_COLOURS["red"], RISK_COLOURS["orange"]})

    page.get_by_test_id("stMain").get_by_text("Perkiraan", exact=True).click()

    wait_for_run(page)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Perkiraan minggu depan tidak ditampilkan", timeout=TIMEOUT_MS)
    wait_for_map(page, "Tingkat risiko")


# --- The zone card: from search, a map click and "use my location" ----------------------------

#: The public card of the Monas village on 10 Jul (12 cases published as 11, 356 per 100,000):
#: its colour in words, its figures in the language's words and number format (the tiny build
#: has no figure above 999: ``tests/test_headline.py`` checks "1.234") and what it means.
CARD = {
    "id": (
        "Zona merah",
        "11 kasus dalam 7 hari, 356 per 100 ribu penduduk",
        "Risiko penularan tinggi",
    ),
    "en": (
        "Red zone",
        "11 cases in 7 days, 356 per 100,000 residents",
        "High risk of transmission",
    ),
}
VIEWPORTS = [(1366, 900), (390, 844)]
MONAS = {"latitude": -6.1754, "longitude": 106.8272}  # in XSS_VILLAGE (tiny_build.MONAS)


@contextmanager
def _page_at(browser: Any, width: int, height: int, **context: Any) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": width, "height": height}, **context)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def expect_card(page: Page, lang: str, shot: str) -> None:
    """The Monas village's card is on the page, first in the main column, and photographed."""
    expect(page).to_have_url(region_in_url(XSS_VILLAGE[0]), timeout=TIMEOUT_MS)
    wait_for_run(page)
    card = page.locator(".st-key-zone_card")
    band, rate, meaning = CARD[lang]
    heading = card.get_by_role("heading")  # a name, never markup
    expect(heading).to_have_text(XSS_VILLAGE[1], timeout=TIMEOUT_MS)  # a loaded machine's rerun
    expect(card.get_by_text(band, exact=True)).to_be_visible()
    expect(card).to_contain_text(rate)
    expect(card).to_contain_text(meaning)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
    card.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"zone-card-{shot}.png")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_zone_card_opens_from_search(
    browser: Any, app_url: str, lang: str, width: int, height: int
) -> None:
    with _page_at(browser, width, height) as page:
        open_app(page, f"{app_url}/?lang={lang}&date=2021-07-10")
        search = page.get_by_test_id("stMain").get_by_role("textbox").first
        search.fill(XSS_VILLAGE[0])
        search.press("Enter")
        # The run that lists the matches may not have started when the app next reads idle:
        # wait for the match itself, as long as any rerun may take on a loaded machine.
        match = page.get_by_test_id("stMain").get_by_role("button", name=XSS_VILLAGE[1]).first
        expect(match).to_be_visible(timeout=TIMEOUT_MS)
        wait_for_run(page)  # the list's run is over: the click is not lost to a rerun
        match.click()
        expect_card(page, lang, f"search-{lang}-{width}x{height}")


#: The public card of the Monas hexagon (resolution 9) on 10 Jul, named by its village: 12
#: published cases, 9,715 per 100,000 of its few residents (Indonesian: "9.715").
HEXAGON_CARD = {
    "id": (
        f"sekitar {XSS_VILLAGE[1]}, Gambir",
        "Zona merah",
        "Zona merah karena 12 kasus dalam 7 hari, 9.715 per 100 ribu penduduk.",
        "Risiko penularan tinggi",
    ),
    "en": (
        f"around {XSS_VILLAGE[1]}, Gambir",
        "Red zone",
        "Red zone because of 12 cases in 7 days, 9,715 per 100,000 residents.",
        "High risk of transmission",
    ),
}
# In the map's iframe: the on-screen centre of the hexagon drawn for village ``code`` (zoomed to
# when it is under 24 px wide, as a user would), and whether that point is the hexagon itself.
_HEXAGON_POINT = """(_path, code) => {
    const map = window.map;
    let found = null;
    map.eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.code === code && layer.getElement) { found = layer; }
    });
    if (!found) { return null; }
    if (found.getElement().getBoundingClientRect().width < 24) {
        map.fitBounds(found.getBounds(), {animate: false, maxZoom: 17, padding: [40, 40]});
    }
    const at = map.latLngToContainerPoint(found.getBounds().getCenter());
    const box = map.getContainer().getBoundingClientRect();
    const x = box.left + at.x, y = box.top + at.y;
    return {x: x, y: y, label: found.feature.properties.label,
            hit: document.elementFromPoint(x, y) === found.getElement()};
}"""


def click_hexagon(page: Page, code: str) -> str:
    """Click, with the mouse, the centre of the hexagon of village ``code``; return its cell."""
    expect(hexagons(page).first).to_be_attached(timeout=TIMEOUT_MS)
    iframe = page.locator("iframe[title*='st_folium']")
    iframe.scroll_into_view_if_needed()  # the mouse reaches only what is on screen
    for _ in range(50):  # the map may still be settling (its frame is sized late)
        point = hexagons(page).first.evaluate(_HEXAGON_POINT, code)
        if point is not None and point["hit"]:
            break
        page.wait_for_timeout(200)
    assert point is not None, f"no hexagon of {code} on the map"
    assert point["hit"], f"the hexagon of {code} is covered at its centre: {point}"
    frame = iframe.bounding_box()
    assert frame is not None
    x, y = frame["x"] + point["x"], frame["y"] + point["y"]
    size = page.viewport_size
    assert size is not None
    assert 0 <= x < size["width"], f"the hexagon's centre {x, y} is off screen"
    assert 0 <= y < size["height"], f"the hexagon's centre {x, y} is off screen"
    page.mouse.click(x, y)
    return point["label"]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_zone_card_opens_from_a_map_click(
    browser: Any, app_url: str, lang: str, width: int, height: int
) -> None:
    """A mouse click on a hexagon opens that hexagon's card, named by the village holding most
    of its people, and drills down to that village with the click marked."""
    with _page_at(browser, width, height) as page:
        open_app(page, f"{app_url}/?lang={lang}&region={GAMBIR}&date=2021-07-10")
        cell = click_hexagon(page, XSS_VILLAGE[0])
        assert cells.is_valid_cell(cell)
        expect(page).to_have_url(region_in_url(XSS_VILLAGE[0]), timeout=TIMEOUT_MS)
        wait_for_run(page)
        name, band, reason, meaning = HEXAGON_CARD[lang]
        card = page.locator(".st-key-zone_card")
        expect(card.get_by_role("heading")).to_have_text(name)  # a name, never markup
        expect(card.get_by_text(band, exact=True)).to_be_visible()
        expect(card).to_contain_text(reason)
        expect(card).to_contain_text(meaning)
        expect(map_frame(page).locator("path.pz-marker")).to_be_attached()  # the click, marked
        card.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"zone-card-map-{lang}-{width}x{height}.png")


def locate_button(page: Page) -> Locator:
    return page.frame_locator("iframe[title*='pantauzona_locate']").get_by_role("button")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_zone_card_opens_from_my_location(
    browser: Any, app_url: str, lang: str, width: int, height: int
) -> None:
    granted = {"geolocation": MONAS, "permissions": ["geolocation"]}
    with _page_at(browser, width, height, **granted) as page:
        open_app(page, f"{app_url}/?lang={lang}&date=2021-07-10")
        button = locate_button(page)
        expect(button).to_have_text({"id": "Pakai lokasi saya", "en": "Use my location"}[lang])
        button.click()
        expect_card(page, lang, f"location-{lang}-{width}x{height}")


def test_a_refused_location_is_a_sentence(browser: Any, app_url: str) -> None:
    with _page_at(browser, 390, 844) as page:  # no permission granted: the browser refuses
        open_app(page, f"{app_url}/?lang=id&date=2021-07-10")
        locate_button(page).click()
        expect(page.get_by_test_id("stMain").get_by_test_id("stAlert")).to_contain_text(
            "Izin lokasi ditolak oleh browser."
        )
        assert "region" not in query(page)
