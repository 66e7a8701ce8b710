"""Kept uploads: written whole or not at all, repaired when a crash spoiled one, never left half-copied."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from analytics.ingest.importer import load_file
from analytics.store import files
from analytics.store.database import StoreError, open_store, raw_files_dir

PERFORMANCE = "date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,Ana,B0HYDRA001,10,2,40.00,4.00\n"


def upload(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "perf.csv"
    path.write_text(PERFORMANCE)
    return path, files.file_sha256(path)


def test_a_copy_killed_mid_read_leaves_nothing_under_the_final_name(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pass that hashes the copy dies after its first bytes: the load fails, no kept file carries the hash's
    name, no temporary copy is left, and the next upload of the same file keeps it whole."""
    path, sha256 = upload(tmp_path)

    def dies_mid_copy(handle):
        yield handle.read(7)
        raise OSError("killed")

    monkeypatch.setattr(files, "_chunks", dies_mid_copy)
    with pytest.raises(OSError, match="killed"):
        load_file(con, path)
    assert list(raw_files_dir(con).iterdir()) == []
    assert con.execute("select count(*) from loads").fetchone() == (0,)
    monkeypatch.undo()

    assert load_file(con, path).added == 1
    assert files.file_sha256(raw_files_dir(con) / f"{sha256}.csv") == sha256


def test_a_copy_the_disk_cannot_hold_is_never_kept_and_the_load_changes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy is flushed to disk while the load reads it; a flush that fails (a full disk) refuses the load before
    it commits, and leaves no copy behind."""
    path, sha256 = upload(tmp_path)

    def disk_full(handle: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        load_file(con, path)
    assert con.execute("select count(*) from loads").fetchone() == (0,)
    assert con.execute("select count(*) from performance").fetchone() == (0,)
    assert list(raw_files_dir(con).iterdir()) == []


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
    gone = next(pid for pid in range(4_000_000, 4_100_000) if not files.process_running(pid))
    (folder / f"{files.TEMPORARY_PREFIX}dead.{gone}").write_bytes(b"half a file of a process that is gone")
    in_progress = folder / f"{files.TEMPORARY_PREFIX}live.{os.getpid()}"
    in_progress.write_bytes(b"a load still copying")
    stale = folder / f"{files.TEMPORARY_PREFIX}stale.{os.getpid()}"
    stale.write_bytes(b"older than any load takes")
    day_and_a_bit = time.time() - files.ABANDONED_AFTER_SECONDS - 60
    os.utime(stale, (day_and_a_bit, day_and_a_bit))
    assert files.remove_abandoned_copies(con) == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{sha256}.csv", in_progress.name])
    # Opening the store, this process has begun no load: a copy under its number was left by an earlier process
    # that had the same number (a container restarting its app).
    assert files.remove_abandoned_copies(con, at_open=True) == 1
    assert [p.name for p in folder.iterdir()] == [f"{sha256}.csv"]


def test_a_full_backup_holds_the_database_and_every_kept_file_and_opens_whole(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The zip unpacks to creatorlift.duckdb beside creatorlift_files/, where that store looks for its kept files:
    the one load, its $40.00, and its upload under its hash."""
    path, sha256 = upload(tmp_path)
    load_file(con, path)
    archive = files.backup_archive(con, tmp_path / "backup.zip")
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == ["creatorlift.duckdb", f"creatorlift_files/{sha256}.csv"]
        opened.extractall(tmp_path / "restored")
    restored = open_store(tmp_path / "restored" / "creatorlift.duckdb")
    try:
        assert restored.execute("select count(*), sum(revenue) from performance").fetchone() == (1, 40)
        assert [p.name for p in files.kept_files(restored)] == [f"{sha256}.csv"]
        assert files.file_sha256(raw_files_dir(restored) / f"{sha256}.csv") == sha256
    finally:
        restored.close()


def test_a_full_backup_stops_at_a_kept_file_that_no_longer_matches_its_hash(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path, sha256 = upload(tmp_path)
    load_file(con, path)
    (raw_files_dir(con) / f"{sha256}.csv").write_text("damaged")
    with pytest.raises(StoreError, match=f"The kept file {sha256}.csv no longer matches its hash"):
        files.backup_with_files(con, tmp_path / "full.duckdb")


def test_uploads_nobody_came_back_to_are_dropped_after_a_day(tmp_path: Path) -> None:
    """An upload saved a day and a bit ago goes; one saved an hour ago stays, as does anything that is not an
    upload."""
    from analytics.ingest import uploads

    old, recent, other = (tmp_path / name for name in ("upload-old.csv", "upload-recent.csv", "notes.txt"))
    for path in (old, recent, other):
        path.write_text("date,creator\n")
    day_and_a_bit = time.time() - uploads.STALE_UPLOAD_SECONDS - 60
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    os.utime(other, (day_and_a_bit, day_and_a_bit))
    hour_ago = time.time() - 3600
    os.utime(recent, (hour_ago, hour_ago))
    assert uploads.remove_stale_uploads(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "upload-recent.csv"]


def test_an_upload_waiting_on_a_question_is_kept_two_weeks(tmp_path: Path) -> None:
    """A Business Report left at its period question on a Monday, with the note of the question beside it, was
    dropped the next day by anyone's upload. Held 13 days ago, it and its note stay; held 15 days ago, both go."""
    from analytics.ingest import uploads

    recent, old = tmp_path / "upload-recent.csv", tmp_path / "upload-old.csv"
    for upload, days in ((recent, 13), (old, 15)):
        note = upload.with_name(upload.name + uploads.HELD_SUFFIX)
        for path in (upload, note):
            path.write_text("{}")
            then = time.time() - days * 24 * 3600
            os.utime(path, (then, then))
    assert uploads.remove_stale_uploads(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upload-recent.csv", "upload-recent.csv.held.json"]


def test_a_command_that_writes_removes_the_half_copy_a_killed_load_left(tmp_path: Path) -> None:
    """A `load` killed while copying its file left 55 MB beside the store; only the app cleared such copies, when it
    opened the store. A command that writes clears them too; one that only reads leaves the store's folder alone."""
    from analytics.__main__ import main

    db = tmp_path / "store.duckdb"
    path, sha256 = upload(tmp_path)
    assert main(["--db", str(db), "load", str(path)]) == 0
    con = open_store(db)
    folder = raw_files_dir(con)
    con.close()
    gone = next(pid for pid in range(4_000_000, 4_100_000) if not files.process_running(pid))
    half = folder / f"{files.TEMPORARY_PREFIX}killed.{gone}"
    half.write_bytes(b"half a file of a load that was killed")
    assert main(["--db", str(db), "metrics", "--by", "creator"]) == 0
    assert half.exists()
    assert main(["--db", str(db), "load", str(path)]) == 0
    assert [p.name for p in folder.iterdir()] == [f"{sha256}.csv"]
