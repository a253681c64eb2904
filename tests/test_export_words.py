"""CSV/XLSX headers and the columns sheet in the report's language (geo.export_words)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from english_words import english_words

from geo.buildread import open_build
from geo.export_words import HEADERS, MEANINGS, header
from geo.exports import export
from geo.reports import DESCRIPTIONS, ZONE_COLUMNS, zone_report

pytest_plugins = ["pipeline_fixtures"]

FIRST, LAST = dt.date(2021, 7, 1), dt.date(2021, 7, 7)


@pytest.fixture(scope="module")
def bahasa(built):
    build = open_build(built[0])
    return zone_report(build, "31.71", FIRST, LAST, resolution=9, audience="public", lang="id")


def test_every_described_column_has_a_bahasa_header_and_meaning():
    assert set(DESCRIPTIONS) <= set(HEADERS)
    assert set(DESCRIPTIONS) == set(MEANINGS)
    assert {header(c, "id") for c in ZONE_COLUMNS}.isdisjoint(ZONE_COLUMNS)
    assert header("cases_7d", "en") == "cases_7d"  # English keeps the machine names


def test_bahasa_csv_has_bahasa_headers_and_figures(bahasa):
    back = pd.read_csv(io.BytesIO(export(bahasa, "csv")), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == [header(c, "id") for c in bahasa.zones.columns]
    assert back.columns[0] == "Tanggal"
    assert english_words(" ".join(back.columns)) == []
    assert back["Kasus 7 hari"].str.fullmatch(r"< 10|\d{1,3}(\.\d{3})*").all()


def test_bahasa_xlsx_headers_columns_and_method_sheets(bahasa):
    book = openpyxl.load_workbook(io.BytesIO(export(bahasa, "xlsx")))
    for name in ("zones", "region_daily", "child_regions", "what_changed"):
        heads = [c.value for c in next(book[name].iter_rows(max_row=1))]
        assert english_words(" ".join(str(h) for h in heads)) == [], name
    rows = list(book["columns"].iter_rows(values_only=True))
    assert rows[0] == ("kolom (nama mesin)", "judul", "arti")
    assert ("cases_7d", "Kasus 7 hari", MEANINGS["cases_7d"]) in rows
    meanings = " ".join(r[2] for r in rows[1:])
    assert english_words(meanings.replace("no_data", "")) == []
    method = " ".join(str(v) for r in book["method"].iter_rows(values_only=True) for v in r if v)
    assert english_words(method) == []
