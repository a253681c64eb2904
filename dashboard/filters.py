"""The frame's shared filters: language, date and region, kept in session state and the URL.

The URL seeds the keyed widgets once per browser session, so a shared link restores its view;
after that the widgets are the source of truth and every run writes the view back to the URL.
Pages read the result with ``current_view()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import data
from dashboard.i18n import DEFAULT_LANG, LANGS, code_span, escape_markdown, format_date, t
from dashboard.view_state import (
    LEVELS,
    Notice,
    ViewState,
    parse_query_params,
    region_path,
    stale_echo,
    to_query_params,
)
from geo import formats

LANG_KEY = "lang"
DAY_KEY = "day"
_SEEDED = "_view_seeded"
_NOTICES = "_view_notices"
_REQUESTED_PAGE = "_view_requested_page"
_VIEW = "_view"
_REQUESTED_REGION = "_view_requested_region"
MARKER_KEY = "_view_marker"
#: The zone a link landed the map on, and the region it was opened on: ``(cell, region)``.
ZONE_KEY = "_view_zone"
_PUBLISHED = "_view_published"
#: The URLs this session seeded from or published, oldest first: a rerun that brings one back
#: is the browser's stale copy, not a new link (:func:`dashboard.view_state.stale_echo`).
_SEEN = "_view_seen"
SEEN_KEPT = 32
BREADCRUMB_SEPARATOR = " \u203a "  # single right-pointing angle quotation mark
#: The "all regions" choice of a region selector (``None`` would show as an empty selectbox).
ALL = ""


def region_key(level: int) -> str:
    """Session-state key of the region selector at ``level`` (0 = province)."""
    return f"region_{level}"


def seed_from_url() -> None:
    """Set the widgets' state from ``st.query_params`` on a session's first run, and again when
    a link inside the app (``st.page_link`` with query parameters) names another view; never
    from the browser's stale copy of an earlier URL (:func:`dashboard.view_state.stale_echo`)."""
    params = st.query_params.to_dict()
    published = st.session_state.get(_PUBLISHED)
    if st.session_state.get(_SEEDED) and (
        params in ({}, published) or stale_echo(params, _seen(), published or {})
    ):
        return  # a widget's rerun, a page switch (which clears the query), or a stale echo
    _remember(params)
    view, notices = parse_query_params(
        params,
        dates=data.available_dates(),
        parent=data.parent,
        zone_region=data.zone_region,
        default_day=data.default_day(),
    )
    st.session_state[_SEEDED] = True
    st.session_state[_NOTICES] = notices
    st.session_state[_REQUESTED_PAGE] = view.page if "page" in params else None
    st.session_state[LANG_KEY] = view.lang
    if view.day is not None:
        st.session_state[DAY_KEY] = view.day
    for level in range(len(LEVELS)):
        st.session_state[region_key(level)] = (
            view.region[level] if level < len(view.region) else ALL
        )
    st.session_state[ZONE_KEY] = (view.zone, view.region_code) if view.zone else None
    st.session_state.pop(MARKER_KEY, None)


def zone(region_code: str | None) -> str | None:
    """The zone the map lands on while ``region_code`` is the one it was opened on (a region
    chosen since lets it go)."""
    held = st.session_state.get(ZONE_KEY)
    if held is None or held[1] != region_code:
        st.session_state[ZONE_KEY] = None
        return None
    return held[0]


def language_switch() -> str:
    """The language radio at the top of the sidebar; returns ``"id"`` or ``"en"``."""
    return st.sidebar.radio(
        t("lang.label", DEFAULT_LANG),
        options=list(LANGS),
        format_func=LANGS.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )


def follow_page_link(pages: Mapping[str, StreamlitPage], current: StreamlitPage) -> str:
    """Switch to the page named by ``?page=`` (first run only); return the current page's key."""
    requested = st.session_state.pop(_REQUESTED_PAGE, None)
    if requested is not None and requested not in pages:  # an officials' page, for the public
        st.session_state.setdefault(_NOTICES, []).append(Notice("notice.page", requested))
        requested = None
    if requested is not None and pages[requested].url_path != current.url_path:
        st.switch_page(pages[requested])
    return next(key for key, page in pages.items() if page.url_path == current.url_path)


def day_option(day: date, lang: str, incomplete: frozenset[date]) -> str:
    """A day as the date slider names it: ``11 Jul 2021 · sebagian`` when it is incomplete."""
    label = format_date(day, lang)
    return f"{label} \u00b7 {t('filter.partial', lang)}" if day in incomplete else label


def date_slider(lang: str) -> date | None:
    """The build's date, the latest complete day by default; ``None`` when there is no data.

    Incomplete days carry "· sebagian" / "· partial" (:func:`day_option`)."""
    dates = data.available_dates()
    if not dates:
        st.sidebar.warning(t("filter.no_dates", lang))
        return None
    if st.session_state.get(DAY_KEY) not in dates:
        st.session_state[DAY_KEY] = data.default_day() or dates[-1]
    incomplete = frozenset(data.incomplete_days())
    if len(dates) == 1:
        st.sidebar.caption(f"{t('filter.date', lang)}: {day_option(dates[0], lang, incomplete)}")
        return dates[0]
    day = st.sidebar.select_slider(
        t("filter.date", lang),
        options=dates,
        format_func=lambda day: day_option(day, lang, incomplete),
        key=DAY_KEY,
    )
    if incomplete:
        st.sidebar.caption(t("filter.partial_note", lang))
    return day


