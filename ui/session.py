"""The session's store: sign-in, the process-wide connection and its cursors, the data version read once per run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import duckdb
import streamlit as st

from analytics.store import database as store
from analytics.store.access import is_allowed
from analytics.store.changes import ensure_sample_data
from ui.navigation import ensure_entry_script


@st.cache_resource(show_spinner="Opening the database…")
def _database(path: str) -> duckdb.DuckDBPyConnection:
    """One connection per process, never closed: sessions take cursors from it (see STACK.md)."""
    con = store.open_store(path)
    ensure_sample_data(con)
    return con


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        return st.secrets.get(name)
    except (FileNotFoundError, KeyError):  # no secrets.toml at all: nothing is configured
        return None


def require_sign_in() -> None:
    """With an [auth] section in .streamlit/secrets.toml, only signed-in people on the allow-list get in.

    The allow-list is [creatorlift] allowed_emails (addresses, or "@domain" for a whole domain); without
    it, anyone the identity provider signs in may use the app.
    """
    if _secrets_section("auth") is None:
        return
    if not st.user.get("is_logged_in", False):
        st.title("Creator Lift")
        st.write("Sign in to review your brand's creator performance.")
        st.button("Sign in", on_click=st.login, key="sign_in", type="primary", icon=":material/login:")
        st.stop()
    settings = _secrets_section("creatorlift") or {}
    email = str(st.user.get("email") or "")
    if not is_allowed(email, settings.get("allowed_emails", [])):
        st.error("This account is not on the workspace's list of users. Ask its owner to add you.")
        st.button("Sign out", on_click=st.logout, key="sign_out_refused")
        st.stop()
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out", icon=":material/logout:")


def database_path() -> str:
    return str(store.default_db_path())


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection of its own for one piece of work; DuckDB refuses one connection shared by threads."""
    con = _database(database_path()).cursor()
    try:
        yield con
    finally:
        con.close()


# Cached queries are keyed on the store and the version of its data (plus their own arguments).
DataKey = tuple[str, int]
_RUN_VERSION = "data_version_of_this_run"


def begin_run() -> int:
    """Read the data version once, at the start of every run (app.py): every query of the run is keyed on it, so a
    load that lands mid-run shows whole on the next run, never half on this one."""
    with cursor() as con:
        version = store.data_version(con)
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
