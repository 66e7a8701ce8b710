"""The weekly review as one self-contained file: the Overview's cards, trend, findings and tables, to send on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics.amounts import amounts_in
from analytics.contract.kinds import KINDS
from analytics.ingest.currency import store_currency
from analytics.metrics import search_lead
from analytics.metrics.campaigns import campaign_pacing, ledger_notes
from analytics.metrics.commission_change import commission_change
from analytics.metrics.events import event_ranges
from analytics.metrics.grouped import (
    BASELINE_METRICS,
    DEFAULT_REPEAT_DAYS,
    REGISTRY,
    SALES_METRICS,
    UNLISTED,
    WITHOUT_BASELINES,
    Scope,
    data_range,
    days_without_data,
    grouped_metrics,
    order_date_range,
    selection_start,
    totals,
)
from analytics.metrics.periods import DEFAULT_COMPARISON, comparison_period, is_whole_month
from analytics.metrics.rank_lift import rank_lift
from analytics.metrics.sales import beside, left_out_rows, period_days, period_metrics
from analytics.metrics.titles import asin_titles
from analytics.present import charts
from analytics.present.formatting import format_value
from analytics.present.pdf import html_to_pdf
from analytics.present.report_page import REVIEW_SALES_COLUMNS, report_html, trend_titles
from analytics.present.report_period import ReportError, report_period
from analytics.present.static_images import ChartExportError, svg_images
from analytics.review import customer_value, rank_review, screens
from analytics.review.insights import Insight, current_findings
from analytics.sql import ident
from analytics.store.database import list_loads, row_counts
from analytics.words import day_words, range_words

TOP_ROWS = 10
# Pixels; on paper the width is the text's (186 mm on A4), so the first chart still fits under the cards.
CHART_WIDTH = 720
CHART_HEIGHT = 340
TWO_ROW_CHART_HEIGHT = 480
# A trend needs two points: a new brand's first week drawn alone is a lone bar and a dot, which a report sent to a
# client should not carry (its figures are the key figures').
MIN_TREND_WEEKS = 2


@dataclass(frozen=True)
class WeeklyReport:
    """Everything the report shows, worked out by the engine; `report_page` only lays it out."""

    brand_name: str
    start: date
    end: date
    asked_end: date | None  # the end asked for, when past the data's last day (the period is cut there)
    before_start: date
    before_end: date
    as_of: date  # the store's last day of performance data
    filters: Scope  # the creator, product-line and campaign filters (its dates are not used)
    comparison: str  # what the period is compared with: a key of `periods.COMPARISONS`
    current: dict[str, object]
    previous: dict[str, object] | None  # None when the compared period holds no creator activity, or is cut short
    cut_short: screens.CutShort | None  # the data starts inside the compared period
    # The days of the period, and of the one compared with, that hold no data, in words (as on the Overview).
    missing_days: str | None
    no_previous: str | None  # why the period compared with holds nothing for the selection (as on the Overview)
    compared_missing_days: str | None
    order_lines_end: str  # the customer rates stop inside the period, where the order lines do ("" when not)
    # Where the store's order lines are when they lie wholly outside the period (`customer_value.lines_elsewhere`).
    order_lines_elsewhere: str | None
    commission_moved: str | None  # why commission share moved against the period compared with (as on the Overview)
    # Branded search volume beside creator clicks over the trend's weeks, and the sentence on which leads; an empty
    # frame and None when no branded search covers them (the Overview then says what to upload).
    search: pd.DataFrame
    search_sentence: str | None
    search_missing: str | None  # why there is no branded search to show, as the review says it
    events: pd.DataFrame  # the sales events over the trend's weeks, shaded on its charts as on the Overview's
    # The latest 4 weeks whose buyers have all had R days to come back, when this period's have not: the repeat
    # figures of `current` are theirs (as on the Overview).
    matured: Scope | None
    pending: int  # this period's buyers not yet R days old
    had_days: int  # and those past R days
    repeat_days: int  # the R of the repeat rates, as the sidebar's repeat window sets it
    trend: tuple[date, date] | None
    weekly: pd.DataFrame | None
    settling: tuple[date, date] | None  # the trend's days Amazon may still restate
    period_settling: tuple[date, date] | None  # the period's days Amazon may still restate
    findings: list[Insight]  # the review of the data up to `as_of`, whatever the period (`current_findings`)
    creators: pd.DataFrame
    creators_count: int
    products: pd.DataFrame
    products_count: int
    rank_lift: pd.DataFrame
    rank_lift_count: int
    ranks_loaded: bool  # whether the brand has keyword ranks at all: what a review without rank lift lacks
    # `campaign_pacing` as of the last day of data, as the Campaigns page has it; a calendar month's review made
    # once later data is in (its close) adds each campaign's commission to the month's last day, `commission_at_close`.
    campaigns: pd.DataFrame
    # Revenue and commission by campaign over the period's days, with the filters, as a month's close asks it (the
    # Campaigns page's "Spend by campaign in the period").
    campaign_spend: pd.DataFrame
    # Revenue and commission by product line over the period's days, with the filters, highest commission first: what
    # a month's close asks of the products, whose rows add up to the cards' totals.
    line_spend: pd.DataFrame
    # The word on the days the products' sales columns are over ("" when they are the period's: `sales_days_note`).
    products_sales_note: str
    ledger_notes: list[str]  # where the reports and the ledger disagree (`campaigns.ledger_notes`), as that day
    sources: pd.DataFrame
    # When the review was worked out: Amazon restates its last 14 days, so two copies of one week's review can differ.
    made_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _filtered(scope: Scope) -> bool:
    return any((scope.creators, scope.asins, scope.product_lines, scope.campaigns, scope.programs))


def _top_rows(current: pd.DataFrame, previous: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The `TOP_ROWS` highest revenues of `current`, with each group's revenue in the previous period beside it."""
    before = previous[[*keys, "revenue"]].rename(columns={"revenue": "revenue_before"})
    table = current.merge(before, on=keys, how="left")
    table = table.sort_values(["revenue", *keys], ascending=[False] + [True] * len(keys), ignore_index=True)
    return table.head(TOP_ROWS)


