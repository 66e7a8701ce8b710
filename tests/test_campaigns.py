"""Campaign pacing: spend against budget, pace, days left, the run-out day and warnings; and the Campaigns page."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics.campaigns import campaign_pacing, ledger_notes, with_ledger_ends
from analytics.metrics.grouped import data_range
from tests.conftest import ROOT
from ui.notices import md

# Data through Mar 20, 2026 (the last performance day), so the pace window is Mar 07 – Mar 20.
# Spring (Mar 01 – Mar 31, budget $90): spent 30 + 28 + 14 = $72 (zoe's $50 on Feb 28 is before its start), revenue
#   300 + 200 + 100 = $600, share 72/600 = 12.0%, creators maya and leo = 2 (not 3). Pace: $42 over the 14 days of
#   the window = $3.00 a day (not 72/20 = $3.60 over the whole run); days left 31 − 20 = 11; projected 72 + 3 × 11
#   = $105 > $90; the $18 left lasts 18/3 = 6 days: runs out Mar 26, 5 days before its end (at $3.60 a day it would
#   be Mar 25).
# Flash (Mar 15 – Mar 24, budget $500): spent $10 over its 6 days so far, $1.666… a day (shown $1.67); 4 days left:
#   ends soon; projected 10 + 4 × 10 / 6 = $16.67 (from the pace in cents, 4 × $1.67, it read $16.68).
# Later (Apr 01 – Apr 10): not started, nothing spent, 10 days left (its own, not the 11 days' wait before it). Winter has rows but no ledger row.
PERFORMANCE = """\
date,campaign,creator,asin,clicks,orders,revenue,commission
2026-02-28,Spring,zoe,AAAAAAAAA1,5,1,100.00,50.00
2026-03-02,Spring,maya,AAAAAAAAA1,40,3,300.00,30.00
2026-03-05,Winter,maya,AAAAAAAAA1,5,1,40.00,4.00
2026-03-10,Spring,leo,AAAAAAAAA1,30,2,200.00,28.00
2026-03-16,Flash,leo,AAAAAAAAA1,20,1,50.00,10.00
2026-03-20,Spring,maya,AAAAAAAAA1,10,1,100.00,14.00
"""
LEDGER = """\
campaign,program,type,start,end,budget,bonus_rate
Spring,creator_connections,launch,2026-03-01,2026-03-31,90.00,10%
Flash,creator_connections,event,2026-03-15,2026-03-24,500.00,5%
Later,creator_connections,event,2026-04-01,2026-04-10,50.00,
"""


@pytest.fixture
def pacing(con, load_text) -> pd.DataFrame:
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER)
    return campaign_pacing(con).set_index("campaign")


def test_a_campaign_spending_faster_than_its_budget_allows_says_when_it_runs_out(pacing) -> None:
    spring = pacing.loc["Spring"]
    assert spring["status"] == "runs out early"
    assert spring["commission"] == pytest.approx(72.0)
    assert spring["revenue"] == pytest.approx(600.0)
    assert spring["commission_share"] == pytest.approx(0.12)
    assert spring["campaign_creators"] == 2
    assert spring["budget_used"] == pytest.approx(0.8)
    assert spring["budget_left"] == pytest.approx(18.0)
    assert spring["pace_per_day"] == pytest.approx(3.0)
    assert spring["days_left"] == 11
    assert spring["projected_spend"] == pytest.approx(105.0)
    assert spring["runs_out_on"] == date(2026, 3, 26)
    assert spring["bonus_rate"] == pytest.approx(0.10)
    assert spring["warning"] == (
        "Spring will spend its $90.00 budget by Mar 26, 2026 at its current pace ($3.00 a day over the 14 days to Mar "
        "20, 2026), 5 days before it ends on Mar 31, 2026: raise the budget or lower the bonus rate to keep creators "
        "paid to the end."
    )


def test_a_projection_on_half_a_cent_and_a_budget_lasting_exactly_to_the_end_are_read_as_written(
    con, load_text
) -> None:
    """Data through Mar 20, pace window Mar 7 – 20. Half spent 133.45 + 116.55 = $250.00, $116.55 of it in the
    window: $8.325 a day, 33 days left (to Apr 22), projected 250 + 8.325 × 33 = 524.725, $524.73, and its pace
    written $8.33 as the table shows it (both read one cent less from the floats 524.72499… and 8.32499…). Tie spent
    1,220.42 + 14.14 = $1,234.56 of $1,264.86: $30.30 left at $14.14 / 14 = $1.01 a day for 30 days lasts exactly
    to its end, Apr 19, which the floats read as running out early."""
    load_text(
        "performance.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-03-02,Half,maya,AAAAAAAAA1,10,1,1334.50,133.45\n2026-03-10,Half,maya,AAAAAAAAA1,10,1,1165.50,116.55\n"
        "2026-03-02,Tie,leo,AAAAAAAAA1,10,1,12204.20,1220.42\n2026-03-12,Tie,leo,AAAAAAAAA1,10,1,141.40,14.14\n"
        "2026-03-20,Other,zoe,AAAAAAAAA1,1,0,0,0\n",
    )
    load_text(
        "campaigns.csv",
        "campaign,program,type,start,end,budget,bonus_rate\n"
        "Half,creator_connections,launch,2026-03-02,2026-04-22,1000.00,10%\n"
        "Tie,creator_connections,launch,2026-03-02,2026-04-19,1264.86,10%\n",
    )
    pacing = campaign_pacing(con).set_index("campaign")
    half, tie = pacing.loc["Half"], pacing.loc["Tie"]
    assert (half["pace_per_day"], half["days_left"], half["projected_spend"]) == (pytest.approx(8.325), 33, 524.73)
    assert (tie["pace_per_day"], tie["days_left"], tie["budget_left"]) == (pytest.approx(1.01), 30, 30.3)
    assert tie["projected_spend"] == 1264.86 and pd.isna(tie["runs_out_on"]) and tie["status"] == "on track"
    assert pd.isna(tie["warning"])


def test_a_campaign_ending_within_a_week_reminds_that_creators_must_post_before_the_end(pacing) -> None:
    flash = pacing.loc["Flash"]
    assert flash["status"] == "ends soon"
    assert flash["pace_per_day"] == pytest.approx(10 / 6)  # every digit: the table shows $1.67
    assert flash["days_left"] == 4
    assert flash["projected_spend"] == 16.67  # 10 + 4 × 10 / 6 = 16.666…, in cents (not 4 × $1.67: 16.68)
    assert pd.isna(flash["runs_out_on"])
    assert "creators must post a content link before the end date to keep their bonus" in flash["warning"]
    assert flash["warning"].startswith("Flash ends on Mar 24, 2026, 4 days after the last day of data: ")


def test_a_campaign_ending_on_the_day_the_figures_run_to_says_so(con, load_text) -> None:
    """As of its own last day, Flash ended "0 days after Mar 20, 2026" (its end, Mar 20 here in the ledger)."""
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER.replace("2026-03-15,2026-03-24", "2026-03-15,2026-03-20"))
    flash = campaign_pacing(con, date(2026, 3, 20), "Mar 20, 2026").set_index("campaign").loc["Flash"]
    assert (flash["status"], flash["days_left"]) == ("ends soon", 0)
    assert flash["warning"].startswith("Flash ends on Mar 20, 2026, the day the figures run to: creators must post")


def test_a_campaign_begun_before_the_data_says_its_earlier_spend_is_not_loaded(con, load_text) -> None:
    """A year-long always-on campaign from Jan 1, in a store whose performance data starts on Feb 28: its $50 since
    then is 5 % of a $1,000 budget, which is not "on track" but a part of its spend."""
    load_text("performance.csv", PERFORMANCE)
    load_text(
        "campaigns.csv",
        LEDGER
        + "Always-on,creator_connections,always-on,2026-01-01,2026-12-31,1000.00,\n"
        + "New Year,creator_connections,event,2026-01-01,2026-01-07,300.00,\n",
    )
    pacing = campaign_pacing(con, today=date(2026, 3, 20)).set_index("campaign")
    always = pacing.loc["Always-on"]
    assert always["status"] == "earlier spend not loaded"
    assert always["commission"] == 0.0 and always["budget_used"] == 0.0
    assert always["warning"] == (
        "Always-on began on Jan 1, 2026, before the performance data starts on Feb 28, 2026: its spend before then is "
        "not loaded, so its budget used, pace and projection count only what the data holds. Upload its earlier "
        "performance reports to see its whole spend."
    )
    # Over before the data starts: its status says so, and no warning repeats it. None of its spend is loaded, so
    # its budget used, left and projected are unknown, not $0 spent of $300.
    new_year = pacing.loc["New Year"]
    assert new_year["status"] == "earlier spend not loaded" and pd.isna(new_year["warning"])
    assert all(pd.isna(new_year[c]) for c in ("budget_used", "budget_left", "projected_spend")), new_year
    # Begun on or after the data's first day, a campaign's spend is all there (Spring from Mar 1).
    assert pacing.loc["Spring", "status"] == "runs out early" and "not loaded" not in pacing.loc["Spring", "warning"]
    assert list(pacing.index).index("Always-on") < list(pacing.index).index("Later")  # before those on track


def test_a_campaign_begun_before_amazons_reports_reach_asks_only_for_the_spend_still_downloadable(
    con, load_text
) -> None:
    """Begun on Jun 1, 2025, with the data from Feb 28 to Mar 20, 2026, looked at on Mar 27: Amazon's reports reach
    back 90 days from the day they are downloaded, Mar 27, to Dec 28, 2025 (from the data's last day, it asked for
    reports from Dec 21, a week Amazon no longer has). Only the spend from then on can still be downloaded."""
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER + "Always-on,creator_connections,always-on,2025-06-01,2026-12-31,1000.00,\n")
    warning = campaign_pacing(con, today=date(2026, 3, 27)).set_index("campaign").loc["Always-on", "warning"]
    assert warning.endswith(
        "count only what the data holds. Upload its performance reports from Dec 28, 2025 on. Amazon's reports reach "
        "back 90 days, so its spend before Dec 28, 2025 can no longer be downloaded: to track the rest, lower its "
        "budget in the ledger by what it spent before then."
    )


def test_a_campaign_not_started_and_one_without_a_ledger_row_both_appear(pacing) -> None:
    later, winter = pacing.loc["Later"], pacing.loc["Winter"]
    assert (later["status"], later["commission"], later["days_left"]) == ("not started", 0.0, 10)
    assert pd.isna(later["projected_spend"]) and pd.isna(later["pace_per_day"])  # no pace yet: not $0
    assert pd.isna(later["warning"]) and pd.isna(later["commission_share"])
    assert winter["status"] == "no ledger row"
    assert (winter["commission"], winter["revenue"], winter["campaign_creators"]) == (4.0, 40.0, 1)
    assert pd.isna(winter["budget"]) and pd.isna(winter["warning"])
    # Its last day of spend is no end date: the page and the review show none, as they show Later's own.
    shown = with_ledger_ends(pacing)
    assert pd.isna(shown.loc["Winter", "end"]) and shown.loc["Later", "end"] == date(2026, 4, 10)


def test_spend_outside_the_ledger_dates_and_a_share_off_the_bonus_rate_are_named(con, load_text) -> None:
    """zoe's $50 on Feb 28 is Spring's but before its Mar 1 start. Spring's commission is 72 / 600 = 12.0 % of its
    revenue against the ledger's 10 %: two points, named. Flash pays 20 % against 5 %, but over $50 of revenue, under
    the $100 a rate is judged on; Later has no rate."""
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER)
    as_of = date(2026, 3, 20)
    assert ledger_notes(con, campaign_pacing(con, as_of), as_of) == [
        "Spring: $50.00 of commission is dated outside its ledger dates (Mar 1, 2026 to Mar 31, 2026) and is not "
        "counted against its budget. Check the ledger's dates.",
        "Spring: its commission is 12.0% of its revenue, against the ledger's 10.0% bonus rate. Check the bonus rate "
        "set in Creator Connections against the ledger.",
    ]


def test_a_campaign_that_ended_over_its_budget_is_named_for_four_weeks(con, load_text) -> None:
    """Flash (Mar 15 - 24, budget $500) with a $20 budget instead: $10 on Mar 16 and $25 on Mar 20 = $35, 175.0 %.
    Named until Apr 21, 28 days after its end; not after, though its status still says it ended over budget."""
    load_text("performance.csv", PERFORMANCE + "2026-03-20,Flash,maya,AAAAAAAAA1,5,1,100.00,25.00\n")
    load_text("campaigns.csv", LEDGER.replace("2026-03-24,500.00", "2026-03-24,20.00"))
    flash = campaign_pacing(con, date(2026, 4, 21)).set_index("campaign").loc["Flash"]
    assert flash["status"] == "ended over budget"
    assert flash["warning"] == (
        "Flash ended on Mar 24, 2026 having spent $35.00, 175.0% of its $20.00 budget: reconcile the $15.00 over it "
        "before the month closes."
    )
    later = campaign_pacing(con, date(2026, 4, 22)).set_index("campaign").loc["Flash"]
    assert pd.isna(later["warning"]) and later["status"] == "ended over budget"


def test_a_running_campaign_over_its_budget_says_by_how_much(con, load_text) -> None:
    """Flash (Mar 15 - 24) with an $8 budget: $10 spent by Mar 20, $2.00 over, 4 days to go."""
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER.replace("2026-03-24,500.00", "2026-03-24,8.00"))
    flash = campaign_pacing(con, date(2026, 3, 20)).set_index("campaign").loc["Flash"]
    assert flash["status"] == "over budget"
    assert flash["warning"].startswith("Flash has spent $10.00, $2.00 over its $8.00 budget, with 4 days to go.")


def test_a_campaign_over_its_budget_on_its_last_day_the_datas_is_to_reconcile(con, load_text) -> None:
    """Flash (Mar 15 - 20 here) with an $8 budget has spent $10 by Mar 20, its last day and the data's: a month's close
    with the month's data in. It said "with 0 days to go"; its spend is whole, so it says what ended ones say: 125.0%
    of the budget, $2.00 to reconcile."""
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER.replace("2026-03-15,2026-03-24,500.00", "2026-03-15,2026-03-20,8.00"))
    flash = campaign_pacing(con, date(2026, 3, 20), "Mar 20, 2026").set_index("campaign").loc["Flash"]
    assert flash["status"] == "over budget"
    assert flash["warning"].startswith(
        "Flash ends on Mar 20, 2026, the day the figures run to, having spent $10.00, 125.0% of its $8.00 budget: "
        "reconcile the $2.00 over it before the month closes."
    )
    assert "days to go" not in flash["warning"]


def test_commission_without_a_campaign_is_named_beside_the_campaigns(con, load_text) -> None:
    """A file without a campaign column: its $6.84 is in the total commission and in no campaign's row."""
    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER)
    load_text(
        "no_campaign.csv",
        "date,creator,asin,clicks,orders,revenue,commission\n2026-03-15,nia,AAAAAAAAA2,10,2,56.98,6.84\n",
    )
    as_of = date(2026, 3, 20)
    assert (
        "$6.84 of commission on 1 performance row has no campaign (a file without a campaign column, or with the "
        "cell empty), so no campaign above counts it; the total commission on the other pages does."
    ) in ledger_notes(con, campaign_pacing(con, as_of), as_of)


