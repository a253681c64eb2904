"""``python -m benchmarks.national``: the build at national volume (issue 10), as a user runs it.

Writes synthetic national inputs (:mod:`benchmarks.national_inputs`: ``--days`` of history plus
one new day at ``--checkins-per-day``), then measures, each in its own process (``python -m geo``),
its wall time, input rows per second and peak memory (the resident memory of the process tree,
sampled every 0.2 s with psutil):

- **full build**: :func:`geo.build.build` of the history days (one cases file and one check-ins
  file, as ``geo build`` reads them), with the time and peak memory of each of its steps
  (:data:`geo.build.STEPS`, through its ``on_step``);
- **Dask engine**: ``geo build --engine dask --workers N`` of the same history files, for each
  of ``--dask-workers`` (a local cluster of N worker processes; the tables are the default
  engine's);
- **store set-up**: ``geo load`` of each history day into an inputs store (the daily operation),
  then ``geo load --rebuild`` of the history (every day computed: there is no previous build);
- **new day**: ``geo load`` of the new day's files with ``--rebuild`` on top of that build: the
  cell rows of the days the new day cannot change are copied (:mod:`geo.incremental`).

A run whose memory passes ``--max-rss-gb`` or whose time passes ``--timeout-min`` is stopped
and reported as such; the rest of its path (the full build, or the store and the new day) is
skipped. The machine (cores, memory, load average before and after each step) is printed with
the table, since other work inflates the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks import national_inputs

GB = 1024**3


@dataclass
class Run:
    """One measured process: its wall time, peak memory, and whether it finished."""

    seconds: float
    peak_gb: float
    status: str  # "ok", "stopped at X GB", "stopped after N min", "failed: ..."
    load_before: float
    load_after: float


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(cmd: list[str], max_rss_gb: float, timeout_s: float) -> Run:
    """Run ``cmd``, sampling its process tree's memory; stop it past either limit."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, status = 0, "ok"
    while process.poll() is None:
        try:
            peak = max(peak, _tree_rss(process))
        except psutil.NoSuchProcess:
            break
        elapsed = time.perf_counter() - started
        if peak > max_rss_gb * GB or elapsed > timeout_s:
            status = (
                f"stopped at {peak / GB:.1f} GiB"
                if peak > max_rss_gb * GB
                else f"stopped after {elapsed / 60:.0f} min"
            )
            for child in process.children(recursive=True):
                child.kill()
            process.kill()
            break
        time.sleep(0.2)
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    if status == "ok" and process.returncode != 0:
        status = "failed: " + err.decode(errors="replace").strip().splitlines()[-1][:120]
    return Run(seconds, peak / GB, status, load_before, os.getloadavg()[0])


def machine() -> str:
    """One line: cores, memory, memory available, load average."""
    memory = psutil.virtual_memory()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{psutil.cpu_count()} cores, {memory.total / GB:.0f} GiB RAM "
        f"({memory.available / GB:.0f} GiB available), load average {load}"
    )


def _geo(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "geo", *map(str, args)]


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


def _row(step: str, rows: int, run: Run) -> str:
    rate = f"{rows / run.seconds:,.0f}" if run.status == "ok" else "—"
    return (
        f"| {step} | {rows:,} | {run.seconds:.1f} | {rate} | {run.peak_gb:.2f} | "
        f"{run.load_before:.1f} → {run.load_after:.1f} | {run.status} |"
    )


def build_by_step(folder: Path) -> list[dict]:
    """``geo.build.build`` of the history files, with the seconds and peak memory of each step.

    Memory is sampled every 0.1 s by a thread of this process; a step's peak is the largest
    resident size seen between its start and the next step's.
    """
    from geo.build import build

    process = psutil.Process()
    marks: list[list] = []  # [step, started, peak rss]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            if marks:
                marks[-1][2] = max(marks[-1][2], process.memory_info().rss)

    def on_step(name: str, number: int, total: int) -> None:
        marks.append([name, time.perf_counter(), process.memory_info().rss])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    history = folder / "history"
    build(
        history / "cases.parquet",
        history / "checkins.parquet",
        folder / "venues.parquet",
        folder / "full",
        on_step=on_step,
    )
    ends = [m[1] for m in marks[1:]] + [time.perf_counter()]
    stop.set()
    sampler.join()
    return [
        {"step": name, "seconds": end - started, "peak_gb": peak / GB}
        for (name, started, peak), end in zip(marks, ends, strict=True)
    ]


def _history(folder: Path, days: list[str]) -> tuple[Path, Path]:
    """One cases and one check-ins file of the history days, for ``geo build``."""
    out = folder / "history"
    out.mkdir(exist_ok=True)
    for kind in ("cases", "checkins"):
        files = [folder / "days" / day / f"{kind}.parquet" for day in days]
        national_inputs.concatenate(files, out / f"{kind}.parquet")
    return out / "cases.parquet", out / "checkins.parquet"


