"""How a file writes its values, worked out from its staged cells before they are converted.

Exports follow their locale, not a setting the file states: a US export writes 03/04/2026 and 1,234.56, a German
Excel 04.03.2026 and 1.234,56. The cells that only one way can read decide, and the load's notes say what they
decided. Where nothing decides, slash dates are month first and numbers have a decimal point, as Amazon's US
exports are, except that a file separated by semicolons (Excel's CSV under European regional settings) has a
decimal comma.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from analytics.contract import parsing
from analytics.ingest.layout import Detection

# Value types whose cells show how the file writes its decimals.
DECIMAL_TYPES = (*parsing.NUMBER_TYPES, "rate")
DECIMAL_COMMA_NOTE = "numbers read with a decimal comma (1.234,56 = 1234.56)"


@dataclass(frozen=True)
class Notation:
    """`day_first`: the date columns whose slash dates put the day first; `decimal_comma`: numbers are written
    1.234,56; `notes`: what the load tells about it."""

    day_first: frozenset[str] = frozenset()
    decimal_comma: bool = False
    notes: tuple[str, ...] = ()


def read_notation(
    con: duckdb.DuckDBPyConnection, detection: Detection, delimiter: str, plain: set[str], table: str = "cl_staging"
) -> Notation:
    """The notation of the file staged as text in `table` (columns c0, c1, …). `plain` names the columns whose every
    cell its type's plain cast reads: a plain date column holds ISO dates only, with no slash dates to read."""
    kind = detection.kind
    notes: list[str] = []
    day_first: set[str] = set()
    for column in kind.columns:
        if column.type == "date" and column.name in detection.mapping and column.name not in plain:
            first, ambiguous = _date_order(con, f"c{detection.mapping[column.name]}", table)
            if first:
                day_first.add(column.name)
                notes.append(f"{column.name} read day first (25/03/2026 style)")
            elif ambiguous:
                notes.append(f"{column.name} read month first (US style: 03/04/2026 is March 4)")
    numbers = [f"c{i}" for name, i in detection.mapping.items() if kind.column(name).type in DECIMAL_TYPES]
    decimal_comma = _decimal_comma(con, numbers, delimiter, table)
    if decimal_comma:
        notes.append(DECIMAL_COMMA_NOTE)
    return Notation(frozenset(day_first), decimal_comma, tuple(notes))


def _date_order(con: duckdb.DuckDBPyConnection, raw: str, table: str) -> tuple[bool, bool]:
    """(day_first, ambiguous): whether slash dates in a column are day first, and if any could be either."""
    parts = f"regexp_extract(trim({raw}), '^(\\d{{1,2}})/(\\d{{1,2}})/', ['a', 'b'])"
    row = con.execute(
        f"""
        with slash as (
            select try_cast({parts}.a as integer) as a, try_cast({parts}.b as integer) as b from {table}
        )
        select
            count(*) filter (where a > 12 and b <= 12),
            count(*) filter (where b > 12),
            count(*) filter (where a <= 12 and b <= 12 and a <> b)
        from slash
        """
    ).fetchone()
    assert row is not None
    day_first = row[0] > 0 and row[1] == 0
    return day_first, (row[2] > 0 and row[0] == 0 and row[1] == 0)


def _decimal_comma(con: duckdb.DuckDBPyConnection, columns: list[str], delimiter: str, table: str) -> bool:
    """Whether the number cells of `columns` carry a decimal comma: some cell only a decimal comma reads (12,50) and
    none only a decimal point reads (0.35), or, with neither, the file is separated by semicolons.

    With cells of both, the numbers are read with a decimal point, which refuses the decimal-comma cells by line.
    """
    if not columns:
        return delimiter == ";"

    def any_cell(shows: Callable[[str], str]) -> bool:
        tests = " or ".join(shows(column) for column in columns)
        return con.execute(f"select bool_or({tests}) from {table}").fetchone() == (True,)

    # Most files show no decimal comma, and the question costs least that way round.
    if not any_cell(parsing.shows_decimal_comma) and delimiter != ";":
        return False
    return not any_cell(parsing.shows_decimal_point)
