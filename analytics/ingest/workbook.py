"""Excel workbooks: refused before they are opened when their parts would inflate past what a catalog or report
needs (a small .xlsx can hold a shared-strings part that inflates to gigabytes), then read one row at a time."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

from analytics.ingest.layout import MAX_COLUMNS, FileRejectedError

# The largest workbook part, and all parts together, once inflated. A year of daily Creator Connections rows for
# thousands of creators is a few hundred MB of sheet XML; a shared-strings part of text cells far less.
MAX_PART_BYTES = 512 * 2**20
MAX_WORKBOOK_BYTES = 1024 * 2**20
# No real export compresses better than this; zip bombs compress thousands of times.
MAX_COMPRESSION_RATIO = 200
# Excel's own limit: 32,767 characters in a cell.
MAX_CELL_CHARACTERS = 32_767
SAVE_AS_CSV = "Open it in Excel and use File > Save As > CSV, or upload the report's CSV download."


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
    """The first sheet of a checked .xlsx workbook as a CSV file, so it goes through the same rules as any CSV."""
    check_workbook(path, name)
    import openpyxl

    target = work_dir / "sheet.csv"
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged or unusual workbook: the CSV route always works
        raise FileRejectedError(f"{name}: this Excel workbook could not be read. {SAVE_AS_CSV}") from None
    try:
        sheet = book.worksheets[0]
        with open(target, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
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
    except FileRejectedError:
        raise
    except Exception:
        raise FileRejectedError(f"{name}: this Excel workbook could not be read. {SAVE_AS_CSV}") from None
    finally:
        book.close()
    return target
