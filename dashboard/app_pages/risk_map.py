"""Peta Risiko / Risk map: the zones of the selected region on the selected day.

The zone card first (name, colour, reason, trend, what it means and what to do), then Find my
area (with Use my location) above the map; the map, drillable by clicking a zone, beside its
summary; the zone list below as the map's text alternative. A link's zone (``?zone=``) is drawn
at its own resolution, the map centred on it, outlined, its centre marked. Officials may compare
the active rule with another preset's, side by side.
"""

import streamlit as st

from dashboard import data, filters, mapview, panels, rule_compare, session
from dashboard.i18n import code_span, t

view = filters.current_view()
st.title(t("page.map", view.lang))

if view.day is None:
    st.info(t("filter.no_dates", view.lang))
    st.stop()

panels.zone_card(view)
panels.find_my_area(view.lang)

zone = data.zone_view(view.zone) if view.zone else None  # a link's zone, at its resolution
layers = data.map_layers(
    view.day, view.region_code, view.lang, resolution=zone.resolution if zone else None
)


def zone_table(layer: str = "risk") -> None:
    """The zone list under the map, the map's text alternative (the shown layer's class too)."""
    with st.expander(t("map.zones", view.lang)):
        st.dataframe(mapview.zone_rows(layers.hexagons, view.lang, layer), hide_index=True)


rule = rule_compare.rule_picker(view.lang) if session.is_official() else None
if rule is not None:  # officials: the active rule and another side by side
    rule_compare.side_by_side(view, layers, rule)
    with st.expander(t("compare.summary", view.lang)):
        panels.region_summary(view)
    zone_table()  # the active rule's map; the differences table above is the other's
    st.stop()

map_column, summary_column = st.columns([3, 1], gap="medium")
with map_column:
    layer = panels.layer_switch(view.lang)
    result = mapview.show_map(
        layers.hexagons,
        outlines=layers.outlines,
        bounds=zone.bounds if zone else layers.bounds,
        lang=view.lang,
        key=f"risk_map-{view.region_code}-{view.day}-{view.lang}-{layer}-{view.zone}",
        marker=zone.centre if zone else filters.marker(),
        layer=layer,
        highlight=zone.outline if zone else None,
        phone_bounds=None if zone else layers.phone_bounds,
    )
    panels.follow_map_click(result, view.region_code)
    caption = t(
        "map.caption", view.lang, day=filters.day_label(view), region=filters.region_label(view)
    )
    st.caption(caption)
    if zone is not None:
        st.caption(t("map.zone", view.lang, zone=code_span(zone.cell), resolution=zone.resolution))
    panels.map_notes(layers.resolution, view.lang)
with summary_column:
    panels.region_summary(view)

zone_table(layer)
