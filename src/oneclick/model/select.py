"""From the search to one fitted model: blend the best families, calibrate, choose the threshold.

Every choice here is made on the out-of-fold scores of the search, that is on rows each
pipeline did not see while fitting:

- blend: the best family alone, or the log-odds blend of the best two or three families,
  whichever has the higher mean fold ROC-AUC;
- calibration: a sigmoid (Platt) map of the score, kept only when it lowers the Brier score
  of cross-fitted out-of-fold probabilities;
- threshold: the probability that maximises F1 on those out-of-fold probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from oneclick.config import Settings
from oneclick.model.blend import ScoreBlend
from oneclick.model.candidates import FAMILIES, build_pipeline
from oneclick.model.evaluate import best_f1_threshold
from oneclick.model.search import Folds, Progress, SearchResult, search_families
from oneclick.model.threads import one_thread


@dataclass(frozen=True)
class Selection:
    """The chosen combination, how it scored out of fold, and how it turns scores into decisions."""

    components: tuple[str, ...]
    weights: tuple[float, ...]
    calibrate: bool
    threshold: float
    fold_auc: tuple[float, ...]
    brier_raw: float
    brier_calibrated: float
    oof_probability: np.ndarray = field(repr=False)
    candidates: tuple[dict[str, Any], ...] = ()

    @property
    def name(self) -> str:
        """``knn+svc`` style name of the chosen model."""
        return "+".join(self.components)


@dataclass(frozen=True)
class SelectedModel:
    """A fitted model with the search and the choices that produced it."""

    model: Any
    search: SearchResult
    selection: Selection


def model_settings(settings: Settings) -> dict[str, Any]:
    """The settings that shape the search, as keyword arguments of :func:`fit_selected`."""
    return {
        "families": settings.family_names,
        "n_trials": settings.search_iterations,
        "n_folds": settings.inner_folds,
        "max_blend": settings.max_blend,
        "explainable_only": settings.explainable_only,
        "time_budget_seconds": settings.time_budget_seconds,
    }


def select_model(
    X: pd.DataFrame,
    y: pd.Series,
    seed: int = 0,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Any:
    """Search, blend, calibrate and fit the model that predicts a decline; returns the fitted estimator.

    The result follows scikit-learn's contract: ``predict_proba(X)[:, 1]`` is the probability
    that the customer's activity declines, for ``X`` from :func:`oneclick.build_features`.

    >>> model = select_model(X, y, seed=0)  # doctest: +SKIP
    >>> model.predict_proba(X)[:, 1]  # doctest: +SKIP
    """
    settings = replace(settings or Settings(), seed=seed)
    return fit_selected(X, y, seed=seed, progress=progress, **model_settings(settings)).model


def fit_selected(
    X: pd.DataFrame,
    y: pd.Series,
    *,
    families: tuple[str, ...],
    n_trials: int,
    n_folds: int,
    max_blend: int,
    explainable_only: bool = True,
    seed: int = 0,
    time_budget_seconds: float = 0.0,
    progress: Progress | None = None,
) -> SelectedModel:
    """:func:`select_model` with everything it found: search results, selection and model."""
    # One thread per process: the machine is shared, and the outer CV runs folds in parallel.
    with one_thread():
        search = search_families(
            X,
            y,
            families=families,
            n_trials=n_trials,
            n_folds=n_folds,
            seed=seed,
            time_budget_seconds=time_budget_seconds,
            progress=progress,
        )
        selection = choose(search, y, max_blend, explainable_only)
        model = build_model(search, selection, seed).fit(X, y)
    return SelectedModel(model, search, selection)


@dataclass(frozen=True)
class _Candidate:
    """One blend of the best families, scored on the search's folds."""

    components: tuple[str, ...]
    weights: tuple[float, ...]
    fold_auc: tuple[float, ...]
    score: np.ndarray

    @property
    def cv_auc(self) -> float:
        return float(np.mean(self.fold_auc))

    def summary(self) -> dict[str, Any]:
        return {
            "model": "+".join(self.components),
            "weights": self.weights,
            "cv_roc_auc_mean": self.cv_auc,
            "cv_roc_auc_std": float(np.std(self.fold_auc)),
        }


