"""Validate input rows: each row is accepted or quarantined with a reason.

Checks run in order and a row is quarantined for the first problem found, with the column, the
check and the offending value, so that one pass over ``quarantine.csv`` fixes the file. For every
file, accepted + quarantined = read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import reference, regions
from geo.columns import CASE_ALIASES, CUMULATIVE_ALIASES, Col
from geo.config import InputWindow
from geo.dates import WIB, Window, parse_dates, parse_timestamps
from geo.errors import InputFileError
from geo.readers import RawTable, read_input

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

    def __post_init__(self) -> None:
        self._accepted = len(self.accepted)  # kept when the rows are released after use

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


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text ("" for missing), kept in Arrow-backed strings."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="str")
    values = frame[column]
    values = values.astype("str")
    if values.isna().any():
        values = values.fillna("")
    # In Arrow: trim, and keep the original (no copy) when nothing had surrounding white space.
    array = pa.array(values.array)
    trimmed = pc.utf8_trim_whitespace(array)
    if pc.all(pc.equal(array, trimmed)).as_py() is False:
        values = pd.Series(pd.array(trimmed, dtype="str"), index=values.index)
    return values


def _first_positions(ids: pd.Series) -> np.ndarray:
    """For each row, the position of the first row with the same id.

    Sorted in Arrow rather than hashed in pandas: at 10 M ids this needs a third of the memory.
    """
    array = pa.array(ids.array)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if len(array) == 0:  # a file with a header and no rows
        return np.empty(0, dtype=np.int64)
    order = pc.array_sort_indices(array).to_numpy(zero_copy_only=False)
    ordered = array.take(pa.array(order))
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
    new_group = np.r_[True, ~pc.fill_null(same, False).to_numpy(zero_copy_only=False)]
    starts = np.flatnonzero(new_group)
    first_in_group = np.minimum.reduceat(order, starts) if len(order) else order
    group = np.cumsum(new_group) - 1
    first = np.empty(len(order), dtype=np.int64)
    first[order] = first_in_group[group]
    return first


def _check_ids(rows: _Rows, column: str, *, required: bool = True) -> pd.Series:
    ids = _text(rows.raw.frame, column)
    if required:
        rows.reject((ids == "").to_numpy(), column, "missing", f"{column} is missing")
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


#: The largest count of one row: more cases than Indonesia has people is a typing error.
MAX_COUNT = 1_000_000_000
#: Check-ins have no count column: one row per check-in (a count there is never counted once).
CHECKIN_COUNT_REASON = "check-ins have no count column: one row per check-in"
_DIGITS = r"^[0-9]+$"


def _check_counts(rows: _Rows) -> np.ndarray:
    """Each row's number of cases: its ``count`` (a whole number 0..:data:`MAX_COUNT`), or 1
    when the file has no count column; rows with another count are quarantined."""
    frame = rows.raw.frame
    if Col.COUNT not in frame:
        return np.ones(len(frame), dtype=np.int64)
    raw, text = frame[Col.COUNT], _text(frame, Col.COUNT)
    typed = pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw)
    values = pd.to_numeric(raw if typed else text, errors="coerce").to_numpy(dtype=float)
    column = Col.COUNT
    rows.reject((text == "").to_numpy(), column, "missing", f"{column} is missing")
    rows.reject(np.isnan(values), column, "unparseable", f"{column} is not a number")
    rows.reject(values < 0, column, "negative", f"{column} is negative")
    written = np.ones(len(frame), bool) if typed else text.str.match(_DIGITS).to_numpy(bool)
    whole = np.isfinite(values) & (np.floor(values) == values) & written
    rows.reject(~whole, column, "not_whole", f"{column} is not a whole number (digits only)")
    big = ~(values <= MAX_COUNT)
    rows.reject(big, column, "out_of_range", f"{column} is outside 0..{MAX_COUNT}")
    return np.where(rows.alive, values, 0).astype(np.int64)


def _check_checkin_count(rows: _Rows) -> None:
    """Quarantine check-ins whose ``count`` is not 1, rather than count them once silently."""
    if Col.COUNT not in rows.raw.frame:
        return
    values = pd.to_numeric(_text(rows.raw.frame, Col.COUNT), errors="coerce")
    rows.reject((values != 1).to_numpy(), Col.COUNT, "unsupported_count", CHECKIN_COUNT_REASON)


def _check_case_ids(rows: _Rows) -> pd.Series:
    """Case ids: required and unique in a file of one row per case; in a file of counts
    optional (unique where given)."""
    if Col.COUNT not in rows.raw.frame:
        return _check_ids(rows, Col.CASE_ID)
    ids = _check_ids(rows, Col.CASE_ID, required=False)
    return ids.where(ids != "", None)


def _check_reports(
    rows: _Rows, code: pd.Series, point: pd.Series, has_point: np.ndarray, date: pd.Series
) -> None:
    """In a file of counts, one row per place and day: the same region (or point) and date
    again is quarantined as ``duplicate``, naming both (the first row is kept)."""
    if Col.COUNT not in rows.raw.frame:
        return
    alive = np.flatnonzero(rows.alive)
    place = np.where(
        has_point, "point " + point.to_numpy(dtype=object), "region " + code.to_numpy(dtype=object)
    )[alive]
    day = date.iloc[alive].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    first = _first_positions(pd.Series(place + " on " + day, dtype="str"))
    dup = np.zeros(len(code), dtype=bool)
    dup[alive] = first != np.arange(len(alive))
    first_all = np.zeros(len(code), dtype=np.int64)
    first_all[alive] = alive[first]
    said = np.empty(len(code), dtype=object)
    said[alive] = place + " on " + day
    for column, mask in ((Col.REGION_CODE, ~has_point), (Col.LAT, has_point)):
        hit = dup & mask
        if hit.any():
            where = np.flatnonzero(hit)
            first_row = rows.raw.rows.to_numpy()[first_all[where]]
            reasons = np.empty(len(code), dtype=object)
            reasons[where] = [
                f"duplicate report of {s} (first at row {r})"
                for s, r in zip(said[where], first_row, strict=True)
            ]
            rows.reject(hit, column, "duplicate", reasons)


def _keep(values: pd.Series, keep: np.ndarray) -> pd.Series:
    if keep.all():  # nothing quarantined: no copy
        return values.reset_index(drop=True)
    return values[keep].reset_index(drop=True)


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    text = _text(frame, column)
    return text.where(text != "", None)


def validate_cases(
    raw: RawTable, *, today: dt.date | None = None, window: Window | None = None
) -> Checked:
    """Validate case reports: id, reported date, a point or a region code, and a count.

    A file with a ``count`` column holds counts per place and day (a whole number, 0 included:
    a reported zero is a report), needs no ``case_id``, and has one row per place and day;
    without it each row is one case (``count`` 1 in the accepted rows).
    ``window``: the plausible dates (default: :func:`plausible` of ``today``).
    """
    window = window or plausible(today=today)
    _require_location(raw)
    rows = _Rows(raw)
    frame = raw.frame
    count = _check_counts(rows)
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
    unknown = coded & ~code.isin(reference.regions().index).to_numpy()
    rows.reject(unknown, Col.REGION_CODE, "unknown_region", "unknown region code (Kemendagri 2025)")
    if Col.LAT in frame and Col.LON in frame:
        lat, lon, poly = _check_point(rows, lat_text, lon_text, has_point)
    else:
        lat = lon = np.full(len(frame), np.nan)
        poly = np.full(len(frame), -1)
    _check_reports(rows, code, lat_text + "," + lon_text, has_point, date)
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
    return Checked(accepted, rows.quarantine(), raw.read, raw.sha256, raw.reading, raw.renamed)


def case_counts(cases: pd.DataFrame) -> np.ndarray:
    """The number of cases of each accepted row (1 in rows stored before counts existed)."""
    if Col.COUNT in cases:
        return cases[Col.COUNT].fillna(1).to_numpy(dtype=np.int64)
    return np.ones(len(cases), dtype=np.int64)


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
    frame = raw.frame
    _check_checkin_count(rows)
    ids = _check_ids(rows, Col.CHECKIN_ID)
    venue = _text(frame, Col.VENUE_ID)
    rows.reject((venue == "").to_numpy(), Col.VENUE_ID, "missing", "venue_id is missing")
    unknown = ~venue.isin(venues[Col.VENUE_ID]).to_numpy()
    rows.reject(
        unknown,
        Col.VENUE_ID,
        "unknown_venue",
        "check-in at a venue that is not among the accepted venues",
    )
    utc = _check_timestamp(rows, Col.CHECKED_IN_AT, window)
    keep = rows.alive
    del ids  # unique by now; downstream a check-in is its row
    accepted = pd.DataFrame(
        {
            Col.VENUE_ID: _keep(venue, keep),
            "ts_utc": utc[keep].to_numpy(dtype="datetime64[s]"),
            Col.PERSON_ID: _keep(_optional(frame, Col.PERSON_ID), keep),
        }
    )
    accepted["date"] = (accepted["ts_utc"] + pd.Timedelta(hours=7)).dt.floor("D")
    return Checked(accepted, rows.quarantine(), raw.read, raw.sha256, raw.reading)
