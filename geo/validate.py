"""Validate input rows: each row is accepted or quarantined with a reason.

Checks run in order and a row is quarantined for the first problem found, with the column, the
check and the offending value, so that one pass over ``quarantine.csv`` fixes the file. For every
file, accepted + quarantined = read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import editions, regions
from geo.columns import CASE_ALIASES, CUMULATIVE_ALIASES, Col
from geo.config import InputWindow
from geo.counts import check_checkin_count, check_counts, check_reports
from geo.cumulative import to_daily
from geo.dates import WIB, Window, parse_dates, parse_timestamps
from geo.errors import InputFileError
from geo.readers import RawTable, read_input
from geo.values import first_positions as _first_positions
from geo.values import text as _text

QUARANTINE_COLUMNS = ["file", "row", "column", "check", "value", "reason"]
#: Indonesia's extent, used to recognise swapped coordinates.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)

CASE_COLUMNS = (Col.CASE_ID, Col.REPORTED_DATE)
#: A cases file with a count column needs no ``case_id`` (published counts have no ids).
CASE_WAIVED: dict[str, str] = {Col.CASE_ID: Col.COUNT}
CHECKIN_COLUMNS = (Col.CHECKIN_ID, Col.VENUE_ID, Col.CHECKED_IN_AT)
VENUE_COLUMNS = (Col.VENUE_ID, Col.NAME, Col.CATEGORY, Col.LAT, Col.LON)


@dataclass
class Checked:
    """The outcome of validating one file."""

    accepted: pd.DataFrame
    quarantine: pd.DataFrame
    read: int
    sha256: str
    #: How the file was read (see :class:`geo.readers.RawTable`), for the manifest.
    reading: dict[str, str] = field(default_factory=dict)
    #: Columns read under another name (``{"as written": "field"}``), for the manifest.
    renamed: dict[str, str] = field(default_factory=dict)
    #: The edition of a cases file's region codes (:mod:`geo.editions`), for the manifest.
    codes: dict[str, object] | None = None
    #: A cumulative file's conversion (:mod:`geo.cumulative`): its summary and corrections.
    cumulative: dict[str, int] | None = None
    corrections: pd.DataFrame | None = None
    #: The accepted rows of the file when ``accepted`` holds other rows (the days of a
    #: cumulative series); by default ``len(accepted)``.
    rows_accepted: int | None = None

    def __post_init__(self) -> None:
        # kept when the rows are released after use
        self._accepted = len(self.accepted) if self.rows_accepted is None else self.rows_accepted

    @property
    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "accepted": self._accepted,
            "quarantined": len(self.quarantine),
        }


class _Rows:
    """Tracks which rows are still alive and collects quarantine entries."""

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.alive = np.ones(len(raw.frame), dtype=bool)
        self.edition: editions.Decision | None = None
        self.parts: list[pd.DataFrame] = []
        if raw.malformed:
            self.parts.append(
                pd.DataFrame(
                    {
                        "file": raw.name,
                        "row": [n for n, _ in raw.malformed],
                        "column": "",
                        "check": "malformed_row",
                        "value": [t[:200] for (t,) in ((t,) for _, t in raw.malformed)],
                        "reason": "the row does not have the same number of fields as the header",
                    }
                )
            )

    def reject(self, mask: np.ndarray, column: str, check: str, reason: object) -> None:
        """Quarantine rows where ``mask`` holds and that are still alive."""
        hit = np.asarray(mask, dtype=bool) & self.alive
        if not hit.any():
            return
        idx = np.flatnonzero(hit)
        values = self.raw.frame[column].iloc[idx] if column in self.raw.frame else ""
        reasons = reason[idx] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame(
                {
                    "file": self.raw.name,
                    "row": self.raw.rows.iloc[idx].to_numpy(),
                    "column": column,
                    "check": check,
                    "value": pd.Series(values).astype(str).to_numpy(),
                    "reason": reasons,
                }
            )
        )
        self.alive &= ~hit

    def quarantine(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in QUARANTINE_COLUMNS})
        table = pd.concat(self.parts, ignore_index=True)
        return table.sort_values("row", kind="stable").reset_index(drop=True)


def _check_ids(
    rows: _Rows, column: str, *, required: bool = True, unique: bool = True
) -> pd.Series:
    """The ids as text; missing ones quarantined when ``required``, repeated ones (after the
    first) when ``unique`` (:mod:`geo.ingest` finds repeats across batches itself)."""
    ids = _text(rows.raw.frame, column)
    if required:
        rows.reject((ids == "").to_numpy(), column, "missing", f"{column} is missing")
    if not unique:
        return ids
    first = _first_positions(ids)
    dup = (first != np.arange(len(ids))) & (ids != "").to_numpy()
    if dup.any():
        where = np.flatnonzero(dup)
        first_row = rows.raw.rows.to_numpy()[first[where]]
        reasons = np.empty(len(ids), dtype=object)
        reasons[where] = [f"duplicate {column} (first at row {r})" for r in first_row]
        rows.reject(dup, column, "duplicate", reasons)
    return ids


def _today() -> dt.date:
    return dt.datetime.now(WIB).date()


def plausible(dates: InputWindow | None = None, *, today: dt.date | None = None) -> Window:
    """The window of plausible dates: the configured one, never after today (WIB).

    Parameters
    ----------
    dates
        The configuration's ``[input]`` table (default: its defaults).
    today
        Today's date (default: today in WIB).
    """
    dates = dates or InputWindow()
    today = today or _today()
    if dates.latest_date is not None and dates.latest_date < today:
        return Window(dates.earliest_date, dates.latest_date, latest_is_today=False)
    return Window(dates.earliest_date, today)


def _check_window(rows: _Rows, column: str, day: pd.Series, window: Window) -> None:
    """Quarantine rows whose (WIB) day is outside the window."""
    early = (day < pd.Timestamp(window.earliest)).to_numpy()
    rows.reject(early, column, "too_early", window.too_early(column))
    late = (day > pd.Timestamp(window.latest)).to_numpy()
    rows.reject(late, column, "future", window.future(column))


def _check_date(rows: _Rows, column: str, window: Window) -> pd.Series:
    """Parse strict ISO dates (a time of day after the date is allowed and ignored)."""
    text = _text(rows.raw.frame, column)
    rows.reject((text == "").to_numpy(), column, "missing", f"{column} is missing")
    parsed = parse_dates(text)
    rows.reject(
        parsed.isna().to_numpy(), column, "unparseable", f"{column} is not a date (YYYY-MM-DD)"
    )
    _check_window(rows, column, parsed, window)
    return parsed


def _check_timestamp(rows: _Rows, column: str, window: Window) -> pd.Series:
    """Parse ISO timestamps to UTC; naive times are WIB (UTC+7)."""
    raw = rows.raw.frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        if getattr(raw.dt, "tz", None) is not None:
            utc = raw.dt.tz_convert("UTC").dt.tz_localize(None)
        else:
            utc = raw - pd.Timedelta(hours=7)
        utc = utc.dt.as_unit("us")
    else:
        text = _text(rows.raw.frame, column)
        rows.reject((text == "").to_numpy(), column, "missing", f"{column} is missing")
        utc = pd.Series(parse_timestamps(text), index=text.index)
    rows.reject(
        utc.isna().to_numpy(), column, "unparseable", f"{column} is not an ISO date and time"
    )
    _check_window(rows, column, (utc + pd.Timedelta(hours=7)).dt.floor("D"), window)
    return utc


def _check_point(rows: _Rows, lat_text: pd.Series, lon_text: pd.Series, use: np.ndarray):
    """Validate coordinates of rows in ``use``; returns lat, lon and the polygon of each row."""
    frame = rows.raw.frame
    lat = pd.to_numeric(frame[Col.LAT], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame[Col.LON], errors="coerce").to_numpy(dtype=float)
    for column, text, values in ((Col.LAT, lat_text, lat), (Col.LON, lon_text, lon)):
        rows.reject(use & (text == "").to_numpy(), column, "missing", f"{column} is missing")
        rows.reject(use & np.isnan(values), column, "unparseable", f"{column} is not a number")
    swapped = (
        (lat >= LON_RANGE[0])
        & (lat <= LON_RANGE[1])
        & (lon >= LAT_RANGE[0])
        & (lon <= LAT_RANGE[1])
    )
    rows.reject(
        use & swapped, Col.LAT, "swapped", "latitude and longitude look swapped? (lat is ~95..141)"
    )
    rows.reject(use & (np.abs(lat) > 90), Col.LAT, "out_of_range", "lat is outside -90..90")
    rows.reject(use & (np.abs(lon) > 180), Col.LON, "out_of_range", "lon is outside -180..180")
    rows.reject(
        use & (lat == 0) & (lon == 0), Col.LAT, "null_island", "lat/lon is 0,0 (null island)"
    )
    poly = np.full(len(frame), -1, dtype=np.int64)
    todo = np.flatnonzero(use & rows.alive)
    if todo.size:
        coords = pd.DataFrame({"lat": lat[todo], "lon": lon[todo]})
        uniq = coords.drop_duplicates()
        located = pd.Series(regions.locate_points(uniq["lat"].to_numpy(), uniq["lon"].to_numpy()))
        located.index = pd.MultiIndex.from_frame(uniq)
        poly[todo] = located.reindex(pd.MultiIndex.from_frame(coords)).to_numpy()
    rows.reject(
        use & (poly < 0), Col.LAT, "outside_indonesia", "the point is outside Indonesia's regions"
    )
    return lat, lon, poly


def _require_location(raw: RawTable) -> None:
    """Refuse a cases file without the columns of any location (every row would be refused)."""
    columns = set(raw.frame.columns)
    has_point = {Col.LAT, Col.LON} <= columns
    if has_point or Col.REGION_CODE in columns:
        return
    if {Col.LAT, Col.LON} & columns:
        present, absent = (Col.LAT, Col.LON) if Col.LAT in columns else (Col.LON, Col.LAT)
        msg = (
            f"{raw.name} has a '{present}' column but no '{absent}' column; cases need lat "
            "and lon, or region_code."
        )
    else:
        msg = f"{raw.name} has no location columns; cases need lat and lon, or region_code."
    raise InputFileError(msg)


def case_aliases(*, cumulative: bool = False) -> dict[str, tuple[str, ...]]:
    """The other names of a cases file's columns (:data:`geo.columns.CASE_ALIASES`); with
    ``cumulative`` the count field is a running total (``total_cases``, ``cumulative_cases``)."""
    return CUMULATIVE_ALIASES if cumulative else CASE_ALIASES


def read_cases(path: str | Path, *, cumulative: bool = False) -> RawTable:
    """Read a cases file under its fields' names (:func:`case_aliases`); a file of counts needs
    no ``case_id``. Refused whole as :func:`geo.readers.read_input` says."""
    aliases = case_aliases(cumulative=cumulative)
    return read_input(path, CASE_COLUMNS, label="cases", aliases=aliases, waived=CASE_WAIVED)


def _check_case_ids(rows: _Rows) -> pd.Series:
    """Case ids: required and unique in a file of one row per case; in a file of counts
    optional (unique where given)."""
    if Col.COUNT not in rows.raw.frame:
        return _check_ids(rows, Col.CASE_ID)
    ids = _check_ids(rows, Col.CASE_ID, required=False)
    return ids.where(ids != "", None)


def _keep(values: pd.Series, keep: np.ndarray) -> pd.Series:
    if keep.all():  # nothing quarantined: no copy
        return values.reset_index(drop=True)
    return values[keep].reset_index(drop=True)


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    text = _text(frame, column)
    return text.where(text != "", None)


def validate_cases(
    raw: RawTable,
    *,
    today: dt.date | None = None,
    window: Window | None = None,
    codes: str | None = "2025",
) -> Checked:
    """Validate case reports: id, reported date, a point or a region code, and a count.

    A file with a ``count`` column holds counts per place and day (a whole number, 0 included:
    a reported zero is a report), needs no ``case_id``, and has one row per place and day;
    without it each row is one case (``count`` 1 in the accepted rows).
    ``window``: the plausible dates (default: :func:`plausible` of ``today``). ``codes``: the
    edition of the region codes, ``"2020"``, ``"2025"`` or ``None`` to detect it
    (:mod:`geo.editions`); the accepted rows keep the file's codes and ``Checked.codes`` says
    the edition (:func:`geo.editions.to_2025` translates 2020 codes).
    """
    window = window or plausible(today=today)
    _require_location(raw)
    rows = _Rows(raw)
    frame = raw.frame
    count = check_counts(rows)
    ids = _check_case_ids(rows)
    date = _check_date(rows, Col.REPORTED_DATE, window)
    lat_text, lon_text = _text(frame, Col.LAT), _text(frame, Col.LON)
    code = _text(frame, Col.REGION_CODE)
    has_point = ((lat_text != "") | (lon_text != "")).to_numpy()
    no_location = ~has_point & (code == "").to_numpy()
    rows.reject(
        no_location, Col.REGION_CODE, "missing", "no location: give lat and lon, or region_code"
    )
    coded = ~has_point & (code != "").to_numpy()
    editions.check_codes(rows, code, coded, date, codes)
    if Col.LAT in frame and Col.LON in frame:
        lat, lon, poly = _check_point(rows, lat_text, lon_text, has_point)
    else:
        lat = lon = np.full(len(frame), np.nan)
        poly = np.full(len(frame), -1)
    check_reports(rows, code, lat_text + "," + lon_text, has_point, date)
    keep = rows.alive
    accepted = pd.DataFrame(
        {
            Col.CASE_ID: _keep(ids, keep),
            "date": _keep(date, keep),
            Col.LAT: np.where(has_point, lat, np.nan)[keep],
            Col.LON: np.where(has_point, lon, np.nan)[keep],
            "poly": poly[keep],
            Col.REGION_CODE: _keep(code.where(coded), keep),
            Col.PERSON_ID: _keep(_optional(frame, Col.PERSON_ID), keep),
            Col.COUNT: count[keep],
        }
    )
    edition = rows.edition.summary() if rows.edition else None
    quarantine = rows.quarantine()
    return Checked(accepted, quarantine, raw.read, raw.sha256, raw.reading, raw.renamed, edition)


def daily_of_cumulative(checked: Checked) -> Checked:
    """A validated cumulative cases file as new cases per day (:func:`geo.cumulative.to_daily`):
    its read, accepted and quarantined rows stay those of the file."""
    conversion = to_daily(checked.accepted)
    return replace(
        checked,
        accepted=conversion.daily,
        cumulative=conversion.summary,
        corrections=conversion.corrections,
        rows_accepted=checked.counts["accepted"],  # rows of the file, not days of the series
    )


def validate_venues(raw: RawTable) -> Checked:
    """Validate venues: id, name, category and a point inside Indonesia."""
    rows = _Rows(raw)
    frame = raw.frame
    ids = _check_ids(rows, Col.VENUE_ID)
    lat, lon, poly = _check_point(
        rows, _text(frame, Col.LAT), _text(frame, Col.LON), np.ones(len(frame), bool)
    )
    keep = rows.alive
    accepted = pd.DataFrame(
        {
            Col.VENUE_ID: _keep(ids, keep),
            Col.NAME: _keep(_text(frame, Col.NAME), keep),
            Col.CATEGORY: _keep(_text(frame, Col.CATEGORY).replace("", "unknown"), keep),
            Col.LAT: lat[keep],
            Col.LON: lon[keep],
            "poly": poly[keep],
        }
    )
    return Checked(accepted, rows.quarantine(), raw.read, raw.sha256, raw.reading)


def validate_checkins(
    raw: RawTable,
    venues: pd.DataFrame,
    *,
    today: dt.date | None = None,
    window: Window | None = None,
) -> Checked:
    """Validate check-ins: id, a known (accepted) venue and a timestamp in ``window``."""
    window = window or plausible(today=today)
    rows = _Rows(raw)
    check_checkin_count(rows)
    _check_ids(rows, Col.CHECKIN_ID)  # unique by now; downstream a check-in is its row
    accepted, _ = checkin_rows(rows, venue_array(venues), window)
    return Checked(accepted, rows.quarantine(), raw.read, raw.sha256, raw.reading)


def venue_array(venues: pd.DataFrame) -> pa.Array:
    """The accepted venues' ids, as :func:`checkin_rows` looks check-ins' venues up in them."""
    return pa.array(venues[Col.VENUE_ID].array).cast(pa.string())


def checkin_rows(
    rows: _Rows, venue_ids: pa.Array, window: Window
) -> tuple[pd.DataFrame, np.ndarray]:
    """The checks of a check-in after its id's (a known venue, a timestamp in ``window``): the
    accepted rows (``venue_id, ts_utc, person_id, date``) and their venues' positions in
    ``venue_ids``."""
    frame = rows.raw.frame
    venue = _text(frame, Col.VENUE_ID)
    rows.reject((venue == "").to_numpy(), Col.VENUE_ID, "missing", "venue_id is missing")
    # hashed in Arrow: at a million rows 20 times faster than a pandas index
    found = pc.index_in(pa.array(venue.array).cast(pa.string()), value_set=venue_ids)
    position = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
    rows.reject(
        position < 0,
        Col.VENUE_ID,
        "unknown_venue",
        "check-in at a venue that is not among the accepted venues",
    )
    utc = _check_timestamp(rows, Col.CHECKED_IN_AT, window)
    keep = rows.alive
    accepted = pd.DataFrame(
        {
            Col.VENUE_ID: _keep(venue, keep),
            "ts_utc": utc[keep].to_numpy(dtype="datetime64[s]"),
            Col.PERSON_ID: _keep(_optional(frame, Col.PERSON_ID), keep),
        }
    )
    accepted["date"] = (accepted["ts_utc"] + pd.Timedelta(hours=7)).dt.floor("D")
    return accepted, position[keep]
