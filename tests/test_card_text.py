"""The zone card in words (``geo/card_text.py``): colour, reason with whole numbers, trend,
guidance; the full card of one zone and the short form of many (the map's tooltips)."""

from __future__ import annotations

import math

import pytest

from geo.card_text import Headline, TipLines, card_of, tip_lines, trend_of


@pytest.mark.parametrize(
    ("cases", "earlier", "trend"),
    [
        (110.0, 100.0, "same"),  # +10% is within STABLE
        (111.0, 100.0, "up"),
        (90.0, 100.0, "same"),
        (89.0, 100.0, "down"),
        (0.0, 0.0, "same"),
        (3.0, 0.0, "up"),
        (math.nan, 100.0, "unknown"),  # a hidden count cannot be compared
        (100.0, math.nan, "unknown"),
    ],
)
def test_trend_against_last_week(cases, earlier, trend):
    assert trend_of(cases, earlier) == trend


def test_the_card_words_figures_in_indonesian_and_english():
    head = Headline("red", 1234.0, 153.6, 1000.0, "up")
    card = card_of(head, "31.71.01", "Gambir", preset="ppkm", k=10, lang="id")
    assert (card.name, card.colour, card.cases, card.rate) == ("Gambir", "merah", "1.234", "154")
    assert card.reason == "Zona merah karena 1.234 kasus dalam 7 hari, 154 per 100 ribu penduduk."
    assert card.trend_text == "↑ naik 23% (minggu lalu 1.000)"
    assert card.meaning.startswith("Penularan tinggi: setara PPKM Level 4")
    assert card.todo.startswith("Di rumah saja bila bisa")
    card = card_of(head, "31.71.01", "Gambir", preset="ppkm", k=10, lang="en")
    assert card.reason == "Red zone because of 1,234 cases in 7 days, 154 per 100,000 residents."
    assert (card.colour, card.trend_text) == ("red", "↑ up 23% (last week 1,000)")
    assert card.todo.startswith("Stay at home if you can")


def test_a_hidden_count_reads_fewer_than_k_and_no_data_reads_its_meaning():
    hidden = Headline("orange", math.nan, math.nan, math.nan, "unknown")
    card = card_of(hidden, "x", "x", preset="pantauzona", k=10, lang="id")
    assert card.reason == "Zona oranye karena kurang dari 10 kasus dalam 7 hari."
    assert (card.cases, card.rate) == ("< 10", "—")
    assert card.trend_text == "tidak dapat dibandingkan (angka kecil disamarkan)"
    empty = Headline("no_data", 0.0, math.nan, 0.0, "same")
    card = card_of(empty, "x", "x", preset="pantauzona", k=10, lang="en")
    assert (card.colour, card.reason) == ("no data", "There are no data to assess this area.")
    assert card.trend_text == "→ stable (last week 0)"


def test_the_tooltips_short_form_is_the_cards_and_a_zone_without_data_has_no_trend():
    nan = math.nan
    tips = tip_lines(
        ["red", "orange", "no_data"],
        [1234.0, nan, 0.0],
        [153.6, nan, nan],
        [1000.0, 12.0, 0.0],
        preset="ppkm",
        k=10,
        lang="id",
    )
    assert tips == [
        TipLines(
            "merah",
            "Zona merah karena 1.234 kasus dalam 7 hari, 154 per 100 ribu penduduk.",
            "↑ naik 23% (minggu lalu 1.000)",
        ),
        TipLines(
            "oranye",
            "Zona oranye karena kurang dari 10 kasus dalam 7 hari.",
            "tidak dapat dibandingkan (angka kecil disamarkan)",
        ),
        TipLines("tidak ada data", "Tidak ada data untuk menilai wilayah ini.", ""),
    ]
    (english,) = tip_lines(["green"], [9.0], [3.2], [30.0], preset="ppkm", k=5, lang="en")
    assert english == TipLines(
        "green",
        "Green zone because of 9 cases in 7 days, 3 per 100,000 residents.",
        "↓ down 70% (last week 30)",
    )


def test_the_short_form_needs_one_figure_of_each_kind_per_zone():
    with pytest.raises(ValueError, match="argument 2 is shorter than argument 1"):
        tip_lines(["red", "red"], [1.0], [1.0], [1.0], preset="ppkm", k=10, lang="id")


def test_a_week_before_the_build_reads_no_figures_yet_not_masked():
    (tip,) = tip_lines(["red"], [12.0], [9715.0], [math.nan], preset="ppkm", k=10, lang="id")
    assert tip.trend == "tidak dapat dibandingkan (angka kecil disamarkan)"  # a hidden count
    (tip,) = tip_lines(
        ["red"], [12.0], [9715.0], [math.nan], preset="ppkm", k=10, lang="en", compared=False
    )
    assert tip.trend == "no figures from a week before yet"
    head = Headline("red", 12.0, 9715.0, math.nan, "none")
    card = card_of(head, "x", "x", preset="ppkm", k=10, lang="id")
    assert card.trend_text == "belum ada angka seminggu sebelumnya"


@pytest.mark.parametrize(
    ("rate", "lang", "reason"),
    [
        (
            0.1,
            "id",
            "Zona hijau karena 20 kasus dalam 7 hari, kurang dari 1 per 100 ribu penduduk.",
        ),
        (
            0.1,
            "en",
            "Green zone because of 20 cases in 7 days, fewer than 1 per 100,000 residents.",
        ),
        (0.0, "en", "Green zone because of 20 cases in 7 days, 0 per 100,000 residents."),
        (
            0.5,
            "id",
            "Zona hijau karena 20 kasus dalam 7 hari, kurang dari 1 per 100 ribu penduduk.",
        ),
        (0.7, "en", "Green zone because of 20 cases in 7 days, 1 per 100,000 residents."),
    ],
)
def test_a_rate_that_rounds_to_zero_but_is_not_zero_reads_fewer_than_1(rate, lang, reason):
    head = Headline("green", 20.0, rate, 20.0, "same")
    assert card_of(head, "", "", preset="pantauzona", k=10, lang=lang).reason == reason
