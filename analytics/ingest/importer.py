"""File on disk -> validated rows in the store, all or nothing, or an error written for the person uploading.

The path: keep the raw file, transcode to UTF-8 if needed, find the header, read every cell as text into
a staging table with DuckDB, convert with the parsing rules, check every rule set-based, then merge by
natural key in one transaction. Python only walks the file again to put a line number on an error.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Literal, TypedDict

import duckdb

from analytics.amounts import DEFAULT_CURRENCY, amount, amounts_in
from analytics.contract import parsing
from analytics.contract.foreign_layouts import program_of_layout
from analytics.contract.kinds import (
    EARLIEST_PLAUSIBLE_YEAR,
    KINDS,
    MONEY_TOTALS,
    OBSERVED_DATES,
    PERIOD_COLUMNS,
    Kind,
    normalise_header,
)
from analytics.contract.overlaps import PERIOD_SUM_KINDS
from analytics.ingest import spapi_json
from analytics.ingest.completion import (
    complete_partial_rows,
    date_rates,
    default_parameter,
    default_parameters,
    defaulted,
    normalise_programs,
    program_name,
)
from analytics.ingest.currency import (
    file_currency,
    keep_store_currency,
    note_currency_load,
    refuse_another_currency,
    staged_currency,
    stated_currency,
    store_currency,
)
from analytics.ingest.date_order import brand_date_order, note_date_order
from analytics.ingest.layout import (
    Detection,
    FileRejectedError,
    ForeignLayoutError,
    Layout,
    LineEndings,
    Utf8Check,
    as_utf8,
    detect,
    period_from_titles,
    read_layout,
    record_line_numbers,
    sniff_binary,
)
from analytics.ingest.load_notes import (
    LATER_REACH_TABLE,
    OlderDownload,
    arrival_notes,
    before_the_creators_days,
    days_apart,
    emptied_columns_note,
    keep_newer_figures,
    more_through_creators,
    named,
    negative_amounts_note,
    older_download_note,
    replaced_since,
    replacing_loads,
    updated_totals_note,
)
from analytics.ingest.missing import MISSING_TABLE, ON_MISSING, MissingRowsError, OnMissing, find_missing
from analytics.ingest.notation import DECIMAL_TYPES, Notation, read_notation
from analytics.ingest.overlap import ON_OVERLAP, OVERLAP_TABLE, OnOverlap, OverlapError, find_overlap, overlap_note
from analytics.ingest.progress import LoadCancelledError, LoadProgress
from analytics.ingest.refusals import LONGEST_LINE, csv_read_refusal
from analytics.ingest.report_periods import (
    GivenPeriodError,
    PeriodNeededError,
    StatedColumns,
    is_period_kind,
    metadata,
    rows_period,
    stated_columns,
    stated_facts,
)
from analytics.ingest.unfamiliar import (
    FILE_ASINS,
    FILE_CREATORS,
    ON_UNFAMILIAR,
    BrandCheck,
    OnUnfamiliar,
    OtherBrands,
    Unfamiliar,
    UnfamiliarFileError,
    another_brand_named,
    another_brands_report,
    find_unfamiliar,
)
from analytics.ingest.workbook import convert_in_worker, in_sheet_rows, is_workbook, sheet_note
from analytics.sql import ident, idents, keys_match
from analytics.store.brand_terms import brand_terms, clean_terms, write_terms
from analytics.store.database import WRITE_LOCK, in_transaction, raw_files_dir, record_data_change
from analytics.store.files import Received, discard, keep, kept_name, receive
from analytics.store.rates import RATE_COLUMNS, record_rates
from analytics.store.tables import displace_current, insert_current, supersede_current
from analytics.store.titles import TITLE_COLUMN, record_titles
from analytics.words import in_words, plural

TYPE_PHRASES = {
    "date": "a date (forms like 2026-03-01, 03/01/2026 or 20260301)",
    "count": "a whole number",
    "money": "an amount of money",
    "rate": "a rate (0.03 or 3%)",
    "rank": "a rank (a whole number, or >306 or - for not ranked)",
    "flag": "yes or no (true/false, Y/N, 1/0)",
    "text": "text",
    "asin": "an ASIN",
}
KEPT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json")
# The ignored columns a load's note names before "and N more".
SHOWN_IGNORED = 6
# A spreadsheet's summary line under the rows ("Total", "Grand total:"), named as such when it is refused.
TOTALS_ROW = re.compile(r"(grand\s+)?totals?:?", re.IGNORECASE)
# A group's subtotal, as Excel's Subtotal command labels one under the column it groups by ("Coach Mike Total").
SUBTOTAL_ROW = re.compile(r".+\s(sub)?total:?", re.IGNORECASE)


# A load that asks no one whose a file is: it loads, its notes saying what the file shares with the brand.
LOAD_ANY_BRANDS = BrandCheck()


@dataclass(frozen=True)
class Answers:
    """What a load does on each question a file can raise before anything changes: rows overlapping stored ones under
    other keys (`overlap`, `ingest.overlap`), rows putting back figures a later download restated (`older`), stored
    rows of its days it no longer holds (`missing`, `ingest.missing`). See `load_file`."""

    overlap: OnOverlap = "stop"
    older: OnOlder = "load"
    missing: OnMissing = "keep"


# The answers of a load asked nothing: an overlap stops it, the rest load with a caution.
ASK_NOTHING = Answers()
# What a load does with a file that would put back figures a later download restated (`load_notes.OlderDownload`).
# "put_back": the person said this file's figures are the later ones (a file loaded before, loaded again to put them
# back): what it restates is said as what the load brought, not as a caution to check.
OnOlder = Literal["ask", "load", "keep_newer", "put_back"]


class OlderDownloadError(FileRejectedError):
    """A load stopped, before anything changed, to ask whether a file is the older of two downloads."""

    def __init__(self, file_name: str, older: OlderDownload) -> None:
        super().__init__(older.question(file_name))
        self.file_name = file_name
        self.older = older


@dataclass
class LoadResult:
    file: str
    kind: str
    load_id: int | None
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    same_as: int | None = None  # the load in effect that read this very file, when it was loaded before
    same_period: tuple[date, date] | None = None  # the period that load stored the file's rows under, if it gave one
    replaced: int = 0  # of a file loaded before: its rows a later load has given other figures since (`again`)
    # Of such a file: how far its rows ran, and the later loads holding them now with how far each runs
    # (`load_notes.replacing_loads`).
    runs_to: date | None = None
    replaced_by: tuple[tuple[int, str, date | None], ...] = ()
    moved: dict[str, float] = field(default_factory=dict)  # what the updated rows move each money total by
    restated: tuple[tuple[int, str], ...] = ()  # the loads (id, file) whose figures the updated rows replace
    unfamiliar: str | None = None  # how little the file shares with the brand, when next to nothing (`unfamiliar`)
    brand_named: tuple[str, ...] = ()  # the brand a search report names, when the brand's search terms are not set
    # Notes (among `notes`) saying the figures look wrong in a way only the person loading can tell: loaded, to check.
    cautions: list[str] = field(default_factory=list)

    @property
    def older_download(self) -> bool:
        """Whether this file, loaded before and since given other figures by later loads, is the older download:
        each of those runs to later days than it does, as Amazon's later download of the same days does."""
        reaches = [runs_to for _, _, runs_to in self.replaced_by]
        return bool(reaches) and self.runs_to is not None and all(r is not None and r > self.runs_to for r in reaches)

    def later_loads_sentence(self) -> str:
        """The later loads that gave this file's rows other figures, and how far each runs against it: "load 7
        (week46.csv), running to 2026-11-14, past this file's 2026-11-07"."""
        loads = " and ".join(
            f"load {i} ({name})" + (f", running to {runs_to.isoformat()}" if runs_to else "")
            for i, name, runs_to in self.replaced_by
        )
        return loads + (
            f", past this file's {self.runs_to.isoformat()}" if self.older_download and self.runs_to else ""
        )

    def summary(self, separators: bool = False, kinds: Mapping[str, str] | None = None) -> str:
        """One line: the file, its kind, the rows added, updated and unchanged, then each note. The command line
        prints the counts bare and the kind by its name, as scripts read them; the pages with `separators`
        (480,000) and the kind as `kinds` names it ("Order lines"), as they write them."""
        kind = (kinds or {}).get(self.kind, self.kind)
        added, updated, unchanged = (
            f"{n:,}" if separators else str(n) for n in (self.added, self.updated, self.unchanged)
        )
        line = f"{self.file}: {kind}, {added} added, {updated} updated, {unchanged} unchanged"
        if self.same_as is not None:
            # Counted as any load is (every row one the store holds), for the scripts that read the counts: a weekly
            # job loading the same download again reads the same line.
            said = f"{line}; already loaded as load {self.same_as}"
            if self.replaced and self.older_download:
                later = self.later_loads_sentence()
                return (
                    f"{said}, nothing was added. {later[:1].upper()}{later[1:]}, has given "
                    f"{plural(self.replaced, 'row')} of it other figures since. A download running to later days is "
                    "usually the later one: if so, nothing needs doing; if this file is the later download, load it "
                    "again with --again to put its figures back."
                )
            if self.replaced:
                return (
                    f"{said}, nothing was added. A later load has given {plural(self.replaced, 'row')} of it other "
                    "figures since: if this file is the later download, load it again with --again to put its figures "
                    "back."
                )
            if self.same_period is None:
                return f"{said}, nothing was added."
            # A file that states no period was given one: the same bytes for another period are another load.
            return (
                f"{said} for {_days(self.same_period)}, nothing was added. To load it for another period, undo load "
                f"{self.same_as} first."
            )
        return line + "".join(f"; {note}" for note in self.notes)


def _days(period: tuple[date, date]) -> str:
    """A period as the load's messages write one: "2026-11-22 to 2026-11-28"."""
    return f"{period[0].isoformat()} to {period[1].isoformat()}"


