"""Reading a build for one view: which zones to draw for a region and a day, and their summary.

The whole country is drawn as a choropleth of its regencies (a province with data but none in
its regencies as itself); a province, regency, district or
village as H3 hexagons, coarsened while more than :data:`MAX_CELLS` would be drawn or the map's
estimated payload passes :data:`MAX_PAYLOAD_BYTES` (2 MB); its first fit covers where the
region's people live (:func:`populated_bounds`). Only the row groups of the requested resolution and
date are read. Reasons are re-rendered in the reader's language; the public reads published
figures (:mod:`geo.privacy`) and only the hexagons with a case in 14 days.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import shapely

from geo import backtest, cells, compose, coverage, hotspots, outlook, places, reference, rollup
from geo.card_text import TipLines, tip_lines
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, LEVELS, RATIO_METRICS, RISK_STATES, Out
from geo.config import Config
from geo.errors import BuildError
from geo.metrics import ratios
from geo.privacy import (
    OFFICIAL,
    check_audience,
    display_published,
    display_rate,
    public_frame,
    public_zones,
)
from geo.risk import classify, public_reasons, reasons, rescore
from geo.store import read_manifest

logger = logging.getLogger(__name__)

#: Most hexagons drawn in one view; above it the view coarsens one resolution.
MAX_CELLS = 3000
#: The map's payload budget (bytes of the map's HTML, GeoJSON included) for one view.
MAX_PAYLOAD_BYTES = 2_000_000
#: Bytes of map HTML per drawn hexagon (geometry, colour properties and tooltip), measured on
#: the sample build (``python -m benchmarks.dashboard --provinces``), rounded up.
BYTES_PER_CELL = 600
#: Bytes of the map's HTML besides its zones and outlines (Leaflet set-up, legend, scripts).
BYTES_FIXED = 60_000
#: The first fit of a view covers the child regions holding this share of its population.
FIT_POPULATION_SHARE = 0.99
#: A phone's first fit of the country: the box holding the middle share of its people, by the
#: population-weighted longitudes and latitudes of its regencies (:func:`phone_bounds`).
PHONE_CORE_SHARE = 0.8
#: Resolutions tried for each level of region, finest first.
CANDIDATES: dict[str, tuple[int, ...]] = {
    "province": (7, 6),
    "regency": (8, 7, 6),
    "district": (9, 8, 7, 6),
    "village": (9, 8, 7, 6),
}
#: Simplification of region polygons (degrees) when drawn at each level.
TOLERANCE: dict[str, float] = {
    "province": 0.01,
    "regency": 0.01,
    "district": 0.001,
    "village": 0.0002,
}
#: Country view: tolerance (degrees) and smallest island kept (square degrees, about 6 km²).
COUNTRY_TOLERANCE = 0.02
COUNTRY_MIN_AREA = 0.0005
DECIMALS = 5
#: Indonesia's extent, ``[[south, west], [north, east]]``.
COUNTRY_BOUNDS = [[-11.01, 94.97], [6.08, 141.02]]
FILES = ("manifest.json", "config.json", "cells_daily.parquet", "regions_daily.parquet")
METRICS = [*COUNT_METRICS, Out.POPULATION, *RATIO_METRICS]
NO_REPORTS = {
    "en": rollup.NO_REPORTS,
    "id": "tidak ada data: tidak ada laporan dari wilayah ini selama periode build",
}


@dataclass(frozen=True, eq=False)
class Build:
    """A build opened for reading: its manifest, configuration, dates and static regions."""

    path: Path
    manifest: dict
    config: Config
    dates: tuple[dt.date, ...]
    regions: pd.DataFrame
    #: ``config`` is not the rules the build was scored with: colours are recomputed on read.
    rescore: bool = False

    @property
    def min_count(self) -> int:
        """The privacy threshold ``k``."""
        return self.config.privacy.min_count


def open_build(path: str | Path) -> Build:
    """Open the build at ``path``; a :class:`BuildError` with one sentence when there is none.

    Parameters
    ----------
    path
        The build directory (or the link to its current version).
    """
    path = Path(path)
    missing = [name for name in FILES if not (path / name).is_file()]
    if missing:
        msg = f"There is no complete PantauZona build at {path} (missing {', '.join(missing)})."
        raise BuildError(msg)
    manifest = read_manifest(path)
    config = Config.model_validate_json((path / "config.json").read_text(encoding="utf-8"))
    start, end = (dt.date.fromisoformat(d) for d in manifest["date_range"])
    dates = tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    table = pd.read_parquet(path / "regions.parquet")
    table = table.set_index(Out.REGION_CODE, drop=False)
    return Build(path=path.resolve(), manifest=manifest, config=config, dates=dates, regions=table)


def level_of(build: Build, code: str) -> str:
    """The level of a region of the build; :class:`KeyError` for an unknown code."""
    return str(build.regions.loc[code, Out.REGION_LEVEL])


def children_of(build: Build, parent_code: str | None) -> pd.DataFrame:
    """Static rows of the regions directly below ``parent_code`` (provinces for ``None``)."""
    table = build.regions
    if parent_code is None:
        return table[table[Out.REGION_LEVEL] == "province"]
    return table[table["parent_code"] == parent_code]


@functools.lru_cache(maxsize=4)  # a few open builds: old versions are let go
def _active_counts(build: Build) -> pd.Series:
    """Cells with a row anywhere in the build, per (resolution, region code)."""
    columns = [Out.RESOLUTION, *LEVEL_COLUMNS.values()]
    table = pd.read_parquet(build.path / "cells.parquet", columns=columns)
    parts = [
        table.groupby([Out.RESOLUTION, column]).size().rename_axis(["res", "code"])
        for column in LEVEL_COLUMNS.values()
    ]
    return pd.concat(parts)


def active_cells(build: Build, region_code: str, resolution: int) -> int:
    """How many cells of ``region_code`` at ``resolution`` have activity in the build, at most:
    those with located events and those a region-coded count covers (:mod:`geo.compose`)."""
    located = int(_active_counts(build).get((resolution, region_code), 0))
    return located + compose.allocated_cells(build, region_code, resolution)


def payload_estimate(build: Build, region_code: str, resolution: int) -> int:
    """Bytes of the map of ``region_code`` drawn at ``resolution``, at most (every active cell
    drawn): :data:`BYTES_PER_CELL` per hexagon, the outlines' GeoJSON and :data:`BYTES_FIXED`."""
    hexagons = active_cells(build, region_code, resolution) * BYTES_PER_CELL
    return hexagons + _outline_bytes(build, region_code) + BYTES_FIXED


