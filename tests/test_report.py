"""The weekly report: its period, the Overview's figures in it, escaped data, and the HTML and PDF the CLI writes."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analytics.__main__ import main
from analytics.figures import percent_figure
from analytics.metrics.grouped import (
    DEFAULT_REPEAT_DAYS,
    REGISTRY,
    WITHOUT_BASELINES,
    Scope,
    data_range,
    last_order_date,
    totals,
)
from analytics.present.formatting import format_value
from analytics.present.report import (
    ReportError,
    data_sources,
    report_period,
    trend_figures,
    weekly_report,
    weekly_report_pdf,
)
from analytics.present.report_page import KPI_ROWS, report_html
from analytics.review import customer_value
from analytics.review.insights import current_findings
from analytics.words import range_words

# Two Sunday–Saturday weeks. The week of Mar 08 (the report's, data ends Saturday Mar 14) against the week of Mar 01:
#   now:    clicks 20 + 80 = 100, orders 3 + 2 = 5, revenue 60 + 40 = $100.00, commission 9 + 3 = $12.00
#   before: clicks 100, orders 2, revenue $80.00, commission $8.00
# Cards: revenue $100.00 (+25.0%), orders 5 (+150.0%), clicks 100 (+0.0%), conversion 5/100 = 5.0% (before 2.0%:
# +3.0 pts; the mean of the daily rates, 15% and 2.5%, would be 8.8%), commission $12.00 (+50.0%), commission share
# 12/100 = 12.0% (before 10.0%: +2.0 pts, shown as bad; the mean of the creators' shares would be 11.2%).
PERFORMANCE = """\
date,campaign,creator,asin,clicks,orders,revenue,commission
2026-03-02,Spring,maya,AAAAAAAAA1,100,2,80.00,8.00
2026-03-09,Spring,maya,AAAAAAAAA1,20,3,60.00,9.00
2026-03-10,Spring,<b>leo</b>,AAAAAAAAA1,80,2,40.00,3.00
2026-03-14,Spring,maya,AAAAAAAAA2,0,0,0,0
"""


@pytest.fixture
def tiny(con, load_text):
    load_text("performance.csv", PERFORMANCE)
    return con


@pytest.mark.parametrize(
    ("week", "period", "expected"),
    [
        (None, None, (date(2026, 3, 8), date(2026, 3, 14))),  # the last whole week on or before the data's end
        (date(2026, 3, 1), None, (date(2026, 3, 1), date(2026, 3, 7))),
        (None, (date(2026, 2, 1), date(2026, 3, 3)), (date(2026, 2, 1), date(2026, 3, 3))),
        # A month to date: cut at the data's last day, not compared as a whole month with the one before.
        (None, (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 3, 1), date(2026, 3, 16))),
    ],
)
def test_the_report_covers_the_week_asked_for_or_the_last_whole_week(week, period, expected) -> None:
    assert report_period(date(2026, 3, 16), week, period) == expected


@pytest.mark.parametrize(
    ("week", "period", "message"),
    [
        (date(2026, 3, 3), None, "2026-03-03 is a Tuesday; give the Sunday that starts the week, e.g. 2026-03-01."),
        (date(2026, 3, 1), (date(2026, 3, 1), date(2026, 3, 7)), "Give a week or a start and end date, not both."),
        (None, (date(2026, 3, 7), date(2026, 3, 1)), "The period ends (2026-03-01) before it starts (2026-03-07)."),
        # A weekly run before the week's files are loaded would send a brand a collapse of -100 %.
        (
            date(2026, 3, 22),
            None,
            "The data runs through Monday 2026-03-16, before that week starts: load the week's files first, or give "
            "the last whole week, --week 2026-03-08.",
        ),
        (
            date(2026, 3, 15),
            None,
            "The data runs through Monday 2026-03-16, so that week is not over in it: load the week's files first, "
            "or give the last whole week, --week 2026-03-08.",
        ),
        (
            None,
            (date(2026, 3, 20), date(2026, 3, 31)),
            "The data runs through 2026-03-16, before the period starts (2026-03-20): load its files first.",
        ),
    ],
)
def test_a_week_that_is_not_a_sunday_or_a_reversed_period_is_refused_in_one_sentence(week, period, message) -> None:
    with pytest.raises(ReportError) as raised:
        report_period(date(2026, 3, 16), week, period)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("week", "period", "message"),
    [
        (
            date(2026, 2, 22),
            None,
            "The performance data starts on 2026-03-01, after the week ends (2026-02-28): there is nothing in it to "
            "review. Give dates from 2026-03-01 on.",
        ),
        (
            None,
            (date(2025, 3, 1), date(2025, 3, 14)),
            "The performance data starts on 2026-03-01, after the period ends (2025-03-14): there is nothing in it to "
            "review. Give dates from 2026-03-01 on.",
        ),
    ],
)
def test_a_period_before_the_data_starts_is_refused_rather_than_reviewed_as_zeros(week, period, message) -> None:
    with pytest.raises(ReportError) as raised:
        report_period(date(2026, 3, 16), week, period, first=date(2026, 3, 1))
    assert str(raised.value) == message
    # Without a week or period asked for, the last whole week: none yet in a first upload of a few days.
    with pytest.raises(ReportError) as raised:
        report_period(date(2026, 3, 3), first=date(2026, 3, 2))
    assert str(raised.value) == (
        "The performance data runs from 2026-03-02 to 2026-03-03, no whole week (Sunday to Saturday) yet: give its "
        "days, --start 2026-03-02 --end 2026-03-03."
    )
    # A period reaching into the data is the review of its days there.
    assert report_period(date(2026, 3, 16), None, (date(2026, 2, 20), date(2026, 3, 1)), date(2026, 3, 1)) == (
        date(2026, 2, 20),
        date(2026, 3, 1),
    )


def _text(page: str) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    return html.unescape(" ".join(re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S).split()))


def test_the_cards_show_ratios_of_sums_and_their_change_against_the_week_before(tiny) -> None:
    report = weekly_report(tiny, "Acme")
    text = _text(report_html(report, []))
    for card in (
        "Attributed revenue $100.00 ▲ +25.0% vs the week before",
        "Orders 5 ▲ +150.0% vs the week before",
        "Clicks 100 0.0% vs the week before",  # unchanged: no arrow
        "Conversion rate 5.0% ▲ +3.0 pts vs the week before",
        "Commission $12.00 ▲ +50.0% vs the week before",
        "Commission share 12.0% ▲ +2.0 pts vs the week before",
    ):
        assert card in text
    assert "Mar 8 – Mar 14, 2026, compared with the week before (Mar 1 – Mar 7, 2026)" in text
    # The data starts on the Monday: the change stands, and the note says what it is against.
    assert (
        "The data starts Mar 2, 2026, inside the period compared with (Mar 1 – Mar 7, 2026): the changes are "
        "against the 6 of its 7 days that hold data."
    ) in text
    # The top tables' changes say so too, as the cards' labels do.
    assert (
        text.count("Revenue change is against the period compared with, which holds data on only 6 of its 7 days") == 2
    )


def test_a_sum_against_a_few_days_of_the_week_before_is_compared_per_day(con, load_text) -> None:
    """Data from Wednesday Mar 4: the week of Mar 8 against 4 days of the week of Mar 1. $140.00 against $40.00 read
    +250.0%; per day it is $140.00 / 7 against $40.00 / 4, +100.0%, and the card says so; a rate is compared as it
    is (2 orders of 35 clicks against 1 of 10: 5.7% against 10.0%)."""
    load_text(
        "performance.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-03-04,Spring,maya,AAAAAAAAA1,10,1,40.00,4.00\n"
        "2026-03-10,Spring,maya,AAAAAAAAA1,35,2,140.00,14.00\n"
        "2026-03-14,Spring,maya,AAAAAAAAA1,0,0,0.00,0.00\n",
    )
    text = _text(report_html(weekly_report(con, "Acme"), []))
    assert "Attributed revenue $140.00 ▲ +100.0% per day vs 4 of its 7 days" in text
    assert "Clicks 35 ▲ +100.0% per day vs 4 of its 7 days" in text
    assert "Conversion rate 5.7% ▼ -4.3 pts vs 4 of its 7 days" in text


def test_a_brand_with_one_week_of_data_gets_no_one_point_trend_charts(con, load_text) -> None:
    """Rows on Mar 8-14 only: the trend's one week would be a lone bar and a dot; the report says why it has none."""
    week = "\n".join(PERFORMANCE.splitlines()[:1] + PERFORMANCE.splitlines()[2:]).replace("2026-03-09", "2026-03-08")
    load_text("performance.csv", week + "\n")
    report = weekly_report(con, "Acme")
    assert report.weekly is not None and len(report.weekly) == 1
    assert trend_figures(report) == []
    assert (
        "Weekly trend Only one whole reporting week (Sunday to Saturday) holds data so far, the week of Mar 8, 2026: "
        "the weekly trend is drawn from the second."
    ) in _text(report_html(report, []))


