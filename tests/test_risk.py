"""Risk rules at their limits, for every preset, with the reason each zone carries.

Most zones below have 100,000 residents, so cases per 100k in 7 days equals ``cases_7d``.
"""

from __future__ import annotations

from typing import get_args

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.config import PRESETS, Config, Criterion, Metric, load_config, parse_config
from geo.metrics import ratios
from geo.risk import (
    classify,
    criterion_level,
    metric_values,
    public_reasons,
    reasons,
    score,
    state_word,
)

NO_POPULATION = "no data: no resident population recorded for this zone"


def zones(*rows: dict) -> pd.DataFrame:
    """Zones with every count at 0 and 100,000 residents unless given, ratios computed."""
    base = {
        "new_cases": 0.0,
        "new_cases_allocated": 0.0,
        "cases_7d": 0.0,
        "cases_14d": 0.0,
        "checkins": 0.0,
        "checkins_7d": 0.0,
        "checkins_baseline_7d": np.nan,
        "exposed_checkins": 0.0,
        "exposed_checkins_7d": 0.0,
        "population": 100_000.0,
    }
    table = pd.DataFrame([{**base, **row} for row in rows])
    table["cases_14d"] = np.maximum(table["cases_14d"], table["cases_7d"])
    return ratios(table)


def scored(preset: str, *rows: dict) -> list[tuple[str, str]]:
    table = score(zones(*rows), load_config(preset=preset))
    return list(zip(table["risk"], table["risk_reason"].astype(str), strict=True))


