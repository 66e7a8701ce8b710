"""How a file on disk is laid out: its encoding, delimiter, header line, columns and kind, found before reading."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analytics.contract.foreign_layouts import foreign_layout
from analytics.contract.kinds import (
    KIND_NOUNS,
    KINDS,
    Kind,
    column_for_header,
    named_column,
    normalise_header,
    title_header,
)
from analytics.contract.overlaps import PERIOD_SUM_KINDS

HEAD_BYTES = 256 * 1024  # enough for any title block and header line
MAX_TITLE_LINES = 40
CHUNK = 16 * 1024 * 1024


# No download we read has more than a few hundred columns; past this a file is refused before it is scored.
MAX_COLUMNS = 2_000
# Python's csv module refuses fields over 128 KiB by default; the reader's own limit (a line) decides instead, and
# a refusal names the line rather than failing on the way to naming it.
csv.field_size_limit(64 * 2**20)


class FileRejectedError(Exception):
    """A file that cannot be loaded, with a sentence naming the file, the line and the problem."""


class UnmatchedColumnsError(FileRejectedError):
    """A file whose columns make no kind, or not the kind asked for: its columns can be matched by hand. `brief` says
    so without the command line's flags, for a page that offers the matching beside it."""

    def __init__(self, sentence: str, brief: str, closest: str | None = None) -> None:
        super().__init__(sentence)
        self.brief = brief
        self.closest = closest  # the kind the columns come nearest to, when one is near: the mapping's first guess


class ForeignLayoutError(FileRejectedError):
    """A file of a layout Creator Lift knows but does not read (`contract.foreign_layouts`), refused by name."""


@dataclass
class Layout:
    encoding: str
    delimiter: str
    header_line: int  # 1-based, as a spreadsheet shows it
    header: list[str]
    title_lines: list[str] = field(default_factory=list)

    @property
    def signature(self) -> str:
        """Identifies files with the same columns, so a mapping saved for one applies to the next."""
        normalised = "|".join(normalise_header(h) for h in self.header)
        return hashlib.sha256(normalised.encode()).hexdigest()[:16]


@dataclass
class Detection:
    kind: Kind
    mapping: dict[str, int]  # canonical column -> position in the file
    ignored: list[str]
    notes: list[str] = field(default_factory=list)
    # The position of the products' titles, kept apart from the rows (`kinds.title_header`), if the file has them.
    title: int | None = None


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little-endian, big-endian
ZIP_SIGNATURE = b"PK\x03\x04"  # a zip archive's first bytes: an .xlsx workbook is one


def sniff_binary(path: Path, name: str) -> None:
    """Refuse spreadsheets, archives and other binary files with a sentence that says what to do."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRejectedError(f"{name}: the file is empty.")
    if head.startswith(ZIP_SIGNATURE):
        # An Excel workbook is read as one whatever its name (`workbook.is_workbook`): this is any other zip.
        raise FileRejectedError(
            f"{name}: this is a zip archive (or a spreadsheet other than Excel's .xlsx), not a CSV file; save it as "
            "CSV, or unzip it and upload the CSV inside."
        )
    if head.startswith(b"\x1f\x8b"):
        raise FileRejectedError(f"{name}: this file is gzip-compressed; decompress it and upload the CSV inside.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejectedError(f"{name}: this is an old Excel (.xls) workbook; save it as CSV and upload that.")
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileRejectedError(f"{name}: the file is UTF-32 text; save it as CSV (UTF-8) and upload that.")
    if head.startswith(UTF16_BOMS):
        return  # text, two bytes a character: `as_utf8` reads it
    if b"\x00" in head:
        # Plain text as UTF-16 has a NUL in every other byte: one half of the bytes is all NULs.
        if len(head) > 1 and not (head[0::2].strip(b"\x00") and head[1::2].strip(b"\x00")):
            raise FileRejectedError(
                f"{name}: the file is UTF-16 text without the byte-order mark that says how to read it; save it as "
                "CSV (UTF-8) and upload that."
            )
        raise FileRejectedError(f"{name}: this is not a text file (it holds binary data); upload a CSV export.")


class Utf8Check:
    """Fed a file's bytes in order, says whether they are UTF-8 text (the importer reads every upload once)."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.valid = True

    def feed(self, chunk: bytes) -> None:
        # ASCII, most exports, is UTF-8 as it is: a chunk of it needs no decoding, unless a character began before it.
        if chunk.isascii() and not self._decoder.getstate()[0]:
            return
        if self.valid:
            try:
                self._decoder.decode(chunk)
            except UnicodeDecodeError:
                self.valid = False

    def finished(self) -> bool:
        self.feed(b"")
        if self.valid:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.valid = False
        return self.valid


