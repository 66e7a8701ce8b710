"""Campaigns: each campaign's commission against its budget, its pace, and the ones that need a look before they end."""

import streamlit as st

from analytics.contract.kinds import program_label
from analytics.metrics.campaigns import COLUMNS as PACING_COLUMNS
from analytics.metrics.campaigns import ENDING_SOON_DAYS, PACE_DAYS, status_labels, unlisted_note, with_ledger_ends
from analytics.metrics.grouped import SALES_METRICS
from analytics.review import screens as review
from analytics.words import day_words, range_words
from ui import notices, queries, session, sidebar, tables

# The ledger's columns as the engine orders them; each campaign's warning is shown above the table instead.
# Every column, the warning last: drawn above the table too, it stays with its row in a filed download.
COLUMNS = PACING_COLUMNS  # the command line's, money first
EXTRA_COLUMNS = {
    "type": st.column_config.TextColumn("Type"),
    "status": st.column_config.TextColumn("Status"),
    "start": st.column_config.DateColumn(
        "Start",
        format="MMM D, YYYY",
        help="The campaign's start in your ledger; for a campaign not in it, its first day of spend.",
    ),
    "end": st.column_config.DateColumn(
        "End", format="MMM D, YYYY", help="The campaign's end in your ledger; blank for a campaign not in it."
    ),
    "runs_out_on": st.column_config.DateColumn(
        "Budget runs out", format="MMM D, YYYY", help="The day the budget is spent at the current pace."
    ),
    "bonus_rate": st.column_config.NumberColumn("Bonus rate", format="percent"),
    "warning": st.column_config.TextColumn("Warning", help="The warning drawn above the table, if any."),
    # Spend since the campaign's start: the table at the foot of the page heads the period's own "Commission".
    "commission": tables.number_column(
        "money", "Commission to date", "Commission spent from the campaign's start to the day the budgets stand on."
    ),
    # Beside it, over the same days: a controller read these as the period's, which the table at the foot gives.
    "revenue": tables.number_column(
        "money", "Revenue to date", "Attributed revenue from the campaign's start to the day the budgets stand on."
    ),
    "commission_share": tables.number_column(
        "percent", "Commission share to date", "Commission to date over revenue to date."
    ),
}

st.title("Campaigns")
filters, last_day = notices.require_data()

# The last day of data by default: budgets are money to date. An earlier day gives a month's close its standing
# once the next month's data is loaded (the command line's campaigns --as-of), and travels in the link, so a shared
# close shows the same spend.
first_day = queries.data_from() or last_day
as_of_key = session.brand_key("campaigns_as_of")  # another brand's data ends on another day
as_of = st.columns([1, 3])[0].date_input(
    "Budgets as of",
    min_value=first_day,
    max_value=last_day,
    format="YYYY-MM-DD",  # as the sidebar's dates
    key=as_of_key,
    on_change=sidebar.led_by_the_url(
        as_of_key, sidebar.day_from_url(sidebar.AS_OF_PARAM, last_day, first_day, last_day)
    ),
    help=f"Spend up to this day, pace over the {PACE_DAYS} days to it, and days left after it: the last day of data, "
    "or an earlier day, as a month's close asks.",
)
sidebar.keep_in_url(sidebar.AS_OF_PARAM, as_of, last_day)
as_of_words = "the last day of data" if as_of == last_day else day_words(as_of)
pacing = queries.campaigns(as_of, as_of_words)
if pacing.empty:
    st.info(
        "No campaigns yet: the performance reports name none, and no campaign ledger is loaded. Upload a ledger "
        "(campaign, program, type, start, end, budget, bonus_rate) on the **Data** page to follow each budget.",
        icon=":material/campaign:",
    )
    st.stop()

st.caption(
    f"Commission spent up to {as_of:%b %-d, %Y}{', the last day of data,' if as_of == last_day else ''} against each "
    "campaign's budget in the ledger; "
    f"the pace is the spend per day over its last {PACE_DAYS} days. The sidebar's period and filters do not narrow "
    "this table, only the spend by campaign at the foot of the page. A campaign ending within "
    f"{ENDING_SOON_DAYS} days is flagged: creators must post a content link before the end date to keep their bonus."
)
for warning in pacing["warning"].dropna():
    st.warning(notices.md(warning), icon=":material/warning:")
unlisted = unlisted_note(pacing)
if unlisted:
    st.caption(notices.md(unlisted))
for note in queries.campaign_ledger_notes(as_of, as_of_words):
    st.caption(f":material/rule: {notices.md(note)}")
# Words as people read them: the program's name, a capitalised type and status ("Creator Connections", "Runs out
# early"), in the table and its Excel file; the CSV keeps the ledger's own values (creator_connections, always-on),
# as a script joining it to the ledger or the command line's output expects.
ledger = with_ledger_ends(pacing)
shown = ledger.assign(
    program=pacing["program"].map(program_label, na_action="ignore"),
    type=status_labels(pacing["type"]),
    status=status_labels(pacing["status"]),
)
tables.show_table(
    shown,
    key="campaigns_table",
    file_name="creator_lift_campaigns.csv",
    extra=EXTRA_COLUMNS,
    columns=COLUMNS,
    covering=f"as_of_{as_of.isoformat()}",  # each campaign from its start, not the sidebar's period
    exact=ledger,
)

# --- The period's spend by campaign, as a month's close asks it -------------------------------------------------
st.subheader("Spend by campaign in the period")
several_programs = len(queries.program_options(session.data_key())) > 1
by = ("program", "campaign") if several_programs else ("campaign",)
spend = queries.metrics(filters.scope(), by, SALES_METRICS)
if spend.empty:
    notices.show_empty_scope(filters)
else:
    spend = review.campaign_spend_table(spend)
    st.caption(
        f"Revenue and commission per campaign over {range_words(filters.start, filters.end)}, with the sidebar's "
        "filters: the rows add up to the Overview's totals for the same period. Unlike the table above, each "
        "campaign's spend is counted on the period's days only, whatever its ledger dates; "
        f"“{review.NO_CAMPAIGN}” holds the rows the reports give no campaign."
    )
    tables.show_table(
        spend,
        key="campaigns_period_table",
        file_name="creator_lift_spend_by_campaign.csv",
        narrowed=filters.values(),
        extra={
            "campaign": st.column_config.TextColumn("Campaign", pinned=True),
            "program": st.column_config.TextColumn("Program"),
        },
        columns=[*by, "revenue", "commission", "commission_share", "orders", "clicks", "conversion_rate"],
    )
    # The month's close reconciles the total against the invoice: said under the table, which a sort cannot move.
    revenue, commission = float(spend["revenue"].sum()), float(spend["commission"].sum())
    share = f" ({tables.show('commission_share', commission / revenue)} of revenue)" if revenue > 0 else ""
    st.caption(
        f"**Total:** {tables.show('revenue', revenue)} of revenue, {tables.show('commission', commission)} of "
        f"commission{share}, {tables.counted(spend['orders'].sum(), 'order')}."
    )
