"""Running totals into new cases per day: first report, gaps, corrections, conservation."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.cumulative import CORRECTION_COLUMNS, to_daily


def series(*reports: tuple[str, str, int]) -> pd.DataFrame:
    """Accepted rows of a cumulative file: (region, date, total)."""
    return pd.DataFrame(
        {
            "case_id": None,
            "date": pd.to_datetime([d for _, d, _ in reports]),
            "lat": np.nan,
            "lon": np.nan,
            "poly": -1,
            "region_code": [r for r, _, _ in reports],
            "person_id": None,
            "count": np.array([t for _, _, t in reports], dtype=np.int64),
        }
    )


def days_of(daily: pd.DataFrame, region: str) -> list[tuple[str, int]]:
    rows = daily[daily["region_code"] == region]
    return list(zip(rows["date"].dt.strftime("%m-%d"), rows["count"].tolist(), strict=True))


def test_the_first_report_is_placed_whole_on_its_day():
    out = to_daily(series(("31.71", "2021-07-05", 40)))
    assert days_of(out.daily, "31.71") == [("07-05", 40)]
    assert out.summary == {
        "places": 1,
        "regions": 1,
        "reports": 1,
        "days": 1,
        "days_filled": 0,
        "corrections": 0,
        "cases": 40,
    }


def test_a_gap_is_spread_in_equal_shares_with_the_remainder_to_the_latest_days():
    # 10 → 17 over 3 days: 7 = 2 + 2 + 3; 17 → 17 over 2 days: zero reports.
    out = to_daily(
        series(
            ("31.71", "2021-07-01", 10),
            ("31.71", "2021-07-04", 17),
            ("31.71", "2021-07-06", 17),
        )
    )
    assert days_of(out.daily, "31.71") == [
        ("07-01", 10),
        ("07-02", 2),
        ("07-03", 2),
        ("07-04", 3),
        ("07-05", 0),
        ("07-06", 0),
    ]
    assert out.summary["days_filled"] == 3
    assert out.daily["case_id"].isna().all()


def test_a_lower_total_is_a_correction_taken_back_from_the_days_before():
    # 5, 9 (+4 over 07-02..03: 2, 2), then 6 on 07-05: 3 taken back from 07-03 (2) and 07-02 (1).
    out = to_daily(
        series(
            ("32.73", "2021-07-01", 5),
            ("32.73", "2021-07-03", 9),
            ("32.73", "2021-07-05", 6),
        )
    )
    assert days_of(out.daily, "32.73") == [
        ("07-01", 5),
        ("07-02", 1),
        ("07-03", 0),
        ("07-04", 0),
        ("07-05", 0),
    ]
    assert out.daily["count"].sum() == 6  # the last reported total
    assert out.corrections.columns.tolist() == CORRECTION_COLUMNS
    assert out.corrections.drop(columns=["lat", "lon"]).values.tolist() == [
        [
            "32.73",
            "2021-07-05",
            9,
            6,
            "the running total fell from 9 to 6: the 3 cases were taken back from the days "
            "before, latest first",
        ]
    ]
    assert out.summary["corrections"] == 1


def test_a_region_reporting_late_starts_late_with_everything_before():
    out = to_daily(
        series(
            ("31.71", "2021-07-01", 3),
            ("31.71", "2021-07-02", 4),
            ("31.72", "2021-07-02", 50),  # first report on the second day
        )
    )
    assert days_of(out.daily, "31.71") == [("07-01", 3), ("07-02", 1)]
    assert days_of(out.daily, "31.72") == [("07-02", 50)]
    assert out.summary["regions"] == 2


def test_points_are_places_of_their_own():
    frame = series(("x", "2021-07-01", 2), ("x", "2021-07-03", 4))
    frame["region_code"] = None
    frame["lat"], frame["lon"] = -6.1754, 106.8272
    out = to_daily(frame)
    assert out.daily["count"].tolist() == [2, 1, 1]
    assert out.summary["places"] == 1
    assert out.summary["regions"] == 0


def test_no_rows_give_no_days():
    out = to_daily(series())
    assert out.daily.empty
    assert out.corrections.empty
    assert out.summary["cases"] == 0


totals = st.lists(
    st.tuples(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=500)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(totals, min_size=1, max_size=3))
def test_every_place_sums_to_its_last_total_and_no_day_is_negative(places):
    reports, lasts = [], {}
    for i, steps in enumerate(places):
        day = dt.date(2021, 7, 1)
        for gap, total in steps:
            day += dt.timedelta(days=gap)
            reports.append((f"31.7{i}", day.isoformat(), total))
        lasts[f"31.7{i}"] = steps[-1][1]
    out = to_daily(series(*reports))
    assert (out.daily["count"] >= 0).all()
    summed = out.daily.groupby("region_code")["count"].sum().to_dict()
    assert summed == lasts
    for region, group in out.daily.groupby("region_code"):
        # every day from the first report to the last, once
        span = (group["date"].max() - group["date"].min()).days + 1
        assert group["date"].is_unique, region
        assert len(group) == span, region
    falls = sum(1 for steps in places for (_, a), (_, b) in itertools.pairwise(steps) if b < a)
    assert len(out.corrections) == out.summary["corrections"] == falls


@settings(max_examples=200, deadline=None)
@given(totals)
def test_without_corrections_every_report_is_the_running_sum_on_its_day(steps):
    steps = [(gap, total) for gap, total in steps]
    running = [max(t for _, t in steps[: i + 1]) for i in range(len(steps))]
    day, reports = dt.date(2021, 7, 1), []
    for (gap, _), total in zip(steps, running, strict=True):
        day += dt.timedelta(days=gap)
        reports.append(("31.71", day.isoformat(), total))
    out = to_daily(series(*reports))
    sums = out.daily.set_index("date")["count"].cumsum()
    for _, when, total in reports:
        assert sums[pd.Timestamp(when)] == total
