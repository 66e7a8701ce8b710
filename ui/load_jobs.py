"""Uploads that load beside the page: the person uploading sees each file's step and can cancel, and every page
stays usable while the files load.

A job lives in the session's state. The Data page starts it and watches it (`watch`); a click anywhere ends that
run of the page, not the job, and the next run of the Data page watches it again. The job's thread never touches
Streamlit: it loads through a cursor of its own, and what the page must remember afterwards (a file held for a
column mapping, a period or an overlap choice) comes back in its outcomes, which the page applies when it ends.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from analytics.ingest.progress import LoadCancelledError, LoadProgress

JOB_KEY = "data_load_job"
POLL_SECONDS = 0.25
log = logging.getLogger(__name__)


# The outcomes of a file that loaded: "check" is one whose figures look wrong in a way only the person can tell (a
# Business Report given another week's dates), said apart from the others.
LOADED = ("ok", "check")


@dataclass
class Outcome:
    """What became of one file: "ok", "check", "same" (loaded before: nothing added), "map", "overlap", "unfamiliar",
    "error" or "cancelled", in a sentence, and what the page keeps for the person's next step: (session key, token,
    what to keep)."""

    outcome: str
    sentence: str
    hold: tuple[str, str, dict[str, Any]] | None = None


class LoadJob:
    """Files loaded one after another on a thread of their own; `cancel` stops the file loading now (nothing of it
    is kept) and the files after it.

    `after_loads` runs once after the last file when any file loaded (the review's findings, worked out once for the
    data the whole upload leaves rather than after each file), unless the upload was cancelled: what it keeps is
    only ahead of the pages, which work out what it did not.
    """

    def __init__(
        self,
        names: list[str],
        load_one: Callable[[int, LoadProgress], Outcome],
        after_loads: Callable[[LoadProgress], None] | None = None,
        into: tuple[str, str] = ("", ""),
        let_go: Callable[[int], None] | None = None,
        answers: bool = False,
    ) -> None:
        self.names = names
        # Files an earlier upload held for a question, loaded once it is answered (`after_answers`).
        self.answers = answers
        # Called for each file a cancel skips before its load began: what was kept for its load goes.
        self._let_go = let_go
        # The store the files load into and its brand's name, said while they load: the picker may move on.
        self.store, self.brand = into
        self.outcomes: list[Outcome] = []
        self.progress = LoadProgress()
        self._load_one = load_one
        self._after_loads = after_loads
        self._lock = threading.Lock()
        self._cancelled = False
        self._saving = False
        self._thread = threading.Thread(target=self._run, name="creatorlift-load", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            # Too late for the file being saved: it commits, and the status line says so.
            self._saving = not self.progress.cancel()

    def _next(self) -> LoadProgress | None:
        """The next file's progress, or None once cancelled: one lock, so a cancel never falls between two files."""
        with self._lock:
            if self._cancelled:
                return None
            self.progress = LoadProgress()
            return self.progress

    def _run(self) -> None:
        for index, name in enumerate(self.names):
            progress = self._next()
            if progress is None:
                if self._let_go is not None:
                    self._let_go(index)
                self.outcomes.append(Outcome("cancelled", f"{name}: not loaded; the upload was cancelled."))
                continue
            try:
                outcome = self._load_one(index, progress)
            except LoadCancelledError:
                outcome = cancelled(name)
            except Exception:
                outcome = failed(name)
            self.outcomes.append(outcome)
        if self._after_loads is None or not any(outcome.outcome in LOADED for outcome in self.outcomes):
            return
        progress = self._next()
        if progress is None:
            return
        try:
            self._after_loads(progress)
        except LoadCancelledError:
            pass  # cancelled before it began: the pages work it out
        except Exception:  # the files are in; only what comes after them failed
            log.exception("the work after an upload's loads failed")

    def done(self) -> float:
        """How far along the whole upload is, from 0 to 1."""
        finished = len(self.outcomes)
        current = self.progress.done() if finished < len(self.names) else 0.0
        return min((finished + current) / max(len(self.names), 1), 1.0)

    def describe(self, here: str = "") -> str:
        """ "Loading week.csv (2 of 3): reading every row (4 s)"; "Loading week.csv into Acme (2 of 3): …" on a page
        showing another brand's store (`here`) than the one the files load into."""
        if self._cancelled:
            if len(self.outcomes) == len(self.names):
                return "Cancelling: the files are done; the weekly review being worked out finishes first…"
            if self._saving:
                return "Cancelling: the file being saved now finishes saving; the files after it are not loaded…"
            return "Cancelling: the file loading now is being rolled back…"
        if len(self.outcomes) == len(self.names):
            return f"{len(self.names)} of {len(self.names)} files done: {self.progress.describe()}"
        index = min(len(self.outcomes), len(self.names) - 1)
        count = f" ({index + 1} of {len(self.names)})" if len(self.names) > 1 else ""
        into = f" into {self.brand}" if self.store and self.store != here else ""
        return f"Loading {self.names[index]}{into}{count}: {self.progress.describe()}"


