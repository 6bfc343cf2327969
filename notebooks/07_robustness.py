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
# # Robustness of the headline estimate
#
# How much should one trust the Pichal + *Godvergeten* estimate of `03_pichal_godvergeten.py`?
#
# * **Placebo-in-time:** the same estimator, with a post-period of the same length placed
#   at earlier months without registered events. How often does it "find" an effect where
#   there is none (an empirical false-positive rate), and where does the real estimate rank
#   among the placebos (a calibrated p-value)?
# * **Sensitivity:** the headline re-estimated with other pre-period starts, with months
#   just before the event left out, with other baseline families, and without the known
#   capacity breaks (a specification curve).
# * **Residual and capacity checks** and a verdict with a stated rule. (Backtests of the
#   baseline are in `02_baselines_and_backtests.py`.)
#
# The full bundle runs here on the Flanders total; the placebo check also runs per team.
# `python -m impact run study.toml` runs the bundle for every team (figure `F07`). All
# numbers are read from the result objects.

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
from impact.estimation import EffectSetup, estimate_effect, seed_for
from impact.io import to_series
from impact.study import compute_study, load_study

try:
    from impact import diagnostics
except ImportError as exc:  # the diagnostics module is added by its own issue
    diagnostics = None
    print(f"NOTE: impact.diagnostics is not importable ({exc}); the checks are skipped.")

# caveats are shown from the result objects (summary texts), not as warnings
warnings.filterwarnings("ignore", category=ImpactWarning)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 100)

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
# ## All checks on the Flanders total

# %%
headline_events = out.registry.filter(ids=cfg.headline_events)
context = out.headline_context
if diagnostics is not None:
    # one baseline on the summed series, on the random stream the checks use for this team
    flanders_estimate = estimate_effect(
        to_series(out.calls, FLANDERS), headline_events, spec=cfg.baseline,
        context=context.filter(scope=FLANDERS), level=cfg.level,
        seed=seed_for(cfg.seed, FLANDERS, "+".join(headline_events.ids)),
        post_end=cfg.post_end, pre_start=cfg.pre_start, team=FLANDERS, data_kind=out.data_kind,
    )
    check = diagnostics.check_effect(
        flanders_estimate, seed=cfg.seed,
        backtest=False,  # backtests: 02_baselines_and_backtests.py
    )
    study_total = out.headline[FLANDERS]
    display(Markdown(
        f"**Verdict: {check.verdict}.** {check.summary().text}\n\n"
        f"These checks fit one baseline to the summed Flanders series "
        f"({check.estimate.relative_effect:+.1%}); the study's Flanders estimate sums the team "
        f"counterfactuals ({study_total.relative_effect:+.1%}), so the two can differ "
        f"slightly. Bundle run time {check.seconds:.0f} s."
    ))
    display(check.summary())
    fig = check.plot()  # stamped with the data kind by the library
    display(fig)
    plt.close(fig)
else:
    print("NOTE: the robustness checks need impact.diagnostics, which is not available.")

# %% [markdown]
# ### Placebo windows

# %%
if diagnostics is not None:
    placebo = check.placebo
    display(Markdown(
        f"{placebo.n_placebos} placebo windows ({placebo.n_failed} failed). "
        + placebo.verdict_text()
    ))
    display(placebo.to_frame())

# %% [markdown]
# ### Specification curve

# %%
if diagnostics is not None:
    sens = check.sensitivity
    failed = sens.to_frame().query("is_failed")
    display(Markdown(
        f"Sensitivity: {sens.range_text()} "
        + ("Failed specifications: "
           + "; ".join(f"`{r.spec_label}`: {r.error}" for r in failed.itertuples())
           if len(failed) else "")
    ))
    display(sens.to_frame()[["spec_label", "dimension", "family", "pre_start", "buffer",
                             "use_breaks", "n_fit", "relative_effect", "relative_effect_lower",
                             "relative_effect_upper", "cumulative_effect", "is_headline",
                             "is_failed"]])

# %% [markdown]
# ### Residuals and capacity

# %%
if diagnostics is not None:
    display(Markdown(f"{check.residuals.summary().text}\n\n{check.capacity.summary().text}"))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.2))
    check.residuals.plot(ax=left)
    check.capacity.plot(ax=right)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    plots.stamp_figure(fig, data_kind=out.data_kind, figure_id="headline_residuals_capacity")
    display(fig)
    plt.close(fig)

# %% [markdown]
# ## Placebo-in-time per team
#
# Team series are small and noisy: the placebo distribution shows how large an "effect" the
# estimator produces by chance in each team. The study's team estimates are reused as the
# real estimates.

# %%
if diagnostics is not None:
    team_placebos = {
        e.team: diagnostics.placebo_in_time(
            # the study's estimate with the setup the placebos re-run (the team's own series)
            dataclasses.replace(e, setup=EffectSetup(
                series=to_series(out.calls, e.team), events=headline_events.filter(scope=e.team),
                spec=cfg.baseline, context=context.filter(scope=e.team), level=cfg.level,
                post_end=cfg.post_end, pre_start=cfg.pre_start, team=e.team,
                data_kind=out.data_kind,
            )),
            seed=cfg.seed,
        )
        for e in out.headline.estimates if e.team != FLANDERS
    }
    placebo_table = pd.DataFrame([
        {
            "team": team,
            "relative_effect": p.real_relative_effect,
            "relative_effect_lower": p.real_relative_effect_lower,
            "relative_effect_upper": p.real_relative_effect_upper,
            "rank": p.rank,
            "n_placebos": p.n_placebos,
            "p_value_one_sided": p.p_value_one_sided,
            "false_positive_rate": p.false_positive_rate,
            "n_excluding_zero": int(p.to_frame().query("~is_real and ~is_failed")
                                    ["is_excluding_zero"].sum()),
        }
        for team, p in team_placebos.items()
    ]).set_index("team")
    pooled_n = int(placebo_table["n_placebos"].sum())
    pooled_fp = int(placebo_table["n_excluding_zero"].sum())
    display(Markdown(
        f"Pooled over the teams, {pooled_fp} of {pooled_n} placebo {cfg.level:.0%} intervals "
        f"exclude zero ({pooled_fp / max(pooled_n, 1):.1%}; nominal {1 - cfg.level:.0%}; "
        "the windows overlap, so they are not independent). Teams whose real effect ranks "
        f"first among its placebos: "
        f"{', '.join(placebo_table.index[placebo_table['rank'] == 1]) or 'none'}.\n\n"
        + "\n".join(f"* **{team}**: {p.verdict_text()}" for team, p in team_placebos.items())
    ))
    display(placebo_table)

# %%
if diagnostics is not None:
    teams = list(team_placebos)
    fig, axes = plt.subplots(int(np.ceil(len(teams) / 2)), 2,
                             figsize=(11, 2.8 * np.ceil(len(teams) / 2)))
    axes = np.atleast_1d(axes).ravel()
    for ax, team in zip(axes, teams, strict=False):
        team_placebos[team].plot(ax=ax)
        ax.set_title(team, fontsize=9)
    for ax in axes[len(teams):]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    plots.stamp_figure(fig, data_kind=out.data_kind, figure_id="team_placebo_distributions")
    display(fig)
    plt.close(fig)
