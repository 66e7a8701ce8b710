"""Never count twice, never misread: programs, overlapping loads, partial catalogs, files that are not brand data,
and load messages a marketer can check."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from analytics.contract.kinds import DEFAULT_PROGRAM, KINDS, PERFORMANCE
from analytics.contract.overlaps import OVERLAP_RULES, OverlapRule
from analytics.ingest.importer import load_file
from analytics.ingest.layout import FileRejectedError, ForeignLayoutError
from analytics.ingest.missing import MissingRowsError
from analytics.ingest.overlap import OverlapError
from analytics.ingest.report_periods import PeriodNeededError
from analytics.metrics.grouped import Scope, grouped_metrics, programs
from analytics.store import database as store
from analytics.words import alternatives, named

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
HEADER = "date,campaign,creator,asin,clicks,orders,revenue,commission\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def snapshot(con):
    """Every current and history row, the load log and the data version, for before/after comparisons."""
    tables: dict[str, object] = {}
    for kind in KINDS.values():
        for table in (kind.table, kind.history_table):
            tables[table] = sorted(map(repr, con.execute(f"select * from {table}").fetchall()))
    tables["loads"] = con.execute("select load_id, sha256 from loads where undone_at is null order by 1").fetchall()
    tables["version"] = store.data_version(con)
    return tables


def revenue(con) -> float:
    return float(con.execute("select coalesce(sum(revenue), 0) from performance").fetchone()[0])


# Programs


def test_rows_of_a_file_that_names_no_program_belong_to_creator_connections(con, tmp_path):
    load_file(con, write(tmp_path, "a.csv", HEADER + "2026-03-01,Spring,maya,AAAAAAAAA1,100,4,80,8\n"))
    assert con.execute("select program from performance").fetchall() == [(DEFAULT_PROGRAM,)]
    assert PERFORMANCE.column("program").default == DEFAULT_PROGRAM == "creator_connections"


def test_an_archer_export_is_the_archer_program_and_says_so(con, tmp_path):
    text = "date,asin,creator,clicks,sales,unitsSold,commissionPaid\n2026-03-01,AAAAAAAAA1,maya,100,$80.00,4,$8.00\n"
    result = load_file(con, write(tmp_path, "archer.csv", text))
    assert con.execute("select program, orders from performance").fetchall() == [("archer", 4)]
    assert "program archer, from the export's layout" in result.notes
    assert "no orders column: orders read from 'unitsSold'" in result.notes


def test_a_program_column_wins_and_known_programs_are_spelled_as_the_product_does(con, tmp_path):
    """The file's own program is kept (its spelling of a known one normalised); an empty cell takes the upload's."""
    text = (
        "date,program,creator,asin,clicks,orders,revenue,commission\n"
        "2026-03-01,Creator Connections,maya,AAAAAAAAA1,1,0,0,0\n"
        "2026-03-01,LEVANTA,maya,AAAAAAAAA2,1,0,0,0\n"
        "2026-03-01,Acme Affiliates,maya,AAAAAAAAA3,1,0,0,0\n"
        "2026-03-01,,maya,AAAAAAAAA4,1,0,0,0\n"
    )
    load_file(con, write(tmp_path, "mixed.csv", text), program="impact")
    assert con.execute("select asin, program from performance order by asin").fetchall() == [
        ("AAAAAAAAA1", "creator_connections"),
        ("AAAAAAAAA2", "levanta"),
        ("AAAAAAAAA3", "Acme Affiliates"),
        ("AAAAAAAAA4", "impact"),
    ]


def test_the_same_sales_under_two_programs_are_two_rows_grouped_and_filtered_by_program(con, tmp_path):
    """Creator Connections: 100 clicks, 4 orders, $80; Archer the same day, creator and ASIN: 50 clicks, 1 order,
    $30. Two rows, not a replacement: all programs 150 clicks, 5 orders, conversion 5/150 = 0.0333; by program
    0.04 and 0.02; filtered to Archer alone, $30 and a revenue share of 1.0 (not 30/110)."""
    day = "2026-03-01,Spring,maya,AAAAAAAAA1"
    load_file(con, write(tmp_path, "cc.csv", HEADER + f"{day},100,4,80,8\n"))
    second = load_file(con, write(tmp_path, "archer.csv", HEADER + f"{day},50,1,30,3\n"), program="archer")
    assert (second.added, second.updated) == (1, 0)
    everything = grouped_metrics(con, Scope(), [], ["clicks", "orders", "conversion_rate"])
    assert everything["conversion_rate"].iloc[0] == pytest.approx(5 / 150)
    by_program = grouped_metrics(con, Scope(), ["program"], ["revenue", "conversion_rate"]).set_index("program")
    assert by_program["conversion_rate"].to_dict() == pytest.approx({"archer": 0.02, "creator_connections": 0.04})
    archer = grouped_metrics(con, Scope(programs=("archer",)), ["creator"], ["revenue", "revenue_share"])
    assert archer[["revenue", "revenue_share"]].iloc[0].tolist() == pytest.approx([30.0, 1.0])
    assert programs(con) == ["archer", "creator_connections"]


# Overlap

STORED = HEADER + (
    "2026-03-01,Spring,maya,AAAAAAAAA1,100,4,80.00,8.00\n"
    "2026-03-02,Spring,maya,AAAAAAAAA1,20,1,20.00,2.00\n"
    "2026-03-03,Spring,leo,AAAAAAAAA1,50,2,50.00,5.00\n"
)
# The same two maya days without a campaign column, and a day the store does not have.
NO_CAMPAIGN = (
    "date,creator,asin,clicks,orders,revenue,commission\n"
    "2026-03-01,maya,AAAAAAAAA1,100,4,80.00,8.00\n"
    "2026-03-02,maya,AAAAAAAAA1,20,1,20.00,2.00\n"
    "2026-03-04,maya,AAAAAAAAA1,10,1,10.00,1.00\n"
)


@pytest.fixture
def stored(con, tmp_path):
    load_file(con, write(tmp_path, "spring.csv", STORED))
    return con


def test_a_file_without_campaigns_over_stored_campaign_rows_is_stopped_with_one_sentence(stored, tmp_path):
    """Overlapping: maya on 03-01 ($80) and 03-02 ($20) = 2 rows, 2 days, $100. leo's day is not in the new file,
    and the new 03-04 row overlaps nothing: counting either would say 3 rows or $150/$110."""
    before = snapshot(stored)
    with pytest.raises(OverlapError) as stopped:
        load_file(stored, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN))
    sentence = str(stopped.value)
    assert sentence.startswith(
        "no_campaign.csv: load 1 (spring.csv) holds 2 rows with the date, program, creator and ASIN of new rows but "
        "another campaign (stored as Spring, no campaign in this file), "
    )
    assert "on 2 days from 2026-03-01 to 2026-03-02" in sentence
    assert "with $100.00 of revenue that would be counted twice" in sentence
    assert "--replace-overlap" in sentence and "--keep-both" in sentence
    overlap = stopped.value.overlap
    assert (overlap.rows, overlap.days, overlap.revenue, overlap.loads) == (2, 2, 100.0, ((1, "spring.csv"),))
    assert snapshot(stored) == before


def test_an_overlap_over_stored_rows_of_two_campaigns_names_both(con, tmp_path):
    """maya's 03-01 row was stored under Spring and her 03-02 row under Summer: the sentence offers both, in the
    order of their days, against the one value the new file gives them, not the first pair alone."""
    load_file(con, write(tmp_path, "two.csv", STORED.replace("03-02,Spring", "03-02,Summer")))
    with pytest.raises(OverlapError) as stopped:
        load_file(con, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN))
    assert "another campaign (stored as Spring or Summer, no campaign in this file), on 2 days" in str(stopped.value)
    assert stopped.value.overlap.told_apart == (("Spring", "Summer"), ("no campaign",))


def test_values_offered_as_alternatives_name_three_and_count_the_rest():
    assert alternatives(["Q1"]) == "Q1"
    assert alternatives(["Q1", "Q2"]) == "Q1 or Q2"
    assert alternatives(["Q1", "Q2", "Q3", "Q4"]) == "Q1, Q2, Q3 or Q4"
    assert alternatives(["Q1", "Q2", "Q3", "Q4", "Q5"]) == "Q1, Q2, Q3 or 2 others"


def test_an_overlap_held_by_a_load_that_re_sent_rows_names_the_load_that_first_brought_them(stored, tmp_path):
    """spring.csv again, saved with Windows line endings: load 2, 0 added and 3 unchanged, now holds the rows. The
    stop names it, and load 1, which the person sees adding them in the load log."""
    load_file(stored, write(tmp_path, "spring_again.csv", STORED.replace("\n", "\r\n")))
    with pytest.raises(OverlapError) as stopped:
        load_file(stored, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN))
    assert str(stopped.value).startswith(
        "no_campaign.csv: load 2 (spring_again.csv), re-sending rows first loaded by load 1 (spring.csv), holds 2 "
        "rows with the date, program, creator and ASIN of new rows but another campaign"
    )


def test_replacing_the_overlap_counts_each_sale_once_and_unload_brings_the_stored_rows_back(stored, tmp_path):
    """Stored $150; the new file's $110 replaces maya's $100: 50 + 110 = $160 (keeping both would be $260)."""
    before = snapshot(stored)
    result = load_file(stored, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN), on_overlap="replace")
    assert revenue(stored) == pytest.approx(160.0)
    assert (result.added, result.updated) == (3, 0)
    assert any(note.startswith("replaced 2 overlapping rows of load 1") for note in result.notes)
    store.unload(stored, result.load_id)
    assert {k: v for k, v in snapshot(stored).items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }


def test_unloading_the_replaced_file_while_the_replacement_stays_leaves_the_replacement_alone(stored, tmp_path):
    """After the replacement, undoing spring.csv removes leo's $50 and the displaced rows: $110 remain."""
    load_file(stored, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN), on_overlap="replace")
    store.unload(stored, 1)
    assert revenue(stored) == pytest.approx(110.0)
    assert stored.execute("select count(*) from performance_history").fetchone() == (0,)


