"""The metric registry, and the queries that compute every metric over a scope, grouped by any dimensions.

Each metric is declared once here: its name (as in SQL, DataFrames and the CLI), its label, its format,
its definition in words, and for the grouped metrics the SQL over the per-group sums built below.
Rates are always ratios of sums over the scope; a zero denominator gives null, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from analytics.contract.kinds import ORDERS, UNASSIGNED_PRODUCT_LINE
from analytics.sql import ident, idents, keys_match
from analytics.store.derived import NEXT_ORDER_DATE, PREVIOUS_ORDER_DATE

DIMENSIONS = ("creator", "asin", "product_line", "campaign", "week")
# Unattributed order lines have no creator or campaign, so only these dimensions partition the baseline.
BASELINE_DIMENSIONS = ("asin", "product_line", "week")


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    format: str  # count | money | percent | rank | rank_change
    description: str
    source: str  # performance | orders | products | ranks
    sql: str = ""  # over the per-group sums of `grouped_metrics`; empty where another module computes it


def _ratio(numerator: str, denominator: str) -> str:
    return f"cast({numerator} as double) / nullif({denominator}, 0)"


METRICS: tuple[Metric, ...] = (
    Metric("clicks", "Clicks", "count", "Clicks on creators' links, summed.", "performance", "clicks"),
    Metric("orders", "Orders", "count", "Purchases attributed to creators, summed.", "performance", "orders"),
    Metric("units", "Units", "count", "Units sold through creators, summed.", "performance", "units"),
    Metric("revenue", "Attributed revenue", "money", "Sales attributed to creators, summed.", "performance", "revenue"),
    Metric(
        "commission",
        "Commission",
        "money",
        "Bonus commission paid for those sales, summed.",
        "performance",
        "commission",
    ),
    Metric(
        "conversion_rate",
        "Conversion rate",
        "percent",
        "Orders divided by clicks: how often a creator's link leads to a purchase.",
        "performance",
        _ratio("orders", "clicks"),
    ),
    Metric(
        "commission_share",
        "Commission share",
        "percent",
        "Commission divided by revenue: what the channel costs per dollar it sells.",
        "performance",
        _ratio("commission", "revenue"),
    ),
    Metric(
        "revenue_share",
        "Revenue share",
        "percent",
        "This group's revenue divided by the revenue of the whole selection.",
        "performance",
        _ratio("revenue", "sum(revenue) over ()"),
    ),
    Metric(
        "payout_per_order",
        "Bonus per order",
        "money",
        "Commission divided by orders: the bonus a creator earns per sale.",
        "performance",
        _ratio("commission", "orders"),
    ),
    Metric(
        "ntb_pct",
        "New-to-brand %",
        "percent",
        "Attributed order lines from new-to-brand customers divided by attributed order lines "
        "(without order lines: new-to-brand orders divided by orders from the performance report).",
        "orders",
        f"case when has_order_lines then {_ratio('ntb_lines', 'ntb_known')} "
        f"else {_ratio('ntb_orders', 'ntb_base')} end",
    ),
    Metric(
        "sns_rate",
        "Subscribe & Save rate",
        "percent",
        "Attributed order lines that started or renewed a Subscribe & Save subscription divided by attributed "
        "order lines (without order lines: Subscribe & Save orders divided by orders from the performance report).",
        "orders",
        f"case when has_order_lines then {_ratio('sns_lines', 'sns_known')} "
        f"else {_ratio('sns_orders', 'sns_base')} end",
    ),
    Metric(
        "repeat_rate",
        "Repeat rate",
        "percent",
        "Of the customers with an attributed order, the share with two or more distinct orders with the brand "
        "in the date range.",
        "orders",
        f"case when has_order_lines then {_ratio('repeat_customers', 'customers')} end",
    ),
    Metric(
        "baseline_ntb_pct",
        "Baseline new-to-brand %",
        "percent",
        "New-to-brand share of all order lines, attributed or not, for the same products and weeks.",
        "orders",
        f"case when has_order_lines then {_ratio('b_ntb_lines', 'b_ntb_known')} end",
    ),
    Metric(
        "baseline_sns_rate",
        "Baseline Subscribe & Save rate",
        "percent",
        "Subscribe & Save share of all order lines, attributed or not, for the same products and weeks.",
        "orders",
        f"case when has_order_lines then {_ratio('b_sns_lines', 'b_sns_known')} end",
    ),
    Metric(
        "baseline_repeat_rate",
        "Baseline repeat rate",
        "percent",
        "Of all customers of the same products and weeks, the share with two or more distinct orders in the "
        "date range.",
        "orders",
        f"case when has_order_lines then {_ratio('b_repeat_customers', 'b_customers')} end",
    ),
    Metric(
        "creator_payout_per_sale",
        "Creator payout per sale",
        "money",
        "Price times the standard plus bonus commission rates: what a creator sees per sale when choosing offers.",
        "products",
        "price * (coalesce(standard_rate, 0) + bonus_rate)",
    ),
    Metric(
        "rank_before",
        "Rank before",
        "rank",
        "Median organic rank over the window before activation (not-ranked days left out).",
        "ranks",
    ),
    Metric(
        "rank_after",
        "Rank after",
        "rank",
        "Median organic rank over the window starting at activation plus the lag.",
        "ranks",
    ),
    Metric(
        "rank_change",
        "Rank change",
        "rank_change",
        "Rank before minus rank after: positive means the product moved up in organic search.",
        "ranks",
    ),
    Metric("keywords_improved", "Keywords improved", "count", "Keywords whose rank change is positive.", "ranks"),
    Metric("keywords_measured", "Keywords measured", "count", "Keywords with a rank before and after.", "ranks"),
)

REGISTRY: dict[str, Metric] = {m.name: m for m in METRICS}
GROUPED_METRICS = tuple(m for m in METRICS if m.source in ("performance", "orders"))
# The metrics of the performance report alone: a `grouped_metrics` call asking only for these never reads the
# order lines, several times faster than one that counts distinct customers.
SALES_METRICS = tuple(m.name for m in GROUPED_METRICS if m.source == "performance")
BASELINE_METRICS = ("baseline_ntb_pct", "baseline_sns_rate", "baseline_repeat_rate")
# Every grouped metric but the all-buyers baselines: for groups that do not split the baseline (creators,
# campaigns), whose baseline is the scope's own, read once from `totals`.
WITHOUT_BASELINES = tuple(m.name for m in GROUPED_METRICS if m.name not in BASELINE_METRICS)


@dataclass(frozen=True)
class Scope:
    """An inclusive date range (open-ended where None) plus optional filters; empty tuple = no filter."""

    start: date | None = None
    end: date | None = None
    creators: tuple[str, ...] = ()
    asins: tuple[str, ...] = ()
    product_lines: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()

    def parameters(self) -> dict[str, object]:
        return {
            "start": self.start or date(1900, 1, 1),
            "end": self.end or date(9999, 12, 31),
            "creators": list(self.creators),
            "asins": list(self.asins),
            "product_lines": list(self.product_lines),
            "campaigns": list(self.campaigns),
        }


def week_of(day: str) -> str:
    """SQL for the Sunday that starts `day`'s week: weeks run Sunday to Saturday."""
    return f"{day} - cast(dayofweek({day}) as integer)"


