"""Report text on what an effect includes, how the two methods differ, and the +31%.

The Q4 section (:mod:`impact.reporting.effect_sections`) and the policy note
(:func:`impact.reporting.report.policy_note`) call these helpers; all text is generated
from the study's results, in Dutch or English:

- :func:`headline_confounding`: what the headline joint effect includes besides its
  events (an unmodelled capacity step in its window, say), from
  ``outputs.confounding`` (:func:`impact.events.confounding.assess_confounding`);
- :func:`methods_note`: what the ITS rate ratio and the counterfactual effect each
  measure, and, when they point opposite ways, that they do;
- :func:`published_comparison`: each published year-on-year figure cited for what its
  own row says (window, source), the month nearest the published window (not the same
  window), the counterfactual beside the year-on-year ratio for it and for longer
  windows, and the minimum detectable effect per team (tables ``headline_windows`` and
  ``detectable_effect``);
- :func:`other_event_cell` and :func:`other_events_notes`: the confounding verdict of
  each other event, and in plain words which events share its window;
- :func:`verdict_word` and :func:`calibration_notes`: the diagnostics verdict of a team
  whose baseline intervals are miscalibrated, and why (backtest coverage against its
  floor, :func:`impact.diagnostics.bundle.coverage_floor`).

Private to :mod:`impact.reporting`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from impact._core.constants import FLANDERS
from impact.diagnostics.bundle import MISCALIBRATED
from impact.events.confounding import event_name
from impact.reporting.builder import _Builder, _md, _md_table

__all__: list[str] = []

_TEXT = {
    "en": {
        "includes": (
            "**What the joint effect includes.** Besides its events, the counterfactual "
            "effect for {span} includes {events}: the baseline is fitted on the months "
            "before the window and does not model {it}. The interrupted time series is "
            "fitted across the window and models {it} as a known break."
        ),
        "methods": (
            "**Two methods, two quantities.** The counterfactual effect ({relative}) is the "
            "observed calls of the whole window against a forecast of the same months "
            "without the events, and it includes every unmodelled change in the window. The "
            "ITS rate ratio ({ratio}) is the ratio of the modelled call rate during the "
            "events to the rate without them, fitted on the whole series with the known "
            "breaks as separate terms; it is a ratio of rates, not a share of the "
            "window's calls."
        ),
        "same_way": " Both point the same way.",
        "opposite": (
            " **They point opposite ways here**: the counterfactual effect is {cf_dir} "
            "while the rate ratio is {its_dir}, so the data do not settle the direction."
        ),
        "up": "positive", "down": "negative",
        "above1": "above 1", "below1": "below 1",
        "pub_heading": "**The published year-on-year figures.**",
        "pub_row": "{source}: {value} against the previous year, {window}.",
        "pub_weeks": "over {n} weeks",
        "pub_no_window": "without a stated period",
        "pub_resolution": (
            "Monthly data cannot reproduce a window of {n} weeks. The nearest month is "
            "{month}: it holds most of those weeks, but it is not the same window. The "
            "table sets, for {team}, the change against the same months a year earlier "
            "(what a published \"+x% against last year\" measures: it includes a year of "
            "growth, the capacity changes and every other event in the window) beside our "
            "counterfactual effect (against a forecast of the same months without the "
            "events), for that month and for longer windows ({table})."
        ),
        "win_cols": ("Window", "Year on year ({level}-interval)",
                     "Counterfactual ({level}-interval)", "Minimum detectable effect"),
        "win_names": {"nearest_published": "{first} (nearest month)",
                      "headline": "{first} – {last} (headline window)",
                      "to_year_end": "{first} – {last} (to the year end)"},
        "mde": (
            "Minimum detectable effect in {month} ({table}; the smallest relative effect "
            "the estimator would detect {power} of the time at the {level} level, from the "
            "spread of its simulated counterfactual paths): {teams}."
        ),
        "miscalibrated": "not assessable: intervals too narrow",
        "calibration": (
            "Backtest coverage below its floor (nominal minus two binomial standard "
            "errors over the backtest origins): {teams}. The prediction intervals of the "
            "baseline are too narrow there: an effect there is never rated supported or "
            "suggestive, only \"not assessable\"."
        ),
        "calibration_item": "{team} {coverage} (floor {floor})",
        "other_intro": "Events sharing each window:",
        "other_confounded": (
            "not the effect of this event alone; its window also holds {events}, which "
            "the baseline does not model, so the number includes their effect."
        ),
        "other_modelled": "its window also holds {events}; the baseline models them.",
        "other_clear": "its window also holds {events}; no larger event or capacity change.",
        "other_none": "no other registered event in its window.",
        "other_header": "Other events in the window",
        "withheld": "confounded: not this event alone",
        "modelled": "confounders modelled",
        "clear": "no larger event in the window",
        "pn_includes": (
            "The effect also includes {events}, which the baseline does not model."
        ),
        "pn_methods": (
            "The rate ratio is a ratio of modelled call rates; the effect above is the "
            "window's calls above the forecast, relative to that forecast."
        ),
        "pn_opposite": " The two point opposite ways here.",
        "pn_published": "Published: {rows}.",
        "pn_nearest": (
            "Monthly data give {month} as the nearest month (not the same window): {yoy} "
            "against the same month a year earlier, {cf} against the "
            "forecast; an effect below {mde} would have been detected there less than "
            "{power} of the time."
        ),
    },
    "nl": {
        "includes": (
            "**Wat het gezamenlijke effect bevat.** Naast de gebeurtenissen zelf bevat het "
            "effect voor {span} ook {events}: het basismodel is geschat op de maanden vóór "
            "het venster en houdt daar geen rekening mee. De onderbroken tijdreeks is "
            "geschat over het hele venster en neemt dit op als gekende breuk."
        ),
        "methods": (
            "**Twee methoden, twee grootheden.** Het effect tegenover het "
            "verwachtingsmodel ({relative}) vergelijkt de waargenomen oproepen van het hele "
            "venster met een voorspelling van dezelfde maanden zonder de gebeurtenissen; "
            "elke niet gemodelleerde verandering in het venster zit erin. De "
            "verhoudingsfactor uit de onderbroken tijdreeks ({ratio}) deelt het "
            "gemodelleerde oproepritme tijdens de gebeurtenissen door het ritme zonder, "
            "geschat op de hele reeks met de gekende breuken als aparte termen; het is een "
            "verhouding van ritmes, geen aandeel van de oproepen in het venster."
        ),
        "same_way": " Beide wijzen in dezelfde richting.",
        "opposite": (
            " **Hier wijzen ze in tegengestelde richting**: het effect tegenover het "
            "verwachtingsmodel is {cf_dir}, de verhoudingsfactor {its_dir}; de gegevens "
            "beslissen de richting dus niet."
        ),
        "up": "positief", "down": "negatief",
        "above1": "groter dan 1", "below1": "kleiner dan 1",
        "pub_heading": "**De gepubliceerde vergelijkingen met vorig jaar.**",
        "pub_row": "{source}: {value} tegenover vorig jaar, {window}.",
        "pub_weeks": "over {n} weken",
        "pub_no_window": "zonder vermelde periode",
        "pub_resolution": (
            "Maandgegevens kunnen een venster van {n} weken niet nabootsen. De dichtste "
            "maand is {month}: die bevat het grootste deel van die weken, maar het is niet "
            "hetzelfde venster. De tabel zet voor {team} de verandering tegenover dezelfde "
            "maanden een jaar eerder (wat een gepubliceerde \"+x% tegenover vorig jaar\" "
            "meet: een jaar groei, de capaciteitswijzigingen en elke andere gebeurtenis in "
            "het venster zitten erin) naast ons effect tegenover het verwachtingsmodel (een "
            "voorspelling van dezelfde maanden zonder de gebeurtenissen), voor die maand en "
            "voor langere vensters ({table})."
        ),
        "win_cols": ("Venster", "Tegenover vorig jaar ({level}-interval)",
                     "Tegenover verwachting ({level}-interval)", "Kleinste aantoonbare effect"),
        "win_names": {"nearest_published": "{first} (dichtste maand)",
                      "headline": "{first} – {last} (hoofdvenster)",
                      "to_year_end": "{first} – {last} (tot het jaareinde)"},
        "mde": (
            "Kleinste aantoonbare effect in {month} ({table}; het kleinste relatieve effect "
            "dat de schatter in {power} van de gevallen zou aantonen op het niveau {level}, "
            "berekend uit de spreiding van de gesimuleerde verwachtingspaden): {teams}."
        ),
        "miscalibrated": "niet te beoordelen: intervallen te smal",
        "calibration": (
            "Dekking in de terugtoetsing onder de ondergrens (nominaal min twee binomiale "
            "standaardfouten over de terugtoetsmomenten): {teams}. De voorspellingsintervallen "
            "van het basismodel zijn daar te smal: een effect krijgt daar nooit het oordeel "
            "ondersteund of aanwijzing, hoogstens \"niet te beoordelen\"."
        ),
        "calibration_item": "{team} {coverage} (ondergrens {floor})",
        "other_intro": "Gebeurtenissen in hetzelfde venster:",
        "other_confounded": (
            "niet het effect van deze gebeurtenis alleen; in het venster valt ook {events}, "
            "waar het basismodel geen rekening mee houdt, dus het getal bevat ook dat effect."
        ),
        "other_modelled": (
            "in het venster valt ook {events}; het basismodel houdt daar rekening mee."
        ),
        "other_clear": (
            "in het venster valt ook {events}; geen grotere gebeurtenis of "
            "capaciteitswijziging."
        ),
        "other_none": "geen andere geregistreerde gebeurtenis in het venster.",
        "other_header": "Andere gebeurtenissen in het venster",
        "withheld": "verstrengeld: niet deze gebeurtenis alleen",
        "modelled": "storende gebeurtenissen in het model",
        "clear": "geen grotere gebeurtenis in het venster",
        "pn_includes": (
            "Het effect bevat ook {events}; het basismodel houdt daar geen rekening mee."
        ),
        "pn_methods": (
            "De verhoudingsfactor is een verhouding van gemodelleerde oproepritmes; het "
            "effect hierboven is het aantal oproepen in het venster boven de voorspelling, "
            "tegenover die voorspelling."
        ),
        "pn_opposite": " Hier wijzen beide in tegengestelde richting.",
        "pn_published": "Gepubliceerd: {rows}.",
        "pn_nearest": (
            "Met maandgegevens is {month} de dichtste maand (niet hetzelfde venster): {yoy} "
            "tegenover dezelfde maand een jaar eerder, {cf} "
            "tegenover de voorspelling; een effect kleiner dan {mde} was daar in minder dan "
            "{power} van de gevallen aan te tonen."
        ),
    },
}
_WEEKS = re.compile(r"(\d+)_weeks?\b")
_NUMBER_WORDS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten"),
    "nl": ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
           "tien"),
}


def _words(b: _Builder, n: int) -> str:
    """A small count in words (three weeks, drie weken); larger ones as digits."""
    words = _NUMBER_WORDS[b.lang]
    return words[n] if 0 <= n < len(words) else b.fmt.count(n)


def _t(b: _Builder) -> dict[str, Any]:
    return _TEXT[b.lang]


def _headline(b: _Builder) -> tuple[str, Any]:
    total = b.o.headline.estimates[-1]
    event = str(total.event)
    return event, getattr(b.o, "confounding", {}).get(event)


def _names(b: _Builder, events: Any) -> str:
    return "; ".join(
        f"{b.event_ref(e.id)} {_md(event_name(e, b.lang))} ({b.fmt.date(e.start)})"
        for e in events)


def headline_confounding(b: _Builder) -> list[str]:
    """What the headline joint effect includes besides its events (empty when nothing)."""
    _, conf = _headline(b)
    if conf is None or not conf.confounders:
        return []
    it = ("them" if len(conf.confounders) > 1 else "it") if b.lang == "en" else ""
    span = f"{b.fmt.month(conf.window_start)} – {b.fmt.month(conf.window_end)}"
    return [_t(b)["includes"].format(span=span, events=_names(b, conf.confounders), it=it), ""]


def _its_and_cf(b: _Builder) -> tuple[float, float] | None:
    event, _ = _headline(b)
    est = b.o.estimates
    rows = est[(est["team"] == b.total) & (est["event"] == event)]
    rr = rows[(rows["estimator"] == "its") & (rows["quantity"] == "rate_ratio")]
    cf = rows[(rows["estimator"] == "counterfactual") & (rows["quantity"] == "relative_effect")]
    if not len(rr) or not len(cf):
        return None
    return float(rr["estimate"].iloc[0]), float(cf["estimate"].iloc[0])


def methods_note(b: _Builder) -> list[str]:
    """What the ITS rate ratio and the counterfactual effect each measure; opposite
    directions said explicitly."""
    pair = _its_and_cf(b)
    if pair is None:
        return []
    ratio, rel = pair
    t = _t(b)
    text = t["methods"].format(relative=b.fmt.percent(rel, signed=True),
                               ratio=b.fmt.decimal(ratio, digits=2))
    if np.sign(ratio - 1) * np.sign(rel) < 0:
        text += t["opposite"].format(cf_dir=t["up"] if rel > 0 else t["down"],
                                     its_dir=t["above1"] if ratio > 1 else t["below1"])
    else:
        text += t["same_way"]
    return [text, ""]


def _published_rows(b: _Builder) -> pd.DataFrame:
    pub, total = b.o.published, b.o.headline.estimates[-1]
    if pub is None or not len(pub):
        return pd.DataFrame()
    mask = (pub["topic"].astype(str).eq("calls")
            & pub["quantity"].astype(str).str.startswith("relative_change_vs_")
            & pub["year"].eq(int(total.post_start.year))
            & pub["team"].astype(str).eq(FLANDERS))
    return pub[mask]


def _pub_window(b: _Builder, quantity: str) -> str:
    m = _WEEKS.search(quantity)
    t = _t(b)
    return t["pub_weeks"].format(n=_words(b, int(m.group(1)))) if m else t["pub_no_window"]


def _value(b: _Builder, value: Any) -> str:
    v = float(value)
    return b.fmt.percent(v / 100, digits=0 if v == round(v) else 1, signed=True)


def _source_of(b: _Builder, row: Any) -> str:
    """``F144 (focus-wtv.be, September 2023)``: the id, the site and the date of a row."""
    host = urlparse(str(row.source_url)).netloc.removeprefix("www.")
    date = str(row.source_date)
    if re.fullmatch(r"\d{4}-\d{2}", date):
        date = b.fmt.month(date)
    parts = ", ".join(_md(p) for p in (host, date) if p and p != "nan")
    return f"{b.source(row.id)} ({parts})" if parts else b.source(row.id)


def published_comparison(b: _Builder) -> list[str]:
    """The published year-on-year figures, each for what its row says, beside the
    counterfactual and the year-on-year ratio of the nearest month and longer windows."""
    rows = _published_rows(b)
    if not len(rows) or not b.has_table("headline_windows"):
        return []
    t = _t(b)
    lines = [t["pub_heading"], ""]
    for r in rows.itertuples():
        lines.append("- " + t["pub_row"].format(
            source=_source_of(b, r), value=_value(b, r.value),
            window=_pub_window(b, str(r.quantity))))
    lines.append("")
    win = b.o.table("headline_windows")
    nearest = win[win["is_nearest_published"].astype(bool)]
    weeks = [_WEEKS.search(str(q)) for q in rows["quantity"]]
    n = next((int(m.group(1)) for m in weeks if m), 3)
    month = b.fmt.month(nearest["window_start"].iloc[0]) if len(nearest) else t["dash"]
    lines += [t["pub_resolution"].format(n=_words(b, n), month=month, team=b.team(b.total),
                                         table=b.table_ref("headline_windows")), ""]
    level = b.fmt.level(float(win["level"].iloc[0]))
    event, _ = _headline(b)
    body = []
    for r in win[win["team"] == b.total].itertuples():
        key = f"{r.window_start}_{r.window_end}"
        name = t["win_names"].get(str(r.window), "{first} – {last}").format(
            first=b.fmt.short_month(r.window_start), last=b.fmt.short_month(r.window_end))
        body.append([
            name,
            b.estimate(b.total, event, "window_naive_yoy", f"relative_effect_{key}",
                       style="percent_signed", interval="short"),
            b.estimate(b.total, event, "window_counterfactual", f"relative_effect_{key}",
                       style="percent_signed", interval="short"),
            b.estimate(b.total, event, "window_mde", f"mde_{key}", style="percent_signed",
                       interval="none"),
        ])
    cols = [c.format(level=level) for c in t["win_cols"]]
    lines += _md_table(cols, body)
    if len(nearest) and b.has_table("detectable_effect"):
        r0 = nearest.iloc[0]
        key = f"{r0['window_start']}_{r0['window_end']}"
        teams = "; ".join(
            f"{b.team(tm)} " + b.estimate(tm, event, "window_mde", f"mde_{key}",
                                          style="percent_signed", interval="none")
            for tm in b.team_order(nearest["team"]))
        lines += [t["mde"].format(
            month=month, table=b.table_ref("detectable_effect"),
            power=b.fmt.percent(float(r0["power"]), digits=0), level=level, teams=teams), ""]
    return lines


def verdict_word(b: _Builder, verdict: str) -> str:
    """A verdict the report templates do not know (:data:`MISCALIBRATED`), in words."""
    return _t(b)["miscalibrated"] if verdict == MISCALIBRATED else _md(verdict)


def calibration_notes(b: _Builder, frame: pd.DataFrame) -> list[str]:
    """The teams whose backtest coverage lies below its floor, with both numbers."""
    if not {"backtest_coverage", "coverage_floor"} <= set(frame.columns):
        return []
    cov = pd.to_numeric(frame["backtest_coverage"], errors="coerce")
    floor = pd.to_numeric(frame["coverage_floor"], errors="coerce")
    low = frame[(cov < floor).to_numpy()]
    if not len(low):
        return []
    t = _t(b)
    teams = "; ".join(t["calibration_item"].format(
        team=b.team(r["team"]), coverage=b.fmt.percent(r["backtest_coverage"]),
        floor=b.fmt.percent(r["coverage_floor"])) for _, r in low.iterrows())
    return ["", t["calibration"].format(teams=teams)]


def other_event_header(b: _Builder) -> str:
    """Header of the verdict column in the report's table of other events."""
    return _t(b)["other_header"]


