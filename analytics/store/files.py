"""The uploaded files kept beside the database, from which every table can be rebuilt.

A kept file is named by its SHA-256. It is written under a temporary name, flushed to disk, checked against its
hash and only then renamed, so a crash mid-copy leaves no file under the final name; one found there with other
content (written by an older version that copied in place) is replaced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb

from analytics.store.database import WRITE_LOCK, raw_files_dir

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
        with open(source, "rb") as reader, open(temporary, "wb") as writer:
            shutil.copyfileobj(reader, writer, CHUNK)
            writer.flush()
            os.fsync(writer.fileno())
        if file_sha256(temporary) != sha256:
            raise OSError(f"the copy of {source.name} changed while it was being kept")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


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