PANTAUZONA = [
    # cases_per_100k_7d: orange at 20, red at 150 with at least 5 cases in 7 days.
    ({"cases_7d": 150}, "red", "red: 150 cases per 100k in 7 days (≥ 150) with 150 cases"),
    ({"cases_7d": 149}, "orange", "orange: 149 cases per 100k in 7 days (≥ 20) with 149 cases"),
    ({"cases_7d": 20}, "orange", "orange: 20 cases per 100k in 7 days (≥ 20) with 20 cases"),
    ({"cases_7d": 19}, "green", "green: 19 cases per 100k in 7 days (< 20) with 19 cases"),
    # 31 cases among 20,000 people: 31 / 20,000 * 100,000 = 155 per 100k.
    (
        {"cases_7d": 31, "population": 20_000},
        "red",
        "red: 155 cases per 100k in 7 days (≥ 150) with 31 cases",
    ),
    # Small-number protection: 4 cases among 100 people is 4,000 per 100k, but only 4 cases.
    (
        {"cases_7d": 4, "population": 100},
        "orange",
        "orange: 4,000 cases per 100k in 7 days (≥ 150) but only 4 cases in 7 days "
        "(red needs at least 5)",
    ),
    (
        {"cases_7d": 1, "population": 100},
        "orange",
        "orange: 1,000 cases per 100k in 7 days (≥ 150) but only 1 cases in 7 days "
        "(red needs at least 5)",
    ),
    (
        {"cases_7d": 5, "population": 100},
        "red",
        "red: 5,000 cases per 100k in 7 days (≥ 150) with 5 cases",
    ),
    # exposed_pct_7d = exposed_checkins_7d / checkins_7d * 100: orange at 5, red at 20 with at
    # least 5 cases, on 100+ check-ins only.
    (
        {"exposed_checkins_7d": 40, "checkins_7d": 200, "cases_7d": 5},
        "red",
        "red: 20 % of check-ins exposed to a case in 7 days (≥ 20) with 5 cases",
    ),
    (
        {"exposed_checkins_7d": 40, "checkins_7d": 200, "cases_7d": 4},
        "orange",
        "orange: 20 % of check-ins exposed to a case in 7 days (≥ 20) but only 4 cases in 7 days "
        "(red needs at least 5)",
    ),
    (
        {"exposed_checkins_7d": 39, "checkins_7d": 200, "cases_7d": 5},
        "orange",
        "orange: 19.5 % of check-ins exposed to a case in 7 days (≥ 5) with 5 cases",
    ),
    (
        {"exposed_checkins_7d": 10, "checkins_7d": 200},
        "orange",
        "orange: 5 % of check-ins exposed to a case in 7 days (≥ 5) with 0 cases",
    ),
    (
        {"exposed_checkins_7d": 9, "checkins_7d": 200},
        "green",
        "green: 0 cases per 100k in 7 days (< 20) with 0 cases",
    ),
    # Fewer than 100 check-ins in 7 days: exposure does not apply (50 % of 90 stays green).
    (
        {"exposed_checkins_7d": 45, "checkins_7d": 90},
        "green",
        "green: 0 cases per 100k in 7 days (< 20) with 0 cases",
    ),
    # crowding_ratio = checkins_7d / baseline: orange at 1.5, red at 3, on 100+ check-ins only.
    (
        {"checkins_7d": 300, "checkins_baseline_7d": 100, "cases_7d": 5},
        "red",
        "red: 3 times the usual check-ins (≥ 3) with 5 cases",
    ),
    (
        {"checkins_7d": 299, "checkins_baseline_7d": 100, "cases_7d": 5},
        "orange",
        "orange: 3 times the usual check-ins (≥ 1.5) with 5 cases",
    ),
    (
        {"checkins_7d": 150, "checkins_baseline_7d": 100},
        "orange",
        "orange: 1.5 times the usual check-ins (≥ 1.5) with 0 cases",
    ),
    (
        {"checkins_7d": 149, "checkins_baseline_7d": 100},
        "green",
        "green: 0 cases per 100k in 7 days (< 20) with 0 cases",
    ),
    # A baseline of 99 check-ins a week is too thin: crowding does not apply.
    (
        {"checkins_7d": 297, "checkins_baseline_7d": 99, "cases_7d": 5},
        "green",
        "green: 5 cases per 100k in 7 days (< 20) with 5 cases",
    ),
    # 99 check-ins in 7 days: too few for crowding, however small the baseline.
    (
        {"checkins_7d": 99, "checkins_baseline_7d": 100},
        "green",
        "green: 0 cases per 100k in 7 days (< 20) with 0 cases",
    ),
]
PPKM = [
    ({"cases_7d": 150}, "red", "red: 150 cases per 100k in 7 days (≥ 150) with 150 cases"),
    ({"cases_7d": 149}, "orange", "orange: 149 cases per 100k in 7 days (≥ 20) with 149 cases"),
    ({"cases_7d": 20}, "orange", "orange: 20 cases per 100k in 7 days (≥ 20) with 20 cases"),
    ({"cases_7d": 19}, "green", "green: 19 cases per 100k in 7 days (< 20) with 19 cases"),
    # No small-number protection in PPKM: 1 case among 100 people is red.
    (
        {"cases_7d": 1, "population": 100},
        "red",
        "red: 1,000 cases per 100k in 7 days (≥ 150) with 1 cases",
    ),
]
PPKM_MIKRO = [
    # cases_7d, exclusive: 0 green, more than 0 orange, more than 5 red.
    ({"cases_7d": 0}, "green", "green: 0 cases in 7 days (≤ 0)"),
    ({"cases_7d": 1}, "orange", "orange: 1 cases in 7 days (> 0)"),
    ({"cases_7d": 5}, "orange", "orange: 5 cases in 7 days (> 0)"),
    ({"cases_7d": 6}, "red", "red: 6 cases in 7 days (> 5)"),
    # An allocated half case is more than 0.
    ({"cases_7d": 0.5}, "orange", "orange: 0.50 cases in 7 days (> 0)"),
]
HGHI = [
    # Average daily cases per 100k = cases_7d / 7 here: 175 / 7 = 25, 7 / 7 = 1.
    (
        {"cases_7d": 175},
        "red",
        "red: 25 average daily cases per 100k over 7 days (≥ 25) with 175 cases",
    ),
    (
        {"cases_7d": 168},
        "orange",
        "orange: 24 average daily cases per 100k over 7 days (≥ 1) with 168 cases",
    ),
    (
        {"cases_7d": 7},
        "orange",
        "orange: 1 average daily cases per 100k over 7 days (≥ 1) with 7 cases",
    ),
    (
        {"cases_7d": 6},
        "green",
        "green: 0.86 average daily cases per 100k over 7 days (< 1) with 6 cases",
    ),
    # 1 case among 10,000: 10 per 100k in 7 days, 10 / 7 = 1.43 a day.
    (
        {"cases_7d": 1, "population": 10_000},
        "orange",
        "orange: 1.4 average daily cases per 100k over 7 days (≥ 1) with 1 cases",
    ),
]


