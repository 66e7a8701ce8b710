"""The files brands actually have: Business Reports, Vendor Central sales, Brand Analytics search and repeat purchase
(CSV and SP-API JSON) load as they are downloaded, and their metrics are worked out by hand below."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.__main__ import main
from analytics.contract import parsing
from analytics.ingest.layout import FileRejectedError
from analytics.ingest.overlap import OverlapError
from analytics.ingest.report_periods import PeriodNeededError, last_complete_week, stated_facts
from analytics.ingest.uploads import csv_template
from analytics.metrics.grouped import Scope
from analytics.metrics.sales import beside, brand_pattern, left_out_rows, period_metrics, suggested_brand_terms
from analytics.store.brand_terms import brand_terms, set_brand_terms
from analytics.store.changes import load_file, unload
from analytics.store.database import open_store, row_counts

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
WEEK_27 = (date(2026, 6, 28), date(2026, 7, 4))


def table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(f"select * exclude (load_id) from {name} order by all").df()


# --- Loading the real layouts with no flags -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "period", "expected"),
    [
        # (Child) ASIN, not (Parent) ASIN; "1,841" sessions; "$3,051.48"; "98.60%" Buy Box.
        ("business_report_child_item_new.csv", WEEK_27, ("B0C1234567", 3051.48, 212, 1841, 0.986)),
        # The older era's names: Sessions, Buy Box Percentage ("97%").
        ("business_report_child_item_old.csv", WEEK_27, ("B0C1234567", 2605.19, 181, 1512, 0.97)),
        # A BOM, rupees with Indian digit grouping.
        ("business_report_inr.csv", WEEK_27, ("B0C9876543", 305148.87, 818, 9418, 0.991)),
    ],
)
def test_a_business_report_loads_with_the_period_given(con, file, period, expected) -> None:
    result = load_file(con, LAYOUTS / file, file, period=period)
    assert (result.kind, result.added) == ("sales", 3)
    row = con.execute(
        "select asin, cast(total_revenue as double), total_units, sessions, buy_box_pct, period_start, period_end "
        "from sales where asin = $a",
        {"a": expected[0]},
    ).fetchone()
    assert row is not None
    assert row[:4] == expected[:4]
    assert row[4] == pytest.approx(expected[4])
    assert (row[5], row[6]) == period


def test_a_business_report_loaded_for_a_given_period_says_the_period_once_before_the_new_asins(con) -> None:
    """Every row takes the period given, so its dates are that period: said once, where a file's dates would be."""
    result = load_file(con, LAYOUTS / "business_report_child_item_new.csv", "br.csv", period=WEEK_27)
    period = f"period {WEEK_27[0].isoformat()} to {WEEK_27[1].isoformat()} (given)"
    assert result.notes[:2] == [period, "new ASINs: B0C1234567, B0C1234568, B0D7654321"], result.notes
    assert not [note for note in result.notes if note.startswith("dates ")]


def test_a_business_report_without_a_period_is_refused_with_a_question_and_changes_nothing(con) -> None:
    before = row_counts(con)
    with pytest.raises(PeriodNeededError) as refused:
        load_file(con, LAYOUTS / "business_report_child_item_new.csv", "br.csv")
    message = str(refused.value)
    assert message.startswith("br.csv: ") and "--period START:END" in message and "Data page" in message
    assert row_counts(con) == before
    assert con.execute("select count(*) from loads").fetchone() == (0,)


def test_a_business_report_that_would_be_refused_whatever_its_period_is_refused_before_it_is_asked(
    con, tmp_path
) -> None:
    """A Business Report with a broken cell, a repeated ASIN, or pounds in a dollar brand asked its period first;
    the person chose the week, then was told to mend the file and was asked again once it was. The refusal comes
    first now, and changes nothing; a file whose cells pass is asked its period as before."""
    load_file(con, LAYOUTS / "business_report_child_item_new.csv", "week.csv", period=WEEK_27)
    before = row_counts(con)
    header = BUY_BOX_HEADER
    cases = {
        "broken.csv": (
            header + 'B0C1234567,"$1,234.56",12,300,95%\nB0C1234568,$99.00,1O,40,90%\n',
            "broken.csv, line 3, column 'Units Ordered': '1O'",
        ),
        "twice.csv": (
            header + "B0C1234567,$10.00,1,30,95%\nB0C1234567,$12.00,2,40,90%\n",
            "twice.csv, lines 2 and 3: both rows have the same (Child) ASIN (B0C1234567)",
        ),
        "pounds.csv": (
            header + "B0C1234567,£10.00,1,30,95%\n",
            "pounds.csv, line 2, column 'Ordered Product Sales': '£10.00': its amounts are in £",
        ),
    }
    for name, (text, said) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(FileRejectedError) as refused:
            load_file(con, path, name)
        assert type(refused.value) is FileRejectedError and str(refused.value).startswith(said), str(refused.value)
        assert row_counts(con) == before
    good = tmp_path / "good.csv"
    good.write_text(header + "B0C1234567,$10.00,1,30,95%\n", encoding="utf-8")
    with pytest.raises(PeriodNeededError):
        load_file(con, good, "good.csv")
    assert row_counts(con) == before and con.execute("select count(*) from loads").fetchone() == (1,)


def test_a_report_giving_its_last_day_alone_is_asked_its_period_not_refused_for_it(con, tmp_path) -> None:
    """A Search Query Performance CSV whose title line was cut off gives a Reporting Date and no start: read under a
    stand-in period to check its cells first, its rows' periods ended before the stand-in began, and it was refused
    ("the row's period ends before it starts") where it should be asked its period, which loads it."""
    path = tmp_path / "sqp.csv"
    path.write_text(
        '"Search Query","Search Query Volume","Clicks: Total Count","Clicks: Brand Count","Reporting Date"\n'
        '"whey protein","1000","300","20","2026-05-23"\n"protein bars","500","100","5","2026-05-23"\n'
    )
    with pytest.raises(PeriodNeededError):
        load_file(con, path, "sqp.csv")
    assert load_file(con, path, "sqp.csv", period=(date(2026, 5, 17), date(2026, 5, 23))).added == 2


BUY_BOX_HEADER = (
    "(Child) ASIN,Ordered Product Sales,Units Ordered,Sessions - Total,Featured Offer (Buy Box) Percentage\n"
)


def _buy_boxes(con, tmp_path, rows: str) -> tuple[list[str], dict[str, float]]:
    """A week's Business Report of `rows` under BUY_BOX_HEADER, loaded: its notes, and each ASIN's Buy Box stored."""
    path = tmp_path / "br.csv"
    path.write_text(BUY_BOX_HEADER + rows, encoding="utf-8")
    notes = load_file(con, path, "br.csv", period=WEEK_27).notes
    return notes, dict(con.execute("select asin, buy_box_pct from sales").fetchall())


def test_a_buy_box_percentage_written_as_a_plain_number_is_read_in_percent(con, tmp_path) -> None:
    """Tools built on Amazon's API head the Buy Box "Percentage" and write 87.50 for 87.5 %; Seller Central's own
    98.60% reads the same under it, and a fraction (0.5) written by other tools stays a fraction."""
    notes, stored = _buy_boxes(
        con, tmp_path, "B0C1234567,$100.00,4,200,87.50\nB0C1234568,$50.00,2,100,98.60%\nB0C1234569,$10.00,1,50,0.5\n"
    )
    assert (
        "'Featured Offer (Buy Box) Percentage' read in percent where over 1, as its header says percent (87.5 = 87.5 %, "
        "0.875 = 87.5 %)" in notes
    )
    assert stored == {
        "B0C1234567": pytest.approx(0.875),
        "B0C1234568": pytest.approx(0.986),
        "B0C1234569": pytest.approx(0.5),  # a fraction, as other tools write it
    }


def test_a_buy_box_column_of_fractions_alone_needs_no_percent_note(con, tmp_path) -> None:
    """A Business Report saved from Excel keeps its percent cells as fractions (0.9125): no number is over 1, the
    percent rule never applies, and a note on it would only puzzle."""
    notes, stored = _buy_boxes(con, tmp_path, "B0C1234567,100.00,4,200,0.9125\nB0C1234568,50.00,2,100,1\n")
    assert not [note for note in notes if "read in percent" in note], notes
    assert stored == {"B0C1234567": pytest.approx(0.9125), "B0C1234568": pytest.approx(1.0)}


@pytest.mark.parametrize("sessions", ["200", "1,867"], ids=["read plain", "read staged"])
def test_a_buy_box_whose_every_cell_carries_its_own_percent_sign_gets_no_note_about_bare_numbers(
    con, tmp_path, sessions
) -> None:
    """Seller Central's Business Report writes "93.75%": the cells say percent themselves, so the note on how a bare
    number under a "Percentage" header is read would only puzzle. A blank cell does not bring it back; the staged read
    (a session count written "1,867" sends the file that way) decides the same."""
    notes, stored = _buy_boxes(
        con,
        tmp_path,
        f'B0C1234567,$100.00,4,"{sessions}",93.75%\nB0C1234568,$50.00,2,100, 100.00% \nB0C1234569,$10.00,1,50,\n',
    )
    assert not [note for note in notes if "Buy Box" in note], notes
    assert stored == {"B0C1234567": pytest.approx(0.9375), "B0C1234568": pytest.approx(1.0), "B0C1234569": None}