def test_a_first_week_the_data_starts_inside_is_no_week_of_the_trend(con, load_text) -> None:
    """Rows from Monday Mar 9: the week of Mar 8 holds six of its days, drawn as a week it would read as a slow start
    that never was. With no whole week of data the report says there is no weekly trend yet."""
    load_text("performance.csv", "\n".join(PERFORMANCE.splitlines()[:1] + PERFORMANCE.splitlines()[2:]) + "\n")
    report = weekly_report(con, "Acme")
    assert report.trend is None and trend_figures(report) == []
    assert "No whole reporting week (Sunday to Saturday) of data in this period yet" in _text(report_html(report, []))


def test_against_last_year_the_cards_compare_with_the_same_weeks_a_year_earlier(tiny, load_text) -> None:
    """The week of Mar 08, 2026 against 52 weeks earlier, Mar 09 – Mar 15, 2025 (Sunday to Saturday, so the
    weekdays line up): 50 clicks and $40.00 then, 100 clicks (+100.0%) and $100.00 (+150.0%) now. The week of
    Mar 01, 2026 before it plays no part."""
    load_text(
        "last_year.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2025-03-10,Spring,maya,AAAAAAAAA1,50,1,40.00,4.00\n",
    )
    report = weekly_report(tiny, "Acme", comparison="year")
    assert (report.before_start, report.before_end) == (date(2025, 3, 9), date(2025, 3, 15))
    text = _text(report_html(report, []))
    assert "Clicks 100 ▲ +100.0% vs last year" in text
    assert "Attributed revenue $100.00 ▲ +150.0% vs last year" in text
    assert "compared with the same period last year (Mar 9 – Mar 15, 2025)" in text


def test_without_data_a_year_earlier_the_report_says_so(tiny) -> None:
    text = _text(
        report_html(
            weekly_report(tiny, "Acme", comparison="year", filters=Scope(programs=("creator_connections",))), []
        )
    )
    assert "No data for the same period last year (Mar 9 – Mar 15, 2025), so there is no change to show." in text
    assert "Only programs: Creator Connections." in text


def test_the_review_names_where_its_customer_rates_come_from_as_the_overview_does(con, load_text) -> None:
    """A brand without order lines read 43.0 % new-to-brand in its review with no word of where it came from; the
    Overview says so under its cards. The week of Mar 08: 2 of 5 orders new to the brand, 1 on Subscribe & Save."""
    load_text(
        "performance.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders,sns_orders\n"
        "2026-03-09,Spring,maya,AAAAAAAAA1,20,3,60.00,9.00,1,1\n"
        "2026-03-14,Spring,leo,AAAAAAAAA1,80,2,40.00,3.00,1,0\n",
    )
    text = _text(report_html(weekly_report(con, "Acme"), []))
    assert "New-to-brand % and Subscribe & Save rate from the performance file's counts." in text
    assert "40.0%" in text and "20.0%" in text


def test_counts_from_some_files_only_say_how_many_orders_they_cover(con, load_text) -> None:
    """Creator Connections' own export has no new-to-brand column: a week of it beside a week of a file with the
    counts read as a fall. SPEC's rate stays (1 new-to-brand of 5 orders, 20.0%); the review says the counts cover
    3 of the 5 orders, and that over those alone the rate is 1/3 = 33.3%."""
    load_text(
        "counted.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders,sns_orders\n"
        "2026-03-09,Spring,maya,AAAAAAAAA1,20,3,60.00,9.00,1,1\n",
    )
    load_text(
        "export.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n2026-03-14,Spring,leo,AAAAAAAAA1,80,2,40.00,3.00\n",
    )
    text = _text(report_html(weekly_report(con, "Acme"), []))
    assert (
        "New-to-brand % and Subscribe & Save rate count 3 of the 5 orders: the others come from files without those "
        "columns (Creator Connections' own export has none), and count as neither. Over the orders whose files give "
        "them: New-to-brand % 33.3% and Subscribe & Save rate 33.3%."
    ) in text
    assert "20.0%" in text
    # Every order counted: nothing to say.
    assert "count as neither" not in _text(report_html(weekly_report(con, "Acme", period=(date(2026, 3, 9),) * 2), []))


def test_a_rank_row_whose_medians_move_against_its_keywords_is_marked(sample_con) -> None:
    """The sample's B0BC8UH1FZ: its keywords' medians 34 before and 39 after, its typical keyword +2.5 (changes of
    +2.5, -5 and +7), listed among the products that moved up most with nothing to say why. A review of an older
    week says the ranks run past it."""
    text = _text(report_html(weekly_report(sample_con, "Acme"), []))
    assert "B0BC8UH1FZ (Electrolyte Drink Mix, Sugar Free, 30 servings) † 34 39 +2.5 2 of 3" in text
    assert text.count("†") == 2  # the one row, and the note saying why
    assert "† Its rank before and after moved the other way from its typical keyword" in text
    assert "whatever the review's period" not in text  # the default week ends on the data's last day
    older = _text(report_html(weekly_report(sample_con, "Acme", week=date(2026, 1, 4)), []))
    assert "From the ranks loaded up to Nov 14, 2026, whatever the review's period." in older


def test_a_rise_in_commission_share_is_coloured_as_bad_and_a_rise_in_revenue_as_good(tiny) -> None:
    page = report_html(weekly_report(tiny, "Acme"), [])
    assert re.search(r'Commission share</div><div class="value">12.0%</div><div class="delta bad">', page)
    assert re.search(r'Attributed revenue</div><div class="value">\$100.00</div><div class="delta good">', page)
    assert re.search(r'Clicks</div><div class="value">100</div><div class="delta flat">', page)


def test_the_top_creators_show_their_revenue_change_and_a_new_creator_says_new(tiny) -> None:
    text = _text(report_html(weekly_report(tiny, "Acme"), []))
    assert "maya $60.00 -25.0% 3 20 15.0% $9.00 15.0%" in text
    assert "<b>leo</b> $40.00 new 2 80 2.5% $3.00 7.5%" in text.replace("&lt;", "<").replace("&gt;", ">")


