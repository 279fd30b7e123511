"""Segments: each segment's offers, costs and drivers come from its own customers."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from oneclick.analysis import by_profit_at_risk, named_segments, offer_shares, segment_summary
from oneclick.analysis.segments import MIN_DRIVER


def _groups() -> pd.DataFrame:
    """Five customers, one group each: three in "promo_hunters" (two of them also "valuable")."""
    return pd.DataFrame(
        {
            "segments": ["promo_hunters;valuable", "promo_hunters", "promo_hunters;valuable", "", "valuable"],
            "risk_profit_cell": ["high_risk_high_profit"] * 3 + ["low_risk_low_profit"] * 2,
            "offer": ["promo_code", "promo_code", "free_delivery", "no_offer", "free_delivery"],
            "n": 1,
            "offer_cost": [1.0, 2.0, 3.0, 0.0, 4.0],
            "profit_at_risk": [5.0, 4.0, 3.0, 0.5, 1.0],
            "expected_saved_profit": [2.0, 1.0, 1.0, 0.0, 0.5],
        }
    )


def _segments() -> pd.DataFrame:
    rows: list[dict[str, Any]] = [
        {"segment": "promo_hunters", "kind": "named", "rule": "promo_purchase_share >= 0.5", "profit_at_risk": 12.0},
        {"segment": "valuable", "kind": "named", "rule": "profit >= 4", "profit_at_risk": None},
        {"segment": "high_risk_high_profit", "kind": "cell", "rule": "", "profit_at_risk": 12.0},
    ]
    return pd.DataFrame(rows).assign(n_customers=[3, 3, 3])


def _summary() -> dict[str, Any]:
    drivers = pd.DataFrame(
        {
            "segment": ["promo_hunters"] * 4 + ["valuable"],
            "scope": ["feature", "feature", "feature", "group", "feature"],
            "name": ["promo_purchase_share", "pages_per_visit", "n_service_errors", "product", "profit"],
            "mean_contribution_segment": [0.2, 0.6, MIN_DRIVER / 2, 0.9, 0.1],
        }
    )
    features = pd.DataFrame(
        {
            "segment": ["promo_hunters", "promo_hunters", "valuable"],
            "feature": ["promo_purchase_share", "service_type", "pages_per_visit"],
            "effect_measure": ["cohen_d", "share_difference", "cohen_d"],
            "effect_size": [1.2, 0.3, None],
        }
    )
    offers = pd.DataFrame(
        {
            "decline_probability": [0.9, 0.8, 0.7, 0.1, 0.2],
            "profit": [5.0] * 5,
            "primary_segment": ["promo_hunters"] * 5,
        }
    )
    overview = {"thresholds": {"high_risk": 0.5, "high_profit": 4}}
    return segment_summary(_segments(), _groups(), drivers, features, offers, overview)


def test_a_segment_gets_the_offers_and_costs_of_its_own_customers() -> None:
    summary = _summary()
    promo, valuable, cell = summary["segments"]
    assert promo["top_offer"] == "promo_code" and promo["top_offer_share"] == pytest.approx(2 / 3)
    assert promo["offer_cost"] == 6.0
    assert valuable["offer_cost"] == 8.0 and valuable["top_offer"] == "free_delivery"
    assert cell["offer_cost"] == 6.0  # a risk x profit cell's members come from the cell column
    assert valuable["profit_at_risk"] is None  # missing stays missing
    assert (summary["n_customers"], summary["profit_at_risk"]) == (5, 13.5)
    assert summary["thresholds"] == {"high_risk": 0.5, "high_profit": 4.0}


def test_a_segment_names_its_features_that_raise_the_risk_most() -> None:
    promo = _summary()["segments"][0]
    # Largest first; a group's line and a driver too small to print are left out.
    assert [d["feature"] for d in promo["drivers"]] == ["pages_per_visit", "promo_purchase_share"]


def test_effects_are_the_cohen_d_of_numeric_features_of_named_segments() -> None:
    assert _summary()["effects"] == {
        "promo_hunters": {"promo_purchase_share": 1.2},
        "valuable": {"pages_per_visit": None},
    }


def test_the_map_draws_every_customer_of_a_small_run() -> None:
    drawn = _summary()["map"]
    assert drawn["decline_probability"] == [0.9, 0.8, 0.7, 0.1, 0.2]
    assert "sample" not in drawn


def test_named_segments_ranked_by_profit_at_risk() -> None:
    summary = _summary()
    assert [row["segment"] for row in named_segments(summary)] == ["promo_hunters", "valuable"]
    rows = [{"segment": "a", "profit_at_risk": None}, {"segment": "b", "profit_at_risk": 2.0}]
    assert [row["segment"] for row in by_profit_at_risk(rows)] == ["b", "a"]


def test_offer_shares_weigh_each_group_by_its_customers() -> None:
    groups = pd.DataFrame({"offer": ["a", "b", "a"], "n": [1, 5, 1]})
    assert offer_shares(groups).to_dict() == pytest.approx({"b": 5 / 7, "a": 2 / 7})
    assert offer_shares(groups.iloc[:0]).empty
