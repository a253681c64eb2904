"""Synthetic inputs for the benchmarks: N check-ins at the real Jakarta venues, N/10 cases.

Cases are placed like the sample's, by population: a resolution-9 cell drawn with probability
proportional to its population (so 3.9 % fall in DKI Jakarta), with ~90 m of jitter.
Deterministic per N.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo import reference
from geo.config import load_config
from geo.population import grids
from geo.sample import _points_in

DAYS = 56
LINKED_SHARE = 0.1
START = np.datetime64("2021-05-17")


def write_inputs(n_checkins: int, folder: Path) -> dict[str, Path]:
    """Write ``cases.csv``, ``checkins.csv`` and ``venues.csv`` for ``n_checkins`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(n_checkins)
    config = load_config()
    grid = grids(tuple(config.cells.resolutions))[config.base_resolution]
    venues = reference.venues()[["venue_id", "name", "category", "lat", "lon"]]
    n_cases = n_checkins // 10
    dki_rows = np.flatnonzero(
        grid.table["province_idx"].to_numpy() == reference.regions().index.get_loc("31")
    )
    in_dki = rng.uniform(size=n_cases) < 0.3
    rows = np.where(
        in_dki,
        dki_rows[rng.integers(0, len(dki_rows), n_cases)],
        rng.integers(0, len(grid.table), n_cases),
    )
    lat, lon = _points_in(grid, rows, rng)
    day = rng.integers(0, DAYS, n_cases)
    cases = pd.DataFrame(
        {
            "case_id": [f"C{i:09d}" for i in range(n_cases)],
            "reported_date": (START + day.astype("timedelta64[D]")).astype(str),
            "lat": lat,
            "lon": lon,
            "person_id": [f"P{p:07d}" for p in rng.integers(0, max(1, n_checkins // 3), n_cases)],
        }
    )
    # As in the sample, only a share of cases can be linked to their check-ins.
    cases.loc[rng.uniform(size=n_cases) >= LINKED_SHARE, "person_id"] = None
    seconds = rng.integers(0, DAYS * 86400, n_checkins)
    when = (START.astype("datetime64[s]") + seconds.astype("timedelta64[s]")).astype(str)
    checkins = pd.DataFrame(
        {
            "checkin_id": [f"K{i:010d}" for i in range(n_checkins)],
            "venue_id": venues["venue_id"].to_numpy()[rng.integers(0, len(venues), n_checkins)],
            "checked_in_at": when,
            "person_id": [
                f"P{p:07d}" for p in rng.integers(0, max(1, n_checkins // 3), n_checkins)
            ],
        }
    )
    paths = {name: folder / f"{name}.csv" for name in ("cases", "checkins", "venues")}
    cases.to_csv(paths["cases"], index=False)
    checkins.to_csv(paths["checkins"], index=False)
    venues.to_csv(paths["venues"], index=False)
    return paths
