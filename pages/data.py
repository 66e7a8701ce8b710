"""Data: upload files, match the columns of unrecognised ones, undo loads, templates, start over and backup."""

import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from analytics.contract.kinds import KINDS
from analytics.contract.overlaps import PERIOD_SUM_KINDS
from analytics.ingest import uploads
from analytics.ingest.currency import CURRENCY_NAMES, CurrencyError, brand_currency, currency_label
from analytics.ingest.importer import LoadResult, OlderDownloadError, inspect_file
from analytics.ingest.layout import FileRejectedError, UnmatchedColumnsError, performance_first
from analytics.ingest.missing import MissingRowsError
from analytics.ingest.overlap import OverlapError
from analytics.ingest.progress import LoadCancelledError, LoadProgress
from analytics.ingest.report_periods import (
    WEEKS_LOOKED_BACK,
    GivenPeriodError,
    PeriodNeededError,
)
from analytics.ingest.unfamiliar import OtherBrands, UnfamiliarFileError
from analytics.metrics.sales import suggested_brand_terms
from analytics.present import load_log
from analytics.store import changes
from analytics.store import database as store
from analytics.store.brand_terms import brand_terms, set_brand_terms
from analytics.store.changes import load_file
from analytics.store.database import UnknownLoadError, undo_preview
from analytics.store.files import backup_archive, kept_bytes, missing_kept_files
from analytics.store.workspaces import Workspace, slug_of
from analytics.words import plural, possessive, range_words
from ui import brands, layout, load_jobs, navigation, notices, queries, session, tables
from ui.waiting import (
    AGAIN_KEY,
    MISSING_KEY,
    OLDER_KEY,
    OVERLAP_KEY,
    PENDING_KEY,
    PERIOD_KEY,
    QUESTIONS,
    RESULTS_BRAND_KEY,
    RESULTS_KEY,
    UNFAMILIAR_KEY,
    store_of,
)

ROUND_KEY = "data_upload_round"  # part of the uploader's key: a new round clears it and frees its memory
INTERRUPTED_KEY = "data_interrupted"  # store -> sentences on its uploads whose load a stopped server cut off
OTHER_DATES = "Other dates"  # the period question's choice of dates other than the weeks it lists
UNDO_ROUND_KEY = "data_undo_round"  # part of the undo picker's key: a new round clears it
CONFIRM_KEY = "data_confirm"  # ("undo", load id) or ("reset", None) while a confirmation is showing
# What a file uploaded again while the same file waits on a question is told: it is asked about once.
WAITING_AGAIN = {
    key: f"the same file already waits below for you to {question}; answer it there. Nothing more was loaded."
    for key, question in QUESTIONS.items()
}
OVERLAP_CHOICES = "replace the overlapping rows with the new ones, or keep both, below"
OUTCOME_BOXES = {
    "ok": st.success,
    "same": st.info,
    "check": st.warning,
    "map": st.warning,
    "overlap": st.warning,
    "unfamiliar": st.warning,
    "again": st.warning,
    "older": st.warning,
    "missing": st.warning,
    "error": st.error,
    "cancelled": st.info,
}
OUTCOME_ICONS = {
    "cancelled": ":material/cancel:",
    "ok": ":material/check_circle:",
    "same": ":material/content_copy:",
    "check": ":material/rule:",
    "map": ":material/table_edit:",
    "overlap": ":material/content_copy:",
    "unfamiliar": ":material/help:",
    "again": ":material/history:",
    "older": ":material/history:",
    "missing": ":material/playlist_remove:",
    "error": ":material/error:",
}
LOAD_COLUMNS = (
    "id",
    "status",
    "cautions",
    "loaded_at",
    "loaded_by",
    "file",
    "kind",
    "rows_added",
    "rows_updated",
    "rows_unchanged",
    "notes",
)
NOT_IN_FILE = "— not in this file —"
# A full backup passes through the server's memory on its way to the browser: above this, the CLI makes it.
FULL_BACKUP_LIMIT_BYTES = 512 * 2**20


# Both are made on a server thread when clicked, where the session and the URL cannot be read: they take the
# workspace this run shows (as the review's download does).
def _backup_bytes(workspace: Workspace) -> bytes:
    """A consistent copy of the workspace's whole database, taken when the user clicks."""
    with (
        tempfile.TemporaryDirectory(prefix="creatorlift-backup-") as folder,
        session.workspace_cursor(workspace) as con,
    ):
        return store.backup(con, Path(folder) / "creatorlift.duckdb").read_bytes()


def _full_backup_bytes(workspace: Workspace) -> bytes:
    """The database and the kept uploads in one zip (`store.files.backup_archive`), made when the user clicks."""
    with (
        tempfile.TemporaryDirectory(prefix="creatorlift-backup-") as folder,
        session.workspace_cursor(workspace) as con,
    ):
        return backup_archive(con, Path(folder) / "backup.zip").read_bytes()


def _held_for_a_choice(
    outcome: str, key: str, path: Path, name: str, reason: str, said: str, into_demo: bool, how: dict[str, object]
) -> load_jobs.Outcome:
    """Hold a file whose load stopped on a question (an overlap, another brand's file) until the user answers it
    under `key`: `said` above the uploader, the box asking keeping `reason` as long as it asks (the outcome is gone
    after the next click), and `how` (its kind, mapping and period, if given) for its load once answered."""
    held = {"path": str(path), "name": name, "into_demo": into_demo, "reason": reason, **how}
    return load_jobs.Outcome(outcome, said, (key, path.stem, held))


def _overlap_outcome(path: Path, name: str, error: OverlapError, into_demo: bool, **how: object) -> load_jobs.Outcome:
    """A file whose load an overlap stopped, held for the choice of what to do with it."""
    # Figures, not sales: a search report's overlap is of searches, a cohort file's of buyers.
    said = f"{name} overlaps figures already loaded; nothing was loaded yet: choose what to do with it below."
    reason = error.overlap.sentence(name, OVERLAP_CHOICES)
    keep, replace = error.overlap.keep_both_label(), error.overlap.replace_help()
    how = {**how, "keep_label": keep, "replace_help": replace}
    return _held_for_a_choice("overlap", OVERLAP_KEY, path, name, reason, said, into_demo, how)


