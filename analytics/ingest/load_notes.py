"""What a load brings, said so a marketer can check it: the days it covers, and the creators and ASINs it adds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from analytics.amounts import amount, signed_amount
from analytics.contract.kinds import MONEY_TOTALS, PERFORMANCE, PERIOD_COLUMNS, Column, Kind
from analytics.sql import days_without_rows, ident, keys_match, week_of
from analytics.words import in_words, named, plural, range_words


def arrival_notes(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, dates: bool = True) -> list[str]:
    """Notes on the rows in table `rows`, read before they are merged: the dates they cover (over the kind's
    `day_columns`; not when `dates` is false, for rows whose one period is said already), then the creators and ASINs
    new to the store: neither the kind's stored rows nor any creator activity (`activity`) nor, for ASINs, the
    catalog has had them. An order file's creators are the performance report's, and a sales file's ASINs the
    catalog's: named again, they would read as names that failed to match."""
    notes = []
    days = kind.day_columns
    if days and dates:
        first = ", ".join(f"min({ident(d)})" for d in days)
        last = ", ".join(f"max({ident(d)})" for d in days)
        row = con.execute(f"select least({first}), greatest({last}) from {ident(rows)}").fetchone()
        if row and row[0] is not None:
            span = row[0].isoformat() if row[0] == row[1] else f"{row[0].isoformat()} to {row[1].isoformat()}"
            notes.append(f"dates {span}")
            if kind is PERFORMANCE and row[0] != row[1]:
                notes += _days_left_out(con, rows)
    if set(PERIOD_COLUMNS) <= set(kind.column_names):
        notes += _weeks_crossed(con, rows)
    for column, label in (("creator", "creators"), ("asin", "ASINs")):
        if column not in kind.column_names:
            continue
        # The catalog and the Business Report list the brand's ASINs, whichever file names them first.
        known = (kind.table, "activity", *(("products", "sales") if column == "asin" else ()))
        new = [str(value) for (value,) in con.execute(_new_values_sql(known, rows, column)).fetchall()]
        if new:
            notes.append(f"new {label}: {named(new)}")
    return notes


def more_through_creators(con: duckdb.DuckDBPyConnection, rows: str) -> list[str]:
    """A sales row whose ASIN sold more through creators over its period (the performance rows of those days) than
    its total: no report says so, so the period given is likely not the report's (a week filed under another). Said
    for the row furthest over, with how many more; not refused, since a late restatement can do it by cents."""
    found = con.execute(
        f"""
        with span as (select min(period_start) as first, max(period_end) as last from {ident(rows)}),
        daily as (
            select asin, date, sum(revenue) as revenue
            from performance, span
            where date between span.first and span.last
              and asin in (select asin from {ident(rows)})
            group by asin, date
        ),
        running as (
            select asin, date, sum(revenue) over (partition by asin order by date) as upto
            from daily
        ),
        compared as (
            select
                r.asin,
                r.period_start,
                r.period_end,
                r.total_revenue,
                coalesce(through.upto, 0) - coalesce(before.upto, 0) as attributed
            from {ident(rows)} as r
            asof left join running as through on r.asin = through.asin and r.period_end >= through.date
            asof left join running as before on r.asin = before.asin and r.period_start > before.date
            where r.asin is not null and r.total_revenue is not null
        )
        select asin, period_start, period_end, cast(total_revenue as double), cast(attributed as double),
               count(*) over ()
        from compared
        where attributed > total_revenue + 0.005
        order by attributed - total_revenue desc, asin, period_start
        limit 1
        """
    ).fetchone()
    if found is None:
        return []
    asin, start, end, total, attributed, count = found
    more = f" ({plural(int(count) - 1, 'other row')} too)" if count > 1 else ""
    return [
        f"{asin} sold {amount(attributed)} through creators from {start.isoformat()} to {end.isoformat()}, more than "
        f"this file's total of {amount(total)} for it{more}: check that the period is the report's"
    ]


