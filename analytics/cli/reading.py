"""The commands that read a store: every metric by group, the rank lift, the commission change, program health, the
campaigns' budgets, the load log, the workspaces and the weekly review, printed as CSV or JSON (or written as HTML or
PDF)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from analytics.cli.arguments import UsageError
from analytics.ingest.completion import program_name
from analytics.ingest.currency import store_currency
from analytics.metrics.campaigns import campaign_pacing, ledger_notes, with_ledger_ends
from analytics.metrics.commission_change import commission_change
from analytics.metrics.grouped import Scope, data_range, filter_values, grouped_metrics, grouped_metrics_sql, programs
from analytics.metrics.health import program_health
from analytics.metrics.rank_lift import rank_lift
from analytics.metrics.sales import PERIOD_METRICS, left_out_rows, period_metrics, with_period_metrics
from analytics.metrics.sales_lift import SALES_LIFT_COLUMNS, sales_lift
from analytics.present.export import download_file_name, frame_to_csv, frame_to_json, review_covering
from analytics.present.pdf import PrintError
from analytics.present.report import weekly_report_html, weekly_report_pdf
from analytics.present.report_period import ReportError, report_period
from analytics.present.static_images import ChartExportError, close_kept_exporter, keep_exporter_open
from analytics.sql import sql_text
from analytics.store import changes
from analytics.store import database as store
from analytics.store.workspaces import DEMO_NAME, Workspace, as_held, find_workspace, list_workspaces
from analytics.words import day_words, in_words, range_words


def run_reading(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Run the reading command `args` names on the open store `con`; its exit code."""
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
        print_frame(with_period_metrics(frame, periods, by), args.format)
        _note_rows_left_out(con, scope, by)
        if "week" in by:
            _note_weeks_cut(frame, args.start, args.end)
        return 0
    if args.command == "rank-lift":
        frame = rank_lift(con, args.by, args.window_days, args.lag_days, args.exclude_events)
        if args.by == "asin":
            # Beside the rank lift, the same comparison on weekly sales where sales files cover both windows.
            sales = sales_lift(con, args.window_days, args.lag_days)[["asin", *SALES_LIFT_COLUMNS]]
            frame = frame.merge(sales, on="asin", how="left")
        print_frame(frame, args.format)
        return 0
    if args.command == "commission-change":
        by = [d.strip() for d in args.by.split(",") if d.strip()]
        frame = commission_change(con, by, args.before, args.after, _filters(args))
        print_frame(frame, args.format)
        shared = (max(args.before[0], args.after[0]), min(args.before[1], args.after[1]))
        if shared[0] <= shared[1]:
            # Allowed (a rolling comparison may mean it), but a mistyped date gives it too: the change is then of two
            # periods sharing their sales, smaller than either's own.
            print(
                f"note: --before and --after share {range_words(*shared)}: its sales count in both periods, so the "
                "change is smaller than between periods apart.",
                file=sys.stderr,
            )
        return 0
    if args.command == "health":
        chosen = tuple(program_name(p) or p for p in args.program)
        print_frame(program_health(con, args.start, args.end, chosen), args.format)
        return 0
    if args.command == "campaigns":
        return _campaigns(con, args)
    if args.command == "loads":
        log = store.load_history(con) if args.all else store.list_loads(con)
        # What each load left to check (the Data page's "to check"), last: the notes, long, are the Data page's.
        to_check = log.pop("cautions").fillna("")
        log = log.drop(columns=["notes"])
        log.insert(log.columns.get_loc("sha256") + 1, "to_check", to_check)  # before --all's who and when
        print_frame(log, "csv")
        return 0
    if args.command == "report":
        return _report(con, args)
    raise UsageError(f"unknown command {args.command}")


def _note_weeks_cut(frame: pd.DataFrame, start: date | None, end: date | None) -> None:
    """Say on stderr which week rows the dates cut: a row is named by its week's Sunday, and one holding only some of
    its days reads beside the app's weekly figures, or a whole-week download, as the same week with other numbers."""
    weeks = sorted({pd.Timestamp(w).date() for w in frame["week"].dropna()}) if not frame.empty else []
    cut = []
    for week in dict.fromkeys(weeks[:1] + weeks[-1:]):
        first = max(week, start) if start is not None else week
        last = min(week + timedelta(days=6), end) if end is not None else week + timedelta(days=6)
        if (first, last) != (week, week + timedelta(days=6)):
            cut.append(f"{week.isoformat()} holds only {first.isoformat()} to {last.isoformat()}")
    if cut:
        print(f"note: the dates cut a week short: the week of {'; the week of '.join(cut)}.", file=sys.stderr)


def print_frame(frame: pd.DataFrame, output_format: str) -> None:
    sys.stdout.write(
        frame_to_json(frame) + "\n" if output_format == "json" else frame_to_csv(frame, escape_formulas=False)
    )


