"""A brand's figures add its amounts up: a file of two currencies, or of another currency than the brand's earlier
files, is refused with the reason, and the store is left as it was."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.ingest.layout import FileRejectedError
from analytics.metrics.grouped import Scope, totals
from analytics.store.changes import load_file, unload

HEADER = "date,creator,asin,clicks,orders,revenue,commission\n"


def write(folder: Path, name: str, rows: str) -> Path:
    path = folder / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_file_of_two_currencies_is_refused_at_the_first_cell_of_the_second(con, tmp_path) -> None:
    path = write(
        tmp_path,
        "mixed.csv",
        "2026-03-03,maya,B0AAAAAAA1,10,2,$10.00,$1.00\n2026-03-04,leo,B0AAAAAAA1,10,2,EUR 10.00,1.00\n",
    )
    with pytest.raises(FileRejectedError) as refused:
        load_file(con, path)
    assert str(refused.value) == (
        "mixed.csv, line 3, column 'revenue': 'EUR 10.00' is in €, where the file's amounts before it are in $: "
        "amounts are added up, so a file holds one currency. Split it by currency and load each into its own brand's "
        "workspace."
    )
    assert con.execute("select count(*) from performance").fetchone() == (0,)


def test_a_file_in_another_currency_than_the_brands_is_refused_and_the_store_keeps_its_figures(con, tmp_path) -> None:
    """€1,234.56 then ₹123,456: summed, the revenue read 124,690.56 of no currency. The ₹ file is refused; a file of
    bare numbers, or of the brand's own sign, loads beside the € one and says nothing of currency."""
    euros = load_file(con, write(tmp_path, "eur.csv", '2026-03-01,maya,B0AAAAAAA1,10,2,"€1,234.56",€123.46\n'))
    assert "amounts in €" in euros.notes
    before = totals(con, Scope())
    rupees = write(tmp_path, "inr.csv", '2026-03-02,maya,B0AAAAAAA1,10,2,"₹1,23,456.00","₹12,345.60"\n')
    with pytest.raises(FileRejectedError, match=r"^inr\.csv: its amounts are in ₹, and this brand's are in €"):
        load_file(con, rupees)
    assert totals(con, Scope()) == before
    bare = load_file(con, write(tmp_path, "bare.csv", "2026-03-02,leo,B0AAAAAAA1,5,1,20.00,2.00\n"))
    assert not [note for note in bare.notes if "amounts in" in note]
    assert totals(con, Scope())["revenue"] == pytest.approx(1254.56)
    # Once every amount is undone, the brand takes the next file's currency.
    unload(con, euros.load_id)
    unload(con, bare.load_id)
    assert "amounts in ₹" in load_file(con, rupees).notes


def test_dollars_written_as_usd_or_with_the_sign_are_one_currency(con: duckdb.DuckDBPyConnection, tmp_path) -> None:
    path = write(
        tmp_path,
        "usd.csv",
        "2026-03-01,maya,B0AAAAAAA1,10,2,USD 10.00,$1.00\n2026-03-02,leo,B0AAAAAAA1,1,1,$5.00,0.50\n",
    )
    result = load_file(con, path)
    assert result.added == 2 and not [note for note in result.notes if "amounts in" in note]
