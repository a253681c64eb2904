"""The synthetic national inputs: deterministic, exact row counts, cases on the real series."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from benchmarks import national_inputs
from geo import reference, regions

pytest_plugins = ["pipeline_fixtures"]

NEW_DAY = dt.date(2020, 9, 15)  # a few thousand real cases a day: quick to place
PER_DAY = 2_500
CHUNK = 1_000  # three row groups a day


@pytest.fixture(scope="module")
def written(all_grids, tmp_path_factory):
    """The same inputs written twice (1 day of history + the new day), and the new day alone."""
    folders = [tmp_path_factory.mktemp(name) for name in ("first", "second", "alone")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(national_inputs, "CHUNK", CHUNK)
        summaries = [
            national_inputs.write_inputs(folder, days, PER_DAY, new_day=NEW_DAY)
            for folder, days in zip(folders, (1, 1, 0), strict=True)
        ]
    return folders, summaries


def test_dates_end_on_the_new_day():
    assert national_inputs.dates(2, dt.date(2021, 7, 15)) == [
        dt.date(2021, 7, 13),
        dt.date(2021, 7, 14),
        dt.date(2021, 7, 15),
    ]


def test_inputs_are_the_same_bytes_twice(written):
    (first, second, _), (summary1, summary2, _) = written
    assert summary1 == summary2
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert [str(p) for p in files] == [
        "days/2020-09-14/cases.parquet",
        "days/2020-09-14/checkins.parquet",
        "days/2020-09-15/cases.parquet",
        "days/2020-09-15/checkins.parquet",
        "inputs.json",
        "venues.parquet",
    ]
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path


def test_a_day_does_not_depend_on_how_many_days_are_written(written):
    (first, _, alone), _ = written
    for name in ("cases.parquet", "checkins.parquet", "venues.parquet"):
        path = f"days/{NEW_DAY}/{name}" if name != "venues.parquet" else name
        assert (first / path).read_bytes() == (alone / path).read_bytes(), name


def test_checkins_exact_count_per_day_in_row_groups(written):
    (first, *_), (summary, *_) = written
    assert json.loads((first / "inputs.json").read_text(encoding="utf-8")) == summary
    venues = pd.read_parquet(first / "venues.parquet")
    for day in ("2020-09-14", "2020-09-15"):
        path = first / "days" / day / "checkins.parquet"
        assert pq.ParquetFile(path).num_row_groups == 3
        checkins = pd.read_parquet(path)
        assert len(checkins) == summary["days"][day]["checkins"] == PER_DAY
        assert checkins["checkin_id"].is_unique
        assert checkins["checkin_id"].iloc[0] == f"K{day.replace('-', '')}000000000"
        assert (checkins["checked_in_at"].dt.strftime("%Y-%m-%d") == day).all()
        assert checkins["checked_in_at"].dt.hour.between(7, 20).all()
        assert checkins["venue_id"].isin(venues["venue_id"]).all()
        assert checkins["person_id"].str.fullmatch(r"P\d{9}").all()


def test_venues_are_jakartas_and_elsewhere_by_population(written):
    (first, *_), (summary, *_) = written
    venues = pd.read_parquet(first / "venues.parquet")
    jakarta = reference.venues()
    assert len(venues) == summary["venues"] == 102_158
    assert venues["venue_id"].is_unique
    assert venues["venue_id"].head(len(jakarta)).tolist() == jakarta["venue_id"].tolist()
    poly = regions.locate_points(venues["lat"].to_numpy(), venues["lon"].to_numpy())
    assert (poly >= 0).all()
    province = pd.Series(regions.finest()["province_code"].to_numpy()[poly])
    share = province.value_counts(normalize=True)
    table = reference.regions()
    population = table[table["level"] == "province"].set_index("code")["population"]
    expected = population / population.sum()
    # Jakarta's own venues are real; every province holds its population's share within 0.5 pt.
    assert (share.reindex(expected.index, fill_value=0) - expected).abs().max() < 0.005


def test_cases_equal_the_real_series_per_2020_province(written):
    (first, *_), (summary, *_) = written
    series = reference.province_daily()
    table = reference.regions()
    for day in ("2020-09-14", "2020-09-15"):
        cases = pd.read_parquet(first / "days" / day / "cases.parquet")
        assert len(cases) == summary["days"][day]["cases"]
        assert cases["case_id"].is_unique
        assert (cases["reported_date"] == day).all()
        coded = (cases["region_code"] != "").to_numpy()
        province = np.empty(len(cases), dtype=object)
        province[coded] = cases.loc[coded, "region_code"].str.slice(0, 2).to_numpy()
        poly = regions.locate_points(cases.loc[~coded, "lat"], cases.loc[~coded, "lon"])
        province[~coded] = regions.finest()["province_code"].to_numpy()[poly]
        got = pd.Series(table.loc[province, "province_code_2020"].to_numpy()).value_counts()
        real = series[series["date"] == pd.Timestamp(day)].set_index("province_code")["new_cases"]
        real = real[real > 0]
        pd.testing.assert_series_equal(
            got.reindex(real.index, fill_value=0).sort_index(),
            real.sort_index(),
            check_names=False,
            check_dtype=False,
        )
        linked = cases["person_id"].notna()
        assert 0.07 < linked.mean() < 0.13
        assert cases.loc[linked, "person_id"].str.fullmatch(r"P\d{9}").all()


def test_concatenate_streams_the_days_into_one_file(written, tmp_path):
    (first, *_), _ = written
    files = sorted(first.glob("days/*/checkins.parquet"))
    rows = national_inputs.concatenate(files, tmp_path / "all.parquet")
    assert rows == 2 * PER_DAY
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "all.parquet"),
        pd.concat([pd.read_parquet(p) for p in files], ignore_index=True),
    )
    assert not (tmp_path / "all.tmp").exists()
