"""Reference metrics from "the files brands actually have" (SPEC, Added 2026-12-03): sales, search and
Brand Analytics repeat purchase. Cohort-based customer metrics are in ``customers.cohort_metrics``."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from tests.reference.commission import program_of
from tests.reference.common import (
    as_float,
    clean_text,
    line_of,
    normalise_by,
    product_lines,
    ratio,
    sort_key,
    to_date,
    week_of,
)

PERIOD_DIMS = ("asin", "product_line", "week")
SALES_COLUMNS = ["total_revenue", "total_units", "sessions", "creator_sales_share", "buy_box_pct"]
SEARCH_COLUMNS = ["branded_search_volume", "brand_click_share"]


def period_rows(
    frame: pd.DataFrame,
    products: pd.DataFrame | None,
    *,
    start: Any,
    end: Any,
    by: Sequence[str],
    asins: Sequence[str] = (),
    product_lines_filter: Sequence[str] = (),
) -> tuple[dict[tuple[Any, ...], list[dict[str, Any]]], int]:
    """The rows of a period table that count in the scope, grouped by ``by``; and how many were left out.

    SPEC: "Periods: a row counts in a scope when its whole period lies inside the scope's dates; it belongs to a
    week when its period lies inside that week. Rows straddling the edge are left out, and the pages say how
    many." A row whose period is not inside one week is left out of a grouping by week (and counted as left out);
    rows wholly outside the scope are not counted as left out. A blank ASIN has product line ``None``.
    """
    start_day, end_day = to_date(start), to_date(end)
    lines = product_lines(products)
    asin_filter, line_filter = set(asins), set(product_lines_filter)
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    left_out = 0
    for record in frame.to_dict("records"):
        first, last = to_date(record.get("period_start")), to_date(record.get("period_end"))
        if first is None or last is None:
            continue
        if (end_day is not None and first > end_day) or (start_day is not None and last < start_day):
            continue  # wholly outside the scope
        if (start_day is not None and first < start_day) or (end_day is not None and last > end_day):
            left_out += 1  # straddles the scope's edge
            continue
        asin = clean_text(record.get("asin"))
        row = {
            **record,
            "period_start": first,
            "period_end": last,
            "asin": asin,
            "product_line": None if asin is None else line_of(asin, lines),
            "week": week_of(first) if week_of(first) == week_of(last) else None,
        }
        if asin_filter and row["asin"] not in asin_filter:
            continue
        if line_filter and row["product_line"] not in line_filter:
            continue
        if "week" in by and row["week"] is None:
            left_out += 1  # straddles a week boundary
            continue
        groups[tuple(row[dim] for dim in by)].append(row)
    return groups, left_out


def _sum(rows: Iterable[dict[str, Any]], column: str) -> float:
    return sum(as_float(row.get(column)) or 0.0 for row in rows)


def _weighted(rows: list[dict[str, Any]], value: str, weight: str) -> float | None:
    """Σ(value × weight) / Σ weight over the rows where both are known."""
    top = 0.0
    bottom = 0.0
    for row in rows:
        v, w = as_float(row.get(value)), as_float(row.get(weight))
        if v is None or w is None:
            continue
        top += v * w
        bottom += w
    return ratio(top, bottom)


def _frame(
    groups: dict[tuple[Any, ...], list[dict[str, Any]]],
    dims: list[str],
    columns: list[str],
    metrics: Callable[[list[dict[str, Any]]], dict[str, Any]],
) -> pd.DataFrame:
    rows = []
    for key in sorted(groups, key=lambda k: tuple(sort_key(v) for v in k)):
        rows.append({**dict(zip(dims, key, strict=True)), **metrics(groups[key])})
    return pd.DataFrame(rows, columns=[*dims, *columns])


def sales_metrics(
    sales: pd.DataFrame,
    performance: pd.DataFrame | None,
    products: pd.DataFrame | None,
    *,
    start: Any,
    end: Any,
    by: str | Sequence[str],
    asins: Sequence[str] = (),
    product_lines: Sequence[str] = (),
    programs: Sequence[str] = (),
) -> pd.DataFrame:
    """Sales metrics per group of ``by`` (asin, product_line, week).

    SPEC: "`total_revenue`, `total_units`, `sessions`: sums of the included sales rows.
    `creator_sales_share` = attributed revenue on the days the included sales periods cover, same ASINs /
    total_revenue of those periods. `buy_box_pct` = Σ(buy_box_pct × sessions) / Σ sessions"; "creator and
    campaign do not partition these totals".

    The numerator of creator_sales_share is performance revenue (every creator and campaign; ``programs``
    optionally narrows it) on the set of (ASIN, day) pairs the group's included periods cover, each pair once.
    buy_box_pct is weighted over the rows whose buy_box_pct and sessions are both known.
    """
    dims = normalise_by(by, PERIOD_DIMS)
    groups, _ = period_rows(
        sales, products, start=start, end=end, by=dims, asins=asins, product_lines_filter=product_lines
    )
    program_filter = set(programs)
    attributed: dict[tuple[Any, dt.date], float] = defaultdict(float)
    if performance is not None:
        for record in performance.to_dict("records"):
            day = to_date(record.get("date"))
            if day is None:
                continue
            if program_filter and program_of(record.get("program")) not in program_filter:
                continue
            attributed[(record.get("asin"), day)] += as_float(record.get("revenue")) or 0.0

    def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
        covered: set[tuple[Any, dt.date]] = set()
        for row in rows:
            day = row["period_start"]
            while day <= row["period_end"]:
                covered.add((row["asin"], day))
                day += dt.timedelta(days=1)
        total_revenue = _sum(rows, "total_revenue")
        return {
            "total_revenue": total_revenue,
            "total_units": _sum(rows, "total_units"),
            "sessions": _sum(rows, "sessions"),
            "creator_sales_share": ratio(sum(attributed.get(pair, 0.0) for pair in covered), total_revenue),
            "buy_box_pct": _weighted(rows, "buy_box_pct", "sessions"),
        }

    return _frame(groups, dims, SALES_COLUMNS, metrics)


def _normalise_spaces(text: str) -> str:
    return " ".join(text.split())


def is_branded(query: Any, brand_terms: Sequence[str]) -> bool:
    """SPEC: "queries containing any of the brand's terms (a setting: whole words, case-insensitive)".

    A term matches where it is neither preceded nor followed by a letter, digit or underscore; runs of spaces in
    the query and the term count as one space.
    """
    if clean_text(query) is None:
        return False
    text = _normalise_spaces(str(query))
    for term in brand_terms:
        term_text = _normalise_spaces(str(term))
        if not term_text:
            continue
        if re.search(r"(?<!\w)" + re.escape(term_text) + r"(?!\w)", text, flags=re.IGNORECASE):
            return True
    return False


def search_metrics(
    search: pd.DataFrame,
    brand_terms: Sequence[str],
    *,
    start: Any,
    end: Any,
    by: str | Sequence[str] = (),
    products: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Search metrics per group of ``by`` (week; asin or product_line for the ASIN View).

    SPEC: "`branded_search_volume` = Σ search_query_volume over queries containing any of the brand's terms (a
    setting: whole words, case-insensitive); `brand_click_share` = Σ clicks_brand / Σ clicks_total over the
    other queries."
    """
    dims = normalise_by(by, PERIOD_DIMS)
    groups, _ = period_rows(search, products, start=start, end=end, by=dims)
    terms = list(brand_terms)

    def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
        branded = [row for row in rows if is_branded(row.get("search_query"), terms)]
        other = [row for row in rows if not is_branded(row.get("search_query"), terms)]
        return {
            "branded_search_volume": _sum(branded, "search_query_volume"),
            "brand_click_share": ratio(_sum(other, "clicks_brand"), _sum(other, "clicks_total")),
        }

    return _frame(groups, dims, SEARCH_COLUMNS, metrics)


def ba_repeat_rate(
    repeat_purchase: pd.DataFrame,
    products: pd.DataFrame | None = None,
    *,
    start: Any,
    end: Any,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """SPEC: "`ba_repeat_rate` = Σ(unique_customers × repeat_customers_pct) / Σ unique_customers — the all-buyer,
    within-period baseline when there are no order lines." Rows with either value missing are left out of both
    sums; repeat_customers_pct is a fraction (0.125)."""
    dims = normalise_by(by, PERIOD_DIMS)
    groups, _ = period_rows(repeat_purchase, products, start=start, end=end, by=dims)

    def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"ba_repeat_rate": _weighted(rows, "repeat_customers_pct", "unique_customers")}

    return _frame(groups, dims, ["ba_repeat_rate"], metrics)
