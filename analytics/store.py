"""The DuckDB database: opening it, its tables and migrations, the load log, and the kept raw files."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from analytics.insights import findings_are_stale, keep_findings
from analytics.metrics import ACTIVITY, NEXT_ORDER_DATE, PREVIOUS_ORDER_DATE, order_neighbours
from analytics.rank_lift import FIRST_CLICKS
from analytics.schema import KINDS, ORDERS, Kind
from analytics.sql import ident, idents, keys_match

LOG = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_DB = Path("data") / "creatorlift.duckdb"
# DuckDB would take 80 % of the machine's memory; loading a 10M-row file then peaked near 5 GB. With a cap it
# spills staging tables to disk (beside the database) instead, a little slower and far smaller.
DEFAULT_MEMORY_LIMIT = "1536MB"
SCHEMA_VERSION = 8

# DuckDB lets one process hold a database file; inside it, concurrent writers can conflict, so every
# change to the data (a load, an unload) takes this lock and readers never see half a file.
WRITE_LOCK = threading.RLock()


class StoreError(Exception):
    """A problem with the database itself, written for the person running the app or the CLI."""


class StoreInUseError(StoreError):
    pass


def default_db_path() -> Path:
    return Path(os.environ.get("CREATORLIFT_DB") or DEFAULT_DB)


def open_store(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and bring its schema up to date."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            holder = re.search(r"PID (\d+)", str(error))
            who = f" (process {holder.group(1)})" if holder else ""
            raise StoreInUseError(
                f"The database {path} is open in another program{who}, probably the running Creator Lift app. "
                "Stop it, or point --db at another file."
            ) from None
        raise StoreError(f"Could not open the database {path}: {error}") from None
    except duckdb.Error as error:
        raise StoreError(f"{path} is not a Creator Lift database DuckDB can read: {error}") from None
    # DuckDB 2.0.0's compressed materialization narrows sums to the wrong width in grouped_metrics' joins
    # (150 + 50 clicks came back as -56); cursors inherit this setting.
    con.execute("set disabled_optimizers = 'compressed_materialization'")
    con.execute(
        "set memory_limit = $limit", {"limit": os.environ.get("CREATORLIFT_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT}
    )
    migrate(con)
    return con


def _kind_columns_ddl(kind: Kind) -> str:
    return ",\n".join(f"    {ident(c.name)} {c.sql_type}" for c in kind.columns)


def _create_v1(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create sequence if not exists load_ids start 1")
    con.execute(
        """
        create table if not exists loads (
            load_id bigint primary key default nextval('load_ids'),
            loaded_at timestamp not null default current_timestamp,
            file_name varchar not null,
            sha256 varchar not null,
            kind varchar not null,
            rows_added bigint not null,
            rows_updated bigint not null,
            rows_unchanged bigint not null,
            raw_file varchar not null
        )
        """
    )
    for kind in KINDS.values():
        # The current rows, one per natural key, and the history: from schema 7 the versions that later loads
        # replaced (before it, every row of every load). Current and history together hold every version still
        # loaded, which is what lets `unload` restore exactly the state as if a file had never been loaded.
        for table in (kind.table, kind.history_table):
            columns = _kind_columns_ddl(kind)
            con.execute(f"create table if not exists {ident(table)} (\n    load_id bigint not null,\n{columns}\n)")


def _add_period_and_mappings(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("alter table loads add column if not exists period_start date")
    con.execute("alter table loads add column if not exists period_end date")
    con.execute("alter table loads add column if not exists notes varchar")
    con.execute(
        """
        create table if not exists mappings (
            signature varchar primary key,
            kind varchar not null,
            header varchar not null,
            mapping json not null,
            saved_at timestamp not null default current_timestamp
        )
        """
    )


# The customers of every order line a change inserts or deletes: their lines' nearest-order days
# (metrics.order_neighbours) are worked out again before the change commits. A temp table, so it belongs to the
# connection making the change; every change that writes a current table ends with `record_data_change`, which
# reads and drops it.
TOUCHED_CUSTOMERS = "cl_touched_customers"


def _touch_customers(
    con: duckdb.DuckDBPyConnection, keys_sql: str, parameters: dict[str, object] | None = None
) -> None:
    """Add the customer keys `keys_sql` selects to the customers the change in progress touches."""
    con.execute(f"create temp table if not exists {TOUCHED_CUSTOMERS} (key integer)")
    con.execute(f"insert into {TOUCHED_CUSTOMERS} {keys_sql}", parameters or {})


def delete_current(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> None:
    """Delete the rows of `kind`'s current table whose natural key is in table `rows`.

    Inside a transaction that ends with `record_data_change`, as every change to the data does.
    """
    table = ident(kind.table)
    matches = f"from {table} as cur semi join {ident(rows)} as t on {keys_match('cur', 't', kind.key)}"
    if kind is ORDERS:
        _touch_customers(con, f"select cur.{ident(ORDERS.surrogate_column('customer_id'))} {matches}")
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


def _extend_dictionary(con: duckdb.DuckDBPyConnection, column: str, source: str) -> None:
    """Give the values of `column` in table `source` that its dictionary lacks the next integer keys.

    The same value always gets the same key, whatever file it came in, so the keys count distinct values exactly.
    """
    dictionary = ident(Kind.surrogate_table(column))
    # An empty dictionary (a store's first file of this kind) has nothing to leave out.
    known = (
        ""
        if con.execute(f"select not exists (select 1 from {dictionary})").fetchone() == (True,)
        else f"except select value from {dictionary}"
    )
    con.execute(
        f"""
        insert into {dictionary} (value, key)
        select value, (select coalesce(max(key), 0) from {dictionary}) + row_number() over ()
        from (
            select distinct {ident(column)} as value from {ident(source)} where {ident(column)} is not null
            {known}
        )
        """
    )


def insert_current(con: duckdb.DuckDBPyConnection, kind: Kind, source: str, load_id: int | None = None) -> None:
    """Insert the rows of table `source` into `kind`'s current table, with integer keys for its surrogate columns.

    Every row gets `load_id`, or keeps the source's own load_id column when it is None. Values never seen before
    get the next keys first (`_extend_dictionary`). Inside a transaction that ends with `record_data_change`, as
    every change to the data does.
    """
    columns = idents(kind.column_names)
    keys = ""
    joins = ""
    for n, column in enumerate(kind.surrogates):
        _extend_dictionary(con, column, source)
        keys += f", {ident(kind.surrogate_column(column))}"
        joins += f" left join {ident(Kind.surrogate_table(column))} as k{n} on k{n}.value = s.{ident(column)}"
    key_values = "".join(f", k{n}.key" for n in range(len(kind.surrogates)))
    con.execute(
        f"insert into {ident(kind.table)} (load_id, {columns}{keys}) "
        f"select {'s.load_id' if load_id is None else '$id'}, {idents(kind.column_names, 's.')}{key_values} "
        f"from {ident(source)} as s{joins}",
        {} if load_id is None else {"id": load_id},
    )
    if kind is ORDERS:
        customer = ident(ORDERS.surrogate_column("customer_id"))
        if load_id is not None:
            # The load's lines are the current rows with its id: reading their keys beats matching the ids again.
            _touch_customers(con, f"select {customer} from orders where load_id = $id", {"id": load_id})
        else:
            customers = ident(Kind.surrogate_table("customer_id"))
            _touch_customers(
                con, f"select k.key from {ident(source)} as s join {customers} as k on k.value = s.customer_id"
            )


def _rebuild_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The small tables kept beside the data so that reading them never scans it.

    `activity`: `metrics.ACTIVITY`, whose values the sidebar's filters list (`metrics.filter_values`).
    `first_clicks`: each ASIN's first clicked day, its activation date when the catalog gives none (`rank_lift`).
    """
    con.execute(f"create or replace table activity as {ACTIVITY}")
    con.execute(f"create or replace table first_clicks as {FIRST_CLICKS}")