def choose(search: SearchResult, y: pd.Series, max_blend: int = 3, explainable_only: bool = True) -> Selection:
    """Pick the blend, the calibration and the threshold from the search's out-of-fold scores.

    ``explainable_only`` keeps to families explained exactly and fast (logistic regression,
    boosting); the others stay on the leaderboard. When none of those was searched, all count.
    """
    candidates = _blend_candidates(search, y, max_blend, explainable_only)
    # Ties go to the smaller blend: it came first and max() keeps the first.
    best = max(candidates, key=lambda candidate: candidate.cv_auc)
    raw = expit(best.score)
    calibrated = _cross_fitted_sigmoid(best.score, y, search.folds)
    brier_raw, brier_calibrated = brier_score_loss(y, raw), brier_score_loss(y, calibrated)
    calibrate = bool(brier_calibrated < brier_raw)
    probability = calibrated if calibrate else raw
    return Selection(
        best.components,
        best.weights,
        calibrate,
        best_f1_threshold(y, probability),
        best.fold_auc,
        float(brier_raw),
        float(brier_calibrated),
        probability,
        tuple(candidate.summary() for candidate in candidates),
    )


def _blend_candidates(search: SearchResult, y: pd.Series, max_blend: int, explainable_only: bool) -> list[_Candidate]:
    """The best eligible family alone, then blended with the next best, up to ``max_blend`` families."""
    allowed = eligible_families(tuple(search.families), explainable_only)
    ranked = [result for result in search.ranked() if result.family in allowed]
    candidates = []
    for size in range(1, min(max_blend, len(ranked)) + 1):
        members = ranked[:size]
        weights = _blend_weights([member.oof_score for member in members])
        score = np.column_stack([member.oof_score for member in members]) @ np.asarray(weights)
        fold_auc = tuple(float(roc_auc_score(y.iloc[test], score[test])) for _, test in search.folds)
        candidates.append(_Candidate(tuple(m.family for m in members), weights, fold_auc, score))
    return candidates


def eligible_families(families: tuple[str, ...], explainable_only: bool) -> tuple[str, ...]:
    """The families the model may be made of: the exactly explained ones, unless none was searched."""
    explainable = tuple(name for name in families if FAMILIES[name].exact_explainer)
    return explainable if explainable_only and explainable else families


def _blend_weights(scores: list[np.ndarray]) -> tuple[float, ...]:
    """1 for a single model; otherwise 1 / (k * std) so that each component counts the same."""
    if len(scores) == 1:
        return (1.0,)
    return tuple(float(1.0 / (len(scores) * max(np.std(score), 1e-12))) for score in scores)


def _cross_fitted_sigmoid(score: np.ndarray, y: pd.Series, folds: Folds) -> np.ndarray:
    """Platt-scaled probabilities, each fold mapped by a sigmoid fitted on the other folds."""
    probability = np.zeros(len(score))
    column = score.reshape(-1, 1)
    for train, test in folds:
        platt = LogisticRegression(C=1e4).fit(column[train], y.iloc[train])
        probability[test] = platt.predict_proba(column[test])[:, 1]
    return probability


def build_model(search: SearchResult, selection: Selection, seed: int) -> Any:
    """The unfitted estimator for ``selection``: a :class:`ScoreBlend`, calibrated when chosen."""
    blend = ScoreBlend(
        [(name, build_pipeline(name, search.families[name].params, seed)) for name in selection.components],
        weights=list(selection.weights),
    )
    if not selection.calibrate:
        return blend
    folds = StratifiedKFold(n_splits=len(search.folds), shuffle=True, random_state=seed)
    # ensemble=False: one blend fitted on all rows, one sigmoid fitted on its out-of-fold scores.
    return CalibratedClassifierCV(blend, method="sigmoid", cv=folds, ensemble=False)
