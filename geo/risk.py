"""Risk colours: one generic classifier over the configured criteria, with a reason per zone.

Each criterion gives ``green`` (0), ``orange`` (1) or ``red`` (2) for one metric against two
thresholds; red needs ``red_min_cases_7d`` cases (small-number protection, else orange), counted
exactly: cases spread over cells from a region-coded count count as that region's whole count
(:func:`protection_cases`). A zone
takes its worst criterion and the reason of the first criterion that reached it. A zone whose
population is at most ``no_data_max_population``, or where no criterion applies, is ``no_data``:
never silently green.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from geo.columns import COUNT_METRICS, Out
from geo.config import Config, Criterion
from geo.errors import BuildError
from geo.formats import HIDDEN, figure, figure_rounded
from geo.metrics import ratios
from geo.vocab import LEVEL_STATES, METRIC_WORDS, METRICS, NO_DATA, STATE_WORDS

_WORDS: dict[str, dict[str, Any]] = {
    "en": {
        **METRIC_WORDS,
        "with": "with {n} cases",
        "capped": "but only {n} cases in 7 days (red needs at least {m})",
        "no_population": "no resident population recorded for this zone",
        "no_metric": "no metric could be computed",
        "public": "{n} cases in 7 days",
        "public_rate": "{n} cases in 7 days, {r} per 100k",
        "state": STATE_WORDS["en"],
    },
    "id": {
        "cases_per_100k_7d": "kasus per 100 ribu penduduk dalam 7 hari",
        "avg_daily_cases_per_100k_7d": "rata-rata kasus harian per 100 ribu selama 7 hari",
        "cases_7d": "kasus dalam 7 hari",
        "cases_14d": "kasus dalam 14 hari",
        "growth_ratio_7d": "kali kasus pekan sebelumnya",
        "crowding_ratio": "kali check-in biasanya",
        "exposed_checkins_7d": "check-in terpapar kasus dalam 7 hari",
        "exposed_pct_7d": "% check-in terpapar kasus dalam 7 hari",
        "checkins_7d": "check-in dalam 7 hari",
        "with": "dengan {n} kasus",
        "capped": "tetapi hanya {n} kasus dalam 7 hari (merah perlu paling sedikit {m})",
        "no_population": "tidak ada penduduk tercatat di zona ini",
        "no_metric": "tidak ada metrik yang dapat dihitung",
        "public": "{n} kasus dalam 7 hari",
        "public_rate": "{n} kasus dalam 7 hari, {r} per 100 ribu penduduk",
        "state": STATE_WORDS["id"],
    },
}


def metric_words(metric: str, lang: str = "en") -> str:
    """The words a reason uses for ``metric``, in ``lang`` (``en`` or ``id``)."""
    return str(_WORDS.get(lang, _WORDS["en"])[metric])


def state_word(state: str, lang: str = "en") -> str:
    """The name of a risk state (``red`` … ``no_data``) in ``lang``."""
    return str(_WORDS.get(lang, _WORDS["en"])["state"][state])


def metric_values(table: pd.DataFrame, metric: str) -> np.ndarray:
    """The values of a criterion's metric (derived metrics computed here)."""
    if metric == "avg_daily_cases_per_100k_7d":
        return table[Out.CASES_PER_100K_7D].to_numpy(dtype=float) / 7
    return table[metric].to_numpy(dtype=float)


def protection_cases(table: pd.DataFrame) -> np.ndarray:
    """The 7-day count small-number protection reads: ``cases_7d_exact`` where a zone holds cases
    spread from region-coded counts (the exact counts of their regions), else ``cases_7d``."""
    cases = table[Out.CASES_7D].to_numpy(dtype=float)
    if Out.CASES_7D_EXACT not in table:
        return cases
    exact = table[Out.CASES_7D_EXACT].to_numpy(dtype=float)
    return np.where(np.isnan(exact), cases, exact)


