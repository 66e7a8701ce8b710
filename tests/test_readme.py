"""The README stays true: its metrics table is the registry's, its stories are the sample's, and its test
command is what CI runs."""

from __future__ import annotations

from pathlib import Path

from analytics.metrics.grouped import METRICS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def section(name: str) -> str:
    return README.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]


def test_metrics_table_matches_the_registry() -> None:
    rows = [f"| `{m.name}` | {m.label} | {m.format} | {m.description} |" for m in METRICS]
    expected = "\n| name | label | format | definition |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
    assert section("metrics") == expected


def test_every_sample_story_is_listed() -> None:
    from tools.sample_data import STORIES

    stories = section("stories")
    for text in STORIES.values():
        assert text in stories


def test_ci_runs_the_readme_test_command() -> None:
    assert "\nbash tests/run.sh\n" in README
    assert "bash tests/run.sh" in (ROOT / ".ci" / "run").read_text()
