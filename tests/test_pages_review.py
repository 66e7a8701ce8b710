"""The weekly-review pages (Overview, Creators, Products) under AppTest, and the tables they lay out.

The pages must open on the sample data without an exception, show exactly the engine's figures for the
period the sidebar selects, follow the sidebar's filters, and tell the user what to upload when there is
nothing to show. The derived tables in analytics.review are checked on small frames worked out by hand.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from analytics.figures import percent_figure
from analytics.metrics.campaigns import campaign_pacing
from analytics.metrics.commission_change import asin_effects, commission_change
from analytics.metrics.grouped import (
    REGISTRY,
    UNLISTED,
    WITHOUT_BASELINES,
    Scope,
    data_range,
    days_without_data,
    grouped_metrics,
    last_order_date,
    selection_start,
    totals,
)
from analytics.metrics.periods import DEFAULT_PRESET, preset_range, previous_period
from analytics.present import charts
from analytics.present.charts import line_concentration
from analytics.present.formatting import format_delta, format_value, percent_figures
from analytics.present.report import weekly_report
from analytics.present.report_page import report_html
from analytics.review import customer_value
from analytics.review import screens as review_screens
from analytics.review.insights import (
    SEVERITY_WORDS,
    commission_drift_periods,
    current_findings,
    finding_window,
    top_creators,
    weekly_insights,
)
from analytics.review.screens import (
    WHOLE_WEEKS_NOTE,
    asin_shares_within_line,
    asin_table,
    compared_missing_sentence,
    comparison_cut_short,
    creator_table,
    fold_line_tail,
    from_the_data_start,
    line_asin_effects,
    line_table,
    missing_days_sentence,
    period_words,
    review_title,
    scatter_creators,
    settling_overlap,
    sparkline,
    trend_cut_sentence,
    trend_range,
)
from analytics.words import range_words
from tests.conftest import ROOT
from tests.plotly_support import charts_titled, values
from ui.navigation import SCREENS
from ui.notices import md
from ui.tables import FINDING_CARDS

OVERVIEW, CREATORS, PRODUCTS = "pages/overview.py", "pages/creators.py", "pages/products.py"
KPI_METRICS = (
    "revenue",
    "orders",
    "clicks",
    "conversion_rate",
    "commission",
    "commission_share",
    "ntb_pct",
    "sns_rate",
    "repeat_rate",
)


pytestmark = pytest.mark.usefixtures("entry_script_on_every_run")


def finding_links(at: AppTest) -> list:
    """The Overview's links of its findings, without those of the campaign warnings above them."""
    return [link for link in at.main.get("page_link") if link.proto.page != "campaigns"]