def data_sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The load log with the first and last day each load's rows are about (`first_day`, `last_day`: over its rows
    still current and those a later load has replaced since; null for a catalog)."""
    loads = list_loads(con)
    spans = []
    for kind in KINDS.values():
        columns = kind.day_columns
        if not columns or kind.name not in set(loads["kind"]):
            continue
        first = f"least({', '.join(ident(c) for c in columns)})"
        last = f"greatest({', '.join(ident(c) for c in columns)})"
        spans.append(
            con.execute(
                f"""
                select load_id as id, min(first_day) as first_day, max(last_day) as last_day
                from (
                    select load_id, {first} as first_day, {last} as last_day from {ident(kind.table)}
                    union all
                    select load_id, {first}, {last} from {ident(kind.history_table)}
                )
                group by load_id
                """
            ).df()
        )
    span = pd.concat(spans, ignore_index=True) if spans else pd.DataFrame(columns=["id", "first_day", "last_day"])
    table = loads.merge(span, on="id", how="left")
    table["first_day"] = pd.to_datetime(table["first_day"]).fillna(pd.to_datetime(table["period_start"]))
    table["last_day"] = pd.to_datetime(table["last_day"]).fillna(pd.to_datetime(table["period_end"]))
    return table[["file", "kind", "first_day", "last_day", "rows_added", "rows_updated", "loaded_at"]]


def _rank_lift(con: duckdb.DuckDBPyConnection, titles: pd.DataFrame, filters: Scope) -> pd.DataFrame:
    """Rank lift per ASIN since activation, most improved first (ASINs without a measured change last), of the
    product lines and ASINs `filters` names, as the Organic rank page narrows it."""
    lifts = rank_lift(con, "asin")
    if filters.product_lines or filters.asins:
        chosen = rank_review.in_product_lines(rank_review.ranked_asins(con), filters.product_lines, filters.asins)
        lifts = lifts[lifts["asin"].isin(chosen["asin"])]
    lifts = lifts.merge(titles, on="asin", how="left")
    return lifts.sort_values(["rank_change", "asin"], ascending=[False, True], na_position="last", ignore_index=True)


def weekly_report(
    con: duckdb.DuckDBPyConnection,
    brand_name: str,
    week: date | None = None,
    period: tuple[date, date] | None = None,
    filters: Scope | None = None,
    comparison: str = DEFAULT_COMPARISON,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
) -> WeeklyReport:
    """The review of one period (see `report_period`) against the period of the same length before it, or with
    `comparison` "year" the same period a year earlier (`periods.comparison_period`), with the
    Overview's cards (`totals` over the same metrics), weekly trend and findings, the top creators and products
    by revenue, rank lift per ASIN, campaign pacing as of the last day of data and the data sources. `filters` narrows
    the cards, trend and tables by creator, product line or campaign, as the sidebar does, and the rank lift by
    product line and ASIN, as the Organic rank page; the findings and campaigns cover the whole program, the
    findings up to the data's last day whatever the period, as the Overview shows them (`current_findings`).
    `repeat_days` is the R of the repeat rates, as on the Overview."""
    span = data_range(con)
    if span is None:
        raise ReportError("There is no performance data yet: load a Creator Connections performance report first.")
    as_of = span[1]
    start, end = report_period(as_of, week, period, first=span[0])
    asked_end = period[1] if period is not None and period[1] > end else None
    before_dates = before_start, before_end = comparison_period(start, end, comparison)
    base = filters or Scope()
    scope = replace(base, start=start, end=end)
    before = replace(base, start=before_start, end=before_end)
    # The Overview's cards' figures, with the unlisted ones their notes need (the buyers a repeat rate rests on).
    shown = (*WITHOUT_BASELINES, *UNLISTED, *BASELINE_METRICS)
    current = totals(con, scope, shown, repeat_days)
    if _filtered(base) and screens.is_empty_scope(current):
        # A report of zeros would read as a collapse, and its notes (no previous data, no order lines) as facts.
        raise ReportError(
            f"No creator activity matches the filters given in {range_words(start, end)}: no clicks, orders or "
            "revenue. Check the names against the brand's data (`metrics --by creator` lists its creators), or "
            "choose other dates; no report was written."
        )
    pending, had_days = customer_value.buyers_waiting(current)
    lines = order_date_range(con)
    last_order_day = lines[1] if lines else None
    current, matured = customer_value.with_matured_repeat(
        current, scope, last_order_day, repeat_days, lambda weeks: totals(con, weeks, shown, repeat_days)
    )
    lines_end = customer_value.order_lines_end_note(current, last_order_day, start, end, matured)
    previous = totals(con, before, WITHOUT_BASELINES, repeat_days)
    cut_short = (
        None
        if screens.is_empty_scope(previous)
        else screens.comparison_cut_short(selection_start(con, base.programs, base.campaigns), *before_dates)
    )
    trend = screens.trend_range(start, end, data_from=span[0])
    weekly = (
        grouped_metrics(con, replace(base, start=trend[0], end=trend[1]), ("week",), WITHOUT_BASELINES, repeat_days)
        if trend
        else None
    )
    findings, _ = current_findings(con)
    search, search_sentence, search_gap = (
        search_lead.search_beside_clicks(con, replace(base, start=trend[0], end=trend[1]))
        if trend
        else (pd.DataFrame(), None, None)
    )
    creators_now = grouped_metrics(con, scope, ("creator",), SALES_METRICS)
    spend = screens.campaign_spend_table(grouped_metrics(con, scope, ("campaign",), SALES_METRICS))
    products_now = grouped_metrics(con, scope, ("asin", "product_line"), SALES_METRICS)
    titles = asin_titles(con)
    lifts = _rank_lift(con, titles, base)
    products = _top_rows(products_now, grouped_metrics(con, before, ("asin",), ("revenue",)), ["asin"]).merge(
        titles, on="asin", how="left"
    )
    # All sales beside the creators' where a sales file covers the period, as the Products page has them: the share
    # of each product's sales that came through creators is what a month's report is most asked for.
    sales_words = ""
    if row_counts(con).get("sales"):
        products = beside(products, period_metrics(con, scope, ("asin",)), "asin", REVIEW_SALES_COLUMNS)
        sales_words = screens.sales_days_note(period_days(con, scope), (start, end), left_out_rows(con, scope)["sales"])
    # Budgets are money to date and their forecasts the week's decisions: as the Campaigns page and the findings
    # have them, from the last day of data, whatever the period (its own spend by campaign is `campaign_spend`).
    pacing = campaign_pacing(con, as_of)
    if is_whole_month(start, end) and end < as_of and not pacing.empty:
        at_close = campaign_pacing(con, end, day_words(end))[["campaign", "program", "commission"]]
        pacing = pacing.merge(
            at_close.rename(columns={"commission": "commission_at_close"}), on=["campaign", "program"], how="left"
        ).fillna({"commission_at_close": 0.0})  # a campaign with no spend by then had spent nothing
        # What each budget had left at the close, in cents as the ledger writes it: beside the commission to the
        # month's end, the budget used to date (later spend) read as the month's.
        pacing["budget_left_at_close"] = (pacing["budget"] - pacing["commission_at_close"]).round(2)
    return WeeklyReport(
        brand_name=brand_name,
        start=start,
        end=end,
        asked_end=asked_end,
        before_start=before_start,
        before_end=before_end,
        as_of=as_of,
        filters=base,
        comparison=comparison,
        current=current,
        matured=matured,
        pending=pending,
        had_days=had_days,
        repeat_days=repeat_days,
        previous=None if screens.is_empty_scope(previous) or (cut_short and not cut_short.shows_change) else previous,
        cut_short=cut_short,
        missing_days=screens.missing_days_sentence(
            days_without_data(con, start, end, base.programs), start, end, base.programs, span[0]
        ),
        order_lines_end=lines_end,
        order_lines_elsewhere=customer_value.lines_elsewhere(lines, start, end),
        search=search,
        search_sentence=search_sentence,
        search_missing=search_gap.in_review if search_gap else None,
        events=event_ranges(con, *trend) if trend else event_ranges(con, start, end),
        commission_moved=None
        if screens.is_empty_scope(previous) or (cut_short and not cut_short.shows_change)
        else screens.commission_moved_sentence(
            commission_change(con, (), before_dates, (start, end), base),
            lambda metric, value: format_value(value, REGISTRY[metric].format),
            (previous.get("revenue"), current.get("revenue")),
            (
                grouped_metrics(
                    con, replace(base, start=before_start, end=before_end), ("program", "campaign"), ("commission",)
                ),
                grouped_metrics(con, scope, ("program", "campaign"), ("commission",)),
            ),
        ),
        # Why the period compared with holds nothing for the selection, as the Overview says it.
        no_previous=screens.no_previous_sentence(
            before_dates,
            comparison == "year",
            len(days_without_data(con, *before_dates, base.programs)),
            screens.narrowed_words(base),
            in_review=True,
        )
        if screens.is_empty_scope(previous)
        else None,
        # Where the data starts inside the period compared with, its cut-short sentence says how much holds data.
        compared_missing_days=None
        if screens.is_empty_scope(previous) or cut_short
        else screens.compared_missing_sentence(
            days_without_data(con, *before_dates, base.programs), *before_dates, base.programs
        ),
        trend=trend,
        weekly=weekly,
        settling=screens.settling_overlap(as_of, *trend) if trend else None,
        period_settling=screens.settling_overlap(as_of, start, end),
        findings=findings,
        creators=_top_rows(creators_now, grouped_metrics(con, before, ("creator",), ("revenue",)), ["creator"]),
        creators_count=len(creators_now),
        products=products,
        products_count=len(products_now),
        products_sales_note=sales_words,
        rank_lift=lifts.head(TOP_ROWS),
        rank_lift_count=len(lifts),
        ranks_loaded=con.execute("select exists (select 1 from ranks)").fetchone() == (True,),
        campaigns=pacing,
        campaign_spend=spend,
        line_spend=grouped_metrics(con, scope, ("product_line",), SALES_METRICS).sort_values(
            ["commission", "revenue"], ascending=False, ignore_index=True
        ),
        ledger_notes=ledger_notes(con, pacing, as_of),
        sources=data_sources(con),
    )


def trend_figures(report: WeeklyReport) -> list[go.Figure]:
    """The Overview's two weekly charts over the report's trend weeks, then its branded search beside creator clicks
    when search covers them; none until two weeks hold data (`report_page` says why)."""
    weekly = report.weekly
    if weekly is None or len(weekly) < MIN_TREND_WEEKS:
        return []
    sums = screens.headline_sum(weekly)
    bars, rate = trend_titles(report)
    figures = [
        charts.weekly_bars_with_rate(
            weekly,
            sums,
            "commission_share",
            bars,
            bar_colour=charts.PALETTE[1],
            rate_colour=charts.PALETTE[0],
            settling=report.settling,
        ),
        charts.weekly_rate_line(weekly, "conversion_rate", rate, colour=charts.PALETTE[2], settling=report.settling),
    ]
    if not report.search.empty:
        figures.append(charts.search_beside_clicks(report.search, charts.PALETTE[1]))
    for figure in figures:
        # A chart of two plots (branded search with the brand's click share under it) takes the page's extra height.
        plots = sum(1 for name in figure.layout if name.startswith("xaxis"))  # one x axis per plot, stacked
        figure.update_layout(height=CHART_HEIGHT if plots < 2 else TWO_ROW_CHART_HEIGHT)
    return [charts.mark_events(figure, report.events) for figure in figures]


def weekly_report_html(
    con: duckdb.DuckDBPyConnection,
    week_start: date | None = None,
    period: tuple[date, date] | None = None,
    brand_name: str = "Your brand",
    filters: Scope | None = None,
    comparison: str = DEFAULT_COMPARISON,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
    charts_required: bool = True,
) -> str:
    """The weekly review (`weekly_report`) as one HTML file that opens offline: styles inline, charts as SVG images
    drawn by Plotly's exporter, every piece of data text escaped. Amounts are in the brand's currency.

    Charts that cannot be drawn raise ChartExportError, or, not `charts_required` (the app's download, where a
    failure would leave the person with no file and no word), leave the review without them and say why in their
    place."""
    with amounts_in(store_currency(con)):
        report = weekly_report(con, brand_name, week_start, period, filters, comparison, repeat_days)
        try:
            images = svg_images(trend_figures(report), width=CHART_WIDTH)
        except ChartExportError as error:
            if charts_required:
                raise
            return report_html(report, [], charts_missing=str(error))
        return report_html(report, images)


def weekly_report_pdf(page: str, paper: str = "auto") -> bytes:
    """The report's HTML printed to PDF by Chromium on `paper` (auto: the printer's default, A4 or Letter)."""
    return html_to_pdf(page, paper)
