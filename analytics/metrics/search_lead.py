"""Does branded search follow creator clicks? Branded search volume by week beside creator clicks, and the
correlation of their weekly changes at lags of 0 to 4 weeks.

Weekly changes, not levels: two series that both grow over the year correlate in level whatever drives them. The
lag at which the changes correlate best is stated only when it is clear (r of at least MIN_R over at least
MIN_WEEKS pairs of weekly changes); a correlation is a pattern in the data, never proof that clicks cause searches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import pandas as pd

from analytics.metrics.grouped import Scope, grouped_metrics
from analytics.metrics.sales import period_metrics
from analytics.store.brand_terms import brand_terms

MAX_LAG_WEEKS = 4
MIN_R = 0.5
# Brand search is the whole brand's: the clicks of a selection under a quarter of the brand's are too small a part of
# what shoppers see to read it against, whatever the correlation.
MIN_CLICK_SHARE = 0.25
MIN_WEEKS = 8
WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class Lead:
    """Branded search's weekly changes follow creator clicks' `lag_weeks` later with correlation `r`, over `weeks`
    pairs of weekly changes."""

    lag_weeks: int
    r: float
    weeks: int


def weekly_clicks_and_search(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per Sunday-Saturday week of the scope with creator clicks or branded search: week, clicks (with the
    scope's filters), branded_search_volume and brand_click_share (null where no search row covers the week).

    The Brand View of Search Query Performance has no ASINs, so branded search is the whole brand's: the scope's
    dates narrow it, its creator, ASIN, line, campaign and program filters narrow only the clicks.
    """
    clicks = grouped_metrics(con, scope, ("week",), ("clicks",))[["week", "clicks"]]
    search = period_metrics(con, Scope(scope.start, scope.end), ("week",))[
        ["week", "branded_search_volume", "brand_click_share"]
    ]
    clicks["week"] = pd.to_datetime(clicks["week"])
    search["week"] = pd.to_datetime(search["week"])
    frame = clicks.merge(search, on="week", how="outer").sort_values("week", kind="stable")
    frame["clicks"] = frame["clicks"].astype("Int64")
    frame["branded_search_volume"] = frame["branded_search_volume"].astype("Int64")
    frame["brand_click_share"] = frame["brand_click_share"].astype("float64")
    return frame.reset_index(drop=True)


def _changes(weekly: pd.DataFrame, column: str) -> pd.Series:
    """Week-on-week changes of `column` on an unbroken weekly index: null where either week has no value."""
    values = weekly.set_index("week")[column].astype("float64")
    if values.empty:
        return values
    weeks = pd.date_range(values.index.min(), values.index.max(), freq=WEEK)
    return values.reindex(weeks).diff()


def lead_correlations(weekly: pd.DataFrame, max_lag: int = MAX_LAG_WEEKS) -> pd.DataFrame:
    """Per lag of 0 .. `max_lag` weeks: the Pearson correlation r of each week's change in clicks with the change in
    branded search `lag_weeks` later, and the number of such pairs (weeks). r is NaN with fewer than 3 pairs or
    when either side never changes."""
    clicks = _changes(weekly, "clicks")
    search = _changes(weekly, "branded_search_volume")
    rows = []
    for lag in range(max_lag + 1):
        pairs = pd.DataFrame({"clicks": clicks, "search": search.shift(-lag)}).dropna()
        r = pairs["clicks"].corr(pairs["search"]) if len(pairs) >= 3 else math.nan
        rows.append({"lag_weeks": lag, "r": float(r), "weeks": len(pairs)})
    return pd.DataFrame(rows, columns=["lag_weeks", "r", "weeks"]).astype({"r": "float64", "weeks": "int64"})


def clear_lead(correlations: pd.DataFrame, min_r: float = MIN_R, min_weeks: int = MIN_WEEKS) -> Lead | None:
    """The lag with the highest r among those with `min_weeks` pairs or more, if its r reaches `min_r`; else None.
    Ties go to the shorter lag."""
    enough = correlations[(correlations["weeks"] >= min_weeks) & correlations["r"].notna()]
    if enough.empty:
        return None
    best = enough.sort_values(["r", "lag_weeks"], ascending=[False, True]).iloc[0]
    if not round(float(best["r"]), 6) >= min_r:
        return None
    return Lead(int(best["lag_weeks"]), float(best["r"]), int(best["weeks"]))