def readable_copy(path: Path, name: str, work_dir: Path, progress: LoadProgress | None = None) -> Path:
    """The file as CSV text the importer reads: a workbook's sheet of rows (converted in a bounded worker process,
    `workbook.convert_in_worker`) or the SP-API JSON's rows, written in `work_dir`; a CSV as it is, once checked
    for binary content."""
    if is_workbook(path, name):
        return convert_in_worker(path, name, work_dir, progress)
    if spapi_json.is_json(path, name):
        return spapi_json.json_to_csv(path, name, work_dir)
    sniff_binary(path, name)
    return path


def _kept_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in KEPT_SUFFIXES else ".dat"


def _keep_raw(con: duckdb.DuckDBPyConnection, received: Received, name: str) -> Path:
    """Keep the upload beside the database under a name we choose (never the user's file name), atomically."""
    return keep(con, received, _kept_suffix(name))


def _chosen_mapping(
    con: duckdb.DuckDBPyConnection, layout: Layout, kind: str | None, mapping: dict[str, str] | None
) -> tuple[str | None, dict[str, str] | None, bool]:
    """The kind and mapping to read the file with: those given, else the ones saved for its header; and whether they
    are the saved ones."""
    saved = None if (kind or mapping) else _saved_mapping(con, layout)
    return (saved[0], saved[1], True) if saved else (kind, mapping, False)


# Columns an export may gain and still be read by the mapping saved for it (Amazon adds one now and then).
MAPPING_NEW_COLUMNS = 2


def _saved_mapping(con: duckdb.DuckDBPyConnection, layout: Layout) -> tuple[str, dict[str, str]] | None:
    """The mapping saved for files with this header; else, for a header whose columns make no kind on their own, the
    latest mapping saved for a file all of whose columns this header has, in any order, beside at most
    MAPPING_NEW_COLUMNS more: Amazon reorders an export's columns or adds one without notice, and the person should
    not match the same columns again. A file of other columns that happens to hold a mapping's few is not it."""
    row = con.execute("select kind, mapping from mappings where signature = $s", {"s": layout.signature}).fetchone()
    if row:
        return row[0], json.loads(row[1])
    try:
        detect(layout, "", optional_required=PERIOD_COLUMNS)
        return None  # the columns say what the file is: no mapping needed
    except FileRejectedError:
        pass
    present = {normalise_header(h) for h in layout.header if h.strip()}
    saved = con.execute("select kind, header, mapping from mappings order by saved_at desc").fetchall()
    for kind, header, written in saved:
        columns = {normalise_header(h) for h in json.loads(header) if h.strip()}
        # Every column of the file the mapping was saved for, and at most a couple more: the same export.
        if columns <= present and len(present - columns) <= MAPPING_NEW_COLUMNS:
            return kind, json.loads(written)
    return None


def save_mapping(con: duckdb.DuckDBPyConnection, layout: Layout, kind: str, mapping: dict[str, str]) -> None:
    con.execute(
        "insert or replace into mappings (signature, kind, header, mapping) values ($s, $k, $h, $m)",
        {"s": layout.signature, "k": kind, "h": json.dumps(layout.header), "m": json.dumps(mapping)},
    )


class SavedMapping(TypedDict):
    """A saved mapping: the header it was saved for and which header feeds each canonical column."""

    signature: str
    kind: str
    header: list[str]
    mapping: dict[str, str]
    saved_at: datetime


def list_mappings(con: duckdb.DuckDBPyConnection) -> list[SavedMapping]:
    rows = con.execute("select signature, kind, header, mapping, saved_at from mappings order by saved_at").fetchall()
    return [
        {"signature": s, "kind": k, "header": json.loads(h), "mapping": json.loads(m), "saved_at": t}
        for s, k, h, m, t in rows
    ]


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    name: str | None = None,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    period: tuple[date, date] | None = None,
    program: str | None = None,
    on_overlap: OnOverlap = "stop",
    progress: LoadProgress | None = None,
    on_unfamiliar: OnUnfamiliar = "load",
    brand_through: int | None = None,
    again: bool = False,
    name_brand_terms: bool = False,
    on_older: OnOlder = "load",
    other_brands: OtherBrands | None = None,
    on_missing: OnMissing = "keep",
) -> LoadResult:
    """Load one file all or nothing; raise FileRejectedError with a sentence for the user if it is refused.

    `program` names the program of performance rows whose file does not say (default: the export's own layout,
    else creator_connections). Rows overlapping stored rows under other keys (`contract.overlaps`) stop the load
    with an OverlapError unless `on_overlap` is "replace" (the stored rows are displaced, and come back when this
    load is undone) or "keep_both". A file naming none of the brand's ASINs and few of its creators (`unfamiliar`)
    stops with an UnfamiliarFileError when `on_unfamiliar` is "ask"; otherwise it loads, and its notes say so
    (`ON_UNFAMILIAR`); `brand_through` says which loads hold the brand's own (those up to it: a batch's files do not
    vouch for each other). While the brand holds no product, `other_brands` tells a file of another brand's products
    (`unfamiliar.another_brands_products`).
    A file loaded before adds nothing (`LoadResult.same_as`), unless a later load has given some of its rows other
    figures since (`LoadResult.replaced`) and `again` says to put this file's back: then it loads as any file does.
    `name_brand_terms`: a Search Query Performance report naming its brand sets the brand's search terms to that
    name when none are set (the Data page); otherwise its note says how to.
    `on_older`: a performance file putting back figures a download running to later days restated loads with a
    caution ("load"), stops first with an OlderDownloadError ("ask", the Data page), or loads only the rows no later
    download holds ("keep_newer"), as the person answering that question may choose.
    `on_missing`: stored performance rows of the file's days that it could have held and does not (`ingest.missing`)
    stay with a caution ("keep"), stop the load with a MissingRowsError ("ask"), stay as answered ("kept"), or move
    to the history ("drop", back when the load is undone).
    `progress` hears each step, and may cancel the load before it commits (LoadCancelledError, nothing changed).
    """
    progress = progress or LoadProgress()
    progress.watch(con.interrupt)
    try:
        return _load(
            con,
            Path(path),
            name,
            kind,
            mapping,
            period,
            program,
            Answers(on_overlap, on_older, on_missing),
            BrandCheck(on_unfamiliar, brand_through, other_brands),
            progress,
            again,
            name_brand_terms,
        )
    except Exception:
        # Whatever a cancel broke on its way (an interrupted query, a killed worker), nothing was committed.
        if progress.cancelled:
            shown = name or Path(path).name
            raise LoadCancelledError(f"{shown}: the load was cancelled; nothing was changed.") from None
        raise
    finally:
        progress.watch(None)  # a cancel from now on must not reach a connection about to close


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str | None,
    kind: str | None,
    mapping: dict[str, str] | None,
    period: tuple[date, date] | None,
    program: str | None,
    answers: Answers,
    unfamiliar: BrandCheck,
    progress: LoadProgress,
    again: bool = False,
    name_brand_terms: bool = False,
) -> LoadResult:
    name = name or path.name
    if kind is not None and kind not in KINDS:
        raise FileRejectedError(f"{name}: unknown kind {kind!r}; use one of {', '.join(KINDS)}.")
    if answers.overlap not in ON_OVERLAP:
        raise ValueError(f"on_overlap must be one of {', '.join(ON_OVERLAP)}, not {answers.overlap!r}")
    if answers.missing not in ON_MISSING:
        raise ValueError(f"on_missing must be one of {', '.join(ON_MISSING)}, not {answers.missing!r}")
    if unfamiliar.on not in ON_UNFAMILIAR:
        raise ValueError(f"on_unfamiliar must be one of {', '.join(ON_UNFAMILIAR)}, not {unfamiliar.on!r}")
    with tempfile.TemporaryDirectory(prefix="creatorlift-") as work:
        work_dir = Path(work)
        # Reading the file into plain UTF-8 CSV is the untrusted, possibly slow part (a workbook is converted in a
        # worker process with ceilings): done before the write lock, so it never holds up anyone else's load.
        readable = readable_copy(path, name, work_dir, progress)
        # The one pass over the upload: its kept copy and hash, and a CSV's encoding on the way.
        checks = (Utf8Check(), LineEndings()) if readable == path else None
        received = receive(con, path, _receiving(path, checks, progress))
        try:
            utf8, mixed_endings = (checks[0].finished(), checks[1].mixed) if checks else (None, None)
            utf8_path, encoding = as_utf8(readable, work_dir, utf8, mixed_endings, name)
            layout = read_layout(utf8_path, name, encoding)
            # Said only when another load holds the lock: most loads never wait.
            if not WRITE_LOCK.acquire(blocking=False):
                progress.step("waiting for another load to finish")
                WRITE_LOCK.acquire()
            try:
                return _load_locked(
                    con,
                    name,
                    received,
                    utf8_path,
                    layout,
                    kind=kind,
                    mapping=mapping,
                    period=period,
                    program=program,
                    answers=answers,
                    unfamiliar=unfamiliar,
                    encoding=encoding,
                    converted=sheet_note(work_dir) or spapi_json.left_out_note(work_dir),
                    progress=progress,
                    again=again,
                    name_brand_terms=name_brand_terms,
                )
            except FileRejectedError as error:
                # A workbook of several sheets was read as one CSV: its lines are named as the sheets' rows; an
                # SP-API report's, as its records.
                error.args = (
                    spapi_json.in_json_records(in_sheet_rows(str(error), work_dir), work_dir),
                    *error.args[1:],
                )
                raise
            finally:
                WRITE_LOCK.release()
        finally:
            discard(received)


def _receiving(
    path: Path, checks: tuple[Utf8Check, LineEndings] | None, progress: LoadProgress
) -> Callable[[bytes], None]:
    """What sees each chunk of the upload as it is copied: the checks of its encoding and line endings, and the
    progress of the copy."""
    size = max(path.stat().st_size, 1)
    copied = 0
    progress.step("copying the file", 0.0)

    def watch(chunk: bytes) -> None:
        nonlocal copied
        if checks is not None:
            for check in checks:
                check.feed(chunk)
        copied += len(chunk)
        progress.step("copying the file", min(copied / size, 1.0))

    return watch


