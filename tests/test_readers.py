"""Reading input files: CSV (BOM, semicolons, malformed rows) and Parquet, or a whole-file refusal."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pipeline_fixtures import write

from geo.errors import InputFileError
from geo.readers import read_input, sha256_of

REQUIRED = ("case_id", "reported_date")


def read(path, required=REQUIRED):
    return read_input(path, required, label="cases")


def test_plain_csv_keeps_every_value_as_written(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        """\
        case_id,reported_date,lat,lon
        007,2021-07-01,-6.10,106.80
        c2,2021-07-02,,
        """,
    )
    raw = read(path)
    assert raw.name == "cases.csv"
    assert raw.frame.to_dict("list") == {
        "case_id": ["007", "c2"],  # not the number 7
        "reported_date": ["2021-07-01", "2021-07-02"],
        "lat": ["-6.10", ""],  # not -6.1, and empty rather than NaN
        "lon": ["106.80", ""],
    }
    # Line numbers: the header is line 1.
    assert raw.rows.tolist() == [2, 3]
    assert raw.read == 2
    assert raw.malformed == []
    assert raw.sha256 == sha256_of(path)
    assert len(raw.sha256) == 64


def test_byte_order_mark_and_semicolons_and_crlf(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffcase_id;reported_date;lat\r\nc1;2021-07-01;-6,2\r\nc2;2021-07-02;\r\n".encode()
    )
    raw = read(path)
    assert list(raw.frame.columns) == ["case_id", "reported_date", "lat"]
    assert raw.frame["case_id"].tolist() == ["c1", "c2"]
    assert raw.frame["lat"].tolist() == ["-6,2", ""]
    assert raw.rows.tolist() == [2, 3]


def test_header_names_are_stripped(tmp_path):
    path = write(tmp_path / "cases.csv", " case_id , reported_date \nc1,2021-07-01\n")
    assert list(read(path).frame.columns) == ["case_id", "reported_date"]


def test_malformed_rows_are_kept_aside_with_their_line_numbers(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        """\
        case_id,reported_date,lat,lon
        c1,2021-07-01,-6.2,106.8
        c2,2021-07-01
        c3,2021-07-02,-6.2,106.8,extra
        c4,2021-07-02,-6.2,106.8
        """,
    )
    raw = read(path)
    assert raw.frame["case_id"].tolist() == ["c1", "c4"]
    assert raw.rows.tolist() == [2, 5]  # lines 3 and 4 are the malformed ones
    assert raw.malformed == [(3, "2 fields, expected 4"), (4, "5 fields, expected 4")]
    assert raw.read == 4  # 2 good rows + 2 malformed rows


def test_parquet_rows_are_numbered_from_1(tmp_path):
    path = tmp_path / "cases.parquet"
    pd.DataFrame({"case_id": ["c1", "c2", "c3"], "reported_date": ["2021-07-01"] * 3}).to_parquet(
        path
    )
    raw = read(path)
    assert raw.rows.tolist() == [1, 2, 3]
    assert raw.read == 3
    assert raw.frame["case_id"].tolist() == ["c1", "c2", "c3"]


@pytest.mark.parametrize("suffix", [".txt", ".CSV"])
def test_other_csv_suffixes(tmp_path, suffix):
    path = write(tmp_path / f"cases{suffix}", "case_id,reported_date\nc1,2021-07-01\n")
    assert read(path).read == 1


def test_missing_required_column_is_refused(tmp_path):
    path = write(tmp_path / "cases.csv", "case_id,date\nc1,2021-07-01\n")
    with pytest.raises(
        InputFileError,
        match=r"^cases\.csv is missing the required column 'reported_date' for cases\.$",
    ):
        read(path)


def test_missing_required_columns_are_listed_together(tmp_path):
    path = write(tmp_path / "cases.csv", "id,date\nc1,2021-07-01\n")
    with pytest.raises(
        InputFileError,
        match=r"^cases\.csv is missing the required columns 'case_id', 'reported_date' for cases\.$",
    ):
        read(path)


def test_missing_file_is_refused(tmp_path):
    path = tmp_path / "absent.csv"
    with pytest.raises(
        InputFileError, match=rf"^The check-ins file {re.escape(str(path))} does not exist\.$"
    ):
        read_input(path, REQUIRED, label="check-ins")


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        read(tmp_path)


def test_unknown_extension_is_refused(tmp_path):
    path = write(tmp_path / "cases.xlsx", "case_id,reported_date\n")
    with pytest.raises(
        InputFileError, match=r"^cases\.xlsx: unknown file type '\.xlsx'; use \.csv or \.parquet\.$"
    ):
        read(path)


def test_binary_file_named_csv_is_refused(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00not a csv")
    with pytest.raises(
        InputFileError, match=r"^cases\.csv is not a CSV text file \(it contains binary data\)\.$"
    ):
        read(path)


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("case_id,reported_date\ncé,2021-07-01\n".encode("latin-1"))
    with pytest.raises(
        InputFileError, match=r"^cases\.csv is not UTF-8 text; save it as UTF-8 CSV\.$"
    ):
        read(path)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   \n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "cases.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=r"^cases\.csv is empty: it needs a header line\.$"):
        read(path)


def test_not_parquet_is_refused(tmp_path):
    path = write(tmp_path / "cases.parquet", "case_id,reported_date\nc1,2021-07-01\n")
    with pytest.raises(
        InputFileError, match=r"^cases\.parquet is not a valid Parquet file \(.*magic bytes"
    ):
        read(path)


def test_input_file_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        read(tmp_path / "absent.csv")
