"""The attacker: recover hidden counts from nothing but public outputs, by arithmetic.

A whole province (DI Yogyakarta, 34) is built from the sample generator (the real Satgas series
spread over its regencies, every case a point), with every day, level and resolution. The test
then reads what the public can read — the geo functions behind the public pages, tables (their
CSV download is the same table), tooltips and charts, and every export format in the public
audience, parsed back from the files — and turns each figure into an interval for the true count
it describes, knowing the published method and its parameters (:func:`noise_bound`). The routes
of :data:`ROUTES` add exact linear relations between counts (parent = sum of children across
the region tree and across H3 resolutions, 7-day = sum of 7 days, 14-day = two weeks, growth =
this week / last week); intervals are propagated until nothing narrows. A hidden value (a true
count in 1..k-1 that some public output describes) is *pinned* when its interval holds one
integer. The test asserts that none is.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest

from geo import buildread, cells, changes, exports, reports, trends, views, zonemap
from geo.build import build as make_build
from geo.columns import Out
from geo.sample import _grid_groups, _points_in, case_counts

pytest_plugins = ["pipeline_fixtures"]

PROVINCE = "34"
TODAY = dt.date(2026, 1, 1)
INF = math.inf
PUBLIC = "public"
COUNTS = (Out.NEW_CASES, Out.CASES_7D, Out.CASES_14D)
#: Page functions read one day in this many (the series and exports read every day).
PAGE_STEP = 4


# --- the build ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def province(all_grids: dict, tmp_path_factory: pytest.TempPathFactory) -> buildread.Build:
    """DI Yogyakarta from the sample generator: cases only, each at a point."""
    counts = case_counts()
    counts = counts[counts["regency"].str.startswith(PROVINCE + ".")].reset_index(drop=True)
    grid = all_grids[9]
    rng = np.random.default_rng(34)
    order, starts, ends = _grid_groups(grid, "regency_idx")
    from geo import reference

    positions = reference.regions().index
    where = np.repeat(positions.get_indexer(counts["regency"]), counts["n"].to_numpy())
    lat, lon = _points_in(grid, order[rng.integers(starts[where], ends[where])], rng)
    days = np.repeat(pd.to_datetime(counts["date"]).dt.strftime("%Y-%m-%d"), counts["n"])
    frame = pd.DataFrame({"reported_date": days.to_numpy(), "lat": lat, "lon": lon})
    frame.insert(0, "case_id", [f"Y{i:06d}" for i in range(len(frame))])
    folder = tmp_path_factory.mktemp("attack")
    frame.to_csv(folder / "cases.csv", index=False)
    make_build(folder / "cases.csv", None, None, folder / "build", today=TODAY)
    return buildread.open_build(folder / "build")


# --- what the attacker knows of the method -----------------------------------------------------


def noise_bound(build: buildread.Build) -> float:
    """How far a published count may lie from the true one, as the published method says.

    Suppression publishes exact counts (0). Cell-key perturbation with two-sided geometric noise
    has every integer in its support: no finite bound.
    """
    method = getattr(build.config.privacy, "method", "suppression")
    return INF if method != "suppression" else 0.0


def hidden_interval(build: buildread.Build) -> tuple[float, float]:
    """What "< k" says of the true count under the method."""
    k = build.min_count
    if noise_bound(build) == 0:
        return 1.0, k - 1.0  # suppression: 0 < count < k (0 is shown as "0")
    return 0.0, INF


# --- observations: published figures as intervals of true counts -------------------------------


class Knowledge:
    """Intervals of true counts, one per (zone, metric, day), narrowed by every observation.

    Variables are dense: ``index(zone, metric, day)``; :data:`METRICS` blocks of zones x days.
    """

    def __init__(self, build: buildread.Build, zone_names: list[str]) -> None:
        self.build = build
        self.bound = noise_bound(build)
        self.hidden = hidden_interval(build)
        self.zones = {name: i for i, name in enumerate(zone_names)}
        self.days = {day: i for i, day in enumerate(build.dates)}
        size = len(COUNTS) * len(self.zones) * len(self.days)
        self.lo = np.zeros(size)
        self.hi = np.full(size, INF)
        self.seen = np.zeros(size, dtype=bool)
        self.observations = 0
        #: Every published count read (key, value; NaN for "< k") and rate (key, rate,
        #: population; NaN for "—"), to check that each is what the method publishes.
        self.counts: list[tuple[np.ndarray, np.ndarray]] = []
        self.rates: list[tuple[int, float, float]] = []

    def index(self, zone: str, metric: str, day: dt.date) -> int | None:
        z, d = self.zones.get(str(zone)), self.days.get(day)
        if z is None or d is None:
            return None
        return (COUNTS.index(metric) * len(self.zones) + z) * len(self.days) + d

    def narrow(self, key: int | None, lo: float, hi: float) -> None:
        if key is None:
            return
        self.lo[key] = max(self.lo[key], math.ceil(lo - 1e-6) if lo > -INF else 0.0)
        self.hi[key] = min(self.hi[key], math.floor(hi + 1e-6) if hi < INF else INF)

    def indices(self, zones: np.ndarray, metric: str, days: np.ndarray) -> np.ndarray:
        """:meth:`index` of many rows at once (-1 where the zone or day is unknown)."""
        z = pd.Series(zones, dtype=object).map(self.zones).to_numpy(dtype=float)
        d = pd.Series(days, dtype=object).map(self.days).to_numpy(dtype=float)
        keys = (COUNTS.index(metric) * len(self.zones) + z) * len(self.days) + d
        return np.where(np.isnan(keys), -1, keys).astype(np.int64)

    def figures(self, zones: np.ndarray, metric: str, days: np.ndarray, shown: pd.Series) -> None:
        """Published counts of a column: a number, "< k", or "—"/missing (nothing)."""
        keys = self.indices(zones, metric, days)
        text = shown.astype(str).str.strip().str.lstrip("'")
        hidden = text.str.startswith("<").to_numpy()
        value = pd.to_numeric(text.str.replace(",", ""), errors="coerce").to_numpy(float)
        ok = (keys >= 0) & (hidden | ~np.isnan(value))
        self.counts.append((keys[ok], np.where(hidden, np.nan, value)[ok]))
        self.seen[keys[ok]] = True
        self.observations += int(ok.sum())
        lo = np.where(hidden, self.hidden[0], np.ceil(value - 0.5 - self.bound - 1e-6))
        hi = np.where(hidden, self.hidden[1], np.floor(value + 0.5 + self.bound + 1e-6))
        np.maximum.at(self.lo, keys[ok], np.nan_to_num(lo[ok], nan=0.0, neginf=0.0))
        np.minimum.at(self.hi, keys[ok], np.nan_to_num(hi[ok], nan=INF, posinf=INF))

    def rate(self, zone: str, day: dt.date, shown: object, population: float) -> None:
        """A published rate per 100k: the 7-day count it was computed from, to its rounding."""
        value, key = parse(shown), self.index(zone, Out.CASES_7D, day)
        if key is not None and population > 0 and (value is None or isinstance(value, float)):
            self.rates.append((key, np.nan if value is None else value, population))
        if not isinstance(value, float) or not population > 0 or key is None:
            return
        self.seen[key] = True
        self.observations += 1
        scale = population / 1e5
        self.narrow(key, (value - 0.05) * scale - self.bound, (value + 0.05) * scale + self.bound)

    def zero(self, zone: str, day: dt.date) -> None:
        """A zone documented as without a case in the 14 days to ``day``."""
        for metric in COUNTS:
            self.narrow(self.index(zone, metric, day), 0, 0)
        for back in range(1, 14):
            self.narrow(self.index(zone, Out.NEW_CASES, day - dt.timedelta(days=back)), 0, 0)


def parse(shown: object) -> float | str | None:
    if shown is None or (isinstance(shown, float) and math.isnan(shown)):
        return None
    if isinstance(shown, (int, float, np.integer, np.floating)):
        return float(shown)
    text = str(shown).strip().lstrip("'")
    if text.startswith("<"):
        return "hidden"
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


# --- reading every public output ---------------------------------------------------------------


def regions_of(build: buildread.Build) -> list[str]:
    table = build.regions
    return table.loc[table[Out.REGION_CODE].str.startswith(PROVINCE), Out.REGION_CODE].tolist()


def zone_names(build: buildread.Build) -> list[str]:
    """Every zone a public output can name: the country, regions and the province's cells."""
    table = pd.read_parquet(build.path / "cells.parquet", columns=[Out.CELL])
    return ["ID", *build.regions[Out.REGION_CODE].tolist(), *table[Out.CELL].astype(str)]


