"""Total sales before versus after each ASIN entered Creator Connections, against ASINs of its line not yet in it.

The difference-in-differences of rank lift (`metrics.rank_lift`), on weekly `total_revenue` from the sales files:
an ASIN's weekly totals are the sums of its sales rows whose period lies inside one Sunday-to-Saturday week, and a
week counts in a window (before: A−W … A−1, after: A+L … A+L+W−1) when all its seven days do. `sales_before` and
`sales_after` are the medians of the weekly totals in each window; `sales_change` = after − before (positive =
sales grew). The controls are the ASINs of the same product line with weekly totals in both windows whose own
activation is empty or later than the after window's last day; `control_sales_change` is the median of their changes
over the same weeks, and `sales_lift_vs_control` = sales_change − control_sales_change (null without a control or
without sales covering both windows).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.metrics.grouped import product_line_of
from analytics.metrics.rank_lift import ACTIVATION_CTES, DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS
from analytics.sql import week_of

COLUMNS = (
    "asin",
    "product_line",
    "activation_date",
    "sales_before",
    "sales_after",
    "sales_change",
    "control_sales_change",
    "sales_lift_vs_control",
    "control_asins",
)

# The columns the rank lift's ASIN rows add from this comparison (the CLI's `rank-lift --by asin`).
SALES_LIFT_COLUMNS = ("sales_change", "control_sales_change", "sales_lift_vs_control")

_SALES_LIFT = f"""
    with
    {ACTIVATION_CTES},
    weekly as (
        select asin, {week_of("period_start")} as week, cast(sum(total_revenue) as double) as total_revenue
        from sales
        where {week_of("period_start")} = {week_of("period_end")}
        group by all
    ),
    windows as (
        -- Every ASIN with weekly sales, and for the activated ones their two windows.
        select
            w.asin,
            {product_line_of("a.product_line")} as product_line,
            a.activation_date
        from (select distinct asin from weekly) as w
        left join activation as a using (asin)
    ),
    treated as (
        select
            asin,
            product_line,
            activation_date,
            activation_date - $window as before_first,
            activation_date - 1 as before_last,
            activation_date + $lag as after_first,
            activation_date + $lag + $window - 1 as after_last
        from windows
        where activation_date is not null
    ),
    pairs as (
        -- Each treated ASIN with itself (own) and with its controls, over its windows.
        select t.*, t.asin as series, true as own
        from treated as t
        union all
        select t.*, c.asin as series, false as own
        from treated as t
        join windows as c
            on c.product_line = t.product_line
           and c.asin <> t.asin
           and (c.activation_date is null or c.activation_date > t.after_last)
    ),
    changes as (
        select
            p.asin,
            p.product_line,
            p.activation_date,
            p.series,
            p.own,
            median(w.total_revenue) filter (
                where w.week >= p.before_first and w.week + 6 <= p.before_last
            ) as sales_before,
            median(w.total_revenue) filter (
                where w.week >= p.after_first and w.week + 6 <= p.after_last
            ) as sales_after
        from pairs as p
        join weekly as w on w.asin = p.series
        group by all
    ),
    final as (
        select
            asin,
            any_value(product_line) as product_line,
            any_value(activation_date) as activation_date,
            cast(any_value(sales_before) filter (where own) as double) as sales_before,
            cast(any_value(sales_after) filter (where own) as double) as sales_after,
            cast(any_value(sales_after - sales_before) filter (where own) as double) as sales_change,
            cast(median(sales_after - sales_before) filter (where not own) as double) as control_sales_change,
            count(sales_after - sales_before) filter (where not own) as control_asins
        from changes
        group by asin
    )
    select
        *,
        sales_change - control_sales_change as sales_lift_vs_control
    from final
    order by asin
"""


def sales_lift(
    con: duckdb.DuckDBPyConnection, window_days: int = DEFAULT_WINDOW_DAYS, lag_days: int = DEFAULT_LAG_DAYS
) -> pd.DataFrame:
    """One row per activated ASIN with sales rows: `COLUMNS` (see the module docstring)."""
    if window_days < 1 or lag_days < 0:
        raise ValueError("the window must be at least 1 day and the lag cannot be negative")
    frame = con.execute(_SALES_LIFT, {"window": window_days, "lag": lag_days}).df()
    return frame[list(COLUMNS)].astype({"control_asins": "int64"})
