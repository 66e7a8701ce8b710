"""The data contract as data: the four kinds of table, their columns, value types, aliases and keys."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

# Value types. Each has one parsing rule in parsing.py and one storage type here.
SQL_TYPES: dict[str, str] = {
    "date": "date",
    "text": "varchar",
    "asin": "varchar",
    "count": "bigint",
    "money": "decimal(18, 4)",
    "rate": "double",
    "rank": "integer",
    "flag": "boolean",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    description: str
    aliases: tuple[str, ...] = ()
    # A column of the same kind that stands in when a file lacks this one (said in the load message).
    fallback: str | None = None
    # A count that may fall below zero: net units in a period where returns exceed orders.
    signed: bool = False
    # The money column of a return's row: a count that may fall below zero in a row where this one is below zero too
    # (a returned sale's units), and in no other.
    returned_with: str | None = None
    # The value a row takes when its file has no such column or leaves the cell empty.
    default: str | None = None
    # The count this one counts a part of ("of the orders, how many…"): a row where it is the larger is refused, as
    # a column matched to the wrong header or shifted by one gives.
    part_of: str | None = None

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    @property
    def words(self) -> str:
        """The column as a note names it: "new-to-brand orders" for ntb_orders, "buy box %" for buy_box_pct."""
        return " ".join(COLUMN_WORDS.get(word, word) for word in self.name.split("_"))


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Text columns the current table also stores as integer keys (see `store.insert_current`): counting distinct
    # customers, and grouping them by creator, is several times faster over integers than over text.
    surrogates: tuple[str, ...] = ()
    # Besides the required columns, a file of this kind needs at least one of these (a catalog: asin plus any
    # column it updates).
    one_of: tuple[str, ...] = ()
    # A file changes only the columns it carries; the stored values of the others stay (a partial catalog).
    partial: bool = False
    # The first and last day of a row that spans days (an event, a campaign): a row ending before it starts is
    # refused, as a period's is (`report_periods.stated_columns` checks the period kinds').
    span: tuple[str, str] | None = None

    @property
    def table(self) -> str:
        return self.name

    @property
    def history_table(self) -> str:
        return f"{self.name}_history"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def reads_titles(self) -> bool:
        """Whether a file of this kind may carry its ASINs' product titles beside the rows (`title_header`): kept
        apart from them as the names of products the catalog leaves untitled. Every kind naming ASINs but the
        catalog, whose title is a column of its own."""
        return "asin" in self.column_names and "title" not in self.column_names

    @property
    def day_columns(self) -> tuple[str, ...]:
        """The date columns saying which days a row is about, its required ones: a catalog's launch dates are not."""
        return tuple(c.name for c in self.columns if c.type == "date" and c.required)

    def missing(self, found: set[str] | dict[str, int]) -> list[str]:
        """What a file with the columns `found` lacks to be of this kind: required columns, or "one of …"."""
        missing = [c for c in self.required if c not in found]
        if self.one_of and not any(c in found for c in self.one_of):
            missing.append("one of " + "/".join(self.one_of))
        return missing

    @staticmethod
    def surrogate_column(name: str) -> str:
        """The current table's integer key column standing for the text column `name`."""
        return f"{name}_key"

    @staticmethod
    def surrogate_table(name: str) -> str:
        """The dictionary of every value of the text column `name` ever stored, each with its integer key (never
        reused)."""
        return f"{name}_keys"

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def _c(name: str, type_: str, required: bool, description: str, *aliases: str, part_of: str | None = None) -> Column:
    return Column(name, type_, required, description, aliases, part_of=part_of)


