"""Read input files (CSV or Parquet) into string-typed tables, or refuse them whole.

CSV files are read as people save them: UTF-8 with or without a byte-order mark, or UTF-16 with
one (converted); the delimiter is sniffed among ``, ; TAB |`` from the first lines (and stated in
the build's manifest); header names may be quoted; a quoted value may hold line breaks. Every
value is read as text so that validation can report it as written. A row with the wrong number of
fields is kept aside for the quarantine; blank lines (and rows whose every field is empty) are
not rows and are skipped.

``row`` numbers are the rows a spreadsheet shows: in a CSV the header is row 1 and each record
(a quoted value with line breaks stays in its row; a blank line is a row of its own) is the next
row; in a Parquet file rows are numbered from 1.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.errors import InputFileError

FORMATS = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: Delimiters a CSV may use, in order of preference when two fit equally well.
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
#: Bytes read to find the header and the delimiter.
HEAD_BYTES = 65536
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class RawTable:
    """An input file as read: its rows, their numbers, and rows too malformed to split."""

    name: str
    frame: pd.DataFrame
    rows: pd.Series
    malformed: list[tuple[int, str]] = field(default_factory=list)
    sha256: str = ""
    #: How the file was read (``format``, and for a CSV ``delimiter`` and ``encoding``).
    reading: dict[str, str] = field(default_factory=dict)
    #: Columns read under another name (``{"as written": "field"}``), see :func:`rename`.
    renamed: dict[str, str] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return len(self.frame) + len(self.malformed)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sniff(head: str) -> tuple[str, list[str]]:
    """The delimiter and the header names: the delimiter that splits the header into the most
    fields and the next records (up to 20) into as many."""
    best, best_score, header = ",", (False, -1), [""]
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=False)
        records = [r for r in itertools.islice(reader, 21) if r]
        if len(records) > 1 and not head.endswith(("\n", "\r")):
            records = records[:-1]  # the last record may be cut by the end of the head
        width = len(records[0])
        consistent = all(len(r) == width for r in records[1:])
        score = (width > 1 and consistent, width)
        if score > best_score:
            best, best_score, header = delimiter, score, records[0]
    return best, [n.strip() for n in header]


def _decode_head(path: Path, head: bytes) -> tuple[str, str]:
    """The text of the first bytes and the file's encoding (``utf-8`` or ``utf-16``)."""
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="ignore"), "utf-16"
    if b"\x00" in head:
        odd, even = head[1:400:2], head[0:400:2]  # ASCII in UTF-16: every other byte is 0
        if odd.count(0) >= 0.4 * len(odd) or even.count(0) >= 0.4 * len(even):
            msg = f"{path.name} looks like UTF-16 text without a byte-order mark; save it as UTF-8."
        else:
            msg = f"{path.name} is not a CSV text file (it contains binary data)."
        raise InputFileError(msg)
    try:
        # Incremental: a character cut by the end of the head is not an error, unless the head
        # is the whole file.
        whole = len(head) < HEAD_BYTES
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=whole)
    except UnicodeDecodeError as exc:
        msg = f"{path.name} is not UTF-8 text; save it as UTF-8 CSV."
        raise InputFileError(msg) from exc
    return text, "utf-8"


def _source(path: Path, encoding: str) -> str | pa.BufferReader:
    if encoding == "utf-8":
        return str(path)
    try:
        text = path.read_bytes().decode("utf-16")
    except UnicodeDecodeError as exc:
        msg = f"{path.name} is not valid UTF-16 text; save it as UTF-8 CSV."
        raise InputFileError(msg) from exc
    return pa.BufferReader(text.encode("utf-8"))


