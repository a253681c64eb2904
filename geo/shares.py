"""Shares of each region's population by colour, per day, in the states the map shows.

Every base cell counts in exactly one state on each day, so the four shares sum to 1 and none is
guessed (an undrawn cell is green only when a report covers it; without one it has no data).

Cells are not coloured one by one per day (16.9 M base cells nationally): a cell that holds no
located event has the state of its *class*, the cells with the same covering allocation targets
and reporting regions (its *group*) and, when a criterion reads a count, the same population.
Within a group a cell's allocated cases are its population times the group's sum of target
counts per person, so its rate is the group's; its small-number count is the targets' exact
counts. The classes are coloured per day, their population summed into regions by a sparse
product, and the few cells with located events are then moved from their class's state to their
own composed state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from geo import cells, coverage, reference
from geo.columns import Out
from geo.config import Config
from geo.metrics import ratios
from geo.population import LEVEL_INDEX, Grid, level_positions
from geo.risk import classify
from geo.vocab import LEVEL_STATES

COUNT_CRITERIA = {"cases_7d", "cases_14d"}
SHARE_COLUMNS = {
    "red": Out.SHARE_RED,
    "orange": Out.SHARE_ORANGE,
    "green": Out.SHARE_GREEN,
    "no_data": Out.SHARE_NO_DATA,
}
#: Cell-row columns of check-ins read as they are when a cell's own events are composed.
_ACTIVITY = (Out.CHECKINS_7D, Out.EXPOSED_CHECKINS_7D, Out.CHECKINS_BASELINE_7D)
#: The cell-row columns :func:`located_moves` reads.
MOVE_COLUMNS = (Out.CELL, Out.DATE, Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D, *_ACTIVITY)
_BITS = 15  # region positions (about 14 k) + 1 fit in 15 bits: four levels in one int64


@dataclass
class Classes:
    """Base cells grouped by what decides their state (see the module docstring)."""

    cell_class: np.ndarray  # class per base grid row
    class_group: np.ndarray
    class_pop: np.ndarray  # the population of one cell of the class (its largest)
    weights: sparse.csr_matrix  # region position x class: population
    rho: dict[str, np.ndarray]  # group x day: allocated count per person
    exact: np.ndarray  # group x day: exact 7-day count of the group's targets
    covered: np.ndarray  # group x day
    states: np.ndarray  # class x day: index into LEVEL_STATES


def _lookup(positions: np.ndarray, n_regions: int) -> np.ndarray:
    """``lut[p + 1]``: 1 + the rank of region position ``p`` in ``positions``, 0 elsewhere."""
    lut = np.zeros(n_regions + 1, dtype=np.int32)
    lut[positions + 1] = np.arange(1, len(positions) + 1, dtype=np.int32)
    return lut


def _finest(grid: Grid) -> np.ndarray:
    """Each base cell's finest region position (-1: none): the deepest level it has."""
    finest = np.full(len(grid.table), -1, dtype=np.int32)
    for idx_col in LEVEL_INDEX:  # coarse to fine: the finest present wins
        column = grid.table[idx_col].to_numpy()
        finest = np.where(column >= 0, column, finest)
    return finest


def _groups(
    finest: np.ndarray, relevant: np.ndarray, n_regions: int
) -> tuple[np.ndarray, np.ndarray]:
    """Group per base cell, and each group's positions per level (-1: none).

    A cell's regions at every level are those of its finest region, so its group is decided
    per finest region (about 14 k) and spread to the cells by one lookup."""
    lut = _lookup(relevant, n_regions).astype(np.int64)
    present = np.zeros(n_regions + 1, dtype=bool)
    present[finest + 1] = True
    chains = np.vstack([np.full((1, len(LEVEL_INDEX)), -1), level_positions(reference.regions())])
    chains = chains.astype(np.int64)[present]
    key = np.zeros(len(chains), dtype=np.int64)
    for i in range(len(LEVEL_INDEX)):
        key |= lut[chains[:, i] + 1] << (_BITS * i)
    group_of, keys = pd.factorize(key, sort=True)
    region_group = np.zeros(n_regions + 1, dtype=np.int32)
    region_group[present] = group_of
    ranks = np.stack([(keys >> (_BITS * i)) & ((1 << _BITS) - 1) for i in range(4)], 1)
    signature = np.concatenate([[-1], relevant])[ranks]  # rank 0: no relevant region
    return region_group[finest + 1], signature