def test_an_asin_twice_in_a_business_report_is_named_by_the_files_header_not_the_period_it_was_given(
    con, tmp_path
) -> None:
    """One child ASIN sold under two SKUs: the refusal names the file's "(Child) ASIN" and the ASIN, and leaves out the
    period, which the load was given and every row shares."""
    path = tmp_path / "br.csv"
    path.write_text(
        "(Child) ASIN,SKU,Ordered Product Sales,Units Ordered,Sessions - Total\n"
        "B0C1234567,KES-1,$50.00,10,1867\nB0C1234567,KES-1-FBM,$5.00,1,12\n",
        encoding="utf-8",
    )
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "br.csv", period=WEEK_27)
    assert str(refused.value) == (
        "br.csv, lines 2 and 3: both rows have the same (Child) ASIN (B0C1234567); each may appear once in a file."
    )
    assert row_counts(con)["sales"] == 0


def test_reports_stacked_under_a_date_column_a_week_apart_are_a_load_to_check(con, tmp_path) -> None:
    """Four weekly Business Reports stacked into one file with a Date column of each week's Sunday: each row is read
    as its one day's sales, so the creators' share is that day's creator sales over a week's total, about a seventh.
    The load says so and is marked to check; daily rows, one day apart, are not."""
    header = "Date,(Child) ASIN,Ordered Product Sales,Units Ordered\n"
    weeks = "".join(f"{day},{A},$700.00,7\n" for day in ("1/4/2026", "1/11/2026", "1/18/2026", "1/25/2026"))
    (tmp_path / "stacked.csv").write_text(header + weeks)
    result = load_file(con, tmp_path / "stacked.csv")
    assert result.cautions == [
        "each row is read as the sales of its one day, and the days are 7 days apart: if each row sums up the 7 days "
        "from or to its date (reports stacked in one file), its creators' share reads far too low; load each report "
        "on its own with its period, or give the rows their Start and End Date columns"
    ]
    # Months stacked the same way (Jun 1, Jul 1, Aug 1: 30 and 31 days apart) are said too.
    months = "".join(f"{day},{C},$9000.00,90\n" for day in ("6/1/2026", "7/1/2026", "8/1/2026"))
    (tmp_path / "months.csv").write_text(header + months)
    assert (
        load_file(con, tmp_path / "months.csv")
        .cautions[0]
        .startswith(
            "each row is read as the sales of its one day, and the days are 30 to 31 days apart: if each row sums up the "
            "days from or to its date"
        )
    )
    days = "".join(f"1/{day}/2026,{B},$100.00,1\n" for day in range(4, 11))
    (tmp_path / "daily.csv").write_text(header + days)
    assert load_file(con, tmp_path / "daily.csv").cautions == []


def test_a_week_that_is_not_sunday_to_saturday_is_said_to_stay_out_of_the_weekly_views(con, tmp_path) -> None:
    """A Business Report downloaded for Monday Nov 9 to Sunday Nov 15 lies in no Sunday–Saturday week: it loads, and
    says the weekly charts will leave it out. Sunday to Saturday, or a month, says nothing."""
    path = tmp_path / "br.csv"
    path.write_text("(Child) ASIN,Ordered Product Sales,Units Ordered,Sessions - Total\nB0C1234567,$100.00,4,200\n")
    notes = load_file(con, path, "br.csv", period=(date(2026, 11, 9), date(2026, 11, 15))).notes
    assert (
        "1 row covers a week that is not Sunday to Saturday (such as 2026-11-09 to 2026-11-15): weekly charts and "
        "tables leave it out, as a row counts in the week its period lies in; Amazon's reporting weeks run Sunday to "
        "Saturday"
    ) in notes
    for units, period in ((5, (date(2026, 11, 1), date(2026, 11, 7))), (6, (date(2026, 10, 1), date(2026, 10, 31)))):
        path.write_text(
            f"(Child) ASIN,Ordered Product Sales,Units Ordered,Sessions - Total\nB0C1234567,$100.00,{units},200\n"
        )
        notes = load_file(con, path, f"br-{period[0]}.csv", period=period).notes
        assert not any("not Sunday to Saturday" in note for note in notes)


def test_a_period_given_never_overrides_the_files_own_or_reuses_a_file_loaded_for_another(con, tmp_path) -> None:
    """The Vendor report states July (`Viewing Range`): a week of November given with it is refused, and July given
    is July. A Business Report, which states none, loaded for week 27 and then again for the week after, is refused
    naming the load and its period; again for week 27 it adds nothing and says how to load it for another."""
    vendor = LAYOUTS / "vendor_sales.csv"
    # Amazon.in's report, in rupees: a brand of its own beside the dollars of the Business Reports below.
    india = open_store(tmp_path / "india.duckdb")
    with pytest.raises(
        FileRejectedError, match=r"states its own period, 2026-07-01 to 2026-07-31 \(line 1\), which differs from"
    ):
        load_file(india, vendor, "vendor.csv", period=(date(2026, 11, 8), date(2026, 11, 14)))
    assert india.execute("select count(*) from sales").fetchone() == (0,)
    assert load_file(india, vendor, "vendor.csv", period=(date(2026, 7, 1), date(2026, 7, 31))).added == 4
    report = LAYOUTS / "business_report_child_item_new.csv"
    first = load_file(con, report, "br.csv", period=WEEK_27)
    before = row_counts(con)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, report, "br.csv", period=(date(2026, 7, 5), date(2026, 7, 11)))
    assert str(refused.value) == (
        f"br.csv: this file is already loaded as load {first.load_id}, for 2026-06-28 to 2026-07-04. To load it for "
        f"2026-07-05 to 2026-07-11 instead, undo load {first.load_id} first; nothing was changed."
    )
    assert row_counts(con) == before
    again = load_file(con, report, "br.csv")
    assert again.summary() == (
        f"br.csv: sales, 0 added, 0 updated, 3 unchanged; already loaded as load {first.load_id} for 2026-06-28 to "
        f"2026-07-04, nothing was added. To load it for another period, undo load {first.load_id} first."
    )
    # A file stating its own period, above its header or in its columns, is only ever loaded for it: again, with
    # or without a period, it adds nothing.
    dated = tmp_path / "dated.csv"
    dated.write_text(
        "period_start,period_end,asin,total_revenue,total_units\n2026-08-02,2026-08-08,B0C1234567,10.00,1\n",
        encoding="utf-8",
    )
    load_file(con, dated, "dated.csv")
    for store, file, rows in ((india, vendor, 4), (con, dated, 1)):
        for period in (None, (date(2026, 11, 8), date(2026, 11, 14))):
            said = load_file(store, file, file.name, period=period).summary()
            assert f"sales, 0 added, 0 updated, {rows} unchanged; already loaded as load" in said
            assert said.endswith(", nothing was added.")
    india.close()


def test_vendor_sales_take_the_day_first_viewing_range_and_keep_net_returns(con) -> None:
    """`Viewing Range=[01/07/26 - 31/07/26]`: 31 shows the dates are day first, so the period is July. A row whose
    returns exceed its orders keeps its negative revenue and units; a row of blanks is a row of zeros and nulls."""
    result = load_file(con, LAYOUTS / "vendor_sales.csv", "vendor.csv")
    assert (result.kind, result.added) == ("sales", 4)
    rows = table(con, "sales")
    assert set(rows["period_start"].dt.date) == {date(2026, 7, 1)}
    assert set(rows["period_end"].dt.date) == {date(2026, 7, 31)}
    returned = rows[rows["asin"] == "B0DFGHJK34"].iloc[0]
    assert (float(returned["total_revenue"]), int(returned["total_units"])) == (-379.04, -2)
    assert float(rows[rows["asin"] == "B0C9876543"]["total_revenue"].iloc[0]) == 305148.87
    assert rows["sessions"].isna().all()
    assert period_metrics(con, Scope(), ("asin",))["sessions"].tolist() == [0, 0, 0, 0]


def test_search_query_performance_takes_its_week_from_the_reporting_range_and_date(con) -> None:
    """Brand View: `Reporting Range=["Weekly"]` and `Reporting Date` 2026-07-04 give the week Jun 28 - Jul 4; the
    Brand counts are the brand's, and the rows have no ASIN."""
    result = load_file(con, LAYOUTS / "sqp_brand_view.csv", "sqp.csv")
    assert (result.kind, result.added) == ("search", 3)
    row = con.execute(
        "select period_start, period_end, search_query_volume, impressions_total, impressions_brand, clicks_total, "
        "clicks_brand, purchases_total, purchases_brand, asin from search where search_query = 'acme protein powder'"
    ).fetchone()
    assert row == (*WEEK_27, 1840, 21512, 14210, 2604, 2021, 388, 352, None)


