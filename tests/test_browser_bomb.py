"""A workbook bomb uploaded in one session while another keeps browsing and uploading: the bomb is refused before
anything is inflated, and the other person's small file lands as it always does."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, ERRORS, PAGES, WAIT_MS
from tests.conftest import SAMPLE_ASIN
from tests.test_attack_files import shared_strings_bomb

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def small_upload(last_day: date) -> bytes:
    rows = [
        f"{last_day - timedelta(days=n):%Y-%m-%d},Bomb day,@neighbour,{SAMPLE_ASIN},10,1,20.00,2.00" for n in range(2)
    ]
    return ("date,campaign,creator,asin,clicks,orders,revenue,commission\n" + "\n".join(rows) + "\n").encode()


async def _upload(browser, base: str, name: str, content: bytes, mime: str, expected: str) -> float:
    """Open the Data page in a session of its own, upload `content`, wait for `expected`; the seconds it took."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = await context.new_page()
        page.set_default_timeout(WAIT_MS)
        await page.goto(f"{base}/data")
        await page.get_by_role("heading", name=PAGES["data"], exact=True).first.wait_for()
        started = time.monotonic()
        await page.locator('input[type="file"]').first.set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": content}]
        )
        await page.get_by_text(expected).first.wait_for()
        seconds = time.monotonic() - started
        # The neighbour keeps browsing: the Overview still opens without an error.
        await page.goto(base)
        await page.get_by_role("heading", name=PAGES[""], exact=True).first.wait_for()
        assert await page.locator(ERRORS).count() == 0
        return seconds
    finally:
        await context.close()


async def _both(base: str, last_day: date) -> tuple[float, float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            bomb, neighbour = await asyncio.gather(
                _upload(
                    browser,
                    base,
                    "bomb.xlsx",
                    shared_strings_bomb(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "bomb.xlsx: this workbook would take 20 MB once opened",
                ),
                _upload(
                    browser,
                    base,
                    "neighbour.csv",
                    small_upload(last_day),
                    "text/csv",
                    "neighbour.csv: Performance, 2 added",
                ),
            )
        finally:
            await browser.close()
    return bomb, neighbour


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_workbook_bomb_in_one_session_leaves_another_session_s_upload_alone(server: tuple[str, date]) -> None:
    base, last_day = server
    bomb_seconds, neighbour_seconds = asyncio.run(_both(base, last_day))
    print(f"\nbomb refused in {bomb_seconds:.1f} s; the neighbour's file landed in {neighbour_seconds:.1f} s")
    # Bounds, not timings: the refusal is made before inflating anything, so neither waits on the other's work.
    assert bomb_seconds < WAIT_MS / 1000 and neighbour_seconds < WAIT_MS / 1000
