"""``python -m benchmarks.load``: N people using the dashboard at once, without N browsers.

Each simulated person is a Streamlit session driven over the websocket protocol
(``benchmarks/st_client.py``) through one scripted visit: open the map, choose a province, then
a kab/kota, move the date, open Trends; each step is a real rerun with the widgets' states, as a
browser sends it, and is timed from the message sent to the run's ``script_finished``. A run that
draws an exception, times out or cannot find its widget is an error. Every series (5, 10, 20 and
40 sessions by default) gets a fresh server on 127.0.0.1, warmed by one unmeasured visit; while
it runs, the server's resident memory and CPU time are read from ``/proc``, and at its end the
memory of the caches all sessions share from Streamlit's metrics (``benchmarks/st_server.py``).

Needs a build (``make sample``; ``PANTAUZONA_BUILD`` or ``--build`` to use another). Prints
Markdown; ``--readme`` also writes it into README.md between the ``bench-load`` markers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.st_client import Run, Session, find_widget, stream_url
from benchmarks.st_server import REPO, cache_memory_mb, process_cpu_s, process_rss_mb, serve
from dashboard.filters import DAY_KEY, region_key

BUILD = Path(os.environ.get("PANTAUZONA_BUILD", REPO / "build" / "sample"))
README = REPO / "README.md"
MARKERS = ("<!-- bench-load -->", "<!-- /bench-load -->")
SESSIONS = (5, 10, 20, 40)
INTERACTIONS = ("open map", "province", "kab/kota", "date", "trends")
PROVINCE_KEY, REGENCY_KEY = region_key(0), region_key(1)
TRENDS = "trends"  # a page of dashboard.view_state.PAGES; app.py makes its key its URL path
TARGET_SESSIONS, TARGET_P95_S = 20, 2.0
#: Seconds a person pauses between steps (±50 %): reading the map before the next click.
THINK_S = 5.0


@dataclass(frozen=True)
class Step:
    """One timed interaction: its name, seconds, and the error that spoiled it (if any)."""

    interaction: str
    seconds: float
    error: str | None = None


@dataclass
class Series:
    """What one series measured."""

    sessions: int
    steps: list[Step] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float | None = None
    rss_peak_mb: float | None = None
    client_cpu_s: float = 0.0
    stopped_early: bool = False
    caches_mb: dict[str, float] = field(default_factory=dict)


async def _sample_rss(pid: int, peak: list[float], every_s: float = 0.25) -> None:
    while True:
        peak[0] = max(peak[0], process_rss_mb(pid))
        await asyncio.sleep(every_s)


# --- One person's visit --------------------------------------------------------------------------


async def visit(
    url: str,
    rng: random.Random,
    *,
    think_s: float,
    timeout_s: float,
    steps: list[Step] | None = None,
) -> list[Step]:
    """One scripted visit in a fresh session, its steps appended to ``steps`` as they end.

    Stops at the first error (the session's state is then unknown).
    """
    steps = [] if steps is None else steps
    first = len(steps)
    async with Session(url, timeout_s=timeout_s) as session:
        actions = {
            "open map": lambda: session.open(),
            "province": lambda: session.choose(PROVINCE_KEY, _pick(session, PROVINCE_KEY, rng)),
            "kab/kota": lambda: session.choose(REGENCY_KEY, _pick(session, REGENCY_KEY, rng)),
            "date": lambda: session.choose(DAY_KEY, _pick(session, DAY_KEY, rng)),
            "trends": lambda: session.switch_page(TRENDS),
        }
        for name in INTERACTIONS:
            if len(steps) > first:
                await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
            step = await _timed(name, actions[name])
            steps.append(step)
            if step.error is not None:
                break
    return steps


def _pick(session: Session, key: str, rng: random.Random) -> str:
    """Another option than the current one (for a region, never "all")."""
    widget = find_widget(session.widgets, key)
    first = 0 if key == DAY_KEY else 1
    return rng.choice([o for o in widget.options[first:] if (o,) != widget.value])


async def _timed(name: str, action: object) -> Step:
    started = time.perf_counter()
    try:
        run: Run = await action()  # type: ignore[operator]
    except Exception as exc:  # a time-out, a closed websocket, a missing widget: counted
        return Step(name, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
    error = "; ".join(run.exceptions) or None
    if run.status != "FINISHED_SUCCESSFULLY":
        error = error or run.status
    return Step(name, run.seconds, error)


async def _person(url: str, seed: int, rounds: int, steps: list[Step], **timing: float) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, timing["think_s"]))  # people do not all arrive at once
    for _ in range(rounds):
        await visit(url, rng, steps=steps, **timing)


async def run_series(
    url: str,
    sessions: int,
    *,
    rounds: int,
    think_s: float,
    timeout_s: float = 120.0,
    limit_s: float = 900.0,
    pid: int | None = None,
    seed: int = 14,
) -> Series:
    """``sessions`` people at once, ``rounds`` visits each; stops by itself after ``limit_s``."""
    stream_url(url)  # loopback only, before anything is sent
    series = Series(sessions)
    peak = [process_rss_mb(pid) if pid else 0.0]
    sampler = asyncio.create_task(_sample_rss(pid, peak)) if pid else None
    cpu0 = process_cpu_s(pid) if pid else 0.0
    client0, started = time.process_time(), time.perf_counter()
    timing = {"think_s": think_s, "timeout_s": timeout_s}
    people = [
        asyncio.create_task(_person(url, seed * 1000 + i, rounds, series.steps, **timing))
        for i in range(sessions)
    ]
    _, pending = await asyncio.wait(people, timeout=limit_s)
    for task in pending:
        task.cancel()
    series.stopped_early = bool(pending)
    series.wall_s = time.perf_counter() - started
    series.client_cpu_s = time.process_time() - client0
    if pid:
        series.server_cpu_s = process_cpu_s(pid) - cpu0
        sampler.cancel()
        series.rss_peak_mb = peak[0]
    series.caches_mb = cache_memory_mb(url)
    return series


def measure(
    build: Path,
    sessions: list[int],
    *,
    url: str | None = None,
    pid: int | None = None,
    server_options: tuple[str, ...] = (),
    **options: float,
) -> list[Series]:
    """Every series, each on a fresh warmed server (or all on the server at ``url``)."""
    results = []
    for n in sessions:
        if url is not None:
            results.append(asyncio.run(run_series(url, n, pid=pid, **options)))
            continue
        with serve(build, server_options) as (own_url, own_pid):
            warm = asyncio.run(visit(own_url, random.Random(0), think_s=0, timeout_s=300))
            print(f"server up; warm-up visit {sum(s.seconds for s in warm):.1f} s", file=sys.stderr)
            results.append(asyncio.run(run_series(own_url, n, pid=own_pid, **options)))
        print(
            f"{n} sessions: {len(results[-1].steps)} reruns in {results[-1].wall_s:.0f} s",
            file=sys.stderr,
        )
    return results


# --- Report --------------------------------------------------------------------------------------


def _stats(seconds: list[float]) -> str:
    if not seconds:
        return "—"
    p50, p95 = np.percentile(seconds, [50, 95])
    return f"{p50:.2f} / {p95:.2f} / {max(seconds):.2f}"


def markdown(results: list[Series], *, rounds: int, think_s: float) -> str:
    """The two tables: each series overall, and p50 / p95 / max per interaction."""
    lines = [
        f"{rounds} visit(s) per session, think time {think_s:g} s (±50 %) between steps.",
        "",
        "| sessions | reruns | errors | p50 (s) | p95 (s) | max (s) | server CPU per rerun (s) "
        "| server CPU busy | server RSS peak (MiB) | client CPU (s) | wall (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in results:
        seconds = [step.seconds for step in s.steps if step.error is None]
        errors = sum(step.error is not None for step in s.steps)
        p50, p95 = np.percentile(seconds, [50, 95]) if seconds else (float("nan"),) * 2
        cpu = "—" if s.server_cpu_s is None else f"{s.server_cpu_s / max(len(s.steps), 1):.2f}"
        busy = "—" if s.server_cpu_s is None else f"{100 * s.server_cpu_s / s.wall_s:.0f} %"
        rss = "—" if s.rss_peak_mb is None else f"{s.rss_peak_mb:,.0f}"
        wall = f"{s.wall_s:.0f}" + (" (time limit)" if s.stopped_early else "")
        lines.append(
            f"| {s.sessions} | {len(s.steps)} | {errors} | {p50:.2f} | {p95:.2f} | "
            f"{max(seconds, default=float('nan')):.2f} | {cpu} | {busy} | {rss} | "
            f"{s.client_cpu_s:.1f} | {wall} |"
        )
    lines += ["", "| sessions | " + " | ".join(INTERACTIONS) + " |"]
    lines.append("| ---: |" + " ---: |" * len(INTERACTIONS))
    for s in results:
        cells = [
            _stats([x.seconds for x in s.steps if x.interaction == i and not x.error])
            for i in INTERACTIONS
        ]
        lines.append(f"| {s.sessions} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        "Per interaction: p50 / p95 / max seconds from the message sent to `script_finished`."
    )
    lines += ["", _target(results), "", *_cache_table(results)]
    return "\n".join(lines).rstrip() + "\n"


def _target(results: list[Series]) -> str:
    """Whether the issue's target was met: p95 of every interaction within 2 s at 20 sessions."""
    series = next((s for s in results if s.sessions == TARGET_SESSIONS), None)
    if series is None:
        return f"Target ({TARGET_SESSIONS} sessions): not measured."
    worst = max(
        (
            (np.percentile(t, 95), i)
            for i in INTERACTIONS
            if (t := [x.seconds for x in series.steps if x.interaction == i and not x.error])
        ),
        default=None,
    )
    if worst is None:
        return f"Target ({TARGET_SESSIONS} sessions): **not met**, no interaction finished."
    met = "met" if worst[0] <= TARGET_P95_S else "**not met**"
    return (
        f"Target ({TARGET_SESSIONS} sessions, p95 ≤ {TARGET_P95_S:g} s per interaction): {met}; "
        f"slowest p95 {worst[0]:.2f} s ({worst[1]})."
    )


def _cache_table(results: list[Series]) -> list[str]:
    """MiB each shared cache holds at the end of each series."""
    names = sorted({name for s in results for name in s.caches_mb})
    if not names:
        return []
    short = [name.rsplit(".", 1)[-1] for name in names]
    lines = ["| sessions | " + " | ".join(f"`{n}` (MiB)" for n in short) + " |"]
    lines.append("| ---: |" + " ---: |" * len(names))
    for s in results:
        cells = [f"{s.caches_mb[n]:.1f}" if n in s.caches_mb else "—" for n in names]
        lines.append(f"| {s.sessions} | " + " | ".join(cells) + " |")
    return [*lines, "", "Memory of the caches every session shares, at the end of each series."]


def errors_text(results: list[Series], limit: int = 10) -> str:
    """The first distinct errors, one line each (empty when there were none)."""
    seen = dict.fromkeys(f"{s.interaction}: {s.error}" for r in results for s in r.steps if s.error)
    return "\n".join(list(seen)[:limit])


def write_readme(table: str, readme: Path = README) -> None:
    """Replace what stands between the ``bench-load`` markers of ``readme`` with ``table``."""
    text = readme.read_text()
    start, end = MARKERS
    if start not in text or end not in text:
        msg = f"{readme} has no {start} … {end} block to write the table into."
        raise ValueError(msg)
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{table}\n{end}{tail}")


def _sessions(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--build", type=Path, default=BUILD, help="the build to serve")
    parser.add_argument("--url", help="use the running server at http://127.0.0.1:PORT instead")
    parser.add_argument("--pid", type=int, help="with --url: the server's pid, for CPU and RSS")
    parser.add_argument(
        "--sessions", type=_sessions, default=list(SESSIONS), help="e.g. 5,10,20,40"
    )
    parser.add_argument("--rounds", type=int, default=2, help="visits per session")
    parser.add_argument(
        "--think", type=float, default=THINK_S, help="seconds between steps (±50 %%)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="longest wait for one rerun")
    parser.add_argument("--limit", type=float, default=900.0, help="longest time for one series")
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit config option for the server started here (repeatable)",
    )
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)
    if args.url is None and not (args.build / "manifest.json").is_file():
        sys.exit(f"No build at {args.build}: run `make sample` first (or pass --build or --url).")
    if args.url is not None:
        try:
            stream_url(args.url)
        except ValueError as exc:
            sys.exit(str(exc))
    options = {
        "rounds": args.rounds,
        "think_s": args.think,
        "timeout_s": args.timeout,
        "limit_s": args.limit,
    }
    results = measure(
        args.build.resolve(),
        args.sessions,
        url=args.url,
        pid=args.pid,
        server_options=tuple(args.server_option),
        **options,
    )
    table = markdown(results, rounds=args.rounds, think_s=args.think)
    print(table)
    if errors := errors_text(results):
        print("\nErrors:\n" + errors)
    if args.readme:
        write_readme(table)


if __name__ == "__main__":
    main()
