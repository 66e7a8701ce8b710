"""The store's schema as a list of named, frozen steps: each is the DDL of the day it was written, never today's
contract, so an old store migrates the same way whatever the code around it has become.

A store records the names of the steps it has taken (`schema_migrations`); a store that has taken a step this code
does not know was written by a newer Creator Lift and is refused rather than misread. Stores from before named steps
recorded only a count (`meta.schema_version`), which maps onto the first names of the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import duckdb

from analytics.sql import ident, keys_match
from analytics.store.derived import (
    NEXT_ORDER_DATE,
    PREVIOUS_ORDER_DATE,
    rebuild_small_tables,
    refresh_order_neighbours,
    touch_customers,
)
from analytics.store.tables import extend_dictionary


class NewerStoreError(Exception):
    """The store was written by a newer Creator Lift."""


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


# The first schema's tables, as they were: the current rows (one per natural key) and the history of versions
# later loads replaced. Current and history together hold every version still loaded, which is what lets
# `unload` restore exactly the state as if a file had never been loaded.
_FIRST_TABLES = {
    "performance": """
        date date, creator varchar, asin varchar, clicks bigint, orders bigint, revenue decimal(18, 4),
        commission decimal(18, 4), campaign varchar, units bigint, ntb_orders bigint, sns_orders bigint""",
    "orders": """
        order_id varchar, order_date date, customer_id varchar, asin varchar, revenue decimal(18, 4),
        creator varchar, campaign varchar, units bigint, new_to_brand boolean, subscribe_and_save boolean""",
    "ranks": """
        date date, asin varchar, keyword varchar, organic_rank integer, sponsored_rank integer,
        search_volume bigint""",
    "products": """
        asin varchar, product_line varchar, title varchar, price decimal(18, 4), launch_date date,
        activation_date date, standard_rate double, bonus_rate double""",
}
# Natural keys of the first schema's kinds, as they were when schema 7 trimmed the history.
_FIRST_KEYS = {
    "performance": ("date", "campaign", "creator", "asin"),
    "orders": ("order_id", "asin"),
    "ranks": ("date", "asin", "keyword"),
    "products": ("asin",),
}


def create_kind_tables(con: duckdb.DuckDBPyConnection, table: str, columns: str) -> None:
    """A kind's current table and its history, both with the load that holds each row."""
    for name in (table, f"{table}_history"):
        con.execute(f"create table if not exists {ident(name)} (load_id bigint not null, {columns})")


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
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
    for table, columns in _FIRST_TABLES.items():
        create_kind_tables(con, table, columns)


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


def _add_surrogate_keys(columns: tuple[str, ...], con: duckdb.DuckDBPyConnection) -> None:
    """Give the order lines integer key columns for these text columns, filled in place from their dictionaries,
    so the rows keep everything else (their nearest-order days)."""
    for column in columns:
        key_column, dictionary = f"{column}_key", ident(f"{column}_keys")
        present = con.execute(
            "select count(*) from duckdb_columns() where database_name = current_database() "
            "and schema_name = 'main' and table_name = 'orders' and column_name = $c",
            {"c": key_column},
        ).fetchone()
        if present != (0,):
            continue
        con.execute(f"create table if not exists {dictionary} (value varchar, key integer)")
        con.execute(f"alter table orders add column {ident(key_column)} integer")
        extend_dictionary(con, column, "orders")
        con.execute(
            f"update orders as cur set {ident(key_column)} = k.key "
            f"from {dictionary} as k where k.value = cur.{ident(column)}"
        )


def _add_order_neighbours(con: duckdb.DuckDBPyConnection) -> None:
    for column in (PREVIOUS_ORDER_DATE, NEXT_ORDER_DATE):
        con.execute(f"alter table orders add column if not exists {column} date")
    touch_customers(con, "select customer_id_key from orders")
    refresh_order_neighbours(con)


def _create_findings(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        create table if not exists findings (
            position bigint, rule varchar, severity varchar, title varchar, action varchar, page varchar,
            subject varchar
        )
        """
    )


def _history_keeps_replaced_rows(con: duckdb.DuckDBPyConnection) -> None:
    """The history holds only the versions later loads replaced. Every load used to write each row twice, to the
    current table and to the history; the current row's own version leaves the history."""
    for table, key in _FIRST_KEYS.items():
        con.execute(
            f"delete from {ident(table + '_history')} as h using {ident(table)} as cur "
            f"where h.load_id = cur.load_id and {keys_match('h', 'cur', key)}"
        )


def _add_performance_program(con: duckdb.DuckDBPyConnection) -> None:
    """Every performance row stored so far came from Creator Connections, the one program there was."""
    for table in ("performance", "performance_history"):
        con.execute(
            f"alter table {ident(table)} add column if not exists program varchar default 'creator_connections'"
        )
        con.execute(f"update {ident(table)} set program = 'creator_connections' where program is null")


def _add_replaced_by(con: duckdb.DuckDBPyConnection) -> None:
    """Each history table names, on a version a load displaced without sharing its key (an overlap the user chose
    to replace), the load that displaced it, so undoing that load brings the version back."""
    tables = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main' "
        "and not temporary and suffix(table_name, '_history') order by table_name"
    ).fetchall()
    for (table,) in tables:
        con.execute(f"alter table {ident(table)} add column if not exists replaced_by bigint")


