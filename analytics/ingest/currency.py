"""Which currency a brand's amounts are in. A brand's figures add amounts up, so a file holding two currencies, or
another currency than the brand's earlier files, is refused rather than summed: €1,254.55 and ₹123,456 make no
total. Only what the cells show is known: a file of bare numbers takes the brand's currency, which is the one its
files showed, else the one a person chose for it (`choose_currency`: Creator Connections writes bare numbers in
every marketplace), else the dollar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.amounts import DEFAULT_CURRENCY
from analytics.contract.kinds import KINDS, MONEY_TOTALS
from analytics.contract.parsing import CURRENCY, CURRENCY_SIGNS
from analytics.ingest.layout import Detection, FileRejectedError, Layout, record_line_numbers
from analytics.ingest.report_periods import metadata
from analytics.sql import ident
from analytics.store.database import WRITE_LOCK, StoreError, append_meta_list, in_transaction, record_data_change

# A sign or code as the amounts of one currency are written -> how the app names it (`parsing.CURRENCY_SIGNS`).
CURRENCIES = CURRENCY_SIGNS
# Each currency's name, in the order a person choosing one is offered them.
CURRENCY_NAMES = {
    "$": "US dollar",
    "€": "euro",
    "£": "pound sterling",
    "CAD": "Canadian dollar",
    "MXN": "Mexican peso",
    "R$": "Brazilian real",
    "₹": "Indian rupee",
    "¥": "Japanese yen",
    "AUD": "Australian dollar",
    "SGD": "Singapore dollar",
    "SEK": "Swedish krona",
    "PLN": "Polish złoty",
    "₺": "Turkish lira",
    "AED": "UAE dirham",
    "SAR": "Saudi riyal",
    "EGP": "Egyptian pound",
}
assert set(CURRENCY_NAMES) == set(CURRENCIES.values()), "every currency the files can show has a name"
# Each currency's ISO 4217 code, which a CSV writes: a spreadsheet opening a CSV without a byte-order mark reads
# "€" as "â‚¬", and "$" alone could be any dollar. Each is the three capitals among the signs the files may write.
CURRENCY_CODES = {
    currency: next(code for code, sign in CURRENCY_SIGNS.items() if sign == currency and re.fullmatch("[A-Z]{3}", code))
    for currency in CURRENCY_NAMES
}
assert set(CURRENCY_CODES) == set(CURRENCY_NAMES), "every currency has its code"
_META_KEY = "currency"
# Who set the currency: "chosen" by a person; absent, the files' amounts showed it.
_SOURCE_KEY, _CHOSEN = "currency_source", "chosen"
# The loads whose files showed the currency, comma-separated: while one is in effect, no other can be chosen.
_LOADS_KEY = "currency_loads"


def currency_label(sign: str) -> str:
    """A currency as a choice offers it: "€ – euro"."""
    return f"{sign} – {CURRENCY_NAMES[sign]}"


class CurrencyError(StoreError):
    """A currency a person asked for that the app does not know, or that the brand's files contradict."""


@dataclass(frozen=True)
class BrandCurrency:
    """The brand's currency and where it comes from: `shown` by the amounts of files it holds (then no other can be
    chosen), `chosen` by a person, or neither (the dollar, by default)."""

    currency: str
    shown: bool
    chosen: bool

    def describe(self) -> str:
        """Where the currency comes from, in words: "€ (euro), as the loaded files' amounts show it"."""
        named = f"{self.currency} ({CURRENCY_NAMES.get(self.currency, self.currency)})"
        if self.shown:
            return f"{named}, as the loaded files' amounts show it"
        if self.chosen:
            return f"{named}, as chosen for the brand"
        if self.currency != DEFAULT_CURRENCY:  # shown by files since undone: another may be chosen or shown
            return f"{named}, as files loaded before showed it"
        return f"{named}, by default: no loaded file shows a currency"


@dataclass(frozen=True)
class ShownCurrency:
    """The currency a file's money cells are written in, and the first cell showing it, as a refusal names it:
    "line 2, column 'Ordered Product Sales': '£1,234.56'"."""

    currency: str
    first: str
    sign: str = ""  # the sign or code as the first cell wrote it ("$", "CA$", "USD")


