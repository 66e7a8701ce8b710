"""The session's store: sign-in, the process-wide connection and its cursors, the data version read once per run."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import duckdb
import streamlit as st

from analytics.amounts import set_currency
from analytics.ingest.currency import store_currency
from analytics.ingest.progress import REVIEW_STEP, LoadProgress
from analytics.ingest.unfamiliar import BrandQuestion, OtherBrands
from analytics.ingest.uploads import remove_stale_uploads
from analytics.store import database as store
from analytics.store.access import allow_list, is_allowed
from analytics.store.changes import ensure_sample_data, holds_only_the_sample, refresh_findings
from analytics.store.files import remove_abandoned_copies
from analytics.store.workspaces import Workspace, as_held, list_workspaces
from ui.navigation import ensure_entry_script

HELD_STORE_RETRY_SECONDS = 5


@st.cache_resource(show_spinner="Opening the database…")
def _database(path: str, demo: bool) -> duckdb.DuckDBPyConnection:
    """One connection per store and process, never closed: sessions take cursors from it (see STACK.md). The demo
    brand's store is filled with the sample data when it is first created."""
    con = store.open_store(path)
    remove_abandoned_copies(con, at_open=True)
    if demo:
        ensure_sample_data(con)
    refresh_findings(con)
    return con


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        return st.secrets.get(name)
    except (FileNotFoundError, KeyError):  # no secrets.toml at all: nothing is configured
        return None


def require_sign_in() -> None:
    """With an [auth] section in .streamlit/secrets.toml, only signed-in people with a verified address on the
    allow-list get in; it runs on every run of every page (app.py, and `current_workspace` before any data).

    The allow-list is [creatorlift] allowed_emails (addresses, or "@domain" for a whole domain). An empty list
    admits nobody, and says so to whoever set up sign-in.
    """
    if _secrets_section("auth") is None:
        return
    if not st.user.get("is_logged_in", False):
        st.title("Creator Lift")
        st.write("Sign in to review your brand's creator performance.")
        st.button("Sign in", on_click=st.login, key="sign_in", type="primary", icon=":material/login:")
        st.stop()
    settings = _secrets_section("creatorlift") or {}
    allowed = allow_list(settings.get("allowed_emails", []))
    if not allowed:
        st.error(
            "Sign-in is on, but no one is allowed in yet. Whoever runs this app: list the addresses (or @domains) "
            "that may use it as `allowed_emails` under `[creatorlift]` in .streamlit/secrets.toml."
        )
        st.button("Sign out", on_click=st.logout, key="sign_out_refused")
        st.stop()
    email = str(st.user.get("email") or "")
    if not is_allowed(email, allowed, verified=st.user.get("email_verified") is True):
        st.error("This account is not on the list of users, or its address is not verified. Ask the owner to add you.")
        st.button("Sign out", on_click=st.logout, key="sign_out_refused")
        st.stop()


def sign_out_button() -> None:
    """The sidebar's sign-out, where sign-in is configured (drawn once per run, by app.py)."""
    if _secrets_section("auth") is not None and st.user.get("is_logged_in", False):
        st.sidebar.button("Sign out", on_click=st.logout, key="sign_out", icon=":material/logout:")


BRAND_PARAM = "brand"
# The session's key for the brand it showed last, and for a brand a link named that is not here to open.
_BRAND_SHOWN = "brand_shown"
_BRAND_UNKNOWN = "brand_unknown"
# This run's answer to whether the default store holds only the sample (`changes.holds_only_the_sample`).
_DEFAULT_HOLDS_SAMPLE = "default_store_holds_sample"


def signed_in_email() -> str | None:
    """The signed-in person's address when sign-in is configured, else None (everyone the app admits)."""
    if _secrets_section("auth") is None:
        return None
    return str(st.user.get("email") or "")


def author() -> str:
    """Who the load log says made a change from the app: the signed-in address, or the app when there is no
    sign-in to say who."""
    return signed_in_email() or "the app (no sign-in)"


def workspaces() -> list[Workspace]:
    """The workspaces this person may open: all of them, less those whose own allow-list leaves them out."""
    email = signed_in_email()
    found = [_as_stored(w) for w in list_workspaces()]
    if email is None:
        return found
    verified = st.user.get("email_verified") is True
    return [w for w in found if not w.allowed_emails or is_allowed(email, w.allowed_emails, verified)]


def current_workspace() -> Workspace:
    """The workspace the URL's `brand` names, when this person may open it; else the first they may."""
    require_sign_in()
    allowed = workspaces()
    # A link's brand first; else the one this session showed last, as Streamlit drops the URL's parameters when the
    # page changes (the brand switcher writes it back).
    linked = st.query_params.get(BRAND_PARAM)
    chosen = next((w for w in allowed if w.slug == linked), None) or next(
        (w for w in allowed if w.slug == st.session_state.get(_BRAND_SHOWN)), None
    )
    if linked and (chosen is None or chosen.slug != linked):
        st.session_state[_BRAND_UNKNOWN] = linked  # the brand switcher says so
    if chosen is None:
        if not allowed:
            st.error("Your account may open no workspace here. Ask the owner to add you to one.")
            st.stop()
        chosen = allowed[0]
    st.session_state[_BRAND_SHOWN] = chosen.slug
    return chosen


def brand_key(name: str) -> str:
    """`name` as the key of a widget or question of the brand this run shows: switched to another brand, the page
    draws that brand's own (its terms, its currency, its loads to undo, the day its budgets stand on) rather than
    keep what was typed, chosen or asked in the first, which a click would then save or undo in the second."""
    return f"{name}_{current_workspace().slug}"


def shown_brand() -> str | None:
    """The slug of the brand this run shows, once `current_workspace` has chosen it."""
    return st.session_state.get(_BRAND_SHOWN)


