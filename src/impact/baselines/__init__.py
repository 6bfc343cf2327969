"""Seasonal count baselines: specify, fit, forecast and simulate counterfactual paths.

Modules
-------
spec
    :class:`BaselineSpec` (what to fit), :class:`BaselineFit` (the fitted result),
    :class:`Forecast`, the :class:`Backend` protocol every family implements, the family
    lists.
fit
    :func:`fit_baseline`, the one entry point (validates, refuses all-zero or mostly-zero
    histories, leaves missing records and outliers out, dispatches on the family, warns
    on sparse series; thresholds
    :data:`MAX_ZERO_SHARE`, :data:`SPARSE_MEAN`, :data:`SPARSE_ZERO_SHARE`,
    :data:`OUTLIER_Z`).
glm
    Count GLMs (Poisson, quasi-Poisson, NB2): :func:`fit_count_family`,
    :func:`fit_negbin_glm`.
timeseries
    Structural, SARIMA, ETS and seasonal-naive families on log counts
    (:func:`fit_ts_baseline`).
level_shift
    The default monthly NB2 baseline robust to unregistered level shifts (BIC model
    averaging over shift hypotheses, latent AR(1) noise): :func:`fit_count_glm_shifts`,
    :class:`LevelShift` (a detected shift), :class:`ShiftMixtureBackend`; switched by
    ``BaselineSpec(level_shifts="auto"|"off")`` (:data:`LEVEL_SHIFT_MODES`).
pooled
    One count GLM for several teams with shared seasonality: :func:`fit_pooled_baseline`,
    :class:`PooledFit`.
noise
    The one count simulator (:func:`draw_counts`), latent AR(1) log-scale noise of daily
    and weekly fits (:func:`latent_ar_posterior`, :func:`latent_ar_paths`) and the
    cross-team residual correlation (:func:`team_correlation`).
design
    Design matrices and exposure offsets (:class:`DesignSpec`, :func:`build_design`,
    :func:`baseline_design_spec`, :func:`design_frame`, :func:`exposure_for`,
    :func:`working_days`).
calendar
    Calendar terms of daily and weekly baselines: :func:`calendar_columns` (day of week,
    Belgian public holidays and bridge days, Flemish school holidays),
    :func:`resolve_calendar` (the automatic choice per resolution),
    :func:`public_holidays`, :func:`bridge_days`, :func:`school_holiday_days`,
    :func:`load_school_holidays` (the packaged, sourced file) and
    :func:`school_holidays_from_rules` (the rules it was derived from).
opening_hours
    Opening-hours schedules as exposure (``BaselineSpec(exposure="opening_hours")``):
    :class:`OpeningHours`, :func:`read_opening_hours`, :func:`default_opening_hours`
    (the packaged 1712 schedule).
"""

from impact.baselines.calendar import (
    DAY_NAMES,
    SCHOOL_HOLIDAY_YEARS,
    bridge_days,
    calendar_columns,
    load_school_holidays,
    public_holidays,
    resolve_calendar,
    school_holiday_days,
    school_holidays_from_rules,
)
from impact.baselines.design import (
    DesignSpec,
    baseline_design_spec,
    build_design,
    design_frame,
    exposure_for,
    independent_columns,
    working_days,
)
from impact.baselines.fit import (
    MAX_ZERO_SHARE,
    OUTLIER_Z,
    SPARSE_MEAN,
    SPARSE_ZERO_SHARE,
    ZERO_RECORD_LEVEL,
    fit_baseline,
    missing_record_zeros,
)
from impact.baselines.glm import NEGBIN_MAX_ITER, fit_count_family, fit_negbin_glm
from impact.baselines.level_shift import (
    LevelShift,
    ShiftMixtureBackend,
    fit_count_glm_shifts,
)
from impact.baselines.noise import (
    LATENT_AR_PHIS,
    LATENT_AR_SHARES,
    MIN_COMMON_PERIODS,
    count_alpha,
    draw_coefficient_means,
    draw_counts,
    latent_ar_paths,
    latent_ar_posterior,
    team_correlation,
)
from impact.baselines.opening_hours import (
    OPENING_HOURS_COLUMNS,
    OpeningHours,
    default_opening_hours,
    read_opening_hours,
)
from impact.baselines.pooled import PooledFit, fit_pooled_baseline
from impact.baselines.spec import (
    BASELINE_FAMILIES,
    COUNT_GLM_FAMILIES,
    DAILY_HARMONICS,
    EXPOSURES,
    HOLIDAY_TERMS,
    LEVEL_SHIFT_MODES,
    SEASONAL_KINDS,
    SEASONALITIES,
    TREND_COMPONENTS,
    TRENDS,
    TS_FAMILIES,
    Backend,
    BaselineFit,
    BaselineSpec,
    Forecast,
    count_variance,
)
from impact.baselines.timeseries import (
    LOG_SHIFT,
    SEASONAL_PERIOD,
    TRIGONOMETRIC_HARMONICS,
    fit_ts_baseline,
)

__all__ = [
    "BASELINE_FAMILIES",
    "COUNT_GLM_FAMILIES",
    "DAILY_HARMONICS",
    "DAY_NAMES",
    "HOLIDAY_TERMS",
    "LATENT_AR_PHIS",
    "LATENT_AR_SHARES",
    "OPENING_HOURS_COLUMNS",
    "SCHOOL_HOLIDAY_YEARS",
    "LOG_SHIFT",
    "MAX_ZERO_SHARE",
    "MIN_COMMON_PERIODS",
    "NEGBIN_MAX_ITER",
    "OUTLIER_Z",
    "SEASONAL_PERIOD",
    "EXPOSURES",
    "LEVEL_SHIFT_MODES",
    "SEASONAL_KINDS",
    "SEASONALITIES",
    "SPARSE_MEAN",
    "SPARSE_ZERO_SHARE",
    "TRENDS",
    "TREND_COMPONENTS",
    "TRIGONOMETRIC_HARMONICS",
    "TS_FAMILIES",
    "ZERO_RECORD_LEVEL",
    "Backend",
    "BaselineFit",
    "BaselineSpec",
    "DesignSpec",
    "Forecast",
    "LevelShift",
    "OpeningHours",
    "PooledFit",
    "ShiftMixtureBackend",
    "baseline_design_spec",
    "bridge_days",
    "build_design",
    "calendar_columns",
    "count_alpha",
    "count_variance",
    "default_opening_hours",
    "design_frame",
    "draw_coefficient_means",
    "draw_counts",
    "exposure_for",
    "fit_baseline",
    "fit_count_family",
    "fit_count_glm_shifts",
    "fit_negbin_glm",
    "fit_pooled_baseline",
    "fit_ts_baseline",
    "independent_columns",
    "latent_ar_paths",
    "latent_ar_posterior",
    "load_school_holidays",
    "missing_record_zeros",
    "public_holidays",
    "read_opening_hours",
    "resolve_calendar",
    "school_holiday_days",
    "school_holidays_from_rules",
    "team_correlation",
    "working_days",
]
