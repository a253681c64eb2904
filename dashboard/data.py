"""The seam between the dashboard and ``geo``: the build in ``$PANTAUZONA_BUILD``, cached.

Every number comes from :mod:`geo.views`; this module only opens the build and caches at the
edge (``@st.cache_resource`` for the open build, ``@st.cache_data`` for each view, keyed by
simple arguments: the build's current version folder, the audience and the viewer's scope
(:func:`dashboard.session.cache_key`) and the view; a rebuild publishes a new version, so
nothing cached from the old one is served after it). Who is looking is
:mod:`dashboard.session`; loading new data is :mod:`dashboard.loading`.

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
- ``prepare_report(region_code, date_from, date_to, ...) -> PreparedReport``: a zone report's
  bytes in one export format, for the audience the viewer has in that region.
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
from geo.views import Build, MapLayers, PreparedReport, Summary, ZoneCard

BUILD_ENV = "PANTAUZONA_BUILD"
DEFAULT_BUILD = "build/sample"
MAKE_BUILD = "make sample"


def build_path() -> str:
    """The build the dashboard shows (``$PANTAUZONA_BUILD``, default ``build/sample``)."""
    return os.environ.get(BUILD_ENV, DEFAULT_BUILD)


def _current() -> str:
    """The build's current version folder (the link resolved): caches keyed by it follow a
    rebuild, which publishes a new version and never changes an old one."""
    path = build_path()
    return os.path.realpath(path) if os.path.isdir(path) else path


@st.cache_resource(show_spinner=False, max_entries=4)  # old versions drop out after rebuilds
def _open(path: str) -> Build:
    return views.open_build(path)


def _build() -> Build:
    return _open(_current())


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
    return _dates(_current())


@st.cache_data(show_spinner=False)
def _days(path: str) -> pd.DataFrame:
    return views.day_table(_open(path))


def day_table() -> pd.DataFrame:
    """Each day's completeness (:func:`geo.completeness.read_days`); empty without a build."""
    if build_problem() is not None:
        return pd.DataFrame(columns=views.DAY_COLUMNS)
    return _days(_current())


def default_day() -> date | None:
    """The day views open on: the latest complete day (``None`` without a build)."""
    return views.default_day(day_table())


def incomplete_days() -> list[date]:
    """The build's incomplete days, ascending."""
    days = day_table()
    return [pd.Timestamp(d).date() for d in days.loc[~days["complete"].astype(bool), "date"]]


@st.cache_data(show_spinner=False)
def _spans(path: str) -> pd.DataFrame:
    return views.incomplete_spans(_open(path))


def incomplete_spans() -> pd.DataFrame:
    """Runs of incomplete days to shade in the charts (``start``, ``end``)."""
    return _spans(_current())


def incomplete_share(day: date) -> float | None:
    """The reported share of ``day`` when it is incomplete, else ``None``."""
    return views.incomplete_share(day_table(), day)


@st.cache_data(show_spinner=False)
def _children(path: str, parent_code: str | None) -> list[tuple[str, str]]:
    return views.children(_open(path), parent_code)


