"""What a count counts: measures (offered, answered, unique, ...) and channels.

Real exports carry more than one measure (contacts offered, answered, unique callers,
missed) and more than one channel (phone, chat, e-mail), in Dutch or English.
:func:`canonical_measure` and :func:`canonical_channel` map the spellings a table uses to
one name (:data:`MEASURES`, :data:`CHANNELS`); any other spelling is kept as written
(lower case), so a helpline with its own measures still loads. :func:`find_measure`
spots a measure word in a title such as ``"Beantwoorde oproepen 2023"``. The private
``_select_measure`` and ``_select_channels`` apply a loader's ``measure=`` and
``channels=`` to the frame it read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from impact._core.dates import format_period
from impact._core.exceptions import DataValidationError
from impact._core.parsing import fold_text, format_list, is_blank

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


# --- selection (for impact.io.calls.load_call_counts) ---------------------------------


def _select_measure(
    frame: pd.DataFrame, measure: str | None, definition: str, source: str,
    attrs: dict[str, Any],
) -> pd.DataFrame:
    """Keep one measure's rows (the ``measure`` column is dropped); record it in attrs."""
    wanted = canonical_measure(measure) if measure is not None else None
    if "measure" not in frame.columns:
        attrs["measure"] = wanted if wanted is not None else definition
        return frame
    found = sorted(set(frame["measure"].dropna()))
    how = ("choose one with load_call_counts(..., measure=...) or [data] measure in "
           "study.toml")
    if frame["measure"].isna().any():
        raise DataValidationError(
            f"{source}: some counts have no measure (a block without a measure title or an "
            f"empty measure cell) while others are {', '.join(found)}; give every block "
            "or row its measure."
        )
    if wanted is None:
        if len(found) > 1:
            raise DataValidationError(
                f"{source}: the file holds several measures ({', '.join(found)}); one series "
                f"must count one thing: {how}."
            )
        wanted = found[0]
    elif wanted not in found:
        raise DataValidationError(
            f"{source}: measure={measure!r} ({wanted!r}) is not in the file; it holds "
            f"{', '.join(found)}: {how}."
        )
    attrs["measure"] = wanted
    return frame.loc[frame["measure"] == wanted].drop(columns="measure").reset_index(drop=True)


def _select_channels(
    frame: pd.DataFrame, channels: str | Sequence[str] | None, source: str,
    attrs: dict[str, Any],
) -> pd.DataFrame:
    """Sum (or keep) channels per team-month as ``channels`` says; record them in attrs."""
    if "channel" not in frame.columns:
        if channels is not None and channels != "sum":
            raise DataValidationError(
                f"{source}: channels={list(channels)!r} but the file has no channel column "
                "(kanaal/channel); leave channels out (or 'sum')."
            )
        return frame
    seen = sorted(set(frame["channel"]))
    if channels is None:
        attrs["channels"] = seen
        return frame
    if channels != "sum":
        wanted = list(dict.fromkeys(canonical_channel(c) for c in channels))
        unknown = [c for c in wanted if c not in seen]
        if unknown:
            raise DataValidationError(
                f"{source}: channels {', '.join(map(repr, unknown))} not in the file; it "
                f"holds channels {', '.join(seen)}. Pick from those, or channels='sum'."
            )
        frame = frame.loc[frame["channel"].isin(wanted)]
        seen = wanted
    keys = [c for c in ("team", "month", "week", "day", "category") if c in frame.columns]
    time = keys[1]
    grouped = frame.groupby(keys, sort=True)
    out = grouped["calls"].sum().reset_index()
    if "exposure" in frame.columns:
        spread = grouped["exposure"].agg(["min", "max"]).reset_index()
        bad = spread[spread["min"] != spread["max"]]
        if len(bad):
            listed = [f"{t} {format_period(m)}" for t, m in zip(bad["team"], bad[time],
                                                                 strict=True)]
            raise DataValidationError(
                f"{source}: exposure differs between the channels of {format_list(listed)}; "
                "give one exposure per team-month, or channels=None to keep the channels."
            )
        out["exposure"] = spread["min"].to_numpy()
    if "kind" in frame.columns:
        out["kind"] = frame["kind"].iloc[0]
    attrs["channels"] = seen
    return out
