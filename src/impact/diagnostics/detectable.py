"""What the data could have shown: effects over part of a window, and the minimum
detectable effect.

:func:`window_effect` re-reads a fitted counterfactual estimate
(:class:`~impact.estimation.counterfactual.EffectEstimate`) over some of its post months
(September only, when the estimate runs August to October): the same simulated paths,
summed over fewer months, so the result is what the estimator would report for that
window with the same fitted baseline.

:func:`minimum_detectable_effect` gives the smallest relative effect the estimator would
detect, for a window, with a given power (:class:`DetectableEffect`). The argument, from
the simulated paths of the fitted estimate:

- the estimator reports an effect when its cumulative interval excludes 0 from above:
  the observed sum ``O`` exceeds ``q_hi(d)``, the upper ``(1 + level) / 2`` quantile of
  the simulated sums of counterfactual mean (``mean_paths``: parameter uncertainty)
  plus count noise *at the observed level* (the estimator draws the noise around
  ``(1 + d)`` times the counterfactual mean when the calls are ``1 + d`` times higher);
- under a true multiplicative effect ``d`` the observed sum is ``(1 + d) M* + N*_d``: a
  counterfactual mean and noise at the raised level, drawn independently of those that
  set ``q_hi(d)`` (the same paths, permuted);
- the power is the share of such draws above ``q_hi(d)``, and the MDE the smallest ``d``
  with power at least ``power`` (bisection; the power grows with ``d``).

Noise at another level comes from the estimate's own noise paths, rescaled month by
month to the variance ``m + alpha m**2`` of that level, with ``alpha`` read off the noise
paths (their variance at the level they were drawn at; 0 for Poisson noise). So the MDE
uses only the estimate's paths, and works for a team and for the Flanders total (whose
paths are sums over the teams) alike. It grows with the spread of those paths: fewer
calls, overdispersion, a short or noisy history. ``tests/diagnostics/
test_detectable.py`` checks by simulation that an effect of the MDE size is detected
about ``power`` of the time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from impact._core.exceptions import DataValidationError

__all__ = [
    "DEFAULT_POWER",
    "DetectableEffect",
    "WindowEffect",
    "detectable_effects",
    "minimum_detectable_effect",
    "window_effect",
]

#: Power at which the minimum detectable effect is given.
DEFAULT_POWER: float = 0.8


def _columns(estimate: Any, start: Any, end: Any) -> tuple[np.ndarray, pd.Period, pd.Period]:
    """Positions of the post months ``start`` to ``end`` among the estimate's paths."""
    post = pd.period_range(estimate.post_start, estimate.post_end, freq=estimate.post_start.freq)
    first = post[0] if start is None else pd.Period(start, freq=post.freq)
    last = post[-1] if end is None else pd.Period(end, freq=post.freq)
    if first < post[0] or last > post[-1] or last < first:
        raise DataValidationError(
            f"window {first} to {last} is not inside the estimate's post-period "
            f"({post[0]} to {post[-1]}); fit the estimate with a longer post_end."
        )
    cols = np.flatnonzero((post >= first) & (post <= last))
    return cols, first, last


#: Largest relative effect the bisection of :func:`minimum_detectable_effect` looks at.
_MAX_EFFECT = 50.0


def _mde(estimate: Any, cols: np.ndarray, power: float) -> float:
    """The smallest relative effect detected with ``power`` (module docstring)."""
    mean = np.asarray(estimate.mean_paths, dtype=float)[:, cols]
    noise = np.asarray(estimate.noise_paths, dtype=float)[:, cols]
    post = estimate.frame[estimate.frame["is_post"]]
    obs = post["observed"].to_numpy(dtype=float).sum()
    exp = post["expected"].to_numpy(dtype=float).sum()
    # the level the estimator drew the noise at (counterfactual times observed / expected)
    ratio = float(np.clip(obs / max(exp, 1e-9), 0.2, 5.0))
    m = np.maximum(mean.mean(axis=0), 1e-9)
    v = np.maximum(noise.var(axis=0), 1e-12)
    alpha = np.maximum((v - ratio * m) / (ratio * m) ** 2, 0.0)
    n = mean.shape[0]
    perm = np.random.default_rng(0).permutation(n)
    perm_noise = np.random.default_rng(1).permutation(n)
    s_mean = mean.sum(axis=1)
    hi = (1 + estimate.level) / 2

    def power_at(d: float) -> float:
        lvl = (1 + d) * m
        scaled = noise * np.sqrt((lvl + alpha * lvl**2) / v)
        q_hi = np.quantile(s_mean + scaled.sum(axis=1), hi)
        truth = (1 + d) * s_mean[perm] + scaled.sum(axis=1)[perm_noise]
        return float(np.mean(truth > q_hi))

    if power_at(_MAX_EFFECT) < power:
        return np.inf
    lo, up = 0.0, 1.0
    while power_at(up) < power:
        lo, up = up, min(up * 2, _MAX_EFFECT)
    for _ in range(40):
        mid = (lo + up) / 2
        lo, up = (mid, up) if power_at(mid) < power else (lo, mid)
    return up



def _window_dict(result: Any) -> dict[str, Any]:
    """A window result's fields as a flat dict, its window periods as text."""
    out = dataclasses.asdict(result)
    out["window_start"], out["window_end"] = str(result.window_start), str(result.window_end)
    return out

