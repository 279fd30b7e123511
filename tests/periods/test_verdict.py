"""The verdict's rule, clause by clause, on figures made by hand."""

from __future__ import annotations

import pytest

from oneclick.periods.decay import Decay
from oneclick.periods.drift import DataDrift, FeatureDrift
from oneclick.periods.verdict import AUC_TOLERANCE, decide

PROMISED = {"roc_auc": 0.90, "roc_auc_se": 0.012, "brier": 0.13}


def _feature(name: str, drift: bool) -> FeatureDrift:
    return FeatureDrift(
        name, "numeric", "wasserstein", 0.2 if drift else 0.01, 0.1, None, None, drift, drift, 10, 0.0, (), (), ()
    )


def _drift(n_drifted: int, n: int = 4) -> DataDrift:
    return DataDrift(tuple(_feature(f"f{k}", k < n_drifted) for k in range(n)))


def _decay(
    auc: float,
    ci: tuple[float, float],
    *,
    brier: tuple[float, float] = (0.12, 0.14),
    estimated=False,
    expected: tuple[float, float] | None = None,
    brier_p: float = 0.5,
) -> Decay:
    """Figures by hand; ``expected`` is (the expected ROC-AUC, the one-sided p-value of the realised one)."""
    se = (ci[1] - ci[0]) / 3.92
    figures = {
        "roc_auc": {"value": auc, "ci": list(ci), "se": se},
        "brier": {"value": sum(brier) / 2, "ci": list(brier), "se": 0.005},
        "n_customers": 2_000,
    }
    tests = None
    if expected is not None:
        tests = {
            "roc_auc": {
                "realised": auc,
                "expected": expected[0],
                "shortfall": expected[0] - auc,
                "p_value": expected[1],
            },
            "brier": {"realised": 0.13, "expected": 0.12, "z": 0.0, "p_value": brier_p},
        }
    return Decay(estimated, PROMISED, figures, tests=tests)


CALM = {"shifted": False}
STILL = {"drift": False, "test": "wasserstein", "statistic": 0.01, "threshold": 0.1}


@pytest.mark.parametrize(
    ("drift", "labels", "predictions", "decay", "verdict", "rule"),
    [
        (_drift(0), CALM, STILL, _decay(0.895, (0.88, 0.91)), "keep", None),
        (_drift(0), CALM, STILL, _decay(0.80, (0.78, 0.82)), "retrain", "auc_below_tolerance"),
        (_drift(2), CALM, STILL, _decay(0.86, (0.845, 0.875)), "retrain", "drift_and_auc_fall"),
        (_drift(1), CALM, STILL, _decay(0.86, (0.845, 0.875)), "watch", "auc_fall"),
        (_drift(1), CALM, STILL, _decay(0.895, (0.88, 0.91)), "watch", "feature_drift"),
        (_drift(0), {"shifted": True}, STILL, _decay(0.895, (0.88, 0.91)), "watch", "label_shift"),
        (_drift(0), CALM, {**STILL, "drift": True}, _decay(0.895, (0.88, 0.91)), "watch", "prediction_drift"),
        (_drift(0), CALM, STILL, _decay(0.895, (0.88, 0.91), brier=(0.16, 0.18)), "watch", "brier_rise"),
        (_drift(0), CALM, STILL, _decay(0.80, (0.78, 0.82), estimated=True), "watch", "expected_auc_below_tolerance"),
        (_drift(0), CALM, STILL, _decay(0.89, (0.88, 0.90), estimated=True), "keep", None),
        # Against the model's own expectation for the same customers: the fall the promise's rule misses.
        (_drift(0), CALM, STILL, _decay(0.86, (0.83, 0.89), expected=(0.90, 0.005)), "retrain", "auc_below_expected"),
        (_drift(0), CALM, STILL, _decay(0.88, (0.85, 0.91), expected=(0.90, 0.02)), "watch", "auc_short_of_expected"),
        (_drift(0), CALM, STILL, _decay(0.86, (0.83, 0.89), expected=(0.90, 0.20)), "watch", "auc_fall"),
        (
            _drift(0),
            CALM,
            STILL,
            _decay(0.895, (0.88, 0.91), expected=(0.90, 0.4), brier_p=0.01),
            "watch",
            "brier_above_expected",
        ),
        (_drift(0), CALM, STILL, _decay(0.895, (0.88, 0.91), expected=(0.90, 0.4)), "keep", None),
    ],
)
def test_the_rule(drift, labels, predictions, decay, verdict: str, rule: str | None) -> None:
    found = decide(drift, labels, predictions, decay)
    assert found.verdict == verdict
    if rule is not None:
        assert rule in {reason.rule for reason in found.holding}
    assert found.as_dict()["rule"].startswith("retrain when")


def test_the_tolerance_is_stated_in_the_reason() -> None:
    found = decide(_drift(0), CALM, STILL, _decay(0.80, (0.78, 0.82)))
    (reason,) = [r for r in found.holding if r.rule == "auc_below_tolerance"]
    assert f"{PROMISED['roc_auc'] - AUC_TOLERANCE:.4f}" in reason.says


def test_the_expectation_clause_names_its_test_and_tolerance() -> None:
    found = decide(_drift(0), CALM, STILL, _decay(0.86, (0.83, 0.89), expected=(0.90, 0.005)))
    (reason,) = [r for r in found.holding if r.rule == "auc_below_expected"]
    assert "0.9000 expected" in reason.says and f"shortfall of {AUC_TOLERANCE}" in reason.says
    assert "p = 0.0050" in reason.says
    assert "labels drawn from the probabilities" in found.as_dict()["rule"]
