"""What each missed target's gap is and what would close it: one note per target, written from the measurements.

The causes named here were found by reading analytics/ and pages/ and are backed by the run's own figures (the
load profile, the insight rules, the probes in bench/queries.py, what each page drew). A note only appears when
its target is missed.
"""

from __future__ import annotations

from collections.abc import Iterable

from analytics.review.insights import RULES
from bench.load_profile import FINDINGS_STEP
from bench.queries import CHECKED_RULES, DISTINCT_FILTER_OPTIONS, FILTER_OPTIONS, RANK_LIFT_BY_ASIN
from bench.report import (
    APP_RSS_MAX,
    FILTER_CHANGE_MAX,
    FLOOR_BARE_PAGE,
    FLOOR_CHART_PAGE,
    LOAD_PEAK_MAX,
    LOAD_RATIO_MAX,
    PAGE_QUERIES_MAX,
    PAGE_RENDER_MAX,
    PANDAS_RATIO_MIN,
    QUERY_RATIO_MAX,
    VISITS,
    Results,
    page_drawn,
    page_medians,
    page_totals,
    ratio,
    script_medians,
    seconds,
    size,
)

# Calls the page-queries note explains on their own; the rest of a page's time is plain grouped_metrics calls.
KEPT_FINDINGS = "kept findings (kept_findings)"
EXPLAINED_CALLS = (FILTER_OPTIONS, KEPT_FINDINGS)
# A warm page whose script still runs longer than this (seconds), with every query cached, is slow to draw.
SLOW_WARM_SCRIPT = 3.0


def _load_steps(results: Results) -> dict[str, float]:
    """Seconds per importer step, summed over the files of the profiled load, slowest first; the review's findings,
    worked out after each load commits, left out."""
    steps: dict[str, float] = {}
    for loaded in results.load_profile:
        for name, value in loaded["steps"].items():
            if name != FINDINGS_STEP:
                steps[name] = steps.get(name, 0.0) + value
    return dict(sorted(steps.items(), key=lambda item: item[1], reverse=True))


def _median_of(results: Results, call: str) -> str:
    return seconds(results.engine_calls[call].median) if call in results.engine_calls else "(not measured)"


def _load_time_gap(results: Results) -> str | None:
    load_ratio = results.load.median / results.floor.median
    if load_ratio <= LOAD_RATIO_MAX:
        return None
    steps = ", ".join(f"{name} {seconds(value)}" for name, value in list(_load_steps(results).items())[:5])
    load_cpu, floor_cpu = results.load.median_cpu, results.floor.median_cpu
    work = (
        f" In CPU time the load's work is {ratio(load_cpu / floor_cpu)} the floor's ({seconds(load_cpu)} vs "
        f"{seconds(floor_cpu)}, every thread), and it keeps the machine's cores as busy as the floor does, so the "
        "wall-clock ratio comes down only as far as that work does."
        if load_cpu is not None and floor_cpu is not None
        else ""
    )
    return (
        f"**Load is {ratio(load_ratio)} the floor** ({seconds(results.load.median)} vs "
        f"{seconds(results.floor.median)}): the floor reads each file once into its table, the importer makes a "
        f"pass per step ({steps}), besides keeping a copy of the raw file (copied by the kernel, hashed from the "
        "copy, flushed to disk while the file is read), checking that no key repeats, giving order lines their "
        "integer customer and creator keys and the days of each customer's nearest other orders (from one sort of "
        "the new lines, written with them), and, after the load commits, working out the review's findings (not "
        "counted here). Each row is written to the store once: the history receives only the rows a later load "
        "replaces. A plain file (every date and number read by its type's plain cast) converts in one pass straight "
        "from the CSV; any other file, a rejected row or a bad value sends it the staged way (text first, then every "
        "parsing rule), which names each bad cell's line and column. That one pass reads every cell as text and "
        "checks it (reading the numbers and dates typed by DuckDB's CSV reader instead saves about a tenth of it), "
        f"and the current tables are written through a temporary table of the checked rows.{work} What would close "
        "the rest is giving up guarantees the floor does not give: every cell checked, all or nothing, a repeated "
        "key refused, the raw file kept, and the keys and nearest-order days the customer metrics read instead of "
        "the text ids."
    )


def _load_memory_gap(results: Results) -> str | None:
    if results.load.median_peak <= LOAD_PEAK_MAX:
        return None
    return (
        f"**Load peaks at {size(results.load.median_peak)}** (target {size(LOAD_PEAK_MAX)}): DuckDB holds the "
        "staging and typed temp tables in memory up to its `memory_limit`; a lower limit on the load connection makes "
        "it spill, and dropping each temp table once the next is built shrinks the working set."
    )


