"""Excel workbooks: refused before they are opened when their parts would inflate past what a catalog or report
needs (a small .xlsx can hold a shared-strings part that inflates to gigabytes), then read one row at a time."""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from analytics.ingest.layout import MAX_COLUMNS, MAX_TITLE_LINES, ZIP_SIGNATURE, FileRejectedError, names_a_kind
from analytics.ingest.progress import LoadProgress
from analytics.words import in_words

# The largest workbook part, and all parts together, once inflated. A year of daily Creator Connections rows for
# thousands of creators is a few hundred MB of sheet XML; a shared-strings part of text cells far less.
MAX_PART_BYTES = 512 * 2**20
MAX_WORKBOOK_BYTES = 1024 * 2**20
# No real export compresses better than this; zip bombs compress thousands of times.
MAX_COMPRESSION_RATIO = 200
# Excel's own limit: 32,767 characters in a cell.
MAX_CELL_CHARACTERS = 32_767
SAVE_AS_CSV = "Open it in Excel and use File > Save As > CSV, or upload the report's CSV download."
# The worker process that reads a workbook: its memory and time ceilings. A workbook that passes the checks above
# can still hold a sheet that takes gigabytes to read; the worker stops there instead of the app.
WORKER_MEMORY_MB = int(os.environ.get("CREATORLIFT_WORKER_MEMORY_MB") or 2048)
WORKER_SECONDS = int(os.environ.get("CREATORLIFT_WORKER_SECONDS") or 600)
WORKER_POLL_SECONDS = 0.1  # how often the wait looks for a cancel or the deadline
_REFUSED = 3  # the worker's exit code for a refusal, whose sentence is on its stderr
_ROOT = Path(__file__).resolve().parents[2]
LOG = logging.getLogger(__name__)
SHEET_NOTE = "sheet.txt"  # beside the converted sheet: which sheet it was, when not the first
SHEET_LINES = "sheet_lines.json"  # beside it too: where each sheet read starts among its lines
MAX_SHEETS_NAMED = 4  # past this many sheets read, the note names the first and the last
# A workbook's sheets searched for its rows, and the cells of each top row looked at: enough for any report, and a
# bound on the search in a workbook made to be slow to search.
MAX_SHEETS_SEARCHED = 20
MAX_CELLS_SEARCHED = 100


