"""A deterministic, realistic sample: national cases on the real series, Jakarta check-ins.

What is real: the daily new cases per province (Satgas, summed over the window they equal the
real series exactly), the population (:mod:`geo.population`), the boundaries, and the 3,957
Jakarta venues. What is generated, with a fixed seed: where each case lives (by population: a
kelurahan in DKI, a cell of the kabupaten/kota elsewhere), the check-ins at the real venues
(volumes per category are illustrative; weekday rhythm; the PPKM Darurat drop from 2021-07-03),
and pseudonymous person ids linking a share of Jakarta cases to their earlier check-ins.
A few deliberately broken rows are appended so that the quarantine has something to show; they
are beyond the real totals.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from geo import reference, regions
from geo.columns import Out
from geo.config import load_config
from geo.population import Grid, grids

SEED = 20210703
CASES_FROM, CASES_TO = dt.date(2021, 6, 14), dt.date(2021, 7, 11)
CHECKINS_FROM = dt.date(2021, 5, 17)
PPKM_DARURAT = dt.date(2021, 7, 3)
DKI_REGION_CODED_SHARE = 0.15  # DKI cases known only by their kelurahan
LINKED_SHARE = 0.1  # DKI point cases whose person checked in during the 14 days before
PERSONS = 500_000  # app users: about 3 check-ins each over the 8 weeks
JITTER_DEGREES = 0.0008  # about 90 m around the cell centre

#: Mean check-ins per venue and day before restrictions (illustrative: no public data exists),
#: weekend factor, and factor under PPKM Darurat (malls closed, offices at home, transit cut).
CATEGORY_RHYTHM = {
    "shopping_centre": (25, 1.4, 0.1),
    "supermarket": (16, 1.2, 0.6),
    "train_station": (60, 0.7, 0.3),
    "bus_stop_transjakarta": (12, 0.7, 0.3),
    "hospital": (12, 0.9, 1.2),
    "clinic": (3, 0.8, 1.0),
    "community_health_centre": (4, 0.5, 1.3),
    "pharmacy": (2, 1.0, 1.5),
    "government_office": (8, 0.1, 0.25),
    "fuel_station": (5, 1.1, 0.6),
}
OPEN_HOURS = (7, 21)


def _grid_groups(grid: Grid, idx_col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid rows sorted by a region index: (sorted row positions, start, end) per region index."""
    idx = grid.table[idx_col].to_numpy()
    order = np.argsort(idx, kind="stable")
    n = len(reference.regions())
    starts = np.searchsorted(idx[order], np.arange(n), side="left")
    ends = np.searchsorted(idx[order], np.arange(n), side="right")
    return order, starts, ends


