"""Tables with the registry's labels and formats, their downloads, colours and the findings list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from analytics.amounts import currency, prefix
from analytics.contract.kinds import KINDS, UNASSIGNED_PRODUCT_LINE
from analytics.ingest.currency import CURRENCY_CODES
from analytics.metrics.grouped import (
    REGISTRY,
)
from analytics.present.charts import colour_map
from analytics.present.export import POINTS_IN_HUNDREDTHS, download_file_name, frame_to_csv, frame_to_xlsx
from analytics.present.formatting import format_value, percent_figures
from analytics.review.insights import Insight, findings_frame
from analytics.words import plural
from ui.queries import filter_options
from ui.session import current_workspace, data_key
from ui.sidebar import current_filters


def label(metric: str) -> str:
    return REGISTRY[metric].label


def help_text(metric: str) -> str:
    return REGISTRY[metric].description


def show(metric: str, value: object) -> str:
    return format_value(value, REGISTRY[metric].format)


def counted(value: object, noun: str) -> str:
    """A count with its noun, as a sentence writes it: "1 order", "1,204 clicks", "0 orders" when missing."""
    return plural(0 if value is None or pd.isna(value) else int(value), noun)  # type: ignore[call-overload]


def download_name(file_name: str, extension: str, covering: str | None = None, narrowed: Sequence[str] = ()) -> str:
    """`creators.csv` named as `export.download_file_name` names a file, for the brand shown and, unless `covering`
    says what the rows cover, the sidebar's period. `narrowed`: the filter values the rows are narrowed to
    (`Filters.values`)."""
    filters = current_filters()
    brand = current_workspace() if filters is not None else None
    if covering is None and filters is not None:
        covering = dates_covered(filters.start, filters.end)
    named_for = brand.name if brand is not None and not brand.is_demo else None
    return download_file_name(file_name, extension, covering, narrowed, named_for)


def download_about(covering: str | None = None, narrowed: Sequence[str] = ()) -> list[tuple[str, str]]:
    """What an Excel download says of itself on its About sheet: the brand, the days its rows cover (the sidebar's
    period, or `covering` as `download_name` writes it), the sidebar's filters when they narrow its rows (`narrowed`,
    as `download_name` takes it), and the app."""
    filters = current_filters()
    about = [("Brand", current_workspace().name)]
    if covering is not None:
        said = covering.replace("as_of_", "as of ").replace("_vs_", " against ")
        about.append(("Covers", re.sub(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})", r"\1 to \2", said)))
    elif filters is not None:
        about.append(("Covers", f"{filters.start.isoformat()} to {filters.end.isoformat()}"))
    chosen = [f"{name} {', '.join(values)}" for name, values in filters.in_use()] if narrowed and filters else []
    about.append(("Filters", "; ".join(chosen) or "none: every row of the days covered"))
    return [*about, ("Made with", "Creator Lift")]


def _now_words() -> str:
    """The moment a file is written, in UTC as the load log's times are."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def dates_covered(start: date, end: date) -> str:
    """A table's dates as its download's name carries them: "2026-08-16_2026-11-14"."""
    return f"{start.isoformat()}_{end.isoformat()}"


