"""Train and evaluate honestly: the published holdout, and a nested repeated CV on the training part.

1. Split off the holdout (25 %, stratified, ``random_state=42``: the analysts' protocol).
2. On the training part only: search, blend, calibrate, choose the threshold (:func:`fit_selected`).
3. Nested evaluation: the whole of step 2 runs again inside each fold of a repeated stratified
   CV of the training part (5 x 3), and is scored on the fold it did not see.
4. The holdout is scored once, at the end, and reported; nothing is chosen by it.
5. Refit (``refit_on_all``, the default): the choice of step 2 — families, their parameters, the
   blend's weights, calibration or not — is fitted again on **all** labelled customers, and that
   is the saved model. No new search: one more fit of the chosen pipeline. The threshold is kept
   from step 2 (the out-of-fold F1 of the training part's search); re-deriving it would need the
   search's out-of-fold scores on all rows, that is a new search.

The holdout and nested-CV figures therefore describe the *procedure* (what steps 1-2 give on
customers they did not see), not the refit model, which has seen every customer; the next
period's labels are what measure the refit model itself. ``metrics.json`` says so under
``refit``. ``holdout_predictions`` are the step-2 model's, the ones the holdout figures are of.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold, train_test_split

from oneclick.config import Settings
from oneclick.model.blend import component_score
from oneclick.model.candidates import build_pipeline
from oneclick.model.drivers import feature_importance, group_importance
from oneclick.model.evaluate import THRESHOLD_RULE, calibration_table, classification_metrics
from oneclick.model.explain import background_sample, explain
from oneclick.model.search import Progress
from oneclick.model.select import SelectedModel, build_model, eligible_families, fit_selected, model_settings
from oneclick.model.threads import one_thread


@dataclass(frozen=True)
class TrainResult:
    """The model to save, its metrics (the content of ``metrics.json``) and what explains it."""

    model: Any  # refit on all rows (``refit_on_all``); ``selected.model`` is the training part's
    selected: SelectedModel
    metrics: dict[str, Any]
    background: pd.DataFrame = field(repr=False)
    settings: Settings
    # The published holdout's customers: their label and the saved model's probability (for curves).
    holdout_predictions: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def threshold(self) -> float:
        return self.selected.selection.threshold


def train_model(
    X: pd.DataFrame, y: pd.Series, settings: Settings | None = None, *, progress: Progress | None = None
) -> TrainResult:
    """Fit the decline model on the training part, evaluate it (nested CV and holdout), refit it on all rows.

    ``result.model`` is the refit model (``settings.refit_on_all``, the default), the one to save;
    ``result.selected.model`` is the one fitted on the training part, which the holdout scored.

    >>> result = train_model(X, y)  # doctest: +SKIP
    >>> result.metrics["holdout"]["roc_auc"]  # doctest: +SKIP
    """
    settings = settings or Settings()
    started = time.perf_counter()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=settings.holdout_size, stratify=y, random_state=settings.holdout_random_state
    )
    selected, nested = _fit_and_nest(X_train, y_train, settings, progress)
    fitted_seconds = time.perf_counter() - started
    refit_started = time.perf_counter()
    model = refit(selected, X, y, settings.seed) if settings.refit_on_all else selected.model
    refit_seconds = time.perf_counter() - refit_started
    fitted_on = X if settings.refit_on_all else X_train
    background = background_sample(fitted_on, settings.background_size, settings.seed)
    with one_thread():
        explanation = explain(model, X, background, n_permutations=settings.explain_permutations, seed=settings.seed)
        leaderboard = _leaderboard(selected, X_train, y_train, X_test, y_test)
    metrics = {
        "best_model": selected.selection.name,
        "holdout": _holdout_metrics(selected, X_test, y_test, settings),
        "cv": nested,
        "leaderboard": leaderboard,
        "selection": _selection_summary(selected),
        "importance": {
            "features": feature_importance(explanation).round(5).to_dict("records"),
            "groups": group_importance(explanation).round(5).to_dict("records"),
        },
        "explanation": {
            "methods": explanation.methods,
            "background_size": len(background),
            "permutations": settings.explain_permutations,
        },
        "timing": {
            "fit_and_nested_cv_seconds": round(fitted_seconds, 1),
            "refit_seconds": round(refit_seconds, 1),
            "total_seconds": round(time.perf_counter() - started, 1),
        },
        "n_customers": {"train": len(X_train), "holdout": len(X_test)},
        "refit": _refit_summary(settings, len(X), len(X_train)),
    }
    holdout = pd.DataFrame(
        {"declined": y_test.astype("int64"), "decline_probability": selected.model.predict_proba(X_test)[:, 1]},
        index=X_test.index,
    )
    return TrainResult(model, selected, metrics, background, settings, holdout)


def refit(selected: SelectedModel, X: pd.DataFrame, y: pd.Series, seed: int) -> Any:
    """The selected families, parameters, blend and calibration fitted again on ``X``, ``y``: no new search."""
    with one_thread():
        return build_model(selected.search, selected.selection, seed).fit(X, y)


def _refit_summary(settings: Settings, n_all: int, n_train: int) -> dict[str, Any]:
    """What ``metrics.json`` says about the saved model against the figures beside it."""
    if not settings.refit_on_all:
        return {
            "on": "the training part",
            "n_customers": n_train,
            "evaluated_by": "the holdout and nested CV describe this very model (refit_on_all is off)",
        }
    return {
        "on": "all labelled customers",
        "n_customers": n_all,
        "evaluated_by": "holdout and nested CV of the procedure",
        "note": "the holdout and nested-CV figures describe the procedure (search, blend, calibration, "
        "threshold) fitted on the training part; the saved model is that same choice refit on all "
        f"{n_all} labelled customers, so it has seen the holdout: the next period's labels measure it",
        "threshold": "kept from the procedure (out-of-fold F1 of the training part's search)",
    }


def _holdout_metrics(
    selected: SelectedModel, X_test: pd.DataFrame, y_test: pd.Series, settings: Settings
) -> dict[str, Any]:
    probability = selected.model.predict_proba(X_test)[:, 1]
    protocol = {"test_size": settings.holdout_size, "stratified": True, "random_state": settings.holdout_random_state}
    return classification_metrics(y_test, probability, selected.selection.threshold) | {
        "calibration_curve": calibration_table(y_test, probability),
        "protocol": protocol,
    }


def _fit_and_nest(
    X: pd.DataFrame, y: pd.Series, settings: Settings, progress: Progress | None
) -> tuple[SelectedModel, dict[str, Any]]:
    """Fit on the training part and run the nested CV, all as parallel jobs (the fit is job 0)."""
    kwargs = model_settings(settings) | {"seed": settings.seed}
    splitter = (
        RepeatedStratifiedKFold(n_splits=settings.cv_folds, n_repeats=settings.cv_repeats, random_state=settings.seed)
        if settings.cv_repeats
        else None
    )
    folds = list(splitter.split(X, y)) if splitter is not None else []
    # Families the model cannot be made of change nothing in a fold: search them only for the leaderboard.
    in_folds = kwargs | {"families": eligible_families(kwargs["families"], settings.explainable_only)}
    jobs: list[tuple[Any, tuple[Any, ...]]] = [(_fit_job, (X, y, kwargs))] + [
        (_fold_job, (X.iloc[train], y.iloc[train], X.iloc[test], y.iloc[test], in_folds)) for train, test in folds
    ]
    results: dict[int, Any] = {}
    parallel = Parallel(n_jobs=min(settings.n_jobs, len(jobs)), return_as="generator_unordered")
    tasks = (delayed(_tagged)(index, function, args) for index, (function, args) in enumerate(jobs))
    for done, (index, value) in enumerate(parallel(tasks), 1):
        results[index] = value
        if progress is not None:
            progress("fit and nested CV", done, len(jobs))
    selected: SelectedModel = results[0]
    fold_results = [results[i] for i in range(1, len(jobs))]
    return selected, _nested_summary(selected, fold_results, settings)


def _tagged(index: int, function: Any, args: tuple[Any, ...]) -> tuple[int, Any]:
    return index, function(*args)


def _fit_job(X: pd.DataFrame, y: pd.Series, kwargs: dict[str, Any]) -> SelectedModel:
    return fit_selected(X, y, **kwargs)


def _fold_job(
    X_fit: pd.DataFrame, y_fit: pd.Series, X_eval: pd.DataFrame, y_eval: pd.Series, kwargs: dict[str, Any]
) -> dict[str, Any]:
    selected = fit_selected(X_fit, y_fit, **kwargs)
    with one_thread():
        probability = selected.model.predict_proba(X_eval)[:, 1]
    return {"roc_auc": float(roc_auc_score(y_eval, probability)), "model": selected.selection.name}


def _nested_summary(selected: SelectedModel, folds: list[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    if not folds:  # no nested CV asked for: report the search's own (optimistic) CV of the chosen model
        scores = list(selected.selection.fold_auc)
        return {
            "nested": False,
            "roc_auc_mean": float(np.mean(scores)),
            "roc_auc_std": float(np.std(scores)),
            "fold_roc_auc": scores,
            "folds": settings.inner_folds,
            "repeats": 1,
        }
    scores = [fold["roc_auc"] for fold in folds]
    chosen = pd.Series([fold["model"] for fold in folds]).value_counts()
    return {
        "nested": True,
        "roc_auc_mean": float(np.mean(scores)),
        "roc_auc_std": float(np.std(scores)),
        "fold_roc_auc": [round(s, 4) for s in scores],
        "folds": settings.cv_folds,
        "repeats": settings.cv_repeats,
        "models_chosen_in_folds": chosen.to_dict(),
    }


def _leaderboard(
    selected: SelectedModel, X_train: pd.DataFrame, y_train: pd.Series, X_test: pd.DataFrame, y_test: pd.Series
) -> list[dict[str, Any]]:
    """Best pipeline of each family, and each blend tried: CV on the training part, holdout, fit time."""
    search, rows, scores, fit_seconds = selected.search, [], {}, {}
    for result in search.ranked():
        started = time.perf_counter()
        pipeline = build_pipeline(result.family, result.params, search.seed).fit(X_train, y_train)
        fit_seconds[result.family] = time.perf_counter() - started
        scores[result.family] = component_score(pipeline, X_test)
        rows.append(
            {
                "model": result.family,
                "cv_roc_auc_mean": round(result.cv_auc_mean, 4),
                "cv_roc_auc_std": round(result.cv_auc_std, 4),
                "holdout_roc_auc": round(float(roc_auc_score(y_test, scores[result.family])), 4),
                "fit_seconds": round(fit_seconds[result.family], 3),
                "n_trials": result.n_trials,
                "params": result.params,
            }
        )
    for candidate in selected.selection.candidates:
        names = candidate["model"].split("+")
        if len(names) < 2:
            continue
        blended = sum(w * scores[n] for n, w in zip(names, candidate["weights"], strict=True))
        rows.append(
            {
                "model": candidate["model"],
                "cv_roc_auc_mean": round(candidate["cv_roc_auc_mean"], 4),
                "cv_roc_auc_std": round(candidate["cv_roc_auc_std"], 4),
                "holdout_roc_auc": round(float(roc_auc_score(y_test, blended)), 4),
                "fit_seconds": round(sum(fit_seconds[n] for n in names), 3),
                "n_trials": None,
                "params": None,
            }
        )
    return rows


def _selection_summary(selected: SelectedModel) -> dict[str, Any]:
    selection = selected.selection
    return {
        "components": list(selection.components),
        "weights": [round(w, 6) for w in selection.weights],
        "calibrated": selection.calibrate,
        "calibration": "sigmoid (Platt), kept because it lowers the out-of-fold Brier score"
        if selection.calibrate
        else "none: a sigmoid did not lower the out-of-fold Brier score",
        "oof_brier_raw": round(selection.brier_raw, 5),
        "oof_brier_calibrated": round(selection.brier_calibrated, 5),
        "inner_cv_roc_auc_mean": round(float(np.mean(selection.fold_auc)), 4),
        "threshold": round(selection.threshold, 4),
        "threshold_rule": THRESHOLD_RULE,
        "candidates": list(selection.candidates),
        "params": {name: selected.search.families[name].params for name in selection.components},
    }