def test_the_asin_view_takes_its_asin_from_the_line_above_the_header(con) -> None:
    load_file(con, LAYOUTS / "sqp_asin_view.csv", "sqp_asin.csv")
    rows = table(con, "search")
    assert set(rows["asin"]) == {"B0C1234567"}
    clicks = rows.set_index("search_query")["clicks_brand"].to_dict()
    assert clicks == {"acme protein powder": 1402, "whey protein powder": 2008, "vanilla whey protein": 610}


def test_repeat_purchase_percentages_are_plain_numbers_in_percent(con) -> None:
    """Brand Analytics writes `10.84` under "Repeat Customer Share: % Share of Total Customers": 10.84 %, stored
    as the fraction 0.1084 (not 10.84, not 0.001084)."""
    result = load_file(con, LAYOUTS / "repeat_purchase.csv", "repeat.csv")
    assert (result.kind, result.added) == ("repeat_purchase", 3)
    # The example is said as one ("a cell of"): a file without any 10.84 read it as a figure of its own.
    assert (
        "'Repeat Customer Share: % Share of Total Customers' read in percent, as the % in its header says (a cell of "
        "10.84 is 10.84 %)"
    ) in result.notes
    rows = table(con, "repeat_purchase").set_index("asin")
    assert rows.loc["B0C1234567", "repeat_customers_pct"] == pytest.approx(0.1084)
    assert rows.loc["B0C1234567", "unique_customers"] == 203
    assert rows.loc["B0C1234567", "orders"] == 214
    assert float(rows.loc["B0C1234567", "repeat_purchase_revenue"]) == 1079.73
    assert set(rows["period_start"].dt.date) == {WEEK_27[0]}


def test_the_sp_api_json_loads_the_same_rows_as_the_csv(con) -> None:
    """The JSON's week 27 rows equal the CSV's (its shares are already fractions); its second week adds two."""
    load_file(con, LAYOUTS / "repeat_purchase.csv", "repeat.csv")
    result = load_file(con, LAYOUTS / "repeat_purchase_spapi.json", "repeat.json")
    assert (result.kind, result.added, result.updated, result.unchanged) == ("repeat_purchase", 2, 0, 2)
    second = con.execute(
        "select asin, unique_customers, repeat_customers_pct from repeat_purchase "
        "where period_start = date '2026-07-05' order by asin"
    ).fetchall()
    assert second == [("B0C1234567", 219, pytest.approx(0.1142)), ("B0D7654321", 70, 0.0)]


def test_a_share_written_in_percent_and_as_a_fraction_is_the_same_share(con, tmp_path) -> None:
    """The CSV's 11.11 (percent) read as 0.11109999999999999, the JSON's 0.1111 as 0.1111: the same week loaded from
    the other file said its row was updated, as if Amazon had restated it."""
    csv_text = (LAYOUTS / "repeat_purchase.csv").read_text().replace('"10.84"', '"11.11"')
    json_text = (LAYOUTS / "repeat_purchase_spapi.json").read_text().replace("0.1084,", "0.1111,")
    (tmp_path / "repeat.csv").write_text(csv_text)
    (tmp_path / "repeat.json").write_text(json_text)
    load_file(con, tmp_path / "repeat.csv")
    stored = con.execute("select repeat_customers_pct from repeat_purchase where asin = 'B0C1234567'").fetchone()
    assert stored == (0.1111,)
    result = load_file(con, tmp_path / "repeat.json")
    assert (result.added, result.updated, result.unchanged) == (2, 0, 2)


def test_a_bad_value_in_an_sp_api_report_is_named_by_its_record_and_field(con, tmp_path) -> None:
    """Line 3 of the CSV the report is read into is nowhere in the JSON: the refusal names dataByAsin's second
    record and the field as the report writes it."""
    document = json.loads((LAYOUTS / "repeat_purchase_spapi.json").read_text())
    document["dataByAsin"][1]["uniqueCustomers"] = -5
    path = tmp_path / "repeat.json"
    path.write_text(json.dumps(document, indent=2))
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "repeat.json")
    assert str(refused.value) == (
        "repeat.json, the 2nd record of dataByAsin, field 'uniqueCustomers': '-5' is negative; counts cannot be below "
        "zero."
    )


def test_an_sp_api_record_with_every_figure_null_is_left_out_and_said_not_the_report_refused(con, tmp_path) -> None:
    """Amazon's schema lets a record's figures all be null (an ASIN named with nothing to report). The whole month
    was refused over it ("the 2nd record …, field 'uniqueCustomers': the value is empty"): the record is now left
    out and named, the rest load, and a bad record after it is still named by its place."""
    document = json.loads((LAYOUTS / "repeat_purchase_spapi.json").read_text())
    empty = {"startDate": "2026-06-28", "endDate": "2026-07-04", "asin": "B0EMPTY001", "orders": None}
    empty |= {"uniqueCustomers": None, "repeatCustomersPctTotal": None, "repeatPurchaseRevenue": None}
    document["dataByAsin"].insert(1, empty)
    path = tmp_path / "repeat.json"
    path.write_text(json.dumps(document, indent=2))
    result = load_file(con, path, "repeat.json")
    assert result.added == len(document["dataByAsin"]) - 1
    assert "1 record of dataByAsin with every figure empty left out (B0EMPTY001)" in result.notes
    assert con.execute("select count(*) from repeat_purchase where asin = 'B0EMPTY001'").fetchone() == (0,)
    document["dataByAsin"][2]["uniqueCustomers"] = -5
    path.write_text(json.dumps(document, indent=2))
    with pytest.raises(FileRejectedError, match="repeat.json, the 3rd record of dataByAsin, field 'uniqueCustomers'"):
        load_file(con, path, "repeat.json")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (b'{"dataByAsin": [', "line 1: the file is not valid JSON"),
        (b'{"reportSpecification": {"reportType": "GET_SALES"}, "dataByAsin": [{"x": 1}]}', "not a Brand Analytics"),
        (
            b'{"reportSpecification": {"reportType": "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT"}, "dataByAsin": []}',
            "holds no rows",
        ),
    ],
)
def test_json_files_that_cannot_load_say_why_and_change_nothing(con, tmp_path, text, fragment) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(text)
    with pytest.raises(FileRejectedError, match=fragment):
        load_file(con, path, "report.json")
    assert con.execute("select count(*) from loads").fetchone() == (0,)


@pytest.mark.parametrize("kind", ["sales", "search", "repeat_purchase"])
def test_each_template_with_its_example_row_loads_as_its_kind(con, tmp_path, kind) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(csv_template(kind))
    result = load_file(con, path, path.name)
    assert (result.kind, result.added) == (kind, 1)


@pytest.mark.parametrize(
    ("lines", "period", "span", "asin", "ambiguous"),
    [
        (
            ["Viewing Range=[01/07/26 - 31/07/26],Report Updated=[04/08/26]"],
            ("2026-07-01", "2026-07-31"),
            None,
            None,
            False,
        ),
        (["Locale=[en_AE],Viewing Range=[01/06/2026 - 05/08/2026]"], ("2026-06-01", "2026-08-05"), None, None, False),
        (["Countries=[US],Viewing Range=[07/05/26 - 07/11/26]"], ("2026-07-05", "2026-07-11"), None, None, False),
        (["Countries=[AE],Viewing Range=[07/05/26 - 07/11/26]"], ("2026-05-07", "2026-11-07"), None, None, False),
        (["Viewing Range=[07/05/26 - 07/11/26]"], None, None, None, True),
        # A week that reads as a week one way only: Jan 4 to 10, not Apr 1 to Oct 1 (Vendor Central, no country).
        (
            ["Program=[Amazon Retail],Reporting Range=[Weekly],Viewing Range=[1/4/26 - 1/10/26]"],
            ("2026-01-04", "2026-01-10"),
            "week",
            None,
            False,
        ),
        (
            ['Brand=["Acme"],Reporting Range=["Monthly"],Select month=["June | 2026-06-01 - 2026-06-30 2026"]'],
            ("2026-06-01", "2026-06-30"),
            "month",
            None,
            False,
        ),
        (['\ufeffASIN or Product=["b0c1234567"],Reporting Range=["Weekly"]'], None, "week", "B0C1234567", False),
        (["Fee-Orders reports from 03-01-2026 to 03-31-2026"], None, None, None, False),
    ],
)
def test_the_lines_above_a_header_state_period_span_and_asin(lines, period, span, asin, ambiguous) -> None:
    facts = stated_facts(lines)
    expected = tuple(date.fromisoformat(d) for d in period) if period else None
    assert (facts.period, facts.span, facts.asin, facts.ambiguous is not None) == (expected, span, asin, ambiguous)


