"""Loading, reloading, restating and unloading files: the store always equals the loads still in effect."""

from __future__ import annotations

import os
from datetime import date

import pytest

from analytics.contract.kinds import KINDS
from analytics.ingest.layout import FileRejectedError
from analytics.store import database as store
from analytics.store.migrations import SCHEMA_VERSION
from tests.conftest import ROOT

HEADER = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
WEEK_ONE = (
    HEADER + "2026-03-01,Spring,maya,AAAAAAAAA1,10,1,20.00,2.00\n2026-03-02,Spring,maya,AAAAAAAAA1,12,2,40.00,4.00\n"
)
# Amazon restates 03-02 (a late return) and adds 03-03.
RESTATED = (
    HEADER + "2026-03-02,Spring,maya,AAAAAAAAA1,12,1,20.00,2.00\n2026-03-03,Spring,maya,AAAAAAAAA1,9,1,20.00,2.00\n"
)


def as_schema(con, version: int) -> None:
    """Make a store look as one written before named migration steps, at schema `version`: it recorded only
    the count. (Stores really written by each released schema are in tests/fixtures/stores.)"""
    con.execute("drop table schema_migrations")
    con.execute("insert or replace into meta values ('schema_version', $v)", {"v": str(version)})


def snapshot(con):
    """Every current and history row and the load log, for before/after comparisons."""
    tables = {}
    for kind in KINDS.values():
        for table in (kind.table, kind.history_table):
            tables[table] = sorted(map(repr, con.execute(f"select * from {table}").fetchall()))
    tables["loads"] = con.execute("select load_id, sha256 from loads order by 1").fetchall()
    return tables


def performance(con):
    return con.execute("select date::varchar, orders, revenue::double from performance order by date").fetchall()


def test_loading_the_same_file_twice_adds_nothing(load_text, con):
    first = load_text("week.csv", WEEK_ONE)
    before = snapshot(con)
    again = load_text("week.csv", WEEK_ONE)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert snapshot(con) == before
    assert (
        again.summary()
        == f"week.csv: performance, 0 added, 0 updated, 2 unchanged; already loaded as load {first.load_id}, nothing "
        "was added."
    )


def test_the_same_rows_in_another_file_count_as_unchanged(load_text, con):
    load_text("week.csv", WEEK_ONE)
    reordered = HEADER + "\n".join(reversed(WEEK_ONE.strip().splitlines()[1:])) + "\n"
    result = load_text("week-copy.csv", reordered)
    assert (result.added, result.updated, result.unchanged) == (0, 0, 2)
    assert len(performance(con)) == 2


def test_a_restated_row_takes_the_newer_values(load_text, con):
    """03-02 goes from 2 orders / $40 to 1 order / $20; 03-03 is new; 03-01 is untouched."""
    load_text("week.csv", WEEK_ONE)
    result = load_text("restated.csv", RESTATED)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    assert performance(con) == [("2026-03-01", 1, 20.0), ("2026-03-02", 1, 20.0), ("2026-03-03", 1, 20.0)]


def test_unloading_the_newer_file_restores_the_older_values(load_text, con):
    load_text("week.csv", WEEK_ONE)
    before = performance(con)
    restated = load_text("restated.csv", RESTATED)
    store.unload(con, restated.load_id)
    assert performance(con) == before


def test_unloading_the_older_file_keeps_rows_the_newer_file_holds(load_text, con):
    """As if week.csv had never been loaded: only restated.csv's two rows remain."""
    week = load_text("week.csv", WEEK_ONE)
    load_text("restated.csv", RESTATED)
    store.unload(con, week.load_id)
    assert performance(con) == [("2026-03-02", 1, 20.0), ("2026-03-03", 1, 20.0)]
    assert store.list_loads(con)["id"].tolist() == [week.load_id + 1]


def history(con):
    """The performance history: (load_id, date, orders), the versions later loads replaced."""
    return con.execute(
        "select load_id, date::varchar, orders from performance_history order by load_id, date"
    ).fetchall()


def test_the_history_holds_only_the_versions_a_later_load_replaced(load_text, con):
    """A first load writes each row once; a restatement moves the two rows it replaces (03-02, and 03-03 which
    restated.csv adds and the third file restates) into the history."""
    week = load_text("week.csv", WEEK_ONE)
    assert history(con) == []
    restated = load_text("restated.csv", RESTATED)
    assert history(con) == [(week.load_id, "2026-03-02", 2)]
    third = HEADER + "2026-03-03,Spring,maya,AAAAAAAAA1,9,3,60.00,6.00\n"
    load_text("third.csv", third)
    assert history(con) == [(week.load_id, "2026-03-02", 2), (restated.load_id, "2026-03-03", 1)]


