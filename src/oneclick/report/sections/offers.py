"""Section 7, offers and campaign: offers by segment, the customers worth most, the profit curve.

Read from ``offers.csv`` (each customer's best offer, its cost and expected saved profit, the
campaign's choice), ``profit_curve.csv`` (the best expected saved profit at each budget) and
``offers_summary.json`` (the campaign at the chosen budget, the catalogue's assumptions). Money is
in thousands of roubles; a saving covers the catalogue's horizon (3 months by default). The words,
charts and tables are in :mod:`oneclick.report.sections.offers_view`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURE_NAMES
from oneclick.model.score import CONTRIBUTION_PREFIX
from oneclick.offers.catalogue import NO_OFFER
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary

N_TOP = 10


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Offer counts by segment, the top customers, the profit curve and the campaign at the chosen budget."""
    offers = run.table("offers")
    overview = run.json("offers_summary")
    curve = run.table("profit_curve")
    by_segment = offers.groupby("primary_segment", sort=False)["offer"].value_counts().unstack(fill_value=0)
    return {
        "n_customers": len(offers),
        "lang": overview.get("lang", "ru"),
        "horizon_months": float(overview.get("horizon_months", 3)),
        "n_with_offer": int((offers["offer"] != NO_OFFER).sum()),
        "n_high_risk_without_offer": int(((offers["offer"] == NO_OFFER) & offers["is_high_risk"].astype(bool)).sum()),
        "expected_saved_profit": float(offers["expected_saved_profit"].sum()),
        "offer_cost": float(offers["offer_cost"].sum()),
        "by_segment": {str(seg): {str(o): int(n) for o, n in row.items() if n} for seg, row in by_segment.iterrows()},
        "segment_order": [str(s["segment"]) for s in overview.get("segments", [])],
        "offers": _offer_totals(offers, overview),
        "top": _top(offers, run),
        "curve": {
            column: [float(v) for v in curve[column]]
            for column in ("budget", "expected_saved_profit", "spent", "n_customers")
        },
        "campaign": {
            key: overview["campaign"].get(key)
            for key in ("budget", "spent", "expected_saved_profit", "upper_bound", "n_customers", "status", "method")
        },
        "titles": names.config_titles(run),
    }


def top_customers(offers: pd.DataFrame, n: int = N_TOP) -> pd.DataFrame:
    """The ``n`` customers with the largest expected saved profit (ties: the smaller id first)."""
    return offers.sort_values(["expected_saved_profit", "customer_id"], ascending=[False, True], kind="stable").head(n)


def _top(offers: pd.DataFrame, run: RunFolder) -> list[dict[str, Any]]:
    top = top_customers(offers)
    values = _customer_values(run, top["customer_id"])
    rows = []
    for row in top.to_dict("records"):
        customer = int(row["customer_id"])
        rows.append(
            {
                "customer_id": customer,
                "primary_segment": str(row["primary_segment"]),
                "decline_probability": float(row["decline_probability"]),
                "profit": float(row["profit"]),
                "offer": str(row["offer"]),
                "offer_cost": float(row["offer_cost"]),
                "expected_saved_profit": float(row["expected_saved_profit"]),
                "in_campaign": bool(row["in_campaign"]),
                "risk_drivers": str(row["risk_drivers"]),
                "features": values.get(customer),
            }
        )
    return rows


def _customer_values(run: RunFolder, customers: pd.Series) -> dict[int, dict[str, Any]]:
    """Features and contributions of a few customers: enough to tell their reasons in the other language."""
    if not (run.has("features") and run.has("scores")):
        return {}
    table = run.table("features").set_index("customer_id")
    scores = run.table("scores").set_index("customer_id")
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


def _offer_totals(offers: pd.DataFrame, overview: dict[str, Any]) -> list[dict[str, Any]]:
    assumed = {item["offer"]: item for item in overview.get("assumptions", {}).get("offers", [])}
    order = [*assumed, *sorted(set(offers["offer"]) - set(assumed) - {NO_OFFER}), NO_OFFER]
    rows = []
    for offer in order:
        chosen = offers[offers["offer"] == offer]
        rows.append(
            {
                "offer": offer,
                "n_customers": len(chosen),
                "cost": float(chosen["offer_cost"].sum()),
                "expected_saved_profit": float(chosen["expected_saved_profit"].sum()),
                "uplift": assumed.get(offer, {}).get("uplift"),
                "n_in_campaign": int((offers["campaign_offer"].fillna("") == offer).sum()),
            }
        )
    return rows


def half_budget(curve: dict[str, list[float]]) -> float:
    """The smallest budget of the curve that reaches half of its largest expected saved profit."""
    saved = np.asarray(curve["expected_saved_profit"], dtype=float)
    budgets = np.asarray(curve["budget"], dtype=float)
    if len(saved) == 0:
        return 0.0
    return float(budgets[np.flatnonzero(saved >= saved.max() / 2)[0]])


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and tables (see :func:`oneclick.report.sections.offers_view.view`)."""
    from oneclick.report.sections import offers_view  # it imports half_budget() from here

    return offers_view.view(data, lang)
