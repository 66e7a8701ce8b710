"""What a page says instead of numbers: empty stores and scopes, and data text shown as text."""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from ui.navigation import PAGE_FILES
from ui.queries import data_as_of
from ui.sidebar import Filters, current_filters

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md(text: object) -> str:
    """Text from the data (a creator's name, an insight) shown literally in Markdown: `$` is not maths, `*` not bold."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def require_data() -> tuple[Filters, date]:
    """The sidebar's filters and the last day with data; on an empty store, say what to upload and stop the page."""
    filters, as_of = current_filters(), data_as_of()
    if filters is None or as_of is None:
        show_empty_store()
        st.stop()
    return filters, as_of


def show_empty_store() -> None:
    """The first thing a page shows when the store holds no performance data: what to upload, and where."""
    st.info(
        "No data yet. Upload your Creator Connections campaign performance report (Seller Central → Creator "
        "Connections → Reports, as CSV) on the **Data** page; the orders, products and rank files add the "
        "customer, product and organic-rank views.",
        icon=":material/upload_file:",
    )
    st.page_link(PAGE_FILES["data"], label="Go to the Data page", icon=":material/upload_file:")


def show_empty_scope(filters: Filters) -> None:
    """What a page shows when the period and filters select no creator activity, and how to widen them."""
    narrowed = [
        name
        for name, values in (
            ("product line", filters.product_lines),
            ("creator", filters.creators),
            ("campaign", filters.campaigns),
        )
        if values
    ]
    hint = f" or clear the {', '.join(narrowed)} filter{'s' if len(narrowed) > 1 else ''}" if narrowed else ""
    st.info(
        f"No creator clicks, orders or revenue between {filters.start:%b %d, %Y} and {filters.end:%b %d, %Y} "
        f"for this selection. Pick a longer period in the sidebar{hint}; if the period should have data, upload "
        "that period's performance report on the **Data** page.",
        icon=":material/filter_alt_off:",
    )
