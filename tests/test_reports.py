"""Zone reports: what a planner's report holds, for each audience, on the hand-made build.

The build (tests/pipeline_fixtures.py) has, in Kota Jakarta Pusat (31.71): c01-c03 at one
Gambir point on 2021-07-01 and c04 in Cideng on 2021-07-03, plus c05 coded to Cideng
(31.71.01.1002) on 2021-07-05 and c09 coded to DKI (31) on 2021-07-07, spread by population.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geo.buildread import open_build
from geo.reports import ReportError, zone_report

pytest_plugins = ["pipeline_fixtures"]

FIRST, LAST = dt.date(2021, 7, 1), dt.date(2021, 7, 7)


@pytest.fixture(scope="module")
def build(built):
    return open_build(built[0])


def test_official_report_has_exact_counts(build):
    report = zone_report(build, "31.71.01.1001", FIRST, LAST, resolution=9, audience="official")
    on_first = report.zones[report.zones["date"] == "2021-07-01"]
    # c01-c03 share one res-9 cell on 2021-07-01: 3 new cases there.
    assert on_first["new_cases"].max() == 3
    assert report.region_name == "Gambir"
    assert report.resolution == 9
    assert set(report.latest["risk"]) <= {"red", "orange", "green", "no_data"}


def test_public_report_suppresses_small_counts(build):
    report = zone_report(build, "31.71.01.1001", FIRST, LAST, resolution=9, audience="public")
    on_first = report.zones[report.zones["date"] == "2021-07-01"]
    assert "< 10" in set(on_first["new_cases"])
    assert "checkins_7d" not in report.zones.columns  # venue figures are officials only
    assert "exposed_checkins_7d" not in report.zones.columns


def test_daily_series_covers_the_period(build):
    report = zone_report(build, "31.71", FIRST, LAST, audience="official")
    assert len(report.daily) == 7
    # Jakarta Pusat: c01-c03 (07-01), c04 (07-03), c05 (07-05); and its population's share of
    # c09, coded to the province (1,147,917 of DKI's 11,011,862 people), as its cells hold it.
    assert report.daily["new_cases"].sum() == pytest.approx(5 + 1147917 / 11011862, rel=1e-6)


def test_child_regions_on_the_last_day(build):
    report = zone_report(build, "31.71", FIRST, LAST, audience="official")
    assert "31.71.01" in set(report.children["region_code"])
    assert report.children["reason"].str.len().min() > 0


def test_what_changed_lists_zones_that_changed_colour(build):
    # On 2021-07-01 Gambir's cell turned colour; 7 days earlier nothing happened there.
    report = zone_report(
        build, "31.71.01.1001", FIRST, dt.date(2021, 7, 1), resolution=9, audience="official"
    )
    assert len(report.changes) >= 1
    assert set(report.changes["before"]) == {"green"}
    assert set(report.changes["change"]) == {"worse"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region_code": "99.99"}, "Unknown region code '99.99'"),
        ({"date_from": dt.date(2020, 1, 1)}, "The period must lie within the build's days"),
        ({"date_from": LAST, "date_to": FIRST}, "The period must lie within the build's days"),
        ({"resolution": 5}, "Resolution 5 is not in this build"),
    ],
)
def test_bad_requests_are_refused(build, kwargs, message):
    args = {"region_code": "31.71", "date_from": FIRST, "date_to": LAST} | kwargs
    resolution = args.pop("resolution", None)
    with pytest.raises(ReportError, match=message):
        zone_report(
            build, args["region_code"], args["date_from"], args["date_to"], resolution=resolution
        )


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("32.73", FIRST, dt.date(2021, 7, 2)),  # Kota Bandung: no case before 2021-07-06
        ("32.73", dt.date(2021, 7, 7), dt.date(2021, 7, 8)),  # c07 (07-06) leaves Bandung green
    ],
)
def test_what_changed_is_empty_when_no_zone_changed_colour(build, code, first, last):
    report = zone_report(build, code, first, last, audience="public", lang="en")
    assert report.changes.empty
    assert list(report.changes.columns) == ["cell", "before", "after", "change", "reason"]