def _class_of(
    group: np.ndarray, pop: np.ndarray, by_count: bool, thr: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class per cell (same group and, with ``by_count``, same population), each class's group
    and the population of its largest cell."""
    if by_count:
        pop_key = pd.factorize(pop)[0]
        cell_class, _ = pd.factorize(group.astype(np.int64) * (pop_key.max() + 1) + pop_key)
    else:
        key = group * np.int32(2) + (pop > thr)
        present = np.zeros(int(key.max(initial=0)) + 1, dtype=np.int32)
        present[key] = 1
        remap = np.cumsum(present, dtype=np.int32) - 1
        cell_class = remap[key]
    cell_class = cell_class.astype(np.int32)
    n_class = int(cell_class.max(initial=-1)) + 1
    class_group = np.zeros(n_class, dtype=np.int32)
    class_group[cell_class] = group
    class_pop = np.zeros(n_class)
    np.maximum.at(class_pop, cell_class, pop)
    return cell_class, class_group, class_pop


def _region_weights(
    grid: Grid, finest: np.ndarray, cell_class: np.ndarray, n_class: int
) -> sparse.csr_matrix:
    """Population per (region position, class), every level: summed at each cell's finest
    region, then carried to that region's ancestors."""
    regions = reference.regions()
    ok = finest >= 0
    pop = grid.table[Out.POPULATION].to_numpy()
    if not ok.all():
        finest, cell_class, pop = finest[ok], cell_class[ok], pop[ok]
    pair = finest.astype(np.int64) * n_class + cell_class
    codes, uniques = pd.factorize(pair)
    del pair
    sums = np.bincount(codes, weights=pop)
    del codes
    region, klass = uniques // n_class, uniques % n_class
    parent = regions.index.get_indexer(regions["parent_code"].fillna(""))
    rows, cols, data = [region], [klass], [sums]
    up = parent[region]
    while (up >= 0).any():
        has = up >= 0
        rows.append(up[has])
        cols.append(klass[has])
        data.append(sums[has])
        up = np.where(has, parent[np.maximum(up, 0)], -1)[has]
        klass, sums = klass[has], sums[has]
    shape = (len(regions), n_class)
    return sparse.coo_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    ).tocsr()


def _per_day(
    allocated: pd.DataFrame, dates: pd.DatetimeIndex, positions: np.ndarray
) -> dict[str, np.ndarray]:
    """Targets' windowed counts as (target position x day) matrices."""
    rows = reference.regions().index.get_indexer(allocated["target_code"].astype(str))
    day = dates.get_indexer(pd.DatetimeIndex(allocated[Out.DATE]).astype(dates.dtype))
    out: dict[str, np.ndarray] = {}
    for column in (Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D):
        matrix = np.zeros((len(positions), len(dates)))
        np.add.at(matrix, (np.searchsorted(positions, rows), day), allocated[column].to_numpy())
        out[column] = matrix
    return out


def _classify_rows(frame: pd.DataFrame, covered: np.ndarray, config: Config) -> np.ndarray:
    """State index (into LEVEL_STATES) of composed rows; uncovered rows have no data."""
    for column in (Out.CHECKINS_7D, Out.EXPOSED_CHECKINS_7D):
        if column not in frame:
            frame[column] = 0.0
    if Out.CHECKINS_BASELINE_7D not in frame:
        frame[Out.CHECKINS_BASELINE_7D] = np.nan
    ratios(frame)
    codes = classify(frame, config)[Out.RISK].cat.codes.to_numpy()
    return np.where(covered, codes, LEVEL_STATES.index("no_data"))


