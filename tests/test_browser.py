"""The real app in a real browser: `streamlit run` on a free port, Debian's Chromium driven by Playwright.

Uploads a small performance file on the Data page and downloads a backup, then opens every page, checks that
none shows an error and keeps a full-page screenshot of each in tests/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from analytics.metrics import data_range
from analytics.store import open_store
from tests.conftest import ROOT, copy_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"
# url path -> the heading the page shows once rendered (st.navigation names each page's path after its file).
PAGES = {
    "": "Weekly review",
    "creators": "Creators",
    "products": "Products",
    "customers": "Customers",
    "organic_rank": "Organic rank",
    "data": "Your data",
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
RUNNING = '[data-testid="stStatusWidget"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 45.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"streamlit did not answer {base}/_stcore/health within {timeout:.0f} s")


@pytest.fixture
def server(sample_db_file: Path, tmp_path: Path) -> Iterator[tuple[str, date]]:
    """`streamlit run app.py` on a free port against a private copy of the sample store; stopped afterwards.

    Yields the base URL and the store's last day with data (read before the server takes the file).
    """
    db = copy_store(sample_db_file, tmp_path)
    con = open_store(db)
    span = data_range(con)
    con.close()
    assert span is not None, "the sample store has no performance data"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CREATORLIFT_DB": str(db)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_healthy(base, process)
        yield base, span[1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for_page(page, heading: str) -> None:  # type: ignore[no-untyped-def]
    """Until the page's heading is there and the script has stopped running."""
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(state="visible", timeout=30_000)
    page.wait_for_selector(RUNNING, state="hidden", timeout=30_000)
    page.wait_for_timeout(400)  # Plotly draws after the script finishes
    page.wait_for_selector(RUNNING, state="hidden", timeout=30_000)


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The whole page: Streamlit scrolls inside its main container, so the window is made as tall as it."""
    height = page.evaluate("() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0, 900)")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 9000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_upload_then_every_page_renders_without_an_error(server: tuple[str, date]) -> None:
    from playwright.sync_api import sync_playwright

    base, last_day = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    upload = (
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        f"{last_day:%Y-%m-%d},Browser test,@browser_test,B0BROWSER1,40,3,89.97,9.00\n"
        f"{last_day - timedelta(days=1):%Y-%m-%d},Browser test,@browser_test,B0BROWSER1,25,1,29.99,3.00\n"
    ).encode()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(f"{base}/data")
            wait_for_page(page, PAGES["data"])
            page.locator('input[type="file"]').first.set_input_files(
                files=[{"name": "browser_week.csv", "mimeType": "text/csv", "buffer": upload}]
            )
            page.get_by_text("browser_week.csv: performance, 2 added").first.wait_for(timeout=30_000)
            with page.expect_download(timeout=30_000) as backup:
                page.get_by_role("button", name="Backup", exact=True).click()
            with open(backup.value.path(), "rb") as copy:
                assert copy.read(12)[8:12] == b"DUCK", "the backup is not a DuckDB database file"
            for path, heading in PAGES.items():
                page.goto(f"{base}/{path}")
                wait_for_page(page, heading)
                errors = page.locator(ERRORS)
                assert errors.count() == 0, f"/{path}: {errors.first.inner_text()}"
                screenshot(page, path or "overview")
        finally:
            browser.close()
