"""What the pages ask the engine for on their first render, and the same metrics by hand and in pandas.

`comparisons` pairs each engine call with bench/handwritten.py and bench/pandas_baseline.py; `differences` checks
that two answers agree within a tolerance. `PAGE_CALLS` lists, per page, the engine calls it makes with a cold
Streamlit cache (read from pages/*.py), so their medians add up to the page's query time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.metrics.campaigns import campaign_pacing, ledger_notes
from analytics.metrics.commission_change import commission_change
from analytics.metrics.grouped import (
    SALES_METRICS,
    UNLISTED,
    WITHOUT_BASELINES,
    Scope,
    data_range,
    filter_values,
    grouped_metrics,
    product_payouts,
    totals,
)
from analytics.metrics.periods import preset_range, previous_period
from analytics.metrics.rank_lift import DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS, rank_history, rank_lift, rank_lifts
from analytics.review import screens as review
from analytics.review.insights import RULES, kept_findings, revenue_up_rank_flat, top_creators, weekly_insights
from analytics.review.rank_review import best_lift_asin, ranked_asins
from analytics.store import database as store
from bench import handwritten
from bench import pandas_baseline as pandas_impl

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-9
DIMENSIONS = ("creator", "asin", "product_line", "week")


@dataclass(frozen=True)
class Context:
    """The store and the scopes the pages open on: the default "Last 4 weeks" preset, and 13 weeks."""

    con: duckdb.DuckDBPyConnection
    as_of: date
    periods: dict[str, tuple[date, date]]
    tables: pandas_impl.Tables | None = None
    creator: str = ""  # the creator the Creators page shows in detail (highest revenue)
    ranked_asin: str = ""  # the ASIN the Organic rank page opens on
    asin_lift: pd.DataFrame | None = None  # the Organic rank page's rank lift by ASIN, which it shares
    pacing: pd.DataFrame | None = None  # the Campaigns page's pacing, which its ledger notes are read beside

    def scope(self, period: str, **filters: tuple[str, ...]) -> Scope:
        start, end = self.periods[period]
        return Scope(start, end, **filters)


def context(con: duckdb.DuckDBPyConnection) -> Context:
    span = data_range(con)
    if span is None:
        raise ValueError("the store holds no performance data")
    as_of = span[1]
    four_weeks = preset_range("Last 4 weeks", as_of)
    trend = review.trend_range(*four_weeks)
    assert trend is not None
    periods = {
        "4 weeks": four_weeks,
        "13 weeks": preset_range("Last 13 weeks", as_of),
        "previous 4 weeks": previous_period(*four_weeks),
        "trend": trend,  # the Overview's weekly chart: 13 whole weeks ending with the period
    }
    base = Context(con, as_of, periods)
    by_creator = grouped_metrics(con, base.scope("4 weeks"), ("creator",))
    creator = review.creator_table(by_creator, [])["creator"].iloc[0]
    asin_lift = rank_lift(con, "asin")
    ranked = best_lift_asin(asin_lift, ranked_asins(con)) or ""
    pacing = campaign_pacing(con, as_of)
    return replace(base, creator=str(creator), ranked_asin=ranked, asin_lift=asin_lift, pacing=pacing)


# The comparison whose engine side also works out control groups, which its hand-written and pandas sides do not.
RANK_LIFT_BY_ASIN = "rank_lift by asin"


# Comparisons: engine against hand-written SQL against pandas ------------------------------------------------------

Call = Callable[[Context], Any]


@dataclass(frozen=True)
class Comparison:
    name: str
    engine: Call
    handwritten: Call
    pandas: Call
    key: str | None = None  # the column rows are matched on, for DataFrame answers
    customer_metrics: bool = False  # the ≥ 10× faster than pandas target applies
    # Narrows each answer to what the three implementations define alike before they are compared (never timed).
    comparable: Callable[[Context, Any], Any] | None = None


def _tables(ctx: Context) -> pandas_impl.Tables:
    assert ctx.tables is not None, "read the pandas tables first"
    return ctx.tables


def _grouped(dimension: str, period: str, customer_metrics: bool = False) -> Comparison:
    label = "customer metrics with baselines" if customer_metrics else "grouped_metrics"
    return Comparison(
        name=f"{label} by {dimension}, {period}",
        engine=lambda ctx: grouped_metrics(ctx.con, ctx.scope(period), (dimension,)),
        handwritten=lambda ctx: handwritten.grouped(ctx.con, *ctx.periods[period], dimension),
        pandas=lambda ctx: pandas_impl.grouped(_tables(ctx), *ctx.periods[period], dimension),
        key=dimension,
        customer_metrics=customer_metrics,
    )


def _totals(period: str) -> Comparison:
    return Comparison(
        name=f"totals, {period}",
        engine=lambda ctx: totals(ctx.con, ctx.scope(period)),
        handwritten=lambda ctx: handwritten.totals(ctx.con, *ctx.periods[period]),
        pandas=lambda ctx: pandas_impl.totals(_tables(ctx), *ctx.periods[period]),
    )


# The review's rules bench/handwritten.py and bench/pandas_baseline.py also implement; the engine's findings are
# compared on these. The others (UNCHECKED_RULES) have no hand-written or pandas version yet.
CHECKED_RULES = (
    "commission_share_drift",
    "launch_starved",
    "clicks_no_purchases",
    "low_new_to_brand",
    "low_creator_payout",
    "top_creators",
    "revenue_up_rank_flat",
)
UNCHECKED_RULES = tuple(rule for rule in RULES if rule not in CHECKED_RULES)


def _judged_alike(ctx: Context, findings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (rule, subject) findings the three implementations judge alike. `revenue_up_rank_flat` judges an ASIN
    with a control group by its rank change net of the control's (SPEC: rank lift against a control), which the
    hand-written SQL and pandas do not implement: that rule is compared on the ASINs without a control group, where
    all three judge the ASIN's own rank change."""
    lift = rank_lift(ctx.con, "asin", DEFAULT_WINDOW_DAYS, DEFAULT_LAG_DAYS)
    controlled = set(lift.loc[lift["control_change"].notna(), "asin"])
    return sorted(found for found in findings if not (found[0] == "revenue_up_rank_flat" and found[1] in controlled))


