"""Page layout helpers shared by the pages."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analytics.present.charts import mark_events
from ui import queries
from ui.navigation import MENU_KEY

# Cards and buttons per row: ten in one row shrink each to a few clipped letters on a laptop screen.
PER_ROW = 5
# The key prefix of the containers of rows of equal cards, which a narrow main column lays out two to a row.
CARD_ROW = "card_row_"


def card_row(count: int, key: str) -> list[DeltaGenerator]:
    """`count` equal columns for cards, in a container keyed `key` (CARD_ROW first): where they no longer fit side by
    side, they go two to a row, each as wide as the others."""
    with st.container(key=f"{CARD_ROW}{key}"):
        return list(st.columns(count))


def grid(count: int, key: str, per_row: int = PER_ROW) -> list[DeltaGenerator]:
    """`count` equal columns, `per_row` to a row, in reading order; `key` names its rows (`card_row`)."""
    cells: list[DeltaGenerator] = []
    while len(cells) < count:
        cells += card_row(per_row, f"{key}_{len(cells) // per_row}")
    return cells[:count]


# A phone's sidebar menu is st.navigation's own, which closes the sidebar once a page is chosen; a wider screen's is
# `navigation.page_links`, whose links keep the view's filters (Streamlit's breakpoint for the sidebar is 768 px).
# On a phone Plotly's toolbar appears on the first tap and covers the chart's title; pinch and tap still work
# without it, and Streamlit's own fullscreen button stays. Between a phone and a laptop (a window of 800 pixels with
# the sidebar open) Streamlit keeps every row of columns on one line, and cards of money shrink to "$169…": there a
# row wraps instead, each column at least wide enough for a card's figure.
_NARROW_SCREEN_STYLE = f"""
<style>
@media (max-width: 767.98px) {{
    .st-key-{MENU_KEY} {{ display: none; }}
}}
@media (min-width: 768px) {{
    [data-testid="stSidebarNav"] {{ display: none; }}
}}
@media (max-width: 640px) {{
    [data-testid="stPlotlyChart"] .modebar-container {{ display: none; }}
}}
@media (min-width: 641px) and (max-width: 1100px) {{
    [data-testid="stMain"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
    [data-testid="stMain"] [data-testid="stColumn"] {{ min-width: min(100%, 12rem); }}
}}
/* Where a row of cards no longer fits side by side, two to a row, each as wide as the others: wrapped as they came,
   the last of a row stretched across it, and three cards went two, then one as a banner. */
[data-testid="stMainBlockContainer"] {{ container-type: inline-size; }}
@container (min-width: 25rem) and (max-width: 39rem) {{
    [class*="st-key-{CARD_ROW}"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
    [class*="st-key-{CARD_ROW}"] [data-testid="stColumn"] {{ flex: 0 0 calc(50% - 0.5rem); }}
}}
</style>
"""


def narrow_screen_style() -> None:
    """Page styles for narrow screens, drawn once per run by the entry script."""
    st.html(_NARROW_SCREEN_STYLE)


def time_chart(figure: go.Figure, key: str, where: DeltaGenerator | None = None) -> None:
    """A chart over time, with the stored sales events (Prime Day, deal days) shaded and named on it, so a rise
    they explain is never read as the creators' doing."""
    (where or st).plotly_chart(mark_events(figure, queries.events()), key=key)
