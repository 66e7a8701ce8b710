"""The command line: a thin layer over the same engine functions the app uses."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.contract.kinds import KINDS
from analytics.ingest.importer import list_mappings
from analytics.ingest.layout import FileRejectedError
from analytics.metrics.grouped import DIMENSIONS, Scope, grouped_metrics
from analytics.metrics.rank_lift import DEFAULT_LAG_DAYS, DEFAULT_WINDOW_DAYS, LEVELS, rank_lift
from analytics.present.export import frame_to_csv, frame_to_json
from analytics.store import changes
from analytics.store import database as store
from analytics.store.changes import load_file
from analytics.store.workspaces import WorkspaceError, create_workspace, find_workspace, list_workspaces


class UsageError(Exception):
    pass


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None


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


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m analytics", description="Creator Lift's engine on the command line.")
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

    metrics = commands.add_parser("metrics", help="every metric, one row per group")
    metrics.add_argument("--by", required=True, help=f"comma-separated dimensions: {', '.join(DIMENSIONS)}")
    metrics.add_argument("--start", type=_date)
    metrics.add_argument("--end", type=_date)
    metrics.add_argument("--creator", action="append", default=[])
    metrics.add_argument("--asin", action="append", default=[])
    metrics.add_argument("--product-line", action="append", default=[])
    metrics.add_argument("--campaign", action="append", default=[])
    metrics.add_argument("--format", choices=("csv", "json"), default="csv")

    lift = commands.add_parser("rank-lift", help="organic rank before vs after activation")
    lift.add_argument("--by", choices=LEVELS, default="asin")
    lift.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS)
    lift.add_argument("--lag-days", type=int, default=DEFAULT_LAG_DAYS)
    lift.add_argument("--format", choices=("csv", "json"), default="csv")

    spaces = commands.add_parser("workspaces", help="list the workspaces, or create one with: workspaces new NAME")
    spaces.add_argument("action", nargs="?", choices=("list", "new"), default="list")
    spaces.add_argument("name", nargs="?", help="the new brand's name")
    spaces.add_argument("--allow", action="append", default=[], help="an address or @domain that may open it")

    commands.add_parser("loads", help="the load log as CSV")
    unload = commands.add_parser("unload", help="undo one load")
    unload.add_argument("load_id", type=int)
    commands.add_parser("mappings", help="saved column mappings")
    backup = commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("path", type=Path)

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
        print(f"workspace {created.name} ({created.slug}) created: {created.path}")
        return 0
    rows = [
        {"workspace": w.slug, "name": w.name, "path": str(w.path), "allowed_emails": " ".join(w.allowed_emails)}
        for w in list_workspaces()
    ]
    _print_frame(pd.DataFrame(rows, columns=["workspace", "name", "path", "allowed_emails"]), "csv")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "sample":
        from tools.sample_data import write_sample

        if args.scale < 1:
            raise UsageError("--scale must be 1 or more")
        for kind, path in write_sample(args.out, seed=args.seed, scale=args.scale).items():
            print(f"{kind}: {path}")
        return 0
    if args.command == "workspaces":
        return _workspaces(args)
    if args.db is not None and args.workspace is not None:
        raise UsageError("give --db or --workspace, not both")
    path = find_workspace(args.workspace).path if args.workspace else (args.db or store.default_db_path())
    con = store.open_store(path)
    try:
        return _run_on_store(con, args)
    finally:
        con.close()


def _run_on_store(con, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    if args.command == "load":
        failed = 0
        mapping = _mapping(args.map)
        for path in args.files:
            try:
                if not path.is_file():
                    raise FileRejectedError(f"{path}: no such file.")
                loaded = load_file(con, path, path.name, args.kind, mapping, args.period, into_demo=args.into_demo)
                print(loaded.summary())
            except FileRejectedError as error:
                failed += 1
                print(f"rejected: {error}", file=sys.stderr)
        return 1 if failed else 0
    if args.command == "metrics":
        by = [d.strip() for d in args.by.split(",") if d.strip()]
        scope = Scope(
            args.start, args.end, tuple(args.creator), tuple(args.asin), tuple(args.product_line), tuple(args.campaign)
        )
        _print_frame(grouped_metrics(con, scope, by), args.format)
        return 0
    if args.command == "rank-lift":
        frame = rank_lift(con, args.by, args.window_days, args.lag_days)
        _print_frame(frame, args.format)
        return 0
    if args.command == "loads":
        _print_frame(store.list_loads(con).drop(columns=["notes"]), "csv")
        return 0
    if args.command == "unload":
        undone = changes.unload(con, args.load_id)
        print(f"unloaded load {undone['id']} ({undone['kind']}, {undone['file']})")
        return 0
    if args.command == "mappings":
        for saved in list_mappings(con):
            pairs = ", ".join(f"{k}={v}" for k, v in saved["mapping"].items())  # type: ignore[union-attr]
            print(f"{saved['kind']}: {pairs}  (header: {', '.join(saved['header'])})")  # type: ignore[arg-type]
        return 0
    if args.command == "backup":
        store.backup(con, args.path)
        print(f"backup written to {args.path}")
        return 0
    raise UsageError(f"unknown command {args.command}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except (FileRejectedError, store.StoreError, UsageError, WorkspaceError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the CLI's contract is one sentence, never a traceback
        print(f"error: unexpected {type(error).__name__}: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
