"""A region over time, on the tiny build (12 cases at Monas on 8-10 Jul, 3 in Cideng on 10 Jul)."""

from __future__ import annotations

import datetime as dt
import math
import shutil

import pandas as pd
import pytest
from tiny_build import XSS_VILLAGE, make_tiny_build

from geo import buildread, completeness, trends

DAY = dt.date(2021, 7, 10)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> buildread.Build:
    return buildread.open_build(make_tiny_build(tmp_path_factory.getbasetemp() / "tiny"))


def test_daily_series_for_officials_is_exact(tiny: buildread.Build) -> None:
    series = trends.daily_series(tiny, "31.71.01", audience="official")
    # Gambir: 4, 4, 4 + 3 new cases; the 7-day window holds 4, 8, 15 cases.
    assert series["new_cases"].tolist() == [4, 4, 7]
    assert series["cases_avg_7d"].tolist() == pytest.approx([4 / 7, 8 / 7, 15 / 7])
    assert series["checkins"].tolist() == [0, 5, 0]


def test_daily_series_for_the_public_is_published(tiny: buildread.Build) -> None:
    # Published under the run's fixed key (conftest.py): days 4, 4, 7 read "< 10", "< 10" and
    # 10 (7 + noise 3); the 7-day windows 4, 8, 15 read "< 10", "< 10" and 11 (noise -4).
    series = trends.daily_series(tiny, "31.71.01", audience="public")
    assert series["new_cases"].isna().tolist() == [True, True, False]
    assert series["new_cases"].iloc[2] == 10
    assert series["new_cases_label"].tolist() == ["< 10", "< 10", "10"]
    assert series["cases_avg_7d"].isna().tolist() == [True, True, False]
    assert series["cases_avg_7d"].iloc[2] == pytest.approx(11 / 7)
    assert "checkins" not in series


def test_country_series_sums_the_provinces(tiny: buildread.Build) -> None:
    series = trends.daily_series(tiny, None, audience="official")
    assert series["new_cases"].sum() == 17


def test_share_series_is_a_share_per_colour_and_day(tiny: buildread.Build) -> None:
    shares = trends.share_series(tiny, "31.71.01")
    assert sorted(shares["risk"].unique()) == ["green", "no_data", "orange", "red"]
    per_day = shares.groupby("date")["share"].sum()
    assert per_day.to_numpy() == pytest.approx([1, 1, 1])


def test_compare_children_ranks_by_published_rate(tiny: buildread.Build) -> None:
    table = trends.compare_children(tiny, "31.71.01", DAY, audience="public", lang="id")
    assert table["code"].iloc[0] == XSS_VILLAGE[0]  # 12 cases, published 11 (3,088 people)
    monas = table.iloc[0]
    assert (monas["cases_7d"], monas["cases_per_100k_7d"]) == ("11", "356,2")  # Bahasa separators
    assert monas["trend"][:2] == [None, None]  # 4 and 8 cases read "< 10": no rate
    assert monas["trend"][2] == pytest.approx(11 * 1e5 / 3088)
    assert monas["reason"] == "merah: 11 kasus dalam 7 hari, 356,2 per 100 ribu penduduk"
    cideng = table.set_index("code").loc["31.71.01.1002"]
    assert (cideng["cases_7d"], cideng["cases_per_100k_7d"]) == ("< 10", "—")
    assert cideng["trend"] == [None, None, None]  # zero and 3 alike: nothing to tell apart
    assert cideng["reason"] == "hijau: < 10 kasus dalam 7 hari"


def test_public_sparkline_values_are_numbers_or_none_where_hidden(tiny: buildread.Build) -> None:
    # Every day of every child: a finite number where the published rate is shown, else None.
    for audience in ("public", "official"):
        table = trends.compare_children(tiny, "31.71.01", DAY, audience=audience, lang="en")
        values = [v for trend in table["trend"] for v in trend]
        assert len(values) == 3 * len(table)  # three days of history in the tiny build
        assert all(v is None or (isinstance(v, float) and math.isfinite(v)) for v in values)
    public = trends.compare_children(tiny, "31.71.01", DAY, audience="public", lang="en")
    official = trends.compare_children(tiny, "31.71.01", DAY, audience="official", lang="en")
    assert None in [v for trend in public["trend"] for v in trend]
    monas_official = official.set_index("code").loc[XSS_VILLAGE[0], "trend"]
    assert None not in monas_official  # officials see every day


def test_every_day_of_the_tiny_build_is_complete(tiny: buildread.Build) -> None:
    spans = trends.incomplete_spans(tiny)
    assert list(spans.columns) == ["start", "end"]
    assert spans.empty


@pytest.mark.parametrize(
    ("complete", "spans"),
    [
        # 8, 9, 10 Jul: the last two incomplete make one band, from noon 8 Jul to noon 10 Jul
        ([True, False, False], [("2021-07-08 12:00", "2021-07-10 12:00")]),
        (
            [False, True, False],
            [("2021-07-07 12:00", "2021-07-08 12:00"), ("2021-07-09 12:00", "2021-07-10 12:00")],
        ),
    ],
)
def test_incomplete_spans_are_runs_of_incomplete_days(
    tiny: buildread.Build, tmp_path, complete: list[bool], spans: list[tuple[str, str]]
) -> None:
    copy = tmp_path / "build"
    shutil.copytree(tiny.path, copy)
    days = pd.read_parquet(copy / completeness.FILE)
    assert days["date"].dt.date.astype(str).tolist() == ["2021-07-08", "2021-07-09", "2021-07-10"]
    days.assign(complete=complete).to_parquet(copy / completeness.FILE)
    found = trends.incomplete_spans(buildread.open_build(copy))
    assert list(zip(found["start"].astype(str), found["end"].astype(str), strict=True)) == [
        (f"{start}:00", f"{end}:00") for start, end in spans
    ]
