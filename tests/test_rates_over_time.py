"""Rates over time: dated catalog rates, the rate in force on a day wherever a payout is shown, the rate history,
undo, the migration that backfills it, the stale-bonus finding and the Products page's rate history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.ingest.layout import FileRejectedError
from analytics.metrics.grouped import product_line_payouts, product_payouts
from analytics.metrics.rates import rate_history, rates_in_force
from analytics.review.insights import stale_bonus_rate
from analytics.store import database as store
from analytics.store.changes import load_file
from tests.conftest import ROOT

# A1 ($20, standard 3 %): bonus 10 % from Jan 1, 15 % from Jun 1. A2 ($10, standard 3 %): bonus 5 % from Mar 1.
DATED = """
    asin,product_line,price,standard_rate,bonus_rate,Rate effective from
    AAAAAAAAA1,Pet,20.00,3%,10%,2026-01-01
    AAAAAAAAA1,Pet,20.00,3%,15%,2026-06-01
    AAAAAAAAA2,Pet,10.00,3%,5%,2026-03-01
"""


def payouts(con: duckdb.DuckDBPyConnection, as_of: date | None = None) -> dict[str, float]:
    frame = product_payouts(con, as_of)
    return dict(zip(frame["asin"], frame["creator_payout_per_sale"].round(6), strict=True))


def test_a_rate_applies_from_its_effective_date_until_the_next(con, load_text) -> None:
    """A1 on May 31: 20 × (0.03 + 0.10) = $2.60; from Jun 1: 20 × (0.03 + 0.15) = $3.60. A2: 10 × 0.08 = $0.80.
    Before A2's first dated rate (Feb 1) that first rate stands: $0.80. The line's median on May 31 is
    (2.60 + 0.80) / 2 = $1.70, on Jun 1 (3.60 + 0.80) / 2 = $2.20. The catalog row keeps A1's latest rate."""
    result = load_text("products.csv", DATED)
    assert "3 dated rates of 2 ASINs kept in the rate history" in result.summary()
    assert (result.added, result.updated) == (2, 0)
    assert payouts(con, date(2026, 5, 31)) == {"AAAAAAAAA1": 2.60, "AAAAAAAAA2": 0.80}
    assert payouts(con, date(2026, 6, 1)) == {"AAAAAAAAA1": 3.60, "AAAAAAAAA2": 0.80}
    assert payouts(con, date(2026, 2, 1)) == {"AAAAAAAAA1": 2.60, "AAAAAAAAA2": 0.80}
    assert product_line_payouts(con, date(2026, 5, 31))["creator_payout_per_sale"].round(6).tolist() == [1.70]
    assert product_line_payouts(con, date(2026, 6, 1))["creator_payout_per_sale"].round(6).tolist() == [2.20]
    assert con.execute("select bonus_rate, effective_date from products where asin = 'AAAAAAAAA1'").fetchone() == (
        0.15,
        date(2026, 6, 1),
    )


def test_payouts_default_to_the_rates_in_force_on_the_last_day_of_data(con, load_text) -> None:
    """Performance ends May 31, before A1's raise: its payout is still 20 × 0.13 = $2.60."""
    load_text("products.csv", DATED)
    load_text(
        "performance.csv", "date,creator,asin,clicks,orders,revenue,commission\n2026-05-31,ana,AAAAAAAAA1,10,1,20,2\n"
    )
    assert payouts(con)["AAAAAAAAA1"] == 2.60


def test_an_asin_twice_on_the_same_effective_date_is_refused(con, load_text) -> None:
    with pytest.raises(
        FileRejectedError,
        match=r"lines 2 and 3: both rows have the same asin and effective_date \(AAAAAAAAA1, 2026-01-01\)",
    ):
        load_text(
            "products.csv",
            "asin,bonus_rate,effective_date\nAAAAAAAAA1,10%,2026-01-01\nAAAAAAAAA1,12%,2026-01-01\n",
        )
    assert store.is_empty(con)


