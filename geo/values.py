"""Input values as text, and the first row of each repeated value: shared by the checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text ("" for missing), kept in Arrow-backed strings."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="str")
    values = frame[column]
    values = values.astype("str")
    if values.isna().any():
        values = values.fillna("")
    # In Arrow: trim, and keep the original (no copy) when nothing had surrounding white space.
    array = pa.array(values.array)
    trimmed = pc.utf8_trim_whitespace(array)
    if pc.all(pc.equal(array, trimmed)).as_py() is False:
        values = pd.Series(pd.array(trimmed, dtype="str"), index=values.index)
    return values


def first_positions(ids: pd.Series) -> np.ndarray:
    """For each row, the position of the first row with the same id.

    Sorted in Arrow rather than hashed in pandas: at 10 M ids this needs a third of the memory.
    """
    array = pa.array(ids.array)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if len(array) == 0:  # a file with a header and no rows
        return np.empty(0, dtype=np.int64)
    order = pc.array_sort_indices(array).to_numpy(zero_copy_only=False)
    ordered = array.take(pa.array(order))
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
    new_group = np.r_[True, ~pc.fill_null(same, False).to_numpy(zero_copy_only=False)]
    starts = np.flatnonzero(new_group)
    first_in_group = np.minimum.reduceat(order, starts) if len(order) else order
    group = np.cumsum(new_group) - 1
    first = np.empty(len(order), dtype=np.int64)
    first[order] = first_in_group[group]
    return first
