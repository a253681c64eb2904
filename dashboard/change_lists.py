"""The lists of zones that changed (officials' page "What changed"), and their table.

Each zone of a list has a button that opens the risk map on the zone's finest region, with a
marker at the zone's centre (the same marker "Find my area" draws).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import filters
from dashboard.i18n import escape_markdown, t
from dashboard.panels import MARKDOWN_COLOURS

#: Zones listed with a button per list; all of them are in the table below the lists.
SHOWN = 15


def chip(risk: str, lang: str) -> str:
    """The colour's name on a badge of that colour, as Markdown."""
    colour = MARKDOWN_COLOURS.get(risk, "gray")
    return f":{colour}-badge[:material/hexagon: {t(f'risk.{risk}', lang)}]"


def _figure(value: object) -> str:
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:,.1f}".removesuffix(".0")
    return "—" if value is None else str(value)


def _open_on_map(row: pd.Series) -> None:
    """Open the map on the zone's region, marking its centre; the day stays the same."""
    point = (float(row["lat"]), float(row["lon"]))
    filters.request_region(row["region_code"], marker=None if math.isnan(point[0]) else point)
    filters.request_page("map")


def zone_list(frame: pd.DataFrame, *, lang: str, kind: str) -> None:
    """The first :data:`SHOWN` zones of ``frame``: colours before and after, where, why."""
    for n, (_, row) in enumerate(frame.head(SHOWN).iterrows()):
        label = escape_markdown(str(row["name"]))  # a hexagon by its place: it says where
        where = "" if pd.isna(row["region_name"]) else escape_markdown(str(row["region_name"]))
        named = row["name"] != row["label"]
        place = (
            t("changes.where", lang, region=where) if where and where != label and not named else ""
        )
        figures = t(
            "changes.figures",
            lang,
            cases=_figure(row["cases_7d"]),
            rate=_figure(row["cases_per_100k_7d"]),
        )
        with st.container(border=True):
            st.markdown(
                f"{chip(row['before'], lang)} → {chip(row['after'], lang)}  \n**{label}** {place}".rstrip()
            )
            st.caption(f"{escape_markdown(str(row['reason']), max_length=300)}  \n{figures}")
            st.button(
                t("changes.open", lang),
                key=f"open_{kind}_{n}",
                icon=":material/map:",
                type="tertiary",
                on_click=_open_on_map,
                args=(row,),
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
            t("column.cases_7d", lang): [_figure(v) for v in frame["cases_7d"]],
            t("column.rate", lang): [_figure(v) for v in frame["cases_per_100k_7d"]],
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
