"""The command line: output columns and formats, exit codes, and one-sentence errors."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analytics.__main__ import main
from analytics.metrics.grouped import GROUPED_METRICS
from analytics.metrics.sales import PERIOD_METRICS

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = textwrap.dedent(
    """\
    date,campaign,creator,asin,clicks,orders,revenue,commission
    2026-03-01,Spring,maya,AAAAAAAAA1,100,4,80.00,8.00
    2026-03-02,Spring,leo,AAAAAAAAA1,0,0,0,0
    """
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "perf.csv").write_text(PERFORMANCE)
    path = tmp_path / "cli.duckdb"
    assert main(["--db", str(path), "load", str(tmp_path / "perf.csv")]) == 0
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_load_prints_one_line_per_file(tmp_path, capsys):
    (tmp_path / "perf.csv").write_text(PERFORMANCE)
    code, out, _ = run(capsys, "--db", str(tmp_path / "x.duckdb"), "load", str(tmp_path / "perf.csv"))
    assert code == 0
    counts, *notes = out.strip().split("; ")
    assert counts == "perf.csv: performance, 2 added, 0 updated, 0 unchanged"
    assert notes == ["dates 2026-03-01 to 2026-03-02", "new creators: leo, maya", "new ASINs: AAAAAAAAA1"]


def test_metrics_csv_has_group_columns_then_every_metric(db, capsys):
    """leo has 0 clicks: conversion is an empty field, not 0."""
    code, out, _ = run(capsys, "--db", str(db), "metrics", "--by", "creator,week")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == ["creator", "week"] + [m.name for m in GROUPED_METRICS + PERIOD_METRICS]
    by_creator = {row["creator"]: row for row in rows}
    assert by_creator["maya"]["week"] == "2026-03-01"
    assert float(by_creator["maya"]["conversion_rate"]) == pytest.approx(0.04)
    assert by_creator["leo"]["conversion_rate"] == ""
    assert by_creator["leo"]["ntb_pct"] == ""


def test_metrics_json_uses_null(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "metrics", "--by", "asin", "--format", "json", "--creator", "leo")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1
    assert rows[0]["asin"] == "AAAAAAAAA1" and rows[0]["clicks"] == 0
    assert rows[0]["conversion_rate"] is None


def test_metrics_filters_by_date(db, capsys):
    code, out, _ = run(
        capsys, "--db", str(db), "metrics", "--by", "creator", "--start", "2026-03-02", "--end", "2026-03-02"
    )
    assert [row["creator"] for row in csv.DictReader(io.StringIO(out))] == ["leo"]


def test_rank_lift_columns_per_level(db, capsys):
    expected = {
        "keyword": "asin,keyword,rank_before,rank_after,rank_change,activation_date",
        "asin": "asin,rank_before,rank_after,rank_change,keywords_improved,keywords_measured",
        "product_line": "product_line,rank_before,rank_after,rank_change,keywords_improved,keywords_measured",
    }
    control = ",control_change,lift_vs_control,control_asins,control_keywords"
    expected = {level: header + control for level, header in expected.items()}
    # The ASIN rows also carry the same comparison on weekly sales from the Business Reports.
    expected["asin"] += ",sales_change,control_sales_change,sales_lift_vs_control"
    for level, header in expected.items():
        code, out, _ = run(capsys, "--db", str(db), "rank-lift", "--by", level, "--window-days", "7")
        assert code == 0 and out.splitlines()[0] == header


def test_loads_and_unload(db, capsys):
    code, out, _ = run(capsys, "--db", str(db), "loads")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0])[:6] == ["id", "loaded_at", "file", "kind", "rows_added", "rows_updated"]
    code, out, _ = run(capsys, "--db", str(db), "unload", rows[0]["id"])
    # What it did, as the Data page's question says it before: what a controller checks the totals against.
    assert code == 0 and out == (
        "unloaded load 1 (performance, perf.csv): 2 rows leave the store. Total performance revenue goes from $80.00 "
        "to $0.00 (-$80.00). Total performance commission goes from $8.00 to $0.00 (-$8.00).\n"
    )
    code, out, _ = run(capsys, "--db", str(db), "metrics", "--by", "creator")
    assert out.strip() == ",".join(["creator"] + [m.name for m in GROUPED_METRICS + PERIOD_METRICS])


def test_a_rejected_file_exits_non_zero_with_one_sentence(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,maya,SHORT,1,0,0,0\n")
    code, out, err = run(capsys, "--db", str(db), "load", str(bad))
    assert code == 1 and out == ""
    assert err.strip() == (
        "rejected: bad.csv, line 2, column 'asin': 'SHORT' is not an ASIN (10 letters and digits, like B0C1234567)."
    )


def test_load_with_progress_prints_each_step_of_each_file_to_stderr(tmp_path, capsys):
    """Stdout keeps its one line per file; stderr says each step as the file reaches it, with the time taken."""
    (tmp_path / "perf.csv").write_text(PERFORMANCE)
    code, out, err = run(capsys, "--db", str(tmp_path / "x.duckdb"), "load", "--progress", str(tmp_path / "perf.csv"))
    assert code == 0 and out.startswith("perf.csv: performance, 2 added")
    steps = [re.sub(r" \(\d+ s\)$", "", line.removeprefix("perf.csv: ")) for line in err.splitlines()]
    # No other load held the store, so none was waited for.
    assert steps == [
        "copying the file",
        "reading every row",
        "checking every key",
        "writing the rows",
        "saving",
    ]


def test_unknown_load_id_is_an_error_not_a_traceback(db, capsys):
    code, _, err = run(capsys, "--db", str(db), "unload", "99")
    assert code == 2 and err.startswith("error: There is no load 99") and "Traceback" not in err


@pytest.mark.parametrize(
    ("holder_arguments", "named"),
    [
        ((), "is open in another program (process {pid}): close it"),
        (("analytics", "load"), "is open in a Creator Lift command-line run (process {pid}), such as a scheduled load"),
        (("streamlit", "run"), "is open in the running Creator Lift app (process {pid}): stop it"),
    ],
)
def test_a_database_held_by_another_process_names_the_holder(db, holder_arguments, named):
    """Who holds the file is read from the holding process's command line (here, its arguments)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)",
            *holder_arguments,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(db), "loads"], capture_output=True, text=True, cwd=ROOT
        )
        assert result.returncode == 2
        assert named.format(pid=holder.pid) in result.stderr and "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_reads_hold_the_store_read_only_so_they_run_beside_each_other(db):
    """A report being written and a metrics pull at once: a read holds the store read-only, as the other does."""
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}, read_only=True); print('ready', flush=True); "
            "time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        read = subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(db), "metrics", "--by", "creator", "--format", "json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert read.returncode == 0, read.stderr
        assert {row["creator"]: row["revenue"] for row in json.loads(read.stdout)} == {"leo": 0.0, "maya": 80.0}
        # A backup reads its store too, and writes its copy elsewhere.
        copy = db.with_name("copy.duckdb")
        backup = subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(db), "backup", str(copy)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert backup.returncode == 0 and copy.exists(), backup.stderr
        # A load writes: it waits for the reader to let go, and says who holds the store.
        write = subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(db), "unload", "1"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert write.returncode == 2 and f"is open in another program (process {reader.pid})" in write.stderr
    finally:
        reader.kill()
        reader.wait()


