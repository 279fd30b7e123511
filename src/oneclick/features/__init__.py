"""The customer feature table and the four feature groups."""

from oneclick.features.build import LABEL, PROFIT, build_customer_table, build_features
from oneclick.features.derived import CHANGES, DERIVED_FEATURES
from oneclick.features.groups import (
    ACTIONABLE_FEATURES,
    FEATURE_GROUPS,
    FEATURE_NAMES,
    FEATURES,
    GROUP_LABELS,
    features_in_group,
)
from oneclick.features.inputs import InputField, customer_rows, input_fields

__all__ = [
    "ACTIONABLE_FEATURES",
    "CHANGES",
    "DERIVED_FEATURES",
    "FEATURES",
    "FEATURE_GROUPS",
    "FEATURE_NAMES",
    "GROUP_LABELS",
    "LABEL",
    "PROFIT",
    "InputField",
    "build_customer_table",
    "build_features",
    "customer_rows",
    "features_in_group",
    "input_fields",
]
