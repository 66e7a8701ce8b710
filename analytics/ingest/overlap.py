"""A load that would count stored sales twice: found before anything changes, then stopped, replaced or kept.

The rules live in `contract.overlaps`, one per kind; this module applies whichever the kind has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import duckdb

from analytics.amounts import DEFAULT_CURRENCY, amount, amounts_in
from analytics.contract.kinds import Kind
from analytics.contract.overlaps import (
    OVERLAP_RULES,
    PERIOD_SUM_OVERLAP_RULES,
    PERIOD_SUMS_TABLE,
    STORED_PERIOD_SUM_OVERLAP_RULES,
    SUMS_OVER_STORED_SUMS_RULES,
    OverlapRule,
)
from analytics.ingest.currency import store_currency
from analytics.ingest.layout import FileRejectedError
from analytics.sql import ident, keys_match
from analytics.words import alternatives, in_words, plural

OnOverlap = Literal["stop", "replace", "keep_both"]
ON_OVERLAP: tuple[OnOverlap, ...] = ("stop", "replace", "keep_both")
# How the command line offers the two choices; a page offers them as buttons instead.
COMMAND_LINE_CHOICES = "replace those rows with the new ones (--replace-overlap) or keep both (--keep-both)"
# The stored rows a load overlaps, by natural key, while the load runs.
OVERLAP_TABLE = "cl_overlap"


@dataclass(frozen=True)
class Overlap:
    """The stored rows a load overlaps: which loads hold them, the days they cover and the revenue they hold."""

    rows: int
    loads: tuple[tuple[int, str], ...]  # (load id, file name), oldest first
    first_day: date
    last_day: date
    days: int
    revenue: float
    described: str
    # What tells the overlapping rows apart, as `told_apart_by` shows it: the stored rows' values and the new file's,
    # each in the order of the first day they overlap on ("Spring or Summer" against "no campaign").
    told_apart: tuple[tuple[str, ...], tuple[str, ...]]
    # The load that first brought rows a later load re-sent (so the later one holds them now), when it is not one of
    # `loads`: (load id, file name). A load log reading "0 added" beside the holder is explained by it.
    first_loaded: tuple[int, str] | None = None
    currency: str = DEFAULT_CURRENCY  # the store's, which `revenue` is in
    # Rows of periods (a Business Report's week, a stored summary of a month): the periods share only some days with the
    # new rows, and a period cannot be split, so their revenue is what a replace removes, not what would be counted
    # twice.
    periods: bool = False
    if_the_period_is_wrong: str = ""  # what to do instead, if a period given is what is wrong
    measure: str = ""  # what `revenue` counts when it is not money ("searches")
    # The last day of the new rows' periods, when every stored period both starts and ends after theirs: the file
    # looks like an older download than the stored one, which a replace would put back in its place.
    older_to: date | None = None

    def _revenue(self) -> str:
        with amounts_in(self.currency):
            return amount(self.revenue)

    def _held(self) -> str:
        """What the overlapping rows hold: "$5,487.11 of revenue", "16,088 searches"."""
        return f"{round(self.revenue):,} {self.measure}" if self.measure else f"{self._revenue()} of revenue"

    def keep_both_label(self) -> str:
        """The choice to keep both, as a button names it: what it does to the totals, where it counts sales twice
        ("Count both: adds $5,487.11 again"); a period's rows cut differently are kept side by side."""
        return "Keep both" if self.periods else f"Count both: adds {self._revenue()} again"

    def replace_help(self) -> str:
        """What the choice to replace does, as a button's help says it: the stored rows give way, and where what tells
        them apart is the campaign, their sales and spend count under the file's from then on."""
        stored, new = self.told_apart
        moved = (
            ""
            if self.periods
            else f" Their sales and commission then count under {alternatives(new)}, not {alternatives(stored)}: "
            "a campaign's budget used and pace lose them."
        )
        return f"The stored rows it overlaps give way to this file's; undoing this load brings them back.{moved}"

    def sentence(self, file_name: str, choices: str = COMMAND_LINE_CHOICES) -> str:
        """One sentence for the person loading: what overlaps, where, the revenue at stake, and `choices`."""
        many = len(self.loads) > 1
        stored, new = self.told_apart
        loads = ("loads " if many else "load ") + " and ".join(f"{i} ({name})" for i, name in self.loads)
        if self.first_loaded is not None:
            loads += f", re-sending rows first loaded by load {self.first_loaded[0]} ({self.first_loaded[1]}),"
        span = (
            f"on {self.first_day.isoformat()}"
            if self.first_day == self.last_day
            else f"on {self.days} days from {self.first_day.isoformat()} to {self.last_day.isoformat()}"
        )
        at_stake = (
            f"with {self._held()} in all, which a scope holding both periods would add to this file's, counting the "
            "days they share twice"
            if self.periods
            else f"with {self._held()} that would be counted twice"
        )
        wrong_period = f" {self.if_the_period_is_wrong}" if self.if_the_period_is_wrong else ""
        older = (
            f" The stored rows run to {self.last_day.isoformat()}, past this file's {self.older_to.isoformat()}: this "
            "file looks like an older download, and replacing would put its figures in place of the newer ones."
            if self.older_to is not None
            else ""
        )
        return (
            f"{file_name}: {loads} {'hold' if many else 'holds'} {plural(self.rows, 'row')} "
            f"{self.described} (stored as {alternatives(stored)}, {alternatives(new)} in this file), {span}, "
            f"{at_stake}; nothing was loaded: {choices}.{older}{wrong_period}"
        )


