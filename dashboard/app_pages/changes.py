"""Perubahan / What changed (officials): the zones that turned red or orange in the 7 days to
the selected date, and those that improved, each with a link that lands the map on it; then
the zones that became hotspots in those 7 days."""

import datetime as dt

import streamlit as st

from dashboard import change_lists, data, filters, official_views, session
from dashboard.i18n import format_date, t

view = filters.current_view()
lang = view.lang
st.title(t("page.changes", lang))
if not session.is_official():
    st.warning(t("changes.officials_only", lang), icon=":material/lock:")
    st.stop()
if view.day is None:
    st.info(t("filter.no_dates", lang))
    st.stop()

before = view.day - dt.timedelta(days=7)
region = filters.region_label(view)
st.caption(
    t(
        "changes.caption",
        lang,
        region=region,
        before=format_date(before, lang),
        day=filters.day_label(view),
    )
)
resolution = data.map_resolution(view.region_code)
if resolution is None:
    st.caption(t("changes.zones_regencies", lang))
else:
    st.caption(t("changes.zones_hexagons", lang, resolution=resolution))
if before < data.first_day():
    st.info(t("changes.before_build", lang, first=format_date(data.first_day(), lang)))

frame = official_views.what_changed(view.day, view.region_code, lang)
worse = frame[frame["change"] == "worse"]
better = frame[frame["change"] == "better"]
left, right = st.columns(2, gap="medium")
with left:
    st.subheader(t("changes.worse", lang, n=len(worse)))
    if worse.empty:
        st.caption(t("changes.none_worse", lang))
    change_lists.zone_list(worse, view=view)
with right:
    st.subheader(t("changes.better", lang, n=len(better)))
    if better.empty:
        st.caption(t("changes.none_better", lang))
    change_lists.zone_list(better, view=view)

others = len(frame) - len(worse) - len(better)
if others:
    st.caption(t("changes.other", lang, n=others))
if not frame.empty:
    with st.expander(t("changes.all", lang, n=len(frame))):
        st.dataframe(change_lists.changes_table(frame, lang), hide_index=True)

new = data.new_hotspots(view.day, view.region_code)
with st.expander(t("changes.new_hotspots", lang, n=len(new)), expanded=not new.empty):
    if resolution is None or view.region_code is None:
        st.caption(t("changes.hotspots_country", lang))
    else:
        st.caption(t("hotspot.note", lang))
        if new.empty:
            st.caption(t("changes.no_new_hotspots", lang))
        else:
            st.dataframe(change_lists.hotspot_table(new, lang), hide_index=True)
