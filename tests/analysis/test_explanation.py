"""What moves the predictions: contributions by feature and group, and the three customers shown."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from oneclick.analysis import prediction_explanation
from oneclick.features.groups import FEATURE_GROUPS
from oneclick.model.score import CONTRIBUTION_PREFIX

PROBABILITY = [0.95, 0.80, 0.50, 0.45, 0.30, 0.10, 0.05]
PROFIT = [1.0, 6.0, 4.0, 5.0, 2.0, 3.0, 4.0]


@pytest.fixture
def tables(
    make_customers: Callable[..., pd.DataFrame], make_contributions: Callable[..., pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seven customers: time on site moves their risk most, then promotions; the riskiest earns little."""
    customers = make_customers([{"profit": p, "minutes_current_month": 20.0 - 2 * k} for k, p in enumerate(PROFIT)])
    contributions = make_contributions(
        customers,
        minutes_current_month=[1.5, 1.0, 0.2, 0.1, -0.5, -1.0, -1.5],
        minutes_previous_month=[0.5, 0.3, 0.0, 0.0, -0.1, -0.3, -0.5],
        promo_purchase_share=[0.4, -0.4, 0.2, -0.2, 0.1, 0.0, -0.3],
    )
    scores = contributions.add_prefix(CONTRIBUTION_PREFIX).assign(decline_probability=PROBABILITY)
    for k, name in enumerate(("minutes_current_month", "minutes_previous_month", "promo_purchase_share"), start=1):
        scores[f"driver_{k}_feature"] = name
    return scores.reset_index(), customers.reset_index()


def test_features_and_groups_are_ranked_by_mean_absolute_contribution(tables: tuple[pd.DataFrame, ...]) -> None:
    scores, customers = tables
    result = prediction_explanation(scores, customers)
    assert result["n_customers"] == 7
    assert list(result["mean_abs_contribution"])[:3] == [
        "minutes_current_month",
        "minutes_previous_month",
        "promo_purchase_share",
    ]
    site = FEATURE_GROUPS["minutes_current_month"]
    # A group's contribution is the sum of its features' for each customer: 2.0, 1.3, 0.2, ... on average.
    assert next(iter(result["groups"])) == site
    assert result["groups"][site] == pytest.approx((2.0 + 1.3 + 0.2 + 0.1 + 0.6 + 1.3 + 2.0) / 7, abs=1e-5)
    swarm = result["swarm"][0]
    assert swarm["feature"] == "minutes_current_month"
    assert swarm["level"][0] == 1.0  # the first customer spends the most time: the highest level


def test_the_at_risk_example_is_the_riskiest_of_the_profitable(tables: tuple[pd.DataFrame, ...]) -> None:
    scores, customers = tables
    offers = pd.DataFrame(
        {
            "customer_id": range(1, 8),
            "primary_segment": "valuable_at_risk",
            "offer": "free_delivery",
            "expected_saved_profit": 0.5,
        }
    )
    examples = prediction_explanation(scores, customers, offers, {"high_profit": 4.0})["examples"]
    assert [e["who"] for e in examples] == ["at_risk", "median", "low"]
    at_risk, median, low = examples
    assert at_risk["customer_id"] == 2  # customer 1 is riskier but earns less than 4
    assert median["customer_id"] == 4  # probability 0.45, the median's nearest after customer 2
    assert low["decline_probability"] < median["decline_probability"]
    assert [d["feature"] for d in at_risk["drivers"]] == [
        "minutes_current_month",
        "minutes_previous_month",
        "promo_purchase_share",
    ]
    assert at_risk["bars"][0] == {"feature": "minutes_current_month", "contribution": 1.0, "value": 18.0}
    assert (at_risk["offer"], at_risk["segment"]) == ("free_delivery", "valuable_at_risk")


def test_without_offers_the_examples_have_none(tables: tuple[pd.DataFrame, ...]) -> None:
    scores, customers = tables
    examples = prediction_explanation(scores, customers)["examples"]
    assert {e["offer"] for e in examples} == {None}
    assert examples[0]["customer_id"] == 2  # profitable: at least the median profit (4.0)
