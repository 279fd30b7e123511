"""Section 5, explanation: what moves the predictions, for all customers, by group and for three of them.

The contributions are those ``scores.csv`` holds (``contribution_<feature>``): how much each
feature moves a customer's log-odds of a decline away from the background customers'. A group's
contribution is the sum of its features' (contributions add up), so a group of features that
duplicate each other (the months and their change) is not counted twice. The words, charts and
table are in :mod:`oneclick.report.sections.explanation_view`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oneclick.features.groups import BINARY_FEATURES, FEATURE_GROUPS, FEATURE_NAMES, NUMERIC_FEATURES
from oneclick.model.score import CONTRIBUTION_PREFIX
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import explanation_view

N_BEESWARM = 12  # features in the summary plot, by mean |contribution|
MAX_POINTS = 2_000  # customers drawn in it; more only blurs it and weighs on the file
N_EXAMPLE_BARS = 6
N_DRIVERS = 3
# The "low-risk" example is a typical one, not the single most extreme customer.
LOW_RISK_QUANTILE = 0.1
# The value 1 of each binary feature, for the colour of the summary plot.
BINARY_HIGH = {"service_type": "premium", "allows_messages": True}


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Per-feature contributions for the summary plot, group importance and three example customers."""
    scores = run.table("scores").set_index("customer_id")
    customers = run.table("features").set_index("customer_id")
    present = [name for name in FEATURE_NAMES if CONTRIBUTION_PREFIX + name in scores]
    contributions = scores[[CONTRIBUTION_PREFIX + name for name in present]].set_axis(present, axis=1)
    customers = customers.loc[customers.index.intersection(contributions.index)]
    contributions = contributions.loc[customers.index]
    mean_abs = contributions.abs().mean().sort_values(ascending=False, kind="stable")
    by_group = contributions.T.groupby(pd.Series(FEATURE_GROUPS)).sum().T.abs().mean()
    offers = run.table("offers").set_index("customer_id") if run.has("offers") else None
    thresholds = run.json("offers_summary").get("thresholds", {}) if run.has("offers_summary") else {}
    return {
        "n_customers": len(contributions),
        "mean_abs_contribution": {name: round(float(v), 5) for name, v in mean_abs.items()},
        "swarm": _swarm(contributions, customers, list(mean_abs.index[:N_BEESWARM])),
        "groups": {str(g): round(float(v), 5) for g, v in by_group.sort_values(ascending=False).items()},
        "examples": _examples(scores.loc[customers.index], contributions, customers, offers, thresholds),
        "titles": names.config_titles(run) if offers is not None else {"segments": {}, "offers": {}},
        "sample": run.sample(),
    }


def _swarm(contributions: pd.DataFrame, customers: pd.DataFrame, features: list[str]) -> list[dict[str, Any]]:
    """Each feature's contributions and value levels (0 low to 1 high; ``None`` for a category)."""
    picked = contributions.index
    if len(picked) > MAX_POINTS:
        picked = pd.Index(np.sort(np.random.default_rng(0).choice(picked.to_numpy(), MAX_POINTS, replace=False)))
    rows = []
    for name in features:
        values = customers.loc[picked, name]
        if name in NUMERIC_FEATURES:
            level: list[float | None] = [round(float(v), 3) for v in values.astype(float).rank(pct=True)]
        elif name in BINARY_FEATURES:
            level = [float(v == BINARY_HIGH.get(name, True)) for v in values]
        else:
            level = [None] * len(values)
        rows.append(
            {
                "feature": name,
                "contribution": [round(float(v), 4) for v in contributions.loc[picked, name]],
                "level": level,
            }
        )
    return rows


def _examples(
    scores: pd.DataFrame,
    contributions: pd.DataFrame,
    customers: pd.DataFrame,
    offers: pd.DataFrame | None,
    thresholds: dict[str, float],
) -> list[dict[str, Any]]:
    """The highest-risk customer among the profitable, a median-risk one and a low-risk one."""
    probability = scores["decline_probability"].astype(float)
    profit = customers["profit"].astype(float)
    high_profit = thresholds.get("high_profit", float(profit.median()))
    profitable = probability[profit >= high_profit]
    if profitable.empty:  # a threshold above everyone's profit: the highest-risk customer of all
        profitable = probability
    ranked = pd.DataFrame({"p": profitable, "profit": profit[profitable.index]}).sort_values(
        ["p", "profit"], ascending=False, kind="stable"
    )
    picks = {"at_risk": ranked.index[0]}
    for who, target in (("median", probability.median()), ("low", probability.quantile(LOW_RISK_QUANTILE))):
        distance = (probability - target).abs().drop(list(picks.values()))
        picks[who] = distance.idxmin()
    return [_example(who, customer, scores, contributions, customers, offers) for who, customer in picks.items()]


def _example(
    who: str,
    customer: Any,
    scores: pd.DataFrame,
    contributions: pd.DataFrame,
    customers: pd.DataFrame,
    offers: pd.DataFrame | None,
) -> dict[str, Any]:
    row, values = scores.loc[customer], customers.loc[customer]
    largest = contributions.loc[customer].abs().sort_values(ascending=False, kind="stable").index[:N_EXAMPLE_BARS]
    drivers = [
        str(row[f"driver_{k}_feature"]) for k in range(1, N_DRIVERS + 1) if f"driver_{k}_feature" in row.index
    ] or list(largest[:N_DRIVERS])
    example = {
        "who": who,
        "customer_id": int(customer),
        "decline_probability": float(row["decline_probability"]),
        "profit": float(values["profit"]),
        "bars": [_term(name, contributions, values, customer) for name in largest],
        "drivers": [_term(name, contributions, values, customer) for name in drivers],
        "segment": None,
        "offer": None,
        "expected_saved_profit": None,
    }
    if offers is not None and customer in offers.index:
        offer = offers.loc[customer]
        example |= {
            "segment": str(offer["primary_segment"]),
            "offer": str(offer["offer"]),
            "expected_saved_profit": float(offer["expected_saved_profit"]),
        }
    return example


def _term(name: str, contributions: pd.DataFrame, values: pd.Series, customer: Any) -> dict[str, Any]:
    raw = values[name]
    value = bool(raw) if isinstance(raw, bool | np.bool_) else (float(raw) if name in NUMERIC_FEATURES else str(raw))
    return {"feature": name, "contribution": round(float(contributions.loc[customer, name]), 4), "value": value}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and a table (see :func:`oneclick.report.sections.explanation_view.view`)."""
    return explanation_view.view(data, lang)
