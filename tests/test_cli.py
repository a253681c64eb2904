"""The command line: ``python -m geo sample|build|load``; user errors are one sentence and exit 2."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pipeline_fixtures import CASES_CSV, TODAY, write

from geo import __version__, sample
from geo.__main__ import main

pytest_plugins = ["pipeline_fixtures"]

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_bad_file_prints_one_sentence_and_exits_2(tmp_path):
    bad = write(tmp_path / "cases.csv", "id,date\nc1,2021-07-01\n")
    result = run_cli("build", "--cases", str(bad), "--out", str(tmp_path / "zones"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "error: cases.csv is missing the required columns 'case_id', 'reported_date' for cases."
    )
    assert [line for line in result.stderr.splitlines() if not line.startswith("[")] == [
        result.stderr.splitlines()[-1]
    ]
    assert result.stdout == ""
    assert not (tmp_path / "zones").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cases", "{missing}"], "error: The cases file {missing} does not exist."),
        (
            ["--cases", "{cases}", "--checkins", "{cases}"],
            "error: Check-ins need their venues: give both --checkins and --venues, or neither.",
        ),
        (
            ["--cases", "{cases}", "--preset", "psbb"],
            "error: Unknown preset 'psbb'; choose one of pantauzona, ppkm, ppkm_mikro, hghi.",
        ),
    ],
)
def test_user_errors_in_process(tmp_path, capsys, args, message):
    names = {
        "missing": str(tmp_path / "absent.csv"),
        "cases": str(write(tmp_path / "c.csv", CASES_CSV)),
    }
    argv = ["build", *(a.format(**names) for a in args), "--out", str(tmp_path / "zones")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == message.format(**names)
    assert "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path):
    from geo.errors import InputFileError

    with pytest.raises(InputFileError, match="does not exist"):
        main(
            [
                "--debug",
                "build",
                "--cases",
                str(tmp_path / "absent.csv"),
                "--out",
                str(tmp_path / "z"),
            ]
        )


def test_config_and_preset_together_are_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["build", "--cases", "c.csv", "--out", "z", "--config", "x.toml", "--preset", "ppkm"])
    assert info.value.code == 2
    assert "argument --preset: not allowed with argument --config" in capsys.readouterr().err


def test_an_invalid_config_file_is_one_sentence(tmp_path, capsys):
    config = write(tmp_path / "mine.toml", 'name = "mine"\ncolour = 1\n')
    cases = write(tmp_path / "c.csv", CASES_CSV)
    assert (
        main(
            ["build", "--cases", str(cases), "--out", str(tmp_path / "z"), "--config", str(config)]
        )
        == 2
    )
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: Invalid risk configuration {config}: risk: Field required; colour: unknown key."
    )


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"pantauzona {__version__}\n"


def test_build_prints_the_counts(inputs, all_grids, tmp_path, capsys, monkeypatch):
    # The command line takes today's date in WIB: pin it to the fixtures' today.
    monkeypatch.setattr("geo.validate._today", lambda: TODAY)
    out = tmp_path / "zones"
    code = main(
        [
            "build",
            "--cases",
            str(inputs["cases"]),
            "--checkins",
            str(inputs["checkins"]),
            "--venues",
            str(inputs["venues"]),
            "--out",
            str(out),
            "--preset",
            "ppkm",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    lines = captured.out.splitlines()
    assert lines[:3] == [
        "cases: read 21, accepted 10, quarantined 11",
        "checkins: read 8, accepted 7, quarantined 1",
        "venues: read 4, accepted 3, quarantined 1",
    ]
    assert lines[3].startswith(f"build {out}: preset ppkm, 2021-06-30 to 2021-07-08, ")
    assert lines[3].endswith("72,936 region-days")  # 8,104 regions x 9 days
    # Progress goes to stderr, one line per step when stderr is not a terminal.
    assert captured.err.splitlines()[0] == "[1/8] reading inputs"
    assert (out / "manifest.json").is_file()


def test_sample_writes_the_files(all_grids, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sample, "CASES_FROM", dt.date(2021, 7, 11))
    monkeypatch.setattr(sample, "CASES_TO", dt.date(2021, 7, 11))
    monkeypatch.setattr(sample, "CHECKINS_FROM", dt.date(2021, 7, 10))
    out = tmp_path / "sample"
    assert main(["sample", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "cases.csv",
        "checkins.parquet",
        "sample.json",
        "venues.csv",
    ]
    printed = capsys.readouterr().out
    assert printed.startswith("wrote ")
    assert "cases (+9 broken rows)" in printed
    assert printed.rstrip().endswith(f"3,957 venues to {out}")


def test_sample_needs_an_out_folder(capsys):
    with pytest.raises(SystemExit) as info:
        main(["sample"])
    assert info.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_load_adds_files_to_a_store_once_and_rebuilds(tmp_path, capsys):
    cases = write(
        tmp_path / "day.csv",
        """\
        case_id,reported_date,lat,lon
        d1,2021-07-20,-6.17505,106.82661
        d1,2021-07-20,-6.17505,106.82661
        """,
    )
    store, out = str(tmp_path / "inputs"), str(tmp_path / "zones")
    assert main(["load", "--inputs", store, "--cases", str(cases)]) == 0
    assert capsys.readouterr().out == "cases day.csv: read 2, accepted 1, quarantined 1\n"
    assert main(["load", "--inputs", store, "--cases", str(cases), "--rebuild", out]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "cases day.csv: read 2, accepted 1, quarantined 1 (already loaded)",
        f"build {out}: 2021-07-20 to 2021-07-20 from 1 file",
    ]
    assert main(["load", "--inputs", store, "--venues", str(tmp_path / "none.csv")]) == 2
    assert (
        capsys.readouterr().err
        == f"error: The venues file {tmp_path / 'none.csv'} does not exist.\n"
    )
