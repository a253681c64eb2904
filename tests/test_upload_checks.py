"""Checks of an uploaded file beyond its own rows: ids loaded before, the loader's region, size.

``today`` is 2021-08-01. Points as in ``pipeline_fixtures``: Gambir and Kemayoran lie in
Kota Jakarta Pusat (31.71), Tebet Timur in Jakarta Selatan (31.74).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from pipeline_fixtures import TODAY

from geo import regions
from geo.errors import InputFileError, RegionError
from geo.upload_checks import check_size, upload_name, validate_upload

pytest_plugins = ["pipeline_fixtures"]

COLUMNS = ["file", "row", "column", "check", "value", "reason"]
PUSAT = "31.71 (Kota Administrasi Jakarta Pusat)"
NO_VENUES = pd.DataFrame({"venue_id": pd.Series(dtype=str), "poly": pd.Series(dtype=int)})


def _rows(checked) -> list[list]:
    return checked.quarantine[COLUMNS].astype({"row": int}).values.tolist()


def _check(kind: str, name: str, text: str, **kwargs):
    kwargs.setdefault("venues", NO_VENUES)
    kwargs.setdefault("loaded", [])
    return validate_upload(kind, name, text.encode(), today=TODAY, **kwargs)


def _venues() -> pd.DataFrame:
    """Two loaded venues: B in Kemayoran (31.71), C in Tebet Timur (31.74)."""
    lat, lon = [-6.16627, -6.23098], [106.84505, 106.85554]
    poly = regions.locate_points(pd.Series(lat).to_numpy(), pd.Series(lon).to_numpy())
    return pd.DataFrame({"venue_id": ["B", "C"], "poly": poly})


def test_cases_outside_the_region_are_quarantined_naming_it():
    cases = (
        "case_id,reported_date,lat,lon,region_code\n"
        "p1,2021-07-21,-6.17505,106.82661,\n"  # Gambir, 31.71.01: inside
        "p2,2021-07-21,-6.23098,106.85554,\n"  # Tebet Timur, 31.74: outside
        "p3,2021-07-21,,,31.71.01\n"  # a district of 31.71: inside
        "p4,2021-07-21,,,32.73\n"  # Kota Bandung: outside
        "p5,2021-07-21,,,31\n"  # the whole province holds more than 31.71: outside
    )
    checked = _check("cases", "scoped.csv", cases, scope="31.71")
    assert checked.counts == {"read": 5, "accepted": 2, "quarantined": 3}
    assert checked.accepted["case_id"].tolist() == ["p1", "p3"]
    reason = f"the case is outside your region {PUSAT}"
    assert _rows(checked) == [
        ["scoped.csv", 3, "lat", "outside_region", "-6.23098,106.85554", reason],
        ["scoped.csv", 5, "region_code", "outside_region", "32.73", reason],
        ["scoped.csv", 6, "region_code", "outside_region", "31", reason],
    ]
    assert _check("cases", "scoped.csv", cases).counts["accepted"] == 5  # Indonesia: all in
    assert _check("cases", "scoped.csv", cases, scope="31").counts["accepted"] == 4


def test_venues_and_checkins_outside_the_region_are_quarantined():
    venues = "venue_id,name,category,lat,lon\nV1,In,pharmacy,-6.16627,106.84505\n"
    venues += "V2,Out,pharmacy,-6.23098,106.85554\n"
    checked = _check("venues", "v.csv", venues, scope="31.71")
    assert _rows(checked) == [
        [
            "v.csv",
            3,
            "lat",
            "outside_region",
            "-6.23098,106.85554",
            f"the venue is outside your region {PUSAT}",
        ]
    ]
    checkins = "checkin_id,venue_id,checked_in_at\nq1,B,2021-07-21T10:00:00\n"
    checkins += "q2,C,2021-07-21T10:00:00\n"
    checked = _check("checkins", "c.csv", checkins, venues=_venues(), scope="31.71")
    assert checked.accepted["checkin_id"].tolist() == ["q1"]
    assert _rows(checked) == [
        [
            "c.csv",
            3,
            "venue_id",
            "outside_region",
            "C",
            f"the check-in's venue is outside your region {PUSAT}",
        ]
    ]


def test_an_unknown_region_is_refused():
    with pytest.raises(RegionError, match=r"^Unknown region '31\.99' for the scope of a load\.$"):
        _check(
            "cases", "c.csv", "case_id,reported_date,region_code\nx,2021-07-01,31\n", scope="31.99"
        )


def test_ids_of_earlier_loads_are_duplicates_naming_the_first_file():
    cases = "case_id,reported_date,region_code\na,2021-07-01,31\nb,2021-07-01,31\nc,2021-07-01,31\n"
    loaded = [("one.csv", pa.array(["b"])), ("two.csv", pa.array(["b", "c"]))]
    checked = _check("cases", "three.csv", cases, loaded=loaded)
    assert checked.accepted["case_id"].tolist() == ["a"]
    assert _rows(checked) == [
        [
            "three.csv",
            3,
            "case_id",
            "duplicate",
            "b",
            "duplicate case_id (already loaded from one.csv)",
        ],
        [
            "three.csv",
            4,
            "case_id",
            "duplicate",
            "c",
            "duplicate case_id (already loaded from two.csv)",
        ],
    ]


def test_a_file_checked_against_the_store_keeps_how_it_was_read_and_its_edition():
    # The store's checks are rules of the file's own run: quarantining a row there keeps the
    # rest of the outcome (a second pass used to rebuild it without these).
    cases = "case_id,reported_date,region_code\na,2021-07-01,31\nb,2021-07-01,31\n"
    checked = _check("cases", "again.csv", cases, loaded=[("one.csv", pa.array(["b"]))])
    assert checked.counts == {"read": 2, "accepted": 1, "quarantined": 1}
    assert checked.codes is not None
    assert checked.codes["edition"] == "2025"
    assert checked.reading["format"] == "csv"


def test_counts_without_ids_are_not_duplicates_of_earlier_loads():
    # An earlier file of counts stored no ids (nulls): rows without an id never match them.
    counts = "date,province_code,new_cases\n2021-07-01,31,4\n2021-07-01,32,0\n"
    loaded = [("june.csv", pa.array([None, None], pa.string())), ("ids.csv", pa.array(["x"]))]
    checked = _check("cases", "july.csv", counts, loaded=loaded)
    assert checked.counts == {"read": 2, "accepted": 2, "quarantined": 0}
    assert checked.accepted["count"].tolist() == [4, 0]


def test_the_size_limit_and_the_name_of_an_upload():
    check_size("ok.csv", 1024 * 1024, 1)
    with pytest.raises(InputFileError) as error:
        check_size("big.csv", 3 * 1024 * 1024 + 1, 2)
    assert str(error.value) == (
        "big.csv is 3.0 MB, more than the 2 MB that can be loaded at once "
        "(server.maxUploadSize); split it by date."
    )
    assert upload_name("C:\\Users\\me\\day.csv") == "day.csv"
    assert upload_name("../../etc/passwd") == "passwd"
    assert upload_name("") == "upload"


def test_an_unknown_kind_is_refused():
    with pytest.raises(InputFileError, match=r"^Unknown kind of input 'people'; use one of venues"):
        _check("people", "p.csv", "id\n1\n")
