"""Kept uploads: written whole or not at all, repaired when a crash spoiled one, never left half-copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from analytics.ingest.importer import load_file
from analytics.store import files
from analytics.store.database import raw_files_dir

PERFORMANCE = "date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,Ana,B0HYDRA001,10,2,40.00,4.00\n"


def upload(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "perf.csv"
    path.write_text(PERFORMANCE)
    return path, files.file_sha256(path)


def test_a_copy_killed_mid_write_leaves_nothing_under_the_final_name(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy dies after its first bytes: the load fails, no kept file carries the hash's name, and the next
    upload of the same file keeps it whole."""
    path, sha256 = upload(tmp_path)

    def dies_mid_copy(reader, writer, length):  # type: ignore[no-untyped-def]
        writer.write(reader.read(7))
        raise OSError("killed")

    monkeypatch.setattr(shutil, "copyfileobj", dies_mid_copy)
    with pytest.raises(OSError, match="killed"):
        load_file(con, path)
    assert not (raw_files_dir(con) / f"{sha256}.csv").exists()
    assert con.execute("select count(*) from loads").fetchone() == (0,)
    monkeypatch.undo()

    assert load_file(con, path).added == 1
    assert files.file_sha256(raw_files_dir(con) / f"{sha256}.csv") == sha256


def test_a_spoiled_kept_file_is_repaired_by_the_next_upload(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """An older version copied in place; killed, it left 7 bytes under the final name. Reusing the name checks the
    content, finds it spoiled and writes the whole file again."""
    path, sha256 = upload(tmp_path)
    spoiled = raw_files_dir(con) / f"{sha256}.csv"
    spoiled.write_bytes(PERFORMANCE.encode()[:7])
    assert load_file(con, path).added == 1
    assert spoiled.read_text() == PERFORMANCE


def test_abandoned_temporary_copies_are_removed_and_kept_files_stay(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path, sha256 = upload(tmp_path)
    load_file(con, path)
    folder = raw_files_dir(con)
    (folder / f"{files.TEMPORARY_PREFIX}{'0' * 64}.csv.123").write_bytes(b"half a file")
    assert files.remove_abandoned_copies(con) == 1
    assert [p.name for p in folder.iterdir()] == [f"{sha256}.csv"]
