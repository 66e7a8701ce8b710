"""Creator-attributed buyers against the baseline: which customer metrics a scope can show, and their tables.

Pure functions over `grouped_metrics` frames and `totals` dicts, so the Customers page only lays them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from numbers import Real

import pandas as pd

from analytics.figures import is_missing
from analytics.metrics.grouped import Scope
from analytics.metrics.periods import latest_matured_weeks
from analytics.words import day_words, in_words, plural, range_words

# Each customer metric of creator-attributed buyers, with the same figure over all buyers.
CUSTOMER_METRICS: dict[str, str] = {
    "ntb_pct": "baseline_ntb_pct",
    "repeat_rate": "baseline_repeat_rate",
    "sns_rate": "baseline_sns_rate",
}
# What each rate is a share of, for axis titles, by the source it is read from (`unit`).
_UNITS: dict[str, str] = {"order_lines": "% of order lines", "cohorts": "% of buyers", "performance": "% of orders"}
ORDERS_UPLOAD = (
    "upload an orders file (one row per order line, with a customer id and the creator), or a cohorts file of buyer "
    "counts, on the Data page"
)
NO_ATTRIBUTED_LINES = (
    "no order line in this selection is attributed to a creator: the orders file needs the creator column "
    "filled for creator-attributed lines"
)
NEEDS: dict[str, str] = {
    "ntb_pct": "New-to-brand % needs a new-to-brand column in the orders file, or the new-to-brand orders column "
    "of the performance report",
    "repeat_rate": "Repeat rate needs attributed order lines",
    "sns_rate": "Subscribe & Save rate needs a Subscribe & Save column in the orders file, or the Subscribe & Save "
    "orders column of the performance report",
}
FLAG_COLUMNS = {"ntb_pct": "new_to_brand", "sns_rate": "subscribe_and_save"}
COHORT_COLUMNS = {"ntb_pct": "ntb_buyers", "repeat_rate": "repeat_buyers", "sns_rate": "sns_buyers"}
# What each source of customer metrics is, in the words the pages use (see `metrics.grouped.CUSTOMER_SOURCE`).
SOURCE_LABELS: dict[str, str] = {
    "order_lines": "order lines",
    "cohorts": "cohort counts (clean room or warehouse)",
    "performance": "the performance file's counts",
    "brand_analytics": "Brand Analytics repeat purchases, within its periods",
}
_ATTRIBUTED_SOURCES = ("order_lines", "cohorts", "performance")
_BASELINE_SOURCES = ("order_lines", "cohorts", "brand_analytics")


def sources(totals: dict[str, object]) -> list[str]:
    """The sources the scope's customer metrics are read from, as `customer_source` names them."""
    value = totals.get("customer_source")
    return str(value).split("+") if value else []


def has_order_lines(totals: dict[str, object]) -> bool:
    """Whether the scope's customer metrics come from order lines (then every rate has its exact baseline)."""
    return "order_lines" in sources(totals)


def order_lines_end_note(
    totals: dict[str, object], last_order_day: date | None, start: date, end: date, matured: Scope | None = None
) -> str:
    """The sentence saying the customer rates stop where the order lines do, when those end inside the period ("" when
    the rates do not come from order lines, or the lines reach the period's end): a clean room's export lags the
    performance report, and its rates then describe fewer days than the cards beside them. With `matured` weeks
    standing in for the repeat rate (`with_repeat_figures`), only the other two rates are the period's."""
    if not has_order_lines(totals) or last_order_day is None or not start <= last_order_day < end:
        return ""
    covered = day_words(start) if last_order_day == start else range_words(start, last_order_day)
    left = (end - last_order_day).days
    rates = "the new-to-brand % and Subscribe & Save rate" if matured is not None else "the customer rates"
    return (
        f"The order lines run to {day_words(last_order_day)}: {rates} cover {covered} of this period, not its last "
        f"{'day' if left == 1 else f'{left} days'}."
    )


def has_baseline(totals: dict[str, object]) -> bool:
    """Whether any of the scope's all-buyer baselines has a value to compare with."""
    return any(totals.get(baseline) is not None for baseline in CUSTOMER_METRICS.values())


