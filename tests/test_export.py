"""Downloads that open cleanly: CSV cells a spreadsheet would run are escaped and nothing else is, and Excel files
carry typed cells that no spreadsheet runs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.present.export import frame_to_csv, frame_to_xlsx, is_formula_risk


@pytest.mark.parametrize(
    ("cell", "runs"),
    [
        ('=HYPERLINK("http://x")', True),  # a formula in Excel, LibreOffice and Google Sheets
        ("=1+1", True),
        ("+cmd|' /C calc'!A0", True),  # DDE in Excel
        ("-2+3", True),  # evaluated to 1 by all three
        ("-abc", True),  # Excel and Sheets read a formula (a #NAME? error), so escape it
        ("+", True),
        ("@SUM(A1:A3)", True),  # Excel turns Lotus's @ into = before a function call
        ("@dealsbydana", False),  # a handle: text in all three
        ("@liftwith.logan", False),
        ("@naturally-nina_2", False),
        ("\tx", True),
        ("\rx", True),
        ("-12.50", False),  # a refund: a number in all three, kept as one
        ("+1,234.5", False),
        ("-5%", False),
        ("maya", False),
        ("", False),
        ("a=b", False),
    ],
)
def test_which_csv_cells_a_spreadsheet_would_run(cell: str, runs: bool) -> None:
    assert is_formula_risk(cell) is runs


def test_a_csv_of_amounts_says_their_currency_in_a_last_column() -> None:
    """A euro brand's spend by campaign read 4410.0 and 792.0 with nothing to tell euros from dollars."""
    frame = pd.DataFrame({"campaign": ["Always-on"], "revenue": [4410.0], "commission": [792.0]})
    rows = list(csv.reader(io.StringIO(frame_to_csv(frame, currency="EUR"))))
    assert rows == [["campaign", "revenue", "commission", "currency"], ["Always-on", "4410.0", "792.0", "EUR"]]
    assert "currency" not in frame.columns  # the table shown keeps its columns


def test_csv_downloads_escape_only_what_would_run() -> None:
    frame = pd.DataFrame({"creator": ["=1+1", "@dealsbydana", "@SUM(A1)", "-2+3", "-12.50"], "revenue": [-5.0] * 5})
    rows = list(csv.reader(io.StringIO(frame_to_csv(frame))))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "@dealsbydana", "'@SUM(A1)", "'-2+3", "-12.50"]
    assert rows[1][1] == "-5.0"


def test_a_change_in_points_is_written_in_points_as_the_tables_show_it() -> None:
    """A rate effect of 0.02834 (a share up by 2.834 points) reads +2.8 pts in the table: the cell holds 2.834, shown
    as +2.8 pts (rounded in the cell, a change of -0.0004 read 0, and effects no longer added up to the change)."""
    frame = pd.DataFrame({"product_line": ["Vitamins", "Protein"], "rate_effect": [0.02834, -0.000004]})
    sheet = load_workbook(io.BytesIO(frame_to_xlsx(frame, {"rate_effect": "points"}))).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2.834, -0.0004]
    assert sheet["B2"].number_format == '+0.0" pts";-0.0" pts";0.0" pts"'
    # A split the table writes in hundredths is shown so in its cells, which hold the same points.
    hundredths = load_workbook(io.BytesIO(frame_to_xlsx(frame, {"rate_effect": "points_hundredths"}))).active
    assert hundredths is not None and hundredths["B2"].value == 2.834
    assert hundredths["B2"].number_format == '+0.00" pts";-0.00" pts";0.00" pts"'


def test_an_excel_download_reads_back_as_the_same_typed_values() -> None:
    """Numbers come back as numbers (a rate with every digit, formatted as the tables show it: 0.12345 as 12.3 %),
    dates as dates, missing as empty, and every hostile string as the very text it was, never a formula."""
    frame = pd.DataFrame(
        {
            "creator": ['=HYPERLINK("http://x")', "@dealsbydana", "+cmd", "maya"],
            "week": pd.to_datetime(["2026-03-01", "2026-03-08", "2026-03-15", "2026-03-22"]),
            "orders": pd.array([3, 0, None, 12], dtype="Int64"),
            "revenue": [1234.5, -12.5, 0.0, float("nan")],
            "conversion_rate": [0.12345, None, 0.5, 0.0004],
        }
    )
    workbook = load_workbook(
        io.BytesIO(frame_to_xlsx(frame, {"orders": "count", "revenue": "money", "conversion_rate": "percent"}))
    )
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("creator", "week", "orders", "revenue", "conversion_rate")
    assert rows[1] == ('=HYPERLINK("http://x")', datetime(2026, 3, 1), 3, 1234.5, 0.12345)
    assert rows[2] == ("@dealsbydana", datetime(2026, 3, 8), 0, -12.5, None)
    assert rows[3] == ("+cmd", datetime(2026, 3, 15), None, 0.0, 0.5)
    assert rows[4] == ("maya", datetime(2026, 3, 22), 12, None, 0.0004)
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 6))
    assert sheet["E2"].number_format == "0.0%" and sheet["D2"].number_format == "$#,##0.00"
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert isinstance(sheet["B2"].value, datetime) and sheet["B2"].value.date() == date(2026, 3, 1)


