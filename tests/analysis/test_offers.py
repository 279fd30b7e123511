"""Offers and campaign: counts and sums by offer and segment, the customers worth most, the half budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from oneclick.analysis import half_budget, offer_summary, top_customers
from oneclick.features.groups import FEATURE_NAMES
from oneclick.model.score import CONTRIBUTION_PREFIX
from oneclick.offers.catalogue import NO_OFFER


def _offers() -> pd.DataFrame:
    """Four customers as offers.csv has them (one group each): one high-risk customer gets no offer."""
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "primary_segment": ["promo", "promo", "valuable", "valuable"],
            "is_high_risk": [True, True, True, False],
            "offer": ["promo_code", "extra_offer", NO_OFFER, "promo_code"],
            "campaign_offer": ["promo_code", "", "", "promo_code"],
            "in_campaign": [1, 0, 0, 1],
            "n": 1,
            "decline_probability": [0.9, 0.8, 0.7, 0.2],
            "profit": [5.0, 4.0, 3.0, 2.0],
            "offer_cost": [1.0, 0.5, 0.0, 0.25],
            "expected_saved_profit": [2.0, 1.0, 0.0, 0.5],
            "risk_drivers": ["pages per visit", "promotions", "", "time on site"],
        }
    )


OVERVIEW: dict[str, Any] = {
    "lang": "en",
    "horizon_months": 3,
    "segments": [{"segment": "valuable"}, {"segment": "promo"}],
    "assumptions": {"offers": [{"offer": "free_delivery", "uplift": 0.05}, {"offer": "promo_code", "uplift": 0.08}]},
    "campaign": {"budget": 2.0, "spent": 1.25, "expected_saved_profit": 2.5, "n_customers": 2, "seconds": 0.1},
}
CURVE = pd.DataFrame(
    {"budget": [0.0, 0.5, 1.0, 2.0], "expected_saved_profit": [0.0, 1.0, 2.0, 3.5], "spent": [0, 0.5, 1, 1.75]}
).assign(n_customers=[0, 1, 2, 3])


def test_offers_are_counted_and_summed_by_offer_and_segment() -> None:
    offers = _offers()
    result = offer_summary(offers, OVERVIEW, CURVE, top_customers(offers, 2))
    assert (result["n_customers"], result["n_with_offer"], result["n_high_risk_without_offer"]) == (4, 3, 1)
    assert result["expected_saved_profit"] == 3.5 and result["offer_cost"] == 1.75
    assert result["by_segment"] == {
        "promo": {"promo_code": 1, "extra_offer": 1},
        "valuable": {NO_OFFER: 1, "promo_code": 1},
    }
    assert result["segment_order"] == ["valuable", "promo"]
    # The catalogue's offers in its order, then any other, then "no offer".
    totals = {row["offer"]: row for row in result["offers"]}
    assert list(totals) == ["free_delivery", "promo_code", "extra_offer", NO_OFFER]
    assert totals["promo_code"] == {
        "offer": "promo_code",
        "n_customers": 2,
        "cost": 1.25,
        "expected_saved_profit": 2.5,
        "uplift": 0.08,
        "n_in_campaign": 2,
    }
    assert totals["free_delivery"]["n_customers"] == 0
    assert result["campaign"]["budget"] == 2.0 and "seconds" not in result["campaign"]
    assert result["curve"]["budget"] == [0.0, 0.5, 1.0, 2.0]
    assert [row["customer_id"] for row in result["top"]] == [1, 2]
    assert result["top"][0]["features"] is None  # no customer table given


def test_top_customers_carry_their_values_and_contributions(make_customers: Callable[..., pd.DataFrame]) -> None:
    offers = _offers()
    features = make_customers([{"pages_per_visit": 3 + k} for k in range(4)]).reset_index()
    scores = pd.DataFrame({"customer_id": [1, 2, 3, 4]})
    for name in FEATURE_NAMES:
        scores[CONTRIBUTION_PREFIX + name] = 0.1
    top = offer_summary(offers, OVERVIEW, CURVE, top_customers(offers, 1), features, scores)["top"][0]
    assert top["features"]["values"]["pages_per_visit"] == 3.0
    assert top["features"]["contributions"]["pages_per_visit"] == 0.1
    assert top["risk_drivers"] == "pages per visit" and "drivers" not in top


def test_a_batch_customer_lists_the_drivers_that_raise_the_risk_by_name() -> None:
    offers = _offers().assign(
        risk_drivers=None,
        driver_1_feature="pages_per_visit",
        driver_1_contribution=0.3,
        driver_2_feature="profit",
        driver_2_contribution=-0.1,
    )
    top = offer_summary(offers, OVERVIEW, CURVE, top_customers(offers, 1), batch=True)["top"][0]
    assert top["risk_drivers"] is None
    assert top["drivers"] == [{"feature": "pages_per_visit", "contribution": 0.3}]


def test_top_customers_break_ties_by_id() -> None:
    offers = pd.DataFrame({"customer_id": [3, 1, 2], "expected_saved_profit": [1.0, 2.0, 1.0]})
    assert top_customers(offers, 3)["customer_id"].tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("saved", "expected"),
    [([0.0, 1.0, 2.0, 3.5], 1.0), ([0.0, 2.0, 3.0, 4.0], 0.5), ([], 0.0)],
)
def test_half_budget_is_the_smallest_budget_reaching_half_of_the_most(saved: list[float], expected: float) -> None:
    assert half_budget({"budget": [0.0, 0.5, 1.0, 2.0][: len(saved)], "expected_saved_profit": saved}) == expected
