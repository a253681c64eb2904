"""Check-ins exposed to a case: the PeduliLindungi tracing idea.

A check-in is *infectious* when its person was reported as a case on the day of the check-in or
within ``case_within_days`` after it. Another check-in is *exposed* when it happened at the same
venue within ``window_hours`` of an infectious one, by someone else. Each exposed check-in counts
once, on its own (WIB) date, however many infectious check-ins it met.

Person ids are compared as given. A build from the inputs store namespaces them by the region
each file was loaded for (:func:`geo.uploads.namespaced`), so a case links only to check-ins
loaded for the same region and never marks another region's check-ins as exposed.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from geo.config import Exposure

EXPOSED_SQL = """
with infectious as (
    select distinct k.checkin_id, k.venue_id, k.ts, k.person_id
    from checkins k
    join case_persons c
      on k.person_id = c.person_id
     and c.date >= k.date
     and c.date <= k.date + to_days(cast($days as integer))
)
select k.venue_id, k.date, count(distinct k.checkin_id)::double as exposed
from checkins k
join infectious i
  on k.venue_id = i.venue_id
 and k.ts between i.ts - to_seconds(cast($seconds as bigint))
              and i.ts + to_seconds(cast($seconds as bigint))
 and k.checkin_id <> i.checkin_id
 and (k.person_id is null or k.person_id <> i.person_id)
group by k.venue_id, k.date
order by k.venue_id, k.date
"""


def exposed_checkins(checkins: pd.DataFrame, cases: pd.DataFrame, rules: Exposure) -> pd.DataFrame:
    """Exposed check-ins per venue and date.

    Parameters
    ----------
    checkins
        Accepted check-ins: ``checkin_id, venue_id, ts_utc, date, person_id``.
    cases
        Accepted cases: ``date, person_id``.
    rules
        The exposure window and the days within which a later case counts.

    Returns
    -------
    DataFrame
        ``venue_id, date, exposed``; venues and dates without exposure are absent.
    """
    con = duckdb.connect()
    try:
        linked = cases.loc[cases["person_id"].notna(), ["person_id", "date"]]
        con.register("case_persons_df", linked)
        con.execute(
            "create temp table case_persons as select person_id::varchar as person_id, "
            "cast(date as date) as date from case_persons_df"
        )
        con.register("checkins_df", checkins[["venue_id", "ts_utc", "date", "person_id"]])
        con.execute(
            "create temp table checkins as select row_number() over () as checkin_id, "
            "venue_id::varchar as venue_id, cast(ts_utc as timestamp) as ts, "
            "cast(date as date) as date, person_id::varchar as person_id from checkins_df"
        )
        params = {"days": rules.case_within_days, "seconds": int(rules.window_hours * 3600)}
        return con.execute(EXPOSED_SQL, params).df()
    finally:
        con.close()
