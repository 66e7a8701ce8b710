"""Brand Analytics reports as the Selling Partner API writes them (JSON, rows under `dataByAsin`), turned into a
CSV with the contract's column names, so they take the same path as every other file.

The CSV has its header on line 1, so the record numbered n (from 1) in `dataByAsin` is its line n + 1: a refusal
names it as the record, and a column by the record's own field (`in_json_records`).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from analytics.ingest.layout import FileRejectedError

# Canonical column <- path of the value inside one `dataByAsin` record, per report type (Amazon's schemas
# sellingPartnerRepeatPurchaseReport.json and sellingPartnerSearchQueryPerformanceReport.json). Rates are 0-1
# fractions there, which is how the contract reads a rate without a % sign.
REPORT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT": {
        "period_start": ("startDate",),
        "period_end": ("endDate",),
        "asin": ("asin",),
        "orders": ("orders",),
        "unique_customers": ("uniqueCustomers",),
        "repeat_customers_pct": ("repeatCustomersPctTotal",),
        "repeat_purchase_revenue": ("repeatPurchaseRevenue", "amount"),
    },
    "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT": {
        "period_start": ("startDate",),
        "period_end": ("endDate",),
        "asin": ("asin",),
        "search_query": ("searchQueryData", "searchQuery"),
        "search_query_volume": ("searchQueryData", "searchQueryVolume"),
        "impressions_total": ("impressionData", "totalQueryImpressionCount"),
        "impressions_brand": ("impressionData", "asinImpressionCount"),
        "clicks_total": ("clickData", "totalClickCount"),
        "clicks_brand": ("clickData", "asinClickCount"),
        "purchases_total": ("purchaseData", "totalPurchaseCount"),
        "purchases_brand": ("purchaseData", "asinPurchaseCount"),
    },
}
# A record's own fields tell the report apart when `reportSpecification` is missing (a file cut down by hand).
_MARKERS = {
    "GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT": "uniqueCustomers",
    "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT": "searchQueryData",
}


# Beside the CSV in the work folder: the report's columns, canonical -> field path, for a refusal's words; and what
# reading the records left out, for the load's notes.
FIELDS_NOTE = "json_fields.json"
LEFT_OUT_NOTE = "json_left_out.txt"
# The fields that say which row a record is, not what it counts: a record with nothing else is no figures.
_NAMING = ("period_start", "period_end", "asin", "search_query")
# The most ASINs a note names one by one.
_NAMED = 3


def is_json(path: Path, name: str) -> bool:
    """Whether the upload is a JSON document (by its name, or by its first character)."""
    if name.lower().endswith(".json"):
        return True
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _value(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _cell(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at `path` of one record, an amount written with the currency code Amazon gives beside it
    ("EUR 1079.73"), so that the read knows its currency as it knows a cell's sign: the numbers alone would load into
    a dollar brand as dollars."""
    value = _value(record, path)
    code = _value(record, (*path[:-1], "currencyCode")) if path[-1] == "amount" else None
    written = isinstance(value, int | float) and not isinstance(value, bool) or isinstance(value, str) and value.strip()
    if isinstance(code, str) and code.strip() and written:
        return f"{code.strip()} {str(value).strip()}"
    return value


def _named(record: dict[str, Any]) -> str:
    """A record as a note names it: by its search query where it has one (a Search Query Performance record, whose
    ASIN many queries share), else by its ASIN."""
    query = _value(record, ("searchQueryData", "searchQuery"))
    if isinstance(query, str) and query.strip():
        return f"'{query.strip()}'"
    return str(record.get("asin") or "no ASIN")


def _report_type(document: dict[str, Any], records: list[Any]) -> str | None:
    specification = document.get("reportSpecification")
    stated = specification.get("reportType") if isinstance(specification, dict) else None
    if stated in REPORT_COLUMNS:
        return str(stated)
    first = records[0] if records and isinstance(records[0], dict) else {}
    return next((report for report, marker in _MARKERS.items() if marker in first), None)


