"""The rows a build reads by date range, and how far around a day its figures look."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pipeline_fixtures import cases, checkins, venues

from geo.build import Inputs
from geo.config import Exposure, load_config
from geo.rowsource import VENUE_DAY_COLUMNS, FrameRows, Reach, RowSource, reach

pytest_plugins = ["pipeline_fixtures"]

D = dt.date


def test_reach_of_the_default_configuration() -> None:
    # 35 days of check-in baseline (the day and 34 before); a case up to 14 days after a
    # check-in, and check-ins up to 2 hours apart (one day across midnight).
    assert reach(load_config()) == Reach(back=34, ahead=15)


def test_reach_follows_the_exposure_rules() -> None:
    config = load_config().model_copy(
        update={"exposure": Exposure(case_within_days=7, window_hours=24)}
    )
    assert reach(config) == Reach(back=34, ahead=8)  # 24 hours still reach one day away


@pytest.fixture(scope="module")
def rows(inputs: dict[str, Path]) -> FrameRows:
    checked_venues = venues(inputs["venues"])
    return FrameRows(
        Inputs(
            cases(inputs["cases"]),
            checkins(inputs["checkins"], checked_venues.accepted),
            checked_venues,
        ),
        load_config(),
    )


def test_frame_rows_is_a_row_source(rows: FrameRows) -> None:
    source: RowSource = rows
    assert source.date_range() == (D(2021, 6, 30), D(2021, 7, 8))
    assert sorted(source.venues()["venue_id"]) == [
        "VENUE-SECRET-A",
        "VENUE-SECRET-B",
        "VENUE-SECRET-C",
    ]


def test_cases_of_a_date_range(rows: FrameRows) -> None:
    # c01-c03 on 1 July, c04 on 3 July; c05 and later are after the range.
    assert sorted(rows.cases(D(2021, 7, 1), D(2021, 7, 3))["case_id"]) == [
        "c01",
        "c02",
        "c03",
        "c04",
    ]
    assert rows.cases(D(2021, 7, 9), D(2021, 7, 31)).empty


def test_venue_days_count_check_ins_and_exposure(rows: FrameRows) -> None:
    found = rows.venue_days(D(2021, 6, 30), D(2021, 7, 8))
    assert list(found.columns) == VENUE_DAY_COLUMNS
    assert found.to_dict("records") == [
        # k1-k5 at A; k2 and k3 met the infectious k1 (its person is case c01 the next day)
        {
            "venue_id": "VENUE-SECRET-A",
            "date": pd.Timestamp("2021-06-30"),
            "checkins": 5,
            "exposed": 2,
        },
        {
            "venue_id": "VENUE-SECRET-B",
            "date": pd.Timestamp("2021-07-02"),
            "checkins": 2,
            "exposed": 0,
        },
    ]
    assert found["checkins"].dtype == "int64"
    assert found["exposed"].dtype == "int64"


def test_a_day_alone_looks_ahead_for_its_exposure(rows: FrameRows) -> None:
    # Case c01 (1 July) is after the range of 30 June, and still exposes k2 and k3.
    every = rows.venue_days(D(2021, 6, 30), D(2021, 7, 8))
    for day in pd.date_range("2021-06-29", "2021-07-09"):
        alone = rows.venue_days(day.date(), day.date())
        expected = every[every["date"] == day].reset_index(drop=True)
        pd.testing.assert_frame_equal(alone.reset_index(drop=True), expected)
