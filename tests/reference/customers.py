"""Reference customer metrics: from order lines (``repeat_metrics``) and from cohort counts (``cohort_metrics``).

Plain Python loops over records; every definition quotes the SPEC sentence it follows. See AMBIGUITIES.md for
each reading chosen where the SPEC leaves room.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from tests.reference.common import (
    as_float,
    clean_text,
    flag_known,
    flag_true,
    line_of,
    normalise_by,
    ratio,
    sort_key,
    to_date,
    week_of,
)
from tests.reference.common import (
    product_lines as catalog_lines,
)

ORDER_DIMS = ("creator", "asin", "product_line", "campaign", "week")
# Dimensions that restrict the baseline: "restricted to the group's ASIN, product line and week where those are
# grouping dimensions (creator and campaign do not partition unattributed orders, so they do not restrict it)".
BASELINE_DIMS = ("asin", "product_line", "week")
REPEAT_COLUMNS = [
    "ntb_pct",
    "sns_rate",
    "repeat_rate",
    "repeat_pending",
    "repeat_rate_in_period",
    "baseline_ntb_pct",
    "baseline_sns_rate",
    "baseline_repeat_rate",
    # Extras, not SPEC columns, to make a mismatch easier to read.
    "attributed_lines",
    "customers",
    "repeat_matured",
    "baseline_lines",
]
FlagDenominator = Literal["all", "known"]


@dataclass(frozen=True)
class OrderLine:
    """One order line with everything a group key or a metric needs."""

    order_id: Any
    day: dt.date
    customer: Any
    asin: Any
    product_line: str
    creator: Any  # None when empty: the line is not attributed
    campaign: Any
    new_to_brand: Any
    subscribe_and_save: Any
    week: dt.date

    @property
    def attributed(self) -> bool:
        """SPEC: "creator | no | empty for orders not attributed to a creator"."""
        return self.creator is not None

    def key(self, dims: Sequence[str]) -> tuple[Any, ...]:
        return tuple(getattr(self, dim) for dim in dims)


def _order_lines(orders: pd.DataFrame, products: pd.DataFrame | None) -> list[OrderLine]:
    """All order lines with a date, in input order. Lines without an order_date cannot be placed and are dropped."""
    lines = catalog_lines(products)
    result = []
    for record in orders.to_dict("records"):
        day = to_date(record.get("order_date"))
        if day is None:
            continue
        result.append(
            OrderLine(
                order_id=record.get("order_id"),
                day=day,
                customer=clean_text(record.get("customer_id")),
                asin=record.get("asin"),
                product_line=line_of(record.get("asin"), lines),
                creator=clean_text(record.get("creator")),
                campaign=clean_text(record.get("campaign")),
                new_to_brand=record.get("new_to_brand"),
                subscribe_and_save=record.get("subscribe_and_save"),
                week=week_of(day),
            )
        )
    return result


def _flag_rate(lines: list[OrderLine], flag: str, column_loaded: bool, denominator: FlagDenominator) -> float | None:
    """Lines with the flag true / lines (all lines, or with ``denominator="known"`` the lines whose flag is known).

    When the flag's column was not loaded at all, or no line of the group gives the flag (a file without the
    column), the metric is not available (``None``), never 0.
    """
    if not column_loaded or not any(flag_known(getattr(line, flag)) for line in lines):
        return None
    flagged = sum(1 for line in lines if flag_true(getattr(line, flag)))
    counted = len(lines)
    if denominator == "known":
        counted = sum(1 for line in lines if flag_known(getattr(line, flag)))
    return ratio(flagged, counted)


def _entries(lines: Iterable[OrderLine]) -> dict[Any, OrderLine]:
    """Each customer's entry: their first line (earliest date, then smallest order_id as a tie-break).

    Lines without a customer id name no customer and are left out of customer counts.
    """
    first: dict[Any, OrderLine] = {}
    for line in lines:
        if line.customer is None:
            continue
        held = first.get(line.customer)
        if held is None or (line.day, str(line.order_id)) < (held.day, str(held.order_id)):
            first[line.customer] = line
    return first


def _r_day_repeat(
    entries: dict[Any, OrderLine],
    orders_by_customer: dict[Any, list[tuple[dt.date, Any]]],
    last_store_date: dt.date,
    repeat_days: int,
) -> tuple[float | None, int, int]:
    """R-day repurchase rate over the given entries: (rate, pending, matured).

    SPEC: "Of the customers whose entry date + R ≤ the last order_date in the store ("matured"), the share with
    another distinct order_id with the brand (any ASIN, attributed or not) dated from the entry date to entry
    date + R inclusive. `repeat_pending` = customers of the group not yet matured."
    """
    window = dt.timedelta(days=repeat_days)
    matured = 0
    repeaters = 0
    pending = 0
    for customer, entry in entries.items():
        if entry.day + window > last_store_date:
            pending += 1
            continue
        matured += 1
        other_orders = {
            order_id
            for day, order_id in orders_by_customer[customer]
            if entry.day <= day <= entry.day + window and order_id != entry.order_id
        }
        if other_orders:
            repeaters += 1
    return ratio(repeaters, matured), pending, matured


def repeat_metrics(
    orders: pd.DataFrame,
    products: pd.DataFrame | None,
    *,
    start: Any,
    end: Any,
    by: str | Sequence[str],
    creators: Sequence[str] = (),
    asins: Sequence[str] = (),
    product_lines: Sequence[str] = (),
    campaigns: Sequence[str] = (),
    repeat_days: int = 90,
    flag_denominator: FlagDenominator = "all",
    include_baseline_only_groups: bool = True,
) -> pd.DataFrame:
    """Customer metrics from order lines, one row per group of ``by``.

    SPEC: "From **orders**, for the group's *attributed* order lines (creator not empty) in the scope:

    - `ntb_pct` = attributed lines with new_to_brand true / attributed lines
    - `sns_rate` = attributed lines with subscribe_and_save true / attributed lines
    - `repeat_rate` = **R-day repurchase rate**, R = 90 by default. A customer's *entry* is their first
      attributed line in the group and scope. Of the customers whose entry date + R ≤ the last order_date in the
      store ("matured"), the share with another distinct order_id with the brand (any ASIN, attributed or not)
      dated from the entry date to entry date + R inclusive. `repeat_pending` = customers of the group not yet
      matured.
    - `repeat_rate_in_period` = ... of the customers with an attributed line, the share with two or more
      distinct order_ids with the brand within the scope's date range
    - `baseline_ntb_pct`, `baseline_sns_rate`, `baseline_repeat_rate` (entry = the customer's first line of any
      attribution): the same three over **all** order lines in the scope, attributed or not, restricted to the
      group's ASIN, product line and week where those are grouping dimensions (creator and campaign do not
      partition unattributed orders, so they do not restrict it). Filters on creator and campaign narrow the
      attributed lines only; the baseline honours the date range, ASIN and product-line filters alone."

    ``flag_denominator="all"`` (the literal reading) divides by every attributed line; ``"known"`` divides by
    the lines whose flag is known. Groups come from the attributed lines in the scope; when ``by`` has neither
    creator nor campaign, groups that only have baseline lines are added too (their attributed metrics null),
    unless ``include_baseline_only_groups`` is False.
    """
    dims = normalise_by(by, ORDER_DIMS)
    start_day, end_day = to_date(start), to_date(end)
    creator_filter, asin_filter = set(creators), set(asins)
    line_filter, campaign_filter = set(product_lines), set(campaigns)

    every_line = _order_lines(orders, products)
    ntb_loaded = "new_to_brand" in orders.columns and orders["new_to_brand"].notna().any()
    sns_loaded = "subscribe_and_save" in orders.columns and orders["subscribe_and_save"].notna().any()
    if not every_line:
        return pd.DataFrame(columns=[*dims, *REPEAT_COLUMNS])
    # "the last order_date in the store": every stored line, whatever the scope.
    last_store_date = max(line.day for line in every_line)
    # "another distinct order_id with the brand (any ASIN, attributed or not)": every stored line of the customer.
    orders_by_customer: dict[Any, list[tuple[dt.date, Any]]] = defaultdict(list)
    for line in every_line:
        if line.customer is not None:
            orders_by_customer[line.customer].append((line.day, line.order_id))

    def in_dates(line: OrderLine) -> bool:
        return (start_day is None or line.day >= start_day) and (end_day is None or line.day <= end_day)

    # The baseline scope: date range, ASIN and product-line filters alone.
    baseline_scope = [
        line
        for line in every_line
        if in_dates(line)
        and (not asin_filter or line.asin in asin_filter)
        and (not line_filter or line.product_line in line_filter)
    ]
    # The attributed scope: the baseline scope, attributed lines only, narrowed by creator and campaign filters.
    attributed_scope = [
        line
        for line in baseline_scope
        if line.attributed
        and (not creator_filter or line.creator in creator_filter)
        and (not campaign_filter or line.campaign in campaign_filter)
    ]
    # "within the scope's date range" for repeat_rate_in_period: the customer's orders with the brand, any ASIN.
    period_orders: dict[Any, set[Any]] = defaultdict(set)
    for line in every_line:
        if in_dates(line) and line.customer is not None:
            period_orders[line.customer].add(line.order_id)

    groups: dict[tuple[Any, ...], list[OrderLine]] = defaultdict(list)
    for line in attributed_scope:
        groups[line.key(dims)].append(line)
    baseline_dims = [dim for dim in dims if dim in BASELINE_DIMS]
    baseline_groups: dict[tuple[Any, ...], list[OrderLine]] = defaultdict(list)
    for line in baseline_scope:
        baseline_groups[line.key(baseline_dims)].append(line)
    if include_baseline_only_groups and set(dims) <= set(BASELINE_DIMS):
        for key in baseline_groups:
            groups.setdefault(key, [])

    rows = []
    for key in sorted(groups, key=lambda k: tuple(sort_key(v) for v in k)):
        attributed = groups[key]
        group_values = dict(zip(dims, key, strict=True))
        baseline = baseline_groups.get(tuple(group_values[dim] for dim in baseline_dims), [])

        entries = _entries(attributed)
        repeat_rate, pending, matured = _r_day_repeat(entries, orders_by_customer, last_store_date, repeat_days)
        in_period_repeaters = sum(1 for customer in entries if len(period_orders[customer]) >= 2)
        baseline_rate, _, _ = _r_day_repeat(_entries(baseline), orders_by_customer, last_store_date, repeat_days)

        rows.append(
            {
                **group_values,
                "ntb_pct": _flag_rate(attributed, "new_to_brand", ntb_loaded, flag_denominator),
                "sns_rate": _flag_rate(attributed, "subscribe_and_save", sns_loaded, flag_denominator),
                "repeat_rate": repeat_rate,
                "repeat_pending": pending,
                "repeat_rate_in_period": ratio(in_period_repeaters, len(entries)),
                "baseline_ntb_pct": _flag_rate(baseline, "new_to_brand", ntb_loaded, flag_denominator),
                "baseline_sns_rate": _flag_rate(baseline, "subscribe_and_save", sns_loaded, flag_denominator),
                "baseline_repeat_rate": baseline_rate,
                "attributed_lines": len(attributed),
                "customers": len(entries),
                "repeat_matured": matured,
                "baseline_lines": len(baseline),
            }
        )
    return pd.DataFrame(rows, columns=[*dims, *REPEAT_COLUMNS])


# --------------------------------------------------------------------------------------------------------------
# Cohorts: "aggregated results of a clean-room (AMC) or warehouse query: counts, no customer ids"

COHORT_DIMS = ("creator", "asin", "product_line", "campaign", "week")
COHORT_COLUMNS = [
    "ntb_pct",
    "repeat_rate",
    "sns_rate",
    "baseline_ntb_pct",
    "baseline_repeat_rate",
    "baseline_sns_rate",
    "buyers",
    "baseline_buyers",
]


def _cohort_rate(rows: list[dict[str, Any]], numerator: str) -> float | None:
    """Σ numerator / Σ buyers, each summed over the rows that give it (SPEC's words: a row whose numerator is blank
    still counts its buyers); ``None`` when no row gives the numerator, or Σ buyers is 0."""
    values = [as_float(row.get(numerator)) for row in rows]
    known = [v for v in values if v is not None]
    if not known:
        return None
    return ratio(sum(known), sum(b for b in (as_float(row.get("buyers")) for row in rows) if b is not None))


# The dimensions a cohort row may leave blank, meaning all of them.
BLANK_MEANS_ALL = ("asin", "product_line", "campaign")


def cohort_metrics(
    cohorts: pd.DataFrame,
    products: pd.DataFrame | None,
    *,
    start: Any,
    end: Any,
    by: str | Sequence[str],
    creators: Sequence[str] = (),
    asins: Sequence[str] = (),
    product_lines: Sequence[str] = (),
    campaigns: Sequence[str] = (),
    include_baseline_only_groups: bool = True,
) -> pd.DataFrame:
    """Customer metrics from cohort counts, one row per group of ``by``.

    SPEC: "Customer metrics take the best source present ...: order lines, else cohorts (`ntb_pct` = Σ ntb_buyers
    / Σ buyers, `repeat_rate` = Σ repeat_buyers / Σ buyers, `sns_rate` likewise; baselines from the
    blank-creator rows)". Periods: "a row counts in a scope when its whole period lies inside the scope's dates;
    it belongs to a week when its period lies inside that week".

    Attributed rows are those with a creator; the creator, campaign, ASIN and product-line filters narrow them.
    Baseline rows are the blank-creator rows, narrowed by the ASIN and product-line filters alone and restricted
    to the group's ASIN, product line and week where those are grouping dimensions (as for order lines).
    A row with a blank ASIN has product line ``None`` (it covers every ASIN, it is not ``Unassigned``).
    """
    dims = normalise_by(by, COHORT_DIMS)
    start_day, end_day = to_date(start), to_date(end)
    lines = catalog_lines(products)
    creator_filter, asin_filter = set(creators), set(asins)
    line_filter, campaign_filter = set(product_lines), set(campaigns)

    attributed_groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    baseline_dims = [dim for dim in dims if dim in BASELINE_DIMS]
    baseline_groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for record in cohorts.to_dict("records"):
        period_start, period_end = to_date(record.get("period_start")), to_date(record.get("period_end"))
        if period_start is None or period_end is None:
            continue
        if (start_day is not None and period_start < start_day) or (end_day is not None and period_end > end_day):
            continue  # straddles the scope's edge (or lies outside it)
        asin = clean_text(record.get("asin"))
        row = {
            **record,
            "creator": clean_text(record.get("creator")),
            "campaign": clean_text(record.get("campaign")),
            "asin": asin,
            "product_line": None if asin is None else line_of(asin, lines),
            "week": week_of(period_start) if week_of(period_start) == week_of(period_end) else None,
        }
        if "week" in dims and row["week"] is None:
            continue  # its period is not inside one week
        if asin_filter and row["asin"] not in asin_filter:
            continue
        if line_filter and row["product_line"] not in line_filter:
            continue
        if row["creator"] is None:
            # A row of every ASIN (or campaign) tells no one ASIN's rate: no group of its own when grouped by it.
            if not any(row[dim] is None for dim in baseline_dims if dim in BLANK_MEANS_ALL):
                baseline_groups[tuple(row[dim] for dim in baseline_dims)].append(row)
            continue
        if any(row[dim] is None for dim in dims if dim in BLANK_MEANS_ALL):
            continue
        if creator_filter and row["creator"] not in creator_filter:
            continue
        if campaign_filter and row["campaign"] not in campaign_filter:
            continue
        attributed_groups[tuple(row[dim] for dim in dims)].append(row)

    if include_baseline_only_groups and set(dims) <= set(BASELINE_DIMS):
        for key in baseline_groups:
            attributed_groups.setdefault(key, [])

    result = []
    for key in sorted(attributed_groups, key=lambda k: tuple(sort_key(v) for v in k)):
        rows = attributed_groups[key]
        group_values = dict(zip(dims, key, strict=True))
        baseline = baseline_groups.get(tuple(group_values[dim] for dim in baseline_dims), [])
        result.append(
            {
                **group_values,
                "ntb_pct": _cohort_rate(rows, "ntb_buyers"),
                "repeat_rate": _cohort_rate(rows, "repeat_buyers"),
                "sns_rate": _cohort_rate(rows, "sns_buyers"),
                "baseline_ntb_pct": _cohort_rate(baseline, "ntb_buyers"),
                "baseline_repeat_rate": _cohort_rate(baseline, "repeat_buyers"),
                "baseline_sns_rate": _cohort_rate(baseline, "sns_buyers"),
                "buyers": sum(as_float(row.get("buyers")) or 0.0 for row in rows),
                "baseline_buyers": sum(as_float(row.get("buyers")) or 0.0 for row in baseline),
            }
        )
    return pd.DataFrame(result, columns=[*dims, *COHORT_COLUMNS])
