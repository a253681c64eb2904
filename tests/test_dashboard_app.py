"""The dashboard without a browser: the frame under Streamlit's AppTest, and its helpers.

AppTest runs ``dashboard/app.py`` in-process (it cannot draw the folium map; the browser tests
do that). Widgets are driven by key and the tests assert on what the user sees.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
import re
import shutil
import string
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import pandas as pd
import pytest
import streamlit_folium
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from tiny_build import (
    PARTIAL_COMPLETE_DAY,
    PARTIAL_LAST_DAY,
    XSS_VILLAGE,
    make_partial_build,
    make_tiny_build,
)

from dashboard import (
    change_lists,
    charts,
    data,
    loading,
    locate,
    mapview,
    official_views,
    panels,
    report_files,
    session,
    signin,
)
from dashboard.i18n import LANGS, STRINGS, code_span, escape_markdown, format_date, t
from dashboard.view_state import (
    OFFICIAL_PAGES,
    PAGES,
    Notice,
    ViewState,
    parse_query_params,
    region_path,
    stale_echo,
    to_query_params,
)
from geo import accounts, reports
from geo.reports import ReportError

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
JAKARTA = ["Daerah Khusus Ibukota Jakarta", "Kota Administrasi Jakarta Pusat", "Gambir"]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module", autouse=True)
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the dashboard at the tiny build (see ``tiny_build.py``)."""
    build = make_tiny_build(tmp_path_factory.getbasetemp() / "tiny")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(data.BUILD_ENV, str(build))
        yield build


@pytest.fixture(scope="module", autouse=True)
def users(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Two officials in a temporary credentials file: ani of Jawa Barat (32), dewi of Jakarta (31).

    A cheap argon2 hasher stands in for the default one (the parameters are not the point here).
    """
    path = tmp_path_factory.mktemp("users") / "users.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        patch.setenv(accounts.USERS_ENV, str(path))
        patch.delenv(accounts.TTL_ENV, raising=False)
        accounts.add_account("ani", PASSWORD, "32")
        accounts.add_account("dewi", PASSWORD, "31")
        yield path


PAGE_FILES = {
    "map": "app_pages/risk_map.py",
    "trends": "app_pages/trends.py",
    "reports": "app_pages/reports.py",
    "method": "app_pages/method.py",
    "changes": "app_pages/changes.py",
    "data": "app_pages/data.py",
}
DATES = [date(2021, 7, 14), date(2021, 7, 15)]
# A three-level toy hierarchy for the parser: province 31 > regency 31.71 > district 31.71.01.
PARENTS = {"31": None, "31.71": "31", "31.71.01": "31.71"}


def run_app(**query_params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query_params)
    return at.run()


def shown(markdown: str) -> str:
    """What the user reads: Markdown with its backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


def info_texts(at: AppTest) -> list[str]:
    return [shown(element.value) for element in at.info]


# --- The frame --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", PAGES)
def test_every_page_runs(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if key in OFFICIAL_PAGES:
        monkeypatch.setattr(session, "viewer", lambda: session.Viewer("nas", None, official=True))
    at = run_app()
    at.switch_page(PAGE_FILES[key]).run()
    assert not at.exception
    assert at.title[0].value == t(f"page.{key}", "id")
    assert at.query_params["page"] in (key, [key])


def test_language_switch_changes_the_title() -> None:
    at = run_app()
    assert at.title[0].value == "Peta Risiko"

    at.sidebar.radio(key="lang").set_value("en").run()

    assert not at.exception
    assert at.title[0].value == "Risk map"
    assert at.sidebar.radio(key="lang").value == "en"
    assert at.query_params["lang"] in ("en", ["en"])


def test_invalid_region_shows_a_notice_and_falls_back() -> None:
    at = run_app(region="99.99.99")
    assert not at.exception
    assert info_texts(at) == ["Wilayah `99.99.99` tidak dikenal; menampilkan seluruh Indonesia."]
    assert at.sidebar.selectbox(key="region_0").value == ""
    assert "region" not in at.query_params


def test_notices_are_in_the_users_language() -> None:
    at = run_app(lang="en", page="nope", date="2021-02-30")
    assert not at.exception
    assert info_texts(at) == [
        "There is no page `nope`; showing the risk map.",
        "No data for the date `2021-02-30`; showing the latest date with complete data, "
        "10 Jul 2021.",
    ]


def test_notices_show_hostile_values_as_text() -> None:
    at = run_app(region="<b>:red[x]$x$")
    assert [element.value for element in at.info] == [
        "Wilayah `<b>:red[x]$x$` tidak dikenal; menampilkan seluruh Indonesia."
    ]


def test_a_url_in_a_notice_is_code_never_a_link() -> None:
    # Streamlit's Markdown autolinks URLs, www. names and e-mail addresses in text, escaped or
    # not; inside a code span it does not (the browser test checks the page has no such link).
    lure = "Login ulang di https://evil.example sebelum melanjutkan"
    at = run_app(region=lure)
    assert [element.value for element in at.info] == [
        f"Wilayah `{lure}` tidak dikenal; menampilkan seluruh Indonesia."
    ]
    at = run_app(lang="en", page="www.evil.example\n`x` a@evil.example")
    assert [element.value for element in at.info] == [
        "There is no page ``www.evil.example `x` a@evil.example``; showing the risk map."
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("`x`", "`` `x` ``"),
        ("", "`  `"),
        ("line\nbreak\r", "` line break  `"),  # CommonMark drops one pad space each side
        ("x" * 100, "`" + "x" * 79 + "…`"),
    ],
)
def test_code_span_shows_any_text_literally(text: str, span: str) -> None:
    assert code_span(text) == span


def test_deep_link_restores_the_view() -> None:
    at = run_app(lang="en", page="trends", region="31.71.01", date="2021-07-09")
    assert not at.exception
    assert "Dates marked · partial have incomplete data." not in [
        c.value for c in at.sidebar.caption
    ]  # every day of the tiny build is complete
    assert at.title[0].value == "Trends"
    assert info_texts(at) == []
    regions = [at.sidebar.selectbox(key=f"region_{level}").value for level in range(3)]
    assert regions == ["31", "31.71", "31.71.01"]
    assert at.sidebar.select_slider(key="day").value == date(2021, 7, 9)
    breadcrumb = shown(at.main.caption[0].value)
    assert breadcrumb == " \u203a ".join(["Indonesia", *JAKARTA])


def test_a_jawa_barat_kecamatan_offers_its_villages() -> None:
    # Jawa Barat has village polygons, so Coblong (Kota Bandung) gets the village selector.
    at = run_app(lang="en", region="32.73.02")
    assert not at.exception
    villages = at.sidebar.selectbox(key="region_3")
    assert villages.label == "Village"
    assert villages.value == ""
    assert villages.options == [
        "— All —",
        "Cipaganti",
        "Lebak Gede",
        "Sadang Serang",
        "Dago",
        "Sekeloa",
        "Lebak Siliwangi",
    ]
    villages.set_value("32.73.02.1001").run()
    assert not at.exception
    assert at.query_params["region"] in ("32.73.02.1001", ["32.73.02.1001"])
    breadcrumb = shown(at.main.caption[0].value)
    assert breadcrumb == " \u203a ".join(
        ["Indonesia", "Jawa Barat", "Kota Bandung", "Coblong", "Cipaganti"]
    )


def test_a_link_to_a_jawa_barat_village_restores_every_selector() -> None:
    at = run_app(lang="en", region="32.73.02.1001")
    assert not at.exception
    assert info_texts(at) == []  # the code was accepted
    regions = [at.sidebar.selectbox(key=f"region_{level}").value for level in range(4)]
    assert regions == ["32", "32.73", "32.73.02", "32.73.02.1001"]


def test_a_kecamatan_of_a_province_without_village_polygons_has_no_village_selector() -> None:
    at = run_app(lang="en", region="63.71.05")  # Banjarmasin Tengah, Kalimantan Selatan
    assert not at.exception
    assert at.sidebar.selectbox(key="region_2").value == "63.71.05"
    assert "region_3" not in [box.key for box in at.sidebar.selectbox]


def test_find_my_area_finds_a_jawa_barat_village() -> None:
    at = run_app(lang="en")
    at.text_input(key=panels.SEARCH_KEY).input("cipaganti").run()
    assert not at.exception
    button = at.button(key="match_32.73.02.1001")
    assert button.label == " \u203a ".join(["Jawa Barat", "Kota Bandung", "Coblong", "Cipaganti"])
    button.click().run()
    assert at.sidebar.selectbox(key="region_3").value == "32.73.02.1001"


def test_changing_a_region_clears_the_levels_below() -> None:
    at = run_app(region="31.71.01")
    at.sidebar.selectbox(key="region_0").set_value("32").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="region_0").value == "32"
    assert at.sidebar.selectbox(key="region_1").value == ""
    assert at.query_params["region"] in ("32", ["32"])


# --- Strings ----------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(STRINGS) == set(LANGS)
    assert STRINGS["id"].keys() == STRINGS["en"].keys()
    for key, text in STRINGS["id"].items():
        assert _placeholders(text) == _placeholders(STRINGS["en"][key]), key


def test_format_date_uses_the_languages_month_names() -> None:
    assert format_date(date(2021, 8, 17), "id") == "17 Agu 2021"
    assert format_date(date(2021, 8, 17), "en") == "17 Aug 2021"


def test_escape_markdown_neutralises_markup() -> None:
    assert escape_markdown("a*b* $x$ :red[y] <i>") == r"a\*b\* \$x\$ \:red\[y\] \<i\>"
    assert len(escape_markdown("x" * 500)) == 80


# --- View state -------------------------------------------------------------------------------


def _parse(**params: str) -> tuple[ViewState, list[Notice]]:
    return parse_query_params(params, dates=DATES, parent=PARENTS.__getitem__)


def test_empty_query_means_the_default_view_on_the_latest_date() -> None:
    assert _parse() == (ViewState(lang="id", page="map", day=date(2021, 7, 15)), [])


