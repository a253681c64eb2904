"""Every CSV and XLSX the project emits, from a hostile input, read by several readers: no live cell.

The outputs (``OUTPUTS`` names them all): a build's ``quarantine.csv`` (``geo build``), the
inputs store's per-load quarantine files, the Data page's quarantine download
(``Report.quarantine_csv``), the zone report as CSV and as XLSX. Streamlit's own table download
is switched off in ``.streamlit/config.toml`` (tested below); the Data page offers the safe one.

Readers: Python's ``csv``, pandas, openpyxl (xlsx), and two naive readers that end a row at any
CR, LF or CRLF and split it at every comma (or semicolon, as Excel does in an Indonesian locale)
ignoring quotes. A cell is *live* when, after blanks, it starts with ``= + - @ |`` (and is not
a plain number), or when it starts with a tab or a line break.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pipeline_fixtures import GAMBIR, TODAY

from geo.build import build, refused_quarantine
from geo.buildread import open_build
from geo.config import load_config
from geo.errors import BuildError
from geo.exports import export
from geo.reports import zone_report
from geo.safetext import neutralise, safe_frame, to_csv
from geo.uploads import InputStore

pytest_plugins = ["pipeline_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = (
    "build quarantine.csv",
    "refused build's quarantine",
    "store quarantine file",
    "Data page quarantine download",
    "report csv",
    "report xlsx",
)
HOSTILE = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "|calc",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "\u00a0=1+1",
    "x\r=1+1",
    "x\n=1+1",
    "x\r\n=1+1",
    "x\t=1+1",
    "x,=1+1",
    "x;@SUM(A1)",
    "x, -1+1",
    "\x0b=1+1",
    "x\u2028=1+1",
    "'\r=1+1",
]
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
NAME = "=1+1,x.csv"


def _live(cell: object) -> bool:
    if not isinstance(cell, str):
        return False
    if cell.lstrip(" ")[:1] in ("\t", "\r", "\n"):
        return True
    text = cell.strip()
    return text[:1] in ("=", "+", "-", "@", "|") and not NUMBER.fullmatch(text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _hostile_cases() -> bytes:
    """Two good rows, then every hostile value as an id, a date, a latitude and a region code."""
    lat, lon = GAMBIR
    lines = ["case_id,reported_date,lat,lon,region_code,status"]
    lines += [f"ok{i},2021-07-01,{lat},{lon},,{_quoted(h)}" for i, h in enumerate(HOSTILE[:2])]
    for i, value in enumerate(HOSTILE):
        v = _quoted(value)
        lines += [
            f"{v},2021-07-01,{lat},{lon},,",
            f"d{i},{v},{lat},{lon},,",
            f"l{i},2021-07-01,{v},{lon},,",
            f"r{i},2021-07-01,,,{v},",
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_cells(data: bytes) -> dict[str, list[str]]:
    text = data.decode("utf-8-sig")
    naive = re.split(r"\r\n|\r|\n", text)
    return {
        "csv": [c for row in csv.reader(io.StringIO(text, newline="")) for c in row],
        "pandas": pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        .to_numpy()
        .ravel()
        .tolist(),
        "naive ,": [c.strip('"') for line in naive for c in line.split(",")],
        "naive ;": [c.strip('"') for line in naive for c in line.split(";")],
    }


def _xlsx_cells(data: bytes) -> dict[str, list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    formulas = ["=formula" for c in cells if c.data_type == "f"]
    return {"openpyxl": [c.value for c in cells] + formulas}


@pytest.fixture(scope="module")
def outputs(all_grids, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list]]:
    """Every output of :data:`OUTPUTS`, made from the hostile file, as cells per reader."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / NAME
    source.write_bytes(_hostile_cases())
    zones = folder / "zones"
    build(source, None, None, zones, today=TODAY, config=load_config())
    bad_only = folder / "bad_only.csv"
    lines = _hostile_cases().splitlines()
    rejected = [line for line in lines[3:] if re.match(rb"[dlr][0-9]+,", line)]  # bad date/lat/code
    bad_only.write_bytes(b"\n".join([lines[0], *rejected]) + b"\n")
    with pytest.raises(BuildError, match="No input row was accepted"):
        build(bad_only, None, None, folder / "refused", today=TODAY, config=load_config())
    store = InputStore(folder / "inputs")
    report = store.add("cases", NAME, source.read_bytes(), today=TODAY)
    (stored,) = (store.path / "quarantine").glob("*.csv")
    zone = zone_report(
        open_build(zones), "31.71", dt.date(2021, 7, 1), dt.date(2021, 7, 1), resolution=9
    )
    zone.zones = zone.zones.iloc[[0] * len(HOSTILE)].reset_index(drop=True)  # a row per value
    for frame in (zone.zones, zone.children, zone.changes, zone.daily):
        for column in frame.columns:
            kind = frame[column].dtype
            if len(frame) and not (pd.api.types.is_numeric_dtype(kind) or kind.kind == "M"):
                frame[column] = (HOSTILE * len(frame))[: len(frame)]
    zone.region_name = HOSTILE[0]
    made = {
        "build quarantine.csv": _csv_cells((zones / "quarantine.csv").read_bytes()),
        "refused build's quarantine": _csv_cells(
            refused_quarantine(folder / "refused").read_bytes()
        ),
        "store quarantine file": _csv_cells(stored.read_bytes()),
        "Data page quarantine download": _csv_cells(report.quarantine_csv()),
        "report csv": _csv_cells(export(zone, "csv")),
        "report xlsx": _xlsx_cells(export(zone, "xlsx")),
    }
    assert tuple(made) == OUTPUTS
    return made


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_output_holds_a_live_cell(outputs, output):
    for reader, cells in outputs[output].items():
        assert [c for c in cells if _live(c)] == [], (output, reader)


