"""The server's start: every workspace's store is opened before the first visit, so the running app holds them from
the start and a command-line load meanwhile is refused with the app named, never half-coordinated; and the reviews'
chart exporter is kept open between downloads, its browser closed with the server.

`app.py` hands `lifespan`, and `UploadCeiling` in front of Streamlit's upload endpoint, to the st.App that
`streamlit run app.py` serves.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    # Imported here, once Streamlit's runtime runs: the server imports this module before it exists.
    from analytics.present.static_images import close_kept_exporter, keep_exporter_open
    from ui.session import hold_stores

    # Opening (and on a first start, filling the demo brand with the sample) reads files: off the event loop.
    for held in await asyncio.to_thread(hold_stores):
        # Held by a command-line load that started first: its pages say so and try again until it ends.
        log.warning("Not opened at start, the first visit opens it: %s", held)
    # The reviews' charts are drawn by one browser, started by the first download and kept between downloads.
    keep_exporter_open()
    try:
        yield
    finally:
        await asyncio.to_thread(close_kept_exporter)  # its browser stops with the server


# Streamlit keeps every file posted to its upload endpoint in memory until its session ends, unless the page lets go
# of it (the Data page does, once the file is on disk: `ui.load_jobs.release`). Past this much held for everyone
# together, a new upload is refused until some is let go: what counts is uploads in flight, and files posted
# straight to the endpoint that no page ever reads.
UPLOAD_MEMORY_BYTES = int(os.environ.get("CREATORLIFT_UPLOAD_MEMORY_MB") or 1024) * 2**20
UPLOAD_PATH = "/_stcore/upload_file/"
BUSY = (
    b"The server holds as many uploads as it may right now. Wait a minute for the files in progress to load, then "
    b"upload again."
)


def held_upload_bytes() -> int:
    """The bytes of the files Streamlit holds in memory for every session (its upload manager's own count)."""
    from streamlit.runtime import Runtime

    stats = Runtime.instance().uploaded_file_mgr.get_stats()
    return sum(getattr(stat, "byte_length", 0) for family in stats.values() for stat in family)


class UploadCeiling:
    """ASGI middleware in front of Streamlit's upload endpoint: refuses (503) an upload that would take the files held
    in memory past UPLOAD_MEMORY_BYTES, before its body is read. A post without a length counts as the largest
    upload allowed."""

    def __init__(
        self,
        app: Callable[..., Awaitable[None]],
        held: Callable[[], int] = held_upload_bytes,
        ceiling: int | None = None,
        largest: int | None = None,
    ) -> None:
        self.app, self.held = app, held
        self.ceiling = UPLOAD_MEMORY_BYTES if ceiling is None else ceiling
        self.largest = largest
        # Admitted uploads still arriving: Streamlit counts a file only once its whole body is read, so ten uploads
        # dropped at once would all see nothing held. One event loop runs every request, so a plain count will do.
        self.arriving = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in ("PUT", "POST") and UPLOAD_PATH in scope["path"]:
            length = dict(scope["headers"]).get(b"content-length", b"")
            incoming = int(length) if length.isdigit() else self._largest()
            if self.held() + self.arriving + incoming > self.ceiling:
                log.warning(
                    "An upload of %s bytes was refused: the uploads held in memory are at their ceiling", incoming
                )
                await send(
                    {"type": "http.response.start", "status": 503, "headers": [(b"content-type", b"text/plain")]}
                )
                await send({"type": "http.response.body", "body": BUSY})
                return
            self.arriving += incoming
            try:
                await self.app(scope, receive, send)
            finally:
                self.arriving -= incoming  # stored by now (and counted by `held`), or refused
            return
        await self.app(scope, receive, send)

    def _largest(self) -> int:
        if self.largest is not None:
            return self.largest
        import streamlit as st

        return int(st.get_option("server.maxUploadSize")) * 2**20