def page_days(build: buildread.Build) -> tuple[dt.date, ...]:
    """Days read page by page (every page's series and exports cover every day)."""
    return build.dates[::PAGE_STEP]


def read_pages(know: Knowledge) -> int:
    """Trends series of every region; summary, tooltips, child table, what changed (public)."""
    build, calls = know.build, 0
    population = build.regions[Out.POPULATION]
    provinces = build.regions[Out.REGION_LEVEL] == "province"
    population = pd.concat([population, pd.Series({"ID": population[provinces].sum()})])
    codes = regions_of(build)
    rows: list[dict] = []  # one per zone and day read: zone, date, cases_7d, reason
    for code in [None, *codes]:
        series = trends.daily_series(build, code, audience=PUBLIC)
        calls += 1
        rows += [
            {"zone": code or "ID", Out.DATE: row.date, Out.NEW_CASES: row.new_cases_label}
            for row in series.itertuples()
        ]
        avg = series.dropna(subset="cases_avg_7d")
        rows += [
            {"zone": code or "ID", Out.DATE: row.date, Out.CASES_7D: round(row.cases_avg_7d * 7, 6)}
            for row in avg.itertuples()
        ]
    upper = [code for code in codes if code.count(".") <= 1]
    for day in page_days(build):
        for code in [None, *upper]:
            zone = code or "ID"
            summary = views.region_summary(build, day, code, audience=PUBLIC, lang="en")
            rows.append({"zone": zone, Out.DATE: day, Out.CASES_7D: summary.cases_7d})
            rows.append({"zone": zone, Out.DATE: day, "reason": summary.reason})
            know.rate(zone, day, summary.cases_per_100k_7d, population[zone])
            children = trends.compare_children(build, code, day, audience=PUBLIC, lang="en")
            for row in children.itertuples():
                rows.append(
                    {
                        "zone": row.code,
                        Out.DATE: day,
                        Out.CASES_7D: row.cases_7d,
                        "reason": row.reason,
                    }
                )
                know.rate(row.code, day, row.cases_per_100k_7d, population.get(row.code, 0))
            calls += 2
            if code is None:
                continue
            geo = zonemap.zones_geojson(build, day, code, audience=PUBLIC, lang="en")
            rows += [
                {
                    "zone": f["properties"]["label"],
                    Out.DATE: day,
                    Out.CASES_7D: f["properties"].get("cases_7d"),
                    "reason": f["properties"]["reason"],
                }
                for f in geo["features"]
            ]
            changed = changes.what_changed(build, code, day, audience=PUBLIC, lang="en")
            rows += [
                {"zone": row.zone, Out.DATE: day, Out.CASES_7D: row.cases_7d, "reason": row.reason}
                for row in changed.itertuples()
            ]
            calls += 2
    read_zone_table(know, pd.DataFrame(rows), zone="zone")
    return calls


