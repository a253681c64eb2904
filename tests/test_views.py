"""A region's summary and the region a zone opens on, on the tiny build of ``tiny_build.py``.

On 10 Jul 2021 the tiny build has 12 cases in 7 days at Monas (village 31.71.01.1001) and 3 in
Cideng (31.71.01.1002); k = 10. The public reads published counts (``geo.privacy``, under the
run's fixed key of ``conftest.py``): Monas's cell reads 12 (its noise is 0), Cideng's "< 10".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tiny_build import XSS_VILLAGE

from geo import buildread, cells, mapshapes, views
from geo.buildread import Build

DAY = dt.date(2021, 7, 10)
MONAS = "898c1079b87ffff"  # resolution 9, in Monas (31.71.01.1001)


@pytest.fixture(scope="session")
def tiny(tiny_build_dir: Path) -> Build:
    return buildread.open_build(tiny_build_dir)


def test_region_summary(tiny: Build) -> None:
    cideng = views.region_summary(tiny, DAY, "31.71.01.1002", audience="public", lang="en")
    assert (cideng.name, cideng.cases_7d, cideng.cases_per_100k_7d) == ("Cideng", "< 10", "—")
    assert cideng.data_until == DAY
    assert sum(cideng.shares.values()) == pytest.approx(1)
    country = views.region_summary(tiny, DAY, None, audience="official", lang="en")
    assert country.cases_7d == 17  # 12 + 3 located + 2 coded to Bandung
    assert country.name == "Indonesia"
    # The panel's reason is the zone card's: whole numbers, a rate under 1 said so.
    assert cideng.reason == "Green zone because of fewer than 10 cases in 7 days."
    assert country.reason == (
        "Green zone because of 17 cases in 7 days, fewer than 1 per 100,000 residents."
    )
    gambir = views.region_summary(tiny, DAY, "31.71.01", audience="official", lang="id")
    assert gambir.reason == "Zona hijau karena 15 kasus dalam 7 hari, 15 per 100 ribu penduduk."


def test_a_zone_belongs_to_the_regions_its_rows_name(tiny: Build) -> None:
    assert views.zone_regions(tiny, MONAS) == ("31", "31.71", "31.71.01", XSS_VILLAGE[0])
    assert views.zone_regions(tiny, "not a cell") == ()
    assert views.zone_regions(tiny, "8f2830828052d25") == ()  # resolution 15: not built
    assert views.zone_regions(tiny, "89283082803ffff") == ()  # resolution 9, not in the build


def test_a_zone_opens_on_a_region_drawn_at_its_resolution(tiny: Build) -> None:
    # Gambir and its villages are drawn at 9, Jakarta Pusat at 8, the province at 7.
    assert views.zone_region(tiny, MONAS, "31.71.01") == "31.71.01"  # the page's region
    assert views.zone_region(tiny, MONAS, "31.71") == XSS_VILLAGE[0]  # 31.71 is drawn at 8
    assert views.zone_region(tiny, MONAS) == XSS_VILLAGE[0]  # its finest region at 9
    res8 = "888c1079b9fffff"
    assert mapshapes.map_resolution(tiny, "31.71") == 8
    assert views.zone_region(tiny, res8, "31") == "31.71"
    res6 = cells.to_strings(cells.parents(cells.from_strings([MONAS]), 6))[0]
    regions = views.zone_regions(tiny, res6)
    assert regions  # no region of it is drawn at 6: its finest, drawn at 6
    assert views.zone_region(tiny, res6, "31") == regions[-1]
    assert views.zone_region(tiny, "nope", "31") is None


def test_report_period_is_two_weeks_ending_on_the_day_within_the_build() -> None:
    assert views.report_period(dt.date(2021, 7, 20), dt.date(2021, 7, 1)) == (
        dt.date(2021, 7, 7),
        dt.date(2021, 7, 20),
    )
    assert views.report_period(dt.date(2021, 7, 10), dt.date(2021, 7, 8)) == (
        dt.date(2021, 7, 8),
        dt.date(2021, 7, 10),
    )
    assert views.report_file_name("31.71", dt.date(2021, 7, 1), dt.date(2021, 7, 14), "pdf") == (
        "pantauzona-31.71-2021-07-01-2021-07-14.pdf"
    )


def test_a_point_opens_the_child_on_its_way_down() -> None:
    village = XSS_VILLAGE[0]  # 31.71.01.1001
    assert views.child_on_path(village, None) == "31"
    assert views.child_on_path(village, "31.71") == "31.71.01"
    assert views.child_on_path(village, village) is None  # no child below the village itself
    assert views.child_on_path(village, "32") is None  # not inside West Java
    assert views.child_on_path(None, "31") is None


def test_the_map_layers_of_a_view(tiny: Build) -> None:
    layers = views.map_layers(tiny, DAY, "31.71.01", audience="public", lang="en")
    assert layers.resolution == mapshapes.map_resolution(tiny, "31.71.01") == 9
    assert len(layers.hexagons["features"]) == 2  # Monas and Cideng
    assert layers.outlines == mapshapes.outlines_geojson(tiny, "31.71.01")
    assert layers.bounds == mapshapes.populated_bounds(tiny, "31.71.01")
    country = views.map_layers(tiny, DAY, None, audience="public", lang="en", resolution=9)
    assert country.resolution is None  # the country is always its regencies' choropleth


def test_regions_presets_and_the_officials_breakdown(tiny: Build) -> None:
    assert ("31.71", "Kota Administrasi Jakarta Pusat") in views.children(tiny, "31")
    assert views.parent(tiny, "31.71") == "31"
    assert views.parent(tiny, "31") is None
    assert views.other_presets(tiny) == ["ppkm", "ppkm_mikro", "hghi"]  # built with pantauzona
    public = views.category_breakdown(tiny, DAY, "31.71", audience="public")
    assert public.empty
    assert views.population_sources(tiny).sum() == len(tiny.regions)