def test_a_product_without_revenue_now_or_then_shows_no_change_rather_than_new(tiny) -> None:
    """AAAAAAAAA2 had a row on Mar 14 with no sales, and none the week before: "new" would say it started selling."""
    text = _text(report_html(weekly_report(tiny, "Acme"), []))
    assert "AAAAAAAAA2 Unassigned $0.00 — 0" in text, text
    assert "AAAAAAAAA1 Unassigned $100.00 +25.0% 5" in text, text


def test_a_period_past_the_data_is_cut_at_its_last_day_and_says_so(tiny) -> None:
    """Mar 8 to Mar 31 against data through Mar 14: the report covers Mar 8 – 14 against Mar 1 – 7 (the cards'
    +25.0 % of the week), not 24 days against the 24 before."""
    report = weekly_report(tiny, "Acme", period=(date(2026, 3, 8), date(2026, 3, 31)))
    assert (report.start, report.end, report.before_start) == (date(2026, 3, 8), date(2026, 3, 14), date(2026, 3, 1))
    text = _text(report_html(report, []))
    assert "The data runs through Mar 14, 2026: the period asked for ran to Mar 31, 2026" in text, text


@pytest.mark.parametrize(
    "scope", [Scope(creators=("nobody",)), Scope(creators=("maya",), asins=("AAAAAAAAA9",))], ids=["name", "pair"]
)
def test_a_report_whose_filters_match_nothing_is_refused_rather_than_written_as_zeros(tiny, scope) -> None:
    with pytest.raises(ReportError, match="No creator activity matches the filters given in Mar 8 – Mar 14, 2026"):
        weekly_report(tiny, "Acme", filters=scope)


def test_data_text_and_the_brand_name_are_escaped(tiny) -> None:
    page = report_html(weekly_report(tiny, '<script>alert("x")</script> & Co'), [])
    assert "<script>" not in page and "<b>leo</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    assert "&lt;b&gt;leo&lt;/b&gt;" in page
    # The printed pages' running title is a CSS string: its quotes and angle brackets written as code points.
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '@top-left { content: "\\3c script\\3e alert\\28 \\22 x\\22 \\29 ' in style
    assert "</" not in style and '"x"' not in style


def test_against_a_period_the_data_barely_reaches_the_report_shows_no_change(tiny) -> None:
    """Mar 3 – 14 against the 12 days before (Feb 19 – Mar 2): the data starts Mar 2, 1 of those 12 days, so the
    cards and the top tables show no change (maya's $80 of Mar 2 would make every figure a rise of hundreds of %)."""
    text = _text(report_html(weekly_report(tiny, "Acme", period=(date(2026, 3, 3), date(2026, 3, 14))), []))
    assert "only 1 of its 12 days hold data, so there is no change to show." in text
    assert "vs the 12 days before" not in text and "Revenue change" not in text
    assert "No revenue change is shown: the period compared with has too little data" in text


def test_a_review_narrowed_to_a_creator_new_this_week_says_why_there_is_no_change_as_the_overview_does(
    con, load_text
) -> None:
    """maya sells every day of Mar 1 – 14 and leo only from Mar 9: the review of leo's week said "No data for the
    previous period" and "too little data", beside $13 of maya's revenue on each of those days. It now says what the
    Overview says, without the app's instructions."""
    rows = "".join(f"2026-03-{d:02d},Spring,maya,AAAAAAAAA1,10,1,13.00,1.30\n" for d in range(1, 15))
    rows += "2026-03-09,Spring,leo,AAAAAAAAA1,20,2,40.00,3.00\n"
    load_text("performance.csv", "date,campaign,creator,asin,clicks,orders,revenue,commission\n" + rows)
    text = _text(report_html(weekly_report(con, "Acme", filters=Scope(creators=("leo",))), []))
    assert (
        "No sales of the selected creator in the previous period (Mar 1 – Mar 7, 2026), so no change is shown: the "
        "data covers those days, but the selection had no clicks, orders or revenue then (launched or joined since)."
    ) in text
    assert "No data for the previous period" not in text and "sidebar" not in text
    assert "No revenue change is shown: the period compared with holds nothing for the selection" in text


def test_the_data_sources_name_each_file_and_the_days_it_covers(tiny) -> None:
    text = _text(report_html(weekly_report(tiny, "Acme"), []))
    assert "performance.csv Performance Mar 2 – Mar 14, 2026 4 0" in text
    assert re.search(r"Mar 14, 2026 4 0 [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2} UTC", text)


def test_a_report_of_an_earlier_week_carries_the_findings_the_overview_shows(tiny) -> None:
    """The findings are the review of the data up to its last day whatever the period, on the Overview and in the
    file sent on: as of Mar 14 the top 2 creators share the revenue, as of Mar 7 one creator had it all."""
    report = weekly_report(tiny, "Acme", week=date(2026, 3, 1))
    assert (report.start, report.end) == (date(2026, 3, 1), date(2026, 3, 7))
    assert report.findings == current_findings(tiny)[0]
    # maya and leo are every creator who sold: named as all of them, not as a top 2 with 100.0 % of the revenue.
    assert [i.title.split(" had")[0] for i in report.findings] == ["Only 2 creators"]
    assert "Checks over the whole program up to Mar 14, 2026; the period and filters do not narrow them." in _text(
        report_html(report, [])
    )


def test_a_restated_load_keeps_its_days_and_a_campaign_file_spans_its_campaigns(tiny, load_text) -> None:
    """A later file restating every row of an earlier one leaves the earlier load's days in the sources: its rows
    moved to the history, they did not vanish. A campaigns file covers its campaigns' first start to last end."""
    load_text("restated.csv", PERFORMANCE.replace("80.00,8.00", "81.00,8.10"))
    load_text(
        "campaigns.csv",
        "campaign,type,start,end,budget\nAlways-on,always-on,2026-01-01,2026-12-31,36000\n"
        "Launch,launch,2026-03-01,2026-04-15,500\n",
    )
    sources = data_sources(tiny).set_index("file")
    for name in ("performance.csv", "restated.csv"):
        assert (sources.loc[name, "first_day"], sources.loc[name, "last_day"]) == (
            pd.Timestamp("2026-03-02"),
            pd.Timestamp("2026-03-14"),
        )
    assert (sources.loc["campaigns.csv", "first_day"], sources.loc["campaigns.csv", "last_day"]) == (
        pd.Timestamp("2026-01-01"),
        pd.Timestamp("2026-12-31"),
    )


def test_the_report_names_the_days_without_data_as_the_overview_does(tiny) -> None:
    """The week of Mar 8 has rows on Mar 9, 10 and 14. The week before starts before the data (Mar 2), which its
    cut-short sentence says instead of naming its empty days."""
    text = html.unescape(_text(report_html(weekly_report(tiny, "Acme"), [])))
    assert (
        "No performance rows for 4 of the period's 7 days (Mar 8, 2026, Mar 11 – Mar 13, 2026): if they had clicks or "
        "sales the downloads left out, the figures read low. The data starts Mar 2, 2026, inside the period compared "
        "with" in text
    )
    assert "The period compared with has no performance rows" not in text


