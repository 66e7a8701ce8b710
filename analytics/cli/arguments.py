"""The command line's arguments: every command's parser, the checks on its values, and which commands only read.

Light on purpose: it imports no query, so `--help`, a mistyped argument and `load` start without pandas."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import NoReturn

from analytics.calendar import month_of
from analytics.contract.kinds import KINDS
from analytics.metrics.choices import (
    CHANGE_DIMENSIONS,
    DEFAULT_LAG_DAYS,
    DEFAULT_REPEAT_DAYS,
    DEFAULT_WINDOW_DAYS,
    DIMENSIONS,
    RANK_LEVELS,
)
from analytics.metrics.periods import COMPARISONS, DEFAULT_COMPARISON
from analytics.present.pdf import PAPERS


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


def _month(text: str) -> tuple[date, date]:
    try:
        return month_of(date.fromisoformat(f"{text.strip()}-01"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-10") from None


def _period(text: str) -> tuple[date, date]:
    start, _, end = text.partition(":")
    if not end:
        raise argparse.ArgumentTypeError("give the period as START:END, e.g. 2026-03-01:2026-03-31")
    return _date(start), _date(end)


def column_mapping(pairs: list[str] | None) -> dict[str, str] | None:
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
    load.add_argument(
        "--again",
        action="store_true",
        help="load a file loaded before whose rows a later load has given other figures, putting its figures back "
        "(when it is the later download)",
    )
    load.add_argument(
        "--keep-newer",
        dest="on_older",
        action="store_const",
        const="keep_newer",
        default="load",
        help="load only the rows no later download holds, when the file restates rows a download running to later "
        "days loaded (an older download loaded after a newer one); by default it loads whole, with a warning",
    )
    load.add_argument(
        "--drop-missing",
        dest="on_missing",
        action="store_const",
        const="drop",
        default="keep",
        help="drop stored rows of the days a performance file covers that it no longer holds (sales Amazon reversed "
        "since an earlier download); by default they stay, with a warning",
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
    lift.add_argument("--by", choices=RANK_LEVELS, default="asin")
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

    budgets = commands.add_parser(
        "campaigns", help="each campaign's commission to date against its budget, its pace and its warnings"
    )
    budgets.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the day to stand on: spend up to it, days left after it (default: the last day of data)",
    )
    budgets.add_argument("--format", choices=("csv", "json"), default="csv")

    spaces = commands.add_parser(
        "workspaces",
        help="list the workspaces, or: workspaces new NAME, workspaces remove NAME (off the list, its data kept), "
        "workspaces restore NAME",
    )
    spaces.add_argument("action", nargs="?", choices=("list", "new", "remove", "restore"), default="list")
    spaces.add_argument("name", nargs="?", help="the brand's name (or id, to remove or restore one)")
    spaces.add_argument("--allow", action="append", default=[], help="an address or @domain that may open it")
    spaces.add_argument("--currency", help="the new brand's currency, for files of bare amounts: EUR, GBP, CAD…")

    terms = commands.add_parser("brand-terms", help="print the brand's search terms, or set them")
    terms.add_argument("terms", nargs="*", metavar="TERM", help="the terms to set (whole words, any case)")

    money = commands.add_parser(
        "currency",
        help="print the brand's currency, or set it for files of bare amounts (it names them, never converts)",
    )
    money.add_argument(
        "currency", nargs="?", metavar="CURRENCY", help="a sign or code: $, €, £, CAD, R$, ₹, ¥, AUD, SEK, EUR, GBP…"
    )

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
    report.add_argument(
        "--month",
        type=_month,
        default=None,
        metavar="YYYY-MM",
        help="a calendar month's review, its close (e.g. 2026-10; a month not over in the data, its days so far)",
    )
    report.add_argument("--start", type=_date, default=None, help="first day of a custom period (with --end)")
    report.add_argument("--end", type=_date, default=None, help="last day of a custom period (with --start)")
    report.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file to write: FILE.html or FILE.pdf; with --every-brand, the folder to write each brand's into",
    )
    report.add_argument(
        "--every-brand",
        action="store_true",
        help="one review per workspace holding data (the demo's sample left out), named as the app names them",
    )
    report.add_argument("--pdf", action="store_true", help="with --every-brand: write PDF files rather than HTML")
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


def _add_filters(command: argparse.ArgumentParser) -> None:
    """The filters a command narrows its rows by, as the sidebar's: each repeatable, values as stored."""
    command.add_argument("--creator", action="append", default=[], help="this creator's rows; repeatable")
    command.add_argument("--asin", action="append", default=[], help="this ASIN's rows; repeatable")
    command.add_argument("--product-line", action="append", default=[], help="this product line's rows; repeatable")
    command.add_argument("--campaign", action="append", default=[], help="this campaign's rows; repeatable")
    command.add_argument("--program", action="append", default=[], help="performance rows of this program; repeatable")


# The commands that open the store read-only (backup writes its copy elsewhere).
READ_ONLY_COMMANDS = (
    "metrics",
    "rank-lift",
    "commission-change",
    "health",
    "campaigns",
    "loads",
    "mappings",
    "report",
    "backup",
)
# The brand's settings, by the argument that sets them: without it, the command prints the setting, reading only.
SETTING_COMMANDS = {"brand-terms": "terms", "currency": "currency"}
# The commands `cli.reading` runs: tables of the store's rows, and the weekly review.
TABLE_COMMANDS = ("metrics", "rank-lift", "commission-change", "health", "campaigns", "loads", "report")


def only_reads(args: argparse.Namespace) -> bool:
    """Whether the command leaves the store as it is, so that it opens it read-only."""
    setting = SETTING_COMMANDS.get(args.command)
    return args.command in READ_ONLY_COMMANDS or (setting is not None and not getattr(args, setting))
