"""What a reader's failure tells the person uploading: a plain sentence chosen from a table of cases, never the
engine's own text, which goes to the log under a reference the sentence quotes."""

from __future__ import annotations

import logging
import re
import uuid

from analytics.ingest.layout import FileRejectedError

LOG = logging.getLogger(__name__)

# DuckDB's CSV reader's own ceiling on a line (its max_line_size), in words.
LONGEST_LINE = "2,000,000 bytes"
# (pattern in the engine's message, what the person reads after "file, line N: ").
CSV_READ_CASES: tuple[tuple[str, str], ...] = (
    (
        r"maximum line size|line size|field larger than field limit",
        f"a line is longer than the {LONGEST_LINE} a report line can have; check that this is the CSV export "
        "itself, not a file with one enormous cell",
    ),
    (r"out of memory|could not allocate|memory limit", "the file is too large to read on this server in one go"),
    (r"invalid unicode|invalid encoding|utf-?8", "the file holds bytes that are not text"),
    (r"unterminated quote|quote", "a quoted value is never closed"),
)
OTHER = "the file cannot be read as comma- or tab-separated text"


def csv_read_refusal(name: str, error: Exception) -> FileRejectedError:
    """The refusal for a CSV the reader could not read, naming the line when the engine said which."""
    text = str(error)
    reference = uuid.uuid4().hex[:8]
    LOG.warning("Reading %s failed (reference %s): %s", name, reference, text)
    line = re.search(r"Line: (\d+)", text)
    where = f", line {line.group(1)}" if line else ""
    problem = next((sentence for pattern, sentence in CSV_READ_CASES if re.search(pattern, text, re.I)), OTHER)
    return FileRejectedError(f"{name}{where}: {problem} (reference {reference}).")
