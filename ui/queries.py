"""Engine calls the pages make, cached per database, data version and scope (small keys, small frames)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from analytics.ingest.report_periods import month_without_sales, reports_filed_under, weeks_without_sales
from analytics.metrics import search_lead
from analytics.metrics.campaigns import campaign_pacing, ledger_notes
from analytics.metrics.commission_change import asin_effects, commission_change
from analytics.metrics.events import event_ranges
from analytics.metrics.grouped import (
    DEFAULT_REPEAT_DAYS,
    Scope,
    cohort_rows_inside,
    cohort_rows_left_out,
    data_range,
    days_without_data,
    filter_asins,
    filter_values,
    grouped_metrics,
    order_date_range,
    product_payouts,
    programs,
    selection_start,
    totals,
)
from analytics.metrics.health import program_health
from analytics.metrics.rank_lift import DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS, rank_history, rank_lifts
from analytics.metrics.rates import rate_history, rates_in_force
from analytics.metrics.sales import left_out_rows, period_days, period_metrics, stored_span
from analytics.metrics.sales_lift import sales_lift
from analytics.metrics.titles import asin_titles
from analytics.review import customer_value, rank_review
from analytics.review.insights import Insight, current_findings, revenue_up_rank_flat, top_creators
from analytics.store import database as store
from analytics.store.changes import is_demo
from ui.session import DataKey, cursor, data_key


@st.cache_data(show_spinner=False, max_entries=64)
def data_span(key: DataKey) -> tuple[date, date] | None:
    with cursor() as con:
        return data_range(con)


@st.cache_data(show_spinner=False, max_entries=16)
def filter_options(key: DataKey) -> dict[str, list[str]]:
    """The values each sidebar filter can take."""
    with cursor() as con:
        return filter_values(con)


@st.cache_data(show_spinner=False, max_entries=16)
def asin_options(key: DataKey, product_lines: tuple[str, ...] = ()) -> dict[str, str | None]:
    """The ASINs the sidebar's ASIN filter can take, of the lines chosen beside it (all without), with their
    titles."""
    with cursor() as con:
        return filter_asins(con, product_lines)


@st.cache_data(show_spinner=False, max_entries=16)
def program_options(key: DataKey) -> list[str]:
    """The programs the sidebar's program filter can take."""
    with cursor() as con:
        return programs(con)


@st.cache_data(show_spinner=False, max_entries=64)
def _days_without_data(key: DataKey, start: date, end: date, programs: tuple[str, ...]) -> list[date]:
    with cursor() as con:
        return days_without_data(con, start, end, programs)


def days_without_data_between(start: date, end: date, programs: tuple[str, ...] = ()) -> list[date]:
    """The days from `start` to `end` without any performance row of the `programs` (all when empty;
    `grouped.days_without_data`), cached."""
    return _days_without_data(data_key(), start, end, tuple(programs))


def data_from() -> date | None:
    """The first day with performance data: a comparison reaching before it is cut short."""
    span = data_span(data_key())
    return span[0] if span else None


@st.cache_data(show_spinner=False, max_entries=64)
def _selection_start(key: DataKey, programs: tuple[str, ...], campaigns: tuple[str, ...]) -> tuple[date, str] | None:
    with cursor() as con:
        return selection_start(con, programs, campaigns)


def selection_starts(programs: tuple[str, ...], campaigns: tuple[str, ...]) -> tuple[date, str] | None:
    """The first day the `programs` and `campaigns` chosen can have data, and what starts then
    (`grouped.selection_start`): a comparison reaching before it is cut short."""
    return _selection_start(data_key(), programs, campaigns)


def data_as_of() -> date | None:
    """The last day with performance data: periods are anchored to the data, not to the calendar."""
    span = data_span(data_key())
    return span[1] if span else None


@st.cache_data(show_spinner=False, max_entries=16)
def _weeks_to_offer(key: DataKey, last_day: date) -> list[tuple[date, date]]:
    with cursor() as con:
        return weeks_without_sales(con, last_day)


@st.cache_data(show_spinner=False, max_entries=16)
def _reports_filed_under(key: DataKey, start: date, end: date) -> list[tuple[int, str]]:
    with cursor() as con:
        return reports_filed_under(con, start, end)


