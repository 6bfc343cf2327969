"""Separate effects of several events inside one counterfactual estimate.

:func:`estimate_effect` compares the observed post-period with a counterfactual baseline
and so measures the *joint* effect of every event under study. At a resolution that can
tell the events apart (daily or weekly data for the Pichal case, 27 Aug 2023, and the
*Godvergeten* episodes from 5 Sep 2023), :func:`decompose_effect` splits that joint effect
into one :class:`SeparateEffects` component per event, or per group of events that
:func:`impact.events.check_identifiability` finds inseparable at the data's resolution
(merged, with the reason).

The split is a count regression on the post-period with the counterfactual as offset:
``observed_t ~ quasi-Poisson(cf_t * exp(sum_k beta_k x_kt))``, ``x_k`` the event's
regressor (its registry shape, partial exposure per period). The expected excess
``cf_t (exp(eta_t) - 1)`` is shared among the events by Shapley values (the interaction of
two multiplicative effects is split equally), so the components add up exactly to their
sum, path by path. Intervals come from joint paths: each counterfactual mean path of the
estimate (baseline parameter uncertainty) with the coefficients re-fitted to it (one
Newton step from the point fit) plus a draw of their sampling error (quasi-Poisson
covariance): the components, their sum, and the relative effects are quantiles of the
same paths.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
import zlib
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM

from impact._core.provenance import label_text
from impact._core.summary import Summary
from impact.events.identifiability import check_identifiability
from impact.events.registry import EventRegistry
from impact.plots import daily as _plots_daily

__all__ = ["SEPARATE_COLUMNS", "SeparateEffects", "decompose_effect"]

#: Columns of :meth:`SeparateEffects.to_frame` (one row per component, then the sum).
SEPARATE_COLUMNS: tuple[str, ...] = (
    "team",
    "component",
    "event_names",
    "cumulative_effect",
    "cumulative_effect_lower",
    "cumulative_effect_upper",
    "relative_effect",
    "relative_effect_lower",
    "relative_effect_upper",
    "rate_ratio",
    "p_positive",
    "is_sum",
)

#: Most components split by Shapley values (2**K subsets per period and path).
MAX_COMPONENTS: int = 8

#: A split coefficient beyond this (log rate ratio) is flagged as poorly determined.
_MAX_LOG_EFFECT: float = 3.0

#: Label of the sum row.
SUM_LABEL: str = "sum"


@dataclasses.dataclass(frozen=True)
class SeparateEffects:
    """The joint effect of an estimate split into one effect per separable event.

    Attributes
    ----------
    team : str
    components : tuple of str
        Event ids, or joined ids (``"E047+E048"``) for events merged because they cannot be
        told apart at the data's resolution.
    event_names : tuple of str
    post_start, post_end : Period
    level : float
    frame : DataFrame
        One row per component then the sum (:data:`SEPARATE_COLUMNS`).
    period_effects : DataFrame
        Point estimate of each component's expected excess per post period (index
        ``period``, one column per component).
    component_paths : ndarray
        Simulated cumulative effect of each component (n_paths x components).
    expected_paths : ndarray
        Simulated counterfactual totals over the post-period (n_paths), the denominators
        of the relative effects.
    expected_total : float
        Counterfactual total over the post-period (point estimate).
    merged : tuple of str
        Why events were merged (the identifiability messages); empty when all separate.
    method, data_kind : str
    warnings : tuple of str
    """

    team: str
    components: tuple[str, ...]
    event_names: tuple[str, ...]
    post_start: pd.Period
    post_end: pd.Period
    level: float
    frame: pd.DataFrame = dataclasses.field(repr=False)
    period_effects: pd.DataFrame = dataclasses.field(repr=False)
    component_paths: np.ndarray = dataclasses.field(repr=False, compare=False)
    expected_paths: np.ndarray = dataclasses.field(repr=False, compare=False)
    expected_total: float
    merged: tuple[str, ...]
    method: str
    data_kind: str
    warnings: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per component, then the sum (:data:`SEPARATE_COLUMNS`)."""
        return self.frame.copy()

    @property
    def is_separated(self) -> bool:
        """Whether more than one component was estimated."""
        return len(self.components) > 1

    def summary(self) -> Summary:
        """Table (:meth:`to_frame` indexed by component) and a text naming what each
        number measures."""
        f = self.to_frame()
        pct = int(round(self.level * 100))
        parts = [
            f"{r.component} ({r.event_names}): {r.cumulative_effect:+.0f} calls "
            f"({r.cumulative_effect_lower:+.0f} to {r.cumulative_effect_upper:+.0f}), "
            f"{r.relative_effect:+.1%} of the counterfactual"
            for r in f.itertuples()
        ]
        merged = (" Merged: " + " ".join(self.merged)) if self.merged else ""
        text = (
            f"{self.team}, separate effects {self.post_start} to {self.post_end}: "
            + "; ".join(parts)
            + f". Each component is the expected excess of calls due to its event(s) "
            "(Shapley split of the modelled excess over the counterfactual baseline); the "
            f"sum is their total. Intervals are {pct}% simulation intervals from the same "
            "joint paths (baseline uncertainty and the sampling error of the split). "
            f"{self.method}{merged} Data kind: {self.data_kind}."
        )
        text = label_text(text, data_kind=self.data_kind, caveats=self.warnings)
        return Summary(table=f.set_index("component"), text=text)

    def plot(self, *, ax: Any = None) -> Any:
        """Each component's expected excess per period, stacked (see :mod:`impact.plots`)."""
        return _plots_daily.plot_separate_effects(self, ax=ax)


