"""The shipped reference data: regions, boundaries, population, the COVID series, venues."""

from __future__ import annotations

import shutil

import pytest

from geo import reference


def test_region_counts_by_level():
    counts = reference.regions()["level"].value_counts().to_dict()
    # Villages: the 267 of DKI Jakarta (regions.csv) and the 5,957 of Jawa Barat (their polygons).
    assert counts == {"province": 38, "regency": 514, "district": 7285, "village": 6224}


def test_village_provinces_are_those_with_a_polygon_file():
    assert reference.village_provinces() == ("31", "32")
    villages = reference.regions().query("level == 'village'")
    assert villages["province_code"].value_counts().to_dict() == {"32": 5957, "31": 267}


def test_jawa_barat_villages_are_regions_under_their_kecamatan():
    table = reference.regions()
    row = table.loc["32.73.02.1001"]
    assert (row["name"], row["level"], row["parent_code"]) == ("Cipaganti", "village", "32.73.02")
    assert (row["province_code"], row["regency_code"], row["district_code"]) == (
        "32",
        "32.73",
        "32.73.02",
    )
    assert row["village_code"] == "32.73.02.1001"
    assert row["province_code_2020"] == "32"
    assert table.loc["32.73.02", "name"] == "Coblong"
    # Every village's parent is a kecamatan of the same code prefix, and codes stay unique.
    villages = table[table["level"] == "village"]
    assert (table.loc[villages["parent_code"], "level"] == "district").all()
    assert (villages["code"].str.rsplit(".", n=1).str[0] == villages["parent_code"]).all()
    assert table.index.is_unique
    assert table["code"].is_monotonic_increasing


def test_a_province_without_a_village_file_has_no_village_level(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(reference.data_dir(), copy, ignore=shutil.ignore_patterns("covid", "venues"))
    (copy / "boundaries" / "villages_32.parquet").unlink()
    monkeypatch.setenv("PANTAUZONA_DATA", str(copy))
    reference.regions.cache_clear()
    try:
        assert reference.village_provinces() == ("31",)
        counts = reference.regions()["level"].value_counts().to_dict()
        assert counts["village"] == 267
    finally:
        reference.regions.cache_clear()


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
    dki = reference.regions().query("level == 'village' and province_code == '31'")
    assert set(pops.index) == set(dki["code"])


def test_village_population_of_jawa_barat():
    pops = reference.jabar_village_population()
    assert len(pops) == 5946
    assert pops["32.73.02.1001"] == 12010  # Cipaganti, Coblong, Kota Bandung
    # SOURCES.md says 50,458,832: the file sums to 25,566 less (data/README.md, caveats).
    assert pops.sum() == 50_433_266
    villages = set(reference.regions().query("level == 'village' and province_code == '32'").index)
    assert set(pops.index) <= villages
    assert len(villages - set(pops.index)) == 11
    assert {"32.11.02.2001", "32.73.23.1004"} <= villages - set(pops.index)


def test_district_population():
    pops = reference.district_population()
    assert len(pops) == 7240
    assert pops["31.72.02"] == 419_791  # Tanjung Priok
    assert pops["32.73.02"] == 116_875  # Coblong
    assert pops.sum() == 280_558_001
    districts = set(reference.regions().query("level == 'district'").index)
    assert set(pops.index) <= districts
    assert len(districts - set(pops.index)) == 45


@pytest.mark.parametrize(
    ("level", "rows"),
    [("province", 38), ("regency", 514), ("district", 7277), ("village", 6224)],
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


@pytest.mark.parametrize(
    "name",
    [
        "regions/district_population_dukcapil_2023.csv",
        "regions/jabar_village_population_dukcapil_2024s1.csv",
        "boundaries/villages_32.parquet",
    ],
)
def test_data_digest_covers_the_finer_population_and_village_files(tmp_path, monkeypatch, name):
    digest = reference.data_digest()
    copy = tmp_path / "data"
    shutil.copytree(reference.data_dir(), copy, ignore=shutil.ignore_patterns("covid", "venues"))
    monkeypatch.setenv("PANTAUZONA_DATA", str(copy))
    with (copy / name).open("ab") as handle:
        handle.write(b"\n")
    assert reference.data_digest() != digest


def test_data_sources_read_each_file_its_words_and_licence():
    readme = (
        "# Data\n\n### Boundary layers: shared columns\nno file here.\n\n"
        "### `boundaries/provinces.parquet`\n\n* What: **Province** polygons. Simplified.\n"
        "* Licence: MIT\n\n### `places/venues.csv`, `places/extra.csv`\n\n"
        "* What: venues\n* Licence of the source: none stated\n\n"
        "### `notes.txt`\n\n* Who: nobody\n"
    )
    assert reference.data_sources(readme).to_dict("records") == [
        {"file": "boundaries/provinces.parquet", "what": "Province polygons", "licence": "MIT"},
        {"file": "places/venues.csv, places/extra.csv", "what": "venues", "licence": "none stated"},
    ]
    shipped = reference.data_sources()
    assert "boundaries/provinces.parquet" in set(shipped["file"])
    assert set(shipped["licence"]) <= {"MIT", "none stated"}
