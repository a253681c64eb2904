"""Space-time hotspots: local Getis-Ord Gi* on the 7-day case rate over the H3 neighbour graph.

Per resolution, the zones are the build's cells with a resident population above the rule's
``no_data_max_population`` (a zone without population has no rate: it is not zero and never
enters). Their weights are binary k-ring-1 H3 neighbours plus the cell itself (Gi*), built once
per resolution straight from H3 as a sparse matrix and reused for every day (the same weights as a
libpysal ``Graph`` are :attr:`Zones.graph`, for esda). Binary, not row-standardised: the
analytical moments of Gi* (Getis and Ord 1992, as esda computes them) hold for binary weights;
with row-standardised weights esda's analytical variance treats every zone as having one
neighbour and understates z about 2.6 times for a full k-ring.

Per day, every zone's 7-day cases per 100k enters, smoothed by global empirical Bayes
(``esda.smoothing.Empirical_Bayes``, Marshall 1991): one case in a cell of 20 people is 5,000 per
100k, and raw rates would make every sparsely populated cell a "hotspot". Each rate is pulled
toward the day's overall rate in proportion to how little population backs it. The zones of a day
are the populated cells with a row that day (a case in 14 days or a check-in in 35); a cell
without a row has no data that day and enters neither as a zone nor as a neighbour (the weights
are subset per day).

The statistic is the analytical z of ``esda.G_Local(..., transform="B", star=True)``, computed
for all days of a chunk at once (:func:`gi_star`, checked against esda in the tests); the
two-sided p-values of the day's zones are corrected together by the Benjamini-Hochberg false
discovery rate, and a zone is ``hot`` (``cold``) when its corrected p is at most :data:`ALPHA` and
its z is positive (negative); otherwise ``none``. A day whose rates are all equal (all zero, say)
has no hotspot. Regions get the share of their population in hot resolution-8 cells
(:data:`SHARE_RESOLUTION`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from esda.smoothing import Empirical_Bayes
from libpysal.graph import Graph
from scipy import sparse
from scipy.special import ndtr
from scipy.stats import false_discovery_control

from geo import cells
from geo.columns import LEVEL_COLUMNS, Out
from geo.outlook import COLUMNS as OUTLOOK_COLUMNS
from geo.privacy import HIDDEN, OFFICIAL, check_audience, display_published

logger = logging.getLogger(__name__)

#: The false discovery rate a day's hotspots are held to.
ALPHA = 0.05
HOT, COLD, NONE = "hot", "cold", "none"
STATES: tuple[str, ...] = (HOT, COLD, NONE)


@dataclass(frozen=True, eq=False)
class Zones:
    """The zones of one resolution that enter the statistic, and their weights.

    Attributes
    ----------
    cells
        Sorted ``uint64`` cells.
    matrix
        Binary weights: 1 for each k-ring-1 neighbour and for the zone itself (zones x zones).
    population
        Residents of each zone.
    """

    cells: np.ndarray
    matrix: sparse.csr_array
    population: np.ndarray

    @functools.cached_property
    def graph(self) -> Graph:
        """The same weights as a libpysal ``Graph`` (binary, self-weight 1), e.g. for esda."""
        coo = self.matrix.tocoo()
        return Graph.from_arrays(coo.row, coo.col, coo.data).transform("B")


def zones(candidates: np.ndarray, population: np.ndarray, *, min_population: float = 0) -> Zones:
    """The populated zones among ``candidates`` (``uint64`` cells) and their Gi* weights.

    Parameters
    ----------
    candidates
        Cells of one resolution (any order, duplicates allowed).
    population
        Resident population of each candidate (NaN: none recorded).
    min_population
        A zone needs more residents than this (the rule's ``no_data_max_population``).
    """
    population = np.asarray(population, dtype=float)
    populated = population > min_population
    kept, first = np.unique(np.asarray(candidates, dtype=np.uint64)[populated], return_index=True)
    focal, neighbour = cells.neighbour_pairs(kept)
    own = np.arange(kept.size)
    matrix = sparse.csr_array(
        (
            np.ones(focal.size + own.size),
            (np.concatenate([focal, own]), np.concatenate([neighbour, own])),
        ),
        shape=(kept.size, kept.size),
    )
    return Zones(kept, matrix, population[populated][first])


def smoothed_rates(cases: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Empirical Bayes cases per 100k of each zone (rows) and day (columns).

    A day whose rates vary less than Poisson noise alone would make them is returned flat at the
    day's overall rate (esda's weight would turn negative and flip the zones around the mean).
    """
    cases = np.asarray(cases, dtype=float).reshape(len(population), -1)
    out = np.zeros_like(cases)
    for day in range(cases.shape[1]):
        events = cases[:, day]
        overall = events.sum() / population.sum()
        if events.sum() == 0:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):  # a flat day: caught below
            smooth = Empirical_Bayes(events, population).r.ravel()
        raw = events / population
        if not np.isfinite(smooth).all() or ((smooth - overall) * (raw - overall) < 0).any():
            smooth = np.full(events.size, overall)
        out[:, day] = smooth * 1e5
    return out


