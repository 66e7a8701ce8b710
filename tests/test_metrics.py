"""Every performance and orders metric on tiny fixtures whose arithmetic is worked out in the docstrings."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.metrics import grouped as metrics
from analytics.metrics.grouped import (
    GROUPED_METRICS,
    REGISTRY,
    SALES_METRICS,
    WITHOUT_BASELINES,
    Scope,
    filter_values,
    grouped_metrics,
    totals,
)
from analytics.review.customer_value import with_scope_baselines
from analytics.store.database import unload

PRODUCTS = """
    asin,product_line,title,price,standard_rate,bonus_rate
    AAAAAAAAA1,Protein,Whey 2lb,20.00,0.03,0.10
    AAAAAAAAA2,Protein,Bar 12ct,12.00,,0.05
"""

# 2026-03-01 is a Sunday: the 02-28 row belongs to the week of 02-22, the rest to the week of 03-01,
# and 03-08 (a Sunday, outside the range) starts the next one.
PERFORMANCE = """
    date,campaign,creator,asin,clicks,orders,units,revenue,commission,ntb_orders,sns_orders
    2026-02-28,Spring,maya,AAAAAAAAA1,100,1,1,20.00,2.00,1,0
    2026-03-01,Spring,maya,AAAAAAAAA1,10,5,6,100.00,10.00,2,1
    2026-03-07,,maya,AAAAAAAAA2,0,0,0,0.00,0.00,,
    2026-03-07,Spring,leo,BBBBBBBBB1,50,1,1,30.00,6.00,0,1
    2026-03-08,Spring,leo,AAAAAAAAA1,40,2,2,40.00,4.00,1,0
"""

ORDERS = """
    order_id,order_date,customer_id,asin,revenue,creator,campaign,new_to_brand,subscribe_and_save
    O1,2026-03-01,C1,AAAAAAAAA1,20.00,maya,Spring,true,false
    O1,2026-03-01,C1,AAAAAAAAA2,12.00,maya,Spring,true,true
    O2,2026-03-02,C2,AAAAAAAAA1,20.00,maya,Spring,false,false
    O3,2026-03-05,C2,BBBBBBBBB1,30.00,,,false,true
    O4,2026-03-03,C3,AAAAAAAAA1,20.00,leo,Spring,true,false
    O5,2026-03-04,C4,AAAAAAAAA1,20.00,,,false,false
    O6,2026-03-20,C3,AAAAAAAAA1,20.00,,,false,false
