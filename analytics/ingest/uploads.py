"""Files arriving through the browser: copied to disk in chunks under names the app chooses, CSV templates,
column suggestions for the mapping screen."""

from __future__ import annotations

import filecmp
import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from analytics.contract.kinds import KIND_NOUNS, KINDS, PERIOD_COLUMNS, column_for_header
from analytics.contract.overlaps import PERIOD_SUM_KINDS
from analytics.ingest.importer import KEPT_SUFFIXES, FileInspection
from analytics.ingest.report_periods import is_period_kind
from analytics.store.files import process_running

CHUNK = 8 * 1024 * 1024
# The only suffixes an upload keeps on disk (the importer reads .xlsx differently); anything else is .dat.
SUFFIXES = KEPT_SUFFIXES
# What the uploader takes: the kept suffixes, and files the importer refuses with what to do instead (unzip it, save
# the old workbook as CSV), which the browser's own filter refused saying only "application/zip files are not
# allowed".
UPLOAD_TYPES = (*(s.lstrip(".") for s in SUFFIXES), "zip", "gz", "xls")
KIND_LABELS = {
    "performance": "Performance",
    "orders": "Order lines",
    "ranks": "Keyword ranks",
    "products": "Catalog",
    "events": "Events",
    "sales": "Sales",
    "search": "Search queries",
    "repeat_purchase": "Repeat purchase",
    "cohorts": "Buyer cohorts",
    "campaigns": "Campaign ledger",
}
assert set(KIND_NOUNS) == set(KIND_LABELS), "every kind is named both ways"

# Where each kind of file comes from, for the upload screen's guidance.
KIND_SOURCES = {
    "performance": "Seller Central → Creator Connections → campaign performance report",
    "orders": "an Amazon Marketing Cloud query or your agency's warehouse: one row per order line",
    "ranks": "a keyword-rank tracker export, e.g. Helium 10 Keyword Tracker",
    "products": "your catalog: ASIN, product line, and optionally price, commission rates and activation date",
    "events": "your own list of named date ranges that move sales on their own (Prime Day, deal days): name, start, "
    "end",
    "sales": "Seller Central → Reports → Business Reports → Detail Page Sales and Traffic By Child Item (the file "
    "has no dates: give the period you chose there), or Vendor Central → Reports → Retail Analytics → Sales",
    "search": "Seller Central → Brands → Brand Analytics → Search Query Performance, Brand View or ASIN View, "
    "weekly or monthly, downloaded as CSV",
    "repeat_purchase": "Seller Central → Brands → Brand Analytics → Repeat Purchase Behavior, downloaded as CSV, "
    "or the Selling Partner API report GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT (JSON)",
    "cohorts": "an Amazon Marketing Cloud query or your agency's warehouse: buyer counts per period and creator "
    "(a blank creator for all of the brand's buyers), no customer ids",
    "campaigns": "your own campaign ledger: each campaign's dates, commission budget and bonus rate, one row per "
    "campaign",
}


def kind_labels(kinds: pd.Series) -> pd.Series:
    """Kinds as the Data page names them ("Repeat purchase"), a kind it does not know as it is."""
    return kinds.map(lambda kind: KIND_LABELS.get(kind, kind))


