"""Public suppression: what the public may read of a count, a rate or a table.

Officials see exact figures. The public sees counts below ``k`` (``config.privacy.min_count``)
as ``"< k"``, a rate computed from such a count as ``"—"``, and no check-in, exposure or
crowding figure at all: a small cell can hold a single venue, so those figures describe a
business, not an area.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from geo.columns import Out

PUBLIC = "public"
OFFICIAL = "official"
AUDIENCES: tuple[str, ...] = (PUBLIC, OFFICIAL)
HIDDEN = "—"

#: Case counts: shown to the public, suppressed below ``k``.
CASE_COUNTS: tuple[str, ...] = (
    Out.NEW_CASES,
    Out.NEW_CASES_ALLOCATED,
    Out.CASES_7D,
    Out.CASES_14D,
)
#: Figures about venues: officials only.
OFFICIAL_ONLY: tuple[str, ...] = (
    Out.CHECKINS,
    Out.CHECKINS_7D,
    Out.CHECKINS_BASELINE_7D,
    Out.EXPOSED_CHECKINS,
    Out.EXPOSED_CHECKINS_7D,
    Out.CROWDING_RATIO,
    Out.EXPOSED_PCT_7D,
)
#: Rates and the count each is computed from: a suppressed count hides its rate.
RATE_BASES: dict[str, str] = {
    Out.CASES_PER_100K_7D: Out.CASES_7D,
    Out.GROWTH_RATIO_7D: Out.CASES_7D,
}


def check_audience(audience: str) -> str:
    """Return ``audience`` if it is one of :data:`AUDIENCES`, else raise ``ValueError``."""
    if audience not in AUDIENCES:
        msg = f"Unknown audience {audience!r}; choose one of {', '.join(AUDIENCES)}."
        raise ValueError(msg)
    return audience


def suppress_below(audience: str, k: int) -> int | None:
    """The threshold to pass to :func:`geo.risk.reasons`: ``k`` for the public, else ``None``."""
    return k if check_audience(audience) == PUBLIC else None


def is_suppressed(value: float, k: int) -> bool:
    """Whether a count is too small to show the public (``0 < value < k``)."""
    return not math.isnan(value) and 0 < value < k


def format_number(value: float, *, decimals: int = 0) -> str:
    """A figure as people read it: ``1,234`` (or ``12.5`` with ``decimals=1``); NaN reads "—"."""
    if value is None or math.isnan(value):
        return HIDDEN
    return f"{value:,.{decimals}f}"


def display_count(value: float, k: int) -> str:
    """A count for the public: ``"< k"`` when ``0 < value < k``, else the rounded number.

    Parameters
    ----------
    value
        The exact count (allocated cases may be fractional).
    k
        The privacy threshold, ``config.privacy.min_count``.
    """
    if is_suppressed(value, k):
        return f"< {k}"
    return format_number(value)


def display_rate(rate: float, base_count: float, k: int, *, decimals: int = 1) -> str:
    """A rate for the public: hidden ("—") when the count it is computed from is suppressed."""
    if is_suppressed(base_count, k):
        return HIDDEN
    return format_number(rate, decimals=decimals)


def public_table(
    frame: pd.DataFrame,
    *,
    audience: str,
    k: int,
    counts: tuple[str, ...] = CASE_COUNTS,
    rates: Mapping[str, str] = RATE_BASES,
) -> pd.DataFrame:
    """The table as ``audience`` may read it.

    For officials the table is returned unchanged (exact numbers). For the public, the
    officials-only columns are dropped, the ``counts`` columns become display strings with
    :func:`display_count`, and each rate in ``rates`` becomes a string, hidden where its base
    count is suppressed. Columns not named are left as they are.

    Parameters
    ----------
    frame
        A table with some of the build's metric columns.
    audience
        ``"public"`` or ``"official"``.
    k
        The privacy threshold.
    counts
        Count columns to suppress.
    rates
        Rate column → the count column it is computed from.
    """
    if check_audience(audience) == OFFICIAL:
        return frame
    out = frame.drop(columns=[c for c in OFFICIAL_ONLY if c in frame.columns])
    for rate, base in rates.items():
        if rate in out.columns and base in frame.columns:
            out[rate] = [
                display_rate(r, b, k)
                for r, b in zip(
                    frame[rate].to_numpy(float), frame[base].to_numpy(float), strict=True
                )
            ]
    for column in counts:
        if column in out.columns:
            out[column] = [display_count(v, k) for v in out[column].to_numpy(float)]
    return out
