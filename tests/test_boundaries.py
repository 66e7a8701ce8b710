"""The floors of the code, each importing only from the floors below it, held as data and read from the imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module belongs to the floor of the longest prefix that names it; it may import its own floor and
# those below. The store's connection, tables and migrations sit just above the contract; `store.changes`, the one
# place a write is followed by the review's findings, sits above the review.
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contract", ("analytics", "analytics.sql", "analytics.contract")),
    ("store", ("analytics.store",)),
    ("ingest", ("analytics.ingest",)),
    ("metrics", ("analytics.metrics",)),
    ("review", ("analytics.review",)),
    ("present", ("analytics.present",)),
    ("changes", ("analytics.store.changes",)),
    ("command line", ("analytics.__main__", "analytics.cli", "tools")),
    ("ui", ("ui",)),
    ("pages", ("pages", "app")),
)


def floor_of(module: str) -> int | None:
    """The index of the floor `module` belongs to, by its longest matching prefix; None for a third-party module."""
    best: tuple[int, int] | None = None  # (prefix length, floor)
    for index, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return best[1] if best else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, by its full dotted name (`from a import b` counts a.b when that is a module)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def source_files() -> list[Path]:
    folders = ("analytics", "ui", "pages", "tools")
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))] + [ROOT / "app.py"]


def upward_imports(files: list[Path]) -> list[str]:
    offenders = []
    for path in files:
        own = floor_of(module_name(path))
        assert own is not None, f"{path} belongs to no floor"
        for imported in sorted(imports(path)):
            target = floor_of(imported)
            if target is not None and target > own:
                offenders.append(f"{module_name(path)} ({FLOORS[own][0]}) imports {imported} ({FLOORS[target][0]})")
    return offenders


def test_no_floor_imports_a_floor_above_it() -> None:
    assert upward_imports(source_files()) == []


def test_the_layer_check_catches_a_lower_floor_importing_a_higher_one(tmp_path: Path) -> None:
    """The check itself can fail: a store module importing the review is caught."""
    global ROOT
    saved = ROOT
    try:
        ROOT = tmp_path
        (tmp_path / "analytics" / "store").mkdir(parents=True)
        bad = tmp_path / "analytics" / "store" / "bad.py"
        bad.write_text("from analytics.review.insights import keep_findings\nimport pandas\n")
        assert upward_imports([bad]) == [
            "analytics.store.bad (store) imports analytics.review.insights (review)",
            "analytics.store.bad (store) imports analytics.review.insights.keep_findings (review)",
        ]
    finally:
        ROOT = saved


@pytest.mark.parametrize("module", ["analytics.store.database", "analytics.store.migrations", "analytics.store.tables"])
def test_the_store_imports_no_rule_or_metric(module: str) -> None:
    path = ROOT / (module.replace(".", "/") + ".py")
    assert not [m for m in imports(path) if m.startswith(("analytics.metrics", "analytics.review"))]


def test_the_engine_never_imports_streamlit() -> None:
    offenders = [
        module_name(p)
        for p in (ROOT / "analytics").rglob("*.py")
        if any(m == "streamlit" or m.startswith("streamlit.") for m in imports(p))
    ]
    assert offenders == []


def test_pages_do_not_run_sql() -> None:
    """Pages arrange widgets and call the engine; a query in a page means logic in the wrong place."""
    offenders = [
        p.name
        for p in (ROOT / "pages").glob("*.py")
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.Attribute) and node.attr in ("execute", "sql")
    ]
    assert offenders == []
