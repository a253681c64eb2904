"""The headline card's figures: published for the public, exact for officials, and the trend."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo import buildread
from geo.buildread import open_build
from geo.card_text import trend_of
from geo.columns import Out
from geo.errors import BuildError
from geo.headline import headline, zone_card
from geo.privacy import public_frame

pytest_plugins = ["pipeline_fixtures"]

DAY, WEEK_AGO = dt.date(2021, 7, 7), dt.date(2021, 6, 30)


@pytest.fixture(scope="module")
def build(built):
    return open_build(built[0])


def test_public_reads_published_figures_officials_exact(build):
    rows = buildread.region_rows(build, ["31.71"])
    both = pd.concat(
        [rows[rows[Out.DATE] == pd.Timestamp(d)] for d in (DAY, WEEK_AGO)], ignore_index=True
    )
    published = public_frame(both, build.config.privacy)
    public = headline(build, "31.71", DAY, audience="public")
    official = headline(build, "31.71", DAY, audience="official")
    assert public.risk == official.risk == str(both[Out.RISK].iloc[0])
    assert (official.cases_7d, official.cases_7d_before) == tuple(both[Out.CASES_7D].astype(float))
    assert np.isclose(official.cases_per_100k_7d, float(both[Out.CASES_PER_100K_7D].iloc[0]))
    assert official.trend == trend_of(official.cases_7d, official.cases_7d_before)
    assert np.array_equal(
        [public.cases_7d, public.cases_7d_before],
        published[Out.CASES_7D].to_numpy(float),
        equal_nan=True,
    )
    assert np.array_equal(
        [public.cases_per_100k_7d],
        published[Out.CASES_PER_100K_7D].to_numpy(float)[:1],
        equal_nan=True,
    )
    assert public.trend == trend_of(public.cases_7d, public.cases_7d_before)


def test_a_day_outside_the_build_is_a_sentence(build):
    with pytest.raises(BuildError, match=r"The build has no row for region 31\.71 on 2020-01-01\."):
        headline(build, "31.71", dt.date(2020, 1, 1), audience="public")


def test_unknown_audience_is_refused(build):
    with pytest.raises(ValueError, match=r"Unknown audience .press.; choose one of"):
        headline(build, "31.71", DAY, audience="press")


def test_a_regions_card_public_and_official(build):
    public = zone_card(build, DAY, "31.71.01.1002", audience="public", lang="id")
    assert (public.name, public.risk, public.colour) == ("Cideng", "green", "hijau")
    assert public.reason == "Zona hijau karena kurang dari 10 kasus dalam 7 hari."
    assert public.meaning == "Risiko penularan rendah (zona kuning atau hijau Satgas COVID-19)."
    official = zone_card(build, DAY, "31.71.01.1002", audience="official", lang="en")
    assert official.reason == "Green zone because of 2 cases in 7 days, 10 per 100,000 residents."
    assert (official.cases, official.rate, official.trend) == ("2", "10", "up")
    assert official.trend_text == "↑ up 200% (last week 0)"


def test_a_hexagons_card_is_named_by_place(build):
    public = zone_card(build, DAY, "888c1079b9fffff", audience="public", lang="id")
    assert (public.name, public.colour) == ("sekitar Senen, Senen", "oranye")
    assert public.reason == "Zona oranye karena kurang dari 10 kasus dalam 7 hari."
    assert public.todo.startswith("Batasi kegiatan di luar rumah")
    official = zone_card(build, DAY, "888c1079b9fffff", audience="official", lang="en")
    assert official.name == "around Senen, Senen"
    assert official.reason == "Orange zone because of 3 cases in 7 days, 109 per 100,000 residents."
    assert official.trend_text == "↑ up 300% (last week 0)"


def test_a_zone_that_is_neither_region_nor_hexagon_is_a_sentence(build):
    with pytest.raises(BuildError, match=r"'Gambir' is neither a region of the build nor an H3"):
        zone_card(build, DAY, "Gambir", audience="public", lang="en")
    with pytest.raises(BuildError, match=r"no row for hexagon 888c1079b9fffff on 2020-01-01"):
        zone_card(build, dt.date(2020, 1, 1), "888c1079b9fffff", audience="public", lang="en")