PERFORMANCE = Kind(
    name="performance",
    description="Creator Connections campaign performance: one row per day, campaign, creator and ASIN.",
    columns=(
        _c("date", "date", True, "The day the clicks and purchases happened.", "day", "report date", "event date"),
        _c(
            "creator",
            "text",
            True,
            "The creator's name or store id.",
            "store id",
            "creator name",
            "influencer",
            "influencer name",
            "creator handle",
            "storefront",
            "tracking id",
        ),
        _c("asin", "asin", True, "10-character Amazon product id.", "product asin", "asin id", "child asin"),
        _c("clicks", "count", True, "Clicks on the creator's links to this ASIN.", "link clicks", "total clicks"),
        Column(
            "orders",
            "count",
            True,
            "Attributed purchases.",
            ("purchases", "conversions", "attributed orders", "attributed purchases", "total orders"),
            # Affiliate platforms such as Archer export units sold but no order count.
            fallback="units",
        ),
        _c(
            "revenue",
            "money",
            True,
            "Attributed sales, in the marketplace currency.",
            "sales",
            "attributed sales",
            "product sales",
            "total sales",
            "revenue usd",
            "attributed revenue",
        ),
        _c(
            "commission",
            "money",
            True,
            "Bonus commission spend the brand pays for these sales.",
            "commission spend",
            "commission paid",
            "bonus commission",
            "commission earned",
            "total commission",
        ),
        _c("campaign", "text", False, "Campaign name or id.", "campaign name", "campaign id"),
        Column(
            "program",
            "text",
            False,
            "The program that paid for the sales: creator_connections unless the file or the upload names another "
            "(archer, levanta, impact, or the user's own name).",
            ("affiliate program", "program name"),
            default="creator_connections",
        ),
        Column(
            "units",
            "count",
            False,
            "Units sold; a return's row carries them below zero, as its revenue.",
            ("units sold", "items sold", "quantity", "attributed units"),
            returned_with="revenue",
        ),
        _c(
            "ntb_orders",
            "count",
            False,
            "Of the orders, how many were new-to-brand.",
            "new to brand orders",
            "ntb purchases",
            "new to brand purchases",
            part_of="orders",
        ),
        _c(
            "sns_orders",
            "count",
            False,
            "Of the orders, how many started or renewed a Subscribe & Save subscription.",
            "subscribe and save orders",
            "sns purchases",
            "subscribe save orders",
            part_of="orders",
        ),
    ),
    # The program closes the key so two programs' rows never replace each other (its place at the end keeps the
    # duplicate-row message's wording).
    key=("date", "campaign", "creator", "asin", "program"),
)

ORDERS = Kind(
    name="orders",
    description="Attributed and unattributed order lines, one row per order line.",
    columns=(
        _c("order_id", "text", True, "The order's id.", "amazon order id", "order number", "order"),
        _c("order_date", "date", True, "The day of the order.", "purchase date", "order day", "date"),
        _c("customer_id", "text", True, "A stable hashed customer id.", "customer", "hashed customer id", "buyer id"),
        _c("asin", "asin", True, "10-character Amazon product id.", "product asin", "child asin"),
        _c("revenue", "money", True, "The line's sales.", "sales", "item price", "line revenue", "product sales"),
        _c(
            "creator",
            "text",
            False,
            "The creator the line is attributed to; empty for the brand's baseline orders.",
            "store id",
            "creator name",
            "influencer",
        ),
        _c("campaign", "text", False, "Campaign name or id.", "campaign name", "campaign id"),
        _c("units", "count", False, "Units on the line.", "quantity", "units sold", "qty"),
        _c("new_to_brand", "flag", False, "The customer had not bought from the brand in the past year.", "ntb"),
        _c(
            "subscribe_and_save",
            "flag",
            False,
            "The line started or renewed a Subscribe & Save subscription.",
            "sns",
            "subscribe save",
        ),
    ),
    key=("order_id", "asin"),
    surrogates=("customer_id", "creator"),
)

RANKS = Kind(
    name="ranks",
    description="Organic keyword rank, one row per day, ASIN and keyword.",
    columns=(
        _c("date", "date", True, "The day of the reading.", "date added", "tracked date", "day"),
        _c("asin", "asin", True, "10-character Amazon product id.", "product asin"),
        _c("keyword", "text", True, "The search term.", "search term", "keyword phrase", "search query"),
        _c(
            "organic_rank",
            "rank",
            True,
            "Position in organic search; not-ranked readings are empty.",
            "organic position",
            "rank",
            "organic",
        ),
        _c("sponsored_rank", "rank", False, "Position among sponsored results.", "sponsored position", "sponsored"),
        _c("search_volume", "count", False, "Estimated monthly searches for the keyword.", "volume", "monthly volume"),
    ),
    key=("date", "asin", "keyword"),
)

