"""Hotspots: Gi* on a hand-made H3 grid with a planted cluster, FDR at its boundary, esda parity."""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd
import pytest
from esda.getisord import G_Local

from geo import cells, hotspots
from geo.columns import Out

# A hexagonal patch of 127 resolution-7 cells of 100,000 people around Monas (grid_disk 6). The
# cluster is the 19 cells within 2 steps of the centre at 100 cases per 100k; one "lone" cell 5
# steps away is as high but its neighbours are not; every other cell is at 5. With 100k people
# per cell, cases and cases per 100k are the same numbers.
CENTRE = h3.latlng_to_cell(-6.1754, 106.8272, 7)
PATCH = sorted(h3.grid_disk(CENTRE, 6))
CLUSTER = set(h3.grid_disk(CENTRE, 2))
LONE = sorted(h3.grid_ring(CENTRE, 5))[0]


def planted() -> tuple[hotspots.Zones, np.ndarray]:
    found = hotspots.zones(cells.from_strings(PATCH), np.full(len(PATCH), 100_000.0))
    names = cells.to_strings(found.cells)
    rates = np.array([100.0 if c in CLUSTER or c == LONE else 5.0 for c in names])
    return found, rates


def classes(found: hotspots.Zones, rates: np.ndarray) -> dict[str, str]:
    z, p = hotspots.gi_star(rates, found.matrix)
    state, _ = hotspots.significance(z, p)
    return dict(zip(cells.to_strings(found.cells), state, strict=True))


def test_the_planted_cluster_is_hot_and_the_lone_high_cell_is_not():
    found, rates = planted()
    got = classes(found, rates)
    assert all(got[c] == "hot" for c in CLUSTER)
    assert got[LONE] == "none"
    assert {got[c] for c in PATCH if c not in CLUSTER} == {"none"}


def test_weights_are_the_k_ring_with_the_cell_itself():
    found, _ = planted()
    row = found.cells.tolist().index(int(cells.from_strings([CENTRE])[0]))
    # The centre: itself and its 6 neighbours, binary weights.
    assert found.matrix[[row], :].toarray().sum() == 7
    # On the patch's outer ring (ring 6), a corner has 3 neighbours inside the patch (2 on the
    # ring, 1 inward) and an edge cell 4 (2 on the ring, 2 inward); each also weighs itself.
    corner = sorted(h3.grid_ring(CENTRE, 6))
    sums = np.asarray(found.matrix.sum(axis=1)).ravel()
    ring_sums = {sums[found.cells.tolist().index(int(c))] for c in cells.from_strings(corner)}
    assert ring_sums == {4.0, 5.0}
    # The libpysal Graph handed to esda holds the same weights.
    assert (found.graph.sparse != found.matrix).nnz == 0


