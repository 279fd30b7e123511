"""A model's figures on weighted customers, realised or expected, with seeded bootstrap intervals.

One function computes ROC-AUC, Brier score, precision and recall at the threshold, the declined
share and the calibration curve from predicted probabilities ``p``, an outcome ``o`` per customer
and a weight per customer:

- **realised**: ``o`` is the label (0 or 1);
- **expected** (confidence-based performance estimation, as NannyML's CBPE): ``o`` is ``p``
  itself: a calibrated model expects a customer with probability ``p`` to decline ``p`` of the
  time, so the expected confusion matrix, ROC curve and Brier score follow from the
  probabilities alone. It holds when the probabilities are calibrated and the relation between
  features and decline has not changed; it cannot see concept drift.

A bootstrap replicate draws the customers again with replacement: its weights are how often each
was drawn. The predictions are sorted once (ties grouped), so a replicate costs O(n), which keeps
the intervals affordable at a million customers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

BOOTSTRAP_REPLICATES = 200
CONFIDENCE = 0.95
CALIBRATION_BINS = 10  # quantile bins, as the holdout's curve in metrics.json
SCALARS = ("roc_auc", "brier", "precision", "recall", "declined_share")


@dataclass(frozen=True)
class Predictions:
    """Predicted probabilities sorted once: ties grouped, the calibration bins and the flagged ones contiguous.

    Every figure is computed in this sorted order, so a replicate is a few passes over arrays and
    never reorders them.
    """

    order: np.ndarray  # positions of the customers, by increasing probability
    ranked: np.ndarray  # the probabilities in that order
    group_starts: np.ndarray  # where each group of tied probabilities starts
    bin_starts: np.ndarray  # where each calibration bin starts (bins without customers left out)
    first_flagged: int  # the first position at or above the threshold
    threshold: float

    @classmethod
    def of(cls, probability: np.ndarray, threshold: float) -> Predictions:
        probability = np.asarray(probability, dtype=float)
        order = np.argsort(probability, kind="stable")
        ranked = probability[order]
        groups = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        # Quantile bins as sklearn's calibration_curve(strategy="quantile") cuts them.
        edges = np.percentile(probability, np.linspace(0, 100, CALIBRATION_BINS + 1))
        bins = np.searchsorted(edges[1:-1], ranked)
        bin_starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
        flagged = int(np.searchsorted(ranked, threshold, side="left"))
        return cls(order, ranked, groups, bin_starts, flagged, float(threshold))

    def __len__(self) -> int:
        return int(self.ranked.shape[0])


def figures(predictions: Predictions, outcome: np.ndarray, weights: np.ndarray | None = None) -> dict[str, Any]:
    """ROC-AUC, Brier, precision and recall at the threshold, declined share, calibration curve.

    ``outcome`` and ``weights`` are in the customers' own order (as the probabilities were given).
    """
    sorted_weights = None if weights is None else np.asarray(weights, dtype=float)[predictions.order]
    return _figures(predictions, _Outcome.of(predictions, outcome), sorted_weights)


@dataclass(frozen=True)
class _Outcome:
    """An outcome in the predictions' sorted order, with its Brier term per customer."""

    values: np.ndarray
    brier_term: np.ndarray  # E[(p - Y)^2] for Y ~ Bernoulli(o): (p - o)^2 + o(1 - o); 0 for a label's o(1 - o)

    @classmethod
    def of(cls, predictions: Predictions, outcome: np.ndarray) -> _Outcome:
        values = np.asarray(outcome, dtype=float)[predictions.order]
        return cls(values, (predictions.ranked - values) ** 2 + values * (1 - values))


def _figures(predictions: Predictions, outcome: _Outcome, w: np.ndarray | None) -> dict[str, Any]:
    p = predictions.ranked
    w = np.ones_like(p) if w is None else w
    positive = w * outcome.values
    negative = w - positive
    total, n_positive = w.sum(), positive.sum()
    k = predictions.first_flagged
    n_flagged, true_positive = w[k:].sum(), positive[k:].sum()
    in_bin = np.add.reduceat(w, predictions.bin_starts)
    filled = in_bin > 0
    return {
        "roc_auc": roc_auc_in_order(predictions, positive, negative),
        "brier": float(w @ outcome.brier_term / total),
        "precision": float(true_positive / n_flagged) if n_flagged > 0 else float("nan"),
        "recall": float(true_positive / n_positive) if n_positive > 0 else float("nan"),
        "declined_share": float(n_positive / total),
        "calibration": (
            np.add.reduceat(w * p, predictions.bin_starts)[filled] / in_bin[filled],
            np.add.reduceat(positive, predictions.bin_starts)[filled] / in_bin[filled],
            filled,
        ),
    }


