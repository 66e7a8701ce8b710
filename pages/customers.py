"""Customers: are creator-attributed buyers new to the brand, do they come back and subscribe, against all buyers."""

import streamlit as st

from analytics.figures import points_between
from analytics.metrics.grouped import BASELINE_DIMENSIONS, WITHOUT_BASELINES
from analytics.present import charts
from analytics.present.formatting import format_value, unchanged
from analytics.review import customer_value
from analytics.review import screens as review
from analytics.words import range_words
from ui import layout, navigation, notices, queries, session, settings, sidebar, tables

GROUPS = {"product_line": "Product line", "creator": "Creator"}
GROUP_KEY = "customers_group"  # the open tab's label
FOCUS_OPENED_KEY = "customers_focus_opened"  # the creator a finding's link last opened the page on


def rate_card(figures: dict[str, object], metric: str, baseline: str) -> None:
    """One customer rate of `figures` (a scope's totals) as a card, with its gap to all buyers' rate."""
    gap = points_between(figures[metric], figures[baseline])  # as the two figures on the card are written
    gap_text = format_value(gap, "points") if gap is not None else None
    st.metric(
        tables.label(metric),
        tables.show(metric, figures[metric]),
        delta=gap_text,
        delta_color="off" if unchanged(gap_text) else "normal",
        delta_arrow="off" if unchanged(gap_text) else "auto",
        delta_description=f"vs all buyers ({tables.show(baseline, figures[baseline])})" if gap is not None else None,
        help=tables.help_text(metric),
        border=True,
    )


def _tab_opened() -> None:
    """A tab the person opened: a finding's link no longer holds the table on creators."""
    st.query_params.pop(sidebar.FROM_PARAM, None)


# Rates of a handful of order lines swing to 0 % or 100 %: the chart keeps the creators with the most orders.
CHART_LIMIT = {"product_line": None, "creator": 25}

navigation.ensure_entry_script()
st.title("Customers")
st.caption(
    "Are the buyers creators bring in new to the brand, do they order again, and do they subscribe? Each rate of "
    "creator-attributed buyers is set against the same rate over all of the brand's buyers (the baseline)."
)
filters, _ = notices.require_data()
notices.show_data_past_the_period(filters)

scope = filters.scope()
repeat_days = settings.repeat_days()
totals = queries.scope_totals(scope, repeat_days=repeat_days)
if review.is_empty_scope(totals) and not customer_value.sources(totals):
    notices.show_empty_scope(filters)
    st.stop()
# When most buyers of the period are still within R days, the repeat figures are the latest matured 4 weeks'.
pending, had_days = customer_value.buyers_waiting(totals)
totals, matured = queries.with_matured_repeat(totals, scope, repeat_days)

# A finding's link names a creator: their rates come first, and the table below opens on creators each time a link
# is followed, until the person opens another tab, which ends the link's part in the URL (`_tab_opened`). Written
# out on arrival instead, it was a second step in the browser's history, and Back from the page took two presses.
# Filters leaving the creator out end it.
linked = sidebar.linked_focus(queries.filter_options(session.data_key())["creator"])
if linked is not None:
    st.session_state[FOCUS_OPENED_KEY] = linked
    st.session_state[GROUP_KEY] = GROUPS["creator"]
focus = st.session_state.get(FOCUS_OPENED_KEY)
if (
    focus is None
    or st.query_params.get(sidebar.FOCUS_PARAM) != focus
    or (filters.creators and focus not in filters.creators)
):
    focus = None
if focus is not None:
    own = customer_value.creator_rates(
        focus, scope, matured, lambda chosen: queries.scope_totals(chosen, repeat_days=repeat_days)
    )
    with st.container(border=True, key="customers_focus"):
        weeks_said = (
            f" The repeat rate is that of {range_words(matured.start, matured.end)}, as below."
            if matured is not None and matured.start and matured.end
            else ""
        )
        st.markdown(
            f"**{notices.md(focus)}** — {range_words(filters.start, filters.end)}: the buyers this creator brought, "
            "against all of the brand's buyers. A finding may cover other days; the sidebar's period sets these."
            + weeks_said
        )
        own_cards = layout.card_row(3, "customers_own")
        for column, (metric, baseline) in zip(own_cards, customer_value.CUSTOMER_METRICS.items(), strict=True):
            with column:
                rate_card(own, metric, baseline)
    st.markdown("**The creators the sidebar chose**" if filters.creators else "**Every creator**")