def before_the_creators_days(con: duckdb.DuckDBPyConnection, rows: str) -> list[str]:
    """A sales file whose periods lie wholly outside the days the brand's performance data covers: its creators' share
    reads 0 % there, which means only that those days' performance reports are not loaded (a report filed under a week
    before the data, say). Said once, naming the first such period and how many. (A quiet week inside the data is
    no such period: its share of 0 % is the creators'.)"""
    found = con.execute(
        f"""
        with periods as (select distinct period_start, period_end from {ident(rows)} where period_start is not null),
        span as (select min(date) as first, max(date) as last from performance)
        select count(*), min(period_start), arg_min(period_end, period_start)
        from periods as p, span
        where p.period_end < span.first or p.period_start > span.last
        """
    ).fetchone()
    if found is None or not found[0]:
        return []
    count, start, end = found
    others = f" and {plural(count - 1, 'other period')}" if count > 1 else ""
    which = f"{start.isoformat()} to {end.isoformat()}{others}"
    return [
        f"no creator performance is loaded for {which}: creators' share of these sales reads 0 % until those days' "
        "performance reports are loaded; check that the period is the report's"
    ]


def days_apart(con: duckdb.DuckDBPyConnection, rows: str) -> list[str]:
    """A sales file of single days whose days stand as far apart as a report's periods do (weeks stacked into one
    file, each under its first or last day in a date column): each row is read as that day's sales, so the creators'
    share of them, the sales of one day over a week's total, reads a seventh of what it is. Said, not refused: a
    brand may download the odd day."""
    found = con.execute(
        f"""
        with days as (select distinct period_start as day from {ident(rows)}),
        gaps as (select day - lag(day) over (order by day) as gap from days)
        select
            (select bool_and(period_start = period_end) from {ident(rows)}),
            count(*),
            min(gap),
            max(gap)
        from gaps
        where gap is not null
        """
    ).fetchone()
    if found is None or not found[0] or found[1] < 1 or found[2] < 2:
        return []
    # Weeks, or months (30 and 31 days), or weeks with one missing: no two days side by side.
    apart = f"{found[2]} days apart" if found[2] == found[3] else f"{found[2]} to {found[3]} days apart"
    span = f"the {found[2]} days" if found[2] == found[3] else "the days"
    return [
        f"each row is read as the sales of its one day, and the days are {apart}: if each row sums up {span} from "
        "or to its date (reports stacked in one file), its creators' share reads far too low; load each report on "
        "its own with its period, or give the rows their Start and End Date columns"
    ]


def _weeks_crossed(con: duckdb.DuckDBPyConnection, rows: str) -> list[str]:
    """A week's report whose period crosses a Sunday (Monday to Sunday, say): it counts in no Sunday–Saturday week,
    so the weekly views leave it out. Said for periods of a week or less; a month crosses weeks as it should."""
    found = con.execute(
        f"""
        select count(*), min(period_start), arg_min(period_end, period_start)
        from {ident(rows)}
        where period_end - period_start < 7
          and {week_of("period_start")} <> {week_of("period_end")}
        """
    ).fetchone()
    if not found or not found[0]:
        return []
    one = found[0] == 1
    return [
        f"{plural(found[0], 'row')} {'covers' if one else 'cover'} a week that is not Sunday to Saturday (such as "
        f"{found[1].isoformat()} to {found[2].isoformat()}): weekly charts and tables leave {'it' if one else 'them'} "
        "out, as a row counts in the week its period lies in; Amazon's reporting weeks run Sunday to Saturday"
    ]


# Rows a day a performance file must average before a day without any is worth a word: a small program's quiet
# days are not a download's gaps.
BUSY_DAY_ROWS = 5


def _days_left_out(con: duckdb.DuckDBPyConnection, rows: str) -> list[str]:
    """A performance file's days between its first and last without a row, when its other days are busy (averaging
    `BUSY_DAY_ROWS` rows or more): a download cut short or filtered, as such a program rarely has a day without one."""
    found = con.execute(
        f"select count(*) >= $busy * count(distinct date), min(date), max(date) from {ident(rows)}",
        {"busy": BUSY_DAY_ROWS},
    ).fetchone()
    if found is None or found[0] is not True:
        return []
    missing = [day for (day,) in con.execute(days_without_rows(rows), {"start": found[1], "end": found[2]}).fetchall()]
    if not missing:
        return []
    days = named([day.isoformat() for day in missing])
    return [f"no rows for {len(missing)} day{'s' if len(missing) != 1 else ''} inside its dates: {days}"]