def test_an_empty_or_bad_date_opens_on_the_default_day() -> None:
    complete = date(2021, 7, 14)  # the 15th is incomplete
    parsed = parse_query_params({}, dates=DATES, parent=PARENTS.__getitem__, default_day=complete)
    assert parsed == (ViewState(day=complete), [])
    bad = parse_query_params(
        {"date": "2021-07-13"}, dates=DATES, parent=PARENTS.__getitem__, default_day=complete
    )
    assert bad == (ViewState(day=complete), [Notice("notice.date", "2021-07-13")])
    chosen = parse_query_params(
        {"date": "2021-07-15"}, dates=DATES, parent=PARENTS.__getitem__, default_day=complete
    )
    assert chosen[0].day == date(2021, 7, 15)  # a link may still name an incomplete day
    outside = parse_query_params(
        {}, dates=DATES, parent=PARENTS.__getitem__, default_day=date(2020, 1, 1)
    )
    assert outside[0].day == date(2021, 7, 15)


def test_query_params_round_trip() -> None:
    view = ViewState(lang="en", page="method", day=date(2021, 7, 14), region=("31", "31.71"))
    assert _parse(**to_query_params(view)) == (view, [])


def test_a_url_seen_before_on_the_same_page_is_a_stale_echo() -> None:
    first = {"region": "31.71.01", "date": "2021-07-09"}  # a link without page: the map's
    published = {"lang": "id", "page": "map", "date": "2021-07-10", "region": "31.71.01"}
    seen = [first, {**published, "date": "2021-07-09"}, published]
    assert stale_echo(first, seen, published)
    assert stale_echo({**published, "date": "2021-07-09"}, seen, published)
    assert not stale_echo({**published, "region": "31"}, seen, published)  # a new view
    changes = {**published, "page": "changes"}  # on What changed, a link to a map seen before
    assert not stale_echo(published, [published], changes)


def test_a_rerun_with_the_browsers_stale_url_keeps_the_last_choice() -> None:
    """A layer click (or a sign-in) sent before the browser applied the URL of the last run
    brings an earlier URL back: the date and region chosen last stay; a new URL still opens."""
    first = {"lang": "en", "region": "31.71.01", "date": "2021-07-09"}
    at = run_app(**first)
    at.sidebar.select_slider(key="day").set_value(date(2021, 7, 10)).run()
    assert at.query_params["date"] in ("2021-07-10", ["2021-07-10"])
    at.query_params.clear()
    at.query_params.update(first)  # the browser's URL, not yet the one the last run wrote
    at.radio(key="map_layer").set_value("hotspot").run()
    assert not at.exception
    assert at.sidebar.select_slider(key="day").value == date(2021, 7, 10)
    assert at.sidebar.selectbox(key="region_2").value == "31.71.01"
    assert at.query_params["date"] in ("2021-07-10", ["2021-07-10"])
    at.query_params.clear()
    at.query_params.update({"lang": "en", "region": "31"})  # a URL never seen: a link
    at.run()
    assert at.sidebar.selectbox(key="region_0").value == "31"
    assert at.sidebar.selectbox(key="region_1").value == ""


def _zone_region(cell: str, region: str | None) -> str | None:
    """A toy build with one zone, ``z1``, opened on district 31.71.01."""
    return "31.71.01" if cell == "z1" else None


def test_a_zone_round_trips_and_opens_on_its_region() -> None:
    view = ViewState(day=date(2021, 7, 14), region=("31", "31.71", "31.71.01"), zone="z1")
    assert to_query_params(view)["zone"] == "z1"
    params = {**to_query_params(view), "region": "31"}  # the zone decides the region
    parsed = parse_query_params(
        params, dates=DATES, parent=PARENTS.__getitem__, zone_region=_zone_region
    )
    assert parsed == (view, [])
    bad = parse_query_params(
        {"zone": "z2", "region": "31"},
        dates=DATES,
        parent=PARENTS.__getitem__,
        zone_region=_zone_region,
    )
    assert bad == (ViewState(day=date(2021, 7, 15), region=("31",)), [Notice("notice.zone", "z2")])


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("lang", "fr"),
        ("page", "../etc"),
        ("date", "15-07-2021"),
        ("date", "2021-07-13"),  # a real date without data
        ("region", "31.99"),
        ("region", ""),
        ("zone", "898c1079b87ffff"),  # no zone is known to this parser
    ],
)
def test_each_bad_value_falls_back_with_one_notice(param: str, value: str) -> None:
    view, notices = _parse(**{param: value})
    assert view == ViewState(lang="id", page="map", day=date(2021, 7, 15))
    assert notices == [Notice(f"notice.{param}", value)]


def test_region_path_stops_on_a_cycle() -> None:
    assert region_path("a", {"a": "b", "b": "a"}.__getitem__) == ()


# --- The map ----------------------------------------------------------------------------------


def _feature(label: str, risk: str = "red") -> dict:
    ring = [[106.8, -6.2], [106.81, -6.2], [106.81, -6.19], [106.8, -6.2]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"risk": risk, "label": label, "reason": "x < 5 & y"},
    }


def test_safe_text_escapes_html_and_javascript_templates() -> None:
    assert mapview.safe_text("<img src=x onerror=alert(1)>") == (
        "&lt;img src=x onerror=alert(1)&gt;"
    )
    assert mapview.safe_text("${alert(1)}`") == "&#36;&#123;alert(1)&#125;&#96;"


def test_tooltip_is_escaped_and_translated() -> None:
    props = {"risk": "orange", "label": '"><script>', "reason": "${x}", "trend": "<b>`"}
    html = mapview.tooltip_html(props, "en")
    assert html == (
        "<strong>&quot;&gt;&lt;script&gt;</strong><br>&#36;&#123;x&#125;<br>&lt;b&gt;&#96;"
    )


def test_map_loads_nothing_from_the_internet() -> None:
    hexagons = {"type": "FeatureCollection", "features": [_feature("<b>")]}
    fmap = mapview.build_map(hexagons, bounds=[[-6.2, 106.8], [-6.19, 106.81]], lang="en")
    html = fmap.get_root().render()
    assert re.findall(r"https?://", html) == []
    assert "/app/static/leaflet/leaflet.js" in html
    assert "/app/static/leaflet/leaflet.css" in html


def test_map_styles_in_the_browser_not_per_feature() -> None:
    features = [_feature(f"zone {n}", risk) for n, risk in enumerate(mapview.RISK_COLOURS)]
    hexagons = {"type": "FeatureCollection", "features": features}
    fmap = mapview.build_map(hexagons, bounds=[[-6.2, 106.8], [-6.19, 106.81]], lang="id")
    html = fmap.get_root().render()
    assert "switch(" not in html  # folium's per-feature style switch
    assert "colours[feature.properties.risk]" in html
    assert '"Tingkat risiko"' in html  # legend in the user's language
    assert hexagons["features"][0]["properties"].keys() == {"risk", "label", "reason"}


