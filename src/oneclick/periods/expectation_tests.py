"""Did the outcomes follow the model's own probabilities? Two tests on the same customers.

The promise (the holdout's ROC-AUC at training) was measured on other customers, with its own
sampling error: a realised ROC-AUC set against it carries two errors, and a period's mix of
customers moves the ROC-AUC without any fault of the model. What the model's probabilities
``p`` expect for *these* customers (confidence-based performance estimation, as NannyML's
CBPE) has neither problem: if the relation between features and decline still holds and the
model is calibrated (oneclick calibrates every model at training), each customer declines with
probability ``p``. Against that null, on the customers of both periods:

- **ROC-AUC**, a parametric bootstrap: labels drawn again from ``p`` (``replicates`` times,
  seeded) give the ROC-AUC's distribution under the null; the one-sided p-value is the share of
  draws at or below the realised ROC-AUC, ``(1 + #{draw <= realised}) / (1 + replicates)``.
  The only randomness is the labels', so the test is paired: the customers and their
  probabilities are the same on both sides.
- **Brier score**, Spiegelhalter's z (Spiegelhalter 1986, "Probabilistic prediction in patient
  management and clinical trials"): under the null the Brier score's sum has mean
  ``sum p(1 - p)`` and variance ``sum (1 - 2p)^2 p(1 - p)``; the one-sided p-value is the normal
  tail above ``z``. A high z says the outcomes are further from the probabilities than they
  would be by chance: concept drift, or a label shift, or probabilities no longer calibrated.

Concept drift moves the outcomes but not the features, so these tests see it where drift tests
cannot; they are as good as the model's calibration, which is why the verdict also asks for a
fall of at least its tolerance before retraining on them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import norm

from oneclick.periods.metrics import BOOTSTRAP_REPLICATES, Predictions, roc_auc_in_order

AUC_TEST = "parametric bootstrap: labels drawn from the model's probabilities (one-sided)"
BRIER_TEST = "Spiegelhalter's z: the Brier score against its expectation under calibration (one-sided)"


def against_expected(
    predictions: Predictions, declined: np.ndarray, *, seed: int, replicates: int = BOOTSTRAP_REPLICATES
) -> dict[str, Any]:
    """The realised ROC-AUC and Brier score against what the probabilities expect, with one-sided p-values."""
    labels = np.asarray(declined, dtype=float)[predictions.order]
    return {
        "roc_auc": _auc_test(predictions, labels, seed=seed, replicates=replicates),
        "brier": _brier_test(predictions.ranked, labels),
    }


def _auc_test(predictions: Predictions, labels: np.ndarray, *, seed: int, replicates: int) -> dict[str, Any]:
    p = predictions.ranked
    realised = roc_auc_in_order(predictions, labels, 1 - labels)
    rng = np.random.default_rng(seed)
    draws = np.empty(replicates)
    for k in range(replicates):
        drawn = (rng.random(p.shape[0]) < p).astype(float)
        draws[k] = roc_auc_in_order(predictions, drawn, 1 - drawn)
    draws = draws[np.isfinite(draws)]
    if not np.isfinite(realised) or not len(draws):
        return {"test": AUC_TEST, "realised": None, "expected": None, "shortfall": None, "p_value": None}
    expected = float(draws.mean())
    return {
        "test": AUC_TEST,
        "realised": round(realised, 6),
        "expected": round(expected, 6),
        "expected_sd": round(float(draws.std(ddof=1)), 6) if len(draws) > 1 else None,
        "shortfall": round(expected - realised, 6),
        "p_value": round(float((1 + np.sum(draws <= realised)) / (1 + len(draws))), 6),
        "replicates": replicates,
        "seed": seed,
    }


def _brier_test(p: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    n = p.shape[0]
    expected_sum = float(np.sum(p * (1 - p)))
    variance = float(np.sum((1 - 2 * p) ** 2 * p * (1 - p)))
    realised_sum = float(np.sum((labels - p) ** 2))
    z = (realised_sum - expected_sum) / np.sqrt(variance) if variance > 0 else float("nan")
    finite = bool(np.isfinite(z))
    return {
        "test": BRIER_TEST,
        "realised": round(realised_sum / n, 6),
        "expected": round(expected_sum / n, 6),
        "z": round(float(z), 4) if finite else None,
        "p_value": round(float(norm.sf(z)), 6) if finite else None,
    }
