"""Products: which ASINs and product lines move through creators, what creators earn on them, and launches."""

from datetime import date

import pandas as pd
import streamlit as st

from analytics.metrics.grouped import SALES_METRICS, Scope
from analytics.metrics.rates import STALE_RATE_DAYS
from analytics.metrics.sales import PRODUCT_COLUMNS, beside
from analytics.present import charts
from analytics.review import screens as review
from analytics.review.insights import HERO_MIN_SHARE, LAUNCH_WINDOW_DAYS, commission_drift_periods
from analytics.words import plural, range_words
from ui import layout, notices, queries, sidebar, tables

# The columns of a line's ASINs' parts in its commission-share change that are not registry metrics.
EFFECT_COLUMNS = {
    "rate_before": tables.number_column("percent", "Rate before", "Commission over revenue in the earlier period."),
    "rate_after": tables.number_column("percent", "Rate after", "Commission over revenue in the later period."),
    "weight_before": tables.number_column("percent", "Weight before", "Share of the line's revenue, earlier."),
    "weight_after": tables.number_column("percent", "Weight after", "Share of the line's revenue, later."),
}
# The products file's columns: without one, columns of dashes that hide the ones a sales file brings.
CATALOG_COLUMNS = ("price", "standard_rate", "bonus_rate", "creator_payout_per_sale")
LINE_DETAILS = ("asins_selling", "launches", "top_asin", "top_asin_share", "carried_by_one")


