"""The path a user would write by hand: per-row h3, geopandas sjoin for regions, pandas groupby.

It computes the same core tables as the build — per cell (resolutions 9..6) and per region level,
daily new cases, 7- and 14-day case sums and 7-day check-in sums — and writes them to Parquet.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import h3
import pandas as pd

from geo import reference

RESOLUTIONS = (9, 8, 7, 6)


def _rolling(daily: pd.DataFrame, key: str, value: str) -> pd.DataFrame:
    """7- and 14-day sums per key on a dense daily index, with groupby().rolling()."""
    dense = daily.set_index("date").groupby(key)[value].resample("D").sum().reset_index()
    grouped = dense.groupby(key)[value]
    dense[f"{value}_7d"] = grouped.rolling(7, min_periods=1).sum().reset_index(level=0, drop=True)
    dense[f"{value}_14d"] = grouped.rolling(14, min_periods=1).sum().reset_index(level=0, drop=True)
    return dense


def run(cases_csv: Path, checkins_csv: Path, venues_csv: Path, out: Path) -> None:
    cases = pd.read_csv(cases_csv, dtype={"case_id": str})
    checkins = pd.read_csv(checkins_csv)
    venues = pd.read_csv(venues_csv)
    cases["date"] = pd.to_datetime(cases["reported_date"])
    checkins["date"] = pd.to_datetime(checkins["checked_in_at"]).dt.floor("D")
    checkins = checkins.merge(venues[["venue_id", "lat", "lon"]], on="venue_id")
    for frame in (cases, checkins):
        frame["cell9"] = [
            h3.latlng_to_cell(a, b, 9) for a, b in zip(frame["lat"], frame["lon"], strict=True)
        ]
        for res in RESOLUTIONS[1:]:
            frame[f"cell{res}"] = [h3.cell_to_parent(c, res) for c in frame["cell9"]]
    districts = reference.boundaries("district")[["code", "geometry"]]
    joined = {}
    for name, frame in (("cases", cases), ("checkins", checkins)):
        points = gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
        )
        hit = gpd.sjoin(points, districts.to_crs(4326), how="inner", predicate="within")
        hit["regency"] = hit["code"].str.slice(0, 5)
        hit["province"] = hit["code"].str.slice(0, 2)
        joined[name] = hit
    out.mkdir(parents=True, exist_ok=True)
    cases["n"] = 1
    checkins["n"] = 1
    for res in RESOLUTIONS:
        key = f"cell{res}"
        daily = cases.groupby([key, "date"], as_index=False)["n"].sum()
        _rolling(daily, key, "n").to_parquet(out / f"cases_r{res}.parquet")
        daily = checkins.groupby([key, "date"], as_index=False)["n"].sum()
        _rolling(daily, key, "n").to_parquet(out / f"checkins_r{res}.parquet")
    for level in ("code", "regency", "province"):
        hit = joined["cases"].assign(n=1)
        daily = hit.groupby([level, "date"], as_index=False)["n"].sum()
        _rolling(daily, level, "n").to_parquet(out / f"cases_{level}.parquet")
