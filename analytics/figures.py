"""Rates as the pages write them, to a tenth of a percent, and the points between two such figures: every floor's
tables and sentences round the same way (`present.formatting` writes them)."""

from __future__ import annotations

import math


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT: a value a page writes as a dash."""
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
    if is_missing(value):
        return None
    return float(f"{float(value) * 100:.1f}")  # type: ignore[arg-type]


def points_between(rate: object, other: object) -> float | None:
    """The points between two rates as their figures are written (`percent_figure`), as a fraction (0.085 = 8.5
    points), or None when either is missing: a card showing 17.4% against 25.9% says -8.5 pts, the gap a reader
    works out from the two, where the exact gap (-8.446) would be written -8.4."""
    shown, other_shown = percent_figure(rate), percent_figure(other)
    if shown is None or other_shown is None:
        return None
    return round(shown - other_shown, 1) / 100