class OverlapError(FileRejectedError):
    """A load stopped because its rows overlap stored rows under other keys; carries the details for a choice."""

    def __init__(self, file_name: str, overlap: Overlap) -> None:
        super().__init__(overlap.sentence(file_name))
        self.file_name = file_name
        self.overlap = overlap


def find_overlap(
    con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, summed: tuple[date, date] | None = None
) -> Overlap | None:
    """The stored rows of `kind` that the new rows in table `rows` overlap (kept in OVERLAP_TABLE), or None.
    `summed`: the period the rows sum up, when the file has no date column (`PERIOD_SUM_OVERLAP_RULES`).

    The kind's rules are asked in turn and the first that finds rows is the overlap: the load stops on it, or replaces
    or keeps what it found. Kinds without a rule never overlap; neither does anything when the kind's table is empty.
    """
    con.execute(f"drop table if exists {OVERLAP_TABLE}")
    if con.execute(f"select not exists (select 1 from {ident(kind.table)})").fetchone() == (True,):
        return None
    # Made first, empty or not: the rules read it (a summary's rule leaves the stored summaries to their own).
    stored_sums = kind.name in STORED_PERIOD_SUM_OVERLAP_RULES and keep_period_sums(con, kind)
    rules = [(PERIOD_SUM_OVERLAP_RULES if summed else OVERLAP_RULES).get(kind.name)]
    if stored_sums:
        rules.append((SUMS_OVER_STORED_SUMS_RULES if summed else STORED_PERIOD_SUM_OVERLAP_RULES)[kind.name])
    for rule in rules:
        if rule is not None and (overlap := _overlap_by(con, kind, rows, rule, summed)) is not None:
            return overlap
    return None


def keep_period_sums(con: duckdb.DuckDBPyConnection, kind: Kind) -> bool:
    """Keep in PERIOD_SUMS_TABLE the loads of a kind read by day whose stored rows sum up a period of more than a day:
    a load of such a kind logs a period only when its file had no date column. Whether there are any."""
    con.execute(
        f"""
        create or replace temp table {PERIOD_SUMS_TABLE} as
        select l.load_id, l.period_start, l.period_end
        from loads as l
        semi join {ident(kind.table)} as cur on cur.load_id = l.load_id
        where l.kind = $kind and l.period_end > l.period_start
        """,
        {"kind": kind.name},
    )
    return con.execute(f"select exists (select 1 from {PERIOD_SUMS_TABLE})").fetchone() == (True,)