def test_a_range_that_reads_both_ways_is_asked_for(con, tmp_path) -> None:
    path = tmp_path / "vendor.csv"
    path.write_text("Viewing Range=[07/05/26 - 07/11/26]\nASIN,Ordered Revenue,Ordered Units\nB0C1234567,10.00,1\n")
    with pytest.raises(PeriodNeededError, match="vendor.csv, line 1: the period '07/05/26 - 07/11/26' reads both"):
        load_file(con, path, "vendor.csv")
    assert load_file(con, path, "vendor.csv", period=(date(2026, 7, 5), date(2026, 7, 11))).added == 1


def test_the_last_complete_week_ends_on_the_saturday_before_today() -> None:
    """Thursday Dec 3, 2026 -> Nov 22 - Nov 28; a Saturday is not yet complete; a Sunday takes the day before."""
    assert last_complete_week(date(2026, 12, 3)) == (date(2026, 11, 22), date(2026, 11, 28))
    assert last_complete_week(date(2026, 11, 28)) == (date(2026, 11, 15), date(2026, 11, 21))
    assert last_complete_week(date(2026, 11, 29)) == (date(2026, 11, 22), date(2026, 11, 28))


# --- Metrics, worked by hand ------------------------------------------------------------------------------------

A, B, C, D, E = "B0AAAAAAA1", "B0BBBBBBB2", "B0CCCCCCC3", "B0DDDDDDD4", "B0EEEEEEE5"
MARCH = Scope(date(2026, 3, 1), date(2026, 3, 14))  # Sunday Mar 1 to Saturday Mar 14: two weeks

SALES = f"""period_start,period_end,asin,total_revenue,total_units,sessions,buy_box_pct
2026-03-01,2026-03-07,{A},1000,10,100,90%
2026-03-08,2026-03-14,{A},3000,30,300,50%
2026-03-01,2026-03-07,{B},500,5,0,100%
2026-03-05,2026-03-11,{C},700,7,70,80%
2026-02-22,2026-03-07,{D},9999,99,999,10%
2026-03-01,2026-03-07,{E},0,0,,
"""
PERFORMANCE = f"""date,creator,asin,clicks,orders,revenue,commission
2026-03-03,ann,{A},10,2,60,6
2026-03-03,bob,{A},10,1,40,4
2026-03-10,ann,{A},30,6,600,60
2026-02-28,ann,{A},5,1,50,5
2026-03-02,bob,{B},5,1,50,5
2026-03-06,ann,{C},7,1,70,7
2026-03-01,ann,{D},4,1,40,4
"""
PRODUCTS = f"""asin,product_line,title
{A},Bars,Acme Protein Bar Chocolate
{B},Bars,Acme Protein Bar Vanilla
{D},Bars,Acme Oat Bar
"""
SEARCH = """period_start,period_end,search_query,search_query_volume,clicks_total,clicks_brand
2026-03-01,2026-03-07,acme bars,100,50,40
2026-03-01,2026-03-07,Acme's  protein,30,10,5
2026-03-01,2026-03-07,acmex bar,1000,200,10
2026-03-01,2026-03-07,protein bar,5000,800,30
2026-03-08,2026-03-14,protein bar,4000,0,0
"""
REPEAT = f"""period_start,period_end,asin,unique_customers,repeat_customers_pct
2026-03-01,2026-03-07,{A},100,10%
2026-03-08,2026-03-14,{A},300,20%
2026-03-01,2026-03-07,{B},0,0%
"""


@pytest.fixture
def march(con, tmp_path):
    """The store of the hand-worked tests below, with the brand term Acme."""
    for name, text in {
        "products.csv": PRODUCTS,
        "performance.csv": PERFORMANCE,
        "sales.csv": SALES,
        "search.csv": SEARCH,
        "repeat.csv": REPEAT,
    }.items():
        (tmp_path / name).write_text(text)
        load_file(con, tmp_path / name, name)
    set_brand_terms(con, ["Acme"])
    return con


def only_row(frame: pd.DataFrame) -> dict[str, object]:
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def test_sales_totals_count_only_periods_wholly_inside_the_scope(march) -> None:
    """Included: A's two weeks, B's and E's week, C's Mar 5-11 (inside the scope, across a week boundary); D's
    Feb 22 - Mar 7 straddles the scope's first day and is left out.

    total_revenue = 1000 + 3000 + 500 + 700 + 0 = 5200; total_units = 52; sessions = 100 + 300 + 0 + 70 = 470
    (E's blank adds nothing).
    buy_box_pct = (0.9×100 + 0.5×300 + 1.0×0 + 0.8×70) / 470 = 296 / 470 (the mean of the rates would be 0.8).
    creator_sales_share = attributed revenue on the covered days, every creator: A Mar 3 (60 + 40), A Mar 10 (600),
    B Mar 2 (50), C Mar 6 (70) = 820, over 5200. A's Feb 28 (50) is on no covered day; D's Mar 1 (40) is covered
    only by the left-out period.
    """
    row = only_row(period_metrics(march, MARCH, ()))
    assert row["total_revenue"] == 5200
    assert (row["total_units"], row["sessions"]) == (52, 470)
    assert row["buy_box_pct"] == pytest.approx(296 / 470)
    assert row["creator_sales_share"] == pytest.approx(820 / 5200)
    assert left_out_rows(march, MARCH)["sales"] == 1


def test_by_week_a_period_across_two_weeks_is_left_out_and_counted(march) -> None:
    """Week of Mar 1: A 1000 + B 500 + E 0 = 1500, sessions 100, Buy Box 90/100, share (100 + 50) / 1500.
    Week of Mar 8: A 3000, Buy Box 0.5, share 600 / 3000. C's Mar 5-11 belongs to neither: left out, as is D's."""
    frame = period_metrics(march, MARCH, ("week",)).set_index("week")
    first, second = frame.loc[pd.Timestamp("2026-03-01")], frame.loc[pd.Timestamp("2026-03-08")]
    assert (first["total_revenue"], first["sessions"], second["total_revenue"]) == (1500, 100, 3000)
    assert first["buy_box_pct"] == pytest.approx(0.9)
    assert first["creator_sales_share"] == pytest.approx(0.1)
    assert second["creator_sales_share"] == pytest.approx(0.2)
    assert left_out_rows(march, MARCH, ("week",))["sales"] == 2


def test_by_asin_zero_sessions_and_zero_revenue_give_null_not_zero(march) -> None:
    """A: 4000, Buy Box (90 + 150) / 400 = 0.6, share 700 / 4000. B: 0 sessions, so Buy Box is null; share
    50 / 500. E: revenue 0, so its creator share is null."""
    frame = period_metrics(march, MARCH, ("asin",)).set_index("asin")
    assert list(frame.index) == [A, B, C, E]
    assert frame.loc[A, "buy_box_pct"] == pytest.approx(0.6)
    assert frame.loc[A, "creator_sales_share"] == pytest.approx(700 / 4000)
    assert math.isnan(frame.loc[B, "buy_box_pct"])
    assert frame.loc[B, "creator_sales_share"] == pytest.approx(0.1)
    assert math.isnan(frame.loc[E, "creator_sales_share"])


def test_by_product_line_asins_outside_the_catalog_are_unassigned(march) -> None:
    """Bars = A + B: 4500, share (700 + 50) / 4500; Unassigned = C + E: 700, share 70 / 700."""
    frame = period_metrics(march, MARCH, ("product_line",)).set_index("product_line")
    assert frame.loc["Bars", "total_revenue"] == 4500
    assert frame.loc["Bars", "creator_sales_share"] == pytest.approx(750 / 4500)
    assert frame.loc["Unassigned", "creator_sales_share"] == pytest.approx(0.1)


def test_creator_and_campaign_do_not_partition_the_period_metrics(march) -> None:
    """SPEC: "creator and campaign do not partition these totals". By creator, each creator's row carries the
    scope's totals (5200, 130 branded searches), as a baseline is carried, and its own revenue on the covered days:
    ann A Mar 3 (60) + A Mar 10 (600) + C Mar 6 (70) = 730, bob A Mar 3 (40) + B Mar 2 (50) = 90; together the
    scope's 820 / 5200. By ASIN and campaign (none in the file: blank), each ASIN's totals: A 700 / 4000, B 50 / 500,
    C 70 / 700; D's only period is left out, and E, sold by no creator, is no group of the performance report."""
    by_creator = period_metrics(march, MARCH, ("creator",)).set_index("creator")
    assert list(by_creator.index) == ["ann", "bob"]
    assert by_creator["total_revenue"].tolist() == [5200, 5200]
    assert by_creator["branded_search_volume"].tolist() == [130, 130]
    assert by_creator["creator_sales_share"].tolist() == pytest.approx([730 / 5200, 90 / 5200])
    filtered = only_row(period_metrics(march, replace(MARCH, creators=("bob",)), ()))
    assert filtered["creator_sales_share"] == pytest.approx(by_creator.loc["bob", "creator_sales_share"])
    by_asin = period_metrics(march, MARCH, ("asin", "campaign")).set_index("asin")
    assert list(by_asin.index) == [A, B, C] and by_asin["campaign"].isna().all()
    assert by_asin["creator_sales_share"].tolist() == pytest.approx([700 / 4000, 50 / 500, 70 / 700])