def test_a_file_without_effective_dates_dates_its_rates_the_day_it_is_loaded(con, load_text) -> None:
    """Rates loaded without a date take effect the day of the load (UTC). Loading the same rates again (a title
    changed) is no change; a new bonus the same day replaces the day's rate."""
    today = datetime.now(UTC).date()
    first = load_text("products.csv", "asin,price,bonus_rate\nAAAAAAAAA1,20.00,10%\n")
    rows = con.execute("select load_id, asin, effective_date, standard_rate, bonus_rate from product_rates").fetchall()
    assert rows == [(first.load_id, "AAAAAAAAA1", today, None, 0.10)]
    again = load_text("again.csv", "asin,title,bonus_rate\nAAAAAAAAA1,Chews,10%\n")
    assert (again.updated, again.unchanged) == (1, 0)  # the title changed, the rate did not
    assert rate_history(con)[["effective_date", "bonus_rate"]].values.tolist() == [[pd.Timestamp(today), 0.10]]
    load_text("raised.csv", "asin,bonus_rate\nAAAAAAAAA1,12%\n")
    assert rate_history(con)[["effective_date", "bonus_rate"]].values.tolist() == [[pd.Timestamp(today), 0.12]]
    # Nothing has stood for a day yet; a catalog without rates writes no history.
    assert rates_in_force(con, today)["bonus_unchanged_days"].tolist() == [0]
    before = con.execute("select count(*) from product_rates").fetchone()
    load_text("lines.csv", "asin,product_line\nAAAAAAAAA1,Pet\n")
    assert con.execute("select count(*) from product_rates").fetchone() == before


def test_undoing_a_catalog_load_takes_its_rates_out_of_the_history(con, load_text) -> None:
    """Load 1: A1 at 10 % from Jan 1. Load 2: 15 % from Jun 1. On Jul 1 the payout is 20 × 0.18 = $3.60; after
    undoing load 2 it is 20 × 0.13 = $2.60 again, and the catalog row is load 1's."""
    load_text("first.csv", "asin,price,standard_rate,bonus_rate,effective_date\nAAAAAAAAA1,20,3%,10%,2026-01-01\n")
    second = load_text("second.csv", "asin,bonus_rate,effective_date\nAAAAAAAAA1,15%,2026-06-01\n")
    assert payouts(con, date(2026, 7, 1)) == {"AAAAAAAAA1": 3.60}
    # A past period's history stops at its end: in May the June change has not happened.
    assert rate_history(con, until=date(2026, 5, 31))["bonus_rate"].tolist() == [0.10]
    # Before the first dated rate, the first rate stands (as the rate in force): a history of it alone.
    assert rate_history(con, until=date(2025, 12, 31))["bonus_rate"].tolist() == [0.10]
    assert rate_history(con, until=date(2026, 6, 1))["bonus_rate"].tolist() == [0.10, 0.15]
    store.unload(con, second.load_id)
    assert con.execute("select count(*) from product_rates where load_id = $id", {"id": second.load_id}).fetchone() == (
        0,
    )
    assert payouts(con, date(2026, 7, 1)) == {"AAAAAAAAA1": 2.60}
    assert rate_history(con)["bonus_rate"].tolist() == [0.10]
    assert con.execute("select bonus_rate, effective_date from products").fetchone() == (0.10, date(2026, 1, 1))


def test_the_migration_dates_stored_catalogs_by_their_loads(tmp_path: Path) -> None:
    """A store from before rate history: its catalog versions (current and replaced) become dated rates, each on
    its load's day."""
    path = tmp_path / "old.duckdb"
    con = store.open_store(path)
    for name, bonus in (("a.csv", "10%"), ("b.csv", "12%")):
        (tmp_path / name).write_text(f"asin,price,bonus_rate\nAAAAAAAAA1,20,{bonus}\n")
        load_file(con, tmp_path / name)
    for table in ("products", "products_history"):
        con.execute(f"alter table {table} drop column effective_date")
    con.execute("drop table product_rates")
    con.execute("delete from schema_migrations where name = 'product_rates'")
    days = dict(con.execute("select load_id, cast(loaded_at as date) from loads").fetchall())
    con.close()
    con = store.open_store(path)
    rows = con.execute("select load_id, effective_date, bonus_rate from product_rates order by load_id").fetchall()
    assert rows == [(1, days[1], 0.10), (2, days[2], 0.12)]
    assert con.execute("select effective_date from products").fetchone() == (days[2],)
    con.close()


