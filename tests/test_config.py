"""The risk configuration: presets by name, every validation error naming its key, the digest."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from importlib import resources

import pytest

from geo.config import DEFAULT_PRESET, METRIC_LABELS, PRESETS, Config, load_config, parse_config
from geo.errors import ConfigError

MINIMAL = """\
name = "mine"
[risk]
[[risk.criteria]]
metric = "cases_7d"
orange = 1
red = 5
"""


def _with(extra_top: str = "", criterion_extra: str = "", cells: str = "") -> str:
    text = f'name = "mine"\n{extra_top}'
    if cells:
        text += f"[cells]\n{cells}\n"
    return (
        text
        + f'[risk]\n[[risk.criteria]]\nmetric = "cases_7d"\norange = 1\nred = 5\n{criterion_extra}'
    )


def test_minimal_config_takes_the_defaults():
    config = parse_config(MINIMAL)
    assert config.name == "mine"
    assert config.cells.resolutions == [9, 8, 7, 6]
    assert config.base_resolution == 9
    assert config.exposure.window_hours == 2
    assert config.exposure.case_within_days == 14
    assert config.privacy.min_count == 10
    assert (config.privacy.method, config.privacy.epsilon, config.privacy.seed) == (
        "cell_key_geometric",
        0.7,
        "",
    )
    assert config.risk.no_data_max_population == 0
    completeness = config.completeness
    assert (completeness.min_share, completeness.lookback_days, completeness.usual_share) == (
        0.9,
        28,
        0.5,
    )
    (crit,) = config.risk.criteria
    assert (crit.metric, crit.orange, crit.red, crit.inclusive) == ("cases_7d", 1, 5, True)
    assert (crit.red_min_cases_7d, crit.min_checkins_7d, crit.min_baseline_checkins_7d) == (0, 0, 0)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_by_name(name):
    config = load_config(preset=name)
    assert config.name == name
    assert config.risk.criteria


def test_default_preset_is_pantauzona():
    assert DEFAULT_PRESET == "pantauzona"
    assert load_config() == load_config(preset="pantauzona")


def test_preset_values():
    ppkm = load_config(preset="ppkm").risk.criteria
    assert [(c.metric, c.orange, c.red, c.inclusive) for c in ppkm] == [
        ("cases_per_100k_7d", 20, 150, True)
    ]
    mikro = load_config(preset="ppkm_mikro").risk.criteria
    assert [(c.metric, c.orange, c.red, c.inclusive) for c in mikro] == [("cases_7d", 0, 5, False)]
    hghi = load_config(preset="hghi").risk.criteria
    assert [(c.metric, c.orange, c.red) for c in hghi] == [("avg_daily_cases_per_100k_7d", 1, 25)]
    ours = load_config(preset="pantauzona")
    assert [(c.metric, c.orange, c.red, c.red_min_cases_7d) for c in ours.risk.criteria] == [
        ("cases_per_100k_7d", 20, 150, 5),
        ("exposed_pct_7d", 5, 20, 5),
        ("crowding_ratio", 1.5, 3, 5),
    ]
    crowding = ours.risk.criteria[2]
    assert (crowding.min_checkins_7d, crowding.min_baseline_checkins_7d) == (100, 100)


def test_every_preset_file_is_listed():
    files = sorted(
        p.name.removesuffix(".toml")
        for p in resources.files("geo.presets").iterdir()
        if p.name.endswith(".toml")
    )
    assert files == sorted(PRESETS)


def test_every_metric_has_a_label():
    assert set(METRIC_LABELS) == set(
        Config.model_json_schema()["$defs"]["Criterion"]["properties"]["metric"]["enum"]
    )


def test_unknown_preset_is_refused_with_the_choices():
    with pytest.raises(
        ConfigError,
        match=re.escape("Unknown preset 'psbb'; choose one of pantauzona, ppkm, ppkm_mikro, hghi."),
    ):
        load_config(preset="psbb")


def test_file_and_preset_together_are_refused(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"^Give a configuration file or a preset name, not both\.$"
    ):
        load_config(path, preset="ppkm")


def test_config_file_loads(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_config(path).name == "mine"


def test_missing_config_file(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(
        ConfigError,
        match=re.escape(f"Cannot read the risk configuration {path}: No such file or directory."),
    ):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_with(extra_top="colour = 1\n"), "colour: unknown key."),
        (_with(criterion_extra="redd = 3\n"), "risk.criteria.0.redd: unknown key."),
        (
            _with(criterion_extra="").replace("orange = 1", "orange = 5"),
            "risk.criteria.0: thresholds must increase: orange 5 is not below red 5.",
        ),
        (
            _with(criterion_extra="").replace("orange = 1", "orange = 7"),
            "risk.criteria.0: thresholds must increase: orange 7 is not below red 5.",
        ),
        (
            _with(cells="resolutions = [10, 8]"),
            "cells.resolutions: H3 resolution 10 is outside 0..9 (a finer grid of Indonesia "
            "does not fit in memory).",
        ),
        (
            _with(cells="resolutions = [9, -1]"),
            "cells.resolutions: H3 resolution -1 is outside 0..9",
        ),
        (
            _with(cells="resolutions = [7, 8]"),
            "cells.resolutions: resolutions must be strictly decreasing, finest first (got [7, 8]).",
        ),
        (
            _with(cells="resolutions = [8, 8]"),
            "cells.resolutions: resolutions must be strictly decreasing, finest first (got [8, 8]).",
        ),
        (_with(cells="resolutions = []"), "cells.resolutions: List should have at least 1 item"),
        (_with().replace('"cases_7d"', '"deaths"'), "risk.criteria.0.metric: Input should be"),
        (_with().replace("orange = 1", "orange = -1"), "risk.criteria.0.orange: Input should be"),
        ('name = "mine"\n', "risk: Field required."),
        ('name = "mine"\n[risk]\ncriteria = []\n', "risk.criteria: List should have at least 1"),
        ("[risk]\n" + MINIMAL.split("[risk]\n", 1)[1], "name: Field required."),
        (
            _with(extra_top="[exposure]\nwindow_hours = 0\n"),
            "exposure.window_hours: Input should be greater than 0.",
        ),
        (
            _with(extra_top="[exposure]\ncase_within_days = 29\n"),
            "exposure.case_within_days: Input should be less than or equal to 28.",
        ),
        (
            _with(extra_top="[privacy]\nmin_count = 0\n"),
            "privacy.min_count: Input should be greater than or equal to 1.",
        ),
        (
            _with(extra_top="[privacy]\nepsilon = 0\n"),
            "privacy.epsilon: Input should be greater than 0.",
        ),
        (
            _with(extra_top="[privacy]\nepsilon = 6\n"),
            "privacy.epsilon: Input should be less than or equal to 5.",
        ),
        (
            _with(extra_top='[privacy]\nmethod = "suppression"\n'),
            "privacy.method: Input should be 'cell_key_geometric'.",
        ),
        (
            _with(extra_top="[completeness]\nmin_share = 0\n"),
            "completeness.min_share: Input should be greater than 0.",
        ),
        (
            _with(extra_top="[completeness]\nmin_share = 1.5\n"),
            "completeness.min_share: Input should be less than or equal to 1.",
        ),
        (
            _with(extra_top="[completeness]\nlookback_days = 0\n"),
            "completeness.lookback_days: Input should be greater than or equal to 1.",
        ),
        (
            _with(extra_top="[completeness]\nusual_share = 2\n"),
            "completeness.usual_share: Input should be less than or equal to 1.",
        ),
        (
            _with(extra_top="[completeness]\nmin_shares = 0.9\n"),
            "completeness.min_shares: unknown key.",
        ),
    ],
)
def test_validation_errors_name_the_key(text, message):
    with pytest.raises(
        ConfigError, match=r"^Invalid risk configuration mine\.toml: " + re.escape(message)
    ):
        parse_config(text, source="mine.toml")


def test_every_problem_is_reported_at_once():
    text = _with(extra_top="colour = 1\n", cells="resolutions = [10]")
    with pytest.raises(ConfigError) as info:
        parse_config(text, source="mine.toml")
    assert str(info.value) == (
        "Invalid risk configuration mine.toml: cells.resolutions: H3 resolution 10 is outside "
        "0..9 (a finer grid of Indonesia does not fit in memory); colour: unknown key."
    )


def test_not_toml_is_refused():
    with pytest.raises(
        ConfigError, match=r"^Invalid risk configuration mine\.toml: not valid TOML \(.*line 1"
    ):
        parse_config("name = \n", source="mine.toml")


def test_config_error_is_a_value_error():
    with pytest.raises(ValueError, match="unknown key"):
        parse_config(_with(extra_top="colour = 1\n"))


def test_config_is_frozen():
    config = parse_config(MINIMAL)
    with pytest.raises(ValueError, match="frozen"):
        config.name = "other"


def test_digest_is_the_sha256_of_the_canonical_json():
    config = load_config()
    canonical = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    assert config.digest() == hashlib.sha256(canonical.encode()).hexdigest()
    assert load_config().digest() == config.digest()


def test_digest_ignores_layout_and_comments_but_not_values():
    reordered = '# a comment\n[risk]\n[[risk.criteria]]\nred = 5\norange = 1\nmetric = "cases_7d"\n'
    reordered = 'name   =   "mine"\n' + reordered
    assert parse_config(reordered).digest() == parse_config(MINIMAL).digest()
    # Defaults written out give the same configuration, so the same digest.
    explicit = MINIMAL + "inclusive = true\n"
    assert parse_config(explicit).digest() == parse_config(MINIMAL).digest()
    changed = MINIMAL.replace("red = 5", "red = 6")
    assert parse_config(changed).digest() != parse_config(MINIMAL).digest()


def test_digests_of_the_presets_differ():
    assert len({load_config(preset=p).digest() for p in PRESETS}) == len(PRESETS)


def test_preset_files_are_valid_toml_with_their_own_name():
    for name in PRESETS:
        text = resources.files("geo.presets").joinpath(f"{name}.toml").read_text(encoding="utf-8")
        assert tomllib.loads(text)["name"] == name


def test_the_input_window_defaults_and_values():
    import datetime as dt

    config = parse_config(MINIMAL)
    assert config.input.earliest_date == dt.date(2020, 1, 1)
    assert config.input.latest_date is None  # today (WIB)
    table = "[input]\nearliest_date = 2021-06-01\nlatest_date = 2021-07-31\n"
    mine = parse_config('name = "mine"\n' + table + MINIMAL.replace('name = "mine"\n', ""))
    assert (mine.input.earliest_date, mine.input.latest_date) == (
        dt.date(2021, 6, 1),
        dt.date(2021, 7, 31),
    )
    # config.json holds the window: a build's rules say which dates it accepted.
    assert mine.model_dump(mode="json")["input"] == {
        "earliest_date": "2021-06-01",
        "latest_date": "2021-07-31",
        "codes": None,  # the cases' code edition: detected
    }
    coded = parse_config(
        'name = "mine"\n[input]\ncodes = "2020"\n' + MINIMAL.replace('name = "mine"\n', "")
    )
    assert coded.input.codes == "2020"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "earliest_date = 2021-08-01\nlatest_date = 2021-07-31",
            "input: latest_date 2021-07-31 is before earliest_date 2021-08-01.",
        ),
        (
            'earliest_date = "soon"',
            "input.earliest_date: Input should be a valid date or datetime, input is too short.",
        ),
        ("first_date = 2021-01-01", "input.first_date: unknown key."),
        ('codes = "2019"', "input.codes: Input should be '2020' or '2025'."),
    ],
)
def test_a_bad_input_window_names_the_key(table, message):
    text = f'name = "mine"\n[input]\n{table}\n' + MINIMAL.replace('name = "mine"\n', "")
    with pytest.raises(
        ConfigError, match=re.escape(f"Invalid risk configuration <text>: {message}")
    ):
        parse_config(text)