def _create_sales_search_and_repeat_purchase(con: duckdb.DuckDBPyConnection) -> None:
    """The three period kinds of the brand's own downloads, and the brand's search terms (a setting)."""
    create_kind_tables(
        con,
        "sales",
        """period_start date, period_end date, asin varchar, total_revenue decimal(18, 4), total_units bigint,
        sessions bigint, buy_box_pct double""",
    )
    create_kind_tables(
        con,
        "search",
        """period_start date, period_end date, search_query varchar, search_query_volume bigint,
        impressions_total bigint, impressions_brand bigint, clicks_total bigint, clicks_brand bigint,
        purchases_total bigint, purchases_brand bigint, asin varchar""",
    )
    create_kind_tables(
        con,
        "repeat_purchase",
        """period_start date, period_end date, asin varchar, orders bigint, unique_customers bigint,
        repeat_customers_pct double, repeat_purchase_revenue decimal(18, 4)""",
    )
    for table in ("sales_history", "search_history", "repeat_purchase_history"):
        # As `_add_replaced_by` gave every history table before these.
        con.execute(f"alter table {ident(table)} add column if not exists replaced_by bigint")
    con.execute("create table if not exists brand_terms (term varchar primary key)")


def _create_cohorts(con: duckdb.DuckDBPyConnection) -> None:
    """Buyer counts from a clean room or a warehouse, per period, creator, campaign and ASIN."""
    create_kind_tables(
        con,
        "cohorts",
        """period_start date, period_end date, creator varchar, campaign varchar, asin varchar, buyers bigint,
        ntb_buyers bigint, repeat_buyers bigint, sns_buyers bigint""",
    )
    # As `_add_replaced_by` gave every history table before it.
    con.execute("alter table cohorts_history add column if not exists replaced_by bigint")


def _create_campaigns(con: duckdb.DuckDBPyConnection) -> None:
    """The campaign ledger: each campaign's program, type, dates, commission budget and bonus rate."""
    create_kind_tables(
        con,
        "campaigns",
        """campaign varchar, program varchar, "type" varchar, "start" date, "end" date, budget decimal(18, 4),
        bonus_rate double""",
    )
    # As `_add_replaced_by` gave every history table before it.
    con.execute("alter table campaigns_history add column if not exists replaced_by bigint")


def _add_load_authors_and_undos(con: duckdb.DuckDBPyConnection) -> None:
    """Who made each load, and when and by whom it was undone: an undone load stays in the log, marked."""
    con.execute("alter table loads add column if not exists loaded_by varchar")
    con.execute("alter table loads add column if not exists undone_at timestamp")
    con.execute("alter table loads add column if not exists undone_by varchar")


def _create_product_rates(con: duckdb.DuckDBPyConnection) -> None:
    """Each ASIN's rates over time: the catalog gains `effective_date`, and `product_rates` keeps every dated rate a
    catalog load wrote, with that load. Backfilled from the catalog versions still loaded (current and replaced),
    each dated its load's day, as a load without effective dates is."""
    for table in ("products", "products_history"):
        con.execute(f"alter table {ident(table)} add column if not exists effective_date date")
    con.execute(
        """
        create table if not exists product_rates (
            load_id bigint not null, asin varchar, effective_date date, standard_rate double, bonus_rate double
        )
        """
    )
    for table in ("products", "products_history"):
        con.execute(
            f"update {ident(table)} as p set effective_date = cast(l.loaded_at as date) from loads as l "
            "where l.load_id = p.load_id and p.effective_date is null "
            "and (p.standard_rate is not null or p.bonus_rate is not null)"
        )
        con.execute(
            "insert into product_rates (load_id, asin, effective_date, standard_rate, bonus_rate) "
            f"select load_id, asin, effective_date, standard_rate, bonus_rate from {ident(table)} "
            "where effective_date is not null"
        )