# The stale-bonus finding. as_of Jun 30: now = Jun 3 … Jun 30, before = May 6 … Jun 2 (28 days each).
AS_OF = date(2026, 6, 30)
STALE_CATALOG = """
    asin,title,price,bonus_rate,effective_date
    AAAAAAAAA1,Chews,20,10%,2026-01-01
    AAAAAAAAA2,Treats,20,8%,2026-01-01
    AAAAAAAAA2,Treats,20,12%,2026-05-01
    AAAAAAAAA3,Oil,20,10%,2026-01-01
    AAAAAAAAA4,Bars,20,10%,2026-01-01
    AAAAAAAAA5,Gummies,20,10%,
"""
# A1: 200 clicks, 10 orders (5.0 %) before; 6 orders (3.0 %) now: down 40 %, its bonus unchanged 180 days.
# A2: the same fall, but its bonus moved 60 days before as_of. A3: conversion 4.0 % both times, creators 4 -> 3
# (down 25 %). A4: conversion 5.0 % -> 4.5 % (down 10 %, under a fifth). A5: A1's fall, but its rates date from the
# day of the load, after as_of: how long they stood by then is unknown.
STALE_PERFORMANCE = """
    date,creator,asin,clicks,orders,revenue,commission
    2026-05-20,ana,AAAAAAAAA1,100,5,100,10
    2026-05-20,bob,AAAAAAAAA1,100,5,100,10
    2026-06-20,ana,AAAAAAAAA1,100,3,60,6
    2026-06-20,bob,AAAAAAAAA1,100,3,60,6
    2026-05-20,ana,AAAAAAAAA2,200,10,200,24
    2026-06-20,ana,AAAAAAAAA2,200,6,120,14
    2026-05-20,ana,AAAAAAAAA3,50,2,40,4
    2026-05-20,bob,AAAAAAAAA3,50,2,40,4
    2026-05-20,cy,AAAAAAAAA3,50,2,40,4
    2026-05-20,dee,AAAAAAAAA3,50,2,40,4
    2026-06-20,ana,AAAAAAAAA3,100,4,80,8
    2026-06-20,bob,AAAAAAAAA3,50,2,40,4
    2026-06-20,cy,AAAAAAAAA3,50,2,40,4
    2026-05-20,ana,AAAAAAAAA4,200,10,200,20
    2026-06-20,ana,AAAAAAAAA4,200,9,180,18
    2026-05-20,ana,AAAAAAAAA5,200,10,200,20
    2026-06-20,ana,AAAAAAAAA5,200,6,120,12
"""


def test_a_bonus_unchanged_90_days_while_conversion_or_creators_fall_is_flagged(con, load_text) -> None:
    """A1 and A3 (bonus unchanged Jan 1 → Jun 30 = 180 days) fire; A2, A4 and A5 do not."""
    load_text("products.csv", STALE_CATALOG)
    load_text("performance.csv", STALE_PERFORMANCE)
    found = stale_bonus_rate(con, AS_OF)
    assert [i.subject for i in found] == ["AAAAAAAAA1", "AAAAAAAAA3"]
    assert found[0].title == (
        "AAAAAAAAA1 (Chews) has had a 10.0% bonus in the catalog for 180 days (since Jan 1, 2026), while its "
        "conversion rate fell from 5.0% to 3.0% between the 28 days ending Jun 2, 2026 and the 28 days ending Jun 30, "
        "2026."
    )
    assert "while its creators from 4 to 3 between" in found[1].title
    assert {(i.severity, i.page) for i in found} == {("warning", "products")}


def test_a_stale_bonus_beside_a_campaign_paying_more_says_the_offer_was_not_left_alone(con, load_text) -> None:
    """A1's catalog bonus is 10 % since Jan 1, but in the last 28 days an event paid bob 20 % on half its sales: its
    commission is (6 + 12) / 120 = 15.0 % of its revenue. The finding says so, and does not send the brand to raise a
    bonus a campaign already tops."""
    load_text("products.csv", STALE_CATALOG)
    load_text(
        "performance.csv",
        STALE_PERFORMANCE.replace("2026-06-20,bob,AAAAAAAAA1,100,3,60,6", "2026-06-20,bob,AAAAAAAAA1,100,3,60,12"),
    )
    [a1] = [i for i in stale_bonus_rate(con, AS_OF) if i.subject == "AAAAAAAAA1"]
    assert a1.title.endswith(
        "; its commission was 15.0% of its revenue in those days, above the catalog's bonus, as campaigns paid more "
        "on part of its sales."
    )
    assert a1.action.startswith("Campaigns already pay above its catalog bonus, so a higher bonus alone may not")


