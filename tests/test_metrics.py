"""Daily windows (7 and 14 days, the 4-week check-in baseline) and the ratios made from them."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import cells
from geo.columns import COUNT_METRICS
from geo.metrics import BASELINE_DAYS, EVENT_COLUMNS, Daily, ratios, windows

JULY_1, JULY_31 = dt.date(2021, 7, 1), dt.date(2021, 7, 31)


def events(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# Key "a": 2 cases on 07-01; on 07-03 one case and an allocated half case (listed as two events
# of one day, with their alloc); 1 case on 07-10. Key "e": 3 exposed check-ins on 07-02.
CASES = events(
    ("a", "2021-07-01", 2, 0, 0, 0),
    ("a", "2021-07-03", 1, 0.5, 0, 0),
    ("a", "2021-07-03", 0.5, 0.5, 0, 0),
    ("a", "2021-07-10", 1, 0, 0, 0),
    ("e", "2021-07-02", 0, 0, 0, 3),
)


@pytest.fixture(scope="module")
def case_windows() -> pd.DataFrame:
    return windows(CASES, start=JULY_1, end=JULY_31).set_index(["key", "date"])


def at(table: pd.DataFrame, key: str, day: str, column: str) -> float:
    return table.loc[(key, pd.Timestamp(day)), column]


@pytest.mark.parametrize(
    ("day", "new", "allocated", "c7", "c14"),
    [
        ("2021-07-01", 2, 0, 2, 2),
        ("2021-07-02", 0, 0, 2, 2),
        # 07-03: 1 + 0.5 new, of which 0.5 + 0.5 allocated; 7 days: 2 + 1.5.
        ("2021-07-03", 1.5, 1, 3.5, 3.5),
        ("2021-07-07", 0, 0, 3.5, 3.5),  # 07-01..07-07: every case
        ("2021-07-08", 0, 0, 1.5, 3.5),  # 07-02..07-08: the 07-01 cases left the 7 days
        ("2021-07-10", 1, 0, 1, 4.5),  # 07-04..07-10 holds 1; 06-27..07-10 holds 4.5
        ("2021-07-14", 0, 0, 1, 4.5),  # 07-01..07-14: the last day of the 07-01 cases
        ("2021-07-15", 0, 0, 1, 2.5),  # 07-02..07-15
        ("2021-07-16", 0, 0, 1, 2.5),  # 07-10..07-16: the last 7-day day of the 07-10 case
        ("2021-07-17", 0, 0, 0, 1),  # 07-04..07-17
        ("2021-07-23", 0, 0, 0, 1),  # 07-10..07-23: the last 14-day day of the 07-10 case
    ],
)
def test_case_windows(case_windows, day, new, allocated, c7, c14):
    row = case_windows.loc[("a", pd.Timestamp(day))]
    assert (row["new_cases"], row["new_cases_allocated"]) == (new, allocated)
    assert (row["cases_7d"], row["cases_14d"]) == (c7, c14)


def test_rows_absent_where_every_window_is_empty(case_windows):
    days_a = case_windows.loc["a"].index
    assert days_a.min() == pd.Timestamp("2021-07-01")
    assert days_a.max() == pd.Timestamp("2021-07-23")  # 07-24: nothing in 14 days
    assert len(days_a) == 23
    days_e = case_windows.loc["e"].index
    # Exposure carries 7 days: 07-02..07-08, then the key has no row.
    assert list(days_e) == list(pd.date_range("2021-07-02", "2021-07-08"))
    assert list(case_windows.loc["e", "exposed_checkins_7d"]) == [3.0] * 7
    assert list(case_windows.loc["e", "exposed_checkins"]) == [3.0] + [0.0] * 6
    assert (case_windows.loc["e", "cases_14d"] == 0).all()


def test_no_row_before_the_first_event_or_after_the_end():
    table = windows(CASES, start=JULY_1, end=dt.date(2021, 7, 12))
    assert table["date"].min() == pd.Timestamp("2021-07-01")
    assert table["date"].max() == pd.Timestamp("2021-07-12")
    assert str(table["date"].dtype) == "datetime64[s]"


def test_rows_are_ordered_by_date_then_key(case_windows):
    table = case_windows.reset_index()
    assert table.equals(table.sort_values(["date", "key"]).reset_index(drop=True))


def test_sums_over_windows_are_conserved(case_windows):
    # Each case is new on one day, in 7 windows of 7 days and 14 windows of 14 days.
    assert case_windows["new_cases"].sum() == 4.5
    assert case_windows["cases_7d"].sum() == 4.5 * 7
    assert case_windows["cases_14d"].sum() == 4.5 * 14
    assert case_windows["new_cases_allocated"].sum() == 1


# Key "v": 7 check-ins a day from 06-01 to 07-05 (35 days), then 14 a day to 07-12.
CROWD = events(
    *(("v", str(d.date()), 0, 0, 7, 0) for d in pd.date_range("2021-06-01", "2021-07-05")),
    *(("v", str(d.date()), 0, 0, 14, 0) for d in pd.date_range("2021-07-06", "2021-07-12")),
)


@pytest.fixture(scope="module")
def crowd() -> pd.DataFrame:
    table = windows(CROWD, start=dt.date(2021, 6, 1), end=dt.date(2021, 7, 12))
    table["population"] = 1000.0
    return ratios(table).set_index("date")


def test_baseline_is_null_until_35_days_of_history(crowd):
    assert BASELINE_DAYS == 35
    # The build starts 06-01: 06-01 + 34 days = 07-05 is the first day with a baseline.
    assert crowd.loc[:"2021-07-04", "checkins_baseline_7d"].isna().all()
    assert crowd.loc["2021-07-05":, "checkins_baseline_7d"].notna().all()
    assert crowd.loc[:"2021-07-04", "crowding_ratio"].isna().all()


@pytest.mark.parametrize(
    ("day", "checkins", "c7", "baseline", "crowding"),
    [
        # 07-05: 7 days of 7 = 49; the 4 weeks before (06-01..06-28): 28 * 7 / 4 = 49; 49 / 49.
        ("2021-07-05", 7, 49, 49, 1.0),
        # 07-08: 07-02..07-05 at 7 and 07-06..07-08 at 14: 28 + 42 = 70; 06-04..07-01: 49.
        ("2021-07-08", 14, 70, 49, 70 / 49),
        # 07-12: 7 * 14 = 98; 06-08..07-05: 49; 98 / 49 = 2.
        ("2021-07-12", 14, 98, 49, 2.0),
    ],
)
def test_checkin_windows_and_crowding(crowd, day, checkins, c7, baseline, crowding):
    row = crowd.loc[day]
    assert (row["checkins"], row["checkins_7d"], row["checkins_baseline_7d"]) == (
        checkins,
        c7,
        baseline,
    )
    assert row["crowding_ratio"] == pytest.approx(crowding, rel=1e-12)


def test_growth_ratio_and_cases_per_100k(case_windows):
    table = case_windows.reset_index()
    table["population"] = 50_000.0
    ratios(table)
    table = table.set_index(["key", "date"])
    # 07-10: 1 case in 7 days, 4.5 - 1 = 3.5 the week before: 1 / 3.5.
    assert at(table, "a", "2021-07-10", "growth_ratio_7d") == pytest.approx(1 / 3.5)
    # 07-03: nothing the week before: no growth ratio rather than infinity.
    assert np.isnan(at(table, "a", "2021-07-03", "growth_ratio_7d"))
    # 07-03: 3.5 cases among 50,000 = 3.5 * 100,000 / 50,000 = 7 per 100k.
    assert at(table, "a", "2021-07-03", "cases_per_100k_7d") == 7.0
    # No baseline: no crowding ratio.
    assert table["crowding_ratio"].isna().all()


def test_ratios_without_population_or_baseline_are_missing_not_zero_or_infinite():
    table = pd.DataFrame(
        {
            "population": [0.0, 200.0],
            "cases_7d": [3.0, 1.0],
            "cases_14d": [3.0, 3.0],
            "checkins_7d": [10.0, 30.0],
            "checkins_baseline_7d": [0.0, 20.0],
        }
    )
    ratios(table)
    assert np.isnan(table["cases_per_100k_7d"].iloc[0])
    assert table["cases_per_100k_7d"].iloc[1] == 500.0  # 1 * 100,000 / 200
    assert np.isnan(table["growth_ratio_7d"].iloc[0])
    assert table["growth_ratio_7d"].iloc[1] == 0.5  # 1 / (3 - 1)
    assert np.isnan(table["crowding_ratio"].iloc[0])
    assert table["crowding_ratio"].iloc[1] == 1.5  # 30 / 20


def test_empty_events_give_an_empty_table():
    table = windows(events(), start=JULY_1, end=JULY_31)
    assert table.empty
    assert list(table.columns[:2]) == ["key", "date"]


def test_sums_do_not_depend_on_the_order_of_the_events():
    # In floating point (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3), and 5e-10 more sits on a rounding
    # edge: summed in another order, the same allocated fractions gave another value (rounding to
    # 9 decimals afterwards did not help: 0.6 or 0.600000001). In fixed point, every order agrees.
    fractions = [0.1, 0.2, 0.3, 5e-10]
    rows = [("a", "2021-07-01", f, f, 0, 0) for f in fractions]
    outcomes = set()
    for order in itertools.permutations(range(len(rows))):
        table = windows(events(*(rows[i] for i in order)), start=JULY_1, end=JULY_31)
        outcomes.add(table.to_csv(float_format="%.17g"))
    assert len(outcomes) == 1
    last = windows(events(*rows), start=JULY_1, end=JULY_31).set_index("date")
    assert last.loc[pd.Timestamp("2021-07-01"), "cases_7d"] == 0.6000000005


def test_an_event_of_millions_of_cases_is_summed_wide():
    # A 64-bit decimal of 12 places holds less than a million: larger events take 128 bits.
    table = windows(
        events(("a", "2021-07-01", 2_500_000.5, 0.5, 0, 0), ("a", "2021-07-02", 1, 0, 0, 0)),
        start=JULY_1,
        end=JULY_31,
    ).set_index("date")
    assert table.loc[pd.Timestamp("2021-07-02"), "cases_7d"] == 2_500_001.5
    assert table.loc[pd.Timestamp("2021-07-01"), "new_cases_allocated"] == 0.5


# Property: the windows of a coarser H3 resolution are the sums of the windows of its children,
# count by count, day by day (cells -> parents conserves every count at every resolution).
_COUNTS = list(COUNT_METRICS)
_event = st.tuples(
    st.floats(-7.0, -6.0),  # lat: western Java, so that cells share parents
    st.floats(106.0, 107.0),  # lon
    st.integers(0, 20),  # day in July
    st.integers(0, 8).map(lambda q: q / 4),  # cases, in quarters (allocated fractions)
    st.integers(0, 5),  # check-ins
    st.integers(0, 5),  # exposed check-ins
)


@settings(max_examples=25, deadline=None)  # no timing: the machine is shared
@given(rows=st.lists(_event, min_size=1, max_size=25), resolution=st.sampled_from([8, 7, 6]))
def test_windows_of_parent_cells_are_the_sums_of_their_children(rows, resolution) -> None:
    lat, lon, day, cases, checkins, exposed = (np.array(c) for c in zip(*rows, strict=True))
    base = cells.points_to_cells(lat.astype(float), lon.astype(float), 9)
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp(JULY_1) + pd.to_timedelta(day, unit="D"),
            "cases": cases.astype(float),
            "alloc": cases.astype(float) / 2,
            "checkins": checkins.astype(float),
            "exposed": np.minimum(exposed, checkins).astype(float),
        }
    )
    fine = windows(frame.assign(key=base), start=JULY_1, end=JULY_31)
    coarse = windows(frame.assign(key=cells.parents(base, resolution)), start=JULY_1, end=JULY_31)
    fine["key"] = cells.parents(fine["key"].to_numpy(dtype=np.uint64), resolution)
    summed = fine.groupby(["key", "date"])[_COUNTS].sum(
        min_count=1
    )  # baseline: null before 35 days
    got = coarse.set_index(["key", "date"])[_COUNTS].sort_index()
    pd.testing.assert_frame_equal(got, summed.sort_index(), check_exact=False, rtol=1e-12)
    assert not (coarse["cases_14d"] > frame["cases"].sum()).any()


# Property: summed once and read a chunk of days at a time (as the build does), the windows are
# those of the whole period, row for row and bit for bit, whatever the chunk's length.
@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(_event, min_size=1, max_size=25),
    chunk=st.integers(1, 9),
    first=st.integers(0, 20),
)
def test_windows_read_by_chunks_are_the_whole_periods(rows, chunk, first) -> None:
    lat, lon, day, cases, checkins, exposed = (np.array(c) for c in zip(*rows, strict=True))
    frame = pd.DataFrame(
        {
            "key": cells.points_to_cells(lat.astype(float), lon.astype(float), 7),
            "date": pd.Timestamp(JULY_1) + pd.to_timedelta(day, unit="D"),
            "cases": cases.astype(float),
            "alloc": cases.astype(float) / 2,
            "checkins": checkins.astype(float),
            "exposed": np.minimum(exposed, checkins).astype(float),
        }
    )
    start = JULY_1 + dt.timedelta(days=first)  # the days before it are the look-back only
    whole = windows(frame, start=JULY_1, end=JULY_31, first=start)
    parts = []
    with Daily(frame, start - dt.timedelta(days=BASELINE_DAYS - 1), JULY_31) as summed:
        day_one = start
        while day_one <= JULY_31:
            last = min(JULY_31, day_one + dt.timedelta(days=chunk - 1))
            parts.append(summed.windows(start=JULY_1, end=last, first=day_one))
            day_one = last + dt.timedelta(days=1)
    got = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(got, whole, check_exact=True)
