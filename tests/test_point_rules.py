"""The rules of a row's point (geo.point_rules), run by the engine on a file of points."""

from __future__ import annotations

import numpy as np
from pipeline_fixtures import GAMBIR, write

from geo.point_rules import point_rules, point_values, polygons
from geo.readers import read_input
from geo.rules import run_rules

POINTS = f"""\
id,lat,lon
a,{GAMBIR[0]},{GAMBIR[1]}
b,,106.8
c,x,106.8
d,106.8,-6.2
e,50,200
f,0,0
g,1.29,103.85
h,{GAMBIR[0]},{GAMBIR[1]}
i,,
"""


def _run(tmp_path, use=None):
    raw = read_input(write(tmp_path / "p.csv", POINTS), ("id",), label="points")
    every = np.ones(len(raw.frame), bool) if use is None else use
    return run_rules(raw, point_rules(every))


def test_each_point_is_quarantined_by_its_first_problem(tmp_path):
    run = _run(tmp_path)
    q = run.quarantine()
    assert q[["row", "column", "check", "value"]].values.tolist() == [
        [3, "lat", "missing", ""],
        [4, "lat", "unparseable", "x"],
        [5, "lat", "swapped", "106.8"],
        [6, "lon", "out_of_range", "200"],
        [7, "lat", "null_island", "0"],
        [8, "lat", "outside_indonesia", "1.29"],
        [10, "lat", "missing", ""],
    ]
    assert q["reason"].tolist()[2] == "latitude and longitude look swapped? (lat is ~95..141)"
    assert q["reason"].tolist()[5] == "the point is outside Indonesia's regions"
    poly = polygons(run)
    assert (poly[[0, 7]] >= 0).all()
    assert poly[0] == poly[7]
    assert run.alive.sum() + len(q) == 9


def test_rows_without_a_point_are_left_to_other_rules(tmp_path):
    use = np.array([True] * 8 + [False])
    run = _run(tmp_path, use)
    assert 10 not in run.quarantine()["row"].tolist()
    assert polygons(run)[8] == -1


def test_a_point_value_is_written_as_read_into_numbers(tmp_path):
    run = _run(tmp_path)
    assert point_values(run, np.array([0, 3])).tolist() == ["-6.17505,106.82661", "106.8,-6.2"]