def test_a_report_narrowed_to_a_program_names_that_programs_days_without_data(tiny) -> None:
    """Levanta's rows are on Mar 2 and Mar 9 only: narrowed to it, the week of Mar 8 misses 6 of its 7 days, which
    Creator Connections' rows on Mar 10 and 14 do not fill, and the filter is named as people say it."""
    tiny.execute(
        "insert into performance (load_id, date, program, campaign, creator, asin, clicks, orders, revenue, "
        "commission) select 1, d::date, 'levanta', 'Spring', 'maya', 'AAAAAAAAA1', 5, 1, 20, 2 "
        "from (values ('2026-03-02'), ('2026-03-09')) as t(d)"
    )
    text = html.unescape(_text(report_html(weekly_report(tiny, "Acme", filters=Scope(programs=("levanta",))), [])))
    assert (
        "No performance rows of Levanta for 6 of the period's 7 days (Mar 8, 2026, Mar 10 – Mar 14, 2026): if they "
        "had clicks or sales the downloads left out, the figures read low." in text
    )
    assert "Only programs: Levanta." in text


def test_an_empty_store_has_no_report_and_says_what_to_load(con) -> None:
    with pytest.raises(ReportError, match="load a Creator Connections performance report first"):
        weekly_report(con, "Acme")


def _words_beyond(pdf: Path, right_margin_pt: float) -> list[str]:
    """Words whose box ends past the page's right margin (text cut off or running out of the printed area)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    beyond = []
    for page in re.finditer(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', boxes, flags=re.S):
        limit = float(page.group(1)) - right_margin_pt
        for word in re.finditer(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page.group(2)
        ):
            if float(word.group(1)) > limit:
                beyond.append(word.group(2))
    return beyond


@pytest.mark.browser
def test_every_brands_review_is_written_into_one_folder_for_an_agencys_round(
    sample_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An agency's Monday: one command writes each brand's review, named for the brand and its own last whole week.
    Acme's week of Nov 1 - Nov 7 holds $120.00 + $80.00 = $200.00 of attributed revenue over 5 orders; the demo,
    holding the sample, and Zeta, with nothing loaded, are passed over with a note. A week before Acme's data is
    refused for Acme alone, by name, and the command exits 1."""
    from tests.conftest import copy_store

    monkeypatch.setenv("CREATORLIFT_DB", str(copy_store(sample_db_file, tmp_path)))
    assert main(["workspaces", "new", "Acme Nutrition"]) == 0
    assert main(["workspaces", "new", "Zeta Foods"]) == 0
    week = tmp_path / "acme.csv"
    week.write_text(
        "date,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-01,@maya,B0ACME0001,40,3,120.00,12.00\n"
        "2026-11-07,@leo,B0ACME0002,30,2,80.00,8.00\n"
    )
    assert main(["--workspace", "acme-nutrition", "load", str(week)]) == 0
    capsys.readouterr()
    out = tmp_path / "reviews"
    assert main(["report", "--every-brand", "--out", str(out)]) == 0
    said = capsys.readouterr()
    [written] = list(out.iterdir())
    assert written.name == "creator_lift_acme-nutrition_review_2026-11-01_2026-11-07.html"
    assert said.out == f"Acme Nutrition: report written to {written}\n"
    assert "note: Demo brand (sample data) passed over: it holds the sample only" in said.err
    assert "note: Zeta Foods passed over: no performance data yet" in said.err
    text = _text(written.read_text())
    assert "Acme Nutrition — creator review" in text and "Nov 1 – Nov 7, 2026" in text
    assert "Attributed revenue $200.00" in " ".join(text.split()) and "Orders 5" in " ".join(text.split())
    assert "@dealsbydana" not in text  # the demo's top creator
    assert main(["report", "--every-brand", "--out", str(out), "--week", "2026-10-04"]) == 1
    assert "error: Acme Nutrition: The performance data starts on 2026-11-01" in capsys.readouterr().err
    assert main(["report", "--every-brand", "--out", str(out / "r.html")]) == 2
    assert main(["report", "--every-brand", "--out", str(out), "--creator", "@maya"]) == 2


@pytest.mark.browser
def test_the_command_line_writes_the_sample_review_as_html_and_as_a_pdf_holding_the_overview_figures(
    sample_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The PDF's text holds every card value the Overview shows for the same week, through the same engine calls
    and formatting; it prints on A4 and on Letter with no word past the 12 mm margin, and its pages render."""
    from tests.conftest import copy_store

    db = copy_store(sample_db_file, tmp_path)
    html_file, pdf_file = tmp_path / "review.html", tmp_path / "review.pdf"
    assert main(["--db", str(db), "report", "--out", str(html_file)]) == 0
    assert main(["--db", str(db), "report", "--out", str(pdf_file), "--paper", "A4", "--brand", "Sample Co"]) == 0
    assert "report written to" in capsys.readouterr().out

    from analytics.store.database import open_store

    con = open_store(db)
    try:
        start, end = report_period(data_range(con)[1])  # type: ignore[index]
        shown = totals(con, Scope(start, end), WITHOUT_BASELINES)
        # As on the Overview: the period's buyers are all still pending, so the repeat card is the latest matured
        # 4 weeks'.
        matured = customer_value.fallback_scope(shown, Scope(start, end), last_order_date(con), DEFAULT_REPEAT_DAYS)
        assert matured is not None
        shown = customer_value.with_repeat_figures(shown, totals(con, matured, WITHOUT_BASELINES))
    finally:
        con.close()
    page = html_file.read_text(encoding="utf-8")
    # The two trend charts and branded search beside creator clicks, drawn in the file.
    assert page.count('src="data:image/svg+xml;base64,') == 3 and "http://" not in page.split("<body>")[1]

    # Text read in layout order: each row of cards is a line of labels, then a line of their values.
    lines = subprocess.run(["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True).stdout
    text = " ".join(lines.split())
    for row in KPI_ROWS:
        labels = r"\s+".join(re.escape(REGISTRY[metric].label) for metric, _ in row)
        values = r"\s+".join(re.escape(format_value(shown[metric], REGISTRY[metric].format)) for metric, _ in row)
        assert re.search(labels + r"\s*\n\s*" + values + r"\s*\n", lines), (labels, values)
    assert range_words(start, end) in text
    assert "Sample Co — creator review" in text
    # Each printed page says whose review of which days it is, and its number of how many.
    printed = [page for page in lines.split("\f") if page.strip()]
    assert len(printed) >= 3
    for number, page_text in enumerate(printed, start=1):
        assert page_text.lstrip().startswith(f"Sample Co — creator review, {range_words(start, end)}"), number
        assert f"Page {number} of {len(printed)}" in page_text, number
    # The repeat card says whose rate it shows: the matured weeks' buyers, not the period's.
    assert f"buyers of {range_words(matured.start, matured.end)}" in text  # type: ignore[arg-type]

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(weekly_report_pdf(page, "Letter"))
    info = {p: subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True).stdout for p in (pdf_file, letter)}
    assert "(A4)" in info[pdf_file] and "(letter)" in info[letter]
    margin_pt = 12 / 25.4 * 72
    assert _words_beyond(pdf_file, margin_pt - 1) == []
    assert _words_beyond(letter, margin_pt - 1) == []

    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_file), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) >= 3


@pytest.mark.browser
def test_the_findings_heading_prints_on_the_page_of_the_first_finding(sample_db_file: Path, tmp_path: Path) -> None:
    """Without branded search, the sample's review left "What to look at this week" and its note alone at the foot
    of page 2, the findings starting on page 3, on A4 and on Letter alike."""
    from analytics.present.report import weekly_report_html
    from analytics.store.database import open_store
    from tests.conftest import copy_store

    con = open_store(copy_store(sample_db_file, tmp_path))
    try:
        con.execute("delete from search")
        page = weekly_report_html(con, brand_name="Maison Test")
    finally:
        con.close()
    findings = page.split("<h2>What to look at this week</h2>", 1)[1]
    first_finding = html.unescape(re.search(r'<div class="title">(.*?)</div>', findings).group(1))  # type: ignore[union-attr]
    for paper in ("A4", "Letter"):
        pdf = tmp_path / f"{paper}.pdf"
        pdf.write_bytes(weekly_report_pdf(page, paper))
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        [heading_page] = [" ".join(p.split()) for p in text.split("\f") if "What to look at this week" in p]
        assert " ".join(first_finding.split()[:6]) in heading_page, paper


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_overview_offers_the_review_as_html_and_pdf_made_only_when_clicked(app_env) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    for label in ("Download this review", "PDF"):
        assert buttons[label].deferred_file_id, label  # a callable, run by the server when clicked
        assert buttons[label].ignore_rerun, label  # a rerun would revoke the file the browser is fetching
    assert buttons["PDF"].help.startswith("The same review printed on Letter paper")  # the demo brand is in dollars


def test_a_brand_prints_on_its_countrys_paper() -> None:
    from analytics.present.pdf import brand_paper

    assert [brand_paper(sign) for sign in ("$", "CAD", "MXN", "€", "£", "₹", "¥", "AUD")] == [
        "Letter",
        "Letter",
        "Letter",
        "A4",
        "A4",
        "A4",
        "A4",
        "A4",
    ]


def test_a_workspace_cursor_reads_the_store_from_a_thread_without_a_script_run(app_env) -> None:
    """The server runs a download's callable on a thread of its own, where the URL and session cannot be read."""
    from concurrent.futures import ThreadPoolExecutor

    from analytics.store.workspaces import Workspace
    from ui.session import workspace_cursor

    def brand_of_report() -> str:
        with workspace_cursor(Workspace("demo", "Demo", app_env)) as con:
            return weekly_report(con, "Demo").brand_name

    with ThreadPoolExecutor(max_workers=1) as server_thread:
        assert server_thread.submit(brand_of_report).result(timeout=120) == "Demo"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--week", "2026-03-10", "--out", "r.html"], "error: 2026-03-10 is a Tuesday; give the Sunday that starts"),
        (["--out", "r.txt"], "error: --out must name an .html or .pdf file"),
        (["--start", "2026-03-01", "--out", "r.html"], "error: give a custom period as both --start and --end"),
    ],
)
def test_the_report_command_refuses_a_bad_request_in_one_sentence(tmp_path, capsys, arguments, message) -> None:
    db = tmp_path / "cli.duckdb"
    (tmp_path / "performance.csv").write_text(PERFORMANCE)
    assert main(["--db", str(db), "load", str(tmp_path / "performance.csv")]) == 0
    out = [a if not a.startswith("r.") else str(tmp_path / a) for a in arguments]
    assert main(["--db", str(db), "report", *out]) == 2
    error = capsys.readouterr().err
    assert error.startswith(message) and error.count("\n") == 1
    assert not list(tmp_path.glob("r.*"))


