"""What changed: the zones whose colour changed between a day and the day 7 days before it.

The zones are those the map draws for the region (:func:`geo.mapshapes.map_resolution`): hexagons of a
province, regency, district or village, and the regencies for the whole country. A zone with no
row on one of the two days had no activity in its windows and takes the colour of an absent zone
(``manifest["absent_cell"]``: nothing happened there); so does every zone on a day before the
build's first day, when nothing had been recorded yet.

A zone got **worse** when it turned red or orange from a milder colour or from no data, and
**better** when it left red or orange for a milder colour; a change to or from no data otherwise
is **other**. Worst first: the worse zones by the colour they reached, then by the size of the
jump, then by cases per 100k and cases; then the better ones, the largest improvement first. Each
zone carries its reason on the day (in the reader's language; the public's from published figures), its
figures as the audience may read them, and the region and point that open it on the map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from geo import buildread, cells, mapshapes, places
from geo.buildread import Build
from geo.columns import COUNT_METRICS, LEVEL_COLUMNS, Out
from geo.metrics import ratios
from geo.privacy import OFFICIAL, check_audience, display_published, display_rate, public_frame
from geo.risk import classify

#: How far back the comparison looks.
LOOKBACK = dt.timedelta(days=7)
#: Colours from mildest to worst; no data is below green (it is not a risk).
SEVERITY: dict[str, int] = {"no_data": 0, "green": 1, "orange": 2, "red": 3}
WORSE, BETTER, OTHER = "worse", "better", "other"
KINDS: tuple[str, ...] = (WORSE, BETTER, OTHER)
COLUMNS: list[str] = [
    "zone",
    "label",
    "name",
    "before",
    "after",
    "change",
    "reason",
    Out.CASES_7D,
    Out.CASES_PER_100K_7D,
    "region_code",
    "region_name",
    "lat",
    "lon",
]


def _regencies(build: Build) -> list[str]:
    table = build.regions
    return table.loc[table[Out.REGION_LEVEL] == "regency", Out.REGION_CODE].tolist()


def _rows_on(
    build: Build, day: dt.date, region_code: str | None, resolution: int | None
) -> pd.DataFrame:
    """The zones' rows on ``day``, indexed by zone id (none before the build's first day)."""
    if day not in build.dates:
        return pd.DataFrame()
    if resolution is None:
        table = buildread.region_rows(build, _regencies(build), day)
        return table.set_index(Out.REGION_CODE, drop=False)
    table = buildread.cells_in(build, day, region_code, resolution)
    return table.set_index(table[Out.CELL].astype(str))


def _absent(build: Build, rows: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """``rows`` as they read on ``day`` with nothing in their windows: zero counts, classified
    afresh."""
    if rows.empty:
        return rows
    out = rows.copy()
    out[Out.DATE] = pd.Timestamp(day)
    for column in COUNT_METRICS:
        if column in out:
            out[column] = 0.0
    out[Out.CHECKINS_BASELINE_7D] = np.nan
    ratios(out)
    out[Out.RISK] = classify(out, build.config)[Out.RISK].to_numpy()
    if "reporting" in out:  # a region with no report in the whole build stays without data
        out.loc[~out["reporting"].fillna(True).astype(bool), Out.RISK] = "no_data"
    return out


def change_kind(before: Sequence[str], after: Sequence[str]) -> np.ndarray:
    """``worse``, ``better`` or ``other`` for each pair of colours (see the module docstring)."""
    was = np.array([SEVERITY[s] for s in before], dtype=int)
    now = np.array([SEVERITY[s] for s in after], dtype=int)
    worse = (now > was) & (now >= SEVERITY["orange"])
    better = (now < was) & (was >= SEVERITY["orange"]) & (now >= SEVERITY["green"])
    return np.where(worse, WORSE, np.where(better, BETTER, OTHER))


def _where(build: Build, rows: pd.DataFrame, resolution: int | None) -> pd.DataFrame:
    """The region that opens each zone on the map (its finest), its name, and the zone's centre."""
    if resolution is None:
        codes = rows[Out.REGION_CODE].astype(str).to_numpy()
        shapes = mapshapes.simplified("regency")
        points = [
            shapely.point_on_surface(shapes.at[c, "geometry"]) if c in shapes.index else None
            for c in codes
        ]
        lat = np.array([p.y if p is not None else np.nan for p in points])
        lon = np.array([p.x if p is not None else np.nan for p in points])
    else:
        finest = pd.Series(None, index=rows.index, dtype=object)
        for column in LEVEL_COLUMNS.values():
            finest = rows[column].where(rows[column].notna(), finest)
        codes = finest.astype(object).to_numpy()
        lat, lon = cells.centres(cells.from_strings(rows.index.to_numpy()))
    names = build.regions["name"].reindex(codes).to_numpy()
    frame = {"region_code": codes, "region_name": names, "lat": lat, "lon": lon}
    return pd.DataFrame(frame, index=rows.index)