def metric_source(totals: dict[str, object], metric: str) -> str | None:
    """The source of one customer metric or baseline in `totals` (a key of SOURCE_LABELS), None when it has none."""
    if totals.get(metric) is None and not (metric == "repeat_rate" and all_pending(totals)):
        return None
    baseline = metric.startswith("baseline_")
    usable: tuple[str, ...] = _BASELINE_SOURCES if baseline else _ATTRIBUTED_SOURCES
    if metric == "repeat_rate":
        usable = ("order_lines", "cohorts")
    found = [source for source in sources(totals) if source in usable]
    return (found[-1] if baseline else found[0]) if found else None


def unit(totals: dict[str, object], metric: str) -> str:
    """What `metric` is a share of here, for an axis title: customers for the repeat rate; for the others, what its
    source counts (order lines, a clean room's buyers, or the performance file's orders)."""
    if metric == "repeat_rate":
        return "% of customers"
    return _UNITS.get(metric_source(totals, metric) or "order_lines", _UNITS["order_lines"])


def all_pending(totals: dict[str, object]) -> bool:
    """Whether the scope has order-line buyers but every one is still within R days of their entry."""
    pending = totals.get("repeat_pending")
    return totals.get("repeat_rate") is None and isinstance(pending, int) and pending > 0


def buyers_waiting(totals: dict[str, object]) -> tuple[int, int]:
    """The scope's order-line buyers still within R days of their entry, and those past it (0 and 0 without)."""
    pending, had_days = totals.get("repeat_pending"), totals.get("repeat_matured")
    return (pending if isinstance(pending, int) else 0, had_days if isinstance(had_days, int) else 0)


def mostly_pending(totals: dict[str, object]) -> bool:
    """Whether fewer than half the scope's order-line buyers have had R days to come back: every one still pending
    (`all_pending`), or a rate resting on the period's first days alone (32 of 3,487 buyers over the last 13 weeks),
    which would read as the whole period's."""
    pending, had_days = buyers_waiting(totals)
    return pending > 0 and (all_pending(totals) or had_days < pending)


def lines_elsewhere(lines: tuple[date, date] | None, start: date, end: date) -> str | None:
    """Where the store's order lines (their first and last day, `lines`) lie when wholly outside the period from
    `start` to `end`: "your order lines cover Oct 4 – Nov 14, 2026, after this period". None without order lines
    or when they reach into the period: then only an upload, not another period, fills the customer rates."""
    if lines is None or lines[0] <= end and lines[1] >= start:
        return None
    return f"your order lines cover {range_words(*lines)}, {'after' if lines[0] > end else 'before'} this period"


def _other_period() -> str:
    """What to do when the order lines lie outside the period (`lines_elsewhere`)."""
    return "choose a period they cover, or upload order lines for these days on the Data page"


def unavailable_advice(
    missing: list[str], totals: dict[str, object], elsewhere: str | None, in_review: bool = False
) -> str:
    """What fills the customer metrics `missing` (`screens.unavailable_customer_metrics`) of a scope's `totals`: none
    when the scope has order lines, none of them attributed (a creator without orders in the period: asking for an
    upload sent a brand looking for a file it had loaded); a period the store's order lines cover when they lie
    outside this one (`lines_elsewhere`); else an upload on the Data page. The Overview and Creators say it under their
    cards or table; the review a brand is sent (`in_review`) says what it was not given instead, since its reader may
    not be the one who loads files."""
    if has_order_lines(totals):
        return (
            "The order lines loaded hold none attributed to a creator in this selection, so there are no "
            "creator-attributed buyers to measure (an orders file names the creator on each attributed line)."
        )
    if elsewhere:
        return f"{elsewhere[0].upper()}{elsewhere[1:]}" + ("." if in_review else f": {_other_period()}.")
    also = (
        "; new-to-brand % and Subscribe & Save rate can also come from the new-to-brand and Subscribe & Save order "
        "columns of the performance report"
        if set(missing) & {"ntb_pct", "sns_rate"}
        else ""
    )
    sources = "attributed order lines (an Amazon Marketing Cloud or agency export), or a cohorts file of buyer counts"
    if in_review:
        return f"They come from {sources}, and none is loaded for this period{also}."
    return f"Upload {sources}, on the Data page{also}."


