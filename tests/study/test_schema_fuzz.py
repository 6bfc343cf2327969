"""Fuzzing the study-file schema: any TOML-like dict is accepted or refused clearly.

Random dicts (random sections and keys holding values of every TOML type) and mutations
of the real ``study.toml`` go through :func:`validate_study`; it must return settings
that validate again to themselves, or raise :class:`DataValidationError` naming the file
on every line, never any other exception. The default run is bounded (fast); the
``slow`` run tries 2000 examples per property.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact._core.exceptions import DataValidationError
from impact.baselines.glm import BaselineSpec
from impact.study.schema import STUDY_SCHEMA, STUDY_SECTIONS, validate_study

REPO = Path(__file__).resolve().parents[2]
STUDY = tomllib.loads((REPO / "study.toml").read_text(encoding="utf-8"))
KEYS = sorted({k.name for k in STUDY_SCHEMA})
EVENT_IDS = ["E012", "E016", "E028", "E042", "E044", "E046", "E047", "E048", "E049", "E050",
             "E051", "E052"]
TEAMS = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]

FAST = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=2000, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Values a TOML file can hold (plus out-of-int64 integers and None, which a caller's dict
# may hold), with text close to what the schema expects.
_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "true", "false", "2023-10", "soon", "2023", "2023-13", "0000-01",
                     "9999-12", "oktober 2023", "Q1 2023", "2023-W14", "2023-10-15", "31/12/2023",
                     "negbin", "days", "column", "synthetic", "real", "E048", "E999",
                     "Antwerpen", "results", "../x", "\x00", "1.7", "200", "-1", "nan"]),
)
_SCALAR = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, -1, 3, 5, 6, 7, 12, 60, 61, 199, 200, 2000, 2012, 2100, 10**6,
                     10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 0.5, 0.95, 0.99, 1.0, 1.7, 95.0, 2000.0, -0.0, 1e308]),
    _TEXT,
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.times(),
    st.none(),
)
VALUES = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=12,
)
SECTION_NAMES = st.one_of(st.sampled_from(list(STUDY_SECTIONS)), st.text(max_size=10))
KEY_NAMES = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))


def _check(raw: object) -> None:
    """Accept or refuse clearly: nothing else may escape ``validate_study``."""
    try:
        out = validate_study(raw, path="fuzz.toml", known_event_ids=EVENT_IDS,
                             known_teams=TEAMS)
    except DataValidationError as exc:
        header, *lines = str(exc).splitlines()
        assert header.startswith(("study file fuzz.toml has", "fuzz.toml: "))
        assert all(line.startswith("fuzz.toml: ") for line in lines), lines
        return
    # Accepted: the settings build a baseline, and (written back) validate to themselves.
    BaselineSpec(**out["baseline"])
    back = {s: {k: list(v) if isinstance(v, tuple) else v for k, v in keys.items()
                if v is not None} for s, keys in out.items()}
    assert validate_study(back) == out


def _mutations() -> st.SearchStrategy:
    """A list of edits to the real study file: set, delete, rename, replace a section."""
    known = st.sampled_from([(k.section, k.name) for k in STUDY_SCHEMA])
    edit = st.one_of(
        st.tuples(st.just("set"), known, VALUES),
        st.tuples(st.just("set"), st.tuples(SECTION_NAMES, KEY_NAMES), VALUES),
        st.tuples(st.just("delete"), known, st.none()),
        st.tuples(st.just("rename"), known, st.text(min_size=1, max_size=8)),
        st.tuples(st.just("section"), st.tuples(SECTION_NAMES, st.none()), VALUES),
    )
    return st.lists(edit, min_size=1, max_size=4)


def _apply(edits: list) -> dict:
    raw = copy.deepcopy(STUDY)
    for op, (section, key), value in edits:
        if op == "section":
            raw[section] = value
            continue
        table = raw.get(section)
        if not isinstance(table, dict):
            table = raw[section] = {}
        if op == "set":
            table[key] = value
        elif op == "delete":
            table.pop(key, None)
        elif key in table:
            table[key + value] = table.pop(key)
    return raw


RANDOM_DICTS = st.dictionaries(
    SECTION_NAMES,
    st.one_of(st.dictionaries(KEY_NAMES, VALUES, max_size=6), VALUES),
    max_size=8,
)


@FAST
@given(RANDOM_DICTS)
def test_random_dicts_fast(raw):
    _check(raw)


@FAST
@given(_mutations())
def test_mutated_study_fast(edits):
    _check(_apply(edits))


@FAST
@given(st.sampled_from([(k.section, k.name) for k in STUDY_SCHEMA]), VALUES)
def test_one_bad_value_is_named(where, value):
    """Setting one known key to any value: accepted, or the message names that key."""
    section, key = where
    raw = copy.deepcopy(STUDY)
    raw[section][key] = value
    try:
        validate_study(raw)
    except DataValidationError as exc:
        assert f"[{section}] {key}" in str(exc)


@FAST
@given(VALUES)
def test_any_top_level_value(raw):
    _check(raw)


@pytest.mark.slow
@SLOW
@given(RANDOM_DICTS)
def test_random_dicts_slow(raw):
    _check(raw)


@pytest.mark.slow
@SLOW
@given(_mutations())
def test_mutated_study_slow(edits):
    _check(_apply(edits))


@pytest.mark.slow
@SLOW
@given(st.sampled_from([(k.section, k.name) for k in STUDY_SCHEMA]), VALUES)
def test_one_bad_value_is_named_slow(where, value):
    test_one_bad_value_is_named.hypothesis.inner_test(where, value)
