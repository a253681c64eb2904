"""The column headers and meanings of the CSV/XLSX exports in Bahasa Indonesia and English.

A Bahasa report's CSV and sheets have Bahasa headers; an English report keeps the machine
names (``cases_7d``) as its headers, so that scripts read it unchanged. Each xlsx has a
``columns`` sheet mapping every machine name to its header and meaning in the report's language;
for a Bahasa CSV, :data:`HEADERS` is that mapping (and the README lists it).
"""

from __future__ import annotations

from geo.columns import Out

#: Machine name -> header in Bahasa Indonesia.
HEADERS: dict[str, str] = {
    Out.DATE: "Tanggal",
    Out.CELL: "Sel H3",
    Out.RESOLUTION: "Resolusi H3",
    Out.REGION_CODE: "Kode wilayah",
    "name": "Nama wilayah",
    Out.RISK: "Warna zona",
    "reason": "Alasan",
    Out.NEW_CASES: "Kasus baru",
    Out.CASES_7D: "Kasus 7 hari",
    Out.CASES_14D: "Kasus 14 hari",
    Out.CASES_PER_100K_7D: "Kasus 7 hari per 100 ribu penduduk",
    Out.GROWTH_RATIO_7D: "Rasio pertumbuhan 7 hari",
    Out.CHECKINS_7D: "Check-in 7 hari",
    Out.CROWDING_RATIO: "Rasio keramaian",
    Out.EXPOSED_CHECKINS_7D: "Check-in terpapar 7 hari",
    Out.POPULATION: "Penduduk",
    Out.PROVINCE_CODE: "Kode provinsi",
    Out.REGENCY_CODE: "Kode kabupaten/kota",
    Out.DISTRICT_CODE: "Kode kecamatan",
    Out.VILLAGE_CODE: "Kode kelurahan/desa",
    Out.SHARE_RED: "Bagian penduduk di zona merah",
    Out.SHARE_ORANGE: "Bagian penduduk di zona oranye",
    Out.SHARE_GREEN: "Bagian penduduk di zona hijau",
    Out.SHARE_NO_DATA: "Bagian penduduk di zona tanpa data",
    "cell": "Sel H3",
    "before": "Sebelumnya",
    "after": "Sekarang",
    "change": "Perubahan",
}

#: Machine name -> meaning in Bahasa Indonesia (the English ones: ``geo.reports.DESCRIPTIONS``).
MEANINGS: dict[str, str] = {
    Out.DATE: "hari; jendela waktu berakhir pada hari ini",
    Out.CELL: "id sel H3",
    Out.RESOLUTION: "resolusi H3 sel",
    Out.REGION_CODE: "kode wilayah Kemendagri 2025",
    "name": "nama wilayah",
    Out.RISK: "red (merah), orange (oranye), green (hijau) atau no_data (tidak ada data)",
    "reason": "mengapa zona berwarna demikian",
    Out.NEW_CASES: "kasus yang dilaporkan hari itu (kasus berkode wilayah yang dibagi bisa pecahan)",
    Out.CASES_7D: "kasus dalam 7 hari yang berakhir pada tanggal itu",
    Out.CASES_14D: "kasus dalam 14 hari yang berakhir pada tanggal itu",
    Out.CASES_PER_100K_7D: "kasus 7 hari per 100.000 penduduk",
    Out.GROWTH_RATIO_7D: "kasus 7 hari dibagi kasus 7 hari sebelumnya",
    Out.CHECKINS_7D: "check-in di tempat dalam 7 hari (hanya petugas)",
    Out.CROWDING_RATIO: "check-in 7 hari dibanding minggu biasa (hanya petugas)",
    Out.EXPOSED_CHECKINS_7D: "check-in yang terpapar kasus kemudian, 7 hari (hanya petugas)",
    Out.POPULATION: "jumlah penduduk zona",
    Out.PROVINCE_CODE: "kode provinsi",
    Out.REGENCY_CODE: "kode kabupaten/kota",
    Out.DISTRICT_CODE: "kode kecamatan",
    Out.VILLAGE_CODE: "kode kelurahan/desa (hanya DKI Jakarta dan Jawa Barat)",
    "before": "warna 7 hari sebelumnya",
    "after": "warna pada hari terakhir laporan",
}

#: The ``columns`` sheet's own headers.
SHEET_HEADS: dict[str, tuple[str, str, str]] = {
    "id": ("kolom (nama mesin)", "judul", "arti"),
    "en": ("column", "header", "meaning"),
}


def header(column: str, lang: str) -> str:
    """The header of machine column ``column`` in a report in ``lang``."""
    return HEADERS.get(column, column) if lang == "id" else column


def meaning(column: str, lang: str, english: dict[str, str]) -> str:
    """What ``column`` holds, in ``lang`` (``english``: the English meanings)."""
    return MEANINGS.get(column, english.get(column, "")) if lang == "id" else english[column]
