"""A zone's card in words: colour, one-line reason with whole numbers, trend, what to do.

The wording only, from figures already read for one audience (published ones for the public,
NaN where hidden; exact ones for officials): :func:`card_of` words one zone's full card
(:func:`geo.headline.zone_card` reads its figures), :func:`tip_lines` the short form of many
zones at once for the map's tooltips (:mod:`geo.zonemap` reads theirs). Whole numbers are
formatted by Babel (:mod:`geo.formats`), the words are :mod:`geo.pdf_words`'s, the guidance that
of the rule in force (:mod:`geo.guidance`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from geo.formats import number, percent, published
from geo.guidance import guidance
from geo.pdf_words import WORDS

#: A week-on-week change within this share of last week reads as stable.
STABLE = 0.1


@dataclass(frozen=True)
class Headline:
    """The figures of the headline card: published ones for the public (NaN where hidden)."""

    risk: str
    cases_7d: float
    cases_per_100k_7d: float
    cases_7d_before: float
    #: "up", "down", "same", "unknown" (a figure hidden) or "none" (the week before lies before
    #: the build's first day)
    trend: str


def trend_of(cases: float, earlier: float) -> str:
    """``"up"``, ``"down"``, ``"same"`` (within :data:`STABLE` of ``earlier``) or ``"unknown"``
    (either figure hidden, NaN)."""
    if math.isnan(cases) or math.isnan(earlier):
        return "unknown"
    if abs(cases - earlier) <= STABLE * earlier:
        return "same"
    return "up" if cases > earlier else "down"


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
    rate = head.cases_per_100k_7d
    if not math.isnan(rate):  # whole numbers; a rate that rounds to 0 but is not 0 says so
        shown = number(rate, lang)
        below = rate > 0 and shown == "0"
        text += ", " + (words["rate_below_1"] if below else words["rate"].format(r=shown))
    return text


def trend_words(head: Headline, lang: str) -> str:
    """The trend with its arrow, the change in percent and last week's cases, in ``lang``."""
    words = WORDS[lang]["trend"]
    if head.trend in ("unknown", "none"):
        return words[head.trend]
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
        cases=published(head.cases_7d, k, lang),
        rate=number(head.cases_per_100k_7d, lang),
        trend=head.trend,
        trend_text=trend_words(head, lang),
        meaning=advice.meaning,
        todo=advice.todo,
    )


@dataclass(frozen=True)
class TipLines:
    """The short form of a zone's card, the map's tooltip: colour, reason and trend in words."""

    colour: str  # "merah"
    reason: str  # "Zona merah karena 12 kasus dalam 7 hari, 356 per 100 ribu penduduk."
    trend: str  # "↑ naik 50% (minggu lalu 8)"; empty for a zone without data


def tip_lines(
    risks: Sequence[str],
    cases: Sequence[float] | np.ndarray,
    rates: Sequence[float] | np.ndarray,
    earlier: Sequence[float] | np.ndarray,
    *,
    preset: str,
    k: int,
    lang: str,
    compared: bool = True,
) -> list[TipLines]:
    """The short card of each zone, worded as :func:`card_of` words the full one.

    Parameters
    ----------
    risks
        Each zone's colour (``"red"``, ``"orange"``, ``"green"`` or ``"no_data"``).
    cases, rates
        Its 7-day cases and cases per 100,000 as the audience reads them (NaN where hidden).
    earlier
        Its 7-day cases a week before, read the same way (NaN where hidden or unknown).
    preset
        The rule in force (its guidance words a zone without data).
    k
        The smallest published count ("fewer than k cases").
    lang
        ``"id"`` or ``"en"``.
    compared
        Whether the week before is a day of the build (else the trend reads "none").
    """
    out = []
    for risk, now, rate, before in zip(risks, cases, rates, earlier, strict=True):
        now, rate, before = float(now), float(rate), float(before)
        trend = trend_of(now, before) if compared else "none"
        head = Headline(str(risk), now, rate, before, trend)
        card = card_of(head, "", "", preset=preset, k=k, lang=lang)
        trend = "" if risk == "no_data" else card.trend_text  # nothing to compare
        out.append(TipLines(card.colour, card.reason, trend))
    return out