def test_keeping_both_keeps_the_stored_rows_beside_the_new_ones(stored, tmp_path):
    result = load_file(stored, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN), on_overlap="keep_both")
    assert revenue(stored) == pytest.approx(260.0)
    assert any(note.startswith("kept both: 2 overlapping rows of load 1 stay") for note in result.notes)


def test_a_renamed_campaign_is_an_overlap_on_its_one_day(stored, tmp_path):
    renamed = write(tmp_path, "renamed.csv", HEADER + "2026-03-03,Spring 2026,leo,AAAAAAAAA1,50,2,50.00,5.00\n")
    with pytest.raises(OverlapError, match=r"holds 1 row .* on 2026-03-03, with \$50.00 of revenue"):
        load_file(stored, renamed)


def test_a_restatement_of_the_same_campaigns_is_an_update_not_an_overlap(stored, tmp_path):
    """Two campaigns on one creator-day, both restated: each row replaces its own key, neither overlaps the
    other's (a check pairing rows by date, creator and ASIN alone would stop this file)."""
    load_file(
        stored,
        write(tmp_path, "summer.csv", HEADER + "2026-03-01,Summer,maya,AAAAAAAAA1,5,1,7.00,1.00\n"),
        on_overlap="keep_both",
    )
    restated = HEADER + (
        "2026-03-01,Spring,maya,AAAAAAAAA1,100,5,90.00,9.00\n2026-03-01,Summer,maya,AAAAAAAAA1,5,1,8.00,1.00\n"
    )
    result = load_file(stored, write(tmp_path, "restated.csv", restated))
    assert (result.added, result.updated) == (0, 2)
    assert revenue(stored) == pytest.approx(90 + 8 + 20 + 50)


def test_an_older_download_again_restates_its_rows_without_an_overlap_stop(con, tmp_path):
    """A week's file held one Always-on row for maya's day; a later download added a Fall Launch sale attributed
    since. Loading the older file again (re-saved by Excel, say) restates its own row and adds nothing: it was
    stopped as "$38.97 that would be counted twice", and replacing the overlap deleted the real Fall Launch sale."""
    later = HEADER + (
        "2026-03-01,Always-on,maya,AAAAAAAAA1,100,4,80.00,8.00\n2026-03-01,Fall Launch,maya,AAAAAAAAA1,9,3,38.97,5.85\n"
    )
    load_file(con, write(tmp_path, "later.csv", later))
    older = HEADER + "2026-03-01,Always-on,maya,AAAAAAAAA1,100,4,78.00,7.80\n"
    result = load_file(con, write(tmp_path, "older.csv", older))
    assert (result.added, result.updated) == (0, 1)
    assert revenue(con) == pytest.approx(78.00 + 38.97)
    # A row new to the store beside a stored row of another campaign is still stopped.
    with pytest.raises(OverlapError, match=r"and 2 \(older.csv\) hold 2 rows .* \$116.97 of revenue"):
        load_file(con, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN))


def test_an_older_download_loaded_after_a_newer_one_says_which_later_figures_it_puts_back(stored, tmp_path):
    """The store holds spring.csv (to 03-03); a newer download restates maya's 03-01 down to $70 (a return) and runs
    to 03-04. Loading an older download again (to 03-02, with the $80 of before the return) is a restatement all the
    same, the newer load winning by order; the load says whose later figures it replaced and by how much: +$10."""
    newer = (
        HEADER + "2026-03-01,Spring,maya,AAAAAAAAA1,100,4,70.00,7.00\n2026-03-04,Spring,leo,AAAAAAAAA1,5,1,9.00,1.00\n"
    )
    assert not any("restate days" in note for note in load_file(stored, write(tmp_path, "newer.csv", newer)).notes)
    older = HEADER + (
        "2026-03-01,Spring,maya,AAAAAAAAA1,100,4,80.00,8.00\n2026-03-02,Spring,maya,AAAAAAAAA1,20,1,20.00,2.00\n"
    )
    result = load_file(stored, write(tmp_path, "older.csv", older))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    said = (
        "1 row restates days that load 2 (newer.csv), a download running to 2026-03-04, already held, moving its "
        "revenue by +$10.00 and commission by +$1.00: if this file was downloaded before that one, load that file "
        "again and say to put its figures back (the command line's --again; this file's other days stay)"
    )
    # A caution, first among the notes: the page shows the load as one to check.
    assert result.cautions == [said] and result.notes[0] == said
    store.unload(stored, result.load_id)
    assert revenue(stored) == pytest.approx(70 + 20 + 50 + 9)


def test_the_newer_download_loaded_again_puts_back_its_figures_and_keeps_the_older_files_other_days(con, tmp_path):
    """newer.csv (Mar 2-3) restates maya's Mar 2 down to $70 (a return); older.csv (Mar 1-2) holds Mar 1's $40 and the
    $80 of before the return. Loaded newest first, the older file takes Mar 2 back to $80 (40 + 80 + 9 = $129).
    Loading newer.csv again adds nothing, as the same file twice does, and says that a later load changed 1 of its
    rows; said to put its figures back (`again`), its Mar 2 is $70 again and older.csv's Mar 1 stays (40 + 70 + 9 =
    $119), where undoing older.csv, the advice before, lost Mar 1. Loaded a third time it adds nothing, even with
    `again`, and undoing the second load of it brings back what the store held before it."""
    newer = write(
        tmp_path,
        "newer.csv",
        HEADER + "2026-03-02,S,maya,AAAAAAAAA1,10,1,70.00,7.00\n2026-03-03,S,leo,AAAAAAAAA1,5,1,9.00,1.00\n",
    )
    older = HEADER + "2026-03-01,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-03-02,S,maya,AAAAAAAAA1,10,1,80.00,8.00\n"
    load_file(con, newer)
    assert load_file(con, write(tmp_path, "older.csv", older)).cautions
    assert revenue(con) == pytest.approx(129.0)
    twice = load_file(con, newer)
    assert (twice.same_as, twice.load_id, twice.replaced) == (1, None, 1) and revenue(con) == pytest.approx(129.0)
    assert twice.summary() == (
        "newer.csv: performance, 0 added, 0 updated, 2 unchanged; already loaded as load 1, nothing was added. A "
        "later load has given 1 row "
        "of it other figures since: if this file is the later download, load it again with --again to put its "
        "figures back."
    )
    again = load_file(con, newer, again=True)
    assert (again.same_as, again.load_id, again.added, again.updated, again.unchanged) == (None, 3, 0, 1, 1)
    assert ("loaded again: a later load had given 1 row of load 1 other figures; this file's are back") in again.notes
    assert (
        "1 updated row, of load 2 (older.csv), moves total revenue by -$10.00 and commission by -$1.00" in again.notes
    )
    assert revenue(con) == pytest.approx(119.0)
    third = load_file(con, newer, again=True)
    assert (third.same_as, third.load_id, third.replaced) == (3, None, 0) and revenue(con) == pytest.approx(119.0)
    store.unload(con, 3)
    assert revenue(con) == pytest.approx(129.0)


