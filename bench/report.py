"""The benchmark's results as data, the targets they are judged against, and bench/RESULTS.md written from them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, fields
from typing import Any

from bench import queries
from bench.load_profile import FINDINGS_STEP

GIB = 1024**3
COMMAND = ".venv/bin/python bench/run.py --scale {scale}"

# The performance targets the product holds itself to.
LOAD_RATIO_MAX = 2.0  # load time / bare DuckDB read_csv into a fresh file (the product backlog's target)
LOAD_PEAK_MAX = 2 * GIB
QUERY_RATIO_MAX = 2.0  # engine / hand-written SQL
PANDAS_RATIO_MIN = 10.0  # pandas / engine, customer metrics
PAGE_QUERIES_MAX = 0.5  # seconds, all of a page's engine calls on its first render
FILTER_CHANGE_MAX = 1.0  # seconds, sidebar Period change to rerendered
PAGE_RENDER_MAX = 2.0  # seconds, navigation to fully rendered
APP_RSS_MAX = 3 * GIB  # app process with three sessions on the Overview


@dataclass
class Measured:
    """Repeated runs of one thing: seconds each, and peak memory and CPU seconds each where it was a process of its
    own."""

    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_peak(self) -> int:
        return int(statistics.median(self.peak_bytes)) if self.peak_bytes else 0

    @property
    def median_cpu(self) -> float | None:
        """CPU seconds (user + system, every thread), or None where they were not recorded."""
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else None


@dataclass
class QueryResult:
    name: str
    engine: Measured
    handwritten: Measured
    pandas: Measured
    customer_metrics: bool
    disagreements: dict[str, list[str]]  # "handwritten" / "pandas" -> what differs from the engine


@dataclass
class Results:
    scale: int
    repeat: int
    machine: dict[str, str]
    rows: dict[str, int] = field(default_factory=dict)
    csv_bytes: int = 0
    sample: Measured | None = None  # None when the CSVs were reused
    load: Measured = field(default_factory=Measured)
    floor: Measured = field(default_factory=Measured)
    store_bytes: int = 0
    floor_bytes: int = 0
    week: Measured = field(default_factory=Measured)  # a week's files loaded into the loaded store
    week_floor: Measured = field(default_factory=Measured)
    week_rows: int = 0
    load_profile: list[dict[str, Any]] = field(default_factory=list)
    pandas_read: Measured = field(default_factory=Measured)
    pandas_frame_bytes: int = 0
    queries: list[QueryResult] = field(default_factory=list)
    engine_calls: dict[str, Measured] = field(default_factory=dict)
    insight_rules: dict[str, Measured] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)  # weekly_insights findings per rule
    insight_grouped_calls: int = 0  # grouped_metrics calls in one weekly_insights
    page_calls: dict[str, list[str]] = field(default_factory=dict)  # page -> its engine calls (sidebar first)
    pages: dict[str, Any] | None = None  # bench.pages.PagesResult as a dict; None when skipped
    team: dict[str, Any] | None = None  # tests/team_sessions.py's figures on the sample data; None when skipped

    @property
    def disagreements(self) -> list[str]:
        return [
            f"{query.name}: engine vs {other}: {problem}"
            for query in self.queries
            for other, problems in query.disagreements.items()
            for problem in problems
        ]


# Formatting ----------------------------------------------------------------------------------------------------


def seconds(value: float) -> str:
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"


def size(value: float) -> str:
    return f"{value / GIB:.2f} GiB" if value >= GIB / 4 else f"{value / 1024**2:.0f} MiB"


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def ratio(value: float) -> str:
    return f"{value:.1f}×" if value >= 1.95 or value < 0.95 else f"{value:.2f}×"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


# Sections ------------------------------------------------------------------------------------------------------


def _intro(results: Results) -> list[str]:
    rows = ", ".join(f"{count:,} {kind}" for kind, count in results.rows.items() if count)
    machine = [[name, value] for name, value in results.machine.items()]
    if results.pages and results.pages.get("browser_version"):
        machine.append(["browser", results.pages["browser_version"]])
    return [
        "# Creator Lift benchmark",
        "",
        "How fast the engine loads and answers, against a bare-DuckDB floor, the same metrics written by hand in one "
        "SQL query each, and a plain pandas dashboard; then every page in headless Chromium. Not a test: figures only. "
        "Reproduce with",
        "",
        "```",
        COMMAND.format(scale=results.scale),
        "```",
        "",
        f"(`--scale 10 --repeat 3` for a quick try; `--no-pages` skips the browser part). Scale {results.scale}: "
        f"{rows}; {size(results.csv_bytes)} of CSV. Every figure is the **median of {results.repeat} runs** (load and "
        "sample generation: see each table); the machine is shared and noisy, so single runs vary by tens of percent.",
        "",
        *_table(["machine", ""], machine),
        "",
    ]


def cpu_ratio(load: Measured, floor: Measured) -> str:
    """ "; CPU 24.7 s vs 8.7 s, 2.8×" where both runs' CPU seconds were recorded, else nothing."""
    if load.median_cpu is None or floor.median_cpu is None:
        return ""
    return (
        f"; CPU {seconds(load.median_cpu)} vs {seconds(floor.median_cpu)}, {ratio(load.median_cpu / floor.median_cpu)}"
    )


