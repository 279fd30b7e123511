"""Solvers of the campaign's multiple-choice knapsack, on dense customers x offers arrays.

``value[i, o]`` is the expected saved profit of giving offer o to customer i (``-inf``: not a
candidate), ``cost[i, o]`` its cost; a plan is one position per customer (-1 = no offer).

:func:`solve_exact` is exact. Before calling ``scipy.optimize.milp`` it shrinks the problem with
two textbook reductions that never remove an optimal plan:

* dominance: an offer that costs at least as much and saves no more than another offer for the
  same customer is dropped;
* reduced-cost fixing: the Lagrangian relaxation of the budget (price ``lam``) gives an upper bound
  ``UB`` and a feasible plan worth ``LB``. Any plan is worth at most ``UB`` minus the sum of its
  reduced costs, so an optimal plan uses no option whose reduced cost exceeds ``UB - LB``; a
  customer whose only remaining option is one offer must get it.

The MILP then sees only the few customers near the margin of the budget. :func:`lagrangian` alone
is the labelled fallback for very large problems: a feasible plan and a proven bound, not exact.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

_BISECTIONS = 60


@dataclass(frozen=True)
class Relaxation:
    """The Lagrangian relaxation at price ``price``: a proven ``bound`` and a feasible ``plan`` worth ``worth``."""

    price: float
    bound: float
    plan: np.ndarray
    worth: float


@dataclass(frozen=True)
class Solution:
    plan: np.ndarray
    status: str
    bound: float


def undominated(value: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Candidates that no other offer of the same customer beats on both cost and saving (ties: first kept)."""
    candidate = np.isfinite(value)
    dominated = np.zeros_like(candidate)
    k = value.shape[1]
    for a in range(k):
        for b in range(k):
            if a == b:
                continue
            strictly = (cost[:, a] < cost[:, b]) | (value[:, a] > value[:, b]) | (a < b)
            dominated[:, b] |= (
                candidate[:, a] & candidate[:, b] & (cost[:, a] <= cost[:, b]) & (value[:, a] >= value[:, b]) & strictly
            )
    return candidate & ~dominated


def plan_worth(plan: np.ndarray, table: np.ndarray) -> float:
    """Sum of ``table[i, plan[i]]`` over the customers with an offer."""
    rows = np.nonzero(plan >= 0)[0]
    return float(table[rows, plan[rows]].sum())


def lagrangian(value: np.ndarray, cost: np.ndarray, budget: float) -> Relaxation:
    """Price the budget by bisection; the plan at the price is filled greedily with what is left."""
    priced = np.isfinite(value) & (cost > 0)  # free offers are taken at any price
    low, high = 0.0, float(np.max(value[priced] / cost[priced], initial=0.0)) + 1.0
    bound, best_price = np.inf, high
    for _ in range(_BISECTIONS):
        if high - low <= 1e-12 * high:
            break
        price = (low + high) / 2
        plan, surplus = _priced_plan(value, cost, price)
        if price * budget + surplus < bound:
            bound, best_price = price * budget + surplus, price
        if plan_worth(plan, cost) <= budget:
            high = price
        else:
            low = price
    plan, surplus = _priced_plan(value, cost, high)
    if high * budget + surplus < bound:
        bound, best_price = high * budget + surplus, high
    plan = _greedy_fill(value, cost, plan, budget)
    return Relaxation(best_price, float(bound), plan, plan_worth(plan, value))


def solve_exact(value: np.ndarray, cost: np.ndarray, budget: float, time_limit: float) -> Solution:
    """The optimal plan: reductions, then ``scipy.optimize.milp`` on what is left."""
    relaxation = lagrangian(value, cost, budget)
    fixed, free, must_serve = _reduce(value, cost, relaxation)
    plan = fixed.copy()
    left = budget - plan_worth(fixed, cost)
    tolerance = 1e-9 * max(1.0, abs(relaxation.bound))
    if left >= 0:
        solved = _milp(np.where(free, value, -np.inf), cost, must_serve, left, time_limit)
        if solved is not None:
            rows = np.nonzero(solved.plan >= 0)[0]
            plan[rows] = solved.plan[rows]
            if plan_worth(plan, cost) <= budget and plan_worth(plan, value) >= relaxation.worth - tolerance:
                return Solution(plan, solved.status, solved.bound + plan_worth(fixed, value))
    # The reductions rest on floating-point bounds; should they ever mislead, solve the whole problem.
    solved = _milp(value, cost, np.zeros(len(value), dtype=bool), budget, time_limit)
    if solved is None or plan_worth(solved.plan, value) < relaxation.worth:
        return Solution(relaxation.plan, "solver gave no better plan: Lagrangian plan kept", relaxation.bound)
    return solved


