"""Creator Lift's benchmark: scaled sample data, load against a bare-DuckDB floor, every page's queries against
hand-written SQL and pandas, then every page in headless Chromium. Prints figures and writes bench/RESULTS.md.

    python3 bench/run.py --scale 134            # the real thing: 4.8M performance rows, 3.0M order lines (~30 min)
    python3 bench/run.py --scale 10 --repeat 3  # a quick try

Exits 1 when the engine, the hand-written SQL and pandas disagree on a number (the figures are still written).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python3 bench/run.py` puts only bench/ there

from analytics.review import insights
from analytics.store import database as store
from bench import gaps, pandas_baseline, queries, report
from bench.report import Measured, QueryResult, Results
from bench.timing import ProcessRun, Timing, machine, run_measured, time_calls, time_rounds

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("products", "performance", "orders", "ranks")  # the catalog first, as the app's bootstrap loads them


def floor_script(into: str) -> str:
    """DuckDB alone reading each file into the table named after its stem: `into` is the SQL before
    `select * from read_csv($path)`, with {name} for the table."""
    return (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "for path in sys.argv[2:]:\n"
        "    name = path.rsplit('/', 1)[-1].removesuffix('.csv')\n"
        f"    con.execute(f'{into} select * from read_csv($path)', {{'path': path}})\n"
        "con.close()\n"
    )


# The floor: what DuckDB alone takes to read the same files into a fresh database file.
FLOOR_SCRIPT = floor_script('create table "{name}" as')
# The load: the four files loaded one by one into a fresh store as `python3 -m analytics load` loads them
# (`store.changes.load_file`), without the review's findings, which are worked out after the last file commits,
# outside the load's transaction and write lock (FINDINGS_SCRIPT, not timed).
LOAD_SCRIPT = """
import sys
from pathlib import Path
from unittest import mock
from analytics.store import changes, database
con = database.open_store(Path(sys.argv[1]))
with mock.patch.object(changes, 'refresh_findings', lambda con: None):
    for path in map(Path, sys.argv[2:]):
        changes.load_file(con, path, path.name)
con.close()
"""
FINDINGS_SCRIPT = """
import sys
from pathlib import Path
from analytics.store import changes, database
con = database.open_store(Path(sys.argv[1]))
changes.refresh_findings(con)
con.close()
"""

# The weekly upload: a week of performance rows and order lines, the last days the store already holds (Amazon's
# exports overlap), loaded into the loaded store and the review's findings worked out once after them, as the Data
# page loads an upload of several files; against DuckDB alone appending the same files to the floor's tables.
WEEK_KINDS = ("performance", "orders")
WEEK_DAYS = 7
WEEK_SCRIPT = """
import sys
from pathlib import Path
from analytics.store import changes, database
con = database.open_store(Path(sys.argv[1]))
for path in map(Path, sys.argv[2:]):
    changes.load_file(con, path, path.name, refresh=False)
