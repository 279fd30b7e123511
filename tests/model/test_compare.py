"""The paired comparison of champion and challenger: its interval, its seed, its rule."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from oneclick.model.compare import AUC_LOSS_TOLERANCE, compare_paired


def _customers(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels, and a latent risk that the models below see through more or less noise."""
    rng = np.random.default_rng(seed)
    risk = rng.normal(size=n)
    return (rng.random(n) < 1 / (1 + np.exp(-2 * risk))).astype(int), risk


def _probability(risk: np.ndarray, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 1 / (1 + np.exp(-2 * (risk + rng.normal(scale=noise, size=len(risk)))))


def test_the_interval_contains_the_difference_and_the_figures_are_sklearns() -> None:
    y, risk = _customers()
    champion, challenger = _probability(risk, 1.0, 1), _probability(risk, 0.8, 2)
    result = compare_paired(y, champion, challenger, seed=0)
    assert result.challenger["roc_auc"] == pytest.approx(roc_auc_score(y, challenger))
    assert result.champion["brier"] == pytest.approx(brier_score_loss(y, champion))
    for gap in (result.roc_auc, result.brier):
        assert gap.ci_low <= gap.estimate <= gap.ci_high
    assert result.roc_auc.estimate == pytest.approx(roc_auc_score(y, challenger) - roc_auc_score(y, champion), abs=1e-6)
    assert result.as_dict()["bootstrap"]["n_resamples"] == 2000


def test_the_same_seed_gives_the_same_interval_another_seed_another() -> None:
    y, risk = _customers()
    champion, challenger = _probability(risk, 1.0, 1), _probability(risk, 0.9, 2)
    first, again, other = (compare_paired(y, champion, challenger, seed=s) for s in (7, 7, 8))
    assert first.as_dict() == again.as_dict()
    assert (other.roc_auc.ci_low, other.roc_auc.ci_high) != (first.roc_auc.ci_low, first.roc_auc.ci_high)
    assert other.roc_auc.estimate == first.roc_auc.estimate  # the estimate is the sample's own


def test_a_challenger_that_ranks_credibly_better_is_promoted_on_roc_auc() -> None:
    y, risk = _customers(600)
    challenger = _probability(risk, 0.3, 2)
    champion = 1 / (1 + np.exp(-(np.log(challenger / (1 - challenger)) + np.random.default_rng(4).normal(size=600))))
    result = compare_paired(y, champion, challenger, seed=0)
    assert result.roc_auc.ci_low > 0
    assert result.decision == "promote" and result.rule_id == "promote.auc"
    assert result.reason.startswith(f"promote: the challenger's ROC-AUC is higher by {result.roc_auc.estimate:.3f}")


def test_the_same_model_twice_is_kept_with_an_interval_of_zero() -> None:
    y, risk = _customers()
    probability = _probability(risk, 1.0, 1)
    result = compare_paired(y, probability, probability, seed=0)
    assert (result.roc_auc.ci_low, result.roc_auc.ci_high, result.brier.estimate) == (0.0, 0.0, 0.0)
    assert result.decision == "keep"
    assert result.reason.startswith("keep the champion: the challenger's ROC-AUC differs by +0.000")


def test_better_probabilities_with_the_same_ranking_promote_on_brier() -> None:
    y, risk = _customers(800)
    challenger = _probability(risk, 0.5, 1)
    overconfident = 1 / (1 + np.exp(-2.5 * np.log(challenger / (1 - challenger)) - 0.5))  # same order, worse scaled
    result = compare_paired(y, overconfident, challenger, seed=0)
    assert (result.roc_auc.ci_low, result.roc_auc.ci_high) == (0.0, 0.0) and result.brier.ci_high < 0
    assert result.rule_id == "promote.brier"
    assert result.as_dict()["recommendation"]["thresholds"]["auc_loss_tolerance"] == AUC_LOSS_TOLERANCE


@pytest.mark.parametrize(
    ("y", "message"),
    [(np.ones(5), "both labels"), (np.array([0, 1, 0]), "3 labels, 5 and 5 probabilities")],
)
def test_unusable_customers_are_refused(y: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare_paired(y, np.linspace(0, 1, 5), np.linspace(0, 1, 5))
