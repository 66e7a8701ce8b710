"""A file naming none of the brand's products or creators is asked about before it loads (the page), or loaded with
a note saying how to undo it (the command line)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest

from analytics.ingest.unfamiliar import UnfamiliarFileError, held_asins
from analytics.store.brand_terms import set_brand_terms
from analytics.store.changes import load_file
from analytics.store.database import list_loads, open_store
from tests.conftest import ROOT

CATALOG = """
    asin,product_line
    B0BRAND001,Protein
    B0BRAND002,Protein
    B0BRAND003,Vitamins
"""
PERFORMANCE = """
    date,campaign,creator,asin,clicks,orders,revenue,commission
    2026-11-02,Fall,@maya,B0BRAND001,40,3,100.00,10.00
    2026-11-02,Fall,@leo,B0BRAND002,20,1,23.45,2.34
"""
# Another brand's week: two ASINs and one creator the brand has never seen.
ANOTHER_BRAND = """
    date,campaign,creator,asin,clicks,orders,revenue,commission
    2026-11-02,Spring,@zoe,B0OTHER002,10,1,30.00,3.00
    2026-11-03,Spring,@zoe,B0OTHER001,12,2,60.00,6.00
"""
SAID = (
    "none of its 2 ASINs (such as B0OTHER001) is among the brand's 3 ASINs, and its creator is not among the brand's "
    "2 creators"
)


@pytest.fixture
def brand(con: duckdb.DuckDBPyConnection, load_text) -> duckdb.DuckDBPyConnection:
    """A brand holding three catalog ASINs and two creators' performance on two of them."""
    load_text("catalog.csv", CATALOG)
    load_text("performance.csv", PERFORMANCE)
    return con


def test_another_brands_file_asked_about_stops_before_anything_changes(brand, load_text) -> None:
    with pytest.raises(UnfamiliarFileError) as raised:
        load_text("other.csv", ANOTHER_BRAND, on_unfamiliar="ask")
    assert str(raised.value) == (
        f"other.csv: {SAID}. It may be another brand's file; nothing was loaded: load it again, saying it is the "
        "brand's, if it is."
    )
    assert len(list_loads(brand)) == 2
    assert brand.execute("select count(*), sum(revenue)::varchar from performance").fetchone() == (2, "123.4500")


def test_another_brands_file_loaded_on_purpose_says_how_to_undo_it(brand, load_text) -> None:
    result = load_text("other.csv", ANOTHER_BRAND)
    assert result.added == 2
    assert f"{SAID}: if it is another brand's file, undo this load" in result.notes


def test_another_brands_file_said_to_be_the_brands_says_so_in_its_notes(brand, load_text) -> None:
    result = load_text("other.csv", ANOTHER_BRAND, on_unfamiliar="confirmed")
    assert result.added == 2
    assert f"loaded as the brand's file, as said when asked: {SAID}" in result.notes


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # A product just launched, promoted by a creator the brand pays, in a campaign it runs.
        (
            "launch.csv",
            "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
            "2026-11-04,Fall,@maya,B0BRAND009,5,1,20.00,2.00\n",
        ),
        # A launch file naming no campaign: nothing to tell it by but its creators.
        (
            "launch.csv",
            "date,creator,asin,clicks,orders,revenue,commission\n2026-11-04,@maya,B0BRAND009,5,1,20.00,2.00\n",
        ),
        # A ledger listing a campaign the brand runs, with one to come.
        (
            "ledger.csv",
            "campaign,type,start,end,budget\nFall,always-on,2026-09-01,2026-11-30,5000\nHoliday,event,2026-12-01,2026-12-31,900\n",
        ),
        # A new creator on a product of the catalog.
        (
            "new_creator.csv",
            "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
            "2026-11-04,Fall,@new,B0BRAND003,5,1,20.00,2.00\n",
        ),
        # Ranks of a catalog product: no creator to compare.
        ("ranks.csv", "date,asin,keyword,organic_rank\n2026-11-04,B0BRAND003,protein powder,12\n"),
        # Events name no product at all.
        ("events.csv", "name,start,end\nPrime Day,2026-07-08,2026-07-11\n"),
    ],
)
def test_a_file_sharing_a_product_or_a_creator_with_the_brand_is_not_asked_about(
    brand, load_text, name: str, text: str
) -> None:
    result = load_text(name, text, on_unfamiliar="ask")
    assert not any("another brand's file" in note for note in result.notes)


