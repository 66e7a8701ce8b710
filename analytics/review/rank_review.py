"""The Organic rank screen's tables: which ASINs have keyword ranks, their before/after windows, lift with names."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics.contract.kinds import UNASSIGNED_PRODUCT_LINE
from analytics.metrics.rank_lift import activation_dates
from analytics.metrics.titles import titles_sql


def ranked_asins(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per ASIN with keyword ranks: product line, title, activation date, keywords and days tracked.

    ASINs with an activation date come first (they have a before/after), then by product line and ASIN.
    """
    tracked = con.execute(
        f"""
        with tracked as (
            select
                asin,
                count(distinct keyword) as keywords,
                min(date) as first_date,
                max(date) as last_date
            from ranks
            group by asin
        ),
        final as (
            select
                t.asin,
                p.title,
                t.keywords,
                t.first_date,
                t.last_date
            from tracked as t
            left join ({titles_sql()}) as p using (asin)
        )
        select * from final
        """
    ).df()
    activation = activation_dates(con)[["asin", "activation_date", "product_line"]]
    frame = tracked.merge(activation, on="asin", how="left")
    frame["product_line"] = frame["product_line"].fillna(UNASSIGNED_PRODUCT_LINE)
    frame["keywords"] = frame["keywords"].astype("int64")
    frame["_unactivated"] = frame["activation_date"].isna()
    frame = frame.sort_values(["_unactivated", "product_line", "asin"], ignore_index=True)
    return frame[["asin", "product_line", "title", "activation_date", "keywords", "first_date", "last_date"]]


def in_product_lines(frame: pd.DataFrame, product_lines: tuple[str, ...], asins: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of the given product lines and ASINs (all rows when none are given)."""
    if product_lines:
        frame = frame[frame["product_line"].isin(product_lines)].reset_index(drop=True)
    if asins:
        frame = frame[frame["asin"].isin(asins)].reset_index(drop=True)
    return frame


def asin_labels(asins: pd.DataFrame) -> dict[str, str]:
    """ASIN -> "B0… · title" for pickers, the title shortened to stay readable."""
    labels = {}
    # The two columns alone: iterating whole rows would turn every date cell into a Timestamp (0.1 s per 8,000).
    for asin, title in zip(asins["asin"], asins["title"], strict=True):
        text = title if isinstance(title, str) else ""
        short = text if len(text) <= 48 else text[:47] + "…"
        labels[asin] = f"{asin} · {short}" if short else asin
    return labels


def as_date(value: object) -> date | None:
    """A date from a DataFrame cell (Timestamp, date or missing)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def activation_of(asins: pd.DataFrame, asin: str) -> date | None:
    """The activation date `ranked_asins` gives an ASIN (None when it has none or is not listed)."""
    rows = asins.loc[asins["asin"] == asin, "activation_date"]
    return as_date(rows.iloc[0]) if len(rows) else None


def windows(activation: date, window_days: int, lag_days: int) -> tuple[tuple[date, date], tuple[date, date]]:
    """The inclusive before and after windows of `rank_lift`: A−W … A−1 and A+L … A+L+W−1."""
    before = (activation - timedelta(days=window_days), activation - timedelta(days=1))
    after_start = activation + timedelta(days=lag_days)
    return before, (after_start, after_start + timedelta(days=window_days - 1))


def keyword_rows(keyword_lift: pd.DataFrame, asin: str) -> pd.DataFrame:
    """One ASIN's keyword-level lift, the biggest improvement first, unmeasured keywords last."""
    columns = ["keyword", "rank_before", "rank_after", "rank_change", "lift_vs_control"]
    rows = keyword_lift.loc[keyword_lift["asin"] == asin, columns]
    return rows.sort_values(["rank_change", "keyword"], ascending=[False, True], na_position="last", ignore_index=True)


def asin_lift_table(asin_lift: pd.DataFrame, asins: pd.DataFrame) -> pd.DataFrame:
    """Lift by ASIN with its product line, title and activation date, for the ASINs listed in `asins`, and beside it
    the change of its control group (ASINs of its line not yet activated) and the lift net of it."""
    described = asins[["asin", "product_line", "title", "activation_date"]].merge(asin_lift, on="asin", how="inner")
    return described.sort_values(
        ["rank_change", "asin"], ascending=[False, True], na_position="last", ignore_index=True
    )[
        [
            "asin",
            "title",
            "product_line",
            "activation_date",
            "rank_before",
            "rank_after",
            "rank_change",
            "keywords_improved",
            "keywords_measured",
            "control_change",
            "lift_vs_control",
            "control_asins",
        ]
    ]


def line_lift_table(line_lift: pd.DataFrame, product_lines: tuple[str, ...]) -> pd.DataFrame:
    """Lift by product line, the biggest improvement first."""
    rows = in_product_lines(line_lift, product_lines)
    return rows.sort_values(["rank_change", "product_line"], ascending=[False, True], na_position="last").reset_index(
        drop=True
    )


def lift_row(asin_lift: pd.DataFrame, asin: str) -> dict[str, object] | None:
    """One ASIN's lift figures as a dict (None when it has no lift row, e.g. no activation date)."""
    rows = asin_lift[asin_lift["asin"] == asin]
    if rows.empty:
        return None
    return {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0].to_dict().items()}


def measured_without_control(figures: dict[str, object] | None) -> bool:
    """Whether an ASIN's lift row (`lift_row`) has keywords measured but no control group to set them against: then
    its lift vs control is empty for want of controls, not of its own ranks."""
    if figures is None:
        return False
    return int(figures["keywords_measured"] or 0) > 0 and int(figures["control_asins"] or 0) == 0  # type: ignore[call-overload]


def best_lift_asin(asin_lift: pd.DataFrame, asins: pd.DataFrame) -> str | None:
    """The listed ASIN whose organic rank rose most after activation: the page opens on it."""
    table = asin_lift_table(asin_lift, asins)
    measured = table[table["rank_change"].notna()]
    return str(measured.iloc[0]["asin"]) if not measured.empty else None


def any_measured(asin_lift: pd.DataFrame, asins: pd.Series) -> bool:
    """Whether any of `asins` has a keyword ranked both before and after its activation in `asin_lift` (`rank_lift`
    by ASIN): without one, whether rank followed revenue cannot be judged."""
    shown = asin_lift[asin_lift["asin"].isin(set(asins))]
    return bool((shown["keywords_measured"] > 0).any())