def test_the_maps_payload_holds_its_zones_legend_and_offline_leaflet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What ``show_map`` hands the folium component (it renders the figure once, itself)."""
    payloads: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: payloads.append(kw))
    hexagons = {"type": "FeatureCollection", "features": [_feature("Gambir")]}
    mapview.show_map(hexagons, bounds=[[-6.2, 106.8], [-6.19, 106.81]], lang="en", key="m")
    (payload,) = payloads
    assert '"label": "Gambir"' in payload["script"]  # the zone, inline GeoJSON
    assert '"Risk level"' in payload["script"]  # the legend, in the user's language
    assert "#map_div" in payload["header"]
    assert payload["css_links"] == ["/app/static/leaflet/leaflet.css"]
    assert payload["js_links"] == ["/app/static/leaflet/leaflet.js"]


def test_a_highlighted_zone_is_an_outline_on_top_of_the_zones() -> None:
    hexagons = {"type": "FeatureCollection", "features": [_feature("Gambir")]}
    ring = [[-6.17, 106.82], [-6.18, 106.82], [-6.18, 106.83], [-6.17, 106.82]]
    fmap = mapview.build_map(
        hexagons, bounds=[[-6.2, 106.8], [-6.1, 106.9]], lang="en", highlight=ring
    )
    html = fmap.get_root().render()
    outline = re.search(r"L\.polygon\(\s*(\[.*?\]\]),\s*(\{.*?\})", html, re.DOTALL)
    assert outline is not None
    assert json.loads(outline.group(1)) == ring
    options = outline.group(2)
    assert '"className": "pz-zone"' in options
    assert '"fill": false' in options
    assert '"interactive": false' in options
    assert html.index("L.polygon(") > html.index("L.geoJson(")  # drawn above the hexagons
    plain = mapview.build_map(hexagons, bounds=[[-6.2, 106.8], [-6.1, 106.9]], lang="en")
    assert "pz-zone" not in plain.get_root().render()


def test_a_zone_link_names_the_pages_region_or_a_regency_of_the_country() -> None:
    view = ViewState(lang="en", page="changes", day=date(2021, 7, 10), region=("31", "31.71"))
    row = pd.Series({"zone": "888c1079b9fffff", "region_code": "31.71.04"})
    assert change_lists.map_link(row, view) == {
        "page": "map",
        "lang": "en",
        "date": "2021-07-10",
        "region": "31.71",
        "zone": "888c1079b9fffff",
    }
    country = ViewState(lang="id", page="changes", day=date(2021, 7, 10))
    regency = pd.Series({"zone": "31.71", "region_code": "31.71"})
    assert change_lists.map_link(regency, country) == {
        "page": "map",
        "lang": "id",
        "date": "2021-07-10",
        "region": "31.71",
    }


def test_zone_rows_are_the_maps_text_alternative() -> None:
    hexagons = {"type": "FeatureCollection", "features": [_feature("Gambir", "green")]}
    assert mapview.zone_rows(hexagons, "en") == [
        {"Zone": "Gambir", "Risk": "Green (low)", "Reason": "x < 5 & y"}
    ]


def test_zone_rows_name_the_class_of_the_layer_shown() -> None:
    hot, empty = _feature("Gambir", "orange"), _feature("Cideng", "no_data")
    hot["properties"] |= {"hotspot": "hot", "outlook_risk": "red"}
    empty["properties"] |= {"hotspot": "cold", "outlook_risk": "green"}
    hexagons = {"type": "FeatureCollection", "features": [hot, empty]}
    rows = mapview.zone_rows(hexagons, "en", "hotspot")
    assert [row["Hotspot (Gi*, FDR 5%)"] for row in rows] == [
        "Hotspot (high cluster)",
        "Grey (no data)",
    ]
    assert [row["Risk"] for row in rows] == ["Orange (moderate)", "Grey (no data)"]
    outlook = mapview.zone_rows(hexagons, "id", "outlook")
    title = "Perkiraan minggu depan (perkiraan, bukan aturan)"
    assert [row[title] for row in outlook] == ["Merah (tinggi)", "Abu-abu (tidak ada data)"]


# --- The data seam (keep when the placeholder is re-implemented on geo) ------------------------


def test_data_seam_contract() -> None:
    dates = data.available_dates()
    assert dates == sorted(dates)
    provinces = data.children(None)
    assert provinces
    code, name = provinces[0]
    assert isinstance(code, str)
    assert data.region_name(code) == name
    assert data.parent(code) is None
    child, _ = data.children(code)[0]
    assert data.parent(child) == code
    with pytest.raises(KeyError):
        data.region_name("no such region")
    layers = data.map_layers(dates[-1], None, "en")
    assert layers.hexagons["features"]
    for feature in layers.hexagons["features"]:
        props = feature["properties"]
        assert props["risk"] in mapview.RISK_COLOURS
        assert isinstance(props["label"], str)
        assert isinstance(props["reason"], str)
    (south, west), (north, east) = layers.bounds
    assert south <= north
    assert west <= east
    assert list(data.daily_cases(None).columns) == ["date", "cases"]


# --- The real build in the pages ---------------------------------------------------------------


def _markdown(at: AppTest) -> list[str]:
    return [shown(element.value) for element in at.markdown]


def test_summary_shows_the_regions_name_colour_and_reason() -> None:
    at = run_app(lang="en", region="31.71.01")
    assert not at.exception
    # Gambir district: 15 cases in 7 days among its residents, below the orange threshold.
    assert "**Gambir**  \n:green[:material/hexagon:] **Green (low)**" in [
        m.value for m in at.markdown
    ]
    captions = [shown(c.value) for c in at.main.caption]
    # The public reason, the zone card's: the colour and the published figures in whole numbers
    # (15 cases read 11 here, 10.9 per 100,000 reads 11).
    assert "Green zone because of 11 cases in 7 days, 11 per 100,000 residents." in captions
    assert at.metric[0].value == "11"


def test_public_counts_below_k_read_less_than_k() -> None:
    at = run_app(lang="en", region="31.71.01.1002")  # Cideng: 3 cases in 7 days
    assert not at.exception
    assert [m.value for m in at.metric] == ["< 10", "—"]
    assert any("below 10 they show as “< 10”" in shown(c.value) for c in at.main.caption)


def test_language_switch_translates_the_summary() -> None:
    at = run_app(region="31.71.01")
    assert any(shown(c.value).startswith("Zona hijau karena ") for c in at.main.caption)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert any(shown(c.value).startswith("Green zone because of ") for c in at.main.caption)


def test_hostile_region_name_is_text_in_breadcrumb_and_summary() -> None:
    at = run_app(region=XSS_VILLAGE[0])
    assert not at.exception
    assert shown(at.main.caption[0].value).endswith(XSS_VILLAGE[1])
    assert at.main.caption[0].value.endswith(escape_markdown(XSS_VILLAGE[1]))
    assert any(f"**{escape_markdown(XSS_VILLAGE[1])}**" in m.value for m in at.markdown)
    assert at.main.subheader[0].value == escape_markdown(XSS_VILLAGE[1], max_length=120)  # card


def test_find_my_area_by_name_lists_regions_and_opens_one() -> None:
    at = run_app(lang="en")
    at.text_input(key=panels.SEARCH_KEY).input("cideng").run()
    assert not at.exception
    button = at.button(key="match_31.71.01.1002")
    assert button.label == " \u203a ".join([*JAKARTA, "Cideng"])
    button.click().run()
    assert at.query_params["region"] in ("31.71.01.1002", ["31.71.01.1002"])
    assert at.sidebar.selectbox(key="region_3").value == "31.71.01.1002"


def test_find_my_area_by_coordinates_opens_the_region_and_marks_the_point() -> None:
    at = run_app(lang="en")
    at.text_input(key=panels.SEARCH_KEY).input("-6.1700, 106.8080").run()
    assert not at.exception
    assert at.query_params["region"] in ("31.71.01.1002", ["31.71.01.1002"])
    assert at.session_state["_view_marker"] == (-6.17, 106.808)


def test_trends_and_method_pages_render_the_build() -> None:
    at = run_app(lang="en", page="trends", region="31.71.01")
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2  # cases, shares (check-ins: officials only)
    # Gambir has 4 cases a day: published below k = 10, the public chart hides them and says why.
    captions = [c.value for c in at.main.caption]
    assert "Days whose published count is below 10 are not drawn, for privacy." in captions
    assert at.main.subheader[-1].value == "Regions within Gambir compared"
    at = run_app(lang="en", page="method")
    assert not at.exception
    assert "**Criterion 1: cases per 100k in 7 days**" in _markdown(at)
    privacy = next(m.value for m in at.markdown if m.value.startswith("Method: **cell-key"))
    assert "ε = 0.7: a standard deviation of 2.0, and no noise for 34% of counts" in privacy
    assert "shows as “< 10”" in privacy
    assert any("MIT" in str(table.value) for table in at.dataframe)


def _svg(url: str) -> str:
    prefix = "data:image/svg+xml;utf8,"
    assert url.startswith(prefix)
    return unquote(url.removeprefix(prefix))


def test_a_sparkline_has_a_gap_wherever_a_value_is_hidden() -> None:
    # 28 px tall, 112 wide: x = 2 + n * 27 for five values, y = 26 - value / 4 * 24.
    svg = _svg(charts.sparkline([1.0, 2.0, None, 4.0, float("nan")]))
    assert re.findall(r'points="([^"]*)"', svg) == ["2.0,20.0 29.0,14.0"]
    assert re.findall(r'<circle cx="([^"]*)" cy="([^"]*)"', svg) == [("83.0", "2.0")]
    hidden = _svg(charts.sparkline([None, float("nan")]))  # nothing shown: a dashed baseline
    assert "<polyline" not in hidden
    assert "<circle" not in hidden
    assert (
        '<line x1="2" y1="26" x2="110" y2="26" stroke="#9e9e9e" stroke-dasharray="3 3"/>' in hidden
    )
    flat = _svg(charts.sparkline([0.0, 0.0]))  # zeros: a line along the bottom
    assert re.findall(r'points="([^"]*)"', flat) == ["2.0,26.0 110.0,26.0"]


def test_public_trend_sparklines_are_images_never_text() -> None:
    # Gambir on 10 Jul: Monas's first two days read "< 10" (hidden), its last is shown.
    at = run_app(lang="en", page="trends", region="31.71.01", date="2021-07-10")
    assert not at.exception
    table = at.dataframe[-1]
    config = json.loads(table.proto.columns)["Per 100k, 28 days"]
    assert config["type_config"] == {"type": "image"}
    assert config["help"].endswith(
        "a gap is a day whose published count is below the privacy threshold."
    )
    trends_column = table.value["Per 100k, 28 days"].tolist()
    assert all(v.startswith("data:image/svg+xml;utf8,") for v in trends_column)
    monas = _svg(trends_column[0])  # ranked first: 356.2 per 100k
    assert "<polyline" not in monas
    assert re.findall(r'<circle cx="([^"]*)"', monas) == ["110.0"]  # the last of three days
    assert all("stroke-dasharray" in _svg(v) for v in trends_column[1:])  # nothing shown


@pytest.mark.parametrize(
    ("lang", "dki", "jabar"),
    [
        (
            "en",
            "DKI Jakarta kelurahan (Dukcapil, December 2019)",
            "Jawa Barat desa/kelurahan (Dukcapil, Semester I 2024), share of the kabupaten/kota",
        ),
        (
            "id",
            "Kelurahan DKI Jakarta (Dukcapil Desember 2019)",
            "Desa/kelurahan Jawa Barat (Dukcapil Semester I 2024), bagian dari kabupaten/kota",
        ),
    ],
)
def test_method_page_lists_the_population_sources(lang: str, dki: str, jabar: str) -> None:
    at = run_app(lang=lang, page="method")
    assert not at.exception
    assert t("method.population_body", lang) in _markdown(at)
    table = next(tab.value for tab in at.table if t("column.regions", lang) in tab.value.columns)
    counts = table[t("column.regions", lang)].to_dict()
    # The tiny build's regions: 267 DKI kelurahan, 5,946 Jawa Barat villages with a figure.
    assert counts[dki] == "267"
    assert counts[jabar] == {"id": "5.946", "en": "5,946"}[lang]  # the language's separators
    assert (
        counts[t("population_source.district_2023", lang)] == {"id": "6.569", "en": "6,569"}[lang]
    )
    assert counts[t("population_source.regency_remainder", lang)] == "48"


def test_every_population_source_has_words_in_both_languages() -> None:
    from geo.population import SOURCE_KEYS

    for key in SOURCE_KEYS.values():
        for lang in LANGS:
            assert f"population_source.{key}" in STRINGS[lang]


def test_missing_build_gives_a_sentence_and_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(data.BUILD_ENV, str(tmp_path / "nowhere"))
    at = run_app(lang="en")
    assert not at.exception
    assert at.warning[0].value.startswith("There is no PantauZona build to show yet.")
    assert at.code[0].value == "make sample"


# --- Officials: sign-in, scoping, cache isolation ----------------------------------------------
# The tiny build's counts on 10 Jul (7 days): Kota Bandung (32.73) 2 cases, so the public reads
# "< 10" there and in Jawa Barat (32); Cideng (31.71.01.1002) 3 cases, "< 10" for the public.
BANDUNG = "32.73"
CIDENG = "31.71.01.1002"


def sign_in(at: AppTest, name: str = "ani", password: str = PASSWORD) -> AppTest:
    """Fill in the sidebar's sign-in form and submit it."""
    at.sidebar.text_input(key=signin.NAME_KEY).input(name)
    at.sidebar.text_input(key=signin.PASSWORD_KEY).input(password)
    at.sidebar.button(key=signin.SUBMIT_KEY).click()
    return at.run()


