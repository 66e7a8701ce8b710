"""The brand switcher at the top of the sidebar, creating a new brand, and the demo's label on every page."""

from __future__ import annotations

import streamlit as st

from analytics.ingest.currency import CURRENCY_NAMES, choose_currency, currency_label
from analytics.store.workspaces import Workspace, WorkspaceError, create_workspace, remove_workspace
from ui import load_jobs, notices, session
from ui.sidebar import forget_brand_filters
from ui.waiting import RESULTS_BRAND_KEY, RESULTS_KEY, store_of

PICKER_KEY = "brand_picker"
REMOVED_KEY = "brand_removed"  # the sentence saying which brand was removed, shown once on the page shown next
# The New brand popover's key, numbered by the brands this session has made: each brand made draws a new popover,
# closed, whatever open state the last one's front end still reports (setting the last one's state to closed left
# it open now and then, on a busy server).
NEW_BRAND_KEY = "new_brand_popover"
_BRANDS_MADE_KEY = "new_brands_made"


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
    # The brand is made and shown: the form has done its job, and the next run draws it anew, closed.
    st.session_state[_BRANDS_MADE_KEY] = st.session_state.get(_BRANDS_MADE_KEY, 0) + 1
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
    made = st.session_state.get(_BRANDS_MADE_KEY, 0)
    with st.sidebar.popover(
        "New brand", icon=":material/add_business:", key=f"{NEW_BRAND_KEY}_{made}", on_change="rerun"
    ):
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


def _remove(workspace: Workspace) -> None:
    try:
        remove_workspace(workspace.slug)
    except WorkspaceError as error:
        st.session_state[REMOVED_KEY] = ("error", str(error))
        return
    # Its store stays open in this process, as every store does: restored, it is the same connection and data.
    st.session_state[REMOVED_KEY] = (
        "ok",
        f"{workspace.name} is removed from the brand list. Its data and files stay on the server "
        f"({workspace.path}); python3 -m analytics workspaces restore {workspace.slug} lists it again.",
    )
    forget_brand_filters(session.workspaces()[0].slug)  # the first brand left, as a link to a removed one opens
    # The Data page's line on the last upload would send the person to a brand no longer in the picker.
    went_to = st.session_state.get(RESULTS_BRAND_KEY)
    if isinstance(went_to, tuple) and went_to and went_to[0] == store_of(workspace):
        for key in (RESULTS_KEY, RESULTS_BRAND_KEY):
            st.session_state.pop(key, None)


def say_removed() -> None:
    """The outcome of removing a brand, once, at the top of the page drawn after it (the next brand's Data page)."""
    said = st.session_state.pop(REMOVED_KEY, None)
    if said is not None:
        outcome, sentence = said
        box = st.success if outcome == "ok" else st.error
        icon = ":material/check_circle:" if outcome == "ok" else ":material/error:"
        box(notices.md(sentence), icon=icon)
        # The button was at the foot of the page, which the next brand's page keeps scrolled to: said there too.
        st.toast(notices.md(sentence.split(". ")[0] + "."), icon=icon, duration="long")


def remove_brand_section(workspace: Workspace) -> None:
    """Removing the brand shown (one made by mistake, or no longer served), once its name is typed: for a brand's
    own workspace, never the demo's."""
    if workspace.is_default:
        return
    st.subheader("Remove this brand")
    st.caption(
        notices.md(
            f"Takes {workspace.name} off the brand list for everyone using this app. Nothing is deleted: its data "
            "and uploaded files stay on the server, and the command line can list it again."
        )
    )
    typed = st.text_input(
        "Type the brand's name to remove it", key=session.brand_key("remove_brand_name"), placeholder=workspace.name
    )
    job = load_jobs.current()
    loading = job is not None and job.running
    st.button(
        f"Remove {workspace.name}",
        key=session.brand_key("remove_brand"),
        icon=":material/delete:",
        disabled=loading or " ".join(typed.split()).casefold() != workspace.name.casefold(),
        on_click=_remove,
        args=(workspace,),
        help="Wait for the files loading to finish first." if loading else None,
    )