def product_line_of(column: str) -> str:
    """SQL for a catalog product line, with the Unassigned line for ASINs missing from the catalog."""
    return f"coalesce({column}, '{UNASSIGNED_PRODUCT_LINE}')"


def _in_filter(column: str, parameter: str) -> str:
    return f"(len(${parameter}::varchar[]) = 0 or list_contains(${parameter}::varchar[], {column}))"


def _check_dimensions(by: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}")
    return tuple(dict.fromkeys(by))


def _group_sql(dimensions: tuple[str, ...]) -> tuple[str, str]:
    """(select list, group by) for the dimensions; no dimensions means one row for the whole scope."""
    if not dimensions:
        return "1 as _all", "_all"
    return idents(dimensions), idents(dimensions)


# A customer is a repeat customer of a date range when two distinct orders of theirs fall in it. The store keeps,
# on every order line, the day of the customer's nearest other order before and after the line's (see
# `store.derived.order_neighbours`), so that question is a test on each line in the range rather than a count of
# each customer's distinct orders: if the customer has another order in the range, the nearest one on one side is
# in it too. Distinct customers are counted by the integer keys stored beside the text ids at load.
_CUSTOMER = ORDERS.surrogate_column("customer_id")
_CUSTOMER_KEYS = ORDERS.surrogate_table("customer_id")
_IS_REPEAT = f"coalesce({PREVIOUS_ORDER_DATE} >= $start or {NEXT_ORDER_DATE} <= $end, false)"