def _load_locked(
    con: duckdb.DuckDBPyConnection,
    name: str,
    received: Received,
    utf8_path: Path,
    layout: Layout,
    *,
    kind: str | None,
    mapping: dict[str, str] | None,
    period: tuple[date, date] | None,
    program: str | None,
    answers: Answers,
    unfamiliar: BrandCheck,
    encoding: str,
    converted: str | None,
    progress: LoadProgress,
    again: bool = False,
    name_brand_terms: bool = False,
) -> LoadResult:
    """`load_file`'s part under the write lock: the received file is read, checked and merged, or refused. `converted`
    says what reading a workbook or an SP-API report left to say (the sheet read, when not the first; records left
    out); `again`, to load a file loaded before whose rows a
    later load has given other figures (`load_file`)."""
    earlier = con.execute(
        "select load_id, kind, rows_added + rows_updated + rows_unchanged, period_start, period_end, raw_file "
        "from loads where sha256 = $s and undone_at is null order by load_id desc limit 1",
        {"s": received.sha256},
    ).fetchone()
    reloaded: list[str] = []
    if earlier is not None:
        load_id = int(earlier[0])
        # The same file again puts back a kept copy that went missing (a store moved without its files' folder).
        if not (raw_files_dir(con) / str(earlier[5])).exists():
            keep(con, received, Path(str(earlier[5])).suffix or ".dat")
        # Only a file whose rows took the period given at its load could be loaded for another one.
        given_before = earlier[3] is not None and _takes_a_given_period(con, layout, name, kind, mapping)
        stored = (earlier[3], earlier[4]) if given_before else None
        if period is not None and stored is not None and tuple(period) != stored:
            raise GivenPeriodError(
                f"{name}: this file is already loaded as load {load_id}, for {_days(stored)}. To load it for "
                f"{_days(period)} instead, undo load {load_id} first; nothing was changed."
            )
        replaced = replaced_since(con, KINDS[str(earlier[1])], load_id)
        if not replaced or not again:
            # The same file twice adds nothing: which of two downloads is the later one only the person can say,
            # told how far each runs.
            runs_to, replaced_by = replacing_loads(con, KINDS[str(earlier[1])], load_id) if replaced else (None, ())
            return LoadResult(
                name,
                str(earlier[1]),
                None,
                unchanged=int(earlier[2]),
                same_as=load_id,
                same_period=stored,
                replaced=replaced,
                runs_to=runs_to,
                replaced_by=replaced_by,
            )
        # Said to put its figures back (a newer download an older one was loaded after): loaded again, the newer
        # load's values win, as for any file.
        period = period or stored
        reloaded.append(
            f"loaded again: a later load had given {plural(replaced, 'row')} of load {load_id} other figures; this "
            "file's are back"
        )
        answers = replace(answers, older="put_back")
    kind, mapping, saved = _chosen_mapping(con, layout, kind, mapping)
    given = period
    period = period or period_from_titles(layout.title_lines)
    if period is None and kind in PERIOD_SUM_KINDS and mapping is not None and "date" not in mapping:
        # Matched by hand with no date column: a report of a period, whose rows take the period the person gives.
        raise PeriodNeededError(
            f"{name}: this {kind} file has no date column, so its rows sum up a period: give it with --period "
            "START:END, e.g. --period 2026-10-01:2026-10-31, or choose it on the Data page.",
            sums_a_period=True,
        )
    # A period kind's rows may take their period from the lines above the header or from the person loading.
    detection = detect(layout, name, kind, mapping, optional_required=(("date",) if period else ()) + PERIOD_COLUMNS)
    try:
        stated = stated_columns(detection.kind, layout.title_lines, detection, name, given)
    except PeriodNeededError:
        if unfamiliar.on == "ask":  # another brand's file is no question of periods: whose it is comes first
            _ask_whose_before_the_period(con, utf8_path, layout, detection, name, unfamiliar)
        if not any(column in detection.mapping for column in ("date", *PERIOD_COLUMNS)):
            _refuse_before_the_period(con, utf8_path, name, layout, detection, received, program)
        raise
    program = program_name(program)
    from_layout = program_of_layout(layout.header) if "program" in detection.kind.column_names else None
    program = program or from_layout
    # How the file was read, noted with the load (in the load log too) after what its rows say.
    read_notes = reloaded + (["saved column mapping reused"] if saved else [])
    if from_layout and program == from_layout and "program" not in detection.mapping:
        read_notes.append(f"program {program}, from the export's layout")
    if encoding != "utf-8":
        read_notes.append(f"read as {encoding}")
    if converted:
        read_notes.append(converted)
    if mapping and not saved:
        read_notes.append("column mapping saved for files with this header")
    progress.step("reading every row")
    # Before the transaction: a statement that fails inside one aborts it, and this read may fail harmlessly.
    read_plain = _read_plain(con, utf8_path, layout, detection, period, stated, program)
    progress.raise_if_cancelled()  # an interrupted read looks like a file to read the staged way
    # One transaction: a refused file changes nothing.
    try:
        result = in_transaction(
            con,
            partial(
                _stage_check_and_merge,
                con,
                utf8_path,
                name,
                layout,
                detection,
                period,
                received,
                stated,
                program=program,
                answers=answers,
                unfamiliar=unfamiliar,
                read_plain=read_plain,
                read_notes=read_notes,
                progress=progress,
                name_brand_terms=name_brand_terms,
            ),
        )
    finally:
        # A refused file's working tables outlive the rollback: they were made before it, or are temporary.
        _drop_work_tables(con)
    if mapping and not saved:
        save_mapping(con, layout, detection.kind.name, mapping)
    return result


def _ask_whose_before_the_period(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    detection: Detection,
    name: str,
    check: BrandCheck,
) -> None:
    """UnfamiliarFileError when the file's ASINs, read as text, are none of the brand's (`find_unfamiliar`): asked
    before the period a file without one needs, since the period of another brand's report is no question to put."""
    if "asin" not in detection.mapping:
        return
    cell = f"c{detection.mapping['asin']}"
    try:
        con.execute(
            f"create or replace temp table cl_staging as select upper(trim({cell})) as asin from {_read_text(layout)}",
            _read_parameters(path, layout),
        )
        found = find_unfamiliar(con, detection.kind, "cl_staging", check)
    except duckdb.Error:
        return  # a file the read refuses is refused with its line once its period is given
    finally:
        _drop_work_tables(con)
    if found is not None:
        raise UnfamiliarFileError(name, found)


class _CellsChecked(Exception):
    """Every cell and key of a file read for its checks alone has passed them (`_refuse_before_the_period`)."""


def _refuse_before_the_period(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    layout: Layout,
    detection: Detection,
    received: Received,
    program: str | None,
) -> None:
    """Refuse a file that needs its period given when it would be refused whatever the period: a cell that is no
    value, a repeated key, another currency than the brand's. Asked its period first, the person answered, then was
    told to mend the file. Its rows are read and checked under a stand-in period, changing nothing; a question
    another check would ask (its date order, say) waits until the period is given. Only for a file with no date or
    period column of its own (a Business Report), whose rows take the whole period given: a row's own last day
    would fall before the stand-in's first."""
    stand_in = (date.today(), date.today())
    try:
        stated = stated_columns(detection.kind, layout.title_lines, detection, name, stand_in)
        read_plain = _read_plain(con, path, layout, detection, stand_in, stated, program_name(program))
        _stage_check_and_merge(
            con, path, name, layout, detection, stand_in, received, stated, read_plain=read_plain, cells_only=True
        )
    except _CellsChecked:
        pass
    except FileRejectedError as refused:
        if type(refused) is FileRejectedError:  # a refusal, not a question
            raise
    finally:
        _drop_work_tables(con)


def _takes_a_given_period(
    con: duckdb.DuckDBPyConnection, layout: Layout, name: str, kind: str | None, mapping: dict[str, str] | None
) -> bool:
    """Whether the file's rows take their period from the person loading it: a period kind (a Business Report)
    whose columns and lines above the header state none. False for a file whose columns cannot be told."""
    kind, mapping, _ = _chosen_mapping(con, layout, kind, mapping)
    try:
        detection = detect(layout, name, kind, mapping, optional_required=("date", *PERIOD_COLUMNS))
    except FileRejectedError:
        return False
    own = any(column in detection.mapping for column in ("date", *PERIOD_COLUMNS))
    titled = stated_facts(layout.title_lines).period or period_from_titles(layout.title_lines)
    return is_period_kind(detection.kind) and not own and titled is None


def _plain_columns(con: duckdb.DuckDBPyConnection, kind: Kind, detection: Detection) -> set[str]:
    """The mapped columns whose every cell is empty or read by its type's plain cast (`parsing.plain`)."""
    candidates = [c for c in kind.columns if c.name in detection.mapping and parsing.plain("x", c.type)]
    if not candidates:
        return set()
    checks = []
    for column in candidates:
        raw = f"c{detection.mapping[column.name]}"
        checks.append(f"bool_and({raw} is null or ({parsing.plain(raw, column.type)}) is not null)")
    row = con.execute(f"select {', '.join(checks)} from cl_staging").fetchone()
    assert row is not None
    return {column.name for column, all_plain in zip(candidates, row, strict=True) if all_plain}


# A rate's header in words: Amazon's API writes the Buy Box as "Percentage" with 87.5 for 87.5 %, as Brand Analytics
# puts a % in its headers over plain numbers.
_PERCENT_WORD = re.compile(r"\bpercent(age)?\b", re.IGNORECASE)


def percent_header(header: str) -> str | None:
    """How a rate column's header says its numbers are percents: "sign", a % (every number is a percent: Brand
    Analytics' 10.84 under "% Share"); "word", the word percent or percentage (a number over 1 is a percent, as
    the API's Buy Box of 87.5; a fraction such as 0.875 stays one); None when it does not."""
    if "%" in header:
        return "sign"
    return "word" if _PERCENT_WORD.search(header) else None


