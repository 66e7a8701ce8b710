"""Plotly figures as static SVG images, drawn by Plotly's own exporter (Kaleido) in Debian's Chromium.

A browser started for one call takes seconds to start, more than the charts of a review take to draw. The app keeps
one open between downloads (`keep_exporter_open`, from the server's start): an agency downloading a dozen brands'
reviews in a row pays the start once. The command line, which writes one review and exits, starts one per call.

Every wait is bounded and a browser that overruns one is killed, not asked to close: a hung browser must neither hold
the other sessions' downloads nor outlive the server. Streamlit's page gives up on a download after 180 s.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # only for annotations: finding the browser, and its error, import no Plotly
    import kaleido
    import plotly.graph_objects as go

log = logging.getLogger(__name__)


class _PassedOver(logging.Filter):
    """Drops the errors the browser's driver logs and then carries on from ("JSONError decoding message.
    Ignoring"): a message it could not read, passed over, with the charts drawn all the same. Logged, they reached
    the command line's stderr as a warning and its log beside the store, in a scheduled job that had not failed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().endswith("Ignoring")


_PASSED_OVER = _PassedOver()


def _quiet_driver() -> None:
    """Put `_PassedOver` on the logger of choreographer, Kaleido's driver of the browser (a failure that matters
    raises, and `svg_images` says it). Once it is imported: asked for before, the logger would be made without the
    driver's own logging methods, and the driver would fail on them."""
    driver = logging.getLogger("choreographer.channels.pipe")
    if _PASSED_OVER not in driver.filters:
        driver.addFilter(_PASSED_OVER)


CHROMIUM = "/usr/bin/chromium"
# Seconds a browser may take to start, to draw one call's charts (a review's three take about a second once it is
# up), and to close once it is killed; a call waits this long for another session's charts before starting a
# browser of its own.
START_TIMEOUT = 45
DRAW_TIMEOUT = 45
CLOSE_TIMEOUT = 10
TURN_TIMEOUT = 30
# A kept browser (about 350 MB across its processes) closes after this long without a chart to draw.
IDLE_SECONDS = 10 * 60

T = TypeVar("T")


class ChartExportError(Exception):
    """The charts could not be drawn as images, with a sentence saying what to install or check."""


class _ClosedError(Exception):
    """The kept exporter was closed (the server is stopping) while a call waited for its turn."""


class _BusyError(Exception):
    """Another call held the kept browser past TURN_TIMEOUT."""


def chromium_path() -> str:
    """Debian's Chromium, or another Chromium on the PATH; ChartExportError when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        return found
    raise ChartExportError("Chromium is not installed; install it with: apt-get install -y chromium")


async def _made() -> kaleido.Kaleido:
    """An exporter, made on the loop that will await its queues. No MathJax: the charts carry no formulas, and
    fetching it would reach for the network."""
    import kaleido

    _quiet_driver()
    return kaleido.Kaleido(n=1, timeout=DRAW_TIMEOUT, mathjax=False, path=chromium_path())


# What a browser's tab says when asked to draw before its drawing script is there: a tab read as ready on a busy
# machine can hand over the blank page it opened on (Kaleido's own race, in the tab's first draw).
_NOT_READY = "kaleido_scopes is not defined"


async def _calc(exporter: kaleido.Kaleido, figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
    images = []
    for figure in figures:
        size = {"width": width, "height": height or figure.layout.height or 400}
        try:
            image = await exporter.calc_fig(figure, opts={"format": "svg", **size})
        except Exception as error:
            if _NOT_READY not in str(error):
                raise
            # Asked once more: the exporter reloads a tab after every draw, and the reloaded tab has its script.
            image = await exporter.calc_fig(figure, opts={"format": "svg", **size})
        images.append(image)
    return images


def _run_on(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T], timeout: float) -> T:
    """Run `work` on `loop`, which runs on another thread, and wait for its result at most `timeout` seconds (then
    TimeoutError, the work cancelled)."""
    future = asyncio.run_coroutine_threadsafe(work, loop)
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise


async def _cancel_the_rest() -> None:
    """Cancel what the exporter left running on its loop (its browser's watchdog), before the loop stops."""
    rest = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)


def _browser_alive(exporter: kaleido.Kaleido) -> bool:
    process = getattr(exporter, "subprocess", None)
    return process is not None and process.poll() is None


def _kill_browser(exporter: kaleido.Kaleido) -> None:
    """Kill the exporter's Chromium and its helpers (their own process group), stopped or hung alike."""
    process = getattr(exporter, "subprocess", None)
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait(CLOSE_TIMEOUT)