def _unfamiliar_outcome(
    path: Path, name: str, error: UnfamiliarFileError, into_demo: bool, brand: str, **how: object
) -> load_jobs.Outcome:
    """A file naming none of the brand's products or creators, held until the user says whether it is the brand's."""
    theirs = possessive(brand)
    said = f"{name} {error.unfamiliar.headline(brand)}; nothing was loaded yet: is it {theirs}? Answer below."
    # Said of the brand's data as it stood then: another file answered meanwhile may have brought its products.
    reason = f"When it was uploaded, {error.unfamiliar.described(brand)}."
    return _held_for_a_choice("unfamiliar", UNFAMILIAR_KEY, path, name, reason, said, into_demo, how)


def _again_outcome(path: Path, name: str, result: LoadResult, into_demo: bool, **how: object) -> load_jobs.Outcome:
    """A file loaded before whose rows a later load has given other figures: held until the user says whether it is
    the later download, whose figures to put back (loading the same file twice otherwise adds nothing)."""
    rows = plural(result.replaced, "row")
    said = f"{name} is loaded already (load {result.same_as}); nothing was added: put its figures back? Answer below."
    if result.older_download:
        # Told which download is which: the question's first answer was to put back the older figures.
        later = result.later_loads_sentence()
        reason = (
            f"{later[:1].upper()}{later[1:]}, has given {rows} of load {result.same_as} other figures since. A "
            "download running to later days is usually the later one, with Amazon's restated figures: if so, discard "
            "this file. If this file is the later download, put its figures back."
        )
        return _held_for_a_choice("again", AGAIN_KEY, path, name, reason, said, into_demo, {**how, "older": True})
    reason = (
        f"A later load, {result.later_loads_sentence()}, has given {rows} of load {result.same_as} other figures "
        "since. If this file is the later download (Amazon's restated figures), put its figures back: the other "
        "load's other days stay. If it is the older one, discard it."
    )
    return _held_for_a_choice("again", AGAIN_KEY, path, name, reason, said, into_demo, how)


def _older_outcome(
    path: Path, name: str, error: OlderDownloadError, into_demo: bool, **how: object
) -> load_jobs.Outcome:
    """A file that would put back figures a download running to later days restated, held until the user says
    whether to load it: discarding is the likely answer, as the store holds the later figures."""
    said = f"{name} would put back older figures; nothing was loaded yet: is it the older download? Answer below."
    how = {**how, "others": error.older.others}
    return _held_for_a_choice("older", OLDER_KEY, path, name, str(error), said, into_demo, how)


def _missing_outcome(
    path: Path, name: str, error: MissingRowsError, into_demo: bool, **how: object
) -> load_jobs.Outcome:
    """A newer download leaving out stored rows of its days, held until the user says whether they go: most likely
    sales Amazon reversed (dropping them is the first answer), else an export of part of the program."""
    said = f"{name} leaves out sales already stored for its days; nothing was loaded yet: drop them? Answer below."
    return _held_for_a_choice("missing", MISSING_KEY, path, name, str(error), said, into_demo, how)


def _held_how(held: dict[str, Any]) -> dict[str, Any]:
    """How a held file was to be read, as the question it waits on kept it: its kind, mapping and period, and
    whether it was said to be the brand's or to load as an older download, for its load once the question is
    answered."""
    how = {column: held.get(column) for column in ("kind", "mapping", "period")}
    # Every answer given so far: a question answered leads to the next, which must not ask it again, nor lose it (a
    # file said to be put back, then said to keep the newer figures, must still be put back).
    for answered in ("on_unfamiliar", "on_overlap", "on_older", "on_missing", "again"):
        if held.get(answered) is not None:
            how[answered] = held[answered]
    return how


def _start_held(path: Path, name: str, key: str, token: str, into_demo: bool, **how: Any) -> None:
    """Load a file this page held back (`key`'s `token`) now that the user said how to read it (`how`: its kind and
    mapping, its period, or what to do with its overlap), on a thread of its own like any upload."""
    held = st.session_state.get(key, {}).pop(token)
    uploads.forget_held(path)  # answered: a reload while it loads must not ask again
    workspace, by = session.current_workspace(), session.author()
    if held.get("store") != store_of(workspace):  # shown only on its own brand's page; never loaded into another
        st.session_state.setdefault(key, {})[token] = held
        return
    uploads.note_loading(path, name, store_of(workspace), by)
    others = session.other_brands(workspace)
    back = (key, token, held)
    load_jobs.start(
        [name],
        lambda index, progress: _load_held(path, name, back, workspace, into_demo, by, progress, how, others),
        partial(session.work_out_review, workspace),
        (store_of(workspace), workspace.name),
        lambda index: uploads.discard_upload(path),
        answers=True,
    )
    st.rerun()


def _load_held(
    path: Path,
    name: str,
    back: tuple[str, str, dict[str, Any]],
    workspace: Workspace,
    into_demo: bool,
    by: str,
    progress: LoadProgress,
    how: dict[str, Any],
    others: OtherBrands,
) -> load_jobs.Outcome:
    """`_start_held`'s load: refused, cancelled or failed, the file is held again where it was (`back`), so the
    person can try again; except a file held for its period and refused for another reason (a bad cell), which no
    other period would load: it is let go, and the refusal says what to mend before uploading it again."""
    if not path.exists():  # answered in another tab, or held for over a day (`uploads.remove_stale_uploads`)
        return load_jobs.Outcome(
            "error",
            f"{name}: this upload is no longer waiting: it was answered in another tab, or dropped after a day. The "
            "load history below shows whether it was loaded; if not, upload it again.",
        )

    def refused(con: Any, error: FileRejectedError) -> load_jobs.Outcome:
        if isinstance(error, PeriodNeededError):  # said to be the brand's, a report without dates asks them next
            return _period_question(path, name, how, error.sums_a_period)
        mendable = back[0] != PERIOD_KEY or isinstance(error, GivenPeriodError)
        return load_jobs.Outcome("error", f"{error} Nothing from this file was loaded.", back if mendable else None)

    return _load_on_thread(path, name, how, workspace, into_demo, by, progress, refused, others, back)


