"""Read input files (CSV or Parquet) into string-typed tables, or refuse them whole.

CSV files are UTF-8, with or without a byte-order mark, comma- or semicolon-separated; every
value is read as text so that validation can report it as written. A row with the wrong number of
fields is kept aside for the quarantine. ``row`` numbers are line numbers in a CSV (the header is
line 1) and 1-based row numbers in a Parquet file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.errors import InputFileError

FORMATS = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}


@dataclass
class RawTable:
    """An input file as read: its rows, their numbers, and rows too malformed to split."""

    name: str
    frame: pd.DataFrame
    rows: pd.Series
    malformed: list[tuple[int, str]] = field(default_factory=list)
    sha256: str = ""

    @property
    def read(self) -> int:
        return len(self.frame) + len(self.malformed)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[tuple[int, str]], pd.Series]:
    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head:
        msg = f"{path.name} is not a CSV text file (it contains binary data)."
        raise InputFileError(msg)
    try:
        first_line = head.decode("utf-8-sig").splitlines()[0] if head.strip() else ""
    except UnicodeDecodeError as exc:
        msg = f"{path.name} is not UTF-8 text; save it as UTF-8 CSV."
        raise InputFileError(msg) from exc
    if not first_line.strip():
        msg = f"{path.name} is empty: it needs a header line."
        raise InputFileError(msg)
    delimiter = _delimiter(first_line)
    names = [n.strip() for n in first_line.split(delimiter)]
    malformed: list[tuple[int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        number = row.number if row.number is not None else -1
        malformed.append((number, f"{row.actual_columns} fields, expected {row.expected_columns}"))
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, encoding="utf8"
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        msg = f"{path.name} could not be read as CSV: {str(exc).splitlines()[0]}."
        raise InputFileError(msg) from exc
    frame = table.to_pandas(self_destruct=True, split_blocks=True)  # halves the peak
    del table
    # Line numbers: header is line 1; skipped malformed rows still take their line.
    bad_lines = sorted(n for n, _ in malformed if n > 0)
    lines = pd.Series(range(2, len(frame) + 2 + len(bad_lines)))
    if bad_lines:
        lines = lines[~lines.isin(bad_lines)]
    frame.index = pd.RangeIndex(len(frame))
    return frame, malformed, lines.reset_index(drop=True)


def read_input(path: str | Path, required: tuple[str, ...], *, label: str) -> RawTable:
    """Read an input file, refusing it whole when its format or columns are wrong.

    Parameters
    ----------
    path
        A ``.csv`` or ``.parquet`` file.
    required
        Columns the file must have.
    label
        What the file holds (``cases``, ``checkins``, ``venues``), for messages.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"The {label} file {path} does not exist."
        raise InputFileError(msg)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        msg = f"{path.name}: unknown file type {path.suffix!r}; use .csv or .parquet."
        raise InputFileError(msg)
    if kind == "csv":
        frame, malformed, rows = _read_csv(path)
    else:
        try:
            table = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            msg = f"{path.name} is not a valid Parquet file ({str(exc).splitlines()[0]})."
            raise InputFileError(msg) from exc
        frame = table.to_pandas(self_destruct=True, split_blocks=True)  # halves the peak
        del table
        malformed, rows = [], pd.Series(range(1, len(frame) + 1))
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        names = ", ".join(repr(str(c)) for c in missing)  # str: Col members repr as <Col...>
        plural = "columns" if len(missing) > 1 else "column"
        msg = f"{path.name} is missing the required {plural} {names} for {label}."
        raise InputFileError(msg)
    return RawTable(path.name, frame, rows, malformed, sha256_of(path))
