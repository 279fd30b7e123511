"""The campaign under a budget: who gets which offer, solved exactly with ``scipy.optimize.milp``.

The problem is a multiple-choice knapsack: a binary x[i, o] for each customer i and offer o worth
its cost, at most one offer per customer, total cost <= budget, maximise the expected saved
profit. Without a binding budget every customer simply gets their best offer; otherwise exact
reductions shrink the problem before the MILP (see :mod:`oneclick.offers.knapsack`).

For very large problems ``method="lagrangian"`` is a clearly labelled fallback, not an exact
solver: the Lagrangian relaxation of the budget gives a plan and a proven upper bound, so the
plan's distance to the optimum is known (``upper_bound - expected_saved_profit``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from oneclick.errors import ConfigError
from oneclick.offers.knapsack import lagrangian, solve_exact, undominated
from oneclick.offers.value import best_positions

Method = Literal["exact", "lagrangian"]
EXACT = "scipy.optimize.milp (HiGHS)"
LAGRANGIAN = "Lagrangian relaxation + greedy fill (fallback, not exact)"
# The status of a plan whose budget covers every customer's best offer: optimal by any method.
NOT_BINDING = "optimal: the budget does not bind"


@dataclass(frozen=True)
class CampaignPlan:
    """The chosen customers and offers, what they cost and save (profit units), and how it was solved.

    ``upper_bound``: a proven bound on the best saving any plan within the budget can reach; it
    equals ``expected_saved_profit`` when the plan is optimal.
    """

    offers: pd.Series  # customer id -> offer id, for the customers in the campaign only
    budget: float | None
    spent: float
    expected_saved_profit: float
    upper_bound: float
    status: str
    method: str
    seconds: float

    @property
    def n_customers(self) -> int:
        return len(self.offers)

    def as_dict(self) -> dict[str, object]:
        return {
            "budget": self.budget,
            "spent": self.spent,
            "expected_saved_profit": self.expected_saved_profit,
            "upper_bound": self.upper_bound,
            "n_customers": self.n_customers,
            "status": self.status,
            "method": self.method,
            "seconds": round(self.seconds, 3),
            "offers": {str(k): int(v) for k, v in self.offers.value_counts().sort_index().items()},
        }


@dataclass(frozen=True)
class _Problem:
    """Candidate (customer, offer) pairs as dense customers x offers arrays; -inf value = not a candidate."""

    customers: pd.Index
    offer_ids: np.ndarray
    value: np.ndarray
    cost: np.ndarray
    best: np.ndarray  # position of each customer's best candidate, -1 when none


def plan_campaign(
    expected_saved_profit: pd.DataFrame,
    cost: pd.DataFrame,
    budget: float | None,
    *,
    minimum: float = 0.0,
    method: Method = "exact",
    time_limit: float = 60.0,
) -> CampaignPlan:
    """The plan with the largest expected saved profit whose total cost stays within ``budget``.

    Parameters
    ----------
    expected_saved_profit, cost : customers x offers, profit units; NaN saving = not eligible.
    budget : the most the campaign may spend; ``None`` = no limit.
    minimum : a pair is a candidate only when it saves more than this.
    method : ``"exact"`` (MILP) or ``"lagrangian"`` (fallback for very large problems, with a bound).
    time_limit : seconds the MILP solver may take; past it the best plan found is returned, labelled.
    """
    return _solve(_problem(expected_saved_profit, cost, minimum), budget, method, time_limit)


def profit_curve(
    expected_saved_profit: pd.DataFrame,
    cost: pd.DataFrame,
    *,
    n_points: int = 21,
    extra_budgets: tuple[float, ...] = (),
    minimum: float = 0.0,
    method: Method = "exact",
    time_limit: float = 60.0,
) -> pd.DataFrame:
    """Expected saved profit against budget, from 0 to the cost of the unconstrained best plan.

    Optimal plans never save less when the budget grows; should a solver tolerance ever break
    that, the plan of the smaller budget (still feasible) is kept, so the curve is non-decreasing.
    """
    if n_points < 2:
        raise ConfigError(f"profit curve: n_points={n_points}; expected at least 2")
    problem = _problem(expected_saved_profit, cost, minimum)
    full = _solve(problem, None, method, time_limit)
    budgets = np.unique(
        np.r_[np.linspace(0.0, full.spent, n_points), [b for b in extra_budgets if 0 <= b <= full.spent]]
    )
    rows, best = [], None
    for budget in budgets:
        plan = full if budget >= full.spent else _solve(problem, float(budget), method, time_limit)
        if best is not None and plan.expected_saved_profit < best.expected_saved_profit:
            plan = best
        best = plan
        rows.append(
            {
                "budget": float(budget),
                "expected_saved_profit": plan.expected_saved_profit,
                "spent": plan.spent,
                "n_customers": plan.n_customers,
                "upper_bound": plan.upper_bound,
                "status": plan.status,
            }
        )
    return pd.DataFrame(rows)


def _problem(saved: pd.DataFrame, cost: pd.DataFrame, minimum: float) -> _Problem:
    if not saved.index.equals(cost.index) or list(saved.columns) != list(cost.columns):
        raise ValueError("expected_saved_profit and cost must have the same customers and offers")
    value = saved.to_numpy(dtype=float)
    spend = cost.to_numpy(dtype=float)
    if np.any(spend[np.isfinite(value)] < 0):
        raise ConfigError("an offer has a negative cost; costs must be >= 0")
    candidate = np.isfinite(value) & (value > minimum)
    value = np.where(candidate, value, -np.inf)
    spend = np.where(candidate, spend, 0.0)
    best = best_positions(value, spend)
    return _Problem(saved.index, np.array(saved.columns, dtype=object), value, spend, best)


def _solve(problem: _Problem, budget: float | None, method: Method, time_limit: float) -> CampaignPlan:
    if budget is not None and (not np.isfinite(budget) or budget < 0):
        raise ConfigError(f"budget={budget}: expected a number >= 0, or no budget")
    if method not in ("exact", "lagrangian"):
        raise ConfigError(f"campaign method {method!r}: expected 'exact' or 'lagrangian'")
    started = time.perf_counter()
    rows = np.nonzero(problem.best >= 0)[0]
    best_cost = problem.cost[rows, problem.best[rows]].sum()
    if budget is None or best_cost <= budget:
        choice = problem.best.copy()
        return _plan(problem, choice, budget, None, NOT_BINDING, EXACT, started)
    value = np.where(undominated(problem.value, problem.cost), problem.value, -np.inf)
    if method == "lagrangian":
        relaxation = lagrangian(value, problem.cost, budget)
        return _plan(
            problem, relaxation.plan, budget, relaxation.bound, "near-optimal: Lagrangian bound", LAGRANGIAN, started
        )
    solution = solve_exact(value, problem.cost, budget, time_limit)
    return _plan(problem, solution.plan, budget, solution.bound, solution.status, EXACT, started)


def _plan(
    problem: _Problem,
    choice: np.ndarray,
    budget: float | None,
    bound: float | None,
    status: str,
    method: str,
    started: float,
) -> CampaignPlan:
    rows = np.nonzero(choice >= 0)[0]
    saved = float(problem.value[rows, choice[rows]].sum())
    spent = float(problem.cost[rows, choice[rows]].sum())
    offers = pd.Series(problem.offer_ids[choice[rows]], index=problem.customers[rows], name="offer", dtype=object)
    return CampaignPlan(
        offers,
        budget,
        spent,
        saved,
        saved if bound is None else max(bound, saved),
        status,
        method,
        time.perf_counter() - started,
    )