def print_workspaces(default_store: Path | None = None) -> None:
    """The workspaces beside `default_store` (default: $CREATORLIFT_DB's) as CSV: id, name, database file, the
    brand's currency and who may open each."""
    rows, unread = [], []
    for workspace in list_workspaces(default_store):
        held, currency = _as_held(workspace)
        if currency is None:
            unread.append(held.slug)
        rows.append(
            {
                "workspace": held.slug,
                "name": held.name,
                "path": str(held.path),
                "currency": currency or "",
                "allowed_emails": " ".join(held.allowed_emails),
            }
        )
    print_frame(pd.DataFrame(rows, columns=["workspace", "name", "path", "currency", "allowed_emails"]), "csv")
    if unread:
        # A blank said nothing of why: the app holds its stores open, and DuckDB lets one process hold a file.
        print(
            f"currency left blank for {', '.join(unread)}: the store is open in another process (the app?), which "
            "holds it; stop that process to read it.",
            file=sys.stderr,
        )


def _as_held(workspace: Workspace) -> tuple[Workspace, str | None]:
    """The workspace and its brand's currency (`store_currency`; empty when its store is not made yet, None when it
    cannot be read now). The default store is named as the app names it: the demo while it holds only the sample
    (or is not made yet, is open for writing elsewhere, or waits for an upgrade), else for its file."""
    if not workspace.path.exists():
        return workspace, ""
    try:
        con = store.open_store(workspace.path, read_only=True, upgrade=False)  # a listing writes nothing
    except store.StoreError:
        return workspace, None
    try:
        held = as_held(workspace, changes.holds_only_the_sample(con)) if workspace.is_default else workspace
        return held, store_currency(con)
    finally:
        con.close()


