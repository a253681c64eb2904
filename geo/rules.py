"""The validation engine: a file's rows checked by rules run in a declared order.

A :class:`Rule` names the quarantine ``check`` it writes, the column it reads, a vectorised
test (which rows fail it), the reason sentence and the catalogue keys that word that sentence
for the reader (``reason.<key>`` in ``dashboard/i18n.py``). :func:`run_rules` keeps every
row's position in the file and id from reading to the end: a row is quarantined by the first
rule it fails (the rules after it never see it), so that one pass over ``quarantine.csv``
fixes the file, and accepted + quarantined = read, always. Rules share what they parse
(dates, points, the edition of the codes) through :meth:`Run.fact`, computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from geo.readers import RawTable
from geo.values import first_positions, text

QUARANTINE_COLUMNS = ["file", "row", "column", "check", "value", "reason"]
#: The reason of a row whose number of fields is not the header's (found while reading).
MALFORMED_REASON = "the row does not have the same number of fields as the header"

T = TypeVar("T")
#: The sentences of the rows a rule quarantines: one for all, or one per row (``hit``).
Reason = str | Callable[["Run", np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Rule:
    """One check of a row.

    Attributes
    ----------
    check
        The quarantine's ``check`` value (kept in English; the Data page words it).
    column
        The column named in the quarantine; its value as written is the entry's ``value``.
    fails
        Which rows fail, as a boolean array over the file's rows (rows quarantined by an
        earlier rule are ignored).
    reason
        The English sentence, or a function of the run and the positions of the failing rows
        giving one sentence each.
    words
        The catalogue keys (``reason.<key>``) of the sentence in Bahasa Indonesia and English.
    value
        The entry's ``value`` for the failing rows (default: ``column`` as written).
    """

    check: str
    column: str
    fails: Callable[[Run], np.ndarray]
    reason: Reason
    words: tuple[str, ...]
    value: Callable[[Run, np.ndarray], np.ndarray] | None = None


class Run:
    """The rows of one file under validation: which are alive, the quarantine so far, and the
    facts the rules share (parsed once, see :meth:`fact`)."""

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.alive = np.ones(len(raw.frame), dtype=bool)
        #: The file's row number of each row (the header is row 1).
        self.rows = raw.rows.to_numpy()
        self._parts: list[pd.DataFrame] = []
        self._facts: dict[str, object] = {}
        if raw.malformed:
            self._parts.append(
                pd.DataFrame(
                    {
                        "file": raw.name,
                        "row": [n for n, _ in raw.malformed],
                        "column": "",
                        "check": "malformed_row",
                        "value": [t[:200] for _, t in raw.malformed],
                        "reason": MALFORMED_REASON,
                    }
                )
            )

    def fact(self, name: str, compute: Callable[[], T]) -> T:
        """A value the rules share, computed the first time it is asked for."""
        if name not in self._facts:
            self._facts[name] = compute()
        return cast(T, self._facts[name])

    def text(self, column: str) -> pd.Series:
        """A column as stripped text (``""`` for missing or absent), read once."""
        return self.fact(f"text:{column}", lambda: text(self.raw.frame, column))

    def apply(self, rule: Rule) -> None:
        """Quarantine the rows still alive that fail ``rule``."""
        hit = np.asarray(rule.fails(self), dtype=bool) & self.alive
        if not hit.any():
            return
        idx = np.flatnonzero(hit)
        if rule.value is not None:
            values = rule.value(self, idx)
        elif rule.column in self.raw.frame:
            values = self.raw.frame[rule.column].iloc[idx].astype(str).to_numpy()
        else:
            values = np.full(len(idx), "", dtype=object)
        reasons = rule.reason if isinstance(rule.reason, str) else rule.reason(self, idx)
        self._parts.append(
            pd.DataFrame(
                {
                    "file": self.raw.name,
                    "row": self.rows[idx],
                    "column": rule.column,
                    "check": rule.check,
                    "value": values,
                    "reason": reasons,
                }
            )
        )
        self.alive &= ~hit

    def quarantine(self) -> pd.DataFrame:
        """The quarantined rows in the file's order."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in QUARANTINE_COLUMNS})
        table = pd.concat(self._parts, ignore_index=True)
        return table.sort_values("row", kind="stable").reset_index(drop=True)

    def keep(self, values: pd.Series) -> pd.Series:
        """``values`` (one per row of the file) of the rows still alive."""
        if self.alive.all():  # nothing quarantined: no copy
            return values.reset_index(drop=True)
        return values[self.alive].reset_index(drop=True)


def run_rules(raw: RawTable, rules: Sequence[Rule]) -> Run:
    """Check the rows of ``raw`` by each of ``rules`` in turn; each row is quarantined by the
    first rule it fails."""
    run = Run(raw)
    for rule in rules:
        run.apply(rule)
    return run


def missing(column: str) -> Rule:
    """A required value: quarantined as ``missing`` when blank."""
    return Rule(
        "missing",
        column,
        lambda run: (run.text(column) == "").to_numpy(),
        f"{column} is missing",
        ("missing",),
    )


def _first_rows(column: str) -> Callable[[Run], np.ndarray]:
    def first(run: Run) -> np.ndarray:
        return run.fact(f"first:{column}", lambda: first_positions(run.text(column)))

    return first


def unique(column: str) -> Rule:
    """An id given once in the file: a repeat is quarantined as ``duplicate`` naming the row
    of the first (which is kept)."""
    first = _first_rows(column)

    def fails(run: Run) -> np.ndarray:
        ids = run.text(column)
        return (first(run) != np.arange(len(ids))) & (ids != "").to_numpy()

    def reason(run: Run, hit: np.ndarray) -> np.ndarray:
        first_row = run.rows[first(run)[hit]]
        return np.array([f"duplicate {column} (first at row {r})" for r in first_row], object)

    return Rule("duplicate", column, fails, reason, ("duplicate",))


def ids(column: str, *, required: bool = True) -> list[Rule]:
    """The rules of an id column: given (when ``required``) and unique."""
    return [missing(column), unique(column)] if required else [unique(column)]
