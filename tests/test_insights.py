"""The weekly diagnostics: each rule on a tiny fixture that triggers it and one that does not, worked by hand.

All fixtures end on AS_OF = 2026-03-31; `day(n)` is the date n days before it, so "the 90 days ending as_of"
are day(89) … day(0) and day(90) is the first day outside them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from analytics.review import insights
from analytics.review.insights import (
    RULES,
    SEVERITIES,
    Insight,
    _tenths_apart,
    clicks_no_purchases,
    commission_drift_detail,
    commission_share_drift,
    conversion_drop,
    kept_findings,
    launch_starved,
    low_creator_payout,
    low_new_to_brand,
    revenue_up_rank_flat,
    top_creators,
    top_creators_outreach,
    weekly_insights,
)
from analytics.store import changes
from analytics.store.changes import load_file, unload
from analytics.store.database import open_store
from analytics.words import day_words

AS_OF = date(2026, 3, 31)

Row = dict[str, object]
Store = Callable[..., duckdb.DuckDBPyConnection]


def day(n: int) -> str:
    return (AS_OF - timedelta(days=n)).isoformat()


def shown_day(n: int) -> str:
    """`day(n)` as a finding writes it: Mar 31, 2026."""
    return f"{AS_OF - timedelta(days=n):%b %-d, %Y}"


def write_csv(path: Path, rows: list[Row]) -> None:
    header = list(dict.fromkeys(name for row in rows for name in row))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Builds the store from tables given as lists of rows: store(products=[...], performance=[...], ...)."""
    connections: list[duckdb.DuckDBPyConnection] = []

    def build(**tables: list[Row]) -> duckdb.DuckDBPyConnection:
        con = open_store(tmp_path / "t.duckdb")
        connections.append(con)
        for kind in ("products", "performance", "orders", "ranks", "sales"):
            if kind in tables:
                path = tmp_path / f"{kind}.csv"
                write_csv(path, tables[kind])
                load_file(con, path, kind=kind)
        return con

    yield build
    for con in connections:
        con.close()


def product(asin: str, line: str = "Hydration", **columns: object) -> Row:
    return {"asin": asin, "product_line": line, **columns}


def perf(
    when: str,
    creator: str,
    asin: str,
    clicks: int = 0,
    orders: int = 0,
    revenue: float = 0,
    commission: float = 0,
) -> Row:
    return {
        "date": when,
        "campaign": "Spring",
        "creator": creator,
        "asin": asin,
        "clicks": clicks,
        "orders": orders,
        "revenue": revenue,
        "commission": commission,
    }


def order_lines(creator: str, count: int, new_to_brand: int, when: str | None = None) -> list[Row]:
    """`count` one-line orders of $10 for `creator` ("" = unattributed), the first `new_to_brand` of them NTB."""
    prefix = creator or "none"
    return [
        {
            "order_id": f"{prefix}-{when or 'in'}-{i}",
            "order_date": when or day(i),
            "customer_id": f"cust-{prefix}-{when or 'in'}-{i}",
            "asin": "B0HYDRA001",
            "revenue": 10,
            "creator": creator,
            "new_to_brand": "yes" if i < new_to_brand else "no",
        }
        for i in range(count)
    ]


def rank(when: str, asin: str, organic_rank: object, keyword: str = "electrolyte powder") -> Row:
    return {"date": when, "asin": asin, "keyword": keyword, "organic_rank": organic_rank}


# commission_share_drift ------------------------------------------------------------------------------------


# The catalog's rate history: B0HYDRA001's bonus raised from 7 % to 9 % (with a 3 % standard rate) on day 41, the
# first day of the last 6 weeks.
RAISED_FROM_DAY_41 = [
    product("B0HYDRA001", standard_rate="0.03", bonus_rate="0.07", effective_date=day(120)),
    product("B0HYDRA001", standard_rate="0.03", bonus_rate="0.09", effective_date=day(41)),
]


def test_a_rise_whose_parts_tenths_would_misstate_is_written_in_hundredths(store: Store) -> None:
    """Hydration: before, B0HYDRA001 $600 / $60 (10 %) and B0HYDRA002 $600 / $40 (6.67 %), 8.33 %; now $100 / $20
    (20 %) and $1,100 / $120 (10.91 %), 11.67 %. Rate = 100/1200 × 10 + 1100/1200 × 4.24 = 0.83 + 3.89 = 4.72 pts; mix
    = (100/1200 − ½) × 10 + (1100/1200 − ½) × 6.67 = −1.39 pts. In tenths the rise reads 8.3 % to 11.7 %, +3.4, and
    the parts 4.7 and −1.4 rounded to add up to it made the rate +4.8 beside its ASINs' +3.9 and +0.8: written in
    hundredths, as the Products page then writes it, they add up and each is its own."""
    con = store(
        products=[product("B0HYDRA001"), product("B0HYDRA002")],
        performance=[
            perf(day(50), "Ana", "B0HYDRA001", revenue=600, commission=60),
            perf(day(50), "Ana", "B0HYDRA002", revenue=600, commission=40),
            perf(day(10), "Ana", "B0HYDRA001", revenue=100, commission=20),
            perf(day(10), "Ana", "B0HYDRA002", revenue=1100, commission=120),
        ],
    )
    [finding] = commission_share_drift(con, AS_OF)
    assert "rose from 8.3% to 11.7% over the last 6 weeks against the 42 days before (+3.33 pts: +4.72 from " in (
        finding.title
    )
    assert "-1.39 from mix); the rate rise is on B0HYDRA002 (+3.89 pts) and B0HYDRA001 (+0.83 pts)." in finding.title


def test_commission_share_rise_of_two_points_is_flagged(store: Store) -> None:
    """Hydration, previous 6 weeks (day 83 … day 42) vs the last 6 weeks (day 41 … day 0).

    before: day 42, revenue 1000, commission 100 -> 10.0%  (day 42 is the previous period's last day)
    now:    day 41, 100 / 30 and day 0, 900 / 90 -> 120 / 1000 = 12.0%
    rise = 2.0 points, exactly the threshold: flagged. One ASIN sells in both periods (weight 1): the whole rise is
    its rate, 10% -> 12%. In floats 0.12 - 0.10 = 0.0199999…, which a raw
    comparison would miss; with day 42 counted in the current period the line would have no previous share.
    """
    con = store(
        products=RAISED_FROM_DAY_41,
        performance=[
            perf(day(42), "Ana", "B0HYDRA001", revenue=1000, commission=100),
            perf(day(41), "Ana", "B0HYDRA001", revenue=100, commission=30),
            perf(day(0), "Ana", "B0HYDRA001", revenue=900, commission=90),
        ],
    )
    assert commission_share_drift(con, AS_OF) == [
        Insight(
            rule="commission_share_drift",
            severity="warning",
            title=(
                "Commission share in Hydration rose from 10.0% to 12.0% over the last 6 weeks against the 42 days before "
                "(+2.0 pts: +2.0 from higher bonus rates on 1 ASIN); the rate rise is on B0HYDRA001 (+2.0 pts)."
            ),
            action=(
                "The rise comes from the bonus rates raised on those ASINs, yet Hydration's attributed revenue stayed "
                "at $1,000 over the same weeks: the higher bonuses have not brought more sales, so consider rolling "
                "them back. Open Hydration on the Products page for each ASIN's rate history and the creators behind "
                "the sales."
            ),
            page="products",
            subject="Hydration",
        )
    ]


