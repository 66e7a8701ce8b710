"""A file naming none of the brand's products and few of its creators: most often another brand's export uploaded
into this one (an agency's weekly round through a dozen brands), found before anything changes, then asked about or
noted.

A brand's own files nearly always share something with what it holds: an ASIN of its catalog or sales, or most of
their creators when they name only a few products; a search report names the brand it is of. A file sharing neither
may still be the brand's (its first file of a product just launched), so it is never refused: the page asks before
loading it, and the command line loads it and warns, saying how to undo it.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

import duckdb

from analytics.contract.kinds import KINDS, Kind
from analytics.ingest.layout import FileRejectedError
from analytics.sql import ident
from analytics.store.brand_terms import brand_terms
from analytics.store.titles import TITLE_COLUMN, TITLE_HISTORY
from analytics.words import named, plural, possessive, without_accents

# "ask": stop with the question; "load": load it, with a note saying how to undo it; "confirmed": load it, the
# person loading it having said it is the brand's.
OnUnfamiliar = Literal["ask", "load", "confirmed"]
ON_UNFAMILIAR: tuple[OnUnfamiliar, ...] = ("ask", "load", "confirmed")
# A question put to another brand's store (which of these ASINs it holds, its search terms), answered as a list.
BrandQuestion = Callable[[duckdb.DuckDBPyConnection], list[str]]
# The other brands of the installation whose answer to a question is not empty: each one's name and its answer. For a
# brand with nothing of its own to compare a file with yet, asked of the brands the person loading may open.
OtherBrands = Callable[[BrandQuestion], list[tuple[str, list[str]]]]
# What an asked question offers, unless the one asking offers it in its own words.
LOAD_ANYWAY = "load it again, saying it is the brand's, if it is"
# The stored tables that say which products and creators are the brand's.
ASIN_TABLES = tuple(kind.table for kind in KINDS.values() if "asin" in kind.column_names)
CREATOR_TABLES = tuple(kind.table for kind in KINDS.values() if "creator" in kind.column_names)
# The file's distinct ASINs and creators while a load asks; dropped with the importer's other work tables.
FILE_ASINS, FILE_CREATORS = "cl_file_asins", "cl_file_creators"
FIRST_ROWS = 10_000
MAX_LOAD_ID = 2**62  # "every load", where no batch limits the brand's rows
# The most products a file of a launch names: most of the brand's creators vouch for a file of so few new ASINs,
# not for one of dozens (another brand's, sharing the agency's creators).
LAUNCH_ASINS = 5


@dataclass(frozen=True)
class BrandCheck:
    """How a load tells another brand's file: what to do with one (`on`), which loads hold the brand's own
    (`through`: those up to it, as the files of one batch do not vouch for each other; None for every load), and
    whom to ask whose a file is while the brand holds nothing to compare it with (`others`)."""

    on: OnUnfamiliar = "load"
    through: int | None = None
    others: OtherBrands | None = None


class Unfamiliar(ABC):
    """What makes a file look like another brand's, in words, for the question and the load's notes."""

    @abstractmethod
    def described(self, brand: str = "the brand") -> str:
        """What the file shares with `brand` (next to nothing), as a clause."""

    def headline(self, brand: str) -> str:
        """Why the file was held, in a few words after its name: "names none of Kestrel's products"."""
        return f"names none of {possessive(brand)} products"

    def sentence(self, file_name: str, choices: str = LOAD_ANYWAY) -> str:
        """The question for the person loading: what the file shares with the brand (next to nothing), and
        `choices`."""
        return f"{file_name}: {self.described()}. It may be another brand's file; nothing was loaded: {choices}."

    def note(self, confirmed: bool) -> str:
        """What a load that went ahead says, in its notes: on the word of the person loading it (`confirmed`), or
        with the advice to undo it."""
        if confirmed:
            return f"loaded as the brand's file, as said when asked: {self.described()}"
        return f"{self.described()}: if it is another brand's file, undo this load"


@dataclass(frozen=True)
class UnfamiliarProducts(Unfamiliar):
    """What a file names that the brand's data does not: its distinct ASINs (one shown), none of them the brand's,
    and its creators, of whom `shared_creators` are the brand's (at most half, or the file names more products than
    a launch); against how many of each the brand holds."""

    asins: int
    example_asin: str
    known_asins: int
    creators: int
    shared_creators: int
    known_creators: int
    # A title and a campaign of the file's, when none of them is the brand's (`_launch_signs`): a launch's few
    # products, sold by creators the brand shares with another, under that brand's name and campaigns.
    other_title: str | None = None
    other_campaign: str | None = None
    # The other brand of the installation most of its ASINs are, when one is (`another_brands_products`).
    owner: str | None = None

    def headline(self, brand: str) -> str:
        return f"names {possessive(self.owner)} products" if self.owner else super().headline(brand)

    def described(self, brand: str = "the brand") -> str:
        """How little the file shares with `brand`: "none of its 12 ASINs (such as B0C1234567) is among the brand's
        34 ASINs, and none of its 5 creators among its 40 creators"."""
        among = f"among {possessive(brand)} {plural(self.known_asins, 'ASIN')}"
        said = (
            f"its ASIN {self.example_asin} is not {among}"
            if self.asins == 1
            else f"none of its {self.asins:,} ASINs (such as {self.example_asin}) is {among}"
        )
        if self.creators and self.known_creators:
            if self.shared_creators * 2 > self.creators:  # too many products for the creators to vouch for
                theirs = possessive(brand)
                said += (
                    f", though its creator is {theirs}"
                    if self.creators == 1
                    else f", though its {plural(self.creators, 'creator')} are all {theirs}"
                    if self.shared_creators == self.creators
                    else f", though {self.shared_creators:,} of its {plural(self.creators, 'creator')} are {theirs}"
                )
            elif self.shared_creators:
                are = "is" if self.shared_creators == 1 else "are"
                theirs = possessive(brand)
                said += f", and only {self.shared_creators:,} of its {plural(self.creators, 'creator')} {are} {theirs}"
            elif self.creators == 1:
                said += f", and its creator is not among {possessive(brand)} {plural(self.known_creators, 'creator')}"
            else:
                theirs = plural(self.known_creators, "creator")
                said += f", and none of its {self.creators:,} creators among {possessive(brand)} {theirs}"
        if self.other_title is not None:
            said += f", and none of its titles carries {possessive(brand)} name (such as '{self.other_title}')"
        if self.other_campaign is not None:
            said += f", and none of its campaigns is {possessive(brand)} (such as '{self.other_campaign}')"
        if self.owner is not None:
            said += f"; its ASINs are {possessive(self.owner)}"
        return said


