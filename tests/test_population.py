"""Population per H3 cell: from the finest real table, conserved from regions to cells and across
resolutions, cached on disk."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pipeline_fixtures import RESOLUTIONS

from geo import buildread, cells, compose, population, reference
from geo.population import (
    SOURCE_DISTRICT,
    SOURCE_JABAR_VILLAGE,
    SOURCE_REMAINDER,
    SOURCE_VILLAGE,
    scale_to_totals,
)

pytest_plugins = ["pipeline_fixtures"]


def rows_of(grid, idx_col: str, code: str):
    pos = reference.regions().index.get_loc(code)
    return grid.table[grid.table[idx_col] == pos]


def test_grid_is_sorted_and_unique(all_grids):
    for res, grid in all_grids.items():
        keys = grid.table["cell"].to_numpy()
        assert grid.resolution == res
        assert keys.dtype == np.uint64
        assert (np.diff(keys.astype(np.float64)) >= 0).all() or (keys[1:] > keys[:-1]).all()
        assert (keys[1:] > keys[:-1]).all()


def test_population_is_conserved_from_units_to_cells(base_grid):
    units = population.unit_population()
    total = base_grid.table["population"].sum()
    # Every unit (a polygon with a figure, or a regency's polygons without one) lands on cells.
    assert total == pytest.approx(units["population"].sum(), rel=1e-12)
    # DKI: Dukcapil 2019 kelurahan; elsewhere Dukcapil 2025 regencies.
    table = reference.regions()
    outside_dki = table[(table["level"] == "regency") & (table["province_code"] != "31")]
    expected = outside_dki["population"].sum() + reference.village_population().sum()
    assert total == pytest.approx(expected, rel=1e-12)


def test_population_is_conserved_across_resolutions(all_grids):
    totals = [all_grids[res].table["population"].sum() for res in RESOLUTIONS]
    assert totals == pytest.approx([totals[0]] * len(totals), rel=1e-12)


def test_a_kelurahan_is_spread_evenly_over_its_cells(base_grid):
    gambir = rows_of(base_grid, "village_idx", "31.71.01.1001")
    # Gambir: 3,088 people over its cells, each the same share.
    assert gambir["population"].sum() == pytest.approx(3088)
    assert np.allclose(gambir["population"], 3088 / len(gambir))
    assert (gambir["source"] == population.SOURCES.index(SOURCE_VILLAGE)).all()


def test_every_regency_outside_dki_sums_to_its_total(base_grid):
    # At every level the cells of a region sum to its population: per regency the regions.csv
    # total outside DKI, the sum of its 2019 kelurahan in DKI.
    table = reference.regions()
    pop = base_grid.table["population"].to_numpy()
    idx = base_grid.table["regency_idx"].to_numpy()
    sums = pd.Series(np.bincount(idx, weights=pop, minlength=len(table)), index=table.index)
    regencies = table[table["level"] == "regency"]
    outside = regencies[regencies["province_code"] != "31"]
    assert sums[outside.index].to_numpy() == pytest.approx(outside["population"].to_numpy())
    kelurahan = reference.village_population()
    by_regency = kelurahan.groupby(kelurahan.index.str[:5]).sum()
    assert sums[by_regency.index].to_numpy() == pytest.approx(by_regency.to_numpy())


def test_a_kecamatan_takes_its_dukcapil_share_of_the_regency(base_grid):
    # Banjarmasin Tengah: 90,444 of Kota Banjarmasin's 678,243 kecamatan people (Dukcapil 2023),
    # scaled to the regency's 681,693 (regions.csv), spread evenly over its cells.
    expected = 90_444 * 681_693 / 678_243
    tengah = rows_of(base_grid, "district_idx", "63.71.05")
    assert tengah["population"].sum() == pytest.approx(expected)
    assert np.allclose(tengah["population"], expected / len(tengah))
    assert (tengah["source"] == population.SOURCES.index(SOURCE_DISTRICT)).all()


def test_a_jawa_barat_desa_takes_its_dukcapil_share_of_the_regency(base_grid):
    # Pondok Rajeg: 18,382 of Kabupaten Bogor's 5,664,537 (Semester I 2024), scaled to 5,809,790.
    expected = 18_382 * 5_809_790 / 5_664_537
    desa = rows_of(base_grid, "village_idx", "32.01.01.1001")
    assert desa["population"].sum() == pytest.approx(expected)
    assert (desa["source"] == population.SOURCES.index(SOURCE_JABAR_VILLAGE)).all()


def test_coblong_sums_its_kelurahan(base_grid):
    # Kota Bandung has a kelurahan without a figure, so the others keep theirs: Coblong's six
    # sum to 117,378 (its 2023 kecamatan figure: 116,875); Cipaganti holds 12,010.
    coblong = rows_of(base_grid, "district_idx", "32.73.02")
    assert coblong["population"].sum() == pytest.approx(117_378)
    assert rows_of(base_grid, "village_idx", "32.73.02.1001")["population"].sum() == (
        pytest.approx(12_010)
    )


def test_places_without_a_figure_take_the_regency_remainder(base_grid):
    # Kota Bandung 2,591,763 - 2,559,169 with a figure: 32,594 for kelurahan 32.73.23.1004.
    missing = rows_of(base_grid, "village_idx", "32.73.23.1004")
    assert missing["population"].sum() == pytest.approx(32_594)
    assert (missing["source"] == population.SOURCES.index(SOURCE_REMAINDER)).all()
    # Kabupaten Sorong: 17 kecamatan without a figure share 129,669 - 84,923 by area.
    table = reference.regions()
    sorong = table[table["parent_code"] == "96.01"].index
    gaps = sorong.difference(reference.district_population().index)
    assert len(gaps) == 17
    rows = base_grid.table[base_grid.table["district_idx"].isin(table.index.get_indexer(gaps))]
    assert rows["population"].sum() == pytest.approx(129_669 - 84_923)
    assert np.allclose(rows["population"], rows["population"].iloc[0])
    assert (rows["source"] == population.SOURCES.index(SOURCE_REMAINDER)).all()


def test_scale_to_totals_by_hand():
    group = np.array(["a", "a", "b", "b", "c"])
    figure = np.array([1.0, 3.0, 2.0, np.nan, np.nan])
    scaled, rest = scale_to_totals(group, figure, pd.Series({"a": 8.0, "b": 5.0, "c": 7.0}))
    # a: every member has a figure, scaled x2; b: 2 kept, 3 left; c: no figure, all 7 left.
    assert scaled[:3].tolist() == [2.0, 6.0, 2.0]
    assert np.isnan(scaled[3:]).all()
    assert rest.tolist() == [0.0, 0.0, 3.0, 3.0, 7.0]
    # Figures above a total with a gap are scaled down to it, leaving nothing.
    scaled, rest = scale_to_totals(group[2:4], figure[2:4], pd.Series({"b": 1.0}))
    assert scaled[0] == 1.0
    assert rest.tolist() == [0.0, 0.0]


@settings(deadline=None, max_examples=60)  # no timing: the machine is shared
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.one_of(st.none(), st.floats(0.5, 1e6)),
        ),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.floats(0, 1e7), min_size=4, max_size=4),
)
def test_scale_to_totals_conserves_every_total(members, totals):
    group = np.array([f"g{g}" for g, _ in members])
    figure = np.array([np.nan if f is None else f for _, f in members])
    total = pd.Series(totals, index=[f"g{i}" for i in range(4)])
    scaled, rest = scale_to_totals(group, figure, total)
    assert (np.nan_to_num(scaled) >= 0).all()
    assert (rest >= 0).all()
    assert (np.isnan(scaled) == np.isnan(figure)).all()
    for name in set(group):
        mine = group == name
        has_gap = np.isnan(figure[mine]).any()
        placed = np.nansum(scaled[mine]) + (rest[mine][0] if has_gap else 0.0)
        assert placed == pytest.approx(total[name], rel=1e-9, abs=1e-6)


def test_lookup_and_attributes(base_grid):
    gambir = rows_of(base_grid, "village_idx", "31.71.01.1001")
    cell = gambir["cell"].iloc[0]
    sea = cells.points_to_cells(np.array([-5.0]), np.array([110.0]), 9)[0]  # the Java Sea
    positions = base_grid.lookup(np.array([cell, sea], dtype=np.uint64))
    assert positions[0] == gambir.index[0]
    assert positions[1] == -1
    attrs = base_grid.attributes(positions)
    assert attrs.iloc[0][
        ["province_code", "regency_code", "district_code", "village_code"]
    ].tolist() == [
        "31",
        "31.71",
        "31.71.01",
        "31.71.01.1001",
    ]
    assert attrs["population"].iloc[0] == pytest.approx(3088 / len(gambir))
    assert attrs["population_source"].iloc[0] == SOURCE_VILLAGE
    # A cell outside the grid: no population, no source, no region.
    assert attrs["population"].iloc[1] == 0.0
    assert attrs.iloc[1].drop("population").isna().all()


def test_coarse_cells_take_the_region_holding_most_of_their_population(all_grids):
    base, coarse = all_grids[9], all_grids[6]
    parent = cells.parents(base.table["cell"].to_numpy(), 6)
    one = coarse.table.iloc[len(coarse.table) // 2]
    children = base.table[parent == one["cell"]]
    assert one["population"] == pytest.approx(children["population"].sum())
    by_regency = children.groupby("regency_idx")["population"].sum()
    assert one["regency_idx"] == by_regency.idxmax()


def test_grids_are_cached_on_disk(all_grids, shared_cache):
    key = f"{population.GRID_FORMAT}-{reference.data_digest()[:16]}"
    for res in RESOLUTIONS:
        path = population.cache_dir() / f"grid-{key}-9_8_7_6-r{res}.parquet"
        assert path.is_file()
    assert population.cache_dir() == shared_cache


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAUZONA_CACHE", str(tmp_path))
    assert population.cache_dir() == tmp_path
    monkeypatch.delenv("PANTAUZONA_CACHE")
    assert population.cache_dir().parts[-2:] == (".cache", "pantauzona")


def test_unit_population():
    units = population.unit_population()
    assert units.loc["31.71.01.1001", "population"] == 3088
    assert units.loc["31.71.01.1001", "population_source"] == SOURCE_VILLAGE
    assert units.loc["32.73.02.1001", "population"] == 12_010
    assert units.loc["32.73.02.1001", "population_source"] == SOURCE_JABAR_VILLAGE
    # A regency's unit is what its polygons without a figure share.
    assert units.loc["32.73", "population"] == 32_594
    assert units.loc["32.73", "population_source"] == SOURCE_REMAINDER
    assert "63.71" not in units.index  # every Banjarmasin kecamatan has a figure
    assert units["population_source"].value_counts().to_dict() == {
        SOURCE_DISTRICT: 6569,
        SOURCE_JABAR_VILLAGE: 5946,
        SOURCE_VILLAGE: 267,
        SOURCE_REMAINDER: 15,
    }
    assert units.index.is_unique


def test_every_polygon_with_a_figure_lands_on_its_cells_in_full(base_grid):
    # The finest level: each kelurahan, desa or kecamatan that is its own unit sums to it.
    units = population.unit_population()
    table = reference.regions()
    village = base_grid.table["village_idx"].to_numpy()
    finest = np.where(village >= 0, village, base_grid.table["district_idx"].to_numpy())
    sums = np.bincount(finest, weights=base_grid.table["population"], minlength=len(table))
    own = units[units.index.str.count(r"\.") >= 2]  # polygons, not regency remainders
    got = sums[table.index.get_indexer(own.index)]
    assert got == pytest.approx(own["population"].to_numpy(), rel=1e-9)


def test_cells_parquet_says_where_each_cells_population_came_from(built):
    out, _ = built
    cells_table = pd.read_parquet(out / "cells.parquet")
    base = cells_table[cells_table["resolution"] == 9].set_index("village_code")
    assert set(base.loc[["31.71.01.1001"], "population_source"]) == {SOURCE_VILLAGE}
    # c07's cell in Isola (Sukasari, Kota Bandung): a Jawa Barat desa/kelurahan figure.
    assert set(base.loc[["32.73.01.1003"], "population_source"]) == {SOURCE_JABAR_VILLAGE}
    # c08 is coded to Surabaya: kept at its regency, its cells are composed on read (they are
    # not in cells.parquet, which holds cells with located events) and say their source there.
    assert not (cells_table["regency_code"] == "35.78").any()
    built_zones = buildread.open_build(out)
    surabaya = buildread.cells_in(built_zones, dt.date(2021, 7, 6), "35.78", 9)
    assert len(surabaya) > 100
    sources = compose.population_sources(built_zones, surabaya["cell"].astype(str).tolist(), 9)
    assert set(sources) == {SOURCE_DISTRICT}
    assert set(cells_table["population_source"].dropna()) <= set(population.SOURCES)
