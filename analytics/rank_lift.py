"""Organic rank before versus after each ASIN entered Creator Connections, by keyword, ASIN or product line."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.metrics import product_line_of

LEVELS = ("keyword", "asin", "product_line")
DEFAULT_WINDOW_DAYS = 28
DEFAULT_LAG_DAYS = 0

# Each ASIN's first day with a click on a creator's link. The store keeps it as the `first_clicks` table, rebuilt
# with every change to the data (store.record_data_change), so measuring a lift never scans the performance rows.
FIRST_CLICKS = """
    select asin, min(date) as first_click
    from performance
    where clicks > 0
    group by asin
"""

_ACTIVATION_CTES = f"""
    activation as (
        -- The catalog's activation date wins; otherwise the first day a creator's link was clicked.
        select
            coalesce(p.asin, f.asin) as asin,
            coalesce(p.activation_date, f.first_click) as activation_date,
            {product_line_of("p.product_line")} as product_line
        from products as p
        full outer join first_clicks as f using (asin)
    )
"""

_KEYWORD_LIFT = f"""
    with
    {_ACTIVATION_CTES},
    readings as (
        select r.asin, r.keyword, r.date, r.organic_rank, a.activation_date, a.product_line
        from ranks as r
        join activation as a using (asin)
        where a.activation_date is not null
    ),
    keyword_lift as (
        select
            asin,
            keyword,
            any_value(product_line) as product_line,
            any_value(activation_date) as activation_date,
            median(organic_rank) filter (
                where date between activation_date - $window and activation_date - 1
            ) as rank_before,
            median(organic_rank) filter (
                where date between activation_date + $lag and activation_date + $lag + $window - 1
            ) as rank_after
        from readings
        group by asin, keyword
    ),
    final as (
        select
            asin,
            keyword,
            product_line,
            activation_date,
            cast(rank_before as double) as rank_before,
            cast(rank_after as double) as rank_after,
            cast(rank_before - rank_after as double) as rank_change
        from keyword_lift
    )
    select * from final
"""


def rank_lift(
    con: duckdb.DuckDBPyConnection,
    level: str = "asin",
    window_days: int = DEFAULT_WINDOW_DAYS,
    lag_days: int = DEFAULT_LAG_DAYS,
) -> pd.DataFrame:
    """Rank before, after and change per keyword, or their medians per ASIN or product line.

    Not-ranked readings are null and medians skip nulls, so they are left out of both windows; a side with
    no ranked day is null and so is the change. ASINs with no activation date have no rows.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    if window_days < 1 or lag_days < 0:
        raise ValueError("the window must be at least 1 day and the lag cannot be negative")
    parameters = {"window": window_days, "lag": lag_days}
    if level == "keyword":
        return con.execute(
            f"""
            select asin, keyword, rank_before, rank_after, rank_change, activation_date
            from ({_KEYWORD_LIFT})
            order by asin, keyword
            """,
            parameters,
        ).df()
    group = "asin" if level == "asin" else "product_line"
    return con.execute(
        f"""
        select
            {group},
            cast(median(rank_before) as double) as rank_before,
            cast(median(rank_after) as double) as rank_after,
            cast(median(rank_change) as double) as rank_change,
            count(*) filter (where rank_change > 0) as keywords_improved,
            count(rank_change) as keywords_measured
        from ({_KEYWORD_LIFT})
        group by {group}
        order by {group}
        """,
        parameters,
    ).df()


def rank_history(con: duckdb.DuckDBPyConnection, asin: str) -> pd.DataFrame:
    """Daily organic rank per keyword for one ASIN, for the rank-over-time chart."""
    return con.execute(
        """
        select date, keyword, organic_rank
        from ranks
        where asin = $asin
        order by keyword, date
        """,
        {"asin": asin},
    ).df()


def activation_dates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each ASIN's activation date (the catalog's, else the first day with clicks) and product line."""
    return con.execute(f"with {_ACTIVATION_CTES} select * from activation order by asin").df()
