"""The data-kind label: the one wording of "synthetic, not real" and of each data kind.

Every summary text, table banner, figure caption, report and generated README takes its
wording from here (DESIGN section 3: nothing synthetic may be mistaken for real).
"""

from __future__ import annotations

from collections.abc import Iterable

from impact._core.constants import DATA_KINDS

__all__ = ["SYNTHETIC_LABEL", "data_kind_label", "label_text"]

#: Label of anything computed from synthetic data (DESIGN.md section 3).
SYNTHETIC_LABEL: str = "SYNTHETIC DATA - demonstration only, not real 1712 figures"


def data_kind_label(kind: str) -> str:
    """Return the short label of a data kind (the synthetic label for synthetic data)."""
    if kind == "synthetic":
        return SYNTHETIC_LABEL
    if kind not in DATA_KINDS:
        raise ValueError(f"data kind {kind!r} is not one of {list(DATA_KINDS)}")
    return f"{kind} data"


def label_text(text: str, *, data_kind: str, caveats: Iterable[str] = ()) -> str:
    """Prefix the synthetic label when ``data_kind`` is synthetic and append caveats."""
    caveats = tuple(caveats)
    if data_kind == "synthetic":
        text = f"{SYNTHETIC_LABEL}. {text}"
    if caveats:
        text += " Caveats: " + " ".join(caveats)
    return text
