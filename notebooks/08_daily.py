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
# # Daily data: the Pichal case and *Godvergeten* told apart
#
# Monthly counts give only the *joint* effect of the Pichal case (public on Sunday 27 August
# 2023) and the *Godvergeten* episodes (from Tuesday 5 September 2023): the events share
# their months. With calls per day they can be separated, and the published "+31%" can be
# checked on its own three-week window. This notebook reads the daily table named in
# `study.toml` (`[daily]`), checks which events the data can tell apart, estimates each
# event's effect and their sum for the Flanders total, and compares the window with the
# same weekdays a year earlier. The study (`python -m impact run study.toml`) does the
# same per team (tables T18-T20, figure F08).

# %%
# %matplotlib inline
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from impact import ImpactWarning, plots
from impact.estimation import compare_window, estimate_effect
from impact.events import EventRegistry, check_identifiability, load_events
from impact.io import load_call_counts
from impact.plots.daily import plot_daily_effect
from impact.simulation import build_synthetic_daily_panel
from impact.study import load_study
from impact.study.daily import DAILY_SPEC, daily_events, daily_settings

# caveats are shown from the result objects (summary texts), not as warnings
warnings.filterwarnings("ignore", category=ImpactWarning)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").is_file())
cfg = load_study(ROOT / "study.toml")
daily = daily_settings(cfg)
calls = load_call_counts(daily.calls, kind=cfg.data_kind, resolution="daily")
kind = calls.attrs["kind"]
display(Markdown(
    f"> **Data kind: `{kind}`** — {plots.KIND_CAPTIONS.get(kind, '')}. "
    f"Input `{daily.calls.relative_to(ROOT)}` (SHA-256 `{calls.attrs['sha256'][:12]}…`), "
    f"{len(calls):,} team-days."
))

# %% [markdown]
# ## The daily table
#
# One row per team and day; closed days (weekends, public holidays) are zeros. The
# synthetic daily panel is the monthly demo panel split over days: summed per month it
# gives the monthly table back exactly.

# %%
display(calls.head())
per_month = calls.groupby(["team", calls["day"].dt.asfreq("M").rename("month")])["calls"].sum()
monthly = load_call_counts(cfg.calls, kind=cfg.data_kind).set_index(["team", "month"])["calls"]
display(Markdown(
    f"Daily calls summed per team and month equal the monthly table: "
    f"**{bool(per_month.reindex(monthly.index).eq(monthly).all())}**."
))
weekday = calls.groupby(calls["day"].dt.day_of_week)["calls"].mean()
weekday.index = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
display(weekday.rename("mean calls per team and day").to_frame().T.round(2))

# %% [markdown]
# ## Which events can be told apart?
#
# Each event is modelled as a decay from its date (`[daily] half_life_days`); the check
# compares the events' regressors on monthly and on daily periods of the fitting window.

# %%
registry = load_events(cfg.events)
events = daily_events(registry, daily)
pre_start = daily.pre_start or str(calls["day"].min())
post_end = daily.post_end or str(calls["day"].max())
for freq in ("M", "D"):
    report = check_identifiability(events, pd.period_range(pre_start, post_end, freq=freq))
    display(Markdown(f"**{report.resolution}**: {report.summary().text}"))

# %% [markdown]
# ## Separate effects for Flanders
#
# The counterfactual baseline is fitted on the daily total before the first event; the
# joint excess after it is split among the events (`estimate.separate`), with intervals
# from the same joint paths, so the components add up to their sum.

# %%
total = calls.groupby("day")["calls"].sum().rename("calls")
total.attrs["kind"] = kind
skip = {*events.ids, *cfg.headline_events, *cfg.headline_related}
context = EventRegistry([e for e in registry if e.id not in skip])
estimate = estimate_effect(total, events, spec=DAILY_SPEC, context=context,
                           pre_start=pre_start, post_end=post_end, level=cfg.level,
                           seed=cfg.seed, n_paths=1000, separate=True, team=cfg.total)
separate = estimate.separate
display(Markdown(separate.summary().text))
display(separate.to_frame().round(3))

# %%
if kind == "synthetic":
    first_day = str(separate.post_start)
    truth = build_synthetic_daily_panel(seed=cfg.seed).window_truth(first_day, post_end)
    truth = truth[(truth["team"] == "Flanders") & truth["event"].isin(events.ids)]
    display(Markdown("The true injected effects over the same days (synthetic data only):"))
    display(truth[["event", "true_excess", "relative_effect"]].round(3))

# %%
fig, ax = plt.subplots(figsize=(8, 3.2))
separate.plot(ax=ax)
plots.stamp_figure(fig, data_kind=kind)

# %% [markdown]
# ## The published comparison on its own window
#
# Calls in the window against the same weekdays a year earlier (the kind of figure that
# was published), beside the counterfactual effect over the same days.

# %%
w0, w1 = daily.window
started = EventRegistry([e for e in events if e.start <= pd.Timestamp(w1)])
window_estimate = estimate_effect(total, started, spec=DAILY_SPEC, context=context,
                                  pre_start=pre_start, post_end=w1, level=cfg.level,
                                  seed=cfg.seed, n_paths=1000, team=cfg.total)
comparison = compare_window(total, w0, w1, estimate=window_estimate, level=cfg.level,
                            seed=cfg.seed, team=cfg.total, data_kind=kind)
display(Markdown(comparison.summary().text))
display(comparison.to_frame())

# %%
ax = plot_daily_effect(
    estimate, events={f"{e.id} {e.start:%d %b}": e.start for e in events}, window=daily.window,
    start=pd.Period(w0, "D") - 21, end=pd.Period(w1, "D") + 42,
    title=f"{cfg.total}: calls per day and counterfactual",
)
plots.stamp_figure(ax.figure, data_kind=kind)
