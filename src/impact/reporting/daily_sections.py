"""The report section on daily data: separated effects, the published window, merges.

:func:`section_daily` renders, in Dutch or English, what the study computed at daily
resolution (``StudyOutputs.daily``, present when ``study.toml`` has ``[daily]``): which
events were separated and which merged, and why (from the identifiability report: the
correlation of the events' regressors at monthly and at daily resolution), the effect of
each event and of their sum per team and for the total (table T16), the published
comparison on its own window beside the counterfactual for the same days (T17), and the
daily figure. Every number is read from the study's tables; nothing is typed here. The
texts live in this module (:data:`DAILY_TEXT`) so the section can be added to the
reports without touching the shared templates.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from impact.reporting.builder import _Builder, _md, _md_table

__all__ = ["DAILY_TEXT", "section_daily"]

#: The section's texts, per language.
DAILY_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Daily data: the Pichal case and Godvergeten told apart",
        "intro": (
            "With calls per day ({table_calls} team-days, {first} to {last}) the events "
            "{events} are studied, each modelled as a decay with a half-life of "
            "{half_life} days from its date, against a daily count baseline (negative "
            "binomial, trend, yearly Fourier terms, day of week, public and school holidays) "
            "fitted from {pre_start}."
        ),
        "monthly_merged": (
            "At monthly resolution {groups} cannot be told apart: their monthly regressors "
            "are almost the same (absolute correlation up to {r}, above the threshold "
            "{threshold}), so monthly data give only their joint effect."
        ),
        "monthly_ok": (
            "At monthly resolution every pair of these events stays below the correlation "
            "threshold {threshold} (largest {r}), but only just: monthly intervals are wide."
        ),
        "daily_ok": (
            "At daily resolution all of them are separated: the largest correlation between "
            "two of their daily regressors is {r} (threshold {threshold}); see {table}."
        ),
        "daily_merged": (
            "At daily resolution {groups} still cannot be told apart (correlation above "
            "{threshold}) and are reported together; see {table}."
        ),
        "effects": (
            "Effects over {first} to {last} ({level} simulation intervals; {table}). The "
            "row \"{sum}\" is the events together, simulated jointly, so its interval is "
            "that of the sum, not a sum of intervals."
        ),
        "no_separate": (
            "The counterfactual estimator used here gives the effect of these events "
            "together only; the table shows their sum, not one effect per event."
        ),
        "synthetic_note": (
            "The synthetic generator also gives Godvergeten a slow tail from the first "
            "episode; a decay per episode cannot tell that tail from the later episodes, "
            "so the split among the episodes is less certain than their sum."
        ),
        "per_team": "The events together, per team (each event per team: {table}).",
        "event": "Event",
        "effect": "Extra calls ({level}-interval)",
        "relative": "Relative effect ({level}-interval)",
        "true": "True effect (synthetic)",
        "window": (
            "The published comparison on its own window ({table}): from {w0} to {w1} "
            "{team} had {x} calls against {y} on the same weekdays a year earlier "
            "({r0} to {r1}), a change of {yoy}. Over the same days the counterfactual "
            "effect of the events that had started by then ({events}) is {cf} ({calls} "
            "calls). The year-on-year change compares with last year and includes the trend "
            "and every other change since; its interval covers count noise only "
            "(quasi-Poisson, dispersion from the history), and in earlier years without "
            "these events the same comparison ranged from {h0} to {h1}. The "
            "counterfactual compares with the modelled baseline of the same days."
        ),
        "window_truth": "The true injected effect over the window is {true}.",
        "figure": "Daily calls in {team}, the counterfactual and the event dates",
        "kind_caption": "data kind: {kind}",
    },
    "nl": {
        "heading": "Dagelijkse gegevens: de zaak-Pichal en Godvergeten apart",
        "intro": (
            "Met oproepen per dag ({table_calls} team-dagen, {first} tot {last}) worden "
            "de gebeurtenissen {events} bestudeerd, elk gemodelleerd als een afnemend "
            "effect met een halveringstijd van {half_life} dagen vanaf de datum, tegen "
            "een dagelijkse basislijn voor tellingen (negatief binomiaal, trend, "
            "jaarlijkse Fourier-termen, weekdag, feestdagen en schoolvakanties), geschat "
            "vanaf {pre_start}."
        ),
        "monthly_merged": (
            "Per maand zijn {groups} niet van elkaar te onderscheiden: hun maandelijkse "
            "regressoren zijn bijna gelijk (absolute correlatie tot {r}, boven de drempel "
            "{threshold}), zodat maandgegevens alleen hun gezamenlijk effect geven."
        ),
        "monthly_ok": (
            "Per maand blijft elk paar van deze gebeurtenissen onder de correlatiedrempel "
            "{threshold} (hoogste {r}), maar nipt: de intervallen per maand zijn breed."
        ),
        "daily_ok": (
            "Per dag zijn ze allemaal te scheiden: de hoogste correlatie tussen twee van hun "
            "dagelijkse regressoren is {r} (drempel {threshold}); zie {table}."
        ),
        "daily_merged": (
            "Per dag zijn {groups} nog steeds niet te onderscheiden (correlatie boven "
            "{threshold}); ze worden samen gerapporteerd; zie {table}."
        ),
        "effects": (
            "Effecten van {first} tot {last} ({level}-simulatie-intervallen; {table}). De "
            "rij \"{sum}\" is de gebeurtenissen samen, gezamenlijk gesimuleerd: het interval "
            "is dat van de som, geen som van intervallen."
        ),
        "no_separate": (
            "De gebruikte contrafeitelijke schatter geeft alleen het effect van deze "
            "gebeurtenissen samen; de tabel toont hun som, geen effect per gebeurtenis."
        ),
        "synthetic_note": (
            "De synthetische generator geeft Godvergeten ook een trage staart vanaf de "
            "eerste aflevering; een afnemend effect per aflevering kan die staart niet "
            "van de latere afleveringen scheiden, zodat de verdeling over de afleveringen "
            "onzekerder is dan hun som."
        ),
        "per_team": "De gebeurtenissen samen, per team (elke gebeurtenis per team: {table}).",
        "event": "Gebeurtenis",
        "effect": "Extra oproepen ({level}-interval)",
        "relative": "Relatief effect ({level}-interval)",
        "true": "Echt effect (synthetisch)",
        "window": (
            "De gepubliceerde vergelijking op haar eigen venster ({table}): van {w0} tot "
            "{w1} had {team} {x} oproepen tegenover {y} op dezelfde weekdagen een jaar "
            "eerder ({r0} tot {r1}), een verandering van {yoy}. Over dezelfde dagen is het "
            "contrafeitelijke effect van de gebeurtenissen die toen begonnen waren "
            "({events}) {cf} ({calls} oproepen). De verandering tegenover vorig jaar bevat "
            "de trend en elke andere verandering sindsdien; het interval dekt alleen de "
            "toevalsvariatie van tellingen (quasi-Poisson, dispersie uit de historiek), en "
            "in eerdere jaren zonder deze gebeurtenissen lag dezelfde vergelijking tussen "
            "{h0} en {h1}. Het contrafeitelijke effect vergelijkt met de gemodelleerde "
            "basislijn van dezelfde dagen."
        ),
        "window_truth": "Het echte, ingebrachte effect over het venster is {true}.",
        "figure": "Oproepen per dag in {team}, het contrafeitelijke scenario en de data",
        "kind_caption": "gegevenssoort: {kind}",
    },
}


def _frame(b: _Builder, name: str) -> pd.DataFrame:
    return b.o.tables[b.table_id(name)].frame


def _shows_truth(b: _Builder, eff: pd.DataFrame) -> bool:
    """True effects are shown for synthetic data only (they exist only there)."""
    return b.table_kind("daily_effects") == "synthetic" and bool(eff["true_effect"].notna().any())


def _groups(groups: Any) -> str:
    return "; ".join(" + ".join(g) for g in groups)


def _identifiability_lines(b: _Builder, daily: Any, tx: dict[str, str]) -> list[str]:
    fmt = b.fmt
    ident = _frame(b, "daily_identifiability")
    table = b.table_ref("daily_identifiability")
    lines = []
    monthly = daily.identifiability["monthly"]
    threshold = fmt.decimal(monthly.threshold, digits=2)
    m = ident[ident["resolution"] == "monthly"]
    r_month = fmt.decimal(m["max_abs_correlation"].max(), digits=2)
    if monthly.groups:
        lines.append(tx["monthly_merged"].format(groups=_groups(monthly.groups), r=r_month,
                                                 threshold=threshold))
    else:
        lines.append(tx["monthly_ok"].format(r=r_month, threshold=threshold))
    day = daily.identifiability["daily"]
    d = ident[ident["resolution"] == "daily"]
    r_day = fmt.decimal(d["max_abs_correlation"].max(), digits=2)
    if day.groups:
        lines.append(tx["daily_merged"].format(groups=_groups(day.groups), threshold=threshold,
                                               table=table))
    else:
        lines.append(tx["daily_ok"].format(r=r_day, threshold=threshold, table=table))
    return [" ".join(lines), ""]


def _effects_lines(b: _Builder, tx: dict[str, str]) -> list[str]:
    fmt = b.fmt
    eff = _frame(b, "daily_effects")
    if eff.empty:
        return []
    sums = eff.loc[eff["estimate_kind"] == "sum", "event"]
    lines = [tx["effects"].format(
        first=fmt.date(eff["first_day"].iloc[0]), last=fmt.date(eff["last_day"].iloc[0]),
        level=b.level, table=b.table_ref("daily_effects"),
        sum=sums.iloc[0] if len(sums) else b.t["dash"])]
    if not (eff["estimate_kind"] == "separate").any():
        lines[0] += " " + tx["no_separate"]
    if _shows_truth(b, eff) and (eff["estimate_kind"] == "separate").any():
        lines[0] += " " + tx["synthetic_note"]
    lines.append("")
    synthetic = _shows_truth(b, eff)

    def cells(r: Any) -> list[str]:
        out = [
            b.interval(fmt.count(r.effect, signed=True), fmt.count(r.effect_lower, signed=True),
                       fmt.count(r.effect_upper, signed=True), short=True),
            b.interval(fmt.percent(r.relative_effect, signed=True),
                       fmt.percent(r.relative_effect_lower, signed=True),
                       fmt.percent(r.relative_effect_upper, signed=True), short=True),
        ]
        if synthetic:
            out.append(f"{fmt.count(r.true_effect, signed=True)} "
                       f"({fmt.percent(r.true_relative_effect, signed=True)})")
        return out

    values = [tx["effect"].format(level=b.level), tx["relative"].format(level=b.level)]
    values += [tx["true"]] if synthetic else []
    total = eff[eff["team"] == b.total]
    lines += _md_table([tx["event"], *values],
                       [[_md(r.event), *cells(r)] for r in total.itertuples()])
    sums = eff[eff["estimate_kind"] == "sum"]
    lines += [tx["per_team"].format(table=b.table_ref("daily_effects")), ""]
    rows = [[b.team(tm), *cells(r)] for tm in b.team_order(sums["team"].unique())
            for r in sums[sums["team"] == tm].itertuples()]
    header = [b.t["team"], *values]
    return lines + _md_table(header, rows)


def _window_lines(b: _Builder, tx: dict[str, str]) -> list[str]:
    fmt = b.fmt
    win = _frame(b, "daily_window")
    total = win[win["team"] == b.total]
    if total.empty:
        return []
    r = total.iloc[0]
    yoy = b.interval(fmt.percent(r["year_on_year_change"], signed=True),
                     fmt.percent(r["year_on_year_change_lower"], signed=True),
                     fmt.percent(r["year_on_year_change_upper"], signed=True))
    cf = b.interval(fmt.percent(r["relative_effect"], signed=True),
                    fmt.percent(r["relative_effect_lower"], signed=True),
                    fmt.percent(r["relative_effect_upper"], signed=True))
    text = tx["window"].format(
        table=b.table_ref("daily_window"), w0=fmt.date(r["window_first_day"]),
        w1=fmt.date(r["window_last_day"]), team=b.team(b.total),
        x=fmt.count(r["calls_window"]), y=fmt.count(r["calls_reference"]),
        r0=fmt.date(r["reference_first_day"]), r1=fmt.date(r["reference_last_day"]),
        yoy=yoy, events=_md(r["counterfactual_events"]), cf=cf,
        h0=fmt.percent(r["history_change_lower"], signed=True),
        h1=fmt.percent(r["history_change_upper"], signed=True),
        calls=fmt.count(r["effect"], signed=True))
    if b.table_kind("daily_window") == "synthetic" and pd.notna(r["true_relative_effect"]):
        text += " " + tx["window_truth"].format(
            true=fmt.percent(r["true_relative_effect"], signed=True))
    return [text, ""]


def _figure_lines(b: _Builder, figure_ids: Collection[str], tx: dict[str, str]) -> list[str]:
    spec = b.o.output_registry.figure("daily_effect")
    if spec.id not in figure_ids:
        return []
    title = _md(tx["figure"].format(team=b.team(b.total)))
    kind = tx["kind_caption"].format(kind=b.kind(spec.data_kind_for(b.o.data_kind)))
    return [f"![{spec.short} – {title}](figures/{spec.id}.png)", "",
            f"*{spec.short} – {title} ({kind})*", ""]


def section_daily(b: _Builder, figure_ids: Collection[str]) -> list[str]:
    """The daily-data section (empty when the study has no ``[daily]`` part).

    Parameters
    ----------
    b : the report builder (:mod:`impact.reporting.builder`)
    figure_ids : collection of str
        The figures written (the daily figure is embedded when it is one of them).

    Returns
    -------
    list of str
        Markdown lines.
    """
    daily = getattr(b.o, "daily", None)
    if daily is None or b.table_id("daily_effects") not in b.o.tables:
        return []
    tx = DAILY_TEXT[b.lang]
    fmt = b.fmt
    s = daily.settings
    lines = b.section(tx["heading"], kinds=[b.table_kind("daily_effects")])
    days = daily.calls["day"]
    lines += [tx["intro"].format(
        table_calls=fmt.count(len(daily.calls)), first=fmt.date(days.min().start_time),
        last=fmt.date(days.max().start_time),
        events=", ".join(b.event_ref(e) for e in daily.events.ids),
        half_life=s.half_life_days,
        pre_start=fmt.date(s.pre_start or days.min().start_time)), ""]
    lines += _identifiability_lines(b, daily, tx)
    lines += _effects_lines(b, tx)
    lines += _window_lines(b, tx)
    lines += _figure_lines(b, figure_ids, tx)
    return lines
