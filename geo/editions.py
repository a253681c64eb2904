"""The two editions of region codes: Permendagri 72/2019 ("2020") and Kemendagri 2025.

Published COVID-19 series use the 2020 codes; the map and its populations use the 2025 ones.
Most codes name the same region in both. They differ where regions were split or re-numbered:
Papua's 2020 ``91`` is today's ``91`` + ``93`` + ``94`` + ``95`` and Papua Barat's ``92`` is
``92`` + ``96`` (the Papua split laws, the first of 25 July 2022), and some kecamatan were
re-numbered. ``regions.csv`` links each 2025 region to its 2020 code (``code_2020``).

A cases file's edition is declared (``--codes 2020|2025``) or detected, in this order: a code
that exists in one edition only decides it (codes of both: the file is refused); else, when some
code names different areas in the two editions, the dates of those rows decide (all before
:data:`SPLIT_DATE`: 2020; all on or after: 2025; both: those rows are quarantined as
``ambiguous_code``); else the editions agree on every code and it is read as 2025. A declared
edition that the codes contradict (only 2020 codes in a 2025 file, or the reverse) refuses the
file. The manifest says the edition and how it was known.

Rows in 2020 codes are translated to 2025 (:func:`to_2025`): a region with one successor takes
its code (re-numbered or not); a region split in several (Papua, Papua Barat) has each row's
count apportioned to its successors by their population (``regions.csv``) in whole numbers that
sum exactly: largest remainder, ties to the earlier code.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from geo import reference
from geo.columns import Col
from geo.errors import InputFileError
from geo.rules import Rule, Run

if TYPE_CHECKING:
    from geo.validate import Checked

EDITIONS = ("2020", "2025")
#: UU 14/2022 (Papua Selatan), 15/2022 (Papua Tengah), 16/2022 (Papua Pegunungan): the first
#: split of a 2020 province. A row dated earlier is in 2020 codes unless the file says otherwise.
SPLIT_DATE = dt.date(2022, 7, 25)
#: The run's fact (:mod:`geo.rules`) that holds a cases file's :class:`Decision`.
_EDITION = "edition"
NAMES = {"2020": "the 2020 edition (Permendagri 72/2019)", "2025": "the 2025 edition (Kemendagri)"}


@dataclass(frozen=True)
class Codes:
    """The two editions side by side."""

    #: 2020 code → its 2025 successors (one, or several for a split region).
    successors: dict[str, tuple[str, ...]]
    #: 2025 code → population, for apportioning split regions.
    population: dict[str, float]
    only_2020: frozenset[str]
    only_2025: frozenset[str]
    #: Codes of both editions that name different areas.
    differ: frozenset[str]
    #: 2020 codes split into successors without a population to apportion by.
    unplaced: frozenset[str] = frozenset()


@functools.cache
def codes() -> Codes:
    """The editions as ``regions.csv`` links them."""
    table = reference.regions()
    linked = table[table["code_2020"] != ""]
    successors = {old: tuple(sorted(group)) for old, group in linked.groupby("code_2020")["code"]}
    now, then = set(table["code"]), set(successors)
    differ = {c for c in now & then if successors[c] != (c,)}
    population = table["population"].dropna().to_dict()
    unplaced = {
        old
        for old, heirs in successors.items()
        if len(heirs) > 1 and not all(population.get(h, 0) > 0 for h in heirs)
    }
    return Codes(
        {k: v for k, v in successors.items() if k not in unplaced},
        population,
        frozenset(then - now),
        frozenset(now - then),
        frozenset(differ),
        frozenset(unplaced),
    )


@dataclass
class Decision:
    """A file's edition and how it was known."""

    edition: str
    how: str
    #: Codes whose rows cannot be placed (the file's dates span both editions).
    ambiguous: frozenset[str] = field(default_factory=frozenset)

    def summary(self) -> dict[str, object]:
        return {"edition": self.edition, "how": self.how}


def _examples(found: set[str]) -> str:
    return ", ".join(sorted(found)[:3])