def open_page(page: str = OVERVIEW, focus: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if focus is not None:  # as a finding's link opens a page
        at.query_params["focus"] = focus
        at.query_params["from"] = "finding"
    at.run()
    if page != OVERVIEW:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def default_period(con: duckdb.DuckDBPyConnection) -> tuple[date, date, date]:
    span = data_range(con)
    assert span is not None
    start, end = preset_range(DEFAULT_PRESET, span[1])
    return start, end, span[1]


def shown_metrics(at: AppTest) -> dict[str, tuple[str, str | None]]:
    """Each card's label -> (value, delta) as the user reads them."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def expected_cards(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, tuple[str, str | None]]:
    assert scope.start is not None and scope.end is not None
    now = totals(con, scope)
    before_start, before_end = previous_period(scope.start, scope.end)
    before = totals(con, replace(scope, start=before_start, end=before_end))
    # Buyers all within 90 days of their entry: the repeat card shows the latest matured 4 weeks, with no change.
    matured = customer_value.fallback_scope(now, scope, last_order_date(con), 90)
    if matured is not None:
        now = customer_value.with_repeat_figures(now, totals(con, matured))
    return {
        REGISTRY[m].label: (
            format_value(now[m], REGISTRY[m].format),
            "" if matured is not None and m == "repeat_rate" else format_delta(now[m], before[m], REGISTRY[m].format),
        )
        for m in KPI_METRICS
    }


def frame_of(at: AppTest, first_column: str, index: int = 0) -> pd.DataFrame:
    """The `index`-th table on the page whose first column is `first_column`."""
    frames = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_column]]
    return frames[index]


def info_text(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


# --- Overview ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
def test_overview_opens_on_the_sample_data_with_every_section() -> None:
    at = open_page()
    assert [s.value for s in at.subheader] == [
        "Weekly trend",
        "Branded search and creator clicks",
        "What to look at this week",
    ]
    assert len(at.metric) == len(KPI_METRICS)
    assert any("still settling" in c.value for c in at.caption)
    # On a phone the charts' toolbar is hidden, or it covers their titles.
    assert any("modebar-container" in h.proto.body for h in at.get("html"))
    # The sample's October deal days (Oct 06 – 07) fall in the trend's weeks: every chart over time shades and
    # names them.
    for title in ("Attributed revenue and commission share by week", "Conversion rate by week"):
        [spec] = charts_titled(at, title)
        names = [a["text"] for a in spec["layout"]["annotations"]]
        assert "Prime Big Deal Days" in names, (title, names)
        shaded = [(s["x0"][:10], s["x1"][:10]) for s in spec["layout"]["shapes"] if s.get("type") == "rect"]
        assert ("2026-10-06", "2026-10-08") in shaded, shaded


@pytest.mark.usefixtures("app_env")
def test_overview_cards_show_the_engines_totals_and_changes_for_the_default_period(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    start, end, _ = default_period(sample_con)
    at = open_page()
    assert shown_metrics(at) == expected_cards(sample_con, Scope(start, end))
    # The repeat card of other weeks' buyers says whose, rather than reading as the period's above it.
    matured = customer_value.fallback_scope(
        totals(sample_con, Scope(start, end)), Scope(start, end), last_order_date(sample_con), 90
    )
    assert matured is not None and matured.start is not None and matured.end is not None
    [repeat] = [m.proto for m in at.metric if m.label == REGISTRY["repeat_rate"].label]
    assert repeat.delta_description == f"buyers of {range_words(matured.start, matured.end)}"


@pytest.mark.usefixtures("app_env")
def test_the_weekly_figures_show_each_weeks_repeat_rate_beside_the_buyers_it_is_a_share_of(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """A week whose first days alone have matured has a rate over a few of its buyers: the table says how many."""
    start, end, _ = default_period(sample_con)
    trend = trend_range(start, end, data_from=data_range(sample_con)[0])
    assert trend is not None
    expected = grouped_metrics(sample_con, Scope(*trend), ("week",), (*WITHOUT_BASELINES, *UNLISTED))
    [table] = [d for d in open_page().dataframe if list(d.value.columns)[:1] == ["week"]]
    assert list(table.proto.column_order)[-3:] == ["repeat_rate", "repeat_matured", "repeat_pending"]
    shown = table.value
    oldest = shown.iloc[0]
    assert oldest["repeat_matured"] == expected["repeat_matured"].iloc[0] > 0
    assert oldest["repeat_pending"] == expected["repeat_pending"].iloc[0] > oldest["repeat_matured"]
    # Every later week's buyers are all pending: no rate, and all its buyers counted as pending.
    assert shown["repeat_rate"].iloc[1:].isna().all() and (shown["repeat_matured"].iloc[1:] == 0).all()


def test_a_comparison_period_that_predates_the_data_is_cut_short() -> None:
    """Data from Dec 21, 2025: a year to date compared with the 318 days before (Feb 17 – Dec 31, 2025) holds 11 of
    them, too few for a change; a week holding 6 of its 7 days keeps its change. A previous period wholly inside the
    data, or wholly before it (empty, said elsewhere), is not cut short."""
    first = (date(2025, 12, 21), "The data")
    year = comparison_cut_short(first, date(2025, 2, 17), date(2025, 12, 31))
    assert year is not None and not year.shows_change
    assert year.sentence() == (
        "The data starts Dec 21, 2025, inside the period compared with (Feb 17 – Dec 31, 2025): only 11 of its 318 "
        "days hold data, so there is no change to show."
    )
    # A first export starting a day into the week: the change stands, against the days there are.
    week = comparison_cut_short(first, date(2025, 12, 20), date(2025, 12, 26))
    assert week is not None and week.shows_change
    assert week.sentence().endswith("the changes are against the 6 of its 7 days that hold data.")
    assert comparison_cut_short(first, date(2025, 12, 21), date(2026, 1, 17)) is None
    assert comparison_cut_short(first, date(2024, 12, 21), date(2025, 1, 17)) is None
    assert comparison_cut_short(None, date(2025, 2, 17), date(2025, 12, 31)) is None


def test_a_campaign_chosen_starts_where_its_ledger_or_its_first_row_says(
    con: duckdb.DuckDBPyConnection, load_text
) -> None:
    """Rows from Mar 1; Spring's ledger starts Mar 10 and its first row is Mar 12, Summer has no ledger row and its
    first row is Mar 20. Spring starts Mar 10 (its ledger's day, the earlier), Spring and Summer together Mar 10, and
    with no campaign chosen the data starts Mar 1. A campaign starting before the data is the data's start."""
    load_text(
        "performance.csv",
        """\
        date,campaign,creator,asin,clicks,orders,revenue,commission
        2026-03-01,Always-on,@maya,B0AAAAAAA1,10,1,10,1
        2026-03-12,Spring,@maya,B0AAAAAAA1,10,1,10,1
        2026-03-20,Summer,@maya,B0AAAAAAA1,10,1,10,1
        """,
    )
    load_text(
        "campaigns.csv",
        """\
        campaign,type,start,end,budget
        Spring,launch,2026-03-10,2026-04-30,100
        Always-on,always-on,2026-01-01,2026-12-31,1000
        """,
    )
    assert selection_start(con) == (date(2026, 3, 1), "The data")
    assert selection_start(con, campaigns=("Spring",)) == (date(2026, 3, 10), "The campaign chosen")
    assert selection_start(con, campaigns=("Spring", "Summer")) == (date(2026, 3, 10), "The campaigns chosen")
    assert selection_start(con, campaigns=("Summer",)) == (date(2026, 3, 20), "The campaign chosen")
    assert selection_start(con, campaigns=("Always-on",)) == (date(2026, 3, 1), "The data")


@pytest.mark.usefixtures("app_env")
def test_a_campaign_that_began_inside_the_compared_month_gives_no_change_against_it() -> None:
    """October against September, narrowed to the sample's launch, whose ledger starts Sep 28: September holds its
    first 3 days of 30, too few for a change (it read +2,550 % clicks), and the Overview says so."""
    at = open_page()
    at.selectbox(key="filter_period").set_value("Last full month").run()
    at.multiselect(key="filter_campaign").set_value(["Launch: Electrolyte Sticks"]).run()
    assert not at.exception, [e.value for e in at.exception]
    clicks = next(m.proto for m in at.metric if m.label == "Clicks")
    assert clicks.delta == ""
    captions = " ".join(c.value for c in at.caption)
    assert (
        "The campaign chosen starts Sep 28, 2026, inside the period compared with (Sep 1 – Sep 30, 2026): only 3 "
        "of its 30 days hold data, so there is no change to show." in captions
    ), captions


def test_days_a_download_left_out_are_found_and_named_in_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Rows on Mar 1, 2, 5 and 9 (two on Mar 5): Mar 3-4, Mar 6-8 and Mar 10 hold none. A day a creator was quiet is
    not missing: any row that day counts."""
    con.execute(
        "insert into performance (load_id, date, program, campaign, creator, asin, clicks, orders, revenue, "
        "commission) select 1, d::date, 'creator_connections', 'c', c, 'B000000001', 1, 0, 0, 0 from (values "
        "('2026-03-01', 'a'), ('2026-03-02', 'a'), ('2026-03-05', 'a'), ('2026-03-05', 'b'), ('2026-03-09', 'b')) "
        "as t(d, c)"
    )
    missing = days_without_data(con, date(2026, 3, 1), date(2026, 3, 10))
    assert missing == [date(2026, 3, d) for d in (3, 4, 6, 7, 8, 10)]
    assert missing_days_sentence(missing, date(2026, 3, 1), date(2026, 3, 10)) == (
        "No performance rows for 6 of the period's 10 days (Mar 3 – Mar 4, 2026, Mar 6 – Mar 8, 2026, "
        "Mar 10, 2026): if they had clicks or sales the downloads left out, the figures read low."
    )
    # Days before the data starts count too: a store of under 4 weeks shown for "Last 4 weeks".
    assert days_without_data(con, date(2026, 2, 27), date(2026, 3, 2)) == [date(2026, 2, 27), date(2026, 2, 28)]
    assert missing_days_sentence([date(2026, 2, 27)], date(2026, 2, 27), date(2026, 2, 27)) == (
        "No performance rows for any day of the period (Feb 27, 2026): if they had clicks or sales the downloads "
        "left out, the figures read low."
    )
    assert compared_missing_sentence([date(2026, 2, 23)], date(2026, 2, 22), date(2026, 2, 28)) == (
        "The period compared with has no performance rows for 1 of its 7 days (Feb 23, 2026): the changes are "
        "against the days that have them."
    )
    assert missing_days_sentence([], date(2026, 3, 1), date(2026, 3, 7)) is None
    assert compared_missing_sentence([], date(2026, 2, 22), date(2026, 2, 28)) is None
    # Told where the data starts, the days before it are said apart: no download left them out.
    before_and_gap = [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 3)]
    assert missing_days_sentence(before_and_gap, date(2026, 2, 27), date(2026, 3, 5), (), date(2026, 3, 1)) == (
        "The data starts on Mar 1, 2026: 2 of the period's 7 days come before it. No performance rows for 1 of the "
        "period's 7 days (Mar 3, 2026): if they had clicks or sales the downloads left out, the figures read low."
    )


def test_days_without_data_are_looked_for_in_the_programs_filtered_to(con: duckdb.DuckDBPyConnection) -> None:
    """Creator Connections has rows on Mar 1-3, Levanta only on Mar 1 and 3: its own download skipped Mar 2, which
    the whole store (Creator Connections has Mar 2) hides, and narrowed to Levanta the sentence names its rows."""
    con.execute(
        "insert into performance (load_id, date, program, campaign, creator, asin, clicks, orders, revenue, "
        "commission) select 1, d::date, p, 'c', 'a', 'B000000001', 1, 0, 0, 0 from (values "
        "('2026-03-01', 'creator_connections'), ('2026-03-02', 'creator_connections'), "
        "('2026-03-03', 'creator_connections'), ('2026-03-01', 'levanta'), ('2026-03-03', 'levanta')) as t(d, p)"
    )
    start, end = date(2026, 3, 1), date(2026, 3, 3)
    assert days_without_data(con, start, end) == []
    assert days_without_data(con, start, end, ("levanta",)) == [date(2026, 3, 2)]
    assert days_without_data(con, start, end, ("levanta", "creator_connections")) == []
    assert missing_days_sentence([date(2026, 3, 2)], start, end, ("levanta",)) == (
        "No performance rows of Levanta for 1 of the period's 3 days (Mar 2, 2026): if they had clicks or sales the "
        "downloads left out, the figures read low."
    )
    assert compared_missing_sentence([date(2026, 3, 2)], start, end, ("archer", "levanta")) == (
        "The period compared with has no performance rows of Archer or Levanta for 1 of its 3 days (Mar 2, 2026): "
        "the changes are against the days that have them."
    )


def test_the_overview_says_which_days_of_the_period_hold_no_data(
    app_env: Path, sample_con: duckdb.DuckDBPyConnection
) -> None:
    """Two days of the default period and one of the period before lose their rows (as a download that skipped
    them would): the cards' notes name them."""
    start, end, _ = default_period(sample_con)
    before_start, before_end = previous_period(start, end)
    gone = (end - timedelta(days=2), end - timedelta(days=1), before_start + timedelta(days=3))
    store = duckdb.connect(str(app_env))
    store.execute("delete from performance where date in (?, ?, ?)", list(gone))
    store.close()
    captions = " ".join(c.value for c in open_page().caption)
    assert (
        f"No performance rows for 2 of the period's 28 days ({range_words(gone[0], gone[1])}): if they had clicks or "
        "sales the downloads left out, the figures read low. The **Data** page uploads the days a download left out."
        in captions
    )
    assert f"has no performance rows for 1 of its 28 days ({gone[2]:%b %-d, %Y})" in captions


@pytest.mark.usefixtures("app_env")
def test_the_overview_and_the_review_say_why_commission_share_moved(sample_con: duckdb.DuckDBPyConnection) -> None:
    """The commission share card's change, split into rates, mix and entry/exit over the whole selection, is the
    engine's, each part within half a tenth of a point of its own (in tenths, or in hundredths where tenths would
    move a part further) and adding up to the change as written; the review sent on says the same."""
    start, end, _ = default_period(sample_con)
    before = previous_period(start, end)
    moved = commission_change(sample_con, (), before, (start, end))
    row = moved.iloc[0]
    assert format_value(row["share_after"] - row["share_before"], "points") != "+0.0 pts"  # the sample's share moves
    captions = " ".join(c.value for c in open_page().caption)
    found = re.search(
        r"Commission share moved (\S+) pts: (\S+) pts from each ASIN's commission as a share of its sales "
        r"\(its rates, and the campaigns and creators its sales came through\), (\S+) pts from "
        r"sales moving between higher- and lower-rate ASINs, (\S+) pts from ASINs selling in only one of the two "
        r"periods\.(?: [^*]+)? \*\*Products\*\* shows each product line's own change and the ASINs behind it\.",
        captions,
    )
    assert found is not None
    change, *stated = (float(part) for part in found.groups())
    exact = [row[name] * 100 for name in ("rate_effect", "mix_effect", "entry_exit_effect")]
    assert change == pytest.approx((row["share_after"] - row["share_before"]) * 100, abs=0.05)
    assert sum(stated) == pytest.approx(change)
    assert all(abs(shown - own) <= 0.05 + 1e-9 for shown, own in zip(stated, exact, strict=True))
    sentence = found.group(0).removesuffix(
        " **Products** shows each product line's own change and the ASINs behind it."
    )
    assert weekly_report(sample_con, "Acme", period=(start, end)).commission_moved == sentence


def test_customer_rates_say_where_the_order_lines_stop_inside_the_period(
    app_env: Path, sample_con: duckdb.DuckDBPyConnection
) -> None:
    """A clean room's export lagging the performance report: order lines end 3 days before the period does, so the
    customer rates describe fewer days than the cards beside them, and the Overview and the Customers page say so."""
    start, end, _ = default_period(sample_con)
    stop = end - timedelta(days=3)
    store = duckdb.connect(str(app_env))
    store.execute("delete from orders where order_date > ?", [stop])
    store.close()
    # The sample's buyers of the period are all within 90 days: the repeat rate shown is the matured weeks'.
    sentence = (
        f"The order lines run to {stop:%b %-d, %Y}: the new-to-brand % and Subscribe & Save rate cover "
        f"{range_words(start, stop)} of this period, not its last 3 days."
    )
    at = open_page()
    assert sentence in [c.value for c in at.caption]
    at.switch_page("pages/customers.py").run()
    assert sentence in [c.value for c in at.caption]
    lines = {"customer_source": "order_lines"}
    assert customer_value.order_lines_end_note(lines, start, start, start + timedelta(days=1)) == (
        f"The order lines run to {start:%b %-d, %Y}: the customer rates cover {start:%b %-d, %Y} of this period, "
        "not its last day."
    )
    assert customer_value.order_lines_end_note(lines, end, start, end) == ""  # the lines reach the period's end
    assert customer_value.order_lines_end_note({"customer_source": "cohorts"}, stop, start, end) == ""
    assert customer_value.order_lines_end_note(lines, start - timedelta(days=1), start, end) == ""


@pytest.mark.usefixtures("app_env")
def test_a_year_to_date_compared_with_days_before_the_data_shows_no_change(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The sample's data starts in late December: its year to date's previous period holds only those days, so the
    cards show the year's totals and no change, and the note says why."""
    first, as_of = data_range(sample_con) or (None, None)
    assert first is not None and as_of is not None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "Year to date"
    at.query_params["compare"] = "previous"  # its own default is last year's same dates
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    now = totals(sample_con, Scope(date(as_of.year, 1, 1), as_of))
    shown = shown_metrics(at)
    assert shown["Attributed revenue"] == (format_value(now["revenue"], "money"), "")
    assert all(delta == "" for _, delta in shown.values()), shown
    assert any("only 11 of its 318 days hold data" in c.value for c in at.caption), [c.value for c in at.caption]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_past_the_listing_limit_a_filter_lists_the_values_matching_its_search(
    sample_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A brand with thousands of creators: the sidebar lists those whose names hold the search text, and a
    creator picked stays picked (and filters the cards) whatever is searched next, and from a shared link."""
    from analytics.metrics.grouped import filter_values

    creators = filter_values(sample_con)["creator"]
    monkeypatch.setattr("ui.sidebar.LISTED_OPTIONS_MAX", 3)
    monkeypatch.setattr("ui.sidebar.SEARCH_MATCHES_SHOWN", 5)
    at = open_page()
    creator_filter = at.multiselect(key="filter_creator")
    assert creator_filter.options == creators[:5], "no search: the first names"
    assert at.multiselect(key="filter_campaign").options == filter_values(sample_con)["campaign"], "few: all"

    picked = creators[-1]
    at.text_input(key="filter_creator_search").input(picked[2:6].upper()).run()
    matching = [c for c in creators if picked[2:6].casefold() in c.casefold()][:5]
    assert at.multiselect(key="filter_creator").options == matching
    at.multiselect(key="filter_creator").select(picked).run()
    at.text_input(key="filter_creator_search").input("no such creator").run()
    assert at.multiselect(key="filter_creator").options == [picked]
    assert at.multiselect(key="filter_creator").value == [picked]
    start, end, _ = default_period(sample_con)
    assert shown_metrics(at) == expected_cards(sample_con, Scope(start, end, creators=(picked,)))
    assert at.query_params["creator"] == picked  # the link to share names it

    shared = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    shared.query_params["creator"] = picked
    shared.run()
    assert shared.multiselect(key="filter_creator").value == [picked]
    assert picked in shared.multiselect(key="filter_creator").options


@pytest.mark.usefixtures("app_env")
def test_choosing_a_product_line_changes_the_cards_to_that_lines_totals(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    start, end, _ = default_period(sample_con)
    at = open_page()
    before = shown_metrics(at)
    at.multiselect(key="filter_line").set_value(["Protein"]).run()
    assert not at.exception
    after = shown_metrics(at)
    assert after == expected_cards(sample_con, Scope(start, end, product_lines=("Protein",)))
    assert after[REGISTRY["revenue"].label] != before[REGISTRY["revenue"].label]


@pytest.mark.usefixtures("app_env")
def test_a_filter_that_selects_nothing_says_how_to_widen_it() -> None:
    """The New Year campaign ran in December and January, outside the default (last 4 weeks) period."""
    at = open_page()
    at.multiselect(key="filter_campaign").set_value(["New Year Reset"]).run()
    assert not at.exception
    assert not at.metric
    assert "clear the campaign filter" in info_text(at)


@pytest.mark.usefixtures("app_env")
def test_every_insight_links_to_the_page_that_explains_it() -> None:
    at = open_page()
    links = at.main.get("page_link")
    assert links, "the overview lists no insight"
    pages = {link.proto.page for link in links}
    assert pages <= {"creators", "products", "customers", "organic_rank", "campaigns"}
    # Opened in a new tab or copied, a link shows the same brand and period a click in this tab does.
    assert all("brand=demo" in link.proto.query_string for link in links), [link.proto.query_string for link in links]
    assert any("focus=" in link.proto.query_string for link in links)


@pytest.mark.usefixtures("app_env")
def test_year_to_date_is_compared_with_the_same_dates_last_year_when_chosen() -> None:
    """The days just before a year to date were most of the year before ("the 333 days before, Feb 2 - Dec 31"): no
    one compares a year's start with that. Chosen, Year to date compares with last year; left for another period,
    the comparison goes back to the days just before, unless the person chose it meanwhile."""
    at = open_page()
    at.selectbox(key="filter_period").set_value("Year to date").run()
    assert at.selectbox(key="filter_compare").value == "year"
    assert "compare=" not in at.sidebar.get("page_link")[0].proto.query_string  # Year to date's own default
    at.selectbox(key="filter_period").set_value("Last 4 weeks").run()
    assert at.selectbox(key="filter_compare").value == "previous"
    at.selectbox(key="filter_period").set_value("Year to date").run()
    at.selectbox(key="filter_compare").set_value("previous").run()  # the person's own choice holds
    at.selectbox(key="filter_period").set_value("Last 13 weeks").run()
    at.selectbox(key="filter_period").set_value("Year to date").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="filter_compare").value == "year"  # chosen again, Year to date compares with last year
    # A link to Year to date naming no comparison compares with last year; one saying "previous" keeps it.
    linked = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    linked.query_params["period"] = "Year to date"
    linked.run()
    assert linked.selectbox(key="filter_compare").value == "year"
    assert "compare=" not in linked.sidebar.get("page_link")[0].proto.query_string
    linked.selectbox(key="filter_compare").set_value("previous").run()
    assert "compare=previous" in linked.sidebar.get("page_link")[0].proto.query_string


@pytest.mark.usefixtures("app_env")
def test_a_findings_link_leaves_the_sidebars_filters_behind() -> None:
    """The findings are the whole program's: a link carrying the sidebar's Protein filter opened the Products page on
    Protein alone, where a finding about another line's ASIN was nowhere to be seen."""
    at = open_page()
    at.multiselect(key="filter_line").set_value(["Protein"]).run()
    links = finding_links(at)
    assert links and not any("line=" in link.proto.query_string for link in links)
    assert all("brand=demo" in link.proto.query_string for link in links)
    # So are the campaign warnings above them, each a whole campaign's budget: the Campaigns page opened filtered.
    campaigns = [link for link in at.main.get("page_link") if link.proto.page == "campaigns"]
    assert campaigns and not any("line=" in link.proto.query_string for link in campaigns)


@pytest.mark.usefixtures("app_env")
def test_the_menu_carries_the_brand_period_and_filters_to_every_page() -> None:
    """A page opened from the menu on its finished address writes nothing back: each write was a step in the
    browser's history, and Back took three presses to leave a page."""
    at = open_page("pages/products.py")
    at.multiselect(key="filter_line").set_value(["Protein"]).run()
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links] == [screen.title for screen in SCREENS]
    assert {link.proto.query_string for link in links} == {"brand=demo&period=Last+4+weeks&line=Protein"}
    # The page's own choice stays with the page.
    at = open_page(CREATORS, focus="@catladycleo")
    assert at.selectbox(key="creators_focus").value == "@catladycleo"
    assert "focus" not in at.sidebar.get("page_link")[0].proto.query_string


def test_a_findings_link_opens_its_page_on_the_days_the_finding_is_about(
    app_env: Path, sample_con: duckdb.DuckDBPyConnection
) -> None:
    """The sample's first finding, Vitamins' commission share rising, compares the 42 days to Nov 14, 2026 (its
    data's last day), Oct 4 – Nov 14, with the 42 before: its link opens Products on those days, whatever the sidebar
    shows; a finding about no period (a product's payout per sale) keeps the sidebar's."""
    found, as_of = current_findings(sample_con)
    assert as_of == date(2026, 11, 14) and found[0].rule == "commission_share_drift"
    assert finding_window("commission_share_drift", as_of) == (date(2026, 10, 4), date(2026, 11, 14))
    assert finding_window("top_creators", as_of) == (date(2026, 8, 17), date(2026, 11, 14))  # the last 90 days
    assert finding_window("low_creator_payout", as_of) is None
    at = open_page()
    links = finding_links(at)
    shown = found[: len(links)]
    assert len(shown) == len(links)
    for insight, link in zip(shown, links, strict=True):
        window = finding_window(insight.rule, as_of)
        params = dict(pair.split("=", 1) for pair in link.proto.query_string.split("&"))
        if window is None:
            assert params["period"] == "Last+4+weeks", insight.rule
        else:
            assert (params["period"], params["start"], params["end"]) == (
                "Custom+range",
                window[0].isoformat(),
                window[1].isoformat(),
            ), insight.rule
    # Compared with last year in the sidebar, a finding's days are still compared with the days just before them.
    yearly = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    yearly.query_params["compare"] = "year"
    yearly.run()
    assert yearly.selectbox(key="filter_compare").value == "year"
    dated = [link for link in finding_links(yearly) if "period=Custom+range" in link.proto.query_string]
    assert dated and not any("compare=" in link.proto.query_string for link in dated)
    # Followed in the same session, whose sidebar holds "Last 4 weeks", the first finding's link opens Products on its
    # days; the person's next change of period then holds.
    assert at.selectbox(key="filter_period").value == "Last 4 weeks"
    at.query_params.clear()
    for key, value in (pair.split("=", 1) for pair in links[0].proto.query_string.split("&")):
        at.query_params[key] = value.replace("+", " ")
    at.switch_page(PRODUCTS).run()
    assert not at.exception
    assert at.selectbox(key="filter_period").value == "Custom range"
    assert at.date_input(key="filter_dates").value == (date(2026, 10, 4), date(2026, 11, 14))
    at.selectbox(key="filter_period").set_value("Last 13 weeks").run()
    assert not at.exception and at.selectbox(key="filter_period").value == "Last 13 weeks"


@pytest.mark.usefixtures("app_env")
def test_a_custom_range_chosen_after_a_preset_starts_on_the_presets_days() -> None:
    """The sample ends Nov 14, 2026: Last full month shows Oct 1-31. Choosing Custom range then opens on those days,
    to narrow or widen, not on the whole data (Dec 21, 2025 - Nov 14, 2026); a link's own dates still win."""
    at = open_page()
    at.selectbox(key="filter_period").set_value("Last full month").run()
    at.selectbox(key="filter_period").set_value("Custom range").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="filter_dates").value == (date(2026, 10, 1), date(2026, 10, 31))
    caption = range_words(date(2026, 10, 1), date(2026, 10, 31))
    assert any(caption in c.value for c in at.caption), [c.value for c in at.caption]
    linked = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    linked.query_params.update({"period": "Custom range", "start": "2026-09-06", "end": "2026-09-12"})
    linked.run()
    assert linked.date_input(key="filter_dates").value == (date(2026, 9, 6), date(2026, 9, 12))


def test_the_overviews_heading_names_the_kind_of_period_it_shows() -> None:
    """The sample ends Nov 14, 2026 (a Saturday): the default 4 weeks are a weekly review, October a monthly one (a
    month's close), Year to date neither. The findings are "this week's" in a weekly review only: they look back
    from the data's last day whatever the period."""
    at = open_page()
    assert [t.value for t in at.main.title] == ["Weekly review"]
    assert "What to look at this week" in [h.value for h in at.main.subheader]
    at.selectbox(key="filter_period").set_value("Last full month").run()
    assert [t.value for t in at.main.title] == ["Monthly review"]
    headings = [h.value for h in at.main.subheader]
    assert "What to look at" in headings and "What to look at this week" not in headings
    at.selectbox(key="filter_period").set_value("Year to date").run()
    assert [t.value for t in at.main.title] == ["Review"]


@pytest.mark.parametrize(
    ("start", "end", "title"),
    [
        (date(2026, 11, 8), date(2026, 11, 14), "Weekly review"),  # Sunday to Saturday
        (date(2026, 10, 18), date(2026, 11, 14), "Weekly review"),
        (date(2026, 10, 1), date(2026, 10, 31), "Monthly review"),
        (date(2026, 2, 1), date(2026, 2, 28), "Monthly review"),  # February: 4 whole weeks, and a month first
        (date(2026, 11, 9), date(2026, 11, 15), "Review"),  # 7 days, Monday to Sunday
        (date(2026, 9, 1), date(2026, 10, 31), "Review"),  # two months
        (date(2026, 8, 17), date(2026, 11, 14), "Review"),
    ],
)
def test_review_title(start: date, end: date, title: str) -> None:
    assert review_title(start, end) == title


@pytest.mark.usefixtures("app_env")
def test_findings_past_the_cards_are_listed_in_one_table(
    sample_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for two cards, the first two findings are cards and the table lists every finding in order. Opened,
    the list first draws the next three as cards too, whole and with their links, since a table cuts a sentence;
    its download is named for the day the checks look back from."""
    from ui import tables

    monkeypatch.setattr("ui.tables.FINDING_CARDS", 2)
    monkeypatch.setattr("ui.tables.MORE_CARDS", 3)
    named: list[str] = []
    name = tables.download_name
    monkeypatch.setattr(tables, "download_name", lambda *args: named.append(name(*args)) or named[-1])
    _, _, as_of = default_period(sample_con)
    found = weekly_insights(sample_con, as_of)
    assert len(found) > 2, "the sample data has more than two findings"
    at = open_page()
    assert len(finding_links(at)) == 2
    assert not [d for d in at.dataframe if "severity" in d.value.columns], "the list is sent only once opened"
    at.session_state["overview_findings_open"] = True
    at.run()
    table = frame_of(at, "severity")
    assert len(finding_links(at)) == min(len(found), 5)
    said = " ".join(m.value for m in at.markdown)
    assert all(md(i.title) in said for i in found[:5])
    # The campaign warnings drawn above the findings lead the table, so that its download holds everything the page
    # warns of: the sample's Always-on budget runs out and its launch ends.
    warnings = campaign_pacing(sample_con, as_of)["warning"].dropna().tolist()
    assert len(warnings) == 2
    assert table["finding"].tolist() == [*warnings, *(i.title for i in found)]
    assert table["severity"].tolist() == ["Campaign"] * 2 + [SEVERITY_WORDS[i.severity] for i in found]
    # The checks look back from the data's last day, not over the sidebar's period: their file says that day.
    assert {"creator_lift_findings_as_of_2026-11-14.csv", "creator_lift_findings_as_of_2026-11-14.xlsx"} <= set(named)


# --- Creators ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
def test_creators_table_has_every_active_creator_and_marks_the_90_day_top_10(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    start, end, as_of = default_period(sample_con)
    at = open_page(CREATORS)
    table = frame_of(at, "creator")
    expected = grouped_metrics(sample_con, Scope(start, end), ("creator",))
    assert sorted(table["creator"]) == sorted(expected["creator"])
    assert table["revenue"].is_monotonic_decreasing
    targets = set(top_creators(sample_con, as_of, 10))
    assert set(table.loc[table["outreach_target"], "creator"]) == targets & set(table["creator"])
    # The sample has attributed order lines, so every customer rate is available.
    assert not [c.value for c in at.caption if "not available" in c.value]


def test_a_tables_downloads_are_written_when_clicked_without_rerunning_the_page() -> None:
    """A click that reran the page would register the button's file anew while the browser fetches the old one,
    and the download would fail."""
    buttons = {b.proto.label: b.proto for b in open_page(CREATORS).get("download_button")}
    assert {"Download CSV", "Excel"} <= set(buttons)
    for label, button in buttons.items():
        assert button.deferred_file_id and button.ignore_rerun, label


def test_a_filtered_tables_downloads_are_named_for_the_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of one product line's creators was named as the file of them all: a payout approved from it would
    pay a subset. Narrowed to Protein, the Creators table's and the Products tables' files name it, the rate
    history's too (Protein's ASINs' rates in force on the period's last day, the day its name carries)."""
    from ui import tables

    named: list[str] = []
    real = tables.download_name

    def recorded(*args: object, **kwargs: object) -> str:
        named.append(real(*args, **kwargs))
        return named[-1]

    monkeypatch.setattr(tables, "download_name", recorded)
    said: list[list[tuple[str, str]]] = []
    about = tables.download_about
    monkeypatch.setattr(tables, "download_about", lambda *args: said.append(about(*args)) or said[-1])
    at = open_page(CREATORS)
    at.multiselect(key="filter_line").set_value(["Protein"]).run()
    assert "creator_lift_creators_Protein_2026-10-18_2026-11-14.csv" in named, named
    # Inside the Excel file too, on its About sheet: a renamed file still says whose rows, which days and filters.
    assert [
        ("Brand", "Demo brand (sample data)"),
        ("Covers", "2026-10-18 to 2026-11-14"),
        ("Filters", "product line Protein"),
        ("Made with", "Creator Lift"),
    ] in said, said
    assert "creator_lift_creators_Protein_2026-10-18_2026-11-14.xlsx" in named, named
    named.clear()
    at.switch_page(PRODUCTS).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "creator_lift_asins_Protein_2026-10-18_2026-11-14.csv" in named, named
    assert "creator_lift_product_lines_Protein_2026-10-18_2026-11-14.csv" in named, named
    assert "creator_lift_rates_Protein_2026-11-14.csv" in named, named


def test_the_overview_names_the_brand_above_its_figures() -> None:
    """The heading said "Weekly review" for every brand, and on a phone the sidebar naming it is closed: an agency's
    reviewer moving through a dozen brands could not tell whose figures they read."""
    at = open_page()
    assert any(
        c.value.startswith("**Demo brand \\(sample data\\)** · Oct 18 – Nov 14, 2026, compared") for c in at.caption
    ), [c.value for c in at.caption]


def test_the_program_healths_download_is_named_for_the_whole_weeks_it_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """October (Thu Oct 1 to Sat Oct 31) touches the week of Sep 27, which program health counts whole: its file
    was named for Oct 1 to Oct 31 with nothing to say so, and a controller summing it against October's figures
    counted Sep 27 to 30 in. It is now named for Sep 27 to Oct 31, and its About sheet says how weeks are counted."""
    from ui import tables

    named: list[str] = []
    real = tables.download_name
    monkeypatch.setattr(tables, "download_name", lambda *a, **k: named.append(real(*a, **k)) or named[-1])
    about: dict[str, list[tuple[str, str]]] = {}
    real_download = tables.download

    def recorded(*args: object, key: str, **kwargs: Any) -> None:
        about[key] = [*tables.download_about(kwargs["covering"], kwargs["narrowed"]), *kwargs["about"]]
        real_download(*args, key=key, **kwargs)

    monkeypatch.setattr(tables, "download", recorded)
    at = open_page(CREATORS)
    at.selectbox(key="filter_period").set_value("Last full month").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "creator_lift_program_health_2026-09-27_2026-10-31.csv" in named, named
    assert "creator_lift_creators_2026-10-01_2026-10-31.csv" in named, named
    health = about["creators_health_table_download"]
    assert ("Covers", "2026-09-27 to 2026-10-31") in health and ("Weeks", WHOLE_WEEKS_NOTE) in health


@pytest.mark.usefixtures("app_env")
def test_picking_a_creator_shows_the_asins_they_sold(sample_con: duckdb.DuckDBPyConnection) -> None:
    start, end, _ = default_period(sample_con)
    at = open_page(CREATORS)
    creator = frame_of(at, "creator")["creator"].iloc[-1]
    at.selectbox(key="creators_focus").set_value(creator).run()
    assert not at.exception
    asins = frame_of(at, "asin")
    expected = grouped_metrics(sample_con, Scope(start, end, creators=(creator,)), ("asin",))
    assert sorted(asins["asin"]) == sorted(expected["asin"])
    assert asins["revenue"].sum() == pytest.approx(expected["revenue"].sum())


@pytest.mark.usefixtures("app_env")
def test_a_creator_with_few_orders_has_their_new_to_brand_rate_flagged(sample_con: duckdb.DuckDBPyConnection) -> None:
    """@catladycleo has 5 attributed orders in the default 4 weeks (3 of them new to the brand); the top creator has
    hundreds, and no warning."""
    start, end, _ = default_period(sample_con)
    expected = grouped_metrics(sample_con, Scope(start, end, creators=("@catladycleo",)), ("creator",))
    assert int(expected["orders"].iloc[0]) == 5
    at = open_page(CREATORS)
    warned = [c.value for c in at.caption if "attributed order" in c.value]
    assert not warned, warned
    at.selectbox(key="creators_focus").set_value("@catladycleo").run()
    assert any(
        c.value.startswith(
            ":material/warning: New-to-brand % rests on few buyers: 5 attributed orders in this selection"
        )
        for c in at.caption
    ), [c.value for c in at.caption]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_past_the_listing_limit_the_creator_picker_finds_a_creator_by_part_of_a_name(
    sample_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No search: the creator shown and the next highest revenue; a search lists matching names, keeping the
    creator shown; a creator picked from the matches is the one the page details."""
    monkeypatch.setattr("ui.sidebar.LISTED_OPTIONS_MAX", 3)
    monkeypatch.setattr("ui.sidebar.SEARCH_MATCHES_SHOWN", 4)
    start, end, _ = default_period(sample_con)
    at = open_page(CREATORS)
    by_revenue = frame_of(at, "creator")["creator"].tolist()

    def listed() -> list[str]:
        return [option.removesuffix("  ★ outreach target") for option in at.selectbox(key="creators_focus").options]

    assert listed() == by_revenue[:5]  # the creator shown, then the next four
    quietest = by_revenue[-1]
    at.text_input(key="creators_focus_search").input(quietest[1:5]).run()
    matches = [c for c in by_revenue if quietest[1:5].casefold() in c.casefold() and c != by_revenue[0]]
    assert listed() == [by_revenue[0], *matches[:4]]
    at.selectbox(key="creators_focus").set_value(quietest).run()
    assert not at.exception
    expected = grouped_metrics(sample_con, Scope(start, end, creators=(quietest,)), ("asin",))
    assert frame_of(at, "asin")["revenue"].sum() == pytest.approx(expected["revenue"].sum())


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_past_the_listing_limit_the_product_picker_finds_a_product_by_its_title(
    sample_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analytics.review.rank_review import asin_labels, ranked_asins

    monkeypatch.setattr("ui.sidebar.LISTED_OPTIONS_MAX", 3)
    labels = asin_labels(ranked_asins(sample_con))
    wanted = list(labels)[-1]
    words = labels[wanted].split(" · ")[1][:12]
    at = open_page("pages/organic_rank.py")
    at.text_input(key="rank_asin_search").input(words.upper()).run()
    listed = at.selectbox(key="rank_asin").options  # as the picker shows them: "ASIN · title"
    assert labels[wanted] in listed
    assert all(words.casefold() in label.casefold() for label in listed[1:]), "the product shown, then matches"
    at.selectbox(key="rank_asin").set_value(wanted).run()
    assert not at.exception
    assert at.selectbox(key="rank_asin").value == wanted


@pytest.mark.usefixtures("app_env")
def test_an_insight_link_opens_the_creators_page_on_its_creator(sample_con: duckdb.DuckDBPyConnection) -> None:
    start, end, _ = default_period(sample_con)
    creators = grouped_metrics(sample_con, Scope(start, end), ("creator",))
    quietest = creators.sort_values("revenue")["creator"].iloc[0]
    at = open_page(CREATORS, focus=quietest)
    assert at.selectbox(key="creators_focus").value == quietest
    # Its figures also head the page, far above the detail they point to, until another creator is picked there.
    row = creators.set_index("creator").loc[quietest]
    said = " ".join(m.value for m in at.markdown)
    assert f"{md(quietest)}** — {range_words(start, end)}. Their weekly trend and products are under" in said
    revenue = [m.value for m in at.metric if m.label == REGISTRY["revenue"].label]
    assert revenue == [format_value(row["revenue"], "money")] * 2  # the box's card and the detail's
    other = next(c for c in creators["creator"] if c != quietest)
    at.selectbox(key="creators_focus").set_value(other).run()
    assert "Their weekly trend and products are under" not in " ".join(m.value for m in at.markdown)
    assert "from" not in at.query_params
    # The link of a finding about the creator the page picks by itself (the top one) shows the box all the same.
    top = creators.sort_values("revenue", ascending=False)["creator"].iloc[0]
    said = " ".join(m.value for m in open_page(CREATORS, focus=top).markdown)
    assert f"{md(top)}** — {range_words(start, end)}. Their weekly trend" in said
    # Opened without a link, on the top creator it picks itself, the page has no box.
    assert "Their weekly trend and products are under" not in " ".join(m.value for m in open_page(CREATORS).markdown)


@pytest.mark.usefixtures("app_env")
def test_an_insight_link_opens_the_customers_page_on_its_creator(sample_con: duckdb.DuckDBPyConnection) -> None:
    """The link of a finding about a creator's buyers: their rates head the page against all buyers', and the
    table opens on creators."""
    start, end, _ = default_period(sample_con)
    creators = grouped_metrics(sample_con, Scope(start, end), ("creator",), ["ntb_pct", "revenue"])
    creator = creators.sort_values("revenue", ascending=False)["creator"].iloc[0]
    own = totals(sample_con, Scope(start, end, creators=(creator,)), ["ntb_pct"])
    at = open_page("pages/customers.py", focus=creator)
    said = " ".join(m.value for m in at.markdown)
    assert f"{md(creator)}** — {range_words(start, end)}: the buyers this creator brought" in said
    ntb = [m.value for m in at.metric if m.label == REGISTRY["ntb_pct"].label]
    assert ntb[0] == format_value(own["ntb_pct"], "percent")
    assert at.session_state["customers_group"] == "Creator"
    # The sidebar's creator filter leaving the creator out ends the box.
    other = creators.sort_values("revenue", ascending=False)["creator"].iloc[1]
    at.multiselect(key="filter_creator").set_value([other]).run()
    assert "the buyers this creator brought" not in " ".join(m.value for m in at.markdown)


@pytest.mark.usefixtures("app_env")
def test_a_creator_filtered_out_ends_a_findings_box_on_creators(sample_con: duckdb.DuckDBPyConnection) -> None:
    """The linked creator left out by the sidebar's filter: no box, and no trace of the link left for the page's own
    pick to head the page with once the filter is cleared."""
    start, end, _ = default_period(sample_con)
    creators = grouped_metrics(sample_con, Scope(start, end), ("creator",)).sort_values("revenue", ascending=False)
    linked, other = creators["creator"].iloc[1], creators["creator"].iloc[0]
    at = open_page(CREATORS, focus=linked)
    assert "Their weekly trend and products are under" in " ".join(m.value for m in at.markdown)
    at.multiselect(key="filter_creator").set_value([other]).run()
    assert "from" not in at.query_params
    at.multiselect(key="filter_creator").set_value([]).run()
    assert "Their weekly trend and products are under" not in " ".join(m.value for m in at.markdown)


# --- Products ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
def test_products_page_puts_launches_first_and_shows_catalog_payouts(sample_con: duckdb.DuckDBPyConnection) -> None:
    _, _, as_of = default_period(sample_con)
    at = open_page(PRODUCTS)
    asins = frame_of(at, "asin")
    launched = pd.to_datetime(asins["launch_date"])
    recent = launched.between(pd.Timestamp(as_of) - pd.Timedelta(days=59), pd.Timestamp(as_of)).fillna(False)
    assert recent.any(), "the sample data has a launch in the last 60 days"
    assert list(asins["is_launch"]) == list(recent)
    assert asins["is_launch"].iloc[: int(recent.sum())].all()
    priced = asins.dropna(subset=["price", "bonus_rate"])
    assert (priced["creator_payout_per_sale"] > 0).all()


@pytest.mark.usefixtures("app_env")
def test_products_narrowed_to_a_creator_list_only_what_the_creator_drove(sample_con: duckdb.DuckDBPyConnection) -> None:
    """Unfiltered, the table keeps the catalog's unsold ASINs (a launch nobody sells); for one creator, a list of
    the catalog at $0.00 would bury the few products they sent clicks to: the same ASINs as the engine's."""
    start, end, _ = default_period(sample_con)
    everything = frame_of(open_page(PRODUCTS), "asin")
    catalog = sample_con.execute("select count(*) from products").fetchone()[0]
    assert len(everything) >= catalog
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["creator"] = "@naturallynina"
    at.run()
    at.switch_page(PRODUCTS).run()
    assert not at.exception
    narrowed = frame_of(at, "asin")
    engine = grouped_metrics(sample_con, Scope(start, end, creators=("@naturallynina",)), ("asin",), ("clicks",))
    assert 0 < len(narrowed) < catalog
    assert sorted(narrowed["asin"]) == sorted(engine["asin"])


@pytest.mark.usefixtures("app_env")
def test_products_page_warns_about_a_line_one_asin_carries(sample_con: duckdb.DuckDBPyConnection) -> None:
    start, end, _ = default_period(sample_con)
    by_asin = grouped_metrics(sample_con, Scope(start, end), ("asin", "product_line"))
    by_asin = by_asin[by_asin["product_line"] != "Unassigned"]
    line_revenue = by_asin.groupby("product_line")["revenue"].agg(["max", "sum"])
    carried = sorted(line_revenue.index[line_revenue["max"] / line_revenue["sum"] > 0.6])
    assert carried, "the sample data has a product line carried by one ASIN"
    at = open_page(PRODUCTS)
    warnings = " ".join(w.value for w in at.warning)
    for line in carried:
        assert f"One ASIN carries {line}" in warnings
    lines = frame_of(at, "product_line")
    assert sorted(lines.loc[lines["carried_by_one"], "product_line"]) == carried


def change_store(db: Path, sql: str) -> None:
    """Edit the app's copy of the store before the app opens it."""
    con = duckdb.connect(str(db))
    try:
        con.execute(sql)
    finally:
        con.close()


def test_a_payout_without_the_standard_rate_is_named_as_bonus_only(app_env: Path) -> None:
    # The rates in force come from the rate history; the catalog row keeps the latest load's.
    change_store(
        app_env,
        "update products set standard_rate = null where asin = 'B0ML6LH42E'; "
        "update product_rates set standard_rate = null where asin = 'B0ML6LH42E'",
    )
    at = open_page(PRODUCTS)
    notes = " ".join(c.value for c in at.caption)
    assert "Standard rate missing for B0ML6LH42E" in notes
    assert "excludes Amazon's standard commission" in notes
    asins = frame_of(at, "asin").set_index("asin")
    assert asins.loc["B0ML6LH42E", "creator_payout_per_sale"] == pytest.approx(44.99 * 0.10)


def test_without_order_lines_the_overview_says_which_upload_fills_the_repeat_rate(app_env: Path) -> None:
    """The performance report still carries new-to-brand and Subscribe & Save orders; only repeat rate is lost."""
    change_store(app_env, "delete from orders")
    at = open_page()
    cards = shown_metrics(at)
    assert cards[REGISTRY["repeat_rate"].label][0] == "—"
    assert cards[REGISTRY["ntb_pct"].label][0] != "—"
    notes = " ".join(c.value for c in at.caption)
    assert "Repeat rate: not available for this period." in notes
    assert "Upload attributed order lines" in notes


def _anas_week_with_order_lines(env: Path, tmp_path: Path, lines: str) -> duckdb.DuckDBPyConnection:
    """A new brand's first upload, Ana's performance in the week of Nov 15, 2026, and order lines `lines`
    (order_id, order_date, customer_id, asin, revenue, creator, new_to_brand, subscribe_and_save): the store, open."""
    from analytics.ingest.importer import load_file
    from analytics.store.database import open_store

    first_upload(env, tmp_path, "2026-11-16,Ana,B0HYDRA001,150,10,200.00,20.00\n2026-11-21,Ana,B0HYDRA001,10,0,0,0\n")
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,order_date,customer_id,asin,revenue,creator,new_to_brand,subscribe_and_save\n" + lines)
    con = open_store(env)
    load_file(con, orders)
    return con


def test_order_lines_none_of_them_attributed_are_named_rather_than_asked_for(
    empty_app_env: Path, tmp_path: Path
) -> None:
    """Order lines in the period, none with a creator: the creators' customer rates are missing, and the Overview
    and the review asked the brand to upload the order lines it had just loaded."""
    con = _anas_week_with_order_lines(
        empty_app_env,
        tmp_path,
        "111-1,2026-11-16,c1,B0HYDRA001,20.00,,true,false\n111-2,2026-11-17,c2,B0HYDRA001,20.00,,false,true\n",
    )
    said = "The order lines loaded hold none attributed to a creator in this selection"
    written = report_html(weekly_report(con, "Ana's brand", period=(date(2026, 11, 15), date(2026, 11, 21))), [])
    con.close()
    assert said in written and "Upload attributed order lines" not in written
    at = open_page()
    at.selectbox(key="filter_period").select("Last complete week").run()
    notes = " ".join(c.value for c in at.caption)
    assert "not available for this period.** " + said in notes
    assert "Upload attributed order lines" not in notes


def test_order_lines_outside_the_period_are_named_rather_than_asked_for(empty_app_env: Path, tmp_path: Path) -> None:
    """Order lines from Oct 5 to Oct 9 and performance for the week of Nov 15: the period's customer rates are
    missing because the lines lie before it, not because none were uploaded. The Overview, Creators, Customers and
    the review each say where the lines are, rather than asking for an upload the brand has made."""
    con = _anas_week_with_order_lines(
        empty_app_env,
        tmp_path,
        "111-1,2026-10-05,c1,B0HYDRA001,20.00,Ana,true,false\n111-2,2026-10-09,c1,B0HYDRA001,20.00,,false,false\n",
    )
    said = "Your order lines cover Oct 5 – Oct 9, 2026, before this period"
    written = report_html(weekly_report(con, "Ana's brand", period=(date(2026, 11, 15), date(2026, 11, 21))), [])
    assert html.escape(said) + ".</p>" in written and "upload" not in written.lower()
    said += ": choose a period they cover, or upload "
    con.close()
    at = open_page()
    at.selectbox(key="filter_period").select("Last complete week").run()
    notes = " ".join(c.value for c in at.caption)
    assert (
        "**New-to-brand %, Subscribe & Save rate and Repeat rate: not available for this period.** "
        + said
        + "order lines for these days on the Data page."
    ) in notes
    at.switch_page(CREATORS).run()
    assert said in " ".join(c.value for c in at.caption)
    at.switch_page("pages/customers.py").run()
    assert (
        "Repeat rate needs attributed order lines, and your order lines cover Oct 5 – Oct 9, 2026, before this "
        "period: choose a period they cover" in info_text(at)
    )


@pytest.mark.usefixtures("app_env")
def test_a_repeat_rate_on_the_periods_first_days_alone_gives_way_to_the_latest_matured_weeks(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """Over the sample's last 13 weeks, only the buyers of its first days have had 90 days: a rate on them read as
    the quarter's, green against the quarter before. The card shows the latest 4 weeks whose buyers have all had
    them, the change is against those weeks' own previous period, and the note says how few had matured."""
    as_of = data_range(sample_con)[1]  # type: ignore[index]
    start, end = preset_range("Last 13 weeks", as_of)
    period = totals(sample_con, Scope(start, end), ["repeat_pending", "repeat_matured", "repeat_rate"])
    pending, had_days = customer_value.buyers_waiting(period)
    assert 0 < had_days < pending
    last = last_order_date(sample_con)
    assert last is not None
    weeks = customer_value.matured_scope(Scope(start, end), last, 90)
    rate = totals(sample_con, weeks, ["repeat_rate"])["repeat_rate"]
    at = open_page()
    at.selectbox(key="filter_period").select("Last 13 weeks").run()
    assert shown_metrics(at)["Repeat rate"][0] == format_value(rate, "percent")
    notes = " ".join(c.value for c in at.caption)
    assert (
        f"Only {had_days:,} of this period's {had_days + pending:,} buyers through a creator bought 90 days or more "
        "before the last order loaded" in notes
    )
    assert (
        f"The repeat rate shown is that of the latest 4 weeks whose buyers have all had them: {range_words(weeks.start, weeks.end)}."
        in notes
    )  # type: ignore[arg-type]


# --- Empty store ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("empty_app_env")
@pytest.mark.parametrize("page", [OVERVIEW, CREATORS, PRODUCTS])
def test_an_empty_store_shows_what_to_upload_instead_of_zeros(page: str) -> None:
    at = open_page(page)
    assert not at.metric
    assert not at.dataframe
    assert "Upload your Creator Connections campaign performance report" in info_text(at)


# --- Derived tables on hand-made frames -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # A 4-week period ending on a Saturday: 13 whole weeks ending with it.
        (date(2026, 10, 18), date(2026, 11, 14), (date(2026, 8, 16), date(2026, 11, 14))),
        # Ending on a Thursday: the week in progress is left out.
        (date(2026, 10, 16), date(2026, 11, 12), (date(2026, 8, 9), date(2026, 11, 7))),
        # A year: longer than 13 weeks, so it starts on the Sunday of the period's first day (Thu Jan 1).
        (date(2026, 1, 1), date(2026, 11, 14), (date(2025, 12, 28), date(2026, 11, 14))),
        # Two days of a week in progress: the 13 whole weeks before them.
        (date(2026, 11, 10), date(2026, 11, 11), (date(2026, 8, 9), date(2026, 11, 7))),
    ],
)
def test_weekly_trend_covers_whole_weeks_and_at_least_13(start: date, end: date, expected: tuple[date, date]) -> None:
    assert trend_range(start, end) == expected


def test_the_trend_of_a_month_ending_inside_a_week_says_which_days_no_bar_holds() -> None:
    """April's review with data to Saturday May 2: the trend ends on Apr 25, and Apr 26 to 30 are in a week the data
    completes but that runs into May, not a week in progress. With data only to Apr 30 it is one."""
    trend = trend_range(date(2026, 4, 1), date(2026, 4, 30))
    assert trend == (date(2026, 1, 25), date(2026, 4, 25))
    assert trend_cut_sentence(trend, date(2026, 4, 30), date(2026, 5, 2)) == (
        " The period's last days, Apr 26 – Apr 30, 2026, fall in a week running past its end, so no bar holds them; "
        "the period's totals count them."
    )
    assert trend_cut_sentence(trend, date(2026, 4, 30), date(2026, 4, 30)) == (
        " The week in progress after Apr 25 is left out until it is complete."
    )
    assert trend_cut_sentence(trend, date(2026, 4, 25), date(2026, 5, 2)) == ""


def test_weekly_trend_starts_no_earlier_than_the_week_the_data_starts() -> None:
    """A brand whose data starts on Sunday Nov 15: its 4 weeks to Nov 21 would trend from Aug 23, 12 weeks of nothing
    sold drawn as zeros; it trends from Nov 15. Started on Wednesday Nov 18, its first whole week is the next: the
    week of Nov 15 holds only four days of it, which would draw as a slow start. Weekly rows before the week of the
    data's first day are dropped alike (the program health table counts that week whole, and says so)."""
    assert trend_range(date(2026, 10, 25), date(2026, 11, 21), data_from=date(2026, 11, 15)) == (
        date(2026, 11, 15),
        date(2026, 11, 21),
    )
    assert trend_range(date(2026, 10, 25), date(2026, 11, 21), data_from=date(2026, 11, 18)) is None
    assert trend_range(date(2026, 10, 25), date(2026, 11, 28), data_from=date(2026, 11, 18)) == (
        date(2026, 11, 22),
        date(2026, 11, 28),
    )
    assert trend_range(date(2026, 10, 25), date(2026, 11, 21), data_from=date(2026, 11, 22)) is None
    weekly = pd.DataFrame(
        {"week": [date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15)], "creators_active": [0, 0, 3]}
    )
    assert from_the_data_start(weekly, date(2026, 11, 18))["week"].tolist() == [date(2026, 11, 15)]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # as_of Nov 14: the settling days are Nov 1 - Nov 14.
        (date(2026, 10, 18), date(2026, 11, 14), (date(2026, 11, 1), date(2026, 11, 14))),
        (date(2026, 10, 18), date(2026, 11, 1), (date(2026, 11, 1), date(2026, 11, 1))),
        (date(2026, 10, 18), date(2026, 10, 31), None),
    ],
)
def test_settling_overlap_is_the_part_of_the_period_in_the_last_14_days(
    start: date, end: date, expected: tuple[date, date] | None
) -> None:
    assert settling_overlap(date(2026, 11, 14), start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2026, 11, 8), date(2026, 11, 14), "the week"),
        (date(2026, 10, 18), date(2026, 11, 14), "the 4 weeks"),
        (date(2026, 8, 17), date(2026, 11, 14), "the 90 days"),
    ],
)
def test_period_words(start: date, end: date, words: str) -> None:
    assert period_words(start, end) == words


