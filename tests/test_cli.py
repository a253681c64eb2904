"""The command line: ``python -m geo sample|build|load``; user errors are one sentence and exit 2."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pipeline_fixtures import CASES_CSV, TODAY, write

from geo import __version__, sample
from geo.__main__ import complete_note, main
from geo.build import AHEAD_THREAD

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
    bad = write(tmp_path / "cases.csv", "id,day\nc1,2021-07-01\n")  # neither name known
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
    assert lines[3].endswith("126,549 region-days")  # 14,061 regions x 9 days
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


# --- python -m geo users ----------------------------------------------------------------------

PASSWORD = "correct horse battery"


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    """``$PANTAUZONA_USERS`` in a temporary folder, with a cheap argon2 hasher."""
    from argon2 import PasswordHasher

    from geo import accounts

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    path = tmp_path / "instance" / "users.json"
    monkeypatch.setenv(accounts.USERS_ENV, str(path))
    return path


def users(monkeypatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["users", *args])


def test_users_add_list_remove(users_file, capsys, monkeypatch):
    from geo import accounts

    t0 = dt.datetime(2026, 11, 27, 9, 5, tzinfo=dt.UTC)
    accounts.add_account("budi", PASSWORD, "ID", now=t0)
    capsys.readouterr()
    code = users(
        monkeypatch, "add", "Ani", "--region", "32.73", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 0
    assert capsys.readouterr().out == f"added ani (region 32.73) to {users_file}\n"
    assert accounts.authenticate("ani", PASSWORD).region == "32.73"

    assert users(monkeypatch, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "REGION", "REGION", "NAME", "CREATED"]
    assert re.fullmatch(r"ani +32\.73 +Kota Bandung +\d{4}-\d\d-\d\d \d\d:\d\d UTC", lines[1])
    assert lines[2].split() == ["budi", "ID", "Indonesia", "2026-11-27", "09:05", "UTC"]
    assert len(lines) == 3

    assert users(monkeypatch, "remove", "ani") == 0
    assert capsys.readouterr().out == (
        f"removed ani from {users_file}; their open sessions end at once\n"
    )
    assert [a.name for a in accounts.list_accounts()] == ["budi"]


def test_users_list_without_accounts_says_how_to_start(users_file, capsys, monkeypatch):
    assert users(monkeypatch, "list") == 0
    assert capsys.readouterr().out == (
        f"no accounts in {users_file}; create one with: "
        "python -m geo users add NAME --region CODE\n"
    )
    assert not users_file.exists()


def test_users_add_asks_the_password_twice(users_file, capsys, monkeypatch):
    from geo import accounts

    prompts: list[str] = []
    typed = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(typed))
    assert users(monkeypatch, "add", "ani", "--region", "32") == 0
    assert prompts == ["Password: ", "Repeat the password: "]
    assert accounts.authenticate("ani", PASSWORD).region == "32"


def test_users_passwd_ends_open_sessions(users_file, capsys, monkeypatch):
    from geo import accounts
    from geo.errors import SessionError

    accounts.add_account("ani", PASSWORD, "32")
    token = accounts.issue_session("ani")
    new = "another long passphrase"
    assert users(monkeypatch, "passwd", "ani", "--password-stdin", stdin=new + "\n") == 0
    assert capsys.readouterr().out == (
        "changed the password of ani; their open sessions end at once\n"
    )
    assert accounts.authenticate("ani", new).name == "ani"
    with pytest.raises(SessionError) as info:
        accounts.verify_session(token)
    assert info.value.reason == "password_changed"


@pytest.mark.parametrize(
    ("args", "stdin", "typed", "message"),
    [
        (
            ["add", "ani", "--region", "31.71.01", "--password-stdin"],
            PASSWORD,
            [],
            "error: The region code '31.71.01' is a kecamatan; an account is scoped to a "
            "province, a kabupaten/kota or the whole country (ID).",
        ),
        (
            ["add", "ani", "--region", "all"],
            "",
            [],
            "error: The region code 'all' is not in the shipped reference regions; give a "
            "province or kabupaten/kota code (e.g. 32 or 32.73), or ID for the whole country.",
        ),
        (
            ["add", "ani", "--region", "32", "--password-stdin"],
            "short\n",
            [],
            "error: The password is too short: use at least 12 characters.",
        ),
        (
            ["add", "ani", "--region", "32", "--password-stdin"],
            "",
            [],
            "error: No password on standard input; give it as the first line.",
        ),
        (
            ["add", "ani", "--region", "32"],
            "",
            [PASSWORD, PASSWORD + "x"],
            "error: The two passwords differ; nothing was changed.",
        ),
        (
            ["add", "ani", "--region", "32"],
            "",
            [EOFError()],
            "error: No password was typed; nothing was changed.",
        ),
        (["remove", "ani"], "", [], "error: There is no account named 'ani'."),
        (["passwd", "ani"], "", [], "error: There is no account named 'ani'."),
    ],
)
def test_users_errors_are_one_sentence_and_change_nothing(
    users_file, capsys, monkeypatch, args, stdin, typed, message
):
    answers = iter(typed)

    def getpass(prompt: str) -> str:
        answer = next(answers)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    monkeypatch.setattr("getpass.getpass", getpass)
    assert users(monkeypatch, *args, stdin=stdin) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n"
    assert captured.out == ""
    assert not users_file.exists()


def test_users_add_refuses_a_taken_name_before_asking(users_file, capsys, monkeypatch):
    from geo import accounts

    accounts.add_account("ani", PASSWORD, "32")
    before = users_file.read_bytes()
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked for a password"))
    assert users(monkeypatch, "add", "ANI", "--region", "31") == 2
    assert capsys.readouterr().err == (
        "error: An account named 'ani' already exists; remove it first or change its password.\n"
    )
    assert users_file.read_bytes() == before


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
    assert capsys.readouterr().out.splitlines() == [
        "cases day.csv: read 2, accepted 1, quarantined 1",
        "cases: region codes of the 2025 edition (the file has no region codes)",
    ]
    assert main(["load", "--inputs", store, "--cases", str(cases), "--rebuild", out]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "cases day.csv: read 2, accepted 1, quarantined 1 (already loaded)",
        "cases: region codes of the 2025 edition (the file has no region codes)",
        f"build {out}: 2021-07-20 to 2021-07-20 from 1 file",
    ]
    assert main(["load", "--inputs", store, "--venues", str(tmp_path / "none.csv")]) == 2
    assert (
        capsys.readouterr().err
        == f"error: The venues file {tmp_path / 'none.csv'} does not exist.\n"
    )


def test_load_reads_the_edition_of_the_codes_as_build_does(tmp_path, capsys, monkeypatch):
    # 2020 kabupaten codes: 91.01 (today 93.01) exists only in the 2020 edition.
    monkeypatch.setattr("geo.validate._today", lambda: TODAY)
    cases = write(tmp_path / "kab.csv", "date,region_code,new_cases\n2021-07-01,91.01,5\n")
    store = str(tmp_path / "inputs")
    assert main(["load", "--inputs", store, "--cases", str(cases), "--codes", "2025"]) == 2
    assert capsys.readouterr().err == (
        "error: kab.csv is declared in 2025 codes (--codes 2025) but its region codes make "
        "sense only in the 2020 edition (Permendagri 72/2019) (e.g. 91.01); give --codes 2020.\n"
    )
    assert main(["load", "--inputs", store, "--cases", str(cases)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "cases kab.csv: read 1, accepted 1, quarantined 0",
        "cases: region codes of the 2020 edition (detected: codes that exist only in the 2020 "
        "edition (Permendagri 72/2019) (e.g. 91.01))",
    ]
    loads = json.loads((tmp_path / "inputs" / "store.json").read_text(encoding="utf-8"))["loads"]
    assert loads[0]["codes"]["edition"] == "2020"
    assert loads[0]["codes"]["how"].startswith("detected: codes that exist only in the 2020")


# --- Every failure a sentence: exit 2, no traceback ---------------------------------------------


def test_a_header_only_cases_file_is_refused_with_a_sentence(tmp_path):
    cases = write(tmp_path / "cases.csv", "case_id,reported_date,lat,lon\n")
    result = run_cli("build", "--cases", str(cases), "--out", str(tmp_path / "zones"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "error: The input files hold no rows (only their headers), so there is nothing to build."
    )
    assert not (tmp_path / "zones").exists()


def test_a_cases_file_without_location_columns_is_a_sentence(tmp_path):
    cases = write(tmp_path / "cases.csv", "case_id,reported_date\nc1,2021-07-01\n")
    result = run_cli("build", "--cases", str(cases), "--out", str(tmp_path / "zones"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "error: cases.csv has no location columns; cases need lat and lon, or region_code."
    )


def test_a_header_only_checkins_file_builds_without_checkins(
    inputs, all_grids, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("geo.validate._today", lambda: TODAY)
    empty = write(tmp_path / "checkins.csv", "checkin_id,venue_id,checked_in_at,person_id\n")
    argv = ["build", "--cases", str(inputs["cases"]), "--checkins", str(empty)]
    argv += ["--venues", str(inputs["venues"]), "--out", str(tmp_path / "zones")]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "checkins: read 0, accepted 0, quarantined 0"
    assert lines[3].startswith(f"build {tmp_path / 'zones'}: preset pantauzona, 2021-07-01 to ")


def test_load_of_a_header_only_file_adds_nothing_and_a_rebuild_says_why(tmp_path, capsys):
    empty = write(tmp_path / "day.csv", "case_id,reported_date,lat,lon\n")
    store, out = str(tmp_path / "inputs"), str(tmp_path / "zones")
    assert main(["load", "--inputs", store, "--cases", str(empty), "--rebuild", out]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "cases day.csv: read 0, accepted 0, quarantined 0",
        "cases: region codes of the 2025 edition (the file has no region codes)",
    ]
    assert captured.err == (
        "error: The input files hold no rows (only their headers), so there is nothing to build.\n"
    )


def fail_with(monkeypatch, owner: object, name: str, code: int, under: Path | None = None) -> None:
    """Make ``owner.name`` raise the OSError the kernel would (tests run as root, whom chmod does
    not stop, and a full or read-only disk cannot be made in a test); with ``under``, only for
    paths in that folder."""
    keep = getattr(owner, name)

    def fail(*args, **kwargs):
        if under is None or Path(args[0]).is_relative_to(under):
            raise OSError(code, os.strerror(code))
        return keep(*args, **kwargs)

    monkeypatch.setattr(owner, name, fail)


def test_disk_full_while_writing_is_a_sentence(inputs, all_grids, tmp_path, capsys, monkeypatch):
    import errno

    monkeypatch.setattr("geo.validate._today", lambda: TODAY)
    fail_with(monkeypatch, pq.ParquetWriter, "write_table", errno.ENOSPC)
    out = tmp_path / "zones"
    assert main(["build", "--cases", str(inputs["cases"]), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"error: Cannot write {out}: the disk is full; free some space and try again; "
        "the previous build is unchanged."
    )
    assert "Traceback" not in err
    assert not out.exists()
    assert list((tmp_path / ".zones.versions").iterdir()) == []  # the partial was removed
    # The cell rows stopped with the writer: their look-ahead thread ended then, not whenever the
    # garbage collector (which may run in that very thread, and cannot wait for it) gets to them.
    assert [t for t in threading.enumerate() if t.name.startswith(AHEAD_THREAD)] == []


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (30, "the file system is read-only; choose a folder you can write to"),
        (13, "permission denied; choose a folder you can write to"),
    ],
)
def test_an_unwritable_out_folder_is_refused_before_any_work(
    tmp_path, capsys, monkeypatch, code, why
):
    cases = write(tmp_path / "c.csv", CASES_CSV)
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)  # enough for a user; for root the refusal is simulated below
    if os.geteuid() == 0:
        fail_with(monkeypatch, Path, "mkdir", code, under=parent)
    out = parent / "zones"
    steps = []
    monkeypatch.setattr("geo.build._stepper", lambda on_step: steps.append)
    assert main(["build", "--cases", str(cases), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: Cannot write {out}: {why}.\n"
    assert steps == []  # refused before reading a file


def test_report_to_an_unwritable_file_is_a_sentence(built, tmp_path, capsys, monkeypatch):
    fail_with(monkeypatch, Path, "write_bytes", 13)
    out = tmp_path / "report.csv"
    argv = ["report", "--build", str(built[0]), "--region", "31.71", "--from", "2021-07-01"]
    argv += ["--to", "2021-07-07", "--format", "csv", "--out", str(out)]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"error: Cannot write {out}: permission denied; choose a folder you can write to.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_sample_to_a_full_disk_is_a_sentence(tmp_path, capsys, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "s" / "cases.csv"))

    monkeypatch.setattr("geo.sample.write_sample", full)
    assert main(["sample", "--out", str(tmp_path / "s")]) == 2
    assert capsys.readouterr().err == (
        f"error: Cannot write {tmp_path / 's' / 'cases.csv'}: the disk is full; "
        "free some space and try again.\n"
    )


def test_debug_keeps_the_traceback_of_a_write_failure(tmp_path, monkeypatch):
    from geo.errors import BuildError

    cases = write(tmp_path / "c.csv", CASES_CSV)
    fail_with(monkeypatch, Path, "mkdir", 28)
    with pytest.raises(BuildError, match="the disk is full") as info:
        main(["--debug", "build", "--cases", str(cases), "--out", str(tmp_path / "z")])
    assert isinstance(info.value.__cause__, OSError)


def test_backtest_prints_the_table_with_the_persistence_baseline(capsys):
    assert main(["backtest"]) == 0
    out = capsys.readouterr().out
    assert "| province | persistence (next week = this week) |" in out
    assert "| province | outlook (damped growth, shrunk to the country) |" in out
    assert re.search(r"The outlook (beats|does not beat) persistence at province level\.", out)


@pytest.mark.parametrize(
    ("latest", "note"),
    [
        ("2021-07-11", None),
        ("2021-07-10", "days after 2021-07-10 are incomplete: views open on 2021-07-10"),
        (None, "no day is complete: views open on the last day, 2021-07-11"),
    ],
)
def test_the_build_summary_says_when_the_last_days_are_incomplete(latest, note):
    manifest = {"date_range": ["2021-06-13", "2021-07-11"], "latest_complete_day": latest}
    assert complete_note(manifest) == note
    assert complete_note({"date_range": ["2021-06-13", "2021-07-11"]}) is None


def test_cumulative_cases_through_build_and_load(tmp_path, capsys, monkeypatch):
    # tests/fixtures/dki_kelurahan_cumulative.csv: 3 kelurahan x 3 month-ends, 3,736 cases.
    monkeypatch.setattr("geo.validate._today", lambda: TODAY)
    series = Path(__file__).resolve().parent / "fixtures" / "dki_kelurahan_cumulative.csv"
    out = tmp_path / "zones"
    assert main(["build", "--cases", str(series), "--out", str(out), "--cases-cumulative"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "cases: read 9, accepted 9, quarantined 0"
    assert printed[2:] == [
        "cases: region codes of the 2025 edition (every region code of the file names the same "
        "region in both)",
        "cases: running totals of 3 places turned into 186 place-days, 1 correction "
        "(corrections.csv)",
    ]
    built = pd.read_parquet(out / "regions_daily.parquet")
    assert built.loc[built["region_code"] == "31", "new_cases"].sum() == 3736
    # Loaded one month at a time, the store differences the months together.
    lines = series.read_text(encoding="utf-8").splitlines()
    store, again = tmp_path / "inputs", tmp_path / "again"
    for month in ("05-31", "06-30", "07-31"):
        part = tmp_path / f"{month}.csv"
        part.write_text("\n".join([lines[0], *(x for x in lines if month in x)]) + "\n")
        args = ["load", "--inputs", str(store), "--cases", str(part), "--cases-cumulative"]
        assert main(args) == 0
    assert main(["load", "--inputs", str(store), "--rebuild", str(again)]) == 0
    loaded = pd.read_parquet(again / "regions_daily.parquet")
    assert loaded["new_cases"].sum() == built["new_cases"].sum()
    manifest = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["cases"]["cumulative"]["corrections"] == 1
    assert manifest["inputs"]["cases"]["accepted"] == 9
