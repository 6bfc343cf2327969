"""Count a contact log per team and period, and tabulate its problem categories.

:func:`aggregate_contacts` counts a :class:`~impact.io.contacts.ContactLog` per team and
day, ISO week (Monday to Sunday) or month into exactly the long frame
:func:`impact.io.calls.load_call_counts` returns (zeros filled in within the log's span,
periods only partly inside it left out), so it feeds :func:`impact.to_series`,
:func:`impact.estimate_effect` and the study. :func:`contact_category_table` turns the
logged problem categories into a category table (the contract of
:mod:`impact.io.categories`) for the questions on problem mix. Reading the log is
:mod:`impact.io.contacts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.dates import format_period, parse_date_value
from impact._core.exceptions import DataValidationError
from impact._core.parsing import fold_text
from impact._core.validation import check_choice
from impact.io._periods import COLUMN_OF, FREQ_OF, RESOLUTION_OF, validate_frame
from impact.io.categories import validate_category_table
from impact.io.contacts import ContactLog
from impact.io.measures import canonical_channel, canonical_measure

__all__ = ["aggregate_contacts", "contact_category_table"]

#: Measures :func:`aggregate_contacts` accepts besides an outcome: every logged contact.
_ALL = ("offered", "all", "alle", "aangeboden")



def _select(log: ContactLog, measure: str | None, channels: str | Sequence[str]
            ) -> tuple[pd.DataFrame, str, list[str] | None]:
    """The contacts of one measure and the chosen channels: ``(frame, measure, channels)``."""
    frame = log.to_frame()
    if "outcome" in log.columns:
        found = sorted(set(frame["outcome"]))
        if measure is None:
            if len(found) > 1:
                raise DataValidationError(
                    f"aggregate_contacts: the log {log.source!r} records several outcomes "
                    f"({', '.join(found)}); one series must count one thing: pass "
                    "measure='answered' (or another outcome), or measure='offered' for "
                    "every logged contact."
                )
            measure = found[0]
        elif fold_text(measure) in _ALL:
            measure = "offered"
        else:
            wanted = canonical_measure(measure)
            if wanted not in found:
                raise DataValidationError(
                    f"aggregate_contacts: measure={measure!r} ({wanted!r}) is not an outcome "
                    f"in the log; it records {', '.join(found)} (or 'offered' for all)."
                )
            frame = frame[frame["outcome"] == wanted]
            measure = wanted
    elif measure is not None and fold_text(measure) not in _ALL:
        raise DataValidationError(
            f"aggregate_contacts: measure={measure!r} but the log {log.source!r} has no "
            "outcome column; every row counts (leave measure out)."
        )
    else:
        measure = log.definition
    chosen: list[str] | None = None
    if channels != "sum":
        if isinstance(channels, str) or not isinstance(channels, Sequence) or not channels:
            raise DataValidationError(
                f"channels={channels!r}; expected 'sum' or a list of channels such as "
                "['phone']."
            )
        if "channel" not in log.columns:
            raise DataValidationError(
                f"aggregate_contacts: channels={list(channels)!r} but the log has no channel "
                "column; leave channels out."
            )
        chosen = list(dict.fromkeys(canonical_channel(c) for c in channels))
        seen = sorted(set(log.contacts["channel"]))
        unknown = [c for c in chosen if c not in seen]
        if unknown:
            raise DataValidationError(
                f"aggregate_contacts: channels {', '.join(map(repr, unknown))} not in the log; "
                f"it records {', '.join(seen)}."
            )
        frame = frame[frame["channel"].isin(chosen)]
    return frame, str(measure), chosen


def _span(log: ContactLog, start: object, end: object, name: str) -> tuple[pd.Period, pd.Period]:
    first, last = log.first_day, log.last_day
    bounds = []
    for value, default, what in ((start, first, "start"), (end, last, "end")):
        if value is None:
            bounds.append(default)
            continue
        day = parse_date_value(value)
        if day.period is None:
            raise DataValidationError(f"{name}: {what}={value!r}: {day.detail}.")
        bounds.append(day.period)
    lo, hi = bounds
    if lo > first or hi < last:
        raise DataValidationError(
            f"{name}: the span {format_period(lo)}..{format_period(hi)} leaves out contacts "
            f"of the log ({format_period(first)}..{format_period(last)}); the span must "
            "contain every contact."
        )
    return lo, hi


def aggregate_contacts(
    log: ContactLog,
    resolution: str = "daily",
    *,
    by: Sequence[str] = ("team",),
    measure: str | None = None,
    channels: str | Sequence[str] = "sum",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Count a contact log per team and period, in the long frame of ``load_call_counts``.

    Parameters
    ----------
    log : ContactLog
        From :func:`load_contact_log`.
    resolution : {"daily", "weekly", "monthly"}, default "daily"
        The periods: calendar days, ISO weeks (Monday to Sunday, ``W-SUN``) or months.
    by : sequence of str, default ("team",)
        ``"team"`` plus optionally ``"channel"`` and/or ``"category"`` (the stable code;
        contacts without one count as ``"unknown"``): the frame then keeps those columns,
        as a table with channel or category columns does.
    measure : str, optional
        With an outcome column: the outcome to count (``"answered"``, ``"gemist"``, ...),
        or ``"offered"`` for every logged contact; ``None`` only when the log records one
        outcome. Without an outcome column every row counts; leave it out.
    channels : "sum" or sequence of str, default "sum"
        ``"sum"``: all channels; a list (``["phone"]``): those channels only.
    start, end : date-like, optional
        First and last day the log covers (inclusive), when it covers more than its
        first and last contact (a quiet first day is a day with zero contacts). Default:
        the days of the first and the last contact.

    Returns
    -------
    pandas.DataFrame
        Validated long frame: ``team``, ``day``/``week``/``month`` (``period[D]``,
        ``period[W-SUN]``, ``period[M]``), [``channel``, ``category``], ``calls``; every
        combination of team (and channel, category) and period of the span, with 0 where
        nothing was logged. Weeks and months only partly inside the span are left out
        (their counts would be too low) and listed in ``attrs["partial_periods"]``.
        ``attrs``: ``kind``, ``sha256``, ``source``, ``definition``, ``measure``,
        ``total``, ``channels`` (with a channel column), ``teams`` (when declared),
        ``resolution`` (daily and weekly) and ``span`` (first and last day).

    Raises
    ------
    DataValidationError
        For an unknown resolution, ``by`` without ``"team"`` or with other names, a
        measure the log does not record (or several outcomes and no ``measure``), unknown
        channels, a span that leaves out contacts, and a span without one complete
        period.

    Notes
    -----
    The daily counts sum to the weekly and monthly ones over the same days: every
    contact is counted once, on the calendar day of its local time.
    """
    if not isinstance(log, ContactLog):
        raise DataValidationError(
            f"aggregate_contacts: expected a ContactLog (from load_contact_log), got "
            f"{type(log).__name__}."
        )
    check_choice(resolution, "resolution", tuple(FREQ_OF))
    by = tuple(by) if not isinstance(by, str) else (by,)
    if "team" not in by or any(b not in ("team", "channel", "category") for b in by):
        raise DataValidationError(
            f"by={by!r}; expected 'team' plus optionally 'channel' and 'category', e.g. "
            "('team',) or ('team', 'channel')."
        )
    for extra in ("channel", "category"):
        if extra in by and extra not in log.columns:
            raise DataValidationError(
                f"by={by!r}: the log has no {extra} column; leave {extra!r} out of by."
            )
    freq = FREQ_OF[resolution]
    time = COLUMN_OF[freq]
    lo, hi = _span(log, start, end, "aggregate_contacts")
    frame, measure, chosen = _select(log, measure, channels)
    periods = pd.period_range(lo.asfreq(freq), hi.asfreq(freq), freq=freq)
    whole = [p for p in periods if p.start_time >= lo.start_time and p.end_time <= hi.end_time]
    partial = [format_period(p) for p in periods if p not in set(whole)]
    if not whole:
        raise DataValidationError(
            f"aggregate_contacts: the log's span {format_period(lo)}..{format_period(hi)} "
            f"holds no complete {time}; count it at a finer resolution or give start/end."
        )
    keys = [b for b in ("team", "channel", "category") if b in by]
    frame = frame.assign(category=frame["category"].fillna("unknown")) if "category" in keys \
        else frame
    levels: dict[str, list[Any]] = {
        "team": list(log.teams) if log.teams else sorted(set(log.contacts["team"])),
    }
    if "channel" in keys:
        levels["channel"] = chosen or sorted(set(log.contacts["channel"]))
    if "category" in keys:
        levels["category"] = sorted(set(log.contacts["category"].fillna("unknown")))
    counted = frame.assign(period=frame["day"].dt.asfreq(freq)).groupby(
        [*keys, "period"], sort=True).size()
    grid = pd.MultiIndex.from_product([*levels.values(), pd.PeriodIndex(whole, freq=freq)],
                                      names=[*keys, "period"])
    full = counted.reindex(grid, fill_value=0).reset_index(name="calls")
    full = full.rename(columns={"period": time})
    attrs: dict[str, Any] = {
        "kind": log.kind, "sha256": log.sha256, "source": log.source,
        "definition": log.definition, "measure": measure, "total": log.total,
        "span": [format_period(lo), format_period(hi)],
    }
    if "channel" in log.columns:
        attrs["channels"] = chosen or sorted(set(log.contacts["channel"]))
    if log.teams is not None:
        attrs["teams"] = list(log.teams)
    if freq != "M":
        attrs["resolution"] = RESOLUTION_OF[freq]
    if partial:
        attrs["partial_periods"] = partial
    full["calls"] = full["calls"].astype(np.int64)
    full.attrs = attrs
    return validate_frame(full, name=f"aggregate_contacts({log.source!r})")


