"""The method of a zone report as (key, text) rows in the report's language: the same lines in
the xlsx and the PDF."""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo import completeness
from geo.formats import date as long_date
from geo.formats import number, percent, trimmed
from geo.guidance import SOURCES, family
from geo.reports import ZoneReport

_METRICS = {
    "id": {
        "cases_per_100k_7d": "kasus per 100 ribu penduduk dalam 7 hari",
        "cases_7d": "kasus dalam 7 hari",
        "avg_daily_cases_per_100k_7d": "rata-rata kasus harian per 100 ribu penduduk (7 hari)",
        "exposed_pct_7d": "% kunjungan yang bertemu kasus (7 hari)",
        "crowding_ratio": "rasio keramaian terhadap minggu biasa",
    },
    "en": {
        "cases_per_100k_7d": "cases per 100,000 residents in 7 days",
        "cases_7d": "cases in 7 days",
        "avg_daily_cases_per_100k_7d": "average daily cases per 100,000 residents (7 days)",
        "exposed_pct_7d": "% of check-ins that met a case (7 days)",
        "crowding_ratio": "crowding against the usual week",
    },
}
_WORDS: dict[str, dict[str, Any]] = {
    "id": {
        "keys": [
            "wilayah",
            "periode",
            "data sampai",
            "pembaca",
            "resolusi H3",
            "aturan",
            "angka publik",
            "tidak ada data",
            "sumber data",
            "sumber panduan warna",
            "hari belum lengkap",
        ],
        "incomplete": "{day} ({share} penduduk wilayah yang biasa melapor sudah melapor)",
        "complete": "tidak ada: semua hari dalam periode lengkap",
        "period": "{first} sampai {last}",
        "audience": {"public": "publik", "official": "petugas"},
        "rule": "aturan {metric}",
        "band": "oranye {reach} {orange}, merah {reach} {red}",
        "red_min": ", merah perlu {n} kasus dalam 7 hari",
        "public": "perturbasi cell-key: setiap angka ditambah derau geometris dua sisi (epsilon "
        "{eps}, sama untuk angka yang sama dari satu zona), ditampilkan sebagai '< {k}' bila di "
        "bawah {k}; laju, pertumbuhan dan alasan dihitung dari angka yang dipublikasikan; hanya "
        "zona dengan kasus dalam 14 hari",
        "no_data": "tidak ada penduduk, atau tidak ada laporan dari wilayah itu dalam periode build",
        "sources": "Kode dan batas wilayah Kemendagri 2025 (cahyadsn, MIT); penduduk Dukcapil "
        "(kabupaten/kota 2025, kecamatan 2023, kelurahan DKI 2019, desa Jawa Barat 2024); "
        "data harian Satgas COVID-19 (MIT); tempat dari peta dasar DKI 1:1000. Lihat "
        "data/README.md.",
    },
    "en": {
        "keys": [
            "region",
            "period",
            "data up to",
            "audience",
            "H3 resolution",
            "preset",
            "public counts",
            "no data",
            "sources",
            "colour guidance",
            "incomplete days",
        ],
        "incomplete": "{day} ({share} of the population of the regions that usually report "
        "had reported)",
        "complete": "none: every day of the period is complete",
        "period": "{first} to {last}",
        "audience": {"public": "public", "official": "officials"},
        "rule": "rule {metric}",
        "band": "orange {reach} {orange}, red {reach} {red}",
        "red_min": ", red needs {n} cases in 7 days",
        "public": "cell-key perturbation: each count plus a two-sided geometric noise (epsilon "
        "{eps}, the same for the same count of a zone), shown as '< {k}' when below {k}; rates, "
        "growth and reasons from the published counts; only zones with a case in 14 days",
        "no_data": "no resident population, or no report from the region in the build period",
        "sources": "Kemendagri 2025 codes and boundaries (cahyadsn, MIT); Dukcapil population "
        "(kabupaten/kota 2025, kecamatan 2023, DKI kelurahan 2019, Jawa Barat desa 2024); "
        "Satgas COVID-19 daily series (MIT); DKI 1:1000 base map venues. See data/README.md.",
    },
}


def _rules(report: ZoneReport, words: dict) -> list[tuple[str, str]]:
    lang = report.lang
    rows = []
    for crit in report.build.config.risk.criteria:
        reach = ">=" if crit.inclusive else ">"
        text = words["band"].format(
            reach=reach,
            orange=trimmed(crit.orange, lang, 1),
            red=trimmed(crit.red, lang, 1),
        )
        if crit.red_min_cases_7d:
            text += words["red_min"].format(n=number(crit.red_min_cases_7d, lang))
        metric = _METRICS[lang].get(crit.metric, crit.metric)
        rows.append((words["rule"].format(metric=metric), text))
    return rows


def incomplete_text(report: ZoneReport) -> str:
    """The incomplete days of the report's period with the share that had reported
    (:mod:`geo.completeness`), or that there are none, in the report's language."""
    words = _WORDS[report.lang]
    days = completeness.read_days(report.build.path, report.build.dates)
    dates = pd.to_datetime(days["date"])
    inside = dates.between(pd.Timestamp(report.date_from), pd.Timestamp(report.date_to))
    rows = days[inside & ~days["complete"].astype(bool)]
    if rows.empty:
        return words["complete"]
    return "; ".join(
        words["incomplete"].format(
            day=long_date(pd.Timestamp(day).date(), report.lang),
            share=percent(share, report.lang),
        )
        for day, share in zip(rows["date"], rows["share"], strict=True)
    )


def method_rows(report: ZoneReport) -> list[tuple[str, str]]:
    """The report's region, period, audience, resolution, rules, privacy and sources, in the
    report's language."""
    words = _WORDS[report.lang]
    keys = dict(enumerate(words["keys"]))
    config = report.build.config
    privacy = config.privacy
    period = words["period"].format(
        first=long_date(report.date_from, report.lang), last=long_date(report.date_to, report.lang)
    )
    eps = number(privacy.epsilon, report.lang, decimals=1)
    return [
        (keys[0], f"{report.region_name} ({report.region_code})"),
        (keys[1], period),
        (keys[2], long_date(report.data_date, report.lang)),
        (keys[10], incomplete_text(report)),
        (keys[3], words["audience"][report.audience]),
        (keys[4], str(report.resolution)),
        (keys[5], config.name if report.lang == "id" else f"{config.name}: {config.description}"),
        *_rules(report, words),
        (keys[6], words["public"].format(eps=eps, k=privacy.min_count)),
        (keys[7], words["no_data"]),
        (keys[8], words["sources"]),
        (keys[9], SOURCES[family(config.name)][report.lang]),
    ]