@dataclass(frozen=True)
class UnfamiliarCampaigns(Unfamiliar):
    """A campaign ledger naming none of the campaigns the brand's performance reports or its ledger hold: another
    brand's budgets, which would stand on its Campaigns page and in the review it is sent."""

    campaigns: int
    example: str
    known: int

    def described(self, brand: str = "the brand") -> str:
        theirs = f"{possessive(brand)} {plural(self.known, 'campaign')}"
        if self.campaigns == 1:
            return f"its campaign '{self.example}' is not among {theirs}"
        return f"none of its {self.campaigns:,} campaigns (such as '{self.example}') is among {theirs}"

    def headline(self, brand: str) -> str:
        return f"names none of {possessive(brand)} campaigns"


@dataclass(frozen=True)
class AnotherBrandsCampaigns(Unfamiliar):
    """A campaign ledger listing a campaign another brand of the installation runs (`owner`, `example`) and, of the
    brand's own, only those that brand runs too (an "Always-on" every brand has): the other brand's ledger, whose
    budgets would replace the brand's under the names they share (`shared`)."""

    owner: str
    example: str
    shared: tuple[str, ...]

    def described(self, brand: str = "the brand") -> str:
        names = named([f"'{name}'" for name in self.shared])
        budgets = "budget" if len(self.shared) == 1 else "budgets"
        return (
            f"its campaign '{self.example}' is {possessive(self.owner)}, not {possessive(brand)}, and it would set the "
            f"{budgets} of {possessive(brand)} {names}, which {possessive(self.owner)} ledger lists too"
        )

    def headline(self, brand: str) -> str:
        return f"lists {possessive(self.owner)} campaigns"


