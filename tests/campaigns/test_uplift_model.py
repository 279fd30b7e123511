"""The uplift model against the catalogue's rule: fitted only with enough customers, used only where it wins."""

from __future__ import annotations

import json

import pytest

from oneclick.campaigns.outcome import evaluate_campaign
from oneclick.campaigns.uplift_model import compare_uplift_model
from oneclick.errors import InputDataError
from uplift_campaigns import HORIZON, campaign_with_outcome


def test_too_few_customers_fit_no_model_and_say_how_many() -> None:
    matched, features = campaign_with_outcome("by_feature", n=120)
    result = compare_uplift_model(matched, features, horizon_months=HORIZON, min_per_arm=60)
    assert result["used"] is False and result["reason"] == "too_few"
    assert result["n_treatment"] + result["n_control"] == 120 and result["n_control"] < 60
    assert result["min_per_arm"] == 60 and result["qini_model"] is None


def test_an_uplift_the_rule_cannot_see_is_found_and_the_model_used() -> None:
    matched, features = campaign_with_outcome("by_feature")
    result = compare_uplift_model(matched, features, horizon_months=HORIZON, min_per_arm=200, seed=1)
    assert result["used"] is True and result["reason"] == "beats_rule"
    assert result["qini_model"] > result["qini_rule"]
    assert result["saved_profit_model"] > result["saved_profit_rule"]
    assert result["saved_profit_gain_ci_low"] > 0
    assert result["feature_source"] == "run" and "promo_purchase_share" in result["features"]
    assert result["n_held_out"] == 1200


@pytest.mark.parametrize("effect", ["as_assumed", "none"])
def test_an_uplift_the_rule_already_ranks_or_no_uplift_keeps_the_rule(effect: str) -> None:
    matched, features = campaign_with_outcome(effect)
    result = compare_uplift_model(matched, features, horizon_months=HORIZON, min_per_arm=200, seed=1)
    assert result["used"] is False and result["reason"] in ("rule_not_beaten", "gain_not_clear")
    assert result["saved_profit_gain_ci_low"] < 0


def test_the_same_seed_gives_the_same_result() -> None:
    matched, features = campaign_with_outcome("by_feature", n=1200)
    first, second = (
        compare_uplift_model(matched, features, horizon_months=HORIZON, min_per_arm=200, seed=7) for _ in range(2)
    )
    assert first == second
    json.dumps(first, allow_nan=False)


def test_the_evaluation_carries_the_model_and_without_run_features_uses_the_campaign_table() -> None:
    matched, _ = campaign_with_outcome("by_feature", n=600)
    outcomes = matched.set_index("customer_id")[["declined"]]
    campaign = matched.drop(columns="declined")
    result = evaluate_campaign(
        campaign, outcomes, campaign_id="c", horizon_months=HORIZON, uplift_model_min_per_arm=200, seed=3
    )
    model = result["uplift_model"]
    assert model["feature_source"] == "campaign" and "promo_purchase_share" not in model["features"]
    assert model["n_treatment"] + model["n_control"] == 600
    json.dumps(result, allow_nan=False)


def test_matched_customers_without_their_outcome_are_refused() -> None:
    matched, features = campaign_with_outcome("none", n=60)
    with pytest.raises(InputDataError, match="lack \\['declined'\\]"):
        compare_uplift_model(matched.drop(columns="declined"), features, horizon_months=HORIZON, min_per_arm=20)


def test_a_next_export_where_nobody_declined_has_no_qini_and_keeps_the_rule() -> None:
    matched, features = campaign_with_outcome("none", n=600)
    result = compare_uplift_model(matched.assign(declined=0), features, horizon_months=HORIZON, min_per_arm=100)
    assert result["used"] is False and result["reason"] == "rule_not_beaten"
    assert result["qini_model"] is None and result["qini_rule"] is None
    json.dumps(result, allow_nan=False)
