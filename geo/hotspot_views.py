"""What pages and reports show of hotspots and the outlook: per region, and new this week.

Read from an open build (:mod:`geo.zones`); every public value passes
:func:`geo.hotspots.for_audience`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import backtest, hotspots, outlook, zones
from geo.columns import COUNT_METRICS, Out
from geo.metrics import ratios
from geo.privacy import check_audience

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class RegionFigures:
    """A region's hotspot and outlook figures as its audience may read them.

    ``outlook`` is empty when the outlook is not shown (:func:`geo.backtest.outlook_shown`).
    """

    share_hot: float | None
    outlook: dict[str, object]


def _region_row(build: zones.Build, day: dt.date, code: str | None) -> pd.DataFrame:
    if code is not None:
        return zones.region_rows(build, [code], day)
    provinces = zones.regions_on(build, day, None)
    row = provinces[list(COUNT_METRICS)].sum().to_frame().T
    population = provinces[Out.POPULATION].to_numpy(float)
    row[Out.POPULATION] = population.sum()
    ratios(row)
    if Out.SHARE_HOT in provinces:
        share = provinces[Out.SHARE_HOT].fillna(0).to_numpy(float)
        row[Out.SHARE_HOT] = float((share * population).sum() / population.sum())
    return row


def region_figures(
    build: zones.Build, day: dt.date, code: str | None, *, audience: str
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
        c7 = float(country[Out.CASES_7D].iloc[0])
        parent = outlook.growth(c7, max(float(country[Out.CASES_14D].iloc[0]) - c7, 0.0))
        row = outlook.of_rows(row, build.config, parent_growth=float(parent))
        figures = hotspots.for_audience(row.iloc[0].to_dict(), audience=audience, k=build.min_count)
        ahead = {key: value for key, value in figures.items() if key.startswith("outlook")}
    return RegionFigures(None if np.isnan(share) else share, ahead)


CHANGE_COLUMNS = ("zone", "hotspot_before", "hotspot", Out.RISK)


def new_hotspots(build: zones.Build, day: dt.date, code: str | None) -> pd.DataFrame:
    """The zones of the map of ``code`` that are hot on ``day`` and were not 7 days before.

    Zones are the map's hexagons (:func:`geo.zones.map_resolution`); the whole country has none
    (its map is a regency choropleth), so the country lists nothing. Columns: ``zone`` (cell),
    ``hotspot_before`` (``none``/``cold``, or ``none`` for a cell without a row then), ``hotspot``
    and ``risk``, ordered by cell. The class is public; no figure is.
    """
    resolution = zones.map_resolution(build, code)
    if code is None or resolution is None:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    now = zones.cells_in(build, day, code, resolution)
    if Out.HOTSPOT not in now:  # a build made before hotspots existed
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    hot = now[now[Out.HOTSPOT].astype(str) == hotspots.HOT]
    before = zones.cells_in(build, day - WEEK, code, resolution)
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
