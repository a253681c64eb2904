"""Charts for the pages, built with Altair (bundled with Streamlit, so they draw offline)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from urllib.parse import quote

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.mapview import RISK_COLOURS
from geo.formats import d3_locales


def _rule(day: date | None) -> alt.Chart:
    selected = pd.DataFrame({"date": pd.to_datetime([day] if day else [])})
    return alt.Chart(selected).mark_rule(color="#d7301f", strokeDash=[4, 4]).encode(x="date:T")


#: Shading of incomplete days (:func:`geo.trends.incomplete_spans`).
INCOMPLETE_COLOUR = "#9e9e9e"
INCOMPLETE_OPACITY = 0.3


def _incomplete(spans: pd.DataFrame | None, lang: str) -> list[alt.Chart]:
    """A grey band over each run of incomplete days, with its legend entry (none when every
    day is complete)."""
    if spans is None or spans.empty:
        return []
    label = t("trends.incomplete", lang)
    band = (
        alt.Chart(spans.assign(label=label))
        .mark_rect(opacity=INCOMPLETE_OPACITY)
        .encode(
            x="start:T",
            x2="end:T",
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(domain=[label], range=[INCOMPLETE_COLOUR]),
                legend=alt.Legend(orient="top", symbolOpacity=INCOMPLETE_OPACITY),
            ),
        )
    )
    return [band]


def _x(lang: str) -> alt.X:
    return alt.X("date:T", title=t("trends.date", lang), axis=alt.Axis(format="%d %b"))


def localised(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """``chart`` with the number and date formats of ``lang`` (Babel's, as d3 locales):
    axes read ``40.000`` and ``11 Jul`` in Bahasa, ``40,000`` and ``11 Jul`` in English."""
    numbers, times = d3_locales(lang)
    return chart.configure(locale=alt.Locale(number=numbers, time=times))


def daily_cases_chart(
    series: pd.DataFrame,
    *,
    day: date | None,
    lang: str,
    incomplete: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """New cases per day as bars (``new_cases``) with the 7-day average as a line
    (``cases_avg_7d``) and a rule at the selected ``day``. Missing values are not drawn;
    ``incomplete`` days (``start``, ``end``) are shaded grey, with a legend entry."""
    cases = series.rename(columns={"cases": "new_cases"})
    if "new_cases_label" not in cases:
        cases = cases.assign(new_cases_label="")
    date_tip = alt.Tooltip("date:T", title=t("trends.date", lang), format="%d %B %Y")
    bars = (
        alt.Chart(cases)
        .mark_bar(color="#90a4ae")
        .encode(
            x=_x(lang),
            y=alt.Y("new_cases:Q", title=t("trends.cases", lang)),
            tooltip=[date_tip, alt.Tooltip("shown:N", title=t("trends.cases", lang))],
        )
        # a published count in the chart's locale; a hidden one keeps geo's "< k"
        .transform_calculate(
            shown="isValid(datum.new_cases) ? format(datum.new_cases, ',.0f') "
            ": datum.new_cases_label"
        )
    )
    layers = [*_incomplete(incomplete, lang), bars]
    if "cases_avg_7d" in cases:
        line = (
            alt.Chart(cases)
            .mark_line(color="#d7301f", strokeWidth=2.5)
            .encode(
                x="date:T",
                y="cases_avg_7d:Q",
                tooltip=[
                    date_tip,
                    alt.Tooltip("cases_avg_7d:Q", title=t("trends.average", lang), format=",.1f"),
                ],
            )
        )
        layers.append(line)
    return localised(alt.layer(*layers, _rule(day)), lang)


def checkins_chart(series: pd.DataFrame, *, day: date | None, lang: str) -> alt.LayerChart:
    """Check-ins per day (officials only)."""
    line = (
        alt.Chart(series)
        .mark_line(color="#3949ab")
        .encode(x=_x(lang), y=alt.Y("checkins:Q", title=t("trends.checkins", lang)))
    )
    return localised(alt.layer(line, _rule(day)), lang)


def shares_chart(
    shares: pd.DataFrame,
    *,
    day: date | None,
    lang: str,
    incomplete: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Share of the population in each zone colour over time, stacked to 100 %, with the
    ``incomplete`` days shaded over it."""
    frame = shares.assign(label=[t(f"risk.{risk}", lang) for risk in shares["risk"]])
    order = [t(f"risk.{risk}", lang) for risk in RISK_COLOURS]
    area = (
        alt.Chart(frame)
        .mark_area()
        .encode(
            x=_x(lang),
            y=alt.Y(
                "share:Q",
                stack="normalize",
                title=t("trends.share", lang),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "label:N",
                title=t("risk.legend_title", lang),
                scale=alt.Scale(domain=order, range=list(RISK_COLOURS.values())),
                sort=order,
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("date:T", title=t("trends.date", lang), format="%d %B %Y"),
                alt.Tooltip("label:N", title=t("risk.legend_title", lang)),
                alt.Tooltip("share:Q", title=t("trends.share", lang), format=".0%"),
            ],
        )
        .transform_calculate(order=f"indexof({order!r}, datum.label)")
    )
    layers = alt.layer(area, *_incomplete(incomplete, lang), _rule(day))
    return localised(layers.resolve_scale(color="independent"), lang)


#: Size of a sparkline in the comparison table (pixels) and its line's colour.
SPARK_WIDTH, SPARK_HEIGHT = 112, 28
SPARK_COLOUR = "#d7301f"


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The unbroken runs of shown values: a hidden (``None``/NaN) value ends a run."""
    runs: list[list[tuple[int, float]]] = [[]]
    for n, value in enumerate(values):
        if value is None or math.isnan(value):
            runs.append([])
        else:
            runs[-1].append((n, float(value)))
    return [run for run in runs if run]


def sparkline(values: Sequence[float | None]) -> str:
    """A sparkline as an SVG data URL, with a gap wherever a value is hidden.

    Streamlit's ``LineChartColumn`` cannot draw a gap: a list holding ``None`` or NaN becomes an
    error cell that shows the list as text (``,,,,18.1,``). The line runs from 0 (bottom) to the
    largest shown value (top); a shown value between two hidden ones is a dot. When no value is
    shown, a faint dashed baseline (an empty cell would read "None").
    """
    runs = _runs(values)
    top = max((value for run in runs for _, value in run), default=0.0) or 1.0
    step = (SPARK_WIDTH - 4) / max(len(values) - 1, 1)

    def xy(n: int, value: float) -> tuple[str, str]:
        return f"{2 + n * step:.1f}", f"{SPARK_HEIGHT - 2 - value / top * (SPARK_HEIGHT - 4):.1f}"

    shapes = [
        '<polyline points="{}"/>'.format(" ".join(",".join(xy(n, v)) for n, v in run))
        if len(run) > 1
        else '<circle cx="{}" cy="{}" r="2" fill="{}"/>'.format(*xy(*run[0]), SPARK_COLOUR)
        for run in runs
    ]
    if not runs:
        bottom = SPARK_HEIGHT - 2
        shapes = [
            f'<line x1="2" y1="{bottom}" x2="{SPARK_WIDTH - 2}" y2="{bottom}" stroke="#9e9e9e" '
            'stroke-dasharray="3 3"/>'
        ]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}">'
        f'<g fill="none" stroke="{SPARK_COLOUR}" stroke-width="1.5">{"".join(shapes)}</g></svg>'
    )
    return "data:image/svg+xml;utf8," + quote(svg)


def comparison_table(children: pd.DataFrame, *, lang: str) -> dict:
    """Arguments for ``st.dataframe``: child regions with risk, cases, rate and a sparkline
    (:func:`sparkline`: an image, since a hidden day must be a gap)."""
    frame = pd.DataFrame(
        {
            t("column.region", lang): children["name"],
            t("column.risk", lang): [t(f"risk.{risk}", lang) for risk in children["risk"]],
            t("column.cases_7d", lang): children["cases_7d"],
            t("column.rate", lang): children["cases_per_100k_7d"],
            t("column.trend", lang): [sparkline(values) for values in children["trend"]],
            t("column.reason", lang): children["reason"],
        }
    )
    column_config = {
        t("column.trend", lang): st.column_config.ImageColumn(
            t("column.trend", lang), help=t("column.trend_help", lang)
        ),
    }
    return {"data": frame, "column_config": column_config}


def category_table(by_category: pd.DataFrame, *, lang: str) -> dict:
    """Arguments of ``st.dataframe`` for check-ins by venue category (officials only)."""
    names = {
        "category": t("column.category", lang),
        "checkins_7d": t("column.checkins_7d", lang),
        "exposed_checkins_7d": t("column.exposed_7d", lang),
        "exposed_pct_7d": t("column.exposed_pct", lang),
    }
    config = {
        "checkins_7d": st.column_config.NumberColumn(names["checkins_7d"], format="%d"),
        "exposed_checkins_7d": st.column_config.NumberColumn(
            names["exposed_checkins_7d"], format="%d"
        ),
        "exposed_pct_7d": st.column_config.NumberColumn(names["exposed_pct_7d"], format="%.1f %%"),
        "category": st.column_config.TextColumn(names["category"]),
    }
    return {"data": by_category, "column_config": config}
