# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Baselines and backtests
#
# Every effect in this study is measured against a **baseline**: a seasonal count model of
# what the calls would have been without the event. This notebook shows
#
# * the baseline the study fitted for each team on the months before the headline events
#   (observed vs fitted, the months left out of the fit, residual checks);
# * a **rolling-origin backtest** of candidate baselines on each team's pre-period: the
#   baseline is refitted at a series of origins and forecasts the following months; mean
#   absolute scaled error (MASE), bias and the coverage of the prediction intervals are
#   scored, and a documented rule picks a baseline.
#
# The study's baseline is the one set in `study.toml`; the backtest's choice is reported
# next to it, not substituted silently. All numbers are read from the result objects.

# %%
# %matplotlib inline
import dataclasses
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from impact import ImpactWarning, plots
from impact.io import to_series
from impact.study import compute_study, load_study

try:
    from impact import diagnostics
except ImportError as exc:  # the diagnostics module is added by its own issue
    diagnostics = None
    print(f"NOTE: impact.diagnostics is not importable ({exc}); the backtests are skipped.")

# caveats are shown from the result objects (summary texts), not as warnings
warnings.filterwarnings("ignore", category=ImpactWarning)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").is_file())
cfg = dataclasses.replace(load_study(ROOT / "study.toml"), run_diagnostics=False,
                          other_events=(), run_daily=False)
out = compute_study(cfg)
FLANDERS = out.headline.teams[-1]  # the Flanders total comes after the teams
display(Markdown(
    f"> **Data kind: `{out.data_kind}`** — {plots.KIND_CAPTIONS.get(out.data_kind, '')}. "
    f"Input `{cfg.calls.relative_to(ROOT)}` (SHA-256 `{out.data_sha256[:12]}…`)."
))

# %% [markdown]
# ## The study's baseline per team
#
# Fitted on the pre-period of the headline events. Months inside earlier event windows are
# left out of the fit (marked); known capacity, registration and pandemic changes enter as
# breaks.

# %%
team_estimates = [e for e in out.headline.estimates if e.team != FLANDERS]
first = team_estimates[0]
display(Markdown(
    f"Baseline `{cfg.baseline.label}` (exposure: {cfg.baseline.exposure or 'none'}), "
    f"fitted per team on {first.baseline.history.index[0]} to "
    f"{first.baseline.history.index[-1]}; post-period {first.post_start} to "
    f"{first.post_end}."
))
display(pd.DataFrame([
    {
        "team": e.team,
        "fitted_periods": int((~e.baseline.excluded).sum()),
        "excluded_periods": int(e.baseline.excluded.sum()),
        "dispersion": e.baseline.dispersion,
        "residual_autocorrelation": e.baseline.residual_autocorrelation,
        "fit_warnings": len(e.baseline.warnings),
        "method": e.baseline.method,
    }
    for e in team_estimates
]).set_index("team"))

# %%
fig, axes = plt.subplots(int(np.ceil(len(team_estimates) / 2)), 2,
                         figsize=(11, 2.5 * np.ceil(len(team_estimates) / 2)), sharex=True)
axes = np.atleast_1d(axes).ravel()
for ax, e in zip(axes, team_estimates, strict=False):
    e.baseline.plot(ax=ax)
    ax.set_title(e.team, fontsize=9)
for ax in axes[len(team_estimates):]:
    ax.set_visible(False)
fig.tight_layout(rect=(0, 0.03, 1, 1))
plots.stamp_figure(fig, data_kind=out.data_kind, figure_id="baseline_fits_by_team")
display(fig)
plt.close(fig)

# %% [markdown]
# ### Residual checks of the fitted baselines
#
# Overdispersion left for the family, autocorrelation (Ljung-Box) and remaining
# month-of-year pattern of the Pearson residuals.

# %%
if diagnostics is not None:
    residual_checks = [
        diagnostics.check_residuals(e.baseline, team=e.team, data_kind=e.data_kind)
        for e in team_estimates
    ]
    flagged = [r.team for r in residual_checks if not r.is_ok]
    display(Markdown(
        f"Teams with a flagged residual check: {', '.join(flagged) or 'none'} "
        f"(of {len(residual_checks)}, at alpha = {residual_checks[0].alpha}).\n\n"
        + "\n\n".join(f"* {r.summary().text}" for r in residual_checks)
    ))
    display(pd.concat([r.to_frame().assign(team=r.team) for r in residual_checks],
                      ignore_index=True).query("check != 'acf'"))
