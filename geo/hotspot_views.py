"""What pages and reports show of hotspots and the outlook: per region, and new this week.

Read from an open build (:mod:`geo.buildread`); every public value passes
:func:`geo.hotspots.for_audience`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo import backtest, buildread, hotspots, mapshapes, outlook
from geo.columns import COUNT_METRICS, Out
from geo.formats import number, percent
from geo.metrics import ratios
from geo.privacy import OFFICIAL, check_audience, public_frame
from geo.risk import state_word

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class RegionFigures:
    """A region's hotspot and outlook figures as its audience may read them.

    ``outlook`` is empty when the outlook is not shown (:func:`geo.backtest.outlook_shown`).
    """

    share_hot: float | None
    outlook: dict[str, object]


def _region_row(build: buildread.Build, day: dt.date, code: str | None) -> pd.DataFrame:
    if code is not None:
        return buildread.region_rows(build, [code], day)
    provinces = buildread.regions_on(build, day, None)
    row = provinces[list(COUNT_METRICS)].sum().to_frame().T
    population = provinces[Out.POPULATION].to_numpy(float)
    row[Out.POPULATION] = population.sum()
    ratios(row)
    if Out.SHARE_HOT in provinces:
        share = provinces[Out.SHARE_HOT].fillna(0).to_numpy(float)
        row[Out.SHARE_HOT] = float((share * population).sum() / population.sum())
    return row


def region_figures(
    build: buildread.Build, day: dt.date, code: str | None, *, audience: str, lang: str = "en"
) -> RegionFigures:
    """The share of ``code``'s population in hot zones and its next week's outlook on ``day``.

    ``code=None`` is the whole country. The outlook of a province or smaller shrinks toward the
    country's growth; the country's own toward nothing (its counts are large).
    """
    check_audience(audience)
    row = _region_row(build, day, code)
    share = float(row[Out.SHARE_HOT].iloc[0]) if Out.SHARE_HOT in row else np.nan
    ahead: dict[str, object] = {}
    if backtest.outlook_shown() and not row.empty:
        country = _region_row(build, day, None)
        if audience != OFFICIAL:  # the public's outlook from published counts only
            row = public_frame(row, build.config.privacy)
            country = public_frame(country, build.config.privacy)
        c7 = float(country[Out.CASES_7D].iloc[0])
        parent = outlook.growth(c7, max(float(country[Out.CASES_14D].iloc[0]) - c7, 0.0))
        row = outlook.of_rows(row, build.config, parent_growth=float(parent))
        figures = hotspots.for_audience(
            row.iloc[0].to_dict(), audience=audience, k=build.min_count, lang=lang
        )
        ahead = {key: value for key, value in figures.items() if key.startswith("outlook")}
    return RegionFigures(None if np.isnan(share) else share, ahead)


CHANGE_COLUMNS = ("zone", "hotspot_before", "hotspot", Out.RISK)


def new_hotspots(
    build: buildread.Build, day: dt.date, code: str | None, *, resolution: int | None = None
) -> pd.DataFrame:
    """The zones of the map of ``code`` that are hot on ``day`` and were not 7 days before.

    Zones are the map's hexagons (:func:`geo.mapshapes.map_resolution`, or ``resolution``); the whole
    country has none (its map is a regency choropleth), so the country lists nothing. Columns: ``zone`` (cell),
    ``hotspot_before`` (``none``/``cold``, or ``none`` for a cell without a row then), ``hotspot``
    and ``risk``, ordered by cell. The class is public; no figure is.
    """
    resolution = resolution or mapshapes.map_resolution(build, code)
    if code is None or resolution is None:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    now = buildread.cells_in(build, day, code, resolution)
    if Out.HOTSPOT not in now:  # a build made before hotspots existed
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    hot = now[now[Out.HOTSPOT].astype(str) == hotspots.HOT]
    before = buildread.cells_in(build, day - WEEK, code, resolution)
    was = (
        before.set_index(before[Out.CELL].astype(str))[Out.HOTSPOT].astype(str)
        if Out.HOTSPOT in before
        else pd.Series(dtype=str)
    )
    cells_now = hot[Out.CELL].astype(str)
    earlier = was.reindex(cells_now).fillna(hotspots.NONE).to_numpy()
    out = pd.DataFrame(
        {
            "zone": cells_now.to_numpy(),
            "hotspot_before": earlier,
            "hotspot": hotspots.HOT,
            Out.RISK: hot[Out.RISK].astype(str).to_numpy(),
        }
    )
    return out[out["hotspot_before"] != hotspots.HOT].sort_values("zone", ignore_index=True)


#: The words of the report's hotspot and outlook lines (:func:`report_lines`).
WORDS = {
    "en": {
        "heading": "Hotspots and next week's outlook",
        "share": "Population in hotspot zones (Getis-Ord Gi*, 5% false discovery rate): {share}",
        "new": "New hotspots in the 7 days to {day} (H3 resolution {res}): {n}",
        "outlook": "Next week's outlook (outlook, not a rule): {cases} cases in 7 days "
        "(90% interval {low}-{high}), {colour}",
        "hidden": "Next week's outlook (outlook, not a rule) is not shown: in the backtest on the "
        "real province series it did not beat persistence (colour accuracy {acc} against {acc_p}; "
        "mean absolute error {mae} against {mae_p} cases).",
    },
    "id": {
        "heading": "Hotspot dan perkiraan minggu depan",
        "share": "Penduduk di zona hotspot (Getis-Ord Gi*, tingkat penemuan palsu 5%): {share}",
        "new": "Hotspot baru dalam 7 hari sampai {day} (H3 resolusi {res}): {n}",
        "outlook": "Perkiraan minggu depan (perkiraan, bukan aturan): {cases} kasus dalam 7 hari "
        "(interval 90% {low}-{high}), {colour}",
        "hidden": "Perkiraan minggu depan (perkiraan, bukan aturan) tidak ditampilkan: pada uji "
        "mundur dengan data provinsi yang sebenarnya, perkiraan tidak mengalahkan persistensi "
        "(ketepatan warna {acc} lawan {acc_p}; galat absolut rata-rata {mae} lawan {mae_p} kasus).",
    },
}


def report_lines(
    build: buildread.Build, day: dt.date, code: str, *, resolution: int, audience: str, lang: str
) -> list[str]:
    """The hotspot and outlook lines of a zone report of ``code`` on ``day``, in ``lang``."""
    words = WORDS[lang]
    figures = region_figures(build, day, code, audience=audience, lang=lang)
    share = percent(figures.share_hot, lang, 1)
    new = new_hotspots(build, day, code, resolution=resolution)
    listed = ", ".join(new["zone"].head(10))
    lines = [
        words["heading"],
        words["share"].format(share=share),
        words["new"].format(day=day.isoformat(), res=resolution, n=len(new))
        + (f": {listed}" if listed else ""),
    ]
    if figures.outlook:
        ahead: dict[str, Any] = {
            k: figures.outlook[k] for k in ("outlook_cases_7d", "outlook_low", "outlook_high")
        }
        shown = {k: v if isinstance(v, str) else number(v, lang) for k, v in ahead.items()}
        colour = risk_words(str(figures.outlook["outlook_risk"]), lang)
        lines.append(
            words["outlook"].format(
                cases=shown["outlook_cases_7d"],
                low=shown["outlook_low"],
                high=shown["outlook_high"],
                colour=colour,
            )
        )
    else:
        by = backtest.province_backtest().set_index("method")
        lines.append(
            words["hidden"].format(
                acc=percent(by.at["outlook", "colour_accuracy"], lang, 1),
                acc_p=percent(by.at["persistence", "colour_accuracy"], lang, 1),
                mae=number(by.at["outlook", "mae_7d"], lang),
                mae_p=number(by.at["persistence", "mae_7d"], lang),
            )
        )
    return lines


def risk_words(state: str, lang: str) -> str:
    """The name of a risk state in ``lang`` (the reasons' words)."""
    return state_word(state, lang)
