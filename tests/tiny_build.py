"""A tiny build for the dashboard and view tests: a handful of cases in Gambir, Jakarta Pusat.

Built once per test session, in a subprocess whose ``PANTAUZONA_DATA`` is a copy of ``data/``
where two region names are hostile (so they flow through the real build into the dashboard):

* village ``31.71.01.1001`` (Gambir) is named ``<img src=x onerror=alert(1)>``;
* regency ``31.73`` (Jakarta Barat) is named ``${alert(1)}``.

Cases (``today`` 2026-01-01), all in July 2021:

* 12 at Monas (village 31.71.01.1001) on 8-10 Jul: 4 a day;
* 3 in Cideng (31.71.01.1002) on 10 Jul: 3 < k = 10, so the public reads "< 10";
* 2 coded to Kota Bandung (32.73) on 9 Jul, with no point.

One venue at Monas, named ``<img src=x onerror=alert(1)>``, has 5 check-ins on 9 Jul.

``make_partial_build`` is the partial day of issue 8: a day on which one city alone reported.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
XSS_VILLAGE = ("31.71.01.1001", "<img src=x onerror=alert(1)>")
XSS_REGENCY = ("31.73", "${alert(1)}")
MONAS = (-6.1754, 106.8272)
CIDENG = (-6.1700, 106.8080)
LAST_DAY = "2021-07-10"


def _cases() -> str:
    rows = ["case_id,reported_date,lat,lon,region_code"]
    n = 0
    for day in ("08", "09", "10"):
        for _ in range(4):
            n += 1
            rows.append(f"M{n:02d},2021-07-{day},{MONAS[0]},{MONAS[1]},")
    rows += [f"C{i},2021-07-10,{CIDENG[0]},{CIDENG[1]}," for i in range(1, 4)]
    rows += ["B1,2021-07-09,,,32.73", "B2,2021-07-09,,,32.73"]
    return "\n".join(rows) + "\n"


VENUES = textwrap.dedent(
    f"""\
    venue_id,name,category,lat,lon
    v1,"<img src=x onerror=alert(1)>",shopping_centre,{MONAS[0]},{MONAS[1]}
    """
)
CHECKINS = "checkin_id,venue_id,checked_in_at\n" + "".join(
    f"k{i},v1,2021-07-09 10:0{i}:00\n" for i in range(5)
)


def hostile_data(folder: Path) -> Path:
    """A copy of ``data/`` (symbolic links) whose ``regions.csv`` carries the hostile names."""
    source = REPO / "data"
    for path in source.rglob("*"):
        target = folder / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.name != "regions.csv":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    with (source / "regions" / "regions.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = dict([XSS_VILLAGE, XSS_REGENCY])
    for row in rows:
        row["name"] = names.get(row["code"], row["name"])
    with (folder / "regions" / "regions.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


#: The partial-day build: Jakarta Pusat (1,057,270 people) and Kota Bandung (2,591,763) report
#: one case each every day from 13 Jun to 10 Jul 2021 (28 days); on 11 Jul Kota Bandung alone
#: adds 8 cases: 2,591,763 of 3,649,033 expected = 71 %, below 90 %: incomplete.
PARTIAL_LAST_DAY = "2021-07-11"
PARTIAL_COMPLETE_DAY = "2021-07-10"


def _partial_cases() -> str:
    rows = ["case_id,reported_date,lat,lon,region_code"]
    for n in range(28):
        day = f"2021-06-{13 + n:02d}" if n < 18 else f"2021-07-{n - 17:02d}"
        rows += [f"P{n},{day},,,31.71", f"B{n},{day},,,32.73"]
    rows += [f"X{i},{PARTIAL_LAST_DAY},,,32.73" for i in range(8)]
    return "\n".join(rows) + "\n"


def make_partial_build(folder: Path) -> Path:
    """Build the partial-day cases (no check-ins) into ``folder / "partial"`` (once)."""
    out = folder / "partial"
    if (out / "manifest.json").is_file():
        return out
    folder.mkdir(parents=True, exist_ok=True)
    cases = folder / "partial_cases.csv"
    cases.write_text(_partial_cases(), encoding="utf-8")
    script = (
        "import datetime as dt, sys; from geo.build import build; "
        "build(sys.argv[1], None, None, sys.argv[2], today=dt.date(2026, 1, 1))"
    )
    subprocess.run([sys.executable, "-c", script, str(cases), str(out)], cwd=REPO, check=True)
    return out


def make_tiny_build(folder: Path) -> Path:
    """Write the inputs and build them into ``folder / "build"`` (once per folder)."""
    out = folder / "build"
    if (out / "manifest.json").is_file():
        return out
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    (inputs / "cases.csv").write_text(_cases(), encoding="utf-8")
    (inputs / "venues.csv").write_text(VENUES, encoding="utf-8")
    (inputs / "checkins.csv").write_text(CHECKINS, encoding="utf-8")
    env = {**os.environ, "PANTAUZONA_DATA": str(hostile_data(folder / "data"))}
    script = (
        "import datetime as dt, sys; from geo.build import build; "
        "build(*sys.argv[1:5], today=dt.date(2026, 1, 1))"
    )
    files = [str(inputs / name) for name in ("cases.csv", "checkins.csv", "venues.csv")]
    subprocess.run([sys.executable, "-c", script, *files, str(out)], cwd=REPO, env=env, check=True)
    return out
