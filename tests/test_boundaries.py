"""The engine stays a plain library: nothing under analytics/ imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_analytics_never_imports_streamlit() -> None:
    offenders = [p.name for p in ANALYTICS.glob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_pages_do_not_run_sql() -> None:
    """Pages arrange widgets and call the engine; a query string in a page means logic in the wrong place."""
    pages = Path(__file__).resolve().parent.parent / "pages"
    offenders = [p.name for p in pages.glob("*.py") if ".execute(" in p.read_text() or "duckdb.sql(" in p.read_text()]
    assert offenders == []
