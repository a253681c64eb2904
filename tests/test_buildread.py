"""Opening a build and reading the rows of one view, on the tiny build of ``tiny_build.py``.

On 10 Jul 2021 the tiny build has 12 cases in 7 days at Monas (village 31.71.01.1001) and 3 in
Cideng (31.71.01.1002); k = 10. The public reads published counts (``geo.privacy``, under the
run's fixed key of ``conftest.py``): Monas's cell reads 12 (its noise is 0), Cideng's "< 10".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tiny_build import XSS_VILLAGE

from geo import buildread
from geo.buildread import Build
from geo.columns import Out
from geo.errors import BuildError

DAY = dt.date(2021, 7, 10)


@pytest.fixture(scope="session")
def tiny(tiny_build_dir: Path) -> Build:
    return buildread.open_build(tiny_build_dir)


def test_open_build_reads_dates_config_and_regions(tiny: Build) -> None:
    assert tiny.dates == (dt.date(2021, 7, 8), dt.date(2021, 7, 9), DAY)
    assert tiny.min_count == 10
    assert tiny.regions.loc[XSS_VILLAGE[0], "name"] == XSS_VILLAGE[1]


def test_open_build_without_a_build_says_so(tmp_path: Path) -> None:
    with pytest.raises(
        BuildError, match=r"no complete PantauZona build at .* \(missing manifest\.json"
    ):
        buildread.open_build(tmp_path)


def test_cells_in_reads_one_region_resolution_and_day(tiny: Build) -> None:
    cells = buildread.cells_in(tiny, DAY, "31.71.01", 9)
    assert set(cells["resolution"]) == {9}
    assert set(cells["district_code"]) == {"31.71.01"}
    assert sorted(cells["cases_7d"]) == [3.0, 12.0]
    # Bandung's 2 region-coded cases are spread over its cells by population.
    bandung = buildread.cells_in(tiny, DAY, "32.73", 9)
    assert bandung["cases_7d"].sum() == pytest.approx(2)
    assert set(bandung["regency_code"]) == {"32.73"}


def test_regions_on_lists_children_with_names(tiny: Build) -> None:
    villages = buildread.regions_on(tiny, DAY, "31.71.01")
    assert len(villages) == 6
    by_code = villages.set_index("region_code")
    assert by_code.loc[XSS_VILLAGE[0], "name"] == XSS_VILLAGE[1]
    assert by_code.loc[XSS_VILLAGE[0], "cases_7d"] == 12
    assert len(buildread.regions_on(tiny, DAY, None)) == 38


def test_the_week_before_is_read_as_the_audience_reads_it(tiny: Build) -> None:
    table = buildread.cells_in(tiny, DAY, "31.71.01", 9)  # Monas and Cideng
    assert np.isnan(
        buildread.week_before(tiny, table, audience="official")
    ).all()  # 3 Jul: no build
    longer = dataclasses.replace(tiny, dates=tuple(dt.date(2021, 7, d) for d in range(3, 11)))
    assert buildread.week_before(longer, table, audience="official").tolist() == [0.0, 0.0]  # quiet
    assert np.isnan(buildread.week_before(longer, table, audience="public")).all()  # 0 < k
    monas = buildread.cells_in(tiny, dt.date(2021, 7, 8), "31.71.01", 9)  # 4 cases on 8 Jul
    later = monas.assign(**{Out.DATE: pd.Timestamp(2021, 7, 15)})  # as if read a week on
    assert buildread.week_before(tiny, later, audience="official").tolist() == [4.0]
    regions = buildread.region_rows(tiny, ["31.71.01", "31.71"], DAY)
    assert np.isnan(buildread.week_before(tiny, regions, audience="public")).all()
