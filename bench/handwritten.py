"""The engine's metrics written by hand, one DuckDB query each, straight over the tables: the speed floor and a check.

No metric registry, no helpers from analytics/: each query is what an engineer would write for that one screen,
worked out again from SPEC.md, so where these and the engine disagree one of them misreads the spec. They only
cover the default scope the pages open on (a date range, no creator, ASIN, line or campaign filter), and assume an
orders table is loaded (the engine falls back to the performance counts without one).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

# Per dimension: the group expression over performance (alias p) and over orders (alias o), both joined to the
# catalog (alias c). `None` is the whole scope (totals). A Sunday-start week: Monday-start ISO week of the next day.
GROUPS: dict[str | None, tuple[str, str]] = {
    "creator": ("p.creator", "o.creator"),
    "asin": ("p.asin", "o.asin"),
    "product_line": ("coalesce(c.product_line, 'Unassigned')", "coalesce(c.product_line, 'Unassigned')"),
    "week": (
        "cast(date_trunc('week', p.date + 1) as date) - 1",
        "cast(date_trunc('week', o.order_date + 1) as date) - 1",
    ),
    None: ("'all'", "'all'"),
}
# Unattributed order lines have no creator, so per creator (and for totals) the baseline is the whole scope.
WHOLE_SCOPE_BASELINE = ("creator", None)


def grouped_sql(dimension: str | None) -> str:
    """Every performance and orders metric per group of one dimension, over $start … $end."""
    perf_group, line_group = GROUPS[dimension]
    baseline_join = "true" if dimension in WHOLE_SCOPE_BASELINE else "b.g = k.g"
    return f"""
        with
        perf_groups as (
            select
                {perf_group} as g,
                sum(p.clicks) as clicks,
                sum(p.orders) as orders,
                sum(p.units) as units,
                cast(sum(p.revenue) as double) as revenue,
                cast(sum(p.commission) as double) as commission
            from performance as p
            left join products as c on c.asin = p.asin
            where p.date between $start and $end
            group by g
        ),
        lines as (
            select
                {line_group} as g,
                o.customer_id,
                o.creator,
                cast(o.new_to_brand as double) as ntb,
                cast(o.subscribe_and_save as double) as sns
            from orders as o
            left join products as c on c.asin = o.asin
            where o.order_date between $start and $end
        ),
        repeaters as (
            select customer_id
            from orders
            where order_date between $start and $end
            group by customer_id
            having count(distinct order_id) >= 2
        ),
        flagged as (
            select l.*, r.customer_id is not null as repeater
            from lines as l
            left join repeaters as r on r.customer_id = l.customer_id
        ),
        attributed as (
            select
                g,
                -- Over every line: a blank flag is a line without it (SPEC's "/ attributed lines").
                sum(ntb) / count(*) as ntb_pct,
                sum(sns) / count(*) as sns_rate,
                count(distinct customer_id) filter (where repeater) / count(distinct customer_id)
                    as repeat_rate_in_period
            from flagged
            where coalesce(creator, '') <> ''
            group by g
        ),
        baseline as (
            select
                {"'all'" if dimension in WHOLE_SCOPE_BASELINE else "g"} as g,
                sum(ntb) / count(*) as baseline_ntb_pct,
                sum(sns) / count(*) as baseline_sns_rate
            from flagged
            group by 1
        ),
        group_keys as (
            select g from perf_groups
            union
            select g from attributed
        ),
        final as (
            select
                k.g,
                coalesce(p.clicks, 0) as clicks,
                coalesce(p.orders, 0) as orders,
                coalesce(p.units, 0) as units,
                coalesce(p.revenue, 0) as revenue,
                coalesce(p.commission, 0) as commission,
                p.orders / nullif(p.clicks, 0) as conversion_rate,
                p.commission / nullif(p.revenue, 0) as commission_share,
                coalesce(p.revenue, 0) / nullif(sum(p.revenue) over (), 0) as revenue_share,
                p.commission / nullif(p.orders, 0) as payout_per_order,
                a.ntb_pct,
                a.sns_rate,
                a.repeat_rate_in_period,
                b.baseline_ntb_pct,
                b.baseline_sns_rate
            from group_keys as k
            left join perf_groups as p on p.g = k.g
            left join attributed as a on a.g = k.g
            left join baseline as b on {baseline_join}
        )
        select * from final
    """


def grouped(con: duckdb.DuckDBPyConnection, start: date, end: date, dimension: str) -> pd.DataFrame:
    frame = con.execute(grouped_sql(dimension), {"start": start, "end": end}).df()
    return frame.rename(columns={"g": dimension})


def totals(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, object]:
    frame = con.execute(grouped_sql(None), {"start": start, "end": end}).df().drop(columns="g")
    return {name: (None if pd.isna(value) else value) for name, value in frame.iloc[0].items()}


RANK_LIFT_BY_ASIN = """
    with
    first_clicks as (
        select asin, min(date) as first_click
        from performance
        where clicks > 0
        group by asin
    ),
    activation as (
        select asin, coalesce(p.activation_date, f.first_click) as activation_date
        from products as p
        full outer join first_clicks as f using (asin)
    ),
    keyword_lift as (
        select
            r.asin,
            r.keyword,
            median(r.organic_rank) filter (
                where r.date >= a.activation_date - $window and r.date < a.activation_date
            ) as rank_before,
            median(r.organic_rank) filter (
                where r.date >= a.activation_date + $lag and r.date < a.activation_date + $lag + $window
            ) as rank_after
        from ranks as r
        join activation as a on a.asin = r.asin
        where a.activation_date is not null
        group by r.asin, r.keyword
    )
    select
        asin,
        median(rank_before) as rank_before,
        median(rank_after) as rank_after,
        median(rank_before - rank_after) as rank_change,
        count(*) filter (where rank_before - rank_after > 0) as keywords_improved,
        count(rank_before - rank_after) as keywords_measured
    from keyword_lift
    group by asin
"""


def rank_lift_by_asin(con: duckdb.DuckDBPyConnection, window_days: int = 28, lag_days: int = 0) -> pd.DataFrame:
    return con.execute(RANK_LIFT_BY_ASIN, {"window": window_days, "lag": lag_days}).df()


# The weekly review's seven checks (analytics/insights.py's docstrings give the periods and thresholds), as one
# query returning (rule, subject). Threshold comparisons round to 6 places, as the engine documents.
WEEKLY_INSIGHTS = f"""
    with
    perf as (
        select p.*, coalesce(c.product_line, 'Unassigned') as product_line
        from performance as p
        left join products as c on c.asin = p.asin
    ),
    line_shares as (
        select
            product_line,
            sum(commission) filter (where date between $as_of - 41 and $as_of)
                / nullif(sum(revenue) filter (where date between $as_of - 41 and $as_of), 0) as share_now,
            sum(commission) filter (where date between $as_of - 83 and $as_of - 42)
                / nullif(sum(revenue) filter (where date between $as_of - 83 and $as_of - 42), 0) as share_before
        from perf
        where date between $as_of - 83 and $as_of
        group by product_line
    ),
    commission_share_drift as (
        select 'commission_share_drift' as rule, product_line as subject
        from line_shares
        where round((share_now - share_before) * 100, 6) >= 2.0
    ),
    asin_revenue_90 as (
        select product_line, asin, sum(revenue) as revenue
        from perf
        where date between $as_of - 89 and $as_of
        group by product_line, asin
    ),
    asin_shares_90 as (
        select *, revenue / nullif(sum(revenue) over (partition by product_line), 0) as share
        from asin_revenue_90
    ),
    heroes as (
        select product_line, first(asin order by share desc, asin) as hero, max(share) as hero_share
        from asin_shares_90
        where share is not null
        group by product_line
    ),
    launch_starved as (
        select 'launch_starved' as rule, c.asin as subject
        from products as c
        join heroes as h on h.product_line = c.product_line
        left join asin_shares_90 as s on s.asin = c.asin
        where c.launch_date between $as_of - 59 and $as_of
          and round(h.hero_share, 6) > 0.6
          and c.asin <> h.hero
          and round(coalesce(s.share, 0), 6) < 0.1
    ),
    lines_90 as (
        select creator, new_to_brand
        from orders
        where order_date between $as_of - 89 and $as_of
    ),
    creators_90 as (
        select
            creator,
            sum(clicks) as clicks,
            sum(orders) as orders,
            sum(revenue) as revenue
        from performance
        where date between $as_of - 89 and $as_of
        group by creator
    ),
    clicks_no_purchases as (
        select 'clicks_no_purchases' as rule, creator as subject
        from creators_90
        where clicks >= 200 and orders = 0
    ),
    creator_ntb as (
        -- Judged over 30 lines or more: fewer make the share a sign, not a measure.
        select creator, sum(cast(new_to_brand as double)) / count(*) as ntb_pct
        from lines_90
        where coalesce(creator, '') <> ''
        group by creator
        having count(*) >= 30
    ),
    low_new_to_brand as (
        select 'low_new_to_brand' as rule, n.creator as subject
        from creator_ntb as n
        cross join (select sum(cast(new_to_brand as double)) / count(*) as baseline from lines_90) as b
        where round((b.baseline - n.ntb_pct) * 100, 6) >= 15.0
    ),
    low_creator_payout as (
        select 'low_creator_payout' as rule, asin as subject
        from products
        where round(price * (coalesce(standard_rate, 0) + bonus_rate), 6) < 1.0
           or round(price, 6) < 15.0
    ),
    top_creators as (
        select 'top_creators' as rule, string_agg(creator, ', ' order by revenue desc, creator) as subject
        from (
            select creator, revenue
            from creators_90
            where revenue > 0
            order by revenue desc, creator
            limit 10
        )
        having count(*) > 0
    ),
    asin_growth as (
        select
            asin,
            coalesce(sum(revenue) filter (where date between $as_of - 27 and $as_of), 0)
                - coalesce(sum(revenue) filter (where date between $as_of - 55 and $as_of - 28), 0) as growth
        from performance
        where date between $as_of - 55 and $as_of
        group by asin
        having count(*) filter (where date between $as_of - 27 and $as_of) > 0
    ),
    revenue_up_rank_flat as (
        select 'revenue_up_rank_flat' as rule, g.asin as subject
        from asin_growth as g
        join ({RANK_LIFT_BY_ASIN}) as l on l.asin = g.asin
        where round(g.growth, 6) > 0 and l.rank_change <= 0
    ),
    final as (
        select * from commission_share_drift
        union all select * from launch_starved
        union all select * from clicks_no_purchases
        union all select * from low_new_to_brand
        union all select * from low_creator_payout
        union all select * from top_creators
        union all select * from revenue_up_rank_flat
    )
    select * from final
"""


def weekly_insights(con: duckdb.DuckDBPyConnection, as_of: date) -> list[tuple[str, str]]:
    """(rule, subject) of every finding, sorted: what the review would show, without its sentences."""
    rows = con.execute(WEEKLY_INSIGHTS, {"as_of": as_of, "window": 28, "lag": 0}).fetchall()
    return sorted((str(rule), str(subject)) for rule, subject in rows)


# The sidebar's filter options, the floor for analytics.metrics.filter_values.
FILTER_OPTIONS = """
    select 'creator' as filter, creator as value from performance where creator is not null group by creator
    union select 'creator', creator from orders where coalesce(creator, '') <> '' group by creator
    union select 'campaign', campaign from performance where campaign is not null group by campaign
    union
    select 'product_line', coalesce(c.product_line, 'Unassigned')
    from performance as p
    left join products as c on c.asin = p.asin
    group by 2
"""


def filter_options(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The sidebar's creator, campaign and product-line lists, as plain distinct values."""
    return con.execute(FILTER_OPTIONS).fetchall()
