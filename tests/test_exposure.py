"""Exposed check-ins: the same venue within the window of a check-in by a later case."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.config import Exposure
from geo.exposure import exposed_checkins

RULES = Exposure(window_hours=2, case_within_days=14)


def checkins(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    """Check-ins from (id, venue, WIB time, person); stored in UTC like the validator does."""
    frame = pd.DataFrame(rows, columns=["checkin_id", "venue_id", "wib", "person_id"])
    wib = pd.to_datetime(frame.pop("wib"))
    frame["ts_utc"] = (wib - pd.Timedelta(hours=7)).astype("datetime64[s]")
    frame["date"] = wib.dt.floor("D")
    return frame


def cases(*rows: tuple[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_id", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def exposed(found: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(v, str(d.date())): n for v, d, n in found.itertuples(index=False)}


# At venue A, p1 checks in at 10:00 and is a case the next day: that check-in is infectious.
VENUE_A = checkins(
    ("k1", "A", "2021-06-30 10:00:00", "p1"),
    ("k2", "A", "2021-06-30 08:00:00", "p2"),  # exactly 2 h before: exposed
    ("k3", "A", "2021-06-30 12:00:00", "p3"),  # exactly 2 h after: exposed
    ("k4", "A", "2021-06-30 12:00:01", "p4"),  # 2 h and 1 s after: not exposed
    ("k5", "A", "2021-06-30 07:59:59", "p5"),  # 2 h and 1 s before: not exposed
    ("k6", "A", "2021-06-30 10:00:00", "p1"),  # the case person twice: never exposed
    ("k7", "A", "2021-06-30 10:30:00", None),  # no person id: exposed
    ("k8", "B", "2021-06-30 10:00:00", "p8"),  # another venue: not exposed
)


def test_exact_counts_at_the_window_edges():
    found = exposed_checkins(VENUE_A, cases(("p1", "2021-07-01")), RULES)
    # k2, k3 and k7; k6 is p1's own: it is infectious too, so k2, k3, k7 are met twice but
    # count once each.
    assert exposed(found) == {("A", "2021-06-30"): 3.0}
    assert list(found.columns) == ["venue_id", "date", "exposed"]


def test_the_case_persons_own_checkins_are_not_exposed():
    only_p1 = checkins(
        ("k1", "A", "2021-06-30 10:00:00", "p1"),
        ("k2", "A", "2021-06-30 10:30:00", "p1"),
    )
    assert exposed_checkins(only_p1, cases(("p1", "2021-07-01")), RULES).empty


@pytest.mark.parametrize(
    ("case_date", "count"),
    [
        ("2021-06-30", 3.0),  # reported the day of the check-in
        ("2021-07-14", 3.0),  # 14 days later: still counts
        ("2021-07-15", None),  # 15 days later: does not count
        ("2021-06-29", None),  # reported before the check-in: does not count
    ],
)
def test_case_within_days(case_date, count):
    found = exposed(exposed_checkins(VENUE_A, cases(("p1", case_date)), RULES))
    assert found == ({("A", "2021-06-30"): count} if count else {})


def test_a_wider_window_and_fewer_days_from_the_config():
    wide = Exposure(window_hours=3, case_within_days=1)
    # 3 h: k4 (2 h 1 s) and k5 (2 h 1 s before) join k2, k3, k7.
    assert exposed(exposed_checkins(VENUE_A, cases(("p1", "2021-07-01")), wide)) == {
        ("A", "2021-06-30"): 5.0
    }
    assert exposed_checkins(VENUE_A, cases(("p1", "2021-07-02")), wide).empty


def test_exposure_counts_on_the_exposed_checkins_own_wib_date():
    late = checkins(
        ("k1", "A", "2021-06-30 23:30:00", "p1"),
        ("k2", "A", "2021-07-01 00:30:00", "p2"),  # the next day in WIB, an hour later
        ("k3", "A", "2021-06-30 22:00:00", "p3"),
    )
    assert exposed(exposed_checkins(late, cases(("p1", "2021-07-01")), RULES)) == {
        ("A", "2021-06-30"): 1.0,
        ("A", "2021-07-01"): 1.0,
    }


def test_cases_without_a_person_expose_nobody():
    anonymous = cases(("p1", "2021-07-01")).assign(person_id=[None])
    assert exposed_checkins(VENUE_A, anonymous, RULES).empty


def test_no_checkins_or_no_cases():
    assert exposed_checkins(VENUE_A.iloc[:0], cases(("p1", "2021-07-01")), RULES).empty
    assert exposed_checkins(VENUE_A, cases(), RULES).empty