def _check_metrics(names: tuple[str, ...] | list[str] | None) -> tuple[Metric, ...]:
    if names is None:
        return GROUPED_METRICS
    grouped = {m.name: m for m in GROUPED_METRICS}
    unknown = [n for n in names if n not in grouped]
    if unknown:
        raise ValueError(f"unknown metric {', '.join(unknown)}; choose from {', '.join(grouped)}")
    return tuple(grouped[n] for n in dict.fromkeys(names))


_LINE_COUNTS = ("ntb_lines", "ntb_known", "sns_lines", "sns_known")


def _line_counts(prefix: str) -> list[str]:
    """The order-line counts behind the customer rates, for attributed lines ("") or the baseline ("b_").

    The known-flag counts are the denominators: a line whose flag was not given is left out of its rate.
    """
    return [
        f"count(*) filter (where new_to_brand) as {prefix}ntb_lines",
        f"count(new_to_brand) as {prefix}ntb_known",
        f"count(*) filter (where subscribe_and_save) as {prefix}sns_lines",
        f"count(subscribe_and_save) as {prefix}sns_known",
    ]


# Distinct customers are counted, where the groups are few (the whole scope, product lines, the weeks of a period),
# as the bits set in a bitmap of customer keys: one pass with no hash table, three to four times faster than grouping
# the lines by customer. A bitmap is as long as the largest key, and each thread keeps two per group (customers,
# repeat customers) for the attributed lines and for the baseline, so where one count's bitmaps would take more than
# half of MAX_BITMAP_BYTES, and for dimensions that can number thousands (creators, ASINs, campaigns), the lines are
# grouped by customer instead.
MAX_BITMAP_BYTES = 64 * 2**20
_MAX_KEY = "max_customer_key"


def _counted_groups(source: str, dimensions: tuple[str, ...], prefix: str, with_customers: bool, bitmaps: bool) -> str:
    """The body of a CTE counting `source`'s order lines per group, and its distinct (repeat) customers.

    Every line of a customer in the range carries the same `is_repeat`. With `bitmaps`, each group's customers are
    the bits its lines set in a bitmap of customer keys up to the $max_customer_key parameter. Without, the lines
    are counted per group, and the customers apart: one row per distinct (group, customer, is_repeat), which needs
    no aggregate, counted per group. A dimension the order lines also keep as an integer key (the creator) is
    grouped by its key and named from its dictionary at the end: grouping by two integers is half the work of
    grouping by a text and an integer.
    """
    group_select, group_by = _group_sql(dimensions)
    line_counts = ", ".join(_line_counts(prefix))
    if not with_customers:
        return f"select {group_select}, {line_counts} from {source} group by {group_by}"
    if bitmaps:
        bits = f"bitstring_agg({_CUSTOMER}, 1, ${_MAX_KEY})"
        return f"""
            select
                {group_select},
                {line_counts},
                coalesce(bit_count({bits}), 0) as {prefix}customers,
                coalesce(bit_count({bits} filter (where is_repeat)), 0) as {prefix}repeat_customers
            from {source}
            group by {group_by}"""
    keyed = tuple(ORDERS.surrogate_column(d) if d in ORDERS.surrogates else d for d in dimensions)
    keyed_select, keyed_by = _group_sql(keyed)
    keyed_columns = keyed or ("_all",)
    names = [
        f"n{i}.value as {ident(d)}" if d in ORDERS.surrogates else f"c.{ident(d)}" for i, d in enumerate(dimensions)
    ]
    dictionaries = "".join(
        f" left join {ident(ORDERS.surrogate_table(d))} as n{i} on n{i}.key = c.{ident(ORDERS.surrogate_column(d))}"
        for i, d in enumerate(dimensions)
        if d in ORDERS.surrogates
    )
    return f"""
            select
                {", ".join(names) or "c._all"},
                {", ".join(f"c.{prefix}{name}" for name in _LINE_COUNTS)},
                d.customers as {prefix}customers,
                d.repeat_customers as {prefix}repeat_customers
            from (select {keyed_select}, {line_counts} from {source} group by {keyed_by}) as c
            join (
                select
                    {idents(keyed_columns)},
                    count(*) as customers,
                    count(*) filter (where is_repeat) as repeat_customers
                from (select distinct {keyed_select}, {_CUSTOMER}, is_repeat from {source})
                group by {idents(keyed_columns)}
            ) as d on {keys_match("c", "d", keyed_columns)}{dictionaries}"""


