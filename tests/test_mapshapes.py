"""The map's shapes (resolution, outlines, bounds, where a zone lands), on the tiny build.

On 10 Jul 2021 the tiny build has 12 cases in 7 days at Monas (village 31.71.01.1001) and 3 in
Cideng (31.71.01.1002); k = 10. The public reads published counts (``geo.privacy``, under the
run's fixed key of ``conftest.py``): Monas's cell reads 12 (its noise is 0), Cideng's "< 10".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import buildread, cells, mapshapes, zonemap
from geo.buildread import Build

DAY = dt.date(2021, 7, 10)
MONAS = "898c1079b87ffff"  # resolution 9, in Monas (31.71.01.1001)


@pytest.fixture(scope="session")
def tiny(tiny_build_dir: Path) -> Build:
    return buildread.open_build(tiny_build_dir)


def test_map_resolution_by_level(tiny: Build) -> None:
    assert mapshapes.map_resolution(tiny, None) is None  # the country is a regency choropleth
    assert mapshapes.map_resolution(tiny, "31") == 7
    assert mapshapes.map_resolution(tiny, "31.71") == 8
    assert mapshapes.map_resolution(tiny, "31.71.01") == 9
    assert mapshapes.map_resolution(tiny, "31.71.01.1001") == 9


def test_map_resolution_coarsens_a_crowded_view(
    tiny: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapshapes, "MAX_CELLS", 1)  # Jakarta has 2 active cells at 7, 1 at 6
    assert mapshapes.map_resolution(tiny, "31") == 6


def test_map_resolution_coarsens_a_view_over_its_payload_budget(
    tiny: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Jakarta Pusat: 2 active cells at 8, 1 at 7, so the finer map costs one hexagon more.
    fine, coarse = (mapshapes.payload_estimate(tiny, "31.71", res) for res in (8, 7))
    assert fine - coarse == mapshapes.BYTES_PER_CELL
    monkeypatch.setattr(mapshapes, "MAX_PAYLOAD_BYTES", fine)
    assert mapshapes.map_resolution(tiny, "31.71") == 8  # at the budget: fits
    monkeypatch.setattr(mapshapes, "MAX_PAYLOAD_BYTES", fine - 1)
    assert mapshapes.map_resolution(tiny, "31.71") == 7
    monkeypatch.setattr(mapshapes, "MAX_PAYLOAD_BYTES", 1)  # nothing fits: the coarsest
    assert mapshapes.map_resolution(tiny, "31.71") == 6


def test_outlines_and_bounds(tiny: Build) -> None:
    outlines = mapshapes.outlines_geojson(tiny, "31.71.01")
    assert len(outlines["features"]) == 6  # the villages of Gambir
    (south, west), (north, east) = mapshapes.bounds("31.71.01")
    assert south < -6.1754 < north
    assert west < 106.8272 < east
    assert mapshapes.bounds(None) == mapshapes.COUNTRY_BOUNDS


def test_populated_bounds_fit_mainland_jakarta(tiny: Build) -> None:
    # Kepulauan Seribu holds 28,436 of Jakarta's 11 million (0.3 %): drawn, but not fitted.
    assert mapshapes.bounds("31") == [[-6.37251, 106.39059], [-5.20245, 106.97052]]
    assert mapshapes.populated_bounds(tiny, "31") == [[-6.37251, 106.68681], [-6.07432, 106.973]]
    seribu = mapshapes.populated_bounds(tiny, "31.01")  # its own view fits its islands
    assert seribu == [[-6.04018, 106.39059], [-5.20245, 106.84779]]
    assert mapshapes.populated_bounds(tiny, "31.71.01.1001") == mapshapes.bounds("31.71.01.1001")
    assert mapshapes.populated_bounds(tiny, None) == mapshapes.COUNTRY_BOUNDS


def test_populated_bounds_keep_every_child_at_a_share_of_one(
    tiny: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapshapes, "FIT_POPULATION_SHARE", 1.0)
    mapshapes.populated_bounds.cache_clear()  # the fit is kept per build and region
    try:
        assert mapshapes.populated_bounds(tiny, "31") == [
            [-6.37251, 106.39059],
            [-5.20245, 106.973],
        ]
    finally:
        mapshapes.populated_bounds.cache_clear()


def test_the_map_lands_centred_on_the_zone_with_its_centre_inside(tiny: Build) -> None:
    view = mapshapes.zone_view(MONAS)
    assert (view.cell, view.resolution, view.centre) == (MONAS, 9, (-6.174621, 106.828104))
    ring = shapely.Polygon([(lon, lat) for lat, lon in view.outline])
    assert len(view.outline) == 7
    assert view.outline[0] == view.outline[-1]
    assert ring.contains(shapely.Point(view.centre[1], view.centre[0]))
    (south, west), (north, east) = view.bounds
    assert (south + north) / 2 == pytest.approx(view.centre[0], abs=1e-5)
    assert (west + east) / 2 == pytest.approx(view.centre[1], abs=1e-5)
    west_r, south_r, east_r, north_r = ring.bounds
    assert (south < south_r, north > north_r, west < west_r, east > east_r) == (True,) * 4
    assert north - south == pytest.approx(mapshapes.ZONE_CONTEXT * (east_r - west_r), rel=1e-3)


def test_a_jawa_barat_kecamatan_is_outlined_by_its_villages(tiny: Build) -> None:
    # Coblong, Kota Bandung: its six kelurahan (Jawa Barat has village polygons), drawn at 9.
    outlines = mapshapes.outlines_geojson(tiny, "32.73.02")
    codes = [f["properties"]["code"] for f in outlines["features"]]
    assert codes == [f"32.73.02.100{n}" for n in range(1, 7)]
    assert outlines["features"][0]["properties"]["name"] == "Cipaganti"
    assert mapshapes.map_resolution(tiny, "32.73.02") == 9
    village = mapshapes.outlines_geojson(tiny, "32.73.02.1001")  # a village: its own outline
    assert [f["properties"]["code"] for f in village["features"]] == ["32.73.02.1001"]
    for code in ("32.73", "32.73.02"):
        collection = zonemap.zones_geojson(tiny, DAY, code, audience="official", lang="en")
        payload = len(json.dumps(collection)) + len(
            json.dumps(mapshapes.outlines_geojson(tiny, code))
        )
        assert payload < 2_000_000


def test_a_phone_opens_the_country_on_its_populated_core(tiny: Build) -> None:
    """The middle 80 % of the people by the regencies' centres: South Sumatra to Makassar."""
    assert mapshapes.phone_bounds(tiny, None) == [[-7.99458, 101.06424], [0.96569, 119.83198]]
    assert mapshapes.populated_bounds(tiny, None) == mapshapes.COUNTRY_BOUNDS  # wider screens: all
    assert mapshapes.phone_bounds(tiny, "31") == mapshapes.populated_bounds(tiny, "31")


