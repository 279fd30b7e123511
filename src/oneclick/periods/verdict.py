"""The verdict on the model after a new period: ``keep``, ``watch`` or ``retrain``, and the rule that gave it.

The rule, in words (every threshold is a constant below, defined once):

- **retrain** when the model's ranking has fallen for sure: the upper end of the realised
  ROC-AUC's 95 % interval is below the promised holdout ROC-AUC minus :data:`AUC_TOLERANCE`; or
  when the data set drifted *and* the ROC-AUC fell significantly (the fall is at least
  :data:`FALL_Z` standard errors, the promise's own error counted: one-sided, 5 %);
- **watch** when something moved but the model has not demonstrably decayed: a feature drifted,
  the data set drifted, the share of declined customers shifted (z-test, 5 %), the model's
  predictions drifted, the ROC-AUC fell significantly but by less than the tolerance, the Brier
  score's interval lies wholly above the promise plus :data:`BRIER_TOLERANCE`, or (without
  labels) the expected ROC-AUC is below the promise minus the tolerance, which labels must confirm;
- **keep** otherwise.

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

RULE = (
    f"retrain when the realised ROC-AUC's 95 % interval lies wholly below the promised holdout ROC-AUC minus "
    f"{AUC_TOLERANCE}, or when the data set drifted and the ROC-AUC fell by at least {FALL_Z} standard errors "
    f"(the promise's and the bootstrap's); watch when a feature or the data set drifted, the declined share shifted, "
    f"the predictions drifted, the ROC-AUC fell significantly by less than {AUC_TOLERANCE}, the Brier score's "
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
