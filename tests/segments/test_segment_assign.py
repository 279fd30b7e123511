"""Cells, named segments and the primary segment, on six hand-made customers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oneclick.errors import InputDataError
from oneclick.segments import Thresholds, assign_segments, load_segment_scheme
from oneclick.segments.conditions import Condition, Quantile, Threshold, condition_mask


@pytest.fixture
def six(make_customers: Callable[..., pd.DataFrame]) -> tuple[pd.DataFrame, pd.Series]:
    customers = make_customers(
        [
            {"profit": 6.0},  # 1 valuable at risk
            {"profit": 2.0, "promo_purchase_share": 0.95},  # 2 promo hunter at risk
            {"profit": 6.0, "promo_purchase_share": 0.95},  # 3 both: valuable wins
            {"profit": 5.0, "favourite_category": "small_appliances_electronics"},  # 4 appliances, low risk
            {"profit": 3.0, "favourite_category": "beauty_health_tech"},  # 5 appliances and for themselves
            {"profit": 1.0},  # 6 in no named segment
        ]
    )
    probability = pd.Series([0.9, 0.8, 0.7, 0.2, 0.1, 0.3], index=customers.index)
    return customers, probability


def test_members_primary_segment_and_cells(six: tuple[pd.DataFrame, pd.Series]) -> None:
    customers, probability = six
    assignment = assign_segments(customers, probability)
    assert assignment.thresholds == Thresholds(high_risk=0.5, high_profit=4.0)  # median of 6,2,6,5,3,1
    assert assignment.segment_lists().tolist() == [
        "valuable_at_risk",
        "promo_hunters_at_risk",
        "valuable_at_risk;promo_hunters_at_risk",
        "appliance_buyers",
        "appliance_buyers;for_themselves",
        "",
    ]
    assert assignment.primary_segment.tolist() == [
        "valuable_at_risk",
        "promo_hunters_at_risk",
        "valuable_at_risk",
        "appliance_buyers",
        "appliance_buyers",
        "low_risk_low_profit",
    ]
    assert assignment.risk_profit_cell.tolist() == [
        "high_risk_high_profit",
        "high_risk_low_profit",
        "high_risk_high_profit",
        "low_risk_high_profit",
        "low_risk_low_profit",
        "low_risk_low_profit",
    ]
    assert assignment.title("low_risk_low_profit", "en") == "low risk · low profit"
    assert assignment.kinds["valuable_at_risk"] == "named" and assignment.kinds["high_risk_low_profit"] == "cell"


def test_the_models_threshold_is_used_when_given(six: tuple[pd.DataFrame, pd.Series]) -> None:
    customers, probability = six
    assignment = assign_segments(customers, probability, model_threshold=0.75)
    assert assignment.thresholds.high_risk == 0.75
    assert assignment.membership["promo_hunters_at_risk"].tolist() == [False, True, False, False, False, False]
    assert "0.75" in assignment.rules["high_risk_high_profit"]


def test_quantile_thresholds_are_learned_and_shown(six: tuple[pd.DataFrame, pd.Series], tmp_path: Path) -> None:
    customers, probability = six
    path = tmp_path / "segments.yaml"
    path.write_text(
        "thresholds: {high_risk: {quantile: 0.5}, high_profit: 5}\n"
        "segments:\n  - name: rich\n    when: [{feature: profit, op: '>=', value: {quantile: 0.8}}]\n",
        encoding="utf-8",
    )
    assignment = assign_segments(customers, probability, load_segment_scheme(path))
    assert assignment.thresholds == Thresholds(high_risk=pytest.approx(0.5), high_profit=5.0)
    assert assignment.membership["rich"].tolist() == [True, False, True, False, False, False]
    assert assignment.rules["rich"] == "profit >= 6 (quantile 0.8)"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (Condition("minutes_change", "<", -2), [True, False, False, False]),
        (Condition("minutes_change", "<=", -2), [True, True, False, False]),
        (Condition("minutes_change", ">", 0), [False, False, True, False]),
        (Condition("minutes_change", ">=", 0), [False, False, True, True]),
        (Condition("minutes_change", "==", 0), [False, False, False, True]),
        (Condition("minutes_change", "!=", 0), [True, True, True, False]),
        (Condition("minutes_change", ">=", Quantile(0.5)), [False, False, True, True]),
        (Condition("favourite_category", "in", ("kids_goods", "kitchenware")), [True, True, False, False]),
        (Condition("favourite_category", "not in", ("kids_goods",)), [False, True, True, True]),
        (Condition("allows_messages", "==", False), [False, False, True, False]),
        (Condition("service_type", "!=", "premium"), [True, True, True, False]),
        (Condition("decline_probability", ">=", Threshold("high_risk")), [True, False, True, False]),
    ],
)
def test_each_operator(make_customers: Callable[..., pd.DataFrame], condition: Condition, expected: list[bool]) -> None:
    table = make_customers(
        [
            {"minutes_change": -5.0, "favourite_category": "kids_goods"},
            {"minutes_change": -2.0},
            {"minutes_change": 3.0, "favourite_category": "home_textiles", "allows_messages": False},
            {"minutes_change": 0.0, "favourite_category": "home_textiles", "service_type": "premium"},
        ]
    ).assign(decline_probability=[0.9, 0.1, 0.6, 0.5 - 1e-9])
    mask = condition_mask(condition, table, Thresholds(high_risk=0.6, high_profit=4.0))
    assert mask.tolist() == expected


def test_a_missing_value_meets_no_comparison(make_customers: Callable[..., pd.DataFrame]) -> None:
    table = make_customers([{"minutes_change": np.nan}, {"minutes_change": 1.0}])
    for op in ("<", ">=", "!="):
        mask = condition_mask(Condition("minutes_change", op, 0.5), table, Thresholds(0.5, 4.0))
        assert not mask.iloc[0]


@pytest.mark.parametrize(
    ("probability", "message"),
    [
        (pd.Series([0.5], index=[1]), r"decline_probability lacks 1 customer\(s\), e\.g\. \[2\]"),
        (pd.Series([0.5, 1.2], index=[1, 2]), r"1 value\(s\) outside \[0, 1\].*customers \[2\]"),
        (pd.Series([0.5, np.nan], index=[1, 2]), r"outside \[0, 1\] or missing"),
    ],
)
def test_bad_probabilities_are_refused(
    make_customers: Callable[..., pd.DataFrame], probability: pd.Series, message: str
) -> None:
    with pytest.raises(InputDataError, match=message):
        assign_segments(make_customers([{}, {}]), probability)


def test_probabilities_in_another_order_are_aligned(make_customers: Callable[..., pd.DataFrame]) -> None:
    customers = make_customers([{"profit": 6.0}, {"profit": 1.0}])
    assignment = assign_segments(customers, pd.Series([0.1, 0.9], index=[2, 1]))
    assert assignment.primary_segment.tolist() == ["valuable_at_risk", "low_risk_low_profit"]
