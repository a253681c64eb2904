"""Public suppression: counts below k read "< k", their rates "—", venue figures stay private."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.privacy import (
    HIDDEN,
    display_count,
    display_rate,
    is_suppressed,
    public_table,
    suppress_below,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (0.4, "< 10"),  # an allocated fraction of a case is still a case
        (1, "< 10"),
        (9.6, "< 10"),
        (10, "10"),  # at k the count is shown
        (10.4, "10"),
        (1234.5, "1,234"),  # rounded half to even, as people read a count
        (math.nan, HIDDEN),
    ],
)
def test_display_count(value: float, shown: str) -> None:
    assert display_count(value, 10) == shown


def test_display_rate_hides_a_rate_from_a_suppressed_count() -> None:
    assert display_rate(38.24, 3, 10) == HIDDEN
    assert display_rate(38.24, 10, 10) == "38.2"
    assert display_rate(0.0, 0, 10) == "0.0"


def test_is_suppressed_and_the_reason_threshold() -> None:
    assert [is_suppressed(v, 5) for v in (0, 4.9, 5, math.nan)] == [False, True, False, False]
    assert suppress_below("public", 10) == 10
    assert suppress_below("official", 10) is None
    with pytest.raises(ValueError, match="Unknown audience 'press'"):
        suppress_below("press", 10)


# Two zones: A has 3 cases in 7 days (suppressed), B has 25. Rates are cases per 100k.
TABLE = pd.DataFrame(
    {
        "label": ["A", "B"],
        "cases_7d": [3.0, 25.0],
        "new_cases": [1.0, 12.0],
        "cases_per_100k_7d": [30.0, 250.0],
        "checkins_7d": [4.0, 900.0],
        "exposed_checkins_7d": [1.0, 60.0],
        "crowding_ratio": [1.2, 2.5],
    }
)


def test_public_table_suppresses_counts_hides_rates_and_drops_venue_figures() -> None:
    public = public_table(TABLE, audience="public", k=10)
    assert list(public.columns) == ["label", "cases_7d", "new_cases", "cases_per_100k_7d"]
    assert public.to_dict("list") == {
        "label": ["A", "B"],
        "cases_7d": ["< 10", "25"],
        "new_cases": ["< 10", "12"],
        "cases_per_100k_7d": [HIDDEN, "250.0"],
    }


def test_officials_read_the_exact_table() -> None:
    assert public_table(TABLE, audience="official", k=10) is TABLE