def missing_metrics(totals: dict[str, object], repeat_days: int = 90, elsewhere: str | None = None) -> dict[str, str]:
    """For each customer metric the scope cannot show, the sentence saying why, and which upload would fill it; when
    the store's order lines lie outside the period (`lines_elsewhere`), that they do."""
    present = sources(totals)
    lines = "order_lines" in present
    missing: dict[str, str] = {}
    for metric, baseline in CUSTOMER_METRICS.items():
        if totals.get(metric) is not None:
            continue
        if metric == "repeat_rate" and lines and all_pending(totals):
            missing[metric] = (
                f"Every buyer in this period bought for the first time less than {repeat_days} days before the last "
                f"order loaded, so none has had {repeat_days} days to come back yet "
                f"({totals['repeat_pending']:,} pending)."
            )
        elif lines and totals.get(baseline) is None and metric in FLAG_COLUMNS:
            missing[metric] = (
                f"The orders file has no {FLAG_COLUMNS[metric]} column: upload one that includes it on the Data page."
            )
        elif lines:
            missing[metric] = f"{NEEDS[metric]}, but {NO_ATTRIBUTED_LINES}."
        elif "cohorts" in present:
            missing[metric] = (
                f"The cohorts file gives no {COHORT_COLUMNS[metric]} for creator-attributed buyers in this selection: "
                "upload one that does, or an orders file, on the Data page."
            )
        elif elsewhere:
            missing[metric] = f"{NEEDS[metric]}, and {elsewhere}: {_other_period()}."
        else:
            missing[metric] = f"{NEEDS[metric]}: {ORDERS_UPLOAD}."
    return missing


def repeat_purchases_left_out_note(totals: dict[str, object], rows: int) -> str | None:
    """Said when `rows` Brand Analytics repeat purchase rows overlap the selected dates but cross their first or
    last day, and so are left out, where they are the only source of all buyers' repeat rate (no order lines): a
    month's report under the last 4 weeks counts for nothing, and without a word the page read as if it had never
    been loaded. None otherwise."""
    if not rows or "order_lines" in sources(totals):
        return None
    one = rows == 1
    return (
        f"{plural(rows, 'Brand Analytics repeat purchase row')} {'covers' if one else 'cover'} days outside the "
        f"selected dates as well as inside them, and {'is' if one else 'are'} left out of all buyers' repeat rate: "
        f"choose dates that hold {'its' if one else 'their'} whole period (a calendar month for a monthly report) to "
        f"count {'it' if one else 'them'}."
    )


def repeat_purchases_elsewhere_note(
    totals: dict[str, object], stored: tuple[date, date] | None, start: date, end: date
) -> str | None:
    """Said when Brand Analytics repeat purchase rows are loaded (over `stored`, their first and last day) but none
    touches the selected dates, where they would be all buyers' repeat rate (no order lines, nor Brand Analytics in
    the scope's sources): the page otherwise asked for an upload the brand had made. None otherwise."""
    if stored is None or {"order_lines", "brand_analytics"} & set(sources(totals)):
        return None
    if stored[0] <= end and start <= stored[1]:
        return None  # rows touching the dates are said by `repeat_purchases_left_out_note`
    return (
        f"Brand Analytics repeat purchase reports are loaded for {range_words(*stored)}, outside the selected dates: "
        "choose dates holding one of their whole periods (Last full month, for a monthly report) to see all buyers' "
        "repeat rate."
    )


def baseline_alone(totals: dict[str, object], metric: str, baseline: str) -> str | None:
    """The source of all buyers' `baseline` (named as SOURCE_LABELS names it) when the scope has it but not the
    creators' own `metric`: a brand without order lines has Brand Analytics' repeat rate, which a card's gap would
    never show. None otherwise."""
    if is_missing(totals.get(metric)) and not is_missing(totals.get(baseline)):
        source = metric_source(totals, baseline)
        return SOURCE_LABELS[source] if source else None
    return None


