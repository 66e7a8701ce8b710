"""Organic rank: is creator activity lifting organic search rank? Each product's rank before and after activation."""

import streamlit as st

from analytics.metrics.rank_lift import DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS
from analytics.present import charts
from analytics.review import rank_review
from analytics.review.insights import REVENUE_TREND_WINDOW_DAYS
from ui import layout, navigation, notices, queries, sidebar, tables

# The link's names for the page's windows (`?window=14&lag=7`).
WINDOW_PARAM, LAG_PARAM = "window", "lag"
# Event days left out of the windows, in a shared link: ?events=out.
EVENTS_PARAM, EVENTS_OUT = "events", "out"
RANK_UPLOAD = (
    "No keyword ranks yet. Upload a keyword-rank export (e.g. Helium 10 Keyword Tracker: date, ASIN, keyword, "
    "organic rank) on the **Data** page to see whether organic rank rises where creators are active."
)


def _show_asin(asin: str) -> None:
    st.session_state["rank_asin"] = asin


navigation.ensure_entry_script()
st.title("Organic rank")
st.caption(
    "Is creator activity lifting organic search rank? For each product, the median organic rank of its keywords "
    "in a window before it entered Creator Connections against a window after. Rank 1 is the top of the results."
)
if queries.row_counts()["ranks"] == 0:
    st.info(RANK_UPLOAD, icon=":material/upload_file:")
    st.page_link(navigation.PAGE_FILES["data"], label="Go to the Data page", icon=":material/upload_file:")
    st.stop()

filters = sidebar.current_filters()
product_lines = filters.product_lines if filters else ()
asin_filter = filters.asins if filters else ()
asins = rank_review.in_product_lines(queries.ranked_asins(), product_lines, asin_filter)
if asins.empty:
    narrowed = " and ".join(name for name, values in (("product-line", product_lines), ("ASIN", asin_filter)) if values)
    st.info(
        f"No product selected by the sidebar's {narrowed} filter has keyword ranks. Clear the filter, or upload a "
        "keyword-rank export for these products on the **Data** page.",
        icon=":material/filter_alt_off:",
    )
    st.stop()

labels = rank_review.asin_labels(asins)
options = list(labels)
# Without a link's product, the page opens on the best lift (else the first product).
best = rank_review.best_lift_asin(queries.lift("asin", DEFAULT_WINDOW_DAYS, DEFAULT_LAG_DAYS), asins)
opens_on = best if best in labels else options[0]
pick, window_input, lag_input = st.columns([3, 1, 1])
window_days = int(
    window_input.number_input(
        "Window (days)",
        min_value=1,
        max_value=365,
        step=7,
        key="rank_window_days",
        on_change=sidebar.led_by_the_url(
            "rank_window_days", sidebar.days_from_url(WINDOW_PARAM, DEFAULT_WINDOW_DAYS, 1, 365)
        ),
        help="How many days before activation, and after it, the medians cover.",
    )
)
lag_days = int(
    lag_input.number_input(
        "Lag (days)",
        min_value=0,
        max_value=365,
        step=7,
        key="rank_lag_days",
        on_change=sidebar.led_by_the_url("rank_lag_days", sidebar.days_from_url(LAG_PARAM, DEFAULT_LAG_DAYS, 0, 365)),
        help="Days after activation to skip before the after-window starts, for content to get indexed.",
    )
)
# In the link too: whoever opens a shared view sees the same windows' figures.
sidebar.keep_in_url(WINDOW_PARAM, window_days, DEFAULT_WINDOW_DAYS)
sidebar.keep_in_url(LAG_PARAM, lag_days, DEFAULT_LAG_DAYS)
asin = sidebar.focus_selectbox(
    "Product",
    options,
    key="rank_asin",
    noun="product",
    opens_on=opens_on,
    format_func=labels.__getitem__,
    help="Products with keyword ranks, by product line; those without an activation date come last.",
    text_of=labels.__getitem__,
    where=pick,
)
st.caption(
    "The windows sit around each product's activation date, so the sidebar's period, creator and campaign filters "
    "do not apply here; the product-line and ASIN filters do."
)

