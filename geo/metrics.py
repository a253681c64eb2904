"""Daily windowed metrics per key (a cell or a region) from daily event counts.

Events are summed per key and day, then each day's counts are carried into the windows that end on
the following days: 7 and 14 days for cases, 7 days and the 4 weeks before them for check-ins,
7 days for exposed check-ins. A key has a row on a date only when one of its windows is not empty.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from geo.columns import Out

#: Days of history the check-in baseline needs: the 7-day window and the 4 weeks before it.
BASELINE_DAYS = 35

#: Events summed per key and day, once for every chunk of days (:class:`Daily`), into three
#: tables of the days with cases, check-ins and exposed check-ins: most cell-days have
#: check-ins and nothing else, so each keeps only its own non-zero sums.
DAILY_SQL = """
create temp table d as
select key, date, sum(cases) as c, sum(alloc) as a, sum(checkins) as n, sum(exposed) as e
from (
    select key, cast(date as date) as date, cases::{fixed} as cases, alloc::{fixed} as alloc,
           checkins::bigint as checkins, exposed::bigint as exposed
    from events_df where cast(date as date) between $since and $end
)
group by key, date
"""
SPLIT_SQL = """
create temp table dc as select key, date, c, a from d where c <> 0 order by date;
create temp table dn as select key, date, n::bigint as n from d where n <> 0 order by date;
create temp table de as select key, date, e::bigint as e from d where e <> 0 order by date;
drop table d;
"""

#: The windows of the days ``$first .. $end`` from the daily sums. Each day's sums are carried
#: only into the windows of those days: a day ``k`` days before ``$first`` reaches them from
#: offset ``k`` on, so a chunk of 3 days reads each earlier day's row at most 3 times, not 35.
WINDOWS_SQL = """
with cw as (
    select key, date + w.i::integer as date,
           sum(c) filter (where w.i = 0) as new_cases,
           sum(a) filter (where w.i = 0) as new_cases_allocated,
           sum(c) filter (where w.i < 7) as cases_7d,
           sum(c) as cases_14d
    from dc, unnest(range(greatest(0, $first - date), least(14, $end - date + 1))) w(i)
    where date between $since and $end
    group by all
),
nw as (
    select key, date + w.i::integer as date,
           sum(n) filter (where w.i = 0) as checkins,
           sum(n) filter (where w.i < 7) as checkins_7d,
           sum(n) filter (where w.i >= 7) / 4.0 as baseline
    from dn, unnest(range(greatest(0, $first - date), least(35, $end - date + 1))) w(i)
    where date between $since and $end
    group by all
),
ew as (
    select key, date + w.i::integer as date,
           sum(e) filter (where w.i = 0) as exposed_checkins,
           sum(e) as exposed_checkins_7d
    from de, unnest(range(greatest(0, $first - date), least(7, $end - date + 1))) w(i)
    where date between $since and $end
    group by all
)
select key, date,
       coalesce(new_cases, 0)::double as new_cases,
       coalesce(new_cases_allocated, 0)::double as new_cases_allocated,
       coalesce(cases_7d, 0)::double as cases_7d,
       coalesce(cases_14d, 0)::double as cases_14d,
       coalesce(checkins, 0)::double as checkins,
       coalesce(checkins_7d, 0)::double as checkins_7d,
       case when date >= $baseline_from then coalesce(baseline, 0)::double end
           as checkins_baseline_7d,
       coalesce(exposed_checkins, 0)::double as exposed_checkins,
       coalesce(exposed_checkins_7d, 0)::double as exposed_checkins_7d
