"""Spreading region-coded cases over the base cells of their region, by population."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo import reference
from geo.allocate import allocate

pytest_plugins = ["pipeline_fixtures"]


def coded(*rows: tuple[str, str, float]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region_code", "date", "cases"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def cells_of(grid, idx_col: str, code: str) -> np.ndarray:
    pos = reference.regions().index.get_loc(code)
    return grid.table.loc[grid.table[idx_col] == pos, "cell"].to_numpy()


def test_a_kelurahan_case_is_spread_evenly_over_its_cells(base_grid):
    # Cideng's 13 cells share its population evenly: 1 case gives 1/13 to each.
    out = allocate(coded(("31.71.01.1002", "2021-07-05", 1)), base_grid)
    cideng = cells_of(base_grid, "village_idx", "31.71.01.1002")
    assert len(cideng) == 13
    assert sorted(out["cell"]) == sorted(cideng)
    assert np.allclose(out["cases"], 1 / 13)
    assert (out["date"] == pd.Timestamp("2021-07-05")).all()


def test_totals_per_region_and_date_are_kept(base_grid):
    out = allocate(
        coded(
            ("35.78", "2021-07-06", 2),
            ("35.78", "2021-07-07", 3),
            ("31", "2021-07-07", 1),
            ("31.74.01", "2021-07-05", 1),
        ),
        base_grid,
    )
    sums = out.groupby("date")["cases"].sum()
    assert sums[pd.Timestamp("2021-07-05")] == pytest.approx(1)
    assert sums[pd.Timestamp("2021-07-06")] == pytest.approx(2)
    assert sums[pd.Timestamp("2021-07-07")] == pytest.approx(3 + 1)
    surabaya = cells_of(base_grid, "regency_idx", "35.78")
    on_6th = out[out["date"] == pd.Timestamp("2021-07-06")]
    assert set(on_6th["cell"]) == set(surabaya)


def test_shares_follow_population(base_grid):
    # DKI as a whole: each cell's share is its population over DKI's.
    out = allocate(coded(("31", "2021-07-07", 1)), base_grid)
    positions = base_grid.lookup(out["cell"].to_numpy())
    population = base_grid.table["population"].to_numpy()[positions]
    assert np.allclose(out["cases"], population / population.sum())
    assert out["cases"].sum() == pytest.approx(1)


def test_a_kecamatan_without_boundary_is_spread_over_its_regency(base_grid):
    # 92.02.31 Aimasi has no shipped boundary: its case goes to the cells of 92.02 Manokwari.
    out = allocate(coded(("92.02.31", "2021-07-08", 1)), base_grid)
    assert set(out["cell"]) == set(cells_of(base_grid, "regency_idx", "92.02"))
    assert out["cases"].sum() == pytest.approx(1)


def test_a_code_with_no_cells_anywhere_is_dropped(base_grid):
    out = allocate(coded(("99", "2021-07-08", 1)), base_grid)
    assert out.empty
    assert list(out.columns) == ["cell", "date", "cases"]


def test_nothing_to_allocate(base_grid):
    out = allocate(coded(), base_grid)
    assert out.empty
    assert list(out.columns) == ["cell", "date", "cases"]
    assert out["cell"].dtype == np.uint64
