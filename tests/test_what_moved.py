"""What moved, and was it the creators: commission-share change explained, program health, rank lift against a
control group, and event days left out of rank windows. Every number is worked out by hand in the docstrings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analytics.__main__ import main
from analytics.metrics.commission_change import COLUMNS as COMMISSION_COLUMNS
from analytics.metrics.commission_change import commission_change
from analytics.metrics.events import event_ranges
from analytics.metrics.grouped import REGISTRY, Scope
from analytics.metrics.health import program_health, top5_revenue_share
from analytics.metrics.rank_lift import rank_lifts
from analytics.metrics.sales_lift import sales_lift
from analytics.present.charts import mark_events
from analytics.present.formatting import format_value
from analytics.review.insights import (
    commission_share_drift,
    creator_concentration,
    no_new_creators,
    revenue_up_rank_flat,
)
from analytics.review.screens import (
    EFFECTS,
    asin_effects_that_add_up,
    campaigns_in_one_period,
    commission_moved_sentence,
    effects_that_add_up,
    weeks_without_rows,
    weeks_without_rows_sentence,
    with_share_change,
)
from analytics.store.changes import load_file
from analytics.store.database import open_store
from analytics.words import apportioned
from tests.conftest import ROOT
from tests.plotly_support import values
from tests.test_insights import AS_OF, Row, Store, day, perf, product, rank, write_csv

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


def rows_by(frame, *columns):
    return {
        row[columns[0]] if len(columns) == 1 else tuple(row[c] for c in columns): row
        for row in frame.to_dict("records")
    }


def is_null(value: object) -> bool:
    return value is None or value != value


# Commission-share change -------------------------------------------------------------------------------------

CHANGE_PRODUCTS = """
    asin,product_line
    AAAAAAAAA1,Protein
    AAAAAAAAA2,Protein
    AAAAAAAAA3,Protein
    AAAAAAAAA4,Protein
"""
CHANGE_PERFORMANCE = """
    date,campaign,creator,asin,clicks,orders,revenue,commission
    2026-03-01,Spring,ana,AAAAAAAAA1,40,2,60,6
    2026-03-31,Spring,ana,AAAAAAAAA1,10,1,40,4
    2026-03-05,Spring,ana,AAAAAAAAA2,50,2,100,5
    2026-03-05,Spring,ana,AAAAAAAAA3,50,2,100,6
    2026-04-01,Spring,ana,AAAAAAAAA1,100,5,300,36
    2026-04-02,Spring,ana,AAAAAAAAA2,50,2,100,5
    2026-04-02,Spring,ana,AAAAAAAAA3,10,0,0,0
    2026-04-03,Spring,ana,AAAAAAAAA4,50,2,100,20
    2026-04-03,Spring,bob,AAAAAAAAA4,10,1,100,20
    2026-05-01,Spring,ana,AAAAAAAAA2,10,1,1000,0
"""


@pytest.fixture
def commissions(load_text, con):
    load_text("products.csv", CHANGE_PRODUCTS, kind="products")
    load_text("performance.csv", CHANGE_PERFORMANCE, kind="performance")
    return con


def test_rate_mix_and_entry_exit_effects_add_up_to_the_share_change(commissions):
    """ana, March vs April (the 05-01 row is in neither period).

    March: A1 100 / 10 (two days, r .10), A2 100 / 5 (r .05), A3 100 / 6 (r .06): ΣR 300, ΣC 21, share .07.
    April: A1 300 / 36 (r .12), A2 100 / 5, A3 a row with no revenue (so not "with revenue": it left), A4 100 / 20
    (new, r .20): ΣR 500, ΣC 61, share .122.
    In both: A1 w0 1/3, w1 .6; A2 w0 1/3, w1 .2.
    rate = .6 × (.12 − .10) + .2 × 0 = .012
    mix = (.6 − 1/3) × .10 + (.2 − 1/3) × .05 = .026667 − .006667 = .020
    entry/exit = A4 .2 × .2 − A3 (1/3 × .06) = .04 − .02 = .020
    .012 + .020 + .020 = .052 = .122 − .07. (Weights over the ASINs in both periods alone would give other numbers.)
    Commission per click: March 21 / 150 = .14; April 61 / 210 = .290476.
    """
    row = rows_by(commission_change(commissions, "creator", MARCH, APRIL), "creator")["ana"]
    assert row["share_before"] == pytest.approx(0.07)
    assert row["share_after"] == pytest.approx(0.122)
    assert row["rate_effect"] == pytest.approx(0.012)
    assert row["mix_effect"] == pytest.approx(0.020)
    assert row["entry_exit_effect"] == pytest.approx(0.020)
    effects = row["rate_effect"] + row["mix_effect"] + row["entry_exit_effect"]
    assert effects == pytest.approx(row["share_after"] - row["share_before"], abs=1e-15)
    assert row["commission_per_click_before"] == pytest.approx(21 / 150)
    assert row["commission_per_click_after"] == pytest.approx(61 / 210)


def test_a_group_present_in_one_period_only_has_no_share_there_and_no_effects(commissions):
    """bob sells only in April (A4 100 / 20): share_after .2, share_before null (no revenue), effects null."""
    bob = rows_by(commission_change(commissions, "creator", MARCH, APRIL), "creator")["bob"]
    assert bob["share_after"] == pytest.approx(0.2)
    assert all(is_null(bob[c]) for c in ("share_before", "rate_effect", "mix_effect", "entry_exit_effect"))
    assert is_null(bob["commission_per_click_before"]) and bob["commission_per_click_after"] == pytest.approx(2.0)


def test_a_product_line_sums_its_creators_before_weighing_asins(commissions):
    """Protein, April with bob: A4 200 / 40, so ΣR1 600, ΣC1 81, share .135; March as for ana, .07.
    A1 w1 .5, A2 w1 1/6. rate = .5 × .02 = .01; mix = (.5 − 1/3) × .1 + (1/6 − 1/3) × .05 = .016667 − .008333
    = .008333; entry/exit = 40 / 600 − .02 = .046667. Sum .065 = .135 − .07.
    """
    row = rows_by(commission_change(commissions, "product_line", MARCH, APRIL), "product_line")["Protein"]
    assert (row["share_before"], row["share_after"]) == (pytest.approx(0.07), pytest.approx(0.135))
    assert row["rate_effect"] == pytest.approx(0.01)
    assert row["mix_effect"] == pytest.approx(0.025 / 3)
    assert row["entry_exit_effect"] == pytest.approx(0.14 / 3)


def test_commission_without_revenue_goes_to_entry_exit_so_the_sum_still_holds(load_text, con):
    """March A1 100 / 10 (.10). April A1 100 / 10 and A2 0 revenue / 5 commission (a returned sale whose bonus stood).
    share_after = 15 / 100 = .15. A2 has no rate; its 5 / 100 = .05 is entry/exit. rate 0, mix 0: .05 = .15 − .10.
    """
    load_text(
        "performance.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission
        2026-03-02,ana,AAAAAAAAA1,10,1,100,10
        2026-04-02,ana,AAAAAAAAA1,10,1,100,10
        2026-04-03,ana,AAAAAAAAA2,5,0,0,5
        """,
    )
    row = commission_change(con, "creator", MARCH, APRIL).iloc[0]
    assert row["share_after"] == pytest.approx(0.15)
    assert (row["rate_effect"], row["mix_effect"]) == (pytest.approx(0), pytest.approx(0))
    assert row["entry_exit_effect"] == pytest.approx(0.05)


