"""Conclusions: the findings follow the numbers of the other analyses, first what to do, then why."""

from __future__ import annotations

from typing import Any

from oneclick.analysis import findings


def _segment(name: str, at_risk: float | None, saved: float, cost: float, kind: str = "named") -> dict[str, Any]:
    return {
        "segment": name,
        "kind": kind,
        "n_customers": 10,
        "share_of_customers": 0.1,
        "profit_at_risk": at_risk,
        "share_of_profit_at_risk": 0.2,
        "top_offer": "promo_code",
        "top_offer_share": 0.6,
        "expected_saved_profit": saved,
        "offer_cost": cost,
        "drivers": [{"feature": "pages_per_visit", "mean_contribution": 0.4}],
    }


RESULTS: dict[str, Any] = {
    "segments": {
        "segments": [
            _segment("small", 1.0, saved=4.0, cost=1.0),
            _segment("large", 9.0, saved=3.0, cost=3.0),
            _segment("middle", 5.0, saved=2.0, cost=1.0),
            _segment("high_risk_high_profit", 99.0, saved=9.0, cost=1.0, kind="cell"),
        ]
    },
    "quality": {
        "customers_read": 10,
        "customers_kept": 8,
        "fixes": [{"count": 2}, {"count": 3}],
        "quarantined_rows": 1,
        "revenue_outliers": [{}],
        "class_balance": {"declined_share": 0.38},
    },
    "exploration": {
        "features": [{"name": "pages_per_visit", "kind": "numeric", "mean": {"declined": 3.0, "unchanged": 6.0}}],
        "months": {"minutes": {"declined": {"mean": [10.0, 9.0]}, "unchanged": {"mean": [14.0, 14.0]}}},
    },
    "correlation": {
        "group_strength": {
            "site": {"feature": "pages_per_visit", "phik": 0.7},
            "product": {"feature": "x", "phik": 0.2},
        },
        "with_label": [
            {"name": n, "phik": p} for n, p in (("pages_per_visit", 0.7), ("a", 0.5), ("b", 0.4), ("c", 0.1))
        ],
        "vif": {"removed": [{"name": "revenue_change", "exact": True}, {"name": "pages", "exact": False}]},
    },
}


def _by_key(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {finding["key"]: finding["values"] for finding in findings(results)}


def test_the_first_finding_is_the_named_segment_with_most_profit_at_risk_and_the_next() -> None:
    first = findings(RESULTS)[0]
    assert first["key"] == "segment_first"
    assert first["values"]["segment"] == "large"  # a risk x profit cell is no segment to start with
    assert first["values"]["next"] == {"segment": "middle", "profit_at_risk": 5.0}
    assert first["values"]["drivers"] == ["pages_per_visit"]


def test_the_best_return_is_the_most_saved_per_unit_of_cost() -> None:
    best = _by_key(RESULTS)["best_return"]
    assert best == {"segment": "small", "same": False, "expected_saved_profit": 4.0, "offer_cost": 1.0}


def test_the_features_and_the_data_follow_in_their_order() -> None:
    assert [f["key"] for f in findings(RESULTS)] == [
        "segment_first",
        "best_return",
        "strongest_group",
        "top_features",
        "minutes_trend",
        "class_balance",
        "duplicates",
        "data_quality",
    ]
    values = _by_key(RESULTS)
    assert values["strongest_group"]["mean"] == {"declined": 3.0, "unchanged": 6.0}
    assert [f["name"] for f in values["top_features"]["features"]] == ["pages_per_visit", "a", "b"]
    assert values["minutes_trend"] == {"declined": 10.0, "unchanged": 14.0}
    assert values["duplicates"] == {"features": ["revenue_change"]}
    assert values["data_quality"] == {"read": 10, "kept": 8, "fixes": 5, "quarantined": 1, "outliers": 1}


def test_no_minutes_trend_when_the_declined_customers_spent_as_much_time() -> None:
    same = {"minutes": {"declined": {"mean": [14.0, 9.0]}, "unchanged": {"mean": [14.0, 14.0]}}}
    assert "minutes_trend" not in _by_key(RESULTS | {"exploration": {"months": same}})


def test_without_segments_the_findings_say_so_first() -> None:
    keys = [f["key"] for f in findings({"quality": RESULTS["quality"], "segments": None})]
    assert keys == ["segments_missing", "class_balance", "data_quality"]


def test_the_campaign_and_the_model_findings() -> None:
    offers = {
        "curve": {"budget": [0.0, 1.0, 2.0], "expected_saved_profit": [0.0, 3.0, 4.0], "spent": [0.0, 1.0, 1.5]},
        "campaign": {"budget": 1.0, "n_customers": 3, "expected_saved_profit": 3.0},
        "horizon_months": 3.0,
    }
    model = {
        "holdout": {"roc_auc": 0.91, "recall": 0.8, "threshold": 0.4},
        "published_roc_auc": {"low": 0.89, "high": 0.917},
    }
    explanation = {"groups": {"site": 3.0, "product": 1.0}, "mean_abs_contribution": {"pages_per_visit": 1.0}}
    values = _by_key({"offers": offers, "model": model, "explanation": explanation})
    assert values["campaign"] == {
        "budget": 1.0,
        "n_customers": 3,
        "expected_saved_profit": 3.0,
        "full_cost": 1.5,
        "full_saved": 4.0,
        "half_budget": 1.0,
        "horizon_months": 3.0,
    }
    assert values["model_quality"]["roc_auc"] == 0.91
    assert values["model_group"] == {"group": "site", "share": 0.75, "feature": "pages_per_visit"}
