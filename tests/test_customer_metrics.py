"""Customer metrics: the R-day repeat rate, its pending count, the rate within the period, and the source each
customer metric is read from (order lines, cohorts, performance counts, Brand Analytics)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.__main__ import main
from analytics.metrics.grouped import (
    REGISTRY,
    Scope,
    cohort_rows_inside,
    cohort_rows_left_out,
    data_range,
    grouped_metrics,
    last_order_date,
    totals,
)
from analytics.metrics.periods import DEFAULT_PRESET, latest_matured_weeks, preset_range
from analytics.present.formatting import format_value
from analytics.review import customer_value
from analytics.store.changes import load_file
from analytics.store.database import open_store
from analytics.words import range_words
from tests.conftest import ROOT
from tests.reference import ba_repeat_rate, cohort_metrics, random_store, repeat_metrics

# With R = 10 and the store's last order on 01-21, entries up to 01-11 have matured.
#   A (maya): O1 01-01; O2 01-11, unattributed, exactly entry + 10 -> a repeat.
#   B (maya): O3 01-02; O4 01-13, entry + 11 -> not a repeat (but two orders in January).
#   C (maya): O5 01-03; O6 the same day, another order of another ASIN -> a repeat.
#   D (maya): O7 01-04 with two lines (two ASINs, one order) -> not a repeat.
#   H (maya): O12 with lines on 01-07 and 01-09, one order -> not a repeat.
#   E (leo):  O8 01-05 unattributed, then O9 01-06 for leo: leo's entry is 01-06 and O8 is before it -> not a
#             repeat for leo; in the baseline E enters with O8 on 01-05 and O9 follows within 10 days -> a repeat.
#   F (leo):  O10 01-20 -> pending (01-30 is after 01-21).
#   G:        O11 01-21, unattributed: the store's last order day; pending in the baseline.
ORDERS = """
    order_id,order_date,customer_id,asin,revenue,creator,campaign,new_to_brand,subscribe_and_save
    O1,2026-01-01,A,AAAAAAAAA1,20.00,maya,Spring,true,false
    O2,2026-01-11,A,AAAAAAAAA2,12.00,,,false,false
    O3,2026-01-02,B,AAAAAAAAA1,20.00,maya,Spring,true,false
    O4,2026-01-13,B,AAAAAAAAA1,20.00,,,false,false
    O5,2026-01-03,C,AAAAAAAAA1,20.00,maya,Spring,true,true
    O6,2026-01-03,C,AAAAAAAAA2,12.00,,,false,false
    O7,2026-01-04,D,AAAAAAAAA1,20.00,maya,Spring,true,false
    O7,2026-01-04,D,AAAAAAAAA2,12.00,maya,Spring,true,false
    O12,2026-01-07,H,AAAAAAAAA1,20.00,maya,Spring,false,false
    O12,2026-01-09,H,AAAAAAAAA2,12.00,maya,Spring,false,false
    O8,2026-01-05,E,AAAAAAAAA2,12.00,,,true,false
    O9,2026-01-06,E,AAAAAAAAA1,20.00,leo,Spring,false,true
    O10,2026-01-20,F,AAAAAAAAA1,20.00,leo,Spring,true,false
    O11,2026-01-21,G,AAAAAAAAA1,20.00,,,true,false
"""
JANUARY = Scope(date(2026, 1, 1), date(2026, 1, 31))
REPEAT_COLUMNS = ["repeat_rate", "repeat_pending", "repeat_rate_in_period", "baseline_repeat_rate"]


@pytest.fixture
def orders(con, load_text):
    load_text("orders.csv", ORDERS)
    return con


def by_creator(con, scope: Scope = JANUARY, repeat_days: int = 10) -> dict[str, dict[str, object]]:
    frame = grouped_metrics(con, scope, ["creator"], REPEAT_COLUMNS + ["customer_source"], repeat_days)
    return {row["creator"]: row for row in frame.to_dict(orient="records")}


def test_a_repeat_is_another_order_from_the_entry_day_to_r_days_later(orders) -> None:
    """maya, R = 10: customers A, B, C, D, H, all matured; A (day 10) and C (same day) repeat -> 2/5 = 0.4.

    Counting B's order on day 11, D's second line or H's second day as a repeat would give 3/5; leaving out C's
    same-day order, 1/5. leo: E's earlier unattributed order is before the entry -> 0/1 (1/1 if it counted),
    F pending. In the period (all of January) maya's A, B, C repeat -> 3/5 and leo's E -> 1/2.
    """
    rows = by_creator(orders)
    maya, leo = rows["maya"], rows["leo"]
    assert maya["repeat_rate"] == pytest.approx(0.4) and maya["repeat_pending"] == 0
    assert leo["repeat_rate"] == pytest.approx(0.0) and leo["repeat_pending"] == 1
    assert maya["repeat_rate_in_period"] == pytest.approx(0.6)
    assert leo["repeat_rate_in_period"] == pytest.approx(0.5)


def test_the_baseline_enters_each_customer_at_their_first_line_of_any_attribution(orders) -> None:
    """All customers, R = 10: A, B, C, D, E (O8, 01-05), H matured, F and G pending; A, C and E (O9 the next
    day) repeat -> 3/6 = 0.5, the same on every creator's row. In total the attributed customers are A, B, C, D,
    H and E (entered 01-06) matured, F pending: A and C repeat -> 2/6."""
    rows = by_creator(orders)
    assert rows["maya"]["baseline_repeat_rate"] == pytest.approx(0.5)
    assert rows["leo"]["baseline_repeat_rate"] == pytest.approx(0.5)
    whole = totals(orders, JANUARY, REPEAT_COLUMNS, repeat_days=10)
    assert whole["repeat_rate"] == pytest.approx(2 / 6)
    assert whole["repeat_pending"] == 1
    assert whole["baseline_repeat_rate"] == pytest.approx(0.5)


def test_an_entry_r_days_before_the_last_order_has_matured(orders) -> None:
    """R = 20: the store ends 01-21, so only entries on or before 01-01 have matured: maya's A alone, who repeats
    -> 1/1, with B, C, D, H pending (4). With the default R = 90 nothing has matured: null, 5 pending."""
    rows = by_creator(orders, repeat_days=20)
    assert rows["maya"]["repeat_rate"] == pytest.approx(1.0)
    assert rows["maya"]["repeat_pending"] == 4
    default = grouped_metrics(orders, JANUARY, ["creator"], ["repeat_rate", "repeat_pending"])
    maya = default[default["creator"] == "maya"].iloc[0]
    assert pd.isna(maya["repeat_rate"]) and maya["repeat_pending"] == 5


def test_the_repeat_window_runs_past_the_end_of_the_scope(orders) -> None:
    """01-01 .. 01-03: maya's A, B, C. A's repeat on 01-11 is after the scope and still counts: A and C -> 2/3.
    In the period only C has two orders -> 1/3."""
    rows = by_creator(orders, Scope(date(2026, 1, 1), date(2026, 1, 3)))
    assert rows["maya"]["repeat_rate"] == pytest.approx(2 / 3)
    assert rows["maya"]["repeat_rate_in_period"] == pytest.approx(1 / 3)


def test_by_week_a_customer_enters_in_each_week_they_buy_through_a_creator(con, load_text) -> None:
    """K buys through maya on Sunday 01-04 and again on Sunday 01-11 (one week later); the store ends 01-31.

    R = 7: in the week of 01-04 K enters on 01-04 and the 01-11 order is entry + 7 -> a repeat (1/1); in the week
    of 01-11 K enters again on 01-11 with no later order -> 0/1. Over both weeks together: 1/1."""
    load_text(
        "orders.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator
        O1,2026-01-04,K,AAAAAAAAA1,20.00,maya
        O2,2026-01-11,K,AAAAAAAAA1,20.00,maya
        O3,2026-01-31,L,AAAAAAAAA1,20.00,
        """,
    )
    weeks = grouped_metrics(con, JANUARY, ["week"], ["repeat_rate"], repeat_days=7)
    assert weeks["repeat_rate"].tolist()[:2] == pytest.approx([1.0, 0.0])
    assert totals(con, JANUARY, ["repeat_rate"], repeat_days=7)["repeat_rate"] == pytest.approx(1.0)