def test_a_brands_first_file_is_not_asked_about(con: duckdb.DuckDBPyConnection, load_text) -> None:
    load_text("events.csv", "name,start,end\nPrime Day,2026-07-08,2026-07-11\n", on_unfamiliar="ask")
    result = load_text("other.csv", ANOTHER_BRAND, on_unfamiliar="ask")
    assert result.added == 2


def alder_holds(*held: str, terms: tuple[str, ...] = (), campaigns: tuple[str, ...] = ()):
    """The other brands, as a page asks them: Alder, a store of its own holding a catalog of the ASINs `held`, the
    search `terms` and a ledger of the `campaigns`, answering each question put to it."""
    folder = Path(tempfile.mkdtemp())
    with open_store(folder / "alder.duckdb") as alder:
        if held:
            catalog = folder / "catalog.csv"
            catalog.write_text("asin,product_line\n" + "".join(f"{asin},Bowls\n" for asin in held))
            load_file(alder, catalog, "catalog.csv")
        if campaigns:
            ledger = folder / "ledger.csv"
            ledger.write_text(
                "campaign,type,start,end,budget\n"
                + "".join(f"{c},event,2026-05-01,2026-05-10,300\n" for c in campaigns)
            )
            load_file(alder, ledger, "ledger.csv")
        set_brand_terms(alder, list(terms))

    def answering(ask):
        with open_store(folder / "alder.duckdb", read_only=True) as alder:
            answer = ask(alder)
        return [("Alder", answer)] if answer else []

    return answering


def test_a_brands_first_file_of_another_brands_products_is_asked_about(con, load_text) -> None:
    """Alder's week uploaded into a brand just made: nothing of its own to tell it by, but both its ASINs are Alder's.
    One of three is not enough to ask."""
    with pytest.raises(UnfamiliarFileError) as raised:
        load_text("week.csv", ANOTHER_BRAND, on_unfamiliar="ask", other_brands=alder_holds("B0OTHER001", "B0OTHER002"))
    assert str(raised.value).startswith(
        "week.csv: its 2 ASINs (such as B0OTHER001) are all Alder's, and the brand holds no products yet to compare it "
        "with. It may be another brand's file; nothing was loaded"
    )
    assert raised.value.unfamiliar.headline("Dogwood") == "names Alder's products"
    assert len(list_loads(con)) == 0
    result = load_text("week.csv", ANOTHER_BRAND, other_brands=alder_holds("B0OTHER002"))
    assert result.added == 2 and result.unfamiliar is None  # 1 of 2 is not more than half


def test_another_brands_file_in_a_brand_with_data_names_whose_it_is(brand, load_text) -> None:
    """The brand holds its own products; a file of none of them whose ASINs are Alder's says so, and where it goes."""
    with pytest.raises(UnfamiliarFileError) as raised:
        load_text("other.csv", ANOTHER_BRAND, on_unfamiliar="ask", other_brands=alder_holds("B0OTHER001", "B0OTHER002"))
    assert raised.value.unfamiliar.headline("Kestrel") == "names Alder's products"
    assert f"{SAID}; its ASINs are Alder's. It may be another brand's file" in str(raised.value)


def test_a_brands_first_file_of_its_own_products_loads_without_a_question(con, load_text) -> None:
    result = load_text("catalog.csv", CATALOG, on_unfamiliar="ask", other_brands=alder_holds("B0OTHER001"))
    assert result.added == 3


def test_a_store_says_which_of_the_asins_asked_about_it_holds(brand) -> None:
    assert held_asins(brand, ["B0BRAND003", "B0NOTHERE1", "B0BRAND001"]) == ["B0BRAND001", "B0BRAND003"]


