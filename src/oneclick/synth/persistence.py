"""The same customers one period later: their features carried over on the generator's normal scores.

A customer's features are read back as the generator's normal scores (``customers.score_of_value``),
moved one period on, and turned into values again. The step is a Gaussian autoregression that
leaves the generator's joint distribution as it was::

    score_next = mean[category] + K (score_last - mean[category]) + noise,   noise ~ N(0, Σ - K Σ Kᵀ)

``K`` carries :data:`PERSISTENCE` of each score into the next period, with the months shifted:
next period's revenue two months ago continues this period's revenue last month, next period's
revenue (and minutes) last month continues this month's, and this month is new. Without drift,
every feature's distribution and every correlation between features stay those of the
generator (the real export's), whatever the customers did; the months are not copied value for
value, because the real export's three months differ in level and spread, and a copy would
itself be a drift. The favourite category, the service type and the consent to messages stay.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from oneclick.synth.customers import SCORED_FEATURES, score_model

# Share of a customer's normal score carried into the next period. With the months shifted
# the step keeps Σ only while Σ - K Σ Kᵀ is positive semi-definite, up to about 0.7 here.
PERSISTENCE = 0.65
# Next period's month <- this period's month it continues.
MONTH_SHIFT = MappingProxyType(
    {
        "revenue_month_before_previous": "revenue_previous_month",
        "revenue_previous_month": "revenue_current_month",
        "minutes_previous_month": "minutes_current_month",
    }
)
NEW_MONTHS = ("revenue_current_month", "minutes_current_month")


def carry_matrix(persistence: float = PERSISTENCE) -> np.ndarray:
    """``K``: row = a score next period, column = this period's score it continues."""
    index = {name: k for k, name in enumerate(SCORED_FEATURES)}
    carry = np.eye(len(SCORED_FEATURES))
    for name in (*MONTH_SHIFT, *NEW_MONTHS):
        carry[index[name]] = 0.0
    for name, continued in MONTH_SHIFT.items():
        carry[index[name], index[continued]] = 1.0
    return persistence * carry


def next_scores(
    rng: np.random.Generator, scores: np.ndarray, category_code: np.ndarray, persistence: float = PERSISTENCE
) -> np.ndarray:
    """Scores one period on: ``scores`` is customers x :data:`SCORED_FEATURES`.

    Raises ``ValueError`` when ``persistence`` is too high for the step to keep the distribution.
    """
    means, covariance = score_model()
    carry = carry_matrix(persistence)
    noise_covariance = covariance - carry @ covariance @ carry.T
    values, vectors = np.linalg.eigh(noise_covariance)
    if values.min() < -1e-9:
        raise ValueError(f"persistence {persistence} is too high to keep the customers' distribution")
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    mean = means[category_code]
    noise = rng.standard_normal(scores.shape) @ root.T
    return mean + (scores - mean) @ carry.T + noise
