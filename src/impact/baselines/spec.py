"""What a baseline is: its specification, the fitted result and the backend protocol.

:class:`BaselineSpec` describes a baseline (validated on creation, fitted nowhere);
:func:`impact.baselines.fit.fit_baseline` fits it and returns a :class:`BaselineFit`,
which forecasts (:meth:`BaselineFit.forecast`) and simulates joint future paths
(:meth:`BaselineFit.simulate`) through its backend. Every backend (count GLMs in
:mod:`impact.baselines.glm`, time-series families in :mod:`impact.baselines.timeseries`,
one team of a pooled fit in :mod:`impact.baselines.pooled`) implements the same
:class:`Backend` protocol, count noise included, so estimators never ask what a backend
can do.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Protocol

import numpy as np
import pandas as pd

from impact import plots
from impact._core.constants import DEFAULT_LEVEL, DEFAULT_N_PATHS
from impact._core.exceptions import DataValidationError
from impact._core.summary import Summary

__all__ = [
    "BASELINE_FAMILIES",
    "COUNT_GLM_FAMILIES",
    "DAILY_HARMONICS",
    "EXPOSURES",
    "HOLIDAY_TERMS",
    "LEVEL_SHIFT_MODES",
    "SEASONALITIES",
    "SEASONAL_KINDS",
    "TRENDS",
    "TREND_COMPONENTS",
    "TS_FAMILIES",
    "Backend",
    "BaselineFit",
    "BaselineSpec",
    "Forecast",
    "count_variance",
]

COUNT_GLM_FAMILIES: tuple[str, ...] = ("poisson", "quasipoisson", "negbin")
TS_FAMILIES: tuple[str, ...] = ("structural", "sarima", "ets", "seasonal_naive")
BASELINE_FAMILIES: tuple[str, ...] = COUNT_GLM_FAMILIES + TS_FAMILIES
#: Stochastic trend components of the ``structural`` family (Harvey's local level =
#: random walk, and local linear trend).
TREND_COMPONENTS: tuple[str, ...] = ("random_walk", "local_linear_trend")
#: Deterministic trends of the count GLMs.
TRENDS: tuple[str, ...] = ("none", "linear", "piecewise")
#: Seasonal terms: one effect per calendar month, or Fourier pairs.
SEASONALITIES: tuple[str, ...] = ("none", "monthly", "fourier")
#: Exposure offsets (None: no offset; "column": a user series; "opening_hours": open hours
#: per period from an opening-hours schedule, :mod:`impact.baselines.opening_hours`).
EXPOSURES: tuple[str | None, ...] = (None, "days", "working_days", "column", "opening_hours")
#: Holiday terms of the count GLMs (:mod:`impact.baselines.calendar`): none, Belgian
#: public holidays (with bridge days), or public and Flemish school holidays.
HOLIDAY_TERMS: tuple[str, ...] = ("none", "public", "public+school")
#: Seasonal components of the ``structural`` family.
SEASONAL_KINDS: tuple[str, ...] = ("dummy", "trigonometric")
#: Fourier pairs suggested for the yearly cycle of a daily series: four pairs resolve
#: features of about a quarter-year (the summer dip, the Christmas trough) without
#: following week-scale noise that the holiday terms already explain.
DAILY_HARMONICS: int = 4
#: Handling of unregistered level shifts: scan and average over them, or not.
LEVEL_SHIFT_MODES: tuple[str, ...] = ("auto", "off")


@dataclasses.dataclass(frozen=True)
class BaselineSpec:
    """Specification of a seasonal baseline (validated on creation, fitted nowhere).

    Parameters
    ----------
    family : str, default "negbin"
        ``poisson``, ``quasipoisson`` or ``negbin`` (count GLMs); ``structural``
        (UnobservedComponents on log counts), ``sarima``, ``ets`` (both on log counts) or
        ``seasonal_naive`` (the floor).
    trend : {"none", "linear", "piecewise"}, default "linear"
        ``piecewise`` adds a slope change at every known break.
    seasonality : {"none", "monthly", "fourier"}, default "monthly"
    harmonics : int, default 2
        Fourier pairs when ``seasonality="fourier"`` (1-6).
    exposure : {None, "days", "working_days", "column", "opening_hours"}, default None
        Offset ``log(exposure)``: calendar days, Belgian working days, a user series
        (population, staffed hours) passed to the fitting function, or the open hours per
        period of an opening-hours schedule
        (:class:`impact.baselines.opening_hours.OpeningHours`, passed as ``exposure``;
        default the packaged 1712 schedule, all channels). With ``opening_hours`` a
        period with no open hours is *closed*: left out of the fit, expected 0 calls.
    use_breaks : bool, default True
        Model ``capacity``, ``registration`` and ``pandemic`` events as known breaks.
    ar_noise : bool, default True
        Count GLMs: carry lag-1 autocorrelation of the Pearson residuals into simulated
        paths (Gaussian copula) and the parameter covariance; daily and weekly
        ``negbin`` fits model latent AR(1) log-scale noise instead
        (:mod:`impact.baselines.glm`).
    trend_component : {"random_walk", "local_linear_trend"}, default "local_linear_trend"
        ``structural`` only: the stochastic trend component (a random-walk level, or a
        level with a stochastic slope). Called ``level`` before 0.4; ``level`` now always
        means an interval probability.
    seasonal_kind : {"dummy", "trigonometric"}, default "dummy"
        ``structural`` only.
    order, seasonal_order : tuple, default (1, 0, 0) and (0, 1, 1, 12)
        ``sarima`` only.
    level : str, optional
        Deprecated name of ``trend_component`` (``DeprecationWarning``); read
        ``trend_component``.
    level_shifts : {"auto", "off"}, default "auto"
        ``negbin`` on monthly series: ``auto`` averages the baseline over unregistered
        level-shift hypotheses (BIC model averaging over no, one or two shifts; registered
        breaks win) and, with ``ar_noise``, models latent AR(1) log-scale noise instead of
        the residual copula (:mod:`impact.baselines.level_shift`); detected shifts are
        reported in the fit's ``level_shifts`` and ``warnings``. ``off`` is the single
        NB2 fit of earlier versions. Poisson and quasi-Poisson baselines, the time-series
        families and weekly or daily series are never scanned (``auto`` means ``off``
        there: see the module's docstring for why); for weekly and daily series
        ``auto`` scans the monthly totals instead and warns about each unregistered
        shift found there, without changing the estimate.
    day_of_week : bool or None, default None
        Count GLMs: day-of-week effects (Monday the reference). ``None`` (automatic):
        on for daily series, off otherwise; ``True`` on a weekly or monthly series is an
        error at fit time.
    holidays : {"none", "public", "public+school"} or None, default None
        Count GLMs: Belgian public holidays with bridge days (``public``), plus Flemish
        school holidays (``public+school``), as indicators on daily series and as the
        share of holiday days on longer periods (:mod:`impact.baselines.calendar`).
        ``None`` (automatic): ``public+school`` for daily and weekly series, ``none`` for
        monthly ones (whose month effects carry the school calendar), so a monthly
        baseline is what it was before these terms existed.

    Notes
    -----
    At daily resolution the yearly cycle is ``seasonality="monthly"`` by default (eleven
    month effects, with the holiday terms above); ``seasonality="fourier"`` with
    ``harmonics=4`` (:data:`DAILY_HARMONICS`) is the smooth alternative.
    """

    family: str = "negbin"
    trend: str = "linear"
    seasonality: str = "monthly"
    harmonics: int = 2
    exposure: str | None = None
    use_breaks: bool = True
    ar_noise: bool = True
    trend_component: str = "local_linear_trend"
    seasonal_kind: str = "dummy"
    order: tuple[int, int, int] = (1, 0, 0)
    seasonal_order: tuple[int, int, int, int] = (0, 1, 1, 12)
    level: dataclasses.InitVar[str | None] = None
    level_shifts: str = "auto"
    day_of_week: bool | None = None
    holidays: str | None = None

    def __post_init__(self, level: str | None) -> None:
        if level is not None:
            warnings.warn(
                "BaselineSpec(level=...) is deprecated: the structural trend component is "
                "now called trend_component (level means the interval probability); use "
                f"BaselineSpec(trend_component={level!r}).",
                DeprecationWarning,
                stacklevel=3,
            )
            object.__setattr__(self, "trend_component", level)
        def bad(name: str, value: Any, allowed: tuple) -> DataValidationError:
            shown = ", ".join(repr(a) for a in allowed)
            return DataValidationError(
                f"BaselineSpec: {name}={value!r} is not supported; expected one of {shown}."
            )

        if self.family not in BASELINE_FAMILIES:
            raise bad("family", self.family, BASELINE_FAMILIES)
        if self.trend not in TRENDS:
            raise bad("trend", self.trend, TRENDS)
        if self.seasonality not in SEASONALITIES:
            raise bad("seasonality", self.seasonality, SEASONALITIES)
        if not isinstance(self.harmonics, int) or not 1 <= self.harmonics <= 6:
            raise DataValidationError(
                f"BaselineSpec: harmonics must be an integer from 1 to 6, got {self.harmonics!r}."
            )
        if self.exposure not in EXPOSURES:
            raise bad("exposure", self.exposure, EXPOSURES)
        if self.trend_component not in TREND_COMPONENTS:
            raise bad("trend_component", self.trend_component, TREND_COMPONENTS)
        if self.seasonal_kind not in SEASONAL_KINDS:
            raise bad("seasonal_kind", self.seasonal_kind, SEASONAL_KINDS)
        if self.level_shifts not in LEVEL_SHIFT_MODES:
            raise bad("level_shifts", self.level_shifts, LEVEL_SHIFT_MODES)
        if self.day_of_week is not None and not isinstance(self.day_of_week, bool):
            raise DataValidationError(
                f"BaselineSpec: day_of_week must be True, False or None (automatic: on for "
                f"daily series), got {self.day_of_week!r}."
            )
        if self.holidays is not None and self.holidays not in HOLIDAY_TERMS:
            raise bad("holidays", self.holidays, (None, *HOLIDAY_TERMS))

    @property
    def label(self) -> str:
        """Short human-readable name, e.g. ``negbin/linear/monthly``."""
        if self.family in COUNT_GLM_FAMILIES:
            seas = f"fourier{self.harmonics}" if self.seasonality == "fourier" else self.seasonality
            return f"{self.family}/{self.trend}/{seas}"
        return self.family


@dataclasses.dataclass(frozen=True)
class Forecast:
    """Point forecasts and prediction intervals for counts.

    Attributes
    ----------
    mean : Series
        Expected counts (the model's mean), indexed by period.
    lower, upper : Series
        Prediction-interval bounds for the counts at ``level`` (simulation quantiles,
        parameter uncertainty and count noise included).
    level : float
    interval_kind : str
        ``"prediction interval for counts"``.
    """

    mean: pd.Series
    lower: pd.Series
    upper: pd.Series
    level: float
    interval_kind: str = "prediction interval for counts"

    def to_frame(self) -> pd.DataFrame:
        """Frame indexed by period with columns ``expected``, ``expected_lower``,
        ``expected_upper``."""
        return pd.DataFrame(
            {"expected": self.mean, "expected_lower": self.lower, "expected_upper": self.upper}
        )

    def summary(self) -> Summary:
        """The forecast per period, with the level, interval kind and method stated."""
        frame = self.to_frame()
        first, last = frame.index[0], frame.index[-1]
        text = (
            f"Forecast of {len(frame)} periods ({first} to {last}): expected counts (the "
            f"model's mean) with {self.level:.0%} {self.interval_kind}s from simulated "
            f"paths (parameter uncertainty and count noise). Total expected "
            f"{frame['expected'].sum():,.0f}."
        )
        return Summary(table=frame, text=text)

    def plot(self, *, ax: Any = None) -> Any:
        """Expected counts with the prediction band (see :func:`impact.plots.plot_forecast`)."""
        return plots.plot_forecast(self, ax=ax)


class Backend(Protocol):
    """What every fitted backend offers (used inside :class:`BaselineFit`).

    Simulation comes in two steps so that estimators can treat the uncertainty of the
    counterfactual mean and the noise of the counts separately (and correlate the noise
    across teams): :meth:`simulate_means` draws paths of the mean, :meth:`draw_counts`
    draws counts around given means. :meth:`simulate` is the two together (a backend may
    draw it in one go when that is the same distribution).
    """

    def mean(self, periods: pd.PeriodIndex) -> np.ndarray:
        """Expected counts (the model mean, no noise) for ``periods``."""
        ...

    def simulate_means(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Paths of the mean, shape (n_paths, len(periods)), from parameter (or state)
        uncertainty, and one weight per path (the chi-square / df draw that scales the
        count GLMs' dispersion; ones where unused)."""
        ...

    def draw_counts(
        self,
        means: np.ndarray,
        weights: np.ndarray,
        rng: np.random.Generator,
        z: np.ndarray | None = None,
    ) -> np.ndarray:
        """Whole counts around ``means`` (shape (n_paths, periods)) with each path's
        ``weights``; ``z`` (standard normals of the same shape) drive the noise through a
        Gaussian copula instead of the backend's own draws."""
        ...

    def simulate(
        self, periods: pd.PeriodIndex, n_paths: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Joint count paths, shape (n_paths, len(periods))."""
        ...


@dataclasses.dataclass(frozen=True)
class BaselineFit:
    """A baseline fitted on a history; forecasts and simulates future paths.

    Attributes
    ----------
    spec : BaselineSpec
    history : Series
        The observed counts the model saw (excluded periods included, flagged in
        ``excluded``).
    excluded : Series of bool
        Periods left out of the fit (earlier event windows).
    fitted : Series
        In-sample expected counts.
    params : Series
        Coefficients (log scale for count GLMs); empty where not applicable.
    dispersion : float
        NB2 ``alpha`` (``negbin``), Pearson scale (``quasipoisson``), 0 (``poisson``),
        or the residual variance on the log scale for the time-series families.
    residual_autocorrelation : float
        Lag-1 autocorrelation carried into the simulated paths (0 when not used); for the
        level-shift baseline the lag-1 autocorrelation of the relative residuals implied
        by its latent AR(1) posterior.
    method : str
        One sentence describing the fit (family, dispersion method, fallbacks).
    warnings : tuple of str
        Fit problems (non-convergence, fallbacks, dropped terms) and detected level
        shifts not explained by a registered event.
    level_shifts : tuple of LevelShift
        Unregistered level shifts detected in the history
        (:class:`impact.baselines.level_shift.LevelShift`: period, size in percent,
        posterior probability); empty unless ``spec.level_shifts="auto"`` scanned.
    series_notes : tuple of str
        The warnings (a subset of ``warnings``) about this series' own data: missing
        records, a sparse history, outliers, detected level shifts. Panel results name
        the team in front of them; the others (dropped terms, fallbacks) are about the
        model and read the same for every team.
    """

    spec: BaselineSpec
    history: pd.Series
    excluded: pd.Series
    fitted: pd.Series
    params: pd.Series
    dispersion: float
    residual_autocorrelation: float
    method: str
    warnings: tuple[str, ...]
    backend: Any = dataclasses.field(repr=False, compare=False)
    level_shifts: tuple[Any, ...] = ()
    series_notes: tuple[str, ...] = ()

    def mean(self, periods: pd.PeriodIndex) -> pd.Series:
        """Expected counts (model mean, no noise) for any periods."""
        periods = _as_period_index(periods, self.history.index)
        return pd.Series(self.backend.mean(periods), index=periods, name="expected")

    def simulate(
        self,
        periods: pd.PeriodIndex,
        *,
        n_paths: int = DEFAULT_N_PATHS,
        seed: int | np.random.Generator | None = None,
    ) -> np.ndarray:
        """Simulate ``n_paths`` joint count paths over ``periods``.

        Each path draws the parameters (and the dispersion) once, then the counts of every
        period, so sums over periods of one path have the right joint uncertainty.

        Returns
        -------
        ndarray of shape (n_paths, len(periods))
        """
        periods = _as_period_index(periods, self.history.index)
        rng = np.random.default_rng(seed)
        return self.backend.simulate(periods, int(n_paths), rng)

    def forecast(
        self,
        periods: pd.PeriodIndex,
        *,
        level: float = DEFAULT_LEVEL,
        n_paths: int = DEFAULT_N_PATHS,
        seed: int | np.random.Generator | None = None,
    ) -> Forecast:
        """Forecast counts with prediction intervals at ``level`` (by simulation)."""
        periods = _as_period_index(periods, self.history.index)
        paths = self.simulate(periods, n_paths=n_paths, seed=seed)
        lo, hi = np.quantile(paths, [(1 - level) / 2, (1 + level) / 2], axis=0)
        return Forecast(
            mean=self.mean(periods),
            lower=pd.Series(lo, index=periods, name="expected_lower"),
            upper=pd.Series(hi, index=periods, name="expected_upper"),
            level=level,
        )

    def to_frame(self) -> pd.DataFrame:
        """History with ``observed``, ``expected`` (fitted), ``excluded``, ``pearson_residual``."""
        obs = self.history.astype(float)
        fit = self.fitted.reindex(obs.index)
        var = _variance(fit.to_numpy(), self)
        resid = (obs - fit) / np.sqrt(var)
        return pd.DataFrame(
            {
                "observed": obs,
                "expected": fit,
                "excluded": self.excluded.reindex(obs.index),
                "pearson_residual": resid,
            }
        )

    def summary(self) -> Summary:
        """The estimated parameters (``table``, indexed by ``term``) and a text stating the
        fit window, the method and any warnings (returned, never printed)."""
        table = pd.DataFrame(
            {"estimate": self.params.to_numpy(dtype=float)},
            index=pd.Index([str(i) for i in self.params.index], name="term"),
        )
        extra = pd.DataFrame(
            {"estimate": [self.dispersion, self.residual_autocorrelation]},
            index=pd.Index(["dispersion", "residual_autocorrelation"], name="term"),
        )
        return Summary(table=pd.concat([table, extra]), text=_fit_text(
            f"Baseline {self.spec.label} fitted on {int((~self.excluded).sum())} periods "
            f"({self.history.index[0]} to {self.history.index[-1]}).",
            self.method,
            self.warnings,
        ))

    def plot(self, *, ax: Any = None) -> Any:
        """Observed vs fitted (delegates to :func:`impact.plots.plot_baseline_fit`)."""
        return plots.plot_baseline_fit(self, ax=ax)


def _fit_text(head: str, method: str, notes: tuple[str, ...]) -> str:
    return " ".join([head, method, *(f"Warning: {w}" for w in notes)])


def _variance(mu: np.ndarray, fit: BaselineFit) -> np.ndarray:
    return count_variance(fit.spec.family, mu, fit.dispersion)


def count_variance(family: str, mu: np.ndarray, dispersion: float) -> np.ndarray:
    """Variance of counts with mean ``mu``: NB2 ``mu + alpha mu**2`` (``negbin``),
    ``phi mu`` (``quasipoisson``), else ``mu`` (Poisson; also the scale of the Pearson
    residuals of the time-series families)."""
    if family == "negbin":
        return mu + dispersion * mu**2
    if family == "quasipoisson":
        return dispersion * mu
    return np.maximum(mu, 1e-9)


def _as_period_index(periods: Any, like: pd.PeriodIndex) -> pd.PeriodIndex:
    idx = pd.PeriodIndex(periods, freq=like.freq) if not isinstance(
        periods, pd.PeriodIndex
    ) else periods
    if idx.freq != like.freq:
        raise DataValidationError(
            f"periods have frequency {idx.freqstr}, the history {like.freqstr}; forecast at "
            "the history's resolution."
        )
    return idx


