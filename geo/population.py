"""Population per H3 cell and the region of every cell.

The base grid holds every base-resolution cell whose centre lies in a polygon of the finest layer
(:func:`geo.regions.finest`). Population comes from the finest real table (:data:`SOURCES`):

* DKI Jakarta: each kelurahan's own figure (Dukcapil, December 2019), as it is;
* Jawa Barat: each desa/kelurahan (Dukcapil, Semester I 2024) and, elsewhere, each kecamatan
  (Dukcapil, 2023) gives its **share** of its kabupaten/kota, whose total is ``regions.csv``'s
  (Dukcapil, 2025 codes): the figures are scaled so the regency sums to that total. Where some
  polygons of a regency have no figure, those with one keep it (scaled down only if they exceed
  the total) and the others share the regency's remainder, spread by area;
* a regency with no finer figure at all: its total spread by area (as before).

Evenly/by area means every cell of a unit gets the same share, since H3 cells of one resolution
have nearly equal areas. A cell cut by a boundary belongs wholly to the polygon holding its
centre; a polygon too small to hold any cell centre gives its population to the cell holding its
representative point. So the sum over cells equals the sum over units exactly, and every regency
outside DKI sums to its ``regions.csv`` total.

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
GRID_FORMAT = "g3"
SOURCE_VILLAGE = "kelurahan (Dukcapil 2019)"
SOURCE_JABAR_VILLAGE = "desa/kelurahan (Dukcapil 2024 S1), share of the kabupaten/kota"
SOURCE_DISTRICT = "kecamatan (Dukcapil 2023), share of the kabupaten/kota"
SOURCE_REMAINDER = "rest of the kabupaten/kota (Dukcapil 2025), spread by area"
SOURCE_REGENCY = "kabupaten/kota (Dukcapil 2025), spread by area"
#: Sources of regions above the finest layer, and of kecamatan without a boundary.
SOURCE_REGENCY_TOTAL = "kabupaten/kota (Dukcapil 2025)"
SOURCE_SUM_OF_REGENCIES = "sum of kabupaten/kota (Dukcapil 2025)"
SOURCE_SUM_OF_DKI_VILLAGES = "sum of kelurahan (Dukcapil 2019)"
SOURCE_SUM_OF_VILLAGES = "sum of desa/kelurahan"
SOURCE_NO_BOUNDARY = "none: no boundary, its people are in its kabupaten/kota's other polygons"


def cache_dir() -> Path:
    """Where derived grids are cached."""
    env = os.environ.get("PANTAUZONA_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "pantauzona"


LEVEL_INDEX = tuple(f"{level}_idx" for level in LEVEL_COLUMNS)
#: A short, stable key for every source text (the dashboard's words for a source are keyed by it).
SOURCE_KEYS = {
    SOURCE_VILLAGE: "village_2019_dki",
    SOURCE_JABAR_VILLAGE: "village_2024_jabar",
    SOURCE_DISTRICT: "district_2023",
    SOURCE_REMAINDER: "regency_remainder",
    SOURCE_REGENCY: "regency_area",
    SOURCE_REGENCY_TOTAL: "regency_2025",
    SOURCE_SUM_OF_REGENCIES: "sum_of_regencies",
    SOURCE_SUM_OF_DKI_VILLAGES: "sum_of_villages_dki",
    SOURCE_SUM_OF_VILLAGES: "sum_of_villages",
    SOURCE_NO_BOUNDARY: "no_boundary",
}
#: Sources of a base cell's population; the grid's ``source`` column indexes this tuple.
SOURCES = (
    SOURCE_VILLAGE,
    SOURCE_JABAR_VILLAGE,
    SOURCE_DISTRICT,
    SOURCE_REMAINDER,
    SOURCE_REGENCY,
)


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
        return cells.positions(self.table[Out.CELL].to_numpy(), cell_ids)

    def attributes(self, positions: np.ndarray) -> pd.DataFrame:
        """Population, its source and the region codes of grid rows (-1 rows give nulls).

        Text columns are categoricals over :data:`SOURCES` and the reference region codes.
        """
        pos = np.asarray(positions)
        ok = pos >= 0
        rows = self.table.iloc[np.where(ok, pos, 0)]
        out: dict[str, object] = {
            Out.POPULATION: np.where(ok, rows[Out.POPULATION].to_numpy(), 0.0)
        }
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


def level_positions(table: pd.DataFrame) -> np.ndarray:
    """Per row of ``table`` (with the code columns of :data:`LEVEL_COLUMNS`), its region
    position in regions() at each level (rows x levels, -1: none), as a grid row holds them."""
    index = reference.regions().index
    # int16: the 14 k regions fit, and the base grid has 17 M rows.
    out = np.full((len(table), len(LEVEL_COLUMNS)), -1, dtype=np.int16)
    for j, column in enumerate(LEVEL_COLUMNS.values()):
        codes = table[column].astype(object).where(table[column].notna(), None)
        out[:, j] = index.get_indexer(codes.to_numpy())
    return out


@functools.cache
def _poly_region_index() -> np.ndarray:
    """Per finest polygon, its region position in regions() at each level (-1: none)."""
    return level_positions(regions.finest())


def _figures(layer: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per finest polygon: its own population figure (NaN: none) and that figure's source."""
    codes = layer["code"].to_numpy(dtype=object)
    is_village = (layer["level"] == "village").to_numpy()
    dki = layer["code"].str.startswith(reference.DKI + ".").to_numpy()
    tables = [
        (is_village & dki, reference.village_population(), SOURCE_VILLAGE),
        (is_village & ~dki, reference.jabar_village_population(), SOURCE_JABAR_VILLAGE),
        (~is_village, reference.district_population(), SOURCE_DISTRICT),
    ]
    figure = np.full(len(layer), np.nan)
    source = np.full(len(layer), SOURCES.index(SOURCE_REGENCY), dtype=np.int8)
    for mask, table, name in tables:
        figure[mask] = table.reindex(codes[mask]).to_numpy()
        source[mask & ~np.isnan(figure)] = SOURCES.index(name)
    return figure, source


