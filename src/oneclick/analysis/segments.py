"""Segments: customers on the risk x profit map, and each segment against the rest.

Made from the segments stage's tables (one row per segment; each feature in the segment and the
rest, with Cohen's d; mean contributions to risk) and the offers by group of customers (see
:func:`segment_summary`). Profit is in thousands of roubles a month (the units of money.csv).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from oneclick.features.groups import NUMERIC_FEATURES
from oneclick.segments import CELLS
from oneclick.segments.assign import SEGMENT_SEPARATOR

MAX_MAP_POINTS = 4_000
N_DRIVERS = 3
# Below half a hundredth of log-odds a driver would print as +0.00: not worth naming.
MIN_DRIVER = 0.005
_SEGMENT_KEYS = (
    "n_customers",
    "share_of_customers",
    "share_declined",
    "share_declined_rest",
    "mean_decline_probability",
    "mean_decline_probability_rest",
    "mean_profit",
    "mean_profit_rest",
    "profit_at_risk",
    "share_of_profit_at_risk",
    "expected_saved_profit",
    "n_in_campaign",
)


def segment_summary(
    segments: pd.DataFrame,
    offer_groups: pd.DataFrame,
    segment_drivers: pd.DataFrame,
    segment_features: pd.DataFrame,
    offers: pd.DataFrame,
    overview: dict[str, Any],
) -> dict[str, Any]:
    """Every segment's size, risk, profit, drivers and offers; effect sizes; the customers' map.

    ``segments``, ``segment_drivers`` and ``segment_features`` are the tables of ``segments.csv``,
    ``segment_drivers.csv`` and ``segment_features.csv``; ``offer_groups`` the offers by group of
    customers sharing their segments and offer (``n`` customers each, with the sums of
    ``profit_at_risk``, ``offer_cost`` and ``expected_saved_profit``: one group per customer of
    ``offers.csv``, or a batch run's groups); ``offers`` the customers to draw on the map (all, or a
    batch run's sample); ``overview`` the dict of ``offers_summary.json``. Returns ``n_customers``,
    ``thresholds``, ``profit_at_risk``, ``segments`` (one dict per segment, in the scheme's order),
    ``effects`` (Cohen's d of each numeric feature, named segment against the rest), ``map`` and
    ``drivers_kept``.
    """
    memberships = _memberships(offer_groups)
    rows = [_segment(row, offer_groups, memberships, segment_drivers) for row in segments.to_dict("records")]
    n_customers = int(offer_groups["n"].sum())
    return {
        "n_customers": n_customers,
        "thresholds": {key: float(value) for key, value in overview["thresholds"].items()},
        "profit_at_risk": float(offer_groups["profit_at_risk"].sum()),
        "segments": rows,
        "effects": _effects(segment_features, [row["segment"] for row in rows if row["kind"] == "named"]),
        "map": map_points(offers, n_customers),
        # A batch run without every contribution kept: drivers from each customer's top ones only.
        "drivers_kept": overview.get("segment_drivers", {"source": "contributions"}),
    }


def _memberships(groups: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per segment (named and cell), one row per group of customers."""
    named = groups["segments"].fillna("").astype(str).str.get_dummies(sep=SEGMENT_SEPARATOR).astype(bool)
    cells = pd.DataFrame({cell: groups["risk_profit_cell"] == cell for cell in CELLS})
    return pd.concat([named, cells], axis=1)


def offer_shares(offer_groups: pd.DataFrame) -> pd.Series:
    """Each offer's share of the customers of ``offer_groups``, largest first (ties: the offer seen first)."""
    counts = offer_groups.groupby("offer", sort=False)["n"].sum()
    return (counts / counts.sum()).sort_values(ascending=False, kind="stable") if len(counts) else counts


def _segment(
    row: dict[str, Any], groups: pd.DataFrame, memberships: pd.DataFrame, drivers: pd.DataFrame
) -> dict[str, Any]:
    name = str(row["segment"])
    inside = memberships[name] if name in memberships else pd.Series(False, index=groups.index)
    members = groups[inside.to_numpy(dtype=bool)]
    mix = offer_shares(members)
    own = drivers[(drivers["segment"] == name) & (drivers["scope"] == "feature")]
    own = own.sort_values("mean_contribution_segment", ascending=False, kind="stable")
    own = own[own["mean_contribution_segment"] >= MIN_DRIVER].head(N_DRIVERS)
    return (
        {"segment": name, "kind": str(row["kind"]), "rule": str(row.get("rule", ""))}
        | {key: _number(row.get(key)) for key in _SEGMENT_KEYS}
        | {
            "offer_cost": float(members["offer_cost"].sum()),
            "top_offer": str(mix.index[0]) if len(mix) else None,
            "top_offer_share": float(mix.iloc[0]) if len(mix) else None,
            "drivers": [
                {"feature": str(d.name), "mean_contribution": round(float(d.mean_contribution_segment), 4)}
                for d in own.itertuples()
            ],
        }
    )


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _effects(features: pd.DataFrame, segments: list[str]) -> dict[str, dict[str, float | None]]:
    """Cohen's d of each numeric feature, named segment against the rest."""
    numeric = features[(features["effect_measure"] == "cohen_d") & features["feature"].isin(NUMERIC_FEATURES)]
    return {
        segment: {str(r.feature): _number(r.effect_size) for r in numeric[numeric["segment"] == segment].itertuples()}
        for segment in segments
    }


def map_points(offers: pd.DataFrame, n_customers: int) -> dict[str, Any]:
    """The customers drawn on the map: all, or a seeded sample of ``MAX_MAP_POINTS`` of ``offers``
    (a batch run's offers are already its sample); ``sample`` says how many of how many, when fewer."""
    shown = offers if len(offers) <= MAX_MAP_POINTS else offers.sample(MAX_MAP_POINTS, random_state=0)
    drawn = {
        "decline_probability": [round(float(v), 4) for v in shown["decline_probability"]],
        "profit": [round(float(v), 3) for v in shown["profit"]],
        "primary_segment": [str(v) for v in shown["primary_segment"]],
    }
    if len(shown) < n_customers:
        drawn["sample"] = {"n_customers": len(shown), "population": n_customers}
    return drawn


def named_segments(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The named segments of a :func:`segment_summary`, in the order of its scheme."""
    return [row for row in summary["segments"] if row["kind"] == "named"]


def by_profit_at_risk(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``segments`` (rows of :func:`segment_summary`) with the most profit at risk first (ties: scheme order)."""
    return sorted(segments, key=lambda row: -(row["profit_at_risk"] or 0.0))
