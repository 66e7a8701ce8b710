"""Settings the pages offer beside their figures, kept in the session so every page shows the same value."""

from __future__ import annotations

import streamlit as st

from analytics.metrics.grouped import DEFAULT_REPEAT_DAYS
from ui.sidebar import REPEAT_PARAM, days_from_url, keep_days_in_url

REPEAT_DAYS_KEY = "repeat_days"
LOWEST_DAYS, HIGHEST_DAYS = 1, 730


def keep_repeat_days() -> None:
    """Keep the repeat window across pages, those without its input too, and in the link: Streamlit drops a widget's
    value when a page without the widget runs, and writing it back every run keeps it. A session's first run takes
    it from the link it opened."""
    if REPEAT_DAYS_KEY not in st.session_state:
        st.session_state[REPEAT_DAYS_KEY] = days_from_url(REPEAT_PARAM, DEFAULT_REPEAT_DAYS, LOWEST_DAYS, HIGHEST_DAYS)
    st.session_state[REPEAT_DAYS_KEY] = st.session_state[REPEAT_DAYS_KEY]
    keep_days_in_url(REPEAT_PARAM, int(st.session_state[REPEAT_DAYS_KEY]), DEFAULT_REPEAT_DAYS)


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
    keep_days_in_url(REPEAT_PARAM, int(value), DEFAULT_REPEAT_DAYS)
    return int(value)