def classes(
    grid: Grid,
    allocated: pd.DataFrame,
    reports: pd.DataFrame,
    dates: pd.DatetimeIndex,
    config: Config,
) -> Classes:
    """Group and class the base cells and colour every class on every day."""
    regions = reference.regions()
    targets = np.unique(regions.index.get_indexer(allocated["target_code"].astype(str)))
    reported = np.unique(regions.index.get_indexer(reports["region_code"].astype(str)))
    relevant = np.union1d(targets, reported[reported >= 0])
    finest = _finest(grid)
    group, signature = _groups(finest, relevant, len(regions))
    pop = grid.table[Out.POPULATION].to_numpy(dtype=float)
    by_count = any(c.metric in COUNT_CRITERIA for c in config.risk.criteria)
    cell_class, class_group, class_pop = _class_of(
        group, pop, by_count, config.risk.no_data_max_population
    )
    del group
    weights = _region_weights(grid, finest, cell_class, len(class_pop))
    del finest
    # Targets' counts per person (a target without people: none), summed per group; a
    # target's people are its row of the weights.
    per_target = _per_day(allocated, dates, targets)
    totals = np.asarray(weights[targets].sum(axis=1)).ravel()
    member = sparse.lil_matrix((len(signature), len(targets)))
    for g, row in enumerate(signature):
        for p in row[row >= 0]:
            at = np.searchsorted(targets, p)
            if at < len(targets) and targets[at] == p:
                member[g, at] = 1.0
    member = member.tocsr()
    inverse_pop = sparse.diags(np.where(totals > 0, 1 / np.where(totals > 0, totals, 1), 0.0))
    rho = {c: np.asarray((member @ inverse_pop) @ m) for c, m in per_target.items()}
    exact = np.asarray(member @ per_target[Out.CASES_7D])
    covered = _group_coverage(signature, reports, dates)
    states = _class_states(class_pop, class_group, rho, exact, covered, config)
    return Classes(cell_class, class_group, class_pop, weights, rho, exact, covered, states)


def _group_coverage(
    signature: np.ndarray, reports: pd.DataFrame, dates: pd.DatetimeIndex
) -> np.ndarray:
    """Whether a report of one of each group's regions falls in the window ending each day."""
    codes = reference.regions().index.to_numpy()
    reported = coverage.reported_days(reports, dates)
    days = np.zeros((len(signature), len(dates)), dtype=bool)
    for g, row in enumerate(signature):
        for p in row[row >= 0]:
            if codes[p] in reported:
                days[g] |= reported[codes[p]]
    running = np.cumsum(days, axis=1)
    before = np.zeros_like(running)
    before[:, coverage.WINDOW_DAYS :] = running[:, : -coverage.WINDOW_DAYS]
    return running - before > 0


def _class_states(
    class_pop: np.ndarray,
    class_group: np.ndarray,
    rho: dict[str, np.ndarray],
    exact: np.ndarray,
    covered: np.ndarray,
    config: Config,
) -> np.ndarray:
    """State index of every class on every day (classes x days)."""
    n_class, n_days = len(class_pop), covered.shape[1]
    pop = np.repeat(class_pop, n_days)
    g = np.repeat(class_group, n_days)
    d = np.tile(np.arange(n_days), n_class)
    frame = pd.DataFrame(
        {
            Out.POPULATION: pop,
            Out.NEW_CASES: pop * rho[Out.NEW_CASES][g, d],
            Out.CASES_7D: pop * rho[Out.CASES_7D][g, d],
            Out.CASES_14D: pop * rho[Out.CASES_14D][g, d],
            Out.CASES_7D_EXACT: exact[g, d],
        },
        copy=False,  # fresh arrays: kept as they are, not consolidated into a copy
    )
    return _classify_rows(frame, covered[g, d], config).reshape(n_class, n_days)


def population_by_state(found: Classes, rows: slice, moves: np.ndarray | None) -> np.ndarray:
    """Population per state, region position in ``rows`` and day (``LEVEL_STATES`` x regions x
    days): every cell in its class's state, then the ``moves`` (:func:`located_moves`) applied."""
    weights = found.weights[rows]
    out = np.empty((len(LEVEL_STATES), weights.shape[0], found.states.shape[1]))
    for i in range(len(LEVEL_STATES)):
        out[i] = weights @ (found.states == i).astype(float)
    if moves is not None:
        out += moves[:, rows, :]
    return out


