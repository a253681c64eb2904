"""Another preset's rules over a build's stored metrics, without rebuilding.

:func:`under_preset` gives the same build seen under the risk rules of another preset: its
cells and regions are re-coloured on read from their stored metrics (a ratio the rules need and
the build lacks is computed from the stored counts; see :func:`geo.risk.rescore`), with the
build's own resolutions, exposure window and privacy threshold. Every reader of
:mod:`geo.views` (maps, summaries, what changed) then works under those rules.
:func:`differences` lists the zones of a view whose colour the choice of rules changes.

What is not recomputed: the shares of a region's population by colour (they need every
resolution-9 cell, and are the active rules' until a rebuild).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import pandas as pd

from geo import buildread, mapshapes
from geo.build import absent_rules
from geo.buildread import Build
from geo.columns import LEVEL_COLUMNS, Out
from geo.config import PRESETS, Config, load_config
from geo.errors import ConfigError
from geo.privacy import OFFICIAL, check_audience, public_zones

COLUMNS: list[str] = [
    "zone",
    "label",
    "region_code",
    "region_name",
    "risk",
    "reason",
    "other_risk",
    "other_reason",
]


def rules_of(build: Build, preset: str) -> Config:
    """``build``'s configuration with the risk rules of ``preset`` (everything else kept).

    Parameters
    ----------
    build
        An open build.
    preset
        One of :data:`geo.config.PRESETS`.
    """
    if preset not in PRESETS:
        msg = f"Unknown preset {preset!r}; choose one of {', '.join(PRESETS)}."
        raise ConfigError(msg)
    other = load_config(preset=preset)
    return build.config.model_copy(
        update={"name": other.name, "description": other.description, "risk": other.risk}
    )


@functools.lru_cache(maxsize=16)  # a few builds x presets; old builds are let go
def under_preset(build: Build, preset: str) -> Build:
    """``build`` seen under ``preset``'s risk rules (the build itself for its own preset).

    The view is cached per build and preset; its manifest names the preset and classifies an
    absent cell by the new rules.
    """
    if preset == build.config.name:
        return build
    config = rules_of(build, preset)
    manifest = {
        **build.manifest,
        "preset": preset,
        "config_sha256": config.digest(),
        "absent_cell": absent_rules(config),
    }
    return dataclasses.replace(build, config=config, manifest=manifest, rescore=True)


def _zones(build: Build, day: dt.date, region_code: str | None) -> pd.DataFrame:
    """The zones the map draws (regencies with a shape, or hexagons), one row each, with the
    zone id, label and finest region."""
    resolution = mapshapes.map_resolution(build, region_code)
    if region_code is None or resolution is None:
        drawn = mapshapes.simplified("regency", country=True).index  # as the map's choropleth
        regencies = build.regions.index[build.regions[Out.REGION_LEVEL] == "regency"]
        regencies = regencies[regencies.isin(drawn)]
        table = buildread.region_rows(build, list(regencies), day).reset_index(drop=True)
        return table.assign(
            zone=table[Out.REGION_CODE], label=table["name"], finest=table[Out.REGION_CODE]
        )
    table = buildread.cells_in(build, day, region_code, resolution)
    table = table.sort_values(Out.CELL, ignore_index=True)
    finest = pd.Series(None, index=table.index, dtype=object)
    for column in LEVEL_COLUMNS.values():
        finest = table[column].where(table[column].notna(), finest)
    cell = table[Out.CELL].astype(str)
    return table.assign(zone=cell, label=cell, finest=finest)


def differences(
    build: Build, preset: str, day: dt.date, region_code: str | None, *, audience: str, lang: str
) -> pd.DataFrame:
    """The zones of a view whose colour differs under ``preset``'s rules.

    Parameters
    ----------
    build
        An open build (its own rules are the active ones).
    preset
        The rules to compare with.
    day
        A day of the build.
    region_code
        The region in view (``None``: the country's regencies), drawn as the map draws it.
    audience
        ``"public"`` or ``"official"``: the reasons' suppression.
    lang
        ``"id"`` or ``"en"``.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per zone whose colour differs, in map order (region or cell code): ``risk`` and
        ``reason`` under the active rules, ``other_risk`` and ``other_reason`` under ``preset``.
    """
    check_audience(audience)
    other = under_preset(build, preset)
    mine, theirs = _zones(build, day, region_code), _zones(other, day, region_code)
    differ = mine[Out.RISK].astype(str).to_numpy() != theirs[Out.RISK].astype(str).to_numpy()
    if audience != OFFICIAL:  # only the zones the public map draws (no venue activity)
        differ &= public_zones(mine)
    mine, theirs = mine[differ], theirs[differ]
    if mine.empty:
        return pd.DataFrame(columns=COLUMNS)
    names = build.regions["name"].reindex(mine["finest"]).to_numpy()
    frame = pd.DataFrame(
        {
            "zone": mine["zone"].to_numpy(),
            "label": mine["label"].to_numpy(),
            "region_code": mine["finest"].to_numpy(),
            "region_name": names,
            "risk": mine[Out.RISK].astype(str).to_numpy(),
            "reason": buildread.render_reasons(build, mine, audience=audience, lang=lang),
            "other_risk": theirs[Out.RISK].astype(str).to_numpy(),
            "other_reason": buildread.render_reasons(other, theirs, audience=audience, lang=lang),
        }
    )
    return frame
