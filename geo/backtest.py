"""The outlook's backtest on the real province series, against two baselines in the same run.

Rolling origin, one week ahead: at every origin (each 7th day back from the last day of the
series) and for every province with the 21 days around it reported, the outlook
(:mod:`geo.outlook`, parent = the country), **persistence** ("next week = this week") and
**growth once** (this week x this week's growth over last week) each forecast the next 7 days'
cases. They are scored on the count (mean absolute error, and the share of actual weeks inside the
outlook's 90% interval) and on the colour it gets under the ``ppkm`` preset (weekly cases per 100k)
against the colour the actual week got.

Series: ``data/covid/province_daily.csv`` (Satgas COVID-19, 2020 codes, 34 provinces, from
2020-03-01 on; see ``data/README.md``). Population: the shipped Dukcapil 2025 registered population
of the 2025 provinces summed to their 2020 province (``province_code_2020`` of
``data/regions/regions.csv``; 2020 ``91`` Papua = 2025 ``91, 93, 94, 95``; ``92`` = ``92, 96``).
No 2020-edition population ships, so rates use this later population for every province alike.
"""

from __future__ import annotations

import functools
import logging

import numpy as np
import pandas as pd

from geo import outlook, reference
from geo.config import load_config

logger = logging.getLogger(__name__)

PRESET = "ppkm"
METHODS = ("outlook", "persistence", "growth_once")
FIRST_DAY = "2020-03-01"  # artefact rows before it (data/README.md)


def province_population() -> pd.Series:
    """Population per 2020 province code (Dukcapil 2025, summed over 2025 provinces)."""
    table = reference.regions()
    provinces = table[table["level"] == "province"]
    return provinces.groupby("province_code_2020")["population"].sum().astype(float)


def weekly_windows(daily: pd.DataFrame, *, step: int = 7) -> pd.DataFrame:
    """Per origin and region: ``previous_7d``, ``cases_7d`` (ending on the origin), ``next_7d``.

    Parameters
    ----------
    daily
        ``date, region, new_cases``: one row per reported day; a day missing inside a region's
        21-day window leaves that origin out for it (missing is not zero).
    step
        Days between origins, counted back from the last day that still has 7 days ahead.
    """
    wide = daily.pivot_table(index="date", columns="region", values="new_cases", aggfunc="sum")
    wide = wide.reindex(pd.date_range(wide.index.min(), wide.index.max(), freq="D"))
    sums = wide.rolling(7, min_periods=7).sum()
    last = len(wide) - 8
    origins = np.arange(last, 13, -step)[::-1]
    parts = []
    for at in origins:
        parts.append(
            pd.DataFrame(
                {
                    "origin": wide.index[at],
                    "region": wide.columns,
                    "previous_7d": sums.iloc[at - 7].to_numpy(),
                    "cases_7d": sums.iloc[at].to_numpy(),
                    "next_7d": sums.iloc[at + 7].to_numpy(),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out.dropna().reset_index(drop=True)


def forecasts(windows: pd.DataFrame) -> pd.DataFrame:
    """The three methods' forecasts for each origin and region (the outlook with its interval)."""
    out = windows.copy()
    national = out.groupby("origin")[["cases_7d", "previous_7d"]].transform("sum")
    parent = outlook.growth(national["cases_7d"], national["previous_7d"])
    ahead = outlook.forecast(out["cases_7d"], out["previous_7d"], parent_growth=parent)
    out["outlook"] = ahead["outlook_cases_7d"].to_numpy()
    out["low"] = ahead["outlook_low"].to_numpy()
    out["high"] = ahead["outlook_high"].to_numpy()
    out["persistence"] = out["cases_7d"]
    c7, p7 = out["cases_7d"].to_numpy(), out["previous_7d"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth_once"] = np.where(p7 > 0, c7 * c7 / p7, c7)
    return out


def score(table: pd.DataFrame, population: pd.Series, *, preset: str = PRESET) -> pd.DataFrame:
    """Colour accuracy, MAE and interval coverage per method (one row each).

    ``table``: :func:`forecasts` output with a ``region`` that ``population`` is indexed by.
    """
    config = load_config(preset=preset)
    people = population.reindex(table["region"]).to_numpy(dtype=float)
    actual = outlook.colours(table["next_7d"], people, config)
    rows = []
    for method in METHODS:
        predicted = outlook.colours(table[method], people, config)
        error = np.abs(table[method].to_numpy() - table["next_7d"].to_numpy())
        inside = np.nan
        if method == "outlook":
            inside = float(table["next_7d"].between(table["low"], table["high"]).mean())
        rows.append(
            {
                "method": method,
                "forecasts": len(table),
                "colour_accuracy": float((predicted == actual).mean()),
                "mae_7d": float(error.mean()),
                "coverage_90": inside,
            }
        )
    return pd.DataFrame(rows)


@functools.cache
def province_backtest() -> pd.DataFrame:
    """The backtest on the shipped province series (see the module docstring)."""
    daily = reference.province_daily()
    daily = daily[daily["date"] >= FIRST_DAY].rename(columns={"province_code": "region"})
    table = forecasts(weekly_windows(daily[["date", "region", "new_cases"]]))
    result = score(table, province_population())
    logger.info("backtest: %d forecasts, %d origins", len(table), table["origin"].nunique())
    return result.assign(level="province")


def beats_persistence(result: pd.DataFrame) -> bool:
    """Whether the outlook beats persistence on colour accuracy or on the count's MAE."""
    by = result.set_index("method")
    better_colour = by.at["outlook", "colour_accuracy"] > by.at["persistence", "colour_accuracy"]
    better_mae = by.at["outlook", "mae_7d"] < by.at["persistence", "mae_7d"]
    return bool(better_colour or better_mae)


LABELS = {
    "outlook": "outlook (damped growth, shrunk to the country)",
    "persistence": "persistence (next week = this week)",
    "growth_once": "growth once (this week x its growth)",
}


def markdown(result: pd.DataFrame) -> str:
    """The result as the Markdown table the README shows."""
    lines = [
        "| level | method | forecasts | colour accuracy (ppkm) | MAE of 7-day cases "
        "| 90% interval coverage |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in result.itertuples(index=False):
        coverage = "—" if np.isnan(row.coverage_90) else f"{row.coverage_90:.1%}"
        lines.append(
            f"| {row.level} | {LABELS[row.method]} | {row.forecasts:,} "
            f"| {row.colour_accuracy:.1%} | {row.mae_7d:,.0f} | {coverage} |"
        )
    return "\n".join(lines)


def outlook_shown() -> bool:
    """Whether pages show the outlook: only if it beats persistence on the province backtest."""
    return beats_persistence(province_backtest())