def _headline(results: Results) -> list[str]:
    rows = []
    load_ratio = results.load.median / results.floor.median
    rows.append(
        [
            "load ÷ bare DuckDB floor",
            f"≤ {LOAD_RATIO_MAX}×",
            f"{ratio(load_ratio)} ({seconds(results.load.median)} vs {seconds(results.floor.median)}"
            f"{cpu_ratio(results.load, results.floor)})",
            mark(load_ratio <= LOAD_RATIO_MAX),
        ]
    )
    rows.append(
        [
            "load peak memory",
            f"≤ {size(LOAD_PEAK_MAX)}",
            size(results.load.median_peak),
            mark(results.load.median_peak <= LOAD_PEAK_MAX),
        ]
    )
    worst = max(results.queries, key=lambda q: q.engine.median / q.handwritten.median)
    worst_ratio = worst.engine.median / worst.handwritten.median
    within = sum(q.engine.median / q.handwritten.median <= QUERY_RATIO_MAX for q in results.queries)
    rows.append(
        [
            "engine ÷ hand-written SQL",
            f"≤ {QUERY_RATIO_MAX:g}× each",
            f"{within} of {len(results.queries)} within; worst {ratio(worst_ratio)} ({worst.name})",
            mark(within == len(results.queries)),
        ]
    )
    customer = [q for q in results.queries if q.customer_metrics]
    slowest = min(customer, key=lambda q: q.pandas.median / q.engine.median)
    pandas_ratio = slowest.pandas.median / slowest.engine.median
    rows.append(
        [
            "pandas ÷ engine, customer metrics",
            f"≥ {PANDAS_RATIO_MIN:g}×",
            f"{ratio(pandas_ratio)} at worst ({slowest.name})",
            mark(pandas_ratio >= PANDAS_RATIO_MIN),
        ]
    )
    totals = page_totals(results)
    over = {page: total for page, total in totals.items() if total > PAGE_QUERIES_MAX}
    rows.append(
        [
            "each page's queries (cold cache)",
            f"≤ {seconds(PAGE_QUERIES_MAX)}",
            ", ".join(f"{page} {seconds(total)}" for page, total in totals.items()),
            mark(not over),
        ]
    )
    rows += _page_headline(results)
    disagreements = results.disagreements
    rows.append(
        [
            "engine = hand-written = pandas",
            "agree",
            "all agree" if not disagreements else f"**{len(disagreements)} disagreement(s)**, see below",
            mark(not disagreements),
        ]
    )
    return ["## Against the targets", "", *_table(["what", "target", "measured", ""], rows), ""]


# The render floor's page that the app's pages are compared with: they all draw Plotly charts but the Data page.
FLOOR_CHART_PAGE = "one chart"
FLOOR_BARE_PAGE = "bare page"

# The visits each page gets in Chromium (bench/pages.py), as the targets table names them.
VISITS = {
    "cold": "cold visit",
    "warm": "warm visit, new browser profile",
    "returning": "returning visit, new tab",
}