# One example row per kind, under the template's header: what each column holds, in a form the importer reads.
KIND_EXAMPLES: dict[str, dict[str, str]] = {
    "sales": {
        "period_start": "2026-06-28",
        "period_end": "2026-07-04",
        "asin": "B0C1234567",
        "total_revenue": "3051.48",
        "total_units": "212",
        "sessions": "1841",
        "buy_box_pct": "98.6%",
    },
    "search": {
        "period_start": "2026-06-28",
        "period_end": "2026-07-04",
        "search_query": "acme protein powder",
        "search_query_volume": "1840",
        "impressions_total": "21512",
        "impressions_brand": "14210",
        "clicks_total": "2604",
        "clicks_brand": "2021",
        "purchases_total": "388",
        "purchases_brand": "352",
        "asin": "",
    },
    "repeat_purchase": {
        "period_start": "2026-06-28",
        "period_end": "2026-07-04",
        "asin": "B0C1234567",
        "orders": "214",
        "unique_customers": "203",
        "repeat_customers_pct": "10.84%",
        "repeat_purchase_revenue": "1079.73",
    },
    "cohorts": {
        "period_start": "2026-06-01",
        "period_end": "2026-06-30",
        "creator": "@fitwithmaya",
        "campaign": "Summer protein",
        "asin": "",
        "buyers": "412",
        "ntb_buyers": "268",
        "repeat_buyers": "61",
        "sns_buyers": "47",
    },
    "campaigns": {
        "campaign": "Summer protein",
        "program": "creator_connections",
        "type": "launch",
        "start": "2026-06-01",
        "end": "2026-06-30",
        "budget": "2500.00",
        "bonus_rate": "10%",
    },
}


@dataclass(frozen=True)
class SavedUpload:
    """An uploaded file on disk. `name` is what the user called it: for messages only, never a path."""

    path: Path
    name: str
    size: int


def upload_dir() -> Path:
    """Where uploads wait to be loaded (or mapped), outside the store's folder of kept raw files."""
    folder = Path(tempfile.gettempdir()) / "creatorlift-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in SUFFIXES else ".dat"


def save_upload(source: BinaryIO, name: str, folder: Path | None = None) -> SavedUpload:
    """Copy an uploaded file to a new file named by the app, in chunks. Not hashed here: a load hashes the copy it
    keeps (`store.files.receive`)."""
    target_dir = folder or upload_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix="upload-", suffix=safe_suffix(name), dir=target_dir)
    size = 0
    if hasattr(source, "seek"):
        source.seek(0)
    with os.fdopen(handle, "wb") as sink:
        while chunk := source.read(CHUNK):
            sink.write(chunk)
            size += len(chunk)
    return SavedUpload(Path(temp_name), name, size)


# An upload nobody came back to in a day is dropped: the session that saved it has ended long since. One waiting on
# a question (a column mapping, a period, an overlap, whether it is the brand's), noted beside it for whoever comes
# back, is kept two weeks: a Business Report left at its period on a Monday still waits the next Monday.
STALE_UPLOAD_SECONDS = 24 * 3600
HELD_UPLOAD_SECONDS = 14 * 24 * 3600


def remove_stale_uploads(folder: Path | None = None) -> int:
    """Delete the uploads waiting in the upload folder for longer than STALE_UPLOAD_SECONDS, or HELD_UPLOAD_SECONDS
    for those waiting on a question (with their notes); how many files went."""
    now = time.time()
    stale = []
    for path in (folder or upload_dir()).glob("upload-*"):  # the uploads and their notes alike
        upload = path.with_name(path.name.removesuffix(HELD_SUFFIX))
        held = path.name.endswith(HELD_SUFFIX) or _held_note(upload).exists()
        try:
            if path.stat().st_mtime < now - (HELD_UPLOAD_SECONDS if held else STALE_UPLOAD_SECONDS):
                path.unlink()
                stale.append(path)
        except FileNotFoundError:
            continue  # loaded or dropped meanwhile
    return len(stale)


def discard_upload(path: Path | str) -> None:
    """Delete an upload the app saved, and its notes (the question it waits on, its load under way), and nothing
    else: only files inside the upload folder."""
    target = Path(path)
    if target.parent.resolve() == upload_dir().resolve():
        target.unlink(missing_ok=True)
        _held_note(target).unlink(missing_ok=True)
        _loading_note(target).unlink(missing_ok=True)


# An upload being loaded is noted beside it with the process loading it: a server stopped mid-load (a restart, a
# crash) leaves the note, and the person who uploaded it is told the file was not loaded rather than left to guess.
LOADING_SUFFIX = ".loading.json"
# Told apart from an earlier process that had this one's number (a container restarting its app under the same pid).
_PROCESS = f"{os.getpid()}-{time.time_ns()}"


