"""Tests of the study figures in :mod:`impact.plots.effects` (issue 12, defect 9).

Each check would catch its defect again: the F03 legend inside the data area, the F04
date labels overlapping or months drawn on their first day, F06 without its partial-year,
definition and unpublished-year marks, and English words in the Dutch figures.
"""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest

from impact import plots
from impact._core.exceptions import DataValidationError

matplotlib.use("Agg")

TEAMS = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen",
         "Flanders"]


@pytest.fixture
def forest_table():
    rel = np.array([0.15, 0.38, 0.19, 0.34, 0.0, 0.19])
    table = pd.DataFrame({"relative_effect": rel, "relative_effect_lower": rel - 0.2,
                          "relative_effect_upper": rel + 0.2}, index=TEAMS)
    return SimpleNamespace(summary=lambda: SimpleNamespace(table=table),
                           estimates=[SimpleNamespace(level=0.95)])


@pytest.fixture
def cumulative_result():
    idx = pd.period_range("2023-08", "2023-10", freq="M")
    frame = pd.DataFrame({"cumulative_effect": [50.0, 420.0, 450.0],
                          "cumulative_effect_lower": [-90.0, 190.0, 130.0],
                          "cumulative_effect_upper": [170.0, 610.0, 740.0]}, index=idx)
    return SimpleNamespace(cumulative_frame=lambda: frame, level=0.95, team="Flanders",
                           event="E048+E049")


@pytest.fixture
def annual():
    return pd.DataFrame({
        "year": [2012, 2013, 2016, 2017, 2018, 2021],
        "calls": [2500, 3248, 4596, np.nan, 5126, 8515],
        "definition": ["calls_received", "calls_received", "calls_received", None,
                       "calls_answered", "unique_calls"],
        "is_partial_year": [True, False, False, False, False, False],
    })


def _overlaps(a, b) -> bool:
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


def _texts(fig) -> str:
    out = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return " ".join(out)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_forest_legend_sits_outside_the_data_area(forest_table, lang, close_figures):
    ax = plots.plot_forest(forest_table, lang=lang)
    fig = ax.figure
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert not _overlaps(legend, ax.get_window_extent(renderer)), "legend inside the axes"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == ("Vlaanderen" if lang == "nl" else "Flanders")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_cumulative_months_mid_month_ticks_do_not_overlap_events_on_their_dates(
        cumulative_result, lang, close_figures):
    import matplotlib.dates as mdates

    events = [(pd.Timestamp("2023-08-27"), "E048"), (pd.Timestamp("2023-09-05"), "E049")]
    ax = plots.plot_cumulative(cumulative_result, events=events, lang=lang)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = [pd.Timestamp(mdates.num2date(x)).tz_localize(None) for x in ax.get_xticks()]
    assert [t.day for t in ticks] == [15, 15, 15]  # one tick per month, mid-month
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert [t.get_text() for t in labels] == (
        ["aug 2023", "sep 2023", "okt 2023"] if lang == "nl" else
        ["Aug 2023", "Sept 2023", "Oct 2023"])  # en_GB
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(_overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    x_points = ax.get_lines()[0].get_xdata()
    assert all(pd.Timestamp(x).day == 15 for x in x_points)  # not on the 1st
    def day(x):
        if isinstance(x, (int, float, np.floating)):
            return pd.Timestamp(mdates.num2date(x)).tz_localize(None).normalize()
        return pd.Timestamp(x).normalize()

    vlines = {day(line.get_xdata()[0]) for line in ax.get_lines()[1:]
              if line.get_linestyle() == ":"}
    assert vlines == {pd.Timestamp("2023-08-27"), pd.Timestamp("2023-09-05")}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_published_annual_marks_partial_year_definitions_and_gaps(annual, lang,
                                                                   close_figures):
    ax = plots.plot_published_annual(annual, lang=lang, service_start="2012-03-12")
    _, legend_labels = ax.get_legend_handles_labels()
    partial = [t for t in legend_labels if ("onvolledig jaar" if lang == "nl"
                                            else "partial year") in t]
    assert partial and ("12 maart 2012" if lang == "nl" else "12 March 2012") in partial[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and abs(hatched[0].get_x() + hatched[0].get_width() / 2
                                     - 2012) < 1e-9
    markers = {c.get_label(): c.get_paths()[0].vertices.shape for c in ax.collections}
    names = {"nl": ("ontvangen oproepen", "beantwoorde oproepen", "unieke oproepen"),
             "en": ("calls received", "calls answered", "unique calls")}[lang]
    assert set(names) <= set(markers)
    assert len({markers[n] for n in names}) == 3  # three different marker shapes
    gap = [t for t in ax.texts if ("gepubliceerd" if lang == "nl" else "published")
           in t.get_text()]
    assert len(gap) == 1 and gap[0].xy[0] == 2017


def test_dutch_figures_carry_no_english_words(forest_table, cumulative_result, annual,
                                              close_figures):
    english = ("relative effect", "simulation interval", "cumulative", "calls", "year",
               "published", "partial", "Flanders", "SYNTHETIC ", "figure ")
    figs = [plots.plot_forest(forest_table, lang="nl").figure,
            plots.plot_cumulative(cumulative_result, lang="nl").figure,
            plots.plot_published_annual(annual, lang="nl").figure]
    for fig in figs:
        plots.stamp_figure(fig, data_kind="synthetic", figure_id="F00_test", lang="nl")
        fig.canvas.draw()
        text = _texts(fig)
        found = [w for w in english if w in text]
        assert not found, found
        assert "SYNTHETISCH" in text and "figuur F00_test" in text


def test_unknown_language_is_refused(forest_table):
    with pytest.raises(DataValidationError, match="figure language"):
        plots.plot_forest(forest_table, lang="fr")


@pytest.mark.parametrize(("ticks", "lang", "labels"), [
    ([0.0, 0.5, 1.0], "nl", ["0,0", "0,5", "1,0"]),
    ([0.0, 0.5, 1.0], "en", ["0.0", "0.5", "1.0"]),
    ([1000.0, 2000.0, 3000.0], "nl", ["1.000", "2.000", "3.000"]),
    ([0.25, 0.5], "en", ["0.25", "0.50"]),
])
def test_number_axis_labels_in_the_locale_with_the_decimals_the_ticks_need(
        ticks, lang, labels, close_figures):
    import matplotlib.pyplot as plt

    from impact.plots._base import number_axis

    fig, ax = plt.subplots()
    number_axis(ax, "y", lang=lang)
    ax.set_yticks(ticks)
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == labels