def test_gi_star_matches_esda_g_local_on_the_same_weights():
    found, rates = planted()
    rng = np.random.default_rng(7)
    noisy = rates + rng.gamma(2.0, 3.0, rates.size)
    z, p = hotspots.gi_star(noisy, found.matrix)
    reference = G_Local(noisy, found.graph, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(z, reference.Zs, rtol=1e-12)
    np.testing.assert_allclose(p, 2 * reference.p_norm, rtol=1e-12)


def test_gi_star_on_several_days_at_once_equals_day_by_day():
    found, rates = planted()
    days = np.column_stack([rates, rates[::-1], np.zeros_like(rates)])
    z, p = hotspots.gi_star(days, found.matrix)
    for day in range(2):
        z1, p1 = hotspots.gi_star(days[:, day], found.matrix)
        np.testing.assert_allclose(z[:, day], z1)
        np.testing.assert_allclose(p[:, day], p1)
    # A day without variation (no case anywhere) has no statistic.
    assert np.isnan(z[:, 2]).all()
    assert np.isnan(p[:, 2]).all()


def test_fdr_at_its_boundary():
    # Benjamini-Hochberg with alpha 0.25 over 4 tests: p_(k) * 4 / k. Dyadic values are exact:
    # 0.0625*4/1 = 0.125*4/2 = 0.1875*4/3 = 0.25*4/4 = 0.25, all at alpha: all found.
    z = np.array([3.0, 2.5, -2.0, 1.5])
    at = np.array([0.0625, 0.125, 0.1875, 0.25])
    state, corrected = hotspots.significance(z, at, alpha=0.25)
    assert corrected.tolist() == [0.25, 0.25, 0.25, 0.25]
    assert state.tolist() == ["hot", "hot", "cold", "hot"]
    # The largest p just above the boundary: it alone is no longer found.
    above = np.array([0.0625, 0.125, 0.1875, 0.25 + 1e-9])
    state, corrected = hotspots.significance(z, above, alpha=0.25)
    assert state.tolist() == ["hot", "hot", "cold", "none"]
    assert corrected[3] == pytest.approx(0.25 + 1e-9)
    # Without correction 0.0625 < 0.25 would be found alone; corrected p is never below raw p.
    assert (corrected >= above).all()


def test_untested_zones_are_none_with_no_z():
    z = np.array([np.nan, 4.0, 0.1])
    p = np.array([np.nan, 1e-4, 0.9])
    state, corrected = hotspots.significance(z, p)
    assert state.tolist() == ["none", "hot", "none"]
    assert np.isnan(corrected[0])
    # Two tests, not three: 1e-4 * 2 / 1.
    assert corrected[1] == pytest.approx(2e-4)


def rows_of(found: hotspots.Zones, rates: np.ndarray, date: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            Out.CELL: cells.to_strings(found.cells),
            Out.DATE: pd.Timestamp(date),
            Out.CASES_7D: rates,
        }
    )


def test_cells_without_a_row_that_day_do_not_enter_and_unpopulated_cells_stay_out():
    found, rates = planted()
    full = rows_of(found, rates, "2021-07-01")
    # Only the 20 high cells have a row: no other zone that day, so nothing stands out.
    high = full[full[Out.CASES_7D] == 100.0].reset_index(drop=True)
    hotspots.mark(high, cells.from_strings(high[Out.CELL]), found)
    assert set(high[Out.HOTSPOT]) == {"none"}
    assert high[Out.HOTSPOT_Z].isna().all()
    # Half the patch has a row: the statistic is the subset's, on the subset's weights.
    half = full.iloc[::2].reset_index(drop=True)
    keys = cells.from_strings(half[Out.CELL])
    hotspots.mark(half, keys, found)
    at = np.searchsorted(found.cells, keys)
    z, _ = hotspots.gi_star(half[Out.CASES_7D].to_numpy(), found.matrix[at][:, at])
    np.testing.assert_allclose(half[Out.HOTSPOT_Z], z)
    # A cell outside the zones (no population): none, no z, no p; never "cold".
    outside = h3.grid_ring(CENTRE, 8)[0]
    extra = pd.concat(
        [
            full,
            pd.DataFrame(
                {
                    Out.CELL: [outside],
                    Out.DATE: [pd.Timestamp("2021-07-01")],
                    Out.CASES_7D: [0.0],
                }
            ),
        ],
        ignore_index=True,
    )
    hotspots.mark(extra, cells.from_strings(extra[Out.CELL]), found)
    last = extra.iloc[-1]
    assert last[Out.HOTSPOT] == "none"
    assert np.isnan(last[Out.HOTSPOT_Z])
    assert np.isnan(last[Out.HOTSPOT_P])
    hotspots.mark(full, found.cells, found)
    assert (extra[Out.HOTSPOT].iloc[:-1] == full[Out.HOTSPOT]).all()