def test_a_restated_week_without_the_new_to_brand_columns_says_it_empties_them(con, tmp_path):
    """The week loaded with ntb_orders and sns_orders, then again from an export without them: the newer load's
    rows replace the stored ones whole, so two rows lose their counts. Said, with the undo that brings them back;
    the row for a day the store did not hold loses nothing."""
    with_flags = "date,campaign,creator,asin,clicks,orders,revenue,commission,ntb_orders,sns_orders\n"
    load_file(
        con,
        write(
            tmp_path,
            "full.csv",
            with_flags + "2026-03-01,Spring,maya,AAAAAAAAA1,10,2,20,2,1,0\n"
            "2026-03-02,Spring,maya,AAAAAAAAA1,10,2,20,2,2,1\n",
        ),
    )
    plain = HEADER + "2026-03-01,Spring,maya,AAAAAAAAA1,10,2,20,2\n2026-03-02,Spring,maya,AAAAAAAAA1,10,2,20,2\n"
    result = load_file(con, write(tmp_path, "plain.csv", plain + "2026-03-03,Spring,maya,AAAAAAAAA1,1,0,0,0\n"))
    assert (
        "2 stored rows this file restates held new-to-brand orders and Subscribe & Save orders, which it does not carry: they are empty now "
        "for those rows (undoing this load brings the values back)"
    ) in result.notes
    store.unload(con, result.load_id)
    assert con.execute("select sum(ntb_orders), sum(sns_orders) from performance").fetchone() == (3, 1)
    # One row losing one column: said in the singular.
    ntb_only = (
        HEADER.replace(",commission", ",commission,ntb_orders") + "2026-03-02,Spring,maya,AAAAAAAAA1,10,2,20,2,2\n"
    )
    assert (
        "1 stored row this file restates held Subscribe & Save orders, which it does not carry: it is empty now for that row "
        "(undoing this load brings the values back)"
    ) in load_file(con, write(tmp_path, "ntb_only.csv", ntb_only)).notes


def test_returns_written_as_negative_revenue_load_net_and_are_said_with_their_sum(con, tmp_path):
    """Amazon writes a returned sale as a row of negative revenue and commission. The week's rows: $20 and $30
    sold, -$12.50 and -$7.50 returned (commission $2, $3, -$1.25, -$0.75). They load as written, so the week nets to
    $30.00 of revenue and $3.00 of commission, and the note says 2 rows below zero by -$20.00 and -$2.00, the first
    on Mar 2. A week with no return says nothing; a budget is no sale and is never said."""
    week = HEADER + (
        "2026-03-01,Spring,maya,AAAAAAAAA1,10,2,20,2\n"
        "2026-03-03,Spring,maya,AAAAAAAAA1,0,0,-7.50,-0.75\n"
        "2026-03-02,Spring,leo,AAAAAAAAA1,10,2,30,3\n"
        "2026-03-02,Spring,maya,AAAAAAAAA2,0,0,-12.50,-1.25\n"
    )
    result = load_file(con, write(tmp_path, "week.csv", week))
    assert (
        "2 rows with revenue below zero (-$20.00 in all) and 2 rows with commission below zero (-$2.00 in all), the "
        "first on 2026-03-02: returns or reversed sales, netted against the other rows' sales"
    ) in result.notes
    assert con.execute("select sum(revenue), sum(commission) from performance").fetchone() == (
        Decimal("30.0000"),
        Decimal("3.0000"),
    )
    plain = load_file(con, write(tmp_path, "plain.csv", HEADER + "2026-03-04,Spring,maya,AAAAAAAAA1,10,2,20,2\n"))
    assert not [note for note in plain.notes if "below zero" in note]
    campaigns = "campaign,type,start,end,budget\nSpring,launch,2026-03-01,2026-03-31,-100\n"
    ledger = load_file(con, write(tmp_path, "campaigns.csv", campaigns))
    assert not [note for note in ledger.notes if "below zero" in note]


def test_a_returns_units_below_zero_load_with_it_and_net_the_units_sold(con, tmp_path):
    """A return's row carries its units below zero beside its revenue (0 orders, -1 unit, -$29.99): it loaded as a
    refused file ("counts cannot be below zero"). It loads now, and the ASIN's units net to 2 - 1 = 1."""
    rows = (
        "date,campaign,creator,asin,clicks,orders,units,revenue,commission\n"
        "2026-11-20,Always-on,@brewdad,B0NW000003,10,2,2,59.98,6.00\n"
        "2026-11-21,Always-on,@brewdad,B0NW000003,0,0,-1,-29.99,-3.00\n"
    )
    load_file(con, write(tmp_path, "returns.csv", rows))
    assert con.execute("select sum(units), cast(sum(revenue) as double) from performance").fetchone() == (1, 29.99)


def test_a_period_summary_over_daily_rows_of_its_days_is_an_overlap_not_a_second_count(con, tmp_path):
    """Daily rows of Oct 4 and 5 (maya $40 + $60, leo $9 on Oct 5) are in; October's summary, a file with no date
    column given Oct 4 – Oct 31, holds maya $100 and leo $9 again. Stored on Oct 4 beside the daily rows, it doubled
    the month to $178 without a word (maya's Oct 4 row is the same key, restated): it now stops as an overlap of
    Oct 5's 2 rows and $69.00. Replaced, the month reads the summary's $109; undone, the daily rows are back."""
    daily = (
        HEADER + "2026-10-04,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-10-05,S,maya,AAAAAAAAA1,10,1,60.00,6.00\n"
        "2026-10-05,S,leo,AAAAAAAAA1,5,1,9.00,0.90\n"
    )
    load_file(con, write(tmp_path, "daily.csv", daily))
    summary = write(
        tmp_path,
        "october.csv",
        "campaign,creator,asin,clicks,orders,revenue,commission\n"
        "S,maya,AAAAAAAAA1,20,2,100.00,10.00\nS,leo,AAAAAAAAA1,5,1,9.00,0.90\n",
    )
    october = (date(2026, 10, 4), date(2026, 10, 31))
    with pytest.raises(OverlapError) as stopped:
        load_file(con, summary, period=october)
    assert str(stopped.value).startswith(
        "october.csv: load 1 (daily.csv) holds 2 rows of the same programs, creators and ASINs as new rows on days of "
        "the period this file sums up (stored as rows of single days, one row for the whole period in this file), on "
        "2026-10-05, with $69.00 of revenue that would be counted twice"
    )
    assert revenue(con) == pytest.approx(109.0)
    result = load_file(con, summary, period=october, on_overlap="replace")
    assert revenue(con) == pytest.approx(109.0) and (result.added, result.updated) == (1, 1)
    store.unload(con, result.load_id)
    assert revenue(con) == pytest.approx(109.0)
    assert con.execute("select count(*) from performance").fetchone() == (3,)


def test_a_performance_report_without_dates_or_a_stated_period_is_told_to_give_its_period(con, tmp_path):
    """Refused as a performance file without date, it was told only to map a date column it does not have."""
    summary = write(
        tmp_path,
        "october.csv",
        "campaign,creator,asin,clicks,orders,revenue,commission\nS,maya,AAAAAAAAA1,20,2,100,10\n",
    )
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, summary)
    assert str(refused.value).endswith(
        "If it is a report of a period, with no date column, give the period instead: --period START:END, or leave "
        "date unmatched on the Data page and choose its dates."
    )
    # Matched by hand without a date, it is a report of a period: the load asks which.
    mapping = {c: c for c in ("campaign", "creator", "asin", "clicks", "orders", "revenue", "commission")}
    with pytest.raises(PeriodNeededError, match="october.csv: this performance file has no date column, so its rows"):
        load_file(con, summary, kind="performance", mapping=mapping)
    load_file(con, summary, kind="performance", mapping=mapping, period=(date(2026, 10, 1), date(2026, 10, 31)))
    assert con.execute("select date, revenue from performance").fetchall() == [(date(2026, 10, 1), Decimal("100"))]


def load_october_summary(con, tmp_path: Path) -> None:
    """October's performance summary (no date column), maya $100 and leo $9, stored on Oct 1 as one load."""
    summary = write(
        tmp_path,
        "october.csv",
        "campaign,creator,asin,clicks,orders,revenue,commission\n"
        "S,maya,AAAAAAAAA1,20,2,100.00,10.00\nS,leo,AAAAAAAAA1,5,1,9.00,0.90\n",
    )
    load_file(con, summary, period=(date(2026, 10, 1), date(2026, 10, 31)))


