"""Rates over time: each ASIN's standard and bonus rates as dated by its catalog loads, and the rate in force on a day.

A rate applies from its effective date until the ASIN's next dated rate (`store.rates`). When one load and a later
one date a rate on the same day, the later load's stands. Before an ASIN's first dated rate, that first rate stands:
a catalog loaded today without dates is the best knowledge of the rates its earlier data ran under, and a payout
left blank for every day before the upload would hide it. How long a rate has gone unchanged is counted only from
a date the history shows, so it is unknown (null) on such days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pandas as pd

from analytics.sql import ident
from analytics.store.rates import RATE_HISTORY

STALE_RATE_DAYS = 90

# The history as changes: per ASIN and day the newest load's rates, kept where they differ from the day before's.
# `bonus_changed` marks the rows where the bonus itself moved (or the ASIN's first row).
_CHANGES = f"""
    dated as (
        select asin, effective_date, standard_rate, bonus_rate
        from {ident(RATE_HISTORY)}
        qualify row_number() over (partition by asin, effective_date order by load_id desc) = 1
    ),
    compared as (
        select
            *,
            row_number() over w = 1 as first_rate,
            lag(standard_rate) over w as previous_standard_rate,
            lag(bonus_rate) over w as previous_bonus_rate
        from dated
        window w as (partition by asin order by effective_date)
    ),
    changes as (
        select
            asin,
            effective_date,
            standard_rate,
            bonus_rate,
            first_rate,
            first_rate or bonus_rate is distinct from previous_bonus_rate as bonus_changed
        from compared
        where first_rate
           or standard_rate is distinct from previous_standard_rate
           or bonus_rate is distinct from previous_bonus_rate
    )"""


def default_as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The day payouts are judged on when none is given: the last day of performance data, else today (UTC)."""
    row = con.execute("select max(date) from performance").fetchone()
    return row[0] if row and row[0] is not None else datetime.now(UTC).date()


def rates_in_force_sql() -> str:
    """A query (bound parameter `$as_of`) with one row per ASIN of the rate history: the `standard_rate` and
    `bonus_rate` in force on as_of, the day they took effect (`effective_date`, later than as_of when as_of comes
    before the ASIN's first dated rate), and `bonus_since`, the first day of the bonus rate's current run (null
    when as_of is before the history starts)."""
    return f"""
        with
        {_CHANGES},
        spans as (
            select
                *,
                lead(effective_date) over (partition by asin order by effective_date) as next_change
            from changes
        ),
        bonus_runs as (
            select asin, max(effective_date) as bonus_since
            from changes
            where bonus_changed and effective_date <= $as_of
            group by asin
        ),
        final as (
            select
                s.asin,
                s.standard_rate,
                s.bonus_rate,
                s.effective_date,
                b.bonus_since
            from spans as s
            left join bonus_runs as b using (asin)
            where (s.effective_date <= $as_of or s.first_rate)
              and (s.next_change is null or s.next_change > $as_of)
        )
        select * from final
    """


def rates_in_force(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Per ASIN with dated rates: the rates in force on `as_of` (default `default_as_of`), the day they took effect,
    the first day of the current bonus rate and `bonus_unchanged_days` = as_of − that day (null when unknown).
    Sorted by ASIN."""
    as_of = as_of or default_as_of(con)
    frame = con.execute(
        f"""
        select
            asin,
            standard_rate,
            bonus_rate,
            effective_date,
            bonus_since,
            datediff('day', bonus_since, $as_of) as bonus_unchanged_days
        from ({rates_in_force_sql()})
        order by asin
        """,
        {"as_of": as_of},
    ).df()
    frame["bonus_unchanged_days"] = frame["bonus_unchanged_days"].astype("Int64")
    return frame


def rate_history(
    con: duckdb.DuckDBPyConnection, asins: tuple[str, ...] | list[str] = (), until: date | None = None
) -> pd.DataFrame:
    """Each ASIN's rate changes (of the given `asins`, default all), oldest first: the day a rate took effect, the
    standard and bonus rates from then on, and whether the bonus itself moved that day. A catalog loaded again with
    the same rates is no change. `until` leaves out the rates that took effect after it, a past period's history,
    but for each ASIN's first: that one stands for the days before it too (as `rates_in_force` reads it)."""
    return con.execute(
        f"""
        with
        {_CHANGES},
        final as (
            select asin, effective_date, standard_rate, bonus_rate, bonus_changed
            from changes
            where (len($asins::varchar[]) = 0 or list_contains($asins::varchar[], asin))
              and ($until::date is null or effective_date <= $until::date or first_rate)
        )
        select * from final
        order by asin, effective_date
        """,
        {"asins": list(asins), "until": until},
    ).df()
