"""Disclosure control: published counts are the count plus a keyed two-sided geometric noise,
"< k" below k, the same every time; rates from published counts; venue figures stay private."""

from __future__ import annotations

import datetime as dt
import math
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import privacy
from geo.config import Privacy
from geo.privacy import (
    HIDDEN,
    cell_keys,
    display_published,
    display_rate,
    noise,
    public_frame,
    public_table,
    public_zones,
    publish,
    publish_count,
)

SEEDED = Privacy(seed="test-seed")
DAY = dt.date(2021, 7, 1)


def test_noise_literal_values_under_a_seed() -> None:
    keys = cell_keys(np.array(["a", "b", "c", "31"]), np.array([3.0, 3.0, 3.0, 3.0]))
    assert list(keys) == ["a|3.0", "b|3.0", "c|3.0", "31|3.0"]
    assert noise(keys, SEEDED).tolist() == [-1, 4, -3, 1]


def test_publish_adds_the_noise_before_the_k_test() -> None:
    values = np.array([0, 3, 9.6, 10, 25, 1234.5, math.nan])
    shown = publish(values, np.array(["A"] * 7), SEEDED)
    # Zone A's noise: +3 on 0 and 3 (3 and 6 read "< 10"), +3 on 10 (9.6 rounds to 10): 13;
    # 0 on 25; -1 on 1234 (1234.5 rounds half to even).
    assert np.isnan(shown[[0, 1, 6]]).all()
    assert shown[2:6].tolist() == [13.0, 13.0, 25.0, 1233.0]
    assert publish_count(25, zone="A", privacy=SEEDED) == 25.0


def test_the_noise_is_two_sided_geometric() -> None:
    keys = [f"z{i}|3.0" for i in range(100_000)]
    draws = noise(keys, SEEDED)
    alpha = math.exp(-SEEDED.epsilon)
    assert abs(draws.mean()) < 0.03
    assert draws.std() == pytest.approx(math.sqrt(2 * alpha) / (1 - alpha), rel=0.03)
    assert (draws == 0).mean() == pytest.approx((1 - alpha) / (1 + alpha), abs=0.01)
    assert (draws == 3).mean() == pytest.approx((1 - alpha) / (1 + alpha) * alpha**3, abs=0.005)


@settings(max_examples=60, deadline=None)
@given(zone=st.text(min_size=1, max_size=20), value=st.integers(0, 10**6))
def test_the_same_count_of_a_zone_always_reads_the_same(zone, value) -> None:
    first = publish_count(value, zone=zone, privacy=SEEDED)
    again = [publish_count(value, zone=zone, privacy=SEEDED) for _ in range(3)]
    assert again == [first] * 3 or (math.isnan(first) and all(map(math.isnan, again)))
    if not math.isnan(first):  # a whole number at least k
        assert first == round(first)
        assert first >= SEEDED.min_count


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(0, 500), min_size=1, max_size=30))
def test_published_values_below_k_are_hidden_and_the_rest_differ_by_the_noise(values) -> None:
    zones = np.array([f"z{i}" for i in range(len(values))])
    shown = publish(np.array(values, dtype=float), zones, SEEDED)
    expected = np.array(values) + noise(cell_keys(zones, np.array(values, dtype=float)), SEEDED)
    assert np.array_equal(np.isnan(shown), expected < SEEDED.min_count)
    assert np.array_equal(shown[~np.isnan(shown)], expected[expected >= SEEDED.min_count])


def test_another_seed_another_noise_and_each_zone_and_count_its_own() -> None:
    zones, counts = np.array([f"z{i}" for i in range(200)]), np.full(200, 5.0)
    keys = cell_keys(zones, counts)
    assert not np.array_equal(noise(keys, SEEDED), noise(keys, Privacy(seed="other")))
    assert len(set(noise(keys, SEEDED).tolist())) > 3  # zones draw apart
    one_zone = noise(cell_keys(np.array(["z"] * 60), np.arange(60.0)), SEEDED)
    assert len(set(one_zone.tolist())) > 3  # and so do the counts of one zone


def test_without_a_seed_the_key_file_is_made_once_and_private(tmp_path, monkeypatch) -> None:
    path = tmp_path / "instance" / "privacy.key"
    monkeypatch.setenv(privacy.KEY_ENV, str(path))
    keys = [f"z{i}|3.0" for i in range(50)]
    first = noise(keys, Privacy())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(path.read_text().strip()) == 64
    assert np.array_equal(noise(keys, Privacy()), first)
    assert not np.array_equal(first, noise(keys, SEEDED))


