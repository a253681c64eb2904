"""The officials' views, cached: what changed in a week, and the map under another preset's rules.

Each view is computed by :mod:`geo.views` and cached like those of :mod:`dashboard.data`: keyed by
the build's version folder, the audience and the viewer's scope (:func:`dashboard.session.cache_key`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import data, session
from geo import views
from geo.views import MapLayers


@st.cache_data(show_spinner=False, max_entries=64)
def _what_changed(
    path: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return views.what_changed(data.opened(path), code, day, audience=who, lang=lang)


def what_changed(day: date, region_code: str | None, lang: str) -> pd.DataFrame:
    """Zones of ``region_code`` whose colour changed in the 7 days to ``day``, worst first
    (see :func:`geo.changes.what_changed`)."""
    return _what_changed(data.version(), day, region_code, lang, *session.cache_key(region_code))


def active_preset() -> str:
    """The name of the rules the build was made with."""
    return data.build().config.name


def other_presets() -> list[str]:
    """The shipped presets other than the build's own, to compare the map with."""
    return views.other_presets(data.build())


@st.cache_data(show_spinner=False, max_entries=32)
def _layers_under(
    path: str, preset: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> MapLayers:
    return views.map_layers(
        views.under_preset(data.opened(path), preset), day, code, audience=who, lang=lang
    )


def map_layers_under(preset: str, day: date, region_code: str | None, lang: str) -> MapLayers:
    """The map of ``region_code`` on ``day`` with its zones coloured by ``preset``'s rules."""
    return _layers_under(
        data.version(), preset, day, region_code, lang, *session.cache_key(region_code)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _differences(
    path: str, preset: str, day: date, code: str | None, lang: str, who: str, scope: str
) -> pd.DataFrame:
    return views.differences(data.opened(path), preset, day, code, audience=who, lang=lang)


def rule_differences(preset: str, day: date, region_code: str | None, lang: str) -> pd.DataFrame:
    """The zones of the view whose colour differs under ``preset`` (see
    :func:`geo.reclassify.differences`)."""
    return _differences(
        data.version(), preset, day, region_code, lang, *session.cache_key(region_code)
    )