def test_zones_leave_out_cells_without_population():
    keys = cells.from_strings(PATCH[:3])
    found = hotspots.zones(keys, np.array([0.0, np.nan, 250.0]), min_population=0)
    assert cells.to_strings(found.cells).tolist() == [PATCH[2]]
    found = hotspots.zones(keys, np.array([50.0, 100.0, 250.0]), min_population=100)
    assert cells.to_strings(found.cells).tolist() == [PATCH[2]]


def test_mark_classifies_each_day_on_its_own():
    found, rates = planted()
    both = pd.concat(
        [
            rows_of(found, rates, "2021-07-01"),
            rows_of(found, np.full_like(rates, 3.0), "2021-07-02"),
        ],
        ignore_index=True,
    )
    hotspots.mark(both, np.concatenate([found.cells, found.cells]), found)
    first = both[both[Out.DATE] == "2021-07-01"].set_index(Out.CELL)[Out.HOTSPOT]
    second = both[both[Out.DATE] == "2021-07-02"][Out.HOTSPOT]
    assert (first[list(CLUSTER)] == "hot").all()
    assert set(second) == {"none"}


def test_hot_share_of_region_population():
    # Region 31 holds three base cells of 1000, 3000 and 6000 people; the first two are hot.
    base = pd.DataFrame(
        {
            Out.DATE: pd.Timestamp("2021-07-01"),
            Out.POPULATION: [1000.0, 3000.0, 6000.0],
            Out.HOTSPOT: ["hot", "hot", "none"],
            Out.PROVINCE_CODE: "31",
            Out.REGENCY_CODE: ["31.71", "31.72", "31.72"],
            Out.DISTRICT_CODE: None,
            Out.VILLAGE_CODE: None,
        }
    )
    regions = pd.DataFrame(
        {
            Out.REGION_CODE: ["31", "31.71", "31.72", "32"],
            Out.DATE: pd.Timestamp("2021-07-01"),
            Out.POPULATION: [10000.0, 1000.0, 9000.0, 0.0],
        }
    )
    hotspots.hot_shares([hotspots.hot_population(base)], regions)
    got = regions[Out.SHARE_HOT].tolist()
    assert got[:3] == pytest.approx([0.4, 1.0, 3000 / 9000])
    assert np.isnan(got[3])  # no population: no share


def test_mark_finds_the_planted_cluster_from_counts():
    found, rates = planted()
    rows = rows_of(found, rates, "2021-07-01")
    hotspots.mark(rows, found.cells, found)
    got = rows.set_index(Out.CELL)[Out.HOTSPOT]
    assert (got[list(CLUSTER)] == "hot").all()
    assert got[LONE] == "none"
    # Equal populations: smoothing moves every rate alike, so z equals Gi* on the raw rates.
    z, _ = hotspots.gi_star(rates, found.matrix)
    np.testing.assert_allclose(rows[Out.HOTSPOT_Z], z)


def test_smoothing_pulls_thinly_populated_rates_toward_the_overall_rate():
    # Zone 0: 1 case in 20 people (5,000 per 100k raw); zones 1-3: 100,000 people each.
    cases = np.array([1.0, 30.0, 10.0, 20.0])
    population = np.array([20.0, 1e5, 1e5, 1e5])
    got = hotspots.smoothed_rates(cases, population)[:, 0]
    overall = 61 / 300_020 * 1e5  # 20.33 per 100k
    # 98% of the way to the overall rate: 5,000 becomes 101.9.
    assert got[0] == pytest.approx(101.888, abs=1e-3)
    assert (5000 - got[0]) / (5000 - overall) > 0.98
    assert got[1:] == pytest.approx([30.0, 10.0, 20.0], rel=0.05)  # well-backed: barely moved
    np.testing.assert_allclose(hotspots.smoothed_rates(np.zeros(4), population), 0.0)


def test_smoothing_flattens_a_day_that_varies_less_than_chance():
    # 10 cases in each of four zones of 100,000: no variation beyond Poisson noise.
    got = hotspots.smoothed_rates(np.array([10.0, 11.0, 9.0, 10.0]), np.full(4, 1e5))[:, 0]
    np.testing.assert_allclose(got, 10.0)


