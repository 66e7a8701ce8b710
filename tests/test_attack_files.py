"""The standing attack table for files: each hostile or broken file is refused with a plain sentence naming the
file (and the line where there is one), no engine text, the store unchanged and no kept file half-written."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from analytics.ingest import workbook as workbooks
from analytics.ingest.importer import load_file
from analytics.ingest.layout import FileRejectedError
from analytics.store.database import raw_files_dir

HEADER = "date,creator,asin,clicks,orders,revenue,commission\n"
GOOD_ROW = "2026-03-01,Ana,B0HYDRA001,10,2,40.00,4.00\n"


def workbook(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shared_strings_bomb() -> bytes:
    """A 20 MB shared-strings part that deflates to about 20 KB: the shape of the 2.5 MB workbook that inflated to
    1 GB, at a size a test can build."""
    return workbook({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": b"0" * (20 * 2**20)})


CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "a workbook whose part would inflate a thousandfold": (
        "bomb.xlsx",
        shared_strings_bomb,
        "bomb.xlsx: this workbook would take 20 MB once opened",
    ),
    "a damaged workbook": ("broken.xlsx", lambda: b"PK\x03\x04 not really a zip", "broken.xlsx: this Excel workbook"),
    "a line past the reader's line size": (
        "long.csv",
        lambda: (HEADER + GOOD_ROW + "2026-03-02,Bo," + "x" * 2_100_000 + ",1,1,1.00,0.10\n").encode(),
        "long.csv, line 3: the row is longer than the 2,000,000 bytes a report line can have",
    ),
    "twenty thousand columns": (
        "wide.csv",
        lambda: (",".join(f"c{i}" for i in range(20_000)) + "\n" + ",".join("1" * 20_000) + "\n").encode(),
        "wide.csv: a line near the top has 20,000 columns; Creator Lift reads up to 2,000",
    ),
    "NUL bytes": ("nul.csv", lambda: (HEADER + GOOD_ROW).encode().replace(b"Ana", b"A\x00a"), "nul.csv: "),
    "UTF-16 without its byte-order mark": (
        "utf16.csv",
        lambda: (HEADER + GOOD_ROW).encode("utf-16-le"),
        "utf16.csv: the file is UTF-16 text without the byte-order mark",
    ),
    "a header and no rows": ("empty.csv", lambda: HEADER.encode(), "empty.csv: the file has a header"),
    "a day in the far future": (
        "future.csv",
        lambda: (HEADER + GOOD_ROW + "9999-12-31,Bo,B0HYDRA001,1,1,1.00,0.10\n").encode(),
        "future.csv, line 3, column 'date': '9999-12-31' is before 2000 or after tomorrow",
    ),
    "a day before any export": (
        "epoch.csv",
        lambda: (HEADER + "1970-01-01,Bo,B0HYDRA001,1,1,1.00,0.10\n").encode(),
        "epoch.csv, line 2, column 'date': '1970-01-01' is before 2000 or after tomorrow",
    ),
}
ENGINE_WORDS = ("duckdb", "Error:", "Traceback", "131072)", "Invalid Input", "CSV Error", "Parser")


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_refused_plainly_and_changes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, case: str
) -> None:
    name, content, expected = CASES[case]
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD_ROW)
    load_file(con, good)
    before = con.execute("select count(*), sum(revenue) from performance").fetchone()
    kept_before = sorted(p.name for p in raw_files_dir(con).iterdir())

    upload = tmp_path / name
    upload.write_bytes(content())
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, upload, name)
    message = str(refused.value)
    assert message.startswith(expected), message[:300]
    assert not any(word in message for word in ENGINE_WORDS), message[:300]
    assert len(message) < 400
    assert con.execute("select count(*), sum(revenue) from performance").fetchone() == before
    assert con.execute("select count(*) from loads").fetchone() == (1,)
    kept_after = sorted(p.name for p in raw_files_dir(con).iterdir() if not p.name.startswith(".incoming-"))
    assert set(kept_before) <= set(kept_after)


def small_workbook(tmp_path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Date", "Creator", "ASIN", "Clicks", "Orders", "Revenue", "Commission"])
    book.active.append(["2026-03-01", "Ana", "B0HYDRA001", 10, 2, 40, 4])
    path = tmp_path / "report.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("ceiling", "expected"),
    [
        # A worker allowed 10 MB cannot even start reading: it stops, and the app says so in a sentence.
        ({"WORKER_MEMORY_MB": 10}, "report.xlsx: reading this workbook needed more than the 10 MB a workbook may take"),
        ({"WORKER_SECONDS": 0}, "report.xlsx: reading this workbook took more than 0 minutes, so it was stopped"),
    ],
)
def test_a_workbook_past_its_worker_s_ceilings_is_stopped_there_and_changes_nothing(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ceiling: dict[str, int],
    expected: str,
) -> None:
    for name, value in ceiling.items():
        monkeypatch.setattr(workbooks, name, value)
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, small_workbook(tmp_path), "report.xlsx")
    assert str(refused.value).startswith(expected)
    assert con.execute("select count(*) from loads").fetchone() == (0,)


def test_a_workbook_within_its_worker_s_ceilings_loads(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load_file(con, small_workbook(tmp_path), "report.xlsx")
    assert con.execute("select count(*), sum(revenue) from performance").fetchone() == (1, 40)
