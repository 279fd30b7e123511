"""One preprocessing for the probability and the explanation: the same numbers, bit for bit, as the model's own
``predict_proba`` and :func:`explain`, for blends of several families, calibrated or not."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold

from oneclick.errors import InputDataError
from oneclick.model import ScoreBlend, background_sample, explain
from oneclick.model.candidates import build_pipeline, default_params
from oneclick.model.explain import Explainer
from oneclick.model.prepared import decline_probability, prepare_table


def bits(values: Any) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64)).view(np.int64)


def _blend(families: list[str], weights: list[float] | None = None) -> ScoreBlend:
    return ScoreBlend([(f, build_pipeline(f, default_params(f))) for f in families], weights=weights)


MODELS = {
    "logreg": lambda: _blend(["logreg"]),
    "logreg+lgbm+hgb": lambda: _blend(["logreg", "lgbm", "hgb"], [0.5, 0.3, 0.2]),
    "logreg with pairs": lambda: ScoreBlend(
        [("logreg", build_pipeline("logreg", default_params("logreg") | {"pairs": True, "select_k": 6}))]
    ),
    "logreg with splines+knn": lambda: ScoreBlend(
        [
            ("logreg", build_pipeline("logreg", default_params("logreg") | {"splines": 4})),
            ("knn", build_pipeline("knn", default_params("knn"))),
        ]
    ),
    "calibrated logreg+lgbm": lambda: CalibratedClassifierCV(
        _blend(["logreg", "lgbm"]),
        method="sigmoid",
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        ensemble=False,
    ),
}


@pytest.fixture(scope="module", params=sorted(MODELS))
def fitted(request: pytest.FixtureRequest, small_xy: tuple[pd.DataFrame, pd.Series]) -> tuple[Any, pd.DataFrame]:
    X, y = small_xy
    return MODELS[request.param]().fit(X, y), X


def test_the_probability_of_a_prepared_table_is_predict_proba_bit_for_bit(fitted: tuple[Any, pd.DataFrame]) -> None:
    model, X = fitted
    expected = model.predict_proba(X)[:, 1]
    prepared = prepare_table(model, X)
    assert prepared.inputs is not None
    np.testing.assert_array_equal(bits(decline_probability(model, prepared)), bits(expected))
    for row in range(5):  # one customer, as the service scores it
        one = X.iloc[[row]]
        given = decline_probability(model, prepare_table(model, one))
        np.testing.assert_array_equal(bits(given), bits(model.predict_proba(one)[:, 1]))


def test_an_explanation_from_the_prepared_table_is_the_explanation(fitted: tuple[Any, pd.DataFrame]) -> None:
    model, X = fitted
    background = background_sample(X, 30)
    expected = explain(model, X, background, n_permutations=4)
    explainer = Explainer(model, background, n_permutations=4)
    prepared = prepare_table(model, X)
    for inputs in (None, prepared.inputs, prepared.inputs):  # the second time from what the explainer kept
        explanation = explainer.explain(X, inputs)
        np.testing.assert_array_equal(bits(explanation.contributions), bits(expected.contributions))
        assert explanation.base_value == expected.base_value
        assert explanation.methods == expected.methods
    wanted = np.arange(len(X)) % 3 == 0  # some customers (drivers="offered"): as explaining them alone
    part = prepared.rows(wanted)
    some = explainer.explain(part.table, part.inputs)
    alone = explain(model, X.loc[wanted], background, n_permutations=4)
    pd.testing.assert_frame_equal(some.contributions, alone.contributions, check_exact=True)


def test_a_model_that_is_not_a_blend_is_asked_directly(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    model = build_pipeline("logreg", default_params("logreg")).fit(X, y)
    prepared = prepare_table(model, X)
    assert prepared.inputs is None
    np.testing.assert_array_equal(decline_probability(model, prepared), model.predict_proba(X)[:, 1])


def test_a_prepared_table_is_refused_with_other_columns_as_predict_proba_refuses_it(
    fitted: tuple[Any, pd.DataFrame],
) -> None:
    model, X = fitted
    with pytest.raises(InputDataError, match="columns differ"):
        prepare_table(model, X[X.columns[::-1]])
