"""Next week's outlook on hand-made series: literal forecasts, intervals and colours."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo import outlook
from geo.columns import Out
from geo.config import load_config


def test_a_flat_week_is_forecast_flat_with_its_interval():
    got = outlook.forecast([100], [100]).iloc[0]
    # growth log(100.5/100.5) = 0, so next week = 100.5·exp(0) - ½ = 100.
    assert got["outlook_cases_7d"] == pytest.approx(100.0)
    # s² = 0.25·(1/100.5 + 1/100.5) + 1/100.5 + 0.25² = 0.077425; 100.5·exp(∓1.6449·s) - ½.
    s = math.sqrt(0.25 * 2 / 100.5 + 1 / 100.5 + 0.0625)
    assert got["outlook_low"] == pytest.approx(100.5 * math.exp(-1.6448536 * s) - 0.5)
    assert got["outlook_low"] == pytest.approx(63.0909, abs=1e-4)
    assert got["outlook_high"] == pytest.approx(158.3317, abs=1e-4)


def test_growth_is_damped_and_small_counts_lean_on_the_parent():
    ahead = outlook.forecast([200, 0, 2], [50, 0, 1], parent_growth=[0.0, math.log(2), 0.0])
    # 200 after 50: w = 250/270, r = log(200.5/50.5); (200.5)·exp(0.5·w·r) - ½ = 379.118.
    assert ahead["outlook_cases_7d"][0] == pytest.approx(379.1184, abs=1e-4)
    # Nothing in two weeks: only the parent's doubling, half carried: 0.5·√2 - 0.5 = 0.2071.
    assert ahead["outlook_cases_7d"][1] == pytest.approx(0.5 * math.sqrt(2) - 0.5)
    # 2 after 1 is a doubling of tiny counts: w = 3/23, so barely any growth is carried.
    weight = 3 / 23
    expected = 2.5 * math.exp(0.5 * weight * math.log(2.5 / 1.5)) - 0.5
    assert ahead["outlook_cases_7d"][2] == pytest.approx(expected)
    assert ahead["outlook_cases_7d"][2] < 2 * 2  # not "growth applied once"


def test_the_interval_holds_the_forecast_and_never_goes_below_zero():
    ahead = outlook.forecast(np.array([0, 3, 40, 5000]), np.array([9, 3, 10, 4000]))
    assert (ahead["outlook_low"] <= ahead["outlook_cases_7d"]).all()
    assert (ahead["outlook_cases_7d"] <= ahead["outlook_high"]).all()
    assert (ahead["outlook_low"] >= 0).all()
    # Relative width shrinks as counts grow.
    width = ahead["outlook_high"] / ahead["outlook_low"].clip(lower=1e-9)
    assert width[3] < width[2]


def test_colours_follow_the_active_rule():
    ppkm = load_config(preset="ppkm")  # weekly cases per 100k: < 20 green, ≥ 150 red
    got = outlook.colours(np.array([19.0, 20.0, 149.0, 150.0, 5.0]), np.full(5, 1e5), ppkm)
    assert got.tolist() == ["green", "orange", "orange", "red", "green"]
    # No population: no colour, never green.
    assert outlook.colours(np.array([5.0]), np.array([0.0]), ppkm).tolist() == ["no_data"]


def test_of_rows_uses_the_last_two_weeks_of_each_row():
    rows = pd.DataFrame(
        {Out.CASES_7D: [100.0, 0.0], Out.CASES_14D: [200.0, 0.0], Out.POPULATION: [1e5, 1e5]}
    )
    got = outlook.of_rows(rows, load_config(preset="ppkm"))
    assert got["outlook_cases_7d"].tolist() == pytest.approx([100.0, 0.0])
    assert got["outlook_risk"].tolist() == ["orange", "green"]
    assert list(rows.columns) == [Out.CASES_7D, Out.CASES_14D, Out.POPULATION]  # not modified


def test_of_view_shrinks_each_zone_toward_the_views_zones_together():
    # Two zones: 90 after 30 and 0 after 0. Together 90 after 30: growth log(90.5/30.5).
    rows = pd.DataFrame(
        {Out.CASES_7D: [90.0, 0.0], Out.CASES_14D: [120.0, 0.0], Out.POPULATION: [1e5, 1e5]}
    )
    got = outlook.of_view(rows, load_config(preset="ppkm"))
    parent = math.log(90.5 / 30.5)
    # The empty zone has no own growth (w = 0): half the view's growth, from 0.5 cases.
    assert got["outlook_cases_7d"][1] == pytest.approx(0.5 * math.exp(0.5 * parent) - 0.5)
    assert outlook.of_view(rows.iloc[0:0], load_config(preset="ppkm")).empty
