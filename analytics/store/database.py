"""The DuckDB database: opening it, its tables and migrations, the load log, and the kept raw files."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb

from analytics.contract.kinds import KINDS, MONEY_TOTALS, Kind
from analytics.sql import ident, idents, keys_match, quoted_name
from analytics.store.derived import rebuild_small_tables, refresh_order_neighbours
from analytics.store.migrations import (
    MIGRATIONS,
    NewerStoreError,
    apply_migration,
    pending_migrations,
)
from analytics.store.rates import forget_rates
from analytics.store.tables import delete_current, insert_current
from analytics.store.titles import forget_titles

if TYPE_CHECKING:
    # Only for annotations: DuckDB imports pandas itself when a frame is asked for, so opening a store and loading
    # a file (the command line's `load`) never pay for importing it.
    import pandas as pd

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


def open_store(path: Path | str, *, read_only: bool = False, upgrade: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and bring its schema up to date.

    `read_only` opens an existing store for reading alone, as the command line's reads do: a store on read-only
    media can be queried, and several reads may hold it at once. A store whose schema is behind is brought up to
    date first, which needs it writable; with `upgrade` False it is refused instead (a glance that must not write)."""
    path = Path(path)
    if str(path) != ":memory:":
        _refuse_other_files(path)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
    if read_only:
        con = _connect(path, read_only=True)
        try:
            current = _is_current(con)
        except StoreError:
            con.close()
            raise
        if current:
            return con
        con.close()
        if not upgrade:
            raise StoreError(
                f"The database {path} needs upgrading to this Creator Lift's schema before it can be read."
            )
        try:
            open_store(path).close()
        except StoreInUseError:
            raise
        except StoreError as error:
            raise StoreError(
                f"{error} (It needs upgrading to this Creator Lift's schema before it can be read.)"
            ) from None
        return _connect(path, read_only=True)
    con = _connect(path)
    migrate(con)
    return con


