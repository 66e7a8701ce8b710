"""The metric registry, and the queries that compute every metric over a scope, grouped by any dimensions.

Each metric is declared once here: its name (as in SQL, DataFrames and the CLI), its label, its format,
its definition in words, and for the grouped metrics the SQL over the per-group sums built below.
Rates are always ratios of sums over the scope; a zero denominator gives null, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from analytics.contract.kinds import COHORTS, ORDERS, UNASSIGNED_PRODUCT_LINE
from analytics.metrics.choices import DEFAULT_REPEAT_DAYS, DIMENSIONS
from analytics.metrics.rates import default_as_of, rates_in_force_sql
from analytics.metrics.titles import titles_sql
from analytics.sql import days_without_rows, ident, idents, keys_match, week_of
from analytics.store.derived import NEXT_ORDER_DATE, PREVIOUS_ORDER_DATE

# Unattributed order lines have no creator or campaign, so only these dimensions partition the baseline.
BASELINE_DIMENSIONS = ("asin", "product_line", "week")
# The dimensions order lines (and cohorts, and Brand Analytics) do not carry: grouped by one, they do not split.
NOT_IN_ORDERS = ("program",)


# What a grouped metric may need counted beyond the per-group sums, each costing the query a pass of its own.
REPEATS_WITHIN = "repeats_within"  # attributed customers' entries, matured and repeating within R days
REPEATS_IN_PERIOD = "repeats_in_period"  # attributed customers with two orders in the date range
BASELINE_REPEATS_WITHIN = "baseline_repeats_within"  # the same as REPEATS_WITHIN over all customers
BRAND_ANALYTICS = "brand_analytics"  # Brand Analytics' repeat purchase rows, per baseline group
NEEDS = (REPEATS_WITHIN, REPEATS_IN_PERIOD, BASELINE_REPEATS_WITHIN, BRAND_ANALYTICS)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    format: str  # count | money | percent | points (a change of a percent) | rank | rank_change | text
    description: str
    source: str  # performance | orders | products | ranks | commission_change | health | …
    sql: str = ""  # over the per-group sums of `grouped_metrics`; empty where another module computes it
    needs: frozenset[str] = frozenset()  # of NEEDS: the counts `sql` reads besides the sums every group has
    # False for a count the pages show beside a metric but the command line's `metrics`, whose columns SPEC names,
    # does not print: worked out only when asked for by name.
    listed: bool = True


@dataclass(frozen=True)
class Sum:
    """One per-group sum of a kind's rows that the metrics' SQL reads by name.

    `aggregate` sums the rows in scope of one group; `read` is how the joined group (its alias in place of `{t}`)
    gives it to a group that may have no rows of this kind at all: 0 for the sums a group without rows has none
    of, and null for the values a report may not carry, so their rates stay null rather than 0.
    """

    name: str
    aggregate: str
    read: str = "{t}.{name}"

    def aggregated(self) -> str:
        return f"{self.aggregate} as {self.name}"

    def read_from(self, alias: str) -> str:
        return f"{self.read.format(t=alias, name=self.name)} as {self.name}"


def sums_sql(sums: tuple[Sum, ...], read_from: str | None = None) -> str:
    """The select list of `sums`: aggregated over a group's rows, or read from the joined group `read_from`."""
    items = [s.read_from(read_from) if read_from else s.aggregated() for s in sums]
    return ",\n                ".join(items)


PERFORMANCE_SUMS: tuple[Sum, ...] = (
    Sum("clicks", "cast(sum(clicks) as bigint)", "coalesce({t}.clicks, 0)"),
    Sum("orders", "cast(sum(orders) as bigint)", "coalesce({t}.orders, 0)"),
    # Units may be missing from a report that has rows: null there, 0 for a group without rows.
    Sum("units", "cast(sum(units) as bigint)", "case when {t}.clicks is null then 0 else {t}.units end"),
    Sum("revenue", "cast(sum(revenue) as decimal(38, 4))", "coalesce({t}.revenue, 0)"),
    Sum("commission", "cast(sum(commission) as decimal(38, 4))", "coalesce({t}.commission, 0)"),
    Sum("ntb_orders", "cast(sum(ntb_orders) as bigint)"),
    # The denominator of the performance-report rate, as SPEC says it: all the group's orders ("ntb_orders /
    # orders"), a row without the count among them; none when no row states the count (the column was not loaded).
    Sum("ntb_base", "cast(case when count(ntb_orders) > 0 then sum(orders) end as bigint)"),
    Sum("sns_orders", "cast(sum(sns_orders) as bigint)"),
    Sum("sns_base", "cast(case when count(sns_orders) > 0 then sum(orders) end as bigint)"),
    # The orders of the rows that state the counts: fewer than the base when some files lack the column (Creator
    # Connections' own export), whose orders the rate counts as neither (`customer_value.counts_cover_note`).
    Sum("ntb_stated", "cast(sum(orders) filter (where ntb_orders is not null) as bigint)"),
    Sum("sns_stated", "cast(sum(orders) filter (where sns_orders is not null) as bigint)"),
)
# The period kinds' sums (`metrics.sales`), over the rows whose whole period lies in the scope.
_BUY_BOX_KNOWN = "buy_box_pct is not null and sessions is not null"
SALES_SUMS: tuple[Sum, ...] = (
    Sum("total_revenue", "cast(sum(total_revenue) as double)"),
    Sum("total_units", "cast(sum(total_units) as bigint)"),
    # Vendor Central reports no sessions: their sum is 0, as for any sum over rows without a value.
    Sum("sessions", "cast(coalesce(sum(sessions), 0) as bigint)"),
    # A row with an unknown Buy Box % neither adds to the weighted sum nor dilutes it.
    Sum("buy_box_weighted", f"sum(buy_box_pct * sessions) filter (where {_BUY_BOX_KNOWN})"),
    Sum("buy_box_sessions", f"sum(sessions) filter (where {_BUY_BOX_KNOWN})"),
)
# Over search rows with a `branded` flag: whether the query holds one of the brand's terms.
SEARCH_SUMS: tuple[Sum, ...] = (
    Sum(
        "branded_search_volume",
        "cast(coalesce(sum(search_query_volume) filter (where branded), 0) as bigint)",
    ),
    Sum("other_clicks_brand", "sum(clicks_brand) filter (where not branded)"),
    Sum("other_clicks_total", "sum(clicks_total) filter (where not branded)"),
)
# Rows missing the customers or the repeat share are left out of both.
_REPEAT_KNOWN = "unique_customers is not null and repeat_customers_pct is not null"
REPEAT_PURCHASE_SUMS: tuple[Sum, ...] = (
    Sum("ba_repeat_customers", f"sum(unique_customers * repeat_customers_pct) filter (where {_REPEAT_KNOWN})"),
    Sum("ba_customers", f"sum(unique_customers) filter (where {_REPEAT_KNOWN})"),
)