def criterion_level(table: pd.DataFrame, crit: Criterion) -> tuple[np.ndarray, np.ndarray]:
    """Level (-1 not applicable, 0 green, 1 orange, 2 red) and whether red was capped."""
    value = metric_values(table, crit.metric)
    cases = protection_cases(table)
    reach = np.greater_equal if crit.inclusive else np.greater
    with np.errstate(invalid="ignore"):
        level = np.where(reach(value, crit.red), 2, np.where(reach(value, crit.orange), 1, 0))
    capped = (level == 2) & (cases + 1e-9 < crit.red_min_cases_7d)
    level = np.where(capped, 1, level)
    applicable = ~np.isnan(value)
    if crit.min_checkins_7d:
        applicable &= table[Out.CHECKINS_7D].to_numpy(dtype=float) >= crit.min_checkins_7d
    if crit.min_baseline_checkins_7d:
        base = np.nan_to_num(table[Out.CHECKINS_BASELINE_7D].to_numpy(dtype=float))
        applicable &= base >= crit.min_baseline_checkins_7d
    return np.where(applicable, level, -1), capped & applicable


def classify(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Risk state, the deciding criterion's index and whether its red was capped, per row.

    Returns
    -------
    DataFrame
        ``risk`` (categorical), ``criterion`` (index into ``config.risk.criteria``, -1 for no
        data) and
        ``capped``, aligned with ``table``.
    """
    criteria = config.risk.criteria
    levels, capped = zip(*(criterion_level(table, c) for c in criteria), strict=True)
    level_matrix = np.vstack(levels)  # criteria x rows
    best = level_matrix.max(axis=0)
    decisive = np.argmax(level_matrix == best, axis=0)
    was_capped = np.vstack(capped)[decisive, np.arange(len(table))]
    population = table[Out.POPULATION].to_numpy(dtype=float)
    no_population = ~(population > config.risk.no_data_max_population)  # NaN: no population
    no_data = no_population | (best < 0)
    risk = np.where(no_data, LEVEL_STATES.index(NO_DATA), np.maximum(best, 0))
    return pd.DataFrame(
        {
            Out.RISK: pd.Categorical.from_codes(risk, categories=LEVEL_STATES),
            "criterion": np.where(no_data, -1, decisive),
            "capped": was_capped & ~no_data,
            "no_population": no_population,
        },
        index=table.index,
    )


def _count(value: float, suppress_below: int | None, lang: str) -> str:
    if suppress_below is not None and 0 < value < suppress_below:
        return f"< {suppress_below}"
    return figure(value, lang)


def _texts(
    firsts: dict[str, np.ndarray],
    value_labels: np.ndarray,
    case_labels: np.ndarray,
    criteria: list[Criterion],
    lang: str,
    suppress_below: int | None,
    hide: frozenset[str],
) -> np.ndarray:
    """The reason of each distinct combination (``firsts``: its ``state``, ``crit``, ``value``
    and ``cases`` codes, ``capped``, ``no_population``), built by array concatenation: each
    distinct value and count is formatted once, each distinct wording pattern (state,
    criterion, capped, without population) written once, and the patterns filled in."""
    words = _WORDS[lang]
    state, crit_idx, vcode, ccode = (firsts[k] for k in ("state", "crit", "value", "cases"))
    capped, no_population = firsts["capped"], firsts["no_population"]
    # Only the figures some reason shows are formatted: a value as a count or as a figure by
    # its criterion's kind, a zone's cases where the wording names them.
    shows = np.array([c.metric not in hide for c in criteria] + [False])[crit_idx]
    is_count = np.array([METRICS[c.metric].kind == "count" for c in criteria] + [False])[crit_idx]
    names_cases = capped | np.array([c.metric != "cases_7d" for c in criteria] + [False])[crit_idx]

    def formatted(
        labels: np.ndarray, codes: np.ndarray, form: Callable[[float], str]
    ) -> np.ndarray:
        out = np.empty(len(labels), dtype=object)
        needed = np.unique(codes)
        out[needed] = [form(v) for v in labels[needed].tolist()]
        return out

    shown_figure = formatted(value_labels, vcode[shows & ~is_count], lambda v: figure(v, lang))
    shown_count = formatted(
        value_labels, vcode[shows & is_count], lambda v: _count(v, suppress_below, lang)
    )
    cases_text = formatted(
        case_labels, ccode[names_cases], lambda n: _count(n, suppress_below, lang)
    )
    hides = np.zeros(len(case_labels), dtype=bool)
    if suppress_below is not None:  # a rate from a hidden count is not shown
        hides = (case_labels > 0) & (case_labels < suppress_below)
    pattern = ((state * (len(criteria) + 1) + crit_idx + 1) * 2 + capped) * 2 + no_population
    out = np.empty(len(state), dtype=object)
    for key in np.unique(pattern).tolist():
        rows = np.flatnonzero(pattern == key)
        first = rows[0]
        head = words["state"][LEVEL_STATES[state[first]]]
        if crit_idx[first] < 0:
            out[rows] = f"{head}: {words['no_population' if no_population[first] else 'no_metric']}"
            continue
        crit = criteria[crit_idx[first]]
        was_capped = bool(capped[first])
        sign, limit = "<", crit.orange
        if LEVEL_STATES[state[first]] == "red" or was_capped:
            sign, limit = ("≥" if crit.inclusive else ">"), crit.red
        elif LEVEL_STATES[state[first]] == "orange":
            sign = "≥" if crit.inclusive else ">"
        elif not crit.inclusive:
            sign = "≤"
        shown: np.ndarray
        if crit.metric in hide:
            shown = np.full(len(rows), HIDDEN, dtype=object)
        elif METRICS[crit.metric].kind == "count":
            shown = shown_count[vcode[rows]]
        else:
            shown = np.where(hides[ccode[rows]], HIDDEN, shown_figure[vcode[rows]])
        text = f"{head}: " + shown + f" {words[crit.metric]} ({sign} {figure(limit, lang)})"
        tail = None
        if was_capped:
            tail = words["capped"].format(n="\0", m=figure(crit.red_min_cases_7d, lang))
        elif crit.metric != "cases_7d":
            tail = words["with"].format(n="\0")
        if tail is not None:
            n = cases_text[ccode[rows]]
            parts = tail.split("\0")
            text = text + " " + parts[0]
            for part in parts[1:]:
                text = text + n + part
        out[rows] = text
    return out


def reasons(
    table: pd.DataFrame,
    classes: pd.DataFrame,
    config: Config,
    *,
    lang: str = "en",
    suppress_below: int | None = None,
    hide: frozenset[str] = frozenset(),
    categorical: bool = False,
) -> np.ndarray | pd.Categorical:
    """The reason for each row's colour, in English (``en``) or Bahasa Indonesia (``id``).

    With ``suppress_below`` (the public view), counts below it read "< k" and a rate computed
    from such a count is not shown. The values of the metrics in ``hide`` read "—" (the public
    view hides venue figures). Reasons are formatted once per distinct rounded input.
    """
    criteria = config.risk.criteria
    crit_idx = classes["criterion"].to_numpy()
    values = np.full(len(table), np.nan)
    for i, crit in enumerate(criteria):
        mask = crit_idx == i
        if mask.any():
            values[mask] = metric_values(table, crit.metric)[mask]
    risk = classes[Out.RISK].cat.codes.to_numpy().astype(np.int64)
    capped = classes["capped"].to_numpy(dtype=bool)
    no_population = classes["no_population"].to_numpy(dtype=bool)
    value_codes, value_labels = pd.factorize(figure_rounded(np.nan_to_num(values)), sort=False)
    # A capped reason names the count the protection read; any other, the zone's own cases.
    own = table[Out.CASES_7D].to_numpy(dtype=float)
    cases = figure_rounded(np.where(capped, protection_cases(table), own))
    case_codes, case_labels = pd.factorize(cases, sort=False)
    # The small columns combine by arithmetic; the two rounded figures by their factor codes.
    combined = ((risk * (len(criteria) + 1) + crit_idx + 1) * 2 + capped) * 2 + no_population
    combined = (combined * len(value_labels) + value_codes) * len(case_labels) + case_codes
    codes, uniques = pd.factorize(combined, sort=False)
    # Codes number the rows' combinations in order of first appearance, so the running maximum
    # of the codes first reaches ``j`` at the first row of combination ``j``.
    first_row = np.searchsorted(np.maximum.accumulate(codes), np.arange(len(uniques)))
    firsts = {
        "state": risk[first_row],
        "crit": crit_idx[first_row],
        "value": value_codes[first_row],
        "cases": case_codes[first_row],
        "capped": capped[first_row],
        "no_population": no_population[first_row],
    }
    texts = _texts(firsts, value_labels, case_labels, criteria, lang, suppress_below, hide)
    if categorical:  # distinct texts are few: store each once
        uniq_texts, text_codes = np.unique(texts.astype(str), return_inverse=True)
        return pd.Categorical.from_codes(text_codes[codes], categories=uniq_texts)
    return texts[codes]


def public_reasons(
    classes: pd.DataFrame, cases: list[str], rates: list[str], *, lang: str = "en"
) -> np.ndarray:
    """The public's reason for each row's colour: the colour and the *published* figures.

    It never names the deciding criterion, its threshold or the small-number rule: with a count
    below *k* those would narrow it ("red needs at least 5" says 1-4), and a venue criterion
    would reveal check-ins. ``cases`` and ``rates`` are display strings of published values
    (:func:`geo.privacy.public_table`); a hidden rate ("—") is left out.
    """
    words = _WORDS[lang]
    states = classes[Out.RISK].astype(str).to_numpy()
    no_population = classes["no_population"].to_numpy(dtype=bool)
    out = []
    for state, n, r, empty in zip(states, cases, rates, no_population, strict=True):
        head = words["state"][state]
        if state == NO_DATA:
            out.append(f"{head}: {words['no_population' if empty else 'no_metric']}")
        elif r == "—":
            out.append(f"{head}: {words['public'].format(n=n)}")
        else:
            out.append(f"{head}: {words['public_rate'].format(n=n, r=r)}")
    return np.array(out, dtype=object)


def score(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Add ``risk``, ``risk_reason`` (English, unsuppressed) and ``risk_metric`` (in place)."""
    classes = classify(table, config)
    table[Out.RISK] = classes[Out.RISK].array  # categorical over LEVEL_STATES, not strings
    table[Out.RISK_REASON] = reasons(table, classes, config, categorical=True)
    metrics = list(dict.fromkeys(c.metric for c in config.risk.criteria))
    position = np.array([metrics.index(c.metric) for c in config.risk.criteria] + [-1])
    table[Out.RISK_METRIC] = pd.Categorical.from_codes(
        position[classes["criterion"].to_numpy()], categories=metrics
    )
    return table


#: Stored columns each derived metric is computed from (``metrics.ratios`` for the ratios).
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    m.name: m.from_columns for m in METRICS.values() if m.kind == "ratio" and m.stored
}


