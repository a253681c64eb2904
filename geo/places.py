"""Names of hexagons by place: the kelurahan (or kecamatan) holding most of a hexagon's people.

A hexagon of any resolution is named after the village whose part of it has the most residents
(summed over its finest cells, as the population grid records it), with its district: "sekitar Cideng, Gambir" /
"around Cideng, Gambir". Where the finest cells carry no village, the district and its regency
name it. Region codes are left as they are: a region has its own name.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo import cells, compose, reference
from geo.columns import Out

if TYPE_CHECKING:  # geo.zonemap names its hexagons with this module
    from geo.buildread import Build

logger = logging.getLogger(__name__)

#: "around {place}, {parent}" in each language.
AROUND = {"id": "sekitar {place}, {parent}", "en": "around {place}, {parent}"}


@functools.lru_cache(maxsize=8)
def place_codes(build: Build, resolution: int) -> pd.Series:
    """The code of the village (else district) holding most people of each cell at ``resolution``.

    Parameters
    ----------
    build
        The open build.
    resolution
        One of the build's H3 resolutions.

    Returns
    -------
    pandas.Series
        Region codes indexed by cell string; ties go to the smaller code.
    """
    finest = max(build.config.cells.resolutions)
    columns = [Out.CELL, Out.POPULATION, Out.DISTRICT_CODE, Out.VILLAGE_CODE]
    table = pd.read_parquet(
        build.path / "cells.parquet", columns=columns, filters=[(Out.RESOLUTION, "==", finest)]
    )
    place = table[Out.VILLAGE_CODE].fillna(table[Out.DISTRICT_CODE])
    holder = table[Out.CELL]
    if resolution < finest:
        holder = pd.Series(cells.to_strings(cells.parents(cells.from_strings(holder), resolution)))
    frame = pd.DataFrame(
        {"cell": holder.to_numpy(), "place": place.to_numpy(), "people": table[Out.POPULATION]}
    ).dropna(subset=["place"])
    people = frame.groupby(["cell", "place"], sort=True)["people"].sum().reset_index()
    people = people.sort_values(["cell", "people", "place"], ascending=[True, False, True])
    return people.drop_duplicates("cell").set_index("cell")["place"]


def _grid_places(build: Build, cell_ids: list[str]) -> list[str | None]:
    """The village (else district) holding most of the people of each cell over all its finest
    cells, as the population grid records it (a cell with only region-coded cases is not in
    ``cells.parquet``, yet has residents); ``None`` outside the grid. One grid lookup per
    resolution, not one per cell: a province map names a thousand hexagons."""
    out: list[str | None] = [None] * len(cell_ids)
    by_resolution: dict[int, list[int]] = {}
    for i, cell in enumerate(cell_ids):
        by_resolution.setdefault(cells.resolution_of(cell), []).append(i)
    codes = reference.regions().index
    for resolution, where in by_resolution.items():
        if resolution not in build.config.cells.resolutions:
            continue
        grid = compose.grid_of(build, resolution)
        pos = grid.lookup(cells.from_strings([cell_ids[i] for i in where]))
        rows = np.where(pos >= 0, pos, 0)
        village = grid.table["village_idx"].to_numpy()[rows]
        place = np.where(village >= 0, village, grid.table["district_idx"].to_numpy()[rows])
        for i, found, idx in zip(where, pos >= 0, place, strict=True):
            out[i] = str(codes[idx]) if found and idx >= 0 else None
    return out


def place_name(build: Build, code: str, lang: str) -> str:
    """ "sekitar {village}, {district}" (or district, regency) for the region ``code``."""
    names = build.regions["name"]
    parent = build.regions.at[code, "parent_code"]
    return AROUND[lang].format(place=names[code], parent=names[parent])


def zone_names(build: Build, zones: list[str], lang: str) -> list[str]:
    """The name of each zone: a region's own name, a hexagon's by place (its id if unknown).

    Parameters
    ----------
    build
        The open build.
    zones
        Region codes or H3 cell strings, mixed freely.
    lang
        ``"id"`` or ``"en"``.
    """
    out = list(zones)
    hexagons = []
    for i, zone in enumerate(zones):
        if zone in build.regions.index:
            out[i] = str(build.regions.at[zone, "name"])
        elif cells.is_valid_cell(zone):
            hexagons.append(i)
    places = _grid_places(build, [zones[i] for i in hexagons])
    for i, code in zip(hexagons, places, strict=True):
        if code is not None:
            out[i] = place_name(build, code, lang)
    return out


def cells_named(build: Build, cell_ids: list[str], lang: str) -> np.ndarray:
    """:func:`zone_names` of hexagons only, as an ``object`` array (for a map's labels)."""
    return np.asarray(zone_names(build, cell_ids, lang), dtype=object)
