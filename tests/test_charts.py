"""The Trends charts write numbers and dates in the reader's language (Vega ``config.locale``)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

from dashboard import charts

SERIES = pd.DataFrame(
    {
        "date": pd.date_range("2021-07-01", periods=3),
        "new_cases": [40000.0, np.nan, 3.0],
        "cases_avg_7d": [1.0, 2.0, 3.0],
        "new_cases_label": ["40000", "< 10", "3"],
    }
)


def _labels(chart) -> list[str]:
    """The texts Vega draws for ``chart`` (axes and titles), rendered offline."""
    return re.findall(r">([^<]{1,20})</text>", vlc.vegalite_to_svg(chart.to_json()))


@pytest.mark.parametrize(
    ("lang", "forty", "title"), [("id", "40.000", "Kasus baru"), ("en", "40,000", "New cases")]
)
def test_daily_chart_axis_uses_the_languages_separators(lang, forty, title):
    labels = _labels(charts.daily_cases_chart(SERIES, day=dt.date(2021, 7, 2), lang=lang))
    assert forty in labels
    assert title in labels


def test_shares_chart_months_and_percent_in_bahasa():
    shares = pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-08-01"] * 4 + ["2021-08-02"] * 4),
            "risk": ["red", "orange", "green", "no_data"] * 2,
            "share": [0.1, 0.2, 0.65, 0.05] * 2,
        }
    )
    labels = _labels(charts.shares_chart(shares, day=None, lang="id"))
    assert any(label.endswith("Agu") for label in labels), labels
    assert "100%" in labels


SPANS = pd.DataFrame(
    {"start": pd.to_datetime(["2021-07-02 12:00"]), "end": pd.to_datetime(["2021-07-03 12:00"])}
)
SHARES = pd.DataFrame(
    {
        "date": pd.to_datetime(["2021-07-01"] * 4 + ["2021-07-02"] * 4 + ["2021-07-03"] * 4),
        "risk": ["red", "orange", "green", "no_data"] * 3,
        "share": [0.1, 0.2, 0.65, 0.05] * 3,
    }
)


def _bands(chart) -> list[dict]:
    return [layer for layer in chart.to_dict()["layer"] if layer["mark"]["type"] == "rect"]


@pytest.mark.parametrize(
    ("lang", "legend"), [("id", "Data belum lengkap"), ("en", "Incomplete data")]
)
def test_incomplete_days_are_shaded_with_a_legend_entry(lang, legend):
    daily = charts.daily_cases_chart(SERIES, day=None, lang=lang, incomplete=SPANS)
    shares = charts.shares_chart(SHARES, day=None, lang=lang, incomplete=SPANS)
    for chart in (daily, shares):
        (band,) = _bands(chart)
        assert band["encoding"]["x"]["field"] == "start"
        assert band["encoding"]["x2"]["field"] == "end"
        assert band["encoding"]["color"]["scale"] == {
            "domain": [legend],
            "range": [charts.INCOMPLETE_COLOUR],
        }
        assert legend in _labels(chart)
    assert shares.to_dict()["resolve"] == {"scale": {"color": "independent"}}


def test_no_band_when_every_day_is_complete():
    empty = SPANS.iloc[0:0]
    assert _bands(charts.daily_cases_chart(SERIES, day=None, lang="en", incomplete=empty)) == []
    assert _bands(charts.daily_cases_chart(SERIES, day=None, lang="en")) == []
    assert _bands(charts.shares_chart(SHARES, day=None, lang="en", incomplete=None)) == []