def gi_star(rates: np.ndarray, matrix: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z-scores and two-sided p-values of ``rates`` (zones x days) on ``matrix``.

    The analytical moments of ``esda.G_Local(y, w, transform="B", star=True)`` (Getis and Ord
    1992, as esda computes them) on a sparse matrix: esda rebuilds its weights object on every
    call, which for 340,000 zones costs more than the statistic (``tests/test_hotspots.py``
    checks the two agree). A day whose rates do not vary, or with fewer than 3 zones, gives NaN.
    """
    y = np.asarray(rates, dtype=float)
    flat = y.ndim == 1
    y = y.reshape(y.shape[0], -1)
    n = y.shape[0]
    total = y.sum(axis=0)
    usable = (np.ptp(y, axis=0) > 0) if n >= 3 else np.zeros(y.shape[1], dtype=bool)
    z = np.full(y.shape, np.nan)
    if usable.any():
        y_ok = y[:, usable]
        mean = total[usable] / n
        variance = (y_ok**2).sum(axis=0) / n - mean**2
        cardinality = np.asarray(matrix.sum(axis=1)).reshape(-1, 1)
        expected = cardinality / n
        spread = cardinality * (n - cardinality) / (n - 1) / n**2 * (variance / mean**2)
        # A zone whose neighbourhood is every zone cannot differ from them: 0 / 0, left NaN.
        with np.errstate(divide="ignore", invalid="ignore"):
            found = (matrix @ y_ok / total[usable] - expected) / np.sqrt(spread)
        z[:, usable] = np.where(np.isfinite(found), found, np.nan)
    p = 2 * ndtr(-np.abs(z))  # what norm.sf computes, without its per-call overhead
    return (z[:, 0], p[:, 0]) if flat else (z, p)


def significance(
    z: np.ndarray, p: np.ndarray, *, alpha: float = ALPHA
) -> tuple[np.ndarray, np.ndarray]:
    """Hotspot class and Benjamini-Hochberg corrected p of one day's zones.

    Returns
    -------
    (hotspot, corrected_p)
        ``hot``/``cold``/``none`` per zone; the corrected p (NaN where ``p`` is NaN).
    """
    codes, corrected = _significance_codes(z, p, alpha=alpha)
    return np.asarray(STATES, dtype=object)[codes], corrected


def _significance_codes(z: np.ndarray, p: np.ndarray, *, alpha: float) -> tuple[np.ndarray, ...]:
    """:func:`significance` with the class as a code into :data:`STATES`."""
    corrected = np.full(p.size, np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        corrected[tested] = false_discovery_control(p[tested], method="bh")
    with np.errstate(invalid="ignore"):
        found = corrected <= alpha
    codes = np.full(p.size, STATES.index(NONE), dtype=np.int8)
    codes[found & (z > 0)] = STATES.index(HOT)
    codes[found & (z < 0)] = STATES.index(COLD)
    return codes, corrected


def mark(rows: pd.DataFrame, keys: np.ndarray, found: Zones) -> pd.DataFrame:
    """Add ``hotspot``, ``hotspot_z`` and ``hotspot_p`` to cell rows of one resolution (in place).

    Parameters
    ----------
    rows
        Cell rows of some days with ``date`` and ``cases_7d``.
    keys
        The ``uint64`` cell of each row.
    found
        The resolution's zones (:func:`zones`); rows of other cells get ``none`` and NaN.

    The zones of a day are the populated cells with a row that day (activity in one of their
    windows); the others have no data that day and do not enter, neither as a zone nor as a
    neighbour.
    """
    where = cells.positions(found.cells, keys)
    inside = where >= 0
    days, day_of = np.unique(rows[Out.DATE].to_numpy(), return_inverse=True)
    counts = np.nan_to_num(rows[Out.CASES_7D].to_numpy(dtype=float))
    z_all = np.full(len(rows), np.nan)
    p_all = np.full(len(rows), np.nan)
    state_all = np.full(len(rows), STATES.index(NONE), dtype=np.int8)
    order = np.flatnonzero(inside)
    order = order[np.argsort(day_of[order], kind="stable")]
    bounds = np.searchsorted(day_of[order], np.arange(days.size + 1))
    for day in range(days.size):
        on_day = order[bounds[day] : bounds[day + 1]]
        if on_day.size < 3:  # fewer than 3 zones: no statistic
            continue
        at = where[on_day]  # the day's zones: their weights are the resolution's, subset
        rates = smoothed_rates(counts[on_day], found.population[at])[:, 0]
        z, p = gi_star(rates, found.matrix[at][:, at])
        codes, corrected = _significance_codes(z, p, alpha=ALPHA)
        z_all[on_day], p_all[on_day], state_all[on_day] = z, corrected, codes
    rows[Out.HOTSPOT] = pd.Categorical.from_codes(state_all, categories=list(STATES))
    rows[Out.HOTSPOT_Z] = z_all
    rows[Out.HOTSPOT_P] = p_all
    return rows


#: The resolution whose hot cells make a region's share (a kabupaten/kota map's): resolution-9
#: cells hold a few dozen people, and after smoothing and the false discovery rate over hundreds
#: of thousands of them almost none is found hot.
SHARE_RESOLUTION = 8


def share_resolution(resolutions: list[int]) -> int:
    """:data:`SHARE_RESOLUTION` if the build has it, else its finest resolution."""
    return SHARE_RESOLUTION if SHARE_RESOLUTION in resolutions else max(resolutions)


#: The cell-row columns :func:`hot_population` reads.
HOT_COLUMNS = (Out.HOTSPOT, Out.DATE, Out.POPULATION, *LEVEL_COLUMNS.values())


def hot_population(cell_rows: pd.DataFrame) -> pd.DataFrame:
    """Population of hot cells per region code and date (``region_code, date, population``)."""
    hot = cell_rows[cell_rows[Out.HOTSPOT].to_numpy() == HOT]
    parts = []
    for column in LEVEL_COLUMNS.values():
        sums = hot.groupby([column, Out.DATE], sort=True, observed=True)[Out.POPULATION].sum()
        parts.append(sums.reset_index().rename(columns={column: Out.REGION_CODE}))
    out = pd.concat(parts, ignore_index=True)
    out[Out.REGION_CODE] = out[Out.REGION_CODE].astype(str)
    return out


def hot_shares(parts: list[pd.DataFrame], regions_daily: pd.DataFrame) -> pd.DataFrame:
    """Add the share of each region's population in hot cells (:func:`hot_population`; in place)."""
    population = regions_daily[Out.POPULATION].to_numpy(dtype=float)
    total = np.zeros(len(regions_daily))
    if parts:
        summed = pd.concat(parts).groupby([Out.REGION_CODE, Out.DATE])[Out.POPULATION].sum()
        index = pd.MultiIndex.from_arrays(
            [
                regions_daily[Out.REGION_CODE].astype(str).to_numpy(),
                regions_daily[Out.DATE].to_numpy(),
            ]
        )
        total = summed.reindex(index).fillna(0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        regions_daily[Out.SHARE_HOT] = np.where(population > 0, total / population, np.nan)
    return regions_daily


def region_class(share_hot: float) -> str:
    """A region's hotspot state from its share of population in hot zones (NaN: ``no_data``)."""
    if share_hot is None or np.isnan(share_hot):
        return "no_data"
    return HOT if share_hot > 0 else NONE


def _below_k(value: float, k: int) -> float:
    return np.nan if value < k else value


def for_audience(row: Mapping, *, audience: str, k: int, lang: str = "en") -> dict[str, object]:
    """The hotspot and outlook figures of one zone (a cell or region row) that ``audience`` reads.

    The one place where public and official hotspot and outlook values part:

    * the public reads the hotspot class only: ``hotspot_z`` and ``hotspot_p`` are exact functions
      of the counts of the zone and its neighbours;
    * for the public, ``row`` is a published row (:func:`geo.privacy.public_frame`) and its
      outlook was computed from the published counts only; the predicted count and interval read
      through :func:`geo.privacy.display_published`, and only where the zone's published 7-day
      count is shown (not "< k"); elsewhere they and the outlook's colour are hidden;
    * officials read the exact values.

    Parameters
    ----------
    row
        A ``cells_daily`` row (``hotspot``...) or a ``regions_daily`` row
        (``share_population_hot``), with the outlook's columns when :func:`geo.outlook.of_rows`
        added them.
    audience
        ``"public"`` or ``"official"``.
    k
        The privacy threshold.
    """
    official = check_audience(audience) == OFFICIAL
    if Out.HOTSPOT in row:
        out: dict[str, object] = {"hotspot": str(row[Out.HOTSPOT])}
        if official:
            out.update(
                {"hotspot_z": _plain(row[Out.HOTSPOT_Z]), "hotspot_p": _plain(row[Out.HOTSPOT_P])}
            )
    else:
        share = float(row.get(Out.SHARE_HOT, np.nan))
        out = {"hotspot": region_class(share), "share_hot": _plain(share)}
    if "outlook_cases_7d" not in row:
        return out
    cases = float(row[Out.CASES_7D])
    if official:
        out.update({c: _plain(row[c]) for c in OUTLOOK_COLUMNS})
        out["outlook_risk"] = str(row["outlook_risk"])
    elif np.isnan(cases):  # published as "< k"
        out.update({c: HIDDEN for c in OUTLOOK_COLUMNS} | {"outlook_risk": "no_data"})
    else:
        # a forecast below k reads "< k", as a published count would
        out.update(
            {
                c: display_published(_below_k(float(row[c]), k), k, lang=lang)
                for c in OUTLOOK_COLUMNS
            }
        )
        out["outlook_risk"] = str(row["outlook_risk"])
    return out


def _plain(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else round(number, 4)