def test_a_rise_from_raised_bonuses_weighs_them_against_the_lines_revenue(store: Store) -> None:
    """Bonuses the brand raised make the whole rise (10% -> 12% on the one ASIN): whether to keep them follows the
    line's revenue over the same weeks. Revenue 1000 -> 1250 (+25.0%) for commission 100 -> 150 ($50 more): keep
    them if worth it; 1000 -> 800 (-20.0%): roll them back."""
    rows = [perf(day(42), "Ana", "B0HYDRA001", revenue=1000, commission=100)]
    grew = store(
        products=RAISED_FROM_DAY_41,
        performance=[*rows, perf(day(0), "Ana", "B0HYDRA001", revenue=1250, commission=150)],
    )
    [finding] = commission_share_drift(grew, AS_OF)
    assert finding.action.startswith(
        "The rise comes from the bonus rates raised on those ASINs, and Hydration's attributed revenue rose 25.0% "
        "($1,000 → $1,250) over the same weeks for $50 more commission: keep the higher bonuses if those sales are "
        "worth it. "
    )
    fell = store(
        products=RAISED_FROM_DAY_41,
        performance=[*rows, perf(day(0), "Ana", "B0HYDRA001", revenue=800, commission=96)],
    )
    [finding] = commission_share_drift(fell, AS_OF)
    assert "Hydration's attributed revenue fell 20.0% ($1,000 → $800) over the same weeks: the higher" in finding.action


def test_a_rise_from_sales_moving_to_a_higher_paid_campaign_is_not_called_a_bonus_change(store: Store) -> None:
    """Always-on pays 10 % and an event 20 % on the same ASIN, and the catalog's rates never move: the event's share
    of the sales grew (before: 900 always-on / 100 event = 11.0 %; now: 500 / 500 = 15.0 %). The ASIN's own rate
    rose, all rate effect, +4.0 pts, but no bonus was raised: the finding says so and points at the campaigns,
    rather than suggesting a roll-back of a raise nobody made."""
    con = store(
        products=[product("B0HYDRA001", standard_rate="0.03", bonus_rate="0.07", effective_date=day(200))],
        performance=[
            perf(day(42), "Ana", "B0HYDRA001", revenue=900, commission=90),
            {**perf(day(42), "Ben", "B0HYDRA001", revenue=100, commission=20), "campaign": "Event"},
            perf(day(0), "Ana", "B0HYDRA001", revenue=500, commission=50),
            {**perf(day(0), "Ben", "B0HYDRA001", revenue=500, commission=100), "campaign": "Event"},
        ],
    )
    [finding] = commission_share_drift(con, AS_OF)
    assert "(+4.0 pts: +4.0 from more commission per sale on 1 ASIN, with no rate change in the catalog)" in (
        finding.title
    )
    assert finding.action.startswith(
        "The catalog shows no rate change on those ASINs, so more of their sales went through campaigns or creators "
        "paid at higher rates"
    )


def test_a_rise_partly_from_a_raised_bonus_and_partly_from_a_campaign_says_which_asin_is_which(store: Store) -> None:
    """B0HYDRA001's bonus is raised from 7 % to 9 % on day 41 (10 % -> 12 % of its sales); B0HYDRA002's rate never
    moves, but its sales went to an event paying 20 % (900 at 10 % + 100 at 20 % = 11 % -> 500 + 500 = 15 %). Each
    ASIN weighs half of the line: rate effect .5 x 2 + .5 x 4 = +3.0 pts. The finding no longer blames "higher
    commission rates" on both: it says which rate the catalog raised and which did not change."""
    con = store(
        products=[
            *RAISED_FROM_DAY_41,
            product("B0HYDRA002", standard_rate="0.03", bonus_rate="0.07", effective_date=day(200)),
        ],
        performance=[
            perf(day(42), "Ana", "B0HYDRA001", revenue=1000, commission=100),
            perf(day(42), "Ana", "B0HYDRA002", revenue=900, commission=90),
            {**perf(day(42), "Ben", "B0HYDRA002", revenue=100, commission=20), "campaign": "Event"},
            perf(day(0), "Ana", "B0HYDRA001", revenue=1000, commission=120),
            perf(day(0), "Ana", "B0HYDRA002", revenue=500, commission=50),
            {**perf(day(0), "Ben", "B0HYDRA002", revenue=500, commission=100), "campaign": "Event"},
        ],
    )
    [finding] = commission_share_drift(con, AS_OF)
    assert (
        "(+3.0 pts: +3.0 from more commission per sale on 2 ASINs, 1 with its rate raised in the catalog); the rate "
        "rise is on B0HYDRA002 (+2.0 pts, no rate change) and B0HYDRA001 (+1.0 pts, rate raised)."
    ) in finding.title, finding.title
    assert finding.action.startswith("The catalog shows the bonus raised on some of those ASINs")


def test_a_rise_from_the_mix_of_asins_sold_points_to_the_products_page(store: Store) -> None:
    """No rate changed: 10% on A and 20% on B both periods, and the sales moved from A to B (A 900 / B 100 ->
    A 100 / B 900: 11.0% -> 19.0%, all mix). Nothing the brand raised to roll back: where to look instead."""
    con = store(
        products=[product("B0HYDRA001"), product("B0HYDRA002")],
        performance=[
            perf(day(42), "Ana", "B0HYDRA001", revenue=900, commission=90),
            perf(day(42), "Ana", "B0HYDRA002", revenue=100, commission=20),
            perf(day(0), "Ana", "B0HYDRA001", revenue=100, commission=10),
            perf(day(0), "Ana", "B0HYDRA002", revenue=900, commission=180),
        ],
    )
    [finding] = commission_share_drift(con, AS_OF)
    assert "+8.0 pts: +8.0 from mix" in finding.title
    assert finding.action == (
        "Open Hydration on the Products page to find the ASINs and creators behind the rise: a bonus rate set too "
        "high, or content that stopped converting."
    )