def _new_values_sql(tables: tuple[str, ...], rows: str, column: str) -> str:
    """The distinct values of `column` in table `rows` that none of `tables` holds, in order.

    The file's few distinct values probe the stored rows (an anti join): a set difference would first work out the
    stored column's distinct values over every row, which a weekly file's load paid for again each time.
    """
    value = ident(column)
    probes = " ".join(
        f"anti join {ident(table)} as s{n} on s{n}.{value} = a.{value}" for n, table in enumerate(dict.fromkeys(tables))
    )
    return (
        f"with arriving as (select distinct {value} from {ident(rows)} where {value} is not null) "
        f"select a.{value} from arriving as a {probes} order by 1"
    )


def replaced_since(con: duckdb.DuckDBPyConnection, kind: Kind, load_id: int) -> int:
    """How many of load `load_id`'s rows a later load in effect holds now with other values: the figures of that
    file no longer shown, as after an older download loaded after it (`older_download_note`)."""
    values = [c for c in kind.column_names if c not in kind.key]
    if not values:
        return 0
    changed = " or ".join(f"h.{ident(c)} is distinct from cur.{ident(c)}" for c in values)
    row = con.execute(
        f"select count(*) from {ident(kind.history_table)} as h join {ident(kind.table)} as cur "
        f"on {keys_match('h', 'cur', kind.key)} where h.load_id = $id and cur.load_id > $id and ({changed})",
        {"id": load_id},
    ).fetchone()
    return int(row[0]) if row else 0


def replacing_loads(
    con: duckdb.DuckDBPyConnection, kind: Kind, load_id: int
) -> tuple[date | None, tuple[tuple[int, str, date | None], ...]]:
    """How far load `load_id`'s rows ran (their last day, over the kind's last day column), and the later loads in
    effect that hold some of them now with other values (`replaced_since`): each one's id, file name and how far
    its own rows run. Which of two downloads is the later one shows in how far each runs: Amazon's later download
    of the same days runs to later days as well."""
    days = kind.day_columns
    values = [c for c in kind.column_names if c not in kind.key]
    if not days or not values:
        return None, ()
    day = ident(days[-1])
    changed = " or ".join(f"h.{ident(c)} is distinct from cur.{ident(c)}" for c in values)
    history, table = ident(kind.history_table), ident(kind.table)
    # The load's rows, those still current and those a later load replaced (kept in the history under its id).
    reach = (
        f"select max(d) from (select {day} as d from {table} where load_id = $id "
        f"union all select {day} from {history} where load_id = $id)"
    )
    found = con.execute(
        f"""
        with later as (
            select distinct cur.load_id
            from {history} as h join {table} as cur on {keys_match("h", "cur", kind.key)}
            where h.load_id = $id and cur.load_id > $id and ({changed})
        )
        select l.load_id, l.file_name, (select max({day}) from {table} as t where t.load_id = l.load_id)
        from loads as l semi join later using (load_id)
        order by l.load_id
        """,
        {"id": load_id},
    ).fetchall()
    own = con.execute(reach, {"id": load_id}).fetchone()
    return (own[0] if own else None), tuple((int(i), str(name), runs_to) for i, name, runs_to in found)