"""

WEEK_RANGE = Scope(date(2026, 2, 28), date(2026, 3, 7))
MARCH_WEEK = Scope(date(2026, 3, 1), date(2026, 3, 7))


@pytest.fixture
def performance_only(load_text, con):
    load_text("products.csv", PRODUCTS)
    load_text("performance.csv", PERFORMANCE)
    return con


@pytest.fixture
def with_orders(performance_only, load_text):
    load_text("orders.csv", ORDERS)
    return performance_only


def rows_by(frame, column):
    return {row[column]: row for row in frame.to_dict(orient="records")}


def test_rates_are_ratios_of_sums_over_an_inclusive_range(performance_only):
    """02-28 .. 03-07, both ends included; the 03-08 row is out.

    maya: clicks 100 + 10 + 0 = 110, orders 1 + 5 = 6, units 7, revenue 120, commission 12.
      conversion 6 / 110 = 0.054545 (the average of daily rates would be (0.01 + 0.5) / 2 = 0.255),
      commission share 12 / 120 = 0.1, payout per order 12 / 6 = 2.0, revenue share 120 / 150 = 0.8.
    leo: clicks 50, orders 1, revenue 30, commission 6: conversion 0.02, commission share 0.2,
      payout 6.0, revenue share 0.2 (with 03-08 wrongly included it would be 70 / 190).
    """
    frame = rows_by(grouped_metrics(performance_only, WEEK_RANGE, ["creator"]), "creator")
    maya, leo = frame["maya"], frame["leo"]
    assert (maya["clicks"], maya["orders"], maya["units"]) == (110, 6, 7)
    assert maya["revenue"] == pytest.approx(120.0) and maya["commission"] == pytest.approx(12.0)
    assert maya["conversion_rate"] == pytest.approx(6 / 110)
    assert maya["commission_share"] == pytest.approx(0.1)
    assert maya["payout_per_order"] == pytest.approx(2.0)
    assert maya["revenue_share"] == pytest.approx(0.8)
    assert (leo["clicks"], leo["orders"]) == (50, 1)
    assert leo["conversion_rate"] == pytest.approx(0.02)
    assert leo["commission_share"] == pytest.approx(0.2)
    assert leo["payout_per_order"] == pytest.approx(6.0)
    assert leo["revenue_share"] == pytest.approx(0.2)


def test_weeks_start_on_sunday(performance_only):
    """Saturday 02-28 is in the week of Sunday 02-22; Sunday 03-01 .. Saturday 03-07 form the next week.

    week 02-22: clicks 100, orders 1. week 03-01: clicks 10 + 0 + 50 = 60, orders 5 + 1 = 6.
    """
    frame = grouped_metrics(performance_only, WEEK_RANGE, ["week"])
    weeks = {row["week"].date().isoformat(): row for row in frame.to_dict(orient="records")}
    assert list(weeks) == ["2026-02-22", "2026-03-01"]
    assert (weeks["2026-02-22"]["clicks"], weeks["2026-02-22"]["orders"]) == (100, 1)
    assert (weeks["2026-03-01"]["clicks"], weeks["2026-03-01"]["orders"]) == (60, 6)


def test_a_zero_denominator_gives_null_not_zero(performance_only):
    """The row without a campaign has 0 clicks, 0 orders and $0 revenue: every ratio over them is null."""
    frame = grouped_metrics(performance_only, WEEK_RANGE, ["campaign"])
    no_campaign = frame[frame["campaign"].isna()].iloc[0]
    assert no_campaign["clicks"] == 0
    for metric in ("conversion_rate", "commission_share", "payout_per_order"):
        assert no_campaign[metric] != no_campaign[metric], metric  # NaN: null, not 0


def test_asins_missing_from_the_catalog_belong_to_unassigned(performance_only):
    """Protein = A1 + A2: revenue 20 + 100 + 0 = 120; BBBBBBBBB1 is not in the catalog: Unassigned, 30."""
    frame = rows_by(grouped_metrics(performance_only, WEEK_RANGE, ["product_line"]), "product_line")
    assert frame["Protein"]["revenue"] == pytest.approx(120.0)
    assert frame["Unassigned"]["revenue"] == pytest.approx(30.0)


def test_a_product_line_filter_reads_the_catalog_when_nothing_is_grouped_by_line(with_orders):
    """Unassigned is BBBBBBBBB1 alone (not in the catalog), so filtered to it the totals are B1's: leo's 30.00 on
    03-07, and the baseline line O3 of C2 on 03-05. With R = 10 C2 has matured (03-15 <= 03-20, the last order),
    and their other order O2 (03-02) comes before the entry: no repeat, 0/1 (within the period it was one)."""
    by_line = totals(with_orders, Scope(MARCH_WEEK.start, MARCH_WEEK.end, product_lines=("Unassigned",)), None, 10)
    by_asin = totals(with_orders, Scope(MARCH_WEEK.start, MARCH_WEEK.end, asins=("BBBBBBBBB1",)), None, 10)
    assert by_line == by_asin
    assert by_line["revenue"] == pytest.approx(30.0)
    assert by_line["baseline_repeat_rate"] == pytest.approx(0.0)


def test_filters_narrow_the_scope_and_revenue_share(performance_only):
    """Filtered to product line Protein, maya's revenue share is 120 / 120 = 1.0, not 0.8."""
    scope = Scope(WEEK_RANGE.start, WEEK_RANGE.end, product_lines=("Protein",))
    frame = rows_by(grouped_metrics(performance_only, scope, ["creator"]), "creator")
    assert list(frame) == ["maya"]
    assert frame["maya"]["revenue_share"] == pytest.approx(1.0)