def is_workbook(path: Path, name: str) -> bool:
    """Whether the file is an Excel workbook (.xlsx): by its name, or by its content when renamed (a workbook saved
    as "report.csv" by hand is still a zip holding xl/workbook.xml)."""
    if path.suffix.lower() == ".xlsx" or name.lower().endswith(".xlsx"):
        return True
    try:
        with open(path, "rb") as handle:
            if handle.read(len(ZIP_SIGNATURE)) != ZIP_SIGNATURE:
                return False
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def check_workbook(path: Path, name: str) -> None:
    """Refuse, before anything is inflated, a workbook whose parts are implausibly large or compressed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileRejectedError(f"{name}: this Excel workbook is damaged and cannot be opened. {SAVE_AS_CSV}") from None
    total = sum(m.file_size for m in members)
    largest = max(members, key=lambda m: m.file_size, default=None)
    if largest is None:
        raise FileRejectedError(f"{name}: this Excel workbook is empty. {SAVE_AS_CSV}")
    ratio = largest.file_size / max(largest.compress_size, 1)
    if (
        total > MAX_WORKBOOK_BYTES
        or largest.file_size > MAX_PART_BYTES
        or (ratio > MAX_COMPRESSION_RATIO and largest.file_size > 10 * 2**20)
    ):
        raise FileRejectedError(
            f"{name}: this workbook would take {total / 2**20:,.0f} MB once opened (its largest part "
            f"{largest.file_size / 2**20:,.0f} MB from {largest.compress_size / 2**20:,.1f} MB), far more than a "
            f"report holds, so it was not opened. {SAVE_AS_CSV}"
        )


def workbook_to_csv(path: Path, name: str, work_dir: Path) -> Path:
    """The sheet of a checked .xlsx workbook that holds the rows (`_sheet_with_rows`) as a CSV file, so it goes
    through the same rules as any CSV, followed by the rows of every later sheet under the same header, cell for
    cell (a week a sheet). `sheet_note` says which sheets were read when not the first alone, and names a sheet of
    rows under other columns, which is not read: no sheet's rows are left out without a word. `in_sheet_rows` turns
    a refusal's lines of the CSV into the sheets' own rows."""
    check_workbook(path, name)
    import openpyxl

    target = work_dir / "sheet.csv"
    # Given as an open file: given a path, openpyxl refuses a workbook whose name does not end .xlsx.
    source = open(path, "rb")  # noqa: SIM115 - read lazily by the book, closed with it below
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:
        source.close()  # a damaged or unusual workbook: the CSV route always works
        raise FileRejectedError(f"{name}: this Excel workbook could not be read. {SAVE_AS_CSV}") from None
    try:
        sheet = _sheet_with_rows(book)
        header = _header_of(sheet)
        # Per sheet read: the CSV's line of its first row, its title, and that row's number in the sheet.
        starts: list[tuple[int, str, int]] = [(1, sheet.title, 1)]
        others = []
        with open(target, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            line = _write_rows(writer, sheet.iter_rows(values_only=True), name, 0)
            if line == 0 and header is None:
                raise FileRejectedError(f"{name}: this Excel workbook holds no rows; check that it is the report.")
            for other in book.worksheets:
                if other is sheet or header is None:
                    continue
                if (found := _header_of(other)) is None:
                    # No header of three columns, but a header and rows of two (ASINs and notes, say): a table all
                    # the same, named as not read. A sheet of sentences, or a first sheet the note already says
                    # holds no table (a summary), is nobody's rows.
                    paired = (row for row in other.iter_rows(values_only=True) if sum(v is not None for v in row) >= 2)
                    if other is not book.worksheets[0] and next(islice(paired, 1, None), None) is not None:
                        others.append(other.title)
                    continue
                rows = islice(other.iter_rows(values_only=True), found[0] + 1, None)
                if found[1] == header[1]:
                    if (written := _write_rows(writer, rows, name, line)) > line:
                        starts.append((line + 1, other.title, found[0] + 2))
                        line = written
                elif any(any(value is not None for value in row) for row in rows):
                    others.append(other.title)
        notes = []
        read = [title for _, title, _ in starts]
        if len(read) > MAX_SHEETS_NAMED:
            notes.append(f"read {len(read)} sheets, '{read[0]}' to '{read[-1]}', which share one header")
        elif len(read) > 1:
            notes.append(f"read the sheets {in_words([repr(title) for title in read])}, which share one header")
        elif sheet is not book.worksheets[0]:
            notes.append(f"read the sheet '{sheet.title}': the first, '{book.worksheets[0].title}', holds no table")
        if others:
            notes.append(
                f"not read: the {'sheet' if len(others) == 1 else 'sheets'} {in_words([repr(t) for t in others])}, "
                f"whose columns differ from those of '{sheet.title}'"
            )
        if notes:
            (work_dir / SHEET_NOTE).write_text("; ".join(notes), encoding="utf-8")
        (work_dir / SHEET_LINES).write_text(json.dumps(starts), encoding="utf-8")
    except FileRejectedError:
        raise
    except Exception:
        raise FileRejectedError(f"{name}: this Excel workbook could not be read. {SAVE_AS_CSV}") from None
    finally:
        book.close()
        source.close()
    return target


def in_sheet_rows(message: str, work_dir: Path) -> str:
    """A refusal of the CSV a workbook was read into, its lines named as the rows Excel numbers: "line 57" -> "row
    57" for one sheet, "line 24" -> "sheet 'Week 2', row 3" for several; as it is for a file that was no
    workbook."""
    lines = work_dir / SHEET_LINES
    if not lines.exists():
        return message
    starts = [tuple(start) for start in json.loads(lines.read_text(encoding="utf-8"))]

    def row(line: int) -> str:
        first, title, first_row = max((s for s in starts if s[0] <= line), key=lambda s: s[0], default=starts[0])
        sheet = f"sheet '{title}', " if len(starts) > 1 else ""
        return f"{sheet}row {first_row + line - first}"

    def named(found: re.Match[str]) -> str:
        return " and ".join(row(int(number)) for number in found.group(0).split()[1::2])

    return re.sub(r"\blines? \d+(?: and \d+)?", named, message)


def _write_rows(writer: Any, rows: Iterator[tuple[object, ...]], name: str, line: int) -> int:
    """Write a sheet's `rows` as CSV lines after the `line` already written; the number of the last line written.
    A row of more columns or a cell of more characters than a report holds refuses the workbook."""
    for row in rows:
        line += 1
        if len(row) > MAX_COLUMNS:
            raise FileRejectedError(
                f"{name}, line {line}: the sheet has {len(row):,} columns; Creator Lift reads up to "
                f"{MAX_COLUMNS:,}. Delete the empty or unrelated columns and upload it again."
            )
        cells = ["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row]
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARACTERS for c in cells):
            raise FileRejectedError(
                f"{name}, line {line}: a cell holds more than {MAX_CELL_CHARACTERS:,} characters, more than "
                "Excel itself allows; this is not a report Creator Lift can read."
            )
        writer.writerow(cells)
    return line


def _header_of(sheet: Any) -> tuple[int, tuple[str, ...]] | None:
    """A sheet's header, as the index of its row among the top rows and its cells in their places (empty ones as
    "", up to the last filled): the first row with three or more filled cells (under title lines, as in a CSV);
    None when it has none. Two sheets share a header only cell for cell: a column shifted reads differently."""
    for index, row in enumerate(islice(sheet.iter_rows(values_only=True), MAX_TITLE_LINES + 1)):
        cells = [("" if value is None else str(value).strip()) for value in row[:MAX_CELLS_SEARCHED]]
        if sum(1 for cell in cells if cell) >= 3:
            while cells and not cells[-1]:
                cells.pop()
            return index, tuple(cells)
    return None


def _sheet_with_rows(book: Any) -> Any:
    """The first sheet, unless it holds no table: then the first sheet with a header row of a kind near its top.

    A workbook may open on a summary or a chart, with the rows on a sheet of their own. A first sheet with a row of
    three or more cells near its top is read as before, whatever its header says: its columns may be matched by hand
    (the column-matching screen shows that sheet), and another sheet, a lookup of ASINs and titles say, must not be
    taken for the rows.
    """
    first = book.worksheets[0]
    if len(book.worksheets) == 1 or any(len(cells) >= 3 for cells in _top_rows(first)):
        return first
    for sheet in book.worksheets[1:MAX_SHEETS_SEARCHED]:
        if any(names_a_kind(cells) for cells in _top_rows(sheet) if len(cells) >= 2):
            return sheet
    return first


def _top_rows(sheet: Any) -> Iterator[list[str]]:
    """The filled cells of each of a sheet's top rows, where a header would be (under title lines, as in a CSV)."""
    for row in islice(sheet.iter_rows(values_only=True), MAX_TITLE_LINES + 1):
        yield [text for value in row[:MAX_CELLS_SEARCHED] if value is not None and (text := str(value).strip())]