def read_zone_table(know: Knowledge, table: pd.DataFrame, *, zone: str = Out.CELL) -> None:
    """A zone table of a report (one row per zone and day), as a reader gets it back."""
    if table.empty:
        return
    table = table.reset_index(drop=True)
    names = table[zone if zone in table else Out.REGION_CODE].astype(str).to_numpy()
    days = pd.to_datetime(table[Out.DATE]).dt.date.to_numpy()
    for metric in COUNTS:
        if metric in table:
            know.figures(names, metric, days, table[metric])
    if Out.GROWTH_RATIO_7D in table and Out.CASES_7D in table:
        growth_route(know, names, days, table[Out.GROWTH_RATIO_7D], table[Out.CASES_7D])
    if "reason" in table:
        reason_routes(know, names, days, table["reason"])


def read_exports(know: Knowledge, folder: Path) -> int:
    """Every format of the province's public report at every resolution, parsed back: CSV of
    every day at every resolution; Excel (its four tables) at 6 and 7; GeoJSON and GeoPackage (the
    last day) at every resolution; the PDF's text."""
    build, files = know.build, 0
    first, last = build.dates[0], build.dates[-1]
    for resolution in build.config.cells.resolutions:
        report = reports.zone_report(
            build, PROVINCE, first, last, resolution=resolution, audience=PUBLIC, lang="en"
        )
        csv = pd.read_csv(io.BytesIO(exports.export(report, "csv")), dtype=str)
        read_zone_table(know, csv)
        for cell, day in absent_cells(csv, build):
            know.zero(cell, day)
        if resolution >= 8:  # the same zones as the CSV: Excel is read at 6 and 7
            files += 1 + read_geo(know, report, folder)
            continue
        book = openpyxl.load_workbook(io.BytesIO(exports.export(report, "xlsx")), read_only=True)
        sheets = {name: sheet_frame(book[name]) for name in book.sheetnames}
        read_zone_table(know, sheets["zones"])
        read_zone_table(know, sheets["region_daily"].assign(region_code=PROVINCE))
        read_zone_table(know, sheets["child_regions"].assign(date=str(last)))
        files += 2 + read_geo(know, report, folder)
    return files + read_pdf(know, report, folder)


