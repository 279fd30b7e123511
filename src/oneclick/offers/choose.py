"""The best offer for each customer, or the reason there is none: nobody is dropped."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oneclick.language import Coded, Texts, as_series, as_texts, take, texts
from oneclick.offers.catalogue import NO_OFFER, OfferCatalogue
from oneclick.offers.reasons import Lang, reasons
from oneclick.offers.value import OfferValues, best_positions

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
    choice = _Choice.of(values, catalogue, lang)
    index = values.cost.index
    words = choice.reasons(drivers, index, catalogue, lang)
    found, worth, titles = choice.found, choice.worth, choice.titles
    ids = texts([*values.cost.columns, NO_OFFER])
    chosen = pd.DataFrame(
        {
            "offer": as_series(take(ids, np.where(worth, found, len(ids) - 1)), index),
            "offer_title": as_series(take(texts([*titles, ""]), np.where(worth, found, len(titles))), index),
            "offer_cost": np.where(worth, choice.cost, 0.0),
            "offer_uplift_assumed": np.where(worth, choice.uplift, 0.0),
            "expected_saved_profit": np.where(worth, choice.saved, 0.0),
            "n_eligible_offers": values.eligible.to_numpy().sum(axis=1, dtype=np.int64),
            "reason": as_series(words, index),
        },
        index=index,
    )
    return chosen[CHOICE_COLUMNS] if list(chosen.columns) != CHOICE_COLUMNS else chosen


def offer_reasons(
    values: OfferValues, catalogue: OfferCatalogue, drivers: pd.Series, *, lang: Lang = "ru"
) -> pd.Series:
    """``choose_offers(...)["reason"]`` alone, for a caller that has the rest of the choice already."""
    index = values.cost.index
    return as_series(_Choice.of(values, catalogue, lang).reasons(drivers, index, catalogue, lang), index, "reason")


@dataclass(frozen=True)
class _Choice:
    """Each customer's best offer (a position among the offers, -1: none fits) and whether it is worth its cost."""

    found: np.ndarray
    saved: np.ndarray
    cost: np.ndarray
    uplift: np.ndarray
    worth: np.ndarray
    titles: list[str]  # of the offers, in the columns' order

    @classmethod
    def of(cls, values: OfferValues, catalogue: OfferCatalogue, lang: Lang) -> _Choice:
        saved_by_offer = values.expected_saved_profit.to_numpy(dtype=float)
        cost_by_offer = values.cost.to_numpy(dtype=float)
        found = best_positions(saved_by_offer, cost_by_offer)  # offers.value.best_offers' choice, as positions
        rows, position = np.arange(len(found)), np.maximum(found, 0)
        saved = np.where(found >= 0, saved_by_offer[rows, position], np.nan)
        cost = np.where(found >= 0, cost_by_offer[rows, position], np.nan)
        uplift = np.where(found >= 0, values.uplift.to_numpy(dtype=float)[rows, position], np.nan)
        worth = saved > catalogue.min_expected_saved_profit
        labels = {offer.id: offer.label(lang) for offer in catalogue.offers}
        titles = [labels.get(offer, "") for offer in values.cost.columns]
        return cls(found, saved, cost, uplift, worth, titles)

    def reasons(self, drivers: pd.Series, index: pd.Index, catalogue: OfferCatalogue, lang: Lang) -> Texts:
        """The reason in words of each customer's choice: its drivers, then the decision."""
        found, horizon = Coded(self.found, self.titles), catalogue.horizon_months
        return reasons(_driver_texts(drivers, index), found, self.worth, self.saved, self.cost, horizon, lang)


def _driver_texts(drivers: pd.Series, index: pd.Index) -> Texts:
    """The customers' drivers in words, in the order of ``index``; "" where there are none."""
    drivers = drivers if drivers.index.equals(index) else drivers.reindex(index)
    if not isinstance(drivers.dtype, pd.StringDtype):  # e.g. objects: written as str() writes them
        drivers = drivers.fillna("").astype(str)
    words = as_texts(drivers)
    return words.fill_null("") if words.null_count else words


def pick(frame: pd.DataFrame, chosen: pd.Series) -> np.ndarray:
    """``frame[customer, chosen offer]`` for every customer; NaN where no offer was chosen."""
    positions = pd.Index(frame.columns).get_indexer(chosen.fillna("").to_numpy())
    values = frame.to_numpy(dtype=float)
    picked = values[np.arange(len(values)), np.maximum(positions, 0)]
    return np.where(positions >= 0, picked, np.nan)