def badge(at: AppTest) -> list[str]:
    return [shown(element.value) for element in at.sidebar.info]


def cases_7d(at: AppTest) -> str:
    assert at.metric[0].label in ("Cases in 7 days", "Kasus 7 hari")
    return at.metric[0].value


def test_signing_in_shows_the_badge_and_exact_counts_then_signs_out() -> None:
    at = run_app(lang="en", region=BANDUNG)
    assert cases_7d(at) == "< 10"
    assert badge(at) == []
    assert at.sidebar.expander[0].label == "Official sign-in"

    sign_in(at, " Ani ")

    assert not at.exception
    assert badge(at) == ["Signed in as **ani**  \nRegion: Jawa Barat (32)"]
    assert cases_7d(at) == "2"
    assert [e.label for e in at.sidebar.expander] == []
    assert session.SESSION_KEY in at.session_state

    at.sidebar.button(key=signin.SIGN_OUT_KEY).click().run()

    assert badge(at) == []
    assert cases_7d(at) == "< 10"
    assert session.SESSION_KEY not in at.session_state


def test_the_badge_is_in_bahasa_indonesia_too() -> None:
    at = sign_in(run_app(region=BANDUNG), "dewi")
    assert badge(at) == ["Masuk sebagai **dewi**  \nWilayah: Daerah Khusus Ibukota Jakarta (31)"]
    assert at.sidebar.button(key=signin.SIGN_OUT_KEY).label == "Keluar"


@pytest.mark.parametrize(
    ("name", "password"), [("ani", PASSWORD + "x"), ("nobody", PASSWORD), ("", "")]
)
def test_a_wrong_password_is_one_sentence_and_the_view_stays_public(
    name: str, password: str
) -> None:
    at = sign_in(run_app(lang="en", region=BANDUNG), name, password)
    assert not at.exception
    assert [e.value for e in at.sidebar.error] == ["Wrong name or password."]
    assert badge(at) == []
    assert cases_7d(at) == "< 10"
    assert at.sidebar.text_input(key=signin.PASSWORD_KEY).value == ""
    assert session.SESSION_KEY not in at.session_state


@pytest.fixture(autouse=True)
def fresh_sign_in_counts() -> Iterator[None]:
    """Each test starts with no failed sign-ins counted against any account name."""
    signin.ACCOUNTS.clear()
    yield
    signin.ACCOUNTS.clear()


def test_an_account_locked_in_one_session_is_locked_in_a_new_one_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(signin, "clock", lambda: now[0])
    first = run_app(lang="en", region=BANDUNG)
    for _ in range(5):
        sign_in(first, "ani", "wrong password")
    # A reload (a new session) does not reset the count kept for the account name.
    second = sign_in(run_app(lang="en", region=BANDUNG), " ANI ")
    assert [e.value for e in second.sidebar.error] == [
        "Too many failed attempts; try again in 30 s."
    ]
    assert badge(second) == []
    # Other accounts are not affected, and a too-long password is refused without hashing it.
    assert badge(sign_in(run_app(lang="en"), "dewi")) != []
    long = sign_in(run_app(lang="en"), "dewi", "x" * 2000)
    assert [e.value for e in long.sidebar.error] == ["Wrong name or password."]
    now[0] += 30.5
    assert badge(sign_in(run_app(lang="en", region=BANDUNG))) != []


def test_five_failures_lock_the_form_for_30_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(signin, "clock", lambda: now[0])
    at = run_app(lang="en", region=BANDUNG)
    for _ in range(4):
        sign_in(at, "ani", "wrong password")
        assert [e.value for e in at.sidebar.error] == ["Wrong name or password."]
    sign_in(at, "ani", "wrong password")
    assert [e.value for e in at.sidebar.error] == ["Too many failed attempts; try again in 30 s."]

    now[0] += 20.5  # the right password is not even checked while locked
    sign_in(at)
    assert [e.value for e in at.sidebar.error] == ["Too many failed attempts; try again in 10 s."]
    assert badge(at) == []
    assert cases_7d(at) == "< 10"

    now[0] += 10
    sign_in(at)
    assert at.sidebar.error == []
    assert badge(at) == ["Signed in as **ani**  \nRegion: Jawa Barat (32)"]


def _signed_in(token: str, **query_params: str) -> AppTest:
    """The app run with ``token`` already in the session, as after a sign-in."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query_params)
    at.session_state[session.SESSION_KEY] = token
    return at.run()


def test_a_valid_token_in_the_session_is_an_official() -> None:
    at = _signed_in(accounts.issue_session("ani"), lang="en", region=BANDUNG)
    assert badge(at) == ["Signed in as **ani**  \nRegion: Jawa Barat (32)"]
    assert cases_7d(at) == "2"


def _tampered(token: str) -> str:
    version, payload, signature = token.split(".")
    return f"{version}.{payload}.{signature[::-1]}"


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (
            lambda: _tampered(accounts.issue_session("ani")),
            "Your session is no longer valid; sign in again.",
        ),
        (
            lambda: accounts.issue_session(
                "ani", now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=8)
            ),
            "Your session expired; sign in again.",
        ),
    ],
    ids=["tampered", "expired"],
)
def test_a_refused_token_signs_out_with_a_sentence(make_token, message: str) -> None:
    at = _signed_in(make_token(), lang="en", region=BANDUNG)
    assert not at.exception
    assert [w.value for w in at.sidebar.warning] == [message]
    assert at.sidebar.expander[0].label == "Official sign-in"
    assert badge(at) == []
    assert cases_7d(at) == "< 10"
    assert session.SESSION_KEY not in at.session_state
    at.run()  # said once
    assert at.sidebar.warning == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (accounts.remove_account, "Akun Anda telah dihapus; hubungi administrator."),
        (
            lambda name: accounts.set_password(name, "a brand new passphrase"),
            "Kata sandi akun Anda telah diubah; silakan masuk lagi dengan kata sandi baru.",
        ),
    ],
    ids=["removed", "password_changed"],
)
def test_a_removed_account_or_changed_password_signs_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, message: str
) -> None:
    monkeypatch.setenv(accounts.USERS_ENV, str(tmp_path / "users.json"))
    accounts.add_account("rina", PASSWORD, "32.73")
    at = sign_in(run_app(region=BANDUNG), "rina")
    assert cases_7d(at) == "2"

    change("rina")
    at.run()

    assert [w.value for w in at.sidebar.warning] == [message]
    assert cases_7d(at) == "< 10"


def test_an_official_sees_their_region_exact_and_elsewhere_the_public_view() -> None:
    token = accounts.issue_session("ani")  # Jawa Barat (32)
    # Exact in Jawa Barat; elsewhere published (DKI's 15 cases read 15 under the run's key).
    for region, expected in (("32", "2"), (BANDUNG, "2"), (CIDENG, "< 10"), ("31", "15")):
        at = _signed_in(token, lang="en", region=region)
        assert cases_7d(at) == expected, region
        suppressed = any("below 10 they show" in shown(c.value) for c in at.main.caption)
        assert suppressed == (not region.startswith("32")), region


def test_check_in_charts_only_inside_the_officials_region() -> None:
    gambir = {"lang": "en", "page": "trends", "region": "31.71.01"}
    assert len(_signed_in(accounts.issue_session("dewi"), **gambir).get("vega_lite_chart")) == 3
    assert len(_signed_in(accounts.issue_session("ani"), **gambir).get("vega_lite_chart")) == 2


def test_check_ins_by_kind_of_venue_only_inside_the_officials_region() -> None:
    # The tiny build's one venue (a shopping centre at Monas) has 5 check-ins on 9 Jul.
    gambir = {"lang": "en", "page": "trends", "region": "31.71.01", "date": "2021-07-10"}
    official = _signed_in(accounts.issue_session("dewi"), **gambir)
    assert not official.exception
    heading = "Check-ins by kind of venue, 7 days to 10 Jul 2021 (officials)"
    assert heading in [h.value for h in official.subheader]
    table = official.dataframe[0].value
    assert table.to_dict("records") == [
        {
            "category": "shopping_centre",
            "checkins_7d": 5.0,
            "exposed_checkins_7d": 0.0,
            "exposed_pct_7d": 0.0,
        }
    ]
    outside = _signed_in(accounts.issue_session("ani"), **gambir)
    assert heading not in [h.value for h in outside.subheader]
    public = run_app(**gambir)
    assert heading not in [h.value for h in public.subheader]


def test_cached_views_are_not_shared_across_roles_or_regions() -> None:
    data.st.cache_data.clear()
    # An official's view first, then the public's and another region's official: same process,
    # same cache, and still each sees only what they may.
    assert cases_7d(_signed_in(accounts.issue_session("ani"), lang="en", region=BANDUNG)) == "2"
    assert cases_7d(run_app(lang="en", region=BANDUNG)) == "< 10"
    assert cases_7d(_signed_in(accounts.issue_session("dewi"), lang="en", region=CIDENG)) == "3"
    assert cases_7d(_signed_in(accounts.issue_session("ani"), lang="en", region=CIDENG)) == "< 10"
    assert cases_7d(run_app(lang="en", region=CIDENG)) == "< 10"


def _cached(*modules: object) -> dict[str, inspect.Signature]:
    """The ``st.cache_data`` / ``st.cache_resource`` functions of ``modules`` by name."""
    return {
        name: inspect.signature(getattr(module, name))
        for module in modules
        for name in dir(module)
        if type(getattr(module, name)).__name__ == "CachedFunc"
    }


def test_every_audience_dependent_cache_is_keyed_by_the_viewers_region() -> None:
    cached = _cached(data, official_views, report_files)
    by_audience = {name for name, sig in cached.items() if "who" in sig.parameters}
    assert by_audience == {
        *("_map_layers", "_summary", "_daily", "_compare", "_zone_card"),
        *("_what_changed", "_layers_under", "_differences", "_categories", "_report"),
        "_hotspot_figures",
    }
    for name in by_audience:
        assert list(cached[name].parameters)[-2:] == ["who", "scope"], name


def test_every_cached_view_is_keyed_by_the_build_version() -> None:
    cached = {
        name: list(sig.parameters)
        for name, sig in _cached(data, official_views, report_files).items()
    }
    assert {"_find_regions", "_region_at", "_what_changed", "_report"} <= set(cached)
    # Not views of the build: the shipped data's sources and the backtest on shipped data.
    unkeyed = {name for name, params in cached.items() if params[:1] != ["path"]}
    assert unkeyed == {"data_sources", "backtest_result"}
    # An upload's check is keyed by the inputs store and its state, and the file's digest.
    check = list(inspect.signature(loading._check).parameters)
    assert check[:2] == ["inputs", "state"]
    assert "sha256" in check
    assert _cached(session) == {}


def test_region_lookups_follow_a_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two versions of a build: the first has Jakarta down to its regencies, the second (after a
    # rebuild) down to the villages. A lookup cached under the first must not answer for the second.
    known = {"v1": ["31", "31.71"], "v2": ["31", "31.71", "31.71.01", XSS_VILLAGE[0]]}
    monkeypatch.setattr(
        data, "opened", lambda path: type("B", (), {"regions": pd.DataFrame(index=known[path])})
    )
    data.st.cache_data.clear()
    monkeypatch.setattr(data, "version", lambda: "v1")
    assert data.region_at(-6.1754, 106.8272) == "31.71"
    assert [m.code for m in data.find_regions("gambir")] == []
    monkeypatch.setattr(data, "version", lambda: "v2")
    assert data.region_at(-6.1754, 106.8272) == XSS_VILLAGE[0]
    assert [m.code for m in data.find_regions("gambir")] == ["31.71.01", XSS_VILLAGE[0]]
    data.st.cache_data.clear()


def test_an_unreadable_accounts_file_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "users.json"
    monkeypatch.setenv(accounts.USERS_ENV, str(path))
    accounts.add_account("rina", PASSWORD, "32.73")
    at = sign_in(run_app(lang="en", region=BANDUNG), "rina")
    assert cases_7d(at) == "2"
    message = (
        "Official sign-in is unavailable: the accounts file cannot be read; ask your administrator."
    )

    path.write_text("{damaged")
    at.run()
    assert [w.value for w in at.sidebar.warning] == [message]
    assert cases_7d(at) == "< 10"

    sign_in(at, "rina")
    assert [e.value for e in at.sidebar.error] == [message]
    assert badge(at) == []


# --- The Data page (officials load new data) ---------------------------------------------------

DATA_PAGE = str(Path(APP).parent / "app_pages" / "data.py")
# Two new cases at Monas on 11 Jul, and three bad rows (lines 4-6).
NEW_DAY = (
    b"case_id,reported_date,lat,lon,region_code\n"
    b"N1,2021-07-11,-6.1754,106.8272,\n"
    b"N2,2021-07-11,-6.1754,106.8272,\n"
    b"M01,2021-07-11,-6.1754,106.8272,\n"
    b"N3,2021-07-32,-6.1754,106.8272,\n"
    b"N4,2021-07-11,0,0,\n"
)
NEW_DAY_QUARANTINE = [
    [
        "new-day.csv",
        4,
        "case_id",
        "duplicate",
        "M01",
        "duplicate case_id (already loaded from cases.csv)",
    ],
    [
        "new-day.csv",
        5,
        "reported_date",
        "unparseable",
        "2021-07-32",
        "reported_date is not a date (YYYY-MM-DD)",
    ],
    ["new-day.csv", 6, "lat", "null_island", "0", "lat/lon is 0,0 (null island)"],
]


@pytest.fixture
def official_store(tiny_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the tiny build and a store seeded with its inputs; the viewer is an official."""
    from geo.uploads import InputStore

    for name in ("build", ".build.versions"):
        source = tiny_build.parent / name
        if source.is_symlink():
            (tmp_path / name).symlink_to(source.readlink())
        else:
            shutil.copytree(source, tmp_path / name)
    store = InputStore(tmp_path / "build-inputs")
    for kind, name in (
        ("venues", "venues.csv"),
        ("checkins", "checkins.csv"),
        ("cases", "cases.csv"),
    ):
        path = tiny_build.parent / "inputs" / name
        store.add(kind, name, path.read_bytes())
    monkeypatch.setenv(data.BUILD_ENV, str(tmp_path / "build"))
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("nas", None, official=True))
    monkeypatch.delenv(loading.INPUTS_ENV, raising=False)
    return tmp_path / "build"


