"""The sidebar's period and filters, kept in the URL and validated against the data, and the pickers' search."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

import streamlit as st

from analytics.contract.kinds import program_label
from analytics.metrics.grouped import (
    Scope,
)
from analytics.metrics.periods import (
    COMPARISONS,
    DEFAULT_COMPARISON,
    DEFAULT_PRESET,
    PRESETS,
    YEAR_TO_DATE,
    comparison_period,
    default_comparison,
    preset_range,
)
from analytics.words import range_words
from ui.literal import md
from ui.navigation import ensure_entry_script
from ui.queries import asin_options, data_as_of, data_span, filter_options, holds_the_sample, program_options
from ui.session import BRAND_PARAM, data_key, shown_brand

SCOPE_KEY = "scope"


# URL parameters the sidebar owns; any other (a page's `focus`) is left in place when the sidebar rewrites the URL.
FILTER_PARAMS = ("period", "start", "end", "compare", "program", "line", "asin", "creator", "campaign")
# The link's name for the Campaigns page's day its budgets stand on (`?as_of=2026-10-31`) when it is not the last
# day of data: a day of one brand's data, dropped with its dates when another brand is picked.
AS_OF_PARAM = "as_of"
# The link's name for the repeat window (`?repeat=30`, `ui.settings`), kept only when it is not the default; links
# to other pages carry it with the filters.
REPEAT_PARAM = "repeat"

CUSTOM_RANGE = "Custom range"
# The period picker's key in the session.
PERIOD_KEY = "filter_period"
COMPARE_KEY = "filter_compare"
# Set while the comparison is the one Year to date chose for itself, which leaving it undoes.
_YEAR_CHOSEN_KEY = "filter_compare_chosen_by_year_to_date"
# A product's title is cut to this many characters in the ASIN filter, after its ASIN.
ASIN_TITLE_CHARS = 40


# Past this many values a sidebar filter lists those matching a search box rather than all of them: the browser
# pays for every option on every page (about 0.2 s for a brand's 9,000 creators, measured on the Creators page).
LISTED_OPTIONS_MAX = 1_000


SEARCH_MATCHES_SHOWN = 100


FOCUS_PARAM = "focus"
# Beside `focus`, that a finding's link opened the page (`?from=finding`): the page shows the creator it names first.
FROM_PARAM, FROM_FINDING = "from", "finding"
# That a link's dates replace the period the session had, once, as the page opens: written by the findings' links
# before the URL led whenever it differs from what the page last wrote (`_url_leads`), which a finding's link
# does; still read, so that such a link kept in a bookmark or a sent review opens as it did.
DAYS_PARAM = "days"
# The brand and sidebar parameters the page last wrote into the URL (`_url_leads`).
_WRITTEN_KEY = "filters_written"


@dataclass(frozen=True)
class Filters:
    preset: str
    start: date
    end: date
    product_lines: tuple[str, ...]
    creators: tuple[str, ...]
    campaigns: tuple[str, ...]
    asins: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    # What the period is compared with: a key of `periods.COMPARISONS`.
    comparison: str = DEFAULT_COMPARISON
    # A preset whose dates the link holds, so it shows the same days however much newer data arrives.
    pinned: bool = False

    def scope(self, start: date | None = None, end: date | None = None) -> Scope:
        return Scope(
            start or self.start,
            end or self.end,
            creators=self.creators,
            asins=self.asins,
            product_lines=self.product_lines,
            campaigns=self.campaigns,
            programs=self.programs,
        )

    def compared(self) -> tuple[date, date]:
        """The period the selected one is compared with (the sidebar's "Compare with")."""
        return comparison_period(self.start, self.end, self.comparison)

    def values(self) -> tuple[str, ...]:
        """The values the filters narrow to, programs first, as a file's name carries them."""
        return (*self.programs, *self.product_lines, *self.creators, *self.campaigns, *self.asins)

    def in_use(self) -> list[tuple[str, tuple[str, ...]]]:
        """The filters in use, each named in words ("product line", "ASIN") with its values."""
        return [
            (name, values)
            for name, values in (
                ("program", self.programs),
                ("product line", self.product_lines),
                ("ASIN", self.asins),
                ("creator", self.creators),
                ("campaign", self.campaigns),
            )
            if values
        ]

    def narrowed(self) -> list[str]:
        """The filters in use, as words, for a page to say which to clear."""
        return [name for name, _ in self.in_use()]


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
    """The shared sidebar: period preset or custom range, what it is compared with, and the program, product line,
    ASIN, creator and campaign filters, kept in the URL."""
    as_of = data_as_of()
    if as_of is None:
        st.session_state[SCOPE_KEY] = None  # a store emptied mid-session must not keep the old filters
        # The period and comparison boxes are not drawn here, and Streamlit drops the value of a widget a run does not
        # draw: written back, they hold for the next brand with data (an agency setting up a new brand keeps its week).
        for kept in (PERIOD_KEY, COMPARE_KEY):
            if kept in st.session_state:
                st.session_state[kept] = st.session_state[kept]
        _write_query_params(None)
        # An emptied demo brand is filled again, not uploaded to (its notice sends a brand's own files elsewhere).
        st.sidebar.info(
            "No data yet. **Start over** on the **Data** page fills the demo brand again."
            if holds_the_sample()
            # Other files may be in already (a Business Report first): what the review waits for is this one.
            else "No performance data yet. Upload your Creator Connections performance report on the **Data** page."
        )
        return None
    span = data_span(data_key())
    assert span is not None
    options = filter_options(data_key())
    url_preset = st.query_params.get("period", DEFAULT_PRESET)
    # The link's period on a session's first run; the session's own after that (a notice may set it, `PERIOD_KEY`),
    # unless the URL changed under the page (Back, Forward, a finding's link).
    if PERIOD_KEY not in st.session_state:
        st.session_state[PERIOD_KEY] = url_preset if url_preset in PRESETS else DEFAULT_PRESET
    from_url = _url_leads()
    if from_url:
        _take_the_urls_period(span[0], as_of)
    preset = st.sidebar.selectbox(
        "Period",
        PRESETS,
        key=PERIOD_KEY,
        on_change=_compare_year_to_date_with_last_year,
        help=f"Last 90 days and Year to date end on the last day with data ({as_of:%b %-d, %Y}); the week periods "
        "are whole weeks, Sunday to Saturday, ending on the last Saturday on or before it; Last full month is the "
        "last calendar month that ends on or before it, compared with the month before.",
    )
    pinned = False
    if preset == CUSTOM_RANGE:
        start, end = _query_date("start"), _query_date("end")
        shown = st.session_state.get(SCOPE_KEY)
        if (start is None or end is None) and "filter_dates" not in st.session_state and isinstance(shown, Filters):
            # Chosen after a preset: the range starts on the days that preset showed (last month, to narrow or
            # widen), not on the whole of the data, which every page would first work out.
            start, end = shown.start, shown.end
        default, clamped = link_dates(start, end, span[0], as_of)
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
        (start, end), pinned = _preset_dates(preset, url_preset, span[0], as_of)
    comparison = _comparison_choice(preset)
    program_values = program_options(data_key())
    # With one program there is nothing to choose: the filter shows once a second program's data is loaded.
    programs = (
        _filter_choice("Program", program_values, "program", "All programs", program_label, from_url=from_url)
        if len(program_values) > 1
        else ()
    )
    product_lines = _filter_choice(
        "Product line", options["product_line"], "line", "All product lines", from_url=from_url
    )
    # The lines picked narrow the list; an ASIN picked before them keeps its place, and its title.
    titles = asin_options(data_key())
    asins = _filter_choice(
        "ASIN",
        list(asin_options(data_key(), product_lines)),
        "asin",
        "All ASINs",
        lambda asin: asin_label(asin, titles.get(asin)),
        noun="product",
        from_url=from_url,
    )
    creators = _filter_choice("Creator", options["creator"], "creator", "All creators", from_url=from_url)
    campaigns = _filter_choice("Campaign", options["campaign"], "campaign", "All campaigns", from_url=from_url)
    filters = Filters(preset, start, end, product_lines, creators, campaigns, asins, programs, comparison, pinned)
    _write_query_params(filters)
    st.session_state[SCOPE_KEY] = filters
    return filters


def _url_state() -> dict[str, list[str]]:
    """The brand and the sidebar's parameters as the URL holds them."""
    return {k: st.query_params.get_all(k) for k in (BRAND_PARAM, *FILTER_PARAMS) if k in st.query_params}


def _url_leads() -> bool:
    """Whether the URL's period and filters replace the session's this run: the session's own choices win over the
    URL once it has made them, except when the URL changed under the page. Back and Forward bring back an address
    the page wrote earlier (`_write_query_params` keeps the last one it wrote), and so does a finding's link, whose
    days differ from the period shown. Streamlit's own menu (on a phone) opens a page with no parameters at all,
    which the session then fills."""
    if st.query_params.get(DAYS_PARAM) is not None:
        return True
    if "period" not in st.query_params:
        return False
    # Nothing written since the filters were last drawn (another brand, the Data page): an address holding them was
    # brought back, and it leads, as Back to the brand before a switch must restore that brand's filters.
    written = st.session_state.get(_WRITTEN_KEY)
    return written is None or _url_state() != written


def _take_the_urls_period(first: date, as_of: date) -> None:
    """Set the period, its dates, whether the link holds them and the comparison as the URL says, before their
    widgets are drawn (each filter takes its values in `_filter_choice`). An older link's marker (`DAYS_PARAM`)
    leaves the URL with the run's one change to it (`_write_query_params`), so that the person's next change holds."""
    preset = st.query_params.get("period", DEFAULT_PRESET)
    preset = preset if preset in PRESETS else DEFAULT_PRESET
    start, end = _query_date("start"), _query_date("end")
    st.session_state[PERIOD_KEY] = preset
    if preset == CUSTOM_RANGE:
        st.session_state["filter_dates"] = link_dates(start, end, first, as_of)[0]
    else:
        st.session_state.pop("filter_dates", None)  # drawn only for a custom range
        st.session_state["filter_pin_dates"] = start is not None and end is not None
    compare = st.query_params.get("compare", default_comparison(preset))
    st.session_state[COMPARE_KEY] = compare if compare in COMPARISONS else default_comparison(preset)


def asin_label(asin: str, title: str | None) -> str:
    """An ASIN as the ASIN filter lists it: the ASIN, then the start of its title (`metrics.titles`)."""
    if not title:
        return asin
    cut = title if len(title) <= ASIN_TITLE_CHARS else title[: ASIN_TITLE_CHARS - 1].rstrip() + "…"
    return f"{asin} · {cut}"


def _preset_dates(preset: str, url_preset: str, first: date, as_of: date) -> tuple[tuple[date, date], bool]:
    """A preset's dates, and whether the link holds them. By default a preset moves with the data (a link to "Last
    4 weeks" shows the latest 4 weeks); with "Link to these dates" on, the URL keeps the start and end it had, so
    the link shows the same days whatever is loaded later."""
    moving = preset_range(preset, as_of)
    from_link = _query_date("start"), _query_date("end")
    linked = url_preset == preset and None not in from_link
    pin = st.sidebar.toggle(
        "Link to these dates",
        value=linked,
        key="filter_pin_dates",
        help="On: the page's link keeps this period's start and end, so whoever opens it later sees these same days, "
        "even after newer data is loaded. Off: the link says the period's name, and its dates move with the data.",
    )
    if not pin:
        st.sidebar.caption(range_words(*moving))
        return moving, False
    if not linked:
        st.sidebar.caption(f"{range_words(*moving)}, held in the link")
        return moving, True
    held, clamped = link_dates(from_link[0], from_link[1], first, as_of)
    note = f"{range_words(*held)}, held in the link"
    if clamped:
        note += "; the link's dates lay outside the data, so these are the nearest there is data for"
    elif held != moving:
        note += f" ({preset} is now {range_words(*moving)})"
    st.sidebar.caption(note + ".")
    return held, True


def _compare_year_to_date_with_last_year() -> None:
    """Year to date is compared with the same days a year earlier when it is chosen: the days just before it are most
    of the year before, which no one compares a year's start with. Leaving it for another period goes back to the
    days just before, unless the comparison was changed meanwhile."""
    chosen = st.session_state.get(PERIOD_KEY)
    if chosen == YEAR_TO_DATE and st.session_state.get(COMPARE_KEY, DEFAULT_COMPARISON) == DEFAULT_COMPARISON:
        st.session_state[COMPARE_KEY] = "year"
        st.session_state[_YEAR_CHOSEN_KEY] = True
    elif (
        chosen != YEAR_TO_DATE
        and st.session_state.pop(_YEAR_CHOSEN_KEY, False)  # forgotten on leaving, whatever the comparison is now
        and st.session_state.get(COMPARE_KEY) == "year"
    ):
        st.session_state[COMPARE_KEY] = DEFAULT_COMPARISON


def _comparison_choice(preset: str) -> str:
    """What the period is compared with: the days just before it, or the same days a year earlier (`compare`; when
    the link names none, what `preset` is compared with by default)."""
    url_value = st.query_params.get("compare", default_comparison(preset))
    keys = list(COMPARISONS)
    return str(
        st.sidebar.selectbox(
            "Compare with",
            keys,
            index=keys.index(url_value) if url_value in keys else keys.index(DEFAULT_COMPARISON),
            format_func=COMPARISONS.__getitem__,
            key=COMPARE_KEY,
            on_change=lambda: st.session_state.pop(_YEAR_CHOSEN_KEY, None),  # the person's own choice from here on
            help="What the changes on the cards are measured against: the period of the same length just before, "
            "or the same dates a year earlier (whole weeks go back 52 weeks, so weekdays line up). Year to date is "
            "compared with the same dates a year earlier when you choose it.",
        )
    )


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


def focus_selectbox(
    label: str,
    values: Sequence[str],
    key: str,
    noun: str,
    opens_on: str | None,
    format_func: Callable[[str], str],
    help: str,
    text_of: Callable[[str], str] | None = None,
    where: Any = st,
) -> str:
    """A page's focus: a selectbox of `values` (`key`) showing the URL's `focus`, else `opens_on` (else the first
    value), kept in the URL when it is not that (`set_focus`); past LISTED_OPTIONS_MAX values, with a search box
    above it (`searched_options`) that always keeps the value shown.

    Led by the URL (`led_by_the_url`): kept in the session, a creator the page opened on stayed after a change of
    period made another the first, and went into the URL as a second history step for the one change."""
    first = opens_on if opens_on in values else (values[0] if values else None)
    on_change = led_by_the_url(key, focus_from_url(list(values)) or first)
    current = st.session_state.get(key)
    listed = searched_options(
        values, f"{key}_search", noun, keep=[current] if current else [], text_of=text_of, where=where
    )
    value = where.selectbox(label, listed, format_func=format_func, key=key, help=help, on_change=on_change)
    set_focus(value, default=first)
    return value


def led_by_the_url(key: str, value: Any) -> Callable[[], None]:
    """Set a page's widget `key` to `value`, what the URL says it shows, before it is drawn, unless the person
    changed it in this very run; returns the widget's `on_change`, which marks such a change.

    The URL holds the view: Back and Forward bring back what it said, a link opens on it, and the page writes into
    it only what the person changed, one history step each. (Draw the widget without a default of its own: the
    value is set here.)"""
    picked = f"{key}_picked"
    if not st.session_state.pop(picked, False):
        st.session_state[key] = value
    return lambda: st.session_state.__setitem__(picked, True)


def _filter_choice(
    label: str,
    values: list[str],
    param: str,
    placeholder: str,
    format_func: Callable[[str], str] | None = None,
    noun: str | None = None,
    from_url: bool = False,
) -> tuple[str, ...]:
    """One sidebar filter: a multiselect of its values (past LISTED_OPTIONS_MAX, of those its search finds and
    those picked), its default from the URL, whose values replace the session's when `from_url` (`_url_leads`);
    `format_func` names a value as the list shows it (and the search reads)."""
    key = f"filter_{param}"
    default = _query_list(param, values)
    if from_url:
        st.session_state[key] = default
    if key not in st.session_state or from_url:
        # A link naming what this brand does not have (another brand's creator, a misspelt name) would otherwise
        # show the whole brand without a word: it is said under the filter until a value is picked there.
        st.session_state[f"{key}_not_found"] = [v for v in st.query_params.get_all(param) if v not in values]
    picked = st.session_state.get(key, default)
    listed = searched_options(
        values, f"{key}_search", noun or label.lower(), keep=picked, text_of=format_func, where=st.sidebar
    )
    # The URL may still name a value just removed (it is rewritten after this run): a default must be listed.
    shown_default = [v for v in default if v in listed]
    chosen = tuple(
        st.sidebar.multiselect(
            label,
            listed,
            # The session's own choice once it has one (set too when another brand is shown): the URL's before.
            default=None if key in st.session_state else shown_default,
            key=key,
            placeholder=placeholder,
            format_func=format_func or str,
        )
    )
    not_found = st.session_state.get(f"{key}_not_found") or []
    if not_found and not chosen:
        names = md(", ".join(f"'{value}'" for value in not_found))
        what = noun or label.lower()
        st.sidebar.caption(
            f"The link's {what} {names} {'is' if len(not_found) == 1 else 'are'} not in this brand's data, so every "
            f"{what} is shown."
        )
    return chosen


# The filters naming one brand's creators, lines, ASINs, campaigns and programs (`_filter_choice`'s keys).
_NAMED_FILTERS = ("program", "line", "asin", "creator", "campaign")


def forget_brand_filters(brand: str) -> None:
    """Clear what names one brand's values before `brand` is shown: its filters, their searches and a custom range
    of its days (then the default period), and write `brand`'s address without them. The period and comparison are
    kept.

    Set to their empty values rather than removed: a widget whose state is removed is drawn again from its default,
    but the browser keeps showing, and later sends back, what it had."""
    for param in _NAMED_FILTERS:
        st.session_state[f"filter_{param}"] = []
        st.session_state[f"filter_{param}_search"] = ""
        st.session_state.pop(f"filter_{param}_not_found", None)
    custom = st.session_state.get(PERIOD_KEY, st.query_params.get("period")) == CUSTOM_RANGE
    if custom:
        st.session_state[PERIOD_KEY] = DEFAULT_PRESET
    st.session_state.pop("filter_dates", None)  # drawn only for a custom range, which is gone
    st.session_state["filter_pin_dates"] = False
    st.session_state[_WRITTEN_KEY] = None  # the URL is left without them: the session's choices lead
    # The address of `brand` without them, written once: each change of the URL is a step in the browser's history,
    # and a step per parameter left Back from the new brand on a half-changed address of it.
    dropped = (*_NAMED_FILTERS, "start", "end", FOCUS_PARAM, AS_OF_PARAM)
    kept = {k: st.query_params.get_all(k) for k in st.query_params if k not in dropped and k != BRAND_PARAM}
    st.query_params.from_dict({BRAND_PARAM: brand, **kept, **({"period": DEFAULT_PRESET} if custom else {})})


def period_params(start: date, end: date) -> dict[str, str]:
    """The URL parameters that open a page on the days `start` to `end`, compared with as many days just before.

    They differ from what the page last wrote, so the page takes them (`_url_leads`) without writing its address
    again: Back from it is one step, to the page the link was on."""
    # Without `compare`: the default comparison, which the page leaves out of its address (`_write_query_params`).
    return {"period": CUSTOM_RANGE, "start": start.isoformat(), "end": end.isoformat()}


def link_params(unfiltered: bool = False, **extra: str) -> dict[str, list[str]]:
    """This view's brand, period and filters as a link to another page carries them, with `extra` on top: a link
    opened in a new tab, or copied, shows what a click in this one does. `unfiltered` leaves out the filters naming
    programs, lines, ASINs, creators and campaigns: a finding over the whole program opens on all of them, where its
    subject is."""
    kept: tuple[str, ...] = (BRAND_PARAM, *FILTER_PARAMS, REPEAT_PARAM)
    if unfiltered:
        kept = tuple(k for k in kept if k not in _NAMED_FILTERS)
    if "period" in extra:
        # The link's days are compared with as many days just before (`period_params`), whatever this view compares.
        kept = tuple(k for k in kept if k != "compare")
    params = {k: st.query_params.get_all(k) for k in kept if k in st.query_params}
    return params | {k: [v] for k, v in extra.items()}


def _write_query_params(filters: Filters | None) -> None:
    """Put the brand shown and `filters` in the URL, in one change: each change is a step in the browser's history,
    and Back to a step the page then completes (the brand without the period) stays on the page."""
    brand = shown_brand()
    wanted: dict[str, str | list[str]] = {BRAND_PARAM: brand} if brand else {}
    current: dict[str, str | list[str]] = {k: st.query_params.get_all(k) for k in st.query_params}
    if filters is None:
        st.session_state[_WRITTEN_KEY] = None  # no filters drawn: the next run's session has none to keep
        if brand and current.get(BRAND_PARAM) != [brand]:
            st.query_params.from_dict(current | wanted)
        return
    wanted["period"] = filters.preset
    if filters.preset == CUSTOM_RANGE or filters.pinned:
        wanted["start"] = filters.start.isoformat()
        wanted["end"] = filters.end.isoformat()
    if filters.comparison != default_comparison(filters.preset):  # a link without it compares as the preset does
        wanted["compare"] = filters.comparison
    for param, values in (
        ("program", filters.programs),
        ("line", filters.product_lines),
        ("asin", filters.asins),
        ("creator", filters.creators),
        ("campaign", filters.campaigns),
    ):
        if values:
            wanted[param] = list(values)
    wanted.update({k: v for k, v in current.items() if k not in wanted and k not in (*FILTER_PARAMS, DAYS_PARAM)})
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)
    st.session_state[_WRITTEN_KEY] = _url_state()