def _header(path: Path) -> tuple[str, list[str], str, int]:
    """The delimiter, the header names, the encoding and the number of blank lines above the
    header."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    text, encoding = _decode_head(path, head)
    text = text.lstrip("\ufeff")
    if not text.strip():
        msg = f"{path.name} is empty: it needs a header line."
        raise InputFileError(msg)
    stripped = text.lstrip("\r\n")
    above = text[: len(text) - len(stripped)]
    blank_lines = above.count("\n") + above.count("\r") - above.count("\r\n")
    delimiter, names = _sniff(stripped)
    named = [n for n in names if n]
    twice = sorted({n for n in named if named.count(n) > 1})
    if twice:
        listed = ", ".join(repr(n) for n in twice)
        msg = f"{path.name} has the column {listed} more than once in its header; keep one."
        raise InputFileError(msg)
    # Unnamed columns (e.g. after a trailing delimiter) are kept under names of their own.
    names = [n or f"unnamed-{i + 1}" for i, n in enumerate(names)]
    return delimiter, names, encoding, blank_lines


def _csv_options(
    names: list[str],
    delimiter: str,
    above: int,
    on_invalid: Callable[[pacsv.InvalidRow], str],
    block_size: int | None = None,
) -> dict:
    """The reading options of a CSV: every value as text, a row of the wrong width to
    ``on_invalid``."""
    read = {"column_names": names, "skip_rows": above + 1, "use_threads": False}
    if block_size:
        read["block_size"] = block_size
    return {
        "read_options": pacsv.ReadOptions(**read),
        "parse_options": pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,  # a blank line keeps its row number
            invalid_row_handler=on_invalid,
        ),
        "convert_options": pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def _unreadable(path: Path, exc: Exception) -> InputFileError:
    """The refusal of a CSV that Arrow cannot parse, in a sentence."""
    text = str(exc).splitlines()[0]
    if "UTF8" in text or "utf-8" in text.lower():
        msg = f"{path.name} is not UTF-8 text; save it as UTF-8 CSV."
    else:
        msg = f"{path.name} could not be read as CSV: {text}."
    return InputFileError(msg)


def _parse(
    path: Path, names: list[str], delimiter: str, encoding: str, above: int
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Every value as text, and the (row, description) of each row with the wrong field count."""
    malformed: list[tuple[int, str]] = []
    on_invalid = _collector(malformed)
    try:
        table = pacsv.read_csv(
            _source(path, encoding), **_csv_options(names, delimiter, above, on_invalid)
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from exc
    return table, malformed


def _collector(malformed: list[tuple[int, str]]) -> Callable[[pacsv.InvalidRow], str]:
    """An ``invalid_row_handler`` that keeps (row, description) of each row and skips it."""

    def on_invalid(row: pacsv.InvalidRow) -> str:
        number = row.number if row.number is not None else -1
        malformed.append((number, f"{row.actual_columns} fields, expected {row.expected_columns}"))
        return "skip"

    return on_invalid


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[tuple[int, str]], pd.Series, dict]:
    delimiter, names, encoding, above = _header(path)
    table, malformed = _parse(path, names, delimiter, encoding, above)
    # Row numbers: the header is row 1 (after any blank lines); malformed rows keep their row.
    numbers = np.arange(above + 2, above + table.num_rows + len(malformed) + 2)
    numbers = numbers[~np.isin(numbers, [n for n, _ in malformed])]
    blank = _blank(table)
    if blank.any():
        table = table.filter(pa.array(~blank))
        numbers = numbers[~blank]
    frame = table.to_pandas(self_destruct=True, split_blocks=True)  # halves the peak
    del table
    frame.index = pd.RangeIndex(len(frame))
    reading = {"format": "csv", "delimiter": DELIMITER_NAMES[delimiter], "encoding": encoding}
    return frame, malformed, pd.Series(numbers), reading


def _blank(table: pa.Table) -> np.ndarray:
    """Rows whose every field is empty (blank lines, or only delimiters)."""
    if table.num_columns == 0 or table.num_rows == 0:
        return np.zeros(table.num_rows, dtype=bool)
    empty = None
    for column in table.columns:
        this = pc.equal(column, "")
        empty = this if empty is None else pc.and_(empty, this)
        if not pc.any(empty).as_py():
            return np.zeros(table.num_rows, dtype=bool)
    return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)


