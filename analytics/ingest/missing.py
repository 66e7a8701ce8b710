"""Stored sales a newer download no longer holds: found before anything changes, then asked about, dropped or kept.

Amazon's performance exports cover a rolling window and restate its recent days. A sale reversed since (an order
cancelled or returned) can leave a later download altogether rather than come back as zeros. Rows are merged by
key, so the row of the earlier download would stay and count. A file stands for what it covers only so far as it is
the whole of it, which the app cannot know (an export of one campaign, one creator or a few products leaves the rest
out too), so the rows are only asked about among those the file could have held: stored rows of the days it covers,
of the programs, campaigns and creators it names and of products it names, brought by downloads reaching no further
than it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import duckdb

from analytics.amounts import amount
from analytics.contract.kinds import PERFORMANCE, Kind
from analytics.contract.overlaps import PERIOD_SUMS_TABLE
from analytics.ingest.layout import FileRejectedError
from analytics.ingest.overlap import keep_period_sums
from analytics.sql import ident, keys_match
from analytics.words import plural, range_words

# "ask": stop with the question; "keep": load, the stored rows staying (a caution says so, unless `keep` was the
# answer to the question: then a note); "drop": load, the stored rows moving to the history, where undoing the load
# brings them back.
OnMissing = Literal["ask", "keep", "kept", "drop"]
ON_MISSING: tuple[OnMissing, ...] = ("ask", "keep", "kept", "drop")
# The stored rows a load's file no longer holds, by natural key, while the load runs.
MISSING_TABLE = "cl_missing"
# The most rows a question names one by one.
NAMED_ROWS = 3


@dataclass(frozen=True)
class MissingRows:
    """The stored rows of days a file covers that it no longer holds: how many, the first few in words, the days they
    fall on, their revenue and commission, and the loads that brought them."""

    rows: int
    examples: tuple[str, ...]
    first_day: date
    last_day: date
    revenue: float
    commission: float
    loads: tuple[tuple[int, str], ...]

    def _facts(self) -> str:
        loads = ("loads " if len(self.loads) > 1 else "load ") + " and ".join(f"{i} ({n})" for i, n in self.loads)
        rest = self.rows - len(self.examples)
        shown = "; ".join(self.examples) + (f"; and {rest:,} more" if rest else "")
        it, are = ("it", "is") if self.rows == 1 else ("them", "are")
        days = "a day" if self.first_day == self.last_day else "days"
        return (
            f"{plural(self.rows, 'row')} stored for {days} it covers ({range_words(self.first_day, self.last_day)}) "
            f"{are} not in it ({shown}: {amount(self.revenue)} of revenue, "
            f"{amount(self.commission)} of commission), brought by {loads}; Amazon leaves a sale out of a later "
            f"download when it is reversed (an order cancelled or returned), or the file is an export of part of the "
            f"program, which leaves {it} out too"
        )

    def question(self, file_name: str) -> str:
        """The question before the load, for a page that asks first."""
        return f"{file_name}: {self._facts()}. Nothing was loaded."

    def note(self, on_missing: OnMissing) -> str:
        """What the load said about them: dropped, kept as answered, or kept with what to do if they should go."""
        rows = plural(self.rows, "stored row")
        if on_missing == "drop":
            return (
                f"{rows} of these days that this download no longer holds dropped ({amount(self.revenue)} of revenue); "
                f"undoing this load brings {'it' if self.rows == 1 else 'them'} back"
            )
        if on_missing == "kept":
            return f"{rows} of these days that this download no longer holds kept, as answered"
        return (
            f"{self._facts()}: kept; if Amazon dropped {'it' if self.rows == 1 else 'them'}, undo this load and load "
            "the file again, saying to drop them (the command line's --drop-missing)"
        )


class MissingRowsError(FileRejectedError):
    """A load stopped, before anything changed, to ask whether stored rows a newer download no longer holds go."""

    def __init__(self, file_name: str, missing: MissingRows) -> None:
        super().__init__(missing.question(file_name))
        self.file_name = file_name
        self.missing = missing


def find_missing(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> MissingRows | None:
    """The stored performance rows (kept in MISSING_TABLE) that the rows in table `rows` could have held and do not:
    on the days they cover, of a program, campaign and creator they name and of an ASIN they name, brought by a
    download reaching no later than they do (an older download lacks a newer one's rows by being older). None when
    there are none."""
    con.execute(f"drop table if exists {MISSING_TABLE}")
    if kind is not PERFORMANCE:
        return None
    # A store holding no row yet misses none: the file's names and ASINs, millions of rows in a first load, go unread.
    if con.execute("select not exists (select 1 from performance)").fetchone() == (True,):
        return None
    # A stored summary of a period is no day's row a daily download could hold: an overlap, asked about as one.
    sums = (
        f"anti join {PERIOD_SUMS_TABLE} as sums on sums.load_id = cur.load_id and sums.period_start = cur.date"
        if keep_period_sums(con, kind)
        else ""
    )
    con.execute(
        f"""
        create temp table {MISSING_TABLE} as
        with named as (select distinct program, campaign, creator from {ident(rows)})
        select cur.*
        from performance as cur
        semi join named as n
            on n.program = cur.program and n.campaign is not distinct from cur.campaign and n.creator = cur.creator
        semi join (select distinct asin from {ident(rows)}) as sold on sold.asin = cur.asin
        anti join {ident(rows)} as t on {keys_match("t", "cur", kind.key)}
        {sums}
        where cur.date between (select min(date) from {ident(rows)}) and (select max(date) from {ident(rows)})
        """
    )
    if con.execute(f"select not exists (select 1 from {MISSING_TABLE})").fetchone() == (True,):
        return None
    # Rows of a download reaching past this file's last day are its to hold, not this file's to drop.
    con.execute(
        f"""
        delete from {MISSING_TABLE} as m
        where m.load_id in (
            select load_id
            from (
                select load_id, date from performance semi join {MISSING_TABLE} as c using (load_id)
                union all
                select load_id, date from performance_history semi join {MISSING_TABLE} as c using (load_id)
            )
            group by load_id
            having max(date) > (select max(date) from {ident(rows)})
        )
        """
    )
    found = con.execute(
        f"""
        select
            count(*), min(date), max(date), cast(coalesce(sum(revenue), 0) as double),
            cast(coalesce(sum(commission), 0) as double)
        from {MISSING_TABLE}
        """
    ).fetchone()
    if found is None or not found[0]:
        return None
    examples = con.execute(
        f"""
        select date, creator, asin, campaign
        from {MISSING_TABLE}
        order by date, creator, asin, campaign nulls first
        limit {NAMED_ROWS}
        """
    ).fetchall()
    loads = con.execute(
        f"""
        select l.load_id, l.file_name
        from loads as l semi join {MISSING_TABLE} as m on m.load_id = l.load_id
        order by l.load_id
        """
    ).fetchall()
    return MissingRows(
        rows=int(found[0]),
        examples=tuple(
            f"{day:%b} {day.day}, {creator}, {asin}{f', campaign {campaign}' if campaign else ''}"
            for day, creator, asin, campaign in examples
        ),
        first_day=found[1],
        last_day=found[2],
        revenue=float(found[3]),
        commission=float(found[4]),
        loads=tuple((int(i), str(n)) for i, n in loads),
    )
