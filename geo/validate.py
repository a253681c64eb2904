"""Validate input rows: each row is accepted or quarantined with a reason.

Each kind of file has its rules (:mod:`geo.rules`), run in order: a row is quarantined for the
first problem found, with the column, the check and the offending value, so that one pass over
``quarantine.csv`` fixes the file. For every file, accepted + quarantined = read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import editions, rules
from geo.columns import CASE_ALIASES, CUMULATIVE_ALIASES, Col
from geo.config import InputWindow
from geo.counts import checkin_count_rules, count_rules, counts, report_rules
from geo.cumulative import to_daily
from geo.dates import WIB, Window, parse_dates, parse_timestamps
from geo.errors import InputFileError
from geo.point_rules import coordinates, point_rules, polygons
from geo.readers import RawTable, read_input
from geo.rules import QUARANTINE_COLUMNS as QUARANTINE_COLUMNS  # the quarantine's columns
from geo.rules import Rule, Run, missing, run_rules
from geo.values import text as _text

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


def _window_rules(column: str, day: Callable[[Run], pd.Series], window: Window) -> list[Rule]:
    """Rows whose (WIB) ``day`` is outside the window."""
    return [
        Rule(
            "too_early",
            column,
            lambda run: (day(run) < pd.Timestamp(window.earliest)).to_numpy(),
            window.too_early(column),
            ("too_early",),
        ),
        Rule(
            "future",
            column,
            lambda run: (day(run) > pd.Timestamp(window.latest)).to_numpy(),
            window.future(column),
            ("future_today", "future"),
        ),
    ]


def _date(column: str) -> Callable[[Run], pd.Series]:
    """The run's dates of ``column``: strict ISO (a time of day after the date is ignored)."""
    return lambda run: run.fact(f"date:{column}", lambda: parse_dates(run.text(column)))


def _date_rules(column: str, window: Window) -> list[Rule]:
    date = _date(column)
    unparseable = f"{column} is not a date (YYYY-MM-DD)"
    return [
        missing(column),
        Rule(
            "unparseable",
            column,
            lambda run: date(run).isna().to_numpy(),
            unparseable,
            ("not_date",),
        ),
        *_window_rules(column, date, window),
    ]


def _utc(column: str) -> Callable[[Run], pd.Series]:
    """The run's ISO timestamps of ``column`` in UTC; naive times are WIB (UTC+7)."""

    def parse(run: Run) -> pd.Series:
        raw = run.raw.frame[column]
        if not pd.api.types.is_datetime64_any_dtype(raw):
            text = run.text(column)
            return pd.Series(parse_timestamps(text), index=text.index)
        if getattr(raw.dt, "tz", None) is not None:
            utc = raw.dt.tz_convert("UTC").dt.tz_localize(None)
        else:
            utc = raw - pd.Timedelta(hours=7)
        return utc.dt.as_unit("us")

    return lambda run: run.fact(f"utc:{column}", lambda: parse(run))


def _timestamp_rules(column: str, typed: bool, window: Window) -> list[Rule]:
    utc = _utc(column)

    def day(run: Run) -> pd.Series:
        return run.fact(f"day:{column}", lambda: (utc(run) + pd.Timedelta(hours=7)).dt.floor("D"))

    unparseable = f"{column} is not an ISO date and time"
    return [
        *([] if typed else [missing(column)]),
        Rule(
            "unparseable",
            column,
            lambda run: utc(run).isna().to_numpy(),
            unparseable,
            ("not_timestamp",),
        ),
        *_window_rules(column, day, window),
    ]


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


def _case_id_rules(columns: pd.Index) -> list[Rule]:
    """Case ids: required and unique in a file of one row per case; in a file of counts
    optional (unique where given)."""
    return rules.ids(Col.CASE_ID, required=Col.COUNT not in columns)


def _optional(run: Run, column: str) -> pd.Series:
    text = run.text(column)
    return text.where(text != "", None)


NO_LOCATION = "no location: give lat and lon, or region_code"