def download(
    frame: pd.DataFrame,
    file_name: str,
    key: str,
    label_text: str = "Download CSV",
    headers: Mapping[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    covering: str | None = None,
    exact: pd.DataFrame | None = None,
    narrowed: Sequence[str] = (),
    about: Sequence[tuple[str, str]] = (),
) -> None:
    """Downloads of exactly what the table shows: CSV with spreadsheet formulas neutralised, and Excel with typed
    cells (numbers, dates and text as they are, every digit kept). The Excel file is headed as the table is
    (`headers`, column -> label), for the person reading it, and its numbers formatted as the registry's metrics are,
    or as `formats` (column -> registry format) says for the others; the CSV keeps the metrics' names, as the
    command line writes them, for the tools that read it. `exact`: the same rows as the CSV writes them, when the
    table shows them otherwise: at full precision where `frame` is rounded so that its parts add up, with the values
    the files use where it shows words ("creator_connections" for "Creator Connections"); the Excel file takes its
    numbers (formatted, it shows them as the table rounds them) and the table's words.
    `covering` and `narrowed` go into the files' names (`download_name`); `about`, lines for the Excel file's About
    sheet after those `download_about` writes.

    The files are written when a button is clicked, not on every rerun: tens of milliseconds per table of
    thousands of rows, for files most reruns never send. The click does not rerun the page: the rerun would
    register the button's file anew while the browser asks for the one it clicked, and the download would fail.
    """
    formats = {name: REGISTRY[name].format for name in frame.columns if name in REGISTRY} | dict(formats or {})
    shown_in = currency()  # the file is written on another thread, after this run: the brand's currency goes with it
    amounts_in = (
        CURRENCY_CODES.get(shown_in, shown_in)
        if "money" in formats.values() and "currency" not in frame.columns
        else None
    )
    buttons = st.container(horizontal=True, gap="small")
    buttons.download_button(
        label_text,
        lambda: frame_to_csv(frame if exact is None else exact, escape_formulas=True, currency=amounts_in),
        file_name=download_name(file_name, "csv", covering, narrowed),
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )
    about = [*download_about(covering, narrowed), *about]
    read = frame if exact is None else with_exact_numbers(exact, frame)
    buttons.download_button(
        "Excel",
        lambda: frame_to_xlsx(
            read, formats, headers=headers, currency=shown_in, about=[*about, ("Written", _now_words())]
        ),
        file_name=download_name(file_name, "xlsx", covering, narrowed),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/table_view:",
        on_click="ignore",
    )


def with_exact_numbers(exact: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """The rows `shown`, their number columns at `exact`'s full precision (the same rows, in the same order)."""
    numbers = [c for c in shown.columns if c in exact.columns and pd.api.types.is_float_dtype(exact[c])]
    return shown.assign(**{c: exact[c].to_numpy() for c in numbers})


DIMENSION_LABELS = {
    "creator": "Creator",
    "asin": "ASIN",
    "product_line": "Product line",
    "campaign": "Campaign",
    "program": "Program",
    "title": "Product",
}


# Streamlit's number formats by registry format. No `step` on money and percent: Streamlit cuts the digits a step
# drops instead of rounding them (0.29956 with step 0.001 shows 29.9%, where the KPI cards show 30.0%). Amounts
# take the brand's currency (`_money_format`), to the cent; percent columns are written by `show_table` itself (see
# `_percents_like_cards`).
_NUMBER_COLUMNS: dict[str, dict[str, Any]] = {
    "percent": {"format": "percent"},
    "count": {"format": "localized", "step": 1},
    "rank": {"format": "%.1f"},
    "rank_change": {"format": "%+.1f"},
    "points": {"format": "percent"},  # written as signed points by `show_table` (see `_percents_like_cards`)
}


# Streamlit's own formats of the currencies it knows; any other is written before a number with separators.
_CURRENCY_FORMATS = {"$": "dollar", "€": "euro", "¥": "yen"}


def _money_format() -> str:
    """How a table shows an amount in the brand's currency (`amounts.currency`): "$1,234.56", "£1,234.56"."""
    return _CURRENCY_FORMATS.get(currency(), prefix().replace("%", "%%") + "%,.2f")


def number_column(fmt: str, label_text: str, help_text_: str | None = None) -> Any:
    """A sortable number column shown in one of the registry's formats ($1,234.56, 12.3%, 1,234)."""
    shown = {"format": _money_format()} if fmt == "money" else _NUMBER_COLUMNS.get(fmt, {})
    return st.column_config.NumberColumn(label_text, help=help_text_, **shown)


# The contract's rate columns: what a file states, not a ratio worked out from it.
_INPUT_RATES = frozenset(column.name for kind in KINDS.values() for column in kind.columns if column.type == "rate")
# The registry format of a number column by how Streamlit shows it: the Excel download formats its cells alike.
_SHOWN_AS = {"percent": "percent", "localized": "count", "%.1f": "rank", "%+.1f": "rank_change"}


def shown_formats(config: Mapping[str, Any]) -> dict[str, str]:
    """The registry format of each number column of a table's `config` that shows one: a page's own columns
    (catalog prices, rates) get their Excel formats from how the table shows them."""
    formats = {}
    for name, column in config.items():
        shown = (column.get("type_config") or {}).get("format") if isinstance(column, dict) else None
        if shown == _money_format():
            formats[name] = "money"
        elif shown in _SHOWN_AS:
            points = name in REGISTRY and REGISTRY[name].format == "points"
            formats[name] = "points" if points else _SHOWN_AS[shown]
            # A rate the files give (a catalog's bonus, the Buy Box) is an input, kept to the digit; a share a page
            # works out (a top ASIN's) is rounded as the table shows it, as the registry's ratios are.
            if formats[name] == "percent" and name in _INPUT_RATES:
                formats[name] = "rate"
    return formats


def metric_columns_over(names: Iterable[str], days: tuple[date, date] | None) -> dict[str, Any]:
    """The registry's metrics `names` headed with the `days` they are over ("Total revenue, Nov 15 – Nov 21"), for a
    table whose other columns cover other days (a week's Business Report beside a month's attributed sales); none
    when `days` is None."""
    if days is None:
        return {}
    over = f"{days[0]:%b %-d} – {days[1]:%b %-d}" if days[0] != days[1] else f"{days[0]:%b %-d}"
    return {
        name: number_column(REGISTRY[name].format, f"{REGISTRY[name].label}, {over}", REGISTRY[name].description)
        for name in names
        if name in REGISTRY
    }


def table_columns(frame: pd.DataFrame, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Column labels, formats and hover help for a table: metrics from the registry, dimensions by name.

    `extra` adds or overrides columns the registry does not know (a page's own flags, catalog prices).
    """
    config: dict[str, Any] = {}
    for name in frame.columns:
        if name in REGISTRY and REGISTRY[name].format == "text":
            config[name] = st.column_config.TextColumn(REGISTRY[name].label, help=REGISTRY[name].description)
        elif name in REGISTRY:
            metric = REGISTRY[name]
            config[name] = number_column(metric.format, metric.label, metric.description)
        elif name in DIMENSION_LABELS:
            # The product's name stays in view when a wide table is scrolled sideways.
            pinned = name == "title"
            config[name] = st.column_config.TextColumn(
                DIMENSION_LABELS[name], pinned=True if pinned else None, width="medium" if pinned else None
            )
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
    covering: str | None = None,
    exact: pd.DataFrame | None = None,
    narrowed: Sequence[str] = (),
    point_decimals: int = 1,
    about: Sequence[tuple[str, str]] = (),
) -> None:
    """A sortable, formatted table with its own safe CSV download of the same rows and columns.

    `columns` picks and orders the columns shown (default: every column this module or `extra` knows). `covering`
    names what the rows cover in the download's name when it is not the sidebar's period (`dates_covered`), and
    `narrowed` the filter values they are narrowed to (`Filters.values`; only for rows the sidebar's filters
    narrow).
    `exact`: the same rows and columns as the CSV download writes them (`download`). `point_decimals`: the decimals
    its changes in points are written to (+0.06 pts where tenths would misstate a part: `effects_that_add_up`).
    `about`: more (label, sentence) lines for the Excel file's About sheet, what the page says of the rows beside
    the table (the days its sales columns cover).
    """
    config = table_columns(frame, extra)
    shown = list(columns) if columns is not None else [c for c in frame.columns if c in config]
    formats = shown_formats(config)
    if point_decimals == 2:  # the Excel cells read as the table does
        formats = {name: POINTS_IN_HUNDREDTHS if fmt == "points" else fmt for name, fmt in formats.items()}
    data, config = _percents_like_cards(frame, config, point_decimals)
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
    labels = {
        name: column["label"] for name, column in config.items() if isinstance(column, dict) and column.get("label")
    }
    download(
        frame[shown],
        file_name,
        key=f"{key}_download",
        headers=labels,
        formats=formats,
        covering=covering,
        exact=None if exact is None else exact[shown],
        narrowed=narrowed,
        about=about,
    )


def _percents_like_cards(
    frame: pd.DataFrame, config: dict[str, Any], point_decimals: int = 1
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Percent columns written as the KPI cards write them (12.3%, one decimal, rounded), still sorted as numbers;
    changes in points to `point_decimals`.

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
    # A change of a percent (the registry's "points") reads as the Overview writes one: +2.8 pts.
    points = {name for name in percent if name in REGISTRY and REGISTRY[name].format == "points"}
    figures = {
        name: (pd.to_numeric(frame[name], errors="coerce") * 100).round(point_decimals)
        if name in points and point_decimals != 1
        else percent_figures(frame[name])
        for name in percent
    }
    written = {name: f"%+.{point_decimals}f pts" if name in points else "%.1f%%" for name in percent}
    shown = {
        name: {**config[name], "type_config": {**config[name]["type_config"], "format": written[name]}}
        for name in percent
    }
    return frame.assign(**figures), {**config, **shown}


def colours(dimension: str) -> dict[str, str]:
    """The colour of every creator or product line in the store, the same on every page whatever the filters.

    Products missing from the catalog ("Unassigned") are grey: they are not one of the brand's lines.
    """
    mapping = colour_map(filter_options(data_key())[dimension])
    if dimension == "product_line" and UNASSIGNED_PRODUCT_LINE in mapping:
        mapping[UNASSIGNED_PRODUCT_LINE] = UNASSIGNED_COLOUR
    return mapping


UNASSIGNED_COLOUR = "#ADB5BD"


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
# Opened, the list draws this many more as cards, whole and with their links, above the table of them all.
MORE_CARDS = 20


def show_all_findings(
    found: list[Insight],
    key: str,
    file_name: str,
    card: Callable[[int, Insight], None] | None = None,
    covering: str | None = None,
    warnings: pd.DataFrame | None = None,
) -> None:
    """When there are more findings than cards, every finding in one table with its download; with `card` (the
    page's drawing of one finding), the next MORE_CARDS drawn whole above it first, since a table cuts a sentence.
    `covering` names the download's days when they are not the sidebar's (`download_name`). `warnings` (rows as
    `findings_frame` gives them: the campaign warnings drawn above the findings) lead the table, so that its
    download holds everything the page warns of."""
    if len(found) <= FINDING_CARDS:
        return
    listing = st.expander(
        # Counted against the findings' own cards: campaign warnings may stand above them too.
        f"All {len(found):,} findings, {len(found) - FINDING_CARDS:,} more than the {FINDING_CARDS} above",
        key=f"{key}_open",
        on_change="rerun",
    )
    if not listing.open:
        return  # thousands of findings are a megabyte of text: sent only when the user opens the list
    warnings = warnings if warnings is not None else pd.DataFrame()
    warned = not warnings.empty
    with listing:
        if card is not None:
            more = found[FINDING_CARDS : FINDING_CARDS + MORE_CARDS]
            for index, insight in enumerate(more, start=FINDING_CARDS):
                card(index, insight)
            led = f" and the {len(warnings):,} campaign warnings above" if warned else ""
            st.caption(f"All {len(found):,} findings{led}, sortable, with a download:")
        show_table(
            pd.concat([warnings, findings_frame(found)], ignore_index=True) if warned else findings_frame(found),
            key=key,
            file_name=file_name,
            covering=covering,
            extra={
                "severity": st.column_config.TextColumn("Severity"),
                "finding": st.column_config.TextColumn("Finding", width="large"),
                "action": st.column_config.TextColumn("What to do", width="large"),
                "subject": st.column_config.TextColumn("About"),
            },
        )