@dataclass(frozen=True)
class InterruptedUpload:
    """An upload whose load a stopped server cut off: its file name, where it was going (a brand's store), whose it
    was, and when its load began."""

    path: Path
    name: str
    workspace: str
    by: str
    started: str


def _loading_note(upload: Path) -> Path:
    return upload.with_name(upload.name + LOADING_SUFFIX)


def note_loading(upload: Path, name: str, workspace: str, by: str) -> None:
    """Note beside an upload (in the upload folder) that this process is loading it now."""
    if upload.parent.resolve() != upload_dir().resolve() or not upload.exists():
        return
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    note = {"name": name, "workspace": workspace, "by": by, "process": _PROCESS, "started": started}
    _loading_note(upload).write_text(json.dumps(note), encoding="utf-8")


def forget_loading(path: Path | str) -> None:
    """The load of an upload ended, whatever became of it: its note goes."""
    _loading_note(Path(path)).unlink(missing_ok=True)


def interrupted_uploads(workspace: str, by: str, folder: Path | None = None) -> list[InterruptedUpload]:
    """The uploads to the store `workspace` by `by` whose load a process no longer running began and never ended."""
    found = []
    for note in sorted((folder or upload_dir()).glob(f"upload-*{LOADING_SUFFIX}")):
        try:
            saved = json.loads(note.read_text(encoding="utf-8"))
            process, name, where, whose, started = (
                str(saved[k]) for k in ("process", "name", "workspace", "by", "started")
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        pid = process.split("-", 1)[0]
        ours = process == _PROCESS
        alive = pid.isdigit() and int(pid) != os.getpid() and process_running(int(pid))
        if where == workspace and whose == by and not ours and not alive:
            found.append(
                InterruptedUpload(note.with_name(note.name.removesuffix(LOADING_SUFFIX)), name, where, whose, started)
            )
    return found


# An upload held for the person's answer (its columns, its period, an overlap) is noted beside it, so that the
# question outlives the browser tab: a reload, or a tab closed to look up a date, finds it again.
HELD_SUFFIX = ".held.json"


@dataclass(frozen=True)
class HeldUpload:
    """An upload waiting on a question: the page's `key` for that question, the upload's `token`, what the page holds
    for it (`record`: plain values and dates), and whose it is (the brand's store, which the upload folder of the
    machine may share with other installations, and the person)."""

    key: str
    token: str
    record: dict[str, object]
    workspace: str
    by: str


def _held_note(upload: Path) -> Path:
    return upload.with_name(upload.name + HELD_SUFFIX)


def _plain(value: object) -> object:
    """A held record's value as JSON writes it: a day as {"day": "2026-07-04"}, tuples as lists."""
    if isinstance(value, date):
        return {"day": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _read_back(value: object) -> object:
    """`_plain` undone: days are dates again, a pair of days (a period) a tuple."""
    if isinstance(value, dict):
        if set(value) == {"day"}:
            return date.fromisoformat(value["day"])
        return {k: _read_back(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_read_back(item) for item in value]
        return tuple(items) if items and all(isinstance(item, date) for item in items) else items
    return value


def note_held(held: HeldUpload) -> None:
    """Note beside its upload (`record["path"]`) the question an upload waits on."""
    upload = Path(str(held.record["path"]))
    if upload.parent.resolve() != upload_dir().resolve() or not upload.exists():
        return
    note = {"key": held.key, "token": held.token, "record": _plain(held.record), "workspace": held.workspace}
    _held_note(upload).write_text(json.dumps(note | {"by": held.by}), encoding="utf-8")


def forget_held(path: Path | str) -> None:
    """The question an upload waited on is answered: its note goes, the upload stays for the load."""
    _held_note(Path(path)).unlink(missing_ok=True)


def held_uploads(workspace: str, by: str, folder: Path | None = None) -> list[HeldUpload]:
    """The uploads to the store `workspace` that `by` left waiting on a question, oldest first, whose file is still
    there."""
    found = []
    notes = sorted((folder or upload_dir()).glob(f"upload-*{HELD_SUFFIX}"), key=lambda note: note.stat().st_mtime)
    for note in notes:
        try:
            saved = json.loads(note.read_text(encoding="utf-8"))
            record = _read_back(saved["record"])
            if not isinstance(record, dict):
                continue
            held = HeldUpload(saved["key"], saved["token"], record, saved["workspace"], saved["by"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # half written, or from another version: the upload is asked for again
        if held.workspace == workspace and held.by == by and Path(str(held.record.get("path"))).exists():
            found.append(held)
    return found


def held_twin(upload: Path, key: str, workspace: str, by: str) -> HeldUpload | None:
    """The upload of the same bytes that `by` left waiting on the same question (`key`) in `workspace`, other than
    `upload` itself: a file uploaded again while its question waits is asked about once."""
    for held in held_uploads(workspace, by):
        other = Path(str(held.record.get("path")))
        if held.key == key and other.resolve() != upload.resolve() and filecmp.cmp(other, upload, shallow=False):
            return held
    return None


def csv_template(kind: str) -> str:
    """A CSV for one kind: the canonical header line, required columns first, and an example row where the kind
    has one (`KIND_EXAMPLES`)."""
    columns = KINDS[kind].columns
    ordered = [c.name for c in columns if c.required] + [c.name for c in columns if not c.required]
    example = KIND_EXAMPLES.get(kind)
    row = "\n" + ",".join(example.get(name, "") for name in ordered) if example else ""
    return ",".join(ordered) + row + "\n"


def template_file_name(kind: str) -> str:
    return f"creatorlift_{kind}_template.csv"


def needs_mapping(inspection: FileInspection) -> bool:
    """Whether a rejected file failed on its columns (so mapping them can help), not on its values."""
    return bool(inspection.header) and inspection.problem is not None


def suggested_mapping(kind: str, header: list[str]) -> dict[str, str]:
    """Canonical column -> the file's header that the contract's aliases recognise, for preselection."""
    suggestions: dict[str, str] = {}
    for text in header:
        canonical = column_for_header(KINDS[kind], text)
        if canonical and canonical not in suggestions:
            suggestions[canonical] = text
    return suggestions


def _given_by_the_period(kind: str) -> set[str]:
    """The required columns of `kind` a file may leave to the period it covers, which the lines above its header
    state or the load asks for: a Business Report has no date columns, a report of a period may stand in for days."""
    period_columns = set(PERIOD_COLUMNS) if is_period_kind(KINDS[kind]) else set()
    return period_columns | ({"date"} if kind in PERIOD_SUM_KINDS else set())


def missing_required(kind: str, mapping: Mapping[str, str | None]) -> list[str]:
    """The required columns of `kind` that a mapping leaves unmatched (and "one of …" for a catalog that maps no
    column besides the ASIN), those the period gives aside (`_given_by_the_period`): the load asks for it."""
    matched = {name for name, header in mapping.items() if header}
    return KINDS[kind].missing(matched | _given_by_the_period(kind))


def column_label(kind: str, column: str) -> str:
    """A column of `kind` as the column matching names it, in words ("Total revenue", "New-to-brand orders"):
    required ones marked, those the period may give said so."""
    wanted = next(c for c in KINDS[kind].columns if c.name == column)
    words = wanted.words[:1].upper() + wanted.words[1:]
    if column == "date" and column in _given_by_the_period(kind):
        return f"{words} (required, unless the file sums up a period)"
    if column in _given_by_the_period(kind):
        return f"{words} (required, unless the file states its period: else it is asked)"
    return f"{words}{' (required)' if wanted.required else ''}"


def load_choices(loads: pd.DataFrame) -> dict[int, str]:
    """Load id -> "#12 · file.csv (performance, 1,204 added)" for the undo picker, newest first."""
    choices = {}
    for row in loads.sort_values("id", ascending=False).itertuples(index=False):
        choices[int(row.id)] = (
            f"#{row.id} · {row.file} ({KIND_LABELS.get(row.kind, row.kind)}, {row.rows_added:,} added, "
            f"{row.rows_updated:,} updated)"
        )
    return choices
