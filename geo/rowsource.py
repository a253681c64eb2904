"""The validated input rows a build reads, one date range at a time (issue 10)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import pandas as pd


class RowSource(Protocol):
    """Validated, typed input rows of a build, read by date range."""

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day with any accepted row (cases, check-ins), or None."""

    def cases(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Accepted case rows (the columns `validate_cases` gives) dated start..end inclusive."""

    def venue_days(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Per venue and day start..end: venue_id, date, checkins, exposed (ints), as
        `_venue_events` aggregates them today (exposure looks ahead `config.exposure` days)."""

    def venues(self) -> pd.DataFrame:
        """Accepted venues (venue_id, lat, lon, …) as `validate_venues` gives them."""