def test_a_sparkline_needs_four_weeks_with_a_value() -> None:
    """Weeks whose repeat rate is pending have none: with three weeks left the card draws no trend, which would
    stretch $9.1k, $8.4k and $9.1k into a deep V."""
    weekly = pd.DataFrame({"repeat_rate": [None, 0.2, 0.3, 0.2], "revenue": [9100.0, 8400.0, 9100.0, 9000.0]})
    assert sparkline(weekly, "repeat_rate") == []
    assert sparkline(weekly, "revenue") == [9100.0, 8400.0, 9100.0, 9000.0]
    assert sparkline(weekly.iloc[:3], "revenue") == []
    assert sparkline(None, "revenue") == []


def _catalog(rows: list[tuple[str, str, float | None, float | None, float | None, str | None]]) -> pd.DataFrame:
    """Catalog rows (asin, line, price, standard_rate, bonus_rate, launch_date) shaped like product_payouts."""
    frame = pd.DataFrame(rows, columns=["asin", "product_line", "price", "standard_rate", "bonus_rate", "launch_date"])
    frame["title"] = frame["asin"].str.lower()
    frame["creator_payout_per_sale"] = frame["price"] * (frame["standard_rate"].fillna(0) + frame["bonus_rate"])
    frame["launch_date"] = pd.to_datetime(frame["launch_date"])
    return frame