def test_weighted_quantiles_follow_the_weights() -> None:
    values, weights = np.array([3.0, 1.0, 2.0, 4.0]), np.array([1.0, 1.0, 6.0, 2.0])
    assert mapshapes._weighted_quantiles(values, weights, (0.1, 0.9)) == (1.0, 4.0)
    assert mapshapes._weighted_quantiles(values, weights, (0.2, 0.7)) == (2.0, 2.0)


def test_a_country_geometry_is_the_rounded_simplified_shape_read_once() -> None:
    shape = mapshapes.simplified("regency", country=True).at["31.71", "geometry"]
    geometry = mapshapes.country_geometry("regency", "31.71")
    assert geometry == mapshapes.feature(shape, {})["geometry"]
    assert geometry["type"] in {"Polygon", "MultiPolygon"}
    assert mapshapes.country_geometry("regency", "31.71") is geometry  # a date change reuses it


def test_a_drill_down_simplifies_only_the_regions_it_draws(
    tiny: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Gambir's six villages, each simplified once as the whole level's simplification has it;
    # none of the other 12,000 villages (Jawa Barat's among them) until a map draws it.
    mapshapes.shape.cache_clear()
    calls = []
    lean = mapshapes._lean

    def counted(geom: shapely.Geometry, tolerance: float, min_area: float) -> shapely.Geometry:
        calls.append(tolerance)
        return lean(geom, tolerance, min_area)

    monkeypatch.setattr(mapshapes, "_lean", counted)
    outlines = mapshapes.outlines_geojson(tiny, "31.71.01")
    assert len(calls) == 6
    assert mapshapes.outlines_geojson(tiny, "31.71.01") == outlines  # read again, not redone
    mapshapes.bounds("31.71.01.1001")  # a village's own shape, simplified already
    assert len(calls) == 6
    monkeypatch.undo()
    whole = mapshapes.simplified("village")
    for f in outlines["features"]:
        code, name = f["properties"]["code"], f["properties"]["name"]
        assert f == mapshapes.feature(whole.at[code, "geometry"], {"code": code, "name": name})
    assert mapshapes.shapes_of("village", ["99.99", "31.71.01.1002"]).index.tolist() == [
        "31.71.01.1002"  # a code without a polygon is left out
    ]
    assert not mapshapes.has_shape("village", "99.99")


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(
        st.tuples(st.floats(-11.0, 6.0), st.floats(95.0, 141.0)), min_size=0, max_size=30
    ),
    resolution=st.integers(5, 10),
)
def test_hexagons_are_written_as_each_polygons_own_geojson(
    points: list[tuple[float, float]], resolution: int
) -> None:
    # The map's hexagons are written from their coordinates at once; each equals the GeoJSON
    # geometry written polygon by polygon (feature), rounded the same way, in the same order.
    lat = np.array([p[0] for p in points], dtype=float)
    lon = np.array([p[1] for p in points], dtype=float)
    polygons = cells.polygons(cells.points_to_cells(lat, lon, resolution))
    expected = [mapshapes.feature(p, {})["geometry"] for p in polygons]
    assert mapshapes.ring_geometries(polygons) == expected