def _report_of(stated: Sequence[str]) -> str:
    return f"is the report of {' and '.join(stated)}"


def _shares_a_name(stated: Sequence[str], terms: Sequence[str]) -> bool:
    """Whether a brand a report names and a search term are one brand: the term within the name ("Kestrel" in
    "Kestrel Nutrition") or the name within the term, as whole words, any case."""
    return any(_within(t, s) or _within(s, t) for s in stated for t in terms)


@dataclass(frozen=True)
class AnotherBrandNamed(Unfamiliar):
    """A report that names the brand it is of (a Search Query Performance Brand View's `Brand=["…"]`), a name none
    of the brand's search terms is part of."""

    stated: tuple[str, ...]
    terms: tuple[str, ...]

    def described(self, brand: str = "the brand") -> str:
        return f"it {_report_of(self.stated)}, and {possessive(brand)} search terms are {', '.join(self.terms)}"

    def headline(self, brand: str) -> str:
        # It names no products at all (a Brand View): saying it named none of the brand's misled.
        return _report_of(self.stated)


@dataclass(frozen=True)
class AnotherBrandsReport(Unfamiliar):
    """A report naming the brand it is of (`stated`) whose name is in another brand's search terms, uploaded into a
    brand with none yet: loaded, it would give this brand the other's terms, and chart the other's searches."""

    stated: tuple[str, ...]
    owner: str

    def described(self, brand: str = "the brand") -> str:
        return (
            f"it {_report_of(self.stated)}, whose name matches {possessive(self.owner)} search terms, and {brand} has "
            "none of its own yet"
        )

    def headline(self, brand: str) -> str:
        return f"{_report_of(self.stated)}, {possessive(self.owner)} brand"


def another_brands_report(stated: Sequence[str], others: OtherBrands) -> AnotherBrandsReport | None:
    """An AnotherBrandsReport when a name the report states is one of another brand's search terms' brand
    (`_shares_a_name`); None otherwise, and when the report states no brand."""
    if not stated:
        return None
    owner = next((owner for owner, terms in others(brand_terms) if _shares_a_name(stated, terms)), None)
    return AnotherBrandsReport(tuple(stated), owner) if owner is not None else None


def another_brand_named(stated: Sequence[str], terms: Sequence[str]) -> AnotherBrandNamed | None:
    """An AnotherBrandNamed when the brand has search `terms` and the report's `stated` brands share no name with
    them (`_shares_a_name`). None when either is empty."""
    if not stated or not terms or _shares_a_name(stated, terms):
        return None
    return AnotherBrandNamed(tuple(stated), tuple(terms))


@dataclass(frozen=True)
class AnotherBrandsProducts(Unfamiliar):
    """A brand's first file whose ASINs are mostly another brand's of the installation (`owner`): its export
    uploaded into a brand just made, which holds nothing yet to tell it by."""

    owner: str
    shared: int
    asins: int
    example_asin: str

    def described(self, brand: str = "the brand") -> str:
        theirs = possessive(self.owner)
        owned = (
            f"its ASIN {self.example_asin} is {theirs}"
            if self.asins == 1
            else f"its {self.asins:,} ASINs (such as {self.example_asin}) are all {theirs}"
            if self.shared == self.asins
            else f"{self.shared:,} of its {self.asins:,} ASINs (such as {self.example_asin}) are {theirs}"
        )
        return f"{owned}, and {brand} holds no products yet to compare it with"

    def headline(self, brand: str) -> str:
        return f"names {possessive(self.owner)} products"


def another_brands_products(
    con: duckdb.DuckDBPyConnection, rows: str, others: OtherBrands
) -> AnotherBrandsProducts | None:
    """An AnotherBrandsProducts when more than half the distinct ASINs in table `rows` are one other brand's (the one
    holding most); None otherwise, and when the file names no ASIN."""
    named = f"select distinct asin from {ident(rows)} where asin is not null order by 1"
    asins = [str(a) for (a,) in con.execute(named).fetchall()]
    if not asins:
        return None
    holders = others(partial(held_asins, asins=asins))
    if not holders:
        return None
    owner, held = max(holders, key=lambda holder: len(holder[1]))
    if len(held) * 2 <= len(asins):
        return None
    return AnotherBrandsProducts(owner, len(held), len(asins), min(held))


