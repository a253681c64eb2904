"""Exporters of a zone report: a registry from format name to a function returning bytes.

Used by ``python -m geo report`` and by the dashboard's reports page alike.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from geo.export_words import SHEET_HEADS, header, meaning
from geo.method import method_rows
from geo.reports import DESCRIPTIONS, ZoneReport
from geo.safetext import neutralise, safe_frame
from geo.safetext import to_csv as safe_csv
from geo.vocab import EXPORT_FORMATS

if TYPE_CHECKING:
    import geopandas as gpd

Exporter = Callable[[ZoneReport], bytes]
MEDIA_TYPES: dict[str, str] = {f.name: f.media_type for f in EXPORT_FORMATS.values()}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, text neutralised: what goes into a spreadsheet or a GIS file."""
    out = safe_frame(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its headers in ``lang`` (:mod:`geo.export_words`)."""
    return frame.rename(columns={c: header(str(c), lang) for c in frame.columns})


def to_csv(report: ZoneReport) -> bytes:
    """The zones of every day of the period, one row per zone and day (UTF-8 with BOM for Excel),
    with headers in the report's language (the machine names: :data:`geo.export_words.HEADERS`)."""
    return safe_csv(_headed(_plain(report.zones), report.lang), encoding="utf-8-sig")


def to_xlsx(report: ZoneReport) -> bytes:
    """One sheet per table, a sheet describing the columns and a sheet with the method.

    Every cell is written as a number or as a string: no formula ever comes from data.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    sheets = {
        "zones": report.zones,
        "region_daily": report.daily,
        "child_regions": report.children,
        "what_changed": report.changes,
    }
    for name, frame in sheets.items():
        sheet = workbook.add_worksheet(name)
        plain = _headed(_plain(frame), report.lang)
        for col, column in enumerate(plain.columns):
            sheet.write_string(0, col, str(column), bold)
            for row, value in enumerate(plain[column].tolist(), start=1):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row, col, float(value))
                else:
                    sheet.write_string(row, col, str(value))
    _columns_sheet(workbook.add_worksheet("columns"), report.lang, bold)
    method = workbook.add_worksheet("method")
    for row, (key, text) in enumerate(method_rows(report)):
        method.write_string(row, 0, key, bold)
        method.write_string(row, 1, str(neutralise(text)))
    workbook.close()
    return buffer.getvalue()


def _columns_sheet(sheet: Worksheet, lang: str, bold: Format) -> None:
    """Every machine column name with its header and meaning in ``lang``."""
    for col, head in enumerate(SHEET_HEADS[lang]):
        sheet.write_string(0, col, head, bold)
    for row, key in enumerate(DESCRIPTIONS, start=1):
        sheet.write_string(row, 0, str(key))
        sheet.write_string(row, 1, header(str(key), lang))
        sheet.write_string(row, 2, meaning(str(key), lang, DESCRIPTIONS))


def _geo_frame(report: ZoneReport) -> gpd.GeoDataFrame:
    return _plain(report.latest).set_geometry("geometry")


def to_geojson(report: ZoneReport) -> bytes:
    """The zones on the report's last day with geometry, risk, reason and metrics."""
    return _geo_frame(report).to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def to_gpkg(report: ZoneReport) -> bytes:
    """The same zones as a GeoPackage layer named ``zones``."""
    with tempfile.TemporaryDirectory(prefix="pz-gpkg-") as folder:
        path = Path(folder) / "zones.gpkg"
        _geo_frame(report).to_file(path, layer="zones", driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def to_pdf(report: ZoneReport) -> bytes:
    """The printed zone report (see :mod:`geo.pdf_report`)."""
    from geo.pdf_report import render

    return render(report)


#: The exporter of each format of :data:`geo.vocab.EXPORT_FORMATS`, in its order (tested).
EXPORTERS: dict[str, Exporter] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "geojson": to_geojson,
    "gpkg": to_gpkg,
    "pdf": to_pdf,
}


def export(report: ZoneReport, fmt: str) -> bytes:
    """The report in ``fmt`` (one of :data:`EXPORTERS`)."""
    if fmt not in EXPORTERS:
        msg = f"Unknown format {fmt!r}; choose one of {', '.join(EXPORTERS)}."
        raise ValueError(msg)
    return EXPORTERS[fmt](report)