class LineEndings:
    """Fed a file's bytes in order, says whether its lines end more than one way (CR LF, a bare LF, a bare CR), as a
    Windows export does once a line is added to it on another system. DuckDB's CSV reader takes the first ending it
    sees for every line and refuses the file at the first other one, as a quote never closed."""

    def __init__(self) -> None:
        self.crlf = self.bare_lf = self.bare_cr = False
        self._after_cr = False  # the last chunk ended with a CR, whose LF may open this one

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        paired = int(self._after_cr and chunk.startswith(b"\n"))
        self.crlf = self.crlf or bool(paired)
        self.bare_cr = self.bare_cr or (self._after_cr and not paired)
        # Most exports hold no CR at all, and finding that out is the cheap question.
        if chunk.find(b"\r") < 0:
            self.bare_lf = self.bare_lf or chunk.find(b"\n", paired) >= 0
            self._after_cr = False
            return
        pairs, ends_with_cr = chunk.count(b"\r\n"), chunk.endswith(b"\r")
        self.crlf = self.crlf or pairs > 0
        self.bare_lf = self.bare_lf or chunk.count(b"\n") - pairs - paired > 0
        self.bare_cr = self.bare_cr or chunk.count(b"\r") - pairs - ends_with_cr > 0
        self._after_cr = ends_with_cr

    @property
    def mixed(self) -> bool:
        return self.crlf + self.bare_lf + (self.bare_cr or self._after_cr) > 1


def _scan(path: Path) -> tuple[bool, bool]:
    """Whether the file is UTF-8 text, and whether its lines end both ways (`LineEndings`)."""
    check, endings = Utf8Check(), LineEndings()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            check.feed(chunk)
            endings.feed(chunk)
    return check.finished(), endings.mixed


_UTF8_BOM = b"\xef\xbb\xbf"


