"""Region metrics: exact counts at every level, population, risk and coverage (shares by colour:
:mod:`geo.shares`).

Counts sum: a located case, check-in or exposure counts in its kelurahan/desa (where villages
have polygons), kecamatan, kabupaten/kota and province; a region-coded case counts at its region and every level above.
Ratios are recomputed from the summed counts, never averaged. ``regions_daily`` is dense: every
region on every day of the build. A region with no input record at all in the build period has no
data, not green.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import coverage, reference, regions
from geo.columns import LEVEL_COLUMNS, LEVELS, Out
from geo.config import Config
from geo.metrics import ratios
from geo.population import LEVEL_INDEX, Grid, region_sources
from geo.risk import score

NO_REPORTS = "no data: no reports from this region in the build period"


def region_events(located: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """Events keyed by region code at every level.

    Parameters
    ----------
    located
        ``poly, date, cases, checkins, exposed``: events with a point (polygon index).
    coded
        ``region_code, date, cases``: region-coded case counts.
    """
    parts = []
    codes = regions.codes_of(located["poly"].to_numpy())
    for column in LEVEL_COLUMNS.values():
        keep = codes[column].notna().to_numpy()
        part = located.loc[keep, ["date", "cases", "checkins", "exposed"]].copy()
        part["key"] = codes[column].to_numpy()[keep]
        parts.append(part)
    if not coded.empty:
        lineage = {c: regions.ancestors(c) for c in coded["region_code"].unique()}
        up = coded.assign(key=coded["region_code"].map(lineage)).explode("key")
        parts.append(
            up.assign(checkins=0.0, exposed=0.0)[["key", "date", "cases", "checkins", "exposed"]]
        )
    events = pd.concat(parts, ignore_index=True)
    events["alloc"] = 0.0
    return events


def region_table(grid: Grid) -> pd.DataFrame:
    """Every region with its population (summed from the base grid) and population source."""
    table = reference.regions()[["code", "name", "level", "parent_code"]].copy()
    table = table.reset_index(drop=True)
    population = np.zeros(len(table))
    pop = grid.table[Out.POPULATION].to_numpy()
    for idx_col in LEVEL_INDEX:
        idx = grid.table[idx_col].to_numpy()
        ok = idx >= 0
        population += np.bincount(idx[ok], weights=pop[ok], minlength=len(table))
    table[Out.POPULATION] = population
    table[Out.POPULATION_SOURCE] = region_sources().reindex(table["code"]).to_numpy()
    return table.rename(columns={"code": Out.REGION_CODE, "level": Out.REGION_LEVEL})


def regions_daily(
    windows: pd.DataFrame,
    table: pd.DataFrame,
    dates: pd.DatetimeIndex,
    reporting: set[str],
    config: Config,
) -> pd.DataFrame:
    """The dense region-by-day table with metrics, ratios and risk."""
    grid_index = pd.MultiIndex.from_product(
        [table[Out.REGION_CODE].to_numpy(), dates], names=["key", Out.DATE]
    )
    dense = windows.set_index(["key", Out.DATE]).reindex(grid_index)
    counts = [c for c in windows.columns if c not in ("key", Out.DATE, Out.CHECKINS_BASELINE_7D)]
    dense[counts] = dense[counts].fillna(0.0)
    dense = dense.reset_index().rename(columns={"key": Out.REGION_CODE})
    attrs = table.set_index(Out.REGION_CODE)
    dense.insert(
        1, Out.REGION_LEVEL, attrs[Out.REGION_LEVEL].reindex(dense[Out.REGION_CODE]).to_numpy()
    )
    dense[Out.POPULATION] = attrs[Out.POPULATION].reindex(dense[Out.REGION_CODE]).to_numpy()
    ratios(dense)
    score(dense, config)
    dense[Out.RISK_REASON] = dense[Out.RISK_REASON].astype(object)
    # Dense rows are region-major (one region's days together): tested once per region.
    listed = [str(code) in reporting for code in table[Out.REGION_CODE]]
    silent = np.repeat(~np.array(listed, dtype=bool), len(dates))
    dense.loc[silent, Out.RISK] = "no_data"
    dense.loc[silent, Out.RISK_REASON] = NO_REPORTS
    dense.loc[silent, Out.RISK_METRIC] = None
    dense[Out.REGION_LEVEL] = pd.Categorical(dense[Out.REGION_LEVEL], categories=list(LEVELS))
    return dense


def mark_coverage(
    dense: pd.DataFrame,
    reports: pd.DataFrame | dict[str, np.ndarray],
    dates: pd.DatetimeIndex,
) -> None:
    """Add ``covered`` and ``last_report`` to the dense region table (in place): a region without
    a report of its own, an ancestor's or a descendant's in the window is ``no_data``.

    A row already without data (no population, or no report in the whole period) keeps its
    reason."""
    codes = dense[Out.REGION_CODE].astype(str).to_numpy()[:: len(dates)]
    covered, last = coverage.coverage(reports, list(codes), dates, from_below=True)
    dense[Out.COVERED] = covered.ravel()
    dense[Out.LAST_REPORT] = last.ravel()
    silent = ~covered.ravel() & (dense[Out.RISK].astype(str).to_numpy() != "no_data")
    dense.loc[silent, Out.RISK] = "no_data"
    dense.loc[silent, Out.RISK_REASON] = coverage.no_report_reasons(last.ravel()[silent], "en")
    dense.loc[silent, Out.RISK_METRIC] = None