def _page_headline(results: Results) -> list[list[str]]:
    if results.pages is None:
        return [["pages in Chromium", "", "skipped (`--no-pages`)", ""]]
    changes = page_medians(results, "filter_change")
    slow = {page: value for page, value in changes.items() if value > FILTER_CHANGE_MAX}
    rss = results.pages["sessions_rss_bytes"]
    sessions = results.pages["sessions"]
    rendered = []
    for visit, words in VISITS.items():
        medians = page_medians(results, visit)
        if not medians and visit == "returning":  # results saved before returning visits were measured
            continue
        floor = page_medians(results, visit, "floor").get(FLOOR_CHART_PAGE)
        rendered.append(
            [
                f"page fully rendered, {words}",
                f"≤ {seconds(PAGE_RENDER_MAX)}",
                (", ".join(f"{page} {seconds(value)}" for page, value in medians.items()) or "not measured")
                + (f"; floor, a bare page with one chart: {seconds(floor)}" if floor is not None else ""),
                mark(bool(medians) and max(medians.values()) <= PAGE_RENDER_MAX),
            ]
        )
    return [
        *rendered,
        [
            "Period change → rerendered",
            f"≤ {seconds(FILTER_CHANGE_MAX)}",
            ", ".join(f"{page} {seconds(value)}" for page, value in changes.items()) or "not measured",
            mark(bool(changes) and not slow),
        ],
        [
            f"app memory, {sessions} sessions on Overview",
            f"≤ {size(APP_RSS_MAX)}",
            f"{size(rss)} (peak {size(results.pages['sessions_peak_rss_bytes'])})",
            mark(0 < rss <= APP_RSS_MAX),
        ],
    ]


def _load_section(results: Results) -> list[str]:
    runs: list[tuple[str, Measured, int | None]] = []
    if results.sample is not None:
        runs.append(("`python3 -m analytics sample --scale N` (CSV generation)", results.sample, None))
    runs.append(
        (
            "load the four files (`store.changes.load_file` each, as `python3 -m analytics load` does)",
            results.load,
            results.store_bytes,
        )
    )
    runs.append(
        ("floor: bare DuckDB `create table … as select * from read_csv(…)`", results.floor, results.floor_bytes)
    )
    if results.week.seconds:
        runs.append(
            (
                f"the weekly upload: the last week's performance and orders files ({results.week_rows:,} rows, days "
                "the store holds) into that store, then the review's findings, as the Data page loads an upload",
                results.week,
                None,
            )
        )
        runs.append(
            ("floor: bare DuckDB `insert into … select * from read_csv(…)` of the same files", results.week_floor, None)
        )
    rows = [
        [
            step,
            seconds(measured.median),
            "—" if measured.median_cpu is None else seconds(measured.median_cpu),
            size(measured.median_peak),
            str(len(measured.seconds)),
            "" if database is None else size(database),
        ]
        for step, measured, database in runs
    ]
    lines = [
        "## Load",
        "",
        "Each run is a subprocess into a fresh database file; wall time, CPU time (user and system, every thread) "
        "and the process's peak resident memory (`wait4` rusage). The load leaves out the review's findings, which "
        "`python3 -m analytics load` works out once after the last file commits, outside the load's transaction "
        "(timed apart in the profile below). The store also keeps each file's history table and a copy of the raw "
        "file, which the floor does not. The weekly upload runs in a copy of the loaded store (the floor's in a copy "
        "of its database), and there the findings are part of the time: the Data page shows an upload as done once "
        "they are worked out, once for all its files.",
        "",
        *_table(["step", "median", "CPU time", "peak memory", "runs", "database file"], rows),
        "",
    ]
    return lines + _load_profile_lines(results)


def _load_profile_lines(results: Results) -> list[str]:
    if not results.load_profile:
        return []
    rows = []
    for loaded in results.load_profile:
        steps = {name: value for name, value in loaded["steps"].items() if name != FINDINGS_STEP}
        findings = loaded["steps"].get(FINDINGS_STEP, 0.0)
        slowest = "; ".join(f"{name} {seconds(value)}" for name, value in list(steps.items())[:4])
        load = seconds(loaded["seconds"] - findings)
        rows.append([loaded["file"], load, seconds(loaded["sql_seconds"] - findings), seconds(findings), slowest])
    return [
        "Where the load's time goes: one more run of `load_file` in-process, each SQL statement timed and named "
        "for the importer step it belongs to (bench/load_profile.py); the review's findings, worked out after each "
        "file commits, timed apart:",
        "",
        *_table(["file", "load_file", "in SQL", "findings after", "slowest steps"], rows),
        "",
    ]


