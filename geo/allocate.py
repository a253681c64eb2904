"""Spread region-coded cases over the base cells of their region, in proportion to population.

A case known only by its region code (no point) becomes fractional expected counts on the
region's cells, flagged as allocated. A region with no cell of its own (a kecamatan without a
shipped boundary) is spread over its nearest ancestor that has cells; the case still counts
exactly at its own region. A region whose cells have no population is spread evenly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import cells, reference
from geo.columns import LEVELS, Out
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


def _with_cells(grid: Grid) -> set[str]:
    """The codes of the regions that hold at least one base cell."""
    codes = reference.regions().index.to_numpy()
    having: set[str] = set()
    for idx_col in LEVEL_INDEX:
        present = np.flatnonzero(np.bincount(grid.table[idx_col].to_numpy() + 1)[1:])
        having.update(codes[present])
    return having


def targets(codes: list[str], grid: Grid) -> dict[str, str]:
    """The allocation target of each region code: itself, or its nearest ancestor with cells.

    Codes with no target (no ancestor has a cell) are left out.
    """
    having = _with_cells(grid)
    out = {}
    for code in codes:
        target = next((a for a in ancestors(str(code)) if a in having), None)
        if target is not None:
            out[str(code)] = target
    return out


def weights(grid: Grid, codes: list[str], resolution: int) -> pd.DataFrame:
    """Each target's share of its cases held by each cell of ``resolution``.

    The share of a cell is the population of its base cells inside the target over the
    target's population (by cell count when the target has none), so a target's shares sum to 1
    at every resolution.

    Parameters
    ----------
    grid
        The base-resolution grid.
    codes
        Target codes (:func:`targets`), each with base cells.
    resolution
        The resolution of the cells (at most the base resolution).

    Returns
    -------
    DataFrame
        ``cell`` (``uint64``), ``target`` (position in :func:`geo.reference.regions`) and
        ``weight``, sorted by cell and target.
    """
    positions = reference.regions().index.get_indexer(codes)
    table = grid.table
    pop_all = table[Out.POPULATION].to_numpy(dtype=float)
    parts = []
    for level, idx_col in zip(LEVELS, LEVEL_INDEX, strict=True):
        wanted = np.unique(
            [p for p, c in zip(positions, codes, strict=True) if level_of(c) == level]
        )
        if not wanted.size:
            continue
        column = table[idx_col].to_numpy()
        rows = np.flatnonzero(np.isin(column, wanted))
        target = column[rows].astype(np.int32)
        pop = pop_all[rows]
        _, inverse = np.unique(target, return_inverse=True)
        total = np.bincount(inverse, weights=pop)
        count = np.bincount(inverse).astype(float)
        share = np.where(
            total[inverse] > 0, pop / np.where(total > 0, total, 1)[inverse], 1 / count[inverse]
        )
        cell = table[Out.CELL].to_numpy()[rows]
        if resolution != grid.resolution:
            cell = cells.parents(cell, resolution)
        parts.append(pd.DataFrame({"cell": cell, "target": target, "weight": share}))
    if not parts:
        return pd.DataFrame(
            {"cell": np.empty(0, np.uint64), "target": np.empty(0, np.int32), "weight": []}
        )
    out = pd.concat(parts, ignore_index=True)
    if resolution != grid.resolution:
        out = out.groupby(["cell", "target"], sort=False, as_index=False)["weight"].sum()
    out = out.sort_values(["cell", "target"], ignore_index=True)
    out["cell"] = out["cell"].astype(np.uint64)
    return out
