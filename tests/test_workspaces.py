"""Workspaces: one store per brand, the demo kept apart, and the brand picked in the sidebar, the URL and the CLI."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.__main__ import main
from analytics.store.changes import DemoStoreError, ensure_sample_data, load_file, unload
from analytics.store.database import open_store
from analytics.store.workspaces import (
    DEMO_NAME,
    WorkspaceError,
    create_workspace,
    find_workspace,
    list_workspaces,
    remove_workspace,
    removed_workspaces,
    restore_workspace,
    slug_of,
)

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = (
    "date,creator,asin,clicks,orders,revenue,commission\n"
    "2026-03-01,Ana,B0HYDRA001,10,2,40.00,4.00\n"
    "2026-03-02,Ana,B0HYDRA001,5,1,20.00,2.00\n"
)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Acme Nutrition", "acme-nutrition"),
        ("  L'Oréal  Paris ", "l-oreal-paris"),
        ("Café Olé", "cafe-ole"),
        ("Brand #2", "brand-2"),
        # A name in another script keeps an id of its own, made from it, rather than being refused.
        ("日本ブランド", "brand-a277cfd8"),
    ],
)
def test_a_workspace_id_is_its_name_in_lowercase_letters_digits_and_dashes(name: str, slug: str) -> None:
    assert slug_of(name) == slug


def test_the_demo_comes_first_and_new_brands_follow_by_name(tmp_path: Path) -> None:
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Zest Labs", demo)
    create_workspace("Acme Nutrition", demo, allowed_emails=("@acme.com",))
    spaces = list_workspaces(demo)
    assert [(w.slug, w.name) for w in spaces] == [
        ("demo", DEMO_NAME),
        ("acme-nutrition", "Acme Nutrition"),
        ("zest-labs", "Zest Labs"),
    ]
    assert spaces[1].path == tmp_path / "acme-nutrition.duckdb"
    assert spaces[1].allowed_emails == ("@acme.com",)
    assert find_workspace("ACME NUTRITION", demo).slug == "acme-nutrition"


@pytest.mark.parametrize("name", ["Acme Nutrition", "acme nutrition", "Demo brand (sample data)", "  ", "!!"])
def test_a_taken_or_empty_name_is_refused(tmp_path: Path, name: str) -> None:
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Acme Nutrition", demo)
    with pytest.raises(WorkspaceError):
        create_workspace(name, demo)
    assert len(list_workspaces(demo)) == 2


def test_a_taken_name_is_refused_naming_the_brand_as_it_is_listed(tmp_path: Path) -> None:
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Bolt Pets", demo)
    with pytest.raises(WorkspaceError, match=re.escape("A workspace called 'Bolt Pets' already exists")):
        create_workspace("bolt  pets", demo)


@pytest.mark.parametrize(
    ("name", "close_to"),
    [
        # Its store would be the default store's own file: the brand would open the demo's data, and take its loads.
        ("CreatorLift", "Demo brand (sample data)"),
        # Past the id's 60 characters two names read alike: the refusal says which, not that the name is taken.
        ("Acme " + "x" * 55 + " Pets", "Acme " + "x" * 55 + " Foods"),
    ],
)
def test_a_name_whose_id_another_workspace_or_the_default_stores_file_has_is_refused_naming_it(
    tmp_path: Path, name: str, close_to: str
) -> None:
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Acme " + "x" * 55 + " Foods", demo)
    with pytest.raises(WorkspaceError, match=re.escape(f"is too close to the workspace '{close_to}'")):
        create_workspace(name, demo)
    assert len(list_workspaces(demo)) == 2


def test_an_unknown_workspace_names_the_ones_there_are(tmp_path: Path) -> None:
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Acme Nutrition", demo)
    with pytest.raises(WorkspaceError, match=r"no workspace 'acme'.*Acme Nutrition \(acme-nutrition\)"):
        find_workspace("acme", demo)


def test_nothing_lands_in_the_demo_unless_asked(tmp_path: Path) -> None:
    """The demo store (filled with the sample on creation) refuses a brand's file with a sentence saying where it
    goes, and changes nothing; loaded on purpose, it lands. A new workspace starts empty and takes the file."""
    con = open_store(tmp_path / "creatorlift.duckdb")
    ensure_sample_data(con)
    before = con.execute("select count(*), sum(revenue) from performance").fetchone()
    upload = tmp_path / "perf.csv"
    upload.write_text(PERFORMANCE)
    with pytest.raises(DemoStoreError, match=r"perf\.csv: this is the demo brand \(sample data\)"):
        load_file(con, upload)
    assert con.execute("select count(*), sum(revenue) from performance").fetchone() == before
    assert load_file(con, upload, into_demo=True).added == 2
    con.close()

    brand = open_store(create_workspace("Acme Nutrition", tmp_path / "creatorlift.duckdb").path)
    assert brand.execute("select count(*) from performance").fetchone() == (0,)
    assert load_file(brand, upload).added == 2
    brand.close()


def test_the_cli_creates_lists_and_loads_into_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "creatorlift.duckdb"))
    assert main(["workspaces", "new", "Acme Nutrition", "--allow", "@acme.com"]) == 0
    # Its store is there, empty, so a read of the new workspace is not told the path is wrong.
    created = capsys.readouterr().out
    assert created == f"workspace Acme Nutrition (acme-nutrition) created: {tmp_path / 'acme-nutrition.duckdb'}\n"
    assert main(["--workspace", "Acme Nutrition", "loads"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "id,loaded_at,file,kind,rows_added,rows_updated,rows_unchanged,period_start,period_end,sha256,to_check"
    ]
    assert main(["workspaces"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "workspace,name,path,currency,allowed_emails"
    assert listed[1].startswith(f"demo,{DEMO_NAME},")
    assert listed[2] == f"acme-nutrition,Acme Nutrition,{tmp_path / 'acme-nutrition.duckdb'},$,@acme.com"
    upload = tmp_path / "perf.csv"
    upload.write_text(PERFORMANCE)
    assert main(["--workspace", "Acme Nutrition", "load", str(upload)]) == 0
    assert "2 added" in capsys.readouterr().out
    # Its database is named for its file, "acme-nutrition", which a backup's copy statement must quote.
    assert main(["--workspace", "Acme Nutrition", "backup", str(tmp_path / "acme-copy.duckdb")]) == 0
    copy = open_store(tmp_path / "acme-copy.duckdb", read_only=True)
    assert copy.execute("select count(*) from performance").fetchone() == (2,)
    copy.close()
    capsys.readouterr()
    assert main(["--workspace", "acme-nutrition", "metrics", "--by", "creator"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("Ana,15,3,")
    assert main(["--workspace", "nobody", "loads"]) == 2
    assert "There is no workspace 'nobody'" in capsys.readouterr().err


def test_a_workspace_made_with_a_currency_shows_its_bare_amounts_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "creatorlift.duckdb"))
    # An unknown currency is refused before the workspace exists.
    assert main(["workspaces", "new", "Euro Co", "--currency", "euros"]) == 2
    assert "euros is not a currency Creator Lift writes" in capsys.readouterr().err
    assert not (tmp_path / "euro-co.duckdb").exists()
    assert main(["workspaces", "new", "Euro Co", "--currency", "EUR"]) == 0
    assert main(["--workspace", "Euro Co", "currency"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "€ (euro), as chosen for the brand"
    # The listing says each brand's currency, as an agency running brands in several marketplaces needs to see.
    assert main(["workspaces"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"euro-co,Euro Co,{tmp_path / 'euro-co.duckdb'},€,"
    # Held open by another process (the app), its currency cannot be read: the blank says why.
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; held = duckdb.connect(sys.argv[1]); print(1, flush=True); time.sleep(60)",
            str(tmp_path / "euro-co.duckdb"),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline()
        assert main(["workspaces"]) == 0
        listed = capsys.readouterr()
        assert listed.out.splitlines()[-1] == f"euro-co,Euro Co,{tmp_path / 'euro-co.duckdb'},,"
        assert "currency left blank for euro-co: the store is open in another process (the app?)" in listed.err
    finally:
        holder.kill()
        holder.wait()


def test_the_cli_lists_a_brand_backup_opened_as_the_default_store_under_its_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "acme-backup.duckdb"
    monkeypatch.setenv("CREATORLIFT_DB", str(backup))
    upload = tmp_path / "perf.csv"
    upload.write_text(PERFORMANCE)
    assert main(["load", str(upload)]) == 0
    capsys.readouterr()
    assert main(["workspaces"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"demo,acme-backup,{backup},$,"


def _brands_holding(demo: Path, files: dict[str, Path]) -> None:
    """A workspace beside `demo` for each brand named in `files`, holding its file."""
    for name, upload in files.items():
        con = open_store(create_workspace(name, demo).path)
        load_file(con, upload)
        con.close()


def _app(monkeypatch: pytest.MonkeyPatch, demo: Path) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("CREATORLIFT_DB", str(demo))
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_demo_is_labelled_and_a_new_brand_opens_empty_on_its_first_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app opens on the demo, says so, and lists it first; "New brand" creates an empty workspace, switches to
    it (in the URL too) and shows what to download for a first review instead of numbers."""
    at = _app(monkeypatch, tmp_path / "creatorlift.duckdb").run()
    assert not at.exception
    assert at.selectbox(key="brand_picker").value == "demo"
    assert any("demo brand" in info.value for info in at.info)
    at.text_input(key="new_brand_name").input("Acme Nutrition")
    at.selectbox(key="new_brand_currency").select("£")
    at.button(key="create_brand").click().run()
    assert not at.exception
    assert at.selectbox(key="brand_picker").value == "acme-nutrition"
    assert at.selectbox(key="new_brand_currency").value == ""  # the next brand starts from the files' own again
    assert at.query_params["brand"] == "acme-nutrition"
    assert not any("demo brand" in info.value for info in at.info)
    assert any("No data yet" in info.value for info in at.info)
    assert any("Your first review in three downloads" in md.value for md in at.markdown)
    # A brand's own Data page never offers to fill it with the sample: that lives in the demo brand.
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [b for b in at.button if b.key == "data_reset"]
    assert any("choose the demo brand under **Brand** in the sidebar" in info.value for info in at.info)
    assert at.selectbox(key="data_currency_acme-nutrition").value == "£"  # as chosen when the brand was made


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_link_names_the_brand_it_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Acme Nutrition", demo)
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "acme-nutrition"
    at.run()
    assert not at.exception
    assert at.selectbox(key="brand_picker").value == "acme-nutrition"
    # A mistyped brand in a link keeps the brand the session shows, and says so.
    at.query_params["brand"] = "no-such-brand"
    at.run()
    assert at.selectbox(key="brand_picker").value == "acme-nutrition"
    assert any(
        "The link named a brand, 'no-such-brand', that is not here for you to open; showing Acme Nutrition." in c.value
        for c in at.caption
    )


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_an_emptied_demo_says_how_to_fill_it_again_not_to_upload_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "performance.csv").write_text(PERFORMANCE)
    demo = tmp_path / "creatorlift.duckdb"
    con = open_store(demo)
    (loaded,) = ensure_sample_data(con, sample)
    unload(con, loaded.load_id)  # every load undone
    con.close()
    at = _app(monkeypatch, demo).run()
    assert not at.exception
    shown = [info.value for info in at.info]
    assert any("demo brand is empty. **Start over from the sample data**" in text for text in shown)
    assert any("**Start over** on the **Data** page fills the demo brand again" in text for text in shown)
    assert not any("Upload your Creator Connections" in text for text in shown)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_demos_data_page_takes_a_file_only_when_told_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the demo, the Data page says a brand's files belong in its own workspace; an upload is refused with that
    sentence and changes nothing, and loads once "Load files into the demo brand anyway" is ticked."""
    demo = tmp_path / "creatorlift.duckdb"
    at = _app(monkeypatch, demo).run()
    at.switch_page("pages/data.py").run()
    assert any("This is the demo brand" in w.value for w in at.warning)
    at.file_uploader[0].set_value(("perf.csv", PERFORMANCE.encode(), "text/csv"))
    at.run()
    assert any("this is the demo brand" in e.value.replace("\\", "") for e in at.error)
    at.checkbox(key="data_into_demo").check().run()
    at.file_uploader[0].set_value(("perf.csv", PERFORMANCE.encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("perf.csv: Performance, 2 added" in s.value.replace("\\", "") for s in at.success)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_brands_backup_opened_as_the_default_store_is_that_brand_not_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README restores a backup with CREATORLIFT_DB=backup.duckdb: it opened labelled the demo brand, with the
    demo's banner, and its Data page asked to tick "Load files into the demo brand anyway"."""
    backup = tmp_path / "acme-2026-11-22.duckdb"
    con = open_store(backup)
    upload = tmp_path / "perf.csv"
    upload.write_text(PERFORMANCE)
    load_file(con, upload)
    con.close()
    at = _app(monkeypatch, backup).run()
    assert not at.exception
    picker = at.selectbox(key="brand_picker")
    assert picker.value == "demo" and picker.options == ["acme-2026-11-22"]
    assert not any("demo brand" in info.value for info in at.info)
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("This is the demo brand" in warning.value for warning in at.warning)
    assert not [box for box in at.checkbox if box.key == "data_into_demo"]


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_switching_brand_keeps_the_period_and_comparison_and_drops_the_filters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agency reviews a dozen brands the same way: the next brand opened on the default 4 weeks while the last
    was reviewed over 13, against last year. Its creators and lines are another brand's, so those filters go."""
    demo = tmp_path / "creatorlift.duckdb"
    upload = tmp_path / "perf.csv"
    upload.write_text(PERFORMANCE)
    _brands_holding(demo, {"Acme Nutrition": upload, "Beta Pets": upload})
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "acme-nutrition"
    at.run()
    at.selectbox(key="filter_period").select("Last 13 weeks").run()
    at.selectbox(key="filter_compare").select("year").run()
    at.multiselect(key="filter_creator").select("Ana").run()
    at.selectbox(key="brand_picker").select("beta-pets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["brand"] == "beta-pets"
    assert at.selectbox(key="filter_period").value == "Last 13 weeks"
    assert at.selectbox(key="filter_compare").value == "year"
    assert at.multiselect(key="filter_creator").value == []


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_creators_compared_for_one_brand_are_not_named_on_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acme's creators compared on the Creators page, then Beta Pets picked: the page said Acme's Ana and Bo were
    "left out of the comparison", and compared nobody. Beta's own top creators are compared instead."""
    demo = tmp_path / "creatorlift.duckdb"
    acme, beta = tmp_path / "acme.csv", tmp_path / "beta.csv"
    acme.write_text(PERFORMANCE + "2026-03-01,Bo,B0HYDRA001,3,1,10.00,1.00\n")
    beta.write_text(PERFORMANCE.replace("Ana", "Cy") + "2026-03-01,Di,B0HYDRA001,3,1,10.00,1.00\n")
    _brands_holding(demo, {"Acme Nutrition": acme, "Beta Pets": beta})
    at = _app(monkeypatch, demo)
    at.query_params.update({"brand": "acme-nutrition", "period": "Last 90 days"})
    at.run()
    at.switch_page("pages/creators.py").run()
    assert at.multiselect(key="creators_compare").value == ["Ana", "Bo"]
    at.selectbox(key="brand_picker").select("beta-pets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="creators_compare").value == ["Cy", "Di"]
    assert not any("Left out of the comparison" in c.value for c in at.caption)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_day_one_brands_budgets_stand_on_is_not_the_next_brands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acme's data runs to Mar 2, Beta's to Mar 1. Acme's Campaigns page left on its last day, Beta picked, then
    Acme again: Acme's budgets stood on Mar 1, Beta's last day, its spend a day short and its warnings gone."""
    demo = tmp_path / "creatorlift.duckdb"
    acme, beta = tmp_path / "acme.csv", tmp_path / "beta.csv"
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    acme.write_text(
        header + "2026-03-01,Spring,Ana,B0HYDRA001,10,2,40.00,4.00\n2026-03-02,Spring,Ana,B0HYDRA001,5,1,20.00,2.00\n"
    )
    beta.write_text(header + "2026-03-01,Paws,Cy,B0PETS0001,4,1,15.00,1.50\n")
    _brands_holding(demo, {"Acme Nutrition": acme, "Beta Pets": beta})
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "acme-nutrition"
    at.run()
    at.switch_page("pages/campaigns.py").run()
    assert at.date_input(key="campaigns_as_of_acme-nutrition").value == date(2026, 3, 2)
    at.selectbox(key="brand_picker").select("beta-pets").run()
    assert at.date_input(key="campaigns_as_of_beta-pets").value == date(2026, 3, 1)
    at.selectbox(key="brand_picker").select("acme-nutrition").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="campaigns_as_of_acme-nutrition").value == date(2026, 3, 2)
    assert any(c.value.startswith("Commission spent up to Mar 2, 2026, the last day of data,") for c in at.caption)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_day_the_budgets_stand_on_stays_with_its_brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Acme's close as of Mar 1 is in the link; picking Beta drops that day of Acme's data from it, and Beta's
    budgets stand on its own last day."""
    demo = tmp_path / "creatorlift.duckdb"
    acme, beta = tmp_path / "acme.csv", tmp_path / "beta.csv"
    header = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"
    acme.write_text(
        header + "2026-03-01,Spring,Ana,B0HYDRA001,10,2,40.00,4.00\n2026-03-03,Spring,Ana,B0HYDRA001,5,1,20.00,2.00\n"
    )
    beta.write_text(
        header + "2026-03-01,Paws,Cy,B0PETS0001,4,1,15.00,1.50\n2026-03-02,Paws,Cy,B0PETS0001,4,1,9.00,0.90\n"
    )
    _brands_holding(demo, {"Acme Nutrition": acme, "Beta Pets": beta})
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "acme-nutrition"
    at.query_params["as_of"] = "2026-03-01"
    at.run()
    at.switch_page("pages/campaigns.py").run()
    assert at.date_input(key="campaigns_as_of_acme-nutrition").value == date(2026, 3, 1)
    at.selectbox(key="brand_picker").select("beta-pets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "as_of" not in at.query_params
    assert at.date_input(key="campaigns_as_of_beta-pets").value == date(2026, 3, 2)


def test_a_store_from_before_the_demo_mark_holding_only_the_sample_is_still_the_demo(tmp_path: Path) -> None:
    """Stores filled with the sample before the demo was marked, and before loads named who made them, hold the
    sample's files under their own names and no author: still the demo. One brand's file makes the store theirs."""
    from analytics.store.changes import holds_only_the_sample

    con = open_store(tmp_path / "old.duckdb")
    sample = tmp_path / "performance.csv"
    sample.write_text(PERFORMANCE)
    load_file(con, sample)
    con.execute("update loads set loaded_by = null")
    assert holds_only_the_sample(con)
    own = tmp_path / "acme_week.csv"
    own.write_text(PERFORMANCE.replace("2026-03-0", "2026-04-0"))
    load_file(con, own)
    assert not holds_only_the_sample(con)
    con.close()


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_file_held_for_a_question_is_asked_about_and_loaded_only_in_the_brand_it_was_uploaded_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An overlap stopped a file uploaded to Acme; the person moved to Beta Pets, whose Data page showed Acme's
    question, and "Keep both" there loaded Acme's rows into Beta. The question now waits on Acme's page alone, its
    answer loads into Acme, and Beta's page names Acme as where the file went."""
    demo = tmp_path / "creatorlift.duckdb"
    upload = tmp_path / "perf.csv"
    upload.write_text(PERFORMANCE)
    acme, beta = (create_workspace(name, demo) for name in ("Acme Nutrition", "Beta Pets"))
    con = open_store(acme.path)
    load_file(con, upload)
    con.close()
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "acme-nutrition"
    at.run()
    at.switch_page("pages/data.py").run()
    restated = (
        "date,campaign,creator,asin,clicks,orders,revenue,commission\n2026-03-01,Spring,Ana,B0HYDRA001,3,1,5.00,0.50\n"
    )
    at.file_uploader[0].set_value(("restated.csv", restated.encode(), "text/csv"))
    at.run()
    assert any(b.label.startswith("Count both: adds $") for b in at.button)

    at.selectbox(key="brand_picker").select("beta-pets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(b.label.startswith("Count both: adds $") for b in at.button)

    at.selectbox(key="brand_picker").select("acme-nutrition").run()
    next(b for b in at.button if b.label.startswith("Count both: adds $")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("restated.csv: Performance, 1 added" in s.value.replace("\\", "") for s in at.success)
    at.selectbox(key="brand_picker").select("beta-pets").run()
    # On another brand's page, one line says where the upload went, naming none of that brand's data.
    assert not [s.value for s in at.success if "restated.csv" in s.value]
    assert (
        ":material/info: Your last upload went into **Acme Nutrition**: 1 file loaded. Choose Acme Nutrition under "
        "**Brand** in the sidebar to see what became of each file."
    ) in [c.value for c in at.caption]

    def revenue(path: Path) -> object:
        con = open_store(path)
        try:
            row = con.execute("select count(*), sum(revenue) from performance").fetchone()
        finally:
            con.close()
        return row

    assert revenue(acme.path) == (3, pytest.approx(65.00))
    assert revenue(beta.path) == (0, None)


def test_the_cli_makes_and_lists_workspaces_beside_the_store_db_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--db` names the default store as $CREATORLIFT_DB does: a workspace made with it sits beside that store, not
    beside the environment's."""
    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "elsewhere" / "creatorlift.duckdb"))
    store = tmp_path / "agency" / "creatorlift.duckdb"
    store.parent.mkdir()
    assert main(["--db", str(store), "workspaces", "new", "Acme Nutrition"]) == 0
    assert (
        capsys.readouterr().out
        == f"workspace Acme Nutrition (acme-nutrition) created: {store.parent / 'acme-nutrition.duckdb'}\n"
    )
    assert not (tmp_path / "elsewhere").exists()
    assert main(["--db", str(store), "workspaces"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == f"acme-nutrition,Acme Nutrition,{store.parent / 'acme-nutrition.duckdb'},$,"
    )


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_switching_brands_on_the_data_page_leaves_the_first_brands_terms_and_undo_question_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terms typed and an undo asked on the demo's Data page stayed on screen after switching to Bolt Pets: saving
    wrote the demo's terms into Bolt, and the undo question named Bolt's load of the same number. Each brand's page
    now draws its own."""
    demo = tmp_path / "creatorlift.duckdb"
    bolt = create_workspace("Bolt Pets", demo)
    catalog = tmp_path / "bolt_products.csv"
    catalog.write_text("asin,product_line\nB0BOLT0001,Pet Care\n")
    con = open_store(bolt.path)
    try:
        load_file(con, catalog)  # load #1 of Bolt's, as the demo's first sample file is load #1 of its own
    finally:
        con.close()
    at = _app(monkeypatch, demo).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="data_brand_terms_demo").input("Kestrel")
    at.selectbox(key="data_undo_pick_0_demo").set_value(1).run()
    at.button(key="data_undo").click().run()
    assert any(b.label == "Yes, undo it" for b in at.button)

    at.selectbox(key="brand_picker").set_value("bolt-pets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_input(key="data_brand_terms_bolt-pets").value == ""
    assert at.selectbox(key="data_undo_pick_0_bolt-pets").value is None
    assert not any(b.label == "Yes, undo it" for b in at.button)
    assert not any("Undo #" in w.value for w in at.warning)


def test_a_removed_brand_leaves_the_list_keeps_its_data_and_comes_back_whole(tmp_path: Path) -> None:
    """Acme Nutriton, a typo, is removed: it leaves the list, its store stays, its name and id are not taken again
    (saying how to restore it), and restored it holds its 2 rows as before."""
    demo = tmp_path / "creatorlift.duckdb"
    typo = create_workspace("Acme Nutriton", demo)
    create_workspace("Bolt Pets", demo)
    con = open_store(typo.path)
    try:
        (tmp_path / "perf.csv").write_text(PERFORMANCE)
        load_file(con, tmp_path / "perf.csv")
    finally:
        con.close()
    removed = remove_workspace("acme nutriton", demo)
    assert removed.slug == "acme-nutriton" and removed.path.exists()
    assert [w.slug for w in list_workspaces(demo)] == ["demo", "bolt-pets"]
    assert [(w.slug, when[:4]) for w, when in removed_workspaces(demo)] == [("acme-nutriton", str(date.today().year))]
    with pytest.raises(WorkspaceError, match="no workspace 'Acme Nutriton' to remove; the workspaces listed are: Bolt"):
        remove_workspace("Acme Nutriton", demo)
    with pytest.raises(WorkspaceError, match="workspaces restore acme-nutriton, or choose another name"):
        create_workspace("Acme Nutriton", demo)
    with pytest.raises(WorkspaceError, match="the workspace 'Acme Nutriton \\(removed\\)'"):
        create_workspace("Acme  Nutriton!", demo)
    with pytest.raises(WorkspaceError, match="The demo brand cannot be removed"):
        remove_workspace("demo", demo)
    assert create_workspace("Acme Nutrition", demo).slug == "acme-nutrition"
    restored = restore_workspace("acme-nutriton", demo)
    assert [w.slug for w in list_workspaces(demo)] == ["demo", "acme-nutrition", "acme-nutriton", "bolt-pets"]
    con = open_store(restored.path, read_only=True)
    try:
        assert con.execute("select count(*), sum(revenue) from performance").fetchone() == (2, 60.0)
    finally:
        con.close()


def test_the_cli_removes_and_restores_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "creatorlift.duckdb"))
    assert main(["workspaces", "new", "Acme Nutriton"]) == 0
    capsys.readouterr()
    assert main(["workspaces", "remove", "Acme Nutriton"]) == 0
    assert capsys.readouterr().out == (
        f"workspace Acme Nutriton (acme-nutriton) removed from the list; its data stays in "
        f"{tmp_path / 'acme-nutriton.duckdb'}. Bring it back with: python3 -m analytics workspaces restore "
        "acme-nutriton\n"
    )
    assert main(["--workspace", "acme-nutriton", "loads"]) == 2
    assert "There is no workspace 'acme-nutriton'" in capsys.readouterr().err
    assert main(["workspaces", "restore", "acme-nutriton"]) == 0
    assert capsys.readouterr().out.startswith("workspace Acme Nutriton (acme-nutriton) restored")
    assert main(["--workspace", "acme-nutriton", "loads"]) == 0


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_brand_is_removed_on_its_data_page_once_its_name_is_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The button stays disabled until the brand's name is typed; clicked, the brand leaves the picker, the page
    shows the demo's Data page saying how to bring it back, and the demo's page offers no removal."""
    demo = tmp_path / "creatorlift.duckdb"
    create_workspace("Bolt Pets", demo)
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "bolt-pets"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    remove = at.button(key="remove_brand_bolt-pets")
    assert remove.label == "Remove Bolt Pets" and remove.disabled
    at.text_input(key="remove_brand_name_bolt-pets").input("bolt  pets").run()
    assert not at.button(key="remove_brand_bolt-pets").disabled
    at.button(key="remove_brand_bolt-pets").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="brand_picker").options == [DEMO_NAME]
    assert at.query_params["brand"] == "demo"
    [said] = [s.value for s in at.success if "removed from the brand list" in s.value]
    assert "workspaces restore bolt\\-pets lists it again" in said
    assert not [b for b in at.button if str(b.key).startswith("remove_brand")]
    assert [w.slug for w, _ in removed_workspaces(demo)] == ["bolt-pets"]


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_another_brands_file_uploaded_as_a_new_brands_first_is_asked_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alder's week uploaded into Dogwood, made that morning, loaded as Dogwood's first file: Dogwood held nothing to
    tell it by. Its ASIN is Alder's, so the page now asks whose it is, naming Alder, and nothing loads until then."""
    demo = tmp_path / "creatorlift.duckdb"
    alder, dogwood = (create_workspace(name, demo) for name in ("Alder", "Dogwood"))
    week = tmp_path / "alder_week.csv"
    week.write_text(PERFORMANCE)
    con = open_store(alder.path)
    load_file(con, week)
    con.close()
    at = _app(monkeypatch, demo)
    at.query_params["brand"] = "dogwood"
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value(("alder_week.csv", PERFORMANCE.encode(), "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warned = [w.value.replace("\\", "") for w in at.warning]
    assert any("alder_week.csv names Alder's products; nothing was loaded yet" in w for w in warned), warned
    said = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "its ASIN B0HYDRA001 is Alder's, and Dogwood holds no products yet to compare it with" in said
    assert any(b.label == "It is Dogwood's: load it" for b in at.button)
    con = open_store(dogwood.path)
    try:
        assert con.execute("select count(*) from performance").fetchone() == (0,)
    finally:
        con.close()


def test_the_cli_warns_when_a_new_brands_first_file_is_another_brands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line loads, as a script expects, and says on stderr whose products the file names."""
    monkeypatch.setenv("CREATORLIFT_DB", str(tmp_path / "creatorlift.duckdb"))
    week = tmp_path / "alder_week.csv"
    week.write_text(PERFORMANCE)
    for name in ("Alder", "Dogwood"):
        assert main(["workspaces", "new", name]) == 0
    assert main(["--workspace", "Alder", "load", str(week)]) == 0
    capsys.readouterr()
    assert main(["--workspace", "Dogwood", "load", str(week)]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: alder_week.csv: its ASIN B0HYDRA001 is Alder's, and the brand holds no products yet to compare it "
        "with. If it is another brand's file, undo it with: python3 -m analytics --workspace dogwood unload 1"
    ) in err