def contact_category_table(
    log: ContactLog,
    resolution: str = "monthly",
    *,
    measure: str | None = None,
    channels: str | Sequence[str] = "sum",
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Count a log's problem categories per team and period as a category table.

    Parameters
    ----------
    log : ContactLog
        A log with a category column.
    resolution : {"monthly", "yearly"}, default "monthly"
        Category tables hold months or years (:data:`impact.io.CATEGORY_TABLE_COLUMNS`).
    measure, channels, start, end
        As in :func:`aggregate_contacts` (months or years only partly inside the span are
        left out).

    Returns
    -------
    pandas.DataFrame
        A validated category table (:func:`impact.io.validate_category_table`): one row
        per team, period and stable category seen in the log (0 where a category was not
        logged in that team-period), ``count``, ``base="calls"``, ``base_total`` = all
        contacts of the measure in that team-period (uncategorised ones included, so
        shares of categories need not sum to 1), ``unit="contacts"``, ``data_kind`` the
        log's kind, and ``original_label`` the labels as written (joined with ``"; "``).

    Raises
    ------
    DataValidationError
        For a log without a category column, an unknown resolution, and as
        :func:`aggregate_contacts` does.
    """
    if not isinstance(log, ContactLog) or "category" not in log.columns:
        raise DataValidationError(
            "contact_category_table: needs a ContactLog with a category column (categorie/"
            "category); this log has none."
        )
    check_choice(resolution, "resolution", ("monthly", "yearly"))
    monthly = aggregate_contacts(log, "monthly", by=("team", "category"), measure=measure,
                                 channels=channels, start=start, end=end)
    totals = monthly.groupby(["team", "month"])["calls"].transform("sum")
    monthly = monthly.assign(base_total=totals)
    monthly = monthly[monthly["category"] != "unknown"]
    if resolution == "yearly":
        years = monthly["month"].dt.asfreq("Y")
        n_months = monthly.groupby(years)["month"].transform("nunique")
        monthly = monthly[n_months == 12].assign(period=years[n_months == 12])
        if monthly.empty:
            raise DataValidationError(
                "contact_category_table: the log covers no complete calendar year; use "
                "resolution='monthly'."
            )
        grouped = monthly.groupby(["team", "period", "category"], sort=True)
        monthly = grouped.agg(calls=("calls", "sum"), base_total=("base_total", "sum"))
        monthly = monthly.reset_index()
    else:
        monthly = monthly.rename(columns={"month": "period"})
    labels = log.contacts.dropna(subset=["category"]).groupby("category")["category_label"]
    written = {code: "; ".join(sorted(set(v))) for code, v in labels}
    table = pd.DataFrame({
        "team": monthly["team"].astype(str).to_numpy(),
        "period": pd.PeriodIndex(monthly["period"]),
        "category": monthly["category"].astype(str).to_numpy(),
        "original_label": monthly["category"].map(written).astype(str).to_numpy(),
        "count": monthly["calls"].astype(float).to_numpy(),
        "base": "calls",
        "base_total": monthly["base_total"].astype(float).to_numpy(),
        "unit": "contacts",
        "note": f"counted from contact log {log.source}",
        "data_kind": log.kind,
    })
    table.attrs = {"kind": log.kind, "source": log.source, "sha256": log.sha256}
    return validate_category_table(table, name="contact_category_table")
