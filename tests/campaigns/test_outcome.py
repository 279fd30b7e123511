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


def _ranked_campaign() -> tuple[pd.DataFrame, pd.DataFrame]:
    """40 customers, 4 per decile of the plan's score (2 treated, 2 control); the offer keeps every treated
    customer of the top five deciles (control there all declined) and changes nothing in the bottom five.

    Half the customers have an offer assumed to remove 0.2 of decline, half 0.1, with decline
    probabilities making the score (uplift x probability) fall decile by decile: ranked by decline
    probability alone, the 0.1 offer's customers would all come first.
    """
    rows, declined = [], []
    for decile in range(1, 11):
        for j in range(4):
            score = (11 - decile) / 110 - 0.001 * j
            assumed = 0.2 if j % 2 == 0 else 0.1
            arm = "treatment" if j < 2 else "control"
            customer_id = 10 * decile + j
            rows.append((customer_id, arm, assumed, score / assumed))
            if decile <= 5:
                declined.append(0 if arm == "treatment" else 1)
            else:
                declined.append(1 if j % 2 == 0 else 0)  # one of each arm's two declined
    frame = pd.DataFrame(rows, columns=["customer_id", "arm", "assumed_uplift", "decline_probability"])
    campaign = frame.assign(
        segment="promo_hunters_at_risk",
        offer_id=np.where(frame["assumed_uplift"] == 0.2, "discount_10", "free_delivery"),
        profit=4.0,
        cost=0.5,
        expected_saved_profit=0.0,
    )
    campaign["stratum"] = campaign["segment"] + "|" + campaign["offer_id"]
    outcomes = pd.DataFrame({"declined": declined}, index=pd.Index(campaign["customer_id"], name="customer_id"))
    return campaign.sample(frac=1.0, random_state=0), outcomes  # the input's order must not matter


def test_deciles_of_the_plans_score_give_the_shares_who_declined_by_hand() -> None:
    campaign, outcomes = _ranked_campaign()
    result = evaluate_campaign(campaign, outcomes, campaign_id="c", horizon_months=3)
    deciles = result["by_decile"]
    assert [row["decile"] for row in deciles] == list(range(1, 11))
    for row in deciles:
        assert (row["n_treatment"], row["n_control"]) == (2, 2)
        # the top half kept every treated customer and lost every control one
        expected = (0.0, 1.0, 1.0) if row["decile"] <= 5 else (0.5, 0.5, 0.0)
        found = (row["response_rate_treatment"], row["response_rate_control"], row["uplift"])
        assert found == pytest.approx(expected)


def test_the_qini_curve_of_a_ranking_that_finds_the_helped_first_lies_above_random() -> None:
    campaign, outcomes = _ranked_campaign()
    qini = evaluate_campaign(campaign, outcomes, campaign_id="c", horizon_months=3)["qini"]
    assert set(qini) == {"auc", "x", "y", "random_y", "score"}
    assert qini["score"] == "assumed uplift x decline probability"
    assert len(qini["x"]) == len(qini["y"]) == len(qini["random_y"]) == 41
    assert qini["x"][0] == 0 and qini["x"][-1] == 40
    # 10 declines prevented among the first 20 (the treated of the top half), none after
    assert qini["y"][20] == pytest.approx(10.0) and qini["y"][-1] == pytest.approx(10.0)
    assert qini["random_y"][20] == pytest.approx(5.0)
    assert qini["auc"] > 0


def test_a_long_qini_curve_is_thinned_to_101_points_and_the_result_is_plain_json() -> None:
    campaign = _campaign(1600).assign(decline_probability=np.linspace(0.05, 0.9, 1600))
    result = evaluate_campaign(
        campaign, _outcomes(campaign, np.random.default_rng(5)), campaign_id="c", horizon_months=3
    )
    qini = result["qini"]
    assert len(qini["x"]) == len(qini["y"]) == len(qini["random_y"]) == 101
    assert qini["x"][0] == 0 and qini["x"][-1] == 1600
    json.dumps(result, allow_nan=False)


def test_too_few_customers_or_an_empty_arm_give_no_deciles_and_no_qini() -> None:
    campaign = _campaign(40).assign(arm="treatment")
    result = evaluate_campaign(
        campaign, _outcomes(campaign, np.random.default_rng(0)), campaign_id="c", horizon_months=3
    )
    assert result["by_decile"] == [] and result["qini"] is None


def test_the_revenue_change_difference_and_its_interval_hold_the_true_one() -> None:
    campaign = _campaign(800)
    outcomes = _outcomes(campaign, np.random.default_rng(2))
    rng = np.random.default_rng(7)
    treated = (campaign["arm"] == "treatment").to_numpy()
    # treated customers' revenue moves by +1.5 on average more than control's (-0.5 against -2.0)
    outcomes["revenue_change"] = np.where(treated, -0.5, -2.0) + rng.normal(0.0, 3.0, len(campaign))
    rows = {
        (r["offer"], r["segment"]): r
        for r in evaluate_campaign(campaign, outcomes, campaign_id="c", horizon_months=3)["offers"]
    }
    overall = rows[("all", "all")]
    changes = outcomes["revenue_change"].to_numpy()
    assert overall["revenue_change_treatment"] == pytest.approx(changes[treated].mean())
    assert overall["revenue_change_control"] == pytest.approx(changes[~treated].mean())
    assert overall["revenue_change_diff"] == pytest.approx(changes[treated].mean() - changes[~treated].mean())
    assert overall["revenue_change_ci_low"] < 1.5 < overall["revenue_change_ci_high"]
    assert overall["revenue_change_ci_low"] > 0  # 400 per arm are enough to see it
    for row in rows.values():
        assert row["revenue_change_ci_low"] < row["revenue_change_diff"] < row["revenue_change_ci_high"]


def test_revenue_figures_are_none_not_nan_when_the_export_lacks_them() -> None:
    campaign = _campaign(40)
    outcomes = _outcomes(campaign, np.random.default_rng(0))
    keys = ("revenue_change_treatment", "revenue_change_control", "revenue_change_diff")
    keys += ("revenue_change_ci_low", "revenue_change_ci_high")
    for row in evaluate_campaign(campaign, outcomes, campaign_id="c", horizon_months=3)["offers"]:
        assert all(row[key] is None for key in keys)
    # known for the treated only: their mean, and nothing to compare it with
    outcomes["revenue_change"] = np.where(campaign["arm"].to_numpy() == "treatment", 1.0, np.nan)
    result = evaluate_campaign(campaign, outcomes, campaign_id="c", horizon_months=3)
    overall = next(r for r in result["offers"] if r["offer"] == "all")
    assert overall["revenue_change_treatment"] == 1.0
    assert all(overall[key] is None for key in keys[1:])
    json.dumps(result, allow_nan=False)