missing = customer_value.missing_metrics(
    totals, repeat_days, customer_value.lines_elsewhere(queries.order_days(), filters.start, filters.end)
)
for column, (metric, baseline) in zip(
    layout.card_row(3, "customers"), customer_value.CUSTOMER_METRICS.items(), strict=True
):
    with column:
        rate_card(totals, metric, baseline)
        source = customer_value.metric_source(totals, metric)
        if metric == "repeat_rate":
            st.caption(notices.md(customer_value.repeat_note(totals, repeat_days, tables.show, matured)))
        elif source:
            st.caption(f"From {customer_value.SOURCE_LABELS[source]}.")
        alone = customer_value.baseline_alone(totals, metric, baseline)
        if alone:
            # Without the creators' own rate the card has no gap to show: all buyers' figure is said under it.
            # Brand Analytics' rows count whole: the months (or weeks) they cover are said, not the sidebar's days.
            from_ba = customer_value.metric_source(totals, baseline) == "brand_analytics"
            span = queries.period_span(scope, "repeat_purchase") if from_ba else None
            over = f" ({range_words(*span)})" if span else ""
            st.caption(f"All buyers: **{tables.show(baseline, totals[baseline])}**, from {alone}{over}.")
        if metric in missing:
            # Buyers too recent to judge need time, not another upload.
            waiting = metric == "repeat_rate" and customer_value.all_pending(totals)
            st.info(missing[metric], icon=":material/hourglass_top:" if waiting else ":material/upload_file:")
if matured is not None:
    st.info(
        customer_value.fallback_note(pending, repeat_days, matured, had_days),
        icon=":material/hourglass_top:",
    )
lines_end = customer_value.order_lines_end_note(totals, queries.last_order_day(), filters.start, filters.end, matured)
if lines_end:
    st.caption(lines_end)
note = customer_value.source_note(totals)
if note:
    st.caption(note)
partly_counted = customer_value.counts_cover_note(totals, tables.label, tables.show)
if partly_counted:
    st.caption(f":material/warning: {partly_counted}")
cohorts_inside, cohorts_straddling = queries.cohort_rows(scope)
set_aside = customer_value.cohorts_set_aside_note(totals, cohorts_inside)
if set_aside:
    st.caption(set_aside)
# Only over rates that are shown: a selection without any has its upload notes instead.
few = customer_value.few_orders_note(totals.get("orders")) if customer_value.sources(totals) else ""
if few:
    st.caption(f":material/warning: {few}")
straddling = cohorts_straddling if "cohorts" in customer_value.sources(totals) else 0
if straddling:
    st.caption(
        f"{straddling:,} cohort row{'s' if straddling != 1 else ''} cover{'s' if straddling == 1 else ''} days "
        "outside the selected dates as well as inside them, and "
        f"{'is' if straddling == 1 else 'are'} left out: choose dates that hold whole periods to count them."
    )
repeat_left_out = customer_value.repeat_purchases_left_out_note(
    totals, queries.left_out(scope).get("repeat_purchase", 0)
)
if repeat_left_out:
    st.caption(f":material/calendar_month: {repeat_left_out}")
repeat_elsewhere = customer_value.repeat_purchases_elsewhere_note(
    totals, queries.stored_period_span("repeat_purchase"), filters.start, filters.end
)
if repeat_elsewhere:
    st.caption(f":material/calendar_month: {repeat_elsewhere}")
available = [m for m in customer_value.CUSTOMER_METRICS if m not in missing]
if not available:  # the cards' notes say what to upload; the days and filters would caption nothing
    st.stop()
st.caption(f"{range_words(filters.start, filters.end)}, with the sidebar's filters.")
metric = st.segmented_control(
    "Compare",
    available,
    default=available[0],
    format_func=tables.label,
    key="customers_metric",
    required=True,
)
metric = metric or available[0]
baseline = customer_value.CUSTOMER_METRICS[metric]
# The repeat rate by group follows the cards: the latest matured 4 weeks when the period's buyers are mostly
# pending.
group_scope = matured if matured is not None and metric == "repeat_rate" else scope
# Otherwise a period whose buyers are all pending has a dash in every group's repeat rate: the table says why.
repeat_pending_here = matured is not None and group_scope is scope
# The baselines the groups are set against are those of the same buyers: the matured weeks' when the groups are theirs.
group_totals = totals if group_scope is scope else queries.scope_totals(group_scope, repeat_days=repeat_days)
if matured is not None and group_scope is matured:
    st.info(customer_value.group_fallback_note(repeat_days, matured, had_days), icon=":material/hourglass_top:")

