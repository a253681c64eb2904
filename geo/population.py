"""Population per H3 cell and the region of every cell.

The base grid holds every base-resolution cell whose centre lies in a polygon of the finest layer
(:func:`geo.regions.finest`). Population comes from the finest region that has a count:

* DKI Jakarta: each kelurahan (Dukcapil, December 2019), spread evenly over its cells;
* elsewhere: each kabupaten/kota (Dukcapil, 2025 codes), spread evenly over the cells of its
  kecamatan (``regions.csv`` has no kecamatan population).

Evenly means by area: every cell of a region gets the same share, since H3 cells of one
resolution have nearly equal areas. A cell cut by a boundary belongs wholly to the polygon holding
its centre; a polygon too small to hold any cell centre gives its population to the cell holding
its representative point. So the sum over cells equals the sum over regions exactly.

Coarser cells sum their children's population and take, at each level, the region that holds most
of that population. The grids are cached on disk (``PANTAUZONA_CACHE``, default
``~/.cache/pantauzona``), keyed by the reference data's digest and the resolutions.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from geo import cells, reference, regions
from geo.columns import LEVEL_COLUMNS, Out

logger = logging.getLogger(__name__)

#: Bumped whenever the cached grid's layout changes.
GRID_FORMAT = "g2"
SOURCE_VILLAGE = "kelurahan (Dukcapil 2019)"
SOURCE_REGENCY = "kabupaten/kota (Dukcapil 2025), spread by area"


def cache_dir() -> Path:
    """Where derived grids are cached."""
    env = os.environ.get("PANTAUZONA_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "pantauzona"


LEVEL_INDEX = tuple(f"{level}_idx" for level in LEVEL_COLUMNS)
SOURCES = (SOURCE_VILLAGE, SOURCE_REGENCY)


@dataclass(frozen=True)
class Grid:
    """Cells of one resolution with population and regions, sorted by cell.

    ``table`` columns: ``cell`` (``uint64``), ``population``, ``source`` (index into
    :data:`SOURCES`) and ``province_idx`` ... ``village_idx``: row positions in
    :func:`geo.reference.regions` (-1 where the cell has no region of that level).
    """

    resolution: int
    table: pd.DataFrame

    def lookup(self, cell_ids: np.ndarray) -> np.ndarray:
        """Row positions of cells in the grid, -1 for cells not in it."""
        keys = self.table[Out.CELL].to_numpy()
        if len(keys) == 0:
            return np.full(len(cell_ids), -1)
        pos = np.minimum(np.searchsorted(keys, cell_ids), len(keys) - 1)
        return np.where(keys[pos] == cell_ids, pos, -1)

    def attributes(self, positions: np.ndarray) -> pd.DataFrame:
        """Population, its source and the region codes of grid rows (-1 rows give nulls).

        Text columns are categoricals over :data:`SOURCES` and the reference region codes.
        """
        pos = np.asarray(positions)
        ok = pos >= 0
        rows = self.table.iloc[np.where(ok, pos, 0)]
        out = {Out.POPULATION: np.where(ok, rows[Out.POPULATION].to_numpy(), 0.0)}
        source = np.where(ok, rows["source"].to_numpy(), -1)
        out[Out.POPULATION_SOURCE] = pd.Categorical.from_codes(source, categories=SOURCES)
        codes = _code_dtype()
        for idx_col, column in zip(LEVEL_INDEX, LEVEL_COLUMNS.values(), strict=True):
            idx = np.where(ok, rows[idx_col].to_numpy(), -1)
            out[column] = pd.Categorical.from_codes(idx, dtype=codes)
        return pd.DataFrame(out)


@functools.cache
def _code_dtype() -> pd.CategoricalDtype:
    """The region codes of :func:`geo.reference.regions`, in its order, as a categorical type."""
    return pd.CategoricalDtype(reference.regions()["code"].to_numpy(dtype=object))


@functools.cache
def _poly_region_index() -> np.ndarray:
    """Per finest polygon, its region position in regions() at each level (-1: none)."""
    layer = regions.finest()
    index = reference.regions().index
    # int16: 8,104 regions fit, and the base grid has 17 M rows.
    out = np.full((len(layer), len(LEVEL_COLUMNS)), -1, dtype=np.int16)
    for j, column in enumerate(LEVEL_COLUMNS.values()):
        codes = layer[column].astype(object).where(layer[column].notna(), None)
        pos = index.get_indexer(codes.to_numpy())
        out[:, j] = pos
    return out


def _population_units(layer: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each finest polygon: its population unit, the unit's population and source index."""
    dki = layer["code"].str.startswith(reference.DKI + ".").to_numpy()
    unit = np.where(
        dki, layer["code"].to_numpy(dtype=object), layer[Out.REGENCY_CODE].to_numpy(dtype=object)
    )
    village_pop = reference.village_population()
    regency_pop = reference.regions()["population"]
    pop = np.where(
        dki,
        village_pop.reindex(layer["code"].to_numpy(dtype=object)).to_numpy(),
        regency_pop.reindex(layer[Out.REGENCY_CODE].to_numpy(dtype=object)).to_numpy(),
    ).astype(float)
    source = np.where(dki, 0, 1).astype(np.int8)
    return unit, np.nan_to_num(pop), source


