"""Indonesian first: every page in Bahasa, public and official, holds no English UI word and
writes numbers the Indonesian way (AppTest; the words are listed in ``english_words.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from english_words import english_words
from streamlit.testing.v1 import AppTest
from tiny_build import make_tiny_build

from dashboard import data, session
from dashboard.i18n import STRINGS

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
WIDGETS = ("selectbox", "radio", "text_input", "button", "checkbox", "toggle", "date_input")
# (query, official): the public pages at the country and at a district, the officials' pages.
VIEWS = [
    ({"page": "map"}, False),
    ({"page": "map", "region": "31.71.01"}, False),
    ({"page": "trends", "region": "31.71"}, False),
    ({"page": "method"}, False),
    ({"page": "reports", "region": "31.71.01"}, False),
    ({"page": "map", "region": "31.71.01"}, True),
    ({"page": "trends", "region": "31.71.01"}, True),
    ({"page": "changes", "region": "31.71"}, True),
    ({"page": "data"}, True),
]


@pytest.fixture(scope="module", autouse=True)
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    build = make_tiny_build(tmp_path_factory.getbasetemp() / "tiny")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(data.BUILD_ENV, str(build))
        yield build


def run_app(official: bool, monkeypatch: pytest.MonkeyPatch, **query: str) -> AppTest:
    if official:
        monkeypatch.setattr(session, "viewer", lambda: session.Viewer("nas", None, official=True))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def _frame_texts(frame: pd.DataFrame) -> list[str]:
    cells = [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return [*map(str, frame.columns), *map(str, frame.index), *cells]


def page_texts(at: AppTest) -> list[str]:
    """Everything the page writes: texts, widget labels and options, metrics, table cells."""
    texts = [str(e.value) for kind in TEXT_KINDS for e in at.get(kind)]
    for kind in WIDGETS:
        for widget in at.get(kind):
            texts.append(str(widget.label))
            texts += [str(o) for o in getattr(widget, "options", [])]
    texts += [text for m in at.get("metric") for text in (m.label, m.value)]
    texts += [t.label for t in at.get("tab")]
    for kind in ("table", "dataframe"):
        for table in at.get(kind):
            texts += _frame_texts(table.value)
    return texts


def bahasa_english(text: str) -> list[str]:
    """English UI words in ``text``, after removing what is data: paths, machine names, URLs,
    code spans and Markdown directives (``:material/hexagon:``)."""
    text = re.sub(r"`[^`]*`|:[\w/-]+:|\S*[/_.@]\w\S*", " ", text.replace("\\", ""))
    return english_words(text)


@pytest.mark.parametrize(("query", "official"), VIEWS)
def test_no_english_ui_word_on_a_bahasa_page(query, official, monkeypatch):
    at = run_app(official, monkeypatch, lang="id", **query)
    assert not at.exception
    texts = page_texts(at)
    assert len(texts) > 10
    found = {text: words for text in texts if (words := bahasa_english(text))}
    assert found == {}


def test_the_word_list_catches_english():
    assert bahasa_english("Download the cases by region") == ["cases", "download", "region", "the"]
    assert bahasa_english("Unduh kasus per wilayah; check-in; regions/regions.csv") == []


def test_bahasa_catalogue_has_no_english_word():
    leftovers = {
        key: words
        for key, text in STRINGS["id"].items()
        if (words := bahasa_english(re.sub(r"\{[^}]*\}", " ", text)))
    }
    assert leftovers == {}


@pytest.mark.parametrize("official", [True, False])
def test_numbers_on_a_bahasa_page_use_indonesian_separators(official, monkeypatch):
    query = {"page": "map", "region": "31.71"}
    bahasa = run_app(official, monkeypatch, lang="id", **query)
    english = run_app(official, monkeypatch, lang="en", **query)
    id_values = [m.value for m in bahasa.get("metric")]
    en_values = [m.value for m in english.get("metric")]
    swap = str.maketrans({",": ".", ".": ","})
    assert id_values == [v.translate(swap) for v in en_values]
    assert any(re.fullmatch(r"\d+,\d", v) for v in id_values), id_values


def test_a_refused_upload_reads_in_bahasa(monkeypatch):
    at = run_app(True, monkeypatch, lang="id", page="data")
    at.file_uploader(key="upload_cases").upload("kurang.csv", b"case_id\nc1\n", "text/csv").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "kurang" in errors[0]
    assert "untuk data kasus" in errors[0]
    assert bahasa_english(errors[0]) == []


def test_a_2020_cases_upload_reads_in_bahasa(monkeypatch):
    # 2020 codes, a Papua row placed nowhere by an official of Papua: select, edition, reasons.
    at = run_app(True, monkeypatch, lang="id", page="data")
    monkeypatch.setattr(session, "viewer", lambda: session.Viewer("papua", "91", official=True))
    text = b"date,region_code,new_cases\n2021-07-11,91.01,5\n2021-07-11,91.03,7\n"
    at.file_uploader(key="upload_cases").upload("kab.csv", text, "text/csv").run()
    assert not at.exception
    texts = page_texts(at)
    assert any(text.startswith("Kode wilayah edisi 2020") for text in texts)
    assert any("kode wilayah 91.01 edisi 2020 kini adalah 93.01" in text for text in texts)
    found = {text: words for text in texts if (words := bahasa_english(text))}
    assert found == {}


def test_bahasa_quotes_are_indonesian():
    """Indonesian quotes like English (“…”), never the German „…“."""
    assert [key for key, text in STRINGS["id"].items() if "„" in text] == []


def test_a_bahasa_tooltip_writes_figures_the_indonesian_way():
    from dashboard import mapview
    from geo.card_text import tip_lines

    def props(lang: str) -> dict:
        (tip,) = tip_lines(["red"], [1234.0], [85.34], [1000.0], preset="ppkm", k=10, lang=lang)
        return {"risk": "red", "label": "Gambir", "reason": tip.reason, "trend": tip.trend}

    hotspot = {**props("id"), "hotspot": "hot", "share_hot": 0.125}
    html = mapview.tooltip_html(hotspot, "id", "hotspot")
    assert "1.234 kasus dalam 7 hari, 85 per 100 ribu penduduk" in html
    assert "minggu lalu 1.000" in html
    assert "12,5%" in html
    assert bahasa_english(re.sub(r"<[^>]+>", " ", html)) == []
    assert "1,234 cases" in mapview.tooltip_html(props("en"), "en")
