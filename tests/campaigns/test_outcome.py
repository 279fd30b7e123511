"""A campaign's outcome: the next export's labels joined to its customers, per offer, segment and overall."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from oneclick.campaigns.outcome import evaluate_campaign
from oneclick.errors import InputDataError


def _campaign(n: int = 400) -> pd.DataFrame:
    ids = np.arange(1, n + 1)
    offer = np.where(ids % 2 == 0, "discount_10", "free_delivery")
    return pd.DataFrame(
        {
            "customer_id": ids,
            "segment": "promo_hunters_at_risk",
            "offer_id": offer,
            "stratum": [f"promo_hunters_at_risk|{o}" for o in offer],
            "arm": np.where(ids % 4 < 2, "treatment", "control"),
            "decline_probability": 0.4,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": np.where(offer == "discount_10", 0.08, 0.1),
            "expected_saved_profit": 0.0,
        }
    )


def _outcomes(campaign: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    # discount_10 halves the decline of its treated (40 % -> 20 %); free_delivery does nothing
    rate = np.where((campaign["offer_id"] == "discount_10") & (campaign["arm"] == "treatment"), 0.2, 0.4)
    declined = (rng.random(len(campaign)) < rate).astype(int)
    return pd.DataFrame({"declined": declined}, index=pd.Index(campaign["customer_id"], name="customer_id"))


def test_a_known_effect_is_found_and_no_effect_is_not() -> None:
    campaign = pd.concat([_campaign(1600)], ignore_index=True)
    outcomes = _outcomes(campaign, np.random.default_rng(3))
    result = evaluate_campaign(campaign, outcomes, campaign_id="campaign-x", horizon_months=3)
    rows = {(r["offer"], r["segment"]): r for r in result["offers"]}
    works = rows[("discount_10", "all")]
    assert works["uplift_ci_low"] < 0.5 < works["uplift_ci_high"] and works["verdict"] == "works"
    assert rows[("free_delivery", "all")]["verdict"] == "no_evidence"
    assert ("all", "all") in rows and ("discount_10", "promo_hunters_at_risk") in rows
    assert works["assumed_uplift"] == pytest.approx(0.08)
    json.dumps(result, allow_nan=False)


def test_customers_absent_from_the_next_export_are_counted_not_guessed() -> None:
    campaign = _campaign(400)
    outcomes = _outcomes(campaign, np.random.default_rng(1)).iloc[40:]
    result = evaluate_campaign(campaign, outcomes, campaign_id="campaign-x", horizon_months=3)
    assert result["n"]["planned"] == 400 and result["n"]["left"] == 40
    assert result["n"]["matched_treatment"] + result["n"]["matched_control"] == 360
    overall = next(r for r in result["offers"] if r["offer"] == "all")
    assert overall["n_treatment"] + overall["n_control"] == 360


def test_a_next_export_without_labels_is_refused() -> None:
    campaign = _campaign(8)
    with pytest.raises(InputDataError, match="no label column 'declined'"):
        evaluate_campaign(campaign, pd.DataFrame(index=campaign["customer_id"]), campaign_id="c", horizon_months=3)