@dataclasses.dataclass(frozen=True)
class WindowEffect:
    """The effect of a fitted estimate over some of its post months.

    Attributes
    ----------
    team, event : str
    window_start, window_end : Period
    level : float
    observed, expected : float
        Observed calls and the counterfactual mean, summed over the window.
    cumulative_effect, cumulative_effect_lower, cumulative_effect_upper : float
    relative_effect, relative_effect_lower, relative_effect_upper : float
    data_kind : str
    """

    team: str
    event: str
    window_start: pd.Period
    window_end: pd.Period
    level: float
    observed: float
    expected: float
    cumulative_effect: float
    cumulative_effect_lower: float
    cumulative_effect_upper: float
    relative_effect: float
    relative_effect_lower: float
    relative_effect_upper: float
    data_kind: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as a flat dict (periods as text)."""
        return _window_dict(self)


def window_effect(estimate: Any, start: Any = None, end: Any = None) -> WindowEffect:
    """The estimate's effect over the post months ``start`` to ``end`` (inclusive).

    Parameters
    ----------
    estimate : EffectEstimate
        A fitted counterfactual estimate (with its simulated paths).
    start, end : period-like, optional
        The window; default the whole post-period.

    Returns
    -------
    WindowEffect
        Intervals are the central ``estimate.level`` intervals of the same simulated
        paths summed over the window, as the estimator computes them for its own window.

    Raises
    ------
    DataValidationError
        If the window is not inside the post-period.
    """
    cols, first, last = _columns(estimate, start, end)
    post = estimate.frame[estimate.frame["is_post"]]
    obs = float(post["observed"].to_numpy(dtype=float)[cols].sum())
    mean = np.asarray(estimate.mean_paths)[:, cols].sum(axis=1)
    noise = np.asarray(estimate.noise_paths)[:, cols].sum(axis=1)
    expected = float(post["expected"].to_numpy(dtype=float)[cols].sum())
    lo_q, hi_q = (1 - estimate.level) / 2, (1 + estimate.level) / 2
    cum_lo, cum_hi = np.quantile(obs - mean - noise, [lo_q, hi_q])
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_paths = np.maximum(obs - noise, 0.0) / mean - 1
    rel_paths = rel_paths[np.isfinite(rel_paths)]
    rel_lo, rel_hi = np.quantile(rel_paths, [lo_q, hi_q]) if len(rel_paths) else (np.nan,) * 2
    return WindowEffect(
        team=estimate.team, event=estimate.event, window_start=first, window_end=last,
        level=estimate.level, observed=obs, expected=expected,
        cumulative_effect=obs - expected, cumulative_effect_lower=float(cum_lo),
        cumulative_effect_upper=float(cum_hi),
        relative_effect=obs / expected - 1 if expected > 0 else np.nan,
        relative_effect_lower=float(rel_lo), relative_effect_upper=float(rel_hi),
        data_kind=estimate.data_kind,
    )


@dataclasses.dataclass(frozen=True)
class DetectableEffect:
    """The smallest relative effect a window's data could have shown.

    Attributes
    ----------
    team, event : str
    window_start, window_end : Period
    level, power : float
    expected : float
        Counterfactual mean calls over the window.
    relative : float
        The minimum detectable effect, as a ratio (0.12 is +12%).
    calls : float
        The same in calls (``relative * expected``).
    n_paths : int
    data_kind : str
    """

    team: str
    event: str
    window_start: pd.Period
    window_end: pd.Period
    level: float
    power: float
    expected: float
    relative: float
    calls: float
    n_paths: int
    data_kind: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as a flat dict (periods as text)."""
        return _window_dict(self)

    def text(self) -> str:
        """One sentence in plain words."""
        return (f"{self.team}, {self.window_start} to {self.window_end}: an effect smaller "
                f"than {self.relative:+.1%} ({self.calls:+.0f} calls) would be detected less "
                f"than {self.power:.0%} of the time at the {self.level:.0%} level.")


def minimum_detectable_effect(
    estimate: Any, start: Any = None, end: Any = None, *, power: float = DEFAULT_POWER
) -> DetectableEffect:
    """The minimum detectable relative effect for a window of a fitted estimate.

    Parameters
    ----------
    estimate : EffectEstimate
        A fitted counterfactual estimate; its level is the detection level.
    start, end : period-like, optional
        The window (post months, inclusive); default the whole post-period.
    power : float, default 0.8
        Probability of detecting an effect of the returned size.

    Returns
    -------
    DetectableEffect
        ``relative`` is ``inf`` when no effect up to +5000% reaches the power.

    Raises
    ------
    DataValidationError
        If ``power`` is not in (0.5, 1) or the window is not inside the post-period.
    """
    if not 0.5 < float(power) < 1:
        raise DataValidationError(f"power={power!r}; expected a probability in (0.5, 1).")
    cols, first, last = _columns(estimate, start, end)
    post = estimate.frame[estimate.frame["is_post"]]
    expected = float(post["expected"].to_numpy(dtype=float)[cols].sum())
    rel = _mde(estimate, cols, float(power))
    return DetectableEffect(
        team=estimate.team, event=estimate.event, window_start=first, window_end=last,
        level=estimate.level, power=float(power), expected=expected, relative=rel,
        calls=rel * expected, n_paths=int(np.shape(estimate.mean_paths)[0]),
        data_kind=estimate.data_kind,
    )


def detectable_effects(
    estimates: Iterable[Any], start: Any = None, end: Any = None, *,
    power: float = DEFAULT_POWER,
) -> pd.DataFrame:
    """:func:`minimum_detectable_effect` for every estimate (e.g. ``table.estimates``).

    Returns
    -------
    DataFrame
        One row per estimate with the fields of :class:`DetectableEffect`.
    """
    return pd.DataFrame([minimum_detectable_effect(e, start, end, power=power).to_dict()
                         for e in estimates])
