"""``python -m benchmarks.dashboard``: how fast the dashboard answers, on the national sample build.

Three figures, each against its target:

* server-side time of each drill-down and date change of a scripted sequence (country down to a
  district of Bandung, and down to a village of Jakarta, three dates at each level): the
  :mod:`geo.views` calls the risk map page makes through ``dashboard/data.py``, made directly,
  without Streamlit's caches (the open build and ``geo``'s reference tables stay loaded, as in
  a running server),
  plus rendering the folium map of ``dashboard/mapview.py``; median and p95 against 1 s;
* the map's payload: the folium HTML of each view (GeoJSON included), against 2 MB; with
  ``--provinces``, of every province on the build's last date, for the public and officials,
  beside the estimate :func:`geo.mapshapes.map_resolution` chose the resolution by;
* in headless Chromium on a warm server (:func:`browser_times`), the issue's figures: first map
  (a fresh page's request to the map's zones drawn) against 2 s, drill-down (a mouse click on
  a zone) and date change (the date slider moved with the keyboard), each from the input to the
  new map's zones drawn, against 1 s; min / median / max over ``--runs`` rounds, with the load
  average of the machine and the part spent in the server's script run.

Needs ``make sample`` (and ``make chromium static`` for the browser figure). Prints Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks import st_server
from dashboard import mapview
from geo import compose, mapshapes, views
from geo.regions import ancestors
from geo.views import OFFICIAL, PUBLIC, Build, MapLayers

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
TARGET_FIRST_MAP_S = 2.0
TARGET_INTERACTION_S = 1.0
RUNS = 5
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def view_work(
    build: Build, day: dt.date, code: str | None, lang: str = "id", audience: str = PUBLIC
) -> MapLayers:
    """What one run of the risk map page asks of :mod:`geo.views` (``dashboard/data.py``'s
    ``map_layers``, ``summary``, ``children`` and ``region_name``): map layers, summary, one
    selector per level and the breadcrumb's names."""
    layers = views.map_layers(build, day, code, audience=audience, lang=lang)
    views.region_summary(build, day, code, audience=audience, lang=lang)
    path = list(reversed(ancestors(code))) if code else []
    for parent in [None, *path]:
        views.children(build, parent)  # one selector per level
    [build.regions.at[c, "name"] for c in path]  # the breadcrumb
    return layers


def load_grids(build: Build) -> None:
    """Read the population grids, as the first map below the country level does once per server
    process (:func:`geo.compose.grid_of`); timed apart so that no view's figure carries it."""
    for resolution in build.config.cells.resolutions:
        compose.grid_of(build, resolution)


def map_html(layers: MapLayers, lang: str = "id") -> str:
    """The folium map of one view, as ``dashboard/mapview.py`` builds it, rendered to HTML."""
    fmap = mapview.build_map(
        layers.hexagons, bounds=layers.bounds, lang=lang, outlines=layers.outlines
    )
    return fmap.get_root().render()


