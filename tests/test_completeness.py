"""Complete days: who usually reports, the population-weighted share that did, the default day.

Populations (geo.reference): DKI Jakarta 11,038,216; Jakarta Pusat (31.71) 1,057,270; Kota Bandung
(32.73) 2,591,763; Gambir (31.71.01) 95,807; Gambir village 31.71.01.1001 3,088.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo import completeness
from geo.completeness import DAY_COLUMNS, day_table, default_day, latest_complete_day
from geo.config import Completeness

SETTINGS = Completeness()
JULY = dt.date(2021, 7, 1)
PUSAT, BANDUNG, GAMBIR, DKI = 1_057_270, 2_591_763, 95_807, 11_038_216


def _reports(rows: list[tuple[str, dt.date]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region_code", "date"]).astype({"date": "datetime64[s]"})


def _daily(codes: tuple[str, ...], first: dt.date, n: int) -> list[tuple[str, dt.date]]:
    return [(code, first + dt.timedelta(days=d)) for d in range(n) for code in codes]


def _day(table: pd.DataFrame, day: dt.date) -> pd.Series:
    return table.set_index("date").loc[pd.Timestamp(day)]


def test_populations_own_figure_parent_part_and_unknown():
    # 21.02.13 (Selat Gelam) has no Dukcapil figure: 1/14 of Bintan's 273,946
    assert completeness.populations(["31", "31.71", "31.71.01", "31.71.01.1001"]).tolist() == [
        DKI,
        PUSAT,
        GAMBIR,
        3_088,
    ]
    assert completeness.populations(["21.02.13"])[0] == pytest.approx(273_946 / 14)
    assert completeness.populations(["99.99"]).tolist() == [0.0]


def test_one_city_adding_a_day_is_incomplete_and_the_default_is_the_day_before():
    # Jakarta Pusat and Kota Bandung report every day for 28 days; on day 29 only Gambir
    # (a kecamatan of Jakarta Pusat) adds its cases: 95,807 of 3,649,033 expected.
    rows = [*_daily(("31.71", "32.73"), JULY, 28), ("31.71.01", JULY + dt.timedelta(days=28))]
    last = JULY + dt.timedelta(days=28)
    table = day_table(_reports(rows), (JULY, last), SETTINGS)
    assert list(table.columns) == DAY_COLUMNS
    assert len(table) == 29
    partial = _day(table, last)
    assert partial["expected_population"] == PUSAT + BANDUNG
    assert partial["reported_population"] == GAMBIR
    assert partial["share"] == pytest.approx(95_807 / 3_649_033)
    assert not partial["complete"]
    assert table["complete"].iloc[:-1].all()
    assert latest_complete_day(table) == dt.date(2021, 7, 28)
    assert default_day(table) == dt.date(2021, 7, 28)
    assert completeness.incomplete_share(table, last) == pytest.approx(0.026255, abs=1e-6)
    assert completeness.incomplete_share(table, dt.date(2021, 7, 28)) is None


def test_usual_means_at_least_half_of_the_28_days_before():
    # Bandung reports on 14 of the first 28 days (every other day), Jakarta Pusat every day.
    rows = _daily(("31.71",), JULY, 30)
    rows += [("32.73", JULY + dt.timedelta(days=d)) for d in range(0, 28, 2)]
    table = day_table(_reports(rows), (JULY, JULY + dt.timedelta(days=29)), SETTINGS)
    day29 = _day(table, JULY + dt.timedelta(days=28))  # 14 of the 28 days before: usual
    assert day29["expected_population"] == PUSAT + BANDUNG
    assert day29["reported_population"] == PUSAT
    assert not day29["complete"]
    day30 = _day(table, JULY + dt.timedelta(days=29))  # 13 of the 28 before: not usual
    assert (day30["expected_population"], day30["share"], day30["complete"]) == (PUSAT, 1.0, True)


def test_a_province_report_covers_its_kecamatan():
    rows = _daily(("31",), JULY, 28)
    rows += [("31", JULY + dt.timedelta(days=28)), ("31.71.01", JULY + dt.timedelta(days=28))]
    rows += [("31.71", JULY + dt.timedelta(days=29))]
    table = day_table(_reports(rows), (JULY, JULY + dt.timedelta(days=29)), SETTINGS)
    both = _day(table, JULY + dt.timedelta(days=28))
    assert (both["expected_population"], both["reported_population"]) == (DKI, DKI)
    alone = _day(table, JULY + dt.timedelta(days=29))
    assert (alone["expected_population"], alone["reported_population"]) == (DKI, PUSAT)
    assert alone["share"] == pytest.approx(1_057_270 / 11_038_216)


def test_the_threshold_is_inclusive():
    # Expected Pusat + Bandung; only Bandung reports: 2,591,763 / 3,649,033 = 0.7103
    rows = [*_daily(("31.71", "32.73"), JULY, 28), ("32.73", JULY + dt.timedelta(days=28))]
    period = (JULY, JULY + dt.timedelta(days=28))
    share = 2_591_763 / 3_649_033
    at = day_table(_reports(rows), period, Completeness(min_share=share))
    above = day_table(_reports(rows), period, Completeness(min_share=share + 1e-9))
    assert at["complete"].iloc[-1]
    assert not above["complete"].iloc[-1]


def test_a_monthly_feed_is_complete_on_its_report_days():
    # Three DKI kelurahan report cumulative totals at three month-ends only.
    villages = ("31.71.01.1001", "31.71.01.1002", "31.71.01.1003")
    ends = [dt.date(2021, 5, 31), dt.date(2021, 6, 30), dt.date(2021, 7, 31)]
    rows = [(code, end) for end in ends for code in villages]
    table = day_table(_reports(rows), (dt.date(2021, 5, 31), ends[-1]), SETTINGS)
    assert len(table) == 62
    assert table["complete"].all()
    assert (table["share"] == 1.0).all()
    reported = table.loc[table["reported_population"] > 0, "date"].dt.date.tolist()
    assert reported == ends
    assert latest_complete_day(table) == dt.date(2021, 7, 31)
    between = _day(table, dt.date(2021, 6, 15))
    assert (between["expected_population"], between["reported_population"]) == (0.0, 0.0)


def test_a_single_day_of_national_kecamatan_totals_is_complete():
    rows = [("31.71.01", JULY), ("32.73.01", JULY), ("21.02.13", JULY)]
    table = day_table(_reports(rows), (JULY, JULY), SETTINGS)
    assert len(table) == 1
    assert table["complete"].tolist() == [True]
    assert table["share"].tolist() == [1.0]
    assert default_day(table) == JULY


def test_no_reports_at_all_expects_nobody():
    table = day_table(_reports([]), (JULY, JULY + dt.timedelta(days=2)), SETTINGS)
    assert table["expected_population"].tolist() == [0.0, 0.0, 0.0]
    assert table["share"].tolist() == [1.0, 1.0, 1.0]
    assert table["complete"].all()
    assert latest_complete_day(table) == JULY + dt.timedelta(days=2)


def test_days_after_the_last_report_of_a_daily_feed_are_incomplete():
    rows = _daily(("31.71",), JULY, 28)
    table = day_table(_reports(rows), (JULY, JULY + dt.timedelta(days=29)), SETTINGS)
    assert table["share"].iloc[-2:].tolist() == [0.0, 0.0]
    assert latest_complete_day(table) == dt.date(2021, 7, 28)


def test_nothing_complete_defaults_to_the_last_day():
    table = pd.DataFrame(
        {
            "date": [JULY, JULY + dt.timedelta(days=1)],
            "expected_population": [10.0, 10.0],
            "reported_population": [1.0, 1.0],
            "share": [0.1, 0.1],
            "complete": [False, False],
        }
    )
    assert latest_complete_day(table) is None
    assert default_day(table) == JULY + dt.timedelta(days=1)
    assert default_day(table.iloc[0:0]) is None


def test_read_days_of_a_build_and_of_an_older_build(tmp_path):
    days = [JULY, JULY + dt.timedelta(days=1)]
    old = completeness.read_days(tmp_path, days)
    assert old["date"].tolist() == days
    assert old["complete"].tolist() == [True, True]
    assert np.isnan(old["share"]).all()
    rows = _daily(("31.71",), JULY, 28)
    table = day_table(_reports(rows), (JULY, JULY + dt.timedelta(days=28)), SETTINGS)
    table.to_parquet(tmp_path / completeness.FILE)
    read = completeness.read_days(tmp_path, [])
    assert read["date"].iloc[-1] == dt.date(2021, 7, 29)
    assert read["complete"].tolist() == [True] * 28 + [False]
