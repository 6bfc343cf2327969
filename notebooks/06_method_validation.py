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
# # Checks on the method itself
#
# Two checks that do not depend on the 1712 data:
#
# 1. **A published interrupted time series, reproduced.** The Sicily smoking-ban series of
#    Lopez Bernal, Cummins & Gasparrini (2017) is public, and so are its rate ratios. The
#    library's `fit_its` is run on it with the tutorial's models, and its rate ratios are
#    shown next to the published ones.
# 2. **A simulation benchmark.** Effects of known size on simulated 1712-like count series:
#    bias, interval coverage, false-positive rate and time per series, for each estimator
#    (`benchmarks/run_benchmark.py`).
#
# The Sicily file lives next to the repository, in `../shared/validation/sicily/`; where it
# is absent that part is skipped with a note.

# %%
# %matplotlib inline
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from impact import ImpactWarning, plots
from impact.baselines import BaselineSpec
from impact.estimation import fit_its
from impact.events import Event

warnings.filterwarnings("ignore", category=ImpactWarning)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)

ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").is_file())
SICILY = ROOT.parent / "shared" / "validation" / "sicily" / "sicily.csv"
BENCHMARK = ROOT / "benchmarks" / "results" / "benchmark.md"
BENCHMARK_QUICK = ROOT / "benchmarks" / "results" / "benchmark_quick.md"
display(Markdown(
    "> **Data kind: `published` validation data and `synthetic` simulations** — nothing in "
    "this notebook is 1712 data."
))

# %% [markdown]
# ## 1. The Sicily smoking ban (Lopez Bernal et al. 2017)
#
# Monthly acute coronary events (hospital admissions) in Sicily before and after a smoking
# ban; the offset is the log of the age-standardised population. Source:
# Lopez Bernal J, Cummins S, Gasparrini A. *Interrupted time series regression for the
# evaluation of public health interventions: a tutorial.* International Journal of
# Epidemiology 2017;46(1):348–355, doi:10.1093/ije/dyw098 (model definition corrected in
# IJE 2020;49(4):1414); data and code: GitHub `gasparrini/2017_lopezbernal_IJE_codedata`.
#
# **The literature's values** (rate ratio of the ban with 95% confidence interval, from the
# authors' corrected code, as recorded in `../shared/validation/sicily/README.md`):
#
# | model | rate ratio (95% CI) | dispersion |
# |---|---|---|
# | Poisson | 0.8944 (0.8647–0.9251) | 1 |
# | quasi-Poisson | 0.8944 (0.8392–0.9532) | 3.559 |
# | quasi-Poisson + 2 Fourier harmonics (main model) | 0.8851 (0.8394–0.9332) | 2.262 |
# | main model + slope change centred at the ban | level 0.8765 (0.8268–0.9292) | 2.275 |
# | (same model, slope term) | slope 1.0015 per month | |
#
# Below, the same models fitted by `impact.estimation.its.fit_its` (linear trend, step at the ban,
# offset `log(stdpop)`).

# %%
if SICILY.is_file():
    sicily = pd.read_csv(SICILY)
    sicily_index = pd.PeriodIndex(
        pd.to_datetime(sicily[["year", "month"]].assign(day=1)), freq="M", name="month"
    )
    aces = pd.Series(sicily["aces"].to_numpy(), index=sicily_index, name="aces")
    stdpop = pd.Series(sicily["stdpop"].to_numpy(), index=sicily_index, name="stdpop")
    ban = Event(id="ban", name="Sicily smoking ban", kind="policy", start="2005-01-01",
                shape="step")
    models = [
        ("Poisson", BaselineSpec(family="poisson", seasonality="none", exposure="column"),
         False),
        ("quasi-Poisson", BaselineSpec(family="quasipoisson", seasonality="none",
                                       exposure="column"), False),
        ("quasi-Poisson + 2 Fourier harmonics",
         BaselineSpec(family="quasipoisson", seasonality="fourier", harmonics=2,
                      exposure="column"), False),
        ("main model + slope change centred at the ban",
         BaselineSpec(family="quasipoisson", seasonality="fourier", harmonics=2,
                      exposure="column"), True),
    ]
    display(Markdown(
        f"`{SICILY.name}`: {len(aces)} months, {aces.index[0]} to {aces.index[-1]}; the ban "
        f"starts {ban.start:%Y-%m}, leaving {int((aces.index >= ban.start.to_period('M')).sum())} "
        "months after it."
    ))
    fits = {
        label: fit_its(aces, ban, spec=spec, exposure=stdpop, slope_change=slope,
                       data_kind="published")
        for label, spec, slope in models
    }
    ours = pd.concat(
        [fit.effects.assign(model=label, dispersion=fit.dispersion)
         for label, fit in fits.items()],
        ignore_index=True,
    )
    # the library reports a slope change per year; the tutorial per month
    ours["rate_ratio_per_month"] = ours["rate_ratio"].where(
        ours["term"] == "level", ours["rate_ratio"] ** (1 / 12))
    display(ours[["model", "term", "rate_ratio", "rate_ratio_lower", "rate_ratio_upper",
                  "rate_ratio_per_month", "dispersion", "p_value"]].round(4))
    main = fits["quasi-Poisson + 2 Fourier harmonics"]
    main_row = main.effects.iloc[0]
    display(Markdown(
        f"Our main model (quasi-Poisson with two Fourier harmonics): rate ratio "
        f"{main_row['rate_ratio']:.4f} ({main.level:.0%} CI {main_row['rate_ratio_lower']:.4f} "
        f"to {main_row['rate_ratio_upper']:.4f}), dispersion {main.dispersion:.3f}. Compare "
        "with the literature table above (to four decimals); `tests/test_its.py` asserts the "
        "agreement within half a unit of the fourth decimal."
    ))
    display(main.summary())
    ax = main.plot()
    ax.set_title("Sicily: observed acute coronary events and the ITS fit", fontsize=9)
    ax.figure.tight_layout(rect=(0, 0.06, 1, 1))
    plots.stamp_figure(ax.figure, data_kind="published", figure_id="sicily_its_fit")
    display(ax.figure)
    plt.close(ax.figure)
else:
    display(Markdown(
        f"> **Skipped:** the Sicily validation file was not found at `{SICILY}`. It is kept "
        "next to the repository (`../shared/validation/sicily/sicily.csv`), not inside it."
    ))

# %% [markdown]
# ## 2. Simulation benchmark (synthetic)
#
# The full benchmark is generated by `python benchmarks/run_benchmark.py` into
# `benchmarks/results/benchmark.md` (see `benchmarks/README.md` for the scenarios, the
# metrics and the targets). Its report is shown here as written; it is not re-run by this
# notebook.

# %%
if BENCHMARK.is_file():
    display(Markdown(BENCHMARK.read_text(encoding="utf-8")))
else:
    display(Markdown(
        f"> **Not available yet:** `{BENCHMARK.relative_to(ROOT)}` does not exist. Generate "
        "it from the repository root with `python benchmarks/run_benchmark.py` (the full "
        "run; `--quick` writes a smoke-run file instead)."
    ))
    if BENCHMARK_QUICK.is_file():
        display(Markdown(
            f"A smoke run exists (`{BENCHMARK_QUICK.relative_to(ROOT)}`, few series per "
            "group): its numbers have large Monte Carlo error and are **not** the "
            "benchmark's results. Shown for orientation only:\n\n---\n\n"
            + BENCHMARK_QUICK.read_text(encoding="utf-8")
        ))
