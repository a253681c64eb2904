"""``python -m benchmarks.dashboard``: how fast the dashboard answers, on the national sample build.

Three figures, each against its target:

* server-side time of each drill-down and date change of a scripted sequence (country down to a
  district of Bandung, and down to a village of Jakarta, three dates at each level): the ``geo``
  calls ``dashboard/data.py`` makes for the risk map page, made directly, without Streamlit's
  caches (the open build and ``geo``'s reference tables stay loaded, as in a running server),
  plus rendering the folium map of ``dashboard/mapview.py``; median and p95 against 1 s;
* the map's payload: the folium HTML of each view (GeoJSON included), against 2 MB; with
  ``--provinces``, of every province on the build's last date, for the public and officials,
  beside the estimate :func:`geo.zones.map_resolution` chose the resolution by;
* in headless Chromium on a warm server, the time from requesting the page to the first zone
  drawn in the map's iframe, median of 5 fresh page loads, against 3 s.

Needs ``make sample`` (and ``make chromium static`` for the browser figure). Prints Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks import st_server
from dashboard import mapview
from geo import zones
from geo.columns import Out
from geo.privacy import OFFICIAL, PUBLIC
from geo.regions import ancestors

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build" / "sample"
SEQUENCES = (
    (None, "32", "32.73", "32.73.01"),
    (None, "31", "31.71", "31.71.01", "31.71.01.1001"),
)
#: Days back from the build's last date: the drill-down lands on the first, then the date changes.
DAYS_BACK = (0, 7, 28)
TARGET_VIEW_S = 1.0
TARGET_PAYLOAD_MB = 2.0
TARGET_FIRST_PATH_S = 3.0
PAGE_LOADS = 5
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def view_work(
    build: zones.Build, day: dt.date, code: str | None, lang: str = "id", audience: str = PUBLIC
) -> dict:
    """What one run of the risk map page asks of ``geo``: map layers, summary, selectors, names."""
    hexagons = zones.zones_geojson(build, day, code, audience=audience, lang=lang)
    outlines = zones.outlines_geojson(build, code)
    bounds = zones.populated_bounds(build, code)
    resolution = zones.map_resolution(build, code)
    zones.region_summary(build, day, code, audience=audience, lang=lang)
    path = list(reversed(ancestors(code))) if code else []
    for parent in [None, *path]:
        zones.children_of(build, parent)  # one selector per level
    [build.regions.at[c, "name"] for c in path]  # the breadcrumb
    return {"hexagons": hexagons, "outlines": outlines, "bounds": bounds, "resolution": resolution}


def map_html(layers: dict, lang: str = "id") -> str:
    """The folium map of one view, as ``dashboard/mapview.py`` builds it, rendered to HTML."""
    fmap = mapview.build_map(
        layers["hexagons"], bounds=layers["bounds"], lang=lang, outlines=layers["outlines"]
    )
    return fmap.get_root().render()


def measure_views(build: zones.Build) -> list[dict]:
    """Time every step of :data:`SEQUENCES`, each view computed from scratch."""
    last = build.dates[-1]
    rows = []
    for sequence in SEQUENCES:
        for code in sequence:
            for n, back in enumerate(DAYS_BACK):
                day = last - dt.timedelta(days=back)
                started = time.perf_counter()
                layers = view_work(build, day, code)
                geo_s = time.perf_counter() - started
                html = map_html(layers)
                total_s = time.perf_counter() - started
                geojson = json.dumps(layers["hexagons"]) + json.dumps(layers["outlines"])
                rows.append(
                    {
                        "step": "drill-down" if n == 0 else "date change",
                        "region": code or "Indonesia",
                        "day": day.isoformat(),
                        "resolution": layers["resolution"],
                        "zones": len(layers["hexagons"]["features"]),
                        "geo_s": geo_s,
                        "total_s": total_s,
                        "html_mb": len(html.encode()) / 1e6,
                        "geojson_mb": len(geojson.encode()) / 1e6,
                    }
                )
    return rows


def measure_provinces(build: zones.Build) -> list[dict]:
    """The map payload of every province on the build's last date, for each audience."""
    day = build.dates[-1]
    rows = []
    for code in zones.children_of(build, None)[Out.REGION_CODE]:
        for audience in (PUBLIC, OFFICIAL):
            layers = view_work(build, day, code, audience=audience)
            resolution = layers["resolution"]
            rows.append(
                {
                    "region": code,
                    "audience": audience,
                    "resolution": resolution,
                    "zones": len(layers["hexagons"]["features"]),
                    "html_mb": len(map_html(layers).encode()) / 1e6,
                    "estimate_mb": zones.payload_estimate(build, code, resolution) / 1e6,
                }
            )
    return rows


