"""Ten people at once on the real server: eight review while two upload, and nothing is lost or broken.

Ten Playwright browser contexts (separate sessions) on Debian's Chromium walk every page concurrently; two
of them upload a file of their own half-way. No page shows an error, and once the server stops the store
holds the sample plus both files, whole. The figures are printed for bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from analytics.store import list_loads, open_store
from tests.browser_support import CHROMIUM, ERRORS, PAGES, RUNNING, last_day_with_data, running_app
from tests.conftest import copy_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = 10
UPLOADERS = 2
ROWS_PER_UPLOAD = 30


@dataclass
class Tally:
    page_views: int = 0
    uploads: int = 0
    errors: list[str] = field(default_factory=list)
    render_seconds: list[float] = field(default_factory=list)


def upload_bytes(session: int, last_day: date) -> bytes:
    lines = ["date,campaign,creator,asin,clicks,orders,revenue,commission"]
    for n in range(ROWS_PER_UPLOAD):
        day = last_day - timedelta(days=n)
        lines.append(f"{day:%Y-%m-%d},Team upload,@uploader{session},B0TEAMUP0{session},20,1,25.00,2.50")
    return ("\n".join(lines) + "\n").encode()


async def open_and_check(page, base: str, path: str, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    await page.goto(f"{base}/{path}")
    await page.get_by_role("heading", name=PAGES[path], exact=True).first.wait_for(state="visible")
    await page.wait_for_selector(RUNNING, state="hidden")
    tally.render_seconds.append(time.monotonic() - started)
    tally.page_views += 1
    errors = page.locator(ERRORS)
    if await errors.count():
        tally.errors.append(f"/{path}: {await errors.first.inner_text()}")


async def session(browser, base: str, index: int, last_day: date, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(90_000)
    paths = list(PAGES)
    order = paths[index % len(paths) :] + paths[: index % len(paths)]
    try:
        for step, path in enumerate(order):
            await open_and_check(page, base, path, tally)
            if index < UPLOADERS and step == 2:
                await open_and_check(page, base, "data", tally)
                name = f"team_upload_{index}.csv"
                await page.locator('input[type="file"]').first.set_input_files(
                    files=[{"name": name, "mimeType": "text/csv", "buffer": upload_bytes(index, last_day)}]
                )
                await page.get_by_text(f"{name}: performance, {ROWS_PER_UPLOAD} added").first.wait_for()
                tally.uploads += 1
    finally:
        await context.close()


async def run_sessions(base: str, last_day: date) -> Tally:
    from playwright.async_api import async_playwright

    tally = Tally()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            await asyncio.gather(*(session(browser, base, i, last_day, tally) for i in range(SESSIONS)))
        finally:
            await browser.close()
    return tally


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_ten_sessions_review_while_two_upload(sample_db_file: Path, tmp_path: Path) -> None:
    db = copy_store(sample_db_file, tmp_path)
    last_day = last_day_with_data(db)
    con = open_store(db)
    rows_before = con.execute("select count(*) from performance").fetchone()[0]
    loads_before = len(list_loads(con))
    con.close()
    started = time.monotonic()
    with running_app(db) as base:
        tally = asyncio.run(run_sessions(base, last_day))
    elapsed = time.monotonic() - started
    con = open_store(db)
    rows_after = con.execute("select count(*) from performance").fetchone()[0]
    files = sorted(list_loads(con)["file"].tolist()[loads_before:])
    con.close()
    figures = {
        "sessions": SESSIONS,
        "page_views": tally.page_views,
        "uploads": tally.uploads,
        "errors": len(tally.errors),
        "rows_added": rows_after - rows_before,
        "seconds": round(elapsed, 1),
        "median_page_seconds": round(sorted(tally.render_seconds)[len(tally.render_seconds) // 2], 2),
        "slowest_page_seconds": round(max(tally.render_seconds), 2),
    }
    print("\nten-session figures:", json.dumps(figures))
    assert tally.errors == []
    assert tally.page_views == SESSIONS * len(PAGES) + UPLOADERS
    assert files == [f"team_upload_{i}.csv" for i in range(UPLOADERS)]
    assert rows_after == rows_before + UPLOADERS * ROWS_PER_UPLOAD
