"""Small random stores in canonical columns, shaped to hit the SPEC's traps.

``random_store(seed)`` returns one frame per kind. The shape is fixed, the numbers are random:

- 121 days from Sunday 2026-01-04 to Monday 2026-05-04 (so the last week is partial).
- ASINs (10 characters): B0LIFT0001-3 and 8 in "Protein", 4-5 in "Snacks", 6 missing from the catalog and 7 in
  the catalog without a product line (both "Unassigned").
- Activation: 1 (day 40) and 3 (day 30) and 8 (day 100) from the catalog; 2, 4 and 6 from their first click;
  5 and 7 are never activated (controls). Protein's 1-3 get 8 as a control; Snacks' 4 gets 5; 6 gets 7.
- Performance: ASIN 3 sells only in the first half and ASIN 4 only in the second (entry/exit for a before/after
  split at day 60); ASIN 1's rate changes at day 60; creator "zed" stops after week 3 (lapsed), "kim" starts in
  week 10 (new); "leo" is in the "levanta" program; some rows have clicks and no sales.
- Orders: random customers with repeats across ASINs, attributed and unattributed lines, unknown flags, plus
  hand-placed customers whose second order falls on entry + 90 and entry + 91 days, one still pending, one
  with two orders on the same day and one whose unattributed first order precedes the attributed one.
- Ranks with not-ranked (null) days and missing days; events over a few days.
- Sales by Sunday–Saturday week, with monthly rows for ASIN 5 (not inside one week) and a row straddling the
  first day; search, repeat_purchase and cohorts with zero denominators here and there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

FIRST_DAY = dt.date(2026, 1, 4)  # a Sunday
DAYS = 121
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
SPLIT_DAY = 60  # ASIN 3 sells before it, ASIN 4 from it
ASINS = [f"B0LIFT000{n}" for n in range(1, 9)]
CATALOG = {
    # asin: (product_line, price, activation day or None, standard_rate, bonus_rate)
    "B0LIFT0001": ("Protein", 39.99, 40, 0.03, 0.10),
    "B0LIFT0002": ("Protein", 24.99, None, None, 0.15),
    "B0LIFT0003": ("Protein", 12.99, 30, 0.03, 0.05),
    "B0LIFT0004": ("Snacks", 18.50, None, 0.04, 0.20),
    "B0LIFT0005": ("Snacks", 9.99, None, 0.04, None),
    "B0LIFT0007": (None, 29.00, None, 0.03, 0.10),
    "B0LIFT0008": ("Protein", 44.00, 100, 0.03, 0.12),
}
PRICES = {asin: CATALOG[asin][1] if asin in CATALOG else 21.00 for asin in ASINS}
# Where each ASIN sells through creators: (first day, last day) of performance rows.
SELLING = {
    "B0LIFT0001": (0, DAYS - 1),
    "B0LIFT0002": (20, DAYS - 1),
    "B0LIFT0003": (0, SPLIT_DAY - 1),
    "B0LIFT0004": (SPLIT_DAY, DAYS - 1),
    "B0LIFT0006": (10, DAYS - 1),
    "B0LIFT0008": (100, DAYS - 1),
}
CREATORS = {
    # creator: (program, campaign, first day, last day)
    "maya": ("creator_connections", "spring", 0, DAYS - 1),
    "jon": ("creator_connections", "spring", 0, DAYS - 1),
    "ava": ("creator_connections", None, 0, DAYS - 1),
    "zed": ("creator_connections", "launch", 0, 20),
    "kim": ("creator_connections", "launch", 63, DAYS - 1),
    "leo": ("levanta", None, 0, DAYS - 1),
}
KEYWORDS = {asin: [f"kw {asin[-1]}a", f"kw {asin[-1]}b", "shared keyword"] for asin in ASINS}
BRAND_TERMS = ["Acme"]
QUERIES = ["acme protein", "ACME bars", "acmex shake", "acme-bar", "protein powder", "high protein snack"]


def day(n: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=n)


def _products() -> pd.DataFrame:
    rows = []
    for asin, (line, price, activation, standard, bonus) in CATALOG.items():
        rows.append(
            {
                "asin": asin,
                "product_line": line,
                "title": f"Product {asin[-1]}",
                "price": price,
                "launch_date": day(0) - dt.timedelta(days=200),
                "activation_date": None if activation is None else day(activation),
                "standard_rate": standard,
                "bonus_rate": bonus,
            }
        )
    return pd.DataFrame(rows)


def _performance(rng: np.random.Generator, zero_revenue_commission: bool) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for n in range(DAYS):
        for creator, (program, campaign, first, last) in CREATORS.items():
            if not first <= n <= last:
                continue
            for asin, (sell_first, sell_last) in SELLING.items():
                if not sell_first <= n <= sell_last or rng.random() < 0.45:
                    continue
                clicks = int(rng.poisson(8))
                orders = int(rng.binomial(clicks, 0.12)) if clicks else 0
                units = orders + int(rng.binomial(orders, 0.2))
                revenue = round(units * PRICES[asin], 2)
                rate = 0.10 if asin == "B0LIFT0001" and n < SPLIT_DAY else 0.15 + 0.05 * (asin == "B0LIFT0004")
                ntb = int(rng.binomial(orders, 0.6))
                rows.append(
                    {
                        "date": day(n),
                        "program": program,
                        "campaign": campaign,
                        "creator": creator,
                        "asin": asin,
                        "clicks": clicks,
                        "orders": orders,
                        "units": units,
                        "revenue": revenue,
                        "commission": round(revenue * rate, 2),
                        "ntb_orders": ntb,
                        "sns_orders": int(rng.binomial(orders, 0.2)),
                    }
                )
    frame = pd.DataFrame(rows)
    if zero_revenue_commission:
        # ASIN 3 stopped selling at the split, but a restated day after it carries commission and no revenue.
        trap = {"date": day(SPLIT_DAY + 5), "program": "creator_connections", "campaign": "spring", "creator": "maya"}
        trap |= {"asin": "B0LIFT0003", "clicks": 5, "orders": 0, "units": 0, "revenue": 0.0, "commission": 3.75}
        frame = pd.concat([frame, pd.DataFrame([trap | {"ntb_orders": 0, "sns_orders": 0}])], ignore_index=True)
    return frame


class _OrderBook:
    """Collects order lines with sequential order ids."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.rows: list[dict[str, Any]] = []
        self.next_id = 1

    def order(
        self,
        customer: str,
        n: int,
        asins: list[str],
        creator: str | None,
        *,
        ntb: bool | None = None,
        sns: bool | None = False,
    ) -> None:
        order_id = f"O{self.next_id:05d}"
        self.next_id += 1
        campaign = None if creator is None else CREATORS[creator][1]
        for asin in asins:
            units = int(self.rng.integers(1, 3))
            self.rows.append(
                {
                    "order_id": order_id,
                    "order_date": day(n),
                    "customer_id": customer,
                    "asin": asin,
                    "revenue": round(units * PRICES[asin], 2),
                    "creator": creator,
                    "campaign": campaign,
                    "units": units,
                    "new_to_brand": ntb,
                    "subscribe_and_save": sns,
                }
            )