@dataclass(frozen=True)
class _BitmapSizes:
    longest_key: int  # the largest customer key: the length of a bitmap, in bits
    product_lines: int  # Unassigned included
    threads: int

    def fit(self, dimensions: tuple[str, ...], scope: Scope) -> bool:
        """Whether grouping by `dimensions` over `scope` leaves few enough groups to count customers in bitmaps."""
        if not dimensions:
            groups = 1
        elif dimensions == ("product_line",):
            groups = self.product_lines
        elif dimensions == ("week",) and scope.start and scope.end:
            groups = (scope.end - scope.start).days // 7 + 2
        else:
            return False
        return groups * 2 * self.threads * (self.longest_key // 8 + 1) <= MAX_BITMAP_BYTES // 2


def _bitmap_sizes(con: duckdb.DuckDBPyConnection) -> _BitmapSizes:
    row = con.execute(
        f"""
        select
            (select coalesce(max(key), 1) from {_CUSTOMER_KEYS}),
            (select count(distinct product_line) from products) + 1,
            cast(current_setting('threads') as integer)
        """
    ).fetchall()[0]
    return _BitmapSizes(*(int(value) for value in row))


def _line_sums(alias: str, prefix: str, with_customers: bool) -> list[str]:
    """`_line_counts` as read from the joined table `alias` in `sums`."""
    sums = [f"{alias}.{prefix}{name}" for name in _LINE_COUNTS]
    if with_customers:
        sums += [f"coalesce({alias}.{prefix}customers, 0) as {prefix}customers", f"{alias}.{prefix}repeat_customers"]
    return sums


def grouped_metrics(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: tuple[str, ...] | list[str],
    metrics: tuple[str, ...] | list[str] | None = None,
) -> pd.DataFrame:
    """Performance and orders metrics, one row per group of `by` over `scope`, sorted by the groups.

    `metrics` names the metrics wanted (default: all of GROUPED_METRICS). The order lines are read only when
    an orders metric is asked for; then a group with attributed order lines but no performance row shows
    zeros, while without them only groups with performance rows are listed.
    """
    dimensions = _check_dimensions(by)
    selected = _check_metrics(metrics)
    with_orders = any(m.source == "orders" for m in selected)
    # Customers are counted for the attributed lines and for the baseline only where a repeat rate asks.
    names = {m.name for m in selected}
    attributed_customers, baseline_customers = "repeat_rate" in names, "baseline_repeat_rate" in names
    group_select, group_by = _group_sql(dimensions)
    join_keys = dimensions or ("_all",)
    metric_items = ",\n            ".join(f"{m.sql} as {ident(m.name)}" for m in selected)
    output = idents(dimensions) + ", " if dimensions else ""
    line_column, line_join = _product_lines("product_line" in dimensions or bool(scope.product_lines))
    perf_ctes = f"""
        catalog as (
            select asin, product_line from products
        ),
        perf as (
            select
                p.*,
                {line_column},
                {week_of("p.date")} as week
            from performance as p
            {line_join}
        ),
        perf_in_scope as (
            select *
            from perf
            where date between $start and $end
              and {_in_filter("creator", "creators")}
              and {_in_filter("asin", "asins")}
              and {_in_filter("product_line", "product_lines")}
              and {_in_filter("campaign", "campaigns")}
        ),
        perf_groups as (
            select
                {group_select},
                cast(sum(clicks) as bigint) as clicks,
                cast(sum(orders) as bigint) as orders,
                cast(sum(units) as bigint) as units,
                cast(sum(revenue) as decimal(38, 4)) as revenue,
                cast(sum(commission) as decimal(38, 4)) as commission,
                cast(sum(ntb_orders) as bigint) as ntb_orders,
                cast(sum(orders) filter (where ntb_orders is not null) as bigint) as ntb_base,
                cast(sum(sns_orders) as bigint) as sns_orders,
                cast(sum(orders) filter (where sns_orders is not null) as bigint) as sns_base
            from perf_in_scope
            group by {group_by}
        )"""
    perf_sums = [
        "coalesce(p.clicks, 0) as clicks",
        "coalesce(p.orders, 0) as orders",
        "case when p.clicks is null then 0 else p.units end as units",
        "coalesce(p.revenue, 0) as revenue",
        "coalesce(p.commission, 0) as commission",
        "p.ntb_orders",
        "p.ntb_base",
        "p.sns_orders",
        "p.sns_base",
    ]
    parameters = scope.parameters()
    if with_orders:
        baseline = tuple(d for d in dimensions if d in BASELINE_DIMENSIONS)
        bitmaps = (False, False)
        if attributed_customers or baseline_customers:
            sizes = _bitmap_sizes(con)
            bitmaps = (
                attributed_customers and sizes.fit(dimensions, scope),
                baseline_customers and sizes.fit(baseline, scope),
            )
            # Only bitmaps need their length (and DuckDB refuses a parameter the query leaves unused).
            if any(bitmaps):
                parameters[_MAX_KEY] = sizes.longest_key
        ctes = perf_ctes + _orders_ctes(
            dimensions, attributed_customers, baseline_customers, bitmaps, line_column, line_join
        )
        # Without a baseline dimension the baseline is one row for the whole scope, joined to every group.
        baseline_on = keys_match("k", "b", baseline) if baseline else "true"
        sums = (
            perf_sums
            + _line_sums("a", "", attributed_customers)
            + _line_sums("b", "b_", baseline_customers)
            + ["(select count(*) > 0 from baseline_lines) as has_order_lines"]
        )
        keys_and_joins = f"""
            from group_keys as k
            left join perf_groups as p on {keys_match("k", "p", join_keys)}
            left join attributed_groups as a on {keys_match("k", "a", join_keys)}
            left join baseline_groups as b on {baseline_on}"""
        group_keys = f"""
        group_keys as (
            select {idents(join_keys)} from perf_groups
            union
            select {idents(join_keys)} from attributed_groups
        ),"""
    else:
        ctes, sums, group_keys = perf_ctes, perf_sums, ""
        keys_and_joins = """
            from perf_groups as p"""
    sums_list = ",\n                ".join(sums)
    sql = f"""
        with
        {ctes},{group_keys}
        sums as (
            -- A group present in one table only shows 0 for the other table's sums.
            select
                {idents(join_keys, "k." if with_orders else "p.")},
                {sums_list}
            {keys_and_joins}
        ),
        final as (
            select
            {output}{metric_items}
            from sums
        )
        select * from final
        {"order by " + idents(dimensions) + " nulls last" if dimensions else ""}
    """
    try:
        frame = con.execute(sql, parameters).df()
    except duckdb.OutOfRangeException:
        # A load committed customers with larger keys between reading the bound and counting: read it again.
        if _MAX_KEY not in parameters:
            raise
        parameters[_MAX_KEY] = _bitmap_sizes(con).longest_key
        frame = con.execute(sql, parameters).df()
    return _with_dtypes(frame)


def _product_lines(needed: bool) -> tuple[str, str]:
    """The product_line column of performance rows and order lines, and the catalog join that gives it.

    Without a product-line group or filter the column is never read, so the rows skip the join (a fifth of a
    grouped call's time); the catalog holds each ASIN once, so the join never changes which rows there are.
    """
    if not needed:
        return "cast(null as varchar) as product_line", ""
    return f"{product_line_of('c.product_line')} as product_line", "left join catalog as c using (asin)"


def _orders_ctes(
    dimensions: tuple[str, ...],
    attributed_customers: bool,
    baseline_customers: bool,
    bitmaps: tuple[bool, bool],
    line_column: str,
    line_join: str,
) -> str:
    """The order lines in scope, attributed and baseline, counted per group (see `grouped_metrics`).

    `bitmaps`: whether the attributed and the baseline groups count their customers in bitmaps (`_counted_groups`);
    `line_column` and `line_join`: how lines get their product line (`_product_lines`).
    """
    baseline = tuple(d for d in dimensions if d in BASELINE_DIMENSIONS)
    in_baseline = f"{_in_filter('asin', 'asins')} and {_in_filter('product_line', 'product_lines')}"
    # Repeat is judged on all of a customer's orders with the brand in the date range, any ASIN.
    repeat = f",\n                {_IS_REPEAT} as is_repeat" if attributed_customers or baseline_customers else ""
    return f""",
        lines as (
            select
                o.*,
                {line_column},
                {week_of("o.order_date")} as week{repeat}
            from orders as o
            {line_join}
            where o.order_date between $start and $end
        ),
        baseline_lines as (
            select *
            from lines
            where {in_baseline}
        ),
        attributed_lines as (
            select *
            from baseline_lines
            where creator is not null
              and {_in_filter("creator", "creators")}
              and {_in_filter("campaign", "campaigns")}
        ),
        attributed_groups as (
            {_counted_groups("attributed_lines", dimensions, "", attributed_customers, bitmaps[0])}
        ),
        baseline_groups as (
            {_counted_groups("baseline_lines", baseline, "b_", baseline_customers, bitmaps[1])}
        )"""


def _with_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers and money as floats, whatever DuckDB's conversion chose."""
    for metric in GROUPED_METRICS:
        if metric.name in frame:
            frame[metric.name] = frame[metric.name].astype("Int64" if metric.format == "count" else "float64")
    return frame


def totals(
    con: duckdb.DuckDBPyConnection, scope: Scope, metrics: tuple[str, ...] | list[str] | None = None
) -> dict[str, object]:
    """The scope's metrics (`metrics`, default all) as one dict (zeros and nulls when the scope holds no data)."""
    frame = grouped_metrics(con, scope, (), metrics)
    if frame.empty:
        return {
            m.name: (0 if m.format in ("count", "money") and m.source == "performance" else None)
            for m in _check_metrics(metrics)
        }
    row = {name: frame[name].iloc[0] for name in frame.columns}
    return {k: (None if pd.isna(v) else getattr(v, "item", lambda v=v: v)()) for k, v in row.items()}


def product_payouts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per ASIN: price, rates and the creator payout per sale (what creators sort offers by)."""
    payout = REGISTRY["creator_payout_per_sale"].sql
    return con.execute(
        f"""
        select
            asin,
            product_line,
            title,
            cast(price as double) as price,
            standard_rate,
            bonus_rate,
            cast({payout} as double) as creator_payout_per_sale,
            launch_date,
            activation_date
        from products
        order by product_line, asin
        """
    ).df()


def product_line_payouts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per product line: its ASINs' median creator payout per sale and median price."""
    payout = REGISTRY["creator_payout_per_sale"].sql
    return con.execute(
        f"""
        select
            product_line,
            count(*) as asins,
            cast(median({payout}) as double) as creator_payout_per_sale,
            cast(median(price) as double) as price
        from products
        group by product_line
        order by product_line
        """
    ).df()


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """First and last day with performance data, or None for an empty store."""
    row = con.execute("select min(date), max(date) from performance").fetchone()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


def filter_values(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every creator, product line and campaign with creator activity, sorted: the values a filter can take.

    Activity is a performance row or an attributed order line, as in `grouped_metrics` over all dates (the
    store keeps their distinct triples in the `activity` table); an ASIN missing from the catalog belongs to the
    Unassigned line.
    """
    rows = con.execute(
        f"""
        select distinct 'creator' as dimension, creator as value from activity where creator is not null
        union all
        select distinct 'campaign', campaign from activity where campaign is not null
        union all
        select distinct 'product_line', {product_line_of("c.product_line")}
        from (select distinct asin from activity) as a
        left join products as c using (asin)
        """
    ).fetchall()
    values: dict[str, list[str]] = {"product_line": [], "creator": [], "campaign": []}
    for dimension, value in rows:
        values[dimension].append(value)
    return {dimension: sorted(found) for dimension, found in values.items()}
