"""What a count counts: measures (offered, answered, unique, ...) and channels.

Real exports carry more than one measure (contacts offered, answered, unique callers,
missed) and more than one channel (phone, chat, e-mail), in Dutch or English.
:func:`canonical_measure` and :func:`canonical_channel` map the spellings a table uses to
one name (:data:`MEASURES`, :data:`CHANNELS`); any other spelling is kept as written
(lower case), so a helpline with its own measures still loads. :func:`find_measure`
spots a measure word in a title such as ``"Beantwoorde oproepen 2023"``.
"""

from __future__ import annotations

import re

from impact._core.parsing import fold_text, is_blank

__all__ = ["CHANNELS", "MEASURES", "canonical_channel", "canonical_measure", "find_measure"]

#: Canonical measure names and the spellings that map to them (matched on the
#: alphanumeric fold, so "Beantwoorde oproepen" and "answered calls" count too).
MEASURES: dict[str, tuple[str, ...]] = {
    "offered": ("offered", "aangeboden", "aangebodenoproepen", "offeredcalls", "inkomend",
                "incoming", "binnenkomend"),
    "answered": ("answered", "beantwoord", "beantwoorde", "beantwoordeoproepen",
                 "answeredcalls", "opgenomen", "handled"),
    "unique": ("unique", "uniek", "unieke", "uniekebellers", "uniquecallers", "unieken",
               "uniquecontacts", "uniekecontacten"),
    "missed": ("missed", "gemist", "gemiste", "gemisteoproepen", "missedcalls", "abandoned",
               "verloren"),
}

#: Canonical channel names and their spellings.
CHANNELS: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "telefoon", "telefonisch", "tel", "telephone", "call", "calls",
              "oproep", "oproepen"),
    "chat": ("chat", "webchat", "chats"),
    "email": ("email", "mail", "emails", "mails"),
}


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", fold_text(text))


_MEASURE_KEYS = {k: name for name, keys in MEASURES.items() for k in keys}
_CHANNEL_KEYS = {k: name for name, keys in CHANNELS.items() for k in keys}


def _canonical(value: object, table: dict[str, str]) -> str:
    key = _key(value)
    if key in table:
        return table[key]
    return " ".join(fold_text(value).split()) if not is_blank(value) else ""


def canonical_measure(value: object) -> str:
    """Return the canonical name of a measure label (``"Beantwoord"`` -> ``"answered"``).

    Labels not in :data:`MEASURES` come back as written, in lower case.

    Examples
    --------
    >>> canonical_measure("Aangeboden"), canonical_measure("Unieke bellers")
    ('offered', 'unique')
    """
    return _canonical(value, _MEASURE_KEYS)


def canonical_channel(value: object) -> str:
    """Return the canonical name of a channel label (``"telefoon"`` -> ``"phone"``).

    Labels not in :data:`CHANNELS` come back as written, in lower case.

    Examples
    --------
    >>> canonical_channel("Telefoon"), canonical_channel("e-mail")
    ('phone', 'email')
    """
    return _canonical(value, _CHANNEL_KEYS)


def find_measure(text: object) -> str | None:
    """The one measure a title names (``"Beantwoorde oproepen 2023"`` -> ``"answered"``).

    Returns ``None`` when the text names no measure or several.
    """
    if not isinstance(text, str):
        return None
    words = re.findall(r"[0-9a-z]+", fold_text(text))
    found = {_MEASURE_KEYS[w] for w in words if w in _MEASURE_KEYS}
    found |= {name for name, keys in MEASURES.items()
              if any(len(k) > 8 and k in "".join(words) for k in keys)}
    return found.pop() if len(found) == 1 else None