def test_unloading_the_middle_of_three_loads_keeps_the_newest_and_then_restores_the_oldest(load_text, con):
    """03-02 is in all three files (2, 1 and 5 orders). Without the middle file the newest still holds; without
    the newest too, the oldest comes back, never the unloaded middle one."""
    load_text("week.csv", WEEK_ONE)
    middle = load_text("restated.csv", RESTATED)
    newest = load_text("newest.csv", HEADER + "2026-03-02,Spring,maya,AAAAAAAAA1,12,5,100.00,10.00\n")
    store.unload(con, middle.load_id)
    assert performance(con) == [("2026-03-01", 1, 20.0), ("2026-03-02", 5, 100.0)]
    store.unload(con, newest.load_id)
    assert performance(con) == [("2026-03-01", 1, 20.0), ("2026-03-02", 2, 40.0)]
    assert history(con) == [], "every version left is current"


def test_unloading_an_unknown_load_says_so(con):
    with pytest.raises(store.UnknownLoadError, match="no load 42"):
        store.unload(con, 42)


def test_rejected_file_leaves_earlier_loads_untouched(load_text, con):
    load_text("week.csv", WEEK_ONE)
    before = snapshot(con)
    version = store.data_version(con)
    broken = HEADER + "2026-03-05,Spring,maya,AAAAAAAAA1,10,1,20.00,2.00\n2026-03-06,Spring,maya,AAAAAAAAA1,ten,1,1,1\n"
    with pytest.raises(FileRejectedError, match="line 3, column 'clicks': 'ten' is not a whole number"):
        load_text("broken.csv", broken)
    assert snapshot(con) == before
    assert store.data_version(con) == version


def test_a_key_twice_in_one_file_names_both_lines(load_text, con):
    twice = HEADER + "2026-03-01,Spring,maya,AAAAAAAAA1,10,1,20,2\n2026-03-02,Spring,maya,AAAAAAAAA1,1,0,0,0\n"
    twice += "2026-03-01,Spring,maya,AAAAAAAAA1,11,1,20,2\n"
    with pytest.raises(FileRejectedError, match="lines 2 and 4"):
        load_text("twice.csv", twice)
    assert performance(con) == []


def test_same_day_rank_readings_with_a_time_keep_the_latest(load_text, con):
    text = (
        "Date Added,ASIN,Keyword,Organic Rank\n"
        "2026-03-01 09:00:00,AAAAAAAAA1,whey,12\n"
        "2026-03-01 17:30:00,AAAAAAAAA1,whey,9\n"
        "2026-03-01 13:00:00,AAAAAAAAA1,whey,>306\n"
    )
    result = load_text("ranks.csv", text)
    assert (result.kind, result.added) == ("ranks", 1)
    assert con.execute("select organic_rank from ranks").fetchall() == [(9,)]


def test_the_load_log_and_raw_files_are_kept(load_text, con):
    result = load_text("week.csv", WEEK_ONE)
    loads = store.list_loads(con)
    assert loads.iloc[0][["id", "file", "kind", "rows_added", "rows_updated"]].tolist() == [
        result.load_id,
        "week.csv",
        "performance",
        2,
        0,
    ]
    raw = con.execute("select raw_file from loads").fetchone()[0]
    assert (store.raw_files_dir(con) / raw).read_text() == WEEK_ONE


def test_a_new_store_is_at_the_current_schema_version(con):
    assert store.schema_version(con) == SCHEMA_VERSION


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    """A store that counts more steps than this code knows, or names a step it does not know, was written by a
    newer Creator Lift."""
    path = tmp_path / "future.duckdb"
    con = store.open_store(path)
    con.execute("insert into schema_migrations (position, name) values (999, 'a_step_from_the_future')")
    con.close()
    with pytest.raises(store.StoreError, match="newer Creator Lift"):
        store.open_store(path)
    counted = tmp_path / "counted.duckdb"
    con = store.open_store(counted)
    as_schema(con, 999)
    con.close()
    with pytest.raises(store.StoreError, match="newer Creator Lift"):
        store.open_store(counted)


def test_backup_is_a_consistent_copy(load_text, con, tmp_path):
    load_text("week.csv", WEEK_ONE)
    target = store.backup(con, tmp_path / "backup.duckdb")
    copy = store.open_store(target)
    assert performance(copy) == performance(con)
    copy.close()


ORDERS_HEADER = "order_id,order_date,customer_id,asin,revenue,creator\n"


def keyed_orders(con):
    return con.execute("select order_id, customer_id, customer_id_key from orders order by order_id, asin").fetchall()