def disagreements(ctx: Context, comparison: Comparison, engine: object = None) -> dict[str, list[str]]:
    """What the hand-written SQL's and pandas' answers differ in from the engine's (`engine`, when already worked
    out), each narrowed first to what all three define alike (`Comparison.comparable`)."""
    engine = comparison.engine(ctx) if engine is None else engine

    def comparable(answer: object) -> object:
        return answer if comparison.comparable is None else comparison.comparable(ctx, answer)

    mine = comparable(engine)
    return {
        "handwritten": differences(mine, comparable(comparison.handwritten(ctx)), comparison.key),
        "pandas": differences(mine, comparable(comparison.pandas(ctx)), comparison.key),
    }


def _insight_subjects(ctx: Context) -> list[tuple[str, str]]:
    """(rule, subject) of the engine's findings under the rules the other two implement (CHECKED_RULES)."""
    found = weekly_insights(ctx.con, ctx.as_of)
    return sorted((insight.rule, insight.subject) for insight in found if insight.rule in CHECKED_RULES)


def comparisons() -> list[Comparison]:
    """Every query a page runs for its first render that has a metric to check, in the order reported."""
    found = [
        _grouped(dimension, period, customer_metrics=dimension == "creator")
        for period in ("4 weeks", "13 weeks")
        for dimension in DIMENSIONS
    ]
    found += [_totals("4 weeks"), _totals("previous 4 weeks")]
    found.append(
        Comparison(
            name=RANK_LIFT_BY_ASIN,
            engine=lambda ctx: rank_lift(ctx.con, "asin"),
            handwritten=lambda ctx: handwritten.rank_lift_by_asin(ctx.con),
            pandas=lambda ctx: pandas_impl.rank_lift_by_asin(_tables(ctx)),
            key="asin",
        )
    )
    found.append(
        Comparison(
            name="weekly_insights",
            engine=_insight_subjects,
            handwritten=lambda ctx: handwritten.weekly_insights(ctx.con, ctx.as_of),
            pandas=lambda ctx: pandas_impl.weekly_insights(_tables(ctx), ctx.as_of),
            comparable=_judged_alike,
        )
    )
    return found


