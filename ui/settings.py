"""Settings the pages offer beside their figures, kept in the session so every page shows the same value."""

from __future__ import annotations

import streamlit as st

from analytics.metrics.grouped import DEFAULT_REPEAT_DAYS

REPEAT_DAYS_KEY = "repeat_days"


def repeat_days() -> int:
    """The R of the R-day repeat rate, from a number input in the sidebar (90 days unless the user changes it)."""
    # Streamlit drops a widget's value when a page without the widget runs; writing it back keeps it across pages.
    st.session_state[REPEAT_DAYS_KEY] = st.session_state.get(REPEAT_DAYS_KEY, DEFAULT_REPEAT_DAYS)
    value = st.sidebar.number_input(
        "Repeat window (days)",
        min_value=1,
        max_value=730,
        step=1,
        key=REPEAT_DAYS_KEY,
        help="A buyer counts as a repeat buyer when they order from the brand again within this many days of their "
        "first creator-attributed order in the period. Buyers whose first order is more recent than this are "
        "pending.",
    )
    return int(value)
