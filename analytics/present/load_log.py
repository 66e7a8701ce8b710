"""The load log in words: what undoing a load will do to the numbers, and each load's status."""

from __future__ import annotations

import pandas as pd

from analytics.present.formatting import format_value
from analytics.store.database import UndoPreview


def _rows(count: int, singular: str, plural: str) -> str:
    """`count` rows and the verb that agrees with them: "1 row leaves", "2 rows leave"."""
    return f"{count:,} row {singular}" if count == 1 else f"{count:,} rows {plural}"


def undo_confirmation(preview: UndoPreview) -> str:
    """One paragraph for the undo's confirmation: the rows that leave, those that go back to earlier values, those
    a later load also holds (which stay), and how the kind's headline total moves."""
    parts = [_rows(preview.rows_leaving, "leaves", "leave") + " the store"] if preview.rows_leaving else []
    changing = preview.rows_restored - preview.rows_restored_unchanged
    if changing:
        parts.append(_rows(changing, "goes", "go") + " back to the values of the loads before it")
    sentence = " and ".join(parts or ["No row leaves the store"]) + "."
    if preview.rows_restored_unchanged:
        same = preview.rows_restored_unchanged
        sentence += (
            f" {_rows(same, 'it loaded holds', 'it loaded hold')} the values a load before it had, and "
            f"{'keeps them' if same == 1 else 'keep them'}."
        )
    if preview.rows_kept_by_later_loads:
        held = preview.rows_kept_by_later_loads
        sentence += (
            f" {_rows(held, 'it loaded is', 'it loaded are')} also held by a later load and "
            f"{'stays as that load has it' if held == 1 else 'stay as that load has them'}."
        )
    for measure, before, after in preview.totals:
        # "total_revenue" is the sales kind's revenue: "Total sales revenue", not "Total sales total revenue".
        label = measure.replace("_", " ").removeprefix("total ")
        if round(after - before, 2) == 0:
            sentence += f" Total {preview.kind} {label} stays {format_value(before, 'money')}."
        else:
            change = format_value(after - before, "money")
            sentence += (
                f" Total {preview.kind} {label} goes from {format_value(before, 'money')} to "
                f"{format_value(after, 'money')} ({'+' if after > before else ''}{change})."
            )
    return sentence


def load_status(history: pd.DataFrame) -> pd.Series:
    """Per load of `store.load_history`: "in effect", "in effect, to check" when it left something to check (its
    `cautions`), or "undone <when> by <whom>"."""

    def status(row: pd.Series) -> str:
        if pd.isna(row["undone_at"]):
            return "in effect, to check" if isinstance(row.get("cautions"), str) and row["cautions"] else "in effect"
        by = f" by {row['undone_by']}" if isinstance(row["undone_by"], str) and row["undone_by"] else ""
        return f"undone {pd.Timestamp(row['undone_at']):%Y-%m-%d %H:%M}{by}"

    return history.apply(status, axis=1) if not history.empty else pd.Series([], dtype="object")
