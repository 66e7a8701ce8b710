"""The order a brand's files write their slash dates in, as the files that showed it left it.

A weekly file of days 1 to 12 of a month (03/11/2026 … 09/11/2026) reads either way, and read month first a
British brand's November week would land on seven days from March to September. A file with a 25/10/2026 in it
shows its dates are day first, one with a 10/25/2026 month first; the store notes which loads showed which
(meta `date_order_loads`: "12:day,15:month"), and a file that shows neither is read as the latest of them still in
effect wrote its dates (`notation.read_notation`). A brand with no such load reads them month first, as Amazon's
US exports write them.
"""

from __future__ import annotations

from typing import Literal

import duckdb

DateOrder = Literal["day", "month"]
_LOADS_KEY = "date_order_loads"


def note_date_order(con: duckdb.DuckDBPyConnection, load_id: int, order: DateOrder) -> None:
    """Note that load `load_id`'s file showed its slash dates are `order` first; undone, it no longer counts."""
    held = con.execute("select value from meta where key = $k", {"k": _LOADS_KEY}).fetchone()
    loads = [*(held[0].split(",") if held and held[0] else []), f"{load_id}:{order}"]
    con.execute("insert or replace into meta values ($k, $v)", {"k": _LOADS_KEY, "v": ",".join(loads)})


def brand_date_order(con: duckdb.DuckDBPyConnection) -> tuple[DateOrder, int] | None:
    """The order the brand's latest load still in effect that showed one wrote its slash dates, with that load's id;
    None when no load in effect showed one."""
    held = con.execute("select value from meta where key = $k", {"k": _LOADS_KEY}).fetchone()
    shown: dict[int, DateOrder] = {}
    for entry in held[0].split(",") if held and held[0] else []:
        load, _, order = entry.partition(":")
        if order in ("day", "month"):
            shown[int(load)] = "day" if order == "day" else "month"
    if not shown:
        return None
    latest = con.execute(
        "select max(load_id) from loads where undone_at is null and list_contains($ids, load_id)",
        {"ids": list(shown)},
    ).fetchone()
    if latest is None or latest[0] is None:
        return None
    return shown[int(latest[0])], int(latest[0])