def test_db_defaults_to_the_environment_variable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "env.duckdb"))
    (tmp_path / "perf.csv").write_text(PERFORMANCE)
    assert run(capsys, "load", str(tmp_path / "perf.csv"))[0] == 0
    assert (tmp_path / "env.duckdb").exists()
    assert run(capsys, "loads")[1].count("perf.csv") == 1


def test_reading_a_database_that_does_not_exist_is_refused_rather_than_making_an_empty_one(tmp_path, capsys):
    """A weekly pull with a mistyped path reported "no data" as a success, and left an empty store behind."""
    typo = tmp_path / "nope" / "x.duckdb"
    code, out, err = run(capsys, "--db", str(typo), "metrics", "--by", "week")
    assert (code, out) == (2, "")
    assert err == f"error: no database at {typo}: check the path, or load files into it first with: load FILE\n"
    assert not typo.parent.exists()


# The db fixture holds Spring rows for maya on 03-01 ($80) and leo on 03-02 ($0); this file restates maya's day
# without a campaign column, and adds 03-03.
NO_CAMPAIGN = "date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,maya,AAAAAAAAA1,100,4,80.00,8.00\n"
NO_CAMPAIGN += "2026-03-03,maya,AAAAAAAAA1,10,1,15.00,1.50\n"


def total_revenue(capsys, db) -> float:
    out = run(capsys, "--db", str(db), "metrics", "--by", "creator", "--format", "json")[1]
    return sum(row["revenue"] for row in json.loads(out))


