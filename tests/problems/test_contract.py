"""Every result of impact.problems offers summary(), to_frame() and plot() alike."""

from __future__ import annotations

import inspect

import matplotlib.axes
import pandas as pd
import pytest

import impact.problems as problems
from impact._core.exceptions import DataValidationError
from impact._core.provenance import data_kind_label
from impact._core.summary import Summary
from impact.plots import problems as problem_plots
from impact.problems import (
    category_shares,
    compare_category_mix,
    compare_published,
    estimate_share_shift,
    fit_category_trends,
    published_problem_series,
)

#: The result classes impact.problems offers, discovered (anything with summary()).
RESULT_CLASSES = sorted(
    (obj for name in problems.__all__
     if inspect.isclass(obj := getattr(problems, name)) and hasattr(obj, "summary")),
    key=lambda cls: cls.__name__,
)


@pytest.fixture(scope="module")
def results(synthetic) -> dict[str, object]:
    sub = synthetic[synthetic["period"] >= pd.Period("2022-07", "M")]
    made = [
        category_shares(sub),
        fit_category_trends(synthetic),
        compare_category_mix(synthetic, ("2021-01", "2021-06"), ("2023-01", "2023-06")),
        estimate_share_shift(synthetic, window=("2023-09", "2023-10")),
        published_problem_series("child_abuse"),
        compare_published("child_abuse", years=(2019, 2023)),
    ]
    return {type(res).__name__: res for res in made}


def test_every_result_class_is_exercised(results) -> None:
    assert len(RESULT_CLASSES) >= 6
    assert {cls.__name__ for cls in RESULT_CLASSES} == set(results)


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda cls: cls.__name__)
def test_result_offers_summary_to_frame_plot(cls, results, close_figures) -> None:
    res = results[cls.__name__]
    summary = res.summary()
    assert isinstance(summary, Summary)
    assert isinstance(summary.table, pd.DataFrame) and not summary.table.empty
    kind = str(res.to_frame()["data_kind"].iloc[0])
    if kind == "published":
        # published census counts: the text says why there is no sampling interval
        assert "no sampling interval" in summary.text
    else:
        assert "95%" in summary.text
        assert "interval" in summary.text
    assert data_kind_label(kind).lower() in summary.text.lower()  # the one wording
    assert str(summary).startswith(summary.text)
    frame = res.to_frame()
    frame.iloc[0, 0] = "changed"
    assert res.to_frame().iloc[0, 0] != "changed"  # to_frame returns a copy
    ax = res.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_title()
    ax_param = inspect.signature(cls.plot).parameters["ax"]
    assert ax_param.kind is inspect.Parameter.KEYWORD_ONLY and ax_param.default is None


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda cls: cls.__name__)
def test_plot_draws_on_the_given_axes(cls, results, close_figures) -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert results[cls.__name__].plot(ax=ax) is ax


def test_plots_are_drawn_by_impact_plots(results, close_figures) -> None:
    shares = results["CategoryShares"]
    ax = problem_plots.plot_category_shares(shares, team="Limburg")
    assert ax.get_title().startswith("Limburg:")
    assert ax.get_ylim() == (0.0, 1.0)
    labels = {line.get_label() for line in ax.get_lines()}
    assert labels == set(shares.to_frame()["category"])
    series = results["PublishedProblemSeries"]
    ax = problem_plots.plot_published_series(series, measure="count")
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "count"
    ax = problem_plots.plot_published_comparison(results["PublishedComparison"])
    assert len(ax.patches) == 2


def test_level_is_checked_with_its_name(synthetic) -> None:
    with pytest.raises(DataValidationError, match=r"level must satisfy 0 < level < 1.*0\.95"):
        category_shares(synthetic, level=95)
