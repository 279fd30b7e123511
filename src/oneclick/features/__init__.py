"""The customer feature table and the four feature groups."""

from oneclick.features.build import LABEL, PROFIT, build_customer_table, build_features
from oneclick.features.groups import FEATURE_GROUPS, FEATURES, GROUP_LABELS, features_in_group

__all__ = [
    "FEATURES",
    "FEATURE_GROUPS",
    "GROUP_LABELS",
    "LABEL",
    "PROFIT",
    "build_customer_table",
    "build_features",
    "features_in_group",
]