def test_without_order_lines_customer_rates_fall_back_to_performance_counts(performance_only):
    """No orders table: ntb_pct = ntb_orders / orders over rows where ntb_orders was given.

    maya: ntb 1 + 2 = 3 of orders 1 + 5 = 6 -> 0.5; sns 0 + 1 = 1 of 6. leo: ntb 0 / 1, sns 1 / 1.
    The repeat rates and the baselines need order lines (or cohorts): null.
    """
    frame = rows_by(grouped_metrics(performance_only, WEEK_RANGE, ["creator"]), "creator")
    assert frame["maya"]["ntb_pct"] == pytest.approx(0.5)
    assert frame["maya"]["sns_rate"] == pytest.approx(1 / 6)
    assert frame["leo"]["ntb_pct"] == pytest.approx(0.0)
    assert frame["leo"]["sns_rate"] == pytest.approx(1.0)
    for metric in (
        "repeat_rate",
        "repeat_pending",
        "repeat_rate_in_period",
        "baseline_ntb_pct",
        "baseline_sns_rate",
        "baseline_repeat_rate",
    ):
        assert pd.isna(frame["maya"][metric]), metric
    assert frame["maya"]["customer_source"] == "performance"


def test_customer_metrics_come_from_attributed_order_lines(with_orders):
    """03-01 .. 03-07. Distinct orders per customer in range: C1 1 (O1 has two lines), C2 2 (O2, O3),
    C3 1 (O6 is after the range), C4 1.

    maya: lines O1/A1, O1/A2, O2 -> ntb 2/3, sns 1/3; customers C1, C2; repeat in the period C2 only -> 1/2.
      (Counting O1's two lines as two orders would make it 2/2; counting attributed orders only, 0/2.)
    leo: line O4 -> ntb 1/1, sns 0/1; customer C3 -> repeat in the period 0/1 (O6 on 03-20 is after the range).
    With R = 10 every entry (03-01 .. 03-04) has matured by 03-20, the last order: maya's C2 repeats within 10 days
    (O3 on 03-05) -> 1/2, leo's C3 does not (O6 is 17 days on) -> 0/1, and nobody is pending.
    Baseline, all 6 lines in range: ntb O1, O1, O4 = 3/6, sns O1/A2, O3 = 2/6; customers C1..C4, repeat C2 = 1/4.
    """
    frame = rows_by(grouped_metrics(with_orders, MARCH_WEEK, ["creator"], repeat_days=10), "creator")
    maya, leo = frame["maya"], frame["leo"]
    assert maya["ntb_pct"] == pytest.approx(2 / 3)
    assert maya["sns_rate"] == pytest.approx(1 / 3)
    assert maya["repeat_rate"] == pytest.approx(0.5)
    assert maya["repeat_rate_in_period"] == pytest.approx(0.5)
    assert leo["ntb_pct"] == pytest.approx(1.0)
    assert leo["sns_rate"] == pytest.approx(0.0)
    assert leo["repeat_rate"] == pytest.approx(0.0)
    assert leo["repeat_rate_in_period"] == pytest.approx(0.0)
    assert (maya["repeat_pending"], leo["repeat_pending"]) == (0, 0)
    for row in (maya, leo):
        assert row["baseline_ntb_pct"] == pytest.approx(0.5)
        assert row["baseline_sns_rate"] == pytest.approx(1 / 3)
        assert row["baseline_repeat_rate"] == pytest.approx(0.25)