def _compute_base(resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Base cells (sorted), their polygon and population."""
    layer = regions.finest()
    poly_idx, cell_ids = cells.cells_in_polygons(layer["geometry"].to_numpy(), resolution)
    order = np.argsort(cell_ids, kind="stable")  # stable: first polygon in code order wins
    cell_ids, poly_idx = cell_ids[order], poly_idx[order]
    keep = np.r_[True, cell_ids[1:] != cell_ids[:-1]]
    cell_ids, poly_idx = cell_ids[keep], poly_idx[keep]
    unit, unit_pop, _ = _population_units(layer)
    codes, unit_inverse = np.unique(unit.astype(str), return_inverse=True)
    unit_pop_by_code = np.zeros(len(codes))
    unit_pop_by_code[unit_inverse] = unit_pop
    # Polygons that hold no cell centre: the cell of their representative point carries them.
    empty = np.setdiff1d(np.arange(len(layer)), poly_idx)
    extra = np.empty(0, dtype=np.uint64)
    if empty.size:
        points = shapely.point_on_surface(layer["geometry"].to_numpy()[empty])
        extra = cells.points_to_cells(shapely.get_y(points), shapely.get_x(points), resolution)
    members = np.concatenate([unit_inverse[poly_idx], unit_inverse[empty]])
    counts = np.bincount(members, minlength=len(codes))
    per_cell = np.divide(unit_pop_by_code, counts, out=np.zeros(len(codes)), where=counts > 0)
    population = per_cell[unit_inverse[poly_idx]]
    if extra.size:
        extra_pop = per_cell[unit_inverse[empty]]
        pos = np.minimum(np.searchsorted(cell_ids, extra), len(cell_ids) - 1)
        hit = cell_ids[pos] == extra
        np.add.at(population, pos[hit], extra_pop[hit])
        if (~hit).any():
            cell_ids = np.concatenate([cell_ids, extra[~hit]])
            poly_idx = np.concatenate([poly_idx, empty[~hit]])
            population = np.concatenate([population, extra_pop[~hit]])
            order = np.argsort(cell_ids, kind="stable")
            cell_ids, poly_idx, population = cell_ids[order], poly_idx[order], population[order]
    return cell_ids, poly_idx.astype(np.int32), population


def _base_table(cell_ids: np.ndarray, poly: np.ndarray, population: np.ndarray) -> pd.DataFrame:
    _, _, source = _population_units(regions.finest())
    region_idx = _poly_region_index()[poly]
    table = pd.DataFrame({Out.CELL: cell_ids, Out.POPULATION: population, "source": source[poly]})
    for j, column in enumerate(LEVEL_INDEX):
        table[column] = region_idx[:, j]
    return table


def _clear_low_bits(cell_ids: np.ndarray, resolution: int) -> np.ndarray:
    return cell_ids & ~np.uint64((1 << (3 * (15 - resolution))) - 1)


def _group(parent: np.ndarray, label: np.ndarray, weight: np.ndarray, resolution: int):
    """Sum ``weight`` by (parent, label); labels must be below 2**(3*(15-resolution))."""
    key = _clear_low_bits(parent, resolution) | label.astype(np.uint64)
    uniq, inverse = np.unique(key, return_inverse=True)
    sums = np.bincount(inverse, weights=weight, minlength=len(uniq))
    low = np.uint64((1 << (3 * (15 - resolution))) - 1)
    parents_out = (uniq & ~low) | low  # restore the unused-digit bits of the parent cell
    return parents_out, (uniq & low).astype(np.int64), sums


def _coarsen(cell_ids: np.ndarray, poly: np.ndarray, pop: np.ndarray, resolution: int):
    """(parent, polygon, population) triples summed at a coarser resolution."""
    parent = cells.parents(cell_ids, resolution)
    return _group(parent, poly, pop, resolution)


def _coarse_table(parent, poly, pop, resolution: int) -> pd.DataFrame:
    """Population per coarse cell; per level, the region that holds most of it."""
    uniq_cells, first = np.unique(parent, return_index=True)
    total = np.add.reduceat(pop, first) if len(pop) else np.empty(0)
    table = pd.DataFrame({Out.CELL: uniq_cells, Out.POPULATION: total})
    region_idx = _poly_region_index()[poly]
    _, _, source = _population_units(regions.finest())
    labels = {"source": source[poly].astype(np.int64) + 1}
    for j, column in enumerate(LEVEL_INDEX):
        labels[column] = region_idx[:, j].astype(np.int64) + 1  # 0 = no region
    for column, label in labels.items():
        par, lab, sums = _group(parent, label, pop, resolution)
        order = np.lexsort((-sums, par))  # per parent, the label with most population first
        par, lab = par[order], lab[order]
        firsts = np.r_[True, par[1:] != par[:-1]]
        table[column] = (lab[firsts] - 1).astype(np.int16 if column != "source" else np.int8)
    return table


def _cache_path(resolutions: tuple[int, ...], resolution: int) -> Path:
    key = f"{GRID_FORMAT}-{reference.data_digest()[:16]}-{'_'.join(map(str, resolutions))}"
    return cache_dir() / f"grid-{key}-r{resolution}.parquet"


@functools.cache
def grids(resolutions: tuple[int, ...]) -> dict[int, Grid]:
    """The grids of every resolution, finest first (computed once, then read from the cache)."""
    paths = {res: _cache_path(resolutions, res) for res in resolutions}
    if all(p.exists() for p in paths.values()):
        return {res: Grid(res, pq.read_table(p).to_pandas()) for res, p in paths.items()}
    logger.info("computing the population grid at resolutions %s", resolutions)
    cell_ids, poly, pop = _compute_base(resolutions[0])
    tables = {resolutions[0]: _base_table(cell_ids, poly, pop)}
    for res in resolutions[1:]:
        cell_ids, poly, pop = _coarsen(cell_ids, poly, pop, res)
        tables[res] = _coarse_table(cell_ids, poly, pop, res)
    out = {}
    for res, table in tables.items():
        paths[res].parent.mkdir(parents=True, exist_ok=True)
        tmp = paths[res].with_suffix(f".tmp{os.getpid()}")
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), tmp)
        os.replace(tmp, paths[res])
        out[res] = Grid(res, table)
    return out


def unit_population() -> pd.DataFrame:
    """The population units (DKI kelurahan; kabupaten/kota elsewhere) with population and source."""
    layer = regions.finest()
    unit, pop, source = _population_units(layer)
    names = np.asarray(SOURCES, dtype=object)[source]
    frame = pd.DataFrame({"unit": unit, Out.POPULATION: pop, Out.POPULATION_SOURCE: names})
    return frame.drop_duplicates("unit").set_index("unit")
