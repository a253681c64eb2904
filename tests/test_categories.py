"""Check-ins by venue category per region (officials only), on the hand-made build."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import categories, store

pytest_plugins = ["pipeline_fixtures"]

# Venue A (supermarket, Gambir 31.71.01.1001): 5 check-ins on 30 Jun, 2 of them exposed to case
# c01; venue B (supermarket, Kemayoran 31.71.03.1001): 2 check-ins on 2 Jul, none exposed;
# venue C (pharmacy, Tebet 31.74.01.1001): none.
JULY_2 = dt.date(2021, 7, 2)


def table(built) -> pd.DataFrame:
    out, _ = built
    return pd.read_parquet(out / categories.FILE)


def test_the_build_writes_the_table_with_its_columns(built) -> None:
    rows = table(built)
    assert list(rows.columns) == categories.COLUMNS
    assert sorted(rows["category"].unique()) == ["supermarket"]  # C had no check-in


def test_a_regency_on_a_day_reads_as_the_hand_count(built) -> None:
    out, _ = built
    got = categories.breakdown(out, JULY_2, "31.71")
    assert got.to_dict("records") == [
        {
            "category": "supermarket",
            "checkins_7d": 7.0,
            "exposed_checkins_7d": 2.0,
            "exposed_pct_7d": pytest.approx(200 / 7),
        }
    ]


def test_the_country_sums_the_provinces(built) -> None:
    out, _ = built
    country = categories.breakdown(out, JULY_2, None)
    assert country.to_dict("records") == categories.breakdown(out, JULY_2, "31").to_dict("records")


def test_a_village_row_lasts_the_seven_days_after_its_check_ins(built) -> None:
    rows = table(built)
    gambir = rows[rows["region_code"] == "31.71.01.1001"]
    assert gambir["date"].dt.date.tolist() == [
        dt.date(2021, 6, 30) + dt.timedelta(days=n) for n in range(7)
    ]
    assert gambir["checkins"].tolist() == [5.0, 0, 0, 0, 0, 0, 0]
    assert set(gambir["checkins_7d"]) == {5.0}
    assert set(gambir["exposed_checkins_7d"]) == {2.0}


def test_check_ins_are_conserved_across_levels(built) -> None:
    rows = table(built)
    per_level = rows.groupby(["region_level", "date", "category"])["checkins"].sum().unstack(0)
    for level in ("regency", "district", "village"):
        assert per_level[level].tolist() == per_level["province"].tolist()


def test_a_region_without_check_ins_or_a_build_without_the_table_is_empty(built, tmp_path):
    out, _ = built
    assert categories.breakdown(out, JULY_2, "31.74").empty
    assert categories.breakdown(tmp_path, JULY_2, "31.71").empty
    assert list(categories.breakdown(tmp_path, JULY_2, None).columns) == [
        "category",
        "checkins_7d",
        "exposed_checkins_7d",
        "exposed_pct_7d",
    ]


def test_venues_outside_dki_or_no_check_ins_build_without_a_village_level() -> None:
    # Banjarmasin Tengah: no village polygons in Kalimantan Selatan, so that level has no rows.
    venue_days = pd.DataFrame(
        {
            "poly": [_banjarmasin_poly()],
            "category": ["pharmacy"],
            "date": [pd.Timestamp("2021-07-01")],
            "checkins": [3.0],
            "exposed": [float("nan")],
        }
    )
    rows = categories.category_daily(venue_days, dt.date(2021, 7, 1), dt.date(2021, 7, 2))
    assert sorted(set(rows["region_level"])) == ["district", "province", "regency"]
    assert rows[rows["region_code"] == "63.71"]["checkins_7d"].tolist() == [3.0, 3.0]
    nothing = categories.category_daily(
        venue_days.iloc[0:0], dt.date(2021, 7, 1), dt.date(2021, 7, 2)
    )
    assert nothing.empty
    assert list(nothing.columns) == categories.COLUMNS


def _banjarmasin_poly() -> int:
    from geo.regions import locate_points

    return int(locate_points([-3.3194], [114.5908])[0])  # 63.71.05 Banjarmasin Tengah


# Gambir, Kemayoran (DKI: villages) and Banjarmasin Tengah (no village polygons).
POINTS = ([-6.17505, -6.16627, -3.3194], [106.82661, 106.84505, 114.5908])
START, END = dt.date(2021, 7, 1), dt.date(2021, 7, 12)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 2),  # place
            st.sampled_from(["pharmacy", "supermarket"]),
            st.integers(0, 11),  # day
            st.integers(1, 50),  # check-ins
            st.integers(0, 3),  # exposed
        ),
        max_size=30,
    ),
    first=st.integers(1, 11),
)
def test_copied_days_and_the_week_before_the_first_give_every_row(rows, first, tmp_path_factory):
    # An incremental build copies the rows before its first computed day from the previous
    # version, and reads the venue days from 6 days before it: the table is the same.
    from geo.regions import locate_points

    polys = locate_points(*POINTS)
    venue_days = pd.DataFrame(
        {
            "poly": pd.Series([int(polys[p]) for p, *_ in rows], dtype="int64"),
            "category": pd.Series([c for _, c, *_ in rows], dtype=object),
            "date": pd.Series(
                [pd.Timestamp(START) + pd.Timedelta(days=d) for _, _, d, *_ in rows],
                dtype="datetime64[s]",
            ),
            "checkins": pd.Series([float(n) for *_, n, _ in rows], dtype=float),
            "exposed": pd.Series([float(min(e, n)) for *_, n, e in rows], dtype=float),
        }
    )
    every = categories.category_daily(venue_days, START, END)
    day = START + dt.timedelta(days=first)
    path = tmp_path_factory.mktemp("previous") / categories.FILE  # as the build writes it
    store.write_parquet(every, path)
    before = pq.read_table(path, filters=[("date", "<", pd.Timestamp(day))]).to_pandas()
    recent = venue_days[venue_days["date"] >= pd.Timestamp(day - dt.timedelta(days=6))]
    again = categories.category_daily(recent, START, END, (day, before))
    if every.empty:
        assert again.empty
    else:
        pd.testing.assert_frame_equal(again, every, check_exact=True)
