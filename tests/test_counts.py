"""Counts in a cases file: whole numbers, a zero is a report, one row per place and day."""

from __future__ import annotations

import numpy as np
import pytest
from pipeline_fixtures import VENUES_CSV, balanced, cases, checkins, write

from geo.readers import read_input
from geo.validate import (
    VENUE_COLUMNS,
    validate_venues,
)


@pytest.fixture(scope="module")
def fixture_venues(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("counts") / "venues.csv", VENUES_CSV)
    return validate_venues(read_input(path, VENUE_COLUMNS, label="venues"))


@pytest.fixture(scope="module")
def fixture_cases(tmp_path_factory):
    from pipeline_fixtures import CASES_CSV

    return cases(write(tmp_path_factory.mktemp("counts") / "cases.csv", CASES_CSV))


def test_a_count_column_holds_whole_numbers_and_a_zero_is_a_report(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        """\
        reported_date,region_code,count
        2021-07-01,31,5
        2021-07-01,32,0
        2021-07-01,33,-1
        2021-07-01,34,2.5
        2021-07-01,35,5.0
        2021-07-01,36,1e12
        2021-07-01,51,lima
        2021-07-01,52,
        2021-07-01,53,1000000001
        2021-07-02,31,1000000000
        """,
    )
    checked = cases(path)
    assert checked.accepted[["region_code", "count"]].values.tolist() == [
        ["31", 5],
        ["32", 0],
        ["31", 1_000_000_000],
    ]
    assert checked.accepted["count"].dtype == np.int64
    assert checked.accepted["case_id"].isna().all()  # published counts have no ids
    assert checked.quarantine[["row", "column", "check", "value", "reason"]].values.tolist() == [
        [4, "count", "negative", "-1", "count is negative"],
        [5, "count", "not_whole", "2.5", "count is not a whole number (digits only)"],
        [6, "count", "not_whole", "5.0", "count is not a whole number (digits only)"],
        [7, "count", "not_whole", "1e12", "count is not a whole number (digits only)"],
        [8, "count", "unparseable", "lima", "count is not a number"],
        [9, "count", "missing", "", "count is missing"],
        [10, "count", "out_of_range", "1000000001", "count is outside 0..1000000000"],
    ]
    assert balanced(checked)


def test_a_row_without_a_count_column_is_one_case(fixture_cases):
    assert set(fixture_cases.accepted["count"]) == {1}


def test_a_place_and_day_twice_in_a_file_of_counts_is_a_duplicate(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        """\
        reported_date,region_code,lat,lon,new_cases,case_id
        2021-07-01,31.71,,,3,
        2021-07-02,31.71,,,4,
        2021-07-01,31.71,,,1,
        2021-07-01,,-6.17505,106.82661,2,
        2021-07-01,,-6.17505,106.82661,2,
        2021-07-01,31.72,,,2,k1
        2021-07-01,31.73,,,2,k1
        """,
    )
    checked = cases(path)
    assert checked.accepted["count"].tolist() == [3, 4, 2, 2]
    assert checked.accepted["case_id"].isna().tolist() == [True, True, True, False]
    assert checked.accepted["case_id"].iloc[3] == "k1"
    assert checked.quarantine[["row", "column", "check", "reason"]].values.tolist() == [
        [
            4,
            "region_code",
            "duplicate",
            "duplicate report of region 31.71 on 2021-07-01 (first at row 2)",
        ],
        [
            6,
            "lat",
            "duplicate",
            "duplicate report of point -6.17505,106.82661 on 2021-07-01 (first at row 5)",
        ],
        [8, "case_id", "duplicate", "duplicate case_id (first at row 7)"],
    ]
    assert balanced(checked)


def test_a_count_column_in_check_ins_is_quarantined_unless_1(fixture_venues, tmp_path):
    path = write(
        tmp_path / "checkins.csv",
        """\
        checkin_id,venue_id,checked_in_at,count
        k1,VENUE-SECRET-A,2021-07-01T10:00:00,1
        k2,VENUE-SECRET-A,2021-07-01T10:00:00,5
        """,
    )
    checked = checkins(path, fixture_venues.accepted)
    assert len(checked.accepted) == 1
    assert checked.quarantine[["row", "check", "reason"]].values.tolist() == [
        [3, "unsupported_count", "check-ins have no count column: one row per check-in"]
    ]
