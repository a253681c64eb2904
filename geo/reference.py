"""The reference data PantauZona ships in ``data/``: regions, boundaries, population, COVID series.

Paths resolve against ``PANTAUZONA_DATA`` when set, else the repository's ``data/`` folder.
Codes are Kemendagri 2025 codes with dots, read as strings.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

DKI = "31"
LAYER_FILES = {
    "province": "boundaries/provinces.parquet",
    "regency": "boundaries/regencies.parquet",
    "district": "boundaries/districts.parquet",
    "village": "boundaries/villages_31.parquet",
}
REGIONS_FILE = "regions/regions.csv"
VILLAGE_POPULATION_FILE = "regions/jakarta_village_population_dukcapil_2019.csv"
PROVINCE_DAILY_FILE = "covid/province_daily.csv"
VENUES_FILE = "venues/jakarta_venues.csv"


def data_dir() -> Path:
    """The folder that holds the shipped data."""
    env = os.environ.get("PANTAUZONA_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def data_digest() -> str:
    """A sha256 over the reference files the grid is derived from."""
    digest = hashlib.sha256()
    for name in (*LAYER_FILES.values(), REGIONS_FILE, VILLAGE_POPULATION_FILE):
        digest.update((data_dir() / name).read_bytes())
    return digest.hexdigest()


@functools.cache
def regions() -> pd.DataFrame:
    """All regions (38 provinces, 514 regencies, 7,285 districts, 267 DKI villages).

    Columns ``code, name, level, parent_code, kind, code_2020, province_code_2020, population``
    (population for provinces and regencies, Dukcapil, 2025 codes), plus ``province_code,
    regency_code, district_code, village_code`` derived from the code.
    """
    table = pd.read_csv(data_dir() / REGIONS_FILE, dtype=str, keep_default_na=False)
    table["population"] = pd.to_numeric(table["population"].replace("", None))
    parts = table["code"].str.split(".")
    for depth, column in enumerate(("province_code", "regency_code", "district_code")):
        table[column] = parts.map(lambda p, d=depth: ".".join(p[: d + 1]) if len(p) > d else None)
    table["village_code"] = table["code"].where(table["level"] == "village")
    return table.set_index("code", drop=False)


@functools.cache
def village_population() -> pd.Series:
    """Population of each DKI Jakarta kelurahan (Dukcapil, December 2019), by 2025 code."""
    table = pd.read_csv(data_dir() / VILLAGE_POPULATION_FILE, dtype={"code": str})
    return table.set_index("code")["population"].astype("float64")


@functools.cache
def boundaries(level: str) -> gpd.GeoDataFrame:
    """Boundaries of one level (``province``, ``regency``, ``district`` or ``village``)."""
    frame = gpd.read_parquet(data_dir() / LAYER_FILES[level])
    return frame[["code", "name", "level", "parent_code", "geometry"]].sort_values("code")


@functools.cache
def province_daily() -> pd.DataFrame:
    """The real daily COVID-19 series per province (Satgas, 2020 codes)."""
    return pd.read_csv(
        data_dir() / PROVINCE_DAILY_FILE, dtype={"province_code": str}, parse_dates=["date"]
    )


@functools.cache
def venues() -> pd.DataFrame:
    """The real Jakarta venue locations (DKI 1:1000 base map)."""
    return pd.read_csv(data_dir() / VENUES_FILE, dtype=str, keep_default_na=False)
