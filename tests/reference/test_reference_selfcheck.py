"""The reference checks itself on tiny hand-computed stores, so a cross-check failure points at the engine.

Every expected number is worked out in the test's docstring from the SPEC's words.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest

from tests.reference import (
    activation_dates,
    ba_repeat_rate,
    cohort_metrics,
    commission_change,
    is_branded,
    program_health,
    random_store,
    rank_lift_with_control,
    repeat_metrics,
    sales_metrics,
    search_metrics,
    top5_revenue_share,
)
from tests.reference.common import week_of
from tests.reference.random_data import DAYS, FIRST_DAY, LAST_DAY, SPLIT_DAY

D = dt.date
ORDER_COLUMNS = ["order_id", "order_date", "customer_id", "asin", "revenue", "creator", "campaign", "new_to_brand"]
PRODUCTS = pd.DataFrame(
    [
        {"asin": "XXXXXXXXX1", "product_line": "Protein", "activation_date": None},
        {"asin": "YYYYYYYYY1", "product_line": "Snacks", "activation_date": None},
    ]
)


def orders_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ORDER_COLUMNS)


def only_row(frame: pd.DataFrame, **where: Any) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert int(mask.sum()) == 1, f"expected one row where {where}, got\n{frame}"
    return frame[mask].iloc[0]


def test_week_is_the_sunday_that_starts_it() -> None:
    """2026-03-01 is a Sunday: it starts its own week; Saturday 03-07 belongs to it, Sunday 03-08 starts the next."""
    assert week_of(D(2026, 3, 1)) == D(2026, 3, 1)
    assert week_of(D(2026, 3, 7)) == D(2026, 3, 1)
    assert week_of(D(2026, 3, 8)) == D(2026, 3, 8)
    assert week_of(D(2026, 3, 4)) == D(2026, 3, 1)


def test_repeat_on_entry_plus_90_counts_plus_91_does_not_and_unmatured_is_pending() -> None:
    """Scope 2026-01-01 … 03-31, by creator; the store's last order_date is 06-01 (customer D).

    - A: entry 01-01 (maya, X); another order 04-01 = 01-01 + 90 days (31 + 28 + 31 = 90): a repeat, though
      unattributed, another ASIN and outside the scope's dates.
    - B: entry 01-02; another order 04-03 = 01-02 + 91: not a repeat.
    - C: entry 03-15; 03-15 + 90 = 06-13 > 06-01: not matured, so pending.
    - E: entry 01-05, one order O7 of two lines (X by maya, Y unattributed): the same order_id is no repeat.
    repeat_rate = 1 repeater (A) / 3 matured (A, B, E) = 1/3; repeat_pending = 1 (C).
    repeat_rate_in_period: in 01-01 … 03-31 each of A, B, C, E has one order_id: 0 / 4 = 0.
    Baseline (creator does not restrict it) = every line in scope: O1, O3, O5, O7 → the same customers → 1/3.
    """
    orders = orders_frame(
        [
            ("O1", D(2026, 1, 1), "A", "XXXXXXXXX1", 10.0, "maya", None, True),
            ("O2", D(2026, 4, 1), "A", "YYYYYYYYY1", 10.0, None, None, False),
            ("O3", D(2026, 1, 2), "B", "XXXXXXXXX1", 10.0, "maya", None, True),
            ("O4", D(2026, 4, 3), "B", "YYYYYYYYY1", 10.0, None, None, False),
            ("O5", D(2026, 3, 15), "C", "XXXXXXXXX1", 10.0, "maya", None, True),
            ("O6", D(2026, 6, 1), "D", "YYYYYYYYY1", 10.0, None, None, True),
            ("O7", D(2026, 1, 5), "E", "XXXXXXXXX1", 10.0, "maya", None, True),
            ("O7", D(2026, 1, 5), "E", "YYYYYYYYY1", 10.0, None, None, True),
        ]
    )
    result = repeat_metrics(orders, PRODUCTS, start=D(2026, 1, 1), end=D(2026, 3, 31), by=["creator"])
    row = only_row(result, creator="maya")
    assert row["repeat_rate"] == pytest.approx(1 / 3)
    assert row["repeat_pending"] == 1
    assert row["repeat_matured"] == 3
    assert row["repeat_rate_in_period"] == 0
    assert row["baseline_repeat_rate"] == pytest.approx(1 / 3)


def test_repeat_rate_is_null_when_every_customer_is_pending() -> None:
    """One customer, entry 05-01, store ends 05-02: 05-01 + 90 > 05-02 → pending 1, matured 0 → rate null."""
    orders = orders_frame(
        [
            ("O1", D(2026, 5, 1), "A", "XXXXXXXXX1", 10.0, "maya", None, True),
            ("O2", D(2026, 5, 2), "A", "XXXXXXXXX1", 10.0, None, None, False),
        ]
    )
    row = repeat_metrics(orders, PRODUCTS, start=D(2026, 5, 1), end=D(2026, 5, 2), by=["asin"]).iloc[0]
    assert row["repeat_pending"] == 1
    assert row["repeat_rate"] is None or math.isnan(row["repeat_rate"])
    # In-period: A has O1 and O2 in 05-01 … 05-02 → 1/1.
    assert row["repeat_rate_in_period"] == 1


def test_baseline_entry_is_the_first_line_of_any_attribution() -> None:
    """Customer F, ASIN X: unattributed 01-01, attributed (maya) 04-05, unattributed 05-01; G ends the store 12-31.

    Attributed entry 04-05; its window 04-05 … 07-04 holds O12 (05-01) → repeat_rate = 1/1.
    Baseline entry 01-01 (any attribution); window 01-01 … 04-01 holds no other order (O11 is 04-05) → 0/1.
    G's line is ASIN Y: by ASIN it is another group, so X's baseline has F alone.
    """
    orders = orders_frame(
        [
            ("O10", D(2026, 1, 1), "F", "XXXXXXXXX1", 10.0, None, None, True),
            ("O11", D(2026, 4, 5), "F", "XXXXXXXXX1", 10.0, "maya", None, False),
            ("O12", D(2026, 5, 1), "F", "XXXXXXXXX1", 10.0, None, None, False),
            ("O13", D(2026, 12, 31), "G", "YYYYYYYYY1", 10.0, None, None, True),
        ]
    )
    result = repeat_metrics(orders, PRODUCTS, start=D(2026, 1, 1), end=D(2026, 12, 31), by="asin")
    x = only_row(result, asin="XXXXXXXXX1")
    assert x["repeat_rate"] == 1
    assert x["baseline_repeat_rate"] == 0
    # Y has only baseline lines: a row with null attributed metrics and G's baseline (12-31 + 90 is not matured).
    y = only_row(result, asin="YYYYYYYYY1")
    assert y["attributed_lines"] == 0 and math.isnan(y["ntb_pct"])
    assert math.isnan(y["baseline_repeat_rate"]) and y["baseline_ntb_pct"] == 1


def test_flag_rates_divide_by_every_line_and_filters_narrow_only_what_the_spec_says() -> None:
    """ASIN X: three attributed lines with new_to_brand True (maya), False (jon), unknown (maya); one unattributed
    True. ASIN Y: one unattributed False.

    ntb_pct (all lines) = 1/3; with flag_denominator="known" = 1/2.
    baseline_ntb_pct over every X line = 2 true / 4 lines = 1/2 (grouped by asin).
    With a creator filter (maya): attributed = 2 lines, 1 true → 1/2; the baseline is not narrowed: still 1/2.
    With an ASIN filter (X) and no grouping: baseline = X's 4 lines → 1/2, not 2/5 with Y's line.
    """
    orders = orders_frame(
        [
            ("O1", D(2026, 1, 1), "A", "XXXXXXXXX1", 10.0, "maya", "c1", True),
            ("O2", D(2026, 1, 2), "B", "XXXXXXXXX1", 10.0, "jon", "c1", False),
            ("O3", D(2026, 1, 3), "C", "XXXXXXXXX1", 10.0, "maya", "c2", None),
            ("O4", D(2026, 1, 4), "D", "XXXXXXXXX1", 10.0, None, None, True),
            ("O5", D(2026, 1, 5), "E", "YYYYYYYYY1", 10.0, None, None, False),
        ]
    )
    scope = {"start": D(2026, 1, 1), "end": D(2026, 1, 31)}
    x = only_row(repeat_metrics(orders, PRODUCTS, by="asin", **scope), asin="XXXXXXXXX1")
    assert x["ntb_pct"] == pytest.approx(1 / 3)
    assert x["baseline_ntb_pct"] == pytest.approx(1 / 2)
    known = only_row(repeat_metrics(orders, PRODUCTS, by="asin", flag_denominator="known", **scope), asin="XXXXXXXXX1")
    assert known["ntb_pct"] == pytest.approx(1 / 2)
    maya = repeat_metrics(orders, PRODUCTS, by="asin", creators=["maya"], **scope)
    assert only_row(maya, asin="XXXXXXXXX1")["ntb_pct"] == pytest.approx(1 / 2)
    assert only_row(maya, asin="XXXXXXXXX1")["baseline_ntb_pct"] == pytest.approx(1 / 2)
    whole = repeat_metrics(orders, PRODUCTS, by=[], asins=["XXXXXXXXX1"], **scope).iloc[0]
    assert whole["baseline_ntb_pct"] == pytest.approx(1 / 2)
    everything = repeat_metrics(orders, PRODUCTS, by=[], **scope).iloc[0]
    assert everything["baseline_ntb_pct"] == pytest.approx(2 / 5)
    # sns_rate: the column was never loaded → not available, not 0.
    assert everything["sns_rate"] is None or math.isnan(everything["sns_rate"])


def performance_rows(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    columns = ["date", "program", "creator", "asin", "clicks", "orders", "revenue", "commission"]
    return pd.DataFrame(rows, columns=columns)


def commission_store(extra: list[tuple[Any, ...]] = ()) -> pd.DataFrame:
    """P0 (January): X 100/10 (r .10), Y 200/40 (r .20), W 100/20 (r .20). P1 (February): X 200/30 (r .15),
    Y 100/20 (r .20), Z 100/5 (r .05)."""
    cc = "creator_connections"
    return performance_rows(
        [
            (D(2026, 1, 5), cc, "maya", "X", 40, 2, 100.0, 10.0),
            (D(2026, 1, 6), cc, "maya", "Y", 60, 4, 200.0, 40.0),
            (D(2026, 1, 31), cc, "jon", "W", 40, 2, 100.0, 20.0),
            (D(2026, 2, 1), cc, "maya", "X", 50, 4, 200.0, 30.0),
            (D(2026, 2, 2), cc, "jon", "Y", 30, 2, 100.0, 20.0),
            (D(2026, 2, 28), cc, "maya", "Z", 30, 2, 100.0, 5.0),
            *extra,
        ]
    )


PERIODS = {"before": (D(2026, 1, 1), D(2026, 1, 31)), "after": (D(2026, 2, 1), D(2026, 2, 28))}


def test_commission_change_adds_up() -> None:
    """ΣR0 = 400, ΣC0 = 70 → share_before .175; ΣR1 = 400, ΣC1 = 55 → share_after .1375.
    w0: X .25, Y .50, W .25; w1: X .50, Y .25, Z .25.
    rate_effect = .50 × (.15 − .10) + .25 × (.20 − .20) = .025
    mix_effect = (.50 − .25) × .10 + (.25 − .50) × .20 = .025 − .05 = −.025
    entry_exit_effect = .25 × .05 (Z enters) − .25 × .20 (W exits) = .0125 − .05 = −.0375
    sum = −.0375 = .1375 − .175. commission_per_click: 70 / 140 = .5 before, 55 / 110 = .5 after.
    """
    row = commission_change(commission_store(), None, by="program", **PERIODS).iloc[0]
    assert row["program"] == "creator_connections"
    assert row["share_before"] == pytest.approx(0.175)
    assert row["share_after"] == pytest.approx(0.1375)
    assert row["rate_effect"] == pytest.approx(0.025)
    assert row["mix_effect"] == pytest.approx(-0.025)
    assert row["entry_exit_effect"] == pytest.approx(-0.0375)
    assert row["unexplained"] == pytest.approx(0, abs=1e-12)
    assert row["commission_per_click_before"] == pytest.approx(0.5)
    assert row["commission_per_click_after"] == pytest.approx(0.5)


def test_commission_with_zero_revenue_is_what_the_effects_cannot_explain() -> None:
    """Add V in P1 with revenue 0 and commission 4: ΣC1 = 59, share_after = 59 / 400 = .1475. V has no revenue,
    so no weight and no rate: the effects stay as before (sum −.0375) and 4 / 400 = .01 is unexplained."""
    extra = [(D(2026, 2, 3), "creator_connections", "maya", "V", 10, 0, 0.0, 4.0)]
    row = commission_change(commission_store(extra), None, by="program", **PERIODS).iloc[0]
    assert row["share_after"] == pytest.approx(0.1475)
    assert row["rate_effect"] + row["mix_effect"] + row["entry_exit_effect"] == pytest.approx(-0.0375)
    assert row["unexplained"] == pytest.approx(0.01)


def test_commission_change_for_a_group_in_one_period_only_has_null_effects() -> None:
    """By creator, with a creator "kim" only in P1: share_before null (ΣR0 = 0), so every effect is null."""
    extra = [(D(2026, 2, 3), "creator_connections", "kim", "X", 10, 1, 50.0, 5.0)]
    kim = only_row(commission_change(commission_store(extra), None, by="creator", **PERIODS), creator="kim")
    assert math.isnan(kim["share_before"]) and kim["share_after"] == pytest.approx(0.1)
    assert math.isnan(kim["rate_effect"]) and math.isnan(kim["entry_exit_effect"])


def test_program_health() -> None:
    """Weeks (Sundays): w1 01-04, w2 01-11, w3 01-18, w4 01-25, w5 02-01, w6 02-08.
    a clicks in w1 and w2; b has a 0-click row in w1 and clicks in w2; c clicks Saturday 01-10 (w1) and
    Sunday 02-08 (w6).
    w1: active a, c; new a, c; lapsed none → 2, 2, 0
    w2: active a, b; new b; lapsed c → 2, 1, 1
    w3: none active; a, b, c active in w1–w2 → 0, 0, 3
    w4: 4 weeks before = w0–w3 → 0, 0, 3;  w5: w1–w4 → 0, 0, 3
    w6: active c (not new: first click w1); 4 weeks before = w2–w5 → a, b → 1, 0, 2
    """
    performance = performance_rows(
        [
            (D(2026, 1, 5), None, "a", "X", 3, 0, 0.0, 0.0),
            (D(2026, 1, 12), None, "a", "X", 1, 0, 0.0, 0.0),
            (D(2026, 1, 6), None, "b", "X", 0, 0, 0.0, 0.0),
            (D(2026, 1, 13), None, "b", "X", 2, 0, 0.0, 0.0),
            (D(2026, 1, 10), None, "c", "X", 5, 0, 0.0, 0.0),
            (D(2026, 2, 8), None, "c", "X", 1, 0, 0.0, 0.0),
        ]
    )
    result = program_health(performance, start=D(2026, 1, 4), end=D(2026, 2, 14))
    assert result["week"].tolist() == [D(2026, 1, 4) + dt.timedelta(days=7 * n) for n in range(6)]
    assert result["creators_active"].tolist() == [2, 2, 0, 0, 0, 1]
    assert result["creators_new"].tolist() == [2, 1, 0, 0, 0, 0]
    assert result["creators_lapsed"].tolist() == [0, 1, 3, 3, 3, 2]


def test_top5_revenue_share() -> None:
    """Six creators with revenue 10, 20, 30, 40, 50, 60 (total 210): top five = 200 → 200 / 210.
    A seventh row outside the scope does not count; an empty scope is null."""
    rows = [(D(2026, 1, 5), None, f"c{n}", "X", 1, 1, 10.0 * n, 0.0) for n in range(1, 7)]
    rows.append((D(2026, 3, 1), None, "c1", "X", 1, 1, 1000.0, 0.0))
    performance = performance_rows(rows)
    assert top5_revenue_share(performance, start=D(2026, 1, 1), end=D(2026, 1, 31)) == pytest.approx(200 / 210)
    assert top5_revenue_share(performance, start=D(2025, 1, 1), end=D(2025, 1, 31)) is None


def rank_store() -> tuple[pd.DataFrame, pd.DataFrame]:
    products = pd.DataFrame(
        [
            {"asin": "T", "product_line": "Protein", "activation_date": D(2026, 3, 10)},
            {"asin": "C1", "product_line": "Protein", "activation_date": None},
            {"asin": "C2", "product_line": "Protein", "activation_date": D(2026, 3, 12)},
            {"asin": "S", "product_line": "Snacks", "activation_date": None},
        ]
    )
    readings = [
        ("T", "a", [(8, 10), (9, 12), (10, 6), (11, None)]),
        ("T", "b", [(8, None), (9, None), (10, 4)]),
        ("C1", "x", [(8, 20), (9, 20), (10, 22), (11, 24)]),
        ("C1", "y", [(8, 30), (11, 29)]),
        ("C1", "z", [(8, 5), (10, None)]),
        ("C2", "x", [(8, 50), (10, 10)]),
        ("S", "s", [(8, 1), (9, 1), (10, 90), (11, 90)]),
    ]
    ranks = pd.DataFrame(
        [
            {"date": D(2026, 3, n), "asin": asin, "keyword": keyword, "organic_rank": rank}
            for asin, keyword, days in readings
            for n, rank in days
        ]
    )
    return ranks, products


def test_rank_lift_against_a_control_group() -> None:
    """Window 2, lag 0. T activates 03-10: B = 03-08 … 03-09, F = 03-10 … 03-11.
    T/a: before median(10, 12) = 11, after median(6) = 6 (03-11 not ranked) → change 5.
    T/b: no ranked day in B → before null, after 4, change null.
    Controls (Protein, readings in B and F, activation empty or after 03-11):
    C1 (never activated) ✓; C2 (activates 03-12) ✓ with 03-08 in B and 03-10 in F. S is in another line.
    C1/x: 20 → median(22, 24) = 23 → −3; C1/y: 30 → 29 → 1; C1/z: after not ranked → no change.
    C2/x: 50 → 10 → 40. control_change = median(−3, 1, 40) = 1; control_keywords 3, control_asins 2.
    T: rank_change = median(5) = 5 → lift_vs_control = 4; keyword a lift 5 − 1 = 4, keyword b lift null.
    T's rank_before = median(11) = 11, rank_after = median(6, 4) = 5; improved 1 of 1 measured.
    """
    ranks, products = rank_store()
    keywords = rank_lift_with_control(ranks, products, None, by="keyword", window_days=2)
    a = only_row(keywords, asin="T", keyword="a")
    assert (a["rank_before"], a["rank_after"], a["rank_change"]) == (11, 6, 5)
    assert a["control_change"] == 1 and a["lift_vs_control"] == 4
    assert (a["control_asins"], a["control_keywords"]) == (2, 3)
    b = only_row(keywords, asin="T", keyword="b")
    assert math.isnan(b["rank_before"]) and math.isnan(b["rank_change"]) and math.isnan(b["lift_vs_control"])
    asins = rank_lift_with_control(ranks, products, None, by="asin", window_days=2)
    t = only_row(asins, asin="T")
    assert (t["rank_before"], t["rank_after"], t["rank_change"]) == (11, 5, 5)
    assert (t["keywords_improved"], t["keywords_measured"]) == (1, 1)
    assert t["lift_vs_control"] == 4
    # Never-activated ASINs (C1, S) have no lift rows.
    assert set(asins["asin"]) == {"T", "C2"}


def test_rank_lift_control_excludes_asins_activated_inside_the_after_window_and_events() -> None:
    """C2 now activates 03-11, inside T's F = 03-10 … 03-11: not a control for T. T's control is C1 alone:
    median(−3, 1) = −1, lift = 5 − (−1) = 6, control_asins 1.
    Excluding an event on 03-09 from every window: T/a before = median(10) → change 10 − 6 = 4; C1/x before
    median(20) = 20 → −3, C1/y → 1 → control −1 → lift 5. Without exclude_events the event changes nothing: 6.
    Product line (no events): C2 (B = 03-09 … 03-10, F = 03-11 … 03-12): C2/x before 10, after none → change null.
    C2's control: C1 (x: median(20, 22) = 21 → 24 = −3; y and z have no ranked day in B) → −3; T is activated.
    Line control_change = median(−1, −3) = −2; lift_vs_control = median over non-null lifts (T's 6) = 6.
    """
    ranks, products = rank_store()
    products.loc[products["asin"] == "C2", "activation_date"] = D(2026, 3, 11)
    t = only_row(rank_lift_with_control(ranks, products, None, by="asin", window_days=2), asin="T")
    assert (t["control_change"], t["lift_vs_control"], t["control_asins"]) == (-1, 6, 1)
    events = pd.DataFrame([{"name": "deal", "start": D(2026, 3, 9), "end": D(2026, 3, 9)}])
    excluded = rank_lift_with_control(
        ranks, products, None, by="asin", window_days=2, events=events, exclude_events=True
    )
    assert only_row(excluded, asin="T")["lift_vs_control"] == 5
    kept = rank_lift_with_control(ranks, products, None, by="asin", window_days=2, events=events)
    assert only_row(kept, asin="T")["lift_vs_control"] == 6
    line = only_row(
        rank_lift_with_control(ranks, products, None, by="product_line", window_days=2), product_line="Protein"
    )
    assert line["control_change"] == -2 and line["lift_vs_control"] == 6


def test_activation_falls_back_to_the_first_click() -> None:
    """Q is not in the catalog: 03-01 has 0 clicks, 03-02 has 12 → activated 03-02. T keeps its catalog date."""
    _, products = rank_store()
    performance = performance_rows(
        [
            (D(2026, 3, 1), None, "maya", "Q", 0, 0, 0.0, 0.0),
            (D(2026, 3, 2), None, "maya", "Q", 12, 1, 20.0, 2.0),
            (D(2026, 3, 1), None, "maya", "T", 5, 0, 0.0, 0.0),
        ]
    )
    activation = activation_dates(products, performance)
    assert activation["Q"] == D(2026, 3, 2)
    assert activation["T"] == D(2026, 3, 10)
    assert "C1" not in activation


def test_sales_metrics() -> None:
    """Scope 03-01 … 03-31.
    X week 03-01 … 03-07: revenue 1000, sessions 100, buy box .9; X week 03-08 … 03-14: 500, 300, .5;
    X 02-26 … 03-04 straddles the start: left out. Y month 03-01 … 03-31: 2000, sessions 0, buy box unknown.
    Attributed revenue: X 03-02 100, X 03-09 100, X 02-27 999 (no included period covers it); Y 03-15 200,
    Y 04-01 77 (outside).
    By asin: X total 1500, creator_sales_share 200 / 1500, buy_box_pct (.9 × 100 + .5 × 300) / 400 = .6;
    Y total 2000, share 200 / 2000 = .1, buy_box_pct null.
    By week: Y's month is not inside a week: left out. 03-01: 1000, 100 / 1000 = .1; 03-08: 500, 100 / 500 = .2.
    """
    sales = pd.DataFrame(
        [
            (D(2026, 3, 1), D(2026, 3, 7), "X", 1000.0, 10, 100, 0.9),
            (D(2026, 3, 8), D(2026, 3, 14), "X", 500.0, 5, 300, 0.5),
            (D(2026, 2, 26), D(2026, 3, 4), "X", 700.0, 7, 70, 0.7),
            (D(2026, 3, 1), D(2026, 3, 31), "Y", 2000.0, 20, 0, None),
        ],
        columns=["period_start", "period_end", "asin", "total_revenue", "total_units", "sessions", "buy_box_pct"],
    )
    performance = performance_rows(
        [
            (D(2026, 3, 2), None, "maya", "X", 1, 1, 100.0, 1.0),
            (D(2026, 3, 9), None, "jon", "X", 1, 1, 100.0, 1.0),
            (D(2026, 2, 27), None, "maya", "X", 1, 1, 999.0, 1.0),
            (D(2026, 3, 15), None, "maya", "Y", 1, 1, 200.0, 1.0),
            (D(2026, 4, 1), None, "maya", "Y", 1, 1, 77.0, 1.0),
        ]
    )
    scope = {"start": D(2026, 3, 1), "end": D(2026, 3, 31)}
    by_asin = sales_metrics(sales, performance, None, by="asin", **scope)
    x = only_row(by_asin, asin="X")
    assert (x["total_revenue"], x["total_units"], x["sessions"]) == (1500, 15, 400)
    assert x["creator_sales_share"] == pytest.approx(200 / 1500)
    assert x["buy_box_pct"] == pytest.approx(0.6)
    y = only_row(by_asin, asin="Y")
    assert y["creator_sales_share"] == pytest.approx(0.1) and math.isnan(y["buy_box_pct"])
    by_week = sales_metrics(sales, performance, None, by="week", **scope)
    assert by_week["week"].tolist() == [D(2026, 3, 1), D(2026, 3, 8)]
    assert by_week["total_revenue"].tolist() == [1000, 500]
    assert by_week["creator_sales_share"].tolist() == pytest.approx([0.1, 0.2])


def test_search_metrics_and_brand_terms() -> None:
    """Brand term "Acme". Branded (whole word, any case): "acme protein" 100, "ACME bars" 50, "acme-bar" 20 → 170.
    "acmex shake" is not branded (acme is not a whole word there). Other queries: acmex shake (clicks 10, brand 2)
    and protein powder (40, 8) → brand_click_share = 10 / 50 = .2. Week 2 has no clicks on other queries → null.
    """
    week1, week2 = (D(2026, 3, 1), D(2026, 3, 7)), (D(2026, 3, 8), D(2026, 3, 14))
    search = pd.DataFrame(
        [
            (*week1, "acme protein", 100, 30, 25),
            (*week1, "ACME bars", 50, 20, 20),
            (*week1, "acme-bar", 20, 5, 5),
            (*week1, "acmex shake", 30, 10, 2),
            (*week1, "protein powder", 400, 40, 8),
            (*week2, "acme protein", 10, 0, 0),
            (*week2, "protein powder", 10, 0, 0),
        ],
        columns=["period_start", "period_end", "search_query", "search_query_volume", "clicks_total", "clicks_brand"],
    )
    assert is_branded("Best ACME  protein", ["acme"]) and not is_branded("acmex", ["Acme"])
    result = search_metrics(search, ["Acme"], start=D(2026, 3, 1), end=D(2026, 3, 31), by="week")
    first = only_row(result, week=D(2026, 3, 1))
    assert first["branded_search_volume"] == 170
    assert first["brand_click_share"] == pytest.approx(0.2)
    assert math.isnan(only_row(result, week=D(2026, 3, 8))["brand_click_share"])


def test_ba_repeat_rate() -> None:
    """X: (100 customers, 10 %), (300, 20 %) → (10 + 60) / 400 = .175. Y: 0 customers → null."""
    rows = pd.DataFrame(
        [
            (D(2026, 3, 1), D(2026, 3, 7), "X", 100, 0.1),
            (D(2026, 3, 8), D(2026, 3, 14), "X", 300, 0.2),
            (D(2026, 3, 1), D(2026, 3, 7), "Y", 0, 0.5),
        ],
        columns=["period_start", "period_end", "asin", "unique_customers", "repeat_customers_pct"],
    )
    result = ba_repeat_rate(rows, None, start=D(2026, 3, 1), end=D(2026, 3, 31), by="asin")
    assert only_row(result, asin="X")["ba_repeat_rate"] == pytest.approx(0.175)
    assert math.isnan(only_row(result, asin="Y")["ba_repeat_rate"])


def test_cohort_metrics() -> None:
    """March: maya buyers 10 (ntb 4, repeat 2, sns 1); jon 30 (ntb 6, repeat 3, sns unknown); all buyers (blank
    creator) 100 (50, 20, 10). A row for 02-20 … 03-05 straddles the scope's start: left out.
    By creator: maya .4 / .2 / .1; jon .2 / .1 / null; baselines .5 / .2 / .1 for both.
    No grouping: ntb 10 / 40 = .25, repeat 5 / 40 = .125, sns 1 / 40 = .025 (Σ sns_buyers / Σ buyers: jon's 30
    buyers count, his blank count adds nothing).
    """
    march = (D(2026, 3, 1), D(2026, 3, 31))
    cohorts = pd.DataFrame(
        [
            (*march, "maya", 10, 4, 2, 1),
            (*march, "jon", 30, 6, 3, None),
            (*march, "", 100, 50, 20, 10),
            (D(2026, 2, 20), D(2026, 3, 5), "maya", 1000, 1000, 1000, 1000),
        ],
        columns=["period_start", "period_end", "creator", "buyers", "ntb_buyers", "repeat_buyers", "sns_buyers"],
    )
    scope = {"start": D(2026, 3, 1), "end": D(2026, 3, 31)}
    by_creator = cohort_metrics(cohorts, None, by="creator", **scope)
    maya = only_row(by_creator, creator="maya")
    assert (maya["ntb_pct"], maya["repeat_rate"], maya["sns_rate"]) == pytest.approx((0.4, 0.2, 0.1))
    jon = only_row(by_creator, creator="jon")
    assert (jon["ntb_pct"], jon["repeat_rate"]) == pytest.approx((0.2, 0.1)) and math.isnan(jon["sns_rate"])
    assert (jon["baseline_ntb_pct"], jon["baseline_repeat_rate"], jon["baseline_sns_rate"]) == pytest.approx(
        (0.5, 0.2, 0.1)
    )
    total = cohort_metrics(cohorts, None, by=[], **scope).iloc[0]
    assert (total["ntb_pct"], total["repeat_rate"], total["sns_rate"]) == pytest.approx((0.25, 0.125, 0.025))


def test_random_store_hits_the_traps() -> None:
    """The generator's hand-placed customers behave as the SPEC says: EDGE90's second order is on entry + 90 (a
    repeat), EDGE91's on entry + 91 (not), PENDING's entry + 90 is after the last day (pending)."""
    store = random_store(7)
    orders = store["orders"]
    assert orders["order_date"].max() == LAST_DAY
    chosen = orders[orders["customer_id"].isin(["EDGE90", "EDGE91", "PENDING", "LASTDAY"])]
    edge = repeat_metrics(chosen, store["products"], start=FIRST_DAY, end=LAST_DAY, by="creator", creators=["maya"])
    maya = only_row(edge, creator="maya")
    assert (maya["repeat_matured"], maya["repeat_rate"]) == (2, 0.5)
    jon = only_row(
        repeat_metrics(chosen, store["products"], start=FIRST_DAY, end=LAST_DAY, by="creator"), creator="jon"
    )
    assert jon["repeat_pending"] == 1 and math.isnan(jon["repeat_rate"])


@pytest.mark.parametrize("seed", range(4))
def test_random_stores_run_through_every_reference(seed: int) -> None:
    """Every function runs on a random store; the commission effects add up unless commission has no revenue."""
    store = random_store(seed)
    scope = {"start": FIRST_DAY, "end": LAST_DAY}
    split = FIRST_DAY + dt.timedelta(days=SPLIT_DAY)
    periods = {"before": (FIRST_DAY, split - dt.timedelta(days=1)), "after": (split, LAST_DAY)}
    for dim in ["program", "product_line", "creator", "campaign"]:
        change = commission_change(store["performance"], store["products"], by=dim, **periods)
        assert change["unexplained"].dropna().abs().max() < 1e-9
    trapped = random_store(seed, zero_revenue_commission=True)
    change = commission_change(trapped["performance"], trapped["products"], by="creator", **periods)
    assert only_row(change, creator="maya")["unexplained"] > 1e-6
    for by in (["creator"], ["asin", "week"], ["product_line", "campaign"], []):
        assert not repeat_metrics(store["orders"], store["products"], by=by, **scope).empty
    health = program_health(store["performance"])
    assert len(health) == math.ceil(DAYS / 7)
    assert 0 < top5_revenue_share(store["performance"], **scope) < 1
    for level in ("keyword", "asin", "product_line"):
        lift = rank_lift_with_control(store["ranks"], store["products"], store["performance"], by=level)
        assert lift["lift_vs_control"].notna().any()
    assert not sales_metrics(
        store["sales"], store["performance"], store["products"], by=["asin", "week"], **scope
    ).empty
    assert not search_metrics(store["search"], store["brand_terms"]["term"].tolist(), by="week", **scope).empty
    assert not ba_repeat_rate(store["repeat_purchase"], store["products"], by="week", **scope).empty
    assert not cohort_metrics(store["cohorts"], store["products"], by="creator", **scope).empty
