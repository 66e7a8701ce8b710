"""Small, obviously-correct helpers shared by the reference implementations.

Nothing here is clever: dates become ``datetime.date``, ratios with a zero denominator become ``None``,
and an ASIN's product line is looked up in a plain dict.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

UNASSIGNED = "Unassigned"


def to_date(value: Any) -> dt.date | None:
    """A ``datetime.date`` from a date, datetime, Timestamp or ISO string; ``None`` for missing values."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        return pd.Timestamp(value).date()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(value).date()


def date_column(frame: pd.DataFrame, column: str) -> list[dt.date | None]:
    """The column as a list of ``datetime.date`` (or ``None``)."""
    return [to_date(v) for v in frame[column].tolist()]


def week_of(day: dt.date) -> dt.date:
    """SPEC: "`week` is the Sunday that starts the day's week (Amazon's reporting week runs Sunday–Saturday)".

    Python's ``weekday()`` is Monday=0 … Sunday=6, so the number of days since the last Sunday is
    ``(weekday + 1) % 7``.
    """
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas NA (scalars only; anything else is present)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def flag_true(value: Any) -> bool:
    """A true/false flag that is known and true (``None``/NaN/NA are unknown, not true)."""
    return not is_missing(value) and bool(value)


def flag_known(value: Any) -> bool:
    """A flag whose value is known (true or false)."""
    return not is_missing(value)


def is_blank(value: Any) -> bool:
    """An empty text value: missing, or a string of only spaces. Used for "creator not empty"."""
    if is_missing(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(value: Any) -> str | None:
    """``None`` for a blank value, else the value as given (so group keys read like the input)."""
    return None if is_blank(value) else value


def as_float(value: Any) -> float | None:
    """A float, or ``None`` when missing."""
    if is_missing(value):
        return None
    return float(value)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """SPEC: "A ratio whose denominator is zero is null, never 0 and never an error"."""
    if numerator is None or denominator is None:
        return None
    if denominator == 0:
        return None
    return numerator / denominator


def median(values: Iterable[float | None]) -> float | None:
    """The median of the non-missing values (mean of the middle two for an even count); ``None`` if none."""
    kept = sorted(float(v) for v in values if not is_missing(v))
    if not kept:
        return None
    middle = len(kept) // 2
    if len(kept) % 2 == 1:
        return kept[middle]
    return (kept[middle - 1] + kept[middle]) / 2


def product_lines(products: pd.DataFrame | None) -> dict[str, str]:
    """ASIN → product line from the catalog. A blank product line counts as ``Unassigned``.

    SPEC: "ASINs missing from the catalog belong to product line `Unassigned`" and "An ASIN new to the catalog
    without a product line goes to `Unassigned`". If an ASIN appears more than once, the last row wins.
    """
    lines: dict[str, str] = {}
    if products is None or products.empty:
        return lines
    for record in products.to_dict("records"):
        line = record.get("product_line")
        lines[record["asin"]] = UNASSIGNED if is_blank(line) else line
    return lines


def line_of(asin: Any, lines: dict[str, str]) -> str:
    """The product line of an ASIN, ``Unassigned`` when the catalog does not know it."""
    return lines.get(asin, UNASSIGNED)


def normalise_by(by: str | Sequence[str], allowed: Sequence[str]) -> list[str]:
    """The grouping dimensions as a list, in the order given, checked against ``allowed``."""
    dims = [by] if isinstance(by, str) else list(by)
    for dim in dims:
        if dim not in allowed:
            raise ValueError(f"cannot group by {dim!r}; allowed: {', '.join(allowed)}")
    if len(set(dims)) != len(dims):
        raise ValueError(f"repeated dimension in {dims!r}")
    return dims


def in_range(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    """Inclusive date range test; a ``None`` bound is open."""
    if day is None:
        return False
    if start is not None and day < start:
        return False
    return not (end is not None and day > end)


def sort_key(value: Any) -> tuple[int, Any]:
    """Sort groups with ``None`` last and mixed types kept apart."""
    if value is None:
        return (2, "")
    if isinstance(value, dt.date):
        return (0, value.isoformat())
    return (1, str(value))


def rows_to_frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A frame with exactly ``columns`` (in that order), sorted by the leading group columns by the caller."""
    return pd.DataFrame(rows, columns=columns)
