"""The build: validated inputs in, scored cells and regions out, written atomically.

Data flows one way: read and validate → index points into cells → spread region-coded cases →
count exposures → window per day → score → roll up to regions → store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo import __version__, cells, reference, store
from geo.allocate import allocate
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, RATIO_METRICS, Out
from geo.config import Config, load_config
from geo.errors import BuildError
from geo.exposure import exposed_checkins
from geo.metrics import ratios as add_ratios
from geo.metrics import windows
from geo.population import Grid, grids
from geo.readers import read_input
from geo.regions import codes_of
from geo.risk import classify, reasons, score
from geo.rollup import region_events, region_table, regions_daily, shares
from geo.validate import (
    CASE_COLUMNS,
    CHECKIN_COLUMNS,
    QUARANTINE_COLUMNS,
    VENUE_COLUMNS,
    Checked,
    validate_cases,
    validate_checkins,
    validate_venues,
)

logger = logging.getLogger(__name__)

Step = Callable[[str, int, int], None]
STEPS = (
    "reading inputs",
    "validating rows",
    "population grid",
    "indexing cells",
    "exposure",
    "cell metrics",
    "region metrics",
    "writing",
)
CELL_COLUMNS = [
    Out.CELL,
    Out.RESOLUTION,
    Out.DATE,
    *COUNT_METRICS,
    Out.POPULATION,
    *RATIO_METRICS,
    Out.RISK,
    Out.RISK_REASON,
    Out.RISK_METRIC,
    *LEVEL_COLUMNS.values(),
]
REGION_COLUMNS = [
    Out.REGION_CODE,
    Out.REGION_LEVEL,
    Out.DATE,
    *COUNT_METRICS,
    Out.POPULATION,
    *RATIO_METRICS,
    Out.RISK,
    Out.RISK_REASON,
    Out.RISK_METRIC,
    Out.SHARE_RED,
    Out.SHARE_ORANGE,
    Out.SHARE_GREEN,
    Out.SHARE_NO_DATA,
]


@dataclass
class Inputs:
    """Validated inputs of one build."""

    cases: Checked
    checkins: Checked | None
    venues: Checked | None


def read_inputs(
    cases: str | Path,
    checkins: str | Path | None = None,
    venues: str | Path | None = None,
    *,
    today: dt.date | None = None,
) -> Inputs:
    """Read and validate the inputs; a file refused whole raises before anything is written."""
    if (checkins is None) != (venues is None):
        msg = "Check-ins need their venues: give both --checkins and --venues, or neither."
        raise BuildError(msg)
    raw_venues = read_input(venues, VENUE_COLUMNS, label="venues") if venues else None
    raw_checkins = read_input(checkins, CHECKIN_COLUMNS, label="check-ins") if checkins else None
    raw_cases = read_input(cases, CASE_COLUMNS, label="cases")
    checked_venues = validate_venues(raw_venues) if raw_venues else None
    checked_checkins = (
        validate_checkins(raw_checkins, checked_venues.accepted, today=today)
        if raw_checkins and checked_venues
        else None
    )
    return Inputs(validate_cases(raw_cases, today=today), checked_checkins, checked_venues)


def _date_range(inputs: Inputs) -> tuple[dt.date, dt.date]:
    dates = [inputs.cases.accepted["date"]]
    if inputs.checkins is not None:
        dates.append(inputs.checkins.accepted["date"])
    every = pd.concat(dates)
    if every.empty:
        msg = "No input row was accepted, so there is nothing to build; see the quarantine reasons."
        raise BuildError(msg)
    return every.min().date(), every.max().date()


def _base_events(inputs: Inputs, config: Config, grid: Grid) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events per base cell (``cell, poly, date, cases, alloc, checkins, exposed``) and the
    region-coded case counts (``region_code, date, cases``)."""
    res = config.base_resolution
    cases = inputs.cases.accepted
    located = cases[cases["poly"] >= 0]
    point_cells = cells.points_to_cells(located["lat"].to_numpy(), located["lon"].to_numpy(), res)
    parts = [
        pd.DataFrame(
            {
                "cell": point_cells,
                "poly": located["poly"].to_numpy(),
                "date": located["date"].to_numpy(),
            }
        )
        .groupby(["cell", "poly", "date"], sort=True)
        .size()
        .rename("cases")
        .reset_index()
    ]
    coded = cases[cases["poly"] < 0].groupby(["region_code", "date"], sort=True).size()
    coded = coded.rename("cases").reset_index()
    allocated = allocate(coded, grid)
    if not allocated.empty:
        allocated = allocated.groupby(["cell", "date"], sort=True)["cases"].sum().reset_index()
        parts.append(allocated.assign(poly=-1, alloc=allocated["cases"]))
    if inputs.checkins is not None and inputs.venues is not None:
        venues = inputs.venues.accepted
        venue_cells = cells.points_to_cells(venues["lat"].to_numpy(), venues["lon"].to_numpy(), res)
        venue_at = pd.DataFrame(
            {"venue_id": venues["venue_id"], "cell": venue_cells, "poly": venues["poly"]}
        )
        daily = (
            inputs.checkins.accepted.groupby(["venue_id", "date"], sort=True)
            .size()
            .rename("checkins")
        )
        exposed = exposed_checkins(inputs.checkins.accepted, cases, config.exposure)
        per_venue = daily.reset_index().merge(exposed, on=["venue_id", "date"], how="outer")
        per_venue = per_venue.merge(venue_at, on="venue_id", how="inner")
        parts.append(per_venue.drop(columns="venue_id"))
    events = pd.concat(parts, ignore_index=True)
    for column in ("cases", "alloc", "checkins", "exposed"):
        events[column] = events[column].astype(float).fillna(0.0) if column in events else 0.0
    events["cell"] = events["cell"].astype(np.uint64)
    events["poly"] = events["poly"].astype(np.int64)
    return events, coded


