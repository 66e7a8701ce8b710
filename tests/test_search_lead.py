"""Branded search beside creator clicks: the correlation of weekly changes at lags of 0 to 4 weeks, worked by hand,
the one sentence the Overview shows, and what it says when the search file or the brand's terms are missing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics.grouped import Scope
from analytics.metrics.search_lead import (
    clear_lead,
    lead_correlations,
    lead_sentence,
    missing_search_input,
    search_beside_clicks,
)
from analytics.store.brand_terms import set_brand_terms
from analytics.store.changes import load_file
from analytics.store.database import open_store
from tests.conftest import ROOT

# Ten Sundays. Search = 500 + 2 × the clicks of the week before (700 in the first week, as if that were 100).
CLICKS = [100, 120, 110, 150, 130, 170, 140, 180, 160, 200]
SEARCH = [700, 700, 740, 720, 800, 760, 840, 780, 860, 820]


def weekly(clicks: list[int], search: list[int | None]) -> pd.DataFrame:
    weeks = pd.date_range("2026-03-01", periods=len(clicks), freq="7D")
    return pd.DataFrame(
        {
            "week": weeks,
            "clicks": pd.array(clicks, dtype="Int64"),
            "branded_search_volume": pd.array(search, dtype="Int64"),
        }
    )


def test_clicks_leading_search_by_one_week_give_r_one_at_lag_one() -> None:
    """Changes in clicks (weeks 2..10): +20 −10 +40 −20 +40 −30 +40 −20 +40.
    Changes in search:                    0 +40 −20 +80 −40 +80 −60 +80 −40.

    Each search change is twice the clicks change of the week before: at lag 1 the 8 pairs (+20, +40), (−10, −20) …
    (−20, −40) lie on a line, r = 1. At lag 0 the 9 pairs move against each other: Σxy = −12,400, below
    9 × mean(x) × mean(y) = 9 × 100/9 × 120/9 ≈ 1,333, so r < 0. Levels would mislead: both series rise.
    """
    correlations = lead_correlations(weekly(CLICKS, SEARCH)).set_index("lag_weeks")
    assert correlations["weeks"].tolist() == [9, 8, 7, 6, 5]
    assert correlations.loc[1, "r"] == pytest.approx(1.0)
    assert correlations.loc[0, "r"] < 0
    lead = clear_lead(correlations.reset_index())
    assert lead is not None and (lead.lag_weeks, lead.weeks) == (1, 8)
    assert lead_sentence(weekly(CLICKS, SEARCH)) == (
        "Branded search tends to move 1 week after creator clicks: their weekly changes correlate at r = 1.00 over "
        "8 weekly changes. A correlation, not proof that the clicks cause the searches."
    )


def test_a_lead_over_fewer_than_eight_weekly_changes_is_not_stated() -> None:
    """The same series without its last week: at lag 1 only 7 pairs are left (r is still 1), under the 8 asked."""
    frame = weekly(CLICKS[:-1], SEARCH[:-1])
    assert clear_lead(lead_correlations(frame)) is None
    assert lead_sentence(frame).startswith("No clear lead is visible: these weeks are too few")


def test_changes_are_not_taken_across_a_week_without_search() -> None:
    """Week 6's search is missing: the changes into and out of it are dropped, so lag 1 keeps 6 of its 8 pairs (the
    pairs whose search change is weeks 5→6 or 6→7), too few to state a lead."""
    search: list[int | None] = [*SEARCH]
    search[5] = None
    correlations = lead_correlations(weekly(CLICKS, search)).set_index("lag_weeks")
    assert correlations.loc[1, "weeks"] == 6
    assert clear_lead(correlations.reset_index()) is None


def test_unrelated_series_say_no_clear_lead() -> None:
    """Search that alternates ±50 around 1,000 while clicks climb by 10 a week: clicks never change their change, so
    every r is null (no variation) and nothing is stated."""
    clicks = [100 + 10 * i for i in range(12)]
    search = [1000 + (50 if i % 2 else -50) for i in range(12)]
    assert clear_lead(lead_correlations(weekly(clicks, search))) is None
    assert lead_sentence(weekly(clicks, search)).startswith("No clear lead is visible: weekly changes in branded")


def test_without_a_search_file_or_brand_terms_the_chart_says_what_fills_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    scope = Scope(date(2026, 3, 1), date(2026, 3, 14))
    gap = missing_search_input(con)
    assert gap is not None and "upload Brand Analytics' Search Query Performance" in gap.in_app
    path = tmp_path / "search.csv"
    path.write_text(
        "period_start,period_end,search_query,search_query_volume,clicks_total,clicks_brand\n"
        "2026-03-01,2026-03-07,acme bars,100,50,40\n"
    )
    load_file(con, path, "search.csv")
    frame, sentence, missing = search_beside_clicks(con, scope)
    assert frame.empty and sentence is None and missing is not None and "set the brand's search terms" in missing.in_app
    set_brand_terms(con, ["Acme"])
    frame, sentence, missing = search_beside_clicks(con, scope)
    assert missing is None and frame["branded_search_volume"].tolist() == [100]
    assert sentence is not None and sentence.startswith("No clear lead is visible")


def test_the_sample_brand_shows_branded_search_following_creator_clicks_by_a_week(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The sample's branded queries follow its creator clicks one week later (Prime Day's week, then the next)."""
    frame, sentence, missing = search_beside_clicks(sample_con, Scope(date(2026, 5, 17), date(2026, 11, 14)))
    assert missing is None
    assert frame["branded_search_volume"].notna().sum() == 26
    assert sentence is not None and sentence.startswith("Branded search tends to move 1 week after creator clicks")


