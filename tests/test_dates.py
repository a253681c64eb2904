"""Strict ISO dates, ISO timestamps to UTC microseconds (never wrapped), the plausible window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo.dates import Window, parse_dates, parse_timestamps


def test_dates_are_strict_iso():
    text = pd.Series(
        ["2021-07-05", "2021-07-05T10:00:00+07:00", "2021-07-05junk", "5/7/2021", "2021-02-30"]
    )
    parsed = parse_dates(text)
    assert parsed.iloc[:2].tolist() == [pd.Timestamp("2021-07-05")] * 2
    assert parsed.iloc[2:].isna().all()


def test_dates_keep_years_outside_nanoseconds():
    parsed = parse_dates(pd.Series(["0001-01-01", "1900-01-01", "9999-12-31"]))
    assert [d.year for d in parsed] == [1, 1900, 9999]


@pytest.mark.parametrize("with_bad_day", [False, True])
def test_timestamps_to_utc_microseconds_never_wrap(with_bad_day):
    # Naive is WIB (UTC+7); with a 30 February in the batch the slow path parses the rest.
    text = ["2021-07-01T10:00:00", "2021-07-01 10:00:00Z", "9999-12-31T23:59:59Z", "2300-01-01"]
    text += ["2021-07-01T10:00:00.250+08:00", "yesterday"]
    if with_bad_day:
        text.append("2021-02-30T10:00:00")
    parsed = parse_timestamps(pd.Series(text))
    assert parsed.dtype == np.dtype("datetime64[us]")
    assert parsed[:5].tolist() == [
        dt.datetime(2021, 7, 1, 3, 0),
        dt.datetime(2021, 7, 1, 10, 0),
        dt.datetime(9999, 12, 31, 23, 59, 59),  # not 1816-03-30
        dt.datetime(2299, 12, 31, 17, 0),  # not 1715
        dt.datetime(2021, 7, 1, 2, 0, 0, 250000),
    ]
    assert np.isnat(parsed[5:]).all()


def test_window_reasons_name_their_limit():
    today = Window(dt.date(2020, 1, 1), dt.date(2021, 8, 1))
    assert today.too_early("reported_date") == (
        "reported_date is before 2020-01-01 (input.earliest_date)"
    )
    assert today.future("reported_date") == "reported_date is after today (2021-08-01)"
    configured = Window(dt.date(2020, 1, 1), dt.date(2021, 7, 15), latest_is_today=False)
    assert configured.future("checked_in_at") == (
        "checked_in_at is after 2021-07-15 (input.latest_date)"
    )
