"""The campaign: optimal (checked by brute force), never over budget, and a non-decreasing profit curve."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from oneclick.errors import ConfigError
from oneclick.offers import plan_campaign, profit_curve
from oneclick.offers.knapsack import undominated


def random_case(seed: int, n_customers: int, n_offers: int, *, whole_costs: bool = False):
    """Savings (NaN = not eligible, some negative) and costs of a small random campaign."""
    rng = np.random.default_rng(seed)
    saved = rng.uniform(-0.5, 3.0, (n_customers, n_offers))
    saved[rng.uniform(size=saved.shape) < 0.25] = np.nan
    cost = rng.integers(0, 4, saved.shape).astype(float) if whole_costs else rng.uniform(0.05, 2.0, saved.shape)
    index = pd.Index(range(100, 100 + n_customers), name="customer_id")
    columns = [f"offer_{k}" for k in range(n_offers)]
    return pd.DataFrame(saved, index=index, columns=columns), pd.DataFrame(cost, index=index, columns=columns)


def brute_force(saved: pd.DataFrame, cost: pd.DataFrame, budget: float) -> float:
    """The best saving over every plan: each customer gets one of the offers or nothing."""
    # Per customer: (saving, cost) of doing nothing and of each offer worth giving.
    options = [
        [(0.0, 0.0)] + [(v, c) for v, c in zip(values, costs, strict=True) if v > 0]
        for values, costs in zip(saved.fillna(-1.0).to_numpy().tolist(), cost.to_numpy().tolist(), strict=True)
    ]
    best = 0.0
    for plan in itertools.product(*options):
        if sum(c for _, c in plan) <= budget:
            best = max(best, sum(v for v, _ in plan))
    return best


def check_plan(plan, saved: pd.DataFrame, cost: pd.DataFrame, budget: float | None) -> None:
    """The plan's own figures add up, each customer appears once, and the budget holds."""
    picked_cost = [cost.loc[c, o] for c, o in plan.offers.items()]
    picked_saved = [saved.loc[c, o] for c, o in plan.offers.items()]
    assert plan.offers.index.is_unique
    assert plan.spent == pytest.approx(sum(picked_cost))
    assert plan.expected_saved_profit == pytest.approx(sum(picked_saved))
    assert all(s > 0 for s in picked_saved)
    if budget is not None:
        assert sum(picked_cost) <= budget
        assert plan.spent <= budget


CASES = [(seed, 6, 3, fraction) for seed in range(12) for fraction in (0.2, 0.5)] + [
    (seed, 8, 2, 0.4) for seed in range(12, 18)
]


@pytest.mark.parametrize(("seed", "n_customers", "n_offers", "fraction"), CASES)
def test_the_plan_is_optimal_by_brute_force(seed: int, n_customers: int, n_offers: int, fraction: float) -> None:
    saved, cost = random_case(seed, n_customers, n_offers)
    budget = fraction * float(cost.where(saved > 0).max(axis=1).sum())
    plan = plan_campaign(saved, cost, budget)
    check_plan(plan, saved, cost, budget)
    assert plan.status.startswith("optimal")
    assert plan.expected_saved_profit == pytest.approx(brute_force(saved, cost, budget), abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_whole_costs_that_fill_the_budget_exactly(seed: int) -> None:
    saved, cost = random_case(seed, 6, 3, whole_costs=True)
    for budget in (0.0, 1.0, 2.0, 3.0, 5.0):
        plan = plan_campaign(saved, cost, budget)
        check_plan(plan, saved, cost, budget)
        assert plan.expected_saved_profit == pytest.approx(brute_force(saved, cost, budget), abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_never_over_budget_on_larger_cases(seed: int) -> None:
    saved, cost = random_case(seed, 150, 5)
    for budget in (0.0, 3.7, 41.2):
        exact = plan_campaign(saved, cost, budget)
        fallback = plan_campaign(saved, cost, budget, method="lagrangian")
        check_plan(exact, saved, cost, budget)
        check_plan(fallback, saved, cost, budget)
        assert fallback.expected_saved_profit <= exact.expected_saved_profit + 1e-9
        assert exact.expected_saved_profit <= fallback.upper_bound + 1e-9
        assert "not exact" in fallback.method


def test_without_a_budget_everyone_gets_their_best_offer() -> None:
    saved = pd.DataFrame({"a": [1.0, -1.0, np.nan, 0.5], "b": [2.0, np.nan, np.nan, 0.5]}, index=[1, 2, 3, 4])
    cost = pd.DataFrame({"a": [1.0, 1.0, 1.0, 0.2], "b": [5.0, 1.0, 1.0, 0.1]}, index=[1, 2, 3, 4])
    plan = plan_campaign(saved, cost, None)
    assert plan.offers.to_dict() == {1: "b", 4: "b"}  # 2 saves nothing, 3 fits nothing; 4: tie -> cheaper
    assert plan.status == "optimal: the budget does not bind"
    assert plan_campaign(saved, cost, 0.0).offers.empty
    assert plan_campaign(saved, cost, 1.15).offers.to_dict() == {1: "a", 4: "b"}


def test_free_offers_fit_a_zero_budget() -> None:
    saved = pd.DataFrame({"free": [0.3, 0.1], "paid": [2.0, 2.0]}, index=[1, 2])
    cost = pd.DataFrame({"free": [0.0, 0.0], "paid": [1.0, 1.0]}, index=[1, 2])
    assert plan_campaign(saved, cost, 0.0).offers.to_dict() == {1: "free", 2: "free"}
    # one paid offer: to customer 2, whose free offer saves less (0.3 + 2.0 > 2.0 + 0.1)
    assert plan_campaign(saved, cost, 1.0).offers.to_dict() == {1: "free", 2: "paid"}


@pytest.mark.parametrize("budget", [-1.0, float("nan"), float("inf")])
def test_a_bad_budget_is_refused(budget: float) -> None:
    saved, cost = random_case(0, 4, 2)
    with pytest.raises(ConfigError, match="budget"):
        plan_campaign(saved, cost, budget)


@pytest.mark.parametrize("seed", range(4))
def test_the_profit_curve_never_decreases(seed: int) -> None:
    saved, cost = random_case(seed, 40, 4)
    curve = profit_curve(saved, cost, n_points=15, extra_budgets=(7.5,))
    full = plan_campaign(saved, cost, None)
    assert curve["budget"].iloc[0] == 0.0 and curve["budget"].iloc[-1] == pytest.approx(full.spent)
    assert 7.5 in curve["budget"].tolist() or full.spent < 7.5
    assert (np.diff(curve["expected_saved_profit"]) >= 0).all()
    assert (curve["spent"] <= curve["budget"] + 1e-12).all()
    assert curve["expected_saved_profit"].iloc[-1] == pytest.approx(full.expected_saved_profit)


def test_dominated_offers_are_dropped_and_ties_keep_the_first() -> None:
    value = np.array([[2.0, 1.0, 2.0, -np.inf], [1.0, 3.0, 1.0, 0.5]])
    cost = np.array([[1.0, 1.0, 1.0, 0.0], [1.0, 2.0, 0.5, 0.1]])
    assert undominated(value, cost).tolist() == [[True, False, False, False], [False, True, True, True]]
