"""Time from navigation to a fully rendered page in headless Chromium, against `streamlit run` on a free port.

"Fully rendered": the app's script state (the attribute behind Streamlit's status widget) has been `running` and
is back to `notRunning`, the main block has text, no skeleton is left and every Plotly chart has drawn its SVG.
Each page gets a freshly started server, so its first visit finds every Streamlit cache empty.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.report import FLOOR_BARE_PAGE, FLOOR_CHART_PAGE
from bench.timing import rss_bytes
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_command, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
# url path -> the heading the page shows (st.navigation names each page's path after its file).
PAGES = {
    "overview": ("/", "Weekly review"),
    "creators": ("/creators", "Creators"),
    "products": ("/products", "Products"),
    "customers": ("/customers", "Customers"),
    "organic_rank": ("/organic_rank", "Organic rank"),
    "campaigns": ("/campaigns", "Campaigns"),
    "data": ("/data", "Your data"),
}
# The render floor (bench/floor_app.py): the least a Streamlit page costs here, without a chart and with one.
FLOOR_SCRIPT = "bench/floor_app.py"
FLOOR_PAGES = {
    FLOOR_BARE_PAGE: ("/bare", "Bare page"),
    FLOOR_CHART_PAGE: ("/chart", "One chart"),
}
FILTER_PRESET = "Last 13 weeks"  # the sidebar's Period is on "Last 4 weeks" by default
SESSIONS = 3
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# Rendered = conditions that have held for SETTLE_MS: a fresh session can finish one script run and start another
# within milliseconds. The page keeps its own clock (performance.now(), counted from the navigation): when the
# script first ran, when it last stopped, and when the rendered conditions started to hold; the figures exclude
# the settle wait and Playwright's polling.
SETTLE_MS = 500
WATCH_SCRIPT_STATE = """
window.__bench = {sawRunning: false, runStart: null, runEnd: null, readySince: null, last: null};
new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    const bench = window.__bench;
    if (state === 'running' && bench.last !== 'running') {
        if (!bench.sawRunning) bench.runStart = performance.now();
        bench.sawRunning = true;
    } else if (state === 'notRunning' && bench.last === 'running') {
        bench.runEnd = performance.now();
    }
    bench.last = state;
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""
RESTART_CLOCK = """() => {
    Object.assign(window.__bench, {sawRunning: false, runStart: null, runEnd: null, readySince: null});
    return performance.now();
}"""
RENDERED = """(settleMs) => {
    const bench = window.__bench;
    const ready = (() => {
        const app = document.querySelector('[data-testid="stApp"]');
        if (!bench.sawRunning || !app) return false;
        if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
        const main = document.querySelector('[data-testid="stMainBlockContainer"]');
        if (!main || main.innerText.trim() === '') return false;
        if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
        const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
        return charts.every(chart => chart.querySelector('.main-svg'));
    })();
    const now = performance.now();
    if (!ready) { bench.readySince = null; return false; }
    if (bench.readySince === null) bench.readySince = now;
    return now - bench.readySince >= settleMs;
}"""

# What the browser has to draw: Streamlit elements on the page, and Plotly traces across its charts.
COUNT_DRAWN = """() => ({
    elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
    traces: document.querySelectorAll('[data-testid="stPlotlyChart"] g.trace').length,
})"""


@dataclass(frozen=True)
class Render:
    """Seconds from the navigation (or the click) to rendered, and how much of it the app's script was running."""

    seconds: float
    script_seconds: float


@dataclass
class PageRun:
    cold: Render | None = None
    warm: Render | None = None  # a new browser profile: Streamlit's front end downloaded again
    returning: Render | None = None  # a new tab of the first visit's browser, whose HTTP cache holds the front end
    filter_change: Render | None = None
    elements: int = 0  # Streamlit elements on the rendered page (warm visit)
    traces: int = 0  # Plotly traces in its charts
    problem: str | None = None  # an error element, a missing heading, or a timeout


@dataclass
class PagesResult:
    runs: dict[str, list[PageRun]] = field(default_factory=dict)
    server_start_seconds: list[float] = field(default_factory=list)
    floor: dict[str, list[PageRun]] = field(default_factory=dict)  # FLOOR_PAGES, measured the same way
    sessions_rss_bytes: int = 0
    sessions_peak_rss_bytes: int = 0
    sessions: int = SESSIONS
    browser_version: str = ""


@dataclass(frozen=True)
class Server:
    base: str
    pid: int
    start_seconds: float


@contextmanager
def app_server(db: Path, log: Path, script: str = "app.py") -> Iterator[Server]:
    """`streamlit run app.py` (or `script`) on a free port with CREATORLIFT_DB=db; stopped (and waited for)
    afterwards."""
    port = free_port()
    command = streamlit_command(port, script)
    env = {**os.environ, "CREATORLIFT_DB": str(db)}
    with open(log, "ab") as output:
        started = time.perf_counter()
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_healthy(base, server)
            yield Server(base, server.pid, time.perf_counter() - started)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_rendered(page: Page, started_ms: float, timeout_s: float) -> Render:
    page.wait_for_function(RENDERED, arg=SETTLE_MS, polling="raf", timeout=timeout_s * 1000)
    clock = page.evaluate("window.__bench")
    return Render((clock["readySince"] - started_ms) / 1000, (clock["runEnd"] - clock["runStart"]) / 1000)