# Agreement -----------------------------------------------------------------------------------------------------


def _key_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d")
    return values.astype(str)


def _numbers(values: pd.Series | list[object]) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()


def _value_differences(name: str, expected: pd.Series, actual: pd.Series) -> list[str]:
    left, right = _numbers(expected), _numbers(actual)
    close = np.isclose(left, right, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE, equal_nan=True)
    if close.all():
        return []
    first = int(np.argmin(close))
    return [
        f"{name}: {int((~close).sum())} value(s) differ, e.g. {expected.index[first]}: "
        f"engine {left[first]!r} vs {right[first]!r}"
    ]


def _frame_differences(engine: pd.DataFrame, other: pd.DataFrame, key: str) -> list[str]:
    left = engine.set_index(_key_text(engine[key])).drop(columns=key).sort_index()
    right = other.set_index(_key_text(other[key])).drop(columns=key).sort_index()
    problems = []
    if set(left.index) != set(right.index):
        only_engine = sorted(set(left.index) - set(right.index))[:3]
        only_other = sorted(set(right.index) - set(left.index))[:3]
        problems.append(f"groups differ: {len(left)} vs {len(right)}; engine only {only_engine}, other {only_other}")
    shared = left.index.intersection(right.index)
    for column in (c for c in left.columns if c in right.columns):
        problems += _value_differences(column, left.loc[shared, column], right.loc[shared, column])
    missing = [c for c in right.columns if c not in left.columns]
    if missing:
        problems.append(f"engine lacks columns {missing}")
    return problems


def differences(engine: object, other: object, key: str | None) -> list[str]:
    """What differs between the engine's answer and another's, beyond the tolerance; empty when they agree."""
    if isinstance(engine, pd.DataFrame) and isinstance(other, pd.DataFrame) and key:
        return _frame_differences(engine, other, key)
    if isinstance(engine, dict) and isinstance(other, dict):
        names = [name for name in engine if name in other]
        return _value_differences(
            "totals", pd.Series([engine[n] for n in names], index=names), pd.Series([other[n] for n in names])
        )
    if engine != other:
        extra, missing = sorted(set(other) - set(engine)), sorted(set(engine) - set(other))  # type: ignore[call-overload]
        return [f"findings differ: engine has {missing[:5]} that the other lacks; the other has {extra[:5]}"]
    return []


# Pages: the engine calls behind each page's first render ----------------------------------------------------------

