"""oneclick: keep the regular customers of «В один клик» buying.

>>> import oneclick
>>> tables = oneclick.load_tables("../shared/data/one_click")  # doctest: +SKIP
>>> X, y = oneclick.build_features(tables)  # doctest: +SKIP
"""

from oneclick.errors import ConfigError, InputDataError, ModelArtifactError, OneClickError
from oneclick.features import FEATURE_GROUPS, build_customer_table, build_features
from oneclick.ingest import DataQuality, StoreTables, load_tables

__all__ = [
    "FEATURE_GROUPS",
    "ConfigError",
    "DataQuality",
    "InputDataError",
    "ModelArtifactError",
    "OneClickError",
    "StoreTables",
    "build_customer_table",
    "build_features",
    "load_tables",
]
__version__ = "0.1.0"