def test_commission_share_rise_under_two_points_is_not_flagged(store: Store) -> None:
    """Hydration rises 1.9 points; Protein has no previous period.

    Hydration before: day 42, 1000 / 100 -> 10.0%; day 84 (1000 revenue, 0 commission) is outside both periods.
    Hydration now: day 41, 100 / 30 (30%) and day 0, 900 / 89 (9.9%) -> 119 / 1000 = 11.9%: rise 1.9, not flagged.
    Traps: the average of daily rates, (30% + 9.9%) / 2 = 19.95%, would rise 9.95 points; a 43-day previous
    period takes in day 84, 100 / 2000 = 5.0%, a 6.9-point rise. Protein sells only now (50 / 100): with no
    share before it is skipped, not read as a rise from 0% to 50%.
    """
    con = store(
        products=[product("B0HYDRA001"), product("B0PROTEIN1", "Protein")],
        performance=[
            perf(day(84), "Ana", "B0HYDRA001", revenue=1000, commission=0),
            perf(day(42), "Ana", "B0HYDRA001", revenue=1000, commission=100),
            perf(day(41), "Ana", "B0HYDRA001", revenue=100, commission=30),
            perf(day(0), "Ana", "B0HYDRA001", revenue=900, commission=89),
            perf(day(0), "Ana", "B0PROTEIN1", revenue=100, commission=50),
        ],
    )
    assert commission_share_drift(con, AS_OF) == []


# revenue_up_rank_flat --------------------------------------------------------------------------------------

# Activated on day 60 with the default 28-day window: rank before = median over day 88 … day 61, rank after =
# median over day 60 … day 33. Revenue: now = day 27 … day 0, before = day 55 … day 28.
RANKED_PRODUCTS = [
    product("B0FLATRANK", title="Flat Mix", activation_date=day(60)),
    product("B0RISERANK", activation_date=day(60)),
    product("B0NORANKS1", activation_date=day(60)),
    product("B0NEWSALES", activation_date=day(60)),
]
FLAT_RANKS = [
    rank(day(70), "B0FLATRANK", 9),
    rank(day(65), "B0FLATRANK", 11),
    rank(day(50), "B0FLATRANK", 10),
    rank(day(40), "B0FLATRANK", ">306"),
]


def test_revenue_up_with_unchanged_rank_is_flagged(store: Store) -> None:
    """B0FLATRANK: revenue before = 500 (day 28) + 300 (day 40) = 800, now = 900 (day 27): up 12.5%.
    Rank before = median(9, 11) = 10; after = median(10) = 10, the ">306" (not ranked) day left out;
    change = 0, which is "not moved up": flagged. Counting not-ranked as 0 would give after = median(10, 0) = 5
    and a change of +5, hiding it.

    B0NEWSALES: no revenue before (counts as $0, not a missing row), $500 now (day 0); rank 10 -> 11: -1.
    Largest growth first: B0NEWSALES (+500), then B0FLATRANK (+100).
    """
    con = store(
        products=RANKED_PRODUCTS,
        performance=[
            perf(day(40), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=300),
            perf(day(28), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=500),
            perf(day(27), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=900),
            perf(day(0), "Ana", "B0NEWSALES", clicks=10, orders=1, revenue=500),
        ],
        ranks=[*FLAT_RANKS, rank(day(70), "B0NEWSALES", 10), rank(day(50), "B0NEWSALES", 11)],
    )
    insights = revenue_up_rank_flat(con, AS_OF)
    assert [(i.rule, i.severity, i.page, i.subject) for i in insights] == [
        ("revenue_up_rank_flat", "info", "organic_rank", "B0NEWSALES"),
        ("revenue_up_rank_flat", "info", "organic_rank", "B0FLATRANK"),
    ]
    assert insights[0].title == (
        "Attributed revenue for B0NEWSALES rose from $0 to $500 over the last 4 weeks, but its organic rank has "
        "not moved up since activation (median 1 place down across 1 keyword)."
    )
    assert insights[1].title == (
        "Attributed revenue for B0FLATRANK (Flat Mix) rose 12.5% ($800 → $900) over the last 4 weeks, but its "
        "organic rank has not moved up since activation (median change of 0 across 1 keyword)."
    )


def test_a_flat_median_rank_says_how_many_keywords_moved_up_all_the_same(store: Store) -> None:
    """B0FLATRANK's three keywords: 10 -> 8 (2 up), 10 -> 11 (1 down), 10 -> 10: median change 0, flagged, and one
    keyword of the three did move up, which the Organic rank page's table shows beside the finding."""
    con = store(
        products=RANKED_PRODUCTS,
        performance=[
            perf(day(40), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=300),
            perf(day(27), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=900),
        ],
        ranks=[
            rank(day(70), "B0FLATRANK", 10, "whey"),
            rank(day(50), "B0FLATRANK", 8, "whey"),
            rank(day(70), "B0FLATRANK", 10, "protein"),
            rank(day(50), "B0FLATRANK", 11, "protein"),
            rank(day(70), "B0FLATRANK", 10, "shake"),
            rank(day(50), "B0FLATRANK", 10, "shake"),
        ],
    )
    [insight] = revenue_up_rank_flat(con, AS_OF)
    assert insight.title.endswith(
        "its organic rank has not moved up since activation (median change of 0 across 3 keywords, 1 of them up)."
    )


def test_revenue_up_with_rank_risen_or_unmeasured_is_not_flagged(store: Store) -> None:
    """Three ASINs, none flagged.

    B0FLATRANK: rank change 0 as above, but revenue before = 500 (day 28) + 400 (day 40) = 900 and now = 900
      (day 27): no growth. Counting day 28 in the current period would give 1400 vs 400.
    B0RISERANK: $0 -> $500, rank 12 (day 70) -> 11 (day 50): change +1, it moved up.
    B0NORANKS1: $0 -> $500, rank 5 before but only ">306" after: change not measured (null), not read as ≤ 0.
    """
    con = store(
        products=RANKED_PRODUCTS,
        performance=[
            perf(day(40), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=400),
            perf(day(28), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=500),
            perf(day(27), "Ana", "B0FLATRANK", clicks=10, orders=1, revenue=900),
            perf(day(0), "Ana", "B0RISERANK", clicks=10, orders=1, revenue=500),
            perf(day(0), "Ana", "B0NORANKS1", clicks=10, orders=1, revenue=500),
        ],
        ranks=[
            *FLAT_RANKS,
            rank(day(70), "B0RISERANK", 12),
            rank(day(50), "B0RISERANK", 11),
            rank(day(70), "B0NORANKS1", 5),
            rank(day(50), "B0NORANKS1", ">306"),
        ],
    )
    assert revenue_up_rank_flat(con, AS_OF) == []


# low_creator_payout ----------------------------------------------------------------------------------------