def report_provinces(rows: list[dict]) -> None:
    print("### Map payload of every province (last date)\n")
    print("| province | audience | res | zones | HTML (MB) | estimate (MB) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['region']} | {r['audience']} | {r['resolution']} | {r['zones']:,} | "
            f"{r['html_mb']:.2f} | {r['estimate_mb']:.2f} |"
        )
    worst = max(rows, key=lambda r: r["html_mb"])
    under = sum(r["html_mb"] <= r["estimate_mb"] for r in rows)
    print(
        f"\nmax {worst['html_mb']:.2f} MB ({worst['region']}, {worst['audience']}) against "
        f"{TARGET_PAYLOAD_MB:.0f} MB: {_ok(worst['html_mb'], TARGET_PAYLOAD_MB)}; "
        f"the estimate bounds the payload in {under} of {len(rows)} views"
    )


# --- The browser figure -------------------------------------------------------------------------


def first_path_times(build: Path, links: dict[str, str]) -> dict[str, list[float]]:
    """Seconds from requesting each link to its first zone path, ``PAGE_LOADS`` fresh loads each."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {}
    with st_server.serve(build) as (url, _pid), sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for name, link in links.items():
            _load(chromium, url + link)  # warm the server's caches for this view
            times[name] = [_load(chromium, url + link) for _ in range(PAGE_LOADS)]
        chromium.close()
    return times


def _load(chromium: object, url: str) -> float:
    context = chromium.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    frame = page.frame_locator("iframe[title*='st_folium']")
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=120_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


# --- Report -------------------------------------------------------------------------------------


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def _ok(value: float, target: float) -> str:
    return "yes" if value <= target else "**no**"


def report(rows: list[dict], cold: dict, loads: dict[str, list[float]] | None) -> None:
    print("### Each view (server side, Streamlit caches bypassed)\n")
    print(
        "| step | region | date | res | zones | geo (ms) | + folium (ms) | HTML (MB) | GeoJSON (MB) |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['step']} | {r['region']} | {r['day']} | {r['resolution'] or 'regencies'} | "
            f"{r['zones']:,} | {1000 * r['geo_s']:.0f} | {1000 * r['total_s']:.0f} | "
            f"{r['html_mb']:.2f} | {r['geojson_mb']:.2f} |"
        )
    totals = [r["total_s"] for r in rows]
    html = [r["html_mb"] for r in rows]
    print("\n### Against the targets\n")
    print("| figure | median | p95 / max | target | met |")
    print("| --- | ---: | ---: | ---: | :---: |")
    print(
        f"| view time, server side ({len(rows)} views) | {statistics.median(totals):.2f} s | "
        f"p95 {_p95(totals):.2f} s | 1 s | {_ok(_p95(totals), TARGET_VIEW_S)} |"
    )
    print(
        f"| first view after start (open build + reference tables + country map) | "
        f"{cold['seconds']:.2f} s | — | — | — |"
    )
    print(
        f"| map HTML payload incl. GeoJSON | {statistics.median(html):.2f} MB | "
        f"max {max(html):.2f} MB | 2 MB | {_ok(max(html), TARGET_PAYLOAD_MB)} |"
    )
    if loads is None:
        print("| request to first map path (Chromium) | not run | — | 3 s | — |")
        return
    for name, values in loads.items():
        median = statistics.median(values)
        print(
            f"| request to first map path, {name} (Chromium, warm, n={len(values)}) | "
            f"{median:.2f} s | max {max(values):.2f} s | 3 s | {_ok(median, TARGET_FIRST_PATH_S)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard")
    parser.add_argument("--build", type=Path, default=BUILD)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figure")
    parser.add_argument(
        "--provinces", action="store_true", help="only the map payload of every province"
    )
    args = parser.parse_args()
    if not (args.build / "manifest.json").is_file():
        sys.exit(f"No build at {args.build}: run `make sample` first.")
    if args.provinces:
        report_provinces(measure_provinces(zones.open_build(args.build)))
        return
    started = time.perf_counter()
    build = zones.open_build(args.build)
    map_html(view_work(build, build.dates[-1], None))
    cold = {"seconds": time.perf_counter() - started}
    rows = measure_views(build)
    loads = None
    if not args.no_browser:
        if shutil.which("chromium") is None:
            print("chromium is not installed (`make chromium`): browser figure skipped\n")
        else:
            links = {
                "country (default view)": "/",
                "district 32.73.01 (deep link)": "/?region=32.73.01",
            }
            loads = first_path_times(args.build.resolve(), links)
    report(rows, cold, loads)


if __name__ == "__main__":
    main()
