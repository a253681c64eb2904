"""Tren / Trends: new cases per day, population by zone colour, and the regions within."""

import streamlit as st

from dashboard import charts, data, filters
from dashboard.i18n import t

view = filters.current_view()
st.title(t("page.trends", view.lang))

series = data.daily_series(view.region_code)
if series.empty or view.day is None:
    st.info(t("trends.empty", view.lang))
    st.stop()

region = filters.region_label(view)
st.caption(t("trends.caption", view.lang, region=region, day=filters.day_label(view)))
st.altair_chart(
    charts.daily_cases_chart(
        series, day=view.day, lang=view.lang, incomplete=data.incomplete_spans()
    )
)
if series["new_cases"].isna().any():  # the public view hides days below k
    st.caption(t("trends.hidden", view.lang, k=data.min_count()))

if "checkins" in series:
    st.subheader(t("trends.checkins", view.lang))
    st.altair_chart(charts.checkins_chart(series, day=view.day, lang=view.lang))
    by_category = data.category_breakdown(view.day, view.region_code)
    if not by_category.empty:  # officials only: a category can be a single venue
        st.subheader(t("trends.categories", view.lang, day=filters.day_label(view)))
        st.dataframe(**charts.category_table(by_category, lang=view.lang), hide_index=True)

st.subheader(t("trends.shares", view.lang))
shares = data.share_series(view.region_code)
st.altair_chart(
    charts.shares_chart(shares, day=view.day, lang=view.lang, incomplete=data.incomplete_spans())
)

children = data.compare_children(view.region_code, view.day, view.lang)
if not children.empty:
    st.subheader(t("trends.compare", view.lang, region=region))
    st.dataframe(**charts.comparison_table(children, lang=view.lang), hide_index=True)
