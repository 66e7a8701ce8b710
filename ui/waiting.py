"""Uploads waiting on a question on the Data page (which columns, which period, what to do with an overlap, whether it
is the brand's file, whether to put back the figures of a file loaded before, whether a file is the older download,
whether to drop stored sales a newer download no longer holds):
the questions, and the notice the other pages give of them."""

from __future__ import annotations

import streamlit as st

from analytics.ingest import uploads
from analytics.store.workspaces import Workspace
from analytics.words import plural
from ui import session
from ui.literal import md
from ui.navigation import PAGE_FILES

# The session keys of each question's waiting files (token -> what the file's load needs once answered), and the
# question each puts, as "for you to …" ends.
PENDING_KEY = "data_pending"  # rejected files waiting for a column mapping
PERIOD_KEY = "data_period"  # files stating no period, waiting for the user to give it
OVERLAP_KEY = "data_overlaps"  # loads an overlap stopped
UNFAMILIAR_KEY = "data_unfamiliar"  # files naming none of the brand's products or creators
AGAIN_KEY = "data_again"  # files loaded before whose rows a later load has given other figures
OLDER_KEY = "data_older"  # files that would put back figures a download running to later days restated
MISSING_KEY = "data_missing"  # newer downloads leaving out stored rows of their days
# The last upload's outcomes, shown above the Data page's uploader, and the (store, brand name) it went to.
RESULTS_KEY = "data_results"
RESULTS_BRAND_KEY = "data_results_brand"
QUESTIONS = {
    PENDING_KEY: "match its columns",
    PERIOD_KEY: "say which period it covers",
    OVERLAP_KEY: "choose what to do with its overlap",
    UNFAMILIAR_KEY: "say whether it is this brand's file",
    AGAIN_KEY: "say whether to put its figures back",
    OLDER_KEY: "say whether it is the older download",
    MISSING_KEY: "say whether to drop the sales it no longer holds",
}


def store_of(workspace: Workspace) -> str:
    """A brand's store as the notes of its held uploads name it: its file, one per brand of one installation."""
    return str(workspace.path.resolve())


def show_waiting_files() -> None:
    """Say, on a page of figures, which of this person's uploads to this brand wait on a question on the Data page:
    their rows are in none of the figures until it is answered, and a week's review sent meanwhile would lack them."""
    waiting = uploads.held_uploads(store_of(session.current_workspace()), session.author())
    if not waiting:
        return
    files = "; ".join(
        f"{md(str(held.record.get('name', 'a file')))} (to {QUESTIONS.get(held.key, 'answer its question')})"
        for held in waiting
    )
    are = "waits" if len(waiting) == 1 else "wait"
    st.warning(
        f"{plural(len(waiting), 'uploaded file')} {are} for you on the Data page: {files}. Until then their rows are "
        "in none of these figures.",
        icon=":material/hourglass_top:",
    )
    st.page_link(PAGE_FILES["data"], label="Answer on the Data page", icon=":material/upload_file:")
