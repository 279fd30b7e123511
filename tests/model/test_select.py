"""select_model: a fitted, scikit-learn-compatible estimator, the same for the same data and seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from oneclick import select_model
from oneclick.config import Settings
from oneclick.model.select import fit_selected, model_settings


def test_select_model_returns_a_fitted_estimator(small_xy: tuple[pd.DataFrame, pd.Series], fast: Settings) -> None:
    X, y = small_xy
    model = select_model(X, y, seed=0, settings=fast)
    check_is_fitted(model)
    assert list(model.feature_names_in_) == list(X.columns)
    assert list(model.classes_) == [0, 1]
    probability = model.predict_proba(X)[:, 1]
    assert probability.shape == (len(X),) and ((probability > 0) & (probability < 1)).all()
    refitted = clone(model).fit(X, y)
    np.testing.assert_allclose(refitted.predict_proba(X), model.predict_proba(X))


def test_same_data_and_seed_give_identical_probabilities(
    small_xy: tuple[pd.DataFrame, pd.Series], fast: Settings
) -> None:
    X, y = small_xy
    first, second = (select_model(X, y, seed=3, settings=fast).predict_proba(X) for _ in range(2))
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("explainable_only", [True, False])
def test_explainable_only_keeps_knn_and_svc_out_of_the_model(
    small_xy: tuple[pd.DataFrame, pd.Series], explainable_only: bool
) -> None:
    X, y = small_xy
    settings = Settings(
        model_families="knn,svc,logreg,lgbm", search_iterations=2, inner_folds=3, explainable_only=explainable_only
    )
    selected = fit_selected(X, y, **model_settings(settings))
    ranked = [result.family for result in selected.search.ranked()]
    assert set(ranked) == {"knn", "svc", "logreg", "lgbm"}  # all searched, all on the leaderboard
    if explainable_only:
        assert set(selected.selection.components) <= {"logreg", "lgbm"}
    else:  # the best family by CV leads, whatever its explainer
        assert selected.selection.components[0] == ranked[0]


def test_choices_come_from_out_of_fold_scores(small_xy: tuple[pd.DataFrame, pd.Series], fast: Settings) -> None:
    X, y = small_xy
    selection = fit_selected(X, y, **model_settings(fast)).selection
    assert selection.calibrate == (selection.brier_calibrated < selection.brier_raw)
    assert 0 < selection.threshold < 1
    assert selection.oof_probability.shape == (len(y),)
    best = max(selection.candidates, key=lambda c: c["cv_roc_auc_mean"])
    assert best["model"] == selection.name
