"""The brand's search terms: the setting that tells branded search queries ("acme protein") from the rest."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from analytics.store.database import WRITE_LOCK, in_transaction, record_data_change


def brand_terms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stored terms, sorted; empty when none are set (then no query counts as branded)."""
    return [row[0] for row in con.execute("select term from brand_terms order by lower(term), term").fetchall()]


def clean_terms(terms: Iterable[str]) -> list[str]:
    """Terms trimmed, inner runs of spaces made one, blanks and case-insensitive repeats dropped, in order."""
    kept: dict[str, str] = {}
    for term in terms:
        text = " ".join(str(term).split())
        if text and text.lower() not in kept:
            kept[text.lower()] = text
    return list(kept.values())


def set_brand_terms(con: duckdb.DuckDBPyConnection, terms: Iterable[str]) -> list[str]:
    """Replace the stored terms with `terms` (cleaned) and return them. The branded-search metrics change with
    them, so the data version grows as with a load."""
    cleaned = clean_terms(terms)

    def change() -> None:
        write_terms(con, cleaned)
        record_data_change(con, None)

    with WRITE_LOCK:
        in_transaction(con, change)
    return cleaned


def write_terms(con: duckdb.DuckDBPyConnection, terms: Iterable[str]) -> list[str]:
    """`set_brand_terms` inside a change already under way (a load's transaction, which records the change)."""
    cleaned = clean_terms(terms)
    con.execute("delete from brand_terms")
    for term in cleaned:
        con.execute("insert into brand_terms (term) values ($t)", {"t": term})
    return cleaned
