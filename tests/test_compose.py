"""Region-coded counts kept at their target and composed into cells on read.

The build below (period 5-9 July 2021) has, by hand:

* Cideng (31.71.01.1002, 19,216 people in 13 res-9 cells) reports 40 cases on 5 July: 208 per
  100k in 7 days, red; 40 / 13 = 3.08 cases per cell, which alone would be "only 3.1 cases";
* Gambir (31.71.01.1001) reports 0 on 5 July: a report, so it is covered (green), not silent;
* Surabaya (35.78) reports 7 on 6 July: nothing before, so 5 July there has no data;
* DKI (31) reports 10 on 9 July: spread over every DKI cell by population.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pipeline_fixtures import TODAY, write

from geo import allocate, buildread, compose, mapshapes, reports, trends, views, zonemap
from geo.metrics import windows

pytest_plugins = ["pipeline_fixtures"]

JULY = {d: dt.date(2021, 7, d) for d in range(5, 10)}
COUNTS_CSV = """\
    reported_date,region_code,count
    2021-07-05,31.71.01.1002,40
    2021-07-05,31.71.01.1001,0
    2021-07-06,35.78,7
    2021-07-09,31,10
    """
TARGETS = ["31", "31.71", "31.71.01", "31.71.01.1002", "35.78", "32.73.01", "92.02"]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory, all_grids: dict) -> buildread.Build:
    from geo.build import build as run

    folder = tmp_path_factory.mktemp("compose")
    run(write(folder / "counts.csv", COUNTS_CSV), None, None, folder / "zones", today=TODAY)
    return buildread.open_build(folder / "zones")


@settings(max_examples=8, deadline=None)
@given(st.sets(st.sampled_from(TARGETS), min_size=1), st.sampled_from([9, 8, 7, 6]))
def test_each_target_shares_sum_to_one_at_every_resolution(base_grid, codes, resolution):
    table = allocate.weights(base_grid, sorted(codes), resolution)
    sums = table.groupby("target")["weight"].sum()
    assert len(sums) == len(codes)
    assert np.allclose(sums.to_numpy(), 1.0, rtol=0, atol=1e-9)
    assert (table["weight"] > 0).all() or resolution == 9  # a res-9 cell may have no people


def test_a_red_kelurahan_colours_its_populated_cells_red(build):
    table = buildread.cells_in(build, JULY[8], "31.71.01.1002", 9)
    assert len(table) == 13
    assert table["cases_7d"].to_numpy() == pytest.approx(np.full(13, 40 / 13))
    assert (table["cases_7d_exact"] == 40).all()
    assert (table["risk"] == "red").all()
    assert table["risk_reason"].str.startswith("red: 208 cases per 100k").all()


@pytest.mark.parametrize("resolution", [9, 8, 7, 6])
def test_composed_counts_keep_every_target_total(build, resolution):
    cells_of = compose.weights_at(build, resolution)["cell"].unique()
    for day in (JULY[5], JULY[9]):
        spread = compose._spread(build, np.sort(cells_of), resolution, [day])
        # 5 July: Cideng's 40; 9 July: 40 + Surabaya's 7 + DKI's 10 in 7 days.
        expected = {JULY[5]: 40, JULY[9]: 57}[day]
        assert spread["cases_7d"].sum() == pytest.approx(expected, abs=1e-9)


def test_composing_equals_allocating_every_day(build, base_grid):
    coded = pd.DataFrame(
        {
            "region_code": ["31.71.01.1002", "35.78", "31"],
            "date": pd.to_datetime(["2021-07-05", "2021-07-06", "2021-07-09"]),
            "cases": [40.0, 7.0, 10.0],
        }
    )
    cells = allocate.allocate(coded, base_grid)
    events = cells.rename(columns={"cell": "key"}).assign(alloc=0.0, checkins=0, exposed=0)
    ref = windows(events, start=JULY[5], end=JULY[9])
    ref = ref[ref["date"] == pd.Timestamp(JULY[9])].set_index("key")["cases_7d"]
    got = buildread.cells_in(build, JULY[9], "31.71.01", 9)
    keys = compose.cells.from_strings(got["cell"].astype(str).to_numpy())
    assert got["cases_7d"].to_numpy() == pytest.approx(ref.reindex(keys).to_numpy(), abs=1e-9)


def test_a_zero_report_covers_and_no_report_is_no_data(build):
    rows = buildread.region_rows(build, ["31.71.01.1001", "31.71.03.1001", "11"]).set_index(
        ["region_code", "date"]
    )
    gambir = rows.loc["31.71.01.1001"]
    assert (gambir["risk"] == "green").all()
    assert gambir["covered"].all()
    kemayoran = rows.loc["31.71.03.1001"]
    # No count of its own: before DKI's report no data; on 9 July its share of DKI's 10 (as its
    # cells), green.
    assert kemayoran["risk"].tolist() == ["no_data"] * 4 + ["green"]
    assert kemayoran.loc[pd.Timestamp(JULY[9]), "cases_7d_exact"] == 10
    texts = buildread.render_reasons(
        build, rows.loc[["31.71.03.1001"]].reset_index(), audience="official", lang="id"
    )
    assert list(texts[:4]) == ["tidak ada data: belum ada laporan dari wilayah ini"] * 4
    # Aceh: no record at all in the period.
    texts = buildread.render_reasons(
        build, rows.loc[["11"]].reset_index(), audience="official", lang="id"
    )
    assert set(texts) == {"tidak ada data: tidak ada laporan dari wilayah ini selama periode build"}
    # Its cells: none before DKI's report; on 9 July they hold their share of DKI's 10, covered.
    assert buildread.cells_in(build, JULY[8], "31.71.03.1001", 9).empty
    cells = buildread.cells_in(build, JULY[9], "31.71.03.1001", 9)
    assert len(cells)
    assert cells["covered"].all()
    assert (cells["risk"] == "green").all()
    assert (cells["cases_7d_exact"] == 10).all()


def test_a_day_before_the_first_report_has_no_data_everywhere(build):
    day = JULY[5]
    assert buildread.cells_in(build, day, "35.78", 9).empty  # nothing drawn on the map
    row = buildread.region_rows(build, ["35.78"], day)
    assert row["risk"].tolist() == ["no_data"]
    summary = views.region_summary(build, day, "35.78", audience="official", lang="en")
    assert summary.reason == "no data: no report from this region yet"
    assert summary.shares["no_data"] == 1
    series = trends.daily_series(build, "35.78", audience="official").set_index("date")
    assert np.isnan(series.loc[pd.Timestamp(day), "new_cases"])
    assert series.loc[pd.Timestamp(day), "new_cases_label"] == "—"
    assert series.loc[pd.Timestamp(JULY[6]), "new_cases"] == 7
    report = reports.zone_report(
        build, "35.78", day, JULY[6], resolution=9, audience="official", lang="en"
    )
    assert report.daily["risk"].tolist() == ["no_data", "green"]
    assert report.daily["reason"].iloc[0] == "no data: no report from this region yet"


def test_shares_are_the_map_states_and_sum_to_one(build):
    day = JULY[8]
    for code in ("31.71.01.1002", "31.71.01", "31"):
        row = buildread.region_rows(build, [code], day).iloc[0]
        shares = [row[f"share_population_{s}"] for s in ("red", "orange", "green", "no_data")]
        assert sum(shares) == pytest.approx(1, abs=1e-12)
        assert min(shares) >= 0
    # Gambir district: Cideng red, Gambir covered by its zero report (green), the rest of the
    # district's kelurahan have no report (no data).
    drawn = buildread.cells_in(build, day, "31.71.01", 9)
    row = buildread.region_rows(build, ["31.71.01"], day).iloc[0]
    red = drawn.loc[drawn["risk"] == "red", "population"].sum()
    assert row["share_population_red"] * row["population"] == pytest.approx(red)
    assert row["share_population_red"] > 0
    assert row["share_population_green"] > 0
    assert row["share_population_no_data"] > 0


def test_the_map_tooltip_says_since_when_a_region_has_no_report(build):
    features = zonemap.zones_geojson(build, JULY[5], None, audience="public", lang="id")["features"]
    surabaya = next(f["properties"] for f in features if f["properties"]["code"] == "35.78")
    assert surabaya["risk"] == "no_data"
    assert surabaya["reason"] == "tidak ada data: belum ada laporan dari wilayah ini"
    later = zonemap.zones_geojson(build, JULY[6], None, audience="public", lang="en")["features"]
    surabaya = next(f["properties"] for f in later if f["properties"]["code"] == "35.78")
    assert surabaya["risk"] == "green"


def test_a_view_counts_the_cells_a_target_covers_when_it_picks_its_resolution(build):
    # Surabaya's count covers every cell of the regency: its map coarsens as if they had rows.
    cells_9 = len(compose.view_cells(build, "35.78", 9))
    assert compose.allocated_cells(build, "35.78", 9) == cells_9
    assert mapshapes.active_cells(build, "35.78", 9) == cells_9
    assert compose.allocated_cells(build, "33", 7) == 0  # Jawa Tengah: nothing coded there


def test_a_hexagons_week_before_is_composed_as_the_map_read_it(tmp_path, all_grids):
    # Cideng reports 70 cases on 1 July and 14 on 8 July; its cells hold only its share of them.
    # A week before 8 July, each of its 13 cells had 70 / 13 cases in 7 days, not "no row: 0".
    from geo.build import build as run

    counts = """\
        reported_date,region_code,count
        2021-07-01,31.71.01.1002,70
        2021-07-08,31.71.01.1002,14
        """
    run(write(tmp_path / "counts.csv", counts), None, None, tmp_path / "zones", today=TODAY)
    built = buildread.open_build(tmp_path / "zones")
    table = buildread.cells_in(built, dt.date(2021, 7, 8), "31.71.01.1002", 9)
    assert table["cases_7d"].to_numpy() == pytest.approx(np.full(13, 14 / 13))
    before = buildread.week_before(built, table, audience="official")
    assert before == pytest.approx(np.full(13, 70 / 13))
