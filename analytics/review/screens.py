"""The weekly-review screens' derived tables: trend ranges, creator and product tables, line concentration.

Pure functions over the engine's DataFrames (`grouped_metrics`, `product_payouts`), so the pages only lay out
what these return. Shares here are ratios of the engine's sums, never averages of rates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeGuard

import pandas as pd

from analytics.amounts import amount
from analytics.contract.kinds import UNASSIGNED_PRODUCT_LINE, program_label
from analytics.metrics.commission_change import without_float_noise
from analytics.metrics.grouped import BASELINE_METRICS, Scope
from analytics.metrics.health import LAPSE_WEEKS
from analytics.metrics.periods import is_whole_month, last_complete_week_end, settling_start, week_start
from analytics.metrics.rates import STALE_RATE_DAYS
from analytics.review import customer_value
from analytics.review.insights import HERO_MIN_SHARE, LAUNCH_WINDOW_DAYS
from analytics.words import apportioned, day_words, in_words, range_words, signed

TREND_WEEKS = 13
# Columns of `product_payouts` that describe an ASIN rather than measure it.
CATALOG_COLUMNS = (
    "title",
    "price",
    "standard_rate",
    "bonus_rate",
    "creator_payout_per_sale",
    "launch_date",
)
# Sums that are 0, not missing, for an ASIN that sold nothing through creators in the scope.
SUM_COLUMNS = ("clicks", "orders", "units", "revenue", "commission")


def trend_range(
    start: date, end: date, weeks: int = TREND_WEEKS, data_from: date | None = None
) -> tuple[date, date] | None:
    """Whole Sunday–Saturday weeks for the weekly trend: at least `weeks` of them, more when the period is longer.

    The trend ends with the last whole week on or before the period's end (a week still in progress would show
    as a false drop) and starts on the Sunday of the period's start or `weeks` weeks back, whichever is earlier,
    but not before the first whole week of data when `data_from`, the first day of performance data, is given: weeks
    before any data would draw as weeks of nothing sold, and the week it starts in, when that is not a Sunday, as a
    week of a few days' sales, a ramp-up that never was. None when not even one whole week ends by `end`.
    """
    last = last_complete_week_end(end)
    first = week_start(last) - timedelta(weeks=weeks - 1)
    first = min(first, week_start(start))
    if data_from is not None:
        first_whole = week_start(data_from) + timedelta(weeks=0 if week_start(data_from) == data_from else 1)
        first = max(first, first_whole)
    if last < first:
        return None
    return first, last


def trend_cut_sentence(trend: tuple[date, date], end: date, as_of: date) -> str:
    """What the weekly trend ending `trend[1]` leaves out of a period ending `end`, with data to `as_of`: the week
    in progress, or, for a period ending inside a week the data completes (a calendar month), the period's last days,
    which no whole week of it holds. Empty when the trend reaches the period's last day with data."""
    last = min(end, as_of)
    if trend[1] >= last:
        return ""
    if trend[1] + timedelta(days=7) > as_of:
        return f" The week in progress after {trend[1]:%b %-d} is left out until it is complete."
    return (
        f" The period's last days, {range_words(trend[1] + timedelta(days=1), last)}, fall in a week running past its "
        "end, so no bar holds them; the period's totals count them."
    )


def settling_overlap(as_of: date, start: date, end: date) -> tuple[date, date] | None:
    """The days of [start, end] that fall in the most recent 14 days Amazon may still restate, or None."""
    first = max(start, settling_start(as_of))
    last = min(end, as_of)
    return (first, last) if first <= last else None


def launch_window(as_of: date, days: int = LAUNCH_WINDOW_DAYS) -> tuple[date, date]:
    """The launch window the insights use: the `days` days ending as_of, both ends included."""
    return as_of - timedelta(days=days - 1), as_of


def creator_table(by_creator: pd.DataFrame, outreach: list[str]) -> pd.DataFrame:
    """One row per creator, highest revenue first, with `outreach_target` marking the given creators.

    The baseline columns are left out: creators do not partition unattributed orders, so every creator's
    baseline is the whole scope's (its `totals`).
    """
    targets = set(outreach)
    table = by_creator.drop(columns=[c for c in BASELINE_METRICS if c in by_creator])
    table.insert(1, "outreach_target", table["creator"].isin(targets))
    return table.sort_values(["revenue", "creator"], ascending=[False, True], ignore_index=True)


