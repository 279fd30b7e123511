"""oneclick: keep the regular customers of «В один клик» buying.

>>> import oneclick
>>> tables = oneclick.load_tables("../shared/data/one_click")  # doctest: +SKIP
>>> X, y = oneclick.build_features(tables)  # doctest: +SKIP
>>> model = oneclick.select_model(X, y, seed=0)  # doctest: +SKIP
>>> model.predict_proba(X)[:, 1]  # doctest: +SKIP
"""

from typing import Any

from oneclick.errors import ConfigError, InputDataError, ModelArtifactError, OneClickError
from oneclick.features import FEATURE_GROUPS, build_customer_table, build_features
from oneclick.ingest import DataQuality, StoreTables, load_tables

# The model API loads scikit-learn, LightGBM and Optuna: only when first used (keeps `oneclick --help` fast).
_MODEL_API = (
    "LoadedModel",
    "ScoreBlend",
    "TrainResult",
    "explain",
    "load_model",
    "save_model",
    "score_customers",
    "select_model",
    "train_model",
)

__all__ = [
    "FEATURE_GROUPS",
    "ConfigError",
    "DataQuality",
    "InputDataError",
    "LoadedModel",
    "ModelArtifactError",
    "OneClickError",
    "ScoreBlend",
    "StoreTables",
    "TrainResult",
    "build_customer_table",
    "build_features",
    "explain",
    "load_model",
    "load_tables",
    "save_model",
    "score_customers",
    "select_model",
    "train_model",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _MODEL_API:
        import oneclick.model

        return getattr(oneclick.model, name)
    raise AttributeError(f"module 'oneclick' has no attribute {name!r}")