def test_the_data_page_is_for_officials_only() -> None:
    at = run_app(lang="en", page="data")
    assert not at.exception
    assert at.title[0].value == "Risk map"  # not offered to the public: the map instead
    page = AppTest.from_file(DATA_PAGE, default_timeout=30)
    page.session_state["_view"] = ViewState(lang="en")
    page.run()
    assert not page.exception
    assert [w.value for w in page.warning] == ["This page is for officials only."]
    assert not page.file_uploader


def test_an_upload_shows_its_quarantine_then_rebuilds_the_map(official_store: Path) -> None:
    before = run_app(lang="en", page="map", region="31.71.01", date="2021-07-10")
    assert before.main.metric[0].value == "15"  # cases in 7 days, exact for an official
    at = run_app(lang="en", page="data")
    assert not at.exception
    assert at.title[0].value == "Data"
    assert [f.label for f in at.file_uploader] == [
        "Cases file (CSV or Parquet)",
        "Check-ins file (CSV or Parquet)",
        "Venues file (CSV or Parquet)",
    ]
    at.file_uploader(key="upload_cases").upload("new-day.csv", NEW_DAY, "text/csv").run()
    assert not at.exception
    assert [(m.label, m.value) for m in at.main.metric] == [
        ("Read", "5"),
        ("Accepted", "2"),
        ("Quarantined", "3"),
    ]
    assert at.dataframe[0].value.astype({"Row": int}).values.tolist() == NEW_DAY_QUARANTINE
    assert at.get("download_button")[0].proto.label == "Download the quarantine (CSV)"

    at.button(key="add_cases").click().run(timeout=300)
    assert not at.exception
    assert [s.value for s in at.success] == ["Build updated: data from 8 Jul 2021 to 11 Jul 2021."]
    assert shown(at.info[0].value).startswith("This file is already loaded, as `new-day.csv`")
    assert at.button(key="add_cases").disabled
    assert at.sidebar.select_slider(key="day").value == date(2021, 7, 11)
    after = run_app(lang="en", page="map", region="31.71.01", date="2021-07-11")
    assert not after.exception
    assert after.main.metric[0].value == "17"  # 15 + the 2 new cases
    assert after.sidebar.select_slider(key="day").value == date(2021, 7, 11)


def test_a_cumulative_cases_upload_is_checked_as_running_totals(official_store: Path) -> None:
    totals = b"date,village_code,total_cases\n2021-07-09,31.71.01.1003,40\n"
    totals += b"2021-07-11,31.71.01.1003,46\n2021-07-11,31.71.01.1004,-1\n"
    at = run_app(lang="en", page="data")
    at.file_uploader(key="upload_cases").upload("totals.csv", totals, "text/csv").run()
    assert not at.exception
    # Unticked, the file has no count column it knows and no case_id: refused.
    assert shown(at.error[0].value).startswith("File refused: totals.csv is missing")
    at.checkbox(key="cumulative_cases").check().run()
    assert not at.exception
    assert at.checkbox(key="cumulative_cases").label == (
        "This file holds running totals per region and date"
    )
    assert [(m.label, m.value) for m in at.main.metric] == [
        ("Read", "3"),
        ("Accepted", "2"),
        ("Quarantined", "1"),
    ]


# 2020 kabupaten codes: 91.01 Merauke (today 93.01) exists only in the 2020 edition.
KABUPATEN_2020 = b"date,region_code,new_cases\n2021-07-11,91.01,5\n2021-07-11,91.03,7\n"


@pytest.mark.parametrize(
    ("lang", "label", "options", "detected", "refused"),
    [
        (
            "en",
            "Edition of the region codes (--codes)",
            ["Detect from the file", "2020 (Permendagri 72/2019)", "2025 (Kemendagri)"],
            "Region codes of the 2020 (Permendagri 72/2019) edition: detected, codes such as "
            "91.01 exist only in this edition. When added, its rows are kept in 2025 codes: the "
            "cases of a region split since 2020 (Papua, Papua Barat) are apportioned to its "
            "successors by population.",
            "File refused: kab.csv is declared in 2025 codes (--codes 2025) but its region codes "
            "make sense only in the 2020 edition (e.g. 91.01); give --codes 2020.",
        ),
        (
            "id",
            "Edisi kode wilayah (--codes)",
            ["Deteksi dari berkas", "2020 (Permendagri 72/2019)", "2025 (Kemendagri)"],
            "Kode wilayah edisi 2020 (Permendagri 72/2019): terdeteksi, kode seperti 91.01 hanya "
            "ada di edisi ini. Saat ditambahkan, barisnya disimpan dalam kode 2025: kasus "
            "wilayah yang dimekarkan sejak 2020 (Papua, Papua Barat) dibagi ke wilayah "
            "penerusnya menurut jumlah penduduk.",
            "Berkas ditolak: kab.csv dinyatakan berkode 2025 (--codes 2025), tetapi kode "
            "wilayahnya hanya bermakna di edisi 2020 (mis. 91.01); berikan --codes 2020.",
        ),
    ],
)
def test_a_cases_upload_offers_the_edition_of_its_codes(
    official_store: Path, lang, label, options, detected, refused
) -> None:
    at = run_app(lang=lang, page="data")
    at.file_uploader(key="upload_cases").upload("kab.csv", KABUPATEN_2020, "text/csv").run()
    assert not at.exception
    select = at.selectbox(key=f"codes_cases_{lang}")
    assert (select.label, select.options, select.value) == (label, options, "detect")
    assert [shown(i.value) for i in at.main.info] == [detected]
    assert [m.value for m in at.main.metric] == ["2", "2", "0"]
    select.select("2025").run()
    assert not at.exception
    assert [shown(e.value) for e in at.main.error] == [refused]
    assert not at.main.metric
    at.selectbox(key=f"codes_cases_{lang}").select("2020").run()
    assert [shown(i.value) for i in at.main.info] == [
        detected.replace(
            "detected, codes such as 91.01 exist only in this edition", "as chosen"
        ).replace("terdeteksi, kode seperti 91.01 hanya ada di edisi ini", "sesuai pilihan")
    ]
    # The other language shows the same choice in its own words.
    other = "id" if lang == "en" else "en"
    at.sidebar.radio(key="lang").set_value(other).run()
    assert not at.exception
    again = at.selectbox(key=f"codes_cases_{other}")
    assert again.value == "2020"
    assert again.options[0] == {"en": "Detect from the file", "id": "Deteksi dari berkas"}[other]
    assert [x["name"] for x in loading.input_store().loads()] == [
        "venues.csv",
        "checkins.csv",
        "cases.csv",
    ]