def roc_auc_in_order(predictions: Predictions, positive: np.ndarray, negative: np.ndarray) -> float:
    """ROC-AUC with weights: P(score of a positive > score of a negative), ties counting one half.

    ``positive`` and ``negative`` are each customer's weight as a decline and as a non-decline, in the
    predictions' sorted order (a label ``y``: ``y`` and ``1 - y``).
    """
    if len(predictions.group_starts) == len(predictions):  # no ties: every customer is a group
        pos, neg = positive, negative
    else:
        pos = np.add.reduceat(positive, predictions.group_starts)
        neg = np.add.reduceat(negative, predictions.group_starts)
    below = np.cumsum(neg) - neg
    denominator = pos.sum() * neg.sum()
    return float((pos @ (below + 0.5 * neg)) / denominator) if denominator > 0 else float("nan")


def with_intervals(
    predictions: Predictions,
    outcome: np.ndarray,
    *,
    seed: int,
    replicates: int = BOOTSTRAP_REPLICATES,
) -> dict[str, Any]:
    """The figures and their percentile bootstrap intervals (``replicates`` draws, seeded)."""
    sorted_outcome = _Outcome.of(predictions, outcome)
    point = _figures(predictions, sorted_outcome, None)
    rng = np.random.default_rng(seed)
    n = len(predictions)
    draws: dict[str, list[float]] = {name: [] for name in SCALARS}
    observed = []
    for _ in range(replicates):
        # A replicate's customers are drawn in the sorted order: the same draw, no reordering.
        weights = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        replicate = _figures(predictions, sorted_outcome, weights)
        for name in SCALARS:
            draws[name].append(replicate[name])
        observed.append(_on_bins(replicate["calibration"], point["calibration"][2]))
    low, high = (1 - CONFIDENCE) / 2 * 100, (1 + CONFIDENCE) / 2 * 100
    result: dict[str, Any] = {}
    for name in SCALARS:
        values = np.asarray(draws[name])
        values = values[np.isfinite(values)]
        ci = [float(np.percentile(values, low)), float(np.percentile(values, high))] if len(values) else [None, None]
        result[name] = {"value": _number(point[name]), "ci": [_number(v) for v in ci], "se": _number(_sd(values))}
    predicted, share, _ = point["calibration"]
    bands = np.asarray(observed)
    with warnings.catch_warnings():  # a bin no replicate filled has no interval (tiny samples only)
        warnings.simplefilter("ignore", RuntimeWarning)
        band_low, band_high = np.nanpercentile(bands, low, axis=0), np.nanpercentile(bands, high, axis=0)
    result["calibration_curve"] = {
        "mean_predicted": [round(float(v), 4) for v in predicted],
        "observed_share": [round(float(v), 4) for v in share],
        "observed_ci_low": [_number(v, 4) for v in band_low],
        "observed_ci_high": [_number(v, 4) for v in band_high],
    }
    result["n_customers"] = n
    result["bootstrap"] = {"replicates": replicates, "confidence": CONFIDENCE, "seed": seed}
    return result


def hanley_mcneil_se(auc: float, n_positive: int, n_negative: int) -> float:
    """Standard error of a ROC-AUC measured on ``n_positive`` and ``n_negative`` customers (Hanley & McNeil, 1982)."""
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    variance = (auc * (1 - auc) + (n_positive - 1) * (q1 - auc**2) + (n_negative - 1) * (q2 - auc**2)) / (
        n_positive * n_negative
    )
    return float(np.sqrt(max(variance, 0.0)))


def _on_bins(calibration: tuple[np.ndarray, np.ndarray, np.ndarray], filled: np.ndarray) -> np.ndarray:
    """A replicate's observed shares on the point estimate's bins (NaN where the replicate has none)."""
    _, share, replicate_filled = calibration
    values = np.full(CALIBRATION_BINS, np.nan)
    values[replicate_filled] = share
    return values[filled]


def _sd(values: np.ndarray) -> float:
    return float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")


def _number(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)
