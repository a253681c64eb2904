"""Find my area: regions by name or code, and the region at a coordinate.

Matching ignores case and accents (``Tébet`` finds ``Tebet``) and reads codes of both editions:
the 2025 ``code`` and the 2020 ``code_2020`` that COVID-era documents use. Matches rank exact
before prefix before substring, coarser levels first on ties.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import reference, regions
from geo.columns import LEVELS
from geo.validate import LAT_RANGE, LON_RANGE

_EXACT, _PREFIX, _SUBSTRING = 0, 1, 2
_NUMBER = r"([+-]?\d+(?:\.\d+)?)\s*°?"
_COORDINATES = re.compile(rf"^\s*{_NUMBER}\s*(?:[,;]\s*|\s+){_NUMBER}\s*$")


@dataclass(frozen=True)
class Match:
    """One region found: ``path`` holds the names from the province down to it."""

    code: str
    name: str
    level: str
    path: tuple[str, ...]


def normalise(text: str) -> str:
    """Text for matching: accents removed (NFKD), case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@functools.cache
def _index() -> pd.DataFrame:
    table = reference.regions()
    return pd.DataFrame(
        {
            "code": table["code"].to_numpy(),
            "name": table["name"].to_numpy(),
            "level": table["level"].to_numpy(),
            "key": [normalise(name) for name in table["name"]],
            "code_2020": table["code_2020"].to_numpy(),
            "depth": table["level"].map(LEVELS.index).to_numpy(),
        }
    )


def _rank(values: pd.Series, query: str, *, inside: bool = True) -> np.ndarray:
    """Match rank of each value (exact, prefix, substring if ``inside``; 3 for no match)."""
    rank = np.full(len(values), 3)
    if inside:
        rank[values.str.contains(query, regex=False).to_numpy()] = _SUBSTRING
    rank[values.str.startswith(query).to_numpy()] = _PREFIX
    rank[(values == query).to_numpy()] = _EXACT
    return rank


def path_of(code: str) -> tuple[str, ...]:
    """Names from the province down to the region ``code``."""
    table = reference.regions()
    return tuple(table.loc[c, "name"] for c in reversed(regions.ancestors(code)))


def search_regions(query: str, limit: int = 10) -> list[Match]:
    """Regions whose name or code (2025 or 2020 edition) matches ``query``, best first.

    Parameters
    ----------
    query
        A name or part of one (any case, with or without accents), or a code such as ``31.71``.
    limit
        The most matches to return.
    """
    wanted = normalise(query)
    if not wanted:
        return []
    index = _index()
    # A code matches as exact or prefix only: "1" inside "31.71" is not a useful hit.
    rank = np.minimum.reduce(
        [
            _rank(index["key"], wanted),
            _rank(index["code"], wanted, inside=False),
            _rank(index["code_2020"], wanted, inside=False),
        ]
    )
    ranked = index.assign(rank=rank)[rank < 3]
    ranked = ranked.sort_values(["rank", "depth", "name", "code"]).head(limit)
    return [
        Match(code=row.code, name=row.name, level=row.level, path=path_of(row.code))
        for row in ranked.itertuples()
    ]


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` from ``"-6.2, 106.8"``, ``"-6.2 106.8"`` or ``"-6.2°, 106.8°"``.

    Returns ``None`` when the text is not two numbers or the point is outside Indonesia's extent.
    """
    found = _COORDINATES.match(text)
    if found is None:
        return None
    lat, lon = (float(part) for part in found.groups())
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return None
    return lat, lon


def region_at(lat: float, lon: float) -> str | None:
    """Code of the finest region holding the point (a DKI village or a district), or ``None``."""
    index = regions.locate_points(np.array([lat]), np.array([lon]))[0]
    if index < 0:
        return None
    return str(regions.finest()["code"].iloc[index])
