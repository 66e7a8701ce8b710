"""Each value rule's table of cases, run through DuckDB exactly as the importer runs it."""

from __future__ import annotations

import duckdb
import pytest

from analytics.contract import parsing

CASES = [
    ("money", parsing.MONEY_CASES),
    ("count", parsing.COUNT_CASES),
    ("rate", parsing.RATE_CASES),
    ("rank", parsing.RANK_CASES),
    ("date", parsing.DATE_CASES),
    ("flag", parsing.FLAG_CASES),
]


@pytest.mark.parametrize(
    ("value_type", "raw", "expected"), [(t, raw, expected) for t, cases in CASES for raw, expected in cases]
)
def test_value_rule(value_type: str, raw: str, expected: object) -> None:
    got = duckdb.connect().execute("select " + parsing.typed("$raw", value_type), {"raw": raw}).fetchone()[0]
    if expected is None or isinstance(expected, bool):
        assert got is expected
    elif value_type == "date":
        assert got.isoformat() == expected
    else:
        assert float(got) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["", "  ", "-", "N/A", "n/a", "null", "\u2014", " \u2013 ", "\\N"])
def test_missing_markers_are_missing(raw: str) -> None:
    con = duckdb.connect()
    assert con.execute("select " + parsing.is_missing("$raw", "money"), {"raw": raw}).fetchone()[0] is True


def test_day_first_reading_is_available_for_files_that_need_it() -> None:
    con = duckdb.connect()
    got = con.execute("select " + parsing.date("$raw", day_first=True), {"raw": "25/03/2026"}).fetchone()[0]
    assert got.isoformat() == "2026-03-25"


# Cells a plain cast might read differently from the rules, if it read them at all.
PLAIN_EDGES = [" 12 ", "+12", "3.0", "2.5", "1e3", "1_000", "007", "-4", "0x10", "nan", "inf", "NA", "-", ">306",
               "2026-03-01", " 2026-03-01", "2026-3-1", "2026-03-01 11:05:30", "2026-03-01T11:05:30",
               "2026-03-01 11:05:30+02", "26-03-01", "2026/03/01", "2026-02-30", "\u00a012", "12\u00a0"]  # fmt: skip


@pytest.mark.parametrize("value_type", ["money", "count", "rank", "date"])
def test_a_plain_cast_reads_a_cell_as_its_rule_does_or_not_at_all(value_type: str) -> None:
    """A column of cells the plain cast reads skips the rules (ingest): it must never read a cell differently."""
    con = duckdb.connect()
    cells = PLAIN_EDGES + [raw for _, cases in CASES for raw, _ in cases]
    plain = parsing.finish(parsing.plain("raw", value_type), value_type)
    # Every cell in one query: one query per cell compiled the rule's long expression hundreds of times.
    rows = con.execute(
        f"select raw, {plain}, {parsing.typed('raw', value_type)} from unnest($cells) as cells(raw)", {"cells": cells}
    ).fetchall()
    assert len(rows) == len(cells)
    read = [(raw, fast, ruled) for raw, fast, ruled in rows if fast is not None]
    assert [(raw, fast) for raw, fast, ruled in read if fast != ruled] == []
    assert len(read) >= 5


@pytest.mark.parametrize("value_type", ["count", "rank"])
def test_a_whole_number_is_read_plain_only_from_bare_ascii_digits(value_type: str) -> None:
    """Anything but 0-9 (a sign, a point, a space, another script's digits) or an empty cell goes to the rules."""
    con = duckdb.connect()
    plain = parsing.plain("$raw", value_type)
    read = {raw: con.execute(f"select {plain}", {"raw": raw}).fetchone()[0] for raw in
            ["0", "007", "12", "+12", "-4", " 12", "3.0", "1_000", "0x10", "", "\uff11\uff12", "\u0663", "1*", "[1]"]}  # fmt: skip
    assert {raw: value for raw, value in read.items() if value is not None} == {"0": 0, "007": 7, "12": 12}


@pytest.mark.parametrize(("value_type", "raw", "expected"), parsing.DECIMAL_COMMA_CASES)
def test_a_file_written_with_a_decimal_comma_reads_its_numbers_so(value_type: str, raw: str, expected: object) -> None:
    rule = parsing.typed("$raw", value_type, decimal_comma=True)
    got = duckdb.connect().execute("select " + rule, {"raw": raw}).fetchone()[0]
    assert got is None if expected is None else float(got) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "value_type", "point", "comma"),
    [
        ("0.35", "money", True, False),
        ("0.125", "rate", True, False),
        ("$1,234.56", "money", True, False),
        ("1,234,567", "count", True, False),
        ("₹1,23,456", "money", True, False),
        ("1,299", "money", True, False),  # thousands: an amount has no three decimals
        ("1,299", "rate", False, False),  # a rate's could be either
        ("1.299", "money", False, False),
        ("1.000", "count", False, True),  # thousands: a count has no decimals
        ("3.0", "count", True, False),
        ("12,50", "money", False, True),
        ("0,500", "money", False, True),
        ("1.234,56 €", "money", False, True),
        ("1.234,56-", "money", False, True),
        ("1.234.567", "count", False, True),
        ("1 234,56", "money", False, True),
        ("12,5 %", "rate", False, True),
        ("12", "count", False, False),
        ("abc", "money", False, False),
    ],
)
def test_a_cell_shows_a_decimal_point_or_comma_only_when_the_other_cannot_read_it(
    raw: str, value_type: str, point: bool, comma: bool
) -> None:
    shows = (
        f"select {parsing.shows_decimal_point('$raw', value_type)}, {parsing.shows_decimal_comma('$raw', value_type)}"
    )
    got = duckdb.connect().execute(shows, {"raw": raw}).fetchone()
    assert tuple(bool(b) for b in got) == (point, comma)
    assert parsing.written_with_decimal_comma(raw, value_type) is comma
