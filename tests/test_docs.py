"""Docs that cannot drift: the README's methodology tables against the presets and the config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.config import METRIC_LABELS, PRESETS, Config, load_config
from geo.vocab import EXPORT_FORMATS, METRICS, STATES

README = Path(__file__).resolve().parent.parent / "README.md"


def table_under(heading: str) -> list[dict[str, str]]:
    """The first Markdown table after ``heading``, as one dict per row keyed by the header."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    header, _, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_pantauzona_table_matches_the_preset():
    rows = table_under("### The pantauzona preset")
    criteria = load_config(preset="pantauzona").risk.criteria
    assert [row["metric"].strip("`") for row in rows] == [c.metric for c in criteria]
    for row, crit in zip(rows, criteria, strict=True):
        assert number(row["orange at"]) == crit.orange, crit.metric
        assert number(row["red at"]) == crit.red, crit.metric
        assert number(row["red needs cases in 7 days"]) == crit.red_min_cases_7d, crit.metric
        applies = row["applies when"]
        limits = [float(n) for n in re.findall(r"≥ (\d+(?:\.\d+)?)", applies)]
        expected = [v for v in (crit.min_checkins_7d, crit.min_baseline_checkins_7d) if v]
        assert limits == expected, crit.metric
        if not expected:
            assert applies.startswith("always"), crit.metric
        assert crit.inclusive  # the table says "at": a value at a threshold reaches it


def test_every_preset_is_in_the_presets_table():
    rows = table_under("Presets (`--preset NAME`; files in `geo/presets/`):")
    names = [re.match(r"`(\w+)`", row["preset"]).group(1) for row in rows]
    assert sorted(names) == sorted(PRESETS)


@pytest.mark.parametrize("preset", ["ppkm", "hghi"])
def test_presets_table_states_the_thresholds(preset):
    rows = {
        re.match(r"`(\w+)`", r["preset"]).group(1): r["rule"]
        for r in table_under("Presets (`--preset NAME`; files in `geo/presets/`):")
    }
    (crit,) = load_config(preset=preset).risk.criteria
    assert f"< {crit.orange:g} green" in rows[preset]
    assert f"≥ {crit.red:g} red" in rows[preset]


def _keys(model: type, prefix: str = "") -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and hasattr(inner, "model_fields"):
            suffix = "[]" if getattr(annotation, "__origin__", None) is list else ""
            keys |= _keys(inner, f"{prefix}{name}{suffix}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def test_every_configuration_key_is_documented():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("Configuration keys:") :]
    documented = set()
    for line in section.splitlines()[1:]:
        if line.startswith("| `"):
            cell = line.split("|")[1]
            names = re.findall(r"`([^`]+)`", cell)
            # "`risk.criteria[].orange`, `.red`": a leading dot continues the first key's parent.
            parent = names[0].rsplit(".", 1)[0] if "." in names[0] else ""
            for name in names:
                documented.add(parent + name if name.startswith(".") else name)
        elif documented and not line.startswith("|"):
            break
    assert _keys(Config) == documented


def test_every_metric_is_listed_in_the_configuration_keys():
    text = README.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("| `risk.criteria[].metric`"))
    assert set(re.findall(r"`(\w+)`", line.split("|")[2])) == set(METRIC_LABELS)


def test_the_metrics_table_is_the_vocabulary():
    rows = table_under("### Metrics")
    documented = {}
    for row in rows:
        for name in re.findall(r"`(\w+)`", row["metric"]):
            documented[name] = row["how it rolls up"]
    stored = {m.name: m.rolls_up for m in METRICS.values() if m.stored}
    assert documented == stored


def test_the_export_formats_are_the_vocabulary():
    text = README.read_text(encoding="utf-8")
    start = text.index("\nFormats: ") + 1
    paragraph = text[start : text.index("\n\n", start)]
    assert re.findall(r"`(\w+)`(?= \(| and `)", paragraph) == list(EXPORT_FORMATS)


def test_the_accessibility_colours_are_the_states_colours():
    text = README.read_text(encoding="utf-8")
    sentence = text[text.index("the four states are") :].split("(`geo/palette.py`")[0]
    assert re.findall(r"`(#[0-9a-f]{6})`", sentence) == [s.colour for s in STATES]