def test_an_overlapping_load_is_refused_until_the_user_chooses(db, tmp_path, capsys):
    """Stopped: exit 1, one sentence naming load 1 (perf.csv), the day and $80.00, and nothing loaded."""
    (tmp_path / "restated.csv").write_text(NO_CAMPAIGN)
    code, out, err = run(capsys, "--db", str(db), "load", str(tmp_path / "restated.csv"))
    assert code == 1 and out == ""
    assert err.startswith("rejected: restated.csv: load 1 (perf.csv) holds 1 row ")
    assert "on 2026-03-01, with $80.00 of revenue" in err and "--replace-overlap" in err and "\n" not in err.strip()
    assert "restated.csv" not in run(capsys, "--db", str(db), "loads")[1]
    assert total_revenue(capsys, db) == pytest.approx(80.0)


def test_replace_overlap_counts_the_day_once_and_unload_restores_it(db, tmp_path, capsys):
    """$80 stored; replaced by the file's $80 + $15 = $95 (keeping both: $175); unloading load 2: $80 again."""
    (tmp_path / "restated.csv").write_text(NO_CAMPAIGN)
    code, out, _ = run(capsys, "--db", str(db), "load", "--replace-overlap", str(tmp_path / "restated.csv"))
    assert code == 0 and "replaced 1 overlapping row of load 1 (unloading this file brings it back)" in out
    assert total_revenue(capsys, db) == pytest.approx(95.0)
    assert run(capsys, "--db", str(db), "unload", "2")[0] == 0
    assert total_revenue(capsys, db) == pytest.approx(80.0)


def test_keep_both_keeps_the_stored_day_beside_the_new_one(db, tmp_path, capsys):
    (tmp_path / "restated.csv").write_text(NO_CAMPAIGN)
    code, out, _ = run(capsys, "--db", str(db), "load", "--keep-both", str(tmp_path / "restated.csv"))
    assert code == 0 and "kept both: 1 overlapping row of load 1 stays" in out
    assert total_revenue(capsys, db) == pytest.approx(175.0)


def test_replace_overlap_and_keep_both_cannot_be_given_together(db, tmp_path, capsys):
    (tmp_path / "restated.csv").write_text(NO_CAMPAIGN)
    with pytest.raises(SystemExit):
        main(["--db", str(db), "load", "--replace-overlap", "--keep-both", str(tmp_path / "restated.csv")])


def test_program_on_load_and_on_metrics(db, tmp_path, capsys):
    """The same rows as Archer's are another program's sales: by program $80 each, filtered to archer $80.

    (The header is spelled differently: the very same file again would be skipped as already loaded.)"""
    (tmp_path / "archer.csv").write_text(PERFORMANCE.replace("date,", "Date,"))
    assert run(capsys, "--db", str(db), "load", "--program", "Archer", str(tmp_path / "archer.csv"))[0] == 0
    out = run(capsys, "--db", str(db), "metrics", "--by", "program", "--format", "json")[1]
    assert {row["program"]: row["revenue"] for row in json.loads(out)} == {"archer": 80.0, "creator_connections": 80.0}
    out = run(capsys, "--db", str(db), "metrics", "--by", "creator", "--program", "archer")[1]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["creator"]: float(row["revenue"]) for row in rows} == {"leo": 0.0, "maya": 80.0}


def test_loading_several_files_works_the_review_out_once_for_the_last_data(tmp_path, capsys, monkeypatch):
    """Each file commits on its own; the findings are worked out once, after the last, and describe it."""
    from analytics.review import insights
    from analytics.store.database import open_store

    runs = []
    real = insights.keep_findings
    monkeypatch.setattr(insights, "keep_findings", lambda con: runs.append(1) or real(con))
    files = []
    for n, day in enumerate(("2026-03-01", "2026-03-02")):
        path = tmp_path / f"week{n}.csv"
        path.write_text(f"date,creator,asin,clicks,orders,revenue,commission\n{day},@ana,B0ABCDEFGH,10,1,20,2\n")
        files.append(str(path))
    code, _, _ = run(capsys, "--db", str(tmp_path / "s.duckdb"), "load", *files)
    assert code == 0 and runs == [1]
    con = open_store(tmp_path / "s.duckdb")
    try:
        assert insights.kept_findings(con) is not None
    finally:
        con.close()