@pytest.mark.parametrize(
    ("preset", "row", "state", "reason"),
    [("pantauzona", *case) for case in PANTAUZONA]
    + [("ppkm", *case) for case in PPKM]
    + [("ppkm_mikro", *case) for case in PPKM_MIKRO]
    + [("hghi", *case) for case in HGHI],
)
def test_state_and_reason_at_the_limits(preset, row, state, reason):
    assert scored(preset, row) == [(state, reason)]


@pytest.mark.parametrize(
    ("preset", "at", "below", "states"),
    [
        # Just below a threshold in floating point stays below it.
        ("pantauzona", 150, 150 - 1e-9, ("red", "orange")),
        ("pantauzona", 20, 20 - 1e-9, ("orange", "green")),
        ("ppkm", 150, 150 - 1e-9, ("red", "orange")),
        ("ppkm", 20, 20 - 1e-9, ("orange", "green")),
        ("hghi", 175, 175 - 1e-9, ("red", "orange")),
        ("hghi", 7, 7 - 1e-9, ("orange", "green")),
        # Exclusive: at the threshold is not enough, just above is.
        ("ppkm_mikro", 5 + 1e-9, 5, ("red", "orange")),
        ("ppkm_mikro", 1e-9, 0, ("orange", "green")),
    ],
)
def test_exactly_at_and_just_below_each_threshold(preset, at, below, states):
    got = [state for state, _ in scored(preset, {"cases_7d": at}, {"cases_7d": below})]
    assert tuple(got) == states


@pytest.mark.parametrize(
    ("cases", "population"),
    # Thresholds reached exactly with populations that are not 100,000: 3 / 2,000 * 1e5 = 150,
    # 7 / 35,000 * 1e5 = 20, 21 / 300,000 * 1e5 / 7 = 1 a day.
    [(3, 2_000), (7, 35_000), (30, 20_000), (6, 30_000), (21, 300_000), (49, 700_000)],
)
def test_rates_exactly_at_a_threshold_reach_it(cases, population):
    table = zones({"cases_7d": cases, "population": population})
    rate = table["cases_per_100k_7d"].iloc[0]
    assert rate == cases * 100_000 / population
    for preset in ("ppkm", "hghi"):
        crit = load_config(preset=preset).risk.criteria[0]
        value = metric_values(table, crit.metric)[0]
        level, _ = criterion_level(table, crit)
        expected = 2 if value >= crit.red else 1 if value >= crit.orange else 0
        assert level[0] == expected
    assert scored("ppkm", {"cases_7d": 3, "population": 2_000})[0][0] == "red"
    assert scored("ppkm", {"cases_7d": 7, "population": 35_000})[0][0] == "orange"
    assert scored("hghi", {"cases_7d": 21, "population": 300_000})[0][0] == "orange"


@pytest.mark.parametrize("preset", ["pantauzona", "ppkm", "ppkm_mikro", "hghi"])
@pytest.mark.parametrize("population", [0.0, np.nan])
def test_never_green_without_population(preset, population):
    rows = [
        {"population": population},
        {"population": population, "cases_7d": 3},
        {"population": population, "cases_7d": 200, "exposed_checkins_7d": 80, "checkins_7d": 100},
    ]
    assert scored(preset, *rows) == [("no_data", NO_POPULATION)] * 3


def test_tiny_population_with_one_to_four_cases_is_orange_not_red():
    rows = [{"cases_7d": n, "population": 50} for n in (1, 2, 3, 4)]
    states = [state for state, _ in scored("pantauzona", *rows)]
    assert states == ["orange"] * 4


def test_no_data_max_population_is_configurable():
    config = parse_config(
        'name = "x"\n[risk]\nno_data_max_population = 500\n'
        '[[risk.criteria]]\nmetric = "cases_7d"\norange = 1\nred = 5\n'
    )
    table = zones({"population": 500, "cases_7d": 9}, {"population": 501, "cases_7d": 9})
    assert list(score(table, config)["risk"]) == ["no_data", "red"]


