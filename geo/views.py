"""What the pages ask of a build, as frozen results: everything a page shows.

The map (:func:`map_layers`), a region's summary (:func:`region_summary`), the regions a zone or
a point opens on, where the data comes from, the zone reports, and the reads of the modules
named in :data:`__all__` (trends, what changed, hotspots, other rules, the zone card), which the
pages use as they are. Every number a page shows is computed here or in the modules this one
reads; the dashboard only caches these results (every key holds the build's version folder)
and lays them out: ``tests/test_layers.py`` holds it to that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from geo import categories, cells, completeness, exports, reports, search
from geo.backtest import outlook_shown, province_backtest
from geo.buildread import (
    Build,
    children_of,
    counts_for,
    level_of,
    open_build,
    region_rows,
    regions_on,
)
from geo.card_text import ZoneCard
from geo.cells import is_valid_cell
from geo.changes import what_changed
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, RISK_STATES, Out
from geo.completeness import DAY_COLUMNS, default_day, incomplete_share
from geo.config import PRESETS, Privacy
from geo.editions import EDITIONS
from geo.errors import BuildError
from geo.headline import zone_card
from geo.hotspot_views import RegionFigures, new_hotspots, region_figures
from geo.mapshapes import (
    ZoneView,
    map_resolution,
    outlines_geojson,
    phone_bounds,
    populated_bounds,
    zone_view,
)
from geo.metrics import ratios
from geo.population import SOURCE_KEYS
from geo.privacy import OFFICIAL, PUBLIC, check_audience, noise_shares, public_frame
from geo.reclassify import differences, under_preset
from geo.reference import data_sources
from geo.regions import ancestors, within
from geo.risk import classify, metric_words
from geo.search import Match, parse_coordinates
from geo.trends import compare_children, daily_series, incomplete_spans, share_series
from geo.zonemap import zone_tips, zones_geojson

#: What the pages read from other modules as they are (the rest of the read path is defined here).
__all__ = [
    "DAY_COLUMNS",
    "EDITIONS",
    "OFFICIAL",
    "PUBLIC",
    "SOURCE_KEYS",
    "Build",
    "Match",
    "Privacy",
    "RegionFigures",
    "ZoneCard",
    "ZoneView",
    "compare_children",
    "daily_series",
    "data_sources",
    "default_day",
    "differences",
    "incomplete_share",
    "incomplete_spans",
    "is_valid_cell",
    "map_resolution",
    "metric_words",
    "new_hotspots",
    "noise_shares",
    "open_build",
    "outlook_shown",
    "parse_coordinates",
    "province_backtest",
    "region_figures",
    "share_series",
    "under_preset",
    "what_changed",
    "within",
    "zone_card",
    "zone_view",
]


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


# --- The map of a view ------------------------------------------------------------------------


class MapLayers(NamedTuple):
    """What the risk map draws: ``bounds`` is ``[[south, west], [north, east]]``."""

    hexagons: dict
    outlines: dict
    bounds: list[list[float]]
    resolution: int | None = None
    #: The first fit on a phone (:func:`geo.mapshapes.phone_bounds`); ``bounds`` when ``None``.
    phone_bounds: list[list[float]] | None = None


def map_layers(
    build: Build,
    day: dt.date,
    code: str | None,
    *,
    audience: str,
    lang: str,
    resolution: int | None = None,
) -> MapLayers:
    """The zones, outlines and first fits of the map of ``code`` (``None``: the country) on
    ``day``: its hexagons at ``resolution``, default the map's (:func:`map_resolution`)."""
    if code is None or resolution is None:
        resolution = map_resolution(build, code)
    hexagons = zones_geojson(build, day, code, audience=audience, lang=lang, resolution=resolution)
    return MapLayers(
        hexagons=hexagons,
        outlines=outlines_geojson(build, code),
        bounds=populated_bounds(build, code),
        resolution=resolution,
        phone_bounds=phone_bounds(build, code),
    )


# --- Regions: their names, and finding one ----------------------------------------------------


