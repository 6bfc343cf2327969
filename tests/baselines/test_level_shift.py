"""Tests of impact.baselines.level_shift: the shift scan, its reports and its backend."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.baselines import (
    BaselineSpec,
    LevelShift,
    ShiftMixtureBackend,
    fit_baseline,
)
from impact.baselines.glm import fit_count_family
from impact.baselines.level_shift import _MAX_CONDITION, REGISTERED_GUARD, _breads, _fit_h0
from impact.estimation import estimate_effect
from impact.simulation.simulate import simulate_counts

N_PATHS = 400
#: Simulated means and counts agree with the backend's mean to this relative tolerance on
#: a 400-path mean (NB2 alpha ~0.01-0.05 at ~100 calls, latent noise: several SEs).
MEAN_RTOL = 0.08
SHIFT_AT = 40


def _history(*, shift: float | None, registered: bool = False, seed: int = 4,
             n_pre: int = 96, dispersion: float = 0.01) -> tuple[pd.Series, object]:
    sim = simulate_counts(
        n_pre=n_pre, n_post=1, mean_calls=120.0, trend=0.03, dispersion=dispersion,
        effect_size=0.0, seed=seed,
        capacity_break=None if shift is None else (SHIFT_AT, float(np.log1p(shift))),
        break_registered=registered,
    )
    return sim.series.iloc[:-1], sim.events


def _fit(series: pd.Series, events=None, **spec) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_baseline(series, BaselineSpec(**spec), breaks=events)


@pytest.fixture(scope="module")
def shifted() -> tuple[pd.Series, object]:
    return _history(shift=0.30)


def test_spec_default_is_auto_and_validates() -> None:
    assert BaselineSpec().level_shifts == "auto"
    assert BaselineSpec(level_shifts="off").level_shifts == "off"
    with pytest.raises(DataValidationError, match="level_shifts"):
        BaselineSpec(level_shifts="on")


def test_unregistered_shift_is_detected_and_reported(shifted) -> None:
    series, _ = shifted
    fit = _fit(series)
    assert isinstance(fit.backend, ShiftMixtureBackend)
    assert len(fit.level_shifts) == 1
    shift = fit.level_shifts[0]
    assert isinstance(shift, LevelShift)
    assert abs((shift.period - series.index[SHIFT_AT]).n) <= REGISTERED_GUARD
    assert 15 < shift.size_pct < 50 and 0.8 <= shift.probability <= 1.0
    text = (f"a level shift of {shift.size_pct:+.0f}% around {shift.period} is not explained "
            f"by a registered event (posterior probability {shift.probability:.2f})")
    assert text in fit.warnings
    assert "P(shift) = " in fit.method and "latent AR(1)" in fit.method
    assert any(f"level_shift_{shift.period}" == p for p in fit.params.index)


def test_registered_break_wins() -> None:
    series, events = _history(shift=0.30, registered=True)
    fit = _fit(series, events)
    assert fit.level_shifts == ()
    assert not [w for w in fit.warnings if "level shift" in w]
    # the registered break is a column of every hypothesis, no scanned shift near it
    assert all("break_SIM-BREAK" in h_cols for h_cols in [list(fit.params.index)])
    for h in fit.backend.hyps:
        assert all(abs((b - series.index[SHIFT_AT]).n) > REGISTERED_GUARD for b in h.breaks)
    assert float(np.expm1(fit.params["break_SIM-BREAK"])) == pytest.approx(0.30, abs=0.08)


@pytest.mark.parametrize("spec", [
    {"family": "poisson"}, {"family": "quasipoisson"}, {"level_shifts": "off"},
])
def test_not_scanned_where_the_method_does_not_apply(shifted, spec) -> None:
    fit = _fit(shifted[0], **spec)
    assert not isinstance(fit.backend, ShiftMixtureBackend)
    assert fit.level_shifts == () and "level-shift" not in fit.method


def test_weekly_series_are_not_scanned() -> None:
    rng = np.random.default_rng(3)
    idx = pd.period_range("2020-01-06", periods=120, freq="W")
    series = pd.Series(rng.poisson(60, len(idx)).astype(float), index=idx)
    fit = _fit(series, seasonality="fourier")
    assert not isinstance(fit.backend, ShiftMixtureBackend)


def test_few_false_reports_without_a_shift() -> None:
    reports = sum(
        len(_fit(_history(shift=None, seed=s, dispersion=0.04)[0]).level_shifts)
        for s in range(12)
    )
    assert reports <= 2  # measured false-report rate at 96 months: about 2%


def test_backend_implements_the_whole_protocol(shifted) -> None:
    fit = _fit(shifted[0])
    backend = fit.backend
    periods = pd.period_range(fit.history.index[-1] + 1, periods=4, freq="M")
    rng = np.random.default_rng(1)
    mu, w = backend.simulate_means(periods, N_PATHS, rng)
    assert mu.shape == (N_PATHS, 4) and w.shape == (N_PATHS,)
    assert np.all(np.isfinite(mu)) and np.all(mu >= 0) and np.all(w > 0)
    counts = backend.draw_counts(mu, w, rng)
    assert counts.shape == mu.shape and np.all(counts == np.round(counts)) and counts.min() >= 0
    z = np.random.default_rng(2).standard_normal(mu.shape)
    a = backend.draw_counts(mu, w, np.random.default_rng(3), z)
    b = backend.draw_counts(mu, w, np.random.default_rng(4), z)
    np.testing.assert_array_equal(a, b)
    paths = backend.simulate(periods, N_PATHS, np.random.default_rng(5))
    expected = backend.mean(periods)
    np.testing.assert_allclose(counts.mean(axis=0), expected, rtol=MEAN_RTOL)
    np.testing.assert_allclose(paths.mean(axis=0), expected, rtol=MEAN_RTOL)


def test_excluded_periods_are_respected(shifted) -> None:
    series, _ = shifted
    exclude = pd.Series(False, index=series.index)
    exclude.iloc[70:74] = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_baseline(series, BaselineSpec(), exclude=exclude)
    assert fit.excluded.sum() == 4
    assert len(fit.backend.pos) == len(series) - 4


def test_a_step_the_design_already_spans_is_no_hypothesis_and_paths_stay_finite() -> None:
    """A candidate shift that equals a registered break on the fitted periods (the months
    between them are excluded, as event windows are) must not enter the average: its
    information matrix is singular, and its 'covariance' once sent ~3% of the
    counterfactual paths to the clip bounds (1e-13 and 2e17 calls) on a real-shaped
    seven-team table."""
    series, events = _history(shift=0.3, registered=True, n_pre=72)
    exclude = np.zeros(len(series), bool)
    exclude[SHIFT_AT - 9:SHIFT_AT + 2] = True  # a step from SHIFT_AT-8 .. SHIFT_AT == the break
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_baseline(series, BaselineSpec(), breaks=events, exclude=exclude)
    spanned = set(series.index[SHIFT_AT - 8:SHIFT_AT + 3])
    for h in fit.backend.hyps:
        assert not spanned & set(h.breaks), h.breaks
        assert np.all(np.isfinite(h.bread))
    future = pd.period_range(series.index[-1] + 1, periods=6, freq="M")
    paths = fit.backend.simulate(future, 4000, np.random.default_rng(1))
    level = float(series.iloc[-12:].mean())
    assert np.all(np.isfinite(paths))
    assert paths.max() < 20 * level and np.quantile(paths, 0.001) > 0.2 * level


def test_collinear_steps_and_singular_information_are_recognised() -> None:
    """The two guards behind the test above, on a design where a step equals a column on
    the fitted rows (the garbage 'inverse' of such a matrix had eigenvalues of +-1e29)."""
    from impact.baselines.level_shift import _bread, _new_steps

    pos = np.array([0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17], float)  # 6..11 excluded
    X0 = np.column_stack([np.ones(12), pos / 12, (pos >= 9).astype(float)])  # a break at 9
    assert _new_steps(X0, pos, [7, 14]) == [14]  # 7: same as the break on the fitted rows
    X = np.column_stack([X0, (pos >= 7).astype(float)])
    assert _bread(X, np.full(12, 50.0)) is None
    assert _bread(np.column_stack([X0, (pos >= 14).astype(float)]), np.full(12, 50.0)) is not None


def test_batched_breads_match_one_design_at_a_time() -> None:
    """_breads (stacked information, condition numbers and inverses) against the direct
    per-design computation, with a singular and an ill-conditioned design in the stack."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 40, 4))
    X[1, :, 3] = X[1, :, 0] + X[1, :, 1]  # singular
    X[3, :, 3] = X[3, :, 2] + 1e-7 * rng.normal(size=40)  # ill-conditioned
    wts = rng.uniform(1, 100, size=(5, 40))
    out = _breads(X, wts)
    for k in range(5):
        info = (X[k] * wts[k][:, None]).T @ X[k]
        d = np.sqrt(np.diag(info))
        if np.linalg.cond(info / np.outer(d, d)) > _MAX_CONDITION:
            assert out[k] is None
        else:
            np.testing.assert_allclose(out[k], np.linalg.inv(info), rtol=1e-12)
    assert [b is None for b in out] == [False, True, False, True, False]