def map_resolution(build: Build, region_code: str | None) -> int | None:
    """The H3 resolution to draw ``region_code`` at; ``None`` for the country (a choropleth).

    A province is drawn at 7 or 6, a regency at 8, a district or village at 9, each coarsened
    while more than :data:`MAX_CELLS` of its cells are active in the build or while the map's
    payload would exceed :data:`MAX_PAYLOAD_BYTES` (:func:`payload_estimate`); the coarsest
    candidate when none fits.
    """
    if region_code is None:
        return None
    built = build.config.cells.resolutions
    candidates = [r for r in CANDIDATES[level_of(build, region_code)] if r in built]
    if not candidates:
        return min(built)
    for res in candidates:
        if (
            active_cells(build, region_code, res) <= MAX_CELLS
            and payload_estimate(build, region_code, res) <= MAX_PAYLOAD_BYTES
        ):
            return res
    logger.info("the map of %s is over its payload budget at every resolution", region_code)
    return candidates[-1]


def _scored(build: Build, table: pd.DataFrame) -> pd.DataFrame:
    """The rows as ``build.config`` colours them (see :mod:`geo.reclassify`)."""
    if not build.rescore or table.empty:
        return table
    table = rescore(table, build.config)
    if "reporting" in table:  # as the build: a region without any report has no data
        silent = ~table["reporting"].fillna(True).to_numpy(dtype=bool)
        table.loc[silent, Out.RISK] = "no_data"
    if Out.COVERED in table:  # nor has one without a report in the window
        table.loc[~table[Out.COVERED].fillna(True).to_numpy(dtype=bool), Out.RISK] = "no_data"
    return table


