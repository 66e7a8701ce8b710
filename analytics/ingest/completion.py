"""The values a file leaves out: column defaults (the program), known program names, and a partial catalog's
stored columns.
"""

from __future__ import annotations

from datetime import date

import duckdb

from analytics.contract.kinds import KNOWN_PROGRAMS, Column, Kind, normalise_header
from analytics.sql import ident, keys_match


def program_name(given: str | None) -> str | None:
    """A program as the person loading wrote it, spelled as the product knows it ("Creator Connections" ->
    creator_connections); a name of their own is kept as written, trimmed."""
    if given is None or not given.strip():
        return None
    known = {normalise_header(p): p for p in KNOWN_PROGRAMS}
    return known.get(normalise_header(given), given.strip())


def defaulted(kind: Kind, column: Column) -> bool:
    """Whether the typed rows fill `column`'s default where a file lacks it; a partial kind's rows first take the
    stored values instead (`complete_partial_rows`)."""
    return column.default is not None and not kind.partial


def default_parameter(column: Column) -> str:
    """The bound parameter holding `column`'s default in the typed rows' SQL."""
    return f"default_{column.name}"


def default_parameters(kind: Kind, program: str | None) -> dict[str, object]:
    """The values of the defaults the typed rows' SQL binds: the program the upload names, else the contract's."""
    values: dict[str, object] = {}
    for column in kind.columns:
        if defaulted(kind, column):
            given = program if column.name == "program" else None
            values[default_parameter(column)] = given or column.default
    return values


def normalise_programs(con: duckdb.DuckDBPyConnection, rows: str) -> None:
    """Spell the known programs in table `rows` as the product does, whatever case or punctuation the file used."""
    for known in KNOWN_PROGRAMS:
        con.execute(
            f"update {ident(rows)} set program = $known "
            "where program <> $known and regexp_replace(lower(program), '[^0-9a-z]+', '', 'g') = $normalised",
            {"known": known, "normalised": normalise_header(known)},
        )


def complete_partial_rows(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, carried: set[str]) -> None:
    """Give the rows of a partial kind (the catalog) the stored values of the columns their file does not carry,
    and of a carried column with a default where the cell is empty; what is still empty then takes the default
    (a new ASIN without a product line is Unassigned)."""
    table = ident(kind.table)
    updates = []
    for column in kind.columns:
        if column.name in kind.key:
            continue
        name = ident(column.name)
        if column.name not in carried:
            updates.append(f"{name} = cur.{name}")
        elif column.default is not None:
            updates.append(f"{name} = coalesce(t.{name}, cur.{name})")
    if updates and con.execute(f"select exists (select 1 from {table})").fetchone() == (True,):
        con.execute(
            f"update {ident(rows)} as t set {', '.join(updates)} "
            f"from {table} as cur where {keys_match('t', 'cur', kind.key)}"
        )
    for column in kind.columns:
        if column.default is not None:
            con.execute(
                f"update {ident(rows)} set {ident(column.name)} = $value where {ident(column.name)} is null",
                {"value": column.default},
            )


def date_rates(con: duckdb.DuckDBPyConnection, rows: str, carried: set[str], load_date: date) -> None:
    """Give each catalog row of table `rows` (a file carrying a rate) the day its rates take effect: the file's
    effective_date; else, when the row's rates are the ones stored for its ASIN (a catalog loaded again), the stored
    day, so reloading a catalog does not restart its rates; else `load_date`, the day of the load."""
    if "effective_date" not in carried:
        con.execute(f"update {ident(rows)} set effective_date = null")
    con.execute(
        f"""
        update {ident(rows)} as t
        set effective_date = cur.effective_date
        from products as cur
        where cur.asin = t.asin
          and t.effective_date is null
          and t.standard_rate is not distinct from cur.standard_rate
          and t.bonus_rate is not distinct from cur.bonus_rate
        """
    )
    con.execute(f"update {ident(rows)} set effective_date = $day where effective_date is null", {"day": load_date})
