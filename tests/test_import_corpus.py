"""The files users actually have: broken ones are refused with a sentence and change nothing; odd but valid
ones load to exact values."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from analytics.contract.kinds import KINDS
from analytics.ingest.importer import load_file
from analytics.ingest.layout import FileRejectedError, LineEndings, Utf8Check
from analytics.store import database as store

PERF = "date,creator,asin,clicks,orders,revenue,commission\n"
ROW = "2026-03-01,maya,B0ABCDEFGH,10,1,20.00,2.00\n"


def zipped(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.csv", text)
    return buffer.getvalue()


BROKEN: list[tuple[str, bytes, str]] = [
    ("empty", b"", "the file is empty"),
    ("only whitespace", b"  \n\n \n", "the file is empty"),
    ("header without rows", PERF.encode(), "has a header (line 1) but no rows"),
    ("header and blank lines", (PERF + "\n\n").encode(), "but no rows"),
    ("header and a spreadsheet's empty rows", (PERF + ",,,,,,\n,,,,,,\n").encode(), "but no rows"),
    (
        "two exports pasted into one file",
        (PERF + ROW + PERF + "2026-03-02,maya,B0ABCDEFGH,3,0,0,0\n").encode(),
        "line 3, column 'date': 'date' is not a date (forms like 2026-03-01, 03/01/2026 or 20260301). The line "
        "repeats the header",
    ),
    (
        "two exports with their byte-order marks joined into one file",
        ("\ufeff" + PERF + ROW + "\ufeff" + PERF).encode(),
        "line 3, column 'date': 'date' is not a date (forms like 2026-03-01, 03/01/2026 or 20260301). The line "
        "repeats the header",
    ),
    (
        "a catalog pasted twice",
        b"asin,product_line\nB0ABCDEFGH,Protein\nasin,product_line\n",
        "line 3, column 'asin': 'asin' is not an ASIN (10 letters and digits, like B0C1234567). The line repeats the "
        "header",
    ),
    (
        "a bad value below an empty row keeps its own line number",
        (PERF + ",,,,,,\n" + ROW + "2026-03-02,maya,B0ABCDEFGH,ten,0,0,0\n").encode(),
        "line 4, column 'clicks': 'ten' is not a whole number",
    ),
    ("zip archive", zipped(PERF + ROW), "this is a zip archive (or a spreadsheet other than Excel's .xlsx), not a CSV"),
    ("gzip", gzip.compress((PERF + ROW).encode()), "gzip-compressed"),
    ("old excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
    ("utf-16 without its byte-order mark", (PERF + ROW).encode("utf-16-le"), "UTF-16 text without the byte-order"),
    ("utf-32", (PERF + ROW).encode("utf-32"), "the file is UTF-32 text"),
    ("binary", bytes(range(256)) * 4, "not a text file"),
    ("png image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a text file"),
    ("unrecognised columns", b"foo,bar,baz\n1,2,3\n", "cannot tell what kind of file this is"),
    ("single column", b"hello\nworld\n", "no line of the file looks like a header row"),
    (
        "a decimal comma among decimal points",
        (PERF + ROW + '2026-03-02,maya,B0ABCDEFGH,10,1,"12,50",1.25\n').encode(),
        "line 3, column 'revenue': '12,50' is not an amount of money. It is written the European way (12,50, or 1.000 "
        "for a thousand), where the file's other numbers have a decimal point (12.50)",
    ),
    (
        "a count's thousands grouped by a dot among decimal points",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,1.000,1,20.50,2.00\n").encode(),
        "line 2, column 'clicks': '1.000' is not a whole number. It is written the European way",
    ),
    (
        "a comma that groups no thousands",
        (PERF + '2026-03-01,maya,B0ABCDEFGH,"1,0000",1,20.00,2.00\n').encode(),
        "line 2, column 'clicks': '1,0000' is not a whole number.",
    ),
    (
        "a rate written as a whole number",
        b"ASIN,Product Line,Price,Standard Rate,Bonus Rate\nB0C1234567,Protein,29.99,0.03,0.10\n"
        b"B0C1234568,Protein,29.99,3,15\n",
        "line 3, column 'Standard Rate': '3' reads as more than 100 %, which a rate cannot be. Write a rate as a "
        "percent with its sign (10%) or as a fraction (0.10)",
    ),
    (
        "ragged row, too many",
        (PERF + ROW + '2026-03-02,maya,B0ABCDEFGH,1,0,0,0,EXTRA,MORE,"AND, MORE"\n').encode(),
        "line 3: the row has 10 cells where the header has 7",
    ),
    (
        "ragged row, too few",
        (PERF + ROW + "2026-03-02,maya,B0ABCDEFGH,1\n").encode(),
        "line 3: the row has 4 cells where the header has 7",
    ),
    (
        "unterminated quote",
        (PERF + ROW + '2026-03-02,"maya,B0ABCDEFGH,1,0,0,0\n').encode(),
        "line 3: the row has a quote that is never closed",
    ),
    (
        "a download cut off inside its last row",
        (PERF + ROW + "2026-03-02,maya,B0AB").encode(),
        "line 3: the row has 3 cells where the header has 7, and the file ends inside it: the download was cut off, "
        "so download the report again.",
    ),
    (
        "a download cut off inside the first cell of its last row: no note under the data",
        (PERF + ROW + "2026-03-0").encode(),
        "line 3: the row has 1 cell where the header has 7, and the file ends inside it: the download was cut off",
    ),
    (
        "a download cut off inside a quoted cell",
        (PERF + ROW + '2026-03-02,"ma').encode(),
        "line 3: the row has a quote that is never closed, and the file ends inside it: the download was cut off",
    ),
    (
        "word for a number",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,ten,1,20,2\n").encode(),
        "line 2, column 'clicks': 'ten' is not a whole number",
    ),
    (
        "a spreadsheet's totals row under the rows, not their sums",
        (PERF + ROW + "Grand Total,,,12,1,20.00,2.00\n").encode(),
        "line 3, column 'date': 'Grand Total' is not a date (forms like 2026-03-01, 03/01/2026 or 20260301). It looks "
        "like a totals row",
    ),
    (
        "a spreadsheet's totals row without a label, not the rows' sums",
        (PERF + ROW + ",,,10,1,24.00,2.00\n").encode(),
        "line 3, column 'date': the value is empty, and every row needs one. It looks like a totals row",
    ),
    (
        "an Excel subtotal row under a creator's rows",
        (PERF + ROW + ",Coach Mike Total,,10,1,20.00,2.00\n" + ROW.replace("maya", "leo")).encode(),
        "line 3, column 'date': the value is empty, and every row needs one. It looks like a subtotal row, as Excel's "
        "Subtotal command adds under each group: remove the subtotals (Data > Subtotal > Remove All)",
    ),
    (
        "a totals row labelled under another column than the date",
        (
            b"creator,date,asin,clicks,orders,revenue,commission\nmaya,2026-03-01,B0ABCDEFGH,10,1,20.00,2.00\n"
            b"Grand Total,,,10,2,20.00,2.00\n"
        ),
        "line 3, column 'date': the value is empty, and every row needs one. It looks like a totals row",
    ),
    (
        "a totals row labelled in the ASIN column",
        (PERF + ROW + "2026-03-01,maya,Total,10,1,20.00,2.00\n").encode(),
        "line 3, column 'asin': 'Total' is not an ASIN (10 letters and digits, like B0C1234567). It looks like a totals "
        "row",
    ),
    (
        "fractional orders",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,10,1.5,20,2\n").encode(),
        "column 'orders': '1.5' is not a whole number",
    ),
    (
        "negative clicks",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,-3,1,20,2\n").encode(),
        "column 'clicks': '-3' is negative",
    ),
    (
        "negative orders",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,3,-1,20,2\n").encode(),
        "column 'orders': '-1' is negative",
    ),
    (
        "negative units",
        (b"date,creator,asin,clicks,orders,units,revenue,commission\n2026-03-01,maya,B0ABCDEFGH,3,1,-2,20,2\n"),
        "column 'units': '-2' is negative while the row's 'revenue' (20) is not; only a return's row, whose "
        "'revenue' is below zero too, counts below zero.",
    ),
    (
        "money with letters",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,10,1,twenty,2\n").encode(),
        "column 'revenue': 'twenty' is not an amount of money",
    ),
    (
        "two decimal points",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,10,1,20.0.1,2\n").encode(),
        "'20.0.1' is not an amount of money",
    ),
    (
        "impossible date",
        (PERF + "2026-02-30,maya,B0ABCDEFGH,10,1,20,2\n").encode(),
        "column 'date': '2026-02-30' is not a date",
    ),
    ("words for a date", (PERF + "yesterday,maya,B0ABCDEFGH,10,1,20,2\n").encode(), "'yesterday' is not a date"),
    ("missing date", (PERF + ",maya,B0ABCDEFGH,10,1,20,2\n").encode(), "line 2, column 'date': the value is empty"),
    ("missing creator", (PERF + "2026-03-01,,B0ABCDEFGH,10,1,20,2\n").encode(), "column 'creator': the value is empty"),
    (
        "N/A for a required amount",
        (PERF + "2026-03-01,maya,B0ABCDEFGH,10,1,N/A,2\n").encode(),
        "line 2, column 'revenue': 'N/A' stands for no value, and every row needs one.",
    ),
    ("short asin", (PERF + "2026-03-01,maya,B0ABC,10,1,20,2\n").encode(), "'B0ABC' is not an ASIN"),
    ("long asin", (PERF + "2026-03-01,maya,B0ABCDEFGHIJ,10,1,20,2\n").encode(), "'B0ABCDEFGHIJ' is not an ASIN"),
    (
        "asin with punctuation",
        (PERF + "2026-03-01,maya,B0ABC-EFGH,10,1,20,2\n").encode(),
        "'B0ABC-EFGH' is not an ASIN",
    ),
    (
        "duplicate key",
        (PERF + ROW + "2026-03-02,maya,B0ABCDEFGH,1,0,0,0\n" + ROW).encode(),
        "lines 2 and 4: both rows have the same date, creator and asin (2026-03-01, maya, B0ABCDEFGH); each may",
    ),
    (
        "duplicate order line",
        b"order_id,order_date,customer_id,asin,revenue\nO1,2026-03-01,C1,B0ABCDEFGH,5\nO1,2026-03-02,C2,B0ABCDEFGH,6\n",
        "lines 2 and 3",
    ),
    (
        "a return on a line of its own beside its day's sale",
        (PERF + ROW + ROW.replace(",20.00,2.00", ",-20.00,-2.00")).encode(),
        "lines 2 and 3: both rows have the same date, creator and asin (2026-03-01, maya, B0ABCDEFGH); each may "
        "appear once in a file. One is a return (revenue below zero): add it into the sale's row",
    ),
    (
        "duplicate catalog asin",
        b"asin,product_line\nB0ABCDEFGH,Protein\nB0ABCDEFGH,Snacks\n",
        "lines 2 and 3: both rows have the same asin (B0ABCDEFGH) and differ in product_line (Protein and Snacks); "
        "each may appear once in a file: keep the row that is right.",
    ),
    (
        "same-day ranks without a time",
        b"date,asin,keyword,organic_rank\n2026-03-01,B0ABCDEFGH,whey,4\n2026-03-01,B0ABCDEFGH,whey,5\n",
        "lines 2 and 3",
    ),
    (
        "bad flag",
        b"order_id,order_date,customer_id,asin,revenue,new_to_brand\nO1,2026-03-01,C1,B0ABCDEFGH,5,maybe\n",
        "column 'new_to_brand': 'maybe' is not yes or no",
    ),
    (
        "bad rank",
        b"date,asin,keyword,organic_rank\n2026-03-01,B0ABCDEFGH,whey,top\n",
        "column 'organic_rank': 'top' is not a rank",
    ),
    (
        "bad rate",
        b"asin,product_line,bonus_rate\nB0ABCDEFGH,Protein,ten percent\n",
        "column 'bonus_rate': 'ten percent' is not a rate",
    ),
    (
        # Seven of a performance report's columns against a cohorts file's three: it was named a cohorts file
        # without buyers, for missing one column fewer, and the advice loaded its clicks and revenue as nothing.
        "performance report with creator and revenue renamed",
        b"Date,Campaign Name,Creator Storefront,ASIN,Product Title,Clicks,Purchases,Units Sold,Shipped Revenue,"
        b"Bonus Commission\n11/15/2026,Always-on,@maya,B0ABCDEFGH,Whey,3,1,1,$20.00,$2.00\n",
        "this may be a performance file, but no column of it reads as creator or revenue",
    ),
    (
        # The facts Amazon writes above a Search Query Performance table, and no table: offered for matching, its
        # facts were read as columns.
        "a report's line of facts alone",
        b'Brand=["Kestrel"],Reporting Range=["Weekly"],Select week=["Week 47 | 2026-11-15 - 2026-11-21 2026"]\n',
        "this is the line Amazon writes above a report's table (Brand, Reporting Range, Select week), and the file "
        "has no table under it",
    ),
    (
        "kind forced but column missing",
        b"date,creator,asin,clicks\n2026-03-01,maya,B0ABCDEFGH,3\n",
        "this may be a cohorts file, but no column of it reads as buyers",
    ),
    (
        "error deep in a file names its line",
        (
            PERF
            + ROW * 0
            + "".join(f"2026-03-{d:02d},maya,B0ABCDEFGH,1,0,0,0\n" for d in range(1, 29))
            + "2026-03-29,maya,B0ABCDEFGH,x,0,0,0\n"
        ).encode(),
        "line 30, column 'clicks'",
    ),
    (
        "line number counts a quoted value spanning lines",
        (
            PERF.replace("creator", "creator")
            + '2026-03-01,"maya\nsecond line",B0ABCDEFGH,1,0,0,0\n2026-03-02,maya,B0ABCDEFGH,oops,0,0,0\n'
        ).encode(),
        "line 4, column 'clicks'",
    ),
]


@pytest.fixture
def loaded(con, tmp_path):
    """A store holding one earlier load, so each case can prove it is left exactly as it was."""
    path = tmp_path / "earlier.csv"
    path.write_text(PERF + ROW)
    load_file(con, path)
    return con


def snapshot(con):
    tables = {}
    for kind in KINDS.values():
        for table in (kind.table, kind.history_table):
            tables[table] = sorted(map(repr, con.execute(f"select * from {table}").fetchall()))
    tables["loads"] = con.execute("select * from loads order by load_id").fetchall()
    tables["version"] = store.data_version(con)
    return tables


@pytest.mark.parametrize(("case", "content", "message"), BROKEN, ids=[case for case, _, _ in BROKEN])
def test_broken_file_is_refused_with_a_sentence_and_changes_nothing(loaded, tmp_path, case, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    before = snapshot(loaded)
    with pytest.raises(FileRejectedError) as refused:
        load_file(loaded, path, "upload.csv")
    assert message in str(refused.value)
    assert str(refused.value).startswith("upload.csv")
    assert snapshot(loaded) == before


@pytest.mark.parametrize(
    ("header", "rows", "totals", "line"),
    [
        (PERF, ROW + "2026-03-02,leo,B0ABCDEFGH,5,2,10.55,1.06\n", "Grand Total,,,15,3,30.55,3.06\n", 4),
        (PERF, ROW + "2026-03-02,leo,B0ABCDEFGH,5,2,10.55,1.06\n", ",,,15,,30.55,3.06\n\n,,,,,,\n", 4),
        (
            '"(Child) ASIN","Title","Sessions - Total","Units Ordered","Ordered Product Sales","Unit Session Percentage"\n',
            '"B0ABCDEFGH","Shaker","120","10","$1,234.56","8.33%"\n"B0ABCDEFG2","Bottle","30","3","$100.00","10%"\n',
            '"","Total","150","13","$1,334.56","8.67%"\n',
            4,
        ),
    ],
)
def test_a_spreadsheets_totals_row_of_the_rows_sums_is_left_out_and_said(con, tmp_path, header, rows, totals, line):
    """A file saved again from Excel ends in its SUM row: loaded, every total doubled; it was refused, and the person
    had to open the file to delete it. A last row with no date or name (or a total's word) whose every count and
    amount given is the sum of the rows above is left out, and the load says which line; rates are not read (a
    totals row may average them). A row that is not their sums is still refused (the cases above)."""
    path = tmp_path / "upload.csv"
    path.write_text(header + rows + totals, encoding="utf-8")
    sales = header.startswith('"(Child)')
    result = load_file(con, path, "upload.csv", period=(date(2026, 3, 1), date(2026, 3, 7)) if sales else None)
    assert result.added == 2
    assert f"line {line} left out: a totals row, each of its figures the sum of the rows above" in result.notes
    table, revenue = ("sales", "total_revenue") if sales else ("performance", "revenue")
    total = con.execute(f"select sum({revenue}) from {table}").fetchone()[0]
    assert float(total) == (1334.56 if sales else 30.55)


def test_a_totals_row_with_an_unreadable_cell_is_refused_and_one_over_a_blank_column_left_out(con, tmp_path):
    """A SUM row whose clicks read #REF! (a formula broken by a deleted column) is no sum of anything: refused, as
    before. One giving 0 under a column blank in every row above (Excel sums blanks to 0) is their sums."""
    path = tmp_path / "upload.csv"
    header = "date,creator,asin,clicks,orders,revenue,commission,units\n"
    rows = "2026-03-01,maya,B0ABCDEFGH,10,1,20.00,2.00,\n2026-03-02,leo,B0ABCDEFGH,5,2,10.55,1.06,\n"
    path.write_text(header + rows + "Total,,,#REF!,3,30.55,3.06,0\n")
    with pytest.raises(FileRejectedError, match="It looks like a totals row"):
        load_file(con, path, "upload.csv")
    path.write_text(header + rows + "Total,,,15,3,30.55,3.06,0\n")
    assert load_file(con, path, "upload.csv").added == 2


def test_a_row_missing_its_date_but_naming_its_creator_is_not_called_a_totals_row(loaded, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes((PERF + ROW + ",maya,B0ABCDEFGH,10,1,20.00,2.00\n").encode())
    with pytest.raises(FileRejectedError) as refused:
        load_file(loaded, path, "upload.csv")
    assert str(refused.value) == "upload.csv, line 3, column 'date': the value is empty, and every row needs one."


def test_a_forced_kind_missing_a_column_lists_what_is_needed(loaded, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(b"date,creator,asin,clicks\n2026-03-01,maya,B0ABCDEFGH,3\n")
    with pytest.raises(FileRejectedError, match="needs the column\\(s\\) orders, revenue, commission"):
        load_file(loaded, path, "upload.csv", kind="performance")


def test_the_unrecognised_file_message_lists_the_columns_found_and_each_kind(loaded, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(b"Day,Influencer Handle,Product\n2026-03-01,maya,B0ABCDEFGH\n")
    with pytest.raises(FileRejectedError) as refused:
        load_file(loaded, path, "upload.csv")
    text = str(refused.value)
    assert "Columns found: Day, Influencer Handle, Product" in text
    assert "performance needs date, creator, asin, clicks, orders, revenue, commission" in text
    assert "ranks needs date, asin, keyword, organic_rank" in text


# Odd but valid: (case, kind, file bytes, SQL over the loaded table, expected rows)
VALID: list[tuple[str, bytes, str, list[tuple[object, ...]]]] = [
    (
        "title lines above the header",
        b"Fee-Orders reports from 2026-03-01 to 2026-03-07\nGenerated 2026-03-08\n" + (PERF + ROW).encode(),
        "select clicks, revenue::double from performance",
        [(10, 20.0)],
    ),
    (
        "amazon metadata line",
        b'ASIN=["B0ABCDEFGH"],Reporting Range=["2026-03-01 - 2026-03-07"]\n' + (PERF + ROW).encode(),
        "select creator from performance",
        [("maya",)],
    ),
    (
        "tab separated with a BOM",
        "\ufeffDate\tCreator\tASIN\tClicks\tOrders\tRevenue\tCommission\n2026-03-01\tmaya\tB0ABCDEFGH\t5\t1\t9.99\t1\n".encode(),
        "select clicks, revenue::double from performance",
        [(5, 9.99)],
    ),
    (
        "windows-1252 from excel",
        (PERF + "2026-03-01,Café Olé,B0ABCDEFGH,5,1,9.99,1\n").encode("cp1252"),
        "select creator from performance",
        [("Café Olé",)],
    ),
    (
        "excel's unicode text: utf-16 with its byte-order mark, tab separated",
        ("\ufeff" + (PERF + "2026-03-01,Café Olé,B0ABCDEFGH,5,1,9.99,1\n").replace(",", "\t")).encode("utf-16-le"),
        "select creator, clicks, revenue::double from performance",
        [("Café Olé", 5, 9.99)],
    ),
    (
        "utf-16 big-endian with its byte-order mark",
        b"\xfe\xff" + (PERF + ROW).encode("utf-16-be"),
        "select creator, clicks, revenue::double from performance",
        [("maya", 10, 20.0)],
    ),
    (
        "money, thousands and currency forms",
        (
            PERF
            + '2026-03-01,a,B0ABCDEFGH,"1,841",1,"$1,234.56",$ 0.35\n'
            + "2026-03-02,a,B0ABCDEFGH,1,1,-$379.04,(1.50)\n"
        ).encode(),
        "select clicks, revenue::double, commission::double from performance order by date",
        [(1841, 1234.56, 0.35), (1, -379.04, -1.5)],
    ),
    (
        "mixed date forms in one column",
        (
            PERF
            + "2026-03-01,a,B0ABCDEFGH,1,0,0,0\n03/02/2026,a,B0ABCDEFGH,1,0,0,0\n2026-03-03 11:05:30,a,B0ABCDEFGH,1,0,0,0\n"
            + "3/4/2026 4:01 PM,a,B0ABCDEFGH,1,0,0,0\n20260305,a,B0ABCDEFGH,1,0,0,0\n"
        ).encode(),
        "select date::varchar from performance order by date",
        [("2026-03-01",), ("2026-03-02",), ("2026-03-03",), ("2026-03-04",), ("2026-03-05",)],
    ),
    (
        "day-first dates are recognised when a day exceeds 12",
        (PERF + "25/03/2026,a,B0ABCDEFGH,1,0,0,0\n04/03/2026,a,B0ABCDEFGH,1,0,0,0\n").encode(),
        "select date::varchar from performance order by date",
        [("2026-03-04",), ("2026-03-25",)],
    ),
    (
        "missing markers are missing",
        b"date,creator,asin,clicks,orders,units,revenue,commission,ntb_orders\n2026-03-01,a,B0ABCDEFGH,1,0,-,0,0,N/A\n",
        "select units, ntb_orders from performance",
        [(None, None)],
    ),
    (
        "helium 10 keyword tracker",
        b"Title,ASIN,Keyword Sales,Keyword,Marketplace,Search Volume,Organic Rank,Sponsored Position,Date Added\n"
        b'Whey 2lb,B0ABCDEFGH,120,whey protein,US,"12,400",>306,4,2/11/2026 4:01 PM\n'
        b'Whey 2lb,B0ABCDEFGH,120,whey protein,US,"12,400",17,-,2/11/2026 9:15 PM\n'
        b"Whey 2lb,B0ABCDEFGH,80,protein powder,US,8000,-,-,2/11/2026 4:01 PM\n",
        "select keyword, organic_rank, sponsored_rank, search_volume from ranks order by keyword",
        [("protein powder", None, None, 8000), ("whey protein", 17, None, 12400)],
    ),
    (
        "creator platform export with purchases and units sold",
        b"Date,Creator,ASIN,Clicks,Purchases,Units Sold,Sales,Commission\n2026-03-01,@maya,B0ABCDEFGH,40,3,4,$75.00,$7.50\n",
        "select orders, units, revenue::double, commission::double from performance",
        [(3, 4, 75.0, 7.5)],
    ),
    (
        "archer export without an order count",
        b'date,asin,creator,clicks,sales,unitsSold,commissionPaid\n2026-03-01,B0ABCDEFGH,maya,100,"$1,200.50",7,$120.05\n',
        "select orders, units, revenue::double, commission::double from performance",
        [(7, 7, 1200.5, 120.05)],
    ),
    (
        "header names with units in brackets and odd spacing",
        b" Date , Store ID ,ASIN,Link Clicks,Orders,Revenue ($),Commission Spend ($) \n2026-03-01,maya,b0abcdefgh,3,1,10,1\n",
        "select creator, asin, revenue::double from performance",
        [("maya", "B0ABCDEFGH", 10.0)],
    ),
    (
        "percent and fraction rates",
        b"asin,product_line,price,standard_rate,bonus_rate\nB0ABCDEFGH,Protein,$24.99,3%,0.10\n",
        "select price::double, standard_rate, bonus_rate from products",
        [(24.99, 0.03, 0.1)],
    ),
    (
        "flags in every form",
        b"order_id,order_date,customer_id,asin,revenue,new_to_brand,subscribe_and_save\n"
        b"O1,2026-03-01,C1,B0ABCDEFGH,5,Yes,N\nO2,2026-03-01,C1,B0ABCDEFGH,5,0,true\nO3,2026-03-01,C2,B0ABCDEFGH,5,Y,\n",
        "select order_id, new_to_brand, subscribe_and_save from orders order by order_id",
        [("O1", True, False), ("O2", False, True), ("O3", True, None)],
    ),
    (
        "text that looks like sql or a formula round-trips untouched",
        (
            PERF
            + '2026-03-01,"Robert\'); drop table performance;--",B0ABCDEFGH,1,0,0,0\n'
            + '2026-03-01,=HYPERLINK("x"),B0ABCDEFGH,1,0,0,0\n'
        ).encode(),
        "select creator from performance order by creator",
        [('=HYPERLINK("x")',), ("Robert'); drop table performance;--",)],
    ),
    (
        "quoted values with embedded delimiters and newlines",
        (PERF.replace("creator", "creator") + '2026-03-01,"Smith, Jane\n(UK)",B0ABCDEFGH,1,0,0,0\n').encode(),
        "select creator from performance",
        [("Smith, Jane\n(UK)",)],
    ),
    (
        "unknown extra columns are ignored",
        b"date,creator,asin,clicks,orders,revenue,commission,Notes,Region\n2026-03-01,a,B0ABCDEFGH,1,0,0,0,x,US\n",
        "select count(*) from performance",
        [(1,)],
    ),
    (
        "a spreadsheet's empty rows between and under the data",
        (PERF + ROW + ",,,,,,\n" + "2026-03-02,maya,B0ABCDEFGH,3,0,0,0\n" + ",,,,,,\r\n,,,,,,\n").encode(),
        "select date::varchar, clicks from performance order by date",
        [("2026-03-01", 10), ("2026-03-02", 3)],
    ),
    (
        "crlf line endings",
        (PERF + ROW).replace("\n", "\r\n").encode(),
        "select clicks from performance",
        [(10,)],
    ),
    (
        "semicolons and decimal commas, as European Excel saves a CSV",
        (PERF + ROW).replace(",", ";").replace(".", ",").encode()
        + "2026-03-02;maya;B0ABCDEFGH;1.234;1;1.234,50 €;-12,35 €\n".encode(),
        "select clicks, revenue::double, commission::double from performance order by date",
        [(10, 20.0, 2.0), (1234, 1234.5, -12.35)],
    ),
    (
        "semicolons and whole numbers only: thousands with dots",
        (PERF.replace(",", ";") + "2026-03-01;maya;B0ABCDEFGH;1.234;1;1.234;12\n").encode(),
        "select clicks, revenue::double from performance",
        [(1234, 1234.0)],
    ),
    (
        "semicolons and decimal points",
        (PERF.replace(",", ";") + "2026-03-01;maya;B0ABCDEFGH;1,234;1;1,234.50;0.35\n").encode(),
        "select clicks, revenue::double, commission::double from performance",
        [(1234, 1234.5, 0.35)],
    ),
    (
        "quoted decimal commas in a comma-separated file",
        (PERF + '2026-03-01,maya,B0ABCDEFGH,10,1,"12,50","1.234,56"\n').encode(),
        "select revenue::double, commission::double from performance",
        [(12.5, 1234.56)],
    ),
    (
        "a tab-separated file with decimal commas and a percent rate",
        b"asin\tproduct_line\tprice\tbonus_rate\nB0ABCDEFGH\tProtein\t24,99\t12,5 %\n",
        "select price::double, bonus_rate from products",
        [(24.99, 0.125)],
    ),
    (
        "dates written with dots are day first",
        (PERF + "04.03.2026,a,B0ABCDEFGH,1,0,0,0\n31.03.26,a,B0ABCDEFGH,1,0,0,0\n").encode(),
        "select date::varchar from performance order by date",
        [("2026-03-04",), ("2026-03-31",)],
    ),
    (
        "excel short years",
        (PERF + "3/1/26,a,B0ABCDEFGH,1,0,0,0\n").encode(),
        "select date::varchar from performance",
        [("2026-03-01",)],
    ),
]


def test_a_campaign_named_and_numbered_is_filed_under_its_name_whichever_column_comes_first(con, load_text):
    """A Creator Connections download with "Campaign ID" before "Campaign name": the ledger's budgets name the
    campaign, so the name feeds the campaign column and the id is ignored."""
    result = load_text(
        "ids.csv",
        """
        Date,Campaign ID,Campaign name,Creator,ASIN,Clicks,Orders,Sales,Commission
        2026-03-01,CC-100234,Always-on,Ana,B0ABCDEFGH,9,1,20.00,2.00
        """,
    )
    assert con.execute("select campaign from performance").fetchall() == [("Always-on",)]
    assert "ignored columns: Campaign ID" in result.summary()


@pytest.mark.parametrize(("case", "content", "query", "expected"), VALID, ids=[c for c, _, _, _ in VALID])
def test_odd_but_valid_file_loads_exact_values(con, tmp_path, case, content, query, expected):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    load_file(con, path, "upload.csv")
    assert con.execute(query).fetchall() == expected


def test_ignored_columns_and_encoding_are_reported(con, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(
        "date,creator,asin,clicks,orders,revenue,commission,Notes\n2026-03-01,Olé,B0ABCDEFGH,1,0,0,0,x\n".encode(
            "cp1252"
        )
    )
    summary = load_file(con, path, "upload.csv").summary()
    assert "ignored columns: Notes" in summary and "read as windows-1252" in summary
    # The load log keeps how the file was read, as the Data page's history shows it.
    (logged,) = con.execute("select notes from loads").fetchone()
    assert logged.endswith("; ignored columns: Notes; read as windows-1252"), logged
    path.write_bytes(
        ("\ufeff" + PERF.replace(",", "\t") + "2026-03-02\tOlé\tB0ABCDEFGH\t1\t0\t0\t0\n").encode("utf-16-le")
    )
    assert load_file(con, path, "unicode.txt").summary().endswith("read as UTF-16")


@pytest.mark.parametrize(
    ("chunks", "utf8"),
    [
        ((b"plain ", b"ascii"), True),
        ((b"Caf\xc3", b"\xa9 Ol\xc3\xa9", b" end"), True),  # é split across two chunks
        ((b"Caf\xc3", b"e", b"\xa9"), False),  # a character begun, broken by plain text
        ((b"Caf\xc3",), False),  # the file ends inside a character
        ((b"Caf\xe9", b" Ole"), False),  # windows-1252
    ],
)
def test_the_encoding_check_reads_characters_across_chunks(chunks, utf8):
    check = Utf8Check()
    for chunk in chunks:
        check.feed(chunk)
    assert check.finished() is utf8


@pytest.mark.parametrize(
    ("data", "mixed"),
    [
        (b"a\r\nb\r\n", False),
        (b"a\nb\n", False),
        (b"a\rb\r", False),  # old Mac text: one way all the same
        (b"a\r\nb\n", True),
        (b"a\r\nb\r\n\n", True),  # a blank line added on Linux or a Mac
        (b"a\r\nb\rc\r\n", True),
        (b"a\nb\r", True),
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 3, 100])
def test_the_line_ending_check_reads_endings_across_chunks(data, mixed, chunk):
    endings = LineEndings()
    for start in range(0, len(data), chunk):
        endings.feed(data[start : start + chunk])
    assert endings.mixed is mixed


@pytest.mark.parametrize("ending", ["\n", "\r"])
def test_a_windows_export_with_a_line_ended_another_way_loads(con, tmp_path, ending):
    """DuckDB's reader refused it as "a quoted value is never closed": a blank line appended on Linux, say."""
    rows = ["2026-03-01,maya,B0ABCDEFGH,10,1,12.50,1", "2026-03-02,maya,B0ABCDEFGH,20,2,25.00,2.5"]
    path = tmp_path / "appended.csv"
    path.write_bytes((PERF.replace("\n", "\r\n") + rows[0] + ending + rows[1] + "\r\n\n").encode())
    assert load_file(con, path, "appended.csv").added == 2
    assert con.execute("select sum(revenue), sum(commission) from performance").fetchone() == (37.5, 3.5)


@pytest.mark.parametrize(
    ("content", "said", "revenue"),
    [
        ((PERF + '2026-03-01,maya,B0ABCDEFGH,10,1,"12,50",1\n').encode(), True, 12.5),  # its cells show it
        ((PERF.replace(",", ";") + "2026-03-01;maya;B0ABCDEFGH;10;1;1.234;2\n").encode(), True, 1234),  # semicolons
        ((PERF + '2026-03-01,maya,B0ABCDEFGH,10,1,"1,234",1\n').encode(), False, 1234),  # thousands, as in the US
        ((PERF.replace(",", ";") + "2026-03-01;maya;B0ABCDEFGH;10;1;20.50;2\n").encode(), False, 20.5),
    ],
)
def test_a_load_says_when_it_reads_a_decimal_comma(con, tmp_path, content, said, revenue):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    result = load_file(con, path, "upload.csv")
    assert ("numbers read with a decimal comma (1.234,56 = 1234.56)" in result.notes) is said
    assert con.execute("select revenue::double from performance").fetchone()[0] == revenue


def test_ambiguous_slash_dates_are_read_month_first_and_said_so(con, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes((PERF + "03/04/2026,a,B0ABCDEFGH,1,0,0,0\n").encode())
    result = load_file(con, path, "upload.csv")
    assert con.execute("select date from performance").fetchone()[0] == date(2026, 3, 4)
    assert "read month first" in result.summary()


def _week(tmp_path, name: str, days: range, month: int, day_first: bool):
    """A week of performance rows with slash dates, written day first (British) or month first (US)."""
    path = tmp_path / name
    written = (f"{d:02d}/{month:02d}/2026" if day_first else f"{month:02d}/{d:02d}/2026" for d in days)
    path.write_text(PERF + "".join(f"{day},maya,B0ABCDEFGH,1,0,0,0\n" for day in written))
    return path


def test_slash_dates_nothing_decides_follow_the_brands_earlier_files(con, tmp_path):
    """A British brand's first days of November (01/11 to 05/11) read either way, too few to tell by their order;
    its October week's 25/10 showed the brand writes the day first, so November is read so, not spread over January
    to May."""
    october = load_file(con, _week(tmp_path, "october.csv", range(25, 32), 10, day_first=True))
    assert "'date' read day first (25/03/2026 style)" in october.notes
    november = load_file(con, _week(tmp_path, "november.csv", range(1, 6), 11, day_first=True))
    assert (
        f"'date' read day first (03/04/2026 is 3 April), as load {october.load_id}, a file with the same columns, "
        "showed" in november.notes
    )
    assert con.execute(
        "select min(date), max(date), count(*) from performance where load_id = $id", {"id": november.load_id}
    ).fetchone() == (date(2026, 11, 1), date(2026, 11, 5), 5)


def test_only_a_file_with_the_same_columns_decides_and_a_file_decides_its_own_other_columns(con, tmp_path):
    """A rank tracker's day-first dates say nothing of the brand's Amazon US performance export: its November week
    reads month first. An event's start of 25/03/2026 shows its end of 02/04/2026 is April 2, not February 4."""
    ranks = tmp_path / "ranks.csv"
    ranks.write_text("date,asin,keyword,organic_rank\n25/10/2026,B0ABCDEFGH,shaker,4\n")
    assert "'date' read day first (25/03/2026 style)" in load_file(con, ranks).notes
    us = load_file(con, _week(tmp_path, "us.csv", range(1, 6), 11, day_first=False))
    assert "'date' read month first (US style: 03/04/2026 is March 4)" in us.notes
    assert con.execute("select min(date) from performance").fetchone() == (date(2026, 11, 1),)
    events = tmp_path / "events.csv"
    events.write_text("name,start,end\nSpring sale,25/03/2026,02/04/2026\n")
    loaded = load_file(con, events)
    assert "'end' read day first (03/04/2026 is 3 April), as the file's other dates show" in loaded.notes
    assert con.execute('select start, "end" from events').fetchall() == [(date(2026, 3, 25), date(2026, 4, 2))]


def test_a_pound_brands_first_week_of_days_1_to_12_reads_day_first(con, tmp_path):
    """A brand made with £ whose first file is its November week: Amazon.co.uk writes 01/11/2026 for November 1.
    A file of the same columns that showed month first still decides over the currency."""
    from analytics.ingest.currency import choose_currency

    choose_currency(con, "£")
    first = load_file(con, _week(tmp_path, "first.csv", range(1, 6), 11, day_first=True))
    assert "'date' read day first (03/04/2026 is 3 April), as the exports of £ marketplaces write dates" in first.notes
    assert con.execute("select min(date), max(date) from performance").fetchone() == (
        date(2026, 11, 1),
        date(2026, 11, 5),
    )
    us = load_file(con, _week(tmp_path, "us.csv", range(20, 27), 10, day_first=False))
    later = load_file(con, _week(tmp_path, "later.csv", range(3, 8), 9, day_first=False))
    assert f"as load {us.load_id}, a file with the same columns, showed" in later.summary()


def test_the_latest_load_in_effect_that_showed_an_order_decides_and_an_undone_one_no_longer_does(con, tmp_path):
    def ambiguous_week(name: str) -> tuple[str, date]:
        """03/11 … 07/11: the load's summary and its first day as read."""
        loaded = load_file(con, _week(tmp_path, name, range(3, 8), 11, day_first=True))
        first = con.execute("select min(date) from performance where load_id = $id", {"id": loaded.load_id}).fetchone()
        store.unload(con, loaded.load_id)
        return loaded.summary(), first[0]

    british = load_file(con, _week(tmp_path, "british.csv", range(20, 27), 9, day_first=True))
    american = load_file(con, _week(tmp_path, "american.csv", range(20, 27), 10, day_first=False))
    said, first = ambiguous_week("ambiguous.csv")  # as the American file wrote dates: March 11 to July 11
    assert f"as load {american.load_id}, a file with the same columns, showed" in said and first == date(2026, 3, 11)
    store.unload(con, american.load_id)
    said, first = ambiguous_week("again.csv")
    assert f"as load {british.load_id}, a file with the same columns, showed" in said and first == date(2026, 11, 3)
    store.unload(con, british.load_id)
    said, first = ambiguous_week("alone.csv")
    assert "read month first (US style: 03/04/2026 is March 4)" in said and first == date(2026, 3, 11)


def test_a_week_of_slash_dates_reads_in_the_order_that_makes_them_days_in_a_row(con, tmp_path):
    """A dollar brand's week, then a British colleague's export of the next week (01/03 … 07/03, commas, decimal
    points): read month first as a dollar brand's files are, its seven days fell on the 3rd of seven months, from
    January to July, beside the brand's real March. Read day first they are March 1 to 7, days in a row; a US week
    (04/01 … 04/07) after it still reads month first, its own days in a row."""
    load_file(con, _week(tmp_path, "february.csv", range(22, 29), 2, day_first=False))
    british = load_file(con, _week(tmp_path, "british.csv", range(1, 8), 3, day_first=True))
    assert (
        "'date' read day first (03/04/2026 is 3 April): so its dates are days in a row, where read the other way they "
        "fall a month apart" in british.notes
    )
    us = load_file(con, _week(tmp_path, "us.csv", range(1, 8), 4, day_first=False))
    assert "'date' read month first (03/04/2026 is March 4): so its dates are days in a row" in us.summary()
    assert con.execute("select min(date), max(date), count(distinct date) from performance").fetchone() == (
        date(2026, 2, 22),
        date(2026, 4, 7),
        21,
    )


def test_dates_written_with_dots_say_nothing_of_a_later_files_slash_dates(con, tmp_path):
    """A European colleague's export (semicolons, 01.03.2026, 494,89) then the brand's US week of the same columns
    (4/5/2026 … 4/9/2026, too few days to tell by their order): the dots were taken to show the brand writes the
    day first, and the US days landed from May 4 to September 4, beside the week they double counted."""
    dotted = tmp_path / "dotted.csv"
    dotted.write_text(PERF.replace(",", ";") + "".join(f"0{d}.03.2026;maya;B0ABCDEFGH;1;0;0;0\n" for d in range(1, 8)))
    assert "'date' written with dots, read day first (31.10.2026 style)" in load_file(con, dotted).notes
    us = tmp_path / "us.csv"
    us.write_text(PERF + "".join(f"4/{d}/2026,maya,B0ABCDEFGH,1,0,0,0\n" for d in range(5, 10)))
    loaded = load_file(con, us)
    assert "'date' read month first (US style: 03/04/2026 is March 4)" in loaded.notes
    assert con.execute(
        "select min(date), max(date) from performance where load_id = $id", {"id": loaded.load_id}
    ).fetchone() == (date(2026, 4, 5), date(2026, 4, 9))


def test_a_file_without_dates_takes_the_period_from_its_title(con, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(
        b"Fee-Orders reports from 03/01/2026 to 03/31/2026\nCreator,ASIN,Clicks,Orders,Revenue,Commission\nmaya,B0ABCDEFGH,5,1,10,1\n"
    )
    result = load_file(con, path, "upload.csv")
    assert con.execute("select date::varchar from performance").fetchall() == [("2026-03-01",)]
    loads = store.list_loads(con)
    assert (loads.iloc[0]["period_start"].date(), loads.iloc[0]["period_end"].date()) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert "stored on 2026-03-01" in result.summary()


def test_a_file_without_dates_takes_a_given_period(con, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(b"Creator,ASIN,Clicks,Orders,Revenue,Commission\nmaya,B0ABCDEFGH,5,1,10,1\n")
    load_file(con, path, "upload.csv", period=(date(2026, 4, 1), date(2026, 4, 30)))
    assert con.execute("select date::varchar from performance").fetchall() == [("2026-04-01",)]


def test_a_mapping_is_saved_and_reused_for_the_same_header(con, tmp_path):
    header = "Day,Influencer Handle,Product,Taps,Buys,Gross,Payout\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(header + "2026-03-01,maya,B0ABCDEFGH,10,1,20,2\n")
    second.write_text(header + "2026-03-02,maya,B0ABCDEFGH,8,2,40,4\n")
    mapping = {
        "date": "Day",
        "creator": "Influencer Handle",
        "asin": "Product",
        "clicks": "Taps",
        "orders": "Buys",
        "revenue": "Gross",
        "commission": "Payout",
    }
    load_file(con, first, "a.csv", kind="performance", mapping=mapping)
    load_file(con, second, "b.csv")
    assert con.execute("select sum(orders) from performance").fetchone()[0] == 3


def test_an_excel_workbook_loads_its_first_sheet(con, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"])
    sheet.append([date(2026, 3, 1), "maya", "B0ABCDEFGH", 10, 1, 20.5, 2])
    path = tmp_path / "report.xlsx"
    book.save(path)
    load_file(con, path, "report.xlsx")
    assert con.execute("select date::varchar, revenue::double from performance").fetchall() == [("2026-03-01", 20.5)]


def test_a_bad_cell_in_a_one_sheet_workbook_is_named_by_the_row_excel_numbers(con, tmp_path):
    """A marketer looks for "row 5" in Excel, not "line 5": the header is row 1, the bad cell's row is 5."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"])
    for clicks in (10, 11, 12, "1O"):
        book.active.append([date(2026, 3, 1), f"maya{clicks}", "B0ABCDEFGH", clicks, 1, 20.5, 2])
    path = tmp_path / "report.xlsx"
    book.save(path)
    with pytest.raises(FileRejectedError, match=r"^report.xlsx, row 5, column 'Clicks': '1O' is not a whole number"):
        load_file(con, path, "report.xlsx")


def test_an_excel_workbook_renamed_csv_is_read_as_the_workbook_it_is(con, tmp_path):
    """Saved as "report.csv" by hand, a workbook is still a zip holding xl/workbook.xml: read as one, not refused
    with advice to save it as CSV again."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"])
    book.active.append([date(2026, 3, 1), "maya", "B0ABCDEFGH", 10, 1, 20.5, 2])
    path = tmp_path / "report.csv"
    book.save(path)
    assert load_file(con, path, "report.csv").added == 1
    assert con.execute("select date::varchar, revenue::double from performance").fetchall() == [("2026-03-01", 20.5)]


def test_a_workbook_opening_on_a_summary_loads_the_sheet_with_the_rows_and_says_which(con, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Creator Connections, March"])
    summary.append(["Total revenue", 20.5])
    rows = book.create_sheet("Rows")
    rows.append(["Report for March 2026"])  # a title line above the header, as in a CSV
    rows.append(["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"])
    rows.append([date(2026, 3, 1), "maya", "B0ABCDEFGH", 10, 1, 20.5, 2])
    book.create_sheet("Notes").append(["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    result = load_file(con, path, "report.xlsx")
    assert con.execute("select creator, revenue::double from performance").fetchall() == [("maya", 20.5)]
    assert result.notes[-1] == "read the sheet 'Rows': the first, 'Summary', holds no table"


def test_a_workbook_of_a_week_a_sheet_loads_every_week_and_names_a_sheet_it_does_not_read(con, tmp_path):
    """Weeks 1 and 2 on sheets of one header: both are read (the second's rows were dropped without a word). A sheet
    of ASINs, titles and prices has other columns: it is not read, and the load says so."""
    import openpyxl

    header = ["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"]
    book = openpyxl.Workbook()
    book.active.title = "Week 1"
    book.active.append(header)
    book.active.append([date(2026, 3, 1), "maya", "B0ABCDEFGH", 10, 1, 20.5, 2])
    week2 = book.create_sheet("Week 2")
    week2.append(["Creator Connections, week 2"])  # its own title line above the same header
    week2.append(header)
    week2.append([date(2026, 3, 8), "maya", "B0ABCDEFGH", 5, 2, 41.0, 4])
    week2.append([date(2026, 3, 9), "leo", "B0ABCDEFGH", 3, 0, 0, 0])
    lookup = book.create_sheet("Lookup")
    lookup.append(["ASIN", "Title", "Price"])
    lookup.append(["B0ABCDEFGH", "Whey", 29.99])
    book.create_sheet("Notes").append(["Week 2 restated by Amazon on Mar 12"])  # a sentence: nobody's rows
    shipments = book.create_sheet("Shipments")  # two columns of rows: a table, named as not read
    shipments.append(["ASIN", "Shipment note"])
    shipments.append(["B0ABCDEFGH", "late"])
    path = tmp_path / "weeks.xlsx"
    book.save(path)
    result = load_file(con, path, "weeks.xlsx")
    assert con.execute("select date::varchar, creator, revenue::double from performance order by date").fetchall() == [
        ("2026-03-01", "maya", 20.5),
        ("2026-03-08", "maya", 41.0),
        ("2026-03-09", "leo", 0.0),
    ]
    assert result.notes[-1] == (
        "read the sheets 'Week 1' and 'Week 2', which share one header; not read: the sheets 'Lookup' and "
        "'Shipments', whose columns differ from those of 'Week 1'"
    )


def test_a_year_of_weeks_a_sheet_loads_every_week_and_a_bad_cell_is_named_by_its_sheet_and_row(con, tmp_path):
    """26 weekly sheets: every one is read (not the first 20), named first to last. A sheet whose columns sit one
    place to the right is another header, not read, rather than rows under the wrong columns. A bad cell on the
    third row of 'Week 3' is refused there, not at the line of the sheets joined."""
    import openpyxl

    header = ["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for week in range(26):
        sheet = book.create_sheet(f"Week {week + 1}")
        sheet.append(header)
        sheet.append([date(2026, 1, 4) + timedelta(weeks=week), "maya", "B0ABCDEFGH", 10, 1, 20.5, 2])
    book.create_sheet("Shifted").append([None, *header])
    book["Shifted"].append([None, date(2026, 12, 1), "leo", "B0ABCDEFGH", 1, 0, 0, 0])
    path = tmp_path / "year.xlsx"
    book.save(path)
    result = load_file(con, path, "year.xlsx")
    assert con.execute("select count(*), count(distinct creator) from performance").fetchone() == (26, 1)
    assert result.notes[-1] == (
        "read 26 sheets, 'Week 1' to 'Week 26', which share one header; not read: the sheet 'Shifted', whose columns "
        "differ from those of 'Week 1'"
    )
    book["Week 3"].append([date(2026, 1, 19), "leo", "B0ABCDEFGH", "ten", 1, 20.5, 2])
    book.save(path)
    with pytest.raises(FileRejectedError, match="year.xlsx, sheet 'Week 3', row 3, column 'Clicks': 'ten' is not a"):
        load_file(con, path, "year.xlsx")


def test_a_windows_csv_row_of_another_width_is_refused_with_its_count(con, tmp_path):
    """Excel saves CSV with CRLF: a row of eight cells under seven headers is named, not a crash of the reader."""
    path = tmp_path / "wide.csv"
    path.write_bytes((PERF + ROW + "2026-03-02,maya,B0ABCDEFGH,10,1,20.00,2.00,extra\n").replace("\n", "\r\n").encode())
    with pytest.raises(FileRejectedError, match="line 3: the row has 8 cells where the header has 7"):
        load_file(con, path, "wide.csv")


def test_a_workbook_opening_on_a_table_is_read_there_whatever_its_other_sheets_hold(con, tmp_path):
    """A first sheet whose columns must be matched by hand is the one the matching screen shows and loads: a later
    sheet that passes for a catalog (a lookup of ASINs and titles) is not taken instead."""
    import openpyxl

    from analytics.ingest.importer import inspect_file

    book = openpyxl.Workbook()
    book.active.append(["Day", "Handle", "Product", "Taps", "Sales count", "Gross", "Fee"])
    book.active.append([date(2026, 3, 1), "maya", "B0ABCDEFGH", 10, 1, 20.5, 2])
    book.create_sheet("Lookup").append(["ASIN", "Title"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    assert inspect_file(con, path, "report.xlsx").header[0] == "Day"
    mapping = {"date": "Day", "creator": "Handle", "asin": "Product", "clicks": "Taps", "orders": "Sales count"}
    result = load_file(
        con, path, "report.xlsx", kind="performance", mapping=mapping | {"revenue": "Gross", "commission": "Fee"}
    )
    assert con.execute("select creator, clicks, revenue::double from performance").fetchall() == [("maya", 10, 20.5)]
    assert not any("sheet" in note for note in result.notes)


def test_a_workbook_whose_sheets_name_no_kind_is_refused_on_its_first(con, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Total revenue", 20.5])
    book.create_sheet("Other").append(["Notes", "Owner"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    with pytest.raises(FileRejectedError, match="Columns found: Total revenue, 20.5"):
        load_file(con, path, "report.xlsx")


def test_a_kind_missing_columns_is_named_with_its_article(con, tmp_path) -> None:
    """An orders file, a sales file: the sentence reads as English whatever the kind."""
    from analytics.ingest.layout import FileRejectedError
    from analytics.store.changes import load_file

    path = tmp_path / "o.csv"
    path.write_text("order_id,asin,customer_id,revenue\nO1,AAAAAAAAA1,c1,10\n")
    with pytest.raises(FileRejectedError, match=r"o\.csv, line 1: an orders file needs the column\(s\) order_date"):
        load_file(con, path, kind="orders")


@pytest.mark.parametrize(
    ("cells", "days"),
    [
        # Amazon's dashed US form, month first, as its Fee-Orders reports write "from 03-01-2026 to 03-31-2026".
        (["11-03-2026", "11-04-2026"], ["2026-11-03", "2026-11-04"]),
        # A 25 shows the dashed dates put the day first, as a slash date's would.
        (["25-03-2026", "03-04-2026"], ["2026-03-25", "2026-04-03"]),
        # Excel's d-mmm-yy.
        (["1-Nov-26", "2-Nov-26"], ["2026-11-01", "2026-11-02"]),
    ],
)
def test_dashed_dates_are_read_as_their_slashed_twins(con, tmp_path, cells, days):
    path = tmp_path / "dashed.csv"
    path.write_text(PERF + "".join(f"{cell},maya,B0ABCDEFGH,10,1,20.00,2.00\n" for cell in cells))
    load_file(con, path, "dashed.csv")
    assert [r[0] for r in con.execute("select date::varchar from performance order by date").fetchall()] == days


def test_excels_number_for_a_day_is_refused_with_how_to_mend_it(con, tmp_path):
    path = tmp_path / "serial.csv"
    path.write_text(PERF + "46327,maya,B0ABCDEFGH,10,1,20.00,2.00\n")
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "serial.csv")
    assert str(refused.value) == (
        "serial.csv, line 2, column 'date': '46327' is not a date (forms like 2026-03-01, 03/01/2026 or 20260301). It "
        "looks like Excel's number for a day: format the column as a date in Excel (Format Cells > Date), save the "
        "file and upload it again."
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("events.csv", "name,start,end\nPrime Day,2026-07-14,2026-07-17\nDeal days,2026-07-17,2026-07-14\n"),
        (
            "campaigns.csv",
            "campaign,type,start,end,budget\nSpring,launch,2026-03-01,2026-03-31,500\n"
            "Summer,event,2026-07-17,2026-07-14,900\n",
        ),
    ],
)
def test_an_event_or_campaign_ending_before_it_starts_is_refused_by_line(con, tmp_path, name, content):
    """A reversed Prime Day would leave out no day from a rank lift that excludes events, and a reversed campaign
    would pace a budget over no days: the row is refused, naming its end, and nothing is stored."""
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path)
    assert str(refused.value) == f"{name}, line 3, column 'end': the row's period ends ('2026-07-14') before it starts."
    assert con.execute("select count(*) from loads").fetchone() == (0,)


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (
            PERF.strip() + ",NTB orders,sns_orders\n2026-03-01,maya,B0ABCDEFGH,10,2,20.00,2.00,2,2\n"
            "2026-03-02,maya,B0ABCDEFGH,10,2,20.00,2.00,7,0\n",
            "upload.csv, line 3, column 'NTB orders': '7' is more than the row's 'orders' (2), of which it counts a "
            "part; check that each column is matched to its own header.",
        ),
        (
            "period_start,period_end,creator,buyers,ntb_buyers,repeat_buyers\n"
            "2026-03-01,2026-03-31,maya,10,4,10\n2026-03-01,2026-03-31,ana,10,40,1\n",
            "upload.csv, line 3, column 'ntb_buyers': '40' is more than the row's 'buyers' (10), of which it counts a "
            "part; check that each column is matched to its own header.",
        ),
    ],
)
def test_a_part_counted_above_its_whole_is_refused_by_line(con, tmp_path, content, refusal):
    """New-to-brand orders are "of the orders" (SPEC): 7 of 2 is a column matched to the wrong header or shifted by
    one, and read as it is, it would show a new-to-brand share of 350 %. A part equal to its whole loads."""
    path = tmp_path / "upload.csv"
    path.write_text(content)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path)
    assert str(refused.value) == refusal
    path.write_text("\n".join(content.splitlines()[:2]) + "\n")
    assert load_file(con, path).added == 1


def test_a_warehouse_dumps_backslash_n_is_no_value_not_a_campaign_named_so(con, tmp_path):
    """MySQL and many warehouse exports write a NULL as \\N: read as text it made a campaign called "\\N"."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,order_date,asin,customer_id,revenue,creator,campaign\n"
        "o1,2026-03-01,B0ABCDEFGH,c1,20.00,\\N,\\N\no2,2026-03-02,B0ABCDEFGH,c2,10.00,maya,Spring\n"
    )
    load_file(con, path)
    assert con.execute("select order_id, creator, campaign from orders order by order_id").fetchall() == [
        ("o1", None, None),
        ("o2", "maya", "Spring"),
    ]


@pytest.mark.parametrize("marked", [False, True])
def test_a_utf8_file_one_byte_damages_is_refused_at_that_line_not_read_as_windows_1252(con, tmp_path, marked):
    """Twenty UTF-8 names and one Windows-1252 é on line 22: read as Windows-1252, every "josé" became "josÃ©", a
    creator of its own. With a byte-order mark saying UTF-8, one UTF-8 name is enough to tell."""
    rows = 1 if marked else 20
    content = (b"\xef\xbb\xbf" if marked else b"") + PERF.encode()
    content += b"".join(f"2026-03-01,josé{n},B0ABCDEFGH,1,0,0,0\n".encode() for n in range(rows))
    whole = content
    content += b"2026-03-02,caf\xe9,B0ABCDEFGH,1,0,0,0\n"
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "upload.csv")
    assert str(refused.value) == (
        f"upload.csv, line {rows + 2}: the line holds bytes that are not UTF-8 text, though the rest of the file is. "
        "Save the file again as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8) and upload it again."
    )
    # A UTF-8 file cut inside its last character is damaged too, at its last line.
    path.write_bytes(whole + b"2026-03-03,Zo\xc3")
    with pytest.raises(
        FileRejectedError, match=f"upload.csv, line {rows + 2}: the line holds bytes that are not UTF-8"
    ):
        load_file(con, path, "upload.csv")
    path.write_bytes(PERF.encode() + b"2026-03-02,caf\xe9,B0ABCDEFGH,1,0,0,0\n")  # Windows-1252 throughout
    assert "read as windows-1252" in load_file(con, path, "upload.csv").summary()
    assert con.execute("select creator from performance").fetchall() == [("café",)]


def test_a_note_typed_under_the_data_is_named_as_one_to_delete(con, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_text(PERF + ROW + "Exported by the brand team; figures are not final\n")
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "upload.csv")
    assert str(refused.value) == (
        "upload.csv, line 3: the row has 1 cell where the header has 7; if it is a note under the data, delete it "
        "and upload the file again."
    )


def test_an_empty_workbook_is_refused_in_words_a_marketer_reads(con, tmp_path):
    import openpyxl

    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "empty.xlsx")
    assert str(refused.value) == "empty.xlsx: this Excel workbook holds no rows; check that it is the report."


def test_a_file_loaded_as_another_kind_than_its_columns_make_says_which_they_make(con, tmp_path):
    """A Business Report loaded with --kind performance was refused for lacking a performance report's columns,
    with a list of the report's two dozen: not a word that it is a Business Report, which loads as one."""
    path = tmp_path / "business_report.csv"
    path.write_bytes(
        (Path(__file__).parent / "fixtures" / "layouts" / "business_report_child_item_new.csv").read_bytes()
    )
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path, "business_report.csv", kind="performance")
    assert str(refused.value).endswith(
        "Its columns are all those of a Business Report: load it as one (--kind sales, or leave --kind out; on the "
        "Data page, its kind is found from its columns)."
    )
