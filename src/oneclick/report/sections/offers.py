"""Section 7, offers and campaign: offers by segment, the customers worth most, the profit curve.

Read from ``offers.csv`` (each customer's best offer, its cost and expected saved profit, the
campaign's choice; a batch run's ``offers/`` and ``campaign/``, by group of customers),
``profit_curve.csv`` (the best expected saved profit at each budget) and ``offers_summary.json``
(the campaign at the chosen budget, the catalogue's assumptions). Money is
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
    groups = run.offer_groups()
    overview = run.json("offers_summary")
    curve = run.table("profit_curve")
    without = (groups["offer"] == NO_OFFER).to_numpy()
    by_segment = groups.groupby(["primary_segment", "offer"], sort=False)["n"].sum()
    data = {
        "n_customers": int(groups["n"].sum()),
        "lang": overview.get("lang", "ru"),
        "horizon_months": float(overview.get("horizon_months", 3)),
        "n_with_offer": int(groups.loc[~without, "n"].sum()),
        "n_high_risk_without_offer": int(groups.loc[without & groups["is_high_risk"].astype(bool), "n"].sum()),
        "expected_saved_profit": float(groups["expected_saved_profit"].sum()),
        "offer_cost": float(groups["offer_cost"].sum()),
        "by_segment": _by_segment(by_segment),
        "segment_order": [str(s["segment"]) for s in overview.get("segments", [])],
        "offers": _offer_totals(groups, overview),
        "top": _top(run.top_offers(N_TOP), run),
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


def _top(top: pd.DataFrame, run: RunFolder) -> list[dict[str, Any]]:
    values = _customer_values(run, top["customer_id"])
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
        if run.is_batch:  # drivers in words only when the batch wrote them (reasons=True); else by name
            item["risk_drivers"] = None if pd.isna(row.get("risk_drivers")) else str(row["risk_drivers"])
            item["drivers"] = _top_drivers(row)
        rows.append(item)
    return rows


def _top_drivers(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A batch customer's top drivers (``driver_k_feature``/``driver_k_contribution``) that raise the risk."""
    found = []
    for k in range(1, 10):
        feature, contribution = row.get(f"driver_{k}_feature"), row.get(f"driver_{k}_contribution")
        if feature is None or pd.isna(feature) or pd.isna(contribution):
            break
        if float(contribution) > 0:
            found.append({"feature": str(feature), "contribution": round(float(contribution), 4)})
    return found


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
