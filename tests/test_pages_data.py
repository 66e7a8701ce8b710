"""The Customers, Organic rank and Data pages under AppTest: they open, the upload flow changes the numbers the
user sees, a rejected file changes nothing, an undo restores them, unknown columns can be mapped by hand, and an
empty store gets guidance instead of zeros."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.ingest import uploads
from analytics.ingest.importer import list_mappings
from analytics.metrics.grouped import DEFAULT_REPEAT_DAYS, Scope, data_range, last_order_date, totals
from analytics.metrics.periods import DEFAULT_PRESET, preset_range
from analytics.present.formatting import format_value
from analytics.review import customer_value
from analytics.store import files
from analytics.store.changes import SAMPLE_FILES
from analytics.store.database import list_loads, unload
from analytics.words import range_words
from tests.conftest import ROOT, SAMPLE_CREATORS
from tests.plotly_support import values
from ui.notices import WORD_JOINER

CUSTOMERS, ORGANIC_RANK, DATA, OVERVIEW = (
    "pages/customers.py",
    "pages/organic_rank.py",
    "pages/data.py",
    "pages/overview.py",
)


pytestmark = pytest.mark.usefixtures("entry_script_on_every_run")


def open_page(page: str) -> AppTest:
    """A new session on `page` (every run goes through app.py: see `navigation.ensure_entry_script`)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def store_figures(db: Path) -> tuple[dict[str, object], int]:
    """Whole-store totals and the number of loads, read beside the app (DuckDB shares one open file per process)."""
    con = duckdb.connect(str(db))
    try:
        return totals(con, Scope()), len(list_loads(con))
    finally:
        con.close()


def last_period_end(db: Path) -> str:
    """The last day of the default period, so uploaded rows fall inside what the overview shows."""
    con = duckdb.connect(str(db))
    try:
        span = data_range(con)
    finally:
        con.close()
    assert span is not None
    return preset_range(DEFAULT_PRESET, span[1])[1].isoformat()


def unescaped(text: str) -> str:
    """Alert text as the user reads it: the page escapes Markdown in file names and values, and breaks link and icon
    openers with invisible word joiners."""
    return text.replace("\\", "").replace(WORD_JOINER, "")


def alerts(at: AppTest, kind: str) -> list[str]:
    return [unescaped(e.value) for e in getattr(at, kind)]


