"""The headline card's figures: published for the public, exact for officials, and the trend."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from geo import zones
from geo.columns import Out
from geo.errors import BuildError
from geo.headline import headline, trend_of
from geo.privacy import public_frame
from geo.zones import open_build

pytest_plugins = ["pipeline_fixtures"]

DAY, WEEK_AGO = dt.date(2021, 7, 7), dt.date(2021, 6, 30)


@pytest.fixture(scope="module")
def build(built):
    return open_build(built[0])


@pytest.mark.parametrize(
    ("cases", "earlier", "trend"),
    [
        (110.0, 100.0, "same"),  # +10% is within STABLE
        (111.0, 100.0, "up"),
        (90.0, 100.0, "same"),
        (89.0, 100.0, "down"),
        (0.0, 0.0, "same"),
        (3.0, 0.0, "up"),
        (math.nan, 100.0, "unknown"),  # a hidden count cannot be compared
        (100.0, math.nan, "unknown"),
    ],
)
def test_trend_against_last_week(cases, earlier, trend):
    assert trend_of(cases, earlier) == trend


def test_public_reads_published_figures_officials_exact(build):
    rows = zones.region_rows(build, ["31.71"])
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