exclude_events = st.checkbox(
    "Leave event days out of the windows",
    key="rank_exclude_events",
    # As the link says, as the window and lag are.
    on_change=sidebar.led_by_the_url("rank_exclude_events", st.query_params.get(EVENTS_PARAM) == EVENTS_OUT),
    help="Sales events loaded on the Data page (Prime Day, deal days) move rank on their own: leave their days out "
    "of every before and after window, this product's and its control group's alike.",
)
if exclude_events:
    st.query_params[EVENTS_PARAM] = EVENTS_OUT
else:
    st.query_params.pop(EVENTS_PARAM, None)
activation = rank_review.activation_of(asins, asin)
asin_lift = queries.lift("asin", window_days, lag_days, exclude_events)
# The lift's downloads are named for its windows: the sidebar's period does not apply to them.
sales_windows_named = f"window_{window_days}d_lag_{lag_days}d"
windows_named = sales_windows_named + ("_without_events" if exclude_events else "")
figures = rank_review.lift_row(asin_lift, asin)

metric_columns = layout.card_row(4, "rank_figures")
for column, metric in zip(metric_columns, ("rank_before", "rank_after", "rank_change"), strict=False):
    column.metric(
        tables.label(metric),
        tables.show(metric, figures[metric] if figures else None),
        help=tables.help_text(metric),
        border=True,
    )
metric_columns[3].metric(
    tables.label("keywords_improved"),
    f"{figures['keywords_improved']} of {figures['keywords_measured']}" if figures else "—",
    help="Keywords whose rank moved up, out of the keywords with a rank both before and after.",
    border=True,
)

if figures:
    st.caption(
        "Each figure is the median over this product's keywords, taken one by one: the rank change is the typical "
        "keyword's move (positive = up), which need not be rank before minus rank after."
    )

history = queries.asin_rank_history(asin)
before, after = rank_review.windows(activation, window_days, lag_days) if activation else (None, None)
if activation is None:
    st.info(
        "This product has no activation date, so there is no before and after: add its activation_date to the "
        "products file, or upload performance with clicks for it, on the Data page.",
        icon=":material/event_busy:",
    )
elif figures is None or figures["keywords_measured"] == 0:
    st.info(
        f"No keyword has a rank both in the {window_days} days before activation ({activation:%b %-d, %Y}) and "
        f"in the {window_days} days after it{f' plus a {lag_days}-day lag' if lag_days else ''}. Upload rank "
        "history that covers both windows, or change the window and lag.",
        icon=":material/date_range:",
    )
rank_chart = charts.rank_over_time(
    history,
    charts.colour_map(history["keyword"]),
    title=f"Organic rank by keyword: {labels[asin]}",
    activation=activation,
    before=before,
    after=after,
)
st.plotly_chart(charts.mark_events(rank_chart, queries.events()), key="rank_chart", config={"displayModeBar": False})
st.caption(
    "Gaps are days the product was not ranked for that keyword (left out of the medians). The two bands are the "
    "windows before and after activation; sales events loaded on the Data page (Prime Day, deal days), which move "
    "rank on their own, are shaded orange and named above the chart. The control columns below compare each "
    "product with the products of its line not yet activated, over the same days."
)

keyword_table = rank_review.keyword_rows(queries.lift("keyword", window_days, lag_days, exclude_events), asin)
if rank_review.measured_without_control(figures):
    st.caption(
        "Lift vs control is empty: no other product of this line had ranks over the same days without being "
        "activated by then, so there is no control group to compare with."
    )
if not keyword_table.empty:
    st.markdown("**Keywords of this product**")
    tables.show_table(
        keyword_table,
        key="rank_keyword_table",
        file_name=f"creator_lift_rank_lift_keywords_{asin}.csv",
        covering=windows_named,
        extra={"keyword": st.column_config.TextColumn("Keyword")},
    )

st.subheader("Revenue up, rank flat")
as_of = queries.data_as_of()
flagged = queries.revenue_up_rank_flat_findings(as_of, window_days, lag_days) if as_of else []
if product_lines or asin_filter:  # the sidebar's product-line and ASIN filters apply here, as above
    flagged = [insight for insight in flagged if insight.subject in set(asins["asin"])]
if as_of is None:
    st.info(
        "Comparing revenue with rank needs the performance report: upload it on the **Data** page.",
        icon=":material/upload_file:",
    )
