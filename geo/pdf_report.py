"""The printed zone report: a PDF in Bahasa Indonesia or English, rendered without tiles.

Page 1 leads with the headline card (the region's colour in words, why, cases in 7 days, the
rate per 100,000, the trend against last week, what it means and what to do under the rule in
force, :mod:`geo.guidance`) above a static map of the zones in the map's colours
(:mod:`geo.palette`); page 2 holds the trend charts (Altair, rendered by vl-convert); then the
child regions, what changed, the method and the sources flow on as many pages as they need.
Public reports show published figures only (:func:`geo.privacy.public_frame`). Numbers and
dates are in the report's language (:mod:`geo.formats`).
"""

from __future__ import annotations

import io
import math
import textwrap

import altair as alt
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import vl_convert as vlc
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from geo import buildread, hotspot_views, reference, trends
from geo.card_text import Headline, trend_words
from geo.columns import Out
from geo.formats import d3_locales, number, published
from geo.formats import date as long_date
from geo.guidance import guidance
from geo.headline import headline
from geo.method import method_rows
from geo.palette import RISK_COLOURS
from geo.pdf_words import WORDS
from geo.privacy import OFFICIAL, public_frame
from geo.reports import ZoneReport

A4 = (8.27, 11.69)
LEFT, TOP, BOTTOM = 0.07, 0.95, 0.05


def headline_lines(report: ZoneReport, head: Headline) -> dict[str, str]:
    """The card's texts: colour, reason, figures, trend, meaning and what to do."""
    lang, k = report.lang, report.build.min_count
    words = WORDS[lang]
    state = words["state"][head.risk]
    cases = (
        words["fewer"].format(k=k)
        if math.isnan(head.cases_7d)
        else words["cases"].format(n=number(head.cases_7d, lang))
    )
    figures = cases
    if not math.isnan(head.cases_per_100k_7d):
        figures += ", " + words["rate"].format(r=number(head.cases_per_100k_7d, lang))
    trend = trend_words(head, lang)  # the card's words, defined once
    advice = guidance(report.build.config.name, head.risk, lang)
    return {
        "colour": words["zone_on"].format(state=state, day=long_date(report.date_to, lang)),
        "reason": words["because"].format(figures=figures),
        "cases": published(head.cases_7d, k, lang),
        "rate": number(head.cases_per_100k_7d, lang),
        "trend": trend,
        "meaning": advice.meaning,
        "todo": advice.todo,
    }


def _wrap(text: str, size: float, width: float = 0.86) -> list[str]:
    """``text`` in lines that fit ``width`` of the page at ``size`` points."""
    return textwrap.wrap(text, int(width * A4[0] * 72 / (size * 0.56))) or [""]


def _figures(fig: Figure, lines: dict[str, str], words: dict) -> None:
    """The card's reason line and its three figures: cases, rate and trend."""
    fig.text(LEFT, 0.785, lines["reason"], fontsize=11, va="top")
    y = 0.745
    for i, (label, key) in enumerate(
        (("cases_label", "cases"), ("rate_label", "rate"), ("trend_label", "trend"))
    ):
        x = LEFT + i * 0.23
        fig.text(x, y, words[label], fontsize=8, color="#424242", va="top")
        size = 16 if key != "trend" else 10
        for j, line in enumerate(_wrap(lines[key], size, 0.40 if key == "trend" else 0.22)):
            fig.text(x, y - 0.017 - j * 0.016, line, fontsize=size, weight="bold", va="top")


def _card(fig: Figure, report: ZoneReport, lines: dict[str, str], risk: str) -> float:
    """Draw the headline card from the top; return the height left below it."""
    words = WORDS[report.lang]
    colour = RISK_COLOURS.get(risk, RISK_COLOURS["no_data"])
    fig.patches.append(
        Rectangle((LEFT, 0.80), 0.86, 0.045, transform=fig.transFigure, color=colour)
    )
    fig.text(
        LEFT + 0.015,
        0.8225,
        lines["colour"].upper(),
        fontsize=15,
        weight="bold",
        color="white",
        va="center",
    )
    _figures(fig, lines, WORDS[report.lang])
    y = 0.68
    for key in ("meaning", "todo"):
        fig.text(LEFT, y, words[key], fontsize=10, weight="bold", va="top")
        y -= 0.019
        for line in _wrap(lines[key], 9.5):
            fig.text(LEFT, y, line, fontsize=9.5, va="top")
            y -= 0.016
        y -= 0.006
    box = FancyBboxPatch(
        (LEFT - 0.015, y),
        0.89,
        0.86 - y,
        boxstyle="round,pad=0.005",
        transform=fig.transFigure,
        facecolor="none",
        edgecolor=colour,
        linewidth=1.5,
    )
    fig.patches.append(box)
    return y - 0.01


