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
# # Calls per team and month, and the published annual series (Q1)
#
# How many calls came in per team and per month in the study year, how does that compare
# with earlier years, and what do the public sources say about the annual totals?
#
# The monthly team table comes from the call-count file named in `study.toml`; its data
# kind (real or synthetic) is shown in the banner below and stamped on every figure. The
# annual series is built from `data/published/` only and is labelled `published`, one
# source id per number. Every number in the text is read from the result objects.

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
                          other_events=(), run_daily=False)
out = compute_study(cfg)
FLANDERS = out.headline.teams[-1]  # the Flanders total comes after the teams
display(Markdown(
    f"> **Data kind: `{out.data_kind}`** — {plots.KIND_CAPTIONS.get(out.data_kind, '')}. "
    f"Input `{cfg.calls.relative_to(ROOT)}` (SHA-256 `{out.data_sha256[:12]}…`), "
    f"definition: {out.calls.attrs.get('definition', 'not recorded')}."
))

# %% [markdown]
# ## Calls per team and month in the study year

# %%
per_month = out.table("T03_calls_per_team_month").set_index("month")
years = out.table("T01_calls_per_team_year")
flanders = years[years["team"] == FLANDERS].set_index("year")
this_year = flanders.loc[cfg.year]
busiest = per_month.drop(columns=FLANDERS).sum().sort_values(ascending=False)
display(Markdown(
    f"**{out.tables['T03_calls_per_team_month'].title}** (table `T03`, data kind "
    f"`{out.tables['T03_calls_per_team_month'].data_kind}`). Flanders total in {cfg.year}: "
    f"{this_year['calls']:,.0f} calls over {this_year['months']:.0f} months; the largest "
    f"team is {busiest.index[0]} ({busiest.iloc[0]:,.0f}, "
    f"{busiest.iloc[0] / this_year['calls']:.1%} of the total), the smallest "
    f"{busiest.index[-1]} ({busiest.iloc[-1]:,.0f}). The busiest Flanders month was "
    f"{per_month[FLANDERS].idxmax()} ({per_month[FLANDERS].max():,.0f} calls)."
))
display(per_month)

# %%
fig = plots.plot_calls_overview(out.calls, data_kind=out.data_kind,
                                figure_id="F01_calls_per_team_month")
display(fig)
plt.close(fig)

# %% [markdown]
# ## Totals per year and change against the previous year
#
# The change is only computed between two complete calendar years.

# %%
prev = flanders.loc[cfg.year - 1] if cfg.year - 1 in flanders.index else None
display(Markdown(
    f"**{out.tables['T01_calls_per_team_year'].title}** (table `T01`). "
    + (
        f"Flanders {cfg.year} against {cfg.year - 1}: {this_year['calls']:,.0f} vs "
        f"{prev['calls']:,.0f} calls, a change of {this_year['change_vs_previous_year']:+.1%}. "
        if prev is not None else f"No data for {cfg.year - 1}. "
    )
    + "A change between years mixes need with capacity (opening hours, chat, staff): "
    "counts are answered contacts, capped by capacity."
))
display(years.pivot(index="year", columns="team", values="calls"))
display(Markdown("Change against the previous year, in percent:"))
display(years.pivot(index="year", columns="team", values="change_vs_previous_year")
        .mul(100).round(1))

# %%
ax = plots.plot_seasonal_profile(out.table("T04_seasonal_profile"))
ax.set_title(out.tables["T04_seasonal_profile"].title, fontsize=9)
ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
plots.stamp_figure(ax.figure, data_kind=out.data_kind, figure_id="F05_seasonal_profile")
display(ax.figure)
plt.close(ax.figure)

# %% [markdown]
# ## The published annual series (data kind `published`)
#
# One row per year, with the definition the source uses (calls received, calls answered,
# unique calls), the source id in `data/published/published_figures.csv`, its URL and the
# caveat to quote. Years without a published total stay empty: they are not interpolated.

# %%
annual = out.table("T02_published_annual_calls")
known = annual.dropna(subset=["calls"])
latest = known.iloc[-1]
missing = annual.loc[annual["calls"].isna(), "year"].tolist()
definitions = known.groupby("definition")["year"].agg(lambda y: ", ".join(map(str, y)))
display(Markdown(
    f"**{out.tables['T02_published_annual_calls'].title}** (table `T02`). The latest published "
    f"total is {latest['calls']:,.0f} for {latest['year']} ({latest['definition']}, source "
    f"{latest['source_id']}). Years without a published total: "
    f"{', '.join(map(str, missing)) or 'none'}. Definitions used: "
    + "; ".join(f"`{d}` ({yrs})" for d, yrs in definitions.items())
    + ". Totals on different definitions are not strictly comparable."
))
display(annual[["year", "calls", "definition", "source_id", "source_url", "is_partial_year",
                "is_approximate", "has_conflict", "alternatives", "caveat"]])

# %%
ax = plots.plot_published_annual(annual)
ax.set_title(out.tables["T02_published_annual_calls"].title, fontsize=9)
ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
plots.stamp_figure(ax.figure, data_kind="published", figure_id="F06_published_annual_calls")
display(ax.figure)
plt.close(ax.figure)

# %% [markdown]
# ## Monthly table against the published totals
#
# For a synthetic panel the annual Flanders totals are imposed to equal the published ones
# (a calibration check); for real data this shows whether the monthly table and the
# published totals count the same thing.

# %%
check = (
    flanders[["calls", "months"]].rename(columns={"calls": f"calls ({out.data_kind})"})
    .join(annual.set_index("year")[["calls", "definition", "source_id"]]
          .rename(columns={"calls": "calls (published)"}), how="left")
)
check["difference"] = check[f"calls ({out.data_kind})"] - check["calls (published)"]
matched = check.dropna(subset=["difference"])
display(Markdown(
    f"Years with both figures: {len(matched)}; largest absolute difference "
    f"{matched['difference'].abs().max():,.0f} calls."
))
display(check)