def _ratio(numerator: str, denominator: str) -> str:
    return f"cast({numerator} as double) / nullif({denominator}, 0)"


def _flag_base(flag: str, prefix: str = "") -> str:
    """The lines a flag's rate is a share of: every line of the group ("/ attributed lines"), a line whose flag was
    left blank among them; none when no line of the group gives the flag (a file without the column: the rate is
    not available, not 0 %), as the performance and cohort rates are none without their counts."""
    return f"case when {prefix}{flag}_known > 0 then {prefix}lines end"


def _flag_share(flag: str, prefix: str = "") -> str:
    """SPEC's "lines with the flag true / lines", over `_flag_base`."""
    return _ratio(f"{prefix}{flag}_lines", _flag_base(flag, prefix))


# Customer metrics take the best source present for the scope: order lines, else cohorts (the rows with a creator
# for the attributed rates, the all-buyer rows for the baselines), else the performance counts (new-to-brand and
# Subscribe & Save alone), else Brand Analytics for the repeat baseline. The flags are per scope, not per group, so
# one table never mixes sources down its rows.
def _best_source(lines: str, cohorts: str, fallback: str = "", baseline: bool = False) -> str:
    """SQL for a customer metric from the first source present: `lines`, `cohorts`, then `fallback` (if any)."""
    cohorts_present = "has_cohort_baseline" if baseline else "has_cohorts"
    otherwise = f" else {fallback}" if fallback else ""
    return f"case when has_order_lines then {lines} when {cohorts_present} then {cohorts}{otherwise} end"


