"""The PDF zone report: the headline card on page 1 in the report's language, localised numbers
and dates, no English in the Bahasa PDF, no half-empty page, the map's colours."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo import pdf_report
from geo.buildread import open_build
from geo.columns import Out
from geo.formats import d3_locales, number, percent
from geo.formats import date as long_date
from geo.guidance import SOURCES, guidance
from geo.headline import Headline, headline
from geo.palette import RISK_COLOURS
from geo.pdf_report import headline_lines, render
from geo.reports import zone_report

pytest_plugins = ["pipeline_fixtures"]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FIRST, LAST = dt.date(2021, 7, 1), dt.date(2021, 7, 7)
#: English UI words that must not appear in the Bahasa PDF (whole words, any case).
ENGLISH = [
    "period",
    "to",
    "up",
    "data up to",
    "red",
    "orange",
    "green",
    "no data",
    "no_data",
    "cases",
    "zone",
    "zones",
    "trends",
    "what changed",
    "what it means",
    "what to do",
    "method",
    "sources",
    "public",
    "officials",
    "resolution",
    "rule",
    "region",
    "audience",
    "preset",
    "because",
    "week",
    "worse",
    "better",
    "hotspots",
    "outlook",
    "residents",
    "share",
    "daily",
    "new",
    "and",
    "the",
    "of",
    "July",
    "per 100,000",
]

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="poppler-utils is not installed (make test installs it)",
)


@pytest.fixture(scope="module")
def build(built):
    return open_build(built[0])


def _report(build, lang, audience="public"):
    return zone_report(build, "31.71", FIRST, LAST, resolution=9, lang=lang, audience=audience)


@pytest.fixture(scope="module", params=["en", "id"])
def pdf_file(build, tmp_path_factory, request):
    report = _report(build, request.param)
    path = tmp_path_factory.mktemp("pdf") / f"report-{request.param}.pdf"
    path.write_bytes(render(report))
    return path, report


def _text(path: Path, *pages: int, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else [])]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(path: Path, tmp_path: Path, dpi: int = 30) -> list[np.ndarray]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(tmp_path / "p")], check=True)
    return [np.asarray(Image.open(p).convert("RGB")) for p in sorted(tmp_path.glob("p-*.png"))]


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])


# --- formats and words -----------------------------------------------------------------------


def test_numbers_and_dates_follow_the_language():
    assert number(1234.5, "id", decimals=1) == "1.234,5"
    assert number(1234.5, "en", decimals=1) == "1,234.5"
    assert number(552.44, "id") == "552"
    assert number(math.nan, "id") == "—"
    assert percent(0.183, "id") == "18%"
    assert long_date(dt.date(2021, 7, 11), "id") == "11 Juli 2021"
    assert long_date(dt.date(2021, 7, 11), "en") == "11 July 2021"


def test_chart_locales_come_from_babel():
    numbers, times = d3_locales("id")
    assert (numbers["decimal"], numbers["thousands"]) == (",", ".")
    assert times["days"][0] == "Minggu"  # d3 weeks start on Sunday
    assert times["months"][6] == "Juli"
    assert times["shortMonths"][7] == "Agu"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            {
                "colour": "Zona merah pada 7 Juli 2021",
                "reason": "karena 6.342 kasus dalam 7 hari, 552 per 100 ribu penduduk.",
                "cases": "6.342",
                "rate": "552",
                "trend": "↑ naik 18% (minggu lalu 5.358)",
            },
        ),
        (
            "en",
            {
                "colour": "red zone on 7 July 2021",
                "reason": "because of 6,342 cases in 7 days, 552 per 100,000 residents.",
                "cases": "6,342",
                "rate": "552",
                "trend": "↑ up 18% (last week 5,358)",
            },
        ),
    ],
)
def test_headline_lines_in_plain_words_and_whole_numbers(build, lang, expected):
    report = _report(build, lang)
    lines = headline_lines(report, Headline("red", 6342.0, 552.4, 5358.0, "up"))
    assert {key: lines[key] for key in expected} == expected
    advice = guidance(build.config.name, "red", lang)
    assert (lines["meaning"], lines["todo"]) == advice


def test_headline_of_a_hidden_count_says_fewer_than_k(build):
    lines = headline_lines(_report(build, "id"), Headline("orange", math.nan, 0.9, 12.0, "unknown"))
    assert lines["reason"] == "karena kurang dari 10 kasus dalam 7 hari, 1 per 100 ribu penduduk."
    assert lines["cases"] == "< 10"
    assert lines["trend"] == "tidak dapat dibandingkan (angka kecil disamarkan)"


def test_guidance_per_rule_and_colour():
    assert "PPKM Level 4" in guidance("ppkm", "red", "id").meaning
    assert "PPKM Level 1" in guidance("ppkm", "green", "en").meaning
    assert "PPKM Mikro" in guidance("ppkm_mikro", "orange", "id").meaning
    assert "zona merah Satgas" in guidance("pantauzona", "red", "id").meaning
    assert guidance("hghi", "no_data", "en").meaning == "There are no data to assess this area."
    assert "Inmendagri" in SOURCES["ppkm"]["id"]


def test_the_pdf_and_the_map_read_one_colour_table():
    from dashboard import mapview

    assert pdf_report.RISK_COLOURS is mapview.RISK_COLOURS is RISK_COLOURS
    assert list(RISK_COLOURS) == ["red", "orange", "green", "no_data"]


# --- the rendered PDF ------------------------------------------------------------------------


@needs_poppler
def test_page_one_leads_with_the_headline_card(pdf_file):
    path, report = pdf_file
    first = _flat(_text(path, 1))
    head = headline(report.build, "31.71", LAST, audience=report.audience)
    lines = headline_lines(report, head)
    assert lines["colour"].upper() in first
    for key in ("reason", "cases", "rate", "trend", "meaning"):
        assert lines[key] in first, key
    assert _flat(lines["todo"])[:60] in first
    assert "Kota Administrasi Jakarta Pusat (31.71)" in first
    words = {"en": ("1 July 2021", "7 July 2021"), "id": ("1 Juli 2021", "7 Juli 2021")}
    assert all(day in first for day in words[report.lang])
    assert "2021-07-0" not in _text(path)  # no ISO date anywhere


@needs_poppler
@pytest.mark.parametrize(("lang", "figure"), [("id", "6.342"), ("en", "6,342")])
def test_large_figures_carry_the_languages_separator(build, lang, figure, monkeypatch, tmp_path):
    big = Headline("red", 6342.0, 552.4, 5358.0, "up")
    monkeypatch.setattr(pdf_report, "headline", lambda *args, **kwargs: big)
    path = tmp_path / "big.pdf"
    path.write_bytes(render(_report(build, lang)))
    first = _flat(_text(path, 1))
    assert figure in first
    assert {"id": "↑ naik 18%", "en": "↑ up 18%"}[lang] in first


@needs_poppler
def test_each_pdf_speaks_only_its_language(pdf_file):
    path, report = pdf_file
    text = _text(path)
    english = [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.I)]
    bahasa = re.findall(r"\b(?:Periode|sampai|kasus|Juli|Artinya)\b", text)
    if report.lang == "id":
        assert english == []
        assert "Yang perlu dilakukan" in text
    else:
        assert bahasa == []
        assert {"period", "cases", "what to do", "method"} <= {w.lower() for w in english}
        assert "PantauZona zone report" in text


@needs_poppler
def test_no_half_empty_page_but_the_last(pdf_file, tmp_path):
    path, report = pdf_file
    pages = _pages(path, tmp_path)
    assert len(pages) == 3  # the card and map, the trends, then the tables and method
    for page in pages[:-1]:
        inked = np.flatnonzero((page < 240).any(axis=(1, 2)))
        assert (inked[-1] - inked[0]) / page.shape[0] > 0.2
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(ARTIFACTS / f"pdf-report-{report.lang}-page1"),
        ],
        check=True,
    )


@needs_poppler
def test_the_map_draws_in_the_maps_colours(pdf_file, tmp_path):
    path, report = pdf_file
    page = _pages(path, tmp_path, dpi=40)[0].reshape(-1, 3).astype(int)
    drawn = set(report.latest[Out.RISK].astype(str))
    assert drawn
    for state in drawn:
        assert np.abs(page - _rgb(RISK_COLOURS[state])).sum(axis=1).min() < 12, state
    # The old PDF-only green is gone.
    assert "#41ab5d" not in RISK_COLOURS.values()


@needs_poppler
def test_pdf_names_hotspots_and_the_outlook_as_an_outlook_not_a_rule(pdf_file):
    path, report = pdf_file
    text = _flat(_text(path))
    heading = {"en": "Hotspots and next week's outlook", "id": "Hotspot dan perkiraan minggu depan"}
    words = {"en": "outlook, not a rule", "id": "perkiraan, bukan aturan"}
    assert heading[report.lang] in text
    assert words[report.lang] in text
