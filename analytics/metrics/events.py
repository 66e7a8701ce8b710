"""The brand's sales events (Prime Day, deal days): named date ranges that move sales and rank on their own."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd


def event_ranges(con: duckdb.DuckDBPyConnection, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """The stored events overlapping `start` … `end` (open where None): name, start, end, earliest first."""
    return con.execute(
        """
        select
            name,
            "start",
            "end"
        from events
        where "end" >= coalesce(cast($start as date), date '1900-01-01')
          and "start" <= coalesce(cast($end as date), date '9999-12-31')
        order by "start", name
        """,
        {"start": start, "end": end},
    ).df()