def children(parent_code: str | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the regions directly below ``parent_code`` (provinces for ``None``)."""
    if build_problem() is not None:
        return []
    return _children(_current(), parent_code)


def _known(code: str) -> Build:
    if build_problem() is not None:
        raise KeyError(code)
    return _build()


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
        _open(path), day, region_code, audience=who, lang=lang, resolution=resolution
    )


def map_layers(
    day: date, region_code: str | None, lang: str, *, resolution: int | None = None
) -> MapLayers:
    """The zones, outlines and bounds of the map for ``region_code`` on ``day`` (its hexagons
    at ``resolution``, default the map's)."""
    return _map_layers(
        _current(), day, region_code, lang, resolution, *session.cache_key(region_code)
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _zone_region(path: str, cell: str, region_code: str | None) -> str | None:
    return views.zone_region(_open(path), cell, region_code)


def zone_region(cell: str, region_code: str | None) -> str | None:
    """The region whose map opens on the zone ``cell`` (see :func:`geo.views.zone_region`);
    ``None`` for a zone the build does not have."""
    if build_problem() is not None:
        return None
    return _zone_region(_current(), cell, region_code)


def zone_view(cell: str) -> views.ZoneView:
    """Where the map lands for a zone of the build (see :func:`geo.mapshapes.zone_view`)."""
    return views.zone_view(cell)


@st.cache_data(show_spinner=False, max_entries=256)
def _summary(path: str, day: date, code: str | None, lang: str, who: str, scope: str) -> Summary:
    return views.region_summary(_open(path), day, code, audience=who, lang=lang)


def summary(day: date, code: str | None, lang: str) -> Summary:
    """Colour, reason, cases and shares by colour of one region (``None``: Indonesia)."""
    return _summary(_current(), day, code, lang, *session.cache_key(code))


@st.cache_data(show_spinner=False, max_entries=256)
def _zone_card(path: str, day: date, zone: str, lang: str, who: str, scope: str) -> ZoneCard:
    return views.zone_card(_open(path), day, zone, audience=who, lang=lang)


def zone_card(day: date, zone: str, lang: str, *, region: str | None = None) -> ZoneCard:
    """The card of a region or hexagon (:func:`geo.headline.zone_card`) for this viewer: a
    hexagon is read as the map of ``region`` (which holds it) shows it to them."""
    if zone in _build().regions.index:
        region = zone
    return _zone_card(_current(), day, zone, lang, *session.cache_key(region))


@st.cache_data(show_spinner=False, max_entries=128)
def _daily(path: str, code: str | None, who: str, scope: str) -> pd.DataFrame:
    return views.daily_series(_open(path), code, audience=who)


def daily_series(region_code: str | None) -> pd.DataFrame:
    """``date, new_cases, cases_avg_7d, new_cases_label`` (+ ``checkins`` for officials)."""
    return _daily(_current(), region_code, *session.cache_key(region_code))


def daily_cases(region_code: str | None) -> pd.DataFrame:
    """New cases per day (``date``, ``cases``), as the audience may see them."""
    series = daily_series(region_code)
    return series[["date", "new_cases"]].rename(columns={"new_cases": "cases"})


@st.cache_data(show_spinner=False, max_entries=64)
def _categories(path: str, day: date, code: str | None, who: str, scope: str) -> pd.DataFrame:
    return views.category_breakdown(_open(path), day, code, audience=who)


def category_breakdown(day: date, region_code: str | None) -> pd.DataFrame:
    """Check-ins by venue category in the 7 days to ``day``: for officials in their region only
    (empty for everyone else; see :func:`geo.categories.breakdown`)."""
    return _categories(_current(), day, region_code, *session.cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=128)
def _shares(path: str, code: str | None) -> pd.DataFrame:
    return views.share_series(_open(path), code)


def share_series(region_code: str | None) -> pd.DataFrame:
    """Share of the population by colour over time (``date, risk, share``)."""
    return _shares(_current(), region_code)


@st.cache_data(show_spinner=False, max_entries=128)
def _compare(
    path: str, code: str | None, day: date, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return views.compare_children(_open(path), code, day, audience=who, lang=lang)


def compare_children(region_code: str | None, day: date, lang: str) -> pd.DataFrame:
    """The child regions side by side on ``day`` (see :func:`geo.trends.compare_children`)."""
    return _compare(_current(), region_code, day, lang, *session.cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=256)
def _find_regions(path: str, query: str) -> list[views.Match]:
    return views.find_regions(_open(path), query)


def find_regions(query: str) -> list[views.Match]:
    """Regions of the build matching ``query`` by name or code, best first: eight, or more when
    more match the whole name or code (see :func:`geo.search.search_regions`)."""
    return _find_regions(_current(), query)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` if ``text`` is a coordinate inside Indonesia, else ``None``."""
    return views.parse_coordinates(text)


@st.cache_data(show_spinner=False, max_entries=256)
def _region_at(path: str, lat: float, lon: float) -> str | None:
    return views.region_at(_open(path), lat, lon)


def region_at(lat: float, lon: float) -> str | None:
    """The finest region of the build holding the point, or ``None``."""
    return _region_at(_current(), lat, lon)


def child_at(region_code: str | None, lat: float, lon: float) -> str | None:
    """The child of ``region_code`` (a province for ``None``) that holds the point."""
    return views.child_on_path(region_at(lat, lon), region_code)


def config() -> dict:
    """The configuration the build used, as stored in its ``config.json``."""
    return _build().config.model_dump(mode="json")


def manifest() -> dict:
    """The build's manifest."""
    return _build().manifest


@st.cache_data(show_spinner=False)
def data_sources() -> pd.DataFrame:
    """Each shipped data file with its licence, as ``data/README.md`` states it."""
    return views.data_sources()


def data_readme() -> Path:
    """Where the data sources are described in full."""
    return Path("data") / "README.md"


def population_sources() -> pd.Series:
    """How many regions take their population from each source, most first."""
    return views.population_sources(_build())


def scope_label(region: str | None) -> str:
    """The name and code of an official's region (``Indonesia`` for the whole country)."""
    if region is None:
        return "Indonesia"
    try:
        return f"{region_name(region)} ({region})"
    except KeyError:
        return region


# --- Officials' views: what changed in a week, and the map under another preset's rules ---------


@st.cache_data(show_spinner=False, max_entries=64)
def _what_changed(
    path: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return views.what_changed(_open(path), code, day, audience=who, lang=lang)


def what_changed(day: date, region_code: str | None, lang: str) -> pd.DataFrame:
    """Zones of ``region_code`` whose colour changed in the 7 days to ``day``, worst first
    (see :func:`geo.changes.what_changed`)."""
    return _what_changed(_current(), day, region_code, lang, *session.cache_key(region_code))


def map_resolution(region_code: str | None) -> int | None:
    """The H3 resolution the map draws ``region_code`` at (``None``: the country's regencies)."""
    return views.map_resolution(_build(), region_code)


def first_day() -> date:
    """The build's first day."""
    return _build().dates[0]


def active_preset() -> str:
    """The name of the rules the build was made with."""
    return _build().config.name


def other_presets() -> list[str]:
    """The shipped presets other than the build's own, to compare the map with."""
    return views.other_presets(_build())


@st.cache_data(show_spinner=False, max_entries=32)
def _layers_under(
    path: str, preset: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> MapLayers:
    return views.map_layers(
        views.under_preset(_open(path), preset), day, code, audience=who, lang=lang
    )


def map_layers_under(preset: str, day: date, region_code: str | None, lang: str) -> MapLayers:
    """The map of ``region_code`` on ``day`` with its zones coloured by ``preset``'s rules."""
    return _layers_under(
        _current(), preset, day, region_code, lang, *session.cache_key(region_code)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _differences(
    path: str, preset: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return views.differences(_open(path), preset, day, code, audience=who, lang=lang)


def rule_differences(preset: str, day: date, region_code: str | None, lang: str) -> pd.DataFrame:
    """The zones of the view whose colour differs under ``preset`` (see
    :func:`geo.reclassify.differences`)."""
    return _differences(_current(), preset, day, region_code, lang, *session.cache_key(region_code))


# --- Zone reports (the Laporan / Reports page) ---------------------------------------------------


def resolutions() -> list[int]:
    """The build's H3 resolutions, finest first."""
    return sorted(_build().config.cells.resolutions, reverse=True)


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
    scope: str,  # the viewer's scope: part of the cache key only
) -> PreparedReport:
    return views.prepare_report(
        _open(path),
        region_code,
        date_from,
        date_to,
        resolution=resolution,
        fmt=fmt,
        audience=who,
        lang=lang,
    )


def prepare_report(
    region_code: str, date_from: date, date_to: date, *, resolution: int, fmt: str, lang: str
) -> PreparedReport:
    """The zone report of ``region_code`` as ``fmt`` bytes, for the viewer's audience there.

    Raises :class:`geo.reports.ReportError` (a sentence) for a period or resolution the build
    does not have.
    """
    return _report(
        _current(),
        region_code,
        date_from,
        date_to,
        resolution,
        fmt,
        lang,
        *session.cache_key(region_code),
    )


# --- Hotspots and next week's outlook (geo.hotspot_views, geo.backtest) ---------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def _hotspot_figures(
    path: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> views.RegionFigures:
    return views.region_figures(_open(path), day, code, audience=who, lang=lang)


def hotspot_figures(day: date, region_code: str | None, lang: str = "en") -> views.RegionFigures:
    """Share of the region's population in hot zones, and its outlook if it is shown (its
    published figures written for ``lang``)."""
    return _hotspot_figures(_current(), day, region_code, lang, *session.cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=64)
def _new_hotspots(path: str, day: date, code: str | None) -> pd.DataFrame:
    return views.new_hotspots(_open(path), day, code)


def new_hotspots(day: date, region_code: str | None) -> pd.DataFrame:
    """Zones of the map of ``region_code`` that became hot in the 7 days to ``day``."""
    return _new_hotspots(_current(), day, region_code)


@st.cache_data(show_spinner=False)
def backtest_result() -> pd.DataFrame:
    """The outlook's province backtest (:func:`geo.backtest.province_backtest`)."""
    return views.province_backtest()


def outlook_shown() -> bool:
    """Whether the outlook is shown: only where it beats persistence in the backtest."""
    return views.outlook_shown()
