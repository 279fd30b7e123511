"""Segments, offers and the campaign in one call: what the CLI and the pipeline use.

>>> result = build_offers(customers, decline_probability, contributions, budget=100)  # doctest: +SKIP
>>> result.write(Path("out/offers"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oneclick.errors import ConfigError
from oneclick.exports import write_csv
from oneclick.layout import (
    OFFERS_FILE,
    OFFERS_SUMMARY_FILE,
    PROFIT_CURVE_FILE,
    SEGMENT_DRIVERS_FILE,
    SEGMENT_FEATURES_FILE,
    SEGMENTS_FILE,
)
from oneclick.offers.campaign import CampaignPlan, Method, plan_campaign, profit_curve
from oneclick.offers.catalogue import OfferCatalogue, load_catalogue
from oneclick.offers.choose import choose_offers, pick
from oneclick.offers.reasons import Lang, risk_drivers
from oneclick.offers.summary import offers_summary, plain, with_offer_mix
from oneclick.offers.value import OfferValues, offer_values
from oneclick.segments import SegmentAssignment, SegmentProfiles, assign_segments, load_segment_scheme
from oneclick.segments.assign import check_contributions, scoring_table
from oneclick.segments.conditions import PROFIT, RISK
from oneclick.segments.profile import profile_segments

# Past this many (customer, offer) candidates "auto" uses the labelled Lagrangian fallback:
# the exact MILP takes ~0.6 s at 1,300 customers (3,200 candidates), up to ~15 s at 5,000, and stops at
# its time limit (gap ~1e-8) at 100,000, where the fallback takes ~3 s with a gap of ~2e-7.
EXACT_MAX_CANDIDATES = 10_000

OFFER_COLUMNS = [
    "customer_id",
    "primary_segment",
    "primary_segment_title",
    "segments",
    "risk_profit_cell",
    "decline_probability",
    "is_high_risk",
    "profit",
    "profit_at_risk",
    "offer",
    "offer_title",
    "offer_cost",
    "offer_uplift_assumed",
    "expected_saved_profit",
    "n_eligible_offers",
    "risk_drivers",
    "reason",
    "in_campaign",
    "campaign_offer",
    "campaign_cost",
    "campaign_expected_saved_profit",
]


@dataclass(frozen=True)
class OffersResult:
    """Everything issue #4 asks for, as frames and a plain summary dict a report can render.

    ``offers``: one row per customer (see ``OFFER_COLUMNS``); ``segment_profiles``: each segment
    against the rest; ``profit_curve``: expected saved profit against budget; ``campaign``: the plan
    at the requested budget; ``summary``: sizes, profit at risk, top segment, offer mix, assumptions.
    Money is in profit units (those of ``profit``); savings cover ``horizon_months`` of profit.
    """

    offers: pd.DataFrame
    segment_profiles: SegmentProfiles
    profit_curve: pd.DataFrame
    campaign: CampaignPlan
    summary: dict[str, Any]

    def write(self, out_dir: Path) -> dict[str, Path]:
        """Write offers.csv, segments.csv (+ segment_features.csv, segment_drivers.csv), profit_curve.csv
        and offers_summary.json into ``out_dir``; returns name -> path."""
        return write_offer_files(out_dir, self.segment_profiles, self.profit_curve, self.summary, offers=self.offers)


def write_offer_files(
    out_dir: Path,
    profiles: SegmentProfiles,
    curve: pd.DataFrame | None,
    summary: dict[str, Any],
    *,
    offers: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """The files of :meth:`OffersResult.write` (offers.csv and profit_curve.csv only when given); name -> path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {
        "offers": (offers, OFFERS_FILE),
        "segments": (profiles.summary, SEGMENTS_FILE),
        "segment_features": (profiles.features, SEGMENT_FEATURES_FILE),
        "segment_drivers": (profiles.drivers, SEGMENT_DRIVERS_FILE),
        "profit_curve": (curve, PROFIT_CURVE_FILE),
    }
    paths = {}
    for name, (frame, file) in frames.items():
        if frame is None:
            continue
        # 10 significant digits: exact enough for any sum, without 0.29056000000000004 in a spreadsheet.
        paths[name] = write_csv(frame, out_dir / file, float_format="%.10g")
    paths["summary"] = out_dir / OFFERS_SUMMARY_FILE
    paths["summary"].write_text(json.dumps(plain(summary), ensure_ascii=False, indent=2), encoding="utf-8")
    return paths