def test_payout_under_a_dollar_or_price_under_fifteen_is_flagged(store: Store) -> None:
    """B0PAYOUT01: $20.00 × (missing standard = 0 + 4% bonus) = $0.80 < $1.00. A missing standard rate must
    count as 0, not make the payout null (which would hide it). The bonus that reaches $1.00: 1 / 20 = 5.0%.
    B0CHEAP001: $14.99 × (3% + 10%) = $1.95, fine, but the price is under $15.
    Lowest payout first.
    """
    con = store(
        products=[
            product("B0PAYOUT01", price="20.00", bonus_rate="4%"),
            product("B0CHEAP001", title="Travel Sachet", price="14.99", standard_rate="3%", bonus_rate="10%"),
        ]
    )
    insights = low_creator_payout(con, AS_OF)
    assert [(i.rule, i.severity, i.page, i.subject) for i in insights] == [
        ("low_creator_payout", "warning", "products", "B0PAYOUT01"),
        ("low_creator_payout", "warning", "products", "B0CHEAP001"),
    ]
    assert insights[0].title == (
        "Creators see $0.80 per sale ($20.00 × 4.0% bonus; the standard commission rate is missing from the "
        "catalog, so this excludes it) on B0PAYOUT01, under the $1.00 they tend to skip."
    )
    assert insights[0].action == (
        "Raise the bonus rate from 4.0% to at least 5.0% so creators see $1.00 per sale (or add the standard rate to the "
        "catalog: it may already close the gap)."
    )
    assert insights[1].title == (
        "B0CHEAP001 (Travel Sachet) sells for $14.99, under $15.00: creators see $1.95 per sale "
        "($14.99 × (3.0% standard + 10.0% bonus))."
    )


def test_payout_of_exactly_a_dollar_at_fifteen_dollars_is_not_flagged(store: Store) -> None:
    """B0EXACT001: $20.00 × (2% + 3%) = $1.00, not under $1.00.
    B0PRICE015: $15.00 × (3% + 5%) = $1.20, and $15.00 is not under $15.
    B0NOBONUS1: $30.00 with no bonus rate: no payout figure to judge, and the price is fine.
    """
    con = store(
        products=[
            product("B0EXACT001", price="20.00", standard_rate="0.02", bonus_rate="0.03"),
            product("B0PRICE015", price="$15.00", standard_rate="3%", bonus_rate="5%"),
            product("B0NOBONUS1", price="30.00", standard_rate="3%"),
        ]
    )
    assert low_creator_payout(con, AS_OF) == []


def test_a_cheap_product_without_a_bonus_rate_is_not_said_to_show_creators_no_payout(store: Store) -> None:
    """B0NORATE12: $12.99 with no bonus rate in the catalog (a listings report gives prices alone). Flagged for its
    price; it said "creators see no payout figure", which reads as Amazon showing creators nothing, where it is this
    catalog that cannot work the payout out."""
    con = store(products=[product("B0NORATE12", price="12.99", standard_rate="3%")])
    [insight] = low_creator_payout(con, AS_OF)
    assert insight.title == (
        "B0NORATE12 sells for $12.99, under $15.00: a price creators tend to pass over (its payout per sale is not "
        "worked out here: the catalog has no bonus rate for it)."
    )


# launch_starved --------------------------------------------------------------------------------------------


def test_launch_under_ten_percent_beside_a_hero_over_sixty_is_flagged(store: Store) -> None:
    """Hydration over day 89 … day 0: hero 810, launch 90 (on day 89), other 100 = 1000.

    Launch (launched day 59, inside the 60 days day 59 … day 0) 9.0% < 10%; hero 81.0% > 60%: flagged.
    Traps: Protein's 3000 in the same period makes the hero's share of *all* revenue 810 / 4000 = 20.25%;
    the launch's 500 on day 90 would lift it to 590 / 1500 = 39.3% in a 91-day period.
    A second launch (day 0) without any creator revenue has a share of 0.0%, not none: flagged first.
    """
    con = store(
        products=[
            product("B0HEROHYD1", title="Classic", launch_date="2024-01-01"),
            product("B0LAUNCH01", title="New Flavor", launch_date=day(59)),
            product("B0OTHERHY1", launch_date="2024-06-01"),
            product("B0LAUNCH02", launch_date=day(0)),
            product("B0PROTEIN1", "Protein"),
        ],
        performance=[
            perf(day(90), "Ana", "B0LAUNCH01", revenue=500),
            perf(day(89), "Ana", "B0LAUNCH01", revenue=90),
            perf(day(10), "Ana", "B0OTHERHY1", revenue=100),
            perf(day(0), "Ana", "B0HEROHYD1", revenue=810),
            perf(day(0), "Ana", "B0PROTEIN1", revenue=3000),
        ],
    )
    [unsold, starved] = launch_starved(con, AS_OF)
    assert unsold.subject == "B0LAUNCH02"
    assert unsold.title.startswith(f"Launch B0LAUNCH02, on sale since {shown_day(0)}, took 0.0% of Hydration's")
    assert [starved] == [
        Insight(
            rule="launch_starved",
            severity="warning",
            title=(
                f"Launch B0LAUNCH01 (New Flavor), on sale since {shown_day(59)}, took 9.0% of Hydration's creator revenue "
                "over the last 90 days, while B0HEROHYD1 (Classic) took 81.0%."
            ),
            action=(
                "Raise the bonus on B0LAUNCH01 or ask the creators selling B0HEROHYD1 to feature it: the hero SKU "
                "is taking the line's creator traffic."
            ),
            page="products",
            subject="B0LAUNCH01",
        )
    ]


@pytest.mark.parametrize(
    ("launch_rate", "advice"),
    [
        # Above the hero's 10 %: a higher bonus is not the lever, the creators and the listing are.
        (
            0.20,
            "Its bonus, 20.0%, is already the highest in Hydration: ask the creators selling B0HEROHYD1 to feature it, "
            "and check its listing (price, reviews, Buy Box).",
        ),
        # Tied with it: a higher bonus would set the launch apart, so the advice to raise it stands.
        (0.10, "Raise the bonus on B0LAUNCH01 or ask the creators selling B0HEROHYD1 to feature it"),
    ],
)
def test_a_starved_launch_is_told_to_raise_its_bonus_unless_it_is_its_lines_highest(
    store: Store, launch_rate: float, advice: str
) -> None:
    con = store(
        products=[
            product("B0HEROHYD1", launch_date="2024-01-01", bonus_rate=0.10),
            product("B0LAUNCH01", launch_date=day(59), bonus_rate=launch_rate),
        ],
        performance=[perf(day(89), "Ana", "B0LAUNCH01", revenue=50), perf(day(0), "Ana", "B0HEROHYD1", revenue=950)],
    )
    [starved] = launch_starved(con, AS_OF)
    assert starved.action.startswith(advice)