def test_daily_rows_over_a_stored_period_summary_of_their_days_are_an_overlap_not_a_second_count(con, tmp_path):
    """October's summary (no date column, Oct 1 – 31) holds maya $100 and leo $9, stored on Oct 1. The daily download of
    Oct 4 and 5 then holds maya $40 + $60 and leo $9: loaded beside it, the month read $218. It now stops as an overlap
    of the summary's 2 rows and their $109; replaced, the month reads the daily rows' $109; undone, the summary's."""
    load_october_summary(con, tmp_path)
    daily = write(
        tmp_path,
        "daily.csv",
        HEADER + "2026-10-04,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-10-05,S,maya,AAAAAAAAA1,10,1,60.00,6.00\n"
        "2026-10-05,S,leo,AAAAAAAAA1,5,1,9.00,0.90\n",
    )
    with pytest.raises(OverlapError) as stopped:
        load_file(con, daily)
    assert str(stopped.value).startswith(
        "daily.csv: load 1 (october.csv) holds 2 rows of the same programs, creators and ASINs as new rows, each summing "
        "up a period holding their days (stored as one row for 2026-10-01 to 2026-10-31, rows of single days in this "
        "file), on 31 days from 2026-10-01 to 2026-10-31, with $109.00 of revenue in all, which a scope holding both "
        "periods would add to this file's, counting the days they share twice; nothing was loaded"
    )
    assert stopped.value.overlap.keep_both_label() == "Keep both"
    assert str(stopped.value).endswith("undo its load and load it again with the right one.")
    assert revenue(con) == pytest.approx(109.0)
    # The summary's rows are the overlap's to replace, not a daily download's dropped sales to ask about again.
    result = load_file(con, daily, on_overlap="replace", on_missing="ask")
    assert revenue(con) == pytest.approx(109.0) and result.added == 3
    assert con.execute("select min(date) from performance").fetchone() == (date(2026, 10, 4),)
    store.unload(con, result.load_id)
    assert revenue(con) == pytest.approx(109.0)
    assert con.execute("select count(*), min(date) from performance").fetchone() == (2, date(2026, 10, 1))
    load_file(con, daily, on_overlap="keep_both")
    assert revenue(con) == pytest.approx(218.0)


def test_a_daily_row_of_a_summarys_first_day_is_asked_about_not_let_replace_the_whole_period(con, tmp_path):
    """October's summary holds maya $100 and leo $9, stored on Oct 1. A month-to-date download of Oct 1 and 2 holds
    maya $30 and $20 under the same campaign: its Oct 1 row has the summary row's key, and replaced it with no word,
    October's other $70 of maya's sales gone (the month read $59). It is now an overlap of that one row and $100."""
    load_october_summary(con, tmp_path)
    daily = write(
        tmp_path,
        "to_date.csv",
        HEADER + "2026-10-01,S,maya,AAAAAAAAA1,10,1,30.00,3.00\n2026-10-02,S,maya,AAAAAAAAA1,10,1,20.00,2.00\n",
    )
    with pytest.raises(OverlapError) as stopped:
        load_file(con, daily)
    assert "holds 1 row of the same programs, creators and ASINs as new rows, each summing up a period" in str(
        stopped.value
    )
    assert "with $100.00 of revenue in all" in str(stopped.value)
    assert revenue(con) == pytest.approx(109.0)
    result = load_file(con, daily, on_overlap="replace")
    assert revenue(con) == pytest.approx(59.0)
    store.unload(con, result.load_id)
    assert revenue(con) == pytest.approx(109.0)
    assert con.execute("select count(*) from performance").fetchone() == (2,)


def test_summaries_of_periods_sharing_days_are_an_overlap_the_same_period_again_a_restatement(con, tmp_path):
    """October's summary holds maya $100, stored on Oct 1. One of Oct 15 – Nov 14 ($60) loaded beside it with no
    word (Oct 15 – 31 twice); one of Oct 1 – 15 ($45) had October's key and replaced the month with half of it. Both
    now stop on the stored summary's $100; October again, with other figures, replaces it as a restatement."""
    header = "campaign,creator,asin,clicks,orders,revenue,commission\n"
    october = write(tmp_path, "october.csv", header + "S,maya,AAAAAAAAA1,20,2,100.00,10.00\n")
    load_file(con, october, period=(date(2026, 10, 1), date(2026, 10, 31)))
    later = write(tmp_path, "later.csv", header + "S,maya,AAAAAAAAA1,12,1,60.00,6.00\n")
    with pytest.raises(OverlapError) as stopped:
        load_file(con, later, period=(date(2026, 10, 15), date(2026, 11, 14)))
    assert "(stored as one row for 2026-10-01 to 2026-10-31, one row for 2026-10-15 to 2026-11-14 in this file)" in (
        str(stopped.value)
    )
    assert "with $100.00 of revenue in all" in str(stopped.value)
    half = write(tmp_path, "half.csv", header + "S,maya,AAAAAAAAA1,9,1,45.00,4.50\n")
    with pytest.raises(OverlapError, match="one row for 2026-10-01 to 2026-10-15 in this file"):
        load_file(con, half, period=(date(2026, 10, 1), date(2026, 10, 15)))
    assert revenue(con) == pytest.approx(100.0)
    restated = write(tmp_path, "october_again.csv", header + "S,maya,AAAAAAAAA1,20,2,110.00,11.00\n")
    assert load_file(con, restated, period=(date(2026, 10, 1), date(2026, 10, 31))).updated == 1
    assert revenue(con) == pytest.approx(110.0)


# Week 6's download holds dan's $24.99 sale of Oct 23; week 7's, covering Oct 23 too, no longer does (the order was
# cancelled), and restates maya's Oct 23 from $40 to $38.
WEEK6 = HEADER + (
    "2026-10-22,S,maya,AAAAAAAAA1,10,1,30.00,3.00\n2026-10-23,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n"
    "2026-10-23,S,dan,AAAAAAAAA2,0,1,24.99,2.50\n"
)
WEEK7 = HEADER + (
    "2026-10-23,S,maya,AAAAAAAAA1,10,1,38.00,3.80\n2026-10-24,S,dan,AAAAAAAAA1,5,1,10.00,1.00\n"
    "2026-10-25,S,maya,AAAAAAAAA2,10,1,20.00,2.00\n"
)


def test_a_sale_a_newer_download_no_longer_holds_is_asked_about_and_dropped_or_kept(con, tmp_path):
    """Merged by key, dan's Oct 23 row stayed: $24.99 counted for good. Asked, the question names it; dropped, the
    store holds the newest figures (30 + 38 + 10 + 20 = $98.00, not $122.99) and undoing brings it back; kept as
    answered, a plain note; loaded by a script without a word, a caution."""
    load_file(con, write(tmp_path, "week6.csv", WEEK6))
    with pytest.raises(MissingRowsError) as asked:
        load_file(con, write(tmp_path, "week7.csv", WEEK7), on_missing="ask")
    assert str(asked.value) == (
        "week7.csv: 1 row stored for a day it covers (Oct 23, 2026) is not in it (Oct 23, dan, AAAAAAAAA2, "
        "campaign S: $24.99 of revenue, $2.50 of commission), brought by load 1 (week6.csv); Amazon leaves a sale out "
        "of a later download when it is reversed (an order cancelled or returned), or the file is an export of part "
        "of the program, which leaves it out too. Nothing was loaded."
    )
    assert revenue(con) == pytest.approx(94.99)
    dropped = load_file(con, write(tmp_path, "week7.csv", WEEK7), on_missing="drop")
    assert revenue(con) == pytest.approx(98.0) and dropped.cautions == []
    assert (
        "1 stored row of these days that this download no longer holds dropped ($24.99 of revenue); undoing this load "
        "brings it back"
    ) in dropped.notes
    store.unload(con, dropped.load_id)
    assert revenue(con) == pytest.approx(94.99)
    kept = load_file(con, write(tmp_path, "week7.csv", WEEK7), on_missing="kept")
    assert revenue(con) == pytest.approx(122.99) and kept.cautions == []
    store.unload(con, kept.load_id)
    unasked = load_file(con, write(tmp_path, "week7.csv", WEEK7))
    [caution] = unasked.cautions
    assert caution.endswith(
        ": kept; if Amazon dropped it, undo this load and load the file again, saying to drop them (the command "
        "line's --drop-missing)"
    )