def _queries_section(results: Results) -> list[str]:
    rows = []
    for query in results.queries:
        engine, hand, pandas = query.engine.median, query.handwritten.median, query.pandas.median
        agree = not any(query.disagreements.values())
        pandas_cell = ratio(pandas / engine)
        if query.customer_metrics:
            pandas_cell += " " + mark(pandas / engine >= PANDAS_RATIO_MIN)
        rows.append(
            [
                query.name,
                seconds(engine),
                seconds(hand),
                f"{ratio(engine / hand)} {mark(engine / hand <= QUERY_RATIO_MAX)}",
                seconds(pandas),
                pandas_cell,
                "✅" if agree else "❌ **differs**",
            ]
        )
    return [
        "## Queries",
        "",
        "On the loaded store, in one process, warm (each answer is computed once and checked before timing). Scopes: "
        "the sidebar's default **Last 4 weeks** preset (`preset_range` with as_of = the last performance date) and "
        "**Last 13 weeks**. Hand-written: bench/handwritten.py, one SQL query straight over the tables. pandas: "
        f"bench/pandas_baseline.py on DataFrames read once ({seconds(results.pandas_read.median)} to read, "
        f"{size(results.pandas_frame_bytes)} in memory, not counted below). `grouped_metrics` computes every metric "
        "in each call, so *by creator* is also the customer-metrics query (ntb, repeat, S&S and their baselines).",
        "",
        *_table(
            ["query", "engine", "hand-written", "engine ÷ hand", "pandas", "pandas ÷ engine", "numbers"],
            rows,
        ),
        "",
        *_disagreement_lines(results),
    ]


def _disagreement_lines(results: Results) -> list[str]:
    found = results.disagreements
    if not found:
        return [
            "The three implementations agree on every number (relative tolerance 1e-9; weekly_insights: the same "
            "findings, compared as (rule, subject), under the rules the other two implement; "
            + ", ".join(queries.UNCHECKED_RULES)
            + " have no hand-written or pandas version, and the engine's time includes them).",
            "",
        ]
    return ["**Disagreements** (each is a bug in one of the three):", "", *[f"- {line}" for line in found], ""]


def page_totals(results: Results) -> dict[str, float]:
    return {
        page: sum(results.engine_calls[call].median for call in calls) for page, calls in results.page_calls.items()
    }


def _page_queries_section(results: Results) -> list[str]:
    rows = []
    for page, calls in results.page_calls.items():
        total = sum(results.engine_calls[call].median for call in calls)
        slowest = sorted(calls, key=lambda call: results.engine_calls[call].median, reverse=True)[:3]
        detail = "; ".join(f"{call} {seconds(results.engine_calls[call].median)}" for call in slowest)
        rows.append([page, seconds(total), mark(total <= PAGE_QUERIES_MAX), detail])
    lines = [
        "## Each page's queries",
        "",
        "The engine calls a page makes on its first render with Streamlit's caches empty (read from pages/*.py), "
        "including the shared sidebar's (data range and the filter options, grouped over all dates), summed from "
        "their medians.",
        "",
        *_table(["page", "total", f"≤ {seconds(PAGE_QUERIES_MAX)}", "slowest calls"], rows),
        "",
    ]
    if results.insight_rules:
        rules = sorted(results.insight_rules.items(), key=lambda item: item[1].median, reverse=True)
        found = ", ".join(f"{rule} {count:,}" for rule, count in results.findings.items())
        lines += [
            "`weekly_insights` by rule: " + ", ".join(f"{name} {seconds(m.median)}" for name, m in rules) + ". "
            f"It finds {sum(results.findings.values()):,} findings at this scale ({found}), and the Overview draws "
            "every one as a card.",
            "",
        ]
    return lines