def _query_ratio_gap(results: Results) -> str | None:
    slow = [q for q in results.queries if q.engine.median / q.handwritten.median > QUERY_RATIO_MAX]
    if not slow:
        return None
    described = ", ".join(
        f"{q.name} {ratio(q.engine.median / q.handwritten.median)} "
        f"({seconds(q.engine.median)} vs {seconds(q.handwritten.median)})"
        for q in slow
    )
    note = f"**Engine over {QUERY_RATIO_MAX:g}× the hand-written SQL:** {described}."
    if any(q.name == "weekly_insights" for q in slow):
        rules = sorted(results.insight_rules.items(), key=lambda item: item[1].median, reverse=True)
        slowest = ", ".join(f"{name} {seconds(m.median)}" for name, m in rules[:3])
        note += (
            f" `weekly_insights` runs each rule as its own engine calls ({results.insight_grouped_calls} "
            f"`grouped_metrics` calls and a rank lift; slowest rules: {slowest}), where the hand-written version is "
            f"one query whose rules share their scans, and it is less work: {len(CHECKED_RULES)} of the "
            f"{len(RULES)} rules, without their sentences, and a rank lift without control groups. Rules over the "
            "same period and dimension asking the engine once together would narrow it. The app runs the review "
            "once per change to the data, after the change commits, and the Overview reads the findings kept with "
            "the data."
        )
    if any(q.name == RANK_LIFT_BY_ASIN for q in slow):
        note += (
            " The engine's rank lift also works out each activated ASIN's control group (the same before and after "
            "medians, over the same days, for the keywords of the ASINs of its line not yet activated: SPEC's rank "
            "lift against a control), which the hand-written query and pandas leave out: they are the floor of its "
            "own medians alone."
        )
    return note


def _pandas_gap(results: Results) -> str | None:
    customer = [q for q in results.queries if q.customer_metrics]
    slowest = min(customer, key=lambda q: q.pandas.median / q.engine.median)
    pandas_ratio = slowest.pandas.median / slowest.engine.median
    if pandas_ratio >= PANDAS_RATIO_MIN:
        return None
    return (
        f"**pandas is only {ratio(pandas_ratio)} slower** on {slowest.name} ({seconds(slowest.pandas.median)} vs "
        f"{seconds(slowest.engine.median)}) once its {size(results.pandas_frame_bytes)} of DataFrames are read "
        f"({seconds(results.pandas_read.median)}, paid on every cold start). The engine is already "
        f"{ratio(slowest.engine.median / slowest.handwritten.median)} the hand-written SQL, so 10× needs less work per "
        "query: the time goes to each group's distinct customers, counted over integer keys stored at load (the "
        "customer's, and the creator's they are grouped by) in one pass per group (whether a customer repeats is "
        "already a test on each line against the days of their nearest other orders, kept at load). Customer "
        "counts do not add up across days, so a pre-aggregated daily summary cannot answer them; only the sales "
        "metrics would gain from one."
    )


def _page_queries_gap(results: Results) -> str | None:
    totals = page_totals(results)
    over = {page: total for page, total in totals.items() if total > PAGE_QUERIES_MAX}
    if not over:
        return None
    note = (
        f"**Page queries {_span(over.values())}** on "
        f"{len(over)} of {len(totals)} pages (target {seconds(PAGE_QUERIES_MAX)}). Every cold page pays "
        f"{_median_of(results, FILTER_OPTIONS)} for the sidebar's filter options (a hand-written `select distinct`: "
        f"{_median_of(results, DISTINCT_FILTER_OPTIONS)}); the Overview reads the review's findings kept with the data "
        f"({_median_of(results, KEPT_FINDINGS)}; `weekly_insights` itself, {_median_of(results, 'weekly_insights')}, "
        "runs once per change to the data, in the load)."
    )
    rest = {
        page: sum(results.engine_calls[c].median for c in results.page_calls[page] if c not in EXPLAINED_CALLS)
        for page in over
    }
    still_over = {page: value for page, value in rest.items() if value > PAGE_QUERIES_MAX}
    if still_over:
        slowest = "; ".join(
            f"{page} {seconds(value)}: {_slowest_calls(results, page)}" for page, value in still_over.items()
        )
        note += (
            f" Past those, {len(still_over)} page(s) still spend more ({slowest}), each call near its hand-written "
            "floor (tables of sales columns alone already skip the order lines, and a whole-scope baseline is "
            "counted with the repeat customers): at this scale 0.5 s needs less work per visit, results kept with the "
            "data as the sidebar's filter values are (the rank lift at the default window and lag, computed at "
            "load) or a daily creator × ASIN summary for the sales metrics."
        )
    return note


def _span(values: Iterable[float]) -> str:
    """'1.1 s–2.9 s', or one figure when there is one."""
    low, high = min(values), max(values)
    return seconds(low) if seconds(low) == seconds(high) else f"{seconds(low)}–{seconds(high)}"


def _slowest_calls(results: Results, page: str, count: int = 3) -> str:
    """The page's `count` slowest engine calls past the sidebar and the review, slowest first, with their times."""
    calls = [(c, results.engine_calls[c].median) for c in results.page_calls[page] if c not in EXPLAINED_CALLS]
    slowest = sorted(calls, key=lambda item: item[1], reverse=True)[:count]
    return ", ".join(f"{name} {seconds(median)}" for name, median in slowest)


