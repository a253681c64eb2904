"""The shipped reference data: regions, boundaries, population, the COVID series, venues."""

from __future__ import annotations

import shutil

import pytest

from geo import reference


def test_region_counts_by_level():
    counts = reference.regions()["level"].value_counts().to_dict()
    assert counts == {"province": 38, "regency": 514, "district": 7285, "village": 267}


def test_codes_are_strings_never_floats():
    table = reference.regions()
    # Read as numbers, "11.10" would become 11.1 and no longer join.
    assert table.loc["11.10", "name"] == "Kabupaten Aceh Singkil"
    assert table.loc["11.10", "parent_code"] == "11"
    assert all(isinstance(code, str) for code in table["code"])


def test_derived_level_codes():
    row = reference.regions().loc["31.71.01.1001"]
    assert (row["province_code"], row["regency_code"], row["district_code"]) == (
        "31",
        "31.71",
        "31.71.01",
    )
    assert row["village_code"] == "31.71.01.1001"
    regency = reference.regions().loc["31.71"]
    assert regency["province_code"] == "31"
    assert regency["regency_code"] == "31.71"
    assert regency[["district_code", "village_code"]].isna().all()


def test_population_of_provinces_and_regencies():
    table = reference.regions()
    # Dukcapil 2025: the national total, equal over provinces and over regencies.
    assert table.loc[table["level"] == "province", "population"].sum() == 284_973_643
    assert table.loc[table["level"] == "regency", "population"].sum() == 284_973_643
    assert table.loc[table["level"] == "regency", "population"].notna().all()
    assert table.loc[table["level"] == "district", "population"].isna().all()


def test_village_population_of_jakarta():
    pops = reference.village_population()
    assert len(pops) == 267
    assert pops["31.71.01.1001"] == 3088  # Gambir
    assert pops["31.71.01.1002"] == 19216  # Cideng
    assert pops.sum() == 11_011_862
    assert set(pops.index) == set(reference.regions().query("level == 'village'")["code"])


@pytest.mark.parametrize(
    ("level", "rows"),
    [("province", 38), ("regency", 514), ("district", 7277), ("village", 267)],
)
def test_boundaries(level, rows):
    frame = reference.boundaries(level)
    assert len(frame) == rows
    assert list(frame.columns) == ["code", "name", "level", "parent_code", "geometry"]
    assert frame["code"].is_monotonic_increasing
    assert (frame["level"] == level).all()


def test_districts_without_a_boundary():
    shipped = set(reference.boundaries("district")["code"])
    listed = set(reference.regions().query("level == 'district'")["code"])
    assert sorted(listed - shipped) == [
        "72.01.24",
        "72.06.20",
        "81.05.16",
        "92.02.31",
        "92.02.32",
        "92.02.33",
        "92.02.34",
        "92.02.35",
    ]


def test_province_daily_series():
    series = reference.province_daily()
    assert series["province_code"].nunique() == 34  # the 2020 edition
    assert series["province_code"].map(type).eq(str).all()
    assert series["date"].max().date().isoformat() == "2021-08-01"
    assert {"date", "province_code", "new_cases"} <= set(series.columns)


def test_venues():
    venues = reference.venues()
    assert len(venues) == 3957
    assert venues["venue_id"].is_unique
    assert {"venue_id", "name", "category", "lat", "lon"} <= set(venues.columns)


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    default = reference.data_dir()
    assert (default / reference.REGIONS_FILE).is_file()
    monkeypatch.setenv("PANTAUZONA_DATA", str(tmp_path))
    assert reference.data_dir() == tmp_path


def test_data_digest_covers_the_grid_inputs(tmp_path, monkeypatch):
    digest = reference.data_digest()
    assert len(digest) == 64
    copy = tmp_path / "data"
    shutil.copytree(reference.data_dir(), copy, ignore=shutil.ignore_patterns("covid", "venues"))
    monkeypatch.setenv("PANTAUZONA_DATA", str(copy))
    assert reference.data_digest() == digest
    population = copy / reference.VILLAGE_POPULATION_FILE
    population.write_text(population.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert reference.data_digest() != digest
