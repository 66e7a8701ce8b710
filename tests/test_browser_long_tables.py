"""Long lists in a real browser: what is sent at once, and what is sent when asked for.

Past 1,000 rows a table sends its first rows and the rest on request: the Creators page of 1,500 creators
carries 1,000 of them, scrolling the table fetches the last ones from the server (and they are the right
ones), and the table's CSV download still holds every creator. The Overview's list of every finding past the
cards is built and sent only once its expander is opened.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
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


def _keep_messages(page: object, frames: list[bytes]) -> None:
    """Append every binary message the server sends `page` over its websocket to `frames`."""
    page.on(  # type: ignore[attr-defined]
        "websocket",
        lambda socket: socket.on(
            "framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else b"")
        ),
    )


def _dataframes(frames: list[bytes]) -> list[object]:
    """The dataframe elements among the server's messages (ForwardMsg deltas)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found = []
    for payload in frames:
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "dataframe":
                found.append(element.dataframe)
    return found


def _column_names(table: object) -> list[str]:
    """The columns of a dataframe element, sent whole (arrow_data) or lazily (its first chunk)."""
    data = table.arrow_data.data or table.lazy_data.initial_chunk.data  # type: ignore[attr-defined]
    return list(pa.ipc.open_stream(data).schema.names)


def _chunks(frames: list[bytes]) -> list[pa.Table]:
    """The row chunks the server sent in answer to the table's requests."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    tables = []
    for payload in frames:
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") != "backend_operation_response":
            continue
        response = message.backend_operation_response
        if response.WhichOneof("payload") == "dataframe_chunk":
            tables.append(pa.ipc.open_stream(response.dataframe_chunk.arrow_data.data).read_all())
    return tables


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_table_of_1500_creators_sends_a_screenful_and_fetches_the_rest(long_store: Path) -> None:
    frames: list[bytes] = []
    with running_app(long_store) as base, browser_page() as page:
        _keep_messages(page, frames)
        page.goto(f"{base}/creators")
        wait_for_page(page, PAGES["creators"])
        page.get_by_text(f"{CREATORS:,} creators with activity").first.wait_for()

        # The table's message may arrive a moment after the caption above it is drawn.
        for _ in range(60):
            creators_table = [table for table in _dataframes(frames) if table.lazy_data.row_count == CREATORS]
            if creators_table:
                break
            page.wait_for_timeout(500)
        assert len(creators_table) == 1, "the creators table is not sent lazily"
        first = pa.ipc.open_stream(creators_table[0].lazy_data.initial_chunk.data).read_all()
        assert first.num_rows == 1_000
        assert first.column("creator")[0].as_py() == _creator(CREATORS), "highest revenue first"
        assert first.column("revenue")[0].as_py() == pytest.approx(CREATORS + 0.99)

        # Scroll the table to its end: the browser asks for the rows past the first 1,000.
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(40):
            page.mouse.wheel(0, 4_000)
            page.wait_for_timeout(100)
            if _chunks(frames):
                break
        page.wait_for_timeout(500)
        fetched = _chunks(frames)
        assert fetched, "scrolling to the end fetched no rows"
        rows = {
            creator: revenue
            for chunk in fetched
            for creator, revenue in zip(
                chunk.column("creator").to_pylist(), chunk.column("revenue").to_pylist(), strict=True
            )
        }
        # The table's last row: the creator with the least revenue.
        assert rows[_creator(1)] == pytest.approx(1.99)

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
    frames: list[bytes] = []

    def findings_tables() -> int:
        return sum("finding" in _column_names(table) for table in _dataframes(frames))

    with running_app(many_findings_store) as base, browser_page() as page:
        _keep_messages(page, frames)
        page.goto(base)
        wait_for_page(page, PAGES[""])
        # 30 creators with clicks and no order, and the top-creators finding: 31, 10 of them as cards.
        listing = page.locator('[data-testid="stExpander"]').filter(has_text="All 31 findings, 21 more")
        listing.wait_for()
        assert findings_tables() == 0, "the list was sent before it was opened"
        listing.get_by_text("All 31 findings").click()
        listing.locator('[data-testid="stDataFrame"]').wait_for()
        assert findings_tables() == 1
        findings_csv = download(page, listing.get_by_role("button", name="Download CSV"))
        with open(findings_csv.path(), encoding="utf-8") as exported:
            lines = exported.read().splitlines()
        assert len(lines) == 32, lines[:3]
        assert sum("none became an order" in line for line in lines) == SILENT_CREATORS