def test_keeping_the_newer_figures_does_not_bring_back_a_sale_the_newer_download_dropped(con, tmp_path):
    """week7.csv (Oct 23-25) dropped dan's $24.99 of Oct 23 that week6.csv held. week6.csv uploaded again after it
    is an older download (it restates maya's Oct 23): keeping the newer figures used to add dan's sale back, as no
    later load held its key. week7.csv covered that day, program, campaign, creator and ASIN and left it out: it stays
    out. Its Oct 22 row is stored as it is: the question offers nothing to add, and the store holds
    30 + 38 + 10 + 20 = $98.00 whatever is kept."""
    load_file(con, write(tmp_path, "week6.csv", WEEK6))
    load_file(con, write(tmp_path, "week7.csv", WEEK7), on_missing="drop")
    assert revenue(con) == pytest.approx(98.0)
    lines = WEEK6.splitlines()
    earlier = write(tmp_path, "week6-again.csv", "\n".join([lines[0], *reversed(lines[1:])]) + "\n")  # re-saved
    with pytest.raises(FileRejectedError) as asked:
        load_file(con, earlier, on_older="ask")
    assert "the store holds the later figures: discard it, as the store holds the rest of it already." in str(
        asked.value
    )
    kept = load_file(con, earlier, on_older="keep_newer")
    assert revenue(con) == pytest.approx(98.0) and kept.cautions == []
    assert any(note.startswith("2 rows left out, as load 2 (week7.csv)") for note in kept.notes), kept.notes


def test_undoing_a_load_that_brought_back_a_dropped_sale_leaves_it_dropped(con, tmp_path):
    """week7.csv dropped dan's Oct 23 sale; a third file brings it back ($24.99). Undone, the store is as before it:
    the sale stays dropped, since week7.csv, still in effect, dropped it ($98.00, not $122.99)."""
    load_file(con, write(tmp_path, "week6.csv", WEEK6))
    load_file(con, write(tmp_path, "week7.csv", WEEK7), on_missing="drop")
    back = load_file(con, write(tmp_path, "dan.csv", HEADER + "2026-10-23,S,dan,AAAAAAAAA2,0,1,24.99,2.50\n"))
    assert revenue(con) == pytest.approx(122.99)
    store.unload(con, back.load_id)
    assert revenue(con) == pytest.approx(98.0)


def test_a_period_summary_is_never_asked_whether_it_is_the_older_download(con, tmp_path):
    """October's summary (no date column) stored on Oct 4, over daily rows of Oct 4 to a later day: its rows share
    Oct 4's keys, which made it look like an older download restating them. Replaced as an overlap, it loads."""
    daily = HEADER + "2026-10-04,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-10-09,S,maya,AAAAAAAAA1,10,1,60.00,6.00\n"
    load_file(con, write(tmp_path, "daily.csv", daily))
    summary = write(
        tmp_path,
        "october.csv",
        "campaign,creator,asin,clicks,orders,revenue,commission\nS,maya,AAAAAAAAA1,20,2,100.00,10.00\n",
    )
    result = load_file(
        con, summary, period=(date(2026, 10, 4), date(2026, 10, 31)), on_overlap="replace", on_older="ask"
    )
    assert revenue(con) == pytest.approx(100.0) and result.cautions == []


def test_rows_a_download_could_not_have_held_are_not_asked_about(con, tmp_path):
    """Not missing: a stored row of another creator (an export of one creator's sales), of another campaign, of a
    product the file does not name (an export of some products), of a day outside the file's, or brought by a
    download reaching past the file's last day (an older download)."""
    load_file(con, write(tmp_path, "week6.csv", WEEK6))
    only_maya = HEADER + "2026-10-22,S,maya,AAAAAAAAA1,10,1,30.00,3.00\n2026-10-23,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n"
    assert load_file(con, write(tmp_path, "maya.csv", only_maya), on_missing="ask").cautions == []
    other_campaign = HEADER + "2026-10-23,T,dan,AAAAAAAAA1,1,1,5.00,0.50\n"
    assert load_file(con, write(tmp_path, "t.csv", other_campaign), on_missing="ask").cautions == []
    other_product = HEADER + "2026-10-23,S,dan,AAAAAAAAA3,1,1,5.00,0.50\n"
    assert load_file(con, write(tmp_path, "p.csv", other_product), on_missing="ask").cautions == []
    later = HEADER + "2026-10-25,S,dan,AAAAAAAAA2,1,1,5.00,0.50\n2026-10-30,S,dan,AAAAAAAAA2,1,1,5.00,0.50\n"
    load_file(con, write(tmp_path, "later.csv", later))
    older = HEADER + "2026-10-23,S,dan,AAAAAAAAA2,0,1,24.99,2.50\n2026-10-29,S,dan,AAAAAAAAA1,1,1,1.00,0.10\n"
    assert load_file(con, write(tmp_path, "older.csv", older), on_missing="ask").load_id is not None
    with pytest.raises(MissingRowsError):  # without the later download's reach, its Oct 25 row would be asked about
        load_file(con, write(tmp_path, "newer.csv", older.replace("10-29", "10-30")), on_missing="ask")


def test_an_older_download_can_bring_only_the_rows_the_later_download_does_not_hold(con, tmp_path):
    """newer.csv (Mar 2-3) restates maya's Mar 2 down to $70; older.csv (Mar 1-2) holds Mar 1's $40 and the $80 of
    before the return. Asked first, the question offers to add only its 1 row newer.csv does not hold. Loaded so, Mar 1
    is added and Mar 2 stays $70: 40 + 70 + 9 = $119, with no caution, the left-out row said. Undone, $79 again."""
    newer = HEADER + "2026-03-02,S,maya,AAAAAAAAA1,10,1,70.00,7.00\n2026-03-03,S,leo,AAAAAAAAA1,5,1,9.00,1.00\n"
    older = HEADER + "2026-03-01,S,maya,AAAAAAAAA1,10,1,40.00,4.00\n2026-03-02,S,maya,AAAAAAAAA1,10,1,80.00,8.00\n"
    load_file(con, write(tmp_path, "newer.csv", newer))
    with pytest.raises(FileRejectedError) as asked:
        load_file(con, write(tmp_path, "older.csv", older), on_older="ask")
    assert (
        "the store holds the later figures: keep them and load only the 1 row the later download does not hold "
        "(Mar 1, 2026, $40.00 of revenue), which discarding it would lose." in str(asked.value)
    )
    assert revenue(con) == pytest.approx(79.0)
    result = load_file(con, write(tmp_path, "older.csv", older), on_older="keep_newer")
    assert (result.added, result.updated, result.unchanged, result.cautions) == (1, 0, 0, [])
    assert revenue(con) == pytest.approx(119.0)
    assert (
        "1 row left out, as load 1 (newer.csv), a download running to 2026-03-03, covers it with newer figures; its "
        "other row loaded"
    ) in result.notes
    store.unload(con, result.load_id)
    assert revenue(con) == pytest.approx(79.0)


def test_an_older_download_whose_rows_the_later_one_all_holds_offers_no_rows_of_its_own(con, tmp_path):
    """Every row of older.csv is in newer.csv, which runs a day further: nothing would be left to add."""
    newer = HEADER + "2026-03-02,S,maya,AAAAAAAAA1,10,1,70.00,7.00\n2026-03-03,S,leo,AAAAAAAAA1,5,1,9.00,1.00\n"
    load_file(con, write(tmp_path, "newer.csv", newer))
    with pytest.raises(FileRejectedError) as asked:
        older = HEADER + "2026-03-02,S,maya,AAAAAAAAA1,10,1,80.00,8.00\n"
        load_file(con, write(tmp_path, "older.csv", older), on_older="ask")
    assert "discard it, as the store holds the rest of it already." in str(asked.value)
    assert asked.value.older.others == 0  # type: ignore[attr-defined]


