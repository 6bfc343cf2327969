"""The data-kind label every summary text, table banner and figure caption carries."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SYNTHETIC_LABEL", "label_text"]

#: Label of anything computed from synthetic data (DESIGN.md section 3).
SYNTHETIC_LABEL: str = "SYNTHETIC DATA - demonstration only, not real 1712 figures"


def label_text(text: str, *, data_kind: str, caveats: Iterable[str] = ()) -> str:
    """Prefix the synthetic label when ``data_kind`` is synthetic and append caveats."""
    caveats = tuple(caveats)
    if data_kind == "synthetic":
        text = f"{SYNTHETIC_LABEL}. {text}"
    if caveats:
        text += " Caveats: " + " ".join(caveats)
    return text
