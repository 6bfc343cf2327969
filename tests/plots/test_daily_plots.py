"""Tests of impact.plots.daily: the daily figure in both languages, readable ticks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact.plots.daily import plot_daily_effect


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_daily_figure_has_distinct_tick_labels_and_words_in_its_language(lang, close_figures):
    """Half-month ticks were all labelled with the month ('sep 2023', 'sep 2023')."""
    idx = pd.period_range("2023-07-20", "2023-10-31", freq="D")
    frame = pd.DataFrame({"observed": np.arange(len(idx)), "expected": np.arange(len(idx)),
                          "expected_lower": np.arange(len(idx)) - 3.0,
                          "expected_upper": np.arange(len(idx)) + 3.0}, index=idx)
    ax = plot_daily_effect(frame, events={"E048": "2023-08-27"},
                           window=("2023-08-28", "2023-09-17"), lang=lang, level=0.95)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) == len(set(ticks)) >= 3, ticks
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    if lang == "nl":
        assert "waargenomen" in legend and "venster" in legend and "observed" not in legend
        assert ax.get_ylabel() == "oproepen per dag"
    else:
        assert "observed" in legend and ax.get_ylabel() == "calls per day"
