"""The floors of the code, each importing only from the floors below it, held as data and read from the imports."""

from __future__ import annotations

import ast
import subprocess
import sys
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


# What the command line's `load` may not import: a load reads, checks and writes rows in DuckDB alone, and importing
# these took longer than loading a small file (2.2 s of the command's start, of which pandas 0.6 s).
HEAVY_FOR_A_LOAD = ("pandas", "plotly", "pyarrow", "streamlit")
LOAD_IN_A_FRESH_PROCESS = """
import sys
from pathlib import Path
import analytics.__main__
from analytics.store import changes, database
con = database.open_store(Path(sys.argv[1]))
result = changes.load_file(con, Path(sys.argv[2]), "perf.csv", refresh=False)
assert result.added == 1, result
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3:]))))
"""


def test_a_load_imports_neither_pandas_nor_plotly(tmp_path: Path) -> None:
    """The command line and a file's load, in a process of their own, leave the heavy libraries unimported; the
    review's findings, worked out after the load, import them."""
    perf = tmp_path / "perf.csv"
    perf.write_text("date,creator,asin,clicks,orders,revenue,commission\n2026-03-01,@ana,B0ABCDEFGH,10,1,20,2\n")
    ran = subprocess.run(
        [sys.executable, "-c", LOAD_IN_A_FRESH_PROCESS, str(tmp_path / "s.duckdb"), str(perf), *HEAVY_FOR_A_LOAD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == ""
