"""What a typical Streamlit dashboard does instead of an engine: read the tables into DataFrames once, then pandas.

`read_tables` is the one-off read (timed on its own); every metric after it is groupby and merge on those frames,
written from SPEC.md without looking at the engine. Same default scope as bench/handwritten.py: a date range, no
filters, an orders table present.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

UNASSIGNED = "Unassigned"
SUMS = ("clicks", "orders", "units", "revenue", "commission")


@dataclass(frozen=True)
class Tables:
    performance: pd.DataFrame
    orders: pd.DataFrame
    ranks: pd.DataFrame
    products: pd.DataFrame

    def memory_bytes(self) -> int:
        frames = (self.performance, self.orders, self.ranks, self.products)
        return sum(int(frame.memory_usage(deep=True).sum()) for frame in frames)


# Money is read as double: a typical dashboard does not carry decimals into pandas (they become Python objects).
READS = {
    "performance": """
        select date, creator, asin, clicks, orders, units,
               cast(revenue as double) as revenue, cast(commission as double) as commission
        from performance
    """,
    "orders": """
        select order_id, order_date, customer_id, asin, creator, new_to_brand, subscribe_and_save
        from orders
    """,
    "ranks": "select date, asin, keyword, organic_rank from ranks",
    "products": """
        select asin, product_line, cast(price as double) as price, standard_rate, bonus_rate,
               launch_date, activation_date
        from products
    """,
}


def read_tables(con: duckdb.DuckDBPyConnection) -> Tables:
    """The columns the pages need, every row, as DataFrames; product line and week added once, as a dashboard would."""
    frames = {name: con.execute(sql).df() for name, sql in READS.items()}
    lines = frames["products"].set_index("asin")["product_line"]
    for name, day in (("performance", "date"), ("orders", "order_date")):
        frame = frames[name]
        frame["product_line"] = frame["asin"].map(lines).fillna(UNASSIGNED)
        frame["week"] = _week(frame[day])
    for flag in ("new_to_brand", "subscribe_and_save"):
        frames["orders"][flag] = frames["orders"][flag].astype("float64")
    return Tables(**frames)


def _week(days: pd.Series) -> pd.Series:
    """The Sunday that starts each day's week (pandas counts Monday as 0)."""
    days = pd.to_datetime(days)
    return days - pd.to_timedelta((days.dt.day_of_week + 1) % 7, unit="D")


def _between(frame: pd.DataFrame, column: str, start: date, end: date) -> pd.DataFrame:
    return frame[frame[column].between(pd.Timestamp(start), pd.Timestamp(end))]


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator != 0)


def _customer_rates(lines: pd.DataFrame, by: list[str], prefix: str = "") -> pd.DataFrame:
    """ntb, sns and in-period repeat rates of order lines (flagged with `repeater`) per group."""
    grouped = lines.groupby(by, sort=False)
    rates = pd.DataFrame(
        {
            # Over every line: a blank flag is a line without it (SPEC's "/ attributed lines").
            f"{prefix}ntb_pct": grouped["new_to_brand"].sum() / grouped.size(),
            f"{prefix}sns_rate": grouped["subscribe_and_save"].sum() / grouped.size(),
            "_customers": grouped["customer_id"].nunique(),
        }
    )
    repeat = lines[lines["repeater"]].groupby(by, sort=False)["customer_id"].nunique()
    rates[f"{prefix}repeat_rate_in_period"] = repeat.reindex(rates.index, fill_value=0) / rates.pop("_customers")
    return rates


def _lines_in_scope(tables: Tables, start: date, end: date) -> pd.DataFrame:
    lines = _between(tables.orders, "order_date", start, end)
    orders_per_customer = lines.groupby("customer_id")["order_id"].nunique()
    repeaters = orders_per_customer.index[orders_per_customer >= 2]
    return lines.assign(repeater=lines["customer_id"].isin(repeaters), _all="all")