def _rng(seed: Any) -> np.random.Generator:
    """A stream of its own for the split (the estimate's own draws stay unchanged)."""
    key = zlib.crc32(b"separate")
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(np.random.SeedSequence(
            seed.entropy, spawn_key=(*seed.spawn_key, key)))
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(key,)))


def _shapley(a: np.ndarray) -> np.ndarray:
    """Shapley shares of ``exp(sum_k a_k) - 1`` among the last axis of ``a``.

    ``a`` (..., K) are the log effects; returns (..., K) shares that add up to
    ``exp(a.sum(-1)) - 1``.
    """
    k = a.shape[-1]
    if k == 1:
        return np.expm1(a)
    out = np.zeros_like(a)
    others = range(k)
    for j in range(k):
        rest = [i for i in others if i != j]
        for size in range(k):
            w = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for sub in itertools.combinations(rest, size):
                base = a[..., list(sub)].sum(axis=-1) if sub else 0.0
                out[..., j] += w * (np.exp(base + a[..., j]) - np.exp(base))
    return out


def _effect_fields(point: float, paths: np.ndarray, expected_paths: np.ndarray,
                   expected_total: float, lo_q: float, hi_q: float) -> dict[str, float]:
    """Cumulative and relative effect of one component with interval bounds from its
    paths (``paths / expected_paths`` for the relative one), widened to contain the point."""
    lo, hi = np.quantile(paths, [lo_q, hi_q])
    rlo, rhi = np.quantile(paths / expected_paths, [lo_q, hi_q])
    rel = point / expected_total
    return {
        "cumulative_effect": point,
        "cumulative_effect_lower": float(min(lo, point)),
        "cumulative_effect_upper": float(max(hi, point)),
        "relative_effect": rel,
        "relative_effect_lower": float(min(rlo, rel)),
        "relative_effect_upper": float(max(rhi, rel)),
    }