def test_baseline_is_restricted_by_asin_and_product_line(with_orders):
    """With R = 10 (every entry matured by 03-20):
    By ASIN, A1's baseline is lines O1/A1, O2, O4, O5: ntb 2/4, sns 0/4, customers C1..C4, repeat C2 (O3) 1/4.
    By product line, Protein (A1, A2) has O1 x2, O2, O4, O5: ntb 3/5, sns 1/5, repeat 1/4;
    Unassigned (B1) has only the unattributed O3: baseline ntb 0/1, sns 1/1, and C2 enters there on 03-05, after
    their O2: repeat 0/1 - but no attributed line, so its own ntb_pct is null rather than 0.
    """
    by_asin = rows_by(grouped_metrics(with_orders, MARCH_WEEK, ["asin"], repeat_days=10), "asin")
    assert by_asin["AAAAAAAAA1"]["baseline_ntb_pct"] == pytest.approx(0.5)
    assert by_asin["AAAAAAAAA1"]["baseline_sns_rate"] == pytest.approx(0.0)
    assert by_asin["AAAAAAAAA1"]["baseline_repeat_rate"] == pytest.approx(0.25)
    by_line = rows_by(grouped_metrics(with_orders, MARCH_WEEK, ["product_line"], repeat_days=10), "product_line")
    assert by_line["Protein"]["baseline_ntb_pct"] == pytest.approx(0.6)
    assert by_line["Protein"]["baseline_sns_rate"] == pytest.approx(0.2)
    assert by_line["Protein"]["baseline_repeat_rate"] == pytest.approx(0.25)
    assert by_line["Unassigned"]["baseline_sns_rate"] == pytest.approx(1.0)
    assert by_line["Unassigned"]["baseline_repeat_rate"] == pytest.approx(0.0)
    assert by_line["Unassigned"]["ntb_pct"] != by_line["Unassigned"]["ntb_pct"]


def test_a_filtered_whole_scope_baseline_counts_only_the_filtered_buyers(with_orders):
    """By creator (or in total) the baseline is the whole scope's: still narrowed by the ASIN and line filters.

    With R = 10: Unassigned (B1) alone: the baseline is O3 (03-05), customer C2, whose other order O2 came before
    it -> 0/1. A1 alone: lines O1/A1, O2, O4, O5, customers C1..C4, repeat C2 (O3 three days on) -> 1/4.
    """
    for filters, expected in (({"product_lines": ("Unassigned",)}, 0.0), ({"asins": ("AAAAAAAAA1",)}, 0.25)):
        scope = Scope(MARCH_WEEK.start, MARCH_WEEK.end, **filters)
        assert totals(with_orders, scope, None, 10)["baseline_repeat_rate"] == pytest.approx(expected)
        by_creator = grouped_metrics(with_orders, scope, ["creator"], metrics=["baseline_repeat_rate"], repeat_days=10)
        assert by_creator["baseline_repeat_rate"].tolist() == pytest.approx([expected] * len(by_creator))


def test_a_group_in_one_table_only_shows_zero_sums_and_null_ratios(with_orders):
    """leo x A1 has an attributed order line (O4) in range but its performance row is on 03-08, outside:
    clicks, orders and revenue 0; conversion and commission share null; ntb_pct 1/1 from the order line.
    """
    frame = grouped_metrics(with_orders, MARCH_WEEK, ["creator", "asin"])
    row = frame[(frame["creator"] == "leo") & (frame["asin"] == "AAAAAAAAA1")].iloc[0]
    assert (row["clicks"], row["orders"], row["revenue"], row["commission"]) == (0, 0, 0.0, 0.0)
    assert row["conversion_rate"] != row["conversion_rate"]
    assert row["commission_share"] != row["commission_share"]
    assert row["ntb_pct"] == pytest.approx(1.0)


def test_asking_for_some_metrics_gives_the_same_numbers_as_asking_for_all(with_orders):
    """Each subset, with or without the order lines and the repeat counts, agrees with the full frame.

    Performance metrics alone read performance only, so leo x A1 (order line O4, no performance row in
    range) is listed only when an orders metric is asked for.
    """
    full = grouped_metrics(with_orders, MARCH_WEEK, ["creator", "asin"])
    subsets = (
        ["revenue", "conversion_rate"],
        ["ntb_pct", "baseline_sns_rate"],
        ["repeat_rate", "clicks"],
        ["repeat_rate_in_period", "repeat_pending"],
        ["baseline_repeat_rate"],
        ["customer_source", "ntb_pct"],
        list(WITHOUT_BASELINES),
    )
    for names in subsets:
        part = grouped_metrics(with_orders, MARCH_WEEK, ["creator", "asin"], metrics=names)
        assert list(part.columns) == ["creator", "asin", *names]
        expected = full.merge(part[["creator", "asin"]], on=["creator", "asin"])[["creator", "asin", *names]]
        assert part.reset_index(drop=True).equals(expected.reset_index(drop=True))
    performance_only = grouped_metrics(with_orders, MARCH_WEEK, ["creator", "asin"], metrics=["revenue"])
    assert len(performance_only) == len(full) - 1
    assert len(grouped_metrics(with_orders, MARCH_WEEK, ["creator", "asin"], metrics=["ntb_pct"])) == len(full)
    with pytest.raises(ValueError, match="unknown metric"):
        grouped_metrics(with_orders, MARCH_WEEK, ["creator"], metrics=["rank_change"])


