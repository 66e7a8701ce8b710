"""Reference "Commission-share change, explained" (SPEC, Added 2026-12-03: what moved, and was it the creators)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pandas as pd

from tests.reference.common import (
    as_float,
    clean_text,
    line_of,
    normalise_by,
    product_lines,
    ratio,
    sort_key,
    to_date,
)

COMMISSION_DIMS = ("program", "product_line", "creator", "campaign")
DEFAULT_PROGRAM = "creator_connections"
COMMISSION_COLUMNS = [
    "share_before",
    "share_after",
    "rate_effect",
    "mix_effect",
    "entry_exit_effect",
    "commission_per_click_before",
    "commission_per_click_after",
    # Extra, not a SPEC column: share_after − share_before − (the three effects). 0 up to rounding unless an
    # ASIN has commission but zero revenue in a period (see AMBIGUITIES.md).
    "unexplained",
]


def program_of(value: Any) -> str:
    """SPEC: "Performance rows carry `program` (`creator_connections` by default ...)"."""
    text = clean_text(value)
    return DEFAULT_PROGRAM if text is None else text


def _period(pair: tuple[Any, Any]) -> tuple[dt.date, dt.date]:
    first, last = to_date(pair[0]), to_date(pair[1])
    if first is None or last is None:
        raise ValueError(f"a period needs a start and an end, got {pair!r}")
    return first, last


def _decompose(before: dict[Any, dict[str, float]], after: dict[Any, dict[str, float]]) -> dict[str, float | None]:
    """The three effects for one group, from per-ASIN sums {asin: {"revenue", "commission", "clicks"}}.

    SPEC: "with each ASIN's revenue R and commission C in each: weight w = R / ΣR, effective rate r = C / R.
    Over ASINs with revenue in both periods:
    - `rate_effect` = Σ w1 × (r1 − r0) — bonus rates changed
    - `mix_effect` = Σ (w1 − w0) × r0 — sales moved toward higher- or lower-rate ASINs
    - `entry_exit_effect` = Σ w1 × r1 over ASINs only in P1 − Σ w0 × r0 over ASINs only in P0
    - they add up exactly to `share_after` − `share_before`."

    "With revenue" is read as revenue ≠ 0 (see AMBIGUITIES.md). ΣR is over every ASIN of the group in the period.
    """
    total_r0 = sum(v["revenue"] for v in before.values())
    total_r1 = sum(v["revenue"] for v in after.values())
    total_c0 = sum(v["commission"] for v in before.values())
    total_c1 = sum(v["commission"] for v in after.values())
    share_before = ratio(total_c0, total_r0)
    share_after = ratio(total_c1, total_r1)
    result: dict[str, float | None] = {
        "share_before": share_before,
        "share_after": share_after,
        "rate_effect": None,
        "mix_effect": None,
        "entry_exit_effect": None,
        "commission_per_click_before": ratio(total_c0, sum(v["clicks"] for v in before.values())),
        "commission_per_click_after": ratio(total_c1, sum(v["clicks"] for v in after.values())),
        "unexplained": None,
    }
    if share_before is None or share_after is None:
        return result  # weights need ΣR ≠ 0 in both periods

    def weight_and_rate(sums: dict[str, float], total: float) -> tuple[float, float]:
        return sums["revenue"] / total, sums["commission"] / sums["revenue"]

    with_revenue_0 = {asin for asin, v in before.items() if v["revenue"] != 0}
    with_revenue_1 = {asin for asin, v in after.items() if v["revenue"] != 0}
    rate_effect = 0.0
    mix_effect = 0.0
    for asin in with_revenue_0 & with_revenue_1:
        w0, r0 = weight_and_rate(before[asin], total_r0)
        w1, r1 = weight_and_rate(after[asin], total_r1)
        rate_effect += w1 * (r1 - r0)
        mix_effect += (w1 - w0) * r0
    entered = 0.0
    for asin in with_revenue_1 - with_revenue_0:
        w1, r1 = weight_and_rate(after[asin], total_r1)
        entered += w1 * r1
    exited = 0.0
    for asin in with_revenue_0 - with_revenue_1:
        w0, r0 = weight_and_rate(before[asin], total_r0)
        exited += w0 * r0
    entry_exit_effect = entered - exited
    result["rate_effect"] = rate_effect
    result["mix_effect"] = mix_effect
    result["entry_exit_effect"] = entry_exit_effect
    result["unexplained"] = (share_after - share_before) - (rate_effect + mix_effect + entry_exit_effect)
    return result


def commission_change(
    performance: pd.DataFrame,
    products: pd.DataFrame | None,
    *,
    by: str | Sequence[str],
    before: tuple[Any, Any],
    after: tuple[Any, Any],
    programs: Sequence[str] = (),
) -> pd.DataFrame:
    """Commission-share change between two inclusive periods, explained, one row per group of ``by``.

    SPEC: "For a group (program, product line, creator or campaign) and two periods P0, P1, with each ASIN's
    revenue R and commission C in each: weight w = R / ΣR, effective rate r = C / R. ... (Conversion does not
    move commission share; it moves `commission_per_click` = commission / clicks, shown beside it.)"
    and `commission_share` = commission / revenue.

    Groups are every group with a performance row in either period. ``programs`` optionally filters rows first.
    """
    dims = normalise_by(by, COMMISSION_DIMS)
    (start0, end0), (start1, end1) = _period(before), _period(after)
    lines = product_lines(products)
    program_filter = set(programs)
    # group key → period index → asin → sums
    sums: dict[tuple[Any, ...], list[dict[Any, dict[str, float]]]] = defaultdict(lambda: [{}, {}])
    for record in performance.to_dict("records"):
        day = to_date(record.get("date"))
        if day is None:
            continue
        row = {
            "program": program_of(record.get("program")),
            "product_line": line_of(record.get("asin"), lines),
            "creator": clean_text(record.get("creator")),
            "campaign": clean_text(record.get("campaign")),
        }
        if program_filter and row["program"] not in program_filter:
            continue
        key = tuple(row[dim] for dim in dims)
        for index, (first, last) in enumerate(((start0, end0), (start1, end1))):
            if not first <= day <= last:
                continue
            per_asin = sums[key][index].setdefault(
                record.get("asin"), {"revenue": 0.0, "commission": 0.0, "clicks": 0.0}
            )
            per_asin["revenue"] += as_float(record.get("revenue")) or 0.0
            per_asin["commission"] += as_float(record.get("commission")) or 0.0
            per_asin["clicks"] += as_float(record.get("clicks")) or 0.0

    rows = []
    for key in sorted(sums, key=lambda k: tuple(sort_key(v) for v in k)):
        period0, period1 = sums[key]
        rows.append({**dict(zip(dims, key, strict=True)), **_decompose(period0, period1)})
    return pd.DataFrame(rows, columns=[*dims, *COMMISSION_COLUMNS])
