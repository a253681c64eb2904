"""Which regions reported on which days: the coverage of the case feed.

A *report* is an accepted case row. A region-coded row covers its region on its date, a count
of 0 included (a reported zero is a report; a region with no row reported nothing). A located
case (a point) covers the province it lies in on its date: point line lists are kept and sent
per province, so a province that sent any located case that day reported that day.

A region is *covered* on a day when it, or one of its ancestors, reported that day: a province
total speaks for every kecamatan in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.columns import Out
from geo.regions import ancestors, codes_of

#: Columns of :func:`report_days`.
REPORT_COLUMNS = ["region_code", "date"]


def report_days(cases: pd.DataFrame) -> pd.DataFrame:
    """The distinct (region, day) reports of accepted case rows, ordered by code and date.

    Parameters
    ----------
    cases
        Accepted cases (:func:`geo.validate.validate_cases`): ``date``, ``poly`` (index of the
        finest polygon of a located case, -1 otherwise) and ``region_code`` (of a coded case).

    Returns
    -------
    DataFrame
        ``region_code, date``: one row per region and day that was reported.
    """
    coded = cases["poly"].to_numpy() < 0
    parts = [
        pd.DataFrame({"region_code": cases["region_code"][coded], "date": cases["date"][coded]})
    ]
    located = cases[~coded]
    if len(located):
        polys = np.unique(located["poly"].to_numpy())
        province = codes_of(polys)[Out.PROVINCE_CODE].to_numpy()
        of_poly = pd.Series(province, index=polys)
        parts.append(
            pd.DataFrame(
                {
                    "region_code": of_poly.reindex(located["poly"].to_numpy()).to_numpy(),
                    "date": located["date"].to_numpy(),
                }
            )
        )
    every = pd.concat(parts, ignore_index=True).astype({"region_code": str})
    every = every.drop_duplicates().sort_values(REPORT_COLUMNS, ignore_index=True)
    return every[REPORT_COLUMNS]


def covering(code: str) -> list[str]:
    """The codes whose reports cover ``code``: itself and its ancestors, coarse to fine."""
    return list(ancestors(code))[::-1]