def read_geo(know: Knowledge, report: reports.ZoneReport, folder: Path) -> int:
    """The GeoJSON and GeoPackage of the report (its last day), read back with geopandas."""
    for fmt in ("geojson", "gpkg"):
        path = folder / f"r{report.resolution}.{fmt}"
        path.write_bytes(exports.export(report, fmt))
        layer = gpd.read_file(path).drop(columns="geometry")
        read_zone_table(know, layer.assign(date=str(report.date_to)))
    return 2


def sheet_frame(sheet) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0]) if rows else pd.DataFrame()


def absent_cells(csv: pd.DataFrame, build: buildread.Build) -> Iterator[tuple[str, dt.date]]:
    """A cell the report lists on some day but not on another had no case in the 14 days
    (documented: the report lists the zones the map draws)."""
    listed = set(zip(csv[Out.CELL], pd.to_datetime(csv[Out.DATE]).dt.date, strict=True))
    for cell in set(csv[Out.CELL]):
        for day in build.dates:
            if (cell, day) not in listed:
                yield cell, day


def read_pdf(know: Knowledge, report, folder: Path) -> int:
    """The PDF's text: its child-region and what-changed tables carry reasons."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = folder / "report.pdf"
    path.write_bytes(exports.export(report, "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    codes = set(regions_of(know.build))
    for line in text.splitlines():
        words = line.split()
        if words and words[0] in codes:
            reason_route(know, words[0], report.date_to, line)
    return 1


# --- routes ------------------------------------------------------------------------------------


#: "but only < 10 cases in 7 days (red needs at least 5)": the count is below 5.
CAPPED = r"but only (< ?\d+|[\d,]+) cases in 7 days \(red needs at least (\d+)\)"
#: "…: 31 cases in 7 days", "… with < 10 cases" (not "212 cases per 100k").
COUNT = r"(?:with|:) (< ?\d+|[\d,]+) cases(?! per)"


def reason_route(know: Knowledge, zone: str, day: dt.date, reason: str) -> None:
    """A reason's counts, and the ranges its wording implies ("red needs at least 5")."""
    reason_routes(know, np.array([zone], dtype=object), np.array([day]), pd.Series([reason]))