def test_a_2020_upload_is_added_in_2025_codes(official_store: Path) -> None:
    at = run_app(lang="en", page="data")
    at.file_uploader(key="upload_cases").upload("kab.csv", KABUPATEN_2020, "text/csv").run()
    at.button(key="add_cases").click().run(timeout=300)
    assert not at.exception
    (load,) = [x for x in loading.input_store().loads() if x["name"] == "kab.csv"]
    table = at.dataframe[-1].value
    assert table[["File", "Code edition"]].values.tolist() == [
        ["venues.csv", "—"],
        ["checkins.csv", "—"],
        ["cases.csv", "2025 (Kemendagri)"],
        ["kab.csv", "2020 (Permendagri 72/2019)"],
    ]
    assert (load["codes"]["edition"], load["codes"]["renumbered_rows"]) == ("2020", 1)
    manifest = json.loads((official_store / "manifest.json").read_text(encoding="utf-8"))
    editions = [(x["name"], x["edition"]) for x in manifest["inputs"]["cases"]["codes"]["loads"]]
    assert editions == [("cases.csv", "2025"), ("kab.csv", "2020")]


def test_a_failed_rebuild_keeps_the_old_build(
    official_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.build
    from geo.errors import BuildError

    def broken(*args: object, **kwargs: object) -> None:
        raise BuildError("The disk is full.")

    monkeypatch.setattr(geo.build, "_compute_and_write", broken)
    manifest = (official_store / "manifest.json").read_bytes()
    at = run_app(lang="en", page="data")
    at.file_uploader(key="upload_cases").upload("new-day.csv", NEW_DAY, "text/csv").run()
    at.button(key="add_cases").click().run(timeout=300)
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "The build failed: The disk is full. The previous build is still served."
    ]
    assert (official_store / "manifest.json").read_bytes() == manifest
    map_page = run_app(lang="en", page="map", region="31.71.01", date="2021-07-11")
    assert map_page.main.metric[0].value == "15"  # 11 Jul is not in the old build: latest shown


def test_an_official_loads_only_rows_in_their_region(
    official_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("pusat", "31.71", official=True))
    at = run_app(lang="en", page="data")
    assert not at.exception
    assert shown(at.markdown[0].value).startswith(
        "Load a cases, check-ins or venues file for Kota Administrasi Jakarta Pusat (31.71)"
    )
    bandung = b"case_id,reported_date,lat,lon,region_code\nB9,2021-07-11,,,32.73\n"
    at.file_uploader(key="upload_cases").upload("bandung.csv", bandung, "text/csv").run()
    assert at.dataframe[0].value.astype({"Row": int}).values.tolist() == [
        [
            "bandung.csv",
            2,
            "region_code",
            "outside_region",
            "32.73",
            "the case is outside your region 31.71 (Kota Administrasi Jakarta Pusat)",
        ]
    ]
    assert at.button(key="add_cases").disabled  # nothing accepted


# --- Officials' views: what changed, and the map under another preset ---------------------------
# The tiny build's days are 8-10 Jul, so on 10 Jul the week before is before the build: nothing
# recorded, every zone green. In Gambir (31.71.01) on 10 Jul the Monas cell is red (12 cases) and
# the Cideng cell orange (3 cases, 203 per 100k: red needs 5 cases under pantauzona, not ppkm).
MONAS_CELL = ("898c1079b87ffff", (-6.174621, 106.828104))
CIDENG_CELL = "898c106a60bffff"


@pytest.fixture
def official(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("nas", None, official=True))


def test_the_public_has_no_what_changed_page() -> None:
    at = run_app(lang="en", page="changes")
    assert not at.exception
    assert at.title[0].value == "Risk map"
    assert info_texts(at) == ["There is no page `changes`; showing the risk map."]
    assert "compare_rule" not in [w.key for w in at.selectbox]  # the map is unchanged


def test_what_changed_page_rechecks_the_viewer() -> None:
    page = str(Path(APP).parent / "app_pages" / "changes.py")
    at = AppTest.from_file(page, default_timeout=30)
    at.session_state["_view"] = ViewState(lang="en", day=date(2021, 7, 10))
    at.run()
    assert [w.value for w in at.warning] == ["This page is for officials only."]
    assert not at.main.subheader


def test_what_changed_lists_the_zones_worst_first(official: None) -> None:
    at = run_app(lang="en", page="changes", region="31.71.01", date="2021-07-10")
    assert not at.exception
    assert at.title[0].value == "What changed"
    assert [h.value for h in at.main.subheader] == ["Turned red or orange (2)", "Improved (0)"]
    cards = [m.value for m in at.main.markdown if "-badge[" in m.value]
    assert cards == [
        ":green-badge[:material/hexagon: Green (low)] → :red-badge[:material/hexagon: Red (high)]"
        f"  \n**{escape_markdown(f'around {XSS_VILLAGE[1]}, Gambir')}**",  # named by place
        ":green-badge[:material/hexagon: Green (low)] → "
        ":orange-badge[:material/hexagon: Orange (moderate)]"
        f"  \n**{escape_markdown('around Cideng, Gambir')}**",
    ]
    captions = [shown(c.value) for c in at.main.caption]
    assert (
        "red: 9,715 cases per 100k in 7 days (≥ 150) with 12 cases  \n12 cases in 7 days · 9,715 per 100k"
        in captions
    )
    assert "No zone improved." in captions
    assert [shown(i.value) for i in at.main.info] == [
        "The build's data start on 8 Jul 2021: nothing was recorded before, so 7 days earlier "
        "every zone had the colour of a zone without cases."
    ]
    links = [(link.proto.label, link.proto.query_string) for link in at.get("page_link")]
    assert links == [
        ("Open on the map", f"page=map&lang=en&date=2021-07-10&region=31.71.01&zone={cell}")
        for cell in (MONAS_CELL[0], CIDENG_CELL)
    ]


def test_what_changed_links_land_on_the_zone(official: None) -> None:
    at = run_app(lang="en", page="changes", region="31.71.01", date="2021-07-10")
    shared = dict(parse_qsl(at.get("page_link")[0].proto.query_string))
    at = run_app(**shared)  # the link followed, or copied into a new session
    assert not at.exception
    assert [shown(i.value) for i in at.main.info] == []
    assert at.title[0].value == "Risk map"
    regions = [at.sidebar.selectbox(key=f"region_{level}").value for level in range(4)]
    assert regions == ["31", "31.71", "31.71.01", ""]  # Gambir, drawn at the zone's resolution
    assert {k: v for k, v in at.query_params.items()} == shared
    assert at.session_state["_view"].zone == MONAS_CELL[0]
    captions = [c.value for c in at.main.caption]
    assert (
        f"Zone `{MONAS_CELL[0]}` (H3 resolution 9) is outlined in blue; the dot marks its centre."
        in captions
    )
    at.sidebar.selectbox(key="region_3").set_value(XSS_VILLAGE[0]).run()  # another region
    assert "zone" not in at.query_params
    assert at.session_state["_view"].zone is None


def test_a_zone_link_opens_the_region_that_draws_it_at_its_resolution() -> None:
    # Jakarta Pusat is drawn at 8: Monas's resolution-9 hexagon opens on its village instead.
    at = run_app(lang="en", region="31.71", zone=MONAS_CELL[0], date="2021-07-10")
    assert not at.exception
    assert at.query_params["region"] in (XSS_VILLAGE[0], [XSS_VILLAGE[0]])
    assert at.query_params["zone"] in (MONAS_CELL[0], [MONAS_CELL[0]])
    at = run_app(lang="en", zone=MONAS_CELL[0])  # no region: the same
    assert at.query_params["region"] in (XSS_VILLAGE[0], [XSS_VILLAGE[0]])


@pytest.mark.parametrize(
    "zone",
    ["8f2830828052d25", "89283082803ffff", "https://evil.example", "<b>:red[x]"],
)
def test_an_unknown_zone_shows_a_notice_and_opens_the_region(zone: str) -> None:
    at = run_app(lang="en", region="31.71", zone=zone)
    assert not at.exception
    assert [i.value for i in at.info] == [
        f"The data has no zone {code_span(zone)}; the map opens without it."
    ]
    assert at.query_params["region"] in ("31.71", ["31.71"])
    assert "zone" not in at.query_params
    at = run_app(zone=zone)
    assert [i.value for i in at.info] == [
        f"Zona {code_span(zone)} tidak ada dalam data; peta dibuka tanpa zona itu."
    ]


def test_public_figures_on_what_changed_outside_the_officials_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("dinkes", "32", official=True))
    at = run_app(lang="en", page="changes", region="31.71.01", date="2021-07-10")
    assert not at.exception
    captions = [shown(c.value) for c in at.main.caption]
    assert any(c.endswith("< 10 cases in 7 days · — per 100k") for c in captions)


