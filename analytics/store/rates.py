"""The rate history: every dated standard and bonus rate a catalog load wrote, kept with that load.

A catalog row's rates apply from its `effective_date` (the file's, else the day it was loaded) until the ASIN's
next dated rate; `metrics.rates` reads the rate in force on a day from here.
"""

from __future__ import annotations

import duckdb

from analytics.sql import ident

RATE_HISTORY = "product_rates"
RATE_COLUMNS = ("standard_rate", "bonus_rate")


def record_rates(con: duckdb.DuckDBPyConnection, rows: str, load_id: int) -> None:
    """Add the dated rates of table `rows` (catalog rows with their effective dates) to the history, as load
    `load_id`'s. Inside the load's transaction."""
    con.execute(
        f"insert into {ident(RATE_HISTORY)} (load_id, asin, effective_date, standard_rate, bonus_rate) "
        f"select $id, asin, effective_date, standard_rate, bonus_rate from {ident(rows)}",
        {"id": load_id},
    )


def forget_rates(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """Take load `load_id`'s rates out of the history: undoing a catalog load undoes its rates too."""
    con.execute(f"delete from {ident(RATE_HISTORY)} where load_id = $id", {"id": load_id})
