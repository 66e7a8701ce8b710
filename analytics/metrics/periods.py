"""Reporting periods: the sidebar's presets as date ranges, and the period each is compared against."""

from __future__ import annotations

from datetime import date, timedelta

from analytics.calendar import last_full_month

YEAR_TO_DATE = "Year to date"
PRESETS = (
    "Last complete week",
    "Last 4 weeks",
    "Last 13 weeks",
    "Last full month",
    "Last 90 days",
    YEAR_TO_DATE,
    "Custom range",
)
# The presets of whole Sunday–Saturday weeks, ending on the last Saturday on or before the last day with data.
WEEK_PRESETS = PRESETS[:3]
MONTH_PRESET = "Last full month"
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
    if preset == MONTH_PRESET:
        return last_full_month(as_of)  # the last day with data's: a month's close
    if preset == "Last 90 days":
        return as_of - timedelta(days=89), as_of
    if preset == YEAR_TO_DATE:
        return date(as_of.year, 1, 1), as_of
    raise ValueError(f"unknown period preset {preset!r}")


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `start`; for a whole calendar month, the month before
    (October against September, not against the 31 days from Aug 31)."""
    if is_whole_month(start, end):
        before_end = start - timedelta(days=1)
        return before_end.replace(day=1), before_end
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def is_whole_month(start: date, end: date) -> bool:
    """Whether `start`–`end` is one calendar month, first day to last."""
    return start.day == 1 and (start.year, start.month) == (end.year, end.month) and (end + timedelta(days=1)).day == 1


# What the sidebar compares a period with: the days just before it, or the same days a year earlier.
COMPARISONS = {"previous": "Previous period", "year": "Same period last year"}
DEFAULT_COMPARISON = "previous"


def default_comparison(preset: str) -> str:
    """What a period preset is compared with unless the person says otherwise: the days just before it, except for
    Year to date, whose days before are most of the year before, so the same dates a year earlier."""
    return "year" if preset == YEAR_TO_DATE else DEFAULT_COMPARISON


WEEKS_IN_YEAR = 52


def same_period_last_year(start: date, end: date) -> tuple[date, date]:
    """The same period a year earlier. Whole Sunday–Saturday weeks go back 52 weeks (364 days), so the weeks and
    their weekdays line up; any other range goes back a calendar year, February 29 becoming February 28."""
    if week_start(start) == start and end.weekday() == 5 and (end - start).days % 7 == 6:
        back = timedelta(weeks=WEEKS_IN_YEAR)
        return start - back, end - back
    return _year_before(start), _year_before(end)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # February 29
        return day.replace(year=day.year - 1, day=28)


def comparison_period(start: date, end: date, comparison: str = DEFAULT_COMPARISON) -> tuple[date, date]:
    """The period `start`–`end` is compared with: `previous_period` or `same_period_last_year` (COMPARISONS)."""
    if comparison == "year":
        return same_period_last_year(start, end)
    if comparison == "previous":
        return previous_period(start, end)
    raise ValueError(f"unknown comparison {comparison!r}; choose from {', '.join(COMPARISONS)}")


def settling_start(as_of: date) -> date:
    """First day of the most recent 14 days, which Amazon may still restate."""
    return as_of - timedelta(days=SETTLING_DAYS - 1)


def latest_matured_weeks(last_order_day: date, repeat_days: int, weeks: int = 4) -> tuple[date, date]:
    """The latest `weeks` whole weeks whose buyers have all had `repeat_days` days to come back: they end on the
    last Saturday on or before the store's last order day minus R (what the pages show when a period's buyers are
    all still pending)."""
    end = last_complete_week_end(last_order_day - timedelta(days=repeat_days))
    return end - timedelta(days=7 * weeks - 1), end
