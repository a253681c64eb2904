"""The zones a map draws, as GeoJSON features carrying the zone card's short form.

The whole country is a choropleth of its regencies (a province with data but none in its
regencies as itself, :func:`choropleth_rows`); a region is drawn as its H3 hexagons at the map's
resolution (:func:`geo.mapshapes.map_resolution`). The public reads published figures
(:mod:`geo.privacy`) and only the hexagons with a case in 14 days.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow.compute as pc

from geo import backtest, cells, coverage, hotspots, outlook, places
from geo.buildread import (
    NO_REPORTS,
    Build,
    cells_in,
    child_level,
    counts_for,
    day_stamp,
    regions_daily,
    week_before,
    week_earlier,
)
from geo.card_text import TipLines, tip_lines
from geo.columns import LEVEL_COLUMNS, Out
from geo.mapshapes import country_geometry, map_resolution, ring_geometries, simplified
from geo.privacy import OFFICIAL, check_audience, public_frame, public_zones


def zone_tips(
    build: Build, table: pd.DataFrame, figures: pd.DataFrame, audience: str, lang: str
) -> list[TipLines]:
    """The card's short form of each row (:func:`geo.card_text.tip_lines`), the tooltip's."""
    tips = tip_lines(
        table[Out.RISK].astype(str).tolist(),
        figures[Out.CASES_7D].to_numpy(float),
        figures[Out.CASES_PER_100K_7D].to_numpy(float),
        week_before(build, table, audience=audience),
        preset=build.config.name,
        k=build.min_count,
        lang=lang,
        compared=week_earlier(table) in build.dates,
    )
    if "reporting" in table:  # a region without any report says so, as render_reasons does
        silent = ~table["reporting"].fillna(True).to_numpy(dtype=bool)
        tips = [
            TipLines(tip.colour, NO_REPORTS[lang], tip.trend) if quiet else tip
            for tip, quiet in zip(tips, silent, strict=True)
        ]
    return _uncovered_tips(build, table, tips, lang)


def _uncovered_tips(
    build: Build, table: pd.DataFrame, tips: list[TipLines], lang: str
) -> list[TipLines]:
    """Tips of zones no report covers say since when (as
    :func:`geo.buildread.render_reasons` does)."""
    if Out.COVERED not in table:
        return tips
    silent = ~table[Out.COVERED].fillna(True).to_numpy(dtype=bool)
    silent &= table[Out.POPULATION].to_numpy(float) > build.config.risk.no_data_max_population
    if "reporting" in table:
        silent &= table["reporting"].fillna(True).to_numpy(dtype=bool)
    if not silent.any():
        return tips
    texts = iter(coverage.no_report_reasons(table.loc[silent, Out.LAST_REPORT].to_numpy(), lang))
    return [
        TipLines(tip.colour, next(texts), tip.trend) if quiet else tip
        for tip, quiet in zip(tips, silent, strict=True)
    ]


def _zone_properties(
    build: Build, table: pd.DataFrame, labels: list[str], codes: list, *, audience: str, lang: str
) -> list[dict]:
    figures = table if audience == OFFICIAL else public_frame(table, build.config.privacy)
    tips = zone_tips(build, table, figures, audience, lang)
    if backtest.outlook_shown():  # next week's outlook only where its backtest earns it;
        figures = outlook.of_view(figures, build.config)  # the public's from published counts
    out = []
    for (_, row), label, code, tip in zip(figures.iterrows(), labels, codes, tips, strict=True):
        props = {"risk": str(row[Out.RISK]), "label": label, "code": code}
        props.update(colour=tip.colour, reason=tip.reason, trend=tip.trend)
        props.update(counts_for(row, audience=audience, k=build.min_count, lang=lang))
        props.update(hotspots.for_audience(row, audience=audience, k=build.min_count, lang=lang))
        out.append(props)
    return out


def choropleth_rows(regencies: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """The rows of the country's choropleth: each province by its regencies, or by itself when
    it has data and none of its regencies has (figures reported for the province only).

    Parameters
    ----------
    regencies, provinces
        Rows of ``regions_daily`` on one day, with ``region_code`` and ``risk``; a regency's
        province is the first part of its code.
    """
    with_data = regencies.loc[regencies[Out.RISK] != "no_data", Out.REGION_CODE]
    covered = set(with_data.str.split(".").str[0])
    alone = provinces[
        (provinces[Out.RISK] != "no_data") & ~provinces[Out.REGION_CODE].isin(covered)
    ]
    drawn = regencies[
        ~regencies[Out.REGION_CODE].str.split(".").str[0].isin(alone[Out.REGION_CODE])
    ]
    return pd.concat([alone, drawn], ignore_index=True)


def _country_choropleth(build: Build, day: dt.date, *, audience: str, lang: str) -> list[dict]:
    shapes = {level: simplified(level, country=True) for level in ("province", "regency")}
    where = pc.field(Out.DATE) == day_stamp(day)
    table = regions_daily(build, where & pc.field(Out.REGION_LEVEL).isin(["province", "regency"]))
    drawable = table[Out.REGION_CODE].isin(shapes["regency"].index) | (
        (table[Out.REGION_LEVEL] == "province")
        & table[Out.REGION_CODE].isin(shapes["province"].index)
    )
    table = table[drawable]
    level = table[Out.REGION_LEVEL]
    table = choropleth_rows(table[level == "regency"], table[level == "province"])
    codes = table[Out.REGION_CODE].tolist()
    props = _zone_properties(
        build, table, table["name"].tolist(), codes, audience=audience, lang=lang
    )
    levels = table[Out.REGION_LEVEL].tolist()
    return [
        {"type": "Feature", "geometry": country_geometry(lvl, code), "properties": p}
        for code, lvl, p in zip(codes, levels, props, strict=True)
    ]


def _hexagons(
    build: Build, day: dt.date, region_code: str, resolution: int, *, audience: str, lang: str
) -> list[dict]:
    table = cells_in(build, day, region_code, resolution)
    if audience != OFFICIAL:  # a hexagon kept alive only by check-ins would show venue activity
        table = table[public_zones(table)]
    table = table.reset_index(drop=True)
    child = child_level(build, region_code)
    codes = table[LEVEL_COLUMNS[child]].tolist() if child else [None] * len(table)
    labels = table[Out.CELL].astype(str).tolist()
    props = _zone_properties(build, table, labels, codes, audience=audience, lang=lang)
    for prop, name in zip(props, places.zone_names(build, labels, lang), strict=True):
        prop["name"] = name  # "sekitar Cideng, Gambir": the village holding most of its people
    geometries = ring_geometries(cells.polygons(cells.from_strings(labels)))
    return [
        {"type": "Feature", "geometry": g, "properties": p}
        for g, p in zip(geometries, props, strict=True)
    ]


def zones_geojson(
    build: Build,
    day: dt.date,
    region_code: str | None,
    *,
    audience: str,
    lang: str,
    resolution: int | None = None,
) -> dict:
    """The zones to draw for ``region_code`` on ``day``, as a GeoJSON FeatureCollection.

    Parameters
    ----------
    build
        The open build.
    day
        A date of the build.
    region_code
        The region in view; ``None`` for the whole country (a regency choropleth).
    audience
        ``"public"`` (published counts, :mod:`geo.privacy`; only hexagons with a case in 14
        days) or ``"official"``.
    lang
        ``"id"`` or ``"en"``, the language of the reasons.
    resolution
        Draw the region's hexagons at this resolution instead of the map's
        (:func:`geo.mapshapes.map_resolution`): a zone opened from "What changed" is drawn at
        its own.

    Returns
    -------
    dict
        Features whose properties are ``risk``, ``label`` (region name or cell), ``name`` (a
        hexagon's place, :mod:`geo.places`), the zone card's short form in ``lang``
        (:func:`geo.card_text.tip_lines`: ``colour``, ``reason`` with whole numbers, ``trend``
        against the week before),
        ``code`` (the region a click opens, or ``None``) and the counts the audience may read.
        Hexagons that had no activity on ``day`` are not drawn: see ``build.manifest["absent_cell"]``.
    """
    check_audience(audience)
    if resolution is None or region_code is None:
        resolution = map_resolution(build, region_code)
    if region_code is None or resolution is None:
        features = _country_choropleth(build, day, audience=audience, lang=lang)
    else:
        features = _hexagons(build, day, region_code, resolution, audience=audience, lang=lang)
    return {"type": "FeatureCollection", "features": features}