def _cell_attributes(keys: np.ndarray, events: pd.DataFrame, grid: Grid) -> pd.DataFrame:
    """Population and region codes per cell; cells outside the grid take their events' region."""
    attrs = grid.attributes(grid.lookup(keys))
    outside = np.flatnonzero(attrs[Out.POPULATION_SOURCE].isna().to_numpy())
    if outside.size:
        polys = events[events["poly"] >= 0].groupby("key")["poly"].min()
        fallback = codes_of(polys.reindex(keys[outside]).fillna(-1).astype(int).to_numpy())
        for column in LEVEL_COLUMNS.values():
            attrs.loc[outside, column] = fallback[column].to_numpy()
    return attrs


def _expand(values: pd.Series, inverse: np.ndarray) -> pd.Categorical | np.ndarray:
    """Per-row values from per-cell values; text becomes a categorical (stored once per value)."""
    if values.dtype.kind == "f":
        return values.to_numpy()[inverse]
    present = values.notna().to_numpy()
    labels, codes = np.unique(values[present].astype(str).to_numpy(), return_inverse=True)
    per_cell = np.full(len(values), -1, dtype=np.int64)
    per_cell[present] = codes
    return pd.Categorical.from_codes(per_cell[inverse], categories=labels)


def _cells_daily(
    events: pd.DataFrame, config: Config, all_grids: dict[int, Grid], start: dt.date, end: dt.date
) -> list[pd.DataFrame]:
    """One table per resolution, finest first, rows ordered by date and cell."""
    tables = []
    for res in config.cells.resolutions:
        parent = events["cell"].to_numpy()
        if res != config.base_resolution:
            parent = cells.parents(parent, res)
        keyed = events.assign(key=parent)
        table = windows(keyed, start=start, end=end)
        uniq, inverse = np.unique(table.pop("key").to_numpy(dtype=np.uint64), return_inverse=True)
        attrs = _cell_attributes(uniq, keyed, all_grids[res])
        table[Out.CELL] = pd.Categorical.from_codes(inverse, categories=cells.to_strings(uniq))
        table[Out.RESOLUTION] = np.int8(res)
        for column in attrs.columns:
            table[column] = _expand(attrs[column], inverse)
        add_ratios(table)
        score(table, config)
        tables.append(table)
    return tables


def absent_rules(config: Config) -> dict[str, dict[str, str]]:
    """How a cell with no row on a date is classified: nothing happened in its windows."""
    zero = {c: [0.0, 0.0] for c in COUNT_METRICS}
    frame = pd.DataFrame(zero)
    frame[Out.POPULATION] = [config.risk.no_data_max_population + 1e6, 0.0]
    frame[Out.CHECKINS_BASELINE_7D] = np.nan
    add_ratios(frame)
    classes = classify(frame, config)
    texts = reasons(frame, classes, config)
    states = classes[Out.RISK].to_numpy()
    return {
        "populated": {"risk": str(states[0]), "risk_reason": str(texts[0])},
        "unpopulated": {"risk": str(states[1]), "risk_reason": str(texts[1])},
    }


