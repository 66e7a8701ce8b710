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
    required date columns), then the creators and ASINs the kind's stored rows have not had yet."""
    notes = []
    days = [c.name for c in kind.columns if c.type == "date" and c.required]
    if days:
        first = ", ".join(f"min({ident(d)})" for d in days)
        last = ", ".join(f"max({ident(d)})" for d in days)
        row = con.execute(f"select least({first}), greatest({last}) from {ident(rows)}").fetchone()
        if row and row[0] is not None:
            span = row[0].isoformat() if row[0] == row[1] else f"{row[0].isoformat()} to {row[1].isoformat()}"
            notes.append(f"dates {span}")
    stored_before = con.execute(f"select exists (select 1 from {ident(kind.table)})").fetchone() == (True,)
    for column, label in (("creator", "creators"), ("asin", "ASINs")):
        if column not in kind.column_names:
            continue
        known = f"except select {ident(column)} from {ident(kind.table)}" if stored_before else ""
        new = [
            str(value)
            for (value,) in con.execute(
                f"select {ident(column)} from (select distinct {ident(column)} from {ident(rows)} "
                f"where {ident(column)} is not null {known}) order by 1"
            ).fetchall()
        ]
        if new:
            notes.append(f"new {label}: {named(new)}")
    return notes
