"""Issue #4's "done when" on the store's real data, with a quick logistic regression standing in for the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oneclick import build_customer_table, load_tables
from oneclick.features.groups import FEATURE_NAMES
from oneclick.offers import NO_OFFER, build_offers

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "one_click"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not DATA.is_dir(), reason="the store's data is not here")]


def quick_model(customers: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Probability and per-feature contributions (coef x centred one-hot value, summed per feature)."""
    from sklearn.linear_model import LogisticRegression

    x = pd.get_dummies(
        customers[FEATURE_NAMES].astype({"allows_messages": int}),
        columns=["service_type", "favourite_category"],
        dtype=float,
    )
    x = (x - x.mean()) / x.std()
    model = LogisticRegression(C=0.5, max_iter=2000).fit(x, customers["declined"].astype(int))
    probability = pd.Series(model.predict_proba(x)[:, 1], index=x.index)
    source = {column: next(f for f in FEATURE_NAMES if column == f or column.startswith(f + "_")) for column in x}
    contributions = (x * model.coef_[0]).T.groupby(pd.Series(source)).sum().T[FEATURE_NAMES]
    return probability, contributions


@pytest.fixture(scope="module")
def result():
    customers = build_customer_table(load_tables(DATA))
    probability, contributions = quick_model(customers)
    return build_offers(customers, probability, contributions, budget=50.0, curve_points=4)


def test_each_named_segment_has_a_size_and_profit_at_risk(result) -> None:
    named = [s for s in result.summary["segments"] if s["kind"] == "named"]
    assert len(named) == 5
    assert all(s["n_customers"] > 50 and s["profit_at_risk"] > 0 for s in named)
    assert result.summary["top_segment"]["segment"] in {s["segment"] for s in named}


def test_offers_differ_across_segments(result) -> None:
    top_offers = {s["segment"]: s["top_offer"] for s in result.summary["segments"] if s["kind"] == "named"}
    assert len(set(top_offers.values())) >= 3, top_offers


def test_every_high_risk_customer_has_an_offer_or_a_reason(result) -> None:
    high_risk = result.offers[result.offers["is_high_risk"]]
    assert len(high_risk) > 100
    assert ((high_risk["offer"] != NO_OFFER) | (high_risk["reason"].str.len() > 0)).all()


def test_the_campaign_keeps_the_budget(result) -> None:
    assert result.offers.loc[result.offers["in_campaign"], "campaign_cost"].sum() <= 50.0
    assert result.campaign.status == "optimal"
    assert (np.diff(result.profit_curve["expected_saved_profit"]) >= 0).all()