changes.refresh_findings(con)
con.close()
"""
FLOOR_WEEK_SCRIPT = floor_script('insert into "{name}"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--scale", type=int, default=134, help="sample size multiplier (134 ≈ 4.8M performance rows, 3.0M order lines)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per query; the median is reported")
    parser.add_argument("--load-repeat", type=int, default=3, help="runs of sample generation, load and the floor")
    parser.add_argument("--page-repeat", type=int, default=3, help="runs per page in the browser")
    parser.add_argument("--no-pages", action="store_true", help="skip the browser part")
    parser.add_argument("--reuse-data", action="store_true", help="keep CSVs already generated for this scale")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="data and databases (git-ignored)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite RESULTS.md from this scale's saved results, measure nothing"
    )
    parser.add_argument(
        "--team-only",
        action="store_true",
        help="run only the ten-session scenario on the sample data, add it to this scale's saved results",
    )
    parser.add_argument("--page-timeout", type=float, default=300.0, help="seconds to wait for one page to render")
    return parser.parse_args(argv)


def say(text: str) -> None:
    print(text, flush=True)


# Data and load -------------------------------------------------------------------------------------------------


def data_files(data_dir: Path) -> list[Path]:
    return [data_dir / f"{kind}.csv" for kind in KINDS]


def generate_sample(args: argparse.Namespace, data_dir: Path) -> Measured | None:
    """Time `python3 -m analytics sample`; None when reusing CSVs already there."""
    if args.reuse_data and all(path.exists() for path in data_files(data_dir)):
        say(f"sample: reusing {data_dir}")
        return None
    command = [sys.executable, "-m", "analytics", "sample", "--out", str(data_dir), "--scale", str(args.scale)]
    measured = Measured()
    for attempt in range(args.load_repeat):
        _record(measured, run_measured(command, cwd=ROOT))
        peak = report.size(measured.peak_bytes[-1])
        say(f"sample #{attempt + 1}: {report.seconds(measured.seconds[-1])}, peak {peak}")
    return measured


def _record(measured: Measured, run: ProcessRun) -> None:
    measured.seconds.append(run.seconds)
    measured.peak_bytes.append(run.peak_rss_bytes)
    measured.cpu_seconds.append(run.cpu_seconds)


def fresh_database(path: Path) -> Path:
    """Remove a database file, its WAL, DuckDB's spill folder and the raw-file folder the store keeps beside it."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    shutil.rmtree(path.with_name(path.name + ".tmp"), ignore_errors=True)
    shutil.rmtree(path.with_name(path.stem + "_files"), ignore_errors=True)
    return path


def measure_load(args: argparse.Namespace, files: list[Path], work: Path, results: Results) -> Path:
    """Load and floor, alternated so that both see the same noise; returns the loaded store, its findings worked
    out."""
    store_path, floor_path = work / "store.duckdb", work / "floor.duckdb"
    load = [sys.executable, "-c", LOAD_SCRIPT, str(store_path), *map(str, files)]
    floor = [sys.executable, "-c", FLOOR_SCRIPT, str(floor_path), *map(str, files)]
    for attempt in range(args.load_repeat):
        fresh_database(store_path)
        _record(results.load, run_measured(load, cwd=ROOT))
        fresh_database(floor_path)
        _record(results.floor, run_measured(floor, cwd=ROOT))
        say(
            f"load #{attempt + 1}: {report.seconds(results.load.seconds[-1])} "
            f"(peak {report.size(results.load.peak_bytes[-1])}); floor {report.seconds(results.floor.seconds[-1])} "
            f"(peak {report.size(results.floor.peak_bytes[-1])})"
        )
    results.store_bytes, results.floor_bytes = store_path.stat().st_size, floor_path.stat().st_size
    run_measured([sys.executable, "-c", FINDINGS_SCRIPT, str(store_path)], cwd=ROOT)
    return store_path


def week_files(data_dir: Path, work: Path) -> list[Path]:
    """The last WEEK_DAYS days of the performance and orders files, each as a file of its own, rows as written."""
    folder = work / "week"
    folder.mkdir(exist_ok=True)
    written = []
    con = duckdb.connect()
    for kind in WEEK_KINDS:
        source, target = data_dir / f"{kind}.csv", folder / f"{kind}.csv"
        day = "date" if kind == "performance" else "order_date"
        con.execute(
            f"""
            copy (
                select * from read_csv($source, all_varchar = true)
                where cast({day} as date) > (select max(cast({day} as date)) from read_csv($source)) - {WEEK_DAYS}
            ) to '{target}' (header)
            """,
            {"source": str(source)},
        )
        written.append(target)
    con.close()
    return written


