"""The decline model: candidate pipelines, search, honest evaluation, explanation, safe artifacts, scoring.

>>> model = select_model(X, y, seed=0)  # doctest: +SKIP
>>> result = train_model(X, y)  # doctest: +SKIP
>>> paths = save_model(result.model, out, metrics=result.metrics, background=result.background, X=X)  # doctest: +SKIP
>>> scores = score_customers(load_model(out), X)  # doctest: +SKIP
"""

from oneclick.model.artifacts import LoadedModel, check_schema, load_model, save_model
from oneclick.model.blend import ScoreBlend
from oneclick.model.candidates import FAMILY_NAMES, build_pipeline
from oneclick.model.drivers import describe_driver, feature_importance, group_importance, top_drivers
from oneclick.model.explain import Explanation, background_sample, explain
from oneclick.model.score import score_customers
from oneclick.model.select import SelectedModel, fit_selected, select_model
from oneclick.model.train import TrainResult, train_model

__all__ = [
    "FAMILY_NAMES",
    "Explanation",
    "LoadedModel",
    "ScoreBlend",
    "SelectedModel",
    "TrainResult",
    "background_sample",
    "build_pipeline",
    "check_schema",
    "describe_driver",
    "explain",
    "feature_importance",
    "fit_selected",
    "group_importance",
    "load_model",
    "save_model",
    "score_customers",
    "select_model",
    "top_drivers",
    "train_model",
]
