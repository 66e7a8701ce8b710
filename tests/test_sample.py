"""The bundled sample data: reproducible from the CLI, plausible, and holding the stories the README lists."""

from __future__ import annotations

import filecmp
from datetime import date
from pathlib import Path

import pytest

from analytics.metrics.grouped import Scope, grouped_metrics, product_payouts, totals
from analytics.metrics.rank_lift import rank_lift
from tools.sample_data import write_sample

ROOT = Path(__file__).resolve().parent.parent
YEAR = Scope(date(2025, 11, 16), date(2026, 11, 14))
LAST_90_DAYS = Scope(date(2026, 8, 17), date(2026, 11, 14))


def test_sample_data_is_the_generator_output_at_the_default_scale(tmp_path: Path) -> None:
    written = write_sample(tmp_path)
    for kind, path in written.items():
        assert filecmp.cmp(path, ROOT / "sample_data" / path.name, shallow=False), kind
    assert sum(p.stat().st_size for p in written.values()) < 10 * 1024 * 1024


def test_sample_numbers_are_plausible_for_consumer_goods(sample_con) -> None:  # type: ignore[no-untyped-def]
    year = totals(sample_con, YEAR)
    assert 0.02 <= year["conversion_rate"] <= 0.08
    assert 0.03 <= year["commission_share"] <= 0.20
    creators = grouped_metrics(sample_con, YEAR, ["creator"])
    assert 30 <= len(creators) <= 50
    assert 4 <= grouped_metrics(sample_con, YEAR, ["product_line"])["product_line"].nunique() <= 7


def row(frame, column, value):  # type: ignore[no-untyped-def]
    return frame[frame[column] == value].iloc[0]


def test_a_hero_sku_carries_hydration_while_its_launch_starves(sample_con) -> None:  # type: ignore[no-untyped-def]
    scope = Scope(LAST_90_DAYS.start, LAST_90_DAYS.end, product_lines=("Hydration",))
    asins = grouped_metrics(sample_con, scope, ["asin"])
    assert row(asins, "asin", "B0IMTGCXLD")["revenue_share"] > 0.6
    assert row(asins, "asin", "B0GCGLOJ4P")["revenue_share"] < 0.1


def test_creator_audiences_differ(sample_con) -> None:  # type: ignore[no-untyped-def]
    creators = grouped_metrics(sample_con, YEAR, ["creator"])
    dana = row(creators, "creator", "@dealsbydana")
    assert dana["conversion_rate"] == creators["conversion_rate"].max()
    assert dana["ntb_pct"] < 0.2 and dana["repeat_rate"] < dana["baseline_repeat_rate"]
    nina = row(creators, "creator", "@naturallynina")
    assert nina["ntb_pct"] > 0.7 and nina["sns_rate"] > 0.3
    logan = row(creators, "creator", "@liftwithlogan")
    assert logan["clicks"] >= 300 and logan["orders"] == 0


def test_one_asin_rank_rises_and_another_stays_flat(sample_con) -> None:  # type: ignore[no-untyped-def]
    lift = rank_lift(sample_con, "asin")
    assert row(lift, "asin", "B04D31IFP6")["rank_change"] > 20
    assert abs(row(lift, "asin", "B08NGH88QZ")["rank_change"]) <= 2


def test_vitamins_commission_share_drifts_up_over_six_weeks(sample_con) -> None:  # type: ignore[no-untyped-def]
    recent = totals(sample_con, Scope(date(2026, 10, 4), date(2026, 11, 14), product_lines=("Vitamins",)))
    before = totals(sample_con, Scope(date(2026, 8, 23), date(2026, 10, 3), product_lines=("Vitamins",)))
    assert recent["commission_share"] - before["commission_share"] >= 0.02


def test_a_cheap_asin_pays_creators_under_a_dollar(sample_con) -> None:  # type: ignore[no-untyped-def]
    payouts = product_payouts(sample_con)
    chews = row(payouts, "asin", "B0LJC61LJE")
    assert chews["price"] < 15
    assert chews["creator_payout_per_sale"] == pytest.approx(9.99 * 0.08)
