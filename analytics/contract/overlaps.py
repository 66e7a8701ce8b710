"""When a load's rows would count sales the store already holds under other keys, declared per kind as data.

Loading the same key twice replaces the stored row; these rules catch the same sales arriving under a different
key (a file without the campaign column, a renamed campaign, a sales period cut differently), which would
otherwise be summed twice. `ingest.overlap` finds the stored rows a rule matches and stops the load until the
user chooses to replace them or keep both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OverlapRule:
    """Which stored rows (alias `cur`) a new row (alias `t`) of the same kind overlaps, and how to describe them.

    Stored rows whose natural key the new rows also carry are never overlaps: the load replaces those as always.
    """

    # What makes the stored rows overlap, completing "load 3 (march.csv) holds 12 rows ...".
    described: str
    matches: str  # SQL condition between `t` and `cur`
    first_day: str  # SQL over `cur`: the first day a stored row covers
    last_day: str  # SQL over `cur`: its last day
    amount: str  # SQL over `cur`: what it holds, the sum said to be at stake (revenue, unless `measure` says)
    # SQL over the row `{row}` (`cur` or `t`): what tells a stored row from the new one, as text, so the sentence can
    # show what each side holds ("stored as CC-100234 or CC-100299, Always-on in this file") and the user see at once
    # why they differ.
    told_apart_by: str
    # A join clause giving the rule more of the stored rows than their table holds (the period a stored summary sums
    # up), read wherever `cur` is.
    joined: str = ""
    # The rows on either side are a period's sums, which cannot be split: their revenue is what a replace removes, not
    # what would be counted twice, and keeping both keeps the two side by side.
    periods: bool = False
    # What to do instead if a period given is what is wrong, said after the choices.
    if_the_period_is_wrong: str = ""
    # What `amount` counts when it is not money ("searches"); empty for revenue in the brand's currency.
    measure: str = ""
    # Whether a stored row a new row restates by its key overlaps too, rather than being replaced as always: a
    # summary stored on its period's first day, which that day's daily row would replace, the rest of the period
    # lost with it.
    restated_too: bool = False


def _periods_cut_differently(
    same: str, described: str, amount: str, measure: str = "", advice: str = ""
) -> OverlapRule:
    """The rule of a kind of periods: stored rows of the same `same` (SQL between `t` and `cur`) over a different period
    sharing days with a new row's, whose sums a scope holding both periods would add up twice. `advice` says how the
    kind's files are best downloaded so that they do not overlap."""
    return OverlapRule(
        described=f"of the same {described} as new rows over a different period that overlaps theirs",
        matches=(
            f"{same} and t.period_start <= cur.period_end and cur.period_start <= t.period_end "
            "and not (t.period_start = cur.period_start and t.period_end = cur.period_end)"
        ),
        first_day="cur.period_start",
        last_day="cur.period_end",
        amount=amount,
        told_apart_by="strftime({row}.period_start, '%Y-%m-%d') || ' to ' || strftime({row}.period_end, '%Y-%m-%d')",
        periods=True,
        if_the_period_is_wrong="If the period given for this file is wrong, load it again with the right one instead."
        + (f" {advice}" if advice else ""),
        measure=measure,
    )


OVERLAP_RULES: dict[str, OverlapRule] = {
    "performance": OverlapRule(
        described="with the date, program, creator and ASIN of new rows but another campaign",
        matches=(
            "t.date = cur.date and t.program = cur.program and t.creator = cur.creator and t.asin = cur.asin "
            "and t.campaign is distinct from cur.campaign"
        ),
        first_day="cur.date",
        last_day="cur.date",
        amount="cur.revenue",
        told_apart_by="coalesce({row}.campaign, 'no campaign')",
    ),
    # A period cut differently (a month over stored weeks, weeks shifted by a day) would sum the days both cover
    # twice; the very same period is the same key, which the load replaces as always.
    # A Business Report of the last 30 days every week overlaps the last one by 23 days: neither can be split by day.
    "sales": _periods_cut_differently(
        "t.asin = cur.asin",
        "ASINs",
        "cur.total_revenue",
        advice="A sales report sums its period and cannot be split by day: reports of overlapping dates (a Business "
        "Report of the last 30 days, downloaded every week) keep only one of them, or count the days they share "
        "twice. Downloaded one week at a time (Sunday to Saturday), every week is kept whole.",
    ),
    # Brand Analytics' weekly and monthly Search Query Performance of the same query (and ASIN, in the ASIN View).
    "search": _periods_cut_differently(
        "t.search_query = cur.search_query and t.asin is not distinct from cur.asin",
        "search queries",
        "cur.search_query_volume",
        "searches",
    ),
    "repeat_purchase": _periods_cut_differently("t.asin = cur.asin", "ASINs", "cur.unique_customers", "buyers"),
    "cohorts": _periods_cut_differently(
        "t.creator is not distinct from cur.creator and t.campaign is not distinct from cur.campaign "
        "and t.asin is not distinct from cur.asin",
        "creators, campaigns and ASINs",
        "cur.buyers",
        "buyers",
    ),
}