def _conversion(
    layout: Layout,
    detection: Detection,
    period: tuple[date, date] | None,
    stated: StatedColumns,
    program: str | None,
) -> tuple[bool, dict[str, str], dict[str, object]]:
    """What `_typed_rows_sql` needs besides the columns: whether the rows take the period's first day as their date,
    the rate columns read in percent (`percent_header`, by column), and the query's parameters."""
    kind = detection.kind
    has_period = period is not None and "date" not in detection.mapping and "date" in kind.column_names
    headers = {c.name: layout.header[detection.mapping[c.name]] for c in kind.columns if c.name in detection.mapping}
    percent = {
        c.name: said
        for c in kind.columns
        if c.type == "rate" and c.name in headers and (said := percent_header(headers[c.name])) is not None
    }
    parameters = (
        ({"period_start": period[0]} if has_period and period else {})
        | stated.parameters
        | default_parameters(kind, program)
    )
    return has_period, percent, parameters


def _read_plain(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    detection: Detection,
    period: tuple[date, date] | None,
    stated: StatedColumns | None,
    program: str | None,
) -> bool:
    """Convert the file straight into cl_typed in one pass, reading every date, number and rank column by its
    type's plain cast (`parsing.plain`); whether that held for every cell and every row passed every check.

    Most files are machine-written and pass: they skip the staged copy of their text and the passes over it. When
    not (a row the CSV reader rejects, a cell the plain cast cannot read, any other bad value), cl_typed is dropped
    and the file goes the staged way, where every rule applies and a bad cell is named with its line: a cell that
    reads plain gives the same value both ways. The rows are left unnumbered (`_typed_rows_sql`): a file repeating a
    key is numbered the staged way (`_reject_duplicate_keys`), to name the lines, or for ranks to tell a keyword's
    readings in one day apart. A file separated by semicolons goes the staged way at once: unless its cells show
    otherwise, its numbers carry a decimal comma (`notation`), which the plain casts do not read.
    """
    if layout.delimiter == ";":
        return False
    kind = detection.kind
    stated = stated or StatedColumns()
    has_period, percent, parameters = _conversion(layout, detection, period, stated, program)
    plain = {c.name for c in kind.columns if c.name in detection.mapping and parsing.plain("x", c.type)}
    _drop_work_tables(con)
    try:
        con.execute(
            "create temp table cl_typed as "
            + _typed_rows_sql(
                kind, detection, len(layout.header), Notation(), has_period, plain, stated, percent, _read_text(layout)
            ),
            parameters | _read_parameters(path, layout),
        )
        row = con.execute(
            "select (select count(*) from cl_rejects), count(*), count(*) filter (where problem is not null) "
            "from cl_typed"
        ).fetchone()
    except duckdb.Error:
        row = None
    if row is not None and row[0] == 0 and row[1] > 0 and row[2] == 0:
        return True
    _drop_work_tables(con)
    return False


def _percent_words_unsaid(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    detection: Detection,
    percent: Mapping[str, str],
    staged: bool,
) -> set[str]:
    """The rate columns whose header says percent in words (`percent_header`) that need no note of it: every filled
    cell ends in its own % sign (Amazon's Business Report writes "93.75%"), or none holds a number over 1 (a
    workbook's percent cells, saved as 0.9375), so the rule for numbers over 1 never applied. Read from the staged
    text, or from the file when it was read plain: only such columns cost the second read, and they come in the
    small sales files."""
    words = [column for column, said in sorted(percent.items()) if said == "word"]
    if not words:
        return set()
    cells = [f"trim(c{detection.mapping[column]})" for column in words]
    counts = ", ".join(
        f"count(*) filter (where {cell} <> '' and not ends_with({cell}, '%')), "
        f"count(*) filter (where try_cast(replace({cell}, ',', '') as double) > 1)"
        for cell in cells
    )
    source, parameters = ("cl_staging", {}) if staged else (_read_text(layout), _read_parameters(path, layout))
    row = con.execute(f"select {counts} from {source}", parameters).fetchone() or ()
    return {
        column for n, column in enumerate(words) if len(row) > 2 * n + 1 and (row[2 * n] == 0 or row[2 * n + 1] == 0)
    }


def _typed_rows_sql(
    kind: Kind,
    detection: Detection,
    width: int,
    notation: Notation,
    has_period: bool,
    plain: set[str],
    stated: StatedColumns | None = None,
    percent: Mapping[str, str] | None = None,
    source: str = "cl_staging",
) -> str:
    """The staging table's text (`width` columns) converted to the contract's types, with each row's first problem.

    One CTE per parsing step (see parsing.py), so every cell is trimmed, cleaned, parsed and narrowed exactly once.
    A `plain` column skips cleaning and takes its type's plain cast, which gives the rule's own values; the others
    are read as the file's `notation` writes them.
    `stated` fills the columns the rows lack (`report_periods`); `percent` says how a rate column's header says it is
    in percent (`percent_header`).
    `source` is the staging table, or a `read_csv` of the file's text, whose rows are left unnumbered (`_read_plain`).
    Rows with every cell empty are left out (`_blank_row`).
    """
    stated = stated or StatedColumns()
    mapped = [c for c in kind.columns if c.name in detection.mapping]
    trimmed, cleaned, parsed = [], [], []
    for column in mapped:
        raw, spaced, text = f"c{detection.mapping[column.name]}", ident("r_" + column.name), ident("t_" + column.name)
        if column.name in plain:
            trimmed.append(f"{raw} as {spaced}")
            cleaned.append(f"{spaced} as {text}")
            parsed.append(f"{parsing.plain(text, column.type)} as {ident('p_' + column.name)}")
        else:
            # `parsing.clean` in its two steps, so that each cell is trimmed once, not once per use of the result.
            trimmed.append(f"{parsing.trimmed(raw)} as {spaced}")
            cleaned.append(f"{parsing.unmarked(spaced, column.type)} as {text}")
            day_first, comma = column.name in notation.day_first, notation.decimal_comma
            said = (percent or {}).get(column.name)
            rule = (
                parsing.percent_rate(text, comma)
                if said == "sign"
                else parsing.percent_or_fraction(text, comma)
                if said == "word"
                else parsing.parse(text, column.type, day_first, comma)
            )
            parsed.append(f"{rule} as {ident('p_' + column.name)}")
    finished = [f"{parsing.finish(ident('p_' + c.name), c.type)} as {ident('v_' + c.name)}" for c in mapped]
    # The products' titles ride along as text, unchecked: they name products, they are not data (`record_titles`).
    titled = detection.title is not None
    if titled:
        trimmed.append(f"{parsing.trimmed(f'c{detection.title}')} as r_title")
        cleaned.append(f"{parsing.unmarked('r_title', 'text')} as {TITLE_COLUMN}")
    carried = f", {TITLE_COLUMN}" if titled else ""
    outputs = []
    for column in kind.columns:
        if column.name in detection.mapping:
            value = ident("v_" + column.name)
            if defaulted(kind, column):
                value = f"coalesce({value}, ${default_parameter(column)})"
            outputs.append(f"{value} as {ident(column.name)}")
        elif defaulted(kind, column):
            outputs.append(f"cast(${default_parameter(column)} as {column.sql_type}) as {ident(column.name)}")
        elif column.name == "date" and has_period:
            outputs.append(f"$period_start as {ident(column.name)}")
        elif column.name in stated.fills:
            outputs.append(f"cast({stated.fills[column.name]} as {column.sql_type}) as {ident(column.name)}")
        else:
            outputs.append(f"cast(null as {column.sql_type}) as {ident(column.name)}")
    # Ranks keep the time of day of each reading, so the day's latest one can win.
    timed = kind.name == "ranks" and "date" in detection.mapping
    reading_time = ident("p_date") if timed else "cast(null as timestamp)"
    cases = []
    for column in mapped:
        text, value = ident("t_" + column.name), ident("v_" + column.name)
        cases.append(f"when {text} is not null and {value} is null then 'unparseable:{column.name}'")
        if column.required and column.type != "rank":
            cases.append(f"when {text} is null then 'missing:{column.name}'")
        if column.type == "count" and not column.signed:
            returned = column.returned_with
            unless = f" and not {ident('v_' + returned)} < 0" if returned in detection.mapping else ""
            cases.append(f"when {value} < 0{unless} then 'negative:{column.name}'")
        if column.type == "rate":
            # A commission, Buy Box or repeat share is at most the whole: 10 under "Bonus Rate" means 10 %, not 1,000.
            cases.append(f"when {value} > 1 then 'over_whole:{column.name}'")
        if column.type == "asin":
            cases.append(f"when not regexp_full_match({value}, '[A-Z0-9]{{10}}') then 'asin:{column.name}'")
        if column.part_of is not None and column.part_of in detection.mapping:
            cases.append(f"when {value} > {ident('v_' + column.part_of)} then 'over_part:{column.name}'")
        if column.name in OBSERVED_DATES.get(kind.name, ()):
            cases.append(
                f"when {value} < make_date({EARLIEST_PLAUSIBLE_YEAR}, 1, 1) or {value} > current_date + 1 "
                f"then 'implausible:{column.name}'"
            )
    if stated.check:
        cases.append(stated.check)
    if kind.span is not None and all(column in detection.mapping for column in kind.span):
        first, last = (ident("v_" + column) for column in kind.span)
        cases.append(f"when {first} > {last} then 'period:{kind.span[1]}'")
    problem = f"case {' '.join(cases)} end" if cases else "cast(null as varchar)"
    # A record's number counts the file's rows from 0, in their order in the file. Read straight from the file, the
    # rows leave it empty: numbering them there (row_number) would run the whole conversion on one thread.
    rec = "rowid - (select min(rowid) from cl_staging)" if source == "cl_staging" else "cast(null as bigint)"
    return f"""
        with
        trimmed as (
            select {rec} as rec, {", ".join(trimmed) or "1 as _none"}
            from {source}
            where not ({_blank_row(width)})
        ),
        cleaned as (
            select rec, {", ".join(cleaned) or "1 as _none"}
            from trimmed
        ),
        parsed as (
            select *, {", ".join(parsed) or "1 as _parsed"} from cleaned
        ),
        finished as (
            select *, {", ".join(finished) or "1 as _finished"} from parsed
        ),
        final as (
            select rec, {", ".join(outputs)}, {reading_time} as reading_time, {problem} as problem{carried}
            from finished
        )
        select * from final
    """