def test_an_older_download_is_named_when_a_third_download_has_taken_the_later_days(con, tmp_path):
    """Weekly downloads each repeat the week before: A (Mar 1-2), B (Mar 2-3, restating Mar 2), C (Mar 3-4). B's own
    last day now belongs to C, yet B ran to Mar 3: loading A again puts back its Mar 2 before B's correction."""
    a = HEADER + "2026-03-01,S,maya,AAAAAAAAA1,1,1,10.00,1\n2026-03-02,S,maya,AAAAAAAAA1,1,1,20.00,2\n"
    b = HEADER + "2026-03-02,S,maya,AAAAAAAAA1,1,1,15.00,1\n2026-03-03,S,maya,AAAAAAAAA1,1,1,30.00,3\n"
    c = HEADER + "2026-03-03,S,maya,AAAAAAAAA1,1,1,31.00,3\n2026-03-04,S,maya,AAAAAAAAA1,1,1,40.00,4\n"
    for name, text in (("a.csv", a), ("b.csv", b), ("c.csv", c)):
        load_file(con, write(tmp_path, name, text))
    again = load_file(con, write(tmp_path, "a_again.csv", a.replace("10.00", "10.0")))
    assert (
        "1 row restates days that load 2 (b.csv), a download running to 2026-03-03, already held, moving its "
        "revenue by +$5.00 and commission by +$1.00: if this file was downloaded before that one, load that file "
        "again and say to put its figures back (the command line's --again; this file's other days stay)"
    ) in again.notes


def test_a_performance_file_missing_days_inside_its_dates_says_which(con, tmp_path):
    """A download cut or filtered leaves days out; loaded without a word, the week read low."""
    # Five creators a day on Mar 1 and Mar 4, none between: a busy program's days do not go quiet.
    creators = ("maya", "leo", "ana", "bo", "cy")
    gapped = HEADER + "".join(
        f"2026-03-0{day},Spring,{creator},AAAAAAAAA1,10,1,10.00,1.00\n" for day in (1, 4) for creator in creators
    )
    notes = load_file(con, write(tmp_path, "gapped.csv", gapped)).notes
    assert notes[:2] == [
        "dates 2026-03-01 to 2026-03-04",
        "no rows for 2 days inside its dates: 2026-03-02, 2026-03-03",
    ]
    whole = HEADER + "".join(
        f"2026-03-0{day},Spring,{creator},AAAAAAAAA1,1,0,0,0\n" for day in (5, 6) for creator in creators
    )
    assert not any(note.startswith("no rows") for note in load_file(con, write(tmp_path, "whole.csv", whole)).notes)
    # A small program's quiet days are not a download's gaps: one creator, a day without a click between.
    quiet = HEADER + "2026-03-07,Spring,maya,AAAAAAAAA1,1,0,0,0\n2026-03-09,Spring,maya,AAAAAAAAA1,1,0,0,0\n"
    assert not any(note.startswith("no rows") for note in load_file(con, write(tmp_path, "quiet.csv", quiet)).notes)


def test_rows_of_another_program_never_overlap(stored, tmp_path):
    result = load_file(stored, write(tmp_path, "archer.csv", NO_CAMPAIGN), program="archer")
    assert result.added == 3


def test_a_kind_with_its_own_overlap_rule_is_stopped_the_same_way(con, tmp_path, monkeypatch):
    """The mechanism is the kind's rule: here ranks whose keyword differs only in case count as the same reading."""
    rule = OverlapRule(
        described="for the same day, ASIN and keyword in other letters",
        matches="t.date = cur.date and t.asin = cur.asin and lower(t.keyword) = lower(cur.keyword) "
        "and t.keyword <> cur.keyword",
        first_day="cur.date",
        last_day="cur.date",
        amount="0",
        told_apart_by="{row}.keyword",
    )
    monkeypatch.setitem(OVERLAP_RULES, "ranks", rule)
    header = "date,asin,keyword,organic_rank\n"
    load_file(con, write(tmp_path, "a.csv", header + "2026-03-01,AAAAAAAAA1,whey,4\n"))
    with pytest.raises(
        OverlapError,
        match="load 1 \\(a.csv\\) holds 1 row for the same day, ASIN and keyword in other letters "
        "\\(stored as whey, Whey in this file\\)",
    ):
        load_file(con, write(tmp_path, "b.csv", header + "2026-03-01,AAAAAAAAA1,Whey,5\n"))
    load_file(con, write(tmp_path, "b.csv", header + "2026-03-01,AAAAAAAAA1,Whey,5\n"), on_overlap="replace")
    assert con.execute("select keyword, organic_rank from ranks").fetchall() == [("Whey", 5)]


