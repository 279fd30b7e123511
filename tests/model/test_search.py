"""The search: one Optuna study per family on shared folds, repeatable, within a time budget."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from oneclick import ConfigError
from oneclick.model.search import search_families, trials_for


def test_every_family_gets_fold_scores_and_out_of_fold_scores(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    seen: list[tuple[str, int, int]] = []
    result = search_families(
        X,
        y,
        families=["logreg", "knn", "lgbm"],
        n_trials=3,
        n_folds=3,
        seed=0,
        progress=lambda what, done, total: seen.append((what, done, total)),
    )
    assert set(result.families) == {"logreg", "knn", "lgbm"}
    for family in result.families.values():
        assert len(family.fold_auc) == 3
        assert family.oof_score.shape == (len(y),)
        # The out-of-fold scores are those of the best trial: their fold AUCs are its fold AUCs.
        recomputed = [roc_auc_score(y.iloc[test], family.oof_score[test]) for _, test in result.folds]
        np.testing.assert_allclose(recomputed, family.fold_auc)
    assert [r.family for r in result.ranked()] == sorted(result.families, key=lambda f: -result.families[f].cv_auc_mean)
    assert seen[-1][1:] == (3 + 3 + trials_for("lgbm", 3),) * 2


def test_same_seed_same_search(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    runs = [search_families(X, y, families=["svc"], n_trials=4, n_folds=3, seed=5) for _ in range(2)]
    assert runs[0].families["svc"].params == runs[1].families["svc"].params
    np.testing.assert_array_equal(runs[0].families["svc"].oof_score, runs[1].families["svc"].oof_score)


def test_a_time_budget_still_gives_every_family_a_result(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    result = search_families(X, y, families=["logreg", "tree"], n_trials=1_000, n_folds=3, time_budget_seconds=1.0)
    assert all(1 <= family.n_trials < 1_000 for family in result.families.values())


def test_unknown_family_is_refused(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    with pytest.raises(ConfigError, match=r"unknown model families \['forest'\]"):
        search_families(X, y, families=["logreg", "forest"], n_trials=1)