def test_an_empty_key_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "empty.key"
    path.write_text("\n")
    monkeypatch.setenv(privacy.KEY_ENV, str(path))
    with pytest.raises(ValueError, match=r"privacy key file .*empty\.key is empty; delete it"):
        noise(["a"], Privacy())


def test_display() -> None:
    assert display_published(math.nan, 10) == "< 10"
    assert display_published(1234.0, 10) == "1,234"
    assert display_rate(math.nan) == HIDDEN
    assert display_rate(38.24) == "38.2"


# Two zones on one day: A has 3 cases in 7 days (hidden), B 25 (14-day 40: last week 15).
TABLE = pd.DataFrame(
    {
        "region_code": ["A", "B"],
        "date": pd.to_datetime([DAY, DAY]),
        "cases_7d": [3.0, 25.0],
        "cases_14d": [5.0, 40.0],
        "new_cases": [1.0, 12.0],
        "population": [10_000.0, 10_000.0],
        "cases_per_100k_7d": [30.0, 250.0],
        "growth_ratio_7d": [1.5, 25 / 15],
        "checkins_7d": [4.0, 900.0],
        "exposed_checkins_7d": [1.0, 60.0],
        "crowding_ratio": [1.2, 2.5],
    }
)


def test_public_frame_publishes_counts_and_derives_rates_from_them() -> None:
    out = public_frame(TABLE, SEEDED)
    assert "checkins_7d" not in out
    assert "crowding_ratio" not in out
    ids = np.array(["B"])
    week = 25 + noise(cell_keys(ids, np.array([25.0])), SEEDED)[0]  # 25 + 3
    fortnight = 40 + noise(cell_keys(ids, np.array([40.0])), SEEDED)[0]  # 40 + 1
    assert (week, fortnight) == (28, 41)
    assert out["cases_7d"].tolist()[1] == week
    assert math.isnan(out["cases_7d"][0])
    assert math.isnan(out["cases_per_100k_7d"][0])
    assert out["cases_per_100k_7d"][1] == pytest.approx(week * 1e5 / 10_000)
    assert out["growth_ratio_7d"][1] == pytest.approx(week / (fortnight - week))
    assert math.isnan(out["growth_ratio_7d"][0])


def test_public_frame_keys_the_country_when_there_is_no_zone_column() -> None:
    country = TABLE.drop(columns="region_code")
    assert public_frame(country, SEEDED)["cases_7d"][1] == publish_count(
        25, zone=privacy.COUNTRY, privacy=SEEDED
    )


def test_the_same_cases_in_two_windows_read_the_same() -> None:
    # A 14-day window holding only this week's cases equals the 7-day one: one draw, and the
    # growth ratio (last week 0) stays hidden.
    same = TABLE.assign(cases_14d=TABLE["cases_7d"])
    out = public_frame(same, SEEDED)
    assert out["cases_14d"][1] == out["cases_7d"][1]
    assert math.isnan(out["growth_ratio_7d"][1])


def test_public_table_reads_as_the_public_does() -> None:
    public = public_table(TABLE, audience="public", privacy=SEEDED)
    assert public["cases_7d"][0] == "< 10"
    assert public["cases_per_100k_7d"][0] == HIDDEN
    assert public["new_cases"][0] == "< 10"
    assert public["cases_7d"][1] == display_published(
        public_frame(TABLE, SEEDED)["cases_7d"][1], 10
    )
    assert "exposed_checkins_7d" not in public


def test_officials_read_the_exact_table() -> None:
    assert public_table(TABLE, audience="official", privacy=SEEDED) is TABLE
    with pytest.raises(ValueError, match="Unknown audience 'press'"):
        public_table(TABLE, audience="press", privacy=SEEDED)


def test_public_zones_are_those_with_a_case_in_14_days() -> None:
    frame = pd.DataFrame({"cases_14d": [0.0, 0.4, 3.0]})
    assert public_zones(frame).tolist() == [False, True, True]


def test_noise_shares_state_the_spread() -> None:
    sd, zero = privacy.noise_shares(0.7)
    assert (round(sd, 2), round(zero, 3)) == (1.98, 0.336)
