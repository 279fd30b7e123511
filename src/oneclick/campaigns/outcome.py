"""A campaign's outcome from the next export: its customers' labels, measured per offer and segment.

The next export's label (``declined``) of a campaign customer is the outcome of the campaign for
them. Customers absent from the next export (they left, or were excluded by the cleaning rules) are
counted under ``left``, never guessed. Each offer is measured inside each segment it was offered in,
for the offer overall (segment "all") and for the campaign overall (offer "all"). The second outcome,
the revenue change over the month after the offer, is measured per row alike
(:mod:`oneclick.campaigns.revenue`); how well the plan's own score ranked the customers, by decile and
by the Qini curve, over all matched customers (:mod:`oneclick.campaigns.ranking`).

A row of one stratum (an offer inside a segment, or an offer offered in one segment only) is
:func:`oneclick.campaigns.uplift.measure_uplift`. A row that spans several strata (an offer over its
segments, the campaign overall) is stratified over them (:mod:`oneclick.campaigns.stratified`): each
stratum drew its control group with a share of its own, so only its own customers are randomised
against each other, and pooling them would mix the strata's base rates. Every row counts its strata
(``n_strata``) and those measured (``n_strata_measured``). The revenue change of a stratified row is
still pooled over its strata (said in ``revenue_change_test``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from oneclick.campaigns.ranking import rank_quality
from oneclick.campaigns.revenue import REVENUE_CHANGE, REVENUE_TEST, revenue_change_of
from oneclick.campaigns.stratified import STRATIFIED_DEFINITION, STRATIFIED_TEST, Stratum, measure_stratified
from oneclick.campaigns.uplift import TEST, UPLIFT_DEFINITION, VERDICT_RULE, measure_uplift
from oneclick.campaigns.uplift_model import compare_uplift_model
from oneclick.config import Settings
from oneclick.errors import InputDataError

ALL = "all"
OUTCOME = "declined"
STRATUM = ["offer_id", "segment"]
POOLED_REVENUE = "; rows over several strata (segment all, offer all): pooled over their strata, not stratified"
UPLIFT_MODEL_MIN_PER_ARM = Settings.uplift_model_min_per_arm


def evaluate_campaign(
    customers: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    campaign_id: str,
    horizon_months: float,
    features: pd.DataFrame | None = None,
    uplift_model_min_per_arm: int = UPLIFT_MODEL_MIN_PER_ARM,
    seed: int = 0,
) -> dict[str, Any]:
    """The evaluation result (the JSON ``campaign evaluate`` prints and the store keeps).

    ``customers``: the campaign's customers as the store keeps them (``load_campaign(...).customers``);
    ``outcomes``: the next export's customer table, indexed by customer id, with ``declined`` (0/1)
    and, if the export has it, ``revenue_change`` (its revenue figures are ``None`` without it);
    ``features``: the pre-campaign customer table of the campaign's run, for the uplift model
    (:func:`oneclick.campaigns.uplift_model.compare_uplift_model`, seeded by ``seed``; fitted only with
    ``uplift_model_min_per_arm`` customers in each arm).

    >>> stored = load_campaign(store, "campaign-2026")  # doctest: +SKIP
    >>> evaluate_campaign(stored.customers, table, campaign_id=stored.campaign_id, horizon_months=3)  # doctest: +SKIP
    """
    matched = matched_customers(customers, outcomes)
    arms = customers["arm"].value_counts()
    matched_arms = matched["arm"].value_counts()
    rows = [_row(offer, segment, group, horizon_months) for offer, segment, group in _groups(matched)]
    return {
        "campaign_id": campaign_id,
        "outcome": OUTCOME,
        "n": {
            "planned": len(customers),
            "treatment": int(arms.get("treatment", 0)),
            "control": int(arms.get("control", 0)),
            "matched_treatment": int(matched_arms.get("treatment", 0)),
            "matched_control": int(matched_arms.get("control", 0)),
            "left": len(customers) - len(matched),
        },
        "uplift_definition": f"{UPLIFT_DEFINITION}; {STRATIFIED_DEFINITION}",
        "verdict_rule": VERDICT_RULE,
        "test": f"one stratum: {TEST}; several: {STRATIFIED_TEST}",
        "offers": rows,
        "revenue_change_test": REVENUE_TEST + POOLED_REVENUE,
        **rank_quality(matched, OUTCOME),
        "uplift_model": compare_uplift_model(
            matched, features, horizon_months=horizon_months, min_per_arm=uplift_model_min_per_arm, seed=seed
        ),
    }


def matched_customers(customers: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """The campaign's customers found in the next export, with its ``declined`` (and revenue change)."""
    if OUTCOME not in outcomes.columns:
        raise InputDataError(
            f"the next export has no label column '{OUTCOME}' (Покупательская активность): a campaign's outcome "
            "is the next export's label; export the table with it"
        )
    kept = [OUTCOME] + ([REVENUE_CHANGE] if REVENUE_CHANGE in outcomes.columns else [])
    return customers.join(outcomes[kept].astype({OUTCOME: "int64"}), on="customer_id", how="inner")


def _groups(matched: pd.DataFrame) -> Iterator[tuple[str, str, pd.DataFrame]]:
    for (offer, segment), group in matched.groupby(["offer_id", "segment"], sort=True):
        yield str(offer), str(segment), group
    for offer, group in matched.groupby("offer_id", sort=True):
        yield str(offer), ALL, group
    yield ALL, ALL, matched


def _row(offer: str, segment: str, group: pd.DataFrame, horizon_months: float) -> dict[str, Any]:
    treated = group[group["arm"] == "treatment"]
    control = group[group["arm"] == "control"]
    strata = [_stratum(f"{s}|{o}", stratum) for (o, s), stratum in group.groupby(STRATUM, sort=True)]
    if len(strata) == 1:
        one = strata[0]
        measured = measure_uplift(
            n_treatment=one.n_treatment,
            declined_treatment=one.declined_treatment,
            n_control=one.n_control,
            declined_control=one.declined_control,
            treated_profit=one.treated_profit,
            treated_cost=one.treated_cost,
            horizon_months=horizon_months,
        )
        measured |= {"n_strata": 1, "n_strata_measured": int(bool(one.n_treatment and one.n_control))}
    else:
        measured = measure_stratified(strata, horizon_months)
    assumed = float(treated["assumed_uplift"].mean()) if len(treated) else None
    has_revenue = REVENUE_CHANGE in group.columns
    revenue = revenue_change_of(
        treated[REVENUE_CHANGE] if has_revenue else None, control[REVENUE_CHANGE] if has_revenue else None
    )
    return {"offer": offer, "segment": segment, **measured, "assumed_uplift": assumed, **revenue}


def _stratum(name: str, group: pd.DataFrame) -> Stratum:
    treated = group[group["arm"] == "treatment"]
    control = group[group["arm"] == "control"]
    return Stratum(
        name,
        n_treatment=len(treated),
        declined_treatment=int(treated[OUTCOME].sum()),
        n_control=len(control),
        declined_control=int(control[OUTCOME].sum()),
        treated_profit=float(treated["profit"].sum()),
        treated_cost=float(treated["cost"].sum()),
    )