def test_campaigns_that_need_a_look_come_first(pacing) -> None:
    assert list(pacing.index) == ["Spring", "Flash", "Later", "Winter"]


def expected_as_of(con) -> date:
    span = data_range(con)
    assert span is not None
    return span[1]


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_campaigns_page_shows_the_engines_pacing_and_warnings_for_the_sample(
    app_env, sample_con, monkeypatch
) -> None:
    """The sample's Always-on budget runs out before the year ends, and its launch ends within a week. The spend
    since each start is headed "Commission to date", apart from the period's commission at the foot of the page; the
    CSV keeps the ledger's own values, which the table and the Excel file write as words."""
    from ui import tables

    downloads: dict[str, tuple[pd.DataFrame, Any, Any]] = {}  # key -> the table's rows, its headers, the CSV's
    real = tables.download

    def recorded(frame: pd.DataFrame, file_name: str, key: str, **options: Any) -> None:
        downloads[key] = (frame, options.get("headers"), options.get("exact"))
        real(frame, file_name, key, **options)

    monkeypatch.setattr(tables, "download", recorded)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]

    expected = campaign_pacing(sample_con)
    shown = at.dataframe[0].value
    assert shown["campaign"].tolist() == expected["campaign"].tolist()
    for column in ("commission", "budget", "budget_left", "pace_per_day", "projected_spend", "revenue"):
        pd.testing.assert_series_equal(shown[column], expected[column], check_names=False, rtol=1e-9)
    assert shown["days_left"].tolist() == expected["days_left"].tolist()
    # The engine's words as people read them.
    assert shown["status"].tolist() == [status.capitalize() for status in expected["status"]]
    assert set(shown["program"].dropna()) == {"Creator Connections"}
    assert [w.value for w in at.warning] == [md(w) for w in expected["warning"].dropna()]
    notes = ledger_notes(sample_con, expected, expected_as_of(sample_con))
    assert notes and all(any(md(note) in c.value for c in at.caption) for note in notes)
    always_on = expected.set_index("campaign").loc["Always-on"]
    assert always_on["status"] == "runs out early" and always_on["runs_out_on"] < date(2026, 12, 31)
    launch = expected.set_index("campaign").loc["Launch: Electrolyte Sticks"]
    assert launch["status"] == "ends soon"
    # The money first: at a laptop's width the pace, projection and run-out day stood past the table's right edge.
    order = list(at.dataframe[0].proto.column_order)
    assert order.index("runs_out_on") < order.index("program") and order[:2] == ["campaign", "status"]
    # A campaign the ledger lacks shows its first day of spend as its start: the column says so.
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["start"]["help"] == (
        "The campaign's start in your ledger; for a campaign not in it, its first day of spend."
    )
    assert columns["commission"]["label"] == "Commission to date"
    assert (columns["revenue"]["label"], columns["commission_share"]["label"]) == (
        "Revenue to date",
        "Commission share to date",
    )
    table, headers, csv = downloads["campaigns_table_download"]
    assert headers["commission"] == "Commission to date"
    assert set(table["program"].dropna()) == {"Creator Connections"}
    assert set(csv["program"].dropna()) == {"creator_connections"}
    assert csv["status"].tolist() == expected["status"].tolist()
    assert "always-on" in set(csv["type"])
    # A filed copy keeps each campaign's warning with its row, as the command line's table does.
    assert table["warning"].fillna("").tolist() == expected["warning"].fillna("").tolist()
    assert headers["warning"] == "Warning" and list(table.columns)[-1] == "warning"


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_campaigns_page_gives_last_months_spend_by_campaign_adding_up_to_its_totals(app_env, sample_con) -> None:
    """Finance closing October asks what each campaign cost in it: the period's table, highest commission first,
    sums to the month's totals (every campaign's commission on October's days, whatever its ledger dates)."""
    from analytics.metrics.grouped import Scope, grouped_metrics, totals

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "Last full month"
    at.run()
    at.switch_page("pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(frame.value for frame in at.dataframe if "conversion_rate" in frame.value.columns)
    october = Scope(start=date(2026, 10, 1), end=date(2026, 10, 31))
    expected = grouped_metrics(sample_con, october, ("campaign",)).sort_values("commission", ascending=False)
    assert shown["campaign"].tolist() == expected["campaign"].tolist()
    assert shown["commission"].tolist() == pytest.approx(expected["commission"].tolist())
    month = totals(sample_con, october)
    assert shown["commission"].sum() == pytest.approx(month["commission"])
    assert shown["revenue"].sum() == pytest.approx(month["revenue"])
    assert any(c.value.startswith("Revenue and commission per campaign over Oct 1 – Oct 31, 2026") for c in at.caption)
    # The total the month's close reconciles, under the table, as the Overview's cards give it.
    total = f"**Total:** ${month['revenue']:,.2f} of revenue, ${month['commission']:,.2f} of commission ("
    assert any(c.value.startswith(total) for c in at.caption), [c.value for c in at.caption]


def test_the_weekly_report_carries_the_campaign_warnings(con, load_text) -> None:
    from analytics.present.report import weekly_report
    from analytics.present.report_page import report_html

    load_text("performance.csv", PERFORMANCE)
    load_text("campaigns.csv", LEDGER)
    # The report paces campaigns as of the last day of data, as the Campaigns page does.
    page = report_html(weekly_report(con, "Acme", period=(date(2026, 3, 14), date(2026, 3, 20))), [])
    assert "<h2>Campaigns</h2>" in page
    assert "Spring will spend its $90.00 budget by Mar 26, 2026" in page
    assert "creators must post a content link before the end date to keep their bonus" in page


def test_with_several_programs_a_ledger_note_names_the_campaigns_program(con, load_text) -> None:
    """Spring runs in Creator Connections and in Levanta: Levanta's $5.00 before its Mar 1 start is named as its."""
    load_text(
        "performance.csv",
        "date,program,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-02-27,levanta,Spring,maya,AAAAAAAAA1,5,1,50.00,5.00\n"
        "2026-03-02,levanta,Spring,maya,AAAAAAAAA1,5,1,50.00,5.00\n"
        "2026-03-02,creator_connections,Spring,maya,AAAAAAAAA1,5,1,50.00,5.00\n",
    )
    load_text(
        "campaigns.csv",
        "campaign,program,type,start,end,budget,bonus_rate\n"
        "Spring,creator_connections,launch,2026-03-01,2026-03-31,90.00,\n"
        "Spring,levanta,launch,2026-03-01,2026-03-31,90.00,\n",
    )
    as_of = date(2026, 3, 2)
    assert ledger_notes(con, campaign_pacing(con, as_of), as_of) == [
        "Spring (Levanta): $5.00 of commission is dated outside its ledger dates (Mar 1, 2026 to Mar 31, 2026) and is "
        "not counted against its budget. Check the ledger's dates."
    ]


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_day_the_budgets_stand_on_travels_in_the_link(app_env, sample_con) -> None:
    """A month's close sent as a link opens on its day: ?as_of=2026-10-31 shows each campaign's commission to Oct
    31; a day picked is written into the link, the last day of data leaves it, and a day past the data is held to
    its last day."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-10-31"
    at.run()
    at.switch_page("pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="campaigns_as_of_demo").value == date(2026, 10, 31)
    expected = campaign_pacing(sample_con, date(2026, 10, 31), "Oct 31, 2026")
    pd.testing.assert_series_equal(at.dataframe[0].value["commission"], expected["commission"], check_names=False)
    at.date_input(key="campaigns_as_of_demo").set_value(date(2026, 10, 15)).run()
    assert at.query_params["as_of"] == "2026-10-15"
    at.date_input(key="campaigns_as_of_demo").set_value(expected_as_of(sample_con)).run()
    assert "as_of" not in at.query_params
    later = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    later.query_params["as_of"] = "2099-01-01"
    later.run()
    later.switch_page("pages/campaigns.py").run()
    assert later.date_input(key="campaigns_as_of_demo").value == expected_as_of(sample_con)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_campaigns_page_stands_the_budgets_on_an_earlier_day_for_a_months_close(app_env, sample_con) -> None:
    """Closing October once November's data is loaded: as of Oct 31, each campaign's commission to date, pace and
    warnings are those of that day (the command line's campaigns --as-of 2026-10-31), and the warnings name it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/campaigns.py").run()
    assert at.date_input(key="campaigns_as_of_demo").value == expected_as_of(sample_con)
    at.date_input(key="campaigns_as_of_demo").set_value(date(2026, 10, 31)).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = campaign_pacing(sample_con, date(2026, 10, 31), "Oct 31, 2026")
    shown = at.dataframe[0].value
    assert shown["campaign"].tolist() == expected["campaign"].tolist()
    pd.testing.assert_series_equal(shown["commission"], expected["commission"], check_names=False, rtol=1e-9)
    assert [w.value for w in at.warning] == [md(w) for w in expected["warning"].dropna()]
    assert any("over the 14 days to Oct 31, 2026" in w.value for w in at.warning)
    assert any(c.value.startswith("Commission spent up to Oct 31, 2026 against each") for c in at.caption)
