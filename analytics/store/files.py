"""The uploaded files kept beside the database, from which every table can be rebuilt.

A kept file is named by its SHA-256. It is written under a temporary name, flushed to disk, checked against its
hash and only then renamed, so a crash mid-copy leaves no file under the final name; one found there with other
content (written by an older version that copied in place) is replaced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb

from analytics.store.database import WRITE_LOCK, StoreError, backup, raw_files_dir

CHUNK = 16 * 1024 * 1024
TEMPORARY_PREFIX = ".incoming-"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def keep_file(con: duckdb.DuckDBPyConnection, source: Path, sha256: str, suffix: str) -> Path:
    """The kept copy of `source` (whose hash is `sha256`), written atomically, or the intact copy already there."""
    folder = raw_files_dir(con)
    target = folder / f"{sha256}{suffix}"
    if target.exists() and file_sha256(target) == sha256:
        return target
    temporary = folder / f"{TEMPORARY_PREFIX}{sha256}{suffix}.{os.getpid()}"
    try:
        _write_flushed(source, temporary)
        if file_sha256(temporary) != sha256:
            raise OSError(f"the copy of {source.name} changed while it was being kept")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _write_flushed(source: Path, temporary: Path) -> None:
    """Copy `source` to `temporary` and flush it to disk, so the rename that follows never names a half file."""
    with open(source, "rb") as reader, open(temporary, "wb") as writer:
        shutil.copyfileobj(reader, writer, CHUNK)
        writer.flush()
        os.fsync(writer.fileno())


def remove_abandoned_copies(con: duckdb.DuckDBPyConnection) -> int:
    """Delete the temporary copies a load killed mid-copy left behind; how many went.

    Complete kept files stay, referenced or not: an undone load's file is still part of the history a store can be
    rebuilt from. Runs under the write lock, so no load in progress loses its copy.
    """
    with WRITE_LOCK:
        abandoned = list(raw_files_dir(con).glob(TEMPORARY_PREFIX + "*"))
        for path in abandoned:
            path.unlink(missing_ok=True)
    return len(abandoned)


def kept_files(con: duckdb.DuckDBPyConnection) -> list[Path]:
    """The complete kept files (no temporary copies), by name."""
    return sorted(p for p in raw_files_dir(con).iterdir() if p.is_file() and not p.name.startswith(TEMPORARY_PREFIX))


def backup_with_files(con: duckdb.DuckDBPyConnection, target: Path | str) -> Path:
    """A full backup: the database copy at `target` (`database.backup`) and every kept upload in `<stem>_files/`
    beside it, where a store opened from `target` looks for its kept files. Each copy is checked against the hash in
    its name, so a damaged kept file is reported rather than copied as if whole."""
    target = backup(con, target)
    folder = target.with_name(target.stem + "_files")
    folder.mkdir(exist_ok=True)
    for path in kept_files(con):
        sha256 = path.name.split(".", 1)[0]
        if file_sha256(path) != sha256:
            raise StoreError(f"The kept file {path.name} no longer matches its hash; the backup stopped before it.")
        keep_copy(path, folder / path.name)
    return target


def keep_copy(source: Path, target: Path) -> None:
    """Copy `source` to `target` under a temporary name, flushed, then renamed: never a half file under `target`."""
    temporary = target.with_name(f"{TEMPORARY_PREFIX}{target.name}.{os.getpid()}")
    try:
        _write_flushed(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def backup_archive(con: duckdb.DuckDBPyConnection, target: Path | str) -> Path:
    """A full backup (`backup_with_files`) as one zip file at `target`: `creatorlift.duckdb` and
    `creatorlift_files/`, ready to unpack and open with CREATORLIFT_DB (or --db) pointed at the database."""
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="creatorlift-backup-") as folder:
        database = backup_with_files(con, Path(folder) / "creatorlift.duckdb")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.write(database, database.name)
            for path in sorted(database.with_name(database.stem + "_files").iterdir()):
                archive.write(path, f"{database.stem}_files/{path.name}")
    return target


def kept_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The size of the kept uploads together: what a full backup adds to the database."""
    return sum(path.stat().st_size for path in kept_files(con))
