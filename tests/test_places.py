"""Hexagons named by the village (or district) holding most of their people."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pipeline_fixtures import CIDENG, GAMBIR, SUKASARI

from geo import cells, places
from geo.buildread import open_build

pytest_plugins = ["pipeline_fixtures"]


@pytest.fixture(scope="module")
def build(built):
    return open_build(built[0])


def _cell(point: tuple[float, float], resolution: int) -> str:
    lat, lon = np.array([point[0]]), np.array([point[1]])
    return str(cells.to_strings(cells.points_to_cells(lat, lon, resolution))[0])


def test_a_fine_hexagon_is_named_by_its_village_and_district(build):
    cell = _cell(CIDENG, 9)
    assert places.zone_names(build, [cell], "id") == ["sekitar Cideng, Gambir"]
    assert places.zone_names(build, [cell], "en") == ["around Cideng, Gambir"]
    assert places.zone_names(build, [_cell(SUKASARI, 9)], "id") == ["sekitar Isola, Sukasari"]


def test_a_coarse_hexagon_is_named_by_the_village_holding_most_of_its_people(build, base_grid):
    # Over all its resolution-9 cells (the population grid), not only those with a case: the
    # build keeps region-coded cases at their region, so most hexagons have no row of their own.
    cell = _cell(GAMBIR, 6)
    table = base_grid.table
    inside = table[_within(pd.Series(cells.to_strings(table["cell"].to_numpy())), cell)]
    place = np.where(inside["village_idx"] >= 0, inside["village_idx"], inside["district_idx"])
    people = inside.groupby(place)["population"].sum()
    assert build.regions.index[people.idxmax()] == "31.71.08.1004"
    assert places.zone_names(build, [cell], "en") == ["around Tanah Tinggi, Johar Baru"]


def _within(fine: pd.Series, cell: str) -> np.ndarray:
    parents = cells.to_strings(cells.parents(cells.from_strings(fine), 6))
    return parents == cell


def test_regions_keep_their_names_and_unknown_zones_their_ids(build):
    assert places.zone_names(build, ["31.71.01", "31.71.01.1002"], "id") == ["Gambir", "Cideng"]
    assert places.zone_names(build, ["not-a-zone", "8f283082aa20c00"], "en") == [
        "not-a-zone",
        "8f283082aa20c00",  # a valid cell at a resolution the build does not hold
    ]


def test_every_cell_of_a_resolution_has_a_place(build):
    finest = max(build.config.cells.resolutions)
    codes = places.place_codes(build, finest)
    assert codes.index.is_unique
    assert codes.map(lambda code: code in build.regions.index).all()


def test_a_mixed_list_is_named_as_each_zone_alone(build):
    ocean = _cell((-5.0, 100.0), 9)  # in the Indian Ocean: no resident, not in the grid
    zones = [
        _cell(CIDENG, 9),
        "31.71.01",
        _cell(GAMBIR, 6),
        "not-a-zone",
        ocean,
        _cell(SUKASARI, 9),
    ]
    alone = [places.zone_names(build, [zone], "id")[0] for zone in zones]
    assert places.zone_names(build, zones, "id") == alone
    assert alone == [
        "sekitar Cideng, Gambir",
        "Gambir",
        "sekitar Tanah Tinggi, Johar Baru",
        "not-a-zone",
        ocean,
        "sekitar Isola, Sukasari",
    ]
