"""Explanations in the store's words: values, directions, top drivers, importance by feature and group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oneclick.model.drivers import describe_driver, feature_importance, format_value, group_importance, top_drivers
from oneclick.model.explain import Explanation


@pytest.mark.parametrize(
    ("feature", "value", "lang", "text"),
    [
        ("pages_per_visit", 3, "ru", "3"),
        ("promo_purchase_share", 0.930, "en", "0.93"),
        ("promo_purchase_share", 0.930, "ru", "0,93"),
        ("revenue_change", -399.10000001, "ru", "−399"),
        ("allows_messages", True, "ru", "да"),
        ("allows_messages", np.False_, "en", "no"),
        ("service_type", "premium", "ru", "премиум"),
        ("favourite_category", "kids_goods", "ru", "Товары для детей"),
        ("favourite_category", "kids_goods", "en", "kids goods"),
    ],
)
def test_values_are_written_as_a_person_writes_them(feature: str, value: object, lang: str, text: str) -> None:
    assert format_value(feature, value, lang) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("contribution", "lang", "text"),
    [(0.8, "ru", "Страниц за визит = 3 (повышает риск)"), (-0.2, "en", "Pages per visit = 3 (lowers risk)")],
)
def test_a_driver_names_the_feature_its_value_and_direction(contribution: float, lang: str, text: str) -> None:
    assert describe_driver("pages_per_visit", 3, contribution, lang) == text  # type: ignore[arg-type]


@pytest.fixture
def explanation() -> tuple[Explanation, pd.DataFrame]:
    # Two customers, three features: the first driven up by pages, the second down by promo share.
    X = pd.DataFrame(
        {"pages_per_visit": [3, 12], "promo_purchase_share": [0.9, 0.1], "n_service_errors": [7, 2]},
        index=pd.Index([101, 102], name="customer_id"),
    )
    contributions = pd.DataFrame(
        {"pages_per_visit": [1.2, 0.1], "promo_purchase_share": [0.5, -0.9], "n_service_errors": [-0.7, 0.05]},
        index=X.index,
    )
    logit = pd.Series(contributions.sum(axis=1) - 0.5, name="logit")
    return Explanation(contributions, -0.5, logit, {}), X


def test_top_drivers_are_the_largest_contributions_either_way(explanation: tuple[Explanation, pd.DataFrame]) -> None:
    result, X = explanation
    table = top_drivers(result, X, n=2, lang="en")
    assert list(table.columns[:2]) == ["driver_1", "driver_2"]
    assert table.loc[101, "driver_1"] == "Pages per visit = 3 (raises risk)"
    assert table.loc[101, "driver_2"] == "Site errors = 7 (lowers risk)"
    assert table.loc[102, "driver_1_feature"] == "promo_purchase_share"
    assert table.loc[102, "driver_1_contribution"] == pytest.approx(-0.9)


def test_importance_per_feature_and_per_group(explanation: tuple[Explanation, pd.DataFrame]) -> None:
    result, _ = explanation
    features = feature_importance(result)
    # mean |contribution|: promo (0.5 + 0.9) / 2 = 0.7, pages 0.65, errors 0.375
    assert list(features["feature"]) == ["promo_purchase_share", "pages_per_visit", "n_service_errors"]
    assert features["share"].sum() == pytest.approx(1.0)
    assert list(features["group"]) == ["product", "site", "site"]
    groups = group_importance(result).set_index("group")
    # pages and errors are both "site": their contributions add before the absolute value is taken
    assert groups.loc["site", "mean_abs_contribution"] == pytest.approx((abs(1.2 - 0.7) + abs(0.1 + 0.05)) / 2)
    assert groups.loc["product", "label_en"] == "Product behaviour"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_drivers_in_words_read_as_each_customer_alone(lang: str) -> None:
    # Many customers sharing values (written once per value), of every kind of feature.
    rng = np.random.default_rng(0)
    n = 200
    X = pd.DataFrame(
        {
            "allows_messages": rng.integers(0, 2, n).astype(bool),
            "favourite_category": pd.Categorical(rng.choice(["kids_goods", "home_textiles"], n)),
            "pages_per_visit": rng.integers(1, 20, n),
            "promo_purchase_share": rng.choice([0.11, 0.5, 0.93, 1.0], n),
            "revenue_current_month": rng.normal(5000, 800, n),
        },
        index=pd.Index(range(1000, 1000 + n), name="customer_id"),
    )
    contributions = pd.DataFrame(rng.normal(0, 1, (n, X.shape[1])), columns=X.columns, index=X.index)
    logit = pd.Series(contributions.sum(axis=1), name="logit")
    table = top_drivers(Explanation(contributions, 0.0, logit, {}), X, n=3, lang=lang)  # type: ignore[arg-type]
    for customer in X.index[:50]:
        for k in (1, 2, 3):
            feature = table.loc[customer, f"driver_{k}_feature"]
            alone = describe_driver(feature, X.loc[customer, feature], contributions.loc[customer, feature], lang)  # type: ignore[arg-type]
            assert table.loc[customer, f"driver_{k}"] == alone
