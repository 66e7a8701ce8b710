"""The one way the data changes: loads, undos, the sample brand and the brand's currency, each followed by the
review's findings.

Every write goes through here. The rows and the small tables derived from them change in one transaction under
the store's write lock (`ingest.importer`, `store.database`); the weekly review's findings are worked out after the
commit, so a load never holds the lock while every rule runs, and are stamped with the data version they describe
(`review.insights.kept_findings`), so no page shows findings of other data than its own.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb

from analytics.ingest.currency import BrandCurrency, choose_currency
from analytics.ingest.importer import LoadResult, OnOlder
from analytics.ingest.importer import load_file as import_file
from analytics.ingest.layout import FileRejectedError
from analytics.ingest.missing import OnMissing
from analytics.ingest.overlap import OnOverlap
from analytics.ingest.progress import REVIEW_STEP, LoadProgress
from analytics.ingest.unfamiliar import OnUnfamiliar, OtherBrands
from analytics.store import database
from analytics.store.brand_terms import brand_terms, set_brand_terms

LOG = logging.getLogger(__name__)
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
# Who the load log says made the sample brand's loads.
SAMPLE_AUTHOR = "the sample data"
# The catalog first, so product lines and activation dates are there when the rest arrives.
SAMPLE_FILES = (
    "products.csv",
    "performance.csv",
    "orders.csv",
    "ranks.csv",
    "events.csv",
    "campaigns.csv",
    "business_report.csv",
    "search_query_performance.csv",
    "repeat_purchase.csv",
    # A clean-room query's buyer counts: the order lines stay the customer metrics' source, these show the kind.
    "cohorts.csv",
)
# The demo brand's name as its branded search queries spell it (`tools.sample_data.BRAND`).
SAMPLE_BRAND_TERMS = ("Kestrel",)


def refresh_findings(con: duckdb.DuckDBPyConnection) -> None:
    """Work the review's findings out for the current data, unless they already describe it.

    A rule that fails on this data must not undo a committed load nor keep the store from opening: the pages then
    work the findings out themselves, and the failure goes to the log.
    """
    # Imported here, not above: the review needs pandas and every metric, which a load itself never uses, and the
    # command line's `load` would otherwise pay for importing them before reading its first row.
    from analytics.review.insights import keep_findings, kept_findings

    try:
        if kept_findings(con) is None:
            keep_findings(con)
    except Exception:
        LOG.exception("The weekly review's findings could not be worked out; the pages will work them out")


def set_brand_currency(con: duckdb.DuckDBPyConnection, written: str) -> BrandCurrency:
    """Choose the brand's currency for the amounts its files write bare (`ingest.currency.choose_currency`), then
    bring the findings up to date: their sentences write amounts."""
    chosen = choose_currency(con, written)
    refresh_findings(con)
    return chosen


class DemoStoreError(FileRejectedError):
    """A file headed for the demo brand's store without the user saying it should go there."""


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this store is the demo brand: the sample data was loaded into it when it was created."""
    return con.execute("select 1 from meta where key = 'demo' and value = 'true'").fetchone() is not None


def holds_only_the_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store is the demo brand's: marked so when the sample filled it (`is_demo`), or holding no load in
    effect but the sample's (loaded as the sample, or, in a store from before loads named who made them, under the
    sample's file names), or none yet. A brand's own loads make it that brand's: a backup opened as the default
    store, say."""
    if is_demo(con):
        return True
    own = con.execute(
        """
        select exists (
            select 1 from loads
            where undone_at is null
              and loaded_by is distinct from $sample
              and not (loaded_by is null and list_contains($files, file_name))
        )
        """,
        {"sample": SAMPLE_AUTHOR, "files": list(SAMPLE_FILES)},
    ).fetchone()
    return own == (False,)


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    name: str | None = None,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    period: tuple[date, date] | None = None,
    into_demo: bool = False,
    program: str | None = None,
    on_overlap: OnOverlap = "stop",
    by: str | None = None,
    refresh: bool = True,
    progress: LoadProgress | None = None,
    on_unfamiliar: OnUnfamiliar = "load",
    brand_through: int | None = None,
    again: bool = False,
    name_brand_terms: bool = False,
    on_older: OnOlder = "load",
    other_brands: OtherBrands | None = None,
    on_missing: OnMissing = "keep",
) -> LoadResult:
    """Load one file all or nothing (`ingest.importer.load_file`), note `by` whom in the log, then bring the
    findings up to date (unless `refresh` is false: a caller loading several files works them out once, after the
    last, with `refresh_findings`). `progress` hears each step and may cancel the load before it commits
    (`ingest.progress`).

    The demo brand takes a file only when the caller says so (`into_demo`): a brand's own files belong in its own
    workspace, never mixed with the sample by accident.
    """
    if is_demo(con) and not into_demo:
        raise DemoStoreError(
            f"{name or Path(path).name}: this is the demo brand (sample data), and your files would be mixed with "
            "the sample. Create your brand's workspace first (New brand in the sidebar, or "
            "`python -m analytics workspaces new NAME` and --workspace NAME), or load it into the demo on purpose (the "
            "Data page's Load files into the demo brand anyway, or load --into-demo)."
        )
    result = import_file(
        con,
        path,
        name,
        kind,
        mapping,
        period,
        program=program,
        on_overlap=on_overlap,
        progress=progress,
        on_unfamiliar=on_unfamiliar,
        brand_through=brand_through,
        again=again,
        name_brand_terms=name_brand_terms,
        on_older=on_older,
        other_brands=other_brands,
        on_missing=on_missing,
    )
    if result.load_id is not None:
        _note_author(con, [result], by)
        if refresh:
            if progress is not None:
                progress.step(REVIEW_STEP)  # committed: no cancel stops it now
            refresh_findings(con)
    return result


