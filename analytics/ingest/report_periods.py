"""The period (and the ASIN of a Brand Analytics ASIN View) a file's rows cover when the rows do not say it.

Amazon writes these facts on a metadata line above the header: `Viewing Range=[01/07/26 - 31/07/26]` (Vendor
Central, one fact per cell), `Reporting Range=["Weekly"],Select week=["Week 27 | 2026-06-28 - 2026-07-04 2026"]`
(Brand Analytics, one line) and `ASIN or Product=["B0C1234567"]` (ASIN View). A Business Report states no period
at all, so its period comes from the person loading it, or the load stops and asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from analytics.calendar import last_full_month
from analytics.contract.kinds import PERIOD_COLUMNS, Kind
from analytics.ingest.layout import Detection, FileRejectedError
from analytics.sql import ident


class PeriodNeededError(FileRejectedError):
    """A file of a period kind that does not say which period it covers: the loader asks for it. `sums_a_period`: a
    file of a kind read by day with no date column (a performance report of a period), not a period kind's."""

    def __init__(self, sentence: str, sums_a_period: bool = False) -> None:
        super().__init__(sentence)
        self.sums_a_period = sums_a_period


class GivenPeriodError(FileRejectedError):
    """The period given for a file cannot be its own (it ends before it starts, the file states another, or the file
    is already loaded for another): another period may load it, where no period mends any other refusal."""


# Reporting Range words -> SQL for the period's first day from its last day, and its last day from its first.
_SPANS: dict[str, tuple[str, str]] = {
    "day": ("{end}", "{start}"),
    "week": ("{end} - 6", "{start} + 6"),
    "month": ("cast(date_trunc('month', {end}) as date)", "last_day({start})"),
    "quarter": (
        "cast(date_trunc('quarter', {end}) as date)",
        "cast(date_trunc('quarter', {start}) + interval 3 month - interval 1 day as date)",
    ),
    "year": (
        "cast(date_trunc('year', {end}) as date)",
        "cast(date_trunc('year', {start}) + interval 1 year - interval 1 day as date)",
    ),
}
_SPAN_WORDS = {
    "daily": "day",
    "day": "day",
    "weekly": "week",
    "week": "week",
    "monthly": "month",
    "month": "month",
    "quarterly": "quarter",
    "quarter": "quarter",
    "yearly": "year",
    "year": "year",
    "annual": "year",
}
# Keys of a metadata line whose value holds the period's dates.
_PERIOD_KEYS = ("viewing range", "select week", "select month", "select quarter", "select year", "reporting range")
_ASIN_KEYS = ("asin or product", "asin")
_FACT = re.compile(r"([A-Za-z][A-Za-z ]*?)\s*=\s*\[([^\]]*)\]")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
# Locales and marketplaces whose slash dates are day first, for a range whose numbers read both ways; the United
# States' are month first.
_DAY_FIRST_LOCALES = ("en_in", "en_ae", "en_gb", "en_au", "en_sg", "de_", "fr_", "es_", "it_", "nl_", "ar_", "ja_")
_DAY_FIRST_COUNTRIES = ("IN", "AE", "GB", "UK", "AU", "SG", "SA", "EG", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "TR")


@dataclass(frozen=True)
class StatedFacts:
    """What the lines above a header say: the period's dates, the length of period, the ASIN."""

    period: tuple[date, date] | None = None
    span: str | None = None  # day | week | month | quarter | year
    asin: str | None = None
    ambiguous: str | None = None  # a range whose slash dates read both day first and month first
    line: int | None = None  # the line the period was read from