def current_filters() -> Filters | None:
    """The filters the sidebar set for this run (None when the store holds no data)."""
    ensure_entry_script()
    return st.session_state.get(SCOPE_KEY)


def focus_from_url(options: list[str]) -> str | None:
    """The `focus` URL parameter (set by an insight's link) when it names one of the options."""
    value = st.query_params.get(FOCUS_PARAM)
    return value if value in options else None


def linked_focus(options: list[str]) -> str | None:
    """The focus a finding's link opened the page on (`FROM_PARAM`), when it names one of the options."""
    return focus_from_url(options) if st.query_params.get(FROM_PARAM) == FROM_FINDING else None


def set_focus(value: str | None, default: str | None = None) -> None:
    """Keep the page's selected creator, ASIN or product line in the URL, so the view can be shared; not `default`,
    the one the page opens on without it: written in, it was a step in the browser's history that Back landed on
    and the page wrote again, so Back stayed on the page."""
    if value is None or value == default:
        st.query_params.pop(FOCUS_PARAM, None)
    elif st.query_params.get(FOCUS_PARAM) != value:
        st.query_params[FOCUS_PARAM] = value


def days_from_url(param: str, default: int, lowest: int, highest: int) -> int:
    """A page's day count as a shared link gives it (`?window=14`), within its bounds; `default` when absent."""
    text = st.query_params.get(param, "")
    return min(max(int(text), lowest), highest) if text.isdigit() else default


def day_from_url(param: str, default: date, lowest: date, highest: date) -> date:
    """A page's day as a shared link gives it (`?as_of=2026-10-31`), within its bounds; `default` when absent or
    not a day."""
    day = _query_date(param)
    return default if day is None else min(max(day, lowest), highest)


def keep_in_url(param: str, value: int | date, default: int | date) -> None:
    """Keep a page's day count or day in the URL when it is not the default, so a shared link shows the same
    figures."""
    if value == default:
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)
