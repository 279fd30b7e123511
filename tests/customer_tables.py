"""Tiny hand-made customer tables shaped like ``build_customer_table``'s output."""

from __future__ import annotations

from typing import Any

import pandas as pd

from oneclick.features.groups import FEATURE_NAMES

# A plain customer: every test changes only the columns it is about.
BASE_CUSTOMER: dict[str, Any] = {
    "service_type": "standard",
    "allows_messages": True,
    "marketing_contacts_6m_avg": 4.0,
    "marketing_contacts_current_month": 4,
    "days_since_registration": 600,
    "promo_purchase_share": 0.3,
    "favourite_category": "kitchenware",
    "categories_viewed_per_visit": 3,
    "unpaid_items_quarter": 2,
    "revenue_month_before_previous": 5000.0,
    "revenue_previous_month": 5000.0,
    "revenue_current_month": 5000.0,
    "revenue_change": 0.0,
    "n_service_errors": 4,
    "pages_per_visit": 8,
    "minutes_previous_month": 13.0,
    "minutes_current_month": 13.0,
    "minutes_change": 0.0,
    "declined": False,
    "profit": 4.0,
}
CATEGORIES = {
    "service_type": ["premium", "standard"],
    "favourite_category": [
        "beauty_health_tech",
        "cosmetics_accessories",
        "home_textiles",
        "kids_goods",
        "kitchenware",
        "small_appliances_electronics",
    ],
}


def customers_from(rows: list[dict[str, Any]], first_id: int = 1) -> pd.DataFrame:
    """A customer table shaped like ``build_customer_table``'s, from the columns each row changes."""
    table = pd.DataFrame(
        [BASE_CUSTOMER | row for row in rows], index=pd.Index(range(first_id, first_id + len(rows)), name="customer_id")
    )
    for column, categories in CATEGORIES.items():
        table[column] = pd.Categorical(table[column], categories=categories)
    return table[[*FEATURE_NAMES, "declined", "profit"]]


def zero_contributions(table: pd.DataFrame, **by_feature: list[float]) -> pd.DataFrame:
    """Contributions (log-odds) of zero, except the features given, one value per customer."""
    frame = pd.DataFrame(0.0, index=table.index, columns=FEATURE_NAMES)
    for feature, values in by_feature.items():
        frame[feature] = values
    return frame
