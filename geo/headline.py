"""A zone's card: its name, colour, cases in 7 days, rate, trend, what it means and what to do.

The public reads published figures only (:func:`geo.privacy.public_frame`; NaN where hidden),
officials the exact ones. The trend compares the 7-day cases with those of the week before, as
the same audience reads them. :func:`zone_card` words it all for a region or a hexagon in Bahasa
Indonesia or English, with whole numbers formatted by Babel (:mod:`geo.pdf_words`), the place
name of a hexagon (:mod:`geo.places`) and the guidance of the rule in force (:mod:`geo.guidance`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from geo import cells, places, zones
from geo.columns import Out
from geo.errors import BuildError
from geo.formats import number, percent
from geo.guidance import guidance
from geo.pdf_words import WORDS
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
    return _figures(build, zones.region_rows(build, [code]), f"region {code}", day, audience)


def _figures(
    build: zones.Build, rows: pd.DataFrame, what: str, day: dt.date, audience: str
) -> Headline:
    now = rows[rows[Out.DATE] == pd.Timestamp(day)]
    if now.empty:
        msg = f"The build has no row for {what} on {day.isoformat()}."
        raise BuildError(msg)
    before = rows[rows[Out.DATE] == pd.Timestamp(day - dt.timedelta(days=7))]
    both = pd.concat([now, before], ignore_index=True)
    shown = both if audience == OFFICIAL else public_frame(both, build.config.privacy)
    cases = float(shown[Out.CASES_7D].iloc[0])
    rate = float(shown[Out.CASES_PER_100K_7D].iloc[0])
    earlier = float(shown[Out.CASES_7D].iloc[1]) if len(before) else math.nan
    return Headline(str(now[Out.RISK].iloc[0]), cases, rate, earlier, trend_of(cases, earlier))


#: The card's one-line reason: the colour and the figures that gave it.
REASON = {"id": "Zona {state} karena {figures}.", "en": "{state} zone because of {figures}."}


@dataclass(frozen=True)
class ZoneCard:
    """A zone's card, worded for one audience in one language."""

    zone: str  # region code or H3 cell
    name: str  # "Gambir", "sekitar Cideng, Gambir"
    risk: str  # "red", "orange", "green" or "no_data"
    colour: str  # the colour in words: "merah"
    reason: str  # "Zona merah karena 84 kasus dalam 7 hari, 1.234 per 100 ribu penduduk."
    cases: str  # whole number, or "< k" where the public count is hidden
    rate: str  # whole number per 100,000, or "—"
    trend: str  # "up", "down", "same" or "unknown"
    trend_text: str  # "↑ naik 12% (minggu lalu 75)"
    meaning: str
    todo: str


def _figure_words(head: Headline, lang: str, k: int) -> str:
    words = WORDS[lang]
    if math.isnan(head.cases_7d):
        text = words["fewer"].format(k=k)
    else:
        text = words["cases"].format(n=number(head.cases_7d, lang))
    if not math.isnan(head.cases_per_100k_7d):
        text += ", " + words["rate"].format(r=number(head.cases_per_100k_7d, lang))
    return text


def trend_words(head: Headline, lang: str) -> str:
    """The trend with its arrow, the change in percent and last week's cases, in ``lang``."""
    words = WORDS[lang]["trend"]
    if head.trend == "unknown":
        return words["unknown"]
    change = abs(head.cases_7d - head.cases_7d_before) / max(head.cases_7d_before, 1)
    return words[head.trend].format(p=percent(change, lang), n=number(head.cases_7d_before, lang))


def card_of(head: Headline, zone: str, name: str, *, preset: str, k: int, lang: str) -> ZoneCard:
    """Word ``head``'s figures as the card of ``zone`` called ``name`` under ``preset``'s rule."""
    state = WORDS[lang]["state"][head.risk]
    advice = guidance(preset, head.risk, lang)
    if head.risk == "no_data":
        reason = advice.meaning
    else:
        reason = REASON[lang].format(state=state, figures=_figure_words(head, lang, k))
    return ZoneCard(
        zone=zone,
        name=name,
        risk=head.risk,
        colour=state,
        reason=reason[0].upper() + reason[1:],
        cases=f"< {k}" if math.isnan(head.cases_7d) else number(head.cases_7d, lang),
        rate=number(head.cases_per_100k_7d, lang),
        trend=head.trend,
        trend_text=trend_words(head, lang),
        meaning=advice.meaning,
        todo=advice.todo,
    )


def zone_card(build: zones.Build, day: dt.date, zone: str, *, audience: str, lang: str) -> ZoneCard:
    """The card of a region or a hexagon on ``day``, for ``audience``, in ``lang``.

    Parameters
    ----------
    build
        An open build (:func:`geo.zones.open_build`).
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
        rows = zones.cell_rows(build, zone, [day - dt.timedelta(days=7), day])
        head = _figures(build, rows, f"hexagon {zone}", day, audience)
    else:
        msg = f"{zone!r} is neither a region of the build nor an H3 hexagon."
        raise BuildError(msg)
    name = places.zone_names(build, [zone], lang)[0]
    return card_of(head, zone, name, preset=build.config.name, k=build.min_count, lang=lang)
