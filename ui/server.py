"""The server's start: every workspace's store is opened before the first visit, so the running app holds them from
the start and a command-line load meanwhile is refused with the app named, never half-coordinated.

`app.py` hands `lifespan` to the st.App that `streamlit run app.py` serves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    # Imported here, once Streamlit's runtime runs: the server imports this module before it exists.
    from ui.session import hold_stores

    # Opening (and on a first start, filling the demo brand with the sample) reads files: off the event loop.
    for held in await asyncio.to_thread(hold_stores):
        # Held by a command-line load that started first: its pages say so and try again until it ends.
        log.warning("Not opened at start, the first visit opens it: %s", held)
    yield
