"""Zone reports for planners: one region, a date range, a resolution and an audience.

:func:`zone_report` gathers the tables once; :data:`EXPORTERS` turns them into bytes (CSV, Excel,
GeoJSON, GeoPackage, PDF), the same functions for the command line and the dashboard. Public
reports carry the published figures of the public pages (:mod:`geo.privacy`), and only the
zones the public map draws. Text that a
spreadsheet would read as a formula (starting with ``= + - @``, a tab or a carriage return) is
neutralised with a leading apostrophe, and Excel files never hold a formula cell from data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pyarrow.compute as pc
import pyarrow.dataset as ds

from geo import buildread, cells, compose, mapshapes
from geo.buildread import Build
from geo.changes import what_changed
from geo.columns import LEVEL_COLUMNS, Out
from geo.errors import PantauZonaError
from geo.privacy import OFFICIAL, check_audience, public_table, public_zones

CHANGE_COLUMNS = ["cell", "before", "after", "change", "reason"]
ZONE_COLUMNS = [
    Out.DATE,
    Out.CELL,
    Out.RESOLUTION,
    Out.RISK,
    "reason",
    Out.NEW_CASES,
    Out.CASES_7D,
    Out.CASES_14D,
    Out.CASES_PER_100K_7D,
    Out.GROWTH_RATIO_7D,
    Out.CHECKINS_7D,
    Out.CROWDING_RATIO,
    Out.EXPOSED_CHECKINS_7D,
    Out.POPULATION,
    *LEVEL_COLUMNS.values(),
]
DESCRIPTIONS = {
    Out.DATE: "the day; windows end on it",
    Out.CELL: "H3 cell id",
    Out.RESOLUTION: "H3 resolution of the cell",
    Out.REGION_CODE: "Kemendagri 2025 region code",
    "name": "region name",
    Out.RISK: "red, orange, green or no_data",
    "reason": "why the zone has its colour",
    Out.NEW_CASES: "cases reported that day (allocated region-coded cases are fractional)",
    Out.CASES_7D: "cases in the 7 days ending on the date",
    Out.CASES_14D: "cases in the 14 days ending on the date",
    Out.CASES_PER_100K_7D: "cases in 7 days per 100,000 residents",
    Out.GROWTH_RATIO_7D: "cases in 7 days over the 7 days before",
    Out.CHECKINS_7D: "venue check-ins in 7 days (officials only)",
    Out.CROWDING_RATIO: "check-ins in 7 days over the usual week (officials only)",
    Out.EXPOSED_CHECKINS_7D: "check-ins exposed to a later case in 7 days (officials only)",
    Out.POPULATION: "resident population of the zone",
    Out.PROVINCE_CODE: "province code",
    Out.REGENCY_CODE: "kabupaten/kota code",
    Out.DISTRICT_CODE: "kecamatan code",
    Out.VILLAGE_CODE: "kelurahan/desa code (DKI Jakarta and Jawa Barat only)",
    "before": "colour 7 days earlier",
    "after": "colour on the report's last day",
}


class ReportError(PantauZonaError, ValueError):
    """A report that cannot be made (unknown region, dates outside the build)."""


@dataclass
class ZoneReport:
    """Everything a report shows, already suppressed for its audience."""

    build: Build
    region_code: str
    region_name: str
    date_from: dt.date
    date_to: dt.date
    resolution: int
    audience: str
    lang: str
    zones: pd.DataFrame
    latest: gpd.GeoDataFrame
    daily: pd.DataFrame
    children: pd.DataFrame
    changes: pd.DataFrame

    @property
    def data_date(self) -> dt.date:
        return self.build.dates[-1]


def _read_cells(
    build: Build, code: str, resolution: int, first: dt.date, last: dt.date
) -> pd.DataFrame:
    level = buildread.level_of(build, code)
    where = (
        (pc.field(Out.RESOLUTION) == resolution)
        & (pc.field(Out.DATE) >= buildread.day_stamp(first))
        & (pc.field(Out.DATE) <= buildread.day_stamp(last))
        & (pc.field(LEVEL_COLUMNS[level]) == code)
    )
    own = ds.dataset(build.path / "cells_daily.parquet").to_table(filter=where).to_pandas()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    candidates = compose.view_cells(build, code, resolution)
    return compose.compose(build, own, resolution, days, candidates)


def _for_audience(
    build: Build, table: pd.DataFrame, audience: str, lang: str, columns: list[str]
) -> pd.DataFrame:
    """``table`` with its reasons, as ``audience`` may read it, in ``columns`` (those left)."""
    out = table.assign(reason=buildread.render_reasons(build, table, audience=audience, lang=lang))
    out = public_table(out, audience=audience, privacy=build.config.privacy, lang=lang)
    return out[[c for c in columns if c in out.columns]]


def zone_report(
    build: Build,
    region_code: str,
    date_from: dt.date,
    date_to: dt.date,
    *,
    resolution: int | None = None,
    audience: str = "public",
    lang: str = "id",
) -> ZoneReport:
    """Gather a zone report.

    Parameters
    ----------
    build
        An open build (:func:`geo.buildread.open_build`).
    region_code
        The region (Kemendagri 2025 code).
    date_from, date_to
        The period, both days of the build.
    resolution
        H3 resolution of the zones (default: the map's resolution for the region).
    audience
        ``"public"`` (suppressed as the public pages are) or ``"official"``.
    lang
        ``"id"`` or ``"en"``.
    """
    check_audience(audience)
    if region_code not in build.regions.index:
        msg = f"Unknown region code {region_code!r}."
        raise ReportError(msg)
    if date_from > date_to or date_from not in build.dates or date_to not in build.dates:
        first, last = build.dates[0], build.dates[-1]
        msg = f"The period must lie within the build's days, {first} to {last}, and start first."
        raise ReportError(msg)
    resolution = (
        resolution
        or mapshapes.map_resolution(build, region_code)
        or min(build.config.cells.resolutions)
    )
    if resolution not in build.config.cells.resolutions:
        msg = f"Resolution {resolution} is not in this build ({build.config.cells.resolutions})."
        raise ReportError(msg)
    raw = _read_cells(build, region_code, resolution, date_from, date_to)
    if audience != OFFICIAL:  # the zones the public map draws
        raw = raw[public_zones(raw)].reset_index(drop=True)
    table = _for_audience(build, raw, audience, lang, ZONE_COLUMNS)
    last = raw[Out.DATE] == pd.Timestamp(date_to)
    latest_cells = raw.loc[last, Out.CELL].astype(str).to_numpy()
    geometry = cells.polygons(cells.from_strings(latest_cells))
    latest = gpd.GeoDataFrame(
        table[last.to_numpy()].reset_index(drop=True), geometry=list(geometry), crs=4326
    )
    region_rows = buildread.region_rows(build, [region_code])
    in_period = region_rows[Out.DATE].between(pd.Timestamp(date_from), pd.Timestamp(date_to))
    daily = region_rows[in_period].reset_index(drop=True)
    daily_columns = [
        Out.DATE,
        Out.RISK,
        "reason",
        Out.NEW_CASES,
        Out.CASES_7D,
        Out.CASES_PER_100K_7D,
        Out.CHECKINS_7D,
        Out.SHARE_RED,
        Out.SHARE_ORANGE,
        Out.SHARE_GREEN,
        Out.SHARE_NO_DATA,
    ]
    daily = _for_audience(build, daily, audience, lang, daily_columns)
    children = buildread.regions_on(build, date_to, region_code)
    if len(children):
        child_columns = [
            Out.REGION_CODE,
            "name",
            Out.RISK,
            "reason",
            Out.CASES_7D,
            Out.CASES_PER_100K_7D,
        ]
        children = _for_audience(build, children, audience, lang, child_columns)
    changes = what_changed(
        build, region_code, date_to, audience=audience, lang=lang, resolution=resolution
    )
    changes = changes.rename(columns={"zone": "cell"})[CHANGE_COLUMNS]
    name = str(build.regions.loc[region_code, "name"])
    return ZoneReport(
        build,
        region_code,
        name,
        date_from,
        date_to,
        resolution,
        audience,
        lang,
        table,
        latest,
        daily,
        children,
        changes,
    )