def measure_week(args: argparse.Namespace, files: list[Path], work: Path, loaded: Path, results: Results) -> None:
    """The weekly upload into a copy of the loaded store, and DuckDB appending the same files to a copy of the floor's
    tables, alternated."""
    store_path, floor_path = work / "week.duckdb", work / "week-floor.duckdb"
    results.week_rows = sum(_csv_rows(path) for path in files)
    load = [sys.executable, "-c", WEEK_SCRIPT, str(store_path), *map(str, files)]
    floor = [sys.executable, "-c", FLOOR_WEEK_SCRIPT, str(floor_path), *map(str, files)]
    for attempt in range(args.load_repeat):
        shutil.copyfile(loaded, fresh_database(store_path))
        _record(results.week, run_measured(load, cwd=ROOT))
        shutil.copyfile(work / "floor.duckdb", fresh_database(floor_path))
        _record(results.week_floor, run_measured(floor, cwd=ROOT))
        say(
            f"week #{attempt + 1}: {report.seconds(results.week.seconds[-1])}; "
            f"floor {report.seconds(results.week_floor.seconds[-1])}"
        )
    for path in (store_path, floor_path):
        fresh_database(path)


def _csv_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle) - 1  # the header


def profile_load(files: list[Path], work: Path) -> list[dict[str, Any]]:
    """One extra load with every statement timed (bench/load_profile.py), for where the time goes."""
    db = fresh_database(work / "profile.duckdb")
    run = run_measured([sys.executable, "-m", "bench.load_profile", str(db), *map(str, files)], cwd=ROOT)
    fresh_database(db)
    return json.loads(run.stdout.strip().splitlines()[-1])


# Queries -------------------------------------------------------------------------------------------------------


def read_pandas_tables(ctx: queries.Context, repeat: int, results: Results) -> queries.Context:
    """The pandas baseline's one-off read, timed `repeat` times; the last read's frames go into the context."""
    kept: list[pandas_baseline.Tables] = []

    def read() -> None:
        kept.clear()  # free the previous read first, so that two copies are never held
        kept.append(pandas_baseline.read_tables(ctx.con))

    results.pandas_read.seconds = list(time_calls(read, repeat).runs)
    results.pandas_frame_bytes = kept[0].memory_bytes()
    say(f"pandas read: {report.seconds(results.pandas_read.median)}, {report.size(results.pandas_frame_bytes)}")
    return dataclasses.replace(ctx, tables=kept[0])


def _measured(timings: dict[str, Timing]) -> dict[str, Measured]:
    return {name: Measured(seconds=list(timing.runs)) for name, timing in timings.items()}


def compare(ctx: queries.Context, comparison: queries.Comparison, repeat: int) -> QueryResult:
    """Check the three answers agree (the first run doubles as a warm-up), then time each."""
    disagreements = queries.disagreements(ctx, comparison)
    for other, problems in disagreements.items():
        for problem in problems:
            say(f"  !!! DISAGREEMENT in {comparison.name}, engine vs {other}: {problem}")
    timings = time_rounds(
        {
            "engine": lambda: comparison.engine(ctx),
            "handwritten": lambda: comparison.handwritten(ctx),
            "pandas": lambda: comparison.pandas(ctx),
        },
        repeat,
    )
    result = QueryResult(
        comparison.name,
        **_measured(timings),
        customer_metrics=comparison.customer_metrics,
        disagreements=disagreements,
    )
    say(
        f"{comparison.name}: engine {report.seconds(result.engine.median)}, "
        f"hand-written {report.seconds(result.handwritten.median)}, pandas {report.seconds(result.pandas.median)}"
    )
    return result


def time_engine_calls(ctx: queries.Context, repeat: int, results: Results) -> None:
    """Every engine call behind the pages, and each insight rule, warmed up then timed in rounds."""
    calls = {name: partial(call, ctx) for name, call in queries.ENGINE_CALLS.items()}
    calls.update({name: partial(probe, ctx) for name, probe in queries.PROBES.items()})
    rules = {name: partial(rule, ctx.con, ctx.as_of) for name, rule in insights.RULE_FUNCTIONS.items()}
    for group, target in ((calls, results.engine_calls), (rules, results.insight_rules)):
        for call in group.values():
            call()
        target.update(_measured(time_rounds(group, repeat)))
    results.page_calls = {page: [*queries.SIDEBAR_CALLS, *names] for page, names in queries.PAGE_CALLS.items()}
    with mock.patch.object(insights, "grouped_metrics", wraps=insights.grouped_metrics) as counted:
        results.findings = dict(Counter(insight.rule for insight in insights.weekly_insights(ctx.con, ctx.as_of)))
    results.insight_grouped_calls = counted.call_count


