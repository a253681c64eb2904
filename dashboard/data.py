"""The seam between the dashboard and ``geo``: the build in ``$PANTAUZONA_BUILD``, cached.

Every number comes from ``geo``; this module only opens the build, caches at the edge
(``@st.cache_resource`` for the open build, ``@st.cache_data`` for each view, keyed by simple
arguments: the build path, the audience and the view) and shapes results for the pages.

- ``available_dates() -> list[date]``: days with data, ascending (empty without a build).
- ``children(parent_code) -> list[tuple[code, name]]``: provinces for ``None``, else the regions
  one level below ``parent_code``; empty for a village or an unknown code.
- ``region_name(code) -> str`` and ``parent(code) -> str | None`` (``None`` for a province):
  both raise ``KeyError`` for an unknown code.
- ``map_layers(day, region_code, lang) -> MapLayers``: zones as a GeoJSON FeatureCollection whose
  features carry ``risk``, ``label``, ``reason`` (in ``lang``) and ``code`` (the region a click
  opens), the region outlines, and the bounds to fit.
- ``daily_cases(region_code) -> DataFrame`` with columns ``date`` and ``cases``.
- ``prepare_report(region_code, date_from, date_to, ...) -> PreparedReport``: a zone report's
  bytes in one export format, for the audience the viewer has in that region.

The audience is ``public`` unless the deployment sets ``PANTAUZONA_AUDIENCE=official``; a URL
cannot change it. Region codes are strings (``"31.71.01.1001"``).
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from geo import exports, reference, reports, search, trends, zones
from geo.errors import BuildError
from geo.privacy import OFFICIAL, PUBLIC
from geo.regions import ancestors
from geo.zones import Build, Summary

BUILD_ENV = "PANTAUZONA_BUILD"
DEFAULT_BUILD = "build/sample"
AUDIENCE_ENV = "PANTAUZONA_AUDIENCE"
MAKE_BUILD = "make sample"


class MapLayers(NamedTuple):
    """What the risk map draws: ``bounds`` is ``[[south, west], [north, east]]``."""

    hexagons: dict
    outlines: dict
    bounds: list[list[float]]
    resolution: int | None = None


def build_path() -> str:
    """The build the dashboard shows (``$PANTAUZONA_BUILD``, default ``build/sample``)."""
    return os.environ.get(BUILD_ENV, DEFAULT_BUILD)


class Viewer(NamedTuple):
    """Who is looking: the public, or an official scoped to a region (``None``: Indonesia)."""

    name: str = ""
    region: str | None = None
    official: bool = False


def viewer() -> Viewer:
    """The current viewer (the deployment's ``$PANTAUZONA_AUDIENCE``; public by default)."""
    if os.environ.get(AUDIENCE_ENV, PUBLIC) == OFFICIAL:
        return Viewer(name="deployment", region=None, official=True)
    return Viewer()


def audience() -> str:
    """``official`` if the viewer is an official anywhere, else ``public``."""
    return OFFICIAL if viewer().official else PUBLIC


def in_scope(region_code: str | None, scope: str | None) -> bool:
    """Whether ``region_code`` (``None``: Indonesia) lies inside ``scope`` (``None``: Indonesia)."""
    if scope is None:
        return True
    return region_code is not None and (region_code == scope or region_code.startswith(scope + "."))


def audience_for(region_code: str | None) -> str:
    """What the viewer may see of ``region_code`` (``None``: Indonesia): public or official."""
    who = viewer()
    return OFFICIAL if who.official and in_scope(region_code, who.region) else PUBLIC


def is_official() -> bool:
    """Whether the viewer may see official figures anywhere (the officials' pages)."""
    return viewer().official


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Build:
    return zones.open_build(path)


def _build() -> Build:
    return _open(build_path())


def build_problem() -> str | None:
    """Why there is no build to show (one sentence), or ``None`` when there is one."""
    try:
        _build()
    except BuildError as exc:
        return str(exc)
    return None


def min_count() -> int:
    """The privacy threshold ``k`` of the build."""
    return _build().min_count


@st.cache_data(show_spinner=False)
def _dates(path: str) -> list[date]:
    return list(_open(path).dates)


def available_dates() -> list[date]:
    """Days with data, ascending (empty when there is no build)."""
    if build_problem() is not None:
        return []
    return _dates(build_path())


@st.cache_data(show_spinner=False)
def _children(path: str, parent_code: str | None) -> list[tuple[str, str]]:
    rows = zones.children_of(_open(path), parent_code)
    return list(zip(rows["region_code"], rows["name"], strict=True))


def children(parent_code: str | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the regions directly below ``parent_code`` (provinces for ``None``)."""
    if build_problem() is not None:
        return []
    return _children(build_path(), parent_code)


def _static(code: str) -> pd.Series:
    if build_problem() is not None:
        raise KeyError(code)
    return _build().regions.loc[code]  # KeyError for an unknown code


def region_name(code: str) -> str:
    """The region's name; ``KeyError`` for an unknown code."""
    return str(_static(code)["name"])


def parent(code: str) -> str | None:
    """The code of the region containing ``code`` (``None`` for a province); ``KeyError`` if unknown."""
    value = _static(code)["parent_code"]
    return str(value) if isinstance(value, str) and value else None


@st.cache_data(show_spinner=False, max_entries=64)
def _map_layers(path: str, day: date, region_code: str | None, lang: str, who: str) -> MapLayers:
    build = _open(path)
    return MapLayers(
        hexagons=zones.zones_geojson(build, day, region_code, audience=who, lang=lang),
        outlines=zones.outlines_geojson(build, region_code),
        bounds=zones.bounds(region_code),
        resolution=zones.map_resolution(build, region_code),
    )


def map_layers(day: date, region_code: str | None, lang: str) -> MapLayers:
    """The zones, outlines and bounds of the map for ``region_code`` on ``day``."""
    return _map_layers(build_path(), day, region_code, lang, audience_for(region_code))


@st.cache_data(show_spinner=False, max_entries=256)
def _summary(path: str, day: date, code: str | None, lang: str, who: str) -> Summary:
    return zones.region_summary(_open(path), day, code, audience=who, lang=lang)


def summary(day: date, code: str | None, lang: str) -> Summary:
    """Colour, reason, cases and shares by colour of one region (``None``: Indonesia)."""
    return _summary(build_path(), day, code, lang, audience_for(code))


@st.cache_data(show_spinner=False, max_entries=128)
def _daily(path: str, code: str | None, who: str) -> pd.DataFrame:
    return trends.daily_series(_open(path), code, audience=who)


def daily_series(region_code: str | None) -> pd.DataFrame:
    """``date, new_cases, cases_avg_7d, new_cases_label`` (+ ``checkins`` for officials)."""
    return _daily(build_path(), region_code, audience_for(region_code))


def daily_cases(region_code: str | None) -> pd.DataFrame:
    """New cases per day (``date``, ``cases``), as the audience may see them."""
    series = daily_series(region_code)
    return series[["date", "new_cases"]].rename(columns={"new_cases": "cases"})


@st.cache_data(show_spinner=False, max_entries=128)
def _shares(path: str, code: str | None) -> pd.DataFrame:
    return trends.share_series(_open(path), code)


def share_series(region_code: str | None) -> pd.DataFrame:
    """Share of the population by colour over time (``date, risk, share``)."""
    return _shares(build_path(), region_code)


@st.cache_data(show_spinner=False, max_entries=128)
def _compare(path: str, code: str | None, day: date, lang: str, who: str) -> pd.DataFrame:
    return trends.compare_children(_open(path), code, day, audience=who, lang=lang)


def compare_children(region_code: str | None, day: date, lang: str) -> pd.DataFrame:
    """The child regions side by side on ``day`` (see :func:`geo.trends.compare_children`)."""
    return _compare(build_path(), region_code, day, lang, audience_for(region_code))


@st.cache_data(show_spinner=False, max_entries=256)
def find_regions(query: str) -> list[search.Match]:
    """Regions matching ``query`` by name or code, best first (only those in the build)."""
    known = _build().regions.index
    return [m for m in search.search_regions(query, limit=20) if m.code in known][:8]


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` if ``text`` is a coordinate inside Indonesia, else ``None``."""
    return search.parse_coordinates(text)


@st.cache_data(show_spinner=False, max_entries=256)
def region_at(lat: float, lon: float) -> str | None:
    """The finest region of the build holding the point, or ``None``."""
    code = search.region_at(lat, lon)
    known = _build().regions.index
    while code is not None and code not in known:
        code = ancestors(code)[1] if "." in code else None
    return code


def child_at(region_code: str | None, lat: float, lon: float) -> str | None:
    """The child of ``region_code`` (a province for ``None``) that holds the point."""
    finest = region_at(lat, lon)
    if finest is None:
        return None
    lineage = list(reversed(ancestors(finest)))  # province first
    depth = 0 if region_code is None else region_code.count(".") + 1
    if region_code is not None and region_code not in lineage:
        return None
    return lineage[depth] if depth < len(lineage) else None


def config() -> dict:
    """The configuration the build used, as stored in its ``config.json``."""
    return _build().config.model_dump(mode="json")


def manifest() -> dict:
    """The build's manifest."""
    return _build().manifest


@st.cache_data(show_spinner=False)
def data_sources() -> pd.DataFrame:
    """Each shipped data file with its licence, as ``data/README.md`` states it."""
    text = (reference.data_dir() / "README.md").read_text(encoding="utf-8")
    rows = []
    for section in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        files = re.findall(r"[\w/.]+\.\w+", heading)
        licence = re.search(r"Licen[cs]e[^\n]*?(MIT|none stated)", body)
        what = re.search(r"\* What: ([^\n]+)", body)
        if files and (licence or what):
            rows.append(
                {
                    "file": ", ".join(files),
                    "what": re.sub(r"[*`]", "", what.group(1) if what else "").split(". ")[0],
                    "licence": licence.group(1) if licence else "MIT",
                }
            )
    return pd.DataFrame(rows)