def _refuse_damaged_utf8(path: Path, name: str) -> None:
    """Refuse, naming its line, a UTF-8 file that a few bytes keep from being UTF-8: one marked UTF-8 (a byte-order
    mark), or whose UTF-8 characters outnumber its bytes that are not. Read as Windows-1252, as a file that is not
    UTF-8 is, its every accented name would be garbled ("josé" as "josÃ©") and a creator split in two. In a
    Windows-1252 file, a pair of bytes that reads as a UTF-8 character is a rare letter beside a symbol."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    characters = bad = lines = 0
    first_bad: int | None = None  # the line of the first byte that is not UTF-8
    with open(path, "rb") as handle:
        marked = handle.read(3) == _UTF8_BOM
        handle.seek(0)
        while True:
            chunk = handle.read(CHUNK)
            if chunk.isascii() and chunk and not decoder.getstate()[0]:  # most of a file: nothing to decode
                lines += chunk.count(b"\n")
                continue
            text = decoder.decode(chunk, final=not chunk)  # the end: a character cut short is a bad byte too
            replaced = text.count("\ufffd")
            if replaced and first_bad is None:
                first_bad = lines + text.count("\n", 0, text.index("\ufffd")) + 1
            bad += replaced
            characters += len(text) - len(text.encode("ascii", "ignore")) - replaced
            lines += text.count("\n")
            if not chunk:
                break
    if first_bad is not None and (marked or characters > bad):
        raise FileRejectedError(
            f"{name}, line {first_bad}: the line holds bytes that are not UTF-8 text, though the rest of the file is. "
            "Save the file again as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8) and upload it again."
        )


def as_utf8(
    path: Path, work_dir: Path, utf8: bool | None = None, mixed_endings: bool | None = None, name: str | None = None
) -> tuple[Path, str]:
    """The file as UTF-8 with one line ending, and the encoding it arrived in: Excel on Windows saves a CSV as
    Windows-1252, and its "Unicode Text" as UTF-16 (tab-separated, with a byte-order mark). `utf8` says whether it
    is UTF-8 and `mixed_endings` whether its lines end both ways (`LineEndings`), when already known. A UTF-8 file a
    few bytes damage is refused (`_refuse_damaged_utf8`; `name` names it)."""
    name = name or path.name
    with open(path, "rb") as handle:
        utf16 = handle.read(2) in UTF16_BOMS
    if not utf16 and (utf8 is None or mixed_endings is None):
        utf8, mixed_endings = _scan(path)
    if utf16:
        encoding, codec = "UTF-16", "utf-16"  # the codec reads the mark for the byte order and drops it
    elif utf8:
        if not mixed_endings:
            return path, "utf-8"
        encoding, codec = "utf-8", "utf-8"
    else:
        _refuse_damaged_utf8(path, name)
        encoding, codec = "windows-1252", "cp1252"
    target = work_dir / (path.name + ".utf8.csv")
    with (
        # A character the encoding cannot hold (a UTF-16 file cut mid-character) reads as U+FFFD: the load is then
        # refused at the line it lands on, or at its cell if that must be a number or a date. Lines ending both ways
        # are written ending one way (`newline=None` reads CR LF, CR and LF as one line end).
        open(path, encoding=codec, errors="replace", newline=None if mixed_endings else "") as source,
        open(target, "w", encoding="utf-8", newline="") as sink,
    ):
        shutil.copyfileobj(source, sink, CHUNK)
    return target, encoding


DELIMITERS = (",", "\t", ";")


def _delimiter(line: str) -> str:
    """The delimiter a line uses most: a comma, a tab (Excel's "Unicode Text") or a semicolon (Excel's CSV under
    European regional settings); a comma when none is used more."""
    return max(DELIMITERS, key=line.count)


def _cells(line: str, delimiter: str) -> list[str]:
    # A BOM before a quoted first cell would keep its quotes: `\ufeff"(Parent) ASIN"`.
    return next(csv.reader([line.lstrip("\ufeff")], delimiter=delimiter), [])


def names_a_kind(cells: list[str]) -> bool:
    """Whether a line's cells name every required column of some kind: it is that kind's header row."""
    return any(not k.missing(set(filter(None, (column_for_header(k, c) for c in cells)))) for k in KINDS.values())


def read_layout(path: Path, name: str, encoding: str) -> Layout:
    """Find the header line below any title or metadata lines, and the delimiter it uses."""
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        head = handle.read(HEAD_BYTES)
    lines = io.StringIO(head).read().splitlines()[: MAX_TITLE_LINES + 1]
    widest = max((len(_cells(line, _delimiter(line))) for line in lines), default=0)
    if widest > MAX_COLUMNS:
        raise FileRejectedError(
            f"{name}: a line near the top has {widest:,} columns; Creator Lift reads up to {MAX_COLUMNS:,}. Delete "
            "the empty or unrelated columns and upload it again."
        )
    best: tuple[int, int] | None = None  # (score, index)
    for index, line in enumerate(lines):
        delimiter = _delimiter(line)
        cells = [c.replace("\ufeff", "").strip() for c in _cells(line, delimiter)]
        score = max(sum(1 for c in cells if column_for_header(k, c)) for k in KINDS.values())
        if names_a_kind(cells):
            return Layout(encoding, delimiter, index + 1, cells, lines[:index])
        if len(cells) > 1 and (best is None or score > best[0]):
            best = (score, index)
    if best is None:
        raise FileRejectedError(
            f"{name}: no line of the file looks like a header row of column names (a row of several cells); check "
            "that this is the report's export and that it is not empty."
        )
    index = best[1]
    delimiter = _delimiter(lines[index])
    cells = [c.replace("\ufeff", "").strip() for c in _cells(lines[index], delimiter)]
    return Layout(encoding, delimiter, index + 1, cells, lines[:index])


def _other_kinds_columns(kind: Kind, header: list[str]) -> list[str]:
    """The headers that name a required column of another kind and none of `kind`'s.

    A partial kind (the catalog) needs only an ASIN and one more column, so a performance file short of its
    commission column would pass for a catalog of titles: such a file is not taken for one unless asked.
    """
    others = [k for k in KINDS.values() if k is not kind]
    return [
        h
        for h in header
        if column_for_header(kind, h) is None and any(column_for_header(k, h) in k.required for k in others)
    ]


def kinds_needed() -> str:
    return "; ".join(f"{k.name} needs {', '.join(k.missing(set()))}" for k in KINDS.values())


def detect(
    layout: Layout,
    name: str,
    kind_name: str | None = None,
    mapping: dict[str, str] | None = None,
    optional_required: tuple[str, ...] = (),
) -> Detection:
    """The file's kind and which of its columns feeds each canonical column.

    `mapping` (canonical -> header as written) comes from the user or a saved mapping and wins over aliases.
    `optional_required` names required columns that another source supplies (a period for the date).
    A file whose columns mark it as a layout Creator Lift does not read is refused by name first, whatever kind
    was asked for: a few headers matching aliases must not pass it for brand data. A title line naming such a
    layout refuses the file when its columns make no kind.
    """
    foreign = foreign_layout(layout.header, layout.title_lines, set(mapping or {}))
    if foreign and foreign.by_columns:
        raise ForeignLayoutError(foreign.refusal(name))
    candidates = [KINDS[kind_name]] if kind_name else list(KINDS.values())
    found = ", ".join(h for h in layout.header if h) or "none"
    results: list[tuple[int, Detection, list[str]]] = []
    for kind in candidates:
        positions: dict[str, int] = {}
        for canonical, header in (mapping or {}).items():
            if canonical not in kind.column_names:
                raise FileRejectedError(
                    f"{name}: {canonical!r} is not a column of {kind.name}; it has {', '.join(kind.column_names)}."
                )
            matches = [i for i, h in enumerate(layout.header) if normalise_header(h) == normalise_header(header)]
            if not matches:
                raise FileRejectedError(f"{name}: the mapping names a column {header!r}, but the header has: {found}.")
            positions[canonical] = matches[0]
        given = set(positions)
        closeness: dict[str, int] = {}
        for index, header in enumerate(layout.header):
            named = named_column(kind, header)
            if named is None or named[0] in given or index in positions.values():
                continue
            fed, rank = named
            if rank < closeness.get(fed, rank + 1):
                positions[fed], closeness[fed] = index, rank
        notes = []
        for column in kind.columns:
            if column.name not in positions and column.fallback in positions:
                positions[column.name] = positions[column.fallback]
                stands_in = layout.header[positions[column.fallback]]
                notes.append(f"no {column.words} column: {column.words} read from '{stands_in}'")
        missing = kind.missing(set(positions) | set(optional_required))
        if kind.partial and not kind_name:
            missing += _other_kinds_columns(kind, layout.header)
        title = title_header(kind, layout.header, positions.values())
        ignored = [h for i, h in enumerate(layout.header) if i not in positions.values() and i != title and h]
        results.append((len(positions), Detection(kind, positions, ignored, notes, title), missing))
    complete = [r for r in results if not r[2]]
    if complete:
        return max(complete, key=lambda r: r[0])[1]
    if foreign:
        raise ForeignLayoutError(foreign.refusal(name))
    if kind_name:
        missing = results[0][2]
        example = next((m for m in missing if m in candidates[0].column_names), (*candidates[0].one_of, "")[0])
        needs = f"{name}, line {layout.header_line}: {_a_file_of(kind_name)} needs the column(s) {', '.join(missing)}"
        whole = _another_kind_whole(layout, name, kind_name, mapping, optional_required)
        raise UnmatchedColumnsError(
            f"{needs}, which the header does not have. Columns found: {found}. "
            f'Map them with --map {example}="Header in your file" (or pick columns on the Data page).'
            f"{_or_give_its_period(candidates[0], missing)}{whole}",
            f"{needs}, which its header does not name.",
        )
    unknown = f"{name}, line {layout.header_line}: cannot tell what kind of file this is from its columns"
    cells = [h for h in layout.header if h.strip()]
    if cells and all(_METADATA_CELL.match(h) for h in cells):
        # Amazon's line above a report's table (Brand=["…"],Reporting Range=["…"]) with no table under it: offered
        # for matching, its facts read as columns.
        raise FileRejectedError(
            f"{name}, line {layout.header_line}: this is the line Amazon writes above a report's table "
            f"({', '.join(h.split('=')[0].strip() for h in cells[:3])}), and the file has no table under it: "
            "download the report again, with its rows."
        )
    near = _nearest_kind(results)
    if near is not None:
        # A renamed column or two ("bonus paid" for commission): the kind is told, what it lacks is not.
        kind, missing = near
        columns = " or ".join(missing)
        lacks = (
            f"{name}, line {layout.header_line}: this may be {_a_file_of(kind.name)}, but no column of it reads "
            f"as {columns}"
        )
        raise UnmatchedColumnsError(
            f"{lacks}. Columns found: {found}. Map them with --kind {kind.name} --map "
            f'{missing[0]}="Header in your file" (or pick columns on the Data page).'
            f"{_or_give_its_period(kind, missing)}",
            f"{lacks}.",
            kind.name,
        )
    raise UnmatchedColumnsError(
        f"{unknown}. Columns found: {found}. Each kind needs: {kinds_needed()}. "
        "Choose the kind and map the columns (--kind and --map, or on the Data page).",
        f"{unknown} ({found}).",
    )


# A cell of the line of facts Amazon writes above a report's header: `Brand=["Kestrel"]`, `Reporting Range=[Weekly]`.
_METADATA_CELL = re.compile(r'\s*"?[A-Za-z][A-Za-z ]*"?\s*=\s*\[')


def _another_kind_whole(
    layout: Layout, name: str, kind_name: str, mapping: dict[str, str] | None, optional_required: tuple[str, ...]
) -> str:
    """Said when a file loaded as `kind_name` lacks its columns but has every one of another kind's (a Business
    Report loaded with --kind performance): which kind it is, and to load it as that. `optional_required` as
    `detect` takes it (the columns a period stands in for)."""
    if mapping:
        return ""
    try:
        found = detect(layout, name, optional_required=optional_required).kind.name
    except FileRejectedError:
        return ""
    if found == kind_name:
        return ""
    return (
        f" Its columns are all those of a {KIND_NOUNS[found]}: load it as one (--kind {found}, or leave --kind out; on "
        "the Data page, its kind is found from its columns)."
    )


def _a_file_of(kind_name: str) -> str:
    """ "an orders file", "a sales file"."""
    return f"{'an' if kind_name[0] in 'aeiou' else 'a'} {kind_name} file"


# A file whose columns give a kind all but this many of its required columns, and this many of them at least, is
# taken for that kind with columns renamed.
NEAR_MISSING, NEAR_MATCHED = 2, 3


def _nearest_kind(results: list[tuple[int, Detection, list[str]]]) -> tuple[Kind, list[str]] | None:
    """The one kind the file's columns come nearest to, with what it misses; None when none is near or two are
    equally near. Among the kinds missing at most `NEAR_MISSING` of their own, the one whose columns matched
    outnumber those missed by most, then the one missing fewest: a performance report with its creator and revenue
    renamed (seven of its columns matched) was taken for a cohorts file without buyers (three matched), because
    that missed one column fewer, and loaded as one when the advice was followed."""
    near = [
        (matched, detection.kind, missing)
        for matched, detection, missing in results
        if matched >= NEAR_MATCHED
        and 0 < len(missing) <= NEAR_MISSING
        and all(m in detection.kind.column_names for m in missing)
    ]
    if not near:
        return None
    near.sort(key=lambda n: (len(n[2]) - n[0], len(n[2])))
    if len(near) > 1 and (len(near[0][2]), near[0][0]) == (len(near[1][2]), near[1][0]):
        return None
    return near[0][1], near[0][2]


_DATE_TEXT = r"(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{8})"


def _or_give_its_period(kind: Kind, missing: Sequence[str]) -> str:
    """For a file of a kind read by day lacking only its date column, the other way it loads: as a period's sums."""
    if kind.name not in PERIOD_SUM_KINDS or list(missing) != ["date"]:
        return ""
    return (
        " If it is a report of a period, with no date column, give the period instead: --period START:END, or leave "
        "date unmatched on the Data page and choose its dates."
    )