def _overlap_by(
    con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, rule: OverlapRule, summed: tuple[date, date] | None
) -> Overlap | None:
    """The stored rows of `kind` that the new rows in table `rows` overlap by `rule` (kept in OVERLAP_TABLE)."""
    parameters = {"period_start": summed[0], "period_end": summed[1]} if summed else {}
    table = ident(kind.table)

    restated = "" if rule.restated_too else f"anti join {ident(rows)} as same on {keys_match('same', 'cur', kind.key)}"

    def overlapped(by: str) -> None:
        con.execute(
            f"""
            create or replace temp table {OVERLAP_TABLE} as
            select cur.*
            from {table} as cur
            {rule.joined}
            semi join {by} as t on {rule.matches}
            {restated}
            """,
            parameters,
        )

    overlapped(ident(rows))
    # A period's sums restating the row of its first day still sum the days after it: asked of every row.
    exists = f"select exists (select 1 from {OVERLAP_TABLE})"
    if not summed and not rule.restated_too and con.execute(exists).fetchone() == (True,):
        # Only the file's rows new to the store can add a sale counted twice: a row restating a stored one (an
        # older download again) leaves the rows beside it as they were, already counted once each. Asked only
        # when something overlaps, so the usual load pays nothing for it.
        overlapped(
            f"(select * from {ident(rows)} as t anti join {table} as stored on {keys_match('t', 'stored', kind.key)})"
        )
    found = con.execute(
        f"""
        select
            count(*),
            min({rule.first_day}),
            max({rule.last_day}),
            cast(coalesce(sum({rule.amount}), 0) as double)
        from {OVERLAP_TABLE} as cur
        {rule.joined}
        """
    ).fetchone()
    if found is None or found[0] == 0:
        return None
    days = con.execute(
        f"""
        select count(distinct day)
        from (
            select unnest(generate_series({rule.first_day}, {rule.last_day}, interval 1 day)) as day
            from {OVERLAP_TABLE} as cur
            {rule.joined}
        )
        """
    ).fetchone()
    told_apart = con.execute(
        f"""
        with pairs as (
            select
                {rule.told_apart_by.format(row="cur")} as stored,
                {rule.told_apart_by.format(row="t")} as new,
                {rule.first_day} as day
            from {OVERLAP_TABLE} as cur
            {rule.joined}
            join {ident(rows)} as t on {rule.matches}
        )
        select
            (select list(stored order by first, stored) from (select stored, min(day) as first from pairs group by 1)),
            (select list(new order by first, new) from (select new, min(day) as first from pairs group by 1))
        """,
        parameters,
    ).fetchone()
    assert told_apart is not None
    loads = con.execute(
        f"""
        select l.load_id, l.file_name
        from loads as l
        semi join {OVERLAP_TABLE} as cur on cur.load_id = l.load_id
        order by l.load_id
        """
    ).fetchall()
    # Rows a later load re-sent are held by it; their first version, kept in the history, names the load that brought
    # them, which the person looking through the load log recognises.
    first = con.execute(
        f"""
        select l.load_id, l.file_name
        from {ident(kind.history_table)} as h
        semi join {OVERLAP_TABLE} as cur on {keys_match("h", "cur", kind.key)}
        join loads as l on l.load_id = h.load_id
        order by l.load_id
        limit 1
        """
    ).fetchone()
    older_to = None
    if rule.periods and "period_end" in kind.column_names:
        new = con.execute(f"select min(period_start), max(period_end) from {ident(rows)}").fetchone()
        if new is not None and new[1] is not None:
            # Every stored period both starts and ends after the file's: a month over its weeks is no older download.
            stored = con.execute(f"select min(period_start), min(period_end) from {OVERLAP_TABLE}").fetchone()
            if stored is not None and stored[0] > new[0] and stored[1] > new[1]:
                older_to = new[1]
    return Overlap(
        older_to=older_to,
        first_loaded=(int(first[0]), str(first[1])) if first is not None and first[0] < loads[0][0] else None,
        rows=int(found[0]),
        loads=tuple((int(load_id), str(name)) for load_id, name in loads),
        first_day=found[1],
        last_day=found[2],
        days=int(days[0]) if days else 0,
        revenue=float(found[3]),
        described=rule.described,
        told_apart=(tuple(map(str, told_apart[0])), tuple(map(str, told_apart[1]))),
        currency=store_currency(con),
        periods=rule.periods,
        if_the_period_is_wrong=rule.if_the_period_is_wrong,
        measure=rule.measure,
    )


def overlap_note(overlap: Overlap, on_overlap: OnOverlap) -> str:
    """What the load did with the rows it overlaps, for its load message."""
    loads = ("loads " if len(overlap.loads) > 1 else "load ") + in_words([str(load_id) for load_id, _ in overlap.loads])
    rows = plural(overlap.rows, "overlapping row")
    if on_overlap == "replace":
        return f"replaced {rows} of {loads} (unloading this file brings {'it' if overlap.rows == 1 else 'them'} back)"
    return f"kept both: {rows} of {loads} {'stays' if overlap.rows == 1 else 'stay'} beside the new rows"
