"""Pooled multi-team count baseline: shared seasonality, team levels and trends.

:func:`fit_pooled_baseline` fits one count GLM (Poisson, quasi-Poisson or negative
binomial NB2) to the team-month rows of several teams at once:

``log E[calls] = level[team] + slope[team] * years + season[month] + breaks + log(exposure)``

The month-of-year (or Fourier) seasonal pattern and the known-break log-ratios are shared
by all teams, each team has its own level and (unless ``trend="none"``) its own linear
trend. Sharing the seasonal pattern estimates it from five times as many rows as a
separate fit per team, which matters for the smaller teams (20-250 calls a month).

The NB2 dispersion is shared too and estimated as in :mod:`impact.baselines.glm`: a GLM fit at
fixed ``alpha`` alternated with the degrees-of-freedom-corrected Pearson moment equation.

:class:`PooledFit` gives a per-team :class:`~impact.baselines.glm.BaselineFit`
(:meth:`PooledFit.fit_for`) that forecasts and simulates like any other baseline, and
:meth:`PooledFit.simulate_panel`, which simulates all teams with one parameter draw per
path shared across teams, so that team paths and their sum (Flanders) are jointly
coherent.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd

from impact import plots
from impact._core.constants import DEFAULT_N_PATHS
from impact._core.exceptions import DataValidationError, FitError, ImpactWarning
from impact._core.summary import Summary
from impact._core.validation import validate_panel
from impact.baselines.design import DesignSpec, build_design, exposure_for
from impact.baselines.fit import zero_record_gaps
from impact.baselines.glm import fit_count_family
from impact.baselines.noise import (
    count_alpha,
    draw_coefficient_means,
    draw_counts,
    team_correlation,
)
from impact.baselines.spec import COUNT_GLM_FAMILIES, BaselineFit, BaselineSpec, count_variance
from impact.events.registry import EventRegistry

__all__ = ["PooledFit", "fit_pooled_baseline"]

#: Autocorrelation and cross-team correlation carried into paths are clipped to this.
_MAX_CORRELATION: float = 0.9


# --------------------------------------------------------------------------- design


@dataclasses.dataclass(frozen=True)
class _PooledDesign:
    """Recipe for the pooled design rows of any team and periods."""

    design_spec: DesignSpec
    teams: tuple[str, ...]
    breaks: EventRegistry | None
    shape_overrides: dict[str, str] | None
    exposure_kind: str | None
    exposure: dict[str, pd.Series]

    def team_frame(self, team: str, periods: pd.PeriodIndex) -> pd.DataFrame:
        """Design rows of one team; columns ``team[<t>]``, ``trend[<t>]``, shared seasonal,
        ``break_<id>`` and ``slope_<id>`` (piecewise trend) columns."""
        origin = self.design_spec.origin
        if len(periods) and periods.min() < origin:
            raise DataValidationError(
                f"period {periods.min()} is before the pooled history, which starts "
                f"{origin}; the pooled baseline has no expected count there."
            )
        # build on the calendar from the origin on, so that break ramps are anchored the
        # same way for the history and for every forecast
        last = max(periods.max(), origin) if len(periods) else origin
        full = pd.period_range(origin, last, freq=origin.freq, name="month")
        brk = None
        if self.breaks is not None:
            own = self.breaks.filter(scope=team)
            if len(own):
                brk = own.to_regressors(full, shape_overrides=self.shape_overrides)
        X = build_design(full, self.design_spec, breaks=brk)
        renamed = {"const": f"team[{team}]"}
        if "trend" in X.columns:
            renamed["trend"] = f"trend[{team}]"
        return X.rename(columns=renamed).loc[periods]

    def frame(self, team: str, periods: pd.PeriodIndex, columns: list[str]) -> np.ndarray:
        X = self.team_frame(team, periods)
        return X.reindex(columns=columns, fill_value=0.0).to_numpy(dtype=float)

    def log_exposure(self, team: str, periods: pd.PeriodIndex) -> np.ndarray:
        return np.log(exposure_for(periods, self.exposure_kind, self.exposure.get(team)))


# --------------------------------------------------------------------------- results


@dataclasses.dataclass
class _PooledBackend:
    """Coefficients, covariance, dispersion and noise structure of a pooled fit."""

    family: str
    design: _PooledDesign
    columns: list[str]
    params: np.ndarray
    cov: np.ndarray
    dispersion: float
    df_resid: int
    rho: float
    correlation: np.ndarray | None

    def mean(self, team: str, periods: pd.PeriodIndex) -> np.ndarray:
        X = self.design.frame(team, periods, self.columns)
        return np.exp(X @ self.params + self.design.log_exposure(team, periods))

    def simulate_means(
        self,
        teams: tuple[str, ...],
        periods: pd.PeriodIndex,
        n_paths: int,
        rng: np.random.Generator,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Mean paths per team from one coefficient draw per path shared by all teams,
        and each path's chi-square weight (shared too)."""
        df = max(self.df_resid, 1)
        w = rng.chisquare(df, size=n_paths) / df
        designs = [
            (self.design.frame(t, periods, self.columns), self.design.log_exposure(t, periods))
            for t in teams
        ]
        mus = draw_coefficient_means(self.params, self.cov, designs, w, rng)
        return dict(zip(teams, mus, strict=True)), w

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        """Counts around means of shape (paths, periods) or (paths, teams, periods)."""
        alpha = count_alpha(self.family, means, self.dispersion / weights)
        return draw_counts(means, alpha, self.rho, rng, z)

    def team_innovations(
        self, teams: tuple[str, ...], shape: tuple[int, int], rng: np.random.Generator
    ) -> np.ndarray | None:
        """Standard normals of shape (paths, teams, periods) correlated across teams as
        the residuals are, or ``None`` without a cross-team correlation."""
        if self.correlation is None or len(teams) < 2:
            return None
        pos = [self.design.teams.index(t) for t in teams]
        chol = np.linalg.cholesky(self.correlation[np.ix_(pos, pos)])
        e = rng.standard_normal((shape[0], shape[1], len(teams))) @ chol.T
        return np.moveaxis(e, 2, 1)

    def simulate(
        self,
        teams: tuple[str, ...],
        periods: pd.PeriodIndex,
        n_paths: int,
        rng: np.random.Generator,
    ) -> dict[str, np.ndarray]:
        """Count paths per team; one coefficient and dispersion draw per path for all,
        count noise correlated across teams."""
        mus, w = self.simulate_means(teams, periods, n_paths, rng)
        mu = np.stack([mus[t] for t in teams], axis=1)
        z = self.team_innovations(teams, (n_paths, len(periods)), rng)
        counts = self.draw_counts(mu, w, rng, z)
        return {team: counts[:, i, :] for i, team in enumerate(teams)}


