"""Reference organic rank lift with a control group (SPEC "Metric definitions: From ranks" and "Rank lift against
a control group", Added 2026-12-03)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from tests.reference.common import (
    as_float,
    line_of,
    median,
    product_lines,
    sort_key,
    to_date,
)

LiftLevel = Literal["keyword", "asin", "product_line"]
CONTROL_COLUMNS = ["control_change", "lift_vs_control", "control_asins", "control_keywords"]
KEYWORD_COLUMNS = ["asin", "keyword", "activation_date", "rank_before", "rank_after", "rank_change", *CONTROL_COLUMNS]
SUMMARY_COLUMNS = ["rank_before", "rank_after", "rank_change", "keywords_improved", "keywords_measured"]
ASIN_COLUMNS = ["asin", *SUMMARY_COLUMNS, *CONTROL_COLUMNS]
LINE_COLUMNS = ["product_line", *SUMMARY_COLUMNS, "control_change", "lift_vs_control"]

Readings = dict[tuple[Any, Any], list[tuple[dt.date, float | None]]]


def activation_dates(products: pd.DataFrame | None, performance: pd.DataFrame | None) -> dict[Any, dt.date]:
    """Each ASIN's activation date.

    SPEC: "activation_date | when the ASIN entered Creator Connections; if absent, the first date with clicks > 0
    in performance". A catalog row with an empty activation_date falls back to clicks; with several catalog rows
    for one ASIN, the last non-empty activation_date wins. "Clicks > 0" is the day's clicks summed over every
    performance row of the ASIN.
    """
    catalog: dict[Any, dt.date] = {}
    if products is not None and "activation_date" in products.columns:
        for record in products.to_dict("records"):
            day = to_date(record.get("activation_date"))
            if day is not None:
                catalog[record["asin"]] = day
    daily_clicks: dict[tuple[Any, dt.date], float] = defaultdict(float)
    if performance is not None and not performance.empty:
        for record in performance.to_dict("records"):
            day = to_date(record.get("date"))
            if day is not None:
                daily_clicks[(record.get("asin"), day)] += as_float(record.get("clicks")) or 0.0
    first_click: dict[Any, dt.date] = {}
    for (asin, day), clicks in daily_clicks.items():
        if clicks > 0 and (asin not in first_click or day < first_click[asin]):
            first_click[asin] = day
    activation = dict(first_click)
    activation.update(catalog)
    return activation


def event_days(events: pd.DataFrame | None) -> set[dt.date]:
    """Every day inside a named event range (``start`` … ``end`` inclusive)."""
    days: set[dt.date] = set()
    if events is None or events.empty:
        return days
    for record in events.to_dict("records"):
        first, last = to_date(record.get("start")), to_date(record.get("end"))
        if first is None or last is None:
            continue
        day = first
        while day <= last:
            days.add(day)
            day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class Windows:
    """B = A−W … A−1 and F = A+L … A+L+W−1, with the excluded (event) days."""

    before_first: dt.date
    before_last: dt.date
    after_first: dt.date
    after_last: dt.date
    excluded: frozenset[dt.date]

    @classmethod
    def around(cls, activation: dt.date, window_days: int, lag_days: int, excluded: set[dt.date]) -> Windows:
        return cls(
            before_first=activation - dt.timedelta(days=window_days),
            before_last=activation - dt.timedelta(days=1),
            after_first=activation + dt.timedelta(days=lag_days),
            after_last=activation + dt.timedelta(days=lag_days + window_days - 1),
            excluded=frozenset(excluded),
        )

    def ranks_before(self, readings: list[tuple[dt.date, float | None]]) -> list[float]:
        return self._ranked(readings, self.before_first, self.before_last)

    def ranks_after(self, readings: list[tuple[dt.date, float | None]]) -> list[float]:
        return self._ranked(readings, self.after_first, self.after_last)

    def _ranked(self, readings: list[tuple[dt.date, float | None]], first: dt.date, last: dt.date) -> list[float]:
        """Ranked readings (not-ranked = null left out) on the window's days that are not excluded."""
        return [
            rank for day, rank in readings if first <= day <= last and day not in self.excluded and rank is not None
        ]

    def change(self, readings: list[tuple[dt.date, float | None]]) -> tuple[float | None, float | None, float | None]:
        """(rank_before, rank_after, rank_change) for one keyword.

        SPEC: "`rank_before` = median organic_rank on dates A−W … A−1; `rank_after` = median organic_rank on
        dates A+L … A+L+W−1; `rank_change` = rank_before − rank_after (positive = moved up; rank 1 is the top);
        not-ranked days are left out of both medians; a side with no ranked day is null, and so is the change".
        """
        before = median(self.ranks_before(readings))
        after = median(self.ranks_after(readings))
        change = None if before is None or after is None else before - after
        return before, after, change


def _readings(ranks: pd.DataFrame) -> Readings:
    """(asin, keyword) → [(day, rank or None)] in input order."""
    readings: Readings = defaultdict(list)
    for record in ranks.to_dict("records"):
        day = to_date(record.get("date"))
        if day is None:
            continue
        readings[(record.get("asin"), record.get("keyword"))].append((day, as_float(record.get("organic_rank"))))
    return readings