def test_an_unchanged_rate_has_no_rate_effect_not_a_rounding_errors_worth(load_text, con):
    """A1 pays 10 % in both months: 3.33 of 33.30 in March, 7.77 of 77.70 in April. In floating point 7.77 / 77.7 −
    3.33 / 33.3 is −1.39e-17, which a download wrote out as a rate effect of -0.0000000000000000139. Unchanged, it
    is 0; the month's share and its other effects are as before (one ASIN, weight 1 in both: no mix either)."""
    load_text(
        "performance.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission
        2026-03-02,ana,AAAAAAAAA1,10,1,33.30,3.33
        2026-04-02,ana,AAAAAAAAA1,10,1,77.70,7.77
        """,
    )
    row = commission_change(con, "creator", MARCH, APRIL).iloc[0]
    assert (row["rate_effect"], row["mix_effect"], row["entry_exit_effect"]) == (0.0, 0.0, 0.0)
    assert row["share_after"] == pytest.approx(0.1)
    # A second ASIN at 10 %: the mix moved, at one rate, so its effect is 0 and the share unchanged (the ASINs'
    # parts cancelled to 3.5e-18, and the share's change came out at -1.4e-17).
    load_text(
        "more.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission
        2026-03-03,ana,AAAAAAAAA2,10,1,33.30,3.33
        2026-04-03,ana,AAAAAAAAA2,10,1,33.30,3.33
        """,
    )
    row = with_share_change(commission_change(con, "creator", MARCH, APRIL)).iloc[0]
    assert (row["rate_effect"], row["mix_effect"], row["share_change"]) == (0.0, 0.0, 0.0)


def test_commission_change_by_program_puts_stores_rows_in_creator_connections(commissions):
    """Rows loaded without a program are Creator Connections': one group, the line's numbers."""
    frame = commission_change(commissions, "program", MARCH, APRIL)
    assert frame["program"].tolist() == ["creator_connections"]
    assert frame["share_after"].iloc[0] == pytest.approx(0.135)


def test_the_whole_selections_commission_change_is_one_row_and_one_sentence(commissions):
    """Without a dimension the selection is one group: here every row is Protein's, so its numbers (.07 -> .135;
    rate .01, mix .008333, entry/exit .046667), written in points as the Overview and the review write them."""
    frame = commission_change(commissions, (), MARCH, APRIL)
    assert list(frame.columns) == list(COMMISSION_COLUMNS)
    row = frame.iloc[0]
    assert (row["share_before"], row["share_after"]) == (pytest.approx(0.07), pytest.approx(0.135))
    assert (row["rate_effect"], row["mix_effect"]) == (pytest.approx(0.01), pytest.approx(0.025 / 3))
    show = lambda metric, value: format_value(value, REGISTRY[metric].format)  # noqa: E731
    assert commission_moved_sentence(frame, show) == (
        "Commission share moved +6.5 pts: +1.0 pts from each ASIN's commission as a share of its sales (its rates, and the campaigns and creators its sales came through), +0.8 pts from sales moving "
        "between higher- and lower-rate ASINs, +4.7 pts from ASINs selling in only one of the two periods."
    )
    # Bob alone has no March revenue: no split to give.
    alone = commission_change(commissions, (), MARCH, APRIL, Scope(creators=("bob",)))
    assert commission_moved_sentence(alone, show) is None
    # A change under a tenth of a point is none, as the cards round it.
    assert commission_moved_sentence(frame.assign(share_after=0.0704), show) is None


def test_a_campaign_paying_in_one_period_only_is_named_after_the_split():
    """A campaign's 20 % bonus ended on Oct 20: the share fell by the ASINs' commission per dollar of sales, with no
    rate changed in the catalog, and the sentence blamed "ASINs' own commission rates". The campaigns that paid in
    one period only are named, largest first, with what they paid: Fall Launch $412.50 and Spring $10.00 in the
    period compared, Holiday $99.99 in this one; a campaign paying in both (Always-on) is not, and commission of no
    campaign, paid in both, is not either."""
    frame = pd.DataFrame(
        [{"share_before": 0.12, "share_after": 0.10, "rate_effect": -0.02, "mix_effect": 0.0, "entry_exit_effect": 0.0}]
    )
    program = ["creator_connections"] * 4
    before = pd.DataFrame(
        {
            "program": program,
            "campaign": ["Always-on", "Fall Launch", "Spring", None],
            "commission": [300, 412.5, 10, 5],
        }
    )
    after = pd.DataFrame(
        {"program": program, "campaign": ["Always-on", "Holiday", "Spring", None], "commission": [280, 99.99, 0, 1]}
    )
    show = lambda metric, value: format_value(value, REGISTRY[metric].format)  # noqa: E731
    said = commission_moved_sentence(frame, show, (1000.0, 900.0), (before, after))
    assert said is not None and said.endswith(
        "-2.0 pts from each ASIN's commission as a share of its sales (its rates, and the campaigns and "
        "creators its sales came through), 0.0 pts from sales moving between higher- and lower-rate ASINs, 0.0 pts "
        "from ASINs selling in only one of the two periods. Campaigns with commission in the period compared and none "
        "in this one: Fall Launch ($412.50) and Spring ($10.00); with commission in this period and none in the one "
        "compared: Holiday ($99.99)."
    )
    assert campaigns_in_one_period(before, before) is None
    none_before = before.assign(commission=[300, 412.5, 10, 0])
    assert campaigns_in_one_period(none_before, after).endswith("compared: Holiday ($99.99) and (no campaign) ($1.00).")


def test_campaigns_in_one_period_are_their_programs_written_as_named_and_a_clawback_is_commission_booked():
    """holiday-bonus ran under Creator Connections before and under Levanta now: two campaigns, named with their
    programs, each in one period only. spring's clawback of -$12.00 now is commission booked, so spring did not stop,
    and its name is written as the ledger writes it."""
    before = pd.DataFrame(
        {
            "program": ["creator_connections", "creator_connections"],
            "campaign": ["holiday-bonus", "spring"],
            "commission": [100.0, 40.0],
        }
    )
    after = pd.DataFrame(
        {
            "program": ["levanta", "creator_connections"],
            "campaign": ["holiday-bonus", "spring"],
            "commission": [30.0, -12.0],
        }
    )
    assert campaigns_in_one_period(before, after) == (
        "Campaigns with commission in the period compared and none in this one: holiday-bonus (Creator Connections) "
        "($100.00); with commission in this period and none in the one compared: holiday-bonus (Levanta) ($30.00)."
    )


def test_a_period_whose_returns_outweigh_its_sales_says_its_share_is_no_rate():
    """Nov 15-19 nets -$29.99 of revenue and -$1.80 of commission: 6.0 % by SPEC's ratio, and a split weighed by
    negative revenue. The sentence says why the share is no rate instead of splitting it."""
    frame = pd.DataFrame(
        [
            {
                "share_before": 0.099,
                "share_after": 0.06,
                "rate_effect": 0.061,
                "mix_effect": 0.0,
                "entry_exit_effect": -0.1,
            }
        ]
    )
    show = lambda metric, value: format_value(value, REGISTRY[metric].format)  # noqa: E731
    assert commission_moved_sentence(frame, show, (412.5, -29.99)) == (
        "Returns outweighed sales in this period (net revenue -$29.99): commission over a negative revenue is no rate, "
        "so the commission share and its change are left unsplit."
    )
    assert commission_moved_sentence(frame, show, (-5.0, 100.0)).startswith(
        "Returns outweighed sales in the period compared (net revenue -$5.00)"
    )
    assert commission_moved_sentence(frame, show, (412.5, 100.0)).startswith("Commission share moved -3.9 pts")


