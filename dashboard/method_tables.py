"""The tables of the Method page, rendered from the build's configuration and manifest."""

from __future__ import annotations

import pandas as pd

from dashboard import data
from dashboard.i18n import STRINGS, t
from geo.formats import number, percent, trimmed
from geo.views import SOURCE_KEYS, Privacy, metric_words, noise_shares


def metric_name(metric: str, lang: str) -> str:
    """The words a reason uses for ``metric`` in ``lang``."""
    return metric_words(metric, lang)


def criterion_title(n: int, criterion: dict, lang: str) -> str:
    return t("method.criterion", lang, n=n, metric=metric_name(criterion["metric"], lang))


def criterion_table(criterion: dict, lang: str) -> pd.DataFrame:
    """One criterion's thresholds and conditions, one row per setting."""
    inclusive = "method.inclusive_yes" if criterion["inclusive"] else "method.inclusive_no"
    rows = [
        (
            t("method.metric", lang),
            f"{metric_name(criterion['metric'], lang)} ({criterion['metric']})",
        ),
        (t("method.orange", lang), trimmed(criterion["orange"], lang)),
        (t("method.red", lang), trimmed(criterion["red"], lang)),
        (t("method.inclusive", lang), t(inclusive, lang)),
        (t("method.red_min", lang), trimmed(criterion["red_min_cases_7d"], lang)),
    ]
    if criterion["min_checkins_7d"]:
        rows.append((t("method.min_checkins", lang), trimmed(criterion["min_checkins_7d"], lang)))
    if criterion["min_baseline_checkins_7d"]:
        rows.append(
            (t("method.min_baseline", lang), trimmed(criterion["min_baseline_checkins_7d"], lang))
        )
    frame = pd.DataFrame(rows, columns=[t("method.setting", lang), t("method.value", lang)])
    return frame.set_index(t("method.setting", lang))


def no_data_text(config: dict, manifest: dict, lang: str) -> str:
    absent = manifest.get("absent_cell", {})
    return t(
        "method.no_data_body",
        lang,
        max_population=trimmed(config["risk"]["no_data_max_population"], lang),
        populated=t(f"risk.{absent.get('populated', {}).get('risk', 'green')}", lang),
        unpopulated=t(f"risk.{absent.get('unpopulated', {}).get('risk', 'no_data')}", lang),
    )


def source_words(source: str, lang: str) -> str:
    """The words for a population source (see ``geo.population.SOURCE_KEYS``) in ``lang``."""
    key = SOURCE_KEYS.get(source)
    return t(f"population_source.{key}", lang) if key else source


def population_sources(lang: str) -> pd.DataFrame:
    """Each population source in the build with how many regions use it, most first."""
    counts = data.population_sources()
    return pd.DataFrame(
        {
            t("column.source", lang): [source_words(s, lang) for s in counts.index],
            t("column.regions", lang): [number(n, lang) for n in counts.to_numpy()],
        }
    ).set_index(t("column.source", lang))


def _file_words(files: str, what: str, lang: str) -> str:
    """A shipped file's description in ``lang`` (the README's words if the catalogue lacks it)."""
    key = "datafile." + files.split(",")[0].rsplit("/", 1)[-1].split(".")[0]
    return t(key, lang) if key in STRINGS[lang] else what


def data_sources(lang: str) -> pd.DataFrame:
    """Each shipped data file, what it holds and its licence, in ``lang``."""
    frame = data.data_sources()
    frame = frame.assign(
        what=[_file_words(f, w, lang) for f, w in zip(frame["file"], frame["what"], strict=True)],
        licence=[t("licence.none", lang) if x == "none stated" else x for x in frame["licence"]],
    )
    return frame.rename(
        columns={
            "file": t("column.file", lang),
            "what": t("column.what", lang),
            "licence": t("column.licence", lang),
        }
    )


def backtest_table(lang: str) -> pd.DataFrame:
    """The outlook's backtest against both baselines, one row per method, in ``lang``."""
    result = data.backtest_result()
    return pd.DataFrame(
        {
            t("backtest.method", lang): [t(f"backtest.{m}", lang) for m in result["method"]],
            t("backtest.forecasts", lang): [number(n, lang) for n in result["forecasts"]],
            t("backtest.accuracy", lang): [percent(a, lang, 1) for a in result["colour_accuracy"]],
            t("backtest.mae", lang): [number(m, lang) for m in result["mae_7d"]],
            t("backtest.coverage", lang): [percent(c, lang, 1) for c in result["coverage_90"]],
        }
    )


def privacy_text(config: dict, lang: str) -> str:
    """The disclosure-control method with the build's parameters (never its secret)."""
    rules = Privacy.model_validate(config["privacy"])
    sd, zero = noise_shares(rules.epsilon)
    return t(
        "method.privacy_body",
        lang,
        k=rules.min_count,
        epsilon=trimmed(rules.epsilon, lang, 3),
        sd=number(sd, lang, 1),
        zero=percent(zero, lang),
    )