def test_no_criterion_applicable_is_no_data():
    # Only crowding, and no baseline yet: nothing could be computed.
    config = parse_config(
        'name = "x"\n[risk]\n[[risk.criteria]]\nmetric = "crowding_ratio"\norange = 1.5\nred = 3\n'
    )
    table = score(zones({"checkins_7d": 500}), config)
    assert list(table["risk"]) == ["no_data"]
    assert list(table["risk_reason"].astype(str)) == ["no data: no metric could be computed"]
    assert table["risk_metric"].isna().all()


def test_zone_takes_its_worst_criterion_and_the_first_reason_that_reached_it():
    table = score(
        zones(
            {"cases_7d": 30, "exposed_checkins_7d": 60, "checkins_7d": 200},
            {"cases_7d": 160, "exposed_checkins_7d": 60, "checkins_7d": 200},
        ),
        load_config(),
    )
    # Row 1: incidence orange (30 ≥ 20), exposure red (30 % ≥ 20) with 30 cases: red by exposure.
    # Row 2: both red: the first criterion (incidence) gives the reason.
    assert list(table["risk"]) == ["red", "red"]
    assert list(table["risk_metric"]) == ["exposed_pct_7d", "cases_per_100k_7d"]
    assert list(table["risk_reason"].astype(str)) == [
        "red: 30 % of check-ins exposed to a case in 7 days (≥ 20) with 30 cases",
        "red: 160 cases per 100k in 7 days (≥ 150) with 160 cases",
    ]


def test_classify_columns():
    table = zones({"cases_7d": 4, "population": 100}, {"population": 0})
    classes = classify(table, load_config())
    assert list(classes["risk"]) == ["orange", "no_data"]
    assert list(classes["criterion"]) == [0, -1]
    assert list(classes["capped"]) == [True, False]
    assert list(classes["no_population"]) == [False, True]


def test_reasons_in_bahasa_indonesia():
    config = load_config()
    table = zones({"cases_7d": 31, "population": 20_000}, {"population": 0})
    texts = reasons(table, classify(table, config), config, lang="id")
    assert list(texts) == [
        "merah: 155 kasus per 100 ribu penduduk dalam 7 hari (≥ 150) dengan 31 kasus",
        "tidak ada data: tidak ada penduduk tercatat di zona ini",
    ]


def test_public_reasons_suppress_small_counts():
    config = load_config()
    table = zones({"cases_7d": 3, "population": 2_000}, {"cases_7d": 31, "population": 20_000})
    texts = reasons(table, classify(table, config), config, suppress_below=10)
    # 3 cases is below 10: the count reads "< 10" and the rate made from it is hidden.
    assert list(texts) == [
        "orange: — cases per 100k in 7 days (≥ 150) but only < 10 cases in 7 days "
        "(red needs at least 5)",
        "red: 155 cases per 100k in 7 days (≥ 150) with 31 cases",
    ]
    mikro = load_config(preset="ppkm_mikro")
    counts = zones({"cases_7d": 3}, {"cases_7d": 12})
    assert list(reasons(counts, classify(counts, mikro), mikro, suppress_below=10)) == [
        "orange: < 10 cases in 7 days (> 0)",
        "red: 12 cases in 7 days (> 5)",
    ]


def test_categorical_reasons_equal_plain_ones():
    config = load_config()
    table = zones(*({"cases_7d": n} for n in (0, 20, 20, 150, 0)))
    classes = classify(table, config)
    plain = reasons(table, classes, config)
    categorical = reasons(table, classes, config, categorical=True)
    assert list(categorical.astype(str)) == list(plain)
    assert len(categorical.categories) == 3


def test_score_adds_three_columns_in_place():
    table = zones({"cases_7d": 20})
    out = score(table, load_config(preset="ppkm"))
    assert out is table
    assert {"risk", "risk_reason", "risk_metric"} <= set(table.columns)
    assert table["risk_metric"].iloc[0] == "cases_per_100k_7d"


