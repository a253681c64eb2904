"""Check-ins validated in batches and staged by date give the whole file's results."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import batches, ingest, store, uploads
from geo.batches import read_batches
from geo.config import Exposure
from geo.exposure import exposed_checkins
from geo.ingest import StoredCheckins, stage_checkins
from geo.upload_checks import outside_rules, validate_upload
from geo.validate import CHECKIN_COLUMNS, plausible
from tests.pipeline_fixtures import (
    CASES_CSV,
    CHECKINS_CSV,
    GAMBIR,
    SUKASARI,
    TODAY,
    VENUES_CSV,
    balanced,
    cases,
    checkins,
    venues,
    write,
)

# Row 2 k1 is quarantined for its count; rows 3 and 9 repeat it (row 9 also at an unknown
# venue: the repeat is said first); row 5 is malformed; a blank line is no row; row 7's person
# id holds a line break; row 10 repeats k2 (row 4) with spaces around it; row 12 repeats k3
# (accepted at row 11); row 13 is after today. Accepted: rows 4, 7 and 11.
MESSY_CSV = (
    "checkin_id,venue_id,checked_in_at,person_id,count\n"
    "k1,VENUE-SECRET-A,2021-06-30T10:00:00,p1,2\n"
    "k1,VENUE-SECRET-A,2021-06-30T11:00:00,p1,1\n"
    "k2,VENUE-SECRET-A,2021-06-30T10:00:00,p2,1\n"
    "k9,VENUE-SECRET-A\n"
    ",VENUE-SECRET-B,2021-07-02T10:00:00,p3,1\n"
    "\n"
    'k4,VENUE-SECRET-B,2021-07-02T10:30:00,"p\n4",1\n'
    "k1,VENUE-SECRET-D,2021-07-02T10:30:00,p5,1\n"
    "  k2 ,VENUE-SECRET-A,2021-07-01T10:00:00,p6,1\n"
    "k3,VENUE-SECRET-A,2021-07-01T09:00:00,p7,1\n"
    "k3,VENUE-SECRET-C,2021-07-03T09:00:00,p8,1\n"
    "k5,VENUE-SECRET-C,2021-08-03T09:00:00,p8,1\n"
)


@pytest.fixture(scope="module")
def fixture_venues(tmp_path_factory):
    return venues(write(tmp_path_factory.mktemp("venues") / "venues.csv", VENUES_CSV))


def _staged(path, fixture_venues, **kwargs):
    read = read_batches(path, CHECKIN_COLUMNS, label="check-ins", **kwargs)
    return stage_checkins(read, fixture_venues.accepted, window=plausible(today=TODAY))


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_batches_quarantine_what_the_whole_file_does(fixture_venues, tmp_path, monkeypatch, block):
    monkeypatch.setattr(batches, "CSV_BLOCK_BYTES", block)
    path = write(tmp_path / "checkins.csv", MESSY_CSV)
    whole = checkins(path, fixture_venues.accepted)
    checked, source = _staged(path, fixture_venues)
    pd.testing.assert_frame_equal(checked.quarantine, whole.quarantine, check_dtype=False)
    assert checked.counts == whole.counts == {"read": 11, "accepted": 3, "quarantined": 8}
    assert checked.quarantine[["row", "check", "value"]].values.tolist() == [
        [2, "unsupported_count", "2"],
        [3, "duplicate", "k1"],
        [5, "malformed_row", "2 fields, expected 5"],
        [6, "missing", ""],
        [9, "duplicate", "k1"],
        [10, "duplicate", "  k2 "],
        [12, "duplicate", "k3"],
        [13, "future", "2021-08-03T09:00:00"],
    ]
    assert checked.quarantine["reason"].tolist()[4:7] == [
        "duplicate checkin_id (first at row 2)",
        "duplicate checkin_id (first at row 4)",
        "duplicate checkin_id (first at row 11)",
    ]
    assert balanced(checked)
    # the repeats of rows 10 and 12 are not counted: rows 4, 7 and 11 are
    days = source.venue_days(dt.date(2021, 6, 1), dt.date(2021, 8, 1))
    assert days[["venue_id", "checkins"]].values.tolist() == [
        ["VENUE-SECRET-A", 1],
        ["VENUE-SECRET-A", 1],
        ["VENUE-SECRET-B", 1],
    ]
    assert source.date_range() == (dt.date(2021, 6, 30), dt.date(2021, 7, 2))
    source.close()


def test_parquet_batches_quarantine_what_the_whole_file_does(fixture_venues, tmp_path):
    frame = pd.read_csv(
        write(tmp_path / "c.csv", CHECKINS_CSV + "k2,VENUE-SECRET-B,2021-07-02T11:00:00,p9\n"),
        dtype=str,
    )
    path = tmp_path / "checkins.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    whole = checkins(path, fixture_venues.accepted)
    checked, source = _staged(path, fixture_venues, batch_rows=2)
    pd.testing.assert_frame_equal(checked.quarantine, whole.quarantine, check_dtype=False)
    assert checked.counts == whole.counts == {"read": 9, "accepted": 7, "quarantined": 2}
    source.close()


# A load into an inputs store: its rows draw ids that repeat in the file and in two earlier
# loads (k1 in both: the first is named), venues in DKI (A), in Bandung (E: outside an
# official of 31), outside Indonesia (D: unknown) or blank, times in and out of the window.
STORE_IDS = ["k1", "k2", " k2 ", "k3", "x9", ""]
STORE_VENUES = ["VENUE-SECRET-A", "VENUE-SECRET-E", "VENUE-SECRET-D", ""]
STORE_TIMES = ["2021-06-30T10:00:00", "2021-07-01T23:30:00", "2021-08-03T09:00:00", "noon", ""]
DKI = "31 (Daerah Khusus Ibukota Jakarta)"
EARLIER = {"a.csv": ["k1", "x9"], "b.csv": ["k3", "k1"]}
STORE_ROW = st.tuples(
    st.sampled_from(STORE_IDS),
    st.sampled_from(STORE_VENUES),
    st.sampled_from(STORE_TIMES),
    st.sampled_from(["p1", ""]),
)


@pytest.fixture(scope="module")
def store_venues(tmp_path_factory):
    bandung = ",".join(map(str, SUKASARI))
    text = VENUES_CSV + f"VENUE-SECRET-E,Toko Rahasia Isola,pharmacy,{bandung}\n"
    return venues(write(tmp_path_factory.mktemp("venues") / "venues.csv", text)).accepted


@pytest.fixture(scope="module")
def earlier_parts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("earlier")
    parts = []
    for name, ids in EARLIER.items():
        path = folder / f"{name}.parquet"
        pq.write_table(pa.table({"checkin_id": ids}), path)
        parts.append((name, path))
    return parts


def _written(path):
    return pq.read_table(path).to_pandas()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(STORE_ROW | st.just(None), min_size=1, max_size=14),
    scope=st.sampled_from([None, "31"]),
)
def test_a_store_load_in_batches_is_the_whole_files_validation(
    store_venues, earlier_parts, tmp_path_factory, monkeypatch, rows, scope
):
    # The whole file's run (geo.upload_checks.validate_upload) against the batches of 64 bytes
    # of geo.ingest with the same rules: the same quarantine, counts and accepted rows.
    monkeypatch.setattr(batches, "CSV_BLOCK_BYTES", 64)
    lines = ["checkin_id,venue_id,checked_in_at,person_id"]
    lines += ["k7,VENUE-SECRET-A" if row is None else ",".join(row) for row in rows]
    path = write(tmp_path_factory.mktemp("load") / "k.csv", "\n".join(lines) + "\n")
    loaded = [(name, pa.array(ids)) for name, ids in EARLIER.items()]
    whole = validate_upload(
        "checkins", "k.csv", path, venues=store_venues, loaded=loaded, scope=scope, today=TODAY
    )
    checked, source = stage_checkins(
        read_batches(path, CHECKIN_COLUMNS, label="check-ins"),
        store_venues,
        window=plausible(today=TODAY),
        more=outside_rules("checkins", scope, store_venues) if scope else [],
        earlier=earlier_parts,
        kept=True,
    )
    with source:
        pd.testing.assert_frame_equal(checked.quarantine, whole.quarantine, check_dtype=False)
        assert checked.counts == whole.counts
        assert balanced(checked)
        store.write_parquet(whole.accepted, path.with_name("whole.parquet"))
        source.write_kept(path.with_name("staged.parquet"))
        staged, kept = _written(path.with_name("staged.parquet")), whole.accepted
        if len(kept):  # (an empty frame's columns are written untyped)
            pd.testing.assert_frame_equal(
                staged.drop(columns="venue"), _written(path.with_name("whole.parquet"))
            )
        assert list(staged.columns) == [*kept.columns, "venue"]
        assert len(staged) == len(kept)
        # each row's venue number is its venue's position among the region's venues
        position = {venue: n for n, venue in enumerate(store_venues["venue_id"])}
        assert staged["venue"].tolist() == [position[v] for v in staged["venue_id"]]


def test_an_id_of_an_earlier_load_is_named_and_replaces_a_later_check(
    store_venues, earlier_parts, tmp_path
):
    # Row 2 repeats k1 of both earlier loads (a.csv, the first, is named); row 3 repeats k3 of
    # b.csv at a venue outside 31 (the repeat is said, not the region); row 4 repeats row 2
    # in the file; row 5 is outside 31; row 6 is accepted.
    text = (
        "checkin_id,venue_id,checked_in_at\n"
        "k1,VENUE-SECRET-A,2021-06-30T10:00:00\n"
        "k3,VENUE-SECRET-E,2021-06-30T10:00:00\n"
        "k1,VENUE-SECRET-A,2021-06-30T11:00:00\n"
        "k4,VENUE-SECRET-E,2021-06-30T10:00:00\n"
        "k5,VENUE-SECRET-A,2021-06-30T10:00:00\n"
    )
    path = write(tmp_path / "k.csv", text)
    checked, source = stage_checkins(
        read_batches(path, CHECKIN_COLUMNS, label="check-ins"),
        store_venues,
        window=plausible(today=TODAY),
        more=outside_rules("checkins", "31", store_venues),
        earlier=earlier_parts,
        kept=True,
    )
    with source:
        assert checked.quarantine[["row", "check", "reason"]].values.tolist() == [
            [2, "duplicate", "duplicate checkin_id (already loaded from a.csv)"],
            [3, "duplicate", "duplicate checkin_id (already loaded from b.csv)"],
            [4, "duplicate", "duplicate checkin_id (first at row 2)"],
            [5, "outside_region", f"the check-in's venue is outside your region {DKI}"],
        ]
        assert checked.counts == {"read": 5, "accepted": 1, "quarantined": 4}
        source.write_kept(tmp_path / "part.parquet")
        part = _written(tmp_path / "part.parquet")
        assert part[["checkin_id", "venue_id", "venue"]].values.tolist() == [
            ["k5", "VENUE-SECRET-A", 0]
        ]


def _in_memory(fixture_venues, checkins_path, cases_path, rules):
    """Today's aggregation of the whole file: check-ins and exposed per venue and day."""
    accepted = checkins(checkins_path, fixture_venues.accepted).accepted
    daily = accepted.groupby(["venue_id", "date"], sort=True).size().rename("checkins")
    exposed = exposed_checkins(accepted, cases(cases_path).accepted, rules)
    out = daily.reset_index().merge(exposed, on=["venue_id", "date"], how="outer")
    return out.fillna({"exposed": 0}).astype({"checkins": "int64", "exposed": "int64"})


