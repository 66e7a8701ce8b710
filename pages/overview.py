"""Overview: the weekly review — KPIs against the previous period, weekly trends, and what to look at this week."""

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from analytics.metrics.grouped import REGISTRY, UNLISTED, WITHOUT_BASELINES
from analytics.present import charts
from analytics.present.formatting import format_delta, unchanged
from analytics.present.report_page import KPI_ROWS
from analytics.review import customer_value
from analytics.review import screens as review
from analytics.review.insights import SEVERITY_WORDS, Insight, finding_window
from analytics.words import in_words, range_words
from ui import layout, navigation, notices, queries, report, session, settings, sidebar, tables, waiting

WEEKLY_COLUMNS = (
    "week",
    "clicks",
    "orders",
    "revenue",
    "commission",
    "conversion_rate",
    "commission_share",
    "ntb_pct",
    "sns_rate",
    "repeat_rate",
    # Beside a week's repeat rate, the buyers it is a share of and those it does not count yet: a week whose first
    # days alone have matured stands on few buyers.
    "repeat_matured",
    "repeat_pending",
)
SEVERITY_ICONS = {
    "warning": ":material/warning:",
    "opportunity": ":material/lightbulb:",
    "info": ":material/info:",
}
SEVERITY_COLOURS = {"warning": "orange", "opportunity": "green", "info": "blue"}


def show_trend(as_of: date, filters: sidebar.Filters, trend: tuple[date, date], weekly: pd.DataFrame) -> None:
    """Weekly revenue with commission share, and conversion rate, over whole weeks; recent weeks shaded."""
    settling = review.settling_overlap(as_of, *trend)
    st.caption(
        f"Whole Sunday–Saturday weeks from {trend[0]:%b %-d, %Y} to {trend[1]:%b %-d, %Y}, with the sidebar's filters."
        + (" The shaded weeks are still settling." if settling else "")
        + review.trend_cut_sentence(trend, filters.end, as_of)
        + review.weeks_without_rows_sentence(review.weeks_without_rows(weekly, trend))
    )
    left, right = st.columns(2)
    layout.time_chart(
        charts.weekly_bars_with_rate(
            weekly,
            "revenue",
            "commission_share",
            "Attributed revenue and commission share by week",
            bar_colour=charts.PALETTE[1],
            rate_colour=charts.PALETTE[0],
            settling=settling,
        ),
        "overview_revenue_chart",
        left,
    )
    layout.time_chart(
        charts.weekly_rate_line(
            weekly, "conversion_rate", "Conversion rate by week", colour=charts.PALETTE[2], settling=settling
        ),
        "overview_conversion_chart",
        right,
    )
    with st.expander("Weekly figures"):
        tables.show_table(
            weekly,
            key="overview_weekly_table",
            file_name="creator_lift_weekly.csv",
            narrowed=filters.values(),
            columns=WEEKLY_COLUMNS,
            covering=tables.dates_covered(*trend),
        )


def show_insights(as_of: date) -> None:
    """The playbook's checks, most important first, each with what to do and a link to the page that explains it."""
    found = queries.insights()
    st.caption(
        f"Checks over the whole program up to {as_of:%b %-d, %Y}; the sidebar's period and filters do not narrow them."
    )
    campaigns = show_campaign_warnings(as_of)
    if not found and campaigns.empty:
        st.success("Nothing stands out this week: no check found a problem or an opportunity.", icon=":material/done:")
    for index, insight in enumerate(found[: tables.FINDING_CARDS]):
        finding_card(index, insight, as_of)
    # The checks look back from the data's last day, whatever the sidebar's period: the file is named by that day.
    tables.show_all_findings(
        found,
        key="overview_findings",
        file_name="creator_lift_findings.csv",
        card=partial(finding_card, as_of=as_of),
        covering=f"as_of_{as_of.isoformat()}",
        warnings=campaigns,
    )


