"""Every export format, read back and compared; injection payloads never become formulas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.buildread import open_build
from geo.exports import EXPORTERS, export
from geo.reports import zone_report
from geo.safetext import neutralise

pytest_plugins = ["pipeline_fixtures"]

FIRST, LAST = dt.date(2021, 7, 1), dt.date(2021, 7, 7)
PAYLOADS = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(scope="module")
def reports(built):
    build = open_build(built[0])
    return {
        audience: zone_report(
            build, "31.71", FIRST, LAST, resolution=9, audience=audience, lang="en"
        )
        for audience in ("public", "official")
    }


def test_csv_reads_back_identical(reports):
    report = reports["official"]
    back = pd.read_csv(io.BytesIO(export(report, "csv")), encoding="utf-8-sig", dtype={"cell": str})
    assert len(back) == len(report.zones)
    assert back["cell"].tolist() == report.zones["cell"].astype(str).tolist()
    assert back["new_cases"].sum() == pytest.approx(report.zones["new_cases"].sum())


def test_public_exports_contain_no_count_below_k(reports):
    back = pd.read_csv(
        io.BytesIO(export(reports["public"], "csv")), encoding="utf-8-sig", dtype=str
    )
    for column in ("new_cases", "cases_7d", "cases_14d"):
        for value in back[column]:
            assert value == "< 10" or value == "0" or float(value.replace(",", "")) >= 10, value


def test_xlsx_sheets_and_no_formula_cells(reports):
    report = reports["official"]
    report.children = report.children.assign(
        name=PAYLOADS[: len(report.children)] + ["x"] * max(0, len(report.children) - len(PAYLOADS))
    )
    book = openpyxl.load_workbook(io.BytesIO(export(report, "xlsx")))
    assert book.sheetnames == [
        "zones",
        "region_daily",
        "child_regions",
        "what_changed",
        "columns",
        "method",
    ]
    formulas = [c for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    names = [c.value for c in book["child_regions"]["B"][1:]]
    assert names[0] == "'" + PAYLOADS[0]
    assert book["zones"].max_row == len(report.zones) + 1


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_geo_formats_read_back_with_identical_values(reports, fmt, tmp_path):
    report = reports["official"]
    path = tmp_path / f"zones.{fmt}"
    path.write_bytes(export(report, fmt))
    back = gpd.read_file(path)
    assert len(back) == len(report.latest)
    assert back["cell"].tolist() == report.latest["cell"].astype(str).tolist()
    assert back["risk"].tolist() == report.latest["risk"].astype(str).tolist()
    assert back["reason"].tolist() == report.latest["reason"].tolist()
    assert back["cases_7d"].tolist() == pytest.approx(report.latest["cases_7d"].tolist())
    assert back.geometry.geom_type.unique().tolist() == ["Polygon"]


def test_geojson_is_plain_geojson(reports):
    data = json.loads(export(reports["public"], "geojson"))
    assert data["type"] == "FeatureCollection"
    assert {"risk", "reason", "cell"} <= set(data["features"][0]["properties"])


def test_registry_and_unknown_format(reports):
    assert set(EXPORTERS) == {"csv", "xlsx", "geojson", "gpkg", "pdf"}
    with pytest.raises(ValueError, match="Unknown format 'docx'"):
        export(reports["public"], "docx")


# Property: every export reads back equal to its frame, for any text and any number a report can
# hold (up to 1e15: a count of people or check-ins, a ratio). Text comes back neutralised
# (geo.safetext: control characters escaped, formula triggers behind an apostrophe), as
# documented; a missing number comes back missing.
_TEXT = st.text(max_size=30)
_NUMBER = st.one_of(st.just(float("nan")), st.floats(-1e15, 1e15))


def _edited(frame: pd.DataFrame, data: st.DataObject) -> pd.DataFrame:
    """The first rows of ``frame`` with generated reasons and 7-day cases."""
    frame = frame.iloc[:4]
    n = len(frame)
    return frame.assign(
        reason=data.draw(st.lists(_TEXT, min_size=n, max_size=n)),
        cases_7d=data.draw(st.lists(_NUMBER, min_size=n, max_size=n)),
    )


def _same(back_text, back_numbers, frame: pd.DataFrame, *, rtol: float = 0.0) -> None:
    assert list(back_text) == [neutralise(t) for t in frame["reason"]]
    got = pd.Series(back_numbers, dtype=float).to_numpy()
    np.testing.assert_allclose(got, frame["cases_7d"].to_numpy(dtype=float), rtol=rtol, atol=0)


@settings(max_examples=12, deadline=None)  # no timing: the machine is shared
@given(data=st.data())
def test_csv_and_xlsx_read_back_equal_the_zones(reports, data) -> None:
    report = dataclasses.replace(reports["official"])
    report.zones = _edited(report.zones, data)
    back = pd.read_csv(
        io.BytesIO(export(report, "csv")),
        encoding="utf-8-sig",
        dtype={"reason": str, "cell": str},
        keep_default_na=False,
        na_values={"cases_7d": [""]},
    )
    _same(back["reason"], back["cases_7d"], report.zones)
    sheet = openpyxl.load_workbook(io.BytesIO(export(report, "xlsx")))["zones"]
    columns = {cell.value: i for i, cell in enumerate(sheet[1])}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    texts = [row[columns["reason"]] or "" for row in rows]  # an empty text is an empty cell
    numbers = [
        np.nan if row[columns["cases_7d"]] is None else row[columns["cases_7d"]] for row in rows
    ]
    _same(texts, numbers, report.zones, rtol=1e-15)  # xlsxwriter writes 16 significant digits


@settings(max_examples=8, deadline=None)  # no timing: the machine is shared
@given(data=st.data(), fmt=st.sampled_from(["geojson", "gpkg"]))
def test_geo_formats_read_back_equal_the_latest_zones(reports, data, fmt) -> None:
    report = dataclasses.replace(reports["official"])
    report.latest = _edited(report.latest, data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"zones.{fmt}"
        path.write_bytes(export(report, fmt))
        back = gpd.read_file(path)
    _same(back["reason"].fillna(""), back["cases_7d"], report.latest)