def _day(day: dt.date) -> pa.Scalar:
    return pa.scalar(dt.datetime(day.year, day.month, day.day), type=pa.timestamp("ms"))


def cells_in(build: Build, day: dt.date, region_code: str | None, resolution: int) -> pd.DataFrame:
    """The cells of ``region_code`` with a case in 14 days or other activity on ``day`` at
    ``resolution`` (all columns): own events and their share of region-coded counts
    (:func:`geo.compose.compose`), scored with ``build.config``.

    Only the row groups whose statistics admit the resolution and date are read.
    """
    where = (pc.field(Out.RESOLUTION) == resolution) & (pc.field(Out.DATE) == _day(day))
    if region_code is not None:
        where &= pc.field(LEVEL_COLUMNS[level_of(build, region_code)]) == region_code
    dataset = ds.dataset(build.path / "cells_daily.parquet")
    own = dataset.to_table(filter=where).to_pandas()
    candidates = compose.view_cells(build, region_code, resolution)
    return compose.compose(build, own, resolution, [day], candidates)


def _regions_daily(build: Build, where: pc.Expression) -> pd.DataFrame:
    frame = ds.dataset(build.path / "regions_daily.parquet").to_table(filter=where).to_pandas()
    names = build.regions["name"]
    frame.insert(1, "name", names.reindex(frame[Out.REGION_CODE]).to_numpy())
    frame["reporting"] = build.regions["reporting"].reindex(frame[Out.REGION_CODE]).to_numpy()
    return _scored(build, frame).sort_values([Out.REGION_CODE, Out.DATE], ignore_index=True)


def regions_on(build: Build, day: dt.date, parent_code: str | None) -> pd.DataFrame:
    """The children of ``parent_code`` (provinces for ``None``) on ``day``, with their names."""
    codes = children_of(build, parent_code)[Out.REGION_CODE].tolist()
    where = (pc.field(Out.DATE) == _day(day)) & pc.field(Out.REGION_CODE).isin(
        pa.array(codes, type=pa.string())
    )
    return _regions_daily(build, where)


def region_rows(build: Build, codes: list[str], day: dt.date | None = None) -> pd.DataFrame:
    """Rows of ``regions_daily`` for ``codes`` (every date, or only ``day``)."""
    where = pc.field(Out.REGION_CODE).isin(pa.array(codes, type=pa.string()))
    if day is not None:
        where &= pc.field(Out.DATE) == _day(day)
    return _regions_daily(build, where)


def cell_rows(build: Build, cell: str, days: list[dt.date]) -> pd.DataFrame:
    """Rows of ``cells_daily`` for one hexagon on ``days`` (sorted by date)."""
    stamps = pa.array([dt.datetime(d.year, d.month, d.day) for d in days], type=pa.timestamp("ms"))
    where = (pc.field(Out.CELL) == cell) & pc.field(Out.DATE).isin(stamps)
    own = ds.dataset(build.path / "cells_daily.parquet").to_table(filter=where).to_pandas()
    candidates = cells.from_strings([cell])
    table = compose.compose(build, own, cells.resolution_of(cell), days, candidates)
    return table.sort_values(Out.DATE, ignore_index=True)