def _refresh_order_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    """Give the lines of every touched customer the days of the customer's nearest other orders."""
    touched = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = $t", {"t": TOUCHED_CUSTOMERS}
    ).fetchone()
    if touched == (0,):
        return
    if con.execute(f"select exists (select 1 from {TOUCHED_CUSTOMERS})").fetchone() == (True,):
        customer, order = (ident(ORDERS.surrogate_column(c)) for c in ("customer_id", "order_id"))
        con.execute(f"create or replace temp table cl_neighbours as {order_neighbours(TOUCHED_CUSTOMERS)}")
        con.execute(
            f"""
            update orders
            set {PREVIOUS_ORDER_DATE} = n.{PREVIOUS_ORDER_DATE}, {NEXT_ORDER_DATE} = n.{NEXT_ORDER_DATE}
            from cl_neighbours as n
            where orders.{customer} = n.customer and orders.{order} = n.order_key and orders.order_date = n.day
              -- Rewriting a line costs more than comparing it: most lines keep their days (or have none).
              and (orders.{PREVIOUS_ORDER_DATE} is distinct from n.{PREVIOUS_ORDER_DATE}
                   or orders.{NEXT_ORDER_DATE} is distinct from n.{NEXT_ORDER_DATE})
            """
        )
        con.execute("drop table cl_neighbours")
    con.execute(f"drop table {TOUCHED_CUSTOMERS}")