def test_branded_search_matches_whole_words_in_any_case(march) -> None:
    """Branded: "acme bars" (100) and "Acme's  protein" (30): 130; "acmex bar" is another word.
    brand_click_share over the other queries = (10 + 30) / (200 + 800) = 0.04; a substring match would give
    130 + 1000 and 30 / 800. Week of Mar 8: no branded query (0) and no clicks, so the share is null."""
    row = only_row(period_metrics(march, MARCH, ()))
    assert row["branded_search_volume"] == 130
    assert row["brand_click_share"] == pytest.approx(0.04)
    weeks = period_metrics(march, MARCH, ("week",)).set_index("week")
    assert weeks.loc[pd.Timestamp("2026-03-08"), "branded_search_volume"] == 0
    assert math.isnan(weeks.loc[pd.Timestamp("2026-03-08"), "brand_click_share"])


def test_an_asin_or_product_line_filter_reads_the_asin_view_of_search(march, tmp_path) -> None:
    """ASIN View rows of A (Bars): "acme bars" 40 searches, "protein bar" 500 with 80 clicks of which 8 on the brand.
    Filtered to A, or to its line, without grouping by either, the figures are the ASIN View's: 40 branded searches
    and a click share of 8 / 80 = 0.1 (the Brand View's rows name no ASIN, so a filter would leave none). Unfiltered,
    the brand's figures stay the Brand View's: 130 and 0.04."""
    asin_view = f"""period_start,period_end,asin,search_query,search_query_volume,clicks_total,clicks_brand
2026-03-01,2026-03-07,{A},acme bars,40,10,6
2026-03-01,2026-03-07,{A},protein bar,500,80,8
"""
    (tmp_path / "asin_view.csv").write_text(asin_view)
    load_file(march, tmp_path / "asin_view.csv", "asin_view.csv")
    for scope in (replace(MARCH, asins=(A,)), replace(MARCH, product_lines=("Bars",))):
        row = only_row(period_metrics(march, scope, ()))
        assert (row["branded_search_volume"], row["brand_click_share"]) == (40, pytest.approx(0.1)), scope
    row = only_row(period_metrics(march, MARCH, ()))
    assert (row["branded_search_volume"], row["brand_click_share"]) == (130, pytest.approx(0.04))


def test_a_product_line_counts_a_query_its_asins_share_once(march, tmp_path) -> None:
    """ASIN View rows of A and B (both Bars) for the same week and queries: the ASIN View gives each ASIN the query's
    whole volume (acme bars 40, protein bar 500 with 80 clicks) and the ASIN's own clicks (8 and 4). The line summed
    them per ASIN: 80 branded searches and a click share of 12 / 160. It now counts each query once: 40 searches, and
    12 of the query's 80 clicks, 0.15; each ASIN alone keeps its own."""
    asin_view = f"""period_start,period_end,asin,search_query,search_query_volume,clicks_total,clicks_brand
2026-03-01,2026-03-07,{A},acme bars,40,10,6
2026-03-01,2026-03-07,{A},protein bar,500,80,8
2026-03-01,2026-03-07,{B},acme bars,40,10,2
2026-03-01,2026-03-07,{B},protein bar,500,80,4
"""
    (tmp_path / "asin_view.csv").write_text(asin_view)
    load_file(march, tmp_path / "asin_view.csv", "asin_view.csv")
    line = only_row(period_metrics(march, replace(MARCH, product_lines=("Bars",)), ["product_line"]))
    assert (line["branded_search_volume"], line["brand_click_share"]) == (40, pytest.approx(12 / 80))
    by_asin = period_metrics(march, MARCH, ["asin"]).set_index("asin")
    assert by_asin.loc[B, "branded_search_volume"] == 40
    assert by_asin.loc[B, "brand_click_share"] == pytest.approx(4 / 80)


def test_without_brand_terms_no_query_is_branded(march) -> None:
    """All four queries of the first week are "other": (40 + 5 + 10 + 30) / (50 + 10 + 200 + 800) = 85 / 1060."""
    row = only_row(period_metrics(march, MARCH, (), terms=[]))
    assert row["branded_search_volume"] == 0
    assert row["brand_click_share"] == pytest.approx(85 / 1060)


@pytest.mark.parametrize(
    ("query", "terms", "branded"),
    [
        ("acme protein", ["Acme"], True),
        ("ACME", ["acme"], True),
        ("acme-bar", ["Acme"], True),
        ("acmex bar", ["Acme"], False),
        ("the acme  co bars", ["acme co"], True),
        ("acme bar", ["acme co"], False),
        ("a.b bars", ["a.b"], True),
        ("axb bars", ["a.b"], False),
        ("c++ tools", ["c++"], True),
        ("protein", [], False),
    ],
)
def test_brand_terms_match_as_whole_words(query, terms, branded) -> None:
    pattern = brand_pattern(terms)
    found = pattern is not None and duckdb.execute("select regexp_matches($1, $2, 'i')", [query, pattern]).fetchone()
    assert bool(found and found[0]) == branded


def test_ba_repeat_rate_weights_each_share_by_its_customers(march) -> None:
    """(100 × 0.10 + 300 × 0.20 + 0 × 0) / 400 = 0.175 (the mean of the shares would be 0.1); B alone: 0 / 0."""
    assert only_row(period_metrics(march, MARCH, ()))["ba_repeat_rate"] == pytest.approx(0.175)
    by_asin = period_metrics(march, MARCH, ("asin",)).set_index("asin")
    assert math.isnan(by_asin.loc[B, "ba_repeat_rate"])


def test_the_engine_agrees_with_the_reference(march) -> None:
    reference = pytest.importorskip("tests.reference")
    sales, performance, products = (table(march, t) for t in ("sales", "performance", "products"))
    for by in (["asin"], ["product_line"], ["week"]):
        expected = reference.sales_metrics(sales, performance, products, start=MARCH.start, end=MARCH.end, by=by)
        engine = period_metrics(march, MARCH, by)
        engine = engine[engine["total_revenue"].notna()].reset_index(drop=True)
        for column in ("total_revenue", "creator_sales_share", "buy_box_pct"):
            assert engine[column].tolist() == pytest.approx(expected[column].astype(float).tolist(), nan_ok=True)
    search = table(march, "search")
    expected = reference.search_metrics(search, ["Acme"], start=MARCH.start, end=MARCH.end, by=["week"])
    engine = period_metrics(march, MARCH, ["week"])
    assert engine["branded_search_volume"].astype(float).tolist() == expected["branded_search_volume"].tolist()
    assert engine["brand_click_share"].tolist() == pytest.approx(expected["brand_click_share"].tolist(), nan_ok=True)
    repeat = table(march, "repeat_purchase")
    expected = reference.ba_repeat_rate(repeat, products, start=MARCH.start, end=MARCH.end, by=["asin"])
    engine = period_metrics(march, MARCH, ["asin"]).dropna(subset=["ba_repeat_rate"])
    assert engine["ba_repeat_rate"].tolist() == pytest.approx(expected["ba_repeat_rate"].dropna().tolist())


def test_brand_terms_are_a_stored_setting(con) -> None:
    assert brand_terms(con) == []
    assert set_brand_terms(con, [" Acme ", "acme", "Acme  Labs", ""]) == ["Acme", "Acme Labs"]
    assert brand_terms(con) == ["Acme", "Acme Labs"]


def test_a_brand_view_names_the_brand_whose_terms_a_brand_without_any_takes(con) -> None:
    """Search Query Performance, Brand View, says Brand=["Acme"] above its header. Uploaded on the Data page
    (`name_brand_terms`), a brand with no terms takes "Acme" from its first upload, so its branded search shows at
    once; a script's load sets nothing and says how; terms the person set are theirs and stay."""
    scripted = load_file(con, LAYOUTS / "sqp_brand_view.csv", "sqp.csv")
    assert brand_terms(con) == []
    assert "the report names the brand Acme, not set as the brand's search terms" in scripted.notes
    assert scripted.brand_named == ("Acme",)  # the command line says how to set them, on the store it loaded into
    assert scripted.load_id is not None
    unload(con, scripted.load_id)
    result = load_file(con, LAYOUTS / "sqp_brand_view.csv", "sqp.csv", name_brand_terms=True)
    assert brand_terms(con) == ["Acme"]
    assert "brand search terms set to Acme, the brand the report names: change them on the Data page" in result.notes
    set_brand_terms(con, ["Acme Labs"])
    assert result.load_id is not None
    unload(con, result.load_id)
    again = load_file(con, LAYOUTS / "sqp_brand_view.csv", "sqp.csv", name_brand_terms=True)
    assert brand_terms(con) == ["Acme Labs"] and not [n for n in again.notes if "brand" in n]


