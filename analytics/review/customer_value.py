"""Creator-attributed buyers against the baseline: which customer metrics a scope can show, and their tables.

Pure functions over `grouped_metrics` frames and `totals` dicts, so the Customers page only lays them out.
"""

from __future__ import annotations

import pandas as pd

# Each customer metric of creator-attributed buyers, with the same figure over all buyers.
CUSTOMER_METRICS: dict[str, str] = {
    "ntb_pct": "baseline_ntb_pct",
    "repeat_rate": "baseline_repeat_rate",
    "sns_rate": "baseline_sns_rate",
}
# What each rate is a share of, for axis titles.
UNITS: dict[str, str] = {
    "ntb_pct": "% of order lines",
    "repeat_rate": "% of customers",
    "sns_rate": "% of order lines",
}
ORDERS_UPLOAD = "upload an orders file (one row per order line, with customer_id and creator) on the Data page"
NO_ATTRIBUTED_LINES = (
    "no order line in this selection is attributed to a creator: the orders file needs the creator column "
    "filled for creator-attributed lines"
)
NEEDS: dict[str, str] = {
    "ntb_pct": "New-to-brand % needs a new_to_brand column in the orders file, or new-to-brand orders "
    "(ntb_orders) in the performance file",
    "repeat_rate": "Repeat rate needs attributed order lines",
    "sns_rate": "Subscribe & Save rate needs a subscribe_and_save column in the orders file, or Subscribe & Save "
    "orders (sns_orders) in the performance file",
}
FLAG_COLUMNS = {"ntb_pct": "new_to_brand", "sns_rate": "subscribe_and_save"}


def has_order_lines(totals: dict[str, object]) -> bool:
    """Whether the scope holds order lines: the baseline repeat rate exists exactly when it does."""
    return totals.get("baseline_repeat_rate") is not None


def missing_metrics(totals: dict[str, object]) -> dict[str, str]:
    """For each customer metric the scope cannot show, the sentence saying which upload would fill it."""
    lines = has_order_lines(totals)
    missing: dict[str, str] = {}
    for metric, baseline in CUSTOMER_METRICS.items():
        if totals.get(metric) is not None:
            continue
        if not lines:
            missing[metric] = f"{NEEDS[metric]}: {ORDERS_UPLOAD}."
        elif totals.get(baseline) is None and metric in FLAG_COLUMNS:
            missing[metric] = (
                f"The orders file has no {FLAG_COLUMNS[metric]} column: upload one that includes it on the Data page."
            )
        else:
            missing[metric] = f"{NEEDS[metric]}, but {NO_ATTRIBUTED_LINES}."
    return missing


def source_note(totals: dict[str, object]) -> str | None:
    """A sentence when rates come from the performance file's counts rather than from order lines."""
    if has_order_lines(totals) or all(totals.get(m) is None for m in ("ntb_pct", "sns_rate")):
        return None
    return (
        "Without order lines, these rates come from the new-to-brand and Subscribe & Save counts of the performance "
        "file, and there is no baseline of all buyers to compare them with: an orders file adds it."
    )


def baseline_gap(totals: dict[str, object], metric: str) -> float | None:
    """The metric minus its baseline, as a fraction (0.05 = 5 points), or None when either is missing."""
    value, baseline = totals.get(metric), totals.get(CUSTOMER_METRICS[metric])
    if value is None or baseline is None:
        return None
    return float(value) - float(baseline)  # type: ignore[arg-type]


def with_scope_baselines(frame: pd.DataFrame, totals: dict[str, object]) -> pd.DataFrame:
    """`frame` with each baseline column set to the scope's own, from its `totals`.

    For groups that do not split the baseline (creators, campaigns: buyers who came without a creator have
    neither), every group's baseline is the whole scope's, so the grouped query need not count it again.
    """
    scope_values = {baseline: totals.get(baseline) for baseline in CUSTOMER_METRICS.values()}
    return frame.assign(**{b: float("nan") if v is None else float(v) for b, v in scope_values.items()})  # type: ignore[arg-type]


def comparison_table(
    frame: pd.DataFrame, group: str, metrics: list[str] | None = None, with_baseline: bool = True
) -> pd.DataFrame:
    """One row per group: attributed orders, then each customer metric (beside its baseline, if asked).

    `metrics` picks the customer metrics shown (default: all three). Groups with no attributed orders and no
    customer figure are left out (a creator who sold nothing). Sorted by attributed orders, most first.
    """
    shown = metrics if metrics is not None else list(CUSTOMER_METRICS)
    columns = [group, "orders"]
    for metric in shown:
        columns += [metric, CUSTOMER_METRICS[metric]] if with_baseline else [metric]
    table = frame[columns]
    keep = (table["orders"].fillna(0) > 0) | table[shown].notna().any(axis=1)
    return table[keep].sort_values(["orders", group], ascending=[False, True], ignore_index=True)


def chart_rows(frame: pd.DataFrame, group: str, metric: str, limit: int | None = None) -> pd.DataFrame:
    """The groups with a value for `metric`, highest first, with its baseline and orders: ready for the bar chart.

    With `limit`, only that many groups with the most attributed orders (small groups give extreme rates).
    """
    baseline = CUSTOMER_METRICS[metric]
    rows = frame.loc[frame[metric].notna(), [group, "orders", metric, baseline]]
    if limit is not None:
        rows = rows.sort_values(["orders", group], ascending=[False, True]).head(limit)
    return rows.sort_values([metric, group], ascending=[False, True], ignore_index=True)


def groups_without_value(frame: pd.DataFrame, group: str, metric: str) -> int:
    """How many groups with attributed orders have no value for `metric` (left off the chart)."""
    return int(((frame["orders"].fillna(0) > 0) & frame[metric].isna()).sum())
