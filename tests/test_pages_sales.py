"""The pages with the brand's own downloads: the Data page asks a Business Report for its period, offering the last
complete week, and the Products page shows total revenue, the creators' share of it and the Buy Box beside
creator-attributed sales."""

from __future__ import annotations

import html
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics.grouped import data_range
from analytics.metrics.periods import DEFAULT_PRESET, preset_range
from analytics.present.report import weekly_report
from analytics.present.report_page import report_html
from analytics.store.brand_terms import brand_terms
from analytics.store.changes import load_file, unload
from analytics.store.database import list_loads, open_store
from analytics.words import range_words
from tests.conftest import ROOT
from tests.plotly_support import charts_titled, values

LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
DATA, PRODUCTS = "pages/data.py", "pages/products.py"

pytestmark = pytest.mark.usefixtures("entry_script_on_every_run")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sales_rows(db: Path) -> list[tuple[object, ...]]:
    """The sales rows of the fixture's ASINs (the sample brand has its own Business Report)."""
    con = duckdb.connect(str(db))
    try:
        return con.execute(
            "select asin, period_start, period_end from sales where asin in ('B0C1234567', 'B0C1234568', 'B0D7654321') "
            "order by asin"
        ).fetchall()
    finally:
        con.close()


def sells_the_reports_products(db: Path, tmp_path: Path) -> None:
    """Add the fixture report's three ASINs to the sample brand's catalog: a brand's Business Report names its own
    products, and one naming none of them would wait for the person to say it is the brand's."""
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("asin,product_line\nB0C1234567,Shakers\nB0C1234568,Shakers\nB0D7654321,Shakers\n")
    con = open_store(db)
    try:
        load_file(con, catalog)
    finally:
        con.close()


