"""The playbook's diagnostics for the weekly review ("What to look at this week"): each finding with its numbers.

Every rule is a function of the store and `as_of`, the last day of data considered, with its thresholds as
keyword arguments defaulting to the constants below. Periods are inclusive date ranges ending at `as_of`:
"the 42 days ending as_of" is as_of − 41 … as_of. The rules compute nothing themselves: every figure comes
from the engine (`grouped_metrics`, `rank_lift`, `product_payouts`), so a rate is always its ratio of sums.
Comparisons with a threshold are made on rounded values, so that 12.0% − 10.0% counts as the 2 points it is
and not as 1.9999999999999991.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics.amounts import amount, amounts_in, prefix
from analytics.ingest.currency import store_currency
from analytics.metrics.commission_change import asin_effects, commission_change
from analytics.metrics.grouped import Scope, data_range, grouped_metrics, product_payouts
from analytics.metrics.health import creators_active, program_health, top5_revenue_share
from analytics.metrics.periods import week_start
from analytics.metrics.rank_lift import DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS, rank_lift
from analytics.metrics.rates import STALE_RATE_DAYS, rates_in_force
from analytics.metrics.sales import period_metrics
from analytics.metrics.titles import asin_titles
from analytics.review.customer_value import FEW_ORDERS
from analytics.sql import ident
from analytics.store.database import data_version, in_transaction
from analytics.words import apportioned, day_words, plural, possessive, signed

SEVERITIES = ("warning", "opportunity", "info")  # most important first
SEVERITY_WORDS = {"warning": "Warning", "opportunity": "Opportunity", "info": "Worth a look"}
PAGES = ("creators", "products", "customers", "organic_rank")
# Rule ids, most important first; `weekly_insights` orders by severity, then by this order.
RULES = (
    "commission_share_drift",
    "conversion_drop",
    "commission_drift_detail",
    "launch_starved",
    "clicks_no_purchases",
    "low_new_to_brand",
    "low_creator_payout",
    "stale_bonus_rate",
    "creator_concentration",
    "no_new_creators",
    "top_creators",
    "revenue_up_rank_flat",
)

COMMISSION_DRIFT_WINDOW_DAYS = 42
COMMISSION_DRIFT_MIN_RISE_POINTS = 2.0
REVENUE_TREND_WINDOW_DAYS = 28
MIN_CREATOR_PAYOUT = 1.00
MIN_PRICE = 15.00
LAUNCH_WINDOW_DAYS = 60
LAUNCH_SHARE_WINDOW_DAYS = 90
LAUNCH_MAX_SHARE = 0.10
HERO_MIN_SHARE = 0.60
CREATOR_WINDOW_DAYS = 90
MIN_CLICKS_WITHOUT_ORDERS = 200
NTB_MIN_GAP_POINTS = 15.0
TOP_CREATORS = 10
CONCENTRATION_MAX_SHARE = 0.80
NEW_CREATOR_WEEKS = 6
# How far above an ASIN's catalog bonus its commission share must be for the stale-bonus finding to say campaigns
# paid more on it (half a point: rounding and a stray late-attributed sale stay under it).
BOOSTED_MARGIN = 0.005
# How much earlier data it takes before those weeks to tell a creator recruited earlier from one first seen there.
NEW_CREATOR_HISTORY_WEEKS = 3
# A Buy Box % under this in the sales files is named by the findings it may explain (clicks without orders, a
# starved launch).
LOW_BUY_BOX_PCT = 0.80
STALE_RATE_WINDOW_DAYS = 28
STALE_RATE_MIN_FALL = 0.20  # conversion or creators down by a fifth or more
STALE_RATE_MIN_CLICKS = 100
# ASINs named as behind a rate change; the rest are counted.
NAMED_ASINS = 3
# A creator's or an ASIN's conversion falling, and its commission share rising, between two 4-week periods.
DETAIL_WINDOW_DAYS = 28
CONVERSION_DROP_MIN_CLICKS = 100  # in each period: fewer clicks make a conversion rate too noisy to call
CONVERSION_DROP_MIN_POINTS = 2.0
CONVERSION_DROP_MIN_FALL = 0.30  # and a third less, so a 40 % rate falling to 38 % is not news
COMMISSION_DETAIL_MIN_RISE_POINTS = 5.0
COMMISSION_DETAIL_MIN_REVENUE = 200.00  # in each period
DETAIL_FINDINGS_PER_KIND = 3  # creators and ASINs each: the largest moves, the rest stay in the tables

# Decimal places kept when comparing with a threshold: enough for any real figure, none of the float noise.
_PRECISION = 6


@dataclass(frozen=True)
class Insight:
    rule: str  # stable id, one of RULES
    severity: str  # one of SEVERITIES
    title: str  # one plain sentence with the numbers
    action: str  # what to do next, one sentence
    page: str  # the page that explains it, one of PAGES
    subject: str  # the creator, ASIN or product line it is about

    def __post_init__(self) -> None:
        if self.rule not in RULES or self.severity not in SEVERITIES or self.page not in PAGES:
            raise ValueError(f"unknown rule, severity or page in {self!r}")


Rule = Callable[[duckdb.DuckDBPyConnection, date], list[Insight]]


def sharing_advice(findings: Sequence[Insight]) -> list[tuple[Insight, ...]]:
    """`findings` gathered by what they advise: those of one severity whose action reads word for word the same (two
    bonuses gone stale, say) together, at the place of the first, the others in their order. A review read from top
    to bottom then gives each piece of advice once, after everything it answers."""
    groups: dict[tuple[str, str], list[Insight]] = {}
    for finding in findings:
        groups.setdefault((finding.severity, finding.action), []).append(finding)
    return [tuple(group) for group in groups.values()]


# Periods ---------------------------------------------------------------------------------------------------


def _days(as_of: date, days: int, *, days_before: int = 0) -> tuple[date, date]:
    """The first and last of the `days` days ending `days_before` days before as_of."""
    if days < 1:
        raise ValueError("a period must be at least 1 day long")
    end = as_of - timedelta(days=days_before)
    return end - timedelta(days=days - 1), end


def _period(as_of: date, days: int, *, days_before: int = 0) -> Scope:
    """The `days` days ending `days_before` days before as_of, both ends included."""
    start, end = _days(as_of, days, days_before=days_before)
    return Scope(start=start, end=end)


def _first_of_weeks(as_of: date, weeks: int) -> date:
    """The Sunday starting the `weeks` reporting weeks that end with as_of's own."""
    return week_start(as_of) - timedelta(days=7 * (weeks - 1))


def _last(days: int) -> str:
    return f"the last {days // 7} weeks" if days % 7 == 0 and days > 7 else f"the last {days} days"


def _over(con: duckdb.DuckDBPyConnection, as_of: date, days: int) -> str:
    """A rule's window in words: "the last 90 days", or, for a brand whose data starts inside it, the days it holds
    ("the 7 days since Nov 8 (the first day of data)"): a new brand's first week is not 90 days of anything."""
    span = data_range(con)
    start = _days(as_of, days)[0]
    if span is None or span[0] <= start:
        return _last(days)
    held = (as_of - span[0]).days + 1
    if held == 1:
        return f"{span[0]:%b %-d}, the one day the data holds"
    return f"the {held} days since {span[0]:%b %-d} (the first day of data)"


# Formatting ------------------------------------------------------------------------------------------------


def _whole(number: float) -> str:
    """An amount to the whole unit of its currency, as the findings' sentences round them: "$1,254"."""
    return amount(number, 0)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def _tenths_apart(before: float, after: float) -> float:
    """How far apart two shares are in points, as their percentages written to a tenth (`_percent`) read: 3.3 % and
    0.9 % are 2.4 points apart, whatever their unrounded difference (2.35) rounds to."""
    return float(f"{before * 100:.1f}") - float(f"{after * 100:.1f}")