def upload(at: AppTest, name: str, text: str) -> AppTest:
    at.file_uploader[0].set_value((name, text.encode(), "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def loaded_one_more(
    at: AppTest, db: Path, said: str, before: dict[str, object], loads_before: int, revenue: float
) -> None:
    """The page ran clean and says `said` in green, and the store at `db` holds one load and `revenue` more."""
    assert not at.exception, [e.value for e in at.exception]
    assert any(said in s for s in alerts(at, "success")), alerts(at, "success")
    after, loads_after = store_figures(db)
    assert loads_after == loads_before + 1
    assert after["revenue"] == pytest.approx(before["revenue"] + revenue)


def performance_csv(day: str, asin: str = "B0TESTASN1") -> str:
    """Two rows: 40 + 20 clicks, 3 + 1 orders, $100.00 + $23.45 revenue, $10.00 + $2.34 commission; a product new to
    the sample brand, promoted by two of its creators in its always-on campaign (a launch, not another brand's)."""
    first, second = SAMPLE_CREATORS
    return (
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        f"{day},Always-on,{first},{asin},40,3,100.00,10.00\n"
        f"{day},Always-on,{second},{asin},20,1,23.45,2.34\n"
    )


def kpi(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_customers_page_opens_on_the_sample_with_rates_against_the_baseline(app_env: Path) -> None:
    at = open_page(CUSTOMERS)
    assert [t.value for t in at.main.title] == ["Customers"]
    # The cards are the engine's figures for the default period, as the cards format them.
    con = duckdb.connect(str(app_env))
    try:
        start, end = preset_range(DEFAULT_PRESET, data_range(con)[1])
        engine = totals(con, Scope(start, end))
    finally:
        con.close()
    assert kpi(at, "New-to-brand %") == format_value(engine["ntb_pct"], "percent")
    assert kpi(at, "Subscribe & Save rate") == format_value(engine["sns_rate"], "percent")
    assert kpi(at, "Repeat rate").endswith("%")
    # Only the open tab's chart is worked out and drawn: by product line, then by creator once that tab is opened.
    [chart] = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["layout"]["yaxis"]["title"]["text"] == "Product line"
    at.session_state["customers_group"] = "Creator"
    at.run()
    [chart] = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["layout"]["yaxis"]["title"]["text"] == "Creator"
    at.segmented_control(key="customers_metric").set_value("repeat_rate").run()
    assert not at.exception
    # Every buyer of the default period is still pending: the repeat rate by creator is the latest matured 4 weeks',
    # and so are the baselines its caption sets every creator against.
    con = duckdb.connect(str(app_env))
    try:
        matured = customer_value.fallback_scope(engine, Scope(start, end), last_order_date(con), DEFAULT_REPEAT_DAYS)
        assert matured is not None and matured.start is not None and matured.end is not None
        weeks = totals(con, matured)
    finally:
        con.close()
    said = " ".join(c.value for c in at.caption)
    assert (
        "every creator is compared with the same one, all buyers of the selected products: "
        + ", ".join(
            f"{label} {format_value(weeks[b], 'percent')}"
            for label, b in (
                ("New-to-brand %", "baseline_ntb_pct"),
                ("Repeat rate", "baseline_repeat_rate"),
                ("Subscribe & Save rate", "baseline_sns_rate"),
            )
        )
        in said
    )


def test_organic_rank_page_opens_on_the_sample_and_follows_the_controls(app_env: Path) -> None:
    at = open_page(ORGANIC_RANK)
    assert [t.value for t in at.main.title] == ["Organic rank"]
    assert kpi(at, "Rank before").replace(".", "").replace(",", "").isdigit()  # a plain number, never "#47.2"
    picker = at.selectbox(key="rank_asin")
    at.number_input(key="rank_window_days").set_value(14).run()
    at.number_input(key="rank_lag_days").set_value(7).run()
    last_asin = picker.options[-1].split(" · ")[0]  # options read "B0… · title"
    at.selectbox(key="rank_asin").set_value(last_asin).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 1


def test_uploading_a_performance_file_adds_its_rows_to_the_numbers_the_overview_shows(app_env: Path) -> None:
    day = last_period_end(app_env)
    before, loads_before = store_figures(app_env)
    overview = open_page(OVERVIEW)
    revenue_shown_before = kpi(overview, "Attributed revenue")

    at = upload(open_page(DATA), "apptest_week.csv", performance_csv(day))
    assert any("apptest_week.csv: Performance, 2 added, 0 updated, 0 unchanged" in s for s in alerts(at, "success"))
    assert not at.error
    after, loads_after = store_figures(app_env)
    assert loads_after == loads_before + 1
    assert after["clicks"] == before["clicks"] + 60
    assert after["orders"] == before["orders"] + 4
    assert after["revenue"] == pytest.approx(before["revenue"] + 123.45)
    assert after["commission"] == pytest.approx(before["commission"] + 12.34)

    at.switch_page(OVERVIEW).run()
    assert not at.exception
    assert kpi(at, "Attributed revenue") != revenue_shown_before


def test_an_older_download_after_a_newer_one_is_a_load_to_check_and_the_newer_one_again_puts_its_figures_back(
    app_env: Path,
) -> None:
    """newer.csv runs two days past the sample (revenue $123.45 a day); older.csv holds the first of them before a
    return ($100.00 more). Uploaded after, it changed the newer figures first and was flagged after: it now waits,
    nothing changed, on whether it is the older download. Loaded all the same, it is shown as a load to check, saying
    what it moved. Uploading newer.csv again adds nothing yet: it waits on the question whether to put its figures
    back, and put back, the store's revenue is the newer figures' once more."""
    start = date.fromisoformat(last_period_end(app_env)) + timedelta(days=1)
    first, second = (start + timedelta(days=n) for n in range(2))
    newer = performance_csv(first.isoformat()) + performance_csv(second.isoformat()).split("\n", 1)[1]
    before, _ = store_figures(app_env)
    at = upload(open_page(DATA), "newer.csv", newer)
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] + 2 * 123.45)
    upload(at, "older.csv", performance_csv(first.isoformat()).replace("100.00", "200.00"))
    assert any("older.csv would put back older figures; nothing was loaded yet" in w for w in alerts(at, "warning"))
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] + 2 * 123.45)
    asked = " ".join(unescaped(m.value) for m in at.markdown)
    assert "older.csv: its 1 row restates days that load" in asked and "moving its revenue by +$100.00" in asked
    assert (
        "If it was downloaded before that, the store holds the later figures: discard it, as the store holds the "
        "rest of it already." in asked
    )
    discard = next(b for b in at.button if b.label == "Discard this file" and "data_older" in str(b.key))
    assert discard.proto.type == "primary"
    next(b for b in at.button if b.label == "Load it whole: put its older figures back").click().run()
    [check] = [w for w in alerts(at, "warning") if w.startswith("older.csv")]
    assert "1 row restates days that load" in check and "moving its revenue by +$100.00 and commission by" in check
    assert (
        "load that file again and say to put its figures back (the command line's --again; this file's other days "
        "stay)" in check
    )
    # Reloaded or reopened later, the load log still marks it, the caution beside its status rather than off to the
    # right at the head of its notes.
    at = open_page(DATA)
    log = next(frame.value for frame in at.dataframe if "cautions" in frame.value.columns)
    [older] = log[log["file"] == "older.csv"].to_dict("records")
    assert older["status"] == "in effect, to check" and older["cautions"].startswith("1 row restates days that load")
    upload(at, "newer.csv", newer)
    assert any("newer.csv is loaded already" in w and "put its figures back?" in w for w in alerts(at, "warning"))
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] + 2 * 123.45 + 100.00)
    # The later load named, and how far it runs: not past newer.csv, so which is later is left to the person.
    assert any(
        "A later load, load" in said and f"(older.csv), running to {first.isoformat()}, has given 1 row of load" in said
        for said in (unescaped(m.value) for m in at.markdown)
    ), [unescaped(m.value) for m in at.markdown]
    next(b for b in at.button if b.label == "Put its figures back").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [again] = [s for s in alerts(at, "success") if s.startswith("newer.csv") and "loaded again" in s]
    assert "Performance, 0 added, 1 updated, 3 unchanged" in again
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] + 2 * 123.45)


def test_an_older_download_with_days_the_later_one_no_longer_holds_can_add_only_those(app_env: Path) -> None:
    """newer.csv runs two days past the sample ($123.45 a day); older.csv holds the sample's last day, which newer.csv
    does not, and the first of newer's days before a return ($100.00 more). The first answer offered is to keep the
    newer figures and add older.csv's 2 other rows: the store gains $123.45, not the $100.00 of the older figures."""
    day = date.fromisoformat(last_period_end(app_env))
    first, second = (day + timedelta(days=n) for n in (1, 2))
    newer = performance_csv(first.isoformat()) + performance_csv(second.isoformat()).split("\n", 1)[1]
    older = performance_csv(day.isoformat()) + performance_csv(first.isoformat()).split("\n", 1)[1].replace(
        "100.00", "200.00"
    )
    before, _ = store_figures(app_env)
    at = upload(open_page(DATA), "newer.csv", newer)
    upload(at, "older.csv", older)
    asked = " ".join(unescaped(m.value) for m in at.markdown)
    assert (
        f"keep them and load only the 2 rows the later download does not hold ({range_words(day, day)}, $123.45 of "
        "revenue), which discarding it would lose." in asked
    )
    assert "Load it whole only to put its older figures back." in asked
    keep = next(b for b in at.button if b.label == "Keep newer figures, load 2 rows")
    discard = next(b for b in at.button if b.label == "Discard this file" and "data_older" in str(b.key))
    assert (keep.proto.type, discard.proto.type) == ("primary", "secondary")
    keep.click().run()
    assert not at.exception, [e.value for e in at.exception]
    [loaded] = [s for s in alerts(at, "success") if s.startswith("older.csv")]
    assert "Performance, 2 added, 0 updated, 0 unchanged" in loaded and "2 rows left out, as load" in loaded
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] + 3 * 123.45)


