"""The one place identifiers are quoted for SQL; values never come here, they are bound as parameters."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def ident(name: str) -> str:
    """Quote a name defined in code (a contract column, a metric, a table) after checking its shape."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not an identifier defined by the contract: {name!r}")
    return f'"{name}"'


def quoted_name(name: str) -> str:
    """Quote a name that comes from outside the code, such as a database's, which DuckDB takes from its file name
    ("acme-nutrition"): any character, its double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def days_without_rows(table: str, condition: str = "true") -> str:
    """SQL listing, oldest first, the days from `$start` to `$end` (bound by the caller) on which table `table` has
    no row (by its `date` column) meeting `condition`: a store's days a download left out, or a file's own gaps."""
    return f"""
        select day::date
        from range($start::timestamp, $end::timestamp + interval 1 day, interval 1 day) as days(day)
        anti join (
            select distinct date from {ident(table)} where date between $start and $end and {condition}
        ) as held on held.date = day::date
        order by 1
    """


def idents(names: Iterable[str], prefix: str = "") -> str:
    """Comma-separated quoted names, optionally qualified (`t.`)."""
    return ", ".join(prefix + ident(n) for n in names)


def keys_match(left: str, right: str, names: Iterable[str]) -> str:
    """Join condition on natural keys; `is not distinct from` because an optional key (campaign) can be null."""
    return " and ".join(f"{left}.{ident(n)} is not distinct from {right}.{ident(n)}" for n in names)


def sql_text(sql: str) -> str:
    """A built query as a person reads it (and a snapshot test compares it): no blank lines or trailing spaces, and
    the indentation the query's pieces share taken off."""
    lines = [line.rstrip() for line in textwrap.dedent(sql).splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def week_of(day: str) -> str:
    """SQL for the Sunday that starts `day`'s week: weeks run Sunday to Saturday."""
    return f"{day} - cast(dayofweek({day}) as integer)"