@pytest.mark.parametrize("chunk", [1, 4])
def test_venue_days_are_the_whole_files_aggregates(fixture_venues, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(ingest, "VENUE_DAYS_CHUNK", chunk)  # one query per day, or per 4
    checkins_path = write(tmp_path / "checkins.csv", CHECKINS_CSV)
    cases_path = write(tmp_path / "cases.csv", CASES_CSV)
    rules = Exposure()
    expected = _in_memory(fixture_venues, checkins_path, cases_path, rules)
    _, source = _staged(checkins_path, fixture_venues)
    source.attach(cases(cases_path).accepted, rules)
    got = source.venue_days(dt.date(2021, 6, 1), dt.date(2021, 7, 31))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    # k1 is the infectious check-in; k2 and k3, two hours from it, are exposed.
    assert got[["venue_id", "checkins", "exposed"]].values.tolist() == [
        ["VENUE-SECRET-A", 5, 2],
        ["VENUE-SECRET-B", 2, 0],
    ]
    source.close()


# Check-ins at two venues, at times on and around the 2-hour marks (where the exposure join's
# time buckets begin: 07:00 WIB is 00:00 UTC) and across midnight, by four persons or none.
EXPOSURE_TIMES = [
    f"2021-07-{day:02d}T{clock}"
    for day in (1, 2, 3)
    for clock in (
        "00:30:00",
        "06:59:59",
        "07:00:00",
        "08:59:59",
        "09:00:00",
        "10:00:01",
        "23:45:00",
    )
]
EXPOSURE_ROW = st.tuples(
    st.sampled_from(["VENUE-SECRET-A", "VENUE-SECRET-B"]),
    st.sampled_from(EXPOSURE_TIMES),
    st.sampled_from(["p1", "p2", "p3", "p4", ""]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(EXPOSURE_ROW, min_size=1, max_size=16),
    reported=st.dictionaries(
        st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(["2021-07-01", "2021-07-03"])
    ),
    hours=st.sampled_from([1, 2, 2.5, 24]),
    chunk=st.sampled_from([1, 2, 4]),
    days=st.sampled_from([(1, 3), (2, 2), (2, 3), (3, 4)]),
)
def test_venue_days_by_chunk_are_the_exposure_rule(
    fixture_venues, tmp_path_factory, monkeypatch, rows, reported, hours, chunk, days
):
    """The staged check-ins' venue days, found in chunks of days with the infectious rows of a
    first pass and the exposed ones matched in time buckets, are the rule of
    :func:`geo.exposure.exposed_checkins` over every row, for any window, chunk and range."""
    monkeypatch.setattr(ingest, "VENUE_DAYS_CHUNK", chunk)
    folder = tmp_path_factory.mktemp("exposure")
    lines = ["checkin_id,venue_id,checked_in_at,person_id"]
    lines += [f"k{n},{venue},{time},{person}" for n, (venue, time, person) in enumerate(rows)]
    checkins_path = write(folder / "checkins.csv", "\n".join(lines) + "\n")
    text = ["case_id,reported_date,lat,lon,region_code,person_id"]
    text += [
        f"c{person},{day},{GAMBIR[0]},{GAMBIR[1]},,{person}" for person, day in reported.items()
    ]
    cases_path = write(folder / "cases.csv", "\n".join(text) + "\n")
    rules = Exposure(window_hours=hours)
    expected = _in_memory(fixture_venues, checkins_path, cases_path, rules)
    start, end = (dt.date(2021, 7, d) for d in days)
    dates = expected["date"].dt.date
    expected = expected[(dates >= start) & (dates <= end)].reset_index(drop=True)
    _, source = _staged(checkins_path, fixture_venues)
    with source:
        source.attach(cases(cases_path).accepted, rules)
        got = source.venue_days(start, end)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_rows_are_served_by_date_range(fixture_venues, tmp_path):
    _, source = _staged(write(tmp_path / "checkins.csv", CHECKINS_CSV), fixture_venues)
    source.attach(cases(write(tmp_path / "cases.csv", CASES_CSV)).accepted, Exposure())
    july_2 = source.venue_days(dt.date(2021, 7, 2), dt.date(2021, 7, 2))
    assert july_2[["venue_id", "checkins", "exposed"]].values.tolist() == [["VENUE-SECRET-B", 2, 0]]
    assert source.venue_days(dt.date(2021, 7, 10), dt.date(2021, 7, 12)).empty
    # the first check-in (30 June) to the last case (8 July)
    assert source.date_range() == (dt.date(2021, 6, 30), dt.date(2021, 7, 8))
    assert source.cases(dt.date(2021, 7, 1), dt.date(2021, 7, 1))["case_id"].tolist() == [
        "c01",
        "c02",
        "c03",
    ]
    assert source.venues()["venue_id"].tolist() == fixture_venues.accepted["venue_id"].tolist()
    folder = source.folder
    source.close()
    assert not folder.exists()


def test_stored_checkins_are_served_as_the_rows_in_memory(fixture_venues, tmp_path):
    """An inputs store's parts, served by date range in DuckDB (:class:`StoredCheckins`), give
    the aggregates of their rows in memory, ids namespaced by the loading region: DKI's and
    Jawa Barat's VENUE-SECRET-A are two venues, and PERSON-SECRET-1's case in DKI exposes DKI's
    check-ins only. Rows of venues no load has (B's row moved to D, a venue outside Indonesia
    that no load accepted, in 32's load) are left out, and so are those of a region that loaded
    no venues (33's)."""
    frame = checkins(write(tmp_path / "checkins.csv", CHECKINS_CSV), fixture_venues.accepted)
    dki = frame.accepted
    jabar = dki.iloc[[0, 1, 2, 5]].assign(
        ts_utc=dki["ts_utc"].iloc[[0, 1, 2, 5]] + pd.Timedelta(hours=1)
    )
    jabar.loc[jabar.index[1], "person_id"] = None  # a check-in without a person
    jabar.loc[jabar.index[3], "venue_id"] = "VENUE-SECRET-D"
    # each region loaded the fixture's venues: a row's venue number is its position there
    position = {v: n for n, v in enumerate(fixture_venues.accepted["venue_id"])}
    parts, frames = [], []
    for number, (scope, rows) in enumerate((("31", dki), ("32", jabar))):
        path = tmp_path / f"{scope}.parquet"
        venue = pd.array([position.get(v) for v in rows["venue_id"]], dtype="Int32")
        store.write_parquet(rows.reset_index(drop=True).assign(venue=venue), path)
        parts.append((path, f"{scope}/", number))
        frames.append(uploads.namespaced(rows.copy(), scope))
    every = pd.concat(frames, ignore_index=True)
    shutil.copyfile(tmp_path / "31.parquet", tmp_path / "33.parquet")  # as 33's: no venue of 33
    parts.append((tmp_path / "33.parquet", "33/", -1))
    known = pd.concat(
        [uploads.namespaced(fixture_venues.accepted.copy(), s) for s in ("31", "32")]
    ).query("venue_id != '32/VENUE-SECRET-D'")
    case_rows = uploads.namespaced(cases(write(tmp_path / "cases.csv", CASES_CSV)).accepted, "31")
    each = len(fixture_venues.accepted)
    regions = [np.arange(each), np.arange(each, 2 * each)]  # 31's venues, then 32's
    source = StoredCheckins(parts, known.reset_index(drop=True), regions)
    source.attach(case_rows, Exposure())
    try:
        assert source.date_range() == (dt.date(2021, 6, 30), dt.date(2021, 7, 8))
        for start, end in [
            (dt.date(2021, 6, 1), dt.date(2021, 7, 31)),
            (dt.date(2021, 6, 30), dt.date(2021, 6, 30)),
            (dt.date(2021, 7, 1), dt.date(2021, 7, 2)),
        ]:
            inside = every[
                (every["date"] >= pd.Timestamp(start)) & (every["date"] <= pd.Timestamp(end))
            ]
            daily = inside.groupby(["venue_id", "date"], sort=True).size().rename("checkins")
            exposed = exposed_checkins(every, case_rows, Exposure())
            expected = daily.reset_index().merge(exposed, on=["venue_id", "date"], how="left")
            expected = expected.fillna({"exposed": 0}).astype({"exposed": "int64"})
            expected = expected[expected["venue_id"].isin(known["venue_id"])]
            got = source.venue_days(start, end)
            pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), check_dtype=False)
        whole = source.venue_days(dt.date(2021, 6, 1), dt.date(2021, 7, 31))
        assert whole[["venue_id", "checkins", "exposed"]].values.tolist() == [
            ["31/VENUE-SECRET-A", 5, 2],
            ["31/VENUE-SECRET-B", 2, 0],
            ["32/VENUE-SECRET-A", 3, 0],
        ]
    finally:
        source.close()
    alone = StoredCheckins(parts[2:], known.reset_index(drop=True), regions)
    alone.attach(case_rows, Exposure())
    try:
        got = alone.venue_days(dt.date(2021, 6, 1), dt.date(2021, 7, 31))
        assert got.empty
        assert list(got.columns) == ["venue_id", "date", "checkins", "exposed"]
    finally:
        alone.close()