def reports_filed_under_period(start: date, end: date) -> list[tuple[int, str]]:
    """The loads whose sales rows hold exactly the period `start` to `end` (`report_periods.reports_filed_under`),
    cached."""
    return _reports_filed_under(data_key(), start, end)


@st.cache_data(show_spinner=False, max_entries=16)
def _month_to_offer(key: DataKey, last_day: date) -> tuple[date, date] | None:
    with cursor() as con:
        return month_without_sales(con, last_day)


def month_to_offer(last_day: date) -> tuple[date, date] | None:
    """The last full month a Business Report's period question lists, when no report shares its days
    (`report_periods.month_without_sales`), cached."""
    return _month_to_offer(data_key(), last_day)


def weeks_to_offer(last_day: date) -> list[tuple[date, date]]:
    """The weeks a Business Report's period question lists, latest first: those no report is loaded for yet
    (`report_periods.weeks_without_sales`), cached."""
    return _weeks_to_offer(data_key(), last_day)


# A Scope as its fields in order (start, end, then the filters), hashable for st.cache_data.
ScopeArgs = tuple[
    date | None, date | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]
]


def _scope_args(scope: Scope) -> ScopeArgs:
    # Small, hashable cache keys: never a DataFrame (see STACK.md on st.cache_data).
    return (scope.start, scope.end, scope.creators, scope.asins, scope.product_lines, scope.campaigns, scope.programs)


@st.cache_data(show_spinner=False, max_entries=256)
def _metrics(
    key: DataKey,
    scope_args: ScopeArgs,
    by: tuple[str, ...],
    names: tuple[str, ...] | None,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
) -> pd.DataFrame:
    with cursor() as con:
        return grouped_metrics(con, Scope(*scope_args), by, names, repeat_days)


@st.cache_data(show_spinner=False, max_entries=256)
def _totals(
    key: DataKey, scope_args: ScopeArgs, names: tuple[str, ...] | None, repeat_days: int = DEFAULT_REPEAT_DAYS
) -> dict[str, object]:
    with cursor() as con:
        return totals(con, Scope(*scope_args), names, repeat_days)


def metrics(
    scope: Scope, by: tuple[str, ...], names: Sequence[str] | None = None, repeat_days: int = DEFAULT_REPEAT_DAYS
) -> pd.DataFrame:
    """The metrics `names` (default: every grouped metric) grouped by `by`, cached per data version and scope;
    `repeat_days` is the R of the R-day repeat rates.

    A table or chart of sales columns alone asks for `SALES_METRICS`: the customer rates cost far more.
    """
    chosen = tuple(names) if names is not None else None
    return _metrics(data_key(), _scope_args(scope), tuple(by), chosen, repeat_days)


def scope_totals(
    scope: Scope, names: Sequence[str] | None = None, repeat_days: int = DEFAULT_REPEAT_DAYS
) -> dict[str, object]:
    """The scope's metrics `names` (default: all) as one dict, cached per data version and scope; `repeat_days` is
    the R of the R-day repeat rates."""
    return _totals(data_key(), _scope_args(scope), tuple(names) if names is not None else None, repeat_days)


def with_matured_repeat(
    totals: dict[str, object], scope: Scope, repeat_days: int, names: Sequence[str] | None = None
) -> tuple[dict[str, object], Scope | None]:
    """`customer_value.with_matured_repeat` of the scope's `totals`, from the cached queries: the latest order day,
    and the matured weeks' metrics `names` (default: all)."""
    return customer_value.with_matured_repeat(
        totals, scope, last_order_day(), repeat_days, lambda weeks: scope_totals(weeks, names, repeat_days)
    )


def last_order_day() -> date | None:
    """The store's last order day, which R-day repeat rates mature against (None without order lines), cached."""
    days = order_days()
    return days[1] if days else None


@st.cache_data(show_spinner=False, max_entries=16)
def _order_days(key: DataKey) -> tuple[date, date] | None:
    with cursor() as con:
        return order_date_range(con)


def order_days() -> tuple[date, date] | None:
    """The first and last day of the store's order lines (None without any), cached."""
    return _order_days(data_key())


