"""Organic rank before versus after each ASIN entered Creator Connections, by keyword, ASIN or product line."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.metrics.grouped import product_line_of

LEVELS = ("keyword", "asin", "product_line")
DEFAULT_WINDOW_DAYS = 28
DEFAULT_LAG_DAYS = 0

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
    return rank_lifts(con, window_days, lag_days)[level]


def rank_lifts(
    con: duckdb.DuckDBPyConnection, window_days: int = DEFAULT_WINDOW_DAYS, lag_days: int = DEFAULT_LAG_DAYS
) -> dict[str, pd.DataFrame]:
    """`rank_lift` at every level, from one pass over the rank readings: each level's frame by its name.

    The ASIN and product-line medians summarise the keyword rows, a few per product, so they are taken from the
    keyword frame rather than by reading the ranks again.
    """
    if window_days < 1 or lag_days < 0:
        raise ValueError("the window must be at least 1 day and the lag cannot be negative")
    keywords = con.execute(
        f"""
        select asin, keyword, rank_before, rank_after, rank_change, activation_date, product_line
        from ({_KEYWORD_LIFT})
        order by asin, keyword
        """,
        {"window": window_days, "lag": lag_days},
    ).df()
    return {
        "keyword": keywords.drop(columns="product_line"),
        "asin": _medians(keywords, "asin"),
        "product_line": _medians(keywords, "product_line"),
    }


def _medians(keywords: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per `group`: the medians of its keywords' ranks (nulls skipped) and how many keywords improved, of those
    measured."""
    changes = keywords["rank_change"]
    summary = (
        keywords.assign(improved=changes > 0, measured=changes.notna())
        .groupby(group, sort=True)
        .agg(
            rank_before=("rank_before", "median"),
            rank_after=("rank_after", "median"),
            rank_change=("rank_change", "median"),
            keywords_improved=("improved", "sum"),
            keywords_measured=("measured", "sum"),
        )
        .reset_index()
    )
    return summary.astype({"keywords_improved": "int64", "keywords_measured": "int64"})


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
