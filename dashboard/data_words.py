"""The Data page's quarantine reasons and error sentences in the reader's language.

``geo`` writes each quarantined row's machine ``check`` (kept in English in ``quarantine.csv``)
and an English ``reason`` with the row's particulars; errors are English sentences. Here each
known sentence is matched by its check (or, for errors, by its shape) and rewritten from the
catalogue (``dashboard/i18n.py``, keys ``reason.*`` and ``error.*``) with the same particulars;
a sentence no pattern knows is shown as ``geo`` wrote it.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from dashboard.i18n import format_date, t
from geo.formats import number
from geo.vocab import LOAD_KIND_WORDS

_COL = r"(?P<column>[\w./-]+)"
_DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"

#: For each ``check`` of :mod:`geo.validate` and :mod:`geo.upload_checks`: its reasons' shapes.
REASONS: dict[str, tuple[tuple[str, str], ...]] = {
    "malformed_row": (
        (r"the row does not have the same number of fields as the header", "malformed_row"),
    ),
    "missing": (
        (r"no location: give lat and lon, or region_code", "no_location"),
        (rf"{_COL} is missing", "missing"),
    ),
    "duplicate": (
        (rf"duplicate {_COL} \(first at row (?P<row>\d+)\)", "duplicate"),
        (
            rf"duplicate report of region (?P<place>\S+) on {_DAY} \(first at row (?P<row>\d+)\)",
            "duplicate_region",
        ),
        (
            rf"duplicate report of point (?P<place>\S+) on {_DAY} \(first at row (?P<row>\d+)\)",
            "duplicate_point",
        ),
        (rf"duplicate {_COL} \(already loaded from (?P<earlier>.+)\)", "duplicate_loaded"),
    ),
    "too_early": ((rf"{_COL} is before {_DAY} \(input\.earliest_date\)", "too_early"),),
    "future": (
        (rf"{_COL} is after today \({_DAY}\)", "future_today"),
        (rf"{_COL} is after {_DAY} \(input\.latest_date\)", "future"),
    ),
    "unparseable": (
        (rf"{_COL} is not a date \(YYYY-MM-DD\)", "not_date"),
        (rf"{_COL} is not an ISO date and time", "not_timestamp"),
        (rf"{_COL} is not a number", "not_number"),
    ),
    "swapped": ((r"latitude and longitude look swapped\? \(lat is ~95\.\.141\)", "swapped"),),
    "out_of_range": ((rf"{_COL} is outside (?P<range>\S+)", "out_of_range"),),
    "null_island": ((r"lat/lon is 0,0 \(null island\)", "null_island"),),
    "outside_indonesia": ((r"the point is outside Indonesia's regions", "outside_indonesia"),),
    "unsupported_count": ((r"check-ins have no count column: one row per check-in", "count"),),
    "negative": ((rf"{_COL} is negative", "negative"),),
    "not_whole": ((rf"{_COL} is not a whole number \(digits only\)", "not_whole"),),
    "unknown_region": (
        (r"unknown region code \(Kemendagri 2025\)", "unknown_region"),
        (r"unknown region code \(Permendagri 72/2019, the 2020 edition\)", "unknown_region_2020"),
        (
            r"region code (?P<code>\S+) exists only in the 2020 edition \(Permendagri 72/2019\); "
            r"for a file in 2020 codes give --codes 2020",
            "only_2020",
        ),
        (
            r"region code (?P<code>\S+) exists only in the 2025 edition \(Kemendagri\); for a "
            r"file in 2025 codes give --codes 2025",
            "only_2025",
        ),
        (
            r"region code (?P<code>\S+) of the 2020 edition was split and its successors have "
            r"no population to apportion its cases by",
            "unplaced",
        ),
    ),
    "ambiguous_code": (
        (
            r"region code (?P<code>\S+) names different areas in the 2020 and 2025 editions and "
            rf"the file's dates span {_DAY}; give --codes 2020 or --codes 2025",
            "ambiguous_code",
        ),
    ),
    "unknown_venue": (
        (r"check-in at a venue that is not among the accepted venues", "unknown_venue"),
    ),
    "outside_region": (
        (r"the check-in's venue is outside your region (?P<where>.+)", "outside_checkin"),
        (
            r"the case is outside your region (?P<where>.+): region code (?P<code>\S+) of the "
            r"2020 edition is today's (?P<heirs>.+)",
            "outside_case_2020",
        ),
        (r"the case is outside your region (?P<where>.+)", "outside_case"),
        (r"the venue is outside your region (?P<where>.+)", "outside_venue"),
    ),
}

_NAME = r"(?P<name>.+?)"
_KIND = r"(?P<kind>cases|check-ins|venues)"
#: The error sentences a Data-page user can cause (uploads, reading files, rebuilding).
ERRORS: tuple[tuple[str, str], ...] = (
    (
        rf"{_NAME} is (?P<size>[\d.]+) MB, more than the (?P<max>[\d.]+) MB that can be "
        r"loaded at once \(server\.maxUploadSize\); split it by date\.",
        "too_big",
    ),
    (rf"{_NAME} looks like UTF-16 text without a byte-order mark; save it as UTF-8\.", "utf16"),
    (rf"{_NAME} is not a CSV text file \(it contains binary data\)\.", "binary"),
    (rf"{_NAME} is not UTF-8 text; save it as UTF-8 CSV\.", "not_utf8"),
    (rf"{_NAME} is not valid UTF-16 text; save it as UTF-8 CSV\.", "bad_utf16"),
    (rf"{_NAME} is empty: it needs a header line\.", "empty"),
    (
        rf"{_NAME} has the column (?P<listed>.+) more than once(?: in its header)?; keep one\.",
        "twice",
    ),
    (
        rf"{_NAME} has both '(?P<first>[^']+)' and '(?P<second>[^']+)', two names for the "
        r"column '(?P<field>[^']+)'; keep one \(or rename the other\)\.",
        "two_names",
    ),
    (
        rf"{_NAME} is declared in (?P<declared>\d+) codes \(--codes \d+\) but its region codes "
        r"make sense only in the (?P<other>\d+) edition \([^)]*\) \(e\.g\. (?P<codes>[^)]+)\); "
        r"give --codes \d+\.",
        "wrong_edition",
    ),
    (
        rf"{_NAME} mixes the two editions of region codes: (?P<old>.+) exist only in the 2020 "
        r"edition \(Permendagri 72/2019\), (?P<new>.+) only in the 2025 edition "
        r"\(Kemendagri\); give --codes 2020 or --codes 2025 \(codes of the other edition are "
        r"then quarantined\)\.",
        "mixed_editions",
    ),
    (rf"{_NAME} could not be read as CSV: (?P<detail>.+)\.", "bad_csv"),
    (rf"{_NAME} is not a valid Parquet file \((?P<detail>.+)\)\.", "bad_parquet"),
    (rf"{_NAME}: unknown file type (?P<suffix>.+); use \.csv or \.parquet\.", "file_type"),
    (
        rf"{_NAME} is missing the required column (?P<names>'[^']*') for {_KIND}\.",
        "missing_column",
    ),
    (
        rf"{_NAME} is missing the required columns (?P<names>.+) for {_KIND}\.",
        "missing_columns",
    ),
    (
        r"No input row was accepted, so there is nothing to build; the (?P<n>[\d,]+) "
        r"quarantined rows and why they were refused are in (?P<path>.+)\.",
        "nothing_accepted",
    ),
    (r"The inputs store (?P<path>.+) holds no cases yet: load a cases file first\.", "no_cases"),
)
_KINDS = {words: kind for kind, words in LOAD_KIND_WORDS.items()}  # "check-ins" -> checkins
QUARANTINE_HEADERS = ("file", "row", "column", "check", "value", "reason")


def _params(match: re.Match[str], lang: str) -> dict[str, str]:
    """The sentence's particulars, dates and figures written for ``lang``."""
    out = dict(match.groupdict())
    if "day" in out:
        out["day"] = format_date(dt.date.fromisoformat(out["day"]), lang)
    for key in ("size", "max"):
        if key in out:
            out[key] = number(float(out[key]), lang, 1).removesuffix(",0").removesuffix(".0")
    if "n" in out:
        out["n"] = number(int(out["n"].replace(",", "")), lang)
    if "row" in out:
        out["row"] = number(int(out["row"]), lang)
    if "kind" in out:
        out["kind"] = t(f"data.kind.{_KINDS[out['kind']]}", lang).lower()
    return out