def all_buyers_sentences(
    totals: dict[str, object], label: Callable[[str], str], show: Callable[[str, object], str]
) -> list[str]:
    """For each customer rate the scope lacks while it has all buyers' (`baseline_alone`), the sentence giving that
    figure, for pages whose cards show no baseline on their own: "Repeat rate of all buyers: 9.5%, from Brand
    Analytics repeat purchases, within its periods." Labels and figures as `label` and `show` write them."""
    return [
        f"{label(metric)} of all buyers: {show(baseline, totals[baseline])}, from {source}."
        for metric, baseline in CUSTOMER_METRICS.items()
        if (source := baseline_alone(totals, metric, baseline))
    ]


def source_note(totals: dict[str, object]) -> str | None:
    """A sentence naming where the rates come from when it is not order lines (None when it is, or nothing is)."""
    present = sources(totals)
    if not present or "order_lines" in present:
        return None
    notes = []
    if "cohorts" in present:
        notes.append(
            "These rates are sums of the buyer counts in the cohorts file (a clean-room or warehouse query), over "
            "the rows whose period lies inside the selected dates; all-buyer rows give the baselines."
        )
    if "performance" in present:
        # Brand Analytics gives all buyers' repeat rate, and only that.
        compared = "new-to-brand % and Subscribe & Save rate" if "brand_analytics" in present else "them"
        notes.append(
            "Without order lines, these rates come from the new-to-brand and Subscribe & Save counts of the "
            f"performance file, and there is no baseline of all buyers to compare {compared} with: an orders file "
            "adds it."
        )
    if "brand_analytics" in present:
        notes.append(
            "The repeat baseline is Brand Analytics' share of customers who bought more than once within its "
            "reporting periods, not within R days."
        )
    return " ".join(notes)


def cohorts_set_aside_note(totals: dict[str, object], inside: int) -> str:
    """The sentence saying the scope's `inside` cohort rows (`cohort_rows_inside`) are not read, because order lines
    are the rates' source; "" when they are read or there are none. A clean room's cohorts loaded beside a
    warehouse's order lines would otherwise be set aside without a word."""
    if not inside or not has_order_lines(totals):
        return ""
    rows = f"{inside:,} cohort row{'s' if inside != 1 else ''}"
    return (
        f"{rows} for these dates {'are' if inside != 1 else 'is'} not used: where the selected dates have order lines, "
        "the rates follow each buyer in them, and the cohorts' counts of the same buyers stand in only for dates "
        "without order lines."
    )


def with_scope_baselines(frame: pd.DataFrame, totals: dict[str, object]) -> pd.DataFrame:
    """`frame` with each baseline column set to the scope's own, from its `totals`.

    For groups that do not split the baseline (creators, campaigns: buyers who came without a creator have
    neither), every group's baseline is the whole scope's, so the grouped query need not count it again.
    """
    scope_values = {baseline: totals.get(baseline) for baseline in CUSTOMER_METRICS.values()}
    return frame.assign(**{b: float("nan") if v is None else float(v) for b, v in scope_values.items()})  # type: ignore[arg-type]


def comparison_table(
    frame: pd.DataFrame, group: str, metrics: list[str] | None = None, with_baseline: bool = True
) -> pd.DataFrame:
    """One row per group: attributed orders, then each customer metric (beside its baseline, if asked).

    `metrics` picks the customer metrics shown (default: all three). Groups with no attributed orders and no
    customer figure are left out (a creator who sold nothing). Sorted by attributed orders, most first.
    """
    shown = metrics if metrics is not None else list(CUSTOMER_METRICS)
    columns = [group, "orders"]
    for metric in shown:
        columns += [metric, CUSTOMER_METRICS[metric]] if with_baseline else [metric]
    table = frame[columns]
    keep = (table["orders"].fillna(0) > 0) | table[shown].notna().any(axis=1)
    return table[keep].sort_values(["orders", group], ascending=[False, True], ignore_index=True)


def chart_rows(frame: pd.DataFrame, group: str, metric: str, limit: int | None = None) -> pd.DataFrame:
    """The groups with a value for `metric`, highest first, with its baseline and orders: ready for the bar chart.

    With `limit`, only that many groups with the most attributed orders (small groups give extreme rates).
    """
    baseline = CUSTOMER_METRICS[metric]
    rows = frame.loc[frame[metric].notna(), [group, "orders", metric, baseline]]
    if limit is not None:
        rows = rows.sort_values(["orders", group], ascending=[False, True]).head(limit)
    return rows.sort_values([metric, group], ascending=[False, True], ignore_index=True)