def _signed(points: float, decimals: int = 1) -> str:
    """A change in points with its sign, to `decimals` places, and none on a change that rounds to nothing ("0.0")."""
    return signed(f"{points:.{decimals}f}")


def _a_or_an(figure: str) -> str:
    """The article a figure with decimals takes read aloud: "an 8.0%", "an 11.5%", "an 18.0%", "a 10.0%"."""
    whole = figure.split(".")[0].removeprefix(prefix())
    spoken_vowel = whole.startswith("8") or (len(whole) in (2, 5) and whole[:2] in ("11", "18"))
    return f"{'an' if spoken_vowel else 'a'} {figure}"


def _points(fractions: pd.Series) -> pd.Series:
    """Differences of two fractions in percentage points, rounded for comparing with a threshold."""
    return (fractions * 100).round(_PRECISION)


def _asin_labels(titled: pd.DataFrame) -> dict[str, str]:
    """ASIN -> "B0… (title)" where `titled` (the catalog, or `metrics.titles.asin_titles`) has a title."""
    # The two columns alone: iterating whole rows would turn every date cell into a Timestamp (30 ms per 8,000).
    return {
        asin: f"{asin} ({title})" if isinstance(title, str) and title else asin
        for asin, title in zip(titled["asin"], titled["title"], strict=True)
    }


# Engine calls ----------------------------------------------------------------------------------------------


def _creator_metrics(con: duckdb.DuckDBPyConnection, scope: Scope, metrics: tuple[str, ...]) -> pd.DataFrame:
    """The named metrics per creator with data in the scope."""
    return grouped_metrics(con, scope, ("creator",), metrics)


# Rules -----------------------------------------------------------------------------------------------------


def commission_share_drift(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = COMMISSION_DRIFT_WINDOW_DAYS,
    min_rise_points: float = COMMISSION_DRIFT_MIN_RISE_POINTS,
) -> list[Insight]:
    """Product lines whose commission share rose by `min_rise_points` points or more, largest rise first, with the
    rise split into higher (or lower) bonus rates, the mix of ASINs sold, and ASINs entering or leaving.

    Periods: now = the `window_days` days ending as_of (default 42: as_of − 41 … as_of); before = the
    `window_days` days before that (as_of − 83 … as_of − 42). Commission share = commission / revenue summed
    over each period; a line without revenue in one of them has no share there and is skipped. The split is
    `commission_change` by product line; the ASINs named are those whose part of the rate effect goes the way
    of the line's, largest first.
    """
    periods = (_days(as_of, window_days, days_before=window_days), _days(as_of, window_days))
    lines = commission_change(con, "product_line", *periods)
    lines = lines.dropna(subset=["share_before", "share_after"])
    lines["rise"] = _points(lines["share_after"] - lines["share_before"])
    lines = lines[lines["rise"] >= min_rise_points].sort_values(["rise", "product_line"], ascending=[False, True])
    if lines.empty:
        return []
    asins = asin_effects(con, "product_line", *periods)
    revenue = [
        grouped_metrics(con, Scope(start=start, end=end), ("product_line",), ("revenue", "commission"))
        .set_index("product_line")
        .reindex(lines["product_line"])
        for start, end in periods
    ]
    # The catalog's rates in force at the end of each period: whether a rate effect is the brand's own rate change.
    rates = [rates_in_force(con, end).set_index("asin") for _, end in periods]
    insights = []
    for row in lines.itertuples(index=False):
        # In tenths of a point, rounded together so that the parts stated add up to the rise stated.
        # The rise as the two shares written beside it read (3.349 % to 5.751 % is 3.3 % to 5.8 %, +2.5).
        exact = [effect * 100 for effect in (row.rate_effect, row.mix_effect, row.entry_exit_effect)]
        rise, parts = apportioned(_tenths_apart(row.share_after, row.share_before), exact, 0.1)
        decimals = 1
        if any(abs(part - own) > 0.05 + 1e-9 for part, own in zip(parts, exact, strict=True)):
            # Rounded together in tenths, a part moved by more than half a tenth (+7.14 written +7.2 beside its
            # ASINs' +5.7 and +1.4): in hundredths, as the Overview and the Products page then write it.
            rise, parts = apportioned(round((row.share_after - row.share_before) * 100, 2), exact, 0.01)
            decimals = 2
        rate, mix, entry = parts
        split, drivers, movers = _commission_split(
            rate, mix, entry, asins[asins["product_line"] == row.product_line], rates, decimals
        )
        insights.append(
            Insight(
                rule="commission_share_drift",
                severity="warning",
                title=(
                    f"Commission share in {row.product_line} rose from {_percent(row.share_before)} to "
                    f"{_percent(row.share_after)} over {_last(window_days)} against the {window_days} days before "
                    f"({_signed(rise, decimals)} pts: {split}){drivers}."
                ),
                action=_drift_action(
                    row.product_line,
                    rates_led=rate > 0 and rate * 2 >= rise,
                    cause=movers,
                    before=revenue[0].loc[row.product_line],
                    after=revenue[1].loc[row.product_line],
                ),
                page="products",
                subject=row.product_line,
            )
        )
    return insights


def _drift_action(line: str, rates_led: bool, cause: str, before: pd.Series, after: pd.Series) -> str:
    """What to do about a line's commission share rise. When its ASINs' own rates make most of it (`rates_led`)
    and the catalog shows the brand raised them (`cause` "catalog"), whether the line's attributed revenue (`before`
    and `after`: its revenue and commission over the two periods) grew says whether to keep them or roll them back;
    with no rate changed (`cause` "unchanged"), the sales moved to campaigns or creators paid more. Otherwise, where
    to look for the cause."""
    explore = f"Open {line} on the Products page for each ASIN's rate history and the creators behind the sales."
    if rates_led and cause == "mixed":
        return (
            f"The catalog shows the bonus raised on some of those ASINs: weigh it against {possessive(line)} sales. "
            "On the others no rate changed, so more of their sales went through campaigns or creators paid at higher "
            f"rates. Open {line} on the Products page and the Campaigns page to see which."
        )
    if rates_led and cause == "unchanged":
        return (
            f"The catalog shows no rate change on those ASINs, so more of their sales went through campaigns or "
            f"creators paid at higher rates (an event's bonus beside the always-on one, say). Open {line} on the "
            "Products page and the Campaigns page to see which, and whether those sales are worth the higher rate."
        )
    if not rates_led or cause != "catalog":
        return (
            f"Open {line} on the Products page to find the ASINs and creators behind the rise: a bonus rate set too "
            "high, or content that stopped converting."
        )
    # The change as the sentence writes it, to a tenth of a percent: one that reads 0.0% did not grow.
    change = round((after["revenue"] / before["revenue"] - 1) * 100, 1)
    moved = f"{abs(change):.1f}% ({_whole(before['revenue'])} → {_whole(after['revenue'])}) over the same weeks"
    raised_on = f"The rise comes from the bonus rates raised on those ASINs, {'yet' if change <= 0 else 'and'}"
    if change <= 0:
        went = f"fell {moved}" if change else f"stayed at {_whole(after['revenue'])} over the same weeks"
        return (
            f"{raised_on} {possessive(line)} attributed revenue {went}: the higher bonuses have not brought more "
            f"sales, so consider rolling them back. {explore}"
        )
    extra = _whole(after["commission"] - before["commission"])
    return (
        f"{raised_on} {possessive(line)} attributed revenue rose {moved} for {extra} more commission: keep the higher "
        f"bonuses if those sales are worth it. {explore}"
    )


