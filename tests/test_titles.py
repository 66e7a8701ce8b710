"""Product titles from the files brands have: a Business Report's `Title`, a rank tracker's `Product Title`, an
export's `Product Name` name the products a catalog leaves untitled, or that no catalog lists yet.

The rows, and what each load leaves (worked out by hand):
- load 1, Business Report for Jun 28 - Jul 4: B0AAAAAAA1 "Acme Whey, Vanilla", B0AAAAAAA2 "Acme Whey, Chocolate".
  Two products named: no catalog yet.
- load 2, performance without titles: B0AAAAAAA1 and B0AAAAAAA3 on Jun 29. B0AAAAAAA3 has no name anywhere.
- load 3, catalog: B0AAAAAAA1 titled "Whey Protein Vanilla 2 lb" (the catalog's title wins), B0AAAAAAA2 without a
  title (the report's stands).
- load 4, the next week's Business Report: B0AAAAAAA2 retitled "Acme Whey Protein, Chocolate, 2 lb". No product
  newly named, so no note; undone, the first report's title is back.
"""

from __future__ import annotations

import pytest

from analytics.contract.kinds import EVENTS, PERFORMANCE, PRODUCTS, SALES, title_header
from analytics.metrics.grouped import filter_asins, product_payouts
from analytics.metrics.sales import suggested_brand_terms
from analytics.metrics.titles import asin_titles
from analytics.review.rank_review import ranked_asins
from analytics.store.changes import unload

BR_HEADER = "Start Date,End Date,(Parent) ASIN,(Child) ASIN,Title,Ordered Product Sales,Units Ordered\n"
FIRST_REPORT = (
    BR_HEADER
    + '2026-06-28,2026-07-04,B0AAAAAAA0,B0AAAAAAA1,"Acme Whey, Vanilla",$500.00,10\n'
    + '2026-06-28,2026-07-04,B0AAAAAAA0,B0AAAAAAA2,"Acme Whey, Chocolate",$250.00,5\n'
)
PERFORMANCE_ROWS = """\
date,creator,asin,clicks,orders,revenue,commission
2026-06-29,@maya,B0AAAAAAA1,100,4,80,8
2026-06-29,@leo,B0AAAAAAA3,50,2,50,5
"""
CATALOG = """\
asin,product_line,title
B0AAAAAAA1,Protein,Whey Protein Vanilla 2 lb
B0AAAAAAA2,Protein,
"""
NEXT_REPORT = BR_HEADER + '2026-07-05,2026-07-11,B0AAAAAAA0,B0AAAAAAA2,"Acme Whey Protein, Chocolate, 2 lb",$300.00,6\n'


def titles(con) -> dict[str, str]:
    frame = asin_titles(con)
    return dict(zip(frame["asin"], frame["title"], strict=True))


@pytest.fixture
def reported(load_text):
    """Load 1: the first Business Report, in a store with nothing else."""
    return load_text("report.csv", FIRST_REPORT)


def test_a_report_naming_products_the_catalog_leaves_untitled_says_so(con, load_text) -> None:
    """With a catalog loaded, the note says the catalog has no title for them; without one, that none is loaded."""
    load_text("catalog.csv", "asin,product_line\nB0AAAAAAA9,Protein\n")
    result = load_text("report.csv", FIRST_REPORT)
    assert "2 products named by 'Title' (B0AAAAAAA1, B0AAAAAAA2): your catalog has no title for them" in result.notes


def test_a_business_report_names_its_products_when_there_is_no_catalog(con, reported) -> None:
    assert titles(con) == {"B0AAAAAAA1": "Acme Whey, Vanilla", "B0AAAAAAA2": "Acme Whey, Chocolate"}
    assert "2 products named by 'Title' (B0AAAAAAA1, B0AAAAAAA2): no catalog is loaded to name them" in reported.notes
    # Not an ignored column any more: it is read.
    assert not any("Title" in note for note in reported.notes if note.startswith("ignored columns"))
    # The brand's name leads both titles: 2 x 2/2 for leading them, 2/2 for being in them.
    assert suggested_brand_terms(con)[0] == "acme"


def test_the_asin_filter_names_products_by_the_reports_titles(con, reported, load_text) -> None:
    load_text("performance.csv", PERFORMANCE_ROWS)
    assert filter_asins(con) == {"B0AAAAAAA1": "Acme Whey, Vanilla", "B0AAAAAAA3": None}


def test_the_catalogs_own_title_wins_and_an_untitled_catalog_row_keeps_the_reports(con, reported, load_text) -> None:
    load_text("performance.csv", PERFORMANCE_ROWS)
    load_text("catalog.csv", CATALOG)
    catalog = product_payouts(con).set_index("asin")["title"].to_dict()
    assert catalog == {"B0AAAAAAA1": "Whey Protein Vanilla 2 lb", "B0AAAAAAA2": "Acme Whey, Chocolate"}
    assert titles(con) == catalog
    assert filter_asins(con) == {"B0AAAAAAA1": "Whey Protein Vanilla 2 lb", "B0AAAAAAA3": None}