FILTER_OPTIONS = "filter options (filter_values)"
ENGINE_CALLS: dict[str, Call] = {
    "data_version": lambda ctx: store.data_version(ctx.con),
    "data_range": lambda ctx: data_range(ctx.con),
    FILTER_OPTIONS: lambda ctx: filter_values(ctx.con),
    "totals, 4 weeks": lambda ctx: totals(ctx.con, ctx.scope("4 weeks")),
    "sales totals, 4 weeks": lambda ctx: totals(ctx.con, ctx.scope("4 weeks"), SALES_METRICS),
    # The Overview's cards show no baseline; the repeat rate's line names the matured buyers it is over.
    "totals without baselines, 4 weeks": lambda ctx: totals(
        ctx.con, ctx.scope("4 weeks"), (*WITHOUT_BASELINES, *UNLISTED)
    ),
    # Why the cards' commission share moved: the whole selection's split.
    "commission change of the whole selection, 4 weeks against the 4 before": lambda ctx: commission_change(
        ctx.con, (), ctx.periods["previous 4 weeks"], ctx.periods["4 weeks"]
    ),
    "totals without baselines, previous 4 weeks": lambda ctx: totals(
        ctx.con, ctx.scope("previous 4 weeks"), WITHOUT_BASELINES
    ),
    "grouped_metrics by week without baselines, 13-week trend": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("trend"), ("week",), WITHOUT_BASELINES
    ),
    "weekly_insights": lambda ctx: weekly_insights(ctx.con, ctx.as_of),
    "campaign_pacing": lambda ctx: campaign_pacing(ctx.con, ctx.as_of),
    "ledger_notes, given the page's pacing": lambda ctx: ledger_notes(ctx.con, _pacing(ctx), ctx.as_of),
    # The Overview reads the findings the store keeps, worked out with each change to the data.
    "kept findings (kept_findings)": lambda ctx: kept_findings(ctx.con),
    # Creators do not split the baseline: the Creators and Customers pages read it from the totals.
    "grouped_metrics by creator without baselines, 4 weeks": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("4 weeks"), ("creator",), WITHOUT_BASELINES
    ),
    "top_creators (90 days)": lambda ctx: top_creators(ctx.con, ctx.as_of),
    # Tables and charts of sales columns alone ask for SALES_METRICS, as the pages do.
    "one creator's sales by week, 13-week trend": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("trend", creators=(ctx.creator,)), ("week",), SALES_METRICS
    ),
    "one creator's sales by asin × line, 4 weeks": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("4 weeks", creators=(ctx.creator,)), ("asin", "product_line"), SALES_METRICS
    ),
    "product_payouts": lambda ctx: product_payouts(ctx.con),
    "sales by asin × line, 4 weeks": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("4 weeks"), ("asin", "product_line"), SALES_METRICS
    ),
    "sales by product_line, 4 weeks": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("4 weeks"), ("product_line",), SALES_METRICS
    ),
    "grouped_metrics by product_line, 4 weeks": lambda ctx: grouped_metrics(
        ctx.con, ctx.scope("4 weeks"), ("product_line",)
    ),
    "row_counts": lambda ctx: store.row_counts(ctx.con),
    "ranked_asins": lambda ctx: ranked_asins(ctx.con),
    # The Organic rank page measures its three levels at once.
    "rank lift at every level (rank_lifts)": lambda ctx: rank_lifts(ctx.con),
    "rank_history (one ASIN)": lambda ctx: rank_history(ctx.con, ctx.ranked_asin),
    "revenue_up_rank_flat, given the page's rank lift": lambda ctx: revenue_up_rank_flat(
        ctx.con, ctx.as_of, lift=ctx.asin_lift
    ),
    "list_loads": lambda ctx: store.list_loads(ctx.con),
}


def _pacing(ctx: Context) -> pd.DataFrame:
    assert ctx.pacing is not None
    return ctx.pacing


# The hand-written floor of a page call that has no metric to compare, timed beside it.
DISTINCT_FILTER_OPTIONS = "filter options as a hand-written select distinct"
PROBES: dict[str, Call] = {
    DISTINCT_FILTER_OPTIONS: lambda ctx: handwritten.filter_options(ctx.con),
}

# Every page draws the shared sidebar first (ui/sidebar.py: sidebar_filters).
SIDEBAR_CALLS = ("data_version", "data_range", FILTER_OPTIONS)
PAGE_CALLS: dict[str, tuple[str, ...]] = {
    "overview": (
        "totals without baselines, 4 weeks",
        "totals without baselines, previous 4 weeks",
        "grouped_metrics by week without baselines, 13-week trend",
        "commission change of the whole selection, 4 weeks against the 4 before",
        "kept findings (kept_findings)",
    ),
    "creators": (
        "grouped_metrics by creator without baselines, 4 weeks",
        "totals, 4 weeks",
        "top_creators (90 days)",
        "one creator's sales by week, 13-week trend",
        "one creator's sales by asin × line, 4 weeks",
        "product_payouts",
    ),
    "products": (
        "sales totals, 4 weeks",
        "product_payouts",
        "sales by asin × line, 4 weeks",
        "sales by product_line, 4 weeks",
    ),
    "customers": (
        "totals, 4 weeks",
        "grouped_metrics by product_line, 4 weeks",  # the open tab; the Creator tab's query waits for its click
    ),
    "organic_rank": (
        "row_counts",
        "ranked_asins",
        "rank lift at every level (rank_lifts)",
        "rank_history (one ASIN)",
        "revenue_up_rank_flat, given the page's rank lift",
    ),
    "campaigns": ("campaign_pacing", "ledger_notes, given the page's pacing"),
    "data": ("row_counts", "list_loads"),
}