def test_a_newer_download_leaving_out_a_stored_sale_asks_whether_to_drop_it(app_env: Path) -> None:
    """week6.csv holds both creators' sales of the day after the sample ($123.45); week7.csv covers that day and the
    next but no longer holds the second creator's $23.45 of the first (a cancelled order). Asked, dropping is the
    first answer (1 row of week7's 3); dropped, the store gains 100.00 + 123.45, not 123.45 twice."""
    first = date.fromisoformat(last_period_end(app_env)) + timedelta(days=1)
    second = first + timedelta(days=1)
    week6 = performance_csv(first.isoformat())
    week7 = week6.rsplit("\n", 2)[0] + "\n" + performance_csv(second.isoformat()).split("\n", 1)[1]
    before, _ = store_figures(app_env)
    at = upload(open_page(DATA), "week6.csv", week6)
    upload(at, "week7.csv", week7)
    assert any("week7.csv leaves out sales already stored for its days" in w for w in alerts(at, "warning"))
    asked = " ".join(unescaped(m.value) for m in at.markdown)
    assert "week7.csv: 1 row stored for a day it covers" in asked and "$23.45 of revenue" in asked
    drop = next(b for b in at.button if b.label == "Drop them: this download stands")
    assert drop.proto.type == "primary"
    drop.click().run()
    assert not at.exception, [e.value for e in at.exception]
    [loaded] = [s for s in alerts(at, "success") if s.startswith("week7.csv")]
    assert "1 stored row of these days that this download no longer holds dropped ($23.45 of revenue)" in loaded
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] + 100.00 + 123.45)


def test_a_file_uploaded_twice_is_said_to_add_nothing_not_shown_as_a_load(app_env: Path) -> None:
    """The same download uploaded again adds nothing, and said so in a load's green box, as if it had loaded."""
    text = performance_csv(last_period_end(app_env))
    at = upload(open_page(DATA), "week.csv", text)
    assert any("week.csv: Performance, 2 added" in s for s in alerts(at, "success"))
    before = store_figures(app_env)
    upload(at, "week.csv", text)
    assert not [s for s in alerts(at, "success") if s.startswith("week.csv")]
    [said] = [i for i in alerts(at, "info") if i.startswith("week.csv")]
    assert "already loaded as load" in said and said.endswith("nothing was added.")
    assert store_figures(app_env) == before


def week1_again_after_week2(app_env: Path) -> tuple[AppTest, dict[str, float], date, date]:
    """week1.csv (the sample's next day, $100.00 + $23.45) loaded, then week2.csv restating that day ($200.00 for
    $100.00) and running a day further, then week1.csv uploaded again: the page, the store's figures before that
    last upload, and the two days."""
    start = date.fromisoformat(last_period_end(app_env)) + timedelta(days=1)
    first, second = (start + timedelta(days=n) for n in range(2))
    week1 = performance_csv(first.isoformat())
    week2 = (
        performance_csv(first.isoformat()).replace("100.00", "200.00")
        + (performance_csv(second.isoformat()).split("\n", 1)[1])
    )
    at = upload(open_page(DATA), "week1.csv", week1)
    upload(at, "week2.csv", week2)
    before, _ = store_figures(app_env)
    upload(at, "week1.csv", week1)
    return at, before, first, second


def test_last_weeks_download_again_after_this_weeks_is_said_to_be_the_older_one(app_env: Path) -> None:
    """week1.csv runs to the sample's next day; week2.csv, downloaded a day later, restates it ($200.00 for $100.00)
    and runs a day further. week1.csv uploaded again waited on "Put its figures back?" with that as the first,
    blue answer, which would have put back the older figures. The question now names week2.csv and how far each
    runs, and offers discarding first."""
    at, before, first, second = week1_again_after_week2(app_env)
    said = " ".join(unescaped(m.value) for m in at.markdown)
    assert (
        f"(week2.csv), running to {second.isoformat()}, past this file's {first.isoformat()}, has given 1 row" in said
    )
    assert "A download running to later days is usually the later one, with Amazon's restated figures: if so, " in said
    discard = next(b for b in at.button if b.label == "Discard this file" and "data_again" in str(b.key))
    anyway = next(b for b in at.button if b.label == "Put its figures back anyway")
    assert (discard.proto.type, anyway.proto.type) == ("primary", "secondary")
    discard.click().run()
    assert store_figures(app_env)[0] == before


def test_an_answer_to_put_a_files_figures_back_is_the_whole_answer(app_env: Path) -> None:
    """week1.csv uploaded again after week2.csv, which restated it. Said to put its figures back, the load went on to
    ask whether it was the older download (a question the answer had settled), and once that was answered too, it
    loaded with a caution to check whether it was the older one. The first answer now holds: its figures are back,
    with what they restate said, and no second question or caution."""
    at, before, first, second = week1_again_after_week2(app_env)
    next(b for b in at.button if b.label == "Put its figures back anyway").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(b.label.startswith(("Put its figures back", "Load it whole")) for b in at.button)
    [loaded] = [s for s in alerts(at, "success") if s.startswith("week1.csv")]
    assert "1 row restates days that load" in loaded and "loaded again" in loaded
    assert not [w for w in alerts(at, "warning") if w.startswith("week1.csv")]
    assert store_figures(app_env)[0]["revenue"] == pytest.approx(before["revenue"] - 100.00)


def test_a_european_excel_csv_loads_its_decimal_commas_as_decimals_and_says_so(app_env: Path) -> None:
    """Excel under European settings saves semicolons, day-first dotted dates and 1.234,56, a dollar amount as
    "1.100,00 $": the same two rows."""
    before, _ = store_figures(app_env)
    year, month, day = last_period_end(app_env).split("-")
    text = (
        performance_csv(f"{day}.{month}.{year}")
        .replace(",", ";")
        .replace("100.00", "1.100,00 $")
        .replace("23.45", "23,45 $")
        .replace("10.00", "10,00")
        .replace("2.34", "2,34")
    )
    at = upload(open_page(DATA), "excel_de.csv", text)
    [success] = [s for s in alerts(at, "success") if "excel_de.csv" in s]
    assert "Performance, 2 added" in success and "numbers read with a decimal comma (1.234,56 = 1234.56)" in success
    after, _ = store_figures(app_env)
    assert after["revenue"] == pytest.approx(before["revenue"] + 1123.45)
    assert after["commission"] == pytest.approx(before["commission"] + 12.34)


