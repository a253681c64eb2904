"""Numbers, percentages and dates as a reader of each language writes them, by Babel.

One module for every figure the app shows (dashboard, PDF, exports): ``1.234,5`` and
``11 Juli 2021`` in Bahasa Indonesia, ``1,234.5`` and ``11 July 2021`` in English. The charts
get the same formats as d3 locales (:func:`d3_locales`). NaN and ``None`` read "—".
"""

from __future__ import annotations

import datetime as dt
import functools
import math

import numpy as np
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES = {"id": "id_ID", "en": "en_GB"}
HIDDEN = "—"
DATE_FORMATS = {"long": "d MMMM y", "medium": "d MMM y", "short": "dd/MM/y"}


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        msg = f"Unknown language {lang!r}; expected one of {sorted(LOCALES)}."
        raise ValueError(msg) from None


@functools.lru_cache(maxsize=1 << 16)  # the same figures recur across zones and days
def _decimal(value: float, locale: str, decimals: int) -> str:
    """``value``, already rounded to ``decimals`` places and never -0.0 (-0.0 and 0.0 are one
    key of this cache, and Babel writes -0.0 as "-0")."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=locale)


def _rounded(value: float, decimals: int) -> float:
    """``value`` rounded to ``decimals`` places; a value that rounds to zero is 0.0, not -0.0
    (no figure reads "-0")."""
    return round(float(value), decimals) + 0.0


def number(value: float | None, lang: str, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` places in ``lang``'s format (``"1.234,5"``).

    Parameters
    ----------
    value
        The figure; ``None`` or NaN reads "—".
    lang
        ``"id"`` or ``"en"``.
    decimals
        Places after the decimal sign (always shown).
    """
    if value is None or math.isnan(value):
        return HIDDEN
    return _decimal(_rounded(value, decimals), _locale(lang), decimals)


def figure(value: float | None, lang: str) -> str:
    """A figure as people read it: 212, 97,8, 1,5, 0,04 (whole numbers from 100 on)."""
    if value is None or math.isnan(value):
        return HIDDEN
    if abs(value) >= 100 or abs(value - round(value)) < 0.005:
        return number(value, lang)
    return number(value, lang, 1 if abs(value) >= 1 else 2)


def published(value: float | None, k: int, lang: str) -> str:
    """A published count as the public reads it: ``"< k"`` where it is hidden (NaN, below the
    smallest count shown), else the whole number in ``lang``."""
    if value is None or math.isnan(value):
        return f"< {number(k, lang)}"
    return number(value, lang)


def figure_rounded(values: np.ndarray) -> np.ndarray:
    """``values`` rounded as :func:`figure` shows them at the finest (1 place from 1 on, else 2),
    so that values that read the same can share one formatting (as :mod:`geo.risk` does)."""
    return np.where(np.abs(values) >= 1, np.round(values, 1), np.round(values, 2))


def coordinate(degrees: float) -> str:
    """A latitude or longitude in degrees with 5 places and a decimal point in both languages,
    as maps and GPS write them (``"-6.17539"``, about a metre)."""
    return f"{degrees:.5f}"


def trimmed(value: float | None, lang: str, decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` places, trailing zeros dropped (``"0,5"``, ``"150"``)."""
    if value is None or math.isnan(value):
        return HIDDEN
    places = next(d for d in range(decimals + 1) if round(value, d) == round(value, decimals))
    return number(value, lang, places)


def percent(share: float | None, lang: str, decimals: int = 0) -> str:
    """A share (0.853) as a percentage in ``lang`` (``"85,3%"`` with ``decimals=1``)."""
    if share is None or math.isnan(share):
        return HIDDEN
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    share = _rounded(share * 100, decimals) / 100  # a share that rounds to zero reads "0%"
    return babel_numbers.format_percent(share, format=pattern, locale=_locale(lang))


def date(day: dt.date, lang: str, format: str = "long") -> str:
    """``day`` in ``lang``: "11 Juli 2021" (``long``), "11 Jul 2021" (``medium``), "11/07/2021"."""
    pattern = DATE_FORMATS.get(format, format)
    return babel_dates.format_date(day, format=pattern, locale=_locale(lang))


def d3_locales(lang: str) -> tuple[dict, dict]:
    """The d3 number and time locales of ``lang`` for the charts (from Babel's data)."""
    locale = _locale(lang)
    symbols = babel_numbers.get_decimal_symbol(locale), babel_numbers.get_group_symbol(locale)
    numbers = {
        "decimal": symbols[0],
        "thousands": symbols[1],
        "grouping": [3],
        "currency": ["", ""],
    }

    def names(kind: str, width: str) -> list[str]:
        table = getattr(babel_dates, f"get_{kind}_names")(width, "format", locale)
        return [table[i] for i in sorted(table)]

    days = names("day", "wide")  # Babel counts from Monday, d3 from Sunday
    short_days = names("day", "abbreviated")
    time = {
        "dateTime": "%x %X",
        "date": "%d/%m/%Y",
        "time": "%H.%M.%S" if lang == "id" else "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": days[-1:] + days[:-1],
        "shortDays": short_days[-1:] + short_days[:-1],
        "months": names("month", "wide"),
        "shortMonths": names("month", "abbreviated"),
    }
    return numbers, time


def display(value: object, lang: str) -> str:
    """A value as a page shows it: a float with at most one decimal (``"85,3"``, ``"12"``), a
    string as it is (an already published ``"< 10"``), ``None``/NaN as "—"."""
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return trimmed(float(value), lang, 1)
    return HIDDEN if value is None else str(value)
