"""The realised ROC-AUC and Brier score against the model's own expectation: level, power, and the figures."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from sklearn.metrics import brier_score_loss, roc_auc_score

from oneclick.periods.expectation_tests import against_expected
from oneclick.periods.metrics import Predictions, with_intervals

N = 800  # the benchmark's small period
DRAWS = 20


def _customers(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two features; the model's probability uses both, as the world did when it was trained."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, 2))
    probability = expit(-0.8 + 1.6 * x[:, 0] + 0.8 * x[:, 1])
    return x, probability, rng.random(N)


def _tests(probability: np.ndarray, declined: np.ndarray, seed: int = 0) -> dict:
    return against_expected(Predictions.of(probability, 0.5), declined, seed=seed)


def test_labels_drawn_from_the_probabilities_are_rejected_at_about_the_level() -> None:
    rejected_auc, rejected_brier, retrained = 0, 0, 0
    for seed in range(DRAWS):
        _, probability, uniform = _customers(seed)
        found = _tests(probability, uniform < probability, seed)
        rejected_auc += found["roc_auc"]["p_value"] < 0.05
        rejected_brier += found["brier"]["p_value"] < 0.05
        retrained += found["roc_auc"]["p_value"] < 0.05 and found["roc_auc"]["shortfall"] >= 0.03
    # 5 % of 20 is one; three or fewer happen with probability 0.98 under a correct test.
    assert rejected_auc <= 3 and rejected_brier <= 3
    # The retrain clause asks for a shortfall of 0.03 as well (here 2.3 null sd's): rarer still.
    assert retrained <= 2


def test_a_reversed_feature_effect_is_found_in_every_draw() -> None:
    for seed in range(DRAWS):
        x, probability, uniform = _customers(seed)
        truth = expit(-0.8 + 1.6 * x[:, 0] - 0.8 * x[:, 1])  # concept drift: the second feature's effect reversed
        found = _tests(probability, uniform < truth, seed)
        assert found["roc_auc"]["p_value"] < 0.05 and found["roc_auc"]["shortfall"] > 0.03, found
        assert found["brier"]["p_value"] < 0.05


def test_the_figures_are_the_realised_ones_and_the_expectation() -> None:
    _, probability, uniform = _customers(1)
    declined = uniform < probability
    found = _tests(probability, declined)
    auc, brier = found["roc_auc"], found["brier"]
    assert auc["realised"] == pytest.approx(roc_auc_score(declined, probability), abs=1e-6)
    assert brier["realised"] == pytest.approx(brier_score_loss(declined, probability), abs=1e-6)
    assert brier["expected"] == pytest.approx(np.mean(probability * (1 - probability)), abs=1e-6)
    # The parametric bootstrap's mean is the confidence-based expectation (CBPE) of the ROC-AUC.
    cbpe = with_intervals(Predictions.of(probability, 0.5), probability, seed=0)["roc_auc"]["value"]
    assert auc["expected"] == pytest.approx(cbpe, abs=3 * auc["expected_sd"] / np.sqrt(auc["replicates"]) + 1e-3)
    assert auc["shortfall"] == pytest.approx(auc["expected"] - auc["realised"], abs=1e-6)
    assert _tests(probability, declined, seed=4) == _tests(probability, declined, seed=4)


def test_a_perfect_ranking_is_never_short_of_the_expectation() -> None:
    _, probability, _ = _customers(2)
    found = _tests(probability, probability > np.median(probability))
    assert found["roc_auc"]["realised"] == 1.0
    assert found["roc_auc"]["p_value"] == 1.0