def test_a_database_path_that_is_an_export_a_folder_or_under_a_file_is_refused(tmp_path, capsys):
    """DuckDB opens a CSV as a database held in memory: loading into one reported success and kept nothing."""
    export = tmp_path / "events.csv"
    export.write_text("name,start,end\nPrime Day,2026-07-08,2026-07-09\n")
    (tmp_path / "perf.csv").write_text(PERFORMANCE)
    code, _, err = run(capsys, "--db", str(export), "load", str(tmp_path / "perf.csv"))
    assert (
        code == 2
        and err == f"error: {export} is not a Creator Lift database (a DuckDB file): is it one of your exports?\n"
    )
    assert export.read_text().startswith("name,start,end")
    code, _, err = run(capsys, "--db", str(tmp_path), "load", str(tmp_path / "perf.csv"))
    assert code == 2 and "is a folder: give the database file's path" in err
    code, _, err = run(capsys, "--db", str(export / "x.duckdb"), "load", str(tmp_path / "perf.csv"))
    assert code == 2 and err == f"error: {export / 'x.duckdb'} lies under {export}, which is a file, not a folder.\n"


def test_swapped_dates_and_out_of_range_day_counts_are_refused_in_one_sentence(db, tmp_path, capsys):
    for command in (["metrics", "--by", "week"], ["health", "--by", "week"]):
        code, out, err = run(capsys, "--db", str(db), *command, "--start", "2026-11-01", "--end", "2026-10-01")
        assert (code, out) == (2, "")
        assert err == "error: the period starts (2026-11-01) after it ends (2026-10-01); give --start before --end.\n"
    for option in (["metrics", "--by", "week", "--repeat-days", "0"], ["rank-lift", "--window-days", "2147483648"]):
        with pytest.raises(SystemExit) as stopped:
            main(["--db", str(db), *option])
        assert stopped.value.code == 2
        assert "is not a whole number of days from" in capsys.readouterr().err


def test_a_folder_given_to_load_is_named_as_a_folder(db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(db), "load", str(tmp_path))
    assert code == 1 and err == f"rejected: {tmp_path}: a folder; give the files in it, such as {tmp_path}/*.csv.\n"


def test_a_query_interrupted_by_ctrl_c_exits_130(db, capsys, monkeypatch):
    """Ctrl-C during a DuckDB query surfaces as the query's own error, which is an interruption all the same."""
    import duckdb

    from analytics.cli import reading

    def interrupted(*_: object, **__: object) -> None:
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(reading, "grouped_metrics", interrupted)
    code, _, err = run(capsys, "--db", str(db), "metrics", "--by", "week")
    assert code == 130 and err.startswith("interrupted: the change in progress was rolled back")


def test_a_report_written_into_a_missing_folder_makes_it(db, tmp_path, capsys):
    out = tmp_path / "reports" / "week" / "review.html"
    days = ("--start", "2026-03-01", "--end", "2026-03-02")  # the data's days: it holds no whole week
    code, printed, _ = run(capsys, "--db", str(db), "report", *days, "--out", str(out))
    assert code == 0 and printed == f"report written to {out}\n" and out.read_text().startswith("<!DOCTYPE html>")


def test_a_report_narrows_by_creator_as_the_sidebar_does(db, tmp_path, capsys):
    """maya's $80.00 on Mar 1 is the period's revenue under --creator maya. leo's one row has no clicks, orders or
    revenue, and a misspelt name (warned of as metrics warns of it) matches no row: neither gets a report of zeros."""
    out = tmp_path / "maya.html"
    arguments = ("--db", str(db), "report", "--start", "2026-03-01", "--end", "2026-03-02", "--out", str(out))
    code, _, err = run(capsys, *arguments, "--creator", "maya")
    assert code == 0 and err == ""
    page = out.read_text()
    assert "creators: maya" in page and "$80.00" in page
    out.unlink()
    for creator, warning in (
        ("leo", ""),
        ("Maya", "warning: no creator 'Maya' in the store (did you mean 'maya'?); it matches nothing.\n"),
    ):
        code, _, err = run(capsys, *arguments, "--creator", creator)
        assert code == 2 and not out.exists()
        assert err.startswith(
            f"{warning}error: No creator activity matches the filters given in Mar 1 – Mar 2, 2026"
        ), err