def _map(fig: Figure, report: ZoneReport, top: float) -> None:
    words = WORDS[report.lang]
    ax = fig.add_axes((0.06, 0.03, 0.88, top - 0.06))
    level = buildread.level_of(report.build, report.region_code)
    outline = reference.boundaries(level)
    outline = outline[outline["code"] == report.region_code]
    child_level = {"province": "regency", "regency": "district", "district": "village"}.get(level)
    if child_level and not (child_level == "village" and not report.region_code.startswith("31")):
        kids = reference.boundaries(child_level)
        kids = kids[kids["parent_code"] == report.region_code]
        kids.boundary.plot(ax=ax, color="#9e9e9e", linewidth=0.4)
    latest = report.latest
    if len(latest):
        fills = [RISK_COLOURS.get(r, RISK_COLOURS["no_data"]) for r in latest[Out.RISK]]
        latest.plot(ax=ax, color=fills, linewidth=0)
    outline.boundary.plot(ax=ax, color="#212121", linewidth=1.0)
    day = long_date(report.date_to, report.lang)
    ax.set_title(words["map"].format(day=day, res=report.resolution), fontsize=10)
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles = [
        Rectangle((0, 0), 1, 1, color=c, label=words["state"][s]) for s, c in RISK_COLOURS.items()
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=4,
        fontsize=8,
        frameon=False,
    )


def _cover(pdf: PdfPages, report: ZoneReport) -> None:
    words = WORDS[report.lang]
    lang = report.lang
    fig = plt.figure(figsize=A4)
    fig.text(
        LEFT,
        0.955,
        f"{words['title']} · {words['audience'][report.audience]}",
        fontsize=11,
        color="#424242",
    )
    fig.text(
        LEFT,
        0.93,
        f"{report.region_name} ({report.region_code})",
        fontsize=17,
        weight="bold",
        va="top",
    )
    period = words["period"].format(
        first=long_date(report.date_from, lang), last=long_date(report.date_to, lang)
    )
    data = words["data_date"].format(day=long_date(report.data_date, lang))
    fig.text(LEFT, 0.893, f"{period}   ·   {data}", fontsize=9, va="top")
    head = headline(report.build, report.region_code, report.date_to, audience=report.audience)
    top = _card(fig, report, headline_lines(report, head), head.risk)
    _map(fig, report, top)
    pdf.savefig(fig)
    plt.close(fig)


def _chart_png(chart: alt.TopLevelMixin, lang: str) -> bytes:
    numbers, times = d3_locales(lang)
    return vlc.vegalite_to_png(
        chart.to_json(), scale=2, format_locale=numbers, time_format_locale=times
    )


