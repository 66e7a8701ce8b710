"""Cancelling an upload in the browser: the person sees the file's step while it loads, clicks Cancel, and the store is
as it was (a workbook's worker is stopped while it still reads the sheet)."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ERRORS, PAGES, browser_page, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROWS = 150_000  # a sheet the worker takes several seconds to read, in a file that uploads in a moment


def slow_workbook(path: Path, last_day: date) -> Path:
    """A workbook of ROWS performance rows, written as openpyxl's write-only mode writes one (inline strings) but
    straight from text: openpyxl took half a minute to write what the worker then takes seconds to read."""
    header = ["date", "campaign", "creator", "asin", "clicks", "orders", "revenue", "commission"]

    def text(cell: str, value: str) -> str:
        return f'<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>'

    def row(number: int, values: list[str], counts: tuple[int, ...]) -> str:
        cells = [text(f"{column}{number}", value) for column, value in zip("ABCD", values, strict=True)]
        cells += [
            f'<c r="{column}{number}" t="n"><v>{count}</v></c>' for column, count in zip("EFGH", counts, strict=True)
        ]
        return f'<row r="{number}">{"".join(cells)}</row>'

    rows = [f'<row r="1">{"".join(text(f"{chr(65 + i)}1", name) for i, name in enumerate(header))}</row>']
    rows += [
        row(
            n + 2,
            [(last_day - timedelta(days=n % 28)).isoformat(), "Cancelled", f"@creator{n}", "B0CANCEL01"],
            (3, 0, 0, 0),
        )
        for n in range(ROWS)
    ]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{relationships}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            f'Type="{relationships}/worksheet"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, content in parts.items():
            book.writestr(name, content)
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
