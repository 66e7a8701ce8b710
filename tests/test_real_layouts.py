"""Exports as tools write them give the same metrics as the clean canonical files they stand for."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from analytics.ingest.importer import load_file
from analytics.metrics.grouped import Scope, grouped_metrics
from analytics.metrics.rank_lift import rank_lift
from analytics.store.database import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
WEEKS = Scope(date(2026, 9, 1), date(2026, 10, 31))


def sample_rows(name: str, start: str = "2026-09-01", end: str = "2026-10-31") -> list[dict[str, str]]:
    with open(SAMPLE / name, newline="") as handle:
        rows = list(csv.DictReader(handle))
    key = "order_date" if name == "orders.csv" else "date"
    return [r for r in rows if key not in r or start <= r[key] <= end]


def write(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    title: str = "",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    if title:
        buffer.write(title + "\r\n")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def us_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.month}/{day.day}/{day.year}"


def money(text: str) -> str:
    value = float(text)
    return f"-${abs(value):,.2f}" if value < 0 else f"${value:,.2f}"


def canonical_store(tmp_path: Path, files: dict[str, list[dict[str, str]]]):
    con = open_store(tmp_path / "canonical.duckdb")
    for name, rows in files.items():
        path = tmp_path / f"canonical-{name}"
        pd.DataFrame(rows).to_csv(path, index=False)
        load_file(con, path, name)
    return con


def test_creator_platform_export_matches_the_canonical_file(tmp_path):
    """A title line, US dates, dollar signs and thousands separators, Excel's Windows-1252, other names."""
    products = sample_rows("products.csv")
    performance = sample_rows("performance.csv")
    canonical = canonical_store(tmp_path, {"products.csv": products, "performance.csv": performance})
    messy = open_store(tmp_path / "messy.duckdb")
    load_file(messy, tmp_path / "canonical-products.csv", "products.csv")
    header = [
        "Date",
        "Campaign Name",
        "Creator",
        "ASIN",
        "Clicks",
        "Purchases",
        "Units Sold",
        "Sales",
        "Commission",
        "New-to-brand purchases",
        "Subscribe & Save orders",
        "Notes",
    ]
    rows = [
        [
            us_date(r["date"]),
            r["campaign"],
            r["creator"],
            r["asin"].lower(),
            f"{int(r['clicks']):,}",
            r["orders"],
            r["units"],
            money(r["revenue"]),
            money(r["commission"]),
            r["ntb_orders"],
            r["sns_orders"],
            "Café",
        ]
        for r in performance
    ]
    path = write(
        tmp_path / "export.csv",
        header,
        rows,
        title="Fee-Orders reports from 09/01/2026 to 10/31/2026",
        encoding="cp1252",
    )
    result = load_file(messy, path, "export.csv")
    assert "ignored columns: Notes" in result.summary()
    for by in (["creator"], ["asin", "week"], ["product_line", "campaign"]):
        pd.testing.assert_frame_equal(grouped_metrics(messy, WEEKS, by), grouped_metrics(canonical, WEEKS, by))


def test_helium_10_keyword_tracker_matches_the_canonical_file(tmp_path):
    """Helium 10 stamps each reading with a time, writes >306 for not ranked and adds columns we ignore;
    an extra, earlier reading of the same day must lose to the later one."""
    products = sample_rows("products.csv")
    ranks = sample_rows("ranks.csv", "2025-11-16", "2026-11-14")
    performance = sample_rows("performance.csv", "2025-11-16", "2026-11-14")
    canonical = canonical_store(
        tmp_path, {"products.csv": products, "performance.csv": performance, "ranks.csv": ranks}
    )
    messy = open_store(tmp_path / "messy.duckdb")
    for name in ("products.csv", "performance.csv"):
        load_file(messy, tmp_path / f"canonical-{name}", name)
    header = [
        "Title",
        "ASIN",
        "Keyword Sales",
        "Keyword",
        "Marketplace",
        "Search Volume",
        "Organic Rank",
        "Sponsored Position",
        "Date Added",
    ]
    rows = []
    for r in ranks:
        stamp = datetime.fromisoformat(r["date"]).replace(hour=16, minute=1)
        rank_text = r["organic_rank"] or ">306"
        rows.append(
            [
                "Title",
                r["asin"],
                "12",
                r["keyword"],
                "US",
                r["search_volume"] or "-",
                rank_text,
                r["sponsored_rank"] or "-",
                stamp.strftime("%-m/%-d/%Y %-I:%M %p"),
            ]
        )
        early = stamp.replace(hour=3)
        rows.append(
            ["Title", r["asin"], "12", r["keyword"], "US", "-", "1", "-", early.strftime("%-m/%-d/%Y %-I:%M %p")]
        )
    load_file(messy, write(tmp_path / "helium10.csv", header, rows, delimiter="\t"), "helium10.csv")
    for level in ("keyword", "asin", "product_line"):
        pd.testing.assert_frame_equal(rank_lift(messy, level), rank_lift(canonical, level))


@pytest.mark.parametrize("layout", ["archer"])
def test_archer_export_loads_with_orders_from_units(tmp_path, layout):
    """Archer writes no order count: orders come from units, which the sample sets equal for single-unit rows."""
    performance = [r for r in sample_rows("performance.csv") if r["orders"] == r["units"]]
    for r in performance:
        r["ntb_orders"] = r["sns_orders"] = ""
    canonical = canonical_store(tmp_path, {"performance.csv": performance})
    messy = open_store(tmp_path / "messy.duckdb")
    header = ["date", "asin", "creator", "clicks", "sales", "unitsSold", "commissionPaid", "campaign"]
    rows = [
        [r["date"], r["asin"], r["creator"], r["clicks"], r["revenue"], r["units"], r["commission"], r["campaign"]]
        for r in performance
    ]
    load_file(messy, write(tmp_path / "archer.csv", header, rows), "archer.csv")
    pd.testing.assert_frame_equal(
        grouped_metrics(messy, WEEKS, ["creator"]), grouped_metrics(canonical, WEEKS, ["creator"])
    )
