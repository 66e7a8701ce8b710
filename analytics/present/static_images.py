"""Plotly figures as static SVG images, drawn by Plotly's own exporter (Kaleido) in Debian's Chromium.

A browser started for one call takes seconds to start, more than the charts of a review take to draw. The app keeps
one open between downloads (`keep_exporter_open`, from the server's start): an agency downloading a dozen brands'
reviews in a row pays the start once. The command line, which writes one review and exits, starts one per call.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
import time
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # only for annotations: finding the browser, and its error, import no Plotly
    import kaleido
    import plotly.graph_objects as go

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
# Seconds one image may take once the browser is up; the browser itself takes a few seconds to start.
IMAGE_TIMEOUT = 60
# Seconds the kept browser may take to start, or to close.
START_TIMEOUT = 60
# A kept browser (about 150 MB) closes after this long without a chart to draw, and starts again when one comes.
IDLE_SECONDS = 10 * 60

T = TypeVar("T")


class ChartExportError(Exception):
    """The charts could not be drawn as images, with a sentence saying what to install or check."""


def chromium_path() -> str:
    """Debian's Chromium, or another Chromium on the PATH; ChartExportError when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        return found
    raise ChartExportError("Chromium is not installed; install it with: apt-get install -y chromium")


def _exporter() -> kaleido.Kaleido:
    import kaleido

    # No MathJax: the charts carry no formulas, and fetching it would reach for the network.
    return kaleido.Kaleido(n=1, timeout=IMAGE_TIMEOUT, mathjax=False, path=chromium_path())


async def _calc(exporter: kaleido.Kaleido, figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
    images = []
    for figure in figures:
        size = {"width": width, "height": height or figure.layout.height or 400}
        images.append(await exporter.calc_fig(figure, opts={"format": "svg", **size}))
    return images


async def _draw_once(figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
    async with _exporter() as exporter:
        return await _calc(exporter, figures, width, height)


def _run_on(loop: asyncio.AbstractEventLoop | None, work: Coroutine[Any, Any, T], timeout: float) -> T:
    """Run `work` on `loop`, which runs on another thread, and wait for its result at most `timeout` seconds."""
    assert loop is not None
    return asyncio.run_coroutine_threadsafe(work, loop).result(timeout)


class KeptExporter:
    """One exporter's browser kept open between calls, on a thread of its own running the event loop it needs.

    Calls from any thread (several people downloading at once) take turns. A call that fails closes the browser, and
    so does IDLE_SECONDS without a call: the next call starts a new one.
    """

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self.starts = 0  # browsers started so far: one for any number of calls is what keeping it open is for
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._exporter: kaleido.Kaleido | None = None
        self._last_call = 0.0
        self._idle_timer: threading.Timer | None = None

    @property
    def is_open(self) -> bool:
        return self._exporter is not None

    def draw(self, figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
        with self._lock:
            try:
                if self._exporter is None:
                    self._start()
                assert self._exporter is not None
                timeout = START_TIMEOUT + IMAGE_TIMEOUT * len(figures)
                return _run_on(self._loop, _calc(self._exporter, figures, width, height), timeout)
            except BaseException:
                self._close()  # a browser that failed once is not trusted with the next call
                raise
            finally:
                self._last_call = time.monotonic()
                self._close_when_idle()

    def close(self) -> None:
        with self._lock:
            self._close()

    def _start(self) -> None:
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="chart-exporter", daemon=True)
        self._thread.start()
        self._loop = loop
        self.starts += 1

        async def opened() -> kaleido.Kaleido:
            exporter = _exporter()  # made on its own loop, where its queues will be awaited
            await exporter.open()
            return exporter

        self._exporter = _run_on(loop, opened(), START_TIMEOUT)

    def _close(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        exporter, loop, thread = self._exporter, self._loop, self._thread
        self._exporter = self._loop = self._thread = None
        if loop is None:
            return
        if exporter is not None:
            try:
                _run_on(loop, exporter.close(), START_TIMEOUT)
            except Exception as error:  # a browser that died already: its process is gone
                log.warning("The chart exporter's browser did not close cleanly: %s", error)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(START_TIMEOUT)
        if not loop.is_running():
            loop.close()

    def _close_when_idle(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self._exporter is None:
            self._idle_timer = None
            return
        self._idle_timer = threading.Timer(self.idle_seconds, self._close_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._exporter is not None and time.monotonic() - self._last_call >= self.idle_seconds:
                self._close()


_kept: KeptExporter | None = None


def keep_exporter_open(idle_seconds: float = IDLE_SECONDS) -> KeptExporter:
    """From now on, charts are drawn by one browser kept open between calls (started at the first call). The app's
    server does this as it starts, and `close_kept_exporter` as it stops."""
    global _kept
    if _kept is None:
        _kept = KeptExporter(idle_seconds)
    return _kept


def close_kept_exporter() -> None:
    """Close the kept browser, if any; later calls start one each, as the command line's do."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None:
        kept.close()


def svg_images(figures: Sequence[go.Figure], width: int = 720, height: int | None = None) -> list[str]:
    """Each figure as SVG text, `width` pixels wide and its own height (or `height`), in the figures' order.

    One browser draws them all: the kept one (`keep_exporter_open`) or, without one, a browser started for this call
    on a thread of its own (the exporter needs an event loop, and the caller, a page's download or a test, may
    already be inside one). When the kept browser fails, the call is tried once more in a browser of its own.
    """
    if not figures:
        return []
    kept = _kept
    if kept is not None:
        try:
            return [image.decode("utf-8") for image in kept.draw(figures, width, height)]
        except Exception as error:
            log.warning("The kept chart exporter failed (%r); drawing in a new browser", error)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            images = pool.submit(asyncio.run, _draw_once(figures, width, height)).result()
    except ChartExportError:
        raise
    except Exception as error:  # the exporter's own errors name browser internals, not what to do
        raise ChartExportError(
            f"The charts could not be drawn as images ({type(error).__name__}); check that Chromium runs here."
        ) from error
    return [image.decode("utf-8") for image in images]