def _blank_row(width: int) -> str:
    """Whether a row of the file's text has every cell empty: a spreadsheet saves its empty rows under the data as
    ",,,,,", which hold no more than a blank line, and are skipped as blank lines are. (An empty cell reads as null;
    the first cell is nearly always filled, so the test stops there.)"""
    return " and ".join(f"c{i} is null" for i in range(width))


TOTALS_HINT = " It looks like a totals row: delete it (the rows are added up here) and upload again."
SUBTOTALS_HINT = (
    " It looks like a subtotal row, as Excel's Subtotal command adds under each group: remove the subtotals (Data > "
    "Subtotal > Remove All) or delete those rows, and upload again; the rows are added up here."
)
DECIMAL_COMMA_HINT = (
    " It is written the European way (12,50, or 1.000 for a thousand), where the file's other numbers have a "
    "decimal point (12.50): write the file's numbers one way and upload it again."
)
HEADER_HINT = (
    " The line repeats the header: two exports pasted into one file? Delete the line, or upload the exports one by one."
)
# Excel's number for a day (46327 is Nov 1, 2026), which a date column shows once its cells lose their date format.
EXCEL_DAY_NUMBER = re.compile(r"[1-9][0-9]{4}(\.[0-9]+)?")
EXCEL_DAY_HINT = (
    " It looks like Excel's number for a day: format the column as a date in Excel (Format Cells > Date), save the "
    "file and upload it again."
)


def _problem_sentence(
    name: str,
    line: int,
    header: str,
    problem: str,
    raw: str | None,
    column_type: str,
    totals: str = "",
    read_with_point: bool = False,
    whole: tuple[str, str] | None = None,
) -> str:
    """The sentence naming a refused cell; `totals`: the hint for a row with numbers and no date or name, as a SUM row
    or a group's subtotal has (TOTALS_HINT, SUBTOTALS_HINT);
    `read_with_point`: it is a number in a file read with a decimal point; `whole`: the header and cell of the count
    a part (`Column.part_of`) exceeds."""
    shown = (raw or "").replace("\ufeff", "").strip()  # a second file's byte-order mark, pasted in with its header
    # Two exports pasted into one file: the second's header is a row whose cells are the column names.
    repeats_header = shown.casefold() == header.replace("\ufeff", "").strip().casefold()
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    where = f"{name}, line {line}, column '{header}'"
    if problem == "unparseable":
        sentence = f"{where}: '{shown}' is not {TYPE_PHRASES[column_type]}."
        if TOTALS_ROW.fullmatch(shown):
            sentence += TOTALS_HINT
        elif column_type == "date" and EXCEL_DAY_NUMBER.fullmatch(shown):
            sentence += EXCEL_DAY_HINT
        elif read_with_point and parsing.written_with_decimal_comma(shown, column_type):
            sentence += DECIMAL_COMMA_HINT
        elif repeats_header:
            sentence += HEADER_HINT
        return sentence
    if problem == "missing":
        # "N/A" or a dash stands for no value: said as written, since the cell the user opens is not empty.
        said = f"'{shown}' stands for no value" if shown else "the value is empty"
        return f"{where}: {said}, and every row needs one." + totals
    if problem == "negative" and whole is not None:
        return (
            f"{where}: '{shown}' is negative while the row's '{whole[0]}' ({whole[1]}) is not; only a return's row, "
            f"whose '{whole[0]}' is below zero too, counts below zero."
        )
    if problem == "negative":
        return f"{where}: '{shown}' is negative; counts cannot be below zero."
    if problem == "over_whole":
        return (
            f"{where}: '{shown}' reads as more than 100 %, which a rate cannot be. Write a rate as a percent with its "
            "sign (10%) or as a fraction (0.10), and upload the file again."
        )
    if problem == "over_part" and whole is not None:
        return (
            f"{where}: '{shown}' is more than the row's '{whole[0]}' ({whole[1]}), of which it counts a part; check "
            "that each column is matched to its own header."
        )
    if problem == "period":
        ends = f" ('{shown}')" if shown else ""
        return f"{where}: the row's period ends{ends} before it starts."
    if problem == "implausible":
        return (
            f"{where}: '{shown}' is before {EARLIEST_PLAUSIBLE_YEAR} or after tomorrow; a day of clicks, orders or "
            "rank readings cannot be. Check the date's format or the export."
        )
    return f"{where}: '{shown}' is not an ASIN (10 letters and digits, like B0C1234567)." + (
        HEADER_HINT if repeats_header else TOTALS_HINT if TOTALS_ROW.fullmatch(shown) else ""
    )


def _read_text(layout: Layout) -> str:
    """The file's rows below the header as text columns c0, c1, …; rows it cannot read go to table cl_rejects.

    Takes the parameters `_read_parameters` gives.
    """
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(layout.header))) + "}"
    return f"""read_csv(
        $path, columns = {columns}, header = false, skip = $skip, delim = $delim,
        quote = '"', escape = '"', auto_detect = false, strict_mode = true,
        store_rejects = true, rejects_table = 'cl_rejects', rejects_scan = 'cl_reject_scans'
    )"""


def _read_parameters(path: Path, layout: Layout) -> dict[str, object]:
    return {"path": str(path), "skip": layout.header_line, "delim": layout.delimiter}


def _stage(con: duckdb.DuckDBPyConnection, path: Path, name: str, layout: Layout) -> int:
    for table in ("cl_staging", "cl_rejects", "cl_reject_scans"):
        con.execute(f"drop table if exists {table}")
    try:
        con.execute(
            f"create temp table cl_staging as select * from {_read_text(layout)}", _read_parameters(path, layout)
        )
    except duckdb.Error as error:
        raise csv_read_refusal(name, error) from None
    # A row of separators alone (",,," under a spreadsheet's data) is a blank row, skipped as full-width ones are,
    # whatever its number of cells.
    reject = con.execute(
        """
        select line, error_type, error_message, csv_line
        from cl_rejects
        where not (
            error_type in ('TOO MANY COLUMNS', 'MISSING COLUMNS')
            and trim(replace(coalesce(csv_line, ''), $delim, ''), e' \t\r\n') = ''
        )
        order by line
        limit 1
        """,
        {"delim": layout.delimiter},
    ).fetchone()
    if reject is not None:
        line, error_type, message, text = reject
        expected = len(layout.header)
        cut_off = error_type in ("MISSING COLUMNS", "UNQUOTED VALUE") and bool(text) and _ends_inside(path, text)
        if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            # The row's own cells: DuckDB's "Found" is where it stopped reading, one past the header's count.
            # The line as DuckDB keeps it may carry a line break of a CRLF file at either end, which csv reads as a
            # cell's unquoted newline.
            cells = next(csv.reader([text.strip("\r\n")], delimiter=layout.delimiter), None) if text else None
            count = len(cells) if cells else None
            problem = (
                f"has {'a different number of cells' if count is None else plural(count, 'cell')} where the header "
                f"has {expected}"
            )
            if count == 1 and expected > 1 and not cut_off:  # a sentence typed under the table, or a report's footer
                problem += "; if it is a note under the data, delete it and upload the file again"
        elif error_type == "UNQUOTED VALUE":
            problem = "has a quote that is never closed"
        elif error_type == "INVALID ENCODING":
            problem = "holds bytes that are not text"
        elif error_type == "LINE SIZE OVER MAXIMUM":
            problem = (
                f"is longer than the {LONGEST_LINE} a report line can have; check that this is the CSV export itself"
            )
        else:
            problem = message.split("\n")[0]
        if cut_off:
            problem += ", and the file ends inside it: the download was cut off, so download the report again"
        raise FileRejectedError(f"{name}, line {line}: the row {problem}.")
    row = con.execute(f"select count(*) from cl_staging where not ({_blank_row(len(layout.header))})").fetchone()
    rows = int(row[0]) if row else 0
    if rows == 0:
        raise FileRejectedError(f"{name}: the file has a header (line {layout.header_line}) but no rows below it.")
    return rows


def _ends_inside(path: Path, line: str) -> bool:
    """Whether the file's last bytes are the row `line` with no line break after it: a download that stopped part
    way through a row (a report saved as it arrived, a dropped connection). A file whose every row is whole may
    lack its last line break too; this asks about a row the reader refused."""
    tail = line.strip("\r\n").encode("utf-8")
    size = path.stat().st_size
    if not tail or size < len(tail):
        return False
    with path.open("rb") as file:
        file.seek(size - len(tail))
        return file.read() == tail