MIDNIGHT_CSV = """\
checkin_id,venue_id,checked_in_at,person_id
m1,VENUE-SECRET-A,2021-07-01T23:30:00,PERSON-SECRET-1
m2,VENUE-SECRET-A,2021-07-02T00:30:00,PERSON-SECRET-2
m3,VENUE-SECRET-B,2021-06-30T23:30:00,PERSON-SECRET-3
m4,VENUE-SECRET-B,2021-07-01T00:30:00,PERSON-SECRET-1
"""


def test_stored_checkins_expose_across_midnight_at_the_edges_of_a_range(fixture_venues, tmp_path):
    """A day asked alone still sees the check-ins of the days either side that can expose its
    own: PERSON-SECRET-1 (case c01, 1 July) checked in an hour from m2 across the midnight
    after 1 July and from m3 across the midnight before it. The stored rows are read by their
    dates: these edges are what a read of too few days would lose."""
    rows = checkins(write(tmp_path / "checkins.csv", MIDNIGHT_CSV), fixture_venues.accepted)
    position = {v: n for n, v in enumerate(fixture_venues.accepted["venue_id"])}
    venue = pd.array([position[v] for v in rows.accepted["venue_id"]], dtype="Int32")
    part = tmp_path / "31.parquet"
    store.write_parquet(rows.accepted.reset_index(drop=True).assign(venue=venue), part)
    known = uploads.namespaced(fixture_venues.accepted.copy(), "31").reset_index(drop=True)
    case_rows = uploads.namespaced(cases(write(tmp_path / "cases.csv", CASES_CSV)).accepted, "31")
    source = StoredCheckins([(part, "31/", 0)], known, [np.arange(len(known))])
    source.attach(case_rows, Exposure())
    try:
        after = source.venue_days(dt.date(2021, 7, 2), dt.date(2021, 7, 2))
        before = source.venue_days(dt.date(2021, 6, 30), dt.date(2021, 6, 30))
        assert after[["venue_id", "checkins", "exposed"]].values.tolist() == [
            ["31/VENUE-SECRET-A", 1, 1]
        ]
        assert before[["venue_id", "checkins", "exposed"]].values.tolist() == [
            ["31/VENUE-SECRET-B", 1, 1]
        ]
    finally:
        source.close()