def run(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    """Every step in turn, a table row each; a step stopped or failed skips the rest of its path."""
    limits = (args.max_rss_gb, args.timeout_min * 60)
    generate = [sys.executable, "-m", "benchmarks.national", "--child-inputs", str(folder)]
    generate += ["--days", str(args.days), "--checkins-per-day", str(args.checkins_per_day)]
    inputs = measure(generate, *limits)
    if inputs.status != "ok":
        yield _row("writing the inputs, all days", 0, inputs)
        return
    summary = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
    days = list(summary["days"])
    counts = [summary["days"][d]["checkins"] + summary["days"][d]["cases"] for d in days]
    yield _row(f"writing the inputs, {_days(len(days))}", sum(counts), inputs)
    if args.skip_full_build:
        yield from _new_day(args, folder, days, counts)
        return
    _history(folder, days[:-1])
    by_step = [sys.executable, "-m", "benchmarks.national", "--child-build", str(folder)]
    full = measure(by_step, *limits)
    yield _row(f"full build, {_days(args.days)}", sum(counts[:-1]), full)
    if full.status == "ok":
        steps = json.loads((folder / "steps.json").read_text(encoding="utf-8"))
        yield from (
            f"| · {s['step']} | | {s['seconds']:.1f} | | {s['peak_gb']:.2f} | | |" for s in steps
        )
        rest = full.seconds - sum(s["seconds"] for s in steps)
        yield f"| · start-up (imports) and exit | | {rest:.1f} | | | | |"
    history, venues = folder / "history", folder / "venues.parquet"
    for workers in args.dask_workers:
        dask = measure(
            _geo("build", "--cases", history / "cases.parquet", "--checkins",
                 history / "checkins.parquet", "--venues", venues, "--out", folder / "dask",
                 "--engine", "dask", "--workers", workers),
            *limits,
        )  # fmt: skip
        shutil.rmtree(folder / "dask", ignore_errors=True)
        shutil.rmtree(folder / ".dask.versions", ignore_errors=True)  # the next one starts afresh
        label = f"full build, Dask engine, {workers} worker{'s' * (workers != 1)}"
        yield _row(label, sum(counts[:-1]), dask)
    if not args.skip_new_day:  # independent of the full build: measured even when it stopped
        yield from _new_day(args, folder, days, counts)


def _new_day(
    args: argparse.Namespace, folder: Path, days: list[str], counts: list[int]
) -> Iterator[str]:
    """The store set-up (``geo load`` of each history day) and the new day's load and rebuild."""
    limits = (args.max_rss_gb, args.timeout_min * 60)
    venues = folder / "venues.parquet"
    store = folder / "store"
    setup = []
    for day in days[:-1]:
        files = folder / "days" / day
        setup.append(
            measure(
                _geo("load", "--inputs", store, "--venues", venues,
                     "--checkins", files / "checkins.parquet", "--cases", files / "cases.parquet"),
                *limits,
            )
        )  # fmt: skip
        if setup[-1].status != "ok":
            break
    total = Run(
        sum(r.seconds for r in setup),
        max(r.peak_gb for r in setup),
        next((r.status for r in setup if r.status != "ok"), "ok"),
        setup[0].load_before,
        setup[-1].load_after,
    )
    yield _row(f"store set-up: geo load, {_days(args.days)} one by one", sum(counts[:-1]), total)
    if total.status != "ok":
        return
    history = measure(_geo("load", "--inputs", store, "--rebuild", folder / "store-build"), *limits)
    yield _row(f"history: geo load --rebuild, {_days(args.days)}", sum(counts[:-1]), history)
    if history.status != "ok":
        return
    new = folder / "days" / days[-1]
    added = measure(
        _geo("load", "--inputs", store, "--checkins", new / "checkins.parquet",
             "--cases", new / "cases.parquet", "--rebuild", folder / "store-build"),
        *limits,
    )  # fmt: skip
    yield _row(f"new day: geo load --rebuild on {_days(args.days)} (copies)", counts[-1], added)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__)
    parser.add_argument("--days", type=int, default=14, help="days of history (default 14)")
    parser.add_argument("--checkins-per-day", type=int, default=8_000_000)
    parser.add_argument(
        "--dask-workers",
        type=lambda text: [int(n) for n in text.split(",") if n],
        default=[1, 2],
        help="full builds with the Dask engine, one per number of workers (default 1,2; '' none)",
    )
    parser.add_argument("--max-rss-gb", type=float, default=12.0, help="stop a run past this")
    parser.add_argument("--timeout-min", type=float, default=15.0, help="stop a run past this")
    skip = parser.add_mutually_exclusive_group()
    skip.add_argument("--skip-new-day", action="store_true", help="only the full build")
    skip.add_argument("--skip-full-build", action="store_true", help="only the store and new day")
    parser.add_argument("--keep", type=Path, help="write into this folder and keep it")
    parser.add_argument("--child-inputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.days < 1:
        msg = "--days must be at least 1: the days of history the new day comes on top of."
        raise SystemExit(msg)
    if args.child_build:
        steps = build_by_step(args.child_build)
        (args.child_build / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
        return 0
    if args.child_inputs:
        national_inputs.write_inputs(args.child_inputs, args.days, args.checkins_per_day)
        return 0
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}")
    print(
        f"{_days(args.days)} of history + 1 new day ending {national_inputs.NEW_DAY}, "
        f"{args.checkins_per_day:,} check-ins a day, real cases; Dask workers "
        f"{', '.join(map(str, args.dask_workers)) or 'none'}\n"
    )
    print("| step | input rows | s | rows/s | peak GiB | load avg | status |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pz-national-"))
    try:
        for line in run(args, folder):
            print(line, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nmachine after: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
