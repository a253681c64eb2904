"""Population per H3 cell: conserved from regions to cells and across resolutions, cached on disk."""

from __future__ import annotations

import numpy as np
import pytest
from pipeline_fixtures import RESOLUTIONS

from geo import cells, population, reference
from geo.population import SOURCE_REGENCY, SOURCE_VILLAGE

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
    # Every unit (DKI kelurahan, kabupaten/kota elsewhere) lands on cells in full.
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


def test_a_regency_is_spread_evenly_over_the_cells_of_its_kecamatan(base_grid):
    bandung = rows_of(base_grid, "regency_idx", "32.73")
    assert bandung["population"].sum() == pytest.approx(2_591_763)
    assert np.allclose(bandung["population"], 2_591_763 / len(bandung))
    assert (bandung["source"] == population.SOURCES.index(SOURCE_REGENCY)).all()


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
    assert units.loc["32.73", "population"] == 2_591_763
    assert units.loc["32.73", "population_source"] == SOURCE_REGENCY
    assert units.index.is_unique
