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
# # Reported problems and their trends (Q2, Q3)
#
# Which problems (child abuse, partner violence, violence between adults, separation,
# sexual violence, …) were reported to 1712, per team, and how did they change over the
# years?
#
# Two sources, never mixed:
#
# * **published figures** (data kind `published`): Flanders-level counts and shares from
#   public sources. They come on different *bases* (calls, victims, questions, contacts,
#   registered forms) and labels changed over the years; a comparison is made only within
#   one base, and every caveat is shown next to it;
# * **per-team categories**: no per-team category table is public. With the synthetic
#   panel the study draws a synthetic category split (labelled `synthetic`); with real data
#   this part needs a real category table. Small cells are suppressed before display.
#
# All numbers are read from the result objects.

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
from impact import problems as P
from impact.study import compute_study, load_study

# caveats are shown from the result objects (summary texts, caveat columns), not as warnings
warnings.filterwarnings("ignore", category=ImpactWarning)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 120)

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").is_file())
cfg = dataclasses.replace(load_study(ROOT / "study.toml"), run_diagnostics=False,
                          other_events=(), run_daily=False)
out = compute_study(cfg)
display(Markdown(
    f"> **Data kind of the call table: `{out.data_kind}`** — "
    f"{plots.KIND_CAPTIONS.get(out.data_kind, '')}. The published figures below are "
    "`published` whatever the call table is."
))

# %% [markdown]
# ## Published problem figures per year (data kind `published`)

# %%
series = out.problems["published_series"]
series_frame = series.to_frame()
bases = series_frame.groupby("base")["year"].agg(lambda y: ", ".join(map(str, sorted(set(y)))))
display(Markdown(
    f"**{out.tables['T05_published_problems'].title}** (table `T05`): {len(series_frame)} "
    f"published figures on {series_frame['category'].nunique()} categories, on the bases "
    + "; ".join(f"`{b}` ({yrs})" for b, yrs in bases.items())
    + "."
))
display(series.summary())

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
series.plot(ax=left, measure="share")
series.plot(ax=right, measure="count")
fig.tight_layout(rect=(0, 0.05, 1, 1))
plots.stamp_figure(fig, data_kind="published", figure_id="published_problem_series")
display(fig)
plt.close(fig)

# %% [markdown]
# ### Changes between years, on the same base only
#
# Each comparison states its base in both years, the range the published rounding allows
# (the figures are census counts of registered contacts, not samples: they have no
# sampling interval) and its caveats (label changes, registration changes, other figures
# for the same years that were not used). A comparison that would mix bases is refused.

# %%
changes = out.table("T06_published_problem_changes")
refused = changes["caveats"].astype(str).str.startswith("refused")
lines = []
for r in changes[~refused].itertuples():
    if r.change_kind == "share_difference":
        lines.append(
            f"* **{r.category}** ({r.base_first}): {r.value_first:.1%} in {r.year_first} "
            f"({r.source_id_first}) vs {r.value_second:.1%} in {r.year_second} "
            f"({r.source_id_second}), a difference of {100 * r.change:+.1f} points "
            f"({100 * r.change_lower:+.1f} to {100 * r.change_upper:+.1f})"
            + ("; spans a label change" if r.spans_label_change else "")
            + ("; may span a change of registration categories"
               if getattr(r, "spans_registration_change", False) else "")
        )
    else:
        lines.append(
            f"* **{r.category}** ({r.base_first}): {r.value_first:,.0f} in {r.year_first} "
            f"({r.source_id_first}) vs {r.value_second:,.0f} in {r.year_second} "
            f"({r.source_id_second}), ratio {r.change:.2f} ({r.change_lower:.2f} to "
            f"{r.change_upper:.2f})"
            + (f"; relative to all {r.base_first}: {r.rate_ratio_per_base:.2f} "
               f"({r.rate_ratio_per_base_lower:.2f} to {r.rate_ratio_per_base_upper:.2f})"
               if pd.notna(r.rate_ratio_per_base) else "")
            + ("; spans a label change" if r.spans_label_change else "")
        )
lines += [f"* **{r.category}**: {r.caveats}" for r in changes[refused].itertuples()]
display(Markdown(
    f"**{out.tables['T06_published_problem_changes'].title}** (table `T06`, "
    "ranges from the rounding of the published figures; census counts, no sampling "
    "interval):"
    "\n\n" + "\n".join(lines)
))
display(changes[["category", "measure", "year_first", "year_second", "base_first",
                 "base_second", "change_kind", "change", "change_lower", "change_upper",
                 "spans_label_change", "caveats"]])

# %% [markdown]
# ## Problem categories per team
#
# Counts by team × category can be small and concern victims of abuse: cells below the
# suppression threshold of `study.toml`, and the secondary cells that would reveal them
# from the row and column totals, are blanked before anything is shown.

# %%
has_team_categories = "team_shares" in out.problems
if not has_team_categories:
    display(Markdown(
        f"> The call table is `{out.data_kind}` and has no per-team category split, so no "
        "per-team categories are shown. A real team × category table is needed for this."
    ))
else:
    table = out.tables["T10_team_problem_counts"]
    counts, producer, kind, title = table.frame, table.producer, table.data_kind, table.title
    display(Markdown(
        f"> **Data kind: `{kind}`** — the per-team categories are a synthetic multinomial "
        "split of the synthetic panel at the published Flanders shares; they say nothing "
        "about real teams.\n\n"
        f"**{title}** (table `T10`, threshold {cfg.suppression_threshold}): "
        f"{int(counts['suppressed'].sum())} of {len(counts)} cells suppressed "
        f"({int((counts['suppression'] == 'primary').sum())} primary, "
        f"{int((counts['suppression'] == 'secondary').sum())} secondary)."
    ))
    display(counts.pivot(index="category", columns="team", values="count"))

# %%
if has_team_categories:
    shares = out.problems["team_shares"]
    shown = P.suppress_small_cells(shares.to_frame(), threshold=cfg.suppression_threshold)
    display(Markdown(f"{shares.summary().text} Suppressed cells are blank."))
    display(shown[["team", "period", "category", "count", "total", "share", "share_lower",
                   "share_upper", "suppression", "data_kind"]])

# %% [markdown]
# ## Trends per team and category

# %%
if has_team_categories:
    trends = out.problems["team_trends"]
    trend_frame = trends.to_frame()
    clear = trend_frame[(trend_frame["rate_of_change_lower"] > 0)
                        | (trend_frame["rate_of_change_upper"] < 0)]
    display(Markdown(
        f"{trends.summary().text}\n\n{len(clear)} of {len(trend_frame)} team × category "
        f"trends have a {trends.level:.0%} interval that excludes zero"
        + (": " + ", ".join(f"{r.team} / {r.category} ({r.rate_of_change:+.1%} a year)"
                            for r in clear.itertuples()) if len(clear) else "")
        + ". With many trends some intervals exclude zero by chance."
    ))
    display(trend_frame)
    teams = list(dict.fromkeys(trend_frame["team"]))
    fig, axes = plt.subplots(int(np.ceil(len(teams) / 2)), 2,
                             figsize=(11, 2.6 * np.ceil(len(teams) / 2)), sharex=True)
    axes = np.atleast_1d(axes).ravel()
    for ax, team in zip(axes, teams, strict=False):
        trends.plot(ax=ax, team=team)
    for ax in axes[len(teams):]:
        ax.set_visible(False)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    plots.stamp_figure(fig, data_kind=trends.data_kind, figure_id="team_problem_trends")
    display(fig)
    plt.close(fig)
