"""Champion against challenger on the same customers: paired differences, a bootstrap CI, a recommendation.

Both models score the same held-out customers, so their errors are correlated and the fair
question is the *difference* on each resample of those customers, not two separate intervals
(which overlap even when one model is better on nearly every resample). The bootstrap draws
customers with replacement within each label (so every resample has decliners and the others,
in the sample's proportion), computes both models' ROC-AUC and Brier score on the same draw, and
takes the percentile interval of challenger minus champion. Seeded: the same seed gives the
same interval.

The rule (thresholds named below):

1. **promote** when the lower end of the ROC-AUC difference's interval is above
   :data:`AUC_GAIN_MARGIN`: the challenger ranks the customers credibly better;
2. **promote** when the whole Brier difference's interval is below zero (the challenger's
   probabilities are credibly closer to what happened) and the lower end of the ROC-AUC
   difference is above ``-``:data:`AUC_LOSS_TOLERANCE` (its ranking is credibly not worse by
   more than that): better probabilities matter to the offers, whose value is probability × profit;
3. otherwise **keep** the champion: a challenger that is not credibly better is not worth a
   change of the model everything downstream is explained by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import rankdata

N_RESAMPLES = 2_000
CI_LEVEL = 0.95
# Rule 1: how far above zero the ROC-AUC gain's lower bound must be to promote on ranking alone.
AUC_GAIN_MARGIN = 0.0
# Rule 2: how much ROC-AUC a challenger with credibly better probabilities may credibly not lose.
AUC_LOSS_TOLERANCE = 0.01
# Resamples computed at once: bounds the memory at large comparison sets (chunk x customers floats).
_CHUNK = 100

Decision = Literal["promote", "keep"]

# The recommendation in words, by message id (rendered here, in English, for the CLI; the id and
# its parameters are kept with the result so another front end can word it in its language).
_WORDS = {
    "promote.auc": "promote: the challenger's ROC-AUC is higher by {auc_size} [{level} CI {auc_low}, {auc_high}] "
    "on the same {n} held-out customers (Brier {brier} [{brier_low}, {brier_high}])",
    "promote.brier": "promote: the challenger's probabilities are closer to the outcomes, its Brier score lower by "
    "{brier_size} (difference {brier} [{level} CI {brier_low}, {brier_high}]), and its ROC-AUC credibly not lower "
    "by more than {tolerance} ({auc} [{auc_low}, {auc_high}]) on the same {n} held-out customers",
    "keep": "keep the champion: the challenger's ROC-AUC differs by {auc} [{level} CI {auc_low}, {auc_high}], not "
    "credibly higher, and its Brier score by {brier} [{brier_low}, {brier_high}], not credibly lower, on the same "
    "{n} held-out customers",
}


@dataclass(frozen=True)
class Difference:
    """Challenger minus champion: the estimate on the customers, and the bootstrap interval."""

    estimate: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict[str, float]:
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class PairedComparison:
    """Two models on the same customers: each one's figures, their differences, the recommendation."""

    n_customers: int
    n_declined: int
    champion: dict[str, float]
    challenger: dict[str, float]
    roc_auc: Difference
    brier: Difference
    n_resamples: int
    level: float
    seed: int

    @property
    def decision(self) -> Decision:
        return "promote" if self.rule_id.startswith("promote") else "keep"

    @property
    def rule_id(self) -> str:
        if self.roc_auc.ci_low > AUC_GAIN_MARGIN:
            return "promote.auc"
        if self.brier.ci_high < 0 and self.roc_auc.ci_low > -AUC_LOSS_TOLERANCE:
            return "promote.brier"
        return "keep"

    @property
    def reason(self) -> str:
        """The recommendation in words: ``"promote: the challenger's ROC-AUC is higher by 0.034 [95% CI ...]"``."""
        return _WORDS[self.rule_id].format(**self._words())

    def _words(self) -> dict[str, str]:
        return {
            "n": f"{self.n_customers:,}",
            "level": f"{self.level:.0%}",
            "auc": f"{self.roc_auc.estimate:+.3f}",
            "auc_size": f"{abs(self.roc_auc.estimate):.3f}",
            "brier_size": f"{abs(self.brier.estimate):.4f}",
            "auc_low": f"{self.roc_auc.ci_low:+.3f}",
            "auc_high": f"{self.roc_auc.ci_high:+.3f}",
            "brier": f"{self.brier.estimate:+.4f}",
            "brier_low": f"{self.brier.ci_low:+.4f}",
            "brier_high": f"{self.brier.ci_high:+.4f}",
            "tolerance": f"{AUC_LOSS_TOLERANCE:.3f}",
        }

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON: figures, differences with their intervals, bootstrap and the recommendation."""
        return {
            "n_customers": self.n_customers,
            "n_declined": self.n_declined,
            "champion": self.champion,
            "challenger": self.challenger,
            "difference": {"roc_auc": self.roc_auc.as_dict(), "brier": self.brier.as_dict()},
            "bootstrap": {
                "n_resamples": self.n_resamples,
                "level": self.level,
                "seed": self.seed,
                "resampling": "paired: the same customers for both models, drawn with replacement within each label",
                "interval": "percentile",
            },
            "recommendation": {
                "decision": self.decision,
                "id": self.rule_id,
                "params": self._words(),
                "reason": self.reason,
                "rule": RULE,
                "thresholds": {"auc_gain_margin": AUC_GAIN_MARGIN, "auc_loss_tolerance": AUC_LOSS_TOLERANCE},
            },
        }


RULE = (
    f"promote when the lower end of the ROC-AUC difference's {CI_LEVEL:.0%} interval is above {AUC_GAIN_MARGIN:g}, "
    f"or when the Brier difference's interval is wholly below 0 and the ROC-AUC difference's lower end is above "
    f"-{AUC_LOSS_TOLERANCE:g}; otherwise keep the champion"
)


def compare_paired(
    y: pd.Series | np.ndarray,
    champion: np.ndarray,
    challenger: np.ndarray,
    *,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
) -> PairedComparison:
    """Compare two models' decline probabilities for the same customers (``y``: 1 = declined).

    Raises ``ValueError`` when the lengths differ or ``y`` lacks one of the two labels.

    >>> compare_paired(y, champion_probability, challenger_probability, seed=0).reason  # doctest: +SKIP
    'keep the champion: the challenger's ROC-AUC differs by +0.004 [95% CI -0.011, +0.019], ...'
    """
    labels = np.asarray(y, dtype=int)
    first, second = np.asarray(champion, dtype=float), np.asarray(challenger, dtype=float)
    if not len(labels) == len(first) == len(second):
        raise ValueError(f"compare_paired: {len(labels)} labels, {len(first)} and {len(second)} probabilities")
    positives, negatives = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    if not len(positives) or not len(negatives):
        raise ValueError("compare_paired: the customers need both labels (declined and not) for a ROC-AUC")
    auc_first, auc_second = _auc(first[None, :], labels[None, :])[0], _auc(second[None, :], labels[None, :])[0]
    loss_first, loss_second = (first - labels) ** 2, (second - labels) ** 2
    auc_diffs, brier_diffs = _bootstrap(labels, first, second, positives, negatives, n_resamples, seed)
    tail = (1.0 - level) / 2.0
    return PairedComparison(
        n_customers=len(labels),
        n_declined=len(positives),
        champion={"roc_auc": float(auc_first), "brier": float(loss_first.mean())},
        challenger={"roc_auc": float(auc_second), "brier": float(loss_second.mean())},
        roc_auc=_difference(float(auc_second - auc_first), auc_diffs, tail),
        brier=_difference(float(loss_second.mean() - loss_first.mean()), brier_diffs, tail),
        n_resamples=n_resamples,
        level=level,
        seed=seed,
    )


def _bootstrap(
    labels: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    positives: np.ndarray,
    negatives: np.ndarray,
    n_resamples: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Challenger-minus-champion ROC-AUC and Brier on each paired, label-stratified resample."""
    rng = np.random.default_rng(seed)
    loss_gap = (second - labels) ** 2 - (first - labels) ** 2
    resampled_labels = np.concatenate([np.ones(len(positives), int), np.zeros(len(negatives), int)])
    auc_diffs, brier_diffs = [], []
    for start in range(0, n_resamples, _CHUNK):
        size = min(_CHUNK, n_resamples - start)
        rows = np.hstack([rng.choice(positives, (size, len(positives))), rng.choice(negatives, (size, len(negatives)))])
        tiled = np.broadcast_to(resampled_labels, rows.shape)
        auc_diffs.append(_auc(second[rows], tiled) - _auc(first[rows], tiled))
        brier_diffs.append(loss_gap[rows].mean(axis=1))
    return np.concatenate(auc_diffs), np.concatenate(brier_diffs)


def _auc(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """ROC-AUC of each row (Mann-Whitney, ties counted half), for rows of scores with their labels."""
    ranks = rankdata(scores, axis=1)
    n_pos = labels.sum(axis=1)
    n_neg = labels.shape[1] - n_pos
    return ((ranks * labels).sum(axis=1) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def _difference(estimate: float, resampled: np.ndarray, tail: float) -> Difference:
    low, high = np.quantile(resampled, [tail, 1.0 - tail])
    return Difference(round(estimate, 6), round(float(low), 6), round(float(high), 6))
