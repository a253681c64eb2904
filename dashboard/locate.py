"""Pakai lokasi saya / Use my location: the browser's position, asked only on a click.

A small local component (``dashboard/components/locate``) calls
``navigator.geolocation.getCurrentPosition`` when the button is pressed and sends back the
coordinates, or why there are none; nothing else leaves the device, and nothing loads from
another site.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from dashboard.i18n import t

KEY = "use_my_location"
HANDLED_KEY = "use_my_location_handled"
#: Why the browser gave no position: ``locate.<reason>`` in :mod:`dashboard.i18n`.
REASONS = ("denied", "unavailable", "timeout", "unsupported")

_component = components.declare_component(
    "pantauzona_locate", path=str(Path(__file__).parent / "components" / "locate")
)


def read(value: object, handled: object) -> tuple[float, float] | str | None:
    """A new position ``(lat, lon)``, the reason there is none, or ``None`` (nothing new).

    Parameters
    ----------
    value
        What the component returned: ``{"lat", "lon", "id"}``, ``{"error", "id"}`` or ``None``.
    handled
        The ``id`` of the last position already opened.
    """
    if not isinstance(value, dict):
        return None
    if "error" in value:
        return value["error"] if value["error"] in REASONS else "unavailable"
    try:
        point = float(value["lat"]), float(value["lon"])
    except (KeyError, TypeError, ValueError):
        return "unavailable"
    if not all(math.isfinite(c) for c in point):
        return "unavailable"
    return None if value.get("id") == handled else point


def my_location(lang: str) -> tuple[float, float] | None:
    """The button; a new position once after it is given, else ``None`` (with the reason shown
    in ``lang`` when the browser refused or failed)."""
    value = _component(label=t("locate.button", lang), lang=lang, key=KEY, default=None)
    found = read(value, st.session_state.get(HANDLED_KEY))
    if isinstance(found, str):
        st.info(t(f"locate.{found}", lang), icon=":material/location_off:")
        return None
    if found is not None:
        st.session_state[HANDLED_KEY] = value["id"]  # type: ignore[index]
    return found
