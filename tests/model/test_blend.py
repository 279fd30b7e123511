"""ScoreBlend follows scikit-learn's estimator contract and adds its components' scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from oneclick import InputDataError
from oneclick.model.blend import ScoreBlend, component_score
from oneclick.model.candidates import build_pipeline, default_params


def _blend(weights: list[float] | None = None) -> ScoreBlend:
    return ScoreBlend(
        [(name, build_pipeline(name, default_params(name))) for name in ("logreg", "knn")], weights=weights
    )


def test_decision_is_the_weighted_sum_of_component_scores(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    blend = _blend([0.7, 0.2]).fit(X, y)
    logreg, knn = blend.estimators_
    expected = 0.7 * logreg.decision_function(X) + 0.2 * component_score(knn, X)
    np.testing.assert_allclose(blend.decision_function(X), expected)
    np.testing.assert_allclose(blend.predict_proba(X)[:, 1], expit(expected))
    assert set(blend.predict(X)) <= {0, 1}


def test_contract_clone_refit_fitted_attributes(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    blend = _blend()
    with pytest.raises(NotFittedError):
        blend.predict_proba(X)
    fitted = blend.fit(X, y)
    assert fitted is blend
    assert list(blend.feature_names_in_) == list(X.columns)
    assert list(blend.classes_) == [0, 1]
    again = clone(blend)
    assert not hasattr(again, "estimators_")
    np.testing.assert_array_equal(again.fit(X, y).predict_proba(X), blend.predict_proba(X))
    assert blend.get_params()["weights"] is None


def test_columns_differing_from_fit_are_named(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    blend = _blend().fit(X, y)
    with pytest.raises(InputDataError, match=r"missing \['pages_per_visit'\], unexpected \['colour'\]"):
        blend.predict_proba(X.drop(columns="pages_per_visit").assign(colour=1))
    with pytest.raises(InputDataError, match="another order"):
        blend.predict_proba(X[X.columns[::-1]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"estimators": []}, "estimators is empty"),
        ({"weights": [1.0]}, "1 weights for 2 estimators"),
        ({"proba_clip": 0.5}, "proba_clip=0.5"),
    ],
)
def test_bad_parameters_are_refused_at_fit(
    small_xy: tuple[pd.DataFrame, pd.Series], kwargs: dict, message: str
) -> None:
    X, y = small_xy
    blend = _blend().set_params(**kwargs)
    with pytest.raises(ValueError, match=message):
        blend.fit(X, y)


def test_vote_shares_are_clipped_before_the_logit(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    knn = build_pipeline("knn", default_params("knn") | {"n_neighbors": 5}).fit(X, y)
    score = component_score(knn, X, proba_clip=0.01)
    assert np.abs(score).max() == pytest.approx(np.log(0.99 / 0.01))