def _orders(rng: np.random.Generator) -> pd.DataFrame:
    book = _OrderBook(rng)
    sellers = list(SELLING)
    creators = [c for c in CREATORS if c != "leo"]
    for number in range(45):
        customer = f"C{number:03d}"
        n = int(rng.integers(0, DAYS))
        for index in range(int(rng.integers(1, 5))):
            if n >= DAYS:
                break
            lines = list(rng.choice(sellers, size=int(rng.integers(1, 3)), replace=False))
            creator = str(rng.choice(creators)) if rng.random() < 0.55 else None
            flag = rng.random()
            ntb = None if flag < 0.1 else index == 0
            sns = None if rng.random() < 0.1 else bool(rng.random() < 0.25)
            book.order(customer, n, [str(a) for a in lines], creator, ntb=ntb, sns=sns)
            n += int(rng.choice([0, 1, 7, 30, 89, 90, 91, 120]))
    # Hand-placed customers on the boundaries.
    book.order("EDGE90", 5, ["B0LIFT0001"], "maya", ntb=True)
    book.order("EDGE90", 95, ["B0LIFT0006"], None, ntb=False)  # entry + 90: a repeat
    book.order("EDGE91", 6, ["B0LIFT0001"], "maya", ntb=True)
    book.order("EDGE91", 97, ["B0LIFT0006"], None, ntb=False)  # entry + 91: not a repeat
    book.order("PENDING", DAYS - 30, ["B0LIFT0002"], "jon", ntb=True)  # entry + 90 > last day: pending
    book.order("SAMEDAY", 12, ["B0LIFT0001"], "ava", ntb=True)
    book.order("SAMEDAY", 12, ["B0LIFT0003"], None, ntb=False)  # another order the same day
    book.order("EARLY", 2, ["B0LIFT0003"], None, ntb=True)  # baseline entry before the attributed one
    book.order("EARLY", 50, ["B0LIFT0001"], "jon", ntb=False)
    book.order("LASTDAY", DAYS - 1, ["B0LIFT0004"], "kim", ntb=None, sns=None)  # sets the store's last date
    return pd.DataFrame(book.rows)