def _stage_check_and_merge(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    layout: Layout,
    detection: Detection,
    period: tuple[date, date] | None,
    received: Received,
    stated: StatedColumns | None = None,
    program: str | None = None,
    answers: Answers = ASK_NOTHING,
    unfamiliar: BrandCheck = LOAD_ANY_BRANDS,
    read_plain: bool = False,
    read_notes: Sequence[str] = (),
    progress: LoadProgress | None = None,
    name_brand_terms: bool = False,
    cells_only: bool = False,
) -> LoadResult:
    """Read the file into staging, convert and check every cell and key, then merge the rows into the store; with
    `cells_only`, raise _CellsChecked once the cells, keys and currency pass, having changed nothing but work tables.

    `read_notes` say how the file was read (its encoding, sheet, mapping), last among the load's notes.
    `read_plain`: `_read_plain` has already converted every row into cl_typed, with no bad value. Stops before
    anything changes on a question `answers` or `unfamiliar` say to ask (an OverlapError, an OlderDownloadError, a
    MissingRowsError, an UnfamiliarFileError; see `load_file`).
    """
    kind = detection.kind
    notes: list[str] = list(detection.notes)
    stated = stated or StatedColumns()
    progress = progress or LoadProgress()
    has_period, percent, parameters = _conversion(layout, detection, period, stated, program)

    def convert_staged(notes: list[str]) -> Notation:
        _stage(con, path, name, layout)
        plain = _plain_columns(con, kind, detection)
        notation = read_notation(
            con, detection, layout.delimiter, plain, layout.header, brand_order=brand_date_order(con, layout.signature)
        )
        notes += notation.notes
        if notation.decimal_comma:  # a plain cast reads 1.234 as one and a bit, not a thousand
            plain = {c for c in plain if kind.column(c).type not in DECIMAL_TYPES}
        con.execute(
            "create or replace temp table cl_typed as "
            + _typed_rows_sql(kind, detection, len(layout.header), notation, has_period, plain, stated, percent),
            parameters,
        )
        if "program" in detection.mapping:
            normalise_programs(con, "cl_typed")
        return notation

    written_in, notation = None, None
    if not read_plain:  # a cell showing its currency is never read plain
        notation = convert_staged(notes)
        notes += _leave_out_totals_row(con, path, layout, detection)
        _reject_bad_values(con, path, name, layout, detection, notation)
        written_in = staged_currency(con, path, name, layout, detection)
    elif "program" in detection.mapping:
        normalise_programs(con, "cl_typed")
    has_amounts = any(c.type == "money" and c.name in detection.mapping for c in kind.columns)
    if has_amounts:  # a file of no amounts is in no currency, whatever the lines above its header say
        written_in = file_currency(name, written_in, stated_currency(name, layout))
    progress.step("checking every key")
    # Named by the file's own header, which the person knows the column by. Under a header saying percent in words,
    # the note is left out where the rule for bare numbers over 1 never applied.
    unsaid = _percent_words_unsaid(con, path, layout, detection, percent, staged=not read_plain)
    notes += [
        f"'{layout.header[detection.mapping[column]]}' read in percent, as the % in its header says "
        "(a cell of 10.84 is 10.84 %)"
        if said == "sign"
        else f"'{layout.header[detection.mapping[column]]}' read in percent where over 1, as its header says percent "
        "(87.5 = 87.5 %, 0.875 = 87.5 %)"
        for column, said in sorted(percent.items())
        if column not in unsaid
    ]
    carried = set(detection.mapping)
    # A catalog carrying rates and effective dates may list an ASIN once per date: its rate history.
    dated = kind.name == "products" and bool(carried & set(RATE_COLUMNS))
    key = (*kind.key, "effective_date") if dated and "effective_date" in carried else None
    # The plain read leaves its rows unnumbered: a file that repeats a key is read the staged way to name the lines.
    renumber = partial(convert_staged, []) if read_plain else None
    rows = _reject_duplicate_keys(con, path, name, layout, detection, key, renumber, notes)
    if kind.partial:
        complete_partial_rows(con, kind, rows, carried if dated else carried - {"effective_date"})
    if dated:
        date_rates(con, rows, carried, datetime.now(UTC).date())
        rows = _newest_rates(con, rows, notes)
    currency = written_in.currency if written_in is not None else None
    if cells_only:
        if written_in is not None:
            refuse_another_currency(con, name, written_in)
        raise _CellsChecked
    if written_in is not None:
        keep_store_currency(con, name, written_in)
    # Said for amounts written bare too: they are read in the brand's currency.
    read_in = currency or store_currency(con)
    if read_in != DEFAULT_CURRENCY and has_amounts:
        notes.append(f"amounts in {read_in}")

    # The notes' amounts are in the brand's currency: this file's, if it is the first to show one.
    with amounts_in(store_currency(con)):
        # Asked first: the overlaps of another brand's file are no question to put to the person.
        on_unfamiliar = unfamiliar.on
        shares_little: Unfamiliar | None = find_unfamiliar(con, kind, rows, unfamiliar)
        if shares_little is None and kind.name == "search":  # no ASIN to tell by: the brand the report names
            report_brands, terms = _stated_brands(layout), brand_terms(con)
            shares_little = another_brand_named(report_brands, terms)
            if shares_little is None and not terms and unfamiliar.others is not None:
                # A brand with no terms yet would take the report's: asked when they are another brand's.
                shares_little = another_brands_report(report_brands, unfamiliar.others)
        if shares_little is not None and on_unfamiliar == "ask":
            raise UnfamiliarFileError(name, shares_little)
        # A file of a kind read by day that has no date column sums up its period.
        summed = period if "date" in kind.column_names and "date" not in detection.mapping else None
        overlap = find_overlap(con, kind, rows, summed)
        on_overlap, on_older, on_missing = answers.overlap, answers.older, answers.missing
        if overlap is not None and on_overlap == "stop":
            raise OverlapError(name, overlap)
        # A file summing a period restates no download's days: its rows stand on the period's first day.
        older = older_download_note(con, kind, rows) if summed is None else None
        if older is not None and on_older == "ask":
            raise OlderDownloadError(name, older)
        kept_newer = None
        if older is not None and on_older == "keep_newer":  # before the notes, which say what the load brings
            kept_newer, older = keep_newer_figures(con, kind, rows, older), None
        missing = find_missing(con, kind, rows) if summed is None else None
        if missing is not None and on_missing == "ask":
            raise MissingRowsError(name, missing)
        # Rows left out for a later download leave gaps in the days the file covers, which are no gaps of its own.
        arrived = arrival_notes(con, kind, rows, dates=not stated.one_period and kept_newer is None)
        sales = kind.name == "sales"
        cautions = (
            more_through_creators(con, rows) + before_the_creators_days(con, rows) + days_apart(con, rows)
            if sales
            else []
        )
        if kind.name == "ranks" and rows != "cl_typed":
            merged = con.execute(
                f"select (select count(*) from cl_typed) - (select count(*) from {ident(rows)})"
            ).fetchone()
            if merged and merged[0]:
                arrived.append(f"{plural(merged[0], 'same-day reading')} merged into the day's latest")
        if overlap is not None:
            arrived.append(overlap_note(overlap, on_overlap))
        if shares_little is not None:
            arrived.append(shares_little.note(confirmed=on_unfamiliar == "confirmed"))
        if kept_newer is not None:
            arrived.append(kept_newer)
        if missing is not None:  # kept unasked, a caution: the sales may count though Amazon dropped them
            (cautions if on_missing == "keep" else arrived).append(missing.note(on_missing))
        if older is not None and on_older == "put_back":
            arrived.append(older.facts)  # the person said which download is the later one: this
        elif older is not None:
            cautions.append(older.note)  # only the person loading knows which download is the later one
        absent = [
            c
            for c in kind.columns
            if c.name not in kind.key
            and c.name not in carried
            and c.name not in stated.fills
            and not defaulted(kind, c)
        ]
        emptied = emptied_columns_note(con, kind, rows, absent)
        if emptied:
            arrived.append(emptied)
        negative = negative_amounts_note(con, kind, rows)
        if negative:
            arrived.append(negative)
        # A kind read by day logs a period only for a file summing it up (`overlap.keep_period_sums` reads it so).
        logged = rows_period(con, rows) if is_period_kind(kind) else period if "date" not in detection.mapping else None
        displaced: tuple[str, ...] = (OVERLAP_TABLE,) if overlap is not None and on_overlap == "replace" else ()
        if missing is not None and on_missing == "drop":
            displaced += (MISSING_TABLE,)
        progress.step("writing the rows")
        kept_as = kept_name(received, _kept_suffix(name))
        result = _merge(con, kind, rows, name, received.sha256, kept_as, logged, displaced)
        if currency is not None and result.load_id is not None:
            note_currency_load(con, result.load_id)
        if notation is not None and notation.shown is not None and result.load_id is not None:
            note_date_order(con, result.load_id, notation.shown, layout.signature)
        if dated and result.load_id is not None:
            record_rates(con, "cl_typed", result.load_id)
        if kind.name == "search" and result.load_id is not None:
            arrived += _terms_from_the_brand_named(con, layout, name_brand_terms, result)
        if detection.title is not None and result.load_id is not None:
            titled = record_titles(con, kind, "cl_typed", result.load_id)
            if titled:  # after what the rows brought: the new ASINs it names
                them = "it" if len(titled) == 1 else "them"
                catalog = con.execute("select exists (select 1 from products)").fetchone() == (True,)
                why = f"your catalog has no title for {them}" if catalog else f"no catalog is loaded to name {them}"
                arrived.append(
                    f"{plural(len(titled), 'product')} named by '{layout.header[detection.title]}' "
                    f"({named(titled)}): {why}"
                )
        notes[:0] = cautions  # first: what to check, before what the load brought
        notes += stated.notes  # where the rows' dates would be said: it is their period
        if result.moved and not older:  # an older download's note says what it moves already
            notes.append(updated_totals_note(result.updated, result.moved, result.restated))
        notes += arrived
        if detection.ignored:
            # A report of two dozen columns a kind does not read (Search Query Performance) is named by its first few.
            shown = detection.ignored[:SHOWN_IGNORED]
            rest = len(detection.ignored) - len(shown)
            notes.append("ignored columns: " + ", ".join(shown) + (f" and {rest:,} more" if rest else ""))
        if period and "date" not in detection.mapping and "date" in kind.column_names:
            notes.append(f"no date column: rows stored on {period[0].isoformat()}, the first day of the period")
        notes += read_notes
        result.notes = notes
        result.cautions = cautions
        result.unfamiliar = None if shares_little is None else shares_little.described()
        con.execute(
            "update loads set notes = $n, cautions = $c where load_id = $id",
            {"n": "; ".join(notes), "c": "; ".join(cautions) or None, "id": result.load_id},
        )
        _drop_work_tables(con)
        progress.settle("saving")
        # Kept last, once nothing can refuse or cancel the load: a file that is not loaded leaves no copy behind. A
        # commit that fails after this leaves a kept file no load names, which is harmless.
        _keep_raw(con, received, name)
        return result