def _commission_split(
    rate: float, mix: float, entry: float, asins: pd.DataFrame, rates: list[pd.DataFrame], decimals: int = 1
) -> tuple[str, str, str]:
    """The parts of a line's share change, in points rounded to `decimals` places ("+4.6 from higher bonus rates on 3
    ASINs, +0.4 from mix"), each left out when it is 0.0; the clause naming the ASINs behind the rate effect
    (`asins`: the line's rows of `asin_effects`); and what moved their rates, by the catalog's rates in force at the
    end of each period (`rates`, by ASIN): "catalog" when they moved the same way on each of them (the brand's own
    change), "unchanged" when none of them moved, "unknown" otherwise (the catalog holds no rates for some).

    An ASIN's rate here is its commission over its revenue, which also moves with no rate changed when its sales
    shift between campaigns or creators paid at different rates (an event's bonus beside the always-on one): said
    so, rather than a bonus change nobody made."""
    rate_points = _points(asins["rate_effect"])
    direction = 1 if rate > 0 else -1
    movers = asins.assign(points=rate_points)[rate_points * direction > 0]
    movers = movers.sort_values(["points", "asin"], ascending=[direction < 0, True])
    before, after = (frame.reindex(movers["asin"]) for frame in rates)
    columns = ["standard_rate", "bonus_rate"]
    known = bool(len(movers)) and bool((before[columns].notna().any(axis=1) & after[columns].notna().any(axis=1)).all())
    moved = after[columns].fillna(0).sum(axis=1) - before[columns].fillna(0).sum(axis=1)
    raised, kept = moved * direction > 0, moved.round(_PRECISION) == 0
    cause = "unknown"
    if known and bool(raised.all()):
        cause = "catalog"
    elif known and bool(kept.all()):
        cause = "unchanged"
    elif known and bool((raised | kept).all()):
        cause = "mixed"  # some raised in the catalog, the others' sales moved to campaigns or creators paid more
    parts = []
    if rate:
        said = {
            "catalog": f"{'higher' if rate > 0 else 'lower'} bonus rates on {plural(len(movers), 'ASIN')}",
            "unchanged": f"{'more' if rate > 0 else 'less'} commission per sale on {plural(len(movers), 'ASIN')}, "
            "with no rate change in the catalog",
            "unknown": f"{'higher' if rate > 0 else 'lower'} commission rates on {plural(len(movers), 'ASIN')}",
            "mixed": f"{'more' if rate > 0 else 'less'} commission per sale on {plural(len(movers), 'ASIN')}, "
            f"{int(raised.sum()):,} with {'its' if int(raised.sum()) == 1 else 'their'} rate "
            f"{'raised' if rate > 0 else 'cut'} in the catalog",
        }[cause]
        parts.append(f"{_signed(rate, decimals)} from {said}")
    if mix:
        parts.append(f"{_signed(mix, decimals)} from mix")
    if entry:
        parts.append(f"{_signed(entry, decimals)} from ASINs entering or leaving")
    if not rate or movers.empty:
        return ", ".join(parts) or "no single cause", "", cause
    # Where the catalog explains some ASINs' rates and not others', each is said to be one or the other.
    how = {asin: ", rate raised" if up else ", no rate change" for asin, up in raised.items()}
    how = how if cause == "mixed" else {}
    named = [
        f"{row.asin} ({_signed(row.points, decimals)} pts{how.get(row.asin, '')})"
        for row in movers.head(NAMED_ASINS).itertuples(index=False)
    ]
    rest = len(movers) - len(named)
    if rest:
        names = ", ".join(named) + f" and {plural(rest, 'other ASIN')}"
    elif len(named) > 1:
        names = ", ".join(named[:-1]) + f" and {named[-1]}"
    else:
        names = named[0]
    return ", ".join(parts), f"; the rate {'rise' if rate > 0 else 'fall'} is on {names}", cause


def revenue_up_rank_flat(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = REVENUE_TREND_WINDOW_DAYS,
    rank_window_days: int = DEFAULT_WINDOW_DAYS,
    rank_lag_days: int = DEFAULT_LAG_DAYS,
    lift: pd.DataFrame | None = None,
) -> list[Insight]:
    """ASINs whose attributed revenue grew while their organic rank did not move up, largest growth first.

    Periods: now = the `window_days` days ending as_of (default 28: as_of − 27 … as_of); before = the
    `window_days` days before that (as_of − 55 … as_of − 28); an ASIN without revenue before counts as $0.
    Rank change is `rank_lift` by ASIN (median over keywords, before vs after activation, with the given
    window and lag). Where the ASIN has a control group (ASINs of its line not yet activated, over the same days)
    the change judged is `lift_vs_control`, the change net of theirs; otherwise its own `rank_change`. Only ASINs
    where that was measured (not null) and is ≤ 0 are flagged. A caller that has that `rank_lift` already (the
    Organic rank page) passes it as `lift`.
    """
    now = grouped_metrics(con, _period(as_of, window_days), ("asin",), ("revenue",))
    before = grouped_metrics(con, _period(as_of, window_days, days_before=window_days), ("asin",), ("revenue",))
    revenue = now.merge(before[["asin", "revenue"]], on="asin", how="left", suffixes=("_now", "_before"))
    revenue["revenue_before"] = revenue["revenue_before"].fillna(0.0)
    revenue["growth"] = (revenue["revenue_now"] - revenue["revenue_before"]).round(_PRECISION)
    if lift is None:
        lift = rank_lift(con, "asin", rank_window_days, rank_lag_days)
    lift_columns = [
        "asin",
        "rank_change",
        "keywords_measured",
        "keywords_improved",
        "control_change",
        "lift_vs_control",
        "control_asins",
    ]
    rows = revenue.merge(lift[lift_columns], on="asin")
    rows["judged"] = rows["lift_vs_control"].where(rows["control_change"].notna(), rows["rank_change"])
    rows = rows[(rows["growth"] > 0) & rows["judged"].notna()]
    rows = rows[rows["judged"] <= 0].sort_values(["growth", "asin"], ascending=[False, True])
    labels = _asin_labels(asin_titles(con))
    insights = []
    for row in rows.itertuples(index=False):
        if row.revenue_before > 0:
            growth = (
                f"{_percent(row.revenue_now / row.revenue_before - 1)} "
                f"({_whole(row.revenue_before)} → {_whole(row.revenue_now)})"
            )
        else:
            growth = f"from {_whole(0)} to {_whole(row.revenue_now)}"
        keywords = plural(int(row.keywords_measured), "keyword")
        change = f"{_places(row.rank_change, median=True)} across {keywords}"
        if row.rank_change <= 0 and row.keywords_improved:  # a median not up can hide keywords that moved up
            change += f", {int(row.keywords_improved)} of them up"
        if pd.notna(row.control_change):
            controls = plural(int(row.control_asins), "ASIN")
            change += f"; net of {controls} of its line not yet activated, {_places(row.lift_vs_control)}"
        insights.append(
            Insight(
                rule="revenue_up_rank_flat",
                severity="info",
                title=(
                    f"Attributed revenue for {labels.get(row.asin, row.asin)} rose {growth} over "
                    f"{_last(window_days)}, but its organic rank has not moved up since activation ({change})."
                ),
                action=(
                    "See which keywords held or fell, and brief creators to use those search terms in their content "
                    "so their sales carry over to organic search."
                ),
                page="organic_rank",
                subject=row.asin,
            )
        )
    return insights


def _places(change: float, *, median: bool = False) -> str:
    """A rank change in words: "no change", "1 place down", "median 2.5 places up", "median change of 0"."""
    if change == 0:
        return "median change of 0" if median else "no change"
    places = f"{abs(change):g} place{'' if abs(change) == 1 else 's'} {'up' if change > 0 else 'down'}"
    return f"median {places}" if median else places