def groups_without_value(frame: pd.DataFrame, group: str, metric: str) -> int:
    """How many groups with attributed orders have no value for `metric` (left off the chart)."""
    return int(((frame["orders"].fillna(0) > 0) & frame[metric].isna()).sum())


def matured_scope(scope: Scope, last_order_day: date, repeat_days: int) -> Scope:
    """The scope moved to the latest 4 whole weeks whose buyers have all matured (`periods.latest_matured_weeks`),
    filters kept: what the pages show when the selected period's buyers are all still pending."""
    start, end = latest_matured_weeks(last_order_day, repeat_days)
    return replace(scope, start=start, end=end)


def repeat_note(
    totals: dict[str, object],
    repeat_days: int,
    show: Callable[[str, object], str],
    matured: Scope | None = None,
) -> str:
    """The line under the repeat rate: its window, the buyers still pending, the rate within the period (written by
    `show(metric, value)`, the pages' formatter) and the source ("" when there is nothing to say). `matured`: the
    weeks whose repeat figures `totals` holds instead of the period's (`with_repeat_figures`), named as theirs."""
    parts = []
    source = metric_source(totals, "repeat_rate")
    # Cohorts count repeat buyers however their query did: only order lines are followed for R days here.
    if source == "order_lines":
        window = f"Within {repeat_days} days of each buyer's first attributed order"
        # How many buyers the rate is a share of: 2 of 3 and 200 of 300 read alike as a percentage.
        counted = totals.get("repeat_matured")
        if isinstance(counted, int) and counted > 0:
            window += (
                f", over the {counted:,} buyer{'s' if counted != 1 else ''} who "
                f"{'has' if counted == 1 else 'have'} had {repeat_days} days"
            )
        parts.append(window)
    pending = totals.get("repeat_pending")
    if isinstance(pending, int) and pending > 0:
        parts.append(f"{pending:,} buyer{'s' if pending != 1 else ''} still pending")
    in_period = totals.get("repeat_rate_in_period")
    if in_period is not None:
        # A different question from the rate above (Brand Analytics' own), so it says which.
        where = "the period itself" if matured is None else _weeks(matured)
        parts.append(
            f"{show('repeat_rate_in_period', in_period)} had two or more orders within {where}, as Brand Analytics "
            "counts repeat buyers"
        )
    if source:
        parts.append(f"from {SOURCE_LABELS[source]}")
    text = " · ".join(parts)
    return f"{text[0].upper()}{text[1:]}." if text else ""


def sources_caption(totals: dict[str, object], label: Callable[[str], str]) -> str:
    """One line naming the source of each customer metric the scope shows ("" when none has one), metrics named by
    `label` (the pages' registry labels)."""
    # The metrics of each source together, sources in the order their first metric comes: "New-to-brand %, Repeat
    # rate and Subscribe & Save rate from order lines." rather than the source three times.
    by_source: dict[str, list[str]] = {}
    for metric in CUSTOMER_METRICS:
        source = metric_source(totals, metric)
        if source:
            by_source.setdefault(source, []).append(label(metric))
    baseline = metric_source(totals, "baseline_repeat_rate")
    if baseline and baseline != metric_source(totals, "repeat_rate"):
        by_source.setdefault(baseline, []).append(label("baseline_repeat_rate"))
    named = [f"{in_words(metrics)} from {SOURCE_LABELS[source]}" for source, metrics in by_source.items()]
    return "; ".join(named) + "." if named else ""


# The rates the performance report's counts give, with the orders whose rows state their counts (`grouped`).
_STATED = {"ntb_pct": "ntb_stated", "sns_rate": "sns_stated"}


