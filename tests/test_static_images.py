"""The reviews' charts drawn as SVG: a browser started per call (the command line), or one kept open between calls
(the app's server), which draws the same images, takes several callers at once, and closes when idle or failed."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import plotly.graph_objects as go
import pytest

from analytics.present import static_images
from analytics.present.static_images import KeptExporter, close_kept_exporter, keep_exporter_open, svg_images

pytestmark = pytest.mark.browser


def _chart(title: str) -> go.Figure:
    return go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout_title_text=title)


def _without_ids(svg: str) -> str:
    """The SVG with the ids Plotly draws at random for each render (its figure's and its traces' six hex digits)."""
    return re.sub(r"(defs-|clip|trace)[0-9a-f]{6}", r"\1…", svg)


@pytest.fixture
def kept() -> Iterator[KeptExporter]:
    exporter = keep_exporter_open()
    try:
        yield exporter
    finally:
        close_kept_exporter()


def test_a_kept_browser_draws_every_call_and_starts_once(kept: KeptExporter) -> None:
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


def test_callers_at_once_each_get_their_own_charts(kept: KeptExporter) -> None:
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
    kept: KeptExporter, monkeypatch: pytest.MonkeyPatch
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
