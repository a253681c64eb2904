"""Find my area: regions by name or code, and the region at a coordinate.

Matching ignores case, accents and punctuation (``Tébet`` finds ``Tebet``, ``grong grong`` finds
``Grong-grong``) and reads codes of both editions, dotted or not (``31.71.01.1002`` or
``3171011002``): the 2025 ``code`` and the 2020 ``code_2020`` that COVID-era documents use.
A province or regency also answers to its name without its title (``Bandung`` for ``Kota
Bandung``, ``Jakarta`` for ``Daerah Khusus Ibukota Jakarta``) and to the title's usual short form
(``Kab Bandung``, ``DKI Jakarta``).

Ranking, best first:

1. how the query matches: the whole name or code; the name's first words; whole words later in
   the name; the start of the name or code; anywhere in the name (:data:`MATCH_KINDS`);
2. the level: province, regency, district, village;
3. a current code before a 2020 code;
4. a kota before a kabupaten of the same name (the city is the place; the regency around it is
   named after it);
5. more people first (provinces, regencies and DKI and Jawa Barat villages have a population),
   then the name.

The result limit never cuts a match of the whole name or code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import reference, regions
from geo.columns import LEVELS
from geo.point_rules import LAT_RANGE, LON_RANGE

#: How a query can match, best first; a rank is the position in this tuple.
MATCH_KINDS: tuple[str, ...] = ("exact", "first_words", "word", "prefix", "substring")
_EXACT, _FIRST_WORDS, _WORD, _PREFIX, _SUBSTRING = range(len(MATCH_KINDS))
_NONE = len(MATCH_KINDS)
#: Titles that open province and regency names, with the short forms people type for them.
TITLES: dict[str, tuple[str, ...]] = {
    "kabupaten administrasi": ("kab adm", "kabupaten"),
    "kota administrasi": ("kota adm", "kota"),
    "kabupaten": ("kab",),
    "kota": (),
    "daerah khusus ibukota": ("dki",),
    "daerah istimewa": ("diy", "di"),
}
_TITLED_LEVELS = ("province", "regency")
_DOTTED_CODE = re.compile(r"\d+(?:\.\d+)*\.?")
_DOTLESS_CODE = re.compile(r"\d+")
_PUNCTUATION = re.compile(r"[-/.,()]")
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


def name_key(text: str) -> str:
    """A name for matching: :func:`normalise` with hyphens, slashes and dots read as spaces and
    apostrophes dropped (``Ma'u`` → ``mau``, ``Kab. Bandung`` → ``kab bandung``)."""
    return " ".join(_PUNCTUATION.sub(" ", normalise(text).replace("'", "")).split())


def name_keys(name: str, level: str) -> tuple[str, ...]:
    """Every key a region answers to: its name, and for a province or regency the name without
    its title and with each short form of the title (see :data:`TITLES`)."""
    key = name_key(name)
    if level not in _TITLED_LEVELS:
        return (key,)
    for title, shorts in TITLES.items():  # longest titles first: "kota administrasi" before "kota"
        if key.startswith(title + " "):
            core = key.removeprefix(title + " ")
            return (key, core, *(f"{short} {core}" for short in shorts))
    return (key,)


@functools.cache
def _index() -> pd.DataFrame:
    table = reference.regions()
    villages = pd.concat([reference.village_population(), reference.jabar_village_population()])
    population = table["population"].fillna(villages.reindex(table.index))
    return pd.DataFrame(
        {
            "code": table["code"].to_numpy(),
            "name": table["name"].str.strip().to_numpy(),
            "level": table["level"].to_numpy(),
            "code_2020": table["code_2020"].to_numpy(),
            "depth": table["level"].map(LEVELS.index).to_numpy(),
            "city_first": (table["kind"] != "kota").astype(int).to_numpy(),
            "people": -population.fillna(-1).to_numpy(),
        }
    )


@functools.cache
def _keys() -> pd.DataFrame:
    """One row per key a region answers to: ``row`` (its position in the index) and ``key``."""
    index = _index()
    pairs = [
        (row, key)
        for row, (name, level) in enumerate(zip(index["name"], index["level"], strict=True))
        for key in name_keys(name, level)
    ]
    return pd.DataFrame(pairs, columns=["row", "key"])


def _name_rank(query: str) -> np.ndarray:
    """The best rank of each region's name keys for ``query`` (``_NONE`` when none matches)."""
    keys = _keys()
    text = keys["key"]
    rank = np.full(len(text), _NONE)
    rank[text.str.contains(query, regex=False).to_numpy()] = _SUBSTRING
    rank[text.str.startswith(query).to_numpy()] = _PREFIX
    rank[(" " + text + " ").str.contains(f" {query} ", regex=False).to_numpy()] = _WORD
    rank[text.str.startswith(query + " ").to_numpy()] = _FIRST_WORDS
    rank[(text == query).to_numpy()] = _EXACT
    best = np.full(len(_index()), _NONE)
    np.minimum.at(best, keys["row"].to_numpy(), rank)
    return best


def _code_rank(codes: pd.Series, query: str) -> np.ndarray:
    """Rank of each code for a code-like ``query``: exact or from its start, dots optional."""
    if _DOTLESS_CODE.fullmatch(query):
        codes = codes.str.replace(".", "", regex=False)
    elif not _DOTTED_CODE.fullmatch(query):
        return np.full(len(codes), _NONE)
    rank = np.full(len(codes), _NONE)
    rank[(codes.str.startswith(query) & (codes != "")).to_numpy()] = _PREFIX
    rank[(codes == query).to_numpy()] = _EXACT
    return rank


def path_of(code: str) -> tuple[str, ...]:
    """Names from the province down to the region ``code``."""
    table = reference.regions()
    return tuple(table.loc[c, "name"].strip() for c in reversed(regions.ancestors(code)))


def search_regions(
    query: str, limit: int = 10, *, among: Collection[str] | None = None
) -> list[Match]:
    """Regions whose name or code (2025 or 2020 edition) matches ``query``, best first.

    Parameters
    ----------
    query
        A name or part of one (any case, with or without accents), or a code, dotted or not,
        such as ``31.71`` or ``3171011002``.
    limit
        The most matches to return, except that every match of the whole name or code is
        returned, however many there are.
    among
        Codes to search among (e.g. the regions of a build); all regions when ``None``.
    """
    wanted = normalise(query)
    if not wanted:
        return []
    index = _index()
    current = np.minimum(_name_rank(name_key(wanted)), _code_rank(index["code"], wanted))
    former = _code_rank(index["code_2020"], wanted)
    ranked = index.assign(rank=np.minimum(current, former), former=(former < current).astype(int))
    keep = ranked["rank"] < _NONE
    if among is not None:
        keep &= ranked["code"].isin(among)
    order = ["rank", "depth", "former", "city_first", "people", "name", "code"]
    ranked = ranked[keep].sort_values(order)
    ranked = ranked[(ranked["rank"] == _EXACT) | (np.arange(len(ranked)) < limit)]
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


def region_at(lat: float, lon: float, among: Collection[str] | None = None) -> str | None:
    """Code of the finest region holding the point (a village where villages have polygons, else
    a district), or ``None``; with ``among`` (a build's regions), the finest of those."""
    index = regions.locate_points(np.array([lat]), np.array([lon]))[0]
    if index < 0:
        return None
    code = str(regions.finest()["code"].iloc[index])
    if among is None:
        return code
    return next((c for c in regions.ancestors(code) if c in among), None)
