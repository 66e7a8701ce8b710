"""The render floor: the least a Streamlit page costs on this machine, whatever the app does.

`bench/pages.py` times these two pages exactly as it times the app's: one with a heading, a caption and a
five-row table; one with the same and a single small Plotly chart (Streamlit loads Plotly's 4.6 MB bundle only
for a page that draws a chart). The app's pages are compared with them in bench/RESULTS.md.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

WEEKS = pd.DataFrame(
    {
        "week": pd.date_range("2026-10-04", periods=5, freq="7D"),
        "revenue": [1200.50, 1310.25, 980.00, 1505.75, 1422.10],
    }
)


def bare_page() -> None:
    st.title("Bare page")
    st.caption("A heading, a caption and a five-row table.")
    st.dataframe(WEEKS, hide_index=True)


def chart_page() -> None:
    st.title("One chart")
    st.caption("A heading, a caption, a five-row table and one Plotly chart.")
    st.dataframe(WEEKS, hide_index=True)
    figure = go.Figure(go.Scatter(x=WEEKS["week"], y=WEEKS["revenue"], mode="lines+markers"))
    figure.update_layout(xaxis_title="Week", yaxis_title="Revenue ($)")
    st.plotly_chart(figure)


st.navigation(
    [st.Page(bare_page, title="Bare page", url_path="bare"), st.Page(chart_page, title="One chart", url_path="chart")]
).run()