def _sold(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """grouped_metrics-shaped rows (asin, line, revenue) with orders = clicks = 1 and a whole-scope revenue share."""
    frame = pd.DataFrame(rows, columns=["asin", "product_line", "revenue"])
    for name in ("clicks", "orders", "units"):
        frame[name] = pd.array([1] * len(frame), dtype="Int64")
    frame["commission"] = frame["revenue"] / 10
    frame["conversion_rate"] = 1.0
    frame["revenue_share"] = frame["revenue"] / frame["revenue"].sum()
    return frame


def test_asin_table_keeps_an_unsold_launch_first_and_says_which_payouts_are_partial() -> None:
    """as_of Nov 14: the launch window is Sep 16 - Nov 14, so C (Oct 1) is a launch and A (2022) is not.

    C sold nothing: revenue 0, share 0 (of a $100 scope), no rates. B has no standard rate, so its payout is
    20 × 0.10 = 2.00, bonus only. D sold through creators but is not in the catalog.
    """
    catalog = _catalog(
        [
            ("A", "Line", 10.0, 0.01, 0.09, "2022-01-01"),
            ("B", "Line", 20.0, None, 0.10, None),
            ("C", "Line", 30.0, 0.01, 0.09, "2026-10-01"),
        ]
    )
    sold = _sold([("A", "Line", 70.0), ("B", "Line", 20.0), ("D", "Unassigned", 10.0)])
    table = asin_table(sold, catalog, date(2026, 11, 14))
    assert list(table["asin"]) == ["C", "A", "B", "D"]
    c = table.iloc[0]
    assert c["is_launch"] and c["revenue"] == 0 and c["revenue_share"] == 0 and pd.isna(c["conversion_rate"])
    assert list(table["standard_rate_missing"]) == [False, False, True, False]
    assert table.loc[table["asin"] == "B", "creator_payout_per_sale"].item() == pytest.approx(2.0)
    assert list(table["in_catalog"]) == [True, True, True, False]


def test_line_table_flags_a_line_one_asin_carries_but_not_a_line_of_one_product() -> None:
    """Line X: A $70 of $100 = 70 % > 60 %, carried. Line Y: B $50 of $100 = 50 %, not carried.

    Line Z has one product, so its 100 % is not a warning; nor is Unassigned.
    """
    catalog = _catalog(
        [
            ("A", "X", 10.0, 0.0, 0.1, None),
            ("A2", "X", 10.0, 0.0, 0.1, None),
            ("B", "Y", 10.0, 0.0, 0.1, None),
            ("B2", "Y", 10.0, 0.0, 0.1, None),
            ("C", "Z", 10.0, 0.0, 0.1, None),
        ]
    )
    sold = _sold(
        [
            ("A", "X", 70.0),
            ("A2", "X", 30.0),
            ("B", "Y", 50.0),
            ("B2", "Y", 50.0),
            ("C", "Z", 40.0),
            ("D", "Unassigned", 5.0),
        ]
    )
    asins = asin_table(sold, catalog, date(2026, 11, 14))
    by_line = sold.groupby("product_line", as_index=False)[["revenue"]].sum()
    lines = line_table(by_line, asins).set_index("product_line")
    assert lines["top_asin_share"].to_dict() == pytest.approx({"X": 0.7, "Y": 0.5, "Z": 1.0, "Unassigned": 1.0})
    assert lines["carried_by_one"].to_dict() == {"X": True, "Y": False, "Z": False, "Unassigned": False}
    shares = asin_shares_within_line(asins)
    assert shares.loc[shares["product_line"] == "X", "line_rank"].tolist() == [1, 2]


def test_a_long_tail_of_asins_folds_into_one_segment_and_the_chart_draws_one_trace_per_position() -> None:
    """Line X: A $40, B $30, C $20, D $10 of $100. Keeping 2: A 40 %, B 30 %, then "2 more ASINs" $30 = 30 %.

    Line Y's single ASIN E is left as it is. The chart draws three traces (positions 1, 2 and 3), not five.
    """
    revenue = [("A", "X", 40.0), ("B", "X", 30.0), ("C", "X", 20.0), ("D", "X", 10.0), ("E", "Y", 5.0)]
    sold = _sold(revenue)
    catalog = _catalog([(asin, line, 10.0, 0.0, 0.1, None) for asin, line, _ in revenue])
    shares = fold_line_tail(asin_shares_within_line(asin_table(sold, catalog, date(2026, 11, 14))), keep=2)
    rows = shares[["product_line", "asin", "line_rank", "revenue", "line_share"]].values.tolist()
    assert rows == [
        ["X", "A", 1, 40.0, pytest.approx(0.4)],
        ["X", "B", 2, 30.0, pytest.approx(0.3)],
        ["X", "2 more ASINs", 3, 30.0, pytest.approx(0.3)],
        ["Y", "E", 1, 5.0, pytest.approx(1.0)],
    ]
    figure = line_concentration(shares, {"X": "#111111", "Y": "#222222"}, 0.6)
    assert [list(trace.y) for trace in figure.data] == [["X", "Y"], ["X"], ["X"]]
    assert list(figure.data[0].marker.color) == ["#111111", "#222222"]


def test_percent_figures_round_halves_as_the_cards_do() -> None:
    # 49 of 400 is 12.25 %: Python rounds the half to even (12.2 %), the browser's "%.1f" would round it up.
    assert format_value(49 / 400, "percent") == "12.2%"
    assert percent_figure(49 / 400) == 12.2
    assert percent_figure(1 / 8) == 12.5
    assert percent_figure(None) is None


def test_rank_figures_round_halves_away_from_zero_as_the_tables_do() -> None:
    """Medians of ranks end in .25 and .75, exact halves of a tenth: a card writes them as the table's "%.1f" does in
    the browser (47.25 -> 47.3), not as Python rounds to even (47.2)."""
    assert format_value(47.25, "rank") == "47.3"
    assert format_value(31.75, "rank_change") == "+31.8"
    assert format_value(-0.25, "rank_change") == "-0.3"
    assert format_value(-0.04, "rank_change") == "0"
    assert format_value(1047.0, "rank") == "1,047"


def test_a_gap_between_two_rates_is_that_between_their_figures_as_written() -> None:
    """October's Subscribe & Save rate of creators' buyers, 17.439 %, against all buyers' 25.885 %: the card writes
    17.4 % and 25.9 %, so its gap is -8.5 pts, not the exact gap's -8.4 that the reader could not work out."""
    from analytics.figures import points_between

    gap = points_between(0.17439, 0.25885)
    assert gap is not None and format_value(gap, "points") == "-8.5 pts"
    assert format_value(points_between(0.12041, 0.12049), "points") == "0.0 pts"  # 12.0 % both
    assert points_between(None, 0.25) is None and points_between(0.1, float("nan")) is None


def test_a_column_of_percent_figures_rounds_each_value_as_the_cards_do() -> None:
    """Every count over 400, 2,000 and 8,000 (thousands of exact and near halves), a value too large to hold a
    fraction and a missing one."""
    values = [k / n for n in (400, 2000, 8000) for k in range(n + 1)] + [None, 9725083658391.111, 0.1225]
    column = pd.Series(values, dtype="Float64")
    expected = [percent_figure(v) for v in values]
    assert [None if pd.isna(v) else v for v in percent_figures(column)] == expected
    assert percent_figures(column).iloc[-1] == 12.2


@pytest.mark.usefixtures("app_env")
def test_table_percents_are_the_cards_figures_formatted_in_the_browser(sample_con: duckdb.DuckDBPyConnection) -> None:
    start, end, _ = default_period(sample_con)
    at = open_page(CREATORS)
    [element] = [d for d in at.dataframe if list(d.value.columns)[:1] == ["creator"]]
    shown = element.value.set_index("creator")
    expected = grouped_metrics(sample_con, Scope(start, end), ("creator",)).set_index("creator")
    for metric in ("conversion_rate", "commission_share", "ntb_pct", "sns_rate", "repeat_rate"):
        # The browser writes each figure with "%.1f%%": one decimal already, so it shows the card's digits.
        cards = [percent_figure(v) for v in expected.loc[shown.index, metric]]
        table = [None if pd.isna(v) else float(v) for v in shown[metric]]
        assert table == cards, metric
        assert json.loads(element.proto.columns)[metric]["type_config"]["format"] == "%.1f%%"


@pytest.mark.usefixtures("app_env")
def test_the_commission_share_split_reads_in_signed_points(sample_con: duckdb.DuckDBPyConnection) -> None:
    """Products' "Why commission share moved": the three effects are changes of a percent, written +2.8 pts, each the
    engine's effect as a rounded figure of points."""
    start, end, _ = default_period(sample_con)
    at = open_page(PRODUCTS)
    [element] = [d for d in at.dataframe if "rate_effect" in d.value.columns]
    before = previous_period(start, end)
    expected = commission_change(sample_con, "product_line", before, (start, end)).set_index("product_line")
    shown = element.value.set_index("product_line")
    for effect in ("rate_effect", "mix_effect", "entry_exit_effect"):
        assert json.loads(element.proto.columns)[effect]["type_config"]["format"] == "%+.1f pts"
        cards = [percent_figure(v) for v in expected.loc[shown.index, effect]]
        assert [None if pd.isna(v) else float(v) for v in shown[effect]] == cards, effect
    assert json.loads(element.proto.columns)["share_after"]["type_config"]["format"] == "%.1f%%"


def test_the_commission_split_against_a_period_the_data_starts_inside_says_so(
    empty_app_env: Path, tmp_path: Path
) -> None:
    """Data from Sunday Oct 25 to Saturday Nov 28: the last 4 weeks (Nov 1 – 28) against Oct 4 – 31, of which 7 days
    hold data. The Overview shows no change against so little of the period; the Products page split the change
    of commission share against it anyway, without a word. It now says so, as the Overview does, and splits
    nothing; from Oct 15 (17 of 28 days) it splits the change and names the days it is against."""
    first_upload(
        empty_app_env,
        tmp_path,
        "2026-10-25,Ana,B0HYDRA001,10,1,20.00,2.00\n2026-11-28,Ana,B0HYDRA001,10,1,20.00,3.00\n",
    )
    at = open_page(PRODUCTS)
    said = (
        "The data starts Oct 25, 2026, inside the period compared with (Oct 4 – Oct 31, 2026): only 7 of its 28 days "
        "hold data, so there is no change to show."
    )
    assert any(i.value.startswith(said) for i in at.info), [i.value for i in at.info]
    assert not [d for d in at.dataframe if "rate_effect" in d.value.columns]
    first_upload(empty_app_env, tmp_path, "2026-10-15,Ana,B0HYDRA001,10,1,20.00,2.00\n")
    at = open_page(PRODUCTS)
    assert [d for d in at.dataframe if "rate_effect" in d.value.columns]
    against = "inside the period compared with (Oct 4 – Oct 31, 2026): the changes are against the 17 of its 28 days"
    assert any(against in c.value for c in at.caption), [c.value for c in at.caption]


def test_the_scatter_names_the_creator_with_the_most_clicks_and_draws_a_corner_marker_whole() -> None:
    """@gymguy sent the most clicks, 477, and sold nothing: a grey quarter-circle cut off at the chart's corner, with
    no name, beside the named outreach target. Now named, and no marker is cut at the plot's edge."""
    creators = pd.DataFrame(
        {
            "creator": ["@dee", "@gymguy", "@faye"],
            "revenue": [2489.24, 0.0, 310.0],
            "conversion_rate": [0.139, 0.0, 0.05],
            "clicks": [180, 477, 60],
            "ntb_pct": [0.185, None, 0.3],
            "outreach_target": [True, False, False],
        }
    )
    figure = charts.creator_scatter(creators)
    named = {str(t) for trace in figure.data if trace.text is not None for t in trace.text if t}
    assert named == {"@dee", "@gymguy"}
    assert all(trace.cliponaxis is False for trace in figure.data if trace.x != (None,))


def test_the_scatters_colours_span_every_new_to_brand_share_whatever_the_filters() -> None:
    """A creator shown alone at 12.5 % new-to-brand is coloured as 12.5 % of the way up the scale, not its top."""
    alone = pd.DataFrame(
        {"creator": ["@dana"], "revenue": [5421.27], "conversion_rate": [0.126], "clicks": [430], "ntb_pct": [0.125]}
    ).assign(outreach_target=False)
    scale = charts.creator_scatter(alone).layout.coloraxis
    assert (scale.cmin, scale.cmax) == (0, 1)
    # Its title stands beside the bar: above it, the title's width took half a phone's plot.
    assert scale.colorbar.title.side == "right"


def test_the_scatter_keeps_the_top_revenues_and_every_outreach_target() -> None:
    """Five creators by revenue, a limit of two: a and b by revenue, and d, a target below the cut."""
    table = creator_table(
        pd.DataFrame({"creator": list("abcde"), "revenue": [50.0, 40.0, 30.0, 20.0, 10.0]}), outreach=["d"]
    )
    assert scatter_creators(table, limit=2)["creator"].tolist() == ["a", "b", "d"]
    assert scatter_creators(table, limit=5)["creator"].tolist() == list("abcde")


# --- Organic rank -----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env")
def test_revenue_up_rank_flat_follows_the_window_and_lag(sample_con: duckdb.DuckDBPyConnection) -> None:
    """At the default window and lag the page shows the weekly review's kept findings for the rule; with another
    window it works the rule out for that window. Either way: the rule's findings, in order."""
    from analytics.review.insights import revenue_up_rank_flat

    _, _, as_of = default_period(sample_con)

    def shown(at: AppTest) -> list[str]:
        return [m.value for m in at.markdown if m.value.startswith(":material/trending_flat:")]

    def expected(**windows: int) -> list[str]:
        found = revenue_up_rank_flat(sample_con, as_of, **windows)
        return [f":material/trending_flat: **{md(f.title)}**  \n{md(f.action)}" for f in found[:FINDING_CARDS]]

    at = open_page("pages/organic_rank.py")
    assert shown(at) == expected()
    at.number_input(key="rank_window_days").set_value(14).run()
    assert not at.exception
    assert shown(at) == expected(rank_window_days=14)


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_a_lines_commission_finding_opens_on_its_asins_parts_over_the_findings_own_days(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The sample's review finds Vitamins' commission share rising over the last 6 weeks against the 6 before. Its
    link opens Products on Vitamins, whose panel lists the line's ASINs' parts over those same days: they add up to
    the line's change, whose rate part the finding states in points."""
    _, _, as_of = default_period(sample_con)
    finding = next(
        i for i in weekly_insights(sample_con, as_of) if i.rule == "commission_share_drift" and i.subject == "Vitamins"
    )
    before, after = commission_drift_periods(as_of)
    line = commission_change(sample_con, "product_line", before, after).set_index("product_line").loc["Vitamins"]
    titles = sample_con.execute("select asin, title from products").df()
    parts = line_asin_effects(asin_effects(sample_con, "product_line", before, after), "Vitamins", titles)
    # Each part is written to 12 decimals (`commission_change.DIGITS`): a dozen of them add up to within 1e-11.
    assert parts["rate_effect"].sum() == pytest.approx(line["rate_effect"], abs=1e-11)
    change = parts[["rate_effect", "mix_effect", "entry_exit_effect"]].to_numpy().sum()
    assert change == pytest.approx(line["share_after"] - line["share_before"], abs=1e-11)
    assert f"{line['rate_effect'] * 100:+.1f} from higher bonus rates" in finding.title
    at = open_page("pages/products.py", focus="Vitamins")
    shown = next(frame.value for frame in at.dataframe if "rate_before" in frame.value.columns)
    assert shown["asin"].tolist() == parts["asin"].tolist()
    # Each ASIN's part to a tenth of a point, no further than a tenth from its own, and the parts as shown add up to
    # the line's parts as the finding states them (rounded one by one, the sample's rate parts read +5.1).
    for effect in ("rate_effect", "mix_effect", "entry_exit_effect"):
        assert (shown[effect] - parts[effect] * 100).abs().max() <= 0.1 + 1e-9
        assert round(shown[effect].sum(), 6) == round(float(f"{line[effect] * 100:.1f}"), 6)
    assert percent_figures(parts["rate_effect"]).sum() != pytest.approx(shown["rate_effect"].sum())
    assert any(
        c.value.startswith(f"As the review's finding about it compares them: {range_words(*before)} against")
        for c in at.caption
    )


def first_upload(store: Path, tmp_path: Path, rows: str) -> None:
    """A brand's first performance file, `rows` under the contract's header, loaded into its empty store."""
    from analytics.ingest.importer import load_file
    from analytics.store.database import open_store

    upload = tmp_path / "first.csv"
    upload.write_text("date,creator,asin,clicks,orders,revenue,commission\n" + rows)
    con = open_store(store)
    load_file(con, upload)
    con.close()


def test_a_first_upload_without_a_whole_week_says_so_and_shows_its_days(empty_app_env: Path, tmp_path: Path) -> None:
    """A brand's first file held Tuesday and Wednesday, Nov 10 and 11: Last 4 weeks ended on Saturday Nov 7 and the
    Overview opened empty, saying to pick a longer period."""
    first_upload(
        empty_app_env, tmp_path, "2026-11-10,Ana,B0HYDRA001,10,2,40.00,4.00\n2026-11-11,Ana,B0HYDRA001,5,1,20.00,2.00\n"
    )
    at = open_page()
    assert (
        "Your performance data runs from Nov 10 to Nov 11, 2026, after this period (Oct 11 – Nov 7, 2026): the week "
        "periods show whole weeks, Sunday to Saturday, and the data holds no whole week before its last day yet."
        in info_text(at)
    )
    at.button(key="empty_scope_every_day").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="filter_period").value == "Last 90 days"
    assert at.query_params["period"] == "Last 90 days"
    assert shown_metrics(at)["Attributed revenue"][0] == "$60.00"


def test_a_first_upload_running_past_the_period_says_how_much_it_leaves_out(
    empty_app_env: Path, tmp_path: Path
) -> None:
    """A first file of 9 days, Wednesday Nov 18 to Thursday Nov 26: Last 4 weeks ends on Saturday Nov 21, so it holds
    the first 4 days ($10 of Nov 18) and leaves out the last 5 ($20 of Nov 24): said, with the period that shows all."""
    first_upload(
        empty_app_env,
        tmp_path,
        "2026-11-18,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-11-24,Ana,B0HYDRA001,5,1,20.00,2.00\n"
        "2026-11-26,Ana,B0HYDRA001,1,0,0,0\n",
    )
    at = open_page()
    assert shown_metrics(at)["Attributed revenue"][0] == "$10.00"
    # One week of trend draws no chart in the cards: nothing says there is one.
    assert not any("small chart in each card" in c.value for c in at.caption)
    assert (
        "Your performance data runs from Nov 18 to Nov 26, 2026: this period holds its first 4 days, and its last 5 "
        "days come after it, as the week periods show whole weeks, Sunday to Saturday." in info_text(at)
    )
    at.button(key="data_past_period_every_day").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown_metrics(at)["Attributed revenue"][0] == "$30.00"
    assert "this period holds its first" not in info_text(at)


def test_a_card_without_a_figure_in_either_period_says_nothing_to_compare_against(
    empty_app_env: Path, tmp_path: Path
) -> None:
    """A brand with performance reports alone has no repeat rate in either period: the card showed "—" above a lone
    "vs previous period"."""
    first_upload(
        empty_app_env,
        tmp_path,
        "2026-09-21,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-10-20,Ana,B0HYDRA001,5,1,20.00,2.00\n"
        "2026-11-14,Ana,B0HYDRA001,5,1,20.00,2.00\n",
    )
    at = open_page()
    cards = {m.label: m.proto for m in at.metric}
    assert (cards["Repeat rate"].body, cards["Repeat rate"].delta_description) == ("—", "")
    assert cards["Attributed revenue"].delta_description == "vs the 4 weeks before"


def test_a_new_brands_creators_page_charts_only_the_weeks_it_has_data_for(empty_app_env: Path, tmp_path: Path) -> None:
    """Data from Wednesday Nov 18 to Saturday Nov 28: the comparison and the creator's trend start on Sunday Nov 22,
    its first whole week, not 13 weeks back with every creator at $0, and program health lists no week before the
    week of Nov 15."""
    first_upload(
        empty_app_env,
        tmp_path,
        "2026-11-18,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-11-18,Bo,B0HYDRA001,5,1,20.00,2.00\n"
        "2026-11-28,Ana,B0HYDRA001,5,1,20.00,2.00\n",
    )
    at = open_page(CREATORS)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Whole Sunday–Saturday weeks from Nov 22, 2026 to Nov 28, 2026") for c in captions), (
        captions
    )
    health = next(frame.value for frame in at.dataframe if "creators_active" in frame.value.columns)
    assert pd.to_datetime(health["week"]).min() == pd.Timestamp("2026-11-15")