def test_a_stale_bonus_on_a_product_that_lost_the_buy_box_points_at_the_listing_first(con, load_text) -> None:
    """A1's conversion fell while a Business Report week inside the last 28 days shows its Buy Box on 60.0% of
    sessions: the finding said to revisit the bonus, while shoppers sent by creators bought from another seller. It
    points at the listing first. A3's fall is of creators, not conversion: its advice stays the bonus."""
    load_text("products.csv", STALE_CATALOG)
    load_text("performance.csv", STALE_PERFORMANCE)
    load_text(
        "sales.csv",
        """
        period_start,period_end,asin,total_revenue,total_units,sessions,buy_box_pct
        2026-06-14,2026-06-20,AAAAAAAAA1,500.00,25,400,60%
        2026-06-14,2026-06-20,AAAAAAAAA3,500.00,25,400,60%
        """,
    )
    found = {i.subject: i.action for i in stale_bonus_rate(con, AS_OF)}
    assert found["AAAAAAAAA1"].startswith(
        "It held the Buy Box on only 60.0% of its sessions in the last 28 days: check its listing first"
    )
    assert found["AAAAAAAAA3"].startswith("Revisit the offer on the Products page")


def test_the_stale_bonus_finding_waits_for_90_days(con, load_text) -> None:
    """On Mar 31 A1's bonus has stood 89 days (Jan 1 → Mar 31): no finding; on Apr 1, 90 days: one. The periods
    are shifted with the data, each ASIN's fall the same as above."""
    load_text("products.csv", "asin,bonus_rate,effective_date\nAAAAAAAAA1,10%,2026-01-01\n")
    load_text(
        "performance.csv",
        """
        date,creator,asin,clicks,orders,revenue,commission
        2026-02-20,ana,AAAAAAAAA1,200,10,200,20
        2026-03-20,ana,AAAAAAAAA1,200,6,120,12
        """,
    )
    assert stale_bonus_rate(con, date(2026, 3, 31)) == []
    assert [i.subject for i in stale_bonus_rate(con, date(2026, 4, 1))] == ["AAAAAAAAA1"]


def test_the_payout_finding_judges_the_rate_in_force_on_its_day(con, load_text) -> None:
    """A2 ($10 × (0.03 + 0.05) = $0.80, and under $15) is flagged whatever the day; A1 is $2.60 before Jun 1 and
    $3.60 after, both fine. A3 at $16 with a 3 % bonus raised to 5 % on Jun 1: 16 × 0.06 = $0.96, under $1.00, on
    May 31; 16 × 0.08 = $1.28 on Jun 30."""
    from analytics.review.insights import low_creator_payout

    load_text(
        "products.csv",
        DATED.replace("Rate effective from", "effective_date")
        + "    AAAAAAAAA3,Pet,16.00,3%,3%,2026-01-01\n    AAAAAAAAA3,Pet,16.00,3%,5%,2026-06-01\n",
    )
    before = [i.subject for i in low_creator_payout(con, date(2026, 5, 31))]
    after = [i.subject for i in low_creator_payout(con, date(2026, 6, 30))]
    assert (before, after) == (["AAAAAAAAA2", "AAAAAAAAA3"], ["AAAAAAAAA2"])