def test_compare_with_another_rule_side_by_side(official: None) -> None:
    at = run_app(lang="en", region="31.71.01", date="2021-07-10")
    picker = at.selectbox(key="compare_rule")
    assert picker.options == ["— No comparison —", "ppkm", "ppkm_mikro", "hghi"]
    picker.set_value("ppkm").run()
    assert not at.exception
    assert at.main.subheader[0].value == "Gambir"  # the zone card first: 1 heading, 5 lines
    assert [m.value for m in at.main.markdown][5:7] == [
        "**Active rule: pantauzona**",
        "**Compared rule: ppkm**",
    ]
    assert at.main.subheader[1].value == "1 of 2 zones have another colour under the ppkm rule."
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {
            "Zone": CIDENG_CELL,
            "Region": "Cideng",
            "Colour (pantauzona)": "Orange (moderate)",
            "Colour (ppkm)": "Red (high)",
            "Reason (pantauzona)": "orange: 203 cases per 100k in 7 days (≥ 150) but only 3 cases "
            "in 7 days (red needs at least 5)",
            "Reason (ppkm)": "red: 203 cases per 100k in 7 days (≥ 150) with 3 cases",
        }
    ]
    at.selectbox(key="compare_rule").set_value("ppkm_mikro").run()
    assert [s.value for s in at.success] == ["All 2 zones have the same colour under both rules."]


def test_the_other_rules_map_layers(official: None) -> None:
    day = date(2021, 7, 10)
    own = data.map_layers(day, "31.71.01", "en").hexagons["features"]
    other = official_views.map_layers_under("ppkm", day, "31.71.01", "en").hexagons["features"]
    colours = {f["properties"]["label"]: f["properties"]["risk"] for f in own}
    assert colours == {MONAS_CELL[0]: "red", CIDENG_CELL: "orange"}
    colours = {f["properties"]["label"]: f["properties"]["risk"] for f in other}
    assert colours == {MONAS_CELL[0]: "red", CIDENG_CELL: "red"}


# --- Laporan / Reports ---------------------------------------------------------------------------

DATES_TINY = (date(2021, 7, 8), date(2021, 7, 10))  # the tiny build's first and last day
REPORT_VIEW = {"lang": "en", "page": "reports", "region": "31.71.01", "date": "2021-07-10"}
PUBLIC_EXPORT = (
    "**Public export**: published figures (with a small noise, below 10 read “< 10”), only "
    "zones with a case in 14 days, and no check-in, exposure or crowding figures."
)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The files the app hands to Streamlit's media store: name, MIME type and bytes."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: list[dict] = []
    store = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename is not None:
            seen.append({"name": filename, "mime": mimetype, "data": path_or_data})
        return store(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


def _prepare(at: AppTest, **choices: object) -> AppTest:
    for key, value in choices.items():
        at.selectbox(key=key).set_value(value)
    return at.button(key="report_prepare").click().run()


def _csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)


def test_reports_page_for_the_public(downloads: list[dict]) -> None:
    at = run_app(**REPORT_VIEW)
    assert not at.exception
    assert at.title[0].value == "Reports"
    assert [element.value for element in at.info] == [PUBLIC_EXPORT]
    # The tiny build has 8-10 Jul: the 14 days ending on 10 Jul start at its first day.
    assert [d.value for d in at.date_input] == [date(2021, 7, 8), date(2021, 7, 10)]
    assert at.selectbox(key="report_resolution_31.71.01").value == 9  # the map's, for a district
    assert at.selectbox(key="report_resolution_31.71.01").options == ["9", "8", "7", "6"]
    assert at.selectbox(key="report_format").value == "csv"
    assert at.selectbox(key="report_lang_en").value == "en"
    assert at.download_button.len == 0  # nothing is made before "Prepare"

    at = _prepare(at)

    assert not at.exception
    name = "pantauzona-31.71.01-2021-07-08-2021-07-10.csv"
    assert at.download_button(key="report_download").label == f"Download {name}"
    assert [(d["name"], d["mime"]) for d in downloads] == [(name, "text/csv")]
    table = _csv(downloads[0]["data"])
    # Gambir district: Monas 4 cases a day (8-10 Jul), Cideng 3 on 10 Jul; all below k = 10.
    assert table["new_cases"].tolist() == ["< 10"] * 4
    assert "checkins_7d" not in table.columns
    preview = at.dataframe[0].value
    assert preview["new_cases"].tolist() == ["< 10"] * 4
    assert "checkins_7d" not in preview.columns
    assert "1 KB; 4 zone rows, Gambir, 8 Jul 2021 to 10 Jul 2021." in [
        shown(c.value) for c in at.main.caption
    ]


def test_reports_page_for_an_official(
    downloads: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("nas", None, official=True))
    at = run_app(**REPORT_VIEW)
    assert not at.exception
    assert [shown(w.value) for w in at.warning] == [
        "**Officials' export** for Gambir: exact figures, check-ins and exposure included. "
        "Do not share it with the public."
    ]
    assert at.main.info.len == 0  # the public sentence is not shown

    at = _prepare(at)

    assert not at.exception
    table = _csv(downloads[0]["data"])
    cideng = table[table["village_code"] == "31.71.01.1002"]
    assert cideng["new_cases"].tolist() == ["3.0"]  # the exact count the public reads as "< 10"
    assert table["checkins_7d"].tolist() == ["0.0", "5.0", "0.0", "5.0"]  # Monas venue, 9 Jul
    assert "checkins_7d" in at.dataframe[0].value.columns


def test_reports_page_asks_for_a_region_for_indonesia() -> None:
    at = run_app(lang="en", page="reports")
    assert not at.exception
    assert [element.value for element in at.info] == [
        "Choose a province or a smaller region in the sidebar. Zone reports are made for one "
        "region; a report for the whole of Indonesia is not available yet."
    ]
    assert [b.key for b in at.button if b.key == "report_prepare"] == []


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            (date(2021, 7, 10), date(2021, 7, 8)),
            "The first day (10 Jul 2021) is after the last day (8 Jul 2021); choose a period "
            "that starts first.",
        ),
        ((None, date(2021, 7, 8)), "Choose the first and the last day of the period."),
    ],
)
def test_reports_page_refuses_a_bad_period(dates: tuple[date | None, date], message: str) -> None:
    at = run_app(**REPORT_VIEW)
    start, end = (
        at.date_input(key="report_from_2021-07-10"),
        at.date_input(key="report_to_2021-07-10"),
    )
    assert (start.min, start.max, end.min, end.max) == (DATES_TINY[0], DATES_TINY[1]) * 2
    start.set_value(dates[0])
    end.set_value(dates[1]).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [message]
    assert [b.key for b in at.button if b.key == "report_prepare"] == []


def test_reports_page_in_indonesian_with_an_english_file(downloads: list[dict]) -> None:
    at = run_app(**{**REPORT_VIEW, "lang": "id"})
    assert at.title[0].value == "Laporan"
    assert at.selectbox(key="report_lang_id").value == "id"  # the UI language by default
    at = _prepare(at, report_format="xlsx", report_lang_id="en")
    assert not at.exception
    name = "pantauzona-31.71.01-2021-07-08-2021-07-10.xlsx"
    assert at.download_button(key="report_download").label == f"Unduh {name}"
    assert downloads[0]["mime"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    reasons = at.dataframe[0].value["reason"].tolist()
    assert len(reasons) == 4
    assert all("cases" in reason for reason in reasons)  # reasons in English


def test_a_changed_choice_needs_a_new_prepare(downloads: list[dict]) -> None:
    at = _prepare(run_app(**REPORT_VIEW))
    assert at.download_button.len == 1
    at.selectbox(key="report_format").set_value("geojson").run()
    assert at.download_button.len == 0
    assert "Press “Prepare report” to make the file." in [c.value for c in at.main.caption]
    at = _prepare(at)
    assert at.download_button(key="report_download").label.endswith(".geojson")
    assert downloads[-1]["mime"] == "application/geo+json"


def test_a_report_error_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    # The page's own checks leave geo nothing to refuse; this stands in for what slips through.
    def refuse(*args: object, **kwargs: object) -> None:
        msg = "The period must lie within the build's days, *2021*."
        raise ReportError(msg)

    monkeypatch.setattr(reports, "zone_report", refuse)
    at = _prepare(run_app(**{**REPORT_VIEW, "region": "31.71.01.1002"}), report_format="pdf")
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "The report could not be made: The period must lie within the build's days, *2021*."
    ]
    assert at.download_button.len == 0


def test_an_official_elsewhere_gets_a_public_export(
    downloads: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An official of Jawa Barat (32) looking at Jakarta: public figures, and the page says why.
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("west java", "32", official=True))
    at = run_app(**REPORT_VIEW)
    assert not at.exception
    assert [element.value for element in at.main.info] == [PUBLIC_EXPORT]
    assert "Gambir is outside your region (Jawa Barat), so the export is public." in [
        shown(c.value) for c in at.main.caption
    ]
    at = _prepare(at)
    assert _csv(downloads[0]["data"])["new_cases"].tolist() == ["< 10"] * 4


def test_reports_page_shows_a_hostile_region_name_as_text() -> None:
    at = run_app(lang="en", page="reports", region=XSS_VILLAGE[0], date="2021-07-10")
    assert not at.exception
    intro = at.main.markdown[0].value
    assert intro == t("reports.intro", "en", region=escape_markdown(XSS_VILLAGE[1]))
    assert shown(intro).startswith(f"Download the zones of {XSS_VILLAGE[1]} for a period")


# --- Hotspots and next week's outlook (issue 12) -----------------------------------------------


def test_the_layer_switch_offers_risk_hotspot_and_outlook() -> None:
    at = run_app(region="31.71")
    assert not at.exception
    switch = at.radio(key="map_layer")
    assert [str(o) for o in switch.options] == ["Risiko", "Hotspot", "Perkiraan"]
    assert switch.value == "risk"
    at = at.radio(key="map_layer").set_value("hotspot").run()
    assert not at.exception
    assert any("Getis-Ord Gi*" in shown(c.value) for c in at.main.caption)


def test_the_outlook_layer_says_why_it_is_not_shown() -> None:
    at = run_app(lang="en", region="31.71")
    at = at.radio(key="map_layer").set_value("outlook").run()
    assert not at.exception
    by = data.backtest_result().set_index("method")
    expected = f"colour accuracy {by.at['outlook', 'colour_accuracy']:.1%} vs"
    notes = info_texts(at)
    assert any(n.startswith("Next week's outlook is not shown") and expected in n for n in notes)
    # The summary beside the map says it too, under its heading and the words "not a rule".
    assert "**Next week's outlook** (outlook, not a rule)" in [m.value for m in at.markdown]