def case_rules(raw: RawTable, window: Window, codes: str | None) -> list[Rule]:
    """The rules of a cases file, in their order."""
    frame = raw.frame
    lat_text, lon_text = _text(frame, Col.LAT), _text(frame, Col.LON)
    code = _text(frame, Col.REGION_CODE)
    has_point = ((lat_text != "") | (lon_text != "")).to_numpy()
    coded = ~has_point & (code != "").to_numpy()
    date = _date(Col.REPORTED_DATE)
    no_location = Rule(
        "missing", Col.REGION_CODE, lambda run: ~has_point & ~coded, NO_LOCATION, ("no_location",)
    )
    located = Col.LAT in frame and Col.LON in frame
    place = np.where(
        has_point,
        "point " + (lat_text + "," + lon_text).to_numpy(dtype=object),
        "region " + code.to_numpy(dtype=object),
    )
    return [
        *count_rules(frame.columns),
        *_case_id_rules(frame.columns),
        *_date_rules(Col.REPORTED_DATE, window),
        no_location,
        *editions.edition_rules(code, coded, date, codes),
        *(point_rules(has_point) if located else []),
        *(report_rules(has_point, place, date) if Col.COUNT in frame else []),
    ]


def validate_cases(
    raw: RawTable,
    *,
    today: dt.date | None = None,
    window: Window | None = None,
    codes: str | None = "2025",
    more: Sequence[Rule] = (),
) -> Checked:
    """Validate case reports: id, reported date, a point or a region code, and a count.

    A file with a ``count`` column holds counts per place and day (a whole number, 0 included:
    a reported zero is a report), needs no ``case_id``, and has one row per place and day;
    without it each row is one case (``count`` 1 in the accepted rows).
    ``window``: the plausible dates (default: :func:`plausible` of ``today``). ``codes``: the
    edition of the region codes, ``"2020"``, ``"2025"`` or ``None`` to detect it
    (:mod:`geo.editions`); the accepted rows keep the file's codes and ``Checked.codes`` says
    the edition (:func:`geo.editions.to_2025` translates 2020 codes). ``more``: rules run
    after the file's own (:func:`geo.upload_checks.store_rules`).
    """
    window = window or plausible(today=today)
    _require_location(raw)
    run = run_rules(raw, [*case_rules(raw, window, codes), *more])
    keep = run.alive
    ids = run.text(Col.CASE_ID)
    if Col.COUNT in raw.frame:
        ids = ids.where(ids != "", None)
    has_point = ((run.text(Col.LAT) != "") | (run.text(Col.LON) != "")).to_numpy()
    code = run.text(Col.REGION_CODE)
    lat, lon = coordinates(run)
    accepted = pd.DataFrame(
        {
            Col.CASE_ID: run.keep(ids),
            "date": run.keep(_date(Col.REPORTED_DATE)(run)),
            Col.LAT: np.where(has_point, lat, np.nan)[keep],
            Col.LON: np.where(has_point, lon, np.nan)[keep],
            "poly": polygons(run)[keep],
            Col.REGION_CODE: run.keep(code.where(~has_point & (code != ""))),
            Col.PERSON_ID: run.keep(_optional(run, Col.PERSON_ID)),
            Col.COUNT: counts(run)[keep],
        }
    )
    decision = editions.decided(run)
    edition = decision.summary() if decision else None
    quarantine = run.quarantine()
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


def venue_rules(raw: RawTable) -> list[Rule]:
    """The rules of a venues file, in their order."""
    return [*rules.ids(Col.VENUE_ID), *point_rules(np.ones(len(raw.frame), bool))]


def validate_venues(raw: RawTable, *, more: Sequence[Rule] = ()) -> Checked:
    """Validate venues: id, name, category and a point inside Indonesia; ``more``: rules run
    after these (:func:`geo.upload_checks.store_rules`)."""
    run = run_rules(raw, [*venue_rules(raw), *more])
    keep = run.alive
    lat, lon = coordinates(run)
    accepted = pd.DataFrame(
        {
            Col.VENUE_ID: run.keep(run.text(Col.VENUE_ID)),
            Col.NAME: run.keep(run.text(Col.NAME)),
            Col.CATEGORY: run.keep(run.text(Col.CATEGORY).replace("", "unknown")),
            Col.LAT: lat[keep],
            Col.LON: lon[keep],
            "poly": polygons(run)[keep],
        }
    )
    return Checked(accepted, run.quarantine(), raw.read, raw.sha256, raw.reading)


UNKNOWN_VENUE = "check-in at a venue that is not among the accepted venues"
#: The :meth:`geo.rules.Run.fact` of each check-in's venue's position among the accepted venues
#: (-1: unknown), which :mod:`geo.ingest` reads back for the rows it stages.
VENUE_POSITION = "position:venue_id"


