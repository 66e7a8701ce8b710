"""Reporting periods: the sidebar's presets as date ranges, and the period each is compared against."""

from __future__ import annotations

from datetime import date, timedelta

PRESETS = ("Last complete week", "Last 4 weeks", "Last 13 weeks", "Last 90 days", "Year to date", "Custom range")
DEFAULT_PRESET = "Last 4 weeks"
# Amazon restates recent days for weeks as returns and late attributions arrive.
SETTLING_DAYS = 14


def week_start(day: date) -> date:
    """The Sunday that starts the day's week (Amazon's reporting week runs Sunday to Saturday)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def last_complete_week_end(as_of: date) -> date:
    """The last Saturday on or before `as_of`."""
    return as_of if as_of.weekday() == 5 else week_start(as_of) - timedelta(days=1)


def preset_range(preset: str, as_of: date) -> tuple[date, date]:
    """The inclusive range a preset stands for, given the last day with data."""
    if preset == "Last complete week":
        end = last_complete_week_end(as_of)
        return end - timedelta(days=6), end
    if preset == "Last 4 weeks":
        end = last_complete_week_end(as_of)
        return end - timedelta(days=27), end
    if preset == "Last 13 weeks":
        end = last_complete_week_end(as_of)
        return end - timedelta(days=90), end
    if preset == "Last 90 days":
        return as_of - timedelta(days=89), as_of
    if preset == "Year to date":
        return date(as_of.year, 1, 1), as_of
    raise ValueError(f"unknown period preset {preset!r}")


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `start`."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def settling_start(as_of: date) -> date:
    """First day of the most recent 14 days, which Amazon may still restate."""
    return as_of - timedelta(days=SETTLING_DAYS - 1)


def latest_matured_weeks(last_order_day: date, repeat_days: int, weeks: int = 4) -> tuple[date, date]:
    """The latest `weeks` whole weeks whose buyers have all had `repeat_days` days to come back: they end on the
    last Saturday on or before the store's last order day minus R (what the pages show when a period's buyers are
    all still pending)."""
    end = last_complete_week_end(last_order_day - timedelta(days=repeat_days))
    return end - timedelta(days=7 * weeks - 1), end