def test_suggested_brand_terms_put_the_word_leading_the_titles_first(march) -> None:
    """ "acme" leads all three titles; "bar" is in them too but leads none."""
    assert suggested_brand_terms(march)[0] == "acme"


# --- The command line ------------------------------------------------------------------------------------------


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db), *args], capture_output=True, text=True, cwd=ROOT
    )


def test_the_command_line_loads_prints_the_period_columns_and_sets_brand_terms(tmp_path) -> None:
    db = tmp_path / "cli.duckdb"
    refused = cli(db, "load", str(LAYOUTS / "business_report_child_item_new.csv"))
    assert refused.returncode == 1 and "--period START:END" in refused.stderr
    loaded = cli(
        db,
        "load",
        str(LAYOUTS / "business_report_child_item_new.csv"),
        "--period",
        "2026-06-28:2026-07-04",
    )
    assert loaded.returncode == 0, loaded.stderr
    assert cli(db, "load", str(LAYOUTS / "sqp_brand_view.csv")).returncode == 0
    unset = cli(db, "brand-terms")
    assert (unset.returncode, unset.stdout) == (0, "") and "no brand terms set" in unset.stderr
    assert cli(db, "brand-terms", "Acme").stdout.strip() == "Acme"
    assert cli(db, "brand-terms").stdout.strip() == "Acme"
    weeks = cli(db, "metrics", "--by", "week").stdout.splitlines()
    header = weeks[0].split(",")
    row = dict(zip(header, weeks[1].split(","), strict=True))
    assert row["week"] == "2026-06-28"
    assert (row["total_revenue"], row["total_units"], row["sessions"]) == ("6132.77", "383", "3659")
    assert row["branded_search_volume"] == "1840"
    assert row["clicks"] == "0"
    creators = cli(db, "metrics", "--by", "creator").stdout.splitlines()
    assert "ba_repeat_rate" in creators[0].split(",") and len(creators) == 1


