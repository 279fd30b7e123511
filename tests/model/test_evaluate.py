"""Metrics: the F1 threshold, decisions at a threshold, the calibration curve."""

from __future__ import annotations

import numpy as np
import pytest

from oneclick.model.evaluate import best_f1_threshold, calibration_table, classification_metrics


@pytest.mark.parametrize(
    ("labels", "probability", "threshold"),
    [
        ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.35),  # flagging 0.35 and up: F1 0.8, the best
        ([0, 1, 1, 1], [0.2, 0.3, 0.6, 0.9], 0.3),  # every positive, no negative
        ([0, 1], [0.7, 0.6], 0.6),  # a tie in F1 goes to the higher threshold
    ],
)
def test_threshold_maximises_f1(labels: list[int], probability: list[float], threshold: float) -> None:
    assert best_f1_threshold(np.array(labels), np.array(probability)) == pytest.approx(threshold)


def test_metrics_at_a_threshold() -> None:
    labels = np.array([0, 0, 1, 1, 1])
    probability = np.array([0.1, 0.6, 0.4, 0.7, 0.9])
    metrics = classification_metrics(labels, probability, threshold=0.5)
    assert metrics["precision"] == pytest.approx(2 / 3)
    assert metrics["recall"] == pytest.approx(2 / 3)
    assert metrics["f1"] == pytest.approx(2 / 3)
    assert metrics["roc_auc"] == pytest.approx(5 / 6)
    assert metrics["brier"] == pytest.approx(np.mean((probability - labels) ** 2))
    assert metrics["n_customers"] == 5


def test_calibration_curve_of_a_calibrated_forecast_follows_the_diagonal() -> None:
    rng = np.random.default_rng(0)
    probability = rng.uniform(size=20_000)
    labels = (rng.uniform(size=probability.size) < probability).astype(int)
    table = calibration_table(labels, probability, n_bins=5)
    assert len(table["mean_predicted"]) == len(table["observed_share"]) == 5
    np.testing.assert_allclose(table["observed_share"], table["mean_predicted"], atol=0.03)
