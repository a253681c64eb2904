"""Read an input file in batches of rows, as :func:`geo.readers.read_input` reads it whole.

Each batch is a :class:`geo.readers.RawTable` of consecutive rows with the row numbers and
malformed rows the whole reading would give them (a malformed row goes with the batch it falls
in, or the last), so that validating the batches one after the other quarantines the same rows
for the same reasons (issue 10: memory follows a batch, not the file). The file is refused whole
(format, header, required columns) before the first batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.errors import InputFileError
from geo.readers import (
    DELIMITER_NAMES,
    RawTable,
    _blank,
    _checked_columns,
    _collector,
    _csv_options,
    _header,
    _names,
    _source,
    _unreadable,
    file_kind,
    sha256_of,
)

#: Rows per batch: about 0.25 GB of pandas text columns per million check-ins.
BATCH_ROWS = 1_000_000
#: Bytes of CSV parsed at a time (a block holds about half a million check-in rows).
CSV_BLOCK_BYTES = 32 << 20


@dataclass
class RawBatches:
    """An input file as batches of rows, and what :class:`geo.readers.RawTable` says of it."""

    name: str
    batches: Iterator[RawTable]
    sha256: str = ""
    reading: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)


def _frame(table: pa.Table, renamed: dict[str, str]) -> pd.DataFrame:
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    frame.columns = _names(frame.columns)
    frame.index = pd.RangeIndex(len(frame))
    return frame.rename(columns=renamed)


def _csv_batches(
    path: Path, header: tuple[str, list[str], str, int], renamed: dict[str, str], name: str
) -> Iterator[RawTable]:
    """The CSV's batches, numbered as :func:`geo.readers._read_csv` numbers its rows."""
    delimiter, names, encoding, above = header
    malformed: list[tuple[int, str]] = []
    options = _csv_options(names, delimiter, above, _collector(malformed), CSV_BLOCK_BYTES)
    handed: set[int] = set()  # the malformed rows given to a batch
    number = above + 2  # the next row's number: the header is row 1
    try:
        for batch in pacsv.open_csv(_source(path, encoding), **options):
            table = pa.Table.from_batches([batch])
            # the next rows' numbers, skipping malformed rows (Arrow may know some ahead)
            skipped = np.array([n for n, _ in malformed], dtype=np.int64)
            span = np.arange(number, number + table.num_rows + len(skipped))
            numbers = span[~np.isin(span, skipped)][: table.num_rows]
            number = int(numbers[-1]) + 1 if len(numbers) else number
            mine = [m for m in malformed if m[0] < number and m[0] not in handed]
            handed.update(n for n, _ in mine)
            blank = _blank(table)
            if blank.any():
                table, numbers = table.filter(pa.array(~blank)), numbers[~blank]
            yield RawTable(name, _frame(table, renamed), pd.Series(numbers), mine)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from exc
    rest = [m for m in malformed if m[0] not in handed]
    if rest:
        empty = pa.table({n: pa.array([], pa.string()) for n in names})
        yield RawTable(name, _frame(empty, renamed), pd.Series([], dtype=np.int64), rest)


def _parquet(path: Path) -> pq.ParquetFile:
    try:
        # pre_buffer keeps every row group read until the file is closed: 1.1 GB after 41 of
        # the 112 row groups of the 14-day national file, against 0.4 GB flat without it
        return pq.ParquetFile(path, pre_buffer=False)
    except (pa.ArrowInvalid, OSError) as exc:
        detail = str(exc).splitlines()[0].removeprefix("Could not open Parquet input source ")
        detail = re.sub(r"^'[^']*': ", "", detail).rstrip(".")
        msg = f"{path.name} is not a valid Parquet file ({detail})."
        raise InputFileError(msg) from exc


def _parquet_batches(
    handle: pq.ParquetFile, renamed: dict[str, str], name: str, batch_rows: int
) -> Iterator[RawTable]:
    first = 1
    for batch in handle.iter_batches(batch_size=batch_rows):
        numbers = pd.Series(np.arange(first, first + batch.num_rows))
        first += batch.num_rows
        yield RawTable(name, _frame(pa.Table.from_batches([batch]), renamed), numbers)


def read_batches(
    path: str | Path,
    required: tuple[str, ...],
    *,
    label: str,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
    waived: Mapping[str, str] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> RawBatches:
    """Open an input file for reading in batches, refusing it whole as
    :func:`geo.readers.read_input` does (same parameters; ``batch_rows``: the rows of a
    Parquet batch, a CSV's follow :data:`CSV_BLOCK_BYTES`).

    A CSV that turns out unreadable further in (say, a byte that is not UTF-8) is refused, with
    the same sentence, when its batches reach it.
    """
    path = Path(path)
    kind = file_kind(path, label)
    try:
        digest = sha256_of(path)
        if kind == "csv":
            header = _header(path)
            columns = header[1]
            reading = {
                "format": "csv",
                "delimiter": DELIMITER_NAMES[header[0]],
                "encoding": header[2],
            }
        else:
            handle = _parquet(path)
            columns = _names(handle.schema_arrow.names)
            reading = {"format": "parquet"}
    except PermissionError as exc:
        msg = f"The {label} file {path} cannot be read: permission denied."
        raise InputFileError(msg) from exc
    twice = sorted({n for n in columns if columns.count(n) > 1})
    if twice and kind == "parquet":
        listed = ", ".join(repr(n) for n in twice)
        msg = f"{path.name} has the column {listed} more than once; keep one."
        raise InputFileError(msg)
    renamed = _checked_columns(path, columns, required, label, aliases, waived)
    if kind == "csv":
        batches = _csv_batches(path, header, renamed, path.name)
    else:
        batches = _parquet_batches(handle, renamed, path.name, batch_rows)
    return RawBatches(path.name, batches, digest, reading, renamed)
