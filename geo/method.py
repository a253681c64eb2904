"""The method of a zone report as (key, text) rows: the same lines in the xlsx and the PDF."""

from __future__ import annotations

from geo.reports import ZoneReport


def method_rows(report: ZoneReport) -> list[tuple[str, str]]:
    """The report's region, period, audience, resolution, rules, privacy and sources."""
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
    rows += [
        (
            "public counts",
            f"below {config.privacy.min_count} shown as '< {config.privacy.min_count}'",
        ),
        ("no data", "no resident population, or no report from the region in the build period"),
        (
            "sources",
            "Kemendagri 2025 codes and boundaries (cahyadsn, MIT); Dukcapil population "
            "(kabupaten/kota 2025, kecamatan 2023, DKI kelurahan 2019, Jawa Barat desa 2024); "
            "Satgas COVID-19 daily series (MIT); DKI 1:1000 base map venues. See data/README.md.",
        ),
    ]
    return rows
