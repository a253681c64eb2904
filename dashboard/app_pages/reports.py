"""Laporan / Reports: a zone report of the selected region for a period, to download.

The region comes from the sidebar; the page asks for the period, the resolution, the format
and the report's language. The audience is never chosen here: it is what the viewer may see of
the region (``session.audience_for``), and the page says which. "Prepare" makes the file (cached);
then it can be downloaded, with a preview of the first rows of its zone table.
"""

import streamlit as st

from dashboard import data, filters, report_files, session
from dashboard.i18n import LANGS, escape_markdown, format_date, t
from geo import views
from geo.errors import PantauZonaError
from geo.formats import number
from geo.vocab import EXPORT_FORMATS

#: The request the last "Prepare" was pressed for; the download shows while it is unchanged.
PREPARED_KEY = "_report_prepared"

view = filters.current_view()
lang = view.lang
st.title(t("page.reports", lang))

if view.day is None:
    st.info(t("filter.no_dates", lang))
    st.stop()
if view.region_code is None:  # geo.reports.zone_report takes one region, not the country
    st.info(t("reports.pick_region", lang), icon=":material/info:")
    st.stop()

region = filters.region_label(view)
st.markdown(t("reports.intro", lang, region=region))
audience = session.audience_for(view.region_code)
if audience == views.OFFICIAL:
    st.warning(t("reports.audience_official", lang, region=region), icon=":material/badge:")
else:
    st.info(t("reports.audience_public", lang, k=data.min_count()), icon=":material/public:")
    scope = session.viewer().region
    if session.is_official() and scope is not None:
        scope_name = escape_markdown(data.region_name(scope))
        st.caption(t("reports.outside_scope", lang, region=region, scope=scope_name))

dates = data.available_dates()
first, last = dates[0], dates[-1]
default_from, default_to = views.report_period(view.day, first)
start_column, end_column = st.columns(2)
date_from = start_column.date_input(
    t("reports.from", lang),
    value=default_from,
    min_value=first,
    max_value=last,
    format="DD/MM/YYYY",
    key=f"report_from_{view.day}",
)
date_to = end_column.date_input(
    t("reports.to", lang),
    value=default_to,
    min_value=first,
    max_value=last,
    format="DD/MM/YYYY",
    key=f"report_to_{view.day}",
)

resolution_column, format_column, lang_column = st.columns(3)
resolutions = report_files.resolutions()
map_resolution = data.map_resolution(view.region_code)
resolution = resolution_column.selectbox(
    t("reports.resolution", lang),
    options=resolutions,
    index=resolutions.index(map_resolution) if map_resolution in resolutions else 0,
    help=t("reports.resolution_help", lang, resolution=map_resolution),
    key=f"report_resolution_{view.region_code}",
)
fmt = format_column.selectbox(
    t("reports.format", lang),
    options=list(EXPORT_FORMATS),
    format_func=lambda fmt: EXPORT_FORMATS[fmt].label,
    key="report_format",
)
report_lang = lang_column.selectbox(
    t("reports.language", lang),
    options=list(LANGS),
    index=list(LANGS).index(lang),
    format_func=LANGS.__getitem__,
    key=f"report_lang_{lang}",
)
st.caption(t(f"reports.about_{fmt}", lang))

if date_from is None or date_to is None:
    st.warning(t("reports.no_dates", lang))
    st.stop()
if date_from > date_to:
    start, end = format_date(date_from, lang), format_date(date_to, lang)
    st.warning(t("reports.bad_order", lang, start=start, end=end))
    st.stop()

request = (view.region_code, date_from, date_to, resolution, fmt, report_lang, audience)
actions = st.container(horizontal=True, vertical_alignment="center")
if actions.button(t("reports.prepare", lang), icon=":material/description:", key="report_prepare"):
    st.session_state[PREPARED_KEY] = request
if st.session_state.get(PREPARED_KEY) != request:
    st.caption(t("reports.prepare_hint", lang))
    st.stop()

try:
    with st.spinner(t("reports.preparing", lang)):
        prepared = report_files.prepare_report(
            view.region_code, date_from, date_to, resolution=resolution, fmt=fmt, lang=report_lang
        )
except PantauZonaError as exc:
    st.error(t("reports.error", lang, problem=escape_markdown(str(exc), max_length=300)))
    st.stop()

actions.download_button(
    t("reports.download", lang, file=prepared.file_name),
    data=prepared.data,
    file_name=prepared.file_name,
    mime=prepared.mime,
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    key="report_download",
)
size_kb = max(1, round(len(prepared.data) / 1024))
size = f"{number(size_kb, lang)} KB" if size_kb < 1024 else f"{number(size_kb / 1024, lang, 1)} MB"
period = {"start": format_date(date_from, lang), "end": format_date(date_to, lang)}
st.caption(
    t(
        "reports.ready",
        lang,
        size=size,
        rows=number(prepared.zone_rows, lang),
        region=region,
        **period,
    )
)

st.subheader(t("reports.preview", lang))
if prepared.preview.empty:
    st.info(t("reports.empty", lang))
    st.stop()
st.dataframe(prepared.preview, hide_index=True)
note = t("reports.preview_note", lang, shown=len(prepared.preview))
if fmt in ("geojson", "gpkg"):
    note += " " + t("reports.last_day_only", lang)
st.caption(note)