def measure_queries(args: argparse.Namespace, store_path: Path, results: Results) -> None:
    con = store.open_store(store_path)
    try:
        results.rows = store.row_counts(con)
        ctx = read_pandas_tables(queries.context(con), args.load_repeat, results)
        results.queries = [compare(ctx, comparison, args.repeat) for comparison in queries.comparisons()]
        ctx = dataclasses.replace(ctx, tables=None)  # free the DataFrames before the engine-only timings
        time_engine_calls(ctx, args.repeat, results)
    finally:
        con.close()


# Pages ---------------------------------------------------------------------------------------------------------


def measure_browser(args: argparse.Namespace, store_path: Path, work: Path, results: Results) -> None:
    from bench.pages import measure_pages  # Playwright only when the browser part runs

    say("pages: one fresh server per page and run")
    measured = measure_pages(store_path, work, args.page_repeat, args.page_timeout, log=say)
    results.pages = dataclasses.asdict(measured)


def measure_team(work: Path, results: Results) -> None:
    """The ten-session scenario of the browser tests, on a fresh store of the bundled sample data."""
    from analytics.store.changes import load_sample_data
    from tests.team_sessions import run_team  # Playwright only when the browser part runs

    folder = work / "team"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "sample.duckdb"
    con = store.open_store(db)
    load_sample_data(con)
    con.close()
    say("ten sessions at once on the sample data")
    team = run_team(db)
    results.team = team.figures()
    for error in team.tally.errors:
        say(f"  error shown: {error}")


# Results -------------------------------------------------------------------------------------------------------


def results_json(out: Path, scale: int) -> Path:
    return out / f"results-scale{scale}.json"


def other_scales(out: Path, scale: int) -> list[Results]:
    found = []
    for path in sorted(out.glob("results-scale*.json")):
        if path == results_json(out, scale):
            continue
        try:
            found.append(report.results_from_dict(json.loads(path.read_text())))
        except (KeyError, TypeError, ValueError) as error:  # written by an older version of this script
            say(f"skipping {path}: {type(error).__name__} {error}")
    return found


def save_results(args: argparse.Namespace, results: Results) -> None:
    path = results_json(args.out, args.scale)
    path.write_text(json.dumps(dataclasses.asdict(results), indent=1, default=str))
    say(f"saved {path}")


def write_results(args: argparse.Namespace, results: Results) -> None:
    text = report.render(results, gaps.gap_notes(results), other_scales(args.out, args.scale))
    args.results.write_text(text)
    say(f"wrote {args.results}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.out / f"scale-{args.scale}"
    if args.render_only or args.team_only:
        results = report.results_from_dict(json.loads(results_json(args.out, args.scale).read_text()))
        if args.team_only:
            measure_team(work, results)
            save_results(args, results)
        write_results(args, results)
        return 0
    work.mkdir(parents=True, exist_ok=True)
    data_dir = work / "data"
    results = Results(scale=args.scale, repeat=args.repeat, machine=machine())
    say(f"Creator Lift benchmark, scale {args.scale}, {args.repeat} runs per query, in {work}")
    results.sample = generate_sample(args, data_dir)
    files = data_files(data_dir)
    results.csv_bytes = sum(path.stat().st_size for path in files)
    store_path = measure_load(args, files, work, results)
    measure_week(args, week_files(data_dir, work), work, store_path, results)
    results.load_profile = profile_load(files, work)
    measure_queries(args, store_path, results)
    save_results(args, results)  # the browser part is last and the slowest: keep what is measured so far
    if not args.no_pages:
        measure_browser(args, store_path, work, results)
        measure_team(work, results)
        save_results(args, results)
    write_results(args, results)
    say("\n" + report.summary(results, gaps.gap_notes(results)))
    return 1 if results.disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
