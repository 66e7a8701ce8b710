"""Campaigns: each campaign's commission against its budget, its pace, and the ones that need a look before they end."""

import streamlit as st

from analytics.contract.kinds import program_label
from analytics.metrics.campaigns import COLUMNS as PACING_COLUMNS
from analytics.metrics.campaigns import ENDING_SOON_DAYS, PACE_DAYS, status_labels, unlisted_note
from ui import notices, queries, tables

# The ledger's columns as the engine orders them; each campaign's warning is shown above the table instead.
COLUMNS = tuple(name for name in PACING_COLUMNS if name != "warning")
EXTRA_COLUMNS = {
    "type": st.column_config.TextColumn("Type"),
    "status": st.column_config.TextColumn("Status"),
    "start": st.column_config.DateColumn("Start", format="MMM D, YYYY"),
    "end": st.column_config.DateColumn("End", format="MMM D, YYYY"),
    "runs_out_on": st.column_config.DateColumn(
        "Budget runs out", format="MMM D, YYYY", help="The day the budget is spent at the current pace."
    ),
    "bonus_rate": st.column_config.NumberColumn("Bonus rate", format="percent"),
}

st.title("Campaigns")
filters, as_of = notices.require_data()

pacing = queries.campaigns(as_of)
if pacing.empty:
    st.info(
        "No campaigns yet: the performance reports name none, and no campaign ledger is loaded. Upload a ledger "
        "(campaign, program, type, start, end, budget, bonus_rate) on the **Data** page to follow each budget.",
        icon=":material/campaign:",
    )
    st.stop()

st.caption(
    f"Commission spent up to {as_of:%b %-d, %Y}, the last day of data, against each campaign's budget in the ledger; "
    f"the pace is the spend per day over its last {PACE_DAYS} days. The sidebar's period and filters do not narrow "
    f"this page. A campaign ending within {ENDING_SOON_DAYS} days is flagged: creators must post a content link "
    "before the end date to keep their bonus."
)
for warning in pacing["warning"].dropna():
    st.warning(notices.md(warning), icon=":material/warning:")
unlisted = unlisted_note(pacing)
if unlisted:
    st.caption(notices.md(unlisted))
for note in queries.campaign_ledger_notes(as_of):
    st.caption(f":material/rule: {notices.md(note)}")
# Words as people read them: the program's name, a capitalised type and status ("Creator Connections", "Runs out
# early"), in the table and its downloads alike.
shown = pacing.assign(
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
)