def page_medians(results: Results, visit: str, group: str = "runs") -> dict[str, float]:
    """Per page: the median seconds to rendered of `visit`; `group` "floor" for the render floor's pages."""
    if results.pages is None:
        return {}
    found = {}
    for page, runs in results.pages.get(group, {}).items():
        values = [run[visit]["seconds"] for run in runs if run.get(visit)]
        if values:
            found[page] = statistics.median(values)
    return found


def page_drawn(results: Results) -> dict[str, tuple[int, int]]:
    """Per page: (Streamlit elements, Plotly traces) the browser drew, from the last run that counted them."""
    if results.pages is None:
        return {}
    found = {}
    for page, runs in results.pages["runs"].items():
        counted = [run for run in runs if run.get("elements")]
        if counted:
            found[page] = (int(counted[-1]["elements"]), int(counted[-1].get("traces", 0)))
    return found


def script_medians(results: Results, visit: str, group: str = "runs") -> dict[str, float]:
    assert results.pages is not None
    found = {}
    for page, runs in results.pages.get(group, {}).items():
        values = [run[visit]["script_seconds"] for run in runs if run.get(visit)]
        if values:
            found[page] = statistics.median(values)
    return found


def _team_section(results: Results) -> list[str]:
    if results.team is None:
        return []
    team = results.team
    return [
        "## Ten sessions at once",
        "",
        "The scenario of tests/test_browser_sessions.py (tests/team_sessions.py), on the bundled sample data: one "
        f"`streamlit run` server, {team['sessions']} Playwright contexts on Debian's Chromium walking every page at "
        "once while two of them upload a 30-row performance file each through the Data page.",
        "",
        "| sessions | page views | uploads | errors shown | rows added | wall time | page render, median | slowest |",
        "|---|---|---|---|---|---|---|---|",
        f"| {team['sessions']} | {team['page_views']} | {team['uploads']} | {team['errors']} | {team['rows_added']} "
        f"| {seconds(team['seconds'])} | {seconds(team['median_page_seconds'])} "
        f"| {seconds(team['slowest_page_seconds'])} |",
        "",
    ]


def _pages_section(results: Results) -> list[str]:
    if results.pages is None:
        return ["## Pages in Chromium", "", "Skipped (`--no-pages`).", ""]
    # Results saved before returning visits were measured have none: their column and sentence are left out.
    returning = bool(page_medians(results, "returning"))
    visits = ("cold", "warm", "returning", "filter_change") if returning else ("cold", "warm", "filter_change")
    medians = {visit: page_medians(results, visit) for visit in visits}
    scripts = {visit: script_medians(results, visit) for visit in visits}
    rows = []
    for page, runs in results.pages["runs"].items():
        cells = [
            f"{seconds(medians[v][page])} ({seconds(scripts[v][page])})" if page in medians[v] else "—" for v in visits
        ]
        problems = sorted({run["problem"] for run in runs if run.get("problem")})
        change = medians["filter_change"].get(page)
        drawn = page_drawn(results).get(page, (0, 0))
        rows.append(
            [
                page,
                *cells,
                mark(change is not None and change <= FILTER_CHANGE_MAX),
                f"{drawn[0]:,} / {drawn[1]:,}",
                "; ".join(problems) or "—",
            ]
        )
    floor_medians = {visit: page_medians(results, visit, "floor") for visit in visits}
    floor_scripts = {visit: script_medians(results, visit, "floor") for visit in visits}
    for page in results.pages.get("floor", {}):
        cells = [
            f"{seconds(floor_medians[v][page])} ({seconds(floor_scripts[v][page])})"
            if page in floor_medians[v]
            else "—"
            for v in visits
        ]
        rows.append([f"*floor: {page}*", *cells, "", "", "—"])
    start = statistics.median(results.pages["server_start_seconds"])
    runs = len(next(iter(results.pages["runs"].values()), []))
    return [
        "## Pages in Chromium",
        "",
        "`streamlit run app.py` on a free port against a copy of the store, Debian's Chromium headless through "
        f"Playwright, the browser on the same 2 cores as the server. Each page, {runs} time(s): a freshly started "
        f"server (median {seconds(start)} to answer its health check), a **cold** first visit (Streamlit's caches "
        "empty, the page's modules not yet imported), a **warm** second visit in a new session and a new browser "
        "profile (Streamlit's front end downloaded again), a **Period** change from Last 4 weeks to Last 13 weeks in "
        "that session"
        + (
            ", and a **returning** visit: a new session in a new tab of the first browser, whose HTTP cache holds "
            "the front end, as a marketer's browser does from one weekly review to the next"
            if returning
            else ""
        )
        + ". Rendered = the script state behind the status widget is back to not running, the main block has text, "
        "no skeleton is left and every chart has drawn, held for 0.5 s (not counted). In brackets: how much of it "
        "the app's script was running; the rest is the browser loading and drawing. Elements / traces: what the "
        "warm page drew (Streamlit elements, Plotly traces). *Floor* rows: bench/floor_app.py measured the same way "
        "on the same config, a page with a heading, a caption and a five-row table, without a chart and with one "
        "small Plotly chart: the least a Streamlit page costs here, whatever the app does.",
        "",
        *_table(
            [
                "page",
                "cold",
                "warm",
                *(["returning"] if returning else []),
                "Period change",
                f"≤ {seconds(FILTER_CHANGE_MAX)}",
                "elements / traces",
                "problems",
            ],
            rows,
        ),
        "",
    ]


