"""How a file writes its values, worked out from its staged cells before they are converted.

Exports follow their locale, not a setting the file states: a US export writes 03/04/2026 and 1,234.56, a German
Excel 04.03.2026 and 1.234,56. The cells that only one way can read decide, and the load's notes say what they
decided. Where nothing decides, slash dates are month first and numbers have a decimal point, as Amazon's US
exports are, except in a file written the European way: separated by semicolons (Excel's CSV under European
regional settings) or dated with dots (31.10.2026). Its numbers have a decimal comma, and a decimal comma's slash
dates put the day first. Slash dates that read either way follow, in turn, the file's other date columns, a
decimal comma, and the brand (`date_order`): its earlier files of the same columns, else its currency's
marketplaces. A British brand's week of 03/11/2026 to 09/11/2026 is read as its October file with a 25/10/2026 in
it was, or, with no such file, as Amazon.co.uk writes dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import duckdb

from analytics.contract import parsing
from analytics.ingest.date_order import DateOrder
from analytics.ingest.layout import Detection

# Value types whose cells show how the file writes its decimals.
DECIMAL_TYPES = (*parsing.NUMBER_TYPES, "rate")
DECIMAL_COMMA_NOTE = "numbers read with a decimal comma (1.234,56 = 1234.56)"


@dataclass(frozen=True)
class Notation:
    """`day_first`: the date columns whose slash dates put the day first; `decimal_comma`: numbers are written
    1.234,56; `notes`: what the load tells about it; `shown`: the order the file's own slash dates showed, when a
    cell only one order reads and no column contradicts it (noted with the load, for the brand's later files)."""

    day_first: frozenset[str] = frozenset()
    decimal_comma: bool = False
    notes: tuple[str, ...] = ()
    shown: DateOrder | None = None


def read_notation(
    con: duckdb.DuckDBPyConnection,
    detection: Detection,
    delimiter: str,
    plain: set[str],
    header: Sequence[str] = (),
    table: str = "cl_staging",
    brand_order: tuple[DateOrder, str] | None = None,
) -> Notation:
    """The notation of the file staged as text in `table` (columns c0, c1, …). `plain` names the columns whose every
    cell its type's plain cast reads: a plain date column holds ISO dates only, with no slash dates to read. The
    notes name a column by the file's own `header` where given. `brand_order`: the order the brand's earlier files or
    its currency give slash dates nothing else decides, and why (`date_order.brand_date_order`)."""
    kind = detection.kind
    dates = {
        column.name: _date_order(con, f"c{detection.mapping[column.name]}", table)
        for column in kind.columns
        if column.type == "date" and column.name in detection.mapping and column.name not in plain
    }
    european = delimiter == ";" or any(order.dotted for order in dates.values())
    numbers = {
        name: (f"c{i}", kind.column(name).type)
        for name, i in detection.mapping.items()
        if kind.column(name).type in DECIMAL_TYPES
    }
    # No cell the plain cast reads is written with a decimal comma (`parsing.plain` leaves a count's 1.000 to the
    # rules): only the other columns can show one.
    unplain = [number for name, number in numbers.items() if name not in plain]
    decimal_comma = _decimal_comma(con, list(numbers.values()), unplain, european, table)
    notes: list[str] = []
    day_first: set[str] = set()
    # A column whose cells read either way is read as the file's other date columns show it (an event's start of
    # 25/03/2026 beside an end of 02/04/2026), before the file's decimals or the brand's earlier files.
    shown = _shown_order(dates.values())
    for column, order in dates.items():
        index = detection.mapping[column]
        name = f"'{header[index]}'" if index < len(header) else column
        if order.day_first:
            day_first.add(column)
            notes.append(f"{name} read day first (25/03/2026 style)")
        elif order.ambiguous and shown is not None:
            if shown == "day":
                day_first.add(column)
            written = "day first (03/04/2026 is 3 April)" if shown == "day" else "month first (03/04/2026 is March 4)"
            notes.append(f"{name} read {written}, as the file's other dates show")
        elif order.ambiguous and order.consecutive is not None:
            if order.consecutive == "day":
                day_first.add(column)
            written = (
                "day first (03/04/2026 is 3 April)"
                if order.consecutive == "day"
                else "month first (03/04/2026 is March 4)"
            )
            notes.append(
                f"{name} read {written}: so its dates are days in a row, where read the other way they fall a month "
                "apart"
            )
        elif order.ambiguous and decimal_comma:
            day_first.add(column)
            notes.append(f"{name} read day first (03/04/2026 is 3 April), as files with a decimal comma write dates")
        elif order.ambiguous and brand_order is not None:
            earlier, reason = brand_order
            if earlier == "day":
                day_first.add(column)
            written = "day first (03/04/2026 is 3 April)" if earlier == "day" else "month first (03/04/2026 is March 4)"
            notes.append(f"{name} read {written}, {reason}")
        elif order.ambiguous:
            notes.append(f"{name} read month first (US style: 03/04/2026 is March 4)")
        if order.dotted:
            notes.append(f"{name} written with dots, read day first (31.10.2026 style)")
    if decimal_comma:
        notes.append(DECIMAL_COMMA_NOTE)
    # Noted for the brand's later files of these columns: what the slash dates showed. Dots say how this file writes
    # its dates, not the order of another's slash dates (a colleague's export of another locale, the same columns).
    return Notation(frozenset(day_first), decimal_comma, tuple(notes), _shown_order(dates.values(), dots=False))


def _shown_order(orders: Iterable[_DateOrder], dots: bool = True) -> DateOrder | None:
    """The order the file's own cells showed: day first when a column's do (a 25/03/2026, or dots, unless `dots` is
    False) and none shows month first (a 03/25/2026), and the other way round; None when no cell decides or columns
    disagree."""
    shown = {
        "day" if order.day_first or (dots and order.dotted) else "month"
        for order in orders
        if order.decided and (dots or order.day_first or order.month_first)
    }
    if len(shown) != 1:
        return None
    return "day" if shown == {"day"} else "month"


@dataclass(frozen=True)
class _DateOrder:
    """What a date column's cells show: slash (or dash) dates only day first reads (25/03/2026, 25-03-2026), slash
    dates either way could read (03/04/2026) and none only month first reads, dates written with dots (31.10.2026),
    slash dates only month first reads (03/25/2026) and none only day first reads."""

    day_first: bool
    ambiguous: bool
    dotted: bool
    month_first: bool = False
    # For slash dates either order reads: the order in which they are days in a row (a week's export) where the
    # other spreads them a month apart (01/03/2026 … 07/03/2026 read month first: the 3rd of seven months).
    consecutive: DateOrder | None = None

    @property
    def decided(self) -> bool:
        """The cells show one order and only one (dots are day first)."""
        return (self.day_first or self.month_first or self.dotted) and not (self.month_first and self.dotted)


# Days in a row, for slash dates either order reads (`_DateOrder.consecutive`): at least a week of distinct days,
# filling at least half the days from the first to the last one way and under a tenth of them the other.
CONSECUTIVE_DAYS, DENSE, SPARSE = 7, 0.5, 0.1


def _date_order(con: duckdb.DuckDBPyConnection, raw: str, table: str) -> _DateOrder:
    parts = f"regexp_extract(trim({raw}), '^(\\d{{1,2}})[/-](\\d{{1,2}})[/-](\\d{{2}}|\\d{{4}})\\b', ['a', 'b', 'y'])"
    # Each reading's distinct days over the days from its first to its last: 1 for days in a row.
    filled = "count(distinct {day}) / (date_diff('day', min({day}), max({day})) + 1)"
    row = con.execute(
        f"""
        with slash as (
            select
                try_cast({parts}.a as integer) as a,
                try_cast({parts}.b as integer) as b,
                try_cast({parts}.y as integer) as y,
                regexp_matches(trim({raw}), '^\\d{{1,2}}\\.\\d{{1,2}}\\.\\d{{2,4}}') as dotted
            from {table}
        ),
        read as (
            select *,
                try(make_date(if(y < 100, 2000 + y, y), a, b)) as month_first,
                try(make_date(if(y < 100, 2000 + y, y), b, a)) as day_first
            from slash
        )
        select
            count(*) filter (where a > 12 and b <= 12),
            count(*) filter (where b > 12),
            count(*) filter (where a <= 12 and b <= 12 and a <> b),
            bool_or(dotted),
            count(distinct month_first),
            {filled.format(day="month_first")},
            {filled.format(day="day_first")}
        from read
        """
    ).fetchone()
    assert row is not None
    ambiguous = row[2] > 0 and row[0] == 0 and row[1] == 0
    consecutive: DateOrder | None = None
    if ambiguous and row[4] >= CONSECUTIVE_DAYS:
        month_filled, day_filled = float(row[5] or 0), float(row[6] or 0)
        if month_filled >= DENSE and day_filled < SPARSE:
            consecutive = "month"
        elif day_filled >= DENSE and month_filled < SPARSE:
            consecutive = "day"
    return _DateOrder(row[0] > 0 and row[1] == 0, ambiguous, bool(row[3]), row[1] > 0 and row[0] == 0, consecutive)


def _decimal_comma(
    con: duckdb.DuckDBPyConnection,
    numbers: list[tuple[str, str]],
    unplain: list[tuple[str, str]],
    european: bool,
    table: str,
) -> bool:
    """Whether the cells of `numbers` (raw column, value type) carry a decimal comma: some cell of `unplain` (the
    columns a plain cast does not read whole) only a decimal comma reads (12,50, or a count 1.000) and no cell only a
    decimal point reads (0.35, or an amount 1,299), or, with neither, the file is written the `european` way.

    With cells of both, the numbers are read with a decimal point, which refuses the decimal-comma cells by line.
    """

    def any_cell(shows: Callable[[str, str], str], columns: list[tuple[str, str]]) -> bool:
        tests = " or ".join(shows(raw, value_type) for raw, value_type in columns)
        return bool(tests) and con.execute(f"select bool_or({tests}) from {table}").fetchone() == (True,)

    # Most files show no decimal comma, and the question costs least that way round.
    if not any_cell(parsing.shows_decimal_comma, unplain) and not european:
        return False
    return not any_cell(parsing.shows_decimal_point, numbers)
