"""Settings the pages offer beside their figures, kept in the session so every page shows the same value."""

from __future__ import annotations

import streamlit as st

from analytics.metrics.grouped import DEFAULT_REPEAT_DAYS
from ui.sidebar import REPEAT_PARAM, days_from_url, keep_in_url

REPEAT_DAYS_KEY = "repeat_days"
# The repeat window this session last wrote into the URL: an address holding another one was brought back by Back or
# Forward, or opened from a link, and leads.
_REPEAT_WRITTEN_KEY = "repeat_days_written"
LOWEST_DAYS, HIGHEST_DAYS = 1, 730


def keep_repeat_days() -> None:
    """Keep the repeat window across pages, those without its input too, and in the link: Streamlit drops a widget's
    value when a page without the widget runs, and writing it back every run keeps it. A session's first run takes
    it from the link it opened, and so does a run whose address holds a window this session did not last write
    (Back, Forward): the sidebar's rule for its period and filters (`ui.sidebar`), where an address without a period
    (Streamlit's own page menu) leaves the session's."""
    linked = days_from_url(REPEAT_PARAM, DEFAULT_REPEAT_DAYS, LOWEST_DAYS, HIGHEST_DAYS)
    written = st.session_state.get(_REPEAT_WRITTEN_KEY)
    brought_back = written is not None and "period" in st.query_params and linked != written
    if REPEAT_DAYS_KEY not in st.session_state or brought_back:
        st.session_state[REPEAT_DAYS_KEY] = linked
    st.session_state[REPEAT_DAYS_KEY] = st.session_state[REPEAT_DAYS_KEY]
    _write(int(st.session_state[REPEAT_DAYS_KEY]))


def _write(days: int) -> None:
    """Put the repeat window in the URL (left out at its default) and remember it as this session's."""
    keep_in_url(REPEAT_PARAM, days, DEFAULT_REPEAT_DAYS)
    st.session_state[_REPEAT_WRITTEN_KEY] = days


def repeat_days() -> int:
    """The R of the R-day repeat rate, from a number input in the sidebar (90 days unless the user changes it)."""
    value = st.sidebar.number_input(
        "Repeat window (days)",
        min_value=LOWEST_DAYS,
        max_value=HIGHEST_DAYS,
        step=1,
        key=REPEAT_DAYS_KEY,
        help="A buyer counts as a repeat buyer when they order from the brand again within this many days of their "
        "first creator-attributed order in the period. Buyers whose first order is more recent than this are "
        "pending.",
    )
    _write(int(value))
    return int(value)
