"""Column names of the inputs and of the build's tables, in one place."""

from __future__ import annotations

from enum import StrEnum

# The vocabulary's lists, defined in geo.vocab, re-exported for the modules that name columns.
from geo.vocab import COUNT_METRICS as COUNT_METRICS
from geo.vocab import LEVELS as LEVELS
from geo.vocab import RATIO_METRICS as RATIO_METRICS
from geo.vocab import RISK_STATES as RISK_STATES


class Col(StrEnum):
    """Columns of the input files."""

    CASE_ID = "case_id"
    REPORTED_DATE = "reported_date"
    LAT = "lat"
    LON = "lon"
    REGION_CODE = "region_code"
    PERSON_ID = "person_id"
    STATUS = "status"
    CHECKIN_ID = "checkin_id"
    VENUE_ID = "venue_id"
    CHECKED_IN_AT = "checked_in_at"
    NAME = "name"
    CATEGORY = "category"
    COUNT = "count"


#: The names a cases file may give a field, the field's own name first: published series say
#: ``date``, ``province_code`` or ``new_cases``. A header holding two names of one field is
#: refused (which one would count?). Documented in README.md ("Column names").
CASE_ALIASES: dict[str, tuple[str, ...]] = {
    Col.REPORTED_DATE: ("reported_date", "date", "tanggal"),
    Col.REGION_CODE: (
        "region_code",
        "province_code",
        "regency_code",
        "district_code",
        "village_code",
        "kode_wilayah",
    ),
    Col.COUNT: ("count", "new_cases", "kasus_baru"),
}
#: With ``--cases-cumulative`` the count field is a running total, under these names.
CUMULATIVE_ALIASES: dict[str, tuple[str, ...]] = {
    **CASE_ALIASES,
    Col.COUNT: ("count", "total_cases", "cumulative_cases"),
}


class Out(StrEnum):
    """Columns of the build's tables (``cells_daily``, ``regions_daily``, ``cells``, ``regions``)."""

    CELL = "cell"
    RESOLUTION = "resolution"
    DATE = "date"
    REGION_CODE = "region_code"
    REGION_LEVEL = "region_level"
    NEW_CASES = "new_cases"
    NEW_CASES_ALLOCATED = "new_cases_allocated"
    CASES_7D = "cases_7d"
    CASES_14D = "cases_14d"
    CHECKINS = "checkins"
    CHECKINS_7D = "checkins_7d"
    CHECKINS_BASELINE_7D = "checkins_baseline_7d"
    CROWDING_RATIO = "crowding_ratio"
    EXPOSED_PCT_7D = "exposed_pct_7d"
    EXPOSED_CHECKINS = "exposed_checkins"
    EXPOSED_CHECKINS_7D = "exposed_checkins_7d"
    POPULATION = "population"
    POPULATION_SOURCE = "population_source"
    CASES_PER_100K_7D = "cases_per_100k_7d"
    GROWTH_RATIO_7D = "growth_ratio_7d"
    RISK = "risk"
    RISK_REASON = "risk_reason"
    RISK_METRIC = "risk_metric"
    PROVINCE_CODE = "province_code"
    REGENCY_CODE = "regency_code"
    DISTRICT_CODE = "district_code"
    VILLAGE_CODE = "village_code"
    SHARE_RED = "share_population_red"
    SHARE_ORANGE = "share_population_orange"
    SHARE_GREEN = "share_population_green"
    SHARE_NO_DATA = "share_population_no_data"
    HOTSPOT = "hotspot"
    HOTSPOT_Z = "hotspot_z"
    HOTSPOT_P = "hotspot_p"
    SHARE_HOT = "share_population_hot"
    #: Small-number protection's count: a zone's own cases in 7 days plus, for cases spread from
    #: region-coded counts, the exact 7-day count of each region they came from.
    CASES_7D_EXACT = "cases_7d_exact"
    #: Whether a report (of the zone's region or an ancestor) covers the 7 days ending on the date.
    COVERED = "covered"
    #: The last day on or before the date that a report covered the zone (NaT: none yet).
    LAST_REPORT = "last_report"


#: The columns that hold each level's code on a cell (levels: :data:`geo.vocab.LEVELS`).
LEVEL_COLUMNS: dict[str, str] = {
    "province": Out.PROVINCE_CODE,
    "regency": Out.REGENCY_CODE,
    "district": Out.DISTRICT_CODE,
    "village": Out.VILLAGE_CODE,
}
