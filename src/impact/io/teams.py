"""Team names: the aliases of the five 1712 teams, Flanders-total labels, and the lookup.

Raw tables spell teams in many ways (``"CAW West-Vl."``, ``"W-Vl"``, ``"Flandre
occidentale"``). :func:`canonical_team` maps any variant listed in :data:`TEAM_ALIASES`
to one of :data:`impact._core.constants.TEAMS`, matching without regard to case, accents,
punctuation and spaces, and with a leading ``CAW``/``provincie``/``team`` dropped.
:data:`TOTAL_LABELS` names the labels of a Flanders-total row or column.

The loaders (:mod:`impact.io.calls` and its layout parser :mod:`impact.io._layouts`)
share the private helpers here: the folded key, the lookup table, the total test and the
"unknown team" message with its hint.
"""

from __future__ import annotations

import difflib
import re

from impact._core.constants import TEAMS
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

_PREFIXES = ("caw", "provincie", "province", "prov", "team", "ploeg", "regio")


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", fold_text(text))


def _team_lookup() -> dict[str, str]:
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
    return re.sub(r"\d", "", _key(text))


_TOTAL_KEYS = frozenset(_total_key(label) for label in TOTAL_LABELS)


def _is_total(value: object) -> bool:
    if not isinstance(value, str) or is_blank(value):
        return False
    return _total_key(value) in _TOTAL_KEYS


def _unknown_team_message(name: object) -> str:
    text = f"unknown team {name!r}; known teams are {', '.join(TEAMS)}"
    key = _key(name)
    if key in ("brussel", "brussels", "bruxelles", "cawbrussel"):
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