def reason_routes(know: Knowledge, zones: np.ndarray, days: np.ndarray, reasons: pd.Series) -> None:
    """:func:`reason_route` of a whole column."""
    text = reasons.astype(str).reset_index(drop=True)
    capped = text.str.extract(CAPPED)
    keys = know.indices(zones, Out.CASES_7D, days)
    limit = pd.to_numeric(capped[1], errors="coerce").to_numpy(float)
    ok = (keys >= 0) & ~np.isnan(limit)
    know.seen[keys[ok]] = True
    np.minimum.at(know.hi, keys[ok], limit[ok] - 1 + know.bound)
    counts = capped[0].fillna(text.str.extract(COUNT)[0])
    know.figures(zones, Out.CASES_7D, days, counts)


def growth_route(
    know: Knowledge, zones: np.ndarray, days: np.ndarray, growth: pd.Series, week: pd.Series
) -> None:
    """Last week = this week / the growth ratio (as rounded in the table)."""
    ratio = pd.to_numeric(growth.astype(str).str.replace(",", ""), errors="coerce").to_numpy()
    count = pd.to_numeric(week.astype(str).str.replace(",", ""), errors="coerce").to_numpy()
    before = pd.to_datetime(pd.Series(days)) - pd.Timedelta(days=7)
    keys = know.indices(zones, Out.CASES_7D, before.dt.date.to_numpy())
    ok = (keys >= 0) & (ratio > 0.05) & ~np.isnan(count)
    know.seen[keys[ok]] = True
    b = know.bound
    if b == INF:
        return  # the counts it is computed from bound nothing
    low = (count[ok] - 0.5 - b) / (ratio[ok] + 0.05)  # ratios are shown to 1 or 2 decimals
    high = (count[ok] + 0.5 + b) / (ratio[ok] - 0.05)
    np.maximum.at(know.lo, keys[ok], np.ceil(low - 1e-6))
    np.minimum.at(know.hi, keys[ok], np.floor(high + 1e-6))


Relation = tuple[np.ndarray, np.ndarray, np.ndarray]  # totals, rows of parts, parts


def _relation(pairs: list[tuple[int, list[int]]]) -> Relation:
    totals = np.array([t for t, _ in pairs], dtype=np.int64)
    rows = np.repeat(np.arange(len(pairs)), [len(p) for _, p in pairs])
    parts = np.array([q for _, p in pairs for q in p], dtype=np.int64)
    return totals, rows, parts


def exact(know: Knowledge, total: int, parts: list[int], true: np.ndarray) -> bool:
    """The relation holds on the build (the attacker knows the structure, e.g. which children
    a border cell has in the neighbouring province, by reading that province too)."""
    return abs(true[total] - true[parts].sum()) < 1e-6


def region_tree(know: Knowledge, true: np.ndarray) -> Relation:
    """A region's count is the sum of its children's; the country is its provinces'."""
    table = know.build.regions
    kids = table.groupby("parent_code")[Out.REGION_CODE].apply(list).to_dict()
    kids["ID"] = table.loc[table[Out.REGION_LEVEL] == "province", Out.REGION_CODE].tolist()
    pairs = []
    for parent, children in kids.items():
        if parent != "ID" and not str(parent).startswith(PROVINCE):
            continue
        for day in know.build.dates:
            for metric in COUNTS:
                total = know.index(parent, metric, day)
                parts = [know.index(c, metric, day) for c in children]
                if total is not None and None not in parts and exact(know, total, parts, true):
                    pairs.append((total, parts))
    return _relation(pairs)


def h3_tree(know: Knowledge, true: np.ndarray) -> Relation:
    """A cell's count is the sum of its 7 children's at the next finer resolution."""
    import h3

    pairs = []
    built = know.build.config.cells.resolutions
    for name in know.zones:
        if not re.fullmatch(r"[0-9a-f]{15}", name) or cells.resolution_of(name) + 1 not in built:
            continue
        children = h3.cell_to_children(name, cells.resolution_of(name) + 1)
        for day in know.build.dates:
            for metric in COUNTS:
                total = know.index(name, metric, day)
                parts = [know.index(c, metric, day) for c in children]
                parts = [p for p in parts if p is not None]  # never active: no case at all
                if exact(know, total, parts, true):
                    pairs.append((total, parts))
    return _relation(pairs)


