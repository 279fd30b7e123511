"""Exploration: a feature that differs between declined and kept customers is found, with its direction."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from oneclick.analysis import class_differences, strongest_difference

N = 60


@pytest.fixture
def table(make_customers: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """60 customers, the first half declined: they spend clearly less time on the site this month and are
    mostly premium; pages per visit is the same random mix in both classes."""
    rng = np.random.default_rng(0)
    pages = rng.integers(2, 12, N // 2)
    rows = [
        {
            "declined": k < N // 2,
            "minutes_current_month": float(rng.normal(8 if k < N // 2 else 16, 1.5)),
            "minutes_previous_month": float(rng.normal(11 if k < N // 2 else 15, 1.5)),
            "service_type": "premium" if (k < N // 2) == (k % 5 != 0) else "standard",
            "pages_per_visit": int(pages[k % (N // 2)]),
        }
        for k in range(N)
    ]
    return make_customers(rows)


def _feature(result: dict, name: str) -> dict:
    return next(f for f in result["features"] if f["name"] == name)


def test_a_feature_lower_in_declined_customers_gets_a_small_p_value_and_its_direction(table: pd.DataFrame) -> None:
    minutes = _feature(class_differences(table), "minutes_current_month")
    assert minutes["direction"] == "lower"
    assert minutes["p_value"] < 1e-6
    assert minutes["separation"] > 0.9
    assert minutes["mean"]["declined"] < minutes["mean"]["unchanged"]
    for shares in minutes["shares"].values():
        assert sum(shares) == pytest.approx(100, abs=0.01)


def test_a_feature_alike_in_both_classes_is_not_called_different(table: pd.DataFrame) -> None:
    pages = _feature(class_differences(table), "pages_per_visit")
    assert pages["separation"] == 0.0
    assert pages["direction"] == "same"
    assert pages["p_value"] == pytest.approx(1.0)
    assert pages["whole"] is True
    assert pages["edges"][1] - pages["edges"][0] == 1  # few whole values: one bin each


def test_a_category_more_frequent_among_declined_customers_is_named(table: pd.DataFrame) -> None:
    service = _feature(class_differences(table), "service_type")
    assert service["top_category"] == "premium"
    k = service["categories"].index("premium")
    assert service["shares"]["declined"][k] == pytest.approx(80.0)
    assert service["shares"]["unchanged"][k] == pytest.approx(20.0)
    assert service["separation"] == pytest.approx(0.6)
    assert service["p_value"] < 1e-3
    # A value every customer shares: no test to make.
    assert _feature(class_differences(table), "allows_messages")["p_value"] is None


def test_months_give_each_class_its_mean_and_standard_error(table: pd.DataFrame) -> None:
    minutes = class_differences(table)["months"]["minutes"]
    assert minutes["periods"] == ["previous_month", "current_month"]
    declined = table[table["declined"]]
    assert minutes["declined"]["mean"] == pytest.approx(
        [declined["minutes_previous_month"].mean(), declined["minutes_current_month"].mean()]
    )
    sem = declined["minutes_current_month"].std(ddof=1) / np.sqrt(len(declined))
    assert minutes["declined"]["sem"][1] == pytest.approx(sem)


def test_the_strongest_difference_of_a_group_and_of_all(table: pd.DataFrame) -> None:
    features = class_differences(table)["features"]
    assert strongest_difference(features)["name"] == "minutes_current_month"
    assert strongest_difference(features, "communication")["name"] == "service_type"