def _render_gap(results: Results) -> str | None:
    visits = {visit: page_medians(results, visit) for visit in VISITS}
    slow = {visit: medians for visit, medians in visits.items() if medians and max(medians.values()) > PAGE_RENDER_MAX}
    if not slow:
        return None
    parts = []
    for visit, medians in slow.items():
        floor = page_medians(results, visit, "floor")
        with_chart = floor.get(FLOOR_CHART_PAGE)
        bare = floor.get(FLOOR_BARE_PAGE)
        within = sum(value <= PAGE_RENDER_MAX for value in medians.values())
        worst = max(medians, key=medians.__getitem__)
        text = (
            f"{VISITS[visit]} {seconds(min(medians.values()))}–{seconds(max(medians.values()))} "
            f"({within} of {len(medians)} pages within)"
        )
        if with_chart is not None and bare is not None:
            text += (
                f", against a floor of {seconds(bare)} for a bare Streamlit page and {seconds(with_chart)} for one "
                f"with a single small chart (the slowest, {worst}, is {ratio(medians[worst] / with_chart)} that)"
            )
        parts.append(text)
    return (
        f"**Pages render in more than {seconds(PAGE_RENDER_MAX)}**: " + "; ".join(parts) + ". The floor "
        "(bench/floor_app.py, timed the same way on the same config) is what loading Streamlit's front end and "
        "drawing it in Chromium costs on these two cores, shared by the browser and the server, whatever the page "
        "does; a page with a chart also loads and starts Plotly's 4.6 MB bundle, about half a second of the "
        "browser's main thread here. On top of the floor, the pages' scripts run with every query cached (warm "
        "column, in brackets), long tables send their first 1,000 rows and fetch the rest on scroll, pickers of "
        "thousands of creators or products list what their search box finds, and the full list of findings is "
        "sent only when opened. A first visit after the server starts also pays the server's "
        "first imports (Plotly, pandas' Arrow conversion), the page's queries with empty caches (above) and, until "
        "st.navigation has run once, a second run of the page (ui/navigation.ensure_entry_script). Part of what is "
        "drawn is a choice: each of the Overview's nine KPI cards carries a sparkline, which Streamlit draws as a "
        "Vega chart of its own, about 30 ms of the browser each; drawn without them the Overview measured 1.65 s "
        "returning and 2.20 s warm, against 1.90 s and 2.37 s with them (4 runs each, scale 250, 2026-11-30). "
        "They stay: the cards' trends are the review's first read. app.py's st.App opens every workspace's store "
        "as the server starts (its lifespan hook, ui/server.py); the first visit's imports (about 0.3 s here, once "
        "per restart) could move there too, which has not been measured. What would close the rest is a machine "
        "where the browser does not share the server's two cores, or a lighter front end than Streamlit's with "
        "Plotly."
    )


def _filter_change_gap(results: Results) -> str | None:
    changes = page_medians(results, "filter_change")
    slow = {page: value for page, value in changes.items() if value > FILTER_CHANGE_MAX}
    if not slow:
        return None
    scripts = script_medians(results, "filter_change")
    share = sum(scripts[page] for page in slow) / sum(slow.values())
    return (
        f"**Period change {seconds(min(slow.values()))}–{seconds(max(slow.values()))}** on {len(slow)} page(s) "
        f"(target {seconds(FILTER_CHANGE_MAX)}): {share:.0%} of it is the app's script, the new period's uncached "
        "`grouped_metrics` calls (each page's cold queries are in the targets table above) and drawing."
        + _drawing_cost(results)
    )


def _drawing_cost(results: Results) -> str:
    """Pages whose warm visit (every query cached) still keeps the script busy: the cost of what they draw."""
    warm = script_medians(results, "warm")
    drawn = page_drawn(results)
    heavy = {page: value for page, value in warm.items() if value > SLOW_WARM_SCRIPT and page in drawn}
    if not heavy:
        return ""
    described = ", ".join(
        f"{page} {seconds(value)} ({drawn[page][0]:,} elements, {drawn[page][1]:,} chart traces)"
        for page, value in heavy.items()
    )
    return (
        f" Even warm, with every query cached, the script runs {described}: that is Streamlit building and sending the "
        "page, which a lighter page (fewer elements, tables paginated) would shorten."
    )


def _app_memory_gap(results: Results) -> str | None:
    if results.pages is None or 0 < results.pages["sessions_rss_bytes"] <= APP_RSS_MAX:
        return None
    return (
        f"**App memory {size(results.pages['sessions_rss_bytes'])}** with {results.pages['sessions']} sessions "
        f"(target {size(APP_RSS_MAX)}): st.cache_data keeps a pickled copy of every cached result; look for large ones."
    )


def gap_notes(results: Results) -> list[str]:
    """One note per missed target: the gap, where the time goes, and what would close it."""
    checks = (
        _load_time_gap,
        _load_memory_gap,
        _query_ratio_gap,
        _pandas_gap,
        _page_queries_gap,
        _render_gap,
        _filter_change_gap,
        _app_memory_gap,
    )
    return [note for check in checks if (note := check(results))]
