"""Product titles from files other than the catalog, kept with the load that brought them.

The Business Report's `Title`, a rank tracker's `Product Title`, an export's `Product Name`: a brand whose catalog
has no titles, or no catalog yet, still sees its products by name. The catalog's own title wins wherever it has one
(`metrics.titles`); among other files, the latest load's.
"""

from __future__ import annotations

import duckdb

from analytics.contract.kinds import Kind
from analytics.sql import ident

TITLE_HISTORY = "product_titles"
# The importer's work-table column the titles of a file are read into (`importer._typed_rows_sql`).
TITLE_COLUMN = "product_title"


def record_titles(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, load_id: int) -> list[str]:
    """Add each ASIN's title in table `rows` (a file's checked rows, with `TITLE_COLUMN`) to the history, as load
    `load_id`'s: the title of its latest row (its last day's, the greatest by text if that day has two). The ASINs
    that had no name before, sorted: neither a catalog title nor one from an earlier file. Inside the load's
    transaction."""
    day = ident(kind.day_columns[-1])
    named = con.execute(
        f"""
        select distinct asin
        from {ident(rows)} as t
        where asin is not null
          and {TITLE_COLUMN} is not null
          and not exists (select 1 from products as p where p.asin = t.asin and p.title is not null)
          and not exists (select 1 from {ident(TITLE_HISTORY)} as h where h.asin = t.asin)
        order by asin
        """
    ).fetchall()
    con.execute(
        f"""
        insert into {ident(TITLE_HISTORY)} (load_id, asin, title)
        select $id, asin, max(title)
        from (
            select asin, {TITLE_COLUMN} as title
            from {ident(rows)}
            where asin is not null and {TITLE_COLUMN} is not null
            qualify {day} = max({day}) over (partition by asin)
        )
        group by asin
        """,
        {"id": load_id},
    )
    return [str(asin) for (asin,) in named]


def forget_titles(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """Take load `load_id`'s titles out of the history: undoing a load undoes the names it brought too."""
    con.execute(f"delete from {ident(TITLE_HISTORY)} where load_id = $id", {"id": load_id})