def test_creator_filter_narrows_attributed_lines_but_not_the_baseline(with_orders):
    """Only maya: A1's attributed lines are O1/A1 (ntb) and O2 (not) -> 1/2; A1's baseline stays 2/4 = 0.5.
    With R = 10, of maya's customers C1 and C2 on A1, C2 repeats (O3 on 03-05) -> 1/2."""
    scope = Scope(MARCH_WEEK.start, MARCH_WEEK.end, creators=("maya",))
    row = rows_by(grouped_metrics(with_orders, scope, ["asin"], repeat_days=10), "asin")["AAAAAAAAA1"]
    assert row["ntb_pct"] == pytest.approx(0.5)
    assert row["baseline_ntb_pct"] == pytest.approx(0.5)
    assert row["repeat_rate"] == pytest.approx(0.5)


def test_repeat_customers_follow_each_load_and_unload(with_orders, load_text):
    """R = 21. March: C1 (O1, 03-01), C2 (O2 03-02, O3 03-05), C3 (O4 03-03, O6 03-20), C4 (O5, 03-04); the last
    order is on 03-20, so no entry has matured (03-01 + 21 = 03-22): baseline null, maya's C1 and C2 and leo's C3
    all pending.

    A later file gives C4 a second order (O7, 03-25): the store now ends on 03-25, every entry up to 03-04 has
    matured, and C2 (3 days), C3 (17) and C4 (21, the last day of the window) repeat -> 3/4; the attributed
    customers C1, C2, C3 -> 2/3, none pending. Over the first week alone the same entries give the same 3/4: the
    21 days run past the scope's end. Unloading that file brings back the pending state.
    """
    march = Scope(date(2026, 3, 1), date(2026, 3, 31))
    names = ["baseline_repeat_rate", "repeat_rate", "repeat_pending"]
    pending = {"baseline_repeat_rate": None, "repeat_rate": None, "repeat_pending": 3}
    assert totals(with_orders, march, names, 21) == pending
    added = load_text(
        "orders-late.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator,campaign,new_to_brand,subscribe_and_save
        O7,2026-03-25,C4,AAAAAAAAA1,20.00,,,false,false
        """,
    )
    matured = totals(with_orders, march, names, 21)
    assert matured == {
        "baseline_repeat_rate": pytest.approx(0.75),
        "repeat_rate": pytest.approx(2 / 3),
        "repeat_pending": 0,
    }
    assert totals(with_orders, MARCH_WEEK, names, 21)["baseline_repeat_rate"] == pytest.approx(0.75)
    unload(with_orders, added.load_id)
    assert totals(with_orders, march, names, 21) == pending


def test_one_order_over_two_days_is_still_one_order(performance_only, load_text):
    """C5's order O8 (maya) has a line on 03-10 and one on 03-12, and O9 (unattributed) comes on 03-14; C5 is the
    only customer.

    In the period: 03-10 .. 03-12 holds O8 alone: not a repeat (0/1). 03-12 .. 03-14 holds O8 and O9, and so does
    03-10 .. 03-14: a repeat (1/1). 03-10 alone: 0/1.
    """
    load_text(
        "orders.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator,campaign,new_to_brand,subscribe_and_save
        O8,2026-03-10,C5,AAAAAAAAA1,20.00,maya,Spring,true,false
        O8,2026-03-12,C5,AAAAAAAAA2,12.00,maya,Spring,true,false
        O9,2026-03-14,C5,AAAAAAAAA1,20.00,,,false,false
        """,
    )
    expected = {(10, 12): 0.0, (12, 14): 1.0, (10, 14): 1.0, (10, 10): 0.0}
    for (first, last), rate in expected.items():
        scope = Scope(date(2026, 3, first), date(2026, 3, last))
        assert totals(performance_only, scope)["repeat_rate_in_period"] == pytest.approx(rate), (first, last)