def other_event_cell(b: _Builder, event_id: str) -> str:
    """The confounding verdict of another event, for its row in the report's table."""
    conf = getattr(b.o, "confounding", {}).get(event_id)
    if conf is None:
        return b.t["dash"]
    t = _t(b)
    return f"**{t['withheld']}**" if conf.is_confounded else t[
        "modelled" if conf.verdict == "modelled" else "clear"]


def other_events_notes(b: _Builder) -> list[str]:
    """For each other event, the registered events in its window in plain words."""
    confs, t = getattr(b.o, "confounding", {}), _t(b)
    items = []
    for eid in b.o.other_effects:
        conf = confs.get(eid)
        if conf is None:
            continue
        if conf.is_confounded:
            text = t["other_confounded"].format(events=_names(b, conf.confounders))
        elif conf.verdict == "modelled":
            text = t["other_modelled"].format(events=_names(b, conf.modelled))
        elif conf.events:
            text = t["other_clear"].format(events=_names(b, [w.event for w in conf.events]))
        else:
            text = t["other_none"]
        items.append(f"- {b.event_ref(eid)}: {text}")
    return [t["other_intro"], "", *items, ""] if items else []


def policy_note_sentences(b: _Builder) -> tuple[list[str], bool]:
    """The policy note's sentences (what the effect includes, the two methods, the
    published figures beside the nearest month) and whether they cite the published
    figures."""
    t, out = _t(b), []
    _, conf = _headline(b)
    if conf is not None and conf.confounders:
        out.append(t["pn_includes"].format(events="; ".join(
            f"{e.id} {event_name(e, b.lang)} ({b.fmt.date(e.start)})"
            for e in conf.confounders)))
    pair = _its_and_cf(b)
    if pair is not None:
        opposite = np.sign(pair[0] - 1) * np.sign(pair[1]) < 0
        out.append(t["pn_methods"] + (t["pn_opposite"] if opposite else ""))
    rows = _published_rows(b)
    if len(rows) and b.has_table("headline_windows"):
        win = b.o.table("headline_windows")
        r = win[win["is_nearest_published"].astype(bool) & (win["team"] == b.total)]
        if len(r):
            r0 = r.iloc[0]
            key = f"{r0['window_start']}_{r0['window_end']}"
            event = str(r0["event"])
            listed = "; ".join(f"{_value(b, p.value)} ({b.source(p.id)}, "
                               f"{_pub_window(b, str(p.quantity))})" for p in rows.itertuples())
            out.append(t["pn_published"].format(rows=listed))
            out.append(t["pn_nearest"].format(
                month=b.fmt.month(r0["window_start"]),
                yoy=b.estimate(b.total, event, "window_naive_yoy", f"relative_effect_{key}",
                               style="percent_signed", interval="none"),
                cf=b.estimate(b.total, event, "window_counterfactual",
                              f"relative_effect_{key}", style="percent_signed",
                              interval="none"),
                mde=b.estimate(b.total, event, "window_mde", f"mde_{key}",
                               style="percent_signed", interval="none"),
                power=b.fmt.percent(float(r0["power"]), digits=0)))
            return out, True
    return out, False
