"""H3 in one place: points and polygons to cells, parents, centres, outlines.

Cells travel through the pipeline as ``uint64`` arrays (vectorised by h3ronpy) and leave it as
strings. No other module imports h3. h3 accepts latitude 95 or swapped coordinates without
complaint: range checks happen in :mod:`geo.validate`, before these functions.
"""

from __future__ import annotations

import h3
import h3ronpy
import numpy as np
import pyarrow as pa
import shapely
from h3ronpy.vector import (
    ContainmentMode,
    cells_to_coordinates,
    cells_to_wkb_polygons,
    coordinates_to_cells,
    wkb_to_cells,
)


def _np(array: object) -> np.ndarray:
    return pa.array(array).to_numpy(zero_copy_only=False)


def points_to_cells(lat: np.ndarray, lon: np.ndarray, resolution: int) -> np.ndarray:
    """Cells (``uint64``) of points given in degrees, vectorised."""
    lat = np.ascontiguousarray(lat, dtype=np.float64)
    lon = np.ascontiguousarray(lon, dtype=np.float64)
    if lat.size == 0:
        return np.empty(0, dtype=np.uint64)
    return _np(coordinates_to_cells(lat, lon, resolution)).astype(np.uint64)


def parents(cells: np.ndarray, resolution: int) -> np.ndarray:
    """The parent (``uint64``) of each cell at a coarser resolution."""
    if cells.size == 0:
        return cells.astype(np.uint64)
    return _np(h3ronpy.change_resolution(pa.array(cells, type=pa.uint64()), resolution)).astype(
        np.uint64
    )


def to_strings(cells: np.ndarray) -> np.ndarray:
    """Cell strings (``object`` array) of ``uint64`` cells."""
    if cells.size == 0:
        return np.empty(0, dtype=object)
    return to_arrow_strings(cells).to_numpy(zero_copy_only=False).astype(object)


def to_arrow_strings(cells: np.ndarray) -> pa.Array:
    """Cell strings of ``uint64`` cells as an Arrow array, without a Python string per cell:
    the categories of a column of cells are made so (0.05 s for 390 k cells, against 0.16 s
    through :func:`to_strings`, which pandas turns back into Arrow strings)."""
    return pa.array(h3ronpy.cells_to_string(pa.array(cells, type=pa.uint64())))


def from_strings(cells: object) -> np.ndarray:
    """``uint64`` cells of cell strings; an invalid string raises ``ValueError``.

    Arrow strings (an Arrow array, or pandas' ``str`` values) are parsed as they are, without a
    Python string per cell (0.025 s for 400 k cells, against 0.09 s through an object array);
    an array of ``str`` or objects goes to Arrow as it is, any other iterable through a list.
    """
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    if isinstance(cells, pa.Array) or hasattr(cells, "__arrow_array__"):
        strings = pa.array(cells, type=pa.string())
    else:
        values = cells if isinstance(cells, np.ndarray) else list(cells)  # type: ignore[call-overload]
        strings = pa.array(values, type=pa.string())
    if len(strings) == 0:
        return np.empty(0, dtype=np.uint64)
    parsed = pa.array(h3ronpy.cells_parse(strings, True))
    if parsed.null_count:
        first = parsed.is_null().to_numpy(zero_copy_only=False).argmax()
        msg = f"not an H3 cell: {strings[int(first)].as_py()!r}"
        raise ValueError(msg)
    return parsed.to_numpy(zero_copy_only=False).astype(np.uint64)


def is_valid_cell(cell: str) -> bool:
    """Whether a string is a valid H3 cell."""
    try:
        return bool(h3.is_valid_cell(cell))
    except (TypeError, ValueError):
        return False


def resolution_of(cell: str) -> int:
    """The resolution of a cell string."""
    return int(h3.get_resolution(cell))


def centres(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of the centre of each cell."""
    if cells.size == 0:
        return np.empty(0), np.empty(0)
    batch = pa.record_batch(cells_to_coordinates(pa.array(cells, type=pa.uint64())))
    return (
        batch.column("lat").to_numpy(zero_copy_only=False),
        batch.column("lng").to_numpy(zero_copy_only=False),
    )


def polygons(cells: np.ndarray) -> np.ndarray:
    """Shapely polygons (lon/lat) of the cells."""
    if cells.size == 0:
        return np.empty(0, dtype=object)
    wkb = pa.array(cells_to_wkb_polygons(pa.array(cells, type=pa.uint64())))
    return shapely.from_wkb(wkb.to_numpy(zero_copy_only=False))


def cells_in_polygons(geoms: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """Cells whose centre lies in each polygon, as ``h3.polygon_to_cells`` does.

    Returns
    -------
    (index, cells)
        For each cell found, the position of its polygon in ``geoms``, and the cell.
    """
    wkb = pa.array(shapely.to_wkb(np.asarray(geoms, dtype=object)), type=pa.binary())
    lists = pa.array(
        wkb_to_cells(wkb, resolution, containment_mode=ContainmentMode.ContainsCentroid)
    )
    counts = np.diff(lists.offsets.to_numpy(zero_copy_only=False))
    index = np.repeat(np.arange(len(geoms)), counts)
    cells = lists.flatten().to_numpy(zero_copy_only=False).astype(np.uint64)
    return index, cells


def area_km2(cells: np.ndarray) -> np.ndarray:
    """Area of each cell in square kilometres."""
    if cells.size == 0:
        return np.empty(0)
    return _np(h3ronpy.cells_area_km2(pa.array(cells, type=pa.uint64())))


def positions(sorted_cells: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """The position of each of ``cells`` among ``sorted_cells`` (sorted, unique), -1 where it is
    not one of them: a binary search, not a dictionary (raw H3 integers hash badly)."""
    if sorted_cells.size == 0:
        return np.full(len(cells), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_cells, cells), sorted_cells.size - 1)
    return np.where(sorted_cells[at] == cells, at, -1)


def neighbour_pairs(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of positions ``(i, j)`` of cells that are neighbours (k-ring 1) among ``cells``.

    ``cells`` must be sorted ``uint64`` cells of one resolution. Each pair appears in both
    directions; a cell is not its own neighbour. Neighbours outside ``cells`` are left out.
    """
    if cells.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    lists = pa.array(h3ronpy.grid_disk(pa.array(cells, type=pa.uint64()), 1))
    counts = np.diff(lists.offsets.to_numpy(zero_copy_only=False))
    focal = np.repeat(np.arange(cells.size), counts)
    ring = lists.flatten().to_numpy(zero_copy_only=False).astype(np.uint64)
    where = positions(cells, ring)
    keep = (where >= 0) & (where != focal)
    return focal[keep], where[keep]