def _manifest(inputs: Inputs, config: Config, start: dt.date, end: dt.date, rows: dict) -> dict:
    files = {"cases": inputs.cases, "checkins": inputs.checkins, "venues": inputs.venues}
    return {
        "package": "pantauzona",
        "version": __version__,
        "preset": config.name,
        "config_sha256": config.digest(),
        "reference_data_sha256": reference.data_digest(),
        "resolutions": config.cells.resolutions,
        "date_range": [start.isoformat(), end.isoformat()],
        "inputs": {
            name: {"sha256": checked.sha256, **checked.counts}
            for name, checked in files.items()
            if checked is not None
        },
        "tables": rows,
        "absent_cell": absent_rules(config),
        "privacy": {"min_count": config.privacy.min_count},
    }


def build(
    cases: str | Path,
    checkins: str | Path | None,
    venues: str | Path | None,
    out: str | Path,
    *,
    config: Config | None = None,
    today: dt.date | None = None,
    on_step: Step | None = None,
) -> dict:
    """Build the zone tables from the inputs into ``out``, atomically.

    Parameters
    ----------
    cases, checkins, venues
        Input files (CSV or Parquet); check-ins and venues go together or not at all.
    out
        The build directory; the previous build there stays intact if anything fails.
    config
        The risk configuration (default: the ``pantauzona`` preset).
    today
        The date after which input dates are "in the future" (default: today in WIB).
    on_step
        Called with (step name, step number, number of steps) as the build advances.

    Returns
    -------
    dict
        The manifest.
    """
    config = config or load_config()

    def step(i: int) -> None:
        logger.info("%s", STEPS[i])
        if on_step:
            on_step(STEPS[i], i + 1, len(STEPS))

    step(0)
    inputs = read_inputs(cases, checkins, venues, today=today)
    step(1)
    start, end = _date_range(inputs)
    step(2)
    all_grids = grids(tuple(config.cells.resolutions))
    base_grid = all_grids[config.base_resolution]
    step(3)
    events, coded = _base_events(inputs, config, base_grid)
    step(5)
    cells_daily = _cells_daily(events, config, all_grids, start, end)
    step(6)
    table = region_table(base_grid)
    located = events[events["poly"] >= 0]
    reg_events = region_events(located, coded)
    reporting = set(reg_events["key"].unique())
    reg_windows = windows(reg_events, start=start, end=end)
    dates = pd.date_range(start, end, freq="D").astype("datetime64[s]")
    regs = regions_daily(reg_windows, table, dates, reporting, config)
    shares(cells_daily[0], regs)
    step(7)
    quarantine = pd.concat(
        [c.quarantine for c in (inputs.venues, inputs.checkins, inputs.cases) if c is not None],
        ignore_index=True,
    )[QUARANTINE_COLUMNS]
    static_columns = [Out.CELL, Out.RESOLUTION, Out.POPULATION, Out.POPULATION_SOURCE]
    static_cells = [
        t[[*static_columns, *LEVEL_COLUMNS.values()]].drop_duplicates(Out.CELL) for t in cells_daily
    ]
    static_regions = table.assign(reporting=table[Out.REGION_CODE].isin(reporting))
    rows = {
        "cells_daily": sum(len(t) for t in cells_daily),
        "regions_daily": len(regs),
        "cells": sum(len(t) for t in static_cells),
        "regions": len(static_regions),
        "quarantine": len(quarantine),
    }
    manifest = _manifest(inputs, config, start, end, rows)
    version = store.new_version(out)
    try:
        store.write_parquet([t[CELL_COLUMNS] for t in cells_daily], version / "cells_daily.parquet")
        store.write_parquet(regs[REGION_COLUMNS], version / "regions_daily.parquet")
        store.write_parquet(static_cells, version / "cells.parquet")
        store.write_parquet(static_regions, version / "regions.parquet")
        quarantine.to_csv(version / "quarantine.csv", index=False)
        store.write_json(config.model_dump(mode="json"), version / "config.json")
        store.write_json(manifest, version / "manifest.json")
    except BaseException:
        store.discard(version)
        raise
    store.publish(version, out)
    return manifest