def held_asins(con: duckdb.DuckDBPyConnection, asins: list[str]) -> list[str]:
    """Those of `asins` the brand's store holds (in any table naming ASINs), in order: asked of another brand's."""
    tables = " union ".join(f"select asin from {ident(t)} semi join wanted using (asin)" for t in ASIN_TABLES)
    found = con.execute(
        f"with wanted as (select unnest($asins) as asin) select distinct asin from ({tables}) order by 1",
        {"asins": asins},
    ).fetchall()
    return [str(a) for (a,) in found]


class UnfamiliarFileError(FileRejectedError):
    """A load stopped to ask whether a file naming none of the brand's products or creators is the brand's."""

    def __init__(self, file_name: str, unfamiliar: Unfamiliar) -> None:
        super().__init__(unfamiliar.sentence(file_name))
        self.file_name = file_name
        self.unfamiliar = unfamiliar


def find_unfamiliar(con: duckdb.DuckDBPyConnection, kind: Kind, rows: str, check: BrandCheck) -> Unfamiliar | None:
    """Whether the new rows in table `rows` name none of the ASINs the brand holds and few of its creators; None
    when they name one of its ASINs, when most of their creators are its and they name at most LAUNCH_ASINS
    products (unless their titles and campaigns are another brand's: `_launch_signs`), when they name no ASIN, or
    when the brand holds none yet (its first files), unless most of them are another brand's (`check.others`,
    `another_brands_products`). A campaign ledger is asked about when it lists none of the brand's campaigns
    (`_unfamiliar_ledger`). Only the rows of loads up to `check.through` are the brand's.

    Agencies share creators between brands, so creators in common do not make a file of dozens of products the
    brand's; a file of a product just launched, promoted by the brand's creators, shares most of them. Creators are
    compared as written, as the rest of the app tells them apart.
    """
    through = {"through": check.through if check.through is not None else MAX_LOAD_ID}
    if kind.name == "campaigns":
        return _unfamiliar_ledger(con, rows, through, check.others)
    if "asin" not in kind.column_names:
        return None
    # Asked first, and cheaply (each test stops at a stored row): a brand's first files have nothing to compare with.
    stored = " or ".join(
        f"exists (select 1 from {ident(t)} where asin is not null and load_id <= $through)" for t in ASIN_TABLES
    )
    if con.execute(f"select {stored}", through).fetchone() != (True,):
        return another_brands_products(con, rows, check.others) if check.others is not None else None
    # One shared ASIN settles it, and a brand's file nearly always shares one in its first rows: those are asked
    # about first, so that a file of millions of rows is read in full only when they share none.
    for sample in (f"(select asin from {ident(rows)} limit {FIRST_ROWS})", ident(rows)):
        con.execute(
            f"create or replace temp table {FILE_ASINS} as select distinct asin from {sample} where asin is not null"
        )
        shared = " or ".join(
            f"exists (select 1 from {ident(t)} where load_id <= $through and asin in (select asin from {FILE_ASINS}))"
            for t in ASIN_TABLES
        )
        if con.execute(f"select {shared}", through).fetchone() == (True,):
            return None
    found = con.execute(f"select count(*), min(asin) from {FILE_ASINS}").fetchone()
    if found is None or found[0] == 0:
        return None
    creators = shared_creators = 0
    other_title = other_campaign = None
    if "creator" in kind.column_names:
        con.execute(
            f"create or replace temp table {FILE_CREATORS} as "
            f"select distinct creator from {ident(rows)} where creator is not null"
        )
        known = " union ".join(
            f"select creator from {ident(t)} where load_id <= $through and creator in "
            f"(select creator from {FILE_CREATORS})"
            for t in CREATOR_TABLES
        )
        counted = con.execute(
            f"select (select count(*) from {FILE_CREATORS}), (select count(*) from ({known}))", through
        ).fetchone()
        assert counted is not None
        creators, shared_creators = int(counted[0]), int(counted[1])
        if shared_creators * 2 > creators and int(found[0]) <= LAUNCH_ASINS:
            other_title, other_campaign = _launch_signs(con, rows, through)
            if other_title is None and other_campaign is None:
                return None
    known_asins, known_creators = (
        _held(con, "asin", ASIN_TABLES, through),
        _held(con, "creator", CREATOR_TABLES, through),
    )
    # Whose they are, when the person may open that brand: the question can then say where the file belongs.
    owned = another_brands_products(con, rows, check.others) if check.others is not None else None
    return UnfamiliarProducts(
        asins=int(found[0]),
        example_asin=str(found[1]),
        known_asins=known_asins,
        creators=creators,
        shared_creators=shared_creators,
        known_creators=known_creators,
        other_title=other_title,
        other_campaign=other_campaign,
        owner=owned.owner if owned is not None else None,
    )


