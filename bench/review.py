"""The review's download with a browser started for each call (the command line's way) against the browser the app
keeps open between downloads, alone: the figure bench/RESULTS.md's *Review download* paragraph quotes.

    python3 -m bench.review data/creatorlift.duckdb --repeat 5

Each round writes the review's HTML (its figures from the store, its three charts drawn as SVG by Chromium), on a
copy of the store: once with a browser started for the call, then twice with a kept browser started afresh (its first
download, which starts it, and a later one), so that both ways see the same noise. Prints each round and the
medians, with the ratio of a download with a browser per call to a later download with the kept one.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from analytics.present import static_images
from analytics.present.report import weekly_report_html
from analytics.store.database import open_store
from bench.timing import time_calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="a Creator Lift store (the app's data/creatorlift.duckdb)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the medians are reported")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="creatorlift-bench-") as work:
        copy = Path(work) / args.store.name
        shutil.copy(args.store, copy)
        con = open_store(copy)
        per_call: list[float] = []
        first: list[float] = []
        kept: list[float] = []
        try:
            for attempt in range(args.repeat):
                static_images.close_kept_exporter()  # each call starts a browser of its own, as the CLI's does
                per_call.append(time_calls(lambda: weekly_report_html(con), 1).median)
                static_images.keep_exporter_open()
                first.append(time_calls(lambda: weekly_report_html(con), 1).median)  # the app's first download
                kept.append(time_calls(lambda: weekly_report_html(con), 1).median)  # every download after it
                print(
                    f"round {attempt + 1}: a browser per call {per_call[-1]:.2f} s; kept browser, first download "
                    f"{first[-1]:.2f} s, later ones {kept[-1]:.2f} s",
                    flush=True,
                )
        finally:
            static_images.close_kept_exporter()
            con.close()
    cold, warm = statistics.median(per_call), statistics.median(kept)
    print(
        f"median: a browser per call {cold:.2f} s, kept browser {warm:.2f} s, ratio {cold / warm:.2f}x; the kept "
        f"browser's first download (its start included) {statistics.median(first):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
