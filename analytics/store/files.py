"""The uploaded files kept beside the database, from which every table can be rebuilt.

A kept file is named by its SHA-256. An upload is received under a temporary name, copied and hashed (`receive`),
and renamed to its hash only once flushed to disk (`keep`), so a crash mid-copy leaves no file under the final name.
One found there with other content (written by an older version that copied in place) is replaced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import duckdb

from analytics.store.database import StoreError, backup, raw_files_dir

CHUNK = 16 * 1024 * 1024
TEMPORARY_PREFIX = ".incoming-"
# A temporary copy whose process still runs is a load in progress, unless it is older than any load takes.
ABANDONED_AFTER_SECONDS = 24 * 3600


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in _chunks(handle):
            digest.update(chunk)
    return digest.hexdigest()


class Flush:
    """A file's flush to disk, on a thread of its own: the disk writes while the load reads the file, and the load
    waits for it only where the file must be whole on disk, as it is kept."""

    def __init__(self, path: Path) -> None:
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._flush, args=(path,), name="creatorlift-flush", daemon=True)
        self._thread.start()

    def _flush(self, path: Path) -> None:
        try:
            handle = os.open(path, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        except OSError as error:
            self._error = error

    def wait(self) -> None:
        """Return once the file is on disk; raise what kept it from getting there."""
        self._thread.join()
        if self._error is not None:
            raise self._error


@dataclass(frozen=True)
class Received:
    """An upload copied whole beside the database under a temporary name, its SHA-256, and its flush to disk."""

    path: Path
    sha256: str
    flush: Flush = field(compare=False, repr=False)


def receive(con: duckdb.DuckDBPyConnection, source: Path, watch: Callable[[bytes], None] | None = None) -> Received:
    """Copy `source` beside the database under a temporary name, with the SHA-256 of the copy, and start flushing it
    to disk (`keep` waits for that); `watch` sees every chunk of it too (the importer checks the encoding). Outside
    the write lock: `keep` then names the copy by its hash. The caller drops the copy (`discard`) if it is never
    kept.

    The copy is made by the kernel (`shutil.copyfile`), which costs a tenth of copying through Python, and then read
    once from the page cache for its hash: the hash is of the bytes kept, whatever happens to `source` meanwhile.
    """
    temporary = raw_files_dir(con) / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}.{os.getpid()}"
    digest = hashlib.sha256()
    try:
        shutil.copyfile(source, temporary)
        with open(temporary, "rb") as copy:
            for chunk in _chunks(copy):
                digest.update(chunk)
                if watch is not None:
                    watch(chunk)
        flush = Flush(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Received(temporary, digest.hexdigest(), flush)


def keep(con: duckdb.DuckDBPyConnection, received: Received, suffix: str) -> Path:
    """The kept file of a received upload: the copy renamed to its hash, or the intact copy already there. Under the
    write lock, so two loads of one file never race for the name. Waits for the copy to be on disk first, so the name
    never stands for half a file."""
    received.flush.wait()
    target = raw_files_dir(con) / kept_name(received, suffix)
    if target.exists() and file_sha256(target) == received.sha256:
        discard(received)
        return target
    os.replace(received.path, target)
    return target


def kept_name(received: Received, suffix: str) -> str:
    """The name a received upload is kept under: its hash, and the suffix that says how to read it."""
    return f"{received.sha256}{suffix}"


def discard(received: Received) -> None:
    """Drop a received copy that was never kept (the file was refused, or is already loaded)."""
    received.path.unlink(missing_ok=True)


def _write_flushed(source: Path, temporary: Path) -> None:
    """Copy `source` to `temporary` and flush it to disk, so the rename that follows never names a half file."""
    shutil.copyfile(source, temporary)
    with open(temporary, "rb") as copy:
        os.fsync(copy.fileno())


def remove_abandoned_copies(con: duckdb.DuckDBPyConnection, at_open: bool = False) -> int:
    """Delete the temporary copies a load killed mid-copy left behind; how many went.

    A copy is abandoned when the process that wrote it (the number ending its name) no longer runs, or when it is
    older than any load takes: a load in progress, here or in another process, keeps its copy. `at_open`: this
    process is opening the store, so no load of its own has begun, and a copy bearing its number was left by an
    earlier process that had it (a container restarts its app under the same number). Complete kept files stay,
    referenced or not: an undone load's file is still part of the history a store can be rebuilt from.
    """
    own = str(os.getpid()) if at_open else None
    abandoned = [
        path
        for path in raw_files_dir(con).glob(TEMPORARY_PREFIX + "*")
        if path.name.rsplit(".", 1)[-1] == own or _abandoned(path)
    ]
    for path in abandoned:
        path.unlink(missing_ok=True)
    return len(abandoned)


def _abandoned(path: Path) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False  # kept or dropped by its load meanwhile
    writer = path.name.rsplit(".", 1)[-1]
    return age > ABANDONED_AFTER_SECONDS or not (writer.isdigit() and process_running(int(writer)))


def process_running(pid: int) -> bool:
    """Whether a process numbered `pid` runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


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


def missing_kept_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The files of the loads in effect whose kept copy is not beside the database (moved without its folder, or
    deleted by hand), by the name they were uploaded under: a full backup cannot rebuild their rows."""
    kept = {path.name for path in kept_files(con)}
    rows = con.execute("select file_name, raw_file from loads where undone_at is null order by load_id").fetchall()
    return [str(name) for name, raw in rows if raw not in kept]


def kept_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The size of the kept uploads together: what a full backup adds to the database."""
    return sum(path.stat().st_size for path in kept_files(con))
