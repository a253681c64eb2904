"""The build on the hand-made inputs: totals kept at every level, privacy, reproducibility, atomicity.

The inputs are described in ``pipeline_fixtures``: 10 accepted cases (5 with a point in DKI or
Bandung, 5 region-coded), 7 accepted check-ins at 2 DKI venues, 2021-06-30 to 2021-07-08.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import h3
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pipeline_fixtures import (
    CASES_ACCEPTED,
    CASES_CSV,
    RESOLUTIONS,
    SECRETS,
    TODAY,
    assert_same_build,
    cases,
    checkins,
    run_build,
    venues,
    write,
)

import geo.build
import geo.cells
import geo.store
from geo import __version__, reference
from geo.build import Inputs
from geo.config import load_config
from geo.errors import BuildError, InputFileError
from geo.rowsource import FrameRows

pytest_plugins = ["pipeline_fixtures"]

D = dt.date

FILES = [
    "allocated_daily.parquet",
    "categories_daily.parquet",
    "cells.parquet",
    "cells_daily.parquet",
    "config.json",
    "days.parquet",
    "input_days.parquet",
    "manifest.json",
    "quarantine.csv",
    "regions.parquet",
    "regions_daily.parquet",
    "reports.parquet",
]


@pytest.fixture(scope="module")
def tables(built):
    out, _ = built
    return {
        name: pd.read_parquet(out / f"{name}.parquet")
        for name in ("cells_daily", "regions_daily", "cells", "regions")
    }


def test_build_writes_every_file(built):
    out, _ = built
    assert out.is_symlink()
    assert sorted(p.name for p in out.iterdir()) == FILES


def test_manifest_fields(built, inputs):
    out, manifest = built
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(manifest, default=str)
    )
    assert manifest["package"] == "pantauzona"
    assert manifest["version"] == __version__
    assert manifest["preset"] == "pantauzona"
    assert manifest["config_sha256"] == load_config().digest()
    assert manifest["reference_data_sha256"] == reference.data_digest()
    assert manifest["resolutions"] == list(RESOLUTIONS)
    # The first check-in (06-30) to the last case (07-08).
    assert manifest["date_range"] == ["2021-06-30", "2021-07-08"]
    assert manifest["inputs"] == {
        "cases": {
            "sha256": geo.readers.sha256_of(inputs["cases"]),
            "read": 21,
            "accepted": 10,
            "quarantined": 11,
            "format": "csv",
            "delimiter": "comma",
            "encoding": "utf-8",
            "codes": {
                "edition": "2025",
                "how": "detected: codes that exist only in the 2025 edition (Kemendagri) "
                "(e.g. 92.02.31)",
            },
        },
        "checkins": {
            "sha256": geo.readers.sha256_of(inputs["checkins"]),
            "read": 8,
            "accepted": 7,
            "quarantined": 1,
            "format": "csv",
            "delimiter": "comma",
            "encoding": "utf-8",
        },
        "venues": {
            "sha256": geo.readers.sha256_of(inputs["venues"]),
            "read": 4,
            "accepted": 3,
            "quarantined": 1,
            "format": "csv",
            "delimiter": "comma",
            "encoding": "utf-8",
        },
    }
    for counts in manifest["inputs"].values():
        assert counts["accepted"] + counts["quarantined"] == counts["read"]
    assert manifest["privacy"] == {"min_count": 10}
    # 9 days, fewer than the 14 reports that make a region usual: every day is complete
    assert manifest["latest_complete_day"] == "2021-07-08"
    assert manifest["absent_cell"] == {
        "populated": {
            "risk": "green",
            "risk_reason": "green: 0 cases per 100k in 7 days (< 20) with 0 cases",
        },
        "unpopulated": {
            "risk": "no_data",
            "risk_reason": "no data: no resident population recorded for this zone",
        },
        "uncovered": {
            "risk": "no_data",
            "risk_reason": "no data: no reports from this region since {date}",
        },
    }


def test_manifest_row_counts_match_the_files(built):
    out, manifest = built
    for name in ("cells_daily", "regions_daily", "cells", "regions", "days"):
        assert pq.read_metadata(out / f"{name}.parquet").num_rows == manifest["tables"][name]
    assert manifest["tables"]["regions"] == 8104 + 5957  # regions.csv and the Jawa Barat villages
    assert manifest["tables"]["regions_daily"] == 14061 * 9  # every region on each of 9 days
    assert manifest["tables"]["quarantine"] == 11 + 1 + 1
    assert manifest["tables"]["days"] == 9
    assert len(pd.read_csv(out / "quarantine.csv")) == 13


def test_config_json_is_the_configuration(built):
    out, _ = built
    assert json.loads(
        (out / "config.json").read_text(encoding="utf-8")
    ) == load_config().model_dump(mode="json")


def test_total_cases_are_the_same_at_every_resolution(tables, built):
    # Cells hold their located events only (5 point cases); the 5 region-coded cases stay at
    # their allocation targets, composed into cells on read (tests/test_compose.py).
    cells = tables["cells_daily"]
    for res in RESOLUTIONS:
        rows = cells[cells["resolution"] == res]
        assert rows["new_cases"].sum() == CASES_ACCEPTED - 5
        assert rows["new_cases_allocated"].sum() == 0
        assert rows["checkins"].sum() == 7
        assert rows["exposed_checkins"].sum() == 2  # k2 and k3
    allocated = pd.read_parquet(built[0] / "allocated_daily.parquet")
    assert allocated["new_cases"].sum() == 5
    # c05 in its kelurahan, c06 in its kecamatan, c08 in Surabaya, c09 in DKI, and the case
    # of Aimasi (92.02.31, no boundary) in its regency.
    assert set(allocated["target_code"]) == {"31.71.01.1002", "31.74.01", "35.78", "31", "92.02"}


@pytest.mark.parametrize(
    ("level", "cases", "shared"),
    [
        ("province", 10, 0),  # every case, counted exactly
        # A region below a reporting target takes its population's share of the target's counts
        # (as its cells on the map): c09 (DKI) shared over DKI's kab/kota, kecamatan, kelurahan.
        ("regency", 10, 1),
        # and c08 (Surabaya) over its kecamatan, Aimasi's case over 92.02's other kecamatan
        # (Aimasi has no cells, so no people: it keeps its own case too, counted twice here).
        ("district", 11, 3),
        # DKI: c01-c04 (points), c05 (kelurahan code), c07 (a Bandung point); c09 and Tebet's c06
        # shared over their kelurahan.
        ("village", 8, 2),
    ],
)
def test_total_cases_at_each_region_level(tables, level, cases, shared):
    regions = tables["regions_daily"]
    rows = regions[regions["region_level"] == level]
    assert rows["new_cases"].sum() == pytest.approx(cases, rel=1e-12)
    assert rows["new_cases_allocated"].sum() == pytest.approx(shared, rel=1e-12)


def test_cases_counted_at_their_own_regions(tables):
    regions = tables["regions_daily"]
    total = regions.groupby("region_code")[["new_cases", "new_cases_allocated"]].sum()
    own = total["new_cases"] - total["new_cases_allocated"]
    assert own["31"] == 7  # c01-c06 and c09
    assert own["31.71"] == 5  # c01-c05
    assert own["31.71.01"] == 5
    assert own["31.71.01.1001"] == 3  # Gambir: c01-c03
    assert own["31.71.01.1002"] == 2  # Cideng: c04 and c05
    assert own["31.74.01"] == 1  # Tebet: c06
    assert own["31.74.01.1001"] == 0  # the kecamatan code is not a kelurahan's own case
    assert own["92.02.31"] == 1  # a kecamatan without boundary still counts
    assert own["35.78"] == 1
    assert own["32.73.01"] == 1
    assert own["32.73.01.1003"] == 1  # c07 in its Jawa Barat village, Isola
    # Jakarta Pusat (1,147,917 of DKI's 11,011,862 people) also takes its share of c09.
    assert total.loc["31.71", "new_cases"] == pytest.approx(5 + 1147917 / 11011862, rel=1e-6)
    assert total.loc["31.74.01.1001", "new_cases_allocated"] > 0


def test_a_cell_row_checked_by_hand(tables, base_grid):
    cells = tables["cells_daily"]
    gambir = cells[
        (cells["resolution"] == 9)
        & (cells["village_code"] == "31.71.01.1001")
        & (cells["date"] == pd.Timestamp("2021-07-01"))
        & (cells["new_cases"] == 3)
    ]
    assert len(gambir) == 1
    row = gambir.iloc[0]
    # Gambir's 3,088 people over its 25 cells: 123.52 per cell; 3 cases: 3 * 1e5 / 123.52.
    pos = reference.regions().index.get_loc("31.71.01.1001")
    n_cells = int((base_grid.table["village_idx"] == pos).sum())
    assert n_cells == 25
    assert row["population"] == pytest.approx(3088 / 25)
    assert row["cases_per_100k_7d"] == pytest.approx(3 / (3088 / 25) * 1e5)
    assert row["risk"] == "orange"
    assert row["risk_reason"] == (
        "orange: 2,429 cases per 100k in 7 days (≥ 150) but only 3 cases in 7 days "
        "(red needs at least 5)"
    )
    assert row["risk_metric"] == "cases_per_100k_7d"
    assert (row["province_code"], row["regency_code"], row["district_code"]) == (
        "31",
        "31.71",
        "31.71.01",
    )


def test_population_is_conserved_across_region_levels(tables, base_grid):
    regions = tables["regions"].set_index("region_code")
    total = base_grid.table["population"].sum()
    provinces = regions[regions["region_level"] == "province"]
    assert provinces["population"].sum() == pytest.approx(total, rel=1e-12)
    for child_level, parent_level in (
        ("district", "regency"),
        ("regency", "province"),
        ("village", "district"),
    ):
        children = regions[regions["region_level"] == child_level]
        sums = children.groupby("parent_code")["population"].sum()
        parents = regions.loc[sums.index]
        assert (parents["region_level"] == parent_level).all()
        assert sums.to_numpy() == pytest.approx(parents["population"].to_numpy(), rel=1e-9)
    # Outside DKI a regency's population is its Dukcapil 2025 count.
    assert regions.loc["32.73", "population"] == pytest.approx(2_591_763)
    assert regions.loc["31.71.01.1001", "population"] == pytest.approx(3088)


def test_person_ids_never_leave_the_inputs(built):
    out, _ = built
    for path in out.iterdir():
        data = path.read_bytes()
        assert b"PERSON-SECRET" not in data, path.name
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            assert not any("person" in name for name in table.column_names)
            text = table.to_pandas().astype(str).to_csv()
            assert "PERSON-SECRET" not in text, path.name


@pytest.mark.parametrize("name", ["cells_daily", "regions_daily", "cells", "regions"])
def test_venue_names_and_ids_never_reach_the_zone_tables(built, name):
    out, _ = built
    path = out / f"{name}.parquet"
    text = pd.read_parquet(path).astype(str).to_csv() + json.dumps(pq.read_schema(path).names)
    for secret in SECRETS:
        assert secret not in text
        assert secret.encode() not in path.read_bytes()


def test_two_builds_of_the_same_inputs_are_byte_identical(built, inputs, tmp_path, monkeypatch):
    # Every file, byte for byte: nothing is excluded (the manifest holds no time stamp). The
    # second build sums its events in another order (shuffled before the windows), as DuckDB's
    # threads may: counts are summed in fixed point, so the order cannot change a bit.
    windows = geo.build.windows

    def shuffled(events, **kwargs):
        return windows(events.sample(frac=1, random_state=7), **kwargs)

    daily = geo.build.Daily

    def shuffled_daily(events, since, end):
        return daily(events.sample(frac=1, random_state=7), since, end)

    monkeypatch.setattr(geo.build, "windows", shuffled)
    monkeypatch.setattr(geo.build, "Daily", shuffled_daily)
    out, manifest = built
    again = run_build(inputs, tmp_path / "again")
    assert again == manifest
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "again").iterdir()) == FILES
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


@pytest.mark.parametrize("days", ["1", "4"])
def test_the_days_of_a_chunk_change_memory_not_the_build(
    built, inputs, tmp_path, monkeypatch, days
):
    # PANTAUZONA_CHUNK_DAYS computes another number of days at a time: every table is the same.
    monkeypatch.setenv(geo.build.CHUNK_DAYS_ENV, days)
    assert geo.build.chunk_days() == int(days)
    run_build(inputs, tmp_path / "chunked")
    assert_same_build(built[0], tmp_path / "chunked")


@pytest.mark.parametrize("text", ["0", "two", "-1", "2.5"])
def test_a_chunk_of_days_that_is_not_a_whole_number_is_refused(monkeypatch, text):
    monkeypatch.setenv(geo.build.CHUNK_DAYS_ENV, text)
    with pytest.raises(BuildError) as refused:
        geo.build.chunk_days()
    assert str(refused.value) == (
        f"PANTAUZONA_CHUNK_DAYS must be a whole number of days, 1 or more (it is {text!r})."
    )


def _versions(out):
    return sorted(p.name for p in (out.parent / f".{out.name}.versions").iterdir())


def test_an_interrupted_build_leaves_the_previous_one_intact(built, inputs, tmp_path, monkeypatch):
    # A copy of the fixture build (its link is relative, so the copy points at its own version).
    shutil.copytree(built[0].parent, tmp_path, symlinks=True, dirs_exist_ok=True)
    out, manifest = tmp_path / built[0].name, built[1]
    assert out.is_symlink()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    versions = _versions(out)
    write_parquet = geo.store.write_parquet
    calls = []

    def fail_after_first(frame, path):
        calls.append(path.name)
        if len(calls) > 1:
            raise OSError("disk full")
        write_parquet(frame, path)

    monkeypatch.setattr(geo.store, "write_parquet", fail_after_first)
    with pytest.raises(
        BuildError,
        match=re.escape(
            f"Cannot write {out}: disk full; try again; the previous build is unchanged."
        ),
    ):
        run_build(inputs, out)
    assert len(calls) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _versions(out) == versions  # no stray version folder
    assert geo.store.read_manifest(out) == json.loads(json.dumps(manifest))
    assert (
        len(pd.read_parquet(out / "regions_daily.parquet")) == manifest["tables"]["regions_daily"]
    )

    monkeypatch.setattr(geo.store, "write_parquet", write_parquet)

    def broken(*args, **kwargs):
        raise RuntimeError("killed midway")

    monkeypatch.setattr(geo.build, "_cells_daily", broken)
    with pytest.raises(RuntimeError, match="killed midway"):
        run_build(inputs, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _versions(out) == versions
    assert not list(tmp_path.glob(".zones.link-*"))

    monkeypatch.undo()
    rerun = run_build(inputs, out)
    assert rerun["tables"] == manifest["tables"]
    assert rerun["inputs"] == manifest["inputs"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "cases.csv",
            "id,day\nc1,2021-07-01\n",
            r"^cases\.csv is missing the required columns 'case_id', 'reported_date' for cases\.$",
        ),
        (
            "cases.xlsx",
            CASES_CSV,
            r"^cases\.xlsx: unknown file type '\.xlsx'; use \.csv or \.parquet\.$",
        ),
        ("cases.parquet", CASES_CSV, r"^cases\.parquet is not a valid Parquet file"),
        (None, None, r"^The cases file .*absent\.csv does not exist\.$"),
    ],
)
def test_refused_files_write_nothing(tmp_path, name, content, message):
    path = write(tmp_path / "in" / name, content) if name else tmp_path / "in" / "absent.csv"
    out = tmp_path / "zones"
    with pytest.raises(InputFileError, match=message):
        geo.build.build(path, None, None, out, today=TODAY)
    assert not out.exists()
    assert not (tmp_path / ".zones.versions").exists()


def test_a_refused_checkins_file_writes_nothing(inputs, tmp_path):
    bad = write(tmp_path / "checkins.csv", "checkin_id,venue\nk1,A\n")
    out = tmp_path / "zones"
    with pytest.raises(
        InputFileError,
        match=r"^checkins\.csv is missing the required columns 'venue_id', 'checked_in_at' for check-ins\.$",
    ):
        geo.build.build(inputs["cases"], bad, inputs["venues"], out, today=TODAY)
    assert not out.exists()


def test_the_staged_checkins_are_removed_after_a_build_and_after_a_refusal(
    inputs, tmp_path, monkeypatch
):
    staging = tmp_path / "tmp"
    monkeypatch.setenv("PANTAUZONA_TMPDIR", str(staging))
    manifest = run_build(inputs, tmp_path / "zones")
    assert manifest["inputs"]["checkins"]["accepted"] == 7
    assert staging.is_dir()  # the check-ins were staged there,
    assert list(staging.glob("pantauzona-ingest-*")) == []  # and removed
    # the cases are refused after the check-ins were staged
    no_place = write(tmp_path / "cases.csv", "case_id,reported_date\nc1,2021-07-01\n")
    with pytest.raises(InputFileError, match=r"^cases\.csv has no location columns"):
        geo.build.build(
            no_place, inputs["checkins"], inputs["venues"], tmp_path / "z2", today=TODAY
        )
    assert list(staging.glob("pantauzona-ingest-*")) == []


def test_the_staged_checkins_are_the_rows_of_a_build(inputs):
    """With check-ins staged, the build reads them (not empty frames), and by every date range
    they are the rows the whole-file validation gives in memory."""
    config = load_config()
    staged = geo.build.read_inputs(
        inputs["cases"], inputs["checkins"], inputs["venues"], today=TODAY
    )
    try:
        assert staged.checkins is not None
        assert staged.checkins.accepted.empty  # the rows are on disk,
        assert staged.checkins.counts["accepted"] == 7  # and counted
        rows = geo.build.row_source(staged, config)
        assert rows is staged.staged
        checked_venues = venues(inputs["venues"])
        whole = Inputs(
            cases(inputs["cases"]),
            checkins(inputs["checkins"], checked_venues.accepted),
            checked_venues,
        )
        frames = geo.build.row_source(whole, config)
        assert isinstance(frames, FrameRows)
        assert rows.date_range() == frames.date_range() == (D(2021, 6, 30), D(2021, 7, 8))
        for start, end in [
            (D(2021, 6, 30), D(2021, 7, 8)),
            (D(2021, 7, 1), D(2021, 7, 1)),
            (D(2021, 7, 2), D(2021, 7, 3)),
        ]:
            got, expected = rows.venue_days(start, end), frames.venue_days(start, end)
            pd.testing.assert_frame_equal(got, expected, check_dtype=False)
        assert rows.venue_days(D(2021, 6, 30), D(2021, 7, 8))["checkins"].sum() == 7
    finally:
        staged.close()


def test_checkins_need_their_venues(inputs, tmp_path):
    with pytest.raises(
        BuildError,
        match=re.escape(
            "Check-ins need their venues: give both --checkins and --venues, or neither."
        ),
    ):
        geo.build.build(inputs["cases"], inputs["checkins"], None, tmp_path / "zones", today=TODAY)


def test_nothing_accepted_is_refused_and_its_quarantine_written_beside(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,region_code\nc1,2031-01-01,31\nc2,1999-01-01,31\n",
    )
    beside = tmp_path / "zones.quarantine.csv"
    with pytest.raises(
        BuildError,
        match=re.escape(
            "No input row was accepted, so there is nothing to build; the 2 quarantined rows and "
            f"why they were refused are in {beside}."
        ),
    ):
        geo.build.build(path, None, None, tmp_path / "zones", today=TODAY)
    assert not (tmp_path / "zones").exists()
    assert pd.read_csv(beside)[["row", "check"]].values.tolist() == [
        [2, "future"],
        [3, "too_early"],
    ]
    # A later build that succeeds removes the refusal's quarantine, now out of date.
    good = write(tmp_path / "good.csv", "case_id,reported_date,region_code\nc1,2021-07-01,31\n")
    geo.build.build(good, None, None, tmp_path / "zones", today=TODAY)
    assert not beside.exists()


def test_files_without_rows_are_refused_with_a_sentence(tmp_path):
    path = write(tmp_path / "cases.csv", "case_id,reported_date,region_code\n")
    with pytest.raises(
        BuildError,
        match=re.escape(
            "The input files hold no rows (only their headers), so there is nothing to build."
        ),
    ):
        geo.build.build(path, None, None, tmp_path / "zones", today=TODAY)
    assert not (tmp_path / "zones").exists()


def test_an_existing_folder_that_is_not_a_build_is_refused_before_any_work(inputs, tmp_path):
    out = tmp_path / "zones"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    steps = []
    with pytest.raises(
        BuildError,
        match=re.escape(
            f"{out} exists and is not a PantauZona build; remove it or choose another --out."
        ),
    ):
        run_build(inputs, out, on_step=lambda *step: steps.append(step))
    assert steps == []  # refused before reading a file
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_cases_only_build_and_progress_steps(inputs, tmp_path):
    steps = []
    manifest = geo.build.build(
        inputs["cases"],
        None,
        None,
        tmp_path / "zones",
        today=TODAY,
        on_step=lambda name, number, total: steps.append((name, number, total)),
    )
    assert set(manifest["inputs"]) == {"cases"}
    assert manifest["date_range"] == ["2021-07-01", "2021-07-08"]
    assert [s[0] for s in steps] == [s for s in geo.build.STEPS if s != "exposure"]
    assert all(total == len(geo.build.STEPS) for _, _, total in steps)
    cells = pd.read_parquet(tmp_path / "zones" / "cells_daily.parquet")
    assert cells["checkins"].sum() == 0


def test_a_preset_changes_the_colours_not_the_counts(inputs, tmp_path, tables):
    manifest = run_build(inputs, tmp_path / "mikro", config=load_config(preset="ppkm_mikro"))
    assert manifest["preset"] == "ppkm_mikro"
    regions = pd.read_parquet(tmp_path / "mikro" / "regions_daily.parquet")
    assert regions["new_cases"].sum() == tables["regions_daily"]["new_cases"].sum()
    row = regions[
        (regions["region_code"] == "31.71.01.1001")
        & (regions["date"] == pd.Timestamp("2021-07-01"))
    ]
    # PPKM Mikro: 3 cases in 7 days is more than 0 and not more than 5.
    assert row[["risk", "risk_reason"]].values.tolist() == [
        ["orange", "orange: 3 cases in 7 days (> 0)"]
    ]


def test_copy_of_a_build_reads_the_same(built, tmp_path):
    out, manifest = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    assert geo.store.read_manifest(copy)["tables"] == manifest["tables"]


def test_counts_are_summed_and_a_zero_report_is_a_report(tmp_path):
    # Gambir (31.71.01.1001) reports 5 then 0; a point in Gambir counts 3; Cideng (31.71.01.1002)
    # reports 0 once. Total 8 cases; both kelurahan are reporting regions, Kemayoran is not.
    path = write(
        tmp_path / "counts.csv",
        """\
        date,village_code,lat,lon,new_cases
        2021-07-01,31.71.01.1001,,,5
        2021-07-02,31.71.01.1001,,,0
        2021-07-02,,-6.1754,106.8272,3
        2021-07-02,31.71.01.1002,,,0
        """,
    )
    manifest = geo.build.build(path, None, None, tmp_path / "zones", today=TODAY)
    assert manifest["inputs"]["cases"]["renamed"] == {
        "date": "reported_date",
        "village_code": "region_code",
        "new_cases": "count",
    }
    assert manifest["inputs"]["cases"]["accepted"] == 4
    regions = pd.read_parquet(tmp_path / "zones" / "regions_daily.parquet")
    new = regions.set_index(["region_code", "date"])["new_cases"]
    assert new[("31", pd.Timestamp("2021-07-01"))] == 5
    assert new[("31", pd.Timestamp("2021-07-02"))] == 3
    assert new[("31.71.01.1001", pd.Timestamp("2021-07-02"))] == 3  # the point lies in Gambir
    reporting = pd.read_parquet(tmp_path / "zones" / "regions.parquet").set_index("region_code")
    assert reporting.loc["31.71.01.1002", "reporting"]
    assert not reporting.loc["31.71.03.1001", "reporting"]
    cells = pd.read_parquet(tmp_path / "zones" / "cells_daily.parquet")
    assert cells.groupby("resolution")["new_cases"].sum().eq(3).all()  # the located point
    allocated = pd.read_parquet(tmp_path / "zones" / "allocated_daily.parquet")
    assert allocated.set_index("date")["new_cases"].to_dict() == {
        pd.Timestamp("2021-07-01"): 5,  # Gambir's 5, kept at Gambir
        pd.Timestamp("2021-07-02"): 0,  # (its 7-day window)
    }
    # A zero report covers its region; a region with no report has no data, never green.
    rows = regions.set_index(["region_code", "date"])
    day1, day2 = pd.Timestamp("2021-07-01"), pd.Timestamp("2021-07-02")
    assert rows.loc[("31.71.01.1002", day2), ["risk", "covered"]].tolist() == ["green", True]
    assert rows.loc[("31.71.01.1002", day1), ["risk", "covered"]].tolist() == ["no_data", False]
    assert rows.loc[("31.71.01.1002", day1), "risk_reason"] == (
        "no data: no report from this region yet"
    )
    # Kemayoran: nothing of its own; on the 2nd the located point reports DKI, which covers it.
    assert rows.loc[("31.71.03.1001", day1), "risk"] == "no_data"
    assert rows.loc[("31.71.03.1001", day2), ["risk", "covered"]].tolist() == ["no_data", True]
    reports = pd.read_parquet(tmp_path / "zones" / "reports.parquet")
    assert reports.values.tolist() == [
        ["31", day2],
        ["31.71.01.1001", day1],
        ["31.71.01.1001", day2],
        ["31.71.01.1002", day2],
    ]


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_cumulative_kelurahan_series_keeps_every_last_total(tmp_path):
    # tests/fixtures/dki_kelurahan_cumulative.csv: month-end running totals of 3 kelurahan of
    # Gambir; Petojo Utara falls from 1,789 to 1,771 on 07-31 (a correction).
    out = tmp_path / "zones"
    manifest = geo.build.build(
        FIXTURES / "dki_kelurahan_cumulative.csv",
        None,
        None,
        out,
        today=TODAY,
        cases_cumulative=True,
    )
    cases = manifest["inputs"]["cases"]
    assert (cases["read"], cases["accepted"], cases["quarantined"]) == (9, 9, 0)
    assert cases["renamed"] == {
        "date": "reported_date",
        "village_code": "region_code",
        "total_cases": "count",
    }
    # 3 places x (1 + 30 + 31) days from 05-31 to 07-31; 512 + 1,453 + 1,771 cases.
    assert cases["cumulative"] == {
        "places": 3,
        "regions": 3,
        "reports": 9,
        "days": 186,
        "days_filled": 177,
        "corrections": 1,
        "cases": 3736,
    }
    regions = pd.read_parquet(out / "regions_daily.parquet")
    totals = regions.groupby("region_code")["new_cases"].sum()
    assert totals["31.71.01.1001"] == 512
    assert totals["31.71.01.1002"] == 1453
    assert totals["31.71.01.1003"] == 1771
    assert totals["31"] == 3736
    june = regions[(regions["region_code"] == "31.71.01.1002") & (regions["date"].dt.month == 6)]
    assert (june["new_cases"] == 0).all()  # 1,204 twice: zero reports, every day of June
    corrections = pd.read_csv(out / "corrections.csv", dtype={"region_code": str})
    assert corrections[["region_code", "date", "previous_total", "new_total"]].values.tolist() == [
        ["31.71.01.1003", "2021-07-31", 1789, 1771]
    ]
    # Kelurahan-coded: kept at their kelurahan, composed into cells on read.
    allocated = pd.read_parquet(out / "allocated_daily.parquet")
    assert allocated["new_cases"].sum() == 3736


def test_dask_tasks_join_consecutive_chunks_of_days():
    day = [dt.date(2021, 7, d) for d in range(1, 9)]
    one_day = [(d, d) for d in day[:5]] + [(day[6], day[7])]  # 6 July has no event
    assert geo.build._merged(one_day, 3) == [(day[0], day[2]), (day[3], day[4]), (day[6], day[7])]
    assert geo.build._merged(one_day, 1) == one_day


class _Rows:
    """A previous build's cell rows of one resolution, as :meth:`geo.incremental.Plan.rows`
    reads them (``cell`` dictionary-encoded), in a given order."""

    def __init__(self, days: list[int], cells: list[str]) -> None:
        self.table = pa.table(
            {
                "cell": pa.array(cells).dictionary_encode(),
                "date": pa.array([dt.datetime(2021, 7, d) for d in days], pa.timestamp("s")),
                "n": [float(d) for d in days],
            }
        )

    def rows(self, resolution: int, span: tuple[dt.date, dt.date]) -> pa.Table:
        day = self.table["date"].to_numpy()
        first, last = (np.datetime64(d, "s") for d in span)
        return self.table.filter(pa.array((day >= first) & (day < last + np.timedelta64(1, "D"))))


@pytest.mark.parametrize(
    ("days", "cells"),
    [
        ([1, 1, 2, 3, 3, 4], ["A", "B", "A", "A", "C", "B"]),  # by date, as a build writes them
        ([3, 1, 2, 1, 4, 3], ["A", "A", "A", "B", "B", "C"]),  # any other order
    ],
)
def test_copied_rows_come_a_chunk_at_a_time_with_their_cells(days, cells):
    a, b, c = (h3.latlng_to_cell(-6.2, 106.8 + i / 10, 9) for i in range(3))
    rows = _Rows(days, [{"A": a, "B": b, "C": c}[x] for x in cells])
    chunks = [(dt.date(2021, 7, d), dt.date(2021, 7, d)) for d in (1, 2, 3, 4)]
    parts = list(geo.build._copied_rows(rows, 9, chunks))  # type: ignore[arg-type]
    # Read 3 days at a time (1-3 July, 4 July), cut into the chunks: each part is a chunk's rows
    # in the order read, with the cells they hold.
    assert [p.column("n").to_pylist() for p, _ in parts] == [
        [float(d) for d in days if d == day] for day in (1, 2, 3, 4)
    ]
    held = [
        sorted({x for x, d in zip(cells, days, strict=True) if d == day}) for day in (1, 2, 3, 4)
    ]
    ids = {x: geo.cells.from_strings([h])[0] for x, h in zip("ABC", (a, b, c), strict=True)}
    assert [sorted(set(keys)) for _, keys in parts] == [sorted(ids[x] for x in h) for h in held]
    assert list(geo.build._copied_rows(None, 9, chunks)) == []


@given(
    universe=st.sets(st.integers(1, 60), max_size=20),
    chunks=st.lists(st.lists(st.integers(0, 70), max_size=10), max_size=6),
)
def test_the_cells_seen_are_every_chunks_cells_once_sorted(universe, chunks):
    # Marked among the events' cells, kept aside when outside them (0 and 61-70 are never in
    # it): the result is the sorted union of every chunk's cells, in any case.
    seen = geo.build._Seen(np.array(sorted(universe), dtype=np.uint64))
    for keys in chunks:
        seen.add(np.array(keys, dtype=np.uint64))
    found = seen.cells()
    assert found.dtype == np.uint64
    assert found.tolist() == sorted({k for keys in chunks for k in keys})


def test_a_busy_build_computes_a_day_at_a_time(monkeypatch):
    # A chunk costs a fixed time: small builds take 3 days at once, national ones (130 k located
    # events a day) one, for memory; PANTAUZONA_CHUNK_DAYS overrides both.
    assert geo.build.chunk_days(0) == geo.build.chunk_days(49_999) == 3
    assert geo.build.chunk_days(50_000) == geo.build.chunk_days(130_000) == 1
    monkeypatch.setenv(geo.build.CHUNK_DAYS_ENV, "2")
    assert geo.build.chunk_days(130_000) == geo.build.chunk_days(0) == 2