def windows(know: Knowledge, true: np.ndarray) -> Relation:
    """7-day = its 7 days (nothing before the first day); 14-day = this week + last week."""
    n_zones, n_days = len(know.zones), len(know.days)
    block = n_zones * n_days
    z, d = np.divmod(np.arange(block), n_days)
    base = z * n_days
    totals, rows, parts = [], [], []
    row = 0
    for metric, offsets in ((Out.CASES_7D, range(7)), (Out.CASES_14D, (0, 7))):
        source = 0 if metric == Out.CASES_7D else 1  # new cases, or 7-day counts
        for offset in offsets:
            ok = d - offset >= 0
            rows.append(row + np.flatnonzero(ok))
            parts.append(source * block + base[ok] + d[ok] - offset)
        totals.append(COUNTS.index(metric) * block + np.arange(block))
        row += block
    return np.concatenate(totals), np.concatenate(rows), np.concatenate(parts)


ROUTES: list[Callable[[Knowledge, np.ndarray], Relation]] = [region_tree, h3_tree, windows]


def propagate(know: Knowledge, relations: list[Relation], rounds: int = 30) -> int:
    """Interval propagation over every ``total = sum(parts)`` until nothing narrows."""
    lo, hi = know.lo, know.hi
    for n in range(1, rounds + 1):
        before = (lo.copy(), hi.copy())
        for totals, rows, parts in relations:
            size = len(totals)
            infinite = np.isinf(hi[parts])
            finite_hi = np.where(infinite, 0.0, hi[parts])
            sum_lo = np.bincount(rows, lo[parts], minlength=size)
            sum_hi = np.bincount(rows, finite_hi, minlength=size)
            n_inf = np.bincount(rows, infinite, minlength=size)
            np.maximum.at(lo, totals, np.ceil(sum_lo - 1e-6))
            np.minimum.at(hi, totals, np.where(n_inf > 0, INF, np.floor(sum_hi + 1e-6)))
            others_hi = np.where(
                n_inf[rows] == 0,
                sum_hi[rows] - finite_hi,
                np.where((n_inf[rows] == 1) & infinite, sum_hi[rows], INF),
            )
            others_lo = sum_lo[rows] - lo[parts]
            np.maximum.at(lo, parts, np.ceil(lo[totals][rows] - others_hi - 1e-6))
            np.minimum.at(hi, parts, np.floor(hi[totals][rows] - others_lo + 1e-6))
        np.maximum(lo, 0, out=lo)
        if np.array_equal(before[0], lo) and np.array_equal(before[1], hi):
            return n
    return rounds


# --- the truth, to count what was hidden and what was recovered --------------------------------


def truth(know: Knowledge) -> np.ndarray:
    """The true count of every variable, from the build's tables."""
    build = know.build
    out = np.zeros(len(know.lo))
    frames = (
        (pd.read_parquet(build.path / "cells_daily.parquet"), Out.CELL),
        (pd.read_parquet(build.path / "regions_daily.parquet"), Out.REGION_CODE),
    )
    for frame, zone in frames:
        z = frame[zone].astype(str).map(know.zones).to_numpy()
        d = pd.to_datetime(frame[Out.DATE]).dt.date.map(know.days).to_numpy()
        for metric in COUNTS:
            keys = (COUNTS.index(metric) * len(know.zones) + z) * len(know.days) + d
            out[keys.astype(np.int64)] = frame[metric].to_numpy(float)
        if zone == Out.REGION_CODE:
            provinces = frame[frame[Out.REGION_LEVEL] == "province"]
            for metric in COUNTS:
                summed = provinces.groupby(Out.DATE)[metric].sum()
                for day, value in summed.items():
                    out[know.index("ID", metric, pd.Timestamp(day).date())] = value
    return np.rint(out)


def published(know: Knowledge, keys: np.ndarray, true: np.ndarray) -> np.ndarray:
    """What the method publishes for each key (NaN: "< k"), by :func:`geo.privacy.publish`."""
    from geo.privacy import publish

    names = np.array(list(know.zones), dtype=object)
    zone = np.divmod(keys, len(know.days))[0] % len(know.zones)
    return publish(true[keys], names[zone], know.build.config.privacy)


