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
# # The Pichal case and *Godvergeten* (Q4, headline)
#
# What did the public arrest of radio presenter Sven Pichal and the Canvas docuseries
# *Godvergeten* do to the number of 1712 calls, per team and for Flanders?
#
# Two estimators, one question:
#
# * a **counterfactual forecast** per team: a seasonal count baseline fitted on the
#   pre-period forecasts the post-period; excess calls are observed minus counterfactual,
#   with simulation intervals. The Flanders total is the sum of the team paths, so team
#   effects add up to it;
# * an **interrupted time series** regression on the Flanders total: a rate ratio for the
#   event term with a Wald interval.
#
# The two events lie days apart and the data are monthly, so their separate effects are not
# identified; the library detects this and reports one joint effect. All numbers below are
# read from the result objects of `compute_study`.

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
from impact.events import check_identifiability
from impact.study import compute_study, load_study

# caveats are shown from the result objects (summary texts, out.warnings), not as warnings
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
# ## The events under study

# %%
headline_events = out.registry.filter(ids=cfg.headline_events)
display(headline_events.to_frame()[["id", "name", "kind", "start", "shape", "source"]])

# %% [markdown]
# ## Can the two events be told apart?
#
# The identifiability check compares the events' regressors at the data's resolution. At
# monthly resolution they are nearly collinear; the same check on a daily index of the same
# span shows that daily counts would separate them.

# %%
monthly_index = pd.PeriodIndex(sorted(out.calls["month"].unique()), freq="M")
daily_index = pd.period_range(monthly_index[0].start_time, monthly_index[-1].end_time,
                              freq="D")
monthly_report = check_identifiability(headline_events, monthly_index)
daily_report = check_identifiability(headline_events, daily_index)
display(Markdown(
    f"**Monthly data** ({monthly_report.resolution}): {monthly_report}\n\n"
    f"**Daily data** ({daily_report.resolution}): {daily_report}"
))
display(pd.concat([monthly_report.to_frame(), daily_report.to_frame()], ignore_index=True))

# %% [markdown]
# ## Counterfactual estimate per team and for Flanders

# %%
total = out.headline[FLANDERS]
pct = f"{total.level:.0%}"
display(Markdown(
    f"**Flanders, {total.event} ({total.post_start} to {total.post_end}):** "
    f"{total.cumulative_effect:+,.0f} calls against the counterfactual ({pct} simulation "
    f"interval {total.cumulative_effect_lower:+,.0f} to {total.cumulative_effect_upper:+,.0f}), "
    f"a relative effect of {total.relative_effect:+.1%} ({total.relative_effect_lower:+.1%} "
    f"to {total.relative_effect_upper:+.1%}); probability of a positive effect "
    f"{total.p_positive:.3f}. Baseline: `{total.spec.label}`. Data kind: `{total.data_kind}`."
))
display(out.headline.summary())

# %%
team_rows = out.headline.summary().table.drop(index=FLANDERS)
excluding_zero = team_rows[team_rows["cumulative_effect_lower"] > 0].index.tolist()
display(Markdown(
    f"Teams whose {pct} interval lies above zero: {', '.join(excluding_zero) or 'none'} "
    f"(of {len(team_rows)}). Team intervals are wide because teams are small; the Flanders "
    "total pools them through the same simulated paths, not by adding interval bounds. "
    f"Team effects add up to the total: "
    f"{team_rows['cumulative_effect'].sum():+,.1f} vs {total.cumulative_effect:+,.1f} calls."
))

# %%
n = len(out.headline.estimates)
fig, axes = plt.subplots((n + 1) // 2, 2, figsize=(10, 2.4 * ((n + 1) // 2)), sharex=True)
axes = np.atleast_1d(axes).ravel()
for ax, estimate in zip(axes, out.headline.estimates, strict=False):
    plots.plot_effect(estimate, ax=ax)
    ax.set_xlim(pd.Timestamp(year=cfg.year - 2, month=1, day=1), None)
for ax in axes[n:]:
    ax.set_visible(False)
fig.tight_layout(rect=(0, 0.03, 1, 1))
plots.stamp_figure(fig, data_kind=out.data_kind, figure_id="F02_headline_effect_by_team")
display(fig)
plt.close(fig)

# %%
ax = plots.plot_forest(out.headline)
ax.set_title(out.tables["T07_headline_effects"].title, fontsize=9)
ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
plots.stamp_figure(ax.figure, data_kind=out.data_kind, figure_id="F03_headline_forest")
display(ax.figure)
plt.close(ax.figure)

# %% [markdown]
# ## Cumulative excess calls in Flanders

# %%
cumulative = total.cumulative_frame()
display(cumulative)
ax = plots.plot_cumulative(total)
ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
plots.stamp_figure(ax.figure, data_kind=out.data_kind, figure_id="F04_headline_cumulative")
display(ax.figure)
plt.close(ax.figure)

# %% [markdown]
# ## Interrupted time series on the Flanders total

# %%
its = out.headline_its
level_row = its.effects[its.effects["term"] == "level"].iloc[0]
display(Markdown(
    f"**ITS ({its.spec.label}), {level_row['event']}:** rate ratio "
    f"{level_row['rate_ratio']:.3f} ({its.level:.0%} Wald interval "
    f"{level_row['rate_ratio_lower']:.3f} to {level_row['rate_ratio_upper']:.3f}), i.e. "
    f"{level_row['rate_ratio'] - 1:+.1%} calls in a month fully covered by the joint event "
    "term (a partly covered month gets the rate ratio raised to its exposure share); "
    f"expected excess {level_row['excess']:+,.0f} calls ({level_row['excess_lower']:+,.0f} "
    f"to {level_row['excess_upper']:+,.0f}); dispersion {its.dispersion:.2f}. "
    "The ITS excess is fitted counts with minus without the event term, from one model "
    "fitted on all months; the counterfactual effect is observed minus forecast counts over "
    f"{total.post_start} to {total.post_end}, from a baseline fitted on the pre-period only. "
    "The two estimands differ, so the numbers need not agree."
))
display(its.summary())
ax = its.plot()
ax.set_xlim(pd.Timestamp(year=cfg.year - 3, month=1, day=1), None)
ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
plots.stamp_figure(ax.figure, data_kind=out.data_kind, figure_id="headline_its_fit")
display(ax.figure)
plt.close(ax.figure)

# %% [markdown]
# ## Caveats recorded by the study
#
# The joint-effect message from the identifiability check, and every other note the study
# run recorded.

# %%
display(Markdown("\n".join(f"* {w}" for w in out.warnings) or "No notes recorded."))
display(Markdown("\n".join(f"* {w}" for w in total.warnings) or "No caveats on the estimate."))

# %% [markdown]
# ## The figure published at the time, in context (data kind `published`)
#
# The increase reported in the press compares a window of a few weeks after the events with
# the same weeks a year earlier. It is a naive year-on-year ratio: it ignores trend,
# seasonality and noise, and its window is not stated exactly. The counterfactual above
# answers a different question (excess over what the pre-period predicts for whole months).

# %%
claims = out.published[out.published["quantity"].str.contains("3_weeks")]
display(Markdown("\n".join(
    f"* {r.id} ({r.source_date}): {r.value:,.0f} {r.unit} — `{r.quantity}`; {r.note}"
    for r in claims.itertuples()
) or "No such published figure in the published data."))
display(claims[["id", "quantity", "value", "unit", "source_url", "source_date", "note"]])
