"""A weighted sum of model scores on the log-odds scale: one estimator, several families.

Each component says how likely a decline is on its own scale: log-odds for logistic
regression and boosting, the margin for an SVC, the logit of a (clipped) vote share for
k-NN and a decision tree. The blend adds them with weights, so its explanation is the
same weighted sum of the components' explanations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_is_fitted

from oneclick.errors import InputDataError

# A vote share of 0 or 1 among ~30 neighbours is not certainty: clip it before taking the logit.
DEFAULT_PROBA_CLIP = 0.01


def component_score(estimator: Any, X: pd.DataFrame, proba_clip: float = DEFAULT_PROBA_CLIP) -> np.ndarray:
    """The score of one fitted classifier (or pipeline) on the log-odds scale, one value per row.

    ``decision_function`` when the model has one (logistic regression, SVC, histogram boosting),
    LightGBM's raw score, otherwise the logit of ``predict_proba`` clipped to ``[clip, 1 - clip]``.
    """
    return prepared_score(estimator, prepare_component(estimator, X), proba_clip)


def prepare_component(estimator: Any, X: Any) -> Any:
    """A component's own preprocessing of ``X``: its pipeline's first step (``X`` itself for a bare model).

    On one customer that step (one-hot, ordinal codes, scaling: a ``ColumnTransformer`` over a
    frame) is most of the cost of a score; the probability and the explanation can share it.
    """
    return estimator[0].transform(X) if hasattr(estimator, "steps") else X


def prepared_score(estimator: Any, prepared: Any, proba_clip: float = DEFAULT_PROBA_CLIP) -> np.ndarray:
    """:func:`component_score` from ``prepare_component(estimator, X)``: the same numbers, bit for bit."""
    if hasattr(estimator, "steps"):
        estimator = estimator[1:] if len(estimator) > 2 else estimator[-1]
    final = estimator[-1] if hasattr(estimator, "steps") else estimator
    if hasattr(final, "booster_"):
        features = estimator[:-1].transform(prepared) if hasattr(estimator, "steps") else prepared
        return np.asarray(final.predict(features, raw_score=True), dtype=float)
    if hasattr(final, "decision_function"):
        return np.asarray(estimator.decision_function(prepared), dtype=float)
    share = estimator.predict_proba(prepared)[:, 1]
    return np.asarray(logit(np.clip(share, proba_clip, 1.0 - proba_clip)), dtype=float)


def check_columns(X: Any, expected: np.ndarray, where: str) -> None:
    """Refuse a table whose columns differ from the ones seen in ``fit``, naming the difference."""
    if not isinstance(X, pd.DataFrame):
        raise InputDataError(f"{where}: expected a pandas DataFrame from build_features, got {type(X).__name__}")
    seen, found = list(expected), list(X.columns)
    if seen == found:
        return
    missing = [name for name in seen if name not in found]
    extra = [name for name in found if name not in seen]
    detail = f"missing {missing}, unexpected {extra}" if missing or extra else "same columns in another order"
    raise InputDataError(f"{where}: the columns differ from those seen in fit: {detail}")


class ScoreBlend(ClassifierMixin, BaseEstimator):
    """Weighted sum of component scores (log-odds scale); probability = sigmoid of the sum.

    Parameters
    ----------
    estimators : list of (name, estimator)
        Binary classifiers taking the same feature table.
    weights : list of float, optional
        Weight of each component's score; equal weights of 1 when omitted.
    proba_clip : float
        Vote shares of components without a score are clipped to ``[clip, 1 - clip]``.

    >>> blend = ScoreBlend([("logreg", build_pipeline("logreg", default_params("logreg")))])  # doctest: +SKIP
    >>> blend.fit(X, y).predict_proba(X)[:, 1]  # doctest: +SKIP
    """

    def __init__(
        self,
        estimators: Sequence[tuple[str, Any]],
        weights: Sequence[float] | None = None,
        proba_clip: float = DEFAULT_PROBA_CLIP,
    ) -> None:
        self.estimators = estimators
        self.weights = weights
        self.proba_clip = proba_clip

    def fit(self, X: pd.DataFrame, y: Any) -> ScoreBlend:
        """Fit every component on ``X``, ``y`` (binary labels); returns ``self``."""
        self._validate_settings()
        if not isinstance(X, pd.DataFrame):
            raise InputDataError(
                f"ScoreBlend.fit: expected a pandas DataFrame from build_features, got {type(X).__name__}"
            )
        self.classes_ = unique_labels(y)
        if len(self.classes_) != 2:
            raise InputDataError(f"ScoreBlend.fit: expected two classes in y, found {list(self.classes_)}")
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        self.estimators_ = [clone(estimator).fit(X, y) for _, estimator in self.estimators]
        weights = np.ones(len(self.estimators)) if self.weights is None else np.asarray(self.weights, float)
        self.weights_ = weights
        return self

    def _validate_settings(self) -> None:
        if not self.estimators:
            raise ValueError("ScoreBlend: estimators is empty; give at least one (name, estimator) pair")
        if self.weights is not None and len(self.weights) != len(self.estimators):
            raise ValueError(f"ScoreBlend: {len(self.weights)} weights for {len(self.estimators)} estimators")
        if not 0.0 < self.proba_clip < 0.5:
            raise ValueError(f"ScoreBlend: proba_clip={self.proba_clip}; expected a share in (0, 0.5)")

    def component_scores(self, X: pd.DataFrame) -> np.ndarray:
        """Unweighted scores of each component, shape (n_rows, n_components)."""
        return self._scores(self.prepare(X))

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Weighted sum of the component scores: the blend's log-odds of a decline."""
        return self.prepared_decision(self.prepare(X))

    def prepare(self, X: pd.DataFrame) -> list[Any]:
        """Each component's own preprocessing of ``X`` (:func:`prepare_component`), in order."""
        check_is_fitted(self)
        check_columns(X, self.feature_names_in_, "ScoreBlend")
        return [prepare_component(estimator, X) for estimator in self.estimators_]

    def prepared_decision(self, prepared: Sequence[Any]) -> np.ndarray:
        """:meth:`decision_function` from :meth:`prepare`'s output, without preprocessing again."""
        return self._scores(prepared) @ self.weights_

    def _scores(self, prepared: Sequence[Any]) -> np.ndarray:
        if len(prepared) != len(self.estimators_):
            raise ValueError(f"ScoreBlend: {len(prepared)} prepared inputs for {len(self.estimators_)} components")
        scores = [prepared_score(e, p, self.proba_clip) for e, p in zip(self.estimators_, prepared, strict=True)]
        return np.column_stack(scores)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of each class; column 1 is the probability of a decline."""
        positive = expit(self.decision_function(X))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The class with the higher probability (threshold 0.5)."""
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    @property
    def names(self) -> list[str]:
        """Names of the components, in order."""
        return [name for name, _ in self.estimators]