def test_a_selection_of_a_small_part_of_the_brands_clicks_reads_no_lead_from_brand_search(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """Brand search is the whole brand's: one creator's clicks, a few percent of the brand's, said to lead it would
    read as that creator driving the brand's searches. The share is the selection's clicks over the brand's, the
    same weeks; a selection of most of the clicks (every line but the smallest) still reads the lead."""
    weeks = Scope(date(2026, 5, 17), date(2026, 11, 14))
    clicks = dict(
        sample_con.execute(
            "select creator, sum(clicks) from performance where date between $s and $e group by 1",
            {"s": weeks.start, "e": weeks.end},
        ).fetchall()
    )
    smallest = min(clicks, key=lambda creator: clicks[creator])
    frame, sentence, missing = search_beside_clicks(sample_con, Scope(weeks.start, weeks.end, creators=(smallest,)))
    assert missing is None and not frame.empty
    share = clicks[smallest] / sum(clicks.values())
    assert sentence == (
        f"The selection's clicks are {share:.1%} of the brand's in these weeks: too small a part of what brings "
        "shoppers to search for the brand to read a lead from. The whole brand's clicks would show one."
    )
    lines = [row[0] for row in sample_con.execute("select distinct product_line from products order by 1").fetchall()]
    _, most, _ = search_beside_clicks(sample_con, Scope(weeks.start, weeks.end, product_lines=tuple(lines)))
    assert most is not None and most.startswith("Branded search tends to move")


@pytest.fixture
def overview(app_env: Path, entry_script_on_every_run: None) -> Callable[[], AppTest]:
    def open_overview() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_overview


def test_the_overview_charts_branded_search_beside_creator_clicks_on_the_sample(
    overview: Callable[[], AppTest],
) -> None:
    at = overview()
    assert "Branded search and creator clicks" in [s.value for s in at.subheader]
    assert any(m.value.startswith("Branded search tends to move 1 week after creator clicks") for m in at.markdown)
    assert any("narrow only the clicks" in c.value for c in at.caption)


def test_without_brand_terms_the_overview_says_where_to_set_them(
    app_env: Path, overview: Callable[[], AppTest]
) -> None:
    con = open_store(app_env)
    try:
        set_brand_terms(con, [])
    finally:
        con.close()
    at = overview()
    assert any("set the brand's search terms" in i.value for i in at.info), [i.value for i in at.info]
    assert not any(m.value.startswith("Branded search tends") for m in at.markdown)


def test_the_review_sent_on_carries_the_branded_search_chart_and_sentence_and_shades_events(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The review of the Overview's period holds the same section: the engine's sentence over the trend's weeks and
    the chart, drawn third after the two trend charts; without search rows it has neither, and says what to upload
    as the Overview does."""
    from analytics.present.report import trend_figures, weekly_report
    from analytics.present.report_page import report_html
    from analytics.review.screens import trend_range

    report = weekly_report(sample_con, "Acme")
    trend = trend_range(report.start, report.end)
    assert trend is not None
    _, sentence, _ = search_beside_clicks(sample_con, Scope(*trend))
    assert sentence is not None and report.search_sentence == sentence
    figures = trend_figures(report)
    assert len(figures) == 3 and figures[2].layout.yaxis2.title.text
    # The sale days inside the trend's weeks are shaded and named on every chart, as on the Overview.
    assert all(any(a.text == "Prime Big Deal Days" for a in figure.layout.annotations) for figure in figures)
    page = report_html(report, ["<svg/>"] * 3)
    assert "<h2>Branded search and creator clicks</h2>" in page and sentence in page
    sample_con.execute("create temp table kept as select * from search; delete from search")
    try:
        bare = weekly_report(sample_con, "Acme")
        assert bare.search.empty and len(trend_figures(bare)) == 2
        page = report_html(bare, ["<svg/>"] * 2)
        assert (
            "<h2>Branded search and creator clicks</h2><p>No branded search: it comes from Brand Analytics' Search "
            "Query Performance report (Brand View, weekly), and none is loaded.</p>"
        ) in page.replace("&#x27;", "'")
        assert page.count("data:image/svg+xml") == 2  # the trend's two charts, no third
    finally:
        sample_con.execute("insert into search select * from kept; drop table kept")


def test_brand_click_share_is_charted_by_week_under_branded_search_and_creator_clicks(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """SPEC charts brand click share by week beside creator clicks: the sample's weeks of Search Query Performance
    give it, Σ clicks_brand / Σ clicks_total over the queries without the brand's terms, worked out here from the
    rows themselves for one week."""
    from analytics.present.charts import search_beside_clicks as chart
    from analytics.store.brand_terms import brand_terms

    frame, _, missing = search_beside_clicks(sample_con, Scope(date(2026, 10, 18), date(2026, 11, 14)))
    assert missing is None
    terms = brand_terms(sample_con)
    pattern = r"\b(" + "|".join(t.lower() for t in terms) + r")\b"
    row = sample_con.execute(
        "select sum(clicks_brand) / sum(clicks_total) from search where period_start = date '2026-11-08' "
        "and period_end = date '2026-11-14' and not regexp_matches(lower(search_query), $p)",
        {"p": pattern},
    ).fetchone()
    assert row is not None
    week = frame.loc[frame["week"] == pd.Timestamp("2026-11-08"), "brand_click_share"].iloc[0]
    assert week == pytest.approx(float(row[0]))
    figure = chart(frame, "#000")
    [share] = [t for t in figure.data if t.name == "Brand click share (other queries)"]
    assert list(share.y) == pytest.approx(frame["brand_click_share"].tolist())
    assert figure.layout.yaxis3.tickformat == ".1~%" and figure.layout.yaxis3.title.text == "Click share"
