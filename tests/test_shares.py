"""Shares of population by colour: the grouping of base cells and the population it carries.

The build-level behaviour (shares equal the map's states, sum to one, never "-0") is tested in
``test_rollup.py`` and ``test_compose.py``; here the parts are checked against their definitions
on grids made of real region chains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import reference
from geo.columns import Out
from geo.population import LEVEL_INDEX, Grid, level_positions
from geo.shares import _finest, _groups, _lookup, _region_weights, write_shares
from geo.vocab import LEVEL_STATES


def grid_of(finest: list[int], population: list[float]) -> Grid:
    """A base grid whose cells lie in the given finest regions (-1: none), with their chains."""
    chains = np.vstack([np.full((1, 4), -1), level_positions(reference.regions())])[
        np.asarray(finest) + 1
    ]
    table = pd.DataFrame(
        {
            Out.CELL: np.arange(len(finest), dtype=np.uint64),
            Out.POPULATION: np.asarray(population, dtype=float),
            "source": np.zeros(len(finest), dtype=np.int8),
        }
    )
    for j, column in enumerate(LEVEL_INDEX):
        table[column] = chains[:, j].astype(np.int16)
    return Grid(9, table)


N_REGIONS = len(reference.regions())
cells_st = st.lists(
    st.tuples(st.integers(-1, N_REGIONS - 1), st.floats(0, 5_000, allow_nan=False)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(cells_st, st.lists(st.integers(0, N_REGIONS - 1), max_size=12, unique=True))
def test_groups_are_the_cells_relevant_regions_at_every_level(cells, relevant) -> None:
    finest, population = zip(*cells, strict=True)
    grid = grid_of(list(finest), list(population))
    relevant = np.unique(np.asarray(relevant, dtype=np.int64))
    group, signature = _groups(_finest(grid), relevant, N_REGIONS)
    # Definition: a cell's relevant region at each level, read from its own grid row.
    lut = _lookup(relevant, N_REGIONS)
    own = np.stack([lut[grid.table[c].to_numpy() + 1] for c in LEVEL_INDEX], axis=1)
    own_regions = np.concatenate([[-1], relevant])[own]
    assert (signature[group] == own_regions).all()
    same_group = group[:, None] == group[None, :]
    same_regions = (own_regions[:, None, :] == own_regions[None, :, :]).all(axis=2)
    assert (same_group == same_regions).all()
    assert len(np.unique(group)) == len(signature)  # no group without a cell


@settings(max_examples=40, deadline=None)
@given(cells_st)
def test_weights_carry_each_cells_people_to_its_region_at_every_level(cells) -> None:
    finest, population = zip(*cells, strict=True)
    grid = grid_of(list(finest), list(population))
    klass = np.arange(len(finest)) % 3
    weights = _region_weights(grid, _finest(grid), klass, 3).toarray()
    expected = np.zeros((N_REGIONS, 3))
    for j, column in enumerate(LEVEL_INDEX):
        levels = grid.table[column].to_numpy()
        has = levels >= 0
        np.add.at(expected, (levels[has], klass[has]), grid.table[Out.POPULATION].to_numpy()[has])
        assert j < 4
    assert np.allclose(weights, expected)
    # People are conserved: each province holds the people of the cells in it.
    province = grid.table["province_idx"].to_numpy()
    assert np.isclose(
        weights[np.unique(province[province >= 0])].sum(),
        grid.table[Out.POPULATION].to_numpy()[province >= 0].sum(),
    )


def test_written_shares_add_up_and_never_read_minus_zero() -> None:
    # One region, two days; on the second, a rounding residue just below zero in red.
    people = {
        "red": [10.0, -1e-12],
        "orange": [30.0, 0.0],
        "green": [60.0, 50.0],
        "no_data": [0.0, 50.0],
    }
    by_state = np.array([[people[state]] for state in LEVEL_STATES])
    daily = pd.DataFrame({Out.POPULATION: [100.0, 100.0]})
    write_shares(by_state, daily)
    assert daily[Out.SHARE_RED].tolist() == [0.1, 0.0]
    assert daily[Out.SHARE_ORANGE].tolist() == [0.3, 0.0]
    assert daily[Out.SHARE_GREEN].tolist() == [0.6, 0.5]
    assert daily[Out.SHARE_NO_DATA].tolist() == [0.0, 0.5]
    assert not np.signbit(daily[Out.SHARE_RED].to_numpy()).any()  # 0.0, never -0.0
    # A region without people has no shares.
    empty = pd.DataFrame({Out.POPULATION: [0.0]})
    write_shares(np.zeros((len(LEVEL_STATES), 1, 1)), empty)
    assert empty[[Out.SHARE_RED, Out.SHARE_GREEN]].isna().all().all()
