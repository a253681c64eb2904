"""The printed zone report: a PDF in Bahasa Indonesia or English, rendered without tiles.

Page 1 holds the title, region, period, data date and a static map of the zones over the region
outlines; page 2 the trend charts (Altair, rendered by vl-convert); page 3 the child regions and
what changed; page 4 the method and sources.
"""

from __future__ import annotations

import io
import textwrap

import altair as alt
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import vl_convert as vlc
from matplotlib.backends.backend_pdf import PdfPages

from geo import hotspot_views, reference, trends, zones
from geo.columns import Out
from geo.method import method_rows
from geo.reports import ZoneReport

COLOURS = {"red": "#d7301f", "orange": "#fd8d3c", "green": "#41ab5d", "no_data": "#bdbdbd"}
A4 = (8.27, 11.69)
WORDS = {
    "id": {
        "title": "Laporan Zona PantauZona",
        "period": "Periode",
        "data_date": "Data sampai",
        "audience": {"public": "publik", "official": "petugas"},
        "map": "Zona pada {day} (H3 resolusi {res})",
        "trends": "Tren",
        "new_cases": "Kasus baru per hari dan rata-rata 7 hari",
        "shares": "Bagian penduduk menurut warna zona",
        "children": "Wilayah di bawahnya",
        "changes": "Yang berubah dalam 7 hari terakhir",
        "no_changes": "Tidak ada zona yang berubah warna.",
        "method": "Metode dan sumber",
        "state": {
            "red": "merah",
            "orange": "oranye",
            "green": "hijau",
            "no_data": "tidak ada data",
        },
        "worse": "memburuk",
        "better": "membaik",
        "other": "lainnya",
    },
    "en": {
        "title": "PantauZona zone report",
        "period": "Period",
        "data_date": "Data up to",
        "audience": {"public": "public", "official": "officials"},
        "map": "Zones on {day} (H3 resolution {res})",
        "trends": "Trends",
        "new_cases": "Daily new cases and 7-day average",
        "shares": "Share of population by zone colour",
        "children": "Regions below",
        "changes": "What changed in the last 7 days",
        "no_changes": "No zone changed colour.",
        "method": "Method and sources",
        "state": {"red": "red", "orange": "orange", "green": "green", "no_data": "no data"},
        "worse": "worse",
        "better": "better",
        "other": "other",
    },
}


def _page(pdf: PdfPages) -> plt.Figure:
    return plt.figure(figsize=A4)


def _cover(pdf: PdfPages, report: ZoneReport, words: dict) -> None:
    fig = _page(pdf)
    fig.text(0.08, 0.95, words["title"], fontsize=18, weight="bold")
    fig.text(0.08, 0.915, f"{report.region_name} ({report.region_code})", fontsize=14)
    fig.text(
        0.08,
        0.89,
        f"{words['period']}: {report.date_from} to {report.date_to}   ·   "
        f"{words['data_date']}: {report.data_date}   ·   {words['audience'][report.audience]}",
        fontsize=9,
    )
    ax = fig.add_axes([0.06, 0.08, 0.88, 0.77])
    level = zones.level_of(report.build, report.region_code)
    outline = reference.boundaries(level)
    outline = outline[outline["code"] == report.region_code]
    child_level = {"province": "regency", "regency": "district", "district": "village"}.get(level)
    if child_level and not (child_level == "village" and not report.region_code.startswith("31")):
        kids = reference.boundaries(child_level)
        kids = kids[kids["parent_code"] == report.region_code]
        kids.boundary.plot(ax=ax, color="#9e9e9e", linewidth=0.4)
    latest = report.latest
    if len(latest):
        latest.plot(ax=ax, color=[COLOURS.get(r, "#bdbdbd") for r in latest[Out.RISK]], linewidth=0)
    outline.boundary.plot(ax=ax, color="#212121", linewidth=1.0)
    ax.set_title(words["map"].format(day=report.date_to, res=report.resolution), fontsize=10)
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c, label=words["state"][s]) for s, c in COLOURS.items()
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    pdf.savefig(fig)
    plt.close(fig)


def _chart_png(chart: alt.Chart) -> bytes:
    return vlc.vegalite_to_png(chart.to_json(), scale=2)


