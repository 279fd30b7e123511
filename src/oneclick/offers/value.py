"""What each offer would cost and save for each customer: the customers x offers tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oneclick.offers.catalogue import Offer, OfferCatalogue
from oneclick.segments.conditions import PROFIT, RISK, Thresholds, rule_values


@dataclass(frozen=True)
class OfferValues:
    """Customers x offers tables (columns in catalogue order), all in profit units.

    ``expected_saved_profit`` = decline_probability x profit x horizon_months x uplift - cost,
    NaN where the customer is not eligible for the offer.
    """

    eligible: pd.DataFrame
    cost: pd.DataFrame
    uplift: pd.DataFrame
    expected_saved_profit: pd.DataFrame

    def worth(self, minimum: float = 0.0) -> pd.DataFrame:
        """Eligible pairs that save more than ``minimum``."""
        return self.eligible & (self.expected_saved_profit > minimum)


def offer_values(
    table: pd.DataFrame,
    catalogue: OfferCatalogue,
    thresholds: Thresholds,
    membership: pd.DataFrame,
) -> OfferValues:
    """Eligibility, cost, assumed uplift and expected saved profit of every offer for every customer.

    ``table``: features, ``profit`` and ``decline_probability`` per customer; ``membership``:
    one boolean column per segment (named segments and risk x profit cells).
    """
    aligned = membership.index.equals(table.index)
    # a customer missing from the memberships is in no segment, and its uplift is unknown
    members = membership if aligned else membership.reindex(table.index, fill_value=False)
    risk, profit = table[RISK].to_numpy(), table[PROFIT].to_numpy()
    profit_at_stake = risk * profit * catalogue.horizon_months
    revenue = table[catalogue.revenue_column].to_numpy(dtype=float)
    revenue = np.where((revenue >= 0) | np.isnan(revenue), revenue, 0.0) * catalogue.revenue_to_profit_units
    n_customers, n_offers = len(table), len(catalogue.offers)
    eligible = np.empty((n_customers, n_offers), dtype=bool)
    cost, uplift = np.empty((n_customers, n_offers)), np.empty((n_customers, n_offers))
    for position, offer in enumerate(catalogue.offers):
        eligible[:, position] = rule_values(offer.eligible, table, thresholds, members)
        cost[:, position] = offer.cost_fixed + offer.cost_revenue_share * revenue
        if aligned:
            uplift[:, position] = _uplift(offer, membership, n_customers)
        else:
            uplift[:, position] = offer_uplift(offer, membership).reindex(table.index).to_numpy()
    saved = np.where(eligible, uplift * profit_at_stake[:, None] - cost, np.nan)
    ids = pd.Index([offer.id for offer in catalogue.offers])

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=table.index, columns=ids, copy=False)

    return OfferValues(frame(eligible), frame(cost), frame(uplift), frame(saved))


def offer_uplift(offer: Offer, membership: pd.DataFrame) -> pd.Series:
    """The offer's assumed uplift per customer: the first listed segment the customer is in, else the default."""
    return pd.Series(_uplift(offer, membership, len(membership)), index=membership.index, dtype=float)


def _uplift(offer: Offer, membership: pd.DataFrame, n_customers: int) -> np.ndarray:
    uplift = np.full(n_customers, float(offer.uplift))
    decided = np.zeros(n_customers, dtype=bool)
    for segment, value in offer.uplift_in_segments:
        now = membership[segment].to_numpy(dtype=bool) & ~decided
        uplift[now] = value
        decided |= now
    return uplift


def best_positions(saved: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Per row, the column with the highest saving; on a tie the cheaper, then the first. -inf/NaN = none."""
    value = np.where(np.isnan(saved), -np.inf, saved)
    top = value.max(axis=1, initial=-np.inf)
    tied = (value == top[:, None]) & np.isfinite(value)
    position = np.argmin(np.where(tied, cost, np.inf), axis=1)
    return np.where(tied.any(axis=1), position, -1)


def best_offers(values: OfferValues) -> tuple[pd.Series, pd.Series]:
    """Per customer, the eligible offer with the highest expected saved profit (on a tie the cheaper,
    then the first in the catalogue) and that saving; ``None`` / NaN when no offer is eligible."""
    saved = values.expected_saved_profit.to_numpy(dtype=float)
    found = best_positions(saved, values.cost.to_numpy(dtype=float))
    has_any = found >= 0
    position = np.maximum(found, 0)
    ids = np.array(values.expected_saved_profit.columns, dtype=object)
    best = pd.Series(np.where(has_any, ids[position], None), index=values.cost.index, dtype=object)
    best_saved = pd.Series(np.where(has_any, saved[np.arange(len(saved)), position], np.nan), index=values.cost.index)
    return best, best_saved
