"""Offers: the catalogue, each customer's best offer with a reason, and the campaign under a budget."""

from oneclick.offers.build import OFFER_COLUMNS, OffersResult, build_offers, campaign_for, campaign_rows, solver_for
from oneclick.offers.campaign import CampaignPlan, plan_campaign, profit_curve
from oneclick.offers.catalogue import (
    ALL_CUSTOMERS,
    CHANNELS,
    NO_OFFER,
    Offer,
    OfferCatalogue,
    catalogue_from_mapping,
    load_catalogue,
    shipped_catalogue_mapping,
)
from oneclick.offers.choose import choose_offers
from oneclick.offers.reasons import risk_drivers
from oneclick.offers.value import OfferValues, offer_values

__all__ = [
    "ALL_CUSTOMERS",
    "CHANNELS",
    "NO_OFFER",
    "OFFER_COLUMNS",
    "CampaignPlan",
    "Offer",
    "OfferCatalogue",
    "OfferValues",
    "OffersResult",
    "build_offers",
    "campaign_for",
    "campaign_rows",
    "catalogue_from_mapping",
    "choose_offers",
    "load_catalogue",
    "offer_values",
    "plan_campaign",
    "profit_curve",
    "risk_drivers",
    "shipped_catalogue_mapping",
    "solver_for",
]
