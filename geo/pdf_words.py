"""The PDF report's words in Bahasa Indonesia and English, and its number and date formats.

Numbers and dates are formatted by Babel for the report's language (``1.234,5``,
``11 Juli 2021`` in Bahasa; ``1,234.5``, ``11 July 2021`` in English); the charts get the same
formats as d3 locales.
"""

from __future__ import annotations

import datetime as dt
import math

from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES = {"id": "id_ID", "en": "en_GB"}

WORDS: dict[str, dict] = {
    "id": {
        "title": "Laporan Zona PantauZona",
        "period": "Periode: {first} sampai {last}",
        "data_date": "Data sampai {day}",
        "audience": {"public": "untuk publik", "official": "untuk petugas"},
        "state": {
            "red": "merah",
            "orange": "oranye",
            "green": "hijau",
            "no_data": "tidak ada data",
        },
        "zone_on": "Zona {state} pada {day}",
        "because": "karena {figures}.",
        "cases": "{n} kasus dalam 7 hari",
        "fewer": "kurang dari {k} kasus dalam 7 hari",
        "rate": "{r} per 100 ribu penduduk",
        "cases_label": "Kasus dalam 7 hari",
        "rate_label": "Per 100 ribu penduduk",
        "trend_label": "Dibanding minggu lalu",
        "trend": {
            "up": "↑ naik {p} (minggu lalu {n})",
            "down": "↓ turun {p} (minggu lalu {n})",
            "same": "→ stabil (minggu lalu {n})",
            "unknown": "tidak dapat dibandingkan (angka kecil disamarkan)",
        },
        "meaning": "Artinya",
        "todo": "Yang perlu dilakukan",
        "map": "Zona pada {day} (heksagon H3 resolusi {res})",
        "trends": "Tren",
        "new_cases": "Kasus baru per hari dan rata-rata 7 hari",
        "shares": "Bagian penduduk menurut warna zona",
        "children": "Wilayah di bawahnya pada {day}",
        "children_head": ["Kode", "Nama", "Warna", "Kasus 7 hari", "Per 100 ribu"],
        "changes": "Yang berubah dalam 7 hari terakhir",
        "changes_head": ["Zona (sel H3)", "Sebelumnya", "Sekarang", "Perubahan"],
        "no_changes": "Tidak ada zona yang berubah warna.",
        "more": "… dan {n} lainnya (lihat ekspor CSV/XLSX)",
        "change": {"worse": "memburuk", "better": "membaik", "other": "lainnya"},
        "method": "Metode dan sumber",
        "guidance_source": "Sumber panduan warna",
    },
    "en": {
        "title": "PantauZona zone report",
        "period": "Period: {first} to {last}",
        "data_date": "Data up to {day}",
        "audience": {"public": "for the public", "official": "for officials"},
        "state": {"red": "red", "orange": "orange", "green": "green", "no_data": "no data"},
        "zone_on": "{state} zone on {day}",
        "because": "because of {figures}.",
        "cases": "{n} cases in 7 days",
        "fewer": "fewer than {k} cases in 7 days",
        "rate": "{r} per 100,000 residents",
        "cases_label": "Cases in 7 days",
        "rate_label": "Per 100,000 residents",
        "trend_label": "Against last week",
        "trend": {
            "up": "↑ up {p} (last week {n})",
            "down": "↓ down {p} (last week {n})",
            "same": "→ stable (last week {n})",
            "unknown": "cannot be compared (small numbers are masked)",
        },
        "meaning": "What it means",
        "todo": "What to do",
        "map": "Zones on {day} (H3 hexagons, resolution {res})",
        "trends": "Trends",
        "new_cases": "Daily new cases and 7-day average",
        "shares": "Share of population by zone colour",
        "children": "Regions below on {day}",
        "children_head": ["Code", "Name", "Colour", "Cases in 7 days", "Per 100,000"],
        "changes": "What changed in the last 7 days",
        "changes_head": ["Zone (H3 cell)", "Before", "Now", "Change"],
        "no_changes": "No zone changed colour.",
        "more": "… and {n} more (see the CSV/XLSX export)",
        "change": {"worse": "worse", "better": "better", "other": "other"},
        "method": "Method and sources",
        "guidance_source": "Source of the colour guidance",
    },
}


def number(value: float, lang: str, *, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` in ``lang``'s format ("—" for NaN)."""
    if value is None or math.isnan(value):
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(
        round(value, decimals), format=pattern, locale=LOCALES[lang]
    )


def percent(value: float, lang: str) -> str:
    """A share (0.12) as a whole percentage in ``lang`` ("12%")."""
    return babel_numbers.format_percent(value, format="#,##0%", locale=LOCALES[lang])


def long_date(day: dt.date, lang: str) -> str:
    """``day`` written out: "11 Juli 2021" or "11 July 2021"."""
    return babel_dates.format_date(day, format="d MMMM y", locale=LOCALES[lang])


def d3_locales(lang: str) -> tuple[dict, dict]:
    """The d3 number and time locales of ``lang`` for the charts (from Babel's data)."""
    locale = LOCALES[lang]
    symbols = babel_numbers.get_decimal_symbol(locale), babel_numbers.get_group_symbol(locale)
    numbers = {
        "decimal": symbols[0],
        "thousands": symbols[1],
        "grouping": [3],
        "currency": ["", ""],
    }

    def names(kind: str, width: str) -> list[str]:
        table = getattr(babel_dates, f"get_{kind}_names")(width, "format", locale)
        return [table[i] for i in sorted(table)]

    days = names("day", "wide")  # Babel counts from Monday, d3 from Sunday
    short_days = names("day", "abbreviated")
    time = {
        "dateTime": "%x %X",
        "date": "%d/%m/%Y",
        "time": "%H.%M.%S" if lang == "id" else "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": days[-1:] + days[:-1],
        "shortDays": short_days[-1:] + short_days[:-1],
        "months": names("month", "wide"),
        "shortMonths": names("month", "abbreviated"),
    }
    return numbers, time
