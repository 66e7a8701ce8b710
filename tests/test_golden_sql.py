"""The SQL each common metrics call runs, kept as readable files beside the tests: a change to the query builder
shows in review as a change to these files.

A test fails when the built SQL differs from its file. After a deliberate change, rewrite the files with
`CREATORLIFT_GOLDEN=refresh pytest tests/test_golden_sql.py` and read the diff before committing it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.metrics.grouped import (
    PERFORMANCE_SUMS,
    SALES_METRICS,
    WITHOUT_BASELINES,
    Scope,
    grouped_metrics_sql,
)
from analytics.sql import sql_text

GOLDEN = Path(__file__).parent / "golden_sql"
MONTH = Scope(date(2026, 3, 1), date(2026, 3, 28))
# name: (dimensions, metrics, scope), as the pages and the CLI call them.
CALLS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None, Scope]] = {
    # The CLI's `metrics --by creator` and the Creators page: every metric.
    "by_creator_all_metrics": (("creator",), None, MONTH),
    # The Overview's weekly trend: the performance report alone, never the order lines.
    "by_week_sales_metrics": (("week",), SALES_METRICS, MONTH),
    # The Products page's lines, filtered to one line.
    "by_product_line_filtered": (
        ("product_line",),
        WITHOUT_BASELINES,
        Scope(MONTH.start, MONTH.end, product_lines=("Protein",)),
    ),
    # The Overview's cards: the whole scope in one row.
    "totals_all_metrics": ((), None, MONTH),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_sql_of_each_common_call_is_the_one_on_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    by, metrics, scope = CALLS[name]
    sql, parameters = grouped_metrics_sql(con, scope, by, metrics)
    text = f"-- grouped_metrics_sql(by={list(by)}, metrics={'all' if metrics is None else len(metrics)})\n"
    text += sql_text(sql)
    path = GOLDEN / f"{name}.sql"
    if os.environ.get("CREATORLIFT_GOLDEN") == "refresh":
        path.write_text(text)
    assert path.read_text() == text, f"{path.name} differs from the built SQL; see this module's docstring"
    # Every value is bound: the parameters hold the scope, the SQL only their names.
    assert "2026-03-01" not in sql and parameters["start"] == date(2026, 3, 1)


def test_the_sums_the_metrics_read_are_the_registry_s(con: duckdb.DuckDBPyConnection) -> None:
    """Each performance sum is aggregated once, from its declaration, and read once into the groups' sums."""
    sql, _ = grouped_metrics_sql(con, MONTH, ("creator",), SALES_METRICS)
    for declared in PERFORMANCE_SUMS:
        assert sql.count(declared.aggregated()) == 1
        assert sql.count(declared.read_from("p")) == 1
