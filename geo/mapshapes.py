"""The map's shapes: region polygons simplified for drawing, GeoJSON, bounds and the map's
resolution.

The whole country is drawn as a choropleth of its regencies; a province, regency, district or
village as H3 hexagons, coarsened while more than :data:`MAX_CELLS` would be drawn or the map's
estimated payload passes :data:`MAX_PAYLOAD_BYTES` (2 MB) (:func:`map_resolution`). Coordinates
are rounded to :data:`DECIMALS` places. A view's first fit covers where the region's people
live (:func:`populated_bounds`; on a phone :func:`phone_bounds`).
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geo import cells, compose, reference
from geo.buildread import Build, child_level, children_of, level_of
from geo.columns import LEVEL_COLUMNS, LEVELS, Out

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


def _rounded(coords: list | tuple) -> list:
    """GeoJSON coordinates (nested lists of positions) rounded to :data:`DECIMALS` places."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), DECIMALS) for c in coords]
    return [_rounded(c) for c in coords]


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
    A map below the country draws a few regions: :func:`shapes_of` simplifies only those.
    """
    frame = _polygons(level)
    if not country:
        return shapes_of(level, frame.index.tolist())
    geoms = [_lean(g, COUNTRY_TOLERANCE, COUNTRY_MIN_AREA) for g in frame["geometry"]]
    return pd.DataFrame({"name": frame["name"].to_numpy(), "geometry": geoms}, index=frame.index)


@functools.cache
def _polygons(level: str) -> pd.DataFrame:
    """Region polygons of one level as shipped (``name``, ``geometry``), indexed by code."""
    frame = reference.boundaries(level)
    return pd.DataFrame(
        {"name": frame["name"].to_numpy(), "geometry": frame.geometry.to_numpy()},
        index=pd.Index(frame["code"].to_numpy(), name="code"),
    )


def has_shape(level: str, code: str) -> bool:
    """Whether region ``code`` of ``level`` has a polygon to draw."""
    return code in _polygons(level).index


@functools.cache
def shape(level: str, code: str) -> shapely.Geometry:
    """The polygon of region ``code`` of ``level`` (:func:`has_shape`), simplified for drawing,
    once: the first drill-down into a level simplifies what it draws, not the whole country's
    level (12,448 kecamatan and kelurahan in 0.4 s on the national build)."""
    return _lean(_polygons(level).at[code, "geometry"], TOLERANCE[level], 0)


def shapes_of(level: str, codes: list[str]) -> pd.DataFrame:
    """:func:`simplified` of those ``codes`` that have a polygon, in their order."""
    polygons = _polygons(level)
    present = [c for c in codes if c in polygons.index]
    return pd.DataFrame(
        {
            "name": polygons["name"].reindex(present).to_numpy(),
            "geometry": [shape(level, c) for c in present],
        },
        index=pd.Index(present, name="code", dtype=object),
    )


def feature(geom: shapely.Geometry, properties: dict) -> dict:
    return {"type": "Feature", "geometry": _geometry(geom), "properties": properties}


def ring_geometries(polygons: np.ndarray) -> list[dict]:
    """The GeoJSON geometries of polygons of one ring each (H3 cells), rounded as
    :func:`feature` rounds them, from their coordinates at once: 5 times faster than one
    GeoJSON text per polygon (1,086 hexagons of Jawa Barat: 0.17 s before)."""
    coords, index = shapely.get_coordinates(polygons, return_index=True)
    rounded = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in coords.tolist()]
    ends = np.searchsorted(index, np.arange(len(polygons) + 1)).tolist()
    return [{"type": "Polygon", "coordinates": [rounded[a:b]]} for a, b in itertools.pairwise(ends)]


@functools.cache
def country_geometry(level: str, code: str) -> dict:
    """The GeoJSON geometry of region ``code`` in the country view (:func:`simplified` with
    ``country``), rounded: the same every day, so a date change of the country map reuses it.
    Callers must not change the dict (features of several maps share it)."""
    return _geometry(simplified(level, country=True).at[code, "geometry"])


def outlines_geojson(build: Build, region_code: str | None) -> dict:
    """Outlines to draw under the zones: the children of ``region_code`` (provinces for ``None``),
    or the region itself when it has no drawn children."""
    child = "province" if region_code is None else child_level(build, region_code)
    codes: list[str] = children_of(build, region_code)[Out.REGION_CODE].tolist() if child else []
    if region_code is None:
        country = simplified("province", country=True)
        shapes = country.loc[[c for c in codes if c in country.index]]
    else:  # a region without a child level has no codes: its own outline, below
        shapes = shapes_of(child or level_of(build, region_code), codes)
    if shapes.empty:
        level = level_of(build, region_code) if region_code else "province"
        shapes = shapes_of(level, [region_code] if region_code else codes)
    features = [
        feature(geom, {"code": code, "name": name})
        for code, name, geom in zip(shapes.index, shapes["name"], shapes["geometry"], strict=True)
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
    child = None if region_code is None else child_level(build, region_code)
    if child is None:
        return bounds(region_code)
    rows = children_of(build, region_code)
    rows = rows[rows[Out.REGION_CODE].isin(_polygons(child).index) & (rows[Out.POPULATION] > 0)]
    if rows.empty:
        return bounds(region_code)
    rows = rows.reset_index(drop=True).sort_values(
        [Out.POPULATION, Out.REGION_CODE], ascending=[False, True]
    )
    before = rows[Out.POPULATION].cumsum().shift(fill_value=0)
    kept = rows[before < FIT_POPULATION_SHARE * rows[Out.POPULATION].sum()]
    return _box([shape(child, code) for code in kept[Out.REGION_CODE]])


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
        if has_shape(level, code):
            west, south, east, north = shapely.bounds(shape(level, code))
            return [
                [round(south, DECIMALS), round(west, DECIMALS)],
                [round(north, DECIMALS), round(east, DECIMALS)],
            ]
        code = code.rsplit(".", 1)[0] if "." in code else None
    return COUNTRY_BOUNDS


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
