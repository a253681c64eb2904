"""Officials' rule comparison on the risk map: the zones under the active rule and another
preset's, side by side, each map with its legend, and the zones whose colour differs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, filters, mapview, official_views, panels
from dashboard.i18n import t
from dashboard.view_state import ViewState

RULE_KEY = "compare_rule"
NONE = ""


def rule_picker(lang: str) -> str | None:
    """The "Compare with rule" selectbox; the chosen preset, or ``None`` for no comparison."""
    options = [NONE, *official_views.other_presets()]
    if st.session_state.get(RULE_KEY) not in options:
        st.session_state[RULE_KEY] = NONE
    choice = st.selectbox(
        t("compare.label", lang),
        options=options,
        format_func=lambda name: t("compare.none", lang) if name == NONE else name,
        key=RULE_KEY,
        help=t("compare.help", lang),
    )
    return choice or None


def differences_table(frame: pd.DataFrame, *, active: str, other: str, lang: str) -> pd.DataFrame:
    """The zones whose colour differs between two rules, as table rows in ``lang``."""
    table = pd.DataFrame(
        {
            t("column.zone", lang): frame["label"].astype(str),
            t("column.region", lang): frame["region_name"].fillna("").astype(str),
            t("compare.risk", lang, preset=active): [t(f"risk.{r}", lang) for r in frame["risk"]],
            t("compare.risk", lang, preset=other): [
                t(f"risk.{r}", lang) for r in frame["other_risk"]
            ],
            t("compare.reason", lang, preset=active): frame["reason"].astype(str),
            t("compare.reason", lang, preset=other): frame["other_reason"].astype(str),
        }
    )
    if (frame["label"] == frame["region_name"]).all():  # the country: zones are regions
        table = table.drop(columns=t("column.region", lang))
    return table


def side_by_side(view: ViewState, layers: data.MapLayers, preset: str) -> None:
    """Two maps (active rule | ``preset``), then how many zones differ and which."""
    lang, active = view.lang, official_views.active_preset()
    other = official_views.map_layers_under(preset, view.day, view.region_code, lang)
    columns = st.columns(2, gap="small")
    for column, name, shown in ((columns[0], active, layers), (columns[1], preset, other)):
        with column:
            label = "compare.active" if shown is layers else "compare.other"
            st.markdown(f"**{t(label, lang, preset=name)}**")
            result = mapview.show_map(
                shown.hexagons,
                outlines=shown.outlines,
                bounds=shown.bounds,
                lang=lang,
                key=f"compare_map-{name}-{view.region_code}-{view.day}-{lang}",
                marker=filters.marker(),
                height=440,
            )
            panels.follow_map_click(result, view.region_code)
    panels.map_notes(layers.resolution, lang)
    frame = official_views.rule_differences(preset, view.day, view.region_code, lang)
    total = len(layers.hexagons["features"])
    if frame.empty:
        st.success(t("compare.same", lang, total=total), icon=":material/check:")
        return
    st.subheader(t("compare.differ", lang, n=len(frame), total=total, preset=preset))
    table = differences_table(frame, active=active, other=preset, lang=lang)
    st.dataframe(table, hide_index=True)
