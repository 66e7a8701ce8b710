"""The small tables the store keeps beside the loaded rows, rebuilt inside every change's own transaction.

They hold nothing a query could not work out from the rows; they exist so that reading them never scans the rows:
- `activity`: every distinct creator, campaign and ASIN with creator activity (a performance row or an attributed
  order line), whose values the sidebar's filters list (`metrics.grouped.filter_values`);
- `first_clicks`: each ASIN's first day with a click on a creator's link, its activation date when the catalog
  gives none (`metrics.rank_lift`);
- on every order line, the days of its customer's nearest other orders (`order_neighbours`), behind the repeat
  rates: written with the line (`insert_order_lines`), and worked out again for the customers whose lines a change
  deletes (`refresh_order_neighbours`).
"""

from __future__ import annotations

import duckdb

from analytics.contract.kinds import ORDERS
from analytics.sql import ident, idents

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


ACTIVITY = """
    select distinct creator, campaign, asin from performance
    union
    select distinct creator, campaign, asin from orders where creator is not null
"""

FIRST_CLICKS = """
    select asin, min(date) as first_click
    from performance
    where clicks > 0
    group by asin
"""

# The customers of every order line a change deletes: their lines' nearest-order days are worked out again before
# the change commits (the lines it inserts get theirs as they are written, `insert_order_lines`). A temp table, so
# it belongs to the connection making the change; every change that writes a current table ends with
# `database.record_data_change`, which reads and drops it.
TOUCHED_CUSTOMERS = "cl_touched_customers"


def order_neighbours(entries: str) -> str:
    """SQL giving, per distinct (customer, order, day) that the query `entries` lists (columns customer, order_key,
    day; every entry of each customer it names), the days of the customer's nearest other orders before and after
    it, ordered by (day, order key).

    The neighbour in that order is another order except where one order's lines carry different days; those
    rare entries look further along their customer's orders.
    """
    return f"""
        with entries as ({entries}),
        ordered as (
            select
                *,
                lag(day) over w as before_day,
                lag(order_key) over w as before_order,
                lead(day) over w as after_day,
                lead(order_key) over w as after_order
            from entries
            window w as (partition by customer order by day, order_key)
        ),
        same_order_next_door as (
            select r.customer, r.order_key, r.day,
                max(e.day) filter (where (e.day, e.order_key) < (r.day, r.order_key)) as before_day,
                min(e.day) filter (where (e.day, e.order_key) > (r.day, r.order_key)) as after_day
            from ordered as r
            left join entries as e on e.customer = r.customer and e.order_key <> r.order_key
            where r.before_order = r.order_key or r.after_order = r.order_key
            group by r.customer, r.order_key, r.day
        ),
        final as (
            select
                o.customer,
                o.order_key,
                o.day,
                case when o.before_order = o.order_key then s.before_day else o.before_day end as {PREVIOUS_ORDER_DATE},
                case when o.after_order = o.order_key then s.after_day else o.after_day end as {NEXT_ORDER_DATE}
            from ordered as o
            left join same_order_next_door as s using (customer, order_key, day)
        )
        select * from final
    """


def _entries(lines: str, customers: str | None = None) -> str:
    """The distinct (customer, order, day) of the order lines in table `lines` with a customer, or only of those
    whose customer key is in the query `customers` (column key)."""
    chosen = (
        f"semi join ({customers}) as t on t.key = o.{_CUSTOMER}"
        if customers is not None
        else f"where o.{_CUSTOMER} is not null"
    )
    return (
        f"select distinct o.{_CUSTOMER} as customer, {_order('o')} as order_key, o.order_date as day "
        f"from {ident(lines)} as o {chosen}"
    )


def touch_customers(con: duckdb.DuckDBPyConnection, keys_sql: str, parameters: dict[str, object] | None = None) -> None:
    """Add the customer keys `keys_sql` selects to the customers the change in progress touches."""
    con.execute(f"create temp table if not exists {TOUCHED_CUSTOMERS} (key integer)")
    con.execute(f"insert into {TOUCHED_CUSTOMERS} {keys_sql}", parameters or {})


def rebuild_small_tables(con: duckdb.DuckDBPyConnection) -> None:
    """`activity` and `first_clicks`, from the current rows."""
    con.execute(f"create or replace table activity as {ACTIVITY}")
    con.execute(f"create or replace table first_clicks as {FIRST_CLICKS}")


def insert_order_lines(con: duckdb.DuckDBPyConnection, lines: str, columns: tuple[str, ...]) -> None:
    """Insert the order lines of table `lines` (columns `columns`, their integer keys among them) into `orders`
    with the days of their customers' nearest other orders, and give the lines already stored of those customers
    their new days.

    Worked out before the insert, from the lines stored and the new ones together, so the new lines are written once
    with their days rather than updated after: a first load of millions of lines rewrites none. The customers are
    then done for this change, unless a later step of it touches them again.
    """
    customer = ident(_CUSTOMER)
    stored = con.execute(
        f"select exists (select 1 from orders as o semi join {ident(lines)} as n on n.{customer} = o.{customer})"
    ).fetchone() == (True,)
    entries = _entries(lines)
    if stored:
        entries += " union " + _entries("orders", f"select {customer} as key from {ident(lines)}")
    con.execute(f"create or replace temp table cl_neighbours as {order_neighbours(entries)}")
    con.execute(
        f"""
        insert into orders ({idents(columns)}, {PREVIOUS_ORDER_DATE}, {NEXT_ORDER_DATE})
        select {idents(columns, "s.")}, n.{PREVIOUS_ORDER_DATE}, n.{NEXT_ORDER_DATE}
        from {ident(lines)} as s
        left join cl_neighbours as n
            on n.customer = s.{customer} and n.order_key = {_order("s")} and n.day = s.order_date
        """
    )
    if stored:
        _update_neighbours(con)
    if _touched(con):
        con.execute(f"delete from {TOUCHED_CUSTOMERS} where key in (select customer from cl_neighbours)")
    con.execute("drop table cl_neighbours")


def _touched(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = $t", {"t": TOUCHED_CUSTOMERS}
    ).fetchone()
    return row != (0,)


def _update_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    """Give the stored lines the days in table cl_neighbours where theirs differ."""
    customer = ident(_CUSTOMER)
    con.execute(
        f"""
        update orders
        set {PREVIOUS_ORDER_DATE} = n.{PREVIOUS_ORDER_DATE}, {NEXT_ORDER_DATE} = n.{NEXT_ORDER_DATE}
        from cl_neighbours as n
        where orders.{customer} = n.customer and {_order("orders")} = n.order_key and orders.order_date = n.day
          -- Rewriting a line costs more than comparing it: most lines keep their days (or have none).
          and (orders.{PREVIOUS_ORDER_DATE} is distinct from n.{PREVIOUS_ORDER_DATE}
               or orders.{NEXT_ORDER_DATE} is distinct from n.{NEXT_ORDER_DATE})
        """
    )


def refresh_order_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    """Give the lines of every touched customer the days of the customer's nearest other orders."""
    if not _touched(con):
        return
    if con.execute(f"select exists (select 1 from {TOUCHED_CUSTOMERS})").fetchone() == (True,):
        entries = _entries("orders", f"select key from {TOUCHED_CUSTOMERS}")
        con.execute(f"create or replace temp table cl_neighbours as {order_neighbours(entries)}")
        _update_neighbours(con)
        con.execute("drop table cl_neighbours")
    con.execute(f"drop table {TOUCHED_CUSTOMERS}")