def render_reasons(build: Build, table: pd.DataFrame, *, audience: str, lang: str) -> np.ndarray:
    """The reason for each row's colour in ``lang``: the rule's for officials, the colour and
    the published figures for the public (:func:`geo.risk.public_reasons`)."""
    if table.empty:
        return np.empty(0, dtype=object)
    classes = classify(table, build.config)
    if check_audience(audience) == OFFICIAL:
        texts = np.asarray(reasons(table, classes, build.config, lang=lang))
    else:
        shown = public_frame(table, build.config.privacy)
        cases = [display_published(v, build.min_count, lang=lang) for v in shown[Out.CASES_7D]]
        rates = [display_rate(v, lang=lang) for v in shown[Out.CASES_PER_100K_7D]]
        texts = public_reasons(classes, cases, rates, lang=lang)
    if "reporting" in table:
        silent = ~table["reporting"].fillna(True).to_numpy(dtype=bool)
        texts = np.where(silent, NO_REPORTS[lang], texts)
    if Out.COVERED in table:  # as the build: a zone with no data for another reason keeps it
        silent = ~table[Out.COVERED].fillna(True).to_numpy(dtype=bool)
        silent &= classes[Out.RISK].astype(str).to_numpy() != "no_data"
        if "reporting" in table:
            silent &= table["reporting"].fillna(True).to_numpy(dtype=bool)
        texts = np.asarray(texts, dtype=object).copy()
        texts[silent] = coverage.no_report_reasons(
            table.loc[silent, Out.LAST_REPORT].to_numpy(), lang
        )
    return texts


def counts_for(
    row: pd.Series | dict, *, audience: str, k: int, lang: str = "en"
) -> dict[str, str | float]:
    """The figures of one zone that ``audience`` may read (strings for the public).

    For the public, ``row`` must be a row of :func:`geo.privacy.public_frame` (published
    values); for officials, a row of the build.
    """
    cases = float(row[Out.CASES_7D])
    rate = float(row[Out.CASES_PER_100K_7D])
    if check_audience(audience) == OFFICIAL:
        return {
            "cases_7d": cases,
            "cases_per_100k_7d": None if np.isnan(rate) else round(rate, 1),
            "checkins_7d": float(row[Out.CHECKINS_7D]),
            "exposed_checkins_7d": float(row[Out.EXPOSED_CHECKINS_7D]),
        }
    return {
        "cases_7d": display_published(cases, k, lang=lang),
        "cases_per_100k_7d": display_rate(rate, lang=lang),
    }


def _rounded(coords: object) -> object:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), DECIMALS) for c in coords]
    return [_rounded(c) for c in coords]  # type: ignore[union-attr]


def _geometry(geom: shapely.Geometry) -> dict:
    mapping = json.loads(shapely.to_geojson(geom))
    return {"type": mapping["type"], "coordinates": _rounded(mapping["coordinates"])}


def _lean(geom: shapely.Geometry, tolerance: float, min_area: float) -> shapely.Geometry:
    """``geom`` without parts smaller than ``min_area`` (the largest always stays), simplified."""
    if min_area > 0:
        parts = shapely.get_parts(geom)
        areas = shapely.area(parts)
        kept = parts[(areas >= min_area) | (areas == areas.max())]
        geom = kept[0] if len(kept) == 1 else shapely.multipolygons(kept)
    return shapely.simplify(geom, tolerance, preserve_topology=True)


@functools.cache
def simplified(level: str, *, country: bool = False) -> pd.DataFrame:
    """Region polygons of one level, simplified for drawing, indexed by code.

    With ``country``, coarser and without small islands: the shapes of a whole-country view.
    """
    frame = reference.boundaries(level)
    tolerance, min_area = (
        (COUNTRY_TOLERANCE, COUNTRY_MIN_AREA) if country else (TOLERANCE[level], 0)
    )
    geoms = [_lean(g, tolerance, min_area) for g in frame.geometry.to_numpy()]
    return pd.DataFrame({"name": frame["name"].to_numpy(), "geometry": geoms}, index=frame["code"])


def _feature(geom: shapely.Geometry, properties: dict) -> dict:
    return {"type": "Feature", "geometry": _geometry(geom), "properties": properties}


