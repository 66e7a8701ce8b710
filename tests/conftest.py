"""Shared fixtures: a store with the sample data built once per run, and fresh copies of it per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from analytics.store.changes import load_sample_data
from analytics.store.database import open_store

ROOT = Path(__file__).resolve().parent.parent
# A product and two creators of the sample brand. A test's own upload into a copy of the sample names the product,
# or creators of the brand's for most of its rows, as a brand's own file does: a file naming none of the brand's
# products and few of its creators waits for the person to say it is the brand's (`ingest.unfamiliar`).
SAMPLE_ASIN = "B0ML6LH42E"
SAMPLE_CREATORS = ("@mindfulmornings", "@busymomhacks")
# The browser tests' `server` fixture (streamlit run on a free port) lives beside them.
pytest_plugins = ["tests.browser_support"]


@pytest.fixture(scope="session")
def sample_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample data loaded once into a database file that tests copy, never open directly."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    con = open_store(path)
    load_sample_data(con)
    con.close()
    return path


def copy_store(source: Path, target_dir: Path) -> Path:
    """A copy of a closed database file and its kept raw files, so a test may change it freely."""
    target = target_dir / source.name
    shutil.copyfile(source, target)
    raw = source.with_name(source.stem + "_files")
    if raw.exists():
        shutil.copytree(raw, target.with_name(target.stem + "_files"))
    return target


@pytest.fixture
def sample_con(sample_db_file: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An open connection to a private copy of the sample store."""
    folder = tmp_path / "engine"
    folder.mkdir()
    con = open_store(copy_store(sample_db_file, folder))
    yield con
    con.close()


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty store in a temporary file."""
    connection = open_store(tmp_path / "test.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def app_env(sample_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a private copy of the sample store, with Streamlit's caches cleared."""
    import streamlit as st

    folder = tmp_path / "app"
    folder.mkdir()
    path = copy_store(sample_db_file, folder)
    monkeypatch.setenv("CREATORLIFT_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture
def empty_app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a store that is empty and stays empty (no sample folder to load from)."""
    import streamlit as st

    path = tmp_path / "empty.duckdb"
    monkeypatch.setenv("CREATORLIFT_DB", str(path))
    monkeypatch.setattr("analytics.store.changes.SAMPLE_DIR", tmp_path / "no-sample-here")
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture
def load_text(con: duckdb.DuckDBPyConnection, tmp_path: Path):
    """Write CSV text (indentation stripped) to a file in tmp_path and load it into `con`."""
    import textwrap

    from analytics.ingest.importer import load_file

    def load(name: str, text: str, **options: object):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return load_file(con, path, name, **options)  # type: ignore[arg-type]

    return load


@pytest.fixture
def entry_script_on_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every AppTest run goes through app.py and its sidebar, as every browser rerun does.

    AppTest sets `PagesManager.uses_pages_directory` afresh before each run, and because a `pages/` folder
    sits beside app.py it comes out True: every run after the first would execute the page file alone,
    without app.py's sidebar (and `navigation.ensure_entry_script` would rerun it, losing a button click). The
    server sets it to False once `st.navigation` has run; this does the same for each AppTest run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
