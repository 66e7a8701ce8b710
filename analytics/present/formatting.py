"""Values as people read them: amounts in the brand's currency (`amounts`), percentages with one decimal, counts
with separators, ranks."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from analytics.amounts import amount
from analytics.figures import is_missing, percent_figure
from analytics.words import signed

MISSING = "—"


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
    if is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    if fmt == "money":
        return amount(number)
    if fmt == "percent":
        return f"{percent_figure(number):.1f}%"
    if fmt == "count":
        return f"{number:,.0f}"
    if fmt == "rank":
        # A search position read as a plain number ("47", "47.5"): "#47" reads like an id, not a place in the results.
        return _tenths(number)
    if fmt == "rank_change":
        return signed(_tenths(number))
    if fmt == "points":
        return signed(f"{number * 100:.1f}") + " pts"
    return f"{number:,}"


def _tenths(number: float) -> str:
    """A number to one decimal with separators, the decimal dropped when it is zero: 1,047 and 47.5.

    Halves round away from zero, as the tables' "%.1f" does in the browser: a median rank of 47.25 is 47.3 on a card
    and in the table beside it (Python's own rounding would write 47.2).
    """
    if not math.isfinite(number):
        return f"{number:,}"
    tenths = Decimal(number).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    tenths = tenths if tenths else abs(tenths)  # -0.04 is 0, never "-0"
    return f"{tenths:,.1f}".removesuffix(".0")


def unchanged(delta: str | None) -> bool:
    """Whether a change as `format_delta` or the "points" format writes it rounds to nothing ("0.0 pts", "0.0%"):
    a card shows it grey and without an arrow, neither good nor bad."""
    return delta is not None and not delta.startswith(("+", "-"))


def format_delta(current: object, previous: object, fmt: str) -> str | None:
    """The change against the previous period as text for st.metric: points for rates, percent otherwise."""
    if is_missing(current) or is_missing(previous):
        return None
    now, before = float(current), float(previous)  # type: ignore[arg-type]
    if fmt == "percent":
        return signed(f"{(now - before) * 100:.1f}") + " pts"
    if before <= 0:  # a share of nothing, or of net returns (a period of refunds alone), is no change to read
        return None
    return signed(f"{(now - before) / before * 100:.1f}") + "%"