def unknown_brand() -> str | None:
    """The brand a link named that this person cannot open here (no such workspace, or not theirs), once."""
    return st.session_state.pop(_BRAND_UNKNOWN, None)


def _as_stored(workspace: Workspace) -> Workspace:
    """The default store as what it holds: the demo brand, or a brand's own data (a backup opened with
    $CREATORLIFT_DB), then named for its file and treated as any brand's workspace."""
    if not workspace.is_default:
        return workspace
    # Asked many times a run: worked out once a run (`begin_run` forgets the last run's answer).
    holds_sample = st.session_state.get(_DEFAULT_HOLDS_SAMPLE)
    if holds_sample is None:
        holds_sample = _default_holds_sample(str(workspace.path))
        if holds_sample is None:
            return workspace  # held by another process: the page says so once it reads the data (`begin_run`)
        st.session_state[_DEFAULT_HOLDS_SAMPLE] = holds_sample
    return as_held(workspace, holds_sample)


def _default_holds_sample(path: str) -> bool | None:
    """`changes.holds_only_the_sample` of the default store, None when it cannot be opened now."""
    try:
        con = _database(path, True).cursor()  # a brand-new default store is filled with the sample
    except store.StoreError:
        return None
    try:
        return holds_only_the_sample(con)
    finally:
        con.close()


def database_path() -> str:
    return str(current_workspace().path)


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection of its own for one piece of work; DuckDB refuses one connection shared by threads."""
    workspace = current_workspace()
    con = _database(str(workspace.path), workspace.is_default).cursor()
    try:
        yield con
    finally:
        con.close()


@contextmanager
def workspace_cursor(workspace: Workspace) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on `workspace`'s store for work done outside a script run (a download made when its button is
    clicked runs on a server thread, where the URL and the session cannot be read)."""
    con = _database(str(workspace.path), workspace.is_default).cursor()
    try:
        yield con
    finally:
        con.close()


def other_brands(workspace: Workspace) -> OtherBrands:
    """Whose products or brand a file names, asked of the brands other than `workspace` this person may open (never
    the demo's sample): for a brand holding nothing yet to compare its files with (`unfamiliar.BrandCheck`). Made in
    a script run; asked on the upload's thread."""
    others = [w for w in workspaces() if w.slug != workspace.slug and not w.is_demo]

    def answering(ask: BrandQuestion) -> list[tuple[str, list[str]]]:
        found = []
        for other in others:
            try:
                with workspace_cursor(other) as con:
                    answer = ask(con)
            except store.StoreError:  # held by another process: it cannot be asked now
                continue
            if answer:
                found.append((other.name, answer))
        return found

    return answering


def work_out_review(workspace: Workspace, progress: LoadProgress) -> None:
    """The review's findings for `workspace`'s data, worked out once after an upload's files have loaded (each
    loaded with `refresh=False`), on the upload's thread."""
    progress.settle(REVIEW_STEP)  # the files are in: a cancel from here on changes nothing
    with workspace_cursor(workspace) as con:
        refresh_findings(con)


# Cached queries are keyed on the store and the version of its data (plus their own arguments).
DataKey = tuple[str, int]
_RUN_VERSION = "data_version_of_this_run"


def begin_run() -> int:
    """Read the data version once, at the start of every run (app.py): every query of the run is keyed on it, so a
    load that lands mid-run shows whole on the next run, never half on this one."""
    st.session_state.pop(_DEFAULT_HOLDS_SAMPLE, None)  # a load since the last run may have made it a brand's
    try:
        with cursor() as con:
            version = store.data_version(con)
            set_currency(store_currency(con))  # every amount this run writes is in the brand's currency
    except store.StoreInUseError as error:
        # The store's file is held by another process (a command-line load started before this app opened it):
        # say who, and try again shortly rather than show an error page.
        st.warning(f"{error}. This page tries again every {HELD_STORE_RETRY_SECONDS} seconds.", icon=":material/lock:")
        time.sleep(HELD_STORE_RETRY_SECONDS)
        st.rerun()
    st.session_state[_RUN_VERSION] = version
    return version


def data_version() -> int:
    """The data version this run reads (`begin_run`)."""
    ensure_entry_script()
    version = st.session_state.get(_RUN_VERSION)
    return begin_run() if version is None else int(version)


def data_key() -> DataKey:
    """What cached queries are keyed on: the store's path and the data version this run reads."""
    return database_path(), data_version()


def hold_stores() -> list[str]:
    """Open every workspace's store in this process, as their first visits would (the demo brand filled with the
    sample on its first start), after dropping uploads nobody came back to: called once as the server starts
    (`ui.server`). The stores another process holds
    now (or that fail to open), by name, for the log; their pages open them at the first visit instead."""
    remove_stale_uploads()
    held_elsewhere = []
    quiet = _NoPageRunning(threading.get_ident())
    PAGE_CONTEXT_LOG.addFilter(quiet)
    try:
        for workspace in list_workspaces():
            try:
                _database(str(workspace.path), workspace.is_default)
            except Exception as error:  # held by another process, or broken: its own first visit says which
                held_elsewhere.append(f"{workspace.name}: {error}")
    finally:
        PAGE_CONTEXT_LOG.removeFilter(quiet)
    return held_elsewhere


# Where Streamlit warns that a thread asking its caches for something runs no page ("missing ScriptRunContext").
PAGE_CONTEXT_LOG = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")


class _NoPageRunning(logging.Filter):
    """Drops that warning from the thread opening the stores as the server starts: no page runs there, by design,
    and a new user's terminal showed it as the app's first words."""

    def __init__(self, thread: int) -> None:
        super().__init__()
        self.thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.thread == self.thread and "missing ScriptRunContext" in record.getMessage())