def sheet_note(work_dir: Path) -> str | None:
    """Which sheet of a workbook was read, when it was not the first (`workbook_to_csv`)."""
    note = work_dir / SHEET_NOTE
    return note.read_text(encoding="utf-8") if note.exists() else None


def convert_in_worker(path: Path, name: str, work_dir: Path, progress: LoadProgress | None = None) -> Path:
    """`workbook_to_csv` in a process of its own, under WORKER_MEMORY_MB of memory and WORKER_SECONDS of time: a
    workbook that would eat the machine stops its worker, never the app. The size checks run here first, so a
    workbook bomb is refused without starting anything. A cancel (`progress`) kills the worker."""
    check_workbook(path, name)
    progress = progress or LoadProgress()
    progress.step("reading the workbook")
    command = [sys.executable, "-m", "analytics.ingest.workbook", str(path), name, str(work_dir)]
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(_ROOT), os.environ.get("PYTHONPATH")))),
        "CREATORLIFT_WORKER_MEMORY_MB": str(WORKER_MEMORY_MB),
    }
    # The worker's few lines of refusal or crash go to a file: a pipe nobody reads while waiting could fill.
    with (
        open(work_dir / "worker.log", "w+", encoding="utf-8") as errors,
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=environment, text=True) as worker,
    ):
        deadline = time.monotonic() + WORKER_SECONDS
        try:
            while worker.poll() is None:
                progress.raise_if_cancelled()
                if time.monotonic() > deadline:
                    raise FileRejectedError(
                        f"{name}: reading this workbook took more than {WORKER_SECONDS // 60} minutes, so it was "
                        f"stopped. {SAVE_AS_CSV}"
                    )
                time.sleep(WORKER_POLL_SECONDS)
        except BaseException:
            # A cancel, the deadline or Ctrl-C: the worker stops with the wait, never left reading on its own.
            worker.kill()
            worker.wait()
            raise
        errors.seek(0)
        stderr = errors.read()
    if worker.returncode == 0:
        return work_dir / "sheet.csv"
    if worker.returncode == _REFUSED:
        raise FileRejectedError(stderr.strip().splitlines()[-1])
    LOG.error("The workbook worker for %s stopped with code %s: %s", name, worker.returncode, stderr[-2000:])
    raise FileRejectedError(
        f"{name}: reading this workbook needed more than the {WORKER_MEMORY_MB:,} MB a workbook may take, so it was "
        f"stopped. {SAVE_AS_CSV}"
    )


def _worker(arguments: list[str]) -> int:
    """The worker process: cap its own memory, then convert (`python -m analytics.ingest.workbook PATH NAME DIR`)."""
    import resource

    ceiling = WORKER_MEMORY_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    path, name, work_dir = arguments
    try:
        workbook_to_csv(Path(path), name, Path(work_dir))
    except FileRejectedError as error:
        print(str(error).replace("\n", " "), file=sys.stderr)
        return _REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1:]))
