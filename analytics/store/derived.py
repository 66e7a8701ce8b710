"""The small tables the store keeps beside the loaded rows, kept up to date inside every change's own transaction.

They hold nothing a query could not work out from the rows; they exist so that reading them never scans the rows:
- `activity`: every distinct creator, campaign and ASIN with creator activity (a performance row or an attributed
  order line), whose values the sidebar's filters list (`metrics.grouped.filter_values`);
- `first_clicks`: each ASIN's first day with a click on a creator's link, its activation date when the catalog
  gives none (`metrics.rank_lift`);
- on every order line, the days of its customer's nearest other orders (`line_neighbours`), behind the repeat
  rates: written with the line (`new_line_neighbours`), and worked out again for the customers whose lines a change
  deletes, or who already had lines when it inserts more (`refresh_order_neighbours`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from analytics.contract.kinds import KINDS, ORDERS, Kind
from analytics.sql import ident

PREVIOUS_ORDER_DATE, NEXT_ORDER_DATE = "previous_order_date", "next_order_date"
_CUSTOMER = ORDERS.surrogate_column("customer_id")


def _order(lines: str) -> str:
    """The order of a line of table alias `lines` as the nearest-order days tell orders apart and put one day's in
    a fixed order: the 64-bit hash of its id, worked out in each query for all of a customer's orders at once and
    never stored. Which of one customer's same-day orders comes first is arbitrary (it changed when the hash replaced
    a stored order key, and would again if DuckDB's hash changed); the repeat rates give the same answer either way
    (`metrics.grouped`), and a customer's days are always worked out together. Two orders of one customer sharing a
    hash (odds under one in 10^13 for a customer with a thousand orders) would count as one."""
    return f"hash({lines}.order_id)"


# The customers of every order line a change deletes, and those with stored lines it adds to: their lines'
# nearest-order days are worked out again before the change commits (`refresh_order_neighbours`). A temp table, so
# it belongs to the connection making the change; every change that writes a current table ends with
# `database.record_data_change`, which reads and drops it.
TOUCHED_CUSTOMERS = "cl_touched_customers"
# The nearest-order days of the lines a change is inserting, by their row ids (`new_line_neighbours`).
NEW_LINE_NEIGHBOURS = "cl_neighbours"


def line_neighbours(lines: str) -> str:
    """SQL giving, per order line that the query `lines` lists (columns line, customer, order_key, day; every line of
    each customer it names), the days of the customer's nearest other orders before and after the line's (day, order
    key), as columns line, previous_order_date and next_order_date.

    One sort of the lines: each line's frames leave out its own order's lines of its day (`exclude group`), so the
    nearest line before or after it is of another order, except where one order's lines carry different days; those
    rare lines look further along their customer's lines.
    """
    return f"""
        with lines as ({lines}),
        windowed as (
            select
                line, customer, order_key, day,
                last_value(day) over before as before_day,
                last_value(order_key) over before as before_order,
                first_value(day) over after as after_day,
                first_value(order_key) over after as after_order
            from lines
            window
                w as (partition by customer order by day, order_key),
                before as (w rows between unbounded preceding and current row exclude group),
                after as (w rows between current row and unbounded following exclude group)
        ),
        same_order_next_door as (
            select r.line,
                max(e.day) filter (where (e.day, e.order_key) < (r.day, r.order_key)) as before_day,
                min(e.day) filter (where (e.day, e.order_key) > (r.day, r.order_key)) as after_day
            from windowed as r
            join lines as e on e.customer = r.customer and e.order_key <> r.order_key
            where r.before_order = r.order_key or r.after_order = r.order_key
            group by r.line
        )
        select
            w.line,
            case when w.before_order = w.order_key then s.before_day else w.before_day end as {PREVIOUS_ORDER_DATE},
            case when w.after_order = w.order_key then s.after_day else w.after_day end as {NEXT_ORDER_DATE}
        from windowed as w
        left join same_order_next_door as s using (line)
    """


def _lines(table: str, customers: str | None = None) -> str:
    """The order lines of `table` with a customer, as `line_neighbours` takes them (a line is its row id), or only
    those whose customer key is in the query `customers` (column key)."""
    chosen = f" and o.{_CUSTOMER} in ({customers})" if customers is not None else ""
    return (
        f"select o.rowid as line, o.customer_id as customer, {_order('o')} as order_key, o.order_date as day "
        f"from {ident(table)} as o where o.customer_id is not null{chosen}"
    )


def touch_customers(con: duckdb.DuckDBPyConnection, keys_sql: str, parameters: dict[str, object] | None = None) -> None:
    """Add the customer keys `keys_sql` selects to the customers the change in progress touches."""
    con.execute(f"create temp table if not exists {TOUCHED_CUSTOMERS} (key integer)")
    con.execute(f"insert into {TOUCHED_CUSTOMERS} {keys_sql}", parameters or {})


@dataclass(frozen=True)
class SmallTable:
    """A small table: its rows from the rows of each kind it is built from, and how it takes in more rows."""

    # By the name of each kind it is built from: the query of its rows from a table of that kind's rows, {rows}.
    of_rows: Mapping[str, str]
    # The statement adding to it the rows of a query of `of_rows` over rows just loaded, {added}: what it holds
    # then is what its queries would give on the current rows, the loaded ones among them.
    grow: str


SMALL_TABLES = {
    "activity": SmallTable(
        of_rows={
            "performance": "select distinct creator, campaign, asin from {rows}",
            "orders": "select distinct creator, campaign, asin from {rows} where creator is not null",
        },
        grow="insert into activity {added} except select creator, campaign, asin from activity",
    ),
    "first_clicks": SmallTable(
        of_rows={"performance": "select asin, min(date) as first_click from {rows} where clicks > 0 group by asin"},
        grow="""
            create or replace table first_clicks as
            select asin, min(first_click) as first_click
            from (select asin, first_click from first_clicks union all {added})
            group by asin
        """,
    ),
}


def rebuild_small_tables(con: duckdb.DuckDBPyConnection, changed: Kind | None = None, added: str | None = None) -> None:
    """The small tables built from the rows of kind `changed`, or all of them: a load of ranks or of the catalog
    leaves `activity` and `first_clicks` as they were.

    `added` names the table of the rows a change added when it took no row away and changed none (the first load
    of a year of data, a week of new days): the tables take in those rows alone, where a change that took rows
    away or restated them rebuilds them from every current row.
    """
    for name, table in SMALL_TABLES.items():
        if changed is not None and changed.name not in table.of_rows:
            continue
        if changed is not None and added is not None:
            con.execute(table.grow.format(added=table.of_rows[changed.name].format(rows=ident(added))))
        else:
            query = " union ".join(rows.format(rows=ident(KINDS[k].table)) for k, rows in table.of_rows.items())
            con.execute(f"create or replace table {ident(name)} as {query}")


def new_line_neighbours(con: duckdb.DuckDBPyConnection, lines: str) -> str:
    """Work out the nearest-order days of the order lines in table `lines`, about to be inserted, into temp table
    cl_neighbours (columns line, the row id in `lines`, and the two days), and return that table's name.

    Worked out among the new lines alone, so they are written once with their days rather than updated after: a
    first load of millions of lines rewrites none. Their customers that already have stored lines are touched, and
    all their lines get their days again before the change commits (`refresh_order_neighbours`).
    """
    if con.execute("select exists (select 1 from orders)").fetchone() == (True,):
        touch_customers(
            con,
            f"select distinct o.{ident(_CUSTOMER)} from orders as o "
            f"semi join {ident(lines)} as n on n.customer_id = o.customer_id",
        )
    con.execute(f"create or replace temp table {NEW_LINE_NEIGHBOURS} as {line_neighbours(_lines(lines))}")
    return NEW_LINE_NEIGHBOURS


def _touched(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = $t", {"t": TOUCHED_CUSTOMERS}
    ).fetchone()
    return row != (0,)


def refresh_order_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    """Give the lines of every touched customer the days of the customer's nearest other orders, where theirs
    differ: rewriting a line costs more than comparing it, and most lines keep their days (or have none)."""
    if not _touched(con):
        return
    if con.execute(f"select exists (select 1 from {TOUCHED_CUSTOMERS})").fetchone() == (True,):
        lines = _lines("orders", f"select key from {TOUCHED_CUSTOMERS}")
        con.execute(
            f"""
            update orders
            set {PREVIOUS_ORDER_DATE} = n.{PREVIOUS_ORDER_DATE}, {NEXT_ORDER_DATE} = n.{NEXT_ORDER_DATE}
            from ({line_neighbours(lines)}) as n
            where orders.rowid = n.line
              and (orders.{PREVIOUS_ORDER_DATE} is distinct from n.{PREVIOUS_ORDER_DATE}
                   or orders.{NEXT_ORDER_DATE} is distinct from n.{NEXT_ORDER_DATE})
            """
        )
    con.execute(f"drop table {TOUCHED_CUSTOMERS}")
