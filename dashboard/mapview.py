"""The risk map: hexagons coloured by risk on a Leaflet map that needs no internet.

Leaflet comes from the app's own static files (``make static`` puts it in
``dashboard/static/leaflet/``; Streamlit serves it at ``/app/static/``). folium's other default
assets (jQuery, Bootstrap, Awesome Markers, Font Awesome) come from CDNs and this map uses none of
them, so ``OfflineMap`` drops them; there are no basemap tiles unless a deployment with internet
sets ``PANTAUZONA_TILE_URL``.

Colours are chosen in the browser from one feature property per map layer (``risk``, ``hotspot``
or ``outlook_risk``; grey wherever ``risk`` is no data) by one small JavaScript
function (a Python ``style_function`` would compile into one JavaScript case per feature). All text
that comes from data is HTML-escaped, with ``$ { } ``` neutralised too, before it reaches Leaflet.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping, Sequence
from typing import ClassVar

import folium
import streamlit as st
from branca.element import Element
from folium.template import Template
from streamlit_folium import st_folium

from dashboard.i18n import t
from geo.formats import display, percent
from geo.palette import RISK_COLOURS

LEAFLET_JS = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/leaflet/leaflet.css"
TILE_URL_ENV = "PANTAUZONA_TILE_URL"
TILE_ATTRIBUTION_ENV = "PANTAUZONA_TILE_ATTRIBUTION"
#: Maps at least this wide (pixels) open with the legend unfolded; narrower ones fold it.
LEGEND_OPEN_WIDTH = 600
#: Zoom steps of the first fit: a quarter level, so a view fills the width of a phone.
ZOOM_SNAP = 0.25
#: Pixels kept free around the first fit, so its edges are not cut by the frame.
FIT_PADDING = (8, 8)
#: The map's height: ``show_map``'s ``height`` in pixels, at most this share of the window's.
MAX_HEIGHT_VH = 75
#: The feature properties the browser needs: colours, the click's target, the tooltip.
BROWSER_PROPERTIES = ("risk", "hotspot", "outlook_risk", "code", "label", "tooltip")

#: Hotspot classes in legend order, with their fills; no data stays grey as on the risk layer.
HOTSPOT_COLOURS: dict[str, str] = {
    "hot": "#b2182b",
    "cold": "#2166ac",
    "none": "#f7f7f7",
    "no_data": RISK_COLOURS["no_data"],
}
#: The map layers: the feature property that colours a zone, and the colours of its values.
LAYERS: dict[str, tuple[str, dict[str, str]]] = {
    "risk": ("risk", RISK_COLOURS),
    "hotspot": ("hotspot", HOTSPOT_COLOURS),
    "outlook": ("outlook_risk", RISK_COLOURS),
}


def _style(layer: str) -> folium.JsCode:
    """The fill of a zone from one property, grey where the zone has no data on any layer."""
    prop, colours = LAYERS[layer]
    value = f"feature.properties.{prop}"
    if prop != "risk":
        value = f'feature.properties.risk === "no_data" ? "no_data" : {value}'
    return folium.JsCode(
        "function (feature) {"
        f" var colours = {json.dumps(colours)};"
        f" return {{fillColor: colours[{value}] || colours.no_data,"
        ' fillOpacity: 0.6, color: "#424242", weight: 0.5};'
        " }"
    )


_HEXAGON_EVENTS = folium.JsCode(
    "function (feature, layer) {"
    ' layer.bindTooltip(feature.properties.tooltip, {sticky: true, direction: "auto"});'
    ' layer.on("mouseover", function () { layer.setStyle({weight: 2.5}); });'
    ' layer.on("mouseout", function () { layer.setStyle({weight: 0.5}); });'
    " }"
)
#: The outline of a zone a link opened (:func:`build_map`'s ``highlight``).
HIGHLIGHT_COLOUR = "#0d47a1"
_OUTLINE_STYLE = folium.JsCode(
    'function () { return {color: "#263238", weight: 2, fill: false, dashArray: "6 4"}; }'
)
_JS_SPECIAL = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})


class _Rendered(Element):
    """Text already rendered, kept as it is. branca's ``MacroElement.render`` wraps each rendered
    part in an ``Element``, which compiles it as a Jinja template once more: the data in it
    (a region named ``{{ … }}``) would run as template code, and lexing a province's GeoJSON
    again costs about 100 ms."""

    def __init__(self, text: str) -> None:
        super().__init__("")
        self._text = text

    def render(self, **kwargs: object) -> str:
        """The text, unchanged."""
        return self._text


class _RenderedOnce(folium.MacroElement):
    """``MacroElement.render`` without compiling its output again (:class:`_Rendered`)."""

    def render(self, **kwargs: object) -> None:
        """Add the header, html and script parts to the figure as they are; render children."""
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if macros.get(part) is not None:
                rendered = _Rendered(macros[part](self, kwargs))
                getattr(figure, part).add_child(rendered, name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class DataGeoJson(folium.GeoJson, _RenderedOnce):
    """A GeoJSON layer whose data (names from the build, a province's features) is written
    into the page as JSON only, never read as a template (:class:`_RenderedOnce` comes before
    ``MacroElement`` in its method order)."""


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads Leaflet from the app's static files and nothing else."""

    default_js: ClassVar[list[tuple[str, str]]] = [("leaflet", LEAFLET_JS)]
    default_css: ClassVar[list[tuple[str, str]]] = [("leaflet_css", LEAFLET_CSS)]


class Legend(folium.MacroElement):
    """The risk legend, a Leaflet control whose text is set with ``textContent``.

    A ``<details>`` element, so a tap or Enter on its title folds it away from the zones under
    it: open on a map at least :data:`LEGEND_OPEN_WIDTH` pixels wide, folded on a phone.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var box = L.DomUtil.create("details", "pz-legend");
                box.open = map.getSize().x >= {{ this.open_width }};
                box.style.cssText = "background:#fff;padding:6px 10px;border-radius:4px;"
                    + "box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.5 sans-serif;";
                L.DomEvent.disableClickPropagation(box);
                var title = L.DomUtil.create("summary", "pz-legend-title", box);
                title.style.cssText = "font-weight:bold;cursor:pointer;";
                title.textContent = {{ this.title|tojson }};
                {{ this.items|tojson }}.forEach(function (item) {
                    var row = L.DomUtil.create("div", "pz-legend-item", box);
                    var swatch = L.DomUtil.create("span", "", row);
                    swatch.style.cssText = "display:inline-block;width:12px;height:12px;"
                        + "margin-right:6px;vertical-align:-1px;opacity:.8;background:"
                        + item.colour;
                    row.appendChild(document.createTextNode(item.label));
                });
                return box;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, items: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.open_width = LEGEND_OPEN_WIDTH
        self.title = title
        self.items = [{"label": label, "colour": colour} for label, colour in items]


class FocusWithoutScroll(folium.MacroElement):
    """Let a click focus the map without scrolling the page that holds its iframe.

    Leaflet's keyboard handler focuses the map on ``mousedown`` and restores the scroll of the
    map's own window only; the dashboard page around the iframe scrolls the map into view, so
    the ``mouseup`` lands elsewhere and a click on a zone becomes a click on the map at another
    point. Focusing with ``preventScroll`` keeps the keyboard controls and the click.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var keyboard = map.keyboard, container = map.getContainer();
            if (!keyboard) { return; }
            L.DomEvent.off(container, "mousedown", keyboard._onMouseDown, keyboard);
            keyboard._onMouseDown = function () {
                if (!this._focused) { container.focus({preventScroll: true}); }
            };
            L.DomEvent.on(container, "mousedown", keyboard._onMouseDown, keyboard);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FocusWithoutScroll"


class TooltipsInside(folium.MacroElement):
    """Keep every tooltip inside the map: long lines wrap, and a tooltip that would cross an
    edge is moved back in (Leaflet's ``direction: "auto"`` only picks a side). The map fills
    its frame, whose height the page sets (:func:`_height_css`)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-tooltip { white-space: normal; width: max-content; max-width: min(18rem, 75vw); }
        #map_div { height: 100vh !important; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var place = L.Tooltip.prototype._setPosition;
            L.Tooltip.prototype._setPosition = function (pos) {
                place.call(this, pos);
                var map = this._map, box = this._container;
                if (!map || !box || map._animatingZoom) { return; }
                var style = getComputedStyle(box), size = map.getSize();
                var at = L.DomUtil.getPosition(box).subtract(map.containerPointToLayerPoint([0, 0]));
                var x = at.x + parseFloat(style.marginLeft), y = at.y + parseFloat(style.marginTop);
                var dx = Math.max(0, -x) - Math.max(0, x + box.offsetWidth - size.x);
                var dy = Math.max(0, -y) - Math.max(0, y + box.offsetHeight - size.y);
                if (dx || dy) {
                    L.DomUtil.setPosition(box, L.DomUtil.getPosition(box).add([dx, dy]));
                }
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "TooltipsInside"


class Fit(folium.MacroElement):
    """The first view: fit ``bounds``, or ``phone`` on a map narrower than it is high (a phone
    held upright: the country's populated core rather than a thin strip of the whole,
    :func:`geo.mapshapes.phone_bounds`; a desktop's map, however narrow its column, and a phone
    held sideways are wider than high).

    The fit waits until the map has room: a frame laid out after the map was made (Streamlit
    sizes the component's frame later, on a slow first load) gave a size of 0, and Leaflet's fit
    to a size smaller than its padding is an infinite zoom that breaks the map for good
    ("Invalid LatLng object: (NaN, NaN)" at the next resize, and no zones drawn). Until then the
    map keeps its initial view, and it fits at the first resize that gives it room."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = {{ this.bounds|tojson }}, phone = {{ this.phone|tojson }};
            var padding = {{ this.padding|tojson }};
            function fit() {
                var size = map.getSize();
                if (size.x <= 2 * padding[0] || size.y <= 2 * padding[1]) { return false; }
                map.fitBounds(phone && size.x < size.y ? phone : bounds,
                              {padding: padding, animate: false});
                return true;
            }
            if (!fit()) {
                map.on("resize", function refit() {
                    if (fit()) { map.off("resize", refit); }
                });
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, bounds: Sequence[Sequence[float]], phone: Sequence[Sequence[float]] | None = None
    ) -> None:
        super().__init__()
        self._name = "Fit"
        self.bounds = [list(corner) for corner in bounds]
        self.phone = None if phone is None else [list(corner) for corner in phone]
        self.padding = list(FIT_PADDING)


def safe_text(value: object) -> str:
    """``value`` as HTML that shows literally: escaped, and inert in JavaScript templates."""
    return html.escape(str(value), quote=True).translate(_JS_SPECIAL)


def _layer_lines(properties: Mapping[str, object], lang: str, layer: str) -> tuple[object, ...]:
    """The tooltip lines of the hotspot or outlook layer (none for the risk layer)."""
    if layer == "hotspot" and "hotspot" in properties:
        state = properties["hotspot"]
        key = f"hotspot.{state}" if state in HOTSPOT_COLOURS else "hotspot.no_data"
        lines: tuple[object, ...] = (t("hotspot.tooltip", lang, state=t(key, lang)),)
        share = properties.get("share_hot")
        if isinstance(share, float):
            lines += (t("hotspot.tooltip_share", lang, share=percent(share, lang, 1)),)
        if "hotspot_z" in properties:  # officials only
            z, p = properties.get("hotspot_z"), properties.get("hotspot_p")
            lines += (t("hotspot.tooltip_z", lang, z=display(z, lang), p=display(p, lang)),)
        return lines
    if layer == "outlook" and "outlook_cases_7d" in properties:
        risk = properties.get("outlook_risk")
        colour = t(f"risk.{risk}" if risk in RISK_COLOURS else "risk.no_data", lang)
        value = t(
            "outlook.value",
            lang,
            cases=display(properties["outlook_cases_7d"], lang),
            low=display(properties.get("outlook_low"), lang),
            high=display(properties.get("outlook_high"), lang),
            colour=colour,
        )
        return (f"{t('outlook.heading', lang)} ({t('outlook.not_rule', lang)}): {value}",)
    return ()


def tooltip_html(properties: Mapping[str, object], lang: str, layer: str = "risk") -> str:
    """The hover text of one zone, all escaped: the zone card's short form (its name, else its
    label, in bold; the reason, which names the colour; the trend against last week, where
    there is one), and on the hotspot and outlook layers the zone's class or forecast."""
    lines: tuple[object, ...] = (properties.get("name") or properties.get("label", ""),)
    lines += tuple(properties[key] for key in ("reason", "trend") if properties.get(key))
    lines += _layer_lines(properties, lang, layer)
    return "<br>".join(
        f"<strong>{safe_text(line)}</strong>" if n == 0 else safe_text(line)
        for n, line in enumerate(lines)
    )


def build_map(
    hexagons: Mapping,
    *,
    bounds: Sequence[Sequence[float]],
    lang: str,
    outlines: Mapping | None = None,
    tile_url: str | None = None,
    tile_attribution: str | None = None,
    marker: Sequence[float] | None = None,
    layer: str = "risk",
    highlight: Sequence[Sequence[float]] | None = None,
    phone_bounds: Sequence[Sequence[float]] | None = None,
) -> folium.Map:
    """Build the risk map.

    Parameters
    ----------
    hexagons
        A GeoJSON FeatureCollection whose features carry ``risk``, ``label`` and ``reason``.
    bounds
        ``[[south, west], [north, east]]``, the area to fit.
    lang
        Language of the legend and tooltips.
    outlines
        Region boundaries, drawn as a separate layer underneath the hexagons.
    tile_url, tile_attribution
        An optional basemap (needs internet); by default the map has no tiles.
    marker
        ``(lat, lon)`` of a point to mark (the user's search), drawn as a circle.
    layer
        What colours the zones: ``risk``, ``hotspot`` or ``outlook`` (:data:`LAYERS`).
    highlight
        The ring (``[lat, lon]`` pairs) of one zone to outline on top (a zone a link opened),
        drawn as the path of class ``pz-zone``.
    phone_bounds
        The first fit on a phone (:class:`Fit`); ignored with a ``marker``, which the first
        fit always shows.
    """
    (south, west), (north, east) = bounds
    if marker is not None:  # the searched point is always in the first view
        south, north = min(south, marker[0]), max(north, marker[0])
        west, east = min(west, marker[1]), max(east, marker[1])
    fmap = OfflineMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=12,
        tiles=None,
        zoom_snap=ZOOM_SNAP,
    )
    if tile_url:
        folium.TileLayer(tile_url, attr=tile_attribution or tile_url, name="basemap").add_to(fmap)
    if outlines is not None:
        DataGeoJson(
            outlines,
            name="outlines",
            overlay=False,
            control=False,
            interactive=False,
            style=_OUTLINE_STYLE,
        ).add_to(fmap)
    DataGeoJson(
        _with_tooltips(hexagons, lang, layer),
        name="hexagons",
        style=_style(layer),
        on_each_feature=_HEXAGON_EVENTS,
    ).add_to(fmap)
    if highlight is not None:
        outline = folium.Polygon(
            locations=[list(point) for point in highlight],
            color=HIGHLIGHT_COLOUR,
            weight=4,
            fill=False,
            class_name="pz-zone",
        )
        outline.options["interactive"] = False  # folium's path options drop it: hovers pass
        outline.add_to(fmap)
    if marker is not None:
        point = folium.CircleMarker(
            location=list(marker),
            radius=8,
            color="#0d47a1",
            weight=3,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.9,
            class_name="pz-marker",
        )
        point.options["interactive"] = False  # a click or hover on it reaches the zone under it
        point.add_to(fmap)
    fmap.add_child(_legend(layer, lang))
    fmap.add_child(FocusWithoutScroll())
    fmap.add_child(TooltipsInside())
    fmap.add_child(Fit([[south, west], [north, east]], phone_bounds if marker is None else None))
    return fmap


def _legend(layer: str, lang: str) -> Legend:
    if layer == "hotspot":
        items = [(t(f"hotspot.{state}", lang), colour) for state, colour in HOTSPOT_COLOURS.items()]
        return Legend(t("hotspot.legend_title", lang), items)
    items = [(t(f"risk.{risk}", lang), colour) for risk, colour in RISK_COLOURS.items()]
    title = "outlook.legend_title" if layer == "outlook" else "risk.legend_title"
    return Legend(t(title, lang), items)


def _with_tooltips(hexagons: Mapping, lang: str, layer: str = "risk") -> dict:
    """The features as the browser gets them: :data:`BROWSER_PROPERTIES` only (the figures are
    in the tooltip once, not twice), which keeps a province's map under its payload budget."""
    features = [
        {**feature, "properties": _browser_properties(props, tooltip_html(props, lang, layer))}
        for feature in hexagons["features"]
        for props in [feature.get("properties") or {}]
    ]
    return {"type": "FeatureCollection", "features": features}


def _browser_properties(props: Mapping[str, object], tooltip: str) -> dict[str, object]:
    kept = {key: props[key] for key in BROWSER_PROPERTIES if key in props}
    return {**kept, "tooltip": tooltip}


def zone_rows(hexagons: Mapping, lang: str, layer: str = "risk") -> list[dict[str, str]]:
    """The hexagons as table rows (zone, risk, reason, and the shown layer's class when it is
    not risk), the map's text alternative."""
    prop, colours = LAYERS[layer]
    words = "hotspot" if layer == "hotspot" else "risk"
    title = {"hotspot": "hotspot.legend_title", "outlook": "outlook.legend_title"}.get(layer)
    rows = []
    for feature in hexagons["features"]:
        props = feature.get("properties") or {}
        risk = props.get("risk")
        row = {
            t("column.zone", lang): str(props.get("name") or props.get("label", "")),
            t("column.risk", lang): t(
                f"risk.{risk}" if risk in RISK_COLOURS else "risk.no_data", lang
            ),
            t("column.reason", lang): str(props.get("reason", "")),
        }
        if title is not None:  # the class the map colours, as in _style
            value = "no_data" if risk == "no_data" else props.get(prop)
            row[t(title, lang)] = t(f"{words}.{value if value in colours else 'no_data'}", lang)
        rows.append(row)
    return rows


def show_map(
    hexagons: Mapping,
    *,
    bounds: Sequence[Sequence[float]],
    lang: str,
    key: str,
    outlines: Mapping | None = None,
    height: int = 520,
    marker: Sequence[float] | None = None,
    layer: str = "risk",
    highlight: Sequence[Sequence[float]] | None = None,
    phone_bounds: Sequence[Sequence[float]] | None = None,
) -> dict | None:
    """Draw the map; only a click on a zone reruns the page (pan and zoom do not)."""
    fmap = build_map(
        hexagons,
        bounds=bounds,
        lang=lang,
        outlines=outlines,
        tile_url=os.environ.get(TILE_URL_ENV),
        tile_attribution=os.environ.get(TILE_ATTRIBUTION_ENV),
        marker=marker,
        layer=layer,
        highlight=highlight,
        phone_bounds=phone_bounds,
    )
    if not hexagons["features"]:
        st.info(t("map.empty", lang))
    st.html(_height_css(height))
    return st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_object_clicked", "last_active_drawing"],
        # st_folium renders the map itself as well; rendering its figure first only repeated
        # that (same component arguments, ~1/3 of its time on a province: benchmarks/load.py).
        render=False,
    )


def _height_css(height: int) -> str:
    """The map's frame at ``height`` pixels, or :data:`MAX_HEIGHT_VH` of a shorter window."""
    return (
        "<style>iframe[title='streamlit_folium.st_folium'] "
        f"{{ height: min({height}px, {MAX_HEIGHT_VH}vh) !important; }}</style>"
    )


def clicked(result: Mapping | None) -> tuple[str | None, tuple[float, float] | None]:
    """The ``code`` property of the clicked zone, and where the click was (either may be None)."""
    if not result:
        return None, None
    feature = result.get("last_active_drawing") or {}
    code = (feature.get("properties") or {}).get("code")
    point = result.get("last_object_clicked") or {}
    latlng = (point["lat"], point["lng"]) if "lat" in point and "lng" in point else None
    return (code if isinstance(code, str) else None), latlng


def clicked_label(result: Mapping | None) -> str | None:
    """The ``label`` property of the clicked zone (a hexagon's cell, a region's name), or None."""
    feature = (result or {}).get("last_active_drawing") or {}
    label = (feature.get("properties") or {}).get("label")
    return label if isinstance(label, str) else None