def test_the_report_command_compares_with_last_year_and_narrows_to_a_program(tmp_path) -> None:
    db = tmp_path / "cli.duckdb"
    (tmp_path / "performance.csv").write_text(PERFORMANCE)
    assert main(["--db", str(db), "load", str(tmp_path / "performance.csv")]) == 0
    out = tmp_path / "r.html"
    arguments = ["--db", str(db), "report", "--out", str(out), "--compare", "year", "--program", "Creator Connections"]
    assert main(arguments) == 0
    text = _text(out.read_text(encoding="utf-8"))
    assert "compared with the same period last year (Mar 9 – Mar 15, 2025)" in text
    # A store holding a brand's own loads is named for its file, as the app names it.
    assert text.startswith("cli — creator review")
    assert "Only programs: Creator Connections." in text


def test_the_review_takes_the_repeat_window_the_overview_shows(sample_con) -> None:
    """With the sidebar's Repeat window at 30 days, the Overview showed one repeat rate and the review file another:
    the file always counted 90 days."""
    thirty = weekly_report(sample_con, "Acme", repeat_days=30)
    ninety = weekly_report(sample_con, "Acme")
    assert thirty.matured is not None and ninety.matured is not None
    # Buyers have had 30 days sooner than 90: the matured weeks are later ones.
    assert thirty.matured.end > ninety.matured.end  # type: ignore[operator]
    expected = totals(sample_con, thirty.matured, ["repeat_rate"], 30)["repeat_rate"]
    assert thirty.current["repeat_rate"] == expected != ninety.current["repeat_rate"]
    text = _text(report_html(thirty, []))
    assert "none has had 30 days to come back yet" in text and "has had 90 days" not in text
    assert "repeat within 30 days" in text


def test_the_review_says_how_many_buyers_its_repeat_rate_rests_on_as_the_overview_does(sample_con) -> None:
    """Over 13 weeks with a 30-day window, some of the period's buyers have had 30 days and the rest are pending: the
    card's rate is a share of the first, which the Overview says under the cards and the review did not."""
    period = (date(2026, 8, 16), date(2026, 11, 14))
    report = weekly_report(sample_con, "Acme", period=period, repeat_days=30)
    assert report.matured is None
    counted, pending = report.current["repeat_matured"], report.current["repeat_pending"]
    assert isinstance(counted, int) and isinstance(pending, int) and counted > 0 and pending > 0
    assert (
        f"Repeat rate: within 30 days of each buyer's first attributed order, over the {counted:,} buyers who have had "
        f"30 days · {pending:,} buyers still pending"
    ) in _text(report_html(report, []))


def test_a_review_without_branded_search_or_a_ledger_says_so_to_the_brand_it_is_sent_to(tiny) -> None:
    """A brand with only its performance reports: the review left its branded search out without a word, and listed
    Spring as "No ledger row" under a note about budgets in a ledger that was never loaded. It says what is missing as
    the brand reading it would have it: not an upload on a page of an app the brand may never open."""
    text = _text(report_html(weekly_report(tiny, "Acme"), []))
    assert (
        "Branded search and creator clicks No branded search: it comes from Brand Analytics' Search Query Performance "
        "report (Brand View, weekly), and none is loaded."
    ) in text
    assert (
        "Spring: in the performance reports but not in the campaign ledger, the CSV of each campaign's budget and "
        "dates, so it shows its spend without a budget."
    ) in text
    assert (
        "Repeat rate: not available for this period. They come from attributed order lines (an Amazon Marketing Cloud "
        "or agency export), or a cohorts file of buyer counts, and none is loaded for this period; new-to-brand %"
    ) in text
    assert "Data page" not in text and "upload" not in text.lower()