PRODUCTS = Kind(
    name="products",
    description="The catalog: one row per ASIN.",
    columns=(
        # "asin1" is Seller Central's All Listings Report, a brand's own list of its products, one row per SKU.
        _c("asin", "asin", True, "10-character Amazon product id.", "product asin", "child asin", "asin1"),
        Column(
            "product_line",
            "text",
            False,
            "The brand's own grouping of products; an ASIN new to the catalog without one is Unassigned.",
            ("line", "category", "product group", "product category", "brand line"),
            default="Unassigned",
        ),
        _c("title", "text", False, "Product title.", "product name", "item name", "product title", "name"),
        _c("price", "money", False, "Current selling price.", "list price", "selling price", "your price"),
        _c("launch_date", "date", False, "When the ASIN first went on sale.", "launch", "release date", "launched"),
        _c(
            "activation_date",
            "date",
            False,
            "When the ASIN entered Creator Connections.",
            "activation",
            "activated",
            "cc start date",
            "program start",
        ),
        _c(
            "standard_rate",
            "rate",
            False,
            "Amazon's standard affiliate rate for the category.",
            "standard commission",
            "standard commission rate",
            "base rate",
            "category rate",
        ),
        _c(
            "bonus_rate",
            "rate",
            False,
            "The brand's bonus commission rate.",
            "bonus commission rate",
            "bonus commission",
            "cc rate",
            "creator connections rate",
        ),
        _c(
            "effective_date",
            "date",
            False,
            "The day the row's rates take effect (empty: the day the file is loaded). A file may carry an ASIN "
            "once per effective date; each rate holds until the next.",
            "effective date",
            "rate effective from",
            "effective from",
            "rate effective date",
            "rate start date",
            "valid from",
        ),
    ),
    key=("asin",),
    one_of=("product_line", "title", "price", "launch_date", "activation_date", "standard_rate", "bonus_rate"),
    partial=True,
)

EVENTS = Kind(
    name="events",
    description="Named date ranges that move sales and rank on their own (Prime Day, deal days): one row per event.",
    columns=(
        _c("name", "text", True, "The event's name.", "event", "event name"),
        _c("start", "date", True, "The event's first day.", "start date", "first day"),
        _c("end", "date", True, "The event's last day, inclusive.", "end date", "last day"),
    ),
    key=("name", "start"),
    span=("start", "end"),
)

# Columns every kind of period × something file carries: the first and last day (inclusive) its row covers.
PERIOD_COLUMNS = ("period_start", "period_end")


def _period_columns() -> tuple[Column, ...]:
    """A period's first and last day, from the row, the lines above the header, or the person loading the file."""
    return (
        _c(
            "period_start",
            "date",
            True,
            "The first day of the period the row covers.",
            "start date",
            "period start",
            "from date",
            "week start",
            "date",
            "day",
        ),
        _c(
            "period_end",
            "date",
            True,
            "The last day of the period the row covers, inclusive.",
            "end date",
            "period end",
            "to date",
            "week end",
            "reporting date",
        ),
    )


SALES = Kind(
    name="sales",
    description="All sales and traffic of each ASIN over a period (Business Report, Vendor Central): one row per "
    "period and ASIN.",
    columns=(
        *_period_columns(),
        _c("asin", "asin", True, "10-character Amazon product id (the child ASIN).", "child asin", "product asin"),
        _c(
            "total_revenue",
            "money",
            True,
            "All ordered product sales of the ASIN in the period, through creators or not.",
            "ordered product sales",
            "ordered revenue",
            "gross product sales",
        ),
        Column(
            "total_units",
            "count",
            True,
            "Units ordered in the period; Vendor Central nets returns, so it can be negative.",
            ("units ordered", "ordered units"),
            signed=True,
        ),
        _c("sessions", "count", False, "Sessions on the product's detail page.", "sessions total"),
        _c(
            "buy_box_pct",
            "rate",
            False,
            "Share of page views where the brand's offer held the Buy Box (Featured Offer).",
            "featured offer (buy box) percentage",
            "buy box percentage",
            "featured offer percentage",
        ),
    ),
    key=("period_start", "period_end", "asin"),
)