def _grid_positions(column: pd.Series, grid: Grid) -> np.ndarray:
    """Grid rows of a column of cell strings, -1 outside the grid (each distinct cell parsed and
    looked up once)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        ids = cells.from_strings(column.cat.categories.array)
        return grid.lookup(ids)[column.cat.codes.to_numpy()]
    return grid.lookup(cells.from_strings(column.astype("str").array))


def located_moves(
    found: Classes,
    grid: Grid,
    rows: pd.DataFrame,
    dates: pd.DatetimeIndex,
    config: Config,
    moves: np.ndarray | None,
) -> np.ndarray | None:
    """Add the population moved by cells with located events from their class's state to their
    own to ``moves`` (``LEVEL_STATES`` x region positions x days; made on first use).

    Parameters
    ----------
    rows
        Base-resolution rows of ``cells_daily`` (own events) on some of ``dates``.
    moves
        The moves so far, or ``None``.

    Returns
    -------
    ndarray or None
        ``moves`` (negative where population leaves a state).
    """
    pos = _grid_positions(rows[Out.CELL], grid)
    day = dates.get_indexer(pd.DatetimeIndex(rows[Out.DATE]).astype(dates.dtype))
    ok = np.flatnonzero((pos >= 0) & (day >= 0))
    if not len(ok):
        return moves
    pos, day = pos[ok], day[ok]
    own = {  # only the columns read, only the kept rows (not a copy of every column)
        c: rows[c].to_numpy(dtype=float)[ok]
        for c in (Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D, *_ACTIVITY)
    }
    klass = found.cell_class[pos]
    group = found.class_group[klass]
    pop = grid.table[Out.POPULATION].to_numpy(dtype=float)[pos]
    columns = {Out.POPULATION: pop}
    for column in (Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D):
        columns[column] = own[column] + pop * found.rho[column][group, day]
    columns[Out.CASES_7D_EXACT] = own[Out.CASES_7D] + found.exact[group, day]
    columns.update({column: own[column] for column in _ACTIVITY})
    frame = pd.DataFrame(columns, copy=False)  # fresh arrays: not consolidated into a copy
    new = _classify_rows(frame, found.covered[group, day], config)
    old = found.states[klass, day]
    moved = new != old  # only cells whose own events change their state move
    pos, day, pop, old, new = pos[moved], day[moved], pop[moved], old[moved], new[moved]
    if moves is None:
        moves = np.zeros((len(LEVEL_STATES), found.weights.shape[0], len(dates)))
    # Every level's moves out of and into a state, added at once at flat indices (numpy's fast
    # path: one-dimensional, integer indices).
    n_regions, n_days = moves.shape[1:]
    flat, amount = [], []
    for idx_col in LEVEL_INDEX:
        region = grid.table[idx_col].to_numpy()[pos]
        has = region >= 0
        at = region[has].astype(np.int64) * n_days + day[has]
        flat += [old[has].astype(np.int64) * (n_regions * n_days) + at]
        flat += [new[has].astype(np.int64) * (n_regions * n_days) + at]
        amount += [-pop[has], pop[has]]
    np.add.at(moves.reshape(-1), np.concatenate(flat), np.concatenate(amount))
    return moves


def write_shares(by_state: np.ndarray, regions_daily: pd.DataFrame) -> None:
    """Set the four ``share_population_*`` columns of the dense region table (in place).

    Rows are region-major in :func:`geo.reference.regions` order, as
    :func:`geo.rollup.regions_daily` writes them. A region without people has no shares (NaN);
    rounding residues below a billionth of the population are cleared, so no share reads "-0",
    and the shares are divided by their sum, so they add up to 1.
    """
    population = regions_daily[Out.POPULATION].to_numpy(dtype=float)
    cleared = np.where(
        np.abs(by_state) < 1e-9 * np.maximum(population.reshape(by_state.shape[1:]), 1),
        0.0,
        by_state,
    )
    cleared = np.clip(cleared, 0.0, None)
    total = cleared.sum(axis=0).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        for state, column in SHARE_COLUMNS.items():
            share = cleared[LEVEL_STATES.index(state)].ravel() / total
            regions_daily[column] = np.where((population > 0) & (total > 0), share, np.nan)