def without_sample_sales(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the sample's Business Report load, so the test's own sales rows are the only ones."""
    loads = list_loads(con)
    unload(con, int(loads.loc[loads["file"] == "business_report.csv", "id"].iloc[0]))


def undo_sample_sales(db: Path) -> None:
    """`without_sample_sales` on the store at `db`."""
    con = open_store(db)
    try:
        without_sample_sales(con)
    finally:
        con.close()


def upload_the_report(name: str = "business_report.csv", report: bytes | None = None) -> AppTest:
    """The Data page with the fixture's Business Report (or `report`) uploaded, waiting for its period."""
    at = open_page(DATA)
    data = report if report is not None else (LAYOUTS / "business_report_child_item_new.csv").read_bytes()
    at.file_uploader[0].set_value((name, data, "text/csv"))
    return at.run()


def period_question(at: AppTest) -> Any:
    """The period question's list of weeks."""
    return next(r for r in at.radio if str(r.key).startswith("data_period_week_"))


def load_for_week(at: AppTest, week: str | None) -> None:
    """Choose `week` in the period question (none: leave it unchosen) and click Load."""
    if week is not None:
        period_question(at).set_value(week).run()
    next(b for b in at.button if b.label == "Load with this period").click().run()


def test_another_brands_report_is_asked_whose_it_is_before_its_week_and_loads_for_the_week_chosen(
    app_env: Path,
) -> None:
    """The fixture report names none of the sample brand's products: whether it is the brand's is asked first (an
    agency's round through a dozen brands was asked another brand's week before finding it was another brand's).
    Said to be the brand's, its week is asked, and the load keeps both answers."""
    undo_sample_sales(app_env)
    at = upload_the_report()
    assert not at.exception, [e.value for e in at.exception]
    assert not [r for r in at.radio if str(r.key).startswith("data_period_week_")]
    next(b for b in at.button if b.label.startswith("It is ")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert sales_rows(app_env) == []
    load_for_week(at, "Nov 1 – Nov 7, 2026")
    assert not at.exception, [e.value for e in at.exception]
    assert {(r[1], r[2]) for r in sales_rows(app_env)} == {(date(2026, 11, 1), date(2026, 11, 7))}
    assert not any(b.label.startswith("It is ") for b in at.button)


def test_the_overview_says_a_report_waits_for_its_period(app_env: Path, tmp_path: Path) -> None:
    """A Business Report left at its period question is in none of the figures: the Overview, where the week's review
    is read and sent, says so and links to the question. Discarded, the Data page says so, and the Overview says
    nothing more."""
    sells_the_reports_products(app_env, tmp_path)
    at = upload_the_report()
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value.replace("\\", "") for w in at.warning if "waits for you" in w.value] == [
        "1 uploaded file waits for you on the Data page: business_report.csv (to say which period it covers). Until "
        "then their rows are in none of these figures."
    ]
    at.switch_page(DATA).run()
    next(b for b in at.button if b.label.startswith("Discard")).click().run()
    assert any(
        i.value.replace("\\", "") == "business_report.csv: discarded; nothing from it was loaded." for i in at.info
    )
    at.switch_page("pages/overview.py").run()
    assert not [w.value for w in at.warning if "waits for you" in w.value]


def test_a_business_report_is_loaded_once_its_period_is_chosen(app_env: Path, tmp_path: Path) -> None:
    sells_the_reports_products(app_env, tmp_path)
    at = open_page(DATA)
    report = (LAYOUTS / "business_report_child_item_new.csv").read_bytes()
    at.file_uploader[0].set_value(("business_report.csv", report, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("does not say which period it covers" in w.value for w in at.warning)
    # Every week of the sample holds its Business Report already: no week is listed, the dates are asked for, and
    # what loading it for a week of them does is said. They are not filled in: the last whole week, filled in, holds a
    # report, which one click replaced with this file's figures.
    start = next(d for d in at.date_input if str(d.key).startswith("data_period_start_"))
    end = next(d for d in at.date_input if str(d.key).startswith("data_period_end_"))
    assert (start.value, end.value) == (None, None)
    assert next(r for r in at.radio if str(r.key).startswith("data_period_week_")).value == "Other dates"
    assert any(
        c.value.startswith(
            "Every whole week of your data, up to the last 26, shares days with a Business Report already loaded: "
            "loading this file for one of them replaces"
        )
        for c in at.caption
    ), [c.value for c in at.caption]
    next(b for b in at.button if b.label == "Load with this period").click().run()
    assert any("Give the first and last day this file covers." in e.value for e in at.error), at.error
    assert sales_rows(app_env) == []
    next(d for d in at.date_input if str(d.key).startswith("data_period_start_")).set_value(date(2026, 6, 28))
    next(d for d in at.date_input if str(d.key).startswith("data_period_end_")).set_value(date(2026, 7, 4)).run()
    # The week the dates give holds the sample's report: said before the load, in case they are another week's (a
    # week's report given last week's dates replaced last week's figures, row for row, without a word).
    [warned] = [w.value for w in at.warning if "already holds" in w.value]
    # The sample's own Business Report is named business_report.csv too, escaped as Markdown shows it.
    assert warned.startswith("Jun 28 – Jul 4, 2026 already holds business\\_report\\.csv (load ")
    assert warned.endswith(
        ": loading business\\_report\\.csv for these dates replaces its figures with this file's. If this file "
        "covers another week, give that week's dates."
    )
    next(b for b in at.button if b.label == "Load with this period").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = sales_rows(app_env)
    assert [r[0] for r in rows] == ["B0C1234567", "B0C1234568", "B0D7654321"]
    assert {(r[1], r[2]) for r in rows} == {(date(2026, 6, 28), date(2026, 7, 4))}
    assert any("business_report.csv: Sales, 3 added" in s.value.replace("\\", "") for s in at.success), [
        s.value for s in at.success
    ]


def test_catching_up_the_period_question_lists_the_weeks_without_a_report_and_chooses_none(
    app_env: Path, tmp_path: Path
) -> None:
    """A brand catching up on Business Reports uploads its oldest week first as often as its newest, and the report
    holds no date: offering the newest week at a click filed the older week's sales under the newer, silently. With
    the sample's reports undone (performance to Sat Nov 14, 2026), the question lists the four latest weeks without a
    report, and October, a month's close, and chooses none; a week chosen loads for it, and is listed no more. A
    month sharing days with a loaded report is not offered."""
    sells_the_reports_products(app_env, tmp_path)
    undo_sample_sales(app_env)
    at = upload_the_report()
    question = period_question(at)
    weeks = ["Nov 8 – Nov 14, 2026", "Nov 1 – Nov 7, 2026", "Oct 25 – Oct 31, 2026", "Oct 18 – Oct 24, 2026"]
    month = "October 2026, the whole month"
    assert list(question.options) == [*weeks, month, "Other dates"]
    assert question.value is None
    assert any(
        "The latest weeks of your data without a Business Report yet, and the last full month: choose the one this "
        "file covers." in c.value
        for c in at.caption
    )
    load_for_week(at, None)
    assert any("Choose the week this file covers" in e.value for e in at.error), [e.value for e in at.error]
    assert sales_rows(app_env) == []
    load_for_week(at, weeks[1])
    assert not at.exception, [e.value for e in at.exception]
    assert {(r[1], r[2]) for r in sales_rows(app_env)} == {(date(2026, 11, 1), date(2026, 11, 7))}

    report = (LAYOUTS / "business_report_child_item_new.csv").read_bytes()
    second = upload_the_report("next.csv", report.replace(b"212", b"213"))
    assert list(period_question(second).options) == [
        weeks[0],
        *weeks[2:],
        "Oct 11 – Oct 17, 2026",
        month,
        "Other dates",
    ]
    load_for_week(second, weeks[2])  # Oct 25 – 31: October shares its days now
    assert month not in period_question(upload_the_report("third.csv", report.replace(b"212", b"214"))).options


def test_a_report_whose_creators_sold_more_than_its_total_loads_under_a_warning_to_check_its_period(
    app_env: Path, tmp_path: Path
) -> None:
    """Creators sold $3,500.00 of B0C1234567 on Nov 3, 2026; the report says $3,051.48 in all. Given Nov 1–7, the
    file loads (a restatement can do it), but in a warning box saying to check the period, not a green one."""
    sells_the_reports_products(app_env, tmp_path)
    performance = tmp_path / "perf.csv"
    performance.write_text(
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-03,Always-on,@maya,B0C1234567,900,70,3500.00,350.00\n"
    )
    con = open_store(app_env)
    try:
        load_file(con, performance, on_unfamiliar="load")
        without_sample_sales(con)
    finally:
        con.close()
    at = upload_the_report()
    load_for_week(at, "Nov 1 – Nov 7, 2026")
    assert not at.exception, [e.value for e in at.exception]
    said = (
        "B0C1234567 sold $3,500.00 through creators from 2026-11-01 to 2026-11-07, more than this file's total of "
        "$3,051.48 for it: check that the period is the report's"
    )
    assert any(said in w.value.replace("\\", "") for w in at.warning), [w.value for w in at.warning]
    assert not any("business_report.csv" in s.value for s in at.success)
    # What to check leads the file's line, before the new ASINs and ignored columns.
    [box] = [w.value.replace("\\", "") for w in at.warning if said in w.value.replace("\\", "")]
    assert box.startswith(f"business_report.csv: Sales, 3 added, 0 updated, 0 unchanged; {said}"), box
    assert {(r[1], r[2]) for r in sales_rows(app_env)} == {(date(2026, 11, 1), date(2026, 11, 7))}
    # The Products page says what a creator share over 100% most likely means.
    products = open_page(PRODUCTS)
    products.selectbox(key="filter_period").set_value("Custom range").run()
    products.date_input(key="filter_dates").set_value((date(2026, 11, 1), date(2026, 11, 7))).run()
    warned = [w.value for w in products.warning if "Creator share of sales is over 100% for B0C1234567" in w.value]
    assert warned, [w.value for w in products.warning]


def test_a_business_report_refused_for_a_bad_cell_is_not_asked_its_period_and_a_wrong_period_is_asked_again(
    app_env: Path, tmp_path: Path
) -> None:
    """Units Ordered "abc" on line 3: no period would load the file, so it is refused on upload, naming the line to
    mend, and no period is asked (it was, and the answer led to the refusal). A period ending before it starts can be
    mended in the form, which stays."""
    sells_the_reports_products(app_env, tmp_path)
    report = (LAYOUTS / "business_report_child_item_new.csv").read_text()
    lines = report.splitlines()
    lines[2] = lines[2].replace('"97","0"', '"abc","0"', 1)
    at = open_page(DATA)
    at.file_uploader[0].set_value(("broken.csv", "\n".join(lines).encode(), "text/csv"))
    at.run()
    errors = [e.value for e in at.error]
    assert any("line 3" in e and "Units Ordered" in e for e in errors), errors
    assert not any(str(d.key).startswith("data_period_") for d in at.date_input)
    assert sales_rows(app_env) == []

    at = open_page(DATA)
    at.file_uploader[0].set_value(("business_report.csv", report.encode(), "text/csv"))
    at.run()

    def choose(start: date, end: date) -> None:
        next(d for d in at.date_input if str(d.key).startswith("data_period_start_")).set_value(start)
        next(d for d in at.date_input if str(d.key).startswith("data_period_end_")).set_value(end)
        next(b for b in at.button if b.label == "Load with this period").click().run()
        assert not at.exception, [e.value for e in at.exception]

    choose(date(2026, 7, 4), date(2026, 6, 28))
    assert any("ends before it starts" in e.value for e in at.error), [e.value for e in at.error]
    assert any(str(d.key).startswith("data_period_start_") for d in at.date_input)
    choose(date(2026, 6, 28), date(2026, 7, 4))
    assert not at.error and not any(str(d.key).startswith("data_period_") for d in at.date_input)
    assert len(sales_rows(app_env)) == 3


def test_a_question_an_upload_waits_on_outlives_the_tab(app_env: Path, tmp_path: Path) -> None:
    """A Business Report waiting for its period: a reload (a new session) asks again, rather than dropping the file
    without a word; once answered and loaded, no session asks again, and a discarded one is gone too."""
    sells_the_reports_products(app_env, tmp_path)
    at = open_page(DATA)
    report = (LAYOUTS / "business_report_child_item_new.csv").read_bytes()
    at.file_uploader[0].set_value(("business_report.csv", report, "text/csv"))
    at.run()
    assert any(str(d.key).startswith("data_period_start_") for d in at.date_input)

    reloaded = open_page(DATA)
    assert any("Which period does business" in m.value for m in reloaded.markdown)
    next(d for d in reloaded.date_input if str(d.key).startswith("data_period_start_")).set_value(date(2026, 6, 28))
    next(d for d in reloaded.date_input if str(d.key).startswith("data_period_end_")).set_value(date(2026, 7, 4))
    next(b for b in reloaded.button if b.label == "Load with this period").click().run()
    assert [r[0] for r in sales_rows(app_env)] == ["B0C1234567", "B0C1234568", "B0D7654321"]
    assert not any(str(d.key).startswith("data_period_") for d in open_page(DATA).date_input)

    again = open_page(DATA)
    again.file_uploader[0].set_value(("business_report.csv", report.replace(b"212", b"213"), "text/csv"))
    again.run()
    next(b for b in again.button if str(b.key).startswith("data_period_discard_")).click().run()
    assert not any(str(d.key).startswith("data_period_") for d in open_page(DATA).date_input)


def one_week_of_sales(db: Path) -> tuple[str, float]:
    """One sales row for the sample's top ASIN over the default period's last week, the sample's own Business
    Report undone: $100,000 of total revenue. The ASIN and its attributed revenue that week."""
    con = open_store(db)
    try:
        without_sample_sales(con)
        end = preset_range(DEFAULT_PRESET, data_range(con)[1])[1]  # type: ignore[index]
        start = end - timedelta(days=6)
        asin, attributed = con.execute(
            "select asin, cast(sum(revenue) as double) from performance where date between $s and $e "
            "group by asin order by 2 desc limit 1",
            {"s": start, "e": end},
        ).fetchone()  # type: ignore[misc]
        path = db.parent / "sales.csv"
        path.write_text(f"period_start,period_end,asin,total_revenue,total_units\n{start},{end},{asin},100000,900\n")
        load_file(con, path, "sales.csv", into_demo=True)
    finally:
        con.close()
    return str(asin), float(attributed)


def test_the_products_page_shows_total_revenue_and_the_creators_share_of_it(app_env: Path) -> None:
    """Total revenue 100,000, so the ASIN's creator share is that week's attributed revenue / 100,000."""
    asin, attributed = one_week_of_sales(app_env)
    at = open_page(PRODUCTS)
    table = next(d for d in at.dataframe if "total_revenue" in d.value.columns)
    assert "total_revenue" in table.proto.column_order and "creator_sales_share" in table.proto.column_order
    row = table.value.set_index("asin").loc[asin]
    assert row["total_revenue"] == 100000
    # Percent columns are shown as the KPI cards write them: 1.5 for 1.48 %.
    assert row["creator_sales_share"] == pytest.approx(round(100 * attributed / 100000, 1))


def test_an_asin_only_a_business_report_names_is_listed_in_unassigned_beside_its_total(app_env: Path) -> None:
    """B0ZZZZZZZ1 sold $250.00 in the default period's last week by the Business Report, and no creator nor the
    catalog names it. Its sales are in Unassigned's total revenue on the product-line tab, so the ASIN tab lists it
    there too, with no creator revenue, rather than leaving the line's total unaccounted for; by the report's title,
    since the catalog has none for it."""
    asin, _ = one_week_of_sales(app_env)
    con = open_store(app_env)
    try:
        start, end = con.execute("select period_start, period_end from sales where asin = $a", {"a": asin}).fetchone()  # type: ignore[misc]
        path = app_env.parent / "other.csv"
        path.write_text(
            f"period_start,period_end,asin,title,total_revenue,total_units\n"
            f"{start},{end},B0ZZZZZZZ1,Kestrel Shaker Bottle,250,5\n"
        )
        load_file(con, path, "other.csv", into_demo=True, on_unfamiliar="load")
    finally:
        con.close()
    at = open_page(PRODUCTS)
    table = next(d for d in at.dataframe if "total_revenue" in d.value.columns and "asin" in d.value.columns)
    row = table.value.set_index("asin").loc["B0ZZZZZZZ1"]
    assert (row["product_line"], row["total_revenue"], row["revenue"]) == ("Unassigned", 250, 0)
    assert row["title"] == "Kestrel Shaker Bottle"


@pytest.mark.usefixtures("app_env")
def test_a_months_products_download_says_which_days_its_sales_columns_cover(monkeypatch: pytest.MonkeyPatch) -> None:
    """October's tables: the sample's weekly Business Reports wholly inside it run Oct 4 – Oct 31, and the 32 rows of
    the week of Sep 27 cross its edge. The page said so; its Excel files, named for Oct 1 – Oct 31, did not, and their
    total revenue read as the month's."""
    from ui import tables

    about: dict[str, list[tuple[str, str]]] = {}
    headers: dict[str, dict[str, str]] = {}

    def written(*args: object, key: str, **kwargs: object) -> None:
        about[key], headers[key] = kwargs["about"], kwargs["headers"]  # type: ignore[assignment]

    monkeypatch.setattr(tables, "download", written)
    at = open_page(PRODUCTS)
    at.selectbox(key="filter_period").select("Last full month").run()
    assert not at.exception, [e.value for e in at.exception]
    for key in ("products_asin_table_download", "products_line_table_download"):
        [(label, said)] = about[key]
        assert label == "Sales columns"
        assert said.startswith("Total revenue and Creator share of sales come from the sales periods wholly inside ")
        assert "Oct 4 – Oct 31, 2026" in said and "32 sales rows cover days outside the selected dates" in said
        # Headed with their days, as the table beside the month's attributed revenue heads them.
        assert headers[key]["total_revenue"] == "Total revenue, Oct 4 – Oct 31"
        assert headers[key]["creator_sales_share"].endswith(", Oct 4 – Oct 31")
        assert headers[key]["revenue"] == "Attributed revenue"


@pytest.mark.usefixtures("app_env")
def test_a_split_written_in_hundredths_is_downloaded_in_hundredths_and_names_the_period_shown_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the Products page writes the split of commission share in hundredths (tenths would misstate a part),
    its Excel cells read +0.0 pts all the same: +6.67 = +7.14 - 0.47 became +6.7, +7.1 and -0.5, a row no longer
    adding up. And the About sheet read 'January against February' of February's table against January."""
    from analytics.review import screens
    from ui import tables

    written = {}
    monkeypatch.setattr(tables, "download", lambda *args, key, **kwargs: written.__setitem__(key, kwargs))
    split = screens.effects_that_add_up
    monkeypatch.setattr(screens, "effects_that_add_up", lambda changes: (split(changes)[0], 2))
    at = open_page(PRODUCTS)
    at.selectbox(key="filter_period").select("Last full month").run()
    assert not at.exception, [e.value for e in at.exception]
    download = written["products_commission_change_download"]
    assert {download["formats"][c] for c in ("share_change", "rate_effect", "mix_effect")} == {"points_hundredths"}
    assert download["covering"] == "2026-10-01_2026-10-31_vs_2026-09-01_2026-09-30"
    assert tables.download_about(download["covering"])[1] == (
        "Covers",
        "2026-10-01 to 2026-10-31 against 2026-09-01 to 2026-09-30",
    )


def test_the_products_page_charts_one_asins_sales_and_the_creators_part_by_week(app_env: Path) -> None:
    """Picked on the Products page, the ASIN's week draws $100,000 of all sales, the attributed revenue of those
    days inside it, and their ratio as the share."""
    asin, attributed = one_week_of_sales(app_env)
    at = open_page(PRODUCTS)
    at.selectbox(key="products_sales_pick").set_value(asin).run()
    assert not at.exception, [e.value for e in at.exception]
    [spec] = charts_titled(at, "all sales and those through")
    total, creators, share = (values(trace["y"]) for trace in spec["data"])
    assert total == [100000.0]
    assert creators == [pytest.approx(attributed)] and share == [pytest.approx(attributed / 100000)]


def test_the_brand_search_terms_are_set_on_the_data_page(app_env: Path) -> None:
    at = open_page(DATA)
    at.text_input(key="data_brand_terms_demo").input("Acme, acme labs,  ACME ")
    next(b for b in at.button if b.label == "Save terms").click().run()
    assert not at.exception, [e.value for e in at.exception]
    con = open_store(app_env)
    try:
        assert brand_terms(con) == ["Acme", "acme labs"]
    finally:
        con.close()
    assert at.text_input(key="data_brand_terms_demo").value == "Acme, acme labs"


def test_the_products_page_says_how_many_sales_rows_straddle_the_dates(app_env: Path) -> None:
    con = open_store(app_env)
    try:
        end = preset_range(DEFAULT_PRESET, data_range(con)[1])[1]  # type: ignore[index]
        path = app_env.parent / "month.csv"
        path.write_text(
            f"period_start,period_end,asin,total_revenue,total_units\n{end - timedelta(days=2)},{end + timedelta(days=5)},"
            "B0STRADDL1,10,1\n"
        )
        load_file(con, path, "month.csv", into_demo=True)
    finally:
        con.close()
    at = open_page(PRODUCTS)
    assert any("1 sales row covers days outside the selected dates and is left out" in c.value for c in at.caption)


@pytest.mark.usefixtures("app_env")
def test_a_past_periods_launches_are_those_of_its_own_window() -> None:
    """B0GCGLOJ4P went on sale on Sep 20, 2026: the Products page for August listed it as a launch with no sales,
    judged against the window ending on the data's last day rather than the period's."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "Custom range"
    at.query_params["start"] = "2026-08-01"
    at.query_params["end"] = "2026-08-31"
    at.run()
    at.switch_page(PRODUCTS).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(i.value for i in at.info)
    assert "B0GCGLOJ4P" not in shown
    # Over the default period, which ends after it went on sale, it is one.
    launches = " ".join(i.value for i in open_page(PRODUCTS).info)
    assert "**Launches** (on sale since" in launches and "B0GCGLOJ4P" in launches


@pytest.mark.usefixtures("app_env")
def test_a_commission_split_against_a_year_before_the_data_says_why_it_has_none() -> None:
    """The sample starts on Dec 21, 2025: the same weeks a year before the default period hold no data, and the split
    was a table of dashes."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["compare"] = "year"
    at.run()
    at.switch_page(PRODUCTS).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(i.value for i in at.info)
    assert "The data starts on Dec 21, 2025, after the period compared with (Oct 19 – Nov 15, 2025)" in shown
    assert "Compare with the previous period in the sidebar, or upload older performance reports" in shown
    assert not [frame for frame in at.dataframe if "rate_effect" in frame.value.columns]


@pytest.mark.usefixtures("app_env")
def test_a_commission_split_against_a_previous_period_before_the_data_suggests_a_shorter_period() -> None:
    """Six weeks from the sample's first day, compared with the six weeks before it: already the previous period, so
    the page suggests a shorter one rather than the comparison it has."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"period": "Custom range", "start": "2025-12-21", "end": "2026-01-31"})
    at.run()
    at.switch_page(PRODUCTS).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(i.value for i in at.info)
    assert "A shorter period in the sidebar (Last complete week) may have data before it; or upload" in shown, shown
    assert "Compare with the previous period" not in shown


def test_a_week_no_business_report_covers_is_named_under_the_sales_chart(empty_app_env: Path, tmp_path: Path) -> None:
    """Reports for the weeks of Oct 25 and Nov 8, none for Nov 1: the caption said the chart covered every week from
    Oct 25 to Nov 14 while it drew two. The week left out is named."""
    sales, performance = tmp_path / "sales.csv", tmp_path / "performance.csv"
    sales.write_text(
        "period_start,period_end,asin,total_revenue,total_units\n"
        "2026-10-25,2026-10-31,B0HYDRA001,200,10\n"
        "2026-11-08,2026-11-14,B0HYDRA001,300,15\n"
    )
    performance.write_text("date,creator,asin,clicks,orders,revenue,commission\n2026-11-14,Ana,B0HYDRA001,20,2,20,2\n")
    con = open_store(empty_app_env)
    load_file(con, sales)
    load_file(con, performance)
    con.close()
    at = open_page(PRODUCTS)
    [caption] = [c.value for c in at.caption if c.value.startswith("Whole Sunday–Saturday weeks")]
    assert "No sales file (Business Report) covers the week of Nov 1: it is left out of the chart." in caption


def test_weeks_before_the_creator_connections_reports_show_no_creators_share(
    empty_app_env: Path, tmp_path: Path
) -> None:
    """Business Reports for the weeks of Oct 25, Nov 1 and Nov 8, performance for Nov 8 - 14 alone: the share was drawn
    at 0 % for the first two weeks, as if creators had sold nothing. Nov 8's: $30 of $300 = 10 %."""
    sales, performance = tmp_path / "sales.csv", tmp_path / "performance.csv"
    sales.write_text(
        "period_start,period_end,asin,total_revenue,total_units,sessions\n"
        "2026-10-25,2026-10-31,B0HYDRA001,200,10,100\n"
        "2026-11-01,2026-11-07,B0HYDRA001,250,12,110\n"
        "2026-11-08,2026-11-14,B0HYDRA001,300,15,120\n"
    )
    performance.write_text(
        "date,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-08,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-11-14,Ana,B0HYDRA001,20,2,20.00,2.00\n"
    )
    con = open_store(empty_app_env)
    load_file(con, sales)
    load_file(con, performance)
    con.close()
    at = open_page(PRODUCTS)
    [spec] = charts_titled(at, "all sales and those through")
    total, creators, share = (values(trace["y"]) for trace in spec["data"])
    assert total == [200.0, 250.0, 300.0]
    assert creators[2] == pytest.approx(30.0) and share[2] == pytest.approx(0.1)
    assert all(value is None or value != value for value in (*creators[:2], *share[:2]))  # blank, not 0
    assert any(
        "No Creator Connections report covers the weeks of Oct 25, Nov 1: they show all sales alone" in c.value
        for c in at.caption
    )
    # No catalog: the notice says so once, without a second list of every ASIN missing from it, nor a caption or a
    # rate history speaking of a products file that is not there, nor a Launch column of empty boxes, which would
    # read as "not a launch".
    assert any("No products file yet" in i.value for i in at.info)
    assert not any("Not in your products file" in c.value or "from your products file" in c.value for c in at.caption)
    assert not any("in your products file yet" in i.value for i in at.info)
    asins = next(d for d in at.dataframe if "asin" in d.value.columns and "total_revenue" in d.value.columns)
    assert "is_launch" not in asins.proto.column_order and "launch_date" not in asins.proto.column_order
    # Nor the products file's columns of dashes, which pushed the sales file's past the screen's edge: all sales, the
    # creators' share and the Buy Box stand beside attributed revenue.
    order = list(asins.proto.column_order)
    assert not {"price", "standard_rate", "bonus_rate", "creator_payout_per_sale"} & set(order)
    assert order[order.index("revenue") : order.index("revenue") + 4] == [
        "revenue",
        "total_revenue",
        "creator_sales_share",
        "buy_box_pct",
    ]


@pytest.mark.usefixtures("app_env")
def test_the_products_page_names_the_days_its_sales_columns_cover_when_they_are_fewer_than_the_periods() -> None:
    """The sample's Business Reports are weekly, Sunday to Saturday. October 2026 (Last full month) holds the weeks of
    Oct 4 to Oct 25 whole; the 32 rows of Sep 27 - Oct 3 cross its first day. Total revenue and the creators' share
    are over Oct 4 - 31, and the page says so. The default 4 weeks are whole weeks: nothing said."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "Last full month"
    at.run()
    at.switch_page(PRODUCTS).run()
    assert not at.exception, [e.value for e in at.exception]
    [note] = [c.value for c in at.caption if "sales periods wholly inside" in c.value]
    assert note == (
        "Total revenue and Creator share of sales come from the sales periods wholly inside the selected dates "
        "(Oct 1 – Oct 31, 2026), which cover Oct 4 – Oct 31, 2026: the share sets the creators' revenue on those days against total revenue, so it is not "
        "the attributed revenue of every selected day divided by it. 32 sales rows cover days outside the selected "
        "dates and are left out: choose dates that hold their whole period to count them."
    )
    default = open_page(PRODUCTS)
    assert not [c.value for c in default.caption if "sales periods wholly inside" in c.value or "sales row" in c.value]


def without_customer_files(db: Path, preset: str, query: str) -> tuple[date, date, tuple[Any, ...] | None]:
    """The sample at `db` without its order lines and cohorts (a brand without a clean room); the dates of `preset`
    and the row `query` (over `$start` and `$end`) reads there."""
    con = open_store(db)
    try:
        loads = list_loads(con)
        for name in ("orders.csv", "cohorts.csv"):
            unload(con, int(loads.loc[loads["file"] == name, "id"].iloc[0]))
        start, end = preset_range(preset, data_range(con)[1])  # type: ignore[index]
        return start, end, con.execute(query, {"start": start, "end": end}).fetchone()
    finally:
        con.close()


def test_without_order_lines_the_customers_page_shows_brand_analytics_repeat_rate_of_all_buyers(
    app_env: Path,
) -> None:
    """A brand without a clean room: the sample without its order lines and cohorts. Over the last 13 weeks (Aug 16 –
    Nov 14, 2026) the Repeat Purchase rows of September and October lie inside, and their customers' repeat share,
    Σ(unique customers × repeat %) / Σ unique customers, is all buyers' repeat rate. The card had no creators' rate
    to set it against, so the figure was never shown, while a note spoke of it."""
    start, end, row = without_customer_files(
        app_env,
        "Last 13 weeks",
        "select sum(unique_customers * repeat_customers_pct) / sum(unique_customers) from repeat_purchase "
        "where period_start >= $start and period_end <= $end",
    )
    assert row is not None and row[0] is not None
    expected = f"{100 * float(row[0]):.1f}%"
    at = open_page("pages/customers.py")
    at.selectbox(key="filter_period").set_value("Last 13 weeks").run()
    assert not at.exception, [e.value for e in at.exception]
    # The rows counted are September's and October's: said, since they are not the sidebar's 13 weeks.
    said = (
        f"All buyers: **{expected}**, from Brand Analytics repeat purchases, within its periods (Sep 1 – Oct 31, 2026)."
    )
    assert any(c.value == said for c in at.caption), [c.value for c in at.caption]
    assert not any("there is no baseline of all buyers to compare them with" in c.value for c in at.caption)
    # All buyers' repeat rate is known, not their new-to-brand %: the new-to-brand chart does not promise their bars.
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in at.get("plotly_chart")]
    assert "New-to-brand % by product line: creator-attributed buyers" in titles, titles
    # The Overview's notes under its cards and the review's say it too, beside the Repeat rate card's dash.
    overview = open_page(PRODUCTS)
    overview.switch_page("pages/overview.py").run()
    overview.selectbox(key="filter_period").set_value("Last 13 weeks").run()
    sentence = f"Repeat rate of all buyers: {expected}, from Brand Analytics repeat purchases, within its periods."
    assert any(c.value == sentence for c in overview.caption), [c.value for c in overview.caption]
    con = open_store(app_env)
    try:
        page = report_html(weekly_report(con, "Acme", period=(start, end)), [])
    finally:
        con.close()
    assert sentence in html.unescape(page)


def test_without_order_lines_repeat_purchase_rows_crossing_the_dates_are_said_to_be_left_out(app_env: Path) -> None:
    """The default 4 weeks (Oct 18 – Nov 14, 2026) cut October's Repeat Purchase rows, and the Customers page read as
    if the report had never been loaded: "no baseline of all buyers … an orders file adds it". It now says how many
    rows cross the dates and what would count them; with order lines loaded, they are not the page's source and
    nothing is said."""
    with_lines = open_page("pages/customers.py")
    assert not [c.value for c in with_lines.caption if "repeat purchase row" in c.value]
    _, _, row = without_customer_files(
        app_env,
        "Last 4 weeks",
        "select count(*) from repeat_purchase where period_start <= $end and period_end >= $start "
        "and (period_start < $start or period_end > $end)",
    )
    assert row is not None and row[0] > 1
    at = open_page("pages/customers.py")
    said = (
        f":material/calendar_month: {row[0]} Brand Analytics repeat purchase rows cover days outside the selected "
        "dates as well as inside them, and are left out of all buyers' repeat rate: choose dates that hold their "
        "whole period (a calendar month for a monthly report) to count them."
    )
    assert said in [c.value for c in at.caption], [c.value for c in at.caption]


def test_repeat_purchase_reports_outside_the_dates_are_said_to_be_loaded(app_env: Path) -> None:
    """The last complete week touches none of the Repeat Purchase months: the page asked for an upload the brand had
    made. It now says which months are loaded and what would count them."""
    _, _, row = without_customer_files(
        app_env,
        "Last complete week",
        "select min(period_start), max(period_end) from repeat_purchase where period_end < $start or $end < period_start",
    )
    assert row is not None and row[0] is not None
    at = open_page("pages/customers.py")
    at.selectbox(key="filter_period").set_value("Last complete week").run()
    said = (
        f":material/calendar_month: Brand Analytics repeat purchase reports are loaded for {range_words(*row)}, "
        "outside the selected dates: choose dates holding one of their whole periods (Last full month, for a monthly "
        "report) to see all buyers' repeat rate."
    )
    assert said in [c.value for c in at.caption], [c.value for c in at.caption]
    at.selectbox(key="filter_period").set_value("Last 13 weeks").run()
    assert not [c.value for c in at.caption if "reports are loaded for" in c.value]


def test_a_brand_view_uploaded_to_a_brand_without_search_terms_gives_it_the_brand_it_names(empty_app_env: Path) -> None:
    """Brand=["Acme"] above the report's header: a new brand's first upload of it sets "Acme" as its search terms,
    and says so, where the Overview otherwise asked for them."""
    at = open_page(DATA)
    at.file_uploader[0].set_value(("sqp.csv", (LAYOUTS / "sqp_brand_view.csv").read_bytes(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("brand search terms set to Acme" in s.value.replace("\\", "") for s in at.success), [
        s.value for s in at.success
    ]
    con = open_store(empty_app_env)
    try:
        assert brand_terms(con) == ["Acme"]
    finally:
        con.close()
    # The terms box, drawn empty before the upload, shows them: it kept its empty value, and saving it cleared them.
    box = at.text_input(key="data_brand_terms_demo")
    assert box.value == "Acme"
    at.button(key="FormSubmitter:data_brand_terms_form-Save terms").click().run()
    con = open_store(empty_app_env)
    try:
        assert brand_terms(con) == ["Acme"]
    finally:
        con.close()


def test_a_business_report_matched_by_hand_is_asked_its_period_not_refused_for_its_dates(
    app_env: Path, tmp_path: Path
) -> None:
    """A Business Report whose sales column was renamed ("Ordered Product Revenue") goes to column matching. The form
    demanded period_start and period_end, which no Business Report has, and the file could only be discarded. Matched
    without them, it is asked its period as any Business Report is, and loads for the week chosen with its sales."""
    sells_the_reports_products(app_env, tmp_path)
    undo_sample_sales(app_env)
    report = (LAYOUTS / "business_report_child_item_new.csv").read_text()
    renamed = report.replace('"Ordered Product Sales",', '"Ordered Product Revenue",', 1)
    at = upload_the_report("renamed.csv", renamed.encode())
    assert not at.exception, [e.value for e in at.exception]
    kind_picker = next(s for s in at.selectbox if str(s.key).startswith("data_map_kind_"))
    token = str(kind_picker.key).removeprefix("data_map_kind_")
    kind_picker.set_value("sales").run()
    start = at.selectbox(key=f"data_map_{token}_sales_period_start")
    assert start.label == "Period start (required, unless the file states its period: else it is asked)"
    labels = [s.label for s in at.selectbox if str(s.key).startswith(f"data_map_{token}_sales_")]
    assert "Total revenue (required)" in labels and "Buy box %" in labels
    at.selectbox(key=f"data_map_{token}_sales_asin").set_value("(Child) ASIN")
    at.selectbox(key=f"data_map_{token}_sales_total_revenue").set_value("Ordered Product Revenue")
    at.selectbox(key=f"data_map_{token}_sales_total_units").set_value("Units Ordered")
    next(b for b in at.button if b.label == "Load with these columns").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if "Match the required" in e.value]
    load_for_week(at, "Nov 1 – Nov 7, 2026")
    assert not at.exception, [e.value for e in at.exception]
    con = duckdb.connect(str(app_env))
    try:
        stored = con.execute(
            "select asin, period_start, period_end, cast(total_revenue as varchar) from sales where asin = 'B0C1234567'"
        ).fetchall()
    finally:
        con.close()
    assert stored == [("B0C1234567", date(2026, 11, 1), date(2026, 11, 7), "3051.4800")]


def test_answering_a_reports_period_keeps_what_the_upload_said_of_its_other_files(
    app_env: Path, tmp_path: Path
) -> None:
    """A performance file with a word for a number and a Business Report, uploaded together: the first is refused,
    the second waits for its period. Answered, the report loaded and its message stood alone: the refusal above it
    was gone, and a coordinator could miss that the main file never loaded. Both stand now."""
    sells_the_reports_products(app_env, tmp_path)
    undo_sample_sales(app_env)
    at = open_page(DATA)
    broken = b"date,campaign,creator,asin,clicks,orders,revenue,commission\n2026-11-01,S,maya,B0C1234567,ten,1,20,2\n"
    report = (LAYOUTS / "business_report_child_item_new.csv").read_bytes()
    at.file_uploader[0].set_value(
        [("perf.csv", broken, "text/csv"), ("business_report.csv", report, "text/csv")]  # type: ignore[arg-type]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    refusal = [e.value for e in at.error if e.value.replace("\\", "").startswith("perf.csv, line 2")]
    assert len(refusal) == 1
    load_for_week(at, "Nov 1 – Nov 7, 2026")
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error if e.value.replace("\\", "").startswith("perf.csv")] == refusal
    assert [s.value for s in at.success if "business_report" in s.value.replace("\\", "")]
    assert not [w.value for w in at.warning if "which period" in w.value]
