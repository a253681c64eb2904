"""The PDF zone report renders to PNG, names its region, and carries the map."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from geo.pdf_report import COLOURS, render
from geo.reports import zone_report
from geo.zones import open_build

pytest_plugins = ["pipeline_fixtures"]

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="poppler-utils is not installed (make test installs it)",
)


@pytest.fixture(scope="module", params=["en", "id"])
def pdf_file(built, tmp_path_factory, request):
    build = open_build(built[0])
    report = zone_report(
        build, "31.71", dt.date(2021, 7, 1), dt.date(2021, 7, 7), resolution=9, lang=request.param
    )
    path = tmp_path_factory.mktemp("pdf") / f"report-{request.param}.pdf"
    path.write_bytes(render(report))
    return path, request.param


@needs_poppler
def test_pdf_text_names_the_region_and_period(pdf_file):
    path, lang = pdf_file
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Kota Administrasi Jakarta Pusat (31.71)" in text
    assert "2021-07-01" in text
    assert "2021-07-07" in text
    title = {"en": "PantauZona zone report", "id": "Laporan Zona PantauZona"}[lang]
    assert title in text


@needs_poppler
def test_pdf_renders_four_pages_with_the_map(pdf_file, tmp_path):
    path, _ = pdf_file
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 4
    pixels = np.asarray(Image.open(pages[0]).convert("RGB")).reshape(-1, 3).astype(int)
    # The map draws zones in the risk colours: some pixels are near one of them.
    colours = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in COLOURS.values()]
    near = min(np.abs(pixels - np.array(rgb)).sum(axis=1).min() for rgb in colours[:3])
    assert near < 30


@needs_poppler
def test_pdf_names_hotspots_and_the_outlook_as_an_outlook_not_a_rule(pdf_file):
    path, lang = pdf_file
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    heading = {"en": "Hotspots and next week's outlook", "id": "Hotspot dan perkiraan minggu depan"}
    words = {"en": "outlook, not a rule", "id": "perkiraan, bukan aturan"}
    assert heading[lang] in text
    assert words[lang] in " ".join(text.split())
