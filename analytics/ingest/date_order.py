"""The order a brand's exports write their slash dates in, as the files that showed it left it.

A weekly file of days 1 to 12 of a month (03/11/2026 … 09/11/2026) reads either way, and read month first a
British brand's November week would land on seven days from March to September. A file with a 25/10/2026 in it
shows its dates are day first, one with a 10/25/2026 month first, and a week of dates that are days in a row only
one way is read that way (`notation`); the store notes which loads' cells showed which, and
with what columns (meta `date_order_loads`: "12:day:<header signature>,…"). A file that shows neither is read as
the latest load still in effect of a file with the same columns wrote them (`notation.read_notation`): the same
export, from the same tool and marketplace. A rank tracker writing day first says nothing of the brand's Amazon
US exports, so only the same columns count. A file no such load precedes reads as the marketplaces of the brand's
currency write dates: day first for a pound or euro brand (Amazon.co.uk, .de, .fr …); month first, as Amazon's US
exports write them, for a dollar brand and any other.
"""

from __future__ import annotations

from typing import Literal

import duckdb

from analytics.ingest.currency import store_currency
from analytics.store.database import append_meta_list, meta_list

DateOrder = Literal["day", "month"]
_LOADS_KEY = "date_order_loads"
# The currencies of Amazon's marketplaces whose exports write slash dates day first. Not the dollar (month first),
# the Canadian dollar (either, by the person's settings) or the yen (year first).
DAY_FIRST_CURRENCIES = frozenset({"£", "€", "₹", "AUD", "R$", "MXN", "SEK", "PLN", "₺", "AED", "SAR", "EGP", "SGD"})


def note_date_order(con: duckdb.DuckDBPyConnection, load_id: int, order: DateOrder, signature: str) -> None:
    """Note that load `load_id`'s file, of the columns `signature` (`Layout.signature`), showed its slash dates are
    `order` first; undone, it no longer counts."""
    append_meta_list(con, _LOADS_KEY, f"{load_id}:{order}:{signature}")


def brand_date_order(con: duckdb.DuckDBPyConnection, signature: str) -> tuple[DateOrder, str] | None:
    """The order a file of the columns `signature` whose own cells do not decide reads its slash dates in, with the
    reason for the load's note: as the latest load still in effect of a file with those columns showed, else day
    first for a brand whose currency's marketplaces write dates so; None (month first) otherwise."""
    shown = _shown_by_loads(con, signature)
    if shown is not None:
        return shown[0], f"as load {shown[1]}, a file with the same columns, showed"
    currency = store_currency(con)
    if currency in DAY_FIRST_CURRENCIES:
        return "day", f"as the exports of {currency} marketplaces write dates"
    return None


def _shown_by_loads(con: duckdb.DuckDBPyConnection, signature: str) -> tuple[DateOrder, int] | None:
    """The order the latest load still in effect of a file with the columns `signature` that showed one wrote its
    slash dates, with that load's id; None when no such load showed one."""
    shown: dict[int, DateOrder] = {}
    for entry in meta_list(con, _LOADS_KEY):
        load, order, columns = (entry.split(":") + ["", ""])[:3]
        if columns == signature and order in ("day", "month"):
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
