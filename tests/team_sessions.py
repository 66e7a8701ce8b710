"""Ten people at once on the real server: eight review while two upload. Shared by the test and the benchmark.

Ten Playwright browser contexts (separate sessions) on Debian's Chromium walk every page concurrently; two
of them upload a file of their own half-way. `run_team` returns what happened and what the store holds after.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from analytics.store.database import list_loads, open_store
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ERRORS,
    PAGES,
    RUNNING,
    WAIT_MS,
    last_day_with_data,
    running_app,
)
from tests.conftest import SAMPLE_ASIN

SESSIONS = 10
UPLOADERS = 2
ROWS_PER_UPLOAD = 30


@dataclass
class Tally:
    page_views: int = 0
    uploads: int = 0
    errors: list[str] = field(default_factory=list)
    render_seconds: list[float] = field(default_factory=list)


@dataclass
class TeamRun:
    tally: Tally
    rows_added: int  # performance rows in the store after the run, less those before
    files_loaded: list[str]  # file names the load log gained, sorted
    seconds: float

    def figures(self) -> dict[str, object]:
        """The figures bench/RESULTS.md reports."""
        renders = sorted(self.tally.render_seconds)
        return {
            "sessions": SESSIONS,
            "page_views": self.tally.page_views,
            "uploads": self.tally.uploads,
            "errors": len(self.tally.errors),
            "rows_added": self.rows_added,
            "seconds": round(self.seconds, 1),
            "median_page_seconds": round(renders[len(renders) // 2], 2) if renders else None,
            "slowest_page_seconds": round(renders[-1], 2) if renders else None,
        }


def upload_bytes(session: int, last_day: date) -> bytes:
    lines = ["date,campaign,creator,asin,clicks,orders,revenue,commission"]
    for n in range(ROWS_PER_UPLOAD):
        day = last_day - timedelta(days=n)
        lines.append(f"{day:%Y-%m-%d},Team upload,@uploader{session},{SAMPLE_ASIN},20,1,25.00,2.50")
    return ("\n".join(lines) + "\n").encode()


async def open_and_check(page, base: str, path: str, tally: Tally) -> None:
    started = time.monotonic()
    await page.goto(f"{base}/{path}")
    await page.get_by_role("heading", name=PAGES[path], exact=True).first.wait_for(state="visible")
    await page.wait_for_selector(RUNNING, state="hidden")
    tally.render_seconds.append(time.monotonic() - started)
    tally.page_views += 1
    errors = page.locator(ERRORS)
    if await errors.count():
        tally.errors.append(f"/{path}: {await errors.first.inner_text()}")


async def session(browser, base: str, index: int, last_day: date, tally: Tally) -> None:
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(2 * WAIT_MS)  # ten sessions share two cores
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
                await page.get_by_text(f"{name}: Performance, {ROWS_PER_UPLOAD} added").first.wait_for()
                tally.uploads += 1
    finally:
        await context.close()


async def run_sessions(base: str, last_day: date) -> Tally:
    from playwright.async_api import async_playwright

    tally = Tally()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(session(browser, base, i, last_day, tally) for i in range(SESSIONS)))
        finally:
            await browser.close()
    return tally


def _performance_rows_and_loads(db: Path) -> tuple[int, list[str]]:
    """Read while no server holds the file: DuckDB lets one process open it."""
    con = open_store(db)
    try:
        row = con.execute("select count(*) from performance").fetchone()
        return int(row[0]) if row else 0, list_loads(con)["file"].tolist()
    finally:
        con.close()


def run_team(db: Path) -> TeamRun:
    """The app on `db` with ten sessions at once, two of them uploading; `db` gains the two files."""
    last_day = last_day_with_data(db)
    rows_before, loads_before = _performance_rows_and_loads(db)
    started = time.monotonic()
    with running_app(db) as base:
        tally = asyncio.run(run_sessions(base, last_day))
    elapsed = time.monotonic() - started
    rows_after, loads_after = _performance_rows_and_loads(db)
    return TeamRun(tally, rows_after - rows_before, sorted(loads_after[len(loads_before) :]), elapsed)