def test_launch_at_ten_percent_or_hero_at_sixty_or_older_launch_is_not_flagged(store: Store) -> None:
    """Three lines over day 89 … day 0, none flagged.

    Hydration: hero 700, launch (day 59) 100, other 200: the launch has exactly 10.0%, not under 10%.
    Protein: hero 600, launch (day 0) 50, other 350: the launch has 5.0% but the hero exactly 60.0%, not over.
    Pet: one ASIN with all 1000 and one launched on day 60 with none: day 60 is outside the 60 days
      day 59 … day 0, so it is not a launch (a 61-day launch window would flag its 0%).
    """
    con = store(
        products=[
            product("B0HEROHYD1"),
            product("B0LAUNCH01", launch_date=day(59)),
            product("B0OTHERHY1"),
            product("B0HEROPRO1", "Protein"),
            product("B0LAUNCH02", "Protein", launch_date=day(0)),
            product("B0OTHERPR1", "Protein"),
            product("B0HEROPET1", "Pet"),
            product("B0LAUNCH03", "Pet", launch_date=day(60)),
        ],
        performance=[
            perf(day(0), "Ana", "B0HEROHYD1", revenue=700),
            perf(day(0), "Ana", "B0LAUNCH01", revenue=100),
            perf(day(0), "Ana", "B0OTHERHY1", revenue=200),
            perf(day(0), "Ana", "B0HEROPRO1", revenue=600),
            perf(day(0), "Ana", "B0LAUNCH02", revenue=50),
            perf(day(0), "Ana", "B0OTHERPR1", revenue=350),
            perf(day(0), "Ana", "B0HEROPET1", revenue=1000),
        ],
    )
    assert launch_starved(con, AS_OF) == []


# clicks_no_purchases ---------------------------------------------------------------------------------------


def test_creator_with_two_hundred_clicks_and_no_orders_is_flagged(store: Store) -> None:
    """Ana over day 89 … day 0: 150 clicks on one ASIN (day 89) + 50 on another (day 0) = 200, 0 orders.

    Exactly the threshold: flagged. Traps: per ASIN she has 150 and 50, both under 200; her order on day 90
    would count in a 91-day period.
    """
    con = store(
        performance=[
            perf(day(90), "Ana", "B0HYDRA001", clicks=0, orders=1, revenue=20),
            perf(day(89), "Ana", "B0HYDRA001", clicks=150),
            perf(day(0), "Ana", "B0HYDRA002", clicks=50),
        ]
    )
    assert clicks_no_purchases(con, AS_OF) == [
        Insight(
            rule="clicks_no_purchases",
            severity="warning",
            title="Ana sent 200 clicks over the last 90 days and none became an order.",
            action=(
                "Check that the creator's links reach in-stock, correctly priced listings, then review the content "
                "with them: clicks without orders mean a broken link, a price shock or an audience that is not "
                "buying."
            ),
            page="creators",
            subject="Ana",
        )
    ]


def test_clicks_are_summed_across_asins_before_the_threshold(store: Store) -> None:
    """150 + 50 = 200 clicks, 0 orders, across two ASINs: flagged (a sum narrowed to a byte once gave -56)."""
    con = store(
        performance=[
            perf(day(90), "Ana", "B0HYDRA001", clicks=0, orders=1, revenue=20),
            perf(day(89), "Ana", "B0HYDRA001", clicks=150),
            perf(day(0), "Ana", "B0HYDRA002", clicks=50),
        ],
    )
    assert [i.subject for i in clicks_no_purchases(con, AS_OF)] == ["Ana"]


def test_creators_under_two_hundred_clicks_or_with_an_order_are_not_flagged(store: Store) -> None:
    """Ben: 199 clicks, 0 orders: under the threshold.
    Cy: 300 clicks and 0 orders on B0HYDRA001, but 1 order on B0HYDRA002: the creator has an order (a check
      per creator and ASIN would flag the first pair).
    Di: 250 clicks, and 1 order on day 89, the period's first day.
    """
    con = store(
        performance=[
            perf(day(0), "Ben", "B0HYDRA001", clicks=199),
            perf(day(5), "Cy", "B0HYDRA001", clicks=300),
            perf(day(5), "Cy", "B0HYDRA002", clicks=0, orders=1, revenue=20),
            perf(day(0), "Di", "B0HYDRA001", clicks=250),
            perf(day(89), "Di", "B0HYDRA001", clicks=0, orders=1, revenue=20),
        ]
    )
    assert clicks_no_purchases(con, AS_OF) == []


def sales(start: int, end: int, asin: str, sessions: int, buy_box: str) -> Row:
    """A sales row over day(start) … day(end)."""
    return {
        "period_start": day(start),
        "period_end": day(end),
        "asin": asin,
        "total_revenue": 1000,
        "total_units": 10,
        "sessions": sessions,
        "buy_box_pct": buy_box,
    }


def test_clicks_without_orders_name_a_low_buy_box_on_an_asin_the_creator_sent_clicks_to(store: Store) -> None:
    """Ana: 150 clicks on B0HYDRA001 and 50 on B0HYDRA002 over day 89 … day 0, no order: flagged.

    Buy Box over the sales periods inside those days, weighted by sessions:
    B0HYDRA001: (50% × 100 + 90% × 300) / 400 = 80.0%, not under 80% (the mean of the two rates, 70%, would be).
    B0HYDRA002: 60% × 100 / 100 = 60.0%, named; its week day 93 … day 87 crosses the first day, so it is left out
      (counted, it would give (60 + 900) / 1000 = 96%).
    B0OTHER001: 10%, but Ana sent it no clicks.
    """
    con = store(
        performance=[
            perf(day(89), "Ana", "B0HYDRA001", clicks=150),
            perf(day(0), "Ana", "B0HYDRA002", clicks=50),
            perf(day(0), "Ben", "B0OTHER001", clicks=5, orders=1, revenue=20),
        ],
        sales=[
            sales(83, 77, "B0HYDRA001", 100, "50%"),
            sales(6, 0, "B0HYDRA001", 300, "90%"),
            sales(13, 7, "B0HYDRA002", 100, "60%"),
            sales(93, 87, "B0HYDRA002", 900, "100%"),
            sales(13, 7, "B0OTHER001", 50, "10%"),
        ],
    )
    [finding] = clicks_no_purchases(con, AS_OF)
    assert finding.title == (
        "Ana sent 200 clicks over the last 90 days and none became an order, while B0HYDRA002, one of the ASINs they "
        "link to, held the Buy Box on only 60.0% of its sessions in those days."
    )


def test_a_starved_launch_names_its_low_buy_box(store: Store) -> None:
    """Hydration over day 89 … day 0: hero 900, launch (day 59) 50 of 950: 5.3% and 94.7%, flagged. The launch's
    one sales week (day 6 … day 0) held the Buy Box on 70% of its 200 sessions: under 80%, named."""
    con = store(
        products=[
            product("B0HEROHYD1", launch_date="2024-01-01"),
            product("B0LAUNCH01", launch_date=day(59)),
        ],
        performance=[
            perf(day(0), "Ana", "B0HEROHYD1", revenue=900),
            perf(day(0), "Ana", "B0LAUNCH01", revenue=50),
        ],
        sales=[sales(6, 0, "B0LAUNCH01", 200, "70%"), sales(6, 0, "B0HEROHYD1", 200, "50%")],
    )
    [finding] = launch_starved(con, AS_OF)
    assert finding.title == (
        f"Launch B0LAUNCH01, on sale since {shown_day(59)}, took 5.3% of Hydration's creator revenue over Mar 31, the "
        "one day the data holds, while B0HEROHYD1 took 94.7%, and it held the Buy Box on only 70.0% of its sessions "
        "in those days."
    )


