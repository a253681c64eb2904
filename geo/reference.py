"""The reference data PantauZona ships in ``data/``: regions, boundaries, population, COVID series.

Paths resolve against ``PANTAUZONA_DATA`` when set, else the repository's ``data/`` folder.
Codes are Kemendagri 2025 codes with dots, read as strings.

Village (kelurahan/desa) polygons exist for the provinces that have a
``boundaries/villages_<province>.parquet`` file; those villages are regions too, whether
``regions.csv`` lists them (DKI Jakarta) or only their polygon file does (Jawa Barat).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

DKI = "31"
LAYER_FILES = {
    "province": "boundaries/provinces.parquet",
    "regency": "boundaries/regencies.parquet",
    "district": "boundaries/districts.parquet",
}
#: One file of village polygons per province that has them (``villages_31.parquet``, ...).
VILLAGE_FILES = "boundaries/villages_*.parquet"
REGIONS_FILE = "regions/regions.csv"
VILLAGE_POPULATION_FILE = "regions/jakarta_village_population_dukcapil_2019.csv"
JABAR_VILLAGE_POPULATION_FILE = "regions/jabar_village_population_dukcapil_2024s1.csv"
DISTRICT_POPULATION_FILE = "regions/district_population_dukcapil_2023.csv"
PROVINCE_DAILY_FILE = "covid/province_daily.csv"
VENUES_FILE = "venues/jakarta_venues.csv"


def data_dir() -> Path:
    """The folder that holds the shipped data."""
    env = os.environ.get("PANTAUZONA_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def village_files() -> dict[str, Path]:
    """The village polygon file of each province that has one, by province code, in code order."""
    files = sorted(data_dir().glob(VILLAGE_FILES))
    return {path.stem.removeprefix("villages_"): path for path in files}


def village_provinces() -> tuple[str, ...]:
    """Codes of the provinces whose villages (kelurahan/desa) have polygons: ``("31", "32")``."""
    return tuple(village_files())


def data_digest() -> str:
    """A sha256 over the reference files the grid is derived from."""
    digest = hashlib.sha256()
    names = (
        *LAYER_FILES.values(),
        REGIONS_FILE,
        VILLAGE_POPULATION_FILE,
        JABAR_VILLAGE_POPULATION_FILE,
        DISTRICT_POPULATION_FILE,
    )
    paths = [data_dir() / name for name in names] + list(village_files().values())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def regions() -> pd.DataFrame:
    """All regions: 38 provinces, 514 regencies, 7,285 districts and the villages of every
    province with village polygons (267 of DKI Jakarta, 5,957 of Jawa Barat), ordered by code.

    Columns ``code, name, level, parent_code, kind, code_2020, province_code_2020, population``
    (population for provinces and regencies, Dukcapil, 2025 codes), plus ``province_code,
    regency_code, district_code, village_code`` derived from the code.
    """
    table = pd.read_csv(data_dir() / REGIONS_FILE, dtype=str, keep_default_na=False)
    table = pd.concat([table, _unlisted_villages(set(table["code"]))], ignore_index=True)
    table = table.fillna("").sort_values("code", kind="stable")
    unset = table["province_code_2020"] == ""
    by_code = table.set_index("code")["province_code_2020"]
    table.loc[unset, "province_code_2020"] = by_code.reindex(table.loc[unset, "parent_code"]).values
    table["population"] = pd.to_numeric(table["population"].replace("", None))
    parts = table["code"].str.split(".")
    for depth, column in enumerate(("province_code", "regency_code", "district_code")):
        table[column] = parts.map(lambda p, d=depth: ".".join(p[: d + 1]) if len(p) > d else None)
    table["village_code"] = table["code"].where(table["level"] == "village")
    return table.set_index("code", drop=False)


def _unlisted_villages(listed: set[str]) -> pd.DataFrame:
    """Villages of the polygon files that ``regions.csv`` does not list, as region rows."""
    frames = [
        pd.read_parquet(path, columns=["code", "name", "level", "parent_code"])
        for path in village_files().values()
    ]
    villages = pd.concat(frames, ignore_index=True)
    return villages[~villages["code"].isin(listed)].astype(str)


@functools.cache
def village_population() -> pd.Series:
    """Population of each DKI Jakarta kelurahan (Dukcapil, December 2019), by 2025 code."""
    table = pd.read_csv(data_dir() / VILLAGE_POPULATION_FILE, dtype={"code": str})
    return table.set_index("code")["population"].astype("float64")


@functools.cache
def jabar_village_population() -> pd.Series:
    """Population of Jawa Barat desa/kelurahan (Dukcapil, Semester I 2024), by 2025 code.

    5,946 of the 5,957 villages; the other 11 have no figure.
    """
    table = pd.read_csv(data_dir() / JABAR_VILLAGE_POPULATION_FILE, dtype={"code": str})
    return table.set_index("code")["population"].astype("float64")


@functools.cache
def district_population() -> pd.Series:
    """Population of kecamatan (Dukcapil, 2023 inferred), by 2025 code.

    7,240 of the 7,285 kecamatan; an earlier release than ``regions.csv``'s regency totals, so
    meant for shares within a regency.
    """
    table = pd.read_csv(data_dir() / DISTRICT_POPULATION_FILE, dtype={"code": str})
    return table.set_index("code")["population"].astype("float64")


@functools.cache
def boundaries(level: str) -> gpd.GeoDataFrame:
    """Boundaries of one level (``province``, ``regency``, ``district`` or ``village``).

    Villages are those of every ``villages_<province>.parquet``, in code order.
    """
    if level == "village":
        parts = [gpd.read_parquet(path) for path in village_files().values()]
        frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)
    else:
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


def data_sources(readme: str | None = None) -> pd.DataFrame:
    """Each shipped data file with what it is and its licence, as ``readme`` states them.

    Parameters
    ----------
    readme
        The text of ``data/README.md`` (default: the shipped one's): a ``### `file` `` section
        per source, with a ``* What:`` line and a licence (``MIT`` when none is named).

    Returns
    -------
    pandas.DataFrame
        ``file``, ``what`` (its first sentence, without markup) and ``licence``.
    """
    if readme is None:
        readme = (data_dir() / "README.md").read_text(encoding="utf-8")
    rows = []
    for section in re.split(r"^### ", readme, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        files = re.findall(r"[\w/.]+\.\w+", heading)
        licence = re.search(r"Licen[cs]e[^\n]*?(MIT|none stated)", body)
        what = re.search(r"\* What: ([^\n]+)", body)
        if files and (licence or what):
            rows.append(
                {
                    "file": ", ".join(files),
                    "what": re.sub(r"[*`]", "", what.group(1) if what else "").split(". ")[0],
                    "licence": licence.group(1) if licence else "MIT",
                }
            )
    return pd.DataFrame(rows, columns=["file", "what", "licence"])
