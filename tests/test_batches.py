"""An input file read in batches: the rows, numbers and refusals of the whole reading."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import batches
from geo.batches import read_batches
from geo.errors import InputFileError
from geo.readers import read_input
from geo.validate import CHECKIN_COLUMNS
from tests.pipeline_fixtures import write
from tests.test_ingest import MESSY_CSV


def _joined(path, **kwargs):
    read = read_batches(path, CHECKIN_COLUMNS, label="check-ins", **kwargs)
    parts = list(read.batches)
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    rows = [int(n) for p in parts for n in p.rows]
    malformed = [m for p in parts for m in p.malformed]
    return read, parts, frame, rows, malformed


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_csv_batches_are_the_whole_reading(tmp_path, monkeypatch, block):
    monkeypatch.setattr(batches, "CSV_BLOCK_BYTES", block)
    path = write(tmp_path / "checkins.csv", "\n" + MESSY_CSV)  # a blank line above the header
    whole = read_input(path, CHECKIN_COLUMNS, label="check-ins")
    read, parts, frame, rows, malformed = _joined(path)
    assert len(parts) > (1 if block == 64 else 0)
    pd.testing.assert_frame_equal(frame, whole.frame)
    assert rows == whole.rows.tolist() == [3, 4, 5, 7, 9, 10, 11, 12, 13, 14]
    assert sorted(malformed) == whole.malformed == [(6, "2 fields, expected 5")]
    assert sum(p.read for p in parts) == whole.read == 11
    assert (read.sha256, read.reading) == (whole.sha256, whole.reading)


def test_parquet_batches_are_numbered_from_1(tmp_path):
    path = tmp_path / "checkins.parquet"
    table = pa.table(
        {
            "checkin_id": ["k1", "k2", "k3"],
            "venue": ["A", "B", "C"],
            "checked_in_at": ["2021-07-01T10:00"] * 3,
        }
    )
    pq.write_table(table, path)
    aliases = {"venue_id": ("venue_id", "venue")}
    read = read_batches(path, CHECKIN_COLUMNS, label="check-ins", aliases=aliases, batch_rows=2)
    parts = list(read.batches)
    assert [p.rows.tolist() for p in parts] == [[1, 2], [3]]
    assert parts[1].frame.to_dict("records") == [
        {"checkin_id": "k3", "venue_id": "C", "checked_in_at": "2021-07-01T10:00"}
    ]
    assert read.renamed == {"venue": "venue_id"}


def test_a_file_without_a_required_column_is_refused_before_any_batch(tmp_path):
    path = write(tmp_path / "checkins.csv", "checkin_id,venue\nk1,A\n")
    with pytest.raises(
        InputFileError,
        match=r"^checkins\.csv is missing the required columns 'venue_id', 'checked_in_at' "
        r"for check-ins\.$",
    ):
        read_batches(path, CHECKIN_COLUMNS, label="check-ins")


def test_bytes_that_are_not_utf8_further_in_are_refused_when_reached(tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "CSV_BLOCK_BYTES", 4096)
    path = tmp_path / "checkins.csv"
    good = "k1,A,2021-07-01T10:00\n" * 4000  # past the 64 kB the header is sniffed from
    path.write_bytes(("checkin_id,venue_id,checked_in_at\n" + good).encode() + b"k2,\xff,x\n")
    read = read_batches(path, CHECKIN_COLUMNS, label="check-ins")
    with pytest.raises(
        InputFileError, match=r"^checkins\.csv is not UTF-8 text; save it as UTF-8 CSV\.$"
    ):
        list(read.batches)


def test_a_file_that_is_not_parquet_is_refused(tmp_path):
    path = tmp_path / "checkins.parquet"
    path.write_text("checkin_id,venue_id\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"^checkins\.parquet is not a valid Parquet file"):
        read_batches(path, CHECKIN_COLUMNS, label="check-ins")
