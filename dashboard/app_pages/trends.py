"""Tren / Trends: new cases per day in the selected region."""

import streamlit as st

from dashboard import charts, data, filters
from dashboard.i18n import t

view = filters.current_view()
st.title(t("page.trends", view.lang))

cases = data.daily_cases(view.region_code)
if cases.empty or view.day is None:
    st.info(t("trends.empty", view.lang))
    st.stop()

caption = t(
    "trends.caption", view.lang, region=filters.region_label(view), day=filters.day_label(view)
)
st.caption(caption)
st.altair_chart(charts.daily_cases_chart(cases, day=view.day, lang=view.lang))
