"""Program health: how many creators are active, new and lapsed each week, and how much rests on the top five.

A creator is active in a week (Sunday to Saturday) when their clicks, summed over the whole week across every
campaign and ASIN, are above 0. "New" and "lapsed" look at all stored performance, before the requested weeks too:
a creator is new in the first week they were ever active, and lapsed in a week they were not active after being
active in at least one of the 4 weeks before it.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics.contract.kinds import DEFAULT_PROGRAM
from analytics.sql import week_of

LAPSE_WEEKS = 4
TOP_CREATORS = 5
COLUMNS = ("week", "creators_active", "creators_new", "creators_lapsed", "top5_revenue_share")


# Performance rows of the $programs parameter's programs (all when it is empty).
_IN_PROGRAMS = (
    f"(len($programs::varchar[]) = 0 or list_contains($programs::varchar[], coalesce(program, '{DEFAULT_PROGRAM}')))"
)


def program_health(
    con: duckdb.DuckDBPyConnection,
    start: date | None = None,
    end: date | None = None,
    programs: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row per week from the week of `start` to the week of `end` (default: the first and last stored days),
    weeks without an active creator included: the `COLUMNS`.

    Weeks are counted whole: `start` and `end` choose the weeks, they do not trim their days.
    `top5_revenue_share` is the week's 5 highest-revenue creators' share of its attributed revenue (null when the
    week has no revenue).
    """
    sql = f"""
        with
        bounds as (
            select
                coalesce(cast($start as date), min(date)) as first_day,
                coalesce(cast($end as date), max(date)) as last_day
            from performance
        ),
        first_active as (
            -- A creator's first active week over all stored rows: clicks are never negative, so it is the week of
            -- their first day with a click, and only that day needs every row.
            select creator, {week_of("min(date)")} as first_week
            from performance
            where creator is not null
              and clicks > 0
              and {_IN_PROGRAMS}
            group by creator
        ),
        creator_weeks as (
            -- Only the requested weeks and the weeks a lapse looks back over.
            select creator, {week_of("date")} as week, sum(clicks) as clicks, cast(sum(revenue) as double) as revenue
            from performance, bounds
            where creator is not null
              and {_IN_PROGRAMS}
              and date between {week_of("first_day")} - {7 * LAPSE_WEEKS} and {week_of("last_day")} + 6
            group by creator, week
        ),
        active as (
            select w.creator, w.week, f.first_week
            from creator_weeks as w
            join first_active as f using (creator)
            where w.clicks > 0
        ),
        weeks as (
            select cast(unnest(generate_series(
                {week_of("first_day")}, {week_of("last_day")}, interval 7 day
            )) as date) as week
            from bounds
            where first_day <= last_day
        ),
        counts as (
            select
                w.week,
                count(a.creator) as creators_active,
                count(a.creator) filter (where a.first_week = w.week) as creators_new
            from weeks as w
            left join active as a on a.week = w.week
            group by w.week
        ),
        lapsed as (
            select w.week, count(distinct before.creator) as creators_lapsed
            from weeks as w
            join active as before
                on before.week between w.week - {7 * LAPSE_WEEKS} and w.week - 7
            anti join active as now on now.creator = before.creator and now.week = w.week
            group by w.week
        ),
        ranked as (
            select
                week,
                revenue,
                row_number() over (partition by week order by revenue desc, creator) as place
            from creator_weeks
        ),
        top_share as (
            select
                week,
                sum(revenue) filter (where place <= {TOP_CREATORS}) / nullif(sum(revenue), 0) as top5_revenue_share
            from ranked
            group by week
        ),
        final as (
            select
                c.week,
                c.creators_active,
                c.creators_new,
                coalesce(l.creators_lapsed, 0) as creators_lapsed,
                t.top5_revenue_share
            from counts as c
            left join lapsed as l using (week)
            left join top_share as t using (week)
        )
        select * from final
        order by week
    """
    parameters: dict[str, object] = {"start": start, "end": end, "programs": list(programs)}
    frame = con.execute(sql, parameters).df()
    frame["week"] = pd.to_datetime(frame["week"]).dt.date
    counts = {name: "int64" for name in ("creators_active", "creators_new", "creators_lapsed")}
    return frame.astype({**counts, "top5_revenue_share": "float64"})


def creators_active(con: duckdb.DuckDBPyConnection, start: date, end: date, programs: tuple[str, ...] = ()) -> int:
    """How many creators had a click on a day from `start` to `end` (inclusive): `creators_active` over those days
    rather than one week."""
    row = con.execute(
        f"""
        select count(distinct creator) from performance
        where creator is not null and clicks > 0 and date between $start and $end and {_IN_PROGRAMS}
        """,
        {"start": start, "end": end, "programs": list(programs)},
    ).fetchone()
    return int(row[0]) if row else 0


def top5_revenue_share(
    con: duckdb.DuckDBPyConnection, start: date | None = None, end: date | None = None, programs: tuple[str, ...] = ()
) -> float | None:
    """The 5 highest-revenue creators' share of attributed revenue from `start` to `end` (inclusive, open where
    None): their summed revenue over everyone's. 1.0 with five creators or fewer; None without revenue."""
    parameters: dict[str, object] = {"start": start, "end": end, "programs": list(programs)}
    row = con.execute(
        f"""
        with
        creators as (
            select creator, cast(sum(revenue) as double) as revenue
            from performance
            where creator is not null
              and date between coalesce(cast($start as date), date '1900-01-01')
                           and coalesce(cast($end as date), date '9999-12-31')
              and {_IN_PROGRAMS}
            group by creator
        ),
        ranked as (
            select revenue, row_number() over (order by revenue desc, creator) as place
            from creators
        )
        select sum(revenue) filter (where place <= {TOP_CREATORS}) / nullif(sum(revenue), 0)
        from ranked
        """,
        parameters,
    ).fetchone()
    return None if row is None or row[0] is None else float(row[0])
