"""Team names: the aliases of the five 1712 teams, Flanders-total labels, and the lookup.

Raw tables spell teams in many ways (``"CAW West-Vl."``, ``"W-Vl"``, ``"Flandre
occidentale"``). :func:`canonical_team` maps any variant listed in :data:`TEAM_ALIASES`
to one of :data:`impact._core.constants.TEAMS`, matching without regard to case, accents,
punctuation and spaces, and with a leading ``CAW``/``provincie``/``team`` dropped.
:data:`TOTAL_LABELS` names the labels of a Flanders-total row or column.

These are the 1712 study's default vocabulary, not a limit: teams are data. The private
``_Vocabulary`` is what one load uses: declared ``teams`` (or any label, when none are
declared), user ``aliases`` applied before :data:`TEAM_ALIASES`, and the ``total``'s
name; unknown labels give one message listing the labels seen and the closest names.

The loaders (:mod:`impact.io.calls` and its layout parser :mod:`impact.io._layouts`)
share the private helpers here: the folded key, the lookup table, the total test and the
"unknown team" message with its hint.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Iterable, Mapping

from impact._core.constants import FLANDERS, TEAMS
from impact._core.exceptions import DataValidationError
from impact._core.parsing import fold_text, is_blank

__all__ = ["TEAM_ALIASES", "TOTAL_LABELS", "canonical_team"]

#: Team-name variants (key) and the canonical team (value). Matching ignores case,
#: accents, punctuation and spaces ("West-Vl." == "west vl" == "WESTVL") and also tries
#: the name without a leading "CAW", "provincie", "prov." or "team". Brussels is served
#: by the Vlaams-Brabant team: only combined labels such as "Vlaams-Brabant en Brussel"
#: map to it; "Brussel" alone is not a team. Add entries here for new variants.
TEAM_ALIASES: dict[str, str] = {
    "Antwerpen": "Antwerpen",
    "Antwerp": "Antwerpen",
    "Anvers": "Antwerpen",
    "Antw.": "Antwerpen",
    "Ant": "Antwerpen",
    "A'pen": "Antwerpen",
    "Limburg": "Limburg",
    "Limbourg": "Limburg",
    "Limb.": "Limburg",
    "Lim": "Limburg",
    "Oost-Vlaanderen": "Oost-Vlaanderen",
    "East Flanders": "Oost-Vlaanderen",
    "Flandre orientale": "Oost-Vlaanderen",
    "Oost-Vl.": "Oost-Vlaanderen",
    "O-Vl": "Oost-Vlaanderen",
    "OVL": "Oost-Vlaanderen",
    "Vlaams-Brabant": "Vlaams-Brabant",
    "Flemish Brabant": "Vlaams-Brabant",
    "Brabant flamand": "Vlaams-Brabant",
    "Vl.-Brabant": "Vlaams-Brabant",
    "Vl-Br": "Vlaams-Brabant",
    "VB": "Vlaams-Brabant",
    "VBR": "Vlaams-Brabant",
    "Vlaams-Brabant en Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant & Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant/Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant-Brussel": "Vlaams-Brabant",
    "Vlaams-Brabant en Brussels": "Vlaams-Brabant",
    "Flemish Brabant and Brussels": "Vlaams-Brabant",
    "Flemish Brabant & Brussels": "Vlaams-Brabant",
    "Brussel en Vlaams-Brabant": "Vlaams-Brabant",
    "Brussel-Vlaams-Brabant": "Vlaams-Brabant",
    "West-Vlaanderen": "West-Vlaanderen",
    "West Flanders": "West-Vlaanderen",
    "Flandre occidentale": "West-Vlaanderen",
    "West-Vl.": "West-Vlaanderen",
    "W-Vl": "West-Vlaanderen",
    "WVL": "West-Vlaanderen",
}

#: Labels of a Flanders-total row or column (matched like team names, digits ignored,
#: so "Totaal 2023" and "1712 totaal" count too). Totals are checked against the sum of
#: the cells they stand for, then dropped.
TOTAL_LABELS: tuple[str, ...] = (
    "Totaal",
    "Total",
    "Eindtotaal",
    "Grand total",
    "Som",
    "Sum",
    "Vlaanderen",
    "Flanders",
    "Totaal Vlaanderen",
    "Total Flanders",
    "Vlaanderen totaal",
    "Alle teams",
    "All teams",
    "Alle provincies",
    "All provinces",
)

_BRUSSELS = ("brussel", "brussels", "bruxelles", "cawbrussel")
_PREFIXES = ("caw", "provincie", "province", "prov", "team", "ploeg", "regio")


def _key(text: object) -> str:
    if isinstance(text, str):
        return _key_text(text)
    return re.sub(r"[^0-9a-z]", "", fold_text(text))


@functools.lru_cache(maxsize=8192)
def _key_text(text: str) -> str:
    # cached: a daily table repeats the same few team labels thousands of times
    return re.sub(r"[^0-9a-z]", "", fold_text(text))


@functools.lru_cache(maxsize=1)
def _team_lookup() -> dict[str, str]:
    """Key -> team of the built-in vocabulary (built once; callers only read it)."""
    table = {_key(team): team for team in TEAMS}
    for alias, team in TEAM_ALIASES.items():
        table[_key(alias)] = team
    return table


def _lookup_team(name: object, table: dict[str, str]) -> str | None:
    if not isinstance(name, str):
        return None
    key = _key(name)
    if key in table:
        return table[key]
    words = fold_text(name).replace(".", " ").split()
    if len(words) > 1 and words[0] in _PREFIXES:
        return table.get(_key(" ".join(words[1:])))
    return None


def _total_key(text: object) -> str:
    if isinstance(text, str):
        return _total_key_text(text)
    return re.sub(r"\d", "", _key(text))


@functools.lru_cache(maxsize=8192)
def _total_key_text(text: str) -> str:
    return re.sub(r"\d", "", _key(text))


_TOTAL_KEYS = frozenset(_total_key(label) for label in TOTAL_LABELS)


def _is_total(value: object) -> bool:
    if not isinstance(value, str) or is_blank(value):
        return False
    return _total_key(value) in _TOTAL_KEYS


def _unknown_team_message(name: object) -> str:
    text = f"unknown team {name!r}; known teams are {', '.join(TEAMS)}"
    key = _key(name)
    if key in _BRUSSELS:
        text += (
            ". Brussels is served by the Vlaams-Brabant team: write 'Vlaams-Brabant' or "
            "'Vlaams-Brabant en Brussel'"
        )
    elif _is_total(name):
        text += f". {name!r} is a total (Flanders), not a team"
    else:
        close = difflib.get_close_matches(key, list(_team_lookup()), n=1, cutoff=0.75)
        if close:
            text += f". Did you mean {_team_lookup()[close[0]]!r}?"
        text += ". Fix the name or add the variant to impact.io.teams.TEAM_ALIASES"
    return text


def canonical_team(name: object) -> str:
    """Return the canonical team name for a variant such as ``"CAW West-Vl."``.

    Parameters
    ----------
    name : str
        A team name or variant listed in :data:`TEAM_ALIASES` (matching ignores case,
        accents, punctuation, spaces and a leading ``CAW``/``provincie``/``team``).

    Returns
    -------
    str
        One of :data:`impact._core.constants.TEAMS`.

    Raises
    ------
    DataValidationError
        For unknown names (including ``"Brussel"`` alone and total labels such as
        ``"Vlaanderen"``), listing the known teams.

    Examples
    --------
    >>> canonical_team("W-Vl"), canonical_team("Vlaams-Brabant en Brussel")
    ('West-Vlaanderen', 'Vlaams-Brabant')
    """
    team = _lookup_team(name, _team_lookup())
    if team is None:
        raise DataValidationError(_unknown_team_message(name) + ".")
    return team


# --- a loader's vocabulary: declared teams, aliases, the total's name ----------------------


def _plain(label: str) -> str:
    """A label as written, with its whitespace normalised."""
    return " ".join(label.replace("\u00a0", " ").split())


@dataclasses.dataclass(frozen=True)
class _Vocabulary:
    """How one load maps labels to teams (teams are data, not code).

    ``teams=None`` is the open vocabulary: user aliases first, then the built-in 1712
    variants (:data:`TEAM_ALIASES`), else the label as written. Declared ``teams``: a
    label must map (directly, through ``aliases`` or through the built-in variants) to
    one of them. ``total`` names the total; it and :data:`TOTAL_LABELS` mark total rows.
    """

    teams: tuple[str, ...] | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    total: str = FLANDERS

    @classmethod
    def build(
        cls,
        teams: Iterable[str] | None = None,
        aliases: Mapping[str, str] | None = None,
        total: str = FLANDERS,
    ) -> _Vocabulary:
        if isinstance(teams, str):
            raise DataValidationError(
                f"teams={teams!r}: give a list of team names, e.g. [{teams!r}], not one string."
            )
        declared = None
        if teams is not None:
            declared = tuple(dict.fromkeys(_plain(str(t)) for t in teams))
            if not declared or any(not t for t in declared):
                raise DataValidationError(
                    f"teams={list(teams)!r}: give at least one non-empty team name, or "
                    "teams=None to accept the teams the file names."
                )
        pairs: list[tuple[str, str]] = []
        for label, team in dict(aliases or {}).items():
            if not isinstance(label, str) or not isinstance(team, str) or not team.strip():
                raise DataValidationError(
                    f"aliases: {label!r} -> {team!r}; every alias maps a label (text) to a "
                    "team name (text)."
                )
            if declared is not None and _plain(team) not in declared:
                raise DataValidationError(
                    f"aliases: {label!r} maps to {team!r}, which is not one of the declared "
                    f"teams {', '.join(declared)}; fix the alias or add the team."
                )
            pairs.append((_key(label), _plain(team)))
        if not isinstance(total, str) or not total.strip():
            raise DataValidationError(f"total={total!r}; give the name of the total as text.")
        return cls(declared, tuple(pairs), _plain(total))

    def _mapped(self, name: str) -> str | None:
        """The team a label maps to through the aliases or the built-in variants."""
        key = _key(name)
        for alias, team in self.aliases:
            if alias == key:
                return team
        if self.teams is not None:
            for team in self.teams:
                if _key(team) == key:
                    return team
        return _lookup_team(name, _team_lookup())

    def known(self, name: object) -> str | None:
        """The team a label names in the declared or built-in vocabulary, else ``None``."""
        if not isinstance(name, str) or is_blank(name) or self.is_total(name):
            return None
        team = self._mapped(name)
        if self.teams is not None and team not in self.teams:
            return None
        return team

    def resolve(self, name: object) -> str | None:
        """The team a label stands for: known, or (open vocabulary) the label as written."""
        team = self.known(name)
        if team is not None or self.teams is not None:
            return team
        if not isinstance(name, str) or is_blank(name) or self.is_total(name):
            return None
        return _plain(name)

    def is_total(self, value: object) -> bool:
        """Whether a label names the total (:data:`TOTAL_LABELS` or ``total``)."""
        if not isinstance(value, str) or is_blank(value):
            return False
        if _total_key(value) == _total_key(self.total):
            return True
        key = _key(value)  # a declared team or alias named like a total label is a team
        if any(key == alias for alias, _ in self.aliases) or (
                self.teams is not None and any(key == _key(t) for t in self.teams)):
            return False
        return _is_total(value)

    def candidates(self) -> list[str]:
        """Known names to suggest for an unknown label."""
        names = list(self.teams) if self.teams is not None else list(TEAMS)
        names += [team for _, team in self.aliases if team not in names]
        return names

    def unknown_message(self, labels: Mapping[str, list[str]], seen: Iterable[str]) -> str:
        """One message for every unknown label, with the labels seen and close names."""
        names = self.candidates()
        keys = {_key(n): n for n in names}
        keys.update({k: t for k, t in _team_lookup().items() if t in names})
        lines = []
        for label, places in labels.items():
            close = difflib.get_close_matches(_key(label), list(keys), n=3, cutoff=0.5)
            hint = ", ".join(dict.fromkeys(repr(keys[c]) for c in close)) or "none"
            text = (f"{label!r} ({places[0]}{' and more' if len(places) > 1 else ''}): "
                    f"closest known names {hint}")
            if _key(label) in _BRUSSELS and "Vlaams-Brabant" in names:
                text += (" (Brussels is served by the Vlaams-Brabant team: write "
                         "'Vlaams-Brabant' or 'Vlaams-Brabant en Brussel')")
            lines.append(text)
        return (
            f"{len(labels)} unknown team label{'s' if len(labels) != 1 else ''} (expected "
            f"one of {', '.join(names)}): " + "; ".join(lines)
            + f". Labels seen in the file: {', '.join(repr(s) for s in seen)}. Map each "
            "label to a team with aliases={'label': 'team'} ([data] aliases in study.toml), "
            "or add it to teams"
        )