def _week_earlier(table: pd.DataFrame) -> dt.date | None:
    """The day 7 days before the rows' date (``None`` for no rows)."""
    if table.empty:
        return None
    return pd.Timestamp(table[Out.DATE].iloc[0]).date() - dt.timedelta(days=7)


def week_before(build: Build, table: pd.DataFrame, *, audience: str) -> np.ndarray:
    """The 7-day cases of each row's zone 7 days before its date, as ``audience`` reads them.

    Parameters
    ----------
    build
        The open build.
    table
        Rows of one date: cells of one resolution (``cell``) or regions (``region_code``).
    audience
        ``"public"`` (published counts, NaN where hidden) or ``"official"``.

    Returns
    -------
    numpy.ndarray
        One float per row: 0 for a hexagon without a row then (it had no activity), NaN
        where the day is before the build's first or the count is hidden from ``audience``.
    """
    if table.empty:
        return np.empty(0)
    day = _week_earlier(table)
    assert day is not None  # the table has rows
    if Out.CELL in table:
        keys = table[Out.CELL].astype(str)
        where = (pc.field(Out.DATE) == _day(day)) & pc.field(Out.CELL).isin(
            pa.array(keys.unique().tolist(), type=pa.string())
        )
        resolution = int(table[Out.RESOLUTION].iloc[0])
        where &= pc.field(Out.RESOLUTION) == resolution
        before = ds.dataset(build.path / "cells_daily.parquet").to_table(filter=where).to_pandas()
        if day in build.dates:  # with their share of region-coded counts, as the map read them
            wanted = cells.from_strings(keys.unique().tolist())
            before = compose.compose(build, before, resolution, [day], wanted)
    else:
        keys = table[Out.REGION_CODE].astype(str)
        before = region_rows(build, keys.unique().tolist(), day)
    if Out.CELL in table and day in build.dates:  # a hexagon without a row was quiet: 0 cases
        quiet = keys[~keys.isin(before[Out.CELL].astype(str))].unique()
        zeros = pd.DataFrame({Out.CELL: quiet, Out.CASES_7D: 0.0})
        before = pd.concat([before[[Out.CELL, Out.CASES_7D]], zeros], ignore_index=True)
    if audience != OFFICIAL:
        before = public_frame(before, build.config.privacy)
    key = Out.CELL if Out.CELL in table else Out.REGION_CODE
    cases = before.set_index(before[key].astype(str))[Out.CASES_7D]
    return cases.reindex(keys.to_numpy()).to_numpy(float)


def _tips(
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
        compared=_week_earlier(table) in build.dates,
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
    """Tips of zones no report covers say since when (as :func:`render_reasons` does)."""
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
    tips = _tips(build, table, figures, audience, lang)
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
    where = pc.field(Out.DATE) == _day(day)
    table = _regions_daily(build, where & pc.field(Out.REGION_LEVEL).isin(["province", "regency"]))
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
        _feature(shapes[lvl].at[code, "geometry"], p)
        for code, lvl, p in zip(codes, levels, props, strict=True)
    ]


def _child_level(build: Build, region_code: str) -> str | None:
    level = level_of(build, region_code)
    if level == "village" or not len(children_of(build, region_code)):
        return None
    return LEVELS[LEVELS.index(level) + 1]


def _hexagons(
    build: Build, day: dt.date, region_code: str, resolution: int, *, audience: str, lang: str
) -> list[dict]:
    table = cells_in(build, day, region_code, resolution)
    if audience != OFFICIAL:  # a hexagon kept alive only by check-ins would show venue activity
        table = table[public_zones(table)]
    table = table.reset_index(drop=True)
    child = _child_level(build, region_code)
    codes = table[LEVEL_COLUMNS[child]].tolist() if child else [None] * len(table)
    labels = table[Out.CELL].astype(str).tolist()
    props = _zone_properties(build, table, labels, codes, audience=audience, lang=lang)
    for prop, name in zip(props, places.zone_names(build, labels, lang), strict=True):
        prop["name"] = name  # "sekitar Cideng, Gambir": the village holding most of its people
    polygons = cells.polygons(cells.from_strings(labels))
    return [_feature(g, p) for g, p in zip(polygons, props, strict=True)]


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
        (:func:`map_resolution`): a zone opened from "What changed" is drawn at its own.

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


