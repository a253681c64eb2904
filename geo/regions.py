"""Regions of points and cells: the finest polygon layer, its hierarchy and lookups.

The finest layer is the kelurahan/desa (village) in every province with village polygons (DKI
Jakarta and Jawa Barat, :func:`geo.reference.village_provinces`) and, elsewhere, the kecamatan
(district).
A point belongs to the polygon that contains it, or to the nearest within ``SNAP_DEGREES`` (the
shipped boundaries are generalised, so coastal points can fall just outside).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import shapely

from geo import reference
from geo.columns import LEVEL_COLUMNS, LEVELS

#: Points this close (about 550 m) to a polygon but outside all of them are snapped to it.
SNAP_DEGREES = 0.005


@functools.cache
def finest() -> pd.DataFrame:
    """The finest polygon layer: one row per polygon with its codes at every level.

    Columns ``code, level, geometry, province_code, regency_code, district_code, village_code``,
    ordered by code; the row position is the polygon's index used across the pipeline.
    """
    villages = reference.boundaries("village")
    districts = reference.boundaries("district")
    covered = tuple(f"{province}." for province in reference.village_provinces())
    districts = districts[~districts["code"].str.startswith(covered)]
    layer = pd.concat([villages, districts], ignore_index=True).sort_values("code")
    layer = layer.reset_index(drop=True)
    table = reference.regions()
    for column in LEVEL_COLUMNS.values():
        layer[column] = table.loc[layer["code"], column].to_numpy()
    return layer


@functools.cache
def _tree() -> shapely.STRtree:
    return shapely.STRtree(finest()["geometry"].to_numpy())


def locate_points(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Index into :func:`finest` of the polygon holding each point, or -1 when none does."""
    result = np.full(len(lat), -1, dtype=np.int64)
    if len(lat) == 0:
        return result
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    point_idx, poly_idx = _tree().query(points, predicate="within")
    order = np.lexsort((poly_idx, point_idx))  # first polygon per point, by code order
    point_idx, poly_idx = point_idx[order], poly_idx[order]
    first = np.r_[True, point_idx[1:] != point_idx[:-1]][: point_idx.size]  # none within: empty
    result[point_idx[first]] = poly_idx[first]
    missing = np.flatnonzero(result < 0)
    if missing.size:
        near_pt, near_poly = _tree().query_nearest(
            points[missing], max_distance=SNAP_DEGREES, all_matches=False
        )
        result[missing[near_pt]] = near_poly
    return result


def codes_of(poly_index: np.ndarray) -> pd.DataFrame:
    """Codes at every level for polygon indices (-1 gives nulls)."""
    layer = finest()
    idx = np.asarray(poly_index)
    valid = idx >= 0
    out = {}
    for column in LEVEL_COLUMNS.values():
        values = np.full(len(idx), None, dtype=object)
        values[valid] = layer[column].to_numpy()[idx[valid]]
        out[column] = values
    return pd.DataFrame(out)


def within(code: str | None, scope: str | None) -> bool:
    """Whether region ``code`` lies inside region ``scope`` (``None`` for either: Indonesia)."""
    if scope is None:
        return True
    return code is not None and (code == scope or code.startswith(scope + "."))


def level_of(code: str) -> str:
    """The level of a Kemendagri code from its shape (``31``, ``31.71``, ``31.71.01``, ...)."""
    return LEVELS[min(code.count("."), 3)]


def known_code(code: str) -> bool:
    """Whether a code is a region of the 2025 edition that PantauZona has."""
    return code in reference.regions().index


def ancestors(code: str) -> list[str]:
    """The code and its ancestors, finest first (``31.71.01`` → district, regency, province)."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
