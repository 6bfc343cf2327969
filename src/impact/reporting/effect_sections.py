"""The effect section of the reports (Q4) with its diagnostics, and the headline facts.

:func:`_section_q4` writes the headline effect (per team and for Flanders, with the
interrupted time series, the published year-on-year figure and the events inside the
post-period), the diagnostics verdicts and the other events' effects; every number is a
row of ``estimates.csv``, linked to it by the builder (:mod:`impact.reporting.builder`).
:func:`impact.reporting.report.policy_note` reuses the headline helpers
(``_headline_facts``, ``_published_change_text``, ``_confounded_events``,
``_diagnostics_row``). Everything here is private to the reports.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import FLANDERS
from impact.diagnostics.backtest import CHOICE_RULE
from impact.reporting import confounding_sections as _conf
from impact.reporting.builder import _Builder, _md, _md_table
from impact.reporting.templates import EVENT_KIND_NAMES
from impact.reporting.translations import model_name

__all__: list[str] = []


def _headline_facts(o: Any) -> tuple[str, pd.Period, pd.Period, list[str]]:
    total = o.headline.estimates[-1]
    event = str(total.event)
    return event, total.post_start, total.post_end, [e for e in event.split("+") if e]


def _published_change(o: Any) -> pd.DataFrame:
    """Published relative changes in Flanders calls against the same period a year earlier,
    in the year the headline post-period starts (e.g. the minister's +31%)."""
    pub = o.published
    if pub is None or not len(pub):
        return pub
    mask = (
        pub["topic"].astype(str).eq("calls")
        & pub["quantity"].astype(str).str.startswith("relative_change_vs_")
        & pub["year"].eq(int(o.headline.estimates[-1].post_start.year))
        & pub["team"].astype(str).eq(FLANDERS)
    )
    return pub[mask]


def _published_change_text(b: _Builder) -> tuple[str, str] | None:
    rows = _published_change(b.o)
    if rows is None or not len(rows):
        return None
    parts = []
    for value, grp in rows.groupby("value", sort=True):
        pct = float(value) / 100
        digits = 0 if abs(float(value) - round(float(value))) < 1e-9 else 1
        parts.append((b.fmt.percent(pct, digits=digits, signed=True),
                      ", ".join(b.source(s) for s in grp["id"])))
    if len(parts) == 1:
        return parts[0]
    return (", ".join(f"{v} ({s})" for v, s in parts), ", ".join(s for _, s in parts))


def _confounded_events(b: _Builder, headline_ids: Sequence[str], start: pd.Period,
                       end: pd.Period) -> list[Any]:
    lo, hi = start.start_time, end.end_time
    out = [e for e in b.o.registry
           if e.id not in headline_ids and lo <= pd.Timestamp(e.start) <= hi]
    return sorted(out, key=lambda e: (pd.Timestamp(e.start), e.id))


def _event_item(b: _Builder, ev: Any) -> str:
    return b.t["q4_event_item"].format(
        id=b.event_ref(ev.id), name=b.event_name(ev), date=b.fmt.date(ev.start),
        kind=EVENT_KIND_NAMES[b.lang].get(ev.kind, ev.kind))


def _section_q4(b: _Builder, figure_ids: Collection[str]) -> list[str]:
    o, t, fmt = b.o, b.t, b.fmt
    event, start, end, ids = _headline_facts(o)
    lines = b.section(t["q4_heading"], kinds=[o.data_kind])
    lines += [f"### {t['q4_headline_heading'].format(event=event)}", ""]
    evs = [o.registry[i] for i in ids if i in o.registry]
    lines += [f"- {_event_item(b, ev)}" for ev in evs] + [""]
    if len(ids) > 1:
        lines += [t["q4_joint"].format(event=event), ""]
    cf = "counterfactual"
    lines += [t["q4_flanders"].format(
        team=b.team(b.total), start=fmt.month(start), end=fmt.month(end),
        excess=b.estimate(b.total, event, cf, "cumulative_effect", style="count_signed"),
        relative=b.estimate(b.total, event, cf, "relative_effect", style="percent_signed"),
        observed=b.estimate(b.total, event, cf, "observed", style="count", interval="none"),
        expected=b.estimate(b.total, event, cf, "expected", style="count", interval="none"),
        p=b.estimate(b.total, event, cf, "p_positive", style="probability", interval="none"),
    ), ""]
    model_rows = o.estimates[(o.estimates["event"] == event)
                             & (o.estimates["estimator"] == cf)]
    model = (_md(model_name(model_rows["model"].iloc[0], b.lang)) if len(model_rows)
             else t["dash"])
    lines += [t["q4_method"].format(model=model, start=fmt.month(start), end=fmt.month(end),
                                    total=b.team(b.total),
                                    level=b.level, table=b.table_ref("headline_effects")),
              ""]
    teams = b.team_order(model_rows["team"].unique())
    rows = []
    for tm in teams:
        rows.append([
            b.team(tm),
            b.estimate(tm, event, cf, "observed", style="count", interval="none"),
            b.estimate(tm, event, cf, "expected", style="count", interval="none"),
            b.estimate(tm, event, cf, "cumulative_effect", style="count_signed",
                       interval="short"),
            b.estimate(tm, event, cf, "relative_effect", style="percent_signed",
                       interval="short"),
            b.estimate(tm, event, cf, "p_positive", style="probability", interval="none"),
        ])
    lines += _md_table([t["team"], t["q4_observed"], t["q4_expected"],
                        t["q4_excess"].format(level=b.level),
                        t["q4_relative"].format(level=b.level), t["q4_p"]], rows)
    # ITS
    its_rows = o.estimates[(o.estimates["estimator"] == "its")
                           & (o.estimates["team"] == b.total)]
    for its_event in dict.fromkeys(its_rows["event"]):
        sub = its_rows[its_rows["event"] == its_event]
        for q in [q for q in sub["quantity"] if q.startswith("rate_ratio")]:
            suffix = q.removeprefix("rate_ratio")
            label = b.table_ref("headline_its")
            if its_event != event or suffix:
                label = t["q4_its_term"].format(event=its_event, term=suffix.strip("_") or
                                                "level") + ", " + label
            lines += [t["q4_its"].format(
                total=b.team(b.total),
                model=_md(model_name(sub["model"].iloc[0], b.lang)), table=label,
                level=b.level,
                rate_ratio=b.estimate(b.total, its_event, "its", q, style="ratio"),
                excess=b.estimate(b.total, its_event, "its", "excess" + suffix,
                                  style="count_signed"),
            ), ""]
    lines += _conf.methods_note(b)
    # published +31%: each source for what it says, beside the nearest month
    pubtext = _published_change_text(b)
    published_lines = _conf.published_comparison(b)
    lines += published_lines
    if pubtext is not None and not published_lines:
        lines += [t["q4_published"].format(
            value=pubtext[0], sources=pubtext[1], team=b.team(b.total),
            relative=b.estimate(b.total, event, cf, "relative_effect",
                                style="percent_signed"),
        ), ""]
    confounded = _confounded_events(b, ids, start, end)
    if confounded:
        lines += [t["q4_confounded"], ""]
        lines += [f"- {_event_item(b, ev)}" for ev in confounded] + [""]
    lines += _conf.headline_confounding(b)
    lines += [f"**{t['figures']}**", ""]
    for name in ("headline_effect_by_team", "headline_forest", "headline_cumulative"):
        lines += b.figure(figure_ids, name)
    # diagnostics
    lines += [f"### {t['q4_diag_heading']}", ""]
    lines += _diagnostics(b, figure_ids)
    # other events
    if o.other_effects:
        lines += [f"### {t['q4_other_heading']}", ""]
        lines += [t["q4_other"].format(table=b.table_ref("other_events"),
                                       total=b.team(b.total)), ""]
        rows = []
        for eid, res in o.other_effects.items():
            total = res.estimates[-1]
            ev_event = str(total.event)
            name = (b.event_name(o.registry[eid]) if eid in o.registry
                    else _md(total.event_names))
            rows.append([
                f"{b.event_ref(eid)} {name}",
                t["range"].format(first=fmt.short_month(total.post_start),
                                  last=fmt.short_month(total.post_end)),
                b.estimate(b.total, ev_event, cf, "cumulative_effect", style="count_signed",
                           interval="short"),
                b.estimate(b.total, ev_event, cf, "relative_effect", style="percent_signed",
                           interval="short"),
                b.estimate(b.total, ev_event, cf, "p_positive", style="probability",
                           interval="none"),
                _conf.other_event_cell(b, eid),
            ])
        lines += _md_table([t["q4_event"], t["q4_window"], t["q4_excess"].format(level=b.level),
                            t["q4_relative"].format(level=b.level), t["q4_p"],
                            _conf.other_event_header(b)], rows)
        lines += _conf.other_events_notes(b)
    return lines


_DIAG_COLUMNS = ("verdict", "placebo_rank", "n_placebos", "placebo_p_one_sided",
                 "false_positive_rate", "sensitivity_relative_min",
                 "sensitivity_relative_max", "n_specs_failed")
_VERDICTS = {"supported": "verdict_supported", "suggestive": "verdict_suggestive",
             "not distinguishable from placebo variation": "verdict_none"}


def _diagnostics_row(o: Any, team: str) -> pd.Series | None:
    """The diagnostics summary row of ``team`` when it has the known columns, else None."""
    diag = o.diagnostics
    if diag is None or not hasattr(diag, "summary"):
        return None
    table = getattr(diag.summary(), "table", None)
    if not isinstance(table, pd.DataFrame) or not len(table):
        return None
    frame = table.reset_index() if not isinstance(table.index, pd.RangeIndex) else table
    if "team" not in frame.columns or not set(_DIAG_COLUMNS) <= set(frame.columns):
        return None
    hit = frame[frame["team"] == team]
    return hit.iloc[0] if len(hit) else None


def _diagnostics(b: _Builder, figure_ids: Collection[str]) -> list[str]:
    """The diagnostics verdict table (placebo rank, false-positive rate, sensitivity range).

    Only ``diagnostics.summary().table`` (or, without a table, ``.text``) is used. The
    summary text is not copied: it is long, English, and states the wall time.
    """
    t, fmt = b.t, b.fmt
    diag = b.o.diagnostics
    summary = diag.summary() if diag is not None and hasattr(diag, "summary") else None
    if summary is None:
        return [t["q4_diag_missing"], ""]
    name = "headline_diagnostics"
    spec = b.o.output_registry.figure(name)
    fig = f", {spec.short}" if spec.id in figure_ids else ""
    lines = [t["q4_diag_intro"].format(figure=fig, total=b.team(b.total)), ""]
    table = getattr(summary, "table", None)
    if not isinstance(table, pd.DataFrame) or not len(table):
        text = getattr(summary, "text", None)
        return lines + ([_md(text), ""] if text else []) + b.figure(figure_ids, name)
    frame = table.reset_index() if not isinstance(table.index, pd.RangeIndex) else table
    if "team" in frame.columns and set(_DIAG_COLUMNS) <= set(frame.columns):
        rows = []
        for tm in b.team_order(frame["team"]):
            r = frame[frame["team"] == tm].iloc[0]
            verdict = str(r["verdict"])
            rows.append([
                b.team(tm), t[_VERDICTS[verdict]] if verdict in _VERDICTS else
                _conf.verdict_word(b, verdict),
                fmt.count(r["placebo_rank"]), fmt.count(r["n_placebos"]),
                fmt.decimal(r["placebo_p_one_sided"], digits=3),
                fmt.percent(r["false_positive_rate"]),
                t["range"].format(
                    first=fmt.percent(r["sensitivity_relative_min"], signed=True),
                    last=fmt.percent(r["sensitivity_relative_max"], signed=True)),
                fmt.count(r["n_specs_failed"]),
                _md(model_name(r.get("backtest_chosen_baseline", "") or "-", b.lang)),
            ])
        lines += _md_table([t["team"], t["q4_diag_verdict"], t["q4_diag_rank"],
                            t["q4_diag_windows"], t["q4_diag_p"], t["q4_diag_fpr"],
                            t["q4_diag_sens"], t["q4_diag_failed"], t["q4_diag_backtest"]],
                           rows)
        lines += _conf.calibration_notes(b, frame)
        if "backtest_chosen_baseline" in frame.columns:
            lines += ["", t["q4_diag_backtest_note"].format(
                rule=b.message(CHOICE_RULE),
                baseline=_md(model_name(str(frame["study_baseline"].iloc[0]), b.lang)))]
    else:
        rows = []
        for _, r in frame.iterrows():
            cells = []
            for v in r:
                if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
                    cells.append(_md(v))
                elif isinstance(v, int | np.integer):
                    cells.append(fmt.count(v))
                else:
                    cells.append(fmt.decimal(v, digits=3))
            rows.append(cells)
        lines += _md_table([_md(c) for c in frame.columns], rows)
    return lines + b.figure(figure_ids, name)
