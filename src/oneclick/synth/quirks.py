"""The defects of the store's real exports, reproduced on purpose.

Downstream code must cope with them (see ``ingest.columns.KNOWN_TYPOS`` and the data
README), so the synthetic data carries them too unless ``quirks=False``. They are always
drawn, and only applied when switched on, so the same seed gives the same customers
with and without quirks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oneclick.ingest.columns import KNOWN_TYPOS
from oneclick.synth import profile

# The real export has 3 inactive customers among 1,300; fewer customers than this get none.
_MIN_CUSTOMERS_FOR_INACTIVE = 300
_MIN_CUSTOMERS_FOR_OUTLIER = 100


@dataclass(frozen=True)
class QuirkPlan:
    """Which customers of a whole data set get the one-off defects.

    Positions count customers from 0 in id order.
    """

    inactive_positions: np.ndarray  # sorted; zero revenue in the two earlier months
    outlier_position: int | None  # current-month revenue about 20 times too high
    outlier_factor: float


def plan_quirks(rng: np.random.Generator, n_customers: int) -> QuirkPlan:
    """Choose the inactive customers and the revenue outlier of a data set of this size."""
    n_inactive = 0
    if n_customers >= _MIN_CUSTOMERS_FOR_INACTIVE:
        n_inactive = max(1, round(profile.INACTIVE_SHARE * n_customers))
    has_outlier = n_customers >= _MIN_CUSTOMERS_FOR_OUTLIER
    chosen = rng.choice(n_customers, size=n_inactive + has_outlier, replace=False)
    inactive = np.sort(chosen[has_outlier:])
    inactive.flags.writeable = False
    return QuirkPlan(
        inactive_positions=inactive,
        outlier_position=int(chosen[0]) if has_outlier else None,
        outlier_factor=float(rng.uniform(*profile.OUTLIER_FACTOR_RANGE)),
    )


def apply_value_quirks(customers: dict[str, np.ndarray], start: int, plan: QuirkPlan) -> None:
    """Zero the inactive customers' early revenue and inflate the outlier, in place.

    ``customers`` holds the customers at positions ``start, start + 1, ...`` of the data set.
    """
    n = customers["revenue_current_month"].shape[0]
    positions = plan.inactive_positions
    inactive = positions[(positions >= start) & (positions < start + n)] - start
    # In the real export the inactive customers also have no promo purchases.
    for name in ("revenue_month_before_previous", "revenue_previous_month", "promo_purchase_share"):
        customers[name][inactive] = 0.0
    if plan.outlier_position is not None and start <= plan.outlier_position < start + n:
        revenue = customers["revenue_current_month"]
        index = plan.outlier_position - start
        revenue[index] = round(float(revenue[index]) * plan.outlier_factor, 1)


def misspelled(column: str, value: str) -> str:
    """The exports' misspelling of a correct Russian value (the value itself if none)."""
    for typo, correct in KNOWN_TYPOS.get(column, {}).items():
        if correct == value:
            return typo
    return value