def _by_population(
    grid: Grid, order: np.ndarray, starts: np.ndarray, ends: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Positions in ``order``, one drawn in each ``[start, end)`` with weight its cell's population."""
    cum = np.concatenate([[0.0], np.cumsum(grid.table[Out.POPULATION].to_numpy()[order])])
    low, high = cum[starts], cum[ends]
    target = low + rng.uniform(size=len(starts)) * (high - low)
    drawn = np.searchsorted(cum, target, side="right") - 1
    return np.clip(drawn, starts, np.maximum(ends - 1, starts))


def _points_in(
    grid: Grid, rows: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    from geo.cells import centres

    lat, lon = centres(grid.table["cell"].to_numpy()[rows])
    angle = rng.uniform(0, 2 * np.pi, len(rows))
    radius = JITTER_DEGREES * np.sqrt(rng.uniform(0, 1, len(rows)))
    moved_lat = np.round(lat + radius * np.sin(angle), 6)
    moved_lon = np.round(lon + radius * np.cos(angle), 6)
    # A point jittered across a boundary would change region (and the real totals): keep the
    # cell centre there, which lies in the cell's region by construction.
    located = regions.codes_of(regions.locate_points(moved_lat, moved_lon))[Out.DISTRICT_CODE]
    codes = reference.regions()["code"].to_numpy(dtype=object)
    intended = codes[grid.table["district_idx"].to_numpy()[rows]]
    crossed = located.to_numpy(dtype=object) != intended
    moved_lat[crossed] = lat[crossed]
    moved_lon[crossed] = lon[crossed]
    return moved_lat, moved_lon


def case_counts(
    start: dt.date | None = None, end: dt.date | None = None, rng: np.random.Generator | None = None
) -> pd.DataFrame:
    """Real new cases per 2025 regency and date: each province-day spread by population.

    The days ``start`` to ``end`` (default: the sample's); ``rng`` defaults to the sample's seed.
    """
    start, end = start or CASES_FROM, end or CASES_TO
    rng = rng or np.random.default_rng(SEED)
    series = reference.province_daily()
    window = series[(series["date"] >= pd.Timestamp(start)) & (series["date"] <= pd.Timestamp(end))]
    table = reference.regions()
    regencies = table[table["level"] == "regency"]
    parts = []
    for (code_2020, date), group in window.groupby(["province_code", "date"], sort=True):
        members = regencies[regencies["province_code_2020"] == code_2020]
        weights = members["population"].to_numpy(dtype=float)
        counts = rng.multinomial(int(group["new_cases"].sum()), weights / weights.sum())
        parts.append(
            pd.DataFrame({"regency": members["code"].to_numpy(), "date": date, "n": counts})
        )
    out = pd.concat(parts, ignore_index=True)
    return out[out["n"] > 0].reset_index(drop=True)


def _dki_villages(counts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    pops = reference.village_population()
    villages = pops.index.to_numpy()
    regency_of = np.array([".".join(v.split(".")[:2]) for v in villages])
    parts = []
    for (regency, date), n in counts.set_index(["regency", "date"])["n"].items():
        mask = regency_of == regency
        weights = pops.to_numpy()[mask]
        drawn = rng.multinomial(int(n), weights / weights.sum())
        parts.append(pd.DataFrame({"village": villages[mask], "date": date, "n": drawn}))
    out = pd.concat(parts, ignore_index=True)
    return out[out["n"] > 0]


def generate_cases(
    grid: Grid, rng: np.random.Generator, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cases with a point (or, for a share of DKI, a kelurahan code), on the real series.

    ``counts`` (regency, date, n) defaults to the sample's window, :func:`case_counts`.
    """
    counts = case_counts() if counts is None else counts
    positions = reference.regions().index
    dki = counts["regency"].str.startswith(reference.DKI + ".")
    # Outside DKI: a cell of the regency drawn by its population.
    rest = counts[~dki]
    order, starts, ends = _grid_groups(grid, "regency_idx")
    reg_pos = np.repeat(positions.get_indexer(rest["regency"]), rest["n"].to_numpy())
    draw = _by_population(grid, order, starts[reg_pos], ends[reg_pos], rng)
    lat, lon = _points_in(grid, order[draw], rng)
    national = pd.DataFrame(
        {
            "reported_date": np.repeat(rest["date"].to_numpy(), rest["n"].to_numpy()),
            "lat": lat,
            "lon": lon,
        }
    )
    national["region_code"] = ""
    # DKI: a kelurahan by its 2019 population, then a cell of it, or only its code.
    villages = _dki_villages(counts[dki], rng)
    order, starts, ends = _grid_groups(grid, "village_idx")
    vil_pos = np.repeat(positions.get_indexer(villages["village"]), villages["n"].to_numpy())
    lat, lon = _points_in(grid, order[rng.integers(starts[vil_pos], ends[vil_pos])], rng)
    jakarta = pd.DataFrame(
        {
            "reported_date": np.repeat(villages["date"].to_numpy(), villages["n"].to_numpy()),
            "lat": lat,
            "lon": lon,
            "region_code": np.repeat(villages["village"].to_numpy(), villages["n"].to_numpy()),
        }
    )
    coded = rng.uniform(size=len(jakarta)) < DKI_REGION_CODED_SHARE
    jakarta.loc[coded, ["lat", "lon"]] = np.nan
    jakarta.loc[~coded, "region_code"] = ""
    cases = pd.concat([jakarta, national], ignore_index=True)
    cases = cases.sort_values("reported_date", kind="stable").reset_index(drop=True)
    cases.insert(0, "case_id", [f"C{i:07d}" for i in range(1, len(cases) + 1)])
    cases["reported_date"] = pd.to_datetime(cases["reported_date"]).dt.strftime("%Y-%m-%d")
    cases["status"] = "confirmed"
    cases["person_id"] = None
    return cases


def generate_checkins(venues: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Check-ins at the real venues with weekday rhythm and the PPKM Darurat drop."""
    dates = pd.date_range(CHECKINS_FROM, CASES_TO, freq="D")
    category = venues["category"].to_numpy()
    base = np.array([CATEGORY_RHYTHM[c][0] for c in category], dtype=float)
    weekend = np.array([CATEGORY_RHYTHM[c][1] for c in category])
    darurat = np.array([CATEGORY_RHYTHM[c][2] for c in category])
    popularity = rng.lognormal(mean=-0.125, sigma=0.5, size=len(venues))
    is_weekend = np.asarray(dates.day_of_week >= 5)[:, None]
    is_darurat = np.asarray(dates.date >= PPKM_DARURAT)[:, None]
    mean = (
        base * popularity * np.where(is_weekend, weekend, 1.0) * np.where(is_darurat, darurat, 1.0)
    )
    counts = rng.poisson(mean)  # dates x venues
    day_idx, venue_idx = np.nonzero(counts)
    n = counts[day_idx, venue_idx]
    day = np.repeat(day_idx, n)
    venue = np.repeat(venue_idx, n)
    seconds = rng.integers(OPEN_HOURS[0] * 3600, OPEN_HOURS[1] * 3600, len(day))
    when = dates.to_numpy()[day] + seconds.astype("timedelta64[s]")
    persons = rng.integers(0, PERSONS, len(day))
    frame = pd.DataFrame(
        {
            "venue_id": venues["venue_id"].to_numpy()[venue],
            "checked_in_at": when.astype("datetime64[s]"),
            "person_id": [f"P{p:06d}" for p in persons],
        }
    ).sort_values(["checked_in_at", "venue_id"], kind="stable")
    frame.insert(0, "checkin_id", [f"K{i:08d}" for i in range(1, len(frame) + 1)])
    return frame.reset_index(drop=True)


def link_persons(cases: pd.DataFrame, checkins: pd.DataFrame, rng: np.random.Generator) -> None:
    """Give a share of DKI point cases the person of a check-in from the 14 days before."""
    in_dki = (
        (cases["region_code"] == "")
        & cases["lat"].between(-6.4, -5.6)
        & cases["lon"].between(106.3, 107.0)
    )
    dates = pd.to_datetime(cases["reported_date"])
    checkin_day = checkins["checked_in_at"].dt.floor("D")
    used: set[str] = set()
    for date, group in cases[in_dki].groupby(dates[in_dki], sort=True):
        window = checkins["person_id"][
            (checkin_day <= date) & (checkin_day >= date - pd.Timedelta(days=13))
        ]
        chosen = group.index[rng.uniform(size=len(group)) < LINKED_SHARE]
        if window.empty or chosen.empty:
            continue
        picks = window.to_numpy()[rng.integers(0, len(window), len(chosen))]
        first_pick = ~pd.Series(picks).duplicated().to_numpy()  # one case per person
        fresh = np.array([p not in used for p in picks]) & first_pick
        used.update(picks[fresh])
        cases.loc[chosen[fresh], "person_id"] = picks[fresh]


BROKEN_CASES = [
    # case_id, reported_date, lat, lon, region_code: one per quarantine check
    ("X-swapped", "2021-07-05", "106.8272", "-6.1754", ""),
    ("X-null-island", "2021-07-05", "0", "0", ""),
    ("X-out-of-range", "2021-07-05", "95.5", "300", ""),
    ("X-outside", "2021-07-05", "1.3521", "103.8198", ""),  # Singapore
    ("X-unknown-code", "2021-07-05", "", "", "31.99"),
    ("X-bad-date", "5 Juli 2021", "-6.2", "106.8", ""),
    ("X-future", "2031-07-05", "-6.2", "106.8", ""),
    ("X-no-location", "2021-07-05", "", "", ""),
    ("C0000001", "2021-07-05", "-6.2", "106.8", ""),  # duplicate id
]


def write_sample(out: str | Path) -> dict:
    """Write ``cases.csv``, ``checkins.parquet`` and ``venues.csv`` into ``out``; return a summary."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    grid = grids(tuple(load_config().cells.resolutions))[load_config().base_resolution]
    venues = reference.venues()[["venue_id", "name", "category", "lat", "lon"]]
    cases = generate_cases(grid, rng)
    checkins = generate_checkins(venues, rng)
    link_persons(cases, checkins, rng)
    broken = pd.DataFrame(
        BROKEN_CASES, columns=["case_id", "reported_date", "lat", "lon", "region_code"]
    )
    broken["status"] = "confirmed"
    cases_out = pd.concat([cases.astype({"lat": object, "lon": object}), broken], ignore_index=True)
    _atomic_csv(cases_out, out / "cases.csv")
    _atomic_parquet(checkins, out / "checkins.parquet")
    _atomic_csv(venues, out / "venues.csv")
    summary = {
        "seed": SEED,
        "cases": {
            "from": CASES_FROM.isoformat(),
            "to": CASES_TO.isoformat(),
            "rows": len(cases),
            "broken_rows": len(broken),
        },
        "checkins": {
            "from": CHECKINS_FROM.isoformat(),
            "to": CASES_TO.isoformat(),
            "rows": len(checkins),
        },
        "venues": len(venues),
        "linked_cases": int(cases["person_id"].notna().sum()),
    }
    (out / "sample.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _atomic_csv(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)