def show_campaign_warnings(as_of: date) -> pd.DataFrame:
    """Budgets about to run out and campaigns about to end, first: money and deadlines this week, which the
    Campaigns page explains. Those shown, as the table of all findings lists them (`review.campaign_warnings`)."""
    pacing = queries.campaigns(as_of)
    shown = review.campaign_warnings(pacing)
    for index, warning in enumerate(shown["finding"]):
        with st.container(border=True, key=f"campaign_warning_{index}"):
            text, link = st.columns([4, 1], vertical_alignment="center")
            text.markdown(f":orange[:material/campaign: **Campaign**] **{notices.md(warning)}**")
            link.page_link(
                navigation.PAGE_FILES["campaigns"],
                label=f"Open {navigation.PAGE_TITLES['campaigns']}",
                icon=":material/arrow_forward:",
                # A campaign's budget is the whole program's, as the findings are: the filters stay behind.
                query_params=sidebar.link_params(unfiltered=True),
            )
    return shown


PROGRAM_FINDINGS = ("top_creators", "creator_concentration", "no_new_creators")


def finding_card(index: int, insight: Insight, as_of: date) -> None:
    """One finding as a card: its severity, what was found and what to do, and a link to the page that explains it,
    opened on the days the finding is about (`finding_window`), so that the page's figures are the finding's."""
    with st.container(border=True, key=f"insight_{index}"):
        text, link = st.columns([4, 1], vertical_alignment="center")
        text.markdown(
            f":{SEVERITY_COLOURS[insight.severity]}[{SEVERITY_ICONS[insight.severity]} "
            f"**{SEVERITY_WORDS[insight.severity]}**] **{notices.md(insight.title)}**  \n"
            f"{notices.md(insight.action)}"
        )
        # The findings about the whole program (the top creators, their concentration, no new creators) name no
        # single row to open the page on.
        focus = (
            {}
            if insight.rule in PROGRAM_FINDINGS
            else {sidebar.FOCUS_PARAM: insight.subject, sidebar.FROM_PARAM: sidebar.FROM_FINDING}
        )
        window = finding_window(insight.rule, as_of)
        days = sidebar.period_params(*window) if window is not None else {}
        link.page_link(
            navigation.PAGE_FILES[insight.page],
            label=f"Open {navigation.PAGE_TITLES[insight.page]}",
            icon=":material/arrow_forward:",
            # The findings are the whole program's: the sidebar's filters could hide the row the finding is about.
            query_params=sidebar.link_params(unfiltered=True, **days, **focus),
        )


def show_branded_search(filters: sidebar.Filters, trend: tuple[date, date] | None) -> None:
    """Branded search volume by week beside creator clicks, with one sentence on whether one leads the other."""
    if trend is None:
        st.info("No whole reporting week (Sunday to Saturday) in this period, so there is nothing to compare by week.")
        return
    weekly, sentence, missing = queries.search_beside_clicks(filters.scope(*trend))
    if missing:
        st.info(missing.in_app, icon=":material/search:")
        return
    chart, words = st.columns([3, 2], vertical_alignment="center")
    layout.time_chart(charts.search_beside_clicks(weekly, charts.PALETTE[1]), "overview_search_chart", chart)
    words.markdown(sentence or "")
    words.caption(
        "Searches for queries with the brand's terms, from Search Query Performance (Brand View), which covers the "
        "whole brand: the sidebar's creator, product and campaign filters narrow only the clicks."
        + (f" {review.CLICK_SHARE_NOTE}" if weekly["brand_click_share"].notna().any() else "")
    )


# Named before the data is read, so an empty store's page has its heading; then named for the period it shows.
heading = st.empty()
heading.title("Weekly review")
filters, as_of = notices.require_data()
heading.title(review.review_title(filters.start, filters.end))
notices.show_data_past_the_period(filters)
waiting.show_waiting_files()

scope = filters.scope()
repeat_days = settings.repeat_days()
# The cards, sparklines, charts and weekly table show no baseline, the costliest part to count.
current = queries.scope_totals(scope, (*WITHOUT_BASELINES, *UNLISTED), repeat_days)
if review.is_empty_scope(current):
    notices.show_empty_scope(filters)
    st.stop()