class ChartExporter:
    """One exporter's browser, on a thread of its own running the event loop the exporter needs, started at the
    first call and kept until `close`, or until IDLE_SECONDS pass without a call.

    Calls from any thread (several people downloading at once) take turns; one that waits past TURN_TIMEOUT raises
    `_BusyError`, for its caller to draw in a browser of its own. A browser found dead is started again before a
    call; a call that fails or overruns DRAW_TIMEOUT kills it, and the next call starts another.
    """

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self.starts = 0  # browsers started so far: one for any number of calls is what keeping it open is for
        self._lock = threading.Lock()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._exporter: kaleido.Kaleido | None = None
        self._last_call = 0.0
        self._idle_timer: threading.Timer | None = None

    @property
    def is_open(self) -> bool:
        return self._exporter is not None

    def draw(self, figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
        if not self._lock.acquire(timeout=TURN_TIMEOUT):
            raise _BusyError(f"another call held the browser for {TURN_TIMEOUT} s")
        try:
            if self._closed:
                raise _ClosedError
            if self._exporter is not None and not _browser_alive(self._exporter):
                log.warning("The chart exporter's browser had stopped; starting another")
                self._shut(kill_first=True)
            if self._exporter is None:
                self._start()
            assert self._loop is not None and self._exporter is not None
            return _run_on(self._loop, _calc(self._exporter, figures, width, height), DRAW_TIMEOUT)
        except BaseException:
            self._shut(kill_first=True)  # a browser that failed once is not trusted with the next call
            raise
        finally:
            self._last_call = time.monotonic()
            self._close_when_idle()
            self._lock.release()

    def close(self) -> None:
        """Close the browser for good: a call still waiting for its turn raises rather than start another."""
        with self._lock:
            self._closed = True
            self._shut()

    def _start(self) -> None:
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="chart-exporter", daemon=True)
        self._thread.start()
        self._loop = loop
        self.starts += 1
        # Held before it opens, so that a start that overruns its time still has its browser killed.
        self._exporter = _run_on(loop, _made(), START_TIMEOUT)
        _run_on(loop, self._exporter.open(), START_TIMEOUT)

    def _shut(self, kill_first: bool = False) -> None:
        """Close the browser (killed first, `kill_first`, after a failure: it may not answer; killed after, if a close
        leaves it running), let the exporter clean up its threads and folders, and stop the loop."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        exporter, loop, thread = self._exporter, self._loop, self._thread
        self._exporter = self._loop = self._thread = None
        if loop is None:
            return
        try:
            if exporter is not None:
                if kill_first:
                    _kill_browser(exporter)
                try:
                    _run_on(loop, exporter.close(), CLOSE_TIMEOUT)  # a killed browser's exporter only cleans up
                finally:
                    _kill_browser(exporter)
            _run_on(loop, _cancel_the_rest(), CLOSE_TIMEOUT)
        except Exception as error:
            log.warning("The chart exporter did not close cleanly: %r", error)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(CLOSE_TIMEOUT)
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
                self._shut()


_kept: ChartExporter | None = None


def keep_exporter_open(idle_seconds: float = IDLE_SECONDS) -> ChartExporter:
    """From now on, charts are drawn by one browser kept open between calls (started at the first call), closed after
    `idle_seconds` without one. The app's server does this as it starts, and `close_kept_exporter` as it stops."""
    global _kept
    if _kept is None:
        _kept = ChartExporter(idle_seconds)
    _kept.idle_seconds = idle_seconds
    return _kept


def close_kept_exporter() -> None:
    """Close the kept browser, if any; later calls start one each, as the command line's do."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None:
        kept.close()


def _draw_once(figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
    exporter = ChartExporter()
    try:
        return exporter.draw(figures, width, height)
    finally:
        exporter.close()


def svg_images(figures: Sequence[go.Figure], width: int = 720, height: int | None = None) -> list[str]:
    """Each figure as SVG text, `width` pixels wide and its own height (or `height`), in the figures' order.

    One browser draws them all: the kept one (`keep_exporter_open`) or, without one, a browser started for this call.
    When the kept one is closed, busy past TURN_TIMEOUT or fails, the call is drawn in a browser of its own; one that
    overran its time is not tried again, since the person is waiting (ChartExportError).
    """
    if not figures:
        return []
    kept = _kept
    try:
        if kept is not None:
            try:
                return _decoded(kept.draw(figures, width, height))
            except TimeoutError:
                raise
            except Exception as error:  # closed, busy, or failed at once: a browser of its own
                log.warning("The kept chart exporter could not draw (%r); drawing in a browser of its own", error)
        return _decoded(_draw_once(figures, width, height))
    except TimeoutError as error:
        raise ChartExportError("The charts took too long to draw; try the download again in a minute.") from error
    except ChartExportError:
        raise
    except Exception as error:  # the exporter's own errors name browser internals, not what to do
        raise ChartExportError(
            f"The charts could not be drawn as images ({type(error).__name__}); check that Chromium runs here."
        ) from error


def _decoded(images: list[bytes]) -> list[str]:
    return [image.decode("utf-8") for image in images]