def test_a_brand_named_like_a_plural_takes_an_apostrophe_alone(brand, load_text) -> None:
    """ "Bolt Pets's" read as a typing slip in the question an agency answers every week."""
    from analytics.words import possessive

    assert (possessive("Acme"), possessive("Bolt Pets"), possessive("the brand")) == (
        "Acme's",
        "Bolt Pets'",
        "the brand's",
    )
    with pytest.raises(UnfamiliarFileError) as asked:
        load_text(
            "ranks.csv", "date,asin,keyword,organic_rank\n2026-11-04,B0OTHER001,dog food,3\n", on_unfamiliar="ask"
        )
    assert "its ASIN B0OTHER001 is not among Bolt Pets' 3 ASINs" in asked.value.unfamiliar.described("Bolt Pets")


def test_a_one_asin_file_of_another_brand_names_its_asin(brand, load_text) -> None:
    with pytest.raises(UnfamiliarFileError, match=r"its ASIN B0OTHER001 is not among the brand's 3 ASINs\. It may be"):
        load_text(
            "ranks.csv", "date,asin,keyword,organic_rank\n2026-11-04,B0OTHER001,dog food,3\n", on_unfamiliar="ask"
        )


def test_a_shared_asin_past_the_first_rows_asked_about_first_still_counts(
    brand, load_text, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first rows are asked about first; when they share nothing, the whole file is: its second row's catalog
    ASIN makes it the brand's."""
    monkeypatch.setattr("analytics.ingest.unfamiliar.FIRST_ROWS", 1)
    text = "date,asin,keyword,organic_rank\n2026-11-04,B0OTHER001,dog food,3\n2026-11-04,B0BRAND003,protein,12\n"
    assert load_text("ranks.csv", text, on_unfamiliar="ask").added == 2


def test_a_creator_or_two_in_common_does_not_make_another_brands_file_the_brands(brand, load_text) -> None:
    """Agencies share creators between brands: one of three creators the brand's is not enough, and the question
    says so; two of three (a product just launched, promoted by the brand's creators) is."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    row = "2026-11-05,Fall,{},B0OTHER001,10,1,30.00,3.00\n"
    one_of_three = header + "".join(row.format(c) for c in ("@zoe", "@maya", "@ivy"))
    with pytest.raises(
        UnfamiliarFileError,
        match=r"B0OTHER001 is not among the brand's 3 ASINs, and only 1 of its 3 creators is the brand's\. It may be",
    ):
        load_text("other.csv", one_of_three, on_unfamiliar="ask")
    # Compared as written, as the load's own "new creators" note tells them apart.
    with pytest.raises(UnfamiliarFileError, match="only 1 of its 3 creators"):
        load_text("other.csv", one_of_three.replace("@zoe", "@Leo"), on_unfamiliar="ask")
    two_of_three = one_of_three.replace("@zoe", "@leo")
    assert load_text("launch.csv", two_of_three, on_unfamiliar="ask").unfamiliar is None


def test_a_batch_of_another_brands_files_does_not_vouch_for_itself(brand, load_text) -> None:
    """Its second week shares every ASIN with its first, loaded a moment before in the same command: each is still
    compared with the brand's data as it stood before the batch (loads 1 and 2)."""
    first = load_text("other_week1.csv", ANOTHER_BRAND, brand_through=2)
    second = load_text("other_week2.csv", ANOTHER_BRAND.replace("2026-11-0", "2026-11-1"), brand_through=2)
    assert first.unfamiliar == second.unfamiliar == SAID
    assert load_text("other_week3.csv", ANOTHER_BRAND.replace("2026-11-0", "2026-11-2")).unfamiliar is None


def test_the_command_line_loads_another_brands_file_and_warns_with_the_undo(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import textwrap

    from analytics.__main__ import main

    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "brand.duckdb"))
    files = []
    for name, text in (("catalog.csv", CATALOG), ("performance.csv", PERFORMANCE), ("other.csv", ANOTHER_BRAND)):
        files.append(tmp_path / name)
        files[-1].write_text(textwrap.dedent(text).lstrip("\n"))
    assert main(["load", *map(str, files[:2])]) == 0
    capsys.readouterr()
    assert main(["load", str(files[2])]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("other.csv: performance, 2 added")
    assert said.err == (
        f"warning: other.csv: {SAID}. If it is another brand's file, undo it with: python3 -m analytics unload 3\n"
    )


# A week's Business Report states no period: the page asks for it. Another brand's is asked about first.
BUSINESS_REPORT = """
    (Child) ASIN,Title,Ordered Product Sales,Units Ordered,Sessions - Total
    {asin},Whey 2 lb,$100.00,4,200
"""


def test_another_brands_business_report_is_asked_whose_it_is_before_its_period(brand, load_text) -> None:
    """An agency's round through a dozen brands: another brand's report was asked its week first, then whether it
    was the brand's. Now the question of whose it is comes first; said to be the brand's, its week is asked; the
    brand's own report is asked its week at once."""
    from analytics.ingest.report_periods import PeriodNeededError

    other = BUSINESS_REPORT.format(asin="B0OTHER001")
    with pytest.raises(UnfamiliarFileError, match=r"br.csv: its ASIN B0OTHER001 is not among the brand's 3 ASINs"):
        load_text("br.csv", other, on_unfamiliar="ask")
    with pytest.raises(PeriodNeededError):
        load_text("br.csv", other, on_unfamiliar="confirmed")
    with pytest.raises(PeriodNeededError):
        load_text("br.csv", BUSINESS_REPORT.format(asin="B0BRAND001"), on_unfamiliar="ask")
    assert len(list_loads(brand)) == 2


SQP = ROOT / "tests" / "fixtures" / "layouts" / "sqp_brand_view.csv"


@pytest.mark.parametrize(
    ("terms", "asked"), [(["Kestrel"], True), (["Acme Labs"], False), (["acme"], False), (["Ácme"], False)]
)
def test_a_search_report_naming_another_brand_is_asked_about(
    brand: duckdb.DuckDBPyConnection, terms: list[str], asked: bool
) -> None:
    """A Search Query Performance Brand View names no ASIN, so no product can tell whose it is; it names its brand
    (Brand=["Acme"]). Loaded into a brand whose search terms share no word with it, its queries' figures would have
    replaced the brand's own week's. A term within the name, or the name within a term, any case, is the brand's."""
    from analytics.ingest.importer import load_file
    from analytics.store.brand_terms import set_brand_terms

    set_brand_terms(brand, terms)
    said = "it is the report of Acme, and the brand's search terms are Kestrel"
    if not asked:
        assert load_file(brand, SQP, "sqp.csv", on_unfamiliar="ask").unfamiliar is None
        return
    with pytest.raises(UnfamiliarFileError) as raised:
        load_file(brand, SQP, "sqp.csv", on_unfamiliar="ask")
    assert str(raised.value) == (
        f"sqp.csv: {said}. It may be another brand's file; nothing was loaded: load it again, saying it is the "
        "brand's, if it is."
    )
    assert brand.execute("select count(*) from search").fetchone() == (0,)
    loaded = load_file(brand, SQP, "sqp.csv")  # the command line: loaded, with the undo
    assert loaded.unfamiliar == said and f"{said}: if it is another brand's file, undo this load" in loaded.notes


def test_a_search_report_naming_another_brand_of_the_installation_is_asked_about_by_a_brand_without_terms(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Fernleaf's Search Query Performance uploaded into Birchwood, which had no search terms yet: it loaded, and gave
    Birchwood the terms "Fernleaf", charting Fernleaf's searches as Birchwood's. With no terms of its own to compare
    the report's brand with, the brand asks the installation's other brands: Alder's terms hold "Acme"."""
    from analytics.ingest.importer import load_file as load

    with pytest.raises(UnfamiliarFileError) as raised:
        load(con, SQP, "sqp.csv", on_unfamiliar="ask", other_brands=alder_holds(terms=("Acme", "Acme Labs")))
    assert str(raised.value).startswith(
        "sqp.csv: it is the report of Acme, whose name matches Alder's search terms, and the brand has none of its own "
        "yet. It "
        "may be another brand's file; nothing was loaded"
    )
    assert raised.value.unfamiliar.headline("Birchwood") == "is the report of Acme, Alder's brand"
    assert con.execute("select count(*) from search").fetchone() == (0,)
    assert load(con, SQP, "sqp.csv", on_unfamiliar="ask", other_brands=alder_holds(terms=("Kestrel",))).added > 0


def test_the_brands_creators_vouch_for_a_launch_not_for_dozens_of_products(brand, load_text) -> None:
    """An agency's brands share creators: another brand's week of 6 products, sold by the brand's own two
    creators, shares none of its ASINs and is asked about; a launch of 5 is the brand's."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    rows = [f"2026-11-05,Fall,{('@maya', '@leo')[n % 2]},B0OTHER00{n},10,1,30.00,3.00\n" for n in range(1, 7)]
    with pytest.raises(
        UnfamiliarFileError,
        match=r"none of its 6 ASINs \(such as B0OTHER001\) is among the brand's 3 ASINs, though its 2 creators are all "
        r"the brand's\. It may be",
    ):
        load_text("other.csv", header + "".join(rows), on_unfamiliar="ask")
    assert load_text("launch.csv", header + "".join(rows[:5]), on_unfamiliar="ask").unfamiliar is None


def test_a_launch_titled_under_another_brands_name_is_asked_about(con, load_text) -> None:
    """The brand's creators vouch for a file of two new products, unless its titles carry none of the brand's words:
    "Kestrel" begins two of its three catalog titles (its search terms are unset). Titles naming Kestrel anywhere,
    in any case, or a file without titles, still load as a launch."""
    load_text(
        "catalog.csv",
        CATALOG.replace(",Protein", ",Protein,Kestrel Whey 2 lb", 1)
        .replace("product_line\n", "product_line,title\n")
        .replace("B0BRAND002,Protein", "B0BRAND002,Protein,kestrel Casein")
        .replace("B0BRAND003,Vitamins", "B0BRAND003,Vitamins,Daily D3"),
    )
    load_text("performance.csv", PERFORMANCE)
    header = "date,campaign,creator,asin,product name,clicks,orders,revenue,commission\n"
    rows = "2026-11-05,Fall,@maya,B0OTHER001,{},10,1,30.00,3.00\n2026-11-05,Fall,@leo,B0OTHER002,{},5,1,20.00,2.00\n"
    acme = header + rows.format("Acme Whey 5 lb", "Acme Bar")
    with pytest.raises(
        UnfamiliarFileError,
        match=r"though its 2 creators are all the brand's, and none of its titles carries the brand's name \(such as "
        r"'Acme Bar'\)\. It may be",
    ):
        load_text("acme.csv", acme, on_unfamiliar="ask")
    assert (
        load_text("launch.csv", header + rows.format("KESTREL Bar", "Acme Bar"), on_unfamiliar="ask").unfamiliar is None
    )
    untitled = "date,campaign,creator,asin,clicks,orders,revenue,commission\n2026-11-06,Fall,@maya,B0OTHER003,1,0,0,0\n"
    assert load_text("untitled.csv", untitled, on_unfamiliar="ask").unfamiliar is None


def test_the_brands_search_terms_name_it_in_a_launchs_titles(brand, load_text, con) -> None:
    """With no catalog titles, the brand's search terms are its words: "Kestrel Nutrition" names the brand."""
    set_brand_terms(con, ["Kestrel Nutrition"])
    header = "date,campaign,creator,asin,title,clicks,orders,revenue,commission\n"
    row = "2026-11-05,Fall,@maya,B0OTHER001,{},10,1,30.00,3.00\n"
    with pytest.raises(UnfamiliarFileError, match="such as 'Acme Whey'"):
        load_text("acme.csv", header + row.format("Acme Whey"), on_unfamiliar="ask")
    launch = load_text("launch.csv", header + row.format('"Kestrel Nutrition Whey, 2 lb"'), on_unfamiliar="ask")
    assert launch.unfamiliar is None


def test_a_launch_in_a_campaign_the_brand_neither_runs_nor_lists_is_asked_about(brand, load_text) -> None:
    """An agency's brands share creators: a week of another brand's 2 products, sold by the brand's own creators
    under that brand's "Birch Always-on", loaded as a launch and added 23.6 % to the brand's week. Without titles,
    the campaign tells: none the brand runs (Fall) or lists in its ledger. Listed in the ledger first, the same
    launch campaign loads."""
    text = (
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-05,Birch Always-on,@maya,B0OTHER001,10,1,30.00,3.00\n"
        "2026-11-05,Birch Always-on,@leo,B0OTHER002,5,1,20.00,2.00\n"
    )
    with pytest.raises(
        UnfamiliarFileError,
        match=r"though its 2 creators are all the brand's, and none of its campaigns is the brand's \(such as "
        r"'Birch Always-on'\)\. It may be",
    ):
        load_text("birch.csv", text, on_unfamiliar="ask")
    load_text("ledger.csv", "campaign,type,start,end,budget\nBirch Always-on,always-on,2026-11-01,2026-12-31,500\n")
    assert load_text("launch.csv", text, on_unfamiliar="ask").unfamiliar is None


def test_another_brands_campaign_ledger_is_asked_about(brand, load_text) -> None:
    """Another brand's ledger loaded with no question, and its four campaigns stood on the brand's Campaigns page and
    in the review it was sent. A ledger listing none of the brand's campaigns (Fall, from its performance report) is
    asked about; nothing is loaded until the person says it is the brand's."""
    ledger = (
        "campaign,type,start,end,budget\n"
        "Alder Always-on,always-on,2026-01-01,2026-12-31,36000\n"
        "Alder Prime Day,event,2026-07-01,2026-07-17,2500\n"
    )
    with pytest.raises(
        UnfamiliarFileError,
        match=r"alder_campaigns\.csv: none of its 2 campaigns \(such as 'Alder Always-on'\) is among the brand's 1 "
        r"campaign\. It may be another brand's file; nothing was loaded",
    ) as asked:
        load_text("alder_campaigns.csv", ledger, on_unfamiliar="ask")
    assert asked.value.unfamiliar.headline("Kestrel") == "names none of Kestrel's campaigns"
    assert load_text("alder_campaigns.csv", ledger, on_unfamiliar="confirmed").added == 2


KESTRELS_LEDGER = "campaign,type,start,end,budget\nAlways-on,always-on,2026-01-01,2026-12-31,5000\n"


def test_another_brands_ledger_sharing_only_a_name_every_brand_runs_is_asked_about(brand, load_text) -> None:
    """Alder's ledger (Always-on at 4,000 and its Mother's Day) uploaded into Kestrel, whose Always-on budget is
    5,000: it shared a campaign name with Kestrel, so it loaded unasked and set Kestrel's budget to Alder's. The
    only campaign of Kestrel's it lists, Alder runs too; Mother's Day is Alder's alone: asked about, nothing loaded.
    Said to be the brand's, the load says what it moved the budgets by."""
    load_text("kestrel_ledger.csv", KESTRELS_LEDGER)
    alders = "campaign,type,start,end,budget\nAlways-on,always-on,2026-01-01,2026-12-31,4000\n" + (
        "Mother's Day,event,2026-05-01,2026-05-10,300\n"
    )
    alder = alder_holds(campaigns=("Always-on", "Mother's Day"))
    with pytest.raises(UnfamiliarFileError) as asked:
        load_text("alder_ledger.csv", alders, on_unfamiliar="ask", other_brands=alder)
    assert str(asked.value).startswith(
        "alder_ledger.csv: its campaign 'Mother's Day' is Alder's, not the brand's, and it would set the budget of "
        "the brand's 'Always-on', which Alder's ledger lists too. It may be another brand's file; nothing was loaded"
    )
    assert asked.value.unfamiliar.headline("Kestrel") == "lists Alder's campaigns"
    assert brand.execute("select budget::varchar from campaigns").fetchall() == [("5000.0000",)]
    loaded = load_text("alder_ledger.csv", alders, on_unfamiliar="confirmed", other_brands=alder)
    assert "1 updated row, of load 3 (kestrel_ledger.csv), moves total budget by -$1,000.00" in loaded.notes


@pytest.mark.parametrize(
    "listed",
    [
        # A campaign only this brand runs (Fall, in its performance report) makes the ledger its own.
        "Fall,always-on,2026-09-01,2026-11-30,900\nMother's Day,event,2026-05-01,2026-05-10,300\n",
        # A campaign no brand runs yet is one to come.
        "Always-on,always-on,2026-01-01,2026-12-31,5000\nHoliday,event,2026-12-01,2026-12-31,900\n",
    ],
)
def test_a_ledger_of_the_brands_own_or_coming_campaigns_is_not_asked_about(brand, load_text, listed: str) -> None:
    load_text("kestrel_ledger.csv", KESTRELS_LEDGER)
    ledger = "campaign,type,start,end,budget\n" + listed
    alder = alder_holds(campaigns=("Always-on", "Mother's Day"))
    assert load_text("ledger.csv", ledger, on_unfamiliar="ask", other_brands=alder).unfamiliar is None


def test_the_command_lines_suggested_commands_act_on_the_store_it_loaded_into(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An agency's script loads each brand with --workspace: the undo and the brand-terms it printed, run as printed,
    acted on the default store (the demo), not the brand's. They now name the workspace, or the --db given; and the
    undo of a euro brand's load says its totals in euros."""
    import textwrap

    from analytics.__main__ import main
    from analytics.store.workspaces import create_workspace

    default = tmp_path / "creatorlift.duckdb"
    monkeypatch.setenv("CREATORLIFT_DB", str(default))
    create_workspace("Acme Nutrition", default)
    files = []
    for name, text in (("catalog.csv", CATALOG), ("performance.csv", PERFORMANCE), ("other.csv", ANOTHER_BRAND)):
        files.append(tmp_path / name)
        files[-1].write_text(textwrap.dedent(text).lstrip("\n"))
    brand = ["--workspace", "acme-nutrition"]
    assert main([*brand, "currency", "EUR"]) == 0
    assert main([*brand, "load", *map(str, files[:2])]) == 0
    capsys.readouterr()
    assert main([*brand, "load", str(files[2]), str(SQP)]) == 0
    said = capsys.readouterr().err.splitlines()
    assert said == [
        "workspace: Acme Nutrition (acme-nutrition)",
        f"warning: other.csv: {SAID}. If it is another brand's file, undo it with: python3 -m analytics "
        "--workspace acme-nutrition unload 3",
        "note: sqp_brand_view.csv names the brand Acme; to count its searches as branded: python3 -m analytics "
        "--workspace acme-nutrition brand-terms Acme",
    ]
    assert main([*brand, "unload", "3"]) == 0
    assert "goes from €213.45 to €123.45" in capsys.readouterr().out
    copy = tmp_path / "copy.duckdb"
    assert main(["--db", str(copy), "load", *map(str, files[:2])]) == 0
    assert main(["--db", str(copy), "load", str(files[2])]) == 0
    assert f"python3 -m analytics --db {copy} unload 3" in capsys.readouterr().err


def test_a_review_named_for_another_brand_than_its_workspace_says_so(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An agency's loop over brands and workspaces slipped a step: Corvid's figures went out titled Kestrel. Written
    all the same, with a note naming both; the workspace's own name, any case, says nothing."""
    import textwrap

    from analytics.__main__ import main
    from analytics.store.workspaces import create_workspace

    default = tmp_path / "creatorlift.duckdb"
    monkeypatch.setenv("CREATORLIFT_DB", str(default))
    create_workspace("Corvid Skin", default)
    performance = tmp_path / "performance.csv"
    performance.write_text(textwrap.dedent(PERFORMANCE).lstrip("\n"))
    assert main(["--workspace", "corvid-skin", "load", str(performance)]) == 0
    capsys.readouterr()
    out = tmp_path / "review.html"
    for named, note in (("Kestrel Nutrition", True), ("corvid skin", False)):
        days = ["--start", "2026-11-02", "--end", "2026-11-02"]  # the one day of data, no whole week
        assert main(["--workspace", "corvid-skin", "report", *days, "--out", str(out), "--brand", named]) == 0
        said = capsys.readouterr().err
        expected = (
            "note: the review names the brand Kestrel Nutrition; its figures are those of the workspace Corvid Skin\n"
        )
        assert said == (expected if note else "")


def test_the_question_says_why_a_file_was_held_in_its_own_words() -> None:
    """A Search Query Performance report of another brand names no products: the Data page's question said it "names
    none of Kestrel's products", two lines above the reason, that it is Acme's report."""
    from analytics.ingest.unfamiliar import AnotherBrandNamed, UnfamiliarProducts

    assert AnotherBrandNamed(("Acme",), ("Kestrel",)).headline("Kestrel") == "is the report of Acme"
    products = UnfamiliarProducts(2, "B0OTHER001", 3, 1, 0, 2)
    assert products.headline("Kestrel") == "names none of Kestrel's products"
