"""A brand's figures add its amounts up: a file of two currencies, or of another currency than the brand's earlier
files, is refused with the reason, and the store is left as it was."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.amounts import amount, amounts_in, currency, signed_amount
from analytics.ingest.currency import BrandCurrency, CurrencyError, brand_currency, store_currency
from analytics.ingest.layout import FileRejectedError
from analytics.metrics.grouped import Scope, totals
from analytics.present.charts import axis_title, sales_through_creators, weekly_bars_with_rate
from analytics.present.export import excel_format, frame_to_xlsx
from analytics.present.formatting import format_value
from analytics.present.report import weekly_report_html
from analytics.review.insights import current_findings
from analytics.store.changes import load_file, set_brand_currency, unload
from analytics.store.database import data_version, open_store
from tests.test_pages_data import unescaped
from tests.test_sales_kinds import LAYOUTS

HEADER = "date,creator,asin,clicks,orders,revenue,commission\n"


def write(folder: Path, name: str, rows: str) -> Path:
    path = folder / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_file_of_two_currencies_is_refused_at_the_first_cell_of_the_second(con, tmp_path) -> None:
    path = write(
        tmp_path,
        "mixed.csv",
        "2026-03-03,maya,B0AAAAAAA1,10,2,$10.00,$1.00\n2026-03-04,leo,B0AAAAAAA1,10,2,EUR 10.00,1.00\n",
    )
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path)
    assert str(refused.value) == (
        "mixed.csv, line 3, column 'revenue': 'EUR 10.00' is in €, where the file's amounts before it are in $: "
        "amounts are added up, so a file holds one currency. Split it by currency and load each into its own brand's "
        "workspace."
    )
    assert con.execute("select count(*) from performance").fetchone() == (0,)


def test_a_file_in_another_currency_than_the_brands_is_refused_and_the_store_keeps_its_figures(con, tmp_path) -> None:
    """€1,234.56 then ₹123,456: summed, the revenue read 124,690.56 of no currency. The ₹ file is refused, naming the
    first cell showing its currency; a file of bare numbers, or of the brand's own sign, loads beside the € one and says
    nothing of currency."""
    euros = load_file(con, write(tmp_path, "eur.csv", '2026-03-01,maya,B0AAAAAAA1,10,2,"€1,234.56",€123.46\n'))
    assert "amounts in €" in euros.notes
    before = totals(con, Scope())
    rupees = write(tmp_path, "inr.csv", '2026-03-02,maya,B0AAAAAAA1,10,2,"₹1,23,456.00","₹12,345.60"\n')
    with pytest.raises(
        FileRejectedError,
        match=r"^inr\.csv, line 2, column 'revenue': '₹1,23,456\.00': its amounts are in ₹, and this brand's are in €",
    ):
        load_file(con, rupees)
    assert totals(con, Scope()) == before
    bare = load_file(con, write(tmp_path, "bare.csv", "2026-03-02,leo,B0AAAAAAA1,5,1,20.00,2.00\n"))
    assert "amounts in €" in bare.notes  # read in the brand's currency, and said so
    assert totals(con, Scope())["revenue"] == pytest.approx(1254.56)
    # Once the file that showed euros is undone, the brand takes the next file's currency.
    unload(con, euros.load_id)
    assert brand_currency(con).describe() == "€ (euro), as files loaded before showed it"
    assert "amounts in ₹" in load_file(con, rupees).notes


def test_dollars_written_as_usd_or_with_the_sign_are_one_currency(con: duckdb.DuckDBPyConnection, tmp_path) -> None:
    path = write(
        tmp_path,
        "usd.csv",
        "2026-03-01,maya,B0AAAAAAA1,10,2,USD 10.00,$1.00\n2026-03-02,leo,B0AAAAAAA1,1,1,$5.00,0.50\n",
    )
    result = load_file(con, path)
    assert result.added == 2 and not [note for note in result.notes if "amounts in" in note]


# --- Amounts shown in the brand's currency ----------------------------------------------------------------------


def test_an_amount_is_written_in_the_currency_being_shown() -> None:
    assert format_value(-1234.5, "money") == "-$1,234.50"  # the dollar when nothing says otherwise
    with amounts_in("€"):
        assert format_value(-1234.5, "money") == "-€1,234.50"
        assert signed_amount(4.6) == "+€4.60" and signed_amount(-4.6) == "-€4.60"
        with amounts_in("CAD"):  # a code is set apart by a space
            assert amount(1254.55, 0) == "CAD 1,255"
        assert currency() == "€"
    assert currency() == "$"


def test_an_amount_rounds_its_halves_away_from_zero_and_a_nothing_has_no_minus() -> None:
    """$862.50 in whole dollars is $863, as finance rounds it (Python's rounding to even wrote $862); a refund of
    four tenths of a cent is $0.00, not "-$0.00"."""
    assert amount(862.5, 0) == "$863" and amount(-862.5, 0) == "-$863" and amount(861.5, 0) == "$862"
    assert amount(0.125) == "$0.13" and amount(-0.004) == "$0.00"
    # A half cent as the float prints it, which a browser's and Excel's formats round up: 8.325 holds 8.32499…
    assert amount(8.325) == "$8.33" and amount(2.675) == "$2.68" and amount(-1.005) == "-$1.01"


EURO_ROWS = '2026-03-01,maya,B0AAAAAAA1,10,2,"€1,234.56",€123.46\n'
# The same row restated: revenue €1,234.56 -> €1,300.00 (+€65.44), commission €123.46 -> €130.00 (+€6.54).
EURO_RESTATED = '2026-03-01,maya,B0AAAAAAA1,10,2,"€1,300.00",€130.00\n'


def test_a_euro_brands_notes_excel_downloads_and_chart_axes_say_euros(con, tmp_path) -> None:
    load_file(con, write(tmp_path, "eur.csv", EURO_ROWS))
    assert store_currency(con) == "€"
    # The restated file's note, written during the load, is in the brand's currency, whatever the caller shows.
    restated = load_file(con, write(tmp_path, "eur_restated.csv", EURO_RESTATED))
    assert (
        "1 updated row, of load 1 (eur.csv), moves total revenue by +€65.44 and commission by +€6.54" in restated.notes
    )
    frame = pd.DataFrame({"creator": ["maya"], "revenue": [1300.0]})
    sheet = load_workbook(io.BytesIO(frame_to_xlsx(frame, {"revenue": "money"}, currency="€"))).active
    assert sheet is not None and sheet["B2"].number_format == '"€"#,##0.00' and sheet["B2"].value == 1300.0
    assert excel_format("money", "$") == "$#,##0.00" and excel_format("money", "CAD") == '"CAD "#,##0.00'
    with amounts_in("€"):
        assert axis_title("revenue") == "Attributed revenue (€)"
        # A week of more refunds than sales: its amounts read "-€12.00", as in the tables, not Plotly's "€-12.00".
        weekly = pd.DataFrame(
            {
                "week": pd.to_datetime(["2026-03-01", "2026-03-08"]),
                "total_revenue": [5000.0, -12.0],
                "creator_sales_share": [0.2, 0.2],
            }
        )
        figure = sales_through_creators(weekly, "Creators' share of sales by week", "#1f77b4")
        hovers = [trace.hovertemplate for trace in figure.data]
        assert "All sales: %{hovertext}" in hovers[0] and not [h for h in hovers if "$" in h]
        assert figure.data[0].hovertext == ("€5,000.00", "-€12.00")
        assert figure.data[1].hovertext == ("€1,000.00", "-€2.40")
        assert figure.layout.yaxis.title.text == "Revenue (€)" and figure.layout.yaxis.tickprefix == "€"
        weekly = weekly.assign(revenue=[1234.5, -12.0], commission_share=[0.1, None])
        bars = weekly_bars_with_rate(weekly, "revenue", "commission_share", "Revenue by week", "#1f77b4")
        assert "Attributed revenue: %{hovertext}" in bars.data[0].hovertemplate
        assert bars.data[0].hovertext == ("€1,234.50", "-€12.00") and bars.data[1].hovertext is None
        assert "%{y:.1%}" in bars.data[1].hovertemplate


def test_a_brand_of_bare_numbers_is_shown_in_dollars(con, tmp_path) -> None:
    load_file(con, write(tmp_path, "bare.csv", "2026-03-02,leo,B0AAAAAAA1,5,1,20.00,2.00\n"))
    assert store_currency(con) == "$"


@pytest.fixture
def euro_sample(sample_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The sample brand as if its files had shown euros: the store's currency says €, and its findings, kept for
    dollars, are worked out again."""
    sample_con.execute("insert or replace into meta values ('currency', '€')")
    sample_con.execute("delete from meta where key = 'findings_version'")
    return sample_con


def test_a_euro_brands_findings_write_their_amounts_in_euros(euro_sample) -> None:
    """The sample's review names creators' revenue ("@dealsbydana (€13,796)") and per-sale payouts."""
    found, _ = current_findings(euro_sample)
    sentences = [f"{f.title} {f.action}" for f in found]
    with_amounts = [s for s in sentences if "€" in s]
    assert len(with_amounts) >= 2
    assert not [s for s in sentences if re.search(r"\$\d", s)]


def test_a_euro_brands_review_writes_every_amount_in_euros(euro_sample) -> None:
    page = weekly_report_html(euro_sample, brand_name="Euro Co")
    assert "€" in page and not re.search(r"\$\d", page)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_euro_brands_overview_cards_show_euros(app_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    con = open_store(app_env)
    con.execute("insert or replace into meta values ('currency', '€')")
    con.execute("delete from meta where key = 'findings_version'")
    con.close()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m.value for m in at.metric}
    assert cards["Attributed revenue"].startswith("€") and cards["Commission"].startswith("€"), cards
    assert not [v for v in cards.values() if "$" in v]


# --- A currency chosen for a brand whose files write bare amounts ------------------------------------------------


def test_a_brand_of_bare_amounts_takes_the_currency_chosen_for_it_until_its_files_show_one(con, tmp_path) -> None:
    assert brand_currency(con) == BrandCurrency("$", shown=False, chosen=False)
    load_file(con, write(tmp_path, "bare.csv", "2026-03-02,leo,B0AAAAAAA1,5,1,20.00,2.00\n"))
    version = data_version(con)
    assert set_brand_currency(con, " eur ").describe() == "€ (euro), as chosen for the brand"
    assert store_currency(con) == "€" and data_version(con) == version + 1  # cached figures and findings go stale
    gbp = write(tmp_path, "gbp.csv", "2026-03-03,leo,B0AAAAAAA1,5,1,£20.00,£2.00\n")
    with pytest.raises(
        FileRejectedError, match=r"^gbp\.csv, line 2, column 'revenue': '£20\.00': its amounts are in £, and this"
    ):
        load_file(con, gbp)
    # A file showing the chosen currency makes it the files' own: no other can be chosen while they are loaded.
    euros = load_file(con, write(tmp_path, "eur.csv", "2026-03-04,leo,B0AAAAAAA1,5,1,€20.00,€2.00\n"))
    assert brand_currency(con) == BrandCurrency("€", shown=True, chosen=True)
    with pytest.raises(CurrencyError, match=r"^This brand's files show their amounts in €, so its currency stays €"):
        set_brand_currency(con, "$")
    assert set_brand_currency(con, "€").shown  # the same currency again changes nothing
    # Undone, the € file no longer holds the brand: the choice made before it stands, and may change.
    unload(con, euros.load_id)
    assert brand_currency(con) == BrandCurrency("€", shown=False, chosen=True)
    assert set_brand_currency(con, "GBP").currency == "£" and load_file(con, gbp).added == 1


def test_a_file_in_the_wrong_currency_undone_leaves_the_brand_free_to_take_its_own(con, tmp_path) -> None:
    """A euro brand's bare files, then a $ report loaded by mistake and undone: the brand is not held to dollars."""
    load_file(con, write(tmp_path, "bare.csv", "2026-03-02,leo,B0AAAAAAA1,5,1,20.00,2.00\n"))
    dollars = load_file(con, write(tmp_path, "usd.csv", "2026-03-03,leo,B0AAAAAAA1,5,1,$20.00,$2.00\n"))
    with pytest.raises(CurrencyError):
        set_brand_currency(con, "EUR")
    unload(con, dollars.load_id)
    assert set_brand_currency(con, "EUR").describe() == "€ (euro), as chosen for the brand"
    assert (
        "amounts in €"
        in load_file(con, write(tmp_path, "eur.csv", "2026-03-04,leo,B0AAAAAAA1,5,1,€20.00,€2.00\n")).notes
    )


def test_a_currency_chosen_for_an_empty_brand_refuses_a_file_showing_another(con, tmp_path) -> None:
    set_brand_currency(con, "£")
    with pytest.raises(FileRejectedError, match=r"or choose \$ for the brand \(the Data page, or `currency \$`\)\.$"):
        load_file(con, write(tmp_path, "usd.csv", "2026-03-01,maya,B0AAAAAAA1,10,2,$10.00,$1.00\n"))
    assert con.execute("select count(*) from performance").fetchone() == (0,)


def test_an_unknown_currency_is_refused_naming_those_the_app_writes(con) -> None:
    with pytest.raises(CurrencyError) as refused:
        set_brand_currency(con, "XBT")
    assert str(refused.value) == (
        "XBT is not a currency Creator Lift writes; it writes $ (US dollar), € (euro), £ (pound sterling), "
        "CAD (Canadian dollar), MXN (Mexican peso), R$ (Brazilian real), ₹ (Indian rupee), ¥ (Japanese yen), "
        "AUD (Australian dollar), SGD (Singapore dollar), SEK (Swedish krona), PLN (Polish złoty), ₺ (Turkish lira), "
        "AED (UAE dirham), SAR (Saudi riyal), EGP (Egyptian pound)."
    )
    assert brand_currency(con).currency == "$"


def test_choosing_a_currency_writes_the_findings_amounts_in_it(sample_con) -> None:
    sample_con.execute("delete from meta where key in ('currency', 'currency_loads')")  # as if the files were bare
    found, _ = current_findings(sample_con)
    assert [f for f in found if re.search(r"\$\d", f"{f.title} {f.action}")]
    set_brand_currency(sample_con, "€")
    found, _ = current_findings(sample_con)
    sentences = [f"{f.title} {f.action}" for f in found]
    assert [s for s in sentences if "€" in s] and not [s for s in sentences if re.search(r"\$\d", s)]


def test_the_command_line_prints_and_sets_the_brands_currency(tmp_path, capsys) -> None:
    from analytics.__main__ import main

    db = tmp_path / "brand.duckdb"
    assert main(["--db", str(db), "currency", "EUR"]) == 0
    assert main(["--db", str(db), "currency"]) == 0
    assert main(["--db", str(db), "currency", "bitcoin"]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == ["€ (euro), as chosen for the brand"] * 2
    assert err.startswith("error: bitcoin is not a currency Creator Lift writes")


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_currency_chosen_on_the_data_page_is_the_one_the_overview_writes(app_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    con = open_store(app_env)
    con.execute("delete from meta where key in ('currency', 'currency_loads')")  # as if the files were bare
    con.close()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.selectbox(key="data_currency_demo")
    assert choice.value == "$" and choice.options[:2] == ["$ – US dollar", "€ – euro"]
    choice.select("£")
    at.button(key="FormSubmitter:data_currency_form-Save currency").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Amounts are now in £ (pound sterling), as chosen for the brand: the same numbers, not converted." in [
        unescaped(s.value) for s in at.success
    ]
    at.switch_page("pages/overview.py").run()
    cards = {m.label: m.value for m in at.metric}
    assert cards["Attributed revenue"].startswith("£") and not [v for v in cards.values() if "$" in v], cards


@pytest.mark.parametrize(
    ("written", "currency", "revenue"),
    [
        ("R$8,858.53", "R$", 8858.53),  # Amazon.com.br
        ("CA$8,858.53", "CAD", 8858.53),  # Amazon.ca, as its Business Report writes the dollar apart
        ("MX$8,858.53", "MXN", 8858.53),
        ("A$8,858.53", "AUD", 8858.53),
        ("8 858,53 kr", "SEK", 8858.53),  # Amazon.se: a decimal comma, the sign after
        ("zł 8 858,53", "PLN", 8858.53),
        ("\uffe58,858", "¥", 8858.0),  # the full-width yen of a Japanese export
    ],
)
def test_the_marketplaces_currency_signs_are_read_and_name_the_brands_currency(
    con, tmp_path, written, currency, revenue
):
    """A Business Report of another marketplace was refused cell by cell ("'R$8,858.53' is not an amount of
    money"): each of Amazon's marketplaces' signs reads, and the brand's currency becomes the one it shows."""
    path = tmp_path / "business_report.csv"
    path.write_text(
        '"(Child) ASIN","Title","Sessions - Total","Units Ordered","Ordered Product Sales"\n'
        f'"B0C1234567","Shaker","120","10","{written}"\n',
        encoding="utf-8",
    )
    load_file(con, path, "business_report.csv", period=(date(2026, 11, 8), date(2026, 11, 14)))
    assert float(con.execute("select total_revenue from sales").fetchone()[0]) == revenue
    assert brand_currency(con).currency == currency and brand_currency(con).shown


# --- Currency a file states rather than shows --------------------------------------------------------------------

VENDOR_HEAD = (
    "Distributor View=[Manufacturing],View By=[ASIN],Countries=[DE],Locale=[en_GB],Currency=[{currency}],"
    "Reporting Range=[Monthly],Viewing Range=[01/07/26 - 31/07/26]\n"
    "ASIN,Product Title,Ordered Revenue,Ordered Units\n"
)


def vendor_month(folder: Path, currency: str, revenue: str) -> Path:
    path = folder / "vendor.csv"
    path.write_text(VENDOR_HEAD.format(currency=currency) + f'B0AAAAAAA1,Shaker,"{revenue}",12\n', encoding="utf-8")
    return path


def test_a_vendor_report_of_bare_amounts_is_in_the_currency_its_first_line_states(con, tmp_path) -> None:
    """Vendor Central writes `Currency=[EUR]` above bare amounts: a German month of €4,410.00 loaded into a dollar
    brand's store as $4,410.00 and summed with its dollars. It is refused there, naming that line, and in a brand of
    its own it makes the brand's currency euros."""
    load_file(con, write(tmp_path, "usd.csv", "2026-07-01,maya,B0AAAAAAA1,10,2,$10.00,$1.00\n"))
    with pytest.raises(
        FileRejectedError,
        match=r"^vendor\.csv, line 1: 'Currency=\[EUR\]': its amounts are in €, and this brand's are in \$",
    ):
        load_file(con, vendor_month(tmp_path, "EUR", "4410.00"))
    assert con.execute("select count(*) from sales").fetchone() == (0,)

    with open_store(tmp_path / "euro.duckdb") as euro:
        result = load_file(euro, vendor_month(tmp_path, "EUR", "4410.00"))
        assert "amounts in €" in result.notes
        assert brand_currency(euro) == BrandCurrency("€", shown=True, chosen=False)
        assert euro.execute("select total_revenue from sales").fetchone() == (4410.0,)


@pytest.mark.parametrize(("code", "currency"), [("CAD", "CAD"), ("AUD", "AUD"), ("MXN", "MXN")])
def test_a_bare_dollar_sign_is_the_dollar_a_vendor_report_states(tmp_path, code, currency) -> None:
    """Canada's, Australia's and Mexico's Vendor Central write `$` under `Currency=[CAD]`: "$" alone is any dollar,
    and the file was refused as two currencies."""
    with open_store(tmp_path / "brand.duckdb") as brand:
        result = load_file(brand, vendor_month(tmp_path, code, "$4,410.00"))
        assert f"amounts in {currency}" in result.notes and brand_currency(brand).currency == currency


def test_a_file_stating_one_currency_and_showing_another_is_refused(con, tmp_path) -> None:
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, vendor_month(tmp_path, "EUR", "£4,410.00"))
    assert str(refused.value).startswith(
        "vendor.csv, line 1: 'Currency=[EUR]' says its amounts are in €, and line 3, column 'Ordered Revenue': "
        "'£4,410.00' is in £: amounts are added up, so a file holds one currency."
    )
    with pytest.raises(FileRejectedError, match=r"^vendor\.csv, line 1 says Currency=\[CHF\]: Creator Lift writes"):
        load_file(con, vendor_month(tmp_path, "CHF", "4410.00"))


def test_an_sp_api_report_is_in_the_currency_code_beside_its_amounts(con, tmp_path) -> None:
    """The SP-API's repeat-purchase revenue is `{"amount": 1079.73, "currencyCode": "EUR"}`: the amount alone loaded
    into a dollar brand as dollars. The code now names the currency as a sign does, and a record in another
    currency than the brand's is refused by its place in dataByAsin."""
    document = json.loads((LAYOUTS / "repeat_purchase_spapi.json").read_text())
    dollars = tmp_path / "usd.json"
    dollars.write_text(json.dumps(document))
    assert load_file(con, dollars).added == 4
    assert brand_currency(con) == BrandCurrency("$", shown=True, chosen=False)
    for record in document["dataByAsin"]:
        record["repeatPurchaseRevenue"]["currencyCode"] = "EUR"
    euros = tmp_path / "eur.json"
    euros.write_text(json.dumps(document))
    written = tmp_path / "eur_strings.json"  # an amount written as text is in its currency all the same
    for record in document["dataByAsin"]:
        record["repeatPurchaseRevenue"]["amount"] = str(record["repeatPurchaseRevenue"]["amount"])
    written.write_text(json.dumps(document))
    with pytest.raises(FileRejectedError, match="its amounts are in €, and this brand's are in \\$"):
        load_file(con, written)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, euros)
    assert str(refused.value).startswith(
        "eur.json, the 1st record of dataByAsin, field 'repeatPurchaseRevenue.amount': 'EUR 1079.73': its amounts are "
        "in €, and this brand's are in $"
    )