@pytest.mark.usefixtures("app_env")
def test_products_page_shows_each_asins_rate_history_and_flags_stale_bonuses(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    """The sample raised the bonus on two Pet Care ASINs mid-year (8 % → 12 % on 2026-06-07) and on Vitamins
    six weeks before the end; the page lists their rates with the changes, and picks a raised ASIN first."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/products.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rates = next(d.value for d in at.dataframe if "bonus_unchanged_days" in d.value.columns).set_index("asin")
    hip_joint = rates.loc["B0P1T27QOP"]
    assert (hip_joint["bonus_rate"], hip_joint["rate_changes"]) == (pytest.approx(12.0), 1)
    assert bool(hip_joint["bonus_stale"]) == (hip_joint["bonus_unchanged_days"] >= 90)
    assert not rates.loc["B03S8ZA1LQ", "bonus_stale"]  # Vitamins: raised six weeks ago
    picked = at.selectbox(key="products_rate_asin").value
    assert rates.loc[picked, "rate_changes"] == 1
    steps = next(
        d.value for d in at.dataframe if list(d.value.columns) == ["effective_date", "standard_rate", "bonus_rate"]
    )
    assert len(steps) == 2
    assert any("have had the same bonus for 90 days or more" in c.value for c in at.caption)


def test_the_sample_flags_stale_bonuses_but_not_the_raised_ones(sample_con: duckdb.DuckDBPyConnection) -> None:
    """The sample's raised ASINs (Vitamins six weeks before the end, two Pet Care ASINs on 2026-06-07) pay by date,
    and the Vitamins line, whose bonus moved 41 days before the last day, is never flagged as stale."""
    (as_of,) = sample_con.execute("select max(date) from performance").fetchone() or (None,)
    assert as_of == date(2026, 11, 14)
    found = stale_bonus_rate(sample_con, as_of)
    assert found, "the sample holds an ASIN whose bonus never moved while its conversion fell"
    vitamins = set(product_payouts(sample_con).query("product_line == 'Vitamins'")["asin"])
    assert not {i.subject for i in found} & vitamins
    # Hip & Joint Chews: $34.99 × (3 % + 8 %) = $3.85 before the raise, × (3 % + 12 %) = $5.25 after.
    assert payouts(sample_con, date(2026, 6, 6))["B0P1T27QOP"] == pytest.approx(3.8489)
    assert payouts(sample_con, date(2026, 6, 7))["B0P1T27QOP"] == pytest.approx(5.2485)


def test_a_rate_history_of_one_day_is_drawn_on_an_axis_of_days() -> None:
    """A catalog loaded once dates each rate on one day: the chart spans a week either side of it, labelled in dates,
    not the milliseconds around one instant."""
    from analytics.present.charts import rate_steps

    history = pd.DataFrame({"effective_date": [date(2026, 12, 3)], "bonus_rate": [0.1], "standard_rate": [0.03]})
    figure = rate_steps(history, date(2026, 11, 14), "Commission rates of B0C1234567")
    assert figure.layout.xaxis.tickformat == "%b %-d<br>%Y"
    assert [pd.Timestamp(x) for x in figure.layout.xaxis.range] == [
        pd.Timestamp(2026, 11, 26),
        pd.Timestamp(2026, 12, 10),
    ]
    # A rate carried one day on to the period's end is as short: the same week either side.
    figure = rate_steps(history, date(2026, 12, 4), "Commission rates of B0C1234567")
    assert [pd.Timestamp(x) for x in figure.layout.xaxis.range] == [
        pd.Timestamp(2026, 11, 26),
        pd.Timestamp(2026, 12, 11),
    ]


def test_a_catalog_dated_after_the_period_says_its_rates_stand_for_the_period_rather_than_draw_nothing(
    empty_app_env, tmp_path
) -> None:
    """A new brand's catalog without effective dates is dated the day it is loaded, after the period the Products page
    shows: its rate stands for the period (10.0 % in force), and the page says so rather than draw an empty chart."""
    from analytics.ingest.importer import load_file
    from analytics.store.database import open_store

    performance, catalog = tmp_path / "performance.csv", tmp_path / "products.csv"
    performance.write_text(
        "date,creator,asin,clicks,orders,revenue,commission\n"
        "2026-11-18,Ana,B0HYDRA001,10,1,10.00,1.00\n"
        "2026-11-21,Ana,B0HYDRA001,5,1,20.00,2.00\n"
    )
    catalog.write_text("asin,product_line,standard_rate,bonus_rate\nB0HYDRA001,Hydration,3%,10%\n")
    con = open_store(empty_app_env)
    load_file(con, performance)
    load_file(con, catalog)
    loaded = con.execute("select effective_date from product_rates").fetchone()[0]
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/products.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rates = next(d.value for d in at.dataframe if "bonus_unchanged_days" in d.value.columns)
    assert rates["bonus_rate"].tolist() == [pytest.approx(10.0)]
    assert any(
        f"are dated from {loaded:%b %-d, %Y}, after this period" in i.value and "no change to draw" in i.value
        for i in at.info
    ), [i.value for i in at.info]
    steps = next(
        d.value for d in at.dataframe if list(d.value.columns) == ["effective_date", "standard_rate", "bonus_rate"]
    )
    assert len(steps) == 1
