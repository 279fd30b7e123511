"""Find revenue values no real month could produce, and apply the store's policy."""

from __future__ import annotations

import pandas as pd

from oneclick.config import OutlierPolicy

# With fewer active customers in a month the quartiles say too little to call anything absurd.
MIN_VALUES_FOR_FENCE = 20
OUTLIER_COLUMNS = ["customer_id", "period", "revenue", "threshold", "action"]


def revenue_fences(money: pd.DataFrame, iqr_factor: float) -> pd.Series:
    """Per month, the revenue above which a value is an outlier: Q3 + factor x IQR of active months."""
    active = money[money["revenue"] > 0].groupby("period")["revenue"]
    q1, q3, n = active.quantile(0.25), active.quantile(0.75), active.size()
    fences = q3 + iqr_factor * (q3 - q1)
    return fences[n >= MIN_VALUES_FOR_FENCE]


def flag_revenue_outliers(
    money: pd.DataFrame, iqr_factor: float, policy: OutlierPolicy
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the revenue table (capped at the fence when ``policy='cap'``) and the outliers found.

    >>> money = pd.DataFrame({"customer_id": range(30), "period": "current_month",
    ...                       "revenue": [100.0 + i for i in range(29)] + [10_000.0]})
    >>> _, found = flag_revenue_outliers(money, 3.0, "cap")
    >>> found[["customer_id", "action"]].to_dict("records")
    [{'customer_id': 29, 'action': 'capped'}]
    """
    fences = revenue_fences(money, iqr_factor)
    threshold = money["period"].map(fences).astype("float64")
    above = money["revenue"] > threshold
    action = {"cap": "capped", "exclude": "customer excluded", "keep": "kept as is"}[policy]
    found = money.loc[above, ["customer_id", "period", "revenue"]].assign(
        threshold=threshold[above].round(1), action=action
    )
    if policy == "cap" and above.any():
        money = money.assign(revenue=money["revenue"].where(~above, threshold))
    return money, found.reset_index(drop=True)[OUTLIER_COLUMNS]
