"""A zone's card: its name, colour, cases in 7 days, rate, trend, what it means and what to do.

The public reads published figures only (:func:`geo.privacy.public_frame`; NaN where hidden),
officials the exact ones. The trend compares the 7-day cases with those of the week before, as
the same audience reads them (:func:`geo.buildread.week_before`, as the map's tooltips).
:func:`zone_card` words it all for a region or a hexagon in Bahasa Indonesia or English
(:mod:`geo.card_text`), with the place name of a hexagon (:mod:`geo.places`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo import buildread, cells, places
from geo.card_text import Headline, ZoneCard, card_of, trend_of
from geo.columns import Out
from geo.errors import BuildError
from geo.privacy import OFFICIAL, check_audience, public_frame


def headline(build: buildread.Build, code: str, day: dt.date, *, audience: str) -> Headline:
    """Region ``code``'s colour, cases, rate and trend on ``day`` against 7 days before.

    Parameters
    ----------
    build
        An open build (:func:`geo.buildread.open_build`).
    code
        The region (Kemendagri 2025 code).
    day
        A day of the build.
    audience
        ``"public"`` (published figures) or ``"official"`` (exact ones).
    """
    check_audience(audience)
    rows = buildread.region_rows(build, [code], day)
    return _figures(build, rows, f"region {code}", day, audience)


def _figures(
    build: buildread.Build, rows: pd.DataFrame, what: str, day: dt.date, audience: str
) -> Headline:
    now = rows[rows[Out.DATE] == pd.Timestamp(day)]
    if now.empty:
        msg = f"The build has no row for {what} on {day.isoformat()}."
        raise BuildError(msg)
    shown = now if audience == OFFICIAL else public_frame(now, build.config.privacy)
    cases = float(shown[Out.CASES_7D].iloc[0])
    rate = float(shown[Out.CASES_PER_100K_7D].iloc[0])
    earlier = float(buildread.week_before(build, now.iloc[:1], audience=audience)[0])
    compared = day - dt.timedelta(days=7) in build.dates
    trend = trend_of(cases, earlier) if compared else "none"
    return Headline(str(now[Out.RISK].iloc[0]), cases, rate, earlier, trend)


def zone_card(
    build: buildread.Build, day: dt.date, zone: str, *, audience: str, lang: str
) -> ZoneCard:
    """The card of a region or a hexagon on ``day``, for ``audience``, in ``lang``.

    Parameters
    ----------
    build
        An open build (:func:`geo.buildread.open_build`).
    day
        A day of the build.
    zone
        A region code of the build or an H3 cell string.
    audience
        ``"public"`` (published figures) or ``"official"`` (exact ones).
    lang
        ``"id"`` or ``"en"``.
    """
    check_audience(audience)
    if zone in build.regions.index:
        head = headline(build, zone, day, audience=audience)
    elif cells.is_valid_cell(zone):
        rows = buildread.cell_rows(build, zone, [day])
        head = _figures(build, rows, f"hexagon {zone}", day, audience)
    else:
        msg = f"{zone!r} is neither a region of the build nor an H3 hexagon."
        raise BuildError(msg)
    name = places.zone_names(build, [zone], lang)[0]
    return card_of(head, zone, name, preset=build.config.name, k=build.min_count, lang=lang)
