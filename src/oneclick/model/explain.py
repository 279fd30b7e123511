"""Why the model gives a customer this risk: contributions per feature on the log-odds scale.

Each part of the model is explained by the fastest method that fits it:

- logistic regression: exact, ``coef * (x - mean)`` in the transformed space;
- LightGBM and histogram boosting: TreeSHAP (LightGBM's own ``pred_contrib``, SHAP's
  ``TreeExplainer`` for scikit-learn's boosting);
- anything else (k-NN, SVC, a decision tree's vote share): permutation Shapley values for all
  customers at once (:mod:`oneclick.model.shapley`).

Transformed columns are summed back to the feature they come from (the one-hot columns of
``favourite_category`` make one contribution). A blend's explanation is the weighted sum of
its components', and a sigmoid calibration multiplies it by its slope, so for every customer
``base_value + contributions.sum() == logit(decline_probability)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.utils.validation import check_is_fitted

from oneclick.errors import ModelArtifactError
from oneclick.model.blend import ScoreBlend, component_score
from oneclick.model.shapley import sampled_shapley

EXACT = "exact linear contributions"
TREE = "TreeSHAP"
SAMPLED = "permutation Shapley values"


@dataclass(frozen=True)
class Explanation:
    """Contributions of each feature to each customer's log-odds of a decline.

    ``contributions`` is indexed like the explained table, one column per feature;
    ``logit = base_value + contributions.sum(axis=1)``.
    """

    contributions: pd.DataFrame
    base_value: float
    logit: pd.Series
    methods: dict[str, str]


@dataclass(frozen=True)
class _Part:
    estimator: Any
    weight: float
    name: str


def explain(
    model: Any, X: pd.DataFrame, background: pd.DataFrame, *, n_permutations: int = 16, seed: int = 0
) -> Explanation:
    """Explain ``model``'s predictions on ``X``; ``background`` stands for "an average customer".

    ``background`` is a sample of the training table (see :func:`background_sample`).
    """
    parts, scale, offset = _decompose(model)
    contributions = np.zeros((len(X), X.shape[1]))
    base, methods = 0.0, {}
    sampled = [part for part in parts if _method(part.estimator) == SAMPLED]
    for part in parts:
        method = _method(part.estimator)
        if method == SAMPLED:
            continue
        part_contributions, part_base = _explain_exact(part.estimator, method, X, background)
        contributions += part.weight * part_contributions
        base += part.weight * part_base
        methods[part.name] = method
    if sampled:
        part_contributions, part_base = sampled_shapley(
            _weighted_score(sampled), X, background, n_permutations=n_permutations, seed=seed
        )
        contributions += part_contributions
        base += part_base
        methods.update({part.name: SAMPLED for part in sampled})
    frame = pd.DataFrame(scale * contributions, index=X.index, columns=X.columns)
    base_value = scale * base + offset
    logit = pd.Series(base_value + frame.sum(axis=1).to_numpy(), index=X.index, name="logit")
    return Explanation(frame, float(base_value), logit, methods)


def background_sample(X: pd.DataFrame, size: int = 100, seed: int = 0) -> pd.DataFrame:
    """``size`` customers drawn from ``X`` (without ids): the reference an explanation compares to."""
    sample = X.sample(n=min(size, len(X)), random_state=seed)
    return sample.reset_index(drop=True)


def _decompose(model: Any) -> tuple[list[_Part], float, float]:
    """The model as weighted parts on the log-odds scale, and the calibration's slope and intercept."""
    check_is_fitted(model)
    scale, offset = 1.0, 0.0
    if isinstance(model, CalibratedClassifierCV):
        if len(model.calibrated_classifiers_) != 1 or model.method != "sigmoid":
            raise ModelArtifactError("only a sigmoid calibration with ensemble=False can be explained exactly")
        calibrated = model.calibrated_classifiers_[0]
        sigmoid = calibrated.calibrators[0]
        # sklearn's sigmoid: p = 1 / (1 + exp(a * f + b)), so logit(p) = -a * f - b.
        scale, offset = -float(sigmoid.a_), -float(sigmoid.b_)
        model = calibrated.estimator
    if isinstance(model, ScoreBlend):
        parts = [
            _Part(est, float(w), name)
            for (name, _), est, w in zip(model.estimators, model.estimators_, model.weights_, strict=True)
        ]
    else:
        parts = [_Part(model, 1.0, type(model[-1] if hasattr(model, "steps") else model).__name__)]
    return parts, scale, offset


def _weighted_score(parts: list[_Part]) -> Callable[[pd.DataFrame], np.ndarray]:
    """The weighted sum of these parts' scores, as one function of a feature table."""

    def score(table: pd.DataFrame) -> np.ndarray:
        total = np.zeros(len(table))
        for part in parts:
            total += part.weight * component_score(part.estimator, table)
        return total

    return score