def test_an_excel_download_is_headed_as_the_table_on_screen() -> None:
    """The person opening the file reads the labels the table showed; a column without one keeps its name."""
    frame = pd.DataFrame({"creator": ["maya"], "ntb_pct": [0.25], "note": ["x"]})
    book = frame_to_xlsx(frame, {"ntb_pct": "percent"}, headers={"creator": "Creator", "ntb_pct": "New-to-brand %"})
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True)) == [("Creator", "New-to-brand %", "note"), ("maya", 0.25, "x")]


def test_a_pages_own_columns_are_formatted_in_excel_as_the_table_shows_them() -> None:
    """A catalog's price and rates are not registry metrics: the Products table shows them as $17.99 and 1.3 %, and
    the Excel cells carry the same formats, so a rate of 0.0125 reads 1.25 %, not 0.0125, under "Standard rate"."""
    from ui.tables import number_column, shown_formats, table_columns

    frame = pd.DataFrame(
        {
            "asin": ["B000000001"],
            "price": [17.99],
            "standard_rate": [0.0125],
            "revenue": [120.5],
            "commission_share": [0.12345],
            "rate_effect": [0.028],
            "top_asin_share": [0.7339372],
        }
    )
    extra = {
        "price": number_column("money", "Price"),
        "standard_rate": number_column("percent", "Standard rate"),
        # A share the page works out, not one a file states: shown as a registry ratio is.
        "top_asin_share": number_column("percent", "Top ASIN's share"),
    }
    formats = shown_formats(table_columns(frame, extra))
    assert formats == {
        "price": "money",
        "standard_rate": "rate",
        "revenue": "money",
        "commission_share": "percent",
        "rate_effect": "points",
        "top_asin_share": "percent",
    }
    sheet = load_workbook(io.BytesIO(frame_to_xlsx(frame, formats))).active
    assert sheet is not None
    # Every digit kept, shown as the table shows it: the catalog's rate with its own digits, a ratio to a tenth.
    assert [(cell.value, cell.number_format) for cell in sheet[2]] == [
        ("B000000001", "General"),
        (17.99, "$#,##0.00"),
        (0.0125, "0.0##%"),
        (120.5, "$#,##0.00"),
        (0.12345, "0.0%"),
        (2.8, '+0.0" pts";-0.0" pts";0.0" pts"'),
        (0.7339372, "0.0%"),
    ]


def test_a_download_is_named_for_the_dates_its_rows_cover() -> None:
    """The sidebar's period names a table's files unless the rows cover other dates: the Overview's weekly figures
    (the trend's weeks), the campaigns (each from its start, as of the last day of data), the commission change
    (both periods)."""
    from datetime import date as day

    from ui.tables import dates_covered, download_name

    weeks = dates_covered(day(2026, 8, 16), day(2026, 11, 14))
    assert download_name("creator_lift_weekly.csv", "xlsx", weeks) == "creator_lift_weekly_2026-08-16_2026-11-14.xlsx"
    assert download_name("c.csv", "csv", "as_of_2026-11-14") == "c_as_of_2026-11-14.csv"
    assert download_name("c.csv", "csv") == "c.csv"  # no session, no sidebar period
    assert download_name("creator_lift_@dealsbydana / x_asins.csv", "csv", "as_of_2026-11-14") == (
        "creator_lift_dealsbydana_x_asins_as_of_2026-11-14.csv"
    )


def test_a_download_names_the_first_three_filter_values_its_rows_are_narrowed_to() -> None:
    from ui.tables import download_name

    narrowed = ("Vitamins", "@maya", "Spring / Launch", "B0C1234567")
    assert download_name("creator_lift_creators.csv", "csv", "2026-10-18_2026-11-14", narrowed) == (
        "creator_lift_creators_Vitamins_maya_Spring_Launch_2026-10-18_2026-11-14.csv"
    )


