"""What a colour means and what to do, per rule (``geo/guidance.py``), and where it comes from."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from geo.guidance import SOURCES, Guidance, family, guidance

PRESETS = Path(__file__).resolve().parents[1] / "geo" / "presets"
STATES = ("red", "orange", "green", "no_data")


@pytest.mark.parametrize("preset", ["ppkm", "ppkm_mikro", "pantauzona", "hghi"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_colour_has_a_meaning_and_what_to_do(preset, lang):
    for state in STATES:
        advice = guidance(preset, state, lang)
        assert isinstance(advice, Guidance)
        assert advice.meaning.endswith(".")
        assert advice.todo.endswith(".")
    assert guidance(preset, "purple", lang) == guidance(preset, "no_data", lang)


def test_presets_fall_into_three_families_each_with_its_sources():
    assert [family(p) for p in ("ppkm", "ppkm_mikro", "pantauzona", "hghi")] == [
        "ppkm",
        "ppkm_mikro",
        "satgas",
        "satgas",
    ]
    assert set(SOURCES) == {"ppkm", "ppkm_mikro", "satgas"}
    assert all(set(words) == {"id", "en"} for words in SOURCES.values())


def test_the_sources_name_the_documents_checked():
    ppkm, mikro = SOURCES["ppkm"], SOURCES["ppkm_mikro"]
    for lang in ("id", "en"):
        assert "No. 22" in ppkm[lang]
        assert "HK.01.07/MENKES/4805/2021" in ppkm[lang]
        assert "No. 3" in mikro[lang]
    assert "PPKM Level 4 COVID-19 di Wilayah Jawa dan Bali (berlaku 21-25 Juli 2021)" in ppkm["id"]
    assert "Indikator Penyesuaian Upaya Kesehatan Masyarakat" in ppkm["id"]
    assert "kuning 1-2 rumah, oranye 3-5, merah lebih dari 5" in mikro["id"]
    assert "This preset counts cases, not houses." in mikro["en"]


def test_the_ppkm_meanings_quote_the_presets_thresholds():
    criteria = tomllib.loads((PRESETS / "ppkm.toml").read_text())["risk"]["criteria"][0]
    assert (criteria["orange"], criteria["red"]) == (20, 150)
    assert "150 kasus atau lebih" in guidance("ppkm", "red", "id").meaning
    assert "20 sampai di bawah 150" in guidance("ppkm", "orange", "id").meaning
    assert "under 20 cases" in guidance("ppkm", "green", "en").meaning
    mikro = tomllib.loads((PRESETS / "ppkm_mikro.toml").read_text())["risk"]["criteria"][0]
    assert mikro["red"] == 5
    assert "lebih dari 5 kasus" in guidance("ppkm_mikro", "red", "id").meaning