def counts_cover_note(
    totals: dict[str, object], label: Callable[[str], str], show: Callable[[str, object], str]
) -> str:
    """When a rate comes from the performance report's counts and some of the scope's orders come from rows without
    them, what it is a share of, and what it is over the orders that state them ("" otherwise).

    SPEC's rate is the counts over all the orders; a file without the columns (Creator Connections' own export has
    none) counts its orders as neither, so a period of weeks from both kinds of file read a fall that did not
    happen: the sentence says how many orders the counts cover, and the rate over those alone."""
    orders = _count(totals.get("orders"))
    covered: dict[int, list[str]] = {}
    alone: list[str] = []
    for metric, stated_name in _STATED.items():
        stated, rate = _count(totals.get(stated_name)), totals.get(metric)
        if metric_source(totals, metric) != "performance" or not 0 < stated < orders or not isinstance(rate, Real):
            continue
        covered.setdefault(stated, []).append(label(metric))
        alone.append(f"{label(metric)} {show(metric, float(rate) * orders / stated)}")
    if not covered:
        return ""
    said = "; ".join(
        f"{in_words(names)} count{'s' if len(names) == 1 else ''} {stated:,} of the {orders:,} orders"
        for stated, names in covered.items()
    )
    return (
        f"{said}: the others come from files without those columns (Creator Connections' own export has none), and "
        f"count as neither. Over the orders whose files give them: {in_words(alone)}."
    )


def _count(value: object) -> int:
    """A count from a row of totals: 0 when missing."""
    return int(float(value)) if isinstance(value, Real) and not is_missing(value) else 0


REPEAT_FIGURES = ("repeat_rate", "repeat_pending", "repeat_matured", "repeat_rate_in_period", "baseline_repeat_rate")


def fallback_scope(
    totals: dict[str, object], scope: Scope, last_order_day: date | None, repeat_days: int
) -> Scope | None:
    """The latest matured 4 weeks (`matured_scope`) when most of the scope's buyers are still pending
    (`mostly_pending`), else None."""
    if last_order_day is None or not mostly_pending(totals):
        return None
    return matured_scope(scope, last_order_day, repeat_days)


def with_repeat_figures(totals: dict[str, object], matured: dict[str, object]) -> dict[str, object]:
    """`totals` with the repeat figures (REPEAT_FIGURES) of the matured weeks' `matured` totals instead."""
    return {**totals, **{name: matured.get(name) for name in REPEAT_FIGURES}}


def with_matured_repeat(
    totals: dict[str, object],
    scope: Scope,
    last_order_day: date | None,
    repeat_days: int,
    totals_of: Callable[[Scope], dict[str, object]],
) -> tuple[dict[str, object], Scope | None]:
    """The scope's `totals` as the cards show them, and the weeks standing in for its repeat figures: when most
    buyers of the scope are still pending, the latest matured 4 weeks' (`fallback_scope`, their totals from
    `totals_of`), else None. Weeks holding no matured buyer of the selection (a campaign that started after them)
    stand in for nothing: the period's own "all pending" is the truth to tell."""
    matured = fallback_scope(totals, scope, last_order_day, repeat_days)
    if matured is None:
        return totals, None
    figures = totals_of(matured)
    if figures.get("repeat_rate") is None:
        return totals, None
    return with_repeat_figures(totals, figures), matured


def creator_rates(
    creator: str, scope: Scope, matured: Scope | None, totals_of: Callable[[Scope], dict[str, object]]
) -> dict[str, object]:
    """One creator's customer rates over `scope` (their totals from `totals_of`), the repeat figures those of the
    `matured` weeks when the page's cards show those weeks' (`with_matured_repeat`)."""
    own = totals_of(replace(scope, creators=(creator,)))
    if matured is None:
        return own
    return with_repeat_figures(own, totals_of(replace(matured, creators=(creator,))))


def _weeks(matured: Scope) -> str:
    """The matured weeks in words: "Dec 14, 2025 – Jan 10, 2026"."""
    assert matured.start is not None and matured.end is not None
    return range_words(matured.start, matured.end)


def matured_weeks_pointer(repeat_days: int, matured: Scope | None) -> str:
    """Where a repeat rate whose buyers have all had `repeat_days` days to come back is shown by creator: the
    Customers page's latest matured 4 weeks (`with_matured_repeat`), or, before there are any, when there will be."""
    if matured is None:
        return (
            f"No 4 whole weeks' buyers have all had {repeat_days} days yet; once they have, the **Customers** page "
            "shows their repeat rate by creator."
        )
    return (
        f"The **Customers** page shows the repeat rate by creator for {_weeks(matured)}, the latest 4 weeks whose "
        f"buyers have all had {repeat_days} days."
    )


