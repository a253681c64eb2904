"""Synthetic national inputs: venues nationwide by population, check-ins at national volume, real cases.

What is real: the 3,957 Jakarta venues, the population grid, the boundaries, and the daily new
cases per province (Satgas; each day's cases sum to the real series per province). What is
generated, deterministically (a seed per day, so a day's files do not depend on how many days
are written):

- **Venues** outside DKI Jakarta at Jakarta's density per inhabitant (about 370 per million):
  a count per kabupaten/kota by its population, each in a resolution-9 cell drawn by population,
  with the category mix of the Jakarta venues.
- **Check-ins**: exactly ``checkins_per_day`` a day, spread over the venues by a per-venue load
  (category base volume of :data:`geo.sample.CATEGORY_RHYTHM` x a log-normal popularity x the
  weekend factor), opening hours 07-21, persons drawn from a pool of ``3 x checkins_per_day``
  app users (one check-in every three days each). The PPKM Darurat drop is left out: the
  benchmark measures volume, and 8 M a day is a figure from September 2021.
- **Cases** as :func:`geo.sample.generate_cases` places them: points (by population, within the
  regency the province's real count was spread to), and for 15 % of DKI only a kelurahan code.
  10 % of cases carry a person id from the pool, so the exposure join has work to do.

Files are Parquet (CSV at 8 M rows a day takes longer to write and to parse than the build takes
to compute, so it would be the measured thing), one folder per day, check-ins written in row
groups of :data:`CHUNK` rows so that the generator's memory does not grow with the volume::

    venues.parquet
    days/2021-07-14/checkins.parquet, cases.parquet
    inputs.json                     seed, days, rows per day and file
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geo import reference
from geo.config import load_config
from geo.population import Grid, grids
from geo.sample import (
    CATEGORY_RHYTHM,
    OPEN_HOURS,
    _by_population,
    _grid_groups,
    _points_in,
    case_counts,
    generate_cases,
)

SEED = 20210915
NEW_DAY = dt.date(2021, 7, 15)  # the peak of the real national curve (56,756 cases)
CHUNK = 1_000_000
LINKED_SHARE = 0.1
PERSONS_PER_DAILY_CHECKIN = 3
CHECKIN_SCHEMA = pa.schema(
    [
        pa.field("checkin_id", pa.string()),
        pa.field("venue_id", pa.string()),
        pa.field("checked_in_at", pa.timestamp("s")),
        pa.field("person_id", pa.string()),
    ]
)


def dates(days: int, new_day: dt.date = NEW_DAY) -> list[dt.date]:
    """``days`` of history and the new day, in order; the last date is ``new_day``."""
    return [new_day - dt.timedelta(days=days - i) for i in range(days + 1)]


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded ``numbers`` as an Arrow string array, without a Python loop."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (np.asarray(numbers, dtype=np.int64)[:, None] // powers % 10 + ord("0")).astype(
        np.uint8
    )
    head = np.broadcast_to(np.frombuffer(prefix.encode(), np.uint8), (len(digits), len(prefix)))
    text = np.ascontiguousarray(np.hstack([head, digits]))
    offsets = np.arange(len(text) + 1, dtype=np.int32) * text.shape[1]
    return pa.StringArray.from_buffers(len(text), pa.py_buffer(offsets), pa.py_buffer(text))


def _base_grid() -> Grid:
    config = load_config()
    return grids(tuple(config.cells.resolutions))[config.base_resolution]


def national_venues(grid: Grid, rng: np.random.Generator) -> pd.DataFrame:
    """The real Jakarta venues and synthetic ones elsewhere, at Jakarta's venues per inhabitant."""
    jakarta = reference.venues()[["venue_id", "name", "category", "lat", "lon"]]
    jakarta = jakarta.astype({"lat": float, "lon": float})
    table = reference.regions()
    regencies = table[(table["level"] == "regency") & (table["province_code"] != reference.DKI)]
    dki = float(table.loc[table["code"] == reference.DKI, "population"].iloc[0])
    weights = regencies["population"].to_numpy(dtype=float)
    total = round(len(jakarta) / dki * weights.sum())
    per_regency = rng.multinomial(total, weights / weights.sum())
    order, starts, ends = _grid_groups(grid, "regency_idx")
    pos = np.repeat(table.index.get_indexer(regencies["code"]), per_regency)
    lat, lon = _points_in(
        grid, order[_by_population(grid, order, starts[pos], ends[pos], rng)], rng
    )
    mix = jakarta["category"].value_counts(normalize=True).sort_index()
    category = mix.index.to_numpy()[rng.choice(len(mix), size=total, p=mix.to_numpy())]
    synthetic = pd.DataFrame(
        {
            "venue_id": [f"S{i:06d}" for i in range(1, total + 1)],
            "name": [f"Synthetic {c} {i}" for i, c in enumerate(category, start=1)],
            "category": category,
            "lat": lat,
            "lon": lon,
        }
    )
    return pd.concat([jakarta, synthetic], ignore_index=True)