def test_a_rejected_file_shows_the_error_sentence_and_leaves_the_data_unchanged(app_env: Path) -> None:
    before, loads_before = store_figures(app_env)
    bad = performance_csv("2026-03-01").replace(",40,3,", ",forty,3,")
    at = upload(open_page(DATA), "bad_week.csv", bad)
    assert any(
        "bad_week.csv, line 2, column 'clicks': 'forty' is not a whole number." in s for s in alerts(at, "error")
    ), alerts(at, "error")
    assert not at.success
    assert store_figures(app_env) == (before, loads_before)


def test_undoing_a_load_restores_the_numbers(app_env: Path) -> None:
    before, loads_before = store_figures(app_env)
    at = upload(open_page(DATA), "undo_me.csv", performance_csv(last_period_end(app_env)))
    assert store_figures(app_env)[0] != before
    con = duckdb.connect(str(app_env))
    newest = int(list_loads(con)["id"].max())
    con.close()

    con = duckdb.connect(str(app_env))
    revenue = float(con.execute("select sum(revenue) from performance").fetchone()[0])
    con.close()

    at.selectbox(key="data_undo_pick_0_demo").set_value(newest).run()
    at.button(key="data_undo").click().run()
    # The confirmation says what the numbers will do: the file's two rows ($100.00 + $23.45) leave.
    warning = next(s for s in alerts(at, "warning") if "undo_me.csv" in s)
    assert "2 rows leave the store." in warning
    assert f"Total performance revenue goes from ${revenue:,.2f} to ${revenue - 123.45:,.2f} (-$123.45)." in warning
    at.button(key="data_undo_confirm").click().run()
    assert not at.exception
    assert any(f"Load #{newest} (undo_me.csv, Performance) undone." in s for s in alerts(at, "success"))
    assert at.selectbox(key="data_undo_pick_1_demo").value is None  # the picker no longer shows the load undone
    assert store_figures(app_env) == (before, loads_before)
    # The undone load stays in the log, marked, with who undid it.
    log = next(frame.value for frame in at.dataframe if "status" in frame.value.columns)
    undone = log.loc[log["id"] == newest].iloc[0]
    assert undone["status"].startswith("undone ") and undone["status"].endswith(" by the app (no sign-in)")
    assert undone["loaded_by"] == "the app (no sign-in)"


def test_a_load_undone_elsewhere_while_the_page_asks_to_undo_it_says_so(app_env: Path) -> None:
    """Two people asked to undo the same load; the second to answer saw the question vanish without a word. The page
    now says the load was already undone, when and by whom, and that nothing more was."""
    at = upload(open_page(DATA), "undo_me.csv", performance_csv(last_period_end(app_env)))
    con = duckdb.connect(str(app_env))
    newest = int(list_loads(con)["id"].max())
    con.close()
    at.selectbox(key="data_undo_pick_0_demo").set_value(newest).run()
    at.button(key="data_undo").click().run()
    assert any("undo_me.csv" in s for s in alerts(at, "warning"))
    con = duckdb.connect(str(app_env))
    try:
        unload(con, newest, by="Dana")
        figures = totals(con, Scope())
    finally:
        con.close()
    st.cache_data.clear()  # the page's data key moves with the store's version; AppTest shares this process's caches
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = [s for s in alerts(at, "info") if f"Load {newest} (undo_me.csv) was already undone on " in s]
    assert said and said[0].endswith(" by Dana. Nothing more was undone."), alerts(at, "info")
    assert not any("undo_me.csv" in s for s in alerts(at, "warning"))
    assert store_figures(app_env)[0] == figures


def test_an_upload_whose_load_a_stopped_server_cut_off_is_named_on_the_data_page(app_env: Path) -> None:
    """The server was killed while big.csv loaded: the store stayed as before (the load's transaction never
    committed), and the Data page showed no sign of the file. It now says the load was cut off and nothing of it was
    saved, lets the upload go, and says it once: an upload of another person or brand is not theirs to hear of."""
    folder = uploads.upload_dir()
    saved = uploads.save_upload(io.BytesIO(b"date,creator\n"), "big.csv")
    other = uploads.save_upload(io.BytesIO(b"date,creator\n"), "theirs.csv")
    gone = next(pid for pid in range(4_000_000, 4_100_000) if not files.process_running(pid))
    store = str(app_env.resolve())
    for path, name, by in ((saved.path, "big.csv", "the app (no sign-in)"), (other.path, "theirs.csv", "ana@x.com")):
        note = {"name": name, "workspace": store, "by": by, "process": f"{gone}-1", "started": "2026-12-05 09:30 UTC"}
        (folder / (path.name + uploads.LOADING_SUFFIX)).write_text(json.dumps(note), encoding="utf-8")
    try:
        at = open_page(DATA)
        said = [w for w in alerts(at, "warning") if w.startswith("big.csv: its load")]
        assert said == [
            "big.csv: its load, begun 2026-12-05 09:30 UTC, was cut off when the app stopped, and nothing from it was "
            "saved. Upload it again."
        ], alerts(at, "warning")
        assert not saved.path.exists() and other.path.exists()
        assert not any("theirs.csv" in w for w in alerts(at, "warning"))
        at.run()  # said on until the next upload, found once
        assert len([w for w in alerts(at, "warning") if w.startswith("big.csv: its load")]) == 1
    finally:
        uploads.discard_upload(other.path)


