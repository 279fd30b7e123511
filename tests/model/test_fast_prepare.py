"""The fast form of a fitted preprocessing step gives scikit-learn's array bit for bit, or hands the table to
scikit-learn; a model's probability and explanation from it are the model's own."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from model.test_prepared import MODELS, bits
from oneclick.model import background_sample, explain
from oneclick.model.candidates import build_pipeline, default_params
from oneclick.model.fast_prepare import fast_preparation, fast_preparations
from oneclick.model.prepared import blend_components, decline_probability, prepare_table


@pytest.fixture(scope="module", params=sorted(MODELS))
def fitted(request: pytest.FixtureRequest, small_xy: tuple[pd.DataFrame, pd.Series]) -> tuple[Any, pd.DataFrame]:
    X, y = small_xy
    return MODELS[request.param]().fit(X, y), X


def test_the_probability_and_explanation_from_the_fast_forms_are_the_models(fitted: tuple[Any, pd.DataFrame]) -> None:
    model, X = fitted
    background = background_sample(X, 30)
    fast = fast_preparations(blend_components(model), background)
    assert len(fast) == len(blend_components(model)) and any(step is not None for step in fast)
    for rows in (X, X.iloc[[3]]):
        prepared = prepare_table(model, rows, fast)
        np.testing.assert_array_equal(bits(decline_probability(model, prepared)), bits(model.predict_proba(rows)[:, 1]))
    expected = explain(model, X, background, n_permutations=4)
    given = explain(model, X, background, n_permutations=4, prepared=prepare_table(model, X, fast).inputs)
    np.testing.assert_array_equal(bits(given.contributions), bits(expected.contributions))


@pytest.mark.parametrize(
    ("family", "params"),
    [
        ("logreg", {}),
        ("logreg", {"scaler": "minmax"}),
        ("knn", {"scaler": "none"}),
        ("svc", {}),
        ("tree", {}),
        ("hgb", {}),
        ("lgbm", {}),
    ],
)
def test_the_fast_form_of_a_preprocessing_step_gives_its_array(
    small_xy: tuple[pd.DataFrame, pd.Series], family: str, params: dict[str, Any]
) -> None:
    X, y = small_xy
    step = build_pipeline(family, default_params(family) | params).fit(X, y)[0]
    fast = fast_preparation(step)
    assert fast is not None
    for rows in (X, X.iloc[:1], X.iloc[7:12]):
        given, expected = fast.transform(rows), step.transform(rows)
        assert given.shape == expected.shape
        np.testing.assert_array_equal(bits(given), bits(expected))


def test_what_the_fast_form_does_not_handle_goes_to_scikit_learn(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    step = build_pipeline("logreg", default_params("logreg")).fit(X, y)[0]
    fast = fast_preparation(step)
    assert fast is not None
    unseen = X.iloc[:3].copy()  # a category the one-hot encoder never saw: all zeros, as scikit-learn writes it
    unseen["favourite_category"] = pd.Categorical(["pet_food"] * 3)
    np.testing.assert_array_equal(bits(fast.transform(unseen)), bits(step.transform(unseen)))
    other = X.iloc[:3].copy()  # one the ordinal encoder never saw: scikit-learn's own error
    other["service_type"] = pd.Categorical(["gold"] * 3)
    with pytest.raises(ValueError, match="unknown categor"):
        fast.transform(other)
    splines = build_pipeline("logreg", default_params("logreg") | {"splines": 4}).fit(X, y)[0]
    assert fast_preparation(splines) is None
