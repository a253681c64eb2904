"""The figures of a region's headline card: colour, cases in 7 days, rate and the trend.

The public reads published figures only (:func:`geo.privacy.public_frame`; NaN where hidden),
officials the exact ones. The trend compares the 7-day cases with those of the week before, as
the same audience reads them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from geo import zones
from geo.columns import Out
from geo.errors import BuildError
from geo.privacy import OFFICIAL, check_audience, public_frame

#: A week-on-week change within this share of last week reads as stable.
STABLE = 0.1


@dataclass(frozen=True)
class Headline:
    """The figures of the headline card: published ones for the public (NaN where hidden)."""

    risk: str
    cases_7d: float
    cases_per_100k_7d: float
    cases_7d_before: float
    trend: str  # "up", "down", "same" or "unknown"


def trend_of(cases: float, earlier: float) -> str:
    """``"up"``, ``"down"``, ``"same"`` (within :data:`STABLE` of ``earlier``) or ``"unknown"``
    (either figure hidden, NaN)."""
    if math.isnan(cases) or math.isnan(earlier):
        return "unknown"
    if abs(cases - earlier) <= STABLE * earlier:
        return "same"
    return "up" if cases > earlier else "down"


def headline(build: zones.Build, code: str, day: dt.date, *, audience: str) -> Headline:
    """Region ``code``'s colour, cases, rate and trend on ``day`` against 7 days before.

    Parameters
    ----------
    build
        An open build (:func:`geo.zones.open_build`).
    code
        The region (Kemendagri 2025 code).
    day
        A day of the build.
    audience
        ``"public"`` (published figures) or ``"official"`` (exact ones).
    """
    check_audience(audience)
    rows = zones.region_rows(build, [code])
    now = rows[rows[Out.DATE] == pd.Timestamp(day)]
    if now.empty:
        msg = f"The build has no row for region {code} on {day.isoformat()}."
        raise BuildError(msg)
    before = rows[rows[Out.DATE] == pd.Timestamp(day - dt.timedelta(days=7))]
    both = pd.concat([now, before], ignore_index=True)
    shown = both if audience == OFFICIAL else public_frame(both, build.config.privacy)
    cases = float(shown[Out.CASES_7D].iloc[0])
    rate = float(shown[Out.CASES_PER_100K_7D].iloc[0])
    earlier = float(shown[Out.CASES_7D].iloc[1]) if len(before) else math.nan
    return Headline(str(now[Out.RISK].iloc[0]), cases, rate, earlier, trend_of(cases, earlier))
