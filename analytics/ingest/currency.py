"""Which currency a file's amounts are written in. A brand's figures add amounts up, so a file holding two currencies,
or another currency than the brand's earlier files, is refused rather than summed: €1,254.55 and ₹123,456 make no
total. Only what the cells show is known: a file of bare numbers takes the brand's currency."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.amounts import DEFAULT_CURRENCY
from analytics.contract.kinds import KINDS, MONEY_TOTALS
from analytics.contract.parsing import CURRENCY
from analytics.ingest.layout import Detection, FileRejectedError, Layout, record_line_numbers
from analytics.sql import ident

# A sign or code as the amounts of one currency are written; the first of each is how the app names it.
CURRENCIES = {"$": "$", "USD": "$", "€": "€", "EUR": "€", "£": "£", "GBP": "£", "₹": "₹", "INR": "₹", "¥": "¥"}
CURRENCIES |= {"CAD": "CAD"}  # a Canadian dollar writes "$" too: only its code tells it apart
_META_KEY = "currency"


def staged_currency(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, layout: Layout, detection: Detection
) -> str | None:
    """The currency the money cells of the staged file (table cl_staging) are written in, None when none shows
    one. A cell of another currency than the file's first is refused with its line and column."""
    positions = [
        detection.mapping[column.name]
        for column in detection.kind.columns
        if column.type == "money" and column.name in detection.mapping
    ]
    if not positions:
        return None
    signs = " union all ".join(
        f"select rowid - (select min(rowid) from cl_staging) as rec, {position} as position, "
        f"regexp_extract(c{position}, '{CURRENCY}') as sign, c{position} as cell from cl_staging"
        for position in positions
    )
    found = con.execute(
        f"with signs as ({signs}) select sign, min(rec) from signs where sign <> '' group by sign order by 2"
    ).fetchall()
    currencies = list(dict.fromkeys(CURRENCIES[sign] for sign, _ in found))
    if len(currencies) <= 1:
        return currencies[0] if currencies else None
    others = [sign for sign, _ in found if CURRENCIES[sign] != currencies[0]]
    row = con.execute(
        f"with signs as ({signs}) select rec, position, cell, sign from signs where list_contains($others, sign) "
        "order by rec, position limit 1",
        {"others": others},
    ).fetchone()
    assert row is not None
    record, position, cell, sign = int(row[0]), int(row[1]), str(row[2]), str(row[3])
    line = record_line_numbers(path, layout, [record]).get(record, layout.header_line + record + 1)
    raise FileRejectedError(
        f"{name}, line {line}, column '{layout.header[position]}': '{cell.strip()}' is in {CURRENCIES[sign]}, "
        f"where the file's amounts before it are in {currencies[0]}: amounts are added up, so a file holds one "
        "currency. Split it by currency and load each into its own brand's workspace."
    )


def keep_store_currency(con: duckdb.DuckDBPyConnection, name: str, currency: str) -> None:
    """Refuse a file whose amounts are in another currency than the amounts the store holds; note the currency of
    a store's first amounts that show one. A store whose money tables are empty (every load undone) takes any."""
    held = con.execute("select value from meta where key = $k", {"k": _META_KEY}).fetchone()
    if held is not None and held[0] != currency and _holds_amounts(con):
        raise FileRejectedError(
            f"{name}: its amounts are in {currency}, and this brand's are in {held[0]}, from the files loaded before: "
            "a brand's figures add amounts of one currency up. Load it into a workspace of its own (New brand in the "
            f"sidebar, or `workspaces new`); if they are the brand's own amounts that a spreadsheet wrote with "
            f"another sign, save the file again with {held[0]} or none."
        )
    con.execute("insert or replace into meta values ($k, $v)", {"k": _META_KEY, "v": currency})


def store_currency(con: duckdb.DuckDBPyConnection) -> str:
    """The currency the store's amounts are written in (`amounts.amount`): the one its files showed, else the
    dollar (a file of bare numbers, as the US exports write them)."""
    held = con.execute("select value from meta where key = $k", {"k": _META_KEY}).fetchone()
    return str(held[0]) if held is not None else DEFAULT_CURRENCY


def _holds_amounts(con: duckdb.DuckDBPyConnection) -> bool:
    exists = " or ".join(f"exists (select 1 from {ident(KINDS[kind].table)})" for kind in MONEY_TOTALS)
    row = con.execute(f"select {exists}").fetchone()
    return bool(row and row[0])