# Without a products file every ASIN is in one line, "Unassigned": the page opens on creators instead.
has_catalog = bool(queries.row_counts().get("products"))
if not has_catalog:
    st.session_state.setdefault(GROUP_KEY, GROUPS["creator"])
# Only the open tab's figures are worked out, each a count of customers of its own: the other waits for its click.
group_tabs = st.tabs(list(GROUPS.values()), key=GROUP_KEY, on_change=_tab_opened)
for tab, (group, group_label) in zip(group_tabs, GROUPS.items(), strict=True):
    if not tab.open:
        continue
    with tab:
        if group == "product_line" and not has_catalog:
            st.caption(
                "Product lines come from your products file: without one, every ASIN is “Unassigned”. Upload it on "
                "the **Data** page to compare your lines."
            )
        if group in BASELINE_DIMENSIONS:
            frame = queries.metrics(group_scope, (group,), repeat_days=repeat_days)
        else:
            frame = customer_value.with_scope_baselines(
                queries.metrics(group_scope, (group,), WITHOUT_BASELINES, repeat_days), group_totals
            )
        rows = customer_value.chart_rows(frame, group, metric, CHART_LIMIT[group])
        if rows.empty:
            st.info(
                f"No {group_label.lower()} has a {tables.label(metric)} in this selection: {missing.get(metric, '')}"
                if metric in missing
                else f"No {group_label.lower()} has attributed order lines in this selection. Widen the period in "
                "the sidebar, or upload an orders file with the creator column filled on the Data page.",
                icon=":material/info:",
            )
        else:
            st.plotly_chart(
                charts.attributed_vs_baseline(
                    rows,
                    group,
                    metric,
                    baseline,
                    title=f"{tables.label(metric)} by {group_label.lower()}: creator-attributed buyers"
                    # Said only where the chart draws all buyers' bars: this rate's baseline, not any of the three.
                    + (" vs all buyers" if rows[baseline].notna().any() else ""),
                    value_title=f"{tables.label(metric)} ({customer_value.unit(totals, metric)})",
                    group_title=group_label,
                ),
                key=f"customers_chart_{group}",
                config={"displayModeBar": False},
            )
            left_out = customer_value.groups_without_value(frame, group, metric)
            notes = []
            if CHART_LIMIT[group] and len(rows) == CHART_LIMIT[group]:
                notes.append(
                    f"The chart shows the {CHART_LIMIT[group]} {group_label.lower()}s with the most orders; the table "
                    "below has them all."
                )
            if left_out:
                notes.append(
                    f"{left_out} {group_label.lower()}{'s' if left_out > 1 else ''} with orders but no "
                    f"{tables.label(metric)} (no attributed order lines in this period) "
                    f"{'are' if left_out > 1 else 'is'} not on the chart."
                )
            if notes:
                st.caption(" ".join(notes))
        by_creator = group == "creator"
        table = customer_value.comparison_table(
            frame, group, available, with_baseline=customer_value.has_baseline(totals) and not by_creator
        )
        st.markdown(f"**Customer rates by {group_label.lower()}**")
        tables.show_table(
            table,
            key=f"customers_table_{group}",
            file_name=f"creator_lift_customers_by_{group}.csv",
            narrowed=filters.values(),
            height=min(38 + 35 * max(len(table), 1), 600),
            # The matured weeks' rows, when the repeat rate shows them, are named for those weeks.
            covering=tables.dates_covered(group_scope.start, group_scope.end)
            if group_scope is not scope and group_scope.start and group_scope.end
            else None,
        )
        if by_creator and customer_value.has_baseline(group_totals):
            st.caption(
                "Creators do not split the baseline (buyers who came without a creator have no creator), so every "
                "creator is compared with the same one, all buyers of the selected products: "
                + ", ".join(
                    f"{tables.label(m)} {tables.show(b, group_totals[b])}"
                    for m, b in customer_value.CUSTOMER_METRICS.items()
                )
                + "."
            )
        if table.isna().to_numpy().any():  # a footnote to a dash the table shows
            st.caption(customer_value.missing_footnote(repeat_days, all_pending=repeat_pending_here and not had_days))
