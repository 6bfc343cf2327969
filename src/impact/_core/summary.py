"""The one summary type every result's ``summary()`` returns.

A :class:`Summary` pairs the numbers (``table``) with one paragraph (``text``) that states
the estimate, level, interval kind, method and data kind. It prints readably, renders as
HTML in notebooks, and never prints by itself (STYLE 5: ``summary()`` returns a value).
"""

from __future__ import annotations

import dataclasses
import html

import pandas as pd

__all__ = ["Summary"]


@dataclasses.dataclass(frozen=True)
class Summary:
    """What ``summary()`` of every result returns.

    Attributes
    ----------
    table : DataFrame
        The numbers, a view of the result's ``to_frame()`` with its main columns. A
        meaningful index (e.g. ``quantity``) is shown; a plain 0..n-1 index is not.
    text : str
        Plain-language statement of the estimate with level, interval kind, method and
        data kind, and any caveats.
    """

    table: pd.DataFrame
    text: str

    def _show_index(self) -> bool:
        index = self.table.index
        return not (isinstance(index, pd.RangeIndex) and index.name is None)

    def __str__(self) -> str:
        return f"{self.text}\n\n{self.table.to_string(index=self._show_index())}"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>" + self.table.to_html(index=self._show_index())