def _method(estimator: Any) -> str:
    if not hasattr(estimator, "steps"):
        return SAMPLED
    final = estimator[-1]
    if type(final).__name__ == "LogisticRegression":
        return EXACT
    if hasattr(final, "booster_") or type(final).__name__ == "HistGradientBoostingClassifier":
        return TREE
    return SAMPLED


def _explain_exact(estimator: Any, method: str, X: pd.DataFrame, background: pd.DataFrame) -> tuple[np.ndarray, float]:
    """Contributions of a linear or boosted pipeline, summed back to the source features."""
    if method == EXACT:
        return _linear_contributions(estimator, X, background)
    prepare, final = estimator[:-1], estimator[-1]
    transformed = np.asarray(prepare.transform(X), dtype=float)
    to_source = _source_matrix(list(prepare.get_feature_names_out()), list(X.columns))
    # Path-dependent TreeSHAP (the trees' own cover as background): milliseconds, where the
    # interventional variant over the background sample takes seconds for the same ranking.
    if hasattr(final, "booster_"):
        raw = final.predict(transformed, pred_contrib=True)
        detailed, base = raw[:, :-1], float(raw[0, -1])
    else:
        explainer = _shap().TreeExplainer(final)
        detailed = np.asarray(explainer.shap_values(transformed), dtype=float)
        base = float(np.ravel(explainer.expected_value)[0])
    return detailed @ to_source, base


def _shap() -> Any:
    """The shap module, imported without the PendingDeprecationWarning its plotting code triggers in
    matplotlib at import time (shap's to fix, harmless here: oneclick draws nothing with shap)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="shap")
        import shap
    return shap


def _linear_contributions(estimator: Any, X: pd.DataFrame, background: pd.DataFrame) -> tuple[np.ndarray, float]:
    """Exact interventional Shapley values of a logistic regression on columns and pairwise products.

    The log-odds are ``b + sum_t beta_t * m_t(x)``, each term ``m_t`` a column or the product of two.
    A term of one feature gives it ``beta_t * (m_t(x) - mean m_t)``; a product of two features'
    columns ``u * v`` is a two-player game, split by Shapley's formula over the background.
    """
    steps = estimator.named_steps
    prepare = estimator[0]
    columns, reference = np.asarray(prepare.transform(X), float), np.asarray(prepare.transform(background), float)
    names = np.asarray(prepare.get_feature_names_out())
    if "select" in steps:
        keep = steps["select"].get_support()
        columns, reference, names = columns[:, keep], reference[:, keep], names[keep]
    model = steps["model"]
    coef, intercept = model.coef_.ravel(), float(model.intercept_[0])
    powers = np.eye(columns.shape[1], dtype=int)
    if "pairs" in steps:
        powers = steps["pairs"].powers_
        coef = coef / steps["rescale"].scale_
        intercept -= float(coef @ steps["rescale"].mean_)
    source = _source_matrix(list(names), list(X.columns)).argmax(axis=1)
    contributions = np.zeros((len(X), X.shape[1]))
    base = intercept
    for beta, power in zip(coef, powers, strict=True):
        used = np.flatnonzero(power)
        term, term_reference = _monomial(columns[:, used], power[used]), _monomial(reference[:, used], power[used])
        base += beta * term_reference.mean()
        owners = np.unique(source[used])
        if len(owners) == 1:
            contributions[:, owners[0]] += beta * (term - term_reference.mean())
            continue
        u, v = columns[:, used[0]], columns[:, used[1]]
        u_mean, v_mean = reference[:, used[0]].mean(), reference[:, used[1]].mean()
        alone_u, alone_v, none = u * v_mean, u_mean * v, term_reference.mean()
        contributions[:, source[used[0]]] += beta * 0.5 * ((alone_u - none) + (term - alone_v))
        contributions[:, source[used[1]]] += beta * 0.5 * ((alone_v - none) + (term - alone_u))
    return contributions, float(base)


def _monomial(columns: np.ndarray, power: np.ndarray) -> np.ndarray:
    """The product of ``columns`` raised to ``power``; callers pass only a term's own columns (a
    power of 0 is a factor of exactly 1), not every column of the transformed table."""
    return np.prod(columns ** power[None, :], axis=1)


def _source_matrix(names: list[str], features: list[str]) -> np.ndarray:
    """(transformed columns x features) 0/1 matrix: which feature each transformed column comes from."""
    matrix = np.zeros((len(names), len(features)))
    for row, name in enumerate(names):
        matches = [f for f in features if name == f or name.startswith((f"{f}=", f"{f}_"))]
        if not matches:
            raise ModelArtifactError(f"cannot tell which feature the model column {name!r} comes from")
        matrix[row, features.index(max(matches, key=len))] = 1.0
    return matrix
