"""A hand-made evaluation of a campaign, as ``oneclick campaign evaluate --json`` prints it (the contract of
issue 13), and catalogue versions learned from it: what the report section and the dashboard render.

Three offers, each with a verdict of its own so every word is shown: ``promo_code_favourite`` works (its CI
lies above 0), ``free_delivery`` has no evidence (its CI straddles 0), ``premium_trial`` harms (below 0).
Every row's figures agree with each other: uplift = 1 - rate_treatment / rate_control.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from oneclick.offers.catalogue import shipped_catalogue_mapping
from oneclick.store import (
    CampaignRecord,
    register_campaign,
    register_catalogue_version,
    register_evaluation,
    writing,
)

CAMPAIGN_ID = "campaign-20261101T090000Z-a1b2c3"
DATA_FINGERPRINT = "f" * 64


def _row(
    offer: str,
    segment: str,
    n: tuple[int, int],
    rates: tuple[float, float],
    ci: tuple[float, float],
    p_value: float,
    assumed: float,
    saved: tuple[float, float, float],
    cost: float,
    verdict: str,
) -> dict[str, Any]:
    treatment, control = rates
    return {
        "offer": offer,
        "segment": segment,
        "n_treatment": n[0],
        "n_control": n[1],
        "decline_rate_treatment": treatment,
        "decline_rate_control": control,
        "uplift": round(1 - treatment / control, 4),
        "uplift_ci_low": ci[0],
        "uplift_ci_high": ci[1],
        "p_value": p_value,
        "test": "two-proportion z-test; CI of the ratio by the delta method",
        "assumed_uplift": assumed,
        "saved_profit": saved[0],
        "saved_profit_ci_low": saved[1],
        "saved_profit_ci_high": saved[2],
        "cost": cost,
        "revenue_change_treatment": -0.1,
        "revenue_change_control": -0.4,
        "verdict": verdict,
    }


_OFFERS = [
    _row("all", "all", (700, 300), (0.33, 0.40), (0.04, 0.31), 0.03, 0.10, (48.0, 6.5, 90.1), 61.0, "works"),
    _row(
        "promo_code_favourite",
        "all",
        (300, 120),
        (0.30, 0.45),
        (0.15, 0.50),
        0.004,
        0.14,
        (40.2, 14.0, 66.0),
        21.0,
        "works",
    ),
    _row(
        "promo_code_favourite",
        "promo_hunters_at_risk",
        (180, 70),
        (0.28, 0.46),
        (0.14, 0.58),
        0.006,
        0.20,
        (30.1, 9.8, 51.0),
        13.0,
        "works",
    ),
    _row(
        "promo_code_favourite",
        "high_risk_low_profit",
        (120, 50),
        (0.33, 0.44),
        (-0.12, 0.52),
        0.19,
        0.08,
        (10.1, -6.0, 26.4),
        8.0,
        "no_evidence",
    ),
    _row(
        "free_delivery",
        "all",
        (250, 110),
        (0.36, 0.38),
        (-0.25, 0.30),
        0.72,
        0.10,
        (3.0, -21.0, 27.5),
        25.0,
        "no_evidence",
    ),
    _row(
        "free_delivery",
        "kids_goods_buyers",
        (250, 110),
        (0.36, 0.38),
        (-0.25, 0.30),
        0.72,
        0.15,
        (3.0, -21.0, 27.5),
        25.0,
        "no_evidence",
    ),
    _row(
        "premium_trial", "all", (150, 70), (0.42, 0.30), (-0.85, -0.02), 0.04, 0.12, (-12.0, -24.0, -0.5), 15.0, "harms"
    ),
    _row(
        "premium_trial",
        "valuable_at_risk",
        (150, 70),
        (0.42, 0.30),
        (-0.85, -0.02),
        0.04,
        0.18,
        (-12.0, -24.0, -0.5),
        15.0,
        "harms",
    ),
]

_BY_DECILE = [
    {
        "decile": k,
        "n_treatment": 70,
        "n_control": 30,
        "response_rate_treatment": round(0.55 - 0.03 * k, 3),
        "response_rate_control": round(0.70 - 0.035 * k, 3),
        "uplift": round((0.70 - 0.035 * k) - (0.55 - 0.03 * k), 3),
    }
    for k in range(1, 11)
]

_QINI_X = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
_QINI_Y = [0.0, 14.0, 25.0, 33.0, 39.0, 43.0, 46.0, 47.5, 48.5, 49.0, 49.0]

RESULT: dict[str, Any] = {
    "campaign_id": CAMPAIGN_ID,
    "data_dir": "exports/2026-12",
    "data_fingerprint": DATA_FINGERPRINT,
    "outcome": "declined",
    "n": {
        "planned": 1030,
        "treatment": 720,
        "control": 310,
        "matched_treatment": 700,
        "matched_control": 300,
        "left": 30,
    },
    "uplift_definition": "1 - decline_rate_treatment / decline_rate_control (share of decline removed)",
    "verdict_rule": "works: the 95 % CI of the uplift lies above 0; harms: below 0; otherwise no evidence",
    "offers": _OFFERS,
    "by_decile": _BY_DECILE,
    "qini": {
        "auc": 0.031,
        "x": _QINI_X,
        "y": _QINI_Y,
        "random_y": [49.0 * x / 1000 for x in _QINI_X],
        "score": "assumed uplift x decline probability",
    },
    "uplift_model": {
        "used": False,
        "reason": "too_few",
        "n_treatment": 700,
        "n_control": 300,
        "min_per_arm": 500,
        "qini_model": None,
        "qini_rule": 0.031,
        "saved_profit_model": None,
        "saved_profit_rule": 48.0,
    },
}

# The optional key the report adds from the store's catalogue versions (see oneclick.report.campaign_file).
CATALOGUE_UPDATE: dict[str, Any] = {
    "old_version": 1,
    "new_version": 2,
    "offers": [
        {
            "offer": "promo_code_favourite",
            "segment": "all",
            "prior_uplift": 0.08,
            "measured_uplift": 0.33,
            "uplift": 0.21,
            "is_measured": True,
        },
        {
            "offer": "free_delivery",
            "segment": "kids_goods_buyers",
            "prior_uplift": 0.15,
            "measured_uplift": 0.05,
            "uplift": 0.12,
            "is_measured": True,
        },
        {
            "offer": "tailored_newsletter",
            "segment": "all",
            "prior_uplift": 0.03,
            "measured_uplift": None,
            "uplift": 0.03,
            "is_measured": False,
        },
    ],
}


def campaign_result(*, with_catalogue_update: bool = True, **changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`RESULT` (with :data:`CATALOGUE_UPDATE` unless told not), top-level keys replaced."""
    result = copy.deepcopy(RESULT) | {key: copy.deepcopy(value) for key, value in changes.items()}
    if with_catalogue_update:
        result["catalogue_update"] = copy.deepcopy(CATALOGUE_UPDATE)
    return result


