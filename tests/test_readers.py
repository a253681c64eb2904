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


@pytest.mark.parametrize(
    "content",
    [
        "case_id,reported_date\ncé,2021-07-01\n".encode("latin-1"),
        # A small file (its head is the whole file) whose last character is cut.
        b"case_id,reported_date\nc1,2021-07-01\nc\xc3",
    ],
)
def test_not_utf8_is_refused(tmp_path, content):
    path = tmp_path / "cases.csv"
    path.write_bytes(content)
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


# --- What people actually save ------------------------------------------------------------------


def test_a_quoted_header_as_r_writes_it(tmp_path):
    path = write(tmp_path / "cases.csv", '"case_id","reported_date"\n"c1","2021-07-01"\n')
    raw = read(path)
    assert raw.frame.to_dict("list") == {"case_id": ["c1"], "reported_date": ["2021-07-01"]}


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_the_delimiter_is_sniffed_and_reported(tmp_path, delimiter, name):
    # A comma inside a value of a tab- or pipe-separated file is text, not a delimiter.
    rows = [["case_id", "reported_date", "status"], ["c1", "2021-07-01", "confirmed, PCR"]]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    if delimiter == ",":
        text = text.replace("confirmed, PCR", '"confirmed, PCR"')
    raw = read(write(tmp_path / "cases.csv", text))
    assert raw.frame["status"].tolist() == ["confirmed, PCR"]
    assert raw.reading == {"format": "csv", "delimiter": name, "encoding": "utf-8"}


def test_a_character_across_the_first_block_is_utf8(tmp_path):
    # "é" is two bytes; the first one is byte 65,535 (0-based), the second byte 65,536.
    header = b"case_id,reported_date,status\n"
    filler = b"c1,2021-07-01,"
    pad = 65535 - len(header) - len(filler)
    path = tmp_path / "cases.csv"
    path.write_bytes(header + filler + b"x" * pad + "é\n".encode() + b"c2,2021-07-02,ok\n")
    raw = read(path)
    assert raw.frame["status"].str[-1].tolist() == ["é", "k"]
    assert raw.rows.tolist() == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_converted(tmp_path, encoding):
    text = "case_id\treported_date\tstatus\nc1\t2021-07-01\tdikonfirmasi é\n"
    path = tmp_path / "cases.csv"
    data = text.encode(encoding)
    path.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)
    raw = read(path)
    assert raw.frame.to_dict("list") == {
        "case_id": ["c1"],
        "reported_date": ["2021-07-01"],
        "status": ["dikonfirmasi é"],
    }
    assert raw.reading["encoding"] == "utf-16"
    assert raw.reading["delimiter"] == "tab"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("rows", [0, 5])
def test_utf16_without_a_byte_order_mark_is_refused_with_advice(tmp_path, encoding, rows):
    path = tmp_path / "cases.csv"
    path.write_bytes(("case_id,reported_date\n" + "c1,2021-07-01\n" * rows).encode(encoding))
    with pytest.raises(
        InputFileError,
        match=r"^cases\.csv looks like UTF-16 text without a byte-order mark; save it as UTF-8\.$",
    ):
        read(path)


def test_not_utf8_after_the_first_block_is_refused(tmp_path):
    path = tmp_path / "cases.csv"
    good = b"case_id,reported_date\n" + b"c1,2021-07-01\n" * 6000
    path.write_bytes(good + "c2,2021-07-01é\n".encode("latin-1"))
    with pytest.raises(
        InputFileError, match=r"^cases\.csv is not UTF-8 text; save it as UTF-8 CSV\.$"
    ):
        read(path)


def test_rows_are_the_rows_a_spreadsheet_shows(tmp_path):
    # A quoted value with line breaks stays in its row; a blank line is a row of its own (and
    # not a record). Spreadsheet rows: 1 header, 2 c1 (3 lines), 3 blank, 4 c2, 5 malformed, 6 c3.
    path = write(
        tmp_path / "cases.csv",
        'case_id,reported_date,status\nc1,2021-07-01,"line one\nline two\nline three"\n\n'
        "c2,2021-07-02,ok\nc9,2021-07-02\nc3,2021-07-03,ok\n\n",
    )
    raw = read(path)
    assert raw.frame["case_id"].tolist() == ["c1", "c2", "c3"]
    assert raw.frame["status"].iloc[0] == "line one\nline two\nline three"
    assert raw.rows.tolist() == [2, 4, 6]
    assert raw.malformed == [(5, "2 fields, expected 3")]
    assert raw.read == 4


def test_blank_lines_above_the_header(tmp_path):
    raw = read(write(tmp_path / "cases.csv", "\n\ncase_id,reported_date\nc1,2021-07-01\n"))
    assert raw.frame["case_id"].tolist() == ["c1"]
    assert raw.rows.tolist() == [4]


def test_a_column_twice_in_the_header_is_refused(tmp_path):
    path = write(tmp_path / "cases.csv", "case_id,reported_date,lat,lat\nc1,2021-07-01,1,2\n")
    with pytest.raises(
        InputFileError,
        match=r"^cases\.csv has the column 'lat' more than once in its header; keep one\.$",
    ):
        read(path)


def test_a_trailing_delimiter_is_an_unnamed_column(tmp_path):
    raw = read(write(tmp_path / "cases.csv", "case_id,reported_date,\nc1,2021-07-01,\n"))
    assert raw.frame["case_id"].tolist() == ["c1"]
    assert raw.read == 1
    assert raw.malformed == []


def test_a_header_only_file_has_no_rows(tmp_path):
    raw = read(write(tmp_path / "cases.csv", "case_id,reported_date\n"))
    assert raw.read == 0
    assert list(raw.frame.columns) == ["case_id", "reported_date"]


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path / "cases.csv", "case_id,reported_date\nc1,2021-07-01\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    # Tests run as root, whom chmod does not stop: the refusal a user would get is simulated.
    monkeypatch.setattr("pathlib.Path.open", denied)
    with pytest.raises(
        InputFileError, match=rf"^The cases file {re.escape(str(path))} cannot be read: permission"
    ):
        read(path)
