"""The vocabulary: one list each of metrics, states, levels, export formats and load kinds, and
every table keyed by them covers exactly them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import panels
from dashboard.i18n import LANGS, STRINGS
from geo import columns, config, exports, palette, pdf_words, risk, upload_checks
from geo.metrics import ratios
from geo.vocab import (
    COUNT_METRICS,
    CRITERION_METRICS,
    EXPORT_FORMATS,
    LEVEL_STATES,
    LEVELS,
    LOAD_KINDS,
    METRICS,
    RATIO_METRICS,
    RISK_STATES,
    STATE_WORDS,
    STATES,
)


def test_metrics_are_counts_then_ratios_in_table_order():
    assert COUNT_METRICS == (
        "new_cases",
        "new_cases_allocated",
        "cases_7d",
        "cases_14d",
        "checkins",
        "checkins_7d",
        "checkins_baseline_7d",
        "exposed_checkins",
        "exposed_checkins_7d",
    )
    assert RATIO_METRICS == (
        "cases_per_100k_7d",
        "growth_ratio_7d",
        "crowding_ratio",
        "exposed_pct_7d",
    )
    assert [m for m in METRICS if not METRICS[m].stored] == ["avg_daily_cases_per_100k_7d"]
    assert columns.COUNT_METRICS is COUNT_METRICS
    assert columns.RATIO_METRICS is RATIO_METRICS


def test_every_criterion_metric_is_a_metric_with_words_in_both_languages():
    assert set(CRITERION_METRICS) <= set(METRICS)
    assert list(config.METRIC_LABELS) == list(CRITERION_METRICS)
    for name in CRITERION_METRICS:
        assert risk.metric_words(name, "en") == METRICS[name].words
        assert risk.metric_words(name, "id") not in ("", METRICS[name].words)


def test_a_ratio_is_recomputed_from_its_columns():
    # Each stored ratio turns NaN when one of its columns is missing, and only then.
    base = {c: 10.0 for c in COUNT_METRICS} | {"cases_14d": 30.0, "population": 1000.0}
    for name in RATIO_METRICS:
        for column in METRICS[name].from_columns:
            table = ratios(pd.DataFrame([base | {column: np.nan}]))
            assert np.isnan(table[name].iloc[0]), (name, column)
        assert not np.isnan(ratios(pd.DataFrame([base]))[name].iloc[0]), name
    assert {name: METRICS[name].from_columns for name in RATIO_METRICS} == risk.DERIVED_FROM


def test_states_colours_levels_and_words():
    assert RISK_STATES == ("red", "orange", "green", "no_data")
    assert LEVEL_STATES == ("green", "orange", "red", "no_data")
    assert tuple(palette.RISK_COLOURS) == RISK_STATES  # the colour table, in legend order
    assert [s.colour for s in STATES] == list(palette.RISK_COLOURS.values())
    assert tuple(panels.MARKDOWN_COLOURS) == RISK_STATES  # the dashboard's Markdown swatches
    for lang in LANGS:
        assert {k.split(".", 1)[1] for k in STRINGS[lang] if k.startswith("risk.")} >= set(
            RISK_STATES
        )
        assert pdf_words.WORDS[lang]["state"] is STATE_WORDS[lang]
        assert [risk.state_word(s, lang) for s in RISK_STATES] == [
            STATE_WORDS[lang][s] for s in RISK_STATES
        ]


def test_levels():
    assert LEVELS == ("province", "regency", "district", "village")
    assert tuple(columns.LEVEL_COLUMNS) == LEVELS


def test_one_list_of_export_formats():
    assert list(EXPORT_FORMATS) == ["csv", "xlsx", "geojson", "gpkg", "pdf"]
    assert list(exports.EXPORTERS) == list(EXPORT_FORMATS)
    assert exports.MEDIA_TYPES["gpkg"] == "application/geopackage+sqlite3"


@pytest.mark.parametrize("table", ["LABELS", "REQUIRED", "ID_COLUMNS"])
def test_one_list_of_load_kinds(table):
    assert LOAD_KINDS == ("venues", "checkins", "cases")  # venues before the check-ins
    assert upload_checks.KINDS is LOAD_KINDS
    assert set(getattr(upload_checks, table)) == set(LOAD_KINDS)
    for lang in LANGS:
        assert {f"data.kind.{k}" for k in LOAD_KINDS} <= set(STRINGS[lang])