def _reduce(value: np.ndarray, cost: np.ndarray, relaxation: Relaxation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offers fixed for every optimal plan, the options left free, and who must get one of them."""
    score = value - relaxation.price * cost
    surplus = np.maximum(np.max(score, axis=1, initial=-np.inf), 0.0)
    reduced_cost = surplus[:, None] - score
    slack = relaxation.bound - relaxation.worth + 1e-9 * max(1.0, abs(relaxation.bound))
    keep = np.isfinite(value) & (reduced_cost <= slack)
    must_serve = surplus > slack  # leaving them out costs more than the slack
    single = must_serve & (keep.sum(axis=1) == 1)
    fixed = np.where(single, np.argmax(keep, axis=1), -1)
    free = keep & ~single[:, None]
    return fixed, free, must_serve & ~single


def _milp(
    value: np.ndarray, cost: np.ndarray, must_serve: np.ndarray, budget: float, time_limit: float
) -> Solution | None:
    """Exact plan by MILP; the budget is tightened by any excess the solver's tolerance let through."""
    customers, offers = np.nonzero(np.isfinite(value))
    if len(customers) == 0:
        return Solution(np.full(len(value), -1), "optimal", 0.0)
    v, c = value[customers, offers], cost[customers, offers]
    matrix, lower = _constraints(customers, c, must_serve, len(value))
    limit = budget
    for _ in range(3):
        upper = np.r_[np.ones(matrix.shape[0] - 1), limit]
        with _solver_chatter_to_stderr():
            result = milp(
                -v,
                integrality=np.ones(len(v)),
                bounds=Bounds(0, 1),
                constraints=LinearConstraint(matrix, lower, upper),
                options={"time_limit": time_limit, "mip_rel_gap": 0.0},
            )
        if result.x is None:
            return None
        chosen = result.x > 0.5
        excess = c[chosen].sum() - budget
        if excess <= 0:
            plan = np.full(len(value), -1)
            plan[customers[chosen]] = offers[chosen]
            worth = float(v[chosen].sum())
            if result.status == 0:
                return Solution(plan, "optimal", worth)
            bound = -float(result.mip_dual_bound) if result.mip_dual_bound is not None else np.inf
            return Solution(plan, f"time limit: best plan found ({result.message})", max(bound, worth))
        limit -= excess + 1e-9 * max(1.0, budget)
    return None


@contextmanager
def _solver_chatter_to_stderr() -> Iterator[None]:
    """HiGHS 1.12 prints an internal debug line (`HighsMipSolverData::...`) on the C stdout for
    some problems; it says nothing to a user, so it is dropped and stdout kept for results."""
    try:
        stdout = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real file descriptors (e.g. a notebook)
        yield
        return
    sys.stdout.flush()
    saved = os.dup(stdout)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stdout)
        yield
    finally:
        os.dup2(saved, stdout)
        os.close(saved)
        os.close(devnull)


def _constraints(
    customers: np.ndarray, cost: np.ndarray, must_serve: np.ndarray, n_customers: int
) -> tuple[sparse.csr_array, np.ndarray]:
    """At most one offer per customer (exactly one for ``must_serve``), then the budget row."""
    counts = np.bincount(customers, minlength=n_customers)
    has_row = (counts >= 2) | must_serve & (counts >= 1)
    row_of = np.cumsum(has_row) - 1
    in_row = has_row[customers]
    columns = np.arange(len(customers))
    one_each = sparse.csr_array(
        (np.ones(in_row.sum()), (row_of[customers[in_row]], columns[in_row])),
        shape=(int(has_row.sum()), len(customers)),
    )
    lower = np.r_[np.where(must_serve[has_row], 1.0, -np.inf), -np.inf]
    return sparse.vstack([one_each, sparse.csr_array(cost[None, :])], format="csr"), lower


def _priced_plan(value: np.ndarray, cost: np.ndarray, price: float) -> tuple[np.ndarray, float]:
    score = value - price * cost
    position = np.argmax(score, axis=1)
    best = score[np.arange(len(score)), position]
    take = best > 0
    return np.where(take, position, -1), float(best[take].sum())


def _greedy_fill(value: np.ndarray, cost: np.ndarray, plan: np.ndarray, budget: float) -> np.ndarray:
    """Spend what the priced plan leaves: add or upgrade offers by saving, largest first, while they fit."""
    plan = plan.copy()
    left = budget - plan_worth(plan, cost)
    rows = np.arange(len(plan))
    current_value = np.where(plan >= 0, value[rows, np.maximum(plan, 0)], 0.0)
    current_cost = np.where(plan >= 0, cost[rows, np.maximum(plan, 0)], 0.0)
    # Only moves that fit what is left now can ever fit: what is left only shrinks.
    movable = np.isfinite(value) & (value > current_value[:, None]) & (cost - current_cost[:, None] <= left)
    customers, offers = np.nonzero(movable)
    order = np.argsort(-value[customers, offers], kind="stable")
    for i, o in zip(customers[order].tolist(), offers[order].tolist(), strict=True):
        current = plan[i]
        extra = cost[i, o] - (cost[i, current] if current >= 0 else 0.0)
        if (current < 0 or value[i, o] > value[i, current]) and extra <= left:
            plan[i] = o
            left -= extra
    return plan
