"""The load against the bare-DuckDB floor, alone: the figure bench/RESULTS.md's *Load* table quotes.

    python3 -m bench.load bench/out/scale-134/data --repeat 3

Each round loads the catalog, performance, orders and ranks files into a fresh database in a subprocess, as
`python3 -m analytics load` does (`store.changes.load_file` per file) but without the review's findings, which are
worked out after the load commits; then DuckDB alone reads the same files into a fresh database. The two alternate
so that they see the same noise; prints each round and the medians, with their ratio, in wall-clock and in CPU
time (user and system, every thread).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from bench.run import FLOOR_SCRIPT, KINDS, LOAD_SCRIPT, ROOT, fresh_database
from bench.timing import run_measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a folder of sample files (python3 -m analytics sample --scale N)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the medians are reported")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="where the databases go")
    args = parser.parse_args(argv)
    files = [str(args.data / f"{kind}.csv") for kind in KINDS]
    store, floor = args.work / "load.duckdb", args.work / "load-floor.duckdb"
    loads: list[float] = []
    floors: list[float] = []
    load_cpu: list[float] = []
    floor_cpu: list[float] = []
    for attempt in range(args.repeat):
        fresh_database(store)
        run = run_measured([sys.executable, "-c", LOAD_SCRIPT, str(store), *files], cwd=ROOT)
        loads.append(run.seconds)
        load_cpu.append(run.cpu_seconds)
        fresh_database(floor)
        floor_run = run_measured([sys.executable, "-c", FLOOR_SCRIPT, str(floor), *files], cwd=ROOT)
        floors.append(floor_run.seconds)
        floor_cpu.append(floor_run.cpu_seconds)
        print(
            f"round {attempt + 1}: load {loads[-1]:.2f} s (CPU {load_cpu[-1]:.1f} s, peak "
            f"{run.peak_rss_bytes / 2**30:.2f} GiB), floor {floors[-1]:.2f} s (CPU {floor_cpu[-1]:.1f} s), "
            f"ratio {loads[-1] / floors[-1]:.2f}x",
            flush=True,
        )
    load, bare = statistics.median(loads), statistics.median(floors)
    cpu, bare_cpu = statistics.median(load_cpu), statistics.median(floor_cpu)
    print(
        f"median: load {load:.2f} s, floor {bare:.2f} s, ratio {load / bare:.2f}x; "
        f"CPU {cpu:.1f} s vs {bare_cpu:.1f} s, {cpu / bare_cpu:.2f}x"
    )
    for path in (store, floor):
        fresh_database(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