_ATTRIBUTED_SOURCE = (
    "case when has_order_lines then 'order_lines' when has_cohorts then 'cohorts' "
    "when ntb_base is not null or sns_base is not null then 'performance' end"
)
_BASELINE_SOURCE = (
    "case when has_order_lines then 'order_lines' when has_cohort_baseline then 'cohorts' "
    # Brand Analytics only where it fills the row's baseline: a report whose period straddles the row's week is
    # left out of it, and so of the row's source.
    "when has_brand_analytics and ba_customers > 0 then 'brand_analytics' end"
)
CUSTOMER_SOURCE = (
    f"nullif(concat_ws('+', {_ATTRIBUTED_SOURCE}, "
    f"case when ({_BASELINE_SOURCE}) is distinct from ({_ATTRIBUTED_SOURCE}) then {_BASELINE_SOURCE} end), '')"
)


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
        "Commission divided by revenue: the share of each sale the channel costs.",
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
        "Attributed order lines from new-to-brand customers divided by attributed order lines (without order "
        "lines: new-to-brand buyers divided by buyers from cohorts, else new-to-brand orders divided by orders from "
        "the performance report).",
        "orders",
        _best_source(_flag_share("ntb"), _ratio("c_ntb_buyers", "c_ntb_base"), _ratio("ntb_orders", "ntb_base")),
    ),
    Metric(
        "ntb_counted",
        "New-to-brand base",
        "count",
        "The attributed orders the new-to-brand % is a share of, from the same source: attributed order lines, else "
        "cohort buyers, else the performance report's orders. Used to judge a share only over enough orders; "
        "`metrics` does not print it.",
        "orders",
        _best_source(_flag_base("ntb"), "c_ntb_base", "ntb_base"),
        listed=False,
    ),
    Metric(
        "ntb_stated",
        "Orders stating new-to-brand",
        "count",
        "Of the performance report's orders the new-to-brand % is a share of, those whose rows state new-to-brand "
        "orders (a file without the column states none). `metrics` does not print it.",
        "orders",
        "ntb_stated",
        listed=False,
    ),
    Metric(
        "sns_stated",
        "Orders stating Subscribe & Save",
        "count",
        "Of the performance report's orders the Subscribe & Save rate is a share of, those whose rows state "
        "Subscribe & Save orders. `metrics` does not print it.",
        "orders",
        "sns_stated",
        listed=False,
    ),
    Metric(
        "sns_rate",
        "Subscribe & Save rate",
        "percent",
        "Attributed order lines that started or renewed a Subscribe & Save subscription divided by attributed "
        "order lines (without order lines: Subscribe & Save buyers divided by buyers from cohorts, else Subscribe & "
        "Save orders divided by orders from the performance report).",
        "orders",
        _best_source(_flag_share("sns"), _ratio("c_sns_buyers", "c_sns_base"), _ratio("sns_orders", "sns_base")),
    ),
    Metric(
        "repeat_rate",
        "Repeat rate",
        "percent",
        "Of the customers whose first attributed order in the selection is at least R days (90 unless set) before "
        "the last order loaded, the share who ordered from the brand again within R days of it (without "
        "order lines: repeat buyers divided by buyers from cohorts).",
        "orders",
        _best_source(_ratio("repeaters", "matured"), _ratio("c_repeat_buyers", "c_repeat_base")),
        frozenset({REPEATS_WITHIN}),
    ),
    Metric(
        "repeat_pending",
        "Repeat pending",
        "count",
        "Customers whose first attributed order in the selection is less than R days before the last order "
        "loaded: too recent to say whether they will buy again.",
        "orders",
        "case when has_order_lines then customers - matured end",
        frozenset({REPEATS_WITHIN}),
    ),
    Metric(
        "repeat_matured",
        "Matured buyers",
        "count",
        "Customers whose first attributed order in the selection is at least R days before the last order loaded: "
        "the buyers the repeat rate is a share of. Shown beside it on the pages; `metrics` does not print it.",
        "orders",
        "case when has_order_lines then matured end",
        frozenset({REPEATS_WITHIN}),
        listed=False,
    ),
    Metric(
        "repeat_rate_in_period",
        "Repeat rate in period",
        "percent",
        "Of the customers with an attributed order, the share with two or more distinct orders with the brand "
        "in the date range (as Brand Analytics counts repeats).",
        "orders",
        f"case when has_order_lines then {_ratio('repeat_customers', 'customers')} end",
        frozenset({REPEATS_IN_PERIOD}),
    ),
    Metric(
        "baseline_ntb_pct",
        "Baseline new-to-brand %",
        "percent",
        "New-to-brand share of all order lines, attributed or not, for the same products and weeks (without "
        "order lines: of the all-buyer cohorts).",
        "orders",
        _best_source(_flag_share("ntb", "b_"), _ratio("cb_ntb_buyers", "cb_ntb_base"), baseline=True),
    ),
    Metric(
        "baseline_sns_rate",
        "Baseline Subscribe & Save rate",
        "percent",
        "Subscribe & Save share of all order lines, attributed or not, for the same products and weeks (without "
        "order lines: of the all-buyer cohorts).",
        "orders",
        _best_source(_flag_share("sns", "b_"), _ratio("cb_sns_buyers", "cb_sns_base"), baseline=True),
    ),
    Metric(
        "baseline_repeat_rate",
        "Baseline repeat rate",
        "percent",
        "The repeat rate of all customers of the same products and weeks, counted from each one's first order of "
        "any attribution (without order lines: of the all-buyer cohorts, else Brand Analytics' repeat customers "
        "within its periods).",
        "orders",
        _best_source(
            _ratio("b_repeaters", "b_matured"),
            _ratio("cb_repeat_buyers", "cb_repeat_base"),
            _ratio("ba_repeat_customers", "ba_customers"),
            baseline=True,
        ),
        frozenset({BASELINE_REPEATS_WITHIN, BRAND_ANALYTICS}),
    ),
    Metric(
        "customer_source",
        "Customer source",
        "text",
        "Where the row's customer metrics come from: order_lines, cohorts, performance (new-to-brand and "
        "Subscribe & Save orders) or brand_analytics (the repeat baseline), joined with + when two fill it.",
        "orders",
        CUSTOMER_SOURCE,
        frozenset({BRAND_ANALYTICS}),
    ),
    Metric(
        "creator_payout_per_sale",
        "Creator payout per sale",
        "money",
        "Price times the standard plus bonus commission rates in force on the period's last day: what a creator "
        "sees per sale when choosing offers.",
        "products",
        "price * (coalesce(standard_rate, 0) + bonus_rate)",
    ),
    Metric(
        "rank_before",
        "Rank before",
        "rank",
        "Median organic rank over the window before activation (not-ranked days left out); for a product or a line, "
        "the median of its keywords' figures.",
        "ranks",
    ),
    Metric(
        "rank_after",
        "Rank after",
        "rank",
        "Median organic rank over the window starting at activation plus the lag; for a product or a line, the "
        "median of its keywords' figures.",
        "ranks",
    ),
    Metric(
        "rank_change",
        "Rank change",
        "rank_change",
        "Per keyword, rank before minus rank after: positive means it moved up in organic search. For a product or a "
        "line, the median of its keywords' changes, so not always its rank before minus its rank after.",
        "ranks",
    ),
    Metric("keywords_improved", "Keywords improved", "count", "Keywords whose rank change is positive.", "ranks"),
    Metric("keywords_measured", "Keywords measured", "count", "Keywords with a rank before and after.", "ranks"),
    Metric(
        "control_change",
        "Control change",
        "rank_change",
        "Median rank change, over the same days, of the keywords of the product line's ASINs not yet activated.",
        "ranks",
    ),
    Metric(
        "lift_vs_control",
        "Lift vs control",
        "rank_change",
        "Rank change minus the control change: the move the control group did not make too.",
        "ranks",
    ),
    Metric(
        "control_asins",
        "Control ASINs",
        "count",
        "Control ASINs with a keyword measured over the same days.",
        "ranks",
    ),
    Metric(
        "control_keywords",
        "Control keywords",
        "count",
        "Control keywords with a rank before and after over the same days.",
        "ranks",
    ),
    # From `metrics.sales_lift`: the rank lift's comparison, on weekly total revenue from the sales files.
    Metric(
        "sales_before",
        "Weekly sales before",
        "money",
        "Median weekly total revenue over the window before activation.",
        "sales_lift",
    ),
    Metric(
        "sales_after",
        "Weekly sales after",
        "money",
        "Median weekly total revenue over the window starting at activation plus the lag.",
        "sales_lift",
    ),
    Metric("sales_change", "Sales change", "money", "Weekly sales after minus weekly sales before.", "sales_lift"),
    Metric(
        "control_sales_change",
        "Control sales change",
        "money",
        "Median sales change, over the same weeks, of the product line's ASINs not yet activated.",
        "sales_lift",
    ),
    Metric(
        "sales_lift_vs_control",
        "Sales lift vs control",
        "money",
        "Sales change minus the control sales change: the weekly sales the control group did not gain too.",
        "sales_lift",
    ),
    Metric(
        "share_before",
        "Commission share before",
        "percent",
        "Commission divided by revenue in the earlier period.",
        "commission_change",
    ),
    Metric(
        "share_after",
        "Commission share after",
        "percent",
        "Commission divided by revenue in the later period.",
        "commission_change",
    ),
    Metric(
        "share_change",
        "Change",
        "points",
        "Commission share after minus before; the pages show the three effects rounded so they add up to it.",
        "commission_change",
    ),
    Metric(
        "rate_effect",
        "Rate effect",
        "points",
        "Share change from ASINs' own commission rates (commission over revenue, which a bonus change moves, and "
        "so does an ASIN's sales moving between campaigns or creators paid at different rates): the sum of later "
        "weight times change in rate.",
        "commission_change",
    ),
    Metric(
        "mix_effect",
        "Mix effect",
        "points",
        "Share change from sales moving between higher- and lower-rate ASINs: the sum of change in weight times "
        "earlier rate.",
        "commission_change",
    ),
    Metric(
        "entry_exit_effect",
        "Entry and exit effect",
        "points",
        "Share change from ASINs selling in one period only: those entering minus those leaving.",
        "commission_change",
    ),
    Metric(
        "commission_per_click_before",
        "Commission per click before",
        "money",
        "Commission divided by clicks in the earlier period.",
        "commission_change",
    ),
    Metric(
        "commission_per_click_after",
        "Commission per click after",
        "money",
        "Commission divided by clicks in the later period.",
        "commission_change",
    ),
    Metric("creators_active", "Active creators", "count", "Creators with clicks in the week.", "health"),
    Metric("creators_new", "New creators", "count", "Active creators whose first click ever is in the week.", "health"),
    Metric(
        "creators_lapsed",
        "Lapsed creators",
        "count",
        "Creators active in one of the 4 weeks before and not in this one.",
        "health",
    ),
    Metric(
        "top5_revenue_share",
        "Top 5 creators' share",
        "percent",
        "The 5 highest-revenue creators' share of attributed revenue.",
        "health",
    ),
    # Over the per-group sums of `metrics.sales.period_metrics`: rows whose whole period lies in the scope.
    Metric(
        "total_revenue",
        "Total revenue",
        "money",
        "All ordered product sales in the sales files (Business Report, Vendor Central), summed.",
        "sales",
        "total_revenue",
    ),
    Metric("total_units", "Total units", "count", "Units ordered in the sales files, summed.", "sales", "total_units"),
    Metric("sessions", "Sessions", "count", "Detail-page sessions in the sales files, summed.", "sales", "sessions"),
    Metric(
        "creator_sales_share",
        "Creator share of sales",
        "percent",
        "Attributed revenue on the days the sales periods cover, same ASINs, divided by their total revenue: how "
        "much of the product's business comes through creators.",
        "sales",
        _ratio("attributed_revenue", "total_revenue"),
    ),
    Metric(
        "buy_box_pct",
        "Buy Box %",
        "percent",
        "Buy Box percentage weighted by sessions: low values explain clicks without purchases.",
        "sales",
        _ratio("buy_box_weighted", "buy_box_sessions"),
    ),
    Metric(
        "branded_search_volume",
        "Branded search volume",
        "count",
        "Searches for queries containing one of the brand's terms (whole words, any case), summed.",
        "search",
        "branded_search_volume",
    ),
    Metric(
        "brand_click_share",
        "Brand click share",
        "percent",
        "Clicks on the brand's products divided by all clicks, over the queries without the brand's terms.",
        "search",
        _ratio("other_clicks_brand", "other_clicks_total"),
    ),
    Metric(
        "ba_repeat_rate",
        "Repeat rate (Brand Analytics)",
        "percent",
        "Customers weighted by Brand Analytics' share who repeated within its period, divided by customers: the "
        "all-buyer baseline when there are no order lines.",
        "repeat_purchase",
        _ratio("ba_repeat_customers", "ba_customers"),
    ),
    Metric("budget", "Budget", "money", "The commission the campaign ledger sets aside for the campaign.", "campaigns"),
    Metric(
        "budget_left",
        "Budget left",
        "money",
        "Budget less the commission spent from the campaign's start to the last day of data.",
        "campaigns",
    ),
    Metric("budget_used", "Budget used", "percent", "Commission spent divided by budget.", "campaigns"),
    Metric(
        "pace_per_day",
        "Spend per day",
        "money",
        "Commission per day over the campaign's last 14 days of data (fewer when it started more recently).",
        "campaigns",
    ),
    Metric(
        "projected_spend",
        "Projected spend",
        "money",
        "Commission spent plus the spend per day for every day left: what the campaign costs at its current pace.",
        "campaigns",
    ),
    Metric(
        "days_left",
        "Days left",
        "count",
        "Days the campaign still runs after the last day of data, up to its end.",
        "campaigns",
    ),
    Metric(
        "campaign_creators",
        "Creators active",
        "count",
        "Creators with a click or an order in the campaign from its start to the last day of data.",
        "campaigns",
    ),
)

