"""The command line: a thin layer over the same engine functions the app uses.

Its arguments are in `cli.arguments`; the commands that print tables or write the review are in `cli.reading`,
imported only when one runs, so that `load` starts without pandas or Plotly."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import shlex
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import duckdb

from analytics.amounts import amounts_in
from analytics.cli.arguments import TABLE_COMMANDS, UsageError, column_mapping, only_reads, parser
from analytics.ingest.currency import brand_currency, choose_currency, currency_named, store_currency
from analytics.ingest.importer import list_mappings
from analytics.ingest.layout import FileRejectedError, performance_first
from analytics.ingest.progress import LoadProgress
from analytics.ingest.unfamiliar import BrandQuestion
from analytics.present.pdf import PrintError
from analytics.present.report_period import ReportError
from analytics.present.static_images import ChartExportError
from analytics.store import changes
from analytics.store import database as store
from analytics.store.brand_terms import brand_terms, set_brand_terms
from analytics.store.changes import load_file, refresh_findings
from analytics.store.files import backup_with_files, missing_kept_files, remove_abandoned_copies
from analytics.store.workspaces import (
    WorkspaceError,
    as_held,
    create_workspace,
    find_workspace,
    list_workspaces,
    remove_workspace,
    restore_workspace,
)


def _workspaces(args: argparse.Namespace) -> int:
    """List the workspaces, make one, or remove or restore one; beside the store --db names, when given, as beside
    $CREATORLIFT_DB's."""
    if args.action in ("remove", "restore"):
        if not args.name:
            raise UsageError(f'name the workspace: workspaces {args.action} "Acme Nutrition"')
        if args.action == "remove":
            removed = remove_workspace(args.name, args.db)
            print(
                f"workspace {removed.name} ({removed.slug}) removed from the list; its data stays in {removed.path}. "
                f"Bring it back with: python3 -m analytics workspaces restore {removed.slug}"
            )
        else:
            restored = restore_workspace(args.name, args.db)
            print(f"workspace {restored.name} ({restored.slug}) restored: {restored.path}")
        return 0
    if args.action == "new":
        if not args.name:
            raise UsageError('name the new workspace: workspaces new "Acme Nutrition"')
        currency = currency_named(args.currency) if args.currency else None  # refused before the brand is made
        created = create_workspace(args.name, args.db, allowed_emails=tuple(args.allow))
        con = store.open_store(created.path)  # there, empty, for the commands that only read it
        try:
            if currency is not None:
                choose_currency(con, currency)  # an empty store: no findings to work out again
        finally:
            con.close()
        print(f"workspace {created.name} ({created.slug}) created: {created.path}")
        return 0
    from analytics.cli.reading import print_workspaces  # a table: pandas, only for this listing

    print_workspaces(args.db)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "sample":
        from tools.sample_data import write_sample

        if args.scale < 1:
            raise UsageError("--scale must be 1 or more")
        if args.seed < 0:
            raise UsageError("--seed must be 0 or more")
        if args.out.exists() and not args.out.is_dir():
            raise UsageError(f"--out {args.out} is a file; give a folder for the sample's CSVs")
        for kind, path in write_sample(args.out, seed=args.seed, scale=args.scale).items():
            print(f"{kind}: {path}")
        return 0
    if args.command == "workspaces":
        return _workspaces(args)
    if args.command == "report" and args.every_brand:
        from analytics.cli.reading import every_brands_review  # pandas and the review: only when one runs

        return every_brands_review(args)
    if args.db is not None and args.workspace is not None:
        raise UsageError("give --db or --workspace, not both")
    workspace = find_workspace(args.workspace) if args.workspace else None
    path = workspace.path if workspace is not None else (args.db or store.default_db_path())
    # A mistyped path would otherwise become a new, empty store, and a read of it an empty success.
    reads_only = only_reads(args)
    if workspace is not None and not reads_only:
        # A script's log says which brand each change went into: an agency's loop over a dozen can slip a step.
        print(f"workspace: {workspace.name} ({workspace.slug})", file=sys.stderr)
    if reads_only and not Path(path).exists():
        raise UsageError(f"no database at {path}: check the path, or load files into it first with: load FILE")
    logs = _log_beside(Path(path))
    try:
        # A read holds the store read-only: it works on read-only media, and beside other reads.
        con = store.open_store(path, read_only=reads_only)
        try:
            if not reads_only:  # a load killed mid-copy, here or in the app, left its half copy of the file behind
                remove_abandoned_copies(con, at_open=True)
            return _run_on_store(con, args)
        finally:
            con.close()
    finally:
        for handler in logs:
            logging.getLogger().removeHandler(handler)
            handler.close()