def _venue_load(venues: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Relative check-in load per venue on a weekday and on a weekend day."""
    rhythm = venues["category"].map(CATEGORY_RHYTHM)
    base = np.array([r[0] for r in rhythm], dtype=float)
    weekend = np.array([r[1] for r in rhythm], dtype=float)
    popularity = rng.lognormal(mean=-0.125, sigma=0.5, size=len(venues))
    return base * popularity, base * popularity * weekend


def _day_rng(seed: int, day: dt.date, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, day.toordinal(), stream])


def write_checkins(
    venue_ids: pa.Array, load: np.ndarray, day: dt.date, n: int, path: Path, seed: int
) -> None:
    """``n`` check-ins on ``day`` at venues drawn by ``load``, streamed in row groups."""
    rng = _day_rng(seed, day, 1)
    cdf = np.cumsum(load) / load.sum()
    persons = PERSONS_PER_DAILY_CHECKIN * n
    midnight = np.datetime64(day, "s").astype(np.int64)
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, CHECKIN_SCHEMA) as writer:
        for first in range(0, n, CHUNK):
            size = min(CHUNK, n - first)
            venue = np.minimum(np.searchsorted(cdf, rng.uniform(size=size)), len(cdf) - 1)
            seconds = rng.integers(OPEN_HOURS[0] * 3600, OPEN_HOURS[1] * 3600, size)
            batch = pa.record_batch(
                [
                    _ids(f"K{day:%Y%m%d}", np.arange(first, first + size), 9),
                    venue_ids.take(pa.array(venue)),
                    pa.array(midnight + seconds, pa.int64()).cast(pa.timestamp("s")),
                    _ids("P", rng.integers(0, persons, size), 9),
                ],
                schema=CHECKIN_SCHEMA,
            )
            writer.write_batch(batch)
    tmp.replace(path)


def day_cases(grid: Grid, day: dt.date, persons: int, seed: int) -> pd.DataFrame:
    """The real national cases of ``day`` as :func:`geo.sample.generate_cases` places them."""
    rng = _day_rng(seed, day, 2)
    cases = generate_cases(grid, rng, counts=case_counts(day, day, rng))
    cases["case_id"] = [f"C{day:%Y%m%d}-{i:06d}" for i in range(1, len(cases) + 1)]
    linked = rng.uniform(size=len(cases)) < LINKED_SHARE
    cases["person_id"] = pd.Series(pd.NA, index=cases.index, dtype="string")
    cases.loc[linked, "person_id"] = _ids("P", rng.integers(0, persons, linked.sum()), 9)
    return cases


def write_inputs(
    folder: str | Path,
    days: int,
    checkins_per_day: int,
    *,
    new_day: dt.date = NEW_DAY,
    seed: int = SEED,
) -> dict:
    """Write venues and ``days`` + 1 days of check-ins and cases into ``folder``; return a summary.

    Parameters
    ----------
    folder
        Where the files go (see the module docstring for the layout).
    days
        Days of history; the new day ``new_day`` comes on top.
    checkins_per_day
        Check-ins written for every day, exactly.
    new_day, seed
        The last day written, and the seed (each day's files depend on the seed and the date only).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    grid = _base_grid()
    rng = np.random.default_rng([seed, 0])
    venues = national_venues(grid, rng)
    weekday, weekend = _venue_load(venues, rng)
    venues.to_parquet(folder / "venues.parquet", index=False)
    venue_ids = pa.array(venues["venue_id"].to_numpy(dtype=object), pa.string())
    summary = {"seed": seed, "venues": len(venues), "days": {}}
    for day in dates(days, new_day):
        where = folder / "days" / day.isoformat()
        where.mkdir(parents=True, exist_ok=True)
        load = weekend if day.weekday() >= 5 else weekday
        write_checkins(venue_ids, load, day, checkins_per_day, where / "checkins.parquet", seed)
        cases = day_cases(grid, day, PERSONS_PER_DAILY_CHECKIN * checkins_per_day, seed)
        cases.to_parquet(where / "cases.parquet", index=False)
        summary["days"][day.isoformat()] = {"checkins": checkins_per_day, "cases": len(cases)}
    (folder / "inputs.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def concatenate(files: list[Path], out: Path) -> int:
    """Stream Parquet ``files`` of one schema into one file, a row group at a time; return rows."""
    rows = 0
    schema = pq.read_schema(files[0])
    tmp = out.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for path in files:
            source = pq.ParquetFile(path)
            for group in range(source.num_row_groups):
                table = source.read_row_group(group)
                writer.write_table(table)
                rows += table.num_rows
    tmp.replace(out)
    return rows
