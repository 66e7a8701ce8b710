"""An HTML page printed to PDF by Debian's Chromium, headless."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from analytics.present.static_images import ChartExportError, chromium_path

PAPERS = ("auto", "A4", "Letter")
# The currencies of the countries that print on Letter paper (the United States, Canada, Mexico); the others use A4.
LETTER_CURRENCIES = frozenset({"$", "CAD", "MXN"})


def brand_paper(currency: str) -> str:
    """The paper a brand whose amounts are in `currency` prints on: Letter in North America, A4 elsewhere."""
    return "Letter" if currency in LETTER_CURRENCIES else "A4"


PRINT_TIMEOUT = 120


class PrintError(Exception):
    """The page could not be printed, with a sentence saying why."""


def _paper_rule(paper: str) -> str:
    """A page-size rule placed after the page's own: "auto" keeps the page's (the printer's default paper)."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; choose from {', '.join(PAPERS)}")
    return "" if paper == "auto" else f"<style>@page {{ size: {paper}; }}</style>"


def html_to_pdf(page: str, paper: str = "auto") -> bytes:
    """The PDF Chromium prints from the self-contained HTML `page` on `paper` (auto, A4 or Letter).

    The page is written to a private folder with the browser's own profile, so several prints can run at once;
    the page must need nothing from the network (the flags keep Chromium from reaching for it).
    """
    rule = _paper_rule(paper)
    try:
        browser = chromium_path()
    except ChartExportError as error:
        raise PrintError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="creatorlift-print-") as folder:
        source = Path(folder) / "report.html"
        target = Path(folder) / "report.pdf"
        source.write_text(page.replace("</head>", rule + "</head>", 1), encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise PrintError(f"Chromium took more than {PRINT_TIMEOUT} seconds to print the report.") from None
        if not target.exists() or target.stat().st_size == 0:
            raise PrintError("Chromium did not print the report; check that it runs here (chromium --version).")
        return target.read_bytes()
