"""The running app holds its default store from the moment the server starts, before anyone visits: a command-line
load meanwhile is refused with the app named, and changes nothing."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.browser_support import running_app
from tests.conftest import ROOT, copy_store

pytestmark = pytest.mark.slow


def test_a_command_line_load_against_an_unvisited_app_is_refused_with_the_app_named(
    sample_db_file: Path, tmp_path: Path
) -> None:
    db = copy_store(sample_db_file, tmp_path)
    week = tmp_path / "week.csv"
    week.write_text("date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,maya,B0C1234567,10,1,20.00,2.00\n")
    with running_app(db) as base:  # started and healthy; no page has been opened
        result = subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(db), "load", str(week)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 2, result.stderr
        assert "is open in the running Creator Lift app (process " in result.stderr
        assert "Traceback" not in result.stderr
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=30) as health:
            assert health.status == 200
