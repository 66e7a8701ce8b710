"""The real app in a real browser: `streamlit run` on a free port, Debian's Chromium driven by Playwright.

Uploads a small performance file on the Data page and downloads a backup, then opens every page, checks that
none shows an error (and that the Creators table's CSV download holds the upload) and keeps a full-page
screenshot of each: in a temporary folder, or in tests/screenshots/ (the README's pictures) when
CREATORLIFT_SCREENSHOTS=refresh.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openpyxl import load_workbook

from analytics.store.workspaces import create_workspace
from tests.browser_support import (
    CHROMIUM,
    ERRORS,
    PAGES,
    WAIT_MS,
    browser_page,
    download,
    running_app,
    wait_for_page,
    wait_until_settled,
)
from tests.conftest import ROOT, SAMPLE_ASIN, copy_store

# The sidebar's link to each page.
PAGE_LINKS = {"data": "Data", "creators": "Creators", "products": "Products", "": "Overview"}

pytestmark = pytest.mark.browser

# The committed pictures change only when asked; a plain run leaves the working tree as it found it.
SCREENSHOTS = (
    ROOT / "tests" / "screenshots"
    if os.environ.get("CREATORLIFT_SCREENSHOTS") == "refresh"
    else Path(tempfile.mkdtemp(prefix="creatorlift-screenshots-"))
)


def screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main container, so the window is made as tall as it."""
    page.wait_for_timeout(1000)  # charts and links below the fold finish drawing before the height is read
    height = page.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0, 900)")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 9000)})
    page.wait_for_timeout(1000)  # elements first drawn by the taller window arrive as placeholders
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_upload_then_every_page_renders_without_an_error(server: tuple[str, date]) -> None:
    base, last_day = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    upload = (
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        f"{last_day:%Y-%m-%d},Browser test,@browser_test,{SAMPLE_ASIN},40,3,89.97,9.00\n"
        f"{last_day - timedelta(days=1):%Y-%m-%d},Browser test,@browser_test,{SAMPLE_ASIN},25,1,29.99,3.00\n"
    ).encode()
    with browser_page() as page:
        page.goto(f"{base}/data")
        wait_for_page(page, PAGES["data"])
        page.locator('input[type="file"]').first.set_input_files(
            files=[{"name": "browser_week.csv", "mimeType": "text/csv", "buffer": upload}]
        )
        page.get_by_text("browser_week.csv: Performance, 2 added").first.wait_for(timeout=WAIT_MS)
        # The load's message shows before the run that drew it ends, and that run draws a new uploader: a file set
        # on the old one while it runs is lost on a busy machine.
        wait_until_settled(page)
        # A zipped download is taken, and refused saying what to do: the browser's own filter said only
        # "application/zip files are not allowed".
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("browser_week.csv", upload)
        page.locator('input[type="file"]').first.set_input_files(
            files=[{"name": "browser_week.zip", "mimeType": "application/zip", "buffer": archive.getvalue()}]
        )
        page.get_by_text("unzip it and upload the CSV inside").first.wait_for(timeout=WAIT_MS)
        backup = download(page, page.get_by_role("button", name="Backup", exact=True))
        with open(backup.path(), "rb") as copy:
            assert copy.read(12)[8:12] == b"DUCK", "the backup is not a DuckDB database file"
        for path, heading in PAGES.items():
            page.goto(f"{base}/{path}")
            wait_for_page(page, heading)
            errors = page.locator(ERRORS)
            assert errors.count() == 0, f"/{path}: {errors.first.inner_text()}"
            if path == "":
                # The review leaves the app as one HTML file, written on a server thread when clicked: the brand's
                # name in its heading, its charts drawn in as SVG.
                review = download(page, page.get_by_role("button", name="Download this review"))
                # Named for the brand, so an agency's dozen reviews never overwrite one another. The store holds
                # the sample and this test's upload without the demo's mark, as a brand's own would: it is named
                # for its file.
                assert review.suggested_filename.startswith("creator_lift_sample_review_20"), review.suggested_filename
                written = Path(review.path()).read_text(encoding="utf-8")
                assert written.startswith("<!DOCTYPE html>"), written[:80]
                assert "sample — creator review</h1>" in written
                assert "data:image/svg+xml;base64," in written
            if path == "creators":
                # The table's CSV is written when its button is clicked: it holds the rows shown, the
                # upload's creator among them, its handle as written (no spreadsheet runs "@browser_test").
                # By its key: the page has several tables, each with its own buttons.
                table_csv = download(page, page.locator(".st-key-creators_table_download button"))
                with open(table_csv.path(), encoding="utf-8") as exported:
                    lines = exported.read().splitlines()
                assert lines[0].startswith("creator,outreach_target,revenue,"), lines[0]
                assert any(line.startswith("@browser_test,False,119.96,") for line in lines), lines[:3]
                # The amounts' currency, which a bare 119.96 does not say, in a last column of its own.
                assert lines[0].endswith(",currency") and lines[1].endswith(",USD"), (lines[0], lines[1])
                # The Excel file beside it has typed cells: the handle as text, revenue as a number.
                table_xlsx = download(page, page.locator(".st-key-creators_table_download_xlsx button"))
                # Named for the brand (the store's file, as above) and the period.
                assert table_xlsx.suggested_filename.startswith("creator_lift_sample_creators_20")
                sheet = load_workbook(io.BytesIO(table_xlsx.path().read_bytes())).active
                # Headed as the table on screen is; the CSV above keeps the metrics' names.
                assert next(sheet.iter_rows(values_only=True))[:3] == (
                    "Creator",
                    "Outreach target",
                    "Attributed revenue",
                )
                row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "@browser_test")
                assert row[2] == pytest.approx(119.96)
            screenshot(page, path or "overview")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_brand_stays_chosen_from_page_to_page(sample_db_file: Path, tmp_path: Path) -> None:
    """Streamlit drops the URL's parameters when the page changes: a brand's owner clicking through to the Data
    page landed on the demo brand, and their uploads were refused as the demo's."""
    db = copy_store(sample_db_file, tmp_path)
    create_workspace("Acme Nutrition", db)
    with running_app(db) as base, browser_page() as page:
        page.goto(f"{base}/?brand=acme-nutrition")
        wait_for_page(page, PAGES[""])
        for path in ("data", "creators"):
            page.locator('[data-testid="stSidebar"]').get_by_role("link", name=PAGE_LINKS[path]).click()
            wait_for_page(page, PAGES[path])
            assert f"/{path}?" in page.url and "brand=acme-nutrition" in page.url, page.url
            assert page.get_by_text("You are looking at the demo brand").count() == 0
            if path == "data":
                # The backup is made on a server thread when clicked: it is the brand's store, not the demo's.
                backup = download(page, page.get_by_role("button", name="Backup", exact=True))
                assert backup.suggested_filename.startswith("acme-nutrition-backup-"), backup.suggested_filename
                copy = duckdb.connect(str(backup.path()), read_only=True)
                try:
                    assert copy.execute("select count(*) from loads").fetchone() == (0,)
                finally:
                    copy.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_back_leaves_a_page_in_one_press(sample_db_file: Path, tmp_path: Path) -> None:
    """Streamlit's own menu opened a page without the URL's parameters, and the page wrote the brand, then the
    period, then its focus back, each a step in the browser's history: Back took three presses to leave a page.
    The menu's links carry them, and a page writes nothing it opens on by default."""
    with running_app(copy_store(sample_db_file, tmp_path)) as base, browser_page() as page:
        page.goto(base)
        wait_for_page(page, PAGES[""])
        opened = page.evaluate("history.length")
        for path in ("products", "creators"):
            page.locator('[data-testid="stSidebar"]').get_by_role("link", name=PAGE_LINKS[path]).click()
            wait_for_page(page, PAGES[path])
            wait_until_settled(page)
        assert page.evaluate("history.length") == opened + 2
        assert "brand=demo" in page.url and "period=Last+4+weeks" in page.url and "focus=" not in page.url, page.url
        for path in ("products", ""):
            page.go_back()
            page.wait_for_url(f"{base}/{path}?**")
            wait_for_page(page, PAGES[path])
            wait_until_settled(page)
            assert page.url.startswith(f"{base}/{path}?"), page.url


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_back_and_forward_bring_back_the_period_and_filters_they_showed(sample_db_file: Path, tmp_path: Path) -> None:
    """Each change of period, filter or repeat window is a step in the browser's history, but Back to it kept the
    session's latest choices and wrote them over the address Back had brought: Back could not undo a filter."""
    with running_app(copy_store(sample_db_file, tmp_path)) as base, browser_page() as page:
        page.goto(f"{base}/creators?brand=demo&period=Last+4+weeks&line=Protein")
        wait_for_page(page, PAGES["creators"])
        period = page.get_by_role("combobox", name="Period")
        lines = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first

        def sidebar() -> tuple[str, bool]:
            return period.input_value(), "Protein" in lines.inner_text()

        def settled_on(expected: tuple[str, bool], shown: Callable[[], tuple[str, bool]] = sidebar) -> None:
            """Wait until `shown` reads `expected`: a first visit's page is drawn once before the run that sets its
            sidebar from the address has ended, so its heading can stand before its filters do."""
            for _ in range(WAIT_MS // 250):
                wait_until_settled(page)
                if shown() == expected:
                    break
            assert shown() == expected, page.url

        def step(
            move: Any,
            expected: tuple[str, bool],
            in_url: str,
            not_in_url: str = "\0",
            shown: Callable[[], tuple[str, bool]] = sidebar,
        ) -> None:
            """Make the move, then wait for the address and what `shown` reads it should bring (the run a history
            step starts comes a moment after the address changes)."""
            move()
            page.wait_for_url(lambda url: in_url in url and not_in_url not in url)
            settled_on(expected, shown)
            assert in_url in page.url and not_in_url not in page.url, page.url

        settled_on(("Last 4 weeks", True))
        period.click()
        step(page.get_by_role("option", name="Last 90 days").click, ("Last 90 days", True), "period=Last+90+days")
        # The Protein chip's remove button.
        step(lines.get_by_role("button").first.click, ("Last 90 days", False), "period=Last+90+days", "line=")
        step(page.go_back, ("Last 90 days", True), "line=Protein")
        step(page.go_back, ("Last 4 weeks", True), "period=Last+4+weeks")
        step(page.go_forward, ("Last 90 days", True), "period=Last+90+days")
        step(page.go_forward, ("Last 90 days", False), "period=Last+90+days", "line=")

        # The repeat window, kept in the session for every page, follows the address the same way.
        repeat = page.get_by_role("spinbutton", name="Repeat window (days)")

        def window() -> tuple[str, bool]:
            return repeat.input_value(), "Protein" in lines.inner_text()

        repeat.fill("30")
        step(lambda: repeat.press("Enter"), ("30", False), "repeat=30", shown=window)
        step(page.go_back, ("90", False), "period=Last+90+days", "repeat=", shown=window)
        step(page.go_forward, ("30", False), "repeat=30", shown=window)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_back_from_a_findings_page_is_one_step(sample_db_file: Path, tmp_path: Path) -> None:
    """A finding's link marked its days as replacing the period, and the page then wrote its address again without
    the mark: Back from the finding's page took two presses. The sample's first finding (Vitamins' commission share,
    Oct 4 - Nov 14) opens Products on its days; one Back returns to the Overview on its 4 weeks."""
    with running_app(copy_store(sample_db_file, tmp_path)) as base, browser_page() as page:
        page.goto(f"{base}/?brand=demo&period=Last+4+weeks")
        wait_for_page(page, PAGES[""])
        period = page.get_by_role("combobox", name="Period")
        page.get_by_role("link", name="Open Products").first.click()
        page.wait_for_url(lambda url: "/products" in url)
        wait_for_page(page, PAGES["products"])
        wait_until_settled(page)
        assert period.input_value() == "Custom range"
        assert "start=2026-10-04" in page.url and "end=2026-11-14" in page.url, page.url
        page.go_back()
        page.wait_for_url(lambda url: "/products" not in url)
        wait_for_page(page, PAGES[""])
        wait_until_settled(page)
        assert period.input_value() == "Last 4 weeks", page.url
        assert "period=Last+4+weeks" in page.url, page.url

        # A finding about a creator's buyers opens Customers on creators, which held its table there by writing the
        # link's mark out of the address: a second step. Now one Back; and a tab the person opens stays open.
        page.get_by_role("link", name="Open Customers").first.click()
        page.wait_for_url(lambda url: "/customers" in url)
        wait_for_page(page, PAGES["customers"])
        wait_until_settled(page)
        assert "from=finding" in page.url
        tab = page.get_by_role("tab", name="Product line")
        tab.click()
        page.wait_for_url(lambda url: "from=finding" not in url)
        wait_until_settled(page)
        assert tab.get_attribute("aria-selected") == "true"
        page.go_back()  # to the finding's own address, the table on creators again
        page.wait_for_url(lambda url: "from=finding" in url)
        wait_until_settled(page)
        assert page.get_by_role("tab", name="Creator").get_attribute("aria-selected") == "true"
        page.go_back()
        page.wait_for_url(lambda url: "/customers" not in url)
        wait_for_page(page, PAGES[""])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_back_from_another_brand_is_one_step_to_the_brand_and_filters_before(
    sample_db_file: Path, tmp_path: Path
) -> None:
    """Switching brand wrote the brand, then took out each filter of the brand before, one history step each: Back
    from the new brand landed on it again, half-changed. One Back now returns to the demo, its filter on."""
    db = copy_store(sample_db_file, tmp_path)
    create_workspace("Cobalt Coffee", db)
    with running_app(db) as base, browser_page() as page:
        page.goto(f"{base}/?brand=demo&period=Last+4+weeks&line=Protein")
        wait_for_page(page, PAGES[""])
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Cobalt Coffee").click()
        page.wait_for_url(lambda url: "brand=cobalt-coffee" in url)
        page.get_by_text("No data yet").first.wait_for(state="visible")
        wait_until_settled(page)
        assert "line=" not in page.url, page.url
        page.go_back()
        page.wait_for_url(lambda url: "brand=demo" in url)
        wait_for_page(page, PAGES[""])
        wait_until_settled(page)
        assert "line=Protein" in page.url, page.url


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_new_brand_closes_once_the_brand_is_made_and_stays_open_on_a_refusal(
    sample_db_file: Path, tmp_path: Path
) -> None:
    """The New brand form stayed open over the new brand's first page. A name refused (one already taken) keeps it
    open with the reason; a brand made closes it and shows the brand."""
    db = copy_store(sample_db_file, tmp_path)
    create_workspace("Acme Nutrition", db)
    with running_app(db) as base, browser_page() as page:
        page.goto(base)
        wait_for_page(page, PAGES[""])
        name = page.get_by_label("Brand name")
        for typed, refused in (("Acme Nutrition", True), ("Zeta Foods", False)):
            page.get_by_role("button", name="New brand").click()
            name.wait_for(state="visible")
            name.fill(typed)
            page.get_by_role("button", name="Create the brand's workspace").click()
            wait_until_settled(page)
            if refused:
                assert name.is_visible()
                assert page.locator(ERRORS).count() == 1
                page.keyboard.press("Escape")
                name.wait_for(state="hidden")
        name.wait_for(state="hidden")
        # The form closes before the new brand's page is drawn: wait for the page, which fails if it never comes.
        page.get_by_text("No data yet").first.wait_for(state="visible")
        assert "brand=zeta-foods" in page.url, page.url
        # The browser's tab names the brand: an agency keeps a dozen open.
        page.wait_for_function("document.title === 'Zeta Foods · Creator Lift'")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_brand_without_data_on_the_way_keeps_the_period_for_the_next_brand(
    sample_db_file: Path, tmp_path: Path
) -> None:
    """An agency setting up a new brand visits it empty, then goes back to a brand with data: the empty brand's
    sidebar draws no Period box, Streamlit dropped the box's choice, and the brand opened on the default 4 weeks
    rather than the week chosen. (Only a browser shows it: the test harness keeps an undrawn box's value.)"""
    db = copy_store(sample_db_file, tmp_path)
    create_workspace("Cobalt Coffee", db)
    with running_app(db) as base, browser_page() as page:
        page.goto(f"{base}/?period=Last+complete+week")
        wait_for_page(page, PAGES[""])

        def pick_brand(name: str) -> None:
            page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name=name).click()
            wait_until_settled(page)

        pick_brand("Cobalt Coffee")
        page.get_by_text("No data yet").first.wait_for(state="visible")
        page.get_by_role("link", name="Data").first.click()
        page.wait_for_url("**/data?**")
        wait_until_settled(page)
        pick_brand("Demo brand (sample data)")
        page.get_by_role("link", name="Overview").first.click()
        wait_for_page(page, PAGES[""])
        page.wait_for_url("**period=Last+complete+week**")
        assert "brand=demo" in page.url or "brand=" not in page.url, page.url


