"""Segment profiles: each segment against the rest, on four hand-made customers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from oneclick.errors import InputDataError
from oneclick.segments import assign_segments, cohens_d, profile_segments


@pytest.fixture
def four(make_customers: Callable[..., pd.DataFrame], make_contributions: Callable[..., pd.DataFrame]):
    customers = make_customers(
        [
            # 1 and 2: valuable at risk, premium kids' goods buyers whose minutes fell
            {
                "profit": 6.0,
                "declined": True,
                "service_type": "premium",
                "favourite_category": "kids_goods",
                "minutes_previous_month": 14.0,
                "minutes_current_month": 9.0,
                "minutes_change": -5.0,
            },
            {
                "profit": 5.0,
                "declined": True,
                "favourite_category": "kids_goods",
                "allows_messages": False,
                "minutes_previous_month": 12.0,
                "minutes_current_month": 10.0,
                "minutes_change": -2.0,
            },
            # 3 and 4: low risk, low profit
            {"profit": 2.0, "favourite_category": "home_textiles"},
            {"profit": 3.0, "favourite_category": "kitchenware", "declined": True},
        ]
    )
    probability = pd.Series([0.8, 0.6, 0.2, 0.4], index=customers.index)
    contributions = make_contributions(
        customers,
        minutes_change=[0.9, 0.5, -0.2, -0.1],
        promo_purchase_share=[0.1, 0.3, 0.0, 0.0],
        pages_per_visit=[-0.3, -0.3, 0.2, 0.2],
    )
    return customers, probability, contributions


def test_summary_of_a_segment_against_the_rest(four) -> None:
    customers, probability, contributions = four
    profiles = profile_segments(customers, probability, contributions, assign_segments(customers, probability))
    row = profiles.summary.set_index("segment").loc["valuable_at_risk"]
    assert row["n_customers"] == 2 and row["share_of_customers"] == 0.5
    assert row["share_declined"] == 1.0 and row["share_declined_rest"] == 0.5
    assert row["mean_profit"] == 5.5 and row["mean_profit_rest"] == 2.5
    assert row["profit_at_risk"] == pytest.approx(0.8 * 6 + 0.6 * 5)
    assert row["share_of_profit_at_risk"] == pytest.approx(7.8 / (7.8 + 0.4 + 1.2))
    assert row["minutes_trend"] == "13.0 → 9.5"
    assert row["mean_minutes_change"] == -3.5 and row["mean_minutes_change_rest"] == 0.0
    assert row["top_categories"] == "Товары для детей 100%"
    assert row["premium_share"] == 0.5 and row["premium_share_rest"] == 0.0
    assert row["allows_messages_share"] == 0.5 and row["allows_messages_share_rest"] == 1.0
    assert row["top_drivers"] == "Изменение минут к прошлому месяцу +0.70; Доля акционных покупок +0.20"
    assert row["top_driver_groups"].startswith("Поведение на сайте +0.40")
    assert row["d_minutes_change"] < 0 and row["mean_minutes_change"] == -3.5
    assert set(profiles.summary["segment"]) >= {"promo_hunters_at_risk", "high_risk_high_profit", "low_risk_low_profit"}


def test_feature_effects_and_drivers_tables(four) -> None:
    customers, probability, contributions = four
    profiles = profile_segments(
        customers, probability, contributions, assign_segments(customers, probability), lang="en"
    )
    effects = profiles.features.query("segment == 'valuable_at_risk'").set_index(["feature", "level"])
    kids = effects.loc[("favourite_category", "kids_goods")]
    assert (kids["mean_segment"], kids["mean_rest"], kids["effect_size"]) == (1.0, 0.0, 1.0)
    assert kids["effect_measure"] == "share_difference"
    assert effects.loc[("allows_messages", "no"), "effect_size"] == 0.5
    minutes = effects.loc[("minutes_change", "")]
    assert minutes["effect_measure"] == "cohen_d"
    assert minutes["effect_size"] == pytest.approx(cohens_d(pd.Series([-5.0, -2.0]), pd.Series([0.0, 0.0])))
    drivers = profiles.drivers.query("segment == 'valuable_at_risk' and scope == 'group'").set_index("name")
    assert drivers.loc["site", "mean_contribution_segment"] == pytest.approx(0.4)
    assert drivers.loc["site", "mean_contribution_rest"] == pytest.approx(0.05)
    assert drivers.loc["site", "label"] == "Behaviour on the site"


def test_an_empty_segment_is_profiled_without_failing(four) -> None:
    customers, probability, contributions = four
    profiles = profile_segments(customers, probability, contributions, assign_segments(customers, probability))
    row = profiles.summary.set_index("segment").loc["appliance_buyers"]
    assert row["n_customers"] == 0 and row["profit_at_risk"] == 0.0
    assert np.isnan(row["mean_profit"]) and row["top_categories"] == "" and row["top_drivers"] == ""


@pytest.mark.parametrize(
    ("segment", "rest", "expected"),
    [([1.0, 2.0, 3.0], [4.0, 5.0, 6.0], -3.0), ([2.0, 2.0], [2.0, 2.0], 0.0), ([1.0], [1.0, 2.0], np.nan)],
)
def test_cohens_d(segment: list[float], rest: list[float], expected: float) -> None:
    assert cohens_d(pd.Series(segment), pd.Series(rest)) == pytest.approx(expected, nan_ok=True)


def test_contributions_must_cover_every_feature(four) -> None:
    customers, probability, contributions = four
    with pytest.raises(InputDataError, match=r"contributions lack feature column\(s\) \['minutes_change'\]"):
        profile_segments(
            customers,
            probability,
            contributions.drop(columns="minutes_change"),
            assign_segments(customers, probability),
        )