def _trends(pdf: PdfPages, report: ZoneReport, words: dict) -> None:
    first, last = pd.Timestamp(report.date_from), pd.Timestamp(report.date_to)
    daily = trends.daily_series(report.build, report.region_code, audience=report.audience)
    daily = daily[(daily["date"] >= first) & (daily["date"] <= last)]
    shares = trends.share_series(report.build, report.region_code)
    shares = shares[
        (pd.to_datetime(shares["date"]) >= first) & (pd.to_datetime(shares["date"]) <= last)
    ]
    base = alt.Chart(daily).encode(x=alt.X("date:T", title=None))
    cases = base.mark_bar(color="#9ecae1").encode(
        y=alt.Y("new_cases:Q", title=None)
    ) + base.mark_line(color="#08519c").encode(y="cases_avg_7d:Q")
    cases = cases.properties(width=520, height=220, title=words["new_cases"])
    long = shares.assign(risk=shares["risk"].astype(str))
    stacked = (
        alt.Chart(long)
        .mark_area()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("share:Q", stack="normalize", title=None, axis=alt.Axis(format="%")),
            color=alt.Color(
                "risk:N",
                scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
                legend=alt.Legend(title=None),
            ),
        )
        .properties(width=520, height=220, title=words["shares"])
    )
    fig = _page(pdf)
    fig.text(0.08, 0.95, words["trends"], fontsize=16, weight="bold")
    for top, chart in ((0.52, cases), (0.08, stacked)):
        ax = fig.add_axes([0.05, top, 0.9, 0.38])
        ax.imshow(plt.imread(io.BytesIO(_chart_png(chart)), format="png"))
        ax.set_axis_off()
    pdf.savefig(fig)
    plt.close(fig)


def _table(ax: plt.Axes, frame: pd.DataFrame, columns: list[str], widths: list[int]) -> None:
    ax.set_axis_off()
    if frame.empty:
        return
    cells = [
        [textwrap.shorten(str(v), w, placeholder="…") for v, w in zip(row, widths, strict=True)]
        for row in frame[columns].astype(str).itertuples(index=False)
    ]
    table = ax.table(cellText=cells, colLabels=columns, loc="upper left", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(6.5)
    table.auto_set_column_width(list(range(len(columns))))


def _children_and_changes(pdf: PdfPages, report: ZoneReport, words: dict) -> None:
    fig = _page(pdf)
    fig.text(0.06, 0.96, words["children"], fontsize=14, weight="bold")
    children = report.children.head(30)
    if len(children):
        ax = fig.add_axes([0.04, 0.5, 0.92, 0.44])
        _table(ax, children, [Out.REGION_CODE, "name", Out.RISK, "reason"], [14, 28, 8, 80])
    fig.text(0.06, 0.46, words["changes"], fontsize=14, weight="bold")
    changes = report.changes.head(30)
    if changes.empty:
        fig.text(0.06, 0.43, words["no_changes"], fontsize=9)
    else:
        changes = changes.assign(change=changes["change"].map(words))
        ax = fig.add_axes([0.04, 0.03, 0.92, 0.41])
        _table(ax, changes, ["cell", "before", "after", "change", "reason"], [16, 8, 8, 10, 70])
    pdf.savefig(fig)
    plt.close(fig)


def _method(pdf: PdfPages, report: ZoneReport, words: dict) -> None:
    fig = _page(pdf)
    fig.text(0.06, 0.96, words["method"], fontsize=14, weight="bold")
    y = 0.92
    for key, text in method_rows(report):
        for i, line in enumerate(textwrap.wrap(f"{key}: {text}", 110)):
            fig.text(0.06 if i == 0 else 0.08, y, line, fontsize=8)
            y -= 0.02
    _hotspot_lines(fig, y - 0.02, report)
    pdf.savefig(fig)
    plt.close(fig)


def _hotspot_lines(fig: plt.Figure, y: float, report: ZoneReport) -> None:
    """Hotspots and next week's outlook (or why it is not shown), under the method."""
    heading, *lines = hotspot_views.report_lines(
        report.build,
        report.date_to,
        report.region_code,
        resolution=report.resolution,
        audience=report.audience,
        lang=report.lang,
    )
    fig.text(0.06, y, heading, fontsize=11, weight="bold")
    y -= 0.025
    for text in lines:
        for i, line in enumerate(textwrap.wrap(text, 110)):
            fig.text(0.06 if i == 0 else 0.08, y, line, fontsize=8)
            y -= 0.02


def render(report: ZoneReport) -> bytes:
    """The report as PDF bytes (metadata without dates, so the same report gives the same text)."""
    words = WORDS[report.lang]
    buffer = io.BytesIO()
    metadata = {"Title": f"{words['title']}: {report.region_name}", "CreationDate": None}
    with PdfPages(buffer, metadata=metadata) as pdf:
        _cover(pdf, report, words)
        _trends(pdf, report, words)
        _children_and_changes(pdf, report, words)
        _method(pdf, report, words)
    return buffer.getvalue()