def sentence_of_a_move(before: float, after: float, rate: float, mix: float, entry: float) -> str | None:
    """`commission_moved_sentence` of one move of share, its three effects given, written as the pages write it."""
    frame = pd.DataFrame(
        [
            {
                "share_before": before,
                "share_after": after,
                "rate_effect": rate,
                "mix_effect": mix,
                "entry_exit_effect": entry,
            }
        ]
    )
    return commission_moved_sentence(frame, lambda metric, value: format_value(value, REGISTRY[metric].format))


def test_the_parts_of_a_commission_change_add_up_to_the_change_as_written():
    """0.32 points split 0.14 + 0.14 + 0.04: rounded apart they would read +0.1, +0.1 and +0.0 under a +0.3 change;
    rounded together in tenths, +0.2, +0.1 and 0.0, the first part 0.06 from its figure. The sentence is written in
    hundredths instead, where the parts add up as they are."""
    assert sentence_of_a_move(0.1, 0.1032, 0.0014, 0.0014, 0.0004) == (
        "Commission share moved +0.32 pts: +0.14 pts from each ASIN's commission as a share of its sales (its rates, and the campaigns and creators its sales came through), +0.14 pts from sales moving "
        "between higher- and lower-rate ASINs, +0.04 pts from ASINs selling in only one of the two periods."
    )


def test_a_small_part_is_not_written_at_twice_its_size_to_make_the_tenths_add_up():
    """October against September in the sample: +0.873 points, +0.830 from rates, +0.043 from mix, none from entry.
    In tenths that read "+0.9: +0.8, +0.1, 0.0", the mix at more than twice its size. Written in hundredths, the
    parts are +0.83, +0.04 and 0.00 and add up to the +0.87 written."""
    assert sentence_of_a_move(0.1107, 0.11943, 0.0083, 0.00043, 0.0) == (
        "Commission share moved +0.87 pts: +0.83 pts from each ASIN's commission as a share of its sales (its rates, and the campaigns and creators its sales came through), +0.04 pts from sales moving "
        "between higher- and lower-rate ASINs, 0.00 pts from ASINs selling in only one of the two periods."
    )


def test_apportioned_rounds_parts_to_add_up_to_the_rounded_whole():
    """Each part ends on its floor or its ceiling, never past, so no part changes sign."""
    assert apportioned(0.3, [0.14, 0.14, 0.02], 0.1) == (pytest.approx(0.3), [pytest.approx(0.2), 0.1, 0.0])
    assert apportioned(-0.25, [-0.15, -0.15, 0.05], 0.1) == (pytest.approx(-0.2), [-0.1, -0.1, 0.0])
    assert apportioned(6.5, [1.0, 0.8333, 4.6667], 0.1) == (6.5, [1.0, pytest.approx(0.8), pytest.approx(4.7)])


def test_commission_change_refuses_an_unknown_dimension(commissions):
    with pytest.raises(ValueError, match="program, product_line, creator, campaign"):
        commission_change(commissions, "asin", MARCH, APRIL)