def lead_sentence(weekly: pd.DataFrame) -> str:
    """One plain sentence on whether branded search follows creator clicks in these weeks, without claiming cause."""
    correlations = lead_correlations(weekly)
    lead = clear_lead(correlations)
    if lead is None:
        strong = correlations["r"].notna() & (correlations["r"].round(6) >= MIN_R)
        if correlations["weeks"].max() < MIN_WEEKS or (strong & (correlations["weeks"] < MIN_WEEKS)).any():
            return (
                "No clear lead is visible: these weeks are too few to tell whether branded search follows creator "
                f"clicks, which takes at least {MIN_WEEKS} weekly changes of both at the same lag."
            )
        return (
            "No clear lead is visible: weekly changes in branded search do not follow those in creator clicks "
            f"closely (r under {MIN_R:.1f}) at any lag of 0 to {MAX_LAG_WEEKS} weeks."
        )
    when = (
        "in the same week as creator clicks"
        if lead.lag_weeks == 0
        else f"{lead.lag_weeks} week{'s' if lead.lag_weeks > 1 else ''} after creator clicks"
    )
    return (
        f"Branded search tends to move {when}: their weekly changes correlate at r = {lead.r:.2f} over "
        f"{lead.weeks} weekly changes. A correlation, not proof that the clicks cause the searches."
    )


class SearchGap(NamedTuple):
    """Why there is no branded search to show, said two ways: in the app, with the upload or setting that fills it
    (Markdown); in the review a brand is sent, as what the review was not given, since its reader may not be the one
    who loads files."""

    in_app: str
    in_review: str


_SEARCH_REPORT = "Brand Analytics' Search Query Performance report (Brand View, weekly)"


def missing_search_input(con: duckdb.DuckDBPyConnection) -> SearchGap | None:
    """What the branded search chart lacks (`SearchGap`); None when it has both the report and the brand's terms."""
    row = con.execute("select count(*) from search where asin is null").fetchone()
    if not row or not row[0]:
        return SearchGap(
            f"No branded search yet: upload {_SEARCH_REPORT} on the **Data** page.",
            f"No branded search: it comes from {_SEARCH_REPORT}, and none is loaded.",
        )
    if not brand_terms(con):
        return SearchGap(
            "No branded search yet: set the brand's search terms (its name as shoppers type it) on the **Data** page, "
            "so queries with the brand's name can be told apart.",
            "No branded search: the brand's search terms (its name as shoppers type it), which tell its queries "
            "apart, are not set.",
        )
    return None


def search_beside_clicks(
    con: duckdb.DuckDBPyConnection, scope: Scope
) -> tuple[pd.DataFrame, str | None, SearchGap | None]:
    """The weekly frame of `weekly_clicks_and_search`, the sentence of `lead_sentence`, and None; or, when there is
    no branded search to show, an empty frame, None and why (`missing_search_input`, or no report of the scope's
    weeks)."""
    empty = pd.DataFrame(columns=["week", "clicks", "branded_search_volume", "brand_click_share"])
    missing = missing_search_input(con)
    if missing is not None:
        return empty, None, missing
    weekly = weekly_clicks_and_search(con, scope)
    if weekly["branded_search_volume"].isna().all():
        return (
            empty,
            None,
            SearchGap(
                f"No branded search in these weeks: upload {_SEARCH_REPORT} for them on the **Data** page.",
                "No branded search in these weeks: no Search Query Performance report (Brand View, weekly) loaded "
                "covers them.",
            ),
        )
    return weekly, _small_part_sentence(con, scope, weekly) or lead_sentence(weekly), None


def _small_part_sentence(con: duckdb.DuckDBPyConnection, scope: Scope, weekly: pd.DataFrame) -> str | None:
    """For a selection narrowed by creator, product or campaign whose clicks are under MIN_CLICK_SHARE of the brand's
    over the same weeks, why no lead is read; None otherwise."""
    if not (scope.creators or scope.asins or scope.product_lines or scope.campaigns or scope.programs):
        return None
    whole = weekly_clicks_and_search(con, Scope(start=scope.start, end=scope.end))["clicks"].sum()
    share = float(weekly["clicks"].sum()) / float(whole) if whole else 0.0
    if share >= MIN_CLICK_SHARE:
        return None
    return (
        f"The selection's clicks are {share:.1%} of the brand's in these weeks: too small a part of what brings "
        "shoppers to search for the brand to read a lead from. The whole brand's clicks would show one."
    )
