"""Ten people at once on the real server: eight review while two upload, and nothing is lost or broken.

The scenario is tests/team_sessions.py (the benchmark runs it too and reports its figures in bench/RESULTS.md):
no page shows an error, and once the server stops the store holds the sample plus both files, whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, PAGES
from tests.conftest import copy_store
from tests.team_sessions import ROWS_PER_UPLOAD, SESSIONS, UPLOADERS, run_team

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_ten_sessions_review_while_two_upload(sample_db_file: Path, tmp_path: Path) -> None:
    team = run_team(copy_store(sample_db_file, tmp_path))
    print("\nten-session figures:", json.dumps(team.figures()))
    assert team.tally.errors == []
    assert team.tally.page_views == SESSIONS * len(PAGES) + UPLOADERS
    assert team.files_loaded == [f"team_upload_{i}.csv" for i in range(UPLOADERS)]
    assert team.rows_added == UPLOADERS * ROWS_PER_UPLOAD