def outlines_geojson(build: Build, region_code: str | None) -> dict:
    """Outlines to draw under the zones: the children of ``region_code`` (provinces for ``None``),
    or the region itself when it has no drawn children."""
    child = "province" if region_code is None else _child_level(build, region_code)
    codes: list[str] = children_of(build, region_code)[Out.REGION_CODE].tolist() if child else []
    shapes = simplified(child, country=region_code is None) if child else None
    if shapes is None or not shapes.index.isin(codes).any():
        level = level_of(build, region_code) if region_code else "province"
        shapes, codes = simplified(level), [region_code] if region_code else codes
    present = [c for c in codes if c in shapes.index]
    features = [
        _feature(shapes.at[c, "geometry"], {"code": c, "name": shapes.at[c, "name"]})
        for c in present
    ]
    return {"type": "FeatureCollection", "features": features}


@functools.lru_cache(maxsize=256)
def _outline_bytes(build: Build, region_code: str) -> int:
    return len(json.dumps(outlines_geojson(build, region_code)))


def _box(geoms: list[shapely.Geometry]) -> list[list[float]]:
    west, south, east, north = shapely.total_bounds(geoms)
    return [
        [round(float(south), DECIMALS), round(float(west), DECIMALS)],
        [round(float(north), DECIMALS), round(float(east), DECIMALS)],
    ]


@functools.lru_cache(maxsize=256)  # the same every day: a date change need not redo it (~50 ms)
def populated_bounds(build: Build, region_code: str | None) -> list[list[float]]:
    """The first fit of the map of ``region_code``: where its people live.

    ``[[south, west], [north, east]]`` of the most populous child regions that together hold
    :data:`FIT_POPULATION_SHARE` of the region's population, so a thinly peopled outlying part
    (Kepulauan Seribu, 0.3 % of Jakarta) does not shrink the rest to a corner; it is still drawn
    and a pan away. The region's own :func:`bounds` when it has no drawn children with people;
    the whole country for ``None``.

    Parameters
    ----------
    build
        The open build (the population of each region).
    region_code
        The region in view; ``None`` for the country.
    """
    child = None if region_code is None else _child_level(build, region_code)
    if child is None:
        return bounds(region_code)
    shapes = simplified(child)
    rows = children_of(build, region_code)
    rows = rows[rows[Out.REGION_CODE].isin(shapes.index) & (rows[Out.POPULATION] > 0)]
    if rows.empty:
        return bounds(region_code)
    rows = rows.reset_index(drop=True).sort_values(
        [Out.POPULATION, Out.REGION_CODE], ascending=[False, True]
    )
    before = rows[Out.POPULATION].cumsum().shift(fill_value=0)
    kept = rows[before < FIT_POPULATION_SHARE * rows[Out.POPULATION].sum()]
    return _box(list(shapes.loc[kept[Out.REGION_CODE], "geometry"]))


