"""The schema of ``study.toml``: every section and key, checked in one pass.

:data:`STUDY_SCHEMA` declares each setting once (section, key, rule, default, whether it
is required, a one-line meaning). :func:`validate_study` checks a parsed TOML dict
against it and returns the settings with defaults filled in, or raises one
:class:`~impact._core.exceptions.DataValidationError` listing **every** problem, one line
each: the file, ``[section] key``, the value given, what is allowed and how to fix it.
:func:`describe_schema` prints the same declarations as text (for a README or
``impact init``).

Rules
-----
- No silent coercion: ``true`` is not a number, ``1.7`` is not a whole number (nor is
  ``2000.0``), ``"false"`` is not a boolean, ``"Antwerpen"`` is not a list of teams. A
  whole number is accepted where a decimal number is expected.
- Unknown sections and keys are errors naming the closest known one (:mod:`difflib`):
  a typo is never ignored.
- Months (``[headline] post_end``, ``pre_start``) are read by the library's one month
  parser (:func:`impact._core.validation.validate_month`) and returned as ``"YYYY-MM"``.
- Event ids and teams are checked against known ones only when the caller passes them
  (the event file and the call-count table are read after the study file).

The value rules (whole number, probability, flag, text, month, lists) and the TOML-style
display of values live in the private :mod:`impact.study._rules`; this module declares
the settings with them and checks a study. Both are pure functions of the parsed dict (no
file access), written with the standard library only: the rules are few, and the messages
(closest key, TOML-style values, a fix per line) would need as much code on top of a
validation library.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from typing import Any

from impact._core.constants import (
    DEFAULT_LEVEL,
    DEFAULT_N_PATHS,
    DEFAULT_SEED,
    DEFAULT_SUPPRESSION_THRESHOLD,
    FLANDERS,
    MIN_N_PATHS,
)
from impact._core.exceptions import DataValidationError
from impact.baselines import (
    BASELINE_FAMILIES,
    EXPOSURES,
    HOLIDAY_TERMS,
    LEVEL_SHIFT_MODES,
    SEASONAL_KINDS,
    SEASONALITIES,
    TREND_COMPONENTS,
    TRENDS,
    BaselineSpec,
)
from impact.study._rules import (
    YEAR_RANGE,
    _Channels,
    _closest,
    _Day,
    _DayWindow,
    _Flag,
    _Invalid,
    _Month,
    _name,
    _Probability,
    _quoted,
    _Rule,
    _show,
    _Text,
    _TextList,
    _TextMap,
    _type_word,
    _Whole,
    _WholeList,
)

__all__ = [
    "DAILY_EVENTS",
    "MAX_N_PATHS",
    "MIN_N_PATHS",
    "STUDY_SCHEMA",
    "STUDY_SECTIONS",
    "YEAR_RANGE",
    "SchemaKey",
    "describe_schema",
    "validate_study",
]

#: Fewest simulated paths: at level 0.95 an interval bound is then the quantile with 5
#: paths beyond it; fewer gives bounds that jump from seed to seed (and ``n_paths=1``
#: gives an interval that excludes its own point estimate). Higher levels need more
#: (see :func:`validate_study`: at least 5 paths beyond each bound).

#: Most simulated paths: paths x months x teams floats are held in memory at once;
#: 100,000 paths already take hundreds of MB and do not change a reported digit.
MAX_N_PATHS: int = 100_000

#: Paths that must lie beyond each interval bound (with ``MIN_N_PATHS`` at level 0.95).
_TAIL_PATHS = 5

#: Sections of ``study.toml`` and what each holds, in file order.
STUDY_SECTIONS: dict[str, str] = {
    "data": "which data the study reads (paths relative to the study file)",
    "study": "seed, interval level, simulated paths, year and pooling",
    "teams": "which teams are studied, what their labels in the table mean, the total's name",
    "baseline": "the seasonal baseline (impact.BaselineSpec fields)",
    "headline": "the headline events and their estimation window",
    "outputs": "where results are written and how small cells are suppressed",
    "other_events": "other registered events, each estimated over a few months",
    "diagnostics": "whether backtests, placebo and sensitivity checks run",
    "daily": "optional: the study at daily resolution (separate effects, window comparison)",
}

#: Events the daily study separates by default: the Pichal case and the Godvergeten episodes.
DAILY_EVENTS: tuple[str, ...] = ("E048", "E049", "E050", "E051", "E052")



@dataclasses.dataclass(frozen=True)
class SchemaKey:
    """One setting of ``study.toml``.

    Attributes
    ----------
    section, name : str
        Where it is written: ``[section] name = ...``.
    rule : object
        The check; its ``allowed`` text says what is accepted.
    meaning : str
        One line: what the setting does.
    default : object
        Used when the key is absent (``None``: no value, e.g. "the whole data range").
    required : bool
        Whether the key must be written.
    example : str
        A valid value in TOML, used in "how to fix" hints.
    """

    section: str
    name: str
    rule: _Rule
    meaning: str
    default: Any = None
    required: bool = False
    example: str = ""

    @property
    def allowed(self) -> str:
        """What the key accepts, in words."""
        return self.rule.allowed

    @property
    def example_toml(self) -> str:
        """A valid value written as TOML."""
        if self.example:
            return self.example
        if self.default is None or self.default == ():
            return '"..."'
        return _show(list(self.default) if isinstance(self.default, tuple) else self.default)


def _baseline_keys() -> tuple[SchemaKey, ...]:
    """[baseline]: one key per :class:`BaselineSpec` field, defaults read from it."""
    defaults = {f.name: f.default for f in dataclasses.fields(BaselineSpec)}
    rules: dict[str, tuple[_Rule, str, str]] = {
        "family": (_Text(BASELINE_FAMILIES),
                   "count GLM (poisson, quasipoisson, negbin) or time-series family", ""),
        "trend": (_Text(TRENDS),
                  "long-run trend; piecewise adds a slope change at every known break", ""),
        "seasonality": (_Text(SEASONALITIES),
                        "seasonal terms: one per calendar month, or Fourier pairs", ""),
        "harmonics": (_Whole(1, 6), "Fourier pairs when seasonality = \"fourier\"", ""),
        # "column" needs an exposure series, which a study file cannot supply.
        "exposure": (_Text(tuple(e for e in EXPOSURES if e not in (None, "column"))),
                     "offset log(exposure): calendar or Belgian working days; absent: none",
                     '"days"'),
        "use_breaks": (_Flag(), "model capacity, registration and pandemic events as breaks",
                       ""),
        "ar_noise": (_Flag(), "count GLMs: carry lag-1 residual autocorrelation into paths",
                     ""),
        "trend_component": (_Text(TREND_COMPONENTS),
                            "structural family only: the stochastic trend component", ""),
        "seasonal_kind": (_Text(SEASONAL_KINDS),
                          "structural family only: the seasonal component", ""),
        "order": (_WholeList(3), "sarima family only: (p, d, q)", ""),
        "level_shifts": (_Text(LEVEL_SHIFT_MODES),
                         "negbin, monthly: average over unregistered level shifts (auto) or "
                         "not (off)", ""),
        "seasonal_order": (_WholeList(4), "sarima family only: (P, D, Q, s)", ""),
        # absent: chosen by the data's resolution (daily: on; monthly: off)
        "day_of_week": (_Flag(), "daily data: day-of-week effects; absent: on for daily data",
                        ""),
        "holidays": (_Text(HOLIDAY_TERMS), "calendar terms for public (and school) holidays; "
                     "absent: public+school for daily and weekly data, none for monthly", ""),
    }
    return tuple(
        SchemaKey("baseline", name, rule, meaning, default=defaults[name], example=example)
        for name, (rule, meaning, example) in rules.items()
    )


_TEAMS_HELP = "teams to study, as named in the call-count table; empty: every team"
_OLD_TEAMS_HELP = "older spelling of [teams] names (still read; write one of the two)"

#: Every setting of ``study.toml``, in file order.
STUDY_SCHEMA: tuple[SchemaKey, ...] = (
    SchemaKey("data", "kind", _Text(("real", "synthetic")),
              "data kind: the real table, or the generated demo panel (labelled SYNTHETIC)",
              default="synthetic"),
    SchemaKey("data", "calls", _Text(is_path=True),
              "the team x month call-count table, relative to the study file",
              required=True, example='"data/raw/calls.csv"'),
    SchemaKey("data", "events", _Text(is_path=True), "the event registry (CSV)",
              default="data/events/events.csv"),
    SchemaKey("data", "published", _Text(is_path=True), "published figures with sources (CSV)",
              default="data/published/published_figures.csv"),
    SchemaKey("data", "measure", _Text(),
              "the measure analysed when the table has a measure column (offered, answered, "
              "unique, ...); absent: the table's only measure", example='"beantwoord"'),
    SchemaKey("data", "channels", _Channels(),
              "\"sum\": add every channel (phone, chat, e-mail) up; a list: only those",
              default="sum", example='["telefoon"]'),
    SchemaKey("study", "seed", _Whole(0), "seed of every random draw (same seed, same numbers)",
              default=DEFAULT_SEED),
    SchemaKey("study", "level", _Probability(), "probability of every interval",
              default=DEFAULT_LEVEL),
    SchemaKey("study", "n_paths", _Whole(MIN_N_PATHS, MAX_N_PATHS),
              "simulated joint paths behind every effect interval", default=DEFAULT_N_PATHS),
    SchemaKey("study", "year", _Whole(*YEAR_RANGE), "the year of the per-year tables",
              default=2023),
    SchemaKey("study", "teams", _TextList("team names"), _OLD_TEAMS_HELP, default=(),
              example='["Antwerpen", "Limburg"]'),
    SchemaKey("study", "pooling", _Text(("none", "complete")),
              "none: a baseline per team; complete: one pooled count GLM for all teams",
              default="none"),
    SchemaKey("teams", "names", _TextList("team names"), _TEAMS_HELP, default=(),
              example='["Antwerpen", "Limburg"]'),
    SchemaKey("teams", "total", _Text(),
              "name of the total over the teams (in tables, reports and the total row)",
              default=FLANDERS),
    SchemaKey("teams", "aliases", _TextMap("team labels"),
              "[teams.aliases]: label in the table = team name (e.g. \"1712 Antwerpen\" = "
              "\"Antwerpen\"); absent: the 1712 study's default vocabulary",
              example='{ "1712 Antwerpen" = "Antwerpen" }'),
    *_baseline_keys(),
    SchemaKey("headline", "events", _TextList("event ids", min_items=1),
              "ids of the headline events (estimated jointly)", default=("E048", "E049")),
    SchemaKey("headline", "related", _TextList("event ids"),
              "ids of events of the same story, part of the joint effect", default=(),
              example='["E047"]'),
    SchemaKey("headline", "post_end", _Month(),
              "last month of the headline effect window; absent: the last month of data",
              example='"2023-10"'),
    SchemaKey("headline", "pre_start", _Month(),
              "first month of the fitting window; absent: the first month of data",
              example='"2016-01"'),
    SchemaKey("outputs", "dir", _Text(is_path=True),
              "output folder, relative to the study file", default="results"),
    SchemaKey("outputs", "suppression_threshold", _Whole(0),
              "published tables suppress counts below this", default=DEFAULT_SUPPRESSION_THRESHOLD),
    SchemaKey("other_events", "events", _TextList("event ids"),
              "ids of other events, each estimated on its own", default=(),
              example='["E012"]'),
    SchemaKey("other_events", "post_months", _Whole(1, 60),
              "months after each other event's start in its effect window", default=3),
    SchemaKey("diagnostics", "run", _Flag(),
              "run backtests, placebo and sensitivity checks", default=True),
    SchemaKey("diagnostics", "n_jobs", _Whole(1, 64),
              "parallel workers for the checks (joblib); results do not depend on it",
              default=1),
    SchemaKey("daily", "calls", _Text(is_path=True),
              "the team x day call-count table, relative to the study file (required when "
              "[daily] is present)", example='"data/synthetic/SYNTHETIC_calls_team_day.csv"'),
    SchemaKey("daily", "events", _TextList("event ids", min_items=1),
              "ids of the events given separate effects at daily resolution",
              default=DAILY_EVENTS),
    SchemaKey("daily", "window", _DayWindow(),
              "first and last day (inclusive) of the published comparison: calls in the "
              "window against the same weekdays a year earlier, beside the counterfactual",
              default=("2023-08-28", "2023-09-17"), example='["2023-08-28", "2023-09-17"]'),
    SchemaKey("daily", "half_life_days", _Whole(1, 365),
              "each [daily] event is modelled as a decay with this half-life in days (the "
              "registry's pulse/bump shapes are for monthly data)", default=7),
    SchemaKey("daily", "pre_start", _Day(),
              "first day of the daily fitting window; absent: the first day of data",
              example='"2019-01-01"'),
    SchemaKey("daily", "post_end", _Day(),
              "last day of the daily effect window; absent: the last day of data",
              example='"2023-10-31"'),
)

_BY_SECTION: dict[str, dict[str, SchemaKey]] = {s: {} for s in STUDY_SECTIONS}
for _key in STUDY_SCHEMA:
    _BY_SECTION[_key.section][_key.name] = _key


# --- validation ---------------------------------------------------------------------------


def _line(path: str, section: str, key: str, value: Any, reason: str, allowed: str,
          fix: str) -> str:
    return f"{path}: [{section}] {key} = {_show(value)}: {reason}; allowed: {allowed}. {fix}."


def _unknown_names(raw: Mapping[Any, Any], path: str) -> list[str]:
    """Problems with sections and keys the schema does not know."""
    problems = []
    all_keys: dict[str, list[str]] = {}
    for k in STUDY_SCHEMA:
        all_keys.setdefault(k.name, []).append(k.section)
    for raw_name, value in raw.items():
        name = _name(raw_name)
        if name in STUDY_SECTIONS:
            if not isinstance(value, Mapping):
                problems.append(
                    f"{path}: [{name}] is {_type_word(value)} ({_show(value)}), not a section; "
                    f"write a [{name}] header with its keys below it."
                )
                continue
            known = _BY_SECTION[name]
            for raw_key, val in value.items():
                key = _name(raw_key)
                if key in known:
                    continue
                near = _closest(key, known)
                elsewhere = [k.section for k in STUDY_SCHEMA if k.name == key]
                if near:
                    hint = f"did you mean [{name}] {near[0]}? Rename it"
                elif elsewhere:
                    hint = f"{key} belongs in [{'] or ['.join(elsewhere)}]; move it there"
                else:
                    hint = f"keys of [{name}]: {', '.join(known)}; remove or rename it"
                problems.append(
                    f"{path}: [{name}] {key} = {_show(val)}: unknown key; {hint}."
                )
        elif isinstance(value, Mapping):
            near = _closest(name, STUDY_SECTIONS)
            hint = (f"did you mean [{near[0]}]? Rename the section" if near else
                    f"sections: {', '.join(STUDY_SECTIONS)}; remove or rename it")
            problems.append(f"{path}: [{name}]: unknown section; {hint}.")
        else:
            near = [name] if name in all_keys else _closest(name, all_keys)
            places = " or ".join(f"[{sec}] {near[0]}" for sec in all_keys[near[0]]) if near else ""
            hint = (f"did you mean {places}? Move it under that section header" if near
                    else "settings go inside a [section]; remove it")
            problems.append(
                f"{path}: {name} = {_show(value)} at the top of the file: {hint}."
            )
    return problems


def _unknown_ids(
    path: str, section: str, key: str, given: tuple[str, ...], known: Iterable[str], what: str
) -> str | None:
    """One problem line for ids in ``given`` that are not ``known``, else ``None``."""
    known = [str(k) for k in known]
    known_set = set(known)
    unknown = [g for g in given if g not in known_set]
    if not unknown:
        return None
    parts = []
    for g in unknown:
        near = _closest(g, known, n=3)
        parts.append(f"{_show(g)} (closest: {_quoted(near)})" if near else _show(g))
    listed = _quoted(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return (
        f"{path}: [{section}] {key} = {_show(list(given))}: unknown {what} "
        f"{', '.join(parts)}; allowed: {what}s in {listed or 'none (the list is empty)'}. "
        "Correct the id or remove it."
    )


def validate_study(
    raw: Mapping[str, Any],
    *,
    path: str = "study.toml",
    known_event_ids: Iterable[str] | None = None,
    known_teams: Iterable[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Check a parsed ``study.toml`` and return its settings with defaults filled in.

    Parameters
    ----------
    raw : Mapping
        What :func:`tomllib.loads` returned for the study file.
    path : str, default "study.toml"
        The file name shown at the start of every message line.
    known_event_ids : iterable of str, optional
        Ids of the event registry; when given, unknown ids in ``[headline] events``,
        ``related`` and ``[other_events] events`` are errors naming the closest ids.
    known_teams : iterable of str, optional
        Teams of the call-count table; when given, unknown ``[teams] names`` (or
        ``[study] teams``, its older spelling) are errors.

    Returns
    -------
    dict
        ``{section: {key: value}}`` for every section and key of :data:`STUDY_SCHEMA`:
        given values (lists as tuples, months as ``"YYYY-MM"``) or defaults (``None``
        where absent means "no value", e.g. ``post_end``). ``BaselineSpec(**out["baseline"])``
        builds the baseline.

    Raises
    ------
    DataValidationError
        Listing every problem, one line each: file, ``[section] key``, the value given,
        what is allowed and how to fix it. Unknown sections and keys are problems too.

    Notes
    -----
    Besides each key's own rule, ``n_paths`` must leave at least 5 simulated paths beyond
    each interval bound (``n_paths >= 10 / (1 - level)``: 200 at level 0.95, 1000 at
    0.99), ``pre_start`` must come before ``post_end``, an event may not be both a
    headline event and a related one, and teams are listed once (``[teams] names`` or
    its older spelling ``[study] teams``, not both).

    Examples
    --------
    >>> out = validate_study({"data": {"calls": "data/raw/calls.csv"}})
    >>> out["study"]["n_paths"], out["baseline"]["family"]
    (2000, 'negbin')
    """
    if not isinstance(raw, Mapping):
        raise DataValidationError(
            f"{path}: the study file must hold [sections] with keys, got {_type_word(raw)} "
            f"({_show(raw)}). Start from the study.toml in the repository."
        )
    problems = _unknown_names(raw, path)
    out: dict[str, dict[str, Any]] = {s: {} for s in STUDY_SECTIONS}
    failed: set[str] = set()
    for key in STUDY_SCHEMA:
        out[key.section][key.name] = key.default
        section = raw.get(key.section, {})
        if not isinstance(section, Mapping):
            failed.add(f"{key.section}.{key.name}")
            continue
        if key.name not in section:
            if key.required:
                failed.add(f"{key.section}.{key.name}")
                problems.append(
                    f"{path}: [{key.section}] {key.name} is required and missing; allowed: "
                    f"{key.allowed}. Add {key.name} = {key.example_toml} under [{key.section}]."
                )
            continue
        value = section[key.name]
        try:
            out[key.section][key.name] = key.rule.check(value)
        except _Invalid as exc:
            failed.add(f"{key.section}.{key.name}")
            fix = (f"Write {key.name} = {exc.fix}" if exc.fix is not None
                   else f"Write e.g. {key.name} = {key.example_toml}")
            problems.append(_line(path, key.section, key.name, value, exc.reason, key.allowed,
                                  fix))
    problems += _cross_checks(out, failed, path, known_event_ids, known_teams,
                              has_daily=isinstance(raw.get("daily"), Mapping))
    if problems:
        n = len(problems)
        raise DataValidationError(
            f"study file {path} has {n} problem{'s' if n != 1 else ''}; fix "
            f"{'them' if n != 1 else 'it'} and run again:\n" + "\n".join(problems)
        )
    return out


