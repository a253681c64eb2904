"""Next week's outlook: the coming week's 7-day cases of a zone or region, with a 90% interval.

The method (an outlook, not a rule: it never changes a colour):

* growth: ``r = log((c7 + ½) / (p7 + ½))``, this week's 7-day cases ``c7`` against the week
  before, ``p7`` (the last 14 days);
* shrinkage for small counts: ``r* = w·r + (1 - w)·r_parent`` with ``w = n / (n + K)``,
  ``n = c7 + p7`` and ``r_parent`` the growth of the parent region (for a province: the country);
* damping: next week is ``(c7 + ½)·exp(D·r*) - ½`` (at least 0): half of the growth is carried
  forward, since a week's growth rarely repeats in full;
* interval: 90% on the log scale, ``± 1.645·s`` with ``s² = D²·(1/(c7+½) + 1/(p7+½)) +
  1/(f+½) + sigma²``: the sampling noise of the growth, the Poisson noise of next week's count ``f``
  and ``sigma`` for the week-to-week change that counts do not explain.

``D``, ``K`` and ``sigma`` were fixed before the backtest (:mod:`geo.backtest`) was run and not
tuned on it. The colour of the outlook is the active rule applied to the forecast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.columns import COUNT_METRICS, Out
from geo.config import Config
from geo.metrics import ratios
from geo.risk import classify

#: Share of the (shrunk) log growth carried into next week.
DAMPING = 0.5
#: Cases over two weeks at which a zone's own growth and its parent's weigh the same.
SHRINK_CASES = 20.0
#: Log-scale spread of the weekly change beyond Poisson noise.
SIGMA = 0.25
#: The two-sided 90% normal quantile.
Z90 = 1.6448536269514722
COLUMNS = ("outlook_cases_7d", "outlook_low", "outlook_high")


def growth(cases_7d: np.ndarray | float, previous_7d: np.ndarray | float) -> np.ndarray:
    """Log growth of this week's 7-day cases over the week before (½ added to both)."""
    return np.log((np.asarray(cases_7d, float) + 0.5) / (np.asarray(previous_7d, float) + 0.5))


def forecast(
    cases_7d: np.ndarray, previous_7d: np.ndarray, *, parent_growth: np.ndarray | float = 0.0
) -> pd.DataFrame:
    """Next week's 7-day cases and their 90% interval.

    Parameters
    ----------
    cases_7d
        Cases in the last 7 days.
    previous_7d
        Cases in the 7 days before them.
    parent_growth
        The parent region's log growth (:func:`growth`) that small counts shrink toward.

    Returns
    -------
    DataFrame
        ``outlook_cases_7d``, ``outlook_low`` and ``outlook_high`` (cases, not rounded).
    """
    c7 = np.asarray(cases_7d, dtype=float)
    p7 = np.asarray(previous_7d, dtype=float)
    n = c7 + p7
    weight = n / (n + SHRINK_CASES)
    shrunk = weight * growth(c7, p7) + (1 - weight) * np.asarray(parent_growth, dtype=float)
    centre = np.log(c7 + 0.5) + DAMPING * shrunk
    point = np.maximum(np.exp(centre) - 0.5, 0.0)
    spread = np.sqrt(DAMPING**2 * (1 / (c7 + 0.5) + 1 / (p7 + 0.5)) + 1 / (point + 0.5) + SIGMA**2)
    return pd.DataFrame(
        {
            COLUMNS[0]: point,
            COLUMNS[1]: np.maximum(np.exp(centre - Z90 * spread) - 0.5, 0.0),
            COLUMNS[2]: np.exp(centre + Z90 * spread) - 0.5,
        }
    )


def colours(cases_7d: np.ndarray, population: np.ndarray, config: Config) -> np.ndarray:
    """The colour the active rule gives a week of ``cases_7d`` in ``population``.

    Only rules on the 7-day cases and their rate can colour a forecast: criteria on other
    metrics (check-ins, growth) see no value and do not apply.
    """
    size = len(np.asarray(cases_7d))
    frame = pd.DataFrame({c: np.zeros(size) for c in COUNT_METRICS})
    frame[Out.CASES_7D] = np.asarray(cases_7d, dtype=float)
    frame[Out.CASES_14D] = np.nan
    frame[Out.CHECKINS_7D] = np.nan
    frame[Out.CHECKINS_BASELINE_7D] = np.nan
    frame[Out.EXPOSED_CHECKINS_7D] = np.nan
    frame[Out.POPULATION] = np.asarray(population, dtype=float)
    ratios(frame)
    return classify(frame, config)[Out.RISK].astype(str).to_numpy()


def of_rows(rows: pd.DataFrame, config: Config, *, parent_growth: float = 0.0) -> pd.DataFrame:
    """The outlook of zone or region rows of one day (``cases_7d``, ``cases_14d``, population).

    Returns ``rows`` with :data:`COLUMNS` and ``outlook_risk`` added (a copy).
    """
    c7 = rows[Out.CASES_7D].to_numpy(dtype=float)
    p7 = np.maximum(rows[Out.CASES_14D].to_numpy(dtype=float) - c7, 0.0)
    out = rows.copy()
    ahead = forecast(c7, p7, parent_growth=parent_growth)
    for column in COLUMNS:
        out[column] = ahead[column].to_numpy()
    out["outlook_risk"] = colours(ahead[COLUMNS[0]], rows[Out.POPULATION], config)
    return out


def of_view(rows: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The outlook of the zones of one view, each shrunk toward the view's zones together.

    The parent of a hexagon or a child region on the map is the region in view; its growth is
    that of the zones' summed counts (:func:`of_rows` for the rest).
    """
    if rows.empty:
        return of_rows(rows, config)
    c7 = rows[Out.CASES_7D].to_numpy(dtype=float)
    p7 = np.maximum(rows[Out.CASES_14D].to_numpy(dtype=float) - c7, 0.0)
    return of_rows(rows, config, parent_growth=float(growth(c7.sum(), p7.sum())))
