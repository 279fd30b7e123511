"""Campaigns: contact rules, control groups, CRM exports, the uplift a campaign measured, the uplift model."""

from oneclick.campaigns.catalogue_update import shrunk_uplift, updated_catalogue
from oneclick.campaigns.control import ControlSettings, draw_control, minimum_detectable_uplift, size_strata
from oneclick.campaigns.crm import write_exports
from oneclick.campaigns.outcome import evaluate_campaign
from oneclick.campaigns.plan import CampaignPlanResult, find_run, make_plan
from oneclick.campaigns.rules import RULE_NAMES, ContactRules, RuledValues, apply_rules, one_row_per_customer
from oneclick.campaigns.stratified import Stratum, measure_stratified
from oneclick.campaigns.uplift import UPLIFT_DEFINITION, VERDICT_RULE, measure_uplift, verdict_of
from oneclick.campaigns.uplift_model import compare_uplift_model

__all__ = [
    "RULE_NAMES",
    "UPLIFT_DEFINITION",
    "VERDICT_RULE",
    "CampaignPlanResult",
    "ContactRules",
    "ControlSettings",
    "RuledValues",
    "Stratum",
    "apply_rules",
    "compare_uplift_model",
    "draw_control",
    "evaluate_campaign",
    "find_run",
    "make_plan",
    "measure_stratified",
    "measure_uplift",
    "minimum_detectable_uplift",
    "one_row_per_customer",
    "shrunk_uplift",
    "size_strata",
    "updated_catalogue",
    "verdict_of",
    "write_exports",
]