def _add_order_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    for column in (PREVIOUS_ORDER_DATE, NEXT_ORDER_DATE):
        con.execute(f"alter table orders add column if not exists {column} date")
    _touch_customers(con, f"select {ident(ORDERS.surrogate_column('customer_id'))} from orders")
    _refresh_order_neighbours(con)


def _history_keeps_replaced_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Schema 7: the history holds only the versions later loads replaced. Every load used to write each row twice,
    to the current table and to the history; the current row's own version leaves the history."""
    for kind in KINDS.values():
        con.execute(
            f"delete from {ident(kind.history_table)} as h using {ident(kind.table)} as cur "
            f"where h.load_id = cur.load_id and {keys_match('h', 'cur', kind.key)}"
        )


def _add_surrogate_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Give every current table the integer key columns its kind declares (`Kind.surrogates`) and lacks, filled in
    place from their dictionaries, so the rows keep everything else (order lines their nearest-order days).

    Schema 3 added the customer and order keys; schema 8 the creator's, over which each creator's distinct
    customers are counted (`metrics._counted_groups`). A store coming through schema 3 gets every key then, and
    schema 8 finds nothing left to add.
    """
    for kind in KINDS.values():
        for column in kind.surrogates:
            key_column = kind.surrogate_column(column)
            present = con.execute(
                "select count(*) from duckdb_columns() where database_name = current_database() "
                "and schema_name = 'main' and table_name = $t and column_name = $c",
                {"t": kind.table, "c": key_column},
            ).fetchone()
            if present != (0,):
                continue
            dictionary = ident(Kind.surrogate_table(column))
            con.execute(f"create table if not exists {dictionary} (value varchar, key integer)")
            con.execute(f"alter table {ident(kind.table)} add column {ident(key_column)} integer")
            _extend_dictionary(con, column, kind.table)
            con.execute(
                f"update {ident(kind.table)} as cur set {ident(key_column)} = k.key "
                f"from {dictionary} as k where k.value = cur.{ident(column)}"
            )


# Index i migrates a database at version i to version i + 1; a file only ever moves forward.
MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    _create_v1,
    _add_period_and_mappings,
    _add_surrogate_keys,
    _rebuild_derived_tables,
    _add_order_neighbours,
    keep_findings,
    _history_keeps_replaced_rows,
    _add_surrogate_keys,
]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("create table if not exists meta (key varchar primary key, value varchar not null)")
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def in_transaction(con: duckdb.DuckDBPyConnection, change: Callable[[], T]) -> T:
    """Run `change` in one transaction on `con`: committed whole and its result returned, or rolled back whole."""
    con.execute("begin transaction")
    try:
        result = change()
        con.execute("commit")
        return result
    except BaseException:
        con.execute("rollback")
        raise


def _migrate_step(con: duckdb.DuckDBPyConnection, step: int) -> None:
    MIGRATIONS[step](con)
    con.execute("insert or replace into meta values ('schema_version', $v)", {"v": str(step + 1)})


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the schema to SCHEMA_VERSION, one committed step at a time, and the kept findings up to this code."""
    with WRITE_LOCK:
        version = schema_version(con)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"This database was written by a newer Creator Lift (schema {version}); upgrade to open it."
            )
        for step in range(version, SCHEMA_VERSION):
            in_transaction(con, partial(_migrate_step, con, step))
        if findings_are_stale(con):
            try:
                in_transaction(con, lambda: keep_findings(con))
            except Exception:
                # A rule that fails on this data must not keep the store from opening (nor the CLI from unloading
                # the file it fails on): the findings stay as they were and are worked out at the next change.
                LOG.exception("The weekly review's findings could not be worked out again; keeping the old ones")


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def raw_files_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """Where uploaded files are kept, beside the database, so every table can be rebuilt from them."""
    db = database_path(con)
    folder = db.with_name(db.stem + "_files") if db else Path(tempfile.gettempdir()) / "creatorlift_files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def list_loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The load log, one row per load still in effect, oldest first."""
    return con.execute(
        """
        select
            load_id as id,
            loaded_at,
            file_name as file,
            kind,
            rows_added,
            rows_updated,
            rows_unchanged,
            period_start,
            period_end,
            sha256,
            notes
        from loads
        order by load_id
        """
    ).df()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that grows whenever the data changes: the key for caches of computed results."""
    row = con.execute("select value from meta where key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def record_data_change(con: duckdb.DuckDBPyConnection) -> None:
    """Called inside the transaction that changes the data, so the version, the data and what is derived from
    it move together: the version grows, the touched customers' order lines learn their nearest-order days and
    the derived tables and the review's findings are rebuilt."""
    _refresh_order_neighbours(con)
    _rebuild_derived_tables(con)
    keep_findings(con)
    con.execute("insert or replace into meta values ('data_version', $v)", {"v": str(data_version(con) + 1)})


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("select count(*) from loads").fetchone()
    return row is None or row[0] == 0


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for kind in KINDS.values():
        row = con.execute(f"select count(*) from {ident(kind.table)}").fetchone()
        counts[kind.name] = int(row[0]) if row else 0
    return counts


