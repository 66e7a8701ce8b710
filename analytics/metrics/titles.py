"""Each ASIN's name: its catalog title, else the title the latest load of another kind brought (`store.titles`).

A brand whose catalog has no titles, or no catalog yet, sees its products by the names its Business Report or rank
tracker gives them rather than as bare ASINs.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.sql import ident
from analytics.store.titles import TITLE_HISTORY


def titles_sql() -> str:
    """One row per named ASIN: (asin, title), the catalog's title where it has one."""
    return f"""
        select asin, title from products where title is not null
        union all
        select asin, arg_max(title, load_id) as title
        from {ident(TITLE_HISTORY)} as t
        where not exists (select 1 from products as p where p.asin = t.asin and p.title is not null)
        group by asin
    """


def asin_titles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every named ASIN with its title (`titles_sql`), by ASIN."""
    return con.execute(f"select * from ({titles_sql()}) order by asin").df()
