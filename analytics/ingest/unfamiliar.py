"""A file naming none of the brand's products or creators: most often another brand's export uploaded into this one
(an agency's weekly round through a dozen brands), found before anything changes, then asked about or noted.

A brand's own files nearly always share something with what it holds: an ASIN of its catalog or sales, a creator it
pays. A file sharing nothing may still be the brand's (its first file of a product just launched), so it is never
refused: the page asks before loading it, and the command line loads it with a note saying how to undo it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import duckdb

from analytics.contract.kinds import KINDS, Kind
from analytics.ingest.layout import FileRejectedError
from analytics.sql import ident

# "ask": stop with the question; "load": load it, with a note saying how to undo it; "confirmed": load it, the
# person loading it having said it is the brand's.
OnUnfamiliar = Literal["ask", "load", "confirmed"]
ON_UNFAMILIAR: tuple[OnUnfamiliar, ...] = ("ask", "load", "confirmed")
# What an asked question offers, unless the one asking offers it in its own words.
LOAD_ANYWAY = "load it again, saying it is the brand's, if it is"
# The stored tables that say which products and creators are the brand's.
ASIN_TABLES = tuple(kind.table for kind in KINDS.values() if "asin" in kind.column_names)
CREATOR_TABLES = tuple(kind.table for kind in KINDS.values() if "creator" in kind.column_names)
FILE_ASINS = "cl_file_asins"
FIRST_ROWS = 10_000


@dataclass(frozen=True)
class Unfamiliar:
    """What a file names that the brand's data does not: its distinct ASINs (one shown) and creators, against how
    many of each the brand holds."""

    asins: int
    example_asin: str
    known_asins: int
    creators: int
    known_creators: int

    def described(self) -> str:
        """How little the file shares: "none of its 12 ASINs (such as B0C1234567) is among the brand's 34, nor any
        of its 5 creators among the brand's 40"."""
        asins = "its ASIN" if self.asins == 1 else f"its {self.asins:,} ASINs"
        said = f"none of {asins} (such as {self.example_asin}) is among the brand's {self.known_asins:,}"
        if self.asins == 1:
            said = f"its ASIN {self.example_asin} is not among the brand's {self.known_asins:,}"
        if self.creators and self.known_creators:
            creators = "its creator" if self.creators == 1 else f"any of its {self.creators:,} creators"
            said += f", nor {creators} among the brand's {self.known_creators:,}"
        return said

    def sentence(self, file_name: str, choices: str) -> str:
        """The question for the person loading: what the file shares with the brand (nothing), and `choices`."""
        return f"{file_name}: {self.described()}. It may be another brand's file; nothing was loaded: {choices}."

    def note(self, confirmed: bool) -> str:
        """What a load that went ahead says, in its notes: on the word of the person loading it (`confirmed`), or
        with the advice to undo it."""
        if confirmed:
            return f"loaded as the brand's file, as said when asked: {self.described()}"
        return f"{self.described()}: if it is another brand's file, undo this load"


class UnfamiliarFileError(FileRejectedError):
    """A load stopped to ask whether a file naming none of the brand's products or creators is the brand's."""

    def __init__(self, file_name: str, unfamiliar: Unfamiliar) -> None:
        super().__init__(unfamiliar.sentence(file_name, LOAD_ANYWAY))
        self.file_name = file_name
        self.unfamiliar = unfamiliar


def find_unfamiliar(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> Unfamiliar | None:
    """Whether the new rows in table `rows` name none of the ASINs the brand holds, and none of its creators; None
    when they name one, when they name no ASIN, or when the brand holds none yet (its first files).

    A file with creators is the brand's when one of them is: a creator it pays, promoting a product just launched.
    Creators are compared without case or surrounding spaces, as a person would tell them apart.
    """
    if "asin" not in kind.column_names:
        return None
    # Asked first, and cheaply (each test stops at a stored row): a brand's first files have nothing to compare with.
    stored = " or ".join(f"exists (select 1 from {ident(t)} where asin is not null)" for t in ASIN_TABLES)
    if con.execute(f"select {stored}").fetchone() != (True,):
        return None
    # One shared ASIN settles it, and a brand's file nearly always shares one in its first rows: those are asked
    # about first, so that a file of millions of rows is read in full only when they share none.
    for sample in (f"(select asin from {ident(rows)} limit {FIRST_ROWS})", ident(rows)):
        con.execute(
            f"create or replace temp table {FILE_ASINS} as select distinct asin from {sample} where asin is not null"
        )
        shared = _shares_an_asin(con)
        if shared:
            break
    names_none = con.execute(f"select not exists (select 1 from {FILE_ASINS})").fetchone() == (True,)
    found = None if shared or names_none else _unfamiliar(con, kind, rows)
    con.execute(f"drop table {FILE_ASINS}")  # a refused load's is dropped with the importer's other work tables
    return found


def _shares_an_asin(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether an ASIN of FILE_ASINS is one the brand holds."""
    new_asins = f"(select asin from {FILE_ASINS})"
    shared = " or ".join(f"exists (select 1 from {ident(t)} where asin in {new_asins})" for t in ASIN_TABLES)
    return con.execute(f"select {shared}").fetchone() == (True,)


def _unfamiliar(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str) -> Unfamiliar | None:
    """`find_unfamiliar` once the file's ASINs, none of them the brand's, are in FILE_ASINS."""
    creators = 0
    if "creator" in kind.column_names:
        new_creators = f"(select distinct lower(trim(creator)) from {ident(rows)} where trim(creator) <> '')"
        shared = " or ".join(
            f"exists (select 1 from {ident(t)} where lower(trim(creator)) in {new_creators})" for t in CREATOR_TABLES
        )
        found = con.execute(f"select {shared}, (select count(*) from {new_creators})").fetchone()
        if found is None or found[0]:
            return None
        creators = int(found[1])
    asins = con.execute(f"select count(*), min(asin) from {FILE_ASINS}").fetchone()
    known_asins = con.execute(
        "select count(distinct asin) from ("
        + " union all ".join(f"select asin from {ident(t)} where asin is not null" for t in ASIN_TABLES)
        + ")"
    ).fetchone()
    known_creators = con.execute(
        "select count(distinct lower(trim(creator))) from ("
        + " union all ".join(f"select creator from {ident(t)} where trim(creator) <> ''" for t in CREATOR_TABLES)
        + ")"
    ).fetchone()
    assert asins is not None and known_asins is not None and known_creators is not None
    return Unfamiliar(
        asins=int(asins[0]),
        example_asin=str(asins[1]),
        known_asins=int(known_asins[0]),
        creators=creators,
        known_creators=int(known_creators[0]),
    )
