"""DataFrame -> Plotly figure, no data access. The template, colours and margins live here, once."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

# Colour-blind-safe palette; a creator or product line keeps its colour on every chart (see `colour_map`).
PALETTE = (
    "#E8590C",
    "#1C7ED6",
    "#2F9E44",
    "#AE3EC9",
    "#F08C00",
    "#0C8599",
    "#C2255C",
    "#5C940D",
    "#4263EB",
    "#868E96",
)
FONT = "Source Sans Pro, Arial, sans-serif"


def colour_map(values: Iterable[str]) -> dict[str, str]:
    """A stable colour per name: the same creator or product line gets the same colour on every page."""
    names = sorted({str(v) for v in values})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def styled(figure: go.Figure, title: str, x_title: str, y_title: str, height: int = 360) -> go.Figure:
    """The shared look: a title, labelled axes with units, a quiet grid and a legend under the plot."""
    figure.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        hovermode="closest",
    )
    figure.update_xaxes(title_text=x_title, showgrid=False)
    figure.update_yaxes(title_text=y_title, gridcolor="#EEE")
    return figure
