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

from analytics.contract.kinds import KINDS, Kind
from analytics.sql import ident, idents, keys_match
from analytics.store.derived import rebuild_small_tables, refresh_order_neighbours
from analytics.store.migrations import (
    NewerStoreError,
    apply_migration,
    pending_migrations,
)
from analytics.store.tables import delete_current, insert_current

LOG = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_DB = Path("data") / "creatorlift.duckdb"
# DuckDB would take 80 % of the machine's memory; loading a 10M-row file then peaked near 5 GB. With a cap it
# spills staging tables to disk (beside the database) instead, a little slower and far smaller.
DEFAULT_MEMORY_LIMIT = "1536MB"

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


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """How many of the named migration steps the store has taken."""
    row = con.execute("select count(*) from schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Take every migration step the store has not taken yet, each in its own committed transaction."""
    with WRITE_LOCK:
        try:
            pending = in_transaction(con, lambda: pending_migrations(con))
        except NewerStoreError as error:
            raise StoreError(
                f"This database was written by a newer Creator Lift ({error}); upgrade Creator Lift to open it."
            ) from None
        for migration in pending:
            in_transaction(con, partial(apply_migration, con, migration))


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
    """Called inside the transaction that changes the data, so the version, the data and the small tables derived
    from it move together: the version grows, the touched customers' order lines learn their nearest-order days and
    `activity` and `first_clicks` are rebuilt. The review's findings are worked out after the commit, outside the
    write lock (`store.changes`), stamped with the version they describe."""
    refresh_order_neighbours(con)
    rebuild_small_tables(con)
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
    if has_column(con, kind.history_table, "replaced_by"):
        # Rows the load displaced under other keys (an overlap it replaced) come back too, unless a later load
        # holds their key now.
        con.execute(
            f"insert into cl_unloaded_keys select distinct {idents(kind.key, 'h.')} from {history} as h "
            f"anti join {ident(kind.table)} as cur on {keys_match('h', 'cur', kind.key)} "
            "where h.replaced_by = $id and h.load_id <> $id",
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


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether the store's table `table` has the column `column` (a step may add it to some kinds' tables only)."""
    row = con.execute(
        "select count(*) from duckdb_columns() where database_name = current_database() and schema_name = 'main' "
        "and table_name = $t and column_name = $c",
        {"t": table, "c": column},
    ).fetchone()
    return row is not None and row[0] > 0


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
