"""What every screen shares: the database, the sidebar filters kept in the URL, cached engine calls, formatting.

Not a screen itself: app.py lists the screens with st.navigation, so Streamlit never shows this file as a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from analytics import store
from analytics.bootstrap import ensure_sample_data
from analytics.export import frame_to_csv
from analytics.formatting import format_value
from analytics.metrics import REGISTRY, Scope, data_range, grouped_metrics, totals
from analytics.periods import DEFAULT_PRESET, PRESETS, preset_range

SCOPE_KEY = "scope"


@st.cache_resource(show_spinner="Opening the database…")
def _database(path: str) -> duckdb.DuckDBPyConnection:
    """One connection per process, never closed: sessions take cursors from it (see STACK.md)."""
    con = store.open_store(path)
    ensure_sample_data(con)
    return con


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


def data_version() -> int:
    with cursor() as con:
        return store.data_version(con)


@st.cache_data(show_spinner=False, max_entries=64)
def _data_range(version: int) -> tuple[date, date] | None:
    with cursor() as con:
        return data_range(con)


@st.cache_data(show_spinner=False, max_entries=16)
def filter_options(version: int) -> dict[str, list[str]]:
    """The values each sidebar filter can take."""
    with cursor() as con:
        frame = grouped_metrics(con, Scope(), ("creator", "product_line", "campaign"))
    return {
        "product_line": sorted(frame["product_line"].dropna().unique().tolist()),
        "creator": sorted(frame["creator"].dropna().unique().tolist()),
        "campaign": sorted(frame["campaign"].dropna().unique().tolist()),
    }


def data_as_of() -> date | None:
    """The last day with performance data: periods are anchored to the data, not to the calendar."""
    span = _data_range(data_version())
    return span[1] if span else None


@dataclass(frozen=True)
class Filters:
    preset: str
    start: date
    end: date
    product_lines: tuple[str, ...]
    creators: tuple[str, ...]
    campaigns: tuple[str, ...]

    def scope(self, start: date | None = None, end: date | None = None) -> Scope:
        return Scope(
            start or self.start,
            end or self.end,
            creators=self.creators,
            product_lines=self.product_lines,
            campaigns=self.campaigns,
        )


def _query_list(name: str, allowed: list[str]) -> list[str]:
    # Values from the URL are only ever matched against known options, never used as they come.
    return [v for v in st.query_params.get_all(name) if v in allowed]


def _query_date(name: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def sidebar_filters() -> Filters | None:
    """The shared sidebar: period preset or custom range, product line, creator and campaign, kept in the URL."""
    as_of = data_as_of()
    if as_of is None:
        st.sidebar.info("No data yet. Upload your Creator Connections files on the **Data** page.")
        return None
    span = _data_range(data_version())
    assert span is not None
    options = filter_options(data_version())
    url_preset = st.query_params.get("period", DEFAULT_PRESET)
    preset = st.sidebar.selectbox(
        "Period",
        PRESETS,
        index=PRESETS.index(url_preset) if url_preset in PRESETS else PRESETS.index(DEFAULT_PRESET),
        key="filter_period",
        help=f"Periods end on the last day with data ({as_of:%b %d, %Y}).",
    )
    if preset == "Custom range":
        default = (_query_date("start") or span[0], _query_date("end") or as_of)
        picked = st.sidebar.date_input(
            "Dates", value=default, min_value=span[0], max_value=as_of, key="filter_dates", format="YYYY-MM-DD"
        )
        start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else default
    else:
        start, end = preset_range(preset, as_of)
        st.sidebar.caption(f"{start:%b %d, %Y} – {end:%b %d, %Y}")
    product_lines = st.sidebar.multiselect(
        "Product line",
        options["product_line"],
        default=_query_list("line", options["product_line"]),
        key="filter_line",
        placeholder="All product lines",
    )
    creators = st.sidebar.multiselect(
        "Creator",
        options["creator"],
        default=_query_list("creator", options["creator"]),
        key="filter_creator",
        placeholder="All creators",
    )
    campaigns = st.sidebar.multiselect(
        "Campaign",
        options["campaign"],
        default=_query_list("campaign", options["campaign"]),
        key="filter_campaign",
        placeholder="All campaigns",
    )
    filters = Filters(preset, start, end, tuple(product_lines), tuple(creators), tuple(campaigns))
    _write_query_params(filters)
    st.session_state[SCOPE_KEY] = filters
    return filters


def _write_query_params(filters: Filters) -> None:
    wanted: dict[str, str | list[str]] = {"period": filters.preset}
    if filters.preset == "Custom range":
        wanted["start"] = filters.start.isoformat()
        wanted["end"] = filters.end.isoformat()
    if filters.product_lines:
        wanted["line"] = list(filters.product_lines)
    if filters.creators:
        wanted["creator"] = list(filters.creators)
    if filters.campaigns:
        wanted["campaign"] = list(filters.campaigns)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def current_filters() -> Filters | None:
    """The filters the sidebar set for this run (None when the store holds no data)."""
    return st.session_state.get(SCOPE_KEY)


def _scope_args(scope: Scope) -> tuple[object, ...]:
    # Small, hashable cache keys: never a DataFrame (see STACK.md on st.cache_data).
    return (scope.start, scope.end, scope.creators, scope.asins, scope.product_lines, scope.campaigns)


@st.cache_data(show_spinner=False, max_entries=256)
def _metrics(version: int, scope_args: tuple[object, ...], by: tuple[str, ...]) -> pd.DataFrame:
    with cursor() as con:
        return grouped_metrics(con, Scope(*scope_args), by)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=256)
def _totals(version: int, scope_args: tuple[object, ...]) -> dict[str, object]:
    with cursor() as con:
        return totals(con, Scope(*scope_args))  # type: ignore[arg-type]


def metrics(scope: Scope, by: tuple[str, ...]) -> pd.DataFrame:
    """Every metric grouped by `by`, cached per data version and scope."""
    return _metrics(data_version(), _scope_args(scope), tuple(by))


def scope_totals(scope: Scope) -> dict[str, object]:
    return _totals(data_version(), _scope_args(scope))


def label(metric: str) -> str:
    return REGISTRY[metric].label


def help_text(metric: str) -> str:
    return REGISTRY[metric].description


def show(metric: str, value: object) -> str:
    return format_value(value, REGISTRY[metric].format)


def download(frame: pd.DataFrame, file_name: str, key: str, label_text: str = "Download CSV") -> None:
    """A download of exactly what the table shows, with spreadsheet formulas neutralised."""
    st.download_button(
        label_text,
        frame_to_csv(frame, escape_formulas=True),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )
