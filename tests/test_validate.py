"""Row validation: every quarantine check, its CSV line number, and accepted + quarantined = read."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pipeline_fixtures import (
    CASES_CSV,
    CHECKINS_CSV,
    TODAY,
    VENUES_CSV,
    balanced,
    cases,
    checkins,
    venues,
    write,
)

from geo.config import InputWindow
from geo.errors import InputFileError
from geo.readers import read_input
from geo.validate import (
    CASE_COLUMNS,
    QUARANTINE_COLUMNS,
    Window,
    plausible,
    read_cases,
    validate_cases,
)


@pytest.fixture(scope="module")
def fixture_cases(tmp_path_factory):
    return cases(write(tmp_path_factory.mktemp("validate") / "cases.csv", CASES_CSV))


# (line, column, check, value, reason) of every quarantined row of fixtures.CASES_CSV.
EXPECTED_CASES = [
    (12, "case_id", "duplicate", "c01", "duplicate case_id (first at row 2)"),
    (13, "case_id", "missing", "", "case_id is missing"),
    (14, "reported_date", "unparseable", "1 Juli 2021", "reported_date is not a date (YYYY-MM-DD)"),
    (15, "reported_date", "future", "2021-08-02", "reported_date is after today (2021-08-01)"),
    (
        16,
        "lat",
        "swapped",
        "106.82661",
        "latitude and longitude look swapped? (lat is ~95..141)",
    ),
    (17, "lat", "out_of_range", "95.5", "lat is outside -90..90"),
    (18, "lat", "null_island", "0", "lat/lon is 0,0 (null island)"),
    (19, "lat", "outside_indonesia", "1.3521", "the point is outside Indonesia's regions"),
    (20, "region_code", "unknown_region", "31.99", "unknown region code (Kemendagri 2025)"),
    (21, "region_code", "missing", "", "no location: give lat and lon, or region_code"),
    (22, "lat", "unparseable", "abc", "lat is not a number"),
]


def test_every_case_check_with_its_line_number(fixture_cases):
    q = fixture_cases.quarantine
    assert list(q.columns) == QUARANTINE_COLUMNS
    assert (q["file"] == "cases.csv").all()
    got = list(
        zip(q["row"], q["column"], q["check"], q["value"].fillna(""), q["reason"], strict=True)
    )
    assert [(int(r), c, k, "" if v == "nan" else v, m) for r, c, k, v, m in got] == EXPECTED_CASES


def test_case_counts_balance(fixture_cases):
    assert fixture_cases.counts == {"read": 21, "accepted": 10, "quarantined": 11}
    assert balanced(fixture_cases)


def test_accepted_cases(fixture_cases):
    a = fixture_cases.accepted
    assert a["case_id"].tolist() == [f"c{i:02d}" for i in range(1, 11)]
    # The duplicate c01 on line 12 is dropped: the first (2021-07-01) is kept.
    assert a.loc[0, "date"] == pd.Timestamp("2021-07-01")
    coded = a.set_index("case_id")["region_code"]
    assert coded.dropna().to_dict() == {
        "c05": "31.71.01.1002",
        "c06": "31.74.01",
        "c08": "35.78",
        "c09": "31",
        "c10": "92.02.31",
    }
    # Coded cases have no point and no polygon; points have a polygon.
    has_point = a["lat"].notna().to_numpy()
    assert has_point.tolist() == [True] * 4 + [False, False, True, False, False, False]
    assert (a.loc[has_point, "poly"] >= 0).all()
    assert (a.loc[~has_point, "poly"] == -1).all()
    assert a.loc[0, "person_id"] == "PERSON-SECRET-1"
    assert a["person_id"].notna().sum() == 1


def test_a_row_is_quarantined_once_for_its_first_problem(tmp_path):
    # Missing id and a future date and a swapped point: the id check comes first.
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,lat,lon\n,2031-01-01,106.8,-6.2\n",
    )
    checked = cases(path)
    assert checked.quarantine[["row", "check"]].values.tolist() == [[2, "missing"]]
    assert balanced(checked)


def test_malformed_rows_are_quarantined_with_their_line(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        """\
        case_id,reported_date,lat,lon
        c1,2021-07-01,-6.17505,106.82661
        c2,2021-07-01,-6.17505
        c3,2021-07-01,-6.17505,106.82661,oops
        c4,2021-07-01,106.82661,-6.17505
        """,
    )
    checked = cases(path)
    q = checked.quarantine
    assert q[["row", "column", "check", "value"]].values.tolist() == [
        [3, "", "malformed_row", "3 fields, expected 4"],
        [4, "", "malformed_row", "5 fields, expected 4"],
        [5, "lat", "swapped", "106.82661"],  # line 5 although two lines before it were skipped
    ]
    assert q["reason"].iloc[0] == "the row does not have the same number of fields as the header"
    assert checked.counts == {"read": 4, "accepted": 1, "quarantined": 3}


def test_semicolons_bom_and_decimal_commas(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(
        "\ufeffcase_id;reported_date;lat;lon\r\nc1;2021-07-01;-6,17505;106,82661\r\n"
        "c2;2021-07-01;-6.17505;106.82661\r\n".encode()
    )
    checked = cases(path)
    # A decimal comma is not a number: the user sees the value as written.
    assert checked.quarantine[["row", "column", "check", "value"]].values.tolist() == [
        [2, "lat", "unparseable", "-6,17505"]
    ]
    assert checked.accepted["case_id"].tolist() == ["c2"]
    assert balanced(checked)


def test_parquet_cases_with_typed_columns(tmp_path):
    path = tmp_path / "cases.parquet"
    pd.DataFrame(
        {
            "case_id": ["c1", "c2", "c3", "c1"],
            "reported_date": pd.to_datetime(
                ["2021-07-01", "2021-07-02", "2031-07-02", "2021-07-03"]
            ),
            "lat": [-6.17505, np.nan, -6.17505, -6.17505],
            "lon": [106.82661, np.nan, 106.82661, 106.82661],
            "region_code": [None, "31.71", None, None],
        }
    ).to_parquet(path)
    checked = cases(path)
    assert checked.accepted["case_id"].tolist() == ["c1", "c2"]
    assert checked.accepted["region_code"].tolist()[1] == "31.71"
    # Parquet rows are numbered from 1.
    assert checked.quarantine[["row", "check"]].values.tolist() == [[3, "future"], [4, "duplicate"]]
    assert checked.quarantine["reason"].iloc[1] == "duplicate case_id (first at row 1)"
    assert balanced(checked)


def test_cases_with_region_codes_only(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,region_code\nc1,2021-07-01,31.71\nc2,2021-07-01,\n",
    )
    checked = cases(path)
    assert checked.accepted["region_code"].tolist() == ["31.71"]
    assert checked.quarantine[["row", "check"]].values.tolist() == [[3, "missing"]]


def test_today_is_the_limit_of_the_future(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,region_code\nc1,2021-08-01,31\nc2,2021-08-02,31\n",
    )
    checked = cases(path, today=dt.date(2021, 8, 1))
    assert checked.accepted["case_id"].tolist() == ["c1"]
    assert checked.quarantine["reason"].tolist() == ["reported_date is after today (2021-08-01)"]


def test_a_date_with_a_time_is_read_by_its_day(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,region_code\nc1,2021-07-01T15:00:00,31\nc2,07/01/2021,31\n",
    )
    checked = cases(path)
    assert checked.accepted["date"].tolist() == [pd.Timestamp("2021-07-01")]
    assert checked.quarantine["check"].tolist() == ["unparseable"]


def test_points_near_the_coast_snap_and_far_points_do_not(tmp_path):
    # Off Jakarta's shore, 0.003 degrees (about 330 m) out at sea, snaps to the nearest polygon;
    # the middle of the Java Sea does not.
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,lat,lon\nnear,2021-07-01,-6.118,106.84\nsea,2021-07-01,-5.0,110.0\n",
    )
    checked = cases(path)
    assert checked.accepted["case_id"].tolist() == ["near"]
    assert checked.quarantine[["row", "check"]].values.tolist() == [[3, "outside_indonesia"]]
    assert balanced(checked)


@pytest.fixture(scope="module")
def fixture_venues(tmp_path_factory):
    return venues(write(tmp_path_factory.mktemp("venues") / "venues.csv", VENUES_CSV))


def test_venue_checks(fixture_venues, tmp_path):
    assert fixture_venues.accepted["venue_id"].tolist() == [
        "VENUE-SECRET-A",
        "VENUE-SECRET-B",
        "VENUE-SECRET-C",
    ]
    assert fixture_venues.quarantine[["row", "check", "value"]].values.tolist() == [
        [5, "outside_indonesia", "1.3521"]
    ]
    assert balanced(fixture_venues)
    path = write(
        tmp_path / "venues.csv",
        """\
        venue_id,name,category,lat,lon
        v1,,,-6.17505,106.82661
        v1,Again,shop,-6.17505,106.82661
        ,No id,shop,-6.17505,106.82661
        v2,No point,shop,,
        v3,Swapped,shop,106.82661,-6.17505
        """,
    )
    checked = venues(path)
    assert checked.accepted[["venue_id", "name", "category"]].values.tolist() == [
        ["v1", "", "unknown"]  # a blank category reads "unknown"
    ]
    assert checked.quarantine[["row", "column", "check"]].values.tolist() == [
        [3, "venue_id", "duplicate"],
        [4, "venue_id", "missing"],
        [5, "lat", "missing"],
        [6, "lat", "swapped"],
    ]
    assert balanced(checked)


CHECKINS_EDGE_CSV = """\
checkin_id,venue_id,checked_in_at,person_id
k1,VENUE-SECRET-A,2021-06-30T10:00:00,p1
k1,VENUE-SECRET-A,2021-06-30T11:00:00,p1
,VENUE-SECRET-A,2021-06-30T10:00:00,p1
k3,,2021-06-30T10:00:00,p1
k4,VENUE-SECRET-D,2021-06-30T10:00:00,p1
k5,VENUE-SECRET-A,,p1
k6,VENUE-SECRET-A,yesterday,p1
k7,VENUE-SECRET-A,2021-08-02T00:30:00,p1
k8,VENUE-SECRET-A,2021-08-01T23:59:59,p1
k9,VENUE-SECRET-A,2021-08-01T17:30:00Z,p1
k10,VENUE-SECRET-A,2021-08-01T16:30:00Z,
k11,VENUE-SECRET-A,2021-07-01 10:00:00+07:00,
"""


def test_checkin_checks(fixture_venues, tmp_path):
    checked = checkins(write(tmp_path / "checkins.csv", CHECKINS_EDGE_CSV), fixture_venues.accepted)
    q = checked.quarantine
    assert q[["row", "column", "check", "value"]].values.tolist() == [
        [3, "checkin_id", "duplicate", "k1"],
        [4, "checkin_id", "missing", ""],
        [5, "venue_id", "missing", ""],
        # VENUE-SECRET-D was quarantined (outside Indonesia): its check-ins are not accepted.
        [6, "venue_id", "unknown_venue", "VENUE-SECRET-D"],
        [7, "checked_in_at", "missing", ""],
        [8, "checked_in_at", "unparseable", "yesterday"],
        [9, "checked_in_at", "future", "2021-08-02T00:30:00"],
        # 17:30 UTC is 00:30 WIB on 2021-08-02: the future.
        [11, "checked_in_at", "future", "2021-08-01T17:30:00Z"],
    ]
    assert q["reason"].tolist() == [
        "duplicate checkin_id (first at row 2)",
        "checkin_id is missing",
        "venue_id is missing",
        "check-in at a venue that is not among the accepted venues",
        "checked_in_at is missing",
        "checked_in_at is not an ISO date and time",
        "checked_in_at is after today (2021-08-01)",
        "checked_in_at is after today (2021-08-01)",
    ]
    assert checked.counts == {"read": 12, "accepted": 4, "quarantined": 8}


def test_checkin_times_are_utc_with_naive_times_in_wib(fixture_venues, tmp_path):
    checked = checkins(write(tmp_path / "checkins.csv", CHECKINS_EDGE_CSV), fixture_venues.accepted)
    # Accepted rows keep their input order (a check-in is its row downstream): k1, k8, k10, k11.
    a = checked.accepted.set_axis(["k1", "k8", "k10", "k11"])
    # Naive 10:00 is WIB: 03:00 UTC. "+07:00" says the same. 16:30Z is 23:30 WIB on 08-01.
    assert a.loc["k1", "ts_utc"] == pd.Timestamp("2021-06-30 03:00:00")
    assert a.loc["k11", "ts_utc"] == pd.Timestamp("2021-07-01 03:00:00")
    assert a.loc["k10", "ts_utc"] == pd.Timestamp("2021-08-01 16:30:00")
    assert a.loc["k10", "date"] == pd.Timestamp("2021-08-01")
    assert a.loc["k8", "date"] == pd.Timestamp("2021-08-01")
    assert a["person_id"].isna().tolist() == [False, False, True, True]


def test_parquet_checkins_with_typed_timestamps(fixture_venues, tmp_path):
    path = tmp_path / "checkins.parquet"
    pd.DataFrame(
        {
            "checkin_id": ["k1", "k2"],
            "venue_id": ["VENUE-SECRET-A", "VENUE-SECRET-B"],
            "checked_in_at": pd.to_datetime(["2021-06-30 10:00:00", "2021-08-02 10:00:00"]),
        }
    ).to_parquet(path)
    checked = checkins(path, fixture_venues.accepted)
    # A typed timestamp without a zone is WIB, like naive text.
    assert checked.accepted["ts_utc"].tolist() == [pd.Timestamp("2021-06-30 03:00:00")]
    assert checked.quarantine[["row", "check"]].values.tolist() == [[2, "future"]]
    assert balanced(checked)


def test_fixture_checkins_balance(fixture_venues, tmp_path):
    checked = checkins(write(tmp_path / "checkins.csv", CHECKINS_CSV), fixture_venues.accepted)
    assert checked.counts == {"read": 8, "accepted": 7, "quarantined": 1}
    assert checked.quarantine[["row", "check"]].values.tolist() == [[9, "unknown_venue"]]


def test_empty_quarantine_has_its_columns(tmp_path):
    path = write(tmp_path / "cases.csv", "case_id,reported_date,region_code\nc1,2021-07-01,31\n")
    checked = cases(path)
    assert checked.quarantine.empty
    assert list(checked.quarantine.columns) == QUARANTINE_COLUMNS


def test_a_file_whose_every_point_is_outside_indonesia(tmp_path):
    # Regression: locating a batch with no point inside any polygon raised IndexError.
    path = write(
        tmp_path / "venues.csv",
        "venue_id,name,category,lat,lon\nsg,Singapore,shop,1.3521,103.8198\n",
    )
    checked = venues(path)
    assert checked.accepted.empty
    assert checked.quarantine[["row", "check"]].values.tolist() == [[2, "outside_indonesia"]]


# --- The plausible window of dates -------------------------------------------------------------


def test_dates_outside_the_window_are_quarantined(tmp_path):
    # 2020-01-01 is the default earliest date (included); today is 2021-08-01 (included).
    path = write(
        tmp_path / "cases.csv",
        """\
        case_id,reported_date,region_code
        c1,2020-01-01,31
        c2,2019-12-31,31
        c3,1900-01-01,31
        c4,0001-01-01,31
        c5,2021-08-01,31
        c6,9999-12-31,31
        c7,2021-07-05junk,31
        c8,2021-07-05T10:00:00+07:00,31
        """,
    )
    checked = cases(path)
    assert checked.accepted["case_id"].tolist() == ["c1", "c5", "c8"]
    assert checked.quarantine[["row", "check", "reason"]].values.tolist() == [
        [3, "too_early", "reported_date is before 2020-01-01 (input.earliest_date)"],
        [4, "too_early", "reported_date is before 2020-01-01 (input.earliest_date)"],
        [5, "too_early", "reported_date is before 2020-01-01 (input.earliest_date)"],
        [7, "future", "reported_date is after today (2021-08-01)"],
        [8, "unparseable", "reported_date is not a date (YYYY-MM-DD)"],
    ]
    assert balanced(checked)


def test_a_configured_window(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        "case_id,reported_date,region_code\nc1,2021-06-30,31\nc2,2021-07-01,31\nc3,2021-07-16,31\n",
    )
    dates = InputWindow(earliest_date=dt.date(2021, 7, 1), latest_date=dt.date(2021, 7, 15))
    raw = read_input(path, CASE_COLUMNS, label="cases")
    checked = validate_cases(raw, window=plausible(dates, today=TODAY))
    assert checked.accepted["case_id"].tolist() == ["c2"]
    assert checked.quarantine["reason"].tolist() == [
        "reported_date is before 2021-07-01 (input.earliest_date)",
        "reported_date is after 2021-07-15 (input.latest_date)",
    ]
    # A latest date after today does not let the future in.
    assert plausible(InputWindow(latest_date=dt.date(2030, 1, 1)), today=TODAY) == Window(
        dt.date(2020, 1, 1), TODAY
    )


@pytest.mark.parametrize("bad_day", ["", "k0,VENUE-SECRET-A,2021-02-30T10:00:00,\n"])
def test_timestamps_beyond_nanoseconds_never_wrap(fixture_venues, tmp_path, bad_day):
    # Outside pandas' nanosecond range (1677-2262): quarantined by their true date, on the fast
    # path and on the slow one (a 30 February in the same file).
    text = (
        "checkin_id,venue_id,checked_in_at,person_id\n"
        + bad_day
        + "k1,VENUE-SECRET-A,9999-12-31T23:59:59Z,\n"
        "k2,VENUE-SECRET-A,2605-09-01 10:00,\n"
        "k3,VENUE-SECRET-A,2300-01-01,\n"
        "k4,VENUE-SECRET-A,1500-01-01T00:00:00,\n"
        "k5,VENUE-SECRET-A,2021-07-01T10:00:00,\n"
        "k6,VENUE-SECRET-A,2021-07-01T10:00:00junk,\n"
    )
    checked = checkins(write(tmp_path / "checkins.csv", text), fixture_venues.accepted)
    q = checked.quarantine
    first = 3 if bad_day else 2
    expected = [
        [first, "future"],
        [first + 1, "future"],
        [first + 2, "future"],
        [first + 3, "too_early"],
        [first + 5, "unparseable"],
    ]
    if bad_day:
        expected.insert(0, [2, "unparseable"])
    assert q[["row", "check"]].values.tolist() == expected
    assert checked.accepted["ts_utc"].tolist() == [pd.Timestamp("2021-07-01 03:00:00")]
    assert balanced(checked)


def test_typed_timestamps_beyond_nanoseconds(fixture_venues, tmp_path):
    path = tmp_path / "checkins.parquet"
    times = pa.array(
        [dt.datetime(9999, 12, 31, 23, 0), dt.datetime(2021, 7, 1, 10, 0)], pa.timestamp("us")
    )
    pq.write_table(
        pa.table(
            {
                "checkin_id": ["k1", "k2"],
                "venue_id": ["VENUE-SECRET-A"] * 2,
                "checked_in_at": times,
            }
        ),
        path,
    )
    checked = checkins(path, fixture_venues.accepted)
    assert checked.quarantine[["row", "check"]].values.tolist() == [[1, "future"]]
    assert checked.accepted["ts_utc"].tolist() == [pd.Timestamp("2021-07-01 03:00:00")]


def test_new_cases_is_a_count_and_published_names_are_read(tmp_path):
    # The shape of data/covid/province_daily.csv: date, province_code, new_cases, total_cases.
    path = write(
        tmp_path / "province_daily.csv",
        """\
        date,province_code,province_name_src,new_cases,total_cases
        2021-07-01,91,Papua,12,100
        2021-07-01,92,Papua Barat,0,40
        """,
    )
    raw = read_cases(path)
    assert raw.renamed == {
        "date": "reported_date",
        "province_code": "region_code",
        "new_cases": "count",
    }
    checked = validate_cases(raw, today=TODAY)
    assert checked.accepted[["region_code", "count"]].values.tolist() == [["91", 12], ["92", 0]]
    assert checked.renamed == raw.renamed
    cumulative = read_cases(path, cumulative=True)
    assert cumulative.renamed["total_cases"] == "count"
    assert cumulative.frame["count"].tolist() == ["100", "40"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "reported_date,region_code,count,new_cases",
            "cases.csv has both 'count' and 'new_cases', two names for the column 'count'; "
            "keep one (or rename the other).",
        ),
        (
            "date,reported_date,region_code,count",
            "cases.csv has both 'reported_date' and 'date', two names for the column "
            "'reported_date'; keep one (or rename the other).",
        ),
        (
            "reported_date,province_code,regency_code,count",
            "cases.csv has both 'province_code' and 'regency_code', two names for the column "
            "'region_code'; keep one (or rename the other).",
        ),
        (
            "reported_date,region_code",
            "cases.csv is missing the required column 'case_id' for cases.",
        ),
    ],
)
def test_two_names_of_one_column_refuse_the_file(tmp_path, header, message):
    path = write(tmp_path / "cases.csv", header + "\n")
    with pytest.raises(InputFileError, match=f"^{re.escape(message)}$"):
        read_cases(path)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "case_id,reported_date,status",
            "cases.csv has no location columns; cases need lat and lon, or region_code.",
        ),
        (
            "case_id,reported_date,lat",
            "cases.csv has a 'lat' column but no 'lon' column; cases need lat and lon, or "
            "region_code.",
        ),
    ],
)
def test_cases_without_location_columns_are_refused(tmp_path, header, message):
    from geo.errors import InputFileError

    path = write(tmp_path / "cases.csv", f"{header}\nc1,2021-07-01,x\n")
    with pytest.raises(InputFileError, match=f"^{re.escape(message)}$"):
        cases(path)


def test_a_header_only_file_validates_to_no_rows(fixture_venues, tmp_path):
    empty = cases(write(tmp_path / "cases.csv", "case_id,reported_date,region_code\n"))
    assert empty.counts == {"read": 0, "accepted": 0, "quarantined": 0}
    path = write(tmp_path / "checkins.csv", "checkin_id,venue_id,checked_in_at\n")
    assert checkins(path, fixture_venues.accepted).counts == {
        "read": 0,
        "accepted": 0,
        "quarantined": 0,
    }


# --- Bad input: one class per row of the README's table, each a literal input and its outcome ---

H = "case_id,reported_date,lat,lon\n"  # a cases header
OK = "c1,2021-07-01,-6.17505,106.82661\n"  # an accepted case (Gambir, Jakarta)
CH = "checkin_id,venue_id,checked_in_at\n"  # a check-ins header (venues: fixtures.VENUES_CSV)


def refused(message: str) -> tuple:
    return ("refused", message)


def rows(accepted: int, *quarantined: tuple[int, str]) -> tuple:
    """``accepted`` rows, and the (row, check) of each quarantined one."""
    return ("rows", accepted, list(quarantined))


#: (class, kind, file name, content, outcome). Content is text (UTF-8) or bytes as saved.
BAD_INPUT = [
    (
        "empty-file",
        "cases",
        "cases.csv",
        b"",
        refused("cases.csv is empty: it needs a header line."),
    ),
    (
        "only-blank-lines",
        "cases",
        "cases.csv",
        "\n\n \n",
        refused("cases.csv is empty: it needs a header line."),
    ),
    ("header-only", "cases", "cases.csv", H, rows(0)),
    (
        "missing-required-column",
        "cases",
        "cases.csv",
        "case_id,lat,lon\nc1,-6.2,106.8\n",
        refused("cases.csv is missing the required column 'reported_date' for cases."),
    ),
    (
        "no-location-columns",
        "cases",
        "cases.csv",
        "case_id,reported_date\nc1,2021-07-01\n",
        refused("cases.csv has no location columns; cases need lat and lon, or region_code."),
    ),
    (
        "lat-without-lon-column",
        "cases",
        "cases.csv",
        "case_id,reported_date,lat\nc1,2021-07-01,-6.2\n",
        refused(
            "cases.csv has a 'lat' column but no 'lon' column; cases need lat and lon, or region_code."
        ),
    ),
    (
        "duplicate-header",
        "cases",
        "cases.csv",
        "case_id,reported_date,lat,lon,lat\n" + OK.strip() + ",1\n",
        refused("cases.csv has the column 'lat' more than once in its header; keep one."),
    ),
    (
        "quoted-header",
        "cases",
        "cases.csv",
        '"case_id","reported_date","lat","lon"\n' + OK,
        rows(1),
    ),
    ("byte-order-mark", "cases", "cases.csv", ("\ufeff" + H + OK).encode(), rows(1)),
    ("crlf-line-ends", "cases", "cases.csv", (H + OK).replace("\n", "\r\n").encode(), rows(1)),
    ("semicolons", "cases", "cases.csv", (H + OK).replace(",", ";"), rows(1)),
    ("tabs", "cases", "cases.csv", (H + OK).replace(",", "\t"), rows(1)),
    ("pipes", "cases", "cases.csv", (H + OK).replace(",", "|"), rows(1)),
    (
        "trailing-delimiter",
        "cases",
        "cases.csv",
        H.replace("\n", ",\n") + OK.replace("\n", ",\n"),
        rows(1),
    ),
    ("utf16-with-bom", "cases", "cases.csv", (H + OK).encode("utf-16"), rows(1)),
    (
        "utf16-without-bom",
        "cases",
        "cases.csv",
        (H + OK * 4).encode("utf-16-le"),
        refused("cases.csv looks like UTF-16 text without a byte-order mark; save it as UTF-8."),
    ),
    (
        "latin1-text",
        "cases",
        "cases.csv",
        (H + "cé,2021-07-01,-6.17505,106.82661\n").encode("latin-1"),
        refused("cases.csv is not UTF-8 text; save it as UTF-8 CSV."),
    ),
    (
        "binary-named-csv",
        "cases",
        "cases.csv",
        b"PK\x03\x04\x14\x00\x00\x00 an xlsx",
        refused("cases.csv is not a CSV text file (it contains binary data)."),
    ),
    (
        "unknown-extension",
        "cases",
        "cases.xlsx",
        H + OK,
        refused("cases.xlsx: unknown file type '.xlsx'; use .csv or .parquet."),
    ),
    (
        "corrupt-parquet",
        "cases",
        "cases.parquet",
        H + OK,
        refused(
            "cases.parquet is not a valid Parquet file (Parquet magic bytes not found in footer. Either the file is corrupted or this is not a parquet file)."
        ),
    ),
    ("utf8-across-65536", "cases", "cases.csv", None, rows(2)),  # see _content
    (
        "line-break-in-quotes",
        "cases",
        "cases.csv",
        H.replace("\n", ",status\n")
        + OK.replace("\n", ',"two\nlines"\n')
        + "c2,2021-07-01,0,0,ok\n",
        rows(1, (3, "null_island")),
    ),
    (
        "blank-line-between",
        "cases",
        "cases.csv",
        H + OK + "\n" + "c2,2021-07-01,0,0\n",
        rows(1, (4, "null_island")),
    ),
    (
        "too-few-fields",
        "cases",
        "cases.csv",
        H + OK + "c2,2021-07-01\n",
        rows(1, (3, "malformed_row")),
    ),
    (
        "too-many-fields",
        "cases",
        "cases.csv",
        H + OK + "c2,2021-07-01,-6.2,106.8,x\n",
        rows(1, (3, "malformed_row")),
    ),
    (
        "missing-id",
        "cases",
        "cases.csv",
        H + OK + ",2021-07-01,-6.17505,106.82661\n",
        rows(1, (3, "missing")),
    ),
    ("duplicate-id", "cases", "cases.csv", H + OK + OK, rows(1, (3, "duplicate"))),
    (
        "leading-zeros-and-spaces",
        "cases",
        "cases.csv",
        H + " 007 , 2021-07-01 , -6.17505 , 106.82661 \n",
        rows(1),
    ),
    (
        "date-in-words",
        "cases",
        "cases.csv",
        H + "c1,1 Juli 2021,-6.17505,106.82661\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "date-day-first",
        "cases",
        "cases.csv",
        H + "c1,05/07/2021,-6.17505,106.82661\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "date-with-trailing-text",
        "cases",
        "cases.csv",
        H + "c1,2021-07-05junk,-6.17505,106.82661\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "impossible-date",
        "cases",
        "cases.csv",
        H + "c1,2021-02-30,-6.17505,106.82661\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "date-too-early",
        "cases",
        "cases.csv",
        H + "c1,1900-01-01,-6.17505,106.82661\n",
        rows(0, (2, "too_early")),
    ),
    (
        "date-in-the-future",
        "cases",
        "cases.csv",
        H + "c1,2021-08-02,-6.17505,106.82661\n",
        rows(0, (2, "future")),
    ),
    (
        "year-9999",
        "cases",
        "cases.csv",
        H + "c1,9999-12-31,-6.17505,106.82661\n",
        rows(0, (2, "future")),
    ),
    (
        "timestamp-beyond-2262",
        "checkins",
        "checkins.csv",
        CH + "k1,VENUE-SECRET-A,9999-12-31T23:59:59Z\nk2,VENUE-SECRET-A,2300-01-01\n",
        rows(0, (2, "future"), (3, "future")),
    ),
    (
        "timestamp-before-1677",
        "checkins",
        "checkins.csv",
        CH + "k1,VENUE-SECRET-A,1500-01-01 10:00\n",
        rows(0, (2, "too_early")),
    ),
    (
        "timestamp-in-words",
        "checkins",
        "checkins.csv",
        CH + "k1,VENUE-SECRET-A,yesterday\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "unknown-venue",
        "checkins",
        "checkins.csv",
        CH + "k1,NO-SUCH-VENUE,2021-07-01T10:00:00\n",
        rows(0, (2, "unknown_venue")),
    ),
    (
        "decimal-comma",
        "cases",
        "cases.csv",
        (H + "c1;2021-07-01;-6,17505;106,82661\n").replace(
            "case_id,reported_date,lat,lon", "case_id;reported_date;lat;lon"
        ),
        rows(0, (2, "unparseable")),
    ),
    (
        "text-coordinate",
        "cases",
        "cases.csv",
        H + "c1,2021-07-01,abc,106.8\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "nan-coordinates",
        "cases",
        "cases.csv",
        H + "c1,2021-07-01,NaN,NaN\n",
        rows(0, (2, "unparseable")),
    ),
    (
        "infinite-coordinate",
        "cases",
        "cases.csv",
        H + "c1,2021-07-01,inf,106.8\n",
        rows(0, (2, "out_of_range")),
    ),
    ("half-a-point", "cases", "cases.csv", H + "c1,2021-07-01,-6.2,\n", rows(0, (2, "missing"))),
    (
        "swapped-lat-lon",
        "cases",
        "cases.csv",
        H + "c1,2021-07-01,106.82661,-6.17505\n",
        rows(0, (2, "swapped")),
    ),
    (
        "out-of-range",
        "cases",
        "cases.csv",
        H + "c1,2021-07-01,95.5,300\n",
        rows(0, (2, "out_of_range")),
    ),
    ("null-island", "cases", "cases.csv", H + "c1,2021-07-01,0,0\n", rows(0, (2, "null_island"))),
    (
        "outside-indonesia",
        "cases",
        "cases.csv",
        H + "c1,2021-07-01,1.3521,103.8198\n",
        rows(0, (2, "outside_indonesia")),
    ),
    (
        "unknown-region-code",
        "cases",
        "cases.csv",
        "case_id,reported_date,region_code\nc1,2021-07-01,31.99\n",
        rows(0, (2, "unknown_region")),
    ),
    (
        "no-location-values",
        "cases",
        "cases.csv",
        "case_id,reported_date,lat,lon,region_code\nc1,2021-07-01,,,\n",
        rows(0, (2, "missing")),
    ),
    (
        "count-column",
        "cases",
        "cases.csv",
        H.replace("\n", ",count\n")
        + OK.replace("\n", ",1\n")
        + "c2,2021-07-01,-6.17505,106.82661,1e12\n",
        rows(1, (3, "not_whole")),
    ),
    (
        "negative-count",
        "cases",
        "cases.csv",
        "reported_date,region_code,count\n2021-07-01,31,4\n2021-07-01,32,-3\n",
        rows(1, (3, "negative")),
    ),
    (
        "same-region-and-day-twice",
        "cases",
        "cases.csv",
        "reported_date,region_code,count\n2021-07-01,31,4\n2021-07-01,31,0\n",
        rows(1, (3, "duplicate")),
    ),
    (
        "two-count-columns",
        "cases",
        "cases.csv",
        "reported_date,region_code,count,new_cases\n2021-07-01,31,4,4\n",
        refused(
            "cases.csv has both 'count' and 'new_cases', two names for the column 'count'; "
            "keep one (or rename the other)."
        ),
    ),
    (
        "count-in-check-ins",
        "checkins",
        "checkins.csv",
        "checkin_id,venue_id,checked_in_at,count\nk1,VENUE-SECRET-A,2021-07-01T10:00:00,3\n",
        rows(0, (2, "unsupported_count")),
    ),
]


def _across_65536() -> bytes:
    """Two cases; the two bytes of the "é" in the first are bytes 65,535 and 65,536 (0-based)."""
    head = (H.replace("\n", ",status\n") + OK.replace("\n", ",")).encode()
    pad = b"x" * (65535 - len(head))
    return head + pad + "é\n".encode() + b"c2,2021-07-02,-6.17505,106.82661,ok\n"


@pytest.mark.parametrize(
    ("kind", "name", "content", "outcome"), [pytest.param(*c[1:], id=c[0]) for c in BAD_INPUT]
)
def test_bad_input(fixture_venues, tmp_path, kind, name, content, outcome):
    from geo.errors import InputFileError

    path = tmp_path / name
    content = _across_65536() if content is None else content
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    def check():
        return cases(path) if kind == "cases" else checkins(path, fixture_venues.accepted)

    if outcome[0] == "refused":
        with pytest.raises(InputFileError, match=f"^{re.escape(outcome[1])}$"):
            check()
        return
    checked = check()
    assert checked.counts["accepted"] == outcome[1]
    assert checked.quarantine[["row", "check"]].values.tolist() == [list(q) for q in outcome[2]]
    assert balanced(checked)


def test_the_readme_lists_every_class_of_bad_input_with_its_outcome():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Bad input") :]
    table = {}
    for line in section.splitlines()[1:]:
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            table[cells[0].strip("`")] = cells[-1]
        elif table and not line.startswith("|"):
            break
    assert list(table) == [c[0] for c in BAD_INPUT]
    assert len(table) >= 33
    for name, _, _, _, outcome in BAD_INPUT:
        said = table[name].replace("\\|", "|")
        if outcome[0] == "refused":
            assert said.startswith("refused"), name
            assert outcome[1] in said, name
        elif not outcome[2]:
            assert said.startswith("read"), name
        else:
            assert {f"`{check}`" for _, check in outcome[2]} <= set(re.findall(r"`\w+`", said)), (
                name
            )


# Property: any bytes given as a CSV are refused whole with one sentence (InputFileError, the
# readers' and validation's error), or give accepted + quarantined = read; never another error.
_HEADERS = {
    "cases": b"case_id,reported_date,lat,lon,region_code\n",
    "venues": b"venue_id,name,category,lat,lon\n",
    "check-ins": b"checkin_id,venue_id,checked_in_at\n",
}
_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "latin-1")
_CSVISH = st.text(
    alphabet=st.sampled_from(list("ab1,;|\t\"' \n\r.-:0-9\ufeff\x00é")), max_size=200
).flatmap(lambda text: st.sampled_from([text.encode(e, "replace") for e in _ENCODINGS]))


def _validated(label: str, path) -> object:
    if label == "cases":
        return cases(path)
    if label == "venues":
        return venues(path)
    return checkins(path, pd.DataFrame({"venue_id": ["a", "1"]}))


@settings(max_examples=120, deadline=None)  # no timing: the machine is shared
@given(
    label=st.sampled_from(list(_HEADERS)),
    head=st.booleans(),
    body=st.one_of(st.binary(max_size=200), _CSVISH),
)
def test_any_bytes_are_refused_whole_or_balanced(label: str, head: bool, body: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes((_HEADERS[label] if head else b"") + body)
        try:
            checked = _validated(label, path)
        except InputFileError as exc:
            message = str(exc)
            assert message.endswith("."), message
            assert message.strip() == message
            assert "\n" not in message
            return
    assert balanced(checked)
