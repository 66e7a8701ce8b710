"""The data contract as data: the four kinds of table, their columns, value types, aliases and keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

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

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Text columns the current table also stores as integer keys (see `store.insert_current`): counting distinct
    # customers and orders, and grouping them by creator, is several times faster over integers than over text.
    surrogates: tuple[str, ...] = ()

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


def _c(name: str, type_: str, required: bool, description: str, *aliases: str) -> Column:
    return Column(name, type_, required, description, aliases)


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
        _c("units", "count", False, "Units sold.", "units sold", "items sold", "quantity", "attributed units"),
        _c(
            "ntb_orders",
            "count",
            False,
            "Of the orders, how many were new-to-brand.",
            "new to brand orders",
            "ntb purchases",
            "new to brand purchases",
        ),
        _c(
            "sns_orders",
            "count",
            False,
            "Of the orders, how many started or renewed a Subscribe & Save subscription.",
            "subscribe and save orders",
            "sns purchases",
            "subscribe save orders",
        ),
    ),
    key=("date", "campaign", "creator", "asin"),
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
    surrogates=("customer_id", "order_id", "creator"),
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
        _c("asin", "asin", True, "10-character Amazon product id.", "product asin", "child asin"),
        _c(
            "product_line",
            "text",
            True,
            "The brand's own grouping of products.",
            "line",
            "category",
            "product group",
            "product category",
            "brand line",
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
    ),
    key=("asin",),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (PERFORMANCE, ORDERS, RANKS, PRODUCTS)}

UNASSIGNED_PRODUCT_LINE = "Unassigned"


def normalise_header(name: str) -> str:
    """Header text reduced to what identifies it: no BOM, case, units in brackets, spaces or punctuation."""
    name = name.replace("\ufeff", "")
    name = re.sub(r"\(.*?\)|\[.*?\]", "", name)
    return re.sub(r"[^0-9a-z]+", "", name.lower())


def column_for_header(kind: Kind, header: str) -> str | None:
    """The canonical column of `kind` that a file's header names, if any."""
    wanted = normalise_header(header)
    if not wanted:
        return None
    for column in kind.columns:
        if wanted in {normalise_header(n) for n in (column.name, *column.aliases)}:
            return column.name
    return None
