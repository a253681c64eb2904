"""What changed: a hand-made build whose zones change colour in known ways.

Five resolution-9 cells of the kelurahan Gambir (31.71.01.1001, 3,088 people spread evenly over
its cells, so every cell here has the same population, well under 4,000: one case in 7 days is
at least 25 per 100k, orange; red needs at least 5 cases) and one point in Kepulauan Seribu
(31.01: 28,436 people, the sum of its kelurahan in 2019):

========  ===========  ===========  ========================  ========================
zone      2021-07-01   2021-07-08   colour on 07-01           colour on 07-08
========  ===========  ===========  ========================  ========================
A         6 cases      —            red                       green (cases only in 14d)
B         —            2 cases      green (no row)            orange (red needs 5)
C         —            6 cases      green (no row)            red
D         1 case       1 case       orange                    orange (unchanged)
E         6 cases      1 case       red                       orange
Seribu    —            7 cases      green                     orange (7 / 28,436 = 24.6)
========  ===========  ===========  ========================  ========================

The build starts on 2021-07-01, so on that day the week before is before the build: nothing had
been recorded and every zone was green.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pipeline_fixtures import TODAY, write

from geo.build import build
from geo.buildread import open_build
from geo.changes import COLUMNS, change_kind, what_changed

pytest_plugins = ["pipeline_fixtures"]

A = ("898c1079943ffff", -6.18069, 106.82622)
B = ("898c1079babffff", -6.17028, 106.82372)
C = ("898c107995bffff", -6.17983, 106.82935)
D = ("898c1079b17ffff", -6.16942, 106.82685)
E = ("898c1079b8fffff", -6.17159, 106.82905)
SERIBU = ("seribu", -5.6539, 106.57221)
FIRST, SECOND = dt.date(2021, 7, 1), dt.date(2021, 7, 8)
PLAN = {FIRST: [(A, 6), (D, 1), (E, 6)], SECOND: [(B, 2), (C, 6), (D, 1), (E, 1), (SERIBU, 7)]}
GAMBIR = "31.71.01"  # the kecamatan: drawn at resolution 9


def _cases_csv() -> str:
    rows = ["case_id,reported_date,lat,lon,region_code"]
    for day, zones in PLAN.items():
        for (name, lat, lon), n in zones:
            rows += [f"{name}-{day}-{i},{day},{lat},{lon}," for i in range(n)]
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def changing(all_grids, tmp_path_factory):
    folder = tmp_path_factory.mktemp("changes")
    cases = write(folder / "cases.csv", _cases_csv())
    build(cases, None, None, folder / "build", today=TODAY)
    return open_build(folder / "build")


def _transitions(frame):
    return [(z, b, a, c) for z, b, a, c in frame[["zone", "before", "after", "change"]].to_numpy()]


def test_zones_that_changed_in_the_week_worst_first(changing):
    frame = what_changed(changing, GAMBIR, SECOND, audience="official", lang="en")
    assert list(frame.columns) == COLUMNS
    assert _transitions(frame) == [
        (C[0], "green", "red", "worse"),
        (B[0], "green", "orange", "worse"),
        (A[0], "red", "green", "better"),
        (E[0], "red", "orange", "better"),
    ]  # D stayed orange: not listed
    assert frame["cases_7d"].tolist() == [6, 2, 0, 1]
    assert frame["reason"].iloc[1] == (
        f"orange: {frame['cases_per_100k_7d'].iloc[1]:,.0f} cases per 100k in 7 days (≥ 150) "
        "but only 2 cases in 7 days (red needs at least 5)"
    )


def test_each_zone_opens_its_finest_region_at_its_centre(changing):
    frame = what_changed(changing, GAMBIR, SECOND, audience="official", lang="id")
    assert set(frame["region_code"]) == {"31.71.01.1001"}
    assert set(frame["region_name"]) == {"Gambir"}
    first = frame.iloc[0]
    assert (round(first["lat"], 5), round(first["lon"], 5)) == (C[1], C[2])  # the cell's centre
    assert frame["reason"].iloc[0].startswith("merah: ")


def test_the_first_day_compares_with_nothing_recorded(changing):
    frame = what_changed(changing, GAMBIR, FIRST, audience="official", lang="en")
    # A and E have the same population and cases: the cell id breaks the tie.
    assert _transitions(frame) == [
        (A[0], "green", "red", "worse"),
        (E[0], "green", "red", "worse"),
        (D[0], "green", "orange", "worse"),
    ]


def test_the_country_compares_regencies(changing):
    frame = what_changed(changing, None, SECOND, audience="official", lang="en")
    # Jakarta Pusat had 13 then 10 cases in 7 days for 1,057,270 people: green both days.
    assert _transitions(frame) == [("31.01", "green", "orange", "worse")]
    row = frame.iloc[0]
    assert row["label"] == row["region_name"] == "Kabupaten Administrasi Kepulauan Seribu"
    assert row["region_code"] == "31.01"
    assert row["reason"] == "orange: 24.6 cases per 100k in 7 days (≥ 20) with 7 cases"
    assert -6.0 < row["lat"] < -5.0  # a point inside the regency, for the map's marker
    assert 106.0 < row["lon"] < 107.0


def test_public_figures_are_published(changing):
    frame = what_changed(changing, GAMBIR, SECOND, audience="public", lang="en")
    assert _transitions(frame)[0] == (C[0], "green", "red", "worse")
    # Published: 6, 2, 0 (A: cases only in the 14 days) and 1 case all read "< 10", zero too.
    assert frame["cases_7d"].tolist() == ["< 10"] * 4
    assert set(frame["cases_per_100k_7d"]) == {"—"}
    assert frame["reason"].iloc[0] == "red: < 10 cases in 7 days"  # no rule, no "needs 5"


def test_nothing_changed_gives_an_empty_table(changing):
    frame = what_changed(changing, "32.73", SECOND, audience="official", lang="en")
    assert frame.empty
    assert list(frame.columns) == COLUMNS


def test_a_day_outside_the_build_is_refused(changing):
    with pytest.raises(ValueError, match=r"2021-06-01 is not a day of this build \(2021-07-01"):
        what_changed(changing, GAMBIR, dt.date(2021, 6, 1), audience="official", lang="en")


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("green", "orange", "worse"),
        ("green", "red", "worse"),
        ("orange", "red", "worse"),
        ("no_data", "orange", "worse"),
        ("no_data", "red", "worse"),
        ("red", "orange", "better"),
        ("red", "green", "better"),
        ("orange", "green", "better"),
        ("red", "no_data", "other"),
        ("green", "no_data", "other"),
        ("no_data", "green", "other"),
    ],
)
def test_change_kinds(before, after, kind):
    assert change_kind([before], [after]).tolist() == [kind]
