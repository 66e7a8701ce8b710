"""The command line: a thin layer over the same engine functions the app uses."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import NoReturn

import duckdb
import pandas as pd

from analytics.contract.kinds import KINDS
from analytics.ingest.completion import program_name
from analytics.ingest.importer import list_mappings
from analytics.ingest.layout import FileRejectedError
from analytics.ingest.progress import LoadProgress
from analytics.metrics.commission_change import DIMENSIONS as CHANGE_DIMENSIONS
from analytics.metrics.commission_change import commission_change
from analytics.metrics.grouped import (
    DEFAULT_REPEAT_DAYS,
    DIMENSIONS,
    Scope,
    filter_values,
    grouped_metrics,
    grouped_metrics_sql,
    programs,
)
from analytics.metrics.health import program_health
from analytics.metrics.periods import COMPARISONS, DEFAULT_COMPARISON
from analytics.metrics.rank_lift import DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS, LEVELS, rank_lift
from analytics.metrics.sales import period_metrics, with_period_metrics
from analytics.metrics.sales_lift import SALES_LIFT_COLUMNS, sales_lift
from analytics.present.export import frame_to_csv, frame_to_json
from analytics.present.pdf import PAPERS, PrintError
from analytics.present.report import ReportError, weekly_report_html, weekly_report_pdf
from analytics.present.static_images import ChartExportError
from analytics.sql import sql_text
from analytics.store import changes
from analytics.store import database as store
from analytics.store.brand_terms import brand_terms, set_brand_terms
from analytics.store.changes import load_file, refresh_findings
from analytics.store.files import backup_with_files, missing_kept_files, remove_abandoned_copies
from analytics.store.workspaces import (
    DEMO_NAME,
    Workspace,
    WorkspaceError,
    as_held,
    create_workspace,
    find_workspace,
    list_workspaces,
)


class UsageError(Exception):
    pass


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None


# The longest window a day count may set: ten years, past any store's history, and within DuckDB's dates.
MAX_DAYS = 3650


def _repeat_days(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days from 1 to {MAX_DAYS}, like 90")
    return int(text)


def _days(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days from 0 to {MAX_DAYS}, like 28")
    return int(text)


def _period(text: str) -> tuple[date, date]:
    start, _, end = text.partition(":")
    if not end:
        raise argparse.ArgumentTypeError("give the period as START:END, e.g. 2026-03-01:2026-03-31")
    return _date(start), _date(end)


def _mapping(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping = {}
    for pair in pairs:
        canonical, sep, header = pair.partition("=")
        if not sep or not canonical or not header:
            raise UsageError(f'--map takes canonical=Header, e.g. orders="Purchases"; got {pair!r}')
        mapping[canonical.strip()] = header.strip()
    return mapping


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake reported as the command line's other errors are: one sentence, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message}; see: {self.prog} --help\n")


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog="python -m analytics", description="Creator Lift's engine on the command line.")
    main.add_argument(
        "--db", type=Path, default=None, help="database file (default: $CREATORLIFT_DB, then data/creatorlift.duckdb)"
    )
    main.add_argument(
        "--workspace", default=None, help="the brand's workspace, by name or id (default: the demo brand's store)"
    )
    commands = main.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load CSV files, each all or nothing")
    load.add_argument("files", nargs="+", type=Path)
    load.add_argument("--kind", choices=list(KINDS))
    load.add_argument("--map", action="append", metavar="CANONICAL=HEADER", help="map a column of the file; repeatable")
    load.add_argument(
        "--into-demo", action="store_true", help="load into the demo brand's store (the sample data) on purpose"
    )
    load.add_argument("--period", type=_period, metavar="START:END", help="period of a file with no date column")
    load.add_argument(
        "--progress", action="store_true", help="print each file's steps to stderr as it loads, with the time taken"
    )
    load.add_argument(
        "--program",
        metavar="NAME",
        help="program of performance rows whose file does not name one (archer, levanta, impact or your own name; "
        "default: creator_connections, or what the export's layout says)",
    )
    overlap = load.add_mutually_exclusive_group()
    overlap.add_argument(
        "--replace-overlap",
        dest="on_overlap",
        action="store_const",
        const="replace",
        default="stop",
        help="replace stored rows that the file's rows overlap under another campaign (unload brings them back)",
    )
    overlap.add_argument(
        "--keep-both",
        dest="on_overlap",
        action="store_const",
        const="keep_both",
        help="keep stored rows that the file's rows overlap under another campaign beside the new ones",
    )

    metrics = commands.add_parser("metrics", help="every metric, one row per group")
    metrics.add_argument("--by", required=True, help=f"comma-separated dimensions: {', '.join(DIMENSIONS)}")
    metrics.add_argument("--start", type=_date)
    metrics.add_argument("--end", type=_date)
    _add_filters(metrics)
    metrics.add_argument(
        "--repeat-days",
        type=_repeat_days,
        default=DEFAULT_REPEAT_DAYS,
        metavar="R",
        help=f"days after a customer's first order in which another counts as a repeat (default {DEFAULT_REPEAT_DAYS})",
    )
    metrics.add_argument("--format", choices=("csv", "json"), default="csv")
    metrics.add_argument(
        "--sql", action="store_true", help="print the SQL query the performance and customer metrics run, and stop"
    )

    lift = commands.add_parser("rank-lift", help="organic rank before vs after activation")
    lift.add_argument("--by", choices=LEVELS, default="asin")
    lift.add_argument("--window-days", type=_days, default=DEFAULT_WINDOW_DAYS)
    lift.add_argument("--lag-days", type=_days, default=DEFAULT_LAG_DAYS)
    lift.add_argument("--exclude-events", action="store_true", help="leave event days out of every rank window")
    lift.add_argument("--format", choices=("csv", "json"), default="csv")

    change = commands.add_parser("commission-change", help="commission share change between two periods, explained")
    change.add_argument("--by", required=True, help=f"comma-separated dimensions: {', '.join(CHANGE_DIMENSIONS)}")
    change.add_argument("--before", type=_period, required=True, metavar="START:END")
    change.add_argument("--after", type=_period, required=True, metavar="START:END")
    _add_filters(change)
    change.add_argument("--format", choices=("csv", "json"), default="csv")

    health = commands.add_parser("health", help="creators active, new and lapsed per week")
    health.add_argument("--by", choices=("week",), default="week")
    health.add_argument("--start", type=_date)
    health.add_argument("--end", type=_date)
    health.add_argument("--program", action="append", default=[])
    health.add_argument("--format", choices=("csv", "json"), default="csv")

    spaces = commands.add_parser("workspaces", help="list the workspaces, or create one with: workspaces new NAME")
    spaces.add_argument("action", nargs="?", choices=("list", "new"), default="list")
    spaces.add_argument("name", nargs="?", help="the new brand's name")
    spaces.add_argument("--allow", action="append", default=[], help="an address or @domain that may open it")

    terms = commands.add_parser("brand-terms", help="print the brand's search terms, or set them")
    terms.add_argument("terms", nargs="*", metavar="TERM", help="the terms to set (whole words, any case)")

    loads = commands.add_parser("loads", help="the load log as CSV: the loads in effect")
    loads.add_argument(
        "--all", action="store_true", help="every load ever made, undone ones too, with who made and undid them"
    )
    unload = commands.add_parser("unload", help="undo one load")
    unload.add_argument("load_id", type=int)
    commands.add_parser("mappings", help="saved column mappings")
    backup = commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("path", type=Path)
    backup.add_argument(
        "--with-files",
        action="store_true",
        help="also copy every kept upload into PATH's <name>_files folder, from which every table can be rebuilt",
    )

    report = commands.add_parser("report", help="the weekly review as one HTML or PDF file")
    report.add_argument(
        "--week", type=_date, default=None, help="the Sunday that starts the week (default: the last whole week)"
    )
    report.add_argument("--start", type=_date, default=None, help="first day of a custom period (with --end)")
    report.add_argument("--end", type=_date, default=None, help="last day of a custom period (with --start)")
    report.add_argument("--out", type=Path, required=True, help="the file to write: FILE.html or FILE.pdf")
    report.add_argument("--paper", choices=PAPERS, default="auto", help="PDF paper size (default: the printer's)")
    report.add_argument("--brand", default=None, help="the brand name on the report (default: the workspace's)")
    report.add_argument(
        "--compare",
        choices=tuple(COMPARISONS),
        default=DEFAULT_COMPARISON,
        help="compare with the period just before (default) or the same period a year earlier",
    )
    _add_filters(report)
    report.add_argument(
        "--repeat-days",
        type=_repeat_days,
        default=DEFAULT_REPEAT_DAYS,
        metavar="R",
        help=f"the repeat rates' window in days, as the app's Repeat window sets it (default {DEFAULT_REPEAT_DAYS})",
    )

    sample = commands.add_parser("sample", help="write the sample CSVs")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--scale", type=int, default=1)
    return main


def _print_frame(frame: pd.DataFrame, output_format: str) -> None:
    sys.stdout.write(
        frame_to_json(frame) + "\n" if output_format == "json" else frame_to_csv(frame, escape_formulas=False)
    )


def _workspaces(args: argparse.Namespace) -> int:
    if args.action == "new":
        if not args.name:
            raise UsageError('name the new workspace: workspaces new "Acme Nutrition"')
        created = create_workspace(args.name, allowed_emails=tuple(args.allow))
        store.open_store(created.path).close()  # there, empty, for the commands that only read it
        print(f"workspace {created.name} ({created.slug}) created: {created.path}")
        return 0
    rows = [
        {"workspace": w.slug, "name": w.name, "path": str(w.path), "allowed_emails": " ".join(w.allowed_emails)}
        for w in map(_as_held, list_workspaces())
    ]
    _print_frame(pd.DataFrame(rows, columns=["workspace", "name", "path", "allowed_emails"]), "csv")
    return 0


def _as_held(workspace: Workspace) -> Workspace:
    """The default store named as the app names it: the demo while it holds only the sample (or is not made yet, is
    open for writing elsewhere, or waits for an upgrade), else for its file."""
    if not workspace.is_default or not workspace.path.exists():
        return workspace
    try:
        con = store.open_store(workspace.path, read_only=True, upgrade=False)  # a listing writes nothing
    except store.StoreError:
        return workspace
    try:
        return as_held(workspace, changes.holds_only_the_sample(con))
    finally:
        con.close()


def _report(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise UsageError(f"--out must name an .html or .pdf file; got {args.out}")
    if (args.start is None) != (args.end is None):
        raise UsageError("give a custom period as both --start and --end")
    period = (args.start, args.end) if args.start is not None else None
    # Made before the review is worked out, as `backup` makes its folder: a missing one would fail only at the end.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    workspace = find_workspace(args.workspace) if args.workspace else None
    if args.brand:
        brand = args.brand
    elif workspace is not None and not workspace.is_default:
        brand = workspace.name
    else:
        # The default store, or a store given by path, named as the app names it: the demo while it holds only the
        # sample, else for its file (a brand's backup).
        stored = store.database_path(con)
        brand = DEMO_NAME if changes.holds_only_the_sample(con) or stored is None else stored.stem
    page = weekly_report_html(con, args.week, period, brand, _filters(args), args.compare, args.repeat_days)
    if suffix == ".pdf":
        args.out.write_bytes(weekly_report_pdf(page, args.paper))
    else:
        args.out.write_text(page, encoding="utf-8")
    print(f"report written to {args.out}")
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
    if args.db is not None and args.workspace is not None:
        raise UsageError("give --db or --workspace, not both")
    path = find_workspace(args.workspace).path if args.workspace else (args.db or store.default_db_path())
    # A mistyped path would otherwise become a new, empty store, and a read of it an empty success.
    only_reads = args.command in READ_COMMANDS and not (args.command == "brand-terms" and args.terms)
    if only_reads and not Path(path).exists():
        raise UsageError(f"no database at {path}: check the path, or load files into it first with: load FILE")
    logs = _log_beside(Path(path))
    try:
        # A read holds the store read-only: it works on read-only media, and beside other reads.
        con = store.open_store(path, read_only=only_reads)
        try:
            if not only_reads:  # a load killed mid-copy, here or in the app, left its half copy of the file behind
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


# The commands that only read a store (brand-terms without terms lists them; backup writes its copy elsewhere).
READ_COMMANDS = (
    "metrics",
    "rank-lift",
    "commission-change",
    "health",
    "loads",
    "mappings",
    "report",
    "brand-terms",
    "backup",
)


def _loosely(value: str) -> str:
    """A filter value as a person may mistype it: case, a leading @ and spaces around it aside."""
    return value.strip().casefold().lstrip("@")


def _add_filters(command: argparse.ArgumentParser) -> None:
    """The filters a command narrows its rows by, as the sidebar's: each repeatable, values as stored."""
    command.add_argument("--creator", action="append", default=[], help="this creator's rows; repeatable")
    command.add_argument("--asin", action="append", default=[], help="this ASIN's rows; repeatable")
    command.add_argument("--product-line", action="append", default=[], help="this product line's rows; repeatable")
    command.add_argument("--campaign", action="append", default=[], help="this campaign's rows; repeatable")
    command.add_argument("--program", action="append", default=[], help="performance rows of this program; repeatable")


