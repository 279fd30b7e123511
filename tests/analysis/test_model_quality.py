"""Model quality: the confusion matrix counts at the threshold, curves and areas, the published range."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from oneclick.analysis import gap_to_published, holdout_curves, model_quality, published_comparison
from oneclick.analysis.model_quality import MAX_CURVE_POINTS


def _metrics(**holdout: Any) -> dict[str, Any]:
    return {
        "best_model": "logreg+lgbm",
        "holdout": {"roc_auc": 0.9, "recall": 0.8, "brier": 0.1, "n_customers": 6} | holdout,
        "cv": {"nested": True, "roc_auc_mean": 0.88, "roc_auc_std": 0.01, "folds": 5, "repeats": 2},
        "leaderboard": [{"model": "logreg", "cv_roc_auc_mean": 0.87, "holdout_roc_auc": 0.89, "extra": 1}],
        "selection": {"threshold": 0.4, "components": ["logreg", "lgbm"], "weights": [0.5, 0.5]},
        "metadata": {"settings": {"inner_folds": 3}},
    }


PREDICTIONS = pd.DataFrame({"declined": [1, 1, 1, 0, 0, 0], "decline_probability": [0.9, 0.5, 0.2, 0.5, 0.3, 0.1]})


def test_the_confusion_matrix_counts_each_customer_once_at_the_threshold() -> None:
    curves = holdout_curves(PREDICTIONS, threshold=0.5)
    # A probability equal to the threshold is flagged.
    assert curves["confusion"] == {"tp": 2, "fn": 1, "fp": 1, "tn": 2}
    assert (curves["n_customers"], curves["n_declined"]) == (6, 3)
    assert holdout_curves(PREDICTIONS, threshold=0.95)["confusion"] == {"tp": 0, "fn": 3, "fp": 0, "tn": 3}


def test_a_model_that_ranks_every_decline_first_has_areas_of_one() -> None:
    perfect = pd.DataFrame({"declined": [0, 0, 1, 1], "decline_probability": [0.1, 0.2, 0.7, 0.8]})
    curves = holdout_curves(perfect, threshold=0.5)
    assert curves["roc_auc"] == curves["pr_auc"] == 1.0
    assert curves["roc"]["fpr"][0] == 0.0 and curves["roc"]["tpr"][-1] == 1.0


def test_curves_of_a_large_holdout_are_thinned() -> None:
    rng = np.random.default_rng(0)
    declined = rng.integers(0, 2, 5_000)
    frame = pd.DataFrame(
        {"declined": declined, "decline_probability": np.clip(0.3 * declined + rng.random(5_000), 0, 1)}
    )
    curves = holdout_curves(frame, threshold=0.5)
    assert len(curves["roc"]["fpr"]) == len(curves["roc"]["tpr"]) <= MAX_CURVE_POINTS
    assert 0.5 < curves["roc_auc"] < 1


def test_model_quality_takes_the_threshold_of_the_holdout_then_of_the_selection() -> None:
    assert model_quality(_metrics(threshold=0.35))["holdout"]["threshold"] == 0.35
    result = model_quality(_metrics(), PREDICTIONS)
    assert result["holdout"]["threshold"] == 0.4
    assert result["curves"]["confusion"] == holdout_curves(PREDICTIONS, 0.4)["confusion"]
    assert result["holdout"]["f1"] is None  # what metrics.json lacks stays missing, not made up
    assert result["leaderboard"][0]["model"] == "logreg" and "extra" not in result["leaderboard"][0]
    assert result["selection"]["components"] == ["logreg", "lgbm"]
    assert result["search_folds"] == 3
    assert result["published_roc_auc"] == {"low": 0.89, "high": 0.917}


def test_without_holdout_predictions_there_are_no_curves() -> None:
    assert model_quality(_metrics())["curves"] is None


@pytest.mark.parametrize(
    ("auc", "where", "gap"),
    [(0.8898, "within", 0.0), (0.9174, "within", 0.0), (0.93, "above", 0.013), (0.85, "below", 0.04)],
)
def test_roc_auc_is_compared_as_it_is_shown(auc: float, where: str, gap: float) -> None:
    published = {"low": 0.89, "high": 0.917}
    assert published_comparison(auc, published) == where
    assert gap_to_published(auc, published) == pytest.approx(gap)