def updated_catalogue(base: dict[str, Any], campaign_id: str = CAMPAIGN_ID) -> dict[str, Any]:
    """The mapping ``oneclick catalogue update`` would write from ``base`` (the shipped catalogue's mapping):
    promo_code_favourite's own uplift and free_delivery's in kids_goods_buyers measured and shrunk."""
    new = copy.deepcopy(base)
    method = "precision-weighted mean of the prior (sd 0.10) and the measured uplift"
    for offer in new["offers"]:
        if offer["id"] == "promo_code_favourite":
            prior, offer["uplift"] = offer["uplift"], 0.21
            offer["uplift_evidence"] = {"all": _evidence(campaign_id, prior, 0.33, 0.21, method)}
        if offer["id"] == "free_delivery":
            prior = offer["uplift_in_segments"]["kids_goods_buyers"]
            offer["uplift_in_segments"]["kids_goods_buyers"] = 0.12
            offer["uplift_evidence"] = {"kids_goods_buyers": _evidence(campaign_id, prior, 0.05, 0.12, method)}
    return new


def _evidence(campaign_id: str, prior: float, measured: float, posterior: float, method: str) -> dict[str, Any]:
    return {
        "campaign_id": campaign_id,
        "measured_uplift": measured,
        "ci_low": measured - 0.14,
        "ci_high": measured + 0.14,
        "standard_error": 0.07,
        "n_treatment": 300,
        "n_control": 120,
        "prior_uplift": prior,
        "uplift": posterior,
        "method": method,
    }


# The plan's strata as `campaign plan --json` states them: the second is too small to learn its offer's uplift.
STRATA = [
    {
        "stratum": "promo_hunters_at_risk|promo_code_favourite",
        "segment": "promo_hunters_at_risk",
        "offer_id": "promo_code_favourite",
        "n": 4,
        "n_treatment": 3,
        "n_control": 1,
        "base_decline_rate": 0.46,
        "assumed_uplift": 0.20,
        "minimum_detectable_uplift": 0.15,
        "power": 0.8,
        "warning": None,
    },
    {
        "stratum": "kids_goods_buyers|free_delivery",
        "segment": "kids_goods_buyers",
        "offer_id": "free_delivery",
        "n": 2,
        "n_treatment": 1,
        "n_control": 1,
        "base_decline_rate": 0.38,
        "assumed_uplift": 0.15,
        "minimum_detectable_uplift": 0.62,
        "power": 0.8,
        "warning": "too small: the minimum detectable uplift 0.62 exceeds the assumed 0.15",
    },
]


def campaign_in_store(
    store: Path, *, updated: bool, evaluated: bool = True, data_fingerprint: str = DATA_FINGERPRINT
) -> str:
    """A store holding one campaign, its evaluation on DATA_FINGERPRINT and, if ``updated``, catalogue v2."""
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 6],
            "segment": ["promo_hunters_at_risk"] * 4 + ["kids_goods_buyers"] * 2,
            "offer_id": ["promo_code_favourite"] * 4 + ["free_delivery"] * 2,
            "stratum": ["promo_hunters_at_risk|promo_code_favourite"] * 4 + ["kids_goods_buyers|free_delivery"] * 2,
            "arm": ["treatment", "treatment", "treatment", "control", "treatment", "control"],
            "decline_probability": 0.6,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": 0.2,
            "expected_saved_profit": 0.94,
        }
    )
    record = CampaignRecord(
        run_id="run-1",
        budget=10.0,
        seed=7,
        catalogue_version=1,
        starts_on=date(2026, 11, 1),
        campaign_id=CAMPAIGN_ID,
        control={"method": "share", "share": 0.3, "strata": STRATA},
    )
    no_exclusions = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])
    register_campaign(store, record, customers, no_exclusions)
    if not evaluated:
        return CAMPAIGN_ID
    register_evaluation(
        store,
        CAMPAIGN_ID,
        campaign_result(with_catalogue_update=False, data_fingerprint=data_fingerprint),
        data_dir="exports/12",
        data_fingerprint=data_fingerprint,
    )
    if updated:
        with writing(store) as connection:
            register_catalogue_version(
                connection,
                updated_catalogue(dict(shipped_catalogue_mapping())),
                parent_version=1,
                source_campaign_id=CAMPAIGN_ID,
                method={"name": "precision-weighted shrinkage", "prior_sd": 0.10},
            )
    return CAMPAIGN_ID