def test_a_full_backup_says_which_loaded_files_it_lacks_and_loading_one_again_keeps_it(db, tmp_path, capsys):
    """A store moved without its files' folder: the full backup is written but says it cannot rebuild perf.csv's
    rows, and exits 1; loading perf.csv again adds nothing but puts its kept copy back."""
    kept = list((db.parent / f"{db.stem}_files").iterdir())
    assert len(kept) == 1
    kept[0].unlink()
    code, _, err = run(capsys, "--db", str(db), "backup", str(tmp_path / "b.duckdb"), "--with-files")
    assert code == 1
    assert err == (
        "warning: 1 loaded file(s) have no kept copy beside the database (perf.csv), so the backup cannot rebuild "
        "their rows.\n"
    )
    code, out, _ = run(capsys, "--db", str(db), "load", str(tmp_path / "perf.csv"))
    assert code == 0 and "nothing was added" in out and kept[0].exists()
    assert run(capsys, "--db", str(db), "backup", str(tmp_path / "c.duckdb"), "--with-files")[0] == 0


def test_a_filter_value_that_matches_nothing_is_named_on_stderr(db, capsys):
    """A misspelt creator in a scheduled pull read as a creator without sales; the output is unchanged, the warning
    says why it is empty and what was probably meant."""
    code, out, err = run(
        capsys, "--db", str(db), "metrics", "--by", "creator", "--creator", "Maya", "--program", "nope"
    )
    assert code == 0 and out.count("\n") == 1  # the header alone
    assert err == (
        "warning: no creator 'Maya' in the store (did you mean 'maya'?); it matches nothing.\n"
        "warning: no program 'nope' in the store; it matches nothing.\n"
    )
    assert run(capsys, "--db", str(db), "metrics", "--by", "creator", "--creator", "maya")[2] == ""
    # A space copied along with the name.
    assert run(capsys, "--db", str(db), "metrics", "--by", "creator", "--creator", "maya ")[2] == (
        "warning: no creator 'maya ' in the store (did you mean 'maya'?); it matches nothing.\n"
    )


def test_a_creator_and_campaign_known_from_cohorts_alone_are_not_warned_of(db, tmp_path, capsys):
    """A clean room's cohorts of @ava in campaign K: her rows are filtered by both, so neither matches nothing."""
    cohorts = tmp_path / "cohorts.csv"
    cohorts.write_text(
        "period_start,period_end,creator,campaign,buyers,ntb_buyers,repeat_buyers,sns_buyers\n"
        "2026-03-01,2026-03-07,@ava,K,10,4,2,1\n"
    )
    assert run(capsys, "--db", str(db), "load", str(cohorts))[0] == 0
    code, out, err = run(capsys, "--db", str(db), "metrics", "--by", "creator", "--creator", "@ava", "--campaign", "K")
    assert (code, err) == (0, "")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["creator"], float(row["ntb_pct"])) == ("@ava", 0.4)


def test_sample_refuses_a_negative_seed_and_a_file_for_its_folder(tmp_path, capsys):
    (tmp_path / "f.csv").write_text("x\n")
    assert run(capsys, "sample", "--out", str(tmp_path / "s"), "--seed", "-1")[2] == "error: --seed must be 0 or more\n"
    code, _, err = run(capsys, "sample", "--out", str(tmp_path / "f.csv"))
    assert code == 2 and err == f"error: --out {tmp_path / 'f.csv'} is a file; give a folder for the sample's CSVs\n"


def test_a_usage_mistake_is_one_sentence_with_exit_2(db, capsys):
    """argparse's usage block before its error made a scheduled pull's log hard to read; the sentence stays."""
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(db), "metrics", "--by", "week", "--start", "2026/03/01"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "error: python -m analytics metrics: argument --start: '2026/03/01' is not a date like 2026-03-01; see: "
        "python -m analytics metrics --help\n"
    )


def test_a_refusal_is_one_sentence_and_the_readers_own_text_goes_to_the_log_beside_the_store(
    db, tmp_path, capsys, monkeypatch
):
    from analytics.ingest import importer

    # A reader failing with the engine's many lines of text, as DuckDB's CSV reader does on a malformed file.
    monkeypatch.setattr(importer, "_read_text", lambda layout: "read_csv($path, columns = {'c0': 'no_such_type'})")
    (tmp_path / "broken.csv").write_text(PERFORMANCE.replace("2026-03-0", "2026-04-0"))
    code, _, err = run(capsys, "--db", str(db), "load", str(tmp_path / "broken.csv"))
    assert code == 1
    [sentence] = err.splitlines()
    reference = re.search(r"\(reference ([0-9a-f]{8})\)\.$", sentence)
    assert sentence.startswith("rejected: broken.csv: ") and reference is not None
    logged = db.with_suffix(".log").read_text()
    assert f"Reading broken.csv failed (reference {reference.group(1)}): Invalid Input Error: " in logged