def staged_currency(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, layout: Layout, detection: Detection
) -> ShownCurrency | None:
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
    if not currencies:
        return None

    def first_cell(of: list[str]) -> tuple[str, str]:
        """Where the first cell written with one of the signs `of` is ("line 4, column 'Revenue': '€5.00'"), and
        its sign."""
        row = con.execute(
            f"with signs as ({signs}) select rec, position, cell, sign from signs where list_contains($of, sign) "
            "order by rec, position limit 1",
            {"of": of},
        ).fetchone()
        assert row is not None
        record, position, cell, sign = int(row[0]), int(row[1]), str(row[2]), str(row[3])
        line = record_line_numbers(path, layout, [record]).get(record, layout.header_line + record + 1)
        return f"line {line}, column '{layout.header[position]}': '{cell.strip()}'", sign

    if len(currencies) == 1:
        where, sign = first_cell([sign for sign, _ in found])
        return ShownCurrency(currencies[0], where, sign)
    where, sign = first_cell([sign for sign, _ in found if CURRENCIES[sign] != currencies[0]])
    raise FileRejectedError(
        f"{name}, {where} is in {CURRENCIES[sign]}, where the file's amounts before it are in {currencies[0]}: "
        "amounts are added up, so a file holds one currency. Split it by currency and load each into its own brand's "
        "workspace."
    )


def stated_currency(name: str, layout: Layout) -> ShownCurrency | None:
    """The currency a line above the header states (Vendor Central's `Currency=[EUR]`), None when none does: its
    amounts may be bare numbers, which would otherwise load in the brand's currency whatever they are."""
    for number, facts in metadata(layout.title_lines):
        code = facts.get("currency", "").strip()
        if not code:
            continue
        if code.upper() not in CURRENCIES:
            raise FileRejectedError(
                f"{name}, line {number} says Currency=[{code}]: Creator Lift writes amounts in "
                f"{', '.join(CURRENCY_CODES.values())}."
            )
        return ShownCurrency(CURRENCIES[code.upper()], f"line {number}: 'Currency=[{code}]'")
    return None


# The currencies whose marketplaces write a bare "$" as well as their own sign: a stated one of them settles it.
DOLLARS = ("CAD", "AUD", "MXN", "SGD")


def file_currency(name: str, shown: ShownCurrency | None, stated: ShownCurrency | None) -> ShownCurrency | None:
    """The currency of a file's amounts, from its cells (`shown`) and a line above its header (`stated`): refused when
    they differ, as a file of two currencies is, except that a bare "$" is any dollar, which `Currency=[CAD]` names."""
    if shown is not None and stated is not None and shown.sign == "$" and stated.currency in DOLLARS:
        return stated
    if shown is not None and stated is not None and shown.currency != stated.currency:
        raise FileRejectedError(
            f"{name}, {stated.first} says its amounts are in {stated.currency}, and {shown.first} is in "
            f"{shown.currency}: amounts are added up, so a file holds one currency. Download the report again, or "
            "correct the line that is wrong."
        )
    return shown or stated


def keep_store_currency(con: duckdb.DuckDBPyConnection, name: str, shown: ShownCurrency) -> None:
    """Refuse a file whose amounts are in another currency than the brand's (`refuse_another_currency`); else the
    file's currency becomes the brand's, shown by its amounts."""
    refuse_another_currency(con, name, shown)
    con.execute("insert or replace into meta values ($k, $v)", {"k": _META_KEY, "v": shown.currency})


def refuse_another_currency(con: duckdb.DuckDBPyConnection, name: str, shown: ShownCurrency) -> None:
    """Refuse a file whose amounts are in another currency than the brand's, when the store holds amounts or a
    person chose the currency, naming the first cell that shows it. A store whose money tables are empty (every load
    undone) takes any currency its files showed before."""
    held, currency = brand_currency(con), shown.currency
    if held.currency != currency and (held.shown or held.chosen):
        said = "from the files loaded before" if held.shown else "as chosen for the brand"
        raise FileRejectedError(
            f"{name}, {shown.first}: its amounts are in {currency}, and this brand's are in {held.currency}, {said}: a "
            "brand's "
            "figures add amounts of one currency up. Load it into a workspace of its own (New brand in the sidebar, or "
            "`workspaces new`); if they are the brand's own amounts that a spreadsheet wrote with another sign, save "
            f"the file again with {held.currency} or none"
            + (
                "."
                if held.shown
                else f", or choose {currency} for the brand (the Data page, or `currency {currency}`)."
            )
        )