def _log_beside(path: Path) -> list[logging.Handler]:
    """Send warnings (the reader's own text behind a refusal's reference) to `<store name>.log` beside the store
    (creatorlift.log for creatorlift.duckdb), where the sentence on stderr can be followed up: stderr keeps to one
    sentence, with a line for an error the command survived (the review's findings not worked out) saying where its
    details are. Nothing is written where that folder is read-only."""
    if not os.access(path.parent if path.parent.exists() else Path.cwd(), os.W_OK):
        return []
    log = path.with_suffix(".log")
    kept = logging.FileHandler(log, encoding="utf-8", delay=True)
    kept.setLevel(logging.WARNING)
    kept.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    said = logging.StreamHandler(sys.stderr)
    said.setLevel(logging.ERROR)
    said.setFormatter(_FirstLine(log))
    for handler in (kept, said):
        logging.getLogger().addHandler(handler)
    return [kept, said]


class _FirstLine(logging.Formatter):
    """A record as one line on stderr, pointing at the log holding the rest."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log

    def format(self, record: logging.LogRecord) -> str:
        first = record.getMessage().splitlines()[0] if record.getMessage() else record.levelname
        return f"warning: {first} (details in {self.log})"


def _command_line_author() -> str:
    """Who the load log says made a change from the command line: the account running it."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no name for this account (a container's bare uid)
        return "the command line"


def _print_step(name: str, progress: LoadProgress) -> None:
    # A line per step as it starts: its share done would always read 0%.
    print(f"{name}: {progress.describe(share=False)}", file=sys.stderr, flush=True)


def _other_brands(default_store: Path | None, here: Path | None, ask: BrandQuestion) -> list[tuple[str, list[str]]]:
    """The other brands beside `default_store` whose answer to `ask` is not empty, with their answers
    (`unfamiliar.OtherBrands`): asked of every store but `here` that can be read now (never the demo's sample). A
    store the app holds open is passed over: it cannot be read from another process."""
    found = []
    for other in list_workspaces(default_store):
        if not other.path.exists() or (here is not None and other.path.resolve() == here.resolve()):
            continue
        try:
            con = store.open_store(other.path, read_only=True, upgrade=False)
        except store.StoreError:
            continue
        try:
            if other.is_default and changes.holds_only_the_sample(con):
                continue
            answer = ask(con)
        except duckdb.Error:  # a store of an older version, not upgraded until it is opened for writing
            continue
        finally:
            con.close()
        if answer:
            found.append((as_held(other, holds_sample=False).name, answer))
    return found


def _this_store(args: argparse.Namespace) -> str:
    """The options naming the store a command acted on, for a command it suggests: run as printed, it acts there too,
    not on the default store."""
    if args.workspace:
        return f" --workspace {shlex.quote(find_workspace(args.workspace).slug)}"
    return f" --db {shlex.quote(str(args.db))}" if args.db is not None else ""