def decide(name: str, coded: pd.Series, dates: pd.Series, declared: str | None) -> Decision:
    """The edition of a file from its region codes and their dates.

    Parameters
    ----------
    name
        The file's name, for messages.
    coded, dates
        The region codes of the file's coded rows, and those rows' dates.
    declared
        ``"2020"``, ``"2025"`` or ``None`` (detect).

    Raises
    ------
    InputFileError
        When the codes contradict the declared edition, or mix both without one declared.
    """
    book = codes()
    present = set(coded.unique())
    if not present and declared is None:
        return Decision("2025", "the file has no region codes")
    old, new = present & book.only_2020, present & book.only_2025
    if declared is not None:
        other = {"2020": (new, old), "2025": (old, new)}[declared]
        if other[0] and not other[1]:
            them = "2025" if declared == "2020" else "2020"
            msg = (
                f"{name} is declared in 2020 codes (--codes {declared})"
                if declared == "2020"
                else f"{name} is declared in 2025 codes (--codes {declared})"
            )
            msg += (
                f" but its region codes make sense only in {NAMES[them]} "
                f"(e.g. {_examples(other[0])}); give --codes {them}."
            )
            raise InputFileError(msg)
        return Decision(declared, f"declared: {declared} (--codes, or input.codes)")
    if old and new:
        msg = (
            f"{name} mixes the two editions of region codes: {_examples(old)} exist only in "
            f"{NAMES['2020']}, {_examples(new)} only in {NAMES['2025']}; give --codes 2020 "
            "or --codes 2025 (codes of the other edition are then quarantined)."
        )
        raise InputFileError(msg)
    if old or new:
        edition = "2020" if old else "2025"
        how = f"detected: codes that exist only in {NAMES[edition]} (e.g. {_examples(old or new)})"
        return Decision(edition, how)
    return _by_dates(coded, dates, present & book.differ)


def _by_dates(coded: pd.Series, dates: pd.Series, differing: set[str]) -> Decision:
    if not differing:
        return Decision("2025", "every region code of the file names the same region in both")
    at = dates[coded.isin(differing).to_numpy()]
    split = pd.Timestamp(SPLIT_DATE)
    example = _examples(differing)
    if (at < split).all():
        how = f"detected by dates: rows coded {example} are all dated before {SPLIT_DATE}"
        return Decision("2020", how)
    if (at >= split).all():
        how = f"detected by dates: rows coded {example} are all dated from {SPLIT_DATE}"
        return Decision("2025", how)
    how = (
        f"undecided: rows coded {example} are dated before and after {SPLIT_DATE}, so they are "
        "quarantined; the other codes name the same region in both"
    )
    return Decision("2025", how, frozenset(differing))


def unknown_reasons(code: pd.Series, edition: str) -> np.ndarray:
    """Why each code (of ``edition``) is not accepted, ``""`` when it is known."""
    book = codes()
    if edition == "2020":
        known = code.isin(list(book.successors)).to_numpy()
        here = code.isin(list(book.only_2025)).to_numpy()
        other, flag = "2025", "--codes 2025"
        plain = "unknown region code (Permendagri 72/2019, the 2020 edition)"
    else:
        known = code.isin(reference.regions().index).to_numpy()
        here = code.isin(list(book.only_2020)).to_numpy()
        other, flag = "2020", "--codes 2020"
        plain = "unknown region code (Kemendagri 2025)"
    reasons = np.where(known, "", plain).astype(object)
    hint = ~known & here
    reasons[hint] = [
        f"region code {c} exists only in {NAMES[other]}; for a file in {other} codes give {flag}"
        for c in code.to_numpy(dtype=object)[hint]
    ]
    if edition == "2020":
        lost = code.isin(list(book.unplaced)).to_numpy()
        reasons[lost] = [
            f"region code {c} of the 2020 edition was split and its successors have no "
            "population to apportion its cases by"
            for c in code.to_numpy(dtype=object)[lost]
        ]
    return reasons


def ambiguous_reason(code: str) -> str:
    return (
        f"region code {code} names different areas in the 2020 and 2025 editions and the "
        f"file's dates span {SPLIT_DATE}; give --codes 2020 or --codes 2025"
    )