REGISTRY: dict[str, Metric] = {m.name: m for m in METRICS}
# Every metric `grouped_metrics` can work out; those it works out unless told which, as `metrics` prints them.
_GROUPED = {m.name: m for m in METRICS if m.source in ("performance", "orders")}
GROUPED_METRICS = tuple(m for m in _GROUPED.values() if m.listed)
# The metrics of the performance report alone: a `grouped_metrics` call asking only for these never reads the
# order lines, several times faster than one that counts distinct customers.
SALES_METRICS = tuple(m.name for m in GROUPED_METRICS if m.source == "performance")
BASELINE_METRICS = ("baseline_ntb_pct", "baseline_sns_rate", "baseline_repeat_rate")
# Every grouped metric but the all-buyers baselines: for groups that do not split the baseline (creators,
# campaigns), whose baseline is the scope's own, read once from `totals`.
WITHOUT_BASELINES = tuple(m.name for m in GROUPED_METRICS if m.name not in BASELINE_METRICS)
# The counts the pages show beside the metrics but `metrics` does not print (`Metric.listed`).
UNLISTED = tuple(name for name, m in _GROUPED.items() if not m.listed)


@dataclass(frozen=True)
class Scope:
    """An inclusive date range (open-ended where None) plus optional filters; empty tuple = no filter."""

    start: date | None = None
    end: date | None = None
    creators: tuple[str, ...] = ()
    asins: tuple[str, ...] = ()
    product_lines: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    # Performance rows of these programs only; order lines carry no program, so it never narrows them.
    programs: tuple[str, ...] = ()

    def parameters(self) -> dict[str, object]:
        return {
            "start": self.start or date(1900, 1, 1),
            "end": self.end or date(9999, 12, 31),
            "creators": list(self.creators),
            "asins": list(self.asins),
            "product_lines": list(self.product_lines),
            "campaigns": list(self.campaigns),
            "programs": list(self.programs),
        }


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
# `store.derived.line_neighbours`), so that question is a test on each line in the range rather than a count of
# each customer's distinct orders: if the customer has another order in the range, the nearest one on one side is
# in it too. Distinct customers are counted by the integer keys stored beside the text ids at load.
_CUSTOMER = ORDERS.surrogate_column("customer_id")
_CUSTOMER_KEYS = ORDERS.surrogate_table("customer_id")
_IS_REPEAT = f"coalesce({PREVIOUS_ORDER_DATE} >= $start or {NEXT_ORDER_DATE} <= $end, false)"
# A customer repeats within R days of their entry line when another order of theirs is dated from the entry's day
# to R days later, and the same neighbours answer that on the entry line itself. In (day, order) order, another
# order on the entry's day sorts either before the entry's order, and then the nearest earlier order is dated that
# day, or after it, and then the nearest later one is; another order on a later day within R days makes the nearest
# later order no later than that. Every line of one order on one day carries the same neighbours, and a second
# order on the entry's day makes all of that day's lines repeats, so whichever entry-day line is read gives the
# same answer.
_REPEATS_WITHIN = (
    f"coalesce({PREVIOUS_ORDER_DATE} = order_date or {NEXT_ORDER_DATE} <= order_date + $repeat_days, false)"
)


def _check_metrics(names: tuple[str, ...] | list[str] | None) -> tuple[Metric, ...]:
    if names is None:
        return GROUPED_METRICS
    unknown = [n for n in names if n not in _GROUPED]
    if unknown:
        raise ValueError(f"unknown metric {', '.join(unknown)}; choose from {', '.join(_GROUPED)}")
    return tuple(_GROUPED[n] for n in dict.fromkeys(names))


_LINE_COUNTS = ("lines", "ntb_lines", "ntb_known", "sns_lines", "sns_known")


def _line_counts(prefix: str) -> list[str]:
    """The order-line counts behind the customer rates, for attributed lines ("") or the baseline ("b_"): every
    line, and those with each flag true and given (`_flag_share`)."""
    return [
        f"count(*) as {prefix}lines",
        f"count(*) filter (where new_to_brand) as {prefix}ntb_lines",
        f"count(new_to_brand) as {prefix}ntb_known",
        f"count(*) filter (where subscribe_and_save) as {prefix}sns_lines",
        f"count(subscribe_and_save) as {prefix}sns_known",
    ]


# Distinct customers are counted, where the groups are few (the whole scope, product lines, the weeks of a period)
# and only the repeat rate in the period is asked, as the bits set in a bitmap of customer keys: one pass with no
# hash table, three to four times faster than grouping the lines by customer. A bitmap is as long as the largest
# key, and each thread keeps two per group (customers, repeat customers), so where they would take more than half
# of MAX_BITMAP_BYTES, for dimensions that can number thousands (creators, ASINs, campaigns), and for the R-day
# repeat rates, which need each customer's entry line, the lines are grouped by customer instead.
MAX_BITMAP_BYTES = 64 * 2**20
_MAX_KEY = "max_customer_key"


@dataclass(frozen=True)
class _CustomerCounts:
    """Which customer counts a group of order lines needs: repeats in the period, and repeats within R days."""

    in_period: bool = False
    within_days: bool = False

    def __bool__(self) -> bool:
        return self.in_period or self.within_days


