"""Files posted straight to Streamlit's upload endpoint are held in the server's memory until a page lets go of them:
past a ceiling for everyone together, a new upload is refused before its body is read."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import CHROMIUM, PAGES, browser_page, running_app, wait_for_page
from tests.conftest import SAMPLE_ASIN, copy_store
from ui.server import BUSY, UploadCeiling

MB = 2**20


def _post(middleware: UploadCeiling, path: str, length: int | None, method: str = "PUT") -> int:
    """The status the middleware answers for one request (200 when it passes it on to the app)."""
    sent: list[dict[str, Any]] = []
    headers = [(b"content-length", str(length).encode())] if length is not None else []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(middleware({"type": "http", "method": method, "path": path, "headers": headers}, None, send))
    if sent and sent[0]["type"] == "http.response.start":
        assert sent[1]["body"] == BUSY
        return int(sent[0]["status"])
    return 200


def test_eight_large_posts_stop_at_the_ceiling_and_other_requests_pass() -> None:
    """Eight 181 MB posts against a 1,024 MB ceiling: five are held (905 MB), the sixth would make 1,086 MB and is
    refused with 503, as are the rest; a page or a small file's deletion still passes."""
    held = 0

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal held
        if scope["method"] == "PUT":
            held += int(dict(scope["headers"])[b"content-length"])

    middleware = UploadCeiling(app, held=lambda: held, ceiling=1024 * MB, largest=200 * MB)
    statuses = [_post(middleware, "/_stcore/upload_file/session/file", 181 * MB) for _ in range(8)]
    assert statuses == [200] * 5 + [503] * 3
    assert held == 5 * 181 * MB
    assert _post(middleware, "/data", None, method="GET") == 200
    assert _post(middleware, "/_stcore/upload_file/session/file", None, method="DELETE") == 200


def test_uploads_dropped_together_count_while_they_arrive() -> None:
    """Ten 200 MB uploads at once against a 1,024 MB ceiling, none stored yet: Streamlit counts a file only once
    its body is read, so the middleware counts the ones arriving. Five are let in, five refused."""
    stored = 0
    arrived = asyncio.Event()
    statuses: list[int] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal stored
        await arrived.wait()  # every body still on its way
        stored += int(dict(scope["headers"])[b"content-length"])
        await send({"type": "http.response.start", "status": 204, "headers": []})

    middleware = UploadCeiling(app, held=lambda: stored, ceiling=1024 * MB, largest=200 * MB)

    async def post() -> None:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "PUT", "path": "/_stcore/upload_file/s/f"}
        await middleware(scope | {"headers": [(b"content-length", str(200 * MB).encode())]}, None, send)
        statuses.append(int(sent[0]["status"]))

    async def drop_ten() -> None:
        posts = [asyncio.create_task(post()) for _ in range(10)]
        await asyncio.sleep(0.05)
        arrived.set()
        await asyncio.gather(*posts)

    asyncio.run(drop_ten())
    assert sorted(statuses) == [204] * 5 + [503] * 5
    assert stored == 5 * 200 * MB and middleware.arriving == 0


def test_a_post_without_a_length_counts_as_the_largest_upload_allowed() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        return None

    middleware = UploadCeiling(app, held=lambda: 900 * MB, ceiling=1024 * MB, largest=200 * MB)
    assert _post(middleware, "/_stcore/upload_file/session/file", None) == 503
    assert _post(middleware, "/_stcore/upload_file/session/file", 100 * MB) == 200


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_the_running_app_refuses_an_upload_past_its_ceiling_and_loads_nothing(
    sample_db_file: Path, tmp_path: Path
) -> None:
    """With a 1 MB ceiling, a 2.6 MB file is refused by the server before Streamlit reads it: the uploader marks
    it failed and the store is as it was."""
    db = copy_store(sample_db_file, tmp_path)
    week = tmp_path / "week.csv"
    row = f"{date(2026, 3, 1)},maya,B0C1234567,10,1,20.00,2.00\n"
    week.write_text("date,creator,asin,clicks,orders,revenue,commission\n" + row * 60_000)
    with running_app(db, CREATORLIFT_UPLOAD_MEMORY_MB="1") as base, browser_page() as page:
        page.goto(f"{base}/data")
        wait_for_page(page, PAGES["data"])
        before = (
            page.get_by_test_id("stMetric")
            .filter(has=page.get_by_test_id("stMetricLabel").get_by_text("Performance", exact=True))
            .first.inner_text()
        )
        page.locator('input[type="file"]').first.set_input_files(str(week))
        uploader = page.get_by_test_id("stFileUploader").first
        uploader.get_by_role("alert").filter(has_text="503").wait_for()
        page.wait_for_timeout(1000)
        assert (
            page.get_by_test_id("stMetric")
            .filter(has=page.get_by_test_id("stMetricLabel").get_by_text("Performance", exact=True))
            .first.inner_text()
            == before
        )
        assert page.get_by_text("week.csv: performance").count() == 0


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_the_data_page_lets_go_of_each_upload_so_the_ceiling_counts_only_files_in_flight(
    sample_db_file: Path, tmp_path: Path
) -> None:
    """Streamlit would keep every uploaded file in memory until the session ends: with a 3 MB ceiling, a second
    2 MB upload in the same session would be refused. The page lets go of each once it is on disk, so three land."""
    db = copy_store(sample_db_file, tmp_path)
    with running_app(db, CREATORLIFT_UPLOAD_MEMORY_MB="3") as base, browser_page() as page:
        page.goto(f"{base}/data")
        wait_for_page(page, PAGES["data"])
        for n in range(1, 4):
            week = tmp_path / f"week{n}.csv"
            rows = "".join(f"2026-03-0{n},@creator{i},{SAMPLE_ASIN},10,1,20.00,2.00\n" for i in range(45_000))
            week.write_text("date,creator,asin,clicks,orders,revenue,commission\n" + rows)
            assert week.stat().st_size > 2 * MB
            page.locator('input[type="file"]').first.set_input_files(str(week))
            page.get_by_text(f"week{n}.csv: Performance, 45,000 added").first.wait_for()
        assert page.get_by_text("status code 503").count() == 0
