"""A constructed campaign whose true uplift is known, for the uplift model's tests.

One offer to promo hunters at risk, 60 % treated; the rule assumes a 30 % uplift of every customer's
decline. ``promo_purchase_share`` is drawn independently of the decline probability and profit the
rule ranks by, so an effect that depends on it is one the rule cannot see.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HORIZON = 3.0


def _campaign(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Campaign customers (60 % treated) and their pre-campaign features; the rule assumes a 30 % uplift.

    ``promo_purchase_share`` is drawn independently of the decline probability and profit the rule ranks by.
    """
    ids = np.arange(1, n + 1)
    campaign = pd.DataFrame(
        {
            "customer_id": ids,
            "segment": "promo_hunters_at_risk",
            "offer_id": "discount_10",
            "stratum": "promo_hunters_at_risk|discount_10",
            "arm": np.where(rng.random(n) < 0.6, "treatment", "control"),
            "decline_probability": rng.uniform(0.2, 0.7, n),
            "profit": rng.uniform(2.0, 6.0, n),
            "cost": 0.5,
            "assumed_uplift": 0.3,
            "expected_saved_profit": 0.0,
        }
    )
    features = pd.DataFrame(
        {"promo_purchase_share": rng.random(n), "pages_per_visit": rng.uniform(1, 10, n)},
        index=pd.Index(ids, name="customer_id"),
    )
    return campaign, features


def _declined(campaign: pd.DataFrame, features: pd.DataFrame, effect: str, rng: np.random.Generator) -> pd.Series:
    base = campaign["decline_probability"].to_numpy()
    treated = (campaign["arm"] == "treatment").to_numpy()
    promo = features["promo_purchase_share"].to_numpy()
    if effect == "by_feature":  # promo hunters lose 40 points of decline; the others decline 15 points more
        when_treated = np.where(promo > 0.5, base - 0.4, base + 0.15)
    elif effect == "as_assumed":  # the rule's own assumption: 30 % of every customer's decline removed
        when_treated = base * 0.7
    else:  # no effect at all
        when_treated = base
    rate = np.clip(np.where(treated, when_treated, base), 0.0, 1.0)
    return pd.Series((rng.random(len(campaign)) < rate).astype(int), index=campaign.index, name="declined")


def campaign_with_outcome(effect: str, n: int = 2400, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The campaign's customers with their outcome ``declined``, and their pre-campaign features.

    ``effect``: ``by_feature`` (promo hunters lose 40 points of decline, the others gain 15),
    ``as_assumed`` (the rule's own 30 %) or ``none``.
    """
    rng = np.random.default_rng(seed)
    campaign, features = _campaign(n, rng)
    return campaign.assign(declined=_declined(campaign, features, effect, rng)), features