def _run_on_store(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    # Amounts the command writes (a load's notes, an undo's totals, the campaigns' notes) in the brand's currency.
    with amounts_in(store_currency(con)):
        return _run_command(con, args)


def _run_command(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    if args.command == "load":
        failed = 0
        mapping = column_mapping(args.map)
        # Each file is compared with the brand's data as it stood before this command: a batch of another brand's
        # weeks would otherwise vouch for each other from the second file on.
        before = store.last_load_id(con)
        files = [args.files[i] for i in performance_first([(path, path.name) for path in args.files])]
        for path in files:
            try:
                if path.is_dir():
                    raise FileRejectedError(f"{path}: a folder; give the files in it, such as {path}/*.csv.")
                if not path.is_file():
                    raise FileRejectedError(f"{path}: no such file.")
                loaded = load_file(
                    con,
                    path,
                    path.name,
                    args.kind,
                    mapping,
                    args.period,
                    into_demo=args.into_demo,
                    program=args.program,
                    on_overlap=args.on_overlap,
                    by=_command_line_author(),
                    refresh=False,
                    progress=LoadProgress(partial(_print_step, path.name)) if args.progress else None,
                    brand_through=before,
                    again=args.again,
                    on_older=args.on_older,
                    on_missing=args.on_missing,
                    other_brands=partial(_other_brands, args.db, store.database_path(con)),
                )
                print(loaded.summary())
                if loaded.unfamiliar and loaded.load_id is not None:
                    # Loaded, as a script expects; said apart, where a script's owner reads what went wrong.
                    print(
                        f"warning: {path.name}: {loaded.unfamiliar}. If it is another brand's file, undo it with: "
                        f"python3 -m analytics{_this_store(args)} unload {loaded.load_id}",
                        file=sys.stderr,
                    )
                if loaded.brand_named:
                    named = " ".join(shlex.quote(term) for term in loaded.brand_named)
                    print(
                        f"note: {path.name} names the brand {', '.join(loaded.brand_named)}; to count its searches as "
                        f"branded: python3 -m analytics{_this_store(args)} brand-terms {named}",
                        file=sys.stderr,
                    )
            except FileRejectedError as error:
                failed += 1
                print(f"rejected: {error}", file=sys.stderr)
        # The review's findings once for the whole command, not after every file.
        refresh_findings(con)
        return 1 if failed else 0
    if args.command == "brand-terms":
        terms = set_brand_terms(con, args.terms) if args.terms else brand_terms(con)
        if terms:
            print("\n".join(terms))
        else:  # stdout is the terms, one a line, for a script: none is nothing there
            print("note: no brand terms set; set them with: brand-terms TERM [TERM ...]", file=sys.stderr)
        return 0
    if args.command == "currency":
        held = changes.set_brand_currency(con, args.currency) if args.currency else brand_currency(con)
        print(held.describe())
        return 0
    if args.command in TABLE_COMMANDS:
        from analytics.cli.reading import run_reading  # pandas, Plotly and every metric: only for these commands

        return run_reading(con, args)
    if args.command == "unload":
        from analytics.present.load_log import undo_confirmation

        # What the undo does, worked out before it as the Data page's question says it: finance checks the totals.
        preview = store.undo_preview(con, args.load_id)
        undone = changes.unload(con, args.load_id, by=_command_line_author())
        print(f"unloaded load {undone['id']} ({undone['kind']}, {undone['file']}): {undo_confirmation(preview)}")
        return 0
    if args.command == "mappings":
        for saved in list_mappings(con):
            pairs = ", ".join(f"{k}={v}" for k, v in saved["mapping"].items())
            print(f"{saved['kind']}: {pairs}  (header: {', '.join(saved['header'])})")
        return 0
    if args.command == "backup":
        if args.with_files:
            backup_with_files(con, args.path)
            print(f"backup written to {args.path}, kept files to {args.path.with_name(args.path.stem + '_files')}")
            missing = missing_kept_files(con)
            if missing:
                # Written all the same, but it does not hold what a full backup promises: the script should know.
                print(
                    f"warning: {len(missing)} loaded file(s) have no kept copy beside the database "
                    f"({', '.join(missing[:5])}{', …' if len(missing) > 5 else ''}), so the backup cannot rebuild "
                    "their rows.",
                    file=sys.stderr,
                )
                return 1
        else:
            store.backup(con, args.path)
            print(f"backup written to {args.path}")
        return 0
    raise UsageError(f"unknown command {args.command}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except (
        FileRejectedError,
        store.StoreError,
        UsageError,
        WorkspaceError,
        ReportError,
        ChartExportError,
        PrintError,
        ValueError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as error:  # the CLI's contract is one sentence, never a traceback
        # Ctrl-C during a query reaches Python as the query's own error, not as KeyboardInterrupt.
        if isinstance(error, duckdb.InterruptException) or "interrupted" in str(error).lower():
            return _interrupted()
        print(f"error: unexpected {type(error).__name__}: {error}", file=sys.stderr)
        return 3


def _interrupted() -> int:
    # Every change is one transaction: the file loading when Ctrl-C came is rolled back, earlier ones stay.
    print("interrupted: the change in progress was rolled back; files loaded before it stay.", file=sys.stderr)
    return 130


if __name__ == "__main__":
    sys.exit(main())
