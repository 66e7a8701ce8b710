"""DataFrames written out as CSV, Excel or JSON: ISO dates, empty cells for null, spreadsheet formulas inert."""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from analytics import amounts
from analytics.store.workspaces import plain_letters, slug_of

# What spreadsheets run when a CSV cell starts with it (OWASP "CSV injection"), case by case, as Excel, LibreOffice
# Calc and Google Sheets read a CSV file:
# - "=" starts a formula in all three; tab and carriage return hide what follows (a formula after them in some
#   importers): always escaped;
# - "+" and "-" start a formula in all three unless the rest is a plain number ("-12.50" is a refund, not a
#   formula): escaped unless the cell is a number;
# - "@" is Lotus's function prefix, which Excel still turns into "=" before a function call ("@SUM(A1)"); none of
#   the three evaluates "@dealsbydana", a creator's handle, so a cell of "@" and name characters stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?%?")
_HANDLE = re.compile(r"@[\w.\-]+")


# How the app's own files start: "creator_lift_creators.csv".
APP_PREFIX = "creator_lift_"
# The filter values a file's name carries, at most: past them the name would outgrow what systems allow.
NAMED_FILTERS = 3


def download_file_name(
    file_name: str, extension: str, covering: str | None = None, narrowed: Sequence[str] = (), brand: str | None = None
) -> str:
    """`creators.csv` as `creator_lift_acme-nutrition_creators_Protein_2026-03-01_2026-03-28.xlsx`: the `brand` whose
    rows they are after the app's prefix (none for the demo), then the table, the filter values the rows are narrowed
    to (`narrowed`, up to NAMED_FILTERS, so that a file of one product line's creators is never taken for the file of
    them all), then what the rows cover (`covering`: their dates), so two weeks' files never overwrite each other.
    The app's downloads and the command line's reviews are named by it alike."""
    # A payout approved from a filtered export would pay a subset: the name says which.
    named = "_".join([file_name.rsplit(".", 1)[0], *narrowed[:NAMED_FILTERS]])
    # A creator's handle or a campaign's name may be part of it: only characters every system takes in a file name.
    stem = re.sub(r"[^A-Za-z0-9.-]+", "_", plain_letters(named)).strip("_")
    if brand is not None and stem.startswith(APP_PREFIX):
        # An agency downloads the same table for a dozen brands: each file says whose it is.
        stem = f"{APP_PREFIX}{slug_of(brand)}_{stem.removeprefix(APP_PREFIX)}"
    return f"{stem}_{covering}.{extension}" if covering else f"{stem}.{extension}"


def review_covering(start: date, end: date, comparison: str) -> str:
    """What a review's file name says it covers: its dates, and the comparison when it is not the period before (the
    same week against last year and against the week before are two files, not one overwriting the other)."""
    return f"{start.isoformat()}_{end.isoformat()}" + ("_vs_last_year" if comparison == "year" else "")


def is_formula_risk(text: str) -> bool:
    """Whether a spreadsheet opening this CSV cell could run it as a formula."""
    if not text:
        return False
    first = text[0]
    if first in "=\t\r":
        return True
    if first in "+-":
        return _PLAIN_NUMBER.fullmatch(text) is None or text in ("+", "-")
    if first == "@":
        return _HANDLE.fullmatch(text) is None
    return False


def neutralise_formula(value: object) -> object:
    """A text cell a spreadsheet would run, made plain text with a leading apostrophe; anything else unchanged."""
    if isinstance(value, str) and is_formula_risk(value):
        return "'" + value
    return value


# Digits a double holds for certain: past them, 3.6 worked out as price x rate prints as 3.5999999999999996.
SIGNIFICANT_DIGITS = 15