def test_the_same_file_twice_and_the_same_rows_as_a_workbook_add_nothing(con, tmp_path):
    import openpyxl

    text = HEADER + "2026-03-01,Spring,maya,AAAAAAAAA1,100,4,80.10,8.01\n2026-03-02,,leo,AAAAAAAAA1,10,1,19.99,2\n"
    path = write(tmp_path, "week.csv", text)
    load_file(con, path)
    again = load_file(con, path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([date(2026, 3, 1), "Spring", "maya", "AAAAAAAAA1", 100, 4, 80.1, 8.01])
    sheet.append([date(2026, 3, 2), None, "leo", "AAAAAAAAA1", 10, 1, 19.99, 2])
    book.save(tmp_path / "week.xlsx")
    workbook = load_file(con, tmp_path / "week.xlsx")
    assert (again.added, again.updated, again.load_id) == (0, 0, None)
    assert (workbook.added, workbook.updated, workbook.unchanged) == (0, 0, 2)
    assert revenue(con) == pytest.approx(100.09)


# Partial catalogs

CATALOG = (
    "asin,product_line,title,price,launch_date,bonus_rate\n"
    "AAAAAAAAA1,Protein,Whey 2 lb,29.99,2025-01-15,10%\n"
    "AAAAAAAAA2,Snacks,Bar 12 pack,9.99,2025-06-01,5%\n"
)


def test_a_bonus_rate_file_changes_bonus_rates_only_and_unload_restores_the_catalog(con, tmp_path):
    """`ASIN,Bonus Commission Rate` as Seller Central names it: AAAAAAAAA1 goes from 10% to 12% keeping its line,
    title, price and launch date; AAAAAAAAA3 is new to the catalog, so Unassigned."""
    load_file(con, write(tmp_path, "catalog.csv", CATALOG))
    before = snapshot(con)
    result = load_file(con, write(tmp_path, "bonus.csv", "ASIN,Bonus Commission Rate\nAAAAAAAAA1,12%\nAAAAAAAAA3,8%\n"))
    assert result.kind == "products" and (result.added, result.updated) == (1, 1)
    rows = con.execute(
        "select asin, product_line, title, price::double, launch_date::varchar, bonus_rate from products order by asin"
    ).fetchall()
    assert rows == [
        ("AAAAAAAAA1", "Protein", "Whey 2 lb", 29.99, "2025-01-15", pytest.approx(0.12)),
        ("AAAAAAAAA2", "Snacks", "Bar 12 pack", 9.99, "2025-06-01", pytest.approx(0.05)),
        ("AAAAAAAAA3", "Unassigned", None, None, None, pytest.approx(0.08)),
    ]
    store.unload(con, result.load_id)
    after = snapshot(con)
    assert {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}


def test_an_empty_product_line_keeps_the_stored_line(con, tmp_path):
    load_file(con, write(tmp_path, "catalog.csv", CATALOG))
    load_file(con, write(tmp_path, "prices.csv", "asin,product_line,price\nAAAAAAAAA1,,31.99\nAAAAAAAAA2,Bars,9.99\n"))
    assert con.execute("select asin, product_line, price::double from products order by asin").fetchall() == [
        ("AAAAAAAAA1", "Protein", 31.99),
        ("AAAAAAAAA2", "Bars", 9.99),
    ]


def test_a_file_of_asins_alone_is_not_a_catalog(con, tmp_path):
    with pytest.raises(FileRejectedError, match="products needs asin, one of product_line/title/price"):
        load_file(con, write(tmp_path, "asins.csv", "asin,notes\nAAAAAAAAA1,hero\n"))


# Files that are not brand data

FOREIGN = [
    ("associates_fee_orders.csv", "an Amazon Associates Fee-Orders report, the creator's earnings"),
    ("associates_fee_earnings.csv", "an Amazon Associates Fee-Earnings report, the creator's earnings"),
    ("sponsored_products_search_term.csv", "a Sponsored Products search term report"),
    ("sponsored_products_advertised_product.csv", "a Sponsored Products advertised product report"),
    ("sponsored_brands_campaign.csv", "a Sponsored Brands campaign report"),
    ("top_search_terms.csv", "a Brand Analytics Top Search Terms report"),
    ("top_search_terms_legacy.csv", "a Brand Analytics Top Search Terms report"),
    ("fba_sns_forecast.csv", "an FBA Subscribe & Save forecast"),
    ("business_report_by_date.csv", "a Business Report by date, the whole account's sales and traffic per day"),
    ("business_report_by_parent.csv", "a Business Report by parent item, each parent ASIN's sales and traffic"),
    ("rank_table_by_day.csv", "a keyword rank table with a column per day"),
]


@pytest.mark.parametrize(("file_name", "named_as"), FOREIGN, ids=[f for f, _ in FOREIGN])
def test_a_known_layout_that_is_not_brand_data_is_refused_by_name_and_changes_nothing(stored, file_name, named_as):
    before = snapshot(stored)
    with pytest.raises(ForeignLayoutError) as refused:
        load_file(stored, LAYOUTS / file_name, file_name)
    assert str(refused.value).startswith(f"{file_name}: this is {named_as}")
    assert "; Creator Lift reads " in str(refused.value)
    assert snapshot(stored) == before


def test_a_sales_file_by_date_with_an_asin_however_named_or_mapped_is_not_taken_for_a_report_by_date(con, tmp_path):
    """The Business Report by date is known by its columns and its lack of an ASIN: a file naming its ASIN by any
    kind's alias ("Product ASIN"), or a column the user maps to asin, is a sales file and loads."""
    header = "Date,{},Ordered Product Sales,Units Ordered,Sessions - Total\n"
    row = "2026-11-01,B0C1234567,$10.00,1,20\n"
    week = (date(2026, 11, 1), date(2026, 11, 7))
    assert load_file(con, write(tmp_path, "a.csv", header.format("Product ASIN") + row), period=week).added == 1
    mapped = write(tmp_path, "b.csv", header.format("Item") + row.replace("10.00", "11.00"))
    assert load_file(con, mapped, kind="sales", mapping={"asin": "Item"}, period=week).kind == "sales"


def test_a_forced_kind_does_not_pass_an_associates_report_for_performance(con, tmp_path):
    """Fee-Earnings has ASIN, `Revenue($)` and `Tracking ID`: with a mapping for the rest it would load."""
    mapping = {"date": "Date Shipped", "clicks": "Items Shipped", "orders": "Items Shipped", "commission": "Ad Fees($)"}
    with pytest.raises(ForeignLayoutError, match="Fee-Earnings"):
        load_file(con, LAYOUTS / "associates_fee_earnings.csv", kind="performance", mapping=mapping)


def test_another_associates_report_is_named_from_its_title_line(con, tmp_path):
    text = "Fee-Tracking reports from 03-01-2026 to 03-31-2026\nTracking Id,Clicks,Items Ordered\nfit-20,10,1\n"
    with pytest.raises(ForeignLayoutError, match="this is an Amazon Associates Fee-Tracking report"):
        load_file(con, write(tmp_path, "tracking.csv", text))


# Load messages


def test_a_load_says_its_dates_and_names_its_new_creators_and_asins(stored, tmp_path):
    """maya and leo are stored: of the five creators only the four new ones are named, all four (a "+1 more" takes
    the room of the name); of the five new ASINs, three then "+2 more"."""
    rows = "".join(
        f"2026-03-0{day},Spring,{creator},AAAAAAAAA{day},1,0,0,0\n"
        for day, creator in enumerate(["maya", "zoe", "ana", "bea", "cy"], start=5)
    )
    result = load_file(stored, write(tmp_path, "more.csv", HEADER + rows))
    assert result.notes[:3] == [
        "dates 2026-03-05 to 2026-03-09",
        "new creators: ana, bea, cy, zoe",
        "new ASINs: AAAAAAAAA5, AAAAAAAAA6, AAAAAAAAA7 +2 more",
    ]


def test_names_new_to_one_kind_of_file_but_not_to_the_store_are_not_called_new(stored, tmp_path):
    """maya and the ASINs AAAAAAAAA1..2 have performance rows: an orders file naming them, and a ranks file naming
    an ASIN the catalog lists, call only what the store has never had new."""
    orders = (
        "order_id,asin,order_date,customer_id,creator,revenue\n"
        "O1,AAAAAAAAA1,2026-03-01,c1,maya,10\nO2,AAAAAAAAA9,2026-03-01,c2,zed,10\n"
    )
    result = load_file(stored, write(tmp_path, "orders.csv", orders))
    assert [n for n in result.notes if n.startswith("new ")] == ["new creators: zed", "new ASINs: AAAAAAAAA9"]
    load_file(stored, write(tmp_path, "catalog.csv", "asin,product_line\nAAAAAAAAA8,Protein\n"))
    ranks = "date,asin,keyword,organic_rank\n2026-03-01,AAAAAAAAA1,whey,9\n2026-03-01,AAAAAAAAA8,whey,4\n"
    assert not [n for n in load_file(stored, write(tmp_path, "ranks.csv", ranks)).notes if n.startswith("new ")]


def test_a_load_says_how_many_same_day_readings_it_merged(con, tmp_path):
    text = (
        "date,asin,keyword,organic_rank\n"
        "2026-03-01 08:00,AAAAAAAAA1,whey,9\n2026-03-01 20:00,AAAAAAAAA1,whey,7\n2026-03-01 09:00,AAAAAAAAA1,bar,3\n"
    )
    result = load_file(con, write(tmp_path, "ranks.csv", text))
    assert "1 same-day reading merged into the day's latest" in result.notes


def test_a_saved_mapping_does_not_read_another_file_that_holds_its_few_columns(con, tmp_path):
    """A catalog mapped as Item, Name, Price: a performance-like file of eight columns holding those three is another
    export, asked about, never loaded as a catalog whose titles become creators' names."""
    load_file(
        con,
        write(tmp_path, "catalog.csv", "Item,Name,Price\nAAAAAAAAA1,Shaker,12.00\n"),
        "catalog.csv",
        "products",
        {"asin": "Item", "title": "Name", "price": "Price"},
    )
    other = "Day,Item,Name,Price,Taps,Buys,Gross,Payout\n2026-03-01,AAAAAAAAA1,maya,1,10,1,20,2\n"
    with pytest.raises(FileRejectedError):
        load_file(con, write(tmp_path, "other.csv", other))
    assert con.execute("select title from products").fetchall() == [("Shaker",)]


def test_a_load_says_when_it_reused_a_saved_mapping(con, tmp_path):
    header = "Day,Influencer Handle,Product,Taps,Buys,Gross,Payout\n"
    mapping = {
        "date": "Day",
        "creator": "Influencer Handle",
        "asin": "Product",
        "clicks": "Taps",
        "orders": "Buys",
        "revenue": "Gross",
        "commission": "Payout",
    }
    load_file(
        con,
        write(tmp_path, "a.csv", header + "2026-03-01,maya,AAAAAAAAA1,10,1,20,2\n"),
        "a.csv",
        "performance",
        mapping,
    )
    second = load_file(con, write(tmp_path, "b.csv", header + "2026-03-02,maya,AAAAAAAAA1,8,2,40,4\n"))
    assert "saved column mapping reused" in second.notes
    # The export's columns reordered, in capitals, with one more: the same columns, matched as saved.
    moved = "PAYOUT,Day,Marketplace,Influencer Handle,Product,Taps,Buys,Gross\n"
    third = load_file(con, write(tmp_path, "c.csv", moved + "3,2026-03-03,US,maya,AAAAAAAAA1,9,1,30\n"))
    assert "saved column mapping reused" in third.notes and "ignored columns: Marketplace" in third.notes
    found = con.execute("select clicks, revenue::double, commission::double from performance where date = '2026-03-03'")
    assert found.fetchall() == [(9, 30.0, 3.0)]
    # The same export with only its date column renamed by the mapping, and another column added.
    renamed = "Influencer Handle,Day,Product,Taps,Buys,Gross,Payout,Marketplace\n"
    fourth = load_file(con, write(tmp_path, "e.csv", renamed + "maya,2026-03-05,AAAAAAAAA1,7,1,10,1,US\n"))
    assert "saved column mapping reused" in fourth.notes
    # Without one of the saved columns the mapping cannot apply, and the file is one to match.
    with pytest.raises(FileRejectedError, match="cannot tell what kind of file"):
        load_file(
            con,
            write(tmp_path, "d.csv", "Day,Influencer Handle,Product,Taps,Buys,Gross\n2026-03-04,m,AAAAAAAAA1,1,0,0\n"),
        )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], ""),
        (["a"], "a"),
        (["a", "b", "c"], "a, b, c"),
        (["a", "b", "c", "d"], "a, b, c, d"),
        (["a", "b", "c", "d", "e"], "a, b, c +2 more"),
    ],
)
def test_names_are_listed_up_to_four_and_past_that_three_then_counted(values, expected):
    assert named(values) == expected