@dataclasses.dataclass
class _PooledTeamBackend:
    """One team's view of a pooled backend (the :class:`Backend` protocol)."""

    pooled: _PooledBackend
    team: str

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        return self.pooled.mean(self.team, periods)

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        mus, w = self.pooled.simulate_means((self.team,), periods, n_paths, rng)
        return mus[self.team], w

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        return self.pooled.draw_counts(means, weights, rng, z)

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        mu, w = self.simulate_means(periods, n_paths, rng)
        return self.draw_counts(mu, w, rng)


@dataclasses.dataclass(frozen=True)
class PooledFit:
    """A count baseline fitted jointly to several teams.

    Attributes
    ----------
    spec : BaselineSpec
    teams : tuple of str
        Teams in the fit, in panel order.
    history : DataFrame
        Long frame the model saw: ``team``, ``month``, ``calls``, ``excluded``.
    fitted : DataFrame
        ``team``, ``month``, ``expected`` (in-sample expected counts).
    params : Series
        Coefficients on the log scale: ``team[<t>]`` levels, ``trend[<t>]`` slopes per
        year, shared ``month_MM`` or ``sin_k``/``cos_k`` seasonal terms (January is the
        reference month), ``break_<id>`` log-ratios.
    dispersion : float
        Shared NB2 ``alpha`` (``negbin``), Pearson scale (``quasipoisson``) or 0.
    residual_autocorrelation : float
        Lag-1 autocorrelation of the Pearson residuals within teams carried into the paths
        (0 when ``spec.ar_noise`` is false or none was found).
    team_correlation : DataFrame or None
        Correlation (teams x teams) of the Pearson residuals of different teams in the
        same month, carried into :meth:`simulate_panel` through the count-noise copula
        (:func:`impact.baselines.noise.team_correlation`); ``None`` with
        ``spec.ar_noise=False``, one team or fewer than 24 common months.
    method : str
    warnings : tuple of str
    """

    spec: BaselineSpec
    teams: tuple[str, ...]
    history: pd.DataFrame
    fitted: pd.DataFrame
    params: pd.Series
    dispersion: float
    residual_autocorrelation: float
    team_correlation: pd.DataFrame | None
    method: str
    warnings: tuple[str, ...]
    backend: Any = dataclasses.field(repr=False, compare=False)

    def _check_team(self, team: str) -> None:
        if team not in self.teams:
            raise DataValidationError(
                f"team {team!r} is not in the pooled fit; fitted teams: {', '.join(self.teams)}."
            )

    def fit_for(self, team: str) -> BaselineFit:
        """The pooled baseline seen from one team, as a :class:`BaselineFit`.

        Its ``mean`` and ``simulate`` use that team's design rows with the pooled
        coefficients, covariance and dispersion (multivariate-t coefficient draws and NB
        count noise per path), so it plugs into
        :func:`impact.estimation.counterfactual.estimate_effect` like any baseline.
        """
        self._check_team(team)
        rows = self.history[self.history["team"] == team]
        idx = pd.PeriodIndex(rows["month"], freq="M", name="month")
        series = pd.Series(rows["calls"].to_numpy(), index=idx, name="calls")
        exp_rows = self.fitted[self.fitted["team"] == team]
        return BaselineFit(
            spec=self.spec,
            history=series,
            excluded=pd.Series(rows["excluded"].to_numpy(dtype=bool), index=idx, name="excluded"),
            fitted=pd.Series(exp_rows["expected"].to_numpy(), index=idx, name="expected"),
            params=self.params.copy(),
            dispersion=self.dispersion,
            residual_autocorrelation=self.residual_autocorrelation,
            method=f"{self.method} Team {team}.",
            warnings=self.warnings,
            backend=_PooledTeamBackend(self.backend, team),
        )

    def mean(self, team: str, periods: pd.PeriodIndex) -> pd.Series:
        """Expected counts of one team (model mean, no noise) for any periods."""
        self._check_team(team)
        periods = _as_months(periods)
        return pd.Series(self.backend.mean(team, periods), index=periods, name="expected")

    def simulate_panel(
        self,
        periods: pd.PeriodIndex,
        *,
        n_paths: int = DEFAULT_N_PATHS,
        seed: int | np.random.Generator | None = None,
        teams: list[str] | None = None,
    ) -> dict[str, np.ndarray]:
        """Simulate joint count paths for every team.

        Path ``j`` of every team uses the same coefficient and dispersion draw, so the
        team paths are jointly coherent and ``sum(paths[t][j] for t in teams)`` is a draw
        of the total. Count noise is independent between teams given the means, apart
        from the estimated cross-team residual correlation (Gaussian copula).

        Parameters
        ----------
        periods : PeriodIndex
            Months to simulate (any months from the start of the history on).
        n_paths : int, default DEFAULT_N_PATHS
        seed : int or numpy.random.Generator, optional
        teams : list of str, optional
            Subset of the fitted teams (default all).

        Returns
        -------
        dict of str to ndarray
            Team -> array of shape (n_paths, len(periods)) of whole counts.
        """
        chosen = tuple(teams) if teams is not None else self.teams
        for t in chosen:
            self._check_team(t)
        periods = _as_months(periods)
        rng = np.random.default_rng(seed)
        return self.backend.simulate(chosen, periods, int(n_paths), rng)

    def simulate_means(
        self,
        periods: pd.PeriodIndex,
        *,
        n_paths: int = DEFAULT_N_PATHS,
        seed: int | np.random.Generator | np.random.SeedSequence | None = None,
        teams: list[str] | None = None,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Mean paths of every team (parameter uncertainty only) from one shared
        coefficient draw per path, and each path's chi-square weight.

        Count noise is added by ``fit_for(team).backend.draw_counts(means, weights, rng,
        z)``, so that callers can correlate it across teams themselves.

        Returns
        -------
        (dict of str to ndarray of shape (n_paths, len(periods)), ndarray of shape (n_paths,))
        """
        chosen = tuple(teams) if teams is not None else self.teams
        for t in chosen:
            self._check_team(t)
        periods = _as_months(periods)
        rng = np.random.default_rng(seed)
        return self.backend.simulate_means(chosen, periods, int(n_paths), rng)

    def to_frame(self) -> pd.DataFrame:
        """Long frame ``team``, ``month``, ``observed``, ``expected``, ``excluded``,
        ``pearson_residual``."""
        obs = self.history["calls"].to_numpy(dtype=float)
        mu = self.fitted["expected"].to_numpy(dtype=float)
        var = count_variance(self.spec.family, mu, self.dispersion)
        return pd.DataFrame(
            {
                "team": self.history["team"].to_numpy(copy=True),
                "month": self.history["month"].to_numpy(copy=True),
                "observed": obs,
                "expected": mu,
                "excluded": self.history["excluded"].to_numpy(dtype=bool),
                "pearson_residual": (obs - mu) / np.sqrt(np.maximum(var, 1e-12)),
            }
        )

    def summary(self) -> Summary:
        """The coefficients (``table``, indexed by ``term``) and a text stating the teams,
        the fitted team-months, the method and any warnings (returned, never printed)."""
        used = int((~self.history["excluded"]).sum())
        table = pd.DataFrame(
            {"estimate": [*self.params.to_numpy(dtype=float), self.dispersion,
                          self.residual_autocorrelation]},
            index=pd.Index([*map(str, self.params.index), "dispersion",
                            "residual_autocorrelation"], name="term"),
        )
        text = " ".join([
            f"Pooled baseline {self.spec.label} fitted on {used} team-months of "
            f"{len(self.teams)} teams ({', '.join(self.teams)}).",
            self.method,
            *(f"Warning: {w}" for w in self.warnings),
        ])
        return Summary(table=table, text=text)

    def plot(self, team: str | None = None, *, ax: Any = None) -> Any:
        """Observed vs fitted for one team (default: the first) (see
        :func:`impact.plots.plot_baseline_fit`)."""
        return plots.plot_baseline_fit(self.fit_for(team or self.teams[0]), ax=ax)


def _as_months(periods: Any) -> pd.PeriodIndex:
    idx = periods if isinstance(periods, pd.PeriodIndex) else pd.PeriodIndex(periods, freq="M")
    if idx.freqstr != "M":
        raise DataValidationError(
            f"periods have frequency {idx.freqstr}; the pooled baseline is monthly."
        )
    return idx


# --------------------------------------------------------------------------- fitting


def _exclusion(exclude: Any, panel: pd.DataFrame) -> np.ndarray:
    """Row mask of excluded team-months."""
    if exclude is None:
        return np.zeros(len(panel), dtype=bool)
    if not isinstance(exclude, pd.Series):
        raise DataValidationError(
            "exclude must be a boolean Series indexed by month (all teams) or by "
            f"(team, month); got {type(exclude).__name__}."
        )
    if isinstance(exclude.index, pd.MultiIndex):
        keys = pd.MultiIndex.from_arrays([panel["team"], panel["month"]])
        return exclude.reindex(keys, fill_value=False).to_numpy(dtype=bool)
    months = pd.PeriodIndex(exclude.index, freq="M")
    flags = pd.Series(exclude.to_numpy(dtype=bool), index=months)
    return flags.reindex(pd.PeriodIndex(panel["month"]), fill_value=False).to_numpy(dtype=bool)


def _exposure_by_team(
    panel: pd.DataFrame, exposure: pd.DataFrame | None, kind: str | None, teams: tuple[str, ...]
) -> dict[str, pd.Series]:
    if kind != "column":
        return {}
    source = exposure if exposure is not None else panel
    if "exposure" not in source.columns:
        raise DataValidationError(
            "spec.exposure='column' needs exposure per team and month: an 'exposure' column "
            "in the panel, or exposure=<long frame with team, month, exposure> that also "
            "covers the forecast months."
        )
    out = {}
    for t in teams:
        rows = source[source["team"] == t]
        out[t] = pd.Series(
            rows["exposure"].to_numpy(dtype=float),
            index=pd.PeriodIndex(rows["month"], freq="M"),
        )
    return out


def _independent_columns(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Keep columns that vary in the fitted rows (team levels always count as varying)
    and are linearly independent of the ones kept before them."""
    keep: list[str] = []
    dropped: list[str] = []
    scale = max(1.0, float(np.abs(X.to_numpy()).max())) if X.size else 1.0
    for c in X.columns:
        col = X[c].to_numpy(dtype=float)
        if not c.startswith("team[") and np.ptp(col) < 1e-12:
            dropped.append(c)
            continue
        trial = X[[*keep, c]].to_numpy(dtype=float)
        if np.linalg.matrix_rank(trial, tol=1e-8 * scale) < len(keep) + 1:
            dropped.append(c)
            continue
        keep.append(c)
    return keep, dropped


def _pooled_lag1(resid: np.ndarray, used: np.ndarray, team: np.ndarray) -> tuple[float, int]:
    """Lag-1 autocorrelation of residuals within teams (pairs of consecutive used rows)."""
    num = den = 0.0
    pairs = 0
    rm = float(np.mean(resid[used])) if used.any() else 0.0
    for t in np.unique(team):
        sel = team == t
        r = np.where(used[sel], resid[sel] - rm, np.nan)
        a, b = r[:-1], r[1:]
        ok = ~(np.isnan(a) | np.isnan(b))
        num += float(np.sum(a[ok] * b[ok]))
        den += float(np.nansum(r**2))
        pairs += int(ok.sum())
    if pairs < 8 or den <= 0:
        return 0.0, pairs
    rho = num / den
    rho = rho + (1 + 3 * rho) / pairs  # Kendall's small-sample bias correction
    return float(np.clip(rho, 0.0, _MAX_CORRELATION)), pairs


def fit_pooled_baseline(
    panel: pd.DataFrame,
    spec: BaselineSpec | None = None,
    *,
    teams: list[str] | None = None,
    breaks: EventRegistry | None = None,
    exclude: pd.Series | None = None,
    exposure: pd.DataFrame | None = None,
    shape_overrides: dict[str, str] | None = None,
) -> PooledFit:
    """Fit one count GLM to several teams with shared seasonality and breaks.

    Parameters
    ----------
    panel : DataFrame
        Canonical long frame (``team``, ``month``, ``calls``, optional ``exposure``), one
        row per team-month; teams may cover different (complete) ranges.
    spec : BaselineSpec, optional
        A count GLM family (``negbin`` by default, ``quasipoisson``, ``poisson``). Read:
        ``trend`` (a slope per team; ``piecewise`` adds shared slope changes at breaks),
        ``seasonality`` and ``harmonics`` (shared), ``exposure``, ``use_breaks``,
        ``ar_noise``.
    teams : list of str, optional
        Teams to pool (default: every team in ``panel``).
    breaks : EventRegistry, optional
        Known breaks. A ``Flanders`` break is one shared log-ratio for all teams; a break
        scoped to a team enters only that team's rows. Ignored when ``spec.use_breaks`` is
        false.
    exclude : Series of bool, optional
        Months to leave out of the fit: indexed by month (all teams) or by a
        ``(team, month)`` MultiIndex.
    exposure : DataFrame, optional
        Long frame ``team``, ``month``, ``exposure`` for ``spec.exposure="column"``
        covering the history and the months to forecast (default: the panel's
        ``exposure`` column, history only).
    shape_overrides : dict, optional
        Event id -> shape for breaks whose shape is ``unknown``.

    Returns
    -------
    PooledFit

    Raises
    ------
    DataValidationError
        On an invalid panel, a non-GLM family, unknown teams or a malformed ``exclude``.
    FitError
        With fewer than six residual degrees of freedom.

    Notes
    -----
    Intervals from :meth:`PooledFit.simulate_panel` and ``fit_for(team).simulate`` are
    prediction intervals for counts: coefficients drawn from a multivariate t with the
    residual degrees of freedom (one draw per path, shared by all teams), the dispersion
    scaled by the same chi-square draw, NB2 count noise, and (``spec.ar_noise``) lag-1
    autocorrelation within teams and residual correlation between teams via a Gaussian
    copula.
    """

    spec = spec or BaselineSpec()
    if spec.family not in COUNT_GLM_FAMILIES:
        raise DataValidationError(
            f"fit_pooled_baseline: family {spec.family!r} is not a count GLM; expected one of "
            f"{', '.join(COUNT_GLM_FAMILIES)}."
        )
    frame = validate_panel(panel, name="panel")
    if {"channel", "category"} & set(frame.columns) or frame.duplicated(["team", "month"]).any():
        raise DataValidationError(
            "panel: the pooled baseline needs one row per team and month; sum the channels "
            "or categories first (frame.groupby(['team', 'month'])['calls'].sum())."
        )
    present = list(dict.fromkeys(frame["team"]))
    chosen = tuple(teams) if teams is not None else tuple(present)
    unknown = [t for t in chosen if t not in present]
    if unknown or not chosen:
        raise DataValidationError(
            f"teams {unknown or chosen!r} not in the panel; teams present: {', '.join(present)}."
        )
    frame = frame[frame["team"].isin(chosen)].reset_index(drop=True)
    excluded = _exclusion(exclude, frame).copy()
    months = pd.PeriodIndex(frame["month"], freq="M")
    gap_notes: list[str] = []
    for t in chosen:  # zero months amid busy ones: missing records, left out (as fit_baseline)
        rows = np.flatnonzero(frame["team"].to_numpy() == t)
        rows = rows[np.argsort(months[rows].asi8, kind="stable")]
        team_series = pd.Series(frame["calls"].to_numpy()[rows], index=months[rows])
        gaps, notes = zero_record_gaps(team_series, excluded[rows])
        excluded[rows[gaps]] = True
        gap_notes.extend(f"{t}: {w}" for w in notes)
    used = ~excluded
    origin = months.min()
    design = _PooledDesign(
        design_spec=DesignSpec(
            trend=spec.trend,
            seasonality=spec.seasonality,
            harmonics=spec.harmonics,
            origin=origin,
        ),
        teams=chosen,
        breaks=breaks if (spec.use_breaks and breaks is not None and len(breaks)) else None,
        shape_overrides=shape_overrides,
        exposure_kind=spec.exposure,
        exposure=_exposure_by_team(frame, exposure, spec.exposure, chosen),
    )
    team_arr = frame["team"].to_numpy()
    blocks, offsets = [], []
    for t in chosen:
        sel = team_arr == t
        idx = pd.PeriodIndex(months[sel], freq="M")
        blocks.append(design.team_frame(t, idx))
        offsets.append(design.log_exposure(t, idx))
    X_all = pd.concat(blocks, axis=0, ignore_index=True).fillna(0.0)
    order = np.concatenate([np.flatnonzero(team_arr == t) for t in chosen])
    # rows of X_all follow `order`; put them back into frame order
    X_all.index = order
    X_all = X_all.sort_index()
    offset_all = np.empty(len(frame))
    offset_all[order] = np.concatenate(offsets)
    keep, dropped = _independent_columns(X_all.loc[used])
    notes: list[str] = list(gap_notes)
    if dropped:
        notes.append(
            "terms without variation or collinear in the fitted history were dropped: "
            + ", ".join(dropped)
        )
    X = X_all.loc[used, keep].to_numpy(dtype=float)
    y = frame["calls"].to_numpy(dtype=float)[used]
    off = offset_all[used]
    n, k = X.shape
    if n - k < 6:
        raise FitError(
            f"pooled baseline {spec.label}: {n} usable team-months for {k} parameters; need "
            f"at least {k + 6}. Use longer histories, fewer teams or terms."
        )
    dof = n - k
    res, disp, cov, note = fit_count_family(spec.family, y, X, off, dof)
    if note:
        notes.append(note)
    if spec.family == "poisson":
        method = "Pooled Poisson GLM (maximum likelihood, dispersion fixed at 1)"
    elif spec.family == "quasipoisson":
        method = (
            f"Pooled quasi-Poisson GLM, shared Pearson dispersion {disp:.3f} "
            f"({dof} residual degrees of freedom)"
        )
    else:
        method = (
            f"Pooled negative binomial (NB2) GLM, shared dispersion alpha = {disp:.4f} from "
            f"the Pearson moment equation ({dof} residual degrees of freedom) alternated "
            "with the GLM fit"
        )
    params = np.asarray(res.params, dtype=float)
    mu_all = np.exp(X_all[keep].to_numpy(dtype=float) @ params + offset_all)
    y_all = frame["calls"].to_numpy(dtype=float)
    var_all = count_variance(spec.family, mu_all, disp)
    resid = (y_all - mu_all) / np.sqrt(np.maximum(var_all, 1e-12))
    rho = 0.0
    corr: np.ndarray | None = None
    corr_note = "no residual correlation between teams (spec.ar_noise=False)"
    if spec.ar_noise:
        rho, _ = _pooled_lag1(resid, used, team_arr)
        wide = pd.DataFrame(
            {"team": team_arr, "month": frame["month"].to_numpy(),
             "r": np.where(used, resid, np.nan)}
        ).pivot(index="month", columns="team", values="r")
        corr, corr_note = team_correlation(wide[list(chosen)])
    if rho > 0:
        cov = cov * (1 + rho) / (1 - rho)
    seas = {
        "monthly": "month-of-year effects",
        "fourier": f"{spec.harmonics} Fourier pairs",
        "none": "no seasonality",
    }[spec.seasonality]
    trend = "no trend" if spec.trend == "none" else f"a {spec.trend} trend per team"
    method += (
        f", on {len(chosen)} teams: shared {seas}, a level and {trend}, shared known breaks. "
        f"Paths: one multivariate-t coefficient draw per path shared by all teams, count "
        f"noise with lag-1 autocorrelation {rho:.2f} within teams (Gaussian copula); "
        f"{corr_note}."
    )
    backend = _PooledBackend(
        family=spec.family,
        design=design,
        columns=keep,
        params=params,
        cov=cov,
        dispersion=disp,
        df_resid=dof,
        rho=rho,
        correlation=corr,
    )
    for note in notes:
        warnings.warn(f"pooled baseline {spec.label}: {note}", ImpactWarning, stacklevel=2)
    history = frame[["team", "month", "calls"]].copy()
    history["excluded"] = excluded
    fitted = frame[["team", "month"]].copy()
    fitted["expected"] = mu_all
    return PooledFit(
        spec=spec,
        teams=chosen,
        history=history,
        fitted=fitted,
        params=pd.Series(params, index=keep, name="coef"),
        dispersion=disp,
        residual_autocorrelation=rho,
        team_correlation=(
            None if corr is None else pd.DataFrame(corr, index=list(chosen), columns=list(chosen))
        ),
        method=method,
        warnings=tuple(notes),
        backend=backend,
    )