def _cross_checks(
    out: dict[str, dict[str, Any]],
    failed: set[str],
    path: str,
    known_event_ids: Iterable[str] | None,
    known_teams: Iterable[str] | None,
    *,
    has_daily: bool = False,
) -> list[str]:
    """Problems that involve more than one key (among keys that passed their own rule)."""
    problems = []
    study, headline = out["study"], out["headline"]

    def ok(*names: str) -> bool:
        return not failed.intersection(names)

    if ok("study.n_paths", "study.level"):
        level, n_paths = study["level"], study["n_paths"]
        needed = math.ceil(2 * _TAIL_PATHS / (1 - level) - 1e-9)
        if n_paths < needed:
            problems.append(_line(
                path, "study", "n_paths", n_paths,
                f"too few for level = {level:g} ({_TAIL_PATHS} paths must lie beyond each "
                "interval bound)", f"a whole number >= {needed} at this level",
                f"Write n_paths = {needed} or more"))
    if ok("headline.pre_start", "headline.post_end") and headline["pre_start"] and headline[
        "post_end"
    ] and headline["pre_start"] >= headline["post_end"]:
        problems.append(_line(
            path, "headline", "pre_start", headline["pre_start"],
            f"not before post_end = {_show(headline['post_end'])}",
            "a month before post_end", "Write the first month of the fitting window"))
    if ok("headline.events", "headline.related"):
        both = [e for e in headline["related"] if e in set(headline["events"])]
        if both:
            problems.append(_line(
                path, "headline", "related", list(headline["related"]),
                f"{_quoted(both)} also in [headline] events", "ids not in [headline] events",
                "Keep each id in one list"))
    if known_event_ids is not None:
        known = [str(k) for k in known_event_ids]
        for section, key in (("headline", "events"), ("headline", "related"),
                             ("other_events", "events"), ("daily", "events")):
            if ok(f"{section}.{key}"):
                line = _unknown_ids(path, section, key, out[section][key], known, "event id")
                if line:
                    problems.append(line)
    if ok("study.teams", "teams.names") and study["teams"] and out["teams"]["names"]:
        problems.append(_line(
            path, "study", "teams", list(study["teams"]),
            "teams are also listed in [teams] names", "teams in one place",
            "Keep [teams] names and delete [study] teams (its older spelling)"))
    problems += _daily_checks(out, ok, path, has_daily=has_daily)
    where = ("teams", "names") if out["teams"]["names"] else ("study", "teams")
    if known_teams is not None and ok(".".join(where)):
        line = _unknown_ids(path, *where, out[where[0]][where[1]], known_teams, "team")
        if line:
            problems.append(line)
    return problems