def test_the_hostile_values_reach_the_outputs(outputs):
    # The test would pass vacuously if the values never got there: find them, neutralised.
    for output in ("build quarantine.csv", "store quarantine file", "report csv"):
        cells = outputs[output]["csv"]
        for value in HOSTILE:
            assert neutralise(value) in cells, (output, value)
    assert "'=1+1" in outputs["report xlsx"]["openpyxl"]


def test_the_live_cell_check_finds_what_it_should():
    raw = pd.DataFrame({"a": HOSTILE})
    cells = _csv_cells(raw.to_csv(index=False).encode())
    assert all(any(_live(c) for c in found) for found in cells.values())
    assert not _live("-6.2")
    assert not _live("'=1")
    assert _live(" @x")
    assert _live("\t1")


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("|calc", "'|calc"),
        (" =1", " '=1"),
        ("\t=1", "\\t=1"),
        ("x\r=1+1", "x\\r=1+1"),
        ("x\r\n=1", "x\\r\\n=1"),
        ("a,=1;+2", "a,'=1;'+2"),
        ("\x0b=1\u2028", "\\x0b=1\\u2028"),
        ("Gambir, Jakarta Pusat", "Gambir, Jakarta Pusat"),
        ("2021-07-01", "2021-07-01"),
        ("", ""),
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe
    assert neutralise(safe) == safe  # idempotent: text read back may be neutralised again


def test_non_text_values_are_unchanged():
    assert neutralise(-3.5) == -3.5
    assert neutralise(None) is None
    frame = pd.DataFrame({"n": [-1, 2], "t": ["=a", "b"], "=h": ["x", "y"]})
    assert safe_frame(frame).to_dict("list") == {"n": [-1, 2], "t": ["'=a", "b"], "'=h": ["x", "y"]}


def test_to_csv_quotes_every_field_and_reads_back():
    frame = pd.DataFrame({"n": [1, -2], "t": ["=a", "b,c"]})
    data = to_csv(frame)
    assert data.decode() == '"n","t"\n"1","\'=a"\n"-2","b,c"\n'
    back = pd.read_csv(io.BytesIO(data))
    assert back["n"].tolist() == [1, -2]
    assert back["t"].tolist() == ["'=a", "b,c"]
    assert to_csv(frame, encoding="utf-8-sig").startswith(b"\xef\xbb\xbf")


def test_streamlit_table_downloads_are_off():
    # st.dataframe's toolbar "Download as CSV" writes live formulas: it is switched off for the
    # whole app; pages that need a download offer one made with geo.safetext.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
