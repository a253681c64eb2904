"""Figures on published data shapes: time and peak memory of whole builds, with their invariants.

``python -m benchmarks.realdata`` (``make bench-real``) builds, each in a child process whose
peak RSS is read from ``getrusage``:

* ``province``: the shipped ``data/covid/province_daily.csv`` as it is (province-coded daily
  counts), default config; province totals must be conserved exactly. Target ≤ 2 min, ≤ 2.5 GB.
* ``dki``: a kelurahan-coded series for DKI generated here (267 kelurahan by 17 month-ends, the
  shape of the public monthly files), calibrated on DKI's rows of the province series: each
  month's DKI cases split over kelurahan by population with a fixed seed, each month's count
  spread over its days in integers. Every kelurahan total must be conserved, and on a month-end
  where a kelurahan is red its populated resolution-9 cells must be red. Target ≤ 1 min, ≤ 1.5 GB.
* ``kecamatan``: one day of counts for every kecamatan of Indonesia. Target ≤ 30 s, ≤ 1.5 GB.

The DKI file is built with ``cases_cumulative`` (``--cases-cumulative``), the province file with
its code edition detected (2020: Papua and Papua Barat apportioned to their 2025 successors, so
their totals are checked together).

The machine is shared: figures are inflated by whatever else runs; the script prints the load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PROVINCE_FILE = REPO / "data" / "covid" / "province_daily.csv"
TODAY = "2026-01-01"
TARGETS = {"province": (120, 2500), "dki": (60, 1500), "kecamatan": (30, 1500)}


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` in integers proportional to ``weights`` (largest remainders), summing exactly."""
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    rest = int(total - out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def dki_series(folder: Path) -> Path:
    """The generated kelurahan-coded DKI file: month-end running totals per kelurahan."""
    from geo.population import grids
    from geo.rollup import region_table

    table = region_table(grids((9, 8, 7, 6))[9]).set_index("region_code")
    villages = table[(table["region_level"] == "village") & table.index.str.startswith("31.")]
    pop = villages["population"].to_numpy(dtype=float)
    series = pd.read_csv(PROVINCE_FILE, parse_dates=["date"])
    dki = series[series["province_code"] == 31].set_index("date")["new_cases"]
    months = dki.resample("ME").sum()
    months = months[(months.index >= "2020-03-31") & (months.index <= "2021-07-31")]
    rng = np.random.default_rng(8)
    running = np.zeros(len(pop), dtype=np.int64)
    rows = []
    for end, total in months.items():
        share = pop * rng.gamma(4.0, 0.25, len(pop))  # uneven, seeded
        running += _split(int(total), share)
        day = end.date().isoformat()
        rows += [(day, code, int(n)) for code, n in zip(villages.index, running, strict=True)]
    frame = pd.DataFrame(rows, columns=["date", "village_code", "total_cases"])
    path = folder / "dki_kelurahan_cumulative.csv"
    frame.to_csv(path, index=False)
    return path


def kecamatan_day(folder: Path) -> Path:
    """One day of counts for every kecamatan (seeded Poisson around 3)."""
    from geo import reference

    regions = reference.regions()
    codes = regions.index[regions["level"] == "district"]
    counts = np.random.default_rng(8).poisson(3.0, len(codes))
    frame = pd.DataFrame({"date": "2021-07-15", "district_code": codes, "new_cases": counts})
    path = folder / "kecamatan_day.csv"
    frame.to_csv(path, index=False)
    return path


#: 2020's Papua (91) and Papua Barat (92), split in 2022 into 2025's 91-96.
PAPUA_2020, PAPUA_2025 = ["91", "92"], ["91", "92", "93", "94", "95", "96"]


def _input_totals(path: Path, column: str, kind: str) -> pd.Series:
    frame = pd.read_csv(path, dtype={column: str})
    if kind == "dki":  # running totals: the last one is the kelurahan's total
        return frame.sort_values("date").groupby(column)["total_cases"].last()
    totals = frame.groupby(column)["new_cases"].sum()
    if kind == "province":
        totals = totals.drop(PAPUA_2020)
        totals["papua"] = frame.loc[frame[column].isin(PAPUA_2020), "new_cases"].sum()
    return totals


def _check(kind: str, source: Path, out: Path) -> dict:
    """The invariants of one build (raises AssertionError when one fails)."""
    regions = pd.read_parquet(out / "regions_daily.parquet")
    # A region's own count: a region below a reporting target also holds its share of the
    # target's (``new_cases_allocated``, :func:`geo.rollup.shared_windows`); the subtraction is
    # in floating point, so the whole counts it recovers are rounded to 1e-9 of a case.
    own = regions["new_cases"] - regions["new_cases_allocated"]
    totals = own.groupby(regions["region_code"]).sum().round(9)
    column = {"province": "province_code", "dki": "village_code", "kecamatan": "district_code"}
    expected = _input_totals(source, column[kind], kind)
    if kind == "province":
        totals["papua"] = totals.reindex(PAPUA_2025).sum()
    got = totals.reindex(expected.index)
    if not (got == expected).all():
        msg = f"{kind}: region totals are not conserved"
        raise AssertionError(msg)
    found: dict = {"regions_conserved": len(expected)}
    if kind == "dki":
        found["red_kelurahan_checked"] = _red_cells_are_red(out, regions)
    return found


def _red_cells_are_red(out: Path, regions: pd.DataFrame) -> int:
    """On the last month-end, every red kelurahan's populated res-9 cells are red."""
    from geo import buildread

    build = buildread.open_build(out)
    day = pd.Timestamp("2021-07-31")
    red = regions[
        (regions["date"] == day)
        & (regions["region_level"] == "village")
        & (regions["risk"] == "red")
    ]["region_code"]
    for code in red:
        table = buildread.cells_in(build, day.date(), code, 9)
        populated = table[table["population"] > 0]
        if populated.empty or (populated["risk"] != "red").any():
            msg = f"{code} is red but not all its populated resolution-9 cells are"
            raise AssertionError(msg)
    return len(red)


def _peak_mb() -> float:
    """This process's peak resident memory (MiB): ``VmHWM``, which, unlike ``ru_maxrss``, does
    not carry the parent's size from before ``exec``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    msg = "no VmHWM in /proc/self/status: peak memory is measured on Linux only"
    raise RuntimeError(msg)


def _child(kind: str, source: str, out: str) -> None:
    from geo.build import build

    start = time.perf_counter()
    today = pd.Timestamp(TODAY).date()
    build(source, None, None, out, today=today, cases_cumulative=kind == "dki")
    seconds = time.perf_counter() - start
    peak_mb = _peak_mb()
    print(json.dumps({"seconds": round(seconds, 1), "peak_mb": round(peak_mb)}))


def measure(kind: str, folder: Path) -> dict:
    """Build one scenario in a child process; its time, peak RSS and invariants."""
    make = {"province": lambda f: PROVINCE_FILE, "dki": dki_series, "kecamatan": kecamatan_day}
    source = make[kind](folder)
    out = folder / f"build-{kind}"
    cmd = [sys.executable, "-m", "benchmarks.realdata", "--child", kind, str(source), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=REPO)
    if done.returncode:
        msg = f"the {kind} build failed:\n{done.stderr[-3000:]}"
        raise RuntimeError(msg)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures.update(_check(kind, source, out))
    limit_s, limit_mb = TARGETS[kind]
    figures["within_target"] = figures["seconds"] <= limit_s and figures["peak_mb"] <= limit_mb
    return figures


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # one build, in the child process
        _child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", help=f"some of {', '.join(TARGETS)} (default: all)")
    args = parser.parse_args()
    unknown = sorted(set(args.kinds) - set(TARGETS))
    if unknown:
        parser.error(f"unknown figure {', '.join(unknown)}; choose among {', '.join(TARGETS)}")
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds or list(TARGETS):
            figures = measure(kind, Path(tmp))
            limit_s, limit_mb = TARGETS[kind]
            print(f"{kind}: {figures} (target ≤ {limit_s} s, ≤ {limit_mb} MB)", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