def reason_text(check: str, reason: str, lang: str) -> str:
    """The quarantine ``reason`` of ``check`` in ``lang`` (as written when not recognised)."""
    for pattern, key in REASONS.get(check, ()):
        match = re.fullmatch(pattern, reason)
        if match:
            return t(f"reason.{key}", lang, **_params(match, lang))
    return reason


def error_text(message: str, lang: str) -> str:
    """An error sentence from ``geo`` in ``lang`` (as written when not recognised)."""
    for pattern, key in ERRORS:
        match = re.fullmatch(pattern, message.strip(), flags=re.DOTALL)
        if match:
            return t(f"error.{key}", lang, **_params(match, lang))
    return message


_EX = r"(?P<codes>.+?)"
#: How a cases file's edition of region codes was known (:func:`geo.editions.decide`).
HOW: tuple[tuple[str, str], ...] = (
    (r"the file has no region codes", "none"),
    (r"declared: \d+ \(--codes, or input\.codes\)", "declared"),
    (r"detected: codes that exist only in the \d+ edition \([^)]*\) \(e\.g\. {ex}\)", "only"),
    (r"detected by dates: rows coded {ex} are all dated before {day}", "before"),
    (r"detected by dates: rows coded {ex} are all dated from {day}", "from"),
    (
        r"undecided: rows coded {ex} are dated before and after {day}, so they are quarantined; "
        r"the other codes name the same region in both",
        "undecided",
    ),
    (r"every region code of the file names the same region in both", "same"),
)


def codes_text(codes: dict, lang: str) -> str:
    """The edition a cases file was read in and how it was known, in ``lang``; for a file in
    2020 codes, what adding it does to them."""
    how = str(codes["how"])
    for pattern, key in HOW:
        match = re.fullmatch(pattern.format(ex=_EX, day=_DAY), how)
        if match:
            how = t(f"data.how.{key}", lang, **_params(match, lang))
            break
    text = t("data.codes_read", lang, edition=t(f"data.codes.{codes['edition']}", lang), how=how)
    if codes["edition"] == "2020":
        text += " " + t("data.codes_translated", lang)
    return text


def quarantine_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The quarantine as the page shows it: reasons in ``lang``, headers in ``lang``; the
    ``check`` values stay the machine names (they are what ``quarantine.csv`` holds)."""
    out = frame.copy()
    if "reason" in out and "check" in out:
        out["reason"] = [
            reason_text(str(c), str(r), lang)
            for c, r in zip(out["check"], out["reason"], strict=True)
        ]
    names = {c: t(f"data.qcol.{c}", lang) for c in QUARANTINE_HEADERS if c in out}
    return out.rename(columns=names)
