"""A load can be cancelled at any step before it commits, and then changes nothing; once it settles, it finishes."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from analytics.ingest import workbook
from analytics.ingest.importer import load_file
from analytics.ingest.progress import LoadCancelledError, LoadProgress
from analytics.store.database import WRITE_LOCK, raw_files_dir

PERFORMANCE = "date,creator,asin,clicks,orders,revenue,commission\n" + "".join(
    f"2026-03-{day:02d},Ana,B0HYDRA001,{day},1,40.00,4.00\n" for day in range(1, 29)
)
STEPS = ("copying the file", "reading every row", "checking every key")


class CancelAt(LoadProgress):
    """Cancels itself when the load reaches step `at`, as a click on Cancel would at that moment."""

    def __init__(self, at: str) -> None:
        super().__init__()
        self.at = at
        self.seen: list[str] = []

    def step(self, name: str, fraction: float | None = None) -> None:
        if name not in self.seen:
            self.seen.append(name)
        if name == self.at:
            self.cancel()
        super().step(name, fraction)

    def settle(self, name: str) -> None:
        super().settle(name)
        if self.at == "saving":
            assert not self.cancel()  # too late: the load is committing


def _store_state(con: duckdb.DuckDBPyConnection) -> tuple[object, ...]:
    counts = con.execute("select (select count(*) from loads), (select count(*) from performance)").fetchone()
    return counts, sorted(p.name for p in raw_files_dir(con).iterdir())


@pytest.mark.parametrize("step", [*STEPS, "writing the rows"])
def test_a_cancel_at_any_step_before_the_commit_leaves_the_store_as_it_was(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, step: str
) -> None:
    path = tmp_path / "week.csv"
    path.write_text(PERFORMANCE)
    before = _store_state(con)
    progress = CancelAt(step)
    with pytest.raises(LoadCancelledError, match="week.csv: the load was cancelled; nothing was changed"):
        load_file(con, path, progress=progress)
    assert progress.seen[-1] == step
    assert _store_state(con) == before
    assert con.execute("select count(*) from duckdb_tables() where table_name like 'cl_%'").fetchone() == (0,)
    # The same file loads whole afterwards: the cancelled load left nothing that says it was loaded.
    assert load_file(con, path).added == 28


def test_every_step_is_reported_in_order_and_a_cancel_once_saving_changes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "week.csv"
    path.write_text(PERFORMANCE)
    progress = CancelAt("saving")
    assert load_file(con, path, progress=progress).added == 28
    assert progress.seen == [*STEPS, "writing the rows"]
    assert progress.step_name == "saving"
    assert not progress.cancelled


def test_a_load_waiting_for_another_says_so_and_a_cancel_there_changes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Another load holds the store's write lock (here, another thread): this one says it waits, and a cancel while it
    waits leaves the store as it was once the lock is free."""
    path = tmp_path / "week.csv"
    path.write_text(PERFORMANCE)
    before = _store_state(con)
    progress = CancelAt("waiting for another load to finish")
    held, release = threading.Event(), threading.Event()

    def other_load() -> None:
        with WRITE_LOCK:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=other_load)
    holder.start()
    assert held.wait(10)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_file(con.cursor(), path, progress=progress)
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            outcome.append(error)

    loader = threading.Thread(target=load)
    loader.start()
    deadline = time.monotonic() + 10
    while "waiting for another load to finish" not in progress.seen and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    holder.join(10)
    loader.join(30)
    assert progress.seen == ["copying the file", "waiting for another load to finish"]
    assert len(outcome) == 1 and isinstance(outcome[0], LoadCancelledError)
    assert _store_state(con) == before


