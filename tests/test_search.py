"""Find my area: names and codes in both editions, ranked; coordinates parsed and located."""

from __future__ import annotations

import pytest

from geo.search import (
    name_key,
    name_keys,
    normalise,
    parse_coordinates,
    region_at,
    search_regions,
)


def test_normalise_ignores_case_accents_and_spacing() -> None:
    assert normalise("  Tébet   BARAT ") == "tebet barat"


def test_name_key_reads_punctuation_as_spaces_and_drops_apostrophes() -> None:
    assert name_key("Kab. Grong-grong/Ma'u") == "kab grong grong mau"


def test_name_keys_add_the_name_without_its_title_and_short_titles() -> None:
    assert name_keys("Kota Bandung", "regency") == ("kota bandung", "bandung")
    assert name_keys("Kabupaten Bandung", "regency") == (
        "kabupaten bandung",
        "bandung",
        "kab bandung",
    )
    assert name_keys("Daerah Khusus Ibukota Jakarta", "province") == (
        "daerah khusus ibukota jakarta",
        "jakarta",
        "dki jakarta",
    )
    # A district keeps its whole name: the kecamatan "Kota Bangun" is not "Bangun".
    assert name_keys("Kota Bangun", "district") == ("kota bangun",)


def names(query: str, limit: int = 10) -> list[tuple[str, str]]:
    return [(m.code, m.name) for m in search_regions(query, limit=limit)]


def test_bandung_lists_the_city_and_the_regency_first() -> None:
    assert names("bandung") == [
        # Exact (title aside), regencies: the kota before the kabupaten named after it.
        ("32.73", "Kota Bandung"),
        ("32.04", "Kabupaten Bandung"),
        # Exact, districts, by name then code.
        ("35.04.17", "Bandung"),
        ("36.04.34", "Bandung"),
        # The name's first word.
        ("32.17", "Kabupaten Bandung Barat"),
        ("32.73.21", "Bandung Kidul"),
        ("32.73.15", "Bandung Kulon"),
        ("32.73.09", "Bandung Wetan"),
        # A later whole word, then the start of a word.
        ("32.73.19", "Sumur Bandung"),
        ("33.22.20", "Bandungan"),
    ]
    # "Kabandungan" (inside a word) is the eleventh.
    assert names("bandung", limit=11)[-1] == ("32.02.19", "Kabandungan")


def test_jakarta_lists_the_province_first_then_its_cities_by_population() -> None:
    assert [code for code, _ in names("jakarta")] == [
        "31",
        "31.75",
        "31.73",
        "31.74",
        "31.72",
        "31.71",
    ]
    matches = search_regions("jakarta")
    assert (matches[0].name, matches[0].level) == ("Daerah Khusus Ibukota Jakarta", "province")
    # The shipped name "Kota Administrasi Jakarta Utara " ends in a space: results are trimmed.
    assert matches[4].name == "Kota Administrasi Jakarta Utara"
    assert names("DKI Jakarta") == [("31", "Daerah Khusus Ibukota Jakarta")]


def test_jakarta_pusat_finds_the_city_by_its_name_without_title() -> None:
    matches = search_regions("Jakarta Pusat")
    assert [(m.code, m.level) for m in matches] == [("31.71", "regency")]
    assert matches[0].path == ("Daerah Khusus Ibukota Jakarta", "Kota Administrasi Jakarta Pusat")


def test_cideng_is_a_village_with_its_path() -> None:
    matches = search_regions("cideng")
    assert [(m.code, m.name, m.level) for m in matches] == [("31.71.01.1002", "Cideng", "village")]
    assert matches[0].path == (
        "Daerah Khusus Ibukota Jakarta",
        "Kota Administrasi Jakarta Pusat",
        "Gambir",
        "Cideng",
    )


def test_exact_name_ranks_first_and_coarser_levels_win_ties() -> None:
    matches = search_regions("gambir")
    # Exact "Gambir": the district before the village of the same name; then prefix "Gambiran",
    # then "Bojonggambir" (a kecamatan before Jawa Barat villages, the larger village first).
    assert [m.code for m in matches] == [
        "31.71.01",
        "31.71.01.1001",
        "35.10.07",
        "32.06.11",
        "32.74.02.1001",
        "32.06.11.2003",
    ]
    assert matches[0].level == "district"


def test_accents_case_and_punctuation_do_not_matter() -> None:
    assert search_regions("GÁMBIR")[0].code == "31.71.01"
    assert names("grong grong") == [("11.07.25", "Grong-grong")]
    assert names("Kab. Bandung") == [
        ("32.04", "Kabupaten Bandung"),
        ("32.17", "Kabupaten Bandung Barat"),
    ]


@pytest.mark.parametrize("query", ["31.71.01.1002", "3171011002", " 3171011002 "])
def test_a_village_code_is_found_dotted_or_not(query: str) -> None:
    assert names(query) == [("31.71.01.1002", "Cideng")]