else:
    st.caption(
        f"Products whose attributed revenue rose over the {REVENUE_TREND_WINDOW_DAYS} days up to {as_of:%b %-d, %Y} "
        "against the days before, while their organic rank did not move up since activation (with the window and "
        "lag above). Creators are selling these, but the sales are not carrying over to organic search."
    )
    # The rule needs a rank before and after activation: with none measured, no finding is no all-clear.
    if not flagged and not rank_review.any_measured(asin_lift, asins["asin"]):
        st.info(
            "No product here has a keyword ranked both before and after its activation yet, so whether rank followed "
            "revenue cannot be judged.",
            icon=":material/hourglass_empty:",
        )
    elif not flagged:
        st.success(
            f"No product{' selected by the filters' if product_lines or asin_filter else ''} had its attributed "
            "revenue rise while its organic rank stayed flat or fell.",
            icon=":material/done:",
        )
for index, insight in enumerate(flagged[: tables.FINDING_CARDS]):
    with st.container(border=True, key=f"rank_flat_{index}"):
        text, action = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f":material/trending_flat: **{notices.md(insight.title)}**  \n{notices.md(insight.action)}")
        if insight.subject in labels and insight.subject != asin:
            action.button(
                "Show in the chart", key=f"rank_flat_show_{index}", on_click=_show_asin, args=(insight.subject,)
            )
tables.show_all_findings(flagged, key="rank_flat_findings", file_name="creator_lift_revenue_up_rank_flat.csv")

st.subheader("Lift by product")
asin_table = rank_review.asin_lift_table(asin_lift, asins)
if asin_table.empty:
    st.info(
        "No product with keyword ranks has an activation date: add activation_date to the products file, or upload "
        "performance with clicks for these products, on the **Data** page.",
        icon=":material/event_busy:",
    )
else:
    tables.show_table(
        asin_table,
        key="rank_asin_table",
        file_name="creator_lift_rank_lift_by_asin.csv",
        covering=windows_named,
        height=min(38 + 35 * len(asin_table), 740),
        extra={"activation_date": st.column_config.DateColumn("Activated", format="MMM D, YYYY")},
    )

st.subheader("Sales against the control")
sales_table = rank_review.in_product_lines(
    queries.sales_lifts(window_days, lag_days).dropna(subset=["sales_change"]), product_lines, asin_filter
)
if queries.row_counts()["sales"] == 0:
    st.info(
        "Upload Business Reports (Detail Page Sales and Traffic by Child Item), weekly, on the **Data** page to "
        "compare each product's total sales before and after activation with products not yet in the program.",
        icon=":material/upload_file:",
    )
elif sales_table.empty:
    st.info(
        (
            "No activated product selected by the sidebar's filters has weekly sales in both its before and after "
            "windows: clear the filters to see the others, or upload weekly Business Reports covering the weeks "
            "around each activation."
            if product_lines or asin_filter
            else "No activated product has weekly sales in both its before and after windows: upload weekly Business "
            "Reports covering the weeks around each activation."
        ),
        icon=":material/event_busy:",
    )
else:
    controlled = int(sales_table["sales_lift_vs_control"].notna().sum())
    st.caption(
        f"Median weekly total revenue (all sales, not only creators') in the {window_days} days before activation "
        f"against the {window_days} days after, less the change of the product line's products not yet activated "
        f"over the same weeks. {controlled:,} of {len(sales_table):,} product"
        f"{'' if len(sales_table) == 1 else 's'} had a control; without one no comparison is possible and the lift "
        "is left empty." + (" Event days stay in these weekly figures." if exclude_events else "")
        # Weekly Business Reports hold whole weeks: an event's days cannot be taken out of them.
    )
    tables.show_table(
        sales_table,
        key="rank_sales_table",
        file_name="creator_lift_sales_lift_by_asin.csv",
        covering=sales_windows_named,
        extra={"activation_date": st.column_config.DateColumn("Activated", format="MMM D, YYYY")},
    )

st.subheader("Lift by product line")
# With an ASIN filter, the lines of the ASINs chosen.
chosen_lines = product_lines or (tuple(asins["product_line"].unique()) if asin_filter else ())
line_table = rank_review.line_lift_table(
    queries.lift("product_line", window_days, lag_days, exclude_events), chosen_lines
)
if line_table.empty:
    st.info("No product line has a product with both ranks and an activation date.", icon=":material/event_busy:")
else:
    if asin_filter:
        st.caption("The lines of the ASINs chosen, each over all of its products.")
    tables.show_table(
        line_table,
        key="rank_line_table",
        file_name="creator_lift_rank_lift_by_product_line.csv",
        covering=windows_named,
    )
