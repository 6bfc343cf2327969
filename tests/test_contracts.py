"""Every public result class offers summary(), to_frame() and plot() the same way.

The classes are discovered, not listed: every class that the public subpackages export
(their ``__all__``) and that has a ``to_frame`` method is a result, unless it is named in
``NOT_RESULTS`` with a reason. Each discovered class needs a factory in ``FACTORIES``;
a new result class without one fails :func:`test_every_result_class_has_a_factory`
(CausalPy ``tests/test_public_plot_signatures.py`` style).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable

import matplotlib.axes
import matplotlib.figure
import numpy as np
import pandas as pd
import pytest

import impact
from impact._core.summary import Summary

SUBPACKAGES = (
    "impact", "impact.io", "impact.events", "impact.baselines", "impact.estimation",
    "impact.diagnostics", "impact.problems", "impact.simulation", "impact.plots",
    "impact.reporting", "impact.study",
)

#: Classes with ``to_frame`` that are inputs or containers, not fitted results.
NOT_RESULTS: dict[str, str] = {
    "EventRegistry": "the event registry is an input (its to_frame lists the events)",
}


def _discover() -> list[type]:
    found: dict[str, type] = {}
    for name in SUBPACKAGES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if (inspect.isclass(obj) and obj.__module__.startswith("impact")
                    and callable(getattr(obj, "to_frame", None))
                    and obj.__name__ not in NOT_RESULTS):
                found[obj.__name__] = obj
    return [found[k] for k in sorted(found)]


RESULT_CLASSES = _discover()

N_PATHS = 200


@pytest.fixture(scope="module")
def sim():
    return impact.simulate_counts(n_pre=60, n_post=6, mean_calls=90, effect_size=0.2, seed=11)


@pytest.fixture(scope="module")
def panel():
    return impact.simulate_panel(n_pre=48, n_post=6, effect_size=0.15, seed=5)


@pytest.fixture(scope="module")
def estimate(sim):
    return impact.estimate_effect(sim.series, sim.events, n_paths=N_PATHS, seed=1)


@pytest.fixture(scope="module")
def daily():
    """A daily NB series with two decaying events ten days apart, and its estimate."""
    rng = np.random.default_rng(9)
    idx = pd.period_range("2022-01-01", "2023-10-31", freq="D", name="period")
    events = impact.EventRegistry(tuple(
        impact.Event(id=i, name=i, kind="news", start=pd.Timestamp(d), shape="decay",
                     half_life=7.0) for i, d in (("E1", "2023-08-27"), ("E2", "2023-09-06"))))
    dow = np.array([1.25, 1.10, 1.05, 1.0, 0.95, 0.75, 0.65])[idx.day_of_week.to_numpy()]
    mu = 50 * dow * np.exp(events.to_regressors(idx).to_numpy() @ np.log1p([0.5, 0.35]))
    series = pd.Series(rng.negative_binomial(30.0, 30.0 / (30.0 + mu)), index=idx,
                       name="calls")
    return series, impact.estimate_effect(series, events, n_paths=N_PATHS, seed=2)


@pytest.fixture(scope="module")
def contacts_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("log") / "contacts.csv"
    rows = ["tijdstip,team,kanaal"] + [
        f"2023-09-{d:02d} {h:02d}:15,{t},{c}" for d in range(1, 29)
        for h, t, c in ((9, "Antwerpen", "telefoon"), (14, "Limburg", "chat"))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def categories():
    calls = impact.simulate_panel(n_pre=60, n_post=6, seed=3).frame
    return impact.problems.synthesize_categories(calls, seed=20240501)


def _problem(kind: str) -> Callable[[dict], object]:
    def make(fx: dict) -> object:
        cats = fx["categories"]
        if kind == "shares":
            return impact.category_shares(cats[cats["period"] >= cats["period"].max() - 5])
        if kind == "trends":
            return impact.fit_category_trends(cats)
        if kind == "mix":
            periods = sorted(cats["period"].unique())
            return impact.compare_category_mix(
                cats, (str(periods[0]), str(periods[5])), (str(periods[-6]), str(periods[-1])))
        if kind == "shift":
            periods = sorted(cats["period"].unique())
            return impact.estimate_share_shift(cats, window=(str(periods[-2]), str(periods[-1])))
        if kind == "series":
            return impact.published_problem_series("child_abuse")
        return impact.compare_published("child_abuse", years=(2019, 2023))
    return make


FACTORIES: dict[str, Callable[[dict], object]] = {
    "BaselineFit": lambda fx: fx["estimate"].baseline,
    "Forecast": lambda fx: fx["estimate"].baseline.forecast(
        pd.period_range(fx["sim"].series.index[-1] + 1, periods=6, freq="M"), seed=1),
    "PooledFit": lambda fx: impact.fit_pooled_baseline(
        fx["panel"].frame[fx["panel"].frame["month"] < fx["panel"].frame["month"].max() - 5]),
    "EffectEstimate": lambda fx: fx["estimate"],
    "EffectTable": lambda fx: impact.estimate_effects(
        fx["panel"].frame, fx["panel"].events, n_paths=N_PATHS, seed=1),
    "ITSResult": lambda fx: impact.fit_its(fx["sim"].series, fx["sim"].events),
    "IdentifiabilityReport": lambda fx: impact.check_identifiability(
        fx["sim"].events, fx["sim"].series.index),
    "BacktestResult": lambda fx: impact.backtest_baseline(
        fx["sim"].series.iloc[:60], origins=3, horizons=3, n_paths=N_PATHS),
    "ModelComparison": lambda fx: impact.compare_baselines(
        fx["sim"].series.iloc[:60],
        [impact.BaselineSpec(), impact.BaselineSpec(family="quasipoisson")],
        origins=3, horizons=3, n_paths=N_PATHS),
    "PlaceboResult": lambda fx: impact.placebo_in_time(fx["estimate"], n_paths=N_PATHS),
    "SensitivityResult": lambda fx: impact.sensitivity(
        fx["estimate"], n_paths=N_PATHS, families=("negbin", "quasipoisson"), buffers=(0,),
        use_breaks=(True,)),
    "ResidualCheck": lambda fx: impact.check_residuals(fx["estimate"].baseline),
    "CapacityCheck": lambda fx: impact.check_capacity(fx["sim"].series, fx["sim"].events),
    "EffectCheck": lambda fx: impact.check_effect(
        fx["estimate"], placebo_n_paths=N_PATHS, sensitivity_families=("negbin",),
        buffers=(0,), backtest=False),
    "EffectCheckTable": lambda fx: impact.check_effects(
        fx["panel"].frame, fx["panel"].events, n_paths=N_PATHS, placebo_n_paths=N_PATHS,
        sensitivity_families=("negbin",), buffers=(0,), backtest=False),
    "SeparateEffects": lambda fx: fx["daily"][1].separate,
    "WindowComparison": lambda fx: impact.compare_window(
        fx["daily"][0], "2023-08-28", "2023-09-17", estimate=fx["daily"][1]),
    "ContactLog": lambda fx: impact.load_contact_log(fx["contacts_file"]),
    "CategoryShares": _problem("shares"),
    "CategoryTrends": _problem("trends"),
    "MixChange": _problem("mix"),
    "ShareShift": _problem("shift"),
    "PublishedProblemSeries": _problem("series"),
    "PublishedComparison": _problem("published"),
}


@pytest.fixture(scope="module")
def results(request):
    class _Lazy(dict):  # fixtures are made when a factory first asks for them
        def __missing__(self, key: str) -> object:
            self[key] = request.getfixturevalue(key)
            return self[key]

    fx = _Lazy()
    cache: dict[str, object] = {}

    def get(name: str) -> object:
        if name not in cache:
            cache[name] = FACTORIES[name](fx)
        return cache[name]

    return get


def test_discovery_finds_the_result_classes() -> None:
    names = {cls.__name__ for cls in RESULT_CLASSES}
    assert {"EffectEstimate", "PlaceboResult", "CategoryShares", "BaselineFit"} <= names
    assert len(names) >= 20


def test_every_result_class_has_a_factory() -> None:
    missing = sorted({cls.__name__ for cls in RESULT_CLASSES} - set(FACTORIES))
    assert not missing, f"result classes without a factory in tests/test_contracts.py: {missing}"


def test_result_classes_are_exported_at_the_top_level() -> None:
    # a result type returned by an exported function is exported with it
    not_top = sorted(cls.__name__ for cls in RESULT_CLASSES if cls.__name__ not in impact.__all__
                     and cls.__name__ not in {"Forecast"})
    assert not not_top or set(not_top) <= {"PooledFit"}, not_top


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda c: c.__name__)
def test_summary_to_frame_plot(cls, results, close_figures) -> None:
    res = results(cls.__name__)
    assert isinstance(res, cls)

    summary = res.summary()
    assert isinstance(summary, Summary), f"{cls.__name__}.summary() must return impact.Summary"
    assert isinstance(summary.table, pd.DataFrame)  # empty when there is nothing to flag
    assert isinstance(summary.text, str) and len(summary.text) > 40
    assert str(summary).startswith(summary.text)

    frame = res.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame.columns)
    assert list(res.to_frame().columns) == list(frame.columns)  # fixed schema, same each call
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    col = numeric[0] if numeric else frame.columns[0]
    before = res.to_frame()[col].iloc[0] if not frame.empty else None
    sentinel = before + 1 if numeric else "changed"
    if not frame.empty:
        frame.loc[frame.index[0], col] = sentinel
        after = res.to_frame()[col].iloc[0]
        assert after is before or after == before or (pd.isna(after) and pd.isna(before)), (
            f"{cls.__name__}.to_frame() returned its own data, not a copy")

    ax_param = inspect.signature(cls.plot).parameters.get("ax")
    assert ax_param is not None, f"{cls.__name__}.plot has no ax parameter"
    assert ax_param.kind is inspect.Parameter.KEYWORD_ONLY and ax_param.default is None
    drawn = res.plot()
    assert isinstance(drawn, matplotlib.axes.Axes | matplotlib.figure.Figure)
    fig = drawn if isinstance(drawn, matplotlib.figure.Figure) else drawn.figure
    assert fig.axes, f"{cls.__name__}.plot() drew nothing"


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda c: c.__name__)
def test_summary_states_level_or_method(cls, results) -> None:
    text = results(cls.__name__).summary().text.lower()
    assert any(word in text for word in ("interval", "method", "test", "model", "correlation",
                                         "resolution")), text[:200]