def test_a_conversion_rate_on_few_clicks_is_faded_in_the_creators_scatter(empty_app_env: Path, tmp_path: Path) -> None:
    """Bo's 2 orders from 2 clicks read 100 % conversion, at the top of the chart above Ana's 10 from 150 (6.7 %).
    Under 100 clicks one order moves the rate by a point or more: Bo's marker is faded, its hover says why, and the
    caption says what faded markers are."""
    first_upload(
        empty_app_env,
        tmp_path,
        "2026-11-16,Ana,B0HYDRA001,150,10,200.00,20.00\n2026-11-16,Bo,B0HYDRA001,2,2,40.00,4.00\n",
    )
    at = open_page(CREATORS)
    at.selectbox(key="filter_period").select("Last 90 days").run()
    [spec] = charts_titled(at, "Conversion rate against revenue")
    [trace] = [t for t in spec["data"] if t.get("customdata")]
    by_creator = {
        row[2]: (y, opacity)
        for row, y, opacity in zip(
            trace["customdata"], values(trace["y"]), values(trace["marker"]["opacity"]), strict=True
        )
    }
    assert by_creator["Bo"] == (1.0, 0.3)
    assert by_creator["Ana"] == (pytest.approx(10 / 150), 0.85)
    assert [row[3] for row in trace["customdata"] if row[2] == "Bo"] == [
        "<br><i>Under 100 clicks: a sign, not a measure</i>"
    ]
    captions = " ".join(c.value for c in at.caption)
    assert (
        "The faded marker is the one creator with fewer than 100 clicks, where one order more or less moves the "
        "conversion rate by a point or more: read its height as a sign, not a measure." in captions
    )


