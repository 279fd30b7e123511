"""Model decay: what the model promised at training against what its predictions turned out to be.

For the customers scored in the last period (OLD) who are in the new export (NEW), NEW's label
is the outcome of OLD's prediction: the realised ROC-AUC, Brier score, precision and recall at
the model's threshold and calibration curve, each with a seeded bootstrap interval, are set
against the figures the model's ``metrics.json`` promised on its holdout (the 25 % held out at
training and scored once). Beside them, what the model's own probabilities expected for the same
customers (:mod:`oneclick.periods.metrics`, CBPE): realised far below expected is the mark of
concept drift, which the expectation cannot see; :mod:`oneclick.periods.expectation_tests`
tests it on the same customers (the ROC-AUC by a parametric bootstrap, the Brier score by
Spiegelhalter's z), free of the promise's own sampling error.

Without labels in NEW, the figures are the expectation for NEW's customers (their probabilities
by the same model), flagged ``estimated: true``: a calibrated model's own view of the period to
come, which sees the customers change but not the relation between features and decline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from oneclick.periods.expectation_tests import against_expected
from oneclick.periods.metrics import SCALARS, Predictions, hanley_mcneil_se, with_intervals

PROMISE_SOURCE = "the model's metrics.json: its holdout (25 % of the training data, held out and scored once)"


@dataclass(frozen=True)
class Decay:
    """The promised figures, the realised (or estimated) ones with intervals, the expected ones, and the tests.

    ``tests`` (realised only): the realised ROC-AUC and Brier score against what the model's own
    probabilities expected for the same customers (:mod:`oneclick.periods.expectation_tests`).
    """

    estimated: bool
    promised: dict[str, Any]
    figures: dict[str, Any]
    expected: dict[str, Any] | None = None
    tests: dict[str, Any] | None = None

    @property
    def n_customers(self) -> int:
        return int(self.figures["n_customers"])

    def value(self, name: str) -> float | None:
        return self.figures[name]["value"]

    def ci(self, name: str) -> list[float | None]:
        return self.figures[name]["ci"]

    @property
    def auc_fall(self) -> float | None:
        """Promised minus realised (or estimated) ROC-AUC: positive when the model does worse."""
        value = self.value("roc_auc")
        return None if value is None else self.promised["roc_auc"] - value

    @property
    def auc_fall_z(self) -> float | None:
        """The fall over its standard error: the promise's (Hanley–McNeil) and the bootstrap's, combined."""
        fall, se = self.auc_fall, self.figures["roc_auc"]["se"]
        if fall is None or se is None:
            return None
        return fall / float(np.hypot(se, self.promised["roc_auc_se"]))

    def as_dict(self) -> dict[str, Any]:
        changes = {
            name: _round(self.value(name) - self.promised[name])
            for name in ("roc_auc", "brier", "precision", "recall")
            if self.value(name) is not None and self.promised.get(name) is not None
        }
        return {
            "estimated": self.estimated,
            "n_customers": self.n_customers,
            "promised": self.promised,
            "realised" if not self.estimated else "estimate": self.figures,
            "expected": self.expected,
            "against_expected": self.tests,
            "change": changes,
            "auc_fall": _round(self.auc_fall),
            "auc_fall_z": _round(self.auc_fall_z),
        }


def promised_figures(metrics: dict[str, Any]) -> dict[str, Any]:
    """The holdout figures of a model's ``metrics.json``, with the ROC-AUC's standard error."""
    holdout = metrics["holdout"]
    n = int(holdout["n_customers"])
    n_positive = round(n * float(holdout["declined_share"]))
    auc = float(holdout["roc_auc"])
    se = hanley_mcneil_se(auc, max(n_positive, 1), max(n - n_positive, 1))
    return {
        "roc_auc": auc,
        "roc_auc_se": round(se, 6),
        "roc_auc_ci": [round(auc - 1.96 * se, 6), round(auc + 1.96 * se, 6)],
        "brier": float(holdout["brier"]),
        "precision": float(holdout["precision"]),
        "recall": float(holdout["recall"]),
        "threshold": float(holdout["threshold"]),
        "declined_share": float(holdout["declined_share"]),
        "n_customers": n,
        "calibration_curve": holdout.get("calibration_curve"),
        "source": PROMISE_SOURCE,
    }


def realised_decay(
    probability_old: np.ndarray, declined_new: np.ndarray, threshold: float, promised: dict[str, Any], *, seed: int
) -> Decay:
    """OLD's probabilities against NEW's labels of the same customers."""
    predictions = Predictions.of(probability_old, threshold)
    realised = with_intervals(predictions, np.asarray(declined_new, dtype=float), seed=seed)
    expected = with_intervals(predictions, np.asarray(probability_old, dtype=float), seed=seed + 1)
    tests = against_expected(predictions, declined_new, seed=seed + 2)
    return Decay(False, promised, realised, {name: expected[name] for name in SCALARS}, tests)


def estimated_decay(probability_new: np.ndarray, threshold: float, promised: dict[str, Any], *, seed: int) -> Decay:
    """The expected figures for NEW's customers from their probabilities alone (no labels)."""
    predictions = Predictions.of(probability_new, threshold)
    return Decay(True, promised, with_intervals(predictions, np.asarray(probability_new, dtype=float), seed=seed))


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)
