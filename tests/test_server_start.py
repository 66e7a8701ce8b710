"""The server's start: every workspace's store opened before the first visit (`ui.session.hold_stores`, run by
`ui.server.lifespan` on a thread of its own), saying nothing a new user would take for a fault."""

from __future__ import annotations

import logging
import threading
from pathlib import Path


def test_opening_the_stores_as_the_server_starts_logs_no_missing_page_warning(app_env: Path) -> None:
    """`streamlit run app.py`'s first words in a new user's terminal were Streamlit's "Thread 'asyncio_0': missing
    ScriptRunContext!": the stores open through Streamlit's cache on a thread that runs no page, by design."""
    from ui.session import PAGE_CONTEXT_LOG, hold_stores

    seen: list[str] = []

    class Kept(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    kept = Kept()
    PAGE_CONTEXT_LOG.addHandler(kept)
    try:
        opened: list[list[str]] = []
        worker = threading.Thread(target=lambda: opened.append(hold_stores()), name="asyncio_0")
        worker.start()
        worker.join(120)
        # The page-context warning still reaches the log from any other thread: only the stores' opening is quiet.
        PAGE_CONTEXT_LOG.warning("Thread 'x': missing ScriptRunContext! This warning can be ignored")
    finally:
        PAGE_CONTEXT_LOG.removeHandler(kept)
    assert opened == [[]]
    assert seen == ["Thread 'x': missing ScriptRunContext! This warning can be ignored"]