# low_new_to_brand ------------------------------------------------------------------------------------------


def test_new_to_brand_fifteen_points_below_baseline_is_flagged(store: Store) -> None:
    """Order lines over day 89 … day 0: Eve 30 lines, 6 NTB (20.0%); Fay 30 lines, 24 NTB (80.0%); Gus 29 lines, no
    NTB (0.0%); unattributed 11 lines, 5 NTB. Baseline = all lines: (6 + 24 + 0 + 5) / 100 = 35.0%.

    Eve is 15.0 points below, exactly the threshold: flagged (in floats 0.35 - 0.20 = 0.1499999…). An
    unattributed non-NTB line on day 90 would make the baseline 35 / 101 = 34.7% in a 91-day period (14.7
    points: not flagged). Gus, 35 points below, has too few orders (29, under the 30 the pages call a sign, not a
    measure) to judge an audience by.
    """
    con = store(
        orders=[
            *order_lines("Eve", 30, 6),
            *order_lines("Fay", 30, 24),
            *order_lines("Gus", 29, 0),
            *order_lines("", 11, 5),
            *order_lines("", 1, 0, when=day(90)),
        ]
    )
    assert low_new_to_brand(con, AS_OF) == [
        Insight(
            rule="low_new_to_brand",
            severity="warning",
            title=(
                "New-to-brand share of Eve's attributed orders was 20.0% over the last 90 days, 15.0 points below "
                "the 35.0% of all your orders."
            ),
            action=(
                "This creator mostly reaches customers you already have: check their audience before renewing the "
                "bonus, and steer new-customer offers to creators above the baseline."
            ),
            page="customers",
            subject="Eve",
        )
    ]


def test_new_to_brand_near_baseline_or_unknown_is_not_flagged(store: Store) -> None:
    """Eve 5 lines, 1 NTB (20.0%); Fay 5 lines, 4 NTB (80.0%); unattributed 10 lines, 1 NTB.
    Baseline over all lines = (1 + 4 + 1) / 20 = 30.0%: Eve is 10.0 points below, not flagged. A baseline of
    attributed lines only (5 / 10 = 50.0%) would put her 30 points below.
    Hal has performance rows but no attributed order lines: his new-to-brand % is unknown (null), not 0%.
    """
    con = store(
        performance=[perf(day(0), "Hal", "B0HYDRA001", clicks=10, orders=2, revenue=20)],
        orders=[*order_lines("Eve", 5, 1), *order_lines("Fay", 5, 4), *order_lines("", 10, 1)],
    )
    assert low_new_to_brand(con, AS_OF) == []


# top_creators ----------------------------------------------------------------------------------------------


def test_top_ten_creators_by_revenue_are_outreach_targets(store: Store) -> None:
    """Over day 89 … day 0: Creator 01 … Creator 11 sell 100 × their number on day 0; Ann sells 150 on each of
    days 89, 45 and 0 = 450; Zed sells 5000 on day 90, outside the period.

    Top 10: Creator 11 (1100) … Creator 05 (500), Ann (450), Creator 04 (400), Creator 03 (300). Creator 02 and
    01 miss out; so does Zed (first in a 91-day period), and Ann would by her largest single day (150).
    Share: all revenue = 100 + … + 1100 + 450 = 7050; top 10 = 7050 - 100 - 200 = 6750 -> 95.7%.
    """
    con = store(
        performance=[
            *[perf(day(0), f"Creator {i:02d}", "B0HYDRA001", revenue=100 * i) for i in range(1, 12)],
            *[perf(day(n), "Ann", "B0HYDRA001", revenue=150) for n in (89, 45, 0)],
            perf(day(90), "Zed", "B0HYDRA001", revenue=5000),
        ]
    )
    expected = [*(f"Creator {i:02d}" for i in range(11, 4, -1)), "Ann", "Creator 04", "Creator 03"]
    assert top_creators(con, AS_OF) == expected
    [insight] = top_creators_outreach(con, AS_OF)
    assert (insight.rule, insight.severity, insight.page) == ("top_creators", "opportunity", "creators")
    assert insight.subject == ", ".join(expected)
    assert insight.title.startswith(
        "Your top 10 creators brought in 95.7% of attributed revenue over the last 90 days: Creator 11 ($1,100), "
        "Creator 10 ($1,000),"
    )
    assert insight.title.endswith("Ann ($450), Creator 04 ($400), Creator 03 ($300).")


def test_a_program_whose_every_selling_creator_is_in_the_top_names_them_all_without_a_share(store: Store) -> None:
    """Four creators sold and a fifth only clicked: "your top 4 creators brought in 100.0%" told a small brand
    nothing. They are named as all of its creators with revenue."""
    con = store(
        performance=[
            *[perf(day(0), name, "B0HYDRA001", revenue=10 * (i + 1)) for i, name in enumerate("ABCD")],
            perf(day(0), "E", "B0HYDRA001", clicks=5, orders=0, revenue=0),
        ]
    )
    [insight] = top_creators_outreach(con, AS_OF)
    assert insight.title == (
        "Only 4 creators had attributed revenue over Mar 31, the one day the data holds: D ($40), C ($30), "
        "B ($20), A ($10)."
    )
    assert insight.action.startswith("Every creator who sells your brand is named here: offer them your launches")


def test_the_top_ten_of_more_sellers_are_a_top_ten_however_refunds_leave_the_total(store: Store) -> None:
    """Ten creators at $100, one at $5 and a refund of $20: the top 10 hold $1,000 of $985, over 100 %, but an
    eleventh creator sold: they are a top 10 with their share, not "all" of the creators."""
    con = store(
        performance=[
            *[perf(day(0), f"C{i:02d}", "B0HYDRA001", revenue=100) for i in range(10)],
            perf(day(0), "small", "B0HYDRA001", revenue=5),
            perf(day(0), "refunded", "B0HYDRA001", revenue=-20),
        ]
    )
    [insight] = top_creators_outreach(con, AS_OF)
    assert insight.title.startswith(
        "Your top 10 creators brought in 101.5% of attributed revenue over Mar 31, the one day the data holds"
    )


def test_no_outreach_targets_without_revenue_in_the_period(store: Store) -> None:
    """Zed's 5000 is on day 90, outside day 89 … day 0; Bo has clicks in the period but $0 revenue."""
    con = store(
        performance=[
            perf(day(90), "Zed", "B0HYDRA001", revenue=5000),
            perf(day(0), "Bo", "B0HYDRA001", clicks=40),
        ]
    )
    assert top_creators(con, AS_OF) == []
    assert top_creators_outreach(con, AS_OF) == []


# weekly_insights -------------------------------------------------------------------------------------------