def _order(frame: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Worse, better, other; within each the worst transition first, then rate and cases (the
    figures the audience reads: published ones for the public, hidden ones as 0)."""
    cases = np.nan_to_num(figures[Out.CASES_7D].to_numpy(float))
    rate = np.nan_to_num(figures[Out.CASES_PER_100K_7D].to_numpy(float))
    was, now = frame["before"].map(SEVERITY), frame["after"].map(SEVERITY)
    keys = pd.DataFrame(
        {
            "kind": frame["change"].map(KINDS.index),
            "first": np.where(frame["change"] == BETTER, -was, -now),
            "second": np.where(frame["change"] == BETTER, now, was),
            "rate": -rate,
            "cases": -cases,
            "zone": frame["zone"].to_numpy(),
        },
        index=frame.index,
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def what_changed(
    build: Build,
    region_code: str | None,
    day: dt.date,
    *,
    audience: str,
    lang: str,
    resolution: int | None = None,
) -> pd.DataFrame:
    """The zones of ``region_code`` whose colour changed between 7 days before ``day`` and ``day``.

    Parameters
    ----------
    build
        An open build.
    region_code
        The region (``None``: the whole country, whose zones are its regencies).
    day
        A day of the build.
    audience
        ``"public"`` (published counts, :mod:`geo.privacy`; only zones with a case in 14 days
        on either day; no venue figures) or ``"official"``.
    lang
        ``"id"`` or ``"en"``, the language of the reasons.
    resolution
        H3 resolution of the zones (default: the map's, :func:`geo.mapshapes.map_resolution`).

    Returns
    -------
    DataFrame
        One row per changed zone, worst first, with :data:`COLUMNS`: ``zone`` (cell or region
        code), ``label`` (cell or region name), ``name`` (a hexagon by its place,
        :mod:`geo.places`: "sekitar Cideng, Gambir"; a region by its name), ``before`` and ``after`` colours, ``change``
        (``worse``, ``better`` or ``other``), ``reason`` (on ``day``), ``cases_7d`` and
        ``cases_per_100k_7d`` as the audience may read them, ``region_code`` and ``region_name``
        (the finest region holding the zone: it opens the zone on the map) and ``lat``/``lon``
        (the zone's centre).
    """
    check_audience(audience)
    if day not in build.dates:
        msg = (
            f"{day.isoformat()} is not a day of this build ({build.dates[0]} to {build.dates[-1]})."
        )
        raise ValueError(msg)
    if region_code is not None:
        resolution = resolution or mapshapes.map_resolution(build, region_code)
    after = _rows_on(build, day, region_code, resolution)
    before = _rows_on(build, day - LOOKBACK, region_code, resolution)
    if after.empty and before.empty:
        return pd.DataFrame(columns=COLUMNS)
    gone = before.loc[before.index.difference(after.index)] if len(before) else before
    after = pd.concat([df for df in (after, _absent(build, gone, day)) if len(df)])
    new = after.loc[after.index.difference(before.index)] if len(before) else after
    before = pd.concat([df for df in (before, _absent(build, new, day - LOOKBACK)) if len(df)])
    was = before[Out.RISK].astype(str).reindex(after.index)
    changed = after[Out.RISK].astype(str) != was
    if audience != OFFICIAL:  # zones the public map draws, on either day (no venue activity)
        cases = before[Out.CASES_14D].reindex(after.index).to_numpy(float)
        changed &= (after[Out.CASES_14D].to_numpy(float) > 0) | (cases > 0)
    rows = after[changed]
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = _where(build, rows, resolution)
    frame.insert(0, "zone", rows.index.to_numpy())
    labels = rows.index.to_numpy() if resolution is not None else frame["region_name"].to_numpy()
    frame.insert(1, "label", labels)
    named = places.zone_names(build, [str(z) for z in rows.index], lang)
    frame.insert(2, "name", named if resolution is not None else labels)
    frame.insert(3, "before", was.reindex(rows.index).to_numpy())
    frame.insert(4, "after", rows[Out.RISK].astype(str).to_numpy())
    frame.insert(5, "change", change_kind(frame["before"], frame["after"]))
    frame.insert(6, "reason", buildread.render_reasons(build, rows, audience=audience, lang=lang))
    figures = rows if audience == OFFICIAL else public_frame(rows, build.config.privacy)
    cases = figures[Out.CASES_7D].to_numpy(float)
    rates = figures[Out.CASES_PER_100K_7D].to_numpy(float)
    if audience != OFFICIAL:
        cases = [display_published(c, build.min_count, lang=lang) for c in cases]
        rates = [display_rate(r, lang=lang) for r in rates]
    frame.insert(7, Out.CASES_7D, cases)
    frame.insert(8, Out.CASES_PER_100K_7D, rates)
    return _order(frame[COLUMNS], figures)
