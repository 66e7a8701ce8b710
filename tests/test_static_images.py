"""The reviews' charts drawn as SVG: a browser started per call (the command line), or one kept open between calls
(the app's server), which draws the same images, takes several callers at once, closes when idle or failed, starts
again when its browser died, and kills a browser that hangs rather than hold every other download."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
import time
from collections.abc import Iterator

import plotly.graph_objects as go
import pytest

from analytics.present import static_images
from analytics.present.static_images import ChartExporter, close_kept_exporter, keep_exporter_open, svg_images

pytestmark = pytest.mark.browser


def _chart(title: str) -> go.Figure:
    return go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout_title_text=title)


def _without_ids(svg: str) -> str:
    """The SVG with the ids Plotly draws at random for each render (its figure's and its traces' six hex digits)."""
    return re.sub(r"(defs-|clip|trace)[0-9a-f]{6}", r"\1…", svg)


@pytest.fixture
def kept() -> Iterator[ChartExporter]:
    exporter = keep_exporter_open()
    try:
        yield exporter
    finally:
        close_kept_exporter()


def test_a_kept_browser_draws_every_call_and_starts_once(kept: ChartExporter) -> None:
    figures = [_chart("Revenue by week"), _chart("Clicks by week")]
    first = svg_images(figures, width=640, height=300)
    second = svg_images(figures, width=640, height=300)
    assert kept.starts == 1 and kept.is_open
    assert [_without_ids(svg) for svg in first] == [_without_ids(svg) for svg in second]
    assert 'width="640" height="300"' in first[0]
    assert "Revenue by week" in first[0] and "Clicks by week" in first[1]
    close_kept_exporter()
    assert not kept.is_open
    # Without a kept browser a call starts its own, and draws the same image.
    assert [_without_ids(svg) for svg in svg_images(figures, width=640, height=300)] == [
        _without_ids(svg) for svg in first
    ]


def test_callers_at_once_each_get_their_own_charts(kept: ChartExporter) -> None:
    """The exporter's own kept server hands results back in the order they are fetched, so two callers at once could
    swap charts; here they take turns."""
    drawn: dict[int, str] = {}

    def draw(n: int) -> None:
        drawn[n] = svg_images([_chart(f"Brand {n} review")], width=400, height=200)[0]

    callers = [threading.Thread(target=draw, args=(n,)) for n in range(4)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(120)
    assert sorted(drawn) == [0, 1, 2, 3]
    for n, svg in drawn.items():
        assert f"Brand {n} review" in svg and all(f"Brand {m} review" not in svg for m in drawn if m != n)
    assert kept.starts == 1


def test_an_idle_kept_browser_closes_and_the_next_call_starts_another() -> None:
    exporter = keep_exporter_open(idle_seconds=0.5)
    try:
        svg_images([_chart("Before")])
        assert exporter.is_open
        deadline = time.monotonic() + 30
        while exporter.is_open and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not exporter.is_open
        assert "After" in svg_images([_chart("After")])[0]
        assert exporter.starts == 2
    finally:
        close_kept_exporter()


def test_a_failing_kept_browser_is_closed_and_the_call_drawn_in_a_browser_of_its_own(
    kept: ChartExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    svg_images([_chart("Warm")])
    real = static_images._calc
    calls = {"n": 0}

    async def failing_once(exporter, figures, width, height):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the browser went away")
        return await real(exporter, figures, width, height)

    monkeypatch.setattr(static_images, "_calc", failing_once)
    assert "Still drawn" in svg_images([_chart("Still drawn")])[0]
    assert not kept.is_open and calls["n"] == 2  # the kept call, then the one in a browser of its own
    assert "Next" in svg_images([_chart("Next")])[0]
    assert kept.starts == 2 and kept.is_open


class _TabNotReadyOnce:
    """An exporter whose first draw meets a tab without its drawing script, as a busy machine's first tab can."""

    def __init__(self, error: str) -> None:
        self.error, self.calls = error, 0

    async def calc_fig(self, figure: go.Figure, opts: dict[str, object]) -> bytes:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError(self.error)
        return f"<svg>{figure.layout.title.text}</svg>".encode()


def test_a_tab_not_ready_for_its_first_draw_is_asked_again_and_other_errors_are_not() -> None:
    not_ready = _TabNotReadyOnce("{'exceptionDetails': 'ReferenceError: kaleido_scopes is not defined'}")
    drawn = asyncio.run(static_images._calc(not_ready, [_chart("First"), _chart("Second")], 400, 200))
    assert drawn == [b"<svg>First</svg>", b"<svg>Second</svg>"] and not_ready.calls == 3
    broken = _TabNotReadyOnce("{'exceptionDetails': 'TypeError: cannot read properties of undefined'}")
    with pytest.raises(RuntimeError, match="TypeError"):
        asyncio.run(static_images._calc(broken, [_chart("First")], 400, 200))
    assert broken.calls == 1


def _browser_process(exporter: ChartExporter):  # type: ignore[no-untyped-def]
    return exporter._exporter.subprocess  # type: ignore[union-attr]


def test_a_kept_browser_that_died_is_started_again_before_the_next_call(kept: ChartExporter) -> None:
    svg_images([_chart("Before")])
    process = _browser_process(kept)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    assert "After" in svg_images([_chart("After")])[0]
    assert kept.starts == 2 and kept.is_open  # started again in place, not drawn in a browser of its own


def test_a_hung_browser_is_killed_and_the_call_said_to_have_taken_too_long(
    kept: ChartExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped browser answers nothing: the call gives up after DRAW_TIMEOUT, with a sentence, kills the browser
    (which would otherwise outlive the server) and frees the turn for the next call, which starts another."""
    svg_images([_chart("Before")])
    process = _browser_process(kept)
    os.killpg(process.pid, signal.SIGSTOP)  # the browser and every helper it started
    monkeypatch.setattr(static_images, "DRAW_TIMEOUT", 3)
    try:
        with pytest.raises(static_images.ChartExportError, match="took too long"):
            svg_images([_chart("Hung")])
        assert process.poll() is not None and not kept.is_open
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    monkeypatch.setattr(static_images, "DRAW_TIMEOUT", 45)
    assert "Next" in svg_images([_chart("Next")])[0] and kept.starts == 2


def test_a_call_waiting_when_the_kept_browser_closes_draws_in_a_browser_of_its_own() -> None:
    """The server stopping closes the kept browser; a download already waiting for its turn must not start another
    that nobody would close."""
    exporter = keep_exporter_open()
    close_kept_exporter()
    assert "Late" in svg_images([_chart("Late")])[0]  # no kept browser now: one of its own, closed after
    with pytest.raises(static_images._ClosedError):
        exporter.draw([_chart("Late")], 400, 200)
    assert exporter.starts == 0 and not exporter.is_open


def test_a_message_the_browsers_driver_passes_over_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    """Kaleido's driver logs a message from the browser it could not read, and carries on; the charts are drawn. The
    command line wrote it as a warning on stderr and a traceback beside the store, in a job that had not failed.
    Its other errors still reach the log."""
    import logging

    svg_images([_chart("Revenue by week")], width=640, height=300)  # the driver is imported, and quietened
    driver = logging.getLogger("choreographer.channels.pipe")  # the logger its pipe to the browser writes to
    assert hasattr(driver, "debug2")  # the driver's own logger, with its own methods, not one made before it
    with caplog.at_level(logging.WARNING):
        driver.error("JSONError decoding message. Ignoring")
        driver.error("The browser closed the pipe")
    assert [record.getMessage() for record in caplog.records] == ["The browser closed the pipe"]
