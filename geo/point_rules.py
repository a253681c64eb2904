"""The rules of a row's point (``lat``, ``lon``): given, numbers, not swapped, in range, not
0,0, and inside one of Indonesia's regions (the run's fact :data:`POLY`, the polygon index of
each row, -1 for none). Rules of :mod:`geo.rules`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from geo import regions
from geo.columns import Col
from geo.rules import Rule, Run

#: Indonesia's extent, used to recognise swapped coordinates.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)
#: The run's fact: each row's polygon (index into :mod:`geo.regions`), -1 where not located.
POLY = "poly"


def coordinates(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``lat`` and ``lon`` as numbers (NaN where not a number or absent)."""

    def parse() -> tuple[np.ndarray, np.ndarray]:
        frame = run.raw.frame
        if Col.LAT not in frame or Col.LON not in frame:
            return np.full(len(frame), np.nan), np.full(len(frame), np.nan)
        lat = pd.to_numeric(frame[Col.LAT], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(frame[Col.LON], errors="coerce").to_numpy(dtype=float)
        return lat, lon

    return run.fact("coordinates", parse)


def polygons(run: Run) -> np.ndarray:
    """Each row's polygon once :func:`point_rules` located it (-1 everywhere before or
    without points)."""
    return run.fact(POLY, lambda: np.full(len(run.alive), -1, dtype=np.int64))


def _locate(run: Run, use: np.ndarray) -> np.ndarray:
    """Locate the points of the rows in ``use`` still alive, each distinct point once."""

    def locate() -> np.ndarray:
        lat, lon = coordinates(run)
        poly = np.full(len(lat), -1, dtype=np.int64)
        todo = np.flatnonzero(use & run.alive)
        if todo.size:
            coords = pd.DataFrame({"lat": lat[todo], "lon": lon[todo]})
            uniq = coords.drop_duplicates()
            located = regions.locate_points(uniq["lat"].to_numpy(), uniq["lon"].to_numpy())
            found = pd.Series(located, index=pd.MultiIndex.from_frame(uniq))
            poly[todo] = found.reindex(pd.MultiIndex.from_frame(coords)).to_numpy()
        return poly

    return run.fact(POLY, locate)


def _lat(run: Run) -> np.ndarray:
    return coordinates(run)[0]


def _lon(run: Run) -> np.ndarray:
    return coordinates(run)[1]


def _swapped(run: Run) -> np.ndarray:
    lat, lon = coordinates(run)
    return (
        (lat >= LON_RANGE[0])
        & (lat <= LON_RANGE[1])
        & (lon >= LAT_RANGE[0])
        & (lon <= LAT_RANGE[1])
    )


def _null_island(run: Run) -> np.ndarray:
    lat, lon = coordinates(run)
    return (lat == 0) & (lon == 0)


def _blank(column: str, use: np.ndarray) -> Callable[[Run], np.ndarray]:
    return lambda run: use & (run.text(column) == "").to_numpy()


def _not_number(
    values: Callable[[Run], np.ndarray], use: np.ndarray
) -> Callable[[Run], np.ndarray]:
    return lambda run: use & np.isnan(values(run))


def point_rules(use: np.ndarray) -> list[Rule]:
    """The rules of the points of the rows in ``use`` (the other rows have none)."""
    rules: list[Rule] = []
    for column, values in ((Col.LAT, _lat), (Col.LON, _lon)):
        rules += [
            Rule("missing", column, _blank(column, use), f"{column} is missing", ("missing",)),
            Rule(
                "unparseable",
                column,
                _not_number(values, use),
                f"{column} is not a number",
                ("not_number",),
            ),
        ]
    swapped = "latitude and longitude look swapped? (lat is ~95..141)"
    return [
        *rules,
        Rule("swapped", Col.LAT, lambda run: use & _swapped(run), swapped, ("swapped",)),
        Rule(
            "out_of_range",
            Col.LAT,
            lambda run: use & (np.abs(_lat(run)) > 90),
            "lat is outside -90..90",
            ("out_of_range",),
        ),
        Rule(
            "out_of_range",
            Col.LON,
            lambda run: use & (np.abs(_lon(run)) > 180),
            "lon is outside -180..180",
            ("out_of_range",),
        ),
        Rule(
            "null_island",
            Col.LAT,
            lambda run: use & _null_island(run),
            "lat/lon is 0,0 (null island)",
            ("null_island",),
        ),
        Rule(
            "outside_indonesia",
            Col.LAT,
            lambda run: use & (_locate(run, use) < 0),
            "the point is outside Indonesia's regions",
            ("outside_indonesia",),
        ),
    ]


def point_values(run: Run, hit: np.ndarray) -> np.ndarray:
    """``lat,lon`` of the rows ``hit`` as read into numbers (a quarantine entry's value)."""
    lat, lon = coordinates(run)
    return np.array([f"{a},{b}" for a, b in zip(lat[hit], lon[hit], strict=True)], dtype=object)