def note_currency_load(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """Note that load `load_id`'s file showed the brand's currency (`keep_store_currency` took it): undone, it no
    longer holds the brand to it."""
    append_meta_list(con, _LOADS_KEY, str(load_id))


def brand_currency(con: duckdb.DuckDBPyConnection) -> BrandCurrency:
    """The brand's currency and where it comes from (`BrandCurrency`): shown while a load whose file showed it is in
    effect, whether or not a person chose it before."""
    held = dict(
        con.execute(
            "select key, value from meta where key in ($k, $s, $l)",
            {"k": _META_KEY, "s": _SOURCE_KEY, "l": _LOADS_KEY},
        ).fetchall()
    )
    if _META_KEY not in held:
        return BrandCurrency(DEFAULT_CURRENCY, shown=False, chosen=False)
    chosen = held.get(_SOURCE_KEY) == _CHOSEN
    if _LOADS_KEY in held:
        ids = [int(load) for load in str(held[_LOADS_KEY]).split(",") if load]
        in_effect = con.execute(
            "select exists (select 1 from loads where undone_at is null and list_contains($ids, load_id))",
            {"ids": ids},
        ).fetchone()
        shown = in_effect == (True,)
    else:  # a store from before loads were noted: its files showed the currency while it holds amounts
        shown = not chosen and _holds_amounts(con)
    return BrandCurrency(str(held[_META_KEY]), shown=shown, chosen=chosen)


def currency_named(written: str) -> str:
    """The currency a person wrote by sign or code ("€", "eur"), as the app names it; CurrencyError if unknown."""
    found = CURRENCIES.get(written.strip()) or CURRENCIES.get(written.strip().upper())
    if found is None:
        known = ", ".join(f"{sign} ({named})" for sign, named in CURRENCY_NAMES.items())
        raise CurrencyError(f"{written.strip() or 'a blank'} is not a currency Creator Lift writes; it writes {known}.")
    return found


def choose_currency(con: duckdb.DuckDBPyConnection, written: str) -> BrandCurrency:
    """Set the brand's currency to the one `written` names, for amounts its files write bare, and return it. Refused
    (CurrencyError) when the brand's files show another: their amounts say what they are. Every amount the app writes
    changes with it, the review's findings' too, so the data version grows as with a load."""
    currency = currency_named(written)

    def change() -> BrandCurrency:
        held = brand_currency(con)
        if held.shown:
            if held.currency != currency:
                raise CurrencyError(
                    f"This brand's files show their amounts in {held.currency}, so its currency stays {held.currency}. "
                    f"Amounts in {currency} belong in a workspace of their own (New brand, or `workspaces new`)."
                )
            return held
        con.execute("insert or replace into meta values ($k, $v)", {"k": _META_KEY, "v": currency})
        con.execute("insert or replace into meta values ($k, $v)", {"k": _SOURCE_KEY, "v": _CHOSEN})
        record_data_change(con, None)
        return brand_currency(con)

    with WRITE_LOCK:
        return in_transaction(con, change)


def store_currency(con: duckdb.DuckDBPyConnection) -> str:
    """The currency the store's amounts are written in (`amounts.amount`): the one its files showed, else the one
    chosen for the brand, else the dollar (a file of bare numbers, as the US exports write them)."""
    held = con.execute("select value from meta where key = $k", {"k": _META_KEY}).fetchone()
    return str(held[0]) if held is not None else DEFAULT_CURRENCY


def _holds_amounts(con: duckdb.DuckDBPyConnection) -> bool:
    exists = " or ".join(f"exists (select 1 from {ident(KINDS[kind].table)})" for kind in MONEY_TOTALS)
    row = con.execute(f"select {exists}").fetchone()
    return bool(row and row[0])