def _filters(args: argparse.Namespace) -> Scope:
    """The filters of `_add_filters` as a scope without dates."""
    return Scope(
        creators=tuple(args.creator),
        asins=tuple(args.asin),
        product_lines=tuple(args.product_line),
        campaigns=tuple(args.campaign),
        programs=tuple(program_name(p) or p for p in args.program),
    )


def _warn_of_unmatched_filters(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> None:
    """Say on stderr which filter values match nothing in the store: a misspelt creator ("dealsbydana" for
    "@dealsbydana") would otherwise read as a creator without sales. Values are matched as written, case and all."""
    known = filter_values(con)
    asins = "select asin from activity union select asin from products union select asin from sales"
    known["asin"] = [row[0] for row in con.execute(asins).fetchall()]
    known["program"] = programs(con)
    # A line of the catalog may have sales rows without creator activity: it is a line all the same.
    known["product_line"] += [row[0] for row in con.execute("select distinct product_line from products").fetchall()]
    # A clean room's cohorts name creators and campaigns of their own, which its rows are filtered by.
    for column in ("creator", "campaign"):
        known[column] += [
            row[0]
            for row in con.execute(f"select distinct {column} from cohorts where {column} is not null").fetchall()
        ]
    given = {
        "creator": getattr(args, "creator", []),
        "campaign": getattr(args, "campaign", []),
        "product_line": getattr(args, "product_line", []),
        "asin": getattr(args, "asin", []),
        "program": [program_name(p) or p for p in getattr(args, "program", [])],
    }
    for dimension, values in given.items():
        for value in values:
            if value not in known[dimension]:
                close = [k for k in known[dimension] if _loosely(k) == _loosely(value)]
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                print(f"warning: no {dimension} {value!r} in the store{hint}; it matches nothing.", file=sys.stderr)


def _check_dates(start: date | None, end: date | None) -> None:
    """A swapped --start and --end select nothing: refused, rather than printing an empty result as a success."""
    if start is not None and end is not None and start > end:
        raise UsageError(f"the period starts ({start}) after it ends ({end}); give --start before --end.")


def _command_line_author() -> str:
    """Who the load log says made a change from the command line: the account running it."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no name for this account (a container's bare uid)
        return "the command line"


def _print_step(name: str, progress: LoadProgress) -> None:
    # A line per step as it starts: its share done would always read 0%.
    print(f"{name}: {progress.describe(share=False)}", file=sys.stderr, flush=True)


def _run_on_store(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    if args.command == "load":
        failed = 0
        mapping = _mapping(args.map)
        for path in args.files:
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
                )
                print(loaded.summary())
            except FileRejectedError as error:
                failed += 1
                print(f"rejected: {error}", file=sys.stderr)
        # The review's findings once for the whole command, not after every file.
        refresh_findings(con)
        return 1 if failed else 0
    if args.command in ("metrics", "health"):
        _check_dates(args.start, args.end)
    if args.command in ("metrics", "commission-change", "health", "report"):
        _warn_of_unmatched_filters(con, args)
    if args.command == "metrics":
        by = [d.strip() for d in args.by.split(",") if d.strip()]
        scope = replace(_filters(args), start=args.start, end=args.end)
        # The sales files' groups are listed with their baselines too, as a group of the order lines alone would be.
        periods = period_metrics(con, scope, by)
        if args.sql:
            sql, parameters = grouped_metrics_sql(con, scope, by, repeat_days=args.repeat_days, also=periods)
            print(f"-- parameters: {json.dumps(parameters, default=str)}\n{sql_text(sql)}")
            return 0
        frame = grouped_metrics(con, scope, by, repeat_days=args.repeat_days, also=periods)
        _print_frame(with_period_metrics(frame, periods, by), args.format)
        return 0
    if args.command == "brand-terms":
        terms = set_brand_terms(con, args.terms) if args.terms else brand_terms(con)
        print("\n".join(terms) if terms else "no brand terms set; set them with: brand-terms TERM [TERM ...]")
        return 0
    if args.command == "rank-lift":
        frame = rank_lift(con, args.by, args.window_days, args.lag_days, args.exclude_events)
        if args.by == "asin":
            # Beside the rank lift, the same comparison on weekly sales where sales files cover both windows.
            sales = sales_lift(con, args.window_days, args.lag_days)[["asin", *SALES_LIFT_COLUMNS]]
            frame = frame.merge(sales, on="asin", how="left")
        _print_frame(frame, args.format)
        return 0
    if args.command == "commission-change":
        by = [d.strip() for d in args.by.split(",") if d.strip()]
        frame = commission_change(con, by, args.before, args.after, _filters(args))
        _print_frame(frame, args.format)
        return 0
    if args.command == "health":
        chosen = tuple(program_name(p) or p for p in args.program)
        _print_frame(program_health(con, args.start, args.end, chosen), args.format)
        return 0
    if args.command == "loads":
        log = store.load_history(con) if args.all else store.list_loads(con)
        _print_frame(log.drop(columns=["notes"]), "csv")
        return 0
    if args.command == "unload":
        undone = changes.unload(con, args.load_id, by=_command_line_author())
        print(f"unloaded load {undone['id']} ({undone['kind']}, {undone['file']})")
        return 0
    if args.command == "mappings":
        for saved in list_mappings(con):
            pairs = ", ".join(f"{k}={v}" for k, v in saved["mapping"].items())
            print(f"{saved['kind']}: {pairs}  (header: {', '.join(saved['header'])})")
        return 0
    if args.command == "report":
        return _report(con, args)
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