def _apportion(count: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each count split by integer weights in whole numbers that sum to it: the floor of each
    share, then one more to the largest remainders (ties to the earlier successor)."""
    total = int(weights.sum())
    share = count[:, None] * weights[None, :]
    out, remainder = share // total, share % total
    missing = count - out.sum(axis=1)
    order = np.argsort(-remainder, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(weights.size)[None, :], axis=1)
    return out + (rank < missing[:, None])


def to_2025(accepted: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """Rows in 2020 codes (accepted cases, ``count`` per row) in 2025 codes, and the counts of
    the translation for the manifest.

    A region split in several is apportioned by population: each of its rows becomes one row
    per successor (a share of 0 stays: the successor was covered by the report).
    """
    book = codes()
    coded = accepted[Col.REGION_CODE].notna().to_numpy()
    old = accepted[Col.REGION_CODE].where(coded, "").to_numpy(dtype=object)
    successors = [book.successors.get(c, (c,)) if c else ("",) for c in old]
    width = np.fromiter((len(s) for s in successors), dtype=np.int64, count=len(old))
    out = accepted.iloc[np.repeat(np.arange(len(accepted)), width)].reset_index(drop=True)
    new = np.array([c for s in successors for c in s], dtype=object)
    count = np.repeat(accepted[Col.COUNT].to_numpy(dtype=np.int64), width)
    split = width > 1
    apportioned: dict[str, list[str]] = {}
    for parent in sorted({c for c, s in zip(old, split, strict=True) if s}):
        rows = np.flatnonzero(old == parent)
        heirs = book.successors[parent]
        weights = np.array([round(book.population[h]) for h in heirs], dtype=np.int64)
        parts = _apportion(accepted[Col.COUNT].to_numpy(dtype=np.int64)[rows], weights)
        starts = (np.cumsum(width) - width)[rows]
        for j in range(len(heirs)):
            count[starts + j] = parts[:, j]
        apportioned[parent] = list(heirs)
    new[~np.repeat(coded, width)] = None  # points keep no code
    out[Col.REGION_CODE] = new
    out[Col.COUNT] = count
    summary = {
        "rows_2020": int(coded.sum()),
        "renumbered_rows": sum(
            1 for c, s in zip(old, successors, strict=True) if c and len(s) == 1 and s[0] != c
        ),
        "apportioned_rows": int(split.sum()),
        "apportioned_cases": int(accepted[Col.COUNT].to_numpy()[split].sum()),
        "apportioned": apportioned,
    }
    return out, summary


def translate(checked: Checked) -> Checked:
    """A validated cases file in 2025 codes (in place): rows in 2020 codes are translated
    (:func:`to_2025`) and the manifest's ``codes`` gains the translation's counts."""
    if checked.codes is None or checked.codes["edition"] != "2020":
        return checked
    checked.accepted, summary = to_2025(checked.accepted)
    checked.codes = {**checked.codes, **summary}
    return checked


def decided(run: Run) -> Decision | None:
    """The edition :func:`edition_rules` decided in ``run`` (``None`` without those rules)."""
    return run.fact(_EDITION, lambda: None)


def edition_rules(
    code: pd.Series, coded: np.ndarray, date: Callable[[Run], pd.Series], declared: str | None
) -> list[Rule]:
    """The rules of a cases file's region codes (``code``, given in the ``coded`` rows): the
    file's edition is decided (:func:`decide`, over the rows alive then; kept as the run's fact
    ``edition``), then the codes it does not know are quarantined, and those whose edition
    cannot be told."""

    def decision(run: Run) -> Decision:
        def now() -> Decision:
            live = coded & run.alive
            return decide(run.raw.name, code[live], date(run)[live], declared)

        return run.fact(_EDITION, now)

    def unknown(run: Run) -> np.ndarray:
        def reasons() -> np.ndarray:
            out = np.full(len(code), "", dtype=object)
            out[coded] = unknown_reasons(code[coded], decision(run).edition)
            return out

        return run.fact("unknown_codes", reasons)

    def ambiguous(run: Run) -> np.ndarray:
        return coded & code.isin(list(decision(run).ambiguous)).to_numpy()

    def said(run: Run, hit: np.ndarray) -> np.ndarray:
        return np.array([ambiguous_reason(c) for c in code.to_numpy(dtype=object)[hit]], object)

    return [
        Rule(
            "unknown_region",
            Col.REGION_CODE,
            lambda run: coded & (unknown(run) != ""),
            lambda run, hit: unknown(run)[hit],
            ("unknown_region", "unknown_region_2020", "only_2020", "only_2025", "unplaced"),
        ),
        Rule("ambiguous_code", Col.REGION_CODE, ambiguous, said, ("ambiguous_code",)),
    ]


def _dhondt(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each running total split by integer weights in whole numbers that sum to it, by the
    highest averages (D'Hondt): a larger total never gives a successor less, so a series that
    never falls stays so for every successor, however its reports are split into files."""
    out = total[:, None] * weights[None, :] // int(weights.sum())  # every method's lower quota
    for _ in range(weights.size):
        left = total - out.sum(axis=1)
        if not left.any():
            break
        best = np.argmax(weights[None, :] / (out + 1), axis=1)  # ties to the earlier code
        out[np.flatnonzero(left > 0), best[left > 0]] += 1
    return out