def _counted_groups(
    source: str, dimensions: tuple[str, ...], prefix: str, counts: _CustomerCounts, bitmaps: bool
) -> str:
    """The body of a CTE counting `source`'s order lines per group, and its distinct customers as `counts` asks.

    In the period: `customers` and `repeat_customers` (every line of a customer in the range carries the same
    `is_repeat`). Within R days: `customers`, `matured` (entry day + R on or before the store's last order day) and
    `repeaters` (matured, and `repeats_within` on the entry line, the customer's first line in the group).
    With `bitmaps`, each group's customers are the bits its lines set in a bitmap of customer keys up to the
    $max_customer_key parameter. Without, the lines are counted per group, and the customers apart: one row per
    (group, customer), counted per group. A dimension the order lines also keep as an integer key (the creator) is
    grouped by its key and named from its dictionary at the end: grouping by two integers is half the work of
    grouping by a text and an integer.
    """
    group_select, group_by = _group_sql(dimensions)
    line_counts = ", ".join(_line_counts(prefix))
    if not counts:
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
    # Each customer's first line in the group, packed into one integer so one `min` finds it: the day, then whether
    # the line repeats within R days, then whether the customer repeats in the period (the same on all their lines).
    within = "case when repeats_within then 0 else 2 end" if counts.within_days else "0"
    in_period = "case when is_repeat then 0 else 1 end" if counts.in_period else "0"
    first_line = f"min((order_date - date '1970-01-01') * 4 + {within} + {in_period}) as first_line"
    # The line counts are summed from each customer's, so the lines are grouped once.
    per_group = [f"cast(sum({name}) as bigint) as {prefix}{name}" for name in _LINE_COUNTS]
    per_group.append(f"count(*) as {prefix}customers")
    store_end = ""
    if counts.in_period:
        per_group.append(f"count(*) filter (where first_line % 2 = 0) as {prefix}repeat_customers")
    if counts.within_days:
        matured = "first_line // 4 + $repeat_days <= last_order_day"
        per_group += [
            f"count(*) filter (where {matured}) as {prefix}matured",
            f"count(*) filter (where {matured} and first_line // 2 % 2 = 0) as {prefix}repeaters",
        ]
        store_end = "\n                cross join store_end"
    outputs = [name.rsplit(" as ", 1)[1] for name in per_group]
    return f"""
            select
                {", ".join(names) or "c._all"},
                {", ".join(f"c.{output}" for output in outputs)}
            from (
                select
                    {idents(keyed_columns)},
                    {", ".join(per_group)}
                from (
                    select {keyed_select}, {_CUSTOMER}, {", ".join(_line_counts(""))}, {first_line}
                    from {source}
                    group by {keyed_by}, {_CUSTOMER}
                ){store_end}
                group by {idents(keyed_columns)}
            ) as c{dictionaries}"""


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


def _line_sums(alias: str, prefix: str, counts: _CustomerCounts) -> list[str]:
    """`_line_counts`, and the customer counts `counts` asks for, as read from the joined table `alias` in `sums`."""
    sums = [f"{alias}.{prefix}{name}" for name in _LINE_COUNTS]
    if counts:
        sums.append(f"coalesce({alias}.{prefix}customers, 0) as {prefix}customers")
    if counts.in_period:
        sums.append(f"{alias}.{prefix}repeat_customers")
    if counts.within_days:
        sums += [f"coalesce({alias}.{prefix}matured, 0) as {prefix}matured", f"{alias}.{prefix}repeaters"]
    return sums


