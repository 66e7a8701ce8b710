"""The Overview's downloads of the weekly review: one HTML file that opens offline, and the same printed to PDF."""

from __future__ import annotations

import streamlit as st

from analytics.amounts import currency
from analytics.present.export import review_covering
from analytics.present.pdf import brand_paper
from analytics.present.report import weekly_report_html, weekly_report_pdf
from ui import session, tables
from ui.sidebar import Filters


def review_file_name(filters: Filters, extension: str) -> str:
    """The review's file name: the brand, the values it is narrowed to, its dates, and the comparison when it is not
    the period before."""
    # Named as the brand's tables are (`tables.download_name` puts the brand after the app's prefix and the filters
    # after the table's name): an agency's dozen brands' reviews, some narrowed to a line or a creator, say whose and
    # which, and a brand's review and its tables sort together in a downloads folder, the brand spelt one way.
    covering = review_covering(filters.start, filters.end, filters.comparison)
    return tables.download_name(f"creator_lift_review.{extension}", extension, covering, filters.values())


def review_downloads(filters: Filters, repeat_days: int) -> None:
    """Two download buttons for the review of the sidebar's period, filters and repeat window, made only when one is
    clicked.

    The file is written on a server thread after the click (charts drawn by Chromium, a few seconds), so it reads
    the store through the workspace chosen in this run rather than the session.
    """
    workspace = session.current_workspace()
    period = (filters.start, filters.end)
    scope = filters.scope()

    def page() -> str:
        with session.workspace_cursor(workspace) as con:
            return weekly_report_html(
                con, None, period, workspace.name, scope, filters.comparison, repeat_days, charts_required=False
            )

    row = st.container(horizontal=True)
    row.download_button(
        "Download this review",
        page,
        file_name=review_file_name(filters, "html"),
        mime="text/html",
        key="overview_report_html",
        icon=":material/download:",
        on_click="ignore",
        help="The cards, weekly trend, findings, top creators and products, rank lift, data sources and what each "
        "figure means, for the period, comparison and filters shown here, as one file that opens without the app.",
    )
    paper = brand_paper(currency())  # the file is printed on another thread, after this run: its paper goes with it
    row.download_button(
        "PDF",
        lambda: weekly_report_pdf(page(), paper),
        file_name=review_file_name(filters, "pdf"),
        mime="application/pdf",
        key="overview_report_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help=f"The same review printed on {paper} paper, as the brand's currency's country prints (Letter for "
        "US, Canadian and Mexican brands, A4 for the others); the command line's report --paper prints either.",
    )