# When every buyer of the period is still within R days, the repeat card shows the latest matured 4 weeks.
pending, had_days = customer_value.buyers_waiting(current)
current, matured = queries.with_matured_repeat(current, scope, repeat_days, (*WITHOUT_BASELINES, *UNLISTED))

before_start, before_end = filters.compared()
previous = queries.scope_totals(filters.scope(before_start, before_end), WITHOUT_BASELINES, repeat_days)
previous_empty = review.is_empty_scope(previous)
selection_start = queries.selection_starts(filters.programs, filters.campaigns)
cut_short = None if previous_empty else review.comparison_cut_short(selection_start, before_start, before_end)
no_change = previous_empty or (cut_short is not None and not cut_short.shows_change)
last_year = filters.comparison == "year"
# Against a period the data starts well inside of, a change is shown grey and says how much of that period it is
# against: a first export's partial week reads as a leap, which is no news, good or bad.
uncoloured = cut_short is not None and cut_short.change_uncoloured
compared_words = (
    "the same dates a year earlier" if last_year else f"{review.period_words(filters.start, filters.end)} before"
)
# The brand first: an agency's reviewer moves through a dozen, and on a phone the sidebar naming it is closed.
st.caption(
    f"**{notices.md(session.current_workspace().name)}** · {range_words(filters.start, filters.end)}, compared "
    f"with {compared_words} ({range_words(before_start, before_end)}). Data through {as_of:%b %-d, %Y}."
)
report.review_downloads(filters, repeat_days)

trend = review.trend_range(filters.start, filters.end, data_from=queries.data_from())
weekly = (
    queries.metrics(filters.scope(*trend), ("week",), (*WITHOUT_BASELINES, *UNLISTED), repeat_days) if trend else None
)

for number, row in enumerate(KPI_ROWS):
    for column, (metric, delta_colour) in zip(layout.card_row(len(row), f"kpi_{number}"), row, strict=True):
        fmt = REGISTRY[metric].format
        sparkline = review.sparkline(weekly, metric)
        # A repeat rate of other weeks has no previous period to compare with.
        elsewhen = matured is not None and metric == "repeat_rate"
        delta = (
            None
            if no_change or elsewhen
            else format_delta(current[metric], review.compared_figure(previous[metric], fmt, cut_short), fmt)
        )
        column.metric(
            tables.label(metric),
            tables.show(metric, current[metric]),
            delta=delta,
            # A change that rounds to nothing is neither good nor bad: grey, no arrow.
            delta_color="off" if unchanged(delta) or uncoloured else delta_colour,
            delta_arrow="off" if unchanged(delta) else "auto",
            delta_description=(
                customer_value.matured_card_words(matured)
                if matured is not None and elsewhen
                else None
                # A figure with no change to show (none in either period) says nothing to compare against either.
                if no_change or delta is None
                else review.versus_words(filters.comparison, filters.start, filters.end, cut_short, fmt)
            ),
            help=tables.help_text(metric),
            border=True,
            height="stretch",  # as tall as the row's others when it has no trend to draw (a pending repeat rate)
            chart_data=sparkline if current[metric] is not None and sparkline else None,
            chart_type="area" if fmt in ("money", "count") else "line",
        )

notes = []
settling = review.settling_overlap(as_of, filters.start, filters.end)
if settling:
    notes.append(
        f":material/hourglass_top: **{range_words(*settling)} are still settling.** Amazon restates "
        "the most recent 14 days for weeks as returns and late attributions arrive, so this period's figures may "
        "still change."
    )
days_missing = queries.days_without_data_between(filters.start, filters.end, filters.programs)
data_from = queries.data_from()
missing_days = review.missing_days_sentence(days_missing, filters.start, filters.end, filters.programs, data_from)
if missing_days:
    left_out = data_from is None or any(day >= data_from for day in days_missing)
    upload = " The **Data** page uploads the days a download left out." if left_out else ""
    notes.append(f":material/event_busy: {missing_days}{upload}")
