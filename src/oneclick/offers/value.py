"""What each offer would cost and save for each customer: the customers x offers tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oneclick.offers.catalogue import Offer, OfferCatalogue
from oneclick.segments.conditions import PROFIT, RISK, Thresholds, rule_mask


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
    profit_at_stake = table[RISK] * table[PROFIT] * catalogue.horizon_months
    revenue = table[catalogue.revenue_column].astype(float).clip(lower=0) * catalogue.revenue_to_profit_units
    eligible, cost, uplift = {}, {}, {}
    for offer in catalogue.offers:
        eligible[offer.id] = rule_mask(offer.eligible, table, thresholds, membership)
        cost[offer.id] = offer.cost_fixed + offer.cost_revenue_share * revenue
        uplift[offer.id] = offer_uplift(offer, membership).reindex(table.index)
    eligible_frame = pd.DataFrame(eligible, index=table.index)
    cost_frame = pd.DataFrame(cost, index=table.index)
    uplift_frame = pd.DataFrame(uplift, index=table.index)
    saved = uplift_frame.mul(profit_at_stake, axis=0) - cost_frame
    return OfferValues(eligible_frame, cost_frame, uplift_frame, saved.where(eligible_frame))


def offer_uplift(offer: Offer, membership: pd.DataFrame) -> pd.Series:
    """The offer's assumed uplift per customer: the first listed segment the customer is in, else the default."""
    uplift = pd.Series(offer.uplift, index=membership.index, dtype=float)
    decided = pd.Series(False, index=membership.index)
    for segment, value in offer.uplift_in_segments:
        now = membership[segment].to_numpy(dtype=bool) & ~decided.to_numpy()
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
