"""Offers and campaign: offers by segment, the customers worth most, the profit curve and the campaign.

Money is in thousands of roubles; a saving covers the catalogue's horizon (3 months by default).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURE_NAMES
from oneclick.model.score import CONTRIBUTION_PREFIX
from oneclick.offers.catalogue import NO_OFFER

N_TOP = 10
_CURVE_COLUMNS = ("budget", "expected_saved_profit", "spent", "n_customers")
_CAMPAIGN_KEYS = ("budget", "spent", "expected_saved_profit", "upper_bound", "n_customers", "status", "method")


def offer_summary(
    offer_groups: pd.DataFrame,
    overview: dict[str, Any],
    profit_curve: pd.DataFrame,
    top: pd.DataFrame,
    features: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
    batch: bool = False,
) -> dict[str, Any]:
    """Offer counts by segment, the top customers, the profit curve and the campaign at the chosen budget.

    ``offer_groups`` are the offers by group of customers (see
    :func:`oneclick.analysis.segment_summary`, plus ``campaign_offer`` and ``in_campaign``);
    ``overview`` the dict of ``offers_summary.json``; ``profit_curve`` the table of
    ``profit_curve.csv``; ``top`` the rows of ``offers.csv`` of the customers to list
    (:func:`top_customers`). With the customer table ``features`` and the ``scores`` (with every
    contribution), each listed customer carries their features' values and contributions, enough
    to tell their reasons in another language. ``batch``: the offers of a batch run, whose drivers
    come by name (``driver_<k>_feature``) and in words only when the batch wrote them.
    """
    without = (offer_groups["offer"] == NO_OFFER).to_numpy()
    by_segment = offer_groups.groupby(["primary_segment", "offer"], sort=False)["n"].sum()
    data = {
        "n_customers": int(offer_groups["n"].sum()),
        "lang": overview.get("lang", "ru"),
        "horizon_months": float(overview.get("horizon_months", 3)),
        "n_with_offer": int(offer_groups.loc[~without, "n"].sum()),
        "n_high_risk_without_offer": int(
            offer_groups.loc[without & offer_groups["is_high_risk"].astype(bool), "n"].sum()
        ),
        "expected_saved_profit": float(offer_groups["expected_saved_profit"].sum()),
        "offer_cost": float(offer_groups["offer_cost"].sum()),
        "by_segment": _by_segment(by_segment),
        "segment_order": [str(s["segment"]) for s in overview.get("segments", [])],
        "offers": _offer_totals(offer_groups, overview),
        "top": _top(top, _customer_values(top["customer_id"], features, scores), batch),
        "curve": {column: [float(v) for v in profit_curve[column]] for column in _CURVE_COLUMNS},
        "campaign": {key: overview["campaign"].get(key) for key in _CAMPAIGN_KEYS},
    }
    if "profit_curve_method" in overview:  # a batch run's curve is the LP greedy's, not a MILP's
        data["curve_method"] = str(overview["profit_curve_method"])
    return data


def top_customers(offers: pd.DataFrame, n: int = N_TOP) -> pd.DataFrame:
    """The ``n`` customers with the largest expected saved profit (ties: the smaller id first)."""
    return offers.sort_values(["expected_saved_profit", "customer_id"], ascending=[False, True], kind="stable").head(n)


def _by_segment(counts: pd.Series) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for (segment, offer), n in counts.items():
        if n:
            found.setdefault(str(segment), {})[str(offer)] = int(n)
    return found


def _top(top: pd.DataFrame, values: dict[int, dict[str, Any]], batch: bool) -> list[dict[str, Any]]:
    rows = []
    for row in top.to_dict("records"):
        customer = int(row["customer_id"])
        item = {
            "customer_id": customer,
            "primary_segment": str(row["primary_segment"]),
            "decline_probability": float(row["decline_probability"]),
            "profit": float(row["profit"]),
            "offer": str(row["offer"]),
            "offer_cost": float(row["offer_cost"]),
            "expected_saved_profit": float(row["expected_saved_profit"]),
            "in_campaign": bool(row["in_campaign"]),
            "risk_drivers": str(row["risk_drivers"]) if "risk_drivers" in row else None,
            "features": values.get(customer),
        }
        if batch:  # drivers in words only when the batch wrote them (reasons=True); else by name
            item["risk_drivers"] = None if pd.isna(row.get("risk_drivers")) else str(row["risk_drivers"])
            item["drivers"] = _top_drivers(row)
        rows.append(item)
    return rows


def _top_drivers(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A batch customer's top drivers (``driver_k_feature``/``driver_k_contribution``) that raise the risk."""
    found = []
    for k in range(1, 10):
        feature, contribution = row.get(f"driver_{k}_feature"), row.get(f"driver_{k}_contribution")
        if feature is None or contribution is None or pd.isna(feature) or pd.isna(contribution):
            break
        if float(contribution) > 0:
            found.append({"feature": str(feature), "contribution": round(float(contribution), 4)})
    return found


def _customer_values(
    customers: pd.Series, features: pd.DataFrame | None, scores: pd.DataFrame | None
) -> dict[int, dict[str, Any]]:
    """Features and contributions of a few customers: enough to tell their reasons in the other language."""
    if features is None or scores is None:
        return {}
    table = features.set_index("customer_id")
    scores = scores.set_index("customer_id")
    columns = [CONTRIBUTION_PREFIX + name for name in FEATURE_NAMES]
    if any(column not in scores for column in columns):
        return {}
    values = {}
    for customer in customers:
        if customer in table.index and customer in scores.index:
            row = table.loc[customer]
            values[int(customer)] = {
                "values": {name: _plain(row[name]) for name in FEATURE_NAMES},
                "contributions": {
                    name: float(scores.loc[customer, CONTRIBUTION_PREFIX + name]) for name in FEATURE_NAMES
                },
            }
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return str(value)


def _offer_totals(groups: pd.DataFrame, overview: dict[str, Any]) -> list[dict[str, Any]]:
    assumed = {item["offer"]: item for item in overview.get("assumptions", {}).get("offers", [])}
    order = [*assumed, *sorted(set(groups["offer"]) - set(assumed) - {NO_OFFER}), NO_OFFER]
    rows = []
    for offer in order:
        chosen = groups[groups["offer"] == offer]
        rows.append(
            {
                "offer": offer,
                "n_customers": int(chosen["n"].sum()),
                "cost": float(chosen["offer_cost"].sum()),
                "expected_saved_profit": float(chosen["expected_saved_profit"].sum()),
                "uplift": assumed.get(offer, {}).get("uplift"),
                "n_in_campaign": int(groups.loc[groups["campaign_offer"] == offer, "in_campaign"].sum()),
            }
        )
    return rows


def half_budget(curve: dict[str, list[float]]) -> float:
    """The smallest budget of a profit ``curve`` (``budget``, ``expected_saved_profit``) that reaches half
    of its largest expected saved profit; 0 for an empty curve."""
    saved = np.asarray(curve["expected_saved_profit"], dtype=float)
    budgets = np.asarray(curve["budget"], dtype=float)
    if len(saved) == 0:
        return 0.0
    return float(budgets[np.flatnonzero(saved >= saved.max() / 2)[0]])
