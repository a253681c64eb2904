"""A region over time: its daily series, and how its child regions compare.

Read from ``regions_daily`` (dense: every region on every day). The whole country is the sum of
its provinces. The public reads published counts (:mod:`geo.privacy`): a daily count published
below ``k`` is not drawn (its value is missing and its label reads "< k"), the 7-day average and
the rate are the published 7-day count's (missing below ``k``), rankings follow published
rates, and check-ins are left out. Days that no report covers (:mod:`geo.coverage`) are left out
of the case series, not drawn as 0.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo import buildread, completeness
from geo.buildread import Build
from geo.columns import COUNT_METRICS, RISK_STATES, Out
from geo.formats import HIDDEN
from geo.metrics import ratios
from geo.privacy import OFFICIAL, check_audience, display_published, display_rate, public_frame

#: Days of history in a child region's sparkline.
SPARKLINE_DAYS = 28


def _history(build: Build, region_code: str | None) -> pd.DataFrame:
    """Every day of one region (the country: provinces summed, rates recomputed)."""
    if region_code is not None:
        return buildread.region_rows(build, [region_code])
    provinces = buildread.children_of(build, None)[Out.REGION_CODE].tolist()
    rows = buildread.region_rows(build, provinces)
    population = rows[Out.POPULATION].to_numpy(float)
    rows = rows.assign(
        **{
            f"share_population_{state}": rows[f"share_population_{state}"].fillna(0) * population
            for state in RISK_STATES
        }
    )
    shares = [f"share_population_{state}" for state in RISK_STATES]
    summed = rows.groupby(Out.DATE)[[*COUNT_METRICS, Out.POPULATION, *shares]].sum()
    summed[shares] = summed[shares].div(summed[Out.POPULATION], axis=0)
    if Out.COVERED in rows:  # the country has data on a day some province's report covers
        summed[Out.COVERED] = rows.groupby(Out.DATE)[Out.COVERED].any()
    summed = summed.reset_index()
    ratios(summed)  # no region code: published as the country (geo.privacy.COUNTRY)
    return summed


def daily_series(build: Build, region_code: str | None, *, audience: str) -> pd.DataFrame:
    """New cases per day and their 7-day average (and check-ins, for officials).

    Returns
    -------
    DataFrame
        ``date``, ``new_cases``, ``cases_avg_7d``, ``new_cases_label`` (what a tooltip reads)
        and, for officials only, ``checkins``. Public values below ``k`` are missing.
    """
    rows = _history(build, region_code)
    official = check_audience(audience) == OFFICIAL
    shown = rows if official else public_frame(rows, build.config.privacy)
    silent = _silent(rows)
    new_cases = np.where(silent, np.nan, shown[Out.NEW_CASES].to_numpy(float))
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(rows[Out.DATE]).to_numpy(),
            "new_cases": new_cases,
            "cases_avg_7d": np.where(silent, np.nan, shown[Out.CASES_7D].to_numpy(float) / 7),
        }
    )
    if official:
        out["new_cases_label"] = [HIDDEN if np.isnan(v) else f"{v:,.0f}" for v in new_cases]
        out["checkins"] = rows[Out.CHECKINS].to_numpy(float)
        return out
    out["new_cases_label"] = [
        HIDDEN if no else display_published(v, build.min_count)
        for v, no in zip(new_cases, silent, strict=True)
    ]
    return out


def _silent(rows: pd.DataFrame) -> np.ndarray:
    """Days no report covers (before the first report, or after the region fell silent): not
    drawn as 0 cases but left out of the series."""
    if Out.COVERED not in rows:
        return np.zeros(len(rows), dtype=bool)
    return ~rows[Out.COVERED].fillna(True).to_numpy(dtype=bool)


def incomplete_spans(build: Build) -> pd.DataFrame:
    """Runs of consecutive incomplete days (:mod:`geo.completeness`), for shading a chart.

    Returns
    -------
    DataFrame
        ``start`` and ``end`` (``datetime64``): from noon of the day before the run's first
        day to noon of its last day's next day, so the band covers the run's bars, which
        are centred on their day. Empty when every day is complete.
    """
    days = completeness.read_days(build.path, build.dates)
    incomplete = pd.to_datetime(days.loc[~days["complete"].astype(bool), "date"])
    if incomplete.empty:
        return pd.DataFrame({"start": pd.to_datetime([]), "end": pd.to_datetime([])})
    run = (incomplete.diff() != pd.Timedelta(days=1)).cumsum()
    half = pd.Timedelta(hours=12)
    spans = incomplete.groupby(run.to_numpy()).agg(["min", "max"])
    return pd.DataFrame(
        {"start": (spans["min"] - half).to_numpy(), "end": (spans["max"] + half).to_numpy()}
    )


def share_series(build: Build, region_code: str | None) -> pd.DataFrame:
    """Share of the region's population in each colour over time, long form.

    Columns ``date``, ``risk`` (red, orange, green, no_data) and ``share`` (0..1). Shares of
    population are public: they come from colours, not from counts.
    """
    rows = _history(build, region_code)
    frame = pd.DataFrame({"date": pd.to_datetime(rows[Out.DATE]).to_numpy()})
    for state in RISK_STATES:
        frame[state] = rows[f"share_population_{state}"].to_numpy(float)
    long = frame.melt(id_vars="date", var_name="risk", value_name="share")
    long["share"] = long["share"].clip(0, 1)
    return long


def compare_children(
    build: Build, region_code: str | None, day: dt.date, *, audience: str, lang: str
) -> pd.DataFrame:
    """The child regions of ``region_code`` (provinces for ``None``) side by side on ``day``.

    Returns
    -------
    DataFrame
        One row per child: ``code``, ``name``, ``risk``, ``reason`` (in ``lang``), ``cases_7d``,
        ``cases_per_100k_7d`` (display strings for the public, numbers for officials) and
        ``trend``, the last :data:`SPARKLINE_DAYS` days of cases per 100k (missing where the
        public may not see it). Sorted by cases per 100k, highest first.
    """
    official = check_audience(audience) == OFFICIAL
    codes = buildread.children_of(build, region_code)[Out.REGION_CODE].tolist()
    history = buildread.region_rows(build, codes)
    first = pd.Timestamp(day - dt.timedelta(days=SPARKLINE_DAYS - 1))
    history = history[(history[Out.DATE] >= first) & (history[Out.DATE] <= pd.Timestamp(day))]
    shown = history if official else public_frame(history, build.config.privacy)

    def trend(rates: pd.Series) -> list[float | None]:
        return [None if np.isnan(r) else float(r) for r in rates.to_numpy(float)]

    trends = {
        code: trend(group) for code, group in shown.groupby(Out.REGION_CODE)[Out.CASES_PER_100K_7D]
    }
    on_day = (history[Out.DATE] == pd.Timestamp(day)).to_numpy()
    today = history[on_day].reset_index(drop=True)
    figures = shown[on_day].reset_index(drop=True)
    rate = figures[Out.CASES_PER_100K_7D].to_numpy(float)
    cases = figures[Out.CASES_7D].to_numpy(float)
    out = pd.DataFrame(
        {
            "code": today[Out.REGION_CODE].to_numpy(),
            "name": today["name"].to_numpy(),
            "risk": today[Out.RISK].astype(str).to_numpy(),
            "reason": buildread.render_reasons(build, today, audience=audience, lang=lang),
            "sort": np.nan_to_num(rate, nan=-1.0),
        }
    )
    if official:
        out["cases_7d"] = cases
        out["cases_per_100k_7d"] = np.round(rate, 1)
    else:  # published figures, ranked by the published rate
        out["cases_7d"] = [display_published(c, build.min_count, lang=lang) for c in cases]
        out["cases_per_100k_7d"] = [display_rate(r, lang=lang) for r in rate]
    out["trend"] = [trends.get(code, []) for code in out["code"]]
    out = out.sort_values(["sort", "name"], ascending=[False, True], ignore_index=True)
    return out.drop(columns="sort")