def test_a_file_with_one_column_renamed_is_named_as_the_kind_it_nearly_is_and_matched_as_it(app_env: Path) -> None:
    """A performance file whose commission is headed "bonus paid": "cannot tell what kind of file this is" left a
    newcomer to guess; the page names the kind and the missing column, and the matching opens on that kind."""
    text = performance_csv("2026-03-01").replace(",commission", ",bonus paid")
    at = upload(open_page(DATA), "renamed.csv", text)
    assert (
        "renamed.csv, line 1: this may be a performance file, but no column of it reads as commission. Nothing was "
        "loaded: match its columns below." in alerts(at, "warning")
    ), alerts(at, "warning")
    kind_picker = next(s for s in at.selectbox if str(s.key).startswith("data_map_kind_"))
    assert kind_picker.value == "performance"
    token = str(kind_picker.key).removeprefix("data_map_kind_")
    assert at.selectbox(key=f"data_map_{token}_performance_revenue").value == "revenue"


def test_a_file_uploaded_again_while_it_waits_on_its_columns_is_asked_about_once(app_env: Path) -> None:
    text = performance_csv("2026-03-01").replace(
        "date,campaign,creator,asin,clicks,orders,revenue,commission", "When,Push,Who,Item,Taps,Buys,Takings,Fee"
    )
    at = upload(upload(open_page(DATA), "odd_export.csv", text), "odd_export.csv", text)
    assert (
        "odd_export.csv: the same file already waits below for you to match its columns; answer it there. Nothing "
        "more was loaded." in alerts(at, "warning")
    ), alerts(at, "warning")
    assert [str(s.key) for s in at.selectbox if str(s.key).startswith("data_map_kind_")] != []
    assert len([s for s in at.selectbox if str(s.key).startswith("data_map_kind_")]) == 1
    # Another file with the same header is a file of its own, asked about in a box of its own.
    at = upload(at, "odd_export_2.csv", text.replace("2026-03-01", "2026-03-02"))
    assert len([s for s in at.selectbox if str(s.key).startswith("data_map_kind_")]) == 2


def test_a_file_with_unknown_headers_loads_once_its_columns_are_matched(app_env: Path) -> None:
    before, loads_before = store_figures(app_env)
    text = performance_csv("2026-03-01")
    text = text.replace(
        "date,campaign,creator,asin,clicks,orders,revenue,commission", "When,Push,Who,Item,Taps,Buys,Takings,Fee"
    )
    at = upload(open_page(DATA), "odd_export.csv", text)
    # A short sentence for the page, which offers the matching below it: no command-line flags, no list of kinds.
    assert (
        "odd_export.csv, line 1: cannot tell what kind of file this is from its columns (When, Push, Who, Item, Taps, "
        "Buys, Takings, Fee). Nothing was loaded: match its columns below." in alerts(at, "warning")
    ), alerts(at, "warning")
    assert store_figures(app_env) == (before, loads_before)

    kind_picker = next(s for s in at.selectbox if str(s.key).startswith("data_map_kind_"))
    token = str(kind_picker.key).removeprefix("data_map_kind_")
    kind_picker.set_value("performance").run()
    headers = {
        "date": "When",
        "campaign": "Push",
        "creator": "Who",
        "asin": "Item",
        "clicks": "Taps",
        "orders": "Buys",
        "revenue": "Takings",
        "commission": "Fee",
    }
    for canonical, header in headers.items():
        at.selectbox(key=f"data_map_{token}_performance_{canonical}").set_value(header)
    next(b for b in at.button if b.label == "Load with these columns").click().run()
    loaded_one_more(at, app_env, "odd_export.csv: Performance, 2 added", before, loads_before, 123.45)
    con = duckdb.connect(str(app_env))
    saved = list_mappings(con)
    con.close()
    assert [m["mapping"] for m in saved] == [headers]
    assert not any(str(s.key).startswith("data_map_kind_") for s in at.selectbox)


def test_a_download_cut_off_mid_row_is_refused_with_its_line_not_offered_column_matching(app_env: Path) -> None:
    """A Search Query Performance download cut off in its last row: the page named the line, then offered to match
    columns, which mends nothing: the matching asked for a period_start column that report never has."""
    text = (ROOT / "tests" / "fixtures" / "layouts" / "sqp_brand_view.csv").read_text(encoding="utf-8")
    text = text.rstrip("\n").rsplit(",", 8)[0]
    at = upload(open_page(DATA), "cut.csv", text)
    said = [e for e in alerts(at, "error") if e.startswith("cut.csv")]
    assert len(said) == 1 and "line 5" in said[0] and said[0].endswith("Nothing from this file was loaded."), said
    assert not any(str(s.key).startswith("data_map_kind_") for s in at.selectbox)


def test_a_file_refused_for_the_demo_brand_is_not_offered_column_matching(app_env: Path) -> None:
    """A file of unrecognised columns uploaded into the demo brand was told it belongs in a brand of its own, then
    "match its columns below", which led to the same refusal."""
    con = duckdb.connect(str(app_env))
    con.execute("insert or replace into meta values ('demo', 'true')")
    con.close()
    text = performance_csv("2026-03-01").replace("date,", "when,")
    at = upload(open_page(DATA), "mine.csv", text)
    assert [e for e in alerts(at, "error") if e.startswith("mine.csv")] == [
        "mine.csv: this is the demo brand (sample data), and your files would be mixed with the sample. Create your "
        "brand's workspace first (New brand in the sidebar, or `python -m analytics workspaces new NAME` and "
        "--workspace NAME), or load it into the demo on purpose (the Data page's Load files into the demo brand "
        "anyway, or load --into-demo). Nothing from this file was loaded."
    ], alerts(at, "error")
    assert not any(str(s.key).startswith("data_map_kind_") for s in at.selectbox)