def view_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates of :data:`DAYS_BACK` from ``last``, none before ``first``: a build shorter than
    the look-back (a 14-day national build) opens its first date instead."""
    return [max(first, last - dt.timedelta(days=back)) for back in DAYS_BACK]


def measure_views(build: Build) -> list[dict]:
    """Time every step of :data:`SEQUENCES`, each view computed from scratch."""
    days = view_days(build.dates[0], build.dates[-1])
    rows = []
    for sequence in SEQUENCES:
        for code in sequence:
            for n, day in enumerate(days):
                started = time.perf_counter()
                layers = view_work(build, day, code)
                geo_s = time.perf_counter() - started
                html = map_html(layers)
                total_s = time.perf_counter() - started
                geojson = json.dumps(layers.hexagons) + json.dumps(layers.outlines)
                rows.append(
                    {
                        "step": "drill-down" if n == 0 else "date change",
                        "region": code or "Indonesia",
                        "day": day.isoformat(),
                        "resolution": layers.resolution,
                        "zones": len(layers.hexagons["features"]),
                        "geo_s": geo_s,
                        "total_s": total_s,
                        "html_mb": len(html.encode()) / 1e6,
                        "geojson_mb": len(geojson.encode()) / 1e6,
                    }
                )
    return rows


def measure_provinces(build: Build) -> list[dict]:
    """The map payload of every province on the build's last date, for each audience."""
    day = build.dates[-1]
    rows = []
    for code in [code for code, _ in views.children(build, None)]:
        for audience in (PUBLIC, OFFICIAL):
            layers = view_work(build, day, code, audience=audience)
            resolution = layers.resolution
            rows.append(
                {
                    "region": code,
                    "audience": audience,
                    "resolution": resolution,
                    "zones": len(layers.hexagons["features"]),
                    "html_mb": len(map_html(layers).encode()) / 1e6,
                    "estimate_mb": mapshapes.payload_estimate(build, code, resolution) / 1e6,
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


# --- The browser figures -----------------------------------------------------------------------

#: The zone paths of a map drawn since the last mark (a rerun replaces the iframe's document).
NEW_MAP = "html:not([data-pz-old]) path.leaflet-interactive"
#: In the map's iframe: the on-screen centre of the largest zone that opens a region on a click.
_ZONE_POINT = """() => {
    let best = null, area = 0;
    window.map.eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (!props || !props.code || !layer.getElement) { return; }
        const r = layer.getElement().getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (r.width * r.height > area && document.elementFromPoint(x, y) === layer.getElement()) {
            best = {x: x, y: y}; area = r.width * r.height;
        }
    });
    return best;
}"""
#: In the page: record when each script run finishes (Date.now(), comparable across frames).
_WATCH_RUNS = """() => {
    window.__pzFinished = [];
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') === 'notRunning') {
            window.__pzFinished.push(Date.now());
        }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    return Date.now();
}"""


def browser_times(build: Path, runs: int) -> dict[str, list[dict[str, float]]]:
    """In headless Chromium on a warm server: ``runs`` of each figure the issue names.

    * first map: a fresh page (new context, empty browser cache) requests the country view;
      timed to the map's zone paths in its iframe (Leaflet draws a GeoJSON layer's paths at
      once);
    * drill-down: a mouse click on the largest regency of that map, timed to the new map's paths;
    * date change: the date slider moved one day back with the keyboard, timed the same way.

    The server is warm (build, reference tables and one round of views loaded, unmeasured), but
    each round opens another date (two days apart, back from the build's last), so no measured
    view is in Streamlit's cache: the figures are a visitor's first look at each view. Each
    interaction also reports when the server's script run finished (the page's
    ``data-test-script-state`` back to ``notRunning``); the rest is the browser mounting the
    new map component, parsing its HTML and drawing the layer.
    """
    from playwright.sync_api import sync_playwright

    last = views.open_build(build).dates[-1]
    warm = last - dt.timedelta(days=2 * runs + 2)  # a date no measured round opens
    days = [warm] + [last - dt.timedelta(days=2 * n) for n in range(runs)]
    times: dict[str, list[dict[str, float]]] = {
        "first map": [],
        "drill-down": [],
        "date change": [],
    }
    with st_server.serve(build) as (url, _pid), sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for run, day in enumerate(days):
            sample = _interactions(chromium, f"{url}/?lang=id&date={day.isoformat()}")
            if run:
                for name, figure in sample.items():
                    times[name].append(figure)
        chromium.close()
    return times


def _interactions(chromium: object, link: str) -> dict[str, dict[str, float]]:
    context = chromium.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    started = time.perf_counter()
    page.goto(link)
    _wait_new_map(page)
    out = {"first map": {"total_s": time.perf_counter() - started}}
    _idle(page)
    out["drill-down"] = _timed(page, lambda: _click_zone(page))
    out["date change"] = _timed(page, lambda: _slider_back(page))
    context.close()
    return out


def _idle(page: object) -> None:
    app = page.get_by_test_id("stApp")  # type: ignore[attr-defined]
    deadline = time.perf_counter() + 120
    while app.get_attribute("data-test-script-state") != "notRunning":
        if time.perf_counter() > deadline:
            msg = "the app did not finish its run within 120 s"
            raise TimeoutError(msg)
        page.wait_for_timeout(50)  # type: ignore[attr-defined]


def _map_frames(page: object) -> list:
    """The frames of the map component (during a rerun the old one and the new one)."""
    return [f for f in page.frames if "st_folium" in f.url]  # type: ignore[attr-defined]


def _wait_new_map(page: object, timeout_s: float = 120) -> None:
    """Poll, every 10 ms, until a map frame holds zone paths drawn since the last mark."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        for frame in _map_frames(page):
            try:
                if frame.query_selector(NEW_MAP) is not None:
                    return
            except Exception:
                continue
        page.wait_for_timeout(10)  # type: ignore[attr-defined]  # (a sleep would stall Playwright)
    msg = f"no new map drawn within {timeout_s:.0f} s"
    raise TimeoutError(msg)


def _timed(page: object, act: object) -> dict[str, float]:
    """Seconds from ``act`` (a click or key press) to the new map's paths, and to the end of the
    server's run."""
    _wait_new_map(page)
    page.wait_for_timeout(300)  # type: ignore[attr-defined]  # the map's first fit settles
    for frame in _map_frames(page):
        frame.evaluate("() => document.documentElement.setAttribute('data-pz-old', '1')")
    clock = page.evaluate(_WATCH_RUNS)  # type: ignore[attr-defined]
    started = time.perf_counter()
    act()  # type: ignore[operator]
    _wait_new_map(page)
    total = time.perf_counter() - started
    _idle(page)
    finished = page.evaluate("() => window.__pzFinished")  # type: ignore[attr-defined]
    script = (finished[0] - clock) / 1000 if finished else float("nan")
    return {"total_s": total, "script_s": script}


def _click_zone(page: object) -> None:
    (frame,) = _map_frames(page)
    iframe = frame.frame_element()
    iframe.scroll_into_view_if_needed()
    point = frame.evaluate(f"() => ({_ZONE_POINT})()")
    if point is None:
        msg = "no clickable zone on the map"
        raise RuntimeError(msg)
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # type: ignore[attr-defined]


def _slider_back(page: object) -> None:
    thumb = page.get_by_test_id("stSidebar").get_by_role("slider").first  # type: ignore[attr-defined]
    thumb.focus()
    thumb.press("ArrowLeft")


# --- Report -------------------------------------------------------------------------------------


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def _ok(value: float, target: float) -> str:
    return "yes" if value <= target else "**no**"


def report(rows: list[dict], cold: dict) -> None:
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
        f"| population grids read, once per server process (by the first map below the country) | "
        f"{cold['grids_seconds']:.2f} s | — | — | — |"
    )
    print(
        f"| map HTML payload incl. GeoJSON | {statistics.median(html):.2f} MB | "
        f"max {max(html):.2f} MB | 2 MB | {_ok(max(html), TARGET_PAYLOAD_MB)} |"
    )


def report_browser(times: dict[str, list[dict[str, float]]], load: tuple[float, ...]) -> None:
    """The browser figures: min / median / max from the input to the map drawn, and the median
    of the server's script run within it."""
    runs = len(times["first map"])
    print(f"\n### In headless Chromium, 1366 x 900 px, warm server ({runs} runs each)\n")
    print(f"Load average before / after: {load[0]:.2f} / {load[1]:.2f} (1 min).\n")
    print("| figure | min | median | max | of which server run (median) | target | met |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: |")
    for name, target in (
        ("first map", TARGET_FIRST_MAP_S),
        ("drill-down", TARGET_INTERACTION_S),
        ("date change", TARGET_INTERACTION_S),
    ):
        totals = [t["total_s"] for t in times[name]]
        scripts = [t["script_s"] for t in times[name] if "script_s" in t]
        script = f"{statistics.median(scripts):.2f} s" if scripts else "—"
        median = statistics.median(totals)
        print(
            f"| {name} | {min(totals):.2f} s | {median:.2f} s | {max(totals):.2f} s | {script} | "
            f"{target:.0f} s | {_ok(median, target)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard")
    parser.add_argument("--build", type=Path, default=BUILD)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--browser-only", action="store_true", help="only the Chromium figures")
    parser.add_argument("--runs", type=int, default=RUNS, help="rounds of the Chromium figures")
    parser.add_argument(
        "--provinces", action="store_true", help="only the map payload of every province"
    )
    args = parser.parse_args()
    if not (args.build / "manifest.json").is_file():
        sys.exit(f"No build at {args.build}: run `make sample` first.")
    if args.provinces:
        report_provinces(measure_provinces(views.open_build(args.build)))
        return
    if not args.browser_only:
        started = time.perf_counter()
        build = views.open_build(args.build)
        map_html(view_work(build, build.dates[-1], None))
        cold = {"seconds": time.perf_counter() - started}
        started = time.perf_counter()
        load_grids(build)
        cold["grids_seconds"] = time.perf_counter() - started
        report(measure_views(build), cold)
    if args.no_browser:
        return
    if shutil.which("chromium") is None:
        print("\nchromium is not installed (`make chromium`): browser figures skipped")
        return
    before = os.getloadavg()[0]
    times = browser_times(args.build.resolve(), args.runs)
    report_browser(times, (before, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