def grouped_metrics(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: tuple[str, ...] | list[str],
    metrics: tuple[str, ...] | list[str] | None = None,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
    also: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Performance and orders metrics, one row per group of `by` over `scope`, sorted by the groups.

    `metrics` names the metrics wanted (default: all of GROUPED_METRICS); `repeat_days` is the R of the R-day
    repeat rates. The order lines are read only when an orders metric is asked for; then a group with attributed
    order lines (or, without order lines, attributed cohort rows) but no performance row shows zeros, while without
    them only groups with performance rows are listed. `also` (a frame with the `by` columns) lists more groups
    alike, such as the ASINs of the sales files: each shows zeros for the sums, and its baselines.
    """
    sql, parameters = grouped_metrics_sql(con, scope, by, metrics, repeat_days, also)
    try:
        frame = con.execute(sql, parameters).df()
    except duckdb.OutOfRangeException:
        # A load committed customers with larger keys between reading the bound and counting: read it again.
        if _MAX_KEY not in parameters:
            raise
        parameters[_MAX_KEY] = _bitmap_sizes(con).longest_key
        frame = con.execute(sql, parameters).df()
    return _with_dtypes(frame)


def grouped_metrics_sql(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    by: tuple[str, ...] | list[str],
    metrics: tuple[str, ...] | list[str] | None = None,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
    also: pd.DataFrame | None = None,
) -> tuple[str, dict[str, object]]:
    """The one SQL query `grouped_metrics` runs for these arguments, and its bound parameters (the CLI's
    `metrics --sql` prints it). It reads the store only to choose how to count customers."""
    dimensions = _check_dimensions(by)
    selected = _check_metrics(metrics)
    listed, listed_parameters = _also_listed(dimensions, also)
    # Groups listed beside the tables' own are keyed like the order lines' (group_keys), so they take that path.
    with_orders = any(m.source == "orders" for m in selected) or bool(listed)
    # Customers are counted for the attributed lines and for the baseline only where a selected metric needs it.
    needs = frozenset().union(*(m.needs for m in selected))
    attributed_counts = _CustomerCounts(in_period=REPEATS_IN_PERIOD in needs, within_days=REPEATS_WITHIN in needs)
    baseline_counts = _CustomerCounts(within_days=BASELINE_REPEATS_WITHIN in needs)
    group_select, group_by = _group_sql(dimensions)
    join_keys = dimensions or ("_all",)
    metric_items = ",\n            ".join(f"{m.sql} as {ident(m.name)}" for m in selected)
    output = idents(dimensions) + ", " if dimensions else ""
    product_lines = "product_line" in dimensions or bool(scope.product_lines)
    line_column, line_join = _product_lines(product_lines)
    perf_aggregates = sums_sql(PERFORMANCE_SUMS)
    perf_ctes = f"""{performance_in_scope(product_lines)},
        perf_groups as (
            select
                {group_select},
                {perf_aggregates}
            from perf_in_scope
            group by {group_by}
        )"""
    perf_sums = [s.read_from("p") for s in PERFORMANCE_SUMS]
    parameters = scope.parameters()
    if with_orders:
        # Order lines, cohorts and Brand Analytics carry no program: it does not split them (as the program filter
        # does not narrow them), so grouped by program each program's row carries those of its other groups.
        order_dims = tuple(d for d in dimensions if d not in NOT_IN_ORDERS)
        baseline = tuple(d for d in order_dims if d in BASELINE_DIMENSIONS)
        bitmaps = False
        if attributed_counts.in_period and not attributed_counts.within_days:
            sizes = _bitmap_sizes(con)
            bitmaps = sizes.fit(order_dims, scope)
            # Only bitmaps need their length (and DuckDB refuses a parameter the query leaves unused).
            if bitmaps:
                parameters[_MAX_KEY] = sizes.longest_key
        if attributed_counts.within_days or baseline_counts.within_days:
            parameters["repeat_days"] = repeat_days
        brand_analytics = BRAND_ANALYTICS in needs and _brand_analytics_present(con)
        ctes = (
            perf_ctes
            + _orders_ctes(order_dims, attributed_counts, baseline_counts, bitmaps, line_column, line_join)
            + _cohort_ctes(order_dims)
            + (_brand_analytics_ctes(order_dims) if brand_analytics else "")
        )

        def order_on(alias: str) -> str:
            """The join of an order-line or cohort group to the row's group: on every dimension, or on those the
            lines carry (none: one group for the whole scope, joined to every row)."""
            if order_dims == dimensions:
                return keys_match("k", alias, join_keys)
            return keys_match("k", alias, order_dims) if order_dims else "true"

        def baseline_on(alias: str) -> str:
            """Without a baseline dimension the baseline is one row for the whole scope, joined to every group."""
            return keys_match("k", alias, baseline) if baseline else "true"

        sums = (
            perf_sums
            + _line_sums("a", "", attributed_counts)
            + _line_sums("b", "b_", baseline_counts)
            + _cohort_sums("c", "c_")
            + _cohort_sums("cb", "cb_")
            + [
                "(select has_order_lines from presence) as has_order_lines",
                "(select has_cohorts from presence) as has_cohorts",
                "(select has_cohort_baseline from presence) as has_cohort_baseline",
            ]
        )
        if brand_analytics:
            sums += [
                *(s.read_from("ba") for s in REPEAT_PURCHASE_SUMS),
                "(select count(*) > 0 from brand_analytics_in_scope) as has_brand_analytics",
            ]
        else:
            sums += [f"null as {s.name}" for s in REPEAT_PURCHASE_SUMS] + ["false as has_brand_analytics"]
        keys_and_joins = f"""
            from group_keys as k
            left join perf_groups as p on {keys_match("k", "p", join_keys)}
            left join attributed_groups as a on {order_on("a")}
            left join baseline_groups as b on {baseline_on("b")}
            left join cohort_groups as c on {order_on("c")}
            left join cohort_baseline_groups as cb on {baseline_on("cb")}"""
        if brand_analytics:
            keys_and_joins += f"""
            left join brand_analytics_groups as ba on {baseline_on("ba")}"""
        baseline_only = _baseline_only_groups(dimensions, brand_analytics)
        # The groups of the order lines and cohorts themselves, where they carry every dimension.
        own_groups = (
            f"""
            union
            select {idents(join_keys)} from attributed_groups
            union
            -- Cohorts list their groups only where they are the source: without order lines in the scope.
            select {idents(join_keys)} from cohort_groups where not (select has_order_lines from presence)"""
            if order_dims == dimensions
            else ""
        )
        group_keys = f"""
        presence as (
            select
                (select count(*) > 0 from baseline_lines) as has_order_lines,
                -- Cohorts are a source for these groups only where a row in scope can fill one: by week, a row
                -- inside a week; by ASIN, a row naming one (`cohorts_split_by`).
                (
                    select count(*) > 0 from cohorts_in_scope
                    where creator is not null{in_week(order_dims)}{cohorts_split_by(order_dims)}
                ) as has_cohorts,
                (
                    select count(*) > 0 from cohorts_in_scope
                    where creator is null{in_week(order_dims)}{cohorts_split_by(baseline)}
                ) as has_cohort_baseline
        ),
        group_keys as (
            select {idents(join_keys)} from perf_groups{own_groups}
            {baseline_only}{listed}
        ),"""
        parameters.update(listed_parameters)
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
    return sql, parameters


_LISTED_TYPES = {"week": "date"}


def _also_listed(dimensions: tuple[str, ...], also: pd.DataFrame | None) -> tuple[str, dict[str, object]]:
    """The `group_keys` union member listing the groups of `also` (`grouped_metrics`), and its parameters: one list
    per dimension, unnested side by side. Nothing without dimensions: the scope's one row is always listed."""
    if also is None or also.empty or not dimensions:
        return "", {}
    missing = [d for d in dimensions if d not in also.columns]
    if missing:
        raise ValueError(f"the groups to list lack the columns {', '.join(missing)}")
    columns = ", ".join(
        f"unnest(${ident('also_' + d)}::{_LISTED_TYPES.get(d, 'varchar')}[]) as {ident(d)}" for d in dimensions
    )
    parameters: dict[str, object] = {
        f"also_{d}": [None if pd.isna(v) else pd.Timestamp(v).date() if d == "week" else v for v in also[d]]
        for d in dimensions
    }
    return f"\n            union\n            select {columns}", parameters


def _baseline_only_groups(dimensions: tuple[str, ...], brand_analytics: bool) -> str:
    """The `group_keys` union members listing the groups that only the all-buyer cohorts or Brand Analytics fill,
    where those are the baseline's source and the grouping is one the baseline shares (no creator or campaign).

    Without them a store of Brand Analytics files alone would show its repeat baseline on no row.
    """
    if not set(dimensions) <= set(BASELINE_DIMENSIONS):
        return ""
    keys = idents(dimensions or ("_all",))
    no_lines = "not (select has_order_lines from presence)"
    union = f"""union
            select {keys} from cohort_baseline_groups where {no_lines}"""
    if brand_analytics:
        union += f"""
            union
            select {keys} from brand_analytics_groups
            where {no_lines} and not (select has_cohort_baseline from presence)"""
    return union


def performance_in_scope(product_lines: bool) -> str:
    """The CTEs `catalog`, `perf` and `perf_in_scope`: the performance rows in the scope's dates and filters (the
    `Scope.parameters`), each with its week and, when `product_lines`, its product line (`_product_lines`)."""
    line_column, line_join = _product_lines(product_lines)
    return f"""
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
              and {_in_filter("program", "programs")}
        )"""


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
    attributed_counts: _CustomerCounts,
    baseline_counts: _CustomerCounts,
    bitmaps: bool,
    line_column: str,
    line_join: str,
) -> str:
    """The order lines in scope, attributed and baseline, counted per group (see `grouped_metrics`).

    `bitmaps`: whether the attributed groups count their customers in bitmaps (`_counted_groups`);
    `line_column` and `line_join`: how lines get their product line (`_product_lines`).
    """
    baseline = tuple(d for d in dimensions if d in BASELINE_DIMENSIONS)
    in_baseline = f"{_in_filter('asin', 'asins')} and {_in_filter('product_line', 'product_lines')}"
    # Repeats are judged on all of a customer's orders with the brand, any ASIN: in the period, within its date
    # range; within R days, from the entry line's day on, whatever the scope.
    repeat = ""
    if attributed_counts.in_period:
        repeat += f",\n                {_IS_REPEAT} as is_repeat"
    if attributed_counts.within_days or baseline_counts.within_days:
        repeat += f",\n                {_REPEATS_WITHIN} as repeats_within"
    store_end = """,
        store_end as (
            select max(order_date) - date '1970-01-01' as last_order_day from orders
        )"""
    return f""",
        lines as (
            select
                o.*,
                {line_column},
                cast(null as varchar) as program,
                {week_of("o.order_date")} as week{repeat}
            from orders as o
            {line_join}
            where o.order_date between $start and $end
        ){store_end if attributed_counts.within_days or baseline_counts.within_days else ""},
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
            {_counted_groups("attributed_lines", dimensions, "", attributed_counts, bitmaps)}
        ),
        baseline_groups as (
            {_counted_groups("baseline_lines", baseline, "b_", baseline_counts, False)}
        )"""


