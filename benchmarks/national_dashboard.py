"""``python -m benchmarks.national_dashboard``: the dashboard benchmark on a national build (issue 10).

One command for the issue's last figure (first map ≤ 3 s, any drill-down or date change ≤ 1 s
server-side, on a 14-day national build):

1. writes synthetic national inputs (:mod:`benchmarks.national_inputs`: the same venues and real
   cases as ``make bench-national``) for ``--days`` days, into ``--inputs`` (default
   ``<out>-inputs``), unless that folder already holds the same days and volume;
2. joins the days into one cases and one check-ins file and runs ``python -m geo build`` into
   ``--out`` (default ``build/national14``), its address space capped at ``--max-gb`` (8; the
   machine is shared), unless a build of those inputs is already there;
3. runs :mod:`benchmarks.dashboard` against it (``--no-browser`` unless ``--browser``), uncapped:
   Chromium reserves far more address space than it uses.

The check-in volume defaults to the issue's 8 M a day (112 M check-ins in the build: about 2.5 GiB
and 2.5 minutes). The tables the dashboard reads (cells, regions, their daily rows) have nearly the
same shape at 1 M a day (``--checkins-per-day 1000000``, a quicker build): every venue lands in its
cell whether it has 1 or 80 check-ins a day (README, "The dashboard on a national build").
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks import national_inputs

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "build" / "national14"
DAYS = 14
CHECKINS_PER_DAY = 8_000_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.national_dashboard", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--days", type=int, default=DAYS, help=f"days in the build ({DAYS})")
    parser.add_argument("--checkins-per-day", type=int, default=CHECKINS_PER_DAY)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the build folder")
    parser.add_argument("--inputs", type=Path, help="the inputs folder (default <out>-inputs)")
    parser.add_argument("--browser", action="store_true", help="also the Chromium figures")
    parser.add_argument("--runs", type=int, default=3, help="rounds of the Chromium figures")
    parser.add_argument("--max-gb", type=float, default=8.0, help="address space of the build")
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The arguments, checked: at least one day, one check-in a day and one browser round."""
    args = _parser().parse_args(argv)
    for name, value in (("--days", args.days), ("--checkins-per-day", args.checkins_per_day)):
        if value < 1:
            msg = f"{name} must be at least 1 (got {value})."
            raise SystemExit(msg)
    if args.runs < 1:
        msg = f"--runs must be at least 1 (got {args.runs})."
        raise SystemExit(msg)
    if args.max_gb <= 0:
        msg = f"--max-gb must be more than 0 (got {args.max_gb:g})."
        raise SystemExit(msg)
    args.inputs = args.inputs or args.out.with_name(args.out.name + "-inputs")
    return args


def wanted(args: argparse.Namespace) -> dict[str, dict[str, int]]:
    """The days and check-ins per day the inputs folder must hold, as ``inputs.json`` says them."""
    days = national_inputs.dates(args.days - 1)
    return {d.isoformat(): {"checkins": args.checkins_per_day} for d in days}


def inputs_match(folder: Path, days: dict[str, dict[str, int]]) -> bool:
    """Whether ``folder`` already holds inputs of exactly those days and check-ins a day."""
    path = folder / "inputs.json"
    if not path.is_file():
        return False
    held = json.loads(path.read_text(encoding="utf-8"))
    return (
        held.get("seed") == national_inputs.SEED
        and {day: {"checkins": row["checkins"]} for day, row in held["days"].items()} == days
    )


def commands(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The ``geo build`` and ``benchmarks.dashboard`` commands, for the joined inputs."""
    joined = args.inputs / "all"
    build = [sys.executable, "-m", "geo", "build", "--cases", str(joined / "cases.parquet")]
    build += ["--checkins", str(joined / "checkins.parquet")]
    build += ["--venues", str(args.inputs / "venues.parquet"), "--out", str(args.out)]
    bench = [sys.executable, "-m", "benchmarks.dashboard", "--build", str(args.out)]
    bench += ["--browser-only", "--runs", str(args.runs)] if args.browser else ["--no-browser"]
    return build, bench


def cap(max_gb: float) -> Callable[[], None]:
    """A ``preexec_fn`` limiting the child's address space to ``max_gb`` GiB."""
    limit = int(max_gb * 1024**3)

    def limit_child() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return limit_child


def _join(folder: Path, days: list[str]) -> None:
    out = folder / "all"
    out.mkdir(exist_ok=True)
    for kind in ("cases", "checkins"):
        files = [folder / "days" / day / f"{kind}.parquet" for day in days]
        national_inputs.concatenate(files, out / f"{kind}.parquet")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    days = wanted(args)
    built = args.out / "manifest.json"
    stamp = args.out.with_name(args.out.name + ".inputs.json")
    if not inputs_match(args.inputs, days):
        print(f"writing {len(days)} days of inputs into {args.inputs}", flush=True)
        national_inputs.write_inputs(args.inputs, args.days - 1, args.checkins_per_day)
    if not (built.is_file() and stamp.is_file() and json.loads(stamp.read_text()) == days):
        _join(args.inputs, list(days))
        build, _ = commands(args)
        print("building:", " ".join(build), flush=True)
        subprocess.run(build, check=True, cwd=REPO, preexec_fn=cap(args.max_gb))
        stamp.write_text(json.dumps(days), encoding="utf-8")
    _, bench = commands(args)
    return subprocess.run(bench, check=False, cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main())
