"""The best offer for each customer, or the reason there is none: nobody is dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oneclick.offers.catalogue import NO_OFFER, OfferCatalogue
from oneclick.offers.reasons import Lang, join_reason, no_offer_phrase, offer_phrase
from oneclick.offers.value import OfferValues, best_offers

CHOICE_COLUMNS = [
    "offer",
    "offer_title",
    "offer_cost",
    "offer_uplift_assumed",
    "expected_saved_profit",
    "n_eligible_offers",
    "reason",
]


def choose_offers(
    values: OfferValues,
    catalogue: OfferCatalogue,
    drivers: pd.Series,
    *,
    lang: Lang = "ru",
) -> pd.DataFrame:
    """One row per customer: the eligible offer with the highest expected saved profit, if worth its cost.

    A customer whose best offer saves no more than ``catalogue.min_expected_saved_profit`` (or who
    fits no offer) gets ``offer = "no_offer"``, zero cost and saving, and the reason in words.
    ``drivers``: each customer's risk drivers in words (see :func:`risk_drivers`).
    """
    best, best_saved = best_offers(values)
    worth = (best_saved > catalogue.min_expected_saved_profit).to_numpy()
    index = values.cost.index
    cost = pick(values.cost, best)
    uplift = pick(values.uplift, best)
    titles = {offer.id: offer.label(lang) for offer in catalogue.offers}
    reasons = []
    driver_texts = drivers.reindex(index).fillna("").astype(str).tolist()
    for offer_id, saved, spent, is_worth, driver_text in zip(
        best.tolist(), best_saved.tolist(), cost.tolist(), worth.tolist(), driver_texts, strict=True
    ):
        if is_worth:
            decision = offer_phrase(titles[offer_id], saved, spent, catalogue.horizon_months, lang)
        else:
            decision = no_offer_phrase(titles.get(offer_id) if offer_id else None, saved, spent, lang)
        reasons.append(join_reason(driver_text, decision))
    chosen = pd.DataFrame(
        {
            "offer": np.where(worth, best.to_numpy(dtype=object), NO_OFFER),
            "offer_title": [titles[o] if w else "" for o, w in zip(best, worth, strict=True)],
            "offer_cost": np.where(worth, cost, 0.0),
            "offer_uplift_assumed": np.where(worth, uplift, 0.0),
            "expected_saved_profit": np.where(worth, best_saved.to_numpy(), 0.0),
            "n_eligible_offers": values.eligible.sum(axis=1).astype("int64").to_numpy(),
            "reason": reasons,
        },
        index=index,
    )
    return chosen[CHOICE_COLUMNS]


def pick(frame: pd.DataFrame, chosen: pd.Series) -> np.ndarray:
    """``frame[customer, chosen offer]`` for every customer; NaN where no offer was chosen."""
    positions = pd.Index(frame.columns).get_indexer(chosen.fillna("").to_numpy())
    values = frame.to_numpy(dtype=float)
    picked = values[np.arange(len(values)), np.maximum(positions, 0)]
    return np.where(positions >= 0, picked, np.nan)
