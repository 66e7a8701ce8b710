"""What every screen shares: the database, the sidebar filters kept in the URL, cached engine calls, formatting.

Not a screen itself: app.py lists the screens with st.navigation, so Streamlit never shows this file as a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from analytics.store.changes import ensure_sample_data
from streamlit.runtime.pages_manager import PagesManager

from analytics.contract.kinds import UNASSIGNED_PRODUCT_LINE
from analytics.metrics.grouped import (
    REGISTRY,
    Scope,
    data_range,
    filter_values,
    grouped_metrics,
    product_payouts,
    totals,
)
from analytics.metrics.periods import DEFAULT_PRESET, PRESETS, preset_range
from analytics.present.charts import colour_map
from analytics.present.export import frame_to_csv
from analytics.present.formatting import format_value, percent_figures
from analytics.review.insights import Insight, findings_frame, kept_findings, top_creators, weekly_insights
from analytics.store import database as store
from analytics.store.access import is_allowed

SCOPE_KEY = "scope"
# (filter option, label, URL parameter, placeholder) for the sidebar's multiselects.
SIDEBAR_FILTERS = (
    ("product_line", "Product line", "line", "All product lines"),
    ("creator", "Creator", "creator", "All creators"),
    ("campaign", "Campaign", "campaign", "All campaigns"),
)
# URL parameters the sidebar owns; any other (a page's `focus`) is left in place when the sidebar rewrites the URL.
FILTER_PARAMS = ("period", "start", "end", "line", "creator", "campaign")
# Past this many values a sidebar filter lists those matching a search box rather than all of them: the browser
# pays for every option on every page (about 0.2 s for a brand's 9,000 creators, measured on the Creators page).
LISTED_OPTIONS_MAX = 1_000
SEARCH_MATCHES_SHOWN = 100
FOCUS_PARAM = "focus"
UNASSIGNED_COLOUR = "#ADB5BD"


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


def data_version() -> int:
    ensure_entry_script()
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
        return filter_values(con)


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
        st.session_state[SCOPE_KEY] = None  # a store emptied mid-session must not keep the old filters
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
    chosen = {
        option: _filter_choice(label, options[option], param, placeholder)
        for option, label, param, placeholder in SIDEBAR_FILTERS
    }
    filters = Filters(preset, start, end, chosen["product_line"], chosen["creator"], chosen["campaign"])
    _write_query_params(filters)
    st.session_state[SCOPE_KEY] = filters
    return filters


def searched_options(
    values: Sequence[str],
    key: str,
    noun: str,
    keep: Sequence[str] = (),
    text_of: Callable[[str], str] | None = None,
    where: Any = st,
) -> list[str]:
    """The options for a picker of `values`: all of them up to LISTED_OPTIONS_MAX; past that, a search box
    (`key`, placed in `where`) and the values in `keep` followed by the first SEARCH_MATCHES_SHOWN whose text
    (`text_of`, the value itself by default) contains the search, ignoring case."""
    if len(values) <= LISTED_OPTIONS_MAX:
        return list(values)
    search = where.text_input(
        f"Find a {noun}",
        key=key,
        placeholder=f"Part of a name, {len(values):,} in all",
        help=f"Lists up to {SEARCH_MATCHES_SHOWN} of the {len(values):,} {noun}s whose names contain the text, to "
        "pick from below.",
    )
    text = search.strip().casefold()
    kept = [v for v in keep if v in values]
    matches = (v for v in values if text in (text_of(v) if text_of else v).casefold() and v not in kept)
    return kept + list(islice(matches, SEARCH_MATCHES_SHOWN))


def searched_selectbox(
    label: str,
    values: Sequence[str],
    key: str,
    noun: str,
    default: str | None,
    format_func: Callable[[str], str],
    help: str,
    text_of: Callable[[str], str] | None = None,
    where: Any = st,
) -> str:
    """A selectbox of `values` (`key`) starting on `default` (else the first); past LISTED_OPTIONS_MAX values, with
    a search box above it (`searched_options`) that always keeps the value shown."""
    current = st.session_state.get(key) or default
    listed = searched_options(
        values, f"{key}_search", noun, keep=[current] if current else [], text_of=text_of, where=where
    )
    return where.selectbox(
        label,
        listed,
        index=listed.index(default) if default in listed else 0,
        format_func=format_func,
        key=key,
        help=help,
    )


def _filter_choice(label: str, values: list[str], param: str, placeholder: str) -> tuple[str, ...]:
    """One sidebar filter: a multiselect of its values (past LISTED_OPTIONS_MAX, of those its search finds and
    those picked), its default from the URL."""
    key = f"filter_{param}"
    default = _query_list(param, values)
    picked = st.session_state.get(key, default)
    listed = searched_options(values, f"{key}_search", label.lower(), keep=picked, where=st.sidebar)
    # The URL may still name a value just removed (it is rewritten after this run): a default must be listed.
    shown_default = [v for v in default if v in listed]
    return tuple(st.sidebar.multiselect(label, listed, default=shown_default, key=key, placeholder=placeholder))


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
    wanted.update({k: v for k, v in current.items() if k not in FILTER_PARAMS})
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def ensure_entry_script() -> None:
    """Run the page again through app.py when Streamlit ran it alone.

    Until st.navigation has run once in the process, Streamlit routes a deep link (/creators) straight to
    pages/creators.py, without app.py's navigation and sidebar, because a `pages/` folder sits beside the entry
    script (the legacy multipage mode; see streamlit/streamlit#14217). Leave that mode, as st.navigation would,
    and rerun. A no-op whenever app.py is running the page, and under AppTest, which resets the mode before
    every run (a rerun there would drop the widget values the test set); tests fix that in a fixture.
    """
    if PagesManager.uses_pages_directory and not st.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_filters() -> Filters | None:
    """The filters the sidebar set for this run (None when the store holds no data)."""
    ensure_entry_script()
    return st.session_state.get(SCOPE_KEY)


def _scope_args(scope: Scope) -> tuple[object, ...]:
    # Small, hashable cache keys: never a DataFrame (see STACK.md on st.cache_data).
    return (scope.start, scope.end, scope.creators, scope.asins, scope.product_lines, scope.campaigns)


@st.cache_data(show_spinner=False, max_entries=256)
def _metrics(
    version: int, scope_args: tuple[object, ...], by: tuple[str, ...], names: tuple[str, ...] | None
) -> pd.DataFrame:
    with cursor() as con:
        return grouped_metrics(con, Scope(*scope_args), by, names)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=256)
def _totals(version: int, scope_args: tuple[object, ...], names: tuple[str, ...] | None) -> dict[str, object]:
    with cursor() as con:
        return totals(con, Scope(*scope_args), names)  # type: ignore[arg-type]


def metrics(scope: Scope, by: tuple[str, ...], names: Sequence[str] | None = None) -> pd.DataFrame:
    """The metrics `names` (default: every grouped metric) grouped by `by`, cached per data version and scope.

    A table or chart of sales columns alone asks for `SALES_METRICS`: the customer rates cost far more.
    """
    return _metrics(data_version(), _scope_args(scope), tuple(by), tuple(names) if names is not None else None)


def scope_totals(scope: Scope, names: Sequence[str] | None = None) -> dict[str, object]:
    """The scope's metrics `names` (default: all) as one dict, cached per data version and scope."""
    return _totals(data_version(), _scope_args(scope), tuple(names) if names is not None else None)


def label(metric: str) -> str:
    return REGISTRY[metric].label


def help_text(metric: str) -> str:
    return REGISTRY[metric].description


def show(metric: str, value: object) -> str:
    return format_value(value, REGISTRY[metric].format)


def download(frame: pd.DataFrame, file_name: str, key: str, label_text: str = "Download CSV") -> None:
    """A download of exactly what the table shows, with spreadsheet formulas neutralised.

    The CSV is written when the button is clicked, not on every rerun: tens of milliseconds per table of
    thousands of rows, for a file most reruns never send.
    """
    st.download_button(
        label_text,
        lambda: frame_to_csv(frame, escape_formulas=True),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


# --- Shared by the weekly-review pages (overview, creators, products) ------------------------------------------

PAGE_FILES = {
    "overview": "pages/overview.py",
    "creators": "pages/creators.py",
    "products": "pages/products.py",
    "customers": "pages/customers.py",
    "organic_rank": "pages/organic_rank.py",
    "data": "pages/data.py",
}
PAGE_TITLES = {
    "overview": "Overview",
    "creators": "Creators",
    "products": "Products",
    "customers": "Customers",
    "organic_rank": "Organic rank",
    "data": "Data",
}
DIMENSION_LABELS = {
    "creator": "Creator",
    "asin": "ASIN",
    "product_line": "Product line",
    "campaign": "Campaign",
    "title": "Product",
}
# Streamlit's number formats by registry format. No `step` on money and percent: Streamlit cuts the digits a step
# drops instead of rounding them (0.29956 with step 0.001 shows 29.9%, where the KPI cards show 30.0%). "dollar"
# rounds to cents; percent columns are written by `show_table` itself (see `_percents_like_cards`).
_NUMBER_COLUMNS: dict[str, dict[str, Any]] = {
    "money": {"format": "dollar"},
    "percent": {"format": "percent"},
    "count": {"format": "localized", "step": 1},
    "rank": {"format": "%.1f"},
    "rank_change": {"format": "%+.1f"},
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md(text: object) -> str:
    """Text from the data (a creator's name, an insight) shown literally in Markdown: `$` is not maths, `*` not bold."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def number_column(fmt: str, label_text: str, help_text_: str | None = None) -> Any:
    """A sortable number column shown in one of the registry's formats ($1,234.56, 12.3%, 1,234)."""
    return st.column_config.NumberColumn(label_text, help=help_text_, **_NUMBER_COLUMNS.get(fmt, {}))


def table_columns(frame: pd.DataFrame, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Column labels, formats and hover help for a table: metrics from the registry, dimensions by name.

    `extra` adds or overrides columns the registry does not know (a page's own flags, catalog prices).
    """
    config: dict[str, Any] = {}
    for name in frame.columns:
        if name in REGISTRY:
            metric = REGISTRY[name]
            config[name] = number_column(metric.format, metric.label, metric.description)
        elif name in DIMENSION_LABELS:
            config[name] = st.column_config.TextColumn(DIMENSION_LABELS[name])
        elif name == "week":
            config[name] = st.column_config.DateColumn("Week of", format="MMM D, YYYY")
    config.update(extra or {})
    return config


def show_table(
    frame: pd.DataFrame,
    key: str,
    file_name: str,
    extra: Mapping[str, Any] | None = None,
    columns: Sequence[str] | None = None,
    height: int | None = None,
) -> None:
    """A sortable, formatted table with its own safe CSV download of the same rows and columns.

    `columns` picks and orders the columns shown (default: every column this module or `extra` knows).
    """
    config = table_columns(frame, extra)
    shown = list(columns) if columns is not None else [c for c in frame.columns if c in config]
    data, config = _percents_like_cards(frame, config)
    st.dataframe(
        data,
        hide_index=True,
        column_config=config,
        column_order=shown,
        key=key,
        placeholder="—",
        height=height if height is not None else "auto",
        # Past 1,000 rows Streamlit sends the rows in view and fetches the rest as the user scrolls or sorts (the
        # server sorts): a brand's thousands of creators or products cost the page one screenful, not megabytes.
        lazy=True,
    )
    download(frame[shown], file_name, key=f"{key}_download")


def _percents_like_cards(frame: pd.DataFrame, config: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Percent columns written as the KPI cards write them (12.3%, one decimal, rounded), still sorted as numbers.

    Streamlit's "percent" format shows up to two decimals and drops trailing zeros (5%, 12.5%, 57.84%). The
    table gets each rate as its rounded percent figure (`percent_figures`) with a "%.1f%%" format instead: a
    pandas Styler would do the same but renders every cell of the frame in Python, seconds for thousands of rows.
    """
    percent = [
        name
        for name, column in config.items()
        if name in frame.columns
        and isinstance(column, dict)
        and (column.get("type_config") or {}).get("format") == "percent"
    ]
    if not percent:
        return frame, config
    figures = {name: percent_figures(frame[name]) for name in percent}
    shown = {
        name: {**config[name], "type_config": {**config[name]["type_config"], "format": "%.1f%%"}} for name in percent
    }
    return frame.assign(**figures), {**config, **shown}


def colours(dimension: str) -> dict[str, str]:
    """The colour of every creator or product line in the store, the same on every page whatever the filters.

    Products missing from the catalog ("Unassigned") are grey: they are not one of the brand's lines.
    """
    mapping = colour_map(filter_options(data_version())[dimension])
    if dimension == "product_line" and UNASSIGNED_PRODUCT_LINE in mapping:
        mapping[UNASSIGNED_PRODUCT_LINE] = UNASSIGNED_COLOUR
    return mapping


@st.cache_data(show_spinner=False, max_entries=16)
def _catalog(version: int) -> pd.DataFrame:
    with cursor() as con:
        return product_payouts(con)


def catalog() -> pd.DataFrame:
    """The products table with price, rates and creator payout per sale (`product_payouts`), cached."""
    return _catalog(data_version())


# The sales columns every creator, ASIN and product-line table shows, in this order.
SALES_COLUMNS = (
    "revenue",
    "revenue_share",
    "orders",
    "clicks",
    "conversion_rate",
    "commission",
    "commission_share",
    "payout_per_order",
)

# Findings drawn as cards; past these, one table lists them all (a large program can have hundreds).
FINDING_CARDS = 10


def show_all_findings(found: list[Insight], key: str, file_name: str) -> None:
    """When there are more findings than cards, every finding in one table with its download."""
    if len(found) <= FINDING_CARDS:
        return
    listing = st.expander(
        f"All {len(found):,} findings, {len(found) - FINDING_CARDS:,} more than the cards above",
        key=f"{key}_open",
        on_change="rerun",
    )
    if not listing.open:
        return  # thousands of findings are a megabyte of text: sent only when the user opens the list
    with listing:
        show_table(
            findings_frame(found),
            key=key,
            file_name=file_name,
            extra={
                "severity": st.column_config.TextColumn("Severity"),
                "finding": st.column_config.TextColumn("Finding", width="large"),
                "action": st.column_config.TextColumn("What to do", width="large"),
                "subject": st.column_config.TextColumn("About"),
            },
        )


@st.cache_data(show_spinner=False, max_entries=16)
def _insights(version: int) -> list[Insight]:
    with cursor() as con:
        kept = kept_findings(con)
        if kept is not None:
            return kept
        # The store's findings describe other data (a change committed, its findings still being worked out).
        as_of = data_range(con)
        return weekly_insights(con, as_of[1]) if as_of else []


def insights() -> list[Insight]:
    """`weekly_insights` for the whole program up to the last day of data, as the store keeps them, cached per data
    version."""
    return _insights(data_version())


@st.cache_data(show_spinner=False, max_entries=16)
def _outreach(version: int, as_of: date) -> list[str]:
    with cursor() as con:
        return top_creators(con, as_of)


def outreach_targets(as_of: date) -> list[str]:
    """The top 10 creators by attributed revenue over the 90 days ending as_of (`insights.top_creators`)."""
    return _outreach(data_version(), as_of)


def focus_from_url(options: list[str]) -> str | None:
    """The `focus` URL parameter (set by an insight's link) when it names one of the options."""
    value = st.query_params.get(FOCUS_PARAM)
    return value if value in options else None


def set_focus(value: str | None) -> None:
    """Keep the page's selected creator, ASIN or product line in the URL, so the view can be shared."""
    if value is None:
        st.query_params.pop(FOCUS_PARAM, None)
    elif st.query_params.get(FOCUS_PARAM) != value:
        st.query_params[FOCUS_PARAM] = value


def require_data() -> tuple[Filters, date]:
    """The sidebar's filters and the last day with data; on an empty store, say what to upload and stop the page."""
    filters, as_of = current_filters(), data_as_of()
    if filters is None or as_of is None:
        show_empty_store()
        st.stop()
    return filters, as_of


def show_empty_store() -> None:
    """The first thing a page shows when the store holds no performance data: what to upload, and where."""
    st.info(
        "No data yet. Upload your Creator Connections campaign performance report (Seller Central → Creator "
        "Connections → Reports, as CSV) on the **Data** page; the orders, products and rank files add the "
        "customer, product and organic-rank views.",
        icon=":material/upload_file:",
    )
    st.page_link(PAGE_FILES["data"], label="Go to the Data page", icon=":material/upload_file:")


def show_empty_scope(filters: Filters) -> None:
    """What a page shows when the period and filters select no creator activity, and how to widen them."""
    narrowed = [
        name
        for name, values in (
            ("product line", filters.product_lines),
            ("creator", filters.creators),
            ("campaign", filters.campaigns),
        )
        if values
    ]
    hint = f" or clear the {', '.join(narrowed)} filter{'s' if len(narrowed) > 1 else ''}" if narrowed else ""
    st.info(
        f"No creator clicks, orders or revenue between {filters.start:%b %d, %Y} and {filters.end:%b %d, %Y} "
        f"for this selection. Pick a longer period in the sidebar{hint}; if the period should have data, upload "
        "that period's performance report on the **Data** page.",
        icon=":material/filter_alt_off:",
    )