@dataclass(frozen=True)
class OlderDownload:
    """A file whose rows would put back figures a download running to later days has since restated: what it
    changes (`facts`, a clause), how to undo that once loaded (`remedy`), the later loads (`later`, their ids), what
    they are called in a sentence (`held_by`), and how many of the file's rows none of them holds (`others`, with
    what they hold: `others_held`, a clause): those
    a load keeping the newer figures would still bring (`keep_newer_figures`)."""

    facts: str
    remedy: str
    later: tuple[int, ...] = ()
    held_by: str = ""
    others: int = 0
    others_held: str = ""

    @property
    def note(self) -> str:
        """The load's caution, once the file is loaded."""
        return f"{self.facts}: {self.remedy}"

    def question(self, file_name: str) -> str:
        """The question before the load, for a page that asks first (`importer.load_file`'s `on_older`)."""
        then = (
            f"keep them and load only the {plural(self.others, 'row')} the later download does not hold "
            f"({self.others_held}), which discarding it would lose"
            if self.others
            else "discard it, as the store holds the rest of it already"
        )
        return (
            f"{file_name}: its {self.facts}; nothing was loaded. If it was downloaded before that, the store holds the "
            f"later figures: {then}. Load it whole only to put its older figures back."
        )


def older_download_note(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> OlderDownload | None:
    """Said when the performance rows in table `rows` change stored rows that a download running to later days
    loaded: Amazon restates recent days for weeks, so an older download loaded after a newer one puts back the
    figures since corrected. Loading the newer file again, saying to (`load_file`'s `again`), puts its figures back
    and keeps this file's other days (`replaced_since`); undoing this load would lose them. A caution: only the
    person loading knows which download is the later one. None otherwise, and at once when the file runs to the
    store's last day or later, as each week's new file does."""
    if kind is not PERFORMANCE:
        return None
    ends = con.execute(f"select (select max(date) from {ident(rows)}), (select max(date) from performance)").fetchone()
    if ends is None or None in ends or ends[0] >= ends[1]:
        return None
    values = [c for c in kind.column_names if c not in kind.key]
    changed = " or ".join(f"t.{ident(c)} is distinct from cur.{ident(c)}" for c in values)
    found = con.execute(
        f"""
        with changed as (
            select
                cur.load_id,
                count(*) as rows,
                sum(t.revenue) - sum(cur.revenue) as moved,
                sum(t.commission) - sum(cur.commission) as paid
            from {ident(rows)} as t
            join performance as cur on {keys_match("t", "cur", kind.key)}
            where {changed}
            group by cur.load_id
        ),
        -- How far each download ran: its rows still current and those a later load has replaced since.
        reached as (
            select load_id, max(date) as runs_to
            from (
                select load_id, date from performance semi join changed using (load_id)
                union all
                select load_id, date from performance_history semi join changed using (load_id)
            )
            group by load_id
        ),
        later as (
            select c.load_id, c.rows, c.moved, c.paid, r.runs_to
            from changed as c
            join reached as r using (load_id)
            where r.runs_to > $last
        )
        select sum(rows), cast(sum(moved) as double), cast(sum(paid) as double), list(l.load_id order by l.load_id),
               list(l.file_name order by l.load_id), max(runs_to)
        from later join loads as l using (load_id)
        """,
        {"last": ends[0]},
    ).fetchone()
    if found is None or not found[0]:
        return None
    count, moved, paid, ids, names, runs_to = found
    loads = " and ".join(f"{i} ({n})" for i, n in zip(ids, names, strict=True))
    _reach_of_later(con, list(ids))
    # What keeping the newer figures would bring: rows no later download covers, less those stored as they are.
    others = con.execute(
        f"""
        select count(*), min(date), max(date), cast(coalesce(sum(revenue), 0) as double)
        from {ident(rows)} as t
        where not ({_covered_by_later_sql(kind)}) and not exists ({_stored_as_it_is_sql(kind)})
        """,
        {"later": ids},
    ).fetchone()
    assert others is not None
    con.execute(f"drop table if exists {LATER_REACH_TABLE}")
    rows_restate, their = ("rows restate", "their") if count != 1 else ("row restates", "its")
    several = len(ids) > 1
    held_by = f"load{'s' if several else ''} {loads}, a download running to {runs_to.isoformat()}"
    that = "those files" if several else "that file"
    return OlderDownload(
        f"{count} {rows_restate} days that {held_by}, already held, moving {their} revenue by "
        f"{signed_amount(moved)} and commission by {signed_amount(paid or 0.0)}",
        f"if this file was downloaded before {'those' if several else 'that one'}, load {that} again and say to put "
        f"{'their' if several else 'its'} figures back (the command line's --again; this file's other days stay)",
        tuple(int(i) for i in ids),
        held_by,
        int(others[0]),
        _days_and_revenue(others[1], others[2], others[3]) if others[0] else "",
    )


def _days_and_revenue(first: date, last: date, revenue: float) -> str:
    """Rows' days and revenue in a clause: "Sep 9 – Oct 19, 2026, $800.12 of revenue"."""
    return f"{range_words(first, last)}, {amount(revenue)} of revenue"


# The rows the later loads of an older download brought (current or replaced since), while its load runs.
LATER_REACH_TABLE = "cl_later_reach"


def _reach_of_later(con: duckdb.DuckDBPyConnection, later: list[int]) -> None:
    """Table LATER_REACH_TABLE: the day, program, campaign, creator and ASIN of every performance row the loads in
    `later` brought, still current or replaced since: what those downloads covered."""
    columns = "load_id, date, program, campaign, creator, asin"
    con.execute(
        f"""
        create or replace temp table {LATER_REACH_TABLE} as
        select {columns} from performance where list_contains($later, load_id)
        union all
        select {columns} from performance_history where list_contains($later, load_id)
        """,
        {"later": later},
    )


def _covered_by_later_sql(kind: Kind) -> str:
    """A condition on row `t`: one of the later loads holds its key now (`$later`), or a later download covered it
    and left it out: its day lies in that download's days, which name its program, campaign and creator and its
    ASIN (as `ingest.missing` asks of a newer download). Such a row is the later download's to hold or drop."""
    held = keys_match("t", "cur", kind.key)
    return f"""(
        exists (select 1 from {ident(kind.table)} as cur where {held} and list_contains($later, cur.load_id))
        or exists (
            select 1
            from (
                select load_id, min(date) as first, max(date) as last from {LATER_REACH_TABLE} group by load_id
            ) as span
            where t.date between span.first and span.last
              and exists (
                  select 1 from {LATER_REACH_TABLE} as r
                  where r.load_id = span.load_id and r.program = t.program
                    and r.campaign is not distinct from t.campaign and r.creator = t.creator
              )
              and exists (select 1 from {LATER_REACH_TABLE} as r where r.load_id = span.load_id and r.asin = t.asin)
        )
    )"""


def _stored_as_it_is_sql(kind: Kind) -> str:
    """A subquery finding the current row of row `t` when it holds the same values: a row the load leaves as it is."""
    same = " and ".join(
        f"t.{ident(c)} is not distinct from cur.{ident(c)}" for c in kind.column_names if c not in kind.key
    )
    return f"select 1 from {ident(kind.table)} as cur where {keys_match('t', 'cur', kind.key)} and {same}"


def keep_newer_figures(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, older: OlderDownload) -> str:
    """Leave out of table `rows` every row a later download holds or covered (`older.later`, `_covered_by_later_sql`:
    a sale it dropped stays dropped), so that the load brings only the rest: the days the later download no longer
    covers. Returns the load's note saying so."""
    _reach_of_later(con, list(older.later))
    dropped = con.execute(
        f"delete from {ident(rows)} as t where {_covered_by_later_sql(kind)}", {"later": list(older.later)}
    ).fetchone()
    con.execute(f"drop table if exists {LATER_REACH_TABLE}")
    left_out = int(dropped[0]) if dropped else 0
    them = "it" if left_out == 1 else "them"
    return (
        f"{plural(left_out, 'row')} left out, as {older.held_by}, {'cover' if len(older.later) > 1 else 'covers'} "
        f"{them} with newer figures; its "
        f"{'other row' if older.others == 1 else f'{older.others:,} other rows'} loaded"
    )


def updated_totals_note(updated: int, moved: dict[str, float], restated: Sequence[tuple[int, str]] = ()) -> str:
    """What a load's updated rows moved each money total by (`moved`, by column), for finance to check a restated
    file against, and whose figures they replace (`restated`, the loads' ids and files), so a download loaded in the
    wrong order is seen: "2 updated rows, of load 3 (week44.csv), move total commission by -$4.60; revenue
    unchanged"."""
    changed = [(_total_of(column), value) for column, value in moved.items() if round(value, 2) != 0]
    same = [_total_of(column) for column, value in moved.items() if round(value, 2) == 0]
    one = updated == 1
    loads = in_words([f"{load_id} ({name})" for load_id, name in restated])
    rows = f"{updated:,} updated row{'' if one else 's'}" + (
        f", of load{'s' if len(restated) > 1 else ''} {loads}," if restated else ""
    )
    if not changed:
        return f"{rows} {'leaves' if one else 'leave'} total {in_words(same)} unchanged"
    moves = in_words([f"{column} by {signed_amount(value)}" for column, value in changed])
    return f"{rows} {'moves' if one else 'move'} total {moves}" + (f"; {in_words(same)} unchanged" if same else "")


def _total_of(column: str) -> str:
    """A money column as "total …" follows it: "revenue", and "revenue" for the sales kind's total_revenue too."""
    return column.replace("_", " ").removeprefix("total ")


def emptied_columns_note(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, absent: list[Column]) -> str | None:
    """Said when the rows in table `rows` restate stored rows that hold values in `absent`, columns the file does
    not carry: the newer load's row replaces the stored one whole, so those values go (a restated week exported
    without its new-to-brand columns). None when no stored row loses one, or the kind keeps what a file leaves out
    (the catalog's partial rows)."""
    if kind.partial or not absent:
        return None
    held = " or ".join(f"cur.{ident(c.name)} is not null" for c in absent)
    found = con.execute(
        f"select count(*), {', '.join(f'count(cur.{ident(c.name)})' for c in absent)} from {ident(rows)} as t "
        f"join {ident(kind.table)} as cur on {keys_match('t', 'cur', kind.key)} where {held}"
    ).fetchone()
    if not found or not found[0]:
        return None
    count = int(found[0])
    lost = [column.words for column, values in zip(absent, found[1:], strict=True) if values]
    # The pronoun and verb follow the columns; the rows are counted apart.
    one = len(lost) == 1
    return (
        f"{plural(count, 'stored row')} this file restates held {in_words(lost)}, which it does not carry: "
        f"{'it is' if one else 'they are'} empty now for {'that row' if count == 1 else 'those rows'} (undoing this "
        "load brings the values back)"
    )


# Budgets are plans, not sales: a negative one is no return, and its totals are not netted against anything.
_PLANNED_AMOUNTS = ("budget",)


def negative_amounts_note(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> str | None:
    """Said when rows in table `rows` hold a money total below zero: Amazon writes a return or a reversed sale as a
    row of negative revenue (and commission), which the totals net against the other rows' sales, as Amazon's own
    do. Loaded as written; said with the sum and the first day, so totals under the sales a marketer remembers are
    explained: "2 rows with revenue below zero (-$45.00 in all), the first on 2026-04-03: returns or reversed
    sales, netted against the other rows' sales". None when no row has one."""
    measures = [m for m in MONEY_TOTALS.get(kind.name, ()) if m not in _PLANNED_AMOUNTS and m in kind.column_names]
    if not measures:
        return None
    below = " or ".join(f"{ident(m)} < 0" for m in measures)
    first = f"min({ident(kind.day_columns[0])}) filter (where {below})" if kind.day_columns else "null"
    sums = ", ".join(
        f"count(*) filter (where {ident(m)} < 0), sum({ident(m)}) filter (where {ident(m)} < 0)" for m in measures
    )
    found = con.execute(f"select {first}, {sums} from {ident(rows)}").fetchone()
    if not found:
        return None
    parts = []
    for n, measure in enumerate(measures):
        count, total = found[1 + 2 * n], found[2 + 2 * n]
        if count:
            words = kind.column(measure).words.removeprefix("total ")
            parts.append(f"{plural(int(count), 'row')} with {words} below zero ({amount(float(total))} in all)")
    if not parts:
        return None
    day = f", the first on {found[0].isoformat()}" if found[0] is not None else ""
    return f"{in_words(parts)}{day}: returns or reversed sales, netted against the other rows' sales"
