"""The load benchmark: its report, its README block, and one short run against a real server."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import pytest

from benchmarks import load, st_server
from benchmarks.load import INTERACTIONS, Series, Step


def _series() -> Series:
    # open map 1, 2, 3, 4 s and one failed step: p50 2.5 s; p95 = 3 + 0.85 * (4 - 3) = 3.85 s
    steps = [Step("open map", float(s)) for s in (1, 2, 3, 4)]
    steps.append(Step("province", 9.0, "KeyError: no widget"))
    return Series(5, steps, wall_s=10.0, server_cpu_s=2.5, rss_peak_mb=1234.4, client_cpu_s=0.5)


def test_markdown_reports_percentiles_errors_cpu_and_memory() -> None:
    table = load.markdown([_series()], rounds=1, think_s=0.5)
    lines = table.splitlines()
    assert lines[0] == "1 visit(s) per session, think time 0.5 s (±50 %) between steps."
    # 5 reruns, 1 error; failed steps are left out of the times; 2.5 s CPU / 5 reruns
    assert "| 5 | 5 | 1 | 2.50 | 3.85 | 4.00 | 0.50 | 25 % | 1,234 | 0.5 | 10 |" in lines
    assert "| 5 | 2.50 / 3.85 / 4.00 | — | — | — | — |" in lines
    assert "| sessions | " + " | ".join(INTERACTIONS) + " |" in lines


def test_markdown_says_when_a_series_hit_its_time_limit_or_had_no_server_figures() -> None:
    series = Series(40, [Step("trends", 1.0)], wall_s=900.0, stopped_early=True)
    row = load.markdown([series], rounds=2, think_s=1).splitlines()[4]
    assert row == "| 40 | 1 | 0 | 1.00 | 1.00 | 1.00 | — | — | — | 0.0 | 900 (time limit) |"


def test_markdown_lists_the_shared_caches_by_function() -> None:
    series = _series()
    series.caches_mb = {"dashboard.data._map_layers": 4.04, "resource dashboard.data._open": 0.0}
    lines = load.markdown([series], rounds=1, think_s=0.5).splitlines()
    assert "| sessions | `_map_layers` (MiB) | `_open` (MiB) |" in lines
    assert "| 5 | 4.0 | 0.0 |" in lines


def test_the_target_is_judged_on_the_slowest_interaction_at_20_sessions() -> None:
    steps = [Step(name, 1.0) for name in INTERACTIONS] + [Step("date", 2.5)]
    lines = load.markdown([Series(20, steps, wall_s=1.0)], rounds=1, think_s=1).splitlines()
    # date: 1.0 and 2.5 s, p95 = 1.0 + 0.95 * 1.5 = 2.425 s > 2 s
    assert (
        "Target (20 sessions, p95 ≤ 2 s per interaction): **not met**; slowest p95 2.42 s (date)."
        in lines
    )
    lines = load.markdown([Series(20, steps[:-1], wall_s=1.0)], rounds=1, think_s=1).splitlines()
    assert (
        "Target (20 sessions, p95 ≤ 2 s per interaction): met; slowest p95 1.00 s (trends)."
        in lines
    )
    failed = [Step("open map", 120.0, "TimeoutError: ")]
    lines = load.markdown([Series(20, failed, wall_s=1.0)], rounds=1, think_s=1).splitlines()
    assert "Target (20 sessions): **not met**, no interaction finished." in lines
    assert "Target (20 sessions): not measured." in load.markdown([_series()], rounds=1, think_s=1)


def test_errors_are_listed_once_each() -> None:
    series = _series()
    series.steps.append(Step("province", 8.0, "KeyError: no widget"))
    assert load.errors_text([series]) == "province: KeyError: no widget"


def test_readme_block_is_replaced_between_its_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n<!-- bench-load -->\nold\n<!-- /bench-load -->\nafter\n")
    load.write_readme("| new |", readme)
    assert (
        readme.read_text() == "# Title\n<!-- bench-load -->\n| new |\n<!-- /bench-load -->\nafter\n"
    )


def test_readme_without_markers_is_refused(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n")
    with pytest.raises(
        ValueError, match=r"has no <!-- bench-load --> … <!-- /bench-load --> block"
    ):
        load.write_readme("| new |", readme)


def test_a_server_elsewhere_is_refused_with_a_sentence() -> None:
    with pytest.raises(SystemExit, match=r"on this machine only .* not 'http://10\.1\.2\.3:8501'"):
        load.main(["--url", "http://10.1.2.3:8501"])


def test_sessions_option_is_a_comma_list() -> None:
    assert load._sessions("5,10, 20,40") == [5, 10, 20, 40]


def test_two_sessions_visit_the_tiny_build_without_error(tiny_build_dir: Path) -> None:
    data = {"PANTAUZONA_DATA": str(tiny_build_dir.parent / "data")}
    # The client runs in a thread of its own: after the browser tests, pytest-playwright's event
    # loop is running in this one, and asyncio.run refuses to start inside it.
    with (
        st_server.serve(tiny_build_dir, env=data) as (url, pid),
        concurrent.futures.ThreadPoolExecutor(1) as pool,
    ):
        run = load.run_series(url, 2, rounds=1, think_s=0.05, pid=pid, limit_s=60)
        series = pool.submit(asyncio.run, run).result()
    assert [s.error for s in series.steps] == [None] * 10
    assert sorted(s.interaction for s in series.steps) == sorted(INTERACTIONS * 2)
    assert not series.stopped_early
    assert series.server_cpu_s > 0
    assert series.rss_peak_mb > 50
    assert series.caches_mb["dashboard.data._map_layers"] > 0  # shared by both sessions
