"""Metrics of the brand's own period files: sales (Business Report, Vendor Central), search (Brand Analytics Search
Query Performance) and Brand Analytics repeat purchase, by ASIN, product line and week.

Each row covers a period. A row counts in a scope when its whole period lies inside the scope's dates, and belongs
to a week when its period lies inside that week; a row straddling an edge is left out, and `left_out_rows` says how
many were. Creators and campaigns do not partition these totals. The metrics are declared in the registry
(`grouped.METRICS`, sources sales, search and repeat_purchase) as SQL over the per-group sums built here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from analytics.metrics.grouped import (
    DIMENSIONS,
    GROUPED_METRICS,
    METRICS,
    REPEAT_PURCHASE_SUMS,
    SALES_SUMS,
    SEARCH_SUMS,
    Scope,
    in_week,
    performance_in_scope,
    periods_in_scope,
    sums_sql,
    week_of,
)
from analytics.metrics.titles import titles_sql
from analytics.sql import ident, idents, keys_match

PERIOD_DIMENSIONS = ("asin", "product_line", "week")
PERIOD_SOURCES = ("sales", "search", "repeat_purchase")
PERIOD_METRICS = tuple(m for m in METRICS if m.source in PERIOD_SOURCES)
# Grouped or filtered by these, search rows are the ASIN View's (rows with an ASIN); otherwise the Brand View's, so
# the brand's totals never sum a query's volume once per ASIN. A product line's rows are its ASINs' ASIN View rows,
# each query counted once (`_search_ctes`).
_ASIN_LEVEL = ("asin", "product_line")
_WORD = "0-9A-Za-z_"


def _in_filter(column: str, parameter: str) -> str:
    return f"(len(${parameter}::varchar[]) = 0 or list_contains(${parameter}::varchar[], {column}))"


def _rows_in_scope(table: str, dimensions: tuple[str, ...]) -> str:
    """SQL for the rows of `table` whose whole period lies inside the scope, with product line and week
    (`grouped.periods_in_scope`); grouped by week, a row whose period spans two weeks is left out."""
    return periods_in_scope(table, "products") + in_week(dimensions)


def _group(dimensions: tuple[str, ...], alias: str = "") -> tuple[str, str]:
    if not dimensions:
        return "1 as _all", "_all"
    return idents(dimensions, alias), idents(dimensions, alias)


def brand_pattern(terms: Sequence[str]) -> str | None:
    """A case-insensitive regular expression (RE2) matching any term as whole words, or None without terms.

    A term matches where no letter, digit or underscore touches it on either side, so `acme` matches "acme's bar"
    and "acme-bar" but not "acmex"; a run of spaces in the query counts as one, as in the term.
    """
    words = [" ".join(str(t).split()) for t in terms]
    escaped = [re.sub(r"([^0-9A-Za-z ])", r"\\\1", w).replace(" ", r"\s+") for w in words if w]
    if not escaped:
        return None
    return f"(^|[^{_WORD}])({'|'.join(escaped)})($|[^{_WORD}])"


def _sales_ctes(dimensions: tuple[str, ...], partition: tuple[str, ...] = ()) -> str:
    """The sales rows' sums per group of `dimensions` (of PERIOD_DIMENSIONS), and the creators' revenue on the days
    they cover per group of `dimensions` and `partition` (creator, campaign, program), which split it alone."""
    select, group_by = _group(dimensions)
    covered_select, _ = _group(dimensions, "s.")
    keyed = ", ".join([*(f"d.{ident(d)}" for d in dimensions), *(f"p.{ident(d)}" for d in partition)])
    attributed, attributed_by = (keyed, keyed) if keyed else ("1 as _all", "_all")
    return f"""
        sales_rows as ({_rows_in_scope("sales", dimensions)}
        ),
        sales_groups as (
            select
                {select},
                {sums_sql(SALES_SUMS)}
            from sales_rows
            group by {group_by}
        ),
        covered_days as (
            -- Each (ASIN, day) once per group, however many included periods cover it.
            select distinct
                {covered_select},
                s.asin,
                cast(unnest(generate_series(s.period_start, s.period_end, interval 1 day)) as date) as day
            from sales_rows as s
        ),
        attributed_groups as (
            select
                {attributed},
                cast(sum(p.revenue) as double) as attributed_revenue
            from covered_days as d
            join performance as p on p.asin = d.asin and p.date = d.day
            where {_in_filter("p.creator", "creators")}
              and {_in_filter("p.campaign", "campaigns")}
              and {_in_filter("p.program", "programs")}
            group by {attributed_by}
        )"""


def _search_ctes(dimensions: tuple[str, ...], branded: bool) -> str:
    select, group_by = _group(dimensions)
    # An ASIN or product-line filter asks about ASINs too: the Brand View's rows, which name none, would all be left
    # out (`periods_in_scope`), so the ASIN View's answer.
    asin_level = (
        "true"
        if set(dimensions) & set(_ASIN_LEVEL)
        else ("len($asins::varchar[]) > 0 or len($product_lines::varchar[]) > 0")
    )
    level = f"(asin is not null) = ({asin_level})"
    is_branded = "regexp_matches(search_query, $brand_pattern, 'i')" if branded else "false"
    return f"""
        search_rows as (
            select *, {is_branded} as branded
            from ({_rows_in_scope("search", dimensions)}
            )
            where {level}
        ),
        search_queries as (
            -- Each query once per group and period: the ASIN View repeats a query's volume and its clicks in all for
            -- every ASIN it led to (two ASINs of a line counted the line's searches twice); its brand clicks are
            -- each ASIN's own, which add up.
            select
                {select},
                period_start,
                period_end,
                search_query,
                bool_or(branded) as branded,
                max(search_query_volume) as search_query_volume,
                max(clicks_total) as clicks_total,
                sum(clicks_brand) as clicks_brand
            from search_rows
            group by {group_by}, period_start, period_end, search_query
        ),
        search_groups as (
            select
                {select},
                {sums_sql(SEARCH_SUMS)}
            from search_queries
            group by {group_by}
        )"""


def _repeat_ctes(dimensions: tuple[str, ...]) -> str:
    select, group_by = _group(dimensions)
    return f"""
        repeat_rows as ({_rows_in_scope("repeat_purchase", dimensions)}
        ),
        repeat_groups as (
            select
                {select},
                {sums_sql(REPEAT_PURCHASE_SUMS)}
            from repeat_rows
            group by {group_by}
        )"""


def _check(by: Sequence[str]) -> tuple[str, ...]:
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}")
    return tuple(dict.fromkeys(by))


def period_metrics(
    con: duckdb.DuckDBPyConnection, scope: Scope, by: Sequence[str], terms: Sequence[str] | None = None
) -> pd.DataFrame:
    """The sales, search and Brand Analytics repeat metrics, one row per group of `by` with rows in any of the
    three tables, sorted by the groups.

    `terms` are the brand's search terms (default: the stored setting). The creator, campaign and program filters
    narrow only the attributed revenue of `creator_sales_share`. Grouped by creator, campaign or program, which do not
    partition these totals (SPEC), each group of the performance report in scope is listed with the totals of its
    ASIN, product line and week, as a baseline is, and its own attributed revenue: a creator's share of sales.
    """
    dimensions = _check(by)
    columns = [*dimensions, *(m.name for m in PERIOD_METRICS)]
    if terms is None:
        terms = [row[0] for row in con.execute("select term from brand_terms").fetchall()]
    pattern = brand_pattern(terms)
    totals_by = tuple(d for d in dimensions if d in PERIOD_DIMENSIONS)
    partition = tuple(d for d in dimensions if d not in PERIOD_DIMENSIONS)
    keys = dimensions or ("_all",)
    totals_keys = totals_by or ("_all",)
    if partition:
        # Each group of the performance report in scope, with `_all` to join the whole scope's totals when they
        # are by no ASIN, line or week.
        group_keys = f"select distinct {idents(dimensions)}{'' if totals_by else ', 1 as _all'} from perf_in_scope"
    else:
        sources = ("sales_groups", "attributed_groups", "search_groups", "repeat_groups")
        group_keys = "\n            union\n            ".join(f"select {idents(keys)} from {s}" for s in sources)
    metric_items = ",\n            ".join(f"{m.sql} as {ident(m.name)}" for m in PERIOD_METRICS)
    sql = f"""
        with{performance_in_scope("product_line" in dimensions or bool(scope.product_lines)) + "," if partition else ""}
        {_sales_ctes(totals_by, partition)},
        {_search_ctes(totals_by, pattern is not None)},
        {_repeat_ctes(totals_by)},
        group_keys as (
            {group_keys}
        ),
        sums as (
            select
                {idents(keys, "k.")},
                {sums_sql(SALES_SUMS, "s")},
                -- Creators' revenue on the days the group's sales periods cover: 0 where no creator sold.
                case when s.total_revenue is not null then coalesce(a.attributed_revenue, 0) end
                    as attributed_revenue,
                {sums_sql(SEARCH_SUMS, "q")},
                {sums_sql(REPEAT_PURCHASE_SUMS, "r")}
            from group_keys as k
            left join sales_groups as s on {keys_match("k", "s", totals_keys)}
            left join attributed_groups as a on {keys_match("k", "a", keys)}
            left join search_groups as q on {keys_match("k", "q", totals_keys)}
            left join repeat_groups as r on {keys_match("k", "r", totals_keys)}
            where s.total_revenue is not null or q.branded_search_volume is not null or r.ba_customers is not null
        ),
        final as (
            select
            {idents(dimensions) + "," if dimensions else ""}
            {metric_items}
            from sums
        )
        select * from final
        {"order by " + idents(dimensions) + " nulls last" if dimensions else ""}
    """
    parameters = scope.parameters()
    if pattern is not None:
        parameters["brand_pattern"] = pattern
    frame = con.execute(sql, parameters).df()
    for metric in PERIOD_METRICS:
        # Adding 0.0 turns the -0.0 of a zero share of negative revenue (returns) into 0.0.
        frame[metric.name] = (
            frame[metric.name].astype("Int64")
            if metric.format == "count"
            else frame[metric.name].astype("float64") + 0.0
        )
    return frame[columns]


# The scope's parameters `periods_in_scope` reads: the creator, campaign and program filters do not narrow period rows.
_PERIOD_ROW_PARAMETERS = ("start", "end", "asins", "product_lines")


def period_days(con: duckdb.DuckDBPyConnection, scope: Scope, table: str = "sales") -> tuple[date, date] | None:
    """The first and last day of the rows of period kind `table` that count in the scope (`periods_in_scope`), or
    None without any: the days total revenue and the creators' share of sales are over, which weekly Business
    Reports can leave short of the scope's own days, or the months of Brand Analytics' repeat purchases an all-buyer
    repeat rate is over. For the pages to say."""
    if table not in PERIOD_SOURCES:
        raise ValueError(f"{table} is not a kind of periods")
    row = con.execute(
        f"with period_rows as ({_rows_in_scope(table, ())}) select min(period_start), max(period_end) from period_rows",
        {name: value for name, value in scope.parameters().items() if name in _PERIOD_ROW_PARAMETERS},
    ).fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def stored_span(con: duckdb.DuckDBPyConnection, table: str) -> tuple[date, date] | None:
    """The first and last day the stored rows of period kind `table` cover, whatever the scope; None without any."""
    if table not in PERIOD_SOURCES:
        raise ValueError(f"{table} is not a kind of periods")
    row = con.execute(f"select min(period_start), max(period_end) from {ident(table)}").fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def left_out_rows(con: duckdb.DuckDBPyConnection, scope: Scope, by: Sequence[str] = ()) -> dict[str, int]:
    """Per period kind, how many rows overlapping the scope's dates were left out: their period crosses the
    scope's first or last day, or, grouped by week, a week boundary. For the pages to say."""
    week = "week" in _check(by)
    crosses_week = f"{week_of('period_start')} <> {week_of('period_end')}"
    counts = {}
    for table in PERIOD_SOURCES:
        row = con.execute(
            f"""
            select count(*)
            from {ident(table)}
            where period_start <= $end
              and period_end >= $start
              and (period_start < $start or period_end > $end{f" or {crosses_week}" if week else ""})
            """,
            {"start": scope.parameters()["start"], "end": scope.parameters()["end"]},
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def with_period_metrics(frame: pd.DataFrame, periods: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """`grouped_metrics`' frame with the period metrics beside it, matched on the groups, sorted by them.

    `frame` lists the groups of `periods` too when asked to (`grouped_metrics(also=periods)`, as the command line
    does); otherwise a group found in one frame only gets 0 for the performance sums and null for everything else.
    """
    dimensions = list(dict.fromkeys(by))
    if periods.empty:
        empty = frame.copy()
        for column in periods.columns:
            if column not in empty:
                empty[column] = pd.Series(None, index=empty.index, dtype=periods[column].dtype)
        return empty
    if not dimensions:
        if frame.empty:
            return periods
        return pd.concat([frame.reset_index(drop=True), periods.reset_index(drop=True)], axis=1)
    left, right = frame.copy(), periods.copy()
    for dimension in dimensions:
        if dimension == "week":
            left[dimension] = pd.to_datetime(left[dimension])
            right[dimension] = pd.to_datetime(right[dimension])
        else:
            left[dimension] = left[dimension].astype("object")
            right[dimension] = right[dimension].astype("object")
    merged = left.merge(right, on=dimensions, how="outer", sort=False)
    for metric in GROUPED_METRICS:
        # The sums (a metric whose SQL is its own sum), not the ratios over them.
        if metric.name in merged and metric.source == "performance" and metric.sql == metric.name:
            merged[metric.name] = merged[metric.name].fillna(0)
    return merged.sort_values(dimensions, na_position="last", kind="stable").reset_index(drop=True)


def suggested_brand_terms(con: duckdb.DuckDBPyConnection, limit: int = 5) -> list[str]:
    """Words likely to be the brand's name, most likely first, from the product titles (`metrics.titles`) and the
    search file's top queries by volume: a brand name leads the titles ("Acme Whey Protein ...") and turns up in the
    queries."""
    titles = [row[0] for row in con.execute(f"select title from ({titles_sql()})").fetchall()]
    queries = [
        row[0]
        for row in con.execute(
            """
            select search_query
            from search
            where search_query is not null
            group by search_query
            order by sum(search_query_volume) desc nulls last, search_query
            limit 50
            """
        ).fetchall()
    ]
    leading = Counter(words[0] for words in map(_words, titles) if words)
    in_titles = Counter(w for title in titles for w in set(_words(title)))
    in_queries = Counter(w for query in queries for w in set(_words(query)))
    scores = {
        word: 2 * leading[word] / max(len(titles), 1)
        + in_titles[word] / max(len(titles), 1)
        + in_queries[word] / max(len(queries), 1) / 2
        for word in set(in_titles) | set(in_queries)
        if len(word) > 2 and not word.isdigit() and word not in _COMMON_WORDS
    }
    return sorted(scores, key=lambda word: (-scores[word], word))[:limit]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9']*", str(text).lower())


# Words that lead titles and queries without naming a brand.
_COMMON_WORDS = frozenset(("the", "and", "for", "with", "pack", "count", "size", "new", "best", "free", "plus"))


# The sales columns a product table shows beside creator-attributed sales.
PRODUCT_COLUMNS = ("total_revenue", "creator_sales_share", "buy_box_pct")


def beside(
    table: pd.DataFrame, periods: pd.DataFrame, key: str, columns: Sequence[str] = PRODUCT_COLUMNS
) -> pd.DataFrame:
    """`table` (one row per `key`: ASIN or product line) with the `columns` of `period_metrics` grouped by the same
    key; empty where no sales file covers the row. The rows and their order stay the table's own."""
    wanted = periods.reindex(columns=[key, *columns])
    return table.drop(columns=[c for c in columns if c in table]).merge(wanted, on=key, how="left")
