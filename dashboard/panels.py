"""Pieces of the risk map page: the zone card, find my area (and use my location), following a
click on the map, the summary panel."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard import data, filters, locate, mapview, session
from dashboard.i18n import code_span, escape_markdown, format_date, t
from dashboard.view_state import ViewState
from geo.errors import BuildError
from geo.formats import coordinate, display, number, percent
from geo.views import OFFICIAL, ZoneCard, is_valid_cell

SEARCH_KEY = "find_my_area"
#: The hexagon whose card is shown, with the region whose map it was clicked on (or opened).
CARD_KEY = "card_zone"
#: Streamlit Markdown colours closest to the map's fills.
MARKDOWN_COLOURS = {"red": "red", "orange": "orange", "green": "green", "no_data": "gray"}


def zone_card(view: ViewState) -> None:
    """The card of the hexagon last clicked on this region's map, else of the hexagon a link
    opened (``?zone=``), else of the selected region: name, colour as a band with words,
    reason, trend, what it means and what to do (nothing for the whole country: the summary
    covers it)."""
    lang = view.lang
    card = _clicked_card(view)
    if card is None and view.region_code is not None:
        card = data.zone_card(view.day, view.region_code, lang)
    if card is None:
        return
    colour = MARKDOWN_COLOURS.get(card.risk, "gray")
    with st.container(border=True, key="zone_card"):
        st.subheader(escape_markdown(card.name, max_length=120), anchor=False)
        band = t("card.colour", lang, colour=card.colour)
        st.markdown(f":{colour}-background[:material/hexagon: **{band[0].upper()}{band[1:]}**]")
        st.markdown(escape_markdown(card.reason, max_length=300))
        st.markdown(f"**{t('card.trend', lang)}**: {escape_markdown(card.trend_text)}")
        st.markdown(
            f"**{t('card.meaning', lang)}**: {escape_markdown(card.meaning, max_length=400)}"
        )
        st.markdown(f"**{t('card.todo', lang)}**: {escape_markdown(card.todo, max_length=600)}")


def _clicked_card(view: ViewState) -> ZoneCard | None:
    """The card of the hexagon clicked on the map of the region in view, or of the link's zone,
    if it has a row on the view's day (a hexagon quiet that day has none: the region's card
    stands)."""
    held = st.session_state.get(CARD_KEY)
    if held and held[1] == view.region_code:
        hexagon = held[0]
    elif view.zone is not None:
        hexagon = view.zone
    else:
        return None
    if view.day is None:
        return None
    try:
        return data.zone_card(view.day, hexagon, view.lang, region=view.region_code)
    except BuildError:
        return None


def find_my_area(lang: str) -> None:
    """A search box: a name or code lists matching regions, a coordinate opens its region; and
    the use-my-location button, which opens the region of the browser's position."""
    point = locate.my_location(lang)
    if point is not None:
        _open_point(point, lang)
    query = st.text_input(
        t("search.label", lang),
        key=SEARCH_KEY,
        placeholder=t("search.placeholder", lang),
        icon=":material/search:",
    ).strip()
    if not query:
        return
    point = data.parse_coordinates(query)
    if point is not None:
        _open_point(point, lang)
        return
    matches = data.find_regions(query)
    if not matches:
        st.info(t("search.none", lang, query=code_span(query)))
        return
    st.caption(t("search.results", lang))
    for match in matches:
        st.button(
            " \u203a ".join(match.path),
            key=f"match_{match.code}",
            on_click=_open_match,
            args=(match.code,),
            type="tertiary",
        )


def _open_match(code: str) -> None:
    filters.request_region(code)
    st.session_state[SEARCH_KEY] = ""
    st.session_state.pop(CARD_KEY, None)  # the card is the found region's


def _open_point(point: tuple[float, float], lang: str) -> None:
    lat, lon = point
    code = data.region_at(lat, lon)
    if code is None:
        st.info(t("search.outside", lang, lat=coordinate(lat), lon=coordinate(lon)))
        return
    if filters.marker() != point:
        filters.request_region(code, marker=point)
        st.session_state.pop(CARD_KEY, None)  # the card is the found region's
        st.rerun()
    region = escape_markdown(data.region_name(code))
    st.caption(
        t("search.found_point", lang, lat=coordinate(lat), lon=coordinate(lon), region=region)
    )


