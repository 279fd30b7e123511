"""Correlation: φK finds the feature that tells the classes apart; VIF finds the features that duplicate others."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from oneclick.analysis import VIF_HIGH, feature_associations, strong_pairs, vif, vif_study
from oneclick.features.groups import FEATURE_NAMES


@pytest.fixture(scope="module")
def months() -> pd.DataFrame:
    """Two months of revenue, their change (an exact combination) and an unrelated column."""
    rng = np.random.default_rng(1)
    previous, current = rng.normal(5000, 300, 80), rng.normal(5100, 300, 80)
    return pd.DataFrame(
        {
            "revenue_previous_month": previous,
            "revenue_current_month": current,
            "revenue_change": current - previous,
            "pages_per_visit": rng.normal(8, 2, 80),
        }
    )


def test_vif_of_a_column_made_of_others_is_infinite_and_of_unrelated_columns_near_one(months: pd.DataFrame) -> None:
    values = vif(months)
    assert values["revenue_change"] == np.inf
    assert vif(months.drop(columns="revenue_change"))["pages_per_visit"] == pytest.approx(1.0, abs=0.2)


def test_vif_of_a_nearly_collinear_column_is_large(months: pd.DataFrame) -> None:
    noisy = months.drop(columns="revenue_change").assign(
        revenue_twice=lambda f: 2 * f["revenue_current_month"] + np.random.default_rng(2).normal(0, 20, len(f))
    )
    values = vif(noisy)
    assert VIF_HIGH < values["revenue_twice"] < np.inf
    assert values["pages_per_visit"] < 2


def test_the_vif_study_removes_the_derived_change_and_says_what_it_is_made_of(months: pd.DataFrame) -> None:
    study = vif_study(months.assign(constant=1.0))
    assert study["constant"] == ["constant"]
    assert [item["name"] for item in study["removed"]] == ["revenue_change"]
    removed = study["removed"][0]
    assert removed["exact"] is True and removed["vif"] is None  # JSON has no infinity
    terms = {term["name"]: term["coef"] for term in removed["combination"]}
    assert terms == pytest.approx({"revenue_current_month": 1.0, "revenue_previous_month": -1.0}, abs=1e-3)
    assert set(study["after"]) == {"revenue_previous_month", "revenue_current_month", "pages_per_visit"}
    assert study["max_after"]["vif"] <= VIF_HIGH


def test_strong_pairs_are_those_at_or_above_the_threshold_strongest_first() -> None:
    names = ["a", "b", "c"]
    matrix = pd.DataFrame([[1.0, 0.8, 0.95], [0.8, 1.0, 0.3], [0.95, 0.3, 1.0]], index=names, columns=names)
    assert strong_pairs(matrix) == [{"a": "a", "b": "c", "phik": 0.95}, {"a": "a", "b": "b", "phik": 0.8}]


def test_phik_names_the_feature_that_determines_the_label(make_customers: Callable[..., pd.DataFrame]) -> None:
    rng = np.random.default_rng(3)
    rows = []
    for k in range(80):
        declined = k % 2 == 0
        row = {name: float(rng.integers(0, 20)) for name in ("pages_per_visit", "n_service_errors")}
        for name in FEATURE_NAMES:  # every feature varies, so φK is defined for each pair
            if name not in ("service_type", "allows_messages", "favourite_category"):
                row.setdefault(name, float(rng.normal(10, 3)))
        rows.append(
            row
            | {
                "declined": declined,
                "minutes_current_month": float(rng.normal(6 if declined else 16, 1)),
                "service_type": "premium" if rng.random() < 0.5 else "standard",
                "allows_messages": bool(rng.random() < 0.5),
                "favourite_category": "kitchenware" if rng.random() < 0.5 else "kids_goods",
            }
        )
    table = make_customers(rows)
    result = feature_associations(table)
    assert result["names"] == [*FEATURE_NAMES, "declined"]
    matrix = np.array([[np.nan if v is None else v for v in row] for row in result["matrix"]])
    np.testing.assert_allclose(matrix, matrix.T)
    assert result["with_label"][0]["name"] == "minutes_current_month"
    assert result["with_label"][0]["phik"] > 0.8
    assert next(iter(result["group_strength"])) == "site"
    assert result["phik_sample"] is None
    # A table that is a sample of a larger run says so.
    assert feature_associations(table, population=1_000)["phik_sample"] == {"n_customers": 80, "population": 1_000}