else:
    print("NOTE: residual checks need impact.diagnostics, which is not available.")

# %% [markdown]
# ## Rolling-origin backtests on each pre-period
#
# Candidates: the study's baseline, the same model with the other count families, with
# Fourier instead of month effects, and the seasonal naive forecast (the floor). The
# time-series families (structural, SARIMA, ETS) are too slow to backtest at every origin
# here; they are compared with the headline in the sensitivity grid of
# `07_robustness.py`.

# %%
if diagnostics is not None:
    context = out.headline_context
    candidates = list(dict.fromkeys(
        [cfg.baseline]
        + [dataclasses.replace(cfg.baseline, family=f)
           for f in ("negbin", "quasipoisson", "poisson")]
        + [dataclasses.replace(cfg.baseline, seasonality="fourier"),
           dataclasses.replace(cfg.baseline, family="seasonal_naive")]
    ))
    comparisons = {}
    for e in out.headline.estimates:
        series = to_series(out.calls, e.team)
        comparisons[e.team] = diagnostics.compare_baselines(
            series.loc[e.frame.index[0]: e.post_start - 1], candidates, level=cfg.level,
            seed=cfg.seed, context=context.filter(scope=e.team), team=e.team,
            data_kind=out.data_kind,
        )
    choice = pd.DataFrame([
        {
            "team": team,
            "chosen_by_backtest": c.chosen_label,
            "study_baseline": cfg.baseline.label,
            "study_mase": c.table.loc[cfg.baseline.label, "mase"],
            "study_coverage": c.table.loc[cfg.baseline.label, "coverage"],
            "study_bias": c.table.loc[cfg.baseline.label, "bias"],
            "chosen_mase": c.table.loc[c.chosen_label, "mase"],
            "chosen_coverage": c.table.loc[c.chosen_label, "coverage"],
        }
        for team, c in comparisons.items()
    ]).set_index("team")
    agree = choice.index[choice["chosen_by_backtest"] == choice["study_baseline"]].tolist()
    level_pct = f"{cfg.level:.0%}"
    display(Markdown(
        f"**Rule:** {diagnostics.CHOICE_RULE}.\n\n"
        f"The backtest picks the study's baseline `{cfg.baseline.label}` for "
        f"{len(agree)} of {len(choice)} series ({', '.join(agree) or 'none'}). Coverage of "
        f"the study baseline's monthly {level_pct} prediction intervals ranges from "
        f"{choice['study_coverage'].min():.1%} to {choice['study_coverage'].max():.1%}; its "
        f"MASE from {choice['study_mase'].min():.2f} to {choice['study_mase'].max():.2f} "
        "(below 1: better than the in-sample seasonal naive). Where another baseline wins, "
        "the headline's sensitivity to the baseline family is in `07_robustness.py`."
    ))
    display(choice)
else:
    print("NOTE: backtests need impact.diagnostics, which is not available.")

# %%
if diagnostics is not None:
    for team, c in comparisons.items():
        display(Markdown(f"### {team}\n\n{c.summary().text}"))
        display(c.table[["family", "mae", "mase", "bias", "coverage", "cumulative_coverage",
                         "interval_width", "n_forecasts", "n_failed_origins", "is_eligible",
                         "rank", "is_chosen"]])

# %%
if diagnostics is not None:
    teams = list(comparisons)
    fig, axes = plt.subplots(int(np.ceil(len(teams) / 2)), 2,
                             figsize=(11, 3.0 * np.ceil(len(teams) / 2)))
    axes = np.atleast_1d(axes).ravel()
    for ax, team in zip(axes, teams, strict=False):
        comparisons[team].plot(ax=ax)
    for ax in axes[len(teams):]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    plots.stamp_figure(fig, data_kind=out.data_kind, figure_id="baseline_backtests")
    display(fig)
    plt.close(fig)