def _note_author(con: duckdb.DuckDBPyConnection, results: list[LoadResult], by: str | None) -> None:
    """Write who made these loads into the log. Right after the load's own commit: the log's author is a label, and
    a load whose label was never written reads as made by an unknown person, which changes no number."""
    for result in results:
        if result.load_id is not None and by:
            con.execute("update loads set loaded_by = $by where load_id = $id", {"by": by, "id": result.load_id})


def unload(con: duckdb.DuckDBPyConnection, load_id: int, by: str | None = None) -> dict[str, object]:
    """Undo one load (`store.database.unload`), marked in the log as undone `by` whom, then bring the findings up
    to date."""
    undone = database.unload(con, load_id, by)
    refresh_findings(con)
    return undone


def load_sample_data(con: duckdb.DuckDBPyConnection, sample_dir: Path | None = None) -> list[LoadResult]:
    """Load the sample files (each all or nothing) and, where none are set, the sample brand's search terms; loading
    them again changes nothing."""
    results = _import_sample(con, sample_dir)
    _note_author(con, results, SAMPLE_AUTHOR)
    refresh_findings(con)
    return results


def _import_sample(con: duckdb.DuckDBPyConnection, sample_dir: Path | None = None) -> list[LoadResult]:
    """The sample files' loads and, where none are set, the sample brand's search terms."""
    folder = sample_dir or SAMPLE_DIR
    results = [
        import_file(con, folder / name, name, name_brand_terms=True)
        for name in SAMPLE_FILES
        if (folder / name).exists()
    ]
    if results and not brand_terms(con):  # a sample without its search file still names its brand
        set_brand_terms(con, SAMPLE_BRAND_TERMS)
    return results


def ensure_sample_data(con: duckdb.DuckDBPyConnection, sample_dir: Path | None = None) -> list[LoadResult]:
    """Load the sample data into a brand-new store, once: a store the user emptied stays empty."""
    with database.WRITE_LOCK:
        if con.execute("select 1 from meta where key = 'initialised'").fetchone():
            return []
        results = load_sample_data(con, sample_dir) if database.is_empty(con) else []
        if results:
            con.execute("insert or replace into meta values ('demo', 'true')")
        con.execute("insert or replace into meta values ('initialised', 'true')")
        return results


def start_over_from_sample(con: duckdb.DuckDBPyConnection, by: str | None = None) -> list[LoadResult]:
    """Undo every load, newest first, then load the bundled sample data, all in one transaction: a crash or a
    refused sample file leaves the store as it was, never half emptied."""

    def change() -> list[LoadResult]:
        for load_id in reversed(database.list_loads(con)["id"].tolist()):
            database.unload(con, int(load_id), by)
        return _import_sample(con)

    with database.WRITE_LOCK:
        results = database.in_transaction(con, change)
    _note_author(con, results, SAMPLE_AUTHOR)
    refresh_findings(con)
    return results
