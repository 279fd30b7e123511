"""Campaigns: contact rules, control groups, the plan for a run and its CRM exports."""
