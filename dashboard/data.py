"""The seam between the dashboard and ``geo``: the build in ``$PANTAUZONA_BUILD``, cached.

Every number comes from ``geo``; this module only opens the build, caches at the edge
(``@st.cache_resource`` for the open build, ``@st.cache_data`` for each view, keyed by simple
arguments: the build's current version folder, the audience and the view; a rebuild publishes a
new version, so nothing cached from the old one is served after it) and shapes results for the
pages. Officials' Data page goes through ``input_store``, ``check_upload`` and
``add_and_rebuild`` (``geo.uploads``).

- ``available_dates() -> list[date]``: days with data, ascending (empty without a build).
- ``default_day()``, ``incomplete_days()`` and ``incomplete_share(day)``: which days are
  complete (``geo.completeness``); views open on the latest complete day.
- ``children(parent_code) -> list[tuple[code, name]]``: provinces for ``None``, else the regions
  one level below ``parent_code``; empty for a village or an unknown code.
- ``region_name(code) -> str`` and ``parent(code) -> str | None`` (``None`` for a province):
  both raise ``KeyError`` for an unknown code.
- ``map_layers(day, region_code, lang, *, resolution=None) -> MapLayers``: zones as a GeoJSON FeatureCollection whose
  features carry ``risk``, ``label``, ``reason`` (in ``lang``) and ``code`` (the region a click
  opens), the region outlines, and the bounds to fit.
- ``daily_cases(region_code) -> DataFrame`` with columns ``date`` and ``cases``.
- ``prepare_report(region_code, date_from, date_to, ...) -> PreparedReport``: a zone report's
  bytes in one export format, for the audience the viewer has in that region.
- ``hotspot_figures(day, region_code)``, ``new_hotspots(day, region_code)``,
  ``backtest_result()`` and ``outlook_shown()``: hotspots and next week's outlook
  (``geo.hotspot_views``, ``geo.backtest``).

Who is looking is :func:`viewer`: the public, or the official signed in to this browser session
(a token of :mod:`geo.accounts` in ``st.session_state``, verified on every call; a URL cannot
change it). An official sees their region as ``official`` and the rest as ``public``
(:func:`audience_for`); every cached view is keyed by the audience and the viewer's region.
Region codes are strings (``"31.71.01.1001"``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from geo import (
    accounts,
    backtest,
    categories,
    changes,
    completeness,
    exports,
    headline,
    hotspot_views,
    reclassify,
    reference,
    reports,
    search,
    trends,
    uploads,
    zones,
)
from geo.config import PRESETS
from geo.errors import AccountError, BuildError, SessionError
from geo.headline import ZoneCard
from geo.privacy import OFFICIAL, PUBLIC
from geo.regions import ancestors, within
from geo.zones import Build, Summary

BUILD_ENV = "PANTAUZONA_BUILD"
DEFAULT_BUILD = "build/sample"
MAKE_BUILD = "make sample"
#: ``st.session_state`` keys: the signed-in official's session token, and why one was refused.
SESSION_KEY = "_pz_session"
REFUSED_KEY = "_pz_session_refused"
#: The refusal reason when the credentials file cannot be read (see :class:`geo.accounts.Refusal`).
UNAVAILABLE = "unavailable"

logger = logging.getLogger(__name__)


class MapLayers(NamedTuple):
    """What the risk map draws: ``bounds`` is ``[[south, west], [north, east]]``."""

    hexagons: dict
    outlines: dict
    bounds: list[list[float]]
    resolution: int | None = None
    #: The first fit on a phone (:func:`geo.zones.phone_bounds`); ``bounds`` when ``None``.
    phone_bounds: list[list[float]] | None = None


def build_path() -> str:
    """The build the dashboard shows (``$PANTAUZONA_BUILD``, default ``build/sample``)."""
    return os.environ.get(BUILD_ENV, DEFAULT_BUILD)


class Viewer(NamedTuple):
    """Who is looking: the public, or an official scoped to a region (``None``: Indonesia)."""

    name: str = ""
    region: str | None = None
    official: bool = False


def viewer() -> Viewer:
    """The current viewer: the official whose session token verifies, else the public.

    A refused token is removed from the session (the user is signed out) and its reason kept
    under ``REFUSED_KEY`` for the sidebar to explain.
    """
    token = st.session_state.get(SESSION_KEY)
    if token is None:
        return Viewer()
    try:
        account = accounts.verify_session(token)
    except (SessionError, AccountError) as exc:
        reason = exc.reason if isinstance(exc, SessionError) else UNAVAILABLE
        logger.warning("official session refused (%s): %s", reason, exc)
        del st.session_state[SESSION_KEY]
        st.session_state[REFUSED_KEY] = reason
        return Viewer()
    return Viewer(name=account.name, region=account.region, official=True)


def audience_for(region_code: str | None) -> str:
    """What the viewer may see of ``region_code`` (``None``: Indonesia): public or official."""
    return _audience(viewer(), region_code)


def _audience(who: Viewer, region_code: str | None) -> str:
    return OFFICIAL if who.official and within(region_code, who.region) else PUBLIC


def cache_key(region_code: str | None) -> tuple[str, str]:
    """``(audience, viewer scope)`` of ``region_code``: pass both to every audience-dependent
    ``@st.cache_data`` function, so no cached view is shared across roles or regions."""
    who = viewer()
    scope = "public" if not who.official else (who.region or accounts.WHOLE_COUNTRY)
    return _audience(who, region_code), scope


def is_official() -> bool:
    """Whether the viewer may see official figures anywhere (the officials' pages)."""
    return viewer().official


def _current() -> str:
    """The build's current version folder (the link resolved): caches keyed by it follow a
    rebuild, which publishes a new version and never changes an old one."""
    path = build_path()
    return os.path.realpath(path) if os.path.isdir(path) else path


@st.cache_resource(show_spinner=False, max_entries=4)  # old versions drop out after rebuilds
def _open(path: str) -> Build:
    return zones.open_build(path)


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
    build = _open(path)
    return completeness.read_days(build.path, build.dates)


def day_table() -> pd.DataFrame:
    """Each day's completeness (:func:`geo.completeness.read_days`); empty without a build."""
    if build_problem() is not None:
        return pd.DataFrame(columns=completeness.DAY_COLUMNS)
    return _days(_current())


def default_day() -> date | None:
    """The day views open on: the latest complete day (``None`` without a build)."""
    return completeness.default_day(day_table())


def incomplete_days() -> list[date]:
    """The build's incomplete days, ascending."""
    days = day_table()
    return [pd.Timestamp(d).date() for d in days.loc[~days["complete"].astype(bool), "date"]]


@st.cache_data(show_spinner=False)
def _spans(path: str) -> pd.DataFrame:
    return trends.incomplete_spans(_open(path))


def incomplete_spans() -> pd.DataFrame:
    """Runs of incomplete days to shade in the charts (``start``, ``end``)."""
    return _spans(_current())


def incomplete_share(day: date) -> float | None:
    """The reported share of ``day`` when it is incomplete, else ``None``."""
    return completeness.incomplete_share(day_table(), day)


@st.cache_data(show_spinner=False)
def _children(path: str, parent_code: str | None) -> list[tuple[str, str]]:
    rows = zones.children_of(_open(path), parent_code)
    return list(zip(rows["region_code"], rows["name"], strict=True))


def children(parent_code: str | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the regions directly below ``parent_code`` (provinces for ``None``)."""
    if build_problem() is not None:
        return []
    return _children(_current(), parent_code)


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
def _map_layers(
    path: str,
    day: date,
    region_code: str | None,
    lang: str,
    resolution: int | None,
    who: str,
    scope: str,
) -> MapLayers:
    return _layers(_open(path), day, region_code, lang, who, resolution)


def _layers(
    build: Build, day: date, code: str | None, lang: str, who: str, resolution: int | None = None
) -> MapLayers:
    if code is None or resolution is None:
        resolution = zones.map_resolution(build, code)
    hexagons = zones.zones_geojson(build, day, code, audience=who, lang=lang, resolution=resolution)
    return MapLayers(
        hexagons=hexagons,
        outlines=zones.outlines_geojson(build, code),
        bounds=zones.populated_bounds(build, code),
        resolution=resolution,
        phone_bounds=zones.phone_bounds(build, code),
    )


def map_layers(
    day: date, region_code: str | None, lang: str, *, resolution: int | None = None
) -> MapLayers:
    """The zones, outlines and bounds of the map for ``region_code`` on ``day`` (its hexagons
    at ``resolution``, default the map's)."""
    return _map_layers(_current(), day, region_code, lang, resolution, *cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=256)
def _zone_region(path: str, cell: str, region_code: str | None) -> str | None:
    return zones.zone_region(_open(path), cell, region_code)


def zone_region(cell: str, region_code: str | None) -> str | None:
    """The region whose map opens on the zone ``cell`` (see :func:`geo.zones.zone_region`);
    ``None`` for a zone the build does not have."""
    if build_problem() is not None:
        return None
    return _zone_region(_current(), cell, region_code)


def zone_view(cell: str) -> zones.ZoneView:
    """Where the map lands for a zone of the build (see :func:`geo.zones.zone_view`)."""
    return zones.zone_view(cell)


@st.cache_data(show_spinner=False, max_entries=256)
def _summary(path: str, day: date, code: str | None, lang: str, who: str, scope: str) -> Summary:
    return zones.region_summary(_open(path), day, code, audience=who, lang=lang)


def summary(day: date, code: str | None, lang: str) -> Summary:
    """Colour, reason, cases and shares by colour of one region (``None``: Indonesia)."""
    return _summary(_current(), day, code, lang, *cache_key(code))


@st.cache_data(show_spinner=False, max_entries=256)
def _zone_card(path: str, day: date, zone: str, lang: str, who: str, scope: str) -> ZoneCard:
    return headline.zone_card(_open(path), day, zone, audience=who, lang=lang)


def zone_card(day: date, zone: str, lang: str, *, region: str | None = None) -> ZoneCard:
    """The card of a region or hexagon (:func:`geo.headline.zone_card`) for this viewer: a
    hexagon is read as the map of ``region`` (which holds it) shows it to them."""
    if zone in _build().regions.index:
        region = zone
    return _zone_card(_current(), day, zone, lang, *cache_key(region))


@st.cache_data(show_spinner=False, max_entries=128)
def _daily(path: str, code: str | None, who: str, scope: str) -> pd.DataFrame:
    return trends.daily_series(_open(path), code, audience=who)


def daily_series(region_code: str | None) -> pd.DataFrame:
    """``date, new_cases, cases_avg_7d, new_cases_label`` (+ ``checkins`` for officials)."""
    return _daily(_current(), region_code, *cache_key(region_code))


def daily_cases(region_code: str | None) -> pd.DataFrame:
    """New cases per day (``date``, ``cases``), as the audience may see them."""
    series = daily_series(region_code)
    return series[["date", "new_cases"]].rename(columns={"new_cases": "cases"})


@st.cache_data(show_spinner=False, max_entries=64)
def _categories(path: str, day: date, code: str | None, who: str, scope: str) -> pd.DataFrame:
    if who != OFFICIAL:
        return pd.DataFrame()
    return categories.breakdown(path, day, code)


def category_breakdown(day: date, region_code: str | None) -> pd.DataFrame:
    """Check-ins by venue category in the 7 days to ``day``: for officials in their region only
    (empty for everyone else; see :func:`geo.categories.breakdown`)."""
    return _categories(_current(), day, region_code, *cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=128)
def _shares(path: str, code: str | None) -> pd.DataFrame:
    return trends.share_series(_open(path), code)


def share_series(region_code: str | None) -> pd.DataFrame:
    """Share of the population by colour over time (``date, risk, share``)."""
    return _shares(_current(), region_code)


@st.cache_data(show_spinner=False, max_entries=128)
def _compare(
    path: str, code: str | None, day: date, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return trends.compare_children(_open(path), code, day, audience=who, lang=lang)


def compare_children(region_code: str | None, day: date, lang: str) -> pd.DataFrame:
    """The child regions side by side on ``day`` (see :func:`geo.trends.compare_children`)."""
    return _compare(_current(), region_code, day, lang, *cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=256)
def _find_regions(path: str, query: str) -> list[search.Match]:
    return search.search_regions(query, limit=8, among=_open(path).regions.index)


def find_regions(query: str) -> list[search.Match]:
    """Regions of the build matching ``query`` by name or code, best first: eight, or more when
    more match the whole name or code (see :func:`geo.search.search_regions`)."""
    return _find_regions(_current(), query)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` if ``text`` is a coordinate inside Indonesia, else ``None``."""
    return search.parse_coordinates(text)


@st.cache_data(show_spinner=False, max_entries=256)
def _region_at(path: str, lat: float, lon: float) -> str | None:
    return search.region_at(lat, lon, among=_open(path).regions.index)


def region_at(lat: float, lon: float) -> str | None:
    """The finest region of the build holding the point, or ``None``."""
    return _region_at(_current(), lat, lon)


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


# --- Officials' sign-in (geo.accounts) ----------------------------------------------------------


def sign_in(name: str, password: str) -> Viewer:
    """Sign this session in as ``name``; ``SignInError`` (one sentence) when refused.

    ``AccountError`` when the credentials file cannot be read.
    """
    account = accounts.authenticate(name, password)
    st.session_state[SESSION_KEY] = accounts.issue_session(account.name)
    st.session_state.pop(REFUSED_KEY, None)
    logger.info("official %s signed in", account.name)
    return Viewer(name=account.name, region=account.region, official=True)


def sign_out() -> None:
    """End this session's sign-in (the public view again)."""
    st.session_state.pop(SESSION_KEY, None)


def session_refusal() -> str | None:
    """Why this session was signed out since the last call (a ``Refusal`` value), once."""
    return st.session_state.pop(REFUSED_KEY, None)


def scope_label(region: str | None) -> str:
    """The name and code of an official's region (``Indonesia`` for the whole country)."""
    if region is None:
        return "Indonesia"
    try:
        return f"{region_name(region)} ({region})"
    except KeyError:
        return region


# --- Loading new data (officials: the "Data" page) ---------------------------------------------

INPUTS_ENV = "PANTAUZONA_INPUTS"


def input_store() -> uploads.InputStore:
    """The inputs store the build is made from (``$PANTAUZONA_INPUTS``, default beside the
    build: ``build/sample`` → ``build/sample-inputs``)."""
    path = os.environ.get(INPUTS_ENV) or uploads.inputs_beside(build_path())
    return uploads.InputStore(path)


def max_upload_mb() -> float:
    """The largest file that may be loaded, in MB (Streamlit's ``server.maxUploadSize``)."""
    return float(st.get_option("server.maxUploadSize"))


@st.cache_data(show_spinner=False, max_entries=8)
def _check(
    inputs: str,
    state: str,
    kind: str,
    name: str,
    sha256: str,
    scope: str | None,
    cumulative: bool,
    codes: str | None,
    _data: bytes,
) -> uploads.Report:
    store = uploads.InputStore(inputs)
    return store.check(
        kind, name, _data, scope=scope, max_mb=max_upload_mb(), cumulative=cumulative, codes=codes
    )


def _loader_scope() -> str | None:
    """The signed-in official's region (``None``: Indonesia); refuses anyone else, so a session
    that ended between the page's check and a load can never load for the whole country."""
    who = viewer()
    if not who.official:
        msg = "Only a signed-in official can load data; sign in again."
        raise AccountError(msg)
    return who.region


def check_upload(
    kind: str, name: str, content: bytes, *, cumulative: bool = False, codes: str | None = None
) -> uploads.Report:
    """The validation report of an uploaded file for the viewer's region; changes nothing.
    ``cumulative``: a cases file of running totals (:mod:`geo.cumulative`); ``codes``: the
    edition of its region codes, ``None`` to detect it (:mod:`geo.editions`)."""
    store = input_store()
    digest = hashlib.sha256(content).hexdigest()
    scope = _loader_scope()
    return _check(
        str(store.path), store.state(), kind, name, digest, scope, cumulative, codes, content
    )


def add_and_rebuild(
    kind: str,
    name: str,
    content: bytes,
    on_step: Callable[[str, int, int], None],
    *,
    cumulative: bool = False,
    codes: str | None = None,
) -> tuple[uploads.Report, dict]:
    """Add an uploaded file to the store (rows in the viewer's region, in 2025 codes) and
    rebuild the build."""
    store = input_store()
    report = store.add(
        kind,
        name,
        content,
        scope=_loader_scope(),
        max_mb=max_upload_mb(),
        cumulative=cumulative,
        codes=codes,
    )
    return report, store.rebuild(build_path(), on_step=on_step)


def visible_loads() -> list[dict]:
    """The store's loads the viewer may see: those inside their region (all for Indonesia)."""
    scope = _loader_scope()
    return [load for load in input_store().loads() if within(load["scope"], scope)]


def rebuild(on_step: Callable[[str, int, int], None]) -> dict:
    """Rebuild the build from every file in the store."""
    return input_store().rebuild(build_path(), on_step=on_step)


def seed_command() -> str:
    """The command that fills an empty inputs store with the files of the current build."""
    files = ("FILE",) * 3
    if build_path() == DEFAULT_BUILD:  # `make sample` writes its inputs here
        files = ("build/sample-input/venues.csv", "build/sample-input/checkins.parquet")
        files += ("build/sample-input/cases.csv",)
    venues, checkins, cases = files
    return (
        f"python -m geo load --inputs {input_store().path} --venues {venues} "
        f"--checkins {checkins} --cases {cases}"
    )


# --- Officials' views: what changed in a week, and the map under another preset's rules ---------


@st.cache_data(show_spinner=False, max_entries=64)
def _what_changed(
    path: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return changes.what_changed(_open(path), code, day, audience=who, lang=lang)


def what_changed(day: date, region_code: str | None, lang: str) -> pd.DataFrame:
    """Zones of ``region_code`` whose colour changed in the 7 days to ``day``, worst first
    (see :func:`geo.changes.what_changed`)."""
    return _what_changed(_current(), day, region_code, lang, *cache_key(region_code))


def map_resolution(region_code: str | None) -> int | None:
    """The H3 resolution the map draws ``region_code`` at (``None``: the country's regencies)."""
    return zones.map_resolution(_build(), region_code)


def first_day() -> date:
    """The build's first day."""
    return _build().dates[0]


def active_preset() -> str:
    """The name of the rules the build was made with."""
    return _build().config.name


def other_presets() -> list[str]:
    """The shipped presets other than the build's own, to compare the map with."""
    return [name for name in PRESETS if name != active_preset()]


@st.cache_data(show_spinner=False, max_entries=32)
def _layers_under(
    path: str, preset: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> MapLayers:
    return _layers(reclassify.under_preset(_open(path), preset), day, code, lang, who)


def map_layers_under(preset: str, day: date, region_code: str | None, lang: str) -> MapLayers:
    """The map of ``region_code`` on ``day`` with its zones coloured by ``preset``'s rules."""
    return _layers_under(_current(), preset, day, region_code, lang, *cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=32)
def _differences(
    path: str, preset: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return reclassify.differences(_open(path), preset, day, code, audience=who, lang=lang)


def rule_differences(preset: str, day: date, region_code: str | None, lang: str) -> pd.DataFrame:
    """The zones of the view whose colour differs under ``preset`` (see
    :func:`geo.reclassify.differences`)."""
    return _differences(_current(), preset, day, region_code, lang, *cache_key(region_code))


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
    scope: str,  # the viewer's scope: part of the cache key only
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
        _current(),
        region_code,
        date_from,
        date_to,
        resolution,
        fmt,
        lang,
        *cache_key(region_code),
    )


# --- Hotspots and next week's outlook (geo.hotspot_views, geo.backtest) ---------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def _hotspot_figures(
    path: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> hotspot_views.RegionFigures:
    return hotspot_views.region_figures(_open(path), day, code, audience=who, lang=lang)


def hotspot_figures(
    day: date, region_code: str | None, lang: str = "en"
) -> hotspot_views.RegionFigures:
    """Share of the region's population in hot zones, and its outlook if it is shown (its
    published figures written for ``lang``)."""
    return _hotspot_figures(_current(), day, region_code, lang, *cache_key(region_code))


@st.cache_data(show_spinner=False, max_entries=64)
def _new_hotspots(path: str, day: date, code: str | None) -> pd.DataFrame:
    return hotspot_views.new_hotspots(_open(path), day, code)


def new_hotspots(day: date, region_code: str | None) -> pd.DataFrame:
    """Zones of the map of ``region_code`` that became hot in the 7 days to ``day``."""
    return _new_hotspots(_current(), day, region_code)


@st.cache_data(show_spinner=False)
def backtest_result() -> pd.DataFrame:
    """The outlook's province backtest (:func:`geo.backtest.province_backtest`)."""
    return backtest.province_backtest()


def outlook_shown() -> bool:
    """Whether the outlook is shown: only where it beats persistence in the backtest."""
    return backtest.beats_persistence(backtest_result())
