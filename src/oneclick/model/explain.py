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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.utils.validation import check_is_fitted

from oneclick.errors import ModelArtifactError
from oneclick.model.blend import ScoreBlend, component_score, prepare_component
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
    model: Any,
    X: pd.DataFrame,
    background: pd.DataFrame,
    *,
    n_permutations: int = 16,
    seed: int = 0,
    prepared: Sequence[Any] | None = None,
) -> Explanation:
    """Explain ``model``'s predictions on ``X``; ``background`` stands for "an average customer".

    ``background`` is a sample of the training table (see :func:`background_sample`). To explain
    many tables with one model, make an :class:`Explainer` once. ``prepared``: see :meth:`Explainer.explain`.
    """
    return Explainer(model, background, n_permutations=n_permutations, seed=seed).explain(X, prepared)


class Explainer:
    """The explanation of one fitted model against one background sample, set up once.

    What depends on the model and the background alone (the parts of a blend, the background's
    preprocessed columns, each linear term's mean over it, which feature each model column comes
    from, a TreeSHAP explainer) is worked out at the first table and kept: explaining one customer
    then costs little more than the customer's own preprocessing. The model must not be refitted
    while its explainer is in use. A :class:`~oneclick.model.artifacts.LoadedModel` keeps one.
    """

    def __init__(self, model: Any, background: pd.DataFrame, *, n_permutations: int = 16, seed: int = 0) -> None:
        self.model, self.background = model, background
        self.n_permutations, self.seed = n_permutations, seed
        self.parts, self.scale, self.offset = _decompose(model)
        self.methods = [_method(part.estimator) for part in self.parts]
        # per part and order of the explained table's columns (threads may fill an entry twice, the same way)
        self._setups: dict[tuple[int, tuple[str, ...]], _LinearTerms | _TreeSetup] = {}

    def explain(self, X: pd.DataFrame, prepared: Sequence[Any] | None = None) -> Explanation:
        """Contributions of each feature of ``X`` to each customer's log-odds.

        ``prepared``: for each part of the model (a blend's components, in order),
        :func:`~oneclick.model.blend.prepare_component` of ``X``, when already computed for the
        probability (:func:`oneclick.model.prepared.prepare_table`): it is not computed again.
        """
        contributions = np.zeros((len(X), X.shape[1]))
        base, methods = 0.0, {}
        features = tuple(X.columns)
        if prepared is not None and len(prepared) != len(self.parts):
            raise ValueError(f"{len(prepared)} prepared inputs for a model of {len(self.parts)} parts")
        sampled = [part for part, method in zip(self.parts, self.methods, strict=True) if method == SAMPLED]
        for position, (part, method) in enumerate(zip(self.parts, self.methods, strict=True)):
            if method == SAMPLED:
                continue
            columns = prepared[position] if prepared is not None else prepare_component(part.estimator, X)
            setup = self._setup(position, features)
            if isinstance(setup, _LinearTerms):
                part_contributions, part_base = setup.contributions(np.asarray(columns, float), len(features))
            else:
                part_contributions, part_base = setup.contributions(columns)
            contributions += part.weight * part_contributions
            base += part.weight * part_base
            methods[part.name] = method
        if sampled:
            part_contributions, part_base = sampled_shapley(
                _weighted_score(sampled), X, self.background, n_permutations=self.n_permutations, seed=self.seed
            )
            contributions += part_contributions
            base += part_base
            methods.update({part.name: SAMPLED for part in sampled})
        frame = pd.DataFrame(self.scale * contributions, index=X.index, columns=X.columns)
        base_value = self.scale * base + self.offset
        logit = pd.Series(base_value + frame.sum(axis=1).to_numpy(), index=X.index, name="logit")
        return Explanation(frame, float(base_value), logit, methods)

    def _setup(self, position: int, features: tuple[str, ...]) -> _LinearTerms | _TreeSetup:
        key = (position, features)
        setup = self._setups.get(key)
        if setup is None:
            estimator = self.parts[position].estimator
            if self.methods[position] == EXACT:
                setup = _LinearTerms.of(estimator, self.background, list(features))
            else:
                setup = _TreeSetup.of(estimator, list(features))
            self._setups[key] = setup
        return setup


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