def matured_card_words(matured: Scope) -> str:
    """What a repeat-rate card of the latest matured 4 weeks says under its figure, in place of a change: whose rate
    it is, so that it is not read as the period's above it."""
    return f"buyers of {_weeks(matured)}"


def fallback_note(pending: int, repeat_days: int, matured: Scope, had_days: int = 0) -> str:
    """The sentence saying the repeat rate shown is the latest matured 4 weeks', and why: of this period's buyers,
    `pending` are still within R days and `had_days` (fewer) are not."""
    why = (
        f"Only {had_days:,} of this period's {had_days + pending:,} buyers through a creator bought {repeat_days} days "
        f"or more before the last order loaded; the other {pending:,} have not had {repeat_days} days to come "
        "back yet."
        if had_days
        else f"{_buyers(pending)} of this period bought through a creator less than {repeat_days} days before the "
        f"last order loaded, so none has had {repeat_days} days to come back yet."
    )
    return (
        f"{why} The repeat rate shown is that of the latest 4 weeks whose buyers have all had them: {_weeks(matured)}."
    )


# Below this many attributed orders a customer rate swings by several points with each order: the pages say so.
FEW_ORDERS = 30


def rates_of_the_period(
    totals: dict[str, object], label: Callable[[str], str], matured: Scope | None = None
) -> list[str]:
    """The customer rates the scope shows (named by `label`), in the cards' order; without the repeat rate when
    `matured` weeks stand in for it, since those are other buyers."""
    return [
        label(metric)
        for metric in ("ntb_pct", "sns_rate", "repeat_rate")
        if not is_missing(totals.get(metric)) and not (metric == "repeat_rate" and matured is not None)
    ]


def few_orders_note(attributed_orders: object, rates: Sequence[str] = ()) -> str:
    """The sentence warning that customer rates rest on few attributed orders ("" when they do not, or when there
    are none or no count). `attributed_orders` is the performance report's count: the rates' own denominators (order
    lines, matured buyers, cohort buyers) are of the same size, not the same. `rates` names the
    rates it is about ("New-to-brand %"), when the page shows others beside them."""
    if attributed_orders is None or pd.isna(attributed_orders):
        return ""
    orders = int(attributed_orders)  # type: ignore[call-overload]
    if not 0 < orders < FEW_ORDERS:
        return ""
    one = len(rates) == 1
    subject = f"{in_words(list(rates))} rest{'s' if one else ''}" if rates else "These rates rest"
    them = "it" if one else "them"
    return (
        f"{subject} on few buyers: {orders} attributed order{'' if orders == 1 else 's'} in this selection, so one "
        f"order more or less moves {them} by several points. Read {them} as a sign, not a measure, or widen the period "
        "or the filters."
    )


def group_fallback_note(repeat_days: int, matured: Scope, had_days: int = 0) -> str:
    """The sentence above the repeat rate by group when most of the period's buyers are pending (`had_days` of them
    are not): the groups are shown for the latest matured 4 weeks, every column of them."""
    why = (
        f"Only {plural(had_days, 'buyer')} of the selected period {'has' if had_days == 1 else 'have'} had "
        f"{repeat_days} days to come back so far"
        if had_days
        else f"No buyer of the selected period has had {repeat_days} days to come back yet"
    )
    return (
        f"{why}, so the chart and table below are for the latest 4 weeks whose buyers have all had them, "
        f"{_weeks(matured)}: their "
        "orders and other rates too, so that each row describes one set of buyers."
    )


def missing_footnote(repeat_days: int, *, all_pending: bool) -> str:
    """What a dash in the customer tables means; `all_pending` when the table's period has no matured buyer."""
    note = "— means not available: no attributed order lines (or counts) for that row in this period."
    if all_pending:
        note += (
            f" The repeat rate is a dash in every row because no buyer of this period has had {repeat_days} days to "
            "come back yet: choose Repeat rate above to see the latest 4 weeks whose buyers have all had them."
        )
    return note


def _buyers(count: int) -> str:
    """All of `count` buyers as a sentence's subject: "The one buyer", "Both buyers", "All 12 buyers"."""
    if count == 1:
        return "The one buyer"
    return "Both buyers" if count == 2 else f"All {count:,} buyers"
