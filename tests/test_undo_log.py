"""Undo that says what it does: the confirmation's numbers come true, and undone loads stay in the log, marked."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.__main__ import main
from analytics.ingest.layout import FileRejectedError
from analytics.present.load_log import undo_confirmation
from analytics.store import changes
from analytics.store.database import UndoPreview, UnknownLoadError, list_loads, load_history, undo_preview

HEADER = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"


def write(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows)
    return path


def revenue(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute("select coalesce(sum(revenue), 0) from performance").fetchone()
    assert row is not None
    return float(row[0])


@pytest.fixture
def two_loads(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> tuple[int, int]:
    """Load A: alice on Jan 1 ($100) and Jan 2 ($50). Load B: alice on Jan 2 again ($70, an update) and bob on
    Jan 3 ($30). Current: $100 (A) + $70 (B) + $30 (B) = $200; A's $50 version of Jan 2 waits in the history."""
    a = changes.load_file(
        con,
        write(
            tmp_path, "a.csv", "2026-01-01,c,alice,B000000001,10,1,100,10\n2026-01-02,c,alice,B000000001,10,1,50,5\n"
        ),
        by="ana@brand.example",
    )
    b = changes.load_file(
        con,
        write(tmp_path, "b.csv", "2026-01-02,c,alice,B000000001,10,1,70,7\n2026-01-03,c,bob,B000000001,10,1,30,3\n"),
        by="ben@brand.example",
    )
    assert a.load_id is not None and b.load_id is not None
    assert revenue(con) == 200
    return a.load_id, b.load_id


def test_undoing_the_later_load_brings_the_earlier_value_back_as_its_preview_said(con, two_loads):
    _, b = two_loads
    preview = undo_preview(con, b)
    # B holds Jan 2 and Jan 3: Jan 3 leaves; Jan 2 goes back to A's $50. $200 - $70 - $30 + $50 = $150.
    assert (preview.rows_leaving, preview.rows_restored, preview.rows_kept_by_later_loads) == (1, 1, 0)
    # Commission likewise: $10 + $7 + $3 = $20, less B's $7 and $3, plus A's $5 back = $15.
    assert preview.totals == (("revenue", 200.0, 150.0), ("commission", 20.0, 15.0))
    assert undo_confirmation(preview) == (
        "1 row leaves the store and 1 row goes back to the values of the loads before it. "
        "Total performance revenue goes from $200.00 to $150.00 (-$50.00). "
        "Total performance commission goes from $20.00 to $15.00 (-$5.00)."
    )
    assert revenue(con) == 200  # the preview changed nothing
    changes.unload(con, b, by="cara@brand.example")
    assert revenue(con) == 150


def test_a_load_updating_stored_rows_says_what_it_moves_each_money_total_by(con, two_loads):
    """B's Jan 2 row restates A's: revenue $50 -> $70, commission $5 -> $7. Finance checks a corrected file by the
    money it moves, not by "1 updated"."""
    _, b = two_loads
    notes = con.execute("select notes from loads where load_id = $id", {"id": b}).fetchone()
    assert notes is not None
    assert "1 updated row, of load 1 (a.csv), moves total revenue by +$20.00 and commission by +$2.00" in notes[
        0
    ].split("; "), notes


def test_undoing_the_earlier_load_leaves_what_the_later_load_also_holds(con, two_loads):
    a, _ = two_loads
    preview = undo_preview(con, a)
    # A holds Jan 1 only now ($100 leaves); its Jan 2 version was replaced by B's, which stays.
    assert (preview.rows_leaving, preview.rows_restored, preview.rows_kept_by_later_loads) == (1, 0, 1)
    assert preview.totals == (("revenue", 200.0, 100.0), ("commission", 20.0, 10.0))
    assert undo_confirmation(preview) == (
        "1 row leaves the store. 1 row it loaded is also held by a later load and stays as that load has it. "
        "Total performance revenue goes from $200.00 to $100.00 (-$100.00). "
        "Total performance commission goes from $20.00 to $10.00 (-$10.00)."
    )
    changes.unload(con, a)
    assert revenue(con) == 100