def test_a_cancel_during_a_running_query_interrupts_it_and_rolls_the_load_back(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The cancel comes from another thread while the load's longest query runs: DuckDB interrupts it."""
    path = tmp_path / "big.csv"
    with open(path, "w") as handle:
        handle.write("date,creator,asin,clicks,orders,revenue,commission\n")
        for n in range(400_000):
            handle.write(f"2026-03-{n % 28 + 1:02d},creator-{n},B0HYDRA{n % 1000:03d},{n % 9},0,0.00,0.00\n")
    before = _store_state(con)
    progress = LoadProgress()

    def cancel_once_reading() -> None:
        while progress.step_name != "reading every row":
            time.sleep(0.001)
        progress.cancel()

    canceller = threading.Thread(target=cancel_once_reading)
    canceller.start()
    with pytest.raises(LoadCancelledError):
        load_file(con, path, progress=progress)
    canceller.join()
    assert _store_state(con) == before


def test_a_cancel_kills_the_worker_reading_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker is started, then the cancel comes: the wait kills it at its next look rather than waiting for the
    sheet. A sheet of 2,000 rows takes the worker longer than the cancel takes to arrive."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["date", "creator", "asin", "clicks", "orders", "revenue", "commission"])
    for n in range(2_000):
        sheet.append(["2026-03-01", f"creator-{n}", "B0HYDRA001", 1, 0, 0, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "week.xlsx"
    path.write_bytes(buffer.getvalue())
    assert zipfile.is_zipfile(path)

    progress = LoadProgress()
    started = threading.Event()
    real_popen = workbook.subprocess.Popen

    def popen(*args: object, **kwargs: object) -> object:
        process = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        started.set()
        return process

    monkeypatch.setattr(workbook.subprocess, "Popen", popen)
    canceller = threading.Thread(target=lambda: started.wait(10) and progress.cancel())
    canceller.start()
    began = time.monotonic()
    with pytest.raises(LoadCancelledError):
        workbook.convert_in_worker(path, "week.xlsx", tmp_path, progress)
    canceller.join()
    assert time.monotonic() - began < 5
    assert not (tmp_path / "sheet.csv").exists() or (tmp_path / "sheet.csv").stat().st_size < 200_000


def test_an_upload_job_cancelled_mid_file_keeps_the_files_before_and_loads_none_after() -> None:
    """Three files on the job's thread: the first loads, the second is cancelled while it loads, the third never
    starts. Each outcome says which."""
    from ui.load_jobs import LoadJob, Outcome

    second_started = threading.Event()

    def load_one(index: int, progress: LoadProgress) -> Outcome:
        if index == 1:
            second_started.set()
            while True:  # a long load, stepping along until the cancel stops it
                progress.step("reading every row")
                time.sleep(0.01)
        return Outcome("ok", f"file {index} loaded")

    let_go: list[int] = []
    job = LoadJob(["a.csv", "b.csv", "c.csv"], load_one, into=("/stores/acme.duckdb", "Acme"), let_go=let_go.append)
    job.start()
    assert second_started.wait(10)
    assert "Loading b.csv (2 of 3): reading every row" in job.describe("/stores/acme.duckdb")
    # Watched from another brand's page (the picker moved on), the line says where the files go.
    assert "Loading b.csv into Acme (2 of 3): reading every row" in job.describe("/stores/beta.duckdb")
    assert 1 / 3 < job.done() < 2 / 3
    job.cancel()
    job._thread.join(10)
    assert not job.running
    assert [(o.outcome, o.sentence) for o in job.outcomes] == [
        ("ok", "file 0 loaded"),
        ("cancelled", "b.csv: cancelled before it was saved; nothing from it was loaded."),
        ("cancelled", "c.csv: not loaded; the upload was cancelled."),
    ]
    # c.csv's load never began: what was kept for it is let go (b.csv's own load let go of its file as it stopped).
    assert let_go == [2]


def test_an_upload_job_works_the_review_out_once_after_its_last_file_when_any_loaded() -> None:
    """The review's findings are worked out once for the data the whole upload leaves, after the last file, not after
    each; an upload that loaded nothing, or was cancelled, leaves them to the pages."""
    from ui.load_jobs import LoadJob, Outcome

    def upload(outcomes: list[str], cancel_at: int | None = None) -> tuple[list[str], list[str]]:
        events: list[str] = []
        seen: list[str] = []

        def load_one(index: int, progress: LoadProgress) -> Outcome:
            events.append(f"file {index}")
            if index == cancel_at:
                job.cancel()
            return Outcome(outcomes[index], f"file {index}")

        def after_loads(progress: LoadProgress) -> None:
            progress.settle("working out the weekly review")
            seen.append(job.describe())
            events.append("review")

        job = LoadJob([f"{n}.csv" for n in "abc"[: len(outcomes)]], load_one, after_loads)
        job.start()
        job._thread.join(10)
        assert not job.running
        return events, seen

    events, seen = upload(["ok", "error", "ok"])
    assert events == ["file 0", "file 1", "file 2", "review"]
    assert seen[0].startswith("3 of 3 files done: working out the weekly review (")
    assert upload(["error", "ok"])[0] == ["file 0", "file 1", "review"]
    assert upload(["error", "map"])[0] == ["file 0", "file 1"]
    assert upload(["ok", "ok"], cancel_at=0)[0] == ["file 0"]


def test_the_review_an_upload_works_out_is_of_the_data_it_leaves(tmp_path: Path) -> None:
    """Files loaded without their own review (`refresh=False`, as an upload loads them) leave findings of older data;
    `session.work_out_review` brings them up to the data the upload leaves."""
    from analytics.review.insights import kept_findings
    from analytics.store import changes
    from analytics.store import database as store
    from analytics.store.workspaces import Workspace
    from ui import session

    path = tmp_path / "brand.duckdb"
    workspace = Workspace("brand", "Brand", path)
    week = tmp_path / "week.csv"
    week.write_text(PERFORMANCE, encoding="utf-8")
    with session.workspace_cursor(workspace) as con:
        assert kept_findings(con) == []  # an empty store's review, worked out as it opened
        changes.load_file(con, week, "week.csv", refresh=False)
        assert kept_findings(con) is None  # of the data before the load
        session.work_out_review(workspace, LoadProgress())
        found = kept_findings(con)
        assert found is not None and store.data_version(con) > 0


def test_an_upload_job_reports_a_failure_with_a_reference_never_engine_text() -> None:
    from ui.load_jobs import LoadJob, Outcome

    def load_one(index: int, progress: LoadProgress) -> Outcome:
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data of size 1.0 GiB")

    job = LoadJob(["a.csv"], load_one)
    job.start()
    job._thread.join(10)
    [outcome] = job.outcomes
    assert outcome.outcome == "error"
    assert outcome.sentence.startswith("a.csv: could not be loaded (reference ")
    assert "Memory" not in outcome.sentence


def test_ctrl_c_during_a_command_line_load_rolls_it_back_and_stops_the_workbook_worker(tmp_path: Path) -> None:
    """SIGINT while the worker reads a 150,000-row workbook: the CLI exits 130 with a sentence (the worker is killed,
    not waited for: left reading, it would take half a minute and the load would go on), and the store has no load.
    The wait for the exit is a guard against a hang, not a timing: a loaded machine is slow to schedule the exit."""
    import signal
    import subprocess
    import sys
    from datetime import date

    from tests.conftest import ROOT
    from tests.test_browser_cancel import slow_workbook

    book = slow_workbook(tmp_path / "slow.xlsx", date(2026, 3, 28))
    db = tmp_path / "cli.duckdb"
    command = [sys.executable, "-m", "analytics", "--db", str(db), "load", str(book)]
    # Python leaves Ctrl-C alone in a process started with SIGINT ignored, as a shell's background job is: the
    # command line is started as a terminal starts it, whatever started the suite.
    cli = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # The signal goes once the worker runs its conversion: a child caught between fork and exec is not yet it.
    worker_seen = time.monotonic() + 60
    while time.monotonic() < worker_seen and not _workbook_worker(cli.pid):
        time.sleep(0.05)
    assert _workbook_worker(cli.pid), "the workbook worker never started"
    cli.send_signal(signal.SIGINT)
    try:
        _, err = cli.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        state = Path(f"/proc/{cli.pid}/status").read_text() if Path(f"/proc/{cli.pid}/status").exists() else ""
        cli.kill()
        pytest.fail(f"the command line did not stop; children {_children(cli.pid)}, state {state[:400]}")
    assert cli.returncode == 130
    assert "interrupted: the change in progress was rolled back" in err and "Traceback" not in err
    listed = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db), "loads"], cwd=ROOT, capture_output=True, text=True
    )
    assert "slow.xlsx" not in listed.stdout


def _children(pid: int) -> list[str]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return children.read_text().split() if children.exists() else []


def _workbook_worker(pid: int) -> bool:
    """Whether process `pid` has a child running the workbook worker's module."""
    for child in _children(pid):
        try:
            if b"analytics.ingest.workbook" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
        except OSError:  # gone meanwhile
            pass
    return False
