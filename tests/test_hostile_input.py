"""Input from the internet: file names are never paths, filter values are never SQL, formulas never run."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from analytics.ingest.importer import load_file
from analytics.metrics.grouped import Scope, grouped_metrics
from analytics.present.export import frame_to_csv
from analytics.store import database as store

PERF = "date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,maya,B0ABCDEFGH,10,1,20.00,2.00\n"
HOSTILE_VALUES = [
    "'; drop table performance; --",
    'maya" or "1"="1',
    "maya' or '1'='1",
    "/* comment */ maya",
    "$start",
    "maya\x00",
    "%",
    "",
]


@pytest.mark.parametrize(
    "name", ["../../escape.csv", "/etc/passwd", "a" * 600 + ".csv", "nul\x00byte.csv", "..", "CON", "résumé ☃.csv"]
)
def test_uploaded_file_names_are_never_used_as_paths(con, tmp_path, name):
    source = tmp_path / "upload.bin"
    source.write_text(PERF)
    result = load_file(con, source, name)
    kept = [p.name for p in store.raw_files_dir(con).iterdir()]
    sha256 = store.list_loads(con)["sha256"][0]
    assert kept in ([sha256 + ".csv"], [sha256 + ".dat"])
    assert not (tmp_path.parent / "escape.csv").exists()
    assert result.added == 1 and store.list_loads(con)["file"][0] == name


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_filter_values_are_bound_never_pasted_into_sql(con, tmp_path, value):
    (tmp_path / "perf.csv").write_text(PERF)
    load_file(con, tmp_path / "perf.csv")
    for field in ("creators", "asins", "product_lines", "campaigns"):
        frame = grouped_metrics(con, Scope(**{field: (value,)}), ["creator"])
        assert frame.empty
    assert con.execute("select count(*) from performance").fetchone()[0] == 1


def test_downloads_neutralise_spreadsheet_formulas() -> None:
    frame = pd.DataFrame(
        {
            "creator": ['=HYPERLINK("http://x")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "maya"],
            "revenue": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    rows = list(csv.reader(io.StringIO(frame_to_csv(frame))))
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "maya",
    ]
    assert rows[1][1] == "-5.0"  # numbers stay numbers, negative or not


@pytest.mark.parametrize("value", HOSTILE_VALUES[:5])
def test_hostile_url_parameters_are_ignored_not_run(app_env, entry_script_on_every_run, value):
    """A shared link can carry anything: filter values not among the real options are dropped, and the
    period and custom dates fall back to their defaults; the page renders the whole program."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    for param in ("creator", "line", "campaign", "period", "start", "end", "focus"):
        at.query_params[param] = value
    at.run()
    assert not at.exception
    assert at.multiselect(key="filter_creator").value == []
    assert at.multiselect(key="filter_line").value == []
    assert at.selectbox(key="filter_period").value == "Last 4 weeks"
    assert len(at.metric) >= 9


def test_a_short_row_of_separators_is_skipped_and_later_lines_keep_their_numbers(con, tmp_path) -> None:
    """ ",,," under a spreadsheet's data (fewer cells than the header, all empty) was refused as a row of 4 cells; it
    is a blank row, skipped as a full-width one is. A bad cell after it is still named by its own line."""
    from analytics.ingest.importer import load_file
    from analytics.ingest.layout import FileRejectedError

    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    good = "2026-03-01,Spring,@maya,B0C1234567,10,1,20.00,2.00\n"
    path = tmp_path / "perf.csv"
    path.write_text(header + good + ",,,\n" + good.replace("03-01", "03-02") + ",,,,,,,,,,,\n")
    assert load_file(con, path, "perf.csv").added == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(header + ",,,\n" + good.replace("03-01", "03-03").replace(",10,", ",ten,"))
    with pytest.raises(FileRejectedError, match=r"bad\.csv, line 3"):
        load_file(con, bad, "bad.csv")
