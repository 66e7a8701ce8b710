"""Writing the current and history tables of each kind: the primitives every change to the data is made of.

Each runs inside a transaction that ends with `database.record_data_change`, as every change to the data does.
"""

from __future__ import annotations

import duckdb

from analytics.contract.kinds import ORDERS, Kind
from analytics.sql import ident, idents, keys_match
from analytics.store.derived import NEXT_ORDER_DATE, PREVIOUS_ORDER_DATE, new_line_neighbours, touch_customers


def delete_current(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> None:
    """Delete the rows of `kind`'s current table whose natural key is in table `rows`.

    Inside a transaction that ends with `record_data_change`, as every change to the data does.
    """
    table = ident(kind.table)
    matches = f"from {table} as cur semi join {ident(rows)} as t on {keys_match('cur', 't', kind.key)}"
    if kind is ORDERS:
        touch_customers(con, f"select cur.{ident(ORDERS.surrogate_column('customer_id'))} {matches}")
    con.execute(f"delete from {table} as cur using {ident(rows)} as t where {keys_match('cur', 't', kind.key)}")


def supersede_current(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> None:
    """Move the rows of `kind`'s current table whose natural key is in table `rows` into its history: a load is
    about to replace them. Inside a transaction that ends with `record_data_change`, as every change to the data
    does."""
    columns = idents(("load_id", *kind.column_names))
    con.execute(
        f"insert into {ident(kind.history_table)} ({columns}) "
        f"select {idents(('load_id', *kind.column_names), 'cur.')} from {ident(kind.table)} as cur "
        f"semi join {ident(rows)} as t on {keys_match('cur', 't', kind.key)}"
    )
    delete_current(con, kind, rows)


def displace_current(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, load_id: int) -> None:
    """Move the current rows whose natural key is in table `rows` into the history, marked as displaced by load
    `load_id`: a load replacing rows it overlaps under other keys, which undoing that load brings back
    (`database.unload`). Inside a transaction that ends with `record_data_change`, as every change to the data does.
    """
    columns = idents(("load_id", *kind.column_names))
    con.execute(
        f"insert into {ident(kind.history_table)} ({columns}, replaced_by) "
        f"select {idents(('load_id', *kind.column_names), 'cur.')}, $by from {ident(kind.table)} as cur "
        f"semi join {ident(rows)} as t on {keys_match('cur', 't', kind.key)}",
        {"by": load_id},
    )
    delete_current(con, kind, rows)


def extend_dictionary(con: duckdb.DuckDBPyConnection, column: str, source: str) -> None:
    """Give the values of `column` in table `source` that its dictionary lacks the next integer keys.

    The same value always gets the same key, whatever file it came in, so the keys count distinct values exactly.
    """
    dictionary = ident(Kind.surrogate_table(column))
    # An empty dictionary (a store's first file of this kind) has nothing to leave out. Otherwise the file's distinct
    # values probe the dictionary (an anti join), cheaper than a set difference with all its values.
    known = (
        ""
        if con.execute(f"select not exists (select 1 from {dictionary})").fetchone() == (True,)
        else f"anti join {dictionary} as known on known.value = arriving.value"
    )
    # The new values numbered by their row ids in a table of their own (counted from the first, as a table made
    # inside a transaction numbers its rows from a high base): `row_number() over ()` would number them on one
    # thread, at twice the time. Row ids are unique; that a new table's are also without gaps is how DuckDB numbers
    # rows, not a promise, and a gap would only lengthen the bitmaps of customer keys (`metrics.grouped`).
    con.execute(
        f"create or replace temp table cl_new_values as select arriving.value "
        f"from (select distinct {ident(column)} as value from {ident(source)} where {ident(column)} is not null) "
        f"as arriving {known}"
    )
    con.execute(
        f"insert into {dictionary} (value, key) "
        f"select value, (select coalesce(max(key), 0) from {dictionary}) "
        "+ rowid - (select min(rowid) from cl_new_values) + 1 from cl_new_values"
    )
    con.execute("drop table cl_new_values")


def insert_current(con: duckdb.DuckDBPyConnection, kind: Kind, source: str, load_id: int | None = None) -> None:
    """Insert the rows of table `source` into `kind`'s current table, with integer keys for its surrogate columns.

    Every row gets `load_id`, or keeps the source's own load_id column when it is None. Values never seen before
    get the next keys first (`extend_dictionary`). Order lines also get their customers' nearest-order days
    (`derived.new_line_neighbours`). Inside a transaction that ends with `record_data_change`, as every change to
    the data does.
    """
    columns = ["load_id", *kind.column_names]
    values = ["s.load_id" if load_id is None else "$id", *(f"s.{ident(c)}" for c in kind.column_names)]
    joins = ""
    for n, column in enumerate(kind.surrogates):
        extend_dictionary(con, column, source)
        joins += f" left join {ident(Kind.surrogate_table(column))} as k{n} on k{n}.value = s.{ident(column)}"
        columns.append(kind.surrogate_column(column))
        values.append(f"k{n}.key")
    neighbours = new_line_neighbours(con, source) if kind is ORDERS else None
    if neighbours is not None:
        joins += f" left join {ident(neighbours)} as n on n.line = s.rowid"
        columns += [PREVIOUS_ORDER_DATE, NEXT_ORDER_DATE]
        values += [f"n.{PREVIOUS_ORDER_DATE}", f"n.{NEXT_ORDER_DATE}"]
    rows = f"select {', '.join(values)} from {ident(source)} as s{joins}"
    con.execute(
        f"insert into {ident(kind.table)} ({idents(columns)}) {rows}", {} if load_id is None else {"id": load_id}
    )
    if neighbours is not None:
        con.execute(f"drop table {ident(neighbours)}")
