"""Explanation: what moves the predictions, for all customers, by feature group and for three of them.

The contributions are those of the scores (``contribution_<feature>``): how much each feature moves
a customer's log-odds of a decline away from the background customers'. A group's contribution is
the sum of its features' (contributions add up), so a group of features that duplicate each other
(the months and their change) is not counted twice.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from oneclick.features.groups import BINARY_FEATURES, FEATURE_GROUPS, FEATURE_NAMES, NUMERIC_FEATURES
from oneclick.model.score import CONTRIBUTION_PREFIX

N_BEESWARM = 12  # features in the summary plot, by mean |contribution|
MAX_POINTS = 2_000  # customers drawn in it; more only blurs it and weighs on the file
N_EXAMPLE_BARS = 6
N_DRIVERS = 3
# The "low-risk" example is a typical one, not the single most extreme customer.
LOW_RISK_QUANTILE = 0.1
# The value 1 of each binary feature, for the colour of the summary plot.
BINARY_HIGH = {"service_type": "premium", "allows_messages": True}


def prediction_explanation(
    scores: pd.DataFrame,
    features: pd.DataFrame,
    offers: pd.DataFrame | None = None,
    thresholds: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Per-feature contributions for a summary plot, group importance and three example customers.

    ``scores`` holds each customer's ``decline_probability``, ``contribution_<feature>`` and
    ``driver_<k>_feature`` (as ``scores.csv``); ``features`` the customer table; ``offers`` (as
    ``offers.csv``, optional) each customer's segment and offer; ``thresholds`` the segments'
    (``high_profit``: the examples' "profitable"; by default the median profit). All are keyed by
    ``customer_id``. Returns ``n_customers``, ``mean_abs_contribution`` (by feature, largest first),
    ``swarm`` (the :data:`N_BEESWARM` features' contributions and value levels of at most
    :data:`MAX_POINTS` customers), ``groups`` (mean |contribution| of each group, largest first) and
    ``examples`` (``at_risk``, ``median`` and ``low``).
    """
    scores = scores.set_index("customer_id")
    customers = features.set_index("customer_id")
    present = [name for name in FEATURE_NAMES if CONTRIBUTION_PREFIX + name in scores]
    contributions = scores[[CONTRIBUTION_PREFIX + name for name in present]].set_axis(present, axis=1)
    customers = customers.loc[customers.index.intersection(contributions.index)]
    contributions = contributions.loc[customers.index]
    mean_abs = contributions.abs().mean().sort_values(ascending=False, kind="stable")
    by_group = contributions.T.groupby(pd.Series(FEATURE_GROUPS)).sum().T.abs().mean()
    offered = offers.set_index("customer_id") if offers is not None else None
    return {
        "n_customers": len(contributions),
        "mean_abs_contribution": {name: round(float(v), 5) for name, v in mean_abs.items()},
        "swarm": _swarm(contributions, customers, list(mean_abs.index[:N_BEESWARM])),
        "groups": {str(g): round(float(v), 5) for g, v in by_group.sort_values(ascending=False).items()},
        "examples": _examples(scores.loc[customers.index], contributions, customers, offered, thresholds or {}),
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
