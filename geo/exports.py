"""Exporters of a zone report: a registry from format name to a function returning bytes.

Used by ``python -m geo report`` and by the dashboard's reports page alike.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter

from geo.reports import DESCRIPTIONS, FORMULA_STARTS, ZoneReport

Exporter = Callable[[ZoneReport], bytes]
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "pdf": "application/pdf",
}


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, text neutralised: what goes into a spreadsheet or a GIS file."""
    out = _safe(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def to_csv(report: ZoneReport) -> bytes:
    """The zones of every day of the period, one row per zone and day (UTF-8 with BOM for Excel)."""
    return _plain(report.zones).to_csv(index=False).encode("utf-8-sig")


def _method_rows(report: ZoneReport) -> list[tuple[str, str]]:
    config = report.build.config
    rows = [
        ("region", f"{report.region_name} ({report.region_code})"),
        ("period", f"{report.date_from} to {report.date_to}"),
        ("data up to", str(report.data_date)),
        ("audience", report.audience),
        ("H3 resolution", str(report.resolution)),
        ("preset", f"{config.name}: {config.description}"),
    ]
    for crit in config.risk.criteria:
        reach = ">=" if crit.inclusive else ">"
        rows.append(
            (
                f"rule {crit.metric}",
                f"orange {reach} {crit.orange:g}, red {reach} {crit.red:g}"
                + (
                    f", red needs {crit.red_min_cases_7d:g} cases in 7 days"
                    if crit.red_min_cases_7d
                    else ""
                ),
            )
        )
    privacy = config.privacy
    rows += [
        (
            "public counts",
            f"cell-key perturbation: each count plus a two-sided geometric noise (epsilon "
            f"{privacy.epsilon:g}, the same for the same count of a zone), shown as "
            f"'< {privacy.min_count}' when below {privacy.min_count}; rates, growth and reasons "
            "from the published counts; only zones with a case in 14 days",
        ),
        ("no data", "no resident population, or no report from the region in the build period"),
        (
            "sources",
            "Kemendagri 2025 codes and boundaries (cahyadsn, MIT); Dukcapil population; "
            "Satgas COVID-19 daily series (MIT); DKI 1:1000 base map venues. See data/README.md.",
        ),
    ]
    return rows


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
        plain = _plain(frame)
        for col, column in enumerate(plain.columns):
            sheet.write_string(0, col, str(column), bold)
            for row, value in enumerate(plain[column].tolist(), start=1):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row, col, float(value))
                else:
                    sheet.write_string(row, col, str(value))
    columns = workbook.add_worksheet("columns")
    columns.write_string(0, 0, "column", bold)
    columns.write_string(0, 1, "meaning", bold)
    for row, (key, text) in enumerate(DESCRIPTIONS.items(), start=1):
        columns.write_string(row, 0, str(key))
        columns.write_string(row, 1, text)
    method = workbook.add_worksheet("method")
    for row, (key, text) in enumerate(_method_rows(report)):
        method.write_string(row, 0, key, bold)
        method.write_string(row, 1, str(neutralise(text)))
    workbook.close()
    return buffer.getvalue()


def _geo_frame(report: ZoneReport):
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
