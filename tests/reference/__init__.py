"""An independent, plain-pandas reference for the metrics SPEC.md added or changed on 2026-12-03.

Slow and literal on purpose: tests cross-check the DuckDB engine against it on random stores
(``random_data.random_store``). Nothing here imports the ``analytics`` package. The readings chosen where the
SPEC leaves room are listed in AMBIGUITIES.md beside this file.
"""

from tests.reference.brand_files import ba_repeat_rate, is_branded, sales_metrics, search_metrics
from tests.reference.commission import commission_change
from tests.reference.customers import cohort_metrics, repeat_metrics
from tests.reference.health import program_health, top5_revenue_share
from tests.reference.random_data import random_store
from tests.reference.rank_lift import activation_dates, rank_lift_with_control

__all__ = [
    "activation_dates",
    "ba_repeat_rate",
    "cohort_metrics",
    "commission_change",
    "is_branded",
    "program_health",
    "random_store",
    "rank_lift_with_control",
    "repeat_metrics",
    "sales_metrics",
    "search_metrics",
    "top5_revenue_share",
]