def test_a_change_against_a_few_days_of_the_week_before_is_grey_and_says_so(
    empty_app_env: Path, tmp_path: Path
) -> None:
    """The week of Nov 22 against that of Nov 15, whose data starts on Wednesday Nov 18: 4 of its 7 days. Clicks
    +300.0% read as a green leap under a note off screen; each card now says what it is against, in grey, and a sum
    is compared per day: 40 clicks in 7 days against 10 in 4 is +128.6% (40 / 7 against 10 / 4), where the 10 clicks
    themselves gave +300.0%. A rate is compared as it is. A week short of its first day or two (6 of 7) is coloured
    as usual."""
    first_upload(
        empty_app_env,
        tmp_path,
        "2026-11-18,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-11-24,Ana,B0HYDRA001,40,2,20.00,2.00\n"
        "2026-11-28,Ana,B0HYDRA001,0,0,0,0\n",
    )
    at = open_page()
    at.selectbox(key="filter_period").select("Last complete week").run()
    clicks = next(m.proto for m in at.metric if m.label == "Clicks")
    assert (clicks.body, clicks.delta, clicks.delta_description) == ("40", "+128.6%", "per day vs 4 of its 7 days")
    assert clicks.color == MetricProto.MetricColor.GRAY
    conversion = next(m.proto for m in at.metric if m.label == "Conversion rate")  # 2 of 40 against 1 of 10
    assert (conversion.delta, conversion.delta_description) == ("-5.0 pts", "vs 4 of its 7 days")
    started = (date(2026, 11, 16), "The data")
    assert comparison_cut_short(started, date(2026, 11, 15), date(2026, 11, 21)).change_uncoloured is False


