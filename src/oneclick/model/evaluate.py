"""Metrics of predicted probabilities: ranking, decisions at a threshold, calibration."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)

THRESHOLD_RULE = "maximises F1 on out-of-fold probabilities of the training part"


def best_f1_threshold(y: pd.Series | np.ndarray, probability: np.ndarray) -> float:
    """The probability threshold with the highest F1 (declined = positive) on these labels.

    Ties go to the higher threshold (fewer customers flagged).

    >>> best_f1_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.35
    """
    precision, recall, thresholds = precision_recall_curve(y, probability)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)[:-1]
    best = np.flatnonzero(f1 == f1.max())[-1]
    return float(thresholds[best])


def classification_metrics(y: pd.Series | np.ndarray, probability: np.ndarray, threshold: float) -> dict[str, Any]:
    """ROC-AUC, PR-AUC, Brier score, and F1 / precision / recall of ``probability >= threshold``."""
    labels = np.asarray(y)
    predicted = (probability >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(labels, probability)),
        "pr_auc": float(average_precision_score(labels, probability)),
        "f1": float(f1_score(labels, predicted, zero_division=0.0)),
        "precision": float(precision_score(labels, predicted, zero_division=0.0)),
        "recall": float(recall_score(labels, predicted, zero_division=0.0)),
        "brier": float(brier_score_loss(labels, probability)),
        "threshold": float(threshold),
        "n_customers": len(labels),
        "declined_share": float(labels.mean()),
    }


def calibration_table(y: pd.Series | np.ndarray, probability: np.ndarray, n_bins: int = 10) -> dict[str, list[float]]:
    """Calibration curve on quantile bins: mean predicted probability against the observed share."""
    observed, predicted = calibration_curve(y, probability, n_bins=n_bins, strategy="quantile")
    return {
        "mean_predicted": [round(float(v), 4) for v in predicted],
        "observed_share": [round(float(v), 4) for v in observed],
    }