def test_order_lines_outside_the_scope_leave_the_fallback_in_place(with_orders):
    """On 02-28 there are no order lines, so ntb comes from the performance row: 1 / 1."""
    frame = grouped_metrics(with_orders, Scope(date(2026, 2, 28), date(2026, 2, 28)), ["creator"])
    assert frame.iloc[0]["ntb_pct"] == pytest.approx(1.0)


def test_filter_values_list_every_creator_line_and_campaign_with_activity(with_orders, load_text):
    """Performance: maya and leo, campaign Spring (and one row without), ASINs A1, A2 (Protein) and B1 (not in
    the catalog: Unassigned). An attributed order line adds ana, campaign Fall; an unattributed one adds nothing.
    """
    before = filter_values(with_orders)
    added = load_text(
        "orders.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator,campaign,new_to_brand,subscribe_and_save
        O7,2026-04-01,C5,AAAAAAAAA2,12.00,ana,Fall,true,false
        O8,2026-04-01,C6,AAAAAAAAA1,20.00,,,true,false
        """,
    )
    assert filter_values(with_orders) == {
        "product_line": ["Protein", "Unassigned"],
        "creator": ["ana", "leo", "maya"],
        "campaign": ["Fall", "Spring"],
    }
    # The values are kept beside the data, so unloading the file takes ana and Fall away again.
    unload(with_orders, added.load_id)
    assert filter_values(with_orders) == before
    assert "ana" not in before["creator"]


def test_totals_of_an_empty_scope_are_zero_sums_and_null_rates(performance_only):
    result = totals(performance_only, Scope(date(2025, 1, 1), date(2025, 1, 31)))
    assert result["clicks"] == 0 and result["revenue"] == 0
    assert result["conversion_rate"] is None and result["ntb_pct"] is None


def test_totals_match_the_sum_of_groups(performance_only):
    """Whole range: clicks 110 + 50 = 160, orders 7, conversion 7 / 160."""
    result = totals(performance_only, WEEK_RANGE)
    assert result["clicks"] == 160 and result["orders"] == 7
    assert result["conversion_rate"] == pytest.approx(7 / 160)


def test_every_grouped_metric_has_a_label_format_and_definition() -> None:
    for metric in GROUPED_METRICS:
        assert metric.label and metric.description.endswith(".") and metric.sql
        assert metric.format in ("count", "money", "percent", "text")
    assert set(REGISTRY) >= {"creator_payout_per_sale", "rank_before", "rank_after", "rank_change"}


def test_unknown_dimensions_are_refused(performance_only):
    with pytest.raises(ValueError, match="unknown dimension"):
        grouped_metrics(performance_only, WEEK_RANGE, ["creator; drop table performance"])


def test_sums_wider_than_a_byte_are_not_truncated(con):
    """150 + 0 clicks for one ASIN and 50 for another: DuckDB's compressed materialization once returned -106."""
    con.execute(
        "insert into performance (load_id, date, creator, asin, clicks, orders, revenue, commission) values "
        "(1, '2026-01-01', 'Ana', 'B0HYDRA001', 0, 1, 20, 0), (1, '2026-01-02', 'Ana', 'B0HYDRA001', 150, 0, 0, 0), "
        "(1, '2026-01-03', 'Ana', 'B0HYDRA002', 50, 0, 0, 0)"
    )
    assert grouped_metrics(con, Scope(), ["asin"])["clicks"].tolist() == [150, 50]


def test_creator_payout_per_sale_per_asin_and_median_per_line(performance_only):
    """A1: 20 x (0.03 + 0.10) = 2.60. A2 has no standard rate, so it counts as 0: 12 x 0.05 = 0.60.
    Protein's median over [2.60, 0.60] = 1.60.
    """
    from analytics.metrics.grouped import product_line_payouts, product_payouts

    payouts = {row["asin"]: row for row in product_payouts(performance_only).to_dict(orient="records")}
    assert payouts["AAAAAAAAA1"]["creator_payout_per_sale"] == pytest.approx(2.60)
    assert payouts["AAAAAAAAA2"]["creator_payout_per_sale"] == pytest.approx(0.60)
    line = product_line_payouts(performance_only).iloc[0]
    assert (line["product_line"], line["asins"]) == ("Protein", 2)
    assert line["creator_payout_per_sale"] == pytest.approx(1.60)


def test_missing_price_or_bonus_rate_makes_the_payout_null(con, load_text):
    from analytics.metrics.grouped import product_payouts

    load_text(
        "products.csv",
        "asin,product_line,price,standard_rate,bonus_rate\nCCCCCCCCC1,X,,0.03,0.1\nCCCCCCCCC2,X,10,0.03,\n",
    )
    assert product_payouts(con)["creator_payout_per_sale"].isna().all()


def test_totals_of_some_metrics_are_those_of_all(with_orders):
    full = totals(with_orders, MARCH_WEEK)
    sales = totals(with_orders, MARCH_WEEK, SALES_METRICS)
    assert sales == {name: full[name] for name in SALES_METRICS}
    empty = totals(with_orders, Scope(date(2020, 1, 1), date(2020, 1, 7)), ["revenue", "repeat_rate"])
    assert empty == {"revenue": 0, "repeat_rate": None}


def test_scope_baselines_stand_in_for_the_baseline_of_groups_that_do_not_split_it(with_orders):
    """By creator, every baseline column is the scope's own: ntb 3/6, S&S 2/6, repeat 1/4 over 02-28 .. 03-07
    (R = 10: C1..C4 matured, C2 repeats)."""
    full = grouped_metrics(with_orders, WEEK_RANGE, ["creator"], repeat_days=10)
    shared = with_scope_baselines(
        grouped_metrics(with_orders, WEEK_RANGE, ["creator"], WITHOUT_BASELINES, 10),
        totals(with_orders, WEEK_RANGE, None, 10),
    )
    assert shared["baseline_ntb_pct"].tolist() == pytest.approx([0.5] * len(full))
    assert shared["baseline_sns_rate"].tolist() == pytest.approx([2 / 6] * len(full))
    assert shared["baseline_repeat_rate"].tolist() == pytest.approx([0.25] * len(full))
    assert shared[full.columns].equals(full)


def test_customers_counted_in_bitmaps_match_customers_grouped_by_key(with_orders, monkeypatch):
    """The whole scope, product lines and a period's weeks count customers as bits set in a bitmap of keys when only
    the repeat rate in the period is asked; with more groups than the bitmaps allow, the same figures come from
    grouping the lines by customer. March's attributed customers: C1 (O1), C2 (O2, O3), C3 (O4, O6) -> 2/3."""
    march = Scope(date(2026, 3, 1), date(2026, 3, 31))
    names = ["repeat_rate_in_period", "ntb_pct"]

    def figures():
        return [totals(with_orders, march, names)] + [
            grouped_metrics(with_orders, march, [d], names) for d in ("product_line", "week")
        ]

    with_bitmaps = figures()
    monkeypatch.setattr(metrics, "MAX_BITMAP_BYTES", 0)
    grouped = figures()
    assert with_bitmaps[0] == grouped[0]
    assert all(bits.equals(group) for bits, group in zip(with_bitmaps[1:], grouped[1:], strict=True))
    assert grouped[0]["repeat_rate_in_period"] == pytest.approx(2 / 3)


def test_a_bitmap_too_short_for_new_customers_is_measured_again(with_orders, monkeypatch):
    """A load may commit customers with larger keys between reading the bitmaps' length and counting."""
    real_sizes = metrics._bitmap_sizes
    too_short = iter([metrics._BitmapSizes(longest_key=1, product_lines=3, threads=1)])
    monkeypatch.setattr(metrics, "_bitmap_sizes", lambda con: next(too_short, None) or real_sizes(con))
    # 02-28 .. 03-07: C1, C2 (O2 and O3) and C3 (O6 is after it) -> 1/3.
    assert totals(with_orders, WEEK_RANGE, ["repeat_rate_in_period"])["repeat_rate_in_period"] == pytest.approx(1 / 3)
