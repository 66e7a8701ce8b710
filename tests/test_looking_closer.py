"""Looking closer: the program and ASIN filters, links that hold a preset's dates, the year-over-year comparison, and
creators compared on one chart; and the small wording and chart fixes a marketer asked for.

Page tests read what the user sees under AppTest and check it against sums worked out from the performance table
itself (or the engine, where a whole card row is compared), for the filtered scope.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics.grouped import REGISTRY, Scope, data_range, filter_asins, totals
from analytics.metrics.periods import (
    DEFAULT_PRESET,
    comparison_period,
    preset_range,
    previous_period,
    same_period_last_year,
)
from analytics.present.charts import (
    EVENT_ROW_PIXELS,
    TITLE_LINE_PIXELS,
    TITLE_PIXELS,
    WEEK_BAR,
    broken_at_gaps,
    mark_events,
    styled,
    weekly_bars_with_rate,
    weekly_lines,
    wrapped_title,
)
from analytics.present.formatting import format_delta, format_value, unchanged
from analytics.review.screens import weeks_of_each
from analytics.store.changes import load_file
from analytics.store.database import open_store
from analytics.words import plural
from tests.conftest import ROOT
from tests.plotly_support import values
from ui.sidebar import asin_label

OVERVIEW, CREATORS, PRODUCTS = "pages/overview.py", "pages/creators.py", "pages/products.py"
# The sample's last day is Saturday Nov 14, 2026: "Last 4 weeks" is Oct 18 – Nov 14, 2026.
LAST_4_WEEKS = (date(2026, 10, 18), date(2026, 11, 14))
PERFORMANCE_HEADER = "date,campaign,creator,asin,clicks,orders,units,revenue,commission,ntb_orders,sns_orders"


# --- Periods compared --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Whole Sunday–Saturday weeks go back 52 weeks: Sunday Oct 19 – Saturday Nov 15, 2025.
        (date(2026, 10, 18), date(2026, 11, 14), (date(2025, 10, 19), date(2025, 11, 15))),
        (date(2026, 11, 8), date(2026, 11, 14), (date(2025, 11, 9), date(2025, 11, 15))),
        # Anything else goes back a calendar year.
        (date(2026, 1, 1), date(2026, 11, 14), (date(2025, 1, 1), date(2025, 11, 14))),
        (date(2026, 8, 17), date(2026, 11, 14), (date(2025, 8, 17), date(2025, 11, 14))),
        # February 29 has no day a year earlier: February 28.
        (date(2028, 2, 29), date(2028, 3, 10), (date(2027, 2, 28), date(2027, 3, 10))),
        (date(2028, 2, 1), date(2028, 2, 29), (date(2027, 2, 1), date(2027, 2, 28))),
    ],
)
def test_the_same_period_last_year_lines_up_weeks_and_calendar_days(
    start: date, end: date, expected: tuple[date, date]
) -> None:
    assert same_period_last_year(start, end) == expected
    assert comparison_period(start, end, "year") == expected


def test_the_previous_period_is_still_the_default_comparison() -> None:
    assert comparison_period(*LAST_4_WEEKS) == previous_period(*LAST_4_WEEKS) == (date(2026, 9, 20), date(2026, 10, 17))
    with pytest.raises(ValueError, match="unknown comparison"):
        comparison_period(*LAST_4_WEEKS, "decade")


@pytest.mark.parametrize(
    ("as_of", "month", "before"),
    [
        # The sample's last day, Nov 14: October is the last whole month, against September (not Aug 31 - Sep 30).
        (date(2026, 11, 14), (date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 9, 1), date(2026, 9, 30))),
        # Data through a month's last day: that month.
        (date(2026, 10, 31), (date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 9, 1), date(2026, 9, 30))),
        # March against a February of 28 days; January against the year before's December.
        (date(2026, 4, 2), (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 2, 27), (date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_the_last_full_month_is_compared_with_the_month_before(
    as_of: date, month: tuple[date, date], before: tuple[date, date]
) -> None:
    assert preset_range("Last full month", as_of) == month
    assert comparison_period(*month) == before
    assert comparison_period(*month, "year") == (
        month[0].replace(year=month[0].year - 1),
        month[1].replace(year=month[1].year - 1),
    )


def test_the_overview_of_the_last_full_month_names_it_against_the_month_before(app_env) -> None:
    at = open_app({"period": "Last full month"})
    assert any(
        c.value.endswith(
            "· Oct 1 – Oct 31, 2026, compared with the month before (Sep 1 – Sep 30, 2026). Data through Nov 14, 2026."
        )
        for c in at.caption
    ), [c.value for c in at.caption][:3]
    assert {m.proto.delta_description for m in at.metric if m.proto.delta} == {"vs the month before"}


# --- Words and numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (47.0, "rank", "47"),
        (47.25, "rank", "47.3"),  # as the table's "%.1f" rounds the half
        (1047.0, "rank", "1,047"),
        (3.5, "rank_change", "+3.5"),
        (-3.5, "rank_change", "-3.5"),
        (-0.04, "rank_change", "0"),
        (0.012, "points", "+1.2 pts"),
        (-0.0004, "points", "0.0 pts"),
    ],
)
def test_ranks_read_as_plain_numbers_and_a_change_rounding_to_nothing_has_no_sign(
    value: float, fmt: str, shown: str
) -> None:
    assert format_value(value, fmt) == shown


@pytest.mark.parametrize(
    ("current", "previous", "fmt", "delta", "flat"),
    [
        (0.1, 0.1004, "percent", "0.0 pts", True),  # was "-0.0 pts", shown as a green fall
        (100.0, 100.01, "money", "0.0%", True),
        (110.0, 100.0, "money", "+10.0%", False),
        (90.0, 100.0, "money", "-10.0%", False),
        (0.2, 0.1, "percent", "+10.0 pts", False),
    ],
)
def test_a_change_that_rounds_to_nothing_is_neither_up_nor_down(
    current: float, previous: float, fmt: str, delta: str, flat: bool
) -> None:
    assert format_delta(current, previous, fmt) == delta
    assert unchanged(delta) is flat


def test_a_change_from_net_returns_is_no_percent() -> None:
    """A product whose period before held only a $19.99 return (net -$19.99) and now sells $19.99 read "+200.0%": a
    percent of a negative base says nothing. No percent, as against a period of nothing."""
    assert format_delta(19.99, -19.99, "money") is None
    assert format_delta(19.99, 0.0, "money") is None
    assert format_delta(-5.0, -0.05, "percent") == "-495.0 pts"


@pytest.mark.parametrize(
    ("count", "noun", "shown"),
    [(1, "creator", "1 creator"), (0, "creator", "0 creators"), (1204, "creator", "1,204 creators")],
)
def test_counts_agree_with_their_nouns(count: int, noun: str, shown: str) -> None:
    assert plural(count, noun) == shown


def test_an_asin_is_listed_with_the_start_of_its_title() -> None:
    assert asin_label("B0AAAAAAAA", None) == "B0AAAAAAAA"
    assert asin_label("B0AAAAAAAA", "Whey, 2 lb") == "B0AAAAAAAA · Whey, 2 lb"
    long = asin_label("B0AAAAAAAA", "x" * 60)
    assert long.endswith("…") and len(long) == len("B0AAAAAAAA · ") + 40


# --- Charts ------------------------------------------------------------------------------------------------


def test_a_rank_line_breaks_where_readings_stop_for_a_while() -> None:
    """Daily readings on Jan 1–3 and Jan 20–21: one empty row on Jan 4 breaks the line; no break inside a run."""
    readings = pd.DataFrame(
        {
            "date": [date(2026, 1, d) for d in (1, 2, 3, 20, 21)],
            "keyword": "whey",
            "organic_rank": [5, 6, 7, 8, 9],
        }
    )
    broken = broken_at_gaps(readings)
    assert broken["date"].tolist() == [date(2026, 1, d) for d in (1, 2, 3, 4, 20, 21)]
    assert broken["organic_rank"].isna().tolist() == [False, False, False, True, False, False]
    assert broken_at_gaps(readings.iloc[:3]).equals(readings.iloc[:3])


def test_weeks_without_activity_are_zero_sums_and_missing_rates() -> None:
    """Two creators over the three weeks from Sunday Jan 4, 2026; "b" sold only in the middle week."""
    weekly = pd.DataFrame(
        {
            "week": [date(2026, 1, 4), date(2026, 1, 11), date(2026, 1, 18), date(2026, 1, 11)],
            "creator": ["a", "a", "a", "b"],
            "revenue": [10.0, 20.0, 30.0, 5.0],
            "conversion_rate": [0.1, 0.2, 0.3, 0.5],
        }
    )
    filled = weeks_of_each(weekly, "creator", ["b", "a"], (date(2026, 1, 4), date(2026, 1, 24)))
    b = filled[filled["creator"] == "b"]
    assert b["revenue"].tolist() == [0.0, 5.0, 0.0]
    assert b["conversion_rate"].isna().tolist() == [True, False, True]
    figure = weekly_lines(filled, "creator", "conversion_rate", "Conversion rate by week", {"a": "#111", "b": "#222"})
    assert [t.name for t in figure.data] == ["b", "a"]
    assert [t.line.color for t in figure.data] == ["#222", "#111"]
    shared = weekly_lines(filled, "creator", "revenue", "Revenue by week", {"a": "#111", "b": "#111"})
    assert len({t.line.color for t in shared.data}) == 2, "two creators of one colour are told apart"
    assert all(t.connectgaps is False for t in figure.data)
    assert figure.layout.xaxis.title.text == "Week (Sunday to Saturday)"
    assert figure.layout.yaxis.title.text == "Conversion rate (%)"


# --- Page helpers ------------------------------------------------------------------------------------------


def open_app(params: dict[str, str | list[str]] | None = None, page: str = OVERVIEW) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.run()
    if page != OVERVIEW:
        at.switch_page(page).run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    return at


def cards(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def sums(
    con: duckdb.DuckDBPyConnection, start: date, end: date, asin: str | None = None, creator: str | None = None
) -> dict[str, float]:
    """Clicks, orders, revenue and commission straight from the performance rows (of one ASIN or creator)."""
    row = con.execute(
        """
        select sum(clicks), sum(orders), cast(sum(revenue) as double), cast(sum(commission) as double)
        from performance
        where date between $start and $end
          and ($asin is null or asin = $asin)
          and ($creator is null or creator = $creator)
        """,
        {"start": start, "end": end, "asin": asin, "creator": creator},
    ).fetchone()
    assert row is not None
    return dict(zip(("clicks", "orders", "revenue", "commission"), (float(v or 0) for v in row), strict=True))


def add_performance(db: Path, rows: str, program: str | None = None) -> None:
    """Load performance rows (CSV lines under the sample's header) into the app's copy of the demo store."""
    path = db.with_name(f"extra_{program or 'cc'}.csv")
    path.write_text(PERFORMANCE_HEADER + "\n" + textwrap.dedent(rows).strip() + "\n", encoding="utf-8")
    con = open_store(db)
    try:
        load_file(con, path, path.name, kind="performance", into_demo=True, program=program)
    finally:
        con.close()


def top_asin(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "select asin from performance where date between $s and $e group by asin order by sum(revenue) desc",
            {"s": LAST_4_WEEKS[0], "e": LAST_4_WEEKS[1]},
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0])


# --- ASIN filter -------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_an_asin_link_narrows_the_overview_cards_to_that_asin(app_env: Path) -> None:
    asin = top_asin(app_env)
    at = open_app({"asin": asin})
    assert at.multiselect(key="filter_asin").value == [asin]
    con = open_store(app_env)
    try:
        assert data_range(con) is not None
        assert preset_range(DEFAULT_PRESET, data_range(con)[1]) == LAST_4_WEEKS  # type: ignore[index]
        hand = sums(con, *LAST_4_WEEKS, asin=asin)
        before = sums(con, *previous_period(*LAST_4_WEEKS), asin=asin)
        scope = Scope(*LAST_4_WEEKS, asins=(asin,))
        engine = totals(con, scope)
    finally:
        con.close()
    shown = cards(at)
    assert shown["Attributed revenue"][0] == format_value(hand["revenue"], "money")
    assert shown["Attributed revenue"][1] == format_delta(hand["revenue"], before["revenue"], "money")
    assert shown["Clicks"][0] == format_value(hand["clicks"], "count")
    assert shown["Orders"][0] == format_value(hand["orders"], "count")
    assert shown["Conversion rate"][0] == format_value(hand["orders"] / hand["clicks"], "percent")
    assert shown["Commission share"][0] == format_value(hand["commission"] / hand["revenue"], "percent")
    assert engine["revenue"] == pytest.approx(hand["revenue"])
    everything = open_app()
    assert cards(everything)["Attributed revenue"] != shown["Attributed revenue"]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_asins_picked_in_the_sidebar_go_into_the_link_and_come_back_from_it(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    asins = list(filter_asins(sample_con))[:2]
    at = open_app()
    assert at.multiselect(key="filter_asin").options == [asin_label(a, t) for a, t in filter_asins(sample_con).items()]
    at.multiselect(key="filter_asin").set_value(asins).run()
    assert not at.exception
    assert at.query_params["asin"] == asins
    shared = open_app({"asin": asins, "focus": "kept"})
    assert shared.multiselect(key="filter_asin").value == asins
    assert shared.query_params["focus"] == "kept"  # a page's own parameter survives the sidebar's rewrite


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_asin_filter_offers_the_asins_of_the_product_lines_picked(sample_con: duckdb.DuckDBPyConnection) -> None:
    """With Hydration picked, the ASIN list holds Hydration's products alone, as the catalog lines them."""
    hydration = {
        row[0]
        for row in sample_con.execute(
            "select distinct a.asin from activity as a join products as p using (asin) where p.product_line = 'Hydration'"
        ).fetchall()
    }
    assert hydration and set(filter_asins(sample_con)) > hydration
    assert set(filter_asins(sample_con, ["Hydration"])) == hydration
    at = open_app({"line": "Hydration"})
    titles = filter_asins(sample_con, ["Hydration"])
    assert at.multiselect(key="filter_asin").options == [asin_label(a, t) for a, t in titles.items()]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
@pytest.mark.parametrize("page", [OVERVIEW, CREATORS, PRODUCTS, "pages/organic_rank.py", "pages/customers.py"])
def test_an_asin_link_naming_no_product_in_the_data_shows_everything(page: str) -> None:
    at = open_app({"asin": ["B000NOSUCH", "[x](https://evil.example)"], "program": "nope"}, page)
    assert not at.error
    assert at.multiselect(key="filter_asin").value == []


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_products_page_lists_only_the_asins_picked(sample_con: duckdb.DuckDBPyConnection) -> None:
    asin = list(filter_asins(sample_con))[0]
    at = open_app({"asin": asin, "period": "Year to date"}, PRODUCTS)
    frames = [d.value for d in at.dataframe if list(d.value.columns)[:1] == ["asin"]]
    assert frames and frames[0]["asin"].tolist() == [asin]


# --- Program filter ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_the_program_filter_appears_with_a_second_program_and_narrows_every_card(app_env: Path) -> None:
    """A Levanta export adds two rows for a creator new to the store: $300 + $700 of revenue, 40 + 60 clicks,
    3 + 7 orders, $30 + $70 commission. With program=levanta the cards show exactly those."""
    assert "filter_program" not in [m.key for m in open_app().multiselect]  # one program: nothing to choose
    add_performance(
        app_env,
        """
        2026-10-20,Always-on,@levanta_pal,B0ML6LH42E,40,3,3,300.00,30.00,0,0
        2026-11-01,Always-on,@levanta_pal,B0ML6LH42E,60,7,7,700.00,70.00,0,0
        2026-10-17,Always-on,@levanta_pal,B0ML6LH42E,999,99,99,9999.00,999.00,0,0
        """,
        program="levanta",
    )
    at = open_app({"program": "levanta"})
    assert at.multiselect(key="filter_program").options == ["Creator Connections", "Levanta"]
    assert at.multiselect(key="filter_program").value == ["levanta"]
    shown = cards(at)
    assert shown["Attributed revenue"][0] == "$1,000.00"
    assert shown["Clicks"][0] == "100"
    assert shown["Orders"][0] == "10"
    assert shown["Conversion rate"][0] == "10.0%"
    assert shown["Commission"][0] == "$100.00"
    # The previous period (Sep 20 – Oct 17) holds Levanta's first row alone, on Oct 17: $9,999.00 against $1,000.00
    # would read -90.0 %. Levanta's downloads start inside it, so there is no change against its 1 day of 28.
    assert shown["Attributed revenue"][1] == ""
    assert any(
        "The program chosen's data starts Oct 17, 2026, inside the period compared with (Sep 20 – Oct 17, 2026): only "
        "1 of its 28 days hold data, so there is no change to show." in c.value
        for c in at.caption
    )
    creators = open_app({"program": "levanta", "creator": "@levanta_pal"}, CREATORS)
    assert any(c.value.startswith("1 creator with activity") for c in creators.caption)


# --- Links that hold a preset's dates ----------------------------------------------------------------------


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_a_preset_moves_with_the_data_until_its_dates_are_held_in_the_link(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    at = open_app()
    assert at.toggle(key="filter_pin_dates").value is False
    assert "start" not in at.query_params
    at.toggle(key="filter_pin_dates").set_value(True).run()
    assert (at.query_params["period"], at.query_params["start"], at.query_params["end"]) == (
        DEFAULT_PRESET,
        "2026-10-18",
        "2026-11-14",
    )
    at.toggle(key="filter_pin_dates").set_value(False).run()
    assert "start" not in at.query_params and "end" not in at.query_params

    held = (date(2026, 9, 6), date(2026, 10, 3))  # four weeks the data no longer calls "Last 4 weeks"
    pinned = open_app({"period": DEFAULT_PRESET, "start": "2026-09-06", "end": "2026-10-03"})
    assert pinned.toggle(key="filter_pin_dates").value is True
    assert pinned.selectbox(key="filter_period").value == DEFAULT_PRESET
    now, before = sums(sample_con, *held), sums(sample_con, *previous_period(*held))
    shown = cards(pinned)
    assert shown["Attributed revenue"] == (
        format_value(now["revenue"], "money"),
        format_delta(now["revenue"], before["revenue"], "money"),
    )
    assert any("held in the link" in c.value for c in pinned.sidebar.caption)
    assert any("Sep 6 – Oct 3, 2026" in c.value for c in pinned.caption)


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_an_asin_launched_since_the_period_compared_with_is_not_sent_to_upload_older_reports(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The sample's B0GCGLOJ4P first sold on Sep 28, 2026: over the last 13 weeks it has nothing in the 13 before,
    which the store holds. Uploading older reports would not change that, so the page says what the filter picked
    had no sales then."""
    first_sale = sample_con.execute("select min(date) from performance where asin = 'B0GCGLOJ4P'").fetchone()[0]
    at = open_app({"period": "Last 13 weeks", "asin": "B0GCGLOJ4P"})
    before = next(c.value for c in at.caption if "in the previous period" in c.value)
    assert first_sale == date(2026, 9, 28)
    assert "No sales of the selected ASIN in the previous period (May 17 – Aug 15, 2026)" in before
    assert "upload older" not in before
    plain = open_app({"period": "Last 13 weeks"})
    assert not any("in the previous period" in c.value for c in plain.caption)


# --- Year over year ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_without_last_years_data_the_cards_say_so_instead_of_showing_changes() -> None:
    at = open_app({"compare": "year"})
    assert at.selectbox(key="filter_compare").value == "year"
    assert all(not m.delta for m in at.metric)
    assert any("No data for the same period last year (Oct 19 – Nov 15, 2025)" in c.value for c in at.caption)


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_year_over_year_changes_are_against_the_same_weeks_a_year_earlier(app_env: Path) -> None:
    """Last year's weeks are Sunday Oct 19 – Saturday Nov 15, 2025 (52 weeks back). Rows on Oct 20 and Nov 15
    count ($1,000 + $500, 100 + 50 clicks, 10 + 5 orders, $100 + $50 commission); the rows on Oct 18 and Nov 16
    lie just outside (a calendar-year shift, Oct 18 – Nov 14, would count the $9,999 one and miss the $500)."""
    add_performance(
        app_env,
        """
        2025-10-18,Always-on,@naturallynina,B0ML6LH42E,999,99,99,9999.00,999.00,0,0
        2025-10-20,Always-on,@naturallynina,B0ML6LH42E,100,10,10,1000.00,100.00,0,0
        2025-11-15,Always-on,@naturallynina,B0ML6LH42E,50,5,5,500.00,50.00,0,0
        2025-11-16,Always-on,@naturallynina,B0ML6LH42E,999,99,99,9999.00,999.00,0,0
        """,
    )
    con = open_store(app_env)
    try:
        now = sums(con, *LAST_4_WEEKS)
        engine_now = totals(con, Scope(*LAST_4_WEEKS))
        engine_then = totals(con, Scope(date(2025, 10, 19), date(2025, 11, 15)))
    finally:
        con.close()
    at = open_app({"compare": "year"})
    shown = cards(at)
    revenue_change = (now["revenue"] - 1500) / 1500 * 100
    assert shown["Attributed revenue"][1] == f"{revenue_change:+.1f}%"
    assert shown["Clicks"][1] == f"{(now['clicks'] - 150) / 150 * 100:+.1f}%"
    conversion_points = (now["orders"] / now["clicks"] - 15 / 150) * 100
    assert shown["Conversion rate"][1] == f"{conversion_points:+.1f} pts"
    assert shown["Commission share"][1] == f"{(now['commission'] / now['revenue'] - 150 / 1500) * 100:+.1f} pts"
    assert engine_then["revenue"] == pytest.approx(1500)
    for metric in ("orders", "commission"):
        label = REGISTRY[metric].label
        assert shown[label][1] == format_delta(engine_now[metric], engine_then[metric], REGISTRY[metric].format)
    assert any("compared with the same dates a year earlier" in c.value for c in at.caption)
    assert at.query_params["compare"] == "year"


# --- Creators compared -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_creators_picked_for_comparison_share_one_weekly_chart(sample_con: duckdb.DuckDBPyConnection) -> None:
    at = open_app(page=CREATORS)
    picked = at.multiselect(key="creators_compare").value
    assert len(picked) == 3, "the top three by revenue to start with"
    at.selectbox(key="creators_compare_metric").set_value("revenue").run()
    chart = next(c for c in at.get("plotly_chart") if "Attributed revenue by week" in c.proto.spec)
    spec = json.loads(chart.proto.spec)
    assert [t["name"] for t in spec["data"]] == picked
    assert spec["layout"]["yaxis"]["title"]["text"] == "Attributed revenue ($)"
    # Each line's weeks add up to the creator's revenue over the chart's weeks, from the rows themselves.
    weeks = [date.fromisoformat(str(x)[:10]) for x in values(spec["data"][0]["x"])]
    for trace, creator in zip(spec["data"], picked, strict=True):
        expected = sums(sample_con, weeks[0], weeks[-1] + timedelta(days=6), creator=creator)
        assert float(np.nansum(values(trace["y"]))) == pytest.approx(expected["revenue"])
    at.multiselect(key="creators_compare").set_value(picked[:1]).run()
    assert any("Pick two or more creators" in i.value for i in at.info)


def test_event_names_close_together_are_stacked_not_overlapped() -> None:
    """Events on Jan 1 and Jan 3 over a two-month chart: the second name starts under the first, so it goes a row
    up; an event a month later has room on the first row again."""
    figure = go.Figure(go.Scatter(x=[date(2026, 1, 1), date(2026, 2, 28)], y=[1, 2]))
    events = pd.DataFrame(
        {
            "name": ["Prime Day", "Prime Day Early Deals", "Spring Sale"],
            "start": [date(2026, 1, 1), date(2026, 1, 3), date(2026, 2, 1)],
            "end": [date(2026, 1, 2), date(2026, 1, 4), date(2026, 2, 2)],
        }
    )
    shifts = [(a.text, a.yshift or 0) for a in mark_events(figure, events).layout.annotations]
    assert shifts == [("Prime Day", 0), ("Prime Day Early Deals", EVENT_ROW_PIXELS), ("Spring Sale", 0)]


def test_an_event_name_that_would_run_off_the_chart_ends_where_its_event_ends() -> None:
    """A deal on Feb 20 – 21 of a chart ending Feb 28: its long name would pass the right edge, so it is written
    leftwards from the day after its last day; one early in the chart is written rightwards from its first day."""
    figure = go.Figure(go.Scatter(x=[date(2026, 1, 1), date(2026, 2, 28)], y=[1, 2]))
    events = pd.DataFrame(
        {
            "name": ["Prime Big Deal Days", "Prime Big Deal Days, again"],
            "start": [date(2026, 1, 5), date(2026, 2, 20)],
            "end": [date(2026, 1, 6), date(2026, 2, 21)],
        }
    )
    marked = mark_events(figure, events)
    placed = [(a.xanchor, str(a.x)[:10], a.yshift or 0) for a in marked.layout.annotations]
    # The second name, written leftwards, still reaches under the first: it goes a row up, and the top margin grows
    # to hold the title and both rows.
    assert placed == [("left", "2026-01-05", 0), ("right", "2026-02-22", EVENT_ROW_PIXELS)]
    assert marked.layout.margin.t == TITLE_PIXELS + 2 * EVENT_ROW_PIXELS + 4


def test_a_long_chart_title_is_wrapped_into_lines_a_phone_shows_whole() -> None:
    """Plotly does not wrap a title: at 390 px "New-to-brand % by product line: creator-attributed buyers vs all
    buyers" ran 149 px off the chart. Lines of at most 40 characters, as even as they go; after the colon when what
    follows fits a line; a separator ends its line."""
    assert wrapped_title("Conversion rate by week") == "Conversion rate by week"
    assert (
        wrapped_title("New-to-brand % by product line: creator-attributed buyers vs all buyers")
        == "New-to-brand % by product line:<br>creator-attributed buyers vs all buyers"
    )
    # 47 characters in two lines of 22 and 24, not 39 and 7 ("… commission share" / "by week").
    assert (
        wrapped_title("Attributed revenue and commission share by week")
        == "Attributed revenue and<br>commission share by week"
    )
    # After the colon, 46 characters would not fit a line.
    assert (
        wrapped_title("Organic rank by keyword: B04D31IFP6 · Magnesium Glycinate, 120 capsules")
        == "Organic rank by keyword: B04D31IFP6 ·<br>Magnesium Glycinate, 120 capsules"
    )
    # A word longer than a line (a storefront address as a creator's name) stands on a line of its own.
    assert (
        wrapped_title("https://www.amazon.com/shop/influencer-1a2b3c4d: attributed revenue and conversion rate by week")
        == "https://www.amazon.com/shop/influencer-1a2b3c4d:<br>attributed revenue and<br>conversion rate by week"
    )
    assert wrapped_title("x" * 45) == "x" * 45
    # An entity counts as the one character it shows.
    assert wrapped_title("How each product line&#x27;s revenue splits across its ASINs").count("<br>") == 1
    # Each line past the first adds its height above the plot, and to the figure, which keeps its plot's height.
    figure = styled(go.Figure(), "Attributed revenue and commission share by week", "Week", "Revenue ($)", height=360)
    assert (figure.layout.margin.t, figure.layout.height) == (60 + TITLE_LINE_PIXELS, 360 + TITLE_LINE_PIXELS)
    marked = mark_events(
        go.Figure(
            go.Scatter(x=[date(2026, 1, 1), date(2026, 2, 28)], y=[1, 2]), layout_title_text=figure.layout.title.text
        ),
        pd.DataFrame({"name": ["Prime Day"], "start": [date(2026, 1, 5)], "end": [date(2026, 1, 6)]}),
    )
    assert marked.layout.margin.t == TITLE_PIXELS + TITLE_LINE_PIXELS + EVENT_ROW_PIXELS + 4


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_organic_rank_page_offers_only_the_asins_the_sidebar_picked(sample_con: duckdb.DuckDBPyConnection) -> None:
    ranked = [row[0] for row in sample_con.execute("select distinct asin from ranks order by 1").fetchall()]
    picked = next(a for a in ranked if a in filter_asins(sample_con))
    at = open_app({"asin": picked}, "pages/organic_rank.py")
    assert at.selectbox(key="rank_asin").value == picked
    assert [o.split(" · ")[0] for o in at.selectbox(key="rank_asin").options] == [picked]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_organic_rank_pages_findings_and_lines_follow_the_sidebars_product_filters(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """Narrowed to one ranked ASIN, the page's "revenue up, rank flat" cards are only about it and its line table
    lists only its line; the findings about other products are left out, as the page says its filters apply."""
    from analytics.metrics.grouped import data_range
    from analytics.review.insights import revenue_up_rank_flat

    span = data_range(sample_con)
    assert span is not None
    flagged = revenue_up_rank_flat(sample_con, span[1])
    lines = dict(sample_con.execute("select asin, product_line from products").fetchall())
    ranked = {row[0] for row in sample_con.execute("select distinct asin from ranks").fetchall()}
    picked = next(i.subject for i in flagged if i.subject in ranked and i.subject in filter_asins(sample_con))
    others = [i.subject for i in flagged if i.subject != picked]
    assert others  # the sample flags more than one product, so leaving them out is something to see
    at = open_app({"asin": picked}, "pages/organic_rank.py")
    shown = " ".join(m.value for m in at.markdown)
    assert f"Attributed revenue for {picked}" in shown
    assert not any(f"Attributed revenue for {other}" in shown for other in others)
    line_table = next(d.value for d in at.dataframe if "keywords_measured" in d.value and "asin" not in d.value)
    assert line_table["product_line"].tolist() == [lines[picked]]


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_the_organic_rank_windows_travel_in_the_link() -> None:
    """A link with ?window=14&lag=7 opens on those windows; changing one writes it back, and the default leaves
    the link."""
    at = open_app({"window": "14", "lag": "7"}, "pages/organic_rank.py")
    assert (at.number_input(key="rank_window_days").value, at.number_input(key="rank_lag_days").value) == (14, 7)
    at.number_input(key="rank_window_days").set_value(21).run()
    assert not at.exception
    assert (at.query_params["window"], at.query_params["lag"]) == ("21", "7")
    at.number_input(key="rank_lag_days").set_value(0).run()
    assert "lag" not in at.query_params
    # Event days left out travel too, so a shared view shows the same figures.
    at.checkbox(key="rank_exclude_events").check().run()
    assert at.query_params["events"] == "out"
    shared = open_app({"events": "out"}, "pages/organic_rank.py")
    assert shared.checkbox(key="rank_exclude_events").value is True
    at.checkbox(key="rank_exclude_events").uncheck().run()
    assert "events" not in at.query_params


@pytest.mark.usefixtures("app_env", "entry_script_on_every_run")
def test_a_compared_creator_without_activity_in_a_new_period_is_named_as_left_out(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    from analytics.metrics.grouped import Scope, data_range, grouped_metrics
    from analytics.metrics.periods import preset_range
    from ui.notices import md

    span = data_range(sample_con)
    assert span is not None
    recent = set(grouped_metrics(sample_con, Scope(*preset_range("Last 4 weeks", span[1])), ("creator",))["creator"])
    year = grouped_metrics(sample_con, Scope(*preset_range("Year to date", span[1])), ("creator",))
    gone = next(c for c in year.sort_values("revenue", ascending=False)["creator"] if c not in recent)
    stays = next(iter(sorted(recent)))
    at = open_app({"period": "Year to date"}, "pages/creators.py")
    at.multiselect(key="creators_compare").set_value([stays, gone]).run()
    at.selectbox(key="filter_period").set_value("Last 4 weeks").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value.startswith(f"Left out of the comparison: {md(gone)}") for c in at.caption), [
        c.value for c in at.caption
    ]


def test_a_single_weeks_bar_is_drawn_a_week_wide_with_the_week_as_its_tick() -> None:
    """A brand's first week: Plotly cannot work a bar's width out from one bar and draws it a pixel wide, and it
    ticks the week's days. The bar is given its width, and the axis a tick on the week's Sunday."""
    weekly = pd.DataFrame({"week": [date(2026, 11, 15)], "revenue": [169.94], "commission_share": [0.1]})
    figure = weekly_bars_with_rate(weekly, "revenue", "commission_share", "Revenue", "#000")
    assert figure.data[0].width == WEEK_BAR
    assert list(figure.layout.xaxis.ticktext) == ["Nov 15"]
    assert [pd.Timestamp(t) for t in figure.layout.xaxis.tickvals] == [pd.Timestamp("2026-11-18 12:00")]


def test_three_creators_over_four_weeks_are_ticked_by_week() -> None:
    """Four weeks of three creators are twelve rows but four weeks: each week's Sunday gets its tick, as one
    creator's would, rather than Plotly's every third day."""
    weeks = [date(2026, 10, 18) + timedelta(weeks=n) for n in range(4)]
    weekly = pd.DataFrame({"week": weeks * 3, "creator": [c for c in "abc" for _ in weeks], "revenue": [1.0] * 12})
    figure = weekly_lines(weekly, "creator", "revenue", "Revenue by week", {})
    assert list(figure.layout.xaxis.ticktext) == ["Oct 18", "Oct 25", "Nov 1", "Nov 8"]
    # Each date under the middle of its week, where its points are, rather than at the edge between two weeks.
    assert pd.Timestamp(figure.layout.xaxis.tickvals[0]) == pd.Timestamp("2026-10-21 12:00")
    assert list(figure.layout.xaxis.range) == [pd.Timestamp("2026-10-18"), pd.Timestamp("2026-11-15")]


def test_thirteen_weeks_name_every_second_week_under_its_own_bar_ending_on_the_latest() -> None:
    """Too many weeks to name each: every second one is named, under the middle of its bar, counting back from the
    latest (Nov 8), rather than Plotly's dates on the Sundays between bars, where the last read Nov 15, after the
    data."""
    weeks = [date(2026, 8, 16) + timedelta(weeks=n) for n in range(13)]
    weekly = pd.DataFrame({"week": weeks, "revenue": [1.0] * 13, "commission_share": [0.1] * 13})
    figure = weekly_bars_with_rate(weekly, "revenue", "commission_share", "Revenue", "#000")
    axis = figure.layout.xaxis
    assert axis.tickmode == "array"
    assert list(axis.ticktext) == ["Aug 16", "Aug 30", "Sep 13", "Sep 27", "Oct 11", "Oct 25", "Nov 8"]
    assert pd.Timestamp(axis.tickvals[-1]) == pd.Timestamp("2026-11-11 12:00")  # Wednesday noon: mid-week
