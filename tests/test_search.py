"""Find my area: names and codes in both editions, ranked; coordinates parsed and located."""

from __future__ import annotations

import pytest

from geo.search import normalise, parse_coordinates, region_at, search_regions


def test_normalise_ignores_case_accents_and_spacing() -> None:
    assert normalise("  Tébet   BARAT ") == "tebet barat"


def test_exact_name_ranks_first_and_coarser_levels_win_ties() -> None:
    matches = search_regions("gambir")
    # Exact "Gambir": the district before the village of the same name; then prefix "Gambiran".
    assert [m.code for m in matches[:2]] == ["31.71.01", "31.71.01.1001"]
    assert matches[2].name.startswith("Gambir")
    assert matches[0].path == (
        "Daerah Khusus Ibukota Jakarta",
        "Kota Administrasi Jakarta Pusat",
        "Gambir",
    )
    assert matches[0].level == "district"


def test_accents_and_case_do_not_matter() -> None:
    assert search_regions("GÁMBIR")[0].code == "31.71.01"


def test_substring_matches_rank_after_prefix_matches() -> None:
    codes = [m.code for m in search_regions("jakarta pusat")]
    assert codes[0] == "31.71"  # "Kota Administrasi Jakarta Pusat" contains the query


def test_codes_match_in_both_editions() -> None:
    assert search_regions("31.71")[0].code == "31.71"
    # 2025 Nabire (94.01) was 91.04 in the 2020 edition.
    assert search_regions("91.04", limit=3)[0].code == "94.01"
    # A code matches from its start only: "71" is not inside "31.71".
    assert all(m.code.startswith("71") for m in search_regions("71", limit=50))


def test_limit_and_empty_query() -> None:
    assert len(search_regions("a", limit=4)) == 4
    assert search_regions("   ") == []


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
    assert region_at(-6.9147, 107.6098) == "32.73.19"  # Bandung: a district outside DKI
    assert region_at(-4.0, 100.0) is None  # Indian Ocean
