"""The zones a map draws, as GeoJSON features, on the tiny build of ``tiny_build.py``.

On 10 Jul 2021 the tiny build has 12 cases in 7 days at Monas (village 31.71.01.1001) and 3 in
Cideng (31.71.01.1002); k = 10. The public reads published counts (``geo.privacy``, under the
run's fixed key of ``conftest.py``): Monas's cell reads 12 (its noise is 0), Cideng's "< 10".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from tiny_build import XSS_VILLAGE

from geo import buildread, cells, mapshapes, zonemap
from geo.buildread import Build

DAY = dt.date(2021, 7, 10)


@pytest.fixture(scope="session")
def tiny(tiny_build_dir: Path) -> Build:
    return buildread.open_build(tiny_build_dir)


def _by_cases(collection: dict) -> list[dict]:
    return sorted((f["properties"] for f in collection["features"]), key=lambda p: p["label"])


def test_zones_geojson_public_is_suppressed_and_in_the_users_language(tiny: Build) -> None:
    zones_id = zonemap.zones_geojson(tiny, DAY, "31.71.01", audience="public", lang="id")
    props = {p["cases_7d"]: p for p in _by_cases(zones_id)}
    assert set(props) == {"12", "< 10"}  # 12 cases + noise 0; 3 cases
    monas = props["12"]
    assert props["< 10"]["cases_per_100k_7d"] == "—"
    assert props["< 10"]["reason"] == "Zona oranye karena kurang dari 10 kasus dalam 7 hari."
    assert monas["risk"] == "red"  # the colour is the exact count's
    assert monas["cases_per_100k_7d"] == "9.715,0"  # from the published count
    assert monas["colour"] == "merah"  # the card's short form, whole numbers
    assert (
        monas["reason"] == "Zona merah karena 12 kasus dalam 7 hari, 9.715 per 100 ribu penduduk."
    )
    assert monas["name"] == f"sekitar {XSS_VILLAGE[1]}, Gambir"
    assert monas["trend"] == "belum ada angka seminggu sebelumnya"  # 3 Jul: before the build
    assert monas["code"] == XSS_VILLAGE[0]  # a click opens the village
    assert "checkins_7d" not in monas


def test_zones_geojson_officials_read_exact_figures(tiny: Build) -> None:
    props = _by_cases(zonemap.zones_geojson(tiny, DAY, "31.71.01", audience="official", lang="en"))
    assert sorted(p["cases_7d"] for p in props) == [3.0, 12.0]
    assert sum(p["checkins_7d"] for p in props) == 5.0
    assert [p["reason"] for p in props] == [
        "Orange zone because of 3 cases in 7 days, 203 per 100,000 residents.",
        "Red zone because of 12 cases in 7 days, 9,715 per 100,000 residents.",
    ]


def test_zones_geojson_geometry_is_rounded_hexagons(tiny: Build) -> None:
    collection = zonemap.zones_geojson(tiny, DAY, "31.71.01", audience="public", lang="en")
    ring = collection["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 7  # a hexagon, closed
    assert all(len(str(x).split(".")[1]) <= 5 for point in ring for x in point)


def test_country_view_is_a_small_regency_choropleth(tiny: Build) -> None:
    collection = zonemap.zones_geojson(tiny, DAY, None, audience="public", lang="en")
    assert len(collection["features"]) == 514
    payload = len(json.dumps(collection)) + len(json.dumps(mapshapes.outlines_geojson(tiny, None)))
    assert payload < 2_000_000
    risks = {f["properties"]["code"]: f["properties"]["risk"] for f in collection["features"]}
    assert risks["11.01"] == "no_data"  # no report at all: no data, never green


def test_a_province_without_regency_data_is_drawn_as_itself() -> None:
    regencies = pd.DataFrame(
        {"region_code": ["31.71", "31.72", "32.73", "33.01"], "risk": ["red"] + ["no_data"] * 3}
    )
    provinces = pd.DataFrame(
        {"region_code": ["31", "32", "33"], "risk": ["red", "orange", "no_data"]}
    )
    drawn = zonemap.choropleth_rows(regencies, provinces)
    # 32 has data but its regencies have none: the province; 33 has none at all: its regencies.
    assert drawn["region_code"].tolist() == ["32", "31.71", "31.72", "33.01"]


def test_a_region_is_drawn_at_a_given_resolution(tiny: Build) -> None:
    natural = zonemap.zones_geojson(tiny, DAY, "31.71.01", audience="official", lang="en")
    coarser = zonemap.zones_geojson(
        tiny, DAY, "31.71.01", audience="official", lang="en", resolution=8
    )
    res = {cells.resolution_of(f["properties"]["label"]) for f in natural["features"]}
    assert res == {9}
    labels = [f["properties"]["label"] for f in coarser["features"]]
    assert labels
    assert {cells.resolution_of(label) for label in labels} == {8}
    table = buildread.cells_in(tiny, DAY, "31.71.01", 8)
    assert sorted(labels) == sorted(table["cell"].astype(str))


def test_the_country_view_draws_each_region_in_its_country_shape(tiny: Build) -> None:
    collection = zonemap.zones_geojson(tiny, DAY, None, audience="public", lang="en")
    for f in collection["features"]:
        level = "province" if "." not in f["properties"]["code"] else "regency"
        expected = mapshapes.simplified(level, country=True).at[f["properties"]["code"], "geometry"]
        assert f["geometry"] == mapshapes.feature(expected, {})["geometry"]