def scale_to_totals(
    group: np.ndarray, figure: np.ndarray, totals: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Scale the members' figures to their group's total; what is left goes to the members without one.

    Parameters
    ----------
    group
        Each member's group (a kabupaten/kota code).
    figure
        Each member's own figure, NaN where it has none.
    totals
        The total of each group, by group.

    Returns
    -------
    tuple of numpy.ndarray
        Per member: its figure scaled (NaN where it had none) and its group's rest. A group whose
        members all have a figure scales them to its total exactly (rest 0); otherwise they keep
        their figure, scaled down only if they exceed the total, and the rest (never negative)
        is for the members without one.
    """
    known = ~np.isnan(figure)
    frame = pd.DataFrame({"group": group, "known": np.where(known, figure, 0.0), "gap": ~known})
    per = frame.groupby("group", sort=False).agg(known=("known", "sum"), gap=("gap", "any"))
    total = totals.reindex(per.index).fillna(0.0).to_numpy(dtype=float)
    summed = per["known"].to_numpy()
    scale = np.divide(total, summed, out=np.ones(len(per)), where=summed > 0)
    scale = np.where(per["gap"].to_numpy(), np.minimum(scale, 1.0), scale)
    rest = np.maximum(total - summed * scale, 0.0)
    at = per.index.get_indexer(group)
    return np.where(known, figure * scale[at], np.nan), rest[at]


def _population_units(layer: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each finest polygon: its population unit, the unit's population and source index.

    A polygon with a figure is its own unit; the polygons of a regency without one form one unit
    (the regency's code) holding the rest of the regency total, or all of it. DKI kelurahan keep
    their own 2019 figure, unscaled (as before); one without a figure would take the rest.
    """
    figure, source = _figures(layer)
    codes = layer["code"].to_numpy(dtype=object)
    regency = layer[Out.REGENCY_CODE].to_numpy(dtype=object)
    scaled, rest = scale_to_totals(regency, figure, reference.regions()["population"])
    known = ~np.isnan(figure)
    as_is = known & (source == SOURCES.index(SOURCE_VILLAGE))
    pop = np.where(as_is, figure, np.where(known, scaled, rest))
    unit = np.where(known, codes, regency)
    has_known = pd.Series(known).groupby(regency).transform("any").to_numpy()
    source = np.where(~known & has_known, SOURCES.index(SOURCE_REMAINDER), source)
    source = source.astype(np.int8)
    return unit, pop, source


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
        pos = cells.positions(cell_ids, extra)
        hit = pos >= 0
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


def _group(
    parent: np.ndarray, label: np.ndarray, weight: np.ndarray, resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum ``weight`` by (parent, label); labels must be below 2**(3*(15-resolution))."""
    key = _clear_low_bits(parent, resolution) | label.astype(np.uint64)
    uniq, inverse = np.unique(key, return_inverse=True)
    sums = np.bincount(inverse, weights=weight, minlength=len(uniq))
    low = np.uint64((1 << (3 * (15 - resolution))) - 1)
    parents_out = (uniq & ~low) | low  # restore the unused-digit bits of the parent cell
    return parents_out, (uniq & low).astype(np.int64), sums


def _coarsen(
    cell_ids: np.ndarray, poly: np.ndarray, pop: np.ndarray, resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(parent, polygon, population) triples summed at a coarser resolution."""
    parent = cells.parents(cell_ids, resolution)
    return _group(parent, poly, pop, resolution)


def _coarse_table(
    parent: np.ndarray, poly: np.ndarray, pop: np.ndarray, resolution: int
) -> pd.DataFrame:
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
        out = {
            res: Grid(res, pq.read_table(p).to_pandas(split_blocks=True, self_destruct=True))
            for res, p in paths.items()
        }
        pa.default_memory_pool().release_unused()  # Arrow's buffers, freed, back to the system
        return out
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
    """The population units with population and source: each polygon with a figure (kelurahan,
    desa, kecamatan) and, per kabupaten/kota, its polygons without one (by the regency's code)."""
    layer = regions.finest()
    unit, pop, source = _population_units(layer)
    names = np.asarray(SOURCES, dtype=object)[source]
    frame = pd.DataFrame({"unit": unit, Out.POPULATION: pop, Out.POPULATION_SOURCE: names})
    return frame.drop_duplicates("unit").set_index("unit")


def region_sources() -> pd.Series:
    """Where each region's population comes from (a text), by code of :func:`reference.regions`."""
    table = reference.regions()
    layer = regions.finest()
    level = table["level"].to_numpy()
    dki = (table["province_code"] == reference.DKI).to_numpy()
    villages = table["province_code"].isin(reference.village_provinces()).to_numpy()
    names = np.select(
        [
            level == "regency",
            level == "province",
            (level == "district") & villages,
            level == "district",
        ],
        [SOURCE_REGENCY_TOTAL, SOURCE_SUM_OF_REGENCIES, SOURCE_SUM_OF_VILLAGES, SOURCE_NO_BOUNDARY],
        default=SOURCE_REMAINDER,
    ).astype(object)
    names[dki & (level != "village")] = SOURCE_SUM_OF_DKI_VILLAGES
    out = pd.Series(names, index=table.index)
    _, _, source = _population_units(layer)
    out[layer["code"].to_numpy()] = np.asarray(SOURCES, dtype=object)[source]
    return out