def grouped(tables: Tables, start: date, end: date, dimension: str | None) -> pd.DataFrame:
    """Every performance and orders metric per group of one dimension (None: one row for the whole scope)."""
    key = dimension or "_all"
    perf = _between(tables.performance, "date", start, end).assign(_all="all")
    sums = perf.groupby(key)[list(SUMS)].sum()
    lines = _lines_in_scope(tables, start, end)
    attributed = _customer_rates(lines[lines["creator"].fillna("") != ""], [key])
    baseline_key = "_all" if dimension in (None, "creator") else key
    # The baseline's repeat rate runs R days from each customer's entry: not this in-period count.
    baseline = _customer_rates(lines, [baseline_key], prefix="baseline_").drop(columns="baseline_repeat_rate_in_period")
    frame = sums.join(attributed, how="outer")
    frame[list(SUMS)] = frame[list(SUMS)].fillna(0)
    frame["conversion_rate"] = _ratio(frame["orders"], frame["clicks"])
    frame["commission_share"] = _ratio(frame["commission"], frame["revenue"])
    frame["revenue_share"] = _ratio(frame["revenue"], pd.Series(frame["revenue"].sum(), index=frame.index))
    frame["payout_per_order"] = _ratio(frame["commission"], frame["orders"])
    frame = frame.rename_axis(key).reset_index()
    if baseline_key == "_all":
        frame = frame.assign(**baseline.iloc[0].to_dict()) if len(baseline) else frame
    else:
        frame = frame.merge(baseline, left_on=key, right_index=True, how="left")
    return frame.rename(columns={"_all": "all"}) if dimension is None else frame


def totals(tables: Tables, start: date, end: date) -> dict[str, object]:
    row = grouped(tables, start, end, None).drop(columns="all").iloc[0]
    return {name: (None if pd.isna(value) else value) for name, value in row.items()}


def _activation(tables: Tables) -> pd.Series:
    """Each ASIN's activation date: the catalog's, else the first day with clicks."""
    perf = tables.performance
    first_click = perf[perf["clicks"] > 0].groupby("asin")["date"].min()
    catalog = pd.to_datetime(tables.products.set_index("asin")["activation_date"])
    activation = catalog.combine_first(pd.to_datetime(first_click))
    return activation.dropna()


def keyword_lift(tables: Tables, window_days: int = 28, lag_days: int = 0) -> pd.DataFrame:
    ranks = tables.ranks.merge(_activation(tables).rename("activation"), left_on="asin", right_index=True)
    offset = (pd.to_datetime(ranks["date"]) - ranks["activation"]).dt.days
    before = ranks["organic_rank"].where(offset.between(-window_days, -1))
    after = ranks["organic_rank"].where(offset.between(lag_days, lag_days + window_days - 1))
    keywords = (
        ranks.assign(rank_before=before, rank_after=after)
        .groupby(["asin", "keyword"])[["rank_before", "rank_after"]]
        .median()
    )
    keywords["rank_change"] = keywords["rank_before"] - keywords["rank_after"]
    return keywords.reset_index()


def rank_lift_by_asin(tables: Tables, window_days: int = 28, lag_days: int = 0) -> pd.DataFrame:
    keywords = keyword_lift(tables, window_days, lag_days)
    by_asin = keywords.groupby("asin")[["rank_before", "rank_after", "rank_change"]].median()
    by_asin["keywords_improved"] = keywords.groupby("asin")["rank_change"].apply(lambda c: int((c > 0).sum()))
    by_asin["keywords_measured"] = keywords.groupby("asin")["rank_change"].count()
    return by_asin.reset_index()


# The weekly review's checks (analytics/insights.py documents periods and thresholds), each as (rule, subject).


def _days(as_of: date, days: int, days_before: int = 0) -> tuple[date, date]:
    end = as_of - timedelta(days=days_before)
    return end - timedelta(days=days - 1), end


