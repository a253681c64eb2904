"""The validated input rows a build reads, one date range at a time (issue 10).

The compute side of a build (:mod:`geo.build`) asks a :class:`RowSource` for the rows of a date
range, never for every day at once. :class:`FrameRows` serves them from the validated frames of
:class:`geo.build.Inputs`, held in memory; an out-of-core source offers the same four methods.

:func:`reach` says how far around a range a day's figures look: back (the windows) and ahead (the
exposure link, which marks a check-in as exposed by a case reported after it).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from geo.config import Config, Exposure
from geo.exposure import exposed_checkins
from geo.metrics import BASELINE_DAYS

if TYPE_CHECKING:
    from geo.build import Inputs

#: The columns of :meth:`RowSource.venue_days`.
VENUE_DAY_COLUMNS = ["venue_id", "date", "checkins", "exposed"]


class RowSource(Protocol):
    """Validated, typed input rows of a build, read by date range."""

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day with any accepted row (cases, check-ins), or None."""

    def cases(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Accepted case rows (the columns `validate_cases` gives) dated start..end inclusive."""

    def venue_days(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Per venue and day start..end with a check-in: venue_id, date, checkins, exposed
        (int64; exposed counts the cases reported up to ``reach(config).ahead`` days later),
        ordered by venue_id and date."""

    def venues(self) -> pd.DataFrame:
        """Accepted venues (venue_id, lat, lon, poly, category, …) as `validate_venues` gives them."""

    def load_days(self) -> pd.DataFrame | None:
        """Per day, which stored check-in loads hold rows of it (``date, checkin_loads``: a
        digest of their names), when the check-ins come from an inputs store whose loads never
        change (:class:`geo.ingest.StoredCheckins`); ``None`` otherwise."""


@dataclass(frozen=True)
class Reach:
    """How many days around a day its figures read.

    Attributes
    ----------
    back
        Days before a day whose rows its windows read (the check-in baseline's 35 days, less the
        day itself).
    ahead
        Days after a day whose rows can change its exposed check-ins: a case reported up to
        ``case_within_days`` after an infectious check-in, and check-ins up to ``window_hours``
        apart (one day across midnight).
    """

    back: int
    ahead: int


def window_days(exposure: Exposure) -> int:
    """How many days apart two check-ins ``exposure.window_hours`` apart can be dated."""
    return math.ceil(exposure.window_hours / 24)


def reach(config: Config) -> Reach:
    """The look-back and look-ahead of ``config``'s metrics, in days."""
    ahead = config.exposure.case_within_days + window_days(config.exposure)
    return Reach(back=BASELINE_DAYS - 1, ahead=ahead)


def _between(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    dates = frame["date"]
    keep = (dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))
    return frame if keep.all() else frame[keep.to_numpy()]


class FrameRows:
    """A :class:`RowSource` over validated inputs held in memory (:class:`geo.build.Inputs`).

    Parameters
    ----------
    inputs
        The validated inputs.
    config
        The configuration: its exposure rules make :meth:`venue_days`' exposed counts.
    """

    def __init__(self, inputs: Inputs, config: Config) -> None:
        self.inputs, self.config = inputs, config

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day with any accepted row (cases, check-ins), or None."""
        dates = [self.inputs.cases.accepted["date"]]
        if self.inputs.checkins is not None:
            dates.append(self.inputs.checkins.accepted["date"])
        every = pd.concat(dates)
        return None if every.empty else (every.min().date(), every.max().date())

    def cases(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Accepted case rows dated ``start`` to ``end``."""
        return _between(self.inputs.cases.accepted, start, end)

    def venue_days(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Check-ins and exposed check-ins per venue and day ``start`` to ``end``."""
        if self.inputs.checkins is None:
            return pd.DataFrame({c: pd.Series(dtype="int64") for c in VENUE_DAY_COLUMNS})
        around = reach(self.config)
        margin = dt.timedelta(days=window_days(self.config.exposure))
        # Check-ins that can expose those of the range, and the cases that make them infectious.
        near = _between(self.inputs.checkins.accepted, start - margin, end + margin)
        later = self.cases(start - margin, end + dt.timedelta(days=around.ahead))
        daily = _between(near, start, end).groupby(["venue_id", "date"], sort=True).size()
        exposed = _between(exposed_checkins(near, later, self.config.exposure), start, end)
        out = daily.rename("checkins").reset_index()
        out = out.merge(exposed, on=["venue_id", "date"], how="outer")
        for column in ("checkins", "exposed"):
            out[column] = out[column].fillna(0).astype("int64")
        keys = near.dtypes[["venue_id", "date"]].to_dict()
        return out[VENUE_DAY_COLUMNS].astype(keys)  # the same types when the range is empty

    def load_days(self) -> pd.DataFrame | None:
        """``None``: the rows in memory come from files read for this build only."""
        return None

    def venues(self) -> pd.DataFrame:
        """Accepted venues."""
        if self.inputs.venues is None:
            return pd.DataFrame(columns=["venue_id", "lat", "lon", "poly", "category"])
        return self.inputs.venues.accepted
