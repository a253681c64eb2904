"""PLACEHOLDER data provider: the seam between the dashboard and ``geo``.

Everything here is a tiny in-memory stand-in so the frame and the pages can be built and tested
before the data layer exists. Re-implement these functions on top of ``geo`` (reading the build in
``$PANTAUZONA_BUILD``) with the same signatures and behaviour, and the dashboard will follow:

- ``available_dates() -> list[date]``: days with data, ascending (may be empty).
- ``children(parent_code) -> list[tuple[code, name]]``: provinces for ``None``, else the regions
  one level below ``parent_code``; empty for a village or an unknown code.
- ``region_name(code) -> str`` and ``parent(code) -> str | None`` (``None`` for a province):
  both raise ``KeyError`` for an unknown code.
- ``map_layers(day, region_code, lang) -> MapLayers``: hexagons as a GeoJSON FeatureCollection
  whose features carry ``risk`` (``red``/``orange``/``green``/``no_data``), ``label`` and
  ``reason`` (in ``lang``), the region outlines, and the bounds to fit.
- ``daily_cases(region_code) -> DataFrame`` with columns ``date`` and ``cases``.

Region codes are strings (``"31.71.01.1001"``). Keep ``@st.cache_data`` on each function: this is
the edge where the dashboard caches (STYLE.md).
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from typing import NamedTuple

import h3
import pandas as pd
import streamlit as st


class MapLayers(NamedTuple):
    """What the risk map draws: ``bounds`` is ``[[south, west], [north, east]]``."""

    hexagons: dict
    outlines: dict
    bounds: list[list[float]]


_LATEST = date(2021, 7, 15)
_DAYS = 14

# code -> (name, parent code). Two village names are hostile on purpose: they must show as text.
_REGIONS: dict[str, tuple[str, str | None]] = {
    "31": ("DKI Jakarta", None),
    "31.71": ("Kota Adm. Jakarta Pusat", "31"),
    "31.71.01": ("Gambir", "31.71"),
    "31.71.01.1001": ("Gambir", "31.71.01"),
    "31.71.01.1002": ("Cideng", "31.71.01"),
    "31.71.01.9901": ("<img src=x onerror=alert(1)>", "31.71.01"),
    "31.71.01.9902": ("${alert(1)}", "31.71.01"),
    "31.71.06": ("Menteng", "31.71"),
    "31.71.06.1001": ("Menteng", "31.71.06"),
    "31.74": ("Kota Adm. Jakarta Selatan", "31"),
    "31.74.01": ("Tebet", "31.74"),
    "31.74.01.1001": ("Tebet Barat", "31.74.01"),
    "32": ("Jawa Barat", None),
    "32.73": ("Kota Bandung", "32"),
    "32.73.01": ("Sukasari", "32.73"),
    "32.73.01.1001": ("Sarijadi", "32.73.01"),
}

_MONAS = (-6.1754, 106.8272)
_DEMO_LABELS = ("Gambir", "<img src=x onerror=alert(1)>", "${alert(1)}")
_DEMO_RISKS = ("red", "orange", "green")
_DEMO_REASONS = {
    "id": {
        "red": "Kasus 7 hari per 100 ribu penduduk: 212 (≥ 150)",
        "orange": "Kasus 7 hari per 100 ribu penduduk: 87 (≥ 50 dan < 150)",
        "green": "Kasus 7 hari per 100 ribu penduduk: 12 (< 50)",
    },
    "en": {
        "red": "7-day cases per 100k people: 212 (≥ 150)",
        "orange": "7-day cases per 100k people: 87 (≥ 50 and < 150)",
        "green": "7-day cases per 100k people: 12 (< 50)",
    },
}


@st.cache_data
def available_dates() -> list[date]:
    """Days with data, ascending."""
    return [_LATEST - timedelta(days=n) for n in reversed(range(_DAYS))]


@st.cache_data
def children(parent_code: str | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the regions directly below ``parent_code`` (provinces for ``None``)."""
    return [
        (code, name) for code, (name, parent_of) in _REGIONS.items() if parent_of == parent_code
    ]


@st.cache_data
def region_name(code: str) -> str:
    """The region's name; ``KeyError`` for an unknown code."""
    return _REGIONS[code][0]


@st.cache_data
def parent(code: str) -> str | None:
    """The code of the region containing ``code`` (``None`` for a province); ``KeyError`` if unknown."""
    return _REGIONS[code][1]


@st.cache_data
def map_layers(day: date, region_code: str | None, lang: str) -> MapLayers:
    """Three demo hexagons around Monas, whose colours rotate with ``day``."""
    centre = h3.latlng_to_cell(*_MONAS, 8)
    cells = [centre, *sorted(set(h3.grid_disk(centre, 1)) - {centre})[:2]]
    shift = day.toordinal() % len(_DEMO_RISKS)
    risks = _DEMO_RISKS[shift:] + _DEMO_RISKS[:shift]
    reasons = _DEMO_REASONS.get(lang, _DEMO_REASONS["id"])
    features = [
        _polygon(
            h3.cell_to_boundary(cell),
            {"cell": cell, "risk": risk, "label": label, "reason": reasons[risk]},
        )
        for cell, risk, label in zip(cells, risks, _DEMO_LABELS, strict=True)
    ]
    lats = [lat for cell in cells for lat, _ in h3.cell_to_boundary(cell)]
    lngs = [lng for cell in cells for _, lng in h3.cell_to_boundary(cell)]
    south, west, north, east = min(lats), min(lngs), max(lats), max(lngs)
    pad = 0.004
    box = ((south - pad, west - pad), (south - pad, east + pad), (north + pad, east + pad))
    box += ((north + pad, west - pad),)
    outline = _polygon(box, {"name": region_name("31.71.01")})
    return MapLayers(
        hexagons={"type": "FeatureCollection", "features": features},
        outlines={"type": "FeatureCollection", "features": [outline]},
        bounds=[[south, west], [north, east]],
    )


@st.cache_data
def daily_cases(region_code: str | None) -> pd.DataFrame:
    """New cases per day: a made-up wave, different for each region."""
    seed = zlib.crc32((region_code or "ID").encode()) % 50
    days = available_dates()
    cases = [seed + 5 * n + (n * n) % 7 for n in range(len(days))]
    return pd.DataFrame({"date": pd.to_datetime(days), "cases": cases})


def _polygon(latlngs: tuple[tuple[float, float], ...], properties: dict) -> dict:
    ring = [[lng, lat] for lat, lng in latlngs]
    ring.append(ring[0])
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": properties,
    }
