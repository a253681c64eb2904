"""The cost of the hotspot step alone, per resolution, on a build's own rows.

``python -m benchmarks.hotspots [--build build/sample]``: for each resolution of the build, the
time to make the zones and their weights (:func:`geo.hotspots.zones`, once per resolution) and to
mark every day's rows (:func:`geo.hotspots.mark`, in the build's chunks of days), against the
time to read those rows back, measured in the same process. The whole build's time with and
without the step is in ``benchmarks/README.md`` (two ``geo build`` commands, same session).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geo import cells, hotspots
from geo.build import CHUNK_DAYS
from geo.columns import Out


def _rows(build: Path, resolution: int) -> pd.DataFrame:
    columns = [Out.CELL, Out.DATE, Out.CASES_7D]
    return pd.read_parquet(
        build / "cells_daily.parquet", columns=columns, filters=[(Out.RESOLUTION, "==", resolution)]
    )


def measure(build: Path, resolution: int) -> dict[str, float]:
    """Seconds to read the rows, build the zones, and mark every day; and the sizes."""
    start = time.perf_counter()
    rows = _rows(build, resolution)
    known = pd.read_parquet(build / "cells.parquet", filters=[(Out.RESOLUTION, "==", resolution)])
    keys = cells.from_strings(rows[Out.CELL].astype(str))
    read = time.perf_counter() - start
    start = time.perf_counter()
    found = hotspots.zones(cells.from_strings(known[Out.CELL]), known[Out.POPULATION].to_numpy())
    made = time.perf_counter() - start
    days = np.sort(rows[Out.DATE].unique())
    start = time.perf_counter()
    for first in range(0, len(days), CHUNK_DAYS):
        chunk = rows[Out.DATE].isin(days[first : first + CHUNK_DAYS]).to_numpy()
        hotspots.mark(rows[chunk].copy(), keys[chunk], found)
    marked = time.perf_counter() - start
    return {
        "resolution": resolution,
        "zones": found.cells.size,
        "rows": len(rows),
        "days": len(days),
        "read_s": read,
        "zones_s": made,
        "mark_s": marked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hotspots")
    parser.add_argument("--build", type=Path, default=Path("build/sample"))
    args = parser.parse_args()
    resolutions = sorted(pd.read_parquet(args.build / "cells.parquet")[Out.RESOLUTION].unique())
    table = pd.DataFrame([measure(args.build, int(r)) for r in resolutions])
    print(table.round(2).to_string(index=False))
    total = table["zones_s"].sum() + table["mark_s"].sum()
    print(f"\nhotspot step: {total:.1f} s in all (zones {table['zones_s'].sum():.1f} s)")


if __name__ == "__main__":
    main()
