"""What a load brings, said so a marketer can check it: the days it covers, and the creators and ASINs it adds."""

from __future__ import annotations

import duckdb

from analytics.contract.kinds import Kind
from analytics.sql import ident

SHOWN_NAMES = 3


def named(values: list[str], shown: int = SHOWN_NAMES) -> str:
    """The first `shown` values, then "+N more" for the rest: `maya, leo, ana +2 more`."""
    head = ", ".join(values[:shown])
    return head + (f" +{len(values) - shown} more" if len(values) > shown else "")


def arrival_notes(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> list[str]:
    """Notes on the rows in table `rows`, read before they are merged: the dates they cover (over the kind's
    `day_columns`), then the creators and ASINs new to the store: neither the kind's stored rows nor any creator
    activity (`activity`) nor, for ASINs, the catalog has had them. An order file's creators are the performance
    report's, and a sales file's ASINs the catalog's: named again, they would read as names that failed to match."""
    notes = []
    days = kind.day_columns
    if days:
        first = ", ".join(f"min({ident(d)})" for d in days)
        last = ", ".join(f"max({ident(d)})" for d in days)
        row = con.execute(f"select least({first}), greatest({last}) from {ident(rows)}").fetchone()
        if row and row[0] is not None:
            span = row[0].isoformat() if row[0] == row[1] else f"{row[0].isoformat()} to {row[1].isoformat()}"
            notes.append(f"dates {span}")
    for column, label in (("creator", "creators"), ("asin", "ASINs")):
        if column not in kind.column_names:
            continue
        known = (kind.table, "activity", *(("products",) if column == "asin" else ()))
        new = [str(value) for (value,) in con.execute(_new_values_sql(known, rows, column)).fetchall()]
        if new:
            notes.append(f"new {label}: {named(new)}")
    return notes


def _new_values_sql(tables: tuple[str, ...], rows: str, column: str) -> str:
    """The distinct values of `column` in table `rows` that none of `tables` holds, in order.

    The file's few distinct values probe the stored rows (an anti join): a set difference would first work out the
    stored column's distinct values over every row, which a weekly file's load paid for again each time.
    """
    value = ident(column)
    probes = " ".join(
        f"anti join {ident(table)} as s{n} on s{n}.{value} = a.{value}" for n, table in enumerate(dict.fromkeys(tables))
    )
    return (
        f"with arriving as (select distinct {value} from {ident(rows)} where {value} is not null) "
        f"select a.{value} from arriving as a {probes} order by 1"
    )
