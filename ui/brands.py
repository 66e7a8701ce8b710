"""The brand switcher at the top of the sidebar, creating a new brand, and the demo's label on every page."""

from __future__ import annotations

import streamlit as st

from analytics.ingest.currency import CURRENCY_NAMES, choose_currency, currency_label
from analytics.store.workspaces import Workspace, WorkspaceError, create_workspace
from ui import session
from ui.sidebar import forget_brand_filters

PICKER_KEY = "brand_picker"
# The New brand popover's open state: it tracks it so that making the brand can close it.
NEW_BRAND_KEY = "new_brand_popover"


def _switch() -> None:
    # Another brand has other creators, lines, campaigns and days; an agency reviews each over the same period.
    forget_brand_filters(st.session_state[PICKER_KEY])


def _create() -> None:
    try:
        workspace = create_workspace(st.session_state.get("new_brand_name", ""))
    except WorkspaceError as error:
        st.session_state["new_brand_error"] = str(error)
        return
    currency = st.session_state.get("new_brand_currency")
    if currency:
        with session.workspace_cursor(workspace) as con:
            choose_currency(con, currency)  # an empty store: no findings to work out again
    st.session_state["new_brand_currency"] = ""
    st.session_state.pop("new_brand_error", None)
    st.session_state["new_brand_name"] = ""
    st.session_state[NEW_BRAND_KEY] = False  # the brand is made and shown: the form has done its job
    st.session_state[PICKER_KEY] = workspace.slug
    _switch()


def brand_switcher() -> Workspace:
    """The workspace this run shows, picked at the top of the sidebar (and kept in the URL as `brand`)."""
    allowed = session.workspaces()
    current = session.current_workspace()
    names = {w.slug: w.name for w in allowed}
    if st.session_state.get(PICKER_KEY) != current.slug:
        st.session_state[PICKER_KEY] = current.slug  # a link naming another brand wins over the last pick
    st.sidebar.selectbox(
        "Brand",
        list(names),
        format_func=names.__getitem__,
        key=PICKER_KEY,
        on_change=_switch,
        help="Each brand has its own data; nothing loaded for one is seen in another.",
    )
    if st.query_params.get(session.BRAND_PARAM) not in (None, current.slug):
        st.query_params[session.BRAND_PARAM] = current.slug  # a link's brand that is not here to open
    unknown = session.unknown_brand()
    if unknown:
        st.sidebar.caption(
            f"The link named a brand, {unknown!r}, that is not here for you to open; showing {current.name}."
        )
    with st.sidebar.popover("New brand", icon=":material/add_business:", key=NEW_BRAND_KEY, on_change="rerun"):
        st.text_input("Brand name", key="new_brand_name", placeholder="e.g. Acme Nutrition")
        st.selectbox(
            "Currency",
            ["", *CURRENCY_NAMES],
            format_func=lambda sign: currency_label(sign) if sign else "As its files show it, else $",
            key="new_brand_currency",
            help="Creator Connections writes amounts as bare numbers: choose the marketplace's currency, or change "
            "it later on the Data page.",
        )
        st.button("Create the brand's workspace", key="create_brand", on_click=_create, type="primary")
        if "new_brand_error" in st.session_state:
            st.error(st.session_state["new_brand_error"])
    return current


def demo_notice(workspace: Workspace) -> None:
    """On every page of the demo brand: whose numbers these are, and where a brand's own files go."""
    if not workspace.is_demo:
        return
    st.info(
        "You are looking at the **demo brand**, built from sample data. To review your own brand, create its "
        "workspace with **New brand** in the sidebar and upload your files there.",
        icon=":material/science:",
    )
