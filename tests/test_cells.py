"""H3 in one place: points to cells, parents, strings, centres, outlines, areas."""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely

from geo import cells

# Monas (the National Monument), Jakarta.
MONAS = (-6.1754, 106.8272)


def test_points_to_cells_agrees_with_h3():
    lat = np.array([MONAS[0], -7.25, 3.59])
    lon = np.array([MONAS[1], 112.75, 98.67])
    got = cells.to_strings(cells.points_to_cells(lat, lon, 9))
    assert list(got) == [h3.latlng_to_cell(a, b, 9) for a, b in zip(lat, lon, strict=True)]
    assert cells.points_to_cells(lat, lon, 9).dtype == np.uint64


def test_known_cell_of_monas():
    (cell,) = cells.to_strings(cells.points_to_cells(np.array([MONAS[0]]), np.array([MONAS[1]]), 9))
    assert cell == h3.latlng_to_cell(*MONAS, 9)
    assert cells.resolution_of(cell) == 9
    assert cells.is_valid_cell(cell)


def test_parents_agree_with_h3():
    base = cells.points_to_cells(np.array([MONAS[0], -7.25]), np.array([MONAS[1], 112.75]), 9)
    for res in (8, 7, 6, 0):
        got = cells.to_strings(cells.parents(base, res))
        expected = [h3.cell_to_parent(c, res) for c in cells.to_strings(base)]
        assert list(got) == expected


def test_string_round_trip():
    base = cells.points_to_cells(np.array([MONAS[0], -7.25]), np.array([MONAS[1], 112.75]), 9)
    assert np.array_equal(cells.from_strings(cells.to_strings(base)), base)


def test_arrow_strings_are_the_strings():
    base = cells.points_to_cells(np.array([MONAS[0], -7.25]), np.array([MONAS[1], 112.75]), 9)
    got = cells.to_arrow_strings(base)
    assert pa.types.is_large_string(got.type) or pa.types.is_string(got.type)
    assert got.to_pylist() == [h3.latlng_to_cell(*MONAS, 9), h3.latlng_to_cell(-7.25, 112.75, 9)]
    assert got.to_pylist() == list(cells.to_strings(base))
    assert cells.to_arrow_strings(np.empty(0, dtype=np.uint64)).to_pylist() == []


def test_from_strings_names_the_first_invalid_cell():
    good = h3.latlng_to_cell(*MONAS, 9)
    with pytest.raises(ValueError, match=r"^not an H3 cell: 'zzz'$"):
        cells.from_strings([good, "zzz", "also-bad"])


def test_from_strings_reads_arrow_strings_as_they_are():
    base = cells.points_to_cells(
        np.array([MONAS[0], -7.25, 3.59]), np.array([MONAS[1], 112.75, 98.67]), 9
    )
    text = cells.to_arrow_strings(base)
    chunked = pa.chunked_array([text.slice(0, 1), text.slice(1)])
    index = pd.Index(pd.array(text, dtype="str"))
    for values in (text, chunked, index.array, pd.Categorical(index).categories.array):
        assert np.array_equal(np.sort(cells.from_strings(values)), np.sort(base))
    assert cells.from_strings(text.slice(0, 0)).size == 0
    bad = pa.array([h3.latlng_to_cell(*MONAS, 9), None, "zzz"])
    with pytest.raises(ValueError, match=r"^not an H3 cell: None$"):
        cells.from_strings(bad)
    with pytest.raises(ValueError, match=r"^not an H3 cell: 'zzz'$"):
        cells.from_strings(pd.array(["zzz"], dtype="str"))


@pytest.mark.parametrize("value", ["zzz", "", "8f", None, 12])
def test_is_valid_cell_rejects_garbage(value):
    assert not cells.is_valid_cell(value)


def test_centres_lie_in_their_cells():
    base = cells.points_to_cells(np.array([MONAS[0]]), np.array([MONAS[1]]), 9)
    lat, lon = cells.centres(base)
    expected = h3.cell_to_latlng(cells.to_strings(base)[0])
    assert (lat[0], lon[0]) == pytest.approx(expected, abs=1e-9)
    (polygon,) = cells.polygons(base)
    assert polygon.contains(shapely.Point(lon[0], lat[0]))
    assert polygon.contains(shapely.Point(MONAS[1], MONAS[0]))


def test_cells_in_polygons_take_cells_whose_centre_is_inside():
    square = shapely.box(106.80, -6.20, 106.85, -6.15)  # about 5.5 km by 5.5 km
    tiny = shapely.box(106.8272, -6.1754, 106.82721, -6.17539)  # holds no cell centre
    index, found = cells.cells_in_polygons(np.array([square, tiny], dtype=object), 8)
    expected = h3.geo_to_cells(square.__geo_interface__, 8)
    assert sorted(cells.to_strings(found)) == sorted(expected)
    assert set(index.tolist()) == {0}
    lat, lon = cells.centres(found)
    assert shapely.contains_xy(square, lon, lat).all()


def test_area_agrees_with_h3():
    base = cells.points_to_cells(np.array([MONAS[0]]), np.array([MONAS[1]]), 9)
    (area,) = cells.area_km2(base)
    assert area == pytest.approx(h3.cell_area(cells.to_strings(base)[0], unit="km^2"), rel=1e-6)
    assert 0.09 < area < 0.12  # resolution 9 cells are about 0.1 km²


def test_empty_inputs_give_empty_outputs():
    empty = np.empty(0, dtype=np.uint64)
    assert cells.points_to_cells(np.empty(0), np.empty(0), 9).size == 0
    assert cells.parents(empty, 8).size == 0
    assert cells.to_strings(empty).size == 0
    assert cells.from_strings([]).size == 0
    assert all(a.size == 0 for a in cells.centres(empty))
    assert cells.polygons(empty).size == 0
    assert cells.area_km2(empty).size == 0


def test_positions_among_sorted_cells_are_minus_one_where_absent():
    known = np.array([3, 8, 20], dtype=np.uint64)
    asked = np.array([20, 1, 8, 21, 3, 8], dtype=np.uint64)
    assert cells.positions(known, asked).tolist() == [2, -1, 1, -1, 0, 1]
    assert cells.positions(np.empty(0, dtype=np.uint64), asked).tolist() == [-1] * 6
    assert cells.positions(known, np.empty(0, dtype=np.uint64)).tolist() == []


def test_neighbour_pairs_are_the_k_ring_within_the_given_cells():
    centre = h3.latlng_to_cell(*MONAS, 8)
    patch = sorted(h3.grid_disk(centre, 1))  # the centre and its 6 neighbours
    keys = cells.from_strings(patch)
    focal, neighbour = cells.neighbour_pairs(keys)
    pairs = {(patch[i], patch[j]) for i, j in zip(focal, neighbour, strict=True)}
    expected = {(a, b) for a in patch for b in h3.grid_disk(a, 1) if b in patch and b != a}
    assert pairs == expected
    assert len(pairs) == 6 * 2 + 6 * 2  # centre <-> 6, and each ring cell <-> its 2 ring mates
    assert all((b, a) in pairs for a, b in pairs)
    empty = cells.neighbour_pairs(np.empty(0, dtype=np.uint64))
    assert empty[0].size == 0
    assert empty[1].size == 0