@pytest.mark.parametrize(
    ("period", "rows", "said"),
    [
        # Saturday Nov 7 and Sunday Nov 8: the last complete week holds the first day, and the last comes after it.
        (
            "Last complete week",
            "2026-11-07,Ana,B0HYDRA001,10,1,10.00,1.00\n2026-11-08,Ana,B0HYDRA001,5,1,20.00,2.00\n",
            "Your performance data runs from Nov 7 to Nov 8, 2026: this period holds its first day, and its last day "
            "comes after it, as the week periods show whole weeks, Sunday to Saturday.",
        ),
        # Nov 18 to Dec 3 under Last full month (November): its first 13 days, and the 3 of December after it.
        (
            "Last full month",
            "2026-11-18,Ana,B0HYDRA001,10,1,10.00,1.00\n2026-12-03,Ana,B0HYDRA001,5,1,20.00,2.00\n",
            "this period holds its first 13 days, and its last 3 days come after it, as the month period shows whole "
            "calendar months.",
        ),
    ],
    ids=["a weekend, in the singular", "past a month, in months"],
)
def test_a_first_upload_running_past_the_period_is_said_in_its_own_words(
    empty_app_env: Path, tmp_path: Path, period: str, rows: str, said: str
) -> None:
    first_upload(empty_app_env, tmp_path, rows)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = period
    at.run()
    assert said in info_text(at), info_text(at)