def children(build: Build, parent_code: str | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the regions directly below ``parent_code`` (provinces for ``None``)."""
    rows = children_of(build, parent_code)
    return list(zip(rows[Out.REGION_CODE], rows["name"], strict=True))


def parent(build: Build, code: str) -> str | None:
    """The code of the region holding ``code`` (``None`` for a province); :class:`KeyError`
    for an unknown code."""
    value = build.regions.loc[code, "parent_code"]
    return str(value) if isinstance(value, str) and value else None


def find_regions(build: Build, query: str) -> list[search.Match]:
    """Regions of the build matching ``query`` by name or code, best first: eight, or more when
    more match the whole name or code (see :func:`geo.search.search_regions`)."""
    return search.search_regions(query, limit=8, among=build.regions.index)


def region_at(build: Build, lat: float, lon: float) -> str | None:
    """The finest region of the build holding the point, or ``None``."""
    return search.region_at(lat, lon, among=build.regions.index)


def child_on_path(finest: str | None, region_code: str | None) -> str | None:
    """The child of ``region_code`` (a province for ``None``) on the way down to ``finest``;
    ``None`` when ``finest`` is ``None``, not inside ``region_code``, or ``region_code`` itself."""
    if finest is None:
        return None
    lineage = list(reversed(ancestors(finest)))  # province first
    depth = 0 if region_code is None else region_code.count(".") + 1
    if region_code is not None and region_code not in lineage:
        return None
    return lineage[depth] if depth < len(lineage) else None


# --- Where the data comes from ----------------------------------------------------------------


def population_sources(build: Build) -> pd.Series:
    """How many regions take their population from each source, most first."""
    return build.regions["population_source"].value_counts()


# --- Days, presets and the officials' breakdowns ----------------------------------------------


def day_table(build: Build) -> pd.DataFrame:
    """Each day's completeness (:func:`geo.completeness.read_days`)."""
    return completeness.read_days(build.path, build.dates)


def other_presets(build: Build) -> list[str]:
    """The shipped presets other than the build's own, to compare the map with."""
    return [name for name in PRESETS if name != build.config.name]


def category_breakdown(
    build: Build, day: dt.date, code: str | None, *, audience: str
) -> pd.DataFrame:
    """Check-ins by venue category in the 7 days to ``day`` (:func:`geo.categories.breakdown`):
    officials only, empty for the public."""
    if check_audience(audience) != OFFICIAL:
        return pd.DataFrame()
    return categories.breakdown(build.path, day, code)


# --- Zone reports (the Reports page) ----------------------------------------------------------

#: Rows of the zone table the reports page previews.
PREVIEW_ROWS = 8
#: Days in a report's default period, ending on the selected day.
REPORT_DAYS = 14


class PreparedReport(NamedTuple):
    """A zone report ready to download, with the first rows of its zone table."""

    data: bytes
    file_name: str
    mime: str
    preview: pd.DataFrame
    zone_rows: int


def report_period(day: dt.date, first: dt.date) -> tuple[dt.date, dt.date]:
    """The default period of a report: :data:`REPORT_DAYS` days ending on ``day``, from
    ``first``."""
    return max(first, day - dt.timedelta(days=REPORT_DAYS - 1)), day


def report_file_name(region_code: str, date_from: dt.date, date_to: dt.date, fmt: str) -> str:
    """``pantauzona-31.71-2021-06-28-2021-07-11.csv``: region, period and format."""
    return f"pantauzona-{region_code}-{date_from.isoformat()}-{date_to.isoformat()}.{fmt}"


def _preview(table: pd.DataFrame) -> pd.DataFrame:
    head = table.head(PREVIEW_ROWS).copy()
    for column in head.columns:
        if pd.api.types.is_datetime64_any_dtype(head[column]):
            head[column] = head[column].dt.strftime("%Y-%m-%d")
    return head


def prepare_report(
    build: Build,
    region_code: str,
    date_from: dt.date,
    date_to: dt.date,
    *,
    resolution: int,
    fmt: str,
    audience: str,
    lang: str,
) -> PreparedReport:
    """The zone report of ``region_code`` (:func:`geo.reports.zone_report`) as ``fmt`` bytes
    for ``audience``, with its file name, media type and the first rows of its zone table.

    Raises :class:`geo.reports.ReportError` (a sentence) for a period or resolution the build
    does not have.
    """
    report = reports.zone_report(
        build, region_code, date_from, date_to, resolution=resolution, audience=audience, lang=lang
    )
    return PreparedReport(
        data=exports.export(report, fmt),
        file_name=report_file_name(region_code, date_from, date_to, fmt),
        mime=exports.MEDIA_TYPES[fmt],
        preview=_preview(report.zones),
        zone_rows=len(report.zones),
    )