def products_columns(
    keys: tuple[str, ...], sales: tuple[str, ...], from_catalog: tuple[str, ...], after: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """A products table's columns: its `keys`, attributed revenue with the sales file's columns beside it (all sales,
    the creators' share of them, the Buy Box: the share of each product's sales that came through creators is read
    against its total), the other performance metrics, the products file's columns (`from_catalog`), then `after`."""
    others = tuple(c for c in tables.SALES_COLUMNS if c != "revenue")
    return (*keys, "revenue", *sales, *others, *from_catalog, *after)


RATE_COLUMNS = (
    "asin",
    "title",
    "product_line",
    "standard_rate",
    "bonus_rate",
    "bonus_since",
    "bonus_unchanged_days",
    "bonus_stale",
    "rate_changes",
)
TABS = ("By ASIN", "By product line")
MEDIAN_PAYOUT_LABEL = "Median payout per sale"
MEDIAN_PAYOUT_HELP = (
    "The median over the line's ASINs of the creator payout per sale: price × (standard + bonus rate), what a "
    "creator sees per sale when choosing offers."
)
FOCUS_METRICS = ("revenue", "revenue_share", "conversion_rate", "commission_share", "creator_payout_per_sale")

st.title("Products")
filters, as_of = notices.require_data()
notices.show_data_past_the_period(filters)

scope = filters.scope()
if review.is_empty_scope(queries.scope_totals(scope, SALES_METRICS)):
    notices.show_empty_scope(filters)
    st.stop()

# Payouts use the rates in force on the period's last day (SPEC: rates over time), and launches are those of the
# window ending on it: a past period lists the launches it saw, not later ones.
catalog = queries.catalog(filters.end)
launches_as_of = filters.end
sales_by_asin = queries.sales_metrics(scope, ("asin",))
asins = review.asin_table(
    queries.metrics(scope, ("asin", "product_line"), SALES_METRICS),
    catalog,
    launches_as_of,
    filters.product_lines,
    # The catalog's unsold ASINs answer the program's question (a launch nobody sells); narrowed to creators or
    # campaigns, the table lists the ASINs they drove clicks or sales to.
    include_unsold=not (filters.creators or filters.campaigns),
    asins=filters.asins,
    # A Business Report's ASINs no creator sold are in its line's total sales: listed, so the rows account for it.
    in_sales_files=sales_by_asin["asin"].tolist() if "asin" in sales_by_asin else (),
    titles=queries.titles(),
)
lines = review.line_table(queries.metrics(scope, ("product_line",), SALES_METRICS), asins)
# All sales beside the creators' (Business Report, Vendor Central), where a sales file covers the period.
asins = beside(asins, sales_by_asin, "asin")
lines = beside(lines, queries.sales_metrics(scope, ("product_line",)), "product_line")
sales_columns = PRODUCT_COLUMNS if queries.row_counts().get("sales") else ()
straddling = queries.left_out(scope)["sales"]
launch_start, _ = review.launch_window(launches_as_of)
catalog_words = (
    ""  # without a products file: the notice below says what one adds
    if catalog.empty
    else f", beside the price from your products file and the commission rates in force on {filters.end:%b %-d, %Y}"
)
st.caption(
    f"Creator-attributed sales from {filters.start:%b %-d, %Y} to {filters.end:%b %-d, %Y}{catalog_words}. Click a "
    "column header to sort."
)
sales_days = queries.period_span(scope)
sales_note = review.sales_days_note(sales_days, (filters.start, filters.end), straddling)
# Headed with their days where those are not the period's: beside a month's attributed revenue, a week's total revenue
# read as the month's, under the creators' (as helped by the note above, which a reader skips).
sales_over = tables.metric_columns_over(
    sales_columns, sales_days if sales_days is not None and sales_days != (filters.start, filters.end) else None
)
if sales_note:
    st.caption(sales_note)
# The tables' Excel files say it too: a file named for a month whose total revenue covers fewer of its days was read
# as the month's.
sales_about = [("Sales columns", sales_note)] if sales_note and sales_columns else []
over_whole = review.share_over_whole_note(asins)
if over_whole:
    st.warning(over_whole, icon=":material/rule:")
if catalog.empty:
    st.info(
        "No products file yet, so every ASIN is in product line “Unassigned” with no price, rates or creator "
        "payout. Upload your catalog (ASIN, product line, price, launch date, standard and bonus rates) on the "
        "**Data** page.",
        icon=":material/inventory_2:",
    )

shared_extra = {
    "price": tables.number_column("money", "Price", "Current selling price, from your products file."),
    "standard_rate": tables.number_column(
        "percent", "Standard rate", "Amazon's standard affiliate rate for the category, from your products file."
    ),
    "bonus_rate": tables.number_column(
        "percent", "Bonus rate", "Your bonus commission rate in Creator Connections, from your products file."
    ),
}


def show_line_asin_effects(line: str, filters: sidebar.Filters, as_of: date, titles: pd.DataFrame) -> None:
    """Which of the line's ASINs moved its commission share: over the days the review's finding about the line
    compares, when it has one (the finding links here), else the selected period against the one compared with."""
    drift = any(i.rule == "commission_share_drift" and i.subject == line for i in queries.insights())
    before, after = commission_drift_periods(as_of) if drift else (filters.compared(), (filters.start, filters.end))
    # The finding covers the whole program, as the review does; otherwise the sidebar's filters narrow it.
    effects = queries.commission_asin_effects("product_line", before, after, Scope() if drift else filters.scope())
    parts = review.line_asin_effects(effects, line, titles)
    if parts.empty:
        return
    st.markdown("**Its ASINs' parts in the change of its commission share**")
    st.caption(
        ("As the review's finding about it compares them: " if drift else "")
        + f"{range_words(*before)} against {range_words(*after)}. Each ASIN's rate is its commission over its revenue "
        "and its weight its share of the line's revenue; the effects, in points of the line's commission share, add up "
        "over its ASINs to the line's change."
    )
    shown, decimals = review.asin_effects_that_add_up(parts)
    tables.show_table(
        shown,
        exact=parts,
        point_decimals=decimals,
        key="products_focus_asin_effects",
        file_name=f"creator_lift_{line}_commission_asins.csv",
        extra=EFFECT_COLUMNS,
        narrowed=filters.values(),
        covering=f"{tables.dates_covered(*before)}_vs_{tables.dates_covered(*after)}",
    )


focus = sidebar.focus_from_url(asins["asin"].tolist() + lines["product_line"].tolist())
if focus is not None:
    is_line = focus in set(lines["product_line"])
    row = review.table_row(lines if is_line else asins, "product_line" if is_line else "asin", focus)
    with st.container(border=True, key="products_focus"):
        name = focus if is_line or row is None else review.asin_name(focus, row["title"])
        st.markdown(f"**{notices.md(name)}** — {range_words(filters.start, filters.end)}")
        if row is not None:
            for column, metric in zip(layout.card_row(len(FOCUS_METRICS), "product_focus"), FOCUS_METRICS, strict=True):
                # A line's payout is the median over its ASINs (SPEC); the card says so in fewer words.
                median = is_line and metric == "creator_payout_per_sale"
                column.metric(
                    MEDIAN_PAYOUT_LABEL if median else tables.label(metric),
                    tables.show(metric, row[metric]),
                    help=(MEDIAN_PAYOUT_HELP if median else tables.help_text(metric)),
                )
        if is_line:
            show_line_asin_effects(focus, filters, as_of, asins)
        if st.button("Clear", key="products_clear_focus", icon=":material/close:"):
            sidebar.set_focus(None)
            st.rerun()

by_asin, by_line = st.tabs(
    TABS, key="products_view", default=TABS[1] if focus is not None and focus in set(lines["product_line"]) else TABS[0]
)

with by_asin:
    new = review.launches(asins)
    if not new.empty:
        items = "; ".join(
            f"**{notices.md(review.asin_name(r.asin, r.title))}**, on sale since {r.launch_date:%b %-d}: "
            f"{tables.counted(r.clicks, 'click')}, {tables.counted(r.orders, 'order')}, "
            f"{tables.show('revenue', r.revenue)} ({tables.show('revenue_share', r.revenue_share)} of revenue)"
            for r in new.itertuples(index=False)
        )
        st.info(
            f"**Launches** (on sale since {launch_start:%b %-d, %Y} or later, the {LAUNCH_WINDOW_DAYS} days ending "
            f"{launches_as_of:%b %-d}) — ticked in the Launch column, and listed first in the table: {items}.",
            icon=":material/rocket_launch:",
        )
    # Without a launch date anywhere, the Launch column's empty boxes would read as "not a launch" rather than unknown.
    dated = bool(asins["launch_date"].notna().any())
    tables.show_table(
        asins,
        key="products_asin_table",
        file_name="creator_lift_asins.csv",
        about=sales_about,
        columns=products_columns(
            ("asin", "title", "product_line", *(("is_launch",) if dated else ())),
            sales_columns,
            () if catalog.empty else CATALOG_COLUMNS,
            ("launch_date",) if dated else (),
        ),
        narrowed=filters.values(),
        extra={
            "asin": st.column_config.TextColumn("ASIN", pinned=True),
            "is_launch": st.column_config.CheckboxColumn(
                "Launch",
                help=f"On sale for the first time in the {LAUNCH_WINDOW_DAYS} days ending {launches_as_of:%b %-d, %Y}.",
            ),
            "launch_date": st.column_config.DateColumn("Launch date", format="MMM D, YYYY"),
            **shared_extra,
            **sales_over,
        },
        height=min(36 + 35 * len(asins), 460),
    )
    gaps = review.payout_gaps(asins)
    if gaps["standard_rate_missing"]:
        st.caption(
            f"Standard rate missing for {', '.join(gaps['standard_rate_missing'])}: their creator payout per sale "
            "counts your bonus only and excludes Amazon's standard commission. Add standard_rate to your products "
            "file to include it."
        )
    for reason, lacks in review.PAYOUT_LACKS.items():
        if gaps[reason]:
            st.caption(f"No creator payout for {', '.join(gaps[reason])}: the products file lacks their {lacks}.")
    if gaps["not_in_catalog"] and not catalog.empty:  # without a catalog, the notice above says so once
        st.caption(
            f"Not in your products file: {', '.join(gaps['not_in_catalog'])}. "
            + ("It counts" if len(gaps["not_in_catalog"]) == 1 else "They count")
            + " under “Unassigned” with no price or payout; add "
            + ("it" if len(gaps["not_in_catalog"]) == 1 else "them")
            + " to the products file on the **Data** page."
        )

    st.markdown("**Rate history**")
    history, in_force = queries.rate_changes(filters.end)
    rates = review.rate_table(in_force, history, catalog, filters.product_lines)
    if rates.empty:
        st.info(
            ("No products file yet" if catalog.empty else "No commission rates in your products file yet")
            + ". Add standard_rate and bonus_rate, and effective_date for the day each rate takes effect (one row "
            "per ASIN and date), on the **Data** page to see each ASIN's rate history.",
            icon=":material/percent:",
        )
    else:
        rate_extra = {
            "standard_rate": tables.number_column(
                "percent", "Standard rate (%)", "Amazon's standard affiliate rate in force, from your products file."
            ),
            "bonus_rate": tables.number_column(
                "percent", "Bonus rate (%)", "Your bonus commission rate in force, from your products file."
            ),
        }
        stale = int(rates["bonus_stale"].sum())
        st.caption(
            f"Rates in force on {filters.end:%b %-d, %Y}. {stale:,} of {plural(len(rates), 'ASIN')} "
            f"{'has' if stale == 1 else 'have'} had the same bonus for "
            f"{STALE_RATE_DAYS} days or more (ticked): creators weigh offers by payout, so a bonus left alone while "
            "conversion or creators fall is worth revisiting. A rate loaded without an effective date counts from "
            "the day it was loaded, and an ASIN's first rate stands for the days before it too."
        )
        tables.show_table(
            rates,
            key="products_rate_table",
            file_name="creator_lift_rates.csv",
            columns=RATE_COLUMNS,
            extra={
                "asin": st.column_config.TextColumn("ASIN", pinned=True),
                **rate_extra,
                "bonus_since": st.column_config.DateColumn(
                    "Bonus since", format="MMM D, YYYY", help="The day the bonus rate in force took effect."
                ),
                "bonus_unchanged_days": tables.number_column(
                    "count",
                    "Bonus unchanged (days)",
                    f"Days from the bonus's effective date to {filters.end:%b %-d, %Y}; empty when the rate history "
                    "starts after that day.",
                ),
                "bonus_stale": st.column_config.CheckboxColumn(
                    f"Unchanged {STALE_RATE_DAYS}+ days",
                    help=f"The same bonus rate for {STALE_RATE_DAYS} days or more by {filters.end:%b %-d, %Y}.",
                ),
                "rate_changes": tables.number_column(
                    "count", "Rate changes", "Times the standard or bonus rate changed after its first dated rate."
                ),
            },
            height=min(36 + 35 * len(rates), 460),
            # Rates in force on one day, of the product lines chosen (the other filters do not narrow them).
            covering=filters.end.isoformat(),
            narrowed=filters.product_lines,
        )
        # The ASIN whose rates moved most (and longest ago) first: its steps show what a change looks like.
        choices = rates.sort_values(
            ["rate_changes", "bonus_unchanged_days", "asin"], ascending=[False, False, True], na_position="last"
        )
        titles = dict(zip(choices["asin"], choices["title"], strict=True))
        picked = st.selectbox(
            "Rate history of",
            choices["asin"].tolist(),
            format_func=lambda asin: review.asin_name(asin, titles.get(asin)),
            key="products_rate_asin",
        )
        steps = review.asin_rate_history(history, picked)
        picked_name = review.asin_name(picked, titles.get(picked))
        dated_after = review.rates_dated_after(steps, filters.end, picked_name)
        if dated_after:
            st.info(notices.md(dated_after), icon=":material/percent:")
        else:
            layout.time_chart(
                # The ASIN alone: the product's name stands in the box above, and ran off a phone's width here.
                charts.rate_steps(steps, filters.end, f"Commission rates of {picked}"),
                "products_rate_chart",
            )
        tables.show_table(
            steps,
            key="products_rate_steps",
            file_name=f"creator_lift_rates_{picked}.csv",
            extra={
                "effective_date": st.column_config.DateColumn("Effective from", format="MMM D, YYYY"),
                **rate_extra,
            },
        )

with by_line:
    carried = review.carried_lines(lines)
    for r in carried.itertuples(index=False):
        top = review.table_row(asins, "asin", r.top_asin)
        name = review.asin_name(r.top_asin, top["title"] if top else None)
        st.warning(
            f"**One ASIN carries {notices.md(r.product_line)}:** {notices.md(name)} brings in "
            f"{tables.show('revenue_share', r.top_asin_share)} of the line's creator revenue. Spread creator traffic "
            "to the line's other products (a higher bonus, or a brief to feature them) before it depends on one SKU.",
            icon=":material/balance:",
        )
    tables.show_table(
        lines,
        key="products_line_table",
        file_name="creator_lift_product_lines.csv",
        about=sales_about,
        columns=products_columns(
            ("product_line",), sales_columns, () if catalog.empty else CATALOG_COLUMNS[-1:], LINE_DETAILS
        ),
        narrowed=filters.values(),
        extra={
            **sales_over,
            "product_line": st.column_config.TextColumn("Product line", pinned=True),
            "creator_payout_per_sale": tables.number_column("money", MEDIAN_PAYOUT_LABEL, MEDIAN_PAYOUT_HELP),
            "asins_selling": tables.number_column(
                "count", "ASINs selling", "ASINs with creator revenue in the period."
            ),
            "launches": tables.number_column(
                "count",
                "Launches",
                f"ASINs first on sale in the {LAUNCH_WINDOW_DAYS} days ending {launches_as_of:%b %-d, %Y}.",
            ),
            "top_asin": st.column_config.TextColumn("Top ASIN", help="The line's best-selling ASIN in the period."),
            "top_asin_share": tables.number_column(
                "percent", "Top ASIN's share", "The top ASIN's revenue divided by the line's revenue."
            ),
            "carried_by_one": st.column_config.CheckboxColumn(
                "One ASIN carries it",
                help=f"The top ASIN brings in more than {HERO_MIN_SHARE:.0%} of the line's revenue.",
            ),
        },
    )
    shares = review.fold_line_tail(review.asin_shares_within_line(asins))
    if shares.empty:
        st.info("No product line has creator revenue in this period, so there is no split to show.")
    else:
        st.plotly_chart(
            charts.line_concentration(
                shares, tables.colours("product_line"), HERO_MIN_SHARE, line_order=lines["product_line"].tolist()
            ),
            key="products_concentration_chart",
        )
        st.caption(
            "Each bar is one product line split into its ASINs, the top seller first in full colour; a line's ASINs "
            f"after its {review.LINE_SEGMENTS} best sellers share one segment. A top seller past the dashed "
            f"{HERO_MIN_SHARE:.0%} line carries the line on its own. Hover a segment for its revenue."
        )

    st.markdown("**Why commission share moved**")
    previous = filters.compared()
    data_from = queries.data_from()
    # As the Overview has it: a period compared with whose first days predate the data is a part of one, named; under
    # half its days, no change to split.
    cut_short = review.comparison_cut_short(queries.selection_starts(filters.programs, filters.campaigns), *previous)
    if data_from is not None and previous[1] < data_from:
        # Every row would be dashes: say why rather than show them, and what would give a change.
        st.info(
            review.no_split_before_the_data(data_from, previous, filters.comparison, filters.start, filters.end),
            icon=":material/event_busy:",
        )
    elif cut_short is not None and not cut_short.shows_change:
        st.info(
            cut_short.sentence()
            + " Choose a shorter period, or upload older performance reports on the **Data** page.",
            icon=":material/event_busy:",
        )
    else:
        changes = queries.commission_changes("product_line", previous, (filters.start, filters.end), scope)
        shown, decimals = review.effects_that_add_up(changes)
        tables.show_table(
            shown,
            exact=review.with_share_change(changes),
            point_decimals=decimals,
            key="products_commission_change",
            file_name="creator_lift_commission_change.csv",
            narrowed=filters.values(),
            # Both periods in the name, the selected one against the one compared with, as the About sheet reads
            # it: the file's rows hold no dates, and "before" is the period compared with.
            covering=f"{tables.dates_covered(filters.start, filters.end)}_vs_{tables.dates_covered(*previous)}",
        )
        st.caption(
            (f"{cut_short.sentence()} " if cut_short is not None else "")
            + f"Commission share over {range_words(*previous)} against the selected period, split three ways that "
            "add up to the change: ASINs' own rates moving (a bonus raised or cut, or an ASIN's sales moving between "
            "campaigns or creators paid at different rates), sales moving between higher- and "
            "lower-rate ASINs (mix), and ASINs selling in one period only. A line without sales in one period has no "
            "split. The change and its effects are in percentage points of commission share: the change is worked "
            "out from the exact shares, so shares written 12.0% and 12.1% can move +0.0, and the effects are rounded "
            "so that they add up to it, in hundredths where tenths would move one by more than half a tenth (the "
            "downloads keep every digit). Each row is the line's own share, so the "
            "rows do not add up to the Overview's change of the whole selection, which also moves as sales move "
            "between lines. A change in conversion moves commission per click (the last columns), not commission "
            "share."
        )

# --- All sales beside the creators' ------------------------------------------------------------------------------
st.subheader("Creators' share of sales by week")
trend = review.trend_range(filters.start, filters.end)
if not sales_columns:
    st.info(
        "Upload Business Reports (Detail Page Sales and Traffic by Child Item), weekly, on the **Data** page to see "
        "how much of each product's business comes through creators.",
        icon=":material/upload_file:",
    )
elif trend is not None:
    # Every product the sidebar's line and ASIN filters leave (sales rows have no creator or campaign to narrow).
    everything = (
        "The ASINs chosen in the sidebar"
        if filters.asins
        else "All products of the lines chosen in the sidebar"
        if filters.product_lines
        else "All products"
    )
    picks = {"": everything}
    picks |= {line: f"Product line: {line}" for line in lines["product_line"]}
    picks |= {r.asin: review.asin_name(r.asin, r.title) for r in asins.itertuples(index=False)}
    picked = st.selectbox(
        "Product or product line", list(picks), format_func=picks.__getitem__, key="products_sales_pick"
    )
    narrowed = review.narrowed_to(filters.scope(*trend), picked, set(lines["product_line"]))
    weekly = queries.sales_metrics(narrowed, ("week",)).dropna(subset=["total_revenue"])
    if weekly.empty:
        st.info(
            "No weekly sales rows for this choice in these weeks: a Business Report's rows count in the week their "
            "period lies in, so a report of a longer period (the last 30 days) shows in no week. Downloaded one week "
            "at a time (Sunday to Saturday), each report shows in its week.",
            icon=":material/event_busy:",
        )
    else:
        first_day = queries.data_from()
        weekly, unreported = review.outside_the_performance_data(weekly, first_day or trend[0], as_of)
        layout.time_chart(
            charts.sales_through_creators(
                weekly, f"{picks[picked]}: all sales and those through creators by week", charts.PALETTE[1]
            ),
            "products_sales_chart",
        )
        # The weeks drawn: from the first with a sales row, which a new brand's files may start well after; those
        # after it that no sales file covers are named, not passed over.
        drawn_from = max(trend[0], pd.Timestamp(weekly["week"].min()).date())
        st.caption(
            f"Whole Sunday–Saturday weeks from {drawn_from:%b %-d, %Y} to {trend[1]:%b %-d, %Y}. Grey: total revenue "
            "in your sales files; inside it, creators' attributed revenue on the same days and ASINs; the line is "
            "their share. A high share asks whether those sales are new business or would have come anyway."
            + review.weeks_without_sales_sentence(review.weeks_without_rows(weekly, (drawn_from, trend[1])))
            + review.unreported_weeks_sentence(unreported)
        )