def follow_map_click(result: Mapping | None, region_code: str | None) -> None:
    """Open the region under a click on the map (the zone's ``code``, else the clicked point's)
    and, for a hexagon, its card: the page reruns so the card above the map shows it, and the
    click is marked on the map of the region it opens."""
    code, latlng = mapview.clicked(result)
    label = mapview.clicked_label(result)
    hexagon = label if label is not None and is_valid_cell(label) else None
    if code is None and latlng is not None:
        code = data.child_at(region_code, *latlng)
    if code is not None and code != region_code:
        try:
            data.region_name(code)
        except KeyError:
            code = None
    target = region_code if code is None or code == region_code else code
    new_card = hexagon is not None and st.session_state.get(CARD_KEY) != (hexagon, target)
    if new_card:
        st.session_state[CARD_KEY] = (hexagon, target)
    if target != region_code:
        filters.request_region(target, marker=latlng if hexagon else filters.marker())
        st.rerun()
    if new_card:
        st.rerun()


def map_notes(resolution: int | None, lang: str) -> None:
    """What the map draws: regencies for the country, else the hexagon resolution."""
    if resolution is None:
        st.caption(t("map.choropleth", lang))
    else:
        st.caption(f"{t('map.resolution', lang, resolution=resolution)} {t('map.absent', lang)}")


def region_summary(view: ViewState) -> None:
    """The selected region's colour, reason, cases and population by colour."""
    lang = view.lang
    summary = data.summary(view.day, view.region_code, lang)
    st.subheader(t("summary.heading", lang))
    colour = MARKDOWN_COLOURS.get(summary.risk, "gray")
    name = escape_markdown(summary.name)
    st.markdown(
        f"**{name}**  \n:{colour}[:material/hexagon:] **{t(f'risk.{summary.risk}', lang)}**"
    )
    st.caption(escape_markdown(summary.reason, max_length=300))
    st.metric(t("summary.cases_7d", lang), display(summary.cases_7d, lang))
    st.metric(t("summary.rate", lang), display(summary.cases_per_100k_7d, lang))
    st.markdown(f"**{t('summary.shares', lang)}**")
    for risk, share in summary.shares.items():
        share_text = percent(share, lang)
        st.markdown(
            f":{MARKDOWN_COLOURS[risk]}[:material/square:] {t(f'risk.{risk}', lang)}: {share_text}"
        )
    shown = format_date(summary.day, lang)
    st.caption(
        t("summary.data_until", lang, day=format_date(summary.data_until, lang), shown=shown)
    )
    if session.audience_for(view.region_code) != OFFICIAL:
        st.caption(t("summary.suppressed", lang, k=data.min_count()))
    hotspot_and_outlook(view)


def hotspot_and_outlook(view: ViewState) -> None:
    """The share of the region's population in hotspots, and next week's outlook (or why not)."""
    lang = view.lang
    figures = data.hotspot_figures(view.day, view.region_code, lang)
    share = percent(figures.share_hot, lang, 1)
    st.markdown(f"**{t('summary.hot_share', lang)}**: {share}")
    st.markdown(f"**{t('outlook.heading', lang)}** ({t('outlook.not_rule', lang)})")
    if not figures.outlook:
        st.caption(outlook_hidden_note(lang))
        return
    risk = str(figures.outlook["outlook_risk"])
    value = t(
        "outlook.value",
        lang,
        cases=display(figures.outlook["outlook_cases_7d"], lang),
        low=display(figures.outlook["outlook_low"], lang),
        high=display(figures.outlook["outlook_high"], lang),
        colour=t(f"risk.{risk}", lang),
    )
    st.markdown(f":{MARKDOWN_COLOURS.get(risk, 'gray')}[:material/hexagon:] {value}")


def outlook_hidden_note(lang: str) -> str:
    """Why the outlook is not shown: its backtest against persistence, in figures."""
    by = data.backtest_result().set_index("method")
    return t(
        "outlook.hidden",
        lang,
        acc_outlook=percent(by.at["outlook", "colour_accuracy"], lang, 1),
        acc_persistence=percent(by.at["persistence", "colour_accuracy"], lang, 1),
        mae_outlook=number(by.at["outlook", "mae_7d"], lang),
        mae_persistence=number(by.at["persistence", "mae_7d"], lang),
    )


def layer_switch(lang: str) -> str:
    """The map layer: risk, hotspot or next week's outlook (``risk`` when the outlook is hidden,
    with the reason shown)."""
    layer = st.radio(
        t("layer.label", lang),
        list(mapview.LAYERS),
        key="map_layer",
        format_func=lambda name: t(f"layer.{name}", lang),
        horizontal=True,
    )
    # One slot for the layer's note, whatever the layer: the map after it keeps its place in the
    # page, so switching layers redraws the map in its frame instead of making a second one.
    note = st.container()
    if layer == "hotspot":
        note.caption(t("hotspot.note", lang))
    if layer == "outlook" and not data.outlook_shown():
        note.info(outlook_hidden_note(lang), icon=":material/info:")
        return "risk"
    if layer == "outlook":
        note.caption(f"{t('outlook.heading', lang)}: {t('outlook.not_rule', lang)}")
    return str(layer)