def test_an_asin_of_the_sales_files_alone_is_listed_with_zeros_and_its_baselines(march, tmp_path, capsys) -> None:
    """E has a sales row (Mar 1 – 7) and two order lines no creator brought (c1 new to the brand, c2 on Subscribe &
    Save), but no performance row and no attributed line. Listed by asin over Mar 1 – 7, it shows $0 of attributed
    revenue and a 0 revenue share (the scope's revenue is $150: A 100 + B 50), no attributed rate, and the baselines
    of its own lines: new-to-brand 1/2, Subscribe & Save 1/2."""
    orders = f"""order_id,order_date,customer_id,asin,revenue,creator,new_to_brand,subscribe_and_save
o1,2026-03-02,c1,{E},10,,true,false
o2,2026-03-03,c2,{E},10,,false,true
o3,2026-03-03,c3,{A},20,ann,true,false
"""
    (tmp_path / "orders.csv").write_text(orders)
    load_file(march, tmp_path / "orders.csv", "orders.csv")
    march.close()  # the command line opens the store itself
    assert (
        main(
            [
                "--db",
                str(tmp_path / "test.duckdb"),
                "metrics",
                "--by",
                "asin",
                "--start",
                "2026-03-01",
                "--end",
                "2026-03-07",
            ]
        )
        == 0
    )
    rows = {row["asin"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    e = rows[E]
    assert (e["revenue"], e["revenue_share"], e["repeat_pending"], e["ntb_pct"]) == ("0.0", "0.0", "0", "")
    assert (e["baseline_ntb_pct"], e["baseline_sns_rate"]) == ("0.5", "0.5")
    assert (e["total_revenue"], e["customer_source"]) == ("0.0", "order_lines")


# --- Overlapping sales periods ----------------------------------------------------------------------------------


def test_a_sales_period_overlapping_a_stored_one_of_the_same_asin_is_stopped_before_it_changes_anything(con) -> None:
    """The Amazon.in Business Report for Jun 28 - Jul 4 holds B0C9876543 and B0DABCDE12; the Vendor Central month
    Jul 1 - 31 holds them too: the days Jul 1 - 4 would be counted twice."""
    load_file(con, LAYOUTS / "business_report_inr.csv", "week.csv", period=WEEK_27)
    before = table(con, "sales")
    with pytest.raises(OverlapError) as stopped:
        load_file(con, LAYOUTS / "vendor_sales.csv", "month.csv")
    message = str(stopped.value)
    assert message.startswith(
        "month.csv: load 1 (week.csv) holds 2 rows of the same ASINs as new rows over a different period that overlaps "
        "theirs (stored as 2026-06-28 to 2026-07-04, 2026-07-01 to 2026-07-31 in this file), "
    )
    assert "--replace-overlap" in message and "--keep-both" in message
    # The week's whole revenue is not counted twice, only the days both periods cover: said so, and what to do when
    # the period given was the mistake.
    assert (
        "of revenue in all, which a scope holding both periods would add to this file's, counting the days they "
        "share twice; nothing was loaded" in message
    )
    assert message.endswith(
        "If the period given for this file is wrong, load it again with the right one instead. A sales report sums "
        "its period and cannot be split by day: reports of overlapping dates (a Business Report of the last 30 days, "
        "downloaded every week) keep only one of them, or count the days they share twice. Downloaded one week at a "
        "time (Sunday to Saturday), every week is kept whole."
    )
    assert "older download" not in message  # the stored week ends before the month does
    pd.testing.assert_frame_equal(table(con, "sales"), before)
    replaced = load_file(con, LAYOUTS / "vendor_sales.csv", "month.csv", on_overlap="replace")
    assert replaced.added == 4
    assert set(table(con, "sales")["asin"]) == {"B0C9876543", "B0DABCDE12", "B0DFGHJK34", "B0DLMNPQ56", "B0C9876544"}
    assert len(table(con, "sales")) == 5


def test_an_older_business_report_over_a_newer_one_says_a_replace_would_put_the_older_figures_back(
    con, tmp_path
) -> None:
    """Two Mondays' reports of the last 30 days, uploaded together newest first: the older one stopped with the
    question every Monday's report met, and replacing, as the brand did each week, put Oct 17 - Nov 15 in place of
    Oct 24 - Nov 22 without a word. The stop now says which is the older download."""
    report = tmp_path / "br.csv"
    report.write_text('"(Child) ASIN","Units Ordered","Ordered Product Sales"\n"B0C1234567","10","$100.00"\n')
    load_file(con, report, "newer.csv", period=(date(2026, 10, 24), date(2026, 11, 22)))
    report.write_text('"(Child) ASIN","Units Ordered","Ordered Product Sales"\n"B0C1234567","9","$90.00"\n')
    with pytest.raises(OverlapError) as stopped:
        load_file(con, report, "older.csv", period=(date(2026, 10, 17), date(2026, 11, 15)))
    assert (
        "(--keep-both). The stored rows run to "
        "2026-11-22, past this file's 2026-11-15: this file looks like an older download, and replacing would put its "
        "figures in place of the newer ones."
    ) in str(stopped.value)


def test_a_month_over_its_stored_weeks_is_not_called_an_older_download(con, tmp_path) -> None:
    """September's report over the weeks Sep 6 - Oct 3: the last week runs past the month, but the first three end
    inside it, so the month is not an older download of them."""
    report = tmp_path / "br.csv"
    report.write_text('"(Child) ASIN","Units Ordered","Ordered Product Sales"\n"B0C1234567","10","$100.00"\n')
    for week in range(4):
        start = date(2026, 9, 6) + timedelta(weeks=week)
        load_file(con, report, f"week{week}.csv", period=(start, start + timedelta(days=6)))
        report.write_text(report.read_text().replace(f'"{10 + week}"', f'"{11 + week}"'))
    with pytest.raises(OverlapError) as stopped:
        load_file(con, report, "september.csv", period=(date(2026, 9, 1), date(2026, 9, 30)))
    assert "older download" not in str(stopped.value)


def test_a_month_of_search_or_repeat_purchases_over_stored_weeks_is_stopped_like_sales(march, tmp_path) -> None:
    """March's weeks of Search Query Performance and Repeat Purchase Behavior are stored; the monthly downloads of the
    same queries and ASINs loaded beside them, and a scope of March summed the weeks and the month: branded volume
    and the repeat baseline's buyers twice over. Stopped, they say what the stored weeks hold: 100 + 30 + 1,000 +
    5,000 + 4,000 searches of the 5 weekly rows of those 4 queries; 100 + 300 buyers of A's 2 weeks."""
    month = tmp_path / "search_month.csv"
    month.write_text(
        "period_start,period_end,search_query,search_query_volume,clicks_total,clicks_brand\n"
        "2026-03-01,2026-03-31,acme bars,400,200,160\n2026-03-01,2026-03-31,Acme's  protein,90,30,15\n"
        "2026-03-01,2026-03-31,acmex bar,3000,600,30\n2026-03-01,2026-03-31,protein bar,20000,3000,100\n"
    )
    with pytest.raises(OverlapError) as stopped:
        load_file(march, month, "search_month.csv")
    assert str(stopped.value).startswith(
        "search_month.csv: load 4 (search.csv) holds 5 rows of the same search queries as new rows over a different "
        "period that overlaps theirs (stored as 2026-03-01 to 2026-03-07 or 2026-03-08 to 2026-03-14, 2026-03-01 to "
        "2026-03-31 in this file), on 14 days from 2026-03-01 to 2026-03-14, with 10,130 searches in all, which a scope "
        "holding both periods would add to this file's, counting the days they share twice; nothing was loaded"
    )
    repeat = tmp_path / "repeat_month.csv"
    repeat.write_text(
        f"period_start,period_end,asin,unique_customers,repeat_customers_pct\n2026-03-01,2026-03-31,{A},380,15%\n"
    )
    with pytest.raises(OverlapError, match="holds 2 rows of the same ASINs .* with 400 buyers in all, which"):
        load_file(march, repeat, "repeat_month.csv")
    assert len(table(march, "search")) == 5 and len(table(march, "repeat_purchase")) == 3
    # Replaced, the month stands alone.
    load_file(march, month, "search_month.csv", on_overlap="replace")
    assert table(march, "search")["search_query_volume"].sum() == 400 + 90 + 3000 + 20000


def test_the_same_period_again_updates_it_and_other_asins_never_overlap(con, tmp_path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(f"period_start,period_end,asin,total_revenue,total_units\n2026-03-01,2026-03-07,{A},10,1\n")
    again = tmp_path / "again.csv"
    again.write_text(
        f"period_start,period_end,asin,total_revenue,total_units\n"
        f"2026-03-01,2026-03-07,{A},12,1\n2026-03-01,2026-03-31,{B},90,9\n"
    )
    load_file(con, first, "first.csv")
    result = load_file(con, again, "again.csv")
    assert (result.added, result.updated) == (1, 1)


@pytest.mark.parametrize("seed", [3, 11])
def test_the_engine_agrees_with_the_reference_on_random_stores(con, tmp_path, seed) -> None:
    """The reference's random store: weekly sales, monthly rows that belong to no week, a row straddling the first
    day, weeks whose non-branded queries had no clicks, repeat rows with no customers."""
    reference = pytest.importorskip("tests.reference")
    frames = reference.random_store(seed)
    for kind in ("products", "performance", "sales", "search", "repeat_purchase"):
        path = tmp_path / f"{kind}.csv"
        frames[kind].to_csv(path, index=False)
        load_file(con, path, path.name, kind=kind)
    terms = frames["brand_terms"]["term"].tolist()
    days = pd.to_datetime(frames["sales"]["period_start"])
    for start, end in (
        (days.min().date(), pd.to_datetime(frames["sales"]["period_end"]).max().date()),
        (date(2026, 2, 1), date(2026, 3, 28)),
    ):
        scope = Scope(start, end)
        for by in ([], ["asin"], ["product_line"], ["week"], ["asin", "week"]):
            engine = period_metrics(con, scope, by, terms)
            sales = reference.sales_metrics(
                frames["sales"], frames["performance"], frames["products"], start=start, end=end, by=by
            )
            got = engine[engine["total_revenue"].notna()].reset_index(drop=True)
            assert len(got) == len(sales)
            for column in ("total_revenue", "total_units", "sessions", "creator_sales_share", "buy_box_pct"):
                expected = sales[column].astype(float).tolist()
                assert got[column].astype(float).tolist() == pytest.approx(expected, nan_ok=True), (by, column)
            if "asin" not in by and "product_line" not in by:
                search = reference.search_metrics(frames["search"], terms, start=start, end=end, by=by)
                got = engine[engine["branded_search_volume"].notna()].reset_index(drop=True)
                for column in ("branded_search_volume", "brand_click_share"):
                    expected = search[column].astype(float).tolist()
                    assert got[column].astype(float).tolist() == pytest.approx(expected, nan_ok=True), (by, column)
            repeat = reference.ba_repeat_rate(
                frames["repeat_purchase"], frames["products"], start=start, end=end, by=by
            )
            if "week" in by:
                repeat["week"] = pd.to_datetime(repeat["week"])
            got = (
                engine.merge(repeat, on=by, suffixes=("", "_reference"))
                if by
                else engine.assign(ba_repeat_rate_reference=repeat["ba_repeat_rate"])
            )
            assert got["ba_repeat_rate"].astype(float).tolist() == pytest.approx(
                got["ba_repeat_rate_reference"].astype(float).tolist(), nan_ok=True
            )


def test_unloading_a_restated_week_brings_back_the_first_version(con, tmp_path) -> None:
    first, restated = tmp_path / "first.csv", tmp_path / "restated.csv"
    first.write_text(f"period_start,period_end,asin,total_revenue,total_units\n2026-03-01,2026-03-07,{A},10,1\n")
    restated.write_text(f"period_start,period_end,asin,total_revenue,total_units\n2026-03-01,2026-03-07,{A},12,2\n")
    load_file(con, first, "first.csv")
    second = load_file(con, restated, "restated.csv")
    unload(con, second.load_id)
    assert con.execute("select cast(total_revenue as double), total_units from sales").fetchall() == [(10.0, 1)]


def test_a_bom_before_a_quoted_header_does_not_keep_the_quotes(con) -> None:
    result = load_file(con, LAYOUTS / "business_report_inr.csv", "inr.csv", period=WEEK_27)
    assert any(note.startswith("ignored columns: (Parent) ASIN, SKU") for note in result.notes)
    assert "3 products named by 'Title' (B0C9876543, B0C9876544, B0DABCDE12): no catalog is loaded to name them" in (
        result.notes
    )


@pytest.mark.parametrize(("raw", "expected"), parsing.PERCENT_HEADER_CASES)
def test_a_rate_under_a_header_with_a_percent_sign_is_read_in_percent(raw, expected) -> None:
    got = duckdb.execute("select " + parsing.percent_rate(parsing.clean("$1", "rate")), [raw]).fetchone()
    assert got is not None
    assert got[0] == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("raw", "expected"), parsing.PERCENT_WORD_CASES)
def test_a_rate_under_a_header_saying_percentage_is_a_percent_over_one_and_a_fraction_below(raw, expected) -> None:
    got = duckdb.execute("select " + parsing.percent_or_fraction(parsing.clean("$1", "rate")), [raw]).fetchone()
    assert got is not None
    assert got[0] == (pytest.approx(expected) if expected is not None else None)


def test_product_tables_get_the_sales_columns_beside_their_own_rows(march) -> None:
    """The table's rows stay as they are (D has no included sales, F none at all); A gets 4000, 700 / 4000, 0.6."""
    table = pd.DataFrame({"asin": [D, A, "B0FFFFFFF6"], "revenue": [1.0, 2.0, 3.0]})
    shown = beside(table, period_metrics(march, MARCH, ("asin",)), "asin")
    assert shown["asin"].tolist() == [D, A, "B0FFFFFFF6"]
    assert shown.loc[1, "total_revenue"] == 4000
    assert shown.loc[1, "creator_sales_share"] == pytest.approx(700 / 4000)
    assert shown.loc[1, "buy_box_pct"] == pytest.approx(0.6)
    assert shown.loc[[0, 2], "total_revenue"].isna().all()


HEADER = "period_start,period_end,asin,total_revenue,total_units,sessions\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            HEADER + f"2026-03-07,2026-03-01,{A},10,1,5\n",
            "line 2, column 'period_end': the row's period ends ('2026-03-01') before",
        ),
        (HEADER + f"2026-03-01,2026-03-07,{A},10,1,-5\n", "line 2, column 'sessions': '-5' is negative"),
        (HEADER + f"2026-03-01,,{A},10,1,5\n", "line 2, column 'period_end': the value is empty"),
        (
            HEADER + f"2026-03-01,2026-03-07,{A},10,1,5\n2026-03-01,2026-03-07,{A},11,1,5\n",
            "lines 2 and 3: both rows have the same period_start, period_end and asin (2026-03-01, 2026-03-07, B0",
        ),
        (
            "Reporting Range=[Weekly]\nsearch query,search query volume,clicks: total count,clicks: brand count\nx,1,1,1\n",
            "does not say which period it covers",
        ),
    ],
)
def test_bad_period_files_name_the_line_and_change_nothing(con, tmp_path, text, fragment) -> None:
    load_file(con, LAYOUTS / "repeat_purchase.csv", "kept.csv")
    before = {kind: table(con, kind) for kind in ("sales", "search", "repeat_purchase")}
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(FileRejectedError, match=re.escape(fragment)):
        load_file(con, path, "bad.csv")
    for kind, frame in before.items():
        pd.testing.assert_frame_equal(table(con, kind), frame)


