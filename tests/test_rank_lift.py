"""Organic rank before vs after activation, on a fixture whose medians are worked out in the docstrings."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.metrics.rank_lift import rank_lift, rank_lifts
from analytics.review.rank_review import asin_labels

# P1 enters the program on 03-10 (catalog). P2 has no catalog date: its first click, 03-02, is used.
# P3 has ranks but no activation anywhere: no lift rows.
PRODUCTS = """
    asin,product_line,activation_date
    PPPPPPPPP1,Protein,2026-03-10
    PPPPPPPPP2,Protein,
    PPPPPPPPP3,Snacks,
"""
PERFORMANCE = """
    date,creator,asin,clicks,orders,revenue,commission
    2026-03-01,maya,PPPPPPPPP2,0,0,0,0
    2026-03-02,maya,PPPPPPPPP2,12,1,20,2
"""
RANKS = """
    date,asin,keyword,organic_rank
    2026-03-06,PPPPPPPPP1,protein powder,1
    2026-03-07,PPPPPPPPP1,protein powder,10
    2026-03-08,PPPPPPPPP1,protein powder,>306
    2026-03-09,PPPPPPPPP1,protein powder,20
    2026-03-10,PPPPPPPPP1,protein powder,8
    2026-03-11,PPPPPPPPP1,protein powder,6
    2026-03-12,PPPPPPPPP1,protein powder,-
    2026-03-13,PPPPPPPPP1,protein powder,2
    2026-03-07,PPPPPPPPP1,whey,5
    2026-03-08,PPPPPPPPP1,whey,5
    2026-03-09,PPPPPPPPP1,whey,5
    2026-03-10,PPPPPPPPP1,whey,>306
    2026-03-11,PPPPPPPPP1,whey,>306
    2026-03-12,PPPPPPPPP1,whey,
    2026-03-01,PPPPPPPPP2,bars,30
    2026-03-03,PPPPPPPPP2,bars,20
    2026-03-05,PPPPPPPPP3,chips,40
