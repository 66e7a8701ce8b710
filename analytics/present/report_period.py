"""Which days a weekly review covers, and the refusals of a review that cannot be made: apart from the review itself,
so that a command catching a refusal imports neither pandas nor Plotly."""

from __future__ import annotations

from datetime import date, timedelta

from analytics.metrics.periods import last_complete_week_end


class ReportError(Exception):
    """A report that cannot be made, with a sentence for the person who asked for it."""


def report_period(
    as_of: date, week: date | None = None, period: tuple[date, date] | None = None, first: date | None = None
) -> tuple[date, date]:
    """The report's inclusive range: the Sunday–Saturday week starting `week`, or `period` up to the data's last day
    `as_of`, or else the last whole week on or before `as_of`.

    Days past the data hold no rows yet, and a period compared with whole days before it would read as a collapse:
    a week not over in the data is refused, and a period is cut at its last day (the pages keep their dates inside
    the data too). A week or period ending before the data's `first` day is refused: its review was one of zeros, a
    scheduled run with a mistyped year sent on as a collapse."""
    start, end = _asked_period(as_of, week, period)
    if first is not None and end < first and week is None and period is None:
        raise ReportError(
            f"The performance data runs from {first.isoformat()} to {as_of.isoformat()}, no whole week (Sunday to "
            f"Saturday) yet: give its days, --start {first.isoformat()} --end {as_of.isoformat()}."
        )
    if first is not None and end < first:
        raise ReportError(
            f"The performance data starts on {first.isoformat()}, after the {'week' if week else 'period'} ends "
            f"({end.isoformat()}): there is nothing in it to review. Give dates from {first.isoformat()} on."
        )
    return start, end


def _asked_period(as_of: date, week: date | None, period: tuple[date, date] | None) -> tuple[date, date]:
    """`report_period` before the data's first day is looked at."""
    if week is not None and period is not None:
        raise ReportError("Give a week or a start and end date, not both.")
    last_week = last_complete_week_end(as_of) - timedelta(days=6)
    if week is not None:
        if week.weekday() != 6:
            sunday = week - timedelta(days=(week.weekday() + 1) % 7)
            raise ReportError(
                f"{week.isoformat()} is a {week:%A}; give the Sunday that starts the week, e.g. {sunday.isoformat()}."
            )
        if week + timedelta(days=6) > as_of:
            where = "before that week starts" if week > as_of else "so that week is not over in it"
            raise ReportError(
                f"The data runs through {as_of:%A} {as_of.isoformat()}, {where}: load the week's files first, or "
                f"give the last whole week, --week {last_week.isoformat()}."
            )
        return week, week + timedelta(days=6)
    if period is not None:
        if period[1] < period[0]:
            raise ReportError(f"The period ends ({period[1].isoformat()}) before it starts ({period[0].isoformat()}).")
        if period[0] > as_of:
            raise ReportError(
                f"The data runs through {as_of.isoformat()}, before the period starts ({period[0].isoformat()}): "
                "load its files first."
            )
        return period[0], min(period[1], as_of)
    return last_week, last_week + timedelta(days=6)