def decompose_effect(
    *,
    series: pd.Series,
    study: EventRegistry,
    shapes: dict[str, str],
    post_idx: pd.PeriodIndex,
    obs_post: np.ndarray,
    expected_post: np.ndarray,
    mean_paths: np.ndarray,
    level: float,
    seed: Any,
    team: str,
    data_kind: str,
) -> SeparateEffects:
    """Split the joint effect of ``study`` on the post-period into separate effects.

    Parameters
    ----------
    series : Series
        The whole series (its index decides which events can be told apart).
    study : EventRegistry
        The events under study.
    shapes : dict
        Event id -> concrete shape (the estimate's roles).
    post_idx : PeriodIndex
    obs_post, expected_post : ndarray
        Observed counts and the counterfactual mean on ``post_idx``.
    mean_paths : ndarray
        Counterfactual mean paths of the estimate (n_paths x periods).
    level : float
    seed : int, SeedSequence or Generator
        The estimate's seed; the split uses a stream derived from it.
    team, data_kind : str

    Returns
    -------
    SeparateEffects
    """
    notes: list[str] = []
    report = check_identifiability(study, series.index, shape_overrides=shapes)
    reg = study
    merged: tuple[str, ...] = ()
    if report.groups:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reg, _ = study.merge_unidentifiable(series.index, shape_overrides=shapes)
        merged = tuple(m for m in report.messages)
    comp_shapes = {e.id: shapes.get(e.id, e.shape) for e in reg}
    X = reg.to_regressors(post_idx, shape_overrides=comp_shapes)
    active = [c for c in X.columns if float(X[c].abs().max()) > 1e-9]
    silent = [c for c in X.columns if c not in active]
    if silent:
        notes.append(
            "events without exposure in the post-period get no separate effect: "
            + ", ".join(silent) + "."
        )
    if len(active) > MAX_COMPONENTS:
        raise ValueError(
            f"decompose_effect: {len(active)} separable events; at most {MAX_COMPONENTS} "
            "can be split (merge some, or shorten the post-period)."
        )
    names = {e.id: e.name for e in reg}
    Xa = X[active].to_numpy(dtype=float)
    h, k = Xa.shape
    off = np.log(np.maximum(expected_post, 1e-9))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GLM(obs_post, Xa, family=families.Poisson(), offset=off).fit(scale="X2")
    beta = np.asarray(res.params, dtype=float)
    cov = np.asarray(res.cov_params(), dtype=float)
    if not np.all(np.isfinite(beta)):
        raise ValueError("the split's regression did not converge (an event term without "
                         "calls); merge the event with its neighbour or use a longer shape.")
    wild = [c for c, b in zip(active, beta, strict=True) if abs(b) > _MAX_LOG_EFFECT]
    if wild:
        notes.append(
            "separate effects poorly determined (rate ratio beyond "
            f"{np.exp(_MAX_LOG_EFFECT):.0f} or below 1/{np.exp(_MAX_LOG_EFFECT):.0f}): "
            + ", ".join(wild) + "; a one-period pulse rests on one period of data."
        )
    if h - k < 2 or not np.all(np.isfinite(cov)):
        notes.append("the split has too few post periods for its terms; intervals are "
                     "not estimable.")
        cov = np.full((k, k), np.nan)
    scale = float(res.scale)
    # one Newton step of the coefficients from the point offset to each path's offset
    mu_hat = np.exp(off + Xa @ beta)
    xtwx = Xa.T @ (mu_hat[:, None] * Xa)
    step = np.linalg.solve(xtwx, (Xa * mu_hat[:, None]).T)  # k x h
    rng = _rng(seed)
    m = np.maximum(mean_paths, 1e-9)
    n = m.shape[0]
    beta_p = beta[None, :] + (off[None, :] - np.log(m)) @ step.T
    if np.all(np.isfinite(cov)):
        beta_p = beta_p + rng.multivariate_normal(np.zeros(k), cov, size=n, method="eigh")
    # shares per path and period: (n, h, k)
    shares = _shapley(beta_p[:, None, :] * Xa[None, :, :]) * m[:, :, None]
    comp_paths = shares.sum(axis=1)
    point_period = _shapley(beta[None, :] * Xa) * expected_post[:, None]
    point = point_period.sum(axis=0)
    exp_paths = m.sum(axis=1)
    exp_total = float(np.sum(expected_post))
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows = []
    labels = [*active, SUM_LABEL]
    for j, comp in enumerate(labels):
        is_sum = comp == SUM_LABEL
        cp = comp_paths.sum(axis=1) if is_sum else comp_paths[:, j]
        pt = float(point.sum()) if is_sum else float(point[j])
        rows.append({
            "team": team,
            "component": comp,
            "event_names": (" + ".join(names[c] for c in active) if is_sum else names[comp]),
            **_effect_fields(pt, cp, exp_paths, exp_total, lo_q, hi_q),
            "rate_ratio": float(np.nan if is_sum else np.exp(beta[j])),
            "p_positive": float(np.mean(cp > 0)),
            "is_sum": is_sum,
        })
    frame = pd.DataFrame(rows, columns=list(SEPARATE_COLUMNS))
    method = (
        "Split: quasi-Poisson regression of the post-period counts on the event "
        f"regressors ({', '.join(f'{c} {comp_shapes[c]}' for c in active)}) with the "
        f"counterfactual as offset (Pearson dispersion {scale:.2f}); Shapley shares of the "
        "modelled excess."
    )
    return SeparateEffects(
        team=team,
        components=tuple(active),
        event_names=tuple(names[c] for c in active),
        post_start=post_idx[0],
        post_end=post_idx[-1],
        level=level,
        frame=frame,
        period_effects=pd.DataFrame(point_period, index=pd.PeriodIndex(post_idx, name="period"),
                                    columns=active),
        component_paths=comp_paths,
        expected_paths=exp_paths,
        expected_total=exp_total,
        merged=merged,
        method=method,
        data_kind=data_kind,
        warnings=tuple(notes),
    )


def sum_separate(parts: list[SeparateEffects], *, team: str, data_kind: str,
                 level: float) -> SeparateEffects | None:
    """The separate effects of a total: path by path sums of the teams' components.

    ``None`` when the teams' components differ (events scoped to some teams only).
    """
    if not parts or len({p.components for p in parts}) != 1:
        return None
    first = parts[0]
    comp_paths = sum(p.component_paths for p in parts)
    exp_paths = sum(p.expected_paths for p in parts)
    period = sum(p.period_effects for p in parts)
    exp_total = float(sum(p.expected_total for p in parts))
    point = period.sum(axis=0).to_numpy()
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows = []
    for j, comp in enumerate([*first.components, SUM_LABEL]):
        is_sum = comp == SUM_LABEL
        cp = comp_paths.sum(axis=1) if is_sum else comp_paths[:, j]
        pt = float(point.sum()) if is_sum else float(point[j])
        rows.append({
            "team": team, "component": comp,
            "event_names": (" + ".join(first.event_names) if is_sum
                            else first.event_names[j]),
            **_effect_fields(pt, cp, exp_paths, exp_total, lo_q, hi_q),
            "rate_ratio": np.nan, "p_positive": float(np.mean(cp > 0)), "is_sum": is_sum,
        })
    return dataclasses.replace(
        first, team=team, frame=pd.DataFrame(rows, columns=list(SEPARATE_COLUMNS)),
        period_effects=period, component_paths=comp_paths, expected_paths=exp_paths,
        expected_total=exp_total, data_kind=data_kind,
        method=f"{team} total: the teams' component paths summed path by path. "
        + first.method,
        warnings=tuple(dict.fromkeys(w for p in parts for w in p.warnings)),
    )
