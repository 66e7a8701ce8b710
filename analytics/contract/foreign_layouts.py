"""Layouts Creator Lift knows but does not read, and the programs a layout names, declared as data.

A foreign layout is refused by name before any kind is inferred: its headers match enough aliases (an Associates
Fee-Earnings report has an ASIN, `Revenue($)` and `Tracking ID`) that it would otherwise pass for brand data.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from analytics.contract.kinds import KINDS, column_for_header, normalise_header

# What to upload instead, said at the end of every refusal.
READS = (
    "Creator Lift reads the brand's own downloads: the Creator Connections campaign performance export, Business "
    "Reports, Brand Analytics Search Query Performance and Repeat Purchase reports, order lines or cohorts, keyword "
    "ranks and the product catalog"
)


@dataclass(frozen=True)
class ForeignLayout:
    name: str  # "an Amazon Associates Fee-Orders report"; `{0}` takes the title pattern's first group
    holds: str  # what the file is about, for the refusal sentence: "the creator's earnings"
    # A title line (above the header) matching this pattern, searched case-insensitively, marks the layout.
    title_pattern: str | None = None
    # Each entry is a set of headers that together mark the layout (compared as `normalise_header` does); one
    # entry found is enough. A single common word (`Spend`, `Tag`) only ever marks it together with another.
    markers: tuple[tuple[str, ...], ...] = ()
    # A column of ours that, named by any header (through any kind's aliases) or by the user's mapping, says the file
    # is not this layout: a report by date has no ASIN column.
    unless_named: str | None = None
    # At least this many headers that are dates: a table with a column per day.
    dated_headers: int = 0
    # What to upload instead, when the brand's own download in another shape is the fix; else the general list.
    instead: str = READS

    def marked_by_columns(self, header: list[str], mapped: Collection[str] = ()) -> bool:
        """Whether the header holds one of the layout's sets of marker columns (and nothing naming `unless_named`,
        which `mapped`, the columns of ours a mapping feeds, may also do; and its dated headers)."""
        present = {normalise_header(h) for h in header}
        if self.unless_named is not None and (
            self.unless_named in mapped
            or any(column_for_header(kind, h) == self.unless_named for kind in KINDS.values() for h in header)
        ):
            return False
        if sum(1 for h in header if _DATE_HEADER.fullmatch(h.strip())) < self.dated_headers:
            return False
        return any(all(normalise_header(h) in present for h in marker) for marker in self.markers)

    def title_match(self, title_lines: list[str]) -> re.Match[str] | None:
        """The title line that marks the file as this layout, if any."""
        for line in title_lines if self.title_pattern else ():
            found = re.search(self.title_pattern or "", line.replace("\ufeff", ""), re.IGNORECASE)
            if found:
                return found
        return None


# A header that is a day: 11/1/2026, 2026-11-01, 1.11.2026.
_DATE_HEADER = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


@dataclass(frozen=True)
class Found:
    """A known layout a file was recognised as, and whether its columns say so (else only a title line does)."""

    name: str
    holds: str
    by_columns: bool
    instead: str = READS

    def refusal(self, file_name: str) -> str:
        """The sentence refusing the file by name."""
        return f"{file_name}: this is {self.name}, {self.holds}; {self.instead}."


# Most specific first: the first layout that matches names the file.
FOREIGN_LAYOUTS: tuple[ForeignLayout, ...] = (
    ForeignLayout(
        "an Amazon Associates Fee-Orders report",
        "the creator's earnings (the items ordered through their own links)",
        title_pattern=r"^\W*Fee-Orders reports? from",
        markers=(("Link Type",), ("Indirect Sales",), ("Tag", "Qty")),
    ),
    ForeignLayout(
        "an Amazon Associates Fee-Earnings report",
        "the creator's earnings (the commission on items shipped)",
        title_pattern=r"^\W*Fee-Earnings reports? from",
        markers=(("Ad Fees($)",), ("Tracking ID", "Date Shipped"), ("Items Shipped", "Returns", "Revenue($)")),
    ),
    ForeignLayout(
        "an Amazon Associates {0} report",
        "the creator's earnings, from their own Associates account",
        title_pattern=r"^\W*(Fee-[A-Za-z]+) reports? from",
    ),
    ForeignLayout(
        "a Sponsored Products search term report",
        "advertising spend and sales by shopper search term",
        markers=(("Customer Search Term",),),
    ),
    ForeignLayout(
        "a Sponsored Products advertised product report",
        "advertising spend and sales by advertised product",
        markers=(("Advertised ASIN",), ("Advertised SKU",), ("7 Day Total Orders (#)",)),
    ),
    ForeignLayout(
        "a Sponsored Brands campaign report",
        "advertising spend and sales by campaign",
        markers=(("14 Day Total Sales",), ("14 Day New-to-brand Orders (#)",), ("Cost Type", "Spend")),
    ),
    ForeignLayout(
        "a Sponsored Products or Brands console report",
        "advertising spend and sales",
        markers=(
            ("Spend", "Total Advertising Cost of Sales (ACOS)"),
            ("Cost Per Click (CPC)",),
            ("Click-Thru Rate (CTR)",),
            ("7 Day Total Sales",),
        ),
    ),
    ForeignLayout(
        "a Brand Analytics Top Search Terms report",
        "the marketplace's most searched terms and their top clicked products",
        markers=(
            ("Search Frequency Rank",),
            ("Top Clicked Brand #1",),
            ("Top Clicked Product #1: ASIN",),
            ("#1 Clicked ASIN",),
        ),
    ),
    ForeignLayout(
        "a Business Report by date",
        "the whole account's sales and traffic per day, with no ASIN to tell products apart",
        markers=(("Date", "Ordered Product Sales"), ("Date", "Units Ordered"), ("Date", "Sessions - Total")),
        unless_named="asin",
        instead=(
            "Creator Lift reads the Detail Page Sales and Traffic By Child Item report (Seller Central → Reports → "
            "Business Reports), which has a row per ASIN: download that one for the same dates"
        ),
    ),
    ForeignLayout(
        "a Business Report by parent item",
        "each parent ASIN's sales and traffic, its variations (the ASINs creators link to) added together",
        markers=(
            ("(Parent) ASIN", "Ordered Product Sales"),
            ("(Parent) ASIN", "Units Ordered"),
            ("(Parent) ASIN", "Sessions - Total"),
        ),
        unless_named="asin",
        instead=(
            "Creator Lift reads the Detail Page Sales and Traffic By Child Item report (Seller Central → Reports → "
            "Business Reports), which has a row per child ASIN: download that one for the same dates"
        ),
    ),
    ForeignLayout(
        "a keyword rank table with a column per day",
        "each keyword's rank by date across the columns",
        markers=(("Keyword",), ("Search Term",), ("Search Volume",)),
        dated_headers=3,
        instead=(
            "Creator Lift reads ranks as one row per day, ASIN and keyword (date, asin, keyword, organic_rank; the "
            "Data page's ranks template shows them): export the tracker's history in that long form, or reshape the "
            "sheet to it"
        ),
    ),
    ForeignLayout(
        "an FBA Subscribe & Save forecast",
        "the Subscribe & Save units scheduled for the coming weeks",
        markers=(
            ("scheduled-sns-units-week-1",),
            ("active-subscriptions",),
            ("estimated-avg-sns-discount-next-8-weeks",),
        ),
    ),
)


def foreign_layout(header: list[str], title_lines: list[str], mapped: Collection[str] = ()) -> Found | None:
    """The known layout the file is, if its columns mark it as one, else if a title line does.

    Columns come first: a title line alone (`Fee-Orders reports from …` above a brand's own header, as a re-saved
    file can carry) is weaker evidence, which `ingest.layout.detect` weighs against the columns.
    """
    for layout in FOREIGN_LAYOUTS:
        if layout.marked_by_columns(header, mapped):
            title = layout.title_match(title_lines)
            return Found(layout.name.format(*(title.groups() if title else ("",))), layout.holds, True, layout.instead)
    for layout in FOREIGN_LAYOUTS:
        title = layout.title_match(title_lines)
        if title:
            return Found(layout.name.format(*title.groups()), layout.holds, False, layout.instead)
    return None


@dataclass(frozen=True)
class ProgramLayout:
    """An export whose exact header spelling says which program paid for its sales."""

    program: str
    headers: tuple[str, ...]  # all present, spelled exactly (after trimming): camelCase is what marks Archer

    def matches(self, header: list[str]) -> bool:
        present = {h.replace("\ufeff", "").strip() for h in header}
        return all(h in present for h in self.headers)


PROGRAM_LAYOUTS: tuple[ProgramLayout, ...] = (ProgramLayout("archer", ("unitsSold", "commissionPaid")),)


def program_of_layout(header: list[str]) -> str | None:
    """The program an export's own header names (Archer's camelCase columns), or None."""
    for layout in PROGRAM_LAYOUTS:
        if layout.matches(header):
            return layout.program
    return None
