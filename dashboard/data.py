"""The seam between the dashboard and ``geo``: the build in ``$PANTAUZONA_BUILD``, cached.

Every number comes from :mod:`geo.views`; this module only opens the build and caches at the
edge (``@st.cache_resource`` for the open build, ``@st.cache_data`` for each view, keyed by
simple arguments: the build's current version folder, the audience and the viewer's scope
(:func:`dashboard.session.cache_key`) and the view; a rebuild publishes a new version, so
nothing cached from the old one is served after it). The officials' comparisons are cached in
:mod:`dashboard.official_views` and the zone reports in :mod:`dashboard.report_files`, the same
way; who is looking is :mod:`dashboard.session`; loading new data is :mod:`dashboard.loading`.

- ``available_dates() -> list[date]``: days with data, ascending (empty without a build).
- ``default_day()``, ``incomplete_days()`` and ``incomplete_share(day)``: which days are
  complete (``geo.completeness``); views open on the latest complete day.
- ``children(parent_code) -> list[tuple[code, name]]``: provinces for ``None``, else the regions
  one level below ``parent_code``; empty for a village or an unknown code.
- ``region_name(code) -> str`` and ``parent(code) -> str | None`` (``None`` for a province):
  both raise ``KeyError`` for an unknown code.
- ``map_layers(day, region_code, lang, *, resolution=None) -> MapLayers``: zones as a GeoJSON
  FeatureCollection whose features carry ``risk``, ``label``, ``reason`` (in ``lang``) and
  ``code`` (the region a click opens), the region outlines, and the bounds to fit.
- ``daily_cases(region_code) -> DataFrame`` with columns ``date`` and ``cases``.
- ``hotspot_figures(day, region_code)``, ``new_hotspots(day, region_code)``,
  ``backtest_result()`` and ``outlook_shown()``: hotspots and next week's outlook
  (``geo.hotspot_views``, ``geo.backtest``).

Region codes are strings (``"31.71.01.1001"``).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import session
from geo import views
from geo.errors import BuildError
from geo.views import Build, MapLayers, Summary, ZoneCard

BUILD_ENV = "PANTAUZONA_BUILD"
DEFAULT_BUILD = "build/sample"
MAKE_BUILD = "make sample"


def build_path() -> str:
    """The build the dashboard shows (``$PANTAUZONA_BUILD``, default ``build/sample``)."""
    return os.environ.get(BUILD_ENV, DEFAULT_BUILD)


def version() -> str:
    """The build's current version folder (the link resolved): caches keyed by it follow a
    rebuild, which publishes a new version and never changes an old one."""
    path = build_path()
    return os.path.realpath(path) if os.path.isdir(path) else path


@st.cache_resource(show_spinner=False, max_entries=4)  # old versions drop out after rebuilds
def opened(path: str) -> Build:
    """The build at ``path`` (a version folder), opened once per server."""
    return views.open_build(path)


def build() -> Build:
    """The build the dashboard shows, at its current version."""
    return opened(version())


def build_problem() -> str | None:
    """Why there is no build to show (one sentence), or ``None`` when there is one."""
    try:
        build()
    except BuildError as exc:
        return str(exc)
    return None


def min_count() -> int:
    """The privacy threshold ``k`` of the build."""
    return build().min_count


@st.cache_data(show_spinner=False)
def _dates(path: str) -> list[date]:
    return list(opened(path).dates)


def available_dates() -> list[date]:
    """Days with data, ascending (empty when there is no build)."""
    if build_problem() is not None:
        return []
    return _dates(version())


@st.cache_data(show_spinner=False)
def _days(path: str) -> pd.DataFrame:
    return views.day_table(opened(path))


def day_table() -> pd.DataFrame:
    """Each day's completeness (:func:`geo.completeness.read_days`); empty without a build."""
    if build_problem() is not None:
        return pd.DataFrame(columns=views.DAY_COLUMNS)
    return _days(version())


def default_day() -> date | None:
    """The day views open on: the latest complete day (``None`` without a build)."""
    return views.default_day(day_table())


def incomplete_days() -> list[date]:
    """The build's incomplete days, ascending."""
    days = day_table()
    return [pd.Timestamp(d).date() for d in days.loc[~days["complete"].astype(bool), "date"]]


@st.cache_data(show_spinner=False)
def _spans(path: str) -> pd.DataFrame:
    return views.incomplete_spans(opened(path))


