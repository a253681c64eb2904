"""Zone reports (the Reports page), cached: a report's file in one export format.

The file is made by :func:`geo.views.prepare_report` and cached like the views of
:mod:`dashboard.data`: keyed by the build's version folder, the audience and the viewer's scope
(:func:`dashboard.session.cache_key`), and the report's region, period, resolution and format.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import data, session
from geo import views
from geo.views import PreparedReport


def resolutions() -> list[int]:
    """The build's H3 resolutions, finest first."""
    return sorted(data.build().config.cells.resolutions, reverse=True)


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
        data.opened(path),
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
        data.version(),
        region_code,
        date_from,
        date_to,
        resolution,
        fmt,
        lang,
        *session.cache_key(region_code),
    )