def _ranks(rng: np.random.Generator, products: pd.DataFrame) -> pd.DataFrame:
    rows = []
    activation = {row.asin: row.activation_date for row in products.itertuples()}
    for asin in ASINS:
        for keyword in KEYWORDS[asin]:
            rank = float(rng.integers(5, 80))
            for n in range(DAYS):
                if rng.random() < 0.08:
                    continue  # no reading that day
                started = activation.get(asin)
                drift = -0.4 if started is not None and day(n) >= started else 0.1
                rank = float(min(300.0, max(1.0, rank + drift + rng.normal(0, 2.5))))
                shown = None if rng.random() < 0.15 else round(rank)
                rows.append({"date": day(n), "asin": asin, "keyword": keyword, "organic_rank": shown})
    return pd.DataFrame(rows)


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"name": "Spring deal days", "start": day(45), "end": day(46)},
            {"name": "Prime Day", "start": day(80), "end": day(82)},
        ]
    )


def _weeks() -> list[tuple[dt.date, dt.date]]:
    """Every whole Sunday–Saturday week inside the store's days."""
    weeks = []
    first = FIRST_DAY
    while first + dt.timedelta(days=6) <= LAST_DAY:
        weeks.append((first, first + dt.timedelta(days=6)))
        first += dt.timedelta(days=7)
    return weeks


