"""The sidebar's period and filters, kept in the URL and validated against the data, and the pickers' search."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

import streamlit as st

from analytics.metrics.grouped import (
    Scope,
)
from analytics.metrics.periods import DEFAULT_PRESET, PRESETS, preset_range
from ui.navigation import ensure_entry_script
from ui.queries import data_as_of, data_span, filter_options
from ui.session import data_key

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


def link_dates(start: date | None, end: date | None, first: date, last: date) -> tuple[tuple[date, date], bool]:
    """A custom range from a link, held inside the data's first and last days (a date widget refuses any other):
    missing ends take the data's, a reversed range is put in order. Also whether anything had to change."""
    wanted = (start or first, end or last)
    ordered = (min(wanted), max(wanted))
    held = (min(max(ordered[0], first), last), min(max(ordered[1], first), last))
    return held, held != wanted


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
    span = data_span(data_key())
    assert span is not None
    options = filter_options(data_key())
    url_preset = st.query_params.get("period", DEFAULT_PRESET)
    preset = st.sidebar.selectbox(
        "Period",
        PRESETS,
        index=PRESETS.index(url_preset) if url_preset in PRESETS else PRESETS.index(DEFAULT_PRESET),
        key="filter_period",
        help=f"Periods end on the last day with data ({as_of:%b %d, %Y}).",
    )
    if preset == "Custom range":
        default, clamped = link_dates(_query_date("start"), _query_date("end"), span[0], as_of)
        if clamped:
            st.sidebar.caption("The link's dates lay outside the data; showing the nearest dates there is data for.")
        stored = st.session_state.get("filter_dates")
        if isinstance(stored, tuple) and any(not span[0] <= d <= as_of for d in stored):
            del st.session_state["filter_dates"]  # a range picked before an undo took the data's edge away
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


def current_filters() -> Filters | None:
    """The filters the sidebar set for this run (None when the store holds no data)."""
    ensure_entry_script()
    return st.session_state.get(SCOPE_KEY)


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
