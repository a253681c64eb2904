"""Metodologi / Method: how zones are coloured, and what the colours mean."""

import streamlit as st

from dashboard import filters
from dashboard.i18n import t

# Streamlit's Markdown colour names closest to the map's fills (mapview.RISK_COLOURS).
SWATCHES = {"red": "red", "orange": "orange", "green": "green", "no_data": "gray"}

view = filters.current_view()
st.title(t("page.method", view.lang))
st.markdown(t("method.body", view.lang))

st.subheader(t("method.levels", view.lang))
for risk, colour in SWATCHES.items():
    st.markdown(f":{colour}[:material/hexagon:] {t(f'risk.{risk}', view.lang)}")
