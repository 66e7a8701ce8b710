"""The importer's one-pass read of plain files (`importer._read_plain`) keeps every guarantee of the staged read.

A machine-written file, whose every date and number reads by its type's plain cast, converts straight from the
CSV; anything else goes the staged way. Both must give the same rows, and the same sentences for the same faults.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.ingest import importer
from analytics.ingest.importer import load_file
from analytics.ingest.layout import FileRejectedError
from analytics.store.database import open_store

HEADER = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"


def _row(n: int, day: str = "2026-03-01") -> str:
    return f"{day},Always-on,creator-{n % 97},B0{n:08d},{n % 50},{n % 3},{n % 7}.50,0.25\n"


def _performance(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "select date, campaign, creator, asin, clicks, orders, revenue, commission from performance order by all"
    ).fetchall()


def test_a_plain_file_loads_in_one_pass_with_the_staged_reads_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "performance.csv"
    path.write_text(HEADER + "".join(_row(n) for n in range(2000)))
    calls: list[bool] = []
    real = importer._read_plain

    def read_plain(*args: object, **kwargs: object) -> bool:
        calls.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return calls[-1]

    monkeypatch.setattr(importer, "_read_plain", read_plain)
    load_file(con, path)
    assert calls == [True]
    plain = _performance(con)

    staged = open_store(tmp_path / "staged.duckdb")
    monkeypatch.setattr(importer, "_read_plain", lambda *a, **k: False)
    load_file(staged, path)
    assert _performance(staged) == plain
    staged.close()


def test_a_cell_the_plain_cast_cannot_read_sends_the_file_the_staged_way(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "performance.csv"
    path.write_text(HEADER + _row(1) + '2026-03-02,Always-on,maya,B0C1234567,3,1,"$1,234.50",0.25\n')
    result = load_file(con, path)
    assert result.added == 2
    assert con.execute("select revenue from performance where asin = 'B0C1234567'").fetchone() == (1234.5,)


def test_a_key_repeated_far_apart_in_a_plain_file_names_both_lines(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The one-pass read does not number its rows: the staged read names the lines, across many row groups."""
    rows = [_row(n) for n in range(300_000)]
    rows[250_000] = rows[7]
    path = tmp_path / "performance.csv"
    path.write_text(HEADER + "".join(rows))
    with pytest.raises(FileRejectedError, match="lines 9 and 250002: both rows have the same"):
        load_file(con, path)
    assert con.execute("select count(*) from performance").fetchone() == (0,)
    assert con.execute("select count(*) from duckdb_tables() where table_name like 'cl_%'").fetchone() == (0,)


def test_a_bad_value_in_a_plain_looking_file_names_its_line_and_column(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "performance.csv"
    path.write_text(HEADER + _row(1) + _row(2) + "2026-03-01,Always-on,maya,B0C1234567,2.5,0,1.00,0.10\n")
    with pytest.raises(FileRejectedError, match="line 4, column 'clicks': '2.5' is not a whole number"):
        load_file(con, path)


def test_a_plain_ranks_file_reads_in_one_pass_and_its_same_time_readings_still_go_to_the_later_line(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readings of a keyword at one moment are told apart by their lines, which the one-pass read does not number:
    the file is numbered the staged way before the day's latest reading is chosen. Line 3 (rank 7) beats line 2
    (rank 9) at the same 20:00; the 08:00 reading of whey loses to both."""
    calls: list[bool] = []
    real = importer._read_plain
    monkeypatch.setattr(importer, "_read_plain", lambda *a, **k: calls.append(real(*a, **k)) or calls[-1])
    path = tmp_path / "ranks.csv"
    path.write_text(
        "date,asin,keyword,organic_rank\n"
        "2026-03-01 20:00,AAAAAAAAA1,whey,9\n2026-03-01 20:00,AAAAAAAAA1,whey,7\n"
        "2026-03-01 08:00,AAAAAAAAA1,whey,2\n2026-03-01 09:00,AAAAAAAAA1,bar,3\n"
    )
    result = load_file(con, path)
    assert calls == [True]
    assert "2 same-day readings merged into the day's latest" in result.notes
    assert con.execute("select keyword, organic_rank from ranks order by keyword").fetchall() == [
        ("bar", 3),
        ("whey", 7),
    ]