SEARCH = Kind(
    name="search",
    description="Brand Analytics Search Query Performance: one row per period and search query (and ASIN, for the "
    "ASIN View).",
    columns=(
        *_period_columns(),
        _c("search_query", "text", True, "The query shoppers typed.", "search query", "query"),
        _c("search_query_volume", "count", True, "How many times shoppers searched the query.", "search query volume"),
        _c(
            "impressions_total",
            "count",
            False,
            "Impressions of every product for the query.",
            "impressions total count",
        ),
        _c(
            "impressions_brand",
            "count",
            False,
            "Impressions of the brand's products (the ASIN's, in the ASIN View).",
            "impressions brand count",
            "impressions asin count",
        ),
        _c("clicks_total", "count", True, "Clicks on every product for the query.", "clicks total count"),
        _c(
            "clicks_brand",
            "count",
            True,
            "Clicks on the brand's products (the ASIN's, in the ASIN View).",
            "clicks brand count",
            "clicks asin count",
        ),
        _c("purchases_total", "count", False, "Purchases of every product for the query.", "purchases total count"),
        _c(
            "purchases_brand",
            "count",
            False,
            "Purchases of the brand's products (the ASIN's, in the ASIN View).",
            "purchases brand count",
            "purchases asin count",
        ),
        _c("asin", "asin", False, "The ASIN of an ASIN View file; empty for the Brand View.", "asin or product"),
    ),
    key=("period_start", "period_end", "search_query", "asin"),
)

REPEAT_PURCHASE = Kind(
    name="repeat_purchase",
    description="Brand Analytics Repeat Purchase Behavior: one row per period and ASIN.",
    columns=(
        *_period_columns(),
        _c("asin", "asin", True, "10-character Amazon product id.", "product asin"),
        _c("orders", "count", False, "Orders of the ASIN in the period.", "number of orders"),
        _c("unique_customers", "count", True, "Distinct customers who ordered it.", "unique customer count"),
        _c(
            "repeat_customers_pct",
            "rate",
            True,
            "Share of those customers who ordered more than once in the period.",
            "repeat customer share: % share of total customers",
            "repeat customers % total",
            "repeat customers pct total",
        ),
        _c(
            "repeat_purchase_revenue",
            "money",
            False,
            "Sales from those repeat orders.",
            "repeat ordered product sales: sales",
            "repeat purchase revenue",
        ),
    ),
    key=("period_start", "period_end", "asin"),
)

COHORTS = Kind(
    name="cohorts",
    description="Buyer counts from a clean-room (Amazon Marketing Cloud) or warehouse query, no customer ids: one row "
    "per period and creator (blank for all buyers), optionally per campaign and ASIN.",
    columns=(
        *_period_columns(),
        _c(
            "creator",
            "text",
            False,
            "The creator whose attributed buyers the row counts; empty for all of the brand's buyers.",
            "store id",
            "creator name",
            "influencer",
        ),
        _c("campaign", "text", False, "Campaign name or id; empty for every campaign.", "campaign name", "campaign id"),
        _c("asin", "asin", False, "10-character Amazon product id; empty for every one.", "product asin", "child asin"),
        _c("buyers", "count", True, "Distinct buyers in the period.", "unique buyers", "total buyers", "purchasers"),
        _c(
            "ntb_buyers",
            "count",
            False,
            "Of the buyers, how many were new to the brand.",
            "new to brand buyers",
            "ntb customers",
            "new to brand customers",
            part_of="buyers",
        ),
        _c(
            "repeat_buyers",
            "count",
            False,
            "Of the buyers, how many bought from the brand again.",
            "repeat customers",
            "returning buyers",
            "repeat purchasers",
            part_of="buyers",
        ),
        _c(
            "sns_buyers",
            "count",
            False,
            "Of the buyers, how many started or renewed a Subscribe & Save subscription.",
            "subscribe and save buyers",
            "sns customers",
            "subscribe and save customers",
            part_of="buyers",
        ),
    ),
    key=("period_start", "period_end", "creator", "campaign", "asin"),
)

CAMPAIGNS = Kind(
    name="campaigns",
    description="The brand's campaign ledger: each campaign's dates, commission budget and bonus rate.",
    columns=(
        _c("campaign", "text", True, "Campaign name, as the performance report spells it.", "campaign name", "name"),
        Column(
            "program",
            "text",
            False,
            "The program that pays the campaign's commission: creator_connections unless the file names another.",
            ("affiliate program", "program name"),
            default="creator_connections",
        ),
        _c("type", "text", True, "always-on, launch or event.", "campaign type", "kind"),
        _c("start", "date", True, "The campaign's first day.", "start date", "first day"),
        _c("end", "date", True, "The campaign's last day, inclusive.", "end date", "last day"),
        _c("budget", "money", True, "The commission the brand set aside for the campaign.", "commission budget"),
        _c("bonus_rate", "rate", False, "The bonus commission rate the campaign offers.", "bonus rate", "bonus"),
    ),
    key=("campaign", "program"),
    span=("start", "end"),
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (PERFORMANCE, ORDERS, RANKS, PRODUCTS, EVENTS, SALES, SEARCH, REPEAT_PURCHASE, COHORTS, CAMPAIGNS)
}

