"""The readable map of ``dashboard/mapview.py``: what the browser gets (fit, legend, tooltips).

How these behave in a real browser at desktop and phone width is in
``test_dashboard_browser.py`` (``test_the_map_on_a_phone``); the escaping and offline loading of
the map are in ``test_dashboard_app.py``.
"""

from __future__ import annotations

import json
import re

from dashboard import mapview

JAKARTA = [[-6.37251, 106.68681], [-6.07432, 106.973]]
PULAU_PRAMUKA = (-5.7457, 106.6137)  # Kepulauan Seribu, north-west of the mainland fit


def _collection(**extra: object) -> dict:
    ring = [[106.8, -6.2], [106.81, -6.2], [106.81, -6.19], [106.8, -6.2]]
    properties = {"risk": "red", "label": "Gambir", "reason": "12 kasus", "code": "31.71.01"}
    feature = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {**properties, "cases_7d": 12.0, "cases_per_100k_7d": 85.3, **extra},
    }
    return {"type": "FeatureCollection", "features": [feature]}


def _fit(html: str) -> list[list[float]]:
    (fit,) = re.findall(r"var bounds = (\[\[.*?\]\]), phone = ", html, flags=re.DOTALL)
    return json.loads(fit)


def _phone_fit(html: str) -> list[list[float]] | None:
    (fit,) = re.findall(r", phone = (null|\[\[.*?\]\]);", html, flags=re.DOTALL)
    return json.loads(fit)


def test_the_browser_gets_each_figure_once_in_the_tooltip() -> None:
    card = {"reason": "Red zone because of 12 cases in 7 days.", "trend": "↑ up 50% (last week 8)"}
    browser = mapview._with_tooltips(_collection(checkins_7d=3.0, **card), "en")
    (properties,) = (f["properties"] for f in browser["features"])
    assert set(properties) == {"risk", "label", "code", "tooltip"}
    assert properties["tooltip"] == (
        "<strong>Gambir</strong><br>Red zone because of 12 cases in 7 days.<br>"
        "↑ up 50% (last week 8)"
    )


def test_the_tooltip_is_the_zone_cards_short_form_by_place_without_an_empty_trend() -> None:
    properties = {"risk": "no_data", "label": "8a8c", "name": "sekitar Cideng, Gambir"}
    tooltip = mapview.tooltip_html({**properties, "reason": "Tidak ada data.", "trend": ""}, "id")
    assert tooltip == "<strong>sekitar Cideng, Gambir</strong><br>Tidak ada data."


def test_the_first_fit_is_the_bounds_given_and_snaps_to_a_quarter_zoom() -> None:
    html = mapview.build_map(_collection(), bounds=JAKARTA, lang="id").get_root().render()
    assert _fit(html) == JAKARTA
    assert '"zoomSnap": 0.25' in html
    assert "var padding = [8, 8];" in html  # the edges are not cut by the frame


def test_a_searched_point_outside_the_fit_widens_it() -> None:
    fmap = mapview.build_map(_collection(), bounds=JAKARTA, lang="id", marker=PULAU_PRAMUKA)
    assert _fit(fmap.get_root().render()) == [[-6.37251, 106.6137], [-5.7457, 106.973]]
    inside = mapview.build_map(_collection(), bounds=JAKARTA, lang="id", marker=(-6.2, 106.8))
    assert _fit(inside.get_root().render()) == JAKARTA


def test_the_marked_point_lets_clicks_and_hovers_through_to_the_zone_under_it() -> None:
    html = mapview.build_map(_collection(), bounds=JAKARTA, lang="id", marker=(-6.2, 106.8))
    (options,) = re.findall(
        r"circleMarker\(\s*\[[^\]]*\],\s*(\{.*?\})\s*\)", html.get_root().render()
    )
    assert json.loads(options)["interactive"] is False
    assert json.loads(options)["className"] == "pz-marker"


def test_the_legend_folds_and_tooltips_stay_inside() -> None:
    html = mapview.build_map(_collection(), bounds=JAKARTA, lang="en").get_root().render()
    assert 'L.DomUtil.create("details", "pz-legend")' in html  # a tap on its title folds it
    assert f"box.open = map.getSize().x >= {mapview.LEGEND_OPEN_WIDTH};" in html
    assert 'L.DomUtil.create("summary", "pz-legend-title", box)' in html
    assert 'direction: "auto"' in html
    assert "L.Tooltip.prototype._setPosition = function" in html
    assert "max-width: min(18rem, 75vw)" in html


def test_the_maps_height_is_at_most_three_quarters_of_the_window() -> None:
    assert mapview._height_css(520) == (
        "<style>iframe[title='streamlit_folium.st_folium'] "
        "{ height: min(520px, 75vh) !important; }</style>"
    )
    html = mapview.build_map(_collection(), bounds=JAKARTA, lang="en").get_root().render()
    assert "#map_div { height: 100vh !important; }" in html  # the map fills its frame


def test_a_phone_fits_its_own_bounds_unless_a_point_is_marked() -> None:
    core = [[-7.99458, 101.06424], [0.96569, 119.83198]]
    html = mapview.build_map(_collection(), bounds=JAKARTA, lang="id", phone_bounds=core)
    rendered = html.get_root().render()
    assert _fit(rendered) == JAKARTA
    assert _phone_fit(rendered) == core
    fit = "map.fitBounds(phone && size.x < size.y ? phone : bounds, {padding: padding, animate: false})"
    assert fit in " ".join(rendered.split())  # upright: narrower than high
    marked = mapview.build_map(
        _collection(), bounds=JAKARTA, lang="id", phone_bounds=core, marker=(-6.2, 106.8)
    )
    assert _phone_fit(marked.get_root().render()) is None
    assert (
        _phone_fit(mapview.build_map(_collection(), bounds=JAKARTA, lang="id").get_root().render())
        is None
    )


def test_data_in_the_map_is_never_run_as_a_template() -> None:
    """A region named like Jinja code is written as JSON text, not evaluated on the server
    (branca compiled each rendered part again: ``{{ 7*7 }}`` became ``49``)."""
    name = "{{ 7*7 }} {{ cycler.__init__.__globals__.os.name }}"
    outlines = _collection(name=name)
    html = (
        mapview.build_map(_collection(label=name), bounds=JAKARTA, lang="id", outlines=outlines)
        .get_root()
        .render()
    )
    assert html.count(json.dumps(name)) == 2  # the hexagon's label and the outline's name
    assert "49 posix" not in html


def test_the_data_layer_renders_as_folium_does() -> None:
    """:class:`mapview.DataGeoJson` writes the same page as ``folium.GeoJson`` for plain data."""
    import folium

    def page(layer: type) -> str:
        fmap = folium.Map(location=[-6.2, 106.8], tiles=None)
        layer(_collection(), name="hexagons", style=mapview._style("risk")).add_to(fmap)
        text = fmap.get_root().render()
        return re.sub(r"\s+", " ", re.sub(r"_[0-9a-f]{32}", "_id", text)).strip()

    assert page(mapview.DataGeoJson) == page(folium.GeoJson)
