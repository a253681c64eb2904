"""Region-code editions: detection, refusal, translation and the Papua split.

``tests/fixtures/province_daily_2020_excerpt.csv`` holds real rows of
``data/covid/province_daily.csv`` (DKI 31, Papua 91, Papua Barat 92; 1-3 Dec 2020).
Populations (``regions.csv``): 91 Papua 1,102,360; 93 Papua Selatan 562,220; 94 Papua Tengah
1,369,112; 95 Papua Pegunungan 1,470,518 (together 4,504,210); 92 Papua Barat 576,255;
96 Papua Barat Daya 623,186 (together 1,199,441).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pipeline_fixtures import TODAY, write

import geo.build
from geo import editions
from geo.config import load_config
from geo.errors import InputFileError
from geo.validate import read_cases, validate_cases

EXCERPT = Path(__file__).resolve().parent / "fixtures" / "province_daily_2020_excerpt.csv"


def checked(path, codes=None):
    return validate_cases(read_cases(path), today=TODAY, codes=codes)


def counts(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {
        (r, d.strftime("%m-%d")): int(c)
        for r, d, c in frame[["region_code", "date", "count"]].itertuples(index=False)
    }


def test_the_province_series_is_2020_by_its_dates_and_papua_is_apportioned():
    cases = checked(EXCERPT)
    assert cases.codes == {
        "edition": "2020",
        "how": "detected by dates: rows coded 91, 92 are all dated before 2022-07-25",
    }
    editions.translate(cases)
    got = counts(cases.accepted)
    # 80 on 1 Dec: shares 19.58, 9.99, 24.32, 26.12 → floors 19, 9, 24, 26 (78); the two
    # largest remainders (93: .99, 91: .58) take one more each.
    assert [got[(c, "12-01")] for c in ("91", "93", "94", "95")] == [20, 10, 24, 26]
    # 1,748 on 3 Dec: 427.81, 218.18, 531.31, 570.70 → 427, 218, 531, 570 (1,746) + 91 and 95.
    assert [got[(c, "12-03")] for c in ("91", "93", "94", "95")] == [428, 218, 531, 571]
    # Papua Barat, 6 on 3 Dec: 2.88 and 3.12 → 2 and 3, the remainder to 92.
    assert [got[(c, "12-03")] for c in ("92", "96")] == [3, 3]
    assert got[("31", "12-02")] == 1166  # DKI: the same code in both editions
    assert cases.codes["apportioned"] == {"91": ["91", "93", "94", "95"], "92": ["92", "96"]}
    assert cases.codes["apportioned_rows"] == 6
    assert cases.codes["apportioned_cases"] == 80 + 30 + 1748 + 76 + 19 + 6
    source = pd.read_csv(EXCERPT, dtype={"province_code": str})
    for old, heirs in (("91", ["91", "93", "94", "95"]), ("92", ["92", "96"])):
        mine = cases.accepted[cases.accepted["region_code"].isin(heirs)]
        assert mine["count"].sum() == source.loc[source["province_code"] == old, "new_cases"].sum()


def test_largest_remainder_sums_exactly_and_breaks_ties_to_the_earlier_successor():
    parts = editions._apportion(np.array([1, 2, 3, 0]), np.array([1, 1, 1]))
    assert parts.tolist() == [[1, 0, 0], [1, 1, 0], [1, 1, 1], [0, 0, 0]]


def test_a_code_of_one_edition_decides_it(tmp_path):
    # 91.01 (Merauke) exists only in 2020: the file is 2020 and Merauke is now 93.01.
    old = checked(write(tmp_path / "old.csv", "date,region_code,count\n2021-07-01,91.01,4\n"))
    assert old.codes["how"] == (
        "detected: codes that exist only in the 2020 edition (Permendagri 72/2019) (e.g. 91.01)"
    )
    editions.translate(old)
    assert counts(old.accepted) == {("93.01", "07-01"): 4}
    assert old.codes["renumbered_rows"] == 1
    # 93 (Papua Selatan) exists only in 2025.
    new = checked(write(tmp_path / "new.csv", "date,region_code,count\n2021-07-01,93,4\n"))
    assert new.codes == {
        "edition": "2025",
        "how": "detected: codes that exist only in the 2025 edition (Kemendagri) (e.g. 93)",
    }
    assert counts(editions.translate(new).accepted) == {("93", "07-01"): 4}


def test_a_file_of_points_has_no_edition_to_tell(tmp_path):
    path = write(tmp_path / "p.csv", "date,lat,lon,count\n2021-07-01,-6.1754,106.8272,3\n")
    assert checked(path).codes == {"edition": "2025", "how": "the file has no region codes"}


def test_codes_that_agree_are_read_as_2025(tmp_path):
    same = checked(write(tmp_path / "c.csv", "date,region_code,count\n2021-01-01,31.71,2\n"))
    assert same.counts["accepted"] == 1
    assert same.codes["edition"] == "2025"
    assert same.codes["how"] == "every region code of the file names the same region in both"


@pytest.mark.parametrize(
    ("rows", "declared", "message"),
    [
        (
            "2021-07-01,91.01,4\n2021-07-01,31,1\n",
            "2025",
            "cases.csv is declared in 2025 codes (--codes 2025) but its region codes make sense "
            "only in the 2020 edition (Permendagri 72/2019) (e.g. 91.01); give --codes 2020.",
        ),
        (
            "2021-07-01,93,4\n",
            "2020",
            "cases.csv is declared in 2020 codes (--codes 2020) but its region codes make sense "
            "only in the 2025 edition (Kemendagri) (e.g. 93); give --codes 2025.",
        ),
        (
            "2021-07-01,93,4\n2021-07-01,91.01,4\n",
            None,
            "cases.csv mixes the two editions of region codes: 91.01 exist only in the 2020 "
            "edition (Permendagri 72/2019), 93 only in the 2025 edition (Kemendagri); give "
            "--codes 2020 or --codes 2025 (codes of the other edition are then quarantined).",
        ),
    ],
)
def test_a_file_whose_codes_contradict_its_edition_is_refused(tmp_path, rows, declared, message):
    path = write(tmp_path / "cases.csv", "date,region_code,count\n" + rows)
    with pytest.raises(InputFileError, match=f"^{re.escape(message)}$"):
        checked(path, codes=declared)


def test_a_declared_edition_quarantines_the_other_editions_codes_naming_the_option(tmp_path):
    path = write(
        tmp_path / "cases.csv", "date,region_code,count\n2021-07-01,93,4\n2021-07-01,91.01,4\n"
    )
    cases = checked(path, codes="2025")
    assert cases.accepted["region_code"].tolist() == ["93"]
    assert cases.quarantine[["row", "check", "reason"]].values.tolist() == [
        [
            3,
            "unknown_region",
            "region code 91.01 exists only in the 2020 edition (Permendagri 72/2019); for a "
            "file in 2020 codes give --codes 2020",
        ]
    ]
    cases = checked(path, codes="2020")
    assert cases.quarantine["reason"].tolist() == [
        "region code 93 exists only in the 2025 edition (Kemendagri); for a file in 2025 "
        "codes give --codes 2025"
    ]


def test_a_code_whose_meaning_changed_is_ambiguous_when_the_dates_span_the_split(tmp_path):
    path = write(
        tmp_path / "cases.csv",
        "date,region_code,count\n2022-07-01,91,4\n2022-08-01,91,5\n2022-08-01,31,6\n",
    )
    cases = validate_cases(read_cases(path), today=pd.Timestamp("2023-01-01").date(), codes=None)
    assert cases.accepted["region_code"].tolist() == ["31"]
    reason = (
        "region code 91 names different areas in the 2020 and 2025 editions and the file's "
        "dates span 2022-07-25; give --codes 2020 or --codes 2025"
    )
    assert cases.quarantine[["row", "check", "reason"]].values.tolist() == [
        [2, "ambiguous_code", reason],
        [3, "ambiguous_code", reason],
    ]
    assert cases.codes["how"].startswith("undecided: rows coded 91 are dated before and after")


def test_the_province_series_builds_with_papua_apportioned(tmp_path):
    config = load_config()
    config = config.model_copy(
        update={"cells": config.cells.model_copy(update={"resolutions": [6]})}
    )
    out = tmp_path / "zones"
    manifest = geo.build.build(EXCERPT, None, None, out, config=config, today=TODAY)
    assert manifest["inputs"]["cases"]["codes"]["edition"] == "2020"
    regions = pd.read_parquet(out / "regions_daily.parquet")
    total = regions.groupby("region_code")["new_cases"].sum()
    source = pd.read_csv(EXCERPT, dtype={"province_code": str})
    by_province = source.groupby("province_code")["new_cases"].sum()
    assert total["31"] == by_province["31"]
    assert total[["91", "93", "94", "95"]].sum() == by_province["91"]
    assert total[["92", "96"]].sum() == by_province["92"]
    assert total["93"] == 10 + 4 + 218  # Papua Selatan's shares, 1-3 Dec
    reporting = pd.read_parquet(out / "regions.parquet").set_index("region_code")["reporting"]
    assert reporting[["31", "91", "92", "93", "94", "95", "96"]].all()  # every successor covered
    assert not reporting["11"]  # Aceh is not in the excerpt


def test_the_configuration_can_declare_the_edition(tmp_path):
    config = load_config()
    config = config.model_copy(
        update={
            "cells": config.cells.model_copy(update={"resolutions": [6]}),
            "input": config.input.model_copy(update={"codes": "2025"}),
        }
    )
    out = tmp_path / "zones"
    manifest = geo.build.build(EXCERPT, None, None, out, config=config, today=TODAY)
    assert manifest["inputs"]["cases"]["codes"] == {
        "edition": "2025",
        "how": "declared: 2025 (--codes, or input.codes)",
    }
    total = pd.read_parquet(out / "regions_daily.parquet").groupby("region_code")["new_cases"].sum()
    assert total["91"] == 80 + 30 + 1748  # read as today's Papua, as the configuration says
    assert total["93"] == 0


# --- Running totals (cumulative loads of the inputs store) and an official's scope -------------

PAPUA = np.array([1_102_360, 562_220, 1_369_112, 1_470_518])  # 91, 93, 94, 95


def test_running_totals_are_apportioned_by_dhondt_which_never_lowers_a_share():
    totals = np.array([0, 1, 44, 45, 10_094])
    assert editions._dhondt(totals, PAPUA).tolist() == [
        [0, 0, 0, 0],
        [0, 0, 0, 1],  # the largest successor first
        [11, 5, 13, 15],
        [11, 5, 14, 15],
        [2470, 1260, 3068, 3296],
    ]
    # Largest remainder gives Papua Selatan 6 of 44 and 5 of 45 (the Alabama paradox): as
    # running totals, a correction that the published series never had.
    assert editions._apportion(totals[2:4], PAPUA).tolist() == [[11, 6, 13, 14], [11, 5, 14, 15]]
    every = np.arange(3000)
    shares = editions._dhondt(every, PAPUA)
    assert (shares.sum(axis=1) == every).all()
    assert (np.diff(shares, axis=0) >= 0).all()
    assert (np.abs(shares - every[:, None] * PAPUA / PAPUA.sum()) < 1).all()


def test_running_totals_in_2020_codes_are_kept_in_2025_codes():
    rows = pd.DataFrame(
        {
            "region_code": ["91", "91", "31", None],
            "date": pd.to_datetime(["2020-12-01", "2020-12-02", "2020-12-01", "2020-12-01"]),
            "lat": [np.nan, np.nan, np.nan, -6.2],
            "lon": [np.nan, np.nan, np.nan, 106.8],
            "count": [44, 45, 137_883, 3],
        }
    )
    out, summary = editions.totals_to_2025(rows)
    assert out["region_code"][:9].tolist() == ["91", "93", "94", "95"] * 2 + ["31"]
    assert pd.isna(out["region_code"][9])  # a point keeps no code
    assert out["count"].tolist() == [11, 5, 13, 15, 11, 5, 14, 15, 137_883, 3]
    assert summary["apportioned"] == {"91": ["91", "93", "94", "95"]}
    assert (summary["apportioned_rows"], summary["apportioned_cases"]) == (2, 89)


@pytest.mark.parametrize(
    ("scope", "inside"),
    [
        # 2020 codes: 91 (today 91, 93, 94, 95), 91.01 (today 93.01), 91.03 (the same), 31
        ("91", [False, False, True, False]),
        ("93", [False, True, False, False]),
        ("93.01", [False, True, False, False]),
        ("31", [False, False, False, True]),
    ],
)
def test_a_2020_code_is_inside_a_scope_when_all_its_successors_are(scope, inside):
    code = pd.Series(["91", "91.01", "91.03", "31"])
    assert editions.coded_inside(code, scope, "2020").tolist() == inside


def test_a_2025_code_is_inside_its_own_region_and_the_regions_above_it():
    code = pd.Series(["91", "91.01", "93.01", None])
    assert editions.coded_inside(code, "91", "2025").tolist() == [True, True, False, False]
    assert editions.coded_inside(code, "91", None).tolist() == [True, True, False, False]


def test_an_outside_reason_says_what_a_changed_2020_code_is_today():
    code = pd.Series(["91", "91.01", "91.03", None])
    assert editions.scope_notes(code, "2020").tolist() == [
        ": region code 91 of the 2020 edition is today's 91, 93, 94, 95",
        ": region code 91.01 of the 2020 edition is today's 93.01",
        "",
        "",
    ]
    assert editions.scope_notes(code, "2025").tolist() == ["", "", "", ""]


def test_a_rebuild_lists_the_edition_of_each_cases_load():
    loads = [
        {"kind": "venues", "name": "v.csv", "sha256": "a", "scope": None},
        {"kind": "cases", "name": "p.csv", "sha256": "b", "scope": "91"},
    ]
    loads[1]["codes"] = {"edition": "2020", "how": "declared: 2020 (--codes, or input.codes)"}
    assert editions.of_loads(loads) == {
        "edition": "2025",
        "how": "translated when loaded (loads)",
        "loads": [
            {
                "name": "p.csv",
                "sha256": "b",
                "scope": "91",
                "edition": "2020",
                "how": "declared: 2020 (--codes, or input.codes)",
            }
        ],
    }
    assert editions.of_loads(loads[:1]) is None
