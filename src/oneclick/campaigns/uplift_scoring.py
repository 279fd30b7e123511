"""A plan's offers scored by a kept uplift model where one covers them, by the catalogue's rule elsewhere.

For an offer that the newest evaluation keeping a model covers (:mod:`oneclick.store.uplift_models`),
a customer's expected saved profit is the model's predicted drop in decline probability x profit x
horizon - cost, instead of the rule's assumed uplift x decline probability x profit x horizon - cost.
Eligibility, cost and the catalogue's assumed uplift stay as they were: the model changes what an
offer is worth to a customer, not who may receive it. Every other offer keeps the catalogue's figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from oneclick.campaigns.uplift_kept import load_uplift_model, predict_uplift
from oneclick.offers import OfferCatalogue
from oneclick.offers.value import OfferValues
from oneclick.segments.conditions import PROFIT
from oneclick.store.uplift_models import UpliftModelRecord


def score_by_uplift_models(
    values: OfferValues,
    table: pd.DataFrame,
    segment: pd.Series,
    catalogue: OfferCatalogue,
    models: Mapping[str, UpliftModelRecord],
) -> tuple[OfferValues, list[dict[str, Any]]]:
    """``values`` with each covered offer's expected saved profit from its model, and which offers those were.

    ``table``: the run's customers (features, ``profit``, ``decline_probability``); ``segment``: each
    one's primary segment; ``models``: the newest kept model per offer. Returns the new values and,
    per offer scored by a model, ``{offer_id, campaign_id, evaluation_id, model_id}``.
    """
    saved = values.expected_saved_profit.copy()
    scored: list[dict[str, Any]] = []
    loaded: dict[str, Any] = {}
    profit_at_horizon = table[PROFIT].to_numpy(dtype=float) * catalogue.horizon_months
    for offer in catalogue.offers:
        record = models.get(offer.id)
        if record is None:
            continue
        if record.evaluation_id not in loaded:
            where = f"uplift model {record.uplift_model_id} (evaluation {record.evaluation_id})"
            loaded[record.evaluation_id] = load_uplift_model(record.skops, record.metadata, where=where)
        uplift = predict_uplift(loaded[record.evaluation_id], table, segment, offer.id).to_numpy()
        eligible = values.eligible[offer.id].to_numpy()
        by_model = uplift * profit_at_horizon - values.cost[offer.id].to_numpy()
        saved[offer.id] = np.where(eligible, by_model, np.nan)
        scored.append(
            {
                "offer_id": offer.id,
                "campaign_id": record.campaign_id,
                "evaluation_id": record.evaluation_id,
                "model_id": record.uplift_model_id,
            }
        )
    return replace(values, expected_saved_profit=saved), scored
