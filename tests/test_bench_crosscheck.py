"""The benchmark's cross-checks at small scale: the engine, the same metrics written by hand in SQL
(bench/handwritten.py) and a plain pandas dashboard (bench/pandas_baseline.py) give the same numbers.

The benchmark runs these comparisons at scale 134; here they run on freshly generated sample data (scale 1), loaded
the way the benchmark loads it, so a change to a metric that one implementation misses fails the suite.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pandas as pd
import pytest

from analytics.review.insights import RULES
from analytics.store.changes import load_file
from analytics.store.database import open_store
from bench import pandas_baseline, queries
from bench.run import data_files
from tools.sample_data import write_sample

COMPARISONS = {comparison.name: comparison for comparison in queries.comparisons()}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[queries.Context]:
    """The benchmark's files (the four it loads, whatever else the sample writes) in a fresh store, with the
    pandas baseline's tables read from it."""
    folder = tmp_path_factory.mktemp("crosscheck")
    write_sample(folder / "data", scale=1)
    con = open_store(folder / "store.duckdb")
    try:
        for path in data_files(folder / "data"):
            load_file(con, path, path.name)
        context = queries.context(con)
        yield dataclasses.replace(context, tables=pandas_baseline.read_tables(con))
    finally:
        con.close()


def _size(answer: object) -> int:
    return len(answer) if isinstance(answer, pd.DataFrame | list | dict) else 1


@pytest.mark.parametrize("name", list(COMPARISONS))
def test_engine_hand_written_sql_and_pandas_agree(ctx: queries.Context, name: str) -> None:
    comparison = COMPARISONS[name]
    engine = comparison.engine(ctx)
    assert _size(engine) > 0, f"{name}: the engine found nothing to compare on the sample"
    assert queries.disagreements(ctx, comparison, engine) == {"handwritten": [], "pandas": []}


def test_every_comparison_of_the_benchmark_is_checked() -> None:
    """The benchmark's list is the test's list: a comparison added there is checked here too."""
    assert len(COMPARISONS) == len(queries.comparisons()) >= 12


def test_the_review_rules_without_a_hand_written_version_are_the_known_ones() -> None:
    """A new rule of the weekly review is either given a hand-written SQL and a pandas version in bench/ (and added
    to queries.CHECKED_RULES) or listed here on purpose."""
    assert set(queries.UNCHECKED_RULES) == {
        "conversion_drop",
        "commission_drift_detail",
        "stale_bonus_rate",
        "creator_concentration",
        "no_new_creators",
    }
    assert set(queries.CHECKED_RULES) <= set(RULES)
