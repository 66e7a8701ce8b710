"""Calendar periods every floor dates things by: the engine's presets and the importer's period question alike."""

from __future__ import annotations

from datetime import date, timedelta


def month_of(day: date) -> tuple[date, date]:
    """The calendar month holding `day`, first day to last."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def last_full_month(day: date) -> tuple[date, date]:
    """The last calendar month that ends on or before `day`, first day to last: a month's close."""
    return month_of(day if (day + timedelta(days=1)).day == 1 else day.replace(day=1) - timedelta(days=1))
