"""Model quality: the leaderboard, holdout metrics and calibration of a trained model, and its holdout curves.

The numbers come from the model's ``metrics.json``; the ROC and precision-recall curves and the
confusion matrix are computed from its holdout predictions (the holdout of the published
protocol) at the model's threshold. The store's analysts published a holdout ROC-AUC of 0.89 to
0.917 on the same protocol: :func:`published_comparison` says where a model stands against it.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

# The store analysts' holdout ROC-AUC (25 % stratified holdout, random_state=42), as published.
PUBLISHED_ROC_AUC = (0.89, 0.917)
# Curves keep at most this many points: a sharp line at any holdout size, a small report.
MAX_CURVE_POINTS = 300
_HOLDOUT_KEYS = ("roc_auc", "pr_auc", "f1", "precision", "recall", "brier", "n_customers", "declined_share")
_BOARD_KEYS = ("model", "cv_roc_auc_mean", "cv_roc_auc_std", "holdout_roc_auc", "fit_seconds", "n_trials")


def model_quality(metrics: dict[str, Any], holdout_predictions: pd.DataFrame | None = None) -> dict[str, Any]:
    """The leaderboard, holdout metrics, calibration and cross-validation of a model, and its holdout curves.

    ``metrics`` is the dict of ``metrics.json``; ``holdout_predictions`` the frame of
    ``holdout_predictions.csv`` (``declined``, ``decline_probability``), without which ``curves`` is
    ``None``. Returns ``best_model``, ``holdout`` (with the decision ``threshold``), ``calibration``,
    ``cv``, ``search_folds``, ``leaderboard``, ``selection``, ``published_roc_auc`` and ``curves``
    (:func:`holdout_curves`).
    """
    holdout, cv, selection = metrics["holdout"], metrics["cv"], metrics.get("selection", {})
    threshold = float(holdout.get("threshold", selection.get("threshold", 0.5)))
    return {
        "best_model": metrics["best_model"],
        "holdout": {key: holdout.get(key) for key in _HOLDOUT_KEYS} | {"threshold": threshold},
        "calibration": holdout.get("calibration_curve"),
        "cv": {key: cv.get(key) for key in ("nested", "roc_auc_mean", "roc_auc_std", "folds", "repeats")},
        # The leaderboard's CV is the search's own, whose folds the run's settings record.
        "search_folds": metrics.get("metadata", {}).get("settings", {}).get("inner_folds"),
        "leaderboard": [{key: row.get(key) for key in _BOARD_KEYS} for row in metrics.get("leaderboard", [])],
        "selection": {
            "components": selection.get("components", [metrics["best_model"]]),
            "weights": selection.get("weights", [1.0]),
            "calibrated": bool(selection.get("calibrated", False)),
            "threshold_rule": selection.get("threshold_rule", ""),
        },
        "published_roc_auc": {"low": PUBLISHED_ROC_AUC[0], "high": PUBLISHED_ROC_AUC[1]},
        "curves": None if holdout_predictions is None else holdout_curves(holdout_predictions, threshold),
        # the saved model refit on all labelled customers: the figures above describe its procedure
        "refit": metrics.get("refit"),
    }


def holdout_curves(predictions: pd.DataFrame, threshold: float) -> dict[str, Any]:
    """ROC and precision-recall curves, their areas and the confusion matrix at ``threshold``.

    A customer whose ``decline_probability`` is at least ``threshold`` is flagged; ``confusion`` counts
    ``tp`` (flagged and declined), ``fp``, ``fn`` and ``tn``. The curves keep at most
    :data:`MAX_CURVE_POINTS` points.

    >>> frame = pd.DataFrame({"declined": [1, 1, 0, 0], "decline_probability": [0.9, 0.4, 0.6, 0.1]})
    >>> holdout_curves(frame, 0.5)["confusion"]
    {'tn': 1, 'fp': 1, 'fn': 1, 'tp': 1}
    """
    from sklearn.metrics import (
        average_precision_score,
        confusion_matrix,
        precision_recall_curve,
        roc_auc_score,
        roc_curve,
    )

    y = predictions["declined"].astype(int).to_numpy()
    probability = predictions["decline_probability"].astype(float).to_numpy()
    fpr, tpr, _ = roc_curve(y, probability)
    precision, recall, _ = precision_recall_curve(y, probability)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, probability >= threshold, labels=[0, 1]).ravel())
    return {
        "n_customers": len(y),
        "n_declined": int(y.sum()),
        "roc_auc": float(roc_auc_score(y, probability)),
        "pr_auc": float(average_precision_score(y, probability)),
        "roc": {"fpr": _thin(fpr), "tpr": _thin(tpr)},
        "pr": {"recall": _thin(recall), "precision": _thin(precision)},
        "confusion": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
    }


def _thin(values: np.ndarray) -> list[float]:
    keep = np.unique(np.linspace(0, len(values) - 1, min(len(values), MAX_CURVE_POINTS)).round().astype(int))
    return [round(float(v), 4) for v in values[keep]]


def published_comparison(auc: float, published: dict[str, float]) -> Literal["within", "above", "below"]:
    """``"within"``, ``"above"`` or ``"below"`` the published range (``low``, ``high``), for the ROC-AUC as
    shown (3 decimals)."""
    shown = round(auc, 3)
    if published["low"] <= shown <= published["high"]:
        return "within"
    return "above" if shown > published["high"] else "below"


def gap_to_published(auc: float, published: dict[str, float]) -> float:
    """How far the shown ROC-AUC (3 decimals) lies outside the published range; 0 inside it."""
    shown = round(auc, 3)
    return max(shown - published["high"], published["low"] - shown, 0.0)