def _stated_brands(layout: Layout) -> list[str]:
    """The brands a report names above its header (a Search Query Performance Brand View's Brand=["Pawly"])."""
    stated = {key: value for _, facts in metadata(layout.title_lines) for key, value in facts.items()}.get("brand")
    return clean_terms((stated or "").split(","))


def _terms_from_the_brand_named(
    con: duckdb.DuckDBPyConnection, layout: Layout, set_them: bool, result: LoadResult
) -> list[str]:
    """A Search Query Performance Brand View names its brand above the header (Brand=["Pawly"]). A brand with no
    search terms yet takes that name as its terms when `set_them` (the Data page: its branded search shows from this
    first upload), and the note says so and how to change them; otherwise (a script's load) the note says they are
    not set, and `result.brand_named` holds the name for the caller to say how (the command line, with the store it
    acts on). Terms already set are the person's, and stay."""
    named = _stated_brands(layout)
    if not named or brand_terms(con):
        return []
    if not set_them:
        result.brand_named = tuple(named)
        return [f"the report names the brand {', '.join(named)}, not set as the brand's search terms"]
    write_terms(con, named)
    return [f"brand search terms set to {', '.join(named)}, the brand the report names: change them on the Data page"]


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in (
        "cl_staging",
        "cl_typed",
        "cl_final",
        "cl_rejects",
        "cl_reject_scans",
        OVERLAP_TABLE,
        MISSING_TABLE,
        LATER_REACH_TABLE,
        FILE_ASINS,
        FILE_CREATORS,
    ):
        con.execute(f"drop table if exists {table}")


def _reject_bad_values(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, layout: Layout, detection: Detection, notation: Notation
) -> None:
    bad = con.execute("select rec, problem from cl_typed where problem is not null order by rec limit 1").fetchone()
    if bad is None:
        return
    record, problem = int(bad[0]), str(bad[1])
    rule, column_name = problem.split(":", 1)
    position = detection.mapping[column_name]
    column = detection.kind.column(column_name)
    beside = column.part_of if rule == "over_part" else column.returned_with if rule == "negative" else None
    wholes = [position] + ([detection.mapping[beside]] if beside in detection.mapping else [])
    raw = con.execute(
        f"select {', '.join(f'c{n}' for n in wholes)} from cl_staging "
        "where rowid = (select min(rowid) from cl_staging) + $r",
        {"r": record},
    ).fetchone()
    line = record_line_numbers(path, layout, [record]).get(record, layout.header_line + record + 1)
    whole = (layout.header[wholes[1]], str(raw[1]).strip()) if raw and len(wholes) > 1 else None
    totals = (
        TOTALS_HINT
        if rule == "missing" and _numbers_without_names(con, record, detection)
        else SUBTOTALS_HINT
        if rule == "missing" and _numbers_without_names(con, record, detection, SUBTOTAL_ROW)
        else ""
    )
    read_with_point = not notation.decimal_comma and column.type in DECIMAL_TYPES
    raise FileRejectedError(
        _problem_sentence(
            name,
            line,
            layout.header[position],
            rule,
            raw[0] if raw else None,
            column.type,
            totals,
            read_with_point,
            whole,
        )
    )


def _leave_out_totals_row(
    con: duckdb.DuckDBPyConnection, path: Path, layout: Layout, detection: Detection
) -> list[str]:
    """Leave out the file's last row when it is a spreadsheet's SUM row (`_numbers_without_names`) whose every count
    and amount is the sum of the rows above it, and say so; nothing otherwise. A file saved again from Excel often
    ends in one, and loaded it would double every total; a row that only looks like one is refused as before, naming
    it. Rates are left unread: a totals row may give their average or nothing."""
    last = con.execute("select max(rec) from cl_typed").fetchone()
    if last is None or last[0] is None or last[0] == 0:
        return []
    record = int(last[0])
    flagged = con.execute("select problem is not null from cl_typed where rec = $r", {"r": record}).fetchone()
    if not (flagged and flagged[0]) or not _numbers_without_names(con, record, detection):
        return []
    summed = [
        (ident(c.name), detection.mapping[c.name])
        for c in detection.kind.columns
        if c.type in ("count", "money") and c.name in detection.mapping
    ]
    # Each column's total, where the row gives one, against the rows above: equal to the cent (amounts are added in
    # floating point, so within half a cent; a column blank above sums to 0, as a SUM formula writes it), and at
    # least one given. A cell that reads as no number (a broken formula's #REF!) is no sum of anything.
    checks = " and ".join(
        f"(nullif(trim(s.c{position}), '') is null or abs(t.{column} - "
        f"(select coalesce(sum({column}), 0) from cl_typed where rec <> $r)) < 0.005)"
        for column, position in summed
    )
    given = " or ".join(f"t.{column} is not null" for column, _ in summed)
    sums = con.execute(
        f"select ({checks}) and ({given}) from cl_typed as t, cl_staging as s "
        "where t.rec = $r and s.rowid = (select min(rowid) from cl_staging) + $r",
        {"r": record},
    ).fetchone()
    if not (sums and sums[0]):
        return []
    con.execute("delete from cl_typed where rec = $r", {"r": record})
    con.execute("delete from cl_staging where rowid = (select min(rowid) from cl_staging) + $r", {"r": record})
    line = record_line_numbers(path, layout, [record]).get(record, layout.header_line + record + 1)
    return [f"line {line} left out: a totals row, each of its figures the sum of the rows above"]


def _numbers_without_names(
    con: duckdb.DuckDBPyConnection, record: int, detection: Detection, label: re.Pattern[str] = TOTALS_ROW
) -> bool:
    """Whether staged row `record` has a number and, for a date, ASIN or other text, nothing or a total's `label`
    ("Grand Total" under Campaign): a spreadsheet's SUM row, or with SUBTOTAL_ROW a group's subtotal."""
    columns = [detection.kind.column(name) for name in detection.mapping]
    empty, given = "nullif(trim(c{}), '') is null", "nullif(trim(c{}), '') is not null"
    labelled = f"regexp_full_match(trim(c{{}}), '{label.pattern}', 'i')"
    names = [detection.mapping[c.name] for c in columns if c.type in ("date", "text", "asin")]
    numbers = [given.format(detection.mapping[c.name]) for c in columns if c.type in ("count", "money")]
    if not names or not numbers:
        return False
    blank = " and ".join(empty.format(n) for n in names)
    worded = " and ".join(f"({empty.format(n)} or {labelled.format(n)})" for n in names)
    found = con.execute(
        f"select (({blank}) or (({worded}) and ({' or '.join(labelled.format(n) for n in names)}))) "
        f"and ({' or '.join(numbers)}) from cl_staging "
        "where rowid = (select min(rowid) from cl_staging) + $r",
        {"r": record},
    ).fetchone()
    return bool(found and found[0])


def _reject_duplicate_keys(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    layout: Layout,
    detection: Detection,
    key: tuple[str, ...] | None = None,
    renumber: Callable[[], object] | None = None,
    notes: list[str] | None = None,
) -> str:
    """A key twice in one file is an error naming both lines, except same-day rank readings with a time and a
    catalog's rows that say the same (`_listed_once`, said in `notes`). `key` widens the kind's key within the file
    (a catalog's ASIN and effective date). `renumber` remakes cl_typed with record numbers, when it was made without
    them, before the repeated lines are worked out.

    Returns the table holding one row per key: the typed rows themselves, or for ranks the day's latest
    reading of each keyword.
    """
    kind = detection.kind
    key = key or kind.key
    keys = idents(key)
    timed = "bool_or(reading_time <> cast(reading_time as date))" if kind.name == "ranks" else "false"
    catalog = kind is KINDS["products"]
    # A listings report's rows are SKUs, not products: those that say the same of a product are one (`_listed_once`),
    # and its repeat is named by two rows that differ. Any other file repeating a key is refused, as SPEC has it.
    listing = catalog and _lists_skus(layout)
    source = (
        f"(select * from cl_typed qualify row_number() over (partition by {idents(kind.column_names)} "
        "order by rec) = 1)"
        if listing
        else "cl_typed"
    )
    repeated = f"from {source} group by {keys} having count(*) > 1 and not {timed}"
    # The cheap questions first: keys whose hashes all differ all differ (half the time of grouping by them), and
    # which lines repeat is only worked out for a file that is refused.
    unique = con.execute(f"select count(distinct hash({keys})) = count(*) from cl_typed").fetchone() == (True,)
    if unique:
        return "cl_typed"  # ranks too: one reading per keyword and day, none to choose between
    if renumber is not None:
        renumber()  # the lines name a repeated key's rows, or order a keyword's readings in one day
    if listing and _listed_once(con, kind, key, notes if notes is not None else []):
        return "cl_typed"
    if con.execute(f"select 1 {repeated} limit 1").fetchone() is not None:
        # Named by the file's own headers, with their values: the columns the load fills (a stated period, the
        # program) are the same in every row and tell the user nothing.
        shown = [c for c in key if c in detection.mapping] or list(key)
        duplicate = con.execute(
            f"select list(rec order by rec)[1:2], {idents(shown)} {repeated} order by min(rec) limit 1"
        ).fetchone()
        assert duplicate is not None
        first, second = (int(r) for r in duplicate[0])
        lines = record_line_numbers(path, layout, [first, second])
        headers = [layout.header[detection.mapping[c]] if c in detection.mapping else c for c in shown]
        values = ", ".join("blank" if v is None else str(v) for v in duplicate[1:])
        differ = _rows_differ(con, layout, detection, key, first, second) if catalog else ""
        if catalog:
            then = f": keep the row that is right{f' ({PER_SKU})' if _lists_skus(layout) else ''}."
        elif _a_sale_and_its_return(con, detection, first, second):
            then = (
                ". One is a return (revenue below zero): add it into the sale's row, as the report's rows of a day "
                "are net, and upload the file again."
            )
        else:
            then = "."
        raise FileRejectedError(
            f"{name}, lines {lines.get(first, first)} and {lines.get(second, second)}: both rows have the same "
            f"{in_words(headers)} ({values}){differ}; each may appear once in a file{then}"
        )
    if kind.name != "ranks":
        return "cl_typed"  # repeated hashes, distinct keys
    # The latest reading of the day wins; ties go to the later line.
    con.execute(
        f"""
        create or replace temp table cl_final as
        select * exclude (rec, reading_time, problem)
        from cl_typed
        qualify row_number() over (partition by {keys} order by reading_time desc nulls last, rec desc) = 1
        """
    )
    return "cl_final"


