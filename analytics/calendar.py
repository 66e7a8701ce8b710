"""Calendar periods every floor dates things by: the engine's presets and the importer's period question alike."""

from __future__ import annotations

from datetime import date, timedelta


def last_full_month(day: date) -> tuple[date, date]:
    """The last calendar month that ends on or before `day`, first day to last: a month's close."""
    end = day if (day + timedelta(days=1)).day == 1 else day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end