def test_a_line_break_inside_a_report_value_keeps_each_record_on_its_own_line(con, tmp_path) -> None:
    """A search query holding a line break made two CSV lines of one record, and every later record's number was
    off by one: the bad value of the 3rd record was named as the 4th's."""
    document = {
        "reportSpecification": {"reportType": "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT"},
        "dataByAsin": [
            {
                "startDate": "2026-07-05",
                "endDate": "2026-07-11",
                "asin": "B0C1234567",
                "searchQueryData": {"searchQuery": query, "searchQueryVolume": volume},
                "impressionData": {"totalQueryImpressionCount": 100, "asinImpressionCount": 10},
                "clickData": {"totalClickCount": 20, "asinClickCount": 2},
                "purchaseData": {"totalPurchaseCount": 4, "asinPurchaseCount": 1},
            }
            for query, volume in (("red\nshoes", 10), ("blue shoes", 12), ("green shoes", -3))
        ],
    }
    path = tmp_path / "sqp.json"
    path.write_text(json.dumps(document))
    with pytest.raises(FileRejectedError, match=r"sqp.json, the 3rd record of dataByAsin, field 'searchQueryData"):
        load_file(con, path, "sqp.json")


def test_a_search_query_record_with_every_figure_null_is_named_by_its_query(con, tmp_path) -> None:
    """An ASIN View record names one ASIN under many queries: a record left out for having no figures was named by
    its ASIN, which did not say which of them."""
    record = {"startDate": "2026-07-05", "endDate": "2026-07-11", "asin": "B0C1234567"}
    figures = {
        "impressionData": {"totalQueryImpressionCount": 100, "asinImpressionCount": 10},
        "clickData": {"totalClickCount": 20, "asinClickCount": 2},
        "purchaseData": {"totalPurchaseCount": 4, "asinPurchaseCount": 1},
    }
    document = {
        "reportSpecification": {"reportType": "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT"},
        "dataByAsin": [
            record | figures | {"searchQueryData": {"searchQuery": "blue shoes", "searchQueryVolume": 12}},
            record | {"searchQueryData": {"searchQuery": "green shoes", "searchQueryVolume": None}},
        ],
    }
    path = tmp_path / "sqp.json"
    path.write_text(json.dumps(document))
    result = load_file(con, path, "sqp.json")
    assert result.added == 1
    assert "1 record of dataByAsin with every figure empty left out ('green shoes')" in result.notes


def test_a_restated_business_report_says_what_its_revenue_moved_once_named(con, load_text) -> None:
    """The sales kind's money column is total_revenue: its note reads "total revenue", not "total total revenue".
    And a performance file after it names as new only the ASINs the Business Report did not list."""
    report = "period_start,period_end,asin,total_revenue,total_units\n2026-08-02,2026-08-08,{asin},{revenue},1\n"
    load_text("br.csv", report.format(asin="B0C1234567", revenue="10.00"))
    restated = load_text("br_again.csv", report.format(asin="B0C1234567", revenue="12.50"))
    assert "1 updated row, of load 1 (br.csv), moves total revenue by +$2.50" in restated.notes, restated.notes
    performance = load_text(
        "performance.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-08-03,Summer,@maya,B0C1234567,10,1,10.00,1.00\n"
        "2026-08-03,Summer,@maya,B0C7654321,10,1,10.00,1.00\n",
    )
    assert "new ASINs: B0C7654321" in performance.notes, performance.notes


def test_the_period_question_lists_the_latest_weeks_whose_report_is_not_loaded(con, load_text) -> None:
    """Performance data to Wednesday Nov 18: the latest whole week is Nov 8–14. With no report loaded, the four
    latest weeks are listed; with Nov 8–14's loaded, the four before it; with every week of the look-back loaded,
    none."""
    from analytics.ingest.report_periods import WEEKS_LOOKED_BACK, weeks_without_sales

    last_day = date(2026, 11, 18)

    def sundays(*days: int) -> list[tuple[date, date]]:
        return [(date(2026, month, day), date(2026, month, day) + timedelta(days=6)) for month, day in days]

    assert weeks_without_sales(con, last_day) == sundays((11, 8), (11, 1), (10, 25), (10, 18))
    row = "{start},{end},B0C1234567,10.00,1\n"
    load_text(
        "br.csv",
        "period_start,period_end,asin,total_revenue,total_units\n" + row.format(start="2026-11-08", end="2026-11-14"),
    )
    assert weeks_without_sales(con, last_day) == sundays((11, 1), (10, 25), (10, 18), (10, 11))
    # A report of Oct 1 – Nov 7 covers every week it reaches into, Sep 27 – Oct 3 among them.
    load_text(
        "br_month.csv",
        "period_start,period_end,asin,total_revenue,total_units\n" + row.format(start="2026-10-01", end="2026-11-07"),
    )
    assert weeks_without_sales(con, last_day)[:2] == sundays((9, 20), (9, 13))
    load_text(
        "br_year.csv",
        "period_start,period_end,asin,total_revenue,total_units\n" + row.format(start="2026-01-01", end="2026-09-30"),
    )
    assert WEEKS_LOOKED_BACK < 40
    assert weeks_without_sales(con, last_day) == []


def test_the_period_question_lists_no_week_before_the_performance_data_starts(con, load_text) -> None:
    """Performance data from Tuesday Oct 20 to Wednesday Nov 18, Nov 8–14's report loaded: the weeks listed are those
    of the data without a report, Nov 1, Oct 25 and Oct 18 (which holds Oct 20), not Oct 11–17: a report filed
    there would show creators' share of its sales as 0 %, the creators' days not loaded."""
    from analytics.ingest.report_periods import weeks_without_sales

    load_text(
        "performance.csv",
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-10-20,S,maya,B0C1234567,10,1,10.00,1.00\n2026-11-18,S,maya,B0C1234567,10,1,10.00,1.00\n",
    )
    load_text(
        "br.csv", "period_start,period_end,asin,total_revenue,total_units\n2026-11-08,2026-11-14,B0C1234567,10,1\n"
    )
    assert weeks_without_sales(con, date(2026, 11, 18)) == [
        (date(2026, 11, 1), date(2026, 11, 7)),
        (date(2026, 10, 25), date(2026, 10, 31)),
        (date(2026, 10, 18), date(2026, 10, 24)),
    ]
    # Given a week before the data all the same (as other dates), the load says why its creators' share reads 0 %.
    earlier = load_text(
        "br_early.csv",
        "period_start,period_end,asin,total_revenue,total_units\n2026-10-04,2026-10-10,B0C1234567,10,1\n",
    )
    assert earlier.cautions == [
        "no creator performance is loaded for 2026-10-04 to 2026-10-10: creators' share of these sales reads 0 % "
        "until those days' performance reports are loaded; check that the period is the report's"
    ]
    assert not load_text(
        "br_week.csv", "period_start,period_end,asin,total_revenue,total_units\n2026-11-01,2026-11-07,B0C1234567,10,1\n"
    ).cautions


def test_one_command_loads_its_performance_reports_before_its_sales_files(tmp_path) -> None:
    """`load inbox/*.csv` read business_report.csv before performance.csv, and the Business Report said no creator
    performance was loaded for its week, which the same command brought. Performance reports load first, the rest in
    the order given; each file still prints its own line."""
    sales = tmp_path / "business_report.csv"
    sales.write_text("period_start,period_end,asin,total_revenue,total_units\n2026-11-08,2026-11-14,B0C1234567,100,5\n")
    performance = tmp_path / "performance.csv"
    performance.write_text(
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n2026-11-09,S,maya,B0C1234567,10,1,10.00,1.00\n"
    )
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("asin,product_line\nB0C1234567,Protein\n")
    db = tmp_path / "cli.duckdb"
    loaded = cli(db, "load", str(sales), str(catalog), str(performance))
    assert loaded.returncode == 0, loaded.stderr
    assert [line.split(":")[0] for line in loaded.stdout.splitlines()] == [
        "performance.csv",
        "business_report.csv",
        "catalog.csv",
    ]
    assert "no creator performance is loaded" not in loaded.stdout
    weeks = cli(db, "metrics", "--by", "week").stdout.splitlines()
    row = dict(zip(weeks[0].split(","), weeks[1].split(","), strict=True))
    assert row["creator_sales_share"] == "0.1"


def test_performance_first_reads_each_files_header_alone(tmp_path) -> None:
    """Performance reports move to the front; a workbook, a file of no kind and a missing file keep their order."""
    from analytics.ingest.layout import performance_first

    performance = tmp_path / "upload-1.csv"
    performance.write_text("date,creator,asin,clicks,orders,revenue,commission\n2026-11-09,maya,B0C1234567,1,1,1,0\n")
    other = tmp_path / "notes.csv"
    other.write_text("hello,world\n1,2\n")
    files = [
        (tmp_path / "book.xlsx", "book.xlsx"),
        (other, "notes.csv"),
        (tmp_path / "missing.csv", "missing.csv"),
        (performance, "Creator Connections.csv"),
    ]
    assert performance_first(files) == [3, 0, 1, 2]
