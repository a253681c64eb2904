"""The national dashboard benchmark's arguments and what it reuses (no timing, no build)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import dashboard, national_inputs
from benchmarks import national_dashboard as nd


def test_defaults_are_a_14_day_build_at_1_m_check_ins_a_day():
    args = nd.parse([])
    assert (args.days, args.checkins_per_day, args.browser, args.runs) == (14, 8_000_000, False, 3)
    assert args.max_gb == 8.0
    assert args.out == nd.REPO / "build" / "national14"
    assert args.inputs == nd.REPO / "build" / "national14-inputs"


def test_the_inputs_folder_follows_the_build_folder_unless_named(tmp_path):
    assert nd.parse(["--out", str(tmp_path / "b")]).inputs == tmp_path / "b-inputs"
    named = nd.parse(["--out", str(tmp_path / "b"), "--inputs", str(tmp_path / "i")])
    assert named.inputs == tmp_path / "i"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--days", "0"], r"^--days must be at least 1 \(got 0\)\.$"),
        (["--checkins-per-day", "-5"], r"^--checkins-per-day must be at least 1 \(got -5\)\.$"),
        (["--runs", "0"], r"^--runs must be at least 1 \(got 0\)\.$"),
        (["--max-gb", "0"], r"^--max-gb must be more than 0 \(got 0\)\.$"),
    ],
)
def test_counts_below_one_are_refused_with_a_sentence(argv, message):
    with pytest.raises(SystemExit, match=message):
        nd.parse(argv)


def test_the_days_wanted_end_on_the_new_day_and_count_the_build_days():
    days = nd.wanted(nd.parse(["--days", "3", "--checkins-per-day", "10"]))
    assert days == {
        "2021-07-13": {"checkins": 10},
        "2021-07-14": {"checkins": 10},
        "2021-07-15": {"checkins": 10},
    }
    assert list(days)[-1] == national_inputs.NEW_DAY.isoformat()


def _summary(folder: Path, checkins: int, seed: int = national_inputs.SEED) -> None:
    days = {"2021-07-15": {"checkins": checkins, "cases": 7}}
    text = json.dumps({"seed": seed, "venues": 3, "days": days})
    (folder / "inputs.json").write_text(text, encoding="utf-8")


def test_inputs_are_reused_only_for_the_same_days_volume_and_seed(tmp_path):
    days = nd.wanted(nd.parse(["--days", "1", "--checkins-per-day", "10"]))
    assert not nd.inputs_match(tmp_path, days)  # nothing written yet
    _summary(tmp_path, 10)
    assert nd.inputs_match(tmp_path, days)
    _summary(tmp_path, 11)
    assert not nd.inputs_match(tmp_path, days)
    _summary(tmp_path, 10, seed=1)
    assert not nd.inputs_match(tmp_path, days)
    assert not nd.inputs_match(tmp_path, nd.wanted(nd.parse(["--days", "2"])))


def test_the_commands_build_the_joined_inputs_and_bench_that_build(tmp_path):
    args = nd.parse(["--out", str(tmp_path / "b")])
    build, bench = nd.commands(args)
    joined = tmp_path / "b-inputs" / "all"
    assert build == [
        sys.executable, "-m", "geo", "build",
        "--cases", str(joined / "cases.parquet"),
        "--checkins", str(joined / "checkins.parquet"),
        "--venues", str(tmp_path / "b-inputs" / "venues.parquet"),
        "--out", str(tmp_path / "b"),
    ]  # fmt: skip
    assert bench[1:] == [
        "-m",
        "benchmarks.dashboard",
        "--build",
        str(tmp_path / "b"),
        "--no-browser",
    ]
    _, browser = nd.commands(nd.parse(["--out", str(tmp_path / "b"), "--browser", "--runs", "2"]))
    assert browser[-3:] == ["--browser-only", "--runs", "2"]


def test_the_dashboard_benchmark_opens_no_date_before_the_build():
    first, last = dt.date(2021, 7, 2), dt.date(2021, 7, 15)
    assert dashboard.view_days(first, last) == [last, dt.date(2021, 7, 8), first]
    long = dt.date(2021, 5, 17)
    assert dashboard.view_days(long, last) == [last, dt.date(2021, 7, 8), dt.date(2021, 6, 17)]


def test_the_build_runs_with_its_address_space_capped():
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_AS)[0])"
    done = subprocess.run(
        [sys.executable, "-c", code], preexec_fn=nd.cap(2.5), capture_output=True, text=True
    )
    assert int(done.stdout) == int(2.5 * 1024**3)