def test_a_performance_file_short_of_a_column_is_not_taken_for_a_catalog_of_titles(con, tmp_path):
    """ASIN and a product title make a partial catalog, but the date, creator and clicks columns belong to
    performance: without its commission column the file is refused, not loaded as titles."""
    text = "date,creator,asin,product name,clicks,orders,revenue\n2026-03-01,maya,AAAAAAAAA1,Whey,10,1,20\n"
    with pytest.raises(
        FileRejectedError, match="this may be a performance file, but no column of it reads as commission"
    ):
        load_file(con, write(tmp_path, "short.csv", text))
    load_file(con, write(tmp_path, "titles.csv", "ASIN,Product Name,SKU\nAAAAAAAAA1,Whey,ACME-1\n"))
    assert con.execute("select asin, title, product_line from products").fetchall() == [
        ("AAAAAAAAA1", "Whey", "Unassigned")
    ]


def test_a_known_layout_that_is_not_brand_data_is_not_offered_column_mapping(con):
    from analytics.ingest.importer import inspect_file
    from analytics.ingest.uploads import needs_mapping

    inspection = inspect_file(con, LAYOUTS / "sponsored_brands_campaign.csv", "sb.csv")
    assert inspection.problem is not None and inspection.problem.startswith("sb.csv: this is a Sponsored Brands")
    assert not needs_mapping(inspection)


@pytest.mark.parametrize("seed", [1, 2])
def test_sums_by_program_and_product_line_match_an_independent_count(con, tmp_path, seed):
    """The reference store's performance (with a levanta creator) and catalog (a line left blank), loaded from CSV:
    each (program, product line) sum equals pandas' own, and a program filter keeps that program's rows alone."""
    from tests.reference.random_data import random_store

    frames = random_store(seed)
    for kind in ("products", "performance"):
        frames[kind].to_csv(tmp_path / f"{kind}.csv", index=False)
        load_file(con, tmp_path / f"{kind}.csv")
    rows = frames["performance"].merge(frames["products"][["asin", "product_line"]], on="asin", how="left")
    rows["product_line"] = rows["product_line"].fillna("Unassigned")
    expected = rows.groupby(["program", "product_line"])[["clicks", "orders", "revenue"]].sum()
    found = grouped_metrics(con, Scope(), ["program", "product_line"], ["clicks", "orders", "revenue"])
    found = found.set_index(["program", "product_line"])
    assert found.index.tolist() == expected.index.tolist()
    for column in ("clicks", "orders", "revenue"):
        assert found[column].astype(float).tolist() == pytest.approx(expected[column].astype(float).tolist())
    levanta = grouped_metrics(con, Scope(programs=("levanta",)), ["creator"], ["revenue"])
    assert levanta["creator"].tolist() == ["leo"]
    assert levanta["revenue"].iloc[0] == pytest.approx(rows.loc[rows["program"] == "levanta", "revenue"].sum())


def test_an_overlap_with_two_loads_names_both_and_counts_each_day_once(stored, tmp_path):
    """spring.csv holds maya's 03-01 and 03-02 ($80 + $20); summer.csv maya's 03-02 again under Summer ($7). A file
    without campaigns for 03-01 and 03-02 overlaps 3 rows of 2 loads on 2 days (not 3), $107 in all."""
    summer = write(tmp_path, "summer.csv", HEADER + "2026-03-02,Summer,maya,AAAAAAAAA1,5,1,7.00,1.00\n")
    load_file(stored, summer, on_overlap="keep_both")
    with pytest.raises(OverlapError) as stopped:
        load_file(stored, write(tmp_path, "no_campaign.csv", NO_CAMPAIGN))
    assert "loads 1 (spring.csv) and 2 (summer.csv) hold 3 rows" in str(stopped.value)
    assert "on 2 days from 2026-03-01 to 2026-03-02, with $107.00 of revenue" in str(stopped.value)


# The Data page


def _sample_day_without_campaign() -> tuple[str, float]:
    """A file restating the sample's first sold creator-day without its campaign, at $1.00 more, and the stored
    revenue of that day."""
    import csv

    rows = csv.DictReader((Path(__file__).parent.parent / "sample_data" / "performance.csv").open())
    sold = next(r for r in rows if float(r["revenue"]) > 0)
    text = "date,creator,asin,clicks,orders,revenue,commission\n"
    text += f"{sold['date']},{sold['creator']},{sold['asin']},{sold['clicks']},{sold['orders']},"
    text += f"{float(sold['revenue']) + 1:.2f},{sold['commission']}\n"
    return text, float(sold["revenue"])


@pytest.mark.usefixtures("entry_script_on_every_run")
@pytest.mark.parametrize(("button", "added"), [("replace", 1.0), ("keep", None)])
def test_the_data_page_stops_an_overlapping_upload_and_loads_it_as_the_user_chooses(app_env, button, added):
    """The sample holds the day under its campaign at $R: the upload is stopped (store unchanged), then Replace
    adds $1.00 in all (R + 1 instead of R), Keep both adds R + 1."""
    from tests.test_pages_data import DATA, alerts, open_page, store_figures, upload

    text, stored = _sample_day_without_campaign()
    before, loads_before = store_figures(app_env)
    at = upload(open_page(DATA), "no_campaign.csv", text)
    assert any(s.startswith("no_campaign.csv overlaps figures already loaded") for s in alerts(at, "warning"))
    # The box asking for the choice says what overlaps.
    stopped = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("no\\_campaign\\.csv\\: load ")]
    assert stopped and "(performance.csv) holds 1 row" in stopped[0] and "keep both, below" in stopped[0]
    assert store_figures(app_env) == (before, loads_before)
    [choice] = [b for b in at.button if str(b.key).startswith(f"data_overlap_{button}_")]
    choice.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.startswith("no_campaign.csv: Performance, 1 added") for s in alerts(at, "success")), alerts(
        at, "success"
    )
    after, loads_after = store_figures(app_env)
    assert loads_after == loads_before + 1
    grew = added if added is not None else stored + 1.0
    assert after["revenue"] == pytest.approx(before["revenue"] + grew)
    assert not [b for b in at.button if str(b.key).startswith("data_overlap_")]


OVERLAPPING_ORDERS = sorted((Path(__file__).parent / "fixtures" / "overlapping_orders").glob("*.csv"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own: a crash inside DuckDB ends that process, not the test run."""
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=Path(__file__).parents[1]
    )


def _latest_lines(files: list[Path]) -> dict[tuple[str, str], Decimal]:
    """Each order line's revenue as the latest file giving its (order_id, asin) says: the contract's rule."""
    lines: dict[tuple[str, str], Decimal] = {}
    for path in files:
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle):
                lines[(row["order_id"], row["asin"])] = Decimal(row["revenue"])
    return lines


def _order_lines(db: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select order_id, asin, revenue, previous_order_date, next_order_date from orders order by 1, 2"
        ).fetchall()
    finally:
        con.close()


def test_ten_weeks_of_overlapping_order_lines_load_and_undo_without_crashing(tmp_path):
    """Each week's file covers 14 days, the week before's last 7 again: every load replaces stored lines and gives
    the touched customers' lines their nearest-order days again. DuckDB 2.0.0 crashed the process in about half of
    such runs (requirements.txt pins the version that does not); a few runs, so a crash that comes back shows."""
    everything = _latest_lines(OVERLAPPING_ORDERS)
    for run in range(3):
        db = tmp_path / f"weeks{run}.duckdb"
        loaded = _cli("--db", str(db), "load", *map(str, OVERLAPPING_ORDERS))
        assert loaded.returncode == 0, loaded.stderr
        lines = _order_lines(db)
        assert len(lines) == len(everything) == 564
        assert sum(line[2] for line in lines) == sum(everything.values())
    # Undoing the sixth week's file leaves what loading the others alone gives, nearest-order days and all.
    undone = _cli("--db", str(db), "unload", "6")
    assert undone.returncode == 0 and "w06_order_lines_2026-11-01.csv" in undone.stdout, undone.stderr
    without = tmp_path / "without_week_6.duckdb"
    others = [path for path in OVERLAPPING_ORDERS if not path.name.startswith("w06")]
    assert _cli("--db", str(without), "load", *map(str, others)).returncode == 0
    assert _order_lines(db) == _order_lines(without)
    assert sum(line[2] for line in _order_lines(db)) == sum(_latest_lines(others).values())
