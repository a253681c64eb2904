"""Every string the dashboard shows, in Bahasa Indonesia (the default) and English.

Pages call ``t(key, lang, **fmt)``; ``tests/test_dashboard_app.py`` checks that both languages
have the same keys and the same ``{placeholders}``. Text that comes from data or from the URL
goes through ``escape_markdown`` before it reaches a Markdown element.
"""

from __future__ import annotations

import re
from datetime import date

DEFAULT_LANG = "id"
LANGS: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "app.tagline": "Risiko zona COVID-19 per heksagon H3, tanpa internet.",
        "lang.label": "Bahasa / Language",
        "page.map": "Peta Risiko",
        "page.trends": "Tren",
        "page.method": "Metodologi",
        "filter.heading": "Filter",
        "filter.date": "Tanggal",
        "filter.no_dates": "Belum ada data untuk ditampilkan.",
        "level.province": "Provinsi",
        "level.regency": "Kabupaten/Kota",
        "level.district": "Kecamatan",
        "level.village": "Kelurahan/Desa",
        "region.all": "— Semua —",
        "region.country": "Indonesia",
        "breadcrumb.label": "Wilayah",
        "notice.lang": "Bahasa „{value}” tidak dikenal; ditampilkan dalam Bahasa Indonesia.",
        "notice.page": "Halaman „{value}” tidak ada; menampilkan Peta Risiko.",
        "notice.date": "Tidak ada data untuk tanggal „{value}”; menampilkan tanggal terbaru, {latest}.",
        "notice.region": "Wilayah „{value}” tidak dikenal; menampilkan seluruh Indonesia.",
        "risk.legend_title": "Tingkat risiko",
        "risk.red": "Tinggi",
        "risk.orange": "Sedang",
        "risk.green": "Rendah",
        "risk.no_data": "Tidak ada data",
        "map.caption": (
            "Arahkan kursor ke heksagon untuk melihat alasan warnanya. "
            "Data per {day}; wilayah: {region}."
        ),
        "map.empty": "Tidak ada zona untuk wilayah dan tanggal ini.",
        "map.zones": "Daftar zona",
        "column.zone": "Zona",
        "column.risk": "Risiko",
        "column.reason": "Alasan",
        "trends.caption": "Kasus baru per hari di {region}, hingga {day}.",
        "trends.cases": "Kasus baru",
        "trends.date": "Tanggal",
        "trends.empty": "Belum ada data tren untuk wilayah ini.",
        "method.body": (
            "Setiap laporan kasus dan setiap check-in tempat dipetakan ke heksagon H3. "
            "Per hari, jumlahnya dihitung per heksagon lalu digabungkan ke kelurahan, "
            "kecamatan, kabupaten/kota dan provinsi.\n\n"
            "Warna sebuah zona berasal dari ambang batas dalam berkas konfigurasi risiko; "
            "setiap zona menyimpan alasan warnanya. Zona tanpa cukup data diberi warna "
            "abu-abu (*tidak ada data*), tidak pernah hijau."
        ),
        "method.levels": "Tingkat risiko",
    },
    "en": {
        "app.tagline": "COVID-19 zone risk on H3 hexagons, offline.",
        "lang.label": "Bahasa / Language",
        "page.map": "Risk map",
        "page.trends": "Trends",
        "page.method": "Method",
        "filter.heading": "Filters",
        "filter.date": "Date",
        "filter.no_dates": "There is no data to show yet.",
        "level.province": "Province",
        "level.regency": "Regency/City",
        "level.district": "District",
        "level.village": "Village",
        "region.all": "— All —",
        "region.country": "Indonesia",
        "breadcrumb.label": "Region",
        "notice.lang": "Unknown language “{value}”; showing Bahasa Indonesia.",
        "notice.page": "There is no page “{value}”; showing the risk map.",
        "notice.date": "No data for the date “{value}”; showing the latest date, {latest}.",
        "notice.region": "Unknown region “{value}”; showing all of Indonesia.",
        "risk.legend_title": "Risk level",
        "risk.red": "High",
        "risk.orange": "Moderate",
        "risk.green": "Low",
        "risk.no_data": "No data",
        "map.caption": (
            "Hover over a hexagon to see the reason for its colour. Data as of {day}; region: {region}."
        ),
        "map.empty": "There are no zones for this region and date.",
        "map.zones": "Zone list",
        "column.zone": "Zone",
        "column.risk": "Risk",
        "column.reason": "Reason",
        "trends.caption": "New cases per day in {region}, up to {day}.",
        "trends.cases": "New cases",
        "trends.date": "Date",
        "trends.empty": "There is no trend data for this region yet.",
        "method.body": (
            "Every case report and every venue check-in is placed on an H3 hexagon. "
            "Each day the counts are summed per hexagon and rolled up to villages, districts, "
            "regencies and provinces.\n\n"
            "A zone's colour comes from the thresholds in the risk configuration file, and "
            "every zone keeps the reason for its colour. Zones without enough data are grey "
            "(*no data*), never green."
        ),
        "method.levels": "Risk levels",
    },
}

_MONTHS: dict[str, tuple[str, ...]] = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

# ASCII punctuation that Streamlit's Markdown gives a meaning to (CommonMark, `$` for LaTeX,
# `:` for emoji/icon/colour directives). CommonMark lets a backslash escape any of them.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")


def t(key: str, lang: str, **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang``, formatted with ``fmt``.

    Parameters
    ----------
    key
        A key of ``STRINGS[lang]``; an unknown key is a bug and raises ``KeyError``.
    lang
        ``"id"`` or ``"en"``; anything else falls back to Bahasa Indonesia.
    **fmt
        Values for the string's ``{placeholders}``. Escape untrusted text first.
    """
    strings = STRINGS.get(lang, STRINGS[DEFAULT_LANG])
    text = strings[key]
    return text.format(**fmt) if fmt else text


def format_date(day: date, lang: str) -> str:
    """Format ``day`` as ``27 Nov 2026`` (``27 Agu 2026`` in Bahasa Indonesia)."""
    months = _MONTHS.get(lang, _MONTHS[DEFAULT_LANG])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def escape_markdown(text: str, *, max_length: int = 80) -> str:
    """Make untrusted ``text`` display literally inside Streamlit Markdown.

    Long values (say, a pasted URL parameter) are cut to ``max_length`` characters.
    """
    if len(text) > max_length:
        text = text[: max_length - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
