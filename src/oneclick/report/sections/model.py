"""Section 4, model: the numbers of the leaderboard, the holdout, calibration and the confusion matrix.

Numbers come from ``model/metrics.json``; the ROC and precision-recall curves and the confusion
matrix are computed from ``model/holdout_predictions.csv`` (the holdout of the published
protocol) at the model's threshold. The store's analysts published a holdout ROC-AUC of 0.89 to
0.917 on the same protocol: the section says where this run stands against it. The words and
charts are in :mod:`oneclick.report.sections.model_view`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary

# The store analysts' holdout ROC-AUC (25 % stratified holdout, random_state=42), as published.
PUBLISHED_ROC_AUC = (0.89, 0.917)
# Curves keep at most this many points: a sharp line at any holdout size, a small report.
MAX_CURVE_POINTS = 300


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """The leaderboard, holdout metrics and calibration from metrics.json; curves from the holdout predictions."""
    metrics = run.json("metrics")
    holdout, cv, selection = metrics["holdout"], metrics["cv"], metrics.get("selection", {})
    threshold = float(holdout.get("threshold", selection.get("threshold", 0.5)))
    keys = ("roc_auc", "pr_auc", "f1", "precision", "recall", "brier", "n_customers", "declined_share")
    board_keys = ("model", "cv_roc_auc_mean", "cv_roc_auc_std", "holdout_roc_auc", "fit_seconds", "n_trials")
    predictions = run.table("holdout_predictions") if run.has("holdout_predictions") else None
    return {
        "best_model": metrics["best_model"],
        "holdout": {key: holdout.get(key) for key in keys} | {"threshold": threshold},
        "calibration": holdout.get("calibration_curve"),
        "cv": {key: cv.get(key) for key in ("nested", "roc_auc_mean", "roc_auc_std", "folds", "repeats")},
        # The leaderboard's CV is the search's own, whose folds the run's settings record.
        "search_folds": metrics.get("metadata", {}).get("settings", {}).get("inner_folds"),
        "leaderboard": [{key: row.get(key) for key in board_keys} for row in metrics.get("leaderboard", [])],
        "selection": {
            "components": selection.get("components", [metrics["best_model"]]),
            "weights": selection.get("weights", [1.0]),
            "calibrated": bool(selection.get("calibrated", False)),
            "threshold_rule": selection.get("threshold_rule", ""),
        },
        "published_roc_auc": {"low": PUBLISHED_ROC_AUC[0], "high": PUBLISHED_ROC_AUC[1]},
        "curves": None if predictions is None else holdout_curves(predictions, threshold),
        # The saved model refit on all labelled customers: the figures above describe its procedure.
        "refit": metrics.get("refit"),
    }


def holdout_curves(predictions: Any, threshold: float) -> dict[str, Any]:
    """ROC and precision-recall curves, their areas and the confusion matrix at ``threshold``."""
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


def comparison(auc: float, published: dict[str, float]) -> str:
    """``"within"``, ``"above"`` or ``"below"`` the published range, for the ROC-AUC as shown (3 decimals)."""
    shown = round(auc, 3)
    return (
        "within"
        if published["low"] <= shown <= published["high"]
        else ("above" if shown > published["high"] else "below")
    )


def gap_to_published(auc: float, published: dict[str, float]) -> float:
    """How far the shown ROC-AUC (3 decimals) lies outside the published range; 0 inside it."""
    shown = round(auc, 3)
    return max(shown - published["high"], published["low"] - shown, 0.0)


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words and charts (see :func:`oneclick.report.sections.model_view.view`)."""
    from oneclick.report.sections import model_view  # it imports this module's numbers

    return model_view.view(data, lang)