def periods_in_scope(table: str, catalog: str = "catalog") -> str:
    """SQL selecting the rows of a period kind's `table` that count in the scope, with product line and week, the
    product lines read from `catalog` (a table or CTE of asin, product_line).

    A row counts when its whole period lies inside the scope's dates, and belongs to the week its period lies
    inside (its week is null when the period spans two; `in_week` leaves it out of weekly groups). A row without an
    ASIN covers every ASIN, so it has no product line (not Unassigned), and ASIN and product-line filters leave it
    out. Every caller of a period kind reads its rows through here (`sales.period_metrics` too).
    """
    week = f"case when {week_of('r.period_start')} = {week_of('r.period_end')} then {week_of('r.period_start')} end"
    return f"""
            select *
            from (
                select
                    r.*,
                    case when r.asin is not null then {product_line_of("c.product_line")} end as product_line,
                    cast(null as varchar) as program,
                    {week} as week
                from {ident(table)} as r
                left join {ident(catalog)} as c using (asin)
                where r.period_start >= $start
                  and r.period_end <= $end
            )
            where {_in_filter("asin", "asins")}
              and {_in_filter("product_line", "product_lines")}"""


def in_week(dimensions: tuple[str, ...]) -> str:
    """The condition keeping, in groups by week, only the period rows that lie inside one week."""
    return "\n              and week is not null" if "week" in dimensions else ""


def _cohort_ctes(dimensions: tuple[str, ...]) -> str:
    """The cohort rows in scope, and their buyer counts per group: rows with a creator for the attributed rates
    (narrowed by the creator and campaign filters), the all-buyer rows (blank creator) for the baselines.

    Each rate is SPEC's "Σ ntb_buyers / Σ buyers": over all the group's buyers, a row without, say, Subscribe & Save
    buyers among them; its base is none when no row gives the count.
    """
    baseline = tuple(d for d in dimensions if d in BASELINE_DIMENSIONS)
    group_select, group_by = _group_sql(dimensions)
    baseline_select, baseline_by = _group_sql(baseline)
    counts = ",\n                ".join(
        f"sum({count}) as {count}, "
        f"case when count({count}) > 0 then sum(buyers) end as {count.removesuffix('_buyers')}_base"
        for count in _COHORT_COUNTS
    )
    return f""",
        cohorts_in_scope as ({periods_in_scope(COHORTS.table)}
        ),
        cohort_groups as (
            select
                {group_select},
                {counts}
            from cohorts_in_scope
            where creator is not null
              and {_in_filter("creator", "creators")}
              and {_in_filter("campaign", "campaigns")}{in_week(dimensions)}{cohorts_split_by(dimensions)}
            group by {group_by}
        ),
        cohort_baseline_groups as (
            select
                {baseline_select},
                {counts}
            from cohorts_in_scope
            where creator is null{in_week(dimensions)}{cohorts_split_by(baseline)}
            group by {baseline_by}
        )"""


# The dimensions a cohort row may leave blank, meaning all of them ("every ASIN", "every campaign").
_COHORT_BLANK_MEANS_ALL = ("asin", "product_line", "campaign")


def cohorts_split_by(dimensions: tuple[str, ...]) -> str:
    """The condition keeping the cohort rows that name a value of each of `dimensions` they may leave blank: a row
    of every ASIN tells no ASIN's rate, and grouped as a blank ASIN it was a row of its own. Without such rows in
    the scope, cohorts are not a source for these groups (`presence`), and the next source is taken, as when the
    scope is narrowed to one ASIN."""
    return "".join(f"\n              and {ident(d)} is not null" for d in dimensions if d in _COHORT_BLANK_MEANS_ALL)


_COHORT_COUNTS = ("ntb_buyers", "sns_buyers", "repeat_buyers")


def _cohort_sums(alias: str, prefix: str) -> list[str]:
    """The cohort counts of `_cohort_ctes` as read from the joined table `alias` in `sums`, named with `prefix`."""
    sums = []
    for count in _COHORT_COUNTS:
        base = count.removesuffix("_buyers") + "_base"
        sums += [f"{alias}.{count} as {prefix}{count}", f"{alias}.{base} as {prefix}{base}"]
    return sums


