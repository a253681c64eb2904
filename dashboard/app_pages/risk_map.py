"""Peta Risiko / Risk map: the zones of the selected region on the selected day."""

import streamlit as st

from dashboard import data, filters, mapview
from dashboard.i18n import t

view = filters.current_view()
st.title(t("page.map", view.lang))

if view.day is None:
    st.info(t("filter.no_dates", view.lang))
    st.stop()

layers = data.map_layers(view.day, view.region_code, view.lang)
mapview.show_map(
    layers.hexagons,
    outlines=layers.outlines,
    bounds=layers.bounds,
    lang=view.lang,
    key="risk_map",
)
caption = t(
    "map.caption", view.lang, day=filters.day_label(view), region=filters.region_label(view)
)
st.caption(caption)

with st.expander(t("map.zones", view.lang)):
    st.dataframe(mapview.zone_rows(layers.hexagons, view.lang), hide_index=True)
