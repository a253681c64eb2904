"""Regions of points: the finest polygon layer (villages where they have polygons, else kecamatan)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pipeline_fixtures import CIDENG, GAMBIR, KEMAYORAN, SUKASARI, TEBET_TIMUR

from geo import regions
from geo.errors import RegionError


def test_finest_layer():
    layer = regions.finest()
    # 267 DKI + 5,957 Jawa Barat villages; the 7,277 shipped kecamatan minus DKI's 44 and JB's 627.
    assert layer["level"].value_counts().to_dict() == {"district": 6606, "village": 6224}
    assert layer["code"].is_monotonic_increasing
    assert not layer["code"].str.match(r"^3[12]\.\d\d\.\d\d$").any()  # no DKI or JB kecamatan
    row = layer[layer["code"] == "31.71.01.1001"].iloc[0]
    assert (row["province_code"], row["regency_code"], row["district_code"]) == (
        "31",
        "31.71",
        "31.71.01",
    )
    bandung = layer[layer["code"] == "32.73.01.1003"].iloc[0]
    assert (bandung["district_code"], bandung["village_code"]) == ("32.73.01", "32.73.01.1003")
    banjarmasin = layer[layer["code"] == "63.71.05"].iloc[0]
    assert banjarmasin["regency_code"] == "63.71"
    assert pd.isna(banjarmasin["village_code"])


@pytest.mark.parametrize(
    ("point", "code"),
    [
        (GAMBIR, "31.71.01.1001"),
        (CIDENG, "31.71.01.1002"),
        (KEMAYORAN, "31.71.03.1001"),
        (TEBET_TIMUR, "31.74.01.1001"),
        (SUKASARI, "32.73.01.1003"),  # Isola, Sukasari, Kota Bandung
    ],
)
def test_locate_points(point, code):
    (index,) = regions.locate_points(np.array([point[0]]), np.array([point[1]]))
    assert regions.finest()["code"].iloc[index] == code


def test_points_just_off_the_coast_snap_within_the_limit():
    # Jakarta's shore at lon 106.84 is near lat -6.1209; -6.118 is 0.003 degrees out at sea
    # (within SNAP_DEGREES = 0.005), -6.11 is 0.011 out.
    assert regions.SNAP_DEGREES == 0.005
    found = regions.locate_points(np.array([-6.118, -6.11]), np.array([106.84, 106.84]))
    assert found[0] >= 0
    assert regions.finest()["code"].iloc[found[0]].startswith("31.")
    assert found[1] == -1


def test_points_outside_every_polygon():
    # Singapore, and the middle of the Indian Ocean; a batch with no point inside at all.
    found = regions.locate_points(np.array([1.3521, -20.0]), np.array([103.8198, 80.0]))
    assert found.tolist() == [-1, -1]
    assert regions.locate_points(np.empty(0), np.empty(0)).size == 0


def test_codes_of():
    layer = regions.finest()
    gambir = int(np.flatnonzero(layer["code"] == "31.71.01.1001")[0])
    banjarmasin = int(np.flatnonzero(layer["code"] == "63.71.05")[0])
    isola = int(np.flatnonzero(layer["code"] == "32.73.01.1003")[0])
    codes = regions.codes_of(np.array([gambir, -1, banjarmasin, isola]))
    assert list(codes.columns) == ["province_code", "regency_code", "district_code", "village_code"]
    assert codes.iloc[0].tolist() == ["31", "31.71", "31.71.01", "31.71.01.1001"]
    assert codes.iloc[1].isna().all()
    assert codes.iloc[2, :3].tolist() == ["63", "63.71", "63.71.05"]
    assert codes.iloc[2].isna().tolist() == [False, False, False, True]
    assert codes.iloc[3].tolist() == ["32", "32.73", "32.73.01", "32.73.01.1003"]


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("31", "province"),
        ("31.71", "regency"),
        ("31.71.01", "district"),
        ("31.71.01.1001", "village"),
    ],
)
def test_level_of(code, level):
    assert regions.level_of(code) == level


def test_known_code_and_ancestors():
    assert regions.known_code("31.71.01.1001")
    assert regions.known_code("92.02.31")  # listed although it has no boundary
    assert not regions.known_code("31.99")
    assert not regions.known_code("31.71.1")
    assert regions.ancestors("31.71.01.1001") == ["31.71.01.1001", "31.71.01", "31.71", "31"]
    assert regions.ancestors("31") == ["31"]


def test_region_error_reads_as_a_sentence():
    assert str(RegionError("Unknown region 31.99.")) == "Unknown region 31.99."
    assert isinstance(RegionError("x"), KeyError)


@pytest.mark.parametrize(
    ("code", "scope", "inside"),
    [
        ("32.73.01", "32", True),
        ("32", "32", True),
        ("32.73", None, True),
        (None, None, True),
        (None, "32", False),  # Indonesia is not inside a province
        ("3", "32", False),
        ("321.01", "32", False),  # a prefix of digits is not a parent
        ("31.71", "32", False),
    ],
)
def test_within_follows_the_code_hierarchy(code, scope, inside):
    assert regions.within(code, scope) is inside