@pytest.mark.parametrize("query", ["32.73", "3273"])
def test_a_regency_code_comes_before_its_districts(query: str) -> None:
    found = names(query, limit=3)
    assert found[0] == ("32.73", "Kota Bandung")
    assert all(code.startswith("32.73.") for code, _ in found[1:])


@pytest.mark.parametrize("query", ["91.04", "9104"])
def test_a_2020_code_finds_the_region_it_became(query: str) -> None:
    # 2025 Nabire (94.01) was 91.04 in the 2020 edition; 91.04 is no 2025 code.
    assert names(query, limit=2) == [("94.01", "Kabupaten Nabire"), ("94.01.14", "Dipa")]


@pytest.mark.parametrize("query", ["14.71.06", "147106"])
def test_a_current_code_comes_before_the_same_code_of_2020(query: str) -> None:
    # 14.71.06 is Rumbai Barat today; in 2020 it was Rumbai's code (now 14.71.12).
    assert names(query) == [("14.71.06", "Rumbai Barat"), ("14.71.12", "Rumbai")]


def test_a_code_matches_from_its_start_only() -> None:
    # "71" is not inside "31.71" nor "3171".
    assert all(m.code.startswith("71") for m in search_regions("71", limit=50))
    assert names("1011002") == []


def test_no_match_gives_an_empty_list() -> None:
    assert search_regions("xyzzy") == []
    assert search_regions("   ") == []


def test_the_limit_never_cuts_a_whole_name_match() -> None:
    assert len(search_regions("a", limit=4)) == 4
    # Six regions are called "Batu Ampar" (five districts, one DKI village): all are listed.
    found = names("batu ampar", limit=3)
    assert len(found) == 6
    assert {name for _, name in found} == {"Batu Ampar"}
    assert found[-1] == ("31.75.04.1004", "Batu Ampar")  # the village after the districts


def test_among_limits_the_search_before_the_limit_applies() -> None:
    # Unrestricted, limit 1 still gives the four whole-name matches and nothing else.
    assert [code for code, _ in names("bandung", limit=1)] == [
        "32.73",
        "32.04",
        "35.04.17",
        "36.04.34",
    ]
    matches = search_regions("bandung", limit=1, among={"32.73.21", "32.04", "99"})
    assert [m.code for m in matches] == ["32.04"]
    # Among two partial matches the limit counts from the first of them.
    matches = search_regions("bandung", limit=1, among=["33.22.20", "32.73.21"])
    assert [m.code for m in matches] == ["32.73.21"]


@pytest.mark.parametrize(
    "text", ["-6.2, 106.8", "-6.2 106.8", "-6.2°, 106.8°", " -6.2° 106.8° ", "-6.2;106.8"]
)
def test_parse_coordinates_accepts_common_forms(text: str) -> None:
    assert parse_coordinates(text) == (-6.2, 106.8)


@pytest.mark.parametrize(
    "text",
    [
        "106.8, -6.2",  # swapped: latitude 106.8 is outside Indonesia
        "48.85, 2.35",  # Paris
        "-6.2",
        "Gambir",
        "-6.2, 106.8, 3",
    ],
)
def test_parse_coordinates_refuses_what_is_not_a_point_in_indonesia(text: str) -> None:
    assert parse_coordinates(text) is None


def test_region_at_gives_the_finest_region() -> None:
    assert region_at(-6.1754, 106.8272) == "31.71.01.1001"  # Monas: a DKI village
    assert region_at(-6.9147, 107.6098) == "32.73.19.1004"  # Bandung: a Jawa Barat village
    assert region_at(-3.3194, 114.5908) == "63.71.05"  # Banjarmasin: no villages, a district
    assert region_at(-4.0, 100.0) is None  # Indian Ocean
    assert region_at(*parse_coordinates("-6.1700, 106.8080")) == "31.71.01.1002"  # Cideng


def test_region_at_among_a_builds_regions_gives_the_finest_of_them() -> None:
    monas = (-6.1754, 106.8272)
    assert region_at(*monas, among={"31", "31.71", "31.71.01"}) == "31.71.01"
    assert region_at(*monas, among={"31"}) == "31"
    assert region_at(*monas, among={"32", "32.73"}) is None  # the build does not hold Jakarta
    assert region_at(-4.0, 100.0, among={"31"}) is None


def test_jawa_barat_villages_are_found_by_name_and_code() -> None:
    # Two desa/kelurahan called Cipaganti: the more populous one (Kota Bandung, 12,010) first.
    matches = search_regions("cipaganti")
    assert [(m.code, m.level) for m in matches] == [
        ("32.73.02.1001", "village"),
        ("32.05.20.2011", "village"),
    ]
    assert matches[0].path == ("Jawa Barat", "Kota Bandung", "Coblong", "Cipaganti")
    for code in ("32.73.02.1001", "3273021001"):
        assert [m.code for m in search_regions(code)] == ["32.73.02.1001"]