def test_a_customer_keeps_one_key_across_files_and_unloads(load_text, con):
    """Distinct customers are counted by integer keys: one value, one key, whatever the file."""
    first = load_text("march.csv", ORDERS_HEADER + "o1,2026-03-01,ann,AAAAAAAAA1,10.00,maya\n")
    load_text(
        "april.csv",
        ORDERS_HEADER + "o2,2026-04-01,ann,AAAAAAAAA1,10.00,maya\n"
        "o2,2026-04-01,ann,AAAAAAAAA2,5.00,maya\n"
        "o3,2026-04-02,bob,AAAAAAAAA1,10.00,\n",
    )
    rows = keyed_orders(con)
    keys = {(order, customer): customer_key for order, customer, customer_key in rows}
    assert keys["o1", "ann"] == keys["o2", "ann"], "ann has one customer key"
    assert keys["o3", "bob"] != keys["o1", "ann"]
    # Numbered from 1 without gaps, file after file: a bitmap of customers is as long as the largest key.
    assert con.execute("select min(key), max(key), count(*) from customer_id_keys").fetchone() == (1, 2, 2)
    # Unloading and reloading the first file restores exactly the keys it had.
    store.unload(con, first.load_id)
    assert [r for r in keyed_orders(con) if r[0] == "o1"] == []
    load_text("march.csv", ORDERS_HEADER + "o1,2026-03-01,ann,AAAAAAAAA1,10.00,maya\n")
    assert keyed_orders(con) == rows


def nearest_order_days_by_definition(con):
    """Each line's nearest other orders of its customer, worked out line by line: in (day, order) order, the latest
    day of another order before the line's (day, order) and the earliest after it. Orders of one day are in the
    order of their ids' hashes, as the store takes them."""
    lines = con.execute("select order_id, asin, customer_id_key, hash(order_id), order_date from orders").fetchall()
    entries = {(customer, day, order) for _, _, customer, order, day in lines}
    expected = {}
    for order_id, asin, customer, order, day in lines:
        if customer is None:
            expected[order_id, asin] = (None, None)  # a line without a customer has no other orders
            continue
        others = [(d, o) for c, d, o in entries if c == customer and o != order]
        before = [d for d, o in others if (d, o) < (day, order)]
        after = [d for d, o in others if (d, o) > (day, order)]
        expected[order_id, asin] = (max(before, default=None), min(after, default=None))
    return expected


def stored_nearest_order_days(con):
    rows = con.execute("select order_id, asin, previous_order_date, next_order_date from orders").fetchall()
    return {(order_id, asin): (before, after) for order_id, asin, before, after in rows}


def test_every_line_keeps_its_customers_nearest_order_days_through_loads_restatements_and_undos(load_text, con):
    """The nearest-order days behind the repeat rates are written with the lines (the first load of a store), moved
    when a later file brings a customer's other orders or restates a line, and when a load is undone."""
    first = load_text(
        "march.csv",
        ORDERS_HEADER + "o1,2026-03-01,ann,AAAAAAAAA1,10.00,maya\n"
        "o2,2026-03-05,ann,AAAAAAAAA1,10.00,maya\n"
        "o2,2026-03-05,ann,AAAAAAAAA2,5.00,maya\n"
        "o3,2026-03-05,ann,AAAAAAAAA1,7.00,\n"  # a second order the same day
        "o4,2026-03-02,bob,AAAAAAAAA1,10.00,\n"
        "o5,2026-03-09,cat,AAAAAAAAA1,10.00,\n"
        "o5,2026-03-11,cat,AAAAAAAAA2,10.00,\n",  # one order's lines on two days
    )
    assert stored_nearest_order_days(con) == nearest_order_days_by_definition(con)
    assert stored_nearest_order_days(con)["o1", "AAAAAAAAA1"] == (None, date(2026, 3, 5))
    assert stored_nearest_order_days(con)["o4", "AAAAAAAAA1"] == (None, None)
    # April brings ann's and bob's next orders, and restates o1 a day later.
    april = load_text(
        "april.csv",
        ORDERS_HEADER + "o1,2026-03-06,ann,AAAAAAAAA1,10.00,maya\n"
        "o6,2026-04-01,ann,AAAAAAAAA1,10.00,maya\n"
        "o7,2026-04-02,bob,AAAAAAAAA1,10.00,\n"
        "o8,2026-03-10,cat,AAAAAAAAA1,10.00,\n",
    )
    assert stored_nearest_order_days(con) == nearest_order_days_by_definition(con)
    assert stored_nearest_order_days(con)["o4", "AAAAAAAAA1"] == (None, date(2026, 4, 2))
    store.unload(con, april.load_id)
    assert stored_nearest_order_days(con) == nearest_order_days_by_definition(con)
    assert stored_nearest_order_days(con)["o1", "AAAAAAAAA1"] == (None, date(2026, 3, 5))
    store.unload(con, first.load_id)
    assert stored_nearest_order_days(con) == {}


