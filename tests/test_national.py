"""The national-volume benchmark's runner: limits stop a run, failures are named, no Dask yet."""

from __future__ import annotations

import sys

from benchmarks import national

ALLOCATE = "import time; x = bytearray(400 * 1024**2); time.sleep(30)"


def test_a_run_past_the_memory_limit_is_stopped():
    run = national.measure([sys.executable, "-c", ALLOCATE], max_rss_gb=0.2, timeout_s=60)
    assert run.status.startswith("stopped at ")
    assert run.status.endswith(" GiB")
    assert run.peak_gb > 0.2
    assert run.seconds < 30


def test_a_run_past_the_time_limit_is_stopped():
    run = national.measure(
        [sys.executable, "-c", "import time; time.sleep(30)"], max_rss_gb=4, timeout_s=0.5
    )
    assert run.status == "stopped after 0 min"
    assert run.seconds < 30


def test_a_failing_run_is_named_by_its_last_error_line():
    code = "import sys; sys.exit('The cases file x.csv does not exist.')"
    run = national.measure([sys.executable, "-c", code], max_rss_gb=4, timeout_s=60)
    assert run.status == "failed: The cases file x.csv does not exist."


def test_a_finished_run_is_ok_with_its_peak_memory():
    code = "import time; x = bytearray(200 * 1024**2); time.sleep(1)"
    run = national.measure([sys.executable, "-c", code], max_rss_gb=4, timeout_s=60)
    assert run.status == "ok"
    assert 0.19 < run.peak_gb < 1


def test_dask_workers_are_a_list_of_counts():
    assert national._parser().parse_args(["--dask-workers", "1,2"]).dask_workers == [1, 2]
    assert national._parser().parse_args(["--dask-workers", ""]).dask_workers == []
    assert national._parser().parse_args([]).dask_workers == [1, 2]


def test_days_are_counted_in_words():
    assert [national._days(n) for n in (1, 14)] == ["1 day", "14 days"]


def test_the_table_row_names_rows_per_second_only_for_a_finished_run():
    done = national.Run(10.0, 1.234, "ok", 1.0, 2.0)
    stopped = national.Run(10.0, 12.1, "stopped at 12.1 GiB", 1.0, 2.0)
    assert national._row("full build, 1 day", 1_000_000, done) == (
        "| full build, 1 day | 1,000,000 | 10.0 | 100,000 | 1.23 | 1.0 → 2.0 | ok |"
    )
    assert national._row("x", 1_000_000, stopped).endswith(
        "| — | 12.10 | 1.0 → 2.0 | stopped at 12.1 GiB |"
    )