def metadata(title_lines: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Each title line's `Key=[value]` facts (keys lower-case, quotes dropped), with its 1-based line number."""
    found = []
    for number, line in enumerate(title_lines, start=1):
        facts = {
            key.strip().lower(): value.strip()
            for key, value in _FACT.findall(line.replace("\ufeff", "").replace('"', ""))
        }
        if facts:
            found.append((number, facts))
    return found


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _day_first_hint(facts: dict[str, str]) -> bool | None:
    """Whether the file's locale or marketplace writes slash dates day first; None when it does not say."""
    locale = facts.get("locale", "").strip().lower()
    if locale:
        return locale.startswith(_DAY_FIRST_LOCALES)
    country = facts.get("countries", facts.get("country", "")).strip().upper()
    if country == "US":
        return False
    return True if country in _DAY_FIRST_COUNTRIES else None


def _fits(span: str, period: tuple[date, date]) -> bool:
    """Whether `period` is a whole one of `span` (a stated Reporting Range: day, week, month, quarter, year)."""
    start, end = period
    if span == "day":
        return start == end
    if span == "week":
        return (end - start).days == 6
    months = {"month": 1, "quarter": 3, "year": 12}.get(span)
    if months is None or start.day != 1 or (span != "month" and (start.month - 1) % months):
        return False
    after = start.month - 1 + months
    return end == date(start.year + after // 12, after % 12 + 1, 1) - timedelta(days=1)


def _slash_range(
    matches: list[tuple[str, str, str]], day_first: bool | None, span: str | None = None
) -> tuple[tuple[date, date] | None, bool]:
    """The range two slash dates give, and whether it reads both ways (no number over 12, no locale to say, and a
    stated Reporting Range `span` that both readings fit: a week of 1/4/26 - 1/10/26 is Jan 4 to 10, not Apr 1 to
    Oct 1)."""
    readings = []
    for reading in (True, False):
        try:
            days = [
                date(_year(y), int(b), int(a)) if reading else date(_year(y), int(a), int(b)) for a, b, y in matches
            ]
        except ValueError:
            continue
        if days[0] <= days[1]:
            readings.append((reading, (days[0], days[1])))
    if not readings:
        return None, False
    if len(readings) == 1 or readings[0][1] == readings[1][1]:
        return readings[0][1], False
    fitting = [reading for reading in readings if span is not None and _fits(span, reading[1])]
    if len(fitting) == 1:
        return fitting[0][1], False
    if day_first is not None:
        return next(r for first, r in readings if first == day_first), False
    return None, True


def stated_facts(title_lines: list[str]) -> StatedFacts:
    """The period, length of period and ASIN stated above a header, as far as the lines say them."""
    lines = metadata(title_lines)
    every = {key: value for _, facts in lines for key, value in facts.items()}
    span = _SPAN_WORDS.get(every.get("reporting range", "").strip().lower())
    asin = next((every[k].upper() for k in _ASIN_KEYS if re.fullmatch(r"[A-Za-z0-9]{10}", every.get(k, ""))), None)
    for number, facts in lines:
        for key in _PERIOD_KEYS:
            value = facts.get(key, "")
            iso = _ISO.findall(value)
            if len(iso) >= 2:
                days = sorted(date(int(y), int(m), int(d)) for y, m, d in iso[:2])
                return StatedFacts((days[0], days[1]), span, asin, None, number)
            slash = _SLASH.findall(value)
            if len(slash) >= 2:
                period, ambiguous = _slash_range(slash[:2], _day_first_hint(every), span)
                if period or ambiguous:
                    return StatedFacts(period, span, asin, value if ambiguous else None, number)
    return StatedFacts(None, span, asin)


@dataclass(frozen=True)
class StatedColumns:
    """Values for the columns a file's rows lack: SQL over the importer's finished values (`v_<column>`) and
    bound parameters, a check naming rows whose period ends before it starts, and notes for the load message.
    `one_period`: every row takes the one period the notes name, so the rows' dates need no note of their own."""

    fills: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, object] = field(default_factory=dict)
    check: str = ""
    notes: list[str] = field(default_factory=list)
    one_period: bool = False


def is_period_kind(kind: Kind) -> bool:
    return all(name in kind.column_names for name in PERIOD_COLUMNS)


def _ask(name: str, kind: Kind) -> PeriodNeededError:
    return PeriodNeededError(
        f"{name}: this {kind.name} file does not say which period it covers (a Business Report has no dates in "
        "it), so give the period with --period START:END, e.g. --period 2026-06-28:2026-07-04, or choose it on "
        "the Data page."
    )


def stated_columns(
    kind: Kind, title_lines: list[str], detection: Detection, name: str, given: tuple[date, date] | None
) -> StatedColumns:
    """How a period kind's rows get the period (and the ASIN View its ASIN) when their own columns lack them.

    In order: the rows' own start and end; a stated length of period (`Reporting Range=["Weekly"]`) from the one
    the rows have (Brand Analytics' `Reporting Date` is the period's last day); a row with only a date covers that
    day; otherwise the period given by the person loading the file, else the one stated above the header (a file
    stating another than the one given is refused). Without any, the load stops and asks (PeriodNeededError).
    """
    if not is_period_kind(kind):
        return StatedColumns()
    facts = stated_facts(title_lines)
    has_start, has_end = (column in detection.mapping for column in PERIOD_COLUMNS)
    # A period given at upload is for files that state none: one that differs from the file's own would store its
    # rows under days they are not about.
    if given is not None and facts.period is not None and tuple(given) != tuple(facts.period) and not has_start:
        raise GivenPeriodError(
            f"{name}: the file states its own period, {facts.period[0].isoformat()} to {facts.period[1].isoformat()} "
            f"(line {facts.line}), which differs from the period given, {given[0].isoformat()} to "
            f"{given[1].isoformat()}. Load it without a period to store it under its own; nothing was changed."
        )
    period = given or facts.period
    one_period = False
    fills: dict[str, str] = {}
    parameters: dict[str, object] = {}
    notes: list[str] = []
    start, end = ident("v_period_start"), ident("v_period_end")
    if has_end and not has_start:
        if facts.span:
            fills["period_start"] = _SPANS[facts.span][0].format(end=end)
            notes.append(f"each row covers the {facts.span} ending on its date, as the file's range says")
        elif period:
            fills["period_start"] = "$stated_start"
        else:
            raise _ask(name, kind)
    elif has_start and not has_end:
        fills["period_end"] = _SPANS[facts.span or "day"][1].format(start=start)
    elif not has_start and not has_end:
        if period is None and facts.ambiguous:
            raise PeriodNeededError(
                f"{name}, line {facts.line}: the period '{facts.ambiguous}' reads both day first and month first, "
                "so give it with --period START:END, e.g. --period 2026-07-01:2026-07-31, or choose it on the "
                "Data page."
            )
        if period is None:
            raise _ask(name, kind)
        if period[0] > period[1]:
            raise GivenPeriodError(
                f"{name}: the period {period[0].isoformat()} to {period[1].isoformat()} ends before it starts."
            )
        fills["period_start"], fills["period_end"] = "$stated_start", "$stated_end"
        source = "given" if given else f"stated on line {facts.line}"
        notes.append(f"period {period[0].isoformat()} to {period[1].isoformat()} ({source})")
        one_period = True
    if "$stated_start" in fills.values() and period:
        parameters["stated_start"] = period[0]
    if "$stated_end" in fills.values() and period:
        parameters["stated_end"] = period[1]
    if "asin" in kind.column_names and "asin" not in detection.mapping and facts.asin:
        fills["asin"] = "$stated_asin"
        parameters["stated_asin"] = facts.asin
        notes.append(f"asin {facts.asin} from the line above the header")
    check = ""
    named = "period_end" if has_end else "period_start" if has_start else None
    if named:
        first = fills.get("period_start", start)
        last = fills.get("period_end", end)
        check = f"when {first} > {last} then 'period:{named}'"
    return StatedColumns(fills, parameters, check, notes, one_period)


def last_complete_week(today: date) -> tuple[date, date]:
    """The last Sunday-to-Saturday week that ended before `today`: the period a Data page offers first."""
    saturday = today - timedelta(days=(today.weekday() + 2) % 7 or 7)
    return saturday - timedelta(days=6), saturday


# How far back the Data page looks for a week whose Business Report is not loaded yet, and how many it lists.
WEEKS_LOOKED_BACK = 26
WEEKS_LISTED = 4


def weeks_without_sales(
    con: duckdb.DuckDBPyConnection, last_day: date, listed: int = WEEKS_LISTED
) -> list[tuple[date, date]]:
    """The Sunday-to-Saturday weeks a Business Report's period question lists, latest first: up to `listed` weeks
    ending by `last_day` (the last day of performance data) that no stored sales row overlaps, looking back
    WEEKS_LOOKED_BACK weeks, and no further than the week the performance data starts in: "the latest weeks of your
    data", as the question says (a report for an earlier week is given as other dates, and its creators' share reads
    0 % until that week's performance report is loaded).

    A week already loaded is not listed: loading a report for it would replace its figures with another week's. Nor
    is one of these chosen for the user when several are free: a brand catching up uploads its oldest week first as
    often as its newest, and the report itself holds no date to tell them apart.
    """
    latest = last_complete_week(last_day + timedelta(days=1))
    covered = {
        int(n)
        for (n,) in con.execute(
            "select distinct n from range($weeks) as w(n), sales "
            "where period_start <= $end - cast(7 * n as integer) and period_end >= $start - cast(7 * n as integer)",
            {"weeks": WEEKS_LOOKED_BACK, "start": latest[0], "end": latest[1]},
        ).fetchall()
    }
    first = con.execute("select min(date) from performance").fetchone()
    first_day = first[0] if first and first[0] is not None else date.min
    within = [n for n in range(WEEKS_LOOKED_BACK) if latest[1] - timedelta(weeks=n) >= first_day]
    free = [n for n in within if n not in covered][:listed]
    return [(latest[0] - timedelta(weeks=n), latest[1] - timedelta(weeks=n)) for n in free]


def month_without_sales(con: duckdb.DuckDBPyConnection, last_day: date) -> tuple[date, date] | None:
    """The last full calendar month ending by `last_day` (the last day of performance data), which a month's close
    downloads its Business Report for, when no stored sales row shares a day with it and the performance data
    reaches into it; None otherwise (a month of loaded weekly reports is not offered again: a report for it would
    overlap every one)."""
    start, end = last_full_month(last_day)
    found = con.execute(
        "select exists (select 1 from sales where period_start <= $end and period_end >= $start), "
        "(select min(date) from performance)",
        {"start": start, "end": end},
    ).fetchone()
    if found is None or found[0] or found[1] is None or found[1] > end:
        return None
    return start, end


def reports_filed_under(con: duckdb.DuckDBPyConnection, start: date, end: date) -> list[tuple[int, str]]:
    """The loads (id, file name) whose sales rows hold the period `start` to `end` exactly: a report given that
    period replaces their figures, row for row, with no overlap to stop it (a period cut differently is one), so the
    period question names them before the load, in case the dates given are another week's."""
    rows = con.execute(
        "select l.load_id, l.file_name from loads as l "
        "semi join sales as s on s.load_id = l.load_id and s.period_start = $start and s.period_end = $end "
        "order by l.load_id",
        {"start": start, "end": end},
    ).fetchall()
    return [(int(load_id), str(name)) for load_id, name in rows]


def rows_period(con: duckdb.DuckDBPyConnection, table: str) -> tuple[date, date] | None:
    """The first and last day the rows of `table` cover, for the load log."""
    row = con.execute(f"select min(period_start), max(period_end) from {ident(table)}").fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None