def test_public_reasons_name_the_colour_and_published_figures_only() -> None:
    classes = pd.DataFrame(
        {
            "risk": pd.Categorical(["red", "orange", "no_data", "no_data"]),
            "no_population": [False, False, True, False],
        }
    )
    cases, rates = ["31", "< 10", "< 10", "< 10"], ["212.4", "—", "—", "—"]
    assert list(public_reasons(classes, cases, rates, lang="en")) == [
        "red: 31 cases in 7 days, 212.4 per 100k",
        "orange: < 10 cases in 7 days",  # no criterion, threshold or "red needs at least 5"
        "no data: no resident population recorded for this zone",
        "no data: no metric could be computed",
    ]
    assert list(public_reasons(classes, cases, rates, lang="id"))[:2] == [
        "merah: 31 kasus dalam 7 hari, 212.4 per 100 ribu penduduk",
        "oranye: < 10 kasus dalam 7 hari",
    ]


def test_allocated_cases_are_protected_by_their_region_exact_count():
    # 3.2 cases in a zone of 2,000 people: 160 per 100k, red by rate. Spread from a kelurahan
    # with 40 cases in 7 days, it is red; from one with 4 (or with no exact count), capped.
    table = zones(
        {"cases_7d": 3.2, "population": 2000.0, "cases_7d_exact": 40.0},
        {"cases_7d": 3.2, "population": 2000.0, "cases_7d_exact": 4.0},
        {"cases_7d": 3.2, "population": 2000.0, "cases_7d_exact": np.nan},
    )
    out = score(table, load_config())
    assert out["risk"].tolist() == ["red", "orange", "orange"]
    assert out["risk_reason"].astype(str).tolist() == [
        "red: 160 cases per 100k in 7 days (≥ 150) with 3.2 cases",
        "orange: 160 cases per 100k in 7 days (≥ 150) but only 4 cases in 7 days "
        "(red needs at least 5)",
        "orange: 160 cases per 100k in 7 days (≥ 150) but only 3.2 cases in 7 days "
        "(red needs at least 5)",
    ]


# Property: raising one metric (all else equal) never lowers a zone's colour, for every preset
# and for any single criterion. No data (no criterion applies) ranks below green.
_RANK = {"no_data": -1, "green": 0, "orange": 1, "red": 2}
_RAISED = (
    "cases_7d",
    "cases_14d",
    "cases_per_100k_7d",
    "growth_ratio_7d",
    "crowding_ratio",
    "exposed_checkins_7d",
    "exposed_pct_7d",
    "checkins_7d",
    "checkins_baseline_7d",
)
_value = st.one_of(st.just(np.nan), st.floats(0, 1e4, allow_nan=False))
_criterion = st.builds(
    lambda metric, lo, gap, inclusive, cap, need, base: Criterion(
        metric=metric,
        orange=lo,
        red=lo + gap,
        inclusive=inclusive,
        red_min_cases_7d=cap,
        min_checkins_7d=need,
        min_baseline_checkins_7d=base,
    ),
    st.sampled_from(get_args(Metric)),
    st.floats(0, 500),
    st.floats(0.01, 500),
    st.booleans(),
    st.sampled_from([0, 5]),
    st.sampled_from([0, 100]),
    st.sampled_from([0, 100]),
)


def _with_criterion(crit: Criterion) -> Config:
    config = load_config(preset="pantauzona")
    return config.model_copy(update={"risk": config.risk.model_copy(update={"criteria": [crit]})})


@settings(max_examples=150, deadline=None)  # no timing: the machine is shared
@given(
    config=st.one_of(
        st.sampled_from(PRESETS).map(lambda p: load_config(preset=p)),
        _criterion.map(_with_criterion),
    ),
    row=st.fixed_dictionaries({m: _value for m in _RAISED}),
    metric=st.sampled_from(_RAISED),
    by=st.floats(0.001, 1e4),
)
def test_raising_one_metric_never_lowers_the_colour(config, row, metric, by) -> None:
    before = pd.DataFrame([{**row, "population": 100_000.0}])
    after = before.copy()
    after[metric] = after[metric] + by  # NaN (not computable) stays NaN
    low = classify(before, config)["risk"].iloc[0]
    high = classify(after, config)["risk"].iloc[0]
    assert _RANK[high] >= _RANK[low], (metric, row)


def test_state_word_names_each_state_in_both_languages() -> None:
    assert [state_word(s) for s in _RANK] == ["no data", "green", "orange", "red"]
    assert [state_word(s, "id") for s in _RANK] == ["tidak ada data", "hijau", "oranye", "merah"]
