"""``python -m benchmarks``: the whole build against the naive path, in the same run.

Each measurement runs in a fresh process that reports its wall time and peak resident memory.
Figures are printed as a Markdown table with the ratio naive/ours at each size where both ran.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (100_000, 1_000_000, 10_000_000)
NAIVE_SIZES = (100_000, 1_000_000, 10_000_000)
NAIVE_TIMEOUT_S = 3600


def _child(kind: str, n: int, folder: str) -> None:
    """One measurement in a fresh process: inputs are written by another process beforehand, so
    the peak memory reported is the build's (or the naive path's) alone."""
    import resource

    from benchmarks import naive, synth

    inputs = Path(folder) / "in"
    paths = {name: inputs / f"{name}.csv" for name in ("cases", "checkins", "venues")}
    if kind == "inputs":
        synth.write_inputs(n, inputs)
        print(json.dumps({"kind": kind, "n": n}))
        return
    started = time.perf_counter()
    if kind == "ours":
        from geo.build import build

        build(paths["cases"], paths["checkins"], paths["venues"], Path(folder) / "out")
    else:
        naive.run(paths["cases"], paths["checkins"], paths["venues"], Path(folder) / "naive")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "n": n, "seconds": seconds, "peak_mb": peak_mb}))


def measure(kind: str, n: int, folder: str, timeout: float | None = None) -> dict | None:
    cmd = [sys.executable, "-m", "benchmarks", "--child", kind, str(n), folder]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "N", "FOLDER"))
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=list(NAIVE_SIZES))
    args = parser.parse_args()
    if args.child:
        kind, n, folder = args.child
        _child(kind, int(n), folder)
        return
    print(
        "| check-ins | cases | ours (s) | ours rows/s | ours peak MB | naive (s) | naive peak MB | naive / ours |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="pz-bench-") as folder:
            measure("inputs", n, folder)
            ours = measure("ours", n, folder)
            naive = measure("naive", n, folder, NAIVE_TIMEOUT_S) if n in args.naive_sizes else None
        rows = n + n // 10
        naive_s = f"{naive['seconds']:.1f}" if naive else "not run"
        naive_mb = f"{naive['peak_mb']:.0f}" if naive else "—"
        ratio = f"{naive['seconds'] / ours['seconds']:.1f}x" if naive else "—"
        print(
            f"| {n:,} | {n // 10:,} | {ours['seconds']:.1f} | {rows / ours['seconds']:,.0f} | "
            f"{ours['peak_mb']:.0f} | {naive_s} | {naive_mb} | {ratio} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