def _daily_checks(out: dict[str, dict[str, Any]], ok: Any, path: str, *,
                  has_daily: bool) -> list[str]:
    """[daily]: ``calls`` when the section is present; the window inside pre_start..post_end."""
    daily = out["daily"]
    problems = []
    if has_daily and ok("daily.calls") and daily["calls"] is None:
        key = _BY_SECTION["daily"]["calls"]
        problems.append(
            f"{path}: [daily] calls is required when [daily] is present; allowed: "
            f"{key.allowed}. Add calls = {key.example_toml} under [daily], or remove [daily]."
        )
    if ok("daily.pre_start", "daily.post_end") and daily["pre_start"] and daily[
        "post_end"
    ] and daily["pre_start"] >= daily["post_end"]:
        problems.append(_line(
            path, "daily", "pre_start", daily["pre_start"],
            f"not before post_end = {_show(daily['post_end'])}", "a day before post_end",
            "Write the first day of the daily fitting window"))
    if ok("daily.window", "daily.post_end") and daily["post_end"] and daily["window"][
        1
    ] > daily["post_end"]:
        problems.append(_line(
            path, "daily", "window", list(daily["window"]),
            f"ends after post_end = {_show(daily['post_end'])}",
            "a window inside the daily effect window", "End the window by post_end"))
    return problems


def _default_text(key: SchemaKey) -> str:
    if key.required:
        return "required"
    if key.default is None:
        return "default: none"
    default = list(key.default) if isinstance(key.default, tuple) else key.default
    return "default: " + _show(default)


def describe_schema() -> str:
    """Every section and key of ``study.toml`` as text: allowed values, default, meaning.

    Returns
    -------
    str
        One block per section; per key a line ``key  allowed; default`` and a line with
        its meaning. ``*`` marks required keys.
    """
    lines = ["study.toml settings (* = required; absent keys take their default)"]
    width = max(len(k.name) for k in STUDY_SCHEMA) + 2
    for section, meaning in STUDY_SECTIONS.items():
        lines += ["", f"[{section}]  {meaning}"]
        for key in _BY_SECTION[section].values():
            default = _default_text(key)
            name = key.name + ("*" if key.required else "")
            lines.append(f"  {name:<{width}}{key.allowed}; {default}")
            lines.append(f"  {'':<{width}}{key.meaning}")
    return "\n".join(lines)
