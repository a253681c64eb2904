"""Hotspot and outlook views: a region's figures per audience, and new hotspots of a week."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo import backtest, buildread, hotspot_views, zonemap
from geo.columns import Out

DAY = dt.date(2021, 7, 10)  # the tiny build's last day (tests/tiny_build.py)
GAMBIR = "31.71.01"


@pytest.fixture(scope="module")
def tiny(tiny_build_dir):
    return buildread.open_build(tiny_build_dir)


def test_the_region_share_in_hot_zones_is_the_builds(tiny):
    row = buildread.region_rows(tiny, [GAMBIR], DAY)
    figures = hotspot_views.region_figures(tiny, DAY, GAMBIR, audience="public")
    assert figures.share_hot == pytest.approx(float(row[Out.SHARE_HOT].iloc[0]))
    assert figures.outlook == {} or backtest.outlook_shown()


def test_the_outlook_follows_the_backtest_and_the_audience(tiny, monkeypatch):
    monkeypatch.setattr(backtest, "beats_persistence", lambda result: True)
    # Cideng: 3 cases in 7 days, below k = 10: the public reads no outlook figure.
    public = hotspot_views.region_figures(tiny, DAY, "31.71.01.1002", audience="public")
    assert public.outlook == {
        "outlook_cases_7d": "—",
        "outlook_low": "—",
        "outlook_high": "—",
        "outlook_risk": "no_data",
    }
    official = hotspot_views.region_figures(tiny, DAY, "31.71.01.1002", audience="official")
    assert isinstance(official.outlook["outlook_cases_7d"], float)
    assert official.outlook["outlook_low"] <= official.outlook["outlook_high"]
    # Gambir: 15 cases, shown, so its outlook is shown as a rounded count.
    gambir = hotspot_views.region_figures(tiny, DAY, GAMBIR, audience="public")
    assert gambir.outlook["outlook_cases_7d"].replace(",", "").isdigit()
    monkeypatch.setattr(backtest, "beats_persistence", lambda result: False)
    assert hotspot_views.region_figures(tiny, DAY, GAMBIR, audience="official").outlook == {}


def cell_rows(states: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            Out.CELL: list(states),
            Out.HOTSPOT: list(states.values()),
            Out.RISK: "red",
        }
    )


def test_new_hotspots_are_hot_now_and_were_not_a_week_before(tiny, monkeypatch):
    now = cell_rows({"c1": "hot", "c2": "hot", "c3": "hot", "c4": "none"})
    before = cell_rows({"c2": "hot", "c3": "cold"})  # c1 had no row a week before
    days = {DAY: now, DAY - dt.timedelta(days=7): before}
    monkeypatch.setattr(buildread, "cells_in", lambda build, day, code, res: days[day])
    got = hotspot_views.new_hotspots(tiny, DAY, GAMBIR)
    assert got.to_dict("list") == {
        "zone": ["c1", "c3"],
        "hotspot_before": ["none", "cold"],
        "hotspot": ["hot", "hot"],
        "risk": ["red", "red"],
    }


def test_the_country_has_no_hexagons_to_list(tiny):
    assert hotspot_views.new_hotspots(tiny, DAY, None).empty
    assert list(hotspot_views.new_hotspots(tiny, DAY, None).columns) == list(
        hotspot_views.CHANGE_COLUMNS
    )


def test_the_countrys_share_weighs_provinces_by_population(tiny):
    provinces = buildread.regions_on(tiny, DAY, None)
    weights = provinces[Out.POPULATION] / provinces[Out.POPULATION].sum()
    expected = float((provinces[Out.SHARE_HOT].fillna(0) * weights).sum())
    got = hotspot_views.region_figures(tiny, DAY, None, audience="public").share_hot
    assert got == pytest.approx(expected)


def test_report_lines_name_the_outlook_or_say_why_it_is_not_shown(tiny, monkeypatch):
    lines = hotspot_views.report_lines(
        tiny, DAY, GAMBIR, resolution=9, audience="public", lang="en"
    )
    assert lines[0] == "Hotspots and next week's outlook"
    assert lines[1].startswith("Population in hotspot zones (Getis-Ord Gi*")
    assert lines[2].startswith("New hotspots in the 7 days to 2021-07-10 (H3 resolution 9): ")
    if not backtest.outlook_shown():
        assert lines[3].startswith("Next week's outlook (outlook, not a rule) is not shown")
    monkeypatch.setattr(backtest, "beats_persistence", lambda result: True)
    shown = hotspot_views.report_lines(
        tiny, DAY, GAMBIR, resolution=9, audience="public", lang="id"
    )
    assert shown[3].startswith("Perkiraan minggu depan (perkiraan, bukan aturan): ")
    assert "kasus dalam 7 hari (interval 90% " in shown[3]


def test_public_map_features_carry_no_figure_a_hidden_count_could_come_from(tiny, monkeypatch):
    monkeypatch.setattr(backtest, "beats_persistence", lambda result: True)
    public = zonemap.zones_geojson(tiny, DAY, GAMBIR, audience="public", lang="en")["features"]
    official = zonemap.zones_geojson(tiny, DAY, GAMBIR, audience="official", lang="en")["features"]
    assert public
    for feature in public:
        props = feature["properties"]
        assert "hotspot" in props
        assert "hotspot_z" not in props
        assert "hotspot_p" not in props
        if props["cases_7d"] == "< 10":  # Cideng: its count is hidden, so is its outlook
            assert props["outlook_cases_7d"] == "—"
            assert props["outlook_low"] == "—"
            assert props["outlook_high"] == "—"
        else:
            assert isinstance(props["outlook_cases_7d"], str)
    assert any(props["cases_7d"] == "< 10" for props in (f["properties"] for f in public))
    assert all("hotspot_z" in f["properties"] for f in official)