def test_undoing_a_restatement_counts_only_its_new_rows_as_leaving(con, two_loads, tmp_path):
    """A restated week's file updates rows it shares with earlier loads and adds a few: its undo takes away the
    added ones and puts back the earlier values of the rest, so the rows that leave are the added ones only."""
    restated = write(
        tmp_path,
        "c.csv",
        "2026-01-01,c,alice,B000000001,10,1,110,11\n2026-01-02,c,alice,B000000001,10,1,75,7\n"
        "2026-01-04,c,dana,B000000001,10,1,20,2\n",
    )
    c = changes.load_file(con, restated)
    assert (c.added, c.updated) == (1, 2)
    preview = undo_preview(con, c.load_id)
    # Jan 4 leaves; Jan 1 goes back to A's $100 and Jan 2 to B's $70. $110 + $75 + $30 + $20 = $235 -> $200.
    assert (preview.rows_leaving, preview.rows_restored) == (1, 2)
    assert undo_confirmation(preview) == (
        "1 row leaves the store and 2 rows go back to the values of the loads before it. "
        "Total performance revenue goes from $235.00 to $200.00 (-$35.00). "
        "Total performance commission goes from $23.00 to $20.00 (-$3.00)."  # $11 + $7 + $3 + $2 -> $10 + $7 + $3
    )
    changes.unload(con, c.load_id)
    assert con.execute("select count(*) from performance").fetchone() == (3,) and revenue(con) == 200


def test_the_undo_of_a_sales_load_names_its_total_once() -> None:
    """The sales kind's money column is total_revenue: the sentence read "Total sales total revenue"."""
    preview = UndoPreview(7, "sales", "br.csv", 8, 0, 0, (("total_revenue", 16001.85, 14850.23),))
    assert undo_confirmation(preview) == (
        "8 rows leave the store. Total sales revenue goes from $16,001.85 to $14,850.23 (-$1,151.62)."
    )


def test_undoing_a_load_every_row_of_which_a_later_load_restated_leaves_nothing(con, two_loads, tmp_path):
    """A holds Jan 1 and Jan 2; B restated Jan 2; C restates Jan 1 with the same values as A's. Undoing A then takes
    no row away and puts none back: every row it loaded is held by a later load."""
    a, _ = two_loads
    changes.load_file(con, write(tmp_path, "c.csv", "2026-01-01,c,alice,B000000001,10,1,100,10\n"))
    preview = undo_preview(con, a)
    assert (preview.rows_leaving, preview.rows_restored, preview.rows_kept_by_later_loads) == (0, 0, 2)
    assert undo_confirmation(preview) == (
        "No row leaves the store. 2 rows it loaded are also held by a later load and stay as that load has them. "
        "Total performance revenue stays $200.00. Total performance commission stays $20.00."
    )


def test_an_undone_load_stays_in_the_log_marked_with_who_and_when(con, two_loads, tmp_path):
    a, b = two_loads
    changes.unload(con, b, by="cara@brand.example")
    assert list_loads(con)["id"].tolist() == [a]
    log = load_history(con).set_index("id")
    assert log.loc[a, "loaded_by"] == "ana@brand.example" and pd.isna(log.loc[a, "undone_at"])
    assert log.loc[b, "loaded_by"] == "ben@brand.example"
    assert log.loc[b, "undone_by"] == "cara@brand.example" and not pd.isna(log.loc[b, "undone_at"])
    with pytest.raises(UnknownLoadError, match=r"Load \d+ \(b.csv\) was already undone on .* by cara@brand.example"):
        changes.unload(con, b)
    # The same file loaded again after its undo is a new load, not "already loaded".
    again = changes.load_file(con, tmp_path / "b.csv")
    assert again.load_id is not None and again.load_id != b
    assert revenue(con) == 200


