"""The standing attack table for files: each hostile or broken file is refused with a plain sentence naming the
file (and the line where there is one), no engine text, the store unchanged and no kept file half-written."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

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
        lambda: (HEADER + GOOD_ROW + "2026-03-02,Bo," + "x" * 200_000 + ",1,1,1.00,0.10\n").encode(),
        "long.csv",
    ),
    "twenty thousand columns": (
        "wide.csv",
        lambda: (",".join(f"c{i}" for i in range(20_000)) + "\n" + ",".join("1" * 20_000) + "\n").encode(),
        "wide.csv: a line near the top has 20,000 columns; Creator Lift reads up to 2,000",
    ),
    "NUL bytes": ("nul.csv", lambda: (HEADER + GOOD_ROW).encode().replace(b"Ana", b"A\x00a"), "nul.csv: "),
    "a UTF-16 export": ("utf16.csv", lambda: (HEADER + GOOD_ROW).encode("utf-16"), "utf16.csv: the file is UTF-16"),
    "a header and no rows": ("empty.csv", lambda: HEADER.encode(), "empty.csv: the file has a header"),
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