def build_offers(
    customers: pd.DataFrame,
    decline_probability: pd.Series,
    contributions: pd.DataFrame,
    *,
    budget: float | None,
    segments_config: Path | None = None,
    catalogue: Path | None = None,
    lang: Lang = "ru",
    model_threshold: float | None = None,
    method: Method | str = "auto",
    curve_points: int = 21,
    top_drivers: int = 3,
    time_limit: float = 60.0,
) -> OffersResult:
    """Segments, their profiles, each customer's best offer with a reason, the campaign and its profit curve.

    Parameters
    ----------
    customers : the customer table (``build_customer_table``): features, ``profit`` (and ``declined``).
    decline_probability : the model's probability per customer id.
    contributions : per customer id, one column per model feature: its contribution to risk (log-odds).
    budget : what the campaign may spend, in profit units; ``None`` = no limit.
    segments_config, catalogue : YAML files; ``None`` = the defaults shipped with oneclick.
    lang : language of titles and reasons.
    model_threshold : the model's decision threshold (used by ``high_risk: model``).
    method : ``"exact"`` (MILP), ``"lagrangian"`` (fallback with a bound) or ``"auto"`` (exact up to
        ``EXACT_MAX_CANDIDATES`` candidate pairs).

    Raises
    ------
    ConfigError : a YAML file is invalid, the budget is negative, or ``lang``/``method`` is unknown.
    InputDataError : probabilities or contributions miss customers or hold bad values.
    """
    if lang not in ("ru", "en"):
        raise ConfigError(f"lang={lang!r}: expected 'ru' or 'en'")
    solver_choice = _check_method(method)
    scheme = load_segment_scheme(segments_config)
    offer_catalogue = load_catalogue(catalogue, segment_names=scheme.names)
    assignment = assign_segments(customers, decline_probability, scheme, model_threshold=model_threshold)
    table = scoring_table(customers, decline_probability)
    contrib = check_contributions(contributions, table.index)
    membership = _all_memberships(assignment)
    values = offer_values(table, offer_catalogue, assignment.thresholds, membership)
    drivers = risk_drivers(table, contrib, lang=lang, top_n=top_drivers)
    chosen = choose_offers(values, offer_catalogue, drivers, lang=lang)
    campaign, curve, n_candidates = campaign_for(
        values, offer_catalogue, budget, method=solver_choice, curve_points=curve_points, time_limit=time_limit
    )
    offers = _offers_table(table, assignment, chosen, drivers, campaign, values, lang)
    profiles = profile_segments(customers, decline_probability, contrib, assignment, lang=lang, top_n=top_drivers)
    profiles = with_offer_mix(profiles, membership, offers)
    summary = offers_summary(offers, profiles, assignment, campaign, offer_catalogue, lang) | {
        "sources": {"segments": scheme.source, "catalogue": offer_catalogue.source},
        "n_candidate_pairs": n_candidates,
    }
    return OffersResult(offers, profiles, curve, campaign, summary)