def test_a_performance_report_of_a_period_without_dates_loads_once_its_period_is_given(app_env: Path) -> None:
    """A Creator Connections download of a month, one row per creator and product with no date column and no line
    above the header naming the period: the column matching wanted a date the file does not have, and went no further.
    Leaving the date unmatched now asks the period, in Creator Connections' words and with no week of Business
    Reports offered; given March, the rows load on its first day ($123.45 more revenue)."""
    before, loads_before = store_figures(app_env)
    text = "\n".join(performance_csv("2026-03-01").replace("date,", "").replace("2026-03-01,", "").splitlines()) + "\n"
    at = upload(open_page(DATA), "march_summary.csv", text)
    assert (
        "march_summary.csv, line 1: this may be a performance file, but no column of it reads as date. Nothing was "
        "loaded: match its columns below." in alerts(at, "warning")
    ), alerts(at, "warning")
    kind_picker = next(s for s in at.selectbox if str(s.key).startswith("data_map_kind_"))
    token = str(kind_picker.key).removeprefix("data_map_kind_")
    date_picker = at.selectbox(key=f"data_map_{token}_performance_date")
    assert date_picker.label == "Date (required, unless the file sums up a period)"
    assert date_picker.value == "— not in this file —"
    next(b for b in at.button if b.label == "Load with these columns").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]
    assert any(
        "march_summary.csv: the file does not say which period it covers; choose it below." in w
        for w in alerts(at, "warning")
    ), alerts(at, "warning")
    assert any(c.value.startswith("The dates you chose in Creator Connections") for c in at.caption)
    assert not [r for r in at.radio if str(r.key).startswith("data_period_week_")]
    next(d for d in at.date_input if str(d.key).startswith("data_period_start_")).set_value(date(2026, 3, 1))
    next(d for d in at.date_input if str(d.key).startswith("data_period_end_")).set_value(date(2026, 3, 31))
    next(b for b in at.button if b.label == "Load with this period").click().run()
    loaded_one_more(at, app_env, "march_summary.csv: Performance, 2 added", before, loads_before, 123.45)
    con = duckdb.connect(str(app_env))
    try:
        assert con.execute(
            "select min(date), max(date), count(*) from performance where asin = 'B0TESTASN1'"
        ).fetchone() == (date(2026, 3, 1), date(2026, 3, 1), 2)
    finally:
        con.close()
    # April's, of the same columns, is read by the matching saved for March's: asked its period straight away, in the
    # same words (it was asked in a Business Report's, offered the weeks without one).
    at = upload(at, "april_summary.csv", text.replace("40,3,100.00", "41,3,100.00"))
    assert any(c.value.startswith("The dates you chose in Creator Connections") for c in at.caption), [
        c.value for c in at.caption
    ]
    assert not [r for r in at.radio if str(r.key).startswith("data_period_week_")]


