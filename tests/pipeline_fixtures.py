"""Shared pipeline fixtures: hand-made inputs small enough to check by hand, and one build of them.

Test modules load this file as a plugin (``pytest_plugins = ["pipeline_fixtures"]``), so its
session fixtures are computed once per run however many modules use them. (It is not called
``fixtures.py``: pytest's own ``_pytest.fixtures`` plugin is registered under that name, so
``pytest_plugins = ["fixtures"]`` would silently load pytest's module instead.) Test modules also
import its constants; PYTEST_DONT_REWRITE below keeps pytest from warning that the module was
imported before it was registered as a plugin (it has no asserts to rewrite). The population grid (national,
H3 resolution 9, about 15 s) is cached under ``PANTAUZONA_CACHE``; when that is not set, the run
uses one shared temporary folder, so CI computes the grid once per run and never writes to the
home folder.

The hand-made inputs (``today`` is 2021-08-01):

* ``CASES_CSV``: 10 accepted cases and 11 rows that each fail one check;
* ``VENUES_CSV``: 3 DKI venues (and one outside Indonesia);
* ``CHECKINS_CSV``: check-ins at those venues; person ``PERSON-SECRET-1`` becomes case c01.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from geo.config import load_config
from geo.readers import read_input
from geo.validate import (
    CHECKIN_COLUMNS,
    VENUE_COLUMNS,
    Checked,
    read_cases,
    validate_cases,
    validate_checkins,
    validate_venues,
)

TODAY = dt.date(2021, 8, 1)
RESOLUTIONS = (9, 8, 7, 6)

# Points found with shapely.point_on_surface on the shipped polygons, rounded to 5 decimals.
GAMBIR = (-6.17505, 106.82661)  # 31.71.01.1001 Gambir (kelurahan, 3,088 people)
CIDENG = (-6.1752, 106.80938)  # 31.71.01.1002 Cideng (kelurahan, 19,216 people)
KEMAYORAN = (-6.16627, 106.84505)  # 31.71.03.1001 Kemayoran (kelurahan)
TEBET_TIMUR = (-6.23098, 106.85554)  # 31.74.01.1001 Tebet Timur (kelurahan)
SUKASARI = (-6.85371, 107.59214)  # 32.73.01.1003 Isola, kecamatan Sukasari, Kota Bandung

# Accepted (10): c01-c04 points in DKI, c05 a kelurahan code, c06 a DKI kecamatan code,
# c07 a point in Bandung, c08 a regency code (Surabaya), c09 a province code (DKI),
# c10 a kecamatan without a shipped boundary (92.02.31, spread over its regency 92.02).
# Quarantined (11), one per check, lines 12-22.
CASES_CSV = """\
case_id,reported_date,lat,lon,region_code,person_id
c01,2021-07-01,-6.17505,106.82661,,PERSON-SECRET-1
c02,2021-07-01,-6.17505,106.82661,,
c03,2021-07-01,-6.17505,106.82661,,
c04,2021-07-03,-6.1752,106.80938,,
c05,2021-07-05,,,31.71.01.1002,
c06,2021-07-05,,,31.74.01,
c07,2021-07-06,-6.85371,107.59214,,
c08,2021-07-06,,,35.78,
c09,2021-07-07,,,31,
c10,2021-07-08,,,92.02.31,
c01,2021-07-02,-6.17505,106.82661,,
,2021-07-02,-6.17505,106.82661,,
x-date,1 Juli 2021,-6.17505,106.82661,,
x-future,2021-08-02,-6.17505,106.82661,,
x-swapped,2021-07-02,106.82661,-6.17505,,
x-range,2021-07-02,95.5,300,,
x-null,2021-07-02,0,0,,
x-sg,2021-07-02,1.3521,103.8198,,
x-code,2021-07-02,,,31.99,
x-nowhere,2021-07-02,,,,
x-lat,2021-07-02,abc,106.8,,
"""
CASES_ACCEPTED = 10
CASES_QUARANTINED = 11

# Venues: the names and ids are secrets that must never reach cells_daily or regions_daily.
VENUES_CSV = """\
venue_id,name,category,lat,lon
VENUE-SECRET-A,Warung Rahasia Gambir,supermarket,-6.17505,106.82661
VENUE-SECRET-B,Pasar Rahasia Kemayoran,supermarket,-6.16627,106.84505
VENUE-SECRET-C,Toko Rahasia Tebet,pharmacy,-6.23098,106.85554
VENUE-SECRET-D,Toko Singapura,pharmacy,1.3521,103.8198
"""

# PERSON-SECRET-1 checks in at A on 2021-06-30 10:00 WIB and is case c01 on 2021-07-01: that
# check-in is infectious. k2 (09:00) and k3 (11:00) are exactly 2 h away: exposed; k4 (12:00:01)
# is not. k5 is the case person checking in twice (never exposed). At B, k6 and k7 meet nobody
# infectious.
# k8 refers to the venue outside Indonesia (quarantined: unknown_venue).
CHECKINS_CSV = """\
checkin_id,venue_id,checked_in_at,person_id
k1,VENUE-SECRET-A,2021-06-30T10:00:00,PERSON-SECRET-1
k2,VENUE-SECRET-A,2021-06-30T08:00:00,PERSON-SECRET-2
k3,VENUE-SECRET-A,2021-06-30T12:00:00,PERSON-SECRET-3
k4,VENUE-SECRET-A,2021-06-30T12:00:01,PERSON-SECRET-4
k5,VENUE-SECRET-A,2021-06-30T10:00:00,PERSON-SECRET-1
k6,VENUE-SECRET-B,2021-07-02T10:00:00,PERSON-SECRET-5
k7,VENUE-SECRET-B,2021-07-02T10:30:00,PERSON-SECRET-6
k8,VENUE-SECRET-D,2021-07-02T10:30:00,PERSON-SECRET-7
"""
SECRETS = ("PERSON-SECRET", "VENUE-SECRET", "Rahasia")


def cases(path: Path, today: dt.date = TODAY) -> Checked:
    """A cases file read and validated as the build does."""
    return validate_cases(read_cases(path), today=today)


def venues(path: Path) -> Checked:
    """A venues file read and validated."""
    return validate_venues(read_input(path, VENUE_COLUMNS, label="venues"))


def checkins(path: Path, accepted_venues: object, today: dt.date = TODAY) -> Checked:
    """A check-ins file read and validated against the accepted venues."""
    raw = read_input(path, CHECKIN_COLUMNS, label="check-ins")
    return validate_checkins(raw, accepted_venues, today=today)


def balanced(checked: Checked) -> bool:
    """Whether accepted + quarantined = read."""
    counts = checked.counts
    return counts["accepted"] + counts["quarantined"] == counts["read"]


def assert_same_build(one: Path, other: Path) -> None:
    """Every table of two builds equal (after a stable sort on every column), every other file
    byte for byte, the manifests but for what was copied."""
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in other.iterdir())
    for name in names:
        if name.endswith(".parquet"):
            a, b = pq.read_table(one / name), pq.read_table(other / name)
            assert a.schema == b.schema, name
            order = [(c, "ascending") for c in a.column_names]
            assert a.sort_by(order).equals(b.sort_by(order)), name
        elif name == "manifest.json":
            a, b = (json.loads((f / name).read_text()) for f in (one, other))
            a.pop("reuse"), b.pop("reuse")
            assert a == b
        else:
            assert (one / name).read_bytes() == (other / name).read_bytes(), name


def write(path: Path, text: str) -> Path:
    """Write dedented text to ``path`` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point ``PANTAUZONA_CACHE`` at one temporary folder for the run, unless it is set."""
    if os.environ.get("PANTAUZONA_CACHE"):
        yield Path(os.environ["PANTAUZONA_CACHE"])
        return
    folder = tmp_path_factory.getbasetemp() / "pantauzona-cache"
    folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PANTAUZONA_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def all_grids(shared_cache: Path) -> dict:
    """The population grids of the default resolutions (computed once, then cached)."""
    from geo.population import grids

    return grids(RESOLUTIONS)


@pytest.fixture(scope="session")
def base_grid(all_grids: dict):
    """The resolution-9 grid."""
    return all_grids[RESOLUTIONS[0]]


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hand-made inputs written to CSV files."""
    folder = tmp_path_factory.mktemp("inputs")
    return {
        "cases": write(folder / "cases.csv", CASES_CSV),
        "checkins": write(folder / "checkins.csv", CHECKINS_CSV),
        "venues": write(folder / "venues.csv", VENUES_CSV),
    }


def run_build(inputs: dict[str, Path], out: Path, **kwargs) -> dict:
    """Build the hand-made inputs into ``out`` with the ``pantauzona`` preset."""
    from geo.build import build

    kwargs.setdefault("config", load_config())
    return build(inputs["cases"], inputs["checkins"], inputs["venues"], out, today=TODAY, **kwargs)


@pytest.fixture(scope="session")
def built(
    inputs: dict[str, Path], all_grids: dict, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict]:
    """One build of the hand-made inputs (read-only: copy it before changing it)."""
    out = tmp_path_factory.mktemp("build") / "zones"
    manifest = run_build(inputs, out)
    return out, manifest
