"""Reading a build for a view, on the tiny build of ``tiny_build.py``.

On 10 Jul 2021 the tiny build has 12 cases in 7 days at Monas (village 31.71.01.1001) and 3 in
Cideng (31.71.01.1002); k = 10. The public reads published counts (``geo.privacy``, under the
run's fixed key of ``conftest.py``): Monas's cell reads 12 (its noise is 0), Cideng's "< 10".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from tiny_build import XSS_VILLAGE, make_tiny_build

from geo import zones
from geo.columns import Out
from geo.errors import BuildError

DAY = dt.date(2021, 7, 10)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> zones.Build:
    return zones.open_build(make_tiny_build(tmp_path_factory.getbasetemp() / "tiny"))


def test_open_build_reads_dates_config_and_regions(tiny: zones.Build) -> None:
    assert tiny.dates == (dt.date(2021, 7, 8), dt.date(2021, 7, 9), DAY)
    assert tiny.min_count == 10
    assert tiny.regions.loc[XSS_VILLAGE[0], "name"] == XSS_VILLAGE[1]


def test_open_build_without_a_build_says_so(tmp_path: Path) -> None:
    with pytest.raises(
        BuildError, match=r"no complete PantauZona build at .* \(missing manifest\.json"
    ):
        zones.open_build(tmp_path)


def test_map_resolution_by_level(tiny: zones.Build) -> None:
    assert zones.map_resolution(tiny, None) is None  # the country is a regency choropleth
    assert zones.map_resolution(tiny, "31") == 7
    assert zones.map_resolution(tiny, "31.71") == 8
    assert zones.map_resolution(tiny, "31.71.01") == 9
    assert zones.map_resolution(tiny, "31.71.01.1001") == 9


def test_map_resolution_coarsens_a_crowded_view(
    tiny: zones.Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zones, "MAX_CELLS", 1)  # Jakarta has 2 active cells at 7, 1 at 6
    assert zones.map_resolution(tiny, "31") == 6


def test_map_resolution_coarsens_a_view_over_its_payload_budget(
    tiny: zones.Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Jakarta Pusat: 2 active cells at 8, 1 at 7, so the finer map costs one hexagon more.
    fine, coarse = (zones.payload_estimate(tiny, "31.71", res) for res in (8, 7))
    assert fine - coarse == zones.BYTES_PER_CELL
    monkeypatch.setattr(zones, "MAX_PAYLOAD_BYTES", fine)
    assert zones.map_resolution(tiny, "31.71") == 8  # at the budget: fits
    monkeypatch.setattr(zones, "MAX_PAYLOAD_BYTES", fine - 1)
    assert zones.map_resolution(tiny, "31.71") == 7
    monkeypatch.setattr(zones, "MAX_PAYLOAD_BYTES", 1)  # nothing fits: the coarsest
    assert zones.map_resolution(tiny, "31.71") == 6


def test_cells_in_reads_one_region_resolution_and_day(tiny: zones.Build) -> None:
    cells = zones.cells_in(tiny, DAY, "31.71.01", 9)
    assert set(cells["resolution"]) == {9}
    assert set(cells["district_code"]) == {"31.71.01"}
    assert sorted(cells["cases_7d"]) == [3.0, 12.0]
    # Bandung's 2 region-coded cases are spread over its cells by population.
    bandung = zones.cells_in(tiny, DAY, "32.73", 9)
    assert bandung["cases_7d"].sum() == pytest.approx(2)
    assert set(bandung["regency_code"]) == {"32.73"}


def test_regions_on_lists_children_with_names(tiny: zones.Build) -> None:
    villages = zones.regions_on(tiny, DAY, "31.71.01")
    assert len(villages) == 6
    by_code = villages.set_index("region_code")
    assert by_code.loc[XSS_VILLAGE[0], "name"] == XSS_VILLAGE[1]
    assert by_code.loc[XSS_VILLAGE[0], "cases_7d"] == 12
    assert len(zones.regions_on(tiny, DAY, None)) == 38


def _by_cases(collection: dict) -> list[dict]:
    return sorted((f["properties"] for f in collection["features"]), key=lambda p: p["label"])


def test_zones_geojson_public_is_suppressed_and_in_the_users_language(tiny: zones.Build) -> None:
    zones_id = zones.zones_geojson(tiny, DAY, "31.71.01", audience="public", lang="id")
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


def test_zones_geojson_officials_read_exact_figures(tiny: zones.Build) -> None:
    props = _by_cases(zones.zones_geojson(tiny, DAY, "31.71.01", audience="official", lang="en"))
    assert sorted(p["cases_7d"] for p in props) == [3.0, 12.0]
    assert sum(p["checkins_7d"] for p in props) == 5.0
    assert [p["reason"] for p in props] == [
        "Orange zone because of 3 cases in 7 days, 203 per 100,000 residents.",
        "Red zone because of 12 cases in 7 days, 9,715 per 100,000 residents.",
    ]


def test_the_week_before_is_read_as_the_audience_reads_it(tiny: zones.Build) -> None:
    table = zones.cells_in(tiny, DAY, "31.71.01", 9)  # Monas and Cideng
    assert np.isnan(zones.week_before(tiny, table, audience="official")).all()  # 3 Jul: no build
    longer = dataclasses.replace(tiny, dates=tuple(dt.date(2021, 7, d) for d in range(3, 11)))
    assert zones.week_before(longer, table, audience="official").tolist() == [0.0, 0.0]  # quiet
    assert np.isnan(zones.week_before(longer, table, audience="public")).all()  # 0 < k
    monas = zones.cells_in(tiny, dt.date(2021, 7, 8), "31.71.01", 9)  # 4 cases on 8 Jul
    later = monas.assign(**{Out.DATE: pd.Timestamp(2021, 7, 15)})  # as if read a week on
    assert zones.week_before(tiny, later, audience="official").tolist() == [4.0]
    regions = zones.region_rows(tiny, ["31.71.01", "31.71"], DAY)
    assert np.isnan(zones.week_before(tiny, regions, audience="public")).all()


def test_zones_geojson_geometry_is_rounded_hexagons(tiny: zones.Build) -> None:
    collection = zones.zones_geojson(tiny, DAY, "31.71.01", audience="public", lang="en")
    ring = collection["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 7  # a hexagon, closed
    assert all(len(str(x).split(".")[1]) <= 5 for point in ring for x in point)


def test_country_view_is_a_small_regency_choropleth(tiny: zones.Build) -> None:
    collection = zones.zones_geojson(tiny, DAY, None, audience="public", lang="en")
    assert len(collection["features"]) == 514
    payload = len(json.dumps(collection)) + len(json.dumps(zones.outlines_geojson(tiny, None)))
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
    drawn = zones.choropleth_rows(regencies, provinces)
    # 32 has data but its regencies have none: the province; 33 has none at all: its regencies.
    assert drawn["region_code"].tolist() == ["32", "31.71", "31.72", "33.01"]


def test_outlines_and_bounds(tiny: zones.Build) -> None:
    outlines = zones.outlines_geojson(tiny, "31.71.01")
    assert len(outlines["features"]) == 6  # the villages of Gambir
    (south, west), (north, east) = zones.bounds("31.71.01")
    assert south < -6.1754 < north
    assert west < 106.8272 < east
    assert zones.bounds(None) == zones.COUNTRY_BOUNDS


def test_populated_bounds_fit_mainland_jakarta(tiny: zones.Build) -> None:
    # Kepulauan Seribu holds 28,436 of Jakarta's 11 million (0.3 %): drawn, but not fitted.
    assert zones.bounds("31") == [[-6.37251, 106.39059], [-5.20245, 106.97052]]
    assert zones.populated_bounds(tiny, "31") == [[-6.37251, 106.68681], [-6.07432, 106.973]]
    seribu = zones.populated_bounds(tiny, "31.01")  # its own view fits its islands
    assert seribu == [[-6.04018, 106.39059], [-5.20245, 106.84779]]
    assert zones.populated_bounds(tiny, "31.71.01.1001") == zones.bounds("31.71.01.1001")
    assert zones.populated_bounds(tiny, None) == zones.COUNTRY_BOUNDS


def test_populated_bounds_keep_every_child_at_a_share_of_one(
    tiny: zones.Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zones, "FIT_POPULATION_SHARE", 1.0)
    zones.populated_bounds.cache_clear()  # the fit is kept per build and region
    try:
        assert zones.populated_bounds(tiny, "31") == [[-6.37251, 106.39059], [-5.20245, 106.973]]
    finally:
        zones.populated_bounds.cache_clear()


def test_region_summary(tiny: zones.Build) -> None:
    cideng = zones.region_summary(tiny, DAY, "31.71.01.1002", audience="public", lang="en")
    assert (cideng.name, cideng.cases_7d, cideng.cases_per_100k_7d) == ("Cideng", "< 10", "—")
    assert cideng.data_until == DAY
    assert sum(cideng.shares.values()) == pytest.approx(1)
    country = zones.region_summary(tiny, DAY, None, audience="official", lang="en")
    assert country.cases_7d == 17  # 12 + 3 located + 2 coded to Bandung
    assert country.name == "Indonesia"
    # The panel's reason is the zone card's: whole numbers, a rate under 1 said so.
    assert cideng.reason == "Green zone because of fewer than 10 cases in 7 days."
    assert country.reason == (
        "Green zone because of 17 cases in 7 days, fewer than 1 per 100,000 residents."
    )
    gambir = zones.region_summary(tiny, DAY, "31.71.01", audience="official", lang="id")
    assert gambir.reason == "Zona hijau karena 15 kasus dalam 7 hari, 15 per 100 ribu penduduk."


# --- One zone ---------------------------------------------------------------------------------

MONAS = "898c1079b87ffff"  # resolution 9, in Monas (31.71.01.1001)


def test_a_zone_belongs_to_the_regions_its_rows_name(tiny: zones.Build) -> None:
    assert zones.zone_regions(tiny, MONAS) == ("31", "31.71", "31.71.01", XSS_VILLAGE[0])
    assert zones.zone_regions(tiny, "not a cell") == ()
    assert zones.zone_regions(tiny, "8f2830828052d25") == ()  # resolution 15: not built
    assert zones.zone_regions(tiny, "89283082803ffff") == ()  # resolution 9, not in the build


def test_a_zone_opens_on_a_region_drawn_at_its_resolution(tiny: zones.Build) -> None:
    # Gambir and its villages are drawn at 9, Jakarta Pusat at 8, the province at 7.
    assert zones.zone_region(tiny, MONAS, "31.71.01") == "31.71.01"  # the page's region
    assert zones.zone_region(tiny, MONAS, "31.71") == XSS_VILLAGE[0]  # 31.71 is drawn at 8
    assert zones.zone_region(tiny, MONAS) == XSS_VILLAGE[0]  # its finest region at 9
    res8 = "888c1079b9fffff"
    assert zones.map_resolution(tiny, "31.71") == 8
    assert zones.zone_region(tiny, res8, "31") == "31.71"
    res6 = zones.cells.to_strings(zones.cells.parents(zones.cells.from_strings([MONAS]), 6))[0]
    regions = zones.zone_regions(tiny, res6)
    assert regions  # no region of it is drawn at 6: its finest, drawn at 6
    assert zones.zone_region(tiny, res6, "31") == regions[-1]
    assert zones.zone_region(tiny, "nope", "31") is None


def test_a_region_is_drawn_at_a_given_resolution(tiny: zones.Build) -> None:
    natural = zones.zones_geojson(tiny, DAY, "31.71.01", audience="official", lang="en")
    coarser = zones.zones_geojson(
        tiny, DAY, "31.71.01", audience="official", lang="en", resolution=8
    )
    res = {zones.cells.resolution_of(f["properties"]["label"]) for f in natural["features"]}
    assert res == {9}
    labels = [f["properties"]["label"] for f in coarser["features"]]
    assert labels
    assert {zones.cells.resolution_of(label) for label in labels} == {8}
    table = zones.cells_in(tiny, DAY, "31.71.01", 8)
    assert sorted(labels) == sorted(table["cell"].astype(str))


def test_the_map_lands_centred_on_the_zone_with_its_centre_inside(tiny: zones.Build) -> None:
    view = zones.zone_view(MONAS)
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
    assert north - south == pytest.approx(zones.ZONE_CONTEXT * (east_r - west_r), rel=1e-3)


def test_a_jawa_barat_kecamatan_is_outlined_by_its_villages(tiny: zones.Build) -> None:
    # Coblong, Kota Bandung: its six kelurahan (Jawa Barat has village polygons), drawn at 9.
    outlines = zones.outlines_geojson(tiny, "32.73.02")
    codes = [f["properties"]["code"] for f in outlines["features"]]
    assert codes == [f"32.73.02.100{n}" for n in range(1, 7)]
    assert outlines["features"][0]["properties"]["name"] == "Cipaganti"
    assert zones.map_resolution(tiny, "32.73.02") == 9
    village = zones.outlines_geojson(tiny, "32.73.02.1001")  # a village: its own outline
    assert [f["properties"]["code"] for f in village["features"]] == ["32.73.02.1001"]
    for code in ("32.73", "32.73.02"):
        collection = zones.zones_geojson(tiny, DAY, code, audience="official", lang="en")
        payload = len(json.dumps(collection)) + len(json.dumps(zones.outlines_geojson(tiny, code)))
        assert payload < 2_000_000


def test_a_phone_opens_the_country_on_its_populated_core(tiny: zones.Build) -> None:
    """The middle 80 % of the people by the regencies' centres: South Sumatra to Makassar."""
    assert zones.phone_bounds(tiny, None) == [[-7.99458, 101.06424], [0.96569, 119.83198]]
    assert zones.populated_bounds(tiny, None) == zones.COUNTRY_BOUNDS  # wider screens: all
    assert zones.phone_bounds(tiny, "31") == zones.populated_bounds(tiny, "31")


def test_weighted_quantiles_follow_the_weights() -> None:
    values, weights = np.array([3.0, 1.0, 2.0, 4.0]), np.array([1.0, 1.0, 6.0, 2.0])
    assert zones._weighted_quantiles(values, weights, (0.1, 0.9)) == (1.0, 4.0)
    assert zones._weighted_quantiles(values, weights, (0.2, 0.7)) == (2.0, 2.0)