def json_to_csv(path: Path, name: str, work_dir: Path) -> Path:
    """The report's `dataByAsin` records as a CSV of contract columns, one row per record."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = f", line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise FileRejectedError(f"{name}{line}: the file is not valid JSON.") from None
    records = document.get("dataByAsin") if isinstance(document, dict) else None
    report = _report_type(document, records) if isinstance(records, list) else None
    if not isinstance(records, list) or report is None:
        raise FileRejectedError(
            f"{name}: this JSON file is not a Brand Analytics report Creator Lift reads; it reads the SP-API "
            "Repeat Purchase and Search Query Performance reports, whose rows are under dataByAsin."
        )
    if not records:
        raise FileRejectedError(f"{name}: the report's dataByAsin holds no rows.")
    columns = REPORT_COLUMNS[report]
    figures = [i for i, canonical in enumerate(columns) if canonical not in _NAMING]
    rows, empty = [], []
    for record in records:
        values = [_cell(record, path) if isinstance(record, dict) else None for path in columns.values()]
        if isinstance(record, dict) and all(values[i] is None for i in figures):
            # Amazon's schema lets every figure of a record be null (an ASIN named with nothing to report): no row to
            # load, and no reason to refuse the month's report over it.
            empty.append(_named(record))
            values = [None] * len(values)
        # Every record keeps its line, so that line n + 1 is record n: an empty one's is blank, which the read skips.
        rows.append(values)
    if len(empty) == len(records):
        raise FileRejectedError(f"{name}: every record of the report's dataByAsin is empty: it holds no figures.")
    target = work_dir / "report.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for values in rows:
            # One line per record: a line break inside a value is a space.
            writer.writerow(
                ["" if v is None else " ".join(v.splitlines()) if isinstance(v, str) else v for v in values]
            )
    fields = {canonical: ".".join(path) for canonical, path in columns.items()}
    (work_dir / FIELDS_NOTE).write_text(json.dumps(fields), encoding="utf-8")
    if empty:
        named = ", ".join(empty[:_NAMED]) + (f" and {len(empty) - _NAMED:,} more" if len(empty) > _NAMED else "")
        records_word = "record" if len(empty) == 1 else "records"
        (work_dir / LEFT_OUT_NOTE).write_text(
            f"{len(empty):,} {records_word} of dataByAsin with every figure empty left out ({named})", encoding="utf-8"
        )
    return target


def left_out_note(work_dir: Path) -> str | None:
    """What reading an SP-API report left out (`json_to_csv`), for the load's notes."""
    note = work_dir / LEFT_OUT_NOTE
    return note.read_text(encoding="utf-8") if note.exists() else None


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st: a record counted from one, as a person counts, unlike an index."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def in_json_records(message: str, work_dir: Path) -> str:
    """A refusal of the CSV an SP-API report was read into, named as the person finds it in the JSON: "line 6,
    column 'unique_customers'" -> "the 5th record of dataByAsin, field 'uniqueCustomers'"; as it is otherwise."""
    note = work_dir / FIELDS_NOTE
    if not note.exists():
        return message
    fields: dict[str, str] = json.loads(note.read_text(encoding="utf-8"))

    def records(found: re.Match[str]) -> str:
        lines = [int(number) for number in found.group(0).split()[1::2]]
        if min(lines) < 2:  # the header's line: not a record
            return found.group(0)
        numbers = " and ".join(_ordinal(line - 1) for line in lines)
        return f"the {numbers} record{'s' if len(lines) > 1 else ''} of dataByAsin"

    named = re.sub(r"\blines? \d+(?: and \d+)?", records, message)
    return re.sub(
        r"column '([a-z_]+)'",
        lambda found: f"field '{fields[found.group(1)]}'" if found.group(1) in fields else found.group(0),
        named,
    )