@functools.lru_cache(maxsize=256)
def phone_bounds(build: Build, region_code: str | None) -> list[list[float]]:
    """The first fit of the map of ``region_code`` on a phone (a map narrower than it is tall).

    The country is five times wider than tall: fitted whole into a phone's width it is a thin
    strip whose regencies are too small to tap. A phone opens on the box between the
    population-weighted quantiles of the regencies' centres that hold the middle
    :data:`PHONE_CORE_SHARE` of the people in each direction (the west, from South Sumatra to
    Makassar), the rest a pan away. A region is fitted as on a wider screen
    (:func:`populated_bounds`).

    Parameters
    ----------
    build
        The open build (the population of each regency).
    region_code
        The region in view; ``None`` for the country.
    """
    if region_code is not None:
        return populated_bounds(build, region_code)
    shapes = simplified("regency")
    rows = build.regions[
        (build.regions["region_level"] == "regency")
        & build.regions[Out.REGION_CODE].isin(shapes.index)
        & (build.regions[Out.POPULATION] > 0)
    ]
    if rows.empty:
        return bounds(None)
    centres = shapely.centroid(np.asarray(shapes.loc[rows[Out.REGION_CODE], "geometry"]))
    weights = rows[Out.POPULATION].to_numpy(float)
    tail = (1 - PHONE_CORE_SHARE) / 2
    (west, east), (south, north) = (
        _weighted_quantiles(values, weights, (tail, 1 - tail))
        for values in (shapely.get_x(centres), shapely.get_y(centres))
    )
    return [
        [round(south, DECIMALS), round(west, DECIMALS)],
        [round(north, DECIMALS), round(east, DECIMALS)],
    ]


def _weighted_quantiles(
    values: np.ndarray, weights: np.ndarray, shares: tuple[float, float]
) -> tuple[float, float]:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / weights.sum()
    low, high = (values[order][np.searchsorted(cumulative, share)] for share in shares)
    return float(low), float(high)


