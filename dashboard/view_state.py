"""What the user is looking at, to and from the URL's query parameters.

``?lang=en&page=trends&date=2021-07-15&region=31.71.01`` names a view; ``&zone=<H3 cell>`` lands
the map on one hexagon (drawn at its own resolution, on a region that holds it). Parsing never raises:
each unknown or malformed value falls back to its default and yields a ``Notice`` that the frame
shows in the user's language. No Streamlit here, so the rules are testable on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dashboard.i18n import DEFAULT_LANG, LANGS
from geo.vocab import LEVELS  # region levels, coarse to fine

#: Page keys, as they appear in ``?page=``; the first is the default.
PAGES: tuple[str, ...] = ("map", "trends", "reports", "method", "changes", "data")
DEFAULT_PAGE = PAGES[0]
#: Pages only officials may open (the frame leaves them out of the navigation for the public).
OFFICIAL_PAGES: tuple[str, ...] = ("changes", "data")


@dataclass(frozen=True)
class ViewState:
    """One view of the dashboard.

    ``day`` is ``None`` only when there is no data at all. ``region`` is the path of region
    codes from the province down to the selected region; empty means all of Indonesia.
    """

    lang: str = DEFAULT_LANG
    page: str = DEFAULT_PAGE
    day: date | None = None
    region: tuple[str, ...] = field(default_factory=tuple)
    #: A hexagon to land the map on (an H3 cell of the build), or ``None``.
    zone: str | None = None

    @property
    def region_code(self) -> str | None:
        """The selected (deepest) region, or ``None`` for all of Indonesia."""
        return self.region[-1] if self.region else None


@dataclass(frozen=True)
class Notice:
    """A query parameter that was ignored: ``key`` names the i18n message."""

    key: str
    value: str


def _no_zones(cell: str, region: str | None) -> str | None:
    return None


def parse_query_params(
    params: Mapping[str, str],
    *,
    dates: Sequence[date],
    parent: Callable[[str], str | None],
    zone_region: Callable[[str, str | None], str | None] = _no_zones,
    default_day: date | None = None,
) -> tuple[ViewState, list[Notice]]:
    """Read a view from query parameters, falling back to defaults for bad values.

    Parameters
    ----------
    params
        The query parameters, one value per name (``st.query_params.to_dict()``).
    dates
        The dates the build has data for, ascending. A missing or unknown ``date`` means
        ``default_day`` (the latest complete day), else the latest.
    parent
        Returns the parent code of a region (``None`` for a province) and raises ``KeyError``
        for an unknown code.
    zone_region
        Returns the region whose map opens on a zone, given the zone and the ``region`` of the
        URL (``geo.views.zone_region``), or ``None`` for an unknown zone. A known zone replaces
        the region with that one.
    """
    notices: list[Notice] = []
    lang = params.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        notices.append(Notice("notice.lang", lang))
        lang = DEFAULT_LANG
    page = params.get("page", DEFAULT_PAGE)
    if page not in PAGES:
        notices.append(Notice("notice.page", page))
        page = DEFAULT_PAGE
    day = _parse_day(params.get("date"), dates, notices, default_day)
    region: tuple[str, ...] = ()
    if "region" in params:
        region = region_path(params["region"], parent)
        if not region:
            notices.append(Notice("notice.region", params["region"]))
    zone = None
    if "zone" in params:
        home = zone_region(params["zone"], region[-1] if region else None)
        home_path = region_path(home, parent) if home is not None else ()
        if home_path:
            zone, region = params["zone"], home_path
        else:
            notices.append(Notice("notice.zone", params["zone"]))
    return ViewState(lang=lang, page=page, day=day, region=region, zone=zone), notices


def _parse_day(
    value: str | None, dates: Sequence[date], notices: list[Notice], default: date | None
) -> date | None:
    latest = default if default in dates else (dates[-1] if dates else None)
    if value is None:
        return latest
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or day not in dates:
        notices.append(Notice("notice.date", value))
        return latest
    return day


def region_path(code: str, parent: Callable[[str], str | None]) -> tuple[str, ...]:
    """Codes from the province down to ``code``; empty if ``code`` is unknown or too deep."""
    path: list[str] = []
    current: str | None = code
    while current is not None:
        if len(path) == len(LEVELS):
            return ()
        try:
            next_up = parent(current)
        except KeyError:
            return ()
        path.append(current)
        current = next_up
    return tuple(reversed(path))


def stale_echo(
    params: Mapping[str, str], seen: Sequence[Mapping[str, str]], published: Mapping[str, str]
) -> bool:
    """Whether ``params`` are the browser's stale copy of a URL this session already had.

    A rerun carries the query string the browser shows when it asks for the run. Asked for
    before the browser applied the URL the last run wrote (a click while the page is still
    being drawn, a sign-in right after a layer click), it brings back a URL the session seeded
    from or published earlier: reading it as a new link would undo the user's last choice of
    region or date. A URL seen before on the page the session is on is such an echo; a link
    to another page (What changed → the map) is not.

    Parameters
    ----------
    params
        The query parameters of this run.
    seen
        The parameters this session seeded from or published, oldest first.
    published
        The parameters the last run wrote.
    """
    same_page = params.get("page", DEFAULT_PAGE) == published.get("page", DEFAULT_PAGE)
    return same_page and any(dict(params) == dict(earlier) for earlier in seen)


def to_query_params(view: ViewState) -> dict[str, str]:
    """The query parameters that name ``view`` (the inverse of ``parse_query_params``)."""
    params = {"lang": view.lang, "page": view.page}
    if view.day is not None:
        params["date"] = view.day.isoformat()
    if view.region_code is not None:
        params["region"] = view.region_code
    if view.zone is not None:
        params["zone"] = view.zone
    return params