def _brand_analytics_present(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has a table of Brand Analytics repeat purchase rows (a store of a newer schema does)."""
    row = con.execute(
        "select count(*) from duckdb_tables() where not temporary and table_name = 'repeat_purchase'"
    ).fetchone()
    return row is not None and row[0] > 0


def _brand_analytics_ctes(dimensions: tuple[str, ...]) -> str:
    """Brand Analytics repeat purchase rows in scope, per baseline group: customers, and customers times the
    share who repeated within the period (rows missing either are left out of both)."""
    baseline_select, baseline_by = _group_sql(tuple(d for d in dimensions if d in BASELINE_DIMENSIONS))
    return f""",
        brand_analytics_in_scope as ({periods_in_scope("repeat_purchase")}
        ),
        brand_analytics_groups as (
            select
                {baseline_select},
                {sums_sql(REPEAT_PURCHASE_SUMS)}
            from brand_analytics_in_scope
            where true{in_week(dimensions)}
            group by {baseline_by}
        )"""


def _with_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers and money as floats, whatever DuckDB's conversion chose."""
    for metric in GROUPED_METRICS:
        if metric.name in frame and metric.format != "text":
            frame[metric.name] = frame[metric.name].astype("Int64" if metric.format == "count" else "float64")
    return frame


def totals(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    metrics: tuple[str, ...] | list[str] | None = None,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
) -> dict[str, object]:
    """The scope's metrics (`metrics`, default all, with the pages' counts `metrics` does not print) as one dict
    (zeros and nulls when the scope holds no data); `repeat_days` is the R of the R-day repeat rates."""
    metrics = metrics if metrics is not None else tuple(_GROUPED)
    frame = grouped_metrics(con, scope, (), metrics, repeat_days)
    if frame.empty:
        return {
            m.name: (0 if m.format in ("count", "money") and m.source == "performance" else None)
            for m in _check_metrics(metrics)
        }
    row = {name: frame[name].iloc[0] for name in frame.columns}
    return {k: (None if pd.isna(v) else getattr(v, "item", lambda v=v: v)()) for k, v in row.items()}


def _catalog_in_force_sql() -> str:
    """The catalog with each ASIN's rates in force on `$as_of` (`metrics.rates`) in place of its latest; an ASIN
    without dated rates keeps the catalog's own. An ASIN the catalog leaves untitled takes its title from another
    file (`metrics.titles`)."""
    return f"""
        select
            p.* replace (
                case when r.asin is null then p.standard_rate else r.standard_rate end as standard_rate,
                case when r.asin is null then p.bonus_rate else r.bonus_rate end as bonus_rate,
                t.title as title
            )
        from products as p
        left join ({rates_in_force_sql()}) as r on r.asin = p.asin
        left join ({titles_sql()}) as t on t.asin = p.asin
    """


def product_payouts(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Per ASIN: price, rates and the creator payout per sale (what creators sort offers by), with the rates in
    force on `as_of`: a scope's last day, by default the last day of performance data (else today)."""
    payout = REGISTRY["creator_payout_per_sale"].sql
    return con.execute(
        f"""
        with catalog as ({_catalog_in_force_sql()})
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
        from catalog
        order by product_line, asin
        """,
        {"as_of": as_of or default_as_of(con)},
    ).df()


def product_line_payouts(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> pd.DataFrame:
    """Per product line: its ASINs' median creator payout per sale (rates in force on `as_of`, as in
    `product_payouts`) and median price."""
    payout = REGISTRY["creator_payout_per_sale"].sql
    return con.execute(
        f"""
        with catalog as ({_catalog_in_force_sql()})
        select
            product_line,
            count(*) as asins,
            cast(median({payout}) as double) as creator_payout_per_sale,
            cast(median(price) as double) as price
        from catalog
        group by product_line
        order by product_line
        """,
        {"as_of": as_of or default_as_of(con)},
    ).df()


def cohort_rows_left_out(con: duckdb.DuckDBPyConnection, scope: Scope, by: tuple[str, ...] | list[str] = ()) -> int:
    """How many cohort rows overlapping the scope's dates are left out of it: their period crosses its first or last
    day, or, grouped by week, a week boundary. For the pages to say."""
    crosses_week = f" or {week_of('period_start')} <> {week_of('period_end')}" if "week" in by else ""
    row = con.execute(
        f"""
        select count(*)
        from {ident(COHORTS.table)}
        where period_start <= $end
          and period_end >= $start
          and (period_start < $start or period_end > $end{crosses_week})
        """,
        {"start": scope.parameters()["start"], "end": scope.parameters()["end"]},
    ).fetchone()
    return int(row[0]) if row else 0


def cohort_rows_inside(con: duckdb.DuckDBPyConnection, scope: Scope) -> int:
    """How many cohort rows have their period inside the scope's dates: the rows its cohort rates would sum, and
    leave aside when order lines are the scope's source (`_best_source`). For the pages to say."""
    row = con.execute(
        f"select count(*) from {ident(COHORTS.table)} where period_start >= $start and period_end <= $end",
        {"start": scope.parameters()["start"], "end": scope.parameters()["end"]},
    ).fetchone()
    return int(row[0]) if row else 0


def last_order_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The store's last order day, which R-day repeat rates mature against; None without order lines."""
    row = con.execute("select max(order_date) from orders").fetchone()
    return row[0] if row else None


def order_date_range(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last day of the store's order lines, or None without any."""
    row = con.execute("select min(order_date), max(order_date) from orders").fetchone()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """First and last day with performance data, or None for an empty store."""
    row = con.execute("select min(date), max(date) from performance").fetchone()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


def selection_start(
    con: duckdb.DuckDBPyConnection, programs: Sequence[str] = (), campaigns: Sequence[str] = ()
) -> tuple[date, str] | None:
    """The first day the selection can have data, and what starts that day, as a sentence opens with it; None for an
    empty store. The first day of the performance rows ("The data"), or, when later, of the `programs`' rows (each
    program has downloads of its own: "The program chosen's data"), or, when later still, the earliest start of the
    `campaigns` chosen ("The campaign chosen"): each campaign's ledger start or its first day of rows, whichever is
    earlier. A comparison reaching before it compares with days the selection did not exist, as one reaching before
    the data does (a campaign's first three days against its whole next month read +2,550 %). Creators, product
    lines and ASINs are not asked: a first row of theirs may follow days they were in the program and quiet."""
    row = con.execute(
        f"""
        select
            (select min(date) from performance),
            (select min(date) from performance where {_in_filter("program", "programs")}),
            least(
                (select min("start") from campaigns where list_contains($campaigns::varchar[], campaign)),
                (select min(date) from performance where list_contains($campaigns::varchar[], campaign))
            )
        """,
        {"programs": list(programs), "campaigns": list(campaigns)},
    ).fetchone()
    if row is None or row[0] is None:
        return None
    data, program, campaign = row
    if campaign is not None and campaign > (program or data):
        return campaign, "The campaign chosen" if len(campaigns) == 1 else "The campaigns chosen"
    if program is not None and program > data:
        return program, "The program chosen's data" if len(programs) == 1 else "The programs chosen's data"
    return data, "The data"


def days_without_data(
    con: duckdb.DuckDBPyConnection, start: date, end: date, programs: tuple[str, ...] = ()
) -> list[date]:
    """The days from `start` to `end` without a single performance row of the `programs` (all when empty), whatever
    the other filters: days a download left out, or before the data starts, not days a creator was quiet. Narrowed
    by program because each program has downloads of its own, which may skip days the others' do not. Oldest first.
    """
    rows = con.execute(
        days_without_rows("performance", _in_filter("program", "programs")),
        {"start": start, "end": end, "programs": list(programs)},
    ).fetchall()
    return [row[0] for row in rows]


def programs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every program with performance rows, sorted: the values a program filter can take."""
    return [row[0] for row in con.execute("select distinct program from performance order by 1").fetchall()]


def filter_asins(con: duckdb.DuckDBPyConnection, product_lines: Sequence[str] = ()) -> dict[str, str | None]:
    """Every ASIN with creator activity (as in `filter_values`), of `product_lines` when some are given, sorted,
    with its title (`metrics.titles`; None when no file names it): the values an ASIN filter can take beside the
    line filter's choice, and the names to show for them."""
    rows = con.execute(
        f"""
        select
            a.asin,
            t.title
        from (select distinct asin from activity where asin is not null) as a
        left join products as c using (asin)
        left join ({titles_sql()}) as t on t.asin = a.asin
        where len($lines) = 0 or list_contains($lines, {product_line_of("c.product_line")})
        order by a.asin
        """,
        {"lines": list(product_lines)},
    ).fetchall()
    return {asin: title for asin, title in rows}


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
