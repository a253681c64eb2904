"""Another preset's rules over stored metrics: the limits of each preset, and a hand-made build.

The build has cases at two resolution-9 cells of Gambir (31.71.01.1001; its 3,088 people are
spread evenly, so each cell has well under 2,000 and one case is more than 50 per 100k) and
one point in Kepulauan Seribu (31.01, 28,436 people), all on 2021-07-01:

=======  =====  =================  =====  ==========  ========================
zone     cases  pantauzona         ppkm   ppkm_mikro  hghi (per 100k / 7)
=======  =====  =================  =====  ==========  ========================
A        3      orange (red needs  red    orange      red
                5 cases)
C        6      red                red    red         red
31.01    7      orange (24.6)      orange red (> 5)   orange (3.5)
31.71    9      green (0.85)       green  red (> 5)   green (0.12)
=======  =====  =================  =====  ==========  ========================
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from pipeline_fixtures import TODAY, write

from geo.build import build
from geo.buildread import open_build
from geo.config import load_config
from geo.errors import BuildError, ConfigError
from geo.reclassify import COLUMNS, differences, rules_of, under_preset
from geo.risk import needed_columns, rescore
from geo.views import region_summary
from geo.zonemap import zones_geojson

pytest_plugins = ["pipeline_fixtures"]

A = ("898c1079943ffff", -6.18069, 106.82622)
C = ("898c107995bffff", -6.17983, 106.82935)
SERIBU = ("seribu", -5.6539, 106.57221)
DAY = dt.date(2021, 7, 1)
GAMBIR = "31.71.01.1001"


def stored(cases_7d: list[float], **columns: list[float]) -> pd.DataFrame:
    """Stored rows without ratios: 100,000 people, so cases in 7 days = cases per 100k."""
    n = len(cases_7d)
    table = {
        "population": [1e5] * n,
        "cases_7d": cases_7d,
        "cases_14d": cases_7d,
        "checkins_7d": [0.0] * n,
        "checkins_baseline_7d": [np.nan] * n,
        "exposed_checkins_7d": [0.0] * n,
    }
    return pd.DataFrame(table | columns)


@pytest.mark.parametrize(
    ("preset", "cases", "colours"),
    [
        # < 20 green, 20-150 orange, >= 150 red (a value at a limit reaches it).
        ("ppkm", [19.99, 20, 149.99, 150], ["green", "orange", "orange", "red"]),
        # 0 green, 1-5 orange, more than 5 red (not inclusive).
        (
            "ppkm_mikro",
            [0, 0.5, 1, 5, 5.01, 6],
            ["green", "orange", "orange", "orange", "red", "red"],
        ),
        # the 7-day average per 100k: < 1 green (7 cases a week), 1-25 orange, >= 25 red (175).
        ("hghi", [6.99, 7, 174.99, 175], ["green", "orange", "orange", "red"]),
        # red at 150 per 100k needs 5 cases: with 100,000 people 150 cases are enough.
        ("pantauzona", [19.99, 20, 149.99, 150], ["green", "orange", "orange", "red"]),
    ],
)
def test_each_preset_at_its_limits(preset, cases, colours):
    out = rescore(stored(cases), load_config(preset=preset))
    assert out["risk"].tolist() == colours


def test_small_number_protection_of_pantauzona():
    # 150 per 100k with only 4 cases (2,666 people) stays orange; with 5 cases it is red.
    table = stored([4, 5], population=[4 * 1e5 / 150, 5 * 1e5 / 150])
    out = rescore(table, load_config(preset="pantauzona"))
    assert out["risk"].tolist() == ["orange", "red"]
    assert str(out["risk_reason"].iloc[0]).endswith(
        "but only 4 cases in 7 days (red needs at least 5)"
    )


def test_missing_ratios_are_computed_from_stored_counts():
    table = stored([30])
    assert "cases_per_100k_7d" not in table
    out = rescore(table, load_config(preset="ppkm"))
    assert out["cases_per_100k_7d"].tolist() == [30.0]
    assert (
        str(out["risk_reason"].iloc[0])
        == "orange: 30 cases per 100k in 7 days (≥ 20) with 30 cases"
    )
    assert "cases_per_100k_7d" not in table  # the input is left as it was


def test_every_preset_needs_only_stored_columns(hand_made):
    for table in ("cells_daily", "regions_daily"):
        columns = set(pq.read_schema(hand_made.path / f"{table}.parquet").names)
        for preset in ("pantauzona", "ppkm", "ppkm_mikro", "hghi"):
            assert needed_columns(load_config(preset=preset)) <= columns, (table, preset)


def test_a_missing_count_is_named():
    table = stored([30]).drop(columns="cases_7d")
    with pytest.raises(
        BuildError, match="The build has no column cases_7d, which the rules of ppkm need"
    ):
        rescore(table, load_config(preset="ppkm"))


@pytest.fixture(scope="module")
def hand_made(all_grids, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reclassify")
    rows = ["case_id,reported_date,lat,lon,region_code"]
    for (name, lat, lon), n in ((A, 3), (C, 6), (SERIBU, 7)):
        rows += [f"{name}-{i},{DAY},{lat},{lon}," for i in range(n)]
    cases = write(folder / "cases.csv", "\n".join(rows) + "\n")
    build(cases, None, None, folder / "build", today=TODAY)
    return open_build(folder / "build")


def _pairs(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in frame[["zone", "risk", "other_risk"]].to_numpy()]


def test_differences_in_a_kelurahan(hand_made):
    frame = differences(hand_made, "ppkm", DAY, GAMBIR, audience="official", lang="en")
    assert list(frame.columns) == COLUMNS
    assert _pairs(frame) == [(A[0], "orange", "red")]
    assert frame["region_name"].tolist() == ["Gambir"]
    assert frame["other_reason"].iloc[0].startswith("red: ")
    assert frame["other_reason"].iloc[0].endswith("cases per 100k in 7 days (≥ 150) with 3 cases")
    assert differences(hand_made, "ppkm_mikro", DAY, GAMBIR, audience="official", lang="en").empty
    hghi = differences(hand_made, "hghi", DAY, GAMBIR, audience="public", lang="id")
    assert _pairs(hghi) == [(A[0], "orange", "red")]
    # The public reads the colour and the published figures, never the rule's range.
    assert hghi["other_reason"].iloc[0] == "merah: < 10 kasus dalam 7 hari"
    assert hghi["reason"].iloc[0] == "oranye: < 10 kasus dalam 7 hari"


def test_differences_in_the_country(hand_made):
    mikro = differences(hand_made, "ppkm_mikro", DAY, None, audience="official", lang="en")
    assert _pairs(mikro) == [("31.01", "orange", "red"), ("31.71", "green", "red")]
    assert mikro["other_reason"].tolist() == [
        "red: 7 cases in 7 days (> 5)",
        "red: 9 cases in 7 days (> 5)",
    ]
    assert differences(hand_made, "hghi", DAY, None, audience="official", lang="en").empty


def test_the_map_and_summary_under_another_preset(hand_made):
    other = under_preset(hand_made, "ppkm")
    features = zones_geojson(other, DAY, GAMBIR, audience="official", lang="en")["features"]
    assert {f["properties"]["label"]: f["properties"]["risk"] for f in features} == {
        A[0]: "red",
        C[0]: "red",
    }
    mikro = under_preset(hand_made, "ppkm_mikro")
    summary = region_summary(mikro, DAY, "31.71", audience="official", lang="en")
    # The panel words the zone card (officials: exact figures); the rule's range is in the
    # zones' own reasons (`differences` above).
    assert (summary.risk, summary.reason) == (
        "red",
        "Red zone because of 9 cases in 7 days, 1 per 100,000 residents.",
    )
    own = zones_geojson(hand_made, DAY, GAMBIR, audience="official", lang="en")["features"]
    assert {f["properties"]["label"]: f["properties"]["risk"] for f in own} == {
        A[0]: "orange",
        C[0]: "red",
    }


def test_the_view_keeps_the_builds_other_settings(hand_made):
    other = under_preset(hand_made, "hghi")
    assert other is under_preset(hand_made, "hghi")  # cached
    assert under_preset(hand_made, "pantauzona") is hand_made  # its own rules
    assert other.config.name == "hghi"
    assert other.config.risk == load_config(preset="hghi").risk
    assert other.config.privacy == hand_made.config.privacy
    assert other.config.cells == hand_made.config.cells
    assert other.manifest["preset"] == "hghi"
    assert other.manifest["absent_cell"]["populated"]["risk"] == "green"
    assert hand_made.manifest["preset"] == "pantauzona"


def test_an_unknown_preset_is_refused(hand_made):
    with pytest.raises(ConfigError, match="Unknown preset 'who'; choose one of pantauzona, ppkm"):
        rules_of(hand_made, "who")
