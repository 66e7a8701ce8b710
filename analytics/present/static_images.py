"""Plotly figures as static SVG images, drawn by Plotly's own exporter (Kaleido) in Debian's Chromium."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: finding the browser, and its error, import no Plotly
    import plotly.graph_objects as go

CHROMIUM = "/usr/bin/chromium"
# Seconds one image may take once the browser is up; the browser itself takes a few seconds to start.
IMAGE_TIMEOUT = 60


class ChartExportError(Exception):
    """The charts could not be drawn as images, with a sentence saying what to install or check."""


def chromium_path() -> str:
    """Debian's Chromium, or another Chromium on the PATH; ChartExportError when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        return found
    raise ChartExportError("Chromium is not installed; install it with: apt-get install -y chromium")


async def _draw(figures: Sequence[go.Figure], width: int, height: int | None) -> list[bytes]:
    import kaleido

    # No MathJax: the charts carry no formulas, and fetching it would reach for the network.
    async with kaleido.Kaleido(n=1, timeout=IMAGE_TIMEOUT, mathjax=False, path=chromium_path()) as exporter:
        images = []
        for figure in figures:
            size = {"width": width, "height": height or figure.layout.height or 400}
            images.append(await exporter.calc_fig(figure, opts={"format": "svg", **size}))
        return images


def svg_images(figures: Sequence[go.Figure], width: int = 720, height: int | None = None) -> list[str]:
    """Each figure as SVG text, `width` pixels wide and its own height (or `height`), in the figures' order.

    One browser draws them all, so a report of several charts pays its start-up once. It runs on a thread of its
    own: the exporter needs an event loop, and the caller (a page's download, a test) may already be inside one.
    """
    if not figures:
        return []
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            images = pool.submit(asyncio.run, _draw(figures, width, height)).result()
    except ChartExportError:
        raise
    except Exception as error:  # the exporter's own errors name browser internals, not what to do
        raise ChartExportError(
            f"The charts could not be drawn as images ({type(error).__name__}); check that Chromium runs here."
        ) from error
    return [image.decode("utf-8") for image in images]
