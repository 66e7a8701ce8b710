"""Page layout helpers shared by the pages."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

# Cards and buttons per row: ten in one row shrink each to a few clipped letters on a laptop screen.
PER_ROW = 5


def grid(count: int, per_row: int = PER_ROW) -> list[DeltaGenerator]:
    """`count` equal columns, `per_row` to a row, in reading order."""
    cells: list[DeltaGenerator] = []
    while len(cells) < count:
        cells += st.columns(per_row)
    return cells[:count]