# The loads whose rows sum up a period (a file of a kind read by day with no date column, its rows stored on the
# period's first day), as `load_id, period_start, period_end`, while a load runs: the period a stored row sums up is
# the load's, not the row's.
PERIOD_SUMS_TABLE = "cl_period_sums"

# The rules for a file whose rows are a period's sums (no date column: its rows stored on the period's first day, the
# period bound as $period_start and $period_end), in place of the kind's own.
PERIOD_SUM_OVERLAP_RULES: dict[str, OverlapRule] = {
    # A performance report of a period with no date column (its rows stored on the period's first day) sums up the
    # days that daily reports of the same creators and products hold: their sales would count twice.
    "performance": OverlapRule(
        described="of the same programs, creators and ASINs as new rows on days of the period this file sums up",
        matches=(
            "t.program = cur.program and t.creator = cur.creator and t.asin = cur.asin "
            "and cur.date between $period_start and $period_end"
        ),
        first_day="cur.date",
        last_day="cur.date",
        amount="cur.revenue",
        told_apart_by="case when '{row}' = 'cur' then 'rows of single days' else 'one row for the whole period' end",
        # Stored summaries are no days: `SUMS_OVER_STORED_SUMS_RULES` asks about them.
        joined=f"anti join {PERIOD_SUMS_TABLE} as sums on sums.load_id = cur.load_id and sums.period_start = cur.date",
    ),
}


# The kinds read by day whose file may instead sum up a period the person gives (a report with no date column):
# those whose summaries the store tells from their days.
PERIOD_SUM_KINDS = frozenset(PERIOD_SUM_OVERLAP_RULES)


# The rules for a file of days over stored rows summing up a period that holds some of them, beside the kind's own.
STORED_PERIOD_SUM_OVERLAP_RULES: dict[str, OverlapRule] = {
    # October's summary stored on Oct 1, then the daily download of Oct 1 – 7: the week's sales would count twice.
    "performance": OverlapRule(
        described="of the same programs, creators and ASINs as new rows, each summing up a period holding their days",
        matches=(
            "t.program = cur.program and t.creator = cur.creator and t.asin = cur.asin "
            "and t.date between sums.period_start and sums.period_end"
        ),
        first_day="sums.period_start",
        last_day="sums.period_end",
        amount="cur.revenue",
        told_apart_by=(
            "case when '{row}' = 'cur' then 'one row for ' || strftime(sums.period_start, '%Y-%m-%d') || ' to ' "
            "|| strftime(sums.period_end, '%Y-%m-%d') else 'rows of single days' end"
        ),
        joined=f"join {PERIOD_SUMS_TABLE} as sums on sums.load_id = cur.load_id and sums.period_start = cur.date",
        periods=True,
        restated_too=True,
        if_the_period_is_wrong=(
            "If the period given for a stored summary is wrong, undo its load and load it again with the right one."
        ),
    ),
}


# The rules for a file summing up a period over stored summaries of other periods sharing days with it, beside
# `PERIOD_SUM_OVERLAP_RULES`: the very same period again is a restatement, which the load replaces as always.
SUMS_OVER_STORED_SUMS_RULES: dict[str, OverlapRule] = {
    # October's summary stored, then one of Oct 15 – Nov 14 (Oct 15 – 31 twice), or of Oct 1 – 15, whose rows have
    # October's keys and would replace the month with half of it.
    "performance": OverlapRule(
        described="of the same programs, creators and ASINs as new rows, each summing up a period sharing days with "
        "this file's",
        matches=(
            "t.program = cur.program and t.creator = cur.creator and t.asin = cur.asin "
            "and sums.period_start <= $period_end and $period_start <= sums.period_end "
            "and not (sums.period_start = $period_start and sums.period_end = $period_end)"
        ),
        first_day="sums.period_start",
        last_day="sums.period_end",
        amount="cur.revenue",
        told_apart_by=(
            "case when '{row}' = 'cur' then 'one row for ' || strftime(sums.period_start, '%Y-%m-%d') || ' to ' "
            "|| strftime(sums.period_end, '%Y-%m-%d') else 'one row for ' || strftime($period_start, '%Y-%m-%d') "
            "|| ' to ' || strftime($period_end, '%Y-%m-%d') end"
        ),
        joined=f"join {PERIOD_SUMS_TABLE} as sums on sums.load_id = cur.load_id and sums.period_start = cur.date",
        periods=True,
        if_the_period_is_wrong=(
            "If the period given for this file or a stored summary is wrong, load it again with the right one (undo "
            "the stored one's load first)."
        ),
        restated_too=True,
    ),
}