def test_weekly_insights_lists_warnings_then_opportunities_then_information(store: Store) -> None:
    """One store that triggers five findings from four rules:

    commission_share_drift: Hydration 5 / 100 = 5.0% on day 50 (previous 6 weeks) -> 15 / 150 = 10.0% on day 1.
    clicks_no_purchases: Ana, 250 clicks and no order on day 0.
    low_creator_payout: B0CHEAP001, $9.99 × (3% + 5%) = $0.80 and under $15.
    top_creators: Ben, $100 + $150 = $250.
    revenue_up_rank_flat: B0HYDRA001, $100 (day 50) -> $150 (day 1); rank 10 (day 70) -> 12 (day 50): -2.
    Warnings in the order of RULES, then the opportunity, then the information.
    """
    con = store(
        products=[
            product("B0HYDRA001", price="30", standard_rate="3%", bonus_rate="10%", activation_date=day(60)),
            product("B0CHEAP001", price="9.99", standard_rate="3%", bonus_rate="5%"),
        ],
        performance=[
            perf(day(50), "Ben", "B0HYDRA001", clicks=40, orders=4, revenue=100, commission=5),
            perf(day(1), "Ben", "B0HYDRA001", clicks=60, orders=5, revenue=150, commission=15),
            perf(day(0), "Ana", "B0HYDRA001", clicks=250),
        ],
        ranks=[rank(day(70), "B0HYDRA001", 10), rank(day(50), "B0HYDRA001", 12)],
    )
    insights = weekly_insights(con, AS_OF)
    assert [(i.rule, i.subject) for i in insights] == [
        ("commission_share_drift", "Hydration"),
        ("clicks_no_purchases", "Ana"),
        ("low_creator_payout", "B0CHEAP001"),
        ("top_creators", "Ben"),
        ("revenue_up_rank_flat", "B0HYDRA001"),
    ]
    ranks = [(SEVERITIES.index(i.severity), RULES.index(i.rule)) for i in insights]
    assert ranks == sorted(ranks)


def test_weekly_insights_on_an_empty_store_is_empty(store: Store) -> None:
    assert weekly_insights(store(), AS_OF) == []


def test_the_store_keeps_the_findings_of_its_latest_data(store: Store, tmp_path: Path) -> None:
    """What the Overview reads is `weekly_insights` as of the last performance day, after every load and unload.

    Ana's 250 clicks without an order (day 0) are a finding; a restated report gives her 3 orders on that day and
    the finding goes; unloading the restatement brings it back.
    """
    con = store(products=[product("B0HYDRA001")], performance=[perf(day(0), "Ana", "B0HYDRA001", clicks=250)])
    first = kept_findings(con)
    assert first == weekly_insights(con, AS_OF)
    assert ("clicks_no_purchases", "Ana") in [(i.rule, i.subject) for i in first]

    restated = tmp_path / "restated.csv"
    write_csv(restated, [perf(day(0), "Ana", "B0HYDRA001", clicks=250, orders=3, revenue=30, commission=3)])
    load = load_file(con, restated, kind="performance")
    assert kept_findings(con) == weekly_insights(con, AS_OF)
    assert "clicks_no_purchases" not in [i.rule for i in kept_findings(con)]

    unload(con, load.load_id)
    assert kept_findings(con) == first


def test_an_empty_store_keeps_no_findings(store: Store) -> None:
    con = store()
    changes.refresh_findings(con)
    assert kept_findings(con) == []


def test_findings_of_another_data_version_are_never_read(store: Store) -> None:
    """Findings describe the data version they were worked out for: once the data moves on (a change committed
    whose findings are not worked out yet) they are not read, and the pages work the findings out themselves."""
    con = store(products=[product("B0HYDRA001")], performance=[perf(day(0), "Ana", "B0HYDRA001", clicks=250)])
    assert kept_findings(con)
    con.execute("update meta set value = cast(cast(value as integer) + 1 as varchar) where key = 'data_version'")
    assert kept_findings(con) is None
    changes.refresh_findings(con)
    assert kept_findings(con) == weekly_insights(con, AS_OF)


def test_findings_kept_by_other_rules_are_worked_out_again(store: Store) -> None:
    """A store whose findings were stamped by other rules (an older version) does not show them; the next refresh
    (every change, and the app's start) works out this version's."""
    con = store(products=[product("B0HYDRA001")], performance=[perf(day(0), "Ana", "B0HYDRA001", clicks=250)])
    expected = kept_findings(con)
    assert expected
    con.execute("delete from findings")
    con.execute("update meta set value = 'older rules' where key = 'findings_rules'")
    assert kept_findings(con) is None
    changes.refresh_findings(con)
    assert kept_findings(con) == expected