def cancelled(name: str, hold: tuple[str, str, dict[str, Any]] | None = None) -> Outcome:
    """A load the person cancelled before it was saved."""
    return Outcome("cancelled", f"{name}: cancelled before it was saved; nothing from it was loaded.", hold)


def failed(name: str, hold: tuple[str, str, dict[str, Any]] | None = None) -> Outcome:
    """A load that failed for a reason no refusal names: never a traceback nor engine text for the person
    uploading; the log keeps the detail under a reference they can quote."""
    reference = uuid.uuid4().hex[:8]
    log.exception("loading %s failed (reference %s)", name, reference)
    return Outcome(
        "error", f"{name}: could not be loaded (reference {reference} in the log). Nothing was changed.", hold
    )


def release(upload: Any) -> None:
    """Let go of Streamlit's in-memory copy of an upload once it is on disk: Streamlit keeps every uploaded file
    until its session ends, whatever becomes of the widget, and the server's upload ceiling counts them
    (`ui.server`). Nothing to do where no runtime serves the page (tests run the script alone)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    file_id = getattr(upload, "file_id", None)
    if context is None or file_id is None or not Runtime.exists():
        return
    remove = getattr(Runtime.instance().uploaded_file_mgr, "remove_file", None)  # the in-memory manager has it
    if remove is not None:
        remove(context.session_id, file_id)


def current() -> LoadJob | None:
    job = st.session_state.get(JOB_KEY)
    return job if isinstance(job, LoadJob) else None


def start(
    names: list[str],
    load_one: Callable[[int, LoadProgress], Outcome],
    after_loads: Callable[[LoadProgress], None] | None = None,
    into: tuple[str, str] = ("", ""),
    let_go: Callable[[int], None] | None = None,
    answers: bool = False,
) -> LoadJob:
    job = LoadJob(names, load_one, after_loads, into, let_go, answers)
    st.session_state[JOB_KEY] = job
    job.start()
    return job


def after_answers(
    earlier: Sequence[tuple[str, str]], answered: Sequence[tuple[str, str]], names: Sequence[str]
) -> list[tuple[str, str]]:
    """An upload's outcomes once the questions it held files for (`names`) are answered: what it said of its other
    files stays (a refused file's red, another's green), and each answered file's outcome takes the place of its
    question. Every outcome's sentence begins with its file's name, then a colon or a space ("older.csv would put
    back older figures…")."""
    asked = tuple(f"{name}{after}" for name in names for after in (":", " ", ","))
    return [said for said in earlier if not said[1].startswith(asked)] + list(answered)


def watch(job: LoadJob, label: Callable[[str], str], here: str = "") -> list[Outcome]:
    """Show the job's progress, step and elapsed time, and a Cancel button, until it ends; then its outcomes, with
    what they hold kept in the session. `label` makes the progress line safe to show (file names are the user's
    text); `here` is the store of the brand the page shows (the job names its brand when they differ)."""
    shown = (label(job.describe(here)), round(job.done(), 2))
    bar = st.progress(shown[1], text=shown[0])
    st.button(
        "Cancel",
        key="data_load_cancel",
        icon=":material/cancel:",
        on_click=job.cancel,
        disabled=job.cancelled,
        help="Stops the file loading now before it is saved (nothing of it is kept) and the files after it. "
        "Files already loaded stay; undo them below.",
    )
    while job.running:
        time.sleep(POLL_SECONDS)
        now = (label(job.describe(here)), round(job.done(), 2))
        if now != shown:  # redrawn only when it changes (the seconds count): a click on Cancel never misses
            bar.progress(now[1], text=now[0])
            shown = now
    st.session_state.pop(JOB_KEY, None)
    for outcome in job.outcomes:
        if outcome.hold is not None:
            key, token, kept = outcome.hold
            st.session_state.setdefault(key, {})[token] = kept
    return job.outcomes