def _without_binary_noise(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(value) else value


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text and floats to the 15 significant digits a double holds, ready to write (a payout of
    3.5999999999999996 is 3.6; the difference is a ten-thousandth of a billionth of it)."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_float_dtype(column):
            out[name] = column.map(_without_binary_noise, na_action="ignore")
        elif pd.api.types.is_datetime64_any_dtype(column):
            has_time = (column.dropna().dt.normalize() != column.dropna()).any()
            out[name] = column.dt.strftime("%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d")
        elif column.dtype == object:
            out[name] = column.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return out


def frame_to_csv(frame: pd.DataFrame, escape_formulas: bool = True, currency: str | None = None) -> str:
    """CSV text. For downloads from the app (escape_formulas), text cells a spreadsheet would run are escaped
    and lines end in CRLF as RFC 4180 has it, which also makes the writer quote a cell holding a lone CR.
    `currency`: the one the amounts are in, written in a last column of that name (a CSV's bare 4410.0 does not say
    euros from dollars, where an Excel cell's format does).
    """
    out = _plain(frame)
    if currency is not None:
        out["currency"] = currency
    if escape_formulas:
        for name in out.columns:
            if not pd.api.types.is_numeric_dtype(out[name]):
                out[name] = out[name].map(neutralise_formula)
    return out.to_csv(
        index=False, na_rep="", lineterminator="\r\n" if escape_formulas else "\n", float_format=_positional
    )


def _positional(value: float) -> str:
    """A float in plain digits, as many as it holds (0.0000898840555371142, not 8.98840555371142e-05): a warehouse's
    loader reading a DECIMAL column refuses the exponent."""
    return str(np.format_float_positional(value, trim="0"))


def frame_to_json(frame: pd.DataFrame) -> str:
    """A JSON array of row objects; null for missing values, floats to the digits a double holds (`_plain`)."""
    plain = _plain(frame).astype(object)
    records = plain.where(plain.notna(), None).to_dict(orient="records")
    return json.dumps(records, indent=1, default=_json_value)


def _json_value(value: object) -> object:
    item = getattr(value, "item", None)  # numpy scalars
    return item() if callable(item) else str(value)


# Excel number formats by the registry's formats; rates are written as the fractions they are, shown as percents.
# Amounts take the brand's currency (`excel_format`).
EXCEL_FORMATS = {
    "percent": "0.0%",
    # A rate as a file gave it (a catalog's 1.25 % bonus): kept whole, since a payout worked out from it must match.
    "rate": "0.0##%",
    "count": "#,##0",
    "rank": "0.0",
    "rank_change": "+0.0;-0.0;0.0",
    # A change of a rate in percentage points, as the tables write it: the cell holds the points (2.8 for +2.8 pts).
    "points": '+0.0" pts";-0.0" pts";0.0" pts"',
    # The same in hundredths, where a table writes its split so (`POINTS_IN_HUNDREDTHS`).
    "points_hundredths": '+0.00" pts";-0.00" pts";0.00" pts"',
}
# Points shown to two decimals: a split that tenths would misstate is written so on screen, and its cells must read
# as the screen does, or a row no longer adds up (+7.1 - 0.5 under a +6.7).
POINTS_IN_HUNDREDTHS = "points_hundredths"
# Points are written as points (the cell holds 2.834 for +2.834 pts, shown +2.8 pts), to this many decimals: every
# digit of the exact change, without the float noise of multiplying by 100 (0.028 * 100 = 2.8000000000000003).
_POINT_DIGITS = 10
_MONEY_DIGITS = 6  # money's decimals in an Excel cell: every digit a per-unit figure has, not a float's noise


def excel_format(fmt: str, currency: str) -> str:
    """The Excel number format of registry format `fmt`, amounts in `currency` ("$#,##0.00", "€#,##0.00"): the
    sign quoted, as Excel takes any text in a format (a code with its space, "CAD "#,##0.00)."""
    if fmt == "money":
        return "$#,##0.00" if currency == "$" else f'"{amounts.prefix(currency)}"#,##0.00'
    return EXCEL_FORMATS.get(fmt, "General")


def frame_to_xlsx(
    frame: pd.DataFrame,
    formats: Mapping[str, str] | None = None,
    sheet: str = "Creator Lift",
    headers: Mapping[str, str] | None = None,
    currency: str | None = None,
    about: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An Excel workbook of `frame` with typed cells: numbers as numbers, every digit kept and shown as `formats`
    (column -> registry format) says, as the table rounds them (a share of 0.145257 shows 14.5 % and multiplies back
    to the commission; rounded in the cell, it did not), dates as dates, text as text. A text cell is never a
    formula, whatever it starts with, so nothing needs escaping and "@dealsbydana" reads as written. `headers` heads
    columns as a table on screen does (column -> label); the others keep their names. Amounts are shown in
    `currency`, by default the one being written (`amounts.currency`): a workbook made after its page's run, on
    another thread, is handed its page's. `about` (label, value) pairs go on a second sheet, "About": whose rows
    these are, of which days and filters, and when they were written, which a file renamed or pasted into a ledger
    keeps (the table's sheet stays rows alone, for the formulas and pivots built on it)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    currency = currency or amounts.currency()
    book = Workbook(write_only=False)
    sheet_ = book.active
    assert sheet_ is not None
    sheet_.title = sheet[:31]
    titles = [(headers or {}).get(str(name), str(name)) for name in frame.columns]
    sheet_.append(titles)
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for column_number, (name, value) in enumerate(zip(frame.columns, row, strict=True), start=1):
            cell = sheet_.cell(row=row_number, column=column_number)
            value = _excel_value(value, formats.get(str(name)))
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula; this is text
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif value is not None and str(name) in formats:
                cell.number_format = excel_format(formats[str(name)], currency)
    for column_number, title in enumerate(titles, start=1):
        sheet_.column_dimensions[get_column_letter(column_number)].width = max(10, min(len(title) + 4, 40))
    sheet_.freeze_panes = "B2"  # the header and the first column (the creator, ASIN or line) stay in view
    if about:
        said = book.create_sheet("About")
        for label, value in about:
            said.append([label, value])
            said.cell(row=said.max_row, column=2).data_type = "s"  # text, never a formula
        said.column_dimensions["A"].width = 14
        said.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_value(value: object, fmt: str | None) -> object:
    """A cell's value as openpyxl writes it: None for missing, Python numbers, dates and text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        moment: datetime = value.to_pydatetime()
        return moment.date() if moment == datetime(moment.year, moment.month, moment.day) else moment
    if isinstance(value, datetime | date | str | bool):
        return value
    if isinstance(value, Decimal):
        value = float(value)
    item = getattr(value, "item", None)  # numpy and pandas scalars
    number = item() if callable(item) else value
    if isinstance(number, float) and fmt in ("points", POINTS_IN_HUNDREDTHS):
        return round(number * 100, _POINT_DIGITS)
    if isinstance(number, float) and fmt == "money":
        # Sums of cents in floating point end in noise (3.598199999999999): a hundredth of a cent keeps a
        # per-unit figure's digits (3.5982) and drops it.
        return round(number, _MONEY_DIGITS)
    if isinstance(number, int | float):
        return number
    return str(value)
