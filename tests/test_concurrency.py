"""Several people at once: readers on cursors while files load, and a load killed half-way through."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

import pytest

from analytics.ingest.importer import load_file
from analytics.metrics.grouped import Scope, grouped_metrics, totals
from analytics.metrics.rank_lift import rank_lift
from analytics.store import database as store
from analytics.store.changes import SAMPLE_FILES

ROOT = Path(__file__).resolve().parent.parent
REVIEW_SCOPE = Scope(date(2026, 8, 17), date(2026, 11, 14))


def past_file(folder: Path, index: int, rows: int) -> Path:
    """Performance rows from 2010 on, years before the readers' scope, so loading them must not change what they
    see (days after tomorrow would be refused)."""
    lines = ["date,campaign,creator,asin,clicks,orders,revenue,commission"]
    start = date(2010, 1, 1) + timedelta(days=index * 400)
    for n in range(rows):
        day = start + timedelta(days=n % 365)
        lines.append(f"{day},Load {index},@writer{index}-{n // 365},B0CONCUR{index:02d},10,1,20.00,2.00")
    path = folder / f"past-{index}.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def page_queries(con):
    """What the review pages ask on first render, as comparable plain values."""
    return (
        grouped_metrics(con, REVIEW_SCOPE, ["creator"]).to_csv(index=False),
        grouped_metrics(con, REVIEW_SCOPE, ["asin", "week"]).to_csv(index=False),
        grouped_metrics(con, REVIEW_SCOPE, ["product_line"]).to_csv(index=False),
        rank_lift(con, "asin").to_csv(index=False),
        repr(totals(con, REVIEW_SCOPE)),
    )


@pytest.mark.slow
def test_readers_and_loaders_in_threads_see_whole_files_and_right_numbers(sample_con, tmp_path):
    """8 reader threads repeat the pages' queries on their own cursors while 2 threads load 3 files each.

    Readers never fail, always get the same answers as a serial run (the loads are outside their scope),
    and never see part of a file: the performance row count is always the sample's plus whole files.
    """
    expected = page_queries(sample_con)
    base_rows = sample_con.execute("select count(*) from performance").fetchone()[0]
    files = [past_file(tmp_path, i, 400 + 10 * i) for i in range(6)]
    sizes = [400 + 10 * i for i in range(6)]
    whole_states = {base_rows + sum(c) for r in range(len(sizes) + 1) for c in combinations(sizes, r)}
    errors: list[BaseException] = []
    seen_counts: set[int] = set()
    done = threading.Event()

    def reader() -> None:
        cursor = sample_con.cursor()
        try:
            while not done.is_set():
                assert page_queries(cursor) == expected
                seen_counts.add(cursor.execute("select count(*) from performance").fetchone()[0])
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)
        finally:
            cursor.close()

    def loader(paths: list[Path]) -> None:
        cursor = sample_con.cursor()
        try:
            for path in paths:
                load_file(cursor, path)
        except BaseException as error:
            errors.append(error)
        finally:
            cursor.close()

    readers = [threading.Thread(target=reader) for _ in range(8)]
    loaders = [threading.Thread(target=loader, args=(files[i::2],)) for i in range(2)]
    for thread in readers + loaders:
        thread.start()
    for thread in loaders:
        thread.join(timeout=120)
    done.set()
    for thread in readers:
        thread.join(timeout=120)
    assert errors == []
    assert seen_counts <= whole_states
    final = sample_con.execute("select count(*) from performance").fetchone()[0]
    assert final == base_rows + sum(sizes)
    assert len(store.list_loads(sample_con)) == len(SAMPLE_FILES) + len(files)


LOADER = "import sys; from analytics.__main__ import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.slow
def test_a_load_killed_half_way_leaves_no_trace_and_earlier_loads_intact(sample_db_file, tmp_path):
    """SIGKILL the CLI while it loads a large file; on reopening, the store holds exactly the earlier loads.

    The kill lands at growing offsets until one falls inside the load (its raw copy kept, its rows not
    committed); every attempt must leave a store that opens and equals either before or after the load.
    """
    from tests.conftest import copy_store
    from tools.sample_data import write_sample

    big = write_sample(tmp_path / "big", scale=12)["performance"]
    db = copy_store(sample_db_file, tmp_path)
    con = store.open_store(db)
    before = page_queries(con), store.list_loads(con)["sha256"].tolist()
    raw_dir = store.raw_files_dir(con)
    con.close()
    killed_inside = False
    for offset in (0.6, 1.0, 1.4, 1.8, 2.4, 3.0, 4.0, 5.0):
        process = subprocess.Popen(
            [sys.executable, "-c", LOADER, "--db", str(db), "load", str(big)], cwd=ROOT, env=os.environ.copy()
        )
        time.sleep(offset)
        process.send_signal(signal.SIGKILL)
        process.wait()
        con = store.open_store(db)
        hashes = store.list_loads(con)["sha256"].tolist()
        if hashes == before[1]:
            assert page_queries(con) == before[0]
            big_rows = con.execute("select count(*) from performance where creator like '%-0%'").fetchone()[0]
            assert big_rows == 0
            kept = {p.name.split(".")[0] for p in raw_dir.iterdir()}
            killed_inside = killed_inside or len(kept) > len(before[1])
            con.close()
        else:
            # The load finished before the kill: it is whole, and there is nothing more to learn.
            assert len(hashes) == len(before[1]) + 1
            con.close()
            break
        if killed_inside:
            break
    assert killed_inside, "no kill landed inside the load; the machine may be unusually slow or fast"
