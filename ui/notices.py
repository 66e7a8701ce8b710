"""What a page says instead of numbers: empty stores and scopes, and data text shown as text."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.contract.kinds import KIND_NOUNS
from analytics.metrics.periods import MONTH_PRESET, WEEK_PRESETS
from analytics.words import in_words, plural
from ui import queries

# The pages write data text as `notices.md(...)`; the escape itself sits below the sidebar, which uses it too.
from ui.literal import WORD_JOINER as WORD_JOINER
from ui.literal import md as md
from ui.navigation import PAGE_FILES
from ui.queries import data_as_of, data_span, holds_the_sample
from ui.session import data_key
from ui.sidebar import PERIOD_KEY, Filters, current_filters


def require_data() -> tuple[Filters, date]:
    """The sidebar's filters and the last day with data; on an empty store, say what to upload and stop the page."""
    filters, as_of = current_filters(), data_as_of()
    if filters is None or as_of is None:
        show_empty_store()
        st.stop()
    return filters, as_of


def show_empty_store() -> None:
    """The first thing a page shows when the store holds no performance data: what to upload, and where (or, in an
    emptied demo brand, how to fill it again)."""
    if holds_the_sample():
        st.info(
            # The demo's own notice, above, already says where a brand's files go.
            "The demo brand is empty. **Start over from the sample data** on the **Data** page fills it again.",
            icon=":material/science:",
        )
        st.page_link(PAGE_FILES["data"], label="Start over on the Data page", icon=":material/restart_alt:")
        return
    loaded = loaded_kinds()
    # Files other than the performance report may be in already (a Business Report first): said, so the page does
    # not read as if they had not loaded.
    already = (
        f"Loaded so far: {in_words(loaded)}. The review starts with your " if loaded else "No data yet. Upload your "
    )
    st.info(
        already
        + "Creator Connections campaign performance report (Seller Central → Brands → Creator Connections → your "
        "campaigns → Download report, as CSV): upload it on the **Data** page. The orders, products and rank files "
        "add the customer, product and organic-rank views.",
        icon=":material/upload_file:",
    )
    first_review_path()


def loaded_kinds() -> list[str]:
    """The kinds of file in effect in the brand's store, as a sentence names them ("Business Report" for sales), in
    the order they were first loaded."""
    loads = queries.loads()
    if loads.empty:
        return []
    kinds = list(dict.fromkeys(loads.sort_values("id")["kind"]))
    return [KIND_NOUNS.get(kind, kind) for kind in kinds]


def first_review_path() -> None:
    """A new brand's first screen: what to download, from where, and where to upload it."""
    st.markdown(
        """
**Your first review in three downloads**

1. **Creator Connections performance** — Seller Central → *Brands* → *Creator Connections* → your campaigns →
   *Download report* (CSV). This alone fills the Overview, Creators and Products pages.
2. **Business Report by child item** — Seller Central → *Reports* → *Business Reports* → *Detail Page Sales and
   Traffic By Child Item*, for the same weeks: the creators' share of each product's sales.
3. **Your catalog** — ASIN and product line (price and commission rates if you have them): a small CSV from a
   spreadsheet; the Data page has a template. Seller Central's *Inventory Reports* → *All Listings Report* loads
   as it is for titles and prices.

Keyword ranks (Helium 10 and similar), Brand Analytics reports and clean-room cohorts add the organic-rank and
customer views when you have them.
"""
    )
    st.page_link(PAGE_FILES["data"], label="Upload your files on the Data page", icon=":material/upload_file:")


# The preset that ends on the last day with data itself, rather than on the last whole week's Saturday.
EVERY_DAY_PRESET = "Last 90 days"


def _show_every_day() -> None:
    st.session_state[PERIOD_KEY] = EVERY_DAY_PRESET


def show_data_past_the_period(filters: Filters) -> None:
    """A first upload's days after the period: the week periods end on the last Saturday, so a brand whose data
    starts inside the period and runs past it sees only its first days. Said, with the period that shows them all;
    not once the data starts before the period (then a week's later days wait for the week to end, as always), nor
    for a period the user set."""
    span = data_span(data_key())
    if span is None or filters.preset not in (*WEEK_PRESETS, MONTH_PRESET) or filters.pinned:
        return
    if not filters.start < span[0] <= filters.end < span[1]:
        return
    inside = (filters.end - span[0]).days + 1
    after = (span[1] - filters.end).days
    first = "its first day" if inside == 1 else f"its first {plural(inside, 'day')}"
    last = "its last day comes" if after == 1 else f"its last {plural(after, 'day')} come"
    _offer_every_day(
        f"Your performance data runs from {span[0]:%b %-d} to {span[1]:%b %-d, %Y}: this period holds {first}, and "
        f"{last} after it, as "
        + (
            "the month period shows whole calendar months."
            if filters.preset == MONTH_PRESET
            else "the week periods show whole weeks, Sunday to Saturday."
        ),
        "data_past_period_every_day",
    )


def _offer_every_day(sentence: str, key: str) -> None:
    """`sentence` on why the period leaves out days with data, and the button to the period that runs to them."""
    st.info(
        f"{sentence} **{EVERY_DAY_PRESET}** runs to the last day with data.",
        icon=":material/date_range:",
    )
    st.button(f"Show the {EVERY_DAY_PRESET.lower()}", on_click=_show_every_day, key=key)


def show_empty_scope(filters: Filters) -> None:
    """What a page shows when the period and filters select no creator activity, and how to widen them."""
    span = data_span(data_key())
    if span is not None and span[0] > filters.end:
        # A first upload of a few days ending mid-week: the week presets end on the Saturday before it, the month
        # preset on the last day of the month before.
        whole = (
            "the month period shows whole calendar months, and the data holds no whole month"
            if filters.preset == MONTH_PRESET
            else "the week periods show whole weeks, Sunday to Saturday, and the data holds no whole week"
        )
        _offer_every_day(
            f"Your performance data runs from {span[0]:%b %-d} to {span[1]:%b %-d, %Y}, after this period "
            f"({filters.start:%b %-d} – {filters.end:%b %-d, %Y}): {whole} before its last day yet.",
            "empty_scope_every_day",
        )
        return
    narrowed = filters.narrowed()
    named = " and ".join([", ".join(narrowed[:-1]), narrowed[-1]] if len(narrowed) > 1 else narrowed)
    hint = f" or clear the {named} filter{'s' if len(narrowed) > 1 else ''}" if narrowed else ""
    st.info(
        f"No creator clicks, orders or revenue between {filters.start:%b %-d, %Y} and {filters.end:%b %-d, %Y} "
        f"for this selection. Pick a longer period in the sidebar{hint}; if the period should have data, upload "
        "that period's performance report on the **Data** page.",
        icon=":material/filter_alt_off:",
    )
