"""The backtest: rolling-origin windows, the baselines' errors checked by hand, the verdict."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from geo import backtest

# Two regions over 35 days. A reports 1 a day in weeks 1-2, 2 a day in week 3, 3 a day in weeks
# 4-5; B reports 10 every day. Origins (every 7th day back from the last day with a week ahead):
# day 21 (index 20) and day 28 (index 27).
#   origin 21, A: previous 7, this week 14, next 21 -> persistence error 7, growth once 14·14/7 =
#                 28, error 7
#   origin 28, A: previous 14, this week 21, next 21 -> persistence 0, growth once 31.5, error 10.5
#   B at both: 70, 70, 70 -> every error 0
# Persistence MAE = (7 + 0 + 0 + 0) / 4 = 1.75; growth once MAE = (7 + 10.5) / 4 = 4.375.
A_DAILY = [1] * 14 + [2] * 7 + [3] * 14


def series() -> pd.DataFrame:
    dates = pd.date_range("2021-01-01", periods=35, freq="D")
    text = "date,region,new_cases\n" + "".join(
        f"{d.date()},A,{a}\n{d.date()},B,10\n" for d, a in zip(dates, A_DAILY, strict=True)
    )
    return pd.read_csv(io.StringIO(text), parse_dates=["date"], dtype={"region": str})


def test_weekly_windows_by_hand():
    got = backtest.weekly_windows(series())
    a = got[got["region"] == "A"]
    assert a["origin"].dt.strftime("%Y-%m-%d").tolist() == ["2021-01-21", "2021-01-28"]
    assert a["previous_7d"].tolist() == [7.0, 14.0]
    assert a["cases_7d"].tolist() == [14.0, 21.0]
    assert a["next_7d"].tolist() == [21.0, 21.0]
    assert got[got["region"] == "B"][["previous_7d", "cases_7d", "next_7d"]].eq(70).all().all()


def test_a_missing_day_leaves_its_origins_out_for_that_region():
    daily = series()
    daily = daily[~((daily["region"] == "B") & (daily["date"] == "2021-01-25"))]
    got = backtest.weekly_windows(daily)
    # 2021-01-25 is in B's "this week" of origin 28 and "next week" of origin 21.
    assert got[got["region"] == "B"].empty
    assert len(got[got["region"] == "A"]) == 2


def test_baselines_mae_and_colour_accuracy_by_hand():
    table = backtest.forecasts(backtest.weekly_windows(series()))
    # A has 10,000 people: 14 a week = 140 per 100k (orange), 21 = 210 (red), 28 = 280 (red).
    # B has 1,000,000: 70 a week = 7 per 100k (green).
    population = pd.Series({"A": 10_000.0, "B": 1_000_000.0})
    result = backtest.score(table, population).set_index("method")
    assert result.at["persistence", "mae_7d"] == pytest.approx(1.75)
    assert result.at["growth_once", "mae_7d"] == pytest.approx(4.375)
    # Persistence says orange at origin 21 for A, where the week was red: 3 of 4 right.
    assert result.at["persistence", "colour_accuracy"] == pytest.approx(0.75)
    assert result.at["growth_once", "colour_accuracy"] == pytest.approx(1.0)
    assert np.isnan(result.at["persistence", "coverage_90"])
    assert 0 <= result.at["outlook", "coverage_90"] <= 1
    assert result["forecasts"].tolist() == [4, 4, 4]


def test_beats_persistence_on_either_measure():
    def result(outlook_accuracy: float, outlook_mae: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "method": ["outlook", "persistence", "growth_once"],
                "colour_accuracy": [outlook_accuracy, 0.9, 0.8],
                "mae_7d": [outlook_mae, 100.0, 150.0],
            }
        )

    assert backtest.beats_persistence(result(0.91, 120.0))
    assert backtest.beats_persistence(result(0.85, 99.0))
    assert not backtest.beats_persistence(result(0.9, 100.0))  # a tie does not beat


def test_population_of_2020_provinces_sums_the_papua_splits():
    population = backtest.province_population()
    assert len(population) == 34
    regions = backtest.reference.regions()
    provinces = regions[regions["level"] == "province"].set_index("code")["population"]
    papua = provinces[["91", "93", "94", "95"]].sum()
    assert population["91"] == papua
    assert population["92"] == provinces[["92", "96"]].sum()
    assert population.sum() == provinces.sum()


def test_the_shipped_backtest_runs_every_method_on_the_same_forecasts():
    result = backtest.province_backtest()
    assert result["method"].tolist() == list(backtest.METHODS)
    assert result["forecasts"].nunique() == 1
    assert result["forecasts"].iloc[0] > 2000  # 34 provinces x ~70 weekly origins
    table = backtest.markdown(result)
    assert "persistence (next week = this week)" in table
    assert table.count("\n") == 4