def test_a_brands_table_downloads_carry_its_name_and_the_demos_do_not(monkeypatch) -> None:
    """An agency downloading the Creators table for a dozen brands got a dozen creator_lift_creators_….csv files."""
    from datetime import date as day
    from pathlib import Path

    from analytics.store.workspaces import Workspace
    from ui import tables
    from ui.sidebar import Filters

    period = Filters("Last 4 weeks", day(2026, 10, 18), day(2026, 11, 14), (), (), (), (), (), "previous")
    monkeypatch.setattr(tables, "current_filters", lambda: period)
    acme = Workspace("acme-nutrition", "Acme Nutrition", Path("acme-nutrition.duckdb"), holds_sample=False)
    monkeypatch.setattr(tables, "current_workspace", lambda: acme)
    assert tables.download_name("creator_lift_creators.csv", "csv") == (
        "creator_lift_acme-nutrition_creators_2026-10-18_2026-11-14.csv"
    )
    # The review is named as the tables are, so that a brand's files sort together, the brand spelt one way.
    assert tables.download_name("creator_lift_review.html", "html") == (
        "creator_lift_acme-nutrition_review_2026-10-18_2026-11-14.html"
    )
    demo = Workspace("demo", "Demo brand (sample data)", Path("creatorlift.duckdb"))
    monkeypatch.setattr(tables, "current_workspace", lambda: demo)
    assert tables.download_name("creator_lift_creators.csv", "csv") == "creator_lift_creators_2026-10-18_2026-11-14.csv"
    assert tables.download_name("creator_lift_review.html", "html") == "creator_lift_review_2026-10-18_2026-11-14.html"


def test_a_review_against_last_year_is_named_apart_from_one_against_the_period_before(monkeypatch) -> None:
    """The same 4 weeks against the 4 before and against last year are two reviews, not one file overwriting the
    other."""
    from dataclasses import replace
    from datetime import date as day

    from ui import report, tables
    from ui.sidebar import Filters

    period = Filters("Last 4 weeks", day(2026, 10, 18), day(2026, 11, 14), ("Vitamins",), (), (), (), (), "previous")
    monkeypatch.setattr(tables, "current_filters", lambda: period)
    assert report.review_file_name(period, "pdf") == "creator_lift_review_Vitamins_2026-10-18_2026-11-14.pdf"
    last_year = replace(period, comparison="year")
    assert report.review_file_name(last_year, "html") == (
        "creator_lift_review_Vitamins_2026-10-18_2026-11-14_vs_last_year.html"
    )


def test_a_review_is_named_for_its_brand_and_the_filters_it_is_narrowed_to() -> None:
    """An agency's reviews of a dozen brands, some for one line or creator, each keep a name of their own."""
    from ui.tables import download_name

    assert download_name("creator_lift_review_Vitamins_@maya.html", "html", "2026-10-18_2026-11-14") == (
        "creator_lift_review_Vitamins_maya_2026-10-18_2026-11-14.html"
    )


def test_an_excel_download_says_of_itself_on_an_about_sheet_whose_rows_they_are() -> None:
    """Renamed or pasted into a ledger, a file's name no longer says its brand, days or filters: a second sheet
    does, its values as text (a campaign named "=1+1" is no formula there either); the rows' sheet stays first."""
    about = [("Brand", "Acme"), ("Covers", "2026-10-01 to 2026-10-31"), ("Filters", "campaign =1+1")]
    workbook = load_workbook(io.BytesIO(frame_to_xlsx(pd.DataFrame({"revenue": [1.0]}), about=about)))
    assert workbook.sheetnames == ["Creator Lift", "About"]
    assert list(workbook["About"].iter_rows(values_only=True)) == about
    assert workbook["About"]["B3"].data_type == "s"
    assert load_workbook(io.BytesIO(frame_to_xlsx(pd.DataFrame({"revenue": [1.0]})))).sheetnames == ["Creator Lift"]


def test_csv_writes_small_floats_in_plain_digits() -> None:
    """A warehouse loader typing a column DECIMAL refused `8.98840555371142e-05` (a small ASIN's revenue share in a
    week) and `-7.35664986525437e-06` (a rate effect): written in plain digits, as many as the double holds."""
    frame = pd.DataFrame(
        {"asin": ["A", "B", "C", "D"], "share": [8.98840555371142e-05, -7.35664986525437e-06, 2.0, None]}
    )
    rows = list(csv.reader(io.StringIO(frame_to_csv(frame, escape_formulas=False))))
    assert rows[1:] == [["A", "0.0000898840555371142"], ["B", "-0.00000735664986525437"], ["C", "2.0"], ["D", ""]]


def test_an_excel_download_takes_the_exact_numbers_and_the_tables_words() -> None:
    """The commission split is shown rounded so that its parts add up (+0.5 for an ASIN's +0.552 pts); its Excel file
    held those rounded figures while the page said the download keeps every digit. It takes the exact figures the
    CSV writes, and the words the table shows where the CSV has the files' values."""
    from ui.tables import with_exact_numbers

    exact = pd.DataFrame({"program": ["creator_connections", "archer"], "mix_effect": [0.00552, -0.00606]})
    shown = pd.DataFrame({"program": ["Creator Connections", "Archer"], "mix_effect": [0.005, -0.006]})
    read = with_exact_numbers(exact, shown)
    assert read["program"].tolist() == ["Creator Connections", "Archer"]
    assert read["mix_effect"].tolist() == [0.00552, -0.00606]
    sheet = load_workbook(io.BytesIO(frame_to_xlsx(read, {"mix_effect": "points"}))).active
    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [0.552, -0.606]