def _load_saved(
    saved: uploads.SavedUpload,
    workspace: Workspace,
    into_demo: bool,
    by: str,
    progress: LoadProgress,
    others: OtherBrands,
) -> load_jobs.Outcome:
    """A new upload's load: a file that states no period, or whose columns are not recognised, is held for the person
    to say how to read it."""

    def refused(con: Any, error: FileRejectedError) -> load_jobs.Outcome:
        if isinstance(error, PeriodNeededError):
            return _period_question(saved.path, saved.name, {}, error.sums_a_period)
        # Only columns no kind was found in are mended by matching them: a broken row (a download cut off), a layout
        # refused by name or the brand the file came to (the demo's sample) are said as they are.
        if not isinstance(error, UnmatchedColumnsError):
            return load_jobs.Outcome("error", f"{error} Nothing from this file was loaded.")
        inspection = inspect_file(con, saved.path, saved.name, progress=progress)
        if not uploads.needs_mapping(inspection):
            return load_jobs.Outcome("error", f"{error} Nothing from this file was loaded.")
        # The kind the columns come nearest to, when one does, is the matching's first guess.
        to_map = {"path": str(saved.path), "name": saved.name, "header": inspection.header, "closest": error.closest}
        said = error.brief
        return load_jobs.Outcome(
            "map", f"{said} Nothing was loaded: match its columns below.", (PENDING_KEY, saved.path.stem, to_map)
        )

    return _load_on_thread(saved.path, saved.name, {}, workspace, into_demo, by, progress, refused, others)


def _period_question(path: Path, name: str, how: Mapping[str, Any], sums_a_period: bool = False) -> load_jobs.Outcome:
    """A file that states no period, held for the person to choose it; how it was to be read besides (its kind and
    mapping, and every answer given to a question before this one) is kept for its load. `sums_a_period`: a
    performance report with no date column (asked in Creator Connections' words), not a Business Report."""
    held = {"path": str(path), "name": name, "sums_a_period": sums_a_period}
    held |= {key: value for key, value in _held_how(dict(how)).items() if value is not None and key != "period"}
    return load_jobs.Outcome(
        "map",
        f"{name}: the file does not say which period it covers; choose it below. Nothing was loaded.",
        (PERIOD_KEY, path.stem, held),
    )


def _load_on_thread(
    path: Path,
    name: str,
    how: dict[str, Any],
    workspace: Workspace,
    into_demo: bool,
    by: str,
    progress: LoadProgress,
    refused: Callable[[Any, FileRejectedError], load_jobs.Outcome],
    others: OtherBrands,
    back: tuple[str, str, dict[str, Any]] | None = None,
) -> load_jobs.Outcome:
    """Load one file on the upload's thread (`ui.load_jobs`) and say what happened in one sentence: loaded, stopped
    by an overlap (held for that choice), refused (`refused` says what then), cancelled or failed (held at `back`,
    if given). `others` tells whose products a brand's first files name (`session.other_brands`). No Streamlit
    here: what the page must hold for the person's next step travels in the outcome, and a file the outcome does not
    hold is deleted, whatever happened."""
    outcome = None
    try:
        with session.workspace_cursor(workspace) as con:
            try:
                # Another brand's file is asked about, unless loaded into the demo on purpose, or answered already.
                # So is a file that would put back figures a later download restated, before it changes anything.
                how = {"on_unfamiliar": "load" if into_demo else "ask", "on_older": "ask", "on_missing": "ask", **how}
                # A search report naming its brand gives a brand without search terms its name as them.
                result = load_file(
                    con,
                    path,
                    name=name,
                    into_demo=into_demo,
                    by=by,
                    progress=progress,
                    refresh=False,
                    name_brand_terms=True,
                    other_brands=others,
                    **how,
                )
            except UnfamiliarFileError as error:
                outcome = _unfamiliar_outcome(path, name, error, into_demo, workspace.name, **how)
            except OverlapError as error:
                outcome = _overlap_outcome(path, name, error, into_demo, **how)
            except OlderDownloadError as error:
                outcome = _older_outcome(path, name, error, into_demo, **how)
            except MissingRowsError as error:
                outcome = _missing_outcome(path, name, error, into_demo, **how)
            except FileRejectedError as error:
                outcome = refused(con, error)
            except LoadCancelledError:
                outcome = load_jobs.cancelled(name, back)
            except Exception:
                outcome = load_jobs.failed(name, back)
            else:
                if result.same_as is not None and result.replaced and not how.get("again"):
                    outcome = _again_outcome(path, name, result, into_demo, **how)
                else:
                    # A file loaded before adds nothing: said apart from a load, not in a load's green.
                    said = "same" if result.same_as is not None and not result.load_id else None
                    outcome = load_jobs.Outcome(
                        said or ("check" if result.cautions else "ok"),
                        result.summary(separators=True, kinds=uploads.KIND_LABELS),
                    )
    finally:
        uploads.forget_loading(path)
        if outcome is not None and outcome.hold is not None and _waits_already(path, outcome.hold[0], workspace, by):
            # Said in the box of the question it waits on.
            outcome = load_jobs.Outcome(outcome.outcome, f"{name}: {WAITING_AGAIN[outcome.hold[0]]}", None)
        if outcome is None or outcome.hold is None:  # nothing to come back to
            uploads.discard_upload(path)
        else:  # noted beside the file, so a reload, another tab or a page the person moved on to asks again
            outcome.hold[2]["store"] = store_of(workspace)  # asked, and loaded, only in the brand it came to
            uploads.note_held(uploads.HeldUpload(*outcome.hold, store_of(workspace), by))
    return outcome


def _waits_already(path: Path, key: str, workspace: Workspace, by: str) -> bool:
    """Whether the same file already waits on the question `key` (`uploads.held_twin`); not when the other copy
    goes meanwhile, answered or dropped in another tab."""
    try:
        return uploads.held_twin(path, key, store_of(workspace), by) is not None
    except OSError:
        return False


def _discard_button(
    where: Any, waiting: dict[str, Any], token: str, path: Path, key: str, primary: bool = False
) -> None:
    """The "Discard this file" button of a file waiting on a question (`waiting`'s `token`), in `where`: the file is
    let go and the question closed. `primary` where discarding is the likely answer."""
    if where.button("Discard this file", key=key, icon=":material/delete:", type="primary" if primary else "secondary"):
        uploads.discard_upload(path)
        name = waiting.pop(token, {}).get("name", "The file")
        _finish([("cancelled", f"{name}: discarded; nothing from it was loaded.")])


def _ask_again() -> None:
    """The questions this person's uploads to this brand wait on, from an earlier tab or before a reload."""
    for held in uploads.held_uploads(store_of(session.current_workspace()), session.author()):
        st.session_state.setdefault(held.key, {}).setdefault(held.token, {**held.record, "store": held.workspace})


