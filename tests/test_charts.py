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