def test_starting_over_brings_back_exactly_the_sample_data(app_env: Path) -> None:
    # The demo brand, as its first start marks it: only the demo offers to start over from the sample.
    con = duckdb.connect(str(app_env))
    con.execute("insert or replace into meta values ('demo', 'true')")
    con.close()
    before, _ = store_figures(app_env)
    at = open_page(DATA)
    at.checkbox(key="data_into_demo").check().run()
    at = upload(at, "extra.csv", performance_csv(last_period_end(app_env)))
    assert any("extra.csv: Performance, 2 added" in s for s in alerts(at, "success"))
    at.button(key="data_reset").click().run()
    at.button(key="data_reset_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("the sample data is loaded" in s for s in alerts(at, "success"))
    after, loads = store_figures(app_env)
    assert after == before
    assert loads == len(SAMPLE_FILES)


def test_the_data_page_offers_a_backup_and_a_template_per_kind(app_env: Path) -> None:
    at = open_page(DATA)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Backup" in labels and "Full backup with your files (.zip)" in labels
    assert {"Performance", "Order lines", "Keyword ranks", "Catalog"} <= set(labels)
    # A click downloads without rerunning the page, which would drop the backup's file as the browser asks for it.
    assert all(b.proto.ignore_rerun for b in at.get("download_button"))


def test_customer_metrics_without_order_lines_say_which_upload_fills_them(empty_app_env: Path) -> None:
    day = "2026-03-07"  # a Saturday: the default period (last 4 whole weeks) ends on it
    text = (
        "date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders\n"
        f"{day},Spring,@maya,B0TESTASN1,50,4,80.00,8.00,3\n"
    )
    at = upload(open_page(DATA), "first_week.csv", text)
    assert any("first_week.csv: Performance, 1 added" in s for s in alerts(at, "success"))
    at.switch_page(CUSTOMERS).run()
    assert not at.exception, [e.value for e in at.exception]
    assert kpi(at, "New-to-brand %") == "75.0%"  # 3 of 4 orders, from the performance file
    assert kpi(at, "Repeat rate") == "—"
    assert kpi(at, "Subscribe & Save rate") == "—"
    guidance = " ".join(alerts(at, "info"))
    assert "Repeat rate needs attributed order lines: upload an orders file" in guidance
    assert "Subscribe & Save rate needs a Subscribe & Save column" in guidance
    # No products file: every ASIN would be one line, "Unassigned"; the breakdown opens on creators, and the lines'
    # tab says what would fill it.
    assert at.session_state["customers_group"] == "Creator"
    assert not [c.value for c in at.caption if "Product lines come from your products file" in c.value]

    at.session_state["customers_group"] = "Product line"
    at.run()
    assert any("Product lines come from your products file" in c.value for c in at.caption)


def test_a_creators_weekly_trend_draws_a_week_without_activity_at_zero(empty_app_env: Path) -> None:
    """maya sold in the weeks of Feb 8, Feb 22 and Mar 1, not Feb 15: her trend under "One creator in detail" drew
    three bars beside a caption of 4 weeks, where the comparison above drew her at $0 that week. Now 4 bars, $0 on
    Feb 15, and the caption says so."""
    text = "date,campaign,creator,asin,clicks,orders,revenue,commission\n" + "".join(
        f"{day},Spring,@maya,B0TESTASN1,10,1,{money},1.00\n"
        for day, money in (("2026-02-08", "20.00"), ("2026-02-22", "30.00"), ("2026-03-07", "40.00"))
    )
    at = upload(open_page(DATA), "weeks.csv", text)
    at.switch_page("pages/creators.py").run()
    assert not at.exception, [e.value for e in at.exception]
    [chart] = [c for c in at.get("plotly_chart") if "and conversion rate by week" in c.proto.spec]
    bars = next(t for t in json.loads(chart.proto.spec)["data"] if t["type"] == "bar")
    assert [str(x)[:10] for x in values(bars["x"])] == ["2026-02-08", "2026-02-15", "2026-02-22", "2026-03-01"]
    assert values(bars["y"]) == [20.0, 0.0, 30.0, 40.0]
    assert any(
        c.value.startswith("4 whole Sunday–Saturday weeks from Feb 8, 2026 to Mar 7, 2026 (a week without activity")
        for c in at.caption
    ), [c.value for c in at.caption]


def test_without_any_customer_rate_the_customers_page_ends_on_what_to_upload(empty_app_env: Path) -> None:
    """A performance file without new-to-brand or Subscribe & Save counts, and no order lines: three dashes and what
    fills each, and no caption of days and filters under them, which captioned nothing; the Creators page's chart,
    all one colour, does not say its colour shows new buyers."""
    text = "date,campaign,creator,asin,clicks,orders,revenue,commission\n2026-03-07,Spring,@maya,B0TESTASN1,50,4,80,8\n"
    at = upload(open_page(DATA), "first_week.csv", text)
    at.switch_page(CUSTOMERS).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [kpi(at, name) for name in ("New-to-brand %", "Repeat rate", "Subscribe & Save rate")] == ["—"] * 3
    assert not [c.value for c in at.caption if "with the sidebar's filters" in c.value]
    # Nor does the Creators page's chart say its colour shows new buyers: every marker is "not available".
    at.switch_page("pages/creators.py").run()
    assert not at.exception, [e.value for e in at.exception]
    [scatter] = [c.value for c in at.caption if c.value.startswith("Each marker is a creator")]
    assert "colour" not in scatter


@pytest.mark.parametrize(
    ("page", "guidance"),
    [
        (CUSTOMERS, "No data yet. Upload your Creator Connections campaign performance report"),
        (ORGANIC_RANK, "Upload a keyword-rank export (e.g. Helium 10 Keyword Tracker"),
        (DATA, "Nothing is loaded. Upload your files above, or start over from the sample data"),
    ],
)
def test_an_empty_store_gets_guidance_on_what_to_upload(empty_app_env: Path, page: str, guidance: str) -> None:
    at = open_page(page)
    assert any(guidance in s for s in alerts(at, "info")), alerts(at, "info")
    assert not at.get("plotly_chart")
    assert all("0.0%" not in m.value for m in at.metric)


def test_a_store_without_performance_data_names_the_files_it_holds(empty_app_env: Path, tmp_path: Path) -> None:
    """A new brand's Business Report and catalog first: the Overview's empty state names them as loaded, rather
    than read "No data yet" beside a Data page counting their rows."""
    from analytics.store.changes import load_file
    from analytics.store.database import open_store

    con = open_store(empty_app_env)
    for name, text in (
        (
            "br.csv",
            "period_start,period_end,asin,total_revenue,total_units\n2026-11-08,2026-11-14,B0C1234567,10.00,1\n",
        ),
        ("catalog.csv", "asin,product_line\nB0C1234567,Shakers\n"),
    ):
        (tmp_path / name).write_text(text)
        load_file(con, tmp_path / name)
    con.close()
    at = open_page(OVERVIEW)
    [said] = [s for s in alerts(at, "info") if "Creator Connections campaign performance report" in s]
    assert said.startswith(
        "Loaded so far: Business Report and catalog. The review starts with your Creator Connections campaign "
        "performance report"
    ), said


# --- The pure functions behind these pages --------------------------------------------------------------------

NO_LINES = {"baseline_repeat_rate": None, "baseline_ntb_pct": None, "baseline_sns_rate": None}
WITH_LINES = {
    "baseline_repeat_rate": 0.2,
    "baseline_ntb_pct": 0.4,
    "baseline_sns_rate": 0.1,
    "customer_source": "order_lines",
}


@pytest.mark.parametrize(
    ("totals_", "expected"),
    [
        # No order lines, no counts in the performance file: every rate says which upload fills it.
        (
            {**NO_LINES, "ntb_pct": None, "repeat_rate": None, "sns_rate": None},
            {
                "ntb_pct": "New-to-brand % needs a new-to-brand column",
                "repeat_rate": "Repeat rate needs attributed order lines: upload an orders file",
                "sns_rate": "Subscribe & Save rate needs a Subscribe & Save column",
            },
        ),
        # No order lines, but the performance file had new-to-brand counts: only the others are missing.
        (
            {**NO_LINES, "ntb_pct": 0.5, "repeat_rate": None, "sns_rate": None},
            {"repeat_rate": "upload an orders file", "sns_rate": "upload an orders file"},
        ),
        # Order lines without the subscribe_and_save column: the baseline is missing too.
        (
            {**WITH_LINES, "baseline_sns_rate": None, "ntb_pct": 0.5, "repeat_rate": 0.1, "sns_rate": None},
            {"sns_rate": "The orders file has no subscribe_and_save column"},
        ),
        # Order lines, none attributed to a creator in the scope.
        (
            {**WITH_LINES, "ntb_pct": None, "repeat_rate": None, "sns_rate": None},
            {
                "ntb_pct": "no order line in this selection is attributed to a creator",
                "repeat_rate": "no order line in this selection is attributed to a creator",
                "sns_rate": "no order line in this selection is attributed to a creator",
            },
        ),
        ({**WITH_LINES, "ntb_pct": 0.5, "repeat_rate": 0.0, "sns_rate": 0.0}, {}),
        # Order lines whose buyers all entered less than R days before the store's last order.
        (
            {**WITH_LINES, "ntb_pct": 0.5, "repeat_rate": None, "repeat_pending": 12, "sns_rate": 0.0},
            {"repeat_rate": "none has had 90 days to come back yet (12 pending)"},
        ),
        # Cohorts without Subscribe & Save buyers.
        (
            {**NO_LINES, "customer_source": "cohorts", "ntb_pct": 0.5, "repeat_rate": 0.2, "sns_rate": None},
            {"sns_rate": "The cohorts file gives no sns_buyers"},
        ),
    ],
)
def test_each_missing_customer_metric_names_the_upload_that_fills_it(
    totals_: dict[str, object], expected: dict[str, str]
) -> None:
    from analytics.review.customer_value import missing_metrics

    missing = missing_metrics(totals_)
    assert set(missing) == set(expected)
    for metric, fragment in expected.items():
        assert fragment in missing[metric]


def test_an_upload_is_copied_under_a_name_the_app_chooses(tmp_path: Path) -> None:
    import io

    from analytics.ingest import uploads

    content = b"date,creator\n" + b"2026-03-01,x\n" * 1000
    saved = uploads.save_upload(io.BytesIO(content), "../../evil name.csv", tmp_path / "in")
    assert saved.path.parent == tmp_path / "in"
    assert saved.path.suffix == ".csv" and "evil" not in saved.path.name
    assert saved.path.read_bytes() == content
    assert (saved.size, saved.name) == (len(content), "../../evil name.csv")
    assert uploads.save_upload(io.BytesIO(b"x"), "macro.xlsm", tmp_path / "in").path.suffix == ".dat"


def test_templates_hold_the_contract_columns_required_first() -> None:
    from analytics.contract.kinds import KINDS
    from analytics.ingest.uploads import csv_template

    for kind in KINDS.values():
        header = csv_template(kind.name).splitlines()[0].split(",")
        assert sorted(header) == sorted(kind.column_names)
        assert header[: len(kind.required)] == list(kind.required)


def test_mapping_suggestions_come_from_the_contract_aliases() -> None:
    from analytics.ingest.uploads import missing_required, suggested_mapping

    suggested = suggested_mapping("performance", ["Day", "Who", "Purchases", "Sales", "Sales"])
    assert suggested == {"date": "Day", "orders": "Purchases", "revenue": "Sales"}
    assert missing_required("performance", suggested) == ["creator", "asin", "clicks", "commission"]


def test_rank_windows_are_the_days_rank_lift_takes_the_medians_over() -> None:
    """Activation Mar 15, window 28, lag 7: before Feb 15 … Mar 14, after Mar 22 … Apr 18."""
    from datetime import date

    from analytics.review.rank_review import windows

    assert windows(date(2026, 3, 15), 28, 7) == (
        (date(2026, 2, 15), date(2026, 3, 14)),
        (date(2026, 3, 22), date(2026, 4, 18)),
    )


def test_a_file_an_overlap_stopped_loads_once_the_user_chooses_keep_both(app_env: Path) -> None:
    """A row for a stored day, creator and ASIN under another campaign stops the upload; keeping both loads it on the
    upload's thread like any file: one row added, $5.00 more revenue, one more load. The button says what keeping
    both does: the stored row's revenue counts again beside it."""
    con = duckdb.connect(str(app_env))
    try:
        day, creator, asin = con.execute(
            "select date, creator, asin from performance where program = 'creator_connections' order by all limit 1"
        ).fetchone()  # type: ignore[misc]
        [(stored,)] = con.execute(
            "select sum(revenue) from performance where date = $d and creator = $c and asin = $a",
            {"d": day, "c": creator, "a": asin},
        ).fetchall()
    finally:
        con.close()
    before, loads_before = store_figures(app_env)
    text = f"date,campaign,creator,asin,clicks,orders,revenue,commission\n{day},Overlap test,{creator},{asin},5,1,5.00,0.50\n"
    at = upload(open_page(DATA), "restated.csv", text)
    assert any("restated.csv" in s for s in alerts(at, "warning")), alerts(at, "warning")
    assert store_figures(app_env) == (before, loads_before)
    # The box asking for the choice says why, and still does after another action on the page.
    reason = "holds 1 row with the date, program, creator and ASIN of new rows but another campaign"
    for _ in range(2):
        assert any(reason in m.value for m in at.markdown), [m.value for m in at.markdown]
        at.run()
    # What replacing costs, beside the buttons: the stored row's sales would count under the file's campaign.
    assert any("count under Overlap test, not " in unescaped(c.value) for c in at.caption), [
        c.value for c in at.caption
    ]

    keep = f"Count both: adds ${float(stored):,.2f} again"
    next(b for b in at.button if b.label == keep).click().run()
    loaded_one_more(at, app_env, "restated.csv: Performance, 1 added", before, loads_before, 5.00)
    assert not any(b.label == keep for b in at.button)


def test_another_brands_file_waits_for_the_user_to_say_it_is_the_brands(app_env: Path) -> None:
    """A week of two ASINs and a creator the brand has never had stops before loading and asks; "It is …'s: load it"
    loads it: two rows, $90.00 more revenue, one more load, and the load's note saying it was loaded on that word."""
    before, loads_before = store_figures(app_env)
    text = (
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-02,Spring,@zoe,B0OTHER002,10,1,30.00,3.00\n"
        "2026-11-03,Spring,@zoe,B0OTHER001,12,2,60.00,6.00\n"
    )
    at = upload(open_page(DATA), "other.csv", text)
    assert any("other.csv names none of" in s for s in alerts(at, "warning")), alerts(at, "warning")
    assert store_figures(app_env) == (before, loads_before)
    said = "one of its 2 ASINs (such as B0OTHER001) is among "
    assert any(f"When it was uploaded, n{said}" in unescaped(m.value) for m in at.markdown), [
        m.value for m in at.markdown
    ]
    # Uploaded again while it waits: asked once, and told so with the question's own icon.
    at = upload(at, "other.csv", text)
    [again] = [w for w in at.warning if "already waits" in unescaped(w.value)]
    assert unescaped(again.value) == (
        "other.csv: the same file already waits below for you to say whether it is this brand's file; answer it "
        "there. Nothing more was loaded."
    )
    assert again.icon == ":material/help:"
    assert len([b for b in at.button if b.label.startswith("It is ")]) == 1

    next(b for b in at.button if b.label.startswith("It is ")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    loaded = next(s for s in alerts(at, "success") if "other.csv: Performance, 2 added" in s)
    assert f"loaded as the brand's file, as said when asked: n{said}the brand's " in loaded
    after, loads_after = store_figures(app_env)
    assert loads_after == loads_before + 1
    assert after["revenue"] == pytest.approx(before["revenue"] + 90.00)
    assert not any(b.label.startswith("It is ") for b in at.button)