def _say_interrupted() -> None:
    """The uploads of this person to this brand whose load a stopped server cut off: said once found, until the next
    upload, and their files let go."""
    store = store_of(session.current_workspace())
    said = st.session_state.setdefault(INTERRUPTED_KEY, {}).setdefault(store, [])
    for cut in uploads.interrupted_uploads(store, session.author()):
        said.append(
            f"{cut.name}: its load, begun {cut.started}, was cut off when the app stopped, and nothing from it was "
            "saved. Upload it again."
        )
        uploads.discard_upload(cut.path)
    for sentence in said:
        st.warning(notices.md(sentence), icon=":material/sync_problem:")


def _held_here(held: dict[str, Any]) -> bool:
    """Whether a file held for a question came to the brand this page shows: the others wait for their own."""
    return held.get("store") == store_of(session.current_workspace())


def _asked(key: str, box: str, heading: Callable[[str], str]) -> Iterator[tuple[str, dict[str, Any], str, Path]]:
    """The files held on the question `key` for the brand shown, each in a box of its own (keyed `box`_token) under
    `heading` of its name, with the reason it was held: yields (token, what was held, name, path) inside the box,
    where the question's own words and buttons follow."""
    waiting: dict[str, dict[str, Any]] = st.session_state.get(key, {})
    for token, held in list(waiting.items()):
        if not _held_here(held):
            continue
        name, path = str(held["name"]), Path(str(held["path"]))
        with st.container(border=True, key=f"{box}_{token}"):
            st.markdown(heading(notices.md(name)))
            st.markdown(notices.md(str(held.get("reason", ""))))
            yield token, held, name, path


def _start_loading(files: list[UploadedFile], into_demo: bool) -> None:
    """Save the uploads to disk under names of our own, let go of Streamlit's copies in memory, and load them on a
    thread of their own; the uploader is cleared."""
    uploads.remove_stale_uploads()
    saved: list[uploads.SavedUpload] = []
    try:
        for upload in files:
            saved.append(uploads.save_upload(upload, upload.name))
            load_jobs.release(upload)
    except BaseException:
        for done in saved:
            uploads.discard_upload(done.path)
        raise
    saved = [saved[i] for i in performance_first([(done.path, done.name) for done in saved])]
    workspace, by = session.current_workspace(), session.author()
    for done in saved:
        uploads.note_loading(done.path, done.name, store_of(workspace), by)
    st.session_state.pop(INTERRUPTED_KEY, None)
    others = session.other_brands(workspace)
    load_jobs.start(
        [s.name for s in saved],
        lambda index, progress: _load_saved(saved[index], workspace, into_demo, by, progress, others),
        partial(session.work_out_review, workspace),
        (store_of(workspace), workspace.name),
        # A file the cancel reached before its load began: its upload, and the note that it is loading, go.
        lambda index: uploads.discard_upload(saved[index].path),
    )
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.rerun()


def _finish(results: list[tuple[str, str]], into: tuple[str, str] | None = None) -> None:
    """Show `results` above the uploader from the next run on, as the outcome of work for `into` (a brand's store
    and name; this page's when not given)."""
    workspace = session.current_workspace()
    st.session_state[RESULTS_KEY] = results
    st.session_state[RESULTS_BRAND_KEY] = into or (store_of(workspace), workspace.name)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state.pop(session.brand_key(CONFIRM_KEY), None)
    st.rerun()


navigation.ensure_entry_script()
st.title("Your data")
st.caption(
    "Upload this week's exports: Creator Connections has no API, so every file comes from a download. Each file "
    "loads all or nothing, rows already in the store are updated with the newer values, and any load can be undone."
)


def _upload_elsewhere(outcomes: list[str], brand: str) -> str:
    """One line on the last upload, which went into another brand: how many files loaded, were refused or wait for an
    answer, and where to see them."""
    counts = {outcome: outcomes.count(outcome) for outcome in dict.fromkeys(outcomes)}
    asked = ("map", "period", "overlap", "unfamiliar", "again", "older", "missing")
    waiting = sum(counts.get(outcome, 0) for outcome in asked)
    loaded = sum(counts.get(outcome, 0) for outcome in load_jobs.LOADED)
    parts = [
        f"{plural(loaded, 'file')} loaded" if loaded else "",
        f"{counts['error']:,} refused" if counts.get("error") else "",
        f"{waiting:,} waiting for an answer" if waiting else "",
        f"{counts['cancelled']:,} cancelled" if counts.get("cancelled") else "",
        f"{counts['same']:,} loaded before, adding nothing" if counts.get("same") else "",
    ]
    return (
        f":material/info: Your last upload went into **{notices.md(brand)}**: {', '.join(p for p in parts if p)}. "
        f"Choose {notices.md(brand)} under **Brand** in the sidebar to see what became of each file."
    )


# --- Upload ----------------------------------------------------------------------------------------------------
# Files this person left waiting on a question in an earlier tab or before a reload are asked about again.
_ask_again()
brands.say_removed()
st.subheader("Upload files")
_say_interrupted()
here = store_of(session.current_workspace())
# The last upload's outcomes stay while the person moves between brands. On another brand's page one line says where
# it went: its boxes, green above this brand's counts and naming that brand's creators, read as files loaded here.
went_to, brand = st.session_state.get(RESULTS_BRAND_KEY, (here, ""))
last_upload = st.session_state.get(RESULTS_KEY, [])
if went_to == here:
    for outcome, sentence in last_upload:
        OUTCOME_BOXES[outcome](notices.md(sentence), icon=OUTCOME_ICONS[outcome])
elif last_upload:
    st.caption(_upload_elsewhere([outcome for outcome, _ in last_upload], brand))
into_demo = False
if session.current_workspace().is_demo:
    st.warning(
        "This is the demo brand. Your own files belong in your brand's workspace: create it with **New brand** in "
        "the sidebar, then upload there.",
        icon=":material/science:",
    )
    into_demo = st.checkbox("Load files into the demo brand anyway", key="data_into_demo")
job = load_jobs.current()
if job is not None:
    # Loading on its own thread: watched until it ends, whichever page runs meanwhile.
    outcomes = load_jobs.watch(job, notices.md, here)
    results = [(o.outcome, o.sentence) for o in outcomes]
    if job.answers and st.session_state.get(RESULTS_BRAND_KEY, ("",))[0] == job.store:
        # An answer to a question of the last upload: what it said of its other files stays (a refusal among them
        # went unseen once the answer's outcome stood alone).
        results = load_jobs.after_answers(st.session_state.get(RESULTS_KEY, []), results, job.names)
    _finish(results, (job.store, job.brand))
