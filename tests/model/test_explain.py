"""Explanations: exact for linear models (with pairs), TreeSHAP for boosting, sampled for the rest."""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd
import pytest
from scipy.special import logit

from oneclick.config import Settings
from oneclick.model import ScoreBlend, background_sample, explain, select_model
from oneclick.model.blend import component_score
from oneclick.model.candidates import build_pipeline, default_params
from oneclick.model.shapley import sampled_shapley


def _exact_shapley(score, x: pd.DataFrame, background: pd.DataFrame, players: list[str]) -> dict[str, float]:
    """Interventional Shapley values by enumerating every coalition of ``players`` (others: background)."""

    def value(coalition: tuple[str, ...]) -> float:
        hybrid = background.copy()
        for name in coalition:
            hybrid[name] = pd.Series([x[name].iloc[0]] * len(hybrid), dtype=x[name].dtype).to_numpy()
        return float(np.mean(score(hybrid)))

    n, result = len(players), {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for coalition in combinations(others, size):
                total += weight * (value((*coalition, player)) - value(coalition))
        result[player] = total
    return result


def test_linear_contributions_sum_to_the_logit_and_one_hot_sums_to_its_feature(
    small_xy: tuple[pd.DataFrame, pd.Series],
) -> None:
    X, y = small_xy
    model = build_pipeline("logreg", default_params("logreg")).fit(X, y)
    background = background_sample(X, 50)
    explanation = explain(model, X, background)
    np.testing.assert_allclose(explanation.logit, model.decision_function(X), atol=1e-10)
    prepare, coef = model[0], model[-1].coef_.ravel()
    columns = list(prepare.get_feature_names_out())
    centred = prepare.transform(X) - prepare.transform(background).mean(axis=0)
    one_hot = [i for i, name in enumerate(columns) if name.startswith("favourite_category=")]
    np.testing.assert_allclose(explanation.contributions["favourite_category"], centred[:, one_hot] @ coef[one_hot])
    pages = columns.index("pages_per_visit")
    np.testing.assert_allclose(explanation.contributions["pages_per_visit"], centred[:, pages] * coef[pages])
    assert explanation.methods == {"LogisticRegression": "exact linear contributions"}


def test_linear_model_with_pairs_is_explained_exactly(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    params = default_params("logreg") | {"pairs": True, "select_k": 4, "C": 1.0}
    model = build_pipeline("logreg", params).fit(X, y)
    background = background_sample(X, 15)
    explanation = explain(model, X, background)
    np.testing.assert_allclose(explanation.logit, model.decision_function(X), atol=1e-9)
    used = [name for name in X.columns if (explanation.contributions[name] != 0).any()]
    assert 2 <= len(used) <= 4
    for customer in X.index[:3]:
        exact = _exact_shapley(model.decision_function, X.loc[[customer]], background, used)
        for name, value in exact.items():
            assert explanation.contributions.loc[customer, name] == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("family", ["lgbm", "hgb"])
def test_boosting_contributions_sum_to_its_log_odds(small_xy: tuple[pd.DataFrame, pd.Series], family: str) -> None:
    X, y = small_xy
    model = build_pipeline(family, default_params(family)).fit(X, y)
    explanation = explain(model, X, background_sample(X, 30))
    np.testing.assert_allclose(explanation.logit, component_score(model, X), atol=1e-6)
    assert explanation.methods[type(model[-1]).__name__] == "TreeSHAP"


def test_calibrated_blend_is_explained_on_the_scale_of_its_probabilities(
    small_xy: tuple[pd.DataFrame, pd.Series],
) -> None:
    X, y = small_xy
    settings = Settings(model_families="logreg,lgbm", search_iterations=2, inner_folds=3, max_blend=2)
    model = select_model(X, y, settings=settings)
    explanation = explain(model, X, background_sample(X, 30))
    np.testing.assert_allclose(explanation.logit, logit(model.predict_proba(X)[:, 1]), atol=1e-6)
    assert list(explanation.contributions.columns) == list(X.columns)


def test_sampled_shapley_is_exact_for_an_additive_score() -> None:
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.integers(0, 5, 200), "c": rng.normal(size=200)})
    background = X.iloc[:40].reset_index(drop=True)

    def score(table: pd.DataFrame) -> np.ndarray:
        return 2 * table["a"].to_numpy() + np.sin(table["b"].to_numpy())

    contributions, base = sampled_shapley(score, X, background, n_permutations=2)
    np.testing.assert_allclose(contributions[:, 1], np.sin(X["b"]) - np.sin(background["b"]).mean(), atol=1e-9)
    np.testing.assert_allclose(contributions[:, 0], 2 * (X["a"] - background["a"].mean()), atol=0.02)
    assert (contributions[:, 2] == 0).all()  # the score ignores c: found inactive, never sampled
    np.testing.assert_allclose(base + contributions.sum(axis=1), score(X), atol=1e-9)


def test_sampled_shapley_converges_on_an_interaction() -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=5), "b": rng.normal(size=5), "c": rng.normal(size=5)})
    background = pd.DataFrame({"a": rng.normal(size=30), "b": rng.normal(size=30), "c": rng.normal(size=30)})

    def score(table: pd.DataFrame) -> np.ndarray:
        return table["a"].to_numpy() * table["b"].to_numpy() + np.maximum(table["c"].to_numpy(), 0)

    contributions, _ = sampled_shapley(score, X, background, n_permutations=400)
    for row in range(len(X)):
        exact = _exact_shapley(score, X.iloc[[row]], background, ["a", "b", "c"])
        np.testing.assert_allclose(contributions[row], [exact[n] for n in "abc"], atol=0.1)


def test_knn_in_a_blend_is_explained_by_sampling_and_still_adds_up(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    blend = ScoreBlend(
        [(name, build_pipeline(name, default_params(name))) for name in ("knn", "logreg")], weights=[0.5, 0.5]
    ).fit(X, y)
    explanation = explain(blend, X.iloc[:40], background_sample(X, 20), n_permutations=4)
    np.testing.assert_allclose(explanation.logit, blend.decision_function(X.iloc[:40]), atol=1e-9)
    assert explanation.methods == {"knn": "permutation Shapley values", "logreg": "exact linear contributions"}
