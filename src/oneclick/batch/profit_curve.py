"""The profit curve of a batch campaign: expected saved profit against budget, from one pass over the steps.

The batch campaign (:mod:`oneclick.batch.campaign`) takes the steps of every customer's upper
hull of (cost, saving) best rate first while the budget lasts. Along that one ordering the
cumulative (spent, saved) is the greedy plan at every budget, so the curve is that ordering cut at
the budgets ``offers.profit_curve`` uses (``n_points`` from 0 to the cost of every customer's best
offer, and the campaign's budget), with the same columns. Sorting every step is not needed: the
steps are summed by bucket of efficiency in one pass, whole buckets are taken, and only the bucket
where a budget runs out is sorted (as ``campaign.sql`` orders the steps) to find the cut. The
upper bound adds the affordable share of the first step left out, as ``campaign_bound.sql`` does.
The method is the campaign's (LP greedy); ``oneclick.offers.profit_curve`` solves a MILP per budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from oneclick.batch.campaign import CampaignSummary
from oneclick.batch.queries import load_sql
from oneclick.errors import ConfigError
from oneclick.ingest.sqltext import literal
from oneclick.offers.campaign import NOT_BINDING

METHOD = "LP greedy: at each budget, the best-rate steps of the customers' upper hulls of offers"
STATUS = "near-optimal: LP greedy, within one step of the LP bound"
# 256 buckets per doubling of efficiency (0.3 % wide); steps of no cost (infinite efficiency) come first.
_BUCKET = "CASE WHEN isinf(efficiency) THEN 4611686018427387904 ELSE CAST(floor(log2(efficiency) * 256) AS BIGINT) END"
_READ_ROWS = 262_144  # steps of a bucket read at a time


@dataclass(frozen=True)
class _Point:
    spent: float
    saved: float
    n_customers: int
    partial: float  # the affordable share of the first step left out (the LP bound's extra)


def batch_profit_curve(
    connection: duckdb.DuckDBPyConnection,
    candidates: str,
    *,
    n_points: int,
    campaign: CampaignSummary | None = None,
) -> pd.DataFrame:
    """``budget``, ``expected_saved_profit``, ``spent``, ``n_customers``, ``upper_bound``, ``status`` per budget.

    ``candidates``: the campaign's steps (a Parquet glob, see :func:`oneclick.batch.score.score_batch`);
    ``campaign``: the plan at its budget, which is the curve's point at that budget.
    """
    if n_points < 2:
        raise ConfigError(f"profit curve: n_points={n_points}; expected at least 2")
    source = literal(candidates)
    buckets = connection.execute(load_sql("profit_curve").format(bucket=_BUCKET, candidates=source)).df()
    full_spent, full_saved, full_n = (
        float(buckets["cost"].sum()),
        float(buckets["saved"].sum()),
        buckets["n_first"].sum(),
    )
    extra = [campaign.budget] if campaign is not None and 0 <= campaign.budget <= full_spent else []
    budgets = [float(b) for b in np.unique(np.r_[np.linspace(0.0, full_spent, n_points), extra])]
    points = _cuts(connection, source, buckets, [b for b in budgets if b < full_spent])
    rows = []
    for budget in budgets:
        if budget >= full_spent:  # the budget buys every customer's best offer: the plan of no limit
            rows.append(_row(budget, _Point(full_spent, full_saved, int(full_n), 0.0), NOT_BINDING))
        elif campaign is not None and budget == campaign.budget:
            bound = campaign.upper_bound - campaign.expected_saved_profit
            plan = _Point(campaign.spent, campaign.expected_saved_profit, campaign.n_customers, bound)
            rows.append(_row(budget, plan, STATUS))
        else:
            rows.append(_row(budget, points[budget], STATUS))
    return pd.DataFrame(rows)


def _cuts(
    connection: duckdb.DuckDBPyConnection, source: str, buckets: pd.DataFrame, budgets: list[float]
) -> dict[float, _Point]:
    """The greedy plan at each budget (each below the cost of everything): whole buckets, then a sorted one."""
    after = buckets[["cost", "saved", "n_first"]].cumsum()
    before = after.shift(1, fill_value=0)
    # Rounding may put a budget past the last bucket's sum: it then falls in the last bucket.
    position = np.minimum(np.searchsorted(after["cost"].to_numpy(), budgets, side="right"), len(buckets) - 1)
    walks = {}
    for k in np.unique(position):
        start = _Point(
            float(before["cost"].iloc[k]), float(before["saved"].iloc[k]), int(before["n_first"].iloc[k]), 0.0
        )
        inside = sorted(b for b, p in zip(budgets, position, strict=True) if p == k)
        walks[int(buckets["bucket"].iloc[k])] = _Walk(start, inside)
    if walks:
        values = ", ".join(str(bucket) for bucket in walks)
        query = load_sql("profit_curve_steps").format(bucket=_BUCKET, values=values, candidates=source)
        for batch in connection.sql(query).to_arrow_reader(_READ_ROWS):
            bucket = batch.column("bucket").to_numpy()
            for segment in np.split(np.arange(len(bucket)), np.flatnonzero(np.diff(bucket)) + 1):
                if len(segment):
                    walks[int(bucket[segment[0]])].walk(batch, segment)
    return {budget: point for walk in walks.values() for budget, point in walk.finish().items()}


class _Walk:
    """One bucket's steps walked in the campaign's order from the plan before it; the cut at each budget."""

    def __init__(self, start: _Point, budgets: list[float]) -> None:
        self.spent, self.saved, self.n = start.spent, start.saved, start.n_customers
        self.waiting = list(budgets)
        self.found: dict[float, _Point] = {}

    def walk(self, batch: pa.RecordBatch, rows: np.ndarray) -> None:
        step = batch.column("step").to_numpy()[rows]
        cost, gain = batch.column("step_cost").to_numpy()[rows], batch.column("step_saved").to_numpy()[rows]
        cum_cost = self.spent + np.cumsum(cost)
        cum_saved, cum_n = self.saved + np.cumsum(gain), self.n + np.cumsum(step == 0)
        while self.waiting and self.waiting[0] < cum_cost[-1]:
            budget = self.waiting.pop(0)
            taken = int(np.searchsorted(cum_cost, budget, side="right"))  # the steps whose running cost fits
            at_cost = self.spent if taken == 0 else float(cum_cost[taken - 1])
            at_saved = self.saved if taken == 0 else float(cum_saved[taken - 1])
            at_n = self.n if taken == 0 else int(cum_n[taken - 1])
            # The first step left out costs more than 0 (a free step always fits).
            partial = float(gain[taken] * (budget - at_cost) / cost[taken])
            self.found[budget] = _Point(at_cost, at_saved, at_n, partial)
        self.spent, self.saved, self.n = float(cum_cost[-1]), float(cum_saved[-1]), int(cum_n[-1])

    def finish(self) -> dict[float, _Point]:
        """The plans found; budgets the bucket's sum rounded past buy all of it."""
        return self.found | {budget: _Point(self.spent, self.saved, self.n, 0.0) for budget in self.waiting}


def _row(budget: float, plan: _Point, status: str) -> dict[str, object]:
    return {
        "budget": budget,
        "expected_saved_profit": plan.saved,
        "spent": plan.spent,
        "n_customers": plan.n_customers,
        "upper_bound": plan.saved + plan.partial,
        "status": status,
    }
