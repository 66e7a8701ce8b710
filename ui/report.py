"""The Overview's downloads of the weekly review: one HTML file that opens offline, and the same printed to PDF."""

from __future__ import annotations

import streamlit as st

from analytics.present.report import weekly_report_html, weekly_report_pdf
from ui import session
from ui.sidebar import Filters


def review_downloads(filters: Filters) -> None:
    """Two download buttons for the review of the sidebar's period and filters, made only when one is clicked.

    The file is written on a server thread after the click (charts drawn by Chromium, a few seconds), so it reads
    the store through the workspace chosen in this run rather than the session.
    """
    workspace = session.current_workspace()
    period = (filters.start, filters.end)
    scope = filters.scope()
    stem = f"creator_review_{filters.start:%Y-%m-%d}_{filters.end:%Y-%m-%d}"

    def page() -> str:
        with session.workspace_cursor(workspace) as con:
            return weekly_report_html(con, None, period, workspace.name, scope, filters.comparison)

    row = st.container(horizontal=True)
    row.download_button(
        "Download this review",
        page,
        file_name=f"{stem}.html",
        mime="text/html",
        key="overview_report_html",
        icon=":material/download:",
        on_click="ignore",
        help="The cards, weekly trend, findings, top creators and products, rank lift and data sources for the "
        "period, comparison and filters shown here, as one file that opens without the app.",
    )
    row.download_button(
        "PDF",
        lambda: weekly_report_pdf(page()),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key="overview_report_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help="The same review printed for A4 or Letter paper.",
    )