def test_every_customer_metric_is_declared_with_a_label_format_and_definition() -> None:
    formats = {
        "repeat_rate": "percent",
        "repeat_pending": "count",
        "repeat_rate_in_period": "percent",
        "baseline_repeat_rate": "percent",
        "customer_source": "text",
    }
    for name, fmt in formats.items():
        metric = REGISTRY[name]
        assert metric.format == fmt and metric.label and metric.description.endswith(".")


def test_the_command_line_takes_the_repeat_days(orders, tmp_path: Path, capsys) -> None:
    """The same figures as the engine's: maya 0.4 with --repeat-days 10, empty (null) with the default 90."""
    path = tmp_path / "test.duckdb"
    orders.close()
    assert main(["--db", str(path), "metrics", "--by", "creator", "--repeat-days", "10"]) == 0
    rows = {row["creator"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    columns = list(rows["maya"])
    assert columns.index("repeat_rate") < columns.index("repeat_pending") < columns.index("repeat_rate_in_period")
    assert "customer_source" in columns
    assert float(rows["maya"]["repeat_rate"]) == pytest.approx(0.4)
    assert rows["maya"]["repeat_pending"] == "0"
    assert rows["maya"]["customer_source"] == "order_lines"
    assert main(["--db", str(path), "metrics", "--by", "creator"]) == 0
    rows = {row["creator"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["maya"]["repeat_rate"] == "" and rows["maya"]["repeat_pending"] == "5"


# Cohorts, March 2026 (Sundays 03-01, 03-08). The month row spans weeks; leo's row starts before 03-01.
COHORTS = """
    period_start,period_end,creator,campaign,asin,buyers,ntb_buyers,repeat_buyers,sns_buyers
    2026-03-01,2026-03-07,maya,Spring,,100,40,10,5
    2026-03-08,2026-03-14,maya,Spring,,50,10,20,
    2026-03-01,2026-03-31,maya,Spring,,400,100,100,100
    2026-03-01,2026-03-07,,,,1000,300,150,100
    2026-03-08,2026-03-14,,,,1000,200,250,100
    2026-02-26,2026-03-04,leo,,,10,10,0,0
"""
FIRST_TWO_WEEKS = Scope(date(2026, 3, 1), date(2026, 3, 14))


@pytest.fixture
def cohorts(con, load_text):
    loaded = load_text("cohorts.csv", COHORTS)
    assert (loaded.kind, loaded.added) == ("cohorts", 6)
    return con


def test_without_order_lines_customer_rates_are_sums_over_cohorts(cohorts) -> None:
    """03-01 .. 03-14 holds maya's two weekly rows (the month row ends after the scope, leo's starts before it).

    ntb (40 + 10) / 150 = 1/3, repeat (10 + 20) / 150 = 0.2, S&S 5 / 150 (SPEC's Σ sns_buyers / Σ buyers: the
    second week gave no S&S count, and its 50 buyers still count; over the first week alone it read 0.05). Baselines
    from the all-buyer rows:
    ntb 500 / 2000 = 0.25, repeat 400 / 2000 = 0.2, S&S 200 / 2000 = 0.1. leo has no row in the scope.
    """
    frame = grouped_metrics(cohorts, FIRST_TWO_WEEKS, ["creator"])
    assert frame["creator"].tolist() == ["maya"]
    maya = frame.iloc[0]
    assert maya["ntb_pct"] == pytest.approx(1 / 3)
    assert maya["repeat_rate"] == pytest.approx(0.2)
    assert maya["sns_rate"] == pytest.approx(5 / 150)
    assert maya["baseline_ntb_pct"] == pytest.approx(0.25)
    assert maya["baseline_repeat_rate"] == pytest.approx(0.2)
    assert maya["baseline_sns_rate"] == pytest.approx(0.1)
    assert maya["customer_source"] == "cohorts"
    assert pd.isna(maya["repeat_pending"]) and pd.isna(maya["repeat_rate_in_period"])


def test_a_cohort_row_belongs_to_a_week_only_when_its_period_lies_inside_it(cohorts) -> None:
    """All of March by week: the month row spans both weeks and is left out; week 03-01 ntb 40/100, baseline
    300/1000; week 03-08 ntb 10/50, baseline 200/1000. Over March as a whole the month row counts:
    ntb (40 + 10 + 100) / 550."""
    march = Scope(date(2026, 3, 1), date(2026, 3, 31))
    weeks = grouped_metrics(cohorts, march, ["week"], ["ntb_pct", "baseline_ntb_pct"])
    assert weeks["ntb_pct"].tolist() == pytest.approx([0.4, 0.2])
    assert weeks["baseline_ntb_pct"].tolist() == pytest.approx([0.3, 0.2])
    assert totals(cohorts, march, ["ntb_pct"])["ntb_pct"] == pytest.approx(150 / 550)


def test_a_cohort_row_is_keyed_by_period_creator_campaign_and_asin(cohorts, load_text) -> None:
    """Loading maya's first week again with 60 new-to-brand buyers updates that row (blank ASIN and all): ntb over
    the two weeks becomes (60 + 10) / 150."""
    again = load_text(
        "cohorts-again.csv",
        """
        period_start,period_end,creator,campaign,asin,buyers,ntb_buyers,repeat_buyers,sns_buyers
        2026-03-01,2026-03-07,maya,Spring,,100,60,10,5
        2026-03-01,2026-03-07,,,,1000,300,150,100
        """,
    )
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    assert totals(cohorts, FIRST_TWO_WEEKS, ["ntb_pct"])["ntb_pct"] == pytest.approx(70 / 150)


def test_order_lines_for_the_scope_win_over_cohorts(cohorts, load_text) -> None:
    """One attributed line of maya's on 03-02, new to brand: ntb 1/1 from the order line, not 1/3 from cohorts."""
    load_text(
        "orders.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator,new_to_brand
        O1,2026-03-02,A,AAAAAAAAA1,20.00,maya,true
        """,
    )
    maya = totals(cohorts, FIRST_TWO_WEEKS, ["ntb_pct", "customer_source"])
    assert maya == {"ntb_pct": pytest.approx(1.0), "customer_source": "order_lines"}
    # Outside the order lines' dates the cohorts are the source again: 03-08 .. 03-14, ntb 10 / 50.
    later = totals(cohorts, Scope(date(2026, 3, 8), date(2026, 3, 14)), ["ntb_pct", "customer_source"])
    assert later == {"ntb_pct": pytest.approx(0.2), "customer_source": "cohorts"}


def test_cohort_rows_that_order_lines_set_aside_are_counted_and_said(cohorts, load_text) -> None:
    """03-01 .. 03-14 holds 4 cohort rows: maya's two weeks and the two all-buyer weeks (the month row and leo's row
    cross its edges). While they are the source nothing is said; once an order line of 03-02 makes order lines the
    source, the note counts them. All of March holds 5 (the month row too; leo's starts in February)."""
    assert cohort_rows_inside(cohorts, FIRST_TWO_WEEKS) == 4
    assert cohort_rows_inside(cohorts, Scope(date(2026, 3, 1), date(2026, 3, 31))) == 5
    from_cohorts = totals(cohorts, FIRST_TWO_WEEKS, ["customer_source"])
    assert customer_value.cohorts_set_aside_note(from_cohorts, 4) == ""
    load_text(
        "orders.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator,new_to_brand
        O1,2026-03-02,A,AAAAAAAAA1,20.00,maya,true
        """,
    )
    from_lines = totals(cohorts, FIRST_TWO_WEEKS, ["customer_source"])
    assert customer_value.cohorts_set_aside_note(from_lines, 4) == (
        "4 cohort rows for these dates are not used: where the selected dates have order lines, the rates follow "
        "each buyer in them, and the cohorts' counts of the same buyers stand in only for dates without order lines."
    )
    assert customer_value.cohorts_set_aside_note(from_lines, 1).startswith("1 cohort row for these dates is not used")
    assert customer_value.cohorts_set_aside_note(from_lines, 0) == ""


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_customers_page_says_when_the_samples_cohorts_are_set_aside_for_its_order_lines(app_env: Path) -> None:
    """The sample holds monthly cohorts and order lines. Its last 13 weeks hold whole months of cohorts, which the
    order lines set aside, and the page counts them; its last 4 weeks hold no whole month, and nothing is said."""
    con = duckdb.connect(str(app_env))
    try:
        span = data_range(con)
        assert span is not None
        inside = cohort_rows_inside(con, Scope(*preset_range("Last 13 weeks", span[1])))
        four_weeks = cohort_rows_inside(con, Scope(*preset_range(DEFAULT_PRESET, span[1])))
    finally:
        con.close()
    assert inside > 0 and four_weeks == 0
    for period, said in (("Last 13 weeks", f"{inside:,} cohort rows for these dates are not used"), (None, None)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if period:
            at.query_params["period"] = period
        at.run()
        at.switch_page("pages/customers.py").run()
        assert not at.exception, [e.value for e in at.exception]
        captions = [caption.value for caption in at.caption]
        set_aside = [text for text in captions if "cohort row" in text and "not used" in text]
        if said is None:
            assert set_aside == [], set_aside
        else:
            assert len(set_aside) == 1 and set_aside[0].startswith(said), captions


def test_without_order_lines_or_cohorts_the_repeat_baseline_comes_from_brand_analytics(con, load_text) -> None:
    """Performance gives ntb 2/4; Brand Analytics gives the repeat baseline (100 x 0.2 + 300 x 0.1 + 50 x 0.4) / 450
    = 70/450. The row straddling 03-01 (02-28 .. 03-06) is left out; the repeat rate itself has no source: null.
    By ASIN, A2 (Brand Analytics rows, no performance) is listed too: zero sums, its own baseline 0.4, and
    Brand Analytics alone as its source."""
    load_text(
        "performance.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission,ntb_orders
        2026-03-02,maya,AAAAAAAAA1,40,4,80.00,8.00,2
        """,
    )
    load_text(
        "repeat.csv",
        """
        period_start,period_end,asin,unique_customers,repeat_customers_pct
        2026-03-01,2026-03-07,AAAAAAAAA1,100,0.2
        2026-03-08,2026-03-14,AAAAAAAAA1,300,0.1
        2026-02-28,2026-03-06,AAAAAAAAA1,900,0.9
        2026-03-01,2026-03-07,AAAAAAAAA2,50,0.4
        """,
        kind="repeat_purchase",
    )
    row = totals(con, FIRST_TWO_WEEKS, ["ntb_pct", "repeat_rate", "baseline_repeat_rate", "customer_source"])
    assert row == {
        "ntb_pct": pytest.approx(0.5),
        "repeat_rate": None,
        "baseline_repeat_rate": pytest.approx(70 / 450),
        "customer_source": "performance+brand_analytics",
    }
    by_asin = grouped_metrics(con, FIRST_TWO_WEEKS, ["asin"], ["clicks", "baseline_repeat_rate", "customer_source"])
    assert by_asin.to_dict(orient="records") == [
        {
            "asin": "AAAAAAAAA1",
            "clicks": 40,
            "baseline_repeat_rate": pytest.approx(0.125),
            "customer_source": "performance+brand_analytics",
        },
        {
            "asin": "AAAAAAAAA2",
            "clicks": 0,
            "baseline_repeat_rate": pytest.approx(0.4),
            "customer_source": "brand_analytics",
        },
    ]


# The reference implementation (tests/reference) reads SPEC.md on its own; random stores put the two side by side.
CUSTOMER_COLUMNS = [
    "ntb_pct",
    "sns_rate",
    "repeat_rate",
    "repeat_pending",
    "repeat_rate_in_period",
    "baseline_ntb_pct",
    "baseline_sns_rate",
    "baseline_repeat_rate",
]
COHORT_COLUMNS = ["ntb_pct", "sns_rate", "repeat_rate", "baseline_ntb_pct", "baseline_sns_rate", "baseline_repeat_rate"]
CASES = [
    ((), {}),
    (("creator",), {"start": date(2026, 1, 10), "end": date(2026, 3, 20)}),
    (("week",), {}),
    (("asin",), {"start": date(2026, 1, 4), "end": date(2026, 2, 28)}),
    (("product_line", "creator"), {"end": date(2026, 4, 1), "asins": ("B0LIFT0001", "B0LIFT0006", "B0LIFT0007")}),
    (("campaign",), {"creators": ("maya", "jon")}),
    (("creator", "week"), {"start": date(2026, 2, 1), "product_lines": ("Protein",)}),
]


def _store_of(tmp_path: Path, frames: dict[str, pd.DataFrame], kinds: tuple[str, ...]):
    con = open_store(tmp_path / "random.duckdb")
    for kind in kinds:
        path = tmp_path / f"{kind}.csv"
        frames[kind].to_csv(path, index=False)
        load_file(con, path, path.name)
    return con


def _compare(engine: pd.DataFrame, reference: pd.DataFrame, by: tuple[str, ...], columns: list[str]) -> None:
    if engine.empty and reference.empty:
        return
    if "week" in engine:
        engine = engine.assign(week=[value.date() for value in engine["week"]])
    engine = engine.set_index(list(by)) if by else engine.set_axis([0])
    reference = reference.set_index(list(by)) if by else reference.set_axis([0])
    assert sorted(engine.index) == sorted(reference.index)
    for column in columns:
        ours = engine[column].astype("float64")
        theirs = reference[column].astype("float64").reindex(engine.index)
        pd.testing.assert_series_equal(ours, theirs, check_names=False, rtol=1e-9, obj=f"{by} {column}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_customer_metrics_from_order_lines_agree_with_the_reference(tmp_path: Path, seed: int) -> None:
    """Flags are counted over every line, a blank flag as not true (SPEC's words, the reference's
    `flag_denominator="all"`), and groups with only unattributed lines are not listed
    (`include_baseline_only_groups=False`)."""
    frames = random_store(seed)
    con = _store_of(tmp_path, frames, ("products", "orders"))
    for by, filters in CASES:
        scope = Scope(**filters)  # type: ignore[arg-type]
        for repeat_days in (90, 30, 0):
            engine = grouped_metrics(con, scope, by, CUSTOMER_COLUMNS, repeat_days)
            reference = repeat_metrics(
                frames["orders"],
                frames["products"],
                by=list(by),
                repeat_days=repeat_days,
                include_baseline_only_groups=False,
                **{"start": None, "end": None, **filters},
            )
            _compare(engine, reference, by, CUSTOMER_COLUMNS)
    con.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_customer_metrics_from_cohorts_agree_with_the_reference(tmp_path: Path, seed: int) -> None:
    frames = random_store(seed)
    con = _store_of(tmp_path, frames, ("products", "cohorts"))
    for by, filters in CASES:
        engine = grouped_metrics(con, Scope(**filters), by, COHORT_COLUMNS)  # type: ignore[arg-type]
        reference = cohort_metrics(
            frames["cohorts"],
            frames["products"],
            by=list(by),
            **{"start": None, "end": None, **filters},
        )
        _compare(engine, reference, by, COHORT_COLUMNS)
    con.close()


def test_the_latest_matured_weeks_end_r_days_before_the_last_order() -> None:
    """Last order Wednesday 2026-05-20, R = 90: 02-19 (a Thursday) is the last entry day that has matured, so the
    four weeks end on Saturday 02-14 and start on Sunday 01-18."""
    assert latest_matured_weeks(date(2026, 5, 20), 90) == (date(2026, 1, 18), date(2026, 2, 14))


def test_each_customer_metric_names_its_own_source() -> None:
    """Performance counts fill ntb; Brand Analytics fills the repeat baseline; nothing fills the repeat rate."""
    totals_ = {
        "ntb_pct": 0.5,
        "repeat_rate": None,
        "baseline_repeat_rate": 0.125,
        "customer_source": "performance+brand_analytics",
    }
    assert customer_value.metric_source(totals_, "ntb_pct") == "performance"
    assert customer_value.metric_source(totals_, "repeat_rate") is None
    assert customer_value.metric_source(totals_, "baseline_repeat_rate") == "brand_analytics"
    assert not customer_value.has_order_lines(totals_) and customer_value.has_baseline(totals_)
    note = customer_value.source_note(totals_) or ""
    assert "performance file" in note and "Brand Analytics" in note
    # The Customers chart's axis says what the rate is a share of, as its source counts it.
    assert customer_value.unit(totals_, "ntb_pct") == "% of orders"
    assert customer_value.unit({"ntb_pct": 0.5, "customer_source": "cohorts"}, "ntb_pct") == "% of buyers"
    assert customer_value.unit({"ntb_pct": 0.5, "customer_source": "order_lines"}, "ntb_pct") == "% of order lines"
    assert customer_value.unit(totals_, "repeat_rate") == "% of customers"


def test_the_engine_gives_the_last_order_date(orders) -> None:
    assert last_order_date(orders) == date(2026, 1, 21)


def test_all_pending_buyers_move_the_repeat_rate_to_the_latest_matured_four_weeks(orders) -> None:
    """R = 10, last order 01-21: 01-11 is the last entry day that has matured, so the weeks end Saturday 01-10 and
    start Sunday 12-14. The week of 01-18 alone has only F (leo, 01-20) and is all pending; the matured weeks hold
    maya's A, B, C, D, H and leo's E: A and C repeat -> 2/6."""
    last_week = Scope(date(2026, 1, 18), date(2026, 1, 24))
    pending = totals(orders, last_week, ["repeat_rate", "repeat_pending", "customer_source"], 10)
    assert customer_value.all_pending(pending)
    matured = customer_value.matured_scope(last_week, date(2026, 1, 21), 10)
    assert (matured.start, matured.end) == (date(2025, 12, 14), date(2026, 1, 10))
    rate = totals(
        orders,
        matured,
        ["repeat_rate", "repeat_pending", "repeat_matured", "repeat_rate_in_period", "customer_source"],
        10,
    )
    assert rate["repeat_rate"] == pytest.approx(2 / 6) and not customer_value.all_pending(rate)
    assert (rate["repeat_matured"], rate["repeat_pending"]) == (6, 0)
    note = customer_value.repeat_note({**pending, "repeat_rate_in_period": 0.0}, 10, lambda m, v: f"{v:.0%}")
    assert (
        note
        == "Within 10 days of each buyer's first attributed order · 1 buyer still pending · 0% had two or more "
        + ("orders within the period itself, as Brand Analytics counts repeat buyers · from order lines.")
    )
    # Beside the matured weeks' repeat rate, the rate within a period is theirs too, and says so; the rate says how
    # many buyers it is a share of.
    assert customer_value.repeat_note(rate, 10, lambda m, v: f"{v:.0%}", matured) == (
        "Within 10 days of each buyer's first attributed order, over the 6 buyers who have had 10 days · "
        f"{rate['repeat_rate_in_period']:.0%} had two or more orders within Dec 14, 2025 – Jan 10, 2026, as Brand "
        "Analytics counts repeat buyers · from order lines."
    )
    assert "over the 1 buyer who has had 10 days" in customer_value.repeat_note(
        {**rate, "repeat_matured": 1}, 10, lambda m, v: ""
    )
    assert customer_value.fallback_note(2, 10, matured) == (
        "Both buyers of this period bought through a creator less than 10 days before the last order loaded, so "
        "none has had 10 days to come back yet. The repeat rate shown is that of the latest 4 weeks whose buyers "
        "have all had them: Dec 14, 2025 – Jan 10, 2026."
    )


def test_a_repeat_rate_resting_on_a_few_of_the_periods_buyers_gives_way_to_the_latest_matured_weeks(orders) -> None:
    """R = 20, maya over January: only A has had 20 days (1/1 repeats, a 100 % that reads as January's), B, C, D and
    H are pending. Fewer than half have matured, so the pages show the latest matured 4 weeks and say why; all of
    January at R = 10 (6 matured, 1 pending) keeps its own rate."""
    maya = replace(JANUARY, creators=("maya",))
    few = totals(orders, maya, REPEAT_COLUMNS + ["repeat_matured"], 20)
    assert (few["repeat_rate"], customer_value.buyers_waiting(few)) == (pytest.approx(1.0), (4, 1))
    assert customer_value.mostly_pending(few) and not customer_value.all_pending(few)
    matured = customer_value.fallback_scope(few, maya, date(2026, 1, 21), 20)
    assert matured == replace(maya, start=date(2025, 11, 30), end=date(2025, 12, 27))
    assert customer_value.fallback_note(4, 20, matured, had_days=1) == (
        "Only 1 of this period's 5 buyers through a creator bought 20 days or more before the last order "
        "loaded; the other 4 have not had 20 days to come back yet. The repeat rate shown is that of the latest 4 "
        "weeks whose buyers have all had them: Nov 30 – Dec 27, 2025."
    )
    assert customer_value.group_fallback_note(20, matured, had_days=1).startswith(
        "Only 1 buyer of the selected period has had 20 days to come back so far, so the chart and table below"
    )
    enough = totals(orders, JANUARY, REPEAT_COLUMNS + ["repeat_matured"], 10)
    assert customer_value.buyers_waiting(enough) == (1, 6)
    assert customer_value.fallback_scope(enough, JANUARY, date(2026, 1, 21), 10) is None


def test_the_repeat_baseline_from_brand_analytics_agrees_with_the_reference(tmp_path: Path) -> None:
    """Without order lines or cohorts, the repeat baseline is the reference's `ba_repeat_rate` for every group."""
    frames = random_store(1)
    con = _store_of(tmp_path, frames, ("products", "performance", "repeat_purchase"))
    dates = {"start": date(2026, 1, 4), "end": date(2026, 3, 31)}
    for by in [(), ("asin",), ("week",), ("product_line",)]:
        engine = grouped_metrics(con, Scope(**dates), by, ["baseline_repeat_rate"])  # type: ignore[arg-type]
        reference = ba_repeat_rate(frames["repeat_purchase"], frames["products"], by=list(by), **dates)
        reference = reference.rename(columns={"ba_repeat_rate": "baseline_repeat_rate"})
        if "week" in engine:
            engine = engine.assign(week=[value.date() for value in engine["week"]])
        # The engine lists the groups with performance rows; the reference, those with Brand Analytics rows.
        shared = (
            engine.merge(reference, on=list(by), suffixes=("", "_reference"))
            if by
            else engine.assign(baseline_repeat_rate_reference=reference["baseline_repeat_rate"].to_numpy())
        )
        assert len(shared) > 0
        pd.testing.assert_series_equal(
            shared["baseline_repeat_rate"], shared["baseline_repeat_rate_reference"], check_names=False, rtol=1e-9
        )
    con.close()


def test_the_pages_name_the_source_of_each_customer_metric() -> None:
    totals_ = {
        "ntb_pct": 0.5,
        "sns_rate": None,
        "repeat_rate": None,
        "baseline_repeat_rate": 0.125,
        "customer_source": "performance+brand_analytics",
    }
    assert customer_value.sources_caption(totals_, str) == (
        "ntb_pct from the performance file's counts; baseline_repeat_rate from Brand Analytics repeat purchases, "
        "within its periods."
    )
    # One source for all three: named once.
    lines = {"ntb_pct": 0.5, "sns_rate": 0.1, "repeat_rate": 0.2, "customer_source": "order_lines"}
    assert customer_value.sources_caption(lines, str) == "ntb_pct, repeat_rate and sns_rate from order lines."


def test_rates_over_few_orders_are_said_to_swing() -> None:
    """Under 30 attributed orders the rates are a sign, not a measure; 30 or more, or none (no rate at all), say
    nothing."""
    assert customer_value.few_orders_note(4) == (
        "These rates rest on few buyers: 4 attributed orders in this selection, so one order more or less moves them "
        "by several points. Read them as a sign, not a measure, or widen the period or the filters."
    )
    assert customer_value.few_orders_note(1, ("New-to-brand %",)).startswith(
        "New-to-brand % rests on few buyers: 1 attributed order in this selection, so one order more or less moves it"
    )
    assert customer_value.few_orders_note(27, ("New-to-brand %", "Repeat rate")).startswith(
        "New-to-brand % and Repeat rate rest on few buyers: 27 attributed orders in this selection, so one order more "
        "or less moves them"
    )
    assert customer_value.few_orders_note(30) == ""
    assert customer_value.few_orders_note(0) == ""
    assert customer_value.few_orders_note(None) == ""


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_creator_with_few_orders_in_the_period_is_flagged_on_the_customers_page(app_env: Path) -> None:
    """The sample's @naturallynina has one attributed order in its last complete week."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["creator"] = "@naturallynina"
    at.query_params["period"] = "Last complete week"
    at.run()
    at.switch_page("pages/customers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("These rates rest on few buyers: 1 attributed order" in c.value for c in at.caption), [
        c.value for c in at.caption
    ]


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_pages_show_the_engines_repeat_rate_for_the_latest_matured_weeks_and_follow_the_window(
    app_env: Path,
) -> None:
    """On the sample every buyer of the default period (the last 4 weeks) entered less than 90 days before the last
    order: the Customers card shows the engine's rate over the latest matured 4 weeks and says which weeks. With a
    30-day window it is the engine's 30-day rate over the weeks that have matured for 30 days, and the Overview,
    opened next, keeps the window."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/customers.py").run()
    con = duckdb.connect(str(app_env))
    try:
        span = data_range(con)
        assert span is not None
        period = Scope(*preset_range(DEFAULT_PRESET, span[1]))
        last_order = last_order_date(con)
        assert last_order is not None
        expected = {}
        for repeat_days in (90, 30):
            now = totals(con, period, ["repeat_rate", "repeat_pending"], repeat_days)
            assert now["repeat_rate"] is None and now["repeat_pending"]
            first, last = latest_matured_weeks(last_order, repeat_days)
            matured = totals(con, Scope(first, last), ["repeat_rate", "repeat_matured"], repeat_days)
            counted = f"over the {matured['repeat_matured']:,} buyers who have had {repeat_days} days"
            expected[repeat_days] = (format_value(matured["repeat_rate"], "percent"), range_words(first, last), counted)
    finally:
        con.close()

    def shown(page: AppTest) -> str:
        return next(m.value for m in page.metric if m.label == "Repeat rate")

    assert shown(at) == expected[90][0]
    assert any(expected[90][1] in info.value for info in at.info)
    # The line under the card says how many buyers the rate is a share of.
    assert any(expected[90][2] in caption.value for caption in at.caption), [c.value for c in at.caption]
    at.number_input(key="repeat_days").set_value(30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown(at) == expected[30][0]
    assert any(expected[30][1] in info.value for info in at.info)
    assert any(expected[30][2] in caption.value for caption in at.caption), [c.value for c in at.caption]
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="repeat_days").value == 30
    assert shown(at) == expected[30][0]
    # Through a page without the setting and back, and in the link a shared view carries.
    at.switch_page("pages/products.py").run()
    assert at.query_params["repeat"] == "30"
    at.switch_page("pages/overview.py").run()
    assert at.number_input(key="repeat_days").value == 30
    assert shown(at) == expected[30][0]
    shared = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    shared.query_params["repeat"] = "30"
    shared.run()
    assert shared.number_input(key="repeat_days").value == 30


def test_the_cohort_rows_straddling_the_scope_are_counted_for_the_pages(cohorts) -> None:
    """03-01 .. 03-14: the month row (to 03-31) and leo's row (from 02-26) cross its edges -> 2. All of March by week:
    the month row crosses week boundaries, leo's row the first day -> 2. 03-08 .. 03-31: only the month row, which
    starts on 03-01, crosses an edge; the first week's rows end before the scope and do not overlap it -> 1."""
    assert cohort_rows_left_out(cohorts, FIRST_TWO_WEEKS) == 2
    assert cohort_rows_left_out(cohorts, Scope(date(2026, 3, 1), date(2026, 3, 31)), ["week"]) == 2
    assert cohort_rows_left_out(cohorts, Scope(date(2026, 3, 8), date(2026, 3, 31))) == 1


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_campaign_whose_buyers_are_all_pending_says_so_rather_than_asking_for_an_upload(app_env: Path) -> None:
    """The sample's electrolyte launch started Sep 28: every buyer of its last 4 weeks is within 90 days, and the
    latest matured 4 weeks come before the launch, so they hold none of its buyers. The repeat card says the buyers
    are pending, as the engine counts them, and neither asks for order lines it has nor names those weeks."""
    campaign = "Launch: Electrolyte Sticks"
    con = duckdb.connect(str(app_env))
    try:
        span = data_range(con)
        assert span is not None
        period = Scope(*preset_range(DEFAULT_PRESET, span[1]), campaigns=(campaign,))
        now = totals(con, period, ["repeat_rate", "repeat_pending", "ntb_pct"])
        last_order = last_order_date(con)
        assert last_order is not None
        first, last = latest_matured_weeks(last_order, 90)
        assert totals(con, replace(period, start=first, end=last), ["repeat_rate"])["repeat_rate"] is None
    finally:
        con.close()
    assert now["repeat_rate"] is None and now["repeat_pending"] and now["ntb_pct"] is not None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["campaign"] = campaign
    at.run()
    at.switch_page("pages/customers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [info.value for info in at.info] + [caption.value for caption in at.caption]
    assert any(
        f"none has had 90 days to come back yet ({now['repeat_pending']:,} pending)" in text for text in shown
    ), shown
    assert not any("attributed to a creator" in text or range_words(first, last) in text for text in shown), shown


def test_a_rows_source_names_brand_analytics_only_where_it_fills_the_rows_baseline(con, load_text) -> None:
    """Performance counts of new-to-brand orders in the weeks of Jan 4 and Jan 11; Brand Analytics' one row covers
    Jan 11-17. The week of Jan 11 takes its repeat baseline from it (25 %); the week of Jan 4 has none, so its source
    is the performance report alone."""
    load_text(
        "performance.csv",
        """
        date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders
        2026-01-05,c,maya,B000000001,10,4,40,4,2
        2026-01-12,c,maya,B000000001,10,2,20,2,1
        """,
    )
    load_text(
        "repeat.csv",
        """
        period_start,period_end,asin,orders,unique_customers,repeat_customers_pct,repeat_purchase_revenue
        2026-01-11,2026-01-17,B000000001,10,8,0.25,30
        """,
    )
    frame = grouped_metrics(
        con,
        Scope(date(2026, 1, 4), date(2026, 1, 17)),
        ("week",),
        ["ntb_pct", "baseline_repeat_rate", "customer_source"],
    )
    assert frame["ntb_pct"].tolist() == [0.5, 0.5]
    assert pd.isna(frame["baseline_repeat_rate"][0]) and frame["baseline_repeat_rate"][1] == pytest.approx(0.25)
    assert frame["customer_source"].tolist() == ["performance", "performance+brand_analytics"]


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_creators_table_says_why_every_repeat_rate_is_a_dash_and_follows_the_window(app_env: Path) -> None:
    """The sample's buyers of the last 4 weeks are all within 90 days: the Creators table's repeat rates are all
    dashes, and a caption says why, counting the engine's pending buyers, and which weeks' rates the Customers page
    shows instead; with a 7-day window they have rates."""
    con = duckdb.connect(str(app_env))
    try:
        span = data_range(con)
        assert span is not None
        period = Scope(*preset_range(DEFAULT_PRESET, span[1]))
        pending = totals(con, period, ["repeat_pending"])["repeat_pending"]
        (last_order_day,) = con.execute("select max(order_date) from orders").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/creators.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = f"Repeat rate is a dash for every creator: each of this period's {pending:,} buyers bought less than 90 days"
    assert any(c.value.startswith(said) for c in at.caption), [c.value for c in at.caption]
    weeks = range_words(*latest_matured_weeks(last_order_day, 90))
    pointer = f"The **Customers** page shows the repeat rate by creator for {weeks}, the latest 4 weeks whose buyers"
    assert any(pointer in c.value for c in at.caption), [c.value for c in at.caption]
    at.number_input(key="repeat_days").set_value(7).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("is a dash for every creator" in c.value for c in at.caption)
    assert at.dataframe[0].value["repeat_rate"].notna().any()


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_an_empty_selection_names_the_filters_to_clear_as_a_sentence() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["line"] = "Pet Care"
    at.query_params["creator"] = "@liftwithlogan"
    at.run()
    at.switch_page("pages/creators.py").run()
    assert any("or clear the product line and creator filters;" in i.value for i in at.info), [i.value for i in at.info]


def test_a_blank_flag_is_a_line_without_it_as_spec_divides(con: duckdb.DuckDBPyConnection, load_text) -> None:
    """SPEC: "ntb_pct = attributed lines with new_to_brand true / attributed lines". B0BLANK001's four attributed
    lines are Y, N, blank, Y: 2 / 4 = 0.5 (the known flags alone gave 2 / 3). Week 03-08 holds only the blank line:
    no line of it gives the flag, as a week's file without the column would not, so not available rather than 0 %.
    Subscribe & Save likewise: 1 / 4."""
    load_text(
        "orders.csv",
        """
        order_id,order_date,asin,creator,customer_id,revenue,new_to_brand,subscribe_and_save
        O1,2026-03-02,B0BLANK001,maya,C1,20.00,Y,N
        O2,2026-03-03,B0BLANK001,maya,C2,20.00,N,Y
        O3,2026-03-09,B0BLANK001,maya,C3,20.00,,
        O4,2026-03-04,B0BLANK001,maya,C4,20.00,Y,N
        O5,2026-03-04,B0BLANK001,,C5,20.00,N,N
        """,
    )
    scope = Scope(date(2026, 3, 1), date(2026, 3, 14))
    [row] = grouped_metrics(con, scope, ["asin"], ["ntb_pct", "sns_rate", "baseline_ntb_pct"]).to_dict("records")
    # The baseline: every line, attributed or not, 2 true of 5.
    assert (row["ntb_pct"], row["sns_rate"], row["baseline_ntb_pct"]) == pytest.approx((0.5, 0.25, 0.4))
    weeks = grouped_metrics(con, scope, ["week"], ["ntb_pct"])
    assert weeks["ntb_pct"].iloc[0] == pytest.approx(2 / 3) and pd.isna(weeks["ntb_pct"].iloc[1])


def test_without_order_lines_the_performance_rate_divides_by_all_the_orders(
    con: duckdb.DuckDBPyConnection, load_text
) -> None:
    """SPEC: "ntb_pct = ntb_orders / orders … from performance". Two rows of 2 orders, one stating 2 new-to-brand
    orders, the other blank: 2 / 4 = 0.5 (the stated rows alone gave 1.0); S&S 1 / 4. Without the columns: null."""
    load_text(
        "performance.csv",
        """
        date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders,sns_orders
        2026-03-02,Spring,maya,B0BLANK001,10,2,40.00,4.00,2,1
        2026-03-03,Spring,maya,B0BLANK001,10,2,40.00,4.00,,
        """,
    )
    scope = Scope(date(2026, 3, 1), date(2026, 3, 14))
    assert totals(con, scope, ["ntb_pct", "sns_rate"]) == pytest.approx({"ntb_pct": 0.5, "sns_rate": 0.25})


def _counts_beside_cohorts(load_text, second: str, cohorts: str) -> None:
    """maya's performance with new-to-brand counts: 3 of 4 orders of B0COHORT01 on Mar 2, 1 of 4 on `second`
    ("date,asin"); beside `cohorts`, the cohort file's rows (period_start, period_end, creator, buyers, ntb, repeat,
    S&S buyers)."""
    load_text(
        "performance.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders,sns_orders\n"
        "2026-03-02,Spring,maya,B0COHORT01,10,4,40.00,4.00,3,1\n"
        f"{second.split(',')[0]},Spring,maya,{second.split(',')[1]},10,4,40.00,4.00,1,0\n",
    )
    load_text("cohorts.csv", f"period_start,period_end,creator,buyers,ntb_buyers,repeat_buyers,sns_buyers\n{cohorts}\n")


def test_cohorts_of_every_asin_tell_no_asins_rate_and_form_no_blank_group(
    con: duckdb.DuckDBPyConnection, load_text
) -> None:
    """Cohorts by creator alone (no ASIN column) beside a performance report with new-to-brand counts. By ASIN, the
    cohorts formed a blank ASIN of their own (12 / 36) and left each ASIN empty, while narrowed to one ASIN the same
    figures came from the performance counts: each ASIN now reads its performance counts either way (A1 3 / 4,
    A2 1 / 4), and the scope as a whole its cohorts (12 / 36)."""
    _counts_beside_cohorts(
        load_text, "2026-03-03,B0COHORT02", "2026-03-01,2026-03-07,maya,36,12,6,3\n2026-03-01,2026-03-07,,360,90,60,30"
    )
    scope = Scope(date(2026, 3, 1), date(2026, 3, 7))
    by_asin = grouped_metrics(con, scope, ["asin"], ["ntb_pct", "customer_source"])
    assert by_asin["asin"].tolist() == ["B0COHORT01", "B0COHORT02"]
    assert by_asin["ntb_pct"].tolist() == pytest.approx([0.75, 0.25])
    assert set(by_asin["customer_source"]) == {"performance"}
    one = grouped_metrics(con, replace(scope, asins=("B0COHORT01",)), ["asin"], ["ntb_pct"])
    assert one["ntb_pct"].tolist() == pytest.approx([0.75])
    assert totals(con, scope, ["ntb_pct"])["ntb_pct"] == pytest.approx(12 / 36)


def test_monthly_cohorts_leave_the_weeks_to_the_performance_counts(con: duckdb.DuckDBPyConnection, load_text) -> None:
    """A month's cohort row lies inside no week: by week it fills no group, and the weeks were left empty with
    cohorts named as their source. The performance counts fill them (Mar 1: 3 / 4, Mar 8: 1 / 4); over March the
    cohorts do (12 / 36)."""
    _counts_beside_cohorts(load_text, "2026-03-09,B0COHORT01", "2026-03-01,2026-03-31,maya,36,12,6,3")
    march = Scope(date(2026, 3, 1), date(2026, 3, 31))
    weeks = grouped_metrics(con, march, ["week"], ["ntb_pct", "customer_source"])
    assert weeks["ntb_pct"].tolist() == pytest.approx([0.75, 0.25])
    assert set(weeks["customer_source"]) == {"performance"}
    assert totals(con, march, ["ntb_pct"])["ntb_pct"] == pytest.approx(12 / 36)


def test_grouped_by_program_each_program_carries_the_order_lines_it_does_not_split(
    con: duckdb.DuckDBPyConnection, load_text
) -> None:
    """Order lines name no program. Grouped by program they formed a row of their own with a blank program (zero
    clicks, every customer rate) and left each program's rates empty. The program filter never narrowed them: grouped
    by it, each program's row carries them (2 of 4 lines new to brand, 0.5), as a creator's row carries the baseline;
    by program and creator, maya's lines (1 of 2) on her rows of both programs, leo's (1 of 2) on his."""
    load_text(
        "performance.csv",
        """
        date,campaign,creator,asin,clicks,orders,revenue,commission,program
        2026-03-02,Spring,maya,B0PROGRAM1,10,2,40.00,4.00,creator_connections
        2026-03-02,Spring,maya,B0PROGRAM1,5,1,20.00,2.00,levanta
        2026-03-03,Spring,leo,B0PROGRAM1,8,2,30.00,3.00,creator_connections
        """,
    )
    load_text(
        "orders.csv",
        """
        order_id,order_date,asin,creator,customer_id,revenue,new_to_brand,subscribe_and_save
        O1,2026-03-02,B0PROGRAM1,maya,C1,20.00,Y,N
        O2,2026-03-02,B0PROGRAM1,maya,C2,20.00,N,N
        O3,2026-03-03,B0PROGRAM1,leo,C3,15.00,Y,N
        O4,2026-03-03,B0PROGRAM1,leo,C4,15.00,N,Y
        """,
    )
    scope = Scope(date(2026, 3, 1), date(2026, 3, 7))
    by_program = grouped_metrics(con, scope, ["program"], ["clicks", "ntb_pct", "sns_rate"])
    assert by_program["program"].tolist() == ["creator_connections", "levanta"]
    assert by_program["clicks"].tolist() == [18, 5]
    assert by_program["ntb_pct"].tolist() == pytest.approx([0.5, 0.5])
    assert by_program["sns_rate"].tolist() == pytest.approx([0.25, 0.25])
    both = grouped_metrics(con, scope, ["program", "creator"], ["ntb_pct", "sns_rate"])
    assert list(zip(both["program"], both["creator"], strict=True)) == [
        ("creator_connections", "leo"),
        ("creator_connections", "maya"),
        ("levanta", "maya"),
    ]
    assert both["ntb_pct"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert both["sns_rate"].tolist() == pytest.approx([0.5, 0.0, 0.0])