def asin_table(
    by_asin: pd.DataFrame,
    catalog: pd.DataFrame,
    as_of: date,
    product_lines: tuple[str, ...] = (),
    include_unsold: bool = True,
    launches_first: bool = True,
    asins: tuple[str, ...] = (),
    in_sales_files: Sequence[str] = (),
    titles: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per ASIN: the scope's metrics beside catalog price, rates, payout and launch flag, by revenue (launches first).

    `by_asin` is `grouped_metrics(..., ("asin", "product_line"))`, `catalog` is `product_payouts`. With
    `include_unsold`, catalog ASINs (in `product_lines` and `asins`, when given) without creator sales in the scope are
    kept with zero sums, zero revenue share and no rates: a launch nobody sells is what the page must show.
    `is_launch` is true for a launch_date in the insights' launch window ending as_of;
    `standard_rate_missing` marks payouts that count the bonus alone; `in_catalog` is false for ASINs sold through
    creators but absent from the products file. With `include_unsold`, the ASINs of `in_sales_files` (a Business
    Report's) that neither creators nor the catalog name are kept too, in Unassigned: their sales are in the line's
    total beside, so the ASIN rows account for it. An ASIN the catalog does not list takes its title from `titles`
    (`metrics.titles.asin_titles`: a Business Report's or a rank tracker's), when given.
    """
    described = catalog[["asin", "product_line", *CATALOG_COLUMNS]].assign(in_catalog=True)
    how = "outer" if include_unsold else "left"
    table = by_asin.merge(described, on="asin", how=how, suffixes=("", "_catalog"))
    if include_unsold:
        known = set(table["asin"])
        others = sorted({str(a) for a in in_sales_files if pd.notna(a)} - known)
        if others:
            listed = pd.DataFrame({"asin": others, "product_line": UNASSIGNED_PRODUCT_LINE})
            table = pd.concat([table, listed], ignore_index=True)
    table["in_catalog"] = table["in_catalog"].astype("boolean").fillna(False).astype(bool)
    if titles is not None:
        table["title"] = table["title"].fillna(table["asin"].map(titles.set_index("asin")["title"]))
    table["product_line"] = table["product_line"].fillna(table.pop("product_line_catalog"))
    if product_lines:
        table = table[table["product_line"].isin(product_lines)]
    if asins:
        table = table[table["asin"].isin(asins)]
    unsold = table["revenue"].isna()
    for name in SUM_COLUMNS:
        table[name] = table[name].fillna(0)
    scope_revenue = table["revenue"].sum()
    if scope_revenue:
        table.loc[unsold, "revenue_share"] = 0.0
    window_start, window_end = launch_window(as_of)
    launched = pd.to_datetime(table["launch_date"])
    table["is_launch"] = launched.between(pd.Timestamp(window_start), pd.Timestamp(window_end)).fillna(False)
    table["standard_rate_missing"] = table["standard_rate"].isna() & table["creator_payout_per_sale"].notna()
    table = table.drop(columns=[c for c in BASELINE_METRICS if c in table])
    front = ["asin", "title", "product_line", "is_launch", "launch_date"]
    table = table[front + [c for c in table.columns if c not in front]]
    # Launches first: a hero SKU's revenue would otherwise push a launch nobody sells to the bottom.
    order = ["is_launch", "revenue", "asin"] if launches_first else ["revenue", "asin"]
    ascending = [False, False, True] if launches_first else [False, True]
    return table.sort_values(order, ascending=ascending, ignore_index=True)


def asin_shares_within_line(asins: pd.DataFrame) -> pd.DataFrame:
    """Each ASIN's share of its product line's revenue and its rank there (1 = the line's top seller).

    Lines without revenue are left out. Sorted by product line, then rank.
    """
    sold = asins[["product_line", "asin", "title", "revenue"]]
    sold = sold[sold["revenue"] > 0].copy()
    line_revenue = sold.groupby("product_line")["revenue"].transform("sum")
    sold["line_share"] = sold["revenue"] / line_revenue
    sold = sold.sort_values(["product_line", "revenue", "asin"], ascending=[True, False, True])
    sold["line_rank"] = sold.groupby("product_line").cumcount() + 1
    return sold.reset_index(drop=True)


LINE_SEGMENTS = 8


def fold_line_tail(shares: pd.DataFrame, keep: int = LINE_SEGMENTS) -> pd.DataFrame:
    """`asin_shares_within_line` with each line's ASINs after its `keep` best sellers summed into one row.

    The summed row's asin reads "N more ASINs", its title "together" and its rank is keep + 1, so a chart of
    hundreds of ASINs per line draws at most keep + 1 segments a line.
    """
    head = shares[shares["line_rank"] <= keep]
    tail = shares[shares["line_rank"] > keep]
    if tail.empty:
        return shares
    folded = tail.groupby("product_line", as_index=False).agg(
        revenue=("revenue", "sum"), line_share=("line_share", "sum"), asins=("asin", "count")
    )
    folded["asin"] = folded["asins"].map(lambda n: f"{n:,} more ASIN{'' if n == 1 else 's'}")
    folded["title"] = "together"
    folded["line_rank"] = keep + 1
    folded = folded[list(shares.columns)]
    combined = pd.concat([head, folded], ignore_index=True)
    return combined.sort_values(["product_line", "line_rank"], ignore_index=True)


def line_table(by_line: pd.DataFrame, asins: pd.DataFrame, hero_share: float = HERO_MIN_SHARE) -> pd.DataFrame:
    """Per product line: its metrics, median creator payout per sale, launches, and whether one ASIN carries it.

    `by_line` is `grouped_metrics(..., ("product_line",))`, `asins` is `asin_table` over the same scope.
    `top_asin_share` is the line's best-selling ASIN's revenue over the line's revenue; `carried_by_one` is
    true when it is over `hero_share` (the insights' 60 %) in a line of two or more ASINs — a line of one
    product, or the ASINs missing from the catalog ("Unassigned"), has nothing to spread traffic to.
    """
    shares = asin_shares_within_line(asins)
    top = shares[shares["line_rank"] == 1][["product_line", "asin", "line_share"]]
    top = top.rename(columns={"asin": "top_asin", "line_share": "top_asin_share"})
    catalog_figures = asins.groupby("product_line").agg(
        creator_payout_per_sale=("creator_payout_per_sale", "median"),
        asins_selling=("revenue", lambda revenue: int((revenue > 0).sum())),
        asins_listed=("asin", "count"),
        launches=("is_launch", "sum"),
    )
    table = by_line.drop(columns=[c for c in BASELINE_METRICS if c in by_line])
    table = table.merge(catalog_figures.reset_index(), on="product_line", how="left")
    table = table.merge(top, on="product_line", how="left")
    spreadable = (table["asins_listed"] > 1) & (table["product_line"] != UNASSIGNED_PRODUCT_LINE)
    table["carried_by_one"] = ((table["top_asin_share"] > hero_share) & spreadable).fillna(False).astype(bool)
    table = table.drop(columns="asins_listed")
    table["launches"] = table["launches"].fillna(0).astype("int64")
    table["asins_selling"] = table["asins_selling"].fillna(0).astype("int64")
    return table.sort_values(["revenue", "product_line"], ascending=[False, True], ignore_index=True)


CUSTOMER_METRICS = ("ntb_pct", "sns_rate", "repeat_rate")


@dataclass(frozen=True)
class CutShort:
    """A comparison period the data starts inside of: how many of its days hold data, and whether a change against it
    still says something (half its days or more)."""

    first_day: date
    before_start: date
    before_end: date
    # What starts on `first_day`, as a sentence opens with it (`grouped.selection_start`).
    subject: str = "The data"

    @property
    def covered(self) -> int:
        return (self.before_end - self.first_day).days + 1

    @property
    def days(self) -> int:
        return (self.before_end - self.before_start).days + 1

    @property
    def shows_change(self) -> bool:
        return self.covered * 2 >= self.days

    @property
    def change_uncoloured(self) -> bool:
        """A change shown against under three quarters of the period's days: grey and labelled with the days, not
        good or bad (a first export's partial week reads as a leap). A day or two short is coloured as usual."""
        return self.shows_change and self.covered * 4 < self.days * 3

    def sentence(self) -> str:
        compared = range_words(self.before_start, self.before_end)
        held = f"{self.subject} starts {self.first_day:%b %-d, %Y}, inside the period compared with ({compared}): "
        if self.shows_change:
            return held + f"the changes are against the {self.covered} of its {self.days} days that hold data."
        return held + f"only {self.covered} of its {self.days} days hold data, so there is no change to show."


def comparison_cut_short(start: tuple[date, str] | None, before_start: date, before_end: date) -> CutShort | None:
    """How the data falls short of the comparison period when it starts inside it, or None when it covers it whole
    (or not at all: then the period is empty, which the pages say their own way).

    A change against a period whose first days predate the data compares a whole period with a part of one: a year
    to date against 318 days of which 11 hold data reads +16,000 %. Under half the days, the pages show no change;
    otherwise they show it and say how many days it is against (a first export can start a day or two into a week).
    `start` is the selection's first day and what starts then (`grouped.selection_start`): the data's, its
    programs', or the campaigns' chosen. A creator whose rows start later is not caught, and a change against their
    first weeks reads as growth. Days without rows after the first may be quiet days as well as days a download left
    out: they do not withhold the change (`compared_missing_sentence` names them).
    """
    if start is None or not before_start < start[0] <= before_end:
        return None
    return CutShort(start[0], before_start, before_end, start[1])


# Runs of missing days named one by one before the rest are counted: "Oct 2, Oct 5 – Oct 6, 2026 and 3 more".
SHOWN_RUNS = 3


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs, oldest first."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _days_named(days: list[date]) -> str:
    runs = _runs(days)
    named = [f"{first:%b %-d, %Y}" if first == last else range_words(first, last) for first, last in runs]
    more = f" and {len(runs) - SHOWN_RUNS} more" if len(runs) > SHOWN_RUNS else ""
    return ", ".join(named[:SHOWN_RUNS]) + more


def _performance_rows(programs: tuple[str, ...]) -> str:
    """What is missing: performance rows, of the programs the days were looked for in when narrowed to some."""
    return "performance rows" + (f" of {' or '.join(map(program_label, programs))}" if programs else "")


def missing_days_sentence(
    missing: list[date], start: date, end: date, programs: tuple[str, ...] = (), data_from: date | None = None
) -> str | None:
    """The period's days without any performance row of the `programs` (all when empty;
    `metrics.grouped.days_without_data`): days before the data starts (on `data_from`, when given: said apart, as no
    download left them out), days a download left out, or, for a small program, days nobody clicked. None when there
    are none."""
    if not missing:
        return None
    days = (end - start).days + 1
    before = [day for day in missing if data_from is not None and day < data_from]
    inside = missing[len(before) :]
    sentences = []
    if before and data_from is not None:
        sentences.append(
            f"The data starts on {day_words(data_from)}: {len(before)} of the period's {days} days come before it."
        )
    if inside:
        share = "any day of the period" if len(inside) == days else f"{len(inside)} of the period's {days} days"
        sentences.append(
            f"No {_performance_rows(programs)} for {share} ({_days_named(inside)}): if they had clicks or sales the "
            "downloads left out, the figures read low."
        )
    return " ".join(sentences)


def compared_missing_sentence(
    missing: list[date], before_start: date, before_end: date, programs: tuple[str, ...] = ()
) -> str | None:
    """The same of the period compared with, when the data does not start inside it (then its `CutShort` says how
    much of it the changes are against)."""
    if not missing:
        return None
    days = (before_end - before_start).days + 1
    return (
        f"The period compared with has no {_performance_rows(programs)} for {len(missing)} of its {days} days "
        f"({_days_named(missing)}): the changes are against the days that have them."
    )


def sales_days_note(covered: tuple[date, date] | None, period: tuple[date, date], left_out: int) -> str:
    """The Products page's word on the days its sales columns are over ("" when they are the period's own): weekly
    Business Reports inside a month cover fewer of its days than the attributed revenue beside them, and the
    creators' share of sales is over those days (`sales.period_days`); `left_out` rows straddle the period's edges."""
    said = []
    if covered is not None and covered != period:
        said.append(
            # The days covered named apart from the dates chosen: "inside the selected dates, Jan 4 – Jan 31" read as
            # the dates chosen being those.
            f"Total revenue and Creator share of sales come from the sales periods wholly inside the selected dates "
            f"({range_words(*period)}), which cover {range_words(*covered)}: the share sets the creators' revenue on "
            "those days against total revenue, so it is not the attributed revenue of every selected day divided by it."
        )
    if left_out:
        said.append(
            f"{left_out:,} sales row{'s cover' if left_out > 1 else ' covers'} days outside the selected dates and "
            f"{'are' if left_out > 1 else 'is'} left out: choose dates that hold their whole period to count "
            f"{'them' if left_out > 1 else 'it'}."
        )
    return " ".join(said)


def share_over_whole_note(asins: pd.DataFrame) -> str:
    """The Products page's warning when an ASIN's creators sold more than its sales files' total over the same days
    (a creator share over 100%): most likely a Business Report loaded for the wrong period. "" when none did."""
    if "creator_sales_share" not in asins:
        return ""
    over = asins.loc[asins["creator_sales_share"].astype("float64") > 1, "asin"].astype(str).tolist()
    if not over:
        return ""
    named = ", ".join(over[:3]) + (f" and {len(over) - 3:,} more" if len(over) > 3 else "")
    return (
        f"Creator share of sales is over 100% for {named}: creators sold more than the sales file's total over the "
        "same days, which happens when a Business Report is loaded for the wrong period. Check the period of its "
        "load on the **Data** page (undo it and load it again with the right one)."
    )


def is_empty_scope(totals: dict[str, object]) -> bool:
    """True when the scope holds no creator activity at all: no clicks, orders or revenue."""
    return not any(totals.get(name) for name in ("clicks", "orders", "revenue"))


def narrowed_words(scope: Scope) -> list[str]:
    """The filters narrowing `scope` other than its programs, in words ("product line", "ASIN", "creator",
    "campaign"), as `no_previous_sentence` takes them."""
    named = (
        ("product line", scope.product_lines),
        ("ASIN", scope.asins),
        ("creator", scope.creators),
        ("campaign", scope.campaigns),
    )
    return [name for name, values in named if values]


def no_previous_sentence(
    before: tuple[date, date], last_year: bool, days_without_data: int, narrowed: list[str], in_review: bool = False
) -> str:
    """Why the cards show no change when the period compared with holds nothing for the selection: no data for those
    days (upload older reports), or, when the store holds performance rows for every one of them and the sidebar narrows
    the selection (`narrowed`: "ASIN", "creator"…), nothing sold then by what the filters pick, as an ASIN launched
    or a creator who joined since (no upload would change that). The review a brand is sent (`in_review`) says why
    alone: what to choose or upload is the app's to say."""
    compared = "the same period last year" if last_year else "the previous period"
    if narrowed and days_without_data == 0:
        picked = "the selection" if in_review else "what the sidebar's filters pick"
        return (
            f"No sales of the selected {in_words(narrowed)} in {compared} ({range_words(*before)}), so "
            f"{'no change is shown' if in_review else 'the cards show no change'}: the data covers those days, but "
            f"{picked} had no clicks, orders or revenue then (launched or joined since)."
        )
    if in_review:
        return f"No data for {compared} ({range_words(*before)}), so there is no change to show."
    if last_year:
        return (
            f"No data for the same period last year ({range_words(*before)}), so the cards show no change. Choose "
            "**Previous period** under **Compare with** in the sidebar, or upload last year's performance reports "
            "on the **Data** page."
        )
    return (
        f"No data for the previous period ({range_words(*before)}), so there is no change to show; upload older "
        "performance reports on the **Data** page to compare."
    )


def unavailable_customer_metrics(totals: dict[str, object]) -> list[str]:
    """The customer metrics the uploads cannot fill for this scope (null, as opposed to a real 0). A repeat rate
    whose buyers are all still within R days is not one of them: its order lines are there, only too recent."""
    return [
        name
        for name in CUSTOMER_METRICS
        if totals.get(name) is None and not (name == "repeat_rate" and customer_value.all_pending(totals))
    ]


# A card's trend is drawn from its lowest point to its highest, whatever they are: over two or three weeks, revenue
# of $9.1k, $8.4k and $9.1k draws a deep V, a slump the weekly chart below does not show.
SPARKLINE_WEEKS = 4


def sparkline(weekly: pd.DataFrame | None, metric: str) -> list[float]:
    """A metric's weekly values, oldest first, without the weeks where it is not available; none when fewer than
    SPARKLINE_WEEKS weeks have one (a brand's first weeks, the repeat rate of weeks whose buyers are still pending)."""
    if weekly is None or metric not in weekly:
        return []
    values = weekly[metric].dropna().astype("float64").tolist()
    return values if len(values) >= SPARKLINE_WEEKS else []


SCATTER_CREATORS = 300
# Under this many clicks one order more or less moves a conversion rate by a point or more: 2 orders of 2 clicks
# read 100 %. Such a rate is a sign, not a measure, as a customer rate on under 30 orders is
# (`customer_value.FEW_ORDERS`), and the creators' scatter fades it.
FEW_CLICKS = 100


def few_clicks_sentence(table: pd.DataFrame) -> str | None:
    """What the scatter's faded markers are, when `table` (a creator table) has creators with clicks under
    FEW_CLICKS and a conversion rate; None when every rate rests on enough clicks."""
    few = int(((table["clicks"] < FEW_CLICKS) & table["conversion_rate"].notna()).sum())
    if not few:
        return None
    which = "The faded marker is the one creator" if few == 1 else f"Faded markers are the {few:,} creators"
    return (
        f"{which} with fewer than {FEW_CLICKS} clicks, where one order more or less moves the conversion rate by a "
        f"point or more: read {'its' if few == 1 else 'their'} height as a sign, not a measure."
    )


def scatter_creators(table: pd.DataFrame, limit: int = SCATTER_CREATORS) -> pd.DataFrame:
    """The rows of `creator_table` a scatter can show legibly: the `limit` highest revenues, plus every outreach
    target below them, in the table's order. Thousands of markers overprint into one blot and take seconds to
    draw; the table keeps every creator."""
    if len(table) <= limit:
        return table
    shown = pd.Series(False, index=table.index)
    shown.iloc[:limit] = True
    return table[shown | table["outreach_target"].astype(bool)]


def creator_options(table: pd.DataFrame, known: list[str]) -> list[str]:
    """Creators to pick from: those with activity in the scope by revenue, then the rest of `known` by name."""
    active = table["creator"].tolist()
    seen = set(active)
    return active + sorted(c for c in known if c not in seen)


def table_row(table: pd.DataFrame, column: str, value: str) -> dict[str, object] | None:
    """The row of `table` whose `column` equals `value`, as a dict with nulls as None; None when absent."""
    rows = table[table[column] == value]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {name: (None if pd.isna(row[name]) else row[name]) for name in table.columns}


def launches(asins: pd.DataFrame) -> pd.DataFrame:
    """The launch ASINs of an `asin_table`, lowest revenue first: a launch nobody sells comes first."""
    rows = asins[asins["is_launch"]]
    return rows.sort_values(["revenue", "asin"], ascending=[True, True], ignore_index=True)


def carried_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """The product lines of a `line_table` that one ASIN carries, most concentrated first."""
    rows = lines[lines["carried_by_one"]]
    return rows.sort_values(["top_asin_share", "product_line"], ascending=[False, True], ignore_index=True)


def payout_gaps(asins: pd.DataFrame) -> dict[str, list[str]]:
    """ASINs whose creator payout per sale is partial or missing, by reason, for the note under the table.

    `standard_rate_missing`: the payout counts the bonus alone; `no_price`, `no_bonus_rate`, `no_price_or_rate`:
    in the catalog without a payout, for want of its price, its bonus rate or both (a listings report gives prices
    alone); `not_in_catalog`: sold through creators but absent from the products file.
    """
    in_catalog = asins["in_catalog"]
    unpaid = in_catalog & asins["creator_payout_per_sale"].isna()
    priced, rated = asins["price"].notna(), asins["bonus_rate"].notna()
    return {
        "standard_rate_missing": asins.loc[asins["standard_rate_missing"], "asin"].tolist(),
        "no_price": asins.loc[unpaid & ~priced & rated, "asin"].tolist(),
        "no_bonus_rate": asins.loc[unpaid & priced & ~rated, "asin"].tolist(),
        "no_price_or_rate": asins.loc[unpaid & ~priced & ~rated, "asin"].tolist(),
        "not_in_catalog": asins.loc[~in_catalog, "asin"].tolist(),
    }


# What the catalog lacks for each reason `payout_gaps` gives an ASIN no payout.
PAYOUT_LACKS = {"no_price": "price", "no_bonus_rate": "bonus rate", "no_price_or_rate": "price and bonus rate"}


def asin_name(asin: str, title: object) -> str:
    """ "B0… (title)" where the catalog has a title, else the ASIN alone."""
    return f"{asin} ({title})" if isinstance(title, str) and title else asin


def period_words(start: date, end: date) -> str:
    """A period's length as people say it: "the week", "the 4 weeks", "the month", "the 90 days"."""
    if is_whole_month(start, end):
        return "the month"
    days = (end - start).days + 1
    if days == 7:
        return "the week"
    if days % 7 == 0:
        return f"the {days // 7} weeks"
    return "the day" if days == 1 else f"the {days} days"


# Under the branded-search chart, on the Overview and in the review: what its lower plot shows.
CLICK_SHARE_NOTE = (
    "Below, the brand's share of the clicks on the other queries: shoppers who find it without searching for its name."
)


def review_title(start: date, end: date) -> str:
    """The Overview's heading for the period it shows: "Monthly review" for a calendar month (a month's close),
    "Weekly review" for whole Sunday-to-Saturday weeks, else "Review" (90 days, a year to date, a custom range)."""
    if is_whole_month(start, end):
        return "Monthly review"
    if start == week_start(start) and ((end - start).days + 1) % 7 == 0:
        return "Weekly review"
    return "Review"


def findings_heading(start: date, end: date) -> str:
    """The findings' heading under the review of `start`..`end`: "this week" only in a weekly review. The checks look
    back from the data's last day whatever the period, so a month's reader is not told they are the week's."""
    return "What to look at this week" if review_title(start, end) == "Weekly review" else "What to look at"


def headline_sum(weekly: pd.DataFrame) -> str:
    """The sum a weekly chart should show as bars: revenue, or clicks when there was no revenue to show."""
    return "revenue" if weekly["revenue"].fillna(0).gt(0).any() else "clicks"


# The metrics creators can be compared on, week by week, on the Creators page.
COMPARE_METRICS = ("revenue", "orders", "clicks", "commission", "conversion_rate", "commission_share")


def weeks_of_each(weekly: pd.DataFrame, column: str, values: list[str], days: tuple[date, date]) -> pd.DataFrame:
    """`weekly` (grouped by week and `column`) with a row for every week of `days` and every one of `values`, in
    that order: a week without activity has zero sums and no rates, so a line drops to zero where a creator sold
    nothing and breaks where a rate has no clicks behind it."""
    weeks = pd.date_range(week_start(days[0]), week_start(days[1]), freq="7D").date
    grid = pd.MultiIndex.from_product([values, weeks], names=[column, "week"]).to_frame(index=False)
    found = weekly.assign(week=pd.to_datetime(weekly["week"]).dt.date)
    filled = grid.merge(found, on=[column, "week"], how="left")
    for name in SUM_COLUMNS:
        if name in filled:
            filled[name] = filled[name].fillna(0)
    return filled


def rate_table(
    in_force: pd.DataFrame,
    history: pd.DataFrame,
    catalog: pd.DataFrame,
    product_lines: tuple[str, ...] = (),
    stale_days: int = STALE_RATE_DAYS,
) -> pd.DataFrame:
    """Per catalog ASIN with dated rates (in `product_lines`, when given): title, line, the rates in force
    (`in_force` is `rates_in_force` on the period's last day), `bonus_since` and `bonus_unchanged_days`,
    `bonus_stale` (unchanged `stale_days` days or more) and `rate_changes` (changes after its first rate, from
    `rate_history`). Longest-unchanged bonus first; unknown durations last."""
    changes = history.groupby("asin").size().sub(1).clip(lower=0).rename("rate_changes").reset_index()
    described = catalog[["asin", "title", "product_line"]]
    table = described.merge(in_force, on="asin").merge(changes, on="asin", how="left")
    if product_lines:
        table = table[table["product_line"].isin(product_lines)]
    table["rate_changes"] = table["rate_changes"].fillna(0).astype(int)
    table["bonus_stale"] = (table["bonus_unchanged_days"] >= stale_days).fillna(False).astype(bool)
    table = table.sort_values(["bonus_unchanged_days", "asin"], ascending=[False, True], na_position="last")
    return table.reset_index(drop=True)


def asin_rate_history(history: pd.DataFrame, asin: str) -> pd.DataFrame:
    """One ASIN's rate changes, oldest first: the day each took effect and its standard and bonus rates."""
    rows = history[history["asin"] == asin]
    return rows[["effective_date", "standard_rate", "bonus_rate"]].reset_index(drop=True)


def narrowed_to(scope: Scope, picked: str, product_lines: set[str]) -> Scope:
    """`scope` narrowed to one product line or one ASIN (`picked`; empty = as it is), for a chart of one choice."""
    if not picked:
        return scope
    if picked in product_lines:
        return replace(scope, product_lines=(picked,))
    return replace(scope, asins=(picked,))


# A tenth of a percentage point as a fraction: the precision the cards write a share's change to.
TENTH_OF_A_POINT = 0.001
HUNDREDTH_OF_A_POINT = 0.0001


EFFECTS = ("rate_effect", "mix_effect", "entry_exit_effect")


def _change_and_parts(row: pd.Series, unit: float = TENTH_OF_A_POINT) -> tuple[float, list[float]] | None:
    """A commission-change row's change of share as a card writes it (`formatting.format_delta`: to a tenth of a
    point), or to `unit`, and its three effects rounded together so that they add up to it; None without a split
    (no revenue in one of the periods)."""
    if pd.isna(row["share_before"]) or pd.isna(row["share_after"]) or pd.isna(row["rate_effect"]):
        return None
    moved = float(row["share_after"]) - float(row["share_before"])
    change = float(f"{moved * 100:.1f}") / 100 if unit == TENTH_OF_A_POINT else round(moved / unit) * unit
    return apportioned(change, [float(row[effect]) for effect in EFFECTS], unit)


def _moves_a_part(shown: Sequence[float], exact: Sequence[float]) -> bool:
    """Whether rounding parts together to tenths (`apportioned`) moved one by more than half a tenth: +0.04 written
    +0.1 beside +0.83 written +0.8, under a change of +0.9. Then the parts are written in hundredths, where it
    cannot."""
    return any(abs(s - e) > TENTH_OF_A_POINT / 2 + 1e-12 for s, e in zip(shown, exact, strict=True))


def with_share_change(changes: pd.DataFrame) -> pd.DataFrame:
    """`commission_change` rows with `share_change` (share_after − share_before, exact) after `share_after`: the
    rows a download writes, whole."""
    exact = changes.copy()
    change = without_float_noise(exact["share_after"] - exact["share_before"])
    exact.insert(int(exact.columns.get_loc("share_after")) + 1, "share_change", change)
    return exact


def effects_that_add_up(changes: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`with_share_change` rows as a table shows them, and the decimals of a point they are written to: the change
    to a tenth of a point, and the three effects rounded together so that each row's add up to its change as shown
    (exact, they add up anyway; rounded one by one, +0.0, -2.8 and +3.2 would sit beside a change of +0.3). In
    hundredths when tenths would move a part by more than half a tenth (`_moves_a_part`). For the screen only: a
    download keeps every digit."""

    def rounded_to(unit: float) -> tuple[pd.DataFrame, bool]:
        shown = with_share_change(changes)
        shown["share_change"] = float("nan")
        moved = False
        for index, row in changes.iterrows():
            split = _change_and_parts(row, unit)
            if split is not None:
                shown.loc[index, ["share_change", *EFFECTS]] = [split[0], *split[1]]
                moved = moved or _moves_a_part(split[1], [float(row[effect]) for effect in EFFECTS])
        return shown, moved

    shown, moved = rounded_to(TENTH_OF_A_POINT)
    return (rounded_to(HUNDREDTH_OF_A_POINT)[0], 2) if moved else (shown, 1)


def _negative(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not pd.isna(value) and value < 0


def _hundredths_of_points(value: float) -> str:
    """A fraction as points to two decimals, "+0.04 pts", "0.00 pts": finer than the registry's points format, for a
    split that tenths would misstate (`commission_moved_sentence`)."""
    return signed(f"{value * 100:.2f}") + " pts"


def commission_moved_sentence(
    moved: pd.DataFrame,
    show: Callable[[str, object], str],
    revenues: tuple[object, object] = (None, None),
    campaigns: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> str | None:
    """Why the whole selection's commission share moved (`commission_change` with no dimensions: one row), split as
    the Products page splits it by product line, each effect written by `show(metric, value)` (the pages'
    formatter: points of commission share). None when it has no split (no revenue in one of the periods) or moved
    by less than a tenth of a point, the cards' precision. `revenues`: the net revenue of the period compared and of
    the period shown; where returns outweigh sales in one, the sentence says why the share is no rate instead.
    `campaigns`: the commission by campaign in each period, whose campaigns paying in one of them only are named
    after the split (`campaigns_in_one_period`).

    The parts are rounded together so that they add up to the change as written. In tenths that can move a small
    part by most of a tenth (+0.04 written +0.1 beside +0.83 written +0.8, under a change of +0.9): when it would
    move any part by more than half a tenth, the sentence is written in hundredths, where it cannot."""
    if moved.empty:
        return None
    periods = ("the period compared", "this period")
    netted = [(when, r) for when, r in zip(periods, revenues, strict=True) if _negative(r)]
    if netted:
        when, revenue = netted[-1]
        return (
            f"Returns outweighed sales in {when} (net revenue {amount(revenue)}): commission over a negative revenue "
            "is no rate, so the commission share and its change are left unsplit."
        )
    row = moved.iloc[0]
    split = _change_and_parts(row)
    if split is None or not split[0]:
        return None
    if not _moves_a_part(split[1], [float(row[effect]) for effect in EFFECTS]):
        change, parts = split
        written = [
            show(metric, value) for metric, value in zip(("rate_effect", *EFFECTS), (change, *parts), strict=True)
        ]
    else:
        change, parts = _change_and_parts(row, HUNDREDTH_OF_A_POINT) or split
        written = [_hundredths_of_points(value) for value in (change, *parts)]
    said = (
        f"Commission share moved {written[0]}: {written[1]} from each ASIN's commission as a share of its sales "
        f"(its rates, and the campaigns and creators its sales came through), {written[2]} from sales moving between "
        f"higher- and lower-rate ASINs, {written[3]} from ASINs selling in only one of the two periods."
    )
    one_period = campaigns_in_one_period(*campaigns) if campaigns is not None else None
    return f"{said} {one_period}" if one_period else said


def campaign_warnings(pacing: pd.DataFrame) -> pd.DataFrame:
    """The campaign warnings of `campaign_pacing` (a budget running out, a campaign ending) as rows of the findings'
    table (`insights.findings_frame`): what the page draws above the findings, for their table and its download."""
    warned = pacing.dropna(subset=["warning"]) if not pacing.empty else pacing
    return pd.DataFrame(
        {
            "severity": ["Campaign"] * len(warned),
            "finding": warned["warning"].tolist() if len(warned) else [],
            "action": ["The Campaigns page shows its budget, pace and dates."] * len(warned),
            "subject": warned["campaign"].tolist() if len(warned) else [],
        },
        columns=["severity", "finding", "action", "subject"],
    )


# The most campaigns `campaigns_in_one_period` names each way.
_CAMPAIGNS_NAMED = 3


def campaigns_in_one_period(before: pd.DataFrame, after: pd.DataFrame) -> str | None:
    """The campaigns that booked commission in only one of two periods (`before`, `after`: columns program, campaign
    and commission, as `grouped_metrics` by program and campaign gives them), largest first, as a sentence; None when
    none did. A campaign's bonus ending moves the ASINs' commission per dollar of sales with no rate changed in the
    catalog: this names what the rate effect alone cannot. A campaign is its program's (one name may run in two);
    one whose commission nets to zero in a period booked none there, and a clawback is commission booked."""
    several = len(set(before["program"]) | set(after["program"])) > 1

    def booked(frame: pd.DataFrame) -> pd.Series:
        # Commission the reports give no campaign is named too: it moves the share as a campaign's does.
        named = frame.assign(campaign=frame["campaign"].fillna(NO_CAMPAIGN))
        sums = named.groupby(["program", "campaign"])["commission"].sum().round(2)
        return sums[sums != 0]

    was, now = booked(before), booked(after)
    ended = was[~was.index.isin(now.index)].sort_values(ascending=False)
    started = now[~now.index.isin(was.index)].sort_values(ascending=False)

    def listed(campaigns: pd.Series) -> str:
        named = [
            f"{campaign}{f' ({program_label(program)})' if several else ''} ({amount(float(paid))})"
            for (program, campaign), paid in campaigns.head(_CAMPAIGNS_NAMED).items()
        ]
        rest = len(campaigns) - len(named)
        return in_words(named + ([f"{rest:,} more"] if rest else []))

    # Led by the period, not a name: a campaign's name is written as it is, never capitalised.
    parts = []
    if len(ended):
        parts.append(f"commission in the period compared and none in this one: {listed(ended)}")
    if len(started):
        parts.append(f"commission in this period and none in the one compared: {listed(started)}")
    return f"Campaigns with {'; with '.join(parts)}." if parts else None


def line_asin_effects(effects: pd.DataFrame, line: str, titles: pd.DataFrame) -> pd.DataFrame:
    """One product line's ASINs' parts in its change of commission share (`commission_change.asin_effects` by
    product line), with their titles (`titles`: asin, title), the largest part first: columns asin, title,
    rate_before, rate_after (each ASIN's commission over its revenue), weight_before, weight_after (its share of the
    line's revenue) and the three effects, which add up over the ASINs to the line's change."""
    rows = effects[effects["product_line"] == line].rename(
        columns={"rate0": "rate_before", "rate1": "rate_after", "w0": "weight_before", "w1": "weight_after"}
    )
    parts = rows[["rate_effect", "mix_effect", "entry_exit_effect"]].sum(axis=1)
    rows = rows.assign(order=-parts.abs()).sort_values(["order", "asin"], kind="stable")
    named = rows.merge(titles[["asin", "title"]].drop_duplicates("asin"), on="asin", how="left")
    columns = ["asin", "title", "rate_before", "rate_after", "weight_before", "weight_after"]
    return named[[*columns, "rate_effect", "mix_effect", "entry_exit_effect"]].reset_index(drop=True)


def asin_effects_that_add_up(parts: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`line_asin_effects` as a table shows them, and the decimals of a point they are written to: each effect's
    ASIN parts rounded to tenths of a point so that they add up to the line's effect as the review's finding and the
    line's row write it (`_change_and_parts`). Rounded one by one, seven rate parts of +0.7 or so read +5.1 beside a
    line's +5.0. In hundredths when tenths would move a part by more than half a tenth (an ASIN's +0.552 written
    +0.5: `_moves_a_part`). For the screen only."""
    totals = parts[list(EFFECTS)].sum()
    line = pd.Series({"share_before": 0.0, "share_after": float(totals.sum()), **totals.to_dict()})
    if parts.empty or _change_and_parts(line) is None:
        return parts, 1

    def rounded_to(unit: float) -> tuple[pd.DataFrame, bool]:
        split = _change_and_parts(line, unit)
        assert split is not None
        shown = parts.copy()
        moved = _moves_a_part(split[1], list(totals))
        for effect, line_effect in zip(EFFECTS, split[1], strict=True):
            exact = [float(v) for v in parts[effect]]
            shown[effect] = apportioned(line_effect, exact, unit)[1]
            moved = moved or _moves_a_part(list(shown[effect]), exact)
        return shown, moved

    shown, moved = rounded_to(TENTH_OF_A_POINT)
    return (rounded_to(HUNDREDTH_OF_A_POINT)[0], 2) if moved else (shown, 1)


def outside_the_performance_data(weekly: pd.DataFrame, first: date, last: date) -> tuple[pd.DataFrame, list[date]]:
    """`weekly` sales rows (by week) with the creators' share blank in the weeks wholly before the performance
    reports' `first` day or after their `last`, and those weeks. The contract's share of such a week is 0, as no
    creator revenue is stored for it; drawn, a 0 % reads as creators selling nothing rather than as no report."""
    weeks = pd.to_datetime(weekly["week"]).dt.date
    outside = [(week + timedelta(days=6)) < first or week > last for week in weeks]
    blanked = weekly.copy()
    blanked.loc[outside, "creator_sales_share"] = float("nan")
    return blanked, [week for week, out in zip(weeks, outside, strict=True) if out]


def weeks_without_rows(weekly: pd.DataFrame, trend: tuple[date, date]) -> list[date]:
    """The Sundays of the trend's weeks that `weekly` (rows by week) has no row for: no clicks, orders or sales
    reported, or a download not loaded; the weekly charts and figures leave them out rather than draw them as 0."""
    shown = {pd.Timestamp(week).date() for week in weekly["week"]} if not weekly.empty else set()
    weeks = (trend[1] - trend[0]).days // 7 + 1
    return [day for day in (trend[0] + timedelta(weeks=i) for i in range(weeks)) if day not in shown]


def _weeks_sentence(weeks: list[date], opening: str, said: tuple[str, str]) -> str:
    """ " <opening> the week(s) of Sep 20, Oct 4: <said>", `said` for one week and for more; "" for none."""
    if not weeks:
        return ""
    many = len(weeks) > 1
    named = ", ".join(f"{week:%b %-d}" for week in weeks)
    return f" {opening} the week{'s' if many else ''} of {named}: {said[many]}"


def weeks_without_rows_sentence(weeks: list[date]) -> str:
    """The weeks `weeks_without_rows` found, in a sentence for the trend's caption ("" for none)."""
    return _weeks_sentence(
        weeks,
        "No performance rows for",
        (
            "it is left out of the charts and figures, not shown as 0.",
            "they are left out of the charts and figures, not shown as 0.",
        ),
    )


def unreported_weeks_sentence(weeks: list[date]) -> str:
    """The weeks `outside_the_performance_data` left without a creators' share, in a sentence ("" for none)."""
    return _weeks_sentence(
        weeks,
        "No Creator Connections report covers",
        ("it shows all sales alone, with no creators' share.", "they show all sales alone, with no creators' share."),
    )


def weeks_without_sales_sentence(weeks: list[date]) -> str:
    """The weeks of a sales chart no sales file covers (`weeks_without_rows` of its weekly rows), in a sentence for
    its caption ("" for none): a week left out, not a week without sales."""
    return _weeks_sentence(
        weeks,
        "No sales file (Business Report) covers",
        ("it is left out of the chart.", "they are left out of the chart."),
    )


def from_the_data_start(weekly: pd.DataFrame, data_from: date | None) -> pd.DataFrame:
    """Weekly rows from the week of the first day of performance data on: the weeks before hold no report, not
    weeks without activity."""
    if data_from is None or weekly.empty:
        return weekly
    return weekly[pd.to_datetime(weekly["week"]).dt.date >= week_start(data_from)].reset_index(drop=True)


# What a table by reporting week counts, where the period starts or ends inside a week.
WHOLE_WEEKS_NOTE = (
    "Each reporting week (Sunday to Saturday) the period touches, counted whole even where the period starts or ends "
    "inside it"
)


def whole_weeks_covered(weekly: pd.DataFrame) -> tuple[date, date] | None:
    """The days a table of whole weeks (`week`: each Sunday) covers: from its first Sunday to its last Saturday,
    which may lie outside the period. None for no weeks."""
    if weekly.empty:
        return None
    weeks = pd.to_datetime(weekly["week"]).dt.date
    return weeks.min(), weeks.max() + timedelta(days=6)


def health_start_note(weekly: pd.DataFrame, data_from: date | None) -> str | None:
    """What the program health of the data's first weeks cannot know, when `weekly` (from `from_the_data_start`)
    shows them: in the week the data starts, every active creator's first click ever is in that week as far as the
    data goes, so all count as new; and a lapse looks back LAPSE_WEEKS weeks, fewer in the weeks just after. None
    when the table starts later."""
    if data_from is None or weekly.empty:
        return None
    first_week = week_start(data_from)
    shown = pd.to_datetime(weekly["week"]).dt.date
    short = [week for week in shown if week < first_week + timedelta(weeks=LAPSE_WEEKS)]
    if not short:
        return None
    said = f"The data starts {day_words(data_from)}: "
    if shown.iloc[0] == first_week:
        said += (
            f"in its first week, the week of {day_words(first_week)}, every active creator counts as new, since "
            "their clicks before it are not loaded; "
        )
    return said + (
        f"lapses through the week of {day_words(short[-1])} look back over fewer than the {LAPSE_WEEKS} weeks they "
        "count, so they may be fewer than the program's. Upload earlier performance reports to count them whole."
    )


def compared_figure(value: object, fmt: str, cut_short: CutShort | None) -> object:
    """A figure of the period compared with, as a card's change is worked out against it: a sum (money, a count) of
    a period the data covers too little of for its change to be coloured (`CutShort.change_uncoloured`) is scaled to
    the whole period's days, so that the change is one of sales per day (14 of 28 days' $1,000 stands for $2,000:
    against the $1,000 itself, a steady $2,480 read +148 %, not +24 %); a rate, and a figure of a period covered
    whole or nearly (a day short of a week, which may be a quiet day), as it is."""
    per_day = cut_short is not None and cut_short.change_uncoloured and fmt in PER_DAY_FORMATS
    if cut_short is None or not per_day or not isinstance(value, int | float) or isinstance(value, bool):
        return value
    return value * cut_short.days / cut_short.covered


# The formats of the figures that add up over days (`compared_figure`).
PER_DAY_FORMATS = ("money", "count")


def versus_words(comparison: str, start: date, end: date, cut_short: CutShort | None, fmt: str | None = None) -> str:
    """What a card's change is against, as the Overview and the review write it under the change: "vs the week
    before", "vs the 4 weeks before", "vs the month before" (a whole calendar month; `period_words`), as the review's
    heading says what it is compared with; "vs last year"; or "vs 4 of its 7 days" when the data covers too little of
    the compared period for the change to be coloured (`CutShort.change_uncoloured`), "per day vs 4 of its 7 days"
    for a sum (its `fmt`: `compared_figure`)."""
    if cut_short is not None and cut_short.change_uncoloured:
        per_day = "per day " if fmt in PER_DAY_FORMATS else ""
        return f"{per_day}vs {cut_short.covered} of its {cut_short.days} days"
    if comparison == "year":
        return "vs last year"
    return f"vs {period_words(start, end)} before"


def rates_dated_after(steps: pd.DataFrame, end: date, name: str) -> str | None:
    """The sentence to show instead of a rate chart when an ASIN's rate history (`asin_rate_history`) starts after
    the period's `end`: its first rate stands for the period's days too, and there is no change in it to draw.
    None when the history reaches into the period. `name` is the ASIN as the page names it."""
    first = pd.Timestamp(steps["effective_date"].min()).date()
    if first <= end:
        return None
    return (
        f"The rates of {name} are dated from {day_words(first)}, after this period (the day its catalog was loaded, "
        "when the file gave no effective date): with no earlier rate known, they stand for the period's days too. "
        "Its history starts there, so there is no change to draw."
    )


def no_split_before_the_data(
    data_from: date, before: tuple[date, date], comparison: str, start: date, end: date
) -> str:
    """Why there is no commission split when the compared period ends before the data starts, and what would give
    one: another comparison, a shorter period whose previous one the data may cover, or older reports."""
    if comparison != "previous":
        widen = "Compare with the previous period in the sidebar, or upload"
    elif (end - start).days >= 7:
        widen = "A shorter period in the sidebar (Last complete week) may have data before it; or upload"
    else:
        widen = "Upload"
    return (
        f"The data starts on {day_words(data_from)}, after the period compared with ({range_words(*before)}): there is "
        f"no change to split. {widen} older performance reports on the **Data** page."
    )


NO_CAMPAIGN = "(no campaign)"


def campaign_spend_table(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend by campaign (and program, when grouped so) for the Campaigns page: highest commission first, the rows
    the reports give no campaign named `NO_CAMPAIGN` rather than left an empty cell, programs by their names."""
    table = spend.sort_values(["commission", "revenue"], ascending=False, ignore_index=True)
    table["campaign"] = table["campaign"].fillna("").replace("", NO_CAMPAIGN)
    if "program" in table:
        table["program"] = table["program"].map(program_label, na_action="ignore")
    return table
