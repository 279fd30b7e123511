"""A feature table prepared once for a fitted model: its probability and its explanation from one preprocessing.

Each component of a blend preprocesses the table itself (its pipeline's first step: one-hot,
ordinal codes, scaling). For one customer that step is most of the cost of a prediction, and the
explanation needs it too: :func:`prepare_table` runs it once per component, :func:`decline_probability`
gives ``model.predict_proba(X)[:, 1]`` from it bit for bit, and :meth:`Explainer.explain
<oneclick.model.explain.Explainer.explain>` takes it.

>>> prepared = prepare_table(model, X)  # doctest: +SKIP
>>> probability = decline_probability(model, prepared)  # doctest: +SKIP
>>> explanation = explainer.explain(X, prepared.inputs)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.utils.validation import check_is_fitted

from oneclick.model.blend import ScoreBlend, check_columns, prepare_component
from oneclick.model.fast_prepare import FastPreparation


@dataclass(frozen=True)
class PreparedTable:
    """A feature table and, for each component of the model's blend (in order), its preprocessing of it.

    ``inputs`` is None for a model other than a blend, calibrated by a sigmoid or not: such a model
    is asked directly, and explained from the table.
    """

    table: pd.DataFrame
    inputs: tuple[Any, ...] | None

    def rows(self, wanted: np.ndarray) -> PreparedTable:
        """The customers where ``wanted`` (booleans, one per row) is true."""
        if wanted.all():
            return self
        positions = np.flatnonzero(wanted)
        if self.inputs is None:
            return PreparedTable(self.table.iloc[positions], None)
        inputs = tuple(i.iloc[positions] if isinstance(i, pd.DataFrame) else i[positions] for i in self.inputs)
        return PreparedTable(self.table.iloc[positions], inputs)


def prepare_table(model: Any, X: pd.DataFrame, fast: Sequence[FastPreparation | None] = ()) -> PreparedTable:
    """Each component's own preprocessing of ``X`` (:func:`~oneclick.model.blend.prepare_component`), once.

    ``fast``: per component, its preprocessing's fast form (:func:`~oneclick.model.fast_prepare.fast_preparations`,
    the same numbers), or None. Raises :class:`~oneclick.errors.InputDataError` when ``X``'s columns
    differ from the ones the blend was fitted on, as ``predict_proba`` does.
    """
    _, blend = _calibration_and_blend(model)
    if blend is None:
        return PreparedTable(X, None)
    if not fast or len(fast) != len(blend.estimators_):
        return PreparedTable(X, tuple(blend.prepare(X)))
    check_is_fitted(blend)
    check_columns(X, blend.feature_names_in_, "ScoreBlend")
    inputs = (
        step.transform(X) if step is not None else prepare_component(estimator, X)
        for step, estimator in zip(fast, blend.estimators_, strict=True)
    )
    return PreparedTable(X, tuple(inputs))


def blend_components(model: Any) -> list[Any]:
    """The components of the model's blend (under its calibration, if any), in order; [] for another model."""
    _, blend = _calibration_and_blend(model)
    return [] if blend is None else list(blend.estimators_)


def decline_probability(model: Any, prepared: PreparedTable) -> np.ndarray:
    """``model.predict_proba(prepared.table)[:, 1]``, bit for bit, without preprocessing the table again.

    A blend's probability is the sigmoid of its log-odds; a calibrated blend's is its sigmoid
    calibrator's map of them, as scikit-learn's ``CalibratedClassifierCV`` computes it when it holds
    one calibrated classifier (a test holds the two equal). Any other model is asked directly.
    """
    calibration, blend = _calibration_and_blend(model)
    if blend is None or prepared.inputs is None:
        return np.asarray(model.predict_proba(prepared.table)[:, 1])
    log_odds = blend.prepared_decision(prepared.inputs)
    if calibration is None:
        return np.asarray(expit(log_odds))
    return np.asarray(calibration.calibrators[0].predict(log_odds))


def _calibration_and_blend(model: Any) -> tuple[Any, ScoreBlend | None]:
    """The sigmoid calibration (one calibrated classifier, ``ensemble=False``) and the blend it maps, if so."""
    if isinstance(model, ScoreBlend):
        return None, model
    if (
        isinstance(model, CalibratedClassifierCV)
        and model.method == "sigmoid"
        and len(getattr(model, "calibrated_classifiers_", ())) == 1
        and isinstance(model.calibrated_classifiers_[0].estimator, ScoreBlend)
        and len(model.calibrated_classifiers_[0].calibrators) == 1
    ):
        calibrated = model.calibrated_classifiers_[0]
        return calibrated, calibrated.estimator
    return None, None
