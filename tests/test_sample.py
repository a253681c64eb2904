"""The deterministic sample: cases on the real provincial series, check-ins at the real venues."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from geo import reference, sample

pytest_plugins = ["pipeline_fixtures"]


def real_window() -> pd.DataFrame:
    series = reference.province_daily()
    keep = (series["date"] >= pd.Timestamp(sample.CASES_FROM)) & (
        series["date"] <= pd.Timestamp(sample.CASES_TO)
    )
    return series[keep]


def test_regency_counts_equal_the_real_series_per_province_and_date():
    counts = sample.case_counts()
    table = reference.regions()
    counts["province_2020"] = table.loc[counts["regency"], "province_code_2020"].to_numpy()
    generated = counts.groupby(["province_2020", "date"])["n"].sum()
    real = real_window().groupby(["province_code", "date"])["new_cases"].sum()
    real = real[real > 0]
    generated.index.names = real.index.names
    pd.testing.assert_series_equal(
        generated.sort_index(), real.sort_index(), check_names=False, check_dtype=False
    )


@pytest.fixture(scope="module")
def generated(base_grid):
    return sample.generate_cases(base_grid, np.random.default_rng(sample.SEED))


def test_generated_cases_equal_the_real_series_per_date(generated):
    per_date = generated.groupby("reported_date").size()
    real = real_window().groupby(real_window()["date"].dt.strftime("%Y-%m-%d"))["new_cases"].sum()
    pd.testing.assert_series_equal(
        per_date, real, check_names=False, check_dtype=False, check_index_type=False
    )
    assert len(generated) == real_window()["new_cases"].sum()


@pytest.fixture(scope="module")
def located_vs_real(generated):
    """Generated cases per (2020 province, date) as the build locates them, and the real series."""
    from geo import regions

    table = reference.regions()
    coded = (generated["region_code"] != "").to_numpy()
    province = np.empty(len(generated), dtype=object)
    province[coded] = generated.loc[coded, "region_code"].str.slice(0, 2).to_numpy()
    points = generated[~coded]
    poly = regions.locate_points(points["lat"].to_numpy(), points["lon"].to_numpy())
    assert (poly >= 0).all()
    province[~coded] = regions.finest()["province_code"].to_numpy()[poly]
    province_2020 = table.loc[province, "province_code_2020"].to_numpy()
    index = pd.MultiIndex.from_arrays([province_2020, generated["reported_date"].to_numpy()])
    got = pd.Series(1, index=index).groupby(level=[0, 1]).sum()
    window = real_window()
    real = window.groupby([window["province_code"], window["date"].dt.strftime("%Y-%m-%d")])[
        "new_cases"
    ].sum()
    real = real[real > 0]
    return got, real


def test_generated_cases_per_2020_province_and_date_equal_the_real_series(located_vs_real):
    got, real = located_vs_real
    pd.testing.assert_series_equal(
        got.reindex(real.index, fill_value=0), real, check_names=False, check_dtype=False
    )


def test_generated_case_columns(generated):
    assert list(generated.columns) == [
        "case_id",
        "reported_date",
        "lat",
        "lon",
        "region_code",
        "status",
        "person_id",
    ]
    assert generated["case_id"].is_unique
    assert generated["case_id"].iloc[0] == "C0000001"
    coded = generated["region_code"] != ""
    # DKI cases known only by their kelurahan: about 15% of DKI cases.
    assert generated.loc[coded, "region_code"].str.match(r"^31\.\d\d\.\d\d\.\d{4}$").all()
    assert generated.loc[coded, "lat"].isna().all()
    assert generated.loc[~coded, "lat"].between(-11.5, 6.5).all()


@pytest.fixture(scope="module")
def short_window():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sample, "CASES_FROM", dt.date(2021, 7, 10))
        mp.setattr(sample, "CASES_TO", dt.date(2021, 7, 11))
        mp.setattr(sample, "CHECKINS_FROM", dt.date(2021, 7, 5))
        yield


@pytest.fixture(scope="module")
def two_samples(short_window, all_grids, tmp_path_factory):
    first, second = tmp_path_factory.mktemp("sample1"), tmp_path_factory.mktemp("sample2")
    return (first, sample.write_sample(first)), (second, sample.write_sample(second))


def test_sample_is_deterministic(two_samples):
    (first, summary1), (second, summary2) = two_samples
    assert summary1 == summary2
    names = sorted(p.name for p in first.iterdir())
    assert names == ["cases.csv", "checkins.parquet", "sample.json", "venues.csv"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_sample_summary_and_broken_rows(two_samples):
    folder, summary = two_samples[0]
    assert json.loads((folder / "sample.json").read_text(encoding="utf-8")) == summary
    assert summary["seed"] == 20210703
    assert summary["cases"]["from"] == "2021-07-10"
    assert summary["cases"]["broken_rows"] == len(sample.BROKEN_CASES) == 9
    assert summary["venues"] == 3957
    cases = pd.read_csv(folder / "cases.csv", dtype=str, keep_default_na=False)
    assert len(cases) == summary["cases"]["rows"] + summary["cases"]["broken_rows"]
    assert cases["case_id"].tail(9).tolist() == [row[0] for row in sample.BROKEN_CASES]
    checkins = pd.read_parquet(folder / "checkins.parquet")
    assert len(checkins) == summary["checkins"]["rows"]
    assert checkins["checked_in_at"].min() >= pd.Timestamp("2021-07-05 07:00:00")
    assert checkins["venue_id"].isin(reference.venues()["venue_id"]).all()
    linked = cases["person_id"] != ""
    assert linked.sum() == summary["linked_cases"] > 0
    assert cases.loc[linked, "person_id"].is_unique
    assert cases.loc[linked, "person_id"].isin(checkins["person_id"]).all()


def test_sample_builds_with_one_row_quarantined_per_broken_row(two_samples, tmp_path):
    from geo.build import build

    folder, summary = two_samples[0]
    manifest = build(
        folder / "cases.csv",
        folder / "checkins.parquet",
        folder / "venues.csv",
        tmp_path / "zones",
        today=dt.date(2021, 8, 1),
    )
    assert manifest["inputs"]["cases"]["quarantined"] == 9
    assert manifest["inputs"]["cases"]["accepted"] == summary["cases"]["rows"]
    quarantine = pd.read_csv(tmp_path / "zones" / "quarantine.csv")
    assert sorted(quarantine["check"]) == sorted(
        [
            "swapped",
            "null_island",
            "out_of_range",
            "outside_indonesia",
            "unknown_region",
            "unparseable",
            "future",
            "missing",
            "duplicate",
        ]
    )