def test_a_review_narrowed_to_a_line_narrows_its_rank_lift_and_says_campaigns_are_the_whole_programs(
    sample_con,
) -> None:
    """A review headed "Only product lines: Protein." listed other lines' rank wins, as the Organic rank page does
    not, and its campaigns' section did not say it covers every campaign."""
    protein = {
        row[0] for row in sample_con.execute("select asin from products where product_line = 'Protein'").fetchall()
    }
    everything = weekly_report(sample_con, "Acme")
    narrowed = weekly_report(sample_con, "Acme", filters=Scope(product_lines=("Protein",)))
    assert set(narrowed.rank_lift["asin"]) <= protein
    assert not set(everything.rank_lift["asin"]) <= protein
    ranked_protein = sample_con.execute(
        "select count(distinct r.asin) from ranks as r join products as p using (asin) where p.product_line = 'Protein'"
    ).fetchone()
    assert ranked_protein is not None and 0 < narrowed.rank_lift_count <= ranked_protein[0]
    assert narrowed.rank_lift_count < everything.rank_lift_count
    text = _text(report_html(narrowed, []))
    assert "Of the product lines and ASINs chosen; the windows sit around each activation" in text
    # A cold reader seeing 34 then 39 beside +2.5 is told the change is the typical keyword's, not after less before.
    assert "Rank before Rank after Typical keyword's change Keywords improved Lift vs control" in text
    assert "a dash where the line has none." in text
    assert "Every campaign, whatever the filters above." in text
    assert "Every campaign," not in _text(report_html(everything, []))


def test_a_review_narrowed_to_products_without_ranks_says_none_of_them_has_any(tiny, load_text) -> None:
    """Another product has ranks; the one chosen has none. (With no ranks at all, the review says no ranks are loaded,
    whatever the filters.)"""
    load_text("ranks.csv", "date,asin,keyword,organic_rank\n2026-03-10,AAAAAAAAA2,whey,4\n")
    nothing = weekly_report(tiny, "Acme", filters=Scope(asins=("AAAAAAAAA1",)))
    assert "No rank lift to show: none of the product lines and ASINs chosen has a product with keyword ranks" in (
        _text(report_html(nothing, []))
    )


def test_a_review_without_rank_lift_says_which_of_ranks_and_activation_dates_is_missing(tiny, load_text) -> None:
    """It said "it needs keyword ranks and products with an activation date" to a brand whose catalog had its
    activation dates and which had loaded no ranks, sending it to look at the wrong file."""
    load_text("products.csv", "asin,product_line,activation_date\nAAAAAAAAA1,Protein,2026-03-01\n")
    assert "No rank lift to show: no keyword ranks are loaded" in _text(report_html(weekly_report(tiny, "Acme"), []))
    load_text("ranks.csv", "date,asin,keyword,organic_rank\n2026-03-10,AAAAAAAAA2,whey,4\n")
    assert (
        "No rank lift to show: no product with keyword ranks has an activation date with readings before and after it"
        in _text(report_html(weekly_report(tiny, "Acme"), []))
    )


def test_the_review_carries_the_campaigns_pages_ledger_notes(sample_con) -> None:
    """The Campaigns page named where the reports and the ledger disagree; the review sent to the brand did not."""
    from analytics.metrics.campaigns import campaign_pacing, ledger_notes

    report = weekly_report(sample_con, "Acme")
    expected = ledger_notes(sample_con, campaign_pacing(sample_con, report.as_of), report.as_of)
    assert report.ledger_notes == expected and expected
    page = report_html(report, [])
    for note in expected:
        assert f'<div class="severity">Ledger</div><div class="title">{html.escape(note)}</div>' in page


def test_each_chart_image_of_the_review_is_described_by_its_own_title(sample_con) -> None:
    """Both weekly charts were described as "Weekly trend chart": a screen reader, or a mail client not loading
    images, could not tell them apart."""
    page = report_html(weekly_report(sample_con, "Acme"), ["<svg/>"] * 3)
    assert re.findall(r'<img alt="([^"]*)"', page) == [
        "Attributed revenue and commission share by week",
        "Conversion rate by week",
        "Branded search volume and creator clicks by week",
    ]


def test_the_reviews_findings_give_each_piece_of_advice_once_after_the_campaigns_deadlines(sample_con) -> None:
    """A CMO reading the review met the same advice word for word under two stale bonuses and under two products
    whose ranks did not follow their sales, and the ledger's upkeep before the week's findings. Findings advising
    alike now share one box, listing what each found; the budget and end-date warnings lead the findings, as on the
    Overview, and the ledger notes follow the campaigns table."""
    report = weekly_report(sample_con, "Acme")
    page = report_html(report, [])
    findings = page.split("<h2>What to look at this week</h2>", 1)[1].split("<h2>Campaigns</h2>", 1)[0]
    boxes = re.findall(r'<div class="finding (\w+)">(.*?)</div></div>', findings)
    actions = [html.unescape(a) for a in re.findall(r'<div class="action">(.*?)</div>', findings)]
    assert len(actions) == len(set(actions)) == len({(i.severity, i.action) for i in report.findings})
    stale = [i for i in report.findings if i.rule == "stale_bonus_rate" and i.action.startswith("Revisit the offer")]
    assert [i.subject for i in stale] == ["B0ADQAF9B1", "B0QQNG3TWV"]
    [together] = [body for _, body in boxes if html.escape(stale[0].title) in body]
    assert html.escape(stale[1].title) in together and together.count('<li class="title">') == 2
    warnings = report.campaigns["warning"].dropna().tolist()
    assert len(warnings) == 2 and all(boxes[n][1].endswith(html.escape(w)) for n, w in enumerate(warnings))
    campaigns = page.split("<h2>Campaigns</h2>", 1)[1]
    assert "Ledger" not in findings and not any(html.escape(w) in campaigns for w in warnings)
    for note in report.ledger_notes:
        assert campaigns.index(html.escape(note)) > campaigns.index("</table>")


def test_a_past_periods_review_shows_the_campaigns_as_the_campaigns_page_does(sample_con) -> None:
    """October's review, made with data to Nov 14, paced the campaigns as they stood on Oct 31: Always-on running out
    "by Nov 22" at a pace two weeks old, and no word of the launch ending Nov 20, while the Campaigns page and the
    findings beside it said Nov 24 and warned of the end. Budgets are money to date and their forecasts this week's
    decisions: the review now has them as the page does, and says the day, before the figures."""
    from analytics.metrics.campaigns import campaign_pacing

    report = weekly_report(sample_con, "Acme", period=(date(2026, 10, 1), date(2026, 10, 31)))
    text = _text(report_html(report, []))
    as_of = (
        "Campaigns As of Nov 14, 2026, the last day of data, after the period's end (Oct 31, 2026): spend to date, "
        "beside each campaign's commission to Oct 31, 2026, the month's close."
    )
    assert as_of in text and text.index(as_of) < text.index("Budget runs out")  # said before the figures
    # The pace the projection rests on is a column, as on the page, not only in the warnings: $148.94 a day.
    assert "Budget used to date Spend per day Projected spend" in text
    assert "$148.94" in text.split("Campaigns As of")[1]
    on_the_page = campaign_pacing(sample_con, date(2026, 11, 14))
    assert report.campaigns["warning"].dropna().tolist() == on_the_page["warning"].dropna().tolist()
    # The month's close beside them: each campaign's commission to Oct 31, as Budgets as of Oct 31 gives it.
    at_close = campaign_pacing(sample_con, date(2026, 10, 31)).set_index("campaign")["commission"]
    shown = report.campaigns.set_index("campaign")["commission_at_close"]
    assert shown.to_dict() == {c: at_close.get(c, 0.0) for c in shown.index}
    # And what each budget had left then, beside it: the budget less that commission, to the cent.
    budgets = report.campaigns.set_index("campaign")["budget"]
    left = report.campaigns.set_index("campaign")["budget_left_at_close"].dropna()
    assert left.to_dict() == {c: round(budgets[c] - shown[c], 2) for c in left.index} and len(left) >= 3
    assert (
        "Campaign Status Budget Commission to Oct 31 Budget left at Oct 31 Commission to date Budget used to date "
        "Spend per day" in text
    )
    weekly = _text(report_html(weekly_report(sample_con, "Acme"), []))
    assert "Commission to Oct" not in weekly and "the month's close" not in weekly
    warnings = " ".join(report.campaigns["warning"].dropna())
    assert "Always-on will spend its $36,000.00 budget by Nov 24, 2026" in warnings, warnings
    assert "Launch: Electrolyte Sticks ends on Nov 20, 2026" in warnings, warnings