def nonconforming(know: Knowledge, true: np.ndarray) -> int:
    """Public figures that are not what the method publishes: a path around the layer."""
    if know.bound == 0:
        return 0  # suppression: exact counts, which the attacker used as such
    keys = np.concatenate([k for k, _ in know.counts])
    shown = np.concatenate([v for _, v in know.counts])
    expected = published(know, keys, true)
    bad = ~((np.isnan(shown) & np.isnan(expected)) | (shown == expected))
    rate_keys = np.array([k for k, _, _ in know.rates], dtype=np.int64)
    rate = np.array([r for _, r, _ in know.rates])
    count = published(know, rate_keys, true) * 1e5 / np.array([p for _, _, p in know.rates])
    off = ~((np.isnan(rate) & np.isnan(count)) | (np.abs(rate - count) <= 0.05 + 1e-9))
    return int(bad.sum() + off.sum())


def test_no_hidden_count_is_recovered(
    province: buildread.Build, tmp_path: Path, record_property
) -> None:
    know = Knowledge(province, zone_names(province))
    calls = read_pages(know)
    files = read_exports(know, tmp_path)
    true = truth(know)
    relations = [route(know, true) for route in ROUTES]
    rounds = propagate(know, relations)
    k = province.min_count
    hidden = know.seen & (true >= 1) & (true <= k - 1)
    pinned = hidden & (know.lo == know.hi)
    recovered = pinned & (know.lo == true)
    wrong = (know.lo > true) | (know.hi < true)
    strays = nonconforming(know, true)
    summary = {
        "method": getattr(province.config.privacy, "method", "suppression"),
        "page_calls": calls,
        "export_files_parsed": files,
        "public_figures_read": know.observations,
        "routes": [route.__name__ for route in ROUTES] + ["reasons", "growth", "rates"],
        "relations": int(sum(len(r[0]) for r in relations)),
        "rounds": rounds,
        "hidden_values_tried": int(hidden.sum()),
        "pinned": int(pinned.sum()),
        "recovered": int(recovered.sum()),
        "figures_not_as_published": strays,
    }
    for name, value in summary.items():
        record_property(name, value)
    print("attack summary:", json.dumps(summary))
    assert not wrong.any()  # the attacker's knowledge is true: its routes are sound
    assert strays == 0  # every public figure went through geo.privacy
    assert know.observations > 10_000
    assert hidden.sum() > 500
    assert recovered.sum() == 0
    assert pinned.sum() == 0


def test_the_attacker_pins_what_suppression_leaks(province: buildread.Build) -> None:
    # Exact counts (suppression): parent 12 = A ("< 10") + B 10 pins A at 2; with the method's
    # unbounded noise the same figures pin nothing.
    for bound, hidden, pinned in ((0.0, (1.0, 9.0), 2.0), (INF, (0.0, INF), None)):
        know = Knowledge(province, ["P", "A", "B"])
        know.bound, know.hidden = bound, hidden
        day = province.dates[0]
        names = np.array(["P", "A", "B"], dtype=object)
        know.figures(names, Out.CASES_7D, np.array([day] * 3), pd.Series(["12", "< 10", "10"]))
        total, a, b = (know.index(z, Out.CASES_7D, day) for z in ("P", "A", "B"))
        propagate(know, [_relation([(total, [a, b])])])
        assert (know.lo[a] == know.hi[a] == pinned) if pinned else know.hi[a] == INF


def test_a_figure_around_the_privacy_layer_is_caught(province: buildread.Build) -> None:
    know = Knowledge(province, zone_names(province))
    exact = buildread.region_rows(province, regions_of(province))  # as if a page read the build
    days = pd.to_datetime(exact[Out.DATE]).dt.date.to_numpy()
    know.figures(exact[Out.REGION_CODE].to_numpy(), Out.CASES_7D, days, exact[Out.CASES_7D])
    assert nonconforming(know, truth(know)) > len(exact) // 2
