"""First start: a new store gets the bundled sample data, so a new user sees a working dashboard at once."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.ingest import LoadResult, load_file
from analytics.store import WRITE_LOCK, is_empty

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
# The catalog first, so product lines and activation dates are there when the rest arrives.
SAMPLE_FILES = ("products.csv", "performance.csv", "orders.csv", "ranks.csv")


def load_sample_data(con: duckdb.DuckDBPyConnection, sample_dir: Path | None = None) -> list[LoadResult]:
    """Load the four sample files (each all or nothing); loading them again changes nothing."""
    folder = sample_dir or SAMPLE_DIR
    return [load_file(con, folder / name, name) for name in SAMPLE_FILES if (folder / name).exists()]


def ensure_sample_data(con: duckdb.DuckDBPyConnection, sample_dir: Path | None = None) -> list[LoadResult]:
    """Load the sample data into a brand-new store, once: a store the user emptied stays empty."""
    with WRITE_LOCK:
        if con.execute("select 1 from meta where key = 'initialised'").fetchone():
            return []
        results = load_sample_data(con, sample_dir) if is_empty(con) else []
        con.execute("insert or replace into meta values ('initialised', 'true')")
        return results