def _launch_signs(con: duckdb.DuckDBPyConnection, rows: str, through: dict[str, int]) -> tuple[str | None, str | None]:
    """What tells a launch's few new products, sold by the brand's creators, from another brand's sold by creators
    the two share: their titles, then their campaigns. A title and a campaign of the file's, each when none of them
    is the brand's; both None when the file is a launch.

    Titles settle it (Amazon's begin with the brand's name): the brand's name in one makes a launch, none in any
    another brand's products. Without titles to tell by, campaigns do: a file none of whose campaigns the brand runs
    or lists in its ledger is asked about (a launch's own campaign listed in the ledger passes); one sharing a
    campaign, or naming none, is a launch. A shared campaign does not outweigh titles: agencies name campaigns alike
    across brands ("Always-on")."""
    title, titled = _titled_otherwise(con, rows, through)
    if titled == "named":
        return None, None
    campaign, campaigned = _campaigns_otherwise(con, rows, through)
    return title, campaign if campaigned == "other" else None


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {str(c[0]) for c in con.execute(f"select * from {ident(table)} limit 0").description}


# The brand's campaigns: those its performance reports name and those its ledger lists, in loads up to `$through`.
_BRANDS_CAMPAIGNS = (
    "select campaign from performance where campaign is not null and load_id <= $through "
    "union select campaign from campaigns where load_id <= $through"
)


def _campaigns_otherwise(con: duckdb.DuckDBPyConnection, rows: str, through: dict[str, int]) -> tuple[str | None, str]:
    """One of the campaigns in table `rows` and "other" when none of them is one the brand runs; None and "shared"
    when one is; None and "unknown" when the file names no campaign or the brand none. Compared as written."""
    if "campaign" not in _columns(con, rows):
        return None, "unknown"
    found = con.execute(
        f"""
        with theirs as ({_BRANDS_CAMPAIGNS}),
        file as (select distinct campaign from {ident(rows)} where campaign is not null)
        select
            (select count(*) from file),
            (select count(*) from theirs),
            exists (select 1 from file semi join theirs using (campaign)),
            (select min(campaign) from file)
        """,
        through,
    ).fetchone()
    assert found is not None
    if not found[0] or not found[1]:
        return None, "unknown"
    return (None, "shared") if found[2] else (str(found[3]), "other")


def held_campaigns(con: duckdb.DuckDBPyConnection, campaigns: list[str]) -> list[str]:
    """Those of `campaigns` the brand's store holds (its performance reports name them or its ledger lists them), in
    order: asked of another brand's."""
    found = con.execute(
        f"with wanted as (select unnest($campaigns) as campaign) "
        f"select distinct campaign from ({_BRANDS_CAMPAIGNS}) semi join wanted using (campaign) order by 1",
        {"campaigns": campaigns, "through": MAX_LOAD_ID},
    ).fetchall()
    return [str(c) for (c,) in found]


def _unfamiliar_ledger(
    con: duckdb.DuckDBPyConnection, rows: str, through: dict[str, int], others: OtherBrands | None
) -> Unfamiliar | None:
    """An UnfamiliarCampaigns when the ledger in table `rows` lists none of the brand's campaigns (`_BRANDS_CAMPAIGNS`);
    an AnotherBrandsCampaigns when those of the brand's it lists are all run by other brands too and it lists one
    only another brand runs (`others`); None otherwise, and when the brand has no campaign yet to compare with."""
    example, verdict = _campaigns_otherwise(con, rows, through)
    if verdict == "shared" and others is not None:
        return _another_brands_ledger(con, rows, through, others)
    if verdict != "other" or example is None:
        return None
    counted = con.execute(
        f"select (select count(distinct campaign) from {ident(rows)}), (select count(*) from ({_BRANDS_CAMPAIGNS}))",
        through,
    ).fetchone()
    assert counted is not None
    return UnfamiliarCampaigns(campaigns=int(counted[0]), example=example, known=int(counted[1]))