@pytest.mark.parametrize("kind", ["overdispersed", "poisson", "small"])
def test_h0_fit_reproduces_fit_count_family(kind) -> None:
    """_fit_h0 steps through statsmodels' IRLS and the Pearson alternation: same params and
    alpha as fit_count_family('negbin') (also where there is no overdispersion)."""
    rng = np.random.default_rng(3)
    n = 60
    t = np.arange(n)
    X = np.column_stack([np.ones(n), t / 12, np.sin(2 * np.pi * t / 12),
                         np.cos(2 * np.pi * t / 12)])
    mu = np.exp(X @ [np.log(2.0 if kind == "small" else 150.0), 0.05, 0.2, -0.1])
    y = (rng.poisson(mu) if kind == "poisson"
         else rng.negative_binomial(20, 20 / (20 + mu))).astype(float)
    off = np.log(np.full(n, 1.5))
    res, alpha, _, _ = fit_count_family("negbin", y, X, off, n - 4)
    params, alpha_h0 = _fit_h0(y, X, off)
    np.testing.assert_allclose(params, res.params, rtol=1e-10, atol=1e-12)
    assert alpha_h0 == pytest.approx(alpha, rel=1e-10, abs=1e-14)
    assert (alpha == 0) == (kind == "poisson")


def test_an_outlier_that_made_a_spurious_shift_most_probable_is_left_out() -> None:
    """One month at 4.5x its count on a shift-free series: the scan's most probable
    hypothesis was a spurious shift five months later, whose fit pulls towards the
    outlier, and the estimate moved from -74 to -136 calls. Judged against the no-shift
    fit too, the outlier is named and left out of the fit; the spurious shift is gone and
    the estimate is the one without the outlier, with nothing registered by hand."""
    sim = simulate_counts(n_pre=96, capacity_break=None, effect_size=0.0, seed=3)
    spiked = sim.series.copy()
    spiked.iloc[50] = int(spiked.iloc[50] * 4.5)
    fit = _fit(spiked.iloc[:96])
    (note,) = [w for w in fit.warnings if "outlying" in w]
    assert note.startswith(f"1 outlying fitted period ({spiked.index[50]}: "
                           f"{spiked.iloc[50]:,} calls where the baseline expects about ")
    assert "left out of the baseline fit" in note
    assert bool(fit.excluded.iloc[50]) and int(fit.excluded.sum()) == 1
    assert not fit.level_shifts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clean = estimate_effect(sim.series, sim.events, seed=1, n_paths=1000)
        fixed = estimate_effect(spiked, sim.events, seed=1, n_paths=1000)
    half_width = (clean.cumulative_effect_upper - clean.cumulative_effect_lower) / 2
    assert abs(fixed.cumulative_effect - clean.cumulative_effect) < 0.2 * half_width
