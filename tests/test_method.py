"""The method rows of a zone report (the xlsx method sheet and the PDF's method section)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tiny_build import make_partial_build, make_tiny_build

from geo.buildread import open_build
from geo.method import method_rows
from geo.reports import zone_report


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_partial_build(tmp_path_factory.getbasetemp() / "partial")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_build(tmp_path_factory.getbasetemp() / "tiny")


def _rows(build: Path, last: dt.date, lang: str, days: int = 7) -> dict[str, str]:
    first = last - dt.timedelta(days=days - 1)
    report = zone_report(open_build(build), "32.73", first, last, resolution=8, lang=lang)
    return dict(method_rows(report))


@pytest.mark.parametrize(
    ("lang", "key", "text"),
    [
        (
            "id",
            "hari belum lengkap",
            "11 Juli 2021 (71% penduduk wilayah yang biasa melapor sudah melapor)",
        ),
        (
            "en",
            "incomplete days",
            "11 July 2021 (71% of the population of the regions that usually report had reported)",
        ),
    ],
)
def test_a_period_with_the_partial_day_names_it(partial: Path, lang: str, key: str, text: str):
    rows = _rows(partial, dt.date(2021, 7, 11), lang)
    assert rows[key] == text
    keys = list(rows)
    assert keys.index(key) == keys.index("data sampai" if lang == "id" else "data up to") + 1


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("id", "tidak ada: semua hari dalam periode lengkap"),
        ("en", "none: every day of the period is complete"),
    ],
)
def test_a_complete_period_says_so(partial: Path, tiny: Path, lang: str, text: str):
    key = "hari belum lengkap" if lang == "id" else "incomplete days"
    assert _rows(partial, dt.date(2021, 7, 10), lang)[key] == text
    assert _rows(tiny, dt.date(2021, 7, 10), lang, days=3)[key] == text


@pytest.mark.parametrize(
    ("lang", "key", "text"),
    [
        (
            "id",
            "aturan rasio keramaian terhadap minggu biasa",
            "oranye >= 1,5, merah >= 3, merah perlu 5 kasus dalam 7 hari",
        ),
        (
            "en",
            "rule crowding against the usual week",
            "orange >= 1.5, red >= 3, red needs 5 cases in 7 days",
        ),
    ],
)
def test_a_rule_writes_its_thresholds_in_the_language_whole_ones_without_places(
    tiny: Path, lang: str, key: str, text: str
):
    assert _rows(tiny, dt.date(2021, 7, 10), lang, days=3)[key] == text
