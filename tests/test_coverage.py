"""Coverage: which regions reported on which days (a reported zero is a report)."""

import pandas as pd

from geo.coverage import covering, report_days
from geo.regions import finest


def _cases(rows):
    return pd.DataFrame(rows, columns=["date", "poly", "region_code"]).assign(
        date=lambda f: pd.to_datetime(f["date"])
    )


def test_coded_rows_report_their_region_and_day_once():
    cases = _cases(
        [
            ("2021-07-02", -1, "31.71"),
            ("2021-07-01", -1, "31.71"),
            ("2021-07-01", -1, "31.71"),
            ("2021-07-01", -1, "32"),
        ]
    )
    got = report_days(cases)
    assert got["region_code"].tolist() == ["31.71", "31.71", "32"]
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2021-07-01",
        "2021-07-02",
        "2021-07-01",
    ]


def test_a_located_case_reports_its_province():
    layer = finest()
    gambir = int(layer.index[layer["code"].str.startswith("31.71.01.")][0])
    bandung = int(layer.index[layer["code"].str.startswith("32.73.")][0])
    cases = _cases([("2021-07-01", gambir, None), ("2021-07-01", bandung, None)])
    got = report_days(cases)
    assert got["region_code"].tolist() == ["31", "32"]


def test_no_rows_no_reports():
    assert report_days(_cases([])).empty


def test_covering_is_the_code_and_its_ancestors_coarse_first():
    assert covering("31.71.01.1001") == ["31", "31.71", "31.71.01", "31.71.01.1001"]
    assert covering("32") == ["32"]
