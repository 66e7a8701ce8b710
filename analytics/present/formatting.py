"""Values as people read them: currency, percentages with one decimal, counts with separators, ranks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MISSING = "—"


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return str(value) in ("<NA>", "NaT")


def percent_figure(value: object) -> float | None:
    """A rate as the percent figure `format_value` writes, rounded the same way (0.1225 -> 12.2, not 12.3).

    For tables that format numbers in the browser: their "%.1f" rounds halves up, Python's to even.
    """
    if _is_missing(value):
        return None
    return float(f"{float(value) * 100:.1f}")  # type: ignore[arg-type]


def percent_figures(values: pd.Series) -> pd.Series:
    """`percent_figure` of every value (missing ones as NaN), in one pass over the column.

    Rounding each tenth in numpy matches Python's rounding of the same double except within a hair of a half
    (0.1225 -> 12.25 stored a little below or above it) and for values too large to hold a fraction, where only
    Python's exact rule is right: those few values, if any, take `percent_figure` itself.
    """
    figures = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan) * 100
    tenths = figures * 10
    rounded = np.rint(tenths) / 10
    with np.errstate(invalid="ignore"):  # infinities: their fraction is NaN, and they take the rule below
        near_half = np.abs(tenths - np.floor(tenths) - 0.5) < 1e-6
    # Past 2**52 a double has no fraction left for numpy to round: Python's rule reads the value itself.
    exact_rule = near_half | ~(np.abs(tenths) < 2**52)
    exact_rule &= ~np.isnan(figures)
    for i in np.flatnonzero(exact_rule):
        rounded[i] = percent_figure(values.iloc[i])
    return pd.Series(rounded, index=values.index, dtype="float64")


def format_value(value: object, fmt: str) -> str:
    """Text for one value in one of the registry's formats; missing values show as a dash, never 0."""
    if _is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    if fmt == "money":
        sign = "-" if number < 0 else ""
        return f"{sign}${abs(number):,.2f}"
    if fmt == "percent":
        return f"{percent_figure(number):.1f}%"
    if fmt == "count":
        return f"{number:,.0f}"
    if fmt == "rank":
        return f"#{number:,.1f}".replace(".0", "")
    if fmt == "rank_change":
        return f"{number:+,.1f}".replace(".0", "")
    if fmt == "points":
        return f"{number * 100:+.1f} pts"
    return f"{number:,}"


def format_delta(current: object, previous: object, fmt: str) -> str | None:
    """The change against the previous period as text for st.metric: points for rates, percent otherwise."""
    if _is_missing(current) or _is_missing(previous):
        return None
    now, before = float(current), float(previous)  # type: ignore[arg-type]
    if fmt == "percent":
        return f"{(now - before) * 100:+.1f} pts"
    if before == 0:
        return None
    return f"{(now - before) / abs(before) * 100:+.1f}%"
