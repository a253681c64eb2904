"""Accessibility in a real browser: axe-core on every page, and the controls from the keyboard.

axe-core comes from npm (``make axe``, pinned in the Makefile) and is injected into each page as
it is drawn; every page, public and official, in both languages, must have no violation that axe
rates serious or critical. The server fixtures and helpers are those of
``test_dashboard_browser.py``.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Frame, Locator, Page, expect
from test_dashboard_browser import (
    GAMBIR,
    NATIONAL,
    REPO,
    TIMEOUT_MS,
    _settled,
    app_url,  # noqa: F401  (the session's server, a fixture)
    open_app,
    sign_in,
    wait_for_run,
)

from dashboard.i18n import LANGS, t

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

_RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
}"""


def serious_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical violations on the page and in each of its frames."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe`")
    found = []
    frames: list[Frame] = [page.main_frame, *page.main_frame.child_frames]
    for frame in frames:
        frame.add_script_tag(path=AXE)
        for violation in frame.evaluate(_RUN_AXE):
            if violation["impact"] in SERIOUS:
                found.append({"frame": frame.name or frame.url[-60:], **violation})
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("key", ["map", "trends", "reports", "method"])
def test_public_pages_have_no_serious_violations(
    page: Page,
    app_url: str,  # noqa: F811  (the fixture imported above)
    key: str,
    lang: str,
) -> None:
    open_app(page, f"{app_url}/?lang={lang}&page={key}&region={GAMBIR}&date=2021-07-10")
    _settled(page, key)
    _no_serious_violations(page)


def _no_serious_violations(page: Page) -> None:
    found = serious_violations(page)
    assert found == [], json.dumps(found, indent=1)


def _settle(page: Page, key: str) -> None:
    """Wait until the page is drawn (an official's Trends has one chart more than the public's)."""
    if key in ("changes", "data"):
        page.wait_for_load_state("networkidle")
    elif key == "trends":
        charts = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")
        expect(charts.first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
    else:
        _settled(page, key)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_official_pages_have_no_serious_violations(
    page: Page,
    app_url: str,  # noqa: F811  (the fixture imported above)
    lang: str,
) -> None:
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
    sign_in(page, NATIONAL)  # the sign-in form is filled in English
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("radio", name=LANGS[lang]).check(force=True)
    wait_for_run(page)
    for key in ("changes", "data", "map", "trends", "reports", "method"):
        nav = page.get_by_test_id("stSidebarNav")
        nav.get_by_role("link", name=t(f"page.{key}", lang), exact=True).click()
        main = page.get_by_test_id("stMain")
        expect(main.locator("h1").first).to_have_text(t(f"page.{key}", lang), timeout=TIMEOUT_MS)
        wait_for_run(page)
        _settle(page, key)
        _no_serious_violations(page)


def test_the_layers_and_side_by_side_maps_have_no_serious_violations(
    page: Page,
    app_url: str,  # noqa: F811  (the fixture imported above)
) -> None:
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Hotspot", exact=True).click()
    wait_for_run(page)
    expect(
        page.frame_locator("iframe[title*='st_folium']").locator(".pz-legend-title")
    ).to_have_text(t("hotspot.legend_title", "en"), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    _no_serious_violations(page)

    # The compare view in a fresh session on the same link (as the side-by-side test opens it).
    open_app(page, f"{app_url}/?lang=en&region={GAMBIR}&date=2021-07-10")
    sign_in(page, NATIONAL)
    rules = main.get_by_role("combobox", name="Compare with rule")
    rules.evaluate("(box) => box.scrollIntoView({block: 'center'})")  # room for its menu
    rules.click()
    page.get_by_role("option", name="ppkm", exact=True).click()
    wait_for_run(page)
    expect(page.locator("iframe[title*='st_folium']")).to_have_count(2, timeout=TIMEOUT_MS)
    for nth in (0, 1):  # both maps drawn, so that no frame is replaced while axe runs
        frame = page.frame_locator(f"iframe[title*='st_folium'] >> nth={nth}")
        expect(frame.locator(".pz-legend")).to_be_visible(timeout=TIMEOUT_MS)
        expect(frame.locator("path.leaflet-interactive")).to_have_count(2, timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    _no_serious_violations(page)


# --- The keyboard ---------------------------------------------------------------------------------


def _tab_to(page: Page, target: Locator, limit: int = 60) -> int:
    """Press Tab until ``target`` has the focus; the number of presses (fails past ``limit``)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("(e) => e === document.activeElement"):
            return presses
    pytest.fail(f"{target} not reached in {limit} presses of Tab")


def test_the_controls_work_from_the_keyboard(
    page: Page,
    app_url: str,  # noqa: F811  (the fixture imported above)
) -> None:
    open_app(page, f"{app_url}/?lang=en&region=31&date=2021-07-08")
    sidebar, main = page.get_by_test_id("stSidebar"), page.get_by_test_id("stMain")
    page.locator("body").focus()
    # The sidebar's controls, in order, then the map page's own.
    slider = sidebar.get_by_role("slider")
    province = sidebar.get_by_role("combobox", name="Province")
    regency = sidebar.get_by_role("combobox", name="Regency/City")
    for control in (slider, province, regency):
        _tab_to(page, control)
    _tab_to(page, main.get_by_role("textbox", name="Find my area"))
    _tab_to(page, main.get_by_role("radio", name="Risk").or_(main.get_by_role("radio").first))

    # A selector, by the keyboard only: the regency list opens, filters as one types, and the
    # highlighted entry is chosen.
    page.locator("body").focus()
    _tab_to(page, regency)
    page.keyboard.press("ArrowDown")
    page.keyboard.type("Jakarta Pusat")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]region=31\.71(&|$)"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    expect(sidebar.get_by_role("combobox", name="Regency/City")).to_have_value(
        "Kota Administrasi Jakarta Pusat"
    )

    # The date slider, by the keyboard only.
    page.locator("body").focus()
    _tab_to(page, slider)
    page.keyboard.press("End")
    expect(page).to_have_url(re.compile(r"[?&]date=2021-07-10(&|$)"), timeout=TIMEOUT_MS)
    wait_for_run(page)
    expect(sidebar.get_by_role("slider")).to_have_attribute("aria-valuetext", "10 Jul 2021")
