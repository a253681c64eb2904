"""What the pages ask of a build, as frozen results: the map, a region's summary, region lookups.

Every number a page shows is computed here or in the modules this one reads
(:mod:`geo.buildread`, :mod:`geo.mapshapes`, :mod:`geo.zonemap`); the dashboard only caches
these results (keyed by the build's version folder) and lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo import cells
from geo.buildread import Build, counts_for, level_of, region_rows, regions_on
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, RISK_STATES, Out
from geo.errors import BuildError
from geo.mapshapes import map_resolution
from geo.metrics import ratios
from geo.privacy import OFFICIAL, check_audience, public_frame
from geo.risk import classify
from geo.zonemap import zone_tips


@dataclass(frozen=True)
class Summary:
    """What the panel beside the map says about one region on one day."""

    code: str | None
    name: str
    level: str
    risk: str
    reason: str
    cases_7d: str | float
    cases_per_100k_7d: str | float | None
    shares: dict[str, float]
    day: dt.date
    data_until: dt.date


def _country_row(build: Build, day: dt.date) -> pd.DataFrame:
    provinces = regions_on(build, day, None)
    row = provinces[list(COUNT_METRICS)].sum().to_frame().T
    row[Out.POPULATION] = provinces[Out.POPULATION].sum()
    row[Out.DATE] = pd.Timestamp(day)
    ratios(row)
    row[Out.RISK] = classify(row, build.config)[Out.RISK].to_numpy()
    if Out.COVERED in provinces:  # the country has data on a day a report covers a province
        row[Out.COVERED] = bool(provinces[Out.COVERED].any())
        row[Out.LAST_REPORT] = provinces[Out.LAST_REPORT].max()
        if not row[Out.COVERED].iloc[0]:
            row[Out.RISK] = "no_data"
    population = provinces[Out.POPULATION].to_numpy(float)
    for state in RISK_STATES:
        share = provinces[f"share_population_{state}"].fillna(0).to_numpy(float)
        row[f"share_population_{state}"] = float((share * population).sum() / population.sum())
    return row


def region_summary(
    build: Build, day: dt.date, code: str | None, *, audience: str, lang: str
) -> Summary:
    """Colour, reason, cases and shares of population by colour for one region on one day.

    ``code=None`` summarises the whole country (counts summed over provinces, the rate recomputed
    from the sums and classified by the same rules).
    """
    check_audience(audience)
    if code is None:
        row, name, level = _country_row(build, day), "Indonesia", "country"
    else:
        row = region_rows(build, [code], day)
        if row.empty:
            msg = f"The build has no row for region {code} on {day.isoformat()}."
            raise BuildError(msg)
        name, level = str(row["name"].iloc[0]), level_of(build, code)
    shown = row if audience == OFFICIAL else public_frame(row, build.config.privacy)
    # The card's plain reason with whole numbers (the country has no week-before row: its
    # reason does not need one).
    keyed = row.reset_index(drop=True)
    if Out.REGION_CODE not in keyed:
        keyed[Out.REGION_CODE] = ""
    reason = zone_tips(build, keyed, shown, audience, lang)[0].reason
    figures = counts_for(shown.iloc[0], audience=audience, k=build.min_count, lang=lang)
    shares = {state: float(row[f"share_population_{state}"].iloc[0]) for state in RISK_STATES}
    cases = figures[Out.CASES_7D]
    assert cases is not None  # only a rate can be missing (no population)
    return Summary(
        code=code,
        name=name,
        level=level,
        risk=str(row[Out.RISK].iloc[0]),
        reason=str(reason),
        cases_7d=cases,
        cases_per_100k_7d=figures[Out.CASES_PER_100K_7D],
        shares=shares,
        day=day,
        data_until=build.dates[-1],
    )


def zone_regions(build: Build, cell: str) -> tuple[str, ...]:
    """The regions of the build the zone belongs to, province first (as its rows say).

    Empty when ``cell`` is not an H3 cell, not of a resolution the build has, or not a cell of
    the build.
    """
    if not cells.is_valid_cell(cell) or cells.resolution_of(cell) not in (
        build.config.cells.resolutions
    ):
        return ()
    columns = list(LEVEL_COLUMNS.values())
    row = pd.read_parquet(
        build.path / "cells.parquet", columns=columns, filters=[(Out.CELL, "==", cell)]
    )
    if row.empty:
        return ()
    codes = [row[column].iloc[0] for column in columns]
    return tuple(c for c in codes if isinstance(c, str) and c in build.regions.index)


def zone_region(build: Build, cell: str, region_code: str | None = None) -> str | None:
    """The region whose map opens on the zone ``cell`` (drawn at the zone's resolution).

    ``region_code`` when the zone belongs to it and its map is drawn at the zone's resolution;
    otherwise the finest region of the zone whose map is; otherwise the zone's finest region.
    ``None`` when the zone is unknown (:func:`zone_regions`).
    """
    regions = zone_regions(build, cell)
    if not regions:
        return None
    resolution = cells.resolution_of(cell)
    natural = [code for code in regions if map_resolution(build, code) == resolution]
    if region_code in natural:
        return region_code
    return natural[-1] if natural else regions[-1]