@st.cache_data(show_spinner=False, max_entries=64)
def _cohort_rows(key: DataKey, scope_args: ScopeArgs) -> tuple[int, int]:
    scope = Scope(*scope_args)
    with cursor() as con:
        return cohort_rows_inside(con, scope), cohort_rows_left_out(con, scope)


def cohort_rows(scope: Scope) -> tuple[int, int]:
    """How many cohort rows have their period inside the scope's dates (`cohort_rows_inside`), and how many straddle
    its first or last day and are left out (`cohort_rows_left_out`)."""
    return _cohort_rows(data_key(), _scope_args(scope))


@st.cache_data(show_spinner=False, max_entries=16)
def _asin_titles(key: DataKey) -> pd.DataFrame:
    with cursor() as con:
        return asin_titles(con)


def titles() -> pd.DataFrame:
    """Every named ASIN with its title: the catalog's, else another file's (`metrics.titles`), cached."""
    return _asin_titles(data_key())


@st.cache_data(show_spinner=False, max_entries=16)
def _catalog(key: DataKey, as_of: date | None) -> pd.DataFrame:
    with cursor() as con:
        return product_payouts(con, as_of)


def catalog(as_of: date | None = None) -> pd.DataFrame:
    """The products table with price, the rates in force on `as_of` (default: the last day of data) and creator
    payout per sale (`product_payouts`), cached."""
    return _catalog(data_key(), as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _rate_changes(key: DataKey, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    with cursor() as con:
        return rate_history(con, until=as_of), rates_in_force(con, as_of)


def rate_changes(as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each ASIN's rate history up to `as_of` (`rate_history`: a past period's page counts no later change) and its
    rates in force on `as_of` with how long the bonus has stood (`rates_in_force`), cached."""
    return _rate_changes(data_key(), as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _insights(key: DataKey) -> list[Insight]:
    with cursor() as con:
        return current_findings(con)[0]


def insights() -> list[Insight]:
    """`weekly_insights` for the whole program up to the last day of data (`current_findings`), cached per data
    version."""
    return _insights(data_key())


@st.cache_data(show_spinner=False, max_entries=16)
def _outreach(key: DataKey, as_of: date) -> list[str]:
    with cursor() as con:
        return top_creators(con, as_of)


def outreach_targets(as_of: date) -> list[str]:
    """The top 10 creators by attributed revenue over the 90 days ending as_of (`insights.top_creators`)."""
    return _outreach(data_key(), as_of)


def holds_the_sample() -> bool:
    """Whether the store is the demo brand's: filled with the sample data when it was created, whatever has been
    undone since (`changes.is_demo`). Read only for an empty store, so not cached."""
    with cursor() as con:
        return is_demo(con)


@st.cache_data(show_spinner=False, max_entries=8)
def _row_counts(key: DataKey) -> dict[str, int]:
    with cursor() as con:
        return store.row_counts(con)


def row_counts() -> dict[str, int]:
    """Rows in each kind's table."""
    return _row_counts(data_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _loads(key: DataKey) -> pd.DataFrame:
    with cursor() as con:
        return store.list_loads(con)


def loads() -> pd.DataFrame:
    """The load log (`store.list_loads`)."""
    return _loads(data_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _load_history(key: DataKey) -> pd.DataFrame:
    with cursor() as con:
        return store.load_history(con)


def load_history() -> pd.DataFrame:
    """Every load, undone ones too (`store.load_history`)."""
    return _load_history(data_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _ranked_asins(key: DataKey) -> pd.DataFrame:
    with cursor() as con:
        return rank_review.ranked_asins(con)


def ranked_asins() -> pd.DataFrame:
    """The ASINs with keyword ranks, with their labels and activation (`rank_review.ranked_asins`)."""
    return _ranked_asins(data_key())


@st.cache_data(show_spinner=False, max_entries=64)
def _rank_history(key: DataKey, asin: str) -> pd.DataFrame:
    with cursor() as con:
        return rank_history(con, asin)


def asin_rank_history(asin: str) -> pd.DataFrame:
    """Every keyword reading of one ASIN (`rank_lift.rank_history`)."""
    return _rank_history(data_key(), asin)


@st.cache_data(show_spinner="Measuring rank before and after activation…", max_entries=16)
def _lifts(key: DataKey, window_days: int, lag_days: int, exclude_events: bool) -> dict[str, pd.DataFrame]:
    with cursor() as con:
        return rank_lifts(con, window_days, lag_days, exclude_events)


def lift(level: str, window_days: int, lag_days: int, exclude_events: bool = False) -> pd.DataFrame:
    """The rank lift at `level`; a page's three levels come from one measurement (`rank_lifts`). With
    `exclude_events`, the days of the stored events are in no window."""
    return _lifts(data_key(), window_days, lag_days, exclude_events)[level]


@st.cache_data(show_spinner=False, max_entries=8)
def _sales_lift(key: DataKey, window_days: int, lag_days: int) -> pd.DataFrame:
    with cursor() as con:
        return sales_lift(con, window_days, lag_days)


def sales_lifts(window_days: int, lag_days: int) -> pd.DataFrame:
    """Weekly sales before and after activation against the control (`metrics.sales_lift`)."""
    return _sales_lift(data_key(), window_days, lag_days)


@st.cache_data(show_spinner=False, max_entries=16)
def _revenue_up_rank_flat(key: DataKey, as_of: date, window_days: int, lag_days: int) -> list[Insight]:
    measured = lift("asin", window_days, lag_days)  # the page's own table: measured once
    with cursor() as con:
        return revenue_up_rank_flat(con, as_of, rank_window_days=window_days, rank_lag_days=lag_days, lift=measured)


def revenue_up_rank_flat_findings(as_of: date, window_days: int, lag_days: int) -> list[Insight]:
    """Revenue up, rank flat for a window and lag. At the defaults (and the data's last day, which is what the page
    passes) the weekly review already worked it out, and the store keeps its findings."""
    if (window_days, lag_days) == (DEFAULT_WINDOW_DAYS, DEFAULT_LAG_DAYS):
        return [finding for finding in insights() if finding.rule == "revenue_up_rank_flat"]
    return _revenue_up_rank_flat(data_key(), as_of, window_days, lag_days)


@st.cache_data(show_spinner=False, max_entries=8)
def _campaigns(key: DataKey, as_of: date, as_of_words: str, today: date) -> pd.DataFrame:
    with cursor() as con:
        return campaign_pacing(con, as_of, as_of_words, today)


def campaigns(as_of: date, as_of_words: str = "the last day of data") -> pd.DataFrame:
    """Each campaign's spend against budget and pace up to as_of, which the warnings name `as_of_words`
    (`campaigns.campaign_pacing`), cached."""
    # Keyed on the day too: what Amazon's reports still reach moves with the clock, not the data.
    return _campaigns(data_key(), as_of, as_of_words, date.today())


# `_pacing` is `campaigns(as_of)` of the same data version: left out of the cache key (the leading underscore).
@st.cache_data(show_spinner=False, max_entries=8)
def _ledger_notes(key: DataKey, as_of: date, _pacing: pd.DataFrame) -> list[str]:
    with cursor() as con:
        return ledger_notes(con, _pacing, as_of)


def campaign_ledger_notes(as_of: date, as_of_words: str = "the last day of data") -> list[str]:
    """Where the performance reports and the campaign ledger disagree (`campaigns.ledger_notes`), cached."""
    key = data_key()
    return _ledger_notes(key, as_of, _campaigns(key, as_of, as_of_words, date.today()))


@st.cache_data(show_spinner=False, max_entries=8)
def _events(key: DataKey) -> pd.DataFrame:
    with cursor() as con:
        return event_ranges(con)


def events() -> pd.DataFrame:
    """The stored sales events (Prime Day, deal days) that charts shade (`events.event_ranges`)."""
    return _events(data_key())


@st.cache_data(show_spinner=False, max_entries=32)
def _commission_change(
    key: DataKey, by: str | tuple[str, ...], before: tuple[date, date], after: tuple[date, date], scope_args: ScopeArgs
) -> pd.DataFrame:
    with cursor() as con:
        return commission_change(con, by, before, after, Scope(*scope_args))


def commission_changes(
    by: str | tuple[str, ...], before: tuple[date, date], after: tuple[date, date], scope: Scope | None = None
) -> pd.DataFrame:
    """Commission share before and after, and the rate, mix and entry/exit effects (`commission_change`), over the
    rows `scope`'s filters select (its dates are not used: the periods are), by `by` (() for the whole scope)."""
    return _commission_change(data_key(), by, before, after, _scope_args(scope or Scope()))


@st.cache_data(show_spinner=False, max_entries=16)
def _commission_asin_effects(
    key: DataKey, by: str, before: tuple[date, date], after: tuple[date, date], scope_args: ScopeArgs
) -> pd.DataFrame:
    with cursor() as con:
        return asin_effects(con, by, before, after, Scope(*scope_args))


def commission_asin_effects(
    by: str, before: tuple[date, date], after: tuple[date, date], scope: Scope | None = None
) -> pd.DataFrame:
    """Each ASIN's part of its group's commission-share change (`commission_change.asin_effects`), cached."""
    return _commission_asin_effects(data_key(), by, before, after, _scope_args(scope or Scope()))


@st.cache_data(show_spinner=False, max_entries=32)
def _health(key: DataKey, start: date | None, end: date | None, programs: tuple[str, ...]) -> pd.DataFrame:
    with cursor() as con:
        return program_health(con, start, end, programs)


def health(start: date | None, end: date | None, programs: tuple[str, ...] = ()) -> pd.DataFrame:
    """Creators active, new and lapsed per week, and the top five's share, over the `programs` (all when empty)
    (`health.program_health`)."""
    return _health(data_key(), start, end, tuple(programs))


@st.cache_data(show_spinner=False, max_entries=64)
def _sales_metrics(key: DataKey, scope_args: ScopeArgs, by: tuple[str, ...]) -> pd.DataFrame:
    with cursor() as con:
        return period_metrics(con, Scope(*scope_args), by)


def sales_metrics(scope: Scope, by: tuple[str, ...]) -> pd.DataFrame:
    """Total sales, Buy Box, branded search and Brand Analytics repeat rate grouped by `by` (`sales.period_metrics`)."""
    return _sales_metrics(data_key(), _scope_args(scope), tuple(by))


@st.cache_data(show_spinner=False, max_entries=64)
def _left_out(key: DataKey, scope_args: ScopeArgs, by: tuple[str, ...]) -> dict[str, int]:
    with cursor() as con:
        return left_out_rows(con, Scope(*scope_args), by)


def left_out(scope: Scope, by: tuple[str, ...] = ()) -> dict[str, int]:
    """Per period kind, the rows whose period crosses the scope's edges (or a week, by week): left out of it."""
    return _left_out(data_key(), _scope_args(scope), tuple(by))


@st.cache_data(show_spinner=False, max_entries=64)
def _stored_span(key: DataKey, table: str) -> tuple[date, date] | None:
    with cursor() as con:
        return stored_span(con, table)


def stored_period_span(table: str) -> tuple[date, date] | None:
    """The first and last day the stored rows of period kind `table` cover, whatever the period shown."""
    return _stored_span(data_key(), table)


@st.cache_data(show_spinner=False, max_entries=64)
def _period_days(key: DataKey, scope_args: ScopeArgs, table: str) -> tuple[date, date] | None:
    with cursor() as con:
        return period_days(con, Scope(*scope_args), table)


def period_span(scope: Scope, table: str = "sales") -> tuple[date, date] | None:
    """The first and last day of the rows of period kind `table` that count in the scope (`period_days`), or None
    without any."""
    return _period_days(data_key(), _scope_args(scope), table)


@st.cache_data(show_spinner=False, max_entries=32)
def _search_beside_clicks(
    key: DataKey, scope_args: ScopeArgs
) -> tuple[pd.DataFrame, str | None, search_lead.SearchGap | None]:
    with cursor() as con:
        return search_lead.search_beside_clicks(con, Scope(*scope_args))


def search_beside_clicks(scope: Scope) -> tuple[pd.DataFrame, str | None, search_lead.SearchGap | None]:
    """Branded search and creator clicks by week, the sentence on which leads (`search_lead`), and what upload or
    setting is missing when there is no branded search to show."""
    return _search_beside_clicks(data_key(), _scope_args(scope))