def _months() -> list[tuple[dt.date, dt.date]]:
    return [
        (dt.date(2026, 1, 4), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    ]


def _sales(rng: np.random.Generator) -> pd.DataFrame:
    rows = []

    def add(first: dt.date, last: dt.date, asin: str) -> None:
        sessions = int(rng.integers(0, 400)) if rng.random() > 0.05 else 0
        units = int(rng.integers(0, 60))
        rows.append(
            {
                "period_start": first,
                "period_end": last,
                "asin": asin,
                "total_revenue": round(units * PRICES[asin] * (1 + rng.random()), 2),
                "total_units": units,
                "sessions": sessions,
                "buy_box_pct": None if rng.random() < 0.1 else round(float(rng.uniform(0.5, 1.0)), 3),
            }
        )

    for first, last in _weeks():
        for asin in ["B0LIFT0001", "B0LIFT0002", "B0LIFT0003", "B0LIFT0004", "B0LIFT0006"]:
            add(first, last, asin)
    for first, last in _months():
        add(first, last, "B0LIFT0005")
    add(FIRST_DAY - dt.timedelta(days=3), FIRST_DAY + dt.timedelta(days=3), "B0LIFT0008")  # straddles day 0
    return pd.DataFrame(rows)


def _search(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for week_number, (first, last) in enumerate(_weeks()):
        for query in QUERIES:
            clicks_total = int(rng.integers(0, 200))
            if week_number == 3 and "acme" not in query.lower():
                clicks_total = 0  # a week whose non-branded queries had no clicks: a zero denominator
            clicks_brand = int(rng.integers(0, clicks_total + 1))
            impressions = int(rng.integers(clicks_total, clicks_total * 20 + 1))
            rows.append(
                {
                    "period_start": first,
                    "period_end": last,
                    "search_query": query,
                    "search_query_volume": int(rng.integers(0, 5000)),
                    "impressions_total": impressions,
                    "impressions_brand": int(rng.integers(0, impressions + 1)),
                    "clicks_total": clicks_total,
                    "clicks_brand": clicks_brand,
                    "purchases_total": int(rng.integers(0, clicks_total // 5 + 1)),
                    "purchases_brand": 0,
                }
            )
    return pd.DataFrame(rows)


def _repeat_purchase(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for week_number, (first, last) in enumerate(_weeks()):
        for asin in ["B0LIFT0001", "B0LIFT0002", "B0LIFT0004"]:
            customers = 0 if week_number == 2 and asin == "B0LIFT0004" else int(rng.integers(1, 300))
            rows.append(
                {
                    "period_start": first,
                    "period_end": last,
                    "asin": asin,
                    "orders": customers + int(rng.integers(0, 40)),
                    "unique_customers": customers,
                    "repeat_customers_pct": round(float(rng.uniform(0, 0.4)), 4),
                    "repeat_purchase_revenue": round(float(rng.uniform(0, 2000)), 2),
                }
            )
    first, last = _months()[1]
    rows.append(
        {
            "period_start": first,
            "period_end": last,
            "asin": "B0LIFT0003",
            "orders": 90,
            "unique_customers": 80,
            "repeat_customers_pct": 0.1,
            "repeat_purchase_revenue": 400.0,
        }
    )
    return pd.DataFrame(rows)


def _cohorts(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    periods = _months() + _weeks()[:3]
    for first, last in periods:
        for creator in ["maya", "jon", "ava", None]:
            buyers = 0 if creator == "ava" and first.month == 2 else int(rng.integers(1, 200))
            buyers = buyers * 5 if creator is None else buyers
            rows.append(
                {
                    "period_start": first,
                    "period_end": last,
                    "creator": creator,
                    "campaign": None if creator is None else CREATORS[creator][1],
                    "asin": None,
                    "buyers": buyers,
                    "ntb_buyers": int(rng.integers(0, buyers + 1)),
                    "repeat_buyers": int(rng.integers(0, buyers + 1)),
                    "sns_buyers": None if creator == "jon" else int(rng.integers(0, buyers + 1)),
                }
            )
    return pd.DataFrame(rows)


def random_store(seed: int, *, zero_revenue_commission: bool = False) -> dict[str, pd.DataFrame]:
    """One small random store: every kind the SPEC reads, in canonical columns, dates as ``datetime.date``.

    ``zero_revenue_commission`` adds a performance row with commission but no revenue (the case where the
    commission-share effects cannot add up; see AMBIGUITIES.md).
    """
    rng = np.random.default_rng(seed)
    products = _products()
    return {
        "products": products,
        "performance": _performance(rng, zero_revenue_commission),
        "orders": _orders(rng),
        "ranks": _ranks(rng, products),
        "events": _events(),
        "sales": _sales(rng),
        "search": _search(rng),
        "repeat_purchase": _repeat_purchase(rng),
        "cohorts": _cohorts(rng),
        "brand_terms": pd.DataFrame({"term": BRAND_TERMS}),
    }