def period_from_titles(title_lines: list[str]) -> tuple[date, date] | None:
    """A reporting period stated above the header, e.g. `Reporting Range=["2026-03-01 - 2026-03-31"]`."""
    for line in title_lines:
        found = re.findall(_DATE_TEXT, line)
        if len(found) >= 2:
            parsed = []
            for text in found[:2]:
                for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d"):
                    try:
                        parsed.append(datetime.strptime(text, fmt).date())
                        break
                    except ValueError:
                        continue
            if len(parsed) == 2:
                return min(parsed), max(parsed)
    return None


def record_line_numbers(path: Path, layout: Layout, records: list[int]) -> dict[int, int]:
    """Physical line numbers (1-based) of data records by their 0-based index, for error messages only.

    DuckDB reads the rows; only when a row is wrong do we walk the file with Python's csv module, which
    knows where quoted values span lines and skips blank lines the same way.
    """
    wanted = set(records)
    found: dict[int, int] = {}
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        for _ in range(layout.header_line):
            handle.readline()
        reader = csv.reader(handle, delimiter=layout.delimiter)
        record = -1
        start = layout.header_line
        for row in reader:
            line = start + 1
            start = layout.header_line + reader.line_num
            if not row:  # DuckDB skips blank lines too
                continue
            if len(row) != len(layout.header) and not any(cell.strip() for cell in row):
                continue  # separators alone, of another width: the load skips them (`importer._stage`)
            record += 1
            if record in wanted:
                found[record] = line
                if len(found) == len(wanted):
                    break
    return found


# Read as text from their first bytes: a workbook, a compressed file or a JSON report is worked out by its load.
_PLAIN_SUFFIXES = (".csv", ".tsv", ".txt")


def performance_first(files: Sequence[tuple[Path, str]]) -> list[int]:
    """The order to load `files` (path, name) in: the Creator Connections performance reports first, then the rest,
    each as given. A sales file's checks read the creators' performance of its days, which the same upload's
    performance report may bring: loaded after it, a Business Report no longer says no performance is loaded for
    its week. A file's kind is read from its header alone (a file it cannot be read from keeps its place)."""

    def performance(path: Path, name: str) -> bool:
        if path.suffix.lower() not in _PLAIN_SUFFIXES and Path(name).suffix.lower() not in _PLAIN_SUFFIXES:
            return False
        try:
            return detect(read_layout(path, name, "utf-8"), name).kind.name == "performance"
        except (FileRejectedError, OSError, UnicodeError):
            return False

    first = [performance(path, name) for path, name in files]
    return sorted(range(len(files)), key=lambda index: not first[index])
