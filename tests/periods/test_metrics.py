"""Realised and expected figures: the same as scikit-learn's on the same customers; intervals that cover."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, precision_score, recall_score, roc_auc_score

from oneclick.periods.metrics import Predictions, figures, hanley_mcneil_se, with_intervals


@pytest.fixture
def calibrated() -> tuple[np.ndarray, np.ndarray]:
    """Probabilities with ties, and labels drawn from them (so they are calibrated)."""
    rng = np.random.default_rng(1)
    probability = np.round(rng.beta(2, 3, 3_000), 2)
    return probability, (rng.random(3_000) < probability).astype(float)


def test_realised_figures_are_sklearns(calibrated) -> None:
    probability, label = calibrated
    found = figures(Predictions.of(probability, 0.4), label)
    assert found["roc_auc"] == pytest.approx(roc_auc_score(label, probability))
    assert found["brier"] == pytest.approx(brier_score_loss(label, probability))
    assert found["precision"] == pytest.approx(precision_score(label, probability >= 0.4))
    assert found["recall"] == pytest.approx(recall_score(label, probability >= 0.4))
    observed, predicted = calibration_curve(label, probability, n_bins=10, strategy="quantile")
    assert found["calibration"][0] == pytest.approx(predicted)
    assert found["calibration"][1] == pytest.approx(observed)


def test_weights_count_customers_again(calibrated) -> None:
    probability, label = calibrated
    weights = np.random.default_rng(2).integers(0, 3, len(probability))
    repeated = np.repeat(np.arange(len(probability)), weights)
    found = figures(Predictions.of(probability, 0.4), label, weights)
    assert found["roc_auc"] == pytest.approx(roc_auc_score(label[repeated], probability[repeated]))
    assert found["brier"] == pytest.approx(brier_score_loss(label[repeated], probability[repeated]))


def test_the_expectation_of_calibrated_probabilities_matches_the_outcome(calibrated) -> None:
    probability, label = calibrated
    predictions = Predictions.of(probability, 0.4)
    expected, realised = with_intervals(predictions, probability, seed=0), with_intervals(predictions, label, seed=0)
    for name in ("roc_auc", "brier", "precision", "recall", "declined_share"):
        low, high = realised[name]["ci"]
        assert low <= expected[name]["value"] <= high, name


def test_intervals_are_seeded_and_hold_the_estimate(calibrated) -> None:
    probability, label = calibrated
    predictions = Predictions.of(probability, 0.4)
    first, again = with_intervals(predictions, label, seed=5), with_intervals(predictions, label, seed=5)
    assert first == again
    low, high = first["roc_auc"]["ci"]
    assert low < first["roc_auc"]["value"] < high
    assert first["roc_auc"]["se"] == pytest.approx(
        hanley_mcneil_se(first["roc_auc"]["value"], int(label.sum()), int((1 - label).sum())), rel=0.3
    )
    assert len(first["calibration_curve"]["observed_ci_low"]) == len(first["calibration_curve"]["mean_predicted"])