# The first three cards' columns as drawn, the figures cut short, and what decides how many fit in a row.
CARD_LAYOUT = """() => {
    const columns = [...document.querySelectorAll('[data-testid="stMetricValue"]')].slice(0, 3)
        .map(v => v.closest('[data-testid="stColumn"]').getBoundingClientRect());
    const cut = [...document.querySelectorAll('[data-testid="stMetricValue"] *, [data-testid="stMetricValue"]')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    return {
        tops: columns.map(c => Math.round(c.top)), widths: columns.map(c => Math.round(c.width)), cut,
        rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
        main: document.querySelector('[data-testid="stMain"]').getBoundingClientRect().width,
        sidebar: sidebar ? sidebar.getBoundingClientRect().width : 0,
    };
}"""


def settled_card_layout(page: Any) -> dict[str, Any]:
    """The card layout once two readings half a second apart agree: on a busy machine a chart or a late rerun can
    still move the cards after the script has stopped."""
    layout = page.evaluate(CARD_LAYOUT)
    for _ in range(40):
        page.wait_for_timeout(500)
        again = page.evaluate(CARD_LAYOUT)
        if again == layout:
            break
        layout = again
    return layout


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_laptop_window_of_800_pixels_shows_every_card_figure_whole(sample_db_file: Path, tmp_path: Path) -> None:
    """With the sidebar open, Streamlit kept three cards to a row in 800 pixels and cut their figures to "$36…";
    the rows wrap there, each card at least 12rem wide, and every figure is shown whole. At 1,400 pixels the three
    cards still share a row."""
    db = copy_store(sample_db_file, tmp_path)
    with running_app(db) as base, browser_page() as page:
        for width in (800, 1400):
            page.set_viewport_size({"width": width, "height": 1000})
            page.goto(f"{base}/")
            wait_for_page(page, PAGES[""])
            page.locator('[data-testid="stMetricValue"]').first.wait_for()
            layout = settled_card_layout(page)
            assert layout["cut"] == [], (width, layout)
            rows = len(set(layout["tops"]))
            if width == 1400:
                assert rows == 1, layout
            else:
                assert layout["sidebar"] > 0, layout
                assert rows > 1, layout
                assert min(layout["widths"]) >= 12 * layout["rem"] - 1, layout