def test_the_reviews_customer_rates_stand_against_all_buyers_as_the_customers_page_shows_them(sample_con) -> None:
    """A brand manager reads the report without the app: each customer rate says how far it stands from all buyers'
    (its gap in points, and all buyers' rate), worked out over the same period as the Customers page's cards. The gap
    is that between the two figures as written, so that the card's numbers agree with each other."""
    report = weekly_report(sample_con, "Acme")
    figures = totals(sample_con, Scope(start=report.start, end=report.end))
    text = _text(report_html(report, []))
    for metric, baseline in (("ntb_pct", "baseline_ntb_pct"), ("sns_rate", "baseline_sns_rate")):
        written = percent_figure(figures[metric]), percent_figure(figures[baseline])
        gap = format_value(round(written[0] - written[1], 1) / 100, "points")  # type: ignore[operator]
        card = f"{format_value(figures[metric], 'percent')} "
        assert card in text
        assert f"{gap} vs all buyers ({format_value(figures[baseline], 'percent')})" in text, (metric, text)


def test_the_review_carries_the_periods_spend_by_campaign_adding_up_to_its_key_figures(sample_con) -> None:
    """A month's close asks what each campaign cost over the month: the Campaigns page's table, whose rows add up to
    the cards' revenue and commission, is in the review too."""
    report = weekly_report(sample_con, "Acme", period=(date(2026, 10, 1), date(2026, 10, 31)))
    spend = report.campaign_spend
    assert spend["revenue"].sum() == pytest.approx(report.current["revenue"])
    assert spend["commission"].sum() == pytest.approx(report.current["commission"])
    assert spend["commission"].is_monotonic_decreasing
    text = _text(report_html(report, []))
    top = spend.iloc[0]
    row = f"{top['campaign']} {format_value(top['revenue'], 'money')} {format_value(top['commission'], 'money')}"
    assert "Spend by campaign in the period Campaign Attributed revenue Commission" in text
    assert row in text, text
    # Unfiltered, the note points at no filters; narrowed to a line, at the "Only …" line above.
    assert "Revenue and commission per campaign over Oct 1 – Oct 31, 2026: the rows add up" in text
    narrowed = weekly_report(
        sample_con, "Acme", period=(date(2026, 10, 1), date(2026, 10, 31)), filters=Scope(product_lines=("Protein",))
    )
    assert "Oct 31, 2026, with the filters above: the rows add up" in _text(report_html(narrowed, []))


def test_the_review_carries_the_periods_spend_by_product_line_adding_up_to_its_key_figures(sample_con) -> None:
    """Finance asks what creators were paid by product line last month. October 2026 in the sample, commission by
    line as a query over the performance rows and the catalog gives it: Protein $1,520.26, Vitamins $1,054.32, Skin
    Care $945.41, Hydration $866.66, Pet Care $298.44 and the ASINs missing from the catalog $71.95, which add up to
    the month's $4,757.04."""
    report = weekly_report(sample_con, "Acme", period=(date(2026, 10, 1), date(2026, 10, 31)))
    lines = report.line_spend
    assert lines["product_line"].tolist() == ["Protein", "Vitamins", "Skin Care", "Hydration", "Pet Care", "Unassigned"]
    assert [round(c, 2) for c in lines["commission"]] == [1520.26, 1054.32, 945.41, 866.66, 298.44, 71.95]
    assert round(lines["commission"].sum(), 2) == round(report.current["commission"], 2) == 4757.04
    assert lines["revenue"].sum() == pytest.approx(report.current["revenue"])
    text = _text(report_html(report, []))
    assert "Spend by product line in the period Product line Attributed revenue Commission" in text
    protein = lines.iloc[0]
    assert f"Protein {format_value(protein['revenue'], 'money')} $1,520.26" in text
    assert "“Unassigned” holds the ASINs missing from the products file." in text


def test_a_repeat_rate_not_known_yet_is_one_note_with_its_buyers(tiny, load_text) -> None:
    """Two buyers through a creator in the week of Mar 8, the store's only order lines: neither has had the repeat
    window, and no earlier weeks have matured either. The review says so once, with how many buyers wait, rather
    than in two notes that each begin "Repeat rate:"."""
    load_text(
        "orders.csv",
        """
        order_id,order_date,customer_id,asin,revenue,creator,new_to_brand,subscribe_and_save
        111-1,2026-03-09,c1,AAAAAAAAA1,20.00,maya,true,false
        111-2,2026-03-10,c2,AAAAAAAAA1,20.00,<b>leo</b>,false,false
        """,
    )
    report = weekly_report(tiny, "Acme")
    assert report.matured is None
    text = _text(report_html(report, []))
    assert text.count("Repeat rate:") == 1
    assert (
        f"Repeat rate: every buyer of this period is still within the {DEFAULT_REPEAT_DAYS} days a repeat purchase "
        f"is counted in, so it is not known yet. Within {DEFAULT_REPEAT_DAYS} days of each buyer's first attributed "
        "order · 2 buyers still pending"
    ) in text


