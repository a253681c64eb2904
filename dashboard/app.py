"""PantauZona dashboard: the frame around every page.

Run from the repository root: ``python -m streamlit run dashboard/app.py``. The frame sets up
the page, the language switch, the officials' sign-in, the navigation and the shared filters
(date and region), shows the breadcrumb and any notices about ignored URL parameters, then runs
the selected page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data, filters, session, signin
from dashboard.i18n import escape_markdown, t
from dashboard.view_state import DEFAULT_PAGE, OFFICIAL_PAGES, PAGES, ViewState

PAGE_FILES = {
    "map": "app_pages/risk_map.py",
    "trends": "app_pages/trends.py",
    "reports": "app_pages/reports.py",
    "method": "app_pages/method.py",
    "changes": "app_pages/changes.py",
    "data": "app_pages/data.py",
}
PAGE_ICONS = {
    "map": ":material/map:",
    "trends": ":material/show_chart:",
    "reports": ":material/summarize:",
    "method": ":material/info:",
    "changes": ":material/compare_arrows:",
    "data": ":material/upload_file:",
}

# The favicon must be local: without one, Streamlit turns the page's Material icon into a
# favicon fetched from fonts.gstatic.com (the browser tests forbid requests to other hosts).
st.set_page_config(
    page_title="PantauZona",
    page_icon=Path(__file__).parent / "assets" / "favicon.svg",
    layout="wide",
    initial_sidebar_state="auto",
)
filters.seed_from_url()

st.sidebar.markdown("**PantauZona**")
lang = filters.language_switch()
st.sidebar.caption(t("app.tagline", lang))

problem = data.build_problem()
if problem is not None:
    st.title("PantauZona")
    st.warning(t("build.missing", lang, problem=escape_markdown(problem, max_length=300)))
    st.markdown(t("build.command", lang))
    st.code(data.MAKE_BUILD, language=None, wrap_lines=True)  # no low-contrast tokens, no scroll
    st.stop()
signin.sidebar(lang)  # verifies the official's session before anything is drawn for them

pages = {
    key: st.Page(
        PAGE_FILES[key],
        title=t(f"page.{key}", lang),
        icon=PAGE_ICONS[key],
        url_path=key,
        default=key == DEFAULT_PAGE,
    )
    for key in PAGES
    if key not in OFFICIAL_PAGES or session.is_official()  # officials' pages re-check, too
}
current = st.navigation(list(pages.values()))
page = filters.follow_page_link(pages, current)

st.sidebar.subheader(t("filter.heading", lang))
filters.apply_requested_region()
day = filters.date_slider(lang)
region = filters.region_selectors(lang)

view = ViewState(
    lang=lang, page=page, day=day, region=region, zone=filters.zone(region[-1] if region else None)
)
filters.publish(view)
filters.breadcrumb(region, lang)
filters.breadcrumb_links(region, lang)
filters.show_notices(lang)
filters.incomplete_day_notice(day, lang)
current.run()
