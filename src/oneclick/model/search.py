"""Hyperparameter search per model family: Optuna (TPE), scored by cross-validated ROC-AUC.

Every family is searched on the same stratified folds of the data it is given, so the
out-of-fold scores of the families' best pipelines can be blended and compared fairly
afterwards (see :mod:`oneclick.model.select`). The search sees only the rows it is given:
called on the training part of a split, it never sees the test part.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import joblib
import numpy as np
import optuna
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from oneclick.errors import ConfigError
from oneclick.model.blend import component_score
from oneclick.model.candidates import FAMILIES, Params, build_pipeline, default_params

Progress = Callable[[str, int, int], None]
"""Called as ``progress(what, done, total)`` while a long step runs."""

Folds = list[tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class FamilyResult:
    """The best pipeline of one family: its parameters, fold scores and out-of-fold scores."""

    family: str
    params: Params
    fold_auc: tuple[float, ...]
    oof_score: np.ndarray = field(repr=False)
    n_trials: int
    search_seconds: float

    @property
    def cv_auc_mean(self) -> float:
        return float(np.mean(self.fold_auc))

    @property
    def cv_auc_std(self) -> float:
        return float(np.std(self.fold_auc))


@dataclass(frozen=True)
class SearchResult:
    """What the search found for every family, on one set of folds."""

    families: dict[str, FamilyResult]
    folds: Folds = field(repr=False)
    seed: int

    def ranked(self) -> list[FamilyResult]:
        """Families from the best mean cross-validated ROC-AUC down."""
        return sorted(self.families.values(), key=lambda result: -result.cv_auc_mean)


def make_folds(y: pd.Series, n_folds: int, seed: int) -> Folds:
    """Stratified, shuffled folds of ``y``'s positions."""
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y))


def trials_for(family: str, n_trials: int) -> int:
    """Trials a family gets: boosting, ten times slower to fit, gets half (at least 2)."""
    return max(2, n_trials // 2) if FAMILIES[family].expensive else n_trials


def search_families(
    X: pd.DataFrame,
    y: pd.Series,
    *,
    families: Sequence[str],
    n_trials: int,
    n_folds: int = 4,
    seed: int = 0,
    time_budget_seconds: float = 0.0,
    progress: Progress | None = None,
) -> SearchResult:
    """Search every family in ``families`` on the same ``n_folds`` stratified folds.

    ``time_budget_seconds`` > 0 caps the whole search: each family gets an equal share of the
    time left. The trial count then depends on the machine, so runs are no longer repeatable.
    """
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        raise ConfigError(f"unknown model families {unknown}; known: {sorted(FAMILIES)}")
    folds = make_folds(y, n_folds, seed)
    deadline = time.monotonic() + time_budget_seconds if time_budget_seconds > 0 else None
    total = sum(trials_for(name, n_trials) for name in families)
    counter = _Counter(progress, total)
    results = {}
    prepared = _Prepared(X, folds)
    with _quiet_optuna():
        for position, name in enumerate(families):
            timeout = None
            if deadline is not None:
                timeout = max(0.0, deadline - time.monotonic()) / (len(families) - position)
            results[name] = _search_family(
                X, y, name, folds, trials_for(name, n_trials), seed, timeout, counter, prepared
            )
    return SearchResult(results, folds, seed)


class _Counter:
    """Turns Optuna trial callbacks into ``progress`` calls."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(f"search: {study.study_name}", self.done, self.total)


def _search_family(
    X: pd.DataFrame,
    y: pd.Series,
    name: str,
    folds: Folds,
    n_trials: int,
    seed: int,
    timeout: float | None,
    counter: _Counter,
    prepared: _Prepared,
) -> FamilyResult:
    best: dict[int, np.ndarray] = {}
    started = time.perf_counter()
    study = optuna.create_study(
        study_name=name,
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(5, n_trials)),
        # Stop a trial whose first folds are already below the median of earlier trials.
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
    )
    study.enqueue_trial(default_params(name))

    def objective(trial: optuna.Trial) -> float:
        params = FAMILIES[name].suggest(trial)
        trial.set_user_attr("params", params)
        fold_auc, oof = _cross_validate(X, y, name, params, folds, seed, trial, prepared)
        trial.set_user_attr("fold_auc", fold_auc)
        mean = float(np.mean(fold_auc))
        if not best or mean > study.best_value:
            best.clear()
            best[trial.number] = oof
        return mean

    study.optimize(objective, n_trials=n_trials, timeout=timeout, callbacks=[counter])
    chosen = study.best_trial
    return FamilyResult(
        name,
        dict(chosen.user_attrs["params"]),
        tuple(chosen.user_attrs["fold_auc"]),
        best[chosen.number],
        len(study.trials),
        time.perf_counter() - started,
    )


def _cross_validate(
    X: pd.DataFrame,
    y: pd.Series,
    name: str,
    params: Params,
    folds: Folds,
    seed: int,
    trial: optuna.Trial | None = None,
    prepared: _Prepared | None = None,
) -> tuple[list[float], np.ndarray]:
    """ROC-AUC of each fold and the out-of-fold scores of one pipeline."""
    prepared = prepared if prepared is not None else _Prepared(X, folds)
    oof = np.zeros(len(y))
    fold_auc = []
    for step, (train, test) in enumerate(folds):
        pipeline = build_pipeline(name, params, seed)
        features_train, features_test = prepared.get(step, pipeline[0])
        rest = pipeline[1:] if len(pipeline) > 2 else pipeline[-1]
        rest.fit(features_train, y.iloc[train])
        oof[test] = component_score(rest, features_test)
        fold_auc.append(float(roc_auc_score(y.iloc[test], oof[test])))
        if trial is not None:
            trial.report(float(np.mean(fold_auc)), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
    return fold_auc, oof


class _Prepared:
    """Preprocessed folds, computed once per preprocessing recipe and fold.

    The preprocessing step is deterministic, so fitting it once per fold gives exactly what
    fitting it inside every trial would; it is most of a fast model's fit time.
    """

    def __init__(self, X: pd.DataFrame, folds: Folds) -> None:
        self.X, self.folds = X, folds
        self.cache: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}

    def get(self, fold: int, step: Any) -> tuple[np.ndarray, np.ndarray]:
        key = (fold, joblib.hash(step))
        if key not in self.cache:
            train, test = self.folds[fold]
            fitted = clone(step).fit(self.X.iloc[train])
            self.cache[key] = (fitted.transform(self.X.iloc[train]), fitted.transform(self.X.iloc[test]))
        return self.cache[key]


@contextmanager
def _quiet_optuna() -> Iterator[None]:
    """Silence Optuna's per-trial INFO lines for the search only, then restore the caller's level."""
    level = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        yield
    finally:
        optuna.logging.set_verbosity(level)