class UnknownLoadError(StoreError):
    pass


def unload(con: duckdb.DuckDBPyConnection, load_id: int) -> dict[str, object]:
    """Undo one load: the data becomes exactly what it would be had that file never been loaded."""
    with WRITE_LOCK:
        row = con.execute("select kind, file_name from loads where load_id = $id", {"id": load_id}).fetchone()
        if row is None:
            raise UnknownLoadError(f"There is no load {load_id}; `loads` lists the loads in effect.")
        kind = KINDS[row[0]]
        in_transaction(con, partial(_unload_rows, con, kind, load_id))
        return {"id": load_id, "kind": kind.name, "file": row[1]}


def _unload_rows(con: duckdb.DuckDBPyConnection, kind: Kind, load_id: int) -> None:
    """`unload`'s change: the load's versions leave the history, and each key whose current row it holds goes
    back to the newest version another load still holds, if any (which leaves the history for the current table).
    Keys a later load has replaced since keep their current row."""
    history = ident(kind.history_table)
    con.execute(
        f"create or replace temp table cl_unloaded_keys as select {idents(kind.key)} "
        f"from {ident(kind.table)} where load_id = $id",
        {"id": load_id},
    )
    con.execute(f"delete from {history} where load_id = $id", {"id": load_id})
    delete_current(con, kind, "cl_unloaded_keys")
    con.execute(
        f"""
        create or replace temp table restored_rows as
        with versions as (
            select
                h.*,
                row_number() over (partition by {idents(kind.key, "h.")} order by h.load_id desc) as newest
            from {history} as h
            semi join cl_unloaded_keys as t on {keys_match("h", "t", kind.key)}
        ),
        final as (
            select {idents(("load_id", *kind.column_names))} from versions where newest = 1
        )
        select * from final
        """
    )
    con.execute(
        f"delete from {history} as h using restored_rows as r "
        f"where h.load_id = r.load_id and {keys_match('h', 'r', kind.key)}"
    )
    insert_current(con, kind, "restored_rows")
    con.execute("drop table restored_rows")
    con.execute("delete from loads where load_id = $id", {"id": load_id})
    con.execute("drop table cl_unloaded_keys")
    record_data_change(con)


def backup(con: duckdb.DuckDBPyConnection, target: Path | str) -> Path:
    """Write a consistent copy of the whole database to `target` (a new file), even while the app runs."""
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name for the backup.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with WRITE_LOCK:
        con.execute("attach $path as backup_copy", {"path": str(target)})
        try:
            con.execute("copy from database " + ident(current_database(con)) + " to backup_copy")
        finally:
            con.execute("detach backup_copy")
    return target


def current_database(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("select current_database()").fetchone()
    assert row is not None
    return str(row[0])
