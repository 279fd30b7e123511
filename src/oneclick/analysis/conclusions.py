"""Conclusions: the findings a run's analyses support, as data (keys, numbers and names; no words).

First what to do (which segment first, what the campaign brings, how far the model can be trusted),
then why (the features), then how sure the data are. Each rule reads the results of the other
analyses and returns findings ``{"key": ..., "values": {...}}``; a reader (the report, the dashboard)
turns each into a sentence by its key. A new conclusion is a rule added to :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from oneclick.analysis.offers import half_budget
from oneclick.analysis.segments import by_profit_at_risk

Finding = dict[str, Any]
Results = Mapping[str, Any]


def findings(results: Results) -> list[Finding]:
    """The findings of every rule of :data:`RULES`, in order.

    ``results`` maps an analysis to what it returned, each optional: ``quality``
    (:func:`~oneclick.analysis.data_quality`), ``exploration`` (:func:`~oneclick.analysis.class_differences`),
    ``correlation`` (:func:`~oneclick.analysis.feature_associations`), ``model``
    (:func:`~oneclick.analysis.model_quality`), ``explanation``
    (:func:`~oneclick.analysis.prediction_explanation`), ``segments``
    (:func:`~oneclick.analysis.segment_summary`) and ``offers`` (:func:`~oneclick.analysis.offer_summary`).
    Without segments the first finding is ``segments_missing``.

    >>> [f["key"] for f in findings({"quality": None})]
    ['segments_missing']
    """
    return [finding for rule in RULES for finding in rule(results)]


def _named(results: Results) -> list[dict[str, Any]]:
    segments = results.get("segments") or {}
    return [row for row in segments.get("segments", []) if row["kind"] == "named" and row["n_customers"]]


def segment_first(results: Results) -> list[Finding]:
    """The named segment with the most profit at risk: size, share, drivers, its most frequent offer, the next."""
    if results.get("segments") is None:
        return [{"key": "segments_missing", "values": {}}]
    ranked = by_profit_at_risk(_named(results))
    if not ranked:
        return []
    first = ranked[0]
    keys = (
        "segment",
        "n_customers",
        "share_of_customers",
        "profit_at_risk",
        "share_of_profit_at_risk",
        "top_offer",
        "top_offer_share",
        "expected_saved_profit",
        "offer_cost",
    )
    values = {key: first[key] for key in keys}
    values |= {
        "drivers": [driver["feature"] for driver in first["drivers"]],
        "next": None
        if len(ranked) < 2
        else {"segment": ranked[1]["segment"], "profit_at_risk": ranked[1]["profit_at_risk"]},
    }
    return [{"key": "segment_first", "values": values}]


def best_return(results: Results) -> list[Finding]:
    """The named segment whose offers save the most per unit of their cost (``same``: it is also the first)."""
    ranked = by_profit_at_risk(_named(results))
    paying = [row for row in ranked if row["offer_cost"] > 0]
    if not paying:
        return []
    best = max(paying, key=lambda row: (row["expected_saved_profit"] or 0.0) / row["offer_cost"])
    values = {
        "segment": best["segment"],
        "same": best["segment"] == ranked[0]["segment"],
        "expected_saved_profit": best["expected_saved_profit"],
        "offer_cost": best["offer_cost"],
    }
    return [{"key": "best_return", "values": values}]


def campaign(results: Results) -> list[Finding]:
    """The campaign at the chosen budget against the unlimited one, and the budget that brings half of it."""
    offers = results.get("offers")
    if not offers or not offers["curve"]["budget"]:
        return []
    curve = offers["curve"]
    values = {
        "budget": offers["campaign"]["budget"],
        "n_customers": offers["campaign"]["n_customers"],
        "expected_saved_profit": offers["campaign"]["expected_saved_profit"],
        "full_cost": curve["spent"][-1],
        "full_saved": curve["expected_saved_profit"][-1],
        "half_budget": half_budget(curve),
        "horizon_months": offers["horizon_months"],
    }
    return [{"key": "campaign", "values": values}]


def model_trust(results: Results) -> list[Finding]:
    """The holdout ROC-AUC against the published range, and the recall at the threshold."""
    model = results.get("model")
    if not model:
        return []
    holdout = model["holdout"]
    values = {
        "roc_auc": holdout["roc_auc"],
        "recall": holdout["recall"],
        "threshold": holdout["threshold"],
        "published": model["published_roc_auc"],
    }
    return [{"key": "model_quality", "values": values}]


def model_group(results: Results) -> list[Finding]:
    """The feature group (with its share of the groups' total contribution) and the feature the model rests on most."""
    explanation = results.get("explanation")
    if not explanation or not explanation["groups"]:
        return []
    group, value = next(iter(explanation["groups"].items()))
    total = sum(explanation["groups"].values()) or 1.0
    feature = next(iter(explanation["mean_abs_contribution"]))
    return [{"key": "model_group", "values": {"group": group, "share": value / total, "feature": feature}}]


def strongest_group(results: Results) -> list[Finding]:
    """The feature group most associated with a decline, its strongest feature and (a number) its class means."""
    correlation = results.get("correlation")
    if not correlation:
        return []
    group, best = next(iter(correlation["group_strength"].items()))
    values = {"group": group, "feature": best["feature"], "phik": best["phik"]}
    exploration = results.get("exploration") or {}
    for feature in exploration.get("features", []):
        if feature["name"] == best["feature"] and feature["kind"] == "numeric":
            values["mean"] = feature["mean"]
    return [{"key": "strongest_group", "values": values}]


def top_features(results: Results) -> list[Finding]:
    """The three features most associated with a decline."""
    correlation = results.get("correlation")
    if not correlation:
        return []
    return [{"key": "top_features", "values": {"features": correlation["with_label"][:3]}}]


def minutes_trend(results: Results) -> list[Finding]:
    """Last month's time on site of each class, when the declined customers already spent less."""
    exploration = results.get("exploration")
    if not exploration:
        return []
    minutes = exploration["months"]["minutes"]
    declined, unchanged = minutes["declined"]["mean"][0], minutes["unchanged"]["mean"][0]
    if not declined < unchanged:
        return []
    return [{"key": "minutes_trend", "values": {"declined": declined, "unchanged": unchanged}}]


def class_balance(results: Results) -> list[Finding]:
    """The share of customers whose activity declined."""
    quality = results.get("quality")
    share = (quality or {}).get("class_balance", {}).get("declined_share")
    return [] if share is None else [{"key": "class_balance", "values": {"declined_share": share}}]


def duplicates(results: Results) -> list[Finding]:
    """The features that are exact combinations of others (infinite VIF)."""
    correlation = results.get("correlation")
    exact = [item["name"] for item in (correlation or {}).get("vif", {}).get("removed", []) if item["exact"]]
    return [{"key": "duplicates", "values": {"features": exact}}] if exact else []


def data_quality_finding(results: Results) -> list[Finding]:
    """Customers read and kept, cells fixed, rows quarantined and revenue outliers."""
    quality = results.get("quality")
    if not quality:
        return []
    values = {
        "read": quality["customers_read"],
        "kept": quality["customers_kept"],
        "fixes": sum(fix["count"] for fix in quality["fixes"]),
        "quarantined": quality["quarantined_rows"],
        "outliers": len(quality["revenue_outliers"]),
    }
    return [{"key": "data_quality", "values": values}]


# In the order they are read: what to do first, what it brings, how sure the model is; then why, then the data.
RULES: list[Callable[[Results], list[Finding]]] = [
    segment_first,
    best_return,
    campaign,
    model_trust,
    model_group,
    strongest_group,
    top_features,
    minutes_trend,
    class_balance,
    duplicates,
    data_quality_finding,
]