def _connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the database file with the settings every query relies on; the store's own errors when it
    cannot be opened."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            holder = re.search(r"PID (\d+)", str(error))
            raise StoreInUseError(
                f"The database {path} is open in {describe_holder(int(holder.group(1)) if holder else None)}."
            ) from None
        raise StoreError(f"Could not open the database {path}: {error}") from None
    except duckdb.Error as error:
        raise StoreError(f"{path} is not a Creator Lift database DuckDB can read: {error}") from None
    # DuckDB 2.0.0's compressed materialization narrowed sums to the wrong width in grouped_metrics' joins
    # (150 + 50 clicks came back as -56; tests/test_insights.py keeps the case); kept off with 2.0.1, not re-tested
    # without it. Cursors inherit this setting.
    con.execute("set disabled_optimizers = 'compressed_materialization'")
    # Load times are stored and shown in UTC wherever the server runs: the review labels them so, and a rate loaded
    # without a date is dated the load's UTC day.
    con.execute("set TimeZone = 'UTC'")
    con.execute(
        "set memory_limit = $limit", {"limit": os.environ.get("CREATORLIFT_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT}
    )
    return con


def _is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has taken every migration step this code knows, read without writing anything; the
    newer-store error when it has taken one this code does not know."""
    recorded = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() and table_name = $t",
        {"t": "schema_migrations"},
    ).fetchone()
    if recorded != (1,):
        return False  # empty, or from before named steps: the writable open sorts it out
    applied = [row[0] for row in con.execute("select name from schema_migrations order by position").fetchall()]
    known = [m.name for m in MIGRATIONS]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise _newer_store(", ".join(unknown))
    return applied == known


def _newer_store(steps: str) -> StoreError:
    return StoreError(f"This database was written by a newer Creator Lift ({steps}); upgrade Creator Lift to open it.")


# Bytes 8 to 12 of every DuckDB database file.
DUCKDB_MAGIC = b"DUCK"


def _refuse_other_files(path: Path) -> None:
    """Refuse a path that is a folder, lies under a file, or is a file other than a DuckDB database: DuckDB opens a
    CSV as a database held in memory, so a load into one would report success and keep nothing."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder: give the database file's path, such as {path / 'creatorlift.duckdb'}.")
    blocking = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise StoreError(f"{path} lies under {blocking}, which is a file, not a folder.")
    if path.is_file() and path.stat().st_size > 0:
        with open(path, "rb") as handle:
            if handle.read(12)[8:12] != DUCKDB_MAGIC:
                raise StoreError(f"{path} is not a Creator Lift database (a DuckDB file): is it one of your exports?")


def describe_holder(pid: int | None) -> str:
    """Who holds a store's file, from the command line of the process DuckDB names: the running app, a
    command-line run (a scheduled load, say), or another program, with what to do about it."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, TypeError):
        command = ""
    process = f" (process {pid})" if pid else ""
    if "streamlit" in command:
        return f"the running Creator Lift app{process}: stop it, or point --db at a copy"
    if "analytics" in command:
        return (
            f"a Creator Lift command-line run{process}, such as a scheduled load: it lets go when it finishes, so "
            "try again in a minute"
        )
    return f"another program{process}: close it, or point --db at another file"


# The connections this thread has a transaction open on (`in_transaction`), by id: a change made inside another
# (each undo and load of "start over") joins it, and the outermost decides whether all of it lands.
_OPEN_TRANSACTIONS = threading.local()


def in_transaction(con: duckdb.DuckDBPyConnection, change: Callable[[], T]) -> T:
    """Run `change` in one transaction on `con`: committed whole and its result returned, or rolled back whole.

    Inside another `in_transaction` on the same connection, `change` runs in that one, which commits or rolls back
    everything together."""
    open_here: set[int] = _OPEN_TRANSACTIONS.__dict__.setdefault("connections", set())
    if id(con) in open_here:
        return change()
    con.execute("begin transaction")
    open_here.add(id(con))
    try:
        result = change()
        con.execute("commit")
        return result
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        open_here.discard(id(con))


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
            raise _newer_store(str(error)) from None
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


_LOAD_COLUMNS = """
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
    notes,
    cautions"""


def list_loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The load log, one row per load still in effect, oldest first."""
    return con.execute(f"select {_LOAD_COLUMNS} from loads where undone_at is null order by load_id").df()


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load ever made, oldest first, with who made it and, for an undone one, when and by whom."""
    return con.execute(f"select {_LOAD_COLUMNS}, loaded_by, undone_at, undone_by from loads order by load_id").df()


def meta_list(con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    """The entries of a list kept in meta under `key`, comma-separated (the loads that showed a currency or a date
    order); empty when there is none."""
    held = con.execute("select value from meta where key = $k", {"k": key}).fetchone()
    return [entry for entry in str(held[0]).split(",") if entry] if held and held[0] else []


def append_meta_list(con: duckdb.DuckDBPyConnection, key: str, entry: str) -> None:
    """Add `entry` (no commas) to the end of the list kept in meta under `key` (`meta_list`)."""
    entries = [*meta_list(con, key), entry]
    con.execute("insert or replace into meta values ($k, $v)", {"k": key, "v": ",".join(entries)})


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that grows whenever the data changes: the key for caches of computed results."""
    row = con.execute("select value from meta where key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def record_data_change(con: duckdb.DuckDBPyConnection, changed: Kind | None, added: str | None = None) -> None:
    """Called inside the transaction that changes the data, so the version, the data and the small tables derived
    from it move together: the version grows, the touched customers' order lines learn their nearest-order days and
    the small tables built from the rows of kind `changed` follow them (None: no kind's rows changed, as when the
    brand terms do), taking in the rows of table `added` alone when the change only added rows
    (`derived.rebuild_small_tables`). The review's findings are worked out after the commit, outside the write lock
    (`store.changes`), stamped with the version they describe."""
    refresh_order_neighbours(con)
    if changed is not None:
        rebuild_small_tables(con, changed, added)
    con.execute("insert or replace into meta values ('data_version', $v)", {"v": str(data_version(con) + 1)})


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("select count(*) from loads where undone_at is null").fetchone()
    return row is None or row[0] == 0


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for kind in KINDS.values():
        row = con.execute(f"select count(*) from {ident(kind.table)}").fetchone()
        counts[kind.name] = int(row[0]) if row else 0
    return counts


class UnknownLoadError(StoreError):
    pass


def unload(con: duckdb.DuckDBPyConnection, load_id: int, by: str | None = None) -> dict[str, object]:
    """Undo one load: the data becomes exactly what it would be had that file never been loaded. The load stays in
    the log, marked undone (when, and `by` whom)."""
    with WRITE_LOCK:
        kind, file_name = _load_in_effect(con, load_id)
        in_transaction(con, partial(_unload_rows, con, kind, load_id, by))
        return {"id": load_id, "kind": kind.name, "file": file_name}


def _load_in_effect(con: duckdb.DuckDBPyConnection, load_id: int) -> tuple[Kind, str]:
    """The kind and file name of load `load_id`; UnknownLoadError when there is none or it was undone."""
    row = con.execute(
        "select kind, file_name, undone_at, undone_by from loads where load_id = $id", {"id": load_id}
    ).fetchone()
    if row is None:
        raise UnknownLoadError(f"There is no load {load_id}; `loads` lists the loads in effect.")
    if row[2] is not None:
        by = f" by {row[3]}" if row[3] else ""
        raise UnknownLoadError(f"Load {load_id} ({row[1]}) was already undone on {row[2]:%Y-%m-%d %H:%M}{by}.")
    return KINDS[row[0]], str(row[1])


def _collect_unloaded_keys(con: duckdb.DuckDBPyConnection, kind: Kind, load_id: int) -> None:
    """Temp table cl_unloaded_keys: the keys whose current row undoing load `load_id` takes away or brings back.

    They are the keys whose current row the load holds, and the keys of rows it displaced under other keys (an
    overlap it replaced) that no later load holds now. `unload` and `undo_preview` share it, so the preview says
    what the undo does.
    """
    con.execute(
        f"create or replace temp table cl_unloaded_keys as select {idents(kind.key)} "
        f"from {ident(kind.table)} where load_id = $id",
        {"id": load_id},
    )
    if has_column(con, kind.history_table, "replaced_by"):
        con.execute(
            f"insert into cl_unloaded_keys select distinct {idents(kind.key, 'h.')} from {ident(kind.history_table)} "
            f"as h anti join {ident(kind.table)} as cur on {keys_match('h', 'cur', kind.key)} "
            "where h.replaced_by = $id and h.load_id <> $id",
            {"id": load_id},
        )


def _restored_rows_sql(kind: Kind, load_id_parameter: str = "$id") -> str:
    """The versions that become current again for the keys in cl_unloaded_keys: per key, the newest version
    another load than the undone one still holds in the history, unless a load still in effect displaced it (an
    overlap replaced, a sale a newer download dropped): a later load that brought the key back and is undone
    leaves it gone, as that load left it."""
    return f"""
        with versions as (
            select
                h.*,
                row_number() over (partition by {idents(kind.key, "h.")} order by h.load_id desc) as newest
            from {ident(kind.history_table)} as h
            semi join cl_unloaded_keys as t on {keys_match("h", "t", kind.key)}
            where h.load_id <> {load_id_parameter}
        )
        select {idents(("load_id", *kind.column_names))}
        from versions
        where newest = 1
          -- The newest version stays in the history when a load still in effect displaced it.
          and (
              replaced_by is null
              or replaced_by = {load_id_parameter}
              or replaced_by in (select load_id from loads where undone_at is not null)
          )
    """


def _unload_rows(con: duckdb.DuckDBPyConnection, kind: Kind, load_id: int, by: str | None) -> None:
    """`unload`'s change: the load's versions leave the history, and each key whose current row it holds goes
    back to the newest version another load still holds, if any (which leaves the history for the current table).
    Keys a later load has replaced since keep their current row. The log marks the load undone."""
    history = ident(kind.history_table)
    _collect_unloaded_keys(con, kind, load_id)
    con.execute(f"create or replace temp table restored_rows as {_restored_rows_sql(kind)}", {"id": load_id})
    con.execute(f"delete from {history} where load_id = $id", {"id": load_id})
    if kind.name == "products":
        forget_rates(con, load_id)
    forget_titles(con, load_id)
    delete_current(con, kind, "cl_unloaded_keys")
    con.execute(
        f"delete from {history} as h using restored_rows as r "
        f"where h.load_id = r.load_id and {keys_match('h', 'r', kind.key)}"
    )
    insert_current(con, kind, "restored_rows")
    con.execute("drop table restored_rows")
    con.execute(
        "update loads set undone_at = now()::timestamp, undone_by = $by where load_id = $id",
        {"id": load_id, "by": by},
    )
    con.execute("drop table cl_unloaded_keys")
    record_data_change(con, kind)


# The figure an undo's confirmation states for each kind that has one: what the load's rows add up to.
@dataclass(frozen=True)
class UndoPreview:
    """What undoing a load would do, worked out without doing it."""

    load_id: int
    kind: str
    file: str
    rows_leaving: int  # current rows the load holds that no earlier version replaces: they leave the store
    rows_restored: int  # earlier versions (of other loads) that become current again
    rows_kept_by_later_loads: (
        int  # the load's versions a later load has replaced since: they stay as that load has them
    )
    # Each money total the undo changes (`kinds.MONEY_TOTALS`): the column, its total over the kind's current rows
    # now, and after the undo.
    totals: tuple[tuple[str, float, float], ...]
    # Of `rows_restored`, those whose earlier version holds the very values the load's does: nothing changes there.
    rows_restored_unchanged: int = 0


def undo_preview(con: duckdb.DuckDBPyConnection, load_id: int) -> UndoPreview:
    """What `unload` would do to the rows and to the kind's money totals, read in a transaction that is rolled
    back, so nothing changes and no write lock is held for long."""
    kind, file_name = _load_in_effect(con, load_id)
    measures = MONEY_TOTALS.get(kind.name, ())
    con.execute("begin transaction")
    try:
        _collect_unloaded_keys(con, kind, load_id)
        restored_sql = _restored_rows_sql(kind)
        held = f"select * from {ident(kind.table)} where load_id = $id"
        # A key the undo gives an earlier version back stays in the store; the others leave it.
        leaving = f"({held}) as h anti join ({restored_sql}) as r on {keys_match('h', 'r', kind.key)}"
        values = [c for c in kind.column_names if c not in kind.key]
        same = " and ".join(f"h.{ident(c)} is not distinct from r.{ident(c)}" for c in values) or "true"
        # Each total now, the load's part of it, and what the undo gives back: aggregates, so one row each.
        sums = "".join(
            f", (select coalesce(sum({ident(m)}), 0) from {source})"
            for m in measures
            for source in (ident(kind.table), f"({held})", f"({restored_sql})")
        )
        row = con.execute(
            f"""
            select
                (select count(*) from {leaving}),
                (select count(*) from ({restored_sql})),
                (select count(*) from {ident(kind.history_table)} where load_id = $id),
                (select count(*) from ({held}) as h join ({restored_sql}) as r
                    on {keys_match("h", "r", kind.key)} and {same}){sums}
            """,
            {"id": load_id},
        ).fetchone()
    finally:
        con.execute("rollback")
    assert row is not None
    figures = [float(v) for v in row[4:]]
    totals = tuple(
        (m, figures[3 * i], figures[3 * i] - figures[3 * i + 1] + figures[3 * i + 2]) for i, m in enumerate(measures)
    )
    return UndoPreview(load_id, kind.name, file_name, int(row[0]), int(row[1]), int(row[2]), totals, int(row[3]))


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
        # Written even from a store opened read-only (the command line's backup reads its store read-only).
        con.execute("attach $path as backup_copy (read_only false)", {"path": str(target)})
        try:
            # The database's name is its file's ("acme-nutrition"), not one the code defines.
            con.execute("copy from database " + quoted_name(current_database(con)) + " to backup_copy")
        except BaseException:
            con.execute("detach backup_copy")
            # A half-written copy would stop the next try as "already exists".
            target.unlink(missing_ok=True)
            target.with_name(target.name + ".wal").unlink(missing_ok=True)
            raise
        con.execute("detach backup_copy")
    return target


def current_database(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("select current_database()").fetchone()
    assert row is not None
    return str(row[0])


def last_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id of the latest load, undone or not (0 before the first): where a batch of loads starts."""
    row = con.execute("select coalesce(max(load_id), 0) from loads").fetchone()
    return int(row[0]) if row else 0