def test_program_health_of_the_datas_first_weeks_says_what_it_cannot_know() -> None:
    """Data from Wednesday Oct 28: its week (Oct 25) counts every active creator as new, and the lapses of the weeks
    to Nov 15 look back fewer than 4 weeks (Nov 22's looks back over Oct 25 – Nov 21, all in the data)."""
    from analytics.review.screens import health_start_note

    weeks = [date(2026, 10, 25) + timedelta(weeks=n) for n in range(5)]
    weekly = pd.DataFrame({"week": weeks, "creators_active": [36, 30, 31, 29, 33]})
    assert health_start_note(weekly, date(2026, 10, 28)) == (
        "The data starts Oct 28, 2026: in its first week, the week of Oct 25, 2026, every active creator counts as "
        "new, since their clicks before it are not loaded; lapses through the week of Nov 15, 2026 look back over "
        "fewer than the 4 weeks they count, so they may be fewer than the program's. Upload earlier performance "
        "reports to count them whole."
    )
    assert health_start_note(weekly.iloc[2:], date(2026, 10, 28)) == (
        "The data starts Oct 28, 2026: lapses through the week of Nov 15, 2026 look back over fewer than the 4 weeks "
        "they count, so they may be fewer than the program's. Upload earlier performance reports to count them whole."
    )
    assert health_start_note(weekly.iloc[4:], date(2026, 10, 28)) is None


def test_customer_rates_over_few_orders_are_said_to_swing_on_the_overview_and_in_the_review(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """Vitamins through @dealsbydana over the default 4 weeks: 27 attributed orders. The Customers page warned that
    its rates rest on few buyers; the Overview's cards and the review showed the same rates without a word. The
    repeat card is the matured weeks' (other buyers), so the warning names the other two."""
    start, end, _ = default_period(sample_con)
    scope = Scope(start, end, product_lines=("Vitamins",), creators=("@dealsbydana",))
    orders = int(totals(sample_con, scope)["orders"])  # type: ignore[call-overload]
    assert orders == 27
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"line": "Vitamins", "creator": "@dealsbydana"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = (
        "New-to-brand % and Subscribe & Save rate rest on few buyers: 27 attributed orders in this selection, so one "
        "order more or less moves them by several points."
    )
    assert any(said in c.value for c in at.caption), [c.value for c in at.caption]
    report = weekly_report(sample_con, "Acme", period=(start, end), filters=scope)
    assert said in html.unescape(report_html(report, []))
    # The whole brand's 4 weeks rest on hundreds of orders: no warning.
    assert not any("rest on few buyers" in c.value for c in open_page().caption)


@pytest.mark.usefixtures("app_env")
def test_campaigns_about_to_overspend_or_end_come_first_among_what_to_look_at(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The sample's Always-on campaign spends its budget by Nov 24, 37 days before its end, and Launch: Electrolyte
    Sticks ends 6 days after the data: money and deadlines, which only the Campaigns page said. The Overview's
    findings now open with them, each linking to Campaigns, and so do the review's (its Campaigns section follows)."""
    from analytics.metrics.campaigns import campaign_pacing

    at = open_page()
    texts = [m.value for m in at.markdown if m.value.startswith(":orange[:material/campaign: **Campaign**]")]
    warnings = campaign_pacing(sample_con, date(2026, 11, 14))["warning"].dropna().tolist()
    assert warnings[0].startswith("Always-on will spend its $36,000.00 budget by Nov 24, 2026")
    assert warnings[1].startswith("Launch: Electrolyte Sticks ends on Nov 20, 2026")
    assert texts == [f":orange[:material/campaign: **Campaign**] **{md(w)}**" for w in warnings]
    assert sum(link.proto.page == "campaigns" for link in at.main.get("page_link")) == 2
    page = report_html(weekly_report(sample_con, "Acme"), [])
    findings = page.index("<h2>What to look at this week</h2>")
    assert findings < page.index(html.escape(warnings[0])) < page.index(html.escape(warnings[1]))
    assert page.index(html.escape(warnings[1])) < page.index('<div class="action">') < page.index("<h2>Campaigns</h2>")


def test_a_product_without_a_payout_is_said_to_lack_what_it_lacks() -> None:
    """A catalog from Seller Central's listings report has prices but no bonus rates: "lacks their price or bonus
    rate" sent the brand looking for prices it had loaded. Each ASIN is named with what it lacks."""
    asins = pd.DataFrame(
        {
            "asin": ["A1", "A2", "A3", "A4", "A5"],
            "in_catalog": [True, True, True, True, False],
            "price": [20.0, None, None, 30.0, None],
            "bonus_rate": [None, 0.1, None, 0.1, None],
            "creator_payout_per_sale": [None, None, None, 3.0, None],
            "standard_rate_missing": [False, False, False, True, False],
        }
    )
    gaps = review_screens.payout_gaps(asins)
    assert {reason: gaps[reason] for reason in review_screens.PAYOUT_LACKS} == {
        "no_price": ["A2"],
        "no_bonus_rate": ["A1"],
        "no_price_or_rate": ["A3"],
    }
    assert (gaps["standard_rate_missing"], gaps["not_in_catalog"]) == (["A4"], ["A5"])