def test_a_later_report_retitles_a_product_and_undoing_it_brings_the_old_title_back(con, reported, load_text) -> None:
    load_text("catalog.csv", CATALOG)
    later = load_text("next.csv", NEXT_REPORT)
    assert not any("named by" in note for note in later.notes), later.notes
    assert titles(con)["B0AAAAAAA2"] == "Acme Whey Protein, Chocolate, 2 lb"
    unload(con, later.load_id)
    assert titles(con)["B0AAAAAAA2"] == "Acme Whey, Chocolate"
    unload(con, reported.load_id)
    # The catalog's own title alone is left.
    assert titles(con) == {"B0AAAAAAA1": "Whey Protein Vanilla 2 lb"}


def test_a_rank_trackers_title_of_its_latest_day_names_the_product(con, load_text) -> None:
    """B0AAAAAAA3 is "Old name" on Jun 29 and "New name" on Jun 30: the file's latest day's title stands."""
    result = load_text(
        "ranks.csv",
        """\
        Date Added,ASIN,Product Title,Keyword,Organic Rank
        2026-06-29,B0AAAAAAA3,Old name,whey protein,30
        2026-06-30,B0AAAAAAA3,New name,whey protein,20
        2026-06-30,B0AAAAAAA3,New name,protein powder,>306
        """,
    )
    assert "1 product named by 'Product Title' (B0AAAAAAA3): no catalog is loaded to name it" in result.notes
    assert ranked_asins(con).set_index("asin").loc["B0AAAAAAA3", "title"] == "New name"


def test_a_blank_or_dash_title_names_nothing(con, load_text) -> None:
    result = load_text(
        "performance.csv",
        """\
        date,creator,asin,product name,clicks,orders,revenue,commission
        2026-06-29,@maya,B0AAAAAAA1,-,100,4,80,8
        2026-06-29,@leo,B0AAAAAAA3,,50,2,50,5
        """,
    )
    assert titles(con) == {}
    assert not any("named by" in note for note in result.notes)


def test_which_headers_name_a_product_title() -> None:
    """A product's title in another kind's file is "Title", "Product Title", "Product Name" or "Item Name"; "Name"
    alone is a creator's or an event's as often, and the catalog's title is a column of its own."""
    assert title_header(PERFORMANCE, ["Date", "Product Name", "ASIN"], ()) == 1
    assert title_header(SALES, ["(Child) ASIN", "Title"], ()) == 1
    assert title_header(PERFORMANCE, ["Date", "Name", "ASIN"], ()) is None
    # A header already feeding a column of the kind is not taken twice.
    assert title_header(PERFORMANCE, ["Title"], (0,)) is None
    assert title_header(PRODUCTS, ["ASIN", "Title"], ()) is None
    assert title_header(EVENTS, ["Name", "Title"], ()) is None


def test_seller_centrals_all_listings_report_loads_as_the_catalog_with_each_product_once(con, load_text) -> None:
    """The All Listings Report, tab-separated with a row per SKU, is a brand's own list of its products. Its whey
    is listed twice (shipped by the brand and by Amazon) with the same title and price: kept once, and said. The
    titles and prices load; a product the catalog already files under Protein keeps its line, the others are
    Unassigned. A product listed at two prices is refused naming the two rows and the prices."""
    from pathlib import Path

    from analytics.ingest.importer import load_file
    from analytics.ingest.layout import FileRejectedError

    load_text("catalog.csv", "asin,product_line\nB0C1234567,Protein\n")
    listings = Path(__file__).parent / "fixtures" / "layouts" / "all_listings_report.txt"
    result = load_file(con, listings, "All+Listings+Report+12-06-2026.txt")
    assert result.kind == "products" and (result.added, result.updated) == (2, 1)
    assert (
        "1 product listed in more than one row that say the same (such as B0C1234567: a listings report has a row "
        "per SKU) kept once"
    ) in result.notes
    stored = "select asin, product_line, title, cast(price as varchar) from products order by asin"
    assert con.execute(stored).fetchall() == [
        ("B0C1234567", "Protein", "Acme Whey Protein 2lb, Vanilla", "39.9900"),
        ("B0C1234568", "Unassigned", "Acme Creatine Monohydrate 300g", "24.9900"),
        ("B0C1234569", "Unassigned", "Acme Electrolyte Stick Packs (30)", "19.9900"),
    ]
    # A catalog of the brand's own making that repeats a row is refused, as any file repeating its key is.
    with pytest.raises(FileRejectedError) as typed_twice:
        load_text("catalog.csv", "asin,product_line\nB0C1234568,Snacks\nB0C1234568,Snacks\n")
    assert str(typed_twice.value) == (
        "catalog.csv, lines 2 and 3: both rows have the same asin (B0C1234568); each may appear once in a file: keep "
        "the row that is right."
    )
    lines = listings.read_text().splitlines()
    lines[3] = lines[3].replace("\t39.99\t", "\t34.99\t")  # the second SKU of the whey, at another price
    with pytest.raises(FileRejectedError) as refused:
        load_text("listings.txt", "\n".join(lines) + "\n")
    assert str(refused.value) == (
        "listings.txt, lines 2 and 4: both rows have the same asin1 (B0C1234567) and differ in price ($39.99 and "
        "$34.99); each may appear once in a file: keep the row that is right (a listings report has a row per SKU)."
    )