def test_stored_persons_are_the_id_as_stored_and_the_loads_region(tmp_path):
    # Check-ins were loaded for the country (ID/) and DKI (31/): a case's namespaced id is split
    # into the id as the parts store it and its region's number; an id may hold "/" itself; a
    # case of Jawa Barat (32/), which loaded no check-ins, can link to none and is left out.
    parts = [(tmp_path / "a.parquet", "31/", 0), (tmp_path / "b.parquet", "ID/", -1)]
    source = StoredCheckins(parts, pd.DataFrame({"venue_id": []}), [np.arange(0)])
    linked = pd.DataFrame(
        {
            "person_id": ["ID/P1", "31/P1", "32/P1", "31/A/B", "ID/"],
            "date": pd.to_datetime(["2021-07-01"] * 5),
        }
    )
    try:
        persons = source.persons(linked)
        assert persons[["person_id", "scope"]].values.tolist() == [
            ["P1", 1],
            ["P1", 0],
            ["A/B", 0],
            ["", 1],
        ]
        assert persons["date"].tolist() == [pd.Timestamp("2021-07-01")] * 4
        assert source.persons(linked.iloc[:0]).empty
    finally:
        source.close()


def test_a_killed_processs_staging_folder_is_removed_by_the_next_one(tmp_path, monkeypatch):
    # A process that dies without cleaning up (os._exit: no finaliser runs) leaves its staging
    # folder; the next staging folder made removes it once it is a minute old, never one that
    # a live process holds, however old.
    monkeypatch.setenv(ingest.TMPDIR_ENV, str(tmp_path))
    code = "import os; from geo.ingest import staging_folder; print(staging_folder()); os._exit(0)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    left = Path(done.stdout.strip())
    assert left.is_dir()
    assert left.parent == tmp_path
    live = ingest.staging_folder()
    assert left.is_dir()  # not a minute old: it may be a folder about to be locked
    hour_ago = time.time() - 3600
    for folder in (left, live):
        os.utime(folder, (hour_ago, hour_ago))
    newest = ingest.staging_folder()
    assert not left.exists()
    assert live.is_dir()
    assert newest.is_dir()
    for folder in (live, newest):
        ingest._remove(ingest.connect(), folder)
    assert list(tmp_path.glob("pantauzona-ingest-*")) == []