def test_commission_change_command_prints_the_effects(commissions, tmp_path, capsys):
    """The CLI gives the engine's rows: ana's share change .052 split .012 / .020 / .020; bob's effects empty."""
    db = commissions.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    commissions.close()
    args = ["--db", db[0], "commission-change", "--by", "creator", "--before", "2026-03-01:2026-03-31"]
    assert main([*args, "--after", "2026-04-01:2026-04-30"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [
        "creator",
        "share_before",
        "share_after",
        "rate_effect",
        "mix_effect",
        "entry_exit_effect",
        "commission_per_click_before",
        "commission_per_click_after",
    ]
    ana, bob = rows
    assert float(ana["rate_effect"]) == pytest.approx(0.012)
    assert bob["share_before"] == "" and bob["rate_effect"] == ""
    # Periods apart say nothing more; periods sharing days say which, as a mistyped date gives them.
    assert main([*args, "--after", "2026-03-25:2026-04-30"]) == 0
    assert capsys.readouterr().err == (
        "note: --before and --after share Mar 25 – Mar 31, 2026: its sales count in both periods, so the change is "
        "smaller than between periods apart.\n"
    )


# Program health ------------------------------------------------------------------------------------------------


HEALTH_PERFORMANCE = """
    date,creator,asin,clicks,orders,revenue,commission
    2026-03-02,ana,AAAAAAAAA1,5,1,10,1
    2026-03-09,ana,AAAAAAAAA1,3,0,0,0
    2026-03-03,bob,AAAAAAAAA1,0,0,0,0
    2026-03-16,bob,AAAAAAAAA1,4,1,10,1
    2026-03-07,cy,AAAAAAAAA1,2,0,0,0
"""


def test_creators_active_new_and_lapsed_by_week(load_text, con):
    """Weeks start on Sundays: 03-01 (W0), 03-08, 03-15, 03-22, 03-29, 04-05. cy's Saturday 03-07 is in W0.

    ana clicks in W0 and 03-08; bob has a 0-click row in W0 and first clicks in 03-15; cy clicks in W0 only.
    Asked from 03-08 to 04-11 (W0 is before the scope, but "first click ever" and "the 4 weeks before" see it):
    03-08: active {ana} 1; new 0 (ana first clicked in W0); lapsed {cy} 1 (active in W0)
    03-15: active {bob} 1; new 1 (his 0-click row is no click); lapsed {ana, cy} 2
    03-22: active 0; lapsed {ana, bob, cy} 3
    03-29: active 0; lapsed 3 (weeks W0 … 03-22)
    04-05: active 0; lapsed {ana, bob} 2 (cy's W0 is now 5 weeks back)
    """
    load_text("performance.csv", HEALTH_PERFORMANCE)
    frame = program_health(con, date(2026, 3, 8), date(2026, 4, 11))
    assert frame["week"].tolist() == [date(2026, 3, 8) + timedelta(days=7 * i) for i in range(5)]
    assert frame["creators_active"].tolist() == [1, 1, 0, 0, 0]
    assert frame["creators_new"].tolist() == [0, 1, 0, 0, 0]
    assert frame["creators_lapsed"].tolist() == [1, 2, 3, 3, 2]


def test_health_command_prints_one_row_per_week(load_text, con, capsys):
    """Without dates: every week from the first stored day (03-02, week 03-01) to the last (03-16, week 03-15).
    Week 03-01: ana and cy active (bob's row has 0 clicks), both new; top 5 share: ana's 10 of 10 = 1.0. Week 03-08
    has no revenue: its share is empty."""
    load_text("performance.csv", HEALTH_PERFORMANCE)
    db = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    con.close()
    assert main(["--db", db[0], "health", "--by", "week", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["week"] for row in rows] == ["2026-03-01", "2026-03-08", "2026-03-15"]
    assert rows[0] == {
        "week": "2026-03-01",
        "creators_active": 2,
        "creators_new": 2,
        "creators_lapsed": 0,
        "top5_revenue_share": 1.0,
    }
    assert rows[1]["top5_revenue_share"] is None


def test_top_five_share_is_over_the_scope_revenue_of_every_creator(load_text, con):
    """Six creators in March: 100, 90, 80, 70, 60, 10 -> top five 400 of 410 = .97561. A 1000 in April is outside
    the scope (with it the share would be 1400 / 1410). With five creators or fewer the share is 1; with no
    revenue it is null."""
    rows = [f"2026-03-0{i + 1},c{i},AAAAAAAAA1,1,1,{r},0" for i, r in enumerate((100, 90, 80, 70, 60, 10))]
    load_text(
        "performance.csv",
        "date,creator,asin,clicks,orders,revenue,commission\n"
        + "\n".join([*rows, "2026-04-02,c5,AAAAAAAAA1,1,1,1000,0"])
        + "\n",
    )
    assert top5_revenue_share(con, *MARCH) == pytest.approx(400 / 410)
    assert top5_revenue_share(con, date(2026, 3, 1), date(2026, 3, 5)) == 1.0
    assert top5_revenue_share(con, date(2026, 5, 1), date(2026, 5, 31)) is None


# Rank lift against a control group -----------------------------------------------------------------------------

# W = 3, L = 0. T1 activated 03-10: B = 03-07 … 03-09, F = 03-10 … 03-12. C1 never activated; C2 activated on F's
# last day (not a control of T1); C3 activated 03-13 (a control of T1). S1 alone in Snacks.
LIFT_PRODUCTS = """
    asin,product_line,activation_date
    TTTTTTTTT1,Protein,2026-03-10
    CCCCCCCCC1,Protein,
    CCCCCCCCC2,Protein,2026-03-12
    CCCCCCCCC3,Protein,2026-03-13
    SSSSSSSSS1,Snacks,2026-03-10
"""
LIFT_RANKS = """
    date,asin,keyword,organic_rank
    2026-03-07,TTTTTTTTT1,powder,15
    2026-03-08,TTTTTTTTT1,powder,13
    2026-03-09,TTTTTTTTT1,powder,11
    2026-03-10,TTTTTTTTT1,powder,8
    2026-03-11,TTTTTTTTT1,powder,6
    2026-03-12,TTTTTTTTT1,powder,4
    2026-03-09,TTTTTTTTT1,whey,5
    2026-03-10,TTTTTTTTT1,whey,4
    2026-03-07,CCCCCCCCC1,k1,20
    2026-03-08,CCCCCCCCC1,k1,22
    2026-03-09,CCCCCCCCC1,k1,24
    2026-03-10,CCCCCCCCC1,k1,20
    2026-03-11,CCCCCCCCC1,k1,21
    2026-03-12,CCCCCCCCC1,k1,22
    2026-03-09,CCCCCCCCC1,k2,10
    2026-03-11,CCCCCCCCC1,k2,13
    2026-03-08,CCCCCCCCC2,k4,40
    2026-03-11,CCCCCCCCC2,k4,30
    2026-03-08,CCCCCCCCC3,k3,30
    2026-03-11,CCCCCCCCC3,k3,25
    2026-03-08,SSSSSSSSS1,chips,50
    2026-03-11,SSSSSSSSS1,chips,45
"""


@pytest.fixture
def lifted(load_text, con):
    load_text("products.csv", LIFT_PRODUCTS, kind="products")
    load_text("ranks.csv", LIFT_RANKS, kind="ranks")
    return con


def test_lift_against_control_subtracts_the_median_change_of_unactivated_asins_over_the_same_days(lifted):
    """T1: powder B [15, 13, 11] 13, F [8, 6, 4] 6, change 7; whey B [5] F [4] change 1; ASIN change median 4.
    Controls over T1's days: C1 k1 B [20, 22, 24] 22, F [20, 21, 22] 21 -> 1; C1 k2 B [10] F [13] -> -3;
    C3 (activated 03-13, after F) k3 B [30] F [25] -> 5. C2, activated on F's last day, is no control (its 10
    would make the median 3). control_change = median [1, -3, 5] = 1 from 2 ASINs and 3 keywords.
    lift_vs_control = 4 - 1 = 3; keyword lifts: powder 7 - 1 = 6, whey 1 - 1 = 0.
    """
    lifts = rank_lifts(lifted, window_days=3)
    t1 = rows_by(lifts["asin"], "asin")["TTTTTTTTT1"]
    assert (t1["rank_change"], t1["control_change"], t1["lift_vs_control"]) == (4, 1, 3)
    assert (t1["control_asins"], t1["control_keywords"]) == (2, 3)
    keywords = rows_by(lifts["keyword"], "asin", "keyword")
    assert keywords[("TTTTTTTTT1", "powder")]["lift_vs_control"] == 6
    assert keywords[("TTTTTTTTT1", "whey")]["lift_vs_control"] == 0
    assert keywords[("TTTTTTTTT1", "whey")]["control_change"] == 1


def test_each_activated_asin_has_controls_over_its_own_windows(lifted):
    """C2 (activated 03-12: B 03-09 … 03-11, F 03-12 … 03-14): its own k4 has no ranked day in F, so no change.
    Its only control is C1 (T1 and C3 are activated by 03-14): k1 B [24, 20, 21] 21, F [22] -> -1; k2 has no
    reading in F. control_change -1 from 1 ASIN and 1 keyword; lift null (no change of its own).
    C3 (activated 03-13: B 03-10 … 03-12, F 03-13 … 03-15): C1 has no reading in F, so no control at all:
    control_change and lift null, counts 0.
    """
    asins = rows_by(rank_lifts(lifted, window_days=3)["asin"], "asin")
    c2 = asins["CCCCCCCCC2"]
    assert (c2["control_change"], c2["control_asins"], c2["control_keywords"]) == (-1, 1, 1)
    assert is_null(c2["rank_change"]) and is_null(c2["lift_vs_control"])
    c3 = asins["CCCCCCCCC3"]
    assert is_null(c3["control_change"]) and is_null(c3["lift_vs_control"])
    assert (c3["control_asins"], c3["control_keywords"]) == (0, 0)


def test_a_control_reading_on_the_first_or_last_day_of_a_window_counts(load_text, con):
    """W = 3: B1 activated 03-10, B = 03-07 … 03-09, F = 03-10 … 03-12, and every reading sits on a window's edge.
    B1: B [9], F [5], change 4. Control D1 (never activated): B [30], F [20], change 10. Lift 4 - 10 = -6."""
    load_text("products.csv", "asin,product_line,activation_date\nBBBBBBBBB1,Bars,2026-03-10\nDDDDDDDDD1,Bars,\n")
    load_text(
        "ranks.csv",
        "date,asin,keyword,organic_rank\n2026-03-07,BBBBBBBBB1,bar,9\n2026-03-12,BBBBBBBBB1,bar,5\n"
        "2026-03-07,DDDDDDDDD1,snack,30\n2026-03-12,DDDDDDDDD1,snack,20\n",
    )
    b1 = rows_by(rank_lifts(con, window_days=3)["asin"], "asin")["BBBBBBBBB1"]
    assert (b1["rank_change"], b1["control_change"], b1["lift_vs_control"]) == (4, 10, -6)


def test_a_line_without_a_control_asin_has_no_lift_and_a_line_takes_medians_over_its_asins(lifted):
    """Snacks holds S1 alone: change 50 - 45 = 5, no control: control_change and lift null, counts 0.
    Protein: control_change = median of its ASINs' non-null [1 (T1), -1 (C2)] = 0; lift = median of [3] = 3 (not
    the line's rank_change 4 minus 0); control ASINs used {C1, C3} = 2, keywords {C1 k1, C1 k2, C3 k3} = 3.
    """
    lines = rows_by(rank_lifts(lifted, window_days=3)["product_line"], "product_line")
    snacks = lines["Snacks"]
    assert snacks["rank_change"] == 5
    assert is_null(snacks["control_change"]) and is_null(snacks["lift_vs_control"])
    assert (snacks["control_asins"], snacks["control_keywords"]) == (0, 0)
    protein = lines["Protein"]
    assert (protein["rank_change"], protein["control_change"], protein["lift_vs_control"]) == (4, 0, 3)
    assert (protein["control_asins"], protein["control_keywords"]) == (2, 3)


def test_event_days_leave_every_window_treated_and_control_alike(lifted, load_text):
    """An event on 03-10 (T1's first day after activation). Excluded, T1's F is 03-11 … 03-12:
    powder F [6, 4] 5, change 8; whey F [] -> null; ASIN change 8.
    Controls: C1 k1 F [21, 22] 21.5 -> 0.5; k2 -3; C3 k3 5: median 0.5. lift = 8 - 0.5 = 7.5.
    Without --exclude-events the stored event changes nothing: lift 3 as before.
    """
    load_text("events.csv", "name,start,end\nFlash sale,2026-03-10,2026-03-10\n")
    kept = rows_by(rank_lifts(lifted, window_days=3)["asin"], "asin")["TTTTTTTTT1"]
    assert kept["lift_vs_control"] == 3
    t1 = rows_by(rank_lifts(lifted, window_days=3, exclude_events=True)["asin"], "asin")["TTTTTTTTT1"]
    assert (t1["rank_change"], t1["control_change"], t1["lift_vs_control"]) == (8, 0.5, 7.5)


def test_rank_lift_command_excludes_events_when_asked(lifted, load_text, capsys):
    """The same event through the command line: T1's lift 7.5 with --exclude-events."""
    load_text("events.csv", "name,start,end\nFlash sale,2026-03-10,2026-03-10\n")
    db = lifted.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    lifted.close()
    args = ["--db", db[0], "rank-lift", "--by", "asin", "--window-days", "3", "--format", "json"]
    assert main([*args, "--exclude-events"]) == 0
    t1 = {row["asin"]: row for row in json.loads(capsys.readouterr().out)}["TTTTTTTTT1"]
    assert t1["lift_vs_control"] == 7.5


def test_the_sample_lists_prime_day_and_the_fall_deal_days(sample_con):
    """The sample's year is 2026 (performance runs 2025-11 … 2026-11): its events fall in that year."""
    events = sample_con.execute('select name, "start", "end" from events order by "start"').fetchall()
    assert events == [
        ("Prime Day", date(2026, 7, 14), date(2026, 7, 17)),
        ("Prime Big Deal Days", date(2026, 10, 6), date(2026, 10, 7)),
    ]


# Findings ------------------------------------------------------------------------------------------------------
# The weekly review's fixtures end on AS_OF = 2026-03-31 (a Tuesday); day(n) is n days before it.


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Builds the store from tables given as lists of rows, as in test_insights: store(products=[...], ...)."""
    connections: list[duckdb.DuckDBPyConnection] = []

    def build(**tables: list[Row]) -> duckdb.DuckDBPyConnection:
        con = open_store(tmp_path / "findings.duckdb")
        connections.append(con)
        for kind in ("products", "performance", "ranks"):
            if kind in tables:
                write_csv(tmp_path / f"{kind}.csv", tables[kind])
                load_file(con, tmp_path / f"{kind}.csv", kind=kind)
        return con

    yield build
    for con in connections:
        con.close()


def test_commission_drift_states_the_split_and_the_asins_behind_the_rates(store: Store) -> None:
    """Hydration, before (day 83 … day 42) vs the last 6 weeks (day 41 … day 0).

    before: H1 500 / 50 (10%), H2 300 / 15 (5%), H3 200 / 10 (5%): 75 / 1000 = 7.5%; weights .5, .3, .2.
    now:    H1 600 / 78 (13%), H2 200 / 14 (7%), H3 200 / 10 (5%): 102 / 1000 = 10.2%; weights .6, .2, .2.
    rate = .6 × 3 pts (H1 1.8) + .2 × 2 pts (H2 0.4) + 0 = 2.2 pts, on 2 ASINs (H3's rate did not move);
    mix = (.6 − .5) × 10% − (.2 − .3) × … = 1.0 − 0.5 = 0.5 pts; no ASIN entered or left. 2.2 + 0.5 = 2.7.
    The catalog holds no rates for them, so the rate part is named commission rates, not bonus rates.
    """
    con = store(
        products=[product("B0HYDRA001"), product("B0HYDRA002"), product("B0HYDRA003")],
        performance=[
            perf(day(50), "Ana", "B0HYDRA001", revenue=500, commission=50),
            perf(day(50), "Ana", "B0HYDRA002", revenue=300, commission=15),
            perf(day(50), "Ana", "B0HYDRA003", revenue=200, commission=10),
            perf(day(10), "Ana", "B0HYDRA001", revenue=600, commission=78),
            perf(day(10), "Ana", "B0HYDRA002", revenue=200, commission=14),
            perf(day(10), "Ana", "B0HYDRA003", revenue=200, commission=10),
        ],
    )
    [insight] = commission_share_drift(con, AS_OF)
    assert insight.title == (
        "Commission share in Hydration rose from 7.5% to 10.2% over the last 6 weeks against the 42 days before "
        "(+2.7 pts: +2.2 from higher commission rates on 2 ASINs, +0.5 from mix); the rate rise is on B0HYDRA001 (+1.8 pts) "
        "and B0HYDRA002 (+0.4 pts)."
    )


def test_no_new_creator_in_six_weeks_is_a_warning(store: Store) -> None:
    """The 6 weeks are the Sunday weeks from 02-22 to AS_OF's week (03-29 … 03-31).

    Ana first clicked on 02-01 and clicks on 03-30; Bob first clicked on Saturday 02-21, the day before the
    weeks begin, and again on 03-03. Nobody's first click is in the weeks: flagged; both were active in them. The
    latest week, 03-29 … 03-31, had Ana alone: a week of a few days says little of the program's size.
    (The 42 days ending AS_OF start on 02-18 and would make Bob new.)
    """
    con = store(
        performance=[
            perf("2026-02-01", "Ana", "B0HYDRA001", clicks=5),
            perf("2026-03-30", "Ana", "B0HYDRA001", clicks=5),
            perf("2026-02-21", "Bob", "B0HYDRA001", clicks=5),
            perf("2026-03-03", "Bob", "B0HYDRA001", clicks=5),
        ]
    )
    [insight] = no_new_creators(con, AS_OF)
    assert (insight.rule, insight.severity, insight.page) == ("no_new_creators", "warning", "creators")
    assert insight.title == (
        "No new creator has clicked through in the last 6 weeks (since Feb 22, 2026): both creators active in them "
        "were recruited earlier."
    )


def test_no_new_creator_is_not_said_before_three_weeks_of_earlier_data(store: Store) -> None:
    """The weeks start on 02-22. Data from 02-20 makes every creator's first click one of its first two days: whether
    they were recruited earlier is unknown, so nothing is said. (From 02-01, three weeks before, it is said: the
    test above.)"""
    rows = [perf(day, name, "B0HYDRA001", clicks=5) for day in ("2026-02-20", "2026-03-30") for name in ("Ana", "Bob")]
    assert no_new_creators(store(performance=rows), AS_OF) == []


def test_the_creators_active_are_counted_over_the_six_weeks_not_the_latest_days(store: Store) -> None:
    """Ana clicks on 03-02 alone in the weeks, Bob on 03-10 and Cleo on 03-17: three creators, none in AS_OF's week
    (03-29 … 03-31), all first seen before 02-22."""
    con = store(
        performance=[perf("2026-02-01", name, "B0HYDRA001", clicks=5) for name in ("Ana", "Bob", "Cleo")]
        + [perf(day, name, "B0HYDRA001", clicks=2) for day, name in (("2026-03-02", "Ana"), ("2026-03-10", "Bob"))]
        + [perf("2026-03-17", "Cleo", "B0HYDRA001", clicks=1)]
    )
    [insight] = no_new_creators(con, AS_OF)
    assert insight.title.endswith(": all 3 creators active in them were recruited earlier.")


def test_one_creator_active_in_the_six_weeks_is_named_as_one(store: Store) -> None:
    con = store(performance=[perf(day, "Ana", "B0HYDRA001", clicks=5) for day in ("2026-02-01", "2026-03-30")])
    [insight] = no_new_creators(con, AS_OF)
    assert insight.title.endswith(": the one creator active in them was recruited earlier.")


def test_a_first_click_on_the_first_day_of_the_six_weeks_is_a_new_creator(store: Store) -> None:
    """Carl's first click is on Sunday 02-22, the first day of the weeks: a new creator, no warning."""
    con = store(
        performance=[
            perf("2026-02-01", "Ana", "B0HYDRA001", clicks=5),
            perf("2026-02-22", "Carl", "B0HYDRA001", clicks=1),
        ]
    )
    assert no_new_creators(con, AS_OF) == []


def test_top_five_creators_over_eighty_percent_is_a_risk(store: Store) -> None:
    """Six creators in the 90 days ending AS_OF: 500, 200, 100, 100, 50, 50 -> top five 950 / 1000 = 95.0%;
    the sixth 5.0%. Ties at 50 go by name (C5 before C6)."""
    revenues = (500, 200, 100, 100, 50, 50)
    con = store(performance=[perf(day(5), f"C{i + 1}", "B0HYDRA001", revenue=r) for i, r in enumerate(revenues)])
    [insight] = creator_concentration(con, AS_OF)
    assert (insight.severity, insight.subject) == ("warning", "C1, C2, C3, C4, C5")
    assert insight.title == (
        "Your top 5 creators brought in 95.0% of attributed revenue over the 6 days since Mar 26 (the first day of "
        "data), the other 1 creator "
        "5.0%: C1 ($500), C2 ($200), C3 ($100), C4 ($100), C5 ($50)."
    )


def test_top_five_at_eighty_percent_or_five_creators_in_all_is_no_risk(store: Store) -> None:
    """Seven creators: 300, 200, 100 × 5 -> 800 / 1000 = 80.0%, not over 80%. C8's 1000 on day 90 is outside
    the 90 days (with it: 1800 / 2000 = 90%). A store with a single creator has its top five at 100% but
    nobody else to lean on: no finding."""
    revenues = (300, 200, 100, 100, 100, 100, 100)
    rows = [perf(day(5), f"C{i + 1}", "B0HYDRA001", revenue=r) for i, r in enumerate(revenues)]
    con = store(performance=[*rows, perf(day(90), "C8", "B0HYDRA001", revenue=1000)])
    assert creator_concentration(con, AS_OF) == []


def test_revenue_up_rank_flat_judges_the_change_net_of_the_control(store: Store) -> None:
    """Activation day 60, 28-day windows: before day 88 … 61, after day 60 … 33. Both treated ASINs go from $0 to
    $500 (day 0). Each line has one never-activated ASIN, its control.

    B0TREATED1 (Hydration): 10 -> 8, up 2; its control B0CONTROL1 20 -> 15, up 5: net 2 - 5 = -3: flagged
      (on its own change it would not be).
    B0TREATED2 (Protein): 10 -> 10, no change; its control B0CONTROL2 20 -> 23, down 3: net +3: not flagged
      (on its own change it would be).
    """
    con = store(
        products=[
            product("B0TREATED1", activation_date=day(60)),
            product("B0CONTROL1"),
            product("B0TREATED2", "Protein", activation_date=day(60)),
            product("B0CONTROL2", "Protein"),
        ],
        performance=[
            perf(day(0), "Ana", "B0TREATED1", clicks=10, orders=1, revenue=500),
            perf(day(0), "Ana", "B0TREATED2", clicks=10, orders=1, revenue=500),
        ],
        ranks=[
            rank(day(70), "B0TREATED1", 10),
            rank(day(50), "B0TREATED1", 8),
            rank(day(70), "B0CONTROL1", 20),
            rank(day(50), "B0CONTROL1", 15),
            rank(day(70), "B0TREATED2", 10),
            rank(day(50), "B0TREATED2", 10),
            rank(day(70), "B0CONTROL2", 20),
            rank(day(50), "B0CONTROL2", 23),
        ],
    )
    [insight] = revenue_up_rank_flat(con, AS_OF)
    assert insight.subject == "B0TREATED1"
    assert insight.title == (
        "Attributed revenue for B0TREATED1 rose from $0 to $500 over the last 4 weeks, but its organic rank has not "
        "moved up since activation (median 2 places up across 1 keyword; net of 1 ASIN of its line not yet "
        "activated, 3 places down)."
    )


# Sales lift against a control group ----------------------------------------------------------------------------

SALES_PRODUCTS = """
    asin,product_line,activation_date
    TTTTTTTTT1,Protein,2026-03-15
    CCCCCCCCC1,Protein,
    CCCCCCCCC2,Protein,2026-03-28
"""
SALES = """
    period_start,period_end,asin,total_revenue,total_units
    2026-03-01,2026-03-07,TTTTTTTTT1,100,1
    2026-03-08,2026-03-14,TTTTTTTTT1,120,1
    2026-03-15,2026-03-21,TTTTTTTTT1,200,1
    2026-03-22,2026-03-28,TTTTTTTTT1,220,1
    2026-03-07,2026-03-13,TTTTTTTTT1,999,1
    2026-03-01,2026-03-07,CCCCCCCCC1,50,1
    2026-03-08,2026-03-14,CCCCCCCCC1,50,1
    2026-03-15,2026-03-21,CCCCCCCCC1,70,1
    2026-03-22,2026-03-28,CCCCCCCCC1,90,1
    2026-03-01,2026-03-07,CCCCCCCCC2,10,1
    2026-03-08,2026-03-14,CCCCCCCCC2,10,1
    2026-03-15,2026-03-21,CCCCCCCCC2,100,1
    2026-03-22,2026-03-28,CCCCCCCCC2,100,1
"""


def test_sales_lift_is_the_weekly_sales_change_net_of_the_control(load_text, con):
    """T1 activated Sunday 03-15. W = 14: before 03-01 … 03-14 (weeks 03-01, 03-08), after 03-15 … 03-28.
    T1: before median [100, 120] 110, after [200, 220] 210: change 100 (the 03-07 … 03-13 row lies in two weeks:
    left out). Control C1 (never activated): 50 -> 80, change 30. C2, activated on the after window's last day,
    is no control (its change 90 would make the median 60). Lift 100 - 30 = 70 from 1 control.

    W = 10: before 03-05 … 03-14 holds the week of 03-08 whole, not that of 03-01; after 03-15 … 03-24 holds the
    week of 03-15 alone. T1 120 -> 200 (80), C1 50 -> 70 (20); C2, activated 03-28, after this shorter window, is
    now a control: 10 -> 100 (90). Control change median [20, 90] = 55: lift 80 - 55 = 25.
    """
    load_text("products.csv", SALES_PRODUCTS, kind="products")
    load_text("sales.csv", SALES, kind="sales")
    t1 = rows_by(sales_lift(con, window_days=14), "asin")["TTTTTTTTT1"]
    assert (t1["sales_before"], t1["sales_after"], t1["sales_change"]) == (110, 210, 100)
    assert (t1["control_sales_change"], t1["sales_lift_vs_control"], t1["control_asins"]) == (30, 70, 1)
    t1 = rows_by(sales_lift(con, window_days=10), "asin")["TTTTTTTTT1"]
    assert (t1["sales_change"], t1["control_sales_change"], t1["sales_lift_vs_control"]) == (80, 55, 25)
    assert t1["control_asins"] == 2


def test_the_command_line_s_rank_lift_by_asin_carries_the_sales_lift(tmp_path, capsys):
    """The ASIN rows of `rank-lift` gain the sales comparison above (W = 14: change 100, control 30, lift 70)."""
    db = str(tmp_path / "s.duckdb")
    files = {"products.csv": SALES_PRODUCTS, "sales.csv": SALES}
    # One keyword of T1 ranked 20 before activation and 10 after: a rank row to carry the sales columns.
    files["ranks.csv"] = (
        "date,asin,keyword,organic_rank\n2026-03-05,TTTTTTTTT1,whey,20\n2026-03-20,TTTTTTTTT1,whey,10\n"
    )
    for name, text in files.items():
        (tmp_path / name).write_text("\n".join(line.strip() for line in text.strip().splitlines()) + "\n")
        assert main(["--db", db, "load", str(tmp_path / name)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "rank-lift", "--by", "asin", "--window-days", "14"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    t1 = next(r for r in rows if r["asin"] == "TTTTTTTTT1")
    assert (t1["rank_change"], t1["sales_change"], t1["control_sales_change"]) == ("10.0", "100.0", "30.0")
    assert t1["sales_lift_vs_control"] == "70.0"


# Events on charts ----------------------------------------------------------------------------------------------


def test_events_overlapping_a_range_are_listed_earliest_first(load_text, con):
    """Prime Day ends on 07-17, the first day asked for: it overlaps. The October deal days lie after 09-30."""
    load_text(
        "events.csv",
        "name,start,end\nPrime Big Deal Days,2026-10-06,2026-10-07\nPrime Day,2026-07-14,2026-07-17\n",
    )
    events = event_ranges(con, date(2026, 7, 17), date(2026, 9, 30))
    assert events["name"].tolist() == ["Prime Day"]
    assert event_ranges(con)["name"].tolist() == ["Prime Day", "Prime Big Deal Days"]


def test_charts_shade_each_event_to_the_end_of_its_last_day_and_show_its_name_literally() -> None:
    """The chart's data covers 03-01 … 03-31. The flash sale (03-10 … 03-11) is shaded to the end of 03-11, i.e.
    to 03-12; the spring sale (03-30 … 04-02) is clipped to the end of 03-31; Prime Day (07-14) lies outside and
    is not drawn, so the axis is not stretched to July."""
    days = pd.date_range("2026-03-01", "2026-03-31")
    figure = go.Figure(go.Scatter(x=days, y=[1] * len(days)))
    events = pd.DataFrame(
        {
            "name": ["<b>Flash</b>", "Spring sale", "Prime Day"],
            "start": [date(2026, 3, 10), date(2026, 3, 30), date(2026, 7, 14)],
            "end": [date(2026, 3, 11), date(2026, 4, 2), date(2026, 7, 17)],
        }
    )
    shades = mark_events(figure, events).layout.shapes
    spans = [(pd.Timestamp(shade.x0), pd.Timestamp(shade.x1)) for shade in shades]
    assert spans == [
        (pd.Timestamp("2026-03-10"), pd.Timestamp("2026-03-12")),
        (pd.Timestamp("2026-03-30"), pd.Timestamp("2026-04-01")),
    ]
    assert figure.layout.annotations[0].text == "&lt;b&gt;Flash&lt;/b&gt;"


def test_commission_change_splits_and_filters_by_program(load_text, con):
    """ana sells A1 through Creator Connections (a blank program: 100 / 5 in March and April, 5%) and Levanta
    (100 / 10 in March, 100 / 20 in April: 10% -> 20%, all rate). By program: two rows. Levanta alone: ana .1 -> .2.
    Both programs summed: 15 / 200 = 7.5% -> 25 / 200 = 12.5%, a rate effect of 5 points."""
    load_text(
        "performance.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission,program
        2026-03-02,ana,AAAAAAAAA1,10,1,100,10,Levanta
        2026-04-02,ana,AAAAAAAAA1,10,1,100,20,Levanta
        2026-03-02,ana,AAAAAAAAA1,10,1,100,5,
        2026-04-02,ana,AAAAAAAAA1,10,1,100,5,
        """,
    )
    programs = rows_by(commission_change(con, "program", MARCH, APRIL), "program")
    assert set(programs) == {"creator_connections", "levanta"}
    assert programs["levanta"]["rate_effect"] == pytest.approx(0.1)
    assert programs["creator_connections"]["share_after"] == pytest.approx(0.05)
    levanta = commission_change(con, "creator", MARCH, APRIL, Scope(programs=("levanta",))).iloc[0]
    assert (levanta["share_before"], levanta["share_after"]) == (pytest.approx(0.1), pytest.approx(0.2))
    both = commission_change(con, "creator", MARCH, APRIL).iloc[0]
    assert both["rate_effect"] == pytest.approx(0.05)


# The pages -----------------------------------------------------------------------------------------------------


def _opened(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_products_page_splits_each_lines_commission_share_change() -> None:
    """On the sample: one row per product line whose three effects add up to its share change."""
    at = _opened("pages/products.py")
    [moved] = [d.value for d in at.dataframe if "rate_effect" in d.value.columns]
    assert "Vitamins" in set(moved["product_line"])
    both = moved.dropna(subset=["share_before", "share_after"])
    effects = both["rate_effect"] + both["mix_effect"] + both["entry_exit_effect"]
    assert np.allclose(effects, both["share_after"] - both["share_before"])


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_creators_page_shows_program_health_by_week() -> None:
    at = _opened("pages/creators.py")
    [health] = [d.value for d in at.dataframe if "creators_active" in d.value.columns]
    assert list(health.columns) == ["week", "creators_active", "creators_new", "creators_lapsed", "top5_revenue_share"]
    assert len(health) >= 4 and (health["creators_active"] > 0).all()
    # The chart above the table draws the same weeks: one line each for active, new and lapsed creators.
    [chart] = [c for c in at.get("plotly_chart") if "Creators active, new and lapsed" in c.proto.spec]
    traces = json.loads(chart.proto.spec)["data"]
    assert [t["name"] for t in traces] == ["Active creators", "New creators", "Lapsed creators"]
    assert [values(t["y"]) for t in traces] == [
        health[column].astype(float).tolist() for column in ("creators_active", "creators_new", "creators_lapsed")
    ]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_organic_rank_page_can_leave_event_days_out_and_shows_the_control_columns() -> None:
    at = _opened("pages/organic_rank.py")
    at.checkbox(key="rank_exclude_events").check().run()
    assert not at.exception, [e.value for e in at.exception]
    [by_asin] = [d.value for d in at.dataframe if list(d.value.columns)[:2] == ["asin", "title"]]
    assert {"control_change", "lift_vs_control", "control_asins"} <= set(by_asin.columns)


def test_the_products_tables_effects_add_up_to_its_change_on_every_line():
    """Beta moved 9.6578 % -> 10.0079 % (+0.3501 pts: rate 0, mix -2.8226, entry/exit +3.1727). Rounded one by one
    its parts read +0.0, -2.8 and +3.2 beside shares of 9.7 % and 10.0 %; the table now writes the change, +0.4 pts,
    and parts that add up to it. Vitamins moved +0.03 pts (+0.064 from rates, -0.034 from mix): in tenths, a change
    of 0.0 whose rate part, +0.064, would read 0.0 (or a lone +0.1): moved by more than half a tenth, so the table is
    written in hundredths, +0.03 = +0.06 - 0.03. A line without revenue before has no split, and no change."""
    changes = pd.DataFrame(
        {
            "product_line": ["Beta", "Vitamins", "New"],
            "share_before": [0.096578, 0.1, None],
            "share_after": [0.100079, 0.1003, 0.2],
            "rate_effect": [0.0, 0.00064, None],
            "mix_effect": [-0.028226, -0.00034, None],
            "entry_exit_effect": [0.031727, 0.0, None],
            "commission_per_click_before": [0.5, 0.4, None],
            "commission_per_click_after": [0.6, 0.4, 0.3],
        }
    )
    tenths, decimals = effects_that_add_up(changes.iloc[[0, 2]])
    assert decimals == 1
    in_points = lambda frame, column: [None if pd.isna(v) else round(v * 100, 6) for v in frame[column]]  # noqa: E731
    assert [in_points(tenths, c) for c in ("share_change", *EFFECTS)] == [
        [0.4, None],
        [0.0, None],
        [-2.8, None],
        [3.2, None],
    ]
    shown, decimals = effects_that_add_up(changes)
    assert decimals == 2
    assert list(shown.columns) == [
        "product_line",
        "share_before",
        "share_after",
        "share_change",
        "rate_effect",
        "mix_effect",
        "entry_exit_effect",
        "commission_per_click_before",
        "commission_per_click_after",
    ]
    assert in_points(shown, "share_change") == [0.35, 0.03, None]
    assert in_points(shown, "rate_effect") == [0.0, 0.06, None]
    assert in_points(shown, "mix_effect") == [-2.82, -0.03, None]
    assert in_points(shown, "entry_exit_effect") == [3.17, 0.0, None]
    assert shown["share_after"].tolist() == changes["share_after"].tolist()  # the shares stay as they are
    # The download keeps every digit: Vitamins' change is 0.0003, its mix part -0.00034, not 0.0 and 0.0.
    exact = with_share_change(changes)
    assert list(exact.columns) == list(shown.columns)
    assert exact["share_change"].tolist()[:2] == pytest.approx([0.100079 - 0.096578, 0.1003 - 0.1], abs=1e-15)
    assert exact["mix_effect"].tolist()[:2] == [-0.028226, -0.00034]


def test_an_asins_part_is_never_shown_off_by_more_than_half_a_tenth():
    """Pet Care's mix effect, -0.261 pts, over its ASINs -0.606, +0.552, -0.315, +0.304, -0.120, -0.076: rounded in
    tenths to add up to -0.3, +0.552 read +0.5, moved by 0.052. The parts are written in hundredths, adding up to the
    line's -0.26; a line whose tenths move nothing stays in tenths."""
    mix = [-0.00606, 0.00552, -0.00315, 0.00304, -0.00120, -0.00076]
    parts = pd.DataFrame({"asin": list("ABCDEF"), "rate_effect": 0.0, "mix_effect": mix, "entry_exit_effect": 0.0})
    shown, decimals = asin_effects_that_add_up(parts)
    assert decimals == 2
    # Each rounded to its hundredth, then the two furthest from it (-31.5 and the first of the -0.4s, in
    # ten-thousandths) give back the two units the rounding took: -28 rounded against -26.
    assert [round(v * 100, 6) for v in shown["mix_effect"]] == [-0.6, 0.55, -0.31, 0.3, -0.12, -0.08]
    assert round(sum(shown["mix_effect"]) * 100, 6) == -0.26
    even = parts.assign(mix_effect=[-0.006, 0.005, -0.003, 0.003, -0.001, -0.001])
    shown, decimals = asin_effects_that_add_up(even)
    assert decimals == 1
    assert [round(v * 100, 6) for v in shown["mix_effect"]] == [-0.6, 0.5, -0.3, 0.3, -0.1, -0.1]


def test_a_table_rounded_to_add_up_downloads_its_rows_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen shows parts rounded to add up; the downloads get the exact rows given beside them (the CSV writes
    them, the Excel file takes their numbers under the table's words: `test_export`)."""
    from ui import tables

    written: list[tuple[pd.DataFrame, pd.DataFrame]] = []
    monkeypatch.setattr(tables, "download", lambda frame, *args, exact, **kwargs: written.append((frame, exact)))
    exact = pd.DataFrame({"product_line": ["Vitamins"], "rate_effect": [0.00064], "mix_effect": [-0.00034]})
    tables.show_table(exact.assign(rate_effect=0.0, mix_effect=0.0), key="t", file_name="t.csv", exact=exact)
    [(shown, whole)] = written
    assert whole.to_dict("records") == [{"product_line": "Vitamins", "rate_effect": 0.00064, "mix_effect": -0.00034}]
    assert shown.to_dict("records") == [{"product_line": "Vitamins", "rate_effect": 0.0, "mix_effect": 0.0}]


def test_the_weekly_trend_names_the_weeks_it_has_no_rows_for_rather_than_leave_them_out_unsaid():
    """Rows for the weeks of Sep 27 and Oct 11 in a trend of Sep 20 to Oct 17: the weeks of Sep 20 and Oct 4 hold
    none, and the caption says so (a pivot of the download would otherwise look complete)."""
    weekly = pd.DataFrame({"week": pd.to_datetime(["2026-09-27", "2026-10-11"]), "revenue": [10.0, 20.0]})
    missing = weeks_without_rows(weekly, (date(2026, 9, 20), date(2026, 10, 17)))
    assert missing == [date(2026, 9, 20), date(2026, 10, 4)]
    assert weeks_without_rows_sentence(missing) == (
        " No performance rows for the weeks of Sep 20, Oct 4: they are left out of the charts and figures, not shown "
        "as 0."
    )
    assert weeks_without_rows_sentence([]) == ""
