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
# # Other campaigns and news events (Q4)
#
# What did the other registered campaigns and news events do to the number of calls? Each
# event listed under `[other_events]` in `study.toml` is estimated with the same
# counterfactual method as the headline (a seasonal count baseline fitted on the months
# before the event, forecast over a fixed number of months from the event's month), per
# team and for Flanders. Every other registered event is context: breaks are baseline terms,
# earlier event windows are left out of the fit.
#
# An event too close to the start or end of the data is skipped, with a note. All numbers
# are read from the result objects.

# %%
# %matplotlib inline
import dataclasses
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from impact import ImpactWarning, plots
from impact.study import compute_study, load_study

# caveats are shown from the result objects (summary texts, out.warnings), not as warnings
warnings.filterwarnings("ignore", category=ImpactWarning)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").is_file())
cfg = dataclasses.replace(load_study(ROOT / "study.toml"), run_diagnostics=False,
                          run_daily=False)
out = compute_study(cfg)
FLANDERS = out.headline.teams[-1]  # the Flanders total comes after the teams
display(Markdown(
    f"> **Data kind: `{out.data_kind}`** — {plots.KIND_CAPTIONS.get(out.data_kind, '')}. "
    f"Input `{cfg.calls.relative_to(ROOT)}` (SHA-256 `{out.data_sha256[:12]}…`)."
))

# %% [markdown]
# ## The events

# %%
other_events = out.registry.filter(ids=cfg.other_events)
listed = other_events.to_frame()[["id", "name", "kind", "start", "end", "shape", "source"]]
listed["estimated"] = listed["id"].isin(list(out.other_effects))
display(Markdown(
    f"{len(cfg.other_events)} events configured, {len(out.other_effects)} estimated over "
    f"{cfg.other_post_months} months from the event's month."
))
display(listed)
skipped = [w for w in out.warnings if "skipped" in w]
if skipped:
    display(Markdown("**Skipped:**\n\n" + "\n".join(f"* {w}" for w in skipped)))

# %% [markdown]
# ## Effects per event, team and Flanders

# %%
if "T09_other_events" in out.tables:
    table = out.tables["T09_other_events"]
    frame, producer, kind, title = table.frame, table.producer, table.data_kind, table.title
    display(Markdown(f"**{title}** (table `T09`, producer `{producer}`, data kind `{kind}`)."))
    display(frame)
else:
    display(Markdown("No other event could be estimated (see the notes above)."))

# %%
flanders_rows = pd.DataFrame([
    {
        "event": eid,
        "name": table[FLANDERS].event_names,
        "post_start": str(table[FLANDERS].post_start),
        "post_end": str(table[FLANDERS].post_end),
        "cumulative_effect": table[FLANDERS].cumulative_effect,
        "cumulative_effect_lower": table[FLANDERS].cumulative_effect_lower,
        "cumulative_effect_upper": table[FLANDERS].cumulative_effect_upper,
        "relative_effect": table[FLANDERS].relative_effect,
        "relative_effect_lower": table[FLANDERS].relative_effect_lower,
        "relative_effect_upper": table[FLANDERS].relative_effect_upper,
        "p_positive": table[FLANDERS].p_positive,
    }
    for eid, table in out.other_effects.items()
])
if len(flanders_rows):
    above = flanders_rows[flanders_rows["cumulative_effect_lower"] > 0]
    below = flanders_rows[flanders_rows["cumulative_effect_upper"] < 0]
    level = next(iter(out.other_effects.values()))[FLANDERS].level
    display(Markdown(
        f"For Flanders, {len(above)} of {len(flanders_rows)} events have a {level:.0%} "
        f"interval above zero ({', '.join(above['event']) or 'none'}) and {len(below)} below "
        f"zero ({', '.join(below['event']) or 'none'}). An interval that includes zero does "
        "not show that an event had no effect: monthly team counts are noisy and a short "
        "campaign covers only part of a month."
    ))
    display(flanders_rows)

# %% [markdown]
# ## Per event: summary and Flanders counterfactual

# %%
for eid, table in out.other_effects.items():
    display(Markdown(f"### {eid}: {table[FLANDERS].event_names}"))
    display(table.summary())
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.2))
    plots.plot_effect(table[FLANDERS], ax=left)
    left.set_xlim(pd.Timestamp(table[FLANDERS].post_start.start_time) - pd.DateOffset(years=2),
                  None)
    plots.plot_forest(table, ax=right)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    plots.stamp_figure(fig, data_kind=out.data_kind, figure_id=f"other_event_{eid}")
    display(fig)
    plt.close(fig)
