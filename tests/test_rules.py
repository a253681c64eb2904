"""The validation engine (geo.rules): rules in order, the first failed one quarantines a row,
each row keeps its file row number, and every rule's reason is worded in both languages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pipeline_fixtures import write

from dashboard.data_words import REASONS
from dashboard.i18n import LANGS, STRINGS
from geo.columns import Col
from geo.readers import RawTable, read_input
from geo.rules import QUARANTINE_COLUMNS, Rule, missing, run_rules, unique
from geo.upload_checks import store_rules
from geo.validate import (
    CHECKIN_COLUMNS,
    VENUE_COLUMNS,
    case_rules,
    checkin_rules,
    plausible,
    read_cases,
    venue_rules,
)

WINDOW = plausible(today=dt.date(2021, 8, 1))


def _raw(tmp_path, text: str, required=("id",)) -> RawTable:
    return read_input(write(tmp_path / "f.csv", text), required, label="things")


def _big(run) -> np.ndarray:
    return (pd.to_numeric(run.text("x"), errors="coerce") > 6).to_numpy()


BIG = Rule("too_big", "x", _big, "x is more than 6", ())


def test_a_row_is_quarantined_by_the_first_rule_it_fails(tmp_path):
    raw = _raw(tmp_path, "id,x\n1,1\n1,9\n,7\n2,8\n3,2\n")
    run = run_rules(raw, [missing("id"), unique("id"), BIG])
    q = run.quarantine()
    assert list(q.columns) == QUARANTINE_COLUMNS
    assert q.values.tolist() == [
        ["f.csv", 3, "id", "duplicate", "1", "duplicate id (first at row 2)"],
        ["f.csv", 4, "id", "missing", "", "id is missing"],
        ["f.csv", 5, "x", "too_big", "8", "x is more than 6"],
    ]
    assert run.alive.tolist() == [True, False, False, False, True]
    assert run.keep(run.text("id")).tolist() == ["1", "3"]
    assert run.alive.sum() + len(q) == raw.read


def test_the_order_of_the_rules_decides_the_check(tmp_path):
    raw = _raw(tmp_path, "id,x\n1,1\n1,9\n")
    q = run_rules(raw, [BIG, unique("id")]).quarantine()
    assert q[["row", "check"]].values.tolist() == [[3, "too_big"]]


def test_malformed_rows_are_quarantined_before_any_rule_and_counted(tmp_path):
    raw = _raw(tmp_path, "id,x\n1,1\n2,2,2\n3,3\n")
    run = run_rules(raw, [BIG])
    q = run.quarantine()
    assert q[["row", "check", "value"]].values.tolist() == [
        [3, "malformed_row", "3 fields, expected 2"]
    ]
    assert run.alive.sum() + len(q) == raw.read == 3


def test_a_rule_on_a_column_the_file_lacks_quarantines_with_an_empty_value(tmp_path):
    raw = _raw(tmp_path, "id,x\n1,1\n2,2\n")
    q = run_rules(raw, [missing("name")]).quarantine()
    assert q[["row", "value", "reason"]].values.tolist() == [
        [2, "", "name is missing"],
        [3, "", "name is missing"],
    ]


def test_facts_are_computed_once_per_run(tmp_path):
    raw = _raw(tmp_path, "id,x\n1,1\n")
    calls: list[int] = []
    rule = Rule("seen", "x", lambda run: run.fact("f", lambda: calls.append(1) or [False]), "", ())
    run_rules(raw, [rule, rule])
    assert calls == [1]


def _all_rules(tmp_path) -> list[Rule]:
    cases = read_cases(
        write(tmp_path / "c.csv", "case_id,reported_date,lat,lon,region_code,count\n")
    )
    checkins = read_input(
        write(tmp_path / "k.csv", "checkin_id,venue_id,checked_in_at,count\n"),
        CHECKIN_COLUMNS,
        label="check-ins",
    )
    venues = read_input(
        write(tmp_path / "v.csv", "venue_id,name,category,lat,lon\n"), VENUE_COLUMNS, label="v"
    )
    known = pd.DataFrame({Col.VENUE_ID: ["A"], "poly": [0]})
    store = [
        r for kind in ("cases", "checkins", "venues") for r in store_rules(kind, [], "31", known)
    ]
    return [
        *case_rules(cases, WINDOW, None),
        *checkin_rules(checkins, known, WINDOW),
        *venue_rules(venues),
        *store,
    ]


def test_every_rule_is_worded_in_both_languages_on_the_data_page(tmp_path):
    rules = _all_rules(tmp_path)
    checks = {r.check for r in rules}
    assert checks == set(REASONS) - {"malformed_row"}
    for rule in rules:
        assert rule.words, rule.check
        shapes = {key for _, key in REASONS[rule.check]}
        for key in rule.words:
            assert key in shapes, (rule.check, key)
            for lang in LANGS:
                assert STRINGS[lang][f"reason.{key}"]
    said = {key for r in rules for key in r.words} | {"malformed_row"}
    assert said == {key for shapes in REASONS.values() for _, key in shapes}