def data_readme() -> Path:
    """Where the data sources are described in full."""
    return Path("data") / "README.md"


def population_sources() -> pd.Series:
    """How many regions take their population from each source, most first."""
    return _build().regions["population_source"].value_counts()


# --- Zone reports (the Laporan / Reports page) ---------------------------------------------------

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


def resolutions() -> list[int]:
    """The build's H3 resolutions, finest first."""
    return sorted(_build().config.cells.resolutions, reverse=True)


def map_resolution(region_code: str | None) -> int | None:
    """The resolution the map draws ``region_code`` at (``None`` for the country)."""
    return zones.map_resolution(_build(), region_code)


def report_period(day: date, first: date) -> tuple[date, date]:
    """The default period of a report: :data:`REPORT_DAYS` days ending on ``day``, from ``first``."""
    return max(first, day - timedelta(days=REPORT_DAYS - 1)), day


def report_file_name(region_code: str, date_from: date, date_to: date, fmt: str) -> str:
    """``pantauzona-31.71-2021-06-28-2021-07-11.csv``: region, period and format."""
    return f"pantauzona-{region_code}-{date_from.isoformat()}-{date_to.isoformat()}.{fmt}"


def _preview(table: pd.DataFrame) -> pd.DataFrame:
    head = table.head(PREVIEW_ROWS).copy()
    for column in head.columns:
        if pd.api.types.is_datetime64_any_dtype(head[column]):
            head[column] = head[column].dt.strftime("%Y-%m-%d")
    return head


@st.cache_data(show_spinner=False, max_entries=16)
def _report(
    path: str,
    region_code: str,
    date_from: date,
    date_to: date,
    resolution: int,
    fmt: str,
    lang: str,
    who: str,
    scope: str | None,  # the viewer's region: part of the cache key only
) -> PreparedReport:
    report = reports.zone_report(
        _open(path),
        region_code,
        date_from,
        date_to,
        resolution=resolution,
        audience=who,
        lang=lang,
    )
    return PreparedReport(
        data=exports.export(report, fmt),
        file_name=report_file_name(region_code, date_from, date_to, fmt),
        mime=exports.MEDIA_TYPES[fmt],
        preview=_preview(report.zones),
        zone_rows=len(report.zones),
    )


def prepare_report(
    region_code: str, date_from: date, date_to: date, *, resolution: int, fmt: str, lang: str
) -> PreparedReport:
    """The zone report of ``region_code`` as ``fmt`` bytes, for the viewer's audience there.

    Raises :class:`geo.reports.ReportError` (a sentence) for a period or resolution the build
    does not have.
    """
    return _report(
        build_path(),
        region_code,
        date_from,
        date_to,
        resolution,
        fmt,
        lang,
        audience_for(region_code),
        viewer().region,
    )
