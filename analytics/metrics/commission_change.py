"""Why commission share moved between two periods: bonus rates, the mix of ASINs sold, or ASINs entering and leaving.

For a group and two inclusive periods P0 (before) and P1 (after), each ASIN has revenue R and commission C in each;
its weight is w = R / ΣR (ΣR over every ASIN of the group in the period) and its effective rate r = C / R. Over the
ASINs with revenue (R ≠ 0) in both periods:

- `rate_effect` = Σ w1 × (r1 − r0): bonus rates changed;
- `mix_effect` = Σ (w1 − w0) × r0: sales moved toward higher- or lower-rate ASINs;
- `entry_exit_effect` = Σ w1 × r1 over ASINs only in P1 − Σ w0 × r0 over ASINs only in P0.

Each ASIN adds C / ΣR to its period's share (w × r = C / ΣR), so the three add up to `share_after` − `share_before`.
An ASIN with commission but no revenue in a period (a sale returned after its commission was paid) has no rate; it
is not "with revenue" there, and its C / ΣR goes to `entry_exit_effect`, so the sum still holds. A group without
revenue in one of the periods has no share there (a zero denominator) and no effects.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics.contract.kinds import DEFAULT_PROGRAM
from analytics.metrics.choices import CHANGE_DIMENSIONS
from analytics.metrics.grouped import Scope, product_line_of
from analytics.sql import ident, idents, keys_match

COLUMNS = (
    "share_before",
    "share_after",
    "rate_effect",
    "mix_effect",
    "entry_exit_effect",
    "commission_per_click_before",
    "commission_per_click_after",
)

Period = tuple[date, date]


# Shares, rates, weights and effects are written to this many decimals. Worked out in floating point from amounts in
# cents, an unchanged bonus rate differs from itself in its last bits, and parts that cancel leave a residue: a
# download read a rate effect of -0.0000000000000000069 and a mix effect of 0.0000000000000000035 where both are 0.
DIGITS = 12


def without_float_noise(values: pd.Series) -> pd.Series:
    """`values` to DIGITS decimals, a -0.0 made 0.0."""
    return values.round(DIGITS) + 0.0


# The whole scope as one group (no dimensions): a constant column of the rows stands in for them.
_WHOLE = "whole_scope"


def _check_by(by: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    dimensions = tuple(dict.fromkeys([by] if isinstance(by, str) else by))
    unknown = [d for d in dimensions if d not in CHANGE_DIMENSIONS]
    if unknown:
        raise ValueError(
            f"commission change is grouped by any of {', '.join(CHANGE_DIMENSIONS)}; got {', '.join(unknown)}"
        )
    return dimensions or (_WHOLE,)


def _check_period(period: Period, name: str) -> Period:
    start, end = period
    if start > end:
        raise ValueError(f"the {name} period starts ({start}) after it ends ({end})")
    return start, end


def commission_change(
    con: duckdb.DuckDBPyConnection,
    by: str | tuple[str, ...] | list[str],
    before: Period,
    after: Period,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """One row per group with performance rows in either period: the group columns, then `COLUMNS`; with no `by`,
    one row for the whole scope (none when it has no rows).

    `scope` narrows the rows by creator, ASIN, product line, campaign and program (its dates are not used: the
    periods are). `commission_per_click` = commission / clicks over
    the group's rows in the period. Sorted by the groups, nulls last.
    """
    dimensions = _check_by(by)
    final = f"""
        effects as (
            select
                {idents(dimensions)},
                -- Summed in one order: floating-point sums in whatever order the threads finish differ in the
                -- last digits from run to run, and a scheduled pull's output should not.
                sum(rate_effect order by asin) as rate_effect,
                sum(mix_effect order by asin) as mix_effect,
                sum(entry_exit_effect order by asin) as entry_exit_effect
            from contributions
            group by all
        ),
        final as (
            select
                {idents(dimensions, "t.")},
                t.commission_before / nullif(t.revenue_before, 0) as share_before,
                t.commission_after / nullif(t.revenue_after, 0) as share_after,
                e.rate_effect,
                e.mix_effect,
                e.entry_exit_effect,
                t.commission_before / nullif(t.clicks_before, 0) as commission_per_click_before,
                t.commission_after / nullif(t.clicks_after, 0) as commission_per_click_after
            from totals as t
            left join effects as e on {keys_match("t", "e", dimensions)}
        )
        select * from final
        order by {idents(dimensions)} nulls last
    """
    frame = _query(con, dimensions, before, after, scope, final)
    return frame.astype({name: "float64" for name in COLUMNS})


def asin_effects(
    con: duckdb.DuckDBPyConnection,
    by: str | tuple[str, ...] | list[str],
    before: Period,
    after: Period,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """Each ASIN's part of its group's effects (groups with revenue in both periods only): the group columns,
    asin, w0, w1, rate0, rate1 (null where it had no revenue), rate_effect, mix_effect, entry_exit_effect.

    Summed per group they give `commission_change`'s effects; they say which ASINs a change came from.
    """
    dimensions = _check_by(by)
    final = f"""
        final as (
            select * from contributions
        )
        select * from final
        order by {idents(dimensions)} nulls last, asin
    """
    return _query(con, dimensions, before, after, scope, final)


def _query(
    con: duckdb.DuckDBPyConnection,
    dimensions: tuple[str, ...],
    before: Period,
    after: Period,
    scope: Scope | None,
    final: str,
) -> pd.DataFrame:
    """The named CTEs down to `contributions` (one row per group and ASIN), then `final`, SQL that reads them."""
    before, after = _check_period(before, "before"), _check_period(after, "after")
    scope = scope or Scope()
    filters = scope.parameters()
    groups = idents(dimensions)
    sql = f"""
        with
        rows_in_scope as (
            select
                true as {_WHOLE},
                coalesce(p.program, '{DEFAULT_PROGRAM}') as program,
                {product_line_of("c.product_line")} as product_line,
                p.creator,
                p.campaign,
                p.asin,
                p.date,
                p.clicks,
                p.revenue,
                p.commission
            from performance as p
            left join products as c using (asin)
            where (len($creators::varchar[]) = 0 or list_contains($creators::varchar[], p.creator))
              and (len($asins::varchar[]) = 0 or list_contains($asins::varchar[], p.asin))
              and (len($campaigns::varchar[]) = 0 or list_contains($campaigns::varchar[], p.campaign))
        ),
        filtered as (
            select *
            from rows_in_scope
            where (len($product_lines::varchar[]) = 0 or list_contains($product_lines::varchar[], product_line))
              and (len($programs::varchar[]) = 0 or list_contains($programs::varchar[], program))
        ),
        -- The periods may overlap: a row in both counts in each.
        period_rows as (
            select 0 as period, * from filtered where date between $before_start and $before_end
            union all
            select 1 as period, * from filtered where date between $after_start and $after_end
        ),
        per_asin as (
            select
                {groups},
                period,
                asin,
                cast(sum(revenue) as double) as revenue,
                cast(sum(commission) as double) as commission
            from period_rows
            group by all
        ),
        per_group as (
            select
                {groups},
                period,
                cast(sum(revenue) as double) as revenue,
                cast(sum(commission) as double) as commission,
                cast(sum(clicks) as double) as clicks
            from period_rows
            group by all
        ),
        group_keys as (
            select distinct {groups} from per_group
        ),
        totals as (
            select
                {idents(dimensions, "k.")},
                b.revenue as revenue_before,
                b.commission as commission_before,
                b.clicks as clicks_before,
                a.revenue as revenue_after,
                a.commission as commission_after,
                a.clicks as clicks_after
            from group_keys as k
            left join (select * from per_group where period = 0) as b on {keys_match("k", "b", dimensions)}
            left join (select * from per_group where period = 1) as a on {keys_match("k", "a", dimensions)}
        ),
        asin_pairs as (
            select
                {", ".join(f"coalesce(b.{ident(d)}, a.{ident(d)}) as {ident(d)}" for d in dimensions)},
                coalesce(b.asin, a.asin) as asin,
                coalesce(b.revenue, 0) as r0,
                coalesce(b.commission, 0) as c0,
                coalesce(a.revenue, 0) as r1,
                coalesce(a.commission, 0) as c1
            from (select * from per_asin where period = 0) as b
            full outer join (select * from per_asin where period = 1) as a
                on {keys_match("b", "a", (*dimensions, "asin"))}
        ),
        weighed as (
            select
                {idents(dimensions, "x.")},
                x.asin,
                x.r0 <> 0 and x.r1 <> 0 as in_both,
                x.r0 / t.revenue_before as w0,
                x.r1 / t.revenue_after as w1,
                x.c0 / nullif(x.r0, 0) as rate0,
                x.c1 / nullif(x.r1, 0) as rate1,
                x.c0 / t.revenue_before as part0,
                x.c1 / t.revenue_after as part1
            from asin_pairs as x
            join totals as t on {keys_match("x", "t", dimensions)}
            where t.revenue_before <> 0 and t.revenue_after <> 0
        ),
        contributions as (
            -- Each ASIN's part of its group's three effects (w × r = C / ΣR, so entry and exit are C / ΣR).
            select
                {groups},
                asin,
                w0,
                w1,
                rate0,
                rate1,
                case when in_both then w1 * (rate1 - rate0) else 0 end as rate_effect,
                case when in_both then (w1 - w0) * rate0 else 0 end as mix_effect,
                case when in_both then 0 else part1 - part0 end as entry_exit_effect
            from weighed
        ),
        {final}
    """
    parameters = {
        "creators": filters["creators"],
        "asins": filters["asins"],
        "campaigns": filters["campaigns"],
        "product_lines": filters["product_lines"],
        "programs": filters["programs"],
        "before_start": before[0],
        "before_end": before[1],
        "after_start": after[0],
        "after_end": after[1],
    }
    frame = con.execute(sql, parameters).df().drop(columns=[_WHOLE], errors="ignore")
    for name in frame.columns:
        if pd.api.types.is_float_dtype(frame[name]):
            frame[name] = without_float_noise(frame[name])
    return frame