def small_tables(con):
    return {
        "activity": sorted(con.execute("select creator, campaign, asin from activity").fetchall(), key=repr),
        "first_clicks": con.execute("select asin, first_click::varchar from first_clicks order by asin").fetchall(),
    }


def test_the_small_tables_follow_the_rows_they_are_built_from(load_text, con):
    """`activity` and `first_clicks` are rebuilt only by a change to the kinds they are built from; whatever the
    order of loads and undos, they hold what their queries give on the current rows."""
    week = load_text("week.csv", WEEK_ONE)
    orders = load_text("orders.csv", ORDERS_HEADER + "o1,2026-03-04,ann,AAAAAAAAA2,10.00,leo\n")
    assert small_tables(con) == {
        "activity": [("leo", None, "AAAAAAAAA2"), ("maya", "Spring", "AAAAAAAAA1")],
        "first_clicks": [("AAAAAAAAA1", "2026-03-01")],
    }
    load_text("ranks.csv", "date,asin,keyword,organic_rank\n2026-03-01,AAAAAAAAA1,oats,12\n")
    load_text("catalog.csv", "asin,product_line\nAAAAAAAAA1,Oats\n")
    store.unload(con, orders.load_id)
    assert small_tables(con)["activity"] == [("maya", "Spring", "AAAAAAAAA1")]
    load_text(
        "restated.csv", RESTATED.replace("2026-03-02,Spring,maya,AAAAAAAAA1,12", "2026-03-02,Spring,maya,AAAAAAAAA1,0")
    )
    store.unload(con, week.load_id)
    assert small_tables(con) == {
        "activity": [("maya", "Spring", "AAAAAAAAA1")],
        "first_clicks": [("AAAAAAAAA1", "2026-03-03")],
    }


def test_a_load_adding_rows_grows_the_small_tables_to_what_their_queries_give(load_text, con):
    """A load that only adds rows (new days, a first file) hands the small tables those rows alone; they hold what
    their queries give on every current row all the same: a creator's new campaign joins `activity`, an earlier
    click moves an ASIN's first click back, a click on another ASIN gives it its first."""
    load_text("week.csv", WEEK_ONE)
    load_text(
        "earlier.csv",
        HEADER + "2026-02-27,Spring,maya,AAAAAAAAA1,0,0,0.00,0.00\n2026-02-28,Fall,maya,AAAAAAAAA1,3,0,0.00,0.00\n"
        "2026-02-28,Fall,ned,AAAAAAAAA2,0,0,0.00,0.00\n2026-03-05,Fall,ned,AAAAAAAAA2,4,0,0.00,0.00\n",
    )
    load_text(
        "orders.csv", ORDERS_HEADER + "o1,2026-03-04,ann,AAAAAAAAA3,10.00,ola\no2,2026-03-04,bo,AAAAAAAAA3,5.00,\n"
    )
    assert small_tables(con) == {
        "activity": [
            ("maya", "Fall", "AAAAAAAAA1"),
            ("maya", "Spring", "AAAAAAAAA1"),
            ("ned", "Fall", "AAAAAAAAA2"),
            ("ola", None, "AAAAAAAAA3"),
        ],
        "first_clicks": [("AAAAAAAAA1", "2026-02-28"), ("AAAAAAAAA2", "2026-03-05")],
    }
    # The same days restated with no click on Feb 28: rows change, and the first click goes back to Mar 1.
    load_text("restated.csv", HEADER + "2026-02-28,Fall,maya,AAAAAAAAA1,0,0,0.00,0.00\n")
    assert small_tables(con)["first_clicks"] == [("AAAAAAAAA1", "2026-03-01"), ("AAAAAAAAA2", "2026-03-05")]


def test_load_times_are_kept_in_utc_whatever_the_servers_zone(tmp_path) -> None:
    """The review labels load times UTC: a server in New York stored 23:10 for 04:10 UTC."""
    import subprocess
    import sys
    from datetime import UTC, datetime

    db, upload = tmp_path / "ny.duckdb", tmp_path / "week.csv"
    upload.write_text("date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,Ana,B0HYDRA001,1,0,0,0\n")
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db), "load", str(upload)],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TZ": "America/New_York"},
        check=True,
    )
    after = datetime.now(UTC).replace(tzinfo=None)
    con = store.open_store(db, read_only=True)
    try:
        (stored,) = con.execute("select loaded_at from loads").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    assert before <= stored <= after