def low_creator_payout(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    min_payout: float = MIN_CREATOR_PAYOUT,
    min_price: float = MIN_PRICE,
) -> list[Insight]:
    """Catalog ASINs whose creator payout per sale is under `min_payout` or whose price is under `min_price`.

    Creators sort Creator Connections offers by payout, so these get passed over. Payout per sale =
    price × (standard_rate + bonus_rate) from `product_payouts`: a missing standard rate counts as 0 (the
    title says so), a missing price or bonus rate leaves no payout to judge (a price under `min_price` is
    still flagged). The rates are those in force on as_of (`metrics.rates`); the price is the catalog's.
    Lowest payout first.
    """
    catalog = product_payouts(con, as_of)
    labels = _asin_labels(catalog)
    # Only rows near a threshold can be flagged: the test below, with the cards' rounding, decides which are.
    near = (catalog["creator_payout_per_sale"] < min_payout + 0.01) | (catalog["price"] < min_price + 0.01)
    candidates = catalog.loc[near, ["asin", "price", "standard_rate", "bonus_rate", "creator_payout_per_sale"]]
    insights: list[tuple[float, str, Insight]] = []
    for row in candidates.itertuples(index=False):
        payout, price = row.creator_payout_per_sale, row.price
        low_payout = pd.notna(payout) and round(payout, _PRECISION) < min_payout
        low_price = pd.notna(price) and round(price, _PRECISION) < min_price
        if not (low_payout or low_price):
            continue
        label = labels[row.asin]
        standard_missing = pd.isna(row.standard_rate)
        if pd.isna(payout):
            # Creators do see a payout on Amazon; it is this catalog that lacks the rate to work it out.
            figure = ""
        elif standard_missing:
            figure = (
                f"{amount(payout)} per sale ({amount(price)} × {_percent(row.bonus_rate)} bonus; the standard "
                "commission rate is missing from the catalog, so this excludes it)"
            )
        else:
            figure = (
                f"{amount(payout)} per sale ({amount(price)} × ({_percent(row.standard_rate)} standard + "
                f"{_percent(row.bonus_rate)} bonus))"
            )
        if low_payout and low_price:
            title = (
                f"Creators see {figure} on {label}, under {amount(min_payout)}, and its {amount(price)} price "
                f"is under {amount(min_price)}."
            )
        elif low_payout:
            title = f"Creators see {figure} on {label}, under the {amount(min_payout)} they tend to skip."
        elif figure:
            title = f"{label} sells for {amount(price)}, under {amount(min_price)}: creators see {figure}."
        else:
            title = (
                f"{label} sells for {amount(price)}, under {amount(min_price)}: a price creators tend to pass over "
                "(its payout per sale is not worked out here: the catalog has no bonus rate for it)."
            )
        if low_payout:
            # The smallest bonus, rounded up to a tenth of a point, that brings the payout to min_payout.
            needed = min_payout / price - (0.0 if standard_missing else row.standard_rate)
            needed = math.ceil(round(needed * 1000, _PRECISION)) / 1000
            # From what to what, and that the standard commission counts too: "at least 7.1%" alone reads as the
            # whole rate.
            raise_to = f"Raise the bonus rate from {_percent(row.bonus_rate)} to at least {_percent(needed)}"
            action = (
                f"{raise_to} so creators see {amount(min_payout)} per sale"
                if standard_missing
                else f"{raise_to}: with the {_percent(row.standard_rate)} standard commission, creators then see "
                f"{amount(min_payout)} per sale"
            )
            if standard_missing:
                action += " (or add the standard rate to the catalog: it may already close the gap)"
            action += "."
        else:
            action = (
                "Offer it to creators as a bundle or multipack, or with a bonus high enough to stand out when "
                "creators sort offers by payout."
            )
        insight = Insight("low_creator_payout", "warning", title, action, "products", row.asin)
        insights.append((payout if pd.notna(payout) else math.inf, row.asin, insight))
    return [insight for _, _, insight in sorted(insights, key=lambda item: item[:2])]


def stale_bonus_rate(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    min_days: int = STALE_RATE_DAYS,
    window_days: int = STALE_RATE_WINDOW_DAYS,
    min_fall: float = STALE_RATE_MIN_FALL,
    min_clicks: int = STALE_RATE_MIN_CLICKS,
) -> list[Insight]:
    """ASINs whose bonus rate has stayed the same for `min_days` days or more while their conversion rate or their
    creators fell by `min_fall` or more, longest-unchanged first.

    Unchanged days = as_of − the first day of the bonus rate in force on as_of (`rates_in_force`); an ASIN whose
    rate history starts after as_of has no such count and is skipped. Periods: now = the `window_days` days ending
    as_of (default 28: as_of − 27 … as_of); before = the `window_days` days before that (as_of − 55 … as_of − 28).
    conversion_rate = orders / clicks over each period, judged only with `min_clicks` clicks or more in both;
    creators = distinct creators with clicks on the ASIN in the period (its opt-ins). A fall is
    (before − now) / before, rounded.
    """
    rates = rates_in_force(con, as_of)
    rates = rates[(rates["bonus_unchanged_days"] >= min_days).fillna(False)]
    if rates.empty:
        return []
    now, before = _period(as_of, window_days), _period(as_of, window_days, days_before=window_days)
    _, before_end = _days(as_of, window_days, days_before=window_days)
    periods = [_asin_conversion_and_creators(con, scope) for scope in (before, now)]
    rows = rates.merge(periods[0], on="asin", how="left").merge(
        periods[1], on="asin", how="left", suffixes=("_before", "_now")
    )
    # An ASIN without clicks in a period had no creators there (every one of them may have left).
    for column in ("clicks_before", "clicks_now", "creators_before", "creators_now"):
        rows[column] = rows[column].fillna(0)
    counted = (rows["clicks_before"] >= min_clicks) & (rows["clicks_now"] >= min_clicks)
    conversion_fall = (1 - rows["conversion_rate_now"] / rows["conversion_rate_before"]).round(_PRECISION)
    creators_fall = (1 - rows["creators_now"] / rows["creators_before"]).round(_PRECISION)
    rows["conversion_fell"] = (counted & (conversion_fall >= min_fall)).fillna(False)
    rows["creators_fell"] = (creators_fall >= min_fall).fillna(False)
    rows = rows[rows["conversion_fell"] | rows["creators_fell"]]
    rows = rows.sort_values(["bonus_unchanged_days", "asin"], ascending=[False, True])
    labels = _asin_labels(asin_titles(con))
    # A conversion fall on an ASIN that lost the Buy Box is the listing's, which no bonus wins back: said first.
    low = _low_buy_box(con, now, rows.loc[rows["conversion_fell"], "asin"].astype(str).tolist())
    insights = []
    for row in rows.itertuples(index=False):
        fell = []
        if row.conversion_fell:
            fell.append(
                f"its conversion rate fell from {_percent(row.conversion_rate_before)} to "
                f"{_percent(row.conversion_rate_now)}"
            )
        if row.creators_fell:
            fell.append(f"its creators from {int(row.creators_before)} to {int(row.creators_now)}")
        bonus = "no bonus" if pd.isna(row.bonus_rate) else f"{_a_or_an(_percent(row.bonus_rate))} bonus"
        # Commission is the bonus paid: well above the catalog's bonus, campaigns paid more on part of its sales
        # (an event beside the always-on offer), and the offer was not left alone.
        paid = row.commission_share_now
        boosted = pd.notna(paid) and paid >= (0 if pd.isna(row.bonus_rate) else row.bonus_rate) + BOOSTED_MARGIN
        campaigns = (
            f"; its commission was {_percent(paid)} of its revenue in those days, above the catalog's bonus, as "
            "campaigns paid more on part of its sales"
            if boosted
            else ""
        )
        insights.append(
            Insight(
                rule="stale_bonus_rate",
                severity="warning",
                title=(
                    f"{labels.get(row.asin, row.asin)} has had {bonus} in the catalog for "
                    f"{int(row.bonus_unchanged_days)} days (since {day_words(row.bonus_since)}), while "
                    f"{' and '.join(fell)} between the {window_days} days ending {day_words(before_end)} and the "
                    f"{window_days} days ending {day_words(as_of)}{campaigns}."
                ),
                action=(
                    f"It held the Buy Box on only {_percent(low[row.asin])} of its sessions in the last {window_days} "
                    "days: check its listing first (price, stock, the offers beside it), since a shopper a creator "
                    "sends who buys from another seller earns no commission and no bonus brings back. Then revisit "
                    "the offer on the Products page if creators are leaving."
                    if row.asin in low
                    else "Campaigns already pay above its catalog bonus, so a higher bonus alone may not win its "
                    "numbers back: check its listing (price, stock, reviews) and brief creators on fresh content, "
                    "then weigh the offer on the Products page."
                    if boosted
                    else "Revisit the offer on the Products page: creators weigh offers by payout, and a bonus left "
                    "alone while its numbers slide is the first lever to try (or brief creators on fresh content)."
                ),
                page="products",
                subject=row.asin,
            )
        )
    return insights


