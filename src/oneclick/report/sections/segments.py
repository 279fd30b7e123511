"""Section 6, segments: customers on the risk x profit map, and each named segment against the rest.

Read from ``segments.csv`` (one row per segment), ``segment_features.csv`` (each feature in the
segment and the rest, with Cohen's d), ``segment_drivers.csv`` (mean contributions to risk),
``offers.csv`` (each customer's probability, profit, segments and offer; a batch run's ``offers/``,
counted by group of customers, its sample for the map) and the thresholds in ``offers_summary.json``.
Profit is in thousands of roubles a month (the units of money.csv). The words, charts and table are
in :mod:`oneclick.report.sections.segments_view`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from oneclick.features.groups import NUMERIC_FEATURES
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.segments import CELLS
from oneclick.segments.assign import SEGMENT_SEPARATOR

MAX_MAP_POINTS = 4_000
N_DRIVERS = 3
# Below half a hundredth of log-odds a driver would print as +0.00: not worth naming.
MIN_DRIVER = 0.005


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Every segment's size, risk, profit, drivers and offers; effect sizes; the customers' map."""
    table = run.table("segments")
    groups = run.offer_groups()
    overview = run.json("offers_summary")
    memberships = _memberships(groups)
    drivers = run.table("segment_drivers")
    rows = [_segment(row, groups, memberships, drivers) for row in table.to_dict("records")]
    n_customers = int(groups["n"].sum())
    return {
        "n_customers": n_customers,
        "thresholds": {key: float(value) for key, value in overview["thresholds"].items()},
        "profit_at_risk": float(groups["profit_at_risk"].sum()),
        "segments": rows,
        "effects": _effects(run.table("segment_features"), [row["segment"] for row in rows if row["kind"] == "named"]),
        "map": _map(run.table("offers"), n_customers),
        "titles": names.config_titles(run),
        # A batch run without every contribution kept: drivers from each customer's top ones only.
        "drivers_kept": overview.get("segment_drivers", {"source": "contributions"}),
    }


def _memberships(groups: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per segment (named and cell), one row per group of customers."""
    named = groups["segments"].fillna("").astype(str).str.get_dummies(sep=SEGMENT_SEPARATOR).astype(bool)
    cells = pd.DataFrame({cell: groups["risk_profit_cell"] == cell for cell in CELLS})
    return pd.concat([named, cells], axis=1)


def offer_shares(groups: pd.DataFrame) -> pd.Series:
    """Each offer's share of the customers of ``groups``, largest first (ties: the offer seen first)."""
    counts = groups.groupby("offer", sort=False)["n"].sum()
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
    keys = (
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
    return (
        {"segment": name, "kind": str(row["kind"]), "rule": str(row.get("rule", ""))}
        | {key: _number(row.get(key)) for key in keys}
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


def _map(offers: pd.DataFrame, n_customers: int) -> dict[str, Any]:
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


def named(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The named segments of the run, in the order of its scheme."""
    return [row for row in data["segments"] if row["kind"] == "named"]


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and a table (see :func:`oneclick.report.sections.segments_view.view`)."""
    from oneclick.report.sections import segments_view  # it imports named() from here

    return segments_view.view(data, lang)
