"""The best offer for each customer, or the reason there is none: nobody is dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oneclick.language import Texts, as_series, as_texts, by_choice, take, texts
from oneclick.offers.catalogue import NO_OFFER, OfferCatalogue
from oneclick.offers.reasons import Lang, join_reasons, no_offer_phrases, offer_phrases
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
    ids = [offer.id for offer in catalogue.offers]
    position = pd.Index(ids, dtype=object).get_indexer(best.to_numpy(dtype=object))  # -1: no offer fits
    titles = texts([offer.label(lang) for offer in catalogue.offers])
    saved = best_saved.to_numpy(dtype=float)

    def decision(is_worth: int, rows: np.ndarray) -> Texts:
        offered = take(titles, position[rows])
        if is_worth:
            return offer_phrases(offered, saved[rows], cost[rows], catalogue.horizon_months, lang)
        return no_offer_phrases(offered, saved[rows], cost[rows], lang)

    decisions = by_choice(worth.astype(np.int64), decision)
    reasons = join_reasons(as_texts(drivers.reindex(index).fillna("").astype(str)), decisions)
    chosen = pd.DataFrame(
        {
            "offer": np.where(worth, best.to_numpy(dtype=object), NO_OFFER),
            "offer_title": as_series(take(titles, np.where(worth, position, -1)).fill_null(""), index),
            "offer_cost": np.where(worth, cost, 0.0),
            "offer_uplift_assumed": np.where(worth, uplift, 0.0),
            "expected_saved_profit": np.where(worth, best_saved.to_numpy(), 0.0),
            "n_eligible_offers": values.eligible.sum(axis=1).astype("int64").to_numpy(),
            "reason": as_series(reasons, index),
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
