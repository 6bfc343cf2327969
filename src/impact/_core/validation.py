"""Boundary checks for the data contracts and parameters of :mod:`impact` (STYLE.md 4, 9).

Every public helper takes the name of the parameter it checks, returns a validated copy
(never mutating its argument) and raises :class:`~impact._core.exceptions.DataValidationError`
with a message that says what is wrong, where (team, month, index label), what was
expected and how to fix it. Validate once, at the boundary; inside the library trust
validated inputs.

Data: :func:`validate_series` (a model's count series), :func:`validate_panel` (the
canonical long frame), :func:`validate_covariates` (control series on a model's
periods), :func:`validate_counts`, :func:`validate_month` and
:func:`validate_kind`. Month labels and numbers are read by the parsers of
:mod:`impact._core.parsing`.

Parameters: :func:`validate_level` (an interval probability), :func:`check_choice` (one
of a fixed set of options) and :func:`check_int` (a whole number with a lower bound).
They all name the parameter, the value given, what is allowed and how to fix it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impact._core.constants import DATA_KINDS, FLANDERS
from impact._core.exceptions import DataValidationError
from impact._core.parsing import (
    _FREQ_WORDS,
    format_list,
    format_month,
    gap_message,
    missing_months,
    parse_count_value,
    parse_month_value,
)

__all__ = [
    "PANEL_COLUMNS",
    "check_choice",
    "check_int",
    "validate_counts",
    "validate_covariates",
    "validate_kind",
    "validate_level",
    "validate_month",
    "validate_panel",
    "validate_series",
]

#: Columns a canonical long frame may hold, in output order. ``team``, ``month`` and
#: ``calls`` are required; ``channel``/``category`` split counts further (see
#: :func:`impact.io.calls.aggregate_calls`); ``exposure`` is a float > 0 (days open, staffed
#: hours, ...); ``kind`` is a constant data-kind label (``"synthetic"``, ...).
PANEL_COLUMNS: tuple[str, ...] = (
    "team",
    "month",
    "channel",
    "category",
    "calls",
    "exposure",
    "kind",
)
_REQUIRED = ("team", "month", "calls")
_KEY_EXTRAS = ("channel", "category")


# --- public validators ---------------------------------------------------------------------


def validate_kind(kind: object, name: str = "kind") -> str:
    """Check a data-kind label.

    Parameters
    ----------
    kind : str
        One of :data:`impact._core.constants.DATA_KINDS` (``"published"``, ``"real"``,
        ``"synthetic"``).
    name : str, default "kind"
        Parameter name used in the error message.

    Returns
    -------
    str
        ``kind``.

    Raises
    ------
    DataValidationError
        When ``kind`` is not one of the data kinds.
    """
    if not isinstance(kind, str) or kind not in DATA_KINDS:
        raise DataValidationError(
            f"{name} must be one of {', '.join(repr(k) for k in DATA_KINDS)}; got {kind!r}. "
            "Label real extracts 'real', generated panels 'synthetic' and figures from "
            "public sources 'published'."
        )
    return kind


def validate_month(value: object, name: str = "month") -> pd.Period:
    """Coerce one month label to a monthly :class:`pandas.Period`.

    Parameters
    ----------
    value : Period, str, date or datetime
        See :mod:`impact._core.parsing` for the accepted forms (``"2023-04"``,
        ``"april 2023"``, ``pd.Timestamp("2023-04-01")``, ...).
    name : str, default "month"
        Parameter name used in the error message.

    Returns
    -------
    pandas.Period
        With ``freq="M"``.

    Raises
    ------
    DataValidationError
        When ``value`` is not one calendar month (also for years, quarters, weeks and
        days other than the first or last of a month).

    Examples
    --------
    >>> validate_month("jan. 2023")
    Period('2023-01', 'M')
    """
    parsed = parse_month_value(value)
    if parsed.kind == "month" and parsed.period is not None:
        return parsed.period
    if parsed.kind == "month_no_year":
        detail = f"{value!r} has no year"
    else:
        detail = parsed.detail
    raise DataValidationError(
        f"{name}: {detail}; expected one calendar month such as '2023-04', "
        "pd.Period('2023-04', 'M') or 'april 2023'."
    )


def validate_level(level: object, name: str = "level") -> float:
    """Check an interval level (a probability strictly between 0 and 1).

    Parameters
    ----------
    level : float
        For example 0.95 for 95% intervals.
    name : str, default "level"
        Parameter name used in the error message.

    Returns
    -------
    float

    Raises
    ------
    DataValidationError
        When ``level`` is not a real number with ``0 < level < 1`` (``95`` instead of
        ``0.95`` included).
    """
    if isinstance(level, bool | np.bool_) or not isinstance(
        level, int | float | np.integer | np.floating
    ):
        raise DataValidationError(
            f"{name} must be a probability between 0 and 1 (e.g. 0.95), got {level!r}."
        )
    value = float(level)
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        hint = f" Did you mean {value / 100:g}?" if 1.0 < value < 100.0 else ""
        raise DataValidationError(
            f"{name} must satisfy 0 < {name} < 1 (e.g. 0.95 for 95% intervals), "
            f"got {level!r}.{hint}"
        )
    return value


def check_choice(value: object, name: str, allowed: Collection[Any]) -> Any:
    """Check that a parameter is one of a fixed set of options.

    Parameters
    ----------
    value : object
        The value given.
    name : str
        Parameter name used in the error message.
    allowed : collection
        The accepted options, in the order the message lists them.

    Returns
    -------
    object
        ``value``, unchanged.

    Raises
    ------
    DataValidationError
        Naming the parameter, the value given and the accepted options, with the closest
        option when ``value`` is text that looks like one (a case or spelling slip).

    Examples
    --------
    >>> check_choice("lr", "test", ("lr", "pearson"))
    'lr'
    """
    options = list(allowed)
    try:
        ok = any(value == option and type(value) is type(option) for option in options)
    except (TypeError, ValueError):
        ok = False
    if ok:
        return value
    listed = ", ".join(repr(option) for option in options)
    hint = ""
    if isinstance(value, str):
        texts = {str(option).casefold(): option for option in options}
        close = difflib.get_close_matches(value.strip().casefold(), list(texts), n=1, cutoff=0.6)
        if close:
            hint = f" Did you mean {texts[close[0]]!r}?"
    raise DataValidationError(
        f"{name} must be one of {listed}; got {value!r}.{hint} Pass one of the listed "
        "options."
    )


def check_int(value: object, name: str, *, minimum: int | None = None) -> int:
    """Check that a parameter is a whole number, at least ``minimum`` when given.

    Parameters
    ----------
    value : int
        The value given (a Python or NumPy integer; booleans and floats are refused).
    name : str
        Parameter name used in the error message.
    minimum : int, optional
        Smallest accepted value (inclusive).

    Returns
    -------
    int

    Raises
    ------
    DataValidationError
        Naming the parameter, the value given and the accepted range.

    Examples
    --------
    >>> check_int(3, "baseline_months", minimum=1)
    3
    """
    wanted = "a whole number" + (f" >= {minimum}" if minimum is not None else "")
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise DataValidationError(
            f"{name} must be {wanted}; got {value!r} ({type(value).__name__}). Pass an "
            "integer such as "
            f"{minimum if minimum is not None else 1}."
        )
    if minimum is not None and value < minimum:
        raise DataValidationError(
            f"{name} must be {wanted}; got {value!r}. Pass {minimum} or more."
        )
    return int(value)


def validate_counts(counts: object, name: str = "calls") -> pd.Series:
    """Check call counts: numeric, finite, whole numbers, ``>= 0``, no missing values.

    Parameters
    ----------
    counts : Series or array-like
        Counts; floats holding whole numbers (``12.0``) are accepted. Text is not (the
        file loader reads Dutch number formats; this helper is for in-memory data).
    name : str, default "calls"
        Parameter name used in the error message.

    Returns
    -------
    pandas.Series
        ``int64`` copy, with the index of ``counts`` (a ``RangeIndex`` for arrays).

    Raises
    ------
    DataValidationError
        Naming the index labels (months) of missing, non-numeric, negative or
        fractional values.
    """
    if isinstance(counts, pd.DataFrame):
        raise DataValidationError(
            f"{name} must be one column of counts (a Series), got a DataFrame with columns "
            f"{list(counts.columns)}; select the 'calls' column."
        )
    if isinstance(counts, pd.Series):
        series = counts.copy()
    else:
        try:
            series = pd.Series(np.asarray(counts, dtype=object))
        except (TypeError, ValueError) as exc:
            raise DataValidationError(
                f"{name} must be an array of counts, got {type(counts).__name__}."
            ) from exc
    return _check_counts(series, name, [_label(i) for i in series.index])


def _label(value: object) -> str:
    if isinstance(value, pd.Period) and value.freqstr == "M":
        return format_month(value)
    return str(value)


def _check_counts(series: pd.Series, name: str, where: Sequence[str]) -> pd.Series:
    """Validate counts; ``where`` holds a location text per element."""
    if series.dtype == bool or str(series.dtype) == "boolean":
        raise DataValidationError(f"{name} must hold counts, got booleans.")
    values = series.to_numpy(dtype=object)
    problems: dict[str, list[str]] = {}
    out = np.zeros(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if isinstance(v, str):
            reason = "non-numeric"
        elif v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            reason = "missing"
        else:
            count, msg = parse_count_value(v)
            if count is None:
                reason = (
                    "negative"
                    if msg.startswith("negative")
                    else ("fractional" if msg.startswith("fractional") else "non-numeric")
                )
            else:
                out[i] = count
                continue
        problems.setdefault(reason, []).append(f"{where[i]}: {v!r}")
    if problems:
        parts = []
        for reason, items in problems.items():
            parts.append(f"{len(items)} {reason} value{'s' if len(items) != 1 else ''} "
                         f"({format_list(items)})")
        raise DataValidationError(
            f"{name}: {'; '.join(parts)}; counts must be whole numbers >= 0 with no missing "
            "values. Fix the counts (use 0 for a month without calls, never leave it empty)."
        )
    return pd.Series(out, index=series.index, name=series.name)


def _coerce_months(values: Sequence[object], name: str, where: Sequence[str]) -> list[pd.Period]:
    months: list[pd.Period] = []
    bad: list[str] = []
    for value, loc in zip(values, where, strict=True):
        parsed = parse_month_value(value)
        if parsed.kind == "month" and parsed.period is not None:
            months.append(parsed.period)
        else:
            detail = f"{value!r} has no year" if parsed.kind == "month_no_year" else parsed.detail
            bad.append(f"{loc}: {detail}" if loc else detail)
    if bad:
        raise DataValidationError(
            f"{name}: {len(bad)} value{'s' if len(bad) != 1 else ''} not one calendar month "
            f"({format_list(bad, 6)}); use monthly labels such as '2023-04' or "
            "pd.Period('2023-04', 'M')."
        )
    return months


def _is_clean_series(series: pd.Series) -> bool:
    """Whether ``series`` passes :func:`validate_series` as it is: a monthly, daily or
    weekly ``PeriodIndex`` without gaps, duplicates or disorder (consecutive ordinals)
    and signed integer counts >= 0."""
    index = series.index
    if not (isinstance(index, pd.PeriodIndex) and len(index)
            and isinstance(series.dtype, np.dtype) and series.dtype.kind == "i"):
        return False
    if not (index.freqstr == "M" or index.freqstr[0] in "DW"):
        return False
    return bool(np.all(np.diff(index.asi8) == 1) and series.to_numpy().min() >= 0)


def validate_series(series: object, name: str = "series") -> pd.Series:
    """Check a count series (the model input of STYLE.md section 4).

    Parameters
    ----------
    series : Series
        Counts indexed by month: a ``PeriodIndex`` with ``freq="M"``, or labels that are
        coerced once to months (``"2023-04"``, timestamps on the first or last day of a
        month). A daily or weekly ``PeriodIndex`` (``freq="D"``, ``"W-SUN"``, ...) is
        kept at its frequency (DESIGN.md section 2: where daily or weekly counts exist,
        the same code uses them).
    name : str, default "series"
        Parameter name used in the error message.

    Returns
    -------
    pandas.Series
        Copy named ``"calls"``, ``int64`` values, index a sorted, unique, complete
        ``PeriodIndex`` (``freq="M"`` named ``"month"``; daily/weekly indexes keep their
        frequency and name); ``attrs`` kept.

    Raises
    ------
    DataValidationError
        For a non-Series, an empty series, labels that are not months (quarterly and
        annual ``PeriodIndex`` included), duplicate or missing periods (listed), and
        missing, negative, fractional or non-numeric counts.

    Examples
    --------
    >>> import pandas as pd
    >>> s = validate_series(pd.Series([3, 0, 5], index=["2023-01", "2023-02", "2023-03"]))
    >>> s.index.freqstr, s.name, int(s.sum())
    ('M', 'calls', 8)
    """
    if not isinstance(series, pd.Series):
        raise DataValidationError(
            f"{name} must be a pandas Series of monthly counts indexed by month, got "
            f"{type(series).__name__}. Use impact.to_series(frame, team) to get one."
        )
    if len(series) == 0:
        raise DataValidationError(f"{name} is empty; a monthly series needs at least one month.")
    index = series.index
    if _is_clean_series(series):
        # already complete, sorted and unique with whole counts >= 0 (e.g. a series this
        # function returned): the element-wise checks below would find nothing
        index_name = "month" if index.freqstr == "M" else (index.name or "period")
        out = pd.Series(series.to_numpy(dtype=np.int64, copy=True),
                        index=index.rename(index_name), name="calls")
        out.attrs = dict(series.attrs)
        return out
    if isinstance(index, pd.PeriodIndex) and index.freqstr[0] in "DW" and len(index):
        freq, index_name = index.freqstr, index.name or "period"
        periods = list(index)
    else:
        freq, index_name = "M", "month"
        if isinstance(index, pd.PeriodIndex) and index.freqstr == "M":
            periods = list(index)
        else:
            periods = _coerce_months(list(index), f"{name} index", [""] * len(index))
    unit = _FREQ_WORDS[freq[0]][0]
    if any(pd.isna(m) for m in periods):
        raise DataValidationError(f"{name} index holds a missing {unit} (NaT); remove it.")
    idx = pd.PeriodIndex(periods, freq=freq, name=index_name)
    counts = _check_counts(
        pd.Series(series.to_numpy(dtype=object), index=idx),
        f"{name} values",
        [_label(p) for p in periods],
    )
    duplicated = idx[idx.duplicated()].unique()
    if len(duplicated):
        listed = format_list([_label(p) for p in duplicated])
        raise DataValidationError(
            f"{name}: {len(duplicated)} duplicate {unit}{'s' if len(duplicated) != 1 else ''} "
            f"({listed}); a series needs one value per {unit}. Remove or sum the duplicates."
        )
    counts = counts.sort_index()
    gaps = missing_months(periods, freq)
    if gaps:
        raise DataValidationError(gap_message(name, gaps, freq))
    out = pd.Series(counts.to_numpy(dtype=np.int64), index=counts.index, name="calls")
    out.attrs = dict(series.attrs)
    return out


def validate_covariates(
    covariates: object, periods: pd.PeriodIndex, name: str = "covariates"
) -> pd.DataFrame:
    """Check control series for a model fitted (and forecast) on ``periods``.

    Parameters
    ----------
    covariates : DataFrame or Series
        One numeric column per control series, indexed by period: a ``PeriodIndex`` of
        the model's frequency, or timestamps, which are read as the periods holding them.
        Rows beyond ``periods`` are allowed and ignored.
    periods : PeriodIndex
        The periods the model needs a value for (the fitted history and every forecast
        period).
    name : str, default "covariates"
        Parameter name used in the error message.

    Returns
    -------
    DataFrame
        A float copy on ``periods`` with the same column names.

    Raises
    ------
    DataValidationError
        For a non-frame, an index that is not periods of the model's frequency, duplicate
        periods, a non-numeric column, and periods without a finite value (listed per
        column): a control series with a gap would otherwise stop the fit with a linear
        algebra error or, worse, be used with the gap.
    """
    if isinstance(covariates, pd.Series):
        covariates = covariates.to_frame(covariates.name if covariates.name is not None
                                         else "covariate")
    if not isinstance(covariates, pd.DataFrame):
        raise DataValidationError(
            f"{name} must be a pandas DataFrame with one column per control series, indexed "
            f"by period; got {type(covariates).__name__}."
        )
    unit = _FREQ_WORDS[periods.freqstr[0]][0]
    index = covariates.index
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period(periods.freq)
    elif not isinstance(index, pd.PeriodIndex):
        raise DataValidationError(
            f"{name}: the index must hold {unit}s (a PeriodIndex, or timestamps); got "
            f"{type(index).__name__} ({format_list([str(v) for v in index[:3]])}). Index the "
            "control series by period, as the count series is."
        )
    elif index.freq != periods.freq:
        raise DataValidationError(
            f"{name}: the index has frequency {index.freqstr!r} and the count series "
            f"{periods.freqstr!r}; give the control series at the count series' resolution."
        )
    duplicated = index[index.duplicated()].unique()
    if len(duplicated):
        raise DataValidationError(
            f"{name}: {len(duplicated)} duplicate {unit}(s) "
            f"({format_list([str(p) for p in duplicated])}); one row per {unit}."
        )
    frame = covariates.set_axis(index, axis=0)
    missing = periods.difference(index)
    if len(missing):
        raise DataValidationError(
            f"{name}: {len(missing)} {unit}(s) without values "
            f"({format_list([str(m) for m in missing])}); control series must cover the "
            "history and every forecast period."
        )
    frame = frame.reindex(periods)
    for column in frame.columns:
        values = frame[column]
        if values.dtype == bool:
            values = values.astype(float)
        if not pd.api.types.is_numeric_dtype(values):
            bad = [f"{p}: {v!r}" for p, v in values.items()
                   if not isinstance(v, (int, float, np.number)) or isinstance(v, bool)]
            raise DataValidationError(
                f"{name} column {column!r} is not numeric ({format_list(bad, 5)}); a control "
                "series holds numbers. Convert it (e.g. pd.to_numeric) and check the values "
                "that do not convert."
            )
        numbers = values.to_numpy(dtype=float)
        bad_rows = ~np.isfinite(numbers)
        if bad_rows.any():
            listed = [f"{p}: {v}" for p, v in zip(periods[bad_rows], numbers[bad_rows],
                                                  strict=True)]
            raise DataValidationError(
                f"{name} column {column!r}: {int(bad_rows.sum())} {unit}(s) without a finite "
                f"value ({format_list(listed, 5)}); a control series needs a value for every "
                "fitted and forecast period. Fill the gaps, shorten the window, or drop the "
                "column."
            )
        frame[column] = numbers
    return frame.astype(float)


def validate_panel(
    frame: object, name: str = "frame", *, teams: Iterable[str] | None = None
) -> pd.DataFrame:
    """Check a canonical long frame (what :func:`impact.load_call_counts` returns).

    Parameters
    ----------
    frame : DataFrame
        Columns ``team`` (any non-empty text: teams are data), ``month`` (monthly
        periods or labels coerced once), ``calls`` (whole numbers >= 0); optional
        ``channel`` and ``category`` (text; then rows are unique per team, month,
        channel and category), ``exposure`` (float > 0) and ``kind`` (one constant data
        kind, equal to ``frame.attrs["kind"]`` when both are set).
    name : str, default "frame"
        Parameter name used in the error message.
    teams : iterable of str, optional
        The allowed team names (e.g. :data:`impact._core.constants.TEAMS`); default any.
        The total's name (``frame.attrs["total"]``, else ``"Flanders"``) is never a team.

    Returns
    -------
    pandas.DataFrame
        Copy with columns in the order of :data:`PANEL_COLUMNS`, dtypes ``str``,
        ``period[M]``, ``int64`` (calls), ``float64`` (exposure), sorted by team, month
        (then channel, category), a fresh ``RangeIndex``; ``attrs`` kept.

    Raises
    ------
    DataValidationError
        For missing or unknown columns, team names that are not text, not in ``teams``
        or name the total (it is derived, never stored), bad months, bad counts or
        exposure, duplicate rows, and teams with missing months inside their range
        (teams may cover different ranges).
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(
            f"{name} must be a pandas DataFrame in the long layout (team, month, calls), got "
            f"{type(frame).__name__}. Use impact.load_call_counts to read a file."
        )
    columns = [str(c) for c in frame.columns]
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise DataValidationError(
            f"{name}: missing required column{'s' if len(missing) != 1 else ''} "
            f"{', '.join(repr(c) for c in missing)}; found {columns}. A long frame has columns "
            "team, month, calls (optional: channel, category, exposure, kind)."
        )
    unknown = [c for c in columns if c not in PANEL_COLUMNS]
    if unknown:
        raise DataValidationError(
            f"{name}: unknown column{'s' if len(unknown) != 1 else ''} "
            f"{', '.join(repr(c) for c in unknown)}; a long frame may only hold "
            f"{', '.join(PANEL_COLUMNS)}. Drop the other columns first."
        )
    if len(columns) != len(set(columns)):
        raise DataValidationError(f"{name}: duplicate column names {columns}.")
    if len(frame) == 0:
        raise DataValidationError(f"{name} has no rows; it needs at least one team-month.")
    attrs = dict(frame.attrs)
    if "kind" in attrs:
        validate_kind(attrs["kind"], f"{name}.attrs['kind']")

    teams_raw = frame["team"].to_numpy(dtype=object)
    total = str(attrs.get("total", FLANDERS))
    allowed = None if teams is None else {str(t) for t in teams}
    bad_teams = sorted(
        {repr(t) for t in teams_raw if not isinstance(t, str) or not t.strip() or t == total
         or (allowed is not None and t not in allowed)}
    )
    if bad_teams:
        hint = (
            f" {total!r} is the sum of the teams: drop those rows (to_series(frame, "
            f"{total!r}) derives it)."
            if repr(total) in bad_teams
            else ""
        )
        expected = (f"expected one of {', '.join(sorted(allowed))}" if allowed is not None
                    else "expected non-empty team names")
        raise DataValidationError(
            f"{name}: unknown team{'s' if len(bad_teams) != 1 else ''} {', '.join(bad_teams)} "
            f"in column 'team'; {expected}. Map variants with "
            f"impact.io.teams.canonical_team or the loader's aliases.{hint}"
        )

    month_col = frame["month"]
    if month_col.dtype == pd.PeriodDtype("M"):
        if month_col.isna().any():
            rows = [str(i) for i in frame.index[month_col.isna().to_numpy()]]
            raise DataValidationError(
                f"{name}: missing month in rows {format_list(rows)}; every row needs a month."
            )
        months = list(month_col)
    else:
        labels = [f"row {i}" for i in frame.index]
        months = _coerce_months(list(month_col), f"{name} column 'month'", labels)

    where = [f"{t} {format_month(m)}" for t, m in zip(teams_raw, months, strict=True)]
    calls = _check_counts(frame["calls"].reset_index(drop=True), f"{name} column 'calls'", where)

    data: dict[str, Any] = {
        "team": pd.array(list(teams_raw), dtype="str"),
        "month": pd.PeriodIndex(months, freq="M"),
    }
    for col in _KEY_EXTRAS:
        if col in columns:
            values = frame[col].to_numpy(dtype=object)
            bad = [w for v, w in zip(values, where, strict=True) if not isinstance(v, str)
                   or not v.strip()]
            if bad:
                raise DataValidationError(
                    f"{name}: column {col!r} must hold non-empty text; empty or non-text in "
                    f"{format_list(bad)}."
                )
            data[col] = pd.array([v.strip() for v in values], dtype="str")
    data["calls"] = calls.to_numpy(dtype=np.int64)
    if "exposure" in columns:
        exposure = pd.to_numeric(frame["exposure"], errors="coerce").to_numpy(dtype=float)
        bad = [w for v, w in zip(exposure, where, strict=True)
               if not (math.isfinite(v) and v > 0)]
        if bad:
            raise DataValidationError(
                f"{name}: column 'exposure' must hold finite numbers > 0; bad values for "
                f"{format_list(bad)}. Exposure is e.g. days open or staffed hours."
            )
        data["exposure"] = exposure
    if "kind" in columns:
        kinds = {str(k) for k in frame["kind"].to_numpy(dtype=object)}
        if len(kinds) != 1:
            raise DataValidationError(
                f"{name}: column 'kind' holds several data kinds {sorted(kinds)}; never mix "
                "real, published and synthetic rows in one frame."
            )
        (only,) = kinds
        validate_kind(only, f"{name} column 'kind'")
        if "kind" in attrs and attrs["kind"] != only:
            raise DataValidationError(
                f"{name}: column 'kind' says {only!r} but attrs['kind'] says "
                f"{attrs['kind']!r}; the data kind must be unambiguous."
            )
        data["kind"] = pd.array([only] * len(frame), dtype="str")

    out = pd.DataFrame(data)
    keys = ["team", "month", *[c for c in _KEY_EXTRAS if c in out.columns]]
    dup_mask = out.duplicated(keys, keep=False)
    if dup_mask.any():
        dups = out.loc[dup_mask, keys].drop_duplicates()
        listed = [
            " ".join([str(r.team), format_month(r.month),
                      *[str(getattr(r, c)) for c in keys[2:]]])
            for r in dups.itertuples(index=False)
        ]
        raise DataValidationError(
            f"{name}: {len(listed)} duplicate {'/'.join(keys)} combination"
            f"{'s' if len(listed) != 1 else ''} ({format_list(listed)}); each must occur "
            "once. Remove the duplicate rows or sum them."
        )
    problems = []
    for team in sorted(set(out["team"])):
        team_months = out.loc[out["team"] == team, "month"]
        if len(team_months):
            gaps = missing_months(team_months)
            if gaps:
                problems.append(gap_message(f"team {team!r}", gaps))
    if problems:
        raise DataValidationError(f"{name}: " + "; ".join(problems) + ".")
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    out = out[[c for c in PANEL_COLUMNS if c in out.columns]]
    out.attrs = attrs
    return out