def incomplete_day_notice(day: date | None, lang: str) -> None:
    """Say so above the page when ``day`` is incomplete, with the share that reported."""
    share = data.incomplete_share(day) if day is not None else None
    if share is None:
        return
    complete = data.default_day()
    key = "day.incomplete" if complete is not None and complete != day else "day.incomplete_none"
    text = t(
        key,
        lang,
        day=formats.date(day, lang),
        share=formats.percent(share, lang),
        complete=formats.date(complete, lang) if complete else "",
    )
    st.warning(text, icon=":material/hourglass_bottom:")


def region_selectors(lang: str) -> tuple[str, ...]:
    """Cascading selectors, province down to village; returns the selected path of codes."""
    path: list[str] = []
    for level, level_name in enumerate(LEVELS):
        names = dict(data.children(path[-1] if path else None))
        if not names:
            break
        key = region_key(level)
        if st.session_state.get(key) not in names:
            st.session_state[key] = ALL
        code = st.sidebar.selectbox(
            t(f"level.{level_name}", lang),
            options=[ALL, *names],
            format_func=lambda code, names=names: (
                t("region.all", lang) if code == ALL else names[code]
            ),
            key=key,
            on_change=_clear_below,
            args=(level,),
        )
        if code == ALL:
            break
        path.append(code)
    return tuple(path)


def request_region(code: str | None, *, marker: tuple[float, float] | None = None) -> None:
    """Open ``code`` (``None``: all of Indonesia) on the next run, optionally marking a point.

    Usable as a widget callback; from a page body, follow it with ``st.rerun()`` (the region
    selectors of this run already exist and cannot change).
    """
    st.session_state[_REQUESTED_REGION] = code or ALL
    st.session_state[MARKER_KEY] = marker
    st.session_state[ZONE_KEY] = None  # the user moves on from a zone a link opened


def request_page(page: str) -> None:
    """Switch to ``page`` (a key of ``PAGES``) on the next run; a widget callback.

    The language and the date are re-set from their own values first: a page switch keeps
    widget values set by code, not those only the browser holds.
    """
    for key in (LANG_KEY, DAY_KEY):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    st.session_state[_REQUESTED_PAGE] = page


def apply_requested_region() -> None:
    """Set the region selectors to the requested region (call before ``region_selectors``)."""
    code = st.session_state.pop(_REQUESTED_REGION, None)
    if code is None:
        return
    path = region_path(code, data.parent) if code != ALL else ()
    for level in range(len(LEVELS)):
        st.session_state[region_key(level)] = path[level] if level < len(path) else ALL


def marker() -> tuple[float, float] | None:
    """The point the user searched for, if any."""
    return st.session_state.get(MARKER_KEY)


def _clear_below(level: int) -> None:
    for deeper in range(level + 1, len(LEVELS)):
        st.session_state.pop(region_key(deeper), None)


def breadcrumb(region: tuple[str, ...], lang: str) -> None:
    """``Indonesia > DKI Jakarta > ...`` (with ``BREADCRUMB_SEPARATOR``) above the page."""
    names = [t("region.country", lang), *(data.region_name(code) for code in region)]
    st.caption(BREADCRUMB_SEPARATOR.join(escape_markdown(name) for name in names))


def breadcrumb_links(region: tuple[str, ...], lang: str) -> None:
    """Buttons that go back up to any level of the breadcrumb (the current one is left out)."""
    if not region:
        return
    targets = [(None, t("region.country", lang))]
    targets += [(code, data.region_name(code)) for code in region[:-1]]
    columns = st.columns(len(targets) + 1, gap="small")
    for column, (code, name) in zip(columns, targets, strict=False):
        column.button(
            name,
            icon=":material/arrow_upward:",
            key=f"up_{code or 'country'}",
            on_click=request_region,
            args=(code,),
            type="tertiary",
        )


def show_notices(lang: str) -> None:
    """Tell the user, once, which query parameters were ignored."""
    default = data.default_day()
    latest = format_date(default, lang) if default else "-"
    for notice in st.session_state.pop(_NOTICES, []):
        text = t(notice.key, lang, value=code_span(notice.value), latest=latest)
        st.info(text, icon=":material/info:")


def _seen() -> list[dict[str, str]]:
    return st.session_state.setdefault(_SEEN, [])


def _remember(params: Mapping[str, str]) -> None:
    """Keep ``params`` among the session's last :data:`SEEN_KEPT` URLs (for stale echoes)."""
    seen = [p for p in _seen() if p != dict(params)] + [dict(params)]
    st.session_state[_SEEN] = seen[-SEEN_KEPT:]


def publish(view: ViewState) -> None:
    """Make ``view`` the one pages read, and write it to the URL."""
    st.session_state[_VIEW] = view
    wanted = to_query_params(view)
    _remember(wanted)
    st.session_state[_PUBLISHED] = wanted
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def current_view() -> ViewState:
    """The view the frame published for this run (for pages)."""
    return st.session_state[_VIEW]


def day_label(view: ViewState) -> str:
    """The selected date as the user reads it ("" when there is no data)."""
    return format_date(view.day, view.lang) if view.day else ""


def region_label(view: ViewState) -> str:
    """The selected region's name, Markdown-escaped ("Indonesia" for the whole country)."""
    if view.region_code is None:
        return t("region.country", view.lang)
    return escape_markdown(data.region_name(view.region_code))