def test_the_apps_review_is_written_without_its_charts_when_they_cannot_be_drawn(sample_con, monkeypatch) -> None:
    """A browser that hangs or is missing left the Overview's download with no file and no word; the command line
    still stops, since a scheduled run should not send a review without its charts unnoticed."""
    from analytics.present import report as report_module
    from analytics.present.static_images import ChartExportError

    def fails(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ChartExportError("The charts took too long to draw; try the download again in a minute.")

    monkeypatch.setattr(report_module, "svg_images", fails)
    with pytest.raises(ChartExportError):
        report_module.weekly_report_html(sample_con, brand_name="Acme")
    page = report_module.weekly_report_html(sample_con, brand_name="Acme", charts_required=False)
    text = _text(page)
    assert (
        "Weekly trend The weekly charts could not be drawn for this file: The charts took too long to draw; try the "
        "download again in a minute. The figures above and below are complete." in text
    )
    assert "data:image/svg+xml" not in page
    report = weekly_report(sample_con, "Acme")
    assert format_value(report.current["revenue"], "money") in text


def test_the_review_says_when_it_was_made_beside_the_day_its_data_runs_to(sample_con) -> None:
    """Amazon restates its last 14 days: two copies of one week's review can differ, and the reader tells them apart
    by when each was made, at the top and at the foot."""
    report = replace(weekly_report(sample_con, "Acme"), made_at=datetime(2026, 12, 6, 7, 5, tzinfo=UTC))
    text = _text(report_html(report, []))
    assert "Data through Nov 14, 2026; made Dec 6, 2026 at 07:05 UTC." in text
    assert text.endswith("Made with Creator Lift on Dec 6, 2026 at 07:05 UTC, from the data sources listed above.")
    assert datetime.now(UTC) - weekly_report(sample_con, "Acme").made_at < timedelta(minutes=5)


def test_the_review_says_what_each_key_figure_means_as_the_apps_help_does(sample_con) -> None:
    """A reader who never opens the app cannot hover a help icon: is commission the bonus alone? The review ends
    with each card's definition, the same text as the app's, and the repeat window it was made with."""
    report = weekly_report(sample_con, "Acme", repeat_days=60)
    text = _text(report_html(report, []))
    terms = text.split("What the key figures mean", 1)[1]
    assert "Commission Bonus commission paid for those sales, summed." in terms
    for row in KPI_ROWS:
        for metric, _ in row:
            assert f"{REGISTRY[metric].label} {REGISTRY[metric].description}" in terms, metric
    assert "Here R is 60 days." in terms


@pytest.mark.browser
def test_on_a_phone_the_review_fits_the_screen_and_its_wide_tables_scroll_in_their_own_box(sample_con) -> None:
    """At 390 pixels the review was about 600 wide: its tables pushed the page out, so the reader scrolled the
    whole review sideways. The page now fits; a wide table scrolls inside its box, and prints whole. A chart drawn
    720 wide shrank to the screen, its 12-pixel text to 6: it is shown 600 wide, scrolled inside its own box."""
    from tests.browser_support import browser_page

    chart = '<svg xmlns="http://www.w3.org/2000/svg" width="720" height="360"><rect width="720" height="360"/></svg>'
    page_html = report_html(weekly_report(sample_con, "Acme"), [chart] * 4)
    with browser_page() as page:
        page.set_viewport_size({"width": 390, "height": 800})
        page.set_content(page_html)
        assert page.evaluate("document.documentElement.scrollWidth") == 390
        widths = page.evaluate("[...document.querySelectorAll('.scroll')].map(b => [b.clientWidth, b.scrollWidth])")
        assert widths and all(client <= 390 for client, _ in widths)
        assert any(inner > client for client, inner in widths)  # the data sources' six columns, at least
        charts = page.evaluate(
            "[...document.querySelectorAll('figure.chart')].map(f => [f.clientWidth, f.querySelector('img').width])"
        )
        assert charts and all(box <= 390 and image == 600 for box, image in charts), charts
        # Each chart opens on its title and left axis: opened on its latest weeks, the bars stood beside the right
        # axis alone. Its right part is the one out of view, as the sentence above the charts says.
        edges = page.evaluate(
            "[...document.querySelectorAll('figure.chart')].map(f => { const b = f.getBoundingClientRect(), "
            "i = f.querySelector('img').getBoundingClientRect(); return [Math.abs(i.left - b.left) <= 1, "
            "i.right > b.right]; })"
        )
        assert edges and all(left_shown and right_hidden for left_shown, right_hidden in edges), edges
        said = page.locator(".phone-only")
        assert said.count() == 1 and said.is_visible() and "slide it sideways" in said.inner_text()
        above = page.evaluate(
            "document.querySelector('.phone-only').getBoundingClientRect().bottom <= "
            "document.querySelector('figure.chart').getBoundingClientRect().top"
        )
        assert above
        page.set_viewport_size({"width": 1000, "height": 800})
        assert not said.is_visible()
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.scroll')).overflowX") == "visible"


def test_a_one_day_period_is_written_as_its_day() -> None:
    """A review of one day read "Dec 21 – Dec 21, 2025, compared with the day before (Dec 20 – Dec 20, 2025)"."""
    assert range_words(date(2025, 12, 21), date(2025, 12, 21)) == "Dec 21, 2025"
    assert range_words(date(2025, 12, 21), date(2025, 12, 27)) == "Dec 21 – Dec 27, 2025"
    assert range_words(date(2025, 12, 28), date(2026, 1, 3)) == "Dec 28, 2025 – Jan 3, 2026"


def test_the_reviews_top_products_carry_all_sales_and_the_creators_share_where_a_business_report_covers_them(
    sample_con,
) -> None:
    """A month's report is most asked for the share of each product's sales that came through creators: the
    Products page showed it beside a Business Report, the review left it out. Its top products now carry total
    revenue and the creators' share, as the Products page works them out; a store with no sales file has neither."""
    from analytics.metrics.sales import period_metrics

    report = weekly_report(sample_con, "Acme")
    scope = Scope(start=report.start, end=report.end)
    expected = period_metrics(sample_con, scope, ("asin",)).set_index("asin")
    shown = report.products.set_index("asin")
    assert shown["total_revenue"].notna().any()
    for asin in shown.index:
        for column in ("total_revenue", "creator_sales_share"):
            want = expected[column].get(asin)
            assert (pd.isna(want) and pd.isna(shown.loc[asin, column])) or shown.loc[asin, column] == want, asin
    text = _text(report_html(report, []))
    assert "Commission share Total revenue Creator share of sales" in text.split("Top products", 1)[1]


def test_a_review_without_a_sales_file_has_no_sales_columns(tiny) -> None:
    text = _text(report_html(weekly_report(tiny, "Acme"), []))
    assert "Creator share of sales" not in text


def test_the_report_command_reviews_a_calendar_month_by_its_name(tmp_path, capsys) -> None:
    """`--month 2026-03` is March's review, as the app's Last full month is: with data through Apr 1 it is the
    month's close ($180.00 of revenue, Mar 1 – Mar 31). Before April's data, it covers March's days so far and says
    so on stderr. A month before the data, a month with a week, and a date for a month are refused in one sentence."""
    db = tmp_path / "cli.duckdb"
    (tmp_path / "performance.csv").write_text(PERFORMANCE)
    assert main(["--db", str(db), "load", str(tmp_path / "performance.csv")]) == 0
    capsys.readouterr()
    out = tmp_path / "march.html"
    assert main(["--db", str(db), "report", "--month", "2026-03", "--out", str(out)]) == 0
    assert capsys.readouterr().err == (
        "note: the data runs to 2026-03-14: the review covers March's days so far, Mar 1 – Mar 14, 2026\n"
    )
    text = _text(out.read_text(encoding="utf-8"))
    assert "Mar 1 – Mar 14, 2026" in text and "$180.00" in text and "compared with the month before" not in text

    (tmp_path / "april.csv").write_text(PERFORMANCE.splitlines()[0] + "\n2026-04-01,Spring,maya,AAAAAAAAA1,5,1,10,1\n")
    assert main(["--db", str(db), "load", str(tmp_path / "april.csv")]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "report", "--month", "2026-03", "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    text = _text(out.read_text(encoding="utf-8"))
    assert "Mar 1 – Mar 31, 2026, compared with the month before" in text and "$180.00" in text

    for arguments, message in (
        (
            ["--month", "2026-02"],
            "error: the performance data starts on 2026-03-02, after February 2026 ends: give a month from 2026-03 on.",
        ),
        (["--month", "2026-03", "--week", "2026-03-08"], "error: give one period: --week and --month each name one"),
        (["--month", "2026-03", "--start", "2026-03-01"], "error: give one period: --month and --start/--end each"),
    ):
        assert main(["--db", str(db), "report", *arguments, "--out", str(tmp_path / "r.html")]) == 2
        assert capsys.readouterr().err.startswith(message)
    with pytest.raises(SystemExit):
        main(["--db", str(db), "report", "--month", "2026-03-01", "--out", str(tmp_path / "r.html")])
    assert "'2026-03-01' is not a month like 2026-10" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