def _problem(page: Page, heading: str) -> str | None:
    errors = page.locator(ERRORS)
    if errors.count():
        return "error on the page: " + errors.first.inner_text()[:200].replace("\n", " ")
    if not page.get_by_role("heading", name=heading).count():
        return f"the heading {heading!r} is not shown"
    return None


def _visit(context: BrowserContext, url: str, timeout_s: float) -> tuple[Page, Render]:
    page = context.new_page()
    page.goto(url, wait_until="commit")
    return page, _wait_rendered(page, 0.0, timeout_s)


def _change_period(page: Page, preset: str, timeout_s: float) -> Render:
    """Pick another Period preset in the sidebar; the time until the rerun has rendered."""
    # The sidebar's Period selectbox by its label: the Brand picker above it is a selectbox too.
    selectboxes = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    selectboxes.filter(has=page.get_by_text("Period", exact=True)).click()
    option = page.get_by_role("option", name=preset, exact=True)
    started = float(page.evaluate(RESTART_CLOCK))
    option.click()
    return _wait_rendered(page, started, timeout_s)


def _new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(WATCH_SCRIPT_STATE)
    return context


def measure_page(
    browser: Browser, server: Server, path: str, heading: str, timeout_s: float, change_period: bool = True
) -> PageRun:
    """First visit (cold caches); a second in a new session and browser profile (warm), then a Period change in
    that session (unless `change_period` is False: the floor's pages have no sidebar); last a visit in a new tab of
    the first browser (returning: a new session, the front end cached)."""
    run = PageRun()
    first, second = _new_context(browser), _new_context(browser)
    try:
        page, run.cold = _visit(first, server.base + path, timeout_s)
        run.problem = _problem(page, heading)
        page, run.warm = _visit(second, server.base + path, timeout_s)
        drawn = page.evaluate(COUNT_DRAWN)
        run.elements, run.traces = int(drawn["elements"]), int(drawn["traces"])
        if change_period:
            run.filter_change = _change_period(page, FILTER_PRESET, timeout_s)
        run.problem = run.problem or _problem(page, heading)
        page, run.returning = _visit(first, server.base + path, timeout_s)
        run.problem = run.problem or _problem(page, heading)
    except PlaywrightError as error:
        run.problem = run.problem or f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    finally:
        first.close()
        second.close()
    return run


def measure_sessions(browser: Browser, server: Server, timeout_s: float, sessions: int = SESSIONS) -> tuple[int, int]:
    """Resident memory (current, peak) of the app after `sessions` browser sessions have opened the Overview."""
    contexts = [_new_context(browser) for _ in range(sessions)]
    try:
        for context in contexts:
            _visit(context, server.base + PAGES["overview"][0], timeout_s)
        return rss_bytes(server.pid)
    finally:
        for context in contexts:
            context.close()


def copy_store(db: Path, target: Path) -> Path:
    """A private copy of the store: DuckDB lets one process hold a file, and the app writes to it on start."""
    for stale in (target, target.with_name(target.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(db, target)
    return target


def measure_pages(
    db: Path, work: Path, repeat: int, timeout_s: float, log: Callable[[str], None] = print
) -> PagesResult:
    """Every page `repeat` times, each on a fresh server; then memory with several sessions on the Overview."""
    result = PagesResult()
    app_db = copy_store(db, work / "app.duckdb")
    server_log = work / "streamlit.log"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        result.browser_version = f"Chromium {browser.version}"
        try:
            for attempt in range(repeat):
                for name, (path, heading) in PAGES.items():
                    with app_server(app_db, server_log) as server:
                        result.server_start_seconds.append(server.start_seconds)
                        run = measure_page(browser, server, path, heading, timeout_s)
                    result.runs.setdefault(name, []).append(run)
                    log(f"  page {name} #{attempt + 1}: {_describe(run)}")
                for name, (path, heading) in FLOOR_PAGES.items():
                    with app_server(app_db, server_log, FLOOR_SCRIPT) as server:
                        run = measure_page(browser, server, path, heading, timeout_s, change_period=False)
                    result.floor.setdefault(name, []).append(run)
                    log(f"  floor {name} #{attempt + 1}: {_describe(run)}")
            with app_server(app_db, server_log) as server:
                result.sessions_rss_bytes, result.sessions_peak_rss_bytes = measure_sessions(browser, server, timeout_s)
        finally:
            browser.close()
    return result


def _describe(run: PageRun) -> str:
    figures = ", ".join(
        f"{label} {render.seconds:.2f} s (script {render.script_seconds:.2f} s)"
        for label, render in (
            ("cold", run.cold),
            ("warm", run.warm),
            ("filter", run.filter_change),
            ("returning", run.returning),
        )
        if render is not None
    )
    drawn = f"; {run.elements:,} elements, {run.traces:,} chart traces"
    return figures + drawn + (f"  PROBLEM: {run.problem}" if run.problem else "")
