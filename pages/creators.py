"""Creators: every creator's metrics for the period, who converts and who brings new customers, and one in detail."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.metrics.grouped import SALES_METRICS, WITHOUT_BASELINES
from analytics.present import charts
from analytics.review import customer_value
from analytics.review import screens as review
from analytics.review.insights import CREATOR_WINDOW_DAYS
from analytics.words import in_words, plural, range_words
from ui import layout, notices, queries, session, settings, sidebar, tables

TABLE_COLUMNS = (
    "creator",
    "outreach_target",
    *tables.SALES_COLUMNS,
    "ntb_pct",
    "sns_rate",
    "repeat_rate",
    "units",
)
ASIN_COLUMNS = (
    "asin",
    "title",
    "product_line",
    *tables.SALES_COLUMNS,
    "price",
    "creator_payout_per_sale",
)
DETAIL_METRICS = ("revenue", "conversion_rate", "commission_share", "ntb_pct")


def creator_cards(row: dict[str, object], key: str) -> None:
    """One creator's figures over the period as cards (in a row keyed `key`), with the few-orders warning when its
    rate needs one."""
    for column, metric in zip(layout.card_row(len(DETAIL_METRICS), key), DETAIL_METRICS, strict=True):
        shown = tables.show(metric, row[metric])
        column.metric(tables.label(metric), shown, help=tables.help_text(metric), border=True)
    few = customer_value.few_orders_note(row["orders"], (tables.label("ntb_pct"),))
    if few and pd.notna(row["ntb_pct"]):  # only a rate shown needs the warning
        st.caption(f":material/warning: {few}")


FOCUS_KEY = "creators_focus"  # the creator picked for the detail at the foot of the page

# More lines than this on one chart cannot be told apart.
COMPARE_MAX = 8

st.title("Creators")
filters, as_of = notices.require_data()
notices.show_data_past_the_period(filters)

scope = filters.scope()
# The table's repeat rates use the window the Overview and the Customers page use.
repeat_days = settings.repeat_days()
# Creators do not split the baseline: each creator's is the scope's own, read from its totals (every metric: the
# empty check, the baselines and which customer rates this period can show; the Customers page asks the same).
by_creator = queries.metrics(scope, ("creator",), WITHOUT_BASELINES, repeat_days)
scope_totals = queries.scope_totals(scope, repeat_days=repeat_days)
if by_creator.empty or review.is_empty_scope(scope_totals):
    notices.show_empty_scope(filters)
    st.stop()

targets = queries.outreach_targets(as_of)
table = review.creator_table(by_creator, targets)
st.caption(
    f"{plural(len(table), 'creator')} with activity from {filters.start:%b %-d, %Y} to {filters.end:%b %-d, %Y}, "
    "highest revenue first; click a column header to sort. **Outreach targets** are the 10 creators with the most "
    f"attributed revenue over the {CREATOR_WINDOW_DAYS} days ending {as_of:%b %-d, %Y}, over the whole program "
    "whatever the period and filters: "
    "offer them launches and higher bonuses first."
)


def _with_baseline(metric: str, baseline_metric: str) -> str:
    value = scope_totals[baseline_metric]
    suffix = (
        f" All your buyers in this period, attributed or not: {tables.show(metric, value)}."
        if value is not None
        else ""
    )
    return tables.help_text(metric) + suffix


# A finding's link names a creator, whose detail is far down the page: their figures come first, pointing to it,
# until another creator is picked there or the filters leave them out, either of which ends the link's part in the
# URL (else the page's own pick, kept beside it, would head the page as if a finding had named it).
linked = sidebar.linked_focus(table["creator"].tolist())
if linked is None or st.session_state.get(FOCUS_KEY, linked) != linked:
    st.query_params.pop(sidebar.FROM_PARAM, None)
    linked = None
if linked is not None:
    with st.container(border=True, key="creators_linked_box"):
        st.markdown(
            f"**{notices.md(linked)}** — {range_words(filters.start, filters.end)}. Their weekly trend and products "
            "are under **One creator in detail**, at the foot of the page. A finding may cover other days; the "
            "sidebar's period sets these."
        )
        linked_row = review.table_row(table, "creator", linked)
        assert linked_row is not None
        creator_cards(linked_row, "creator_linked")

extra = {
    "creator": st.column_config.TextColumn("Creator", pinned=True),
    "outreach_target": st.column_config.CheckboxColumn(
        "Outreach target",
        help=f"One of the 10 creators with the most attributed revenue over the {CREATOR_WINDOW_DAYS} days ending "
        f"{as_of:%b %-d, %Y}.",
    ),
    "ntb_pct": tables.number_column("percent", tables.label("ntb_pct"), _with_baseline("ntb_pct", "baseline_ntb_pct")),
    "sns_rate": tables.number_column(
        "percent", tables.label("sns_rate"), _with_baseline("sns_rate", "baseline_sns_rate")
    ),
    "repeat_rate": tables.number_column(
        "percent", tables.label("repeat_rate"), _with_baseline("repeat_rate", "baseline_repeat_rate")
    ),
}
tables.show_table(
    table,
    key="creators_table",
    file_name="creator_lift_creators.csv",
    narrowed=filters.values(),
    extra=extra,
    columns=TABLE_COLUMNS,
    height=min(36 + 35 * len(table), 420),
)
missing = review.unavailable_customer_metrics(scope_totals)
if missing:
    elsewhere = customer_value.lines_elsewhere(queries.order_days(), filters.start, filters.end)
    st.caption(
        f"{in_words([tables.label(m) for m in missing])}: not available for this period. "
        + customer_value.unavailable_advice(missing, scope_totals, elsewhere)
    )
if customer_value.mostly_pending(scope_totals):
    # Not a missing upload: the buyers are too recent, which a column of dashes does not say by itself.
    _, matured = queries.with_matured_repeat(scope_totals, scope, repeat_days)
    pending, had_days = customer_value.buyers_waiting(scope_totals)
    why = (
        f"{tables.label('repeat_rate')} is a dash for every creator: each of this period's {pending:,} buyers bought "
        f"less than {repeat_days} days before the last order loaded, so none has had {repeat_days} days to come "
        "back yet."
        if customer_value.all_pending(scope_totals)
        else f"{tables.label('repeat_rate')} rests on the period's first days alone: only {had_days:,} of its "
        f"{had_days + pending:,} buyers bought {repeat_days} days or more before the last order loaded."
    )
    st.caption(f"{why} {customer_value.matured_weeks_pointer(repeat_days, matured)}")

plotted = review.scatter_creators(table)
st.plotly_chart(charts.creator_scatter(plotted), key="creators_scatter")
# Without new-to-brand counts every marker has the one colour its legend says is "not available".
coloured = plotted["ntb_pct"].notna().any() if "ntb_pct" in plotted else False
st.caption(
    "Each marker is a creator: further right sells more, higher converts more of its clicks, bigger sends more "
    "clicks"
    + (", and the colour shows how many of its buyers are new to your brand" if coloured else "")
    + ". Outreach targets are diamonds with a dark outline; the top three are named, and so is the creator with the "
    "most clicks. Hover a marker for its figures."
    + (
        f" The chart shows the {review.SCATTER_CREATORS:,} creators with the most revenue and every outreach "
        f"target ({len(plotted):,} of {len(table):,}); the table above has them all."
        if len(plotted) < len(table)
        else ""
    )
    + (f" {few}" if (few := review.few_clicks_sentence(plotted)) else "")
)

st.subheader("Compare creators")
picker, measure = st.columns([3, 1])
compare_metric = measure.selectbox(
    "Metric",
    review.COMPARE_METRICS,
    format_func=tables.label,
    key="creators_compare_metric",
    help="What each creator's line shows, week by week.",
)
ranked = table["creator"].tolist()  # highest revenue first
# The three with the most revenue to start with; creators picked earlier stay while the filters still show them.
first_pick = ranked[:3] if len(ranked) > 1 else []
dropped: list[str] = []
# Creators picked for another brand are not this brand's to drop: its comparison starts afresh, set rather than
# removed, so the browser draws the new picks too.
brand = session.current_workspace().slug
if st.session_state.get("creators_compare_brand") != brand:
    st.session_state["creators_compare"] = first_pick
    st.session_state["creators_compare_brand"] = brand
elif "creators_compare" in st.session_state:
    dropped = [c for c in st.session_state["creators_compare"] if c not in ranked]
    st.session_state["creators_compare"] = [c for c in st.session_state["creators_compare"] if c in ranked]
compared_now = st.session_state.get("creators_compare", first_pick)
compared = picker.multiselect(
    "Creators",
    sidebar.searched_options(ranked, "creators_compare_search", "creator", keep=compared_now, where=picker),
    default=None if "creators_compare" in st.session_state else first_pick,
    key="creators_compare",
    max_selections=COMPARE_MAX,
    placeholder="Pick two or more creators",
    help=f"Up to {COMPARE_MAX} creators with activity in the period, highest revenue first.",
)
if dropped:
    # Picked under another period or filter: said, rather than gone without a word.
    st.caption(
        f"Left out of the comparison: {notices.md(', '.join(dropped))}, with no activity in this period and "
        "selection. Pick them again once they have some."
    )
compare_trend = review.trend_range(filters.start, filters.end, data_from=queries.data_from())
if len(compared) < 2:
    st.info("Pick two or more creators above to see them week by week on one chart.", icon=":material/group:")
elif compare_trend is None:
    st.info(
        "No whole reporting week (Sunday to Saturday) in this period, so there is no weekly line to compare. Pick a "
        "longer period in the sidebar.",
        icon=":material/date_range:",
    )
else:
    compare_weeks = review.weeks_of_each(
        queries.metrics(
            replace(scope, start=compare_trend[0], end=compare_trend[1], creators=tuple(compared)),
            ("week", "creator"),
            SALES_METRICS,
        ),
        "creator",
        compared,
        compare_trend,
    )
    layout.time_chart(
        charts.weekly_lines(
            compare_weeks,
            "creator",
            compare_metric,
            f"{tables.label(compare_metric)} by week: {plural(len(compared), 'creator')}",
            tables.colours("creator"),
            settling=review.settling_overlap(as_of, *compare_trend),
        ),
        "creators_compare_chart",
    )
    st.caption(
        f"Whole Sunday–Saturday weeks from {compare_trend[0]:%b %-d, %Y} to {compare_trend[1]:%b %-d, %Y}, with the "
        "sidebar's filters. A week a creator sold nothing shows as zero; a rate breaks where the creator had no "
        "clicks that week."
    )

st.subheader("Program health")
weekly_health = review.from_the_data_start(
    queries.health(filters.start, filters.end, filters.programs), queries.data_from()
)
health_start = review.health_start_note(weekly_health, queries.data_from())
if not weekly_health.empty:
    layout.time_chart(charts.program_health_lines(weekly_health), "creators_health_chart")
tables.show_table(
    weekly_health,
    key="creators_health_table",
    file_name="creator_lift_program_health.csv",
    height=min(36 + 35 * len(weekly_health), 320),
    # Its weeks are counted whole: the download is named by the days they cover, which may start before the period.
    covering=tables.dates_covered(*weeks) if (weeks := review.whole_weeks_covered(weekly_health)) else None,
    about=[("Weeks", review.WHOLE_WEEKS_NOTE)],
)
st.caption(
    f"{review.WHOLE_WEEKS_NOTE}, for "
    f"{'the selected programs' if filters.programs else 'every program'} and every campaign: creators with clicks, "
    "creators whose first click ever came that week, and creators active in one of the 4 weeks before but not in "
    "this one. The top 5 share is the week's five highest-revenue creators' share of its attributed revenue: the "
    "higher it is, the more the program leans on a few."
    + (
        " It counts the whole program, so the sidebar's creator, product and campaign filters do not narrow it."
        if filters.creators or filters.asins or filters.product_lines or filters.campaigns
        else ""
    )
)
if health_start:
    st.caption(f":material/history: {notices.md(health_start)}")

st.subheader("One creator in detail")
options = review.creator_options(table, list(filters.creators) or queries.filter_options(session.data_key())["creator"])
creator = sidebar.focus_selectbox(
    "Creator",
    options,
    key=FOCUS_KEY,
    noun="creator",
    opens_on=options[0] if options else None,
    format_func=lambda name: f"{name}  ★ outreach target" if name in targets else name,
    help="Pick a creator to see their weekly trend and the products they sell.",
)
row = review.table_row(table, "creator", creator)
if row is None:
    st.info(
        f"{notices.md(creator)} has no clicks, orders or revenue from {filters.start:%b %-d, %Y} to "
        f"{filters.end:%b %-d, %Y} with these filters. Pick a longer period in the sidebar to see their history."
    )
    st.stop()

creator_cards(row, "creator_detail")

creator_scope = replace(scope, creators=(creator,))
trend = review.trend_range(filters.start, filters.end, data_from=queries.data_from())
if trend is not None:
    # Every week of the trend, a week without activity at zero, as the comparison above draws the creator: its
    # caption counts the weeks, and a chart leaving one out drew fewer than it said.
    weekly = review.weeks_of_each(
        queries.metrics(replace(creator_scope, start=trend[0], end=trend[1]), ("week", "creator"), SALES_METRICS),
        "creator",
        [creator],
        trend,
    )
    bar = review.headline_sum(weekly)
    if weekly[bar].any():
        layout.time_chart(
            charts.weekly_bars_with_rate(
                weekly,
                bar,
                "conversion_rate",
                f"{creator}: {tables.label(bar).lower()} and conversion rate by week",
                bar_colour=tables.colours("creator").get(creator, charts.PALETTE[1]),
                rate_colour=charts.MUTED,
                settling=review.settling_overlap(as_of, *trend),
            ),
            "creators_trend_chart",
        )
        # The cards above are the period's; the chart reaches further back, to show a trend.
        st.caption(
            f"{plural(((trend[1] - trend[0]).days + 1) // 7, 'whole Sunday–Saturday week')} from {trend[0]:%b %-d, %Y} "
            f"to {trend[1]:%b %-d, %Y} (a week without activity at zero); the cards above cover "
            f"{range_words(filters.start, filters.end)}."
        )

asins = review.asin_table(
    queries.metrics(creator_scope, ("asin", "product_line"), SALES_METRICS),
    queries.catalog(filters.end),
    as_of,
    include_unsold=False,
    launches_first=False,
    titles=queries.titles(),
)
st.markdown(f"**Products {notices.md(creator)} promoted** (clicks or sales in the period), highest revenue first")
tables.show_table(
    asins,
    key="creators_asin_table",
    file_name=f"creator_lift_{creator}_asins.csv",
    narrowed=filters.values(),
    extra={
        "revenue_share": tables.number_column(
            "percent", "Share of creator's revenue", "This ASIN's revenue divided by the creator's revenue."
        ),
        "price": tables.number_column("money", "Price", "Current selling price, from the products file."),
    },
    columns=ASIN_COLUMNS,
)