def _control(
    asin: Any,
    windows: Windows,
    readings: Readings,
    lines: dict[str, str],
    activation: dict[Any, dt.date],
) -> dict[str, Any]:
    """The control group of one treated ASIN.

    SPEC: "the controls are the ASINs of the same product line with readings in both windows whose own activation
    is empty or later than F's last day. For each control keyword, the same before/after medians over the *same
    calendar days*; `control_change` = the median of those keyword changes; ... `control_asins`,
    `control_keywords` count what was used (null lift when there is no control)."

    "Readings" = ranked readings (a not-ranked day gives nothing to a median) on non-excluded days. Counted as
    used: control keywords whose change is not null, and the control ASINs with at least one such keyword.
    """
    by_asin: dict[Any, list[Any]] = defaultdict(list)
    for candidate, keyword in readings:
        by_asin[candidate].append(keyword)
    changes: list[float] = []
    used_asins: set[Any] = set()
    for candidate, keywords in by_asin.items():
        if candidate == asin or line_of(candidate, lines) != line_of(asin, lines):
            continue
        own = activation.get(candidate)
        if own is not None and own <= windows.after_last:
            continue
        every = [reading for keyword in keywords for reading in readings[(candidate, keyword)]]
        if not windows.ranks_before(every) or not windows.ranks_after(every):
            continue  # no readings in one of the windows
        for keyword in keywords:
            _, _, change = windows.change(readings[(candidate, keyword)])
            if change is not None:
                changes.append(change)
                used_asins.add(candidate)
    return {
        "control_change": median(changes),
        "control_asins": len(used_asins),
        "control_keywords": len(changes),
    }


def _lift(change: float | None, control_change: float | None) -> float | None:
    return None if change is None or control_change is None else change - control_change


def _summary(keyword_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """SPEC: "per ASIN and per product line: the median of its keywords' `rank_before`, `rank_after` and
    `rank_change` (each over the keywords where it is not null), and `keywords_improved` (change > 0) out of
    `keywords_measured` (change not null)"."""
    changes = [row["rank_change"] for row in keyword_rows if row["rank_change"] is not None]
    return {
        "rank_before": median(row["rank_before"] for row in keyword_rows),
        "rank_after": median(row["rank_after"] for row in keyword_rows),
        "rank_change": median(changes),
        "keywords_improved": sum(1 for change in changes if change > 0),
        "keywords_measured": len(changes),
    }


def rank_lift_with_control(
    ranks: pd.DataFrame,
    products: pd.DataFrame | None,
    performance: pd.DataFrame | None,
    *,
    by: LiftLevel,
    window_days: int = 28,
    lag_days: int = 0,
    events: pd.DataFrame | None = None,
    exclude_events: bool = False,
) -> pd.DataFrame:
    """Organic rank lift per keyword, ASIN or product line, with the control-group columns.

    SPEC: "`lift_vs_control` = the ASIN's `rank_change` − `control_change` ... A keyword row's lift is its own
    change − its ASIN's `control_change`; a product line's `control_change` and `lift_vs_control` are the medians
    over its ASINs' non-null values." "an ASIN with no activation date (none in the catalog, no clicks in
    performance) has no lift rows". Events: "`--exclude-events` leaves their days out of every rank window,
    treated and control alike."

    Keyword rows are every (ASIN, keyword) pair of an activated ASIN found in ``ranks`` (even with no reading in
    either window: then its medians are null). Product-line medians of rank_before/after/change pool the keywords
    of all its ASINs.
    """
    if by not in ("keyword", "asin", "product_line"):
        raise ValueError(f"cannot group rank lift by {by!r}")
    readings = _readings(ranks)
    lines = product_lines(products)
    activation = activation_dates(products, performance)
    excluded = event_days(events) if exclude_events else set()

    keywords_of: dict[Any, list[Any]] = defaultdict(list)
    for asin, keyword in readings:
        keywords_of[asin].append(keyword)

    keyword_rows: list[dict[str, Any]] = []
    asin_rows: list[dict[str, Any]] = []
    for asin in sorted(keywords_of, key=sort_key):
        if asin not in activation:
            continue
        windows = Windows.around(activation[asin], window_days, lag_days, excluded)
        control = _control(asin, windows, readings, lines, activation)
        own_rows = []
        for keyword in sorted(keywords_of[asin], key=sort_key):
            before, after, change = windows.change(readings[(asin, keyword)])
            own_rows.append(
                {
                    "asin": asin,
                    "keyword": keyword,
                    "activation_date": activation[asin],
                    "rank_before": before,
                    "rank_after": after,
                    "rank_change": change,
                    "control_change": control["control_change"],
                    "lift_vs_control": _lift(change, control["control_change"]),
                    "control_asins": control["control_asins"],
                    "control_keywords": control["control_keywords"],
                }
            )
        keyword_rows.extend(own_rows)
        summary = _summary(own_rows)
        asin_rows.append(
            {
                "asin": asin,
                **summary,
                "control_change": control["control_change"],
                "lift_vs_control": _lift(summary["rank_change"], control["control_change"]),
                "control_asins": control["control_asins"],
                "control_keywords": control["control_keywords"],
            }
        )

    if by == "keyword":
        return pd.DataFrame(keyword_rows, columns=KEYWORD_COLUMNS)
    if by == "asin":
        return pd.DataFrame(asin_rows, columns=ASIN_COLUMNS)

    line_rows = []
    asins_by_line: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in asin_rows:
        asins_by_line[line_of(row["asin"], lines)].append(row)
    for line in sorted(asins_by_line, key=sort_key):
        members = {row["asin"] for row in asins_by_line[line]}
        line_rows.append(
            {
                "product_line": line,
                **_summary([row for row in keyword_rows if row["asin"] in members]),
                "control_change": median(row["control_change"] for row in asins_by_line[line]),
                "lift_vs_control": median(row["lift_vs_control"] for row in asins_by_line[line]),
            }
        )
    return pd.DataFrame(line_rows, columns=LINE_COLUMNS)