def test_the_summary_shows_the_population_share_in_hotspots() -> None:
    at = run_app(lang="en", region="31.71.01")
    assert not at.exception
    lines = [shown(m.value) for m in at.markdown]
    assert any(re.fullmatch(r"\*\*Population in hotspot zones\*\*: (\d+\.\d%|—)", m) for m in lines)


def test_the_outlook_is_shown_when_the_backtest_earns_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo import backtest

    monkeypatch.setattr(backtest, "beats_persistence", lambda result: True)
    data._hotspot_figures.clear()
    at = run_app(lang="en", region="31.71.01")
    at = at.radio(key="map_layer").set_value("outlook").run()
    assert not at.exception
    assert not any(n.startswith("Next week's outlook is not shown") for n in info_texts(at))
    lines = [shown(m.value) for m in at.markdown]
    assert any("cases in 7 days (90% interval: " in m for m in lines)
    data._hotspot_figures.clear()


def test_hotspot_layer_colours_from_the_hotspot_property_with_its_legend() -> None:
    features = [_feature("a", "red"), _feature("b", "no_data")]
    features[0]["properties"].update({"hotspot": "hot", "hotspot_z": 4.5, "hotspot_p": 0.001})
    features[1]["properties"]["hotspot"] = "none"
    hexagons = {"type": "FeatureCollection", "features": features}
    fmap = mapview.build_map(
        hexagons, bounds=[[-6.2, 106.8], [-6.19, 106.81]], lang="en", layer="hotspot"
    )
    html = fmap.get_root().render()
    assert "feature.properties.hotspot" in html
    assert '"Hotspot (Gi*, FDR 5%)"' in html
    tooltip = mapview.tooltip_html(features[0]["properties"], "en", "hotspot")
    assert tooltip.endswith("Hotspot: Hotspot (high cluster)<br>z = 4.5 · p (FDR) = 0")
    # The risk layer's tooltip is unchanged by the hotspot properties.
    assert "Hotspot" not in mapview.tooltip_html(features[0]["properties"], "en")


def test_outlook_tooltip_names_it_an_outlook_not_a_rule() -> None:
    props = {
        "risk": "orange",
        "label": "x",
        "outlook_cases_7d": "55",
        "outlook_low": "31",
        "outlook_high": "91",
        "outlook_risk": "red",
    }
    assert mapview.tooltip_html(props, "id", "outlook").endswith(
        "Perkiraan minggu depan (perkiraan, bukan aturan): 55 kasus dalam 7 hari "
        "(interval 90 %: 31-91) · Merah (tinggi)"
    )


def test_method_page_shows_the_backtest_table() -> None:
    at = run_app(lang="en")
    at.switch_page(PAGE_FILES["method"]).run()
    assert not at.exception
    tables = [table.value for table in at.table]
    backtest_table = next(t for t in tables if "Colour accuracy (ppkm)" in t.columns)
    assert backtest_table["Method"].tolist() == [
        "outlook (damped growth, shrunk to the country)",
        "persistence (next week = this week)",
        "growth once (this week x its growth)",
    ]
    verdict = "method.backtest_shown" if data.outlook_shown() else "method.backtest_hidden"
    assert t(verdict, "en") in [m.value for m in at.markdown]


def test_what_changed_lists_new_hotspots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("nas", None, official=True))
    at = run_app(lang="en", region="31.71")
    at.switch_page(PAGE_FILES["changes"]).run()
    assert not at.exception
    new = data.new_hotspots(data.available_dates()[-1], "31.71")
    assert f"New hotspots this week ({len(new)})" in [e.label for e in at.expander]
    at = run_app(lang="en")
    at.switch_page(PAGE_FILES["changes"]).run()
    assert "New hotspots this week (0)" in [e.label for e in at.expander]
    assert any("open a province or a smaller region" in c.value for c in at.main.caption)


def test_what_changed_says_when_no_zone_became_a_hotspot(official: None) -> None:
    # Gi* compares zones with activity on the same day; in the tiny build Monas has only Cideng
    # beside it (Kota Bandung's 2 coded cases are no longer spread over its cells), so no zone is
    # significant: the page says so in words.
    at = run_app(lang="en", page="changes", region="31.71.01", date="2021-07-10")
    assert not at.exception
    assert data.new_hotspots(date(2021, 7, 10), "31.71.01").empty
    assert "New hotspots this week (0)" in [e.label for e in at.expander]
    assert "No new hotspots among this map's zones." in [shown(m.value) for m in at.markdown] + [
        c.value for c in at.caption
    ]


def test_what_changed_tables_the_new_hotspots(
    official: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The table's rendering, on a list as geo.hotspot_views.new_hotspots returns it (its own
    # behaviour is tested in tests/test_hotspot_views.py).
    monas = pd.DataFrame(
        {
            "zone": ["898c1079b87ffff"],
            "hotspot_before": ["none"],
            "hotspot": ["hot"],
            "risk": ["red"],
        }
    )
    monkeypatch.setattr(data, "_new_hotspots", lambda path, day, code: monas)
    at = run_app(lang="en", page="changes", region="31.71.01", date="2021-07-10")
    assert not at.exception
    assert "New hotspots this week (1)" in [e.label for e in at.expander]
    table = next(d.value for d in at.dataframe if "Hotspot" in d.value.columns)
    assert table["Hotspot"].tolist() == ["Hotspot (high cluster)"]
    assert table["7 days before"].tolist() == ["Not a cluster"]
    assert len(table["Zone"]) == 1


# --- The zone card ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "band", "meaning"),
    [
        ("en", "Green zone", "What it means**: Low risk of transmission"),
        ("id", "Zona hijau", "Artinya**: Risiko penularan rendah"),
    ],
)
def test_the_zone_card_comes_first_on_the_map_page(lang: str, band: str, meaning: str) -> None:
    at = run_app(lang=lang, region="31.71.01")
    assert not at.exception
    elements = list(at.main.children.values())
    title = next(n for n, e in enumerate(elements) if e.type == "title")
    card = elements[title + 1]  # the page's title, then the card
    assert card.key == "zone_card"
    assert card.subheader[0].value == "Gambir"
    texts = [shown(m.value) for m in card.markdown]
    assert texts[0] == f":green-background[:material/hexagon: **{band}**]"
    assert any(text.startswith(f"**{meaning}") for text in texts)


@pytest.mark.parametrize(
    ("value", "handled", "read"),
    [
        (None, None, None),  # not pressed yet
        ({"lat": -6.1752, "lon": 106.80938, "id": 7}, None, (-6.1752, 106.80938)),
        ({"lat": -6.1752, "lon": 106.80938, "id": 7}, 7, None),  # already opened
        ({"error": "denied", "id": 8}, 7, "denied"),
        ({"error": "<script>", "id": 9}, None, "unavailable"),  # only known reasons are named
        ({"lat": "x", "lon": 1, "id": 9}, None, "unavailable"),
        ({"lat": float("nan"), "lon": 1, "id": 9}, None, "unavailable"),
    ],
)
def test_use_my_location_reads_only_new_positions_and_known_reasons(value, handled, read) -> None:
    assert locate.read(value, handled) == read


def test_every_reason_for_no_location_has_a_sentence_in_both_languages() -> None:
    for reason in locate.REASONS:
        assert t(f"locate.{reason}", "id").endswith("nama, kode, atau koordinat.")
        assert t(f"locate.{reason}", "en").endswith("name, code or coordinates.")


# --- Complete days ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def partial_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jakarta Pusat and Kota Bandung daily for 28 days, then Kota Bandung alone (71 %)."""
    return make_partial_build(tmp_path_factory.getbasetemp() / "partial")


@pytest.mark.parametrize(
    ("lang", "options", "words"),
    [
        (
            "en",
            ["10 Jul 2021", "11 Jul 2021 \u00b7 partial"],
            "Data for 11 July 2021 are incomplete: only 71% of the population of the regions "
            "that usually report have reported. Its figures may still rise; the latest complete "
            "date is 10 July 2021.",
        ),
        (
            "id",
            ["10 Jul 2021", "11 Jul 2021 \u00b7 sebagian"],
            "Data 11 Juli 2021 belum lengkap: baru 71% penduduk dari wilayah yang biasa melapor "
            "yang sudah melapor. Angkanya bisa masih bertambah; tanggal terakhir yang lengkap: "
            "10 Juli 2021.",
        ),
    ],
)
def test_the_default_date_skips_a_partial_last_day(
    partial_build: Path, monkeypatch: pytest.MonkeyPatch, lang: str, options: list, words: str
) -> None:
    monkeypatch.setenv(data.BUILD_ENV, str(partial_build))
    at = run_app(lang=lang)
    assert not at.exception
    slider = at.sidebar.select_slider(key="day")
    assert slider.value == date.fromisoformat(PARTIAL_COMPLETE_DAY)
    assert at.query_params["date"] in (PARTIAL_COMPLETE_DAY, [PARTIAL_COMPLETE_DAY])
    assert slider.options[-2:] == options
    assert [w.value for w in at.warning] == []  # the day shown is complete
    note = {
        "en": "Dates marked · partial have incomplete data.",
        "id": "Tanggal bertanda · sebagian: datanya belum lengkap.",
    }
    assert note[lang] in [c.value for c in at.sidebar.caption]

    slider.set_value(date.fromisoformat(PARTIAL_LAST_DAY)).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [words]


def test_a_link_to_the_partial_day_says_so_on_every_page(
    partial_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(data.BUILD_ENV, str(partial_build))
    at = run_app(lang="en", page="trends", date=PARTIAL_LAST_DAY)
    assert not at.exception
    assert at.title[0].value == "Trends"
    assert at.sidebar.select_slider(key="day").value == date(2021, 7, 11)
    assert [w.value[:45] for w in at.warning] == ["Data for 11 July 2021 are incomplete: only 71"]