def _asin_conversion_and_creators(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per ASIN in the scope: clicks, conversion_rate, commission_share and creators (distinct creators with clicks
    on it)."""
    asins = grouped_metrics(con, scope, ("asin",), ("clicks", "conversion_rate", "commission_share"))
    pairs = grouped_metrics(con, scope, ("asin", "creator"), ("clicks",))
    creators = pairs[pairs["clicks"] > 0].groupby("asin").size().rename("creators").reset_index()
    asins = asins[["asin", "clicks", "conversion_rate", "commission_share"]].merge(creators, on="asin", how="left")
    asins["creators"] = asins["creators"].fillna(0).astype(int)
    return asins


def launch_starved(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    launch_window_days: int = LAUNCH_WINDOW_DAYS,
    share_window_days: int = LAUNCH_SHARE_WINDOW_DAYS,
    max_launch_share: float = LAUNCH_MAX_SHARE,
    min_hero_share: float = HERO_MIN_SHARE,
) -> list[Insight]:
    """Launches under `max_launch_share` of their line's creator revenue while one ASIN has over `min_hero_share`.

    A launch is a catalog ASIN whose launch_date falls in the `launch_window_days` days ending as_of
    (default 60: as_of − 59 … as_of). Shares are of the product line's attributed revenue over the
    `share_window_days` days ending as_of (default 90: as_of − 89 … as_of), the line alone being the scope;
    a launch without creator revenue there has a share of 0, a line without any has no shares and is skipped.
    Smallest launch share first.
    """
    catalog = product_payouts(con, as_of)
    labels = _asin_labels(catalog)
    launch_period = _period(as_of, launch_window_days)
    launched = pd.to_datetime(catalog["launch_date"])
    window = launched.between(pd.Timestamp(launch_period.start), pd.Timestamp(launch_period.end))
    launches = catalog[window.fillna(False)]
    share_period = _period(as_of, share_window_days)
    over = _over(con, as_of, share_window_days)
    found: list[tuple[float, str, Insight]] = []
    for line, line_launches in launches.groupby("product_line", sort=True):
        line_scope = replace(share_period, product_lines=(str(line),))
        shares = grouped_metrics(con, line_scope, ("asin",), ("revenue_share",))
        shares = shares.dropna(subset=["revenue_share"])
        if shares.empty:
            continue
        hero = shares.sort_values(["revenue_share", "asin"], ascending=[False, True]).iloc[0]
        if not round(hero["revenue_share"], _PRECISION) > min_hero_share:
            continue
        share_of = dict(zip(shares["asin"], shares["revenue_share"], strict=True))
        for launch in line_launches.itertuples(index=False):
            share = share_of.get(launch.asin, 0.0)
            if launch.asin == hero["asin"] or not round(share, _PRECISION) < max_launch_share:
                continue
            hero_label = labels.get(hero["asin"], hero["asin"])
            buy_box = _low_buy_box(con, share_period, [launch.asin])
            title = (
                f"Launch {labels[launch.asin]}, on sale since {day_words(launch.launch_date)}, took "
                f"{_percent(share)} of {line}'s creator revenue over {over}, while "
                f"{hero_label} took {_percent(hero['revenue_share'])}"
                + (
                    f", and it held the Buy Box on only {_percent(buy_box[launch.asin])} of its sessions in those days"
                    if buy_box
                    else ""
                )
                + "."
            )
            # A bonus already the line's highest is not the lever: the creators and the listing are.
            others = catalog.loc[(catalog["product_line"] == line) & (catalog["asin"] != launch.asin), "bonus_rate"]
            others = others.dropna()
            top_rate = pd.notna(launch.bonus_rate) and not others.empty and launch.bonus_rate > others.max()
            action = (
                f"Its bonus, {_percent(launch.bonus_rate)}, is already the highest in {line}: ask the creators selling "
                f"{hero['asin']} to feature it, and check its listing (price, reviews, Buy Box)."
                if top_rate
                else f"Raise the bonus on {launch.asin} or ask the creators selling {hero['asin']} to feature it: "
                "the hero SKU is taking the line's creator traffic."
            )
            found.append(
                (share, launch.asin, Insight("launch_starved", "warning", title, action, "products", launch.asin))
            )
    return [insight for _, _, insight in sorted(found, key=lambda item: item[:2])]


def _low_buy_box(
    con: duckdb.DuckDBPyConnection, scope: Scope, asins: list[str], max_pct: float = LOW_BUY_BOX_PCT
) -> dict[str, float]:
    """ASIN -> Buy Box % over the sales periods inside `scope` (`sales.period_metrics`), for those of `asins` whose
    sales files show one under `max_pct`, lowest first. Empty without sales files."""
    if not asins:
        return {}
    sales = period_metrics(con, Scope(scope.start, scope.end, asins=tuple(sorted(set(asins)))), ("asin",))
    low = sales[sales["buy_box_pct"].notna() & (sales["buy_box_pct"].round(_PRECISION) < max_pct)]
    low = low.sort_values(["buy_box_pct", "asin"])
    return dict(zip(low["asin"].astype(str), low["buy_box_pct"].astype(float), strict=True))


def _buy_box_clause(low: dict[str, float], labels: dict[str, str], asins: list[str]) -> str:
    """The words naming the lowest Buy Box of `low` (from `_low_buy_box`) among `asins`, with how many more of them
    are low: ", while B0… (title), one of the ASINs they link to, held the Buy Box on only 60.0% of its sessions in
    those days" (the finding's days); empty when none of `asins` is low."""
    theirs = [(asin, pct) for asin, pct in low.items() if asin in asins]
    if not theirs:
        return ""
    asin, pct = theirs[0]
    label = labels.get(asin, asin)
    more = len(theirs) - 1
    others = f" ({plural(more, 'other ASIN')} of theirs under {LOW_BUY_BOX_PCT:.0%} too)" if more else ""
    held = f"held the Buy Box on only {_percent(pct)} of its sessions in those days"
    return f", while {label}, one of the ASINs they link to, {held}{others}"


def clicks_no_purchases(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = CREATOR_WINDOW_DAYS,
    min_clicks: int = MIN_CLICKS_WITHOUT_ORDERS,
) -> list[Insight]:
    """Creators with `min_clicks` clicks or more and no attributed order, most clicks first.

    Period: the `window_days` days ending as_of (default 90: as_of − 89 … as_of); clicks and orders are each
    creator's sums over all their ASINs. Where the sales files show a Buy Box under LOW_BUY_BOX_PCT over the
    period for an ASIN the creator sent clicks to, the title names the lowest: a likely reason for the missing
    orders.
    """
    period = _period(as_of, window_days)
    creators = _creator_metrics(con, period, ("clicks", "orders"))
    flagged = creators[((creators["clicks"] >= min_clicks) & (creators["orders"] == 0)).fillna(False)]
    flagged = flagged.sort_values(["clicks", "creator"], ascending=[False, True])
    clicked: dict[str, list[str]] = {}
    if not flagged.empty:
        pairs = grouped_metrics(
            con, replace(period, creators=tuple(flagged["creator"])), ("creator", "asin"), ("clicks",)
        )
        pairs = pairs[(pairs["clicks"] > 0).fillna(False)]
        for creator, asin in zip(pairs["creator"], pairs["asin"], strict=True):
            clicked.setdefault(str(creator), []).append(str(asin))
    low = _low_buy_box(con, period, [asin for asins in clicked.values() for asin in asins])
    labels = _asin_labels(asin_titles(con)) if low else {}
    over = _over(con, as_of, window_days)
    return [
        Insight(
            rule="clicks_no_purchases",
            severity="warning",
            title=f"{row.creator} sent {plural(int(row.clicks), 'click')} over {over} and none became an order"
            f"{_buy_box_clause(low, labels, clicked.get(str(row.creator), []))}.",
            action=(
                "Check that the creator's links reach in-stock, correctly priced listings, then review the content "
                "with them: clicks without orders mean a broken link, a price shock or an audience that is not buying."
            ),
            page="creators",
            subject=row.creator,
        )
        for row in flagged.itertuples(index=False)
    ]


def low_new_to_brand(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = CREATOR_WINDOW_DAYS,
    min_gap_points: float = NTB_MIN_GAP_POINTS,
    min_orders: int = FEW_ORDERS,
) -> list[Insight]:
    """Creators whose new-to-brand % is `min_gap_points` points or more below the baseline, largest gap first.

    Period: the `window_days` days ending as_of (default 90: as_of − 89 … as_of). ntb_pct is over the
    creator's attributed order lines; baseline_ntb_pct over all order lines in the period, attributed or
    not (the same for every creator). A creator without attributed lines (ntb_pct null), or a store without
    order lines (no baseline), is skipped, as is one whose share rests on fewer than `min_orders` orders (its own
    base, `ntb_counted`): the pages call such a rate a sign, not a measure (`customer_value.FEW_ORDERS`).
    """
    creators = _creator_metrics(con, _period(as_of, window_days), ("ntb_counted", "ntb_pct", "baseline_ntb_pct"))
    creators = creators.dropna(subset=["ntb_pct", "baseline_ntb_pct"])
    creators = creators[creators["ntb_counted"] >= min_orders]
    creators = creators.assign(gap=_points(creators["baseline_ntb_pct"] - creators["ntb_pct"]))
    flagged = creators[creators["gap"] >= min_gap_points].sort_values(["gap", "creator"], ascending=[False, True])
    over = _over(con, as_of, window_days)
    return [
        Insight(
            rule="low_new_to_brand",
            severity="warning",
            title=(
                f"New-to-brand share of {row.creator}'s attributed orders was {_percent(row.ntb_pct)} over "
                f"{over}, {row.gap:.1f} points below the "
                f"{_percent(row.baseline_ntb_pct)} of all your orders."
            ),
            action=(
                "This creator mostly reaches customers you already have: check their audience before renewing "
                "the bonus, and steer new-customer offers to creators above the baseline."
            ),
            page="customers",
            subject=row.creator,
        )
        for row in flagged.itertuples(index=False)
    ]


def _two_periods(
    con: duckdb.DuckDBPyConnection, as_of: date, window_days: int, by: str, metrics: tuple[str, ...]
) -> pd.DataFrame:
    """The metrics per `by` value in the `window_days` days ending as_of (suffix `_now`) beside the same number of
    days before them (`_before`), for the values with data in both."""
    before = grouped_metrics(con, _period(as_of, window_days, days_before=window_days), (by,), metrics)
    now = grouped_metrics(con, _period(as_of, window_days), (by,), metrics)
    return before.merge(now, on=by, suffixes=("_before", "_now"))


_DETAIL_PAGES = {"creator": "creators", "asin": "products"}


def _per_creator_and_asin(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    window_days: int,
    metrics: tuple[str, ...],
    flag: Callable[[pd.DataFrame], pd.Series],
    insight: Callable[[str, str, Any], Insight],
) -> list[Insight]:
    """For creators, then ASINs: the rows of `_two_periods` whose `flag` (a column of sizes, null or below the
    threshold where nothing is flagged) is set, largest first, at most DETAIL_FINDINGS_PER_KIND, each made into
    `insight(by, name, row)`."""
    insights = []
    for by in ("creator", "asin"):
        rows = _two_periods(con, as_of, window_days, by, metrics)
        rows = rows.assign(size=flag(rows)).dropna(subset=["size"])
        flagged = rows.sort_values(["size", by], ascending=[False, True]).head(DETAIL_FINDINGS_PER_KIND)
        insights += [insight(by, str(getattr(row, by)), row) for row in flagged.itertuples(index=False)]
    return insights


def conversion_drop(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = DETAIL_WINDOW_DAYS,
    min_clicks: int = CONVERSION_DROP_MIN_CLICKS,
    min_points: float = CONVERSION_DROP_MIN_POINTS,
    min_fall: float = CONVERSION_DROP_MIN_FALL,
) -> list[Insight]:
    """Creators, then ASINs, whose conversion rate fell by `min_points` points and by `min_fall` of itself or more
    between the `window_days` days before the last ones and the last ones (default 28: as_of − 55 … as_of − 28
    against as_of − 27 … as_of), with `min_clicks` clicks in each; the largest falls in points first, at most
    DETAIL_FINDINGS_PER_KIND of each."""

    def fall(rows: pd.DataFrame) -> pd.Series:
        points = _points(rows["conversion_rate_before"] - rows["conversion_rate_now"])
        relative = rows["conversion_rate_now"] <= rows["conversion_rate_before"] * (1 - min_fall)
        enough = (rows["clicks_before"] >= min_clicks) & (rows["clicks_now"] >= min_clicks)
        return points.where((points >= min_points) & relative.fillna(False) & enough)

    labels: dict[str, str] = {}
    before_start = _days(as_of, window_days, days_before=window_days)[0]

    def insight(by: str, name: str, row: Any) -> Insight:
        if by != "creator" and not labels:  # an ASIN is named with its title, as the other findings name it
            labels.update(_asin_labels(asin_titles(con)))
        clicks = f"{name}'s clicks" if by == "creator" else f"clicks on {labels.get(name, name)}"
        # A creator or product new in the days before is compared with its first days alone: said, so that a fall
        # from a first week's rate is not read as one from a settled one.
        first = con.execute(
            f"select min(date) filter ({ident(by)} = $name and clicks > 0), min(date) from performance",
            {"name": name},
        ).fetchone()
        new = ""
        # New, rather than the data starting there: said only where the data covers the whole of the days before.
        if first and first[0] is not None and first[0] > before_start >= first[1]:
            days = (_days(as_of, window_days)[0] - first[0]).days
            whose, own = (f"{name}'s", "their") if by == "creator" else ("Its", "its")
            new = (
                f" {whose} first click was on {day_words(first[0])}: the {window_days} days before hold only {own} "
                f"first {plural(days, 'day')}."
            )
        return Insight(
            rule="conversion_drop",
            severity="warning",
            title=(
                f"Conversion of {clicks} fell from "
                f"{_percent(row.conversion_rate_before)} to {_percent(row.conversion_rate_now)} over "
                f"{_last(window_days)} against the {window_days} days before "
                f"(-{_tenths_apart(row.conversion_rate_before, row.conversion_rate_now):.1f} pts, on "
                f"{int(row.clicks_now):,} clicks in those weeks).{new}"
            ),
            action=(
                f"Ask {name} whether their content or links changed, and check the products they promote for price, "
                "stock and Buy Box."
                if by == "creator"
                else f"Check the listing of {labels.get(name, name)} for its price, stock, reviews and Buy Box: "
                "creators' clicks stopped turning into orders."
            ),
            page=_DETAIL_PAGES[by],
            subject=name,
        )

    return _per_creator_and_asin(con, as_of, window_days, ("clicks", "conversion_rate"), fall, insight)


def commission_drift_detail(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = DETAIL_WINDOW_DAYS,
    min_rise_points: float = COMMISSION_DETAIL_MIN_RISE_POINTS,
    min_revenue: float = COMMISSION_DETAIL_MIN_REVENUE,
) -> list[Insight]:
    """Creators, then ASINs, whose commission share rose by `min_rise_points` points or more between the
    `window_days` days before the last ones and the last ones (periods as in `conversion_drop`), with `min_revenue`
    of attributed revenue in each; the largest rises first, at most DETAIL_FINDINGS_PER_KIND of each. The
    product-line rule (`commission_share_drift`) says why a line moved; this one names who and what."""

    def rise(rows: pd.DataFrame) -> pd.Series:
        points = _points(rows["commission_share_now"] - rows["commission_share_before"])
        enough = (rows["revenue_before"] >= min_revenue) & (rows["revenue_now"] >= min_revenue)
        return points.where((points >= min_rise_points) & enough)

    periods = (_days(as_of, window_days, days_before=window_days), _days(as_of, window_days))
    # The catalog's rates in force at the end of each period: whether an ASIN's rise is a rate the brand raised.
    rates: list[pd.DataFrame] = []

    def asin_action(asin: str) -> str:
        if not rates:
            rates.extend(rates_in_force(con, end).set_index("asin") for _, end in periods)
        columns = ["standard_rate", "bonus_rate"]
        before, after = (frame.reindex([asin])[columns] for frame in rates)
        known = bool(before.notna().any(axis=1).iloc[0] and after.notna().any(axis=1).iloc[0])
        moved = float(after.fillna(0).sum(axis=1).iloc[0] - before.fillna(0).sum(axis=1).iloc[0])
        if known and round(moved, _PRECISION) == 0:
            return (
                f"The catalog shows no rate change on {asin}: more of its sales went through campaigns or creators "
                "paid at higher rates. Open it on the Products page to see which, and whether those sales are worth "
                "the higher rate."
            )
        if known and moved > 0:
            return f"Its rate was raised in the catalog: check that {asin}'s orders grew with it."
        return f"Check whether {asin}'s bonus rate was raised on purpose, and whether its orders grew with it."

    def insight(by: str, name: str, row: Any) -> Insight:
        return Insight(
            rule="commission_drift_detail",
            severity="warning",
            title=(
                f"Commission share of {'' if by == 'creator' else 'ASIN '}{name}'s sales rose from "
                f"{_percent(row.commission_share_before)} to {_percent(row.commission_share_now)} over "
                f"{_last(window_days)} against the {window_days} days before ({_signed(row.size)} pts, "
                f"{_whole(row.revenue_now)} of revenue)."
            ),
            action=(
                f"Open {name} on the Creators page: their sales moved to products or campaigns paying higher bonuses, "
                "or rates rose on what they sell. Check it is the mix you meant to pay for."
                if by == "creator"
                else asin_action(name)
            ),
            page=_DETAIL_PAGES[by],
            subject=name,
        )

    return _per_creator_and_asin(con, as_of, window_days, ("revenue", "commission_share"), rise, insight)


def _top_creator_rows(
    con: duckdb.DuckDBPyConnection, as_of: date, n: int, window_days: int
) -> tuple[pd.DataFrame, float, int]:
    """The top `n` creators' rows, all creators' attributed revenue over the period, and how many had revenue."""
    creators = _creator_metrics(con, _period(as_of, window_days), ("revenue",))
    earning = creators[creators["revenue"] > 0]
    top = earning.sort_values(["revenue", "creator"], ascending=[False, True]).head(n)
    return top, float(creators["revenue"].sum()), len(earning)


def top_creators(
    con: duckdb.DuckDBPyConnection, as_of: date, n: int = TOP_CREATORS, *, window_days: int = CREATOR_WINDOW_DAYS
) -> list[str]:
    """The `n` creators with the most attributed revenue, highest first (ties by name).

    Period: the `window_days` days ending as_of (default 90: as_of − 89 … as_of); creators without revenue
    there are left out.
    """
    top, _, _ = _top_creator_rows(con, as_of, n, window_days)
    return top["creator"].tolist()


def top_creators_outreach(
    con: duckdb.DuckDBPyConnection, as_of: date, *, n: int = TOP_CREATORS, window_days: int = CREATOR_WINDOW_DAYS
) -> list[Insight]:
    """The rule `top_creators`: one insight naming `top_creators(con, as_of, n)` as outreach targets.

    Period: the `window_days` days ending as_of (default 90: as_of − 89 … as_of). No insight when no creator
    has revenue there. Subject: the creators' names, comma-separated, highest revenue first.
    """
    top, total, sellers = _top_creator_rows(con, as_of, n, window_days)
    if top.empty:
        return []
    names = ", ".join(f"{row.creator} ({_whole(row.revenue)})" for row in top.itertuples(index=False))
    if len(top) == sellers:
        # Every creator who sold is among them: "your top 4 brought in 100.0 %" says nothing a small program needs.
        who = "Only one creator" if len(top) == 1 else f"Only {len(top)} creators"
        title = f"{who} had attributed revenue over {_over(con, as_of, window_days)}: {names}."
        action = (
            "Every creator who sells your brand is named here: offer them your launches first, and invite more through "
            "Creator Connections, since a program this small rests on a few."
        )
    else:
        who = "creator" if len(top) == 1 else f"{len(top)} creators"
        # Refunds can leave the program's revenue at or below its top creators' own: no share of it to give.
        brought = (
            f" brought in {_percent(float(top['revenue'].sum()) / total)} of attributed revenue" if total > 0 else ""
        )
        title = f"Your top {who}{brought} over {_over(con, as_of, window_days)}: {names}."
        action = "Reach out to them first with launches and higher-bonus offers: they already sell your brand."
    return [
        Insight(
            rule="top_creators",
            severity="opportunity",
            title=title,
            action=action,
            page="creators",
            subject=", ".join(top["creator"]),
        )
    ]


def creator_concentration(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    *,
    window_days: int = CREATOR_WINDOW_DAYS,
    max_share: float = CONCENTRATION_MAX_SHARE,
) -> list[Insight]:
    """One warning when the 5 highest-revenue creators brought in more than `max_share` of attributed revenue.

    Period: the `window_days` days ending as_of (default 90: as_of − 89 … as_of); the share is
    `top5_revenue_share` over it. Only with more than 5 creators with revenue there: with 5 or fewer the top five
    are everyone, which says the program is small, not that it leans on a few.
    """
    period = _period(as_of, window_days)
    share = top5_revenue_share(con, period.start, period.end)
    top, _, earning = _top_creator_rows(con, as_of, 5, window_days)
    if share is None or earning <= 5 or not round(share, _PRECISION) > max_share:
        return []
    names = ", ".join(f"{row.creator} ({_whole(row.revenue)})" for row in top.itertuples(index=False))
    return [
        Insight(
            rule="creator_concentration",
            severity="warning",
            title=(
                f"Your top 5 creators brought in {_percent(share)} of attributed revenue over "
                f"{_over(con, as_of, window_days)}, "
                f"the other {plural(earning - 5, 'creator')} {_percent(1 - share)}: {names}."
            ),
            action=(
                "Recruit and brief more creators, with a launch offer or a higher bonus on a few ASINs: losing one of "
                "these five would cut the channel's revenue sharply."
            ),
            page="creators",
            subject=", ".join(top["creator"]),
        )
    ]


def no_new_creators(con: duckdb.DuckDBPyConnection, as_of: date, *, weeks: int = NEW_CREATOR_WEEKS) -> list[Insight]:
    """One warning when no creator clicked for the first time in the last `weeks` reporting weeks.

    The weeks are as_of's own (Sunday to as_of) and the `weeks` − 1 before it (default 6: from the Sunday 35 days
    before as_of's week starts); "for the first time" is over all stored performance (`program_health`). No
    warning when no creator was active in those weeks either: a store without clicks says nothing about
    recruiting; nor while the data starts less than `NEW_CREATOR_HISTORY_WEEKS` weeks before the weeks do: every
    creator's first click is then the first days of the data, and "recruited earlier" would say nothing.
    """
    first_week = _first_of_weeks(as_of, weeks)
    span = data_range(con)
    if span is None or span[0] > first_week - timedelta(weeks=NEW_CREATOR_HISTORY_WEEKS):
        return []
    health = program_health(con, first_week, as_of)
    if health.empty or health["creators_new"].sum() > 0 or health["creators_active"].sum() == 0:
        return []
    # Those active over all the weeks: the latest week may be a day old, and few of them will have clicked in it.
    active = creators_active(con, first_week, as_of)
    those = {1: "the one creator active in them was", 2: "both creators active in them were"}
    return [
        Insight(
            rule="no_new_creators",
            severity="warning",
            title=(
                f"No new creator has clicked through in the last {weeks} weeks (since {day_words(first_week)}): "
                f"{those.get(active, f'all {active:,} creators active in them were')} recruited earlier."
            ),
            action=(
                "Invite creators through Creator Connections with a launch or a higher bonus: the program runs on "
                "the creators it already has, and some lapse every month."
            ),
            page="creators",
            subject="new creators",
        )
    ]


RULE_FUNCTIONS: dict[str, Rule] = {
    "commission_share_drift": commission_share_drift,
    "conversion_drop": conversion_drop,
    "commission_drift_detail": commission_drift_detail,
    "launch_starved": launch_starved,
    "clicks_no_purchases": clicks_no_purchases,
    "low_new_to_brand": low_new_to_brand,
    "low_creator_payout": low_creator_payout,
    "stale_bonus_rate": stale_bonus_rate,
    "creator_concentration": creator_concentration,
    "no_new_creators": no_new_creators,
    "top_creators": top_creators_outreach,
    "revenue_up_rank_flat": revenue_up_rank_flat,
}


def weekly_insights(con: duckdb.DuckDBPyConnection, as_of: date) -> list[Insight]:
    """All rules with their default thresholds, most important first.

    `as_of` = last day of data considered (the app passes the store's latest performance date). Order:
    warnings, then opportunities, then information; within a severity by the order of RULES; within a rule
    as the rule orders its findings (largest first).
    """
    with amounts_in(store_currency(con)):  # the sentences' amounts, in the brand's currency
        found = [insight for rule in RULES for insight in RULE_FUNCTIONS[rule](con, as_of)]
    return sorted(found, key=lambda i: (SEVERITIES.index(i.severity), RULES.index(i.rule)))


# The store keeps the review of its latest data as the `findings` table, worked out after every change to the data
# commits (`store.changes`): the Overview reads it instead of running every rule on a first visit. It is stamped
# with the data version it describes and with RULES_VERSION, and read only while both still hold, so a page never
# shows findings of other data than its own (it works them out itself meanwhile).
_FINDING_FIELDS = tuple(f.name for f in fields(Insight))
# Raise whenever a rule's logic or wording changes: stores keep findings worked out by the rules of this version.
RULES_VERSION = "22"


# The days each rule's finding is about (its later period, for a rule comparing it with as many days before): the
# rules' own windows. A rule missing here is about no period (the catalog's payouts) or about each ASIN's
# activation (organic rank), which a page's period does not choose.
_WINDOW_DAYS = {
    "commission_share_drift": COMMISSION_DRIFT_WINDOW_DAYS,
    "conversion_drop": DETAIL_WINDOW_DAYS,
    "commission_drift_detail": DETAIL_WINDOW_DAYS,
    "launch_starved": LAUNCH_SHARE_WINDOW_DAYS,
    "clicks_no_purchases": CREATOR_WINDOW_DAYS,
    "low_new_to_brand": CREATOR_WINDOW_DAYS,
    "stale_bonus_rate": STALE_RATE_WINDOW_DAYS,
    "creator_concentration": CREATOR_WINDOW_DAYS,
    "top_creators": CREATOR_WINDOW_DAYS,
}


def finding_window(rule: str, as_of: date) -> tuple[date, date] | None:
    """The days the finding of `rule` over data up to `as_of` is about, for the link that opens its page on them:
    the page then shows the finding's own figures, compared with the period just before as the rule compares them.
    None for a rule about no period."""
    if rule == "no_new_creators":  # whole reporting weeks, as_of's own and those before it
        return _first_of_weeks(as_of, NEW_CREATOR_WEEKS), as_of
    days = _WINDOW_DAYS.get(rule)
    return _days(as_of, days) if days is not None else None


def commission_drift_periods(as_of: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The two periods `commission_share_drift` compares as of `as_of` (before, then now): the page that explains a
    finding works its ASINs' parts out over the same days."""
    window = COMMISSION_DRIFT_WINDOW_DAYS
    return _days(as_of, window, days_before=window), _days(as_of, window)


def _last_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The store's last day of performance data: the review's as-of day."""
    span = data_range(con)
    return span[1] if span else None


def keep_findings(con: duckdb.DuckDBPyConnection) -> bool:
    """Replace the `findings` table with `weekly_insights` as of the store's last day of performance data.

    Worked out outside any transaction (a long read that blocks no writer), then written in a short one only if the
    data has not changed meanwhile. Returns whether they were written.
    """
    version = data_version(con)
    as_of = _last_day(con)
    found = weekly_insights(con, as_of) if as_of else []
    columns = {field: [getattr(insight, field) for insight in found] for field in _FINDING_FIELDS}

    def write() -> bool:
        if data_version(con) != version:
            return False
        # One list per column, unnested side by side: one statement however many findings there are.
        con.execute("delete from findings")
        con.execute(
            f"""
            insert into findings (position, {", ".join(_FINDING_FIELDS)})
            select
                unnest(range(len($rule::varchar[]))),
                {", ".join(f"unnest(${field}::varchar[])" for field in _FINDING_FIELDS)}
            """,
            columns,
        )
        con.execute("insert or replace into meta values ('findings_rules', $v)", {"v": RULES_VERSION})
        con.execute("insert or replace into meta values ('findings_version', $v)", {"v": str(version)})
        return True

    return in_transaction(con, write)


def kept_findings(con: duckdb.DuckDBPyConnection) -> list[Insight] | None:
    """The findings the store keeps, in their order, or None when they describe other data or other rules than
    these (then the caller works them out with `weekly_insights`)."""
    stamps = dict(
        con.execute("select key, value from meta where key in ('findings_rules', 'findings_version')").fetchall()
    )
    if stamps != {"findings_rules": RULES_VERSION, "findings_version": str(data_version(con))}:
        return None
    rows = con.execute(f"select {', '.join(_FINDING_FIELDS)} from findings order by position").fetchall()
    return [Insight(*row) for row in rows]


def current_findings(con: duckdb.DuckDBPyConnection) -> tuple[list[Insight], date | None]:
    """The review of the store's latest data, and the day it runs to: what the Overview shows and every report
    carries, whatever period they cover. The kept findings, or, while a committed change's are still being worked
    out, the same worked out now."""
    as_of = _last_day(con)
    kept = kept_findings(con)
    if kept is not None:
        return kept, as_of
    return (weekly_insights(con, as_of) if as_of else []), as_of


def findings_frame(insights: list[Insight]) -> pd.DataFrame:
    """The findings as a table, in their order: severity in words, the finding, what to do, and its subject."""
    return pd.DataFrame(
        {
            "severity": [SEVERITY_WORDS[i.severity] for i in insights],
            "finding": [i.title for i in insights],
            "action": [i.action for i in insights],
            "subject": [i.subject for i in insights],
        },
        columns=["severity", "finding", "action", "subject"],
    )
