"""Reference "Program health" (SPEC, Added 2026-12-03: what moved, and was it the creators)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd

from tests.reference.commission import program_of
from tests.reference.common import as_float, clean_text, ratio, to_date, week_of

HEALTH_COLUMNS = ["week", "creators_active", "creators_new", "creators_lapsed"]
LAPSE_WEEKS = 4


def _weekly_clicks(performance: pd.DataFrame, programs: Sequence[str]) -> dict[tuple[Any, dt.date], float]:
    """Σ clicks per (creator, week) over all stored performance (optionally one set of programs)."""
    program_filter = set(programs)
    clicks: dict[tuple[Any, dt.date], float] = defaultdict(float)
    for record in performance.to_dict("records"):
        day, creator = to_date(record.get("date")), clean_text(record.get("creator"))
        if day is None or creator is None:
            continue
        if program_filter and program_of(record.get("program")) not in program_filter:
            continue
        clicks[(creator, week_of(day))] += as_float(record.get("clicks")) or 0.0
    return clicks


def program_health(
    performance: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    programs: Sequence[str] = (),
) -> pd.DataFrame:
    """Program health by week.

    SPEC: "**Program health**, by week, from performance: `creators_active` (clicks > 0 that week),
    `creators_new` (active, first click ever that week), `creators_lapsed` (active in the 4 weeks before, not
    this week)".

    A creator is active in a week when its clicks summed over that whole Sunday–Saturday week (every campaign,
    ASIN and program kept) are > 0. "Ever" and "the 4 weeks before" look at all stored performance, not only the
    scope. "Active in the 4 weeks before" = active in at least one of the 4 preceding weeks. The rows are every
    week from the week of ``start`` (else the first stored day) to the week of ``end`` (else the last stored
    day), including weeks with no activity.
    """
    clicks = _weekly_clicks(performance, programs)
    active: dict[dt.date, set[Any]] = defaultdict(set)
    first_active: dict[Any, dt.date] = {}
    for (creator, week), total in clicks.items():
        if total > 0:
            active[week].add(creator)
            if creator not in first_active or week < first_active[creator]:
                first_active[creator] = week

    days = [day for day in (to_date(v) for v in performance["date"].tolist()) if day is not None]
    start_day = to_date(start) or (min(days) if days else None)
    end_day = to_date(end) or (max(days) if days else None)
    if start_day is None or end_day is None or start_day > end_day:
        return pd.DataFrame(columns=HEALTH_COLUMNS)

    rows = []
    week = week_of(start_day)
    while week <= week_of(end_day):
        this_week = active.get(week, set())
        recent: set[Any] = set()
        for back in range(1, LAPSE_WEEKS + 1):
            recent |= active.get(week - dt.timedelta(days=7 * back), set())
        rows.append(
            {
                "week": week,
                "creators_active": len(this_week),
                "creators_new": sum(1 for creator in this_week if first_active[creator] == week),
                "creators_lapsed": len(recent - this_week),
            }
        )
        week += dt.timedelta(days=7)
    return pd.DataFrame(rows, columns=HEALTH_COLUMNS)


def top5_revenue_share(
    performance: pd.DataFrame,
    *,
    start: Any,
    end: Any,
    programs: Sequence[str] = (),
) -> float | None:
    """SPEC: "over a scope `top5_revenue_share` (the 5 highest-revenue creators' share of attributed revenue)".

    Revenue per creator summed over the scope's dates; the five largest sums over the total. Fewer than five
    creators gives 1.0; a zero total gives ``None``.
    """
    start_day, end_day = to_date(start), to_date(end)
    program_filter = set(programs)
    revenue: dict[Any, float] = defaultdict(float)
    for record in performance.to_dict("records"):
        day, creator = to_date(record.get("date")), clean_text(record.get("creator"))
        if day is None or creator is None:
            continue
        if (start_day is not None and day < start_day) or (end_day is not None and day > end_day):
            continue
        if program_filter and program_of(record.get("program")) not in program_filter:
            continue
        revenue[creator] += as_float(record.get("revenue")) or 0.0
    top_five = sorted(revenue.values(), reverse=True)[:5]
    return ratio(sum(top_five), sum(revenue.values()))
