"""Charts for the pages, built with Altair (bundled with Streamlit, so they draw offline)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from dashboard.i18n import t


def daily_cases_chart(cases: pd.DataFrame, *, day: date | None, lang: str) -> alt.LayerChart:
    """New cases per day (columns ``date``, ``cases``) with a rule at the selected ``day``."""
    line = (
        alt.Chart(cases)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=t("trends.date", lang), axis=alt.Axis(format="%d/%m")),
            y=alt.Y("cases:Q", title=t("trends.cases", lang)),
            tooltip=[
                alt.Tooltip("date:T", title=t("trends.date", lang), format="%Y-%m-%d"),
                alt.Tooltip("cases:Q", title=t("trends.cases", lang)),
            ],
        )
    )
    selected = pd.DataFrame({"date": pd.to_datetime([day] if day else [])})
    rule = alt.Chart(selected).mark_rule(color="#d7301f", strokeDash=[4, 4]).encode(x="date:T")
    return alt.layer(line, rule)