def totals_to_2025(accepted: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """Running totals in 2020 codes (a cumulative load, ``count`` the total) in 2025 codes.

    As :func:`to_2025`, but a split region's totals are apportioned by D'Hondt
    (:func:`_dhondt`), not by largest remainder: the cumulative loads of a region are one
    series at each rebuild, and largest remainder could give a successor a lower share of a
    larger total (the Alabama paradox), a correction that the published series never had.
    """
    out, summary = to_2025(accepted)
    book = codes()
    old = accepted[Col.REGION_CODE].fillna("").to_numpy(dtype=object)
    width = np.fromiter((len(book.successors.get(c, (c,))) for c in old), np.int64, len(old))
    starts = np.cumsum(width) - width
    count = out[Col.COUNT].to_numpy(dtype=np.int64).copy()
    for parent in cast("dict[str, list[str]]", summary["apportioned"]):
        rows = np.flatnonzero(old == parent)
        heirs = book.successors[parent]
        weights = np.array([round(book.population[h]) for h in heirs], dtype=np.int64)
        parts = _dhondt(accepted[Col.COUNT].to_numpy(dtype=np.int64)[rows], weights)
        for j in range(len(heirs)):
            count[starts[rows] + j] = parts[:, j]
    out[Col.COUNT] = count
    return out, summary


def translate_load(checked: Checked, *, cumulative: bool = False) -> Checked:
    """A validated load in 2025 codes (in place), as :func:`translate`; the totals of a
    cumulative load by :func:`totals_to_2025`."""
    if not cumulative:
        return translate(checked)
    if checked.codes is None or checked.codes["edition"] != "2020":
        return checked
    checked.accepted, summary = totals_to_2025(checked.accepted)
    checked.codes = {**checked.codes, **summary}
    return checked


def coded_inside(code: pd.Series, scope: str, edition: str | None) -> np.ndarray:
    """Whether each region code (``None`` for a point) lies inside the region ``scope`` (2025
    code): the region itself or a finer one. A 2020 code is read as its 2025 successors and
    is inside only when all of them are: 2020's Papua (``91``) is today's ``91``, ``93``,
    ``94`` and ``95``, so it is outside the scope ``91`` as a province row is outside a
    regency's scope, while 2020's ``91.01`` (Merauke, today ``93.01``) is inside ``93``."""
    text = code.fillna("").astype(str).to_numpy(dtype=object)
    if edition == "2020":
        book = codes()
        heirs = [book.successors.get(c, (c,)) if c else ("",) for c in text]
    else:
        heirs = [(c,) for c in text]
    prefix = scope + "."
    return np.array([all(h == scope or h.startswith(prefix) for h in s) for s in heirs], bool)


def scope_notes(code: pd.Series, edition: str | None) -> np.ndarray:
    """For an ``outside_region`` reason: what each 2020 code is today when it changed
    (``": region code 91 of the 2020 edition is today's 91, 93, 94, 95"``), else ``""``."""
    text = code.fillna("").astype(str).to_numpy(dtype=object)
    notes = np.full(len(text), "", dtype=object)
    if edition != "2020":
        return notes
    book = codes()
    for i, c in enumerate(text):
        heirs = book.successors.get(c, (c,))
        if c and heirs != (c,):
            notes[i] = f": region code {c} of the 2020 edition is today's {', '.join(heirs)}"
    return notes


def of_loads(loads: list[dict]) -> dict[str, object] | None:
    """The manifest's ``codes`` of a rebuild from an inputs store (:mod:`geo.uploads`): every
    load's rows are in 2025 codes by then (translated when loaded), and ``loads`` lists each
    cases load's name, sha256, scope, edition and how it was known."""
    said = [
        {"name": x["name"], "sha256": x["sha256"], "scope": x["scope"], **x["codes"]}
        for x in loads
        if "codes" in x
    ]
    if not said:
        return None
    return {"edition": "2025", "how": "translated when loaded (loads)", "loads": said}