def venue_array(venues: pd.DataFrame) -> pa.Array:
    """The accepted venues' ids, as :func:`checkin_row_rules` looks check-ins' venues up."""
    return pa.array(venues[Col.VENUE_ID].array).cast(pa.string())


def venue_positions(run: Run, venue_ids: pa.Array) -> np.ndarray:
    """Each row's venue's position in ``venue_ids`` (-1 where unknown), found once per run."""

    def find() -> np.ndarray:
        # hashed in Arrow: at a million rows 20 times faster than a pandas index
        venue = pa.array(run.text(Col.VENUE_ID).array).cast(pa.string())
        found = pc.index_in(venue, value_set=venue_ids)
        return pc.fill_null(found, -1).to_numpy(zero_copy_only=False)

    return run.fact(VENUE_POSITION, find)


def checkin_id_rules(columns: pd.Index, *, unique: bool = True) -> list[Rule]:
    """The first rules of a check-ins file: its ``count`` (when given) and its ids, required
    and, with ``unique``, not repeated (:mod:`geo.ingest` finds repeats across batches itself)."""
    id_rules = rules.ids(Col.CHECKIN_ID) if unique else [rules.missing(Col.CHECKIN_ID)]
    return [*checkin_count_rules(columns), *id_rules]


def checkin_row_rules(venue_ids: pa.Array, window: Window, *, typed: bool) -> list[Rule]:
    """The rules of a check-in after its id's: a known venue (one of ``venue_ids``, see
    :func:`venue_array`) and a timestamp in ``window`` (``typed``: the file's column is a
    timestamp already, as in Parquet)."""

    def unknown(run: Run) -> np.ndarray:
        return venue_positions(run, venue_ids) < 0

    return [
        rules.missing(Col.VENUE_ID),
        Rule("unknown_venue", Col.VENUE_ID, unknown, UNKNOWN_VENUE, ("unknown_venue",)),
        *_timestamp_rules(Col.CHECKED_IN_AT, typed, window),
    ]


def _typed(raw: RawTable) -> bool:
    return pd.api.types.is_datetime64_any_dtype(raw.frame[Col.CHECKED_IN_AT])


def checkin_rules(raw: RawTable, venues: pd.DataFrame, window: Window) -> list[Rule]:
    """The rules of a check-ins file, in their order."""
    return [
        *checkin_id_rules(raw.frame.columns),
        *checkin_row_rules(venue_array(venues), window, typed=_typed(raw)),
    ]


def accepted_checkins(run: Run, *, ids: bool = False) -> pd.DataFrame:
    """The accepted check-ins of a run (``venue_id, ts_utc, person_id, date``; with ``ids``
    ``checkin_id`` first)."""
    utc = _utc(Col.CHECKED_IN_AT)(run)
    accepted = pd.DataFrame(
        {
            Col.VENUE_ID: run.keep(run.text(Col.VENUE_ID)),
            "ts_utc": utc[run.alive].to_numpy(dtype="datetime64[s]"),
            Col.PERSON_ID: run.keep(_optional(run, Col.PERSON_ID)),
        }
    )
    accepted["date"] = (accepted["ts_utc"] + pd.Timedelta(hours=7)).dt.floor("D")
    if ids:
        # As the Arrow strings they are: a Python string per id, which pandas turns back into
        # Arrow strings, took 1.9-2.8 s for 8 M ids against 0.1 s (measured here, Dec 2026).
        accepted.insert(0, Col.CHECKIN_ID, run.keep(run.text(Col.CHECKIN_ID)).array)
    return accepted


def validate_checkins(
    raw: RawTable,
    venues: pd.DataFrame,
    *,
    today: dt.date | None = None,
    window: Window | None = None,
    more: Sequence[Rule] = (),
    ids: bool = False,
) -> Checked:
    """Validate check-ins: id, a known (accepted) venue and a timestamp in ``window``.

    ``more``: rules run after these (:func:`geo.upload_checks.store_rules`); ``ids``: keep
    the ``checkin_id`` column (by default dropped: downstream a check-in is its row)."""
    window = window or plausible(today=today)
    run = run_rules(raw, [*checkin_rules(raw, venues, window), *more])
    accepted = accepted_checkins(run, ids=ids)
    return Checked(accepted, run.quarantine(), raw.read, raw.sha256, raw.reading)
