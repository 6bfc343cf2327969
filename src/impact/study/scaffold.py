"""A first ``study.toml`` for a received call-count table (``impact init``).

:func:`draft_study` reads a table with :func:`impact.io.load_call_counts` and chooses, from
the data and the event registry, what a study of it can estimate: the teams (labels as
read, with aliases to the 1712 team names where a label is a known variant), the period
and its resolution, a headline and other registered events that fall inside the data
with enough history before them, and a baseline whose number of parameters fits that
history. It returns a :class:`StudyDraft` (the TOML text and one reason per choice);
:func:`write_study_file` writes it, refusing to overwrite a file (unless asked) and to
write under ``data/``. The draft is checked against the schema
(:func:`impact.study.schema.validate_study`) before it is returned.

Rules
-----
- History: :data:`MIN_HISTORY_MONTHS` months of data before an event's first month (the
  baseline needs at least two seasonal cycles, three for the other events), and the
  effect window inside the data.
- Baseline: eleven month effects when the table holds at least :data:`MONTHLY_MIN_MONTHS`
  months (six years), else Fourier seasonality with :data:`SHORT_HARMONICS` harmonic
  pairs (4 parameters instead of 11), so short histories keep enough degrees of freedom
  once event and break terms are added.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

import pandas as pd

from impact._core.constants import DEFAULT_N_PATHS, DEFAULT_SEED, FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact.events import load_events
from impact.io import canonical_team, load_call_counts
from impact.study.config import study_root
from impact.study.schema import validate_study

__all__ = [
    "MIN_HISTORY_MONTHS",
    "MONTHLY_MIN_MONTHS",
    "OTHER_MIN_HISTORY_MONTHS",
    "SHORT_HARMONICS",
    "StudyDraft",
    "draft_study",
    "write_study_file",
]

#: Months of data needed before the headline window (two seasonal cycles).
MIN_HISTORY_MONTHS: int = 24

#: Months of data needed before another event's window (three seasonal cycles; the
#: study's own rule, :mod:`impact.study.compute`).
OTHER_MIN_HISTORY_MONTHS: int = 36

#: Fewest months of data for eleven month effects; shorter tables get Fourier terms.
MONTHLY_MIN_MONTHS: int = 72

#: Fourier harmonic pairs for a short history.
SHORT_HARMONICS: int = 2

#: The 1712 study's headline story: the events and the related ones (same story).
_HEADLINE = ("E048", "E049")
_RELATED = ("E047", "E050", "E051", "E052")

#: Months after the headline's first month in its effect window (Aug-Oct 2023 in 1712).
_HEADLINE_POST_MONTHS = 3

#: Event kinds a study estimates (the others are breaks or nuisance terms).
_STUDIED_KINDS = ("campaign", "news")

#: Words a label may carry around a team name ("1712 Antwerpen", "CAW Limburg").
_LABEL_PREFIXES = ("1712 ", "caw ", "team ", "meldpunt ")


@dataclasses.dataclass(frozen=True)
class StudyDraft:
    """A drafted ``study.toml``: its text and why each choice was made.

    Attributes
    ----------
    text : str
        The TOML, valid against the study schema.
    reasons : tuple of str
        One line per choice (teams, period, baseline, events kept and left out).
    """

    text: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.reasons)


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_str(i) for i in items) + "]"


def _relpath(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


def _propose_aliases(labels: list[str]) -> dict[str, str]:
    """Labels that are a variant of a 1712 team name -> that name (others are kept)."""
    aliases: dict[str, str] = {}
    for label in labels:
        if label in TEAMS:
            continue
        candidates = [label] + [label[len(p):] for p in _LABEL_PREFIXES
                                if label.lower().startswith(p)]
        for cand in candidates:
            try:
                team = canonical_team(cand.strip())
            except DataValidationError:
                continue
            aliases[label] = team
            break
    return aliases


def _in_data(months: pd.PeriodIndex, start: pd.Period, end: pd.Period, need: int) -> str:
    """Why an event window cannot be estimated from the data, or "" when it can."""
    first, last = months.min(), months.max()
    if start < first or end > last:
        return f"its window {start} to {end} is not inside the data ({first} to {last})"
    if (start - first).n < need:
        return (f"{(start - first).n} months of data before it, at least {need} needed")
    return ""


def draft_study(
    data_file: str | Path,
    *,
    out: str | Path = "study.toml",
    kind: str | None = None,
    measure: str | None = None,
    sheet: str | int | None = None,
    events: str | Path | None = None,
) -> StudyDraft:
    """Draft a ``study.toml`` for a call-count table.

    Parameters
    ----------
    data_file : path
        The table (CSV or XLSX) as received.
    out : path, default "study.toml"
        Where the study file will be written; its paths are relative to its folder.
    kind : {"real", "synthetic"}, optional
        The data kind; default: the kind the file declares, else ``"real"``.
    measure : str, optional
        The measure to analyse when the table has a measure column with several.
    sheet : str or int, optional
        Worksheet of an XLSX file.
    events : path, optional
        The event registry; default ``data/events/events.csv`` of the repository that
        holds ``out``.

    Returns
    -------
    StudyDraft

    Raises
    ------
    DataValidationError
        When the table cannot be read (the loader's message), the event registry is
        missing, or the data leave no event with enough history to estimate.
    """
    out = Path(out).resolve()
    folder = out.parent
    root = study_root(out)
    events_file = Path(events).resolve() if events is not None else (
        root / "data" / "events" / "events.csv")
    if not events_file.is_file():
        raise DataValidationError(
            f"event registry {events_file} not found; pass events=... (impact init "
            "--events PATH) or run impact init inside the repository.")
    published = root / "data" / "published" / "published_figures.csv"
    options: dict[str, object] = {"kind": kind, "sheet": sheet}
    if measure is not None:
        options["measure"] = measure
    calls = load_call_counts(data_file, **options)
    data_kind = str(calls.attrs.get("kind", "real"))
    months = pd.PeriodIndex(sorted(calls["month"].unique()), freq="M")
    first, last, n = months.min(), months.max(), len(months)
    labels = sorted(calls["team"].unique())
    aliases = _propose_aliases(labels)
    teams = sorted({aliases.get(label, label) for label in labels})
    registry = load_events(events_file)
    reasons = [
        f"data: {data_file} (kind {data_kind}), {len(labels)} team labels, {first} to "
        f"{last} ({n} months), monthly resolution.",
        f"teams: {', '.join(teams)} (every team of the table)."
        + (f" Aliases proposed for {len(aliases)} labels ("
           + ", ".join(f"{k!r} -> {v!r}" for k, v in aliases.items())
           + "); check them." if aliases else ""),
    ]
    if n >= MONTHLY_MIN_MONTHS:
        seasonality = 'seasonality = "monthly"'
        reasons.append(f"baseline: negbin, linear trend, 11 month effects ({n} months >= "
                       f"{MONTHLY_MIN_MONTHS}).")
    else:
        seasonality = f'seasonality = "fourier"\nharmonics = {SHORT_HARMONICS}'
        reasons.append(
            f"baseline: negbin, linear trend, Fourier seasonality with {SHORT_HARMONICS} "
            f"harmonic pairs ({2 * SHORT_HARMONICS} parameters instead of 11 month effects: "
            f"{n} months < {MONTHLY_MIN_MONTHS}, rule: 11 month effects need six years).")

    def usable(ev_id: str, post_months: int, need: int) -> str:
        ev = registry[ev_id]
        start = ev.start.to_period("M")
        why = _in_data(months, start, start + (post_months - 1), need)
        if not why and ev.scope != FLANDERS and ev.scope not in teams:
            why = f"scoped to team {ev.scope!r}, which the table does not hold"
        return why

    headline = [e for e in _HEADLINE if e in registry]
    blocked = {e: usable(e, _HEADLINE_POST_MONTHS, MIN_HISTORY_MONTHS) for e in headline}
    if headline and not any(blocked.values()):
        related = [e for e in _RELATED if e in registry and not usable(e, 1, 0)]
        reasons.append(f"headline: {', '.join(headline)} (the 1712 study's headline), "
                       f"related {', '.join(related) or 'none'}.")
    else:
        candidates = [ev for ev in registry if ev.kind in _STUDIED_KINDS
                      and not usable(ev.id, _HEADLINE_POST_MONTHS, MIN_HISTORY_MONTHS)]
        if not candidates:
            raise DataValidationError(
                f"{data_file}: no registered campaign or news event has {MIN_HISTORY_MONTHS} "
                f"months of data before it and its {_HEADLINE_POST_MONTHS}-month window "
                f"inside {first} to {last}; add the event to {events_file} or a longer "
                "history to the table.")
        headline, related = [candidates[-1].id], []
        reasons.append(f"headline: {headline[0]} (the latest registered event with enough "
                       "history; the 1712 headline "
                       + "; ".join(f"{e}: {w}" for e, w in blocked.items() if w) + ").")
    head_start = registry[headline[0]].start.to_period("M")
    post_end = min(head_start + (_HEADLINE_POST_MONTHS - 1), last)
    skip = set(headline) | set(related)
    other, left_out = [], []
    for ev in registry:
        if ev.kind not in _STUDIED_KINDS or ev.id in skip:
            continue
        why = usable(ev.id, 3, OTHER_MIN_HISTORY_MONTHS)
        (left_out.append(ev.id) if why else other.append(ev.id))
    reasons.append(f"other events: {', '.join(other) or 'none'} (registered campaigns and "
                   f"news with {OTHER_MIN_HISTORY_MONTHS} months of history and a 3-month "
                   f"window in the data); left out: {', '.join(left_out) or 'none'}.")
    lines = [
        f"# Study of {Path(data_file).name}, drafted by `impact init` (check every choice).",
        "# `python -m impact run <this file>` writes the results.",
        "",
        "[data]",
        f"kind = {_toml_str(data_kind)}",
        f"calls = {_toml_str(_relpath(Path(data_file), folder))}",
        f"events = {_toml_str(_relpath(events_file, folder))}",
        f"published = {_toml_str(_relpath(published, folder))}",
    ]
    if measure is not None:
        lines.append(f"measure = {_toml_str(measure)}")
    lines += [
        'channels = "sum"', "",
        "[study]", f"seed = {DEFAULT_SEED}", "level = 0.95", f"n_paths = {DEFAULT_N_PATHS}",
        f"year = {last.year if last.month == 12 else last.year - 1}",
        'pooling = "none"', "",
        "[teams]", f"names = {_toml_list(teams)}", f"total = {_toml_str(FLANDERS)}",
    ]
    if aliases:
        lines += ["", "[teams.aliases]"]
        lines += [f"{_toml_str(k)} = {_toml_str(v)}" for k, v in aliases.items()]
    lines += [
        "", "[baseline]", 'family = "negbin"', 'trend = "linear"', seasonality,
        'exposure = "days"', "",
        "[headline]", f"events = {_toml_list(headline)}", f"related = {_toml_list(related)}",
        f'post_end = "{post_end}"', f'pre_start = "{first}"', "",
        "[outputs]", 'dir = "results"', "suppression_threshold = 5", "",
        "[other_events]", f"events = {_toml_list(other)}", "post_months = 3", "",
        "[diagnostics]", "run = true", "n_jobs = 1", "",
    ]
    text = "\n".join(lines)
    validate_study(tomllib.loads(text), path=str(out), known_event_ids=registry.ids)
    reasons.append(f"pre_start = {first} (first month of data), post_end = {post_end}; "
                   "outputs in results/.")
    return StudyDraft(text=text, reasons=tuple(reasons))


def write_study_file(draft: StudyDraft, out: str | Path, *, force: bool = False) -> Path:
    """Write a drafted study file; refuse to overwrite (unless ``force``) or to write
    under ``data/``.

    Raises
    ------
    DataValidationError
        When ``out`` exists and ``force`` is False, or lies under the repository's
        ``data/`` folder (inputs are never written by the study).
    """
    path = Path(out).resolve()
    data_dir = study_root(path) / "data"
    if path.is_relative_to(data_dir):
        raise DataValidationError(
            f"{path} is under {data_dir}; data/ holds inputs only. Write the study file "
            "elsewhere, e.g. --out study_real.toml.")
    if path.exists() and not force:
        raise DataValidationError(
            f"{path} exists; pass --force to replace it or --out to write another file.")
    path.write_text(draft.text, encoding="utf-8")
    return path
