"""Contracts of the public API: names resolve, results share one shape, no **kwargs."""

from __future__ import annotations

import inspect

import pytest

import impact

RESULT_TYPES = [
    "EffectEstimate",
    "EffectTable",
    "ITSResult",
    "BaselineFit",
]


def test_every_public_name_resolves():
    for name in impact.__all__:
        assert getattr(impact, name) is not None, name


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_results_offer_summary_to_frame_plot(name):
    cls = getattr(impact, name)
    for method in ("summary", "to_frame", "plot"):
        assert callable(getattr(cls, method, None)), f"{name}.{method}"
    # plot takes ax as keyword-only with default None
    ax = inspect.signature(cls.plot).parameters["ax"]
    assert ax.kind is inspect.Parameter.KEYWORD_ONLY and ax.default is None


def test_diagnostic_results_offer_the_same_shape():
    from impact import diagnostics
    for name in ("BacktestResult", "ModelComparison", "PlaceboResult", "SensitivityResult",
                 "ResidualCheck", "CapacityCheck", "EffectCheck", "EffectCheckTable"):
        cls = getattr(diagnostics, name)
        for method in ("summary", "to_frame", "plot"):
            assert callable(getattr(cls, method, None)), f"{name}.{method}"


def test_no_public_function_takes_var_keyword_or_var_positional():
    offenders = []
    for name in impact.__all__:
        obj = getattr(impact, name)
        if inspect.isfunction(obj):
            for p in inspect.signature(obj).parameters.values():
                if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                    offenders.append(f"{name}({p.name})")
    assert not offenders, offenders


def test_level_is_the_interval_argument_everywhere():
    for name in ("estimate_effect", "estimate_effects", "fit_its", "placebo_in_time",
                 "sensitivity", "check_effect", "category_shares"):
        params = inspect.signature(getattr(impact, name)).parameters
        assert "level" in params and params["level"].default == impact.DEFAULT_LEVEL, name
        assert "alpha" not in params, name
