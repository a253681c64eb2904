"""Spread region-coded cases over the base cells of their region, in proportion to population.

A case known only by its region code (no point) becomes fractional expected counts on the
region's cells, flagged as allocated. A region with no cell of its own (a kecamatan without a
shipped boundary) is spread over its nearest ancestor that has cells; the case still counts
exactly at its own region. A region whose cells have no population is spread evenly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import reference
from geo.columns import LEVELS
from geo.population import LEVEL_INDEX, Grid
from geo.regions import ancestors, level_of


def _cells_of(grid: Grid, codes: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Base cells and population of each region code (empty arrays when it has none)."""
    positions = reference.regions().index.get_indexer(codes)
    table = grid.table
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for level, idx_col in zip(LEVELS, LEVEL_INDEX, strict=True):
        wanted = {p: c for p, c in zip(positions, codes, strict=True) if level_of(c) == level}
        if not wanted:
            continue
        column = table[idx_col].to_numpy()
        rows = np.flatnonzero(np.isin(column, np.fromiter(wanted, dtype=np.int64)))
        sub = pd.DataFrame({"pos": column[rows], "row": rows})
        for pos, group in sub.groupby("pos", sort=True):
            picked = group["row"].to_numpy()
            out[wanted[int(pos)]] = (
                table["cell"].to_numpy()[picked],
                table["population"].to_numpy()[picked],
            )
    return out


def allocate(region_cases: pd.DataFrame, grid: Grid) -> pd.DataFrame:
    """Allocated case counts per base cell and date.

    Parameters
    ----------
    region_cases
        ``region_code, date, cases``: counts of region-coded cases.
    grid
        The base-resolution grid.

    Returns
    -------
    DataFrame
        ``cell, date, cases`` with fractional ``cases``; per (region, date) they sum to the input.
    """
    if region_cases.empty:
        return pd.DataFrame({"cell": np.empty(0, np.uint64), "date": [], "cases": []})
    codes = sorted(region_cases["region_code"].unique())
    candidates = sorted({a for c in codes for a in ancestors(c)})
    cells_of = _cells_of(grid, candidates)
    parts = []
    for code, group in region_cases.groupby("region_code", sort=True):
        target = next((a for a in ancestors(str(code)) if a in cells_of), None)
        if target is None:
            continue
        cell_ids, pop = cells_of[target]
        weight = pop / pop.sum() if pop.sum() > 0 else np.full(len(pop), 1 / len(pop))
        n = len(group)
        parts.append(
            pd.DataFrame(
                {
                    "cell": np.tile(cell_ids, n),
                    "date": np.repeat(group["date"].to_numpy(), len(cell_ids)),
                    "cases": np.outer(group["cases"].to_numpy(dtype=float), weight).ravel(),
                }
            )
        )
    if not parts:
        return pd.DataFrame({"cell": np.empty(0, np.uint64), "date": [], "cases": []})
    return pd.concat(parts, ignore_index=True)