def _gaps_section(results: Results, gaps: list[str]) -> list[str]:
    if not gaps:
        return []
    return ["## Missed targets: the gap and what would close it", "", *[f"- {gap}" for gap in gaps], ""]


def _other_scales(others: list[Results]) -> list[str]:
    if not others:
        return []
    rows = []
    for other in sorted(others, key=lambda r: r.scale):
        pages = page_totals(other)
        rows.append(
            [
                str(other.scale),
                other.machine.get("date", ""),
                f"{seconds(other.load.median)} / {seconds(other.floor.median)} = "
                f"{ratio(other.load.median / other.floor.median)}",
                size(other.load.median_peak),
                seconds(max(pages.values())) + f" ({max(pages, key=pages.__getitem__)})" if pages else "—",
                str(len(other.disagreements)),
            ]
        )
    return [
        "## Other scales",
        "",
        "Headlines of the latest run at each other scale on this machine (from bench/out/results-scale*.json).",
        "",
        *_table(["scale", "run", "load / floor", "load peak", "slowest page's queries", "disagreements"], rows),
        "",
    ]


def summary(results: Results, gaps: list[str]) -> str:
    """The targets table and the gaps, for the terminal."""
    return "\n".join(_headline(results) + _gaps_section(results, gaps))


def render(results: Results, gaps: list[str], others: list[Results]) -> str:
    sections = [
        _intro(results),
        _headline(results),
        _gaps_section(results, gaps),
        _load_section(results),
        _queries_section(results),
        _page_queries_section(results),
        _pages_section(results),
        _team_section(results),
        _other_scales(others),
    ]
    return "\n".join(line for section in sections for line in section).rstrip() + "\n"


def _measured(data: dict[str, Any] | None) -> Measured | None:
    return (
        Measured(list(data["seconds"]), list(data["peak_bytes"]), list(data.get("cpu_seconds", []))) if data else None
    )


def results_from_dict(data: dict[str, Any]) -> Results:
    """A Results saved as JSON by bench/run.py, read back (for the other-scales table)."""
    measured = {"sample", "load", "floor", "pandas_read", "week", "week_floor"}
    plain = {f.name for f in fields(Results)} - measured - {"queries", "engine_calls", "insight_rules"}
    results = Results(**{name: value for name, value in data.items() if name in plain})
    results.sample = _measured(data.get("sample"))
    results.load = _measured(data["load"]) or Measured()
    results.floor = _measured(data["floor"]) or Measured()
    results.week = _measured(data.get("week")) or Measured()
    results.week_floor = _measured(data.get("week_floor")) or Measured()
    results.pandas_read = _measured(data["pandas_read"]) or Measured()
    results.engine_calls = {name: Measured(**m) for name, m in data["engine_calls"].items()}
    results.insight_rules = {name: Measured(**m) for name, m in data["insight_rules"].items()}
    results.queries = [
        QueryResult(
            q["name"],
            Measured(**q["engine"]),
            Measured(**q["handwritten"]),
            Measured(**q["pandas"]),
            q["customer_metrics"],
            q["disagreements"],
        )
        for q in data["queries"]
    ]
    return results