def test_a_rule_failing_after_a_load_keeps_the_load(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The findings are worked out after the load commits: a rule that fails on the new data leaves the load in
    place (so the file can be unloaded), reports nothing stale, and the pages work the findings out themselves."""
    con = store(products=[product("B0HYDRA001")], performance=[perf(day(0), "Ana", "B0HYDRA001", clicks=250)])

    def failing_rule(con: duckdb.DuckDBPyConnection) -> bool:
        raise ZeroDivisionError("a rule that fails on this data")

    monkeypatch.setattr(insights, "keep_findings", failing_rule)
    restated = tmp_path / "restated.csv"
    write_csv(restated, [perf(day(0), "Ana", "B0HYDRA001", clicks=250, orders=3, revenue=30, commission=3)])
    load = load_file(con, restated, kind="performance")
    assert load.added == 0 and load.updated == 1
    assert kept_findings(con) is None


# conversion_drop and commission_drift_detail -------------------------------------------------------------------
# Before = day(55) … day(28), now = day(27) … day(0).


def test_conversion_drop_names_the_creator_and_the_asin_whose_clicks_stopped_converting(store: Store) -> None:
    """Ana, on B0HYDRA001: 200 clicks and 10 orders before (5.0%), 200 clicks and 4 orders now (2.0%): 3.0 points
    and 60% less. Bo, on B0HYDRA002: 200 clicks and 10 orders, then 200 and 9 (4.5%): 0.5 points, no finding. Cy,
    on B0HYDRA002 too: 50 and 5 then 50 and 0, too few clicks to call (and B0HYDRA002 as a whole: 250 clicks and 15
    orders, 6.0%, then 250 and 9, 3.6%: 2.4 points and 40% less, a finding)."""
    rows = [
        perf(day(40), "Ana", "B0HYDRA001", 200, 10, 100, 10),
        perf(day(10), "Ana", "B0HYDRA001", 200, 4, 40, 4),
        perf(day(40), "Bo", "B0HYDRA002", 200, 10, 100, 10),
        perf(day(10), "Bo", "B0HYDRA002", 200, 9, 90, 9),
        perf(day(40), "Cy", "B0HYDRA002", 50, 5, 50, 5),
        perf(day(10), "Cy", "B0HYDRA002", 50, 0, 0, 0),
    ]
    con = store(performance=rows)
    found = conversion_drop(con, AS_OF)
    assert [(i.subject, i.page) for i in found] == [
        ("Ana", "creators"),
        ("B0HYDRA001", "products"),
        ("B0HYDRA002", "products"),
    ]
    assert found[0].title == (
        "Conversion of Ana's clicks fell from 5.0% to 2.0% over the last 4 weeks against the 28 days before "
        "(-3.0 pts, on 200 clicks in those weeks)."
    )
    assert found[2].title.startswith("Conversion of clicks on B0HYDRA002 fell from 6.0% to 3.6%")
    assert found[2].action.startswith("Check the listing of B0HYDRA002 for its price, stock, reviews and Buy Box: ")
    assert "(-2.4 pts, on 250 clicks in those weeks)" in found[2].title
    # Named with its title where a file gives one, as the other findings name an ASIN.
    titled = store(products=[product("B0HYDRA002", title="Hydration Sticks, Lemon")], performance=rows)
    [named] = [i for i in conversion_drop(titled, AS_OF) if i.subject == "B0HYDRA002"]
    assert named.title.startswith("Conversion of clicks on B0HYDRA002 (Hydration Sticks, Lemon) fell from 6.0%")
    # The points between the two rates as written: 6 orders of 183 clicks (3.3 %) and 2 of 215 (0.9 %) are 2.4 apart,
    # though their unrounded difference, 2.35, would be written 2.3.
    assert _tenths_apart(6 / 183, 2 / 215) == pytest.approx(2.4)
    assert conversion_drop(con, AS_OF, min_points=3.5) == []


def test_conversion_drop_of_a_creator_new_in_the_days_before_says_they_hold_only_its_first_days(store: Store) -> None:
    """Dee's first click came 35 days before the last day, so the 28 days before the last 28 hold only her first 8:
    the fall from 5.0% to 2.0% is from her first week's rate, which the finding did not say. It is said only where the
    data covers the whole of the days before (Ana's click, 60 days back, shows it does): a creator's first click in
    data that starts inside them says nothing of whether they are new."""
    dee = [perf(day(35), "Dee", "B0HYDRA001", 200, 10, 100, 10), perf(day(10), "Dee", "B0HYDRA001", 200, 4, 40, 4)]
    con = store(performance=[perf(day(60), "Ana", "B0HYDRA002", 10, 0, 0, 0), *dee])
    first = day_words(date.fromisoformat(day(35)))
    found = {i.subject: i.title for i in conversion_drop(con, AS_OF)}
    assert found["Dee"].endswith(
        f"(-3.0 pts, on 200 clicks in those weeks). Dee's first click was on {first}: the 28 days before hold only "
        "their first 8 days."
    )
    assert found["B0HYDRA001"].endswith(
        f"Its first click was on {first}: the 28 days before hold only its first 8 days."
    )
    con.execute("update performance set date = $day where creator = 'Ana'", {"day": day(50)})  # the data starts later
    assert all("first click" not in i.title for i in conversion_drop(con, AS_OF))


def test_commission_drift_detail_names_who_and_what_costs_more_per_dollar(store: Store) -> None:
    """Ana sells B0HYDRA001 at a 10% bonus before ($300 revenue, $30) and 16% now ($300, $48): +6.0 pts for her and
    for the ASIN. Bo's B0HYDRA002 goes from 10% to 12% (+2.0 pts): below the 5-point line. Cy's rise comes on $100
    of revenue now, under the $200 each period needs."""
    con = store(
        performance=[
            perf(day(40), "Ana", "B0HYDRA001", 100, 6, 300, 30),
            perf(day(10), "Ana", "B0HYDRA001", 100, 6, 300, 48),
            perf(day(40), "Bo", "B0HYDRA002", 100, 6, 300, 30),
            perf(day(10), "Bo", "B0HYDRA002", 100, 6, 300, 36),
            perf(day(40), "Cy", "B0HYDRA003", 100, 6, 300, 30),
            perf(day(10), "Cy", "B0HYDRA003", 100, 2, 100, 30),
        ]
    )
    found = commission_drift_detail(con, AS_OF)
    assert [(i.subject, i.page) for i in found] == [("Ana", "creators"), ("B0HYDRA001", "products")]
    assert found[0].title == (
        "Commission share of Ana's sales rose from 10.0% to 16.0% over the last 4 weeks against the 28 days before "
        "(+6.0 pts, $300 of revenue)."
    )
    assert found[1].title.startswith("Commission share of ASIN B0HYDRA001's sales rose from 10.0% to 16.0%")
    assert found[1].action.startswith("Check whether B0HYDRA001's bonus rate was raised on purpose")  # no catalog
    assert commission_drift_detail(con, AS_OF, min_rise_points=6.5) == []


@pytest.mark.parametrize(
    ("rates", "action"),
    [
        (
            [product("B0HYDRA001", bonus_rate="0.10", effective_date=day(120))],
            "The catalog shows no rate change on B0HYDRA001: more of its sales went through campaigns or creators "
            "paid at higher rates.",
        ),
        (
            [
                product("B0HYDRA001", bonus_rate="0.10", effective_date=day(120)),
                product("B0HYDRA001", bonus_rate="0.16", effective_date=day(20)),
            ],
            "Its rate was raised in the catalog: check that B0HYDRA001's orders grew with it.",
        ),
    ],
)
def test_an_asins_commission_rise_says_whether_the_catalog_raised_its_rate(store: Store, rates, action) -> None:
    """B0HYDRA001's share rose from 10% to 16% while its catalog bonus stayed at 10%: the sales moved to a campaign
    paying more, and the finding asked whether its bonus was raised on purpose, sending finance after a rate change
    nobody made. Raised in the catalog on day 20, it says so."""
    con = store(
        products=rates,
        performance=[
            perf(day(40), "Ana", "B0HYDRA001", 100, 6, 300, 30),
            perf(day(10), "Ana", "B0HYDRA001", 100, 6, 300, 48),
        ],
    )
    [asin] = [i for i in commission_drift_detail(con, AS_OF) if i.subject == "B0HYDRA001"]
    assert asin.action.startswith(action)


def test_a_brand_whose_data_starts_inside_a_window_is_told_the_days_it_holds(con, load_text) -> None:
    """A new brand's first week: "over the last 90 days" read as 90 days of sales. The finding names the 7 days the
    data holds, Mar 8 to Mar 14; a window the data fills is said as before."""
    load_text(
        "performance.csv",
        """\
        date,creator,asin,clicks,orders,revenue,commission
        2026-03-08,maya,B0AAAAAAA1,20,3,60.00,6.00
        2026-03-14,leo,B0AAAAAAA1,10,1,40.00,4.00
        """,
    )
    [found] = top_creators_outreach(con, date(2026, 3, 14))
    assert found.title == (
        "Only 2 creators had attributed revenue over the 7 days since Mar 8 (the first day of data): "
        "maya ($60), leo ($40)."
    )
    [whole] = top_creators_outreach(con, date(2026, 3, 14), window_days=7)
    assert whole.title.startswith("Only 2 creators had attributed revenue over the last 7 days: ")