"""


@pytest.fixture
def ranked(load_text, con):
    load_text("products.csv", PRODUCTS)
    load_text("performance.csv", PERFORMANCE)
    load_text("ranks.csv", RANKS)
    return con


def by_key(frame, *columns):
    return {tuple(row[c] for c in columns): row for row in frame.to_dict(orient="records")}


def test_keyword_lift_takes_medians_of_ranked_days_in_each_window(ranked):
    """W = 3, L = 0. P1 activation 03-10: before = 03-07..03-09, after = 03-10..03-12.

    protein powder: before ranked [10, 20] (03-08 not ranked; 03-06 is outside) -> 15;
      after [8, 6] (03-12 not ranked) -> 7; change 15 - 7 = 8.
    whey: before [5, 5, 5] -> 5; after has no ranked day -> null, and so is the change.
    P2 activation = first click 03-02 (the 03-01 row has 0 clicks): before 02-27..03-01 [30],
      after 03-02..03-04 [20] -> change 10. P3 has no activation: no row.
    """
    frame = by_key(rank_lift(ranked, "keyword", window_days=3, lag_days=0), "asin", "keyword")
    assert set(frame) == {("PPPPPPPPP1", "protein powder"), ("PPPPPPPPP1", "whey"), ("PPPPPPPPP2", "bars")}
    powder = frame[("PPPPPPPPP1", "protein powder")]
    assert (powder["rank_before"], powder["rank_after"], powder["rank_change"]) == (15, 7, 8)
    whey = frame[("PPPPPPPPP1", "whey")]
    assert whey["rank_before"] == 5
    assert whey["rank_after"] != whey["rank_after"] and whey["rank_change"] != whey["rank_change"]
    bars = frame[("PPPPPPPPP2", "bars")]
    assert (bars["rank_before"], bars["rank_after"], bars["rank_change"]) == (30, 20, 10)
    assert str(bars["activation_date"])[:10] == "2026-03-02"


def test_lag_moves_the_after_window(ranked):
    """L = 1: after = 03-11..03-13 -> protein powder [6, 2] -> 4; change 15 - 4 = 11."""
    frame = by_key(rank_lift(ranked, "keyword", window_days=3, lag_days=1), "asin", "keyword")
    powder = frame[("PPPPPPPPP1", "protein powder")]
    assert (powder["rank_after"], powder["rank_change"]) == (4, 11)


def test_asin_lift_is_the_median_over_its_keywords(ranked):
    """P1: before median [15, 5] = 10; after [7] (whey null) = 7; change [8] = 8; 1 improved of 1 measured."""
    frame = by_key(rank_lift(ranked, "asin", window_days=3), "asin")
    p1 = frame[("PPPPPPPPP1",)]
    assert (p1["rank_before"], p1["rank_after"], p1["rank_change"]) == (10, 7, 8)
    assert (p1["keywords_improved"], p1["keywords_measured"]) == (1, 1)
    assert ("PPPPPPPPP3",) not in frame


def test_product_line_lift_is_the_median_over_all_its_keywords(ranked):
    """Protein keywords: before [15, 5, 30] -> 15 (a median of ASIN medians [10, 30] would be 20);
    after [7, 20] -> 13.5; change [8, 10] -> 9; improved 2 of 2 measured.
    """
    frame = by_key(rank_lift(ranked, "product_line", window_days=3), "product_line")
    protein = frame[("Protein",)]
    assert (protein["rank_before"], protein["rank_after"], protein["rank_change"]) == (15, 13.5, 9)
    assert (protein["keywords_improved"], protein["keywords_measured"]) == (2, 2)
    assert ("Snacks",) not in frame


def test_a_keyword_that_got_worse_counts_as_measured_not_improved(load_text, con):
    """Before [5], after [9]: change -4 -> measured 1, improved 0."""
    load_text("products.csv", "asin,product_line,activation_date\nQQQQQQQQQ1,Pet,2026-03-10\n")
    load_text("ranks.csv", "date,asin,keyword,organic_rank\n2026-03-09,QQQQQQQQQ1,dog,5\n2026-03-10,QQQQQQQQQ1,dog,9\n")
    row = rank_lift(con, "asin", window_days=3).iloc[0]
    assert row["rank_change"] == -4
    assert (row["keywords_improved"], row["keywords_measured"]) == (0, 1)


def test_bad_window_or_lag_is_refused(ranked):
    with pytest.raises(ValueError):
        rank_lift(ranked, "asin", window_days=0)
    with pytest.raises(ValueError):
        rank_lift(ranked, "asin", lag_days=-1)


def test_asin_labels_shorten_long_titles_and_skip_missing_ones() -> None:
    asins = pd.DataFrame(
        {
            "asin": ["B000000001", "B000000002", "B000000003"],
            "title": ["Whey, 2 lb", "x" * 60, None],
            "activation_date": pd.to_datetime(["2026-03-01", None, "2026-04-01"]),
        }
    )
    assert asin_labels(asins) == {
        "B000000001": "B000000001 · Whey, 2 lb",
        "B000000002": "B000000002 · " + "x" * 47 + "…",
        "B000000003": "B000000003",
    }


def test_an_earlier_click_moves_the_activation_and_unloading_it_moves_it_back(ranked, load_text):
    """P2's first click is 03-02; a file with a click on 03-01 makes that its activation until it is unloaded."""
    from analytics.metrics.rank_lift import activation_dates
    from analytics.store.database import unload

    def p2_activation() -> object:
        dates = activation_dates(ranked).set_index("asin")["activation_date"]
        return pd.Timestamp(dates["PPPPPPPPP2"]).date().isoformat()

    assert p2_activation() == "2026-03-02"
    earlier = load_text(
        "earlier.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission
        2026-03-01,leo,PPPPPPPPP2,3,0,0,0
        """,
    )
    assert p2_activation() == "2026-03-01"
    unload(ranked, earlier.load_id)
    assert p2_activation() == "2026-03-02"


def test_every_level_comes_from_one_measurement(ranked):
    """`rank_lifts` gives each level as `rank_lift` does. With a 1-day window P1's after window is 03-10 alone:
    protein powder 8, whey not ranked. Before (03-09): protein powder 20, whey 5. P1: before median [20, 5] = 12.5,
    after [8] = 8, change [12] (whey's is null) = 12, 1 improved of 1 measured."""
    lifts = rank_lifts(ranked, window_days=1)
    for level, frame in lifts.items():
        assert frame.equals(rank_lift(ranked, level, window_days=1)), level
    p1 = by_key(lifts["asin"], "asin")[("PPPPPPPPP1",)]
    assert (p1["rank_before"], p1["rank_after"], p1["rank_change"]) == (12.5, 8, 12)
    assert (p1["keywords_improved"], p1["keywords_measured"]) == (1, 1)
    assert list(lifts["keyword"].columns) == [
        "asin",
        "keyword",
        "rank_before",
        "rank_after",
        "rank_change",
        "activation_date",
        "control_change",
        "lift_vs_control",
        "control_asins",
        "control_keywords",
    ]


def test_an_empty_lift_vs_control_is_put_down_to_the_controls_only_when_keywords_were_measured() -> None:
    from analytics.review.rank_review import measured_without_control

    assert measured_without_control({"keywords_measured": 3, "control_asins": 0})
    assert not measured_without_control({"keywords_measured": 3, "control_asins": 2})
    # No keyword measured: the page already says the ranks do not cover both windows.
    assert not measured_without_control({"keywords_measured": 0, "control_asins": 0})
    assert not measured_without_control(None)


def test_without_a_rank_before_activation_the_page_does_not_call_revenue_and_rank_fine(empty_app_env, tmp_path) -> None:
    """A new brand's keyword tracker started with the program: every rank is after activation, so no product can be
    judged, and "no product had its revenue rise while its rank stayed flat" was shown as an all-clear."""
    from streamlit.testing.v1 import AppTest

    from analytics.ingest.importer import load_file
    from analytics.store.database import open_store
    from tests.conftest import ROOT

    performance, ranks = tmp_path / "performance.csv", tmp_path / "ranks.csv"
    performance.write_text(
        "date,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-02,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-11-20,Ana,B0HYDRA001,50,5,50.00,5.00\n"
    )
    ranks.write_text(
        "date,asin,keyword,organic_rank\n2026-11-03,B0HYDRA001,electrolyte,40\n2026-11-20,B0HYDRA001,electrolyte,30\n"
    )
    con = open_store(empty_app_env)
    load_file(con, performance)
    load_file(con, ranks)
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/organic_rank.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("whether rank followed revenue cannot be judged" in i.value for i in at.info), [i.value for i in at.info]
    assert not any("stayed flat or fell" in s.value for s in at.success)
