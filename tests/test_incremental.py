"""Incremental builds: the cell rows of unchanged days are copied, and the result is the full
build's, table for table, column for column (issue 10)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pipeline_fixtures import CASES_CSV, CHECKINS_CSV, TODAY, VENUES_CSV, assert_same_build, write

from geo import categories, incremental
from geo.__main__ import main
from geo.build import CHUNK_DAYS_ENV, build
from geo.config import Exposure, load_config
from geo.uploads import InputStore

pytest_plugins = ["pipeline_fixtures"]

# Two more check-ins at venue B (Kemayoran) on 6 July, an hour apart: PERSON-SECRET-8 becomes
# case c11 on 12 July in the exposure scenario, which exposes PERSON-SECRET-9's check-in.
MORE_CHECKINS = (
    "k9,VENUE-SECRET-B,2021-07-06T10:00:00,PERSON-SECRET-8\n"
    "k10,VENUE-SECRET-B,2021-07-06T11:00:00,PERSON-SECRET-9\n"
)
KEMAYORAN = "-6.16627,106.84505"
TEBET_TIMUR = "-6.23098,106.85554"
NEW_DAY = f"c12,2021-07-09,{KEMAYORAN},,\n"  # the day after the last one
LATE = f"c13,2021-07-05,{KEMAYORAN},,\n"  # a late report of an old day
EXPOSING = f"c11,2021-07-12,{TEBET_TIMUR},,PERSON-SECRET-8\n"  # a new day, exposing 6 July


def _inputs(folder: Path, more_cases: str = "", venues: str = VENUES_CSV) -> dict[str, Path]:
    return {
        "cases": write(folder / "cases.csv", CASES_CSV + more_cases),
        "checkins": write(folder / "checkins.csv", CHECKINS_CSV + MORE_CHECKINS),
        "venues": write(folder / "venues.csv", venues),
    }


def _build(inputs: dict[str, Path], out: Path) -> dict:
    return build(
        inputs["cases"],
        inputs["checkins"],
        inputs["venues"],
        out,
        config=load_config(),
        today=TODAY,
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, all_grids: dict) -> Path:
    """A build of the hand-made inputs (30 June to 8 July), in a folder of its own."""
    folder = tmp_path_factory.mktemp("base")
    manifest = _build(_inputs(folder / "inputs"), folder / "zones")
    assert manifest["reuse"]["copied_days"] is None
    return folder


def _incremental_and_full(
    base: Path, tmp_path: Path, more_cases: str, venues: str = VENUES_CSV
) -> tuple[dict, Path]:
    """Build the base inputs plus ``more_cases`` (with ``venues``) over a copy of the base build
    and afresh."""
    shutil.copytree(base, tmp_path / "again", symlinks=True)
    inputs = _inputs(tmp_path / "inputs", more_cases, venues)
    manifest = _build(inputs, tmp_path / "again" / "zones")
    full = _build(inputs, tmp_path / "full")
    assert full["reuse"] == {
        "copied_days": None,
        "reason": "no previous build",
        "venue_days": {
            "read_days": None,
            "reason": "the check-ins were not loaded into an inputs store",
        },
    }
    assert_same_build(tmp_path / "again" / "zones", tmp_path / "full")
    return manifest, tmp_path / "full"


def test_a_new_day_copies_the_days_before_it(base: Path, tmp_path: Path) -> None:
    manifest, _ = _incremental_and_full(base, tmp_path, NEW_DAY)
    # 9 July is new; the chunks of 3 days start on 30 June, 3, 6 and 9 July: 9 July begins a
    # chunk, so every day before it (to the old build's last day, 8 July) is copied.
    assert manifest["reuse"]["copied_days"] == ["2021-06-30", "2021-07-08"]
    assert manifest["reuse"]["reason"] == "the inputs changed from 2021-07-09"
    assert manifest["date_range"] == ["2021-06-30", "2021-07-09"]


def test_a_new_day_copies_a_day_at_a_time(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A day a chunk, as national builds: each read of copied rows (3 days) is cut into days.
    monkeypatch.setenv(CHUNK_DAYS_ENV, "1")
    manifest, _ = _incremental_and_full(base, tmp_path, NEW_DAY)
    assert manifest["reuse"]["copied_days"] == ["2021-06-30", "2021-07-08"]


def test_a_late_file_computes_the_old_days_it_changes(base: Path, tmp_path: Path) -> None:
    before = pd.read_parquet(base / "zones" / "cells_daily.parquet")
    manifest, full = _incremental_and_full(base, tmp_path, LATE)
    # 5 July changed: the chunk holding it starts on 3 July, so the days before are copied
    assert manifest["reuse"]["copied_days"] == ["2021-06-30", "2021-07-02"]
    assert manifest["reuse"]["reason"] == "the inputs changed from 2021-07-05"
    after = pd.read_parquet(full / "cells_daily.parquet")
    # On 5 July only coded cases (c05, c06) were reported: c13 is the first located one.
    for table, located in ((before, 0), (after, 1)):
        day = table[(table["resolution"] == 9) & (table["date"] == "2021-07-05")]
        assert day["new_cases"].sum() == located


def test_a_new_case_computes_the_days_it_exposes(base: Path, tmp_path: Path) -> None:
    before = pd.read_parquet(base / "zones" / "cells_daily.parquet")
    manifest, full = _incremental_and_full(base, tmp_path, EXPOSING)
    # c11 on 12 July is a new day, but PERSON-SECRET-8 checked in on 6 July: that day's exposure
    # changed, so the days from the chunk of 6 July (it starts a chunk) on are computed again.
    assert manifest["reuse"]["copied_days"] == ["2021-06-30", "2021-07-05"]
    assert manifest["reuse"]["reason"] == "the inputs changed from 2021-07-06"
    after = pd.read_parquet(full / "cells_daily.parquet")
    for table, exposed in ((before, 0), (after, 1)):
        day = table[(table["resolution"] == 9) & (table["date"] == "2021-07-06")]
        assert day["exposed_checkins"].sum() == exposed  # k10, exposed by k9


def test_a_venue_whose_category_changed_computes_its_days(base: Path, tmp_path: Path) -> None:
    # B (Kemayoran: check-ins on 2 and 6 July) becomes a pharmacy. Its cells and counts are the
    # same, but the categories table of those days is not: 30 June and 1 July are copied, and
    # from 2 July on (the chunk of 30 June, for the cell rows) computed again.
    venues = VENUES_CSV.replace("Kemayoran,supermarket", "Kemayoran,pharmacy")
    manifest, full = _incremental_and_full(base, tmp_path, "", venues)
    assert (
        manifest["reuse"]["reason"] == "the inputs changed from 2021-07-02, within the first 3 days"
    )
    rows = pd.read_parquet(full / categories.FILE)
    kemayoran = rows[rows["region_code"] == "31.71.03.1001"]
    assert set(kemayoran["category"]) == {"pharmacy"}
    assert kemayoran["date"].min() == pd.Timestamp("2021-07-02")


def test_loading_a_new_day_into_the_store_copies_the_old_days(
    tmp_path: Path, all_grids: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _inputs(tmp_path / "files")
    new_day = write(tmp_path / "files" / "new-day.csv", CASES_CSV.splitlines()[0] + "\n" + NEW_DAY)
    store = InputStore(tmp_path / "inputs")
    for kind in ("venues", "checkins", "cases"):
        store.add(kind, files[kind].name, files[kind].read_bytes(), today=TODAY)
    first = store.rebuild(tmp_path / "zones")
    assert first["reuse"]["copied_days"] is None
    code = main(
        [
            "load",
            "--inputs",
            str(tmp_path / "inputs"),
            "--cases",
            str(new_day),
            "--rebuild",
            str(tmp_path / "zones"),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "copied the cell rows of 2021-06-30 to 2021-07-08 from the previous build "
        "(the inputs changed from 2021-07-09); computed the days after"
    )
    full = store.rebuild(tmp_path / "full")
    assert full["reuse"]["copied_days"] is None
    assert_same_build(tmp_path / "zones", tmp_path / "full")


def _digests(base: Path) -> pd.DataFrame:
    return pd.read_parquet(base / "zones" / incremental.DIGESTS)


def test_digests_of_the_base_build(base: Path) -> None:
    digests = _digests(base)
    # Cases on 1, 3, 5, 6, 7 and 8 July; check-ins on 30 June, 2 and 6 July.
    assert [d.date().isoformat() for d in digests["date"]] == [
        "2021-06-30",
        "2021-07-01",
        "2021-07-02",
        "2021-07-03",
        "2021-07-05",
        "2021-07-06",
        "2021-07-07",
        "2021-07-08",
    ]
    assert digests.loc[0, "cases"] == ""  # no case on 30 June
    assert digests.loc[1, "cases"].startswith("3:")  # c01-c03
    assert digests.loc[5, "venue_events"].startswith("1:")  # one venue on 6 July


def test_digests_do_not_depend_on_row_order() -> None:
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2021-07-01", "2021-07-01", "2021-07-02"]), "x": [1, 2, 3]}
    )
    one = incremental.day_digests(frame, None)
    other = incremental.day_digests(frame.iloc[::-1], None)
    pd.testing.assert_frame_equal(one, other)
    changed = incremental.day_digests(frame.assign(x=[1, 2, 4]), None)
    assert (changed["cases"] != one["cases"]).tolist() == [False, True]


def test_digests_do_not_depend_on_the_unit_of_the_dates() -> None:
    # the staged check-ins give their days in seconds, the frames in memory in microseconds
    days = pd.to_datetime(["2021-07-01", "2021-07-02"])
    events = pd.DataFrame(
        {"cell": [7, 8], "poly": [0, 1], "date": days, "checkins": [1, 2], "exposed": [0, 1]}
    )
    cases = pd.DataFrame({"date": days, "x": [1, 2]})

    def digests(unit: str) -> pd.DataFrame:
        def at(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.astype({"date": f"datetime64[{unit}]"})

        return incremental.day_digests(at(cases), at(events))

    seconds = digests("s")
    pd.testing.assert_frame_equal(seconds, digests("us"))
    pd.testing.assert_frame_equal(seconds, digests("ns"))
    assert seconds["venue_events"].str.startswith("1:").all()
    moved = incremental.day_digests(cases, events.assign(exposed=[0, 2]))
    assert (moved["venue_events"] != seconds["venue_events"]).tolist() == [False, True]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("nothing", "no input changed; the previous build ends on 2021-07-08"),
        ("config", "the previous build was made with another configuration"),
        ("digests", "the previous build was made with another kind of input digest"),
        ("start", "the first day of the inputs changed"),
        ("first-days", "the inputs changed from 2021-07-01, within the first 4 days"),
        ("first-day", "the inputs changed from 2021-06-30, on the first day"),
        ("no-build", "no previous build"),
    ],
)
def test_when_the_previous_build_is_reused(
    base: Path, tmp_path: Path, change: str, reason: str
) -> None:
    config, start, digests, out = (
        load_config(),
        dt.date(2021, 6, 30),
        _digests(base),
        base / "zones",
    )
    if change == "config":
        config = load_config(preset="ppkm")
    elif change == "digests":  # a build of the version before the categories were digested
        out = tmp_path / "zones"
        shutil.copytree(base / "zones", out)
        manifest = json.loads((out / "manifest.json").read_text())
        del manifest["input_digests"]
        (out / "manifest.json").write_text(json.dumps(manifest))
    elif change == "start":
        start = dt.date(2021, 6, 29)
    elif change == "first-days":
        digests.loc[1, "cases"] = "4:0"
    elif change == "first-day":
        digests.loc[0, "cases"] = "4:0"
    elif change == "no-build":
        out = base / "inputs"
    found = incremental.plan(out, config, start, digests, 1 if change == "first-day" else 4)
    assert found.reason == reason
    if change == "digests":  # nor are its venue days read
        assert incremental.venue_plan(out, config, digests, 15).reason == reason
    if change == "nothing":
        assert found.first == dt.date(2021, 7, 8)
        assert found.reuses((dt.date(2021, 7, 4), dt.date(2021, 7, 7)))
        assert not found.reuses((dt.date(2021, 7, 8), dt.date(2021, 7, 11)))
    else:
        assert found.previous is None
        assert found.manifest(dt.date(2021, 7, 8))["copied_days"] is None


def test_a_cell_whose_region_changed_is_not_copied(base: Path) -> None:
    found = incremental.plan(base / "zones", load_config(), dt.date(2021, 6, 30), _digests(base), 4)
    cells = pd.read_parquet(base / "zones" / "cells.parquet")
    found.check_cells(cells)  # the same cells: nothing to say
    # In another order, with a cell fewer and one more (in the Gulf of Guinea): only the
    # cells of both are compared.
    mixed = pd.concat([cells.iloc[1:], cells.iloc[:1].assign(cell="87754e64dffffff")])
    found.check_cells(mixed.iloc[::-1].reset_index(drop=True))
    moved = cells.copy()
    moved.loc[[2, 5], "population"] += 1.0
    with pytest.raises(incremental.Stale, match="the population of 2 previous cells changed"):
        found.check_cells(moved)
    cells.loc[0, "village_code"] = "99.99.99.9999"
    with pytest.raises(incremental.Stale, match="the village_code of 1 previous cells changed"):
        found.check_cells(cells)


# With cases linked to the check-ins of 2 days before them, a day's venue days can change with
# the inputs of 3 days later: 2 days, and the check-ins up to 2 hours apart across midnight.
SHORT_LINK = Exposure(window_hours=2, case_within_days=2)
# A case on 8 July of PERSON-SECRET-8, who checked in at B on 6 July an hour before PERSON-SECRET-9.
LINKING = f"c14,2021-07-08,{TEBET_TIMUR},,PERSON-SECRET-8\n"
LATE_CHECKIN = "k11,VENUE-SECRET-C,2021-07-07T09:00:00,PERSON-SECRET-10\n"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, all_grids: dict) -> Path:
    """An inputs store of the hand-made inputs, one load each, and its build (``zones``)."""
    folder = tmp_path_factory.mktemp("stored")
    files = _inputs(folder / "files")
    inputs = InputStore(folder / "inputs")
    for kind in ("venues", "checkins", "cases"):
        inputs.add(kind, files[kind].name, files[kind].read_bytes(), today=TODAY)
    config = load_config().model_copy(update={"exposure": SHORT_LINK})
    manifest = inputs.rebuild(folder / "zones", config=config)
    assert manifest["reuse"]["venue_days"] == {"read_days": None, "reason": "no previous build"}
    return folder


def _load_and_rebuild(stored: Path, tmp_path: Path, kind: str, text: str) -> tuple[dict, Path]:
    """Load one more file into a copy of the store, rebuild over the copy of its build and
    afresh; the two builds are the same, venue days included."""
    shutil.copytree(stored, tmp_path / "again", symlinks=True)
    header = {"cases": CASES_CSV, "checkins": CHECKINS_CSV}[kind].splitlines()[0]
    inputs = InputStore(tmp_path / "again" / "inputs")
    inputs.add(kind, f"more-{kind}.csv", f"{header}\n{text}".encode(), today=TODAY)
    manifest = inputs.rebuild(tmp_path / "again" / "zones")
    config = load_config().model_copy(update={"exposure": SHORT_LINK})
    full = inputs.rebuild(tmp_path / "full", config=config)
    assert full["reuse"]["venue_days"] == {"read_days": None, "reason": "no previous build"}
    assert_same_build(tmp_path / "again" / "zones", tmp_path / "full")
    return manifest, tmp_path / "full"


def _venue_days(build: Path) -> list[tuple[str, str, int, int]]:
    table = pd.read_parquet(build / incremental.VENUE_DAYS)
    table = table.sort_values(["date", "venue_id"])
    return [
        (v.split("/")[-1], d.date().isoformat(), int(n), int(e))
        for v, d, n, e in table.itertuples(index=False)
    ]


def test_the_venue_days_of_a_store_build(stored: Path) -> None:
    # k1-k5 at A on 30 June (k2 and k3 exposed by k1), k6 and k7 at B on 2 July, k9 and k10
    # at B on 6 July; k8's venue is outside Indonesia (quarantined).
    assert _venue_days(stored / "zones") == [
        ("VENUE-SECRET-A", "2021-06-30", 5, 2),
        ("VENUE-SECRET-B", "2021-07-02", 2, 0),
        ("VENUE-SECRET-B", "2021-07-06", 2, 0),
    ]


def test_a_new_day_reads_the_venue_days_it_cannot_change(stored: Path, tmp_path: Path) -> None:
    manifest, _ = _load_and_rebuild(stored, tmp_path, "cases", NEW_DAY)
    # 9 July is new: a day's venue days read the inputs of up to 3 days later, so 6 July on is
    # computed again and 30 June to 5 July are read from the previous build.
    assert manifest["reuse"]["venue_days"] == {
        "read_days": ["2021-06-30", "2021-07-05"],
        "reason": "the inputs changed from 2021-07-09",
    }


def test_a_linking_case_computes_the_venue_days_it_exposes(stored: Path, tmp_path: Path) -> None:
    manifest, full = _load_and_rebuild(stored, tmp_path, "cases", LINKING)
    assert manifest["reuse"]["venue_days"] == {
        "read_days": ["2021-06-30", "2021-07-04"],
        "reason": "the inputs changed from 2021-07-08",
    }
    # k10 (PERSON-SECRET-9) met PERSON-SECRET-8 an hour apart, two days before the case.
    assert ("VENUE-SECRET-B", "2021-07-06", 2, 1) in _venue_days(full)


def test_a_late_checkin_load_computes_the_days_around_it(stored: Path, tmp_path: Path) -> None:
    manifest, full = _load_and_rebuild(stored, tmp_path, "checkins", LATE_CHECKIN)
    assert manifest["reuse"]["venue_days"] == {
        "read_days": ["2021-06-30", "2021-07-03"],
        "reason": "the inputs changed from 2021-07-07",
    }
    assert ("VENUE-SECRET-C", "2021-07-07", 1, 0) in _venue_days(full)


def test_the_same_loads_read_every_venue_day(stored: Path, tmp_path: Path) -> None:
    shutil.copytree(stored, tmp_path / "again", symlinks=True)
    manifest = InputStore(tmp_path / "again" / "inputs").rebuild(tmp_path / "again" / "zones")
    assert manifest["reuse"]["venue_days"] == {
        "read_days": ["2021-06-30", "2021-07-08"],
        "reason": "no input changed",
    }
    assert_same_build(tmp_path / "again" / "zones", stored / "zones")
