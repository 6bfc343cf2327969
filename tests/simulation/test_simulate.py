"""Tests for impact.simulation.simulate: seeded count series with known effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact._core.exceptions import DataValidationError
from impact.events.registry import EventRegistry
from impact.simulation.simulate import (
    SIM_BREAK_ID,
    SIM_EFFECT_ID,
    SimulatedSeries,
    simulate_counts,
    simulate_panel,
)

#: Relative tolerance of sample means against the NB2 mean (6,000 draws of mean 100:
#: standard error under 0.6% even at alpha=0.2 or with AR noise, so 2% is > 3 SE).
MEAN_RTOL = 0.02
#: Relative tolerance of sample variances against mu + alpha mu^2 (standard error of a
#: sample variance of 6,000 overdispersed draws is about 3%, so 12% is 4 SE).
VAR_RTOL = 0.12
#: Float comparisons of deterministic quantities.
ATOL = 1e-12

N_DRAWS = 6000


def _iid_draws(**kwargs: object) -> np.ndarray:
    """Counts of one long series without trend, seasonality or effect: iid NB2 draws."""
    sim = simulate_counts(
        n_pre=N_DRAWS, n_post=1, trend=0.0, seasonal_amplitude=0.0, effect_size=0.0,
        seed=123, **kwargs,
    )  # fmt: skip
    return sim.series.to_numpy()[:N_DRAWS]


def test_returns_documented_shape() -> None:
    sim = simulate_counts(n_pre=36, n_post=6, start="2020-01", seed=1)
    assert isinstance(sim, SimulatedSeries)
    s = sim.series
    assert s.name == "calls"
    assert s.dtype == np.int64
    assert isinstance(s.index, pd.PeriodIndex)
    assert s.index.freqstr == "M"
    assert s.index.name == "month"
    assert len(s) == 42
    assert s.index[0] == pd.Period("2020-01", "M")
    assert s.index.is_monotonic_increasing and s.index.is_unique
    assert (s.index[1:] - s.index[:-1] == s.index.freq).all()  # complete
    assert list(sim.truth.columns) == [
        "expected_without",
        "expected_with",
        "effect",
        "exposure",
        "is_post",
    ]
    assert sim.truth.index.equals(s.index)
    assert sim.truth["is_post"].sum() == 6
    assert sim.pre_period == (pd.Period("2020-01", "M"), pd.Period("2022-12", "M"))
    assert sim.post_period == (pd.Period("2023-01", "M"), pd.Period("2023-06", "M"))


def test_same_seed_same_series_and_different_seed_differs() -> None:
    a = simulate_counts(seed=42, ar=0.5, ar_sd=0.1, capacity_break=(40, 0.2))
    b = simulate_counts(seed=42, ar=0.5, ar_sd=0.1, capacity_break=(40, 0.2))
    c = simulate_counts(seed=43, ar=0.5, ar_sd=0.1, capacity_break=(40, 0.2))
    pd.testing.assert_series_equal(a.series, b.series)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert not a.series.equals(c.series)


def test_generator_seed_is_used_and_advanced() -> None:
    rng = np.random.default_rng(5)
    a = simulate_counts(seed=rng)
    b = simulate_counts(seed=rng)
    assert not a.series.equals(b.series)
    pd.testing.assert_series_equal(a.series, simulate_counts(seed=np.random.default_rng(5)).series)


def test_counts_are_nonnegative_ints_even_when_small() -> None:
    sim = simulate_counts(mean_calls=3.0, dispersion=0.5, seasonal_amplitude=0.5, seed=3)
    assert sim.series.dtype == np.int64
    assert (sim.series >= 0).all()


def test_events_registry() -> None:
    sim = simulate_counts(capacity_break=(30, 0.3), effect_shape="decay", seed=0)
    assert isinstance(sim.events, EventRegistry)
    assert sim.events.ids == (SIM_EFFECT_ID, SIM_BREAK_ID)
    eff = sim.events[SIM_EFFECT_ID]
    assert (eff.kind, eff.shape, eff.half_life) == ("campaign", "decay", 30.0)
    assert eff.start == sim.series.index[96].start_time
    brk = sim.events[SIM_BREAK_ID]
    assert (brk.kind, brk.shape) == ("capacity", "step")
    assert brk.start == sim.series.index[30].start_time
    unregistered = simulate_counts(capacity_break=(30, 0.3), break_registered=False, seed=0)
    assert unregistered.events.ids == (SIM_EFFECT_ID,)
    # Registering the break changes the registry, not the data.
    pd.testing.assert_series_equal(
        unregistered.series, simulate_counts(capacity_break=(30, 0.3), seed=0).series
    )


@pytest.mark.parametrize("dispersion", [0.0, 0.05, 0.2])
def test_draws_match_nb2_mean_and_variance(dispersion: float) -> None:
    mu = 100.0
    counts = _iid_draws(mean_calls=mu, dispersion=dispersion)
    np.testing.assert_allclose(counts.mean(), mu, rtol=MEAN_RTOL)
    np.testing.assert_allclose(counts.var(ddof=1), mu + dispersion * mu**2, rtol=VAR_RTOL)


def test_mean_stays_at_mean_calls_under_latent_ar_noise() -> None:
    # The latent AR noise is centred so exp(eta) has mean 1: the marginal mean stays at
    # the noise-free level, and the variance grows beyond the NB2 variance.
    counts = _iid_draws(mean_calls=100.0, dispersion=0.0, ar=0.6, ar_sd=0.1)
    np.testing.assert_allclose(counts.mean(), 100.0, rtol=MEAN_RTOL)
    assert counts.var(ddof=1) > 1.5 * 100.0


def test_truth_is_zero_without_effect() -> None:
    sim = simulate_counts(effect_size=0.0, effect_shape="decay", seed=2)
    np.testing.assert_allclose(sim.truth["effect"], 0.0, atol=ATOL)
    assert sim.true_cumulative_effect == 0.0
    assert sim.true_relative_effect == pytest.approx(0.0, abs=ATOL)
    pd.testing.assert_series_equal(
        sim.truth["expected_with"], sim.truth["expected_without"], check_names=False
    )


@pytest.mark.parametrize("size", [0.1, 0.3, -0.2])
def test_step_effect_has_the_given_relative_size(size: float) -> None:
    sim = simulate_counts(effect_shape="step", effect_size=size, seed=4)
    truth = sim.truth
    pre, post = truth[~truth["is_post"]], truth[truth["is_post"]]
    np.testing.assert_allclose(pre["effect"], 0.0, atol=ATOL)
    np.testing.assert_allclose(post["exposure"], 1.0, atol=ATOL)
    np.testing.assert_allclose(post["expected_with"] / post["expected_without"], 1.0 + size)
    assert sim.true_relative_effect == pytest.approx(size)
    assert sim.true_cumulative_effect == pytest.approx(size * post["expected_without"].sum())
    assert np.sign(sim.true_cumulative_effect) == np.sign(size)


def test_mid_month_start_gives_partial_exposure() -> None:
    # Post-period starts August 2023; the campaign starts Sunday 27 August 2023.
    sim = simulate_counts(
        n_pre=24, n_post=6, start="2021-08", effect_start="2023-08-27", effect_size=0.3, seed=5
    )
    x = sim.truth["exposure"]
    assert x[pd.Period("2023-07", "M")] == 0.0
    assert x[pd.Period("2023-08", "M")] == pytest.approx(5 / 31)
    assert x[pd.Period("2023-09", "M")] == pytest.approx(1.0)
    aug = sim.truth.loc[pd.Period("2023-08", "M")]
    assert aug["expected_with"] / aug["expected_without"] == pytest.approx(1 + 0.3 * 5 / 31)
    assert 0 < sim.true_relative_effect < 0.3


def test_pulse_bump_and_decay_exposures() -> None:
    kw = {"n_pre": 24, "n_post": 6, "start": "2021-08", "effect_size": 0.2, "seed": 6}
    pulse = simulate_counts(effect_shape="pulse", effect_start="2023-08-27", **kw)
    xp = pulse.truth["exposure"].to_numpy()[24:]
    # One month from 27 Aug: 27-31 Aug (5/31) and 1-26 Sep (26/30).
    np.testing.assert_allclose(xp, [5 / 31, 26 / 30, 0, 0, 0, 0], atol=ATOL)

    bump = simulate_counts(effect_shape="bump", effect_start="2023-09-05", **kw)
    xb = bump.truth["exposure"].to_numpy()[24:]
    # Default 28 days, 5 Sep - 2 Oct inclusive: 26 days of September, 2 of October.
    np.testing.assert_allclose(xb, [0, 26 / 30, 2 / 31, 0, 0, 0], atol=ATOL)
    bump2 = simulate_counts(
        effect_shape="bump", effect_start="2023-09-05", effect_end="2023-11-30", **kw
    )
    np.testing.assert_allclose(bump2.truth["exposure"].to_numpy()[24:28], [0, 26 / 30, 1, 1])

    decay = simulate_counts(effect_shape="decay", half_life_days=30, **kw)
    xd = decay.truth["exposure"].to_numpy()[24:]
    aug = np.mean(0.5 ** (np.arange(31) / 30))
    assert xd[0] == pytest.approx(aug)
    assert np.all(np.diff(xd) < 0) and np.all(xd > 0)


def test_capacity_break_shifts_the_level() -> None:
    kw = {"n_pre": 48, "trend": 0.0, "seasonal_amplitude": 0.0, "effect_size": 0.0, "seed": 8}
    sim = simulate_counts(mean_calls=100.0, capacity_break=(24, np.log(1.5)), **kw)
    mu = sim.truth["expected_without"].to_numpy()
    np.testing.assert_allclose(mu[:24], 100.0 / 1.5)
    np.testing.assert_allclose(mu[24:], 100.0)  # level is the end-of-pre-period level
    before, after = sim.series.iloc[:24].mean(), sim.series.iloc[24:48].mean()
    assert after / before == pytest.approx(1.5, rel=0.15)


def test_mean_calls_refers_to_the_last_pre_month() -> None:
    sim = simulate_counts(mean_calls=50.0, trend=0.12, seasonal_amplitude=0.0, n_pre=36, seed=9)
    mu = sim.truth["expected_without"].to_numpy()
    assert mu[35] == pytest.approx(50.0)
    assert mu[35 - 12] == pytest.approx(50.0 * np.exp(-0.12))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_pre": 5}, "n_pre"),
        ({"mean_calls": 0.0}, "mean_calls"),
        ({"dispersion": -0.1}, "dispersion"),
        ({"ar": 1.0}, "ar"),
        ({"effect_shape": "ramp"}, "effect_shape"),
        ({"effect_size": -1.0}, "effect_size"),
        ({"capacity_break": (96, 0.1)}, "pre-period"),
        ({"capacity_break": (0, 0.1)}, "month_offset"),
        ({"effect_start": "2014-05-01"}, "outside the post-period"),
        ({"seed": "x"}, "seed"),
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(DataValidationError, match=match):
        simulate_counts(**kwargs)


def test_panel_shapes_truth_and_seeding() -> None:
    panel = simulate_panel(n_pre=36, effect_size=0.3, capacity_break=(12, 0.2), seed=11)
    frame = panel.frame
    assert frame.columns.tolist() == ["team", "month", "calls"]
    assert frame["calls"].dtype == np.int64
    assert frame.groupby("team").size().eq(42).all()
    assert set(panel.true_cumulative_effect.index) == {*panel.teams, "Flanders"}
    team_sum = panel.true_cumulative_effect.drop("Flanders").sum()
    assert panel.true_cumulative_effect["Flanders"] == pytest.approx(team_sum)
    assert panel.true_relative_effect["Flanders"] == pytest.approx(0.3)
    assert panel.events.ids == (SIM_EFFECT_ID, SIM_BREAK_ID)
    total = panel.to_series("Flanders")
    assert total.sum() == frame["calls"].sum()
    # Teams share seasonality but have independent noise.
    a, b = panel.teams["Antwerpen"].series, panel.teams["Limburg"].series
    assert not np.allclose(a / a.mean(), b / b.mean())
    again = simulate_panel(n_pre=36, effect_size=0.3, capacity_break=(12, 0.2), seed=11)
    pd.testing.assert_frame_equal(frame, again.frame)


def test_panel_rejects_bad_team_arguments() -> None:
    with pytest.raises(DataValidationError, match="unique"):
        simulate_panel(teams=["a", "a"])
    with pytest.raises(DataValidationError, match="mean_calls"):
        simulate_panel(teams=["a", "b"], mean_calls=[10.0])


def test_panel_levels_keyword_is_deprecated_and_used_as_mean_calls() -> None:
    with pytest.warns(DeprecationWarning, match="mean_calls"):
        old = simulate_panel(teams=["a", "b"], levels=[40.0, 60.0], n_pre=24, n_post=1, seed=4)
    new = simulate_panel(teams=["a", "b"], mean_calls=[40.0, 60.0], n_pre=24, n_post=1, seed=4)
    pd.testing.assert_frame_equal(old.frame, new.frame)


def test_level_keyword_is_deprecated_and_used_as_mean_calls() -> None:
    with pytest.warns(DeprecationWarning, match="mean_calls"):
        old = simulate_counts(n_pre=24, n_post=1, level=40.0, seed=4)
    new = simulate_counts(n_pre=24, n_post=1, mean_calls=40.0, seed=4)
    pd.testing.assert_series_equal(old.series, new.series)
    assert old.params["mean_calls"] == 40.0
