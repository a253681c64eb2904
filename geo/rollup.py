"""Region metrics: exact counts at every level, population, risk and coverage (shares by colour:
:mod:`geo.shares`).

Counts sum: a located case, check-in or exposure counts in its kelurahan/desa (where villages
have polygons), kecamatan, kabupaten/kota and province; a region-coded case counts at its region and every level above.
A region below a reporting allocation target (a province-coded feed's kab/kota, kecamatan and
kelurahan) takes its population's share of the target's counts, as its cells do on the map
(:func:`shared_windows`): its row says what the map shows. Ratios are recomputed from the summed
counts, never averaged. ``regions_daily`` is dense: every
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
#: Counts a region takes from the targets above it (the windowed counts are linear).
SHARED = (Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D)
#: The counts of a located event that its regions sum (:func:`region_events`).
EVENT_COUNTS = ["cases", "checkins", "exposed"]


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
    # Summed per polygon and day first: a region's events are its polygons' (the counts are
    # whole numbers, exact in any order), so codes are looked up, and rows windowed, per
    # polygon-day, not per cell-day of a venue or case.
    located = located.groupby(["poly", "date"], sort=True, as_index=False)[EVENT_COUNTS].sum()
    codes = regions.codes_of(located["poly"].to_numpy())
    for column in LEVEL_COLUMNS.values():
        keep = codes[column].notna().to_numpy()
        part = located.loc[keep, ["date", *EVENT_COUNTS]]
        part["key"] = codes[column].to_numpy()[keep]
        parts.append(part)
    if not coded.empty:
        lineage = {c: regions.ancestors(c) for c in coded["region_code"].unique()}
        up = coded.assign(key=coded["region_code"].map(lineage)).explode("key")
        parts.append(up.assign(checkins=0.0, exposed=0.0)[["key", "date", *EVENT_COUNTS]])
    events = pd.concat(parts, ignore_index=True)
    events["alloc"] = 0.0
    return events


def below_targets(targets: set[str], codes: list[str]) -> dict[str, list[str]]:
    """The allocation targets strictly above each of ``codes`` (left out: codes with none).

    Parameters
    ----------
    targets
        The build's allocation targets (:func:`geo.allocate.targets`).
    codes
        Region codes.
    """
    out = {}
    for code in codes:
        above = [a for a in regions.ancestors(str(code))[1:] if a in targets]
        if above:
            out[str(code)] = above
    return out


def shared_windows(
    allocated: pd.DataFrame, codes: list[str], population: pd.Series
) -> pd.DataFrame:
    """Each region's share of the windowed counts of the allocation targets strictly above it.

    A region R below a target T takes T's counts times population(R) / population(T), the sum of
    its cells' weights (:func:`geo.allocate.weights`), so the region's rate is T's, as on the map.
    Targets at R or inside it are left out: :func:`region_events` counts them at R already.

    Parameters
    ----------
    allocated
        ``target_code, date, new_cases, cases_7d, cases_14d`` (:func:`geo.compose.target_windows`).
    codes
        The regions wanted.
    population
        Population by region code (every region: the targets' too).

    Returns
    -------
    DataFrame
        ``key, date``, the shared counts, ``new_cases_allocated`` (the shared new cases) and
        ``cases_7d_exact`` (the exact 7-day counts of the targets the shares came from).
    """
    columns = ["key", Out.DATE, *SHARED, Out.NEW_CASES_ALLOCATED, Out.CASES_7D_EXACT]
    above = below_targets(set(allocated["target_code"].astype(str)), codes)
    pairs = [(code, t) for code, ts in above.items() for t in ts]
    if not pairs:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns}).astype(
            {"key": object, Out.DATE: "datetime64[s]"}
        )
    key, target = (np.array(x, dtype=object) for x in zip(*pairs, strict=True))
    own = population.reindex(key).to_numpy(dtype=float)
    total = population.reindex(target).to_numpy(dtype=float)
    factor = np.where(total > 0, np.nan_to_num(own) / np.where(total > 0, total, 1), 0.0)
    members = pd.DataFrame({"key": key, "target_code": target, "factor": factor})
    joined = members[members["factor"] > 0].merge(
        allocated.astype({"target_code": str}), on="target_code"
    )
    out = pd.DataFrame({"key": joined["key"].to_numpy(), Out.DATE: joined[Out.DATE].to_numpy()})
    for column in SHARED:
        out[column] = joined[column].to_numpy(dtype=float) * joined["factor"].to_numpy()
    out[Out.NEW_CASES_ALLOCATED] = out[Out.NEW_CASES]
    out[Out.CASES_7D_EXACT] = joined[Out.CASES_7D].to_numpy(dtype=float)
    return out.groupby(["key", Out.DATE], as_index=False, sort=True).sum()[columns]


def with_shared(windows: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """Regions' own windows plus their shared counts (:func:`shared_windows`), on one index,
    with ``cases_7d_exact``: the own 7-day count plus the exact counts shared from."""
    own = windows.set_index(["key", Out.DATE])
    own[Out.CASES_7D_EXACT] = own[Out.CASES_7D].to_numpy(dtype=float)
    if shared.empty:
        return own.reset_index()
    extra = shared.set_index(["key", Out.DATE])
    every = own.index.union(extra.index)
    own = own.reindex(every)
    for column in [*SHARED, Out.NEW_CASES_ALLOCATED, Out.CASES_7D_EXACT]:
        own[column] = own[column].fillna(0.0) + extra[column].reindex(every).fillna(0.0)
    return own.reset_index()


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
