"""The inputs store: check and add files, duplicates across loads, an official's region, rebuilds.

The store is filled with the hand-made inputs of ``pipeline_fixtures`` (``today`` 2021-08-01),
venues first, then check-ins, then cases, as an official would load them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pipeline_fixtures import (
    CASES_ACCEPTED,
    CASES_CSV,
    CASES_QUARANTINED,
    CHECKINS_CSV,
    GAMBIR,
    SECRETS,
    SUKASARI,
    TODAY,
    VENUES_CSV,
)

import geo.build
from geo.config import load_config
from geo.errors import BuildError, InputFileError
from geo.uploads import InputStore, inputs_beside

pytest_plugins = ["pipeline_fixtures"]

COLUMNS = ["file", "row", "column", "check", "value", "reason"]
TABLES = ("cells_daily", "regions_daily", "cells", "regions")
# One new day: n1 in Gambir (accepted) and 4 bad rows, one per check, lines 3-6.
NEW_DAY_CSV = """\
case_id,reported_date,lat,lon,region_code
n1,2021-07-20,-6.17505,106.82661,
n1,2021-07-20,-6.17505,106.82661,
n3,2021-08-02,-6.17505,106.82661,
n4,2021-07-20,106.82661,-6.17505,
n5,2021-07-20,,,31.99
"""
NEW_DAY_QUARANTINE = [
    ["new-day.csv", 3, "case_id", "duplicate", "n1", "duplicate case_id (first at row 2)"],
    [
        "new-day.csv",
        4,
        "reported_date",
        "future",
        "2021-08-02",
        "reported_date is after today (2021-08-01)",
    ],
    [
        "new-day.csv",
        5,
        "lat",
        "swapped",
        "106.82661",
        "latitude and longitude look swapped? (lat is ~95..141)",
    ],
    [
        "new-day.csv",
        6,
        "region_code",
        "unknown_region",
        "31.99",
        "unknown region code (Kemendagri 2025)",
    ],
]


def _bytes(text: str) -> bytes:
    return text.encode("utf-8")


def _rows(report) -> list[list]:
    return report.quarantine[COLUMNS].astype({"row": int}).values.tolist()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _fill(store: InputStore) -> None:
    for kind, name, text in (
        ("venues", "venues.csv", VENUES_CSV),
        ("checkins", "checkins.csv", CHECKINS_CSV),
        ("cases", "cases.csv", CASES_CSV),
    ):
        store.add(kind, name, _bytes(text), today=TODAY)


@pytest.fixture(scope="module")
def filled(all_grids, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """A store of the hand-made inputs and one build of it (read-only: copy before changing)."""
    folder = tmp_path_factory.mktemp("uploads")
    store = InputStore(folder / "inputs")
    _fill(store)
    manifest = store.rebuild(folder / "zones")
    return folder / "inputs", folder / "zones", manifest


@pytest.fixture
def copied(filled, tmp_path: Path) -> tuple[InputStore, Path]:
    """A writable copy of the filled store and its build."""
    inputs, zones, _ = filled
    shutil.copytree(inputs.parent, tmp_path, symlinks=True, dirs_exist_ok=True)
    return InputStore(tmp_path / inputs.name), tmp_path / zones.name


def test_check_reports_the_quarantine_rows_and_writes_nothing(tmp_path):
    store = InputStore(tmp_path / "inputs")
    report = store.check("cases", "new-day.csv", _bytes(NEW_DAY_CSV), today=TODAY)
    assert (report.read, report.accepted, report.quarantined) == (5, 1, 4)
    assert not report.already_loaded
    assert _rows(report) == NEW_DAY_QUARANTINE
    header = report.quarantine_csv().decode().splitlines()[0]
    assert header == ",".join(f'"{name}"' for name in COLUMNS)  # every field quoted
    assert not (tmp_path / "inputs").exists()


def test_the_store_quarantines_as_the_build_does(filled, built):
    inputs, zones, manifest = filled
    loads = InputStore(inputs).loads()
    assert [(x["kind"], x["read"], x["accepted"], x["quarantined"]) for x in loads] == [
        ("venues", 4, 3, 1),
        ("checkins", 8, 7, 1),
        ("cases", 21, CASES_ACCEPTED, CASES_QUARANTINED),
    ]
    assert {k: v["accepted"] for k, v in manifest["inputs"].items()} == {
        k: v["accepted"] for k, v in built[1]["inputs"].items()
    }
    assert (zones / "quarantine.csv").read_bytes() == (built[0] / "quarantine.csv").read_bytes()


@pytest.mark.parametrize("name", TABLES)
def test_a_rebuild_from_the_store_equals_a_build_from_the_files(filled, built, name):
    from_store = pd.read_parquet(filled[1] / f"{name}.parquet")
    from_files = pd.read_parquet(built[0] / f"{name}.parquet")
    pd.testing.assert_frame_equal(from_store, from_files)


def test_a_check_ins_part_without_venue_numbers_is_numbered_once_by_a_rebuild(copied, tmp_path):
    # A part written before parts held venue numbers (no ``venue`` column) gets them at the
    # next rebuild, which gives the same tables as the numbered part.
    store, zones = copied
    (load,) = [x for x in store.loads() if x["kind"] == "checkins"]
    part = store._part("checkins", load["sha256"], load["scope"])
    numbered = pq.read_table(part)
    assert numbered["venue"].to_pylist() == [0, 0, 0, 0, 0, 1, 1]  # A five times, then B
    pq.write_table(numbered.drop_columns("venue"), part)
    store.rebuild(tmp_path / "again")
    assert pq.read_table(part).equals(numbered)
    for name in TABLES:
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "again" / f"{name}.parquet"),
            pd.read_parquet(zones / f"{name}.parquet"),
        )


def test_person_ids_stay_in_the_store(filled):
    inputs, zones, _ = filled
    assert any(b"PERSON-SECRET" in data for data in _files(inputs).values())
    for name, data in _files(zones).items():
        assert b"PERSON-SECRET" not in data, name
    for name in TABLES:
        text = pd.read_parquet(zones / f"{name}.parquet").astype(str).to_csv()
        assert not any(secret in text for secret in SECRETS), name


def test_the_same_file_twice_changes_nothing(copied):
    store, zones = copied
    first = store.add("cases", "new-day.csv", _bytes(NEW_DAY_CSV), today=TODAY)
    store.rebuild(zones)
    files, build = _files(store.path), _files(zones)

    again = store.add("cases", "renamed.csv", _bytes(NEW_DAY_CSV), today=TODAY)
    assert again.already_loaded
    assert (again.name, again.accepted, again.quarantined) == ("new-day.csv", 1, 4)
    assert _rows(again) == _rows(first) == NEW_DAY_QUARANTINE
    assert store.check("cases", "x.csv", _bytes(NEW_DAY_CSV), today=TODAY).already_loaded
    assert _files(store.path) == files
    manifest = store.rebuild(zones)
    assert manifest["reuse"]["reason"] == "no input changed; the previous build ends on 2021-07-20"
    again_built = _files(zones)
    # The manifest says what was copied from the previous build; nothing else changes.
    before, after = (json.loads(made.pop("manifest.json")) for made in (build, again_built))
    assert {**before, "reuse": None} == {**after, "reuse": None}
    assert again_built == build


def test_the_new_day_reaches_the_build(copied, filled):
    store, zones = copied
    store.add("cases", "new-day.csv", _bytes(NEW_DAY_CSV), today=TODAY)
    manifest = store.rebuild(zones)
    assert filled[2]["date_range"] == ["2021-06-30", "2021-07-08"]
    assert manifest["date_range"] == ["2021-06-30", "2021-07-20"]
    assert manifest["inputs"]["cases"]["accepted"] == CASES_ACCEPTED + 1
    assert manifest["inputs"]["cases"]["quarantined"] == CASES_QUARANTINED + 4
    regions = pd.read_parquet(zones / "regions_daily.parquet")
    day = regions[(regions["region_code"] == "31.71.01.1001") & (regions["date"] == "2021-07-20")]
    assert day["new_cases"].tolist() == [1.0]
    quarantine = pd.read_csv(zones / "quarantine.csv")
    assert quarantine["file"].value_counts()["new-day.csv"] == 4


def test_ids_loaded_before_are_quarantined_as_duplicates(copied):
    store, _ = copied
    later = "case_id,reported_date,lat,lon\nc02,2021-07-21,-6.17505,106.82661\n"
    later += "n9,2021-07-21,-6.17505,106.82661\n"
    report = store.add("cases", "later.csv", _bytes(later), today=TODAY)
    assert (report.accepted, report.quarantined) == (1, 1)
    assert _rows(report) == [
        [
            "later.csv",
            2,
            "case_id",
            "duplicate",
            "c02",
            "duplicate case_id (already loaded from cases.csv)",
        ]
    ]
    venue = "venue_id,name,category,lat,lon\nVENUE-SECRET-A,Again,pharmacy,-6.17505,106.82661\n"
    report = store.check("venues", "venues-2.csv", _bytes(venue), today=TODAY)
    assert _rows(report) == [
        [
            "venues-2.csv",
            2,
            "venue_id",
            "duplicate",
            "VENUE-SECRET-A",
            "duplicate venue_id (already loaded from venues.csv)",
        ]
    ]
    checkins = "checkin_id,venue_id,checked_in_at\nk1,VENUE-SECRET-B,2021-07-21T10:00:00\n"
    report = store.check("checkins", "checkins-2.csv", _bytes(checkins), today=TODAY)
    assert _rows(report)[0][3:] == [
        "duplicate",
        "k1",
        "duplicate checkin_id (already loaded from checkins.csv)",
    ]


@pytest.mark.parametrize("failing", ["indexing cells", "cell metrics", "region metrics", "writing"])
def test_an_interrupted_rebuild_leaves_the_old_build_serving(copied, failing):
    store, zones = copied
    store.add("cases", "new-day.csv", _bytes(NEW_DAY_CSV), today=TODAY)
    before = _files(zones.parent)
    manifest = json.loads((zones / "manifest.json").read_text(encoding="utf-8"))
    seen = []

    def on_step(name: str, number: int, total: int) -> None:
        seen.append(name)
        if name == failing:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.rebuild(zones, on_step=on_step)
    assert seen[-1] == failing
    assert _files(zones.parent) == before  # the store, the link and the old version: unchanged
    assert json.loads((zones / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert manifest["date_range"] == ["2021-06-30", "2021-07-08"]


def test_a_rebuild_reports_every_step(copied):
    store, zones = copied
    steps = []
    store.rebuild(zones, on_step=lambda name, n, total: steps.append((name, n, total)))
    assert steps == [(name, n, 8) for n, name in enumerate(geo.build.STEPS, start=1)]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "c.csv",
            "case_id,lat\nx,1\n",
            "c.csv is missing the required column 'reported_date' for cases.",
        ),
        ("c.xlsx", "case_id\n", "c.xlsx: unknown file type '.xlsx'; use .csv or .parquet."),
        ("c.parquet", "case_id\n", "c.parquet is not a valid Parquet file"),
    ],
)
def test_a_refused_file_writes_nothing(tmp_path, name, text, message):
    store = InputStore(tmp_path / "inputs")
    with pytest.raises(InputFileError) as error:
        store.add("cases", f"C:\\Users\\me\\{name}", _bytes(text), today=TODAY)
    assert str(error.value).startswith(message)
    assert list((tmp_path / "inputs").iterdir()) == [tmp_path / "inputs" / ".lock"]
    assert store.loads() == []


def test_checkins_need_their_venues_in_the_store(tmp_path):
    store = InputStore(tmp_path / "inputs")
    report = store.check("checkins", "k.csv", _bytes(CHECKINS_CSV), today=TODAY)
    assert report.accepted == 0
    assert set(report.quarantine["check"]) == {"unknown_venue"}


def test_an_empty_store_is_not_built(tmp_path):
    with pytest.raises(BuildError, match="holds no cases yet: load a cases file first"):
        InputStore(tmp_path / "inputs").rebuild(tmp_path / "zones")
    assert not (tmp_path / "zones").exists()


def test_the_store_may_not_be_inside_the_build(tmp_path):
    with pytest.raises(BuildError, match="must not be inside the build"):
        InputStore(tmp_path / "zones" / "inputs").rebuild(tmp_path / "zones")


def test_the_store_sits_beside_the_build():
    assert inputs_beside("build/sample") == Path("build/sample-inputs")


def test_the_quarantine_download_neutralises_formulas(tmp_path):
    text = (
        "case_id,reported_date,lat,lon,region_code\n=HYPERLINK(1),2021-07-01,-6.17505,106.82661,\n"
    )
    text += "c2,=1+1,-6.17505,106.82661,\n"
    report = InputStore(tmp_path / "store").check("cases", "evil.csv", _bytes(text))
    assert report.quarantine["value"].tolist() == ["=1+1"]  # as read, on the page
    lines = report.quarantine_csv().decode("utf-8").splitlines()
    assert lines[1].split(",")[4] == '"\'=1+1"'  # the file a spreadsheet opens


def test_the_same_file_for_another_region_is_a_load_of_its_own(tmp_path):
    # One file with a case in Jakarta Pusat and one in Kota Bandung, loaded by four officials:
    # each region's load is its own (no region is told what another loaded).
    text = (
        "case_id,reported_date,lat,lon,region_code\nJ1,2021-07-01,,,31.71\nB1,2021-07-01,,,32.73\n"
    )
    store = InputStore(tmp_path / "store")
    pusat = store.add("cases", "both.csv", _bytes(text), scope="31.71", today=TODAY)
    bandung = store.add("cases", "both.csv", _bytes(text), scope="32", today=TODAY)
    kota = store.add("cases", "both.csv", _bytes(text), scope="32.73", today=TODAY)
    country = store.add("cases", "both.csv", _bytes(text), scope=None, today=TODAY)
    assert [(r.accepted, r.quarantined, r.already_loaded) for r in (pusat, bandung, kota)] == [
        (1, 1, False),  # J1; B1 outside 31.71
        (1, 1, False),  # B1; J1 outside 32
        (1, 1, False),  # B1 again, for 32.73: not a duplicate of 32's B1
    ]
    assert (country.accepted, country.quarantined) == (2, 0)
    assert [load["scope"] for load in store.loads()] == ["31.71", "32", "32.73", None]
    again = store.add("cases", "renamed.csv", _bytes(text), scope="32", today=TODAY)
    assert (again.already_loaded, again.name) == (True, "both.csv")  # same region: same load


# Three Bandung points; rows 2-3 reuse DKI's case ids, row 4 is outside the loader's region 32.
BANDUNG = (
    "case_id,reported_date,lat,lon\n{a},2021-07-01,{p}\n{b},2021-07-01,{p}\n{a}x,2021-07-01,{g}\n"
)


def _bandung(a: str, b: str) -> bytes:
    point, gambir = ",".join(map(str, SUKASARI)), ",".join(map(str, GAMBIR))
    return _bytes(BANDUNG.format(a=a, b=b, p=point, g=gambir))


def test_an_official_of_32_learns_nothing_from_dkis_ids(tmp_path):
    store = InputStore(tmp_path / "store")
    dki = "case_id,reported_date,lat,lon\nD1,2021-07-01,-6.17505,106.82661\n"
    dki += "D2,2021-07-01,-6.17505,106.82661\n"
    store.add("cases", "dki_juli_pasien.csv", _bytes(dki), scope="31", today=TODAY)

    fresh = store.check("cases", "jabar.csv", _bandung("F1", "F2"), scope="32", today=TODAY)
    probe = store.check("cases", "jabar.csv", _bandung("D1", "D2"), scope="32", today=TODAY)
    assert (probe.read, probe.accepted, probe.quarantined) == (3, 2, 1)
    assert (fresh.read, fresh.accepted, fresh.quarantined) == (3, 2, 1)
    assert probe.quarantine["check"].tolist() == fresh.quarantine["check"].tolist()
    assert probe.quarantine["check"].tolist() == ["outside_region"]
    assert probe.quarantine["reason"].tolist() == fresh.quarantine["reason"].tolist()
    assert "dki" not in probe.quarantine_csv().decode().lower()


def test_loading_another_regions_ids_first_does_not_block_it(tmp_path):
    store = InputStore(tmp_path / "store")
    squat = store.add("cases", "jabar.csv", _bandung("D3", "D4"), scope="32", today=TODAY)
    assert squat.accepted == 2
    dki = "case_id,reported_date,lat,lon\nD3,2021-07-01,-6.17505,106.82661\n"
    dki += "D4,2021-07-01,-6.17505,106.82661\nD3,2021-07-02,-6.17505,106.82661\n"
    own = store.add("cases", "dki.csv", _bytes(dki), scope="31", today=TODAY)
    assert (own.accepted, own.quarantined) == (2, 1)  # D3, D4; only DKI's own D3 repeated
    assert own.quarantine["reason"].tolist() == ["duplicate case_id (first at row 2)"]
    dki += "D5,2021-07-03,-6.17505,106.82661\n"
    later = store.add("cases", "dki-2.csv", _bytes(dki), scope="31", today=TODAY)
    assert later.quarantine["reason"].tolist() == [
        "duplicate case_id (already loaded from dki.csv)",  # DKI's own earlier load, named
        "duplicate case_id (already loaded from dki.csv)",
        "duplicate case_id (first at row 2)",
    ]


def _exposed_in_dki(store: InputStore, zones: Path) -> float:
    store.rebuild(zones)
    regions = pd.read_parquet(zones / "regions_daily.parquet")
    return regions.loc[regions["region_code"] == "31", "exposed_checkins"].sum()


def test_a_case_in_one_region_never_marks_check_ins_of_another(all_grids, tmp_path):
    # DKI loads its venues and check-ins (PERSON-SECRET-1 at A on 2021-06-30, k2 and k3 exposed
    # when that person is a case). An official of 32 reports the same person id in Bandung.
    store = InputStore(tmp_path / "store")
    store.add("venues", "venues.csv", _bytes(VENUES_CSV), scope="31", today=TODAY)
    store.add("checkins", "checkins.csv", _bytes(CHECKINS_CSV), scope="31", today=TODAY)
    point = ",".join(map(str, SUKASARI))
    case = f"case_id,reported_date,lat,lon,person_id\nj1,2021-07-01,{point},PERSON-SECRET-1\n"
    assert store.add("cases", "jabar.csv", _bytes(case), scope="32", today=TODAY).accepted == 1
    assert _exposed_in_dki(store, tmp_path / "zones") == 0
    # The same person reported by DKI itself marks k2 and k3.
    gambir = ",".join(map(str, GAMBIR))
    case = f"case_id,reported_date,lat,lon,person_id\nd1,2021-07-01,{gambir},PERSON-SECRET-1\n"
    assert store.add("cases", "dki.csv", _bytes(case), scope="31", today=TODAY).accepted == 1
    assert _exposed_in_dki(store, tmp_path / "zones") == 2


def test_venue_ids_of_two_regions_never_meet(all_grids, tmp_path):
    # Both regions call a venue VENUE-SECRET-A; DKI's check-ins stay at DKI's venue.
    store = InputStore(tmp_path / "store")
    point = ",".join(map(str, SUKASARI))
    jabar = f"venue_id,name,category,lat,lon\nVENUE-SECRET-A,Toko,pharmacy,{point}\n"
    assert store.add("venues", "v.csv", _bytes(jabar), scope="32", today=TODAY).accepted == 1
    assert store.add("venues", "venues.csv", _bytes(VENUES_CSV), scope="31").accepted == 3
    store.add("checkins", "checkins.csv", _bytes(CHECKINS_CSV), scope="31", today=TODAY)
    gambir = ",".join(map(str, GAMBIR))
    case = f"case_id,reported_date,lat,lon\nd1,2021-07-01,{gambir}\n"
    store.add("cases", "dki.csv", _bytes(case), scope="31", today=TODAY)
    store.rebuild(tmp_path / "zones")
    regions = pd.read_parquet(tmp_path / "zones" / "regions_daily.parquet")
    checkins = regions.groupby("region_code")["checkins"].sum()
    assert (checkins["31"], checkins.get("32", 0)) == (7, 0)


def test_monthly_cumulative_files_are_differenced_together_and_a_later_total_wins(tmp_path):
    # Gambir's running total: 10 on 05-31, 16 on 06-30 (then corrected to 14 by a re-sent
    # June file), 20 on 07-31. Loaded one file at a time; together 20 cases, 0 corrections.
    store = InputStore(tmp_path / "inputs")
    head = "date,village_code,total_cases\n"
    files = {
        "may.csv": "2021-05-31,31.71.01.1001,10\n",
        "june.csv": "2021-06-30,31.71.01.1001,16\n",
        "june-fixed.csv": "2021-06-30,31.71.01.1001,14\n",
        "july.csv": "2021-07-31,31.71.01.1001,20\n",
    }
    for name, rows in files.items():
        report = store.add("cases", name, (head + rows).encode(), today=TODAY, cumulative=True)
        assert report.accepted == 1
    assert [x.get("cumulative") for x in store.loads()] == [True] * 4
    manifest = store.rebuild(tmp_path / "zones")
    assert manifest["inputs"]["cases"]["accepted"] == 4
    assert manifest["inputs"]["cases"]["cumulative"]["cases"] == 20
    assert manifest["inputs"]["cases"]["cumulative"]["corrections"] == 0
    regions = pd.read_parquet(tmp_path / "zones" / "regions_daily.parquet")
    gambir = regions[regions["region_code"] == "31.71.01.1001"].set_index("date")["new_cases"]
    assert gambir.sum() == 20
    assert gambir[: pd.Timestamp("2021-06-30")].sum() == 14  # the re-sent June total
    assert pd.read_csv(tmp_path / "zones" / "corrections.csv").empty


# --- Code editions: a load is read in its edition and kept in 2025 codes -----------------------

EXCERPT = Path(__file__).resolve().parent / "fixtures" / "province_daily_2020_excerpt.csv"
DETECTED = {
    "edition": "2020",
    "how": "detected by dates: rows coded 91, 92 are all dated before 2022-07-25",
}
# 2020 kabupaten codes: 91.01 Merauke (today 93.01, Papua Selatan), 91.03 Jayapura (unchanged).
KABUPATEN = "date,region_code,new_cases\n2020-12-01,91.01,5\n2020-12-01,91.03,7\n"


def _coarse():
    config = load_config()
    return config.model_copy(update={"cells": config.cells.model_copy(update={"resolutions": [6]})})


def test_a_2020_file_loaded_and_rebuilt_equals_its_build(all_grids, tmp_path):
    store = InputStore(tmp_path / "inputs")
    report = store.add("cases", EXCERPT.name, EXCERPT.read_bytes(), today=TODAY)
    assert (report.read, report.accepted, report.quarantined) == (9, 9, 0)
    assert report.codes == {
        **DETECTED,
        "rows_2020": 9,
        "renumbered_rows": 0,
        "apportioned_rows": 6,
        "apportioned_cases": 80 + 30 + 1748 + 76 + 19 + 6,
        "apportioned": {"91": ["91", "93", "94", "95"], "92": ["92", "96"]},
    }
    assert store.loads()[0]["codes"] == report.codes  # store.json
    stored = pd.read_parquet(tmp_path / "inputs" / "cases" / f"{report.sha256}.parquet")
    assert len(stored) == 3 + 3 * 4 + 3 * 2  # translated once, when loaded
    manifest = store.rebuild(tmp_path / "zones", config=_coarse())
    assert manifest["inputs"]["cases"]["codes"] == {
        "edition": "2025",
        "how": "translated when loaded (loads)",
        "loads": [{"name": EXCERPT.name, "sha256": report.sha256, "scope": None, **report.codes}],
    }
    geo.build.build(EXCERPT, None, None, tmp_path / "built", config=_coarse(), today=TODAY)
    for name in TABLES:
        from_store = pd.read_parquet(tmp_path / "zones" / f"{name}.parquet")
        from_files = pd.read_parquet(tmp_path / "built" / f"{name}.parquet")
        pd.testing.assert_frame_equal(from_store, from_files)
    regions = pd.read_parquet(tmp_path / "zones" / "regions_daily.parquet")
    first = regions[regions["date"] == pd.Timestamp("2020-12-01")].set_index("region_code")
    assert first.loc[["91", "93", "94", "95", "92", "96", "31"], "new_cases"].tolist() == [
        20, 10, 24, 26, 37, 39, 1058
    ]  # fmt: skip


def test_a_load_declared_2025_with_codes_only_of_2020_is_refused_whole(tmp_path):
    store = InputStore(tmp_path / "inputs")
    message = (
        "kabupaten.csv is declared in 2025 codes (--codes 2025) but its region codes make "
        "sense only in the 2020 edition (Permendagri 72/2019) (e.g. 91.01); give --codes 2020."
    )
    for action in (store.check, store.add):
        with pytest.raises(InputFileError, match=f"^{re.escape(message)}$"):
            action("cases", "kabupaten.csv", _bytes(KABUPATEN), today=TODAY, codes="2025")
    assert store.loads() == []
    declared = store.add("cases", "kabupaten.csv", _bytes(KABUPATEN), today=TODAY, codes="2020")
    assert declared.codes["how"] == "declared: 2020 (--codes, or input.codes)"
    assert declared.codes["renumbered_rows"] == 1
    stored = pd.read_parquet(tmp_path / "inputs" / "cases" / f"{declared.sha256}.parquet")
    assert stored[["region_code", "count"]].values.tolist() == [["93.01", 5], ["91.03", 7]]


def test_an_officials_scope_applies_to_the_2020_codes_successors(tmp_path):
    # Papua (2025: 91) loads 2020 codes: 2020's 91 is also today's 93, 94 and 95, so it is
    # outside 91 as a province row is outside a regency's scope; 91.01 is today's 93.01.
    store = InputStore(tmp_path / "inputs")
    papua = store.add("cases", "kabupaten.csv", _bytes(KABUPATEN), scope="91", today=TODAY)
    assert (papua.accepted, papua.quarantined) == (1, 1)
    assert _rows(papua) == [
        [
            "kabupaten.csv",
            2,
            "region_code",
            "outside_region",
            "91.01",
            "the case is outside your region 91 (Papua): region code 91.01 of the 2020 "
            "edition is today's 93.01",
        ]
    ]
    south = store.add("cases", "kabupaten.csv", _bytes(KABUPATEN), scope="93", today=TODAY)
    assert _rows(south)[0][4:] == ["91.03", "the case is outside your region 93 (Papua Selatan)"]
    stored = pd.read_parquet(store._part("cases", south.sha256, "93"))
    assert stored[["region_code", "count"]].values.tolist() == [["93.01", 5]]
    province = store.check("cases", EXCERPT.name, EXCERPT.read_bytes(), scope="91", today=TODAY)
    assert (province.accepted, province.quarantined) == (0, 9)
    assert province.quarantine["reason"].tolist()[3] == (
        "the case is outside your region 91 (Papua): region code 91 of the 2020 edition is "
        "today's 91, 93, 94, 95"
    )


def test_cumulative_2020_loads_are_one_series_in_2025_codes(all_grids, tmp_path):
    # Papua's running total 44 then 45, in two files: D'Hondt gives 91, 93, 94, 95 11, 5, 13,
    # 15 then 11, 5, 14, 15 (largest remainder would lower 93 from 6 to 5: a correction).
    store = InputStore(tmp_path / "inputs")
    for day, total in (("2020-12-01", 44), ("2020-12-02", 45)):
        text = f"date,province_code,total_cases\n{day},91,{total}\n"
        report = store.add("cases", f"{day}.csv", _bytes(text), today=TODAY, cumulative=True)
        assert report.codes["edition"] == "2020"
    manifest = store.rebuild(tmp_path / "zones", config=_coarse())
    assert [x["edition"] for x in manifest["inputs"]["cases"]["codes"]["loads"]] == ["2020"] * 2
    assert manifest["inputs"]["cases"]["cumulative"]["corrections"] == 0
    regions = pd.read_parquet(tmp_path / "zones" / "regions_daily.parquet")
    new = regions.pivot_table("new_cases", "date", "region_code", aggfunc="sum")
    assert new[["91", "93", "94", "95"]].values.tolist() == [[11, 5, 13, 15], [0, 0, 1, 0]]
