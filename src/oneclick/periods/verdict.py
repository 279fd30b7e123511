"""The verdict on the model after a new period: ``keep``, ``watch`` or ``retrain``, and the rule that gave it.

The rule, in words (every threshold is a constant below, defined once):

- **retrain** when the model's ranking has fallen for sure: the realised ROC-AUC is below what
  the model's own probabilities expected for the same customers by at least
  :data:`AUC_TOLERANCE`, and significantly so (parametric bootstrap, one-sided, :data:`ALPHA`;
  :mod:`~oneclick.periods.expectation_tests`); or the upper end of the realised ROC-AUC's 95 %
  interval is below the promised holdout ROC-AUC minus the tolerance; or the data set drifted
  *and* the ROC-AUC fell significantly below the promise (the fall is at least :data:`FALL_Z`
  standard errors, the promise's own error counted: one-sided, 5 %);
- **watch** when something moved but the model has not demonstrably decayed: a feature drifted,
  the data set drifted, the share of declined customers shifted (z-test, 5 %), the model's
  predictions drifted, the ROC-AUC fell significantly (below the promise, or below the
  expectation) but by less than the tolerance, the Brier score is significantly above what the
  probabilities expect (Spiegelhalter's z, one-sided, :data:`ALPHA`) or its interval lies wholly
  above the promise plus :data:`BRIER_TOLERANCE`, or (without labels) the expected ROC-AUC is
  below the promise minus the tolerance, which labels must confirm;
- **keep** otherwise.

Why the expectation as well as the promise: the promise was measured on other customers, so a
realised ROC-AUC set against it carries both samples' errors (at 800 customers a fall of 0.06
cleared the promise's rule in 70 % of the benchmark's seeds); the expectation is computed on the
very customers judged, so only their labels are random, and the same fall is found in every
seed. It assumes the probabilities are calibrated (oneclick calibrates every model at
training); the tolerance keeps a small miscalibration from retraining on its own.

An estimate alone never retrains: it cannot see concept drift, and it assumes calibration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from oneclick.periods.decay import Decay
from oneclick.periods.drift import DataDrift

VerdictName = Literal["keep", "watch", "retrain"]
AUC_TOLERANCE = 0.03  # the fall of ROC-AUC below the promise the store accepts before retraining
FALL_Z = 1.645  # a one-sided 5 % test of the fall, with the promise's own standard error
BRIER_TOLERANCE = 0.02  # a rise of the Brier score beyond the promise worth watching
ALPHA = 0.05  # the one-sided level of the tests against the model's own expectation

RULE = (
    f"retrain when the realised ROC-AUC is below what the model's probabilities expected for the same customers by "
    f"at least {AUC_TOLERANCE} and significantly (labels drawn from the probabilities, one-sided p < {ALPHA}), when "
    f"the realised ROC-AUC's 95 % interval lies wholly below the promised holdout ROC-AUC minus {AUC_TOLERANCE}, or "
    f"when the data set drifted and the ROC-AUC fell by at least {FALL_Z} standard errors (the promise's and the "
    f"bootstrap's); watch when a feature or the data set drifted, the declined share shifted, the predictions "
    f"drifted, the ROC-AUC fell significantly (below the promise or the expectation) by less than {AUC_TOLERANCE}, "
    f"the Brier score is significantly above its expectation (Spiegelhalter's z, one-sided p < {ALPHA}) or its "
    f"interval lies above the promise plus {BRIER_TOLERANCE}, or, without labels, the expected ROC-AUC is below the "
    f"promise minus {AUC_TOLERANCE}; keep otherwise"
)


@dataclass(frozen=True)
class Reason:
    """One clause of the rule: what it checks, whether it holds, and the verdict it leads to."""

    rule: str
    leads_to: VerdictName
    holds: bool
    says: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "leads_to": self.leads_to, "holds": self.holds, "says": self.says}


@dataclass(frozen=True)
class Verdict:
    """``keep``, ``watch`` or ``retrain``, the rule in words and each clause's outcome."""

    verdict: VerdictName
    reasons: tuple[Reason, ...]

    @property
    def holding(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.holds]

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "rule": RULE, "reasons": [reason.as_dict() for reason in self.reasons]}