def bounds(region_code: str | None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of a region (its nearest drawn ancestor's, if it has
    no polygon); the whole country for ``None``."""
    code = region_code
    while code is not None:
        level = LEVELS[min(code.count("."), 3)]
        shapes = simplified(level)
        if code in shapes.index:
            west, south, east, north = shapely.bounds(shapes.at[code, "geometry"])
            return [
                [round(south, DECIMALS), round(west, DECIMALS)],
                [round(north, DECIMALS), round(east, DECIMALS)],
            ]
        code = code.rsplit(".", 1)[0] if "." in code else None
    return COUNTRY_BOUNDS


@dataclass(frozen=True)
class Summary:
    """What the panel beside the map says about one region on one day."""

    code: str | None
    name: str
    level: str
    risk: str
    reason: str
    cases_7d: str | float
    cases_per_100k_7d: str | float | None
    shares: dict[str, float]
    day: dt.date
    data_until: dt.date


def _country_row(build: Build, day: dt.date) -> pd.DataFrame:
    provinces = regions_on(build, day, None)
    row = provinces[list(COUNT_METRICS)].sum().to_frame().T
    row[Out.POPULATION] = provinces[Out.POPULATION].sum()
    row[Out.DATE] = pd.Timestamp(day)
    ratios(row)
    row[Out.RISK] = classify(row, build.config)[Out.RISK].to_numpy()
    if Out.COVERED in provinces:  # the country has data on a day a report covers a province
        row[Out.COVERED] = bool(provinces[Out.COVERED].any())
        row[Out.LAST_REPORT] = provinces[Out.LAST_REPORT].max()
        if not row[Out.COVERED].iloc[0]:
            row[Out.RISK] = "no_data"
    population = provinces[Out.POPULATION].to_numpy(float)
    for state in RISK_STATES:
        share = provinces[f"share_population_{state}"].fillna(0).to_numpy(float)
        row[f"share_population_{state}"] = float((share * population).sum() / population.sum())
    return row


def region_summary(
    build: Build, day: dt.date, code: str | None, *, audience: str, lang: str
) -> Summary:
    """Colour, reason, cases and shares of population by colour for one region on one day.

    ``code=None`` summarises the whole country (counts summed over provinces, the rate recomputed
    from the sums and classified by the same rules).
    """
    check_audience(audience)
    if code is None:
        row, name, level = _country_row(build, day), "Indonesia", "country"
    else:
        row = region_rows(build, [code], day)
        if row.empty:
            msg = f"The build has no row for region {code} on {day.isoformat()}."
            raise BuildError(msg)
        name, level = str(row["name"].iloc[0]), level_of(build, code)
    shown = row if audience == OFFICIAL else public_frame(row, build.config.privacy)
    # The card's plain reason with whole numbers (the country has no week-before row: its
    # reason does not need one).
    keyed = row.reset_index(drop=True)
    if Out.REGION_CODE not in keyed:
        keyed[Out.REGION_CODE] = ""
    reason = _tips(build, keyed, shown, audience, lang)[0].reason
    figures = counts_for(shown.iloc[0], audience=audience, k=build.min_count, lang=lang)
    shares = {state: float(row[f"share_population_{state}"].iloc[0]) for state in RISK_STATES}
    return Summary(
        code=code,
        name=name,
        level=level,
        risk=str(row[Out.RISK].iloc[0]),
        reason=str(reason),
        cases_7d=figures[Out.CASES_7D],
        cases_per_100k_7d=figures[Out.CASES_PER_100K_7D],
        shares=shares,
        day=day,
        data_until=build.dates[-1],
    )


# --- One zone: where a link to it opens the map ------------------------------------------------


@dataclass(frozen=True)
class ZoneView:
    """A hexagon to land the map on: its centre (inside it), its outline and the box to fit.

    ``outline`` is the hexagon's ring as ``[lat, lon]`` pairs; ``bounds`` is
    ``[[south, west], [north, east]]``, centred on the zone and :data:`ZONE_CONTEXT` times its
    size, so its neighbours show around it.
    """

    cell: str
    resolution: int
    centre: tuple[float, float]
    outline: list[list[float]]
    bounds: list[list[float]]


#: How many times the zone's own extent the map shows around it.
ZONE_CONTEXT = 5


def zone_regions(build: Build, cell: str) -> tuple[str, ...]:
    """The regions of the build the zone belongs to, province first (as its rows say).

    Empty when ``cell`` is not an H3 cell, not of a resolution the build has, or not a cell of
    the build.
    """
    if not cells.is_valid_cell(cell) or cells.resolution_of(cell) not in (
        build.config.cells.resolutions
    ):
        return ()
    columns = list(LEVEL_COLUMNS.values())
    row = pd.read_parquet(
        build.path / "cells.parquet", columns=columns, filters=[(Out.CELL, "==", cell)]
    )
    if row.empty:
        return ()
    codes = [row[column].iloc[0] for column in columns]
    return tuple(c for c in codes if isinstance(c, str) and c in build.regions.index)


def zone_region(build: Build, cell: str, region_code: str | None = None) -> str | None:
    """The region whose map opens on the zone ``cell`` (drawn at the zone's resolution).

    ``region_code`` when the zone belongs to it and its map is drawn at the zone's resolution;
    otherwise the finest region of the zone whose map is; otherwise the zone's finest region.
    ``None`` when the zone is unknown (:func:`zone_regions`).
    """
    regions = zone_regions(build, cell)
    if not regions:
        return None
    resolution = cells.resolution_of(cell)
    natural = [code for code in regions if map_resolution(build, code) == resolution]
    if region_code in natural:
        return region_code
    return natural[-1] if natural else regions[-1]


def zone_view(cell: str) -> ZoneView:
    """Where the map lands for the zone ``cell`` (a valid H3 cell)."""
    polygon = cells.polygons(cells.from_strings([cell]))[0]
    lat, lon = (float(v[0]) for v in cells.centres(cells.from_strings([cell])))
    west, south, east, north = shapely.bounds(polygon)
    half = float(ZONE_CONTEXT * max(north - south, east - west) / 2)
    ring = [[round(y, DECIMALS), round(x, DECIMALS)] for x, y in polygon.exterior.coords]
    return ZoneView(
        cell=cell,
        resolution=cells.resolution_of(cell),
        centre=(round(lat, 6), round(lon, 6)),
        outline=ring,
        bounds=[
            [round(lat - half, DECIMALS), round(lon - half, DECIMALS)],
            [round(lat + half, DECIMALS), round(lon + half, DECIMALS)],
        ],
    )