def test_an_error_the_command_survives_is_one_line_on_stderr_pointing_at_the_log(tmp_path, capsys, monkeypatch):
    """The review's findings failing after a load leaves the load in; stderr says so in a line, the log has the rest."""
    from analytics.review import insights

    def broken(con):
        raise RuntimeError("a rule broke\nwith a long traceback")

    monkeypatch.setattr(insights, "keep_findings", broken)
    (tmp_path / "perf.csv").write_text(PERFORMANCE)
    db = tmp_path / "x.duckdb"
    code, out, err = run(capsys, "--db", str(db), "load", str(tmp_path / "perf.csv"))
    assert code == 0 and out.startswith("perf.csv: performance, 2 added")
    assert err == (
        "warning: The weekly review's findings could not be worked out; the pages will work them out "
        f"(details in {tmp_path / 'x.log'})\n"
    )
    assert "RuntimeError: a rule broke" in (tmp_path / "x.log").read_text()


def test_campaigns_prints_each_budget_as_of_the_day_asked_and_the_ledgers_disagreements_apart(tmp_path, capsys):
    """The ledger of tests/test_campaigns.py. As of Mar 16: Spring has spent 30 + 28 = $58 of $90 (zoe's $50 on
    Feb 28 is before its start: said on stderr, not in the rows), $28 over the 14 days to Mar 16 = $2.00 a day, 15
    days left, projected 58 + 2 × 15 = $88: on track. Flash has spent $10 over its 2 days = $5.00 a day, 8 days left,
    projected 10 + 5 × 8 = $50. Winter has no ledger row and no end date. As of the last day of data (Mar 20) Spring
    runs out early (tests/test_campaigns.py works it out)."""
    from tests.test_campaigns import LEDGER
    from tests.test_campaigns import PERFORMANCE as SPENT

    (tmp_path / "performance.csv").write_text(SPENT)
    (tmp_path / "campaigns.csv").write_text(LEDGER)
    db = str(tmp_path / "c.duckdb")
    assert main(["--db", db, "load", str(tmp_path / "performance.csv"), str(tmp_path / "campaigns.csv")]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--db", db, "campaigns", "--as-of", "2026-03-16")
    rows = {row["campaign"]: row for row in csv.DictReader(io.StringIO(out))}
    assert code == 0 and list(rows) == ["Spring", "Flash", "Later", "Winter"]
    spring, flash = rows["Spring"], rows["Flash"]
    assert (spring["status"], spring["type"], spring["program"]) == ("on track", "launch", "creator_connections")
    assert [float(spring[c]) for c in ("commission", "budget_left", "pace_per_day", "projected_spend")] == [
        58.0,
        32.0,
        2.0,
        88.0,
    ]
    assert spring["days_left"] == "15" and spring["runs_out_on"] == "" and spring["warning"] == ""
    assert [float(flash[c]) for c in ("commission", "pace_per_day", "projected_spend")] == [10.0, 5.0, 50.0]
    assert flash["days_left"] == "8"
    assert (rows["Winter"]["status"], rows["Winter"]["end"], float(rows["Winter"]["commission"])) == (
        "no ledger row",
        "",
        4.0,
    )
    assert err == (
        "note: Spring: $50.00 of commission is dated outside its ledger dates (Mar 1, 2026 to Mar 31, 2026) and is not "
        "counted against its budget. Check the ledger's dates.\n"
    )
    # A day outside the data would read as one of no spend: "on track" with nothing loaded.
    for outside in ("2026-03-21", "2026-02-27"):
        code, out, err = run(capsys, "--db", db, "campaigns", "--as-of", outside)
        assert code != 0 and out == ""
        assert "the performance data runs from 2026-02-28 to 2026-03-20: give --as-of between them" in err
    code, out, _ = run(capsys, "--db", db, "campaigns", "--format", "json")
    spring = next(row for row in json.loads(out) if row["campaign"] == "Spring")
    assert spring["status"] == "runs out early" and spring["runs_out_on"] == "2026-03-26"
    assert "over the 14 days to Mar 20, 2026" in spring["warning"]


def test_load_again_puts_back_the_figures_of_a_file_a_later_load_changed(tmp_path, capsys):
    """newer.csv restates Mar 1 to $70; older.csv, loaded after it, takes Mar 1 back to $80. newer.csv loaded again
    adds nothing and says why; with --again its $70 is back, and older.csv's Mar 2 stays."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    (tmp_path / "newer.csv").write_text(header + "2026-03-01,S,maya,AAAAAAAAA1,10,1,70.00,7.00\n")
    (tmp_path / "older.csv").write_text(
        header + "2026-03-01,S,maya,AAAAAAAAA1,10,1,80.00,8.00\n2026-03-02,S,leo,AAAAAAAAA1,5,1,9.00,1.00\n"
    )
    db = str(tmp_path / "again.duckdb")
    for name in ("newer.csv", "older.csv"):
        assert main(["--db", db, "load", str(tmp_path / name)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", db, "load", str(tmp_path / "newer.csv"))
    assert code == 0 and out.startswith(
        "newer.csv: performance, 0 added, 0 updated, 1 unchanged; already loaded as load 1, nothing was added."
    )
    assert "load it again with --again to put its figures back." in out
    code, out, err = run(capsys, "--db", db, "load", "--again", str(tmp_path / "newer.csv"))
    assert code == 0 and out.startswith("newer.csv: performance, 0 added, 1 updated, 0 unchanged")
    # Said to be the later download: what it restates is what the load brought, not a caution to check.
    assert (
        "1 row restates days that load 2 (older.csv), a download running to 2026-03-02, already held, moving its "
        "revenue by -$10.00 and commission by -$1.00; loaded again"
    ) in out
    assert "if this file was downloaded before" not in out + err
    code, out, _ = run(capsys, "--db", db, "metrics", "--by", "creator", "--format", "json")
    assert {row["creator"]: row["revenue"] for row in json.loads(out)} == {"maya": 70.0, "leo": 9.0}


def test_loads_lists_what_each_load_left_to_check(tmp_path, capsys):
    """older.csv runs to Mar 2; newer.csv, loaded after it, restates Mar 1 and runs to Mar 1 only: loaded, to check
    whether it is the older download. `loads` said nothing of it; its last column now gives the caution."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    (tmp_path / "older.csv").write_text(
        header + "2026-03-01,S,maya,AAAAAAAAA1,10,1,80.00,8.00\n2026-03-02,S,leo,AAAAAAAAA1,5,1,9.00,1.00\n"
    )
    (tmp_path / "newer.csv").write_text(header + "2026-03-01,S,maya,AAAAAAAAA1,10,1,70.00,7.00\n")
    db = str(tmp_path / "check.duckdb")
    for name in ("older.csv", "newer.csv"):
        assert main(["--db", db, "load", str(tmp_path / name)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", db, "loads")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0])[-2:] == ["sha256", "to_check"]
    assert rows[0]["to_check"] == ""
    assert rows[1]["to_check"].startswith(
        "1 row restates days that load 1 (older.csv), a download running to 2026-03-02"
    )


def test_load_keep_newer_adds_only_the_rows_a_later_download_does_not_hold(tmp_path, capsys):
    """newer.csv restates maya's Mar 2 to $70 and runs to Mar 3; older.csv holds Mar 1's $40 and Mar 2's $80. With
    --keep-newer, Mar 1 is added and Mar 2 stays $70: maya 40 + 70 = $110, leo $9, and no warning to check."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    (tmp_path / "newer.csv").write_text(
        header + "2026-03-02,S,maya,AAAAAAAAA1,10,1,70.00,7.00\n2026-03-03,S,leo,AAAAAAAAA1,5,1,9.00,1.00\n"
    )
    (tmp_path / "older.csv").write_text(
        header + "2026-03-01,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-03-02,S,maya,AAAAAAAAA1,10,1,80.00,8.00\n"
    )
    db = str(tmp_path / "keep.duckdb")
    assert main(["--db", db, "load", str(tmp_path / "newer.csv")]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", db, "load", "--keep-newer", str(tmp_path / "older.csv"))
    assert code == 0 and out.startswith("older.csv: performance, 1 added, 0 updated, 0 unchanged")
    assert (
        "1 row left out, as load 1 (newer.csv), a download running to 2026-03-03, covers it with newer figures" in out
    )
    assert "restates days" not in out
    code, out, _ = run(capsys, "--db", db, "metrics", "--by", "creator", "--format", "json")
    assert {row["creator"]: row["revenue"] for row in json.loads(out)} == {"maya": 110.0, "leo": 9.0}


def test_load_warns_of_a_stored_sale_a_newer_download_leaves_out_and_drop_missing_drops_it(tmp_path, capsys):
    """week7.csv covers Oct 23 but no longer holds dan's $24.99 sale: kept with a warning by default; with
    --drop-missing, dropped (maya's $38 alone is left of Oct 23)."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    (tmp_path / "week6.csv").write_text(
        header + "2026-10-23,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-10-23,S,dan,AAAAAAAAA1,0,1,24.99,2.50\n"
    )
    (tmp_path / "week7.csv").write_text(
        header + "2026-10-23,S,maya,AAAAAAAAA1,10,1,38.00,3.80\n2026-10-24,S,dan,AAAAAAAAA1,5,1,10.00,1.00\n"
    )
    for flags, dan in (((), 34.99), (("--drop-missing",), 10.0)):
        db = str(tmp_path / f"missing{len(flags)}.duckdb")
        assert main(["--db", db, "load", str(tmp_path / "week6.csv")]) == 0
        capsys.readouterr()
        code, out, _ = run(capsys, "--db", db, "load", *flags, str(tmp_path / "week7.csv"))
        assert code == 0
        if flags:
            assert "1 stored row of these days that this download no longer holds dropped ($24.99 of revenue)" in out
        else:
            assert "1 row stored for a day it covers (Oct 23, 2026) is not in it (Oct 23, dan" in out
        code, out, _ = run(capsys, "--db", db, "metrics", "--by", "creator", "--format", "json")
        assert {row["creator"]: row["revenue"] for row in json.loads(out)} == {"dan": dan, "maya": 38.0}


def test_metrics_by_week_says_which_weeks_the_dates_cut_short(tmp_path, capsys):
    """Oct 1 to Oct 6 cuts both of its weeks: the row named 2026-09-27 holds only Oct 1-3, and an analyst putting it
    beside the app's whole-week figures for that Sunday saw two numbers for one week. Whole weeks say nothing."""
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    days = [f"2026-09-{d}" for d in range(27, 31)] + [f"2026-10-{d:02d}" for d in range(1, 11)]
    (tmp_path / "perf.csv").write_text(header + "".join(f"{d},S,maya,AAAAAAAAA1,1,1,10.00,1.00\n" for d in days))
    db = str(tmp_path / "weeks.duckdb")
    assert main(["--db", db, "load", str(tmp_path / "perf.csv")]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--db", db, "metrics", "--by", "week", "--start", "2026-10-01", "--end", "2026-10-06")
    assert code == 0 and [line.split(",")[:2] for line in out.splitlines()[1:]] == [
        ["2026-09-27", "3"],
        ["2026-10-04", "3"],
    ]
    assert err == (
        "note: the dates cut a week short: the week of 2026-09-27 holds only 2026-10-01 to 2026-10-03; the week of "
        "2026-10-04 holds only 2026-10-04 to 2026-10-06.\n"
    )
    code, out, err = run(capsys, "--db", db, "metrics", "--by", "week", "--start", "2026-09-27", "--end", "2026-10-03")
    assert code == 0 and err == ""


def test_metrics_says_which_sales_rows_cross_the_dates_and_are_left_out(db, tmp_path, capsys):
    """A week's Business Report of Feb 26 – Mar 4 and one of Mar 1 – Mar 2: asked for Mar 1 – Mar 2, total_revenue is
    the second's 500.00 alone. The first crosses the dates' edge and was left out without a word, beside revenue of
    the whole two days; the note says so on stderr, and stdout stays the table."""
    (tmp_path / "sales.csv").write_text(
        "period_start,period_end,asin,total_revenue,total_units,sessions\n"
        "2026-02-26,2026-03-04,AAAAAAAAA1,900.00,30,300\n"
        "2026-03-01,2026-03-02,AAAAAAAAA1,500.00,20,200\n"
    )
    assert run(capsys, "--db", str(db), "load", str(tmp_path / "sales.csv"))[0] == 0
    dates = ("--start", "2026-03-01", "--end", "2026-03-02")
    code, out, err = run(capsys, "--db", str(db), "metrics", "--by", "asin", *dates)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["asin"], r["total_revenue"]) for r in rows] == [("AAAAAAAAA1", "500.0")]
    assert err == (
        "note: 1 sales row crosses the edges of the dates asked for and is left out of total_revenue, total_units, "
        "sessions, creator_sales_share and buy_box_pct: a row counts only where its whole period lies inside.\n"
    )
