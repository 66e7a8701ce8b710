"""Campaign pacing: each campaign's commission against its budget, and whether it will last to its end date."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pandas as pd

from analytics.amounts import amount, cents, exact
from analytics.contract.kinds import program_label
from analytics.metrics.grouped import data_range
from analytics.words import day_words, plural

# The days whose spend sets a campaign's current pace, and how close an end date must be to warn.
PACE_DAYS = 14
# How far back Creator Connections' performance reports reach: older days are in the store only if downloaded then.
AMAZON_REPORT_DAYS = 90
ENDING_SOON_DAYS = 7
# An ended campaign's spend past its budget is named for this many days after its end: a month's close.
OVERSPENT_LOOK_BACK_DAYS = 28
STATUSES = (
    "runs out early",
    "over budget",
    "ends soon",
    "ended over budget",
    "earlier spend not loaded",
    "on track",
    "not started",
    "ended",
    "no ledger row",
)


def status_labels(statuses: pd.Series) -> pd.Series:
    """Statuses (or the ledger's campaign types) as a table heads a line with them: "Runs out early"."""
    return statuses.str.capitalize()


# The money first, then what the ledger says of the campaign: on a laptop's screen the pace, projection and run-out
# day stood past the table's right edge behind the ledger's type, program and dates. The warning stays last.
COLUMNS = (
    "campaign",
    "status",
    "budget",
    "commission",
    "budget_used",
    "budget_left",
    "pace_per_day",
    "projected_spend",
    "runs_out_on",
    "days_left",
    "program",
    "type",
    "start",
    "end",
    "campaign_creators",
    "revenue",
    "commission_share",
    "bonus_rate",
    "warning",
)

# Ledger campaigns count the performance rows of their campaign and program dated from their start to their end (or
# the last day of data, if sooner); a campaign the performance report names without a ledger row counts all its
# rows up to that day, its first and last days of spend standing in for its dates.
_SPEND = """
with ledger as (
    select
        campaign,
        program,
        "type",
        "start",
        "end",
        cast(budget as double) as budget,
        bonus_rate
    from campaigns
),

listed as (
    select
        l.campaign,
        l.program,
        l."type",
        l."start",
        l."end",
        l.budget,
        l.bonus_rate,
        cast(coalesce(sum(p.commission), 0) as double) as commission,
        cast(coalesce(sum(p.revenue), 0) as double) as revenue,
        count(distinct p.creator) filter (where p.clicks > 0 or p.orders > 0) as campaign_creators,
        cast(coalesce(sum(p.commission) filter (where p.date >= greatest(l."start", $pace_start)), 0) as double)
            as recent_commission,
        true as in_ledger
    from ledger as l
    left join performance as p
        on p.campaign = l.campaign
        and p.program = l.program
        and p.date between l."start" and least(l."end", $as_of)
    group by all
),

unlisted as (
    select
        p.campaign,
        p.program,
        cast(null as varchar) as "type",
        min(p.date) as "start",
        max(p.date) as "end",
        cast(null as double) as budget,
        cast(null as double) as bonus_rate,
        cast(sum(p.commission) as double) as commission,
        cast(sum(p.revenue) as double) as revenue,
        count(distinct p.creator) filter (where p.clicks > 0 or p.orders > 0) as campaign_creators,
        cast(coalesce(sum(p.commission) filter (where p.date >= $pace_start), 0) as double) as recent_commission,
        false as in_ledger
    from performance as p
    where p.campaign is not null
        and p.date <= $as_of
        and not exists (
            select 1
            from ledger as l
            where l.campaign = p.campaign
                and l.program = p.program
        )
    group by p.campaign, p.program
),

final as (
    select * from listed
    union all
    select * from unlisted
)

select * from final
"""


def _pacing(
    row: dict[str, object], as_of: date, as_of_words: str, data_from: date | None, today: date
) -> dict[str, object]:
    """One ledger campaign's pace, days left, projection, run-out day, status and warning; `as_of_words` names the
    day `as_of` is in the warnings. `data_from`: the store's first day of performance data; a campaign begun before
    it has spent what the store does not hold, and says so rather than be "on track" on part of its spend, and asks
    for what Amazon's reports still reach `today`."""
    start, end = row["start"], row["end"]
    budget = row["budget"]
    assert isinstance(start, date) and isinstance(end, date)
    running = start <= as_of <= end
    # The days it still runs after the last day of data: a campaign not yet started has all of its own, not the wait
    # before it as well.
    days_left = max((end - max(as_of, start - timedelta(days=1))).days, 0)
    window_start = max(start, as_of - timedelta(days=PACE_DAYS - 1))
    window_days = (min(end, as_of) - window_start).days + 1
    # In decimals of the amounts as written, the pace unrounded: from a pace in cents a projection over many days
    # drifted from the one worked out by hand, and in floating point it landed a hair off a half cent, or off a tie
    # ($30.30 left at $1.01 a day for 30 days read as running out early).
    spent_exact = exact(row["commission"])
    pace_exact = exact(row["recent_commission"]) / window_days if running and window_days > 0 else Decimal(0)
    projected_exact = spent_exact + pace_exact * days_left if running else spent_exact
    has_budget = isinstance(budget, float) and not math.isnan(budget)
    left_exact = exact(budget) - spent_exact if has_budget else None
    runs_out_on = None
    if running and left_exact is not None and pace_exact > 0 and 0 < left_exact < pace_exact * days_left:
        runs_out_on = as_of + timedelta(days=math.ceil(left_exact / pace_exact))
    spent, pace = float(spent_exact), float(pace_exact)
    left = float(left_exact) if left_exact is not None else None
    projected: float | None = float(projected_exact)
    ends_soon = running and days_left <= ENDING_SOON_DAYS
    warnings = []
    if runs_out_on is not None:
        early = (end - runs_out_on).days
        warnings.append(
            f"{row['campaign']} will spend its {amount(budget)} budget by {day_words(runs_out_on)} at its current "  # type: ignore[arg-type]
            # The pace's last day named: the review of a past period and the page of today's data differ by it.
            f"pace ({amount(pace)} a day over the {plural(window_days, 'day')} to {day_words(min(end, as_of))}), "
            f"{plural(early, 'day')} "
            f"before it ends on {day_words(end)}: raise the budget or lower the bonus rate to keep creators paid to "
            "the end."
        )
    elif running and left is not None and left <= 0 and not (days_left == 0 and left < 0):
        # By how much, when it is over: the figure a month's close asks for.
        spent_of = f"{amount(-left)} over its" if left < 0 else "all of its"
        warnings.append(
            f"{row['campaign']} has spent {amount(spent)}, {spent_of} {amount(budget)} budget, with "  # type: ignore[arg-type]
            f"{plural(days_left, 'day')} to go."
        )
    # Over its budget on its last day, the data's (a month's close with the month's data in): its spend is whole, and
    # what is left to do is the reconciling of a campaign that ended, not counting the days to go.
    ended_lately = end < as_of <= end + timedelta(days=OVERSPENT_LOOK_BACK_DAYS)
    if (ended_lately or (running and days_left == 0)) and left is not None and left < 0:
        allowed = spent + left  # the budget, as a number
        ended = "ended on" if ended_lately else "ends on"
        on = "" if ended_lately else ", the day the figures run to,"
        warnings.append(
            f"{row['campaign']} {ended} {day_words(end)}{on} having spent {amount(spent)}, {spent / allowed:.1%} of "
            f"its {amount(allowed)} budget: reconcile the {amount(-left)} over it before the month closes."
        )
    if ends_soon:
        when = "the day the figures run to" if days_left == 0 else f"{plural(days_left, 'day')} after {as_of_words}"
        warnings.append(
            f"{row['campaign']} ends on {day_words(end)}, {when}: "
            "creators must post a content link before the end date to keep their bonus, so remind those who have not."
        )
    unloaded = data_from is not None and start < data_from <= as_of
    # Said when the data holds part of it: one over before the data starts shows its status alone, not a warning.
    if unloaded and data_from is not None and end >= data_from:
        # Amazon's reports reach back AMAZON_REPORT_DAYS from the day they are downloaded, not from the data's last
        # day: spend older than that, never downloaded, is gone for good, and asking for it would ask the impossible.
        reach = today - timedelta(days=AMAZON_REPORT_DAYS - 1)
        gone = (
            f"Amazon's reports reach back {AMAZON_REPORT_DAYS} days, so its spend before {day_words(reach)} can no "
            "longer be downloaded: to track the rest, lower its budget in the ledger by what it spent before then."
        )
        if start >= reach:
            remedy = "Upload its earlier performance reports to see its whole spend."
        elif data_from <= reach:
            gone = gone.replace(f"its spend before {day_words(reach)}", "that spend")
            remedy = gone
        else:
            remedy = f"Upload its performance reports from {day_words(reach)} on. {gone}"
        warnings.append(
            f"{row['campaign']} began on {day_words(start)}, before the performance data starts on "
            f"{day_words(data_from)}: its spend before then is not loaded, so its budget used, pace and projection "
            f"count only what the data holds. {remedy}"
        )
    if runs_out_on is not None:
        status = "runs out early"
    elif running and left is not None and left <= 0:
        status = "over budget"
    elif ends_soon:
        status = "ends soon"
    elif as_of < start:
        status = "not started"
    elif as_of > end and left is not None and left < 0:
        # However long ago: the warning goes after four weeks, the status that it overspent stays.
        status = "ended over budget"
    elif unloaded:
        status = "earlier spend not loaded"
    elif as_of > end:
        status = "ended"
    else:
        status = "on track"
    if data_from is not None and end < data_from:
        # Over before the data starts: none of its spend is loaded, so its budget used, left and projected are
        # unknown rather than nothing spent.
        left, has_budget, projected = None, False, None
    return {
        "status": status,
        # Amounts of money in cents, as the ledger and the commission are: a difference of floats otherwise writes
        # 1469.5400000000009 in a download.
        "budget_left": cents(left) if left is not None else None,
        "budget_used": spent / budget if has_budget and budget else None,  # type: ignore[operator]
        "pace_per_day": pace if running else None,  # unrounded: a download keeps its every digit
        "days_left": days_left,
        # A campaign not yet started has no pace to project: blank, not a spend of $0.
        "projected_spend": cents(projected_exact) if projected is not None and as_of >= start else None,
        "runs_out_on": runs_out_on,
        "warning": " ".join(warnings) or None,
    }


def campaign_pacing(
    con: duckdb.DuckDBPyConnection,
    as_of: date | None = None,
    as_of_words: str = "the last day of data",
    today: date | None = None,
) -> pd.DataFrame:
    """Per campaign (the ledger's, then those the performance report names without a ledger row): commission spent
    against budget, days left, spend per day over the last `PACE_DAYS` days and the projected spend at that pace,
    the day the budget runs out when that is before the end, creators active, revenue, commission share, a status
    (one of STATUSES) and the warning to show, if any.

    `as_of` is the last day of data (default: the store's last performance day), or an earlier day a review is of,
    which `as_of_words` then names in the warnings; days after it are the days left.
    A campaign warns when it will spend its budget before its end date, has spent it all while still running, or
    ends within `ENDING_SOON_DAYS` days. Campaigns that need a look come first, then by start date. `today` (default:
    the clock's) is the day a campaign begun before the data is asked for the reports Amazon still has.
    """
    span = data_range(con)
    if as_of is None:
        as_of = span[1] if span else date.today()
    spend = con.execute(_SPEND, {"as_of": as_of, "pace_start": as_of - timedelta(days=PACE_DAYS - 1)}).df()
    rows = []
    for row in spend.to_dict("records"):
        row["start"], row["end"] = pd.Timestamp(row["start"]).date(), pd.Timestamp(row["end"]).date()
        if row["in_ledger"]:
            row.update(_pacing(row, as_of, as_of_words, span[0] if span else None, today or date.today()))
        else:
            row.update(
                status="no ledger row",
                budget_left=None,
                budget_used=None,
                pace_per_day=None,
                days_left=None,
                projected_spend=None,
                runs_out_on=None,
                warning=None,
            )
        row["commission_share"] = row["commission"] / row["revenue"] if row["revenue"] else None
        rows.append(row)
    table = pd.DataFrame(rows, columns=[*COLUMNS, "in_ledger"])
    table["order"] = table["status"].map(STATUSES.index)
    table = table.sort_values(["order", "start", "campaign"], ignore_index=True)
    table["campaign_creators"] = table["campaign_creators"].astype("int64")
    for name in ("budget", "budget_left", "budget_used", "pace_per_day", "projected_spend", "commission_share"):
        table[name] = table[name].astype("float64")
    table["days_left"] = table["days_left"].astype("Int64")
    return table[list(COLUMNS)]


# A campaign's commission share this far from its ledger bonus rate, over at least this much revenue, is named: the
# ledger and the rate set in Creator Connections disagree, or the ledger is out of date.
RATE_GAP = 0.02
RATE_GAP_MIN_REVENUE = 100.0

_OUTSIDE = """
select l.campaign, l.program, l."start", l."end", cast(sum(p.commission) as double) as commission
from campaigns as l
join performance as p
    on p.campaign = l.campaign
    and p.program = l.program
    and p.date <= $as_of
    and (p.date < l."start" or p.date > l."end")
group by all
having sum(p.commission) <> 0
order by l.campaign, l.program
"""


def with_ledger_ends(pacing: pd.DataFrame) -> pd.DataFrame:
    """`campaign_pacing` rows as a table shows them: a campaign without a ledger row has no end date (the engine's
    `end` is its last day of spend, which would read as the day it ended)."""
    return pacing.assign(end=pacing["end"].where(pacing["status"] != "no ledger row", None))


def unlisted_note(pacing: pd.DataFrame, in_review: bool = False) -> str | None:
    """The campaigns the performance reports name that the ledger does not, said with what to do (in the app) or as
    they stand (in the review a brand is sent, whose reader may not keep the ledger); None when none. The ledger is
    the brand's own file, not an Amazon download, so the note says what it is."""
    unlisted = pacing.loc[pacing["status"] == "no ledger row", "campaign"].tolist()
    if not unlisted:
        return None
    one = len(unlisted) == 1
    said = (
        f"{', '.join(unlisted)}: in the performance reports but not in the campaign ledger, the CSV of each "
        f"campaign's budget and dates, so {'it shows its' if one else 'they show their'} spend without a budget."
    )
    if in_review:
        return said
    return (
        f"{said} Add {'it' if one else 'them'} to the ledger (its template is under Templates on the Data page) and "
        "upload it again."
    )


def ledger_notes(con: duckdb.DuckDBPyConnection, pacing: pd.DataFrame, as_of: date) -> list[str]:
    """Where the performance reports and the ledger disagree, one sentence each: commission dated outside a ledger
    campaign's dates (not counted against its budget), commission the reports give no campaign (no campaign's
    row holds it), and a commission share `RATE_GAP` or more from the ledger's bonus rate over
    `RATE_GAP_MIN_REVENUE` of revenue or more. `pacing` is `campaign_pacing` as of `as_of`."""
    # The ledger's key is the campaign and its program: with several programs, a name alone could be either.
    several = pacing["program"].nunique() > 1

    def named(row: dict[str, object]) -> str:
        return f"{row['campaign']} ({program_label(str(row['program']))})" if several else str(row["campaign"])

    notes = [
        f"{named(row)}: {amount(row['commission'])} of commission is dated outside its ledger dates "
        f"({day_words(pd.Timestamp(row['start']).date())} to {day_words(pd.Timestamp(row['end']).date())}) and is "
        "not counted against its budget. Check the ledger's dates."
        for row in con.execute(_OUTSIDE, {"as_of": as_of}).df().to_dict("records")
    ]
    # Rows loaded from a file without a campaign column: real commission, in the totals, in no campaign's row.
    without = con.execute(
        "select count(*), cast(coalesce(sum(commission), 0) as double) from performance "
        "where campaign is null and date <= $as_of and commission <> 0",
        {"as_of": as_of},
    ).fetchone()
    if without and without[0]:
        notes.append(
            f"{amount(without[1])} of commission on {plural(without[0], 'performance row')} has no campaign (a file "
            "without a campaign column, or with the cell empty), so no campaign above counts it; the total commission "
            "on the other pages does."
        )
    priced = pacing[pacing["bonus_rate"].notna() & (pacing["revenue"] >= RATE_GAP_MIN_REVENUE)]
    for row in priced.to_dict("records"):
        share, rate = row["commission_share"], row["bonus_rate"]
        # Rounded: 12 % against 10 % is a gap of two points, which floats make a hair less.
        if share is not None and not pd.isna(share) and round(abs(share - rate), 9) >= RATE_GAP:
            notes.append(
                f"{named(row)}: its commission is {share:.1%} of its revenue, against the ledger's "
                f"{rate:.1%} bonus rate. Check the bonus rate set in Creator Connections against the ledger."
            )
    return notes
