"""Where a load's time goes: runs the CLI's load (analytics.store.changes.load_file) with every SQL statement
timed, prints JSON.

Run as `python3 -m bench.load_profile DB FILE...` from the repository root (bench/run.py does, in a subprocess,
so the measured load keeps its own process). Not part of the load's timing: the proxy adds a little overhead.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb

from analytics.store import changes
from analytics.store import database as store

# The importer's steps, recognised by their SQL (analytics/ingest/importer.py); the first matching pattern names it,
# so the narrower patterns come first (the history's inserts are matched by "_history" above the plain insert).
STEPS = (
    ("create temp table cl_typed as", "read and convert every cell in one pass (plain file)"),
    ("read_csv(", "read the file as text (staging)"),
    ("cl_typed as", "parse and convert every cell"),
    ("with slash as", "sniff the date order"),
    ("having count(*) > 1", "check for duplicate keys"),
    ("count(distinct hash(", "check for duplicate keys"),
    ("cl_final as", "keep the day's latest reading"),
    ("cl_new_values", "grow the key dictionaries"),
    ('_keys" (value, key)', "grow the key dictionaries"),
    ("temp table cl_neighbours", "work out the nearest-order days"),
    ("update orders", "update stored lines' nearest-order days"),
    ("cl_touched_customers", "note the customers a change touches"),
    ("_history", "move replaced rows to the history"),
    ("insert into", "write the current table"),
    ("left join", "count added / updated rows"),
    ("commit", "commit"),
)
# The review's findings are worked out after the load commits (`store.changes.refresh_findings`): every statement
# they run is timed as one step.
FINDINGS_STEP = "work out the review's findings (after commit)"


class TimedConnection:
    """A stand-in for the connection that records how long each `execute` takes (load_file only calls execute)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: list[tuple[float, str]] = []

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        started = time.perf_counter()
        result = self.con.execute(sql, *args, **kwargs)
        self.statements.append((time.perf_counter() - started, step(" ".join(sql.split()))))
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


def step(sql: str) -> str:
    return next((name for pattern, name in STEPS if pattern in sql), "other statements")


def steps(statements: list[tuple[float, str]]) -> dict[str, float]:
    """Seconds per importer step, slowest first."""
    found: dict[str, float] = {}
    for seconds, name in statements:
        found[name] = found.get(name, 0.0) + seconds
    return dict(sorted(found.items(), key=lambda item: item[1], reverse=True))


original_refresh_findings = changes.refresh_findings


def profile(db: Path, files: list[Path]) -> list[dict[str, object]]:
    """Per file: total seconds, seconds inside SQL, and the seconds of each importer step."""
    con = store.open_store(db)
    found = []
    try:
        for path in files:
            timed = TimedConnection(con)

            def refresh_findings(connection: Any, timed: TimedConnection = timed) -> None:
                # Timed whole: the rules also query through calls other than `execute`.
                began = time.perf_counter()
                original_refresh_findings(timed.con)
                timed.statements.append((time.perf_counter() - began, FINDINGS_STEP))

            started = time.perf_counter()
            with mock.patch.object(changes, "refresh_findings", refresh_findings):
                changes.load_file(timed, path, path.name)  # type: ignore[arg-type]
            found.append(
                {
                    "file": path.name,
                    "seconds": time.perf_counter() - started,
                    "sql_seconds": sum(seconds for seconds, _ in timed.statements),
                    "steps": steps(timed.statements),
                }
            )
    finally:
        con.close()
    return found


if __name__ == "__main__":
    print(json.dumps(profile(Path(sys.argv[1]), [Path(f) for f in sys.argv[2:]])))
