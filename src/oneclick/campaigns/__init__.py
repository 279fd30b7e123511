"""Campaigns: contact rules, control groups, the plan for a run and its CRM exports."""

from oneclick.campaigns.control import ControlSettings, draw_control, minimum_detectable_uplift, size_strata
from oneclick.campaigns.crm import write_exports
from oneclick.campaigns.rules import RULE_NAMES, ContactRules, RuledValues, apply_rules, one_row_per_customer

__all__ = [
    "RULE_NAMES",
    "ContactRules",
    "ControlSettings",
    "RuledValues",
    "apply_rules",
    "draw_control",
    "minimum_detectable_uplift",
    "one_row_per_customer",
    "size_strata",
    "write_exports",
]
