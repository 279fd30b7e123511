"""The campaign at a budget over the served run's customers: the library's plan, curve and totals.

Each customer's offer values (eligibility, cost, expected saved profit of every offer) are
computed once per snapshot, by the rules the run's offers were chosen by; a budget then costs
one exact plan and its profit curve (``oneclick.offers.campaign_for``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from oneclick.batch import assign_batch_segments
from oneclick.features.build import typed_customer_table
from oneclick.offers import CampaignPlan, OfferValues, campaign_rows, offer_values, plan_campaign, solver_for
from oneclick.segments.assign import scoring_table
from oneclick.serve.snapshot import Snapshot

# Plans kept per snapshot, by budget. The plan is exact (as `oneclick offers` solves it), which at some
# budgets takes HiGHS seconds to prove; a time limit would make the answer depend on the machine's load,
# so a budget asked again is answered from here instead.
KEPT_PLANS = 256


@dataclass(frozen=True)
class RunOfferValues:
    values: OfferValues
    primary_segment: pd.Series  # customer id -> primary segment


# Keyed by the snapshot's copy (a new file per snapshot, unlike id(), which Python reuses).
_values: dict[Path, RunOfferValues] = {}
_plans: OrderedDict[tuple[Path, float | None], CampaignPlan] = OrderedDict()
_lock = threading.Lock()


def run_offer_values(snapshot: Snapshot) -> RunOfferValues:
    """Every customer's offer values in the served run (computed once per snapshot)."""
    with _lock:
        found = _values.get(snapshot.copy.path)
        if found is None:
            customers = typed_customer_table(snapshot.query("SELECT * FROM customers ORDER BY customer_id"))
            probability = snapshot.query("SELECT customer_id, decline_probability FROM scores").set_index(
                "customer_id"
            )["decline_probability"]
            scoring = scoring_table(customers, probability)
            rules = snapshot.rules
            membership, primary, _ = assign_batch_segments(scoring, rules.scheme, rules.thresholds)
            values = offer_values(scoring, rules.catalogue, rules.thresholds, membership)
            found = RunOfferValues(values, pd.Series(primary, index=scoring.index, name="segment"))
            _values.clear()  # one snapshot is served at a time
            _plans.clear()
            _values[snapshot.copy.path] = found
        return found


def _plan(snapshot: Snapshot, run: RunOfferValues, budget: float | None) -> tuple[CampaignPlan, int]:
    catalogue = snapshot.rules.catalogue
    solver, n_candidates = solver_for(run.values, catalogue)
    key = (snapshot.copy.path, budget)
    with _lock:
        plan = _plans.get(key)
    if plan is None:
        plan = plan_campaign(
            run.values.expected_saved_profit,
            run.values.cost,
            budget,
            minimum=catalogue.min_expected_saved_profit,
            method=solver,
        )
        with _lock:
            _plans[key] = plan
            while len(_plans) > KEPT_PLANS:
                _plans.popitem(last=False)
    return plan, n_candidates


def campaign_at(snapshot: Snapshot, budget: float | None) -> dict[str, Any]:
    """The optimal plan within ``budget`` (None: no limit), its customers, per-segment totals, and
    the run's profit curve (solved by the run at its budgets) with this plan's point on it."""
    run = run_offer_values(snapshot)
    plan, n_candidates = _plan(snapshot, run, budget)
    curve = snapshot.query("SELECT * FROM profit_curve ORDER BY budget") if snapshot.has_table("profit_curve") else None
    rows = campaign_rows(plan, run.values)
    rows["segment"] = run.primary_segment.reindex(rows["customer_id"]).to_numpy()
    by_segment = (
        rows.groupby("segment", observed=True)
        .agg(
            n_customers=("customer_id", "size"),
            cost=("cost", "sum"),
            expected_saved_profit=("expected_saved_profit", "sum"),
        )
        .reset_index()
        .sort_values("expected_saved_profit", ascending=False)
    )
    return {
        "plan": plan.as_dict() | {"n_candidate_pairs": n_candidates},
        "customers": rows,
        "by_segment": by_segment,
        "profit_curve": curve,
    }