from cw full join nw using (key, date) full join ew using (key, date)
where date <= $end
order by date, key
"""

EVENT_COLUMNS = ("key", "date", "cases", "alloc", "checkins", "exposed")
#: Case counts are summed in fixed point, check-ins as integers: integer sums do not depend on
#: the order DuckDB's threads add them in, so two builds of the same inputs are byte-identical
#: (floating-point sums of allocated fractions were not, in the last bit). Each event's fraction
#: is rounded once, to 1e-12 of a case, in a 64-bit decimal (as fast as a double); an event of a
#: million cases or more, which a 64-bit decimal cannot hold, makes the call use 128 bits.
FIXED = "decimal(18, 12)"
FIXED_WIDE = "decimal(38, 12)"
FIXED_LIMIT = 1e6


def _fixed(events: pd.DataFrame) -> str:
    """The fixed-point type that holds every event's case count."""
    largest = float(np.nanmax(np.abs(events["cases"].to_numpy(dtype=float)), initial=0.0))
    return FIXED if largest < FIXED_LIMIT else FIXED_WIDE


class Daily:
    """Events summed per key and day in DuckDB, whose windows are then read a chunk of days at a
    time (:meth:`windows`): the events are summed once, not once per chunk.

    Parameters
    ----------
    events
        Columns ``key, date, cases, alloc, checkins, exposed``; ``cases`` includes ``alloc``.
    since, end
        The days summed (the oldest day a chunk's windows reach, and the last day).
    """

    def __init__(self, events: pd.DataFrame, since: dt.date, end: dt.date) -> None:
        self.con = duckdb.connect()
        try:
            # DuckDB scans the frame in place; only the days the windows reach are read.
            self.con.register("events_df", events)
            self.con.execute(DAILY_SQL.format(fixed=_fixed(events)), {"since": since, "end": end})
            self.con.execute(SPLIT_SQL)
            self.con.unregister("events_df")
        except BaseException:
            self.con.close()
            raise

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Daily:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def windows(
        self, *, start: dt.date, end: dt.date, first: dt.date | None = None
    ) -> pd.DataFrame:
        """The windowed metrics of the days ``first .. end`` (as :func:`windows`); one thread at
        a time."""
        first = first or start
        params = {
            "since": first - dt.timedelta(days=BASELINE_DAYS - 1),
            "first": first,
            "end": end,
            "baseline_from": start + dt.timedelta(days=BASELINE_DAYS - 1),
        }
        out = self.con.execute(WINDOWS_SQL, params).df()
        out["date"] = out["date"].astype("datetime64[s]")
        return out


def windows(
    events: pd.DataFrame, *, start: dt.date, end: dt.date, first: dt.date | None = None
) -> pd.DataFrame:
    """Windowed daily metrics per key.

    Parameters
    ----------
    events
        Columns ``key, date, cases, alloc, checkins, exposed``; ``cases`` includes ``alloc``.
    start, end
        The build's first and last day; rows after ``end`` are not produced, and the check-in
        baseline is null until 35 days of history exist.
    first
        The first day to produce rows for (default ``start``): one chunk of a longer period.
    """
    first = first or start
    since = first - dt.timedelta(days=BASELINE_DAYS - 1)  # the oldest day a window reaches
    with Daily(events, since, end) as daily:
        return daily.windows(start=start, end=end, first=first)


def ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Add cases per 100k, the 7-day growth ratio and the crowding ratio (in place)."""
    population = table[Out.POPULATION].to_numpy(dtype=float)
    cases_7d = table[Out.CASES_7D].to_numpy(dtype=float)
    previous = table[Out.CASES_14D].to_numpy(dtype=float) - cases_7d
    baseline = table[Out.CHECKINS_BASELINE_7D].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table[Out.CASES_PER_100K_7D] = np.where(population > 0, cases_7d * 1e5 / population, np.nan)
        table[Out.GROWTH_RATIO_7D] = np.where(previous > 1e-9, cases_7d / previous, np.nan)
        checkins_7d = table[Out.CHECKINS_7D].to_numpy(dtype=float)
        table[Out.CROWDING_RATIO] = np.where(baseline > 0, checkins_7d / baseline, np.nan)
        # Scale-free exposure: the share of the week's check-ins that met a later case.
        exposed = (
            table[Out.EXPOSED_CHECKINS_7D].to_numpy(dtype=float)
            if Out.EXPOSED_CHECKINS_7D in table
            else np.zeros(len(table))
        )
        table[Out.EXPOSED_PCT_7D] = np.where(checkins_7d > 0, exposed * 100 / checkins_7d, np.nan)
    return table
