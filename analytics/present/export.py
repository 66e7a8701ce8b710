"""DataFrames written out as CSV or JSON: ISO dates, empty cells for null, spreadsheet formulas neutralised."""

from __future__ import annotations

import json

import pandas as pd

# A cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text and whole-number float columns as integers, ready to write."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            has_time = (column.dropna().dt.normalize() != column.dropna()).any()
            out[name] = column.dt.strftime("%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d")
        elif column.dtype == object:
            out[name] = column.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return out


def frame_to_csv(frame: pd.DataFrame, escape_formulas: bool = True) -> str:
    """CSV text. For downloads from the app (escape_formulas), text cells a spreadsheet would run are escaped
    and lines end in CRLF as RFC 4180 has it, which also makes the writer quote a cell holding a lone CR.
    """
    out = _plain(frame)
    if escape_formulas:
        for name in out.columns:
            if not pd.api.types.is_numeric_dtype(out[name]):
                out[name] = out[name].map(neutralise_formula)
    return out.to_csv(index=False, na_rep="", lineterminator="\r\n" if escape_formulas else "\n")


def frame_to_json(frame: pd.DataFrame) -> str:
    """A JSON array of row objects; null for missing values, floats at full precision."""
    plain = _plain(frame).astype(object)
    records = plain.where(plain.notna(), None).to_dict(orient="records")
    return json.dumps(records, indent=1, default=_json_value)


def _json_value(value: object) -> object:
    item = getattr(value, "item", None)  # numpy scalars
    return item() if callable(item) else str(value)
