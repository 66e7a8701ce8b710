"""Long lists in a real browser: what is sent at once, and what is sent when asked for.

Past 1,000 rows a table sends its first rows and the rest on request: the Creators page of 1,500 creators
carries 1,000 of them, scrolling the table fetches the last ones from the server (and they are the right
ones), and the table's CSV download still holds every creator. The Overview's list of every finding past the
cards is built and sent only once its expander is opened.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, PAGES, browser_page, download, running_app, wait_for_page

pytestmark = pytest.mark.browser

CREATORS = 1_500
DAY = "2026-10-31"  # a Saturday: the last day of a whole week, inside the default "Last 4 weeks"


def _creator(number: int) -> str:
    return f"@creator{number:04d}"


def _performance_file(folder: Path) -> Path:
    """Creator n: 10 clicks, 1 order, revenue n + 0.99 dollars, commission a tenth of it (rounded to the cent)."""
    lines = ["date,campaign,creator,asin,clicks,orders,revenue,commission"]
    for number in range(1, CREATORS + 1):
        revenue = number + 0.99
        lines.append(f"{DAY},Long list,{_creator(number)},B0LONG0001,10,1,{revenue:.2f},{revenue / 10:.2f}")
    path = folder / "performance.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def long_store(tmp_path: Path) -> Path:
    from analytics.ingest.importer import load_file
    from analytics.store.database import open_store

    db = tmp_path / "long.duckdb"
    con = open_store(db)
    load_file(con, _performance_file(tmp_path))
    con.close()
    return db


def _count_bytes(page: object, received: list[int]) -> None:
    """Add the size of every message the server sends `page` over its websocket to `received`: what is sent, seen
    from the browser, without reading Streamlit's own message format."""
    page.on(  # type: ignore[attr-defined]
        "websocket",
        lambda socket: socket.on(
            "framereceived", lambda payload: received.append(len(payload) if isinstance(payload, bytes | str) else 0)
        ),
    )


def _cell(page: object, text: str) -> object:
    """The table's cell showing `text`: the grid draws on a canvas, and keeps the cells in view as hidden accessible
    table cells with the same text."""
    return page.locator('[data-testid="stDataFrame"] td[role="gridcell"]', has_text=text)  # type: ignore[attr-defined]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_table_of_1500_creators_sends_a_screenful_and_fetches_the_rest(long_store: Path) -> None:
    """The server sends the table's first 1,000 rows with the page; scrolling to the end makes the browser ask for
    the rest, and more than 500 rows' worth of data arrives (a table sent whole would need nothing more)."""
    received: list[int] = []
    with running_app(long_store) as base, browser_page() as page:
        _count_bytes(page, received)
        page.goto(f"{base}/creators")
        wait_for_page(page, PAGES["creators"])
        page.get_by_text(f"{CREATORS:,} creators with activity").first.wait_for()
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        _cell(page, _creator(CREATORS)).first.wait_for(state="attached")  # highest revenue first
        page.wait_for_timeout(1000)  # whatever else the page sends arrives before the count
        before_scrolling = sum(received)

        # Scroll the table to its end: the browser asks for the rows past the first 1,000. The pointer is put over the
        # table before each turn of the wheel: on a loaded machine charts drawn late move the table down the page,
        # and a wheel over something else scrolls the page instead.
        for _ in range(200):
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            assert box is not None
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.wheel(0, 4_000)
            page.wait_for_timeout(100)
            if _cell(page, _creator(1)).count():
                break
        last = _cell(page, _creator(1)).first
        last.wait_for(state="attached")
        # The table's last row: the creator with the least revenue, $1.99.
        row = last.locator("xpath=..")  # the cell's row
        assert "1.99" in (row.text_content() or "")
        fetched = sum(received) - before_scrolling
        assert fetched > 500 * 40, f"scrolling to the end fetched {fetched} bytes, too few for 500 rows"

        table_csv = download(page, page.get_by_role("button", name="Download CSV").first)
        with open(table_csv.path(), encoding="utf-8") as exported:
            lines = exported.read().splitlines()
        assert len(lines) == CREATORS + 1, "the download holds every creator, not just the rows sent"
        assert lines[-1].startswith(f"{_creator(1)},False,1.99,"), lines[-1]


SILENT_CREATORS = 30  # each with 250 clicks and no order over the last 90 days: a finding each


@pytest.fixture
def many_findings_store(tmp_path: Path) -> Path:
    from analytics.ingest.importer import load_file
    from analytics.store.database import open_store

    lines = ["date,campaign,creator,asin,clicks,orders,revenue,commission"]
    lines += [f"{DAY},Quiet,{_creator(n)},B0LONG0001,250,0,0.00,0.00" for n in range(1, SILENT_CREATORS + 1)]
    lines += [f"{DAY},Loud,@seller{n},B0LONG0001,40,4,{100 + n}.00,10.00" for n in range(1, 4)]
    path = tmp_path / "performance.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "findings.duckdb"
    con = open_store(db)
    load_file(con, path)
    con.close()
    return db


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_the_list_of_every_finding_is_sent_when_opened(many_findings_store: Path) -> None:
    with running_app(many_findings_store) as base, browser_page() as page:
        page.goto(base)
        wait_for_page(page, PAGES[""])
        # 30 creators with clicks and no order, and the top-creators finding: 31, 10 of them as cards.
        listing = page.locator('[data-testid="stExpander"]').filter(
            has_text="All 31 findings, 21 more than the 10 above"
        )
        listing.wait_for()
        # Not drawn hidden: not in the page at all until the list is opened.
        assert listing.locator('[data-testid="stDataFrame"]').count() == 0, "the list was sent before it was opened"
        listing.get_by_text("All 31 findings").click()
        listing.locator('[data-testid="stDataFrame"]').wait_for()
        findings_csv = download(page, listing.get_by_role("button", name="Download CSV"))
        with open(findings_csv.path(), encoding="utf-8") as exported:
            lines = exported.read().splitlines()
        assert len(lines) == 32, lines[:3]
        assert sum("none became an order" in line for line in lines) == SILENT_CREATORS