def _a_sale_and_its_return(con: duckdb.DuckDBPyConnection, detection: Detection, first: int, second: int) -> bool:
    """Whether rows `first` and `second` of cl_typed are a sale and a return (one's revenue above zero, the other's
    below): a return written on a line of its own beside its day's sale, where a file holds one net row per key."""
    if "revenue" not in detection.mapping:
        return False
    found = con.execute(
        "select min(revenue) < 0 and max(revenue) > 0 from cl_typed where rec in ($first, $second)",
        {"first": first, "second": second},
    ).fetchone()
    return found == (True,)


def _rows_differ(
    con: duckdb.DuckDBPyConnection, layout: Layout, detection: Detection, key: tuple[str, ...], first: int, second: int
) -> str:
    """How rows `first` and `second` of cl_typed differ, by the file's headers: " and differ in price ($39.99 and
    $31.50)"."""
    columns = [c for c in detection.kind.column_names if c in detection.mapping and c not in key]
    if not columns:
        return ""
    rows = con.execute(
        f"select {idents(columns)} from cl_typed where rec in ($first, $second) order by rec",
        {"first": first, "second": second},
    ).fetchall()
    if len(rows) != 2:
        return ""

    def shown_value(column: str, value: object) -> str:
        if value is None:
            return "blank"
        return amount(float(str(value))) if detection.kind.column(column).type == "money" else str(value)

    shown = [
        f"{layout.header[detection.mapping[column]]} ({shown_value(column, a)} and {shown_value(column, b)})"
        for column, a, b in zip(columns, rows[0], rows[1], strict=True)
        if a != b
    ]
    return f" and differ in {in_words(shown)}" if shown else ""


# Why a catalog downloaded from Seller Central (the All Listings Report) repeats a product.
PER_SKU = "a listings report has a row per SKU"


def _lists_skus(layout: Layout) -> bool:
    """Whether the file has a column of SKUs (`seller-sku`), as a listings report has."""
    return "sellersku" in map(normalise_header, layout.header)


def _listed_once(con: duckdb.DuckDBPyConnection, kind: Kind, key: tuple[str, ...], notes: list[str]) -> bool:
    """Keep once each product a listings report repeats in rows that agree in every column, and say so in `notes`;
    whether every repeat was such. Seller Central's All Listings Report has a row per SKU, and a product sold under
    two (one shipped by Amazon, one by the brand) appears twice, saying the same of it. Rows that differ (two prices)
    are left for `_reject_duplicate_keys` to refuse: which is the product's is the brand's to say. cl_typed must be
    numbered (its first row of each product is kept)."""
    keys, columns = idents(key), idents(kind.column_names)
    counts = con.execute(
        f"select (select count(*) from (select distinct {columns} from cl_typed)), count(distinct ({keys})), "
        f"min(asin) filter (where ({keys}) in (select ({keys}) from cl_typed group by {keys} having count(*) > 1)) "
        "from cl_typed"
    ).fetchone()
    if counts is None or counts[0] != counts[1]:
        return False
    repeated = con.execute(
        f"select count(*) from (select 1 from cl_typed group by {keys} having count(*) > 1)"
    ).fetchone()
    con.execute(
        f"create temp table cl_once as select * from cl_typed "
        f"qualify row_number() over (partition by {keys} order by rec) = 1"
    )
    con.execute("drop table cl_typed")
    con.execute("alter table cl_once rename to cl_typed")
    count = int(repeated[0]) if repeated else 0
    such = f"such as {counts[2]}: {PER_SKU}"
    notes.append(f"{plural(count, 'product')} listed in more than one row that say the same ({such}) kept once")
    return True


def _newest_rates(con: duckdb.DuckDBPyConnection, rows: str, notes: list[str]) -> str:
    """The catalog rows to keep as current: each ASIN's row with the latest effective date (table cl_final) when the
    file dates several rates of one ASIN, else `rows` itself. Every dated row goes to the rate history."""
    counts = con.execute(f"select count(*), count(distinct asin) from {ident(rows)}").fetchone()
    assert counts is not None
    if counts[0] == counts[1]:
        return rows
    con.execute(
        f"""
        create or replace temp table cl_final as
        select * exclude (rec, reading_time, problem)
        from {ident(rows)}
        qualify row_number() over (partition by asin order by effective_date desc) = 1
        """
    )
    notes.append(
        f"{counts[0]} dated rates of {counts[1]} ASINs kept in the rate history; the catalog shows each ASIN's latest"
    )
    return "cl_final"


def _merge(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    rows: str,
    name: str,
    sha256: str,
    kept_as: str,
    period: tuple[date, date] | None,
    displaced: tuple[str, ...] = (),
) -> LoadResult:
    """Log the load and put its rows in the current table, the versions they replace (same key) and the rows of the
    tables `displaced` (other keys: an overlap the user chose to replace, stored rows the file no longer holds that
    the user chose to drop) moving to the history."""
    table = ident(kind.table)
    values = [c for c in kind.column_names if c not in kind.key]
    same = " and ".join(f"t.{ident(c)} is not distinct from cur.{ident(c)}" for c in values) or "true"
    # Into an empty table every row is new: no join to count, nothing to replace (the first load of a year of data).
    empty = con.execute(f"select not exists (select 1 from {table})").fetchone() == (True,)
    measures = MONEY_TOTALS.get(kind.name, ())
    # What the updated rows move each money total by (their new values less those they replace), from the same join.
    moves = "".join(
        f", cast(sum(coalesce(t.{ident(m)}, 0) - coalesce(cur.{ident(m)}, 0)) filter "
        f"(where cur.load_id is not null and not ({same})) as double)"
        for m in measures
    )
    counts = (
        con.execute(f"select count(*), 0, 0, []{', 0' * len(measures)} from {ident(rows)}").fetchone()
        if empty
        else con.execute(
            f"""
            select
                count(*) filter (where cur.load_id is null),
                count(*) filter (where cur.load_id is not null and not ({same})),
                count(*) filter (where cur.load_id is not null and ({same})),
                list(distinct cur.load_id) filter (where cur.load_id is not null and not ({same})){moves}
            from {ident(rows)} as t
            left join {table} as cur on {keys_match("t", "cur", kind.key)}
            """
        ).fetchone()
    )
    assert counts is not None
    added, updated, unchanged = (int(c) for c in counts[:3])
    moved = {m: float(v or 0) for m, v in zip(measures, counts[4:], strict=True)} if updated else {}
    restated = tuple(
        (int(i), str(n))
        for i, n in con.execute(
            "select load_id, file_name from loads where list_contains($ids, load_id) order by load_id",
            {"ids": list(counts[3] or [])},
        ).fetchall()
    )
    row = con.execute(
        """
        insert into loads (file_name, sha256, kind, rows_added, rows_updated, rows_unchanged, raw_file,
                           period_start, period_end)
        values ($file, $sha, $kind, $added, $updated, $unchanged, $raw, $start, $end)
        returning load_id
        """,
        {
            "file": name,
            "sha": sha256,
            "kind": kind.name,
            "added": added,
            "updated": updated,
            "unchanged": unchanged,
            "raw": kept_as,
            "start": period[0] if period else None,
            "end": period[1] if period else None,
        },
    ).fetchone()
    assert row is not None
    load_id = int(row[0])
    if not empty:
        supersede_current(con, kind, rows)
    for table in displaced:
        displace_current(con, kind, table, load_id)
    insert_current(con, kind, rows, load_id)
    # A load that restates no stored row and displaces none only adds rows: the small tables take in those alone.
    record_data_change(con, kind, added=rows if not updated and not displaced else None)
    return LoadResult(name, kind.name, load_id, added, updated, unchanged, moved=moved, restated=restated)


@dataclass
class FileInspection:
    """What the importer makes of a file's header, for the column-mapping screen."""

    header: list[str]
    kind: str | None  # detected kind, or None when the columns do not identify one
    mapping: dict[str, str]  # canonical column -> header, as detected
    problem: str | None  # the sentence a load would fail with, if it would


def inspect_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    name: str,
    kind: str | None = None,
    progress: LoadProgress | None = None,
) -> FileInspection:
    """Read only the header of a file and say which kind and columns it maps to, without loading it. A workbook is
    read again in its worker, which `progress` may cancel."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="creatorlift-") as work:
        try:
            utf8_path, encoding = as_utf8(readable_copy(path, name, Path(work), progress), Path(work), name=name)
            layout = read_layout(utf8_path, name, encoding)
        except FileRejectedError as error:
            return FileInspection([], None, {}, str(error))
    saved = None if kind else _saved_mapping(con, layout)
    try:
        detection = detect(layout, name, saved[0] if saved else kind, saved[1] if saved else None)
    except ForeignLayoutError as error:
        # A layout refused by name: mapping its columns would only be refused again, so none are offered.
        return FileInspection([], None, {}, str(error))
    except FileRejectedError as error:
        return FileInspection(layout.header, kind, {}, str(error))
    mapping = {canonical: layout.header[i] for canonical, i in detection.mapping.items()}
    return FileInspection(layout.header, detection.kind.name, mapping, None)