# Each kind as a sentence names its files: "Loaded so far: Business Report and catalog."
KIND_NOUNS = {
    "performance": "performance report",
    "sales": "Business Report",
    "products": "catalog",
    "ranks": "keyword ranks",
    "orders": "order lines",
    "events": "events",
    "search": "Search Query Performance",
    "repeat_purchase": "Repeat Purchase Behavior",
    "cohorts": "buyer cohorts",
    "campaigns": "campaign ledger",
}

# The money totals a load or an undo of each kind is told by: what finance checks a restated file against.
MONEY_TOTALS: dict[str, tuple[str, ...]] = {
    "performance": ("revenue", "commission"),
    "orders": ("revenue",),
    "sales": ("total_revenue",),
    "repeat_purchase": ("repeat_purchase_revenue",),
    "campaigns": ("budget",),
}

# The abbreviations of column names spelled out, for notes a marketer reads (`Column.words`).
COLUMN_WORDS = {"ntb": "new-to-brand", "sns": "Subscribe & Save", "asin": "ASIN", "pct": "%", "id": "ID"}
UNASSIGNED_PRODUCT_LINE = "Unassigned"
# The dates on which something was observed (a click, an order, a rank reading): one before this year or after
# tomorrow is a typing or export mistake, refused with its line, because a single row dated 9999-12-31 would
# otherwise move every page's default period to an empty future. Planned dates (launches, campaign ends, events,
# rate changes) may lie ahead and are not checked.
EARLIEST_PLAUSIBLE_YEAR = 2000
OBSERVED_DATES: dict[str, tuple[str, ...]] = {"performance": ("date",), "orders": ("order_date",), "ranks": ("date",)}
DEFAULT_PROGRAM = "creator_connections"
# Programs the product knows by name; a file's own spelling ("Creator Connections", "ARCHER") is read as these.
KNOWN_PROGRAMS = ("creator_connections", "archer", "levanta", "impact")


def program_label(program: str) -> str:
    """A program as people name it: "creator_connections" as "Creator Connections"."""
    return program.replace("_", " ").strip().title() or program


# Cached: finding a header compares every cell of the top lines with every alias of every kind.
@lru_cache(maxsize=8192)
def normalise_header(name: str) -> str:
    """Header text reduced to what identifies it: no BOM, case, units in brackets, spaces or punctuation."""
    name = name.replace("\ufeff", "")
    # Business Reports carry "(Parent) ASIN" and "(Child) ASIN": there the bracket is what tells them apart.
    name = re.sub(r"\((child|parent)\)", r"\1 ", name, flags=re.IGNORECASE)
    name = re.sub(r"\(.*?\)|\[.*?\]", "", name)
    return re.sub(r"[^0-9a-z]+", "", name.lower())


# The headers of a product title in files other than the catalog: the Business Report's "Title", a rank tracker's
# "Product Title", an export's "Product Name". Not "name" alone, which names a creator or an event as often.
PRODUCT_TITLE_HEADERS = ("title", "product title", "product name", "item name")


def title_header(kind: Kind, header: list[str], taken: Collection[int]) -> int | None:
    """The position of the product title among a file's `header` cells, those at `taken` left out (they feed the
    kind's columns), when a file of `kind` keeps titles apart (`Kind.reads_titles`)."""
    if not kind.reads_titles:
        return None
    titles = {normalise_header(h) for h in PRODUCT_TITLE_HEADERS}
    return next((i for i, h in enumerate(header) if i not in taken and normalise_header(h) in titles), None)


def column_for_header(kind: Kind, header: str) -> str | None:
    """The canonical column of `kind` that a file's header names, if any."""
    named = named_column(kind, header)
    return named[0] if named else None


def named_column(kind: Kind, header: str) -> tuple[str, int] | None:
    """The canonical column of `kind` that a file's header names, with how closely: 0 for the column's own name, then
    its aliases' order. A file with two headers for one column ("Campaign ID" and "Campaign name") feeds it from the
    closer, whatever their order in the file."""
    wanted = normalise_header(header)
    if not wanted:
        return None
    for column in kind.columns:
        names = [normalise_header(n) for n in (column.name, *column.aliases)]
        if wanted in names:
            return column.name, names.index(wanted)
    return None
