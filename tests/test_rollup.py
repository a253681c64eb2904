"""Region metrics: counts summed up the hierarchy, population, silent regions, colour shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pipeline_fixtures import TODAY, write

from geo import buildread, reference, regions, views
from geo.columns import LEVEL_COLUMNS, LEVELS
from geo.rollup import (
    NO_REPORTS,
    below_targets,
    region_events,
    region_table,
    shared_windows,
    with_shared,
)

pytest_plugins = ["pipeline_fixtures"]


@pytest.fixture(scope="module")
def regions_daily(built):
    return pd.read_parquet(built[0] / "regions_daily.parquet")


def test_region_events_count_at_every_level():
    layer = regions.finest()
    gambir = int(np.flatnonzero(layer["code"] == "31.71.01.1001")[0])
    isola = int(np.flatnonzero(layer["code"] == "32.73.01.1003")[0])
    day = pd.Timestamp("2021-07-01")
    located = pd.DataFrame(
        {
            "poly": [gambir, isola],
            "date": day,
            "cases": [3.0, 1.0],
            "checkins": [2.0, 0.0],
            "exposed": [1.0, 0.0],
        }
    )
    coded = pd.DataFrame({"region_code": ["31.74.01"], "date": [day], "cases": [1.0]})
    events = region_events(located, coded)
    per_key = events.groupby("key")[["cases", "checkins", "exposed"]].sum()
    # Gambir's 3 cases at its kelurahan, kecamatan, kota and province; Tebet's coded case at
    # its kecamatan and above, never below.
    assert per_key.loc["31.71.01.1001"].tolist() == [3, 2, 1]
    assert per_key.loc["31.71.01"].tolist() == [3, 2, 1]
    assert per_key.loc["31.71"].tolist() == [3, 2, 1]
    assert per_key.loc["31"].tolist() == [3 + 1, 2, 1]
    assert per_key.loc["31.74.01"].tolist() == [1, 0, 0]
    assert per_key.loc["31.74"].tolist() == [1, 0, 0]
    assert "31.74.01.1001" not in per_key.index
    # Isola, Sukasari (Bandung): Jawa Barat has a village layer too, so 4 levels.
    assert per_key.loc["32.73.01.1003", "cases"] == 1
    assert per_key.loc["32.73.01", "cases"] == 1
    assert per_key.loc["32", "cases"] == 1
    assert (events["alloc"] == 0).all()
    assert len(events) == 4 + 4 + 3


def test_region_table_population_and_sources(base_grid):
    table = region_table(base_grid).set_index("region_code")
    assert len(table) == 8104 + 5957  # regions.csv and the Jawa Barat villages
    assert table.loc["31.71.01.1001", "population"] == pytest.approx(3088)
    sources = table["population_source"]
    assert sources["31.71.01.1001"] == "kelurahan (Dukcapil 2019)"
    assert sources["31.71"] == "sum of kelurahan (Dukcapil 2019)"
    assert sources["32.73"] == "kabupaten/kota (Dukcapil 2025)"
    assert sources["32.73.01"] == "sum of desa/kelurahan"
    assert (
        sources["32.73.01.1003"] == "desa/kelurahan (Dukcapil 2024 S1), share of the kabupaten/kota"
    )
    assert sources["32.73.23.1004"] == "rest of the kabupaten/kota (Dukcapil 2025), spread by area"
    assert sources["63.71.05"] == "kecamatan (Dukcapil 2023), share of the kabupaten/kota"
    assert sources["32"] == "sum of kabupaten/kota (Dukcapil 2025)"
    # A kecamatan without boundary has no cells, so no population (its regency keeps it all).
    assert table.loc["92.02.31", "population"] == 0
    assert sources["92.02.31"] == (
        "none: no boundary, its people are in its kabupaten/kota's other polygons"
    )
    assert sources.notna().all()
    assert table["population"][table["region_level"] == "province"].sum() == pytest.approx(
        base_grid.table["population"].sum(), rel=1e-12
    )


def test_regions_daily_is_dense(regions_daily):
    days = regions_daily["date"].nunique()
    assert days == 9
    assert len(regions_daily) == (8104 + 5957) * days
    assert not regions_daily.duplicated(["region_code", "date"]).any()


def test_silent_regions_are_no_data_never_green(regions_daily):
    # Aceh had no record at all in the build period.
    aceh = regions_daily[regions_daily["region_code"] == "11"]
    assert (aceh["risk"] == "no_data").all()
    assert (aceh["risk_reason"] == NO_REPORTS).all()
    assert NO_REPORTS == "no data: no reports from this region in the build period"
    assert aceh["risk_metric"].isna().all()
    # DKI reported: it is coloured on every day a report covers (the 7 days from a report),
    # and without data before its first report.
    dki = regions_daily[regions_daily["region_code"] == "31"]
    covered = dki["covered"].to_numpy(dtype=bool)
    assert (dki.loc[covered, "risk"] != "no_data").all()
    assert (dki.loc[~covered, "risk"] == "no_data").all()


def test_a_region_without_population_is_no_data(regions_daily):
    aimasi = regions_daily[regions_daily["region_code"] == "92.02.31"]
    assert (aimasi["risk"] == "no_data").all()
    assert set(aimasi["risk_reason"]) == {"no data: no resident population recorded for this zone"}


def test_ratios_are_recomputed_from_summed_counts(regions_daily):
    rows = regions_daily[(regions_daily["population"] > 0) & (regions_daily["cases_7d"] > 0)]
    assert len(rows) > 0
    expected = rows["cases_7d"] * 1e5 / rows["population"]
    assert np.allclose(rows["cases_per_100k_7d"], expected)


def test_population_shares_add_up_to_one(regions_daily):
    shares = regions_daily[
        [
            "share_population_red",
            "share_population_orange",
            "share_population_green",
            "share_population_no_data",
        ]
    ]
    populated = regions_daily["population"] > 0
    assert np.allclose(shares[populated].sum(axis=1), 1.0)
    assert ((shares[populated] >= -1e-12) & (shares[populated] <= 1 + 1e-12)).all().all()
    assert shares[~populated].isna().all().all()


def test_population_share_of_an_orange_kelurahan(regions_daily, built):
    cells = pd.read_parquet(built[0] / "cells_daily.parquet")
    day = pd.Timestamp("2021-07-01")
    # On 07-01 one Gambir cell is orange (3 cases): 1 of its 25 cells, so 1/25 of Gambir.
    orange = cells[
        (cells["resolution"] == 9)
        & (cells["date"] == day)
        & (cells["village_code"] == "31.71.01.1001")
    ]
    assert orange["risk"].tolist() == ["orange"]
    row = regions_daily[
        (regions_daily["region_code"] == "31.71.01.1001") & (regions_daily["date"] == day)
    ].iloc[0]
    assert row["share_population_orange"] == pytest.approx(1 / 25)
    assert row["share_population_red"] == 0
    assert row["share_population_green"] == pytest.approx(24 / 25)


# Property: region roll-ups conserve counts at every level. Each province holds all the events
# inside it; a region holds at least the sum of its children (equal but for region-coded cases
# at the region itself and, for districts, points outside any village layer); and the sum over
# the regions of one level is what was located at that level plus what was coded at or below it.
_DEPTH = {level: depth for depth, level in enumerate(LEVELS)}


@st.composite
def _events(draw):
    layer = regions.finest()
    n = draw(st.integers(0, 12))
    day = pd.Timestamp("2021-07-01")
    located = pd.DataFrame(
        {
            "poly": draw(st.lists(st.integers(0, len(layer) - 1), min_size=n, max_size=n)),
            "date": day,
            "cases": draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)),
            "checkins": draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)),
            "exposed": 0,
        }
    ).astype({"poly": np.int64, "cases": float, "checkins": float, "exposed": float})
    codes = reference.regions()["code"]
    m = draw(st.integers(0, 6))
    coded = pd.DataFrame(
        {
            "region_code": draw(st.lists(st.sampled_from(codes.tolist()), min_size=m, max_size=m)),
            "date": day,
            "cases": draw(st.lists(st.integers(1, 5), min_size=m, max_size=m)),
        }
    ).astype({"cases": float})
    return located, coded


@settings(max_examples=40, deadline=None)  # no timing: the machine is shared
@given(drawn=_events())
def test_region_events_conserve_counts_at_every_level(drawn) -> None:
    located, coded = drawn
    events = region_events(located, coded)
    per_key = events.groupby("key")[["cases", "checkins"]].sum()
    level = per_key.index.map(regions.level_of)
    by_level = per_key.groupby(level).sum()
    at_level = regions.codes_of(located["poly"].to_numpy())
    for name, column in LEVEL_COLUMNS.items():
        here = at_level[column].notna().to_numpy()
        deep = coded["region_code"].map(lambda c: c.count(".")).to_numpy() >= _DEPTH[name]
        expected = located["cases"][here].sum() + coded["cases"][deep].sum()
        got = by_level["cases"].get(name, 0.0)
        assert got == expected, name
        assert by_level["checkins"].get(name, 0.0) == located["checkins"][here].sum(), name
    assert by_level["cases"].get("province", 0.0) == located["cases"].sum() + coded["cases"].sum()
    for code, row in per_key.iterrows():
        if "." in code:
            parent = code.rsplit(".", 1)[0]
            assert (per_key.loc[parent] >= row).all(), (code, parent)


# Region rows below a reporting target take their share of its counts, as their cells do.
DAY = pd.Timestamp("2021-07-05")
ALLOCATED = pd.DataFrame(
    {
        "target_code": ["31", "31.74.01"],
        "date": pd.DatetimeIndex([DAY, DAY]).astype("datetime64[s]"),
        "new_cases": [100.0, 20.0],
        "cases_7d": [100.0, 20.0],
        "cases_14d": [100.0, 20.0],
    }
)
POPULATION = pd.Series(
    [1000.0, 200.0, 50.0, 10.0, 0.0],
    index=["31", "31.74", "31.74.01", "31.74.01.1001", "31.71"],
)


def test_below_targets_lists_the_targets_strictly_above():
    above = below_targets({"31", "31.74.01"}, [*POPULATION.index, "32"])
    assert above == {
        "31.74": ["31"],
        "31.74.01": ["31"],
        "31.74.01.1001": ["31.74.01", "31"],
        "31.71": ["31"],
    }


def test_a_region_takes_its_population_share_of_each_target_above_it():
    shared = shared_windows(ALLOCATED, list(POPULATION.index), POPULATION).set_index("key")
    # DKI is a target itself (its own count is already its row's); Jakarta Pusat has no people.
    assert shared.index.tolist() == ["31.74", "31.74.01", "31.74.01.1001"]
    assert shared.loc["31.74", "cases_7d"] == pytest.approx(100 * 200 / 1000)
    # Tebet's own 20 are not added again: only DKI's share.
    assert shared.loc["31.74.01", "cases_7d"] == pytest.approx(100 * 50 / 1000)
    assert shared.loc["31.74.01.1001", "cases_7d"] == pytest.approx(100 * 10 / 1000 + 20 * 10 / 50)
    assert shared["new_cases_allocated"].tolist() == shared["new_cases"].tolist()
    # Small-number protection reads the exact counts shared from.
    assert shared["cases_7d_exact"].tolist() == [100, 100, 120]


def test_shared_counts_add_to_a_regions_own_windows():
    own = pd.DataFrame(
        {
            "key": ["31.74.01"],
            "date": pd.DatetimeIndex([DAY]).astype("datetime64[s]"),
            "new_cases": [20.0],
            "new_cases_allocated": [0.0],
            "cases_7d": [20.0],
            "cases_14d": [20.0],
            "checkins": [3.0],
        }
    )
    shared = shared_windows(ALLOCATED, ["31.74", "31.74.01"], POPULATION)
    rows = with_shared(own, shared).set_index("key")
    assert rows.loc["31.74.01", "cases_7d"] == pytest.approx(20 + 5)
    assert rows.loc["31.74.01", "cases_7d_exact"] == 20 + 100
    assert rows.loc["31.74.01", "new_cases_allocated"] == pytest.approx(5)
    assert rows.loc["31.74.01", "checkins"] == 3
    assert rows.loc["31.74", "cases_7d"] == pytest.approx(20)
    assert rows.loc["31.74", "cases_7d_exact"] == 100
    empty = shared.iloc[:0]
    assert with_shared(own, empty)["cases_7d_exact"].tolist() == [20]


# A province-coded feed: DKI (11,011,862 people) reports 17,000 on 5 July, 154.4 per 100k in
# 7 days (red); Tebet (31.74.01) 100 more; zero reports on 12 and 20 July keep the period going.
PROVINCE_CSV = """\
    reported_date,region_code,count
    2021-07-05,31,17000
    2021-07-05,31.74.01,100
    2021-07-12,31,0
    2021-07-20,31,0
    """
DKI = 11011862


@pytest.fixture(scope="module")
def province_build(tmp_path_factory: pytest.TempPathFactory, all_grids: dict) -> buildread.Build:
    from geo.build import build as run

    folder = tmp_path_factory.mktemp("shared")
    run(write(folder / "counts.csv", PROVINCE_CSV), None, None, folder / "zones", today=TODAY)
    return buildread.open_build(folder / "zones")


def test_rows_below_a_province_report_say_what_the_map_shows(province_build):
    day = DAY.date()
    rows = buildread.region_rows(
        province_build, ["31", "31.01", "31.74.01", "31.71.01.1001"], day
    ).set_index("region_code")
    assert rows.loc["31", "cases_7d"] == 17100
    # Kepulauan Seribu (28,436 people): 17,000 x 28,436 / 11,011,862 = 43.9, DKI's rate.
    assert rows.loc["31.01", "cases_7d"] == pytest.approx(43.899206, abs=1e-6)
    assert rows.loc["31.01", "cases_per_100k_7d"] == pytest.approx(154.378978, abs=1e-6)
    assert rows.loc["31.01", "risk"] == "red"
    # Tebet: its own 100 plus DKI's share of its 241,288 people.
    assert rows.loc["31.74.01", "cases_7d"] == pytest.approx(100 + 17000 * 241288 / DKI, rel=1e-9)
    # Gambir (3,088 people) holds 4.77 cases: red, as small-number protection reads DKI's 17,000.
    gambir = rows.loc["31.71.01.1001"]
    assert gambir["cases_7d"] == pytest.approx(4.767223, abs=1e-6)
    assert gambir["cases_7d_exact"] == 17000
    assert gambir["risk"] == "red"
    assert gambir["risk_reason"].startswith("red: 154 cases per 100k")
    assert province_build.regions.loc["31.01", "reporting"]


def test_a_regency_row_has_the_colour_of_its_cells(province_build):
    day = DAY.date()
    kabs = buildread.regions_on(province_build, day, "31")
    assert len(kabs) == 6
    assert kabs["cases_7d"].sum() == pytest.approx(17100, rel=1e-12)  # conserved
    for code, risk in zip(kabs["region_code"], kabs["risk"], strict=True):
        cells = buildread.cells_in(province_build, day, code, 9)
        populated = cells[cells["population"] > 0]
        assert len(populated), code
        assert set(populated["risk"]) == {risk}, code
    summary = views.region_summary(province_build, day, "31.01", audience="official", lang="en")
    assert summary.risk == "red"
    assert summary.shares["red"] == pytest.approx(1.0)


def test_a_shared_row_is_covered_by_its_provinces_reports_only(province_build):
    rows = buildread.region_rows(province_build, ["31.01"]).set_index("date")
    assert rows.loc["2021-07-11", "covered"]
    assert rows.loc["2021-07-12", "risk"] == "green"  # a zero report, the week past
    assert rows.loc["2021-07-18", "risk"] == "green"
    assert rows.loc["2021-07-19", "risk"] == "no_data"
    assert (
        rows.loc["2021-07-19", "risk_reason"]
        == "no data: no reports from this region since 12 July 2021"
    )


def test_a_rescored_shared_row_reads_its_stored_exact_count(province_build):
    from geo.risk import rescore

    rows = buildread.region_rows(province_build, ["31.71.01.1001"], DAY.date())
    assert rescore(rows, province_build.config)["risk"].astype(str).tolist() == ["red"]
    # Without the stored exact count, 4.77 cases would be marked down.
    bare = rows.drop(columns="cases_7d_exact")
    assert rescore(bare, province_build.config)["risk"].astype(str).tolist() == ["orange"]