def _charts(report: ZoneReport) -> tuple[alt.LayerChart, alt.Chart]:
    """The daily cases and the shares of population by colour over the report's period."""
    words = WORDS[report.lang]
    first, last = pd.Timestamp(report.date_from), pd.Timestamp(report.date_to)
    daily = trends.daily_series(report.build, report.region_code, audience=report.audience)
    daily = daily[(daily["date"] >= first) & (daily["date"] <= last)]
    shares = trends.share_series(report.build, report.region_code)
    shares = shares[
        (pd.to_datetime(shares["date"]) >= first) & (pd.to_datetime(shares["date"]) <= last)
    ]
    days = alt.TimeIntervalStep(interval="day", step=1)
    axis = alt.X("date:T", title=None, axis=alt.Axis(format="%-d %b", tickCount=days))
    base = alt.Chart(daily).encode(x=axis)
    cases = base.mark_bar(color="#9ecae1").encode(
        y=alt.Y("new_cases:Q", title=None)
    ) + base.mark_line(color="#08519c").encode(y="cases_avg_7d:Q")
    cases = cases.properties(width=520, height=220, title=words["new_cases"])
    states = words["state"]
    long = shares.assign(risk=shares["risk"].astype(str).map(states))
    stacked = (
        alt.Chart(long)
        .mark_area()
        .encode(
            x=axis,
            y=alt.Y("share:Q", stack="normalize", title=None, axis=alt.Axis(format="%")),
            color=alt.Color(
                "risk:N",
                scale=alt.Scale(
                    domain=[states[s] for s in RISK_COLOURS], range=list(RISK_COLOURS.values())
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=520, height=220, title=words["shares"])
    )
    return cases, stacked


def _trends(pdf: PdfPages, report: ZoneReport) -> None:
    words = WORDS[report.lang]
    cases, stacked = _charts(report)
    fig = plt.figure(figsize=A4)
    fig.text(LEFT, 0.955, words["trends"], fontsize=16, weight="bold")
    for top, chart in ((0.52, cases), (0.06, stacked)):
        ax = fig.add_axes((0.05, top, 0.9, 0.40))
        ax.imshow(plt.imread(io.BytesIO(_chart_png(chart, report.lang)), format="png"))
        ax.set_axis_off()
    pdf.savefig(fig)
    plt.close(fig)


class _Flow:
    """Text and table rows placed down the page, a new page when one is full."""

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf, self.y = pdf, 0.0
        self.fig: Figure | None = None

    def _room(self, height: float) -> Figure:
        """The page with ``height`` left below ``y`` (a new page when the current one is full)."""
        if self.fig is None or self.y - height < BOTTOM:
            self.close()
            self.fig, self.y = plt.figure(figsize=A4), TOP
        return self.fig

    def text(self, text: str, *, size: float = 8, bold: bool = False, gap: float = 0.0) -> None:
        step = size * 1.5 / 72 / A4[1]
        if bold:  # a heading keeps a few lines of what follows on its page
            self._room(step + 0.06)
        for i, line in enumerate(_wrap(text, size)):
            fig = self._room(step)
            weight = "bold" if bold else "normal"
            indent = 0.02 if i else 0.0
            fig.text(LEFT + indent, self.y, line, fontsize=size, weight=weight, va="top")
            self.y -= step
        self.y -= gap

    def row(self, cells: list[str], xs: list[float], *, bold: bool = False) -> None:
        step = 7.5 * 1.6 / 72 / A4[1]
        fig = self._room(step)
        for cell, x in zip(cells, xs, strict=True):
            fig.text(x, self.y, cell, fontsize=7.5, weight="bold" if bold else "normal", va="top")
        self.y -= step

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            plt.close(self.fig)
            self.fig = None


def _children(flow: _Flow, report: ZoneReport, limit: int = 40) -> None:
    lang = report.lang
    words = WORDS[lang]
    frame = buildread.regions_on(report.build, report.date_to, report.region_code)
    if frame.empty:
        return
    if report.audience != OFFICIAL:  # published figures only
        frame = public_frame(frame, report.build.config.privacy)
    shown = frame
    flow.text(
        words["children"].format(day=long_date(report.date_to, lang)), size=13, bold=True, gap=0.006
    )
    xs = [LEFT, LEFT + 0.14, LEFT + 0.48, LEFT + 0.62, LEFT + 0.76]
    flow.row(words["children_head"], xs, bold=True)
    k = report.build.min_count
    for row in shown.head(limit).itertuples(index=False):
        cases = getattr(row, Out.CASES_7D)
        flow.row(
            [
                str(getattr(row, Out.REGION_CODE)),
                textwrap.shorten(str(row.name), 45, placeholder="…"),
                words["state"][str(getattr(row, Out.RISK))],
                published(cases, k, lang),
                number(getattr(row, Out.CASES_PER_100K_7D), lang),
            ],
            xs,
        )
    if len(shown) > limit:
        flow.text(words["more"].format(n=len(shown) - limit), size=7.5)
    flow.y -= 0.02


def _changes(flow: _Flow, report: ZoneReport, limit: int = 30) -> None:
    words = WORDS[report.lang]
    flow.text(words["changes"], size=13, bold=True, gap=0.006)
    changes = report.changes
    if changes.empty:
        flow.text(words["no_changes"], size=9)
    else:
        xs = [LEFT, LEFT + 0.22, LEFT + 0.40, LEFT + 0.58]
        flow.row(words["changes_head"], xs, bold=True)
        for row in changes.head(limit).itertuples(index=False):
            states = [words["state"].get(str(s), str(s)) for s in (row.before, row.after)]
            flow.row([str(row.cell), *states, words["change"].get(row.change, row.change)], xs)
        if len(changes) > limit:
            flow.text(words["more"].format(n=len(changes) - limit), size=7.5)
    flow.y -= 0.02


def _hotspot_lines(flow: _Flow, report: ZoneReport) -> None:
    """Hotspots and next week's outlook (or why it is not shown), under the method."""
    heading, *lines = hotspot_views.report_lines(
        report.build,
        report.date_to,
        report.region_code,
        resolution=report.resolution,
        audience=report.audience,
        lang=report.lang,
    )
    flow.y -= 0.01
    flow.text(heading, size=11, bold=True, gap=0.004)
    day = long_date(report.date_to, report.lang)
    for text in lines:
        flow.text(text.replace(report.date_to.isoformat(), day))


def render(report: ZoneReport) -> bytes:
    """The report as PDF bytes (metadata without dates, so the same report gives the same text)."""
    words = WORDS[report.lang]
    buffer = io.BytesIO()
    metadata = {"Title": f"{words['title']}: {report.region_name}", "CreationDate": None}
    with PdfPages(buffer, metadata=metadata) as pdf:
        _cover(pdf, report)
        _trends(pdf, report)
        flow = _Flow(pdf)
        _children(flow, report)
        _changes(flow, report)
        flow.text(words["method"], size=13, bold=True, gap=0.006)
        for key, text in method_rows(report):
            flow.text(f"{key}: {text}")
        _hotspot_lines(flow, report)
        flow.close()
    return buffer.getvalue()