def _campaigns(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """The Campaigns page's budget table, for a finance team's scheduled pull: the ledger's values as stored
    (`always-on`, `creator_connections`), and where the reports and the ledger disagree said on stderr, apart from
    the rows."""
    span = data_range(con)
    if args.as_of is not None and span is not None and not span[0] <= args.as_of <= span[1]:
        # Days outside the data would read as days of no spend: a budget "on track" that is not.
        raise UsageError(
            f"the performance data runs from {span[0]} to {span[1]}: give --as-of between them (no spend outside "
            "them is loaded)."
        )
    if args.as_of is not None:
        as_of, words = args.as_of, day_words(args.as_of)
    else:
        as_of, words = (span[1] if span else date.today()), "the last day of data"
    pacing = campaign_pacing(con, as_of, words)
    print_frame(with_ledger_ends(pacing), args.format)
    for note in ledger_notes(con, pacing, as_of):
        print(f"note: {note}", file=sys.stderr)
    return 0


def _report(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise UsageError(f"--out must name an .html or .pdf file; got {args.out}")
    period = _asked_period(args)
    # Made before the review is worked out, as `backup` makes its folder: a missing one would fail only at the end.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    workspace = find_workspace(args.workspace) if args.workspace else None
    if args.brand:
        brand = args.brand
        if workspace is not None and not workspace.is_default and brand.casefold() != workspace.name.casefold():
            # Written all the same (a brand's name in its reports may differ from its workspace's), but a script whose
            # list of names and of workspaces slipped out of step would send a brand another's review.
            print(
                f"note: the review names the brand {brand}; its figures are those of the workspace {workspace.name}",
                file=sys.stderr,
            )
    elif workspace is not None and not workspace.is_default:
        brand = workspace.name
    else:
        # The default store, or a store given by path, named as the app names it: the demo while it holds only the
        # sample, else for its file (a brand's backup).
        stored = store.database_path(con)
        brand = DEMO_NAME if changes.holds_only_the_sample(con) or stored is None else stored.stem
    _refuse_a_month_before_the_data(con, args)
    so_far = _month_so_far(con, args)
    if so_far is not None:
        print(f"note: {so_far}", file=sys.stderr)
    page = weekly_report_html(con, args.week, period, brand, _filters(args), args.compare, args.repeat_days)
    if suffix == ".pdf":
        args.out.write_bytes(weekly_report_pdf(page, args.paper))
    else:
        args.out.write_text(page, encoding="utf-8")
    print(f"report written to {args.out}")
    return 0


def _asked_period(args: argparse.Namespace) -> tuple[date, date] | None:
    """The report's period when one is given: `--month`'s days, or `--start` to `--end`; None for a week."""
    given = (("--week", args.week), ("--month", args.month), ("--start/--end", args.start or args.end))
    asked = [option for option, value in given if value is not None]
    if len(asked) > 1:
        raise UsageError(f"give one period: {in_words(asked)} each name one")
    if (args.start is None) != (args.end is None):
        raise UsageError("give a custom period as both --start and --end")
    if args.month is not None:
        month: tuple[date, date] = args.month
        return month
    return (args.start, args.end) if args.start is not None else None


def _refuse_a_month_before_the_data(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> None:
    """Refuse `--month` naming a month over before the data starts, in months (the review's own refusal asks for
    dates, which `--month` does not take)."""
    span = data_range(con)
    if args.month is not None and span is not None and args.month[1] < span[0]:
        raise UsageError(
            f"the performance data starts on {span[0].isoformat()}, after {args.month[0]:%B %Y} ends: give a month "
            f"from {span[0]:%Y-%m} on."
        )


def _month_so_far(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> str | None:
    """What stderr says when `--month` asks for a month the data is not through yet: the review is of its days so
    far, headed as a review of those days, not as the month's (a month's close waits for its last day's data)."""
    span = data_range(con)
    if args.month is None or span is None or not args.month[0] <= span[1] < args.month[1]:
        return None
    days = range_words(args.month[0], span[1])
    return f"the data runs to {span[1].isoformat()}: the review covers {args.month[0]:%B}'s days so far, {days}"


def every_brands_review(args: argparse.Namespace) -> int:
    """`report --every-brand`: each workspace's review of the period asked (by default its own last whole week) into
    the folder `--out`, named as the app's download names it (`creator_lift_<brand>_review_<start>_<end>.html`), for
    an agency's weekly round. A brand without performance data yet, and the demo holding only the sample, are passed
    over with a note; a brand whose review cannot be made is named on stderr and the others are still written
    (exit 1)."""
    if args.workspace or args.db:
        raise UsageError("--every-brand reads every workspace: leave out --workspace and --db")
    if args.brand or args.creator or args.asin or args.product_line or args.campaign or args.program:
        raise UsageError(
            "--every-brand writes each brand's whole review under its own name: leave out --brand and filters"
        )
    if args.out.suffix.lower() in (".html", ".pdf"):
        raise UsageError(f"with --every-brand, --out names a folder; got {args.out}")
    period = _asked_period(args)
    extension = "pdf" if args.pdf else "html"
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    keep_exporter_open()  # one browser draws every brand's charts
    try:
        for workspace in list_workspaces():
            said = _brands_review(workspace, args, period, extension)
            if said is None:
                continue
            failed += said.startswith("error")
            print(said, file=sys.stderr)
    finally:
        close_kept_exporter()
    return 1 if failed else 0


def _brands_review(
    workspace: Workspace, args: argparse.Namespace, period: tuple[date, date] | None, extension: str
) -> str | None:
    """One brand's review written into `args.out`: None when written (said on stdout), else what stderr says."""
    if not workspace.path.exists():
        return f"note: {workspace.name} passed over: nothing loaded yet"
    con = store.open_store(workspace.path, read_only=True)
    try:
        held = as_held(workspace, changes.holds_only_the_sample(con))
        if held.is_demo:
            return f"note: {held.name} passed over: it holds the sample only"
        span = data_range(con)
        if span is None:
            return f"note: {held.name} passed over: no performance data yet"
        try:
            start, end = report_period(span[1], args.week, period, first=span[0])
            so_far = _month_so_far(con, args)
            if so_far is not None:
                print(f"note: {held.name}: {so_far}", file=sys.stderr)
            page = weekly_report_html(con, args.week, period, held.name, Scope(), args.compare, args.repeat_days)
            body = weekly_report_pdf(page, args.paper) if extension == "pdf" else page.encode("utf-8")
        except (ReportError, ChartExportError, PrintError) as error:
            return f"error: {held.name}: {error}"
    finally:
        con.close()
    covering = review_covering(start, end, args.compare)
    path = args.out / download_file_name(f"creator_lift_review.{extension}", extension, covering, brand=held.name)
    path.write_bytes(body)
    print(f"{held.name}: report written to {path}")
    return None


def _note_rows_left_out(con: duckdb.DuckDBPyConnection, scope: Scope, by: list[str]) -> None:
    """Say on stderr how many rows of a period kind cross the dates' edges (or a week's, by week) and are left out of
    the columns they feed: a month's total_revenue of the weekly reports wholly inside it read as the month's, beside
    the attributed revenue of all its days. The pages say it under their tables."""
    for kind, count in left_out_rows(con, scope, by).items():
        if count:
            fed = in_words([m.name for m in PERIOD_METRICS if m.source == kind])
            edges = "the dates asked for" + (" or a week" if "week" in by else "")
            rows = "row crosses" if count == 1 else "rows cross"
            print(
                f"note: {count:,} {kind} {rows} the edges of {edges} and {'is' if count == 1 else 'are'} left out of "
                f"{fed}: a row counts only where its whole period lies inside.",
                file=sys.stderr,
            )


def _loosely(value: str) -> str:
    """A filter value as a person may mistype it: case, a leading @ and spaces around it aside."""
    return value.strip().casefold().lstrip("@")


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