def _create_missing_first_clicks(con: duckdb.DuckDBPyConnection) -> None:
    """Stores written between the `activity` table and `first_clicks` counted the same 4 steps but have no
    `first_clicks`: each ASIN's first day with a click, built from their performance rows as the first schema
    with it built it."""
    con.execute(
        "create table if not exists first_clicks as "
        "select asin, min(date) as first_click from performance where clicks > 0 group by asin"
    )


def _drop_order_keys(con: duckdb.DuckDBPyConnection) -> None:
    """The order lines' integer order keys and their dictionary go: the nearest-order days, their one reader, tell
    a customer's orders apart by a hash of the id worked out in the query (`derived.line_neighbours`), which spares
    a load the dictionary of every order id it brings."""
    con.execute("alter table orders drop column if exists order_id_key")
    con.execute("drop table if exists order_id_keys")


def _create_product_titles(con: duckdb.DuckDBPyConnection) -> None:
    """Product titles read from files other than the catalog (a Business Report's Title), with the load that brought
    each: the names of products the catalog leaves untitled (`store.titles`). Stores before it kept none."""
    con.execute("create table if not exists product_titles (load_id bigint not null, asin varchar, title varchar)")


def _add_load_cautions(con: duckdb.DuckDBPyConnection) -> None:
    """What each load left for the person to check (an older download's figures put back, sales kept that a newer
    download no longer holds), apart from its other notes: the load log marks those loads for as long as they stand.
    Stores before it kept them only at the head of the notes."""
    con.execute("alter table loads add column if not exists cautions varchar")


# In the order they run. Never edit or reorder a step a released store may have taken: add a new one. Stores
# written by every released schema (tests/fixtures/stores) hold the steps to what those stores really contain.
MIGRATIONS: tuple[Migration, ...] = (
    Migration("create_tables", _create_tables),
    Migration("load_periods_and_mappings", _add_period_and_mappings),
    Migration("customer_and_order_keys", partial(_add_surrogate_keys, ("customer_id", "order_id"))),
    Migration("activity_and_first_clicks", rebuild_small_tables),
    Migration("order_neighbours", _add_order_neighbours),
    Migration("findings", _create_findings),
    Migration("history_keeps_replaced_rows", _history_keeps_replaced_rows),
    Migration("creator_keys", partial(_add_surrogate_keys, ("creator",))),
    Migration("events", partial(create_kind_tables, table="events", columns='name varchar, "start" date, "end" date')),
    Migration("performance_program", _add_performance_program),
    Migration("history_replaced_by", _add_replaced_by),
    Migration("sales_search_and_repeat_purchase", _create_sales_search_and_repeat_purchase),
    Migration("cohorts", _create_cohorts),
    Migration("campaigns", _create_campaigns),
    Migration("load_authors_and_undos", _add_load_authors_and_undos),
    Migration("product_rates", _create_product_rates),
    Migration("missing_first_clicks", _create_missing_first_clicks),
    Migration("order_keys_dropped", _drop_order_keys),
    Migration("product_titles", _create_product_titles),
    Migration("load_cautions", _add_load_cautions),
)
SCHEMA_VERSION = len(MIGRATIONS)


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The names of the steps this store has taken, in order; a store from before named steps gets its count's."""
    con.execute("create table if not exists meta (key varchar primary key, value varchar not null)")
    con.execute(
        "create table if not exists schema_migrations "
        "(position integer primary key, name varchar not null, applied_at timestamp default current_timestamp)"
    )
    names = [row[0] for row in con.execute("select name from schema_migrations order by position").fetchall()]
    if names:
        return names
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    counted = int(row[0]) if row else 0
    if counted > len(MIGRATIONS):
        raise NewerStoreError(f"schema {counted}")
    for position, migration in enumerate(MIGRATIONS[:counted]):
        con.execute(
            "insert into schema_migrations (position, name) values ($p, $n)", {"p": position, "n": migration.name}
        )
    return [m.name for m in MIGRATIONS[:counted]]


def _record(con: duckdb.DuckDBPyConnection, position: int, name: str) -> None:
    con.execute("insert into schema_migrations (position, name) values ($p, $n)", {"p": position, "n": name})


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """The steps this store has yet to take; NewerStoreError when it has taken one this code does not know."""
    applied = applied_migrations(con)
    known = [m.name for m in MIGRATIONS]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise NewerStoreError(", ".join(unknown))
    return [m for m in MIGRATIONS if m.name not in applied]


def apply_migration(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    """Take one step and record it (inside the caller's transaction)."""
    migration.apply(con)
    position = [m.name for m in MIGRATIONS].index(migration.name)
    _record(con, position, migration.name)
    # Older Creator Lifts read only this count, and refuse a store whose count is above theirs.
    con.execute("insert or replace into meta values ('schema_version', $v)", {"v": str(position + 1)})