# Where the data starts inside the period compared with, its cut-short sentence below says how much of it holds data.
compared_gaps = (
    None
    if previous_empty or cut_short
    else review.compared_missing_sentence(
        queries.days_without_data_between(before_start, before_end, filters.programs),
        before_start,
        before_end,
        filters.programs,
    )
)
if compared_gaps:
    notes.append(compared_gaps)
if previous_empty:
    notes.append(
        review.no_previous_sentence(
            (before_start, before_end),
            last_year,
            len(queries.days_without_data_between(before_start, before_end, filters.programs)),
            [name for name in filters.narrowed() if name != "program"],
        )
    )
if cut_short:
    widen = " Choose a shorter period, or upload older performance reports on the **Data** page."
    notes.append(cut_short.sentence() + ("" if cut_short.shows_change else widen))
if not no_change:
    by_campaign = (
        queries.metrics(filters.scope(before_start, before_end), ("program", "campaign"), ("commission",)),
        queries.metrics(scope, ("program", "campaign"), ("commission",)),
    )
    moved = review.commission_moved_sentence(
        queries.commission_changes((), (before_start, before_end), (filters.start, filters.end), scope),
        tables.show,
        (previous.get("revenue"), current.get("revenue")),
        by_campaign,
    )
    if moved:
        notes.append(f"{moved} **Products** shows each product line's own change and the ASINs behind it.")
missing = review.unavailable_customer_metrics(current)
if missing:
    elsewhere = customer_value.lines_elsewhere(queries.order_days(), filters.start, filters.end)
    notes.append(
        f"**{in_words([tables.label(m) for m in missing])}: not available for this period.** "
        + customer_value.unavailable_advice(missing, current, elsewhere)
    )
if "repeat_rate" in missing and not customer_value.has_order_lines(current):
    # The cards leave the baselines out, the costly part with order lines; without them all buyers' repeat rate is
    # Brand Analytics' (cheap), and the only figure beside the card's dash.
    baseline = queries.scope_totals(scope, ("baseline_repeat_rate",), repeat_days)
    figures = {**current, "baseline_repeat_rate": baseline.get("baseline_repeat_rate")}
    notes += customer_value.all_buyers_sentences(figures, tables.label, tables.show)
if matured is not None:
    notes.append(customer_value.fallback_note(pending, repeat_days, matured, had_days))
repeat_note = customer_value.repeat_note(current, repeat_days, tables.show, matured)
if repeat_note:
    notes.append(f"{tables.label('repeat_rate')}: {notices.md(repeat_note[0].lower() + repeat_note[1:])}")
lines_end = customer_value.order_lines_end_note(current, queries.last_order_day(), filters.start, filters.end, matured)
if lines_end:
    notes.append(lines_end)
sources = customer_value.sources_caption(current, tables.label)
if sources:
    notes.append(sources)
partly_counted = customer_value.counts_cover_note(current, tables.label, tables.show)
if partly_counted:
    notes.append(f":material/warning: {partly_counted}")
# The cards' rates over a few orders read as measures; the Customers page's warning, here too.
rates = customer_value.rates_of_the_period(current, tables.label, matured)
few = customer_value.few_orders_note(current.get("orders"), rates) if rates else ""
if few:
    notes.append(f":material/warning: {few}")
if review.sparkline(weekly, "revenue"):  # the cards draw their trends only over SPARKLINE_WEEKS weeks or more
    notes.append("The small chart in each card shows its weekly trend, the same weeks as the charts below.")
for note in notes:
    st.caption(note)

st.subheader("Weekly trend")
if trend is None or weekly is None or weekly.empty:
    st.info(
        "No whole reporting week (Sunday to Saturday) of data yet, so there is no weekly trend. Upload performance "
        "reports covering at least one whole week on the **Data** page."
    )
else:
    show_trend(as_of, filters, trend, weekly)

st.subheader("Branded search and creator clicks")
show_branded_search(filters, trend)

st.subheader(review.findings_heading(filters.start, filters.end))
show_insights(as_of)