@dataclass(frozen=True)
class _TreeSetup:
    """A boosted pipeline's TreeSHAP, with the map of its model columns to the explained table's features."""

    final: Any
    between: Any  # the pipeline's steps between its first and the model, if any
    to_source: np.ndarray
    tree_explainer: Any  # SHAP's, for scikit-learn's boosting (LightGBM explains itself)

    @classmethod
    def of(cls, estimator: Any, features: list[str]) -> _TreeSetup:
        prepare, final = estimator[:-1], estimator[-1]
        to_source = _source_matrix(list(prepare.get_feature_names_out()), features)
        between = estimator[1:-1] if len(estimator) > 2 else None
        return cls(final, between, to_source, None if hasattr(final, "booster_") else _shap().TreeExplainer(final))

    def contributions(self, prepared: Any) -> tuple[np.ndarray, float]:
        """Contributions summed back to the source features, from the pipeline's first step's output."""
        transformed = np.asarray(self.between.transform(prepared) if self.between else prepared, dtype=float)
        # Path-dependent TreeSHAP (the trees' own cover as background): milliseconds, where the
        # interventional variant over the background sample takes seconds for the same ranking.
        if self.tree_explainer is None:
            raw = self.final.predict(transformed, pred_contrib=True)
            detailed, base = raw[:, :-1], float(raw[0, -1])
        else:
            detailed = np.asarray(self.tree_explainer.shap_values(transformed), dtype=float)
            base = float(np.ravel(self.tree_explainer.expected_value)[0])
        return detailed @ self.to_source, base


def _shap() -> Any:
    """The shap module, imported without the PendingDeprecationWarning its plotting code triggers in
    matplotlib at import time (shap's to fix, harmless here: oneclick draws nothing with shap)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="shap")
        import shap
    return shap


@dataclass(frozen=True)
class _Term:
    """One term ``beta * m(x)`` of a logistic regression on columns and pairwise products of columns."""

    beta: float
    used: np.ndarray  # the term's columns
    power: np.ndarray  # their powers
    mean: float  # of the term over the background
    owners: tuple[int, ...]  # feature of the term's first column, and of its second when it is another's
    column_means: tuple[float, ...] = ()  # of the two columns of a product of two features, over the background


@dataclass(frozen=True)
class _LinearTerms:
    """A logistic regression's terms with what the background contributes to each, worked out once."""

    keep: np.ndarray | None  # the columns a selection step keeps
    terms: tuple[_Term, ...]
    base: float

    @classmethod
    def of(cls, estimator: Any, background: pd.DataFrame, features: list[str]) -> _LinearTerms:
        steps = estimator.named_steps
        prepare = estimator[0]
        reference = np.asarray(prepare.transform(background), float)
        names = np.asarray(prepare.get_feature_names_out())
        keep = None
        if "select" in steps:
            keep = steps["select"].get_support()
            reference, names = reference[:, keep], names[keep]
        model = steps["model"]
        coef, intercept = model.coef_.ravel(), float(model.intercept_[0])
        powers = np.eye(reference.shape[1], dtype=int)
        if "pairs" in steps:
            powers = steps["pairs"].powers_
            coef = coef / steps["rescale"].scale_
            intercept -= float(coef @ steps["rescale"].mean_)
        source = _source_matrix(list(names), features).argmax(axis=1)
        terms, base = [], intercept
        for beta, power in zip(coef, powers, strict=True):
            used = np.flatnonzero(power)
            term_reference = _monomial(reference[:, used], power[used])
            base += beta * term_reference.mean()
            owners = np.unique(source[used])
            if len(owners) == 1:
                terms.append(_Term(beta, used, power[used], term_reference.mean(), (int(owners[0]),)))
                continue
            means = (reference[:, used[0]].mean(), reference[:, used[1]].mean())
            owned = (int(source[used[0]]), int(source[used[1]]))
            terms.append(_Term(beta, used, power[used], term_reference.mean(), owned, means))
        return cls(keep, tuple(terms), float(base))

    def contributions(self, prepared: np.ndarray, n_features: int) -> tuple[np.ndarray, float]:
        """Exact interventional Shapley values from the preprocessing's output (the pipeline's first step).

        The log-odds are ``b + sum_t beta_t * m_t(x)``, each term ``m_t`` a column or the product of
        two. A term of one feature gives it ``beta_t * (m_t(x) - mean m_t)``; a product of two
        features' columns ``u * v`` is a two-player game, split by Shapley's formula over the background.
        """
        columns = prepared[:, self.keep] if self.keep is not None else prepared
        contributions = np.zeros((len(columns), n_features))
        for term in self.terms:
            value = _monomial(columns[:, term.used], term.power)
            if not term.column_means:
                contributions[:, term.owners[0]] += term.beta * (value - term.mean)
                continue
            u, v = columns[:, term.used[0]], columns[:, term.used[1]]
            u_mean, v_mean = term.column_means
            alone_u, alone_v, none = u * v_mean, u_mean * v, term.mean
            contributions[:, term.owners[0]] += term.beta * 0.5 * ((alone_u - none) + (value - alone_v))
            contributions[:, term.owners[1]] += term.beta * 0.5 * ((alone_v - none) + (value - alone_u))
        return contributions, self.base


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
