"""Cancelling an upload in the browser: the person sees the file's step while it loads, clicks Cancel, and the store is
as it was (a workbook's worker is stopped while it still reads the sheet)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ERRORS, PAGES, browser_page, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROWS = 150_000  # a sheet the worker takes several seconds to read, in a file that uploads in a moment


def slow_workbook(path: Path, last_day: date) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["date", "campaign", "creator", "asin", "clicks", "orders", "revenue", "commission"])
    for n in range(ROWS):
        day = last_day - timedelta(days=n % 28)
        sheet.append([day.isoformat(), "Cancelled", f"@creator{n}", "B0CANCEL01", 3, 0, 0, 0])
    book.save(path)
    return path


def performance_rows(page) -> str:
    return (
        page.get_by_test_id("stMetric")
        .filter(has=page.get_by_test_id("stMetricLabel").get_by_text("Performance", exact=True))
        .first.inner_text()
    )


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_cancelling_a_slow_upload_stops_it_and_changes_nothing(server: tuple[str, date], tmp_path: Path) -> None:
    base, last_day = server
    workbook = slow_workbook(tmp_path / "slow.xlsx", last_day)
    with browser_page() as page:
        page.goto(f"{base}/data")
        wait_for_page(page, PAGES["data"])
        before = performance_rows(page)
        page.locator('input[type="file"]').first.set_input_files(str(workbook))
        page.get_by_text("Loading slow.xlsx: reading the workbook").first.wait_for()
        page.get_by_role("button", name="Cancel").first.click()
        page.get_by_text("slow.xlsx: cancelled before it was saved; nothing from it was loaded.").first.wait_for()
        wait_for_page(page, PAGES["data"])
        assert performance_rows(page) == before
        assert page.locator(ERRORS).count() == 0
        assert page.get_by_text("B0CANCEL01").count() == 0
