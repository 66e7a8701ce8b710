"""What the browser tests share: the real app under `streamlit run` on a free port, and waiting for pages.

Loaded as a pytest plugin (see conftest.py), so the `server` fixture is available to every browser test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from analytics.metrics.grouped import data_range
from analytics.store.database import open_store
from tests.conftest import ROOT, copy_store

CHROMIUM = Path("/usr/bin/chromium")
# Headless Chromium as root in a container: no sandbox, no GPU, no background requests of its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Upper bounds on waits, not timings: a shared CI machine under load can take many times the usual seconds.
WAIT_MS = 120_000
# url path -> the heading the page shows once rendered (st.navigation names each page's path after its file).
PAGES = {
    "": "Weekly review",
    "creators": "Creators",
    "products": "Products",
    "customers": "Customers",
    "organic_rank": "Organic rank",
    "campaigns": "Campaigns",
    "data": "Your data",
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
RUNNING = '[data-testid="stStatusWidget"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
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


def streamlit_command(port: int, script: str = "app.py") -> list[str]:
    """`streamlit run app.py` (or another script), headless on 127.0.0.1:port (run it from the repository root)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]


@contextmanager
def running_app(db: Path, **environment: str) -> Iterator[str]:
    """`streamlit run app.py` on a free port against `db` (and `environment` on top of this process's); yields the
    base URL and stops the server on exit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **environment, "CREATORLIFT_DB": str(db)}
    command = streamlit_command(port)
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_healthy(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def last_day_with_data(db: Path) -> date:
    """Read before the server takes the file: DuckDB lets one process hold it."""
    con = open_store(db)
    span = data_range(con)
    con.close()
    assert span is not None, "the sample store has no performance data"
    return span[1]


@pytest.fixture
def server(sample_db_file: Path, tmp_path: Path) -> Iterator[tuple[str, date]]:
    """The app on a private copy of the sample store: the base URL and the store's last day with data."""
    db = copy_store(sample_db_file, tmp_path)
    last_day = last_day_with_data(db)
    with running_app(db) as base:
        yield base, last_day


def wait_for_page(page, heading: str) -> None:
    """Until the page's heading is there and the script has stopped running."""
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(state="visible", timeout=WAIT_MS)
    wait_until_settled(page)


def wait_until_settled(page) -> None:
    """Until the script has stopped running and what it sent last is drawn (Plotly draws after the script finishes;
    a table measures its rows once they arrive, moving what stands below it)."""
    page.wait_for_selector(RUNNING, state="hidden", timeout=WAIT_MS)
    page.wait_for_timeout(500)
    page.wait_for_selector(RUNNING, state="hidden", timeout=WAIT_MS)


@contextmanager
def browser_page() -> Iterator[Any]:
    """A page in Debian's headless Chromium, 1400 x 1000, whose waits give up after WAIT_MS."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            yield page
        finally:
            browser.close()


def download(page: Any, button: Any) -> Any:
    """Click `button` (a locator) once the page has settled, and return the download it starts.

    A click as a run's last changes are drawn (a rerun an earlier click started, as opening an expander does)
    lands where the button was a moment before, and starts nothing: the click waits until the page has settled. One
    swallowed all the same on a busy machine (a rerun landing as the button is clicked: the URL's state written back,
    a chart's first draw) is clicked again rather than waited out.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for attempt in range(3):
        wait_until_settled(page)
        try:
            with page.expect_download(timeout=WAIT_MS // 3) as started:
                button.click()
            return started.value
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