def campaign_for(
    values: OfferValues,
    catalogue: OfferCatalogue,
    budget: float | None,
    *,
    method: Method | None = None,
    curve_points: int = 21,
    time_limit: float = 60.0,
) -> tuple[CampaignPlan, pd.DataFrame, int]:
    """The campaign at ``budget``, the profit curve through it, and the number of candidate pairs.

    ``method=None`` chooses by size: exact up to ``EXACT_MAX_CANDIDATES`` candidates, the
    labelled Lagrangian fallback above.
    """
    minimum = catalogue.min_expected_saved_profit
    solver, n_candidates = solver_for(values, catalogue, method)
    saved, cost = values.expected_saved_profit, values.cost
    campaign = plan_campaign(saved, cost, budget, minimum=minimum, method=solver, time_limit=time_limit)
    curve = profit_curve(
        saved,
        cost,
        n_points=curve_points,
        extra_budgets=() if budget is None else (budget,),
        minimum=minimum,
        method=solver,
        time_limit=time_limit,
    )
    return campaign, curve, n_candidates


def solver_for(values: OfferValues, catalogue: OfferCatalogue, method: Method | None = None) -> tuple[Method, int]:
    """The solver for these candidates (``method``, or by size when None) and their number."""
    n_candidates = int(values.worth(catalogue.min_expected_saved_profit).to_numpy().sum())
    return method or ("exact" if n_candidates <= EXACT_MAX_CANDIDATES else "lagrangian"), n_candidates


def campaign_rows(campaign: CampaignPlan, values: OfferValues) -> pd.DataFrame:
    """The customers of a plan, one row each: ``customer_id``, ``offer``, ``cost``, ``expected_saved_profit``."""
    chosen = campaign.offers.reindex(values.cost.index)
    rows = pd.DataFrame(
        {
            "customer_id": values.cost.index.to_numpy(),
            "offer": chosen.to_numpy(dtype=object),
            "cost": pick(values.cost, chosen),
            "expected_saved_profit": pick(values.expected_saved_profit, chosen),
        }
    )
    return rows[chosen.notna().to_numpy()].reset_index(drop=True)


def _check_method(method: str) -> Method | None:
    """The solver asked for, or ``None`` for "auto" (decided by the problem's size)."""
    if method not in ("auto", "exact", "lagrangian"):
        raise ConfigError(f"method={method!r}: expected 'auto', 'exact' or 'lagrangian'")
    return None if method == "auto" else method  # type: ignore[return-value]


def _all_memberships(assignment: SegmentAssignment) -> pd.DataFrame:
    """Named segments and the four cells as boolean columns, for rules that name either."""
    return pd.DataFrame({name: mask.astype(bool) for name, mask in assignment.masks().items()})


def _offers_table(
    table: pd.DataFrame,
    assignment: SegmentAssignment,
    chosen: pd.DataFrame,
    drivers: pd.Series,
    campaign: CampaignPlan,
    values: OfferValues,
    lang: Lang,
) -> pd.DataFrame:
    campaign_offer = campaign.offers.reindex(table.index)
    in_campaign = campaign_offer.notna().to_numpy()
    frame = pd.DataFrame(
        {
            "customer_id": table.index.to_numpy(),
            "primary_segment": assignment.primary_segment.to_numpy(dtype=object),
            "primary_segment_title": [assignment.title(s, lang) for s in assignment.primary_segment],
            "segments": assignment.segment_lists().to_numpy(dtype=object),
            "risk_profit_cell": assignment.risk_profit_cell.to_numpy(dtype=object),
            "decline_probability": table[RISK].to_numpy(dtype=float),
            "is_high_risk": (table[RISK] >= assignment.thresholds.high_risk).to_numpy(dtype=bool),
            "profit": table[PROFIT].to_numpy(dtype=float),
            "profit_at_risk": (table[RISK] * table[PROFIT]).to_numpy(dtype=float),
            **{column: chosen[column].to_numpy() for column in chosen.columns},
            "risk_drivers": drivers.reindex(table.index).to_numpy(dtype=object),
            "in_campaign": in_campaign,
            "campaign_offer": campaign_offer.fillna("").to_numpy(dtype=object),
            "campaign_cost": np.nan_to_num(pick(values.cost, campaign_offer)),
            "campaign_expected_saved_profit": np.nan_to_num(pick(values.expected_saved_profit, campaign_offer)),
        }
    )
    return frame[OFFER_COLUMNS]