def decide(drift: DataDrift, label_shift: dict[str, Any], prediction_drift: dict[str, Any], decay: Decay) -> Verdict:
    """The verdict on the model from the comparison's figures."""
    reasons = _decay_reasons(drift, decay) + _movement_reasons(drift, label_shift, prediction_drift)
    holding = {reason.leads_to for reason in reasons if reason.holds}
    verdict: VerdictName = "retrain" if "retrain" in holding else "watch" if "watch" in holding else "keep"
    return Verdict(verdict, tuple(reasons))


def _decay_reasons(drift: DataDrift, decay: Decay) -> list[Reason]:
    promised = decay.promised["roc_auc"]
    value, (low, high) = decay.value("roc_auc"), decay.ci("roc_auc")
    z = decay.auc_fall_z
    significant = z is not None and z >= FALL_Z
    shown = f"ROC-AUC {_f(value)} [{_f(low)}, {_f(high)}] against {promised:.4f} promised"
    if decay.estimated:
        below = value is not None and value < promised - AUC_TOLERANCE
        return [Reason("expected_auc_below_tolerance", "watch", below, f"expected (no labels) {shown}")]
    brier_low = decay.ci("brier")[0]
    brier_promised = decay.promised["brier"]
    return [
        *_expectation_reasons(decay.tests),
        Reason(
            "auc_below_tolerance",
            "retrain",
            high is not None and high < promised - AUC_TOLERANCE,
            f"realised {shown}; retrain below {promised - AUC_TOLERANCE:.4f}",
        ),
        Reason(
            "drift_and_auc_fall",
            "retrain",
            drift.dataset_drift and significant,
            f"dataset drift {drift.dataset_drift}; ROC-AUC fall {_f(decay.auc_fall)} = {_f(z, 2)} standard errors",
        ),
        Reason(
            "auc_fall",
            "watch",
            significant,
            f"ROC-AUC fall {_f(decay.auc_fall)} = {_f(z, 2)} standard errors (significant from {FALL_Z})",
        ),
        Reason(
            "brier_rise",
            "watch",
            brier_low is not None and brier_low > brier_promised + BRIER_TOLERANCE,
            f"Brier {_f(decay.value('brier'))}, interval from {_f(brier_low)}, against {brier_promised:.4f} promised",
        ),
    ]


def _expectation_reasons(tests: dict[str, Any] | None) -> list[Reason]:
    """The clauses on the realised figures against the model's own expectation for the same customers."""
    if not tests:
        return []
    auc, brier = tests["roc_auc"], tests["brier"]
    short = auc["p_value"] is not None and auc["p_value"] < ALPHA
    shown = (
        f"realised ROC-AUC {_f(auc['realised'])} against {_f(auc['expected'])} expected by the probabilities "
        f"(shortfall {_f(auc['shortfall'])}, one-sided p = {_f(auc['p_value'])})"
    )
    return [
        Reason(
            "auc_below_expected",
            "retrain",
            short and auc["shortfall"] >= AUC_TOLERANCE,
            f"{shown}; retrain from a significant shortfall of {AUC_TOLERANCE}",
        ),
        Reason("auc_short_of_expected", "watch", short, f"{shown}; significant below p = {ALPHA}"),
        Reason(
            "brier_above_expected",
            "watch",
            brier["p_value"] is not None and brier["p_value"] < ALPHA,
            f"Brier {_f(brier['realised'])} against {_f(brier['expected'])} expected: Spiegelhalter's "
            f"z = {_f(brier['z'], 2)}, one-sided p = {_f(brier['p_value'])}",
        ),
    ]


def _movement_reasons(drift: DataDrift, label_shift: dict[str, Any], prediction_drift: dict[str, Any]) -> list[Reason]:
    drifted = drift.drifted
    return [
        Reason(
            "dataset_drift",
            "watch",
            drift.dataset_drift,
            f"{len(drifted)} of {len(drift.features)} features drifted ({drift.share_drifted:.0%})",
        ),
        Reason("feature_drift", "watch", bool(drifted), f"drifted: {', '.join(drifted) or 'none'}"),
        Reason(
            "label_shift",
            "watch",
            bool(label_shift.get("shifted")),
            f"declined share {_f(label_shift.get('declined_share_old'))} -> "
            f"{_f(label_shift.get('declined_share_new'))}, p = {_f(label_shift.get('p_value'), 4)}",
        ),
        Reason(
            "prediction_drift",
            "watch",
            bool(prediction_drift["drift"]),
            f"probabilities: {prediction_drift['test']} {_f(prediction_drift['statistic'])} "
            f"(threshold {prediction_drift['threshold']})",
        ),
    ]


def _f(value: float | None, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"