def incomplete_spans() -> pd.DataFrame:
    """Runs of incomplete days to shade in the charts (``start``, ``end``)."""
    return _spans(version())


def incomplete_share(day: date) -> float | None:
    """The reported share of ``day`` when it is incomplete, else ``None``."""
    return views.incomplete_share(day_table(), day)


@st.cache_data(show_spinner=False)
def _children(path: str, parent_code: str | None) -> list[tuple[str, str]]:
    return views.children(opened(path), parent_code)


def children(parent_code: str | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the regions directly below ``parent_code`` (provinces for ``None``)."""
    if build_problem() is not None:
        return []
    return _children(version(), parent_code)


def _known(code: str) -> Build:
    if build_problem() is not None:
        raise KeyError(code)
    return build()


def region_name(code: str) -> str:
    """The region's name; ``KeyError`` for an unknown code."""
    return str(_known(code).regions.loc[code, "name"])


def parent(code: str) -> str | None:
    """The code of the region containing ``code`` (``None`` for a province); ``KeyError`` if unknown."""
    return views.parent(_known(code), code)


@st.cache_data(show_spinner=False, max_entries=64)
def _map_layers(
    path: str,
    day: date,
    region_code: str | None,
    lang: str,
    resolution: int | None,
    who: str,
    scope: str,
) -> MapLayers:
    return views.map_layers(
        opened(path), day, region_code, audience=who, lang=lang, resolution=resolution
    )


def map_layers(
    day: date, region_code: str | None, lang: str, *, resolution: int | None = None
) -> MapLayers:
    """The zones, outlines and bounds of the map for ``region_code`` on ``day`` (its hexagons
    at ``resolution``, default the map's)."""
    return _map_layers(
        version(), day, region_code, lang, resolution, *session.cache_key(region_code)
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _zone_region(path: str, cell: str, region_code: str | None) -> str | None:
    return views.zone_region(opened(path), cell, region_code)


def zone_region(cell: str, region_code: str | None) -> str | None:
    """The region whose map opens on the zone ``cell`` (see :func:`geo.views.zone_region`);
    ``None`` for a zone the build does not have."""
    if build_problem() is not None:
        return None
    return _zone_region(version(), cell, region_code)


def zone_view(cell: str) -> views.ZoneView:
    """Where the map lands for a zone of the build (see :func:`geo.mapshapes.zone_view`)."""
    return views.zone_view(cell)


@st.cache_data(show_spinner=False, max_entries=256)
def _summary(path: str, day: date, code: str | None, lang: str, who: str, scope: str) -> Summary:
    return views.region_summary(opened(path), day, code, audience=who, lang=lang)


def summary(day: date, code: str | None, lang: str) -> Summary:
    """Colour, reason, cases and shares by colour of one region (``None``: Indonesia)."""
    return _summary(version(), day, code, lang, *session.cache_key(code))


@st.cache_data(show_spinner=False, max_entries=256)
def _zone_card(path: str, day: date, zone: str, lang: str, who: str, scope: str) -> ZoneCard:
    return views.zone_card(opened(path), day, zone, audience=who, lang=lang)


def zone_card(day: date, zone: str, lang: str, *, region: str | None = None) -> ZoneCard:
    """The card of a region or hexagon (:func:`geo.headline.zone_card`) for this viewer: a
    hexagon is read as the map of ``region`` (which holds it) shows it to them."""
    if zone in build().regions.index:
        region = zone
    return _zone_card(version(), day, zone, lang, *session.cache_key(region))


@st.cache_data(show_spinner=False, max_entries=128)
def _daily(path: str, code: str | None, who: str, scope: str) -> pd.DataFrame:
    return views.daily_series(opened(path), code, audience=who)


def daily_series(region_code: str | None) -> pd.DataFrame:
    """``date, new_cases, cases_avg_7d, new_cases_label`` (+ ``checkins`` for officials)."""
    return _daily(version(), region_code, *session.cache_key(region_code))


def daily_cases(region_code: str | None) -> pd.DataFrame:
    """New cases per day (``date``, ``cases``), as the audience may see them."""
    series = daily_series(region_code)
    return series[["date", "new_cases"]].rename(columns={"new_cases": "cases"})


@st.cache_data(show_spinner=False, max_entries=64)
def _categories(path: str, day: date, code: str | None, who: str, scope: str) -> pd.DataFrame:
    return views.category_breakdown(opened(path), day, code, audience=who)


def category_breakdown(day: date, region_code: str | None) -> pd.DataFrame:
    """Check-ins by venue category in the 7 days to ``day``: for officials in their region only
    (empty for everyone else; see :func:`geo.categories.breakdown`)."""
    return _categories(version(), day, region_code, *session.cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=128)
def _shares(path: str, code: str | None) -> pd.DataFrame:
    return views.share_series(opened(path), code)


def share_series(region_code: str | None) -> pd.DataFrame:
    """Share of the population by colour over time (``date, risk, share``)."""
    return _shares(version(), region_code)


@st.cache_data(show_spinner=False, max_entries=128)
def _compare(
    path: str, code: str | None, day: date, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return views.compare_children(opened(path), code, day, audience=who, lang=lang)


def compare_children(region_code: str | None, day: date, lang: str) -> pd.DataFrame:
    """The child regions side by side on ``day`` (see :func:`geo.trends.compare_children`)."""
    return _compare(version(), region_code, day, lang, *session.cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=256)
def _find_regions(path: str, query: str) -> list[views.Match]:
    return views.find_regions(opened(path), query)


def find_regions(query: str) -> list[views.Match]:
    """Regions of the build matching ``query`` by name or code, best first: eight, or more when
    more match the whole name or code (see :func:`geo.search.search_regions`)."""
    return _find_regions(version(), query)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` if ``text`` is a coordinate inside Indonesia, else ``None``."""
    return views.parse_coordinates(text)


@st.cache_data(show_spinner=False, max_entries=256)
def _region_at(path: str, lat: float, lon: float) -> str | None:
    return views.region_at(opened(path), lat, lon)


def region_at(lat: float, lon: float) -> str | None:
    """The finest region of the build holding the point, or ``None``."""
    return _region_at(version(), lat, lon)


def child_at(region_code: str | None, lat: float, lon: float) -> str | None:
    """The child of ``region_code`` (a province for ``None``) that holds the point."""
    return views.child_on_path(region_at(lat, lon), region_code)


def config() -> dict:
    """The configuration the build used, as stored in its ``config.json``."""
    return build().config.model_dump(mode="json")


def manifest() -> dict:
    """The build's manifest."""
    return build().manifest


@st.cache_data(show_spinner=False)
def data_sources() -> pd.DataFrame:
    """Each shipped data file with its licence, as ``data/README.md`` states it."""
    return views.data_sources()


def data_readme() -> Path:
    """Where the data sources are described in full."""
    return Path("data") / "README.md"


def population_sources() -> pd.Series:
    """How many regions take their population from each source, most first."""
    return views.population_sources(build())


def scope_label(region: str | None) -> str:
    """The name and code of an official's region (``Indonesia`` for the whole country)."""
    if region is None:
        return "Indonesia"
    try:
        return f"{region_name(region)} ({region})"
    except KeyError:
        return region


def map_resolution(region_code: str | None) -> int | None:
    """The H3 resolution the map draws ``region_code`` at (``None``: the country's regencies)."""
    return views.map_resolution(build(), region_code)


def first_day() -> date:
    """The build's first day."""
    return build().dates[0]


# --- Hotspots and next week's outlook (geo.hotspot_views, geo.backtest) ---------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def _hotspot_figures(
    path: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> views.RegionFigures:
    return views.region_figures(opened(path), day, code, audience=who, lang=lang)


def hotspot_figures(day: date, region_code: str | None, lang: str = "en") -> views.RegionFigures:
    """Share of the region's population in hot zones, and its outlook if it is shown (its
    published figures written for ``lang``)."""
    return _hotspot_figures(version(), day, region_code, lang, *session.cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=64)
def _new_hotspots(path: str, day: date, code: str | None) -> pd.DataFrame:
    return views.new_hotspots(opened(path), day, code)


def new_hotspots(day: date, region_code: str | None) -> pd.DataFrame:
    """Zones of the map of ``region_code`` that became hot in the 7 days to ``day``."""
    return _new_hotspots(version(), day, region_code)


@st.cache_data(show_spinner=False)
def backtest_result() -> pd.DataFrame:
    """The outlook's province backtest (:func:`geo.backtest.province_backtest`)."""
    return views.province_backtest()


def outlook_shown() -> bool:
    """Whether the outlook is shown: only where it beats persistence in the backtest."""
    return views.outlook_shown()