files = st.file_uploader(
    "Drop CSV, TSV or Excel files here, several at once",
    type=list(uploads.UPLOAD_TYPES),
    accept_multiple_files=True,
    key=f"data_upload_{st.session_state.get(ROUND_KEY, 0)}",
    help="Each file's kind is recognised from its columns; files whose columns are not recognised can be matched "
    "by hand once, and the match is remembered for files with the same header. While files load you can cancel, "
    "or go on to other pages. A file marked with status code 503 arrived while the server held as many uploads "
    "as it may: upload it again a minute later.",
)
if files:
    _start_loading(files, into_demo)

# --- Match the columns of unrecognised files -------------------------------------------------------------------
pending: dict[str, dict[str, object]] = st.session_state.get(PENDING_KEY, {})
for token, waiting in list(pending.items()):
    if not _held_here(waiting):
        continue
    name, path, header = str(waiting["name"]), Path(str(waiting["path"])), list(waiting["header"])  # type: ignore[call-overload]
    with st.container(border=True, key=f"data_map_{token}"):
        st.markdown(f"**Match the columns of {notices.md(name)}**")
        closest = waiting.get("closest")
        kind = st.selectbox(
            "What does this file hold?",
            list(KINDS),
            index=list(KINDS).index(closest) if closest in KINDS else None,
            format_func=lambda k: f"{uploads.KIND_LABELS[k]}: {KINDS[k].description}",
            placeholder="Choose the kind of file",
            key=f"data_map_kind_{token}",
        )
        if kind is not None:
            suggested = uploads.suggested_mapping(kind, header)
            with st.form(key=f"data_map_form_{token}", border=False):
                st.caption("Pick the file's column for each of ours; required ones are marked.")
                picks: dict[str, str | None] = {}
                grid = st.columns(3)
                for index, wanted in enumerate(KINDS[kind].columns):
                    options = [NOT_IN_FILE, *header]
                    picks[wanted.name] = grid[index % 3].selectbox(
                        uploads.column_label(kind, wanted.name),
                        options,
                        index=options.index(suggested[wanted.name]) if wanted.name in suggested else 0,
                        key=f"data_map_{token}_{kind}_{wanted.name}",
                        help=wanted.description,
                    )
                submitted = st.form_submit_button("Load with these columns", type="primary")
            if submitted:
                mapping = {canonical: h for canonical, h in picks.items() if h and h != NOT_IN_FILE}
                missing = uploads.missing_required(kind, mapping)
                if missing:
                    st.error(f"Match the required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
                else:
                    into_demo = bool(st.session_state.get("data_into_demo"))
                    _start_held(path, name, PENDING_KEY, token, into_demo, kind=kind, mapping=mapping)
        _discard_button(st.container(), pending, token, path, f"data_map_discard_{token}")

# --- Give the period of files that state none (Business Reports) ----------------------------------------------
waiting_for_period: dict[str, dict[str, Any]] = st.session_state.get(PERIOD_KEY, {})
for token, undated in list(waiting_for_period.items()):
    if not _held_here(undated):
        continue
    name, path = undated["name"], Path(undated["path"])
    with st.container(border=True, key=f"data_period_{token}"):
        st.markdown(f"**Which period does {notices.md(name)} cover?**")
        labels: dict[str, tuple[date, date]] = {}
        summed = bool(undated.get("sums_a_period")) or undated.get("kind") in PERIOD_SUM_KINDS
        if summed:
            # A performance report matched with no date column: its dates are the ones chosen in the console.
            st.caption(
                "The dates you chose in Creator Connections when you downloaded it: the file has no date column, so "
                "each of its rows sums up the period and is stored on its first day."
            )
            choice: str | None = OTHER_DATES
        else:
            st.caption("The dates you chose in Seller Central when you downloaded it: the report itself has none.")
            # The whole weeks of the brand's performance data (the weeks it reviews) whose report is not loaded yet,
            # none of them chosen for the user: catching up, a brand uploads its oldest week first as often as its
            # newest, and a guessed week (even the one week missing) filed a restated week's sales under another
            # silently. With no week missing, the dates are asked for, not filled in with a week that holds a report
            # already, which one click then replaced.
            as_of = queries.data_as_of()
            weeks = queries.weeks_to_offer(as_of or date.today() - timedelta(days=1))
            labels = {range_words(*week): week for week in weeks}
            # A month's report, the other download a month's close takes: the last full month, while no report
            # shares its days.
            month = queries.month_to_offer(as_of or date.today() - timedelta(days=1))
            if month is not None:
                labels[f"{month[0]:%B %Y}, the whole month"] = month
            if len(labels) > 1:
                st.caption(
                    "The latest weeks of your data without a Business Report yet"
                    + (", and the last full month" if month is not None else "")
                    + ": choose the one this file covers."
                )
            elif not weeks:
                st.caption(
                    # A brand of four weeks' data was told its last 26 weeks held a report each; a brand of reports
                    # of 30 days, that weeks which only shared days with one held a report.
                    f"Every whole week of your data, up to the last {WEEKS_LOOKED_BACK}, shares days with a Business "
                    "Report already loaded: loading this file for one of them replaces that report's figures with this "
                    "file's, or stops to ask where their days overlap."
                )
            choice = st.radio(
                "Period",
                [*labels, OTHER_DATES],
                index=None if labels else 0,  # never a guess: a period chosen for the person filed a report wrongly
                key=f"data_period_week_{token}",
                label_visibility="collapsed",
            )
        period = labels.get(choice) if choice else None
        if choice == OTHER_DATES:
            start_column, end_column = st.columns(2)
            start = start_column.date_input("First day", value=None, key=f"data_period_start_{token}")
            end = end_column.date_input("Last day", value=None, key=f"data_period_end_{token}")
            period = (start, end) if start and end else None
            # A summary's overlaps with stored days are the load's to find, as for any performance file.
            filed = (
                queries.reports_filed_under_period(start, end) if start and end and start <= end and not summed else []
            )
            if start and end and filed:
                # A week's report given another week's dates replaced that week's figures, row for row, unasked.
                holders = " and ".join(f"{notices.md(n)} (load {i})" for i, n in filed)
                st.warning(
                    f"{range_words(start, end)} already holds {holders}: loading {notices.md(name)} for these dates "
                    "replaces its figures with this file's. If this file covers another week, give that week's dates.",
                    icon=":material/swap_horiz:",
                )
        if st.button("Load with this period", key=f"data_period_load_{token}", type="primary"):
            if period is None and choice == OTHER_DATES:
                st.error("Give the first and last day this file covers.")
            elif period is None:
                st.error("Choose the week this file covers, or Other dates to give its first and last day.")
            else:
                into_demo = bool(st.session_state.get("data_into_demo"))
                _start_held(path, name, PERIOD_KEY, token, into_demo, **{**_held_how(undated), "period": period})
        _discard_button(st.container(), waiting_for_period, token, path, f"data_period_discard_{token}")

# --- Loads stopped because their rows overlap stored ones --------------------------------------------------------
for token, held, name, path in _asked(
    OVERLAP_KEY, "data_overlap", lambda name: f"**{name} would count figures already loaded a second time**"
):
    replace_column, keep_column, discard_column = st.columns(3)
    choice = None
    if replace_column.button(
        "Replace the overlapping rows",
        key=f"data_overlap_replace_{token}",
        type="primary",
    ):
        choice = "replace"
    # Named for what it does to the totals: kept, the overlapping sales count twice, and nothing on the pages says so.
    keep_label = str(held.get("keep_label") or "Keep both")
    if keep_column.button(keep_label, key=f"data_overlap_keep_{token}", help="Both files' rows stay and count."):
        choice = "keep_both"
    _discard_button(discard_column, st.session_state[OVERLAP_KEY], token, path, f"data_overlap_discard_{token}")
    # Said beside the buttons, not on hover: replacing rows of other campaigns moves their spend out of them.
    st.caption(f"**Replace:** {notices.md(str(held.get('replace_help') or ''))}")
    if choice:
        how = {**_held_how(held), "on_overlap": choice}
        _start_held(path, name, OVERLAP_KEY, token, bool(held["into_demo"]), **how)

# --- Loads stopped because the file names none of the brand's products or creators -------------------------------
theirs = possessive(session.current_workspace().name)
for token, held, name, path in _asked(
    UNFAMILIAR_KEY, "data_unfamiliar", lambda name: f"**Is {name} {notices.md(theirs)} file?**"
):
    chosen = held.get("period")
    if isinstance(chosen, tuple):  # given in the period question before this one: kept for its load, and said
        st.markdown(f"Its period, as you chose it: **{range_words(*chosen)}**.")
    st.caption(
        notices.md(
            f"If it is another brand's file, discard it and upload it in that brand's workspace. A file of a "
            f"product just launched, or of creators new to the brand, can be {theirs} all the same: then load it."
        )
    )
    load_column, discard_column = st.columns(2)
    if load_column.button(f"It is {theirs}: load it", key=f"data_unfamiliar_load_{token}", type="primary"):
        how = {**_held_how(held), "on_unfamiliar": "confirmed"}
        _start_held(path, name, UNFAMILIAR_KEY, token, bool(held["into_demo"]), **how)
    _discard_button(discard_column, st.session_state[UNFAMILIAR_KEY], token, path, f"data_unfamiliar_discard_{token}")


# --- Files loaded before whose rows a later load has given other figures -------------------------------------------
for token, held, name, path in _asked(AGAIN_KEY, "data_again", lambda name: f"**Put back the figures of {name}?**"):
    older = bool(held.get("older"))  # the later loads run further: discarding is the likely answer, and comes first
    again_column, discard_column = st.columns(2)
    if again_column.button(
        "Put its figures back anyway" if older else "Put its figures back",
        key=f"data_again_load_{token}",
        type="secondary" if older else "primary",
    ):
        _start_held(path, name, AGAIN_KEY, token, bool(held["into_demo"]), **{**_held_how(held), "again": True})
    _discard_button(
        discard_column, st.session_state[AGAIN_KEY], token, path, f"data_again_discard_{token}", primary=older
    )


# --- Files that would put back figures a download running to later days restated ----------------------------------
for token, held, name, path in _asked(OLDER_KEY, "data_older", lambda name: f"**Is {name} the older download?**"):
    # Rows the later download no longer holds (days gone from Amazon's window) are history worth keeping: adding
    # only them is then the likely answer. With none, discarding is.
    others = int(held.get("others") or 0)
    columns = st.columns(3 if others else 2)
    answer = None
    if others and columns[0].button(
        f"Keep newer figures, load {plural(others, 'row')}",
        key=f"data_older_keep_{token}",
        type="primary",
        help="Only the rows the later download does not hold are loaded; its figures stay.",
    ):
        answer = "keep_newer"
    if columns[-2].button("Load it whole: put its older figures back", key=f"data_older_load_{token}"):
        answer = "load"
    _discard_button(
        columns[-1], st.session_state[OLDER_KEY], token, path, f"data_older_discard_{token}", primary=not others
    )
    if answer:
        _start_held(path, name, OLDER_KEY, token, bool(held["into_demo"]), **{**_held_how(held), "on_older": answer})


# --- Newer downloads leaving out stored sales of their days -------------------------------------------------------
for token, held, name, path in _asked(
    MISSING_KEY, "data_missing", lambda name: f"**Drop the sales {name} no longer holds?**"
):
    drop_column, keep_column, discard_column = st.columns(3)
    answer = None
    if drop_column.button(
        "Drop them: this download stands",
        key=f"data_missing_drop_{token}",
        type="primary",
        help="They move to the history: undoing this load brings them back.",
    ):
        answer = "drop"
    if keep_column.button(
        "Keep them: the file is part of the program",
        key=f"data_missing_keep_{token}",
    ):
        answer = "kept"
    _discard_button(discard_column, st.session_state[MISSING_KEY], token, path, f"data_missing_discard_{token}")
    if answer:
        how = {**_held_how(held), "on_missing": answer}
        _start_held(path, name, MISSING_KEY, token, bool(held["into_demo"]), **how)


def _confirmed(question: str, yes_label: str, key: str, widths: list[int]) -> bool:
    """A warning asking `question` with a yes and a Cancel button (keys `<key>_confirm`, `<key>_cancel`): whether
    yes was clicked. Cancel closes the question."""
    st.warning(question, icon=":material/warning:")
    yes, no = st.columns(widths)
    if yes.button(yes_label, key=f"{key}_confirm", type="primary"):
        return True
    if no.button("Cancel", key=f"{key}_cancel"):
        st.session_state.pop(session.brand_key(CONFIRM_KEY), None)
        st.rerun()
    return False


# --- What is loaded ------------------------------------------------------------------------------------------
# Below the upload, which is what the page is for: on a phone its ten cards stack one to a row.
counts = queries.row_counts()
st.markdown("**Rows stored, by kind of file**")
for column, kind_name in zip(layout.grid(len(KINDS), "stored"), KINDS, strict=True):
    # The unit is said once above: five cards to a row leave room for "Repeat purchase" and "39,686", no more.
    column.metric(
        uploads.KIND_LABELS[kind_name],
        f"{counts[kind_name]:,}",
        help=f"{KINDS[kind_name].description} From {uploads.KIND_SOURCES[kind_name]}.",
        border=True,
    )


# --- Load history and undo -------------------------------------------------------------------------------------
st.subheader("Loads")
loads = queries.loads()
history = queries.load_history()
demo = session.current_workspace().is_demo
if loads.empty:
    st.info(
        "Nothing is loaded. Upload your files above, or start over from the sample data below to explore the app."
        if demo
        # A brand's workspace holds its own files only: the sample data lives in the demo brand.
        else "Nothing is loaded. Upload your files above; to explore the app first, choose the demo brand under "
        "**Brand** in the sidebar.",
        icon=":material/upload_file:",
    )
if not history.empty:
    history = history.assign(status=load_log.load_status(history), kind=uploads.kind_labels(history["kind"]))
    tables.show_table(
        history.sort_values("id", ascending=False),
        key="data_loads_table",
        file_name="creator_lift_loads.csv",
        # Every load whatever the sidebar's period: named for the day it was downloaded.
        covering=f"as_of_{date.today().isoformat()}",
        columns=LOAD_COLUMNS,
        extra={
            "id": st.column_config.NumberColumn("Load", format="%d"),
            "loaded_at": st.column_config.DatetimeColumn("Loaded at (UTC)", format="YYYY-MM-DD HH:mm"),
            "loaded_by": st.column_config.TextColumn("Loaded by"),
            "status": st.column_config.TextColumn("Status", help="Undone loads stay in the log, marked."),
            "cautions": st.column_config.TextColumn(
                "To check", help="What the load put back or kept that its question warned of, and how to undo it."
            ),
            "file": st.column_config.TextColumn("File"),
            "kind": st.column_config.TextColumn("Kind"),
            "rows_added": st.column_config.NumberColumn("Rows added", format="localized"),
            "rows_updated": st.column_config.NumberColumn("Rows updated", format="localized"),
            "rows_unchanged": st.column_config.NumberColumn("Rows unchanged", format="localized"),
            "notes": st.column_config.TextColumn("Notes"),
        },
    )
asked = st.session_state.get(session.brand_key(CONFIRM_KEY))
if isinstance(asked, tuple) and asked[0] == "undo" and (loads.empty or asked[1] not in set(loads["id"])):
    # Undone meanwhile in another tab or by someone else: the picker has dropped it, and the question with it.
    st.session_state.pop(session.brand_key(CONFIRM_KEY), None)
    with session.cursor() as con:
        try:
            undo_preview(con, int(asked[1]))
        except UnknownLoadError as gone:
            st.info(f"{notices.md(str(gone))} Nothing more was undone.", icon=":material/history:")
if not loads.empty:
    choices = uploads.load_choices(loads)
    pick_column, button_column = st.columns([3, 1], vertical_alignment="bottom")
    undo_id = pick_column.selectbox(
        "Undo a load",
        list(choices),
        index=None,
        format_func=lambda load_id: choices[load_id],
        placeholder="Choose a load to undo",
        # A new key once a load is undone: the browser would keep showing the undone pick under the same one.
        key=session.brand_key(f"data_undo_pick_{st.session_state.get(UNDO_ROUND_KEY, 0)}"),
        help="The data goes back to exactly what it would be had that file never been loaded.",
    )
    if button_column.button("Undo this load…", key="data_undo", disabled=undo_id is None, icon=":material/undo:"):
        st.session_state[session.brand_key(CONFIRM_KEY)] = ("undo", undo_id)
    if undo_id is not None and st.session_state.get(session.brand_key(CONFIRM_KEY)) == ("undo", undo_id):
        with session.cursor() as con:
            preview = undo_preview(con, int(undo_id))
        question = (
            f"Undo {notices.md(choices[undo_id])}? {notices.md(load_log.undo_confirmation(preview))} "
            "The load stays in the log, marked undone."
        )
        if _confirmed(question, "Yes, undo it", "data_undo", [1, 5]):
            try:
                with session.cursor() as con:
                    undone = changes.unload(con, int(undo_id), by=session.author())
            except UnknownLoadError as gone:  # undone elsewhere between the question and the answer
                _finish([("error", f"{gone} Nothing more was undone.")])
            st.session_state[UNDO_ROUND_KEY] = st.session_state.get(UNDO_ROUND_KEY, 0) + 1
            kind = uploads.KIND_LABELS.get(str(undone["kind"]), str(undone["kind"]))
            _finish([("ok", f"Load #{undone['id']} ({undone['file']}, {kind}) undone.")])

# --- Templates -------------------------------------------------------------------------------------------------
st.subheader("Templates")
st.caption(
    "CSV files with our column names (and an example row where the columns need one), for data you assemble "
    "yourself. Files as Amazon and the trackers export them load as they are: their column names are recognised."
)
for column, (kind, spec) in zip(layout.grid(len(KINDS), "templates"), KINDS.items(), strict=True):
    with column:
        st.download_button(
            uploads.KIND_LABELS[kind],  # under "Templates": the word would cut the longer names short
            uploads.csv_template(kind),
            file_name=uploads.template_file_name(kind),
            mime="text/csv",
            key=f"data_template_{kind}",
            icon=":material/download:",
            on_click="ignore",
            help=f"Where it comes from: {uploads.KIND_SOURCES[kind]}.",
        )
        st.caption(f"Needs {', '.join(spec.required)}.")

# --- Brand search terms ----------------------------------------------------------------------------------------
st.subheader("Brand search terms")
st.caption(
    "Search queries containing one of these (whole words, any case) count as branded search; the brand's click "
    "share is measured over the other queries. From your Search Query Performance files."
)
with session.cursor() as con:
    terms, suggested_terms = brand_terms(con), suggested_brand_terms(con)
terms_key, filled_from_key = session.brand_key("data_brand_terms"), session.brand_key("data_brand_terms_from")
if st.session_state.get(filled_from_key) != terms:
    # The box keeps what it held once drawn: terms set since (an upload naming its brand, another tab) replace it,
    # else it showed empty beside them and saving it cleared them.
    st.session_state[terms_key] = ", ".join(terms)
    st.session_state[filled_from_key] = terms
with st.form(key="data_brand_terms_form", border=False):
    typed = st.text_input(
        "Terms, separated by commas",
        # The likeliest word alone: the next ones are often the category's ("chews"), which would count as branded.
        placeholder="e.g. " + (suggested_terms[0] if suggested_terms else "Acme"),
        key=terms_key,
        help="Your brand's name and its spellings; suggestions come from your product titles and top queries.",
    )
    if st.form_submit_button("Save terms", icon=":material/save:"):
        with session.cursor() as con:
            saved_terms = set_brand_terms(con, typed.split(","))
        st.session_state.pop(filled_from_key, None)  # the box shows the terms as stored next run
        _finish([("ok", f"Brand search terms: {', '.join(saved_terms) or 'none'}.")])

# --- Currency --------------------------------------------------------------------------------------------------
st.subheader("Currency")
with session.cursor() as con:
    brand_money = brand_currency(con)
if brand_money.shown:
    st.caption(
        f"Amounts are in {brand_money.describe()}. A file in another currency is refused: it belongs in a brand "
        "workspace of its own."
    )
else:
    st.caption(
        "The currency of the brand's amounts: Creator Connections writes amounts as bare numbers, in the "
        "marketplace's currency. A file whose amounts show a sign or code ($4,373.25 in a Business Report, €12.50, "
        "GBP 12.50) sets it by itself. Choosing one names the amounts; it converts nothing. "
        f"Now: {brand_money.describe()}."
    )
    with st.form(key="data_currency_form", border=False):
        currency_choice = st.selectbox(
            "Currency of the brand's amounts",
            list(CURRENCY_NAMES),
            index=list(CURRENCY_NAMES).index(brand_money.currency) if brand_money.currency in CURRENCY_NAMES else 0,
            format_func=currency_label,
            key=session.brand_key("data_currency"),
            help="Every amount the app writes for this brand takes it: cards, tables, charts, Excel files, the review.",
        )
        if st.form_submit_button("Save currency", icon=":material/save:"):
            try:
                # The review's findings are worked out again: their sentences write amounts.
                with st.spinner("Writing the brand's figures in the new currency…"), session.cursor() as con:
                    saved = changes.set_brand_currency(con, str(currency_choice))
            except CurrencyError as error:
                _finish([("error", str(error))])
            else:
                st.session_state.pop(session.brand_key("data_currency"), None)  # the box shows it as stored next run
                _finish([("ok", f"Amounts are now in {saved.describe()}: the same numbers, not converted.")])

# --- Start over, remove the brand, and backup ------------------------------------------------------------------
# Only the demo brand starts over from the sample data: a brand's own workspace never takes it in. A brand's own
# workspace can be removed instead; the default store, demo or a backup opened in its place, cannot.
shown = session.current_workspace()
reset_column, backup_column = st.columns(2) if demo or not shown.is_default else (st.container(), st.container())
with reset_column:
    brands.remove_brand_section(shown)
if demo:
    with reset_column:
        st.subheader("Start over")
        st.caption("Undo every load, then load the bundled sample data again. Your saved column matches are kept.")
        if st.button("Start over from the sample data…", key="data_reset", icon=":material/restart_alt:"):
            st.session_state[session.brand_key(CONFIRM_KEY)] = ("reset", None)
        if st.session_state.get(session.brand_key(CONFIRM_KEY)) == ("reset", None):
            question = (
                f"Undo {'the one load' if len(loads) == 1 else f'all {len(loads):,} loads'} and replace your data with "
                "the sample data?"
            )
            if _confirmed(question, "Yes, start over", "data_reset", [2, 3]):
                with st.spinner("Starting over from the sample data…"), session.cursor() as con:
                    loaded = changes.start_over_from_sample(con, by=session.author())
                _finish(
                    [("ok", "Every load undone; the sample data is loaded.")]
                    + [("ok", r.summary(separators=True, kinds=uploads.KIND_LABELS)) for r in loaded]
                    if loaded
                    else [("error", "Every load undone, but the sample files are missing from this installation.")]
                )
with backup_column:
    st.subheader("Backup")
    st.caption(
        "A consistent copy of the whole database (every table, the load log and your column matches), taken when "
        "you click. To restore, point CREATORLIFT_DB (or --db) at the downloaded file."
    )
    st.download_button(
        "Backup",
        partial(_backup_bytes, shown),
        # Named for the brand: an agency keeps a dozen brands' backups in one folder.
        file_name=f"{slug_of(shown.name)}-backup-{date.today():%Y-%m-%d}.duckdb",
        mime="application/octet-stream",
        key="data_backup",
        icon=":material/backup:",
        on_click="ignore",
    )
    with session.cursor() as con:
        kept, missing = kept_bytes(con), missing_kept_files(con)
    if missing:
        st.warning(
            f"{len(missing)} loaded file(s) have no kept copy beside the database "
            f"({notices.md(', '.join(missing[:5]))}{', …' if len(missing) > 5 else ''}): a full backup cannot rebuild "
            "their rows. Upload them again to keep them.",
            icon=":material/warning:",
        )
    if kept <= FULL_BACKUP_LIMIT_BYTES:
        st.download_button(
            "Full backup with your files (.zip)",
            partial(_full_backup_bytes, shown),
            file_name=f"{slug_of(shown.name)}-full-backup-{date.today():%Y-%m-%d}.zip",
            mime="application/zip",
            key="data_full_backup",
            icon=":material/folder_zip:",
            on_click="ignore",
            help=f"The database and every file you uploaded ({kept / 2**20:,.1f} MB), from which every table can be "
            "rebuilt. Unzip it and point CREATORLIFT_DB at creatorlift.duckdb.",
        )
    else:
        st.caption(
            f"Your uploaded files take {kept / 2**30:,.1f} GB, too much for a browser download: a full backup with "
            "them is `python -m analytics backup PATH --with-files` on the server."
        )