def test_the_command_line_lists_undone_loads_with_all_and_names_its_user(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    path = write(tmp_path, "a.csv", "2026-01-01,c,alice,B000000001,10,1,100,10\n")
    assert main(["--db", db, "load", str(path)]) == 0
    assert main(["--db", db, "unload", "1"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "loads"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[1:] == []
    assert main(["--db", db, "loads", "--all"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith(",loaded_by,undone_at,undone_by")
    assert lines[1].startswith("1,") and lines[1].endswith("(command line)") and "a.csv" in lines[1]


def test_starting_over_is_all_or_nothing(con, two_loads, tmp_path, monkeypatch):
    """A sample file refused half-way through "start over" leaves the brand's loads and numbers as they were."""
    a, b = two_loads
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "products.csv").write_text("asin,product_line\nB000000001,Protein\n")
    (sample / "performance.csv").write_text(HEADER + "2026-02-01,c,dana,B000000001,10,1,forty,4\n")
    monkeypatch.setattr(changes, "SAMPLE_DIR", sample)
    with pytest.raises(FileRejectedError, match="performance.csv, line 2, column 'revenue'"):
        changes.start_over_from_sample(con)
    assert list_loads(con)["id"].tolist() == [a, b]
    assert revenue(con) == 200
    assert con.execute("select count(*) from products").fetchone() == (0,)
    assert load_history(con)["undone_at"].isna().all()


def test_starting_over_undoes_every_load_and_loads_the_sample(con, two_loads, tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "performance.csv").write_text(HEADER + "2026-02-01,c,dana,B000000001,10,1,40,4\n")
    monkeypatch.setattr(changes, "SAMPLE_DIR", sample)
    results = changes.start_over_from_sample(con, by="ana@brand.example")
    assert [r.added for r in results] == [1]
    assert revenue(con) == 40
    log = load_history(con)
    assert log["undone_by"].tolist()[:2] == ["ana@brand.example"] * 2
    assert log["loaded_by"].tolist()[-1] == changes.SAMPLE_AUTHOR


def test_rows_a_load_repeated_unchanged_are_not_said_to_go_back(con, two_loads, tmp_path):
    """A weekly file repeats most of last week's rows as they were: undoing it changes none of those, so they are
    not counted among the rows that go back to earlier values."""
    repeated = write(
        tmp_path,
        "c.csv",
        "2026-01-01,c,alice,B000000001,10,1,100,10\n2026-01-03,c,bob,B000000001,10,1,35,3\n"
        "2026-01-04,c,dana,B000000001,10,1,20,2\n",
    )
    c = changes.load_file(con, repeated)
    assert (c.added, c.updated, c.unchanged) == (1, 1, 1)
    preview = undo_preview(con, c.load_id)
    # Jan 4 leaves; Jan 3 goes back to B's $30; Jan 1 is A's $100 either way. $100 + $70 + $35 + $20 = $225 -> $200.
    assert (preview.rows_leaving, preview.rows_restored, preview.rows_restored_unchanged) == (1, 2, 1)
    assert undo_confirmation(preview) == (
        "1 row leaves the store and 1 row goes back to the values of the loads before it. 1 row it loaded holds the "
        "values a load before it had, and keeps them. Total performance revenue goes from $225.00 to $200.00 "
        "(-$25.00). Total performance commission goes from $22.00 to $20.00 (-$2.00)."  # Jan 4's $2 leaves
    )


def test_the_undo_confirmation_of_a_kind_without_a_total_counts_its_rows(con, tmp_path):
    """A ranks or catalog load's confirmation failed: its query asked a one-row answer of a whole table."""
    ranks = tmp_path / "ranks.csv"
    ranks.write_text("date,asin,keyword,rank\n2026-01-01,B000000001,protein,12\n2026-01-02,B000000001,protein,9\n")
    loaded = changes.load_file(con, ranks)
    preview = undo_preview(con, loaded.load_id)
    assert (preview.rows_leaving, preview.rows_restored, preview.totals) == (2, 0, ())
    assert undo_confirmation(preview) == "2 rows leave the store."


def test_every_load_of_the_sample_has_an_undo_confirmation(sample_con):
    for load_id in list_loads(sample_con)["id"]:
        preview = undo_preview(sample_con, int(load_id))
        assert preview.rows_leaving > 0 and undo_confirmation(preview).startswith(f"{preview.rows_leaving:,} row")