CELL_ROW = {
    Out.HOTSPOT: "hot",
    Out.HOTSPOT_Z: 4.25,
    Out.HOTSPOT_P: 0.0012,
    Out.CASES_7D: 42.0,
    "outlook_cases_7d": 55.4,
    "outlook_low": 31.2,
    "outlook_high": 90.6,
    "outlook_risk": "red",
}


def test_the_public_reads_the_hotspot_class_only():
    assert hotspots.for_audience({**CELL_ROW}, audience="public", k=10) == {
        "hotspot": "hot",
        "outlook_cases_7d": "55",
        "outlook_low": "31",
        "outlook_high": "91",
        "outlook_risk": "red",
    }
    official = hotspots.for_audience({**CELL_ROW}, audience="official", k=10)
    assert official["hotspot_z"] == 4.25
    assert official["hotspot_p"] == 0.0012
    assert official["outlook_cases_7d"] == 55.4


def test_the_public_outlook_is_hidden_where_the_current_count_is():
    # The public's row is published (geo.privacy.public_frame): a count below k is NaN.
    row = {**CELL_ROW, Out.CASES_7D: np.nan, "outlook_cases_7d": 12.0, "outlook_high": 30.0}
    got = hotspots.for_audience(row, audience="public", k=10)
    assert got["outlook_cases_7d"] == "—"
    assert got["outlook_low"] == "—"
    assert got["outlook_high"] == "—"
    assert got["outlook_risk"] == "no_data"
    # A forecast below k where the current count is shown reads "< k", as a count would.
    low = {**CELL_ROW, Out.CASES_7D: 12.0, "outlook_cases_7d": 6.0, "outlook_low": 2.0}
    shown = hotspots.for_audience(low, audience="public", k=10)
    assert shown["outlook_cases_7d"] == "< 10"
    assert shown["outlook_low"] == "< 10"
    with pytest.raises(ValueError, match="Unknown audience 'press'"):
        hotspots.for_audience(CELL_ROW, audience="press", k=10)


def test_regions_read_their_share_in_hot_zones():
    assert hotspots.for_audience({Out.SHARE_HOT: 0.25}, audience="public", k=10) == {
        "hotspot": "hot",
        "share_hot": 0.25,
    }
    assert hotspots.region_class(0.0) == "none"
    assert hotspots.region_class(float("nan")) == "no_data"


def test_a_zone_next_to_every_other_zone_has_no_statistic():
    # Three mutually adjacent cells: each neighbourhood is the whole set.
    first = CENTRE
    second = sorted(h3.grid_ring(CENTRE, 1))[0]
    third = next(
        c for c in sorted(h3.grid_ring(CENTRE, 1)) if c in h3.grid_disk(second, 1) and c != second
    )
    found = hotspots.zones(cells.from_strings([first, second, third]), np.full(3, 1e5))
    z, p = hotspots.gi_star(np.array([1.0, 5.0, 9.0]), found.matrix)
    assert np.isnan(z).all()
    assert np.isnan(p).all()


def test_a_day_with_fewer_than_three_zones_has_no_hotspot():
    found, rates = planted()
    rows = rows_of(found, rates, "2021-07-01").iloc[:2].reset_index(drop=True)
    hotspots.mark(rows, found.cells[:2], found)
    assert rows[Out.HOTSPOT].tolist() == ["none", "none"]
    assert rows[Out.HOTSPOT_Z].isna().all()
    empty = rows.iloc[0:0].copy()
    hotspots.mark(empty, found.cells[:0], found)
    assert list(empty[Out.HOTSPOT]) == []


def test_region_shares_come_from_resolution_8_when_the_build_has_it():
    assert hotspots.share_resolution([9, 8, 7, 6]) == 8
    assert hotspots.share_resolution([7, 6]) == 7
