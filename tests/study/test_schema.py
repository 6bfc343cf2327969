"""The study-file schema: every bad setting is an error naming the key and the value."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import tomllib
from pathlib import Path

import pytest

from impact import baselines
from impact._core.constants import DEFAULT_N_PATHS, DEFAULT_SEED
from impact._core.exceptions import DataValidationError
from impact.baselines.glm import BaselineSpec
from impact.study.schema import (
    MIN_N_PATHS,
    STUDY_SCHEMA,
    STUDY_SECTIONS,
    describe_schema,
    validate_study,
)

REPO = Path(__file__).resolve().parents[2]
STUDY = tomllib.loads((REPO / "study.toml").read_text(encoding="utf-8"))
EVENT_IDS = ["E012", "E016", "E028", "E042", "E044", "E046", "E047", "E048", "E049", "E050",
             "E051", "E052"]
TEAMS = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]


def _with(section: str, key: str, value: object) -> dict:
    raw = copy.deepcopy(STUDY)
    raw.setdefault(section, {})[key] = value
    return raw


def _problems(raw: dict, **kwargs: object) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        validate_study(raw, **kwargs)
    header, *lines = str(info.value).splitlines()
    assert re.match(r"study file \S+ has \d+ problems?", header)
    assert int(header.split(" has ")[1].split()[0]) == len(lines)
    return lines


# The cases of issue 10 ("Study file errors ...") and the brief, each as (section, key,
# value, a fragment of the fix).
BAD = [
    ("study", "seed", "abc", "seed = 20240501"),
    ("study", "seed", -1, "seed = 20240501"),
    ("study", "seed", 1.7, "seed = 20240501"),
    ("study", "seed", True, "seed = 20240501"),
    ("study", "level", "high", "level = 0.95"),
    ("study", "level", 95, "level = 0.95"),
    ("study", "level", 1.0, "level = 0.95"),
    ("study", "level", float("nan"), "level = 0.95"),
    ("study", "n_paths", 0, f"n_paths = {DEFAULT_N_PATHS}"),
    ("study", "n_paths", -5, f"n_paths = {DEFAULT_N_PATHS}"),
    ("study", "n_paths", 1, f"n_paths = {DEFAULT_N_PATHS}"),
    ("study", "n_paths", 2000.0, "n_paths = 2000"),
    ("study", "n_paths", "2000", "n_paths = 2000"),
    ("study", "n_paths", 10**30, f"n_paths = {DEFAULT_N_PATHS}"),
    ("study", "year", 1999, "year = 2023"),
    ("study", "year", "2023", "year = 2023"),
    ("study", "teams", "Antwerpen", 'teams = ["Antwerpen"]'),
    ("study", "teams", ["Antwerpen", ""], "teams = "),
    ("study", "teams", ["Antwerpen", 3], "teams = "),
    ("study", "teams", ["Antwerpen", "Antwerpen"], 'teams = ["Antwerpen"]'),
    ("data", "kind", "published", 'kind = "synthetic"'),
    ("data", "kind", "Synthetic", 'kind = "synthetic"'),
    ("data", "calls", "", "calls = "),
    ("data", "calls", 5, "calls = "),
    ("data", "events", "data/\x00events.csv", "events = "),
    ("baseline", "family", "negbinn", 'family = "negbin"'),
    ("baseline", "trend", "quadratic", "trend = "),
    ("baseline", "seasonality", "weekly", "seasonality = "),
    ("baseline", "harmonics", 7, "harmonics = 2"),
    ("baseline", "harmonics", True, "harmonics = 2"),
    ("baseline", "exposure", "column", 'exposure = "days"'),
    ("baseline", "exposure", "hours", 'exposure = "days"'),
    ("baseline", "use_breaks", "yes", "use_breaks = true"),
    ("baseline", "ar_noise", 1, "ar_noise = true"),
    ("baseline", "trend_component", "random", "trend_component = "),
    ("baseline", "seasonal_kind", "fourier", "seasonal_kind = "),
    ("baseline", "order", [1, 0], "order = [1, 0, 0]"),
    ("baseline", "order", [1, 0.5, 0], "order = [1, 0, 0]"),
    ("baseline", "seasonal_order", "0,1,1,12", "seasonal_order = [0, 1, 1, 12]"),
    ("headline", "events", [], 'events = ["E048", "E049"]'),
    ("headline", "events", "E048", 'events = ["E048"]'),
    ("headline", "related", [47], "related = "),
    ("headline", "post_end", "soon", 'post_end = "2023-10"'),
    ("headline", "post_end", "2023", 'post_end = "2023-10"'),
    ("headline", "post_end", "2023-13", 'post_end = "2023-10"'),
    ("headline", "post_end", 202310, 'post_end = "2023-10"'),
    ("headline", "pre_start", "1990-01", 'pre_start = "2016-01"'),
    ("outputs", "dir", 5, 'dir = "results"'),
    ("outputs", "dir", "", 'dir = "results"'),
    ("outputs", "dir", " results", 'dir = "results"'),
    ("outputs", "suppression_threshold", -1, "suppression_threshold = 5"),
    ("outputs", "suppression_threshold", 5.5, "suppression_threshold = 5"),
    ("other_events", "events", "E012", 'events = ["E012"]'),
    ("other_events", "post_months", 0, "post_months = 3"),
    ("other_events", "post_months", 3.0, "post_months = 3"),
    ("diagnostics", "run", "false", "run = false"),
    ("diagnostics", "run", "true", "run = true"),
    ("diagnostics", "run", 0, "run = true"),
]


@pytest.mark.parametrize(("section", "key", "value", "fix"), BAD,
                         ids=[f"{s}.{k}={v!r}" for s, k, v, _ in BAD])
def test_bad_value_names_key_value_allowed_and_fix(section, key, value, fix):
    lines = _problems(_with(section, key, value))
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith(f"study.toml: [{section}] {key} = ")
    if value != 10**30 and value == value:  # not NaN
        assert f"{key} = {json.dumps(value, ensure_ascii=False)}:" in line, line
    assert "allowed: " in line
    assert f"Write {fix}" in line or f"Write e.g. {fix}" in line, line


@pytest.mark.parametrize(
    ("value", "reason"),
    [(1.7, "never rounded"), ("abc", "text is not a number"), (-1, "out of range")],
)
def test_seed_reasons(value, reason):
    (line,) = _problems(_with("study", "seed", value))
    assert reason in line


def test_bare_team_string_says_write_a_list():
    (line,) = _problems(_with("study", "teams", "Antwerpen"))
    assert 'teams = "Antwerpen": a single text, not a list' in line
    assert 'Write teams = ["Antwerpen"]' in line


def test_diagnostics_run_text_is_not_true():
    (line,) = _problems(_with("diagnostics", "run", "false"))
    assert "not a boolean" in line and "Write run = false" in line


def test_current_study_file_validates():
    out = validate_study(STUDY, known_event_ids=EVENT_IDS, known_teams=TEAMS)
    assert out["data"]["kind"] == "synthetic"
    assert out["teams"]["names"] == tuple(TEAMS)
    assert out["headline"] == {
        "events": ("E048", "E049"),
        "related": ("E047", "E050", "E051", "E052"),
        "post_end": "2023-10",
        "pre_start": "2016-01",
    }
    assert out["other_events"]["post_months"] == 3
    assert out["diagnostics"]["run"] is True
    assert BaselineSpec(**out["baseline"]) == BaselineSpec(**STUDY["baseline"])


def test_defaults_filled():
    out = validate_study({"data": {"calls": "data/raw/calls.csv"}})
    assert set(out) == set(STUDY_SECTIONS)
    assert {(s, k) for s in out for k in out[s]} == {(k.section, k.name) for k in STUDY_SCHEMA}
    assert out["data"]["kind"] == "synthetic"
    assert out["study"]["seed"] == DEFAULT_SEED
    assert out["study"]["teams"] == ()
    assert out["headline"]["post_end"] is None
    assert out["outputs"]["dir"] == "results"
    assert out["diagnostics"]["run"] is True
    assert BaselineSpec(**out["baseline"]) == BaselineSpec()


def test_does_not_mutate_input():
    raw = copy.deepcopy(STUDY)
    validate_study(raw)
    assert raw == STUDY


def test_month_normalised():
    out = validate_study(_with("headline", "post_end", "oktober 2023"))
    assert out["headline"]["post_end"] == "2023-10"


def test_int_accepted_for_float_but_not_bool_for_int():
    assert validate_study(_with("study", "level", 0.9))["study"]["level"] == 0.9
    (line,) = _problems(_with("study", "year", True))
    assert "true/false is not a number" in line


def test_several_problems_all_listed():
    raw = copy.deepcopy(STUDY)
    raw["study"].update(seed=1.7, level="high", n_paths=0, teams="Antwerpen")
    raw["headline"]["post_end"] = "soon"
    raw["outputs"]["dir"] = 5
    raw["other_events"]["post_months"] = 0
    raw["diagnostics"]["run"] = "false"
    lines = _problems(raw)
    named = ["[study] seed = 1.7", '[study] level = "high"', "[study] n_paths = 0",
             '[study] teams = "Antwerpen"', '[headline] post_end = "soon"', "[outputs] dir = 5",
             "[other_events] post_months = 0", '[diagnostics] run = "false"']
    assert len(lines) == len(named)
    for fragment, line in zip(named, lines, strict=True):
        assert fragment in line


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r["study"].update(sed=3), "[study] sed = 3: unknown key; did you mean "
                                             "[study] seed?"),
        (lambda r: r.update(baslin={}), "[baslin]: unknown section; did you mean [baseline]?"),
        (lambda r: r.update(year=2023), "year = 2023 at the top of the file: did you mean "
                                        "[study] year?"),
        (lambda r: r["study"].update(dir="out"), "dir belongs in [outputs]"),
        (lambda r: r["study"].update(zzz=1), "keys of [study]: seed, level"),
        (lambda r: r.update(study=5), "[study] is a whole number (5), not a section"),
        (lambda r: r.update(qqq={"a": 1}), "[qqq]: unknown section; sections: data, study"),
    ],
)
def test_unknown_names_are_errors_with_closest(mutate, expected):
    raw = copy.deepcopy(STUDY)
    mutate(raw)
    lines = _problems(raw)
    assert any(expected in line for line in lines), lines


def test_missing_required_key():
    raw = copy.deepcopy(STUDY)
    del raw["data"]["calls"]
    (line,) = _problems(raw)
    assert "[data] calls is required and missing" in line
    assert 'Add calls = "data/raw/calls.csv" under [data]' in line


def test_unknown_event_ids_listed_with_closest():
    raw = _with("headline", "events", ["E048", "E0049"])
    raw["other_events"]["events"] = ["E012", "E999"]
    lines = _problems(raw, known_event_ids=EVENT_IDS)
    assert len(lines) == 2
    assert '[headline] events = ["E048", "E0049"]' in lines[0]
    assert '"E0049" (closest: "E049"' in lines[0]
    assert "[other_events] events" in lines[1] and '"E999"' in lines[1]


def test_unknown_teams_listed_with_closest():
    (line,) = _problems(_with("teams", "names", ["Antwerp", "Limburg"]), known_teams=TEAMS)
    assert '[teams] names = ["Antwerp", "Limburg"]' in line
    assert '"Antwerp" (closest: "Antwerpen")' in line


def test_older_study_teams_still_read_and_checked():
    raw = copy.deepcopy(STUDY)
    del raw["teams"]["names"]
    raw["study"]["teams"] = ["Antwerp", "Limburg"]
    (line,) = _problems(raw, known_teams=TEAMS)
    assert '[study] teams = ["Antwerp", "Limburg"]' in line
    raw["study"]["teams"] = ["Limburg"]
    assert validate_study(raw, known_teams=TEAMS)["study"]["teams"] == ("Limburg",)


def test_teams_listed_twice_is_an_error():
    (line,) = _problems(_with("study", "teams", ["Limburg"]))
    assert "also listed in [teams] names" in line and "delete [study] teams" in line


def test_teams_section_total_aliases_and_data_measure_channels():
    raw = _with("teams", "aliases", {"1712 Antwerpen": "Antwerpen"})
    raw["teams"]["total"] = "Vlaanderen"
    raw["data"]["measure"] = "beantwoord"
    raw["data"]["channels"] = ["telefoon", "chat"]
    out = validate_study(raw)
    assert out["teams"]["aliases"] == {"1712 Antwerpen": "Antwerpen"}
    assert out["teams"]["total"] == "Vlaanderen"
    assert out["data"]["measure"] == "beantwoord"
    assert out["data"]["channels"] == ("telefoon", "chat")
    defaults = validate_study({"data": {"calls": "x.csv"}})
    assert defaults["teams"]["total"] == "Flanders" and defaults["data"]["channels"] == "sum"
    assert defaults["teams"]["aliases"] is None and defaults["data"]["measure"] is None


@pytest.mark.parametrize(("section", "key", "value", "reason"), [
    ("data", "channels", "phone", 'the only text allowed is "sum"'),
    ("data", "channels", [], "too few items"),
    ("teams", "aliases", ["1712 Antwerpen"], "is not a table"),
    ("teams", "aliases", {"1712 Antwerpen": 3}, "not text"),
    ("teams", "total", "", "empty text"),
])
def test_new_team_and_data_keys_refuse_bad_values(section, key, value, reason):
    (line,) = _problems(_with(section, key, value))
    assert f"[{section}] {key} = " in line and reason in line


def test_ids_not_checked_without_known_ids():
    out = validate_study(_with("headline", "events", ["X1"]))
    assert out["headline"]["events"] == ("X1",)


def test_headline_and_related_overlap():
    (line,) = _problems(_with("headline", "related", ["E047", "E048"]))
    assert '"E048" also in [headline] events' in line


def test_pre_start_after_post_end():
    (line,) = _problems(_with("headline", "pre_start", "2023-11"))
    assert '[headline] pre_start = "2023-11": not before post_end = "2023-10"' in line


def test_n_paths_minimum_grows_with_level():
    assert validate_study(_with("study", "n_paths", MIN_N_PATHS))["study"]["n_paths"] == 200
    raw = _with("study", "level", 0.99)
    raw["study"]["n_paths"] = 500
    (line,) = _problems(raw)
    assert "[study] n_paths = 500: too few for level = 0.99" in line
    assert "n_paths = 1000" in line
    raw["study"]["n_paths"] = 1000
    assert validate_study(raw)["study"]["n_paths"] == 1000


def test_not_a_mapping():
    with pytest.raises(DataValidationError, match="must hold \\[sections\\]"):
        validate_study(["data"])  # type: ignore[arg-type]


def test_path_shown_on_every_line():
    raw = _with("study", "seed", -1)
    raw["study"]["level"] = 2
    lines = _problems(raw, path="other/my_study.toml")
    assert all(line.startswith("other/my_study.toml: [study] ") for line in lines)


def test_baseline_keys_match_baselinespec():
    """[baseline] has one key per BaselineSpec field, with its default and allowed values."""
    fields = {f.name: f.default for f in dataclasses.fields(BaselineSpec)}
    keys = {k.name: k for k in STUDY_SCHEMA if k.section == "baseline"}
    assert set(keys) == set(fields)
    for name, key in keys.items():
        assert key.default == fields[name]
    # Allowed values equal BaselineSpec's, and each one builds a spec.
    private = {"family": baselines.BASELINE_FAMILIES, "trend": baselines.TRENDS,
               "seasonality": baselines.SEASONALITIES,
               "exposure": tuple(e for e in baselines.EXPOSURES if e not in (None, "column")),
               "trend_component": baselines.TREND_COMPONENTS,
               "seasonal_kind": baselines.SEASONAL_KINDS,
               "level_shifts": baselines.LEVEL_SHIFT_MODES}
    for name, allowed in private.items():
        assert keys[name].rule.choices == tuple(allowed), name
        for value in allowed:
            BaselineSpec(**{name: value})


def test_describe_schema_lists_every_key():
    text = describe_schema()
    for section in STUDY_SECTIONS:
        assert f"[{section}]" in text
    for key in STUDY_SCHEMA:
        assert re.search(rf"^  {key.name}\*? ", text, re.MULTILINE), key.name
        assert key.meaning in text
    assert "calls*" in text and "required" in text