def _commission_share_drift(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    shares = [
        grouped(tables, *_days(as_of, 42, before), "product_line").set_index("product_line")["commission_share"]
        for before in (0, 42)
    ]
    rise = ((shares[0] - shares[1]) * 100).round(6).dropna()
    return [("commission_share_drift", str(line)) for line in rise.index[rise >= 2.0]]


def _launch_starved(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    start, end = _days(as_of, 60)
    catalog = tables.products
    launched = pd.to_datetime(catalog["launch_date"]).between(pd.Timestamp(start), pd.Timestamp(end))
    perf = _between(tables.performance, "date", *_days(as_of, 90))
    revenue = perf.groupby(["product_line", "asin"])["revenue"].sum()
    share = (revenue / revenue.groupby(level="product_line").transform("sum").replace(0, np.nan)).dropna()
    found = []
    for launch in catalog[launched].itertuples(index=False):
        if launch.product_line not in share.index.get_level_values(0):
            continue
        line = share.loc[launch.product_line].sort_index()
        hero = line.idxmax()
        launch_share = line.get(launch.asin, 0.0)
        if round(line[hero], 6) > 0.6 and launch.asin != hero and round(launch_share, 6) < 0.1:
            found.append(("launch_starved", str(launch.asin)))
    return found


def _creators_90(tables: Tables, as_of: date) -> pd.DataFrame:
    perf = _between(tables.performance, "date", *_days(as_of, 90))
    return perf.groupby("creator")[["clicks", "orders", "revenue"]].sum()


def _clicks_no_purchases(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    creators = _creators_90(tables, as_of)
    flagged = creators[(creators["clicks"] >= 200) & (creators["orders"] == 0)]
    return [("clicks_no_purchases", str(name)) for name in flagged.index]


def _low_new_to_brand(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    lines = _between(tables.orders, "order_date", *_days(as_of, 90))
    baseline = lines["new_to_brand"].sum() / len(lines)
    flags = lines[lines["creator"].fillna("") != ""].groupby("creator")["new_to_brand"].agg(["sum", "size"])
    ntb = (flags["sum"] / flags["size"])[flags["size"] >= 30]  # over 30 lines or more
    gap = ((baseline - ntb) * 100).round(6).dropna()
    return [("low_new_to_brand", str(name)) for name in gap.index[gap >= 15.0]]


def _low_creator_payout(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    catalog = tables.products
    payout = catalog["price"] * (catalog["standard_rate"].fillna(0) + catalog["bonus_rate"])
    low = (payout.round(6) < 1.0) | (catalog["price"].round(6) < 15.0)
    return [("low_creator_payout", str(asin)) for asin in catalog.loc[low.fillna(False), "asin"]]


def _top_creators(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    creators = _creators_90(tables, as_of).reset_index()
    earning = creators[creators["revenue"] > 0].sort_values(["revenue", "creator"], ascending=[False, True])
    top = earning["creator"].head(10).tolist()
    return [("top_creators", ", ".join(top))] if top else []


def _revenue_up_rank_flat(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    revenue = [
        _between(tables.performance, "date", *_days(as_of, 28, before)).groupby("asin")["revenue"].sum()
        for before in (0, 28)
    ]
    growth = (revenue[0] - revenue[1].reindex(revenue[0].index, fill_value=0)).round(6)
    lift = rank_lift_by_asin(tables).set_index("asin")["rank_change"]
    flat = lift[lift <= 0]
    return [("revenue_up_rank_flat", str(asin)) for asin in growth.index[growth > 0] if asin in flat.index]


CHECKS = (
    _commission_share_drift,
    _launch_starved,
    _clicks_no_purchases,
    _low_new_to_brand,
    _low_creator_payout,
    _top_creators,
    _revenue_up_rank_flat,
)


def weekly_insights(tables: Tables, as_of: date) -> list[tuple[str, str]]:
    return sorted(finding for check in CHECKS for finding in check(tables, as_of))