def _read_parquet(path: Path) -> tuple[pd.DataFrame, list, pd.Series, dict]:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        detail = str(exc).splitlines()[0].removeprefix("Could not open Parquet input source ")
        detail = re.sub(r"^'[^']*': ", "", detail).rstrip(".")  # the path: the user knows it
        msg = f"{path.name} is not a valid Parquet file ({detail})."
        raise InputFileError(msg) from exc
    names = [str(c).strip() for c in table.column_names]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        listed = ", ".join(repr(n) for n in twice)
        msg = f"{path.name} has the column {listed} more than once; keep one."
        raise InputFileError(msg)
    frame = table.to_pandas(self_destruct=True, split_blocks=True)  # halves the peak
    del table
    return frame, [], pd.Series(range(1, len(frame) + 1)), {"format": "parquet"}


def rename(name: str, columns: list[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The columns to read under their field's name (``{"as written": "field"}``).

    Parameters
    ----------
    name
        The file's name, for messages.
    columns
        The header, as read.
    aliases
        For each field, the names it may have in a file (the field's own name first).

    Raises
    ------
    InputFileError
        When two columns are names of one field.
    """
    renamed = {}
    for target, names in aliases.items():
        present = [n for n in names if n in columns]
        if len(present) > 1:
            first, second = present[:2]
            msg = (
                f"{name} has both '{first}' and '{second}', two names for the column "
                f"'{target}'; keep one (or rename the other)."
            )
            raise InputFileError(msg)
        if present and present[0] != target:
            renamed[present[0]] = str(target)
    return renamed


def file_kind(path: Path, label: str) -> str:
    """``csv`` or ``parquet``; a missing file or another type is refused."""
    if not path.is_file():
        msg = f"The {label} file {path} does not exist."
        raise InputFileError(msg)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        msg = f"{path.name}: unknown file type {path.suffix!r}; use .csv or .parquet."
        raise InputFileError(msg)
    return kind


def read_input(
    path: str | Path,
    required: tuple[str, ...],
    *,
    label: str,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
    waived: Mapping[str, str] | None = None,
) -> RawTable:
    """Read an input file, refusing it whole when its format or columns are wrong.

    Parameters
    ----------
    path
        A ``.csv`` or ``.parquet`` file.
    required
        Columns the file must have.
    label
        What the file holds (``cases``, ``checkins``, ``venues``), for messages.
    aliases
        Other names of the columns (see :func:`rename`); the table holds the field's name.
    waived
        Required columns that a file need not have when it has another column
        (``{"case_id": "count"}``: a file of counts has no case ids).
    """
    path = Path(path)
    kind = file_kind(path, label)
    try:
        reader = _read_csv if kind == "csv" else _read_parquet
        frame, malformed, rows, reading = reader(path)
        digest = sha256_of(path)
    except PermissionError as exc:
        msg = f"The {label} file {path} cannot be read: permission denied."
        raise InputFileError(msg) from exc
    frame.columns = _names(frame.columns)
    renamed = _checked_columns(path, list(frame.columns), required, label, aliases, waived)
    frame = frame.rename(columns=renamed)
    return RawTable(path.name, frame, rows, malformed, digest, reading, renamed)


def _names(columns: object) -> list[str]:
    return [str(c).strip().lstrip("\ufeff") for c in columns]  # type: ignore[attr-defined]


def _checked_columns(
    path: Path,
    columns: list[str],
    required: tuple[str, ...],
    label: str,
    aliases: Mapping[str, tuple[str, ...]] | None,
    waived: Mapping[str, str] | None,
) -> dict[str, str]:
    """The columns to rename (:func:`rename`); a file without a required column is refused."""
    renamed = rename(path.name, columns, aliases or {})
    present = {renamed.get(c, c) for c in columns}
    waived = waived or {}
    missing = [c for c in required if c not in present and waived.get(c) not in present]
    if missing:
        names = ", ".join(repr(str(c)) for c in missing)  # str: Col members repr as <Col...>
        plural = "columns" if len(missing) > 1 else "column"
        msg = f"{path.name} is missing the required {plural} {names} for {label}."
        raise InputFileError(msg)
    return renamed
