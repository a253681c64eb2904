"""The lists of zones that changed (officials' page "What changed"), and their table.

Each zone of a list has a link, "Open on the map", to the view that lands on it
(``?page=map&region=…&date=…&zone=<cell>&lang=…``, :mod:`dashboard.view_state`): the hexagon at
its own resolution, centred, outlined, with a marker at its centre. It follows in the same
session (an official stays signed in) and can be copied and shared. A regency of the whole
country opens as its own region.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import escape_markdown, t
from dashboard.panels import MARKDOWN_COLOURS
from dashboard.view_state import ViewState
from geo.formats import display

#: Zones listed with a link per list; all of them are in the table below the lists.
SHOWN = 15
#: The risk map's page file (as ``dashboard/app.py`` registers it), the links' target.
MAP_PAGE = "app_pages/risk_map.py"


def chip(risk: str, lang: str) -> str:
    """The colour's name on a badge of that colour, as Markdown."""
    colour = MARKDOWN_COLOURS.get(risk, "gray")
    return f":{colour}-badge[:material/hexagon: {t(f'risk.{risk}', lang)}]"


def map_link(row: pd.Series, view: ViewState) -> dict[str, str]:
    """The query parameters of the map view that lands on the zone of ``row`` (of
    :func:`geo.changes.what_changed` for ``view``'s region and day)."""
    params = {"page": "map", "lang": view.lang}
    if view.day is not None:
        params["date"] = view.day.isoformat()
    if view.region_code is None:  # the country: the zone is a regency, opened as a region
        return {**params, "region": str(row["zone"])}
    return {**params, "region": view.region_code, "zone": str(row["zone"])}


def zone_list(frame: pd.DataFrame, *, view: ViewState) -> None:
    """The first :data:`SHOWN` zones of ``frame``: colours before and after, where, why."""
    lang = view.lang
    for _, row in frame.head(SHOWN).iterrows():
        label = escape_markdown(str(row["name"]))  # a hexagon by its place: it says where
        where = "" if pd.isna(row["region_name"]) else escape_markdown(str(row["region_name"]))
        named = row["name"] != row["label"]
        place = (
            t("changes.where", lang, region=where) if where and where != label and not named else ""
        )
        figures = t(
            "changes.figures",
            lang,
            cases=display(row["cases_7d"], lang),
            rate=display(row["cases_per_100k_7d"], lang),
        )
        with st.container(border=True):
            st.markdown(
                f"{chip(row['before'], lang)} → {chip(row['after'], lang)}  \n**{label}** {place}".rstrip()
            )
            st.caption(f"{escape_markdown(str(row['reason']), max_length=300)}  \n{figures}")
            st.page_link(
                MAP_PAGE,
                label=t("changes.open", lang),
                icon=":material/map:",
                query_params=map_link(row, view),
            )
    if len(frame) > SHOWN:
        st.caption(t("changes.more", lang, shown=SHOWN, n=len(frame)))


def changes_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every changed zone as table rows in ``lang`` (the lists' text alternative)."""
    table = pd.DataFrame(
        {
            t("column.zone", lang): frame["name"].astype(str),
            t("column.region", lang): frame["region_name"].fillna("").astype(str),
            t("column.change", lang): [t(f"change.{c}", lang) for c in frame["change"]],
            t("column.before", lang): [t(f"risk.{r}", lang) for r in frame["before"]],
            t("column.after", lang): [t(f"risk.{r}", lang) for r in frame["after"]],
            t("column.reason", lang): frame["reason"].astype(str),
            t("column.cases_7d", lang): [display(v, lang) for v in frame["cases_7d"]],
            t("column.rate", lang): [display(v, lang) for v in frame["cases_per_100k_7d"]],
        }
    )
    if (frame["label"] == frame["region_name"]).all():  # the country: zones are regions
        table = table.drop(columns=t("column.region", lang))
    return table


def hotspot_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """New hotspots (:func:`geo.hotspot_views.new_hotspots`) as a table in ``lang``."""
    return pd.DataFrame(
        {
            t("column.zone", lang): frame["zone"].astype(str),
            t("column.hotspot_before", lang): [
                t(f"hotspot.{state}", lang) for state in frame["hotspot_before"]
            ],
            t("column.hotspot", lang): [t(f"hotspot.{state}", lang) for state in frame["hotspot"]],
            t("column.risk", lang): [t(f"risk.{risk}", lang) for risk in frame["risk"]],
        }
    )
