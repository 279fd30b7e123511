"""The campaign at a budget over the served run's customers: the library's plan, curve and totals.

Each customer's offer values (eligibility, cost, expected saved profit of every offer) are
computed once per snapshot, by the rules the run's offers were chosen by; a budget then costs
one exact plan and its profit curve (``oneclick.offers.campaign_for``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd

from oneclick.batch import assign_batch_segments
from oneclick.features.build import typed_customer_table
from oneclick.offers import OfferValues, campaign_rows, offer_values, plan_campaign, solver_for
from oneclick.segments.assign import scoring_table
from oneclick.serve.snapshot import Snapshot


@dataclass(frozen=True)
class RunOfferValues:
    values: OfferValues
    primary_segment: pd.Series  # customer id -> primary segment


_cache: dict[int, RunOfferValues] = {}
_lock = threading.Lock()


def run_offer_values(snapshot: Snapshot) -> RunOfferValues:
    """Every customer's offer values in the served run (computed once per snapshot)."""
    with _lock:
        found = _cache.get(id(snapshot))
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
            _cache.clear()  # one snapshot is served at a time
            _cache[id(snapshot)] = found
        return found


def campaign_at(snapshot: Snapshot, budget: float | None) -> dict[str, Any]:
    """The optimal plan within ``budget`` (None: no limit), its customers, per-segment totals, and
    the run's profit curve (solved by the run at its budgets) with this plan's point on it."""
    run = run_offer_values(snapshot)
    catalogue = snapshot.rules.catalogue
    solver, n_candidates = solver_for(run.values, catalogue)
    plan = plan_campaign(
        run.values.expected_saved_profit,
        run.values.cost,
        budget,
        minimum=catalogue.min_expected_saved_profit,
        method=solver,
    )
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