def _titled_otherwise(con: duckdb.DuckDBPyConnection, rows: str, through: dict[str, int]) -> tuple[str | None, str]:
    """One of the titles in table `rows` and "other" when none of them carries a word the brand's products are named
    by; None and "named" when one does; None and "unknown" when that cannot be told (the file has no titles, the
    brand neither search terms nor titles). The brand's words: its search terms, and the first word of its stored
    titles when it begins most of them, as Amazon's titles begin with the brand ("Kestrel Whey Protein, 2 lb").
    Compared as whole words, in any case and with or without accents."""
    if TITLE_COLUMN not in _columns(con, rows):
        return None, "unknown"
    words = [*brand_terms(con)]
    leading = con.execute(
        f"""
        with titles as (
            select title from products where title is not null and load_id <= $through
            union all
            select title from {ident(TITLE_HISTORY)} where title is not null and load_id <= $through
        )
        select min(word), count(*) as titles, any_value(total)
        from (select split_part(trim(title), ' ', 1) as word from titles), (select count(*) as total from titles)
        group by lower(word)
        order by titles desc, lower(word)
        limit 1
        """,
        through,
    ).fetchone()
    if leading is not None and leading[0] and leading[1] * 2 > leading[2]:
        words.append(str(leading[0]))
    titles = [
        str(t)
        for (t,) in con.execute(
            f"select distinct {TITLE_COLUMN} from {ident(rows)} where {TITLE_COLUMN} is not null order by 1"
        ).fetchall()
    ]
    if not words or not titles:
        return None, "unknown"
    if any(_within(word, title) for word in words for title in titles):
        return None, "named"
    return titles[0], "other"


def _within(part: str, whole: str) -> bool:
    """Whether `part` stands in `whole` as whole words, in any case, with or without accents: "Nestle" in "Nestlé
    Pure Life"."""
    plain = without_accents(part).casefold()
    return re.search(rf"(?<!\w){re.escape(plain)}(?!\w)", without_accents(whole).casefold()) is not None


def _held(con: duckdb.DuckDBPyConnection, column: str, tables: tuple[str, ...], through: dict[str, int]) -> int:
    """How many distinct values of `column` (ASINs, creators) the brand's `tables` hold, in loads up to `through`."""
    rows = " union all ".join(f"select {ident(column)} as v from {ident(t)} where load_id <= $through" for t in tables)
    held = con.execute(f"select count(distinct v) from ({rows})", through).fetchone()
    return int(held[0]) if held else 0


def _another_brands_ledger(
    con: duckdb.DuckDBPyConnection, rows: str, through: dict[str, int], others: OtherBrands
) -> AnotherBrandsCampaigns | None:
    """An AnotherBrandsCampaigns when every campaign of the ledger in table `rows` that the brand runs is run by
    another brand too, and one it lists is run by another brand and not by this one (the brand holding most of
    them); None otherwise: a campaign only this brand runs makes the ledger its own, and a campaign nobody runs yet
    is one to come."""
    listed = [str(c) for (c,) in con.execute(f"select distinct campaign from {ident(rows)} order by 1").fetchall()]
    mine = set(
        str(c)
        for (c,) in con.execute(
            f"select campaign from ({_BRANDS_CAMPAIGNS}) where campaign in (select campaign from {ident(rows)})",
            through,
        ).fetchall()
    )
    holders = others(partial(held_campaigns, campaigns=listed))
    if any(not any(name in held for _, held in holders) for name in mine):
        return None
    owner, held = max(holders, key=lambda holder: len(set(holder[1]) - mine), default=("", []))
    theirs = sorted(set(held) - mine)
    return AnotherBrandsCampaigns(owner, theirs[0], tuple(sorted(mine))) if theirs else None