def needed_columns(config: Config) -> set[str]:
    """The columns a table needs for :func:`classify` and :func:`reasons` under ``config``."""
    needed: set[str] = {Out.POPULATION, Out.CASES_7D}
    for crit in config.risk.criteria:
        derived = crit.metric == "avg_daily_cases_per_100k_7d"  # see metric_values
        needed.add(Out.CASES_PER_100K_7D if derived else crit.metric)
        if crit.min_checkins_7d:
            needed.add(Out.CHECKINS_7D)
        if crit.min_baseline_checkins_7d:
            needed.add(Out.CHECKINS_BASELINE_7D)
    return needed


def rescore(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """A copy of ``table`` (stored rows of a build) coloured by ``config``'s rules.

    A ratio the rules need that the table lacks is computed from the stored counts it derives
    from (:data:`DERIVED_FROM`). A
    :class:`~geo.errors.BuildError` names a count that is missing too.
    """
    out = table.copy()
    missing = sorted(m for m in needed_columns(config) if m not in out.columns)
    sources = {c for m in missing for c in DERIVED_FROM.get(m, (m,))}
    lacking = sorted(c for c in sources if c not in out.columns)
    if lacking:
        msg = (
            f"The build has no column {', '.join(lacking)}, which the rules of {config.name} need."
        )
        raise BuildError(msg)
    if missing:
        scratch = out.copy()
        for count in (*COUNT_METRICS, Out.CHECKINS_BASELINE_7D):
            if count not in scratch.columns:
                scratch[count] = np.nan
        ratios(scratch)
        for metric in missing:
            out[metric] = scratch[metric].to_numpy()
    return score(out, config)
